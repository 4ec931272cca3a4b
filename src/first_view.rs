//! The first view's changing parts as markup text: what the framework-free first-view wasm
//! (`crate::lean`, bin `coop-atlas-first`) writes into the pre-rendered copy of the first view
//! (scripts/prerender.mjs) so that a shared link shows its own figures, and answers its filters,
//! seconds before the Leptos app has arrived.
//!
//! Why text and not Leptos: the Leptos runtime and the code its views generate weigh about 160 KB
//! brotli on their own, the whole first-view budget of issue 13 (docs/performance.md, "Designs
//! measured"). The copy already holds everything that does not change with the view (the header,
//! the filter panel, the tab list, the map's toolbar); what changes — the headline cards, the chip
//! row, the map's provinces and legend, the table — is written from these functions.
//!
//! Each function mirrors one Leptos component (named on it) element for element, with the copy's
//! `pre-` prefix on ids and test ids: when the app takes over, its markup replaces this one without
//! a jump. A browser test (tests/e2e/first-view.test.mjs) compares the two on the same links, so
//! the two cannot drift apart unnoticed. Pure: tested natively with `cargo test`.

use crate::chips::{Chip, ChipTarget};
use crate::dashboard::{Card, Explanation, IndicatorPicker, MapView, Table, TableBy, TrendView, WayOut, ISLAND_COLOR, NO_DATA_COLOR};
use crate::engine::dataset::Meta;
use crate::engine::format::plain;
use crate::engine::markup::escape;
use crate::engine::url_state::ChartKind;
use crate::engine::vocab::Lang;
use crate::i18n::{t, Msg};
use crate::shapes::{Shapes, ViewBox, SELECTED_STROKE};

/// The prefix of ids and test ids in the pre-rendered copy (scripts/prerender.mjs): the live app's
/// elements, present at the same time, keep the plain ones.
pub const PRE: &str = "pre-";

/// How many cards show before "more indicators" (`ui::kpis::PRIMARY`).
pub const PRIMARY_CARDS: usize = 10;

/// Size of the archipelagos' labels and their stroke, in units of the whole map (768 wide), as
/// `ui::svg_map` draws them.
pub const ISLAND_FONT: f64 = 22.0;
/// See [`ISLAND_FONT`].
pub const ISLAND_STROKE: f64 = 4.0;

/// A card's unformatted value (`data-value`) as the app writes it: Rust's shortest round-trip
/// printing. `number` may print it another way (the first-view wasm asks the browser, whose
/// `String(x)` is the same digits for every value a card holds, and saves Rust's float printing).
fn card(c: &Card, lang: Lang, number: &dyn Fn(f64) -> String) -> String {
    let value = c.value.map(number).unwrap_or_default();
    let mut s = format!(
        "<li class=\"card\" data-testid=\"{PRE}kpi-{}\" data-value=\"{}\" data-n=\"{}\"><p class=\"label\">{}</p><p class=\"value\">{}</p>",
        escape(&c.id),
        escape(&value),
        c.n,
        escape(&c.label),
        escape(&c.text)
    );
    match &c.change_text {
        Some(txt) => {
            let class = match c.change {
                Some(d) if d > 0.0 => "meta chg up",
                Some(d) if d < 0.0 => "meta chg down",
                _ => "meta chg",
            };
            s.push_str(&format!("<p class=\"{class}\">{} {}</p>", escape(txt), t(lang, Msg::ChangeFromPrev)));
        }
        None => s.push_str("<p class=\"meta chg pending\" aria-hidden=\"true\"></p>"),
    }
    if let Some(txt) = &c.share_text {
        s.push_str(&format!("<p class=\"meta\">{} {}</p>", escape(txt), t(lang, Msg::ShareOfWhole)));
    }
    if let Some(txt) = &c.note {
        s.push_str(&format!("<p class=\"meta\">{}</p>", escape(txt)));
    }
    for txt in &c.targets {
        s.push_str(&format!("<p class=\"meta target\" data-testid=\"{PRE}kpi-target\">{}</p>", escape(txt)));
    }
    if let Some(txt) = &c.source {
        s.push_str(&format!(
            "<details class=\"meta card-source\"><summary>{}</summary>{}</details>",
            t(lang, Msg::Source),
            escape(txt)
        ));
    }
    s.push_str("</li>");
    s
}

