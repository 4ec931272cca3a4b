//! Entry point of the framework-free first view (see `coop_atlas::lean`): in the browser it writes
//! a shared link's own figures into the pre-rendered first view and answers its filters, then
//! starts the Leptos app, which takes over.

#[cfg(target_arch = "wasm32")]
fn main() {
    coop_atlas::lean::start();
}

/// Natively there is no page to fill: say where it is.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("coop-atlas-first is the web app's first view, built by Trunk (index.html)");
    eprintln!("run the app with `bash scripts/run.sh` and open http://127.0.0.1:8080");
    std::process::exit(2);
}
