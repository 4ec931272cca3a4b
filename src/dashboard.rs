//! What each screen of the dashboard shows, computed from a dataset and a view.
//!
//! This is the seam between the engine and the components: every figure, label, legend entry, chart
//! option and table cell is produced here, by pure functions of `(&Dataset, &ViewState, Lang)`, so
//! the whole dashboard is tested natively and the Leptos components only render what they get.
//! Every result names its source; illustrative data is flagged wherever it travels.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::charts::options::{self, Item, MapArea, MapLabel, CLASS_COLORS, NO_DATA_COLOR};
use crate::engine::classify::{class_of, classify, ClassSpec, Classes, Method};
use crate::engine::dataset::{Area, Comparison, Dataset, IndicatorDef, Subset, Target, Unit};
use crate::engine::filter::{Coverage, Filter};
use crate::engine::format;
use crate::engine::progress::{self, Progress, Status};
use crate::engine::source_choice;
use crate::engine::indicators::{self, compute, compute_all, Cell, GroupBy, GroupKey, IndicatorResult};
use crate::engine::provinces::registry;
use crate::engine::url_state::{ChartKind, ViewState};
use crate::engine::vocab::{Boundary, Kind, Lang, Region};
use crate::i18n::{t, Msg};

/// The ECharts map name of a boundary version (also the shape file's stem: `geo/vn63.json`).
pub fn map_name(b: Boundary) -> &'static str {
    match b {
        Boundary::P63 => "vn63",
        Boundary::P34 => "vn34",
    }
}

/// The years the dataset has (ascending).
pub fn dataset_years(ds: &Dataset) -> Vec<u16> {
    indicators::years(ds)
}

/// The year a view shows: its `y` when the dataset has it, else the latest year.
pub fn view_year(ds: &Dataset, v: &ViewState) -> Option<u16> {
    let years = dataset_years(ds);
    v.year.filter(|y| years.contains(y)).or_else(|| years.last().copied())
}

/// The engine filter of a view, without years: region, provinces, kinds, sectors, flags, boundary.
/// Province codes that are not of the view's boundary version are ignored (the URL layer has
/// already told the user).
pub fn base_filter(v: &ViewState) -> Filter {
    let reg = registry();
    Filter {
        years: None,
        region: v.region,
        provinces: v.provinces.iter().filter_map(|c| reg.index_of(v.boundary, c)).collect(),
        view: v.boundary,
        rows: Subset {
            kinds: v.kinds.clone(),
            sectors: v.sectors.clone(),
            ntm: v.ntm.clone(),
            stage: v.stage.clone(),
            high_tech: v.high_tech,
            value_chain: v.value_chain,
            trademark: v.trademark,
            ethnic_area: v.ethnic_area,
            ocop_star_min: None,
        },
    }
}

fn with_year(mut f: Filter, year: Option<u16>) -> Filter {
    f.years = year.map(|y| (y, y));
    f
}

/// Every indicator the dataset can show: the built-ins when it has entity rows, then the ones its
/// file defines.
pub fn indicator_defs(ds: &Dataset) -> Vec<&IndicatorDef> {
    let mut out: Vec<&IndicatorDef> = Vec::new();
    if !ds.entities.is_empty() {
        out.extend(indicators::builtins().iter());
    }
    for d in &ds.indicators {
        if !out.iter().any(|o| o.id == d.id) {
            out.push(d);
        }
    }
    out
}

/// The indicator a view shows: its `i` when the dataset has it, else the first one that has
/// figures by province (so the map is never empty by default).
pub fn current_indicator(ds: &Dataset, v: &ViewState) -> Option<String> {
    let defs = indicator_defs(ds);
    if defs.iter().any(|d| d.id == v.indicator) {
        return Some(v.indicator.clone());
    }
    if !ds.entities.is_empty() {
        return defs.first().map(|d| d.id.clone());
    }
    defs.iter()
        .find(|d| ds.observations.iter().any(|o| o.indicator == d.id && matches!(o.area, crate::engine::dataset::Area::Province(_))))
        .or_else(|| defs.first())
        .map(|d| d.id.clone())
}

/// For published figures, which exist only for some years: the latest year up to `year` that has
/// an observation of `id` (so a 2024 view still shows the 2022 provincial figures, saying so).
pub fn observed_year(ds: &Dataset, id: &str, year: Option<u16>) -> Option<u16> {
    ds.observations
        .iter()
        .filter(|o| o.indicator == id && year.is_none_or(|y| o.year <= y))
        .map(|o| o.year)
        .max()
}

fn is_observed(ds: &Dataset, def: &IndicatorDef) -> bool {
    def.observed || ds.entities.is_empty()
}

/// Computes one indicator for a view's filter in `year` (published figures: the latest year up to
/// it), returning the result and the year actually used.
fn evaluate(ds: &Dataset, def: &IndicatorDef, filter: &Filter, year: Option<u16>, group: GroupBy) -> (IndicatorResult, Option<u16>) {
    let used = if is_observed(ds, def) { observed_year(ds, &def.id, year) } else { year };
    let f = with_year(filter.clone(), used.or(year));
    (compute(ds, def, &f, group), used)
}

/// A figure as the reader reads it, in the indicator's unit.
pub fn format_value(value: Option<f64>, unit: Unit, lang: Lang) -> String {
    match value {
        Some(v) if v.is_finite() => format::value(v, unit.code(), lang),
        _ => t(lang, Msg::NoData).to_string(),
    }
}

/// A figure with its unit, for tooltips: "274 đơn vị", "3,1 triệu đồng", "38,3%".
pub fn format_with_unit(value: Option<f64>, unit: Unit, lang: Lang) -> String {
    let text = format_value(value, unit, lang);
    match (value, unit) {
        (Some(_), Unit::Count | Unit::Persons | Unit::Products) => {
            format!("{text} {}", unit_label(unit, lang))
        }
        _ => text,
    }
}

/// The unit's name for legends and the Sources tab.
pub fn unit_label(unit: Unit, lang: Lang) -> &'static str {
    match (unit, lang) {
        (Unit::Count, Lang::Vi) => "đơn vị",
        (Unit::Count, Lang::En) => "units",
        (Unit::Persons, Lang::Vi) => "người",
        (Unit::Persons, Lang::En) => "persons",
        (Unit::VndMonth, Lang::Vi) => "đồng/người/tháng",
        (Unit::VndMonth, Lang::En) => "VND per person per month",
        (Unit::MillionVnd, Lang::Vi) => "triệu đồng",
        (Unit::MillionVnd, Lang::En) => "million VND",
        (Unit::BillionVnd, Lang::Vi) => "tỷ đồng",
        (Unit::BillionVnd, Lang::En) => "billion VND",
        (Unit::Share, Lang::Vi) => "tỷ lệ (%)",
        (Unit::Share, Lang::En) => "share (%)",
        (Unit::Products, Lang::Vi) => "sản phẩm",
        (Unit::Products, Lang::En) => "products",
    }
}

/// The source line of a dataset's figures: its publisher, and the illustrative label when it applies.
pub fn dataset_source(ds: &Dataset, lang: Lang) -> String {
    let mut s = ds.meta.source.publisher.get(lang).to_string();
    if let Some(d) = &ds.meta.source.date {
        s.push_str(&format!(" ({d})"));
    }
    if ds.meta.illustrative {
        s.push_str(" — ");
        s.push_str(t(lang, Msg::Illustrative));
    }
    s
}

fn result_source(ds: &Dataset, res: &IndicatorResult, lang: Lang) -> String {
    if res.sources.is_empty() {
        dataset_source(ds, lang)
    } else {
        res.sources.join("; ")
    }
}

fn year_note(used: Option<u16>, asked: Option<u16>, lang: Lang) -> Option<String> {
    match (used, asked) {
        (Some(u), Some(a)) if u != a => Some(match lang {
            Lang::Vi => format!("Số liệu năm {u} (năm gần nhất có số liệu)"),
            Lang::En => format!("Figures for {u} (the latest year with figures)"),
        }),
        _ => None,
    }
}

// ---- headline cards ---------------------------------------------------------------------------

/// One headline card.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// Indicator id (`data-testid="kpi-<id>"`).
    pub id: String,
    /// Label in the view's language.
    pub label: String,
    /// The unformatted value (`data-value`).
    pub value: Option<f64>,
    /// The value as read.
    pub text: String,
    /// Records behind the value.
    pub n: u32,
    /// Change from the previous year (same unit; points for shares).
    pub change: Option<f64>,
    /// The change as read ("+120", "+1,2 điểm %").
    pub change_text: Option<String>,
    /// The selection's share of the whole dataset in the same year, as read ("38,3%").
    pub share_text: Option<String>,
    /// A note (the year of a published figure, missing values left out).
    pub note: Option<String>,
    /// For a published figure: who published it and how confident the source is (and, when the
    /// indicator has targets, the documents that set them).
    pub source: Option<String>,
    /// Progress toward each target set for the selection, as read ("Mục tiêu 2030: khoảng
    /// 45.000 — đạt 77,9%; cần +1.992/năm, 2022–2025: +1.888/năm").
    pub targets: Vec<String>,
}

fn change_text(delta: f64, unit: Unit, lang: Lang) -> String {
    match unit {
        Unit::Share => {
            let pts = format::signed_change(delta * 100.0, 1, lang);
            match lang {
                Lang::Vi => format!("{pts} điểm %"),
                Lang::En => format!("{pts} pts"),
            }
        }
        Unit::VndMonth => {
            let m = format::signed_change(delta / 1_000_000.0, 2, lang);
            match lang {
                Lang::Vi => format!("{m} triệu đồng"),
                Lang::En => format!("{m} million VND"),
            }
        }
        _ => {
            let decimals = if delta.fract().abs() > 1e-9 { 1 } else { 0 };
            format::signed_change(delta, decimals, lang)
        }
    }
}

