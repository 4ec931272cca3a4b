//! What each screen of the dashboard shows, computed from a dataset and a view.
//!
//! This is the seam between the engine and the components: every figure, label, legend entry, chart
//! option and table cell is produced here, by pure functions of `(&Dataset, &ViewState, Lang)`, so
//! the whole dashboard is tested natively and the Leptos components only render what they get.
//! Every result names its source; illustrative data is flagged wherever it travels.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::charts::options::{self, Item};
use crate::engine::classify::{class_of, classify, classify_counts, one_value_per_class, ClassSpec, Classes, Method};
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

/// The stem of a boundary version's shape file (`geo/vn63-svg.tsv`, scripts/geo/svg_map.py).
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

pub(crate) fn with_year(mut f: Filter, year: Option<u16>) -> Filter {
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

pub(crate) fn is_observed(ds: &Dataset, def: &IndicatorDef) -> bool {
    def.observed || ds.entities.is_empty()
}

/// Computes one indicator for a view's filter in `year` (published figures: the latest year up to
/// it), returning the result and the year actually used.
pub(crate) fn evaluate(ds: &Dataset, def: &IndicatorDef, filter: &Filter, year: Option<u16>, group: GroupBy) -> (IndicatorResult, Option<u16>) {
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

/// Who published a result's figures, in plain words in the reader's language: the publishers of
/// the observations used, or `None` for figures computed from entity rows. The full citation (links,
/// how the figure was obtained, its confidence) is one step further, in the Sources tab, never in a
/// caption.
pub(crate) fn publishers_text(res: &IndicatorResult, lang: Lang) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for p in &res.publishers {
        let s = p.get(lang);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    (!out.is_empty()).then(|| out.join("; "))
}

pub(crate) fn result_source(ds: &Dataset, res: &IndicatorResult, lang: Lang) -> String {
    publishers_text(res, lang).unwrap_or_else(|| dataset_source(ds, lang))
}

pub(crate) fn year_note(used: Option<u16>, asked: Option<u16>, lang: Lang) -> Option<String> {
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
    /// For a published figure: who published it (in plain words, in the reader's language; and,
    /// when the indicator has targets, the documents that set them).
    pub source: Option<String>,
    /// Progress toward each target set for the selection, as read ("Mục tiêu 2030: khoảng
    /// 45.000 — đạt 77,9%; cần +1.992/năm, 2022–2025: +1.888/năm").
    pub targets: Vec<String>,
    /// The indicator's unit (one decimals rule per unit across the row).
    pub unit: Unit,
}

pub(crate) fn change_text(delta: f64, unit: Unit, lang: Lang) -> String {
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
                unit: def.unit,
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
        // A card never claims a year for a value it does not have ("Số liệu năm 2020" above "no data").
        let note = if value.is_some() { year_note(used, year, lang) } else { res.warnings.first().map(|w| w.message(lang)) };
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
            source: publishers_text(&res, lang),
            targets: Vec::new(),
            unit: def.unit,
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
            // On a card, the document that sets the target in the reader's words; the citation and
            // its confidence are one step further, in the Sources tab (issue 15).
            let sources: Vec<String> = views.iter().map(|t| t.document.clone()).filter(|d| !d.is_empty()).collect();
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
    align_decimals(&mut out, lang);
    out
}

/// One decimals rule across a row of cards ([`align_decimals_by`]).
fn align_decimals(cards: &mut [Card], lang: Lang) {
    align_decimals_by(cards, lang, |c| c.value.map(|v| (v, c.unit)), |c| &mut c.text);
}

/// One decimals rule across a row of figures (issue 15 item 8: "3 triệu" never next to "3,4
/// triệu"): the amounts written with one scale word ("triệu", "tỷ") read at one precision,
/// whatever their unit in the file (a monthly income in đồng, a profit in millions). Below 100
/// of the scale they show one decimal when any of them does ("3,0 · 3,4 triệu"); from 100 they
/// show none ("421 triệu", "68.013 tỷ": a decimal on thousands of billions is a precision no
/// source gives, and "95.273,7 tỷ" beside "88.586 tỷ" was two rules in one row). `fig` gives a
/// figure's value and unit (`None`: no figure), `text` its written form, rewritten in place.
pub(crate) fn align_decimals_by<T>(row: &mut [T], lang: Lang, fig: impl Fn(&T) -> Option<(f64, Unit)>, text: impl Fn(&mut T) -> &mut String) {
    let sep = if lang == Lang::Vi { ',' } else { '.' };
    // (power of ten the value counts in, power of the scale word, the figure in that scale).
    let written = |(v, u): (f64, Unit)| -> Option<(u8, u8, f64)> {
        match u {
            Unit::VndMonth => {
                let w = format::money_scale(v);
                (w > 0).then(|| (0, w, v / 10f64.powi(i32::from(w))))
            }
            Unit::MillionVnd => Some((6, 6, v)),
            Unit::BillionVnd => Some((9, 9, v)),
            _ => None,
        }
        .filter(|_| v.is_finite())
    };
    let small = |s: f64| s.abs() < 99.95;
    let mut decimal = [false; 2]; // some figure below 100 shows a decimal: millions, billions
    for it in row.iter_mut() {
        if let Some((_, w, s)) = fig(it).and_then(written) {
            if small(s) && text(it).contains(sep) {
                decimal[usize::from(w == 9)] = true;
            }
        }
    }
    for it in row.iter_mut() {
        let Some((v, _)) = fig(it) else { continue };
        let Some((unit, w, s)) = fig(it).and_then(written) else { continue };
        let decimals = match (small(s), decimal[usize::from(w == 9)]) {
            (false, _) => 0,
            (true, true) => 1,
            (true, false) => continue,
        };
        *text(it) = format::money_in(v, unit, w, decimals, lang);
    }
}

pub(crate) fn has_entity_year(ds: &Dataset, y: u16) -> bool {
    // Off the row index: not a million years read (the cards ask on every view).
    ds.entities.years_present().contains(&y)
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
    /// The document that sets it and where it was read, with the confidence (the Sources tab).
    pub source: String,
    /// The document alone, short and in the reader's language ("Quyết định 1318/QĐ-TTg
    /// (22/7/2021)", "Decision 1318/QD-TTg (2021)"): what a card names.
    pub document: String,
}

/// A legal document's short reference in the reader's language, from its Vietnamese title
/// ("Quyết định 1318/QĐ-TTg ngày 22/7/2021 của Thủ tướng …"): its kind and number, and its date
/// (Vietnamese) or year (English). English writes the number without diacritics, as English
/// translations of Vietnamese documents do ("Decision 1318/QD-TTg").
pub fn document_ref(title: &str, lang: Lang) -> String {
    let head = title.split(" ngày ").next().unwrap_or(title);
    let head = head.split(" của ").next().unwrap_or(head).trim();
    let date = title.split(" ngày ").nth(1).and_then(|d| d.split_whitespace().next()).unwrap_or("");
    match lang {
        Lang::Vi => if date.is_empty() { head.to_string() } else { format!("{head} ({date})") },
        Lang::En => {
            let mut en = head.to_string();
            for (vi, e) in [("Quyết định", "Decision"), ("Nghị quyết", "Resolution"), ("Nghị định", "Decree"), ("Chỉ thị", "Directive"), ("Kết luận", "Conclusion"), ("Thông tư", "Circular")] {
                if let Some(rest) = en.strip_prefix(vi) {
                    en = format!("{e}{rest}");
                }
            }
            let en: String = en.chars().map(|c| match c { 'Đ' => 'D', 'đ' => 'd', c => c }).collect();
            match date.rsplit('/').next().filter(|y| y.len() == 4) {
                Some(y) => format!("{en} ({y})"),
                None => en,
            }
        }
    }
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
                t(lang, Msg::Target),
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
                // A target without a document (a province's own plan) is named by its source.
                document: tg.document.as_deref().map_or_else(|| tg.source.clone(), |d| document_ref(d, lang)),
            }
        })
        .collect()
}

// ---- boundary switch ----------------------------------------------------------------------------

/// A switch of the chosen provinces between 63 and 34, remembered by the filter panel so that
/// switching back gives the provinces exactly as they were (order included).
#[derive(Clone, Debug, PartialEq)]
pub struct ProvinceSwitch {
    /// The boundary switched from.
    pub from: Boundary,
    /// The codes before the switch.
    pub before: Vec<String>,
    /// The codes after it.
    pub after: Vec<String>,
}

/// Moves selected province codes to another boundary version: a 63-province code becomes the
/// 34-province it merged into; a 34-province code becomes all the 63-provinces it is made of. When
/// this undoes `last` (back to where it came from, the selection untouched since), the selection
/// before it is restored: `p=19~06` in 63 → `19` in 34 → `19~06`, not `06~19` (the 63 members come
/// in statistical order, which is not the reader's).
pub fn switch_provinces(codes: &[String], from: Boundary, to: Boundary, last: Option<&ProvinceSwitch>) -> Vec<String> {
    if from == to {
        return codes.to_vec();
    }
    if let Some(l) = last.filter(|l| l.from == to && l.after == codes) {
        return l.before.clone();
    }
    let reg = registry();
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        let Some(idx) = reg.index_of(from, code) else { continue };
        let targets: Vec<u8> = match to {
            Boundary::P34 => reg.to_34(idx).into_iter().collect(),
            Boundary::P63 => reg.members_63(idx),
        };
        for t in targets {
            if let Some(p) = reg.get(to, t) {
                if !out.iter().any(|c| c == p.code) {
                    out.push(p.code.to_string());
                }
            }
        }
    }
    out
}

