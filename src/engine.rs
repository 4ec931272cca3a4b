//! The pure computation engine of Coop Atlas.
//!
//! What it does not do: no I/O beyond bytes handed to it, no DOM, no JavaScript, no clock, no
//! randomness. Everything here compiles and is tested natively with `cargo test`, and runs the same
//! inside the browser's wasm.

pub mod vocab;
pub mod provinces;
pub mod error;
pub mod columns;
pub mod dataset;
pub mod field;
pub mod format;
pub mod classify;
pub mod url_state;
pub mod parse;
pub mod validate;
pub mod csv_import;
pub mod workbook;
pub mod byte_source;
pub mod incremental;
pub mod filter;
pub mod index;
pub mod sums;
pub mod order;
pub mod indicators;
pub mod progress;
pub mod source_choice;
pub mod wire;
pub mod xlsx_out;
pub mod markup;
pub use dataset::Dataset;
pub use error::{Issue, Report};
pub use filter::Filter;
pub use indicators::{compute, compute_all, GroupBy, IndicatorResult};
pub use parse::{parse_dataset, Limits};