/// The headline cards of a view: every indicator of the dataset for the selection and year, with
/// the change from the previous year (when that year is loaded) and, for counts and sums, the
/// selection's share of the whole dataset.
pub fn cards(ds: &Dataset, v: &ViewState, lang: Lang) -> Vec<Card> {
    let year = view_year(ds, v);
    let years = dataset_years(ds);
    let base = base_filter(v);
    let whole_filter = Filter { view: v.boundary, ..Filter::default() };
    let selection_is_whole = base.is_all();
    let mut out = Vec::new();

    // Areas the dataset has no figures for have no figures, not zero of everything.
    let covered = Coverage::of(ds, v.boundary).covers(&base);
    if !ds.entities.is_empty() {
        let cur = compute_all(ds, &with_year(base.clone(), year));
        let prev_year = year.and_then(|y| y.checked_sub(1)).filter(|p| years.contains(p) && has_entity_year(ds, *p));
        let prev = prev_year.map(|p| compute_all(ds, &with_year(base.clone(), Some(p))));
        let whole = (!selection_is_whole).then(|| compute_all(ds, &with_year(whole_filter.clone(), year)));
        for (i, (def, res)) in indicators::builtins().iter().zip(cur.iter()).enumerate() {
            let value = res.total.value.filter(|_| covered);
            let change = match (value, prev.as_ref().and_then(|p| p.get(i)).and_then(|p| p.total.value)) {
                (Some(a), Some(b)) => Some(a - b),
                _ => None,
            };
            let share = if def.is_summable() {
                whole.as_ref().and_then(|w| w.get(i)).and_then(|w| match (value, w.total.value) {
                    (Some(a), Some(b)) if b > 0.0 => Some(a / b),
                    _ => None,
                })
            } else {
                None
            };
            out.push(Card {
                id: def.id.clone(),
                label: def.label.get(lang).to_string(),
                value,
                text: format_value(value, def.unit, lang),
                n: res.total.n,
                change,
                change_text: change.map(|d| change_text(d, def.unit, lang)),
                share_text: share.map(|s| format::percent(s, 1, lang)),
                note: res.warnings.first().map(|w| w.message(lang)),
                source: None,
                targets: Vec::new(),
            });
        }
    }
    for def in ds.indicators.iter() {
        if indicators::builtin(&def.id).is_some() && !ds.entities.is_empty() {
            continue;
        }
        let (res, used) = evaluate(ds, def, &base, year, GroupBy::None);
        let value = res.total.value;
        let prev = used.and_then(|u| u.checked_sub(1)).filter(|p| years.contains(p)).map(|p| {
            let f = with_year(base.clone(), Some(p));
            compute(ds, def, &f, GroupBy::None)
        });
        let change = match (value, prev.and_then(|p| p.total.value)) {
            (Some(a), Some(b)) if !is_observed(ds, def) || observed_year(ds, &def.id, used.and_then(|u| u.checked_sub(1))) == used.and_then(|u| u.checked_sub(1)) => Some(a - b),
            _ => None,
        };
        let mut note = year_note(used, year, lang);
        if value.is_none() {
            note = note.or_else(|| res.warnings.first().map(|w| w.message(lang)));
        }
        out.push(Card {
            id: def.id.clone(),
            label: def.label.get(lang).to_string(),
            value,
            text: format_value(value, def.unit, lang),
            n: res.total.n,
            change,
            change_text: change.map(|d| change_text(d, def.unit, lang)),
            share_text: None,
            note,
            source: (!res.sources.is_empty()).then(|| res.sources.join("; ")),
            targets: Vec::new(),
        });
    }
    // Progress toward the targets the dataset sets for the selection (a card per indicator).
    if !ds.targets.is_empty() {
        for card in out.iter_mut() {
            let def = def_of(ds, &card.id);
            let views = targets_of(ds, &def, &base, year, lang);
            if views.is_empty() {
                continue;
            }
            let sources: Vec<String> = views.iter().map(|t| t.source.clone()).collect();
            let mut src = card.source.take().map(|s| vec![s]).unwrap_or_default();
            for s in sources {
                if !src.contains(&s) {
                    src.push(s);
                }
            }
            card.source = Some(src.join("; "));
            card.targets = views.into_iter().map(|t| t.text).collect();
        }
    }
    // Published figures first show the ones that have a value.
    if ds.entities.is_empty() {
        let (with, without): (Vec<Card>, Vec<Card>) = out.into_iter().partition(|c| c.value.is_some());
        out = with;
        out.extend(without);
    }
    out
}

fn has_entity_year(ds: &Dataset, y: u16) -> bool {
    ds.entities.years_raw().contains(&y)
}

// ---- targets ----------------------------------------------------------------------------------

/// A target as the views show it: what a chart's target line needs (year, value, label), the
/// progress toward it, the line a card reads, and where the target comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetView {
    /// The indicator the target is for.
    pub indicator: String,
    /// The year it is set for.
    pub year: u16,
    /// The target value.
    pub value: f64,
    /// Short label for a chart's target line: "Mục tiêu 2030: khoảng 45.000".
    pub label: String,
    /// Progress of the selection's figures toward it (`None` without any figure).
    pub progress: Option<Progress>,
    /// The whole line: the label, the share reached, the pace needed against the recent pace.
    pub text: String,
    /// The document that sets it and where it was read, with the confidence.
    pub source: String,
}

/// Whether a target is for the area a view selects: a national target for the whole country, a
/// region's for that region, a province's for that province alone.
fn target_applies(t: &Target, base: &Filter, ds: &Dataset) -> bool {
    match t.area {
        Area::National => base.region.is_none() && base.provinces.is_empty(),
        Area::Region(r) => base.region == Some(r) && base.provinces.is_empty(),
        Area::Province(p) => base.view == ds.meta.boundary && base.provinces == [p],
    }
}

/// Rounds a pace to what its unit reads in: whole cooperatives and persons.
fn pace_value(x: f64, unit: Unit) -> f64 {
    match unit {
        Unit::Count | Unit::Persons | Unit::Products => x.round(),
        _ => x,
    }
}

/// The line a card shows for one target.
fn target_text(label: &str, p: Option<&Progress>, unit: Unit, lang: Lang) -> String {
    let Some(p) = p else {
        return format!("{label} — {}", if lang == Lang::Vi { "chưa có số liệu" } else { "no figures yet" });
    };
    let share = p.share.map(|s| format::percent(s, 1, lang)).unwrap_or_default();
    let per_year = if lang == Lang::Vi { "/năm" } else { "/year" };
    let pace = |x: f64| format!("{}{per_year}", change_text(pace_value(x, unit), unit, lang));
    let recent = p.recent.map(|r| format!(", {}–{}: {}", r.from, r.to, pace(r.per_year))).unwrap_or_default();
    match p.status {
        Status::Reached => match lang {
            Lang::Vi => format!("{label} — đạt {share}, đã đạt"),
            Lang::En => format!("{label} — {share}, reached"),
        },
        Status::Missed => match lang {
            Lang::Vi => format!("{label} — đạt {share} năm {}, chưa đạt", p.judged_year),
            Lang::En => format!("{label} — {share} in {}, not reached", p.judged_year),
        },
        _ => {
            let need = p.pace_needed.map(pace).unwrap_or_default();
            match lang {
                Lang::Vi => format!("{label} — đạt {share}; cần {need}{recent}"),
                Lang::En => format!("{label} — {share} reached; needs {need}{recent}"),
            }
        }
    }
}

/// The targets the dataset sets for an indicator and the view's selection, each with the
/// progress of the selection's figures up to the view's year (the series' recent pace included).
pub fn targets_of(ds: &Dataset, def: &IndicatorDef, base: &Filter, year: Option<u16>, lang: Lang) -> Vec<TargetView> {
    let mut wanted: Vec<&Target> = ds.targets.iter().filter(|t| t.indicator == def.id && target_applies(t, base, ds)).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    crate::engine::order::sort_by_key(&mut wanted, |t| t.year);
    let first = dataset_years(ds).first().copied();
    let mut f = base.clone();
    f.years = match (first, year) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    };
    let res = compute(ds, def, &f, GroupBy::Year);
    let series: Vec<(u16, f64)> = res
        .groups
        .iter()
        .filter_map(|(k, c)| match (k, c.value) {
            (GroupKey::Year(y), Some(v)) => Some((*y, v)),
            _ => None,
        })
        .collect();
    wanted
        .into_iter()
        .map(|tg| {
            let about = match (tg.comparison, lang) {
                (Comparison::About, Lang::Vi) => "khoảng ",
                (Comparison::About, Lang::En) => "about ",
                (Comparison::AtLeast, _) => "≥ ",
            };
            let label = format!(
                "{} {}: {about}{}",
                if lang == Lang::Vi { "Mục tiêu" } else { "Target" },
                tg.year,
                format_value(Some(tg.value), tg.unit, lang)
            );
            let p = progress::progress(&series, tg.year, tg.value, tg.comparison);
            let mut source = tg.document.clone().unwrap_or_default();
            if !source.is_empty() {
                source.push_str(" — ");
            }
            source.push_str(&tg.source);
            if let Some(c) = &tg.confidence {
                source.push_str(&format!(" ({}: {c})", t(lang, Msg::Confidence)));
            }
            TargetView {
                indicator: tg.indicator.clone(),
                year: tg.year,
                value: tg.value,
                text: target_text(&label, p.as_ref(), tg.unit, lang),
                label,
                progress: p,
                source,
            }
        })
        .collect()
}

// ---- indicator picker --------------------------------------------------------------------------

/// The indicators a view can pick, and the one picked.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorPicker {
    /// `(id, label)` in display order.
    pub options: Vec<(String, String)>,
    /// The id shown.
    pub current: String,
}

