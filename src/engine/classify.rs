//! Class breaks for the choropleth map: which colour each province gets.
//!
//! Why several methods: provincial staff compare their province with the others, and the method
//! changes the story. *Rounded equal steps* (the default) give legends a reader can repeat
//! ("50–100 HTX"); *quantiles* put the same number of provinces in each colour; *natural breaks*
//! (Fisher–Jenks) follow gaps in the data; *custom* breaks keep one legend across years and
//! indicators, e.g. the income thresholds of a programme.
//!
//! Conventions shared by every method:
//! - `breaks` are inclusive upper bounds, strictly ascending; class `i` holds
//!   `breaks[i-1] < v <= breaks[i]`, the first class `min <= v <= breaks[0]`.
//! - `min` is the smallest value and the last break the largest, so the legend shows the real
//!   extent of the data, while the interior breaks are rounded (equal steps) or data values
//!   (quantiles, natural breaks). Custom breaks are the exception: they are kept as given so the
//!   legend stays the same across years, and a last class up to the maximum is added only if the
//!   data exceed the last break.
//! - NaN and infinite values are ignored (missing data is drawn apart, hatched).
//! - Fewer distinct values than classes, or tied values, give fewer classes rather than empty ones;
//!   a class no value falls in is dropped (its range joins the next one).
//! - Counts ([`classify_counts`]) have whole-number bounds, one class per value when they are few.

use std::fmt;

/// How to place the breaks.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// Rounded equal steps (1, 2, 2.5, 5 × 10^k): the default, easiest legend to read.
    Equal,
    /// Quantiles: about the same number of values in each class.
    Quantile,
    /// Fisher–Jenks natural breaks: minimises the spread within classes.
    Jenks,
    /// Breaks chosen by the user (inclusive upper bounds, strictly ascending, finite).
    Custom(Vec<f64>),
}

/// A method with its class count: what a view stores and a URL carries (`eq5`, `q5`, `nb7`,
/// `x:10~50~100`).
#[derive(Clone, Debug, PartialEq)]
pub struct ClassSpec {
    /// The method.
    pub method: Method,
    /// Number of classes wanted (2–9); ignored for [`Method::Custom`].
    pub n: usize,
}

impl Default for ClassSpec {
    /// Five rounded equal steps: a legend anyone can read aloud.
    fn default() -> Self {
        ClassSpec {
            method: Method::Equal,
            n: 5,
        }
    }
}

impl ClassSpec {
    /// The short code used in URLs: `eq5`, `q5`, `nb5`, or `x:` followed by the custom breaks
    /// joined with `~` (shortest decimal form, `.` as decimal point: `x:10~50~100`, `x:0.25~0.5`).
    pub fn code(&self) -> String {
        match &self.method {
            Method::Equal => format!("eq{}", self.n),
            Method::Quantile => format!("q{}", self.n),
            Method::Jenks => format!("nb{}", self.n),
            Method::Custom(b) => {
                let parts: Vec<String> = b.iter().map(|x| format!("{x}")).collect();
                format!("x:{}", parts.join("~"))
            }
        }
    }

    /// Parses a code written by [`ClassSpec::code`]; the error says what was wrong, for the URL
    /// notice. Custom breaks are checked like [`classify`] checks them.
    pub fn from_code(s: &str) -> Result<ClassSpec, ClassifyError> {
        if let Some(rest) = s.strip_prefix("x:") {
            let mut breaks = Vec::new();
            for (i, part) in rest.split('~').enumerate() {
                let v: f64 = part.parse().map_err(|_| ClassifyError::BadBreak {
                    index: i,
                    found: part.chars().take(40).collect(),
                    reason: "not a number",
                })?;
                breaks.push(v);
            }
            check_custom(&breaks)?;
            let n = breaks.len() + 1;
            return Ok(ClassSpec {
                method: Method::Custom(breaks),
                n,
            });
        }
        let (method, digits) = if let Some(d) = s.strip_prefix("eq") {
            (Method::Equal, d)
        } else if let Some(d) = s.strip_prefix("nb") {
            (Method::Jenks, d)
        } else if let Some(d) = s.strip_prefix('q') {
            (Method::Quantile, d)
        } else {
            return Err(ClassifyError::UnknownMethod(s.chars().take(40).collect()));
        };
        let n: usize = match digits.parse() {
            Ok(n) if digits.len() == 1 => n,
            _ => return Err(ClassifyError::ClassCount(digits.chars().take(40).collect())),
        };
        if !(MIN_CLASSES..=MAX_CLASSES).contains(&n) {
            return Err(ClassifyError::ClassCount(digits.to_string()));
        }
        Ok(ClassSpec { method, n })
    }
}

