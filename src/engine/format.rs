//! Numbers written the way Vietnamese readers expect (`3.000`, `38,3%`, `3,5 triệu đồng`), with an
//! English form (`3,000`, `38.3%`, `3.5 million VND`), and a lenient reader for spreadsheet cells.
//!
//! Why no locale library: the wasm bundle stays small, the output is identical natively and in
//! every browser (Intl data differs between browsers and versions), and tests pin it exactly.
//!
//! Rounding rule (decided here, tested in `rounding_is_half_up_on_the_shortest_decimal`): a value
//! is rounded *half away from zero on its shortest decimal representation*, the digits a person
//! reads (`2.95` → `3,0`, `1.005` → `1,01`, `0.125` → `0,13`), not on the binary double (which
//! would give `2,9`/`1,00`/`0,12` and look wrong to anyone checking by hand or in Excel). Percent
//! and unit scaling shift that decimal representation exactly, so `0.0295` → `2,95%` → `3,0%`.
//!
//! Signs: [`number`] writes an ASCII `-` so that copied figures paste into spreadsheets as numbers;
//! [`signed_change`] writes `+` / `−` (U+2212) because it is display text only. Missing values
//! (NaN, ±∞) are written `–` (en dash), the convention of Vietnamese statistical tables.

use super::vocab::Lang;

/// What the formatters print for a missing or non-finite value.
pub const MISSING: &str = "–";

/// Decimals beyond this are not printed: no figure in the atlas is that precise, and it bounds work.
const MAX_DECIMALS: usize = 12;

/// A finite number rounded to a fixed number of decimals, as digit strings.
struct Fixed {
    neg: bool,
    int: String,
    frac: String,
}

/// Rounds `x × 10^shift` to `decimals` decimals, half away from zero on the shortest decimal
/// representation of `x`. `None` for NaN and infinities.
fn fixed(x: f64, shift: i32, decimals: usize) -> Option<Fixed> {
    if !x.is_finite() {
        return None;
    }
    let decimals = decimals.min(MAX_DECIMALS);
    // `{:e}` is the shortest round-trip representation: "2.95e0", "3.83e-1", "0e0".
    let e = format!("{:e}", x.abs());
    let (mant, exp) = e.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let digits: Vec<u8> = mant
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let point = exp.saturating_add(shift).saturating_add(1); // digits before the decimal point
    let mut int: Vec<u8> = Vec::new();
    let mut frac: Vec<u8> = Vec::new();
    if point <= 0 {
        int.push(0);
        let zeros = (-point) as usize;
        frac.extend(std::iter::repeat_n(0, zeros.min(decimals + 1)));
        frac.extend(digits.iter().copied());
    } else {
        let p = point as usize;
        for k in 0..p {
            int.push(digits.get(k).copied().unwrap_or(0));
        }
        frac.extend(digits.iter().skip(p).copied());
    }
    let round_up = frac.get(decimals).is_some_and(|d| *d >= 5);
    frac.truncate(decimals);
    frac.resize(decimals, 0);
    if round_up {
        let mut carry = true;
        for d in frac.iter_mut().rev().chain(int.iter_mut().rev()) {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                carry = false;
                break;
            }
        }
        if carry {
            int.insert(0, 1);
        }
    }
    while int.len() > 1 && int.first() == Some(&0) {
        int.remove(0);
    }
    let is_zero = int.iter().chain(frac.iter()).all(|d| *d == 0);
    let to_s = |v: &[u8]| v.iter().map(|d| char::from(b'0' + d)).collect::<String>();
    Some(Fixed {
        neg: x < 0.0 && !is_zero,
        int: to_s(&int),
        frac: to_s(&frac),
    })
}

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    }
}

