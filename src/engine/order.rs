//! Ordering of short lists (years, provinces, chart items, table rows): an insertion sort.
//!
//! Why not `slice::sort_unstable`: in wasm every element type and comparator instantiates the
//! standard library's pattern-defeating quicksort anew (quicksort, heapsort fallback, pivot
//! selection, small-sort networks: 3–5 KB each). Sixteen of them were 75 KB of the app's 1.1 MB
//! wasm, which a phone on 3G downloads before the first view. The lists sorted here hold at most
//! a few hundred items (the 63 provinces, a dozen years, a table's rows), where an insertion sort
//! is as fast and costs a few dozen bytes per use. It is stable, too.
//!
//! Never use it on the rows of a dataset: it is quadratic.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably (equal items keep their order).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && cmp(&v[j], &v[j - 1]) == Ordering::Less {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Sorts `v` in ascending order, stably.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts `v` by a key, stably.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The `k`-th smallest of `v` by `cmp`: reorders `v` so that `v[k]` is that item, those before it
/// are not greater and those after it not smaller (what `slice::select_nth_unstable_by` does).
/// For the median of a group's values, which can be a million long.
///
/// Why not the standard library's: the same reason as the sort (its median-of-medians fallback
/// and partitions are 2–3 KB of wasm). This is Hoare's quickselect with the pivot drawn by a
/// fixed-seed generator, so sorted, reversed or constant columns take linear time on average;
/// only input built against this generator could be slow, never wrong. `k` past the end is a no-op.
pub fn select_nth_by<T>(v: &mut [T], k: usize, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if k >= v.len() {
        return;
    }
    let (mut lo, mut hi) = (0usize, v.len() - 1);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    while lo < hi {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let pivot = lo + (seed % (hi - lo + 1) as u64) as usize;
        v.swap(pivot, hi);
        // Lomuto partition around v[hi], then the pivot in its place.
        let mut store = lo;
        for i in lo..hi {
            if cmp(&v[i], &v[hi]) == Ordering::Less {
                v.swap(i, store);
                store += 1;
            }
        }
        v.swap(store, hi);
        // Equal items gather after the pivot: step over them, or constant columns go quadratic.
        let mut eq_end = store;
        for i in store + 1..=hi {
            if cmp(&v[i], &v[store]) == Ordering::Equal {
                eq_end += 1;
                v.swap(i, eq_end);
            }
        }
        if k < store {
            hi = store - 1;
        } else if k > eq_end {
            lo = eq_end + 1;
        } else {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_nth_agrees_with_the_standard_library() {
        let mut x = 11u32;
        let mut next = || {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) % 50
        };
        let cases: Vec<Vec<u32>> = vec![
            vec![],
            vec![5],
            vec![3, 1, 2],
            (0..1000).collect(),
            (0..1000).rev().collect(),
            vec![7; 1000],
            (0..2000).map(|_| next()).collect(),
        ];
        for case in cases {
            for k in [0, case.len() / 2, case.len().saturating_sub(1), case.len() + 3] {
                let mut ours = case.clone();
                select_nth_by(&mut ours, k, u32::cmp);
                if k >= case.len() {
                    assert_eq!(ours, case);
                    continue;
                }
                let mut sorted = case.clone();
                sorted.sort();
                assert_eq!(ours[k], sorted[k], "k={k} of {}", case.len());
                assert!(ours[..k].iter().all(|a| *a <= ours[k]) && ours[k + 1..].iter().all(|a| *a >= ours[k]));
                let mut back = ours.clone();
                back.sort();
                assert_eq!(back, sorted, "a permutation");
            }
        }
    }

    #[test]
    fn select_nth_is_linear_on_equal_sorted_and_reversed_values() {
        // Counted comparisons, not time: a quadratic select would make about n²/4 of them.
        let n = 200_000usize;
        let columns = [vec![1.0f64; n], (0..n).map(|i| i as f64).collect(), (0..n).rev().map(|i| i as f64).collect::<Vec<_>>()];
        for v in columns {
            let mut v = v;
            let mut comparisons = 0usize;
            select_nth_by(&mut v, n / 2, |a, b| {
                comparisons += 1;
                a.total_cmp(b)
            });
            assert!(comparisons < 12 * n, "{comparisons} comparisons for {n} values");
        }
    }

    #[test]
    fn sorts_like_the_standard_library_and_keeps_ties_in_order() {
        // A fixed pseudo-random sequence with many ties.
        let mut x = 7u32;
        let items: Vec<(u32, usize)> = (0..300)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((x >> 16) % 40, i)
            })
            .collect();
        let mut ours = items.clone();
        sort_by_key(&mut ours, |p| p.0);
        let mut std_stable = items.clone();
        std_stable.sort_by_key(|p| p.0);
        assert_eq!(ours, std_stable, "stable: ties keep their original order");

        let mut a = vec![5, 3, 9, 1, 3, 0, 12, 7];
        sort(&mut a);
        assert_eq!(a, [0, 1, 3, 3, 5, 7, 9, 12]);
        sort_by(&mut a, |x, y| y.cmp(x));
        assert_eq!(a, [12, 9, 7, 5, 3, 3, 1, 0]);
        let mut f = vec![2.5, f64::NAN, -1.0, 0.0];
        sort_by(&mut f, f64::total_cmp);
        assert_eq!(f[..3], [-1.0, 0.0, 2.5]);
        assert!(f[3].is_nan());
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        let mut one = [1];
        sort(&mut one);
        assert_eq!(one, [1]);
    }
}
