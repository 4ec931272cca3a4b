//! Printing and saving as PDF: the "In / Lưu PDF" button, and charts drawn at the page's width for
//! print. ECharts draws to a canvas of the screen's width; printed as is, a chart wider than A4 is
//! cut or shrunk as a picture. Before printing (`beforeprint`, and `matchMedia('print')` for a PDF
//! made by a browser's automation, which fires no `beforeprint`) every chart is given the width of
//! an A4 portrait page's text and redrawn; after printing it follows its container again.
//!
//! Every printed page of a tab carries a heading ([`PrintHead`]; the profile has its own, richer
//! one in `profile_tab.rs`): what is shown, the place, the year, the dataset, its source and the
//! date the page was produced. A sheet that leaves the printer alone still says what it is.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::dashboard;
use crate::engine::url_state::Tab;
use crate::i18n::{t, Msg};
use crate::profile;

use super::state::AppState;

/// The text width of A4 portrait with 12 mm side margins (186 mm at 96 px per inch), px.
const PRINT_WIDTH_PX: u32 = 700;

/// Redraws every chart on the page for print (`true`) or for the screen (`false`).
fn size_charts(print: bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(list) = doc.query_selector_all(".chart") else { return };
    let echarts = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("echarts")).ok().filter(|e| e.is_object());
    for i in 0..list.length() {
        let Some(el) = list.item(i) else { continue };
        if let Ok(style) = js_sys::Reflect::get(&el, &JsValue::from_str("style")) {
            let method = if print { "setProperty" } else { "removeProperty" };
            if let Ok(f) = js_sys::Reflect::get(&style, &JsValue::from_str(method)).and_then(|f| f.dyn_into::<js_sys::Function>()) {
                let _ = if print {
                    f.call2(&style, &JsValue::from_str("width"), &JsValue::from_str(&format!("{PRINT_WIDTH_PX}px")))
                } else {
                    f.call1(&style, &JsValue::from_str("width"))
                };
            }
        }
        // The chart's instance, if drawn: `echarts.getInstanceByDom(el).resize()`.
        let Some(e) = echarts.as_ref() else { continue };
        let Ok(get) = js_sys::Reflect::get(e, &JsValue::from_str("getInstanceByDom")).and_then(|f| f.dyn_into::<js_sys::Function>()) else { continue };
        let Ok(inst) = get.call1(e, &el) else { continue };
        if !inst.is_object() {
            continue;
        }
        if let Ok(resize) = js_sys::Reflect::get(&inst, &JsValue::from_str("resize")).and_then(|f| f.dyn_into::<js_sys::Function>()) {
            let _ = resize.call0(&inst);
        }
    }
}

/// Installs the print sizing, once per page (the listeners live as long as the page).
pub fn install() {
    let Some(w) = web_sys::window() else { return };
    for (event, print) in [("beforeprint", true), ("afterprint", false)] {
        let f = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| size_charts(print));
        let _ = w.add_event_listener_with_callback(event, f.as_ref().unchecked_ref());
        f.forget();
    }
    if let Ok(Some(mq)) = w.match_media("print") {
        let target = mq.clone();
        let f = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| size_charts(target.matches()));
        let _ = mq.add_event_listener_with_callback("change", f.as_ref().unchecked_ref());
        f.forget();
    }
}

/// The "In / Lưu PDF" button: the browser's print dialog, where "Save as PDF" is one destination.
#[component]
pub fn PrintButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <button type="button" class="btn small no-print" data-testid="print" on:click=move |_| {
            size_charts(true);
            if let Some(w) = web_sys::window() { let _ = w.print(); }
        }>{move || t(state.lang(), Msg::PrintPdf)}</button>
    }
}

/// Today's date (`YYYY-MM-DD`): the date a printed page was produced.
pub fn today() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}

/// The heading of every printed page of the map, chart, table and sources tabs: hidden on screen
/// (the header says the same among the controls), fixed at the top of each printed page
/// (style/main.css `@media print`). No heading while the data is missing: there is nothing to print.
#[component]
pub fn PrintHead() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let v = state.view.get();
        if v.tab == Tab::Profile {
            return None;
        }
        let loaded = state.current()?;
        let ds = &loaded.dataset;
        let l = v.lang;
        let tab = match v.tab {
            Tab::Map => Msg::TabMap,
            Tab::Chart => Msg::TabChart,
            Tab::Table => Msg::TabTable,
            Tab::Sources | Tab::Profile => Msg::TabSources,
        };
        let what = match (v.tab, dashboard::current_indicator(ds, &v)) {
            (Tab::Sources, _) | (_, None) => t(l, tab).to_string(),
            (_, Some(id)) => format!("{}: {}", t(l, tab), dashboard::def_of(ds, &id).label.get(l)),
        };
        let year = dashboard::view_year(ds, &v).map(|y| format!(" · {} {y}", t(l, Msg::Year))).unwrap_or_default();
        Some(view! {
            <header class="print-head print-only" data-testid="print-head">
                <h2>{t(l, Msg::AppName)}" — "{what}</h2>
                <p>{profile::place_name(&v, l)}{year}" · "{t(l, Msg::Dataset)}": "{ds.meta.title.get(l).to_string()}</p>
                <p>{t(l, Msg::Source)}": "{dashboard::dataset_source(ds, l)}" · "{t(l, Msg::ProducedOn)}" "<span class="date">{today()}</span></p>
                {ds.meta.illustrative.then(|| view! { <p class="badge illustrative">{t(l, Msg::Illustrative)}</p> })}
            </header>
        })
    }
}
