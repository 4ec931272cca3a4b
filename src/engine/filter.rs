//! The user's filter (years, area, kinds, sectors, flags) and the row mask it selects.
//!
//! A filter is plain data (it lives in the URL); [`Filter::compile`] turns it into lookup tables
//! and bit masks once, so testing a row in the hot loop is a handful of array reads and `&`s.
//!
//! Areas are chosen in the *view* boundary: a 63-coded dataset viewed in 34 provinces maps every
//! row's province through the 2025 crosswalk before the region and province tests, so picking
//! "Thái Nguyên (34)" selects the rows of Thái Nguyên and Bắc Kạn (63). A 34-coded dataset cannot
//! be split back into the 63 provinces: it is always viewed in 34, and 63-province choices are
//! mapped to the 34-provinces that contain them (see [`Filter::effective_view`]).

use super::columns::{get_flag, Entities, NONE};
use super::dataset::{Dataset, Subset};
use super::provinces::registry;
use super::vocab::{Boundary, Region};

/// What the user selected. `Filter::default()` passes every row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Inclusive year range.
    pub years: Option<(u16, u16)>,
    /// One GSO region (in the view boundary).
    pub region: Option<Region>,
    /// Province indices in the `view` boundary (empty: all).
    pub provinces: Vec<u8>,
    /// The boundary version the user looks at (63 or 34 provinces).
    pub view: Boundary,
    /// Which rows, by their attributes (kinds, sectors, NTM, stages, yes/no flags, OCOP stars): the
    /// same type an indicator's `of` and `where` use, so the list of attributes is written once.
    /// A non-empty code list drops rows without that code; a required flag drops rows where it is
    /// not known.
    pub rows: Subset,
}

impl Filter {
    /// Whether the filter selects every row, whatever the view (lets hot paths skip the test).
    pub fn is_all(&self) -> bool {
        Filter {
            view: Boundary::default(),
            ..self.clone()
        } == Filter::default()
    }

    /// The boundary results are shown in: the requested view, except that a 34-coded dataset
    /// cannot be shown in 63 provinces (the merger cannot be undone), so it stays in 34.
    pub fn effective_view(&self, dataset: Boundary) -> Boundary {
        match (dataset, self.view) {
            (Boundary::P34, Boundary::P63) => Boundary::P34,
            (_, v) => v,
        }
    }

    /// The row attributes of the filter as a predicate.
    pub fn predicate(&self) -> Predicate {
        Predicate::from_subset(&self.rows)
    }

    /// Compiles the filter for one dataset: province/region tables, year bounds, code masks.
    pub fn compile(&self, ds: &Dataset) -> Compiled {
        let geo = Geo::new(ds.meta.boundary, self.effective_view(ds.meta.boundary));
        let view_provinces: Vec<u8> = if self.view == geo.view {
            self.provinces.clone()
        } else {
            // A 34 dataset with 63-province choices: select the 34-provinces containing them.
            let reg = registry();
            self.provinces
                .iter()
                .filter_map(|&p| reg.to_34(p))
                .collect()
        };
        let mut province_ok = [true; 256];
        let geo_all = self.region.is_none() && view_provinces.is_empty();
        if !geo_all {
            for (p, ok) in province_ok.iter_mut().enumerate() {
                let v = geo.view_index[p];
                let r = geo.region_index[p];
                let region_ok = self.region.is_none_or(|want| r == want.index());
                let prov_ok =
                    view_provinces.is_empty() || (v != NONE && view_provinces.contains(&v));
                *ok = v != NONE && region_ok && prov_ok;
            }
        }
        let (y0, y1) = self.years.unwrap_or((0, u16::MAX));
        let predicate = self.predicate();
        Compiled {
            all: self.is_all(),
            years: (y0, y1),
            geo_all,
            province_ok,
            predicate,
            geo,
        }
    }