/// Fewest classes a map can have.
pub const MIN_CLASSES: usize = 2;
/// Most classes: sequential colour palettes stop being distinguishable beyond nine.
pub const MAX_CLASSES: usize = 9;
/// Natural breaks run on at most this many values (O(k·n²)); larger inputs are sampled at evenly
/// spaced ranks, deterministically, so the same data always give the same legend.
pub const JENKS_MAX_VALUES: usize = 1000;

/// The result: breaks to colour by and the data minimum to start the legend at.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// Inclusive upper bounds, strictly ascending; the last is the maximum (see module notes).
    pub breaks: Vec<f64>,
    /// The smallest value: the lower bound of the first class.
    pub min: f64,
}

impl Classes {
    /// Number of classes (colours in the legend).
    pub fn count(&self) -> usize {
        self.breaks.len()
    }

    /// The bounds `(lower, upper)` of class `i`, for legend labels; `None` past the last class.
    pub fn bounds(&self, i: usize) -> Option<(f64, f64)> {
        let hi = *self.breaks.get(i)?;
        let lo = if i == 0 {
            self.min
        } else {
            *self.breaks.get(i - 1)?
        };
        Some((lo, hi))
    }
}

/// Why classes could not be computed; each message names the offending input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassifyError {
    /// No finite value to classify (the map then shows "no data").
    NoValues,
    /// A class count outside 2–9 (what was found).
    ClassCount(String),
    /// A method code that is not `eq`, `q`, `nb` or `x:` (what was found).
    UnknownMethod(String),
    /// A custom break that is not finite or not above the previous one.
    BadBreak {
        /// Position in the list, from 0.
        index: usize,
        /// The text or value found.
        found: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No breaks, or more custom breaks than colours (found).
    BreakCount(usize),
}

impl fmt::Display for ClassifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClassifyError::NoValues => write!(f, "no finite value to classify"),
            ClassifyError::ClassCount(s) => {
                write!(f, "class count: found \"{s}\", expected a number from {MIN_CLASSES} to {MAX_CLASSES}")
            }
            ClassifyError::UnknownMethod(s) => {
                write!(f, "class method: found \"{s}\", expected eq, q, nb followed by a count, or x: with breaks")
            }
            ClassifyError::BadBreak {
                index,
                found,
                reason,
            } => {
                write!(f, "custom break {} ({found}): {reason}", index + 1)
            }
            ClassifyError::BreakCount(n) => {
                write!(
                    f,
                    "custom breaks: found {n}, expected 1 to {}",
                    MAX_CLASSES - 1
                )
            }
        }
    }
}

impl std::error::Error for ClassifyError {}