/// The inside of the headline cards' section (`ui::kpis::Kpis`): its heading, the first
/// [`PRIMARY_CARDS`] cards and the others folded under "more indicators".
pub fn cards(list: &[Card], lang: Lang) -> String {
    cards_with(list, lang, &|v| v.to_string())
}

/// [`cards`], with `data-value` printed by `number`.
pub fn cards_with(list: &[Card], lang: Lang, number: &dyn Fn(f64) -> String) -> String {
    let (first, rest) = list.split_at(list.len().min(PRIMARY_CARDS));
    let ul = |cs: &[Card]| format!("<ul class=\"cards\">{}</ul>", cs.iter().map(|c| card(c, lang, number)).collect::<String>());
    let mut s = format!("<h2 id=\"{PRE}kpi-h\">{}</h2>{}", t(lang, Msg::Headline), ul(first));
    if !rest.is_empty() {
        s.push_str(&format!(
            "<details class=\"more-cards\"><summary>{} ({})</summary>{}</details>",
            t(lang, Msg::MoreIndicators),
            rest.len(),
            ul(rest)
        ));
    }
    s
}

/// The inside of the chip row (`ui::filters::ChipRow`): each active filter with its remove
/// button (the n-th chip removes the n-th filter of `crate::chips::shown`), "clear all" from two.
pub fn chips(list: &[Chip], lang: Lang) -> String {
    if list.is_empty() {
        return format!("<span class=\"hint\">{}</span>", t(lang, Msg::NoFilters));
    }
    let mut s = format!("<span class=\"hint\">{}:</span>", t(lang, Msg::ActiveFilters));
    for c in list {
        let label = escape(&c.label);
        s.push_str(&format!(
            "<span class=\"chip\" data-testid=\"{PRE}chip\">{label}<button type=\"button\" aria-label=\"{} {label}\">×</button></span>",
            t(lang, Msg::RemoveFilter)
        ));
    }
    if list.len() > 1 {
        s.push_str(&format!("<button type=\"button\" class=\"link\">{}</button>", t(lang, Msg::ClearAll)));
    }
    s
}

/// Which filter the `i`-th chip removes (for the chip row's clicks).
pub fn chip_target(list: &[Chip], i: usize) -> Option<&ChipTarget> {
    list.get(i).map(|c| &c.remove)
}

/// The dataset line of the header (`ui::header::DatasetLine`): the illustrative label (and the
/// way to the official figures, when the catalogue has them), the title and the source.
pub fn dataset_line(meta: &Meta, lang: Lang, official: bool) -> String {
    let mut s = format!("<div class=\"dataset-line\" data-testid=\"{PRE}dataset-line\">");
    if meta.illustrative {
        s.push_str(&format!(
            "<strong class=\"badge illustrative\" data-testid=\"{PRE}illustrative-label\">{}</strong>",
            t(lang, Msg::Illustrative)
        ));
        if official {
            s.push_str(&format!(
                "<button type=\"button\" class=\"link see-official\" data-testid=\"{PRE}see-official\">{}</button>",
                t(lang, Msg::SeeOfficial)
            ));
        }
    }
    let date = meta.source.date.as_ref().map(|d| format!(" ({d})")).unwrap_or_default();
    s.push_str(&format!(
        "<span class=\"dataset-title\">{}</span><span class=\"source\">{}: {}{}</span></div>",
        escape(meta.title.get(lang)),
        t(lang, Msg::Source),
        escape(meta.source.publisher.get(lang)),
        escape(&date)
    ));
    s
}

/// Why the view is empty or a filter is ignored, with the ways out (`ui::app::Explanations`);
/// empty when there is nothing to explain. The n-th button of a paragraph is its n-th way out.
pub fn explanations(list: &[Explanation], lang: Lang) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut s = format!("<div class=\"notices explain\" role=\"status\" data-testid=\"{PRE}explanations\">");
    for e in list {
        s.push_str(&format!("<p data-testid=\"{PRE}explanation\">{} ", escape(&e.message)));
        for w in &e.ways_out {
            let label = t(
                lang,
                match w {
                    WayOut::ClearArea => Msg::ClearArea,
                    WayOut::ClearRowFilters => Msg::ClearRowFilters,
                    WayOut::OtherDataset => Msg::OtherDataset,
                },
            );
            s.push_str(&format!("<button type=\"button\" class=\"btn small\" data-testid=\"{PRE}way-out\">{label}</button> "));
        }
        s.push_str("</p>");
    }
    s.push_str("</div>");
    s
}