    /// The rows the filter selects, as a bit set.
    pub fn mask(&self, ds: &Dataset) -> Mask {
        let c = self.compile(ds);
        let e = &ds.entities;
        let n = e.len();
        let mut bits = vec![0u64; n.div_ceil(64)];
        let mut count = 0;
        for i in 0..n {
            if c.matches(e, i) {
                if let Some(w) = bits.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
                count += 1;
            }
        }
        Mask {
            bits,
            count,
            len: n,
        }
    }

    /// The ids (0-based row numbers) of the rows the filter selects.
    pub fn row_ids(&self, ds: &Dataset) -> Vec<u32> {
        self.mask(ds).iter().map(|i| i as u32).collect()
    }
}

/// Where each province of a dataset lands in a view: its province index and region there.
#[derive(Clone, Debug)]
pub struct Geo {
    /// The dataset's boundary.
    pub data: Boundary,
    /// The boundary results are shown in.
    pub view: Boundary,
    /// Dataset province index → view province index ([`NONE`] when unknown).
    pub view_index: [u8; 256],
    /// Dataset province index → region index in the view ([`NONE`] when unknown).
    pub region_index: [u8; 256],
}

impl Geo {
    /// The tables for a dataset boundary and a view (`P34` → `P63` is not possible and falls back
    /// to `P34`, see [`Filter::effective_view`]).
    pub fn new(data: Boundary, view: Boundary) -> Geo {
        let view = if data == Boundary::P34 {
            Boundary::P34
        } else {
            view
        };
        let reg = registry();
        let mut view_index = [NONE; 256];
        let mut region_index = [NONE; 256];
        for p in reg.provinces(data) {
            let v = if data == view {
                Some(p.index)
            } else {
                reg.to_34(p.index)
            };
            if let (Some(v), Some(slot)) = (v, view_index.get_mut(p.index as usize)) {
                *slot = v;
                if let (Some(r), Some(rs)) = (
                    reg.region_of(view, v),
                    region_index.get_mut(p.index as usize),
                ) {
                    *rs = r.index();
                }
            }
        }
        Geo {
            data,
            view,
            view_index,
            region_index,
        }
    }

    /// View province index of a dataset province index.
    pub fn view_of(&self, p: u8) -> u8 {
        self.view_index[p as usize]
    }

    /// Region index (in the view) of a dataset province index.
    pub fn region_of(&self, p: u8) -> u8 {
        self.region_index[p as usize]
    }
}

/// Which provinces and regions of a view a dataset has figures for: a row of its entities (any
/// year, any kind) or a published observation.
///
/// Why: a count over provinces the dataset does not cover is not zero, it is unknown. The
/// illustrative dataset covers 28 provinces; a view of Thái Bình must say "no data", not "0
/// cooperatives", and a comparison of regions must not list a region the file never mentions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// The boundary the indices are in (the effective view, see [`Filter::effective_view`]).
    pub view: Boundary,
    /// By view province index: whether the dataset has figures there.
    pub provinces: Vec<bool>,
    /// By region index: whether the dataset has figures in the region (in one of its provinces,
    /// or published for the region itself).
    pub regions: Vec<bool>,
}

