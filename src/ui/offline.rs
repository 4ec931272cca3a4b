//! Offline support on the page's side: registers the service worker (`sw.js`, written by
//! scripts/postbuild.mjs), shows when the app is offline and when the data on screen was last
//! refreshed from the network, and offers "a new version is ready — reload" when a new release has
//! been installed in the background.
//!
//! Why it is built this way:
//! - The worker is registered only after the app responds (its first figures are in), so its
//!   install (which fetches the build's files: ECharts and the own-data worker among them, which
//!   the first view never loads) does not compete with the first view for a 3G link. On a repeat
//!   visit (a worker already controls the page) it registers at once.
//! - A new worker waits until the user chooses to reload: the open page keeps running on the files
//!   it started with, and after the reload every file comes from the new version (never a mix).
//! - "Last refreshed" is read from the worker's cache (`x-coop-stored-at`, stamped when a file came
//!   from the network), because a file served offline was fetched earlier than the page loaded it.
//! - Every browser call is guarded: no worker support (plain http on a LAN address, private modes)
//!   or a refused registration only means no offline support, never a broken page.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::engine::vocab::Lang;

use super::echart::ECHARTS_SRC;
use super::loader::Loader;
use super::state::AppState;

/// The header the service worker adds to every response it stores (ms since the epoch).
const STORED_AT: &str = "x-coop-stored-at";

/// The content of `<meta name="…">` in the page, written by scripts/postbuild.mjs.
pub fn build_meta(name: &str) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let el = doc.query_selector(&format!("meta[name=\"{name}\"]")).ok()??;
    el.get_attribute("content").filter(|c| !c.is_empty())
}

/// The URL of the ECharts bundle: its content-hashed name from the build (`vendor/echarts-<hash>.js`,
/// cacheable for a year), or the unhashed development name when the page was not post-processed
/// (`trunk serve`).
pub fn echarts_src() -> String {
    build_meta("coop-atlas-echarts").unwrap_or_else(|| ECHARTS_SRC.to_string())
}

/// The page's service worker container, when the browser offers one (secure contexts only).
fn sw_container() -> Option<web_sys::ServiceWorkerContainer> {
    let nav = web_sys::window()?.navigator();
    let v = js_sys::Reflect::get(&nav, &"serviceWorker".into()).ok()?;
    if v.is_undefined() || v.is_null() {
        return None;
    }
    v.dyn_into().ok()
}

fn online_now() -> bool {
    web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
}

/// Adds a listener for the page's lifetime (the component lives as long as the app).
fn listen(target: &web_sys::EventTarget, event: &str, f: impl FnMut() + 'static) {
    let cb = Closure::<dyn FnMut()>::new(f);
    let _ = target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Posts `{ type, urls? }` to a worker.
fn post(worker: &web_sys::ServiceWorker, kind: &str, urls: Option<js_sys::Array>) {
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &kind.into());
    if let Some(u) = urls {
        let _ = js_sys::Reflect::set(&msg, &"urls".into(), &u);
    }
    let _ = worker.post_message(&msg);
}

/// The same-origin files the page has fetched so far (resource timing), so the worker can keep the
/// ones it did not see itself (the first visit, before it controlled the page).
fn fetched_urls() -> js_sys::Array {
    let out = js_sys::Array::new();
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        for entry in perf.get_entries_by_type("resource").iter() {
            if let Ok(e) = entry.dyn_into::<web_sys::PerformanceEntry>() {
                out.push(&JsValue::from_str(&e.name()));
            }
        }
    }
    out
}

thread_local! {
    /// Set when the user chose to reload into the new version: the next controller change reloads.
    static RELOAD_ON_CHANGE: Cell<bool> = const { Cell::new(false) };
}

/// What the status bar needs from the worker.
#[derive(Clone, Copy)]
struct Worker {
    /// A new version is installed and waiting.
    update_ready: RwSignal<bool>,
    registered: StoredValue<bool>,
}