fn render(f: &Fixed, lang: Lang, minus: &str, trim: bool) -> String {
    let (thousands, decimal) = separators(lang);
    let mut out = String::with_capacity(f.int.len() + f.frac.len() + 8);
    if f.neg {
        out.push_str(minus);
    }
    let n = f.int.len();
    for (k, c) in f.int.chars().enumerate() {
        if k > 0 && (n - k) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    let frac = if trim {
        f.frac.trim_end_matches('0')
    } else {
        f.frac.as_str()
    };
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// A number with thousands grouping and exactly `decimals` decimals: vi `3.000`, `38,3`;
/// en `3,000`, `38.3`. Negative numbers get an ASCII `-` (safe to paste into a spreadsheet);
/// NaN and infinities give [`MISSING`].
pub fn number(x: f64, decimals: usize, lang: Lang) -> String {
    match fixed(x, 0, decimals) {
        Some(f) => render(&f, lang, "-", false),
        None => MISSING.to_string(),
    }
}

/// Like [`number`] but with trailing zero decimals dropped (`3,5`, `3`, not `3,50`/`3,0`):
/// for prose and compact labels where a fixed width does not matter.
pub fn number_trimmed(x: f64, max_decimals: usize, lang: Lang) -> String {
    match fixed(x, 0, max_decimals) {
        Some(f) => render(&f, lang, "-", true),
        None => MISSING.to_string(),
    }
}

/// A number for machines (CSV cells): `-1234.50`, a `.` point and no grouping, exactly `decimals`
/// decimals; empty for NaN and infinities. Why not `format!("{:.2}")`: that links the standard
/// library's exact float printing, 4 KB of the phone's download, for what [`fixed`] already does.
pub fn plain(x: f64, decimals: usize) -> String {
    match fixed(x, 0, decimals) {
        Some(f) if f.frac.is_empty() => format!("{}{}", if f.neg { "-" } else { "" }, f.int),
        Some(f) => format!("{}{}.{}", if f.neg { "-" } else { "" }, f.int, f.frac),
        None => String::new(),
    }
}

/// A whole number with grouping (`15.832` / `15,832`): counts of units, members, products.
pub fn integer(x: f64, lang: Lang) -> String {
    number(x, 0, lang)
}

/// A share (0–1) as a percentage: `0.383` → vi `38,3%`, en `38.3%`. No space before `%`, as in
/// GSO publications. The ×100 is done on the decimal digits, so `0.0295` rounds to `3,0%`.
pub fn percent(share: f64, decimals: usize, lang: Lang) -> String {
    match fixed(share, 2, decimals) {
        Some(f) => format!("{}%", render(&f, lang, "-", false)),
        None => MISSING.to_string(),
    }
}

fn money_word(lang: Lang, scale: u8) -> &'static str {
    match (lang, scale) {
        (Lang::Vi, 0) => "đồng",
        (Lang::En, 0) => "VND",
        (Lang::Vi, 6) => "triệu đồng",
        (Lang::En, 6) => "million VND",
        (Lang::Vi, _) => "tỷ đồng",
        (Lang::En, _) => "billion VND",
    }
}

/// A monthly amount in VND the way incomes are quoted: from one million up, in millions with at
/// most one decimal (`3,5 triệu đồng` / `3.5 million VND`); from one billion, in billions; below
/// one million, the whole amount (`850.000 đồng` / `850,000 VND`).
pub fn vnd_month(vnd: f64, lang: Lang) -> String {
    if !vnd.is_finite() {
        return MISSING.to_string();
    }
    let scale = money_scale(vnd);
    let decimals = if scale == 0 { 0 } else { 1 };
    match fixed(vnd, -i32::from(scale), decimals) {
        Some(f) => format!(
            "{} {}",
            render(&f, lang, "-", true),
            money_word(lang, scale)
        ),
        None => MISSING.to_string(),
    }
}

/// An amount `x` counted in 10^`unit` đồng (0: đồng, 6: millions, 9: billions) written in
/// 10^`word` đồng ("triệu đồng" for 6, "tỷ đồng" for 9) with exactly `decimals` decimals:
/// `(3_000_000, 0, 6, 1)` → `3,0 triệu đồng`, `(68_013.1, 9, 9, 0)` → `68.013 tỷ đồng`. What a row of
/// figures uses to write every amount of one scale word at one precision
/// (`dashboard::align_decimals_by`). The shift is done on the decimal digits, as everywhere here.
pub fn money_in(x: f64, unit: u8, word: u8, decimals: usize, lang: Lang) -> String {
    match fixed(x, i32::from(unit) - i32::from(word), decimals) {
        Some(f) => format!("{} {}", render(&f, lang, "-", false), money_word(lang, word)),
        None => MISSING.to_string(),
    }
}

/// The money scale of an amount (0, 6 or 9 = power of ten), decided after rounding so that
/// 999.999.999 đồng becomes "1 tỷ đồng", not "1.000 triệu đồng".
pub fn money_scale(vnd: f64) -> u8 {
    let a = vnd.abs();
    if a >= 999_950_000.0 {
        9
    } else if a >= 999_999.5 {
        6
    } else {
        0
    }
}

/// A range of monthly amounts given **in VND**, written in millions with at most one decimal:
/// `(3_000_000, 4_000_000)` → `3–4 triệu đồng` / `3–4 million VND` (en dash, no spaces, as in the
/// policy texts that set income targets). Bounds are swapped if given in the wrong order; equal
/// rounded bounds print once. A missing bound gives [`MISSING`].
pub fn vnd_range_million(lo: f64, hi: f64, lang: Lang) -> String {
    if !lo.is_finite() || !hi.is_finite() {
        return MISSING.to_string();
    }
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let (Some(a), Some(b)) = (fixed(lo, -6, 1), fixed(hi, -6, 1)) else {
        return MISSING.to_string();
    };
    let (a, b) = (render(&a, lang, "-", true), render(&b, lang, "-", true));
    if a == b {
        format!("{a} {}", money_word(lang, 6))
    } else {
        format!("{a}–{b} {}", money_word(lang, 6))
    }
}

/// A large number shortened for axis labels and map legends, at most one decimal:
/// `15_832` → `15,8 nghìn` / `15.8 thousand`; `1.2e9` → `1,2 tỷ` / `1.2 billion`;
/// `1.5e12` → `1,5 nghìn tỷ` / `1.5 trillion`. Below 1,000 the number itself (`850`, `12,5`).
/// Rounding that reaches the next unit moves up (`999_960` → `1 triệu`).
pub fn compact(x: f64, lang: Lang) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    let a = x.abs();
    let mut u = 0usize;
    while u + 1 < SCALES.len() && a >= 10f64.powi(SCALES[u + 1].0) {
        u += 1;
    }
    loop {
        let (p, vi, en) = SCALES[u];
        let Some(f) = fixed(x, -p, 1) else {
            return MISSING.to_string();
        };
        if f.int.len() > 3 && u + 1 < SCALES.len() {
            u += 1;
            continue;
        }
        let s = render(&f, lang, "-", true);
        let word = if lang == Lang::Vi { vi } else { en };
        return if word.is_empty() {
            s
        } else {
            format!("{s} {word}")
        };
    }
}

