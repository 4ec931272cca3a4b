//! Coop Atlas — Atlas Kinh tế tập thể.
//!
//! The [`engine`] is pure: it parses and validates datasets, knows the 63 and 34 provinces and the
//! crosswalk between them, filters, groups and computes indicators, classifies values for the map,
//! formats numbers the Vietnamese way and encodes a view in a URL. It builds and tests natively.
//!
//! [`charts`] turns indicator results into ECharts options (pure, tested natively) and, in the
//! browser, binds the few ECharts calls charming lacks. The browser app (`ui`) exists only on
//! `wasm32` and is a thin layer of Leptos components over the engine.

pub mod catalog;
pub mod charts;
pub mod chips;
pub mod checker;
pub mod dashboard;
pub mod engine;
pub mod first_view;
pub mod i18n;
pub mod profile;
pub mod shapes;
pub mod synth;

#[cfg(target_arch = "wasm32")]
pub mod js_bytes;
#[cfg(target_arch = "wasm32")]
pub mod lean;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
