//! The row index of a clustered table: where the rows of each (year, kind, province) lie, so a
//! filtered computation reads only the rows that can match instead of scanning every row.
//!
//! Why: nearly every view of the app is filtered by year (the dashboard shows one year), and
//! often by kind and by a few provinces. Over a national register (a million rows) a scan reads
//! every row for each indicator; "2024, cooperatives, 14 provinces" is about 1 % of them.
//!
//! Why the rows are *stored* in that order ([`Entities::cluster`]) rather than listed in an index
//! of row numbers: measured in Chromium over a million rows, an index listing the scattered rows
//! of each (year, kind, province) made every read of every column miss the cache, and a filtered
//! computation got slower than a plain scan; with (year, kind) lists it stayed at 0.59× the
//! plain-JavaScript scan. Stored together, the rows of a bucket are one contiguous range read
//! sequentially in every column, and the index is only where each bucket starts.
//!
//! Layout: `starts[b]..starts[b + 1]` are the rows of bucket
//! `b = ((year − first year) × KIND_SLOTS + kind slot) × provinces + province`, where `provinces`
//! is one more than the largest province index present (the missing-province sentinel included
//! when a row has none). Provinces being innermost, the rows of one (year, kind) are contiguous
//! too. Cost: 4 bytes a bucket (six years × 7 kind slots × 64 provinces ≈ 10 KB).

use super::columns::{Entities, NONE};

/// Kind slots: the six kinds, then "missing".
pub const KIND_SLOTS: usize = 7;
/// More years than this between the first and the last row's year: no clustering, no index (scan
/// instead). Valid files span at most 1990–2100.
const MAX_YEARS: usize = 111;

/// The row index (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct RowIndex {
    first_year: u16,
    years: usize,
    provinces: usize,
    starts: Vec<u32>,
}

fn kind_slot(k: u8) -> usize {
    if (k as usize) < KIND_SLOTS - 1 {
        k as usize
    } else {
        KIND_SLOTS - 1
    }
}

/// The bucket geometry of a table: first year, number of years, number of province slots; `None`
/// when the table cannot be indexed (no rows, ragged columns, years beyond the format's span,
/// more rows than `u32` numbers).
fn geometry(e: &Entities) -> Option<(u16, usize, usize)> {
    let n = e.len();
    let (years, kinds) = (e.years_raw(), e.kinds_raw());
    if n == 0 || u32::try_from(n).is_err() || years.len() != n || kinds.len() != n {
        return None;
    }
    let (lo, hi) = years.iter().fold((u16::MAX, 0u16), |(lo, hi), &y| (lo.min(y), hi.max(y)));
    let span = (hi - lo) as usize + 1;
    if span > MAX_YEARS {
        return None;
    }
    let provinces = e.provinces_raw().iter().copied().max().map_or(0, |p| p as usize + 1);
    Some((lo, span, provinces))
}

/// The bucket of row `i` under a geometry (every column has at least `i + 1` values: checked by
/// `geometry`, which [`Entities`] keeps equal-length).
#[inline]
fn bucket_of(e: &Entities, i: usize, lo: u16, provinces: usize) -> usize {
    let y = e.years_raw().get(i).map_or(0, |&y| (y - lo) as usize);
    let k = e.kinds_raw().get(i).map_or(KIND_SLOTS - 1, |&k| kind_slot(k));
    let p = e.provinces_raw().get(i).map_or(0, |&p| p as usize);
    (y * KIND_SLOTS + k) * provinces + p
}

/// Where each row of `e` goes when clustered (current row → new position; stable), or `None`
/// when the rows are already in order or cannot be indexed. Used by [`Entities::cluster`].
pub(crate) fn clustering_destinations(e: &Entities) -> Option<Vec<u32>> {
    let (lo, span, provinces) = geometry(e)?;
    let n = e.len();
    let mut sorted = true;
    let mut prev = 0;
    let mut next = vec![0u32; span * KIND_SLOTS * provinces + 1];
    for i in 0..n {
        let b = bucket_of(e, i, lo, provinces);
        sorted &= b >= prev;
        prev = b;
        next[b + 1] += 1;
    }
    if sorted {
        return None;
    }
    for b in 1..next.len() {
        next[b] += next[b - 1];
    }
    let mut dest = vec![0u32; n];
    for (i, d) in dest.iter_mut().enumerate() {
        let b = bucket_of(e, i, lo, provinces);
        *d = next[b];
        next[b] += 1;
    }
    Some(dest)
}