/// Words for large numbers by power of ten (vi, en): [`compact`] labels and axis units.
const SCALES: [(i32, &str, &str); 5] = [
    (0, "", ""),
    (3, "nghìn", "thousand"),
    (6, "triệu", "million"),
    (9, "tỷ", "billion"),
    (12, "nghìn tỷ", "trillion"),
];

/// The units a value axis can be written in ([`axis_unit`]), as powers of ten: plain numbers,
/// millions, billions, trillions. The chart option names one, and the browser binding makes one
/// formatter for each.
pub const AXIS_UNITS: [u8; 4] = [0, 6, 9, 12];

/// The unit a value axis is written in, from the largest value it shows: `0` (plain numbers),
/// or `6`, `9`, `12` for millions, billions, trillions (the power of ten). One unit for the whole
/// axis, so its ticks read `0,5 triệu`, `1 triệu`, not `500.000` next to `1 triệu`.
pub fn axis_unit(max_abs: f64) -> u8 {
    AXIS_UNITS.into_iter().rev().find(|&p| p > 0 && max_abs.abs() >= 10f64.powi(p as i32)).unwrap_or(0)
}

/// A tick of a chart's value axis, as the reader writes numbers, in the axis's `unit`
/// ([`axis_unit`]): `2.250`, `38,5`; `3,25 triệu` (en `3.25 million`); `0` alone. Exact, with up
/// to three decimals: ticks are round numbers, and [`compact`]'s single decimal would show 2,250
/// as `2,3 nghìn`, next to a `2,5 nghìn` tick. A unit not in [`AXIS_UNITS`] gives plain numbers.
pub fn axis_label(x: f64, unit: u8, lang: Lang) -> String {
    let word = SCALES
        .iter()
        .find(|s| AXIS_UNITS.contains(&unit) && s.0 == i32::from(unit))
        .map_or("", |&(_, vi, en)| if lang == Lang::Vi { vi } else { en });
    let shift = if word.is_empty() { 0 } else { -(unit as i32) };
    let Some(f) = fixed(x, shift, 3) else {
        return MISSING.to_string();
    };
    let n = render(&f, lang, "-", true);
    if word.is_empty() || x == 0.0 {
        n
    } else {
        format!("{n} {word}")
    }
}

