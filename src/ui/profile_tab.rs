//! The Profile tab (`t=profile`): renders `profile::profile` — the place's figures with their
//! changes and standing, small trends, the composition by kind and by sector, a map locating the
//! place, what the dataset does not cover (and the years that could not be loaded) and every
//! source — in sections that print one after the other on A4 (style/main.css `@media print`).
//! The heading block repeats on every printed page.

use leptos::prelude::*;

use crate::dashboard;
use crate::i18n::{t, Msg};
use crate::profile::{self, Profile};

use super::echart::EChart;
use super::loader::Loader;
use super::map_tab::MapShapes;
use super::print::{today, PrintButton};
use super::state::AppState;
use super::svg_map::SvgMap;

/// The Profile tab.
#[component]
pub fn ProfileTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loader = expect_context::<Loader>();
    let shapes = expect_context::<MapShapes>();
    let lang = move || state.lang();
    let boundary = move || state.view.with(|v| v.boundary);

    // Changes since the first year and the trends need every year: fetched once the shown year
    // is in (the app asks for it first), so the headline figures come first on a slow connection.
    Effect::new(move |_| {
        if loader.catalog.with(|c| c.is_some()) && state.view.with(|v| v.local.is_none() && v.data_url.is_none()) {
            let id = state.view.with(|v| v.dataset.clone());
            if state.datasets.with(|m| m.contains_key(&id)) {
                loader.ensure(state, &id, &[], true);
            }
        }
    });
    Effect::new(move |_| shapes.ensure(boundary()));

    let prof = Memo::new(move |_| {
        let loaded = state.current()?;
        let l = lang();
        Some(state.view.with(|v| profile::profile(&loaded.dataset, v, l)))
    });
    // The map locates the place on the whole country: the selection highlighted, not zoomed.
    let map = Memo::new(move |_| {
        let loaded = state.current()?;
        let l = lang();
        let mut m = state.view.with(|v| dashboard::map_view(&loaded.dataset, v, l));
        m.focus.clear();
        Some(m)
    });
    // Years of the catalogue the page could not fetch (a fetch failed and they are still missing):
    // said in the coverage section, not left out silently.
    let unloaded = Memo::new(move |_| {
        let id = state.view.with(|v| v.dataset.clone());
        if !state.load_error.with(|e| e.as_ref().is_some_and(|(d, _)| *d == id)) {
            return None;
        }
        let want = loader.catalog.with(|c| c.as_ref().and_then(|c| c.get(&id)).map(|e| e.years.clone())).unwrap_or_default();
        let loaded = state.current()?;
        // The years with rows (the dataset's own list names every year, fetched or not).
        let mut missing: Vec<u16> = want.into_iter().filter(|&y| !dashboard::has_entity_year(&loaded.dataset, y)).collect();
        crate::engine::order::sort(&mut missing);
        profile::unloaded_line(&missing, lang())
    });
    let shapes_now = Memo::new(move |_| shapes.get(boundary()));
    let years = Memo::new(move |_| state.current().map(|l| dashboard::dataset_years(&l.dataset)).unwrap_or_default());
    let year_shown = Memo::new(move |_| prof.with(|p| p.as_ref().and_then(|p| p.year)));

    view! {
        <div class="profile" data-testid="profile">
            <div class="toolbar no-print">
                <label class="field">
                    <span>{move || t(lang(), Msg::CompareWith)}</span>
                    <select data-testid="profile-base-year"
                        on:change=move |ev| {
                            let b = event_target_value(&ev).parse::<u16>().ok();
                            let y = year_shown.get_untracked();
                            state.update(|v| { v.year_from = b; if b.is_some() { v.year = y } });
                        }>
                        <option value="" selected=move || state.view.with(|v| v.year_from.is_none())>{move || t(lang(), Msg::NoComparison)}</option>
                        {move || {
                            let y = year_shown.get();
                            years.get().into_iter().filter(|b| y.is_some_and(|y| *b < y)).map(|b| view! {
                                <option value=b.to_string() selected=move || state.view.with(|v| v.year_from == Some(b))>{b.to_string()}</option>
                            }).collect_view()
                        }}
                    </select>
                </label>
                <PrintButton/>
            </div>
            {move || prof.get().map(|p| body(p, lang(), unloaded.get()))}
            <section class="profile-section" data-testid="profile-map">
                <h3>{move || t(lang(), Msg::ProfileMap)}</h3>
                <div class="profile-map">
                    <SvgMap map=map shapes=shapes_now on_toggle=Callback::new(|_: String| {})/>
                </div>
            </section>
        </div>
    }
}