/// The indicator selector's content.
pub fn indicator_picker(ds: &Dataset, v: &ViewState, lang: Lang) -> IndicatorPicker {
    IndicatorPicker {
        options: indicator_defs(ds).iter().map(|d| (d.id.clone(), d.label.get(lang).to_string())).collect(),
        current: current_indicator(ds, v).unwrap_or_default(),
    }
}

/// The class methods offered for the map, `(code, label)`. Rounded equal steps give at most the
/// number asked for (17–342 in steps of 100 is 4 classes, not 5), and say so.
pub fn class_choices(lang: Lang) -> Vec<(String, String)> {
    let label = |msg: Msg, n: u8, up_to: bool| match (lang, up_to) {
        (Lang::Vi, true) => format!("{}, ≤ {n} lớp", t(lang, msg)),
        (Lang::Vi, false) => format!("{}, {n} lớp", t(lang, msg)),
        (Lang::En, true) => format!("{}, ≤ {n} classes", t(lang, msg)),
        (Lang::En, false) => format!("{}, {n} classes", t(lang, msg)),
    };
    vec![
        ("eq5".into(), label(Msg::ClassEqual, 5, true)),
        ("eq7".into(), label(Msg::ClassEqual, 7, true)),
        ("q5".into(), label(Msg::ClassQuantile, 5, false)),
        ("q4".into(), label(Msg::ClassQuantile, 4, false)),
        ("nb5".into(), label(Msg::ClassJenks, 5, false)),
    ]
}

/// Why custom breaks typed by the user were refused.
#[derive(Clone, Debug, PartialEq)]
pub struct BreaksError(String);

impl BreaksError {
    /// The message in a language.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => format!("Ngưỡng không hợp lệ: {}", self.0),
            Lang::En => format!("Invalid breaks: {}", self.0),
        }
    }
}

/// Parses custom class breaks typed as "10; 50; 100" (Vietnamese or English number format).
pub fn parse_custom_breaks(text: &str) -> Result<ClassSpec, BreaksError> {
    let mut breaks = Vec::new();
    for (i, part) in text.split([';', '~']).map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        match format::parse_number(part) {
            Some(x) if x.is_finite() => breaks.push(x),
            _ => return Err(BreaksError(format!("#{} \"{part}\"", i + 1))),
        }
    }
    if breaks.is_empty() {
        return Err(BreaksError("∅".into()));
    }
    let code = format!("x:{}", breaks.iter().map(|b| b.to_string()).collect::<Vec<_>>().join("~"));
    ClassSpec::from_code(&code).map_err(|e| BreaksError(e.to_string()))
}

// ---- map ---------------------------------------------------------------------------------------

/// One legend entry: a colour and its range as read.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// CSS colour.
    pub color: &'static str,
    /// "1.000 – 2.000".
    pub text: String,
}

/// Everything the Map tab draws.
#[derive(Clone, Debug, PartialEq)]
pub struct MapView {
    /// The ECharts option.
    pub option: Value,
    /// Indicator, year and unit.
    pub title: String,
    /// The legend (HTML, matching the option's colours).
    pub legend: Vec<LegendEntry>,
    /// Where the figures come from.
    pub source: String,
    /// Notes for the reader.
    pub warnings: Vec<String>,
    /// Values by province code (tests and the table read them).
    pub values: BTreeMap<String, f64>,
}

fn title_of(def: &IndicatorDef, year: Option<u16>, lang: Lang) -> String {
    let mut s = def.label.get(lang).to_string();
    if let Some(y) = year {
        s.push_str(&format!(" — {y}"));
    }
    s.push_str(&format!(" ({})", unit_label(def.unit, lang)));
    s
}

fn fallback_def(id: &str) -> IndicatorDef {
    IndicatorDef {
        id: id.to_string(),
        label: crate::engine::dataset::Text::new(id, id),
        description: None,
        measure: crate::engine::dataset::Measure::Count,
        field: None,
        weight: None,
        of: Default::default(),
        where_: Default::default(),
        unit: Unit::Count,
        source: None,
        observed: true,
        summable: Some(true),
        definition: None,
    }
}

fn def_of(ds: &Dataset, id: &str) -> IndicatorDef {
    indicators::find(ds, id).cloned().unwrap_or_else(|| fallback_def(id))
}

/// The labels of the Hoàng Sa and Trường Sa archipelagos, drawn on every map.
pub fn archipelago_labels(b: Boundary, lang: Lang) -> Vec<MapLabel> {
    let reg = registry();
    // Đà Nẵng is 48 in both versions; Khánh Hòa is 56 in both.
    let city = reg.by_code(b, "48").map(|p| p.name).unwrap_or("Đà Nẵng");
    let prov = reg.by_code(b, "56").map(|p| p.name).unwrap_or("Khánh Hòa");
    match lang {
        Lang::Vi => vec![
            MapLabel { code: "HS".into(), text: "QĐ. Hoàng Sa".into(), tooltip: format!("Quần đảo Hoàng Sa (thành phố {city})") },
            MapLabel { code: "TS".into(), text: "QĐ. Trường Sa".into(), tooltip: format!("Quần đảo Trường Sa (tỉnh {prov})") },
        ],
        Lang::En => vec![
            MapLabel { code: "HS".into(), text: "Hoàng Sa Is.".into(), tooltip: format!("Hoàng Sa archipelago ({city} city)") },
            MapLabel { code: "TS".into(), text: "Trường Sa Is.".into(), tooltip: format!("Trường Sa archipelago ({prov} province)") },
        ],
    }
}

/// The choropleth of the view's indicator by province (every province drawn; selected ones
/// outlined), with its classes and legend.
pub fn map_view(ds: &Dataset, v: &ViewState, lang: Lang) -> MapView {
    let id = current_indicator(ds, v).unwrap_or_else(|| v.indicator.clone());
    let def = def_of(ds, &id);
    let year = view_year(ds, v);
    // The map shows every province; the province selection is drawn as outlines, not as a filter.
    let mut filter = base_filter(v);
    filter.provinces.clear();
    let (res, used) = evaluate(ds, &def, &filter, year, GroupBy::Province);
    let b = res.view;
    let reg = registry();
    // Inserted one by one, not collected: `collect` into a BTreeMap sorts first, which would put
    // another copy of the standard library's sort in the wasm (see engine::order).
    let mut by_idx: BTreeMap<u8, Cell> = BTreeMap::new();
    for (k, c) in &res.groups {
        if let GroupKey::Province(p) = k {
            by_idx.insert(*p, *c);
        }
    }
    let values: Vec<f64> = by_idx.values().filter_map(|c| c.value).filter(|x| x.is_finite()).collect();
    let mut warnings: Vec<String> = res.warnings.iter().map(|w| w.message(lang)).collect();
    if let Some(n) = year_note(used, year, lang) {
        warnings.push(n);
    }
    warnings.extend(partial_provinces_note(ds, v.boundary, lang));
    let classes: Option<Classes> = if values.is_empty() {
        None
    } else {
        match classify(&values, &v.classes.method, v.classes.n) {
            Ok(c) => Some(c),
            Err(e) => {
                warnings.push(e.to_string());
                classify(&values, &Method::Equal, 5).ok()
            }
        }
    };
    let mut areas = Vec::new();
    let mut value_map = BTreeMap::new();
    for p in reg.provinces(b) {
        let cell = by_idx.get(&p.index);
        let value = cell.and_then(|c| c.value).filter(|x| x.is_finite());
        if let Some(x) = value {
            value_map.insert(p.code.to_string(), x);
        }
        let mut text = format_with_unit(value, def.unit, lang);
        if let Some(c) = cell.filter(|c| c.n > 0 && !is_observed(ds, &def)) {
            text.push_str(&format!(" · {} {}", format::integer(c.n as f64, lang), t(lang, Msg::Records)));
        }
        areas.push(MapArea {
            code: p.code.to_string(),
            name: p.name.to_string(),
            value,
            text,
            class: value.and_then(|x| classes.as_ref().and_then(|c| class_of(c, x))),
        });
    }
    let source = result_source(ds, &res, lang);
    let mut option = options::choropleth(map_name(b), def.label.get(lang), &areas, &archipelago_labels(b, lang), &source);
    // Outline the selected provinces.
    if let Some(data) = option["series"][0]["data"].as_array_mut() {
        for item in data.iter_mut() {
            if item["name"].as_str().is_some_and(|c| v.provinces.iter().any(|p| p == c)) {
                item["itemStyle"]["borderColor"] = json!("#d62828");
                item["itemStyle"]["borderWidth"] = json!(2.5);
            }
        }
    }
    let mut legend = Vec::new();
    if let Some(c) = &classes {
        for i in 0..c.count() {
            if let Some((lo, hi)) = c.bounds(i) {
                legend.push(LegendEntry {
                    color: CLASS_COLORS[i.min(CLASS_COLORS.len() - 1)],
                    text: class_text(i, lo, hi, def.unit, lang),
                });
            }
        }
    }
    legend.push(LegendEntry { color: NO_DATA_COLOR, text: t(lang, Msg::NoData).to_string() });
    MapView { option, title: title_of(&def, used.or(year), lang), legend, source, warnings, values: value_map }
}

