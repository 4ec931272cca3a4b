//! Row-level checks that need more than one cell: province codes against the file's boundary
//! version, duplicate ids within a year, value ranges, and warnings for suspicious values.
//!
//! The parser checks each cell's type as it streams; these checks run once the columns exist.
//! They are public so the CSV importer (and anyone building [`Entities`] by hand) applies exactly
//! the same rules as the JSON parser.
//!
//! Errors refuse the file; warnings flag values that are possible but probably typing mistakes
//! (the thresholds are in `docs/dataset-format.md`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::columns::{Entities, MISSING, NONE};
use super::error::{quote, Issue, Phrase, Report};
use super::format::number;
use super::field::Field;
use super::provinces::registry;
use super::vocab::{Boundary, Kind, Lang, Ntm, Sector, Stage};

/// Earliest accepted year (cooperative statistics start well after it).
pub const YEAR_MIN: u16 = 1990;
/// Latest accepted year.
pub const YEAR_MAX: u16 = 2100;
/// Above this many workers in one unit, a warning (the largest cooperatives have a few thousand).
pub const WORKERS_WARN: u32 = 100_000;
/// Above this many members in one unit, a warning (large credit funds have tens of thousands).
pub const MEMBERS_WARN: u32 = 1_000_000;
/// Below this monthly income (VND), a warning: probably typed in thousands or millions.
pub const INCOME_LOW_WARN: f64 = 500_000.0;
/// Above this monthly income (VND), a warning: probably a yearly or total figure.
pub const INCOME_HIGH_WARN: f64 = 200_000_000.0;
/// Longest accepted id, in characters.
pub const ID_MAX_CHARS: usize = 64;

