//! A row index by (year, kind), so a filtered computation reads only the rows that can match
//! instead of scanning every row.
//!
//! Why: nearly every view of the app is filtered by year (the dashboard shows one year), and
//! often by kind and by a few provinces. Over a national register (a million rows) a scan reads
//! every row for each indicator; with the index, "2024, cooperatives" reads about 8 % of them.
//!
//! Why not provinces too: measured in Chromium over a million rows, buckets as fine as
//! (year, kind, province) made the rows of one bucket so sparse in the columns that every read
//! missed the cache, and a filtered computation got slower than a plain scan. With (year, kind)
//! buckets the rows visited stay dense enough for the prefetcher; provinces are tested in the loop.
//!
//! Layout: a counting sort of row numbers into buckets `(year − first year, kind)`, rows in file
//! order inside each bucket (so sums within a bucket add in file order). Cost: 4 bytes a row,
//! built in two linear passes the first time a filtered computation needs it
//! (see [`super::columns::Entities::index`]).

use super::columns::{Entities, NONE};

/// Kind slots: the six kinds, then "missing".
pub const KIND_SLOTS: usize = 7;
/// More years than this between the first and the last row's year: no index (scan instead).
/// Valid files span at most 1990–2100.
const MAX_YEARS: usize = 111;

/// The row index (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct RowIndex {
    first_year: u16,
    years: usize,
    /// `starts[b]..starts[b + 1]` are the positions in `rows` of bucket `b`.
    starts: Vec<u32>,
    rows: Vec<u32>,
}

fn kind_slot(k: u8) -> usize {
    if (k as usize) < KIND_SLOTS - 1 {
        k as usize
    } else {
        KIND_SLOTS - 1
    }
}

impl RowIndex {
    /// Builds the index of `e`, or `None` when it would not pay (no rows, years spread beyond
    /// the format's range, more rows than `u32` can number).
    pub fn build(e: &Entities) -> Option<RowIndex> {
        let n = e.len();
        let years = e.years_raw();
        if n == 0 || u32::try_from(n).is_err() || years.len() != n {
            return None;
        }
        let (lo, hi) = years.iter().fold((u16::MAX, 0u16), |(lo, hi), &y| (lo.min(y), hi.max(y)));
        let span = (hi - lo) as usize + 1;
        if span > MAX_YEARS {
            return None;
        }
        let kinds = e.kinds_raw();
        if kinds.len() != n {
            return None;
        }
        let buckets = span * KIND_SLOTS;
        let bucket = |i: usize| (years[i] - lo) as usize * KIND_SLOTS + kind_slot(kinds[i]);
        let mut starts = vec![0u32; buckets + 1];
        for i in 0..n {
            starts[bucket(i) + 1] += 1;
        }
        for b in 0..buckets {
            starts[b + 1] += starts[b];
        }
        let mut next: Vec<u32> = starts[..buckets].to_vec();
        let mut rows = vec![0u32; n];
        for i in 0..n {
            let b = bucket(i);
            rows[next[b] as usize] = i as u32;
            next[b] += 1;
        }
        Some(RowIndex { first_year: lo, years: span, starts, rows })
    }

    /// Heap bytes held (for memory budgets).
    pub fn heap_bytes(&self) -> usize {
        (self.starts.capacity() + self.rows.capacity()) * 4
    }

    /// Calls `f` on every row whose year is in `years` (inclusive) and whose kind slot passes
    /// `kind_ok`, in bucket order (year, kind), file order within a bucket. The caller still tests
    /// the full filter (provinces included): the index only skips rows that cannot match.
    #[inline]
    pub fn for_each(&self, years: (u16, u16), kind_ok: &[bool; KIND_SLOTS], mut f: impl FnMut(usize)) {
        let last = self.first_year as usize + self.years - 1;
        let from = (years.0 as usize).max(self.first_year as usize);
        let to = (years.1 as usize).min(last);
        if from > to {
            return;
        }
        for y in from..=to {
            let yb = (y - self.first_year as usize) * KIND_SLOTS;
            for (k, _) in kind_ok.iter().enumerate().filter(|(_, ok)| **ok) {
                let b = yb + k;
                let (s, e) = (self.starts[b] as usize, self.starts[b + 1] as usize);
                for &i in &self.rows[s..e] {
                    f(i as usize);
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

    #[test]
    fn visits_exactly_the_rows_of_the_selected_buckets_in_file_order() {
        let mut e = Entities::new();
        let kinds = [Kind::Htx, Kind::Tht, Kind::Dn];
        for i in 0..600u32 {
            let k = kinds[(i % 3) as usize];
            e.push(&Row::new(&format!("r{i}"), (i % 7) as u8, 2019 + (i % 4) as u16, k));
        }
        let ix = RowIndex::build(&e).expect("index");
        let mut kind_ok = [false; KIND_SLOTS];
        kind_ok[kind_slot_of(Kind::Tht.index())] = true;
        let mut got = Vec::new();
        ix.for_each((2020, 2021), &kind_ok, |i| got.push(i));
        let mut want: Vec<usize> = (0..600)
            .filter(|&i| {
                let y = e.year(i).unwrap_or(0);
                (2020..=2021).contains(&y) && e.kind(i) == Some(Kind::Tht)
            })
            .collect();
        let mut sorted = got.clone();
        sorted.sort_unstable();
        want.sort_unstable();
        assert_eq!(sorted, want);
        assert!(!got.is_empty());
        // Outside the years present: nothing; all slots: every row once.
        let mut none = 0;
        ix.for_each((1990, 2018), &[true; KIND_SLOTS], |_| none += 1);
        assert_eq!(none, 0);
        let mut all = vec![0u8; 600];
        ix.for_each((0, u16::MAX), &[true; KIND_SLOTS], |i| all[i] += 1);
        assert!(all.iter().all(|&c| c == 1));
        assert!(is_missing_kind_slot(KIND_SLOTS - 1));
    }

    #[test]
    fn indexed_computations_equal_a_full_scan() {
        use crate::engine::filter::Filter;
        use crate::engine::indicators::{builtin, builtins, compute, compute_many, GroupBy};
        use crate::engine::parse::{parse_dataset_str, Limits};
        let text = crate::synth::scale::generate(4_000, 5);
        let ds = parse_dataset_str(&text, &Limits::default()).expect("valid").dataset;
        let filters = [
            Filter { years: Some((2023, 2023)), ..Filter::default() },
            Filter { years: Some((2020, 2022)), kinds: vec![Kind::Htx, Kind::Tht], provinces: vec![0, 5, 17], ..Filter::default() },
            Filter { kinds: vec![Kind::Dn], ..Filter::default() },
        ];
        let defs: Vec<_> = builtins().iter().collect();
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
        assert!(ds.entities.index().is_some());
    }

    #[test]
    fn no_index_for_no_rows() {
        assert!(RowIndex::build(&Entities::new()).is_none());
    }
}