/// A change between two figures with an explicit sign: `+120`, `−3,5` (U+2212 minus, for display
/// only), `0` when it rounds to zero. Why the sign: "+120 HTX so với 2019" reads at a glance.
pub fn signed_change(delta: f64, decimals: usize, lang: Lang) -> String {
    match fixed(delta, 0, decimals) {
        Some(f) => {
            let is_zero = f.int.bytes().chain(f.frac.bytes()).all(|b| b == b'0');
            let body = render(&f, lang, "\u{2212}", false);
            if f.neg || is_zero {
                body
            } else {
                format!("+{body}")
            }
        }
        None => MISSING.to_string(),
    }
}

/// Formats a value by the unit names of the dataset format (`docs/dataset-format.md`), so tables,
/// tooltips and legends agree:
/// - `count`, `persons`, `products`: whole number (`3.000`); a fractional value (a mean) keeps one
///   decimal. The kind noun is the caller's label, not part of the value.
/// - `vnd_month`: [`vnd_month`]. `million_vnd`: `1.250 triệu đồng` (whole millions, one decimal
///   below 100). `billion_vnd`: `12,5 tỷ đồng`. `share`: [`percent`] with one decimal.
/// - any other unit: whole number if whole, else one decimal.
pub fn value(value: f64, unit: &str, lang: Lang) -> String {
    if !value.is_finite() {
        return MISSING.to_string();
    }
    let plain = |v: f64| {
        if v.fract() == 0.0 {
            integer(v, lang)
        } else {
            number(v, 1, lang)
        }
    };
    match unit {
        "vnd_month" => vnd_month(value, lang),
        "share" => percent(value, 1, lang),
        "million_vnd" => {
            let d = if value.abs() < 100.0 && value.fract() != 0.0 {
                1
            } else {
                0
            };
            format!("{} {}", number(value, d, lang), money_word(lang, 6))
        }
        "billion_vnd" => format!("{} {}", number_trimmed(value, 1, lang), money_word(lang, 9)),
        _ => plain(value),
    }
}

/// How a cell writes its decimal separator, when the caller knows (a CSV header, a file setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DecimalHint {
    /// Guess per cell (see [`parse_number_with`]).
    #[default]
    Auto,
    /// `,` is the decimal separator and `.` groups thousands (Vietnamese, Excel vi-VN).
    Comma,
    /// `.` is the decimal separator and `,` groups thousands (English).
    Point,
}

/// Reads a number from a spreadsheet cell with [`DecimalHint::Auto`]. See [`parse_number_with`].
pub fn parse_number(s: &str) -> Option<f64> {
    parse_number_with(s, DecimalHint::Auto)
}

