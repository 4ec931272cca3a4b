//! Bring your own data: open a dataset file (JSON in the Coop Atlas format, or a CSV exported from
//! Excel) from the device or by drag-and-drop, or from a link (`?data=https://…`); check it; keep it
//! in the browser (IndexedDB, see `storage`); list and remove what is kept.
//!
//! Promises this module keeps, and why:
//! - **Nothing leaves the device.** Files are read with the File API and parsed in wasm; the only
//!   request made is the `data=` fetch the link itself asks for, and it carries no user data (no
//!   cookies, no referrer).
//! - **A bad file changes nothing on screen.** A file is parsed into a new value; only a file
//!   without errors is added to the state. Errors are listed (row, field, found, expected; the first
//!   50, then a count), announced with `role="alert"`, and offered as a CSV download.
//! - **The page never freezes for long.** The file is read in 4 MB slices and a CSV is converted
//!   in slices of about 30 ms, with a progress bar and a Cancel button between slices.
//! - **The file stays out of wasm memory.** Wasm memory never shrinks, so the file's bytes are
//!   kept in a JavaScript `Uint8Array` ([`JsBytes`]): the sliced parser copies in only what it is
//!   working on, and IndexedDB stores that same array. Only a CSV is copied in, to be converted;
//!   its JSON form then goes back out to JavaScript before it is parsed.
//! - **A link cannot pass a file off as official.** A dataset from `data=` is shown under a banner
//!   naming the site it came from; a link to a device-local dataset (`ld=`) names it, and a device
//!   without it says which dataset is missing instead of showing other data.
//! - **Dataset text is text.** Every name, title and source is rendered as a text node.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use js_sys::Uint8Array;

use crate::engine::csv_import::{self, CsvFile, CsvMeta, Field, Guess};
use crate::engine::dataset::Text;
use crate::engine::error::{Issue, Phrase, Report};
use crate::engine::incremental::{IncrementalParser, BATCH_ROWS};
use crate::engine::parse::{self, Limits, Parsed};
use crate::engine::vocab::{Boundary, Lang};
use crate::js_bytes::JsBytes;

use super::state::{AppState, Loaded};
use super::storage::{self, StoredMeta};
use super::web;

/// Largest file read from the device or a link (the format's limit, docs/dataset-format.md).
const MAX_BYTES: usize = 100_000_000;
/// A `data=` fetch that takes longer than this is stopped (3G can be slow, but not this slow).
const FETCH_TIMEOUT_MS: u32 = 60_000;
/// Bytes read from a file per slice.
const READ_SLICE: f64 = 4.0 * 1024.0 * 1024.0;
/// Time spent converting before yielding to the page.
const SLICE_MS: f64 = 30.0;
/// Bytes at the start of a file that decide whether it is a CSV (its first line is its header).
const SNIFF_BYTES: u32 = 64 * 1024;

fn tr(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The key of a device-local dataset in [`AppState::datasets`].
pub fn local_key(id: &str) -> String {
    format!("local:{id}")
}

/// The key of a dataset fetched from a `data=` link in [`AppState::datasets`].
pub fn remote_key(url: &str) -> String {
    format!("url:{url}")
}

/// The host of an `https://` address (what the banner names).
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_string()
}

/// The CSV mapping step: the file, the guess for each column, and the user's choices.
#[derive(Clone)]
pub struct Mapping {
    file_name: String,
    file: CsvFile,
    guesses: Vec<Guess>,
    choice: Vec<Option<Field>>,
    boundary: Boundary,
}

/// What the panel is doing.
#[derive(Clone)]
pub enum Phase {
    /// Waiting for a file.
    Idle,
    /// Reading or converting `name`: `done` of `total` bytes; `checking` once parsing.
    Busy { name: String, done: f64, total: f64, checking: bool },
    /// Asking which field each CSV column holds.
    Mapping(Arc<Mapping>),
}

/// The shared state of the "your data" feature.
#[derive(Clone, Copy)]
pub struct OwnData {
    /// Datasets kept on this device, newest first.
    pub stored: RwSignal<Vec<StoredMeta>>,
    /// Whether the list has been read from IndexedDB (a missing `ld=` is only reported after).
    pub stored_ready: RwSignal<bool>,
    /// What the panel is doing.
    pub phase: RwSignal<Phase>,
    /// The last refused file and why.
    pub refused: RwSignal<Option<(String, Report)>>,
    /// The last accepted file, its warnings, and whether it could be kept on the device.
    pub accepted: RwSignal<Option<(String, Report, Option<String>)>>,
    /// A `ld=` dataset this device does not have.
    pub missing: RwSignal<Option<String>>,
    /// The `data=` fetch: `Ok(host)` once loaded, `Err(message)` when it failed.
    pub remote: RwSignal<Option<Result<String, String>>>,
    /// Bumped by Cancel (and by each new load): a task whose number is stale stops.
    generation: StoredValue<u32>,
}

