//! The browser app: thin Leptos components over the engine, one screen or widget per file.
//!
//! Data flows one way: the URL holds the [`ViewState`](crate::engine::url_state::ViewState)
//! (`state`), datasets are fetched and parsed by `loader`, every figure is computed by the engine
//! through `crate::dashboard`, and components only render what those return.

mod app;
mod echart;
mod export;
pub mod filters;
mod header;
pub mod kpis;
mod loader;
mod map_tab;
mod svg_map;
mod offline;
mod own_data;
mod print;
mod profile_tab;
mod chart_tab;
mod sources_tab;
pub mod state;
mod storage;
mod table_tab;
mod tabs;
mod web;

pub use app::App;
pub use state::AppState;

/// Mounts the app on `<body>`; called once by `main`.
pub fn mount() {
    use wasm_bindgen::JsCast;
    // A panic aborts the app (`panic = "abort"`): at least say why in the console. (A hand-written
    // hook rather than console_error_panic_hook: same message, fewer bytes on 3G.)
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
    // The "loading…" line index.html shows until the app starts (style/main.css, `.boot`).
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    // The framework-free first view (src/lean.rs) may be answering the reader in the copy: from
    // here on the app owns the view (it read the address bar the first view keeps), so the copy
    // stops reacting until the app replaces it.
    let stop = js_sys::Reflect::get(&js_sys::global(), &wasm_bindgen::JsValue::from_str("__coopFirstStop"));
    if let Ok(f) = stop.and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = f.call0(&wasm_bindgen::JsValue::NULL);
    }
    leptos::mount::mount_to_body(App);
}
