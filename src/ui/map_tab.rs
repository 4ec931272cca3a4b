//! The Map tab: a choropleth of the chosen indicator by province in the chosen boundary version, its
//! legend (HTML, so it is read by screen readers and matches the map's colours exactly), the class
//! method (rounded equal steps by default; quantiles, natural breaks, custom breaks), and clicking a
//! province to select it. Shapes are fetched once per boundary version and registered with ECharts.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::charts::bindings;
use crate::dashboard::{self, IndicatorPicker};
use crate::engine::classify::ClassSpec;
use crate::engine::vocab::Boundary;
use crate::i18n::{t, Msg};

use super::echart::{ChartLib, EChart};
use super::state::AppState;
use super::web;

/// Which maps have been fetched and registered with ECharts.
#[derive(Clone, Copy)]
pub struct MapShapes {
    registered: RwSignal<BTreeSet<&'static str>>,
    error: RwSignal<Option<String>>,
}

impl MapShapes {
    /// Creates the (empty) registry; provided as context by the app.
    pub fn new() -> MapShapes {
        MapShapes { registered: RwSignal::new(BTreeSet::new()), error: RwSignal::new(None) }
    }

    /// Fetches and registers the shapes of a boundary version once ECharts is loaded.
    pub fn ensure(&self, b: Boundary) {
        let name = dashboard::map_name(b);
        if self.registered.with_untracked(|s| s.contains(name)) {
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            let path = format!("geo/{name}.json");
            let result = async {
                let bytes = web::fetch_bytes(&path).await?;
                let text = String::from_utf8(bytes).map_err(|_| format!("{path}: not UTF-8 text"))?;
                bindings::register_map(name, &text)
            }
            .await;
            match result {
                Ok(()) => this.registered.update(|s| {
                    s.insert(name);
                }),
                Err(e) => this.error.set(Some(e)),
            }
        });
    }

    /// Whether the map of `b` can be drawn.
    pub fn ready(&self, b: Boundary) -> bool {
        self.registered.with(|s| s.contains(dashboard::map_name(b)))
    }
}

impl Default for MapShapes {
    fn default() -> Self {
        Self::new()
    }
}

/// The indicator selector shared by the Map and Chart tabs.
#[component]
pub fn IndicatorSelect() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let lang = state.lang();
        let loaded = state.current()?;
        let picker: IndicatorPicker = state.view.with(|v| dashboard::indicator_picker(&loaded.dataset, v, lang));
        let current = picker.current.clone();
        Some(view! {
            <label class="field">
                <span>{t(lang, Msg::Indicator)}</span>
                <select data-testid="indicator-select" prop:value=current.clone()
                    on:change=move |ev| { let id = event_target_value(&ev); state.update(|v| v.indicator = id) }>
                    {picker.options.into_iter().map(|(id, label)| {
                        let sel = id == current;
                        view! { <option value=id selected=sel>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
        })
    }
}

/// The Map tab.
#[component]
pub fn MapTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lib = expect_context::<ChartLib>();
    let shapes = expect_context::<MapShapes>();
    let lang = move || state.lang();
    let boundary = move || state.view.with(|v| v.boundary);

    Effect::new(move |_| {
        if lib.ready.get() {
            shapes.ensure(boundary());
        }
    });

    let map = Memo::new(move |_| {
        let loaded = state.current()?;
        let l = lang();
        Some(state.view.with(|v| dashboard::map_view(&loaded.dataset, v, l)))
    });
    let option = Signal::derive(move || {
        let m = map.get()?;
        if !shapes.ready(boundary()) {
            return None;
        }
        Some(m.option)
    });
    let on_click = Callback::new(move |ev: bindings::ClickEvent| {
        let code = ev.name;
        state.update(|v| {
            if crate::engine::provinces::registry().by_code(v.boundary, &code).is_some() {
                if let Some(pos) = v.provinces.iter().position(|c| *c == code) {
                    v.provinces.remove(pos);
                } else {
                    v.provinces.push(code);
                }
            }
        });
    });

    // Class method, with custom breaks typed as "10; 50; 100".
    let custom_text = RwSignal::new(String::new());
    let class_code = move || state.view.with(|v| v.classes.code());
    let on_class = move |ev: leptos::ev::Event| {
        let code = event_target_value(&ev);
        if code == "x" {
            custom_text.set(String::new());
            return;
        }
        if let Ok(spec) = ClassSpec::from_code(&code) {
            state.update(|v| v.classes = spec);
        }
    };
    // Why breaks were refused, beside the field (the notice bar at the top of the page was out
    // of sight on a phone). Applied by the button or by Enter in the field.
    let breaks_error = RwSignal::new(None::<String>);
    let apply_custom = move || {
        let l = lang();
        match dashboard::parse_custom_breaks(&custom_text.get_untracked()) {
            Ok(spec) => {
                breaks_error.set(None);
                state.update(|v| v.classes = spec);
            }
            Err(e) => breaks_error.set(Some(e.message(l))),
        }
    };

    view! {
        <div class="map-tab">
            <div class="toolbar">
                <IndicatorSelect/>
                <label class="field">
                    <span>{move || t(lang(), Msg::Classes)}</span>
                    <select data-testid="class-select" on:change=on_class prop:value=move || {
                        let c = class_code(); if c.starts_with("x:") { "x".to_string() } else { c }
                    }>
                        {move || dashboard::class_choices(lang()).into_iter().map(|(code, label)| {
                            let sel = class_code() == code || (code == "x" && class_code().starts_with("x:"));
                            view! { <option value=code selected=sel>{label}</option> }
                        }).collect_view()}
                        <option value="x">{move || t(lang(), Msg::ClassCustom)}</option>
                    </select>
                </label>
                <label class="field">
                    <span>{move || t(lang(), Msg::CustomBreaks)}</span>
                    <input type="text" inputmode="decimal" data-testid="custom-breaks" placeholder="10; 50; 100"
                        aria-invalid=move || breaks_error.with(|e| e.is_some()).to_string()
                        prop:value=move || custom_text.get() on:input=move |ev| custom_text.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default(); apply_custom() }/>
                </label>
                <button type="button" class="btn small" on:click=move |_| apply_custom()>{move || t(lang(), Msg::Apply)}</button>
            </div>
            {move || breaks_error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="breaks-error">{e}</p> })}
            {move || map.get().map(|m| view! { <h3 data-testid="map-title">{m.title.clone()}</h3> })}
            <EChart option=option on_click=on_click testid="map-chart"
                label=Signal::derive(move || map.get().map(|m| m.title).unwrap_or_default())/>
            {move || shapes.error.get().map(|e| view! { <p class="chart-error" role="status">{e}</p> })}
            {move || map.get().map(|m| {
                let l = lang();
                view! {
                    <h4 class="visually-hidden">{t(l, Msg::Legend)}</h4>
                    <ul class="legend" data-testid="map-legend">
                        {m.legend.into_iter().map(|e| view! {
                            <li><span class="swatch" style:background-color=e.color></span>{e.text}</li>
                        }).collect_view()}
                    </ul>
                    <p class="hint">{t(l, Msg::MapHint)}</p>
                    <p class="source-note" data-testid="map-source">{t(l, Msg::Source)}": "{m.source}</p>
                    {m.warnings.into_iter().map(|w| view! { <p class="hint">{w}</p> }).collect_view()}
                }
            })}
        </div>
    }
}
