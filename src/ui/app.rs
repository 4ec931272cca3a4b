//! The root component: provides the shared state, keeps the URL in sync, fetches what the view
//! needs, and lays out the page (header, filters, headline cards, tabs, footer). With `?embed=1`
//! only the active view and its source line are shown, for an iframe.

use leptos::prelude::*;

use crate::dashboard;
use crate::engine::provinces::registry;
use crate::engine::url_state;
use crate::i18n::{t, Msg};

use super::echart::ChartLib;
use super::filters::{ChipRow, Filters};
use super::header::{EmbedHead, Header};
use super::kpis::Kpis;
use super::loader::Loader;
use super::map_tab::MapShapes;
use super::state::{install_url_sync, AppState};
use super::tabs::Tabs;
use super::web;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::from_location();
    provide_context(state);
    install_url_sync(state);
    let loader = Loader::start(state);
    provide_context(loader);
    let charts = ChartLib::new();
    provide_context(charts);
    let shapes = MapShapes::new();
    provide_context(shapes);
    let own = super::own_data::OwnData::start(state);
    provide_context(own);
    // A link's device-local dataset this device does not have: its message is the whole view
    // (no filters, no loading line, no tabs with nothing in them).
    let missing = Memo::new(move |_| own.missing.with(|m| m.is_some()));
    super::print::install();

    // Province codes of the wrong boundary version in a link: drop them, say so.
    {
        let mut v = state.view.get_untracked();
        let notices = url_state::validate_against(&mut v, registry());
        if !notices.is_empty() {
            state.view.set(v);
            state.notices.update(|n| n.extend(notices));
        }
    }

    // The link's year and indicator, checked once against the dataset it names (its catalogue
    // entry for the years, the dataset itself for the indicators): a year or an indicator the
    // dataset does not have is replaced by the default with a notice, not silently. Only the
    // opening link: a later switch of dataset is the reader's own choice, not a link problem.
    let years_checked = StoredValue::new(false);
    let indicator_checked = StoredValue::new(false);
    Effect::new(move |_| {
        if years_checked.get_value() {
            return;
        }
        let Some(catalog) = loader.catalog.get() else { return };
        years_checked.set_value(true);
        let mut v = state.view.get_untracked();
        if v.local.is_some() || v.data_url.is_some() {
            return;
        }
        let Some(entry) = catalog.get(&v.dataset) else { return };
        let notices = url_state::validate_years(&mut v, &entry.years);
        if !notices.is_empty() {
            state.view.set(v);
            state.notices.update(|n| n.extend(notices));
        }
    });
    Effect::new(move |_| {
        if indicator_checked.get_value() {
            return;
        }
        let Some(loaded) = state.current() else { return };
        indicator_checked.set_value(true);
        let mut v = state.view.get_untracked();
        let defs = dashboard::indicator_defs(&loaded.dataset);
        let ids: Vec<&str> = defs.iter().map(|d| d.id.as_str()).collect();
        let notices = url_state::validate_indicator(&mut v, &ids);
        if !notices.is_empty() {
            state.view.set(v);
            state.notices.update(|n| n.extend(notices));
        }
    });

    // Fetch what the view needs: the dataset's year shown and the year before (for the change on
    // each card). Other years wait until a view needs them (the trend chart asks for all).
    Effect::new(move |_| {
        let Some(catalog) = loader.catalog.get() else { return };
        // A device-local (`ld=`) or fetched (`data=`) dataset replaces the bundled one: own_data.
        if state.view.with(|v| v.local.is_some() || v.data_url.is_some()) {
            return;
        }
        let (id, year) = state.view.with(|v| (v.dataset.clone(), v.year));
        let Some(entry) = catalog.get(&id).cloned() else {
            // A link to a dataset this app does not have: say which, show the default.
            let default = catalog.datasets[0].id.clone();
            state.load_error.set(Some((id.clone(), missing_dataset_message(&id, state.lang()))));
            state.update(|v| v.dataset = default);
            return;
        };
        let year = year.filter(|y| entry.years.contains(y)).or_else(|| entry.latest_year());
        let mut years: Vec<u16> = year.into_iter().collect();
        if let Some(y) = year.and_then(|y| y.checked_sub(1)).filter(|p| entry.years.contains(p)) {
            // Only after the shown year is in: the first view needs one file.
            if state.datasets.with(|m| m.contains_key(&id)) {
                years.push(y);
            }
        }
        loader.ensure(state, &id, &years, false);
    });

    // ECharts loads only when a chart is first shown (`EChart`); the map's shapes are preloaded by
    // the page's head script on a link that opens on the map (scripts/postbuild.mjs).

    let years = Signal::derive(move || state.current().map(|l| dashboard::dataset_years(&l.dataset)).unwrap_or_default());
    let cards = Memo::new(move |_| {
        let loaded = state.current()?;
        let lang = state.lang();
        let start = web::now_ms();
        let c = state.view.with(|v| dashboard::cards(&loaded.dataset, v, lang));
        set_timing("cards", web::now_ms() - start);
        Some(c)
    });
    // The pre-rendered first view stays until these cards (or an error) can replace it, and on the
    // Map tab until the map is drawn too (its shapes arrive alongside the dataset): the copy's map
    // never gives way to an empty box.
    // On a trend the copy may show the chart (the lean first view draws it, src/lean.rs): it stays
    // until every year is in here too, so that the same drawing replaces it (ui::echart).
    Effect::new(move |_| {
        let (tab, b, chart) = state.view.with(|v| (v.tab, v.boundary, v.chart));
        let map_done = tab != crate::engine::url_state::Tab::Map || shapes.settled(b);
        let trend_done = tab != crate::engine::url_state::Tab::Chart
            || chart != crate::engine::url_state::ChartKind::Trend
            || !web::copy_shows_chart()
            || state.current().is_some_and(|l| l.complete);
        if (cards.with(|c| c.is_some()) && map_done && trend_done) || state.load_error.with(|e| e.is_some()) || missing.get() {
            web::retire_prerender();
        }
    });
    // The title follows the view (indicator, place, year, dataset).
    Effect::new(move |_| {
        let lang = state.lang();
        let title = match state.current() {
            Some(l) => state.view.with(|v| dashboard::page_title(&l.dataset, v, lang)),
            None => match lang {
                crate::engine::vocab::Lang::Vi => "Atlas Kinh tế tập thể · Coop Atlas".to_string(),
                crate::engine::vocab::Lang::En => "Coop Atlas · Atlas of the collective economy".to_string(),
            },
        };
        super::state::set_document_title(&title);
    });
    // Memos, not closures over the whole view: a filter change must not re-create the header,
    // the filter panel (losing focus mid-typing) or the footer.
    let embed_memo = Memo::new(move |_| state.view.with(|v| v.embed));
    let embed = move || embed_memo.get();
    let lang = move || state.lang();

    view! {
        <a class="skip" href="#main">{move || t(lang(), Msg::Skip)}</a>
        {move || (!embed()).then(|| view! { <Header/> })}
        <Notices/>
        <super::offline::OfflineStatus/>
        <super::own_data::DataOriginBanner/>
        <main id="main" class=move || if embed() { "embed" } else { "" }>
            <div class="layout">
                {move || (!embed() && !missing.get()).then(|| view! { <Filters years=years/> })}
                <div class="content">
                    {move || (!embed()).then(|| view! { <super::print::PrintHead/> })}
                    {move || if embed() { view! { <EmbedHead/> }.into_any() } else { view! { <ChipRow/> }.into_any() }}
                    <Explanations/>
                    {move || match cards.get() {
                        Some(c) => view! {
                            <Kpis cards=c/>
                            <span data-testid="app-ready" hidden></span>
                        }.into_any(),
                        None if missing.get() => ().into_any(),
                        None => view! { <p class="status-line" role="status">{t(lang(), Msg::Loading)}</p> }.into_any(),
                    }}
                    {move || (!missing.get()).then(|| view! { <Tabs embed=embed()/> })}
                    {move || (!embed()).then(|| view! { <super::own_data::OwnDataPanel/> })}
                </div>
            </div>
        </main>
        {move || (!embed()).then(|| view! { <Footer/> })}
    }
}

