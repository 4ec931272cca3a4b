//! The framework-free first view (bin `coop-atlas-first`, ≈ a third of the Leptos app's bytes):
//! on a link to a bundled dataset, it reads the link, fetches the catalogue, the year shown (packed)
//! and the map's shapes, writes the link's own figures into the pre-rendered copy of the first view
//! (scripts/prerender.mjs), shows it, and answers the filters, the tabs Map and Table, the map's
//! provinces and the language — seconds before the Leptos app has arrived on 3G. Then it starts the
//! Leptos app (`window.coopApp`, scripts/postbuild.mjs), which reads the same address bar and
//! takes over as it does from the copy (`ui::web::retire_prerender`), with the focus carried over.
//!
//! What it does not do itself — downloads, the year's play-through, the province search, the
//! charts but a trend (drawn as SVG, `charts::svg`), the Profile and Sources tabs — shows
//! "loading…" until the app is there (it was already started): nothing pretends to work. A link with own data (`ld=`, `data=`), an embed, or a link
//! whose problems need explaining (notices) goes to the app directly (`hand_over`).
//!
//! The markup comes from `crate::first_view` (pure, tested natively); this module is only the DOM
//! around it: fetching, the state of the view, and one delegated handler per event type.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use crate::catalog::{packed_path, Catalog};
use crate::chips::{self, Chip};
use crate::dashboard::{self, Explanation, TableBy, WayOut};
use crate::engine::classify::ClassSpec;
use crate::engine::dataset::Dataset;
use crate::engine::filter::Coverage;
use crate::engine::format::plain;
use crate::engine::provinces::registry;
use crate::charts::svg;
use crate::engine::url_state::{self, ChartKind, Tab, ViewState};
use crate::engine::vocab::{Boundary, Kind, Lang, Region, Sector};
use crate::engine::wire;
use crate::first_view::{self as fv, ISLAND_STROKE};
use crate::i18n::{t, Msg};
use crate::shapes::{Direction, Shapes};

/// The copy's content: what this module writes into and listens on.
const COPY: &str = "#prerender .prerender-copy";

/// Everything the first view knows.
struct Lean {
    view: ViewState,
    catalog: Catalog,
    /// Decoded years, by (dataset id, year; 0 for a dataset in one file).
    data: Vec<((String, u16), Rc<Dataset>)>,
    /// Paths in flight, so one is never fetched twice.
    fetching: Vec<String>,
    shapes: Vec<(Boundary, Rc<Shapes>)>,
    /// Whose provinces the copy's map holds.
    drawn: Boundary,
    /// The language the copy is written in.
    copy_lang: Lang,
    table_by: TableBy,
    sort: (usize, bool),
    /// The filter panel unfolded (on a phone).
    open: bool,
    /// The province whose tooltip shows.
    tip: Option<String>,
    /// The chips and explanations shown, for their buttons.
    chips: Vec<Chip>,
    explanations: Vec<Explanation>,
    /// The Map tab's panel, kept while another tab shows.
    map_panel: Option<Element>,
    /// The Leptos app is not started yet: a link opening on a trend first fetches its years (the
    /// app's ≈ 370 KB would share the connection with them), then starts it (`release_app`).
    app_waits: bool,
    /// The Leptos app has started: from now on it owns the view.
    stopped: bool,
}

thread_local! {
    static LEAN: RefCell<Option<Lean>> = const { RefCell::new(None) };
}