impl ClassifyError {
    /// The message in the reader's language (the `Display` text is the English one, for the CLI
    /// and logs): a Vietnamese notice must not carry an English fragment.
    pub fn message(&self, lang: super::vocab::Lang) -> String {
        if lang == super::vocab::Lang::En {
            return self.to_string();
        }
        match self {
            ClassifyError::NoValues => "không có giá trị nào để chia lớp".to_string(),
            ClassifyError::ClassCount(s) => {
                format!("số lớp: gặp \"{s}\", cần một số từ {MIN_CLASSES} đến {MAX_CLASSES}")
            }
            ClassifyError::UnknownMethod(s) => {
                format!("cách chia lớp: gặp \"{s}\", cần eq, q hoặc nb kèm số lớp, hoặc x: kèm các ngưỡng")
            }
            ClassifyError::BadBreak { index, found, reason } => {
                let why = match *reason {
                    "not a number" => "không phải một số",
                    "not a finite number" => "không phải một số hữu hạn",
                    _ => "không lớn hơn ngưỡng trước (các ngưỡng phải tăng dần)",
                };
                format!("ngưỡng {} ({found}): {why}", index + 1)
            }
            ClassifyError::BreakCount(n) => {
                format!("ngưỡng tự chọn: gặp {n}, cần từ 1 đến {}", MAX_CLASSES - 1)
            }
        }
    }
}

fn check_custom(breaks: &[f64]) -> Result<(), ClassifyError> {
    if breaks.is_empty() || breaks.len() > MAX_CLASSES - 1 {
        return Err(ClassifyError::BreakCount(breaks.len()));
    }
    for (i, b) in breaks.iter().enumerate() {
        if !b.is_finite() {
            return Err(ClassifyError::BadBreak {
                index: i,
                found: format!("{b}"),
                reason: "not a finite number",
            });
        }
        if i > 0 && breaks.get(i - 1).is_some_and(|prev| b <= prev) {
            return Err(ClassifyError::BadBreak {
                index: i,
                found: format!("{b}"),
                reason: "not above the previous break (breaks must be strictly ascending)",
            });
        }
    }
    Ok(())
}

/// Computes `n` classes (2–9) of `values` with `method`. Non-finite values are ignored; all
/// values equal gives one class; fewer distinct values than `n` gives fewer classes. `values` are
/// one per area on a map (at most a few hundred): they are ordered by [`super::order`], which is
/// quadratic.
pub fn classify(values: &[f64], method: &Method, n: usize) -> Result<Classes, ClassifyError> {
    classify_as(values, method, n, false)
}

/// [`classify`] for counts (units, persons, products): when every value is a whole number, class
/// bounds are whole numbers too (no "1 – 1,2" for values that are only 1 or 2), and with no more
/// distinct values than classes each value is its own class. Custom breaks are kept as given.
pub fn classify_counts(values: &[f64], method: &Method, n: usize) -> Result<Classes, ClassifyError> {
    let whole = values.iter().filter(|x| x.is_finite()).all(|x| x.fract() == 0.0);
    classify_as(values, method, n, whole)
}

/// Whether each class of `c` holds exactly one of `values` (the legend then names the value, not
/// a range): what [`classify_counts`] gives when there are no more distinct values than classes.
pub fn one_value_per_class(c: &Classes, values: &[f64]) -> bool {
    let mut lo = c.min;
    c.breaks.iter().enumerate().all(|(i, &hi)| {
        let in_class = |x: &&f64| if i == 0 { **x >= lo && **x <= hi } else { **x > lo && **x <= hi };
        let mut it = values.iter().filter(|x| x.is_finite()).filter(in_class);
        let ok = it.next().is_some_and(|&first| first == hi && it.all(|&x| x == hi));
        lo = hi;
        ok
    })
}

