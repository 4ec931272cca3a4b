//! The geography every view and dataset refers to: the 63 provinces that existed before 1 July
//! 2025, the 34 provinces after the merger (Nghị quyết 202/2025/QH15), the six GSO socio-economic
//! regions, three policy lists, and the 63 → 34 crosswalk.
//!
//! Why a registry of dense indices: datasets store a province as a small index into the list of
//! its boundary version, so columns stay compact and regrouping 63 → 34 is one table lookup
//! ([`Registry::to_34`]). Counts and sums regrouped that way add up exactly because the 2025 reform
//! merged whole provinces.
//!
//! The tables are compiled in (`include_str!`) from `src/engine/data/*.csv`, which are copies of
//! `/work/shared/data`; their sources are listed in `src/engine/data/PROVENANCE.md`.
//!
//! Choices made here, documented because they are judgement calls:
//! - **Order.** The 63 provinces are indexed in the GSO statistical order (`gso_order`: Hà Nội,
//!   Vĩnh Phúc, Bắc Ninh…, the order of GSO yearbooks); the 34 in ascending new code.
//! - **Region of a new province.** Several merged provinces span two regions (Gia Lai absorbed
//!   Bình Định; Quảng Ngãi absorbed Kon Tum; Lâm Đồng absorbed Bình Thuận and Đắk Nông; Tây Ninh
//!   absorbed Long An). A new province takes the region of the old province whose code it kept
//!   (the seat of the merger: new Gia Lai keeps code 52 of Bình Định, hence Bắc Trung Bộ và Duyên
//!   hải miền Trung). Where no member kept the code (none today), the first member in GSO order
//!   decides. A region total in 34-province mode is therefore *not* the same set of land as the
//!   63-province region of the same name; the UI should say so next to region figures.
//! - **Policy lists** (Thông tư 02/2022, QĐ 353/2022, QĐ 2086/2016) name old provinces. A new
//!   province carries a flag when *any* member carries it.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::vocab::{Boundary, Region};

/// One province of one boundary version, with everything the UI needs to label, group and filter it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Province {
    /// Two-digit GSO code, e.g. `"19"`: the key used in files and URLs.
    pub code: &'static str,
    /// Official short name with diacritics, e.g. `"Thái Nguyên"`: what users read.
    pub name: &'static str,
    /// The name with diacritics folded (`"Thai Nguyen"`), case kept: for file names, CSV exports
    /// and systems that mangle Vietnamese.
    pub name_ascii: &'static str,
    /// GSO socio-economic region (for a 34-province: see the module notes).
    pub region: Region,
    /// Which boundary version this entry belongs to.
    pub boundary: Boundary,
    /// Dense index within its boundary version (GSO order for 63, code order for 34): the value
    /// datasets store.
    pub index: u8,
    /// Listed in Thông tư 02/2022/TT-UBDT Điều 53 (provinces with ethnic groups facing particular
    /// difficulties). For a 34-province: any member is listed.
    pub tt02_ethnic: bool,
    /// Has a poor district under QĐ 353/QĐ-TTg (2022). For a 34-province: any member has one.
    pub qd353_poor_district: bool,
    /// Home of very small ethnic groups under QĐ 2086/QĐ-TTg (2016). For a 34-province: any member.
    pub qd2086_small_groups: bool,
}

/// Both province lists and the crosswalk between them, built once from the embedded CSV files.
#[derive(Clone, Debug)]
pub struct Registry {
    p63: Vec<Province>,
    p34: Vec<Province>,
    /// index63 -> index34.
    cross: Vec<u8>,
    /// index34 -> indices63, ascending.
    members: Vec<Vec<u8>>,
}

static REGISTRY: OnceLock<Registry> = OnceLock::new();

const REGIONS_CSV: &str = include_str!("data/regions_provinces_63.csv");
const CROSSWALK_CSV: &str = include_str!("data/province_crosswalk_2025.csv");