/// Runs `f` on the state unless it is absent or already borrowed (a handler re-entered through a
/// DOM call): the first view must never panic, a panic aborts the page.
fn with_lean<R>(f: impl FnOnce(&mut Lean) -> R) -> Option<R> {
    LEAN.with(|cell| cell.try_borrow_mut().ok().and_then(|mut g| g.as_mut().map(f)))
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

fn find(sel: &str) -> Option<Element> {
    document()?.query_selector(sel).ok().flatten()
}

fn find_all(sel: &str) -> Vec<Element> {
    let Some(list) = document().and_then(|d| d.query_selector_all(sel).ok()) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

/// The copy's element with test id `pre-<id>`.
fn tid(id: &str) -> Option<Element> {
    find(&format!("{COPY} [data-testid=\"{}{id}\"]", fv::PRE))
}

fn set_attr(el: &Element, name: &str, value: &str) {
    if el.get_attribute(name).as_deref() != Some(value) {
        let _ = el.set_attribute(name, value);
    }
}

fn flag_attr(el: &Element, name: &str, on: bool) {
    if on {
        set_attr(el, name, "");
    } else if el.has_attribute(name) {
        let _ = el.remove_attribute(name);
    }
}

fn set_text(el: &Element, text: &str) {
    if el.text_content().as_deref() != Some(text) {
        el.set_text_content(Some(text));
    }
}

fn global(name: &str) -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Starts the Leptos app (`window.coopApp`, idempotent; scripts/postbuild.mjs).
fn start_app() {
    if let Some(f) = global("coopApp").dyn_ref::<js_sys::Function>() {
        let _ = f.call0(&JsValue::NULL);
    }
}

/// The link is the app's to show: start it, and leave the copy as it is (hidden unless the head
/// script showed it for the default view).
fn hand_over(why: &str) {
    web_sys::console::info_1(&format!("Coop Atlas first view: {why}; the app shows this link").into());
    start_app();
}

/// Shows the copy's loading line ("Đang tải…") while the app is on its way, for what only the app
/// can do yet.
fn show_loading(lang: Lang) {
    if let Some(s) = find("#prerender > .prerender-status") {
        set_text(&s, t(lang, Msg::Loading));
        flag_attr(&s, "hidden", false);
    }
}

/// Starts a request. Its promise is taken in hand at once (`JsFuture` attaches its handlers): a
/// request that fails while another is awaited is then never an uncaught error of the page.
fn fetch(path: &str) -> Option<wasm_bindgen_futures::JsFuture> {
    Some(wasm_bindgen_futures::JsFuture::from(web_sys::window()?.fetch_with_str(path)))
}

/// The bytes of a response started by [`fetch`]; the error names the file.
async fn bytes_of(request: Option<wasm_bindgen_futures::JsFuture>, path: &str) -> Result<Vec<u8>, String> {
    let request = request.ok_or_else(|| format!("{path}: no window"))?;
    let resp: web_sys::Response = request
        .await
        .map_err(|_| format!("{path}: no connection"))?
        .dyn_into()
        .map_err(|_| format!("{path}: not a response"))?;
    if !resp.ok() {
        return Err(format!("{path}: HTTP {}", resp.status()));
    }
    let body = resp.array_buffer().map_err(|_| format!("{path}: unreadable"))?;
    let buf = wasm_bindgen_futures::JsFuture::from(body).await.map_err(|_| format!("{path}: cut off"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

fn shapes_path(b: Boundary) -> String {
    format!("geo/{}-svg.tsv", dashboard::map_name(b))
}

/// The map's shapes from a request started by [`fetch`]; the error names the file.
async fn shapes_of(request: Option<wasm_bindgen_futures::JsFuture>, path: &str) -> Result<Shapes, String> {
    let bytes = bytes_of(request, path).await?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{path}: not UTF-8"))?;
    Shapes::parse(&text).map_err(|e| format!("{path}: {e}"))
}

/// The catalogue, read by the browser's own JSON parser: serde_json would add about 8 KB
/// brotli to this wasm (the app's page reads it with `Catalog::parse`).
async fn catalog_of(req: Option<wasm_bindgen_futures::JsFuture>) -> Result<Catalog, String> {
    const PATH: &str = "data/catalog.json";
    let bad = |what: &str| format!("{PATH}: {what}");
    let resp: web_sys::Response = req
        .ok_or_else(|| bad("no window"))?
        .await
        .map_err(|_| bad("no connection"))?
        .dyn_into()
        .map_err(|_| bad("not a response"))?;
    if !resp.ok() {
        return Err(bad(&format!("HTTP {}", resp.status())));
    }
    let json = wasm_bindgen_futures::JsFuture::from(resp.json().map_err(|_| bad("unreadable"))?).await.map_err(|_| bad("not JSON"))?;
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let text = |o: &JsValue| crate::catalog::CatalogText {
        vi: get(o, "vi").as_string().unwrap_or_default(),
        en: get(o, "en").as_string().unwrap_or_default(),
    };
    let list = get(&json, "datasets");
    let list = list.dyn_ref::<js_sys::Array>().ok_or_else(|| bad("no datasets"))?;
    let mut datasets = Vec::new();
    for d in list.iter() {
        let id = get(&d, "id").as_string().ok_or_else(|| bad("a dataset without an id"))?;
        let years = get(&d, "years");
        let years = years.dyn_ref::<js_sys::Array>().map(|a| a.iter().filter_map(|y| y.as_f64()).filter(|y| (0.0..65536.0).contains(y)).map(|y| y as u16).collect()).unwrap_or_default();
        let files_obj = get(&d, "files");
        let mut files = std::collections::BTreeMap::new();
        for k in js_sys::Object::keys(files_obj.unchecked_ref::<js_sys::Object>()).iter() {
            if let (Some(key), Some(path)) = (k.as_string(), get(&files_obj, &k.as_string().unwrap_or_default()).as_string()) {
                files.insert(key, path);
            }
        }
        datasets.push(crate::catalog::CatalogEntry {
            id,
            title: text(&get(&d, "title")),
            illustrative: get(&d, "illustrative").as_bool().unwrap_or(false),
            boundary: get(&d, "boundary").as_f64().map_or(0, |b| b as u8),
            years,
            files,
        });
    }
    if datasets.is_empty() {
        return Err(bad("no dataset listed"));
    }
    Ok(Catalog { datasets })
}

/// The file holding `year` of a catalogue entry, with the key it is stored under.
fn file_of(catalog: &Catalog, id: &str, year: Option<u16>) -> Option<((String, u16), String)> {
    let entry = catalog.get(id)?;
    if let Some(all) = entry.files.get("all") {
        return Some(((id.to_string(), 0), all.clone()));
    }
    let y = year.filter(|y| entry.years.contains(y)).or_else(|| entry.latest_year())?;
    Some(((id.to_string(), y), entry.files.get(&y.to_string())?.clone()))
}

/// Entry point of `coop-atlas-first`.
pub fn start() {
    // A panic aborts this wasm (`panic = "abort"`): say why, and hand the page to the app so the
    // reader is never left with "loading…" (the app starts in its own wasm, untouched).
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        start_app();
    }));
    wasm_bindgen_futures::spawn_local(async {
        if let Err(why) = first_view().await {
            hand_over(&why);
        }
    });
}

async fn first_view() -> Result<(), String> {
    let w = web_sys::window().ok_or("no window")?;
    if find(COPY).is_none() {
        return Err("no pre-rendered copy in the page".into());
    }
    let query = w.location().search().unwrap_or_default();
    let parsed = url_state::from_query(query.trim_start_matches('?'));
    let mut view = parsed.state;
    if view.embed || view.local.is_some() || view.data_url.is_some() {
        return Err("an embed or own data".into());
    }
    // A link whose problems the app explains (notices) is the app's to show.
    if !parsed.notices.is_empty() || !url_state::validate_against(&mut view, registry()).is_empty() {
        return Err("the link has notices".into());
    }
    // Everything at once: the head script preloaded the catalogue and the default year, so these
    // requests are answered from what is already arriving. The map's shapes come after the lean
    // responds (`ensure_shapes`): the copy's 63 paths are the whole country's; a zoom or the
    // 34-province map follows them a moment later, and their bytes never delay the figures.
    let catalog_req = fetch("data/catalog.json");
    let catalog = catalog_of(catalog_req).await?;
    let Some(entry) = catalog.get(&view.dataset) else { return Err(format!("no bundled dataset {}", view.dataset)) };
    if !url_state::validate_years(&mut view, &entry.years).is_empty() {
        return Err("the link's year is not in the dataset".into());
    }
    let (key, json) = file_of(&catalog, &view.dataset, view.year).ok_or("the dataset has no file for the year")?;
    let path = packed_path(&json);
    let bytes = bytes_of(fetch(&path), &path).await?;
    let ds = wire::decode(&bytes).map_err(|e| format!("{path}: {e}"))?;
    drop(bytes);
    let defs = dashboard::indicator_defs(&ds);
    let ids: Vec<&str> = defs.iter().map(|d| d.id.as_str()).collect();
    if !url_state::validate_indicator(&mut view, &ids).is_empty() {
        return Err("the link's indicator is not in the dataset".into());
    }
    let lean = Lean {
        view,
        catalog,
        data: vec![(key, Rc::new(ds))],
        fetching: Vec::new(),
        shapes: Vec::new(),
        drawn: Boundary::P63,
        copy_lang: Lang::Vi,
        table_by: TableBy::Province,
        sort: (0, false),
        open: false,
        tip: None,
        chips: Vec::new(),
        explanations: Vec::new(),
        map_panel: None,
        app_waits: true,
        stopped: false,
    };
    LEAN.with(|cell| {
        if let Ok(mut g) = cell.try_borrow_mut() {
            *g = Some(lean);
        }
    });
    // Live first, then written in the same task (nothing is painted in between): what is drawn
    // at the size of its box (a trend) needs the copy shown.
    go_live();
    with_lean(|l| l.render(false)).ok_or("busy")?;
    mark_live();
    // The app now, unless the view waits for the years of a trend (then once they are in).
    if with_lean(|l| l.release_app()) == Some(true) {
        start_app();
    }
    Ok(())
}

/// The copy is the link's view now: shown, no longer inert, listened to; `first-live` on <html>
/// says so (scripts/perf-network.mjs times it as "the app responds").
fn go_live() {
    let Some(copy) = find(COPY) else { return };
    flag_attr(&copy, "inert", false);
    if let Some(s) = find("#prerender > .prerender-status") {
        flag_attr(&s, "hidden", true);
    }
    for (ty, f) in [
        ("change", on_change as fn(Event)),
        ("input", on_input),
        ("click", on_click),
        ("keydown", on_keydown),
        ("focusin", on_focus),
        ("pointerover", on_pointer_over),
        ("pointerout", on_pointer_out),
    ] {
        let c = Closure::<dyn FnMut(Event)>::new(f);
        let _ = copy.add_event_listener_with_callback(ty, c.as_ref().unchecked_ref());
        c.forget();
    }
    // Back and Forward (a tab or a dataset pushed an entry): the view follows the address bar.
    let pop = Closure::<dyn FnMut(Event)>::new(|_: Event| {
        let q = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let v = url_state::from_query(q.trim_start_matches('?')).state;
        with_lean(|l| {
            if !l.stopped && v.local.is_none() && v.data_url.is_none() && l.catalog.get(&v.dataset).is_some() {
                l.view = v;
                l.render(false);
            }
        });
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", pop.as_ref().unchecked_ref());
    }
    pop.forget();
    // The app calls this when it starts (ui::mount): from then on it owns the view, and the copy
    // does not react any more until the app replaces it.
    let stop = Closure::<dyn FnMut()>::new(|| {
        with_lean(|l| l.stopped = true);
        // `inert` takes the focus away: where it was is written down for the app
        // (`ui::web::retire_prerender` puts it on the same control of the live view).
        if let (Some(copy), Some(p)) = (find(COPY), find("#prerender")) {
            if let Some(a) = document().and_then(|d| d.active_element()).filter(|a| copy.contains(Some(a))) {
                let at = match a.get_attribute("data-code") {
                    Some(code) => format!("path.area[data-code=\"{code}\"]"),
                    None => a.get_attribute("data-testid").map(|id| format!("[data-testid=\"{}\"]", id.trim_start_matches(fv::PRE))).unwrap_or_default(),
                };
                set_attr(&p, "data-focus", &at);
            }
            flag_attr(&copy, "inert", true);
        }
    });
    let _ = js_sys::Reflect::set(&js_sys::global(), &JsValue::from_str("__coopFirstStop"), stop.as_ref());
    stop.forget();
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let list = root.class_list();
        let _ = list.add_2("prerendered", "first-live");
        let _ = list.remove_1("prerendered-no-panel");
    }
}

/// When the copy became the link's live view (scripts/perf-network.mjs reads it).
fn mark_live() {
    let now = web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0);
    let _ = js_sys::Reflect::set(&js_sys::global(), &JsValue::from_str("__coopFirstLive"), &JsValue::from_f64(now));
}

impl Lean {
    /// The dataset of the view's year, when it is in.
    fn dataset(&self) -> Option<Rc<Dataset>> {
        let (key, _) = file_of(&self.catalog, &self.view.dataset, self.view.year)?;
        self.data.iter().find(|(k, _)| *k == key).map(|(_, d)| Rc::clone(d))
    }

    fn shapes(&self, b: Boundary) -> Option<Rc<Shapes>> {
        self.shapes.iter().find(|(x, _)| *x == b).map(|(_, s)| Rc::clone(s))
    }

    /// Changes the view (a filter, a tab…) and shows it; `push` adds a history entry (as the app
    /// does for a new tab or dataset).
    fn update(&mut self, f: impl FnOnce(&mut ViewState)) {
        if self.stopped {
            return;
        }
        let before = self.view.clone();
        f(&mut self.view);
        if self.view == before {
            return;
        }
        let push = before.tab != self.view.tab || before.dataset != self.view.dataset;
        self.render(push);
    }

    /// Writes the whole view into the copy (what did not change is left alone, so focus stays).
    fn render(&mut self, push: bool) {
        let lang = self.view.lang;
        if lang != self.copy_lang {
            self.switch_copy_language(lang);
        }
        write_address(&self.view, push);
        let Some(ds) = self.dataset() else {
            // The year or dataset asked for is on its way: say so; `fetched` renders again.
            show_loading(lang);
            self.ensure_data();
            return;
        };
        if let Some(s) = find("#prerender > .prerender-status") {
            flag_attr(&s, "hidden", true);
        }
        if let Some(d) = document() {
            d.set_title(&dashboard::page_title(&ds, &self.view, lang));
        }
        self.render_header(&ds, lang);
        self.render_filters(&ds, lang);
        let filterable = dashboard::rows_filterable(&ds);
        self.chips = chips::shown(&self.view, lang, filterable);
        if let Some(row) = tid("chips") {
            row.set_inner_html(&fv::chips(&self.chips, lang));
            set_attr(&row, "aria-label", t(lang, Msg::ActiveFilters));
        }
        self.explanations = dashboard::explanations(&ds, &self.view, lang);
        let html = fv::explanations(&self.explanations, lang);
        match tid("explanations") {
            Some(el) if html.is_empty() => el.remove(),
            Some(el) => el.set_outer_html(&html),
            None if !html.is_empty() => {
                if let Some(k) = tid("kpis") {
                    let _ = k.insert_adjacent_html("beforebegin", &html);
                }
            }
            None => {}
        }
        if let Some(k) = tid("kpis") {
            let number = |v: f64| String::from(js_sys::Number::from(v).to_string_with_radix(10).unwrap_or_else(|_| js_sys::JsString::from("")));
            k.set_inner_html(&fv::cards_with(&dashboard::cards(&ds, &self.view, lang), lang, &number));
        }
        self.render_tabs(&ds, lang);
    }

    /// Swaps the copy's content for the one written in `lang` (scripts/prerender.mjs writes the
    /// English copy as `<template id="prerender-en">`); the current one is kept the same way.
    fn switch_copy_language(&mut self, lang: Lang) {
        let (Some(d), Some(copy)) = (document(), find(COPY)) else { return };
        let Some(next) = d.get_element_by_id(&format!("prerender-{}", lang.code())) else { return };
        let keep = format!("prerender-{}", self.copy_lang.code());
        if d.get_element_by_id(&keep).is_none() {
            if let Ok(t) = d.create_element("template") {
                let _ = t.set_attribute("id", &keep);
                if let Some(s) = find("#prerender > .prerender-status") {
                    let _ = t.set_attribute("data-status", &s.text_content().unwrap_or_default());
                }
                t.set_inner_html(&copy.inner_html());
                if let Some(p) = find("#prerender") {
                    let _ = p.append_child(&t);
                }
            }
        }
        // The kept copy may show the table: the map panel goes back in first.
        copy.set_inner_html(&next.inner_html());
        if let Some(s) = find("#prerender > .prerender-status") {
            if let Some(text) = next.get_attribute("data-status") {
                s.set_text_content(Some(&text));
            }
        }
        if let Some(root) = d.document_element() {
            set_attr(&root, "lang", lang.code());
        }
        self.copy_lang = lang;
        self.drawn = Boundary::P63;
        self.map_panel = None;
    }

    fn render_header(&self, ds: &Dataset, lang: Lang) {
        let key = self.view.dataset.as_str();
        if let Some(sel) = tid("dataset-select").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
            let list: Vec<(String, String)> =
                self.catalog.datasets.iter().map(|d| (d.id.clone(), d.title.get(lang).to_string())).collect();
            sel.set_inner_html(&fv::options(&list, key));
            sel.set_value(key);
        }
        if let (Some(el), Some(entry)) = (tid("dataset-choice"), self.catalog.get(key)) {
            set_text(&el, entry.title.get(lang));
        }
        let official = self.catalog.datasets.iter().any(|d| !d.illustrative);
        if let Some(line) = tid("dataset-line") {
            line.set_outer_html(&fv::dataset_line(&ds.meta, lang, official));
        }
    }

    fn render_filters(&self, ds: &Dataset, lang: Lang) {
        let v = &self.view;
        let years = dashboard::dataset_years(ds);
        let shown = v.year.filter(|y| years.contains(y)).or_else(|| years.last().copied());
        if let Some(f) = tid("year-field") {
            flag_attr(&f, "hidden", years.len() < 2);
        }
        if let Some(r) = tid("year-range") {
            set_attr(&r, "min", &years.first().copied().unwrap_or(0).to_string());
            set_attr(&r, "max", &years.last().copied().unwrap_or(0).to_string());
            let y = shown.map(|y| y.to_string()).unwrap_or_default();
            set_attr(&r, "aria-valuetext", &y);
            if let Ok(input) = r.dyn_into::<HtmlInputElement>() {
                input.set_value(shown.unwrap_or(0).to_string().as_str());
            }
        }
        if let Some(o) = tid("year-value") {
            set_text(&o, &shown.map(|y| y.to_string()).unwrap_or_default());
        }
        // Regions without figures are offered disabled, saying so (ui::filters::Filters).
        let coverage = Coverage::of(ds, v.boundary);
        if let Some(sel) = tid("region-select") {
            let options = find_all(&format!("{COPY} [data-testid=\"{}region-select\"] option", fv::PRE));
            for (opt, r) in options.iter().skip(1).zip(Region::ALL) {
                let covered = coverage.region(*r);
                flag_attr(opt, "disabled", !covered && v.region != Some(*r));
                let label = if covered { r.label(lang).to_string() } else { format!("{} — {}", r.label(lang), t(lang, Msg::NoData)) };
                set_text(opt, &label);
            }
            if let Ok(sel) = sel.dyn_into::<HtmlSelectElement>() {
                sel.set_value(v.region.map(|r| r.code()).unwrap_or(""));
            }
        }
        let filterable = dashboard::rows_filterable(ds);
        let hint = tid("rows-not-filterable");
        match (filterable, hint) {
            (true, Some(h)) => h.remove(),
            (false, None) => {
                if let Some(fs) = find(&format!("{COPY} fieldset.row-filters")) {
                    let html = format!(
                        "<p class=\"hint\" data-testid=\"{}rows-not-filterable\">{}</p>",
                        fv::PRE,
                        t(lang, Msg::RowFiltersNotApplicable)
                    );
                    let _ = fs.insert_adjacent_html("beforebegin", &html);
                }
            }
            _ => {}
        }
        if let Some(fs) = find(&format!("{COPY} fieldset.row-filters")) {
            flag_attr(&fs, "disabled", !filterable);
        }
        for k in Kind::ALL {
            if let Some(c) = tid(&format!("kind-{}", k.code())).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
                c.set_checked(v.kinds.contains(k));
            }
        }
        if let Some(sel) = tid("sector-select").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
            sel.set_value(v.sectors.first().map(|s| s.code()).unwrap_or(""));
        }
        for (_, key) in chips::FLAGS {
            if let Some(sel) = tid(&format!("flag-{key}")).and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
                sel.set_value(match chips::flag_get(v, key) {
                    Some(true) => "1",
                    Some(false) => "0",
                    None => "",
                });
            }
        }
        for (b, id) in [(Boundary::P63, "boundary-63"), (Boundary::P34, "boundary-34")] {
            if let Some(r) = tid(id).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
                r.set_checked(v.boundary == b);
            }
        }
        if let Some(panel) = find(&format!("{COPY} section.filters")) {
            flag_attr(&panel, "data-folded", !self.open);
        }
        if let Some(b) = tid("filters-toggle") {
            set_attr(&b, "aria-expanded", if self.open { "true" } else { "false" });
            set_text(&b, t(lang, if self.open { Msg::HideFilters } else { Msg::ShowFilters }));
        }
    }

    fn render_tabs(&mut self, ds: &Dataset, lang: Lang) {
        let tab = self.view.tab;
        for (t_, id) in TABS {
            if let Some(b) = tid(&format!("tab-{id}")) {
                set_attr(&b, "aria-selected", if t_ == tab { "true" } else { "false" });
                set_attr(&b, "tabindex", if t_ == tab { "0" } else { "-1" });
            }
        }
        let Some(panel) = find(&format!("{COPY} .tabs [role=tabpanel]")) else { return };
        let id = tab_id(tab);
        set_attr(&panel, "id", &format!("{}panel-{id}", fv::PRE));
        set_attr(&panel, "aria-labelledby", &format!("{}tab-{id}", fv::PRE));
        set_attr(&panel, "data-testid", &format!("{}panel-{id}", fv::PRE));
        // Keep the Map tab's toolbar and map (their focus, the paths) while another tab shows.
        if tab != Tab::Map && self.map_panel.is_none() {
            if let Some(map) = panel.query_selector(".map-tab").ok().flatten() {
                map.remove();
                self.map_panel = Some(map);
            }
        }
        match tab {
            Tab::Map => {
                if let Some(map) = self.map_panel.take() {
                    panel.set_inner_html("");
                    let _ = panel.append_child(&map);
                }
                self.render_map(ds, lang);
            }
            Tab::Table => {
                let mut tb = dashboard::table(ds, &self.view, self.table_by, lang);
                dashboard::sort_rows(&mut tb.rows, self.sort.0, self.sort.1);
                panel.set_inner_html(&fv::table_tab(&tb, self.table_by, self.sort, lang));
            }
            // A trend, drawn as SVG once every year is in (charts::svg), as the app draws it
            // until ECharts has arrived; the other charts are the app's (their box says loading).
            Tab::Chart => {
                let parts = if self.view.chart == ChartKind::Trend { self.all_years() } else { None };
                let tr = parts.map(|parts| {
                    let refs: Vec<&Dataset> = parts.iter().map(|p| &**p).collect();
                    dashboard::trend(&refs, &self.view, lang)
                });
                let picker = dashboard::indicator_picker(ds, &self.view, lang);
                panel.set_inner_html(&fv::chart_tab(self.view.chart, &picker, tr.as_ref(), ds.meta.illustrative, lang));
                if let (Some(tr), Some(b)) = (tr, tid("chart-fallback")) {
                    b.set_inner_html(&svg::trend(&tr, f64::from(b.client_width()), f64::from(b.client_height()), lang));
                }
            }
            // The profile and the sources are the app's: it was started already.
            _ => {
                panel.set_inner_html(&fv::loading_panel(lang));
                show_loading(lang);
            }
        }
    }

    fn render_map(&mut self, ds: &Dataset, lang: Lang) {
        let m = dashboard::map_view(ds, &self.view, lang);
        if let Some(sel) = tid("indicator-select").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
            let picker = dashboard::indicator_picker(ds, &self.view, lang);
            sel.set_inner_html(&fv::options(&picker.options, &picker.current));
            sel.set_value(&picker.current);
        }
        if let Some(sel) = tid("class-select").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
            let code = self.view.classes.code();
            let mut list = dashboard::class_choices(lang);
            list.push(("x".to_string(), t(lang, Msg::ClassCustom).to_string()));
            let current = if code.starts_with("x:") { "x".to_string() } else { code };
            sel.set_inner_html(&fv::options(&list, &current));
            sel.set_value(&current);
        }
        if let Some(h) = tid("map-title") {
            set_text(&h, &m.title);
        }
        // One province, or a region alone: the way to its profile (the app shows the profile).
        let v = &self.view;
        let place = (v.provinces.len() == 1 || (v.provinces.is_empty() && v.region.is_some())).then(|| crate::profile::place_name(v, lang));
        if let Some(old) = tid("view-profile") {
            old.remove();
        }
        if let (Some(name), Some(bar)) = (place, find(&format!("{COPY} .map-tab .toolbar"))) {
            let _ = bar.insert_adjacent_html("beforeend", &fv::profile_button(&name, lang));
        }
        let Some(svg) = tid("map-chart") else { return };
        set_attr(&svg, "aria-label", &m.title);
        let Some(shapes) = self.shapes(self.view.boundary) else {
            // Until the shapes arrive (fetched once the first view is live: the zoom, the
            // tooltips and the arrow keys need them), the copy's own paths show this map's
            // fills and names when they are its boundary version, the whole country even on a
            // zoomed link; the other version's paths are hidden, never shown with wrong fills.
            let own = self.drawn == self.view.boundary;
            if own {
                let _ = svg.remove_attribute("visibility");
                self.paint_areas(&m);
            } else {
                set_attr(&svg, "visibility", "hidden");
            }
            self.render_map_after(&m, lang);
            self.ensure_shapes(self.view.boundary);
            return;
        };
        let _ = svg.remove_attribute("visibility");
        let vb = shapes.zoom(&m.focus);
        let scale = fv::map_scale(vb);
        set_attr(&svg, "viewBox", &vb.to_string());
        set_attr(&svg, "stroke-width", &plain(0.6 * scale, 2));
        if let Some(g) = svg.query_selector("g.areas").ok().flatten() {
            if self.drawn != self.view.boundary {
                g.set_inner_html(&fv::map_areas(&shapes, &m));
                self.drawn = self.view.boundary;
            } else {
                self.paint_areas(&m);
            }
        }
        if let Some(g) = svg.query_selector("g.outlines").ok().flatten() {
            g.set_inner_html(&fv::map_outlines(&shapes, &m));
            set_attr(&g, "stroke-width", &plain(2.5 * scale, 2));
        }
        if let Some(g) = svg.query_selector("g.islands").ok().flatten() {
            g.set_inner_html(&fv::map_islands(&shapes, &m, scale));
            set_attr(&g, "stroke-width", &plain(ISLAND_STROKE * scale, 2));
        }
        self.render_map_after(&m, lang);
        self.render_tip(&m, &shapes);
    }

    /// The provinces' fills, names and states, attributes only: the focused province stays focused.
    fn paint_areas(&self, m: &dashboard::MapView) {
        for p in find_all(&format!("{COPY} svg g.areas path.area")) {
            let code = p.get_attribute("data-code").unwrap_or_default();
            let area = m.area(&code);
            set_attr(&p, "fill", area.map_or(dashboard::NO_DATA_COLOR, |a| a.fill));
            set_attr(&p, "aria-label", &area.map(|a| a.label()).unwrap_or_default());
            set_attr(&p, "aria-pressed", if area.is_some_and(|a| a.selected) { "true" } else { "false" });
        }
    }

    /// Legend, hint, source and warnings: everything after the map's box.
    fn render_map_after(&self, m: &dashboard::MapView, lang: Lang) {
        if let Some(map_box) = find(&format!("{COPY} .map-tab .map-box")) {
            while let Some(next) = map_box.next_element_sibling() {
                next.remove();
            }
            let _ = map_box.insert_adjacent_html("afterend", &fv::map_after(m, lang));
        }
    }

    /// The tooltip of the province (or archipelago) tapped, hovered or focused (ui::svg_map).
    fn render_tip(&self, m: &dashboard::MapView, shapes: &Shapes) {
        if let Some(old) = find(&format!("{COPY} .map-tip")) {
            old.remove();
        }
        let Some(code) = self.tip.as_deref() else { return };
        let (Some(shape), Some(map_box)) = (shapes.shape(code), find(&format!("{COPY} .map-box"))) else { return };
        let (text, source) = match m.area(code) {
            Some(a) => (a.label(), Some(m.source.clone())),
            None => match m.labels.iter().find(|l| l.code == code) {
                Some(l) => (l.tooltip.clone(), None),
                None => return,
            },
        };
        let (x, y, side, below) = fv::tip_place(shapes.zoom(&m.focus), shape.anchor);
        let Some(d) = document() else { return };
        let Ok(tip) = d.create_element("div") else { return };
        let _ = tip.set_attribute("class", &format!("map-tip {side}{}", if below { " below" } else { "" }));
        let _ = tip.set_attribute("data-testid", "map-tip");
        let _ = tip.set_attribute("aria-hidden", "true");
        let mut inner = format!("<strong>{}</strong>", crate::engine::markup::escape(&text));
        if let Some(s) = source {
            inner.push_str(&format!("<small>{}</small>", crate::engine::markup::escape(&s)));
        }
        tip.set_inner_html(&inner);
        if let Ok(h) = tip.clone().dyn_into::<HtmlElement>() {
            let style = h.style();
            let _ = style.set_property("left", &format!("{}%", plain(x, 1)));
            let _ = style.set_property("top", &format!("{}%", plain(y, 1)));
        }
        let _ = map_box.append_child(&tip);
    }

    /// Whether the Leptos app may start now (once: `true` the first time only). On a trend it waits
    /// while the dataset's years are being fetched: they are what the reader asked to see.
    fn release_app(&mut self) -> bool {
        let trend = self.view.tab == Tab::Chart && self.view.chart == ChartKind::Trend;
        if !self.app_waits || (trend && self.fetching.iter().any(|p| p.ends_with(".pack"))) {
            return false;
        }
        self.app_waits = false;
        true
    }

    /// Every year of the view's dataset (each file a year, or the one file), once they are all
    /// in; until then it fetches the missing ones. `None` too when the years are separate files
    /// one of which sets targets: `dashboard::trend` reads targets from a dataset given whole.
    fn all_years(&mut self) -> Option<Vec<Rc<Dataset>>> {
        let id = self.view.dataset.clone();
        let entry = self.catalog.get(&id)?;
        let years: Vec<Option<u16>> = if entry.files.contains_key("all") { vec![None] } else { entry.years.iter().map(|y| Some(*y)).collect() };
        let mut parts = Vec::new();
        for y in years {
            let key = file_of(&self.catalog, &id, y)?.0;
            match self.data.iter().find(|(k, _)| *k == key) {
                Some((_, d)) => parts.push(Rc::clone(d)),
                None => self.ensure_year(y),
            }
        }
        let whole = parts.len() == 1 || parts.iter().all(|p| p.targets.is_empty());
        (self.fetching.is_empty() && !parts.is_empty() && whole).then_some(parts)
    }

    /// Fetches the view's year (or dataset) when it is not in yet; renders again when it is.
    fn ensure_data(&mut self) {
        self.ensure_year(self.view.year);
    }

    /// Fetches a year of the view's dataset (`None`: its latest) when it is not in yet.
    fn ensure_year(&mut self, year: Option<u16>) {
        let Some((key, json)) = file_of(&self.catalog, &self.view.dataset, year) else { return };
        let path = packed_path(&json);
        let load = {
            let path = path.clone();
            async move { bytes_of(fetch(&path), &path).await.and_then(|b| wire::decode(&b).map_err(|e| format!("{path}: {e}"))) }
        };
        self.load_once(path, load, move |l, ds| l.data.push((key, Rc::new(ds))), "a dataset file could not be loaded");
    }

    fn ensure_shapes(&mut self, b: Boundary) {
        if self.shapes(b).is_some() {
            return;
        }
        let path = shapes_path(b);
        let load = {
            let path = path.clone();
            async move { shapes_of(fetch(&path), &path).await }
        };
        self.load_once(path, load, move |l, s| l.shapes.push((b, Rc::new(s))), "the map's shapes could not be loaded");
    }

    /// Fetches `path` once (`load`), keeps what it gives (`keep`) and renders again. A file that
    /// cannot be fetched or read is the app's to explain, with a way to try again (`why` is logged).
    fn load_once<T: 'static>(
        &mut self,
        path: String,
        load: impl std::future::Future<Output = Result<T, String>> + 'static,
        keep: impl FnOnce(&mut Lean, T) + 'static,
        why: &'static str,
    ) {
        if self.fetching.contains(&path) {
            return;
        }
        self.fetching.push(path.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = load.await;
            let ok = with_lean(|l| {
                l.fetching.retain(|p| *p != path);
                let Ok(value) = result else { return None };
                keep(l, value);
                if !l.stopped {
                    l.render(false);
                }
                Some(l.release_app())
            });
            match ok.flatten() {
                None => hand_over(why),
                Some(true) => start_app(),
                Some(false) => {}
            }
        });
    }
}

