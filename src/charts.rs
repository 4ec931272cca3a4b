//! Charts: indicator results turned into ECharts options, and the binding that draws them.
//!
//! `options` is pure (it only builds JSON with charming and serde_json), so every chart's option is
//! tested natively, and so is `svg`, a trend drawn without ECharts (for the seconds before it
//! arrives). `bindings` exists only in the browser.

#[cfg(target_arch = "wasm32")]
pub mod bindings;
pub mod options;
pub mod svg;