/// The shared registry, built on first use.
///
/// Why it may panic: the tables are compile-time constants checked by this module's tests
/// (`embedded_tables_load`), so a failure here is a build defect, never a user input problem.
pub fn registry() -> &'static Registry {
    REGISTRY.get_or_init(|| match Registry::from_csv(REGIONS_CSV, CROSSWALK_CSV) {
        Ok(r) => r,
        Err(e) => panic!("embedded province tables are invalid: {e}"),
    })
}

/// Pads a one-digit province code to the canonical two digits (`"9"` → `"09"`), so that codes
/// typed by hand or read from spreadsheets that dropped the leading zero still match.
/// Returns `None` for anything that is not one or two ASCII digits (after trimming).
pub fn normalise_code(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if t.len() == 1 {
        Some(format!("0{t}"))
    } else {
        Some(t.to_string())
    }
}

impl Registry {
    /// Builds a registry from the two CSV tables (regions/policy lists of the 63, and the 2025
    /// crosswalk). Public so that tests and the CLI can check a replacement table; errors name
    /// the table, the row and the field. The text must be `'static` because the province names
    /// borrow from it (the embedded tables are; a replacement can be leaked once).
    pub fn from_csv(
        regions_csv: &'static str,
        crosswalk_csv: &'static str,
    ) -> Result<Registry, String> {
        let reg_rows = parse_csv(regions_csv).map_err(|e| format!("regions table: {e}"))?;
        let cw_rows = parse_csv(crosswalk_csv).map_err(|e| format!("crosswalk table: {e}"))?;
        let reg = Table::new("regions table", reg_rows)?;
        let cw = Table::new("crosswalk table", cw_rows)?;

        // --- the 63 ---------------------------------------------------------------------------
        struct Old {
            code: &'static str,
            name: &'static str,
            region: Region,
            order: u32,
            flags: [bool; 3],
        }
        let mut olds: Vec<Old> = Vec::with_capacity(63);
        for r in 0..reg.len() {
            let code = reg.code(r, "old_code")?;
            let name = reg.text(r, "old_name")?;
            let region_name = reg.text(r, "gso_region_6")?;
            let region = region_from_name(region_name).ok_or_else(|| {
                format!(
                    "regions table row {}: field gso_region_6: found \"{region_name}\", expected one of the six GSO region names",
                    r + 2
                )
            })?;
            let order_s = reg.text(r, "gso_order")?;
            let order: u32 = order_s.trim().parse().map_err(|_| {
                format!("regions table row {}: field gso_order: found \"{order_s}\", expected a positive integer", r + 2)
            })?;
            let flags = [
                reg.flag(r, "tt02_2022_art53_difficult_ethnic_groups_31prov")?,
                reg.flag(r, "qd353_2022_has_poor_district_26prov")?,
                reg.flag(r, "qd2086_2016_very_small_ethnic_groups_12prov")?,
            ];
            olds.push(Old {
                code,
                name,
                region,
                order,
                flags,
            });
        }
        super::order::sort_by_key(&mut olds, |o| o.order);
        if olds.len() > 250 {
            return Err(format!(
                "regions table: {} provinces, expected at most 250",
                olds.len()
            ));
        }
        let mut p63: Vec<Province> = Vec::with_capacity(olds.len());
        for (i, o) in olds.iter().enumerate() {
            if p63.iter().any(|p| p.code == o.code) {
                return Err(format!(
                    "regions table: province code {} appears twice",
                    o.code
                ));
            }
            p63.push(Province {
                code: o.code,
                name: o.name,
                name_ascii: leak(strip_diacritics(o.name)),
                region: o.region,
                boundary: Boundary::P63,
                index: i as u8,
                tt02_ethnic: o.flags[0],
                qd353_poor_district: o.flags[1],
                qd2086_small_groups: o.flags[2],
            });
        }

        // --- the crosswalk and the 34 ---------------------------------------------------------
        let mut pairs: Vec<(usize, &'static str, &'static str)> = Vec::with_capacity(cw.len());
        for r in 0..cw.len() {
            let old = cw.code(r, "old_code")?;
            let new = cw.code(r, "new_code")?;
            let new_name = cw.text(r, "new_name")?;
            let i63 = p63.iter().position(|p| p.code == old).ok_or_else(|| {
                format!("crosswalk table row {}: field old_code: found \"{old}\", expected a code of the regions table", r + 2)
            })?;
            if pairs.iter().any(|(i, _, _)| *i == i63) {
                return Err(format!(
                    "crosswalk table row {}: old_code {old} appears twice",
                    r + 2
                ));
            }
            pairs.push((i63, new, new_name));
        }
        if pairs.len() != p63.len() {
            let missing: Vec<&str> = p63
                .iter()
                .filter(|p| !pairs.iter().any(|(i, _, _)| *i == p.index as usize))
                .map(|p| p.code)
                .collect();
            return Err(format!(
                "crosswalk table: no row for old province(s) {}",
                missing.join(", ")
            ));
        }
        let mut new_codes: Vec<&'static str> = pairs.iter().map(|(_, c, _)| *c).collect();
        super::order::sort_by_key(&mut new_codes, |c| c.parse::<u32>().unwrap_or(u32::MAX));
        new_codes.dedup();
        let mut p34: Vec<Province> = Vec::with_capacity(new_codes.len());
        let mut members: Vec<Vec<u8>> = Vec::with_capacity(new_codes.len());
        for (j, code) in new_codes.iter().enumerate() {
            let mut m: Vec<u8> = pairs
                .iter()
                .filter(|(_, c, _)| c == code)
                .map(|(i, _, _)| *i as u8)
                .collect();
            super::order::sort(&mut m);
            let names: Vec<&str> = pairs
                .iter()
                .filter(|(_, c, _)| c == code)
                .map(|(_, _, n)| *n)
                .collect();
            let name = names.first().copied().unwrap_or("");
            if let Some(other) = names.iter().find(|n| **n != name) {
                return Err(format!(
                    "crosswalk table: new code {code} has two names, \"{name}\" and \"{other}\""
                ));
            }
            let olds_of: Vec<&Province> = m.iter().filter_map(|i| p63.get(*i as usize)).collect();
            let seat = olds_of.iter().find(|p| p.code == *code).or(olds_of.first());
            let Some(seat) = seat else {
                return Err(format!(
                    "crosswalk table: new code {code} has no member province"
                ));
            };
            p34.push(Province {
                code,
                name,
                name_ascii: leak(strip_diacritics(name)),
                region: seat.region,
                boundary: Boundary::P34,
                index: j as u8,
                tt02_ethnic: olds_of.iter().any(|p| p.tt02_ethnic),
                qd353_poor_district: olds_of.iter().any(|p| p.qd353_poor_district),
                qd2086_small_groups: olds_of.iter().any(|p| p.qd2086_small_groups),
            });
            members.push(m);
        }
        let mut cross = vec![0u8; p63.len()];
        for (i63, new, _) in &pairs {
            if let (Some(slot), Some(j)) =
                (cross.get_mut(*i63), new_codes.iter().position(|c| c == new))
            {
                *slot = j as u8;
            }
        }
        Ok(Registry {
            p63,
            p34,
            cross,
            members,
        })
    }