/// Reads a number the way people type it in Vietnamese or English spreadsheets.
///
/// Accepted: surrounding and grouping spaces (also no-break and thin spaces), a leading `+`, `-` or
/// `−`, grouping with `.` or `,`, a decimal `,` or `.`, a trailing `%` (the value is divided by
/// 100, so `38,3%` → `0.383`, a share), and scientific notation without grouping (`1.5e6`).
///
/// Disambiguation, in order:
/// 1. Both `.` and `,` present: the one that comes last is the decimal separator.
/// 2. One kind appearing more than once (`1.234.567`): thousands separators.
/// 3. A single separator: with [`DecimalHint::Comma`] / [`DecimalHint::Point`] the hint decides.
///    With `Auto`, it groups thousands when exactly three digits follow it and one to three
///    digits, not a lone `0`, precede it (`3.000` and `3,000` → 3000); otherwise it is the
///    decimal separator (`3,5` → 3.5, `0,500` → 0.5, `12.75` → 12.75).
///
/// Thousands groups must have three digits (`1.23.4` is refused). Returns `None` for empty
/// cells, text, NaN/infinity and anything malformed, so the caller can report the cell.
pub fn parse_number_with(s: &str, hint: DecimalHint) -> Option<f64> {
    let mut t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202F}' && *c != '\u{00A0}')
        .collect();
    if t.is_empty() || t.len() > 400 {
        return None;
    }
    let mut scale = 1.0;
    if let Some(rest) = t.strip_suffix('%') {
        t = rest.to_string();
        scale = 0.01;
    }
    let (neg, body) = match t.chars().next() {
        Some('-') => (true, &t[1..]),
        Some('\u{2212}') => (true, &t['\u{2212}'.len_utf8()..]),
        Some('+') => (false, &t[1..]),
        _ => (false, t.as_str()),
    };
    if body.is_empty() {
        return None;
    }
    // Scientific notation: only plain digits, one '.', and an exponent.
    if body.contains(['e', 'E']) {
        if body.contains(',')
            || !body
                .bytes()
                .all(|b| b.is_ascii_digit() || b"eE.+-".contains(&b))
        {
            return None;
        }
        let v: f64 = body.parse().ok()?;
        return finish(v, neg, scale);
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let decimal: Option<char> = match (dots, commas) {
        (0, 0) => None,
        (_, 0) if dots > 1 => None,
        (0, _) if commas > 1 => None,
        (_, 0) | (0, _) => {
            let sep = if dots == 1 { '.' } else { ',' };
            match hint {
                DecimalHint::Comma => (sep == ',').then_some(','),
                DecimalHint::Point => (sep == '.').then_some('.'),
                DecimalHint::Auto => {
                    let (before, after) = body.split_once(sep)?;
                    let thousands =
                        after.len() == 3 && (1..=3).contains(&before.len()) && before != "0";
                    if thousands {
                        None
                    } else {
                        Some(sep)
                    }
                }
            }
        }
        _ => {
            let last_dot = body.rfind('.')?;
            let last_comma = body.rfind(',')?;
            Some(if last_dot > last_comma { '.' } else { ',' })
        }
    };
    if let Some(d) = decimal {
        if body.matches(d).count() > 1 {
            return None;
        }
    }
    let (int_part, frac_part) = match decimal {
        Some(d) => body.split_once(d)?,
        None => (body, ""),
    };
    if frac_part.contains(['.', ',']) {
        return None;
    }
    // Thousands groups: first 1–3 digits, then groups of exactly 3.
    let groups: Vec<&str> = int_part.split(['.', ',']).collect();
    if groups.len() > 1 {
        let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
        if !first_ok || groups.iter().skip(1).any(|g| g.len() != 3) {
            return None;
        }
    }
    let digits: String = groups.concat();
    if digits.is_empty() && frac_part.is_empty() {
        return None;
    }
    let text = format!(
        "{}.{}",
        if digits.is_empty() { "0" } else { &digits },
        if frac_part.is_empty() { "0" } else { frac_part }
    );
    let v: f64 = text.parse().ok()?;
    finish(v, neg, scale)
}