fn body(p: Profile, l: crate::engine::vocab::Lang, unloaded: Option<String>) -> impl IntoView {
    let year = p.year.map(|y| y.to_string()).unwrap_or_default();
    let years = match p.base_year {
        Some(b) => format!("{b} → {year}"),
        None => year,
    };
    let first_source = p.sources.first().cloned().unwrap_or_default();
    let headline = p.rows.first().map(|r| format!("{}: {}", r.label, r.text)).unwrap_or_default();
    let compare = p.base_year.is_some();
    view! {
        // Heading block: on screen the profile's title; in print, repeated at the top of every page.
        <header class="print-head" data-testid="profile-head">
            <h2 data-testid="profile-place">{t(l, Msg::TabProfile)}": "{p.place.clone()}</h2>
            <p>{t(l, Msg::Year)}" "{years}" · "{t(l, Msg::Dataset)}": "{p.dataset.clone()}</p>
            <p class="print-only">{headline}</p>
            <p>{t(l, Msg::Source)}": "{first_source}" · "{t(l, Msg::ProducedOn)}" "<span class="date">{today()}</span></p>
            {p.illustrative.then(|| view! { <p class="badge illustrative" data-testid="profile-illustrative">{t(l, Msg::Illustrative)}</p> })}
        </header>
        <section class="profile-section" data-testid="profile-figures">
            <h3>{t(l, Msg::ProfileFigures)}</h3>
            {p.rows.is_empty().then(|| view! { <p class="hint">{t(l, Msg::NoData)}</p> })}
            <ul class="profile-rows">
                {p.rows.into_iter().map(|r| {
                    let yr = r.year.map(|y| format!(" ({y})")).unwrap_or_default();
                    view! {
                        <li class="profile-row" data-testid=format!("profile-row-{}", r.id) data-value=r.value.to_string()>
                            <p class="label">{r.label}</p>
                            {match r.two_years.clone().filter(|_| compare) {
                                Some(two) => view! {
                                    <p class="value" data-testid="profile-two-years">
                                        {two.base_year.to_string()}": "{two.base_text}" → "{r.text.clone()}{yr.clone()}
                                    </p>
                                    <p class="meta" data-testid="profile-two-change">{two.change_text}</p>
                                }.into_any(),
                                None => view! { <p class="value">{r.text.clone()}{yr.clone()}</p> }.into_any(),
                            }}
                            {r.since_prev.map(|s| view! { <p class="meta" data-testid="profile-since-prev">{s}</p> })}
                            {r.since_first.map(|s| view! { <p class="meta" data-testid="profile-since-first">{s}</p> })}
                            {r.standing.map(|s| view! { <p class="meta" data-testid="profile-rank">{s.text}</p> })}
                            {r.note.map(|s| view! { <p class="meta">{s}</p> })}
                            {r.targets.into_iter().map(|s| view! { <p class="meta target" data-testid="profile-target">{s}</p> }).collect_view()}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        {(!p.trends.is_empty()).then(|| view! {
            <section class="profile-section" data-testid="profile-trends">
                <h3>{t(l, Msg::ProfileTrends)}</h3>
                <div class="small-multiples">
                    {p.trends.into_iter().map(|c| {
                        let title = c.title.clone();
                        let option = c.option;
                        view! {
                            <figure class="small-chart">
                                <figcaption>{c.title}</figcaption>
                                <EChart option=Signal::derive(move || Some(option.clone())) label=Signal::derive(move || title.clone())
                                    testid=format!("profile-trend-{}", c.id)/>
                            </figure>
                        }
                    }).collect_view()}
                </div>
            </section>
        })}
        // The composition by kind and by sector; when the dataset cannot split by sector, why.
        {(p.composition.is_some() || p.sectors.is_some() || p.no_sectors.is_some()).then(|| view! {
            <section class="profile-section" data-testid="profile-composition">
                <h3>{t(l, Msg::ProfileComposition)}</h3>
                <div class="small-multiples">
                    {p.composition.map(|c| ring(c, l, "profile-composition-chart"))}
                    {p.sectors.map(|c| ring(c, l, "profile-sector-chart"))}
                </div>
                {p.no_sectors.map(|n| view! { <p class="hint" data-testid="profile-no-sectors">{n}</p> })}
            </section>
        })}
        <section class="profile-section" data-testid="profile-coverage">
            <h3>{t(l, Msg::ProfileCoverage)}</h3>
            <ul>
                {p.coverage.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                {unloaded.map(|u| view! { <li data-testid="profile-unloaded">{u}</li> })}
            </ul>
        </section>
        <section class="profile-section" data-testid="profile-sources">
            <h3>{t(l, Msg::ProfileSources)}</h3>
            <ul>{p.sources.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
        </section>
    }
}

/// One composition ring with its title, source and note.
fn ring(c: profile::CompositionChart, l: crate::engine::vocab::Lang, testid: &'static str) -> impl IntoView {
    let title = c.title.clone();
    let option = c.option;
    view! {
        <figure class="small-chart composition-chart">
            <figcaption>{c.title}</figcaption>
            <EChart option=Signal::derive(move || Some(option.clone())) label=Signal::derive(move || title.clone()) testid=testid/>
            <p class="source-note">{t(l, Msg::Source)}": "{c.source}</p>
            {c.note.map(|n| view! { <p class="hint">{n}</p> })}
        </figure>
    }
}

/// Opens the profile of province `code` (the only province selected, no region).
pub fn open_province(state: AppState, code: String) {
    state.update(|v| {
        v.provinces = vec![code];
        v.region = None;
        v.tab = crate::engine::url_state::Tab::Profile;
    });
}

/// "Xem hồ sơ / View profile" of the current selection, when it is one province or one region:
/// shown next to the map, where a province is picked.
#[component]
pub fn ProfileLink() -> impl IntoView {
    let state = expect_context::<AppState>();
    let place = Memo::new(move |_| {
        state.view.with(|v| (v.provinces.len() == 1 || (v.provinces.is_empty() && v.region.is_some())).then(|| profile::place_name(v, v.lang)))
    });
    move || {
        place.get().map(|name| view! {
            <button type="button" class="btn small" data-testid="view-profile"
                on:click=move |_| state.update(|v| v.tab = crate::engine::url_state::Tab::Profile)>
                {t(state.lang(), Msg::ViewProfile)}": "{name}
            </button>
        })
    }
}