// ---- page title ---------------------------------------------------------------------------------

/// The document title of a view: indicator, place, year, dataset, app. Tabs, bookmarks, history
/// and a pasted link's title (where the chat app runs the page) then say what the page shows.
pub fn page_title(ds: &Dataset, v: &ViewState, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(id) = current_indicator(ds, v) {
        parts.push(def_of(ds, &id).label.get(lang).to_string());
    }
    let reg = registry();
    let place = if !v.provinces.is_empty() {
        v.provinces.iter().filter_map(|c| reg.by_code(v.boundary, c).map(|p| p.name)).collect::<Vec<_>>().join(", ")
    } else {
        v.region.map(|r| r.label(lang).to_string()).unwrap_or_default()
    };
    if !place.is_empty() {
        parts.push(place);
    }
    if let Some(y) = view_year(ds, v) {
        parts.push(y.to_string());
    }
    format!("{} — {} · {}", parts.join(" · "), ds.meta.title.get(lang), t(lang, Msg::AppName))
}

// ---- empty and ignored filters ------------------------------------------------------------------

/// A way out of an empty view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WayOut {
    /// Remove the region and the provinces chosen.
    ClearArea,
    /// Remove the kind, sector and yes/no filters (the dataset cannot apply them).
    ClearRowFilters,
    /// Open another bundled dataset.
    OtherDataset,
}

impl WayOut {
    /// The view with this way out taken, for the two that change only the view (the Leptos app
    /// and the lean first view both call it). [`WayOut::OtherDataset`] needs the catalogue to
    /// pick the dataset: the caller opens it, and the view is left as it is here.
    pub fn apply(self, v: &mut ViewState) {
        match self {
            WayOut::ClearArea => {
                v.region = None;
                v.provinces.clear();
            }
            WayOut::ClearRowFilters => {
                v.kinds.clear();
                v.sectors.clear();
                v.ntm.clear();
                v.stage.clear();
                v.high_tech = None;
                v.value_chain = None;
                v.trademark = None;
                v.ethnic_area = None;
            }
            WayOut::OtherDataset => {}
        }
    }
}

/// Why a view shows less than it seems to ask for, in one sentence, with the ways out.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The sentence.
    pub message: String,
    /// What the reader can do about it.
    pub ways_out: Vec<WayOut>,
}

/// Whether the dataset's figures can be filtered by kind, sector and the yes/no attributes: only
/// entity rows carry them; published figures are by area only.
pub fn rows_filterable(ds: &Dataset) -> bool {
    !ds.entities.is_empty()
}

fn has_row_filters(v: &ViewState) -> bool {
    !(v.kinds.is_empty() && v.sectors.is_empty() && v.ntm.is_empty() && v.stage.is_empty())
        || v.high_tech.is_some()
        || v.value_chain.is_some()
        || v.trademark.is_some()
        || v.ethnic_area.is_some()
}

/// Why the view is empty or a filter is ignored: an area the dataset has no figures for (empty
/// cards, map and charts otherwise say nothing), or row filters on published figures (a chip that
/// changes nothing). Empty when the view shows what it asks for.
pub fn explanations(ds: &Dataset, v: &ViewState, lang: Lang) -> Vec<Explanation> {
    let mut out = Vec::new();
    let base = base_filter(v);
    let cov = Coverage::of(ds, v.boundary);
    if !cov.covers(&base) {
        let reg = registry();
        let area = if v.provinces.is_empty() {
            v.region.map(|r| r.label(lang).to_string()).unwrap_or_default()
        } else {
            v.provinces.iter().filter_map(|c| reg.by_code(v.boundary, c).map(|p| p.name)).collect::<Vec<_>>().join(", ")
        };
        let n = cov.provinces.iter().filter(|c| **c).count();
        let title = ds.meta.title.get(lang);
        out.push(Explanation {
            message: match lang {
                Lang::Vi => format!("Bộ dữ liệu “{title}” không có số liệu cho {area} (bộ dữ liệu có số liệu của {n} tỉnh): bỏ lọc hoặc xem bộ dữ liệu khác."),
                Lang::En => format!("The dataset “{title}” has no figures for {area} (it has figures for {n} provinces): clear the filter or switch dataset."),
            },
            ways_out: vec![WayOut::ClearArea, WayOut::OtherDataset],
        });
    }
    if !rows_filterable(ds) && has_row_filters(v) {
        out.push(Explanation {
            message: format!("{} {}", t(lang, Msg::RowFiltersNotApplicable), match lang {
                Lang::Vi => "Các bộ lọc đó không được áp dụng.",
                Lang::En => "Those filters were not applied.",
            }),
            ways_out: vec![WayOut::ClearRowFilters],
        });
    }
    out
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

/// Why custom breaks typed by the user were refused: the place of an entry that is not a number,
/// or the classifier's objection (worded in the reader's language).
#[derive(Clone, Debug, PartialEq)]
pub enum BreaksError {
    /// Entry `#n` is not a number (its text), or nothing was typed (`∅`).
    Entry(String),
    /// The breaks are numbers but not usable as breaks.
    Breaks(crate::engine::classify::ClassifyError),
}

impl BreaksError {
    /// The message in a language.
    pub fn message(&self, lang: Lang) -> String {
        let detail = match self {
            BreaksError::Entry(s) => s.clone(),
            BreaksError::Breaks(e) => e.message(lang),
        };
        match lang {
            Lang::Vi => format!("Ngưỡng không hợp lệ: {detail}"),
            Lang::En => format!("Invalid breaks: {detail}"),
        }
    }
}

/// Parses custom class breaks typed as "10; 50; 100" (Vietnamese or English number format).
pub fn parse_custom_breaks(text: &str) -> Result<ClassSpec, BreaksError> {
    let mut breaks = Vec::new();
    for (i, part) in text.split([';', '~']).map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        match format::parse_number(part) {
            Some(x) if x.is_finite() => breaks.push(x),
            _ => return Err(BreaksError::Entry(format!("#{} \"{part}\"", i + 1))),
        }
    }
    if breaks.is_empty() {
        return Err(BreaksError::Entry("∅".into()));
    }
    let code = format!("x:{}", breaks.iter().map(|b| b.to_string()).collect::<Vec<_>>().join("~"));
    ClassSpec::from_code(&code).map_err(BreaksError::Breaks)
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

/// The palette of the choropleth classes, light to dark (ColorBrewer YlGnBu, colour-blind safe).
pub const CLASS_COLORS: [&str; 9] =
    ["#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58", "#03102e"];

/// Colour of provinces without a value.
pub const NO_DATA_COLOR: &str = "#e3e6e5";

/// Colour of the Hoàng Sa and Trường Sa archipelagos (no figures of their own).
pub const ISLAND_COLOR: &str = "#7d8b87";

/// One province of the choropleth, as the map draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct MapArea {
    /// Two-digit GSO code of the view's boundary version: the shape's key.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The value; `None` = no data.
    pub value: Option<f64>,
    /// The value as read ("3.000 HTX", "–").
    pub text: String,
    /// Its fill: the class colour of the value, [`NO_DATA_COLOR`] without one.
    pub fill: &'static str,
    /// Selected (`p=`): drawn outlined.
    pub selected: bool,
}

impl MapArea {
    /// What the province says to a screen reader, and its tooltip: "Thái Nguyên: 188 HTX".
    pub fn label(&self) -> String {
        format!("{}: {}", self.name, self.text)
    }
}

/// A label drawn on the map for an area without data of its own: the Hoàng Sa and Trường Sa
/// archipelagos, labelled as maps published in Vietnam do.
#[derive(Clone, Debug, PartialEq)]
pub struct MapLabel {
    /// Shape code (`HS`, `TS`).
    pub code: String,
    /// The label ("QĐ. Hoàng Sa").
    pub text: String,
    /// The tooltip ("Quần đảo Hoàng Sa (thành phố Đà Nẵng)").
    pub tooltip: String,
}

/// Everything the Map tab draws.
#[derive(Clone, Debug, PartialEq)]
pub struct MapView {
    /// Every province of the view's boundary version, in the registry's order.
    pub areas: Vec<MapArea>,
    /// The archipelagos' labels.
    pub labels: Vec<MapLabel>,
    /// The provinces the map zooms to: the selection (`p=`), else the region's (`r=`), else none
    /// (the whole country).
    pub focus: Vec<String>,
    /// Indicator, year and unit.
    pub title: String,
    /// The legend (HTML, matching the areas' fills).
    pub legend: Vec<LegendEntry>,
    /// Where the figures come from.
    pub source: String,
    /// The foot of a downloaded map: the source wrapped, and the illustrative-data label when it
    /// applies (as a downloaded chart carries it).
    pub foot: Vec<String>,
    /// Notes for the reader.
    pub warnings: Vec<String>,
    /// Values by province code (tests and the table read them).
    pub values: BTreeMap<String, f64>,
    /// A downloaded map's file name without extension: dataset, indicator and year.
    pub file_stem: String,
}

