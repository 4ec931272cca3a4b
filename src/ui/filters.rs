//! The filter panel (region, provinces, year with a play-through, kind, sector, yes/no fields,
//! boundary version) and the chip row of active filters. Every control writes the view; the URL and
//! every figure follow from it.

use std::time::Duration;

use leptos::prelude::*;

use crate::engine::filter::Coverage;
use crate::engine::provinces::registry;
use crate::engine::vocab::{Boundary, Kind, Region, Sector};
use crate::i18n::{t, Msg};

use super::state::AppState;
pub use crate::chips::{chips, flag_get, flag_set, Chip, ChipTarget, FLAGS};

/// How long the year slider's thumb must rest before the view follows it (see `Filters`): short
/// enough to stay inside issue 5's 100 ms from a change to updated figures, long enough to skip
/// the years a drag passes over.
const YEAR_SETTLE_MS: u64 = 40;

/// The filter panel. `years` are the dataset's years, ascending.
#[component]
pub fn Filters(#[prop(into)] years: Signal<Vec<u16>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = move || state.lang();
    let view = state.view;

    // Region.
    let on_region = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        state.update(|s| s.region = Region::from_code(&v));
    };

    // Province search: with or without diacritics ("thai nguyen" finds Thái Nguyên). Provinces the
    // dataset has figures for come first (Enter picks the first); the others stay findable, marked
    // "no data", so a reader learns the dataset does not cover them rather than seeing zeros.
    let query = RwSignal::new(String::new());
    let coverage = Memo::new(move |_| {
        let b = view.with(|v| v.boundary);
        state.current().map(|l| Coverage::of(&l.dataset, b))
    });
    let rows_filterable = Memo::new(move |_| state.current().is_none_or(|l| crate::dashboard::rows_filterable(&l.dataset)));
    let suggestions = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        let (b, chosen) = view.with(|v| (v.boundary, v.provinces.clone()));
        let has_data = |index: u8| coverage.with(|c| c.as_ref().is_none_or(|c| c.view != b || c.province(index)));
        let found: Vec<_> = registry()
            .search(b, &q)
            .into_iter()
            .filter(|p| !chosen.iter().any(|c| c == p.code))
            .map(|p| (p.code.to_string(), p.name.to_string(), has_data(p.index)))
            .collect();
        let (with, without): (Vec<_>, Vec<_>) = found.into_iter().partition(|x| x.2);
        with.into_iter().chain(without).take(8).collect::<Vec<_>>()
    });
    let add_province = move |code: String| {
        state.update(|s| {
            if !s.provinces.contains(&code) {
                s.provinces.push(code);
            }
        });
        query.set(String::new());
    };

    // Year and its play-through.
    let playing = RwSignal::new(false);
    let current_year = move || {
        let ys = years.get();
        view.with(|v| v.year).filter(|y| ys.contains(y)).or_else(|| ys.last().copied())
    };
    let set_year = move |y: u16| {
        let latest = years.with_untracked(|ys| ys.last().copied());
        state.update(|s| s.year = if Some(y) == latest { None } else { Some(y) });
    };
    // Dragging the year: the label follows the thumb at once, the view (and every figure) once
    // the thumb rests for YEAR_SETTLE_MS or is released. Each new position cancels the pending
    // one, so a drag across a national register queues one recomputation, not one per year passed,
    // and the input handler itself never computes (the thumb never waits for the engine).
    let dragged_year = RwSignal::new(None::<u16>);
    let year_timer = StoredValue::new(None::<TimeoutHandle>);
    let commit_year = move |y: u16| {
        if let Some(h) = year_timer.get_value() {
            h.clear();
        }
        year_timer.set_value(None);
        dragged_year.set(None);
        set_year(y);
    };
    let drag_year = move |y: u16| {
        dragged_year.set(Some(y));
        if let Some(h) = year_timer.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(move || commit_year(y), Duration::from_millis(YEAR_SETTLE_MS));
        year_timer.set_value(handle.ok());
    };
    let shown_year = move || dragged_year.get().or_else(current_year);
    let play = move |_| {
        if playing.get_untracked() {
            playing.set(false);
            return;
        }
        let ys = years.get_untracked();
        if ys.len() < 2 {
            return;
        }
        playing.set(true);
        leptos::task::spawn_local(async move {
            for y in ys {
                if !playing.get_untracked() {
                    return;
                }
                set_year(y);
                gloo_timers::future::TimeoutFuture::new(1200).await;
            }
            playing.set(false);
        });
    };

    let toggle_kind = move |k: Kind, on: bool| {
        state.update(|s| {
            s.kinds.retain(|x| *x != k);
            if on {
                s.kinds.push(k);
                crate::engine::order::sort(&mut s.kinds);
            }
        })
    };
    let on_sector = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        state.update(|s| s.sectors = Sector::from_code(&v).into_iter().collect());
    };
    // Switching 63 ↔ 34 moves the chosen provinces to the other list; a province that merged (or
    // split) changes its name, so the reader is told which became which.
    let last_switch: StoredValue<Option<crate::dashboard::ProvinceSwitch>> = StoredValue::new(None);
    let set_boundary = move |b: Boundary| {
        let (from, before) = view.with_untracked(|v| (v.boundary, v.provinces.clone()));
        if from == b {
            return;
        }
        let after = last_switch.with_value(|last| crate::dashboard::switch_provinces(&before, from, b, last.as_ref()));
        last_switch.set_value(Some(crate::dashboard::ProvinceSwitch { from, before: before.clone(), after: after.clone() }));
        state.update(|s| {
            s.provinces = after.clone();
            s.boundary = b;
        });
        let reg = registry();
        let names = |codes: &[String], bd: Boundary| {
            codes.iter().filter_map(|c| reg.by_code(bd, c).map(|p| p.name)).collect::<Vec<_>>().join(", ")
        };
        let (was, now) = (names(&before, from), names(&after, b));
        if !before.is_empty() && was != now {
            let l = lang();
            state.flash.set(Some(format!("{}: {was} → {now}", t(l, if b == Boundary::P34 { Msg::Boundary34 } else { Msg::Boundary63 }))));
        }
    };

    // On a phone the panel is folded under its heading until asked for: open, its fields took
    // 1.4 screens above the headline cards (the chip row under it says what is filtered). From
    // 900 px wide it is a column beside the content and always open (style/main.css).
    let open = RwSignal::new(false);

    view! {
        <section class="panel filters" aria-labelledby="filters-h" data-folded=move || (!open.get()).then_some("")>
            <div class="filters-head">
                <h2 id="filters-h">{move || t(lang(), Msg::Filters)}</h2>
                <button type="button" class="btn small filters-toggle" data-testid="filters-toggle"
                    aria-controls="filters-body" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || t(lang(), if open.get() { Msg::HideFilters } else { Msg::ShowFilters })}
                </button>
            </div>
            <div id="filters-body" class="filters-body">
            // A div, not a <label> around the row: the play button inside a label made the slider's
            // spoken name "Year Play through the years".
            // One year of data: the year is said by the cards and titles; a slider and "play" with
            // nothing to move through are hidden.
            <div class="field" data-testid="year-field" hidden=move || years.with(|y| y.len() < 2)>
                <label for="year-range"><span>{move || t(lang(), Msg::Year)}</span></label>
                <div class="year-row">
                    <input type="range" id="year-range" data-testid="year-range"
                        min=move || years.get().first().copied().unwrap_or(0)
                        max=move || years.get().last().copied().unwrap_or(0)
                        step="1"
                        prop:value=move || current_year().unwrap_or(0).to_string()
                        aria-valuetext=move || shown_year().map(|y| y.to_string()).unwrap_or_default()
                        on:input=move |ev| {
                            if let Ok(y) = event_target_value(&ev).parse::<u16>() { drag_year(y) }
                        }
                        on:change=move |ev| {
                            if let Ok(y) = event_target_value(&ev).parse::<u16>() { commit_year(y) }
                        }/>
                    <output data-testid="year-value">{move || shown_year().map(|y| y.to_string()).unwrap_or_default()}</output>
                    <button type="button" class="btn small" data-testid="year-play" on:click=play
                        aria-pressed=move || if playing.get() { "true" } else { "false" }>
                        {move || if playing.get() { t(lang(), Msg::Pause) } else { t(lang(), Msg::Play) }}
                    </button>
                </div>
            </div>
            <label class="field">
                <span>{move || t(lang(), Msg::Region)}</span>
                <select data-testid="region-select" on:change=on_region
                    prop:value=move || view.with(|v| v.region.map(|r| r.code()).unwrap_or(""))>
                    <option value="">{move || t(lang(), Msg::AllRegions)}</option>
                    // A region the dataset has no figures in is offered disabled, saying so (it
                    // stays selectable only when a link already chose it).
                    {Region::ALL.iter().map(|r| {
                        let covered = move || coverage.with(|c| c.as_ref().is_none_or(|c| c.region(*r)));
                        view! {
                            <option value=r.code() selected=move || view.with(|v| v.region == Some(*r))
                                disabled=move || !covered() && view.with(|v| v.region != Some(*r))>
                                {move || if covered() { r.label(lang()).to_string() } else { format!("{} — {}", r.label(lang()), t(lang(), Msg::NoData)) }}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <div class="field">
                <label for="province-search"><span>{move || t(lang(), Msg::Provinces)}</span></label>
                <input id="province-search" type="search" data-testid="province-search" autocomplete="off"
                    placeholder=move || t(lang(), Msg::SearchProvince)
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            if let Some((code, _, _)) = suggestions.get_untracked().first().cloned() { add_province(code) }
                        }
                    }/>
                {move || {
                    let list = suggestions.get();
                    (!query.get().trim().is_empty()).then(|| if list.is_empty() {
                        view! { <p class="hint" role="status">{t(lang(), Msg::NoMatch)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="suggestions" data-testid="province-suggestions">
                                {list.into_iter().map(|(code, name, has_data)| {
                                    let c = code.clone();
                                    let no_data = (!has_data).then(|| view! { <span class="hint">" — "{t(lang(), Msg::NoData)}</span> });
                                    let c2 = code.clone();
                                    view! { <li><button type="button" on:click=move |_| add_province(c.clone())>{name}" ("{code}")"{no_data}</button>
                                        <button type="button" class="link" data-testid="search-profile" on:click=move |_| { query.set(String::new()); super::profile_tab::open_province(state, c2.clone()) }>{t(lang(), Msg::ViewProfile)}</button></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                }}
            </div>
            // Published figures are by area only: the row filters are disabled, with the reason.
            {move || (!rows_filterable.get()).then(|| view! { <p class="hint" data-testid="rows-not-filterable">{t(lang(), Msg::RowFiltersNotApplicable)}</p> })}
            <fieldset class="row-filters" disabled=move || !rows_filterable.get()>
            <fieldset class="checks">
                <legend>{move || t(lang(), Msg::Kind)}</legend>
                {Kind::ALL.iter().map(|&k| view! {
                    <label>
                        <input type="checkbox" data-testid=format!("kind-{}", k.code())
                            prop:checked=move || view.with(|v| v.kinds.contains(&k))
                            on:change=move |ev| toggle_kind(k, event_target_checked(&ev))/>
                        {move || k.label(lang())}
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="field">
                <span>{move || t(lang(), Msg::Sector)}</span>
                <select data-testid="sector-select" on:change=on_sector
                    prop:value=move || view.with(|v| v.sectors.first().map(|s| s.code()).unwrap_or(""))>
                    <option value="">{move || t(lang(), Msg::AllSectors)}</option>
                    {Sector::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=move || view.with(|v| v.sectors.first() == Some(s))>{move || s.label(lang())}</option>
                    }).collect_view()}
                </select>
            </label>
            <div class="filter-grid">
                {FLAGS.iter().map(|&(msg, key)| view! {
                    <label class="field">
                        <span>{move || t(lang(), msg)}</span>
                        <select data-testid=format!("flag-{key}")
                            prop:value=move || match view.with(|v| flag_get(v, key)) { Some(true) => "1", Some(false) => "0", None => "" }
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                let value = match v.as_str() { "1" => Some(true), "0" => Some(false), _ => None };
                                state.update(|s| flag_set(s, key, value));
                            }>
                            <option value="">{move || t(lang(), Msg::Any)}</option>
                            <option value="1">{move || t(lang(), Msg::Yes)}</option>
                            <option value="0">{move || t(lang(), Msg::No)}</option>
                        </select>
                    </label>
                }).collect_view()}
            </div>
            </fieldset>
            <fieldset class="checks" data-testid="boundary">
                <legend>{move || t(lang(), Msg::Boundary)}</legend>
                <label><input type="radio" name="boundary" data-testid="boundary-63"
                    prop:checked=move || view.with(|v| v.boundary == Boundary::P63)
                    on:change=move |_| set_boundary(Boundary::P63)/>{move || t(lang(), Msg::Boundary63)}</label>
                <label><input type="radio" name="boundary" data-testid="boundary-34"
                    prop:checked=move || view.with(|v| v.boundary == Boundary::P34)
                    on:change=move |_| set_boundary(Boundary::P34)/>{move || t(lang(), Msg::Boundary34)}</label>
            </fieldset>
            </div>
        </section>
    }
}

/// The chip row: each active filter, removable; or a line saying nothing is filtered.
#[component]
pub fn ChipRow() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = move || state.lang();
    let remove = move |target: ChipTarget| state.update(|s| crate::chips::remove(s, &target));
    let clear = move |_| state.update(crate::chips::clear);
    view! {
        <div class="chips" data-testid="chips" aria-label=move || t(lang(), Msg::ActiveFilters) role="group">
            {move || {
                let filterable = state.current().is_none_or(|l| crate::dashboard::rows_filterable(&l.dataset));
                let list = state.view.with(|v| crate::chips::shown(v, lang(), filterable));
                if list.is_empty() {
                    view! { <span class="hint">{t(lang(), Msg::NoFilters)}</span> }.into_any()
                } else {
                    let n = list.len();
                    view! {
                        <span class="hint">{t(lang(), Msg::ActiveFilters)}":"</span>
                        {list.into_iter().map(|c| {
                            let target = c.remove.clone();
                            let aria = format!("{} {}", t(lang(), Msg::RemoveFilter), c.label);
                            view! {
                                <span class="chip" data-testid="chip">{c.label}
                                    <button type="button" aria-label=aria on:click=move |_| remove(target.clone())>"×"</button>
                                </span>
                            }
                        }).collect_view()}
                        {(n > 1).then(|| view! { <button type="button" class="link" on:click=clear>{t(lang(), Msg::ClearAll)}</button> })}
                    }.into_any()
                }
            }}
        </div>
    }
}