impl Worker {
    /// Registers `sw.js` (relative to the page, so it also works under a sub-path) and wires the
    /// update prompt. Called once.
    fn register(self) {
        if self.registered.get_value() {
            return;
        }
        self.registered.set_value(true);
        // Only a release build has a worker (postbuild writes it and this meta): a development build
        // (`trunk serve`) must not get one, or it would keep serving stale files.
        if build_meta("coop-atlas-version").is_none() {
            return;
        }
        let Some(container) = sw_container() else { return };
        let c2 = container.clone();
        let had_controller = Rc::new(Cell::new(container.controller().is_some()));
        listen(&container, "controllerchange", move || {
            if RELOAD_ON_CHANGE.with(Cell::get) {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            } else if had_controller.get() {
                // The update was accepted in another tab: this page's files are no longer the
                // worker's version, so offer the reload here too.
                self.update_ready.set(true);
            } else if let Some(active) = c2.controller() {
                // First visit: the worker has just taken control; hand it what it missed.
                had_controller.set(true);
                post(&active, "cache-urls", Some(fetched_urls()));
            }
        });
        leptos::task::spawn_local(async move {
            let Ok(reg) = JsFuture::from(container.register("sw.js")).await else { return };
            let Ok(reg) = reg.dyn_into::<web_sys::ServiceWorkerRegistration>() else { return };
            let has_controller = container.controller().is_some();
            if has_controller && reg.waiting().is_some() {
                self.update_ready.set(true);
            }
            let reg2 = reg.clone();
            let c3 = container.clone();
            listen(&reg, "updatefound", move || {
                let Some(installing) = reg2.installing() else { return };
                let w2 = installing.clone();
                let c4 = c3.clone();
                listen(&installing, "statechange", move || {
                    // Only an *update* needs the prompt; a first install just starts working.
                    if w2.state() == web_sys::ServiceWorkerState::Installed && c4.controller().is_some() {
                        self.update_ready.set(true);
                    }
                });
            });
            // Check for a release when the page comes back online or to the foreground.
            if let Some(w) = web_sys::window() {
                let r = reg.clone();
                listen(&w, "online", move || {
                    let _ = r.update();
                });
                if let Some(doc) = w.document() {
                    let r = reg.clone();
                    let d = doc.clone();
                    listen(&doc, "visibilitychange", move || {
                        if d.visibility_state() == web_sys::VisibilityState::Visible {
                            let _ = r.update();
                        }
                    });
                }
            }
            if let Some(active) = reg.active() {
                post(&active, "cache-urls", Some(fetched_urls()));
            }
        });
    }

    /// The user accepted the update: activate the waiting worker, reload when it takes over.
    fn apply_update(self) {
        let Some(container) = sw_container() else { return };
        leptos::task::spawn_local(async move {
            let reg = JsFuture::from(container.get_registration())
                .await
                .ok()
                .and_then(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>().ok());
            match reg.and_then(|r| r.waiting()) {
                Some(waiting) => {
                    RELOAD_ON_CHANGE.with(|c| c.set(true));
                    post(&waiting, "skip-waiting", None);
                }
                None => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
            }
        });
    }
}

/// When the files of the current dataset were stored by the worker (the oldest of them), if they were.
async fn stored_at(paths: Vec<String>) -> Option<f64> {
    let caches = web_sys::window()?.caches().ok()?;
    let mut oldest: Option<f64> = None;
    for p in paths {
        let Ok(hit) = JsFuture::from(caches.match_with_str(&p)).await else { continue };
        let Ok(resp) = hit.dyn_into::<web_sys::Response>() else { continue };
        let Some(ms) = resp.headers().get(STORED_AT).ok().flatten().and_then(|s| s.parse::<f64>().ok()) else {
            continue;
        };
        oldest = Some(oldest.map_or(ms, |o: f64| o.min(ms)));
    }
    oldest
}

