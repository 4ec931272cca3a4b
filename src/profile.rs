//! A place's profile (`t=profile`): one province (`p=`), a region (`r=`) or the whole dataset,
//! assembled from the pieces the other tabs show separately — the headline figures and how they
//! moved, where the place stands among the provinces, its trends and composition, what the
//! dataset does not cover, every source and the targets it is held to. This is what the staff of a
//! provincial Cooperative Alliance print as a report (issue 16 §1), so every figure carries its
//! year and its source, and the whole is a pure function of `(&Dataset, &ViewState, Lang)`,
//! native-tested; `ui::profile_tab` only renders it.
//!
//! Two years (`y=2020-2024`): every figure shows the base year, the year and the change between
//! them, in the measure's own terms — counts and amounts as a difference and a percent, shares
//! in percentage points (a percent of a percent misleads). See docs/url.md.

use serde_json::Value;

use crate::charts::options::{self, Item};
use crate::dashboard::{
    self, change_text, composition, dataset_source, dataset_years, def_of, evaluate, format_value, has_entity_year, indicator_defs, is_observed,
    observed_year, province_name, result_source, selection_name, target_sources, targets_of, view_year, with_year,
};
use crate::engine::dataset::{Dataset, IndicatorDef, Unit};
use crate::engine::filter::{Coverage, Filter};
use crate::engine::format;
use crate::engine::indicators::{compute, GroupBy, GroupKey};
use crate::engine::provinces::registry;
use crate::engine::url_state::ViewState;
use crate::engine::vocab::{Lang, Region, Sector};
use crate::i18n::{t, Msg};

/// How many indicators get a small trend chart: a page of small multiples, not a wall.
const TRENDS: usize = 6;

/// Where the place stands among the others, for one indicator in the profile's year.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// The place's rank (1 = highest) and how many were ranked; `None` for the whole dataset.
    pub rank: Option<(usize, usize)>,
    /// The median over the provinces with a figure.
    pub median: f64,
    /// The province with the highest figure and that figure. No indicator of the format declares
    /// which direction is better, so the profile says "highest", never "best".
    pub highest: (String, f64),
    /// The sentence the reader reads.
    pub text: String,
}

/// A figure in two years: the base year's value and the change to the year shown.
#[derive(Clone, Debug, PartialEq)]
pub struct TwoYears {
    /// The base year (`y=<base>-<year>`).
    pub base_year: u16,
    /// The value in the base year.
    pub base_value: f64,
    /// The base value as read.
    pub base_text: String,
    /// The change as read: a difference and a percent, or percentage points for shares.
    pub change_text: String,
}

/// One indicator of the profile.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileRow {
    /// Indicator id (`data-testid="profile-row-<id>"`).
    pub id: String,
    /// Label in the reader's language.
    pub label: String,
    /// The indicator's unit.
    pub unit: Unit,
    /// The value in the year used (a published figure: the latest year up to the one shown).
    pub value: f64,
    /// The value as read.
    pub text: String,
    /// The year the value is for.
    pub year: Option<u16>,
    /// Change since the previous year, as read ("+12 so với 2023").
    pub since_prev: Option<String>,
    /// Change since the first year with a figure, as read.
    pub since_first: Option<String>,
    /// With two years asked for: the base year and the change.
    pub two_years: Option<TwoYears>,
    /// Rank, median and highest among the provinces.
    pub standing: Option<Standing>,
    /// Progress toward each target set for the place, as read.
    pub targets: Vec<String>,
    /// A note (a published figure of an earlier year).
    pub note: Option<String>,
}

/// A small trend chart of one indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendChart {
    /// Indicator id.
    pub id: String,
    /// Title: the label and unit.
    pub title: String,
    /// The ECharts option (a line with the place's figures by year).
    pub option: Value,
}

/// The composition by kind, as the Chart tab draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct CompositionChart {
    /// Title.
    pub title: String,
    /// The ring's ECharts option.
    pub option: Value,
    /// Its source.
    pub source: String,
    /// What the ring shows other than asked, when it does.
    pub note: Option<String>,
}