impl MapView {
    /// The province of `code`, if the view's boundary version has it.
    pub fn area(&self, code: &str) -> Option<&MapArea> {
        self.areas.iter().find(|a| a.code == code)
    }
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

pub(crate) fn def_of(ds: &Dataset, id: &str) -> IndicatorDef {
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
    // Counts are classed in whole numbers, one class per value when there are few values.
    let is_count = matches!(def.unit, Unit::Count | Unit::Persons | Unit::Products);
    let classify_unit = if is_count { classify_counts } else { classify };
    let classes: Option<Classes> = if values.is_empty() {
        None
    } else {
        match classify_unit(&values, &v.classes.method, v.classes.n) {
            Ok(c) => Some(c),
            Err(e) => {
                warnings.push(e.message(lang));
                classify_unit(&values, &Method::Equal, 5).ok()
            }
        }
    };
    let single_values = is_count && classes.as_ref().is_some_and(|c| one_value_per_class(c, &values));
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
        let class = value.and_then(|x| classes.as_ref().and_then(|c| class_of(c, x)));
        areas.push(MapArea {
            code: p.code.to_string(),
            name: p.name.to_string(),
            value,
            text,
            fill: class.map_or(NO_DATA_COLOR, |c| CLASS_COLORS[c.min(CLASS_COLORS.len() - 1)]),
            selected: v.provinces.iter().any(|c| c == p.code),
        });
    }
    let source = result_source(ds, &res, lang);
    // Zoom to the selection, else to the region: the provinces the view is about.
    let focus: Vec<String> = if !v.provinces.is_empty() {
        areas.iter().filter(|a| a.selected).map(|a| a.code.clone()).collect()
    } else if let Some(r) = v.region {
        reg.provinces(b).iter().filter(|p| p.region == r).map(|p| p.code.to_string()).collect()
    } else {
        Vec::new()
    };
    let mut legend = Vec::new();
    if let Some(c) = &classes {
        for i in 0..c.count() {
            if let Some((lo, hi)) = c.bounds(i) {
                let text = if single_values { format_value(Some(hi), def.unit, lang) } else { class_text(i, lo, hi, def.unit, lang) };
                legend.push(LegendEntry { color: CLASS_COLORS[i.min(CLASS_COLORS.len() - 1)], text });
            }
        }
    }
    legend.push(LegendEntry { color: NO_DATA_COLOR, text: t(lang, Msg::NoData).to_string() });
    let used_year = used.or(year);
    MapView {
        areas,
        labels: archipelago_labels(b, lang),
        focus,
        title: title_of(&def, used_year, lang),
        legend,
        foot: foot_lines(&source, ds.meta.illustrative, lang),
        source,
        warnings,
        values: value_map,
        file_stem: match used_year {
            Some(y) => format!("coop-atlas-{}-map-{}-{y}", ds.meta.id, id),
            None => format!("coop-atlas-{}-map-{}", ds.meta.id, id),
        },
    }
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
    /// The ECharts option, as drawn on screen.
    pub option: Value,
    /// What a downloaded PNG adds to `option` (merged in for the export, then taken out again): the
    /// title, the source and the illustrative label at the chart's foot, and room for them.
    pub foot: Value,
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

pub(crate) fn province_name(b: Boundary, idx: u8) -> String {
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
    let mut targets = Vec::new();
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
            let tr = trend(&[ds], v, lang);
            targets = tr.targets;
            (options::trend_lines(&tr.years, &tr.series, &tr.source, lang), tr.title, tr.source)
        }
        ChartKind::Composition => {
            let c = composition(ds, &def, &base, year, lang);
            notes.extend(c.note);
            (options::composition_ring(&c.title, &c.items, &c.colors, &c.source), c.title, c.source)
        }
        ChartKind::Compare => {
            let (items, src) = compare(ds, v, &def, year, lang);
            (options::compare_bars(&label, &items, &src), title_of(&def, year, lang), src)
        }
    };
    // The trend draws the targets set for its selection as a dashed line on to the target year.
    let mut option = option;
    let marks: Vec<options::TargetMark> =
        targets.iter().map(|t| options::TargetMark { year: t.year, value: t.value, label: t.label.clone() }).collect();
    options::add_targets(&mut option, &marks, t(lang, Msg::Target));
    // The title, source and label are drawn into the chart only when it is downloaded (`foot`): on
    // screen they are the page's own lines around the chart, so the source shows once.
    let foot = print_foot(&option, &title, &source, ds.meta.illustrative, lang);
    // Horizontal bars, one per province or area: taller than the page's chart when there are many.
    let bars = match v.chart {
        ChartKind::Rank | ChartKind::Compare => option["yAxis"]["data"].as_array().map_or(0, Vec::len),
        _ => 0,
    };
    ChartView {
        targets,
        height: options::bars_height(bars),
        option,
        foot,
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

/// A trend over every year of the dataset: the figures of the selection, or of each chosen
/// province (up to six) beside the selection, one series each, with the targets set for it.
/// Written once for the chart's two faces: ECharts' lines ([`chart_view`]) and the SVG drawing a
/// link shows before ECharts has arrived (`charts::svg`, the lean first view and the app alike).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrendView {
    /// Every year of the dataset, in order: the points of each series.
    pub years: Vec<u16>,
    /// One line per area: its name and a point for each year (`None` where there is no figure).
    pub series: Vec<(String, Vec<Item>)>,
    /// The indicator and its unit: "Số hợp tác xã (đơn vị)".
    pub title: String,
    /// Where the figures come from.
    pub source: String,
    /// The targets set for the indicator and selection.
    pub targets: Vec<TargetView>,
}