impl Coverage {
    /// The coverage of `ds` seen in `view` (falls back like [`Filter::effective_view`]). Read off
    /// the row index's buckets, or one pass over the province column of a table without one.
    pub fn of(ds: &Dataset, view: Boundary) -> Coverage {
        let filter = Filter { view, ..Filter::default() };
        let geo = Geo::new(ds.meta.boundary, filter.effective_view(ds.meta.boundary));
        let reg = registry();
        let mut provinces = vec![false; reg.provinces(geo.view).len()];
        let mut regions = vec![false; Region::ALL.len()];
        let mut seen = [false; 256];
        // A clustered table's index names the provinces with rows (a few hundred buckets
        // instead of a million rows: the cards and the table ask on every view).
        match ds.entities.index() {
            Some(index) => index.buckets().for_each(|(_, _, p, _, _)| seen[p as usize] = true),
            None => ds.entities.province.iter().for_each(|&p| seen[p as usize] = true),
        }
        for o in &ds.observations {
            match o.area {
                super::dataset::Area::Province(p) => seen[p as usize] = true,
                super::dataset::Area::Region(r) => {
                    if let Some(slot) = regions.get_mut(r.index() as usize) {
                        *slot = true;
                    }
                }
                super::dataset::Area::National => {}
            }
        }
        for (p, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
            let v = geo.view_of(p as u8);
            if let Some(slot) = provinces.get_mut(v as usize) {
                *slot = true;
            }
            if let Some(slot) = regions.get_mut(geo.region_of(p as u8) as usize) {
                *slot = true;
            }
        }
        Coverage { view: geo.view, provinces, regions }
    }

    /// Whether the dataset has figures for view province `index`.
    pub fn province(&self, index: u8) -> bool {
        self.provinces.get(index as usize).copied().unwrap_or(false)
    }

    /// Whether the dataset has figures in `region`.
    pub fn region(&self, region: Region) -> bool {
        self.regions.get(region.index() as usize).copied().unwrap_or(false)
    }

    /// Whether the areas `f` selects hold any of the dataset's figures: one of its provinces is
    /// covered, or its region is, or it selects no area. Provinces chosen in 63 over a 34-coded
    /// dataset count through the 34-province that contains them.
    pub fn covers(&self, f: &Filter) -> bool {
        if !f.provinces.is_empty() {
            let reg = registry();
            return f.provinces.iter().any(|&p| {
                let v = if f.view == self.view { Some(p) } else { reg.to_34(p) };
                v.is_some_and(|v| self.province(v))
            });
        }
        f.region.is_none_or(|r| self.region(r))
    }
}

/// Three-valued outcome of testing a row: a share leaves out rows whose tested field is unknown
/// rather than counting them as "no".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    /// The row matches.
    Yes,
    /// The row does not match.
    No,
    /// A tested field is missing.
    Unknown,
}

/// A compiled [`Subset`]: code sets as bit masks (bit 31 stands for "missing"), booleans as
/// known/value bits of the flags byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Predicate {
    kind: u32,
    sector: u32,
    ntm: u32,
    stage: u32,
    flag_known: u8,
    flag_value: u8,
    ocop_min: u8,
    all: bool,
    /// Only kinds are restricted (the commonest `of` of a built-in: "cooperatives"): one mask test.
    kind_only: bool,
}

fn bit(code: u8) -> u32 {
    1u32 << (code & 31)
}

fn code_mask(codes: impl Iterator<Item = u8>) -> u32 {
    let mut m = 0;
    let mut any = false;
    for c in codes {
        m |= bit(c);
        any = true;
    }
    if any {
        m
    } else {
        u32::MAX
    }
}

impl Predicate {
    /// Compiles a subset.
    pub fn from_subset(s: &Subset) -> Predicate {
        use super::columns::flag;
        let mut known = 0u8;
        let mut value = 0u8;
        for (k, v) in [
            (flag::HIGH_TECH, s.high_tech),
            (flag::VALUE_CHAIN, s.value_chain),
            (flag::TRADEMARK, s.trademark),
            (flag::ETHNIC_AREA, s.ethnic_area),
        ] {
            if let Some(b) = v {
                known |= 1 << k;
                if b {
                    value |= 1 << k;
                }
            }
        }
        Predicate {
            kind: code_mask(s.kinds.iter().map(|k| k.index())),
            sector: code_mask(s.sectors.iter().map(|k| k.index())),
            ntm: code_mask(s.ntm.iter().map(|k| k.index())),
            stage: code_mask(s.stage.iter().map(|k| k.index())),
            flag_known: known,
            flag_value: value,
            ocop_min: s.ocop_star_min.unwrap_or(0),
            all: s.is_all(),
            kind_only: !s.kinds.is_empty()
                && s.sectors.is_empty()
                && s.ntm.is_empty()
                && s.stage.is_empty()
                && known == 0
                && s.ocop_star_min.unwrap_or(0) == 0,
        }
    }