/// Records how long a computation took, for the performance script (`window.__coopTimings`).
fn set_timing(name: &str, ms: f64) {
    use wasm_bindgen::JsValue;
    let global = js_sys::global();
    let key = JsValue::from_str("__coopTimings");
    let obj = match js_sys::Reflect::get(&global, &key) {
        Ok(v) if v.is_object() => v,
        _ => {
            let o = js_sys::Object::new().into();
            let _ = js_sys::Reflect::set(&global, &key, &o);
            o
        }
    };
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(name), &JsValue::from_f64(ms));
}

fn missing_dataset_message(id: &str, lang: crate::engine::vocab::Lang) -> String {
    match lang {
        crate::engine::vocab::Lang::Vi => format!("Liên kết dẫn tới bộ dữ liệu \"{id}\" nhưng ứng dụng không có bộ dữ liệu này; đang hiển thị bộ dữ liệu mặc định."),
        crate::engine::vocab::Lang::En => format!("The link names the dataset \"{id}\", which this app does not have; showing the default dataset."),
    }
}

/// Problems in the link that opened the page, and loading errors: shown, never fatal.
#[component]
fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = move || state.lang();
    view! {
        {move || {
            let notices = state.notices.get();
            (!notices.is_empty()).then(|| view! {
                <div class="notices" role="status" data-testid="url-notices">
                    <p>{t(lang(), Msg::NoticeTitle)}</p>
                    <ul>{notices.into_iter().map(|n| view! { <li>{n.message(lang())}</li> }).collect_view()}</ul>
                    <button type="button" class="link" on:click=move |_| state.notices.set(Vec::new())>{t(lang(), Msg::Dismiss)}</button>
                </div>
            })
        }}
        {move || state.load_error.get().map(|(id, e)| view! {
            <div class="error-box" role="alert" data-testid="load-error">
                <strong>{t(lang(), Msg::LoadError)}" ("{id}")"</strong>": "{e}
                <button type="button" class="link" on:click=move |_| state.load_error.set(None)>{t(lang(), Msg::Dismiss)}</button>
            </div>
        })}
    }
}

