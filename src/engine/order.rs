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

#[cfg(test)]
mod tests {
    use super::*;

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