/// The 64-bit FxHash multiply-rotate hasher: ids are short and not adversarial (a hostile file can
/// only slow its own check down), and SipHash would be most of the cost of duplicate detection on
/// a million rows.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let mut last = 0u64;
        for (k, &b) in chunks.remainder().iter().enumerate() {
            last |= u64::from(b) << (8 * k);
        }
        self.add(last ^ bytes.len() as u64);
    }

    fn write_u16(&mut self, v: u16) {
        self.add(u64::from(v));
    }

    fn write_u8(&mut self, v: u8) {
        self.add(u64::from(v));
    }

    fn write_usize(&mut self, v: usize) {
        self.add(v as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// For each two-digit code number 0–99, its index in `boundary`, or [`NONE`].
pub fn code_table(boundary: Boundary) -> [u8; 100] {
    let reg = registry();
    let mut t = [NONE; 100];
    for p in reg.provinces(boundary) {
        if let Ok(n) = p.code.parse::<usize>() {
            if let Some(slot) = t.get_mut(n) {
                *slot = p.index;
            }
        }
    }
    t
}

/// What a province code must be in `boundary`: one of the list's codes.
fn province_code_expected(boundary: Boundary) -> Phrase {
    let reg = registry();
    let mut codes: Vec<&str> = reg.provinces(boundary).iter().map(|p| p.code).collect();
    super::order::sort(&mut codes);
    let codes = codes.join(", ");
    let list = boundary_words(boundary);
    Phrase::new(
        format!("a province code of {}: one of {codes}", list.en),
        format!("mã tỉnh trong {}: một trong {codes}", list.vi),
    )
}

/// The province list of a boundary version, as messages name it.
fn boundary_words(b: Boundary) -> Phrase {
    match b {
        Boundary::P63 => Phrase::new("the 63-province list (codes before 1 July 2025)", "danh sách 63 tỉnh (mã trước 1/7/2025)"),
        Boundary::P34 => Phrase::new("the 34-province list (codes from 1 July 2025)", "danh sách 34 tỉnh (mã từ 1/7/2025)"),
    }
}

/// Explains a province code that is not in `boundary`: whether it belongs to the other version, or
/// to neither (then the accepted codes are listed).
pub fn province_code_issue(code: &str, boundary: Boundary) -> Issue {
    let reg = registry();
    let other = boundary.other();
    if reg.by_code(other, code).is_some() {
        let (theirs, ours) = (boundary_words(other), boundary_words(boundary));
        let (n, m) = (boundary.number(), other.number());
        Issue::error(
            Phrase::new(
                format!("{} (a code of {})", quote(code), theirs.en),
                format!("{} là mã theo {}", quote(code), theirs.vi),
            ),
            Phrase::new(
                format!("a code of {} as meta.boundary says {n}; set \"boundary\": {m} or convert the codes", ours.en),
                format!("mã theo {} vì tệp khai báo `\"boundary\": {n}`; hãy sửa thành `\"boundary\": {m}` hoặc đổi mã", ours.vi),
            ),
        )
    } else {
        Issue::error(Phrase::quoted(code), province_code_expected(boundary))
    }
}

/// Turns raw two-digit code numbers (as the parser stores them) into dense indices of `boundary`,
/// in place, reporting codes that are not in that version. [`NONE`] cells (already reported as
/// missing or malformed) stay [`NONE`].
pub fn resolve_provinces(codes: &mut [u8], boundary: Boundary, report: &mut Report) {
    let table = code_table(boundary);
    for (i, c) in codes.iter_mut().enumerate() {
        if *c == NONE {
            continue;
        }
        let idx = table.get(*c as usize).copied().unwrap_or(NONE);
        if idx == NONE {
            let code = format!("{:02}", *c);
            report.error_with(|| {
                province_code_issue(&code, boundary)
                    .at_row(i + 1)
                    .in_field("province")
            });
        }
        *c = idx;
    }
}

/// Reports an id used twice within the same year (the second and later uses), naming the row of
/// the first use. Rows with an empty id (already reported as missing) are skipped.
pub fn check_duplicates(e: &Entities, report: &mut Report) {
    let n = e.len();
    let mut seen: FxMap<(u16, &str), u32> = FxMap::default();
    seen.reserve(n);
    for i in 0..n {
        let id = e.id(i);
        if id.is_empty() {
            continue;
        }
        let year = e.year.get(i).copied().unwrap_or(0);
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(&first) = seen.get(&(year, id)) {
            report.error_with(|| duplicate_id(id, year, first as usize).at_row(i + 1));
        } else {
            seen.insert((year, id), row);
        }
    }
}

/// An id used a second time within `year`, already used in row `first` (the issue names the
/// field; the caller sets the row).
pub fn duplicate_id(id: &str, year: u16, first: usize) -> Issue {
    Issue::error(
        Phrase::quoted(id),
        Phrase::new(
            format!("an id used once in {year}; it is already used in row {first}"),
            format!("một mã khác: mã này đã dùng ở hàng {first} (mỗi đơn vị một mã riêng trong năm {year})"),
        ),
    )
    .in_field("id")
}

/// Warns about values that are possible but probably mistakes: more than [`WORKERS_WARN`]
/// workers or [`MEMBERS_WARN`] members in one unit, a monthly income outside
/// [`INCOME_LOW_WARN`]–[`INCOME_HIGH_WARN`] VND, more 5-star products than rated products.
pub fn check_suspicious(e: &Entities, report: &mut Report) {
    for i in 0..e.len() {
        let workers = e.workers.get(i).copied().unwrap_or(MISSING);
        if workers != MISSING && workers > WORKERS_WARN {
            report.warning_with(|| {
                Issue::warning(
                    Phrase::same(workers.to_string()),
                    Phrase::new(
                        format!("at most {WORKERS_WARN} workers in one unit (is it a total of several units?)"),
                        format!("xem lại: một đơn vị hiếm khi có quá {} lao động (có phải đây là tổng của nhiều đơn vị?)", number(f64::from(WORKERS_WARN), 0, Lang::Vi)),
                    ),
                )
                .at_row(i + 1)
                .in_field("workers")
            });
        }
        let members = e.members.get(i).copied().unwrap_or(MISSING);
        if members != MISSING && members > MEMBERS_WARN {
            report.warning_with(|| {
                Issue::warning(
                    Phrase::same(members.to_string()),
                    Phrase::new(
                        format!("at most {MEMBERS_WARN} members in one unit"),
                        format!("xem lại: một đơn vị hiếm khi có quá {} thành viên", number(f64::from(MEMBERS_WARN), 0, Lang::Vi)),
                    ),
                )
                .at_row(i + 1)
                .in_field("members")
            });
        }
        if let Some(income) = e.income(i) {
            if !(INCOME_LOW_WARN..=INCOME_HIGH_WARN).contains(&income) {
                report.warning_with(|| {
                    Issue::warning(
                        Phrase::same(format!("{income}")),
                        Phrase::new(
                            "a monthly income per worker between 500,000 and 200,000,000 VND (is it in thousands, or yearly?)",
                            "xem lại: thu nhập bình quân thường từ 500.000 đến 200.000.000 đồng mỗi người mỗi tháng (có phải số này tính bằng nghìn đồng, hay cho cả năm?)",
                        ),
                    )
                    .at_row(i + 1)
                    .in_field("income")
                });
            }
        }
        if let (Some(five), Some(rated)) = (e.ocop_5star(i), e.ocop_products(i)) {
            if five > rated {
                report.warning_with(|| {
                    Issue::warning(
                        Phrase::new(
                            format!("{five} 5-star products but {rated} rated products"),
                            format!("{five} sản phẩm 5 sao nhưng chỉ {rated} sản phẩm OCOP được xếp hạng"),
                        ),
                        Phrase::new(
                            "at most as many 5-star products as OCOP-rated products",
                            "xem lại: số sản phẩm 5 sao không thể nhiều hơn số sản phẩm được xếp hạng",
                        ),
                    )
                    .at_row(i + 1)
                    .in_field("ocop_5star")
                });
            }
        }
    }
}

/// Checks columns built by hand (CSV import, tests) with the parser's rules: province indices in
/// range for `boundary`, years 1990–2100, a kind on every row, valid codes, OCOP star 0–5, ids of
/// 1–64 characters, no duplicate id within a year; plus the suspicious-value warnings.
pub fn entities(e: &Entities, boundary: Boundary) -> Report {
    let mut report = Report::new();
    let n_prov = registry().provinces(boundary).len();
    for i in 0..e.len() {
        let row = i + 1;
        let id = e.id(i);
        let chars = id.chars().count();
        if chars == 0 || chars > ID_MAX_CHARS {
            report.error_with(|| {
                Issue::error(Phrase::quoted(id), Field::Id.expected())
                    .at_row(row)
                    .in_field(Field::Id.code())
            });
        }
        let p = e.province.get(i).copied().unwrap_or(NONE);
        if p as usize >= n_prov {
            report.error_with(|| {
                let list = boundary_words(boundary);
                Issue::error(
                    if p == NONE {
                        Phrase::nothing()
                    } else {
                        Phrase::new(format!("province index {p}"), format!("chỉ số tỉnh {p}"))
                    },
                    Phrase::new(format!("a province of {}", list.en), format!("một tỉnh trong {}", list.vi)),
                )
                .at_row(row)
                .in_field("province")
            });
        }
        let y = e.year.get(i).copied().unwrap_or(0);
        if !(YEAR_MIN..=YEAR_MAX).contains(&y) {
            report.error_with(|| {
                Issue::error(Phrase::same(y.to_string()), Field::Year.expected())
                    .at_row(row)
                    .in_field(Field::Year.code())
            });
        }
        let k = e.kind.get(i).copied().unwrap_or(NONE);
        if Kind::from_index(k).is_none() {
            report.error_with(|| {
                Issue::error(Phrase::nothing(), Field::Kind.expected())
                    .at_row(row)
                    .in_field(Field::Kind.code())
            });
        }
        let code_checks: [(u8, usize, &str); 3] = [
            (
                e.sector.get(i).copied().unwrap_or(NONE),
                Sector::ALL.len(),
                "sector",
            ),
            (e.ntm.get(i).copied().unwrap_or(NONE), Ntm::ALL.len(), "ntm"),
            (
                e.stage.get(i).copied().unwrap_or(NONE),
                Stage::ALL.len(),
                "stage",
            ),
        ];
        for (code, len, field) in code_checks {
            if code != NONE && code as usize >= len {
                report.error_with(|| {
                    Issue::error(
                        Phrase::new(format!("code index {code}"), format!("chỉ số mã {code}")),
                        Phrase::new("a known code", "một mã đã biết"),
                    )
                        .at_row(row)
                        .in_field(field)
                });
            }
        }
        let star = e.ocop_star.get(i).copied().unwrap_or(NONE);
        if star != NONE && star > 5 {
            report.error_with(|| {
                Issue::error(Phrase::same(star.to_string()), Field::OcopStar.expected())
                    .at_row(row)
                    .in_field(Field::OcopStar.code())
            });
        }
        for (v, field) in [(e.income(i), Field::Income), (e.revenue(i), Field::Revenue)] {
            if let Some(v) = v {
                if !(v >= 0.0 && v.is_finite()) {
                    report.error_with(|| {
                        Issue::error(Phrase::same(format!("{v}")), field.expected())
                            .at_row(row)
                            .in_field(field.code())
                    });
                }
            }
        }
    }
    check_duplicates(e, &mut report);
    check_suspicious(e, &mut report);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::columns::Row;

    fn ents(rows: &[Row]) -> Entities {
        let mut e = Entities::new();
        for r in rows {
            e.push(r);
        }
        e
    }

    #[test]
    fn resolves_and_explains_province_codes() {
        // 19 exists in both versions, 02 (Hà Giang) only in the 63, 99 in neither.
        let mut codes = vec![19, 2, 99, NONE];
        let mut report = Report::new();
        resolve_provinces(&mut codes, Boundary::P34, &mut report);
        assert_eq!(
            codes[0],
            registry().index_of(Boundary::P34, "19").unwrap_or(NONE)
        );
        assert_eq!(&codes[1..], &[NONE, NONE, NONE]);
        assert_eq!(report.error_count(), 2);
        let msg = report.errors[0].to_string();
        assert!(msg.starts_with("row 2, field \"province\""), "{msg}");
        assert!(msg.contains("63-province"), "{msg}");
        let msg = report.errors[1].to_string();
        assert!(msg.contains("\"99\"") && msg.contains("one of 01"), "{msg}");
    }

    #[test]
    fn duplicates_within_a_year_only() {
        let e = ents(&[
            Row::new("A", 0, 2023, Kind::Htx),
            Row::new("A", 0, 2024, Kind::Htx),
            Row::new("B", 0, 2024, Kind::Htx),
            Row::new("A", 1, 2024, Kind::Tht),
        ]);
        let mut r = Report::new();
        check_duplicates(&e, &mut r);
        assert_eq!(r.error_count(), 1);
        assert_eq!(r.errors[0].row, Some(4));
        assert!(r.errors[0].expected.en.contains("row 2"));
    }

    #[test]
    fn suspicious_values_warn() {
        let mut cases = Vec::new();
        let mut a = Row::new("a", 0, 2024, Kind::Htx);
        a.workers = Some(150_000);
        cases.push((a, "workers"));
        let mut b = Row::new("b", 0, 2024, Kind::Htx);
        b.income = Some(4_500.0);
        cases.push((b, "income"));
        let mut c = Row::new("c", 0, 2024, Kind::Htx);
        c.income = Some(900_000_000.0);
        cases.push((c, "income"));
        let mut d = Row::new("d", 0, 2024, Kind::Htx);
        d.ocop_products = Some(1);
        d.ocop_5star = Some(2);
        cases.push((d, "ocop_5star"));
        let mut m = Row::new("m", 0, 2024, Kind::Qtdnd);
        m.members = Some(2_000_000);
        cases.push((m, "members"));
        for (row, field) in cases {
            let mut r = Report::new();
            check_suspicious(&ents(&[row]), &mut r);
            assert_eq!(r.warning_count(), 1, "{field}");
            assert!(!r.has_errors());
            assert_eq!(r.warnings[0].field.as_deref(), Some(field));
        }
        let mut ok = Row::new("ok", 0, 2024, Kind::Htx);
        ok.income = Some(6_000_000.0);
        ok.workers = Some(30);
        let mut r = Report::new();
        check_suspicious(&ents(&[ok]), &mut r);
        assert!(r.is_empty());
    }

    #[test]
    fn hand_built_columns_are_checked() {
        let mut bad_year = Row::new("y", 0, 1850, Kind::Htx);
        bad_year.ocop_star = Some(7);
        let no_kind = Row {
            kind: None,
            ..Row::new("k", 0, 2020, Kind::Htx)
        };
        let bad_prov = Row::new("p", 40, 2020, Kind::Htx);
        let r = entities(
            &ents(&[
                bad_year,
                no_kind,
                bad_prov,
                Row::new("", 0, 2020, Kind::Htx),
            ]),
            Boundary::P34,
        );
        let fields: Vec<_> = r
            .errors
            .iter()
            .map(|i| (i.row, i.field.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (Some(1), "year".to_string()),
                (Some(1), "ocop_star".to_string()),
                (Some(2), "kind".to_string()),
                (Some(3), "province".to_string()),
                (Some(4), "id".to_string()),
            ]
        );
    }

    #[test]
    fn fx_hasher_spreads_short_keys() {
        use std::hash::Hash;
        let mut hashes = std::collections::HashSet::new();
        for i in 0..1000 {
            let mut h = FxHasher::default();
            (2024u16, format!("HTX-{i}").as_str()).hash(&mut h);
            hashes.insert(h.finish());
        }
        assert_eq!(hashes.len(), 1000);
    }
}