/// Seen in 34 provinces, a 63-province dataset that covers only some of the former provinces of a
/// merged one shows that part under the new name ("Đà Nẵng 88" is the former Quảng Nam alone):
/// which those are, so nobody reads a part as the whole. `None` when every merged province is
/// covered whole or not at all.
pub fn partial_provinces_note(ds: &Dataset, view: Boundary, lang: Lang) -> Option<String> {
    if view != Boundary::P34 || ds.meta.boundary != Boundary::P63 {
        return None;
    }
    let reg = registry();
    let cov = Coverage::of(ds, Boundary::P63);
    let name = |i: &u8| reg.get(Boundary::P63, *i).map_or("", |p| p.name);
    let mut parts = Vec::new();
    for p in reg.provinces(Boundary::P34) {
        let members = reg.members_63(p.index);
        let (with, without): (Vec<u8>, Vec<u8>) = members.iter().partition(|i| cov.province(**i));
        if with.is_empty() || without.is_empty() {
            continue;
        }
        let with = with.iter().map(name).collect::<Vec<_>>().join(", ");
        let without = without.iter().map(name).collect::<Vec<_>>().join(", ");
        parts.push(match lang {
            Lang::Vi => format!("{}: có {with}, thiếu {without}", p.name),
            Lang::En => format!("{}: {with} only, without {without}", p.name),
        });
    }
    if parts.is_empty() {
        return None;
    }
    Some(match lang {
        Lang::Vi => format!("Theo 34 tỉnh, số liệu của một số tỉnh chỉ gồm một phần các tỉnh cũ hợp thành (bộ dữ liệu không có phần còn lại): {}.", parts.join("; ")),
        Lang::En => format!("In 34 provinces, some provinces' figures cover only part of the former provinces they merged (the dataset has no figures for the rest): {}.", parts.join("; ")),
    })
}

/// The legend text of class `i`, which holds values above `lo` (from `lo` itself for the first
/// class) up to and including `hi` (`classify::class_of`). Counts of units, persons or products
/// are whole numbers, so the next class starts at the next one ("17 – 100", "101 – 200"): with
/// both classes reading "100" a reader could not tell where 100 falls. Others read "100 – 200".
fn class_text(i: usize, lo: f64, hi: f64, unit: Unit, lang: Lang) -> String {
    let whole = matches!(unit, Unit::Count | Unit::Persons | Unit::Products) && lo.fract() == 0.0 && hi.fract() == 0.0;
    let lo = if i > 0 && whole { lo + 1.0 } else { lo };
    if lo >= hi {
        return format_value(Some(hi), unit, lang);
    }
    format!("{} – {}", format_value(Some(lo), unit, lang), format_value(Some(hi), unit, lang))
}

// ---- charts ------------------------------------------------------------------------------------

/// Everything the Chart tab draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartView {
    /// The ECharts option.
    pub option: Value,
    /// What the chart shows.
    pub title: String,
    /// Where the figures come from.
    pub source: String,
    /// Notes for the reader.
    pub notes: Vec<String>,
    /// Whether the figures are illustrative (the label travels with the chart).
    pub illustrative: bool,
    /// A file name stem for the PNG download.
    pub file_stem: String,
    /// The height (px) the chart needs, when the page's default is too small (many bars).
    pub height: Option<u32>,
    /// For a trend: the targets set for the indicator and selection (year, value, label), for a
    /// target line, with the progress toward each.
    pub targets: Vec<TargetView>,
}

fn province_name(b: Boundary, idx: u8) -> String {
    registry().get(b, idx).map(|p| p.name.to_string()).unwrap_or_else(|| idx.to_string())
}

fn item(name: String, value: Option<f64>, unit: Unit, lang: Lang) -> Item {
    Item { name, value, text: format_with_unit(value, unit, lang) }
}

/// The Chart tab's chart for a view.
pub fn chart_view(ds: &Dataset, v: &ViewState, lang: Lang) -> ChartView {
    let id = current_indicator(ds, v).unwrap_or_else(|| v.indicator.clone());
    let def = def_of(ds, &id);
    let year = view_year(ds, v);
    let base = base_filter(v);
    let label = def.label.get(lang).to_string();
    let mut notes = Vec::new();
    let (option, title, source) = match v.chart {
        ChartKind::Rank => {
            let (res, used) = evaluate(ds, &def, &base, year, GroupBy::Province);
            notes.extend(res.warnings.iter().map(|w| w.message(lang)));
            notes.extend(year_note(used, year, lang));
            let items: Vec<Item> = res
                .groups
                .iter()
                .filter_map(|(k, c)| match k {
                    GroupKey::Province(p) => Some(item(province_name(res.view, *p), c.value, def.unit, lang)),
                    _ => None,
                })
                .collect();
            let src = result_source(ds, &res, lang);
            (options::rank_bars(&label, &items, &src), title_of(&def, used.or(year), lang), src)
        }
        ChartKind::Trend => {
            let years = dataset_years(ds);
            let mut series = Vec::new();
            let mut src = dataset_source(ds, lang);
            let mut groups: Vec<(String, Filter)> = vec![(selection_name(v, lang), base.clone())];
            for code in v.provinces.iter().take(6) {
                if let Some(p) = registry().by_code(v.boundary, code) {
                    let mut f = base.clone();
                    f.provinces = vec![p.index];
                    groups.push((p.name.to_string(), f));
                }
            }
            if groups.len() == 2 {
                groups.remove(0); // one province: the selection is that province
            }
            for (name, f) in groups {
                let res = compute(ds, &def, &f, GroupBy::Year);
                if !res.sources.is_empty() {
                    src = res.sources.join("; ");
                }
                let mut by_year: BTreeMap<u16, Option<f64>> = BTreeMap::new();
                for (k, c) in &res.groups {
                    if let GroupKey::Year(y) = k {
                        by_year.insert(*y, c.value);
                    }
                }
                // The figure alone on each point ("2.007"): the title carries the unit, and with it
                // neighbouring labels collided on a phone.
                let items = years
                    .iter()
                    .map(|y| {
                        let value = by_year.get(y).copied().flatten();
                        Item { name: y.to_string(), value, text: format_value(value, def.unit, lang) }
                    })
                    .collect();
                series.push((name, items));
            }
            let title = format!("{label} ({})", unit_label(def.unit, lang));
            (options::trend_lines(&years, &series, &src, lang), title, src)
        }
        ChartKind::Composition => {
            let (items, src, title) = composition(ds, &base, year, lang);
            (options::composition_ring(&title, &items, &src), title, src)
        }
        ChartKind::Compare => {
            let (items, src) = compare(ds, v, &def, year, lang);
            (options::compare_bars(&label, &items, &src), title_of(&def, year, lang), src)
        }
    };
    let mut option = option;
    stamp_title(&mut option, &title, &source, ds.meta.illustrative, lang);
    // Horizontal bars, one per province or area: taller than the page's chart when there are many.
    let bars = match v.chart {
        ChartKind::Rank | ChartKind::Compare => option["yAxis"]["data"].as_array().map_or(0, Vec::len),
        _ => 0,
    };
    let targets = match v.chart {
        ChartKind::Trend => targets_of(ds, &def, &base, year, lang),
        _ => Vec::new(),
    };
    ChartView {
        targets,
        height: options::bars_height(bars),
        option,
        title,
        source,
        notes,
        illustrative: ds.meta.illustrative,
        // The indicator and year in the name: charts of two indicators must not overwrite each
        // other in a Downloads folder. (A trend covers every year: no year in its name.)
        file_stem: match (v.chart, year) {
            (ChartKind::Trend, _) | (_, None) => format!("coop-atlas-{}-{}-{}", ds.meta.id, v.chart.code(), id),
            (_, Some(y)) => format!("coop-atlas-{}-{}-{}-{y}", ds.meta.id, v.chart.code(), id),
        },
    }
}

/// Writes the title, the source and (for generated data) the illustrative label into the chart
/// itself, at its foot, so a chart downloaded as PNG still says what it shows and where it is from.
/// The source is wrapped at [`FOOT_LINE`] characters (a 360 px phone holds about that many at the
/// foot's 10 px), with the label on a line of its own, and the plot area leaves room for exactly
/// those lines: a single long line was cut off at both sides on a phone.
fn stamp_title(option: &mut Value, title: &str, source: &str, illustrative: bool, lang: Lang) {
    // Four lines of the foot: a source is cited whole (its publisher and year), a runaway one cut.
    const MAX: usize = 4 * FOOT_LINE;
    let label = t(lang, Msg::Illustrative);
    let mut sub = format!("{}: {}", t(lang, Msg::Source), source);
    if sub.chars().count() > MAX {
        sub = sub.chars().take(MAX - 1).collect::<String>() + "…";
    }
    // A source that already ends with the label (the bundled generated data does) gives it once,
    // on its own line.
    let has_label = sub.contains(label);
    if has_label {
        sub = sub.replace(label, "").trim_end_matches([' ', '—', '/', ',']).to_string();
    }
    let mut lines = wrap_words(&sub, FOOT_LINE);
    if illustrative || has_label {
        lines.push(label.to_string());
    }
    option["title"] = json!({
        "text": title,
        "subtext": lines.join("\n"),
        "left": "center",
        "bottom": 0,
        "itemGap": 4,
        "textStyle": { "fontSize": 12, "lineHeight": 16 },
        "subtextStyle": { "fontSize": 10, "lineHeight": FOOT_LINE_PX, "color": "#4d5f59" },
    });
    // Leave room for the title and every line at the foot: below the plot of cartesian charts,
    // below the ring of a pie.
    // (charming writes `grid` as a list; indexing JSON of the wrong shape would panic, so match it.)
    let bottom = 16 + 4 + FOOT_LINE_PX * lines.len() + 10;
    if let Some(Value::Array(series)) = option.get_mut("series") {
        for s in series.iter_mut().filter(|s| s.get("type").and_then(Value::as_str) == Some("pie")) {
            s["bottom"] = json!(bottom);
        }
    }
    match option.get_mut("grid") {
        Some(Value::Array(grids)) => {
            for g in grids.iter_mut().filter(|g| g.is_object()) {
                g["bottom"] = json!(bottom);
            }
        }
        Some(g @ Value::Object(_)) => g["bottom"] = json!(bottom),
        _ => {}
    }
}