impl OwnData {
    /// Creates the state, reads the list of kept datasets and starts what the link asks for
    /// (`ld=`, `data=`).
    pub fn start(state: AppState) -> OwnData {
        let own = OwnData {
            stored: RwSignal::new(Vec::new()),
            stored_ready: RwSignal::new(false),
            phase: RwSignal::new(Phase::Idle),
            refused: RwSignal::new(None),
            accepted: RwSignal::new(None),
            missing: RwSignal::new(None),
            remote: RwSignal::new(None),
            generation: StoredValue::new(0),
        };
        leptos::task::spawn_local(async move {
            if let Ok(list) = storage::list().await {
                own.stored.set(list);
            }
            own.stored_ready.set(true);
        });
        // Show the local dataset a view names, reading it from IndexedDB when needed.
        Effect::new(move |_| {
            let Some(id) = state.view.with(|v| v.local.clone()) else {
                own.missing.set(None);
                return;
            };
            if !own.stored_ready.get() {
                return;
            }
            if state.datasets.with_untracked(|m| m.contains_key(&local_key(&id))) {
                own.missing.set(None);
                return;
            }
            leptos::task::spawn_local(async move {
                match storage::load(&id).await {
                    // In slices with progress, like a picked file: a kept national register must
                    // not freeze the page it reopens in.
                    Ok(Some(bytes)) => {
                        let g = own.next_generation();
                        match own.parse_sliced(g, &id, &bytes, Limits { max_bytes: usize::MAX }).await {
                            Some(Ok(p)) => {
                                own.missing.set(None);
                                insert(state, &local_key(&id), p);
                            }
                            Some(Err(r)) => own.missing.set(Some(format!("{id}: {r}"))),
                            // Cancelled: back to the bundled data rather than an empty screen.
                            None => state.update(|v| {
                                if v.local.as_deref() == Some(id.as_str()) {
                                    v.local = None;
                                }
                            }),
                        }
                    }
                    _ => own.missing.set(Some(id)),
                }
            });
        });
        // Fetch the dataset a `data=` link names, once per address.
        Effect::new(move |_| {
            let Some(url) = state.view.with(|v| v.data_url.clone()) else {
                own.remote.set(None);
                return;
            };
            if state.datasets.with_untracked(|m| m.contains_key(&remote_key(&url))) {
                return;
            }
            let lang = state.lang();
            own.remote.set(None);
            leptos::task::spawn_local(async move {
                let host = host_of(&url);
                let result = match fetch_remote(&url, lang).await {
                    Ok(bytes) => {
                        // Parsed in slices with progress like a file, the bytes left in JavaScript.
                        let g = own.next_generation();
                        match own.parse_sliced(g, &host, &bytes, Limits::default()).await {
                            Some(r) => r.map_err(|r| {
                                format!("{}: {}", tr(lang, "Tệp không đúng định dạng", "The file is not a valid dataset"), r)
                            }),
                            None => {
                                state.update(|v| {
                                    if v.data_url.as_deref() == Some(url.as_str()) {
                                        v.data_url = None;
                                    }
                                });
                                return;
                            }
                        }
                    }
                    Err(e) => Err(e),
                };
                match result {
                    Ok(p) => {
                        insert(state, &remote_key(&url), p);
                        own.remote.set(Some(Ok(host)));
                    }
                    Err(e) => own.remote.set(Some(Err(e))),
                }
            });
        });
        own
    }

    fn next_generation(&self) -> u32 {
        let g = self.generation.get_value().wrapping_add(1);
        self.generation.set_value(g);
        g
    }

    fn is_current(&self, g: u32) -> bool {
        self.generation.get_value() == g
    }

    /// Stops the load in progress; what was on screen stays.
    pub fn cancel(&self) {
        self.next_generation();
        self.phase.set(Phase::Idle);
    }

    /// Opens a file the user picked or dropped.
    pub fn open(&self, state: AppState, file: web_sys::File) {
        let own = *self;
        let g = own.next_generation();
        let name = file.name();
        let size = file.size();
        own.refused.set(None);
        own.accepted.set(None);
        if size > MAX_BYTES as f64 {
            own.refuse(&name, Report::single(Issue::error(parse::file_size(size as usize), parse::size_limit(MAX_BYTES))));
            return;
        }
        own.phase.set(Phase::Busy { name: name.clone(), done: 0.0, total: size, checking: false });
        leptos::task::spawn_local(async move {
            let bytes = match read_file(&file, |done| {
                own.phase.set(Phase::Busy { name: name.clone(), done, total: size, checking: false });
            }, || own.is_current(g)).await {
                Ok(Some(b)) => b,
                Ok(None) => return, // cancelled
                Err(e) => {
                    own.refuse(&name, Report::single(Issue::error(Phrase::same(e), Phrase::new("a readable file", "một tệp đọc được"))));
                    return;
                }
            };
            let head = bytes.subarray(0, SNIFF_BYTES.min(bytes.length())).to_vec();
            if looks_like_csv(&name, &head, head.len() < bytes.length() as usize) {
                drop(head);
                own.start_csv(state, g, name, bytes.to_vec()).await;
            } else {
                own.parse_json(state, g, name, bytes, None).await;
            }
        });
    }