    /// Whether the predicate imposes nothing.
    pub fn is_all(&self) -> bool {
        self.all
    }

    /// Tests row `i`; `Unknown` when a tested field is missing and no other test already failed.
    pub fn eval(&self, e: &Entities, i: usize) -> Tri {
        if self.all {
            return Tri::Yes;
        }
        let mut unknown = false;
        for (mask, col) in [
            (self.kind, &e.kind),
            (self.sector, &e.sector),
            (self.ntm, &e.ntm),
            (self.stage, &e.stage),
        ] {
            if mask != u32::MAX {
                let c = col.get(i).copied().unwrap_or(NONE);
                if c == NONE {
                    unknown = true;
                } else if mask & bit(c) == 0 {
                    return Tri::No;
                }
            }
        }
        if self.flag_known != 0 {
            let f = e.flags.get(i).copied().unwrap_or(0);
            let k = self.flag_known;
            let known_here = f & k;
            if (f >> 4) & known_here != self.flag_value & known_here {
                return Tri::No;
            }
            if known_here != k {
                unknown = true;
            }
        }
        if self.ocop_min > 0 {
            let s = e.ocop_star.get(i).copied().unwrap_or(NONE);
            if s == NONE {
                unknown = true;
            } else if s < self.ocop_min {
                return Tri::No;
            }
        }
        if unknown {
            Tri::Unknown
        } else {
            Tri::Yes
        }
    }

    /// Whether row `i` surely matches (unknown counts as no, as in a filter). Inlined with fast
    /// paths for "everything" and "these kinds": it runs once per row and indicator.
    #[inline(always)]
    pub fn test(&self, e: &Entities, i: usize) -> bool {
        if self.all {
            return true;
        }
        if self.kind_only {
            let k = e.kind.get(i).copied().unwrap_or(NONE);
            return k != NONE && self.kind & bit(k) != 0;
        }
        self.eval(e, i) == Tri::Yes
    }
}

/// A filter compiled for one dataset (see [`Filter::compile`]).
#[derive(Clone, Debug)]
pub struct Compiled {
    all: bool,
    years: (u16, u16),
    geo_all: bool,
    province_ok: [bool; 256],
    predicate: Predicate,
    /// The province and region tables of the view.
    pub geo: Geo,
}

impl Compiled {
    /// Whether every row passes.
    pub fn is_all(&self) -> bool {
        self.all
    }

    /// Whether row `i` passes the filter.
    #[inline]
    pub fn matches(&self, e: &Entities, i: usize) -> bool {
        if self.all {
            return true;
        }
        let y = e.year.get(i).copied().unwrap_or(0);
        if y < self.years.0 || y > self.years.1 {
            return false;
        }
        if !self.geo_all {
            let p = e.province.get(i).copied().unwrap_or(NONE);
            if !self.province_ok[p as usize] {
                return false;
            }
        }
        self.predicate.test(e, i)
    }

    /// Whether an area passes the geographic part of the filter (for observations): a dataset
    /// province index.
    pub fn province_passes(&self, p: u8) -> bool {
        self.geo_all || self.province_ok[p as usize]
    }

    /// Whether the filter restricts areas at all.
    pub fn has_area_filter(&self) -> bool {
        !self.geo_all
    }

    /// Whether a year passes.
    pub fn year_passes(&self, y: u16) -> bool {
        y >= self.years.0 && y <= self.years.1
    }

