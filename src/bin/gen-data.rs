//! `cargo run --release --bin gen-data [ROOT]` — rewrites the bundled illustrative dataset
//! (`public/data/dtts-mn/2019.json` … `2024.json`) and the catalog (`public/data/catalog.json`).
//!
//! Why a binary and not a build script: the files are shipped and reviewed like any other data, and
//! `tests/bundled_data.rs` regenerates them in memory to prove the shipped bytes are exactly what
//! this program writes. Run `python3 scripts/build_official.py` first: the catalog lists the years
//! found in `public/data/gso/official.json`.
//!
//! ROOT defaults to the crate directory (where `public/` lives).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use coop_atlas::synth::illustrative;

/// Reads the distinct `observations[].year` values of the official file, so the catalog cannot
/// disagree with it.
fn official_years(path: &Path) -> Result<Vec<u16>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e} (run scripts/build_official.py first)", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let obs = v["observations"]
        .as_array()
        .ok_or_else(|| format!("{}: no `observations` array", path.display()))?;
    let mut years = Vec::new();
    for (i, o) in obs.iter().enumerate() {
        let y = o["year"]
            .as_u64()
            .and_then(|y| u16::try_from(y).ok())
            .ok_or_else(|| format!("{}: observation {i}: `year` is not an integer year", path.display()))?;
        years.push(y);
    }
    years.sort_unstable();
    years.dedup();
    Ok(years)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("{:>9} bytes  {}", text.len(), path.display());
    Ok(())
}

fn run() -> Result<(), String> {
    let root: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let public = root.join("public");
    for (year, doc) in illustrative::generate_all() {
        write(&public.join(illustrative::year_path(year)), &doc)?;
    }
    let years = official_years(&public.join("data/gso/official.json"))?;
    write(&public.join("data/catalog.json"), &illustrative::catalog_json(&years))?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-data: {e}");
            ExitCode::FAILURE
        }
    }
}