    /// Parses a dataset held in JavaScript in slices of about [`SLICE_MS`] (engine::incremental),
    /// painting progress under `name`; `None` when Cancel was pressed or a newer load took over
    /// (generation `g` is no longer current). Every way a dataset arrives goes through here: a
    /// picked file, a converted CSV, a kept dataset (`ld=`) and a fetched one (`data=`).
    async fn parse_sliced(&self, g: u32, name: &str, bytes: &Uint8Array, limits: Limits) -> Option<Result<Parsed, Report>> {
        let mut parser = IncrementalParser::with_source(Box::new(JsBytes(bytes.clone())), limits, BATCH_ROWS);
        self.phase.set(Phase::Busy { name: name.to_string(), done: 0.0, total: 1.0, checking: true });
        next_frame().await;
        loop {
            if !self.is_current(g) {
                return None;
            }
            let start = web::now_ms();
            let mut progress;
            loop {
                progress = parser.step(1 << 20);
                if progress.finished || web::now_ms() - start > SLICE_MS {
                    break;
                }
            }
            if progress.finished {
                self.phase.set(Phase::Idle);
                return Some(parser.finish());
            }
            self.phase.set(Phase::Busy { name: name.to_string(), done: progress.done as f64, total: progress.total as f64, checking: true });
            next_frame().await;
        }
    }

    /// Parses a JSON file in slices (engine::incremental), painting progress and honouring Cancel.
    /// `rows`: for a converted CSV, the spreadsheet row of each entity, so that messages name the
    /// rows the user sees in Excel.
    async fn parse_json(&self, state: AppState, g: u32, name: String, bytes: Uint8Array, rows: Option<csv_import::RowMap>) {
        let Some(mut result) = self.parse_sliced(g, &name, &bytes, Limits::default()).await else {
            return;
        };
        if let Some(rows) = rows {
            match &mut result {
                Ok(p) => rows.remap(&mut p.warnings),
                Err(r) => rows.remap(r),
            }
        }
        self.conclude(state, name, result.map(|p| (p, bytes)));
    }

    /// Ends a load with the file refused: its report, listed from the top of the file down
    /// (the checks find issues a column at a time).
    fn refuse(&self, name: &str, mut report: Report) {
        report.sort_by_place();
        self.phase.set(Phase::Idle);
        self.refused.set(Some((name.to_string(), report)));
    }

    async fn start_csv(&self, state: AppState, g: u32, name: String, bytes: Vec<u8>) {
        let file = match csv_import::read(&bytes, &Limits::default()) {
            Ok(f) => f,
            Err(r) => return self.refuse(&name, r),
        };
        drop(bytes);
        let guesses = csv_import::guess_mapping(&file.headers);
        let choice: Vec<Option<Field>> = guesses.iter().map(|g| g.field).collect();
        let boundary = csv_import::province_column_boundary(&file, &choice);
        let mapping = Mapping { file_name: name, file, guesses: guesses.clone(), choice, boundary };
        if csv_import::needs_mapping(&guesses) {
            self.phase.set(Phase::Mapping(Arc::new(mapping)));
        } else {
            self.convert(state, g, mapping).await;
        }
    }

    /// Converts a mapped CSV in slices, then checks it.
    async fn convert(&self, state: AppState, g: u32, m: Mapping) {
        let total = m.file.len() as f64;
        let meta = CsvMeta {
            id: csv_import::id_from_file_name(&m.file_name),
            title: m.file_name.clone(),
            publisher: Text::new(&format!("Tệp của người dùng ({})", m.file_name), &format!("User's file ({})", m.file_name)),
            boundary: m.boundary,
        };
        let mut conv = match csv_import::Converter::new(&m.file, &m.choice, meta) {
            Ok(c) => c,
            Err(r) => return self.refuse(&m.file_name, r),
        };
        drop(m.file);
        let name = m.file_name;
        loop {
            let start = web::now_ms();
            let mut progress;
            loop {
                progress = conv.step(2_000);
                if progress.finished || web::now_ms() - start > SLICE_MS {
                    break;
                }
            }
            self.phase.set(Phase::Busy { name: name.clone(), done: progress.done as f64, total, checking: progress.finished });
            next_frame().await;
            if !self.is_current(g) {
                return;
            }
            if progress.finished {
                break;
            }
        }
        match conv.into_json() {
            Ok((json, rows)) => {
                // Out to JavaScript (where it is parsed from and stored), freeing wasm memory for
                // the columns.
                let bytes = Uint8Array::from(json.as_bytes());
                drop(json);
                self.parse_json(state, g, name, bytes, Some(rows)).await
            }
            Err(report) => self.conclude(state, name, Err(report)),
        }
    }