    /// Whether the filter tests rows only by year, kind, province and region, so that every row
    /// of a (year, kind, province) bucket passes or fails together: then a computation may add up
    /// [partial sums](super::sums) instead of reading rows.
    pub fn bucket_exact(&self) -> bool {
        let p = &self.predicate;
        self.all
            || p.all
            || (p.sector == u32::MAX && p.ntm == u32::MAX && p.stage == u32::MAX && p.flag_known == 0 && p.ocop_min == 0)
    }

    /// Whether the rows of a bucket pass (meaningful when [`Compiled::bucket_exact`]): its year,
    /// its province (dataset index) and its kind slot ([`super::index::KIND_SLOTS`]; the last is
    /// "no kind", which never passes a kind test).
    pub fn bucket_passes(&self, year: u16, kind_slot: u8, province: u8) -> bool {
        use super::index::is_missing_kind_slot;
        if self.all {
            return true;
        }
        let kind_ok = self.predicate.kind == u32::MAX
            || (!is_missing_kind_slot(kind_slot as usize) && self.predicate.kind & bit(kind_slot) != 0);
        kind_ok && self.year_passes(year) && self.province_passes(province)
    }

    /// Calls `f` on every row that passes, once each, in stored order. On a clustered table the
    /// rows come from the index's ranges for the years, kinds and provinces the filter allows (a
    /// one-year filter over six years reads a sixth of the table, as contiguous ranges), and when
    /// the filter restricts nothing else, no row is tested at all. Otherwise every row (or every
    /// row of those ranges) is tested with [`Compiled::matches`].
    #[inline]
    pub fn for_each_match(&self, e: &Entities, mut f: impl FnMut(usize)) {
        use super::index::{is_missing_kind_slot, KIND_SLOTS};
        if self.all {
            for i in 0..e.len() {
                f(i);
            }
            return;
        }
        let Some(index) = e.index() else {
            for i in 0..e.len() {
                if self.matches(e, i) {
                    f(i);
                }
            }
            return;
        };
        let mut kind_ok = [true; KIND_SLOTS];
        if self.predicate.kind != u32::MAX {
            for (k, ok) in kind_ok.iter_mut().enumerate() {
                // A row without a kind never passes a kind test (unknown counts as no).
                *ok = !is_missing_kind_slot(k) && self.predicate.kind & bit(k as u8) != 0;
            }
        }
        let provinces = if self.geo_all { None } else { Some(&self.province_ok) };
        // The index selects exactly by year, kind and province; anything else is tested per row.
        let p = &self.predicate;
        let exact = p.sector == u32::MAX
            && p.ntm == u32::MAX
            && p.stage == u32::MAX
            && p.flag_known == 0
            && p.ocop_min == 0;
        if exact {
            index.for_each(self.years, &kind_ok, provinces, f);
        } else {
            index.for_each(self.years, &kind_ok, provinces, |i| {
                if self.matches(e, i) {
                    f(i);
                }
            });
        }
    }
}

/// A set of selected rows as bits, with its count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mask {
    bits: Vec<u64>,
    count: usize,
    len: usize,
}

impl Mask {
    /// Number of selected rows.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Number of rows of the dataset.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the dataset had no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether row `i` is selected.
    pub fn contains(&self, i: usize) -> bool {
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The selected rows in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let t = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + t)
            })
        })
    }
}