/// The whole profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// The place: a province's name, a region's, or "Whole dataset".
    pub place: String,
    /// The dataset's title.
    pub dataset: String,
    /// The year shown.
    pub year: Option<u16>,
    /// The base year of a two-year comparison.
    pub base_year: Option<u16>,
    /// The headline figures with a value for the place.
    pub rows: Vec<ProfileRow>,
    /// Small multiples of trends.
    pub trends: Vec<TrendChart>,
    /// The composition by kind, when the dataset has rows to split.
    pub composition: Option<CompositionChart>,
    /// The same indicator by sector, when the dataset records its units' sectors.
    pub sectors: Option<CompositionChart>,
    /// Why there is no composition by sector, said plainly, when there is none.
    pub no_sectors: Option<String>,
    /// What the dataset does not cover, said plainly.
    pub coverage: Vec<String>,
    /// Every source behind the figures (and the documents setting targets).
    pub sources: Vec<String>,
    /// Whether the figures are illustrative.
    pub illustrative: bool,
}

/// The value of `def` for `base` in exactly `year`: `None` when the dataset has no figure for that
/// year (a year of rows not loaded is not a year of zero cooperatives).
fn value_in(ds: &Dataset, def: &IndicatorDef, base: &Filter, year: u16) -> Option<f64> {
    if is_observed(ds, def) {
        if observed_year(ds, &def.id, Some(year)) != Some(year) {
            return None;
        }
    } else if !has_entity_year(ds, year) {
        return None;
    }
    compute(ds, def, &with_year(base.clone(), Some(year)), GroupBy::None).total.value.filter(|v| v.is_finite())
}

/// A change between two values as the measure requires: points for shares, otherwise the
/// difference and (when the base is not zero) the percent.
pub fn change_words(from: f64, to: f64, unit: Unit, lang: Lang) -> String {
    let delta = to - from;
    let abs = change_text(delta, unit, lang);
    if unit == Unit::Share || from == 0.0 {
        return abs;
    }
    let pct = format::signed_change(delta / from.abs() * 100.0, 1, lang);
    format!("{abs} ({pct}%)")
}

fn since(words: String, year: u16, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{words} so với {year}"),
        Lang::En => format!("{words} since {year}"),
    }
}

/// The median of `values` (not empty).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The rank of `value` among `values`, 1 for the highest; ties share the better rank.
pub fn rank_of(value: f64, values: &[f64]) -> usize {
    1 + values.iter().filter(|&&x| x > value).count()
}

/// Where the place stands for `def` in `year`: its rank among the provinces (a province), among
/// the regions (a region) or nothing (the whole dataset or several provinces), with the median and
/// the highest province. Row filters (kinds, sectors…) stay; the area filter does not.
fn standing(ds: &Dataset, def: &IndicatorDef, v: &ViewState, base: &Filter, year: Option<u16>, lang: Lang) -> Option<Standing> {
    let mut all = base.clone();
    all.region = None;
    all.provinces.clear();
    let (res, _) = evaluate(ds, def, &all, year, GroupBy::Province);
    let cov = Coverage::of(ds, v.boundary);
    let provinces: Vec<(u8, f64)> = res
        .groups
        .iter()
        .filter_map(|(k, c)| match (k, c.value) {
            (GroupKey::Province(p), Some(x)) if x.is_finite() && cov.province(*p) => Some((*p, x)),
            _ => None,
        })
        .collect();
    if provinces.len() < 2 {
        return None;
    }
    let values: Vec<f64> = provinces.iter().map(|p| p.1).collect();
    let med = median(&values);
    let (hp, hx) = provinces.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let highest = (province_name(res.view, hp), hx);
    let reg = registry();
    let rank = if v.provinces.len() == 1 {
        let idx = reg.index_of(v.boundary, &v.provinces[0])?;
        let x = provinces.iter().find(|p| p.0 == idx).map(|p| p.1)?;
        Some((rank_of(x, &values), values.len()))
    } else if let (Some(r), true) = (v.region, v.provinces.is_empty()) {
        region_rank(ds, def, &all, r, year)
    } else {
        None
    };
    let med_t = format_value(Some(med), def.unit, lang);
    let high_t = format_value(Some(hx), def.unit, lang);
    let of_what = if v.provinces.is_empty() && v.region.is_some() {
        match lang {
            Lang::Vi => "vùng",
            Lang::En => "regions",
        }
    } else {
        match lang {
            Lang::Vi => "tỉnh",
            Lang::En => "provinces",
        }
    };
    let n = values.len();
    let text = match (rank, lang) {
        (Some((r, of)), Lang::Vi) => format!("Hạng {r}/{of} {of_what} · trung vị {n} tỉnh: {med_t} · cao nhất: {} ({high_t})", highest.0),
        (Some((r, of)), Lang::En) => format!("Rank {r} of {of} {of_what} · median of {n} provinces: {med_t} · highest: {} ({high_t})", highest.0),
        (None, Lang::Vi) => format!("Trung vị {n} tỉnh: {med_t} · cao nhất: {} ({high_t})", highest.0),
        (None, Lang::En) => format!("Median of {n} provinces: {med_t} · highest: {} ({high_t})", highest.0),
    };
    Some(Standing { rank, median: med, highest, text })
}