    /// Keeps an accepted dataset (state, IndexedDB, switch to it) or shows why it was refused.
    fn conclude(&self, state: AppState, name: String, result: Result<(Parsed, Uint8Array), Report>) {
        let own = *self;
        let (parsed, bytes) = match result {
            Ok(x) => x,
            Err(report) => return own.refuse(&name, report),
        };
        own.phase.set(Phase::Idle);
        let ds = &parsed.dataset;
        let meta = StoredMeta {
            id: ds.meta.id.clone(),
            title_vi: ds.meta.title.vi.clone(),
            title_en: ds.meta.title.get(Lang::En).to_string(),
            file_name: name.clone(),
            size: f64::from(bytes.length()),
            records: (ds.entities.len() + ds.observations.len()) as f64,
            loaded_at: js_sys::Date::now(),
        };
        let id = meta.id.clone();
        let mut warnings = parsed.warnings.clone();
        warnings.sort_by_place();
        insert(state, &local_key(&id), parsed);
        own.stored.update(|l| {
            l.retain(|m| m.id != id);
            l.insert(0, meta.clone());
        });
        state.update(|v| {
            v.local = Some(id.clone());
            v.data_url = None;
            v.indicator = crate::engine::url_state::ViewState::default().indicator;
            v.year = None;
            v.year_from = None;
            v.provinces.clear();
        });
        own.accepted.set(Some((name.clone(), warnings.clone(), None)));
        leptos::task::spawn_local(async move {
            if let Err(e) = storage::save(&meta, &bytes).await {
                own.accepted.set(Some((name, warnings, Some(e))));
            }
        });
    }

    /// Removes a kept dataset; a view showing it goes back to the bundled data.
    pub fn remove(&self, state: AppState, id: String) {
        let own = *self;
        // Off the device first, then off the screen: a list that no longer shows a dataset must
        // mean it is gone (a reload right after must not find it again).
        leptos::task::spawn_local(async move {
            if let Err(e) = storage::remove(&id).await {
                state.flash.set(Some(e));
                return;
            }
            state.datasets.update(|m| {
                m.remove(&local_key(&id));
            });
            own.stored.update(|l| l.retain(|m| m.id != id));
            if state.view.with_untracked(|v| v.local.as_deref() == Some(id.as_str())) {
                state.update(|v| v.local = None);
            }
        });
    }
}

fn insert(state: AppState, key: &str, parsed: Parsed) {
    let loaded = Loaded { dataset: Arc::new(parsed.dataset), complete: true, fetched_at: js_sys::Date::now() };
    state.datasets.update(|m| {
        m.insert(key.to_string(), loaded);
    });
}

/// A CSV by its name, or by its first character when the name says nothing (a JSON dataset
/// starts with `{`, after an optional byte-order mark and spaces). `bytes` is the start of the
/// file; `truncated` says there is more, so a first line cut in the middle of a character is not
/// taken for invalid text.
fn looks_like_csv(name: &str, bytes: &[u8], truncated: bool) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt") {
        return true;
    }
    if lower.ends_with(".json") {
        return false;
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let first = body.iter().copied().find(|b| !b.is_ascii_whitespace());
    // Text that is not JSON and has a separator on its first line reads as CSV; anything else
    // goes to the JSON reader, whose messages say what the file looks like (image, HTML, UTF-16).
    let line: &[u8] = body.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let text = match std::str::from_utf8(line) {
        Ok(_) => true,
        Err(e) => truncated && line.len() == body.len() && e.error_len().is_none(),
    };
    !matches!(first, Some(b'{' | b'[') | None)
        && text
        && line.iter().any(|&b| b == b';' || b == b',' || b == b'\t')
}

/// Lets the browser paint (progress) and handle input (Cancel) before the next slice.
async fn next_frame() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Reads a file in slices into one JavaScript array (not into wasm memory); `Ok(None)` when
/// `alive` turns false (cancelled).
async fn read_file(file: &web_sys::File, progress: impl Fn(f64), alive: impl Fn() -> bool) -> Result<Option<Uint8Array>, String> {
    let size = file.size();
    let out = Uint8Array::new_with_length(size as u32);
    let mut at = 0.0;
    while at < size {
        let end = (at + READ_SLICE).min(size);
        let blob = file.slice_with_f64_and_f64(at, end).map_err(|_| "cannot read the file".to_string())?;
        let buf = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|_| "cannot read the file (was it moved or deleted?)".to_string())?;
        out.set(&Uint8Array::new(&buf), at as u32);
        at = end;
        if !alive() {
            return Ok(None);
        }
        progress(at);
    }
    Ok(Some(out))
}