impl RowIndex {
    /// Builds the index of `e`, or `None` when `e` is not [clustered](Entities::cluster) or
    /// cannot be indexed (then filtered computations scan every row).
    pub fn build(e: &Entities) -> Option<RowIndex> {
        let (lo, span, provinces) = geometry(e)?;
        let mut starts = vec![0u32; span * KIND_SLOTS * provinces + 1];
        let mut prev = 0;
        for i in 0..e.len() {
            let b = bucket_of(e, i, lo, provinces);
            if b < prev {
                return None;
            }
            prev = b;
            starts[b + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        Some(RowIndex { first_year: lo, years: span, provinces, starts })
    }

    /// The years that have at least one row, ascending: read off the bucket starts (a few
    /// hundred numbers) instead of every row's year (a million on a national register, and the
    /// dashboard asks for them several times per view).
    pub fn years_present(&self) -> impl Iterator<Item = u16> + '_ {
        let per_year = KIND_SLOTS * self.provinces;
        (0..self.years).filter_map(move |i| {
            let s = self.starts.get(i * per_year).copied().unwrap_or(0);
            let e = self.starts.get((i + 1) * per_year).copied().unwrap_or(0);
            (e > s).then(|| self.first_year + i as u16)
        })
    }

    /// Every bucket that holds rows, in stored order: (year, kind slot, province index, first
    /// row, one past the last row). What [`super::sums`] adds up, a bucket at a time.
    pub fn buckets(&self) -> impl Iterator<Item = (u16, usize, u8, usize, usize)> + '_ {
        let np = self.provinces.max(1);
        self.starts.windows(2).enumerate().filter(|(_, w)| w[1] > w[0]).map(move |(b, w)| {
            let p = b % np;
            let k = (b / np) % KIND_SLOTS;
            let y = self.first_year + (b / np / KIND_SLOTS) as u16;
            (y, k, p as u8, w[0] as usize, w[1] as usize)
        })
    }

    /// Heap bytes held (for memory budgets).
    pub fn heap_bytes(&self) -> usize {
        self.starts.capacity() * 4
    }

    /// Calls `f` on every row whose year is in `years` (inclusive), whose kind slot passes
    /// `kind_ok` and, when `province_ok` is given, whose province passes it; in stored order. The
    /// caller still tests the full filter: the index only skips rows that cannot match.
    #[inline]
    pub fn for_each(
        &self,
        years: (u16, u16),
        kind_ok: &[bool; KIND_SLOTS],
        province_ok: Option<&[bool; 256]>,
        mut f: impl FnMut(usize),
    ) {
        let last = self.first_year as usize + self.years - 1;
        let from = (years.0 as usize).max(self.first_year as usize);
        let to = (years.1 as usize).min(last);
        let np = self.provinces;
        let mut range = |from_bucket: usize, to_bucket: usize| {
            let s = self.starts.get(from_bucket).copied().unwrap_or(0) as usize;
            let e = self.starts.get(to_bucket).copied().unwrap_or(0) as usize;
            for i in s..e {
                f(i);
            }
        };
        for y in from..=to {
            let yb = (y - self.first_year as usize) * KIND_SLOTS;
            for (k, _) in kind_ok.iter().enumerate().filter(|(_, ok)| **ok) {
                let b = (yb + k) * np;
                match province_ok {
                    None => range(b, b + np),
                    Some(ok) => {
                        for (p, _) in ok.iter().take(np).enumerate().filter(|(_, ok)| **ok) {
                            range(b + p, b + p + 1);
                        }
                    }
                }
            }
        }
    }
}

/// The slot of a kind code (for building `kind_ok` tables).
pub fn kind_slot_of(code: u8) -> usize {
    kind_slot(code)
}