/// The region's rank among the regions the dataset has figures for.
fn region_rank(ds: &Dataset, def: &IndicatorDef, all: &Filter, r: Region, year: Option<u16>) -> Option<(usize, usize)> {
    let (res, _) = evaluate(ds, def, all, year, GroupBy::Region);
    let regions: Vec<(Region, f64)> = res
        .groups
        .iter()
        .filter_map(|(k, c)| match (k, c.value) {
            (GroupKey::Region(g), Some(x)) if x.is_finite() => Some((*g, x)),
            _ => None,
        })
        .collect();
    let x = regions.iter().find(|g| g.0 == r)?.1;
    let values: Vec<f64> = regions.iter().map(|g| g.1).collect();
    (values.len() >= 2).then(|| (rank_of(x, &values), values.len()))
}

/// The place a view profiles, in the reader's language.
pub fn place_name(v: &ViewState, lang: Lang) -> String {
    if v.provinces.len() == 1 {
        if let Some(p) = registry().by_code(v.boundary, &v.provinces[0]) {
            return p.name.to_string();
        }
    }
    selection_name(v, lang)
}

/// The profile of the view's place (see the module comment).
pub fn profile(ds: &Dataset, v: &ViewState, lang: Lang) -> Profile {
    let year = view_year(ds, v);
    let years = dataset_years(ds);
    let base_year = v.year_from.filter(|b| year.is_some_and(|y| *b < y) && years.contains(b));
    let base = dashboard::base_filter(v);
    let place = place_name(v, lang);
    let mut rows = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut sources: Vec<String> = vec![dataset_source(ds, lang)];
    let cov = Coverage::of(ds, v.boundary);
    let covered = cov.covers(&base);
    for def in indicator_defs(ds) {
        let (res, used) = evaluate(ds, def, &base, year, GroupBy::None);
        let Some(value) = res.total.value.filter(|x| x.is_finite() && covered) else {
            missing.push(def.label.get(lang).to_string());
            continue;
        };
        let src = result_source(ds, &res, lang);
        if !sources.contains(&src) {
            sources.push(src);
        }
        let used_year = used.or(year);
        let since_prev = used_year
            .and_then(|u| u.checked_sub(1).map(|p| (p, u)))
            .and_then(|(p, _)| value_in(ds, def, &base, p).map(|b| since(change_words(b, value, def.unit, lang), p, lang)));
        let first = years.iter().copied().filter(|y| used_year.is_some_and(|u| *y < u)).find_map(|y| value_in(ds, def, &base, y).map(|b| (y, b)));
        // The first year is worth its own line only when it is not the previous year.
        let since_first = first
            .filter(|(y, _)| used_year.is_some_and(|u| *y + 1 < u))
            .map(|(y, b)| since(change_words(b, value, def.unit, lang), y, lang));
        let two_years = base_year.and_then(|b| {
            value_in(ds, def, &base, b).map(|bv| TwoYears {
                base_year: b,
                base_value: bv,
                base_text: format_value(Some(bv), def.unit, lang),
                change_text: change_words(bv, value, def.unit, lang),
            })
        });
        let targets = targets_of(ds, def, &base, year, lang).into_iter().map(|t| t.text).collect();
        rows.push(ProfileRow {
            id: def.id.clone(),
            label: def.label.get(lang).to_string(),
            unit: def.unit,
            value,
            text: format_value(Some(value), def.unit, lang),
            year: used_year,
            since_prev,
            since_first,
            two_years,
            standing: standing(ds, def, v, &base, year, lang),
            targets,
            note: dashboard::year_note(used, year, lang),
        });
    }
    // The figures are a row the reader compares, as the headline cards are: one decimals rule.
    dashboard::align_decimals_by(&mut rows, lang, |r| Some((r.value, r.unit)), |r| &mut r.text);
    // The targets' documents in the reader's words (their quotations are in the Sources tab).
    for (s, _) in target_sources(ds, lang) {
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    let trends = rows.iter().filter_map(|r| trend(ds, &def_of(ds, &r.id), &base, &years, &place, lang)).take(TRENDS).collect();
    let chosen = def_of(ds, &dashboard::current_indicator(ds, v).unwrap_or_else(|| v.indicator.clone()));
    let composition = (!ds.entities.is_empty()).then(|| {
        let c = composition(ds, &chosen, &base, year, lang);
        CompositionChart { option: options::composition_ring(&c.title, &c.items, &c.colors, &c.source), title: c.title, source: c.source, note: c.note }
    });
    // By sector, the indicator the kind ring splits (dashboard::composition's choice).
    let split = if dashboard::composable(ds, &chosen) { chosen } else { def_of(ds, "ocop_subjects") };
    let (sectors, no_sectors) = match by_sector(ds, &split, &base, year, &place, lang) {
        Ok(c) => (Some(c), None),
        Err(why) => (None, Some(why)),
    };
    Profile {
        coverage: coverage_lines(ds, v, &place, covered, &years, &missing, lang),
        place,
        dataset: ds.meta.title.get(lang).to_string(),
        year,
        base_year,
        rows,
        trends,
        composition,
        sectors,
        no_sectors,
        sources,
        illustrative: ds.meta.illustrative,
    }
}

/// A small line of `def` over the years for the place; `None` with fewer than two years of figures.
fn trend(ds: &Dataset, def: &IndicatorDef, base: &Filter, years: &[u16], place: &str, lang: Lang) -> Option<TrendChart> {
    let items: Vec<Item> = years
        .iter()
        .map(|&y| {
            let value = value_in(ds, def, base, y);
            Item { name: y.to_string(), value, text: format_value(value, def.unit, lang) }
        })
        .collect();
    if items.iter().filter(|i| i.value.is_some()).count() < 2 {
        return None;
    }
    let src = dataset_source(ds, lang);
    let mut option = options::trend_lines(years, &[(place.to_string(), items)], &src, lang);
    // One series: its name is the section's heading, a legend would only take room.
    option["legend"] = serde_json::json!({ "show": false });
    option["grid"] = serde_json::json!({ "left": 8, "right": 16, "top": 24, "bottom": 8, "containLabel": true });
    label_ends(&mut option);
    Some(TrendChart { id: def.id.clone(), title: format!("{} ({})", def.label.get(lang), dashboard::unit_label(def.unit, lang)), option })
}

/// The composition by sector (issue 16: "by kind and by sector"): `def` split by the units' main
/// sector, for the place and year; the sector filter is not applied (a ring of one sector is 100%).
/// `Err` is the sentence saying why there is none: a dataset of published totals has no units to
/// split, a dataset whose units carry no sector cannot say, and a place may have no unit that does.
fn by_sector(ds: &Dataset, def: &IndicatorDef, base: &Filter, year: Option<u16>, place: &str, lang: Lang) -> Result<CompositionChart, String> {
    let vi = lang == Lang::Vi;
    if ds.entities.is_empty() {
        return Err(if vi {
            "Bộ dữ liệu này chỉ có số liệu tổng đã công bố, không có từng đơn vị: không chia được theo loại hình hay lĩnh vực.".into()
        } else {
            "This dataset has only published totals, not the units themselves: it cannot be split by kind or by sector.".into()
        });
    }
    if ds.entities.sector.iter().all(|&s| s == crate::engine::columns::NONE) {
        return Err(if vi {
            "Bộ dữ liệu không ghi lĩnh vực của các đơn vị: không chia được theo lĩnh vực.".into()
        } else {
            "The dataset does not record the units' sectors: it cannot be split by sector.".into()
        });
    }
    let mut f = dashboard::with_year(base.clone(), year);
    f.rows.sectors.clear();
    let mut parts = Vec::new();
    let mut sources = Vec::new();
    for &s in Sector::ALL {
        let mut one = f.clone();
        one.rows.sectors = vec![s];
        let res = compute(ds, def, &one, GroupBy::None);
        if let Some(n) = res.total.value.filter(|n| n.is_finite() && *n > 0.0) {
            parts.push((s, n));
            for src in res.sources {
                if !sources.contains(&src) {
                    sources.push(src);
                }
            }
        }
    }
    let total: f64 = parts.iter().map(|(_, n)| n).sum();
    if parts.is_empty() || total <= 0.0 {
        return Err(if vi {
            format!("Không có đơn vị nào ghi lĩnh vực ở {place}: không chia được theo lĩnh vực.")
        } else {
            format!("No unit in {place} records its sector: it cannot be split by sector.")
        });
    }
    let items: Vec<Item> = parts
        .iter()
        .map(|&(s, n)| Item {
            name: s.label(lang).to_string(),
            value: Some(n),
            text: format!("{} ({})", format::percent(n / total, 1, lang), format_value(Some(n), def.unit, lang)),
        })
        .collect();
    // A sector keeps its colour from one profile to the next: its place in the vocabulary.
    let colors: Vec<&str> = parts.iter().map(|(s, _)| options::SERIES_COLORS[Sector::ALL.iter().position(|x| x == s).unwrap_or(0) % options::SERIES_COLORS.len()]).collect();
    let by = if vi { "theo lĩnh vực" } else { "by sector" };
    let title = format!("{} {by} — {}", def.label.get(lang), year.map(|y| y.to_string()).unwrap_or_default());
    let source = if sources.is_empty() { dataset_source(ds, lang) } else { sources.join("; ") };
    Ok(CompositionChart { option: options::composition_ring(&title, &items, &colors, &source), title, source, note: None })
}

/// A small multiple names its last figure, and its first when that lies in the left half of the
/// years (a series that starts late would put both labels in one place), each kept inside the
/// plot: the first written rightwards from its point, the last leftwards. The axis and the
/// tooltip give the years between. At 260–350 px every point's label ran into its neighbours'
/// and the last one past the chart's edge (the layout walk, tests/e2e/layout-walk.test.mjs).
fn label_ends(option: &mut serde_json::Value) {
    let Some(data) = option["series"][0]["data"].as_array_mut() else { return };
    let with: Vec<usize> = data.iter().enumerate().filter(|(_, d)| d["value"].is_number()).map(|(i, _)| i).collect();
    let last = with.last().copied();
    let first = with.first().copied().filter(|&i| Some(i) != last && 2 * i < data.len());
    for (i, d) in data.iter_mut().enumerate() {
        if d.get("label").is_none() {
            continue;
        }
        if Some(i) == last {
            d["label"]["align"] = serde_json::json!("right");
        } else if Some(i) == first {
            d["label"]["align"] = serde_json::json!("left");
        } else {
            d["label"]["show"] = serde_json::json!(false);
        }
    }
}

/// The sentence a profile adds when years of its dataset could not be fetched (the page is
/// offline after a visit that did not need them: the service worker keeps only the data a view
/// fetched). Without it the coverage would read "years with figures: 2023–2024" for a dataset of
/// 2019–2024, and the changes since the first year would be silently missing.
pub fn unloaded_line(years: &[u16], lang: Lang) -> Option<String> {
    let (first, last) = (*years.first()?, *years.last()?);
    let contiguous = years.windows(2).all(|w| w[1] == w[0] + 1);
    let list = if years.len() == 1 {
        first.to_string()
    } else if contiguous {
        format!("{first}–{last}")
    } else {
        years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
    };
    Some(match lang {
        Lang::Vi => format!(
            "Chưa tải được số liệu năm {list} (thiết bị đang ngoại tuyến hoặc mất kết nối): thay đổi so với năm đầu và xu hướng chỉ tính trên các năm đã tải. Mở lại hồ sơ khi có mạng để xem đủ."
        ),
        Lang::En => format!(
            "The figures for {list} could not be loaded (the device is offline or lost its connection): changes since the first year and trends use only the years loaded. Open the profile again when online to see them all."
        ),
    })
}

/// What the dataset does not cover, in sentences: the place itself when it has no figures, how
/// many provinces the dataset covers and which years, the indicators without a figure for the
/// place, filters a dataset of published figures cannot apply, and partly covered merged provinces.
fn coverage_lines(ds: &Dataset, v: &ViewState, place: &str, covered: bool, years: &[u16], missing: &[String], lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if !covered {
        out.push(match lang {
            Lang::Vi => format!("Bộ dữ liệu không có số liệu cho {place}."),
            Lang::En => format!("The dataset has no figures for {place}."),
        });
    }
    let cov = Coverage::of(ds, v.boundary);
    let all = registry().provinces(v.boundary);
    let n = all.iter().filter(|p| cov.province(p.index)).count();
    if n > 0 && n < all.len() {
        out.push(match lang {
            Lang::Vi => format!("Bộ dữ liệu có số liệu cho {n}/{} tỉnh, thành phố; các tỉnh khác không có trong bộ dữ liệu (không phải bằng 0).", all.len()),
            Lang::En => format!("The dataset has figures for {n} of {} provinces; the others are not in the dataset (not zero).", all.len()),
        });
    }
    if let (Some(a), Some(b)) = (years.first(), years.last()) {
        out.push(match lang {
            Lang::Vi => format!("Năm có số liệu: {a}–{b}."),
            Lang::En => format!("Years with figures: {a}–{b}."),
        });
    }
    if !missing.is_empty() && covered {
        out.push(match lang {
            Lang::Vi => format!("Không có số liệu cho {place}: {}.", missing.join("; ")),
            Lang::En => format!("No figures for {place}: {}.", missing.join("; ")),
        });
    }
    if ds.entities.is_empty() {
        out.push(t(lang, Msg::RowFiltersNotApplicable).to_string());
    }
    out.extend(dashboard::partial_provinces_note(ds, v.boundary, lang));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::parse::{parse_dataset, Limits};
    use crate::engine::url_state::from_query;

    fn bundled(path: &str) -> Dataset {
        let bytes = std::fs::read(format!("{}/public/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        parse_dataset(&bytes, &Limits::default()).unwrap().dataset
    }

    fn illustrative_all() -> Dataset {
        let mut ds = bundled("dtts-mn/2024.json");
        for y in 2019..=2023 {
            ds = ds.append(&bundled(&format!("dtts-mn/{y}.json"))).unwrap();
        }
        ds
    }

    fn view(q: &str) -> ViewState {
        from_query(q).state
    }

    fn row<'a>(p: &'a Profile, id: &str) -> &'a ProfileRow {
        p.rows.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no row {id}: {:?}", p.rows.iter().map(|r| &r.id).collect::<Vec<_>>()))
    }

    #[test]
    fn median_rank_and_change_words() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(rank_of(5.0, &[1.0, 5.0, 9.0, 5.0]), 2);
        assert_eq!(rank_of(9.0, &[1.0, 5.0, 9.0]), 1);
        assert_eq!(change_words(100.0, 120.0, Unit::Count, Lang::En), "+20 (+20.0%)");
        assert_eq!(change_words(100.0, 90.0, Unit::Count, Lang::Vi), "\u{2212}10 (\u{2212}10,0%)");
        // Shares change in points, never in percent of a percent.
        assert_eq!(change_words(0.25, 0.30, Unit::Share, Lang::En), "+5.0 pts");
        // From zero there is no percent.
        assert_eq!(change_words(0.0, 4.0, Unit::Count, Lang::En), "+4");
    }

    #[test]
    fn years_that_could_not_be_loaded_are_said() {
        assert_eq!(unloaded_line(&[], Lang::Vi), None);
        assert!(unloaded_line(&[2019, 2020, 2021, 2022], Lang::Vi).unwrap().starts_with("Chưa tải được số liệu năm 2019–2022 "));
        assert!(unloaded_line(&[2019, 2021], Lang::En).unwrap().starts_with("The figures for 2019, 2021 could not be loaded"));
        assert!(unloaded_line(&[2020], Lang::En).unwrap().starts_with("The figures for 2020 could"));
    }

    #[test]
    fn a_province_profile_ranks_it_among_the_provinces_and_tracks_its_changes() {
        let ds = illustrative_all();
        let v = view("t=profile&p=19");
        let p = profile(&ds, &v, Lang::Vi);
        assert_eq!(p.place, "Thái Nguyên");
        assert!(p.illustrative);
        assert_eq!(p.year, Some(2024));
        let r = row(&p, "htx_count");
        // The value is the province's own count in 2024.
        let mut f = dashboard::base_filter(&v);
        f.years = Some((2024, 2024));
        let own = compute(&ds, &def_of(&ds, "htx_count"), &f, GroupBy::None).total.value.unwrap();
        assert_eq!(r.value, own);
        let prev = value_in(&ds, &def_of(&ds, "htx_count"), &dashboard::base_filter(&v), 2023).unwrap();
        assert_eq!(r.since_prev.as_deref(), Some(since(change_words(prev, own, Unit::Count, Lang::Vi), 2023, Lang::Vi).as_str()));
        assert!(r.since_first.as_deref().is_some_and(|s| s.ends_with("so với 2019")), "{:?}", r.since_first);
        let s = r.standing.as_ref().expect("a rank");
        let (rank, of) = s.rank.unwrap();
        assert_eq!(of, 28, "the 28 provinces of the dataset");
        assert!(rank >= 1 && rank <= 28);
        assert!(s.text.starts_with(&format!("Hạng {rank}/28 tỉnh")), "{}", s.text);
        assert!(s.highest.1 >= own && s.highest.1 >= s.median);
        // Coverage said plainly, and the source with the illustrative label.
        assert!(p.coverage.iter().any(|c| c.contains("28/63")), "{:?}", p.coverage);
        assert!(p.coverage.iter().any(|c| c.contains("2019–2024")));
        assert!(p.sources[0].contains(t(Lang::Vi, Msg::Illustrative)), "{:?}", p.sources);
        assert!(!p.trends.is_empty() && p.trends.len() <= TRENDS);
        // The composition by sector: every unit of the illustrative set records its sector, so
        // the sectors' parts add up to the place's figure.
        let sec = p.sectors.as_ref().expect("a composition by sector");
        assert!(p.no_sectors.is_none());
        // (The number of cooperatives is of one kind: both rings split OCOP subjects, as the Chart tab does.)
        assert!(sec.title.starts_with("Chủ thể OCOP theo lĩnh vực — 2024"), "{}", sec.title);
        let parts: f64 = sec.option["series"][0]["data"].as_array().unwrap().iter().map(|d| d["value"].as_f64().unwrap()).sum();
        assert!(sec.option["series"][0]["data"].as_array().unwrap().len() >= 2);
        assert_eq!(parts, row(&p, "ocop_subjects").value, "the sectors add up to the province's OCOP subjects");
        // Each small multiple labels its first and last figure only, inside the plot.
        for c in &p.trends {
            let data = c.option["series"][0]["data"].as_array().unwrap();
            let shown: Vec<usize> = (0..data.len()).filter(|&i| data[i]["label"]["show"] == true).collect();
            assert_eq!(shown.len(), 2, "{}: labels at {shown:?}", c.id);
            assert_eq!((data[shown[0]]["label"]["align"].as_str(), data[shown[1]]["label"]["align"].as_str()), (Some("left"), Some("right")));
        }
        assert!(p.composition.is_some());
    }

    #[test]
    fn a_region_ranks_among_regions_and_the_whole_dataset_has_no_rank() {
        let ds = illustrative_all();
        let p = profile(&ds, &view("t=profile&r=tdmnpb&l=en"), Lang::En);
        assert_eq!(p.place, Region::Tdmnpb.label(Lang::En));
        let s = row(&p, "htx_count").standing.clone().unwrap();
        let (_, of) = s.rank.unwrap();
        assert!(of >= 2 && of <= 6, "{of}");
        assert!(s.text.contains("regions") && s.text.contains("median of 28 provinces"), "{}", s.text);
        let whole = profile(&ds, &view("t=profile"), Lang::En);
        assert_eq!(whole.place, "Whole dataset");
        let s = row(&whole, "htx_count").standing.clone().unwrap();
        assert_eq!(s.rank, None);
        assert!(s.text.starts_with("Median of 28 provinces"), "{}", s.text);
    }

    #[test]
    fn two_years_show_both_figures_and_the_change_in_the_measures_terms() {
        let ds = illustrative_all();
        let v = view("t=profile&p=19&y=2020-2024");
        let p = profile(&ds, &v, Lang::En);
        assert_eq!(p.base_year, Some(2020));
        let r = row(&p, "htx_count");
        let two = r.two_years.as_ref().unwrap();
        assert_eq!(two.base_year, 2020);
        let b = value_in(&ds, &def_of(&ds, "htx_count"), &dashboard::base_filter(&v), 2020).unwrap();
        assert_eq!(two.base_value, b);
        assert_eq!(two.change_text, change_words(b, r.value, Unit::Count, Lang::En));
        for r in p.rows.iter().filter(|r| r.unit == Unit::Share) {
            let t = &r.two_years.as_ref().unwrap().change_text;
            assert!(t.ends_with("pts") && !t.contains('%'), "{t}");
        }
        // A base year the dataset lacks, or one not before the year, compares nothing.
        assert_eq!(profile(&ds, &view("t=profile&p=19&y=2010-2024"), Lang::En).base_year, None);
    }

    #[test]
    fn a_province_outside_the_dataset_is_said_to_be_uncovered_not_zero() {
        let ds = illustrative_all();
        // Hà Nội (01) is not among the 28 provinces of the illustrative dataset.
        let p = profile(&ds, &view("t=profile&p=01"), Lang::En);
        assert!(p.rows.is_empty(), "{:?}", p.rows.first());
        assert!(p.coverage[0].contains("no figures for Hà Nội"), "{:?}", p.coverage);
    }

    #[test]
    fn the_official_profile_shows_targets_and_every_source() {
        let ds = bundled("gso/official.json");
        let p = profile(&ds, &view("t=profile"), Lang::Vi);
        assert!(!p.illustrative);
        let r = row(&p, "htx_total");
        assert_eq!(r.targets.len(), 2, "{:?}", r.targets);
        assert!(p.sources.iter().any(|s| s.contains("1318/QĐ-TTg")), "{:?}", p.sources);
        assert!(p.coverage.iter().any(|c| c == t(Lang::Vi, Msg::RowFiltersNotApplicable)));
        assert!(p.composition.is_none());
        // No units, so no composition by sector: said plainly.
        assert!(p.sectors.is_none());
        assert!(p.no_sectors.as_deref().is_some_and(|s| s.starts_with("Bộ dữ liệu này chỉ có số liệu tổng")), "{:?}", p.no_sectors);
        // One decimals rule across the figures: average profit (421 million) and revenue (4.56
        // billion) beside income and capital.
        let en = profile(&ds, &view("t=profile"), Lang::En);
        assert_eq!(row(&en, "htx_avg_profit").text, "421 million VND");
        assert_eq!(row(&en, "htx_avg_revenue").text, "4.6 billion VND");
        assert!(en.rows.iter().filter(|r| r.unit == Unit::BillionVnd && r.value >= 100.0).all(|r| !r.text.contains('.')), "{:?}", en.rows.iter().map(|r| &r.text).collect::<Vec<_>>());
        // A series that starts in the right half of the years (average profit: 2024–2025) names
        // its last figure only; one that starts early names both ends.
        let labels = |id: &str| {
            let c = p.trends.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no trend {id}"));
            c.option["series"][0]["data"].as_array().unwrap().iter().filter(|d| d["label"]["show"] == true).map(|d| d["label"]["align"].as_str().unwrap_or("").to_string()).collect::<Vec<_>>()
        };
        assert_eq!(labels("htx_avg_profit"), vec!["right"]);
        assert_eq!(labels("htx_total"), vec!["left", "right"]);
    }
}