    /// All provinces of a boundary version, in index order (the order of tables and legends).
    pub fn provinces(&self, b: Boundary) -> &[Province] {
        match b {
            Boundary::P63 => &self.p63,
            Boundary::P34 => &self.p34,
        }
    }

    /// The province at a dense index, or `None` if the index is out of range (a corrupt column).
    pub fn get(&self, b: Boundary, index: u8) -> Option<&Province> {
        self.provinces(b).get(index as usize)
    }

    /// The province with a canonical two-digit code (`"09"`, not `"9"`: call [`normalise_code`]
    /// first on hand-typed input). Exact so that parsers can report non-canonical codes.
    pub fn by_code(&self, b: Boundary, code: &str) -> Option<&Province> {
        self.provinces(b).iter().find(|p| p.code == code)
    }

    /// The dense index of a canonical code, for storing it in a column.
    pub fn index_of(&self, b: Boundary, code: &str) -> Option<u8> {
        self.by_code(b, code).map(|p| p.index)
    }

    /// The index of the 34-province that absorbed the 63-province at `index63`, for regrouping
    /// pre-2025 data into today's provinces.
    pub fn to_34(&self, index63: u8) -> Option<u8> {
        self.cross.get(index63 as usize).copied()
    }

    /// The whole crosswalk, index63 → index34 (length 63), for regrouping a column in one pass.
    pub fn crosswalk(&self) -> &[u8] {
        &self.cross
    }