/// `<option>`s of a select: `(value, label)`, the one equal to `current` selected.
pub fn options(list: &[(String, String)], current: &str) -> String {
    list.iter()
        .map(|(v, label)| {
            let sel = if v == current { " selected=\"\"" } else { "" };
            format!("<option value=\"{}\"{sel}>{}</option>", escape(v), escape(label))
        })
        .collect()
}

/// The map's provinces (`ui::svg_map::SvgMap`, the paths of `g.areas`): one focusable path per
/// province, filled with its class colour, named with its province and value.
pub fn map_areas(shapes: &Shapes, m: &MapView) -> String {
    shapes
        .areas
        .iter()
        .filter(|a| !a.label)
        .map(|a| {
            let area = m.area(&a.code);
            format!(
                "<path class=\"area\" d=\"{}\" fill=\"{}\" tabindex=\"0\" role=\"button\" aria-label=\"{}\" aria-pressed=\"{}\" data-code=\"{}\"></path>",
                a.d,
                area.map_or(NO_DATA_COLOR, |x| x.fill),
                escape(&area.map(|x| x.label()).unwrap_or_default()),
                area.is_some_and(|x| x.selected),
                escape(&a.code)
            )
        })
        .collect()
}

/// The outlines of the selected provinces (`g.outlines` of the map).
pub fn map_outlines(shapes: &Shapes, m: &MapView) -> String {
    m.areas
        .iter()
        .filter(|a| a.selected)
        .filter_map(|a| shapes.shape(&a.code))
        .map(|sh| format!("<path class=\"outline\" d=\"{}\" fill=\"none\" stroke=\"{SELECTED_STROKE}\"></path>", sh.d))
        .collect()
}

/// How much larger than the whole map's units a view box is: text and strokes keep their size on
/// screen whatever the zoom.
pub fn map_scale(vb: ViewBox) -> f64 {
    f64::from(vb.w) / 768.0
}

/// The archipelagos, labelled (`g.islands` of the map): Hoàng Sa and Trường Sa are always drawn
/// and named, as maps published in Vietnam do.
pub fn map_islands(shapes: &Shapes, m: &MapView, scale: f64) -> String {
    shapes
        .areas
        .iter()
        .filter(|a| a.label)
        .map(|a| {
            let label = m.labels.iter().find(|l| l.code == a.code);
            format!(
                "<g class=\"island\" data-code=\"{code}\"><path d=\"{d}\" fill=\"{ISLAND_COLOR}\" stroke=\"{ISLAND_COLOR}\"><title>{tip}</title></path><text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" font-size=\"{size}\" data-testid=\"{PRE}island-{lower}\">{text}</text></g>",
                code = escape(&a.code),
                d = a.d,
                tip = escape(&label.map(|l| l.tooltip.clone()).unwrap_or_default()),
                x = a.anchor[0],
                y = a.anchor[1],
                size = plain(ISLAND_FONT * scale, 1),
                lower = escape(&a.code.to_lowercase()),
                text = escape(&label.map(|l| l.text.clone()).unwrap_or_default()),
            )
        })
        .collect()
}

/// What follows the map box in the Map tab (`ui::map_tab::MapTab`): the legend, the hint, the
/// source and the map's warnings. Legend swatches are small SVG squares filled by attribute, as in
/// the copy: the page's CSP refuses a `style` attribute in markup.
pub fn map_after(m: &MapView, lang: Lang) -> String {
    let mut s = format!("<h4 class=\"visually-hidden\">{}</h4><ul class=\"legend\" data-testid=\"{PRE}map-legend\">", t(lang, Msg::Legend));
    for e in &m.legend {
        s.push_str(&format!(
            "<li><span class=\"swatch\"><svg viewBox=\"0 0 1 1\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"1\" height=\"1\" fill=\"{}\"></rect></svg></span>{}</li>",
            e.color,
            escape(&e.text)
        ));
    }
    s.push_str(&format!(
        "</ul><p class=\"hint\">{}</p><p class=\"source-note\" data-testid=\"{PRE}map-source\">{}: {}</p>",
        t(lang, Msg::MapHint),
        t(lang, Msg::Source),
        escape(&m.source)
    ));
    for w in &m.warnings {
        s.push_str(&format!("<p class=\"hint\">{}</p>", escape(w)));
    }
    s
}