/// What the trend's line of the selection is called: the area it covers.
fn selection_name(v: &ViewState, lang: Lang) -> String {
    if v.provinces.len() > 1 {
        t(lang, Msg::SelectedProvinces).to_string()
    } else if let Some(r) = v.region {
        r.label(lang).to_string()
    } else {
        t(lang, Msg::WholeDataset).to_string()
    }
}

/// Characters per line of a chart's foot (see [`stamp_title`]).
const FOOT_LINE: usize = 58;
/// Height of a line of the foot, px.
const FOOT_LINE_PX: usize = 13;

/// `text` in lines of at most `width` characters, broken between words (a longer word, such as a
/// web address, gets a line of its own).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let need = cur.chars().count() + usize::from(!cur.is_empty()) + word.chars().count();
        if !cur.is_empty() && need > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// OCOP subjects by kind: from entity rows when the dataset has them, else from the published
/// shares of subjects by kind.
fn composition(ds: &Dataset, base: &Filter, year: Option<u16>, lang: Lang) -> (Vec<Item>, String, String) {
    let title_vi = "Chủ thể OCOP (từ 3 sao) theo loại hình";
    let title_en = "OCOP subjects (3 stars or more) by kind";
    let title = if lang == Lang::Vi { title_vi } else { title_en }.to_string();
    if !ds.entities.is_empty() {
        let def = def_of(ds, "ocop_subjects");
        let res = compute(ds, &def, &with_year(base.clone(), year), GroupBy::Kind);
        let total = res.total.value.unwrap_or(0.0);
        let items = res
            .groups
            .iter()
            .filter_map(|(k, c)| match k {
                GroupKey::Kind(kind) => Some((*kind, c.value.unwrap_or(0.0))),
                _ => None,
            })
            .filter(|(_, n)| *n > 0.0)
            .map(|(kind, n)| Item {
                name: kind.label(lang).to_string(),
                value: Some(n),
                text: format!(
                    "{} ({})",
                    format::percent(if total > 0.0 { n / total } else { 0.0 }, 1, lang),
                    format::integer(n, lang)
                ),
            })
            .collect();
        return (items, dataset_source(ds, lang), format!("{title} — {}", year.map(|y| y.to_string()).unwrap_or_default()));
    }
    let parts = [("ocop_subject_share_htx", Kind::Htx), ("ocop_subject_share_dn", Kind::Dn), ("ocop_subject_share_hkd", Kind::Hkd)];
    let mut items = Vec::new();
    let mut sources = Vec::new();
    let mut used_year = None;
    for (id, kind) in parts {
        let def = def_of(ds, id);
        let (res, used) = evaluate(ds, &def, &Filter { view: base.view, ..Filter::default() }, year, GroupBy::None);
        if let Some(v) = res.total.value {
            items.push(Item { name: kind.label(lang).to_string(), value: Some(v), text: format::percent(v, 1, lang) });
            used_year = used_year.or(used);
        }
        for s in res.sources {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
    }
    let known: f64 = items.iter().filter_map(|i| i.value).sum();
    if !items.is_empty() && known < 0.999 {
        let rest = 1.0 - known;
        items.push(Item {
            name: if lang == Lang::Vi { "Còn lại (tổ hợp tác, khác)" } else { "Rest (cooperative groups, other)" }.to_string(),
            value: Some(rest),
            text: format::percent(rest, 1, lang),
        });
    }
    (items, sources.join("; "), format!("{title} — {}", used_year.map(|y| y.to_string()).unwrap_or_default()))
}

/// Selected provinces side by side with their regions and the whole dataset (or, with no
/// province selected, each region and the whole dataset).
fn compare(ds: &Dataset, v: &ViewState, def: &IndicatorDef, year: Option<u16>, lang: Lang) -> (Vec<Item>, String) {
    let base = base_filter(v);
    let mut items = Vec::new();
    let mut src = dataset_source(ds, lang);
    // An area the dataset has no figures for is "no data", never 0; with no province picked, the
    // regions compared are those the dataset has figures in.
    let coverage = Coverage::of(ds, v.boundary);
    let mut push = |name: String, f: Filter, items: &mut Vec<Item>| {
        let (res, _) = evaluate(ds, def, &f, year, GroupBy::None);
        if !res.sources.is_empty() {
            src = res.sources.join("; ");
        }
        let value = res.total.value.filter(|_| coverage.covers(&f));
        // A bar without a value has no label of its own: the name says why it is empty.
        let name = if value.is_some() { name } else { format!("{name} ({})", t(lang, Msg::NoData)) };
        items.push(item(name, value, def.unit, lang));
    };
    let reg = registry();
    let mut regions: Vec<Region> = Vec::new();
    for code in &v.provinces {
        if let Some(p) = reg.by_code(v.boundary, code) {
            let mut f = base.clone();
            f.provinces = vec![p.index];
            f.region = None;
            push(p.name.to_string(), f, &mut items);
            if !regions.contains(&p.region) {
                regions.push(p.region);
            }
        }
    }
    if regions.is_empty() {
        regions = Region::ALL.iter().copied().filter(|&r| coverage.region(r)).collect();
    }
    for r in regions {
        let mut f = base.clone();
        f.provinces.clear();
        f.region = Some(r);
        push(r.label(lang).to_string(), f, &mut items);
    }
    let whole = Filter { view: v.boundary, rows: Subset { kinds: base.rows.kinds.clone(), ..Subset::default() }, ..Filter::default() };
    push(t(lang, Msg::WholeDataset).to_string(), whole, &mut items);
    (items, src)
}

// ---- table -------------------------------------------------------------------------------------

/// Rows of the table: provinces or regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableBy {
    /// One row per province of the view's boundary version.
    Province,
    /// One row per GSO region.
    Region,
}

/// A column of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Indicator id (`""` for the name column).
    pub id: String,
    /// Header.
    pub label: String,
}

/// A row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Province code or region code.
    pub key: String,
    /// Name.
    pub label: String,
    /// Values per indicator column.
    pub values: Vec<Option<f64>>,
    /// Values as read.
    pub texts: Vec<String>,
}

/// The Table tab's content.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// What the table shows.
    pub caption: String,
    /// The name column, then one per indicator.
    pub columns: Vec<Column>,
    /// Units of the indicator columns.
    pub units: Vec<Unit>,
    /// One per province or region with figures.
    pub rows: Vec<Row>,
    /// Totals of the selection (ratios recomputed, not averaged).
    pub total: Row,
    /// Where the figures come from.
    pub source: String,
    /// Illustrative data (the label goes into the CSV too).
    pub illustrative: bool,
    /// What a reader must know to read the figures right (partly covered merged provinces).
    pub notes: Vec<String>,
    /// File name stem for the CSV download.
    pub file_stem: String,
}

/// The indicators the table shows for entity data.
const TABLE_INDICATORS: [&str; 12] = [
    "htx_count",
    "tht_count",
    "qtdnd_count",
    "workers",
    "income_avg",
    "members_per_htx",
    "htx_high_tech",
    "value_chain_units",
    "htx_ntm",
    "ocop_subjects",
    "ocop_5star_products",
    "htx_output_share",
];

/// Provinces (or regions) × indicators of the view's selection and year.
pub fn table(ds: &Dataset, v: &ViewState, by: TableBy, lang: Lang) -> Table {
    let year = view_year(ds, v);
    let base = base_filter(v);
    let group = match by {
        TableBy::Province => GroupBy::Province,
        TableBy::Region => GroupBy::Region,
    };
    let defs: Vec<IndicatorDef> = if ds.entities.is_empty() {
        indicator_defs(ds)
            .into_iter()
            .filter(|d| ds.observations.iter().any(|o| o.indicator == d.id && matches!(o.area, crate::engine::dataset::Area::Province(_))))
            .cloned()
            .collect()
    } else {
        TABLE_INDICATORS.iter().map(|id| def_of(ds, id)).collect()
    };
    let mut columns = vec![Column { id: String::new(), label: if by == TableBy::Province { t(lang, Msg::Province) } else { t(lang, Msg::Region) }.to_string() }];
    let mut rows: BTreeMap<GroupKey, Row> = BTreeMap::new();
    let mut total = Row { key: "total".into(), label: t(lang, Msg::Total).to_string(), values: Vec::new(), texts: Vec::new() };
    let mut sources: Vec<String> = Vec::new();
    let mut view = v.boundary;
    // A selection of areas the dataset has no figures for totals "no data", not 0.
    let covered = Coverage::of(ds, v.boundary).covers(&base);
    // The years the figures are of: published figures exist for some years only, and a 2024 view
    // shows the latest before it (2022 for GSO's provincial figures): the caption says which.
    let mut years_used: Vec<u16> = Vec::new();
    for (col, def) in defs.iter().enumerate() {
        columns.push(Column { id: def.id.clone(), label: def.label.get(lang).to_string() });
        let (res, used) = evaluate(ds, def, &base, year, group);
        if let Some(y) = used.or(year) {
            if !years_used.contains(&y) {
                years_used.push(y);
            }
        }
        view = res.view;
        for s in &res.sources {
            if !sources.contains(s) {
                sources.push(s.clone());
            }
        }
        for (k, c) in &res.groups {
            let row = rows.entry(*k).or_insert_with(|| {
                let (key, label) = match k {
                    GroupKey::Province(p) => (
                        registry().get(res.view, *p).map(|x| x.code.to_string()).unwrap_or_default(),
                        province_name(res.view, *p),
                    ),
                    GroupKey::Region(r) => (r.code().to_string(), r.label(lang).to_string()),
                    GroupKey::Year(y) => (y.to_string(), y.to_string()),
                    GroupKey::Kind(kd) => (kd.code().to_string(), kd.label(lang).to_string()),
                };
                Row { key, label, values: vec![None; defs.len()], texts: Vec::new() }
            });
            row.values[col] = c.value;
        }
        total.values.push(res.total.value.filter(|_| covered));
    }
    let units: Vec<Unit> = defs.iter().map(|d| d.unit).collect();
    let mut rows: Vec<Row> = rows.into_values().collect();
    for r in rows.iter_mut().chain(std::iter::once(&mut total)) {
        r.texts = r.values.iter().zip(&units).map(|(x, u)| format_value(*x, *u, lang)).collect();
    }
    let source = if sources.is_empty() { dataset_source(ds, lang) } else { sources.join("; ") };
    crate::engine::order::sort(&mut years_used);
    let years_text = match (years_used.first(), years_used.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => year.map(|y| y.to_string()).unwrap_or_default(),
    };
    let caption = format!(
        "{} — {}{}",
        ds.meta.title.get(lang),
        years_text,
        if view == Boundary::P34 { format!(" · {}", t(lang, Msg::Boundary34)) } else { String::new() }
    );
    Table {
        caption,
        columns,
        units,
        rows,
        total,
        source,
        illustrative: ds.meta.illustrative,
        notes: partial_provinces_note(ds, v.boundary, lang).into_iter().chain(rival_figures(ds, lang)).collect(),
        file_stem: format!("coop-atlas-{}-{}", ds.meta.id, years_text.replace('–', "-")),
    }
}