    /// The 63-province indices merged into the 34-province at `index34` (ascending; empty when out
    /// of range): for tooltips ("Thái Nguyên = Thái Nguyên + Bắc Kạn") and for splitting filters.
    pub fn members_63(&self, index34: u8) -> Vec<u8> {
        self.members
            .get(index34 as usize)
            .cloned()
            .unwrap_or_default()
    }

    /// The region of a province, or `None` for an out-of-range index.
    pub fn region_of(&self, b: Boundary, index: u8) -> Option<Region> {
        self.get(b, index).map(|p| p.region)
    }

    /// Finds provinces by name or code, ignoring case and diacritics (`"thai nguyen"`, `"THÁI"`,
    /// `"Hoa Binh"` for "Hoà Bình"), for the province picker.
    ///
    /// Ranking, best first (ties keep index order): exact code or exact name; name starting with
    /// the query; every query word a prefix of some word of the name; the query anywhere in the
    /// name. An empty query returns every province, so the picker can show the full list.
    pub fn search(&self, b: Boundary, query: &str) -> Vec<&Province> {
        let q = fold(query);
        let list = self.provinces(b);
        if q.is_empty() {
            return list.iter().collect();
        }
        let q_words: Vec<&str> = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let code_q = normalise_code(&q);
        let mut hits: Vec<(u8, &Province)> = Vec::new();
        for p in list {
            let name = fold(p.name);
            let words: Vec<&str> = name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let rank = if name == q || code_q.as_deref() == Some(p.code) {
                0
            } else if name.starts_with(&q) {
                1
            } else if !q_words.is_empty()
                && q_words
                    .iter()
                    .all(|qw| words.iter().any(|w| w.starts_with(qw)))
            {
                2
            } else if name.contains(&q) {
                3
            } else {
                continue;
            };
            hits.push((rank, p));
        }
        super::order::sort_by_key(&mut hits, |(r, p)| (*r, p.index));
        hits.into_iter().map(|(_, p)| p).collect()
    }
}

/// Folds text for matching: lowercase, Vietnamese diacritics removed (all five tones, â ă ê ô ơ ư,
/// đ → d; precomposed or combining), trimmed, runs of whitespace collapsed to one space.
/// Why: users type "thai nguyen", "Thai Nguyen" or "THÁI" and expect the same province; CSV
/// headers arrive with or without diacritics.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_combining_mark(c) {
            continue;
        }
        for l in c.to_lowercase() {
            let base = base_letter(l).unwrap_or(l);
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(base);
        }
    }
    out
}

/// Removes Vietnamese diacritics but keeps case and spacing (`"Đắk Lắk"` → `"Dak Lak"`): the
/// ASCII form of a name for file names and exports.
pub fn strip_diacritics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_combining_mark(c) {
            continue;
        }
        let upper = c.is_uppercase();
        let lower = c.to_lowercase().next().unwrap_or(c);
        match base_letter(lower) {
            Some(b) if upper => out.push(b.to_ascii_uppercase()),
            Some(b) => out.push(b),
            None => out.push(c),
        }
    }
    out
}