fn classify_as(values: &[f64], method: &Method, n: usize, whole: bool) -> Result<Classes, ClassifyError> {
    if let Method::Custom(b) = method {
        check_custom(b)?;
    } else if !(MIN_CLASSES..=MAX_CLASSES).contains(&n) {
        return Err(ClassifyError::ClassCount(n.to_string()));
    }
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return Err(ClassifyError::NoValues);
    }
    super::order::sort_by(&mut v, f64::total_cmp);
    let (min, max) = match (v.first(), v.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => return Err(ClassifyError::NoValues),
    };
    if let Method::Custom(b) = method {
        let mut breaks = b.clone();
        if breaks.last().is_some_and(|last| max > *last) {
            breaks.push(max);
        }
        return Ok(Classes {
            breaks,
            min: min.min(b.first().copied().unwrap_or(min)),
        });
    }
    if min == max {
        return Ok(Classes {
            breaks: vec![max],
            min,
        });
    }
    let mut distinct = v.clone();
    distinct.dedup();
    if whole && distinct.len() <= n {
        // As many classes as values: each value its own colour, none empty.
        return Ok(Classes { breaks: distinct, min });
    }
    let interior: Vec<f64> = match method {
        Method::Equal => equal_breaks(min, max, n, whole),
        Method::Quantile => quantile_breaks(&v, n),
        Method::Jenks => jenks_breaks(&v, n),
        Method::Custom(_) => Vec::new(),
    };
    let mut breaks: Vec<f64> = interior
        .into_iter()
        .filter(|b| *b >= min && *b < max)
        .collect();
    breaks.dedup();
    breaks.push(max);
    // A class no value falls in is dropped (its range joins the next class): an empty colour in
    // the legend reads as "some province is here". Custom breaks, chosen by the reader, are the
    // exception (returned above).
    let mut kept = Vec::with_capacity(breaks.len());
    let mut lo = f64::NEG_INFINITY;
    let mut first = true;
    for &b in &breaks {
        let occupied = v.iter().any(|&x| if first { x <= b } else { x > lo && x <= b });
        if occupied {
            kept.push(b);
            lo = b;
            first = false;
        }
    }
    Ok(Classes { breaks: kept, min })
}

/// The class of `v` (0-based), or `None` when `v` is not finite or outside `[min, last break]`
/// (a value from another dataset); for custom classes any value below the first break is class 0.
pub fn class_of(classes: &Classes, v: f64) -> Option<usize> {
    if !v.is_finite() || v < classes.min {
        return None;
    }
    classes.breaks.iter().position(|b| v <= *b)
}

/// A "nice" step for dividing `range` into about `n` equal classes: the smallest of
/// 1, 2, 2.5, 5 × 10^k that is at least `range / n`, so legends read 0–50–100, not 0–47,3–94,6.
/// Returns 0 for a range that is not positive and finite, or `n == 0`.
pub fn nice_step(range: f64, n: usize) -> f64 {
    if !(range.is_finite() && range > 0.0) || n == 0 {
        return 0.0;
    }
    let raw = range / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let s = tidy(m * mag);
        if s >= raw * (1.0 - 1e-12) {
            return s;
        }
    }
    tidy(10.0 * mag)
}

/// The next nice step above `step`.
fn next_nice(step: f64) -> f64 {
    nice_step(step * 1.000_001, 1)
}

/// Rounds to 12 significant digits, removing float noise such as 0.30000000000000004.
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// Rounded equal steps; with `whole`, only whole steps (2,5 becomes 5), so the bounds of counts
/// are whole numbers.
fn equal_breaks(min: f64, max: f64, n: usize, whole: bool) -> Vec<f64> {
    let mut step = nice_step(max - min, n);
    for _ in 0..8 {
        if step <= 0.0 || !step.is_finite() {
            return Vec::new();
        }
        if whole && step.fract() != 0.0 {
            step = next_nice(step);
            continue;
        }
        let start = (min / step).floor();
        let count = ((max / step) - start - 1e-9).ceil();
        if count <= n as f64 {
            return (1..count as usize)
                .map(|k| tidy((start + k as f64) * step))
                .collect();
        }
        step = next_nice(step);
    }
    Vec::new()
}

fn quantile_breaks(sorted: &[f64], n: usize) -> Vec<f64> {
    let len = sorted.len();
    (1..n)
        .filter_map(|k| {
            let idx = (k * len).div_ceil(n).saturating_sub(1);
            sorted.get(idx).copied()
        })
        .collect()
}