/// Indicator columns per printed block of the table (`ui::table_tab::PRINT_COLUMNS`).
const PRINT_COLUMNS: usize = 5;

/// The Table tab (`ui::table_tab::TableTab`): its toolbar, the printed blocks, the table sorted by
/// `sort` (column, descending), the notes, the source and the illustrative label.
pub fn table_tab(tb: &Table, by: TableBy, sort: (usize, bool), lang: Lang) -> String {
    let l = lang;
    let sel = |b: TableBy| if b == by { " selected=\"\"" } else { "" };
    let mut s = format!(
        "<div class=\"table-tab\"><div class=\"toolbar\"><label class=\"field\"><span>{}</span><select data-testid=\"{PRE}table-by\"><option value=\"province\"{}>{}</option><option value=\"region\"{}>{}</option></select></label><button type=\"button\" class=\"btn small\" data-testid=\"{PRE}download-csv\">{}</button><button type=\"button\" class=\"btn small\" data-testid=\"{PRE}download-xlsx\" aria-busy=\"false\">{}</button></div>",
        t(l, Msg::RowsBy),
        sel(TableBy::Province),
        t(l, Msg::ByProvince),
        sel(TableBy::Region),
        t(l, Msg::ByRegion),
        t(l, Msg::DownloadCsv),
        t(l, Msg::DownloadXlsx)
    );
    s.push_str(&print_blocks(tb, l));
    let caption = escape(&tb.caption);
    s.push_str(&format!(
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{caption}\"><table data-testid=\"{PRE}data-table\"><caption>{caption}</caption><thead><tr>"
    ));
    let (scol, sdesc) = sort;
    for (i, c) in tb.columns.iter().enumerate() {
        let aria = if i == scol {
            if sdesc {
                "descending"
            } else {
                "ascending"
            }
        } else {
            "none"
        };
        s.push_str(&format!(
            "<th scope=\"col\" aria-sort=\"{aria}\" data-col=\"{}\"><button type=\"button\">{}</button></th>",
            escape(&c.id),
            escape(&c.label)
        ));
    }
    s.push_str("</tr></thead><tbody>");
    let view_profile = t(l, Msg::ViewProfile);
    for r in &tb.rows {
        let label = escape(&r.label);
        s.push_str(&format!(
            "<tr data-key=\"{}\"><th scope=\"row\"><button type=\"button\" class=\"link\" data-testid=\"{PRE}table-profile-link\" title=\"{view_profile}: {label}\">{label}</button></th>",
            escape(&r.key)
        ));
        for txt in &r.texts {
            s.push_str(&format!("<td>{}</td>", escape(txt)));
        }
        s.push_str("</tr>");
    }
    s.push_str(&format!("</tbody><tfoot><tr data-testid=\"{PRE}table-total\"><th scope=\"row\">{}</th>", t(l, Msg::Total)));
    for txt in &tb.total.texts {
        s.push_str(&format!("<td>{}</td>", escape(txt)));
    }
    s.push_str("</tr></tfoot></table></div>");
    for n in &tb.notes {
        s.push_str(&format!("<p class=\"hint\" data-testid=\"{PRE}table-note\">{}</p>", escape(n)));
    }
    s.push_str(&format!("<p class=\"source-note\">{}: {}</p>", t(l, Msg::Source), escape(&tb.source)));
    if tb.illustrative {
        s.push_str(&format!("<p class=\"badge illustrative\">{}</p>", t(l, Msg::Illustrative)));
    }
    s.push_str("</div>");
    s
}

