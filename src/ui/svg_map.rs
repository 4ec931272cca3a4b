//! `<SvgMap>`: the choropleth as inline SVG, one `<path>` per province from the shapes the build
//! projected (`crate::shapes`), filled with its class colour from `dashboard::map_view`.
//!
//! Why inline SVG and not a chart library: the map is the first view's main figure, and drawing it
//! needs no script beyond the app's own — it shows as soon as the figures are computed, and the
//! pre-rendered copy of the first view (scripts/prerender.mjs) carries this very SVG, so the live
//! map replaces it without a jump. The paths are created once per boundary version; a change of
//! view only updates fills, labels and the view box, so keyboard focus stays where it was.
//!
//! Interaction: every province is a focusable button named with its province and value; Tab or
//! the arrow keys move between provinces, Enter or Space selects as a click does; a tap, hover or
//! focus shows the name and value next to the province (a tooltip kept inside the map's box, so it
//! never widens a phone's page); a region or a selection zooms the map to it.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::dashboard::{MapView, ISLAND_COLOR, NO_DATA_COLOR};
// Numbers written with the engine's own decimal printing: `format!("{:.2}")` would link the
// standard library's float printing into the wasm (engine::format::plain says why).
use crate::engine::format::plain;
use crate::shapes::{Direction, Shapes, SELECTED_STROKE};

// Sizes of the archipelagos' labels and strokes: the same as the framework-free first view's.
use crate::first_view::{ISLAND_FONT, ISLAND_STROKE};