/// Fetches a `data=` address with no cookies and no referrer, a size limit and a timeout.
async fn fetch_remote(url: &str, lang: Lang) -> Result<Uint8Array, String> {
    let host = host_of(url);
    let controller = web_sys::AbortController::new().map_err(|_| "fetch is not available".to_string())?;
    let timed_out = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = timed_out.clone();
    let c2 = controller.clone();
    let _timer = gloo_timers::callback::Timeout::new(FETCH_TIMEOUT_MS, move || {
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        c2.abort();
    });
    let too_slow = || {
        format!(
            "{} {host} {} {} s.",
            tr(lang, "Máy chủ", "The server"),
            tr(lang, "không trả lời xong trong", "did not finish answering within"),
            FETCH_TIMEOUT_MS / 1000
        )
    };
    let resp = gloo_net::http::Request::get(url)
        .abort_signal(Some(&controller.signal()))
        .credentials(web_sys::RequestCredentials::Omit)
        .referrer_policy(web_sys::ReferrerPolicy::NoReferrer)
        .send()
        .await
        .map_err(|_| {
            if timed_out.load(std::sync::atomic::Ordering::Relaxed) {
                too_slow()
            } else {
                format!(
                    "{} {host}: {}",
                    tr(lang, "Không tải được dữ liệu từ", "Could not fetch data from"),
                    tr(lang, "trang đó không cho phép tải từ trang khác (CORS), hoặc không truy cập được (mất mạng?).",
                        "that site does not allow other sites to read it (CORS), or it cannot be reached (offline?).")
                )
            }
        })?;
    if !resp.ok() {
        return Err(format!("{} {host}: HTTP {}", tr(lang, "Không tải được dữ liệu từ", "Could not fetch data from"), resp.status()));
    }
    let too_big = |n: f64| {
        format!(
            "{} {host} {} ({} MB; {} 100 MB).",
            tr(lang, "Tệp từ", "The file from"),
            tr(lang, "quá lớn", "is too large"),
            crate::engine::format::number(n / 1e6, 1, lang),
            tr(lang, "tối đa", "at most")
        )
    };
    if let Some(len) = resp.headers().get("content-length").and_then(|l| l.trim().parse::<f64>().ok()) {
        if len > MAX_BYTES as f64 {
            return Err(too_big(len));
        }
    }
    let Some(body) = resp.body() else { return Ok(Uint8Array::new_with_length(0)) };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    // The chunks stay in JavaScript and are joined there once: copied into wasm they would stay
    // its peak memory (a growing Vec holds up to twice the file), only to be copied out again for
    // the sliced parser and IndexedDB.
    let chunks = js_sys::Array::new();
    let mut total = 0usize;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| {
            if timed_out.load(std::sync::atomic::Ordering::Relaxed) { too_slow() } else { format!("{host}: {}", tr(lang, "kết nối bị ngắt", "the connection broke")) }
        })?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done")).ok().and_then(|d| d.as_bool()).unwrap_or(true);
        if done {
            break;
        }
        if let Ok(v) = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")) {
            let arr = Uint8Array::new(&v);
            total += arr.length() as usize;
            if total > MAX_BYTES {
                let _ = reader.cancel();
                return Err(too_big(total as f64));
            }
            chunks.push(&arr);
        }
    }
    let out = Uint8Array::new_with_length(total as u32);
    let mut at = 0u32;
    for chunk in chunks.iter() {
        let chunk = Uint8Array::new(&chunk);
        out.set(&chunk, at);
        at += chunk.length();
    }
    Ok(out)
}

fn human_size(bytes: f64, lang: Lang) -> String {
    let (v, unit) = if bytes >= 1e6 { (bytes / 1e6, "MB") } else { (bytes / 1e3, "KB") };
    crate::engine::format::number(v, 1, lang) + " " + unit
}


/// What an issue expected. A long one that ends in a list ("a province code of the 63-province
/// list: one of 01, 02, …", 63 codes) shows its list folded: open, it filled a phone's screen and
/// pushed the other errors out of sight.
fn expected_view(text: &str, lang: Lang) -> impl IntoView {
    match text.split_once(": ").filter(|_| text.chars().count() > 120) {
        Some((head, list)) => view! {
            <span class="expected">{head.to_string()}": "
                <details class="expected-list"><summary>{tr(lang, "xem danh sách", "show the list")}</summary>{list.to_string()}</details>
            </span>
        }
        .into_any(),
        None => view! { <span class="expected">{text.to_string()}</span> }.into_any(),
    }
}

/// One list of issues (errors or warnings), with the count of those not listed.
fn issue_list(issues: Vec<Issue>, more: usize, lang: Lang, testid: &'static str) -> impl IntoView {
    view! {
        <ol class="issues" data-testid=testid>
            {issues.into_iter().map(|i| view! {
                <li data-testid="issue">
                    <span class="place">{i.place(lang)}</span>": "
                    {tr(lang, "thấy ", "found ")}<span class="found">{i.found.get(lang).to_string()}</span>
                    {tr(lang, ", cần ", ", expected ")}{expected_view(i.expected.get(lang), lang)}
                </li>
            }).collect_view()}
        </ol>
        {(more > 0).then(|| view! {
            <p data-testid=format!("{testid}-more")>{match lang {
                Lang::Vi => format!("… và {more} mục nữa (tải báo cáo để xem 50 mục đầu dưới dạng bảng)."),
                Lang::En => format!("… and {more} more (download the report for the first 50 as a table)."),
            }}</p>
        })}
    }
}