/// Reads a boolean flag of a flags byte (re-exported for callers testing rows by hand).
pub fn flag_of(flags: u8, k: u8) -> Option<bool> {
    get_flag(flags, k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::columns::Row;
    use crate::engine::vocab::{Kind, Sector};

    #[test]
    fn fast_paths_of_test_agree_with_eval() {
        let mut e = Entities::new();
        for (i, k) in [Some(Kind::Htx), Some(Kind::Tht), None, Some(Kind::Dn), Some(Kind::Qtdnd)].into_iter().enumerate() {
            let mut r = Row::new(&format!("r{i}"), 0, 2024, Kind::Htx);
            r.kind = k;
            r.high_tech = (i % 2 == 0).then_some(true);
            e.push(&r);
        }
        let subsets = [
            Subset::default(),
            Subset { kinds: vec![Kind::Htx, Kind::Qtdnd], ..Subset::default() },
            Subset { kinds: vec![Kind::Htx], high_tech: Some(true), ..Subset::default() },
            Subset { high_tech: Some(true), ..Subset::default() },
        ];
        for s in &subsets {
            let p = Predicate::from_subset(s);
            for i in 0..e.len() {
                assert_eq!(p.test(&e, i), p.eval(&e, i) == Tri::Yes, "{s:?} row {i}");
            }
        }
        let p = Predicate::from_subset(&subsets[1]);
        assert_eq!((0..5).filter(|&i| p.test(&e, i)).collect::<Vec<_>>(), [0, 4]);
    }

    fn ds() -> Dataset {
        let reg = registry();
        let idx = |c: &str| reg.index_of(Boundary::P63, c).unwrap_or(NONE);
        let mut d = Dataset::default();
        let rows = [
            ("a", "19", 2023, Kind::Htx, Some(true), Some(Sector::Nn)),
            ("b", "06", 2024, Kind::Htx, Some(false), None),
            ("c", "01", 2024, Kind::Tht, None, Some(Sector::Cn)),
            ("d", "79", 2024, Kind::Qtdnd, Some(true), Some(Sector::Td)),
        ];
        for (id, code, y, k, ht, sec) in rows {
            let mut r = Row::new(id, idx(code), y, k);
            r.high_tech = ht;
            r.sector = sec;
            d.entities.push(&r);
        }
        d
    }

    fn selected(f: &Filter) -> Vec<String> {
        let d = ds();
        f.row_ids(&d)
            .iter()
            .map(|&i| d.entities.id(i as usize).to_string())
            .collect()
    }

    #[test]
    fn coverage_names_the_provinces_and_regions_with_figures() {
        let reg = registry();
        let d = ds();
        let c = Coverage::of(&d, Boundary::P63);
        let covered: Vec<&str> = reg.provinces(Boundary::P63).iter().filter(|p| c.province(p.index)).map(|p| p.code).collect();
        assert_eq!(covered.len(), 4);
        for code in ["19", "06", "01", "79"] {
            assert!(covered.contains(&code), "{code}");
        }
        assert!(c.region(Region::Tdmnpb));
        assert!(!c.region(Region::Dbscl), "no province of the Mekong Delta");
        assert!(!c.region(Region::Tn), "no province of the Central Highlands");
        // Seen in 34 provinces: Hà Nội (01) and Thái Nguyên (19, with Bắc Kạn 06) are covered.
        let c34 = Coverage::of(&d, Boundary::P34);
        assert_eq!(c34.view, Boundary::P34);
        assert_eq!(c34.provinces.iter().filter(|x| **x).count(), 3);
        assert!(c34.province(reg.index_of(Boundary::P34, "19").unwrap_or(NONE)));
        // A province outside the table is not covered, and never panics.
        assert!(!c.province(200));
        // What a filter selects.
        let tb63 = reg.index_of(Boundary::P63, "34").unwrap_or(NONE); // Thái Bình
        let tn63 = reg.index_of(Boundary::P63, "19").unwrap_or(NONE);
        assert!(c.covers(&Filter::default()));
        assert!(!c.covers(&Filter { provinces: vec![tb63], ..Filter::default() }));
        assert!(c.covers(&Filter { provinces: vec![tb63, tn63], ..Filter::default() }));
        assert!(!c.covers(&Filter { region: Some(Region::Tn), ..Filter::default() }));
        assert!(c.covers(&Filter { region: Some(Region::Tdmnpb), ..Filter::default() }));
    }

    #[test]
    fn filters_select_rows() {
        let reg = registry();
        let tn34 = reg.index_of(Boundary::P34, "19").unwrap_or(NONE);
        let tn63 = reg.index_of(Boundary::P63, "19").unwrap_or(NONE);
        let cases: Vec<(Filter, &[&str])> = vec![
            (Filter::default(), &["a", "b", "c", "d"]),
            (
                Filter {
                    years: Some((2024, 2024)),
                    ..Filter::default()
                },
                &["b", "c", "d"],
            ),
            (
                Filter {
                    rows: Subset { kinds: vec![Kind::Htx, Kind::Tht], ..Subset::default() },
                    ..Filter::default()
                },
                &["a", "b", "c"],
            ),
            (
                Filter {
                    rows: Subset { high_tech: Some(true), ..Subset::default() },
                    ..Filter::default()
                },
                &["a", "d"],
            ),
            (
                Filter {
                    rows: Subset { high_tech: Some(false), ..Subset::default() },
                    ..Filter::default()
                },
                &["b"],
            ),
            (
                Filter {
                    rows: Subset { sectors: vec![Sector::Nn, Sector::Cn], ..Subset::default() },
                    ..Filter::default()
                },
                &["a", "c"],
            ),
            (
                Filter {
                    region: Some(Region::Tdmnpb),
                    ..Filter::default()
                },
                &["a", "b"],
            ),
            (
                Filter {
                    region: Some(Region::Dnb),
                    ..Filter::default()
                },
                &["d"],
            ),
            // Thái Nguyên in 63 is only itself; in 34 it also holds Bắc Kạn (06).
            (
                Filter {
                    provinces: vec![tn63],
                    ..Filter::default()
                },
                &["a"],
            ),
            (
                Filter {
                    provinces: vec![tn34],
                    view: Boundary::P34,
                    ..Filter::default()
                },
                &["a", "b"],
            ),
        ];
        for (f, want) in cases {
            assert_eq!(selected(&f), want, "{f:?}");
        }
    }

    #[test]
    fn mask_counts_and_iterates() {
        let d = ds();
        let m = Filter::default().mask(&d);
        assert_eq!(m.count(), 4);
        assert_eq!(m.iter().collect::<Vec<_>>(), vec![0, 1, 2, 3]);
        let m = Filter {
            rows: Subset { kinds: vec![Kind::Qtdnd], ..Subset::default() },
            ..Filter::default()
        }
        .mask(&d);
        assert!(m.contains(3) && !m.contains(0) && !m.contains(999));
        assert_eq!(m.count(), 1);
    }

    #[test]
    fn predicate_is_three_valued() {
        let d = ds();
        let p = Predicate::from_subset(&Subset {
            high_tech: Some(true),
            ..Subset::default()
        });
        let got: Vec<Tri> = (0..4).map(|i| p.eval(&d.entities, i)).collect();
        assert_eq!(got, [Tri::Yes, Tri::No, Tri::Unknown, Tri::Yes]);
        let p = Predicate::from_subset(&Subset {
            sectors: vec![Sector::Nn],
            kinds: vec![Kind::Htx],
            ..Subset::default()
        });
        let got: Vec<Tri> = (0..4).map(|i| p.eval(&d.entities, i)).collect();
        assert_eq!(got, [Tri::Yes, Tri::Unknown, Tri::No, Tri::No]);
    }

    #[test]
    fn thirty_four_dataset_stays_in_34() {
        let f = Filter {
            view: Boundary::P63,
            ..Filter::default()
        };
        assert_eq!(f.effective_view(Boundary::P34), Boundary::P34);
        assert_eq!(f.effective_view(Boundary::P63), Boundary::P63);
        assert!(f.is_all());
        let g = Geo::new(Boundary::P63, Boundary::P34);
        let reg = registry();
        let bk = reg.index_of(Boundary::P63, "06").unwrap_or(NONE);
        assert_eq!(Some(g.view_of(bk)), reg.index_of(Boundary::P34, "19"));
    }
}
