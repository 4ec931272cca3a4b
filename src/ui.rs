//! The browser app: thin Leptos components over the engine, one screen or widget per file.
//!
//! Data flows one way: the URL holds the [`ViewState`](crate::engine::url_state::ViewState)
//! (`state`), datasets are fetched and parsed by `loader`, every figure is computed by the engine
//! through `crate::dashboard`, and components only render what those return.

mod app;
mod echart;
pub mod filters;
mod header;
pub mod kpis;
mod loader;
mod map_tab;
mod offline;
mod own_data;
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
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