/// Why the view is empty or a filter is ignored, with the ways out (`dashboard::explanations`).
#[component]
fn Explanations() -> impl IntoView {
    use crate::dashboard::WayOut;
    let state = expect_context::<AppState>();
    let loader = expect_context::<super::loader::Loader>();
    let lang = move || state.lang();
    let items = Memo::new(move |_| {
        let loaded = state.current()?;
        let e = state.view.with(|v| dashboard::explanations(&loaded.dataset, v, state.lang()));
        (!e.is_empty()).then_some(e)
    });
    let act = move |w: WayOut| {
        // The first bundled dataset other than the one shown.
        let other = loader.catalog.with_untracked(|c| {
            let current = state.current_key();
            c.as_ref().and_then(|c| c.datasets.iter().find(|d| d.id != current).map(|d| d.id.clone()))
        });
        if w == WayOut::OtherDataset {
            if let Some(id) = other {
                state.open_bundled(id);
            }
            return;
        }
        state.update(|v| w.apply(v));
    };
    move || {
        items.get().map(|list| view! {
            <div class="notices explain" role="status" data-testid="explanations">
                {list.into_iter().map(|e| view! {
                    <p data-testid="explanation">{e.message}" "
                        {e.ways_out.into_iter().map(|w| {
                            let label = t(lang(), match w {
                                WayOut::ClearArea => Msg::ClearArea,
                                WayOut::ClearRowFilters => Msg::ClearRowFilters,
                                WayOut::OtherDataset => Msg::OtherDataset,
                            });
                            view! { <button type="button" class="btn small" data-testid="way-out" on:click=move |_| act(w)>{label}</button>" " }
                        }).collect_view()}
                    </p>
                }).collect_view()}
            </div>
        })
    }
}

/// Credits and the data-honesty line.
#[component]
fn Footer() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = move || state.lang();
    view! {
        <footer class="app-footer">
            <p>{move || t(lang(), Msg::PrivacyNote)}</p>
            <p>{move || t(lang(), Msg::MapCredit)}" "<span lang="en">"Made with Natural Earth."</span></p>
            <p><span lang="en">"Coop Atlas"</span>" · "<span lang="vi">"Atlas Kinh tế tập thể"</span>" — ECharts (Apache-2.0), Leptos (MIT)."</p>
        </footer>
    }
}
