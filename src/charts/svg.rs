//! A trend drawn as SVG text, for a link that opens on a trend: on 3G the Leptos app and ECharts
//! (≈ 540 KB brotli) arrive about 15 s after the first view, while this drawing needs only the
//! dataset's years (≈ 135 KB). The lean first view (`crate::lean`) writes it into the copy, and the
//! app's chart box (`ui::echart::EChart`) shows the same drawing until ECharts replaces it, so the
//! reader sees one chart from the first seconds on, never a loading line between two.
//!
//! It draws what ECharts draws from `options::trend_lines` and `options::add_targets`: a line per
//! series in its colour and marker shape (told apart without colour), broken where a year has no
//! figure; the figure on each point of a single line, a label dropped where it would overlap its
//! neighbour; the targets as a dashed line of diamonds running on to the target year; a legend; a
//! value axis from zero in the reader's number format ("2.500", "1,5 triệu"). Each point names its
//! area, year and figure in a `<title>` (a tooltip on hover). Pure, tested natively.

use crate::dashboard::TrendView;
use crate::engine::classify::nice_step;
use crate::engine::format::{axis_label, axis_unit, plain};
use crate::engine::markup::escape;
use crate::engine::vocab::Lang;
use crate::i18n::{t, Msg};

use super::options::{years_through, SERIES_COLORS};

/// The targets' colour, as on the ECharts trend.
const TARGET_COLOR: &str = "#8a1c1c";
/// Text size (px) of every label.
const FONT: f64 = 12.0;
/// The width of a character at [`FONT`], on average, for laying out labels without measuring.
const CHAR: f64 = 6.6;

/// The space `text` takes at [`FONT`].
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR
}

/// The markers of the lines, as path steps from the point: circle, square, triangle, diamond,
/// rounded square (drawn square here), upturned triangle — ECharts' shapes on the trend, in order.
const MARKERS: [&str; 6] = [
    "m-4.5 0a4.5 4.5 0 1 0 9 0a4.5 4.5 0 1 0-9 0",
    "m-4-4h8v8h-8z",
    "m0-5l5 9h-10z",
    "m0-5.5l5.5 5.5l-5.5 5.5l-5.5-5.5z",
    "m-4-4h8v8h-8z",
    "m0 5l5-9h-10z",
];

/// A marker of series `i` at (`x`, `y`), named by `title` (a tooltip on hover).
fn marker(i: usize, x: f64, y: f64, fill: &str, title: &str) -> String {
    format!("<path d=\"M{} {}{}\" fill=\"{fill}\"><title>{}</title></path>", plain(x, 1), plain(y, 1), MARKERS[i % 6], escape(title))
}

/// Lays out legend items (each its marker and name) in rows of at most `width` px; returns each
/// item's position and the number of rows.
fn legend_layout(names: &[String], left: f64, width: f64) -> (Vec<(f64, f64)>, usize) {
    let (mut x, mut row, mut at) = (left, 0usize, Vec::new());
    for name in names {
        let w = 22.0 + text_width(name) + 14.0;
        if x > left && x + w > left + width {
            x = left;
            row += 1;
        }
        at.push((x, 6.0 + row as f64 * 20.0));
        x += w;
    }
    (at, if names.is_empty() { 0 } else { row + 1 })
}

