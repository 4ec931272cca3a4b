//! The header: app name, the active dataset with its source (and the illustrative-data label when it
//! applies), the dataset switcher, the language toggle and the Share button.

use leptos::prelude::*;

use crate::dashboard;
use crate::engine::url_state;
use crate::engine::vocab::Lang;
use crate::i18n::{t, Msg};

use super::loader::Loader;
use super::state::AppState;
use super::web;

/// The page header.
#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loader = expect_context::<Loader>();
    let own = expect_context::<super::own_data::OwnData>();
    let lang = move || state.lang();

    let switch_lang = move |_| {
        state.update(|v| v.lang = if v.lang == Lang::Vi { Lang::En } else { Lang::Vi });
    };
    let share = move |_| {
        // Data that exists only on this device: the dialog says so and offers what works.
        if state.view.with_untracked(|v| v.local.is_some()) {
            own.start_share();
            return;
        }
        let url = format!("{}{}", web::location_base(), {
            let q = web::location_query();
            if q.is_empty() { String::new() } else { format!("?{q}") }
        });
        leptos::task::spawn_local(async move {
            let lang = state.lang();
            // A link to generated data says so where it is shared from, too.
            let label = state
                .current()
                .filter(|l| l.dataset.meta.illustrative)
                .map(|_| format!(" — {}", t(lang, Msg::Illustrative)))
                .unwrap_or_default();
            if web::copy_to_clipboard(&url).await {
                state.flash.set(Some(format!("{}{label}", t(lang, Msg::LinkCopied))));
            } else {
                state.flash.set(Some(format!("{}: {url}{label}", t(lang, Msg::CopyThisLink))));
            }
        });
    };

    let datasets = move || {
        loader.catalog.with(|c| {
            c.as_ref()
                .map(|c| c.datasets.iter().map(|d| (d.id.clone(), d.title.get(lang()).to_string(), d.illustrative)).collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .into_iter()
        .chain(super::own_data::switcher_entries(state))
        .collect::<Vec<_>>()
    };
    let on_dataset = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        state.update(|v| {
            // `local:<id>` and `url:<address>` entries come from own_data (datasets not bundled).
            if super::own_data::select_entry(v, &id) {
                return;
            }
            if v.dataset != id || v.local.is_some() || v.data_url.is_some() {
                v.local = None;
                v.data_url = None;
                v.dataset = id;
                // Indicators and years belong to a dataset: start its view from its defaults.
                v.indicator = crate::engine::url_state::ViewState::default().indicator;
                v.year = None;
            }
        });
    };

    view! {
        <header class="app-header">
            <div class="brand">
                <h1 data-testid="app-title">{move || t(lang(), Msg::AppName)}</h1>
                <p class="tagline">{move || t(lang(), Msg::AppTagline)}</p>
            </div>
            <div class="header-controls">
                <label class="field dataset-field">
                    <span>{move || t(lang(), Msg::Dataset)}</span>
                    // A select cannot wrap its text: a dataset's title (60–80 characters) was cut at
                    // a third on a phone. The chosen title is written in a box that wraps, and the
                    // select lies over it, transparent: a tap or a key still opens the native list.
                    <span class="dataset-pick">
                        <span class="dataset-pick-text" aria-hidden="true" data-testid="dataset-choice">{move || {
                            let key = state.current_key();
                            datasets().into_iter().find(|(id, _, _)| *id == key).map(|(_, title, _)| title).unwrap_or_default()
                        }}</span>
                        <select data-testid="dataset-select" on:change=on_dataset
                            prop:value=move || state.current_key()>
                            {move || datasets().into_iter().map(|(id, title, _)| {
                                let selected = state.current_key() == id;
                                view! { <option value=id.clone() selected=selected>{title}</option> }
                            }).collect_view()}
                        </select>
                    </span>
                </label>
                <button type="button" class="btn" data-testid="lang-toggle" on:click=switch_lang
                    lang=move || if lang() == Lang::Vi { "en" } else { "vi" }>
                    {move || t(lang(), Msg::OtherLanguage)}
                </button>
                <button type="button" class="btn primary" data-testid="share" on:click=share>
                    {move || t(lang(), Msg::Share)}
                </button>
            </div>
            <super::own_data::ShareLocal/>
            <DatasetLine/>
            {move || state.flash.get().map(|m| view! {
                <p class="flash" role="status" data-testid="flash">{m}
                    <button type="button" class="link" on:click=move |_| state.flash.set(None)>{t(lang(), Msg::Dismiss)}</button>
                </p>
            })}
        </header>
    }
}

/// The active dataset's title and source, and the illustrative label when it applies. Shown in the
/// header and, in embed mode, under the view: a figure never travels without its source.
#[component]
pub fn DatasetLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loader = expect_context::<Loader>();
    let lang = move || state.lang();
    // From the illustrative label, the way to the official figures: the first bundled dataset
    // that is not illustrative.
    let official = move || {
        loader.catalog.with(|c| c.as_ref().and_then(|c| c.datasets.iter().find(|d| !d.illustrative).map(|d| d.id.clone())))
    };
    let to_official = move |_| {
        if let Some(id) = official() {
            state.open_bundled(id);
        }
    };
    move || {
        let loaded = state.current()?;
        let meta = loaded.dataset.meta.clone();
        let l = lang();
        Some(view! {
            <div class="dataset-line" data-testid="dataset-line">
                {meta.illustrative.then(|| view! {
                    <strong class="badge illustrative" data-testid="illustrative-label">{t(l, Msg::Illustrative)}</strong>
                    {official().is_some().then(|| view! {
                        <button type="button" class="link see-official" data-testid="see-official" on:click=to_official>{t(l, Msg::SeeOfficial)}</button>
                    })}
                })}
                <span class="dataset-title">{meta.title.get(l).to_string()}</span>
                <span class="source">
                    {t(l, Msg::Source)}": "{meta.source.publisher.get(l).to_string()}
                    {meta.source.date.clone().map(|d| format!(" ({d})"))}
                </span>
            </div>
        })
    }
}

/// The head of an embedded view (`embed=1`), which has no header and no filter panel: what data,
/// from whom, which year and which filters the figures below are for, and a link to open the same
/// view in the full app. Why: an embed is read on another site, where a region's figures with no
/// word of the region would read as the whole country's.
#[component]
pub fn EmbedHead() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = move || state.lang();
    move || {
        let loaded = state.current()?;
        let l = lang();
        let (what, full) = state.view.with(|v| {
            let mut parts: Vec<String> = dashboard::view_year(&loaded.dataset, v).map(|y| format!("{} {y}", t(l, Msg::Year))).into_iter().collect();
            let chips = super::filters::chips(v, l);
            if chips.is_empty() {
                parts.push(t(l, Msg::NoFilters).to_string());
            } else {
                parts.extend(chips.into_iter().map(|c| c.label));
            }
            let mut whole = v.clone();
            whole.embed = false;
            let q = url_state::to_query(&whole);
            (parts.join(" · "), format!("{}{}", web::location_base(), if q.is_empty() { String::new() } else { format!("?{q}") }))
        });
        Some(view! {
            <div class="embed-head" data-testid="embed-head">
                <DatasetLine/>
                <p class="embed-view"><span data-testid="embed-filters">{what}</span>" "
                    <a href=full target="_blank" rel="noopener" data-testid="embed-open">{t(l, Msg::OpenInAtlas)}</a>
                </p>
            </div>
        })
    }
}