/// The panel: open a file, progress and Cancel, the mapping step, the report, the kept datasets.
#[component]
pub fn OwnDataPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let own = expect_context::<OwnData>();
    let lang = move || state.lang();

    // Dropping a file anywhere on the page opens it (and never navigates away to the file).
    let over = window_event_listener(leptos::ev::dragover, move |ev| ev.prevent_default());
    let dropped = window_event_listener(leptos::ev::drop, move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        if let Some(f) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            own.open(state, f);
        }
    });
    on_cleanup(move || {
        over.remove();
        dropped.remove();
    });
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(f) = input.files().and_then(|f| f.get(0)) {
            own.open(state, f);
        }
        // Picking the same file again (after fixing it) must fire `change` again.
        input.set_value("");
    };

    view! {
        <section class="own-data" data-testid="own-data" aria-labelledby="own-data-title">
            <h2 id="own-data-title">{move || tr(lang(), "Dữ liệu của bạn", "Your data")}</h2>
            <p class="hint">{move || tr(lang(),
                "Mở tệp JSON theo định dạng Coop Atlas hoặc tệp CSV xuất từ Excel (chọn tệp, hoặc kéo thả vào trang). Tệp chỉ được xử lý và lưu trên thiết bị này, không gửi đi đâu.",
                "Open a JSON file in the Coop Atlas format or a CSV exported from Excel (pick a file, or drop it on the page). Files are processed and kept on this device only, never sent anywhere.")}</p>
            <label class="btn file-pick">
                {move || tr(lang(), "Chọn tệp…", "Choose a file…")}
                <input type="file" class="visually-hidden" data-testid="file-input"
                    accept=".json,.csv,.tsv,.txt,application/json,text/csv" on:change=on_pick/>
            </label>
            <Progress/>
            <MappingStep/>
            <FileReport/>
            <StoredList/>
        </section>
    }
}

#[component]
fn Progress() -> impl IntoView {
    let state = expect_context::<AppState>();
    let own = expect_context::<OwnData>();
    move || {
        let lang = state.lang();
        match own.phase.get() {
            Phase::Busy { name, done, total, checking } => Some(view! {
                <div class="load-progress" role="status" data-testid="load-progress">
                    <p>{if checking { tr(lang, "Đang kiểm tra ", "Checking ") } else { tr(lang, "Đang đọc ", "Reading ") }}<q>{name}</q></p>
                    <progress max=total.max(1.0) value=done></progress>
                    " "{crate::engine::format::percent(if total > 0.0 { done / total } else { 1.0 }, 0, lang)}" "
                    <button type="button" class="btn small" data-testid="load-cancel" on:click=move |_| own.cancel()>
                        {tr(lang, "Hủy", "Cancel")}
                    </button>
                </div>
            }),
            _ => None,
        }
    }
}

#[component]
fn MappingStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let own = expect_context::<OwnData>();
    move || {
        let lang = state.lang();
        let Phase::Mapping(m) = own.phase.get() else { return None };
        let choice = RwSignal::new(m.choice.clone());
        let boundary = RwSignal::new(m.boundary);
        let m2 = m.clone();
        let confirm = move |_| {
            let mut mapping = (*m2).clone();
            mapping.choice = choice.get_untracked();
            mapping.boundary = boundary.get_untracked();
            let g = own.next_generation();
            own.phase.set(Phase::Busy { name: mapping.file_name.clone(), done: 0.0, total: mapping.file.len() as f64, checking: false });
            leptos::task::spawn_local(async move { own.convert(state, g, mapping).await });
        };
        let rows = m.file.headers.iter().enumerate().map(|(i, h)| {
            let guess = m.guesses.get(i).copied().unwrap_or(Guess { field: None, sure: false });
            let sample: Vec<String> = m.file.preview.iter().filter_map(|r| r.get(i).cloned()).filter(|s| !s.trim().is_empty()).collect();
            let on_change = move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                choice.update(|c| {
                    if let Some(slot) = c.get_mut(i) {
                        *slot = Field::from_code(&v);
                    }
                });
            };
            let guess_text = match (guess.field, guess.sure) {
                (Some(f), true) => format!("{} {}", tr(lang, "nhận ra:", "recognised:"), f.label(lang)),
                (Some(f), false) => format!("{} {}?", tr(lang, "đoán:", "guess:"), f.label(lang)),
                (None, _) => tr(lang, "không nhận ra", "not recognised").to_string(),
            };
            view! {
                <tr data-column=i>
                    <th scope="row"><q>{h.clone()}</q><br/><small class="guess">{guess_text}</small></th>
                    <td>
                        <select data-testid=format!("map-{i}") aria-label=h.clone() on:change=on_change>
                            <option value="" selected=guess.field.is_none()>{tr(lang, "— bỏ qua cột này —", "— ignore this column —")}</option>
                            {Field::ALL.iter().map(|f| view! {
                                <option value=f.code() selected=guess.field == Some(*f)>{format!("{} ({})", f.label(lang), f.code())}</option>
                            }).collect_view()}
                        </select>
                        <br/><small class="sample">{sample.join(" · ")}</small>
                    </td>
                </tr>
            }
        }).collect_view();
        Some(view! {
            <div class="mapping" data-testid="mapping-step" role="group" aria-labelledby="mapping-title">
                <h3 id="mapping-title">{tr(lang, "Chọn trường cho từng cột của ", "Pick the field of each column of ")}<q>{m.file_name.clone()}</q></h3>
                <p>{tr(lang,
                    "Một số cột chưa nhận ra chắc chắn. Kiểm tra lựa chọn đoán sẵn; các trường bắt buộc: mã đơn vị, tỉnh, năm, loại hình.",
                    "Some columns could not be recognised for sure. Check the guesses; required fields: unit id, province, year, kind.")}</p>
                <div class="table-wrap">
                    <table class="stacked">
                        <thead><tr>
                            <th scope="col">{tr(lang, "Cột", "Column")}</th>
                            <th scope="col">{tr(lang, "Trường (và giá trị đầu)", "Field (and first values)")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <label class="field">
                    <span>{tr(lang, "Mã tỉnh trong tệp theo", "Province codes in the file follow")}</span>
                    <select data-testid="map-boundary" on:change=move |ev| {
                        boundary.set(if event_target_value(&ev) == "34" { Boundary::P34 } else { Boundary::P63 });
                    }>
                        <option value="63" selected=m.boundary == Boundary::P63>{tr(lang, "63 tỉnh (trước 1/7/2025)", "63 provinces (before 1 July 2025)")}</option>
                        <option value="34" selected=m.boundary == Boundary::P34>{tr(lang, "34 tỉnh (từ 1/7/2025)", "34 provinces (from 1 July 2025)")}</option>
                    </select>
                </label>
                <p>
                    <button type="button" class="btn primary" data-testid="map-confirm" on:click=confirm>{tr(lang, "Kiểm tra và mở", "Check and open")}</button>" "
                    <button type="button" class="btn" data-testid="map-cancel" on:click=move |_| own.cancel()>{tr(lang, "Hủy", "Cancel")}</button>
                </p>
            </div>
        })
    }
}