/// The map. `on_toggle` receives a province's code when it is clicked, tapped, or chosen with
/// Enter or Space.
#[component]
pub fn SvgMap(
    #[prop(into)] map: Signal<Option<MapView>>,
    #[prop(into)] shapes: Signal<Option<Arc<Shapes>>>,
    on_toggle: Callback<String>,
) -> impl IntoView {
    // The province (or archipelago) whose tooltip shows.
    let tip = RwSignal::new(None::<String>);
    let view_box = Memo::new(move |_| {
        let s = shapes.get()?;
        Some(map.with(|m| m.as_ref().map_or_else(|| s.whole(), |m| s.zoom(&m.focus))))
    });
    // Text and strokes keep their size on screen whatever the zoom: sizes in view box units.
    let scale = move || view_box.get().map_or(1.0, |v| f64::from(v.w) / 768.0);

    let svg = move || {
        let s = shapes.get()?;
        let title = move || map.with(|m| m.as_ref().map(|m| m.title.clone()).unwrap_or_default());
        // Every province a plain path: its fill, name and state follow the view; the events are
        // handled once for the whole map (below), so the wasm carries no handler per path.
        let provinces = s
            .areas
            .iter()
            .filter(|a| !a.label)
            .map(|a| {
                let (c1, c2, c3) = (a.code.clone(), a.code.clone(), a.code.clone());
                let fill = move || map.with(|m| m.as_ref().and_then(|m| m.area(&c1)).map_or(NO_DATA_COLOR, |a| a.fill));
                let label = move || map.with(|m| m.as_ref().and_then(|m| m.area(&c2)).map(|a| a.label()).unwrap_or_default());
                let pressed = move || map.with(|m| m.as_ref().and_then(|m| m.area(&c3)).is_some_and(|a| a.selected)).to_string();
                view! {
                    <path class="area" d=a.d.clone() fill=fill tabindex="0" role="button"
                        aria-label=label aria-pressed=pressed data-code=a.code.clone()></path>
                }
            })
            .collect_view();
        let outlines = {
            let s = Arc::clone(&s);
            move || {
                map.with(|m| {
                    m.as_ref().map(|m| {
                        m.areas
                            .iter()
                            .filter(|a| a.selected)
                            .filter_map(|a| s.shape(&a.code))
                            .map(|sh| view! { <path class="outline" d=sh.d.clone() fill="none" stroke=SELECTED_STROKE></path> })
                            .collect_view()
                    })
                })
            }
        };
        let islands = s
            .areas
            .iter()
            .filter(|a| a.label)
            .map(|a| {
                let (c1, c2) = (a.code.clone(), a.code.clone());
                let text = move || {
                    map.with(|m| m.as_ref().and_then(|m| m.labels.iter().find(|l| l.code == c1)).map(|l| l.text.clone()))
                        .unwrap_or_default()
                };
                let tooltip = move || {
                    map.with(|m| m.as_ref().and_then(|m| m.labels.iter().find(|l| l.code == c2)).map(|l| l.tooltip.clone()))
                        .unwrap_or_default()
                };
                view! {
                    <g class="island" data-code=a.code.clone()>
                        <path d=a.d.clone() fill=ISLAND_COLOR stroke=ISLAND_COLOR><title>{tooltip}</title></path>
                        <text x=a.anchor[0].to_string() y=a.anchor[1].to_string() text-anchor="middle"
                            font-size=move || plain(ISLAND_FONT * scale(), 1)
                            data-testid=format!("island-{}", a.code.to_lowercase())>{text}</text>
                    </g>
                }
            })
            .collect_view();
        let s_keys = Arc::clone(&s);
        // One handler of each kind for the whole map, reading the province (or archipelago) from
        // the element the event came from (`data-code`): a tap, click or hover shows its tooltip,
        // and on a province a click, Enter or Space selects it; arrows move the focus.
        let on_key = move |ev: leptos::ev::KeyboardEvent| {
            let Some(code) = province_of(&ev) else { return };
            let key = ev.key();
            if key == "Enter" || key == " " {
                ev.prevent_default();
                tip.set(Some(code.clone()));
                on_toggle.run(code);
            } else if let Some(dir) = Direction::from_key(&key) {
                ev.prevent_default();
                if let Some(next) = s_keys.neighbour(&code, dir) {
                    focus_province(next);
                }
            }
        };
        Some(view! {
            <svg class="map-svg" data-testid="map-chart"
                viewBox=move || view_box.get().map(|v| v.to_string()).unwrap_or_default()
                role="group" aria-label=title
                // Out of the Tab order: Chromium makes an SVG element with focus listeners (the
                // delegated ones below) focusable, which would put a stop before the provinces.
                tabindex="-1"
                stroke-width=move || plain(0.6 * scale(), 2)
                on:click=move |ev| if let Some(code) = code_of(&ev) {
                    tip.set(Some(code.clone()));
                    if !is_island(&code) { on_toggle.run(code) }
                }
                on:keydown=on_key
                on:focusin=move |ev| tip.set(code_of(&ev))
                on:focusout=move |ev| if tip.get_untracked() == code_of(&ev) { tip.set(None) }
                on:pointerover=move |ev| if let Some(code) = code_of(&ev) { tip.set(Some(code)) }
                on:pointerout=move |ev: leptos::ev::PointerEvent| {
                    // A finger lifting leaves the province at once: its tooltip stays.
                    if ev.pointer_type() != "touch" && tip.get_untracked() == code_of(&ev) { tip.set(None) }
                }>
                <g class="areas" stroke="#ffffff">{provinces}</g>
                <g class="outlines" aria-hidden="true" stroke-width=move || plain(2.5 * scale(), 2)>{outlines}</g>
                <g class="islands" stroke-width=move || plain(ISLAND_STROKE * scale(), 2)>{islands}</g>
            </svg>
        })
    };

    let tip_view = move || {
        let code = tip.get()?;
        let s = shapes.get()?;
        let vb = view_box.get()?;
        let shape = s.shape(&code)?;
        // A province's name and value with the figures' source (every figure carries its source);
        // an archipelago's name and the province it belongs to.
        let (text, source) = map.with(|m| {
            let m = m.as_ref()?;
            match m.area(&code) {
                Some(a) => Some((a.label(), Some(m.source.clone()))),
                None => m.labels.iter().find(|l| l.code == code).map(|l| (l.tooltip.clone(), None)),
            }
        })?;
        let (x, y, side, below) = crate::first_view::tip_place(vb, shape.anchor);
        Some(view! {
            <div class=format!("map-tip {side}{}", if below { " below" } else { "" }) data-testid="map-tip" aria-hidden="true"
                style:left=format!("{}%", plain(x, 1)) style:top=format!("{}%", plain(y, 1))>
                <strong>{text}</strong>
                {source.map(|s| view! { <small>{s}</small> })}
            </div>
        })
    };

    view! {
        <div class="map-box" on:pointerleave=move |_| tip.set(None)>
            {svg}
            {tip_view}
        </div>
    }
}

/// The `data-code` of the province or archipelago an event came from.
fn code_of(ev: &web_sys::Event) -> Option<String> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.closest("[data-code]").ok().flatten()?.get_attribute("data-code")
}

/// The province (not an archipelago) an event came from.
fn province_of(ev: &web_sys::Event) -> Option<String> {
    code_of(ev).filter(|c| !is_island(c))
}

fn is_island(code: &str) -> bool {
    code == "HS" || code == "TS"
}

/// Moves keyboard focus to a province's path (arrow keys). Through `focus` looked up on the
/// element: an SVG element is not an `HtmlElement`, and a binding of its own would add to the wasm.
fn focus_province(code: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let selector = format!("#main [data-testid=\"map-chart\"] path[data-code=\"{code}\"]");
    let Some(el) = doc.query_selector(&selector).ok().flatten() else { return };
    if let Ok(f) = js_sys::Reflect::get(&el, &JsValue::from_str("focus")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(&el);
        }
    }
}