fn finish(v: f64, neg: bool, scale: f64) -> Option<f64> {
    let v = if neg { -v } else { v } * scale;
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_are_exact_and_grouped_the_readers_way() {
        assert_eq!(axis_unit(3000.0), 0);
        assert_eq!(axis_unit(999_999.0), 0);
        assert_eq!(axis_unit(3_500_000.0), 6);
        assert_eq!(axis_unit(-2e9), 9);
        assert_eq!(axis_unit(2e12), 12);
        assert_eq!(axis_unit(f64::NAN), 0);
        assert_eq!(axis_label(2250.0, 0, Lang::Vi), "2.250");
        assert_eq!(axis_label(2250.0, 0, Lang::En), "2,250");
        assert_eq!(axis_label(38.5, 0, Lang::Vi), "38,5");
        assert_eq!(axis_label(0.0, 0, Lang::Vi), "0");
        assert_eq!(axis_label(-500.0, 0, Lang::Vi), "-500");
        assert_eq!(axis_label(999_999.0, 0, Lang::Vi), "999.999");
        // One unit for the whole axis.
        assert_eq!(axis_label(500_000.0, 6, Lang::Vi), "0,5 triệu");
        assert_eq!(axis_label(0.0, 6, Lang::Vi), "0");
        assert_eq!(axis_label(3_250_000.0, 6, Lang::Vi), "3,25 triệu");
        assert_eq!(axis_label(3_250_000.0, 6, Lang::En), "3.25 million");
        assert_eq!(axis_label(1_500_000_000.0, 9, Lang::Vi), "1,5 tỷ");
        assert_eq!(axis_label(2e12, 12, Lang::En), "2 trillion");
        // An unknown unit is read as plain numbers.
        assert_eq!(axis_label(1234.0, 5, Lang::Vi), "1.234");
        assert_eq!(axis_label(f64::NAN, 0, Lang::Vi), MISSING);
        assert_eq!(axis_label(f64::INFINITY, 6, Lang::En), MISSING);
    }
    use Lang::{En, Vi};

    #[test]
    fn plain_numbers_are_what_format_prints() {
        // Agrees with the standard library's `{:.N}` (which the wasm does not link), rounding
        // half away from zero on the decimal digits.
        for &x in &[0.0, 1234.5, -1234.5678, 0.38349, 0.0295, 2e9, 123456789.125, -0.004, 5.0] {
            for d in [0usize, 2, 4] {
                let ours = plain(x, d);
                let std = format!("{x:.d$}");
                let same = ours == std || (std.starts_with("-0") && ours == std[1..]);
                assert!(same || (x * 10f64.powi(d as i32)).fract().abs() == 0.5, "{x} {d}: {ours} vs {std}");
            }
        }
        assert_eq!(plain(0.3835, 4), "0.3835");
        assert_eq!(plain(-1234.567, 2), "-1234.57");
        assert_eq!(plain(12.0, 0), "12");
        assert_eq!(plain(f64::NAN, 2), "");
    }

    #[test]
    fn number_cases() {
        let cases: &[(f64, usize, &str, &str)] = &[
            (3000.0, 0, "3.000", "3,000"),
            (38.3, 1, "38,3", "38.3"),
            (0.0, 0, "0", "0"),
            (0.0, 2, "0,00", "0.00"),
            (-1234.5, 1, "-1.234,5", "-1,234.5"),
            (-0.04, 1, "0,0", "0.0"), // no negative zero
            (999.96, 1, "1.000,0", "1,000.0"),
            (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
            (123.0, 0, "123", "123"),
            (1e15, 0, "1.000.000.000.000.000", "1,000,000,000,000,000"),
            (0.000123, 5, "0,00012", "0.00012"),
            (0.000125, 5, "0,00013", "0.00013"),
            (5e-324, 2, "0,00", "0.00"),
            (f64::NAN, 1, "–", "–"),
            (f64::INFINITY, 0, "–", "–"),
            (f64::NEG_INFINITY, 0, "–", "–"),
        ];
        for (x, d, vi, en) in cases {
            assert_eq!(number(*x, *d, Vi), *vi, "vi {x} {d}");
            assert_eq!(number(*x, *d, En), *en, "en {x} {d}");
        }
        assert_eq!(number(f64::MAX, 0, Vi).len(), 309 + 102); // 309 digits + 102 separators, no panic
        assert_eq!(
            number(1.5, 99, En),
            format!("1.5{}", "0".repeat(MAX_DECIMALS - 1))
        );
    }

    #[test]
    fn rounding_is_half_up_on_the_shortest_decimal() {
        let cases: &[(f64, usize, &str)] = &[
            (2.95, 1, "3,0"),
            (1.005, 2, "1,01"),
            (0.125, 2, "0,13"),
            (2.5, 0, "3"),
            (-2.5, 0, "-3"),
            (0.5, 0, "1"),
            (0.45, 0, "0"),
            (9.995, 2, "10,00"),
        ];
        for (x, d, want) in cases {
            assert_eq!(number(*x, *d, Vi), *want, "{x} to {d}");
        }
    }

    #[test]
    fn integer_and_trimmed() {
        assert_eq!(integer(15832.4, Vi), "15.832");
        assert_eq!(integer(15832.5, En), "15,833");
        assert_eq!(number_trimmed(3.50, 2, Vi), "3,5");
        assert_eq!(number_trimmed(3.0, 2, En), "3");
        assert_eq!(number_trimmed(f64::NAN, 2, En), MISSING);
    }

    #[test]
    fn percent_cases() {
        let cases: &[(f64, usize, &str, &str)] = &[
            (0.383, 1, "38,3%", "38.3%"),
            (1.0, 0, "100%", "100%"),
            (0.0295, 1, "3,0%", "3.0%"),
            (0.0, 1, "0,0%", "0.0%"),
            (-0.052, 1, "-5,2%", "-5.2%"),
            (12.5, 0, "1.250%", "1,250%"),
            (f64::NAN, 1, "–", "–"),
        ];
        for (x, d, vi, en) in cases {
            assert_eq!(percent(*x, *d, Vi), *vi, "vi {x}");
            assert_eq!(percent(*x, *d, En), *en, "en {x}");
        }
    }

    #[test]
    fn vnd_month_cases() {
        let cases: &[(f64, &str, &str)] = &[
            (3_500_000.0, "3,5 triệu đồng", "3.5 million VND"),
            (3_000_000.0, "3 triệu đồng", "3 million VND"),
            (850_000.0, "850.000 đồng", "850,000 VND"),
            (999_999.0, "999.999 đồng", "999,999 VND"),
            (1_000_000.0, "1 triệu đồng", "1 million VND"),
            (12_345_678.0, "12,3 triệu đồng", "12.3 million VND"),
            (1_999_999.0, "2 triệu đồng", "2 million VND"),
            (999_999_999.0, "1 tỷ đồng", "1 billion VND"),
            (1_200_000_000.0, "1,2 tỷ đồng", "1.2 billion VND"),
            (0.0, "0 đồng", "0 VND"),
            (f64::NAN, "–", "–"),
        ];
        for (x, vi, en) in cases {
            assert_eq!(vnd_month(*x, Vi), *vi, "vi {x}");
            assert_eq!(vnd_month(*x, En), *en, "en {x}");
        }
    }

    #[test]
    fn vnd_range_cases() {
        let cases: &[(f64, f64, &str, &str)] = &[
            (3e6, 4e6, "3–4 triệu đồng", "3–4 million VND"),
            (4e6, 3e6, "3–4 triệu đồng", "3–4 million VND"),
            (3.5e6, 4.25e6, "3,5–4,3 triệu đồng", "3.5–4.3 million VND"),
            (5e6, 5e6, "5 triệu đồng", "5 million VND"),
            (f64::NAN, 5e6, "–", "–"),
        ];
        for (lo, hi, vi, en) in cases {
            assert_eq!(vnd_range_million(*lo, *hi, Vi), *vi);
            assert_eq!(vnd_range_million(*lo, *hi, En), *en);
        }
    }

    #[test]
    fn compact_cases() {
        let cases: &[(f64, &str, &str)] = &[
            (15_832.0, "15,8 nghìn", "15.8 thousand"),
            (1.2e9, "1,2 tỷ", "1.2 billion"),
            (850.0, "850", "850"),
            (12.5, "12,5", "12.5"),
            (999.96, "1 nghìn", "1 thousand"),
            (999_960.0, "1 triệu", "1 million"),
            (3_000.0, "3 nghìn", "3 thousand"),
            (1.5e12, "1,5 nghìn tỷ", "1.5 trillion"),
            (2e18, "2.000.000 nghìn tỷ", "2,000,000 trillion"),
            (-15_832.0, "-15,8 nghìn", "-15.8 thousand"),
            (0.0, "0", "0"),
            (f64::INFINITY, "–", "–"),
        ];
        for (x, vi, en) in cases {
            assert_eq!(compact(*x, Vi), *vi, "vi {x}");
            assert_eq!(compact(*x, En), *en, "en {x}");
        }
    }

    #[test]
    fn signed_change_cases() {
        let cases: &[(f64, usize, &str, &str)] = &[
            (120.0, 0, "+120", "+120"),
            (-3.5, 1, "\u{2212}3,5", "\u{2212}3.5"),
            (0.0, 0, "0", "0"),
            (-0.01, 1, "0,0", "0.0"),
            (1234.0, 0, "+1.234", "+1,234"),
            (f64::NAN, 0, "–", "–"),
        ];
        for (x, d, vi, en) in cases {
            assert_eq!(signed_change(*x, *d, Vi), *vi, "vi {x}");
            assert_eq!(signed_change(*x, *d, En), *en, "en {x}");
        }
    }

    #[test]
    fn value_dispatch() {
        let cases: &[(f64, &str, &str, &str)] = &[
            (3000.0, "count", "3.000", "3,000"),
            (12.25, "count", "12,3", "12.3"),
            (4521.0, "persons", "4.521", "4,521"),
            (17.0, "products", "17", "17"),
            (
                3_500_000.0,
                "vnd_month",
                "3,5 triệu đồng",
                "3.5 million VND",
            ),
            (
                1250.4,
                "million_vnd",
                "1.250 triệu đồng",
                "1,250 million VND",
            ),
            (12.5, "million_vnd", "12,5 triệu đồng", "12.5 million VND"),
            (12.5, "billion_vnd", "12,5 tỷ đồng", "12.5 billion VND"),
            (0.383, "share", "38,3%", "38.3%"),
            (213.0, "htx", "213", "213"),
            (2.75, "whatever", "2,8", "2.8"),
            (f64::NAN, "share", "–", "–"),
        ];
        for (x, unit, vi, en) in cases {
            assert_eq!(value(*x, unit, Vi), *vi, "vi {x} {unit}");
            assert_eq!(value(*x, unit, En), *en, "en {x} {unit}");
        }
    }

    #[test]
    fn parse_auto_cases() {
        let cases: &[(&str, Option<f64>)] = &[
            ("3.000", Some(3000.0)),
            ("3,000", Some(3000.0)),
            ("3,5", Some(3.5)),
            ("3.5", Some(3.5)),
            ("0,500", Some(0.5)),
            ("12.75", Some(12.75)),
            ("1234,567", Some(1234.567)), // four digits before: cannot be a group
            ("3,000.5", Some(3000.5)),
            ("3.000,5", Some(3000.5)),
            ("1.234.567", Some(1234567.0)),
            ("1,234,567", Some(1234567.0)),
            ("1.234.567,89", Some(1234567.89)),
            ("38,3%", Some(0.383)),
            ("100%", Some(1.0)),
            (" 1 234 ", Some(1234.0)),
            ("1\u{00A0}234", Some(1234.0)),
            ("-3,5", Some(-3.5)),
            ("\u{2212}3,5", Some(-3.5)),
            ("+7", Some(7.0)),
            ("1.5e6", Some(1.5e6)),
            (",5", Some(0.5)),
            ("5,", Some(5.0)),
            ("0", Some(0.0)),
            ("", None),
            ("   ", None),
            ("abc", None),
            ("NaN", None),
            ("inf", None),
            ("1.23.4", None),
            ("1,2,3", None),
            ("1.000,000,5", None),
            ("12,34.5", None),
            ("--1", None),
            ("-", None),
            ("%", None),
            ("1e999", None),
            ("1,5e3", None),
        ];
        for (s, want) in cases {
            let got = parse_number(s);
            match (got, want) {
                (Some(g), Some(w)) => {
                    assert!((g - w).abs() < 1e-9 * w.abs().max(1.0), "{s:?}: {g} != {w}")
                }
                _ => assert_eq!(got, *want, "{s:?}"),
            }
        }
    }

    #[test]
    fn parse_with_hints() {
        let cases: &[(&str, DecimalHint, Option<f64>)] = &[
            ("3,000", DecimalHint::Comma, Some(3.0)),
            ("3.000", DecimalHint::Comma, Some(3000.0)),
            ("3,000", DecimalHint::Point, Some(3000.0)),
            ("3.000", DecimalHint::Point, Some(3.0)),
            ("3.5", DecimalHint::Comma, None), // a group of one digit: malformed for vi
            ("1.234,5", DecimalHint::Comma, Some(1234.5)),
            ("1,234.5", DecimalHint::Point, Some(1234.5)),
        ];
        for (s, h, want) in cases {
            assert_eq!(parse_number_with(s, *h), *want, "{s:?} {h:?}");
        }
    }

    #[test]
    fn parse_reads_what_number_writes() {
        for x in [0.0, 1.0, 3000.0, 38.3, 1234567.89, -42.5, 0.001] {
            for lang in [Vi, En] {
                let s = number(x, 2, lang);
                let hint = if lang == Vi {
                    DecimalHint::Comma
                } else {
                    DecimalHint::Point
                };
                let back = parse_number_with(&s, hint).unwrap();
                assert!((back - x).abs() < 0.005, "{s} -> {back}");
            }
        }
        // a 100 KB cell is refused quickly rather than parsed
        assert_eq!(parse_number(&"1".repeat(100_000)), None);
    }
}
