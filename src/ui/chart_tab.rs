//! The Chart tab: provinces ranked, the trend over the years, the composition by kind (of the
//! chosen indicator, or OCOP subjects when it cannot be split), and the selected provinces compared with their region and the whole dataset. Each
//! chart can be downloaded as PNG; the Table tab holds the same figures as text.

use leptos::prelude::*;

use crate::dashboard;
use crate::engine::url_state::ChartKind;
use crate::first_view::chart_label;
use crate::i18n::{t, Msg};

use super::echart::{ChartHandle, ChartLib, EChart};
use super::loader::Loader;
use super::map_tab::IndicatorSelect;
use super::state::AppState;
use super::web;

/// The Chart tab.
#[component]
pub fn ChartTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loader = expect_context::<Loader>();
    let lang = move || state.lang();
    let kind = move || state.view.with(|v| v.chart);

    // A trend needs every year: fetch the rest when this chart is shown, but only once the shown
    // year is in (the app asks for it first), so that the cards of a link that opens on a trend
    // do not share the first seconds of a slow connection with five other years.
    Effect::new(move |_| {
        if kind() == ChartKind::Trend && loader.catalog.with(|c| c.is_some()) {
            let id = state.view.with(|v| v.dataset.clone());
            if state.datasets.with(|m| m.contains_key(&id)) {
                loader.ensure(state, &id, &[], true);
            }
        }
    });

    let chart = Memo::new(move |_| {
        let loaded = state.current()?;
        let l = lang();
        Some(state.view.with(|v| dashboard::chart_view(&loaded.dataset, v, l)))
    });
    // Until ECharts is in, a trend of every year is drawn as SVG (charts::svg): never a trend
    // with years still on their way, which would read as years without figures.
    let lib = expect_context::<ChartLib>();
    let sketch = Memo::new(move |_| {
        if kind() != ChartKind::Trend || lib.ready.get() {
            return None;
        }
        let loaded = state.current().filter(|l| l.complete)?;
        let l = lang();
        Some(state.view.with(|v| dashboard::trend(&[&loaded.dataset], v, l)))
    });
    let handle = RwSignal::new(None::<ChartHandle>);
    let download = move |_| {
        let Some(c) = chart.get_untracked() else { return };
        if let Some(url) = handle.get_untracked().and_then(|h| h.png(&c.option, &c.foot)) {
            let _ = web::download_url(&format!("{}.png", c.file_stem), &url);
        }
    };

    view! {
        <div class="chart-tab">
            <div class="toolbar">
                <label class="field">
                    <span>{move || t(lang(), Msg::ChartKind)}</span>
                    <select data-testid="chart-kind" prop:value=move || kind().code()
                        on:change=move |ev| {
                            if let Some(k) = ChartKind::from_code(&event_target_value(&ev)) { state.update(|v| v.chart = k) }
                        }>
                        {ChartKind::ALL.iter().map(|&k| view! {
                            <option value=k.code() selected=move || kind() == k>{move || t(lang(), chart_label(k))}</option>
                        }).collect_view()}
                    </select>
                </label>
                // The composition splits the chosen indicator by kind (when it can be split).
                <IndicatorSelect/>
                <button type="button" class="btn small" data-testid="download-png" on:click=download>
                    {move || t(lang(), Msg::DownloadPng)}
                </button>
            </div>
            {move || chart.get().map(|c| view! { <h3 data-testid="chart-title">{c.title}</h3> })}
            <EChart option=Signal::derive(move || chart.get().map(|c| c.option)) handle=handle testid="chart"
                height=Signal::derive(move || chart.get().and_then(|c| c.height))
                sketch=Signal::derive(move || sketch.get())
                label=Signal::derive(move || chart.get().map(|c| c.title).unwrap_or_default())/>
            {move || chart.get().map(|c| {
                let l = lang();
                view! {
                    <p class="source-note" data-testid="chart-source">{t(l, Msg::Source)}": "{c.source}</p>
                    {c.illustrative.then(|| view! { <p class="badge illustrative">{t(l, Msg::Illustrative)}</p> })}
                    {c.notes.into_iter().map(|w| view! { <p class="hint">{w}</p> }).collect_view()}
                }
            })}
        </div>
    }
}