const TABS: [(Tab, &str); 5] =
    [(Tab::Map, "map"), (Tab::Chart, "chart"), (Tab::Table, "table"), (Tab::Profile, "profile"), (Tab::Sources, "sources")];

fn tab_id(tab: Tab) -> &'static str {
    TABS.iter().find(|(t_, _)| *t_ == tab).map_or("map", |(_, id)| id)
}

/// The address bar follows the view, as the app keeps it (`ui::state::install_url_sync`): the app
/// reads it when it starts, so it takes over with the view the reader has now.
fn write_address(v: &ViewState, push: bool) {
    let Some(w) = web_sys::window() else { return };
    let q = url_state::to_query(v);
    let current = w.location().search().unwrap_or_default();
    if current.trim_start_matches('?') == q {
        return;
    }
    let Ok(history) = w.history() else { return };
    let path = w.location().pathname().unwrap_or_default();
    let url = if q.is_empty() { path } else { format!("{path}?{q}") };
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

/// The copy's test id of an element (without `pre-`), or of its closest ancestor that has one.
fn testid_of(el: &Element) -> Option<String> {
    let holder = el.closest("[data-testid]").ok().flatten()?;
    Some(holder.get_attribute("data-testid")?.trim_start_matches(fv::PRE).to_string())
}

fn target(ev: &Event) -> Option<Element> {
    ev.target()?.dyn_into::<Element>().ok()
}

fn value_of(el: &Element) -> String {
    if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
        return s.value();
    }
    el.dyn_ref::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

fn on_change(ev: Event) {
    let Some(el) = target(&ev) else { return };
    let Some(id) = el.get_attribute("data-testid").map(|s| s.trim_start_matches(fv::PRE).to_string()) else { return };
    let value = value_of(&el);
    let checked = el.dyn_ref::<HtmlInputElement>().is_some_and(|i| i.checked());
    with_lean(|l| match id.as_str() {
        "region-select" => l.update(|v| v.region = Region::from_code(&value)),
        "sector-select" => l.update(|v| v.sectors = Sector::from_code(&value).into_iter().collect()),
        "year-range" => {
            if let Ok(y) = value.parse::<u16>() {
                let latest = l.dataset().map(|d| dashboard::dataset_years(&d)).and_then(|ys| ys.last().copied());
                l.update(|v| v.year = if Some(y) == latest { None } else { Some(y) });
            }
        }
        "boundary-63" | "boundary-34" => {
            let b = if id == "boundary-34" { Boundary::P34 } else { Boundary::P63 };
            l.update(|v| {
                if v.boundary != b {
                    v.provinces = dashboard::switch_provinces(&v.provinces, v.boundary, b, None);
                    v.boundary = b;
                }
            });
        }
        "indicator-select" => l.update(|v| v.indicator = value.clone()),
        "chart-kind" => {
            if let Some(k) = ChartKind::from_code(&value) {
                l.update(|v| v.chart = k);
            }
        }
        "class-select" => {
            if let Ok(spec) = ClassSpec::from_code(&value) {
                l.update(|v| v.classes = spec);
            }
        }
        "dataset-select" => {
            if l.catalog.get(&value).is_some() {
                l.update(|v| open_dataset(v, &value));
            }
        }
        "table-by" => {
            l.table_by = if value == "region" { TableBy::Region } else { TableBy::Province };
            l.render(false);
        }
        _ => {
            if let Some(code) = id.strip_prefix("kind-") {
                if let Some(k) = Kind::ALL.iter().copied().find(|k| k.code() == code) {
                    l.update(|v| {
                        v.kinds.retain(|x| *x != k);
                        if checked {
                            v.kinds.push(k);
                            crate::engine::order::sort(&mut v.kinds);
                        }
                    });
                }
            } else if let Some(key) = id.strip_prefix("flag-") {
                let b = match value.as_str() {
                    "1" => Some(true),
                    "0" => Some(false),
                    _ => None,
                };
                let key = chips::FLAGS.iter().map(|(_, k)| *k).find(|k| *k == key);
                if let Some(key) = key {
                    l.update(|v| chips::flag_set(v, key, b));
                }
            }
        }
    });
}

/// A bundled dataset, from its defaults (as the app's dataset switcher does).
fn open_dataset(v: &mut ViewState, id: &str) {
    v.dataset = id.to_string();
    v.indicator = ViewState::default().indicator;
    v.year = None;
}

fn on_input(ev: Event) {
    let Some(el) = target(&ev) else { return };
    match el.get_attribute("data-testid").as_deref().map(|s| s.trim_start_matches(fv::PRE)) {
        // The label follows the thumb; the view follows on release (`change`).
        Some("year-range") => {
            if let Some(o) = tid("year-value") {
                set_text(&o, &value_of(&el));
            }
        }
        // Searching provinces is the app's: the text typed is carried over to it.
        Some("province-search") => {
            if let Some(lang) = with_lean(|l| l.view.lang) {
                show_loading(lang);
            }
        }
        _ => {}
    }
}

fn on_click(ev: Event) {
    let Some(el) = target(&ev) else { return };
    // A province or an archipelago of the map.
    if let Some(code) = el.closest("[data-code]").ok().flatten().and_then(|a| a.get_attribute("data-code")) {
        let island = code == "HS" || code == "TS";
        with_lean(|l| {
            l.tip = Some(code.clone());
            if island {
                l.render(false);
            } else {
                toggle_province(l, &code);
            }
        });
        return;
    }
    let Some(button) = el.closest("button").ok().flatten() else { return };
    let id = testid_of(&button).unwrap_or_default();
    with_lean(|l| {
        let lang = l.view.lang;
        if button.closest(".chip").ok().flatten().is_some() {
            let i = find_all(&format!("{COPY} [data-testid=\"{}chip\"]", fv::PRE))
                .iter()
                .position(|c| c.contains(Some(&button)));
            if let Some(target) = i.and_then(|i| fv::chip_target(&l.chips, i)).cloned() {
                l.update(|v| chips::remove(v, &target));
            }
            return;
        }
        match id.as_str() {
            "chips" => l.update(chips::clear),
            "view-profile" => l.update(|v| v.tab = Tab::Profile),
            "filters-toggle" => {
                l.open = !l.open;
                l.render(false);
            }
            "lang-toggle" => l.update(|v| v.lang = if v.lang == Lang::Vi { Lang::En } else { Lang::Vi }),
            "see-official" => {
                if let Some(id) = l.catalog.datasets.iter().find(|d| !d.illustrative).map(|d| d.id.clone()) {
                    l.update(|v| open_dataset(v, &id));
                }
            }
            "way-out" => {
                // The paragraph the button is in, and which of its buttons it is.
                let para = button.closest("[data-testid]:not([data-testid$=\"way-out\"])").ok().flatten();
                let paras = find_all(&format!("{COPY} [data-testid=\"{}explanation\"]", fv::PRE));
                let found = para.and_then(|p| {
                    let i = paras.iter().position(|x| *x == p)?;
                    let buttons = p.query_selector_all("button").ok()?;
                    let j = (0..buttons.length()).position(|k| buttons.item(k).is_some_and(|n| n.is_same_node(Some(&button))))?;
                    l.explanations.get(i)?.ways_out.get(j).copied()
                });
                match found {
                    Some(WayOut::OtherDataset) => {
                        let current = l.view.dataset.clone();
                        if let Some(id) = l.catalog.datasets.iter().find(|d| d.id != current).map(|d| d.id.clone()) {
                            l.update(|v| open_dataset(v, &id));
                        }
                    }
                    Some(w) => l.update(|v| w.apply(v)),
                    None => {}
                }
            }
            _ => {
                if let Some(tab) = id.strip_prefix("tab-").and_then(|t_| TABS.iter().find(|(_, x)| *x == t_)).map(|(t_, _)| *t_) {
                    l.update(|v| v.tab = tab);
                } else if let Some(col) = button.closest("th[data-col]").ok().flatten() {
                    // A column of the table: sort by it (again: the other way).
                    let i = find_all(&format!("{COPY} [data-testid=\"{}data-table\"] thead th", fv::PRE)).iter().position(|th| *th == col);
                    if let Some(i) = i {
                        l.sort = if l.sort.0 == i { (i, !l.sort.1) } else { (i, i != 0) };
                        l.render(false);
                    }
                } else {
                    // Downloads, the year's play-through, profiles, sharing: the app's, on its way.
                    show_loading(lang);
                }
            }
        }
    });
}

fn toggle_province(l: &mut Lean, code: &str) {
    let b = l.view.boundary;
    if registry().by_code(b, code).is_none() {
        return;
    }
    let code = code.to_string();
    l.update(|v| match v.provinces.iter().position(|c| *c == code) {
        Some(i) => {
            v.provinces.remove(i);
        }
        None => v.provinces.push(code.clone()),
    });
}

fn on_keydown(ev: Event) {
    let Some(el) = target(&ev) else { return };
    let Some(code) = el.closest("path.area[data-code]").ok().flatten().and_then(|p| p.get_attribute("data-code")) else { return };
    let Some(key) = ev.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else { return };
    if key == "Enter" || key == " " {
        ev.prevent_default();
        with_lean(|l| {
            l.tip = Some(code.clone());
            toggle_province(l, &code);
        });
    } else if let Some(dir) = Direction::from_key(&key) {
        ev.prevent_default();
        // The next province is found inside the state, focused outside it: focusing runs the
        // focus handler, which reads the state too.
        let next = with_lean(|l| l.shapes(l.view.boundary).and_then(|s| s.neighbour(&code, dir).map(str::to_string))).flatten();
        if let Some(next) = next {
            if let Some(p) = find(&format!("{COPY} path.area[data-code=\"{next}\"]")) {
                if let Ok(f) = js_sys::Reflect::get(&p, &JsValue::from_str("focus")) {
                    if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                        let _ = f.call0(&p);
                    }
                }
            }
        }
    }
}

/// Shows the tooltip of the province or archipelago `code` (None: none).
fn show_tip(code: Option<String>) {
    with_lean(|l| {
        if l.tip == code || l.stopped {
            return;
        }
        l.tip = code;
        if let (Some(ds), Some(shapes)) = (l.dataset(), l.shapes(l.view.boundary)) {
            let m = dashboard::map_view(&ds, &l.view, l.view.lang);
            l.render_tip(&m, &shapes);
        }
    });
}

fn code_of(ev: &Event) -> Option<String> {
    target(ev)?.closest("svg [data-code]").ok().flatten()?.get_attribute("data-code")
}

fn on_focus(ev: Event) {
    if let Some(code) = code_of(&ev) {
        show_tip(Some(code));
    }
}

fn on_pointer_over(ev: Event) {
    if let Some(code) = code_of(&ev) {
        show_tip(Some(code));
    }
}

fn on_pointer_out(ev: Event) {
    // A finger lifting leaves the province at once: its tooltip stays.
    let touch = ev.dyn_ref::<web_sys::PointerEvent>().is_some_and(|p| p.pointer_type() == "touch");
    if !touch && code_of(&ev).is_some() {
        show_tip(None);
    }
}
