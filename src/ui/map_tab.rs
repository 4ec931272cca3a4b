//! The Map tab: a choropleth of the chosen indicator by province in the chosen boundary version
//! (inline SVG, `svg_map`), its legend (HTML, so it is read by screen readers and matches the map's
//! colours exactly), the class method (rounded equal steps by default; quantiles, natural breaks,
//! custom breaks), selecting a province by clicking it or from the keyboard, and downloading the
//! map as SVG or PNG. The shapes of each boundary version are fetched once (`geo/vn63-svg.tsv`).

use std::sync::Arc;

use leptos::prelude::*;

use crate::dashboard::{self, IndicatorPicker};
use crate::engine::classify::ClassSpec;
use crate::engine::vocab::Boundary;
use crate::i18n::{t, Msg};
use crate::shapes::Shapes;

use super::state::AppState;
use super::svg_map::SvgMap;
use super::web;

/// The province shapes fetched so far, by boundary version.
#[derive(Clone, Copy)]
pub struct MapShapes {
    loaded: RwSignal<Vec<(Boundary, Arc<Shapes>)>>,
    asked: StoredValue<Vec<Boundary>>,
    error: RwSignal<Option<String>>,
}

impl MapShapes {
    /// Creates the (empty) store; provided as context by the app.
    pub fn new() -> MapShapes {
        MapShapes { loaded: RwSignal::new(Vec::new()), asked: StoredValue::new(Vec::new()), error: RwSignal::new(None) }
    }

    /// Fetches the shapes of a boundary version, once. Called as soon as the Map tab shows, while
    /// the dataset is still on its way: the two downloads overlap.
    pub fn ensure(&self, b: Boundary) {
        if self.asked.with_value(|a| a.contains(&b)) {
            return;
        }
        self.asked.update_value(|a| a.push(b));
        let this = *self;
        leptos::task::spawn_local(async move {
            let path = format!("geo/{}-svg.tsv", dashboard::map_name(b));
            let result = async {
                let bytes = web::fetch_bytes(&path).await?;
                let text = String::from_utf8(bytes).map_err(|_| format!("{path}: not UTF-8 text"))?;
                Shapes::parse(&text).map_err(|e| format!("{path}: {e}"))
            }
            .await;
            match result {
                Ok(s) => {
                    this.error.set(None);
                    this.loaded.update(|l| l.push((b, Arc::new(s))))
                }
                Err(e) => {
                    // A later visit to the tab (e.g. back online) tries again.
                    this.asked.update_value(|a| a.retain(|x| *x != b));
                    this.error.set(Some(e))
                }
            }
        });
    }

    /// The shapes of `b`, once fetched.
    pub fn get(&self, b: Boundary) -> Option<Arc<Shapes>> {
        self.loaded.with(|l| l.iter().find(|(x, _)| *x == b).map(|(_, s)| Arc::clone(s)))
    }

    /// Whether the map of `b` is drawn or cannot be (its shapes failed to load): what the
    /// pre-rendered copy waits for before it gives way (app.rs).
    pub fn settled(&self, b: Boundary) -> bool {
        self.loaded.with(|l| l.iter().any(|(x, _)| *x == b)) || self.error.with(|e| e.is_some())
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
    let shapes = expect_context::<MapShapes>();
    let lang = move || state.lang();
    let boundary = move || state.view.with(|v| v.boundary);

    Effect::new(move |_| shapes.ensure(boundary()));

    let map = Memo::new(move |_| {
        let loaded = state.current()?;
        let l = lang();
        Some(state.view.with(|v| dashboard::map_view(&loaded.dataset, v, l)))
    });
    // A memo, not a derived signal: the map's paths are rebuilt only when the boundary version's
    // shapes change, never on another change of view (which would lose the keyboard focus).
    let shapes_now = Memo::new(move |_| shapes.get(boundary()));
    // A province clicked, tapped or chosen with Enter or Space: in or out of the selection (`p=`).
    let on_toggle = Callback::new(move |code: String| {
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
    // The map as a file, as on screen (its zoom), with title, legend and source.
    let document = move || {
        let m = map.get_untracked()?;
        let s = shapes_now.get_untracked()?;
        let doc = s.document(&m, s.zoom(&m.focus));
        Some((m.file_stem, doc))
    };
    let download_svg = move |_| {
        if let Some((stem, doc)) = document() {
            let _ = web::download_bytes(&format!("{stem}.svg"), "image/svg+xml", doc.as_bytes());
        }
    };
    let download_png = move |_| {
        if let Some((stem, doc)) = document() {
            web::download_svg_as_png(&format!("{stem}.png"), &doc);
        }
    };

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
                <button type="button" class="btn small" data-testid="map-download-png" on:click=download_png>{move || t(lang(), Msg::DownloadPng)}</button>
                <button type="button" class="btn small" data-testid="map-download-svg" on:click=download_svg>{move || t(lang(), Msg::DownloadSvg)}</button>
                <super::profile_tab::ProfileLink/>
            </div>
            {move || breaks_error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="breaks-error">{e}</p> })}
            {move || map.get().map(|m| view! { <h3 data-testid="map-title">{m.title.clone()}</h3> })}
            <SvgMap map=map shapes=shapes_now on_toggle=on_toggle/>
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