/// Combining diacritical marks (U+0300–U+036F), present in decomposed (NFD) text such as macOS
/// file names.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The ASCII base of a lowercase Vietnamese letter, `None` when the letter has no diacritic.
fn base_letter(c: char) -> Option<char> {
    const TABLE: [(char, &str); 7] = [
        ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
        ('e', "èéẻẽẹêềếểễệ"),
        ('i', "ìíỉĩị"),
        ('o', "òóỏõọôồốổỗộơờớởỡợ"),
        ('u', "ùúủũụưừứửữự"),
        ('y', "ỳýỷỹỵ"),
        ('d', "đ"),
    ];
    if c.is_ascii() {
        return None;
    }
    TABLE.iter().find(|(_, vs)| vs.contains(c)).map(|(b, _)| *b)
}

/// Maps the Vietnamese region names of the GSO table to [`Region`], diacritic-insensitively.
fn region_from_name(name: &str) -> Option<Region> {
    let f = fold(name);
    Region::ALL
        .iter()
        .copied()
        .find(|r| fold(r.label(super::vocab::Lang::Vi)) == f)
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A parsed CSV table with a header row, giving field access by column name with errors that
/// name the table, the row (1-based, counting the header as row 1) and the field.
struct Table {
    name: &'static str,
    header: Vec<Cow<'static, str>>,
    rows: Vec<Vec<Cow<'static, str>>>,
}

impl Table {
    fn new(name: &'static str, mut rows: Vec<Vec<Cow<'static, str>>>) -> Result<Table, String> {
        if rows.is_empty() {
            return Err(format!("{name}: empty, expected a header row"));
        }
        let header = rows.remove(0);
        Ok(Table { name, header, rows })
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn text(&self, row: usize, field: &str) -> Result<&'static str, String> {
        let col = self
            .header
            .iter()
            .position(|h| h.trim() == field)
            .ok_or_else(|| format!("{}: no column \"{field}\" in the header", self.name))?;
        let cell = self.rows.get(row).and_then(|r| r.get(col)).ok_or_else(|| {
            format!(
                "{} row {}: field {field}: missing, expected a value",
                self.name,
                row + 2
            )
        })?;
        Ok(match cell {
            Cow::Borrowed(s) => s.trim(),
            Cow::Owned(s) => leak(s.trim().to_string()),
        })
    }

    fn code(&self, row: usize, field: &str) -> Result<&'static str, String> {
        let s = self.text(row, field)?;
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(s)
        } else {
            Err(format!(
                "{} row {}: field {field}: found \"{s}\", expected a two-digit code",
                self.name,
                row + 2
            ))
        }
    }

    fn flag(&self, row: usize, field: &str) -> Result<bool, String> {
        match self.text(row, field)? {
            "1" => Ok(true),
            "0" | "" => Ok(false),
            other => Err(format!(
                "{} row {}: field {field}: found \"{other}\", expected 0 or 1",
                self.name,
                row + 2
            )),
        }
    }
}