/// The trend of a view (see [`TrendView`]) over a dataset given whole (`&[&ds]`, the app's merged
/// years) or in its files, one year each (the lean first view's: merging them would bring
/// [`Dataset::append`] and its checks into that small wasm, ≈ 5 KB brotli). Each year's figure
/// depends on that year's rows only, so both give the same trend (a test holds them equal on the
/// bundled data). Targets are read from a dataset given whole: a dataset's years in separate
/// files carry none (the bundled ones do not; the lean draws no trend from such parts when one
/// does, `has_targets`).
pub fn trend(parts: &[&Dataset], v: &ViewState, lang: Lang) -> TrendView {
    let Some(first) = parts.first() else { return TrendView::default() };
    let id = current_indicator(first, v).unwrap_or_else(|| v.indicator.clone());
    let def = def_of(first, &id);
    let base = base_filter(v);
    let mut years: Vec<u16> = parts.iter().flat_map(|p| dataset_years(p)).collect();
    crate::engine::order::sort(&mut years);
    years.dedup();
    let mut series = Vec::new();
    let mut source = dataset_source(first, lang);
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
        let mut by_year: BTreeMap<u16, Option<f64>> = BTreeMap::new();
        for ds in parts {
            let res = compute(ds, &def, &f, GroupBy::Year);
            if let Some(p) = publishers_text(&res, lang) {
                source = p;
            }
            for (k, c) in &res.groups {
                if let GroupKey::Year(y) = k {
                    by_year.insert(*y, c.value);
                }
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
    let title = format!("{} ({})", def.label.get(lang), unit_label(def.unit, lang));
    let targets = match parts {
        [whole] => targets_of(whole, &def, &base, view_year(whole, v), lang),
        _ => Vec::new(),
    };
    TrendView { years, series, title, source, targets }
}

/// [`print_foot`] merged into `option` as ECharts merges it when a chart is downloaded (tests).
#[cfg(test)]
fn stamp_title(option: &mut Value, title: &str, source: &str, illustrative: bool, lang: Lang) {
    let foot = print_foot(option, title, source, illustrative, lang);
    if let (Some(o), Value::Object(f)) = (option.as_object_mut(), foot) {
        for (k, v) in f {
            match (k.as_str(), o.get_mut(&k)) {
                // A partial series list: its fields go into the series of the same position.
                ("series", Some(Value::Array(list))) => {
                    for (s, part) in list.iter_mut().zip(v.as_array().into_iter().flatten()) {
                        if let (Some(s), Some(part)) = (s.as_object_mut(), part.as_object()) {
                            s.extend(part.clone());
                        }
                    }
                }
                ("grid", Some(g @ Value::Object(_))) => {
                    if let (Some(g), Some(part)) = (g.as_object_mut(), v.as_object()) {
                        g.extend(part.clone());
                    }
                }
                _ => {
                    o.insert(k, v);
                }
            }
        }
    }
}

/// The part of an option that puts `title`, the source and (for generated data) the illustrative
/// label at the foot of a chart and leaves room for them, so a chart downloaded as PNG still says
/// what it shows and where it is from. The source is wrapped at [`FOOT_LINE`] characters (a 360 px
/// phone holds about that many at the foot's 10 px), with the label on a line of its own, and the
/// plot area leaves room for exactly those lines: a single long line was cut off at both sides (as ECharts merges it into `option`: `setOption` without
/// `notMerge`).
fn print_foot(option: &Value, title: &str, source: &str, illustrative: bool, lang: Lang) -> Value {
    let lines = foot_lines(source, illustrative, lang);
    let mut foot = json!({});
    foot["title"] = json!({
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
    if let Some(Value::Array(series)) = option.get("series") {
        let parts: Vec<Value> = series
            .iter()
            .map(|s| if s.get("type").and_then(Value::as_str) == Some("pie") { json!({ "bottom": bottom }) } else { json!({}) })
            .collect();
        foot["series"] = Value::Array(parts);
    }
    if option.get("grid").is_some_and(Value::is_object) {
        foot["grid"] = json!({ "bottom": bottom });
    }
    foot
}

/// The foot of a downloaded chart or map: "Source: …" wrapped at [`FOOT_LINE`] characters, at
/// most four lines (a source is cited whole — its publisher and year —, a runaway one cut), and
/// the illustrative-data label on a line of its own when it applies.
fn foot_lines(source: &str, illustrative: bool, lang: Lang) -> Vec<String> {
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
    lines
}

/// What the trend's line of the selection is called: the area it covers.
pub(crate) fn selection_name(v: &ViewState, lang: Lang) -> String {
    if v.provinces.len() > 1 {
        t(lang, Msg::SelectedProvinces).to_string()
    } else if let Some(r) = v.region {
        r.label(lang).to_string()
    } else {
        t(lang, Msg::WholeDataset).to_string()
    }
}

/// Characters per line of a chart's foot (see [`print_foot`]).
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
/// A composition by kind: its slices (each in its kind's colour), source, title and a note when
/// the chart shows something other than the chosen indicator or ignores a filter.
pub(crate) struct Composition {
    pub(crate) items: Vec<Item>,
    pub(crate) colors: Vec<&'static str>,
    pub(crate) source: String,
    pub(crate) title: String,
    pub(crate) note: Option<String>,
}

/// Whether `def` can be composed by kind: computed from rows, its province values add up, and it
/// counts more than one kind (the number of cooperatives by kind would be one slice of 100%).
pub(crate) fn composable(ds: &Dataset, def: &IndicatorDef) -> bool {
    !ds.entities.is_empty() && !def.observed && def.is_summable() && def.of.kinds.len() != 1 && def.where_.kinds.len() != 1
}

/// The chosen indicator split by kind, when it can be (see [`composable`]); otherwise OCOP subjects
/// by kind, the seed article's composition, saying so. The kind filter is not applied (a ring of
/// one kind is 100% and says nothing): the note says so. Without rows (published aggregates only),
/// the published shares of OCOP subjects by kind.
pub(crate) fn composition(ds: &Dataset, chosen: &IndicatorDef, base: &Filter, year: Option<u16>, lang: Lang) -> Composition {
    let vi = lang == Lang::Vi;
    if !ds.entities.is_empty() {
        let mut note = None;
        let def = if composable(ds, chosen) {
            chosen.clone()
        } else {
            note = Some(if vi {
                format!("«{}» không chia được theo loại hình; biểu đồ cho thấy chủ thể OCOP (từ 3 sao) theo loại hình.", chosen.label.get(lang))
            } else {
                format!("“{}” cannot be split by kind; the chart shows OCOP subjects (3 stars or more) by kind.", chosen.label.get(lang))
            });
            def_of(ds, "ocop_subjects")
        };
        let mut f = with_year(base.clone(), year);
        if !f.rows.kinds.is_empty() {
            f.rows.kinds.clear();
            let kind_note = if vi {
                "Bộ lọc loại hình không áp dụng cho biểu đồ cơ cấu: biểu đồ chia mọi loại hình."
            } else {
                "The kind filter does not apply to the composition: the chart splits every kind."
            };
            note = Some(note.map_or_else(|| kind_note.to_string(), |n| format!("{n} {kind_note}")));
        }
        let res = compute(ds, &def, &f, GroupBy::Kind);
        let total = res.total.value.unwrap_or(0.0);
        let mut items = Vec::new();
        let mut colors = Vec::new();
        for (k, c) in &res.groups {
            let GroupKey::Kind(kind) = k else { continue };
            let n = c.value.unwrap_or(0.0);
            if n <= 0.0 {
                continue;
            }
            colors.push(options::kind_color(*kind));
            items.push(Item {
                name: kind.label(lang).to_string(),
                value: Some(n),
                text: format!(
                    "{} ({})",
                    format::percent(if total > 0.0 { n / total } else { 0.0 }, 1, lang),
                    format_value(Some(n), def.unit, lang)
                ),
            });
        }
        let by = if vi { "theo loại hình" } else { "by kind" };
        let title = format!("{} {by} — {}", def.label.get(lang), year.map(|y| y.to_string()).unwrap_or_default());
        let source = if res.sources.is_empty() { dataset_source(ds, lang) } else { res.sources.join("; ") };
        return Composition { items, colors, source, title, note };
    }
    let title = if vi { "Chủ thể OCOP (từ 3 sao) theo loại hình" } else { "OCOP subjects (3 stars or more) by kind" };
    let parts = [("ocop_subject_share_htx", Kind::Htx), ("ocop_subject_share_dn", Kind::Dn), ("ocop_subject_share_hkd", Kind::Hkd)];
    let mut items = Vec::new();
    let mut colors = Vec::new();
    let mut sources = Vec::new();
    let mut used_year = None;
    for (id, kind) in parts {
        let def = def_of(ds, id);
        let (res, used) = evaluate(ds, &def, &Filter { view: base.view, ..Filter::default() }, year, GroupBy::None);
        if let Some(v) = res.total.value {
            items.push(Item { name: kind.label(lang).to_string(), value: Some(v), text: format::percent(v, 1, lang) });
            colors.push(options::kind_color(kind));
            used_year = used_year.or(used);
        }
        if let Some(s) = publishers_text(&res, lang) {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
    }
    let known: f64 = items.iter().filter_map(|i| i.value).sum();
    if !items.is_empty() && known < 0.999 {
        let rest = 1.0 - known;
        items.push(Item {
            name: if vi { "Còn lại (tổ hợp tác, khác)" } else { "Rest (cooperative groups, other)" }.to_string(),
            value: Some(rest),
            text: format::percent(rest, 1, lang),
        });
        colors.push(options::REST_COLOR);
    }
    let note = (!composable(ds, chosen) && chosen.id != "ocop_subjects").then(|| {
        if vi {
            "Bộ dữ liệu này chỉ có tỷ lệ chủ thể OCOP theo loại hình đã công bố, nên biểu đồ cơ cấu cho thấy tỷ lệ đó.".to_string()
        } else {
            "This dataset only has the published shares of OCOP subjects by kind, so the composition shows those.".to_string()
        }
    });
    Composition {
        items,
        colors,
        source: sources.join("; "),
        title: format!("{title} — {}", used_year.map(|y| y.to_string()).unwrap_or_default()),
        note,
    }
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
        if let Some(p) = publishers_text(&res, lang) {
            src = p;
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
        if let Some(s) = publishers_text(&res, lang) {
            if !sources.contains(&s) {
                sources.push(s);
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

fn csv_field(s: &str, sep: char) -> String {
    // A leading = + - @ would be run as a formula by Excel: quote it with an apostrophe.
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() { format!("'{s}") } else { s.to_string() };
    if s.contains([sep, ',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A number as the reader's Excel reads it: no grouping, a decimal comma in Vietnamese.
fn csv_number(x: Option<f64>, unit: Unit, lang: Lang) -> String {
    let plain = match x {
        Some(v) if v.is_finite() => match unit {
            Unit::Share => format::plain(v, 4),
            _ if v.fract().abs() < 1e-9 => format!("{}", v as i64),
            _ => format::plain(v, 2),
        },
        _ => String::new(),
    };
    match lang {
        Lang::Vi => plain.replace('.', ","),
        Lang::En => plain,
    }
}

/// The table as CSV for Excel in the reader's language, since Excel splits columns and reads
/// numbers by the machine's locale: in Vietnamese `;` separators, decimal commas and Vietnamese
/// headers (`Mã`); in English `,` and decimal points. UTF-8 with a byte-order mark either way (so
/// Vietnamese letters survive), numbers without grouping (shares as 0–1), then the source and,
/// for illustrative data, the label. `csv_import` reads it back with the same figures.
pub fn table_csv(tb: &Table, lang: Lang) -> String {
    let sep = match lang {
        Lang::Vi => ";",
        Lang::En => ",",
    };
    let field = |s: &str| csv_field(s, if lang == Lang::Vi { ';' } else { ',' });
    let mut out = String::from("\u{feff}");
    let code = match lang {
        Lang::Vi => "Mã",
        Lang::En => "code",
    };
    let header: Vec<String> = std::iter::once(code.to_string())
        .chain(tb.columns.iter().map(|c| field(&c.label)))
        .collect();
    out.push_str(&header.join(sep));
    out.push_str("\r\n");
    for r in tb.rows.iter().chain(std::iter::once(&tb.total)) {
        let mut cells = vec![field(&r.key), field(&r.label)];
        cells.extend(r.values.iter().zip(&tb.units).map(|(x, u)| csv_number(*x, *u, lang)));
        out.push_str(&cells.join(sep));
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(&field(&format!("{}: {}", t(lang, Msg::Source), tb.source)));
    out.push_str("\r\n");
    if tb.illustrative {
        out.push_str(&field(t(lang, Msg::Illustrative)));
        out.push_str("\r\n");
    }
    out
}

/// The table as an Excel workbook (`engine::xlsx_out`), for the Table tab's download: one sheet
/// named as the tab, the header row in the reader's language (`Mã`, the name column, each
/// indicator with its unit), a row per province or region and the total, each figure a number
/// cell (shares as percentages, counts without decimals; a missing figure an empty cell, never
/// 0), the codes as text (`01` keeps its zero); below the table, the notes, the source and, for
/// illustrative data, the label. The page sends it to the worker, which writes the bytes.
pub fn table_book(tb: &Table, lang: Lang) -> crate::engine::xlsx_out::Book {
    use crate::engine::xlsx_out::{Book, Cell as X, NumFormat, Sheet};
    let code = match lang {
        Lang::Vi => "Mã",
        Lang::En => "code",
    };
    let mut rows: Vec<Vec<X>> = vec![std::iter::once(X::Text(code.into())).chain(tb.columns.iter().map(|c| X::Text(c.label.clone()))).collect()];
    for r in tb.rows.iter().chain(std::iter::once(&tb.total)) {
        let mut cells = vec![X::Text(r.key.clone()), X::Text(r.label.clone())];
        cells.extend(r.values.iter().zip(&tb.units).map(|(v, u)| match v {
            Some(x) if x.is_finite() => {
                let f = match u {
                    Unit::Share => NumFormat::Percent,
                    _ if x.fract().abs() < 1e-9 => NumFormat::Whole,
                    _ => NumFormat::Decimal,
                };
                X::Number(*x, f)
            }
            _ => X::Empty,
        }));
        rows.push(cells);
    }
    rows.push(Vec::new());
    rows.extend(tb.notes.iter().map(|n| vec![X::Text(n.clone())]));
    rows.push(vec![X::Text(format!("{}: {}", t(lang, Msg::Source), tb.source))]);
    if tb.illustrative {
        rows.push(vec![X::Text(t(lang, Msg::Illustrative).to_string())]);
    }
    Book { sheets: vec![Sheet { name: t(lang, Msg::TabTable).to_string(), rows, header_rows: 1 }] }
}

// ---- sources -----------------------------------------------------------------------------------

/// One indicator as the Sources tab describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorInfo {
    /// Id (used in links).
    pub id: String,
    /// Label.
    pub label: String,
    /// What it counts or measures, in one plain sentence.
    pub definition: String,
    /// How it is computed (a formula in words), when that says more than the sentence.
    pub formula: Option<String>,
    /// Unit.
    pub unit: String,
    /// Its own source (a law, a standard), when it has one; the dataset's source is shown once
    /// for all the others rather than repeated on every row.
    pub source: Option<String>,
}

/// Every indicator of the dataset with its definition, how it is computed, unit and own source.
pub fn indicator_infos(ds: &Dataset, lang: Lang) -> Vec<IndicatorInfo> {
    indicator_defs(ds)
        .into_iter()
        .map(|d| {
            let sentence = d.description.as_ref().or(d.definition.as_ref()).map(|x| x.get(lang).to_string()).unwrap_or_default();
            let formula = d.definition.as_ref().map(|x| x.get(lang).to_string()).filter(|f| *f != sentence && !f.is_empty());
            IndicatorInfo {
                id: d.id.clone(),
                label: d.label.get(lang).to_string(),
                definition: sentence,
                formula,
                unit: unit_label(d.unit, lang).to_string(),
                source: d.source.clone().filter(|s| !s.is_empty()),
            }
        })
        .collect()
}

/// One distinct source of a dataset's published figures, for the Sources tab.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservationSource {
    /// The publisher in plain words, in the reader's language (the citation when the file names
    /// no publisher).
    pub publisher: String,
    /// The citation as the file gives it (title, link, how it was obtained), quoted verbatim.
    pub citation: String,
    /// The confidence level in the reader's language ("cao", "medium" → "trung bình").
    pub confidence: Option<String>,
    /// What the file says about the confidence, quoted verbatim.
    pub confidence_note: Option<String>,
}

/// The confidence level word of an observation (`high`, `medium`, `low`, then an optional
/// explanation) in the reader's language, and the explanation.
pub fn confidence_words(c: &str, lang: Lang) -> (String, Option<String>) {
    let word = c.split(|ch: char| !ch.is_alphabetic()).next().unwrap_or("");
    let level = match (word, lang) {
        ("high", Lang::Vi) => "cao",
        ("medium", Lang::Vi) => "trung bình",
        ("low", Lang::Vi) => "thấp",
        ("high", Lang::En) => "high",
        ("medium", Lang::En) => "medium",
        ("low", Lang::En) => "low",
        _ => word,
    };
    let rest = c[word.len()..].trim_matches(|ch: char| ch.is_whitespace() || matches!(ch, ':' | '(' | ')' | ';' | ',' | '-'));
    (level.to_string(), (!rest.is_empty()).then(|| rest.to_string()))
}

/// The distinct sources of a dataset's published figures: publisher in plain words, then the
/// citation and confidence (one step further than any caption).
pub fn observation_sources(ds: &Dataset, lang: Lang) -> Vec<ObservationSource> {
    let mut out: Vec<ObservationSource> = Vec::new();
    for o in &ds.observations {
        let (confidence, confidence_note) = match &o.confidence {
            Some(c) => {
                let (l, n) = confidence_words(c, lang);
                (Some(l), n)
            }
            None => (None, None),
        };
        let s = ObservationSource {
            publisher: o.publisher.as_ref().map_or(o.source.as_str(), |p| p.get(lang)).to_string(),
            citation: o.source.clone(),
            confidence,
            confidence_note,
        };
        if !out.contains(&s) {
            out.push(s);
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
            // Each figure with its publisher in the reader's words and its date; the citation as
            // given stays with the observation's own source in the list above (quoted verbatim).
            let fig = |x: &crate::engine::dataset::Observation| {
                let who = x.publisher.as_ref().map_or(x.source.as_str(), |p| p.get(lang));
                let when = x.published.as_deref().or(x.as_of.as_deref()).map(|d| format!(", {d}")).unwrap_or_default();
                format!("{} ({who}{when})", format_value(Some(x.value), def.unit, lang))
            };
            let others = c.others.iter().map(|x| fig(x)).collect::<Vec<_>>().join("; ");
            let (used, other) = if lang == Lang::Vi { ("biểu đồ dùng", "nguồn khác") } else { ("charts use", "other source") };
            format!("{}, {}, {}: {used} {}; {other}: {others}", def.label.get(lang), area_name(ds, o.area, lang), o.year, fig(o))
        })
        .collect()
}

/// Every target of the dataset as the Sources tab lists it: what it is in the reader's words
/// (indicator, area, year, value, the document by its short name) and, apart, the quotation as
/// given — the document's title, its exact wording, where it was read and how confident that
/// reading is — which stays in the language it was written in (marked verbatim on the page).
pub fn target_sources(ds: &Dataset, lang: Lang) -> Vec<(String, String)> {
    ds.targets
        .iter()
        .map(|tg| {
            let def = def_of(ds, &tg.indicator);
            let about = match (tg.comparison, lang) {
                (Comparison::About, Lang::Vi) => "khoảng ",
                (Comparison::About, Lang::En) => "about ",
                (Comparison::AtLeast, _) => "≥ ",
            };
            let mut text = format!(
                "{} — {}, {}: {about}{}",
                def.label.get(lang),
                area_name(ds, tg.area, lang),
                tg.year,
                format_value(Some(tg.value), tg.unit, lang)
            );
            if let Some(d) = &tg.document {
                text.push_str(&format!(". {}", document_ref(d, lang)));
            }
            let mut quote = tg.document.clone().unwrap_or_default();
            if let Some(w) = &tg.wording {
                quote.push_str(&format!(": “{w}”"));
            }
            quote.push_str(&format!(" — {}", tg.source));
            if let Some(c) = &tg.confidence {
                quote.push_str(&format!(" ({c})"));
            }
            (text, quote)
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
    fn a_way_out_clears_only_what_it_names() {
        let q = "r=tn&p=66&k=htx&s=nn&ht=1&dt=0&i=workers";
        let mut v = crate::engine::url_state::from_query(q).state;
        WayOut::ClearArea.apply(&mut v);
        assert!(v.region.is_none() && v.provinces.is_empty());
        assert_eq!((v.kinds.len(), v.sectors.len(), v.high_tech, v.ethnic_area), (1, 1, Some(true), Some(false)));
        WayOut::ClearRowFilters.apply(&mut v);
        assert!(v.kinds.is_empty() && v.sectors.is_empty() && v.high_tech.is_none() && v.ethnic_area.is_none());
        assert_eq!(v.indicator, "workers", "the indicator is not a filter");
        let before = v.clone();
        WayOut::OtherDataset.apply(&mut v);
        assert_eq!(v, before, "the caller opens the other dataset");
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
            // The documents by their numbers, as each language writes them (English without diacritics).
            let decision = if lang == Lang::Vi { "1318/QĐ-TTg" } else { "1318/QD-TTg" };
            assert!(src.contains(decision) && src.contains("20-NQ/TW"), "{src}");
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
        // Each figure with its publisher in plain words, no citation or authority code (issue 15).
        assert!(htx.contains("biểu đồ dùng 33.335 (Báo cáo của Bộ") && htx.contains("nguồn khác: 33.557 (Liên minh Hợp tác xã Việt Nam"), "{htx}");
        assert!(rivals.iter().any(|r| r.contains("14.642") && r.contains("15.590")), "{rivals:?}");
        let tb = table(&ds, &ViewState::default(), TableBy::Province, Lang::En);
        assert!(tb.notes.iter().any(|n| n.contains("charts use 33,335") && n.contains("other source: 33,557")), "{:?}", tb.notes);
        let v = ViewState { chart: ChartKind::Trend, indicator: "htx_total".into(), ..ViewState::default() };
        let chart = chart_view(&ds, &v, Lang::Vi);
        let marks: Vec<(u16, f64, &str)> = chart.targets.iter().map(|t| (t.year, t.value, t.label.as_str())).collect();
        assert_eq!(marks, [(2025, 35_000.0, "Mục tiêu 2025: khoảng 35.000"), (2030, 45_000.0, "Mục tiêu 2030: khoảng 45.000")]);
        // The trend draws them: its year axis runs on to 2030, and a dashed "Mục tiêu" line holds
        // both targets, labelled.
        let cats = chart.option["xAxis"]["data"].as_array().unwrap();
        assert_eq!(cats.last().unwrap(), "2030");
        let line = chart.option["series"].as_array().unwrap().iter().find(|s| s["name"] == "Mục tiêu").expect("a target line");
        assert_eq!(line["lineStyle"]["type"], "dashed");
        let points: Vec<(&str, f64)> = line["data"].as_array().unwrap().iter().zip(cats)
            .filter(|(d, _)| !d.is_null()).map(|(d, c)| (c.as_str().unwrap(), d["value"].as_f64().unwrap())).collect();
        assert_eq!(points, [("2025", 35_000.0), ("2030", 45_000.0)]);
        let lines = target_sources(&ds, Lang::En);
        assert_eq!(lines.len(), ds.targets.len());
        // In the reader's words: the document by its English short name; the quotation as given.
        assert!(lines.iter().any(|(t, q)| t.contains("Decision 1318/QD-TTg (2021)") && q.contains("“Mục tiêu cụ thể")), "{lines:?}");
        assert!(lines.iter().all(|(t, _)| !t.contains("Quyết định")), "{lines:?}");
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
    fn map_fills_each_province_by_its_class_and_outlines_the_selection() {
        let ds = bundled("dtts-mn/2024.json");
        let v = ViewState { provinces: vec!["19".into(), "06".into()], ..ViewState::default() };
        let m = map_view(&ds, &v, Lang::Vi);
        let classes = classify(&m.values.values().copied().collect::<Vec<_>>(), &v.classes.method, v.classes.n).unwrap();
        for a in &m.areas {
            match a.value {
                // The fill is the colour of the value's class, the very colour of its legend entry.
                Some(x) => {
                    let c = class_of(&classes, x).unwrap();
                    assert_eq!(a.fill, CLASS_COLORS[c], "{}", a.code);
                    assert_eq!(m.legend[c].color, a.fill, "{}", a.code);
                    assert_eq!(m.values.get(&a.code), Some(&x));
                    // Counted from records: the value, then how many records it counts.
                    assert!(a.text.starts_with(&format_with_unit(Some(x), Unit::Count, Lang::Vi)), "{}: {}", a.code, a.text);
                }
                None => assert_eq!(a.fill, NO_DATA_COLOR, "{}", a.code),
            }
            assert_eq!(a.selected, a.code == "19" || a.code == "06", "{}", a.code);
        }
        assert!(m.areas.iter().any(|a| a.value.is_none()), "the illustrative data leaves provinces without data");
        assert_eq!(m.legend.last().map(|e| e.color), Some(NO_DATA_COLOR));
        let tn = m.area("19").unwrap();
        assert_eq!(tn.label(), format!("Thái Nguyên: {}", tn.text));
        // The map zooms to the selection, in the order of the registry.
        assert_eq!(m.focus, vec!["06".to_string(), "19".to_string()]);
        assert!(m.file_stem.starts_with(&format!("coop-atlas-{}-map-", ds.meta.id)) && m.file_stem.ends_with("-2024"), "{}", m.file_stem);
        assert!(m.foot.first().is_some_and(|l| l.starts_with("Nguồn: ")), "{:?}", m.foot);
        assert_eq!(m.foot.last().map(String::as_str), Some(t(Lang::Vi, Msg::Illustrative)));
    }

    #[test]
    fn map_zooms_to_the_region_when_no_province_is_chosen() {
        let ds = bundled("dtts-mn/2024.json");
        for b in [Boundary::P63, Boundary::P34] {
            let v = ViewState { region: Some(Region::Tdmnpb), boundary: b, ..ViewState::default() };
            let m = map_view(&ds, &v, Lang::En);
            let expected: Vec<String> =
                registry().provinces(b).iter().filter(|p| p.region == Region::Tdmnpb).map(|p| p.code.to_string()).collect();
            assert!(!expected.is_empty());
            assert_eq!(m.focus, expected, "{b:?}");
            // A region filters the figures, never the map: every province is still drawn.
            assert_eq!(m.areas.len(), registry().provinces(b).len());
            assert!(map_view(&ds, &ViewState { boundary: b, ..ViewState::default() }, Lang::En).focus.is_empty());
        }
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
    fn a_count_of_zero_is_drawn_and_tabled_as_zero_in_whole_classes() {
        // Issue 15, items 1 and 2: `?i=qtdnd_count`.
        let ds = bundled("dtts-mn/2024.json");
        let cov = Coverage::of(&ds, Boundary::P63);
        let covered: Vec<&str> = registry().provinces(Boundary::P63).iter().filter(|p| cov.province(p.index)).map(|p| p.code).collect();
        for lang in [Lang::Vi, Lang::En] {
            let v = ViewState { indicator: "qtdnd_count".into(), ..ViewState::default() };
            let m = map_view(&ds, &v, lang);
            // Every province the dataset covers has a figure, zeros included; no other does.
            let mut codes: Vec<&str> = m.values.keys().map(String::as_str).collect();
            codes.sort_unstable();
            let mut want = covered.clone();
            want.sort_unstable();
            assert_eq!(codes, want);
            assert!(m.values.values().any(|x| *x == 0.0), "some covered province has no credit fund");
            // Zero sits in the lowest class, drawn like any other figure.
            let zero = m.areas.iter().find(|a| a.value == Some(0.0)).expect("a zero area");
            let outside = m.areas.iter().find(|a| !m.values.contains_key(&a.code)).expect("an area outside the dataset");
            assert_ne!(zero.fill, outside.fill, "0 is not drawn as no data");
            assert_eq!(zero.fill, CLASS_COLORS[0]);
            assert_eq!(outside.fill, NO_DATA_COLOR);
            // Few distinct values: one class per value, each named by its value; whole numbers.
            let mut distinct: Vec<f64> = m.values.values().copied().collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            assert!(distinct.len() <= 5, "{distinct:?}");
            let texts: Vec<String> = m.legend.iter().map(|e| e.text.clone()).collect();
            let mut want: Vec<String> = distinct.iter().map(|x| format_value(Some(*x), Unit::Count, lang)).collect();
            want.push(t(lang, Msg::NoData).to_string());
            assert_eq!(texts, want);
            // The table has a 0 row for each covered province without a fund, not "no data".
            let tb = table(&ds, &v, TableBy::Province, lang);
            let col = tb.columns.iter().position(|c| c.id == "qtdnd_count").expect("column") - 1;
            assert_eq!(tb.rows.len(), covered.len());
            assert!(tb.rows.iter().all(|r| r.values[col].is_some()), "{:?}", tb.rows);
            assert!(tb.rows.iter().any(|r| r.texts[col] == "0"));
            // And the ranking lists them with 0.
            let ch = chart_view(&ds, &ViewState { chart: ChartKind::Rank, ..v.clone() }, lang);
            assert!(ch.option.to_string().contains(&format_with_unit(Some(0.0), Unit::Count, lang)));
        }
    }

    #[test]
    fn switching_63_34_63_keeps_the_provinces_and_their_order() {
        let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<String>>();
        let start = s(&["19", "06"]);
        let to34 = switch_provinces(&start, Boundary::P63, Boundary::P34, None);
        assert_eq!(to34, s(&["19"]));
        let last = ProvinceSwitch { from: Boundary::P63, before: start.clone(), after: to34.clone() };
        assert_eq!(switch_provinces(&to34, Boundary::P34, Boundary::P63, Some(&last)), start, "issue 15: not 06~19");
        // Without the memory (a link opened in 34) every member comes back.
        let mut plain = switch_provinces(&to34, Boundary::P34, Boundary::P63, None);
        plain.sort();
        assert_eq!(plain, s(&["06", "19"]));
        // A selection changed in between is converted, not replaced by the old one.
        let changed = s(&["19", "01"]);
        assert!(switch_provinces(&changed, Boundary::P34, Boundary::P63, Some(&last)).contains(&"01".to_string()));
    }

    #[test]
    fn documents_are_named_short_in_the_readers_language() {
        let d = "Quyết định 1318/QĐ-TTg ngày 22/7/2021 của Thủ tướng Chính phủ phê duyệt Kế hoạch";
        assert_eq!(document_ref(d, Lang::Vi), "Quyết định 1318/QĐ-TTg (22/7/2021)");
        assert_eq!(document_ref(d, Lang::En), "Decision 1318/QD-TTg (2021)");
        assert_eq!(document_ref("Nghị quyết 20-NQ/TW ngày 16/6/2022 của Ban Chấp hành", Lang::En), "Resolution 20-NQ/TW (2022)");
        assert_eq!(document_ref("Kế hoạch tỉnh", Lang::Vi), "Kế hoạch tỉnh");
    }

    #[test]
    fn a_row_of_cards_has_one_decimals_rule() {
        let card = |id: &str, v: f64| Card {
            id: id.into(), label: id.into(), value: Some(v), text: format_value(Some(v), Unit::VndMonth, Lang::Vi), n: 1,
            change: None, change_text: None, share_text: None, note: None, source: None, targets: Vec::new(), unit: Unit::VndMonth,
        };
        let mut row = vec![card("a", 3_000_000.0), card("b", 3_400_000.0), card("c", 850_000.0)];
        assert_eq!(row[0].text, "3 triệu đồng", "alone, a whole million reads without a decimal");
        align_decimals(&mut row, Lang::Vi);
        let texts: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["3,0 triệu đồng", "3,4 triệu đồng", "850.000 đồng"]);
        let mut whole = vec![card("a", 3_000_000.0), card("b", 4_000_000.0)];
        align_decimals(&mut whole, Lang::Vi);
        assert_eq!(whole[0].text, "3 triệu đồng", "no decimal anywhere: none added");
        // Amounts of one scale word agree whatever their unit: a profit in millions beside a
        // monthly income in đồng; billions from 100 on are whole.
        let of = |id: &str, v: f64, unit: Unit, lang: Lang| Card { unit, text: format_value(Some(v), unit, lang), ..card(id, v) };
        let mut official = vec![
            of("profit", 421.0, Unit::MillionVnd, Lang::En),
            of("income", 5_300_000.0, Unit::VndMonth, Lang::En),
            of("members", 64.0, Unit::MillionVnd, Lang::En),
            of("revenue", 4.56, Unit::BillionVnd, Lang::En),
            of("capital", 68_013.1, Unit::BillionVnd, Lang::En),
            of("pretax", 2_575.0, Unit::BillionVnd, Lang::En),
            of("assets", 12.0, Unit::BillionVnd, Lang::En),
        ];
        align_decimals(&mut official, Lang::En);
        let texts: Vec<&str> = official.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["421 million VND", "5.3 million VND", "64.0 million VND", "4.6 billion VND", "68,013 billion VND", "2,575 billion VND", "12.0 billion VND"]);
    }

    #[test]
    fn the_page_title_follows_the_view() {
        let ds = illustrative_2023_2024();
        let v = ViewState { indicator: "qtdnd_count".into(), provinces: vec!["19".into()], year: Some(2023), ..ViewState::default() };
        assert_eq!(
            page_title(&ds, &v, Lang::Vi),
            format!("Số quỹ tín dụng nhân dân · Thái Nguyên · 2023 — {} · Atlas Kinh tế tập thể", ds.meta.title.vi)
        );
        let r = ViewState { region: Some(Region::Tn), ..ViewState::default() };
        let en = page_title(&ds, &r, Lang::En);
        assert!(en.starts_with(&format!("Cooperatives · {} · 2024 — ", Region::Tn.label(Lang::En))), "{en}");
        assert!(en.ends_with("· Coop Atlas"), "{en}");
    }

    #[test]
    fn empty_and_ignored_filters_explain_themselves() {
        // Issue 15 item 3: `?r=dnb` on the illustrative dataset (no province in the South-East).
        let ds = illustrative_2023_2024();
        let v = ViewState { region: Some(Region::Dnb), ..ViewState::default() };
        for lang in [Lang::Vi, Lang::En] {
            let e = explanations(&ds, &v, lang);
            assert_eq!(e.len(), 1, "{e:?}");
            assert!(e[0].message.contains(Region::Dnb.label(lang)) && e[0].message.contains("28"), "{}", e[0].message);
            assert_eq!(e[0].ways_out, vec![WayOut::ClearArea, WayOut::OtherDataset]);
        }
        assert!(explanations(&ds, &ViewState::default(), Lang::Vi).is_empty(), "the whole dataset needs no word");
        // The region picker offers the South-East disabled (filters.rs reads the same coverage).
        let cov = Coverage::of(&ds, Boundary::P63);
        assert!(!cov.region(Region::Dnb) && cov.region(Region::Tn));
        // The official dataset cannot apply a kind or sector filter: it says so, and offers to remove it.
        let off = bundled("gso/official.json");
        assert!(!rows_filterable(&off) && rows_filterable(&ds));
        let k = ViewState { kinds: vec![Kind::Htx], ..ViewState::default() };
        let e = explanations(&off, &k, Lang::Vi);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].ways_out, vec![WayOut::ClearRowFilters]);
        assert!(explanations(&ds, &k, Lang::Vi).is_empty(), "the illustrative rows have kinds");
        // A province without published figures: its card says "no data", not the year of a figure
        // it does not have.
        let p = ViewState { provinces: vec!["19".into()], year: Some(2020), ..ViewState::default() };
        for c in cards(&off, &p, Lang::Vi) {
            if c.value.is_none() {
                assert!(!c.note.as_deref().unwrap_or("").contains("Số liệu năm"), "{}: {:?}", c.id, c.note);
            }
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
            // Every province of the version drawn, once; both archipelagos labelled.
            assert_eq!(m.areas.len(), registry().provinces(b).len(), "{b:?}");
            let codes: Vec<&str> = m.labels.iter().map(|l| l.code.as_str()).collect();
            assert_eq!(codes, ["HS", "TS"], "{b:?}");
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
        assert_eq!(csv_field("=1+2", ';'), "'=1+2");
        assert_eq!(csv_field("a,b", ','), "\"a,b\"");
        assert_eq!(csv_field("a;b", ';'), "\"a;b\"");
        assert_eq!(csv_field("-3", ';'), "-3");
    }

    /// Issue 14 item 4: Vietnamese Excel expects `;` and decimal commas; English `,` and points.
    /// Reading the Vietnamese file back with the own-data CSV reader gives the same figures.
    #[test]
    fn csv_follows_the_readers_language_and_reads_back_the_same_figures() {
        use crate::engine::csv_import;
        let ds = bundled("dtts-mn/2024.json");
        let tb = table(&ds, &ViewState::default(), TableBy::Province, Lang::Vi);
        let vi = table_csv(&tb, Lang::Vi);
        let first = vi.trim_start_matches('\u{feff}').lines().next().unwrap();
        assert!(first.starts_with("Mã;"), "{first}");
        assert!(!first.contains("code"), "{first}");
        let en = table_csv(&table(&ds, &ViewState::default(), TableBy::Province, Lang::En), Lang::En);
        assert!(en.trim_start_matches('\u{feff}').starts_with("code,"), "{en}");
        // Some figure has decimals: Vietnamese writes it with a comma, English with a point.
        let frac = tb.rows.iter().flat_map(|r| r.values.iter().zip(&tb.units)).find_map(|(v, u)| v.filter(|x| x.fract().abs() > 1e-6).map(|x| (x, *u))).unwrap();
        let (vs, es) = (csv_number(Some(frac.0), frac.1, Lang::Vi), csv_number(Some(frac.0), frac.1, Lang::En));
        assert!(vs.contains(',') && !vs.contains('.'), "{vs}");
        assert_eq!(vs.replace(',', "."), es);
        assert!(en.contains(&es) && vi.contains(&vs));

        let file = csv_import::read(vi.as_bytes(), &crate::engine::parse::Limits::default()).unwrap();
        assert_eq!(file.delimiter, ';');
        assert_eq!(file.header_row, 1);
        let width = file.headers.len();
        let rows: Vec<Vec<String>> = file.records().into_iter().filter(|r| r.len() == width).collect();
        assert_eq!(rows.len(), tb.rows.len() + 1, "every row and the total");
        let numbers: Vec<&str> = rows.iter().flat_map(|r| r[2..].iter().map(String::as_str)).collect();
        let hint = csv_import::detect_decimal(numbers.iter().copied());
        assert_eq!(hint, format::DecimalHint::Comma);
        for (r, back) in tb.rows.iter().chain(std::iter::once(&tb.total)).zip(&rows) {
            assert_eq!(back[0], r.key);
            for ((v, u), cell) in r.values.iter().zip(&tb.units).zip(&back[2..]) {
                let read = format::parse_number_with(cell, hint);
                match v.filter(|x| x.is_finite()) {
                    None => assert_eq!(read, None, "{cell}"),
                    Some(x) => {
                        let tol = if *u == Unit::Share { 5e-5 } else { 5e-3 };
                        let got = read.unwrap_or(f64::NAN);
                        assert!((got - x).abs() <= tol, "{} {cell}: {got} vs {x}", r.key);
                    }
                }
            }
        }
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
            // On screen the page's own lines carry the source once; the PNG gets the foot.
            assert!(c.option.get("title").is_none(), "{kind:?}");
            let sub = c.foot["title"]["subtext"].as_str().unwrap();
            assert!(sub.contains("Dữ liệu minh họa — không phải số liệu chính thức"), "{kind:?}: {sub}");
        }
        let mix = chart_view(&ds, &ViewState { chart: ChartKind::Composition, ..ViewState::default() }, Lang::Vi);
        let names: Vec<&str> = mix.option["series"][0]["data"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"Hợp tác xã") && names.contains(&"Doanh nghiệp"));
    }

    #[test]
    fn the_composition_splits_the_chosen_indicator_by_kind_in_fixed_colours() {
        let ds = illustrative_2023_2024();
        let slices = |c: &ChartView| -> Vec<(String, String)> {
            c.option["series"][0]["data"].as_array().unwrap().iter()
                .map(|d| (d["name"].as_str().unwrap().to_string(), d["itemStyle"]["color"].as_str().unwrap().to_string())).collect()
        };
        // Workers split by kind: every collective kind, each in its own colour.
        let v = ViewState { chart: ChartKind::Composition, indicator: "workers".into(), ..ViewState::default() };
        let w = chart_view(&ds, &v, Lang::Vi);
        assert!(w.title.starts_with("Lao động khu vực KTTT theo loại hình"), "{}", w.title);
        let ws = slices(&w);
        assert!(ws.len() >= 3, "{ws:?}");
        assert!(ws.contains(&("Tổ hợp tác".to_string(), options::kind_color(Kind::Tht).to_string())), "{ws:?}");
        assert!(w.notes.is_empty(), "{:?}", w.notes);
        // A kind filter does not make a 100% ring, and THT keeps its colour; the note says why.
        let tht = chart_view(&ds, &ViewState { kinds: vec![Kind::Tht], ..v.clone() }, Lang::Vi);
        assert_eq!(slices(&tht), ws);
        assert!(tht.notes.iter().any(|n| n.contains("Bộ lọc loại hình không áp dụng")), "{:?}", tht.notes);
        // One kind's count cannot be split: OCOP subjects by kind instead, saying so, in English too.
        let htx = chart_view(&ds, &ViewState { chart: ChartKind::Composition, ..ViewState::default() }, Lang::En);
        assert!(htx.title.starts_with("OCOP subjects by kind"), "{}", htx.title);
        assert!(htx.notes.iter().any(|n| n.contains("cannot be split by kind")), "{:?}", htx.notes);
        // The same kind has the same colour in the OCOP ring.
        let ocop = slices(&htx);
        assert!(ocop.contains(&("Cooperative".to_string(), options::kind_color(Kind::Htx).to_string())), "{ocop:?}");
        // The source is not repeated in tooltips.
        let tip = w.option["series"][0]["data"][0]["tooltip"]["formatter"].as_str().unwrap();
        assert!(!tip.contains("Coop Atlas"), "{tip}");
    }

    #[test]
    fn trend_lines_differ_by_marker_and_the_plot_starts_below_the_legend() {
        let ds = illustrative_2023_2024();
        let v = ViewState { chart: ChartKind::Trend, provinces: vec!["19".into(), "06".into(), "02".into()], ..ViewState::default() };
        let c = chart_view(&ds, &v, Lang::Vi);
        let symbols: Vec<&str> = c.option["series"].as_array().unwrap().iter().map(|s| s["symbol"].as_str().unwrap()).collect();
        // The selection and its three provinces: four lines, four markers.
        assert_eq!(symbols.len(), 4);
        for (i, a) in symbols.iter().enumerate() {
            assert!(!symbols[i + 1..].contains(a), "{symbols:?}");
        }
        // Four names do not fit one row of a phone: the plot starts below two rows of legend.
        assert!(c.option["grid"]["top"].as_u64().unwrap() >= 62, "{}", c.option["grid"]["top"]);
    }

    #[test]
    fn the_official_dataset_shows_published_figures_of_their_latest_year() {
        let ds = bundled("gso/official.json");
        let v = ViewState { dataset: "gso-chinh-thuc".into(), indicator: "htx_active".into(), ..ViewState::default() };
        let cards = cards(&ds, &v, Lang::Vi);
        let c = card(&cards, "htx_active");
        assert_eq!(c.value, Some(15832.0));
        assert!(c.note.as_deref().is_some_and(|n| n.contains("2022")), "{:?}", c.note);
        // Issue 15 item 4: the caption names the publisher in plain words; how the figure was
        // obtained and its confidence ("medium", "third-party scrape") are in the Sources tab only.
        let gso_vi = "Tổng cục Thống kê, cơ sở dữ liệu trực tuyến, số liệu năm 2022";
        assert_eq!(c.source.as_deref(), Some(gso_vi));
        let m = map_view(&ds, &v, Lang::Vi);
        assert_eq!(m.values.values().sum::<f64>(), 15832.0);
        assert_eq!(m.source, gso_vi);
        assert_eq!(map_view(&ds, &v, Lang::En).source, "General Statistics Office, online database, 2022 figures");
        assert_eq!(current_indicator(&ds, &ViewState::default()).as_deref(), Some("htx_active"));
    }

    /// English words, file paths and field ids that must not appear in Vietnamese text.
    fn english_in_vi(text: &str) -> Vec<String> {
        const WORDS: &[&str] = &[
            "the", "of", "and", "with", "from", "via", "found", "expected", "confidence", "source", "scrape",
            "records", "count", "class", "kind", "share", "workers", "income", "members", "figures", "sum", "true",
        ];
        let mut out = Vec::new();
        for w in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '/' || c == '.')) {
            let w = w.trim_matches('.');
            let lower = w.to_lowercase();
            if WORDS.contains(&lower.as_str()) || (w.contains('_') && w.chars().any(|c| c.is_ascii_lowercase())) || w.ends_with(".rs") || w.ends_with(".csv") {
                out.push(w.to_string());
            }
        }
        out
    }

    #[test]
    fn official_and_illustrative_texts_speak_the_readers_language() {
        for (path, id) in [("gso/official.json", "htx_active"), ("dtts-mn/2024.json", "htx_count")] {
            let ds = bundled(path);
            let v = ViewState { indicator: id.into(), ..ViewState::default() };
            let mut vi_texts: Vec<String> = vec![map_view(&ds, &v, Lang::Vi).source, chart_view(&ds, &v, Lang::Vi).source];
            vi_texts.extend(cards(&ds, &v, Lang::Vi).into_iter().flat_map(|c| c.source.into_iter().chain(c.note)));
            for i in indicator_infos(&ds, Lang::Vi) {
                vi_texts.push(i.definition);
                vi_texts.extend(i.formula);
            }
            vi_texts.extend(observation_sources(&ds, Lang::Vi).into_iter().map(|s| s.publisher + " " + &s.confidence.unwrap_or_default()));
            vi_texts.push(ds.meta.description.as_ref().map(|d| d.vi.clone()).unwrap_or_default());
            for text in &vi_texts {
                assert!(english_in_vi(text).is_empty(), "{path}: {:?} in {text:?}", english_in_vi(text));
            }
            for i in indicator_infos(&ds, Lang::En) {
                for text in std::iter::once(&i.definition).chain(i.formula.iter()) {
                    assert!(!text.chars().any(|c| "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ".contains(c)), "{path}: {text:?}");
                }
            }
        }
        // The check itself finds what issue 15 saw.
        assert_eq!(english_in_vi("GSO PX-Web via third-party scrape (confidence: medium)"), vec!["via", "scrape", "confidence"]);
        assert_eq!(english_in_vi("Đếm bản ghi loại htx có high_tech"), vec!["high_tech"]);
        assert_eq!(english_in_vi("sinh tự động (src/synth/illustrative.rs)"), vec!["src/synth/illustrative.rs"]);
        let w = indicators::Warning::MissingLeftOut { what: "income/workers".into(), count: 3 };
        assert_eq!(w.message(Lang::Vi), "3 bản ghi thiếu thu nhập hoặc số lao động đã bị loại khỏi phép tính");
        // A class notice reads in the reader's language.
        let e = ClassSpec::from_code("eq20").unwrap_err();
        assert!(english_in_vi(&e.message(Lang::Vi)).is_empty(), "{}", e.message(Lang::Vi));
        assert!(e.message(Lang::En).starts_with("class count"));
        let bad = parse_custom_breaks("10; 5").unwrap_err().message(Lang::Vi);
        assert!(english_in_vi(&bad).is_empty() && bad.contains("ngưỡng 2"), "{bad}");
    }

    /// The lean first view draws a trend from the dataset's years as separate files; the app from
    /// the years merged. Both must give the same chart.
    #[test]
    fn a_trend_from_the_years_files_equals_the_trend_of_the_years_merged() {
        let mut paths: Vec<_> = std::fs::read_dir("public/data/dtts-mn")
            .expect("bundled dataset")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        let parts: Vec<Dataset> = paths
            .iter()
            .map(|p| crate::engine::parse::parse_dataset(&std::fs::read(p).unwrap(), &crate::engine::parse::Limits::default()).unwrap().dataset)
            .collect();
        assert!(parts.len() >= 5);
        let merged = parts.iter().skip(1).fold(parts[0].clone(), |m, p| m.append(p).unwrap());
        let refs: Vec<&Dataset> = parts.iter().collect();
        for q in ["", "r=tdmnpb", "p=19,06,02", "p=19", "k=htx&s=nn", "i=members_per_htx_median", "i=income_avg&l=en", "i=htx_high_tech_share&r=tn", "b=34&p=19"] {
            let v = crate::engine::url_state::from_query(q).state;
            let whole = trend(&[&merged], &v, Lang::Vi);
            assert_eq!(trend(&refs, &v, Lang::Vi), whole, "{q}");
            assert_eq!(whole.years.len(), parts.len(), "{q}");
            assert!(whole.series.iter().any(|(_, items)| items.iter().any(|i| i.value.is_some())), "{q}: some figure");
        }
    }
}