/// Fisher–Jenks optimal breaks on sorted values, computed on the distinct values weighted by how
/// often they occur (so ties never split), after deterministic sampling above
/// [`JENKS_MAX_VALUES`]. Returns the interior upper bounds.
fn jenks_breaks(sorted: &[f64], n: usize) -> Vec<f64> {
    let sample: Vec<f64> = if sorted.len() > JENKS_MAX_VALUES {
        let m = JENKS_MAX_VALUES;
        (0..m)
            .filter_map(|i| sorted.get(i * (sorted.len() - 1) / (m - 1)).copied())
            .collect()
    } else {
        sorted.to_vec()
    };
    let mut vals: Vec<f64> = Vec::new();
    let mut wts: Vec<f64> = Vec::new();
    for x in sample {
        match (vals.last(), wts.last_mut()) {
            (Some(last), Some(w)) if *last == x => *w += 1.0,
            _ => {
                vals.push(x);
                wts.push(1.0);
            }
        }
    }
    let m = vals.len();
    let k = n.min(m);
    if k < 2 {
        return Vec::new();
    }
    // Prefix sums of weight, weighted value and weighted square, shifted to the mean for precision.
    let mean = vals.iter().zip(&wts).map(|(v, w)| v * w).sum::<f64>() / wts.iter().sum::<f64>();
    let mut pw = vec![0.0; m + 1];
    let mut ps = vec![0.0; m + 1];
    let mut pq = vec![0.0; m + 1];
    for i in 0..m {
        let (x, w) = (vals[i] - mean, wts[i]);
        pw[i + 1] = pw[i] + w;
        ps[i + 1] = ps[i] + w * x;
        pq[i + 1] = pq[i] + w * x * x;
    }
    // Sum of squared deviations of vals[a..=b].
    let ssd = |a: usize, b: usize| -> f64 {
        let w = pw[b + 1] - pw[a];
        let s = ps[b + 1] - ps[a];
        let q = pq[b + 1] - pq[a];
        (q - s * s / w).max(0.0)
    };
    // cost[c][j]: best cost of splitting vals[0..=j] into c+1 classes; from[c][j]: start of the last.
    let mut cost = vec![vec![f64::INFINITY; m]; k];
    let mut from = vec![vec![0usize; m]; k];
    for (j, slot) in cost[0].iter_mut().enumerate() {
        *slot = ssd(0, j);
    }
    for c in 1..k {
        for j in c..m {
            let mut best = f64::INFINITY;
            let mut arg = c;
            for i in c..=j {
                let v = cost[c - 1][i - 1] + ssd(i, j);
                if v < best {
                    best = v;
                    arg = i;
                }
            }
            cost[c][j] = best;
            from[c][j] = arg;
        }
    }
    let mut starts = Vec::with_capacity(k);
    let mut j = m - 1;
    for c in (1..k).rev() {
        let i = from[c][j];
        starts.push(i);
        if i == 0 {
            break;
        }
        j = i - 1;
    }
    starts.reverse();
    starts
        .iter()
        .filter_map(|&i| i.checked_sub(1).and_then(|p| vals.get(p).copied()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cls(values: &[f64], m: Method, n: usize) -> Classes {
        classify(values, &m, n).unwrap()
    }

    #[test]
    fn nice_step_cases() {
        let cases: &[(f64, usize, f64)] = &[
            (100.0, 5, 20.0),
            (163.0, 5, 50.0),
            (10.0, 4, 2.5),
            (1.0, 5, 0.2),
            (0.3, 3, 0.1),
            (7.0, 5, 2.0),
            (1e9, 5, 2e8),
            (0.0, 5, 0.0),
            (-1.0, 5, 0.0),
            (f64::NAN, 5, 0.0),
            (10.0, 0, 0.0),
        ];
        for (r, n, want) in cases {
            assert_eq!(nice_step(*r, *n), *want, "range {r} n {n}");
        }
    }

    #[test]
    fn equal_steps_are_rounded() {
        // 100–150 holds no value: it is dropped and 101–163 is one class (issue 15: no empty class).
        let c = cls(&[3.0, 20.0, 47.0, 99.0, 163.0], Method::Equal, 5);
        assert_eq!(c.breaks, vec![50.0, 100.0, 163.0]);
        assert_eq!(c.min, 3.0);
        let c = cls(&[0.0, 0.1, 0.2, 0.3], Method::Equal, 3);
        assert_eq!(c.breaks, vec![0.1, 0.2, 0.3]);
        // min not on a step: the start is the step below it and the count still fits
        let c = cls(&[41.0, 59.0], Method::Equal, 2);
        assert!(c.breaks.len() <= 2, "{:?}", c.breaks);
        assert_eq!(c.breaks.last(), Some(&59.0));
        // -20–0 holds no value and joins 0–20.
        let c = cls(&[-35.0, 12.0, 40.0], Method::Equal, 4);
        assert_eq!(c.breaks, vec![-20.0, 20.0, 40.0]);
    }

    #[test]
    fn counts_get_whole_bounds_and_one_class_per_value_when_few() {
        // The qtdnd_count map of issue 15: values 1 and 2 read "1 – 1,2 · 1,2 – 1,4 …" before.
        let v = [1.0, 2.0, 1.0, 1.0, 2.0, 0.0];
        for m in [Method::Equal, Method::Quantile, Method::Jenks] {
            let c = classify_counts(&v, &m, 5).unwrap();
            assert_eq!(c.breaks, vec![0.0, 1.0, 2.0], "{m:?}");
            assert_eq!(c.min, 0.0);
            assert!(one_value_per_class(&c, &v));
        }
        // Range 12 in 5 steps is 2,5 for decimals; a count steps by 5 instead.
        let v: Vec<f64> = (0..=12).map(f64::from).collect();
        let c = classify_counts(&v, &Method::Equal, 5).unwrap();
        assert!(c.breaks.iter().all(|b| b.fract() == 0.0), "{:?}", c.breaks);
        assert_eq!(c.breaks, vec![5.0, 10.0, 12.0]);
        assert!(!one_value_per_class(&c, &v));
        assert_eq!(classify(&v, &Method::Equal, 5).unwrap().breaks, vec![2.5, 5.0, 7.5, 10.0, 12.0]);
        // Values that are not whole are classed as before.
        let c = classify_counts(&[1.0, 1.5, 2.0], &Method::Equal, 5).unwrap();
        assert!(c.breaks.iter().any(|b| b.fract() != 0.0), "{:?}", c.breaks);
        // Custom breaks stay as the reader typed them, empty classes included.
        let c = classify_counts(&[1.0, 2.0], &Method::Custom(vec![0.5, 10.0, 20.0]), 4).unwrap();
        assert_eq!(c.breaks, vec![0.5, 10.0, 20.0]);
    }

    #[test]
    fn no_class_is_empty() {
        let v = [0.5, 1.0, 2.0, 3.0, 97.0, 100.0];
        for m in [Method::Equal, Method::Quantile, Method::Jenks] {
            for n in 2..=9 {
                for c in [classify(&v, &m, n).unwrap(), classify_counts(&v, &m, n).unwrap()] {
                    for i in 0..c.count() {
                        assert!(v.iter().any(|&x| class_of(&c, x) == Some(i)), "{m:?} {n}: class {i} of {:?}", c.breaks);
                    }
                }
            }
        }
    }

    #[test]
    fn quantiles_split_counts() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(
            cls(&v, Method::Quantile, 5).breaks,
            vec![2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(cls(&v, Method::Quantile, 3).breaks, vec![4.0, 7.0, 10.0]);
        // ties collapse classes instead of leaving empty ones
        let c = cls(&[1.0, 1.0, 1.0, 1.0, 1.0, 2.0], Method::Quantile, 4);
        assert_eq!(c.breaks, vec![1.0, 2.0]);
    }

    #[test]
    fn jenks_finds_gaps() {
        let v = [1.0, 2.0, 3.0, 50.0, 51.0, 52.0, 100.0, 101.0];
        assert_eq!(cls(&v, Method::Jenks, 3).breaks, vec![3.0, 52.0, 101.0]);
        let v = [10.0, 10.0, 10.0, 11.0, 30.0, 31.0];
        assert_eq!(cls(&v, Method::Jenks, 2).breaks, vec![11.0, 31.0]);
        // fewer distinct values than classes
        assert_eq!(
            cls(&[5.0, 5.0, 7.0], Method::Jenks, 5).breaks,
            vec![5.0, 7.0]
        );
    }

    #[test]
    fn jenks_is_optimal_on_small_inputs() {
        // brute force over all 2-break splits of 9 values
        let v = [1.0, 4.0, 5.0, 9.0, 10.0, 11.0, 20.0, 26.0, 27.0];
        let ssd = |s: &[f64]| {
            let m = s.iter().sum::<f64>() / s.len() as f64;
            s.iter().map(|x| (x - m) * (x - m)).sum::<f64>()
        };
        let mut best = (f64::INFINITY, 0, 0);
        for a in 1..v.len() - 1 {
            for b in a + 1..v.len() {
                let c = ssd(&v[..a]) + ssd(&v[a..b]) + ssd(&v[b..]);
                if c < best.0 {
                    best = (c, a, b);
                }
            }
        }
        let got = cls(&v, Method::Jenks, 3).breaks;
        assert_eq!(got, vec![v[best.1 - 1], v[best.2 - 1], 27.0]);
    }

    #[test]
    fn jenks_large_input_is_sampled_and_deterministic() {
        // a seeded LCG, three clusters, 20 000 values
        let mut s: u64 = 42;
        let mut v = Vec::new();
        for i in 0..20_000 {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (s >> 11) as f64 / (1u64 << 53) as f64;
            v.push([0.0, 100.0, 1000.0][i % 3] + u * 10.0);
        }
        let t = std::time::Instant::now();
        let a = cls(&v, Method::Jenks, 3);
        let elapsed = t.elapsed();
        let b = cls(&v, Method::Jenks, 3);
        assert_eq!(a, b);
        assert_eq!(a.breaks.len(), 3);
        assert!(
            a.breaks[0] < 10.0 && a.breaks[1] > 100.0 && a.breaks[1] < 110.0,
            "{:?}",
            a.breaks
        );
        eprintln!("jenks 20000 values, 3 classes (debug build): {elapsed:?}");
    }

    #[test]
    fn custom_breaks() {
        let c = cls(
            &[5.0, 20.0, 70.0, 150.0],
            Method::Custom(vec![10.0, 50.0, 100.0]),
            0,
        );
        assert_eq!(c.breaks, vec![10.0, 50.0, 100.0, 150.0]);
        assert_eq!(class_of(&c, 5.0), Some(0));
        assert_eq!(class_of(&c, 10.0), Some(0));
        assert_eq!(class_of(&c, 10.5), Some(1));
        assert_eq!(class_of(&c, 150.0), Some(3));
        // data within the breaks: the legend keeps the given breaks
        let c = cls(&[5.0, 20.0], Method::Custom(vec![10.0, 50.0, 100.0]), 0);
        assert_eq!(c.breaks, vec![10.0, 50.0, 100.0]);
        let bad: &[(Vec<f64>, &str)] = &[
            (vec![10.0, 5.0], "custom break 2 (5): not above"),
            (vec![10.0, 10.0], "custom break 2 (10): not above"),
            (vec![f64::NAN], "custom break 1 (NaN): not a finite"),
            (
                vec![1.0, f64::INFINITY],
                "custom break 2 (inf): not a finite",
            ),
            (vec![], "custom breaks: found 0"),
            ((1..=9).map(f64::from).collect(), "custom breaks: found 9"),
        ];
        for (b, msg) in bad {
            let e = classify(&[1.0, 2.0], &Method::Custom(b.clone()), 5).unwrap_err();
            assert!(e.to_string().starts_with(msg), "{b:?}: {e}");
        }
    }

    #[test]
    fn degenerate_inputs() {
        for m in [Method::Equal, Method::Quantile, Method::Jenks] {
            assert_eq!(classify(&[], &m, 5), Err(ClassifyError::NoValues));
            assert_eq!(
                classify(&[f64::NAN, f64::INFINITY], &m, 5),
                Err(ClassifyError::NoValues)
            );
            let c = classify(&[7.0, 7.0, f64::NAN], &m, 5).unwrap();
            assert_eq!(
                c,
                Classes {
                    breaks: vec![7.0],
                    min: 7.0
                }
            );
            assert_eq!(class_of(&c, 7.0), Some(0));
            assert!(matches!(
                classify(&[1.0, 2.0], &m, 1),
                Err(ClassifyError::ClassCount(_))
            ));
            assert!(matches!(
                classify(&[1.0, 2.0], &m, 10),
                Err(ClassifyError::ClassCount(_))
            ));
            // every value lands in a class, classes ascend, count within n
            let v = [0.5, 3.0, 3.0, 8.0, 13.0, 21.0, 34.0, 55.0, 89.0, 144.0, 1e6];
            for n in 2..=9 {
                let c = classify(&v, &m, n).unwrap();
                assert!(c.count() <= n && c.count() >= 1, "{m:?} {n} {:?}", c.breaks);
                assert!(c.breaks.windows(2).all(|w| w[0] < w[1]));
                let mut last = 0;
                for x in v {
                    let k = class_of(&c, x).unwrap();
                    assert!(k >= last);
                    last = k;
                }
            }
        }
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let v = [f64::MAX, -f64::MAX, 0.0, 1e-300, -1e-300, 5e-324];
        for m in [Method::Equal, Method::Quantile, Method::Jenks] {
            for n in 2..=9 {
                let c = classify(&v, &m, n).unwrap();
                assert_eq!(c.breaks.last(), Some(&f64::MAX), "{m:?} {n}");
                assert!(
                    c.breaks.windows(2).all(|w| w[0] < w[1]),
                    "{m:?} {n} {:?}",
                    c.breaks
                );
                assert!(
                    v.iter().all(|x| class_of(&c, *x).is_some()),
                    "{m:?} {n} {:?}",
                    c.breaks
                );
            }
        }
    }

    #[test]
    fn class_of_and_bounds() {
        let c = Classes {
            breaks: vec![10.0, 20.0, 30.0],
            min: 1.0,
        };
        let cases: &[(f64, Option<usize>)] = &[
            (1.0, Some(0)),
            (10.0, Some(0)),
            (10.01, Some(1)),
            (30.0, Some(2)),
            (30.5, None),
            (0.0, None),
            (f64::NAN, None),
        ];
        for (v, want) in cases {
            assert_eq!(class_of(&c, *v), *want, "{v}");
        }
        assert_eq!(c.bounds(0), Some((1.0, 10.0)));
        assert_eq!(c.bounds(2), Some((20.0, 30.0)));
        assert_eq!(c.bounds(3), None);
    }

    #[test]
    fn spec_codes_round_trip() {
        let cases = [
            "eq5",
            "q5",
            "nb5",
            "eq7",
            "nb9",
            "q2",
            "x:10~50~100",
            "x:0.25~0.5",
            "x:-3~1e21",
        ];
        for code in cases {
            let s = ClassSpec::from_code(code).unwrap();
            let again = ClassSpec::from_code(&s.code()).unwrap();
            assert_eq!(s, again, "{code}");
        }
        assert_eq!(ClassSpec::default().code(), "eq5");
        assert_eq!(
            ClassSpec::from_code("x:10~50~100").unwrap().code(),
            "x:10~50~100"
        );
        let bad = ["eq1", "eq10", "eq", "zz5", "x:", "x:5~3", "x:a", "q05", ""];
        for code in bad {
            assert!(ClassSpec::from_code(code).is_err(), "{code}");
        }
    }
}