/// The table as printed, in blocks of [`PRINT_COLUMNS`] indicators (`ui::table_tab::print_blocks`).
fn print_blocks(tb: &Table, l: Lang) -> String {
    let indicators = tb.columns.len().saturating_sub(1);
    let blocks = indicators.div_ceil(PRINT_COLUMNS);
    let name = escape(&tb.columns.first().map(|c| c.label.clone()).unwrap_or_default());
    let mut s = String::from("<div class=\"print-only table-print\" aria-hidden=\"true\">");
    for (b, from) in (0..indicators).step_by(PRINT_COLUMNS).enumerate() {
        let to = (from + PRINT_COLUMNS).min(indicators);
        let part = match l {
            Lang::Vi => format!("phần {} / {blocks}", b + 1),
            Lang::En => format!("part {} of {blocks}", b + 1),
        };
        let cells = |texts: &[String]| -> String {
            (from..to).map(|i| format!("<td>{}</td>", escape(texts.get(i).map(String::as_str).unwrap_or("")))).collect()
        };
        s.push_str(&format!(
            "<table class=\"table-print-block\" data-testid=\"{PRE}table-print-block\"><caption>{} ({part})</caption><thead><tr><th scope=\"col\">{name}</th>",
            escape(&tb.caption)
        ));
        for i in from..to {
            s.push_str(&format!("<th scope=\"col\">{}</th>", escape(&tb.columns.get(i + 1).map(|c| c.label.clone()).unwrap_or_default())));
        }
        s.push_str("</tr></thead><tbody>");
        for r in &tb.rows {
            s.push_str(&format!("<tr><th scope=\"row\">{}</th>{}</tr>", escape(&r.label), cells(&r.texts)));
        }
        s.push_str(&format!("</tbody><tfoot><tr><th scope=\"row\">{}</th>{}</tr></tfoot></table>", t(l, Msg::Total), cells(&tb.total.texts)));
    }
    s.push_str("</div>");
    s
}

/// Where a tooltip goes, in percent of the map's box, for a point in view box units: to the right
/// of points in the left third (`start`), to the left in the right third (`end`), centred between;
/// above the point, or below it in the top fifth. With the tooltip at most 60 % of the box wide
/// (style/main.css) it stays inside the box at every width.
pub fn tip_place(vb: ViewBox, anchor: [i32; 2]) -> (f64, f64, &'static str, bool) {
    let x = (f64::from(anchor[0] - vb.x) / f64::from(vb.w) * 100.0).clamp(3.0, 97.0);
    let y = (f64::from(anchor[1] - vb.y) / f64::from(vb.h) * 100.0).clamp(2.0, 98.0);
    let side = if x < 100.0 / 3.0 {
        "start"
    } else if x > 200.0 / 3.0 {
        "end"
    } else {
        "mid"
    };
    (x, y, side, y < 20.0)
}

/// The map toolbar's way to the profile of the one place chosen (`ui::profile_tab::ProfileLink`).
pub fn profile_button(name: &str, lang: Lang) -> String {
    format!("<button type=\"button\" class=\"btn small\" data-testid=\"{PRE}view-profile\">{}: {}</button>", t(lang, Msg::ViewProfile), escape(name))
}

/// What each chart is called in the Chart tab's selector.
pub fn chart_label(k: ChartKind) -> Msg {
    match k {
        ChartKind::Rank => Msg::ChartRank,
        ChartKind::Trend => Msg::ChartTrend,
        ChartKind::Composition => Msg::ChartMix,
        ChartKind::Compare => Msg::ChartCompare,
    }
}

/// The Chart tab before ECharts has arrived (`ui::chart_tab::ChartTab`, with `ui::echart::EChart`
/// while it loads): the toolbar, and for a trend (`trend`) its title, the chart's box with its
/// `.chart-fallback` (empty: [`crate::charts::svg::trend`] draws into it once its size is known),
/// the source and the illustrative label; for another chart, or a trend whose years are still on
/// their way, the box says the chart is loading, as the app's does.
pub fn chart_tab(kind: ChartKind, picker: &IndicatorPicker, trend: Option<&TrendView>, illustrative: bool, lang: Lang) -> String {
    let l = lang;
    let kinds: Vec<(String, String)> = ChartKind::ALL.iter().map(|k| (k.code().to_string(), t(l, chart_label(*k)).to_string())).collect();
    let mut s = format!(
        "<div class=\"chart-tab\"><div class=\"toolbar\"><label class=\"field\"><span>{}</span><select data-testid=\"{PRE}chart-kind\">{}</select></label><label class=\"field\"><span>{}</span><select data-testid=\"{PRE}indicator-select\">{}</select></label><button type=\"button\" class=\"btn small\" data-testid=\"{PRE}download-png\">{}</button></div>",
        t(l, Msg::ChartKind),
        options(&kinds, kind.code()),
        t(l, Msg::Indicator),
        options(&picker.options, &picker.current),
        t(l, Msg::DownloadPng)
    );
    let Some(tr) = trend else {
        s.push_str(&format!(
            "<div class=\"chart-box\"><div class=\"chart\" role=\"img\" aria-label=\"\" data-testid=\"{PRE}chart\"></div><p class=\"chart-loading\" role=\"status\" data-testid=\"{PRE}chart-loading\">{}</p></div></div>",
            t(l, Msg::LoadingChart)
        ));
        return s;
    };
    let title = escape(&tr.title);
    s.push_str(&format!(
        "<h3 data-testid=\"{PRE}chart-title\">{title}</h3><div class=\"chart-box\"><div class=\"chart\" role=\"img\" aria-label=\"{title}\" data-testid=\"{PRE}chart\"></div><div class=\"chart-fallback\" data-testid=\"{PRE}chart-fallback\"></div></div>"
    ));
    s.push_str(&format!("<p class=\"source-note\" data-testid=\"{PRE}chart-source\">{}: {}</p>", t(l, Msg::Source), escape(&tr.source)));
    if illustrative {
        s.push_str(&format!("<p class=\"badge illustrative\">{}</p>", t(l, Msg::Illustrative)));
    }
    s.push_str("</div>");
    s
}

