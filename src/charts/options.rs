//! ECharts options for every chart of the app, built from plain, already-computed figures.
//!
//! charming builds the structure (axes, series, grid, tooltip, legend), one component at a time:
//! serializing a whole `charming::Chart` would link the serializer of every series type charming
//! knows (its `Series` enum), about 60 KB of wasm for charts we never draw, so [`Parts`] serializes
//! only the components a chart uses and places them under their ECharts keys. The data items are
//! then set as JSON because they carry what charming's `DataPointItem` cannot: a per-item label and tooltip
//! already formatted the Vietnamese way ("3.000", "38,3%"), since ECharts formats numbers with
//! English separators and a JSON option cannot carry a formatter function. (The map is not an
//! ECharts chart: `dashboard::map_view` and `ui::svg_map`.)
//!
//! Every function is pure and tested natively; text from datasets goes through [`escape`](crate::engine::markup::escape)
//! before it reaches a tooltip (ECharts renders tooltips as HTML).

use charming::component::{Axis, Grid, Legend};
use charming::element::AxisType;
use charming::series::{Bar, Line, Pie};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::engine::format::{axis_unit, AXIS_UNITS};
use crate::engine::markup::escape;
use crate::engine::vocab::{Kind, Lang};

/// Series colours for bars and lines (Okabe–Ito, colour-blind safe).
pub const SERIES_COLORS: [&str; 8] =
    ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

/// One colour per kind, the same in every chart (a kind never changes colour when a filter drops
/// another kind): the Okabe–Ito colours above, by [`Kind`] order.
pub const KIND_COLORS: [&str; 6] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"];

/// The colour of what is left over in a composition ("other").
pub const REST_COLOR: &str = "#9aa5a1";

/// The colour of a kind in every chart.
pub fn kind_color(kind: Kind) -> &'static str {
    KIND_COLORS.get(kind.index() as usize).copied().unwrap_or(REST_COLOR)
}

/// Markers of the lines of a trend, one per series: lines are told apart by their shape as well as
/// their colour (colour-blind readers, a print in black and white).
const SERIES_SYMBOLS: [&str; 6] = ["circle", "rect", "triangle", "diamond", "roundRect", "pin"];


/// Escapes text for a label formatter string (plain text, but `{…}` is a template there).
fn escape_template(s: &str) -> String {
    s.replace('{', "(").replace('}', ")")
}

/// One bar, point or slice: a value and its formatted text.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Category name (province, year, kind).
    pub name: String,
    /// The value; `None` draws nothing.
    pub value: Option<f64>,
    /// The value as the reader reads it ("3.000", "38,3%").
    pub text: String,
}

/// An ECharts option assembled from charming components, each serialized on its own.
#[derive(Default)]
struct Parts(Map<String, Value>);

impl Parts {
    fn new() -> Parts {
        Parts::default()
    }

    /// Sets `key` to the serialized component (charming components serialize to plain JSON).
    fn set(mut self, key: &str, component: &impl Serialize) -> Parts {
        self.0.insert(key.to_string(), serde_json::to_value(component).unwrap_or(Value::Null));
        self
    }

    /// Sets `key` to a JSON value built here (not a charming component: nothing to serialize).
    fn put(mut self, key: &str, value: Value) -> Parts {
        self.0.insert(key.to_string(), value);
        self
    }