#[component]
fn FileReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let own = expect_context::<OwnData>();
    view! {
        {move || {
            let lang = state.lang();
            own.refused.get().map(|(name, report)| {
                let csv = report.to_csv(lang);
                let file = format!("{}-errors.csv", csv_import::id_from_file_name(&name));
                let download = move |_| {
                    let _ = web::download_bytes(&file, "text/csv;charset=utf-8", format!("\u{feff}{csv}").as_bytes());
                };
                let n = report.error_count();
                view! {
                    <div class="error-box file-report" role="alert" data-testid="file-report">
                        <p><strong>{match lang {
                            Lang::Vi => format!("Không mở tệp \u{201c}{name}\u{201d}: {n} lỗi. Dữ liệu đang hiển thị không thay đổi."),
                            Lang::En => format!("\u{201c}{name}\u{201d} was not opened: {n} error(s). The data on screen is unchanged."),
                        }}</strong></p>
                        {issue_list(report.errors.clone(), report.more_errors, lang, "report-errors")}
                        {(!report.warnings.is_empty()).then(|| view! {
                            <p>{tr(lang, "Cảnh báo (không chặn):", "Warnings (not blocking):")}</p>
                            {issue_list(report.warnings.clone(), report.more_warnings, lang, "report-warnings")}
                        })}
                        <button type="button" class="btn small" data-testid="report-download" on:click=download>
                            {tr(lang, "Tải báo cáo lỗi (CSV)", "Download the error report (CSV)")}
                        </button>" "
                        <button type="button" class="link" on:click=move |_| own.refused.set(None)>{tr(lang, "Đóng", "Close")}</button>
                    </div>
                }
            })
        }}
        {move || {
            let lang = state.lang();
            own.accepted.get().map(|(name, warnings, save_error)| view! {
                <div class="ok-box" role="status" data-testid="file-accepted">
                    <p>{match lang {
                        Lang::Vi => format!("Đã mở \u{201c}{name}\u{201d}."),
                        Lang::En => format!("Opened \u{201c}{name}\u{201d}."),
                    }}</p>
                    {save_error.map(|e| view! {
                        <p data-testid="save-error">{tr(lang, "Không lưu được trên thiết bị (sẽ mất khi tải lại trang): ", "Could not keep it on this device (it will be gone after a reload): ")}{e}</p>
                    })}
                    {(!warnings.warnings.is_empty()).then(|| view! {
                        <p>{tr(lang, "Cảnh báo (dữ liệu vẫn được mở):", "Warnings (the data is open anyway):")}</p>
                        {issue_list(warnings.warnings.clone(), warnings.more_warnings, lang, "accepted-warnings")}
                    })}
                    <button type="button" class="link" on:click=move |_| own.accepted.set(None)>{tr(lang, "Đóng", "Close")}</button>
                </div>
            })
        }}
    }
}