/// `14:05 28/11/2026` (vi) or `28/11/2026 14:05` (en), local time.
/// A moment as the reader writes it: `13:06 ngày 28/11/2026`, `28/11/2026 13:06`.
pub fn format_time(ms: f64, lang: Lang) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    let (hh, mi) = (d.get_hours(), d.get_minutes());
    let date = format!("{:02}/{:02}/{}", d.get_date(), d.get_month() + 1, d.get_full_year());
    match lang {
        Lang::Vi => format!("{hh:02}:{mi:02} ngày {date}"),
        Lang::En => format!("{date} {hh:02}:{mi:02}"),
    }
}

fn text(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The status bar: offline badge, "data last refreshed", and the update prompt.
#[component]
pub fn OfflineStatus() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loader = expect_context::<Loader>();
    let online = RwSignal::new(online_now());
    let worker = Worker { update_ready: RwSignal::new(false), registered: StoredValue::new(false) };
    let refreshed = RwSignal::new(None::<f64>);

    if let Some(w) = web_sys::window() {
        listen(&w, "online", move || online.set(true));
        listen(&w, "offline", move || online.set(false));
    }

    // Register at once when a worker already controls the page; otherwise once the app responds
    // (its first figures are in), plus a moment for the map's shapes and the previous year. The
    // worker's install then precaches the rest of the app (ECharts, the own-data worker…) in the
    // background, on a link the first view no longer needs: it never delays the first view.
    let controlled = sw_container().and_then(|c| c.controller()).is_some();
    if controlled {
        worker.register();
    } else {
        Effect::new(move |_| {
            let first_view = state.datasets.with(|m| !m.is_empty());
            if first_view && !worker.registered.get_value() {
                leptos::task::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(2_000).await;
                    worker.register();
                });
            }
        });
    }

    // "Data last refreshed": the worker's stamp on the files shown, else when the page fetched them.
    Effect::new(move |_| {
        let _ = online.get();
        let Some(loaded) = state.current() else { return };
        let id = state.view.with(|v| v.dataset.clone());
        // The years with rows (off the row index: a million-row dataset's years are not copied).
        let years: Vec<u16> = loaded.dataset.entities.years_present();
        let paths: Vec<String> = loader.catalog.with_untracked(|c| {
            c.as_ref()
                .and_then(|c| c.get(&id))
                .map(|e| {
                    e.plan()
                        .files
                        .into_iter()
                        .filter(|(y, _)| y.is_none_or(|y| years.contains(&y)))
                        .map(|(_, p)| crate::catalog::packed_path(&p))
                        .collect()
                })
                .unwrap_or_default()
        });
        let fetched_at = loaded.fetched_at;
        leptos::task::spawn_local(async move {
            let at = stored_at(paths).await.unwrap_or(fetched_at);
            refreshed.set(Some(at));
        });
    });

    let lang = move || state.lang();
    view! {
        <div class="offline-bar" data-testid="offline-status">
            {move || (!online.get()).then(|| view! {
                <p class="badge offline" role="status" data-testid="offline-badge">
                    {text(lang(), "Đang ngoại tuyến — dùng dữ liệu đã lưu trên máy", "Offline — using data saved on this device")}
                </p>
            })}
            {move || refreshed.get().map(|ms| view! {
                <p class="refreshed" data-testid="data-refreshed" data-ms=ms.to_string()>
                    // When this copy reached the device, not the data's own date (a 2024 dataset fetched
                    // today): "updated at" next to a year's figures read as "current figures".
                    {text(lang(), "Bản dữ liệu này tải về máy lúc ", "This copy of the data was downloaded at ")}{format_time(ms, lang())}
                </p>
            })}
            {move || worker.update_ready.get().then(|| view! {
                <p class="update-ready" role="status" data-testid="update-ready">
                    {text(lang(), "Đã có phiên bản mới. ", "A new version is ready. ")}
                    <button type="button" class="btn small" data-testid="update-reload" on:click=move |_| worker.apply_update()>
                        {text(lang(), "Tải lại", "Reload")}
                    </button>
                </p>
            })}
        </div>
    }
}