/// The trend `tr` as an `<svg>` of `width` × `height` px (the chart box it fills).
pub fn trend(tr: &TrendView, width: f64, height: f64, lang: Lang) -> String {
    let (width, height) = (width.max(200.0), height.max(160.0));
    // The year axis runs on to the last target year, as on the ECharts trend.
    let years = years_through(&tr.years, tr.targets.iter().map(|t| t.year).max());
    // Only finite figures are drawn (an own file's absurd sums could overflow): a point without one
    // is a gap, as a year without a figure is.
    let finite = |v: &f64| v.is_finite() && v.abs() < 1e300;
    let values = tr.series.iter().flat_map(|(_, items)| items.iter().filter_map(|i| i.value)).chain(tr.targets.iter().map(|t| t.value)).filter(finite);
    let (lo, hi) = values.fold((0f64, 0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    // Round ticks, as the map's legend has (classify::nice_step): 0–1.000–2.000, not 0–937–1.874.
    let step = match nice_step(if hi - lo > 0.0 { hi - lo } else { 1.0 }, 4) {
        s if s > 0.0 && s.is_finite() => s,
        _ => 1.0,
    };
    let (lo, hi) = ((lo / step).floor() * step, ((hi / step).ceil() * step).max(lo + step));
    let unit = axis_unit(lo.abs().max(hi.abs()));
    let ticks: Vec<f64> = (0..=((hi - lo) / step).round().min(20.0) as usize).map(|k| lo + k as f64 * step).collect();
    let tick_text: Vec<String> = ticks.iter().map(|v| axis_label(*v, unit, lang)).collect();

    // The legend: every line, and the targets when there are any.
    let target_name = t(lang, Msg::Target);
    let mut names: Vec<String> = tr.series.iter().map(|(n, _)| n.clone()).collect();
    if !tr.targets.is_empty() {
        names.push(target_name.to_string());
    }
    let (legend_at, rows) = legend_layout(&names, 8.0, width - 16.0);
    let left = 8.0 + tick_text.iter().map(|s| text_width(s)).fold(0.0, f64::max) + 8.0;
    let (right, top, bottom) = (width - 14.0, 8.0 + rows as f64 * 20.0 + 22.0, height - 26.0);
    let band = (right - left) / years.len().max(1) as f64;
    let x_of = |i: usize| left + band * (i as f64 + 0.5);
    let y_of = |v: f64| bottom - (v - lo) / (hi - lo) * (bottom - top);

    let mut out = format!(
        "<svg class=\"trend-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" font-size=\"{FONT}\" aria-hidden=\"true\" focusable=\"false\">",
        plain(width, 0),
        plain(height, 0),
        plain(width, 0),
        plain(height, 0)
    );
    // Value axis: a grid line and a label per tick.
    out.push_str("<g class=\"axis-y\" fill=\"#6e7079\" text-anchor=\"end\">");
    for (v, text) in ticks.iter().zip(&tick_text) {
        let y = plain(y_of(*v), 1);
        out.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e0e6f1\"/><text x=\"{}\" y=\"{y}\" dy=\"4\">{}</text>",
            plain(left, 1),
            plain(right, 1),
            plain(left - 6.0, 1),
            escape(text)
        ));
    }
    out.push_str("</g>");
    // Year axis: its line, and the years (every k-th when a phone has no room for all).
    let every = (((4.0 * CHAR + 6.0) / band).ceil() as usize).max(1);
    out.push_str(&format!(
        "<g class=\"axis-x\" fill=\"#6e7079\" text-anchor=\"middle\"><line x1=\"{}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"#6e7079\"/>",
        plain(left, 1),
        plain(right, 1),
        b = plain(bottom, 1)
    ));
    for (i, y) in years.iter().enumerate().filter(|(i, _)| i % every == 0) {
        out.push_str(&format!("<text x=\"{}\" y=\"{}\">{y}</text>", plain(x_of(i), 1), plain(bottom + 17.0, 1)));
    }
    out.push_str("</g>");
    // The legend.
    out.push_str("<g class=\"legend\" fill=\"#333\">");
    for (k, (name, &(x, y))) in names.iter().zip(&legend_at).enumerate() {
        let target = k == tr.series.len();
        let (cx, cy) = (x + 9.0, y + 7.0);
        let color = if target { TARGET_COLOR } else { SERIES_COLORS[k % SERIES_COLORS.len()] };
        let dash = if target { " stroke-dasharray=\"4 3\"" } else { "" };
        out.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{c}\" y2=\"{c}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>",
            plain(x, 1),
            plain(x + 18.0, 1),
            c = plain(cy, 1)
        ));
        out.push_str(&if target { marker(3, cx, cy, color, name) } else { marker(k, cx, cy, color, name) });
        out.push_str(&format!("<text x=\"{}\" y=\"{}\">{}</text>", plain(x + 22.0, 1), plain(cy + 4.0, 1), escape(name)));
    }
    out.push_str("</g>");
    // The lines, broken where a year has no figure, with a marker on every point.
    let single = tr.series.len() == 1;
    let mut labels = String::new();
    for (k, (name, items)) in tr.series.iter().enumerate() {
        let color = SERIES_COLORS[k % SERIES_COLORS.len()];
        let mut d = String::new();
        let mut pen_down = false;
        let mut marks = String::new();
        let mut last_label_end = f64::MIN;
        for (i, item) in items.iter().enumerate() {
            let Some(v) = item.value.filter(finite) else {
                pen_down = false;
                continue;
            };
            let (x, y) = (x_of(i), y_of(v));
            d.push_str(&format!("{}{} {}", if pen_down { " L" } else { " M" }, plain(x, 1), plain(y, 1)));
            pen_down = true;
            marks.push_str(&marker(k, x, y, color, &format!("{name}, {}: {}", item.name, item.text)));
            let w = text_width(&item.text);
            if single && x - w / 2.0 > last_label_end + 2.0 {
                labels.push_str(&format!("<text x=\"{}\" y=\"{}\">{}</text>", plain(x, 1), plain(y - 10.0, 1), escape(&item.text)));
                last_label_end = x + w / 2.0;
            }
        }
        out.push_str(&format!(
            "<g class=\"series\" data-series=\"{}\"><path d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>{marks}</g>",
            escape(name),
            d.trim_start()
        ));
    }
    if !labels.is_empty() {
        out.push_str(&format!("<g class=\"labels\" fill=\"#333\" text-anchor=\"middle\">{labels}</g>"));
    }
    // The targets: a dashed line through them, each a labelled diamond.
    if !tr.targets.is_empty() {
        let points: Vec<(f64, f64, &str)> = tr
            .targets
            .iter()
            .filter(|t| finite(&t.value))
            .filter_map(|t| years.iter().position(|y| *y == t.year).map(|i| (x_of(i), y_of(t.value), t.label.as_str())))
            .collect();
        let d: Vec<String> = points.iter().enumerate().map(|(i, (x, y, _))| format!("{}{} {}", if i == 0 { "M" } else { "L" }, plain(*x, 1), plain(*y, 1))).collect();
        out.push_str(&format!(
            "<g class=\"targets\" fill=\"{TARGET_COLOR}\" text-anchor=\"end\"><path d=\"{}\" fill=\"none\" stroke=\"{TARGET_COLOR}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            d.join(" ")
        ));
        for (x, y, label) in &points {
            out.push_str(&marker(3, *x, *y, TARGET_COLOR, label));
            // Right-aligned on the diamond: the last year sits at the plot's right edge.
            out.push_str(&format!("<text x=\"{}\" y=\"{}\">{}</text>", plain(x + 6.0, 1), plain(y - 10.0, 1), escape(label)));
        }
        out.push_str("</g>");
    }
    if tr.series.iter().all(|(_, items)| items.iter().all(|i| i.value.filter(finite).is_none())) && tr.targets.is_empty() {
        out.push_str(&format!(
            "<text class=\"no-data\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#6e7079\">{}</text>",
            plain((left + right) / 2.0, 1),
            plain((top + bottom) / 2.0, 1),
            t(lang, Msg::NoData)
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::options::Item;

    fn item(year: u16, value: Option<f64>, text: &str) -> Item {
        Item { name: year.to_string(), value, text: text.to_string() }
    }

    fn one_line() -> TrendView {
        TrendView {
            years: vec![2022, 2023, 2024],
            series: vec![("Cả nước".into(), vec![item(2022, Some(1000.0), "1.000"), item(2023, None, "—"), item(2024, Some(2500.0), "2.500")])],
            title: "Số hợp tác xã (đơn vị)".into(),
            source: "Nguồn".into(),
            targets: Vec::new(),
        }
    }

    #[test]
    fn a_point_per_figure_higher_for_more_and_a_gap_for_a_missing_year() {
        let svg = trend(&one_line(), 390.0, 360.0, Lang::Vi);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // A point for 2022 and 2024 (a circle each), none for 2023.
        let line = svg.split("class=\"series\"").nth(1).unwrap();
        let points: Vec<f64> = line.split("<path d=\"M").skip(1).filter(|p| p.contains(MARKERS[0])).filter_map(|p| p.split([' ', 'm']).nth(1)?.parse().ok()).collect();
        assert_eq!(points.len(), 2, "{svg}");
        assert!(points[1] < points[0], "2.500 is drawn above 1.000: {points:?}");
        // The line is two pieces, not one through the missing year.
        let path = line.split("<path d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(path.matches('M').count(), 2, "{path}");
        assert!(!path.contains('L'), "{path}");
        // Each figure on its point, the tooltip naming the area and the year, Vietnamese format.
        assert!(svg.contains(">2.500</text>") && svg.contains("<title>Cả nước, 2024: 2.500</title>"), "{svg}");
        assert!(svg.contains(">2022</text>") && svg.contains(">2024</text>"));
        // The value axis from zero, Vietnamese thousands.
        assert!(svg.contains(">0</text>") && svg.contains(">3.000</text>"), "{svg}");
    }

    #[test]
    fn the_axis_follows_the_readers_language_and_scale() {
        let mut tr = one_line();
        for (_, items) in &mut tr.series {
            for it in items.iter_mut() {
                it.value = it.value.map(|v| v * 720.0);
            }
        }
        // 720.000 to 1,8 million: ticks every half million, written in millions.
        let vi = trend(&tr, 390.0, 360.0, Lang::Vi);
        let en = trend(&tr, 390.0, 360.0, Lang::En);
        assert!(vi.contains(">2 triệu</text>") && vi.contains(">1,5 triệu</text>") && vi.contains(">0</text>"), "{vi}");
        assert!(en.contains(">2 million</text>") && en.contains(">1.5 million</text>"), "{en}");
    }

    #[test]
    fn several_lines_differ_by_colour_and_shape_and_carry_no_point_labels() {
        let mut tr = one_line();
        let other = vec![item(2022, Some(300.0), "300"), item(2023, Some(400.0), "400"), item(2024, Some(500.0), "500")];
        tr.series.push(("Thái Nguyên".into(), other));
        let svg = trend(&tr, 390.0, 360.0, Lang::Vi);
        assert!(svg.contains(&format!("stroke=\"{}\"", SERIES_COLORS[0])) && svg.contains(&format!("stroke=\"{}\"", SERIES_COLORS[1])));
        // The second line's markers are squares (a print in black and white tells them apart).
        let second = svg.split("data-series=\"Thái Nguyên\"").nth(1).unwrap().split("</g>").next().unwrap();
        assert_eq!(second.matches(MARKERS[1]).count(), 3, "{second}");
        assert!(!svg.contains("class=\"labels\""), "labels only on a single line");
        // The legend names both.
        let legend = svg.split("class=\"legend\"").nth(1).unwrap().split("</g>").next().unwrap();
        assert!(legend.contains(">Cả nước</text>") && legend.contains(">Thái Nguyên</text>"), "{legend}");
    }

    #[test]
    fn targets_run_the_years_on_and_are_named() {
        let mut tr = one_line();
        tr.targets.push(crate::dashboard::TargetView {
            indicator: "htx_count".into(),
            year: 2030,
            value: 4000.0,
            label: "Mục tiêu 2030: khoảng 4.000".into(),
            progress: None,
            text: String::new(),
            source: String::new(),
            document: String::new(),
        });
        let svg = trend(&tr, 390.0, 360.0, Lang::Vi);
        assert!(svg.contains("Mục tiêu 2030: khoảng 4.000</text>"), "{svg}");
        assert!(svg.contains(">Mục tiêu</text>"), "in the legend: {svg}");
        // Nine years on the axis (2022–2030); on a narrow box, every other one.
        let years = |svg: &str| svg.split("class=\"axis-x\"").nth(1).unwrap().split("</g>").next().unwrap().matches("<text").count();
        assert!(svg.contains(">2030</text>") && svg.contains(">2026</text>"), "{svg}");
        assert_eq!(years(&svg), 9);
        let narrow = trend(&tr, 250.0, 360.0, Lang::Vi);
        assert_eq!(years(&narrow), 5, "{narrow}");
        assert!(narrow.contains(">2030</text>"));
        assert!(svg.contains(">4.000</text>"), "the axis reaches the target: {svg}");
    }

    #[test]
    fn figures_too_large_to_draw_are_gaps_not_a_hang() {
        let mut tr = one_line();
        tr.series[0].1[0].value = Some(f64::INFINITY);
        tr.series[0].1[1].value = Some(1e308);
        tr.series[0].1[2].value = Some(-1e308);
        let svg = trend(&tr, 390.0, 360.0, Lang::Vi);
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains(&format!(">{}</text>", t(Lang::Vi, Msg::NoData))), "{svg}");
        // Two figures whose difference overflows: drawn, with a bounded number of ticks.
        tr.series[0].1[0].value = Some(1e299);
        tr.series[0].1[2].value = Some(-1e299);
        let svg = trend(&tr, 390.0, 360.0, Lang::Vi);
        assert!(svg.matches("<line").count() < 40, "{svg}");
        assert!(!svg.contains("NaN"), "{svg}");
    }

    #[test]
    fn text_is_escaped_and_no_figure_says_so() {
        let mut tr = one_line();
        tr.series[0].0 = "<b>&".into();
        for it in &mut tr.series[0].1 {
            it.value = None;
        }
        let svg = trend(&tr, 10.0, 10.0, Lang::Vi);
        assert!(!svg.contains("<b>") && svg.contains("&lt;b&gt;&amp;"), "{svg}");
        assert!(svg.contains(&format!(">{}</text>", t(Lang::Vi, Msg::NoData))), "{svg}");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }
}