/// Splits CSV text (RFC 4180: quoted fields may hold commas, doubled quotes and newlines) into
/// rows of fields, borrowing where no unescaping is needed. Blank lines are skipped.
/// Errors name the row where an unterminated quote starts.
pub(crate) fn parse_csv(text: &str) -> Result<Vec<Vec<Cow<'_, str>>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bytes = text.as_bytes();
    let mut rows: Vec<Vec<Cow<'_, str>>> = Vec::new();
    let mut row: Vec<Cow<'_, str>> = Vec::new();
    let mut i = 0usize;
    let mut line = 1usize;
    let n = bytes.len();
    loop {
        // one field starting at i
        if i < n && bytes[i] == b'"' {
            let start_line = line;
            let mut buf = String::new();
            let mut j = i + 1;
            let mut seg = j;
            loop {
                match bytes.get(j) {
                    None => return Err(format!("row {start_line}: unterminated quoted field")),
                    Some(b'"') if bytes.get(j + 1) == Some(&b'"') => {
                        buf.push_str(text.get(seg..=j).unwrap_or(""));
                        j += 2;
                        seg = j;
                    }
                    Some(b'"') => {
                        buf.push_str(text.get(seg..j).unwrap_or(""));
                        j += 1;
                        break;
                    }
                    Some(b'\n') => {
                        line += 1;
                        j += 1;
                    }
                    Some(_) => j += 1,
                }
            }
            row.push(Cow::Owned(buf));
            // skip anything up to the next separator (lenient about `"a"b`)
            while j < n && bytes[j] != b',' && bytes[j] != b'\n' {
                j += 1;
            }
            i = j;
        } else {
            let mut j = i;
            while j < n && bytes[j] != b',' && bytes[j] != b'\n' {
                j += 1;
            }
            let field = text.get(i..j).unwrap_or("");
            row.push(Cow::Borrowed(field.strip_suffix('\r').unwrap_or(field)));
            i = j;
        }
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b'\n') => {
                i += 1;
                line += 1;
                let blank = row.len() == 1 && row.first().is_some_and(|f| f.trim().is_empty());
                if !blank {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            _ => {
                let blank = row.len() == 1 && row.first().is_some_and(|f| f.trim().is_empty());
                if !blank {
                    rows.push(row);
                }
                break;
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_load() {
        let r = Registry::from_csv(REGIONS_CSV, CROSSWALK_CSV);
        assert!(r.is_ok(), "{:?}", r.err());
    }

    #[test]
    fn counts_63_and_34() {
        let r = registry();
        assert_eq!(r.provinces(Boundary::P63).len(), 63);
        assert_eq!(r.provinces(Boundary::P34).len(), 34);
        assert_eq!(r.crosswalk().len(), 63);
    }

    #[test]
    fn indices_are_dense_and_codes_unique() {
        let r = registry();
        for b in [Boundary::P63, Boundary::P34] {
            let ps = r.provinces(b);
            for (i, p) in ps.iter().enumerate() {
                assert_eq!(p.index as usize, i);
                assert_eq!(p.boundary, b);
                assert_eq!(p.code.len(), 2);
                assert_eq!(r.index_of(b, p.code), Some(p.index));
                assert_eq!(r.get(b, p.index), Some(p));
            }
            let mut codes: Vec<&str> = ps.iter().map(|p| p.code).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), ps.len(), "duplicate codes in {b:?}");
        }
        // 34 are in ascending code order, 63 in GSO order (Hà Nội, Vĩnh Phúc, …, Cà Mau)
        let p34 = r.provinces(Boundary::P34);
        assert!(p34.windows(2).all(|w| w[0].code < w[1].code));
        let p63 = r.provinces(Boundary::P63);
        assert_eq!(p63[0].code, "01");
        assert_eq!(p63[1].name, "Vĩnh Phúc");
        assert_eq!(p63[62].name, "Cà Mau");
        assert_eq!(r.get(Boundary::P63, 63), None);
        assert_eq!(r.get(Boundary::P34, 34), None);
    }

    #[test]
    fn every_old_maps_to_a_new_and_members_partition() {
        let r = registry();
        let mut seen = vec![0u32; 63];
        for j in 0..34u8 {
            let m = r.members_63(j);
            assert!(!m.is_empty(), "new province {j} has no members");
            for i in m {
                assert_eq!(r.to_34(i), Some(j));
                seen[i as usize] += 1;
            }
        }
        assert!(seen.iter().all(|&c| c == 1));
        assert_eq!(r.to_34(63), None);
        assert!(r.members_63(34).is_empty());
    }

    #[test]
    fn crosswalk_examples() {
        let r = registry();
        let tn34 = r.index_of(Boundary::P34, "19").unwrap();
        for old in ["19", "06"] {
            let i = r.index_of(Boundary::P63, old).unwrap();
            assert_eq!(r.to_34(i), Some(tn34), "old {old}");
        }
        assert_eq!(r.get(Boundary::P34, tn34).unwrap().name, "Thái Nguyên");
        let names: Vec<&str> = r
            .members_63(tn34)
            .iter()
            .map(|i| r.get(Boundary::P63, *i).unwrap().name)
            .collect();
        assert_eq!(names, vec!["Bắc Kạn", "Thái Nguyên"]);
        // HCM = HCM + Bình Dương + Bà Rịa - Vũng Tàu
        let hcm = r.index_of(Boundary::P34, "79").unwrap();
        assert_eq!(r.members_63(hcm).len(), 3);
        // 02 exists only in the 63 version
        assert!(r.by_code(Boundary::P63, "02").is_some());
        assert!(r.by_code(Boundary::P34, "02").is_none());
        assert!(r.by_code(Boundary::P63, "2").is_none());
    }

    #[test]
    fn region_counts_63() {
        let r = registry();
        let count = |reg: Region| {
            r.provinces(Boundary::P63)
                .iter()
                .filter(|p| p.region == reg)
                .count()
        };
        let cases = [
            (Region::Tdmnpb, 14),
            (Region::Dbsh, 11),
            (Region::Btb, 14),
            (Region::Tn, 5),
            (Region::Dnb, 6),
            (Region::Dbscl, 13),
        ];
        for (reg, n) in cases {
            assert_eq!(count(reg), n, "{reg:?}");
        }
    }

    #[test]
    fn region_of_new_province_follows_the_seat() {
        let r = registry();
        let cases = [
            ("52", Region::Btb),    // Gia Lai keeps Bình Định's code
            ("51", Region::Btb),    // Quảng Ngãi (+ Kon Tum)
            ("68", Region::Tn),     // Lâm Đồng (+ Đắk Nông, Bình Thuận)
            ("66", Region::Tn),     // Đắk Lắk (+ Phú Yên)
            ("80", Region::Dbscl),  // Tây Ninh keeps Long An's code
            ("24", Region::Tdmnpb), // Bắc Ninh keeps Bắc Giang's code
            ("01", Region::Dbsh),
        ];
        for (code, reg) in cases {
            let i = r.index_of(Boundary::P34, code).unwrap();
            assert_eq!(r.region_of(Boundary::P34, i), Some(reg), "new {code}");
        }
        assert_eq!(r.region_of(Boundary::P34, 200), None);
    }

    #[test]
    fn policy_flags() {
        let r = registry();
        let p63 = r.provinces(Boundary::P63);
        assert_eq!(p63.iter().filter(|p| p.tt02_ethnic).count(), 31);
        assert_eq!(p63.iter().filter(|p| p.qd353_poor_district).count(), 26);
        assert_eq!(p63.iter().filter(|p| p.qd2086_small_groups).count(), 12);
        // new Thái Nguyên: Bắc Kạn has a poor district, old Thái Nguyên does not
        let tn = r.by_code(Boundary::P34, "19").unwrap();
        assert!(tn.qd353_poor_district);
        let hn = r.by_code(Boundary::P34, "01").unwrap();
        assert!(!hn.tt02_ethnic && !hn.qd353_poor_district && !hn.qd2086_small_groups);
    }

    #[test]
    fn fold_cases() {
        let cases = [
            ("Đắk Lắk", "dak lak"),
            ("  Thái   Nguyên ", "thai nguyen"),
            ("THÁI", "thai"),
            ("Hoà Bình", "hoa binh"),
            ("Hòa Bình", "hoa binh"),
            ("Bà Rịa - Vũng Tàu", "ba ria - vung tau"),
            ("Thừa Thiên Huế", "thua thien hue"),
            ("Quỹ tín dụng", "quy tin dung"),
            ("Ỳ Ý Ỷ Ỹ Ỵ", "y y y y y"),
            ("Tha\u{0301}i", "thai"), // decomposed
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "{input:?}");
        }
        assert_eq!(strip_diacritics("Đắk Lắk"), "Dak Lak");
        assert_eq!(
            registry().by_code(Boundary::P63, "19").unwrap().name_ascii,
            "Thai Nguyen"
        );
    }

    #[test]
    fn search_cases() {
        let r = registry();
        let names = |b, q| r.search(b, q).iter().map(|p| p.name).collect::<Vec<_>>();
        assert_eq!(names(Boundary::P63, "thai nguyen"), vec!["Thái Nguyên"]);
        assert_eq!(
            names(Boundary::P63, "THÁI"),
            vec!["Thái Bình", "Thái Nguyên"]
        );
        assert_eq!(names(Boundary::P34, "THÁI"), vec!["Thái Nguyên"]);
        // prefix of the name ranks before prefix of a later word
        let ninh = names(Boundary::P63, "ninh");
        assert_eq!(ninh.first(), Some(&"Ninh Bình"));
        assert!(ninh.contains(&"Bắc Ninh") && ninh.contains(&"Quảng Ninh"));
        // word prefixes in any order, and by code
        assert_eq!(names(Boundary::P63, "vung ba"), vec!["Bà Rịa - Vũng Tàu"]);
        assert_eq!(names(Boundary::P63, "19"), vec!["Thái Nguyên"]);
        assert_eq!(names(Boundary::P63, "8"), vec!["Tuyên Quang"]); // one-digit code is padded
        assert!(names(Boundary::P63, "xyz").is_empty());
        assert_eq!(r.search(Boundary::P34, "").len(), 34);
    }

    #[test]
    fn normalise_code_cases() {
        let cases = [
            ("9", Some("09")),
            ("19", Some("19")),
            (" 1 ", Some("01")),
            ("", None),
            ("123", None),
            ("a1", None),
        ];
        for (input, want) in cases {
            assert_eq!(normalise_code(input).as_deref(), want, "{input:?}");
        }
    }

    #[test]
    fn bad_tables_are_errors_not_panics() {
        let header = "old_code,old_name,gso_region_6,gso_order,new_code,new_name,tt02_2022_art53_difficult_ethnic_groups_31prov,qd353_2022_has_poor_district_26prov,qd2086_2016_very_small_ethnic_groups_12prov\n";
        let bad_region = format!("{header}01,Hà Nội,Atlantis,1,01,Hà Nội,0,0,0\n");
        let e = Registry::from_csv(leak(bad_region), CROSSWALK_CSV).unwrap_err();
        assert!(
            e.contains("row 2") && e.contains("gso_region_6") && e.contains("Atlantis"),
            "{e}"
        );
        let bad_code = format!("{header}1,Hà Nội,Đồng bằng sông Hồng,1,01,Hà Nội,0,0,0\n");
        let e = Registry::from_csv(leak(bad_code), CROSSWALK_CSV).unwrap_err();
        assert!(e.contains("old_code") && e.contains("two-digit"), "{e}");
        let e =
            Registry::from_csv(REGIONS_CSV, "old_code,new_code,new_name\n\"01,01,x\n").unwrap_err();
        assert!(e.contains("unterminated"), "{e}");
        let e = Registry::from_csv(REGIONS_CSV, "old_code,new_code,new_name\n01,01,Hà Nội\n")
            .unwrap_err();
        assert!(e.contains("no row for old province"), "{e}");
        assert!(Registry::from_csv("", "").is_err());
    }

    #[test]
    fn csv_splitter_handles_quotes() {
        let rows = parse_csv("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\n1,\"two\nlines\",3").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], vec!["a", "b, c", "say \"hi\""]);
        assert_eq!(rows[1], vec!["1", "two\nlines", "3"]);
    }
}