/// Sorts rows by a column: 0 = name (Vietnamese-aware: diacritics folded), else an indicator
/// column; rows without a value go last either way.
pub fn sort_rows(rows: &mut [Row], col: usize, desc: bool) {
    if col == 0 {
        crate::engine::order::sort_by(rows, |a, b| {
            crate::engine::provinces::fold(&a.label).cmp(&crate::engine::provinces::fold(&b.label)).then_with(|| a.key.cmp(&b.key))
        });
        if desc {
            rows.reverse();
        }
        return;
    }
    let i = col - 1;
    // With the key as tie-breaker: deterministic whatever the input order.
    crate::engine::order::sort_by(rows, |a, b| {
        let (x, y) = (a.values.get(i).copied().flatten(), b.values.get(i).copied().flatten());
        match (x, y) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                if desc {
                    o.reverse()
                } else {
                    o
                }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.key.cmp(&b.key))
    });
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ would be run as a formula by Excel: quote it with an apostrophe.
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_number(x: Option<f64>, unit: Unit) -> String {
    match x {
        Some(v) if v.is_finite() => match unit {
            Unit::Share => format::plain(v, 4),
            _ if v.fract().abs() < 1e-9 => format!("{}", v as i64),
            _ => format::plain(v, 2),
        },
        _ => String::new(),
    }
}

/// The table as CSV for Excel: UTF-8 with a byte-order mark (so Vietnamese letters survive),
/// comma-separated, numbers unformatted (`.` decimal point, shares as 0–1), then the source and,
/// for illustrative data, the label.
pub fn table_csv(tb: &Table, lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = std::iter::once("code".to_string())
        .chain(tb.columns.iter().map(|c| csv_field(&c.label)))
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for r in tb.rows.iter().chain(std::iter::once(&tb.total)) {
        let mut cells = vec![csv_field(&r.key), csv_field(&r.label)];
        cells.extend(r.values.iter().zip(&tb.units).map(|(x, u)| csv_number(*x, *u)));
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(&csv_field(&format!("{}: {}", t(lang, Msg::Source), tb.source)));
    out.push_str("\r\n");
    if tb.illustrative {
        out.push_str(&csv_field(t(lang, Msg::Illustrative)));
        out.push_str("\r\n");
    }
    out
}

// ---- sources -----------------------------------------------------------------------------------

/// One indicator as the Sources tab describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorInfo {
    /// Id (used in links).
    pub id: String,
    /// Label.
    pub label: String,
    /// What it counts or measures.
    pub definition: String,
    /// Unit.
    pub unit: String,
    /// Source.
    pub source: String,
}

/// Every indicator of the dataset with its definition, unit and source.
pub fn indicator_infos(ds: &Dataset, lang: Lang) -> Vec<IndicatorInfo> {
    indicator_defs(ds)
        .into_iter()
        .map(|d| IndicatorInfo {
            id: d.id.clone(),
            label: d.label.get(lang).to_string(),
            definition: d
                .definition
                .as_ref()
                .or(d.description.as_ref())
                .map(|x| x.get(lang).to_string())
                .unwrap_or_default(),
            unit: unit_label(d.unit, lang).to_string(),
            source: d.source.clone().unwrap_or_else(|| dataset_source(ds, lang)),
        })
        .collect()
}

/// The distinct sources of a dataset's published figures, with their confidence.
pub fn observation_sources(ds: &Dataset) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for o in &ds.observations {
        if !out.iter().any(|(s, c)| *s == o.source && *c == o.confidence) {
            out.push((o.source.clone(), o.confidence.clone()));
        }
    }
    out
}

/// The name of an area for a sentence: "cả nước", a region, a province of the dataset's version.
fn area_name(ds: &Dataset, a: Area, lang: Lang) -> String {
    match a {
        Area::National => if lang == Lang::Vi { "cả nước" } else { "Vietnam" }.to_string(),
        Area::Region(r) => r.label(lang).to_string(),
        Area::Province(p) => province_name(ds.meta.boundary, p),
    }
}

/// Where two sources give different figures for the same area, year and indicator: one line per
/// case, naming the figure charts use (by `engine::source_choice`'s rule) and the others, each
/// with its source. For the Sources tab and the table's notes, so a reader sees both.
pub fn rival_figures(ds: &Dataset, lang: Lang) -> Vec<String> {
    let all: Vec<_> = ds.observations.iter().collect();
    source_choice::choices(&all)
        .into_iter()
        .filter(|c| !c.others.is_empty())
        .map(|c| {
            let o = c.chosen;
            let def = def_of(ds, &o.indicator);
            let fig = |x: &crate::engine::dataset::Observation| {
                let who = x.authority.map(|a| format!("{}, ", a.code())).unwrap_or_default();
                format!("{} ({who}{})", format_value(Some(x.value), def.unit, lang), x.source)
            };
            let others = c.others.iter().map(|x| fig(x)).collect::<Vec<_>>().join("; ");
            let (used, other) = if lang == Lang::Vi { ("biểu đồ dùng", "nguồn khác") } else { ("charts use", "other source") };
            format!("{}, {}, {}: {used} {}; {other}: {others}", def.label.get(lang), area_name(ds, o.area, lang), o.year, fig(o))
        })
        .collect()
}