    /// Appends a serialized series to `series`.
    fn series(mut self, series: &impl Serialize) -> Parts {
        let s = serde_json::to_value(series).unwrap_or(Value::Null);
        match self.0.entry("series").or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(list) => list.push(s),
            other => *other = Value::Array(vec![s]),
        }
        self
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn item_json(it: &Item, tooltip_extra: &str, label: bool, position: &str) -> Value {
    let tip = format!("{}<br/><b>{}</b>{}", escape(&it.name), escape(&it.text), tooltip_extra);
    let mut v = json!({
        "name": it.name,
        "value": it.value,
        "tooltip": { "formatter": tip },
    });
    if label {
        v["label"] = json!({ "show": it.value.is_some(), "position": position, "formatter": escape_template(&it.text) });
    }
    v
}

/// Provinces ranked: horizontal bars, largest on top, each labelled with its formatted value.
/// `source` is appended to every tooltip.
pub fn rank_bars(series_name: &str, items: &[Item], source: &str) -> Value {
    let mut sorted: Vec<&Item> = items.iter().filter(|i| i.value.is_some()).collect();
    // With a tie-breaker: the order never depends on the input's (engine::order says why not std).
    crate::engine::order::sort_by(&mut sorted, |a, b| a.value.partial_cmp(&b.value).unwrap_or(std::cmp::Ordering::Equal).then_with(|| b.name.cmp(&a.name)));
    let names: Vec<String> = sorted.iter().map(|i| i.name.clone()).collect();
    let mut v = Parts::new()
        .set("grid", &Grid::new().left("3%").right("24%").top(10).bottom(10).contain_label(true))
        .put("tooltip", tooltip())
        .set("xAxis", &Axis::new().type_(AxisType::Value).show(false))
        .set("yAxis", &Axis::new().type_(AxisType::Category).data(names))
        .series(&Bar::new().name(series_name))
        .done();
    let extra = source_line(source);
    v["series"][0]["data"] = Value::Array(sorted.iter().map(|i| item_json(i, &extra, true, "right")).collect());
    v["color"] = json!([SERIES_COLORS[0]]);
    v["animation"] = json!(false);
    v
}

/// What a value axis's `axisLabel.formatter` holds in the JSON option: a marker naming the
/// language and the axis's unit ([`axis_unit`]), which the browser binding (`charts::bindings`)
/// replaces with a function writing each tick with
/// [`axis_label`](crate::engine::format::axis_label). Why a marker: ECharts writes
/// axis numbers with English separators (`3,000`), and a JSON option cannot carry a function.
pub fn axis_label_marker(lang: Lang, unit: u8) -> String {
    let l = if lang == Lang::Vi { "vi" } else { "en" };
    format!("{{coop:axis:{l}:{unit}}}")
}

/// The language and unit of an [`axis_label_marker`], or `None` for any other formatter.
pub fn axis_label_spec(formatter: &str) -> Option<(Lang, u8)> {
    let rest = formatter.strip_prefix("{coop:axis:")?.strip_suffix('}')?;
    let (l, unit) = rest.split_once(':')?;
    let lang = match l {
        "vi" => Lang::Vi,
        "en" => Lang::En,
        _ => return None,
    };
    let unit = unit.parse::<u8>().ok().filter(|u| AXIS_UNITS.contains(u))?;
    Some((lang, unit))
}

/// A trend: one line per series over the years, each point labelled and with a tooltip; the
/// value axis in `lang`'s number format.
pub fn trend_lines(years: &[u16], series: &[(String, Vec<Item>)], source: &str, lang: Lang) -> Value {
    let cats: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    let mut parts = Parts::new()
        // The plot starts below as many legend rows as a phone needs: the legend never covers an
        // axis label, however many series.
        .set("grid", &Grid::new().left("3%").right("4%").top(legend_top(series)).bottom(10).contain_label(true))
        .put("tooltip", tooltip())
        .put("legend", json!({ "top": 0 }))
        .set("xAxis", &Axis::new().type_(AxisType::Category).data(cats))
        .set("yAxis", &Axis::new().type_(AxisType::Value));
    for (name, _) in series {
        parts = parts.series(&Line::new().name(name.as_str()));
    }
    let mut v = parts.done();
    let max = series.iter().flat_map(|(_, items)| items.iter().filter_map(|i| i.value)).fold(0f64, |m, x| m.max(x.abs()));
    if let Some(y) = v.get_mut("yAxis").and_then(Value::as_object_mut) {
        y.insert("axisLabel".into(), json!({ "formatter": axis_label_marker(lang, axis_unit(max)) }));
    }
    let extra = source_line(source);
    let single = series.len() == 1;
    for (i, (_, items)) in series.iter().enumerate() {
        v["series"][i]["data"] = Value::Array(items.iter().map(|it| item_json(it, &extra, single, "top")).collect());
        v["series"][i]["connectNulls"] = json!(false);
        v["series"][i]["symbol"] = json!(SERIES_SYMBOLS[i % SERIES_SYMBOLS.len()]);
        v["series"][i]["symbolSize"] = json!(9);
        // On a phone neighbouring years' labels ("2.007 đơn vị", "2.062 đơn vị") collide: ECharts
        // then drops the later one (its figure stays in the tooltip).
        v["series"][i]["labelLayout"] = json!({ "hideOverlap": true });
    }
    v["color"] = json!(SERIES_COLORS);
    v["animation"] = json!(false);
    v
}

/// One target on a trend: its year, its value and the label the line carries ("Mục tiêu 2030:
/// khoảng 45.000").
#[derive(Clone, Debug, PartialEq)]
pub struct TargetMark {
    /// The year the target is set for.
    pub year: u16,
    /// The target value.
    pub value: f64,
    /// What the point says.
    pub label: String,
}

/// A trend's year axis: `years`, run on year by year to the last target year (`last`) when it is
/// later, so that a 2030 target after figures up to 2025 sits five years on, not next to 2025 (an
/// axis without years stays empty). ECharts' trend ([`add_targets`]) and the SVG one
/// (`charts::svg`) share it.
pub fn years_through(years: &[u16], last: Option<u16>) -> Vec<u16> {
    let mut out = years.to_vec();
    if let (Some(last), Some(&from)) = (last, years.last()) {
        let mut y = from;
        while y < last {
            y += 1;
            out.push(y);
        }
    }
    out
}

/// Adds the targets to a trend built by [`trend_lines`]: the year axis runs on to the last target
/// year (a 2030 target after figures up to 2025 sits five years on, not next to 2025), and one
/// dashed line named `name` joins the targets, each a labelled diamond. A reader sees how far the
/// figures are from where they are meant to be, and by when.
pub fn add_targets(option: &mut Value, targets: &[TargetMark], name: &str) {
    if targets.is_empty() {
        return;
    }
    let Some(cats) = option.get_mut("xAxis").and_then(|x| x.get_mut("data")).and_then(Value::as_array_mut) else { return };
    let shown: Vec<u16> = cats.iter().filter_map(|c| c.as_str().and_then(|s| s.parse().ok())).collect();
    let years = years_through(&shown, targets.iter().map(|t| t.year).max());
    cats.extend(years[shown.len()..].iter().map(|y| json!(y.to_string())));
    let data: Vec<Value> = years
        .iter()
        .map(|y| match targets.iter().find(|t| t.year == *y) {
            Some(t) => json!({
                "value": t.value,
                "label": { "show": true, "position": "top", "formatter": escape_template(&t.label), "color": "#8a1c1c" },
                "tooltip": { "formatter": escape(&t.label) },
            }),
            None => Value::Null,
        })
        .collect();
    if let Some(Value::Array(series)) = option.get_mut("series") {
        series.push(json!({
            "type": "line",
            "name": name,
            "data": data,
            "connectNulls": true,
            "symbol": "diamond",
            "symbolSize": 12,
            "lineStyle": { "type": "dashed", "color": "#8a1c1c", "width": 1.5 },
            "itemStyle": { "color": "#8a1c1c" },
            "labelLayout": { "hideOverlap": true },
        }));
    }
}

/// How far below the top a trend's plot starts: below the legend's rows as ECharts wraps them on
/// a 360 px phone (≈ 330 px for the legend: each item its mark, gap and name at ≈ 7 px a letter).
/// On a wider screen the legend needs fewer rows and the plot starts a little lower than it must.
fn legend_top(series: &[(String, Vec<Item>)]) -> i64 {
    const WIDTH: usize = 330;
    let (mut rows, mut used) = (1usize, 0usize);
    for (name, _) in series {
        let w = 35 + 7 * name.chars().count();
        if used > 0 && used + w > WIDTH {
            rows += 1;
            used = 0;
        }
        used += w;
    }
    (14 + 24 * rows) as i64
}

/// A composition (e.g. OCOP subjects by kind): a ring with each slice's share inside it and the
/// names in the legend. Inside, not outside: on a 360 px phone the names and shares around the ring
/// ran off both edges of the chart. Slices too thin to hold a label (under 15°) keep their figure
/// in the tooltip.
/// `colors` gives each item's colour (its kind's, [`kind_color`]), in the order of `items`.
pub fn composition_ring(series_name: &str, items: &[Item], colors: &[&str], source: &str) -> Value {
    let mut v = Parts::new()
        .put("tooltip", tooltip())
        .set("legend", &Legend::new().top(0))
        .series(&Pie::new().name(series_name).radius(vec!["40%", "75%"]))
        .done();
    let extra = source_line(source);
    if let Some(pie) = v["series"].get_mut(0).and_then(Value::as_object_mut) {
        // Below the legend (two rows on a phone); the foot's room is set with the title.
        pie.insert("top".into(), json!(56));
        pie.insert("minShowLabelAngle".into(), json!(15));
    }
    v["series"][0]["data"] = Value::Array(
        items
            .iter()
            .zip(colors.iter().copied().chain(std::iter::repeat(REST_COLOR)))
            .filter(|(i, _)| i.value.is_some())
            .map(|(it, color)| {
                let mut j = item_json(it, &extra, false, "inside");
                j["itemStyle"] = json!({ "color": color });
                // "38,3% (1.797)" on two lines, dark on a white halo: legible on every slice colour.
                j["label"] = json!({
                    "position": "inside",
                    "formatter": escape_template(&it.text).replacen(" (", "\n(", 1),
                    "fontSize": 13,
                    "fontWeight": 600,
                    "lineHeight": 16,
                    "color": "#1d2a26",
                    "textBorderColor": "#ffffff",
                    "textBorderWidth": 3,
                });
                j
            })
            .collect(),
    );
    v["animation"] = json!(false);
    v
}

/// Selected provinces next to their region and the whole dataset, as horizontal bars in that
/// order, top to bottom, each labelled: the names (a region's can be long: "Trung du và miền núi
/// phía Bắc") read in full on a phone, where side-by-side columns made them overlap.
pub fn compare_bars(series_name: &str, items: &[Item], source: &str) -> Value {
    let names: Vec<String> = items.iter().map(|i| i.name.clone()).collect();
    let mut v = Parts::new()
        .set("grid", &Grid::new().left("3%").right("24%").top(10).bottom(10).contain_label(true))
        .put("tooltip", tooltip())
        .set("xAxis", &Axis::new().type_(AxisType::Value).show(false))
        .set("yAxis", &Axis::new().type_(AxisType::Category).data(names).inverse(true))
        .series(&Bar::new().name(series_name))
        .done();
    let extra = source_line(source);
    v["series"][0]["data"] = Value::Array(
        items
            .iter()
            .enumerate()
            .map(|(k, it)| {
                let mut j = item_json(it, &extra, true, "right");
                j["itemStyle"] = json!({ "color": SERIES_COLORS[k % SERIES_COLORS.len()] });
                j
            })
            .collect(),
    );
    if let Some(y) = v.get_mut("yAxis").and_then(Value::as_object_mut) {
        y.insert("axisLabel".into(), json!({ "width": 110, "overflow": "break", "lineHeight": 13 }));
    }
    v["animation"] = json!(false);
    v
}

/// The height (px) a chart of horizontal bars needs to give each of `bars` about 22 px, when the
/// page's default chart height (360 px on a phone) would give them less; `None` otherwise.
pub fn bars_height(bars: usize) -> Option<u32> {
    (bars > 12).then(|| 22 * bars as u32 + 110)
}

/// The tooltip of every chart: on the item under the finger or pointer, kept inside the chart, and
/// wrapped. Why wrapped: ECharts writes its tooltip on one line (`white-space: nowrap`), and a
/// tooltip carrying a long source line was 1,200 px wide; on a phone it widened the whole page,
/// which scrolled away from the map under the finger.
fn tooltip() -> Value {
    json!({
        "trigger": "item",
        "confine": true,
        "extraCssText": "white-space:normal;overflow-wrap:break-word;max-width:min(20rem,calc(100vw - 2rem))",
        // Straight to its place: sliding there, it crossed the page's edge on a phone.
        "transitionDuration": 0,
    })
}

/// What a tooltip adds after an item's figure: nothing. The source is given once per view, under
/// the chart (and at the foot of a downloaded PNG); repeated in every tooltip it was the third copy
/// on screen (issue 15).
fn source_line(_source: &str) -> String {
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(name: &str, v: Option<f64>, text: &str) -> Item {
        Item { name: name.into(), value: v, text: text.into() }
    }

    #[test]
    fn rank_sorts_ascending_for_a_horizontal_bar_and_drops_missing() {
        let v = rank_bars("HTX", &[it("A", Some(3.0), "3"), it("B", None, "–"), it("C", Some(10.0), "10")], "GSO");
        assert_eq!(v["yAxis"]["data"], json!(["A", "C"]));
        assert_eq!(v["series"][0]["type"], "bar");
        assert_eq!(v["series"][0]["data"][1]["label"]["formatter"], "10");
        // The source is under the chart once, not in every tooltip (issue 15).
        assert!(!v["series"][0]["data"][0]["tooltip"]["formatter"].as_str().unwrap().contains("GSO"));
    }

    #[test]
    fn tooltips_escape_dataset_text() {
        let v = rank_bars("x", &[it("<img src=x onerror=alert(1)>", Some(1.0), "1")], "<script>");
        let tip = v["series"][0]["data"][0]["tooltip"]["formatter"].as_str().unwrap();
        assert!(!tip.contains("<img"), "{tip}");
        assert!(!tip.contains("<script>"), "{tip}");
        assert!(tip.contains("&lt;img"));
    }

    #[test]
    fn trend_has_one_line_per_series() {
        let s = vec![
            ("A".to_string(), vec![it("2023", Some(1.0), "1"), it("2024", Some(2.0), "2")]),
            ("B".to_string(), vec![it("2023", None, "–"), it("2024", Some(4.0), "4")]),
        ];
        let v = trend_lines(&[2023, 2024], &s, "", Lang::Vi);
        assert_eq!(v["series"].as_array().unwrap().len(), 2);
        // The value axis is written the Vietnamese way in the browser (see axis_label_marker),
        // in the unit of its largest value.
        assert_eq!(v["yAxis"]["axisLabel"]["formatter"], "{coop:axis:vi:0}");
        assert_eq!(axis_label_spec("{coop:axis:vi:0}"), Some((Lang::Vi, 0)));
        let income = vec![("A".to_string(), vec![it("2024", Some(3_500_000.0), "3,5 triệu đồng")])];
        assert_eq!(trend_lines(&[2024], &income, "", Lang::En)["yAxis"]["axisLabel"]["formatter"], "{coop:axis:en:6}");
        assert_eq!(axis_label_spec("{coop:axis:en:6}"), Some((Lang::En, 6)));
        for other in ["{value}", "{coop:axis:fr:0}", "{coop:axis:vi:7}", "{coop:axis:vi}", "{coop:axis:vi:0", ""] {
            assert_eq!(axis_label_spec(other), None, "{other}");
        }
        assert_eq!(v["xAxis"]["data"], json!(["2023", "2024"]));
        assert_eq!(v["series"][1]["data"][0]["value"], Value::Null);
        // Several lines: point labels would collide, so only tooltips carry the values.
        assert!(v["series"][0]["data"][0].get("label").is_none());
    }

    #[test]
    fn composition_drops_empty_slices() {
        let v = composition_ring("OCOP", &[it("HTX", Some(0.383), "38,3% (1.797)"), it("THT", None, "–")], &["#0072B2"], "");
        assert_eq!(v["series"][0]["data"].as_array().unwrap().len(), 1);
        assert_eq!(v["series"][0]["type"], "pie");
        // The share inside the slice, on two lines; the name is in the legend.
        assert_eq!(v["series"][0]["data"][0]["label"]["position"], "inside");
        assert_eq!(v["series"][0]["data"][0]["label"]["formatter"], "38,3%\n(1.797)");
    }

    #[test]
    fn compare_bars_read_top_to_bottom_in_the_given_order() {
        let v = compare_bars("HTX", &[it("Thái Nguyên", Some(188.0), "188"), it("Trung du và miền núi phía Bắc", Some(1740.0), "1.740")], "");
        assert_eq!(v["yAxis"]["type"], "category");
        assert_eq!(v["yAxis"]["inverse"], true);
        assert_eq!(v["yAxis"]["data"], json!(["Thái Nguyên", "Trung du và miền núi phía Bắc"]));
        assert_eq!(v["series"][0]["data"][1]["label"]["formatter"], "1.740");
        assert_eq!(bars_height(12), None);
        assert_eq!(bars_height(28), Some(22 * 28 + 110));
    }
}