#[component]
fn StoredList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let own = expect_context::<OwnData>();
    move || {
        let lang = state.lang();
        let list = own.stored.get();
        if list.is_empty() {
            return None;
        }
        Some(view! {
            <div class="table-wrap">
                <table class="stored stacked" data-testid="stored-list">
                    <caption>{tr(lang, "Dữ liệu đã lưu trên thiết bị này", "Data kept on this device")}</caption>
                    <thead><tr>
                        <th scope="col">{tr(lang, "Tên", "Name")}</th>
                        <th scope="col">{tr(lang, "Dung lượng", "Size")}</th>
                        <th scope="col">{tr(lang, "Số bản ghi", "Records")}</th>
                        <th scope="col">{tr(lang, "Ngày mở", "Loaded")}</th>
                        <th scope="col"><span class="visually-hidden">{tr(lang, "Thao tác", "Actions")}</span></th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|m| {
                            let id = m.id.clone();
                            let id2 = m.id.clone();
                            let title = if lang == Lang::En && !m.title_en.is_empty() { m.title_en.clone() } else { m.title_vi.clone() };
                            let (title2, title3) = (title.clone(), title.clone());
                            view! {
                                <tr data-stored=m.id.clone()>
                                    <td><button type="button" class="link" data-testid="stored-open"
                                        on:click=move |_| state.update(|v| { v.local = Some(id.clone()); v.data_url = None; v.year = None; v.provinces.clear(); })>
                                        {title}</button><br/><small>{m.file_name.clone()}</small></td>
                                    <td data-label=tr(lang, "Dung lượng", "Size")>{human_size(m.size, lang)}</td>
                                    <td data-label=tr(lang, "Số bản ghi", "Records")>{crate::engine::format::integer(m.records, lang)}</td>
                                    <td data-label=tr(lang, "Ngày mở", "Loaded")>{super::offline::format_time(m.loaded_at, lang)}</td>
                                    <td><button type="button" class="btn small" data-testid="stored-remove"
                                        aria-label=format!("{} {}", tr(lang, "Xóa", "Remove"), title2)
                                        on:click=move |_| {
                                            // Removing cannot be undone (the file may be on no other device): ask.
                                            let ask = match lang {
                                                Lang::Vi => format!("Xóa \u{201c}{title3}\u{201d} khỏi thiết bị này? Không thể hoàn tác."),
                                                Lang::En => format!("Remove \u{201c}{title3}\u{201d} from this device? This cannot be undone."),
                                            };
                                            if web::confirm(&ask) {
                                                own.remove(state, id2.clone());
                                            }
                                        }>{tr(lang, "Xóa", "Remove")}</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    }
}

/// Above the page: where a `data=` dataset comes from (never official data of this app), why it
/// failed to load, or which device-local dataset a link names that this device does not have.
#[component]
pub fn DataOriginBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let own = expect_context::<OwnData>();
    view! {
        {move || {
            let lang = state.lang();
            let url = state.view.with(|v| v.data_url.clone())?;
            Some(match own.remote.get() {
                Some(Ok(host)) => view! {
                    <div class="remote-banner" role="note" data-testid="remote-banner">
                        <strong>{tr(lang, "Dữ liệu từ trang khác: ", "Data from another site: ")}<span data-testid="remote-host">{host}</span></strong>
                        " — "{tr(lang,
                            "không phải dữ liệu chính thức của Coop Atlas. Hãy kiểm tra nguồn trước khi tin hoặc chia sẻ.",
                            "not Coop Atlas's own data. Check the source before trusting or sharing it.")}
                        <br/><small>{url}</small>
                    </div>
                }.into_any(),
                Some(Err(e)) => view! {
                    <div class="error-box" role="alert" data-testid="remote-error">{e}</div>
                }.into_any(),
                None => view! {
                    <div class="remote-banner" role="status" data-testid="remote-loading">
                        {tr(lang, "Đang tải dữ liệu từ ", "Fetching data from ")}<strong>{host_of(&url)}</strong>"…"
                    </div>
                }.into_any(),
            })
        }}
        {move || own.missing.get().map(|id| {
            let lang = state.lang();
            view! {
                <div class="error-box" role="alert" data-testid="missing-dataset">
                    {match lang {
                        Lang::Vi => format!("Thiếu bộ dữ liệu \u{201c}{id}\u{201d}: liên kết này trỏ tới dữ liệu đã mở trên một thiết bị khác, thiết bị này không có. Hãy mở tệp đó ở đây, hoặc chọn bộ dữ liệu khác."),
                        Lang::En => format!("Missing dataset \u{201c}{id}\u{201d}: this link names data opened on another device, which this device does not have. Open that file here, or pick another dataset."),
                    }}
                </div>
            }
        })}
    }
}

/// The header switcher's entries for datasets not in the catalogue: those kept on this device
/// (`local:<id>`) and the one a `data=` link fetched (`url:<address>`), as (key, title, false).
pub fn switcher_entries(state: AppState) -> Vec<(String, String, bool)> {
    let Some(own) = use_context::<OwnData>() else { return Vec::new() };
    let lang = state.lang();
    let mut out: Vec<(String, String, bool)> = own.stored.with(|l| {
        l.iter()
            .map(|m| {
                let title = if lang == Lang::En && !m.title_en.is_empty() { &m.title_en } else { &m.title_vi };
                (local_key(&m.id), format!("{title} · {}", tr(lang, "tệp của bạn", "your file")), false)
            })
            .collect()
    });
    if let Some(url) = state.view.with(|v| v.data_url.clone()) {
        out.push((remote_key(&url), format!("{} {}", tr(lang, "Dữ liệu từ", "Data from"), host_of(&url)), false));
    }
    out
}

/// Applies a switcher choice of a `local:`/`url:` entry to the view; false for a bundled id.
pub fn select_entry(v: &mut crate::engine::url_state::ViewState, key: &str) -> bool {
    if let Some(id) = key.strip_prefix("local:") {
        if v.local.as_deref() != Some(id) {
            v.local = Some(id.to_string());
            v.data_url = None;
            v.indicator = crate::engine::url_state::ViewState::default().indicator;
            v.year = None;
            v.provinces.clear();
        }
        return true;
    }
    key.starts_with("url:")
}