/// A status line in a tab's place while the app that draws the tab is on its way.
pub fn loading_panel(lang: Lang) -> String {
    format!("<p class=\"status-line\" role=\"status\">{}</p>", t(lang, Msg::Loading))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::url_state::from_query;

    /// Every year of the bundled illustrative dataset, merged as the app merges them.
    fn all_years() -> crate::engine::dataset::Dataset {
        let mut years: Vec<_> = std::fs::read_dir("public/data/dtts-mn")
            .expect("bundled dataset")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.file_stem().and_then(|s| s.to_str()).is_some_and(|s| s.len() == 4 && s.parse::<u16>().is_ok()) && p.extension().is_some_and(|e| e == "json"))
            .collect();
        years.sort();
        let parse = |p: &std::path::PathBuf| {
            crate::engine::parse::parse_dataset(&std::fs::read(p).expect("year"), &crate::engine::parse::Limits::default()).expect("parses").dataset
        };
        years.iter().skip(1).fold(parse(&years[0]), |ds, p| ds.append(&parse(p)).expect("same dataset"))
    }

    #[test]
    fn the_chart_tab_names_its_trend_indicator_source_and_label() {
        let ds = all_years();
        let v = from_query("t=chart&ch=trend&r=tdmnpb").state;
        let tr = crate::dashboard::trend(&[&ds], &v, Lang::Vi);
        assert!(tr.years.len() >= 5, "{:?}", tr.years);
        assert!(tr.series[0].1.iter().all(|i| i.value.is_some()), "every year has a figure: {:?}", tr.series);
        let picker = crate::dashboard::indicator_picker(&ds, &v, Lang::Vi);
        let html = chart_tab(ChartKind::Trend, &picker, Some(&tr), ds.meta.illustrative, Lang::Vi);
        assert!(html.contains("<option value=\"trend\" selected=\"\">Xu hướng"), "{html}");
        assert_eq!(html.matches("<option value=\"trend\"").count(), 1);
        assert!(html.contains(&format!("data-testid=\"{PRE}indicator-select\"")), "{html}");
        assert!(html.contains(&format!("<h3 data-testid=\"{PRE}chart-title\">{}</h3>", escape(&tr.title))), "{html}");
        assert!(html.contains("Nguồn: ") && html.contains(&escape(&tr.source)), "{html}");
        assert!(ds.meta.illustrative && html.contains("Dữ liệu minh họa — không phải số liệu chính thức"), "{html}");
        assert!(html.contains("class=\"chart-fallback\""), "{html}");
        // English throughout in English.
        let en = chart_tab(ChartKind::Trend, &crate::dashboard::indicator_picker(&ds, &v, Lang::En), Some(&crate::dashboard::trend(&[&ds], &v, Lang::En)), true, Lang::En);
        assert!(en.contains("Source: ") && en.contains(">Trend over the years</option>"), "{en}");
        assert!(!en.contains("Nguồn"), "{en}");
        // Another chart, or a trend without its years yet: the toolbar, and the box says loading.
        let rank = chart_tab(ChartKind::Rank, &picker, None, true, Lang::Vi);
        assert!(rank.contains("<option value=\"rank\" selected=\"\">") && !rank.contains("<option value=\"trend\" selected"), "{rank}");
        assert!(rank.contains("class=\"chart-loading\"") && rank.contains(t(Lang::Vi, Msg::LoadingChart)), "{rank}");
        assert!(!rank.contains("chart-fallback") && !rank.contains("chart-title"), "{rank}");
    }

    fn sample() -> crate::engine::dataset::Dataset {
        let bytes = std::fs::read("public/data/dtts-mn/2024.json").expect("bundled year");
        crate::engine::parse::parse_dataset(&bytes, &crate::engine::parse::Limits::default()).expect("bundled year parses").dataset
    }

    #[test]
    fn cards_carry_test_ids_values_and_fold_after_ten() {
        let ds = sample();
        let v = from_query("k=htx").state;
        let list = crate::dashboard::cards(&ds, &v, Lang::Vi);
        let html = cards(&list, Lang::Vi);
        assert!(html.starts_with("<h2 id=\"pre-kpi-h\">Số liệu chính</h2><ul class=\"cards\">"), "{html}");
        let first = &list[0];
        assert!(html.contains(&format!("data-testid=\"pre-kpi-{}\" data-value=\"{}\"", first.id, first.value.unwrap())));
        assert_eq!(html.matches("<li class=\"card\"").count(), list.len());
        assert_eq!(html.contains("<details class=\"more-cards\">"), list.len() > PRIMARY_CARDS);
        // No previous year loaded: the change line keeps its place.
        assert!(html.contains("<p class=\"meta chg pending\" aria-hidden=\"true\"></p>"));
    }

    #[test]
    fn chips_escape_and_count() {
        let v = from_query("r=tn&k=htx").state;
        let list = crate::chips::shown(&v, Lang::En, true);
        let html = chips(&list, Lang::En);
        assert_eq!(html.matches("data-testid=\"pre-chip\"").count(), 2);
        assert!(html.ends_with("<button type=\"button\" class=\"link\">Clear all</button>"), "{html}");
        assert_eq!(chips(&[], Lang::Vi), "<span class=\"hint\">Chưa lọc: toàn bộ dữ liệu</span>");
        let odd = vec![Chip { label: "<b>\"x\"".into(), remove: ChipTarget::Sector }];
        assert!(chips(&odd, Lang::Vi).contains("&lt;b&gt;&quot;x&quot;"));
    }

    #[test]
    fn map_parts_name_every_province_and_label_the_archipelagos() {
        let ds = sample();
        let text = std::fs::read_to_string("public/geo/vn34-svg.tsv").expect("shapes");
        let shapes = Shapes::parse(&text).expect("shapes parse");
        let v = from_query("b=34&p=19").state;
        let m = crate::dashboard::map_view(&ds, &v, Lang::Vi);
        let areas = map_areas(&shapes, &m);
        assert_eq!(areas.matches("<path class=\"area\"").count(), shapes.areas.iter().filter(|a| !a.label).count());
        assert_eq!(areas.matches("aria-pressed=\"true\"").count(), 1, "one province selected");
        assert_eq!(map_outlines(&shapes, &m).matches("class=\"outline\"").count(), 1);
        let islands = map_islands(&shapes, &m, 1.0);
        assert!(islands.contains("data-testid=\"pre-island-hs\">QĐ. Hoàng Sa</text>"), "{islands}");
        assert!(islands.contains("data-testid=\"pre-island-ts\">QĐ. Trường Sa</text>"));
        let after = map_after(&m, Lang::Vi);
        assert!(after.contains("data-testid=\"pre-map-legend\"") && after.contains("Nguồn: "));
    }

    #[test]
    fn table_tab_has_a_row_per_province_and_a_total() {
        let ds = sample();
        let v = from_query("t=table&r=tdmnpb").state;
        let tb = crate::dashboard::table(&ds, &v, TableBy::Province, Lang::Vi);
        let html = table_tab(&tb, TableBy::Province, (0, false), Lang::Vi);
        assert_eq!(html.matches("data-testid=\"pre-table-profile-link\"").count(), tb.rows.len());
        assert!(html.contains("data-testid=\"pre-table-total\""));
        assert!(html.contains("aria-sort=\"ascending\""));
        assert_eq!(html.matches("<table class=\"table-print-block\"").count(), (tb.columns.len() - 1).div_ceil(PRINT_COLUMNS));
    }
}
