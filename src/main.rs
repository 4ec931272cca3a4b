//! Entry point of the web app: in the browser it only mounts the Leptos app (see `coop_atlas::ui`).

#[cfg(all(target_arch = "wasm32", feature = "app"))]
fn main() {
    coop_atlas::ui::mount();
}

#[cfg(all(target_arch = "wasm32", not(feature = "app")))]
compile_error!("coop-atlas-web is the Leptos app: build it with the default feature `app`");

/// Natively there is no app to run: say where it is.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("coop-atlas-web is the browser app: run `bash scripts/run.sh` and open http://127.0.0.1:8080");
    eprintln!("the command line is `coop-atlas` (cargo run --release --bin coop-atlas -- --help)");
    std::process::exit(2);
}
