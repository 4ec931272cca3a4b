//! Entry point of the own-data Web Worker: in the browser it only starts listening (see
//! `coop_atlas::worker`); the page creates it when a user's file is first opened.

#[cfg(target_arch = "wasm32")]
fn main() {
    coop_atlas::worker::start();
}

/// Natively there is no worker to run: say where it is.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("coop-atlas-worker is the web app's own-data worker, built by Trunk (index.html)");
    eprintln!("to check a file natively: cargo run --release --bin coop-atlas -- validate FILE");
    std::process::exit(2);
}