/// Whether `code` is the missing-kind sentinel's slot.
pub fn is_missing_kind_slot(slot: usize) -> bool {
    slot == kind_slot(NONE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::columns::Row;
    use crate::engine::vocab::Kind;

    /// 600 rows in an order that is not clustered: years, kinds and provinces cycle, and every
    /// other field varies too (so a column left behind by clustering would show).
    fn table() -> Entities {
        use crate::engine::vocab::{Ntm, Sector, Stage};
        let mut e = Entities::new();
        let kinds = [Kind::Htx, Kind::Tht, Kind::Dn];
        for i in 0..600u32 {
            let k = kinds[(i % 3) as usize];
            let mut r = Row::new(&format!("r{i}"), (i % 7) as u8, 2019 + (i % 4) as u16, k);
            r.sector = Sector::ALL.get(i as usize % 5).copied();
            r.ntm = Ntm::ALL.get(i as usize % 3).copied();
            r.stage = Stage::ALL.get(i as usize % 2).copied();
            r.members = Some(i);
            r.workers = Some(i % 13);
            r.income = Some(f64::from(i) * 1000.0);
            r.revenue = Some(f64::from(i) / 4.0);
            r.ocop_star = Some((i % 6) as u8);
            r.ocop_products = Some(i % 5);
            r.ocop_5star = Some(i % 2);
            r.high_tech = Some(i % 2 == 0);
            r.value_chain = Some(i % 3 == 0);
            r.trademark = Some(i % 5 == 0);
            r.ethnic_area = Some(i % 7 == 0);
            e.push(&r);
        }
        e
    }

    #[test]
    fn years_present_are_the_years_of_the_rows_gaps_included() {
        let mut e = Entities::new();
        for (i, y) in [2024u16, 2019, 2021, 2024, 2019].into_iter().enumerate() {
            e.push(&Row::new(&format!("y{i}"), (i % 3) as u8, y, Kind::Htx));
        }
        e.cluster();
        let index = RowIndex::build(&e).unwrap();
        assert_eq!(index.years_present().collect::<Vec<_>>(), vec![2019, 2021, 2024]);
        // The same as reading every row's year, on the larger table.
        let mut t = table();
        t.cluster();
        let mut from_rows: Vec<u16> = t.years_raw().to_vec();
        from_rows.sort_unstable();
        from_rows.dedup();
        assert_eq!(RowIndex::build(&t).unwrap().years_present().collect::<Vec<_>>(), from_rows);
    }

    #[test]
    fn clustering_keeps_every_row_and_its_file_row() {
        let before = table();
        assert!(RowIndex::build(&before).is_none(), "not clustered yet: no index");
        let mut e = before.clone();
        e.cluster();
        assert_eq!(e.len(), before.len());
        let mut seen = vec![false; e.len()];
        let mut prev = (0, 0, 0);
        for i in 0..e.len() {
            let f = e.file_row(i);
            assert!(!seen[f], "file row {f} twice");
            seen[f] = true;
            // Every field moved together: the stored row is the file's row.
            assert_eq!(e.row(i), before.row(f));
            let key = (e.year(i).unwrap_or(0), e.kinds_raw()[i], e.province(i).unwrap_or(0));
            assert!(key >= prev, "row {i} out of order");
            if key == prev && i > 0 {
                assert!(e.file_row(i - 1) < f, "file order kept inside a group");
            }
            prev = key;
        }
        assert!(e.file_row(0) != 0 || e.file_row(1) != 1, "rows did move");
        // Clustering again changes nothing, and an already clustered table gets no file rows.
        let again = { let mut a = e.clone(); a.cluster(); a };
        // (Compared row by row: a missing income is NaN in the column, and NaN ≠ NaN.)
        let moved = (0..e.len()).find(|&i| again.row(i) != e.row(i) || again.file_row(i) != e.file_row(i));
        assert_eq!(moved, None, "clustering twice moved rows");
        assert_eq!(again.len(), e.len());
        let mut sorted = Entities::new();
        sorted.push(&Row::new("a", 1, 2020, Kind::Htx));
        sorted.push(&Row::new("b", 2, 2020, Kind::Htx));
        sorted.push(&Row::new("c", 0, 2021, Kind::Htx));
        sorted.cluster();
        assert!(sorted.file_row.is_empty());
        assert!(RowIndex::build(&sorted).is_some());
    }

    #[test]
    fn visits_exactly_the_rows_of_the_selected_buckets() {
        let mut e = table();
        e.cluster();
        let ix = RowIndex::build(&e).expect("index");
        let mut kind_ok = [false; KIND_SLOTS];
        kind_ok[kind_slot_of(Kind::Tht.index())] = true;
        let mut province_ok = [false; 256];
        province_ok[2] = true;
        province_ok[5] = true;
        for provinces in [None, Some(&province_ok)] {
            let mut got = Vec::new();
            ix.for_each((2020, 2021), &kind_ok, provinces, |i| got.push(i));
            let want: Vec<usize> = (0..600)
                .filter(|&i| {
                    let y = e.year(i).unwrap_or(0);
                    let p = e.province(i).unwrap_or(0) as usize;
                    (2020..=2021).contains(&y)
                        && e.kind(i) == Some(Kind::Tht)
                        && provinces.is_none_or(|ok| ok[p])
                })
                .collect();
            assert_eq!(got, want, "in stored order, each once");
            assert!(!got.is_empty());
        }
        // Outside the years present: nothing; all slots: every row once.
        let mut none = 0;
        ix.for_each((1990, 2018), &[true; KIND_SLOTS], None, |_| none += 1);
        assert_eq!(none, 0);
        let mut all = vec![0u8; 600];
        ix.for_each((0, u16::MAX), &[true; KIND_SLOTS], None, |i| all[i] += 1);
        assert!(all.iter().all(|&c| c == 1));
        assert!(is_missing_kind_slot(KIND_SLOTS - 1));
    }

    #[test]
    fn indexed_computations_equal_a_full_scan() {
        use crate::engine::dataset::Subset;
        use crate::engine::filter::Filter;
        use crate::engine::indicators::{builtin, builtins, compute, compute_many, GroupBy};
        use crate::engine::parse::{parse_dataset_str, Limits};
        let text = crate::synth::scale::generate(4_000, 5);
        let ds = parse_dataset_str(&text, &Limits::default()).expect("valid").dataset;
        assert!(ds.entities.index().is_some(), "a parsed dataset is clustered");
        let filters = [
            Filter { years: Some((2023, 2023)), ..Filter::default() },
            Filter { years: Some((2020, 2022)), provinces: vec![0, 5, 17], rows: Subset { kinds: vec![Kind::Htx, Kind::Tht], ..Subset::default() }, ..Filter::default() },
            Filter { rows: Subset { kinds: vec![Kind::Dn], ..Subset::default() }, ..Filter::default() },
            Filter { provinces: vec![3, 40], ..Filter::default() },
            // Not selected by the index alone: each row of the ranges is tested.
            Filter { years: Some((2024, 2024)), rows: Subset { sectors: vec![crate::engine::vocab::Sector::Nn], high_tech: Some(true), ..Subset::default() }, ..Filter::default() },
        ];
        let defs: Vec<_> = builtins().iter().collect();
        // The same rows in file order: not clustered, so every computation scans.
        let mut scan = ds.clone();
        scan.entities = Entities::new();
        let mut by_file: Vec<usize> = (0..ds.entities.len()).collect();
        by_file.sort_by_key(|&i| ds.entities.file_row(i));
        for i in by_file {
            scan.entities.push(&ds.entities.row(i).expect("row"));
        }
        assert!(scan.entities.index().is_none());
        for f in &filters {
            for g in [GroupBy::None, GroupBy::Province] {
                let (a, b) = (compute_many(&ds, &defs, f, g), compute_many(&scan, &defs, f, g));
                for ((d, x), y) in defs.iter().zip(&a).zip(&b) {
                    assert_eq!(x.total.n, y.total.n, "{} {f:?}", d.id);
                    let (u, v) = (x.total.value.unwrap_or(-1.0), y.total.value.unwrap_or(-1.0));
                    assert!((u - v).abs() <= 1e-9 * u.abs().max(1.0), "{} {f:?}: {u} vs {v}", d.id);
                    assert_eq!(x.groups.len(), y.groups.len(), "{} {f:?}", d.id);
                }
            }
        }
        for f in &filters {
            // The rows the filter selects, by a plain scan (Filter::mask never uses the index).
            let mask = f.mask(&ds);
            let htx = mask.iter().filter(|&i| ds.entities.kind(i) == Some(Kind::Htx)).count();
            let Some(def) = builtin("htx_count") else { panic!("htx_count") };
            assert_eq!(compute(&ds, def, f, GroupBy::None).total.n as usize, htx, "{f:?}");
            for g in [GroupBy::None, GroupBy::Province, GroupBy::Kind] {
                let many = compute_many(&ds, &defs, f, g);
                for (d, r) in defs.iter().zip(&many) {
                    assert_eq!(*r, compute(&ds, d, f, g), "{} {f:?} {g:?}", d.id);
                }
            }
        }
    }

    #[test]
    fn no_index_for_no_rows() {
        assert!(RowIndex::build(&Entities::new()).is_none());
        let mut e = Entities::new();
        e.cluster();
        assert!(e.is_empty());
    }
}
