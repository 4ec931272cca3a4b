//! Entry point of the workbook worker: the own-data worker (`coop_atlas::worker`) with the Excel
//! workbook reader (`coop_atlas::engine::workbook`) linked in. The page creates it instead of
//! `coop-atlas-worker` only when the file picked is a workbook (told by its first bytes), so the
//! reader weighs on neither the first view nor the CSV/JSON worker.

#[cfg(target_arch = "wasm32")]
fn main() {
    coop_atlas::worker::start_with_workbooks();
}

/// Natively there is no worker to run: say where it is.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("coop-atlas-workbook is the web app's workbook worker, built by Trunk (index.html)");
    eprintln!("to check a workbook natively: cargo run --release --bin coop-atlas -- validate FILE.xlsx");
    std::process::exit(2);
}