/// Every target of the dataset as the Sources tab lists it: indicator, area, year and value, the
/// document and its exact wording, where it was read and how confident that reading is.
pub fn target_sources(ds: &Dataset, lang: Lang) -> Vec<String> {
    ds.targets
        .iter()
        .map(|tg| {
            let def = def_of(ds, &tg.indicator);
            let about = match (tg.comparison, lang) {
                (Comparison::About, Lang::Vi) => "khoảng ",
                (Comparison::About, Lang::En) => "about ",
                (Comparison::AtLeast, _) => "≥ ",
            };
            let mut line = format!(
                "{} — {}, {}: {about}{}",
                def.label.get(lang),
                area_name(ds, tg.area, lang),
                tg.year,
                format_value(Some(tg.value), tg.unit, lang)
            );
            if let Some(d) = &tg.document {
                line.push_str(&format!(". {d}"));
            }
            if let Some(w) = &tg.wording {
                line.push_str(&format!(": “{w}”"));
            }
            line.push_str(&format!(". {}: {}", t(lang, Msg::Source), tg.source));
            if let Some(c) = &tg.confidence {
                line.push_str(&format!(" ({}: {c})", t(lang, Msg::Confidence)));
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::parse::{parse_dataset, Limits};

    fn bundled(path: &str) -> Dataset {
        let bytes = std::fs::read(format!("{}/public/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        parse_dataset(&bytes, &Limits::default()).unwrap().dataset
    }

    fn illustrative_2023_2024() -> Dataset {
        bundled("dtts-mn/2024.json").append(&bundled("dtts-mn/2023.json")).unwrap()
    }

    fn card<'a>(cards: &'a [Card], id: &str) -> &'a Card {
        cards.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no card {id}"))
    }

    #[test]
    fn official_cards_show_progress_toward_the_targets_in_both_languages() {
        let ds = bundled("gso/official.json");
        let v = ViewState::default();
        for lang in [Lang::Vi, Lang::En] {
            let cards = cards(&ds, &v, lang);
            let htx = card(&cards, "htx_total");
            assert_eq!(htx.value, Some(35_041.0), "2025: the Ministry of Finance's figure");
            assert_eq!(htx.targets.len(), 2, "{:?}", htx.targets);
            let src = htx.source.as_deref().unwrap_or_default();
            assert!(src.contains("1318/QĐ-TTg") && src.contains("20-NQ/TW"), "{src}");
            match lang {
                Lang::Vi => {
                    assert_eq!(htx.targets[0], "Mục tiêu 2025: khoảng 35.000 — đạt 100,1%, đã đạt");
                    // 45,000 by 2030 from 35,041 in 2025: +1,992 a year; 2022–2025 did +1,888.
                    assert_eq!(htx.targets[1], "Mục tiêu 2030: khoảng 45.000 — đạt 77,9%; cần +1.992/năm, 2022–2025: +1.888/năm");
                }
                Lang::En => {
                    assert_eq!(htx.targets[0], "Target 2025: about 35,000 — 100.1%, reached");
                    assert_eq!(htx.targets[1], "Target 2030: about 45,000 — 77.9% reached; needs +1,992/year, 2022–2025: +1,888/year");
                }
            }
            // An indicator with a target and no figure says so; one without targets has no line.
            let ht = card(&cards, "htx_high_tech_total");
            assert!(ht.targets[0].ends_with(if lang == Lang::Vi { "chưa có số liệu" } else { "no figures yet" }), "{:?}", ht.targets);
            assert!(card(&cards, "htx_active").targets.is_empty());
            // 7.1 million members by 2025; "nearly 6 million" in 2025: missed, said with its year.
            let members = &card(&cards, "htx_members").targets[0];
            assert!(members.ends_with(if lang == Lang::Vi { "đạt 84,5% năm 2025, chưa đạt" } else { "84.5% in 2025, not reached" }), "{members}");
        }
        // As of 2024 the 2025 target is not reached yet: the pace needed and the recent pace.
        let v2024 = ViewState { year: Some(2024), ..ViewState::default() };
        let cards = cards(&ds, &v2024, Lang::Vi);
        let htx = card(&cards, "htx_total");
        assert_eq!(htx.value, Some(33_335.0), "the ministry's figure, not the Alliance's 33,557");
        assert_eq!(htx.targets[0], "Mục tiêu 2025: khoảng 35.000 — đạt 95,2%; cần +1.665/năm, 2021–2024: +1.998/năm");
        // A selected province has no national target.
        let hn = ViewState { provinces: vec!["01".into()], ..ViewState::default() };
        assert!(cards_for(&ds, &hn).iter().all(|c| c.targets.is_empty()));
    }

    #[test]
    fn rival_figures_are_in_the_table_notes_and_the_trend_exposes_targets() {
        let ds = bundled("gso/official.json");
        let rivals = rival_figures(&ds, Lang::Vi);
        let htx = rivals.iter().find(|r| r.contains("2024") && r.starts_with("Tổng số HTX")).expect("end-2024 cooperatives");
        assert!(htx.contains("biểu đồ dùng 33.335 (government") && htx.contains("nguồn khác: 33.557 (association"), "{htx}");
        assert!(rivals.iter().any(|r| r.contains("14.642") && r.contains("15.590")), "{rivals:?}");
        let tb = table(&ds, &ViewState::default(), TableBy::Province, Lang::En);
        assert!(tb.notes.iter().any(|n| n.contains("charts use 33,335") && n.contains("other source: 33,557")), "{:?}", tb.notes);
        let v = ViewState { chart: ChartKind::Trend, indicator: "htx_total".into(), ..ViewState::default() };
        let chart = chart_view(&ds, &v, Lang::Vi);
        let marks: Vec<(u16, f64, &str)> = chart.targets.iter().map(|t| (t.year, t.value, t.label.as_str())).collect();
        assert_eq!(marks, [(2025, 35_000.0, "Mục tiêu 2025: khoảng 35.000"), (2030, 45_000.0, "Mục tiêu 2030: khoảng 45.000")]);
        let lines = target_sources(&ds, Lang::En);
        assert_eq!(lines.len(), ds.targets.len());
        assert!(lines.iter().any(|l| l.contains("1318/QĐ-TTg") && l.contains("“Mục tiêu cụ thể")), "{lines:?}");
    }

    #[test]
    fn a_province_plan_shows_on_that_province_only() {
        let mut ds = illustrative_2023_2024();
        let reg = registry();
        let p = reg.index_of(Boundary::P63, "19").expect("Thái Nguyên");
        ds.targets.push(Target {
            area: Area::Province(p),
            indicator: "htx_count".into(),
            year: 2030,
            value: 400.0,
            unit: Unit::Count,
            comparison: Comparison::AtLeast,
            source: "Kế hoạch của tỉnh (thử)".into(),
            document: None,
            wording: None,
            confidence: None,
        });
        let tn = ViewState { provinces: vec!["19".into()], ..ViewState::default() };
        let cards = cards(&ds, &tn, Lang::Vi);
        let c = card(&cards, "htx_count");
        assert_eq!(c.targets.len(), 1);
        assert!(c.targets[0].starts_with("Mục tiêu 2030: ≥ 400 — đạt "), "{:?}", c.targets);
        assert!(c.targets[0].contains("; cần +") && c.targets[0].contains("2023–2024: "), "{:?}", c.targets);
        assert!(c.source.as_deref().is_some_and(|s| s.contains("Kế hoạch của tỉnh")));
        assert!(cards_for(&ds, &ViewState::default()).iter().all(|c| c.targets.is_empty()), "not the whole dataset's");
    }

    #[test]
    fn cards_show_the_article_figures_with_change_and_share() {
        let ds = illustrative_2023_2024();
        let v = ViewState::default();
        let cards = cards(&ds, &v, Lang::Vi);
        let htx = card(&cards, "htx_count");
        assert_eq!(htx.value, Some(3000.0));
        assert_eq!(htx.text, "3.000");
        assert!(htx.change.is_some_and(|d| d > 0.0), "counts grow to 2024");
        assert_eq!(htx.share_text, None, "no filter: the selection is the whole dataset");
        assert_eq!(card(&cards, "qtdnd_count").value, Some(19.0));
        assert!(card(&cards, "income_avg").text.ends_with("triệu đồng"));

        let mut tn = v.clone();
        tn.region = Some(Region::Tn);
        let cards = cards_for(&ds, &tn);
        let part = card(&cards, "htx_count");
        assert!(part.value.unwrap() < 3000.0);
        assert!(part.share_text.as_deref().is_some_and(|s| s.ends_with('%')));
        // A mean or a median has no share of the whole, even of persons.
        for id in ["income_avg", "members_per_htx", "members_per_htx_median", "htx_high_tech_share"] {
            assert_eq!(card(&cards, id).share_text, None, "{id}");
        }
        assert!(card(&cards, "workers").share_text.is_some(), "a sum of persons has a share");
    }

    #[test]
    fn areas_without_figures_are_no_data_not_zero() {
        let ds = illustrative_2023_2024();
        let def = def_of(&ds, "htx_count");
        // The illustrative dataset covers ethnic-minority provinces: none in the Red River Delta.
        let (items, _) = compare(&ds, &ViewState::default(), &def, Some(2024), Lang::Vi);
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert!(!names.iter().any(|n| n.contains("Đồng bằng sông Hồng")), "{names:?}");
        assert!(names.contains(&"Tây Nguyên") && names.len() >= 3, "{names:?}");
        assert!(items.iter().all(|i| i.value.is_some_and(|v| v > 0.0)), "{items:?}");

        // Thái Bình (34) is not in the dataset: its cards, its bar and its table say so.
        let mut tb = ViewState::default();
        tb.provinces = vec!["34".into()];
        let c = cards_for(&ds, &tb);
        assert_eq!(card(&c, "htx_count").value, None);
        assert_eq!(card(&c, "htx_count").text, "Không có số liệu");
        assert_eq!(card(&c, "htx_count").share_text, None);
        let (items, _) = compare(&ds, &tb, &def, Some(2024), Lang::Vi);
        assert_eq!(items[0].value, None);
        assert_eq!(items[0].name, "Thái Bình (Không có số liệu)");
        let tbl = table(&ds, &tb, TableBy::Province, Lang::Vi);
        assert!(tbl.rows.is_empty() && tbl.total.values.iter().all(Option::is_none), "{:?}", tbl.total);

        // With a covered province beside it, the selection has figures.
        tb.provinces.push("19".into());
        assert!(card(&cards_for(&ds, &tb), "htx_count").value.is_some_and(|v| v > 0.0));
    }

    fn cards_for(ds: &Dataset, v: &ViewState) -> Vec<Card> {
        cards(ds, v, Lang::Vi)
    }

    #[test]
    fn without_the_previous_year_there_is_no_change() {
        let ds = bundled("dtts-mn/2024.json");
        let cards = cards(&ds, &ViewState::default(), Lang::En);
        assert_eq!(card(&cards, "htx_count").change, None);
        assert_eq!(card(&cards, "htx_count").text, "3,000");
    }

    #[test]
    fn the_table_names_the_year_its_published_figures_are_of() {
        // GSO's provincial figures are of 2022: a 2024 view shows them, and says 2022.
        let ds = bundled("gso/official.json");
        let v = ViewState { dataset: "gso-chinh-thuc".into(), year: Some(2024), ..ViewState::default() };
        let tb = table(&ds, &v, TableBy::Province, Lang::Vi);
        assert!(!tb.rows.is_empty());
        assert!(tb.caption.ends_with("— 2022"), "{}", tb.caption);
        assert!(tb.file_stem.ends_with("-2022"), "{}", tb.file_stem);
    }

    #[test]
    fn in_34_provinces_a_partly_covered_province_is_named() {
        let ds = bundled("dtts-mn/2024.json");
        let v34 = ViewState { boundary: Boundary::P34, ..ViewState::default() };
        let note = partial_provinces_note(&ds, Boundary::P34, Lang::Vi).expect("a note");
        // The illustrative dataset has Quảng Nam, not Đà Nẵng city: 34-province Đà Nẵng is a part.
        assert!(note.contains("Đà Nẵng: có Quảng Nam, thiếu Đà Nẵng"), "{note}");
        assert_eq!(table(&ds, &v34, TableBy::Province, Lang::Vi).notes, vec![note.clone()]);
        assert!(map_view(&ds, &v34, Lang::Vi).warnings.contains(&note));
        assert_eq!(partial_provinces_note(&ds, Boundary::P63, Lang::Vi), None, "63 provinces: nothing merged");
        assert!(table(&ds, &ViewState::default(), TableBy::Province, Lang::Vi).notes.is_empty());
    }

    #[test]
    fn legend_classes_of_counts_do_not_share_a_bound() {
        assert_eq!(class_text(0, 17.0, 100.0, Unit::Count, Lang::Vi), "17 – 100");
        assert_eq!(class_text(1, 100.0, 200.0, Unit::Count, Lang::Vi), "101 – 200");
        assert_eq!(class_text(2, 1000.0, 2500.0, Unit::Persons, Lang::Vi), "1.001 – 2.500");
        assert_eq!(class_text(1, 100.0, 101.0, Unit::Count, Lang::Vi), "101");
        // Money and shares are not whole numbers: the bound is shared.
        let money = class_text(1, 3_000_000.0, 3_500_000.0, Unit::VndMonth, Lang::Vi);
        assert!(money.starts_with(&format!("{} – ", format_value(Some(3_000_000.0), Unit::VndMonth, Lang::Vi))), "{money}");
        let m = map_view(&bundled("dtts-mn/2024.json"), &ViewState::default(), Lang::Vi);
        let texts: Vec<&str> = m.legend.iter().map(|e| e.text.as_str()).collect();
        let ends: Vec<String> = texts.iter().filter_map(|t| t.split(" – ").nth(1).map(str::to_string)).collect();
        let starts: Vec<String> = texts.iter().skip(1).filter_map(|t| t.split(" – ").next().map(str::to_string)).collect();
        for (e, s) in ends.iter().zip(&starts) {
            assert_ne!(e, s, "two classes share a bound: {texts:?}");
        }
    }

    #[test]
    fn map_values_add_up_to_the_total_in_both_boundary_versions() {
        let ds = bundled("dtts-mn/2024.json");
        for b in [Boundary::P63, Boundary::P34] {
            let v = ViewState { boundary: b, ..ViewState::default() };
            let m = map_view(&ds, &v, Lang::Vi);
            let sum: f64 = m.values.values().sum();
            assert_eq!(sum, 3000.0, "{b:?}");
            assert_eq!(m.option["series"][0]["map"], map_name(b));
            let data = m.option["series"][0]["data"].as_array().unwrap();
            assert!(data.iter().any(|d| d["name"] == "HS" && d["label"]["show"] == true));
            assert!(data.iter().any(|d| d["name"] == "TS" && d["label"]["show"] == true));
            assert!(m.legend.len() >= 2);
            assert!(m.source.contains("minh họa"), "illustrative label travels with the map");
        }
        let v34 = ViewState { boundary: Boundary::P34, ..ViewState::default() };
        assert!(map_view(&ds, &v34, Lang::Vi).values.len() < map_view(&ds, &ViewState::default(), Lang::Vi).values.len());
    }

    #[test]
    fn table_totals_do_not_change_with_the_boundary_and_ratios_are_recomputed() {
        let ds = bundled("dtts-mn/2024.json");
        let t63 = table(&ds, &ViewState::default(), TableBy::Province, Lang::Vi);
        let t34 = table(&ds, &ViewState { boundary: Boundary::P34, ..ViewState::default() }, TableBy::Province, Lang::Vi);
        assert_eq!(t63.total.values, t34.total.values);
        assert!(t34.rows.len() < t63.rows.len());
        // Counts add up; the income mean of the total is not the mean of the province means.
        let col = t63.columns.iter().position(|c| c.id == "htx_count").unwrap() - 1;
        let sum: f64 = t63.rows.iter().filter_map(|r| r.values[col]).sum();
        assert_eq!(Some(sum), t63.total.values[col]);
        let inc = t63.columns.iter().position(|c| c.id == "income_avg").unwrap() - 1;
        let naive: f64 = t63.rows.iter().filter_map(|r| r.values[inc]).sum::<f64>() / t63.rows.len() as f64;
        assert!((naive - t63.total.values[inc].unwrap()).abs() > 1.0);
        let regions = table(&ds, &ViewState::default(), TableBy::Region, Lang::Vi);
        assert!(regions.rows.len() <= 6);
        assert_eq!(regions.total.values, t63.total.values);
    }

    #[test]
    fn csv_has_a_bom_the_source_and_the_illustrative_label() {
        let ds = bundled("dtts-mn/2024.json");
        let tb = table(&ds, &ViewState::default(), TableBy::Province, Lang::Vi);
        let csv = table_csv(&tb, Lang::Vi);
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("Thái Nguyên"));
        assert!(csv.contains("Dữ liệu minh họa — không phải số liệu chính thức"));
        assert_eq!(csv_field("=1+2"), "'=1+2");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("-3"), "-3");
    }

    #[test]
    fn sorting_puts_missing_values_last() {
        let mk = |label: &str, v: Option<f64>| Row { key: label.into(), label: label.into(), values: vec![v], texts: vec![] };
        let mut rows = vec![mk("Đắk Lắk", Some(2.0)), mk("An Giang", None), mk("Bắc Kạn", Some(5.0))];
        sort_rows(&mut rows, 1, true);
        assert_eq!(rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["Bắc Kạn", "Đắk Lắk", "An Giang"]);
        sort_rows(&mut rows, 0, false);
        assert_eq!(rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["An Giang", "Bắc Kạn", "Đắk Lắk"]);
    }

    #[test]
    fn custom_breaks_are_read_in_either_format_and_bad_ones_name_the_place() {
        assert_eq!(parse_custom_breaks("10; 50; 100").unwrap().code(), "x:10~50~100");
        assert_eq!(parse_custom_breaks("0,25; 0,5").unwrap().code(), "x:0.25~0.5");
        let e = parse_custom_breaks("10; abc").unwrap_err();
        assert!(e.message(Lang::En).contains("#2"), "{}", e.message(Lang::En));
        assert!(parse_custom_breaks("50; 10").is_err());
        assert!(parse_custom_breaks("").is_err());
    }

    #[test]
    fn a_ranking_of_many_provinces_asks_for_a_taller_chart() {
        let ds = illustrative_2023_2024();
        let rank = chart_view(&ds, &ViewState { chart: ChartKind::Rank, ..ViewState::default() }, Lang::Vi);
        let n = rank.option["yAxis"]["data"].as_array().unwrap().len();
        assert!(n > 12, "{n} provinces");
        assert_eq!(rank.height, options::bars_height(n));
        let trend = chart_view(&ds, &ViewState { chart: ChartKind::Trend, ..ViewState::default() }, Lang::Vi);
        assert_eq!(trend.height, None);
        // Download names tell two charts apart: the indicator, and the year but for a trend.
        assert_eq!(rank.file_stem, "coop-atlas-dtts-mn-minh-hoa-rank-htx_count-2024");
        assert_eq!(trend.file_stem, "coop-atlas-dtts-mn-minh-hoa-trend-htx_count");
        let workers = chart_view(&ds, &ViewState { chart: ChartKind::Rank, indicator: "workers".into(), ..ViewState::default() }, Lang::Vi);
        assert_ne!(workers.file_stem, rank.file_stem);
    }

    #[test]
    fn the_chart_foot_wraps_the_source_and_gives_the_label_a_line() {
        assert_eq!(wrap_words("a bb ccc dddd", 6), vec!["a bb", "ccc", "dddd"]);
        assert_eq!(wrap_words("  ", 6), Vec::<String>::new());
        assert_eq!(wrap_words("https://example.org/very-long x", 6), vec!["https://example.org/very-long", "x"]);
        let mut o = json!({ "grid": { "left": 0 } });
        let src = "Coop Atlas — dữ liệu minh họa sinh tự động, tái hiện số liệu bài báo về hội nghị KTTT vùng DTTS & MN — Dữ liệu minh họa — không phải số liệu chính thức";
        stamp_title(&mut o, "T", src, true, Lang::Vi);
        let sub = o["title"]["subtext"].as_str().unwrap();
        let lines: Vec<&str> = sub.split('\n').collect();
        assert!(lines.iter().all(|l| l.chars().count() <= FOOT_LINE), "{lines:?}");
        assert_eq!(*lines.last().unwrap(), "Dữ liệu minh họa — không phải số liệu chính thức", "{lines:?}");
        assert_eq!(sub.matches("không phải số liệu chính thức").count(), 1, "the label once: {sub}");
        assert!(lines[0].starts_with("Nguồn: Coop Atlas"), "{lines:?}");
        assert_eq!(o["grid"]["bottom"], json!(16 + 4 + FOOT_LINE_PX * lines.len() + 10));
    }

    #[test]
    fn charts_for_every_kind_carry_source_and_label() {
        let ds = illustrative_2023_2024();
        for kind in ChartKind::ALL {
            let v = ViewState { chart: *kind, provinces: vec!["19".into(), "06".into()], ..ViewState::default() };
            let c = chart_view(&ds, &v, Lang::Vi);
            assert!(c.illustrative);
            assert!(!c.title.is_empty());
            assert!(c.option["series"].as_array().is_some_and(|s| !s.is_empty()), "{kind:?}");
            let sub = c.option["title"]["subtext"].as_str().unwrap();
            assert!(sub.contains("Dữ liệu minh họa — không phải số liệu chính thức"), "{kind:?}: {sub}");
        }
        let mix = chart_view(&ds, &ViewState { chart: ChartKind::Composition, ..ViewState::default() }, Lang::Vi);
        let names: Vec<&str> = mix.option["series"][0]["data"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"Hợp tác xã") && names.contains(&"Doanh nghiệp"));
    }

    #[test]
    fn the_official_dataset_shows_published_figures_of_their_latest_year() {
        let ds = bundled("gso/official.json");
        let v = ViewState { dataset: "gso-chinh-thuc".into(), indicator: "htx_active".into(), ..ViewState::default() };
        let cards = cards(&ds, &v, Lang::Vi);
        let c = card(&cards, "htx_active");
        assert_eq!(c.value, Some(15832.0));
        assert!(c.note.as_deref().is_some_and(|n| n.contains("2022")), "{:?}", c.note);
        assert!(c.source.as_deref().is_some_and(|s| s.contains("GSO") && s.contains("medium")), "{:?}", c.source);
        let m = map_view(&ds, &v, Lang::Vi);
        assert_eq!(m.values.values().sum::<f64>(), 15832.0);
        assert!(m.source.contains("GSO"));
        assert_eq!(current_indicator(&ds, &ViewState::default()).as_deref(), Some("htx_active"));
    }
}
