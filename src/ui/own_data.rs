//! Bring your own data: open a dataset file (JSON in the Coop Atlas format, or a CSV exported from
//! Excel) from the device or by drag-and-drop, or from a link (`?data=https://…`); check it; keep it
//! in the browser (IndexedDB, see `storage`); list and remove what is kept.
//!
//! Promises this module keeps, and why:
//! - **Nothing leaves the device.** Files are read and checked in a Web Worker of this app; the
//!   only request made is the `data=` fetch the link itself asks for, and it carries no user data
//!   (no cookies, no referrer).
//! - **The page's first view pays nothing for it.** The parser, the CSV importer, the checks and
//!   their bilingual messages are in a second wasm that runs in a Web Worker (`crate::worker`,
//!   `crate::checker`), created the first time a file, a `data=` link or a kept dataset needs
//!   it, never on a plain first view. The page only talks to it (`crate::checker::protocol`) and decodes the
//!   checked dataset it sends back (`engine::wire`).
//! - **The page never freezes.** The file is read, converted and checked on the worker's thread,
//!   which posts progress; Cancel terminates it. The worker is terminated after every load as
//!   well, which gives its memory back (wasm memory never shrinks).
//! - **The file stays out of the page's wasm memory.** A picked `File` is handed to the worker
//!   (a handle, not a copy); the packed dataset and the JSON form to keep come back as
//!   transferred `ArrayBuffer`s; the page decodes the packed form range by range from the
//!   JavaScript buffer ([`JsBytes`]) and stores both buffers in IndexedDB from JavaScript.
//! - **A bad file changes nothing on screen.** Only a file without errors is added to the state.
//!   Errors are listed (row, field, found, expected; the first 50, then a count) in the reader's
//!   language, announced with `role="alert"`, and offered as a CSV download; the worker renders
//!   them in both languages, so switching language needs no round trip.
//! - **A kept dataset opens without the worker.** `ld=` reads the packed form from IndexedDB and
//!   decodes it; only a dataset kept by an earlier release is checked again from its JSON form.
//! - **A link cannot pass a file off as official.** A dataset from `data=` is shown under a banner
//!   naming the site it came from; a link to a device-local dataset (`ld=`) names it, and a device
//!   without it says which dataset is missing instead of showing other data.
//! - **Dataset text is text.** Every name, title and source is rendered as a text node.
//!
//! Where the `data=` fetch runs: in the page, not the worker. The timeout is the page's clock and
//! the refusal a cross-origin read gets is the page's, exactly as before; the body's chunks stay
//! in JavaScript and are handed to the worker as one transferred buffer.

use std::cell::RefCell;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use js_sys::{Array, Uint8Array};

use crate::checker::protocol::{FromWorker, IssueView, MappingView, Origin, ReportView, SheetsView, Stage, ToWorker};
use crate::engine::dataset::Dataset;
use crate::engine::error::Phrase;
use crate::engine::vocab::Lang;
use crate::engine::wire;
use crate::js_bytes::JsBytes;

use crate::i18n::{t, Msg};

use super::state::{AppState, Loaded};
use super::storage::{self, StoredMeta};
use super::web;

/// Largest file fetched from a link (the format's limit, docs/dataset-format.md; the worker
/// applies the same limit to a picked file).
const MAX_BYTES: usize = 100_000_000;
/// A `data=` fetch that takes longer than this is stopped (3G can be slow, but not this slow).
const FETCH_TIMEOUT_MS: u32 = 60_000;
/// The worker's loader when the page was not post-processed (`trunk serve`): Trunk's own name.
const WORKER_SRC: &str = "./coop-atlas-worker_loader.js";
/// The workbook worker's loader, likewise (`<meta name="coop-atlas-workbook">` once built).
const WORKBOOK_SRC: &str = "./coop-atlas-workbook_loader.js";
/// What the file picker offers: the JSON format, CSV and text, Excel workbooks (an `.xls` too, so
/// that its user gets the message saying how to save it as `.xlsx`).
const ACCEPT: &str = ".json,.csv,.tsv,.txt,.xlsx,.xlsm,.xls,application/json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel";

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

/// What the panel is doing.
#[derive(Clone)]
pub enum Phase {
    /// Waiting for a file.
    Idle,
    /// Reading, converting or checking `name`: `done` of `total`; `checking` once parsing.
    Busy { name: String, done: f64, total: f64, checking: bool },
    /// Asking which field each CSV column holds (the worker waits with the file).
    Mapping(Arc<(String, MappingView)>),
}

/// Why the worker was started, which decides what its answer does.
#[derive(Clone, Debug, PartialEq)]
enum Purpose {
    /// A file the user picked or dropped: shown, kept, switched to.
    File(String),
    /// A kept dataset (`ld=`) checked again from its JSON form.
    Stored(String),
    /// A `data=` link's dataset, fetched by the page.
    Remote(String),
}

/// A worker doing one job, with its two handlers: the loads here and the Excel exports
/// (`ui::export`). One type so that how a worker ends is written once: its handlers are unset
/// before the closures are dropped, since a message it posted just before may still be queued on
/// this page.
pub(super) struct WorkerJob {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl WorkerJob {
    /// Sets the handlers on `worker` and keeps them as long as the job.
    pub(super) fn start(
        worker: web_sys::Worker,
        on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
        on_error: Closure<dyn FnMut(web_sys::Event)>,
    ) -> WorkerJob {
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        WorkerJob { worker, _on_message: on_message, _on_error: on_error }
    }

    /// Unsets the handlers, then terminates the worker (which gives its memory back).
    pub(super) fn end(self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

thread_local! {
    /// The worker doing the current load (ended by [`stop_worker`]).
    static RUNNING: RefCell<Option<WorkerJob>> = const { RefCell::new(None) };
    /// The file Share offers to send with the link (a `File` over the kept JSON form), made
    /// when the dialog opens: `navigator.share` must be called while the tap that asked for it
    /// still counts as the user's gesture, with no IndexedDB read in between.
    static SHARE_FILE: RefCell<Option<web_sys::File>> = const { RefCell::new(None) };
}

/// Where Share is on a view of a device-local dataset (`ld=`).
#[derive(Clone, Debug, PartialEq)]
pub enum Sharing {
    /// No dialog.
    Closed,
    /// Reading the kept file to offer it.
    Preparing,
    /// The file is ready: `url` is the link (with `ln=`), `file` its name, `attach` whether this
    /// browser can share the file with the link (Web Share API level 2).
    Ready { url: String, file: String, attach: bool },
    /// The file is not kept on this device (it could not be stored): only the link can be sent.
    NoFile { url: String },
}

/// Terminates the worker, if one runs: its memory goes back to the system at once. Its handlers
/// are unset first: a message it posted just before may still be queued on this page, and the
/// handlers' closures are dropped here (a queued message calling a dropped closure is an error).
fn stop_worker() {
    if let Some(job) = RUNNING.with(|r| r.borrow_mut().take()) {
        job.end();
    }
}

/// Posts a message to the worker, with `payload` after it (transferred when it is a buffer).
fn post(worker: &web_sys::Worker, msg: &ToWorker, payload: Option<&JsValue>) {
    let head = Uint8Array::from(msg.encode().as_slice()).buffer();
    let data = Array::of1(&head);
    let transfer = Array::of1(&head);
    if let Some(p) = payload {
        data.push(p);
        if p.is_instance_of::<js_sys::ArrayBuffer>() {
            transfer.push(p);
        }
    }
    if let Err(e) = worker.post_message_with_transfer(&data, &transfer) {
        web_sys::console::error_2(&"own-data worker: cannot post".into(), &e);
    }
}

/// The worker's loader: its content-hashed name written by the build
/// (`<meta name="coop-atlas-worker">`, scripts/postbuild.mjs), or Trunk's name.
pub(crate) fn worker_src() -> String {
    super::offline::build_meta("coop-atlas-worker").unwrap_or_else(|| WORKER_SRC.to_string())
}

/// The workbook worker's loader: the own-data worker with the `.xlsx` reader linked in
/// (`src/bin/coop-atlas-workbook.rs`), downloaded only when a workbook is opened, so neither the
/// first view nor the CSV/JSON worker carries the reader.
fn workbook_src() -> String {
    super::offline::build_meta("coop-atlas-workbook").unwrap_or_else(|| WORKBOOK_SRC.to_string())
}

/// The shared state of the "your data" feature.
#[derive(Clone, Copy)]
pub struct OwnData {
    state: AppState,
    /// Datasets kept on this device, newest first.
    pub stored: RwSignal<Vec<StoredMeta>>,
    /// Whether the list has been read from IndexedDB (a missing `ld=` is only reported after).
    pub stored_ready: RwSignal<bool>,
    /// What the panel is doing.
    pub phase: RwSignal<Phase>,
    /// The last refused file and why.
    pub refused: RwSignal<Option<(String, ReportView)>>,
    /// A workbook's sheets during its mapping step (None for a CSV).
    pub sheets: RwSignal<Option<SheetsView>>,
    /// The last accepted file, its warnings, and whether it could be kept on the device.
    pub accepted: RwSignal<Option<(String, ReportView, Option<String>)>>,
    /// A `ld=` dataset this device does not have (its id), or could not open (and why).
    pub missing: RwSignal<Option<(String, Option<ReportView>)>>,
    /// The `data=` fetch: `Ok(host)` once loaded, `Err(message)` when it failed.
    pub remote: RwSignal<Option<Result<String, RemoteError>>>,
    /// Bumped by Cancel (and by each new load): an answer for a stale number is dropped.
    generation: StoredValue<u32>,
    /// What the load in progress is for (Cancel undoes a link's `ld=` or `data=`).
    busy: StoredValue<Option<Purpose>>,
    /// The Share dialog of a device-local dataset.
    pub sharing: RwSignal<Sharing>,
}

/// Why a `data=` dataset is not shown.
#[derive(Clone, Debug)]
pub enum RemoteError {
    /// The fetch failed (in the reader's language when it happened).
    Fetch(String),
    /// The file was fetched and refused.
    Refused(ReportView),
}

impl OwnData {
    /// Creates the state, reads the list of kept datasets and starts what the link asks for
    /// (`ld=`, `data=`).
    pub fn start(state: AppState) -> OwnData {
        let own = OwnData {
            state,
            stored: RwSignal::new(Vec::new()),
            stored_ready: RwSignal::new(false),
            phase: RwSignal::new(Phase::Idle),
            refused: RwSignal::new(None),
            sheets: RwSignal::new(None),
            accepted: RwSignal::new(None),
            missing: RwSignal::new(None),
            remote: RwSignal::new(None),
            generation: StoredValue::new(0),
            busy: StoredValue::new(None),
            sharing: RwSignal::new(Sharing::Closed),
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
            // Already opening it (the view changed meanwhile): let that load finish.
            if own.busy.with_value(|b| b.as_ref() == Some(&Purpose::Stored(id.clone()))) {
                return;
            }
            own.busy.set_value(Some(Purpose::Stored(id.clone())));
            leptos::task::spawn_local(own.reopen(id));
        });
        // Fetch the dataset a `data=` link names, once per address.
        Effect::new(move |_| {
            let Some(url) = state.view.with(|v| v.data_url.clone()) else {
                own.remote.set(None);
                return;
            };
            if state.datasets.with_untracked(|m| m.contains_key(&remote_key(&url)))
                || own.busy.with_value(|b| b.as_ref() == Some(&Purpose::Remote(url.clone())))
            {
                return;
            }
            let lang = state.lang();
            own.remote.set(None);
            let g = own.next_generation();
            own.busy.set_value(Some(Purpose::Remote(url.clone())));
            leptos::task::spawn_local(async move {
                match fetch_remote(&url, lang).await {
                    Ok(bytes) if own.is_current(g) => own.run(g, Purpose::Remote(url.clone()), &host_of(&url), bytes.buffer().into(), &worker_src()),
                    Ok(_) => {}
                    Err(e) => {
                        own.busy.set_value(None);
                        own.remote.set(Some(Err(RemoteError::Fetch(e))));
                    }
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

    /// Stops the load in progress; what was on screen stays. A link's kept or fetched dataset
    /// that was loading is dropped from the view (back to the bundled data rather than an empty
    /// screen under its name).
    pub fn cancel(&self) {
        self.next_generation();
        stop_worker();
        self.phase.set(Phase::Idle);
        match self.busy.try_update_value(|b| b.take()).flatten() {
            Some(Purpose::Stored(id)) => self.state.update(|v| {
                if v.local.as_deref() == Some(id.as_str()) {
                    v.local = None;
                }
            }),
            Some(Purpose::Remote(url)) => self.state.update(|v| {
                if v.data_url.as_deref() == Some(url.as_str()) {
                    v.data_url = None;
                }
            }),
            _ => {}
        }
    }

    /// A file input's `change`: opens the file picked.
    fn picked(&self, ev: leptos::ev::Event) {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(f) = input.files().and_then(|f| f.get(0)) {
            self.open(f);
        }
        // Picking the same file again (after fixing it) must fire `change` again.
        input.set_value("");
    }

    /// Opens a file the user picked or dropped: the worker reads it. A workbook, told by its
    /// first bytes (a zip or an OLE file, whatever its name), goes to the workbook worker.
    pub fn open(&self, file: web_sys::File) {
        let g = self.next_generation();
        let name = file.name();
        self.refused.set(None);
        self.accepted.set(None);
        self.sheets.set(None);
        self.phase.set(Phase::Busy { name: name.clone(), done: 0.0, total: file.size(), checking: false });
        let own = *self;
        leptos::task::spawn_local(async move {
            let start = match file.slice_with_i32_and_i32(0, 8) {
                Ok(head) => JsFuture::from(head.array_buffer()).await.map(|b| Uint8Array::new(&b).to_vec()).unwrap_or_default(),
                Err(_) => Vec::new(),
            };
            if own.is_current(g) {
                let src = if crate::engine::workbook::looks_like_workbook(&start) { workbook_src() } else { worker_src() };
                own.run(g, Purpose::File(name.clone()), &name, file.into(), &src);
            }
        });
    }

    /// Reopens a kept dataset: its packed form when this release can read it (no worker),
    /// otherwise its JSON form, checked again by the worker.
    async fn reopen(self, id: String) {
        let g = self.next_generation();
        self.phase.set(Phase::Busy { name: id.clone(), done: 0.0, total: 1.0, checking: true });
        if let Ok(Some(packed)) = storage::load_packed(&id).await {
            if !self.is_current(g) {
                return;
            }
            if let Ok(ds) = decode_sliced(packed).await {
                if !self.is_current(g) {
                    return;
                }
                self.finish_load();
                self.missing.set(None);
                insert(self.state, &local_key(&id), ds);
                return;
            }
        }
        match storage::load(&id).await {
            Ok(Some(json)) if self.is_current(g) => self.run(g, Purpose::Stored(id.clone()), &id, json.buffer().into(), &worker_src()),
            Ok(Some(_)) => {}
            _ => {
                self.finish_load();
                self.missing.set(Some((id, None)));
            }
        }
    }

    /// The load is over (done, refused or failed): no progress, nothing for Cancel to undo, no
    /// worker.
    fn finish_load(&self) {
        stop_worker();
        self.sheets.set(None);
        self.busy.set_value(None);
        self.phase.set(Phase::Idle);
    }

    /// Starts a worker (its loader `src`) on `payload` (a `File`, or an `ArrayBuffer` it takes
    /// over) and handles its answers while generation `g` is current.
    fn run(&self, g: u32, purpose: Purpose, name: &str, payload: JsValue, src: &str) {
        let own = *self;
        stop_worker();
        let origin = match purpose {
            Purpose::File(_) => Origin::File,
            Purpose::Stored(_) => Origin::Stored,
            Purpose::Remote(_) => Origin::Remote,
        };
        own.busy.set_value(Some(purpose.clone()));
        if origin != Origin::File {
            own.phase.set(Phase::Busy { name: name.to_string(), done: 0.0, total: 1.0, checking: true });
        }
        let worker = match web_sys::Worker::new(src) {
            Ok(w) => w,
            Err(_) => return own.failed(purpose),
        };
        let open = ToWorker::Open { name: name.to_string(), origin };
        let w = worker.clone();
        let mut payload = Some(payload);
        let (name, purpose2) = (name.to_string(), purpose.clone());
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if !own.is_current(g) {
                return;
            }
            let data = Array::from(&ev.data());
            let msg = match FromWorker::decode(&Uint8Array::new(&data.get(0)).to_vec()) {
                Ok(m) => m,
                Err(e) => {
                    web_sys::console::error_1(&e.to_string().into());
                    return own.failed(purpose.clone());
                }
            };
            match msg {
                // The worker listens: now it can be given the job (and the file).
                FromWorker::Ready => post(&w, &open, payload.take().as_ref()),
                FromWorker::Progress { stage, done, total } => {
                    own.phase.set(Phase::Busy { name: name.clone(), done, total, checking: stage == Stage::Checking })
                }
                FromWorker::Mapping(view) => own.phase.set(Phase::Mapping(Arc::new((name.clone(), view)))),
                FromWorker::Sheets(view) => own.sheets.set(Some(view)),
                FromWorker::Done { warnings } => {
                    // The packed form to decode, then the two forms to keep (Blobs: see worker::done).
                    let packed = Uint8Array::new(&data.get(1));
                    let keep = Kept { json: data.get(2), packed: data.get(3) };
                    stop_worker();
                    let (purpose, name) = (purpose.clone(), name.clone());
                    leptos::task::spawn_local(async move {
                        let decoded = decode_sliced(packed.clone()).await;
                        if !own.is_current(g) {
                            return;
                        }
                        own.finish_load();
                        match decoded {
                            Ok(ds) => own.accept(purpose, &name, ds, warnings, keep),
                            Err(e) => {
                                web_sys::console::error_1(&e.to_string().into());
                                own.failed(purpose);
                            }
                        }
                    });
                }
                FromWorker::Refused(report) => {
                    own.finish_load();
                    own.refuse(purpose.clone(), &name, report);
                }
                // An export's answer (`ui::export`), never sent to a load.
                FromWorker::Exported => {}
            }
        });
        // The worker's files could not be loaded (offline before they were ever cached, a
        // server error) or it stopped: say so rather than wait for ever.
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            if own.is_current(g) {
                own.finish_load();
                own.failed(purpose2.clone());
            }
        });
        RUNNING.with(|r| *r.borrow_mut() = Some(WorkerJob::start(worker, on_message, on_error)));
    }

    /// The user picked another sheet of the workbook: the worker reads it and asks again.
    fn pick_sheet(&self, name: String, index: u32) {
        self.phase.set(Phase::Busy { name, done: 0.0, total: 1.0, checking: false });
        RUNNING.with(|r| {
            if let Some(r) = r.borrow().as_ref() {
                post(&r.worker, &ToWorker::Sheet(index), None);
            }
        });
    }

    /// The user's answer to the mapping step: the worker, which kept the file, converts it.
    fn confirm_mapping(&self, name: String, columns: Vec<Option<String>>, boundary: u8, size: f64) {
        self.phase.set(Phase::Busy { name, done: 0.0, total: size, checking: false });
        RUNNING.with(|r| {
            if let Some(r) = r.borrow().as_ref() {
                post(&r.worker, &ToWorker::Mapping { columns, boundary }, None);
            }
        });
    }

    /// The worker could not do its job at all: a report saying so, where the job's answer goes.
    fn failed(&self, purpose: Purpose) {
        self.finish_load();
        let report = ReportView {
            errors: vec![IssueView {
                place: Phrase::same(""),
                found: Phrase::new("the file checker could not be started", "không khởi động được bộ kiểm tra tệp"),
                expected: Phrase::new(
                    "a connection the first time a file is opened (it is then kept for offline use); reload the page and try again",
                    "kết nối mạng ở lần đầu mở tệp (sau đó dùng được khi không có mạng); hãy tải lại trang và thử lại",
                ),
                rows: Vec::new(),
                column: Phrase::default(),
            }],
            csv: Phrase::same(""),
            stem: "coop-atlas".into(),
            ..ReportView::default()
        };
        let name = match &purpose {
            Purpose::File(n) | Purpose::Stored(n) => n.clone(),
            Purpose::Remote(url) => host_of(url),
        };
        self.refuse(purpose, &name, report);
    }

    /// Shows why a load was refused, where its purpose shows it.
    fn refuse(&self, purpose: Purpose, name: &str, report: ReportView) {
        match purpose {
            Purpose::File(_) => self.refused.set(Some((name.to_string(), report))),
            Purpose::Stored(id) => self.missing.set(Some((id, Some(report)))),
            Purpose::Remote(_) => self.remote.set(Some(Err(RemoteError::Refused(report)))),
        }
    }

    /// Shows a checked dataset: a link's where the link asked for it; a picked file's kept on the
    /// device and switched to.
    fn accept(&self, purpose: Purpose, name: &str, ds: Dataset, warnings: ReportView, keep: Kept) {
        let own = *self;
        let state = self.state;
        match purpose {
            Purpose::Remote(url) => {
                insert(state, &remote_key(&url), ds);
                own.remote.set(Some(Ok(host_of(&url))));
            }
            Purpose::Stored(id) => {
                own.missing.set(None);
                insert(state, &local_key(&id), ds);
                // Packed again by this release: the next `ld=` needs no worker.
                leptos::task::spawn_local(async move {
                    let _ = storage::save_packed(&id, &keep.packed).await;
                });
            }
            Purpose::File(_) => {
                let meta = StoredMeta {
                    id: ds.meta.id.clone(),
                    title_vi: ds.meta.title.vi.clone(),
                    title_en: ds.meta.title.get(Lang::En).to_string(),
                    file_name: name.to_string(),
                    size: keep.json_size(),
                    records: (ds.entities.len() + ds.observations.len()) as f64,
                    loaded_at: js_sys::Date::now(),
                };
                let id = meta.id.clone();
                insert(state, &local_key(&id), ds);
                own.stored.update(|l| {
                    l.retain(|m| m.id != id);
                    l.insert(0, meta.clone());
                });
                own.missing.set(None);
                state.update(|v| {
                    // The link's file name stays only when this is the file it named.
                    if v.local.as_deref() != Some(id.as_str()) {
                        v.local_name = None;
                    }
                    v.local = Some(id.clone());
                    v.data_url = None;
                    v.indicator = crate::engine::url_state::ViewState::default().indicator;
                    v.year = None;
                    v.year_from = None;
                    v.provinces.clear();
                });
                let name = name.to_string();
                own.accepted.set(Some((name.clone(), warnings.clone(), None)));
                leptos::task::spawn_local(async move {
                    // In a task of its own, after the first render of the new dataset.
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    if let Err(e) = storage::save(&meta, &keep.json, &keep.packed).await {
                        own.accepted.set(Some((name, warnings, Some(e))));
                    }
                });
            }
        }
    }

    /// Share on a view of a device-local dataset: opens the dialog that says the data is only on
    /// this device, and prepares the file to send with the link (the kept JSON form: a CSV goes
    /// already converted, so the receiver needs no column mapping).
    pub fn start_share(&self) {
        let own = *self;
        let state = self.state;
        let Some(id) = state.view.with_untracked(|v| v.local.clone()) else { return };
        let meta = own.stored.with_untracked(|l| l.iter().find(|m| m.id == id).cloned());
        let file = meta.as_ref().map_or_else(|| format!("{id}.json"), |m| json_file_name(&m.file_name, &id));
        let mut view = state.view.get_untracked();
        view.local_name = Some(file.clone());
        view.embed = false;
        let q = crate::engine::url_state::to_query(&view);
        let url = format!("{}?{q}", web::location_base());
        SHARE_FILE.with(|f| f.borrow_mut().take());
        own.sharing.set(Sharing::Preparing);
        leptos::task::spawn_local(async move {
            let made = match storage::load(&id).await {
                Ok(Some(json)) => make_file(&json, &file),
                _ => None,
            };
            // Closed (or reopened for another view) meanwhile: leave it.
            if own.sharing.get_untracked() != Sharing::Preparing {
                return;
            }
            match made {
                Some(f) => {
                    let attach = can_share_files(&f);
                    SHARE_FILE.with(|s| *s.borrow_mut() = Some(f));
                    own.sharing.set(Sharing::Ready { url, file, attach });
                }
                None => own.sharing.set(Sharing::NoFile { url }),
            }
        });
    }

    /// Closes the Share dialog and lets go of the file.
    pub fn close_share(&self) {
        SHARE_FILE.with(|f| f.borrow_mut().take());
        self.sharing.set(Sharing::Closed);
    }

    /// Shares the link with the file attached (`navigator.share`); says so when the browser
    /// refuses for another reason than the user cancelling.
    fn share_with_file(&self, url: &str) {
        let state = self.state;
        let lang = state.lang();
        let Some(file) = SHARE_FILE.with(|f| f.borrow().clone()) else { return };
        let title = state.current().map(|l| l.dataset.meta.title.get(lang).to_string()).unwrap_or_else(|| file.name());
        let data = share_data(&file, url, &title);
        let nav = match web_sys::window() {
            Some(w) => w.navigator(),
            None => return,
        };
        let promise = js_sys::Reflect::get(&nav, &JsValue::from_str("share"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call1(&nav, &data).ok())
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
        let Some(promise) = promise else {
            state.flash.set(Some(tr(lang, "Trình duyệt không chia sẻ được tệp: hãy tải tệp về và gửi kèm liên kết.", "The browser cannot share the file: download it and send it with the link.").to_string()));
            return;
        };
        let own = *self;
        leptos::task::spawn_local(async move {
            match JsFuture::from(promise).await {
                Ok(_) => {
                    state.flash.set(Some(tr(lang, "Đã chia sẻ liên kết kèm tệp.", "Link shared with the file.").to_string()));
                    own.close_share();
                }
                Err(e) => {
                    let name = js_sys::Reflect::get(&e, &JsValue::from_str("name")).ok().and_then(|n| n.as_string()).unwrap_or_default();
                    // The reader closed the share sheet: nothing to say.
                    if name != "AbortError" {
                        state.flash.set(Some(tr(lang, "Không chia sẻ được tệp: hãy tải tệp về và gửi kèm liên kết.", "The file could not be shared: download it and send it with the link.").to_string()));
                    }
                }
            }
        });
    }

    /// Offers the file as a download, to send with the link.
    fn download_share_file(&self) {
        let Some(file) = SHARE_FILE.with(|f| f.borrow().clone()) else { return };
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&file) {
            let _ = web::download_url(&file.name(), &url);
            // Revoked later: the download reads the object URL after the click returns.
            gloo_timers::callback::Timeout::new(60_000, move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            })
            .forget();
        }
    }

    /// Removes a kept dataset; a view showing it goes back to the bundled data.
    pub fn remove(&self, id: String) {
        let own = *self;
        let state = self.state;
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

/// The two forms of a checked dataset that are kept on the device, as the worker sent them:
/// Blobs (IndexedDB stores them by handle, with no copy on this thread), or `ArrayBuffer`s when
/// the worker could not make them.
struct Kept {
    json: JsValue,
    packed: JsValue,
}

impl Kept {
    /// Bytes of the JSON form (shown in the list of kept datasets).
    fn json_size(&self) -> f64 {
        match self.json.dyn_ref::<web_sys::Blob>() {
            Some(b) => b.size(),
            None => f64::from(Uint8Array::new(&self.json).length()),
        }
    }
}

/// Decodes a packed dataset a part at a time ([`wire::Decoder`]), giving the page back to the
/// browser between parts, so a million-row dataset never holds the main thread in one long task
/// (a tap or Cancel is answered between columns).
async fn decode_sliced(packed: Uint8Array) -> Result<Dataset, wire::WireError> {
    let bytes = JsBytes(packed);
    let mut decoder = wire::Decoder::new(&bytes);
    let ds = loop {
        if let Some(ds) = decoder.step()? {
            break ds;
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
    };
    // The partial sums every view adds up (engine::sums), built here a slice of rows at a time:
    // built on the first view instead, they were one pass over every row inside the first
    // render (tens of milliseconds at a million rows).
    if let Some(mut sums) = crate::engine::sums::Builder::new(&ds.entities) {
        while !sums.step(&ds.entities, SUM_ROWS_PER_TASK) {
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
        if let Some(sums) = sums.finish(&ds.entities) {
            ds.entities.set_sums(sums);
        }
    }
    Ok(ds)
}

/// Rows added up per task while building the partial sums: ≈ 5–10 ms in the page's wasm.
const SUM_ROWS_PER_TASK: usize = 200_000;

fn insert(state: AppState, key: &str, dataset: Dataset) {
    let loaded = Loaded { dataset: Arc::new(dataset), complete: true, fetched_at: js_sys::Date::now() };
    state.datasets.update(|m| {
        m.insert(key.to_string(), loaded);
    });
}

/// The name the file is sent under: the user's own name, with `.json` for a file that was a CSV
/// (what is kept, and sent, is its JSON form); the dataset's id when the name is unusable.
pub fn json_file_name(file_name: &str, id: &str) -> String {
    let name = file_name.trim();
    if name.is_empty() {
        return format!("{id}.json");
    }
    if name.to_ascii_lowercase().ends_with(".json") {
        return name.to_string();
    }
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    format!("{stem}.json")
}

/// A `File` named `name` over `bytes` (the constructor is called through JavaScript: one
/// web-sys feature less in the page's wasm).
fn make_file(bytes: &Uint8Array, name: &str) -> Option<web_sys::File> {
    let ctor = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("File")).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &JsValue::from_str("type"), &JsValue::from_str("application/json")).ok()?;
    let args = Array::of3(&Array::of1(bytes), &JsValue::from_str(name), &opts);
    js_sys::Reflect::construct(&ctor, &args).ok()?.dyn_into::<web_sys::File>().ok()
}

/// `{ files: [file], title, url }` for `navigator.share`.
fn share_data(file: &web_sys::File, url: &str, title: &str) -> JsValue {
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &JsValue::from_str("files"), &Array::of1(file));
    if !title.is_empty() {
        let _ = js_sys::Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(title));
    }
    if !url.is_empty() {
        let _ = js_sys::Reflect::set(&data, &JsValue::from_str("url"), &JsValue::from_str(url));
    }
    data.into()
}

/// Whether this browser can share `file` (`navigator.canShare({files})`; false where there is
/// no `canShare`, as on most desktop browsers).
fn can_share_files(file: &web_sys::File) -> bool {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else { return false };
    let data = share_data(file, "", "");
    js_sys::Reflect::get(&nav, &JsValue::from_str("canShare"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&nav, &data).ok())
        .and_then(|r| r.as_bool())
        .unwrap_or(false)
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


/// What an issue expected. A long one that ends in a long list ("a province code of the
/// 63-province list: one of 01, 02, …", 63 codes) shows its list folded: open, it filled a phone's
/// screen and pushed the other errors out of sight. A short list (the six kinds of unit, named)
/// stays open: it is what the reader needs to fix the cell.
fn expected_view(text: &str, lang: Lang) -> impl IntoView {
    let items = |list: &str| list.matches(", ").count() + list.matches("; ").count() + 1;
    match text.split_once(": ").filter(|(_, list)| text.chars().count() > 120 && items(list) > 10) {
        Some((head, list)) => view! {
            <span class="expected">{head.to_string()}": "
                <details class="expected-list"><summary>{tr(lang, "xem danh sách", "show the list")}</summary>{list.to_string()}</details>
            </span>
        }
        .into_any(),
        None => view! { <span class="expected">{text.to_string()}</span> }.into_any(),
    }
}

/// Runs of rows the page lists under a repeated mistake before it stops (the place already says
/// how many rows in all).
const ROWS_SHOWN: usize = 2_000;

/// The rows of a mistake repeated in many rows, folded: the line says the column, the count and
/// the first rows; opened, every row (`2–31; 40; 52–60`), so a reader can go through them in Excel.
fn rows_view(rows: &[(u32, u32)], lang: Lang) -> impl IntoView {
    let many = rows.len() > 1 || rows.first().is_some_and(|&(a, b)| b > a);
    many.then(|| {
        let runs: Vec<(usize, usize)> = rows.iter().take(ROWS_SHOWN).map(|&(a, b)| (a as usize, b as usize)).collect();
        let mut list = crate::engine::error::all_rows_text(&runs, lang);
        if rows.len() > ROWS_SHOWN {
            list.push_str(", …");
        }
        view! {
            <details class="issue-rows" data-testid="issue-rows">
                <summary>{tr(lang, "xem các hàng", "show the rows")}</summary>
                {tr(lang, "Hàng ", "Rows ")}{list}
            </details>
        }
    })
}

/// One list of issues (errors or warnings), with the count of those not listed.
fn issue_list(issues: Vec<IssueView>, more: u32, lang: Lang, testid: &'static str) -> impl IntoView {
    use crate::engine::error::{expected_lead, found_lead};
    view! {
        <ol class="issues" data-testid=testid>
            {issues.into_iter().map(|i| view! {
                <li data-testid="issue">
                    {(!i.place.get(lang).is_empty()).then(|| view! { <span class="place">{i.place.get(lang).to_string()}</span>": " })}
                    {found_lead(&i.found, lang)}<span class="found">{i.found.get(lang).to_string()}</span>
                    {expected_lead(&i.expected, lang)}{expected_view(i.expected.get(lang), lang)}
                    {rows_view(&i.rows, lang)}
                </li>
            }).collect_view()}
        </ol>
        {(more > 0).then(|| view! {
            <p data-testid=format!("{testid}-more")>{match lang {
                Lang::Vi => format!("… và còn {more} mục nữa (tải báo cáo về để xem 50 mục đầu dưới dạng bảng)."),
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
            own.open(f);
        }
    });
    on_cleanup(move || {
        over.remove();
        dropped.remove();
    });
    let on_pick = move |ev: leptos::ev::Event| own.picked(ev);

    view! {
        <section class="own-data" data-testid="own-data" aria-labelledby="own-data-title">
            <h2 id="own-data-title">{move || tr(lang(), "Dữ liệu của bạn", "Your data")}</h2>
            <p class="hint">{move || tr(lang(),
                "Mở sổ tính Excel (.xlsx), tệp CSV hoặc tệp JSON theo định dạng Coop Atlas (chọn tệp, hoặc kéo thả vào trang). Tệp chỉ được xử lý và lưu trên thiết bị này, không gửi đi đâu.",
                "Open an Excel workbook (.xlsx), a CSV or a JSON file in the Coop Atlas format (pick a file, or drop it on the page). Files are processed and kept on this device only, never sent anywhere.")}</p>
            <label class="btn file-pick">
                {move || tr(lang(), "Chọn tệp…", "Choose a file…")}
                <input type="file" class="visually-hidden" data-testid="file-input"
                    accept=ACCEPT on:change=on_pick/>
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
        let (file_name, view) = (m.0.clone(), &m.1);
        let choice = RwSignal::new(view.columns.iter().map(|c| c.guess.clone()).collect::<Vec<Option<String>>>());
        let boundary = RwSignal::new(view.boundary);
        let (name2, size) = (file_name.clone(), view.size);
        let confirm = move |_| own.confirm_mapping(name2.clone(), choice.get_untracked(), boundary.get_untracked(), size);
        let label = |code: &str| view.fields.iter().find(|f| f.code == code).map_or(code.to_string(), |f| f.label.get(lang).to_string());
        // A workbook of several sheets: the sheet read is preselected, another can be picked.
        let sheets = own.sheets.get().filter(|s| s.names.len() > 1);
        let name3 = file_name.clone();
        let sheet_pick = sheets.map(|s| view! {
            {s.note.as_ref().map(|n| view! { <p class="error-box" role="alert" data-testid="sheet-note">{n.get(lang).to_string()}</p> })}
            <label class="field">
                <span>{tr(lang, "Trang tính chứa danh sách", "Sheet with the list")}</span>
                <select data-testid="map-sheet" on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<u32>() {
                        own.pick_sheet(name3.clone(), i);
                    }
                }>
                    {s.names.iter().enumerate().map(|(i, n)| view! {
                        <option value=i.to_string() selected=i as u32 == s.chosen>{n.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
        });
        let rows = view.columns.iter().enumerate().map(|(i, c)| {
            let on_change = move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                choice.update(|c| {
                    if let Some(slot) = c.get_mut(i) {
                        *slot = (!v.is_empty()).then_some(v);
                    }
                });
            };
            let guess_text = match (&c.guess, c.sure) {
                (Some(f), true) => format!("{} {}", tr(lang, "đã nhận ra:", "recognised:"), label(f)),
                (Some(f), false) => format!("{} {}?", tr(lang, "đoán là:", "guess:"), label(f)),
                (None, _) => tr(lang, "không nhận ra", "not recognised").to_string(),
            };
            let h = c.header.clone();
            view! {
                <tr data-column=i>
                    <th scope="row"><q>{h.clone()}</q><br/><small class="guess">{guess_text}</small></th>
                    <td>
                        <select data-testid=format!("map-{i}") aria-label=h on:change=on_change>
                            <option value="" selected=c.guess.is_none()>{tr(lang, "— bỏ qua cột này —", "— ignore this column —")}</option>
                            {view.fields.iter().map(|f| view! {
                                <option value=f.code.clone() selected=c.guess.as_deref() == Some(f.code.as_str())>{format!("{} ({})", f.label.get(lang), f.code)}</option>
                            }).collect_view()}
                        </select>
                        <br/><small class="sample">{c.samples.join(" · ")}</small>
                    </td>
                </tr>
            }
        }).collect_view();
        Some(view! {
            <div class="mapping" data-testid="mapping-step" role="group" aria-labelledby="mapping-title">
                <h3 id="mapping-title">{tr(lang, "Chọn thông tin cho từng cột của ", "Pick the field of each column of ")}<q>{file_name}</q></h3>
                {sheet_pick}
                <p>{tr(lang,
                    "Xem lại thông tin Atlas đã đoán cho từng cột. Bắt buộc phải có tỉnh, năm và loại hình; nếu không có cột mã đơn vị, các đơn vị được đánh số theo hàng.",
                    "Check the field guessed for each column. Province, year and kind are required; without a unit id column, the units are numbered by their row.")}</p>
                <div class="table-wrap">
                    <table class="stacked">
                        <thead><tr>
                            <th scope="col">{tr(lang, "Cột", "Column")}</th>
                            <th scope="col">{tr(lang, "Thông tin (và vài giá trị đầu)", "Field (and first values)")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <label class="field">
                    <span>{tr(lang, "Tỉnh trong tệp theo danh sách", "Province codes in the file follow")}</span>
                    <select data-testid="map-boundary" on:change=move |ev| {
                        boundary.set(if event_target_value(&ev) == "34" { 34 } else { 63 });
                    }>
                        <option value="63" selected=view.boundary != 34>{tr(lang, "63 tỉnh (trước 1/7/2025)", "63 provinces (before 1 July 2025)")}</option>
                        <option value="34" selected=view.boundary == 34>{tr(lang, "34 tỉnh (từ 1/7/2025)", "34 provinces (from 1 July 2025)")}</option>
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
                let csv = report.csv.get(lang).to_string();
                let file = format!("{}-errors.csv", report.stem);
                let download = move |_| {
                    let _ = web::download_bytes(&file, "text/csv;charset=utf-8", format!("\u{feff}{csv}").as_bytes());
                };
                let n = report.error_count();
                // The same table as an Excel workbook, written by the worker (`ui::export`).
                let xlsx = {
                    let (report, name) = (report.clone(), name.clone());
                    Callback::new(move |_| Some((report.book(&name, lang), format!("{}-errors.xlsx", report.stem))))
                };
                view! {
                    <div class="error-box file-report" role="alert" data-testid="file-report">
                        <p><strong>{match lang {
                            Lang::Vi => format!("Chưa mở được tệp \u{201c}{name}\u{201d}: có {n} lỗi. Dữ liệu đang hiển thị vẫn giữ nguyên."),
                            Lang::En => format!("\u{201c}{name}\u{201d} was not opened: {n} error(s). The data on screen is unchanged."),
                        }}</strong></p>
                        {issue_list(report.errors.clone(), report.more_errors, lang, "report-errors")}
                        {(!report.warnings.is_empty()).then(|| view! {
                            <p>{tr(lang, "Cảnh báo (không ngăn việc mở tệp):", "Warnings (not blocking):")}</p>
                            {issue_list(report.warnings.clone(), report.more_warnings, lang, "report-warnings")}
                        })}
                        <button type="button" class="btn small" data-testid="report-download" on:click=download>
                            {tr(lang, "Tải báo cáo lỗi (CSV)", "Download the error report (CSV)")}
                        </button>" "
                        <super::export::XlsxButton book=xlsx testid="report-download-xlsx"/>" "
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
                        <p data-testid="save-error">{tr(lang, "Không lưu được vào thiết bị (dữ liệu sẽ mất khi tải lại trang): ", "Could not keep it on this device (it will be gone after a reload): ")}{e}</p>
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
                                        on:click=move |_| state.update(|v| { v.local = Some(id.clone()); v.local_name = None; v.data_url = None; v.year = None; v.provinces.clear(); })>
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
                                                own.remove(id2.clone());
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
                    <div class="error-box" role="alert" data-testid="remote-error">{match e {
                        RemoteError::Fetch(text) => text,
                        RemoteError::Refused(r) => format!("{}: {}", tr(lang, "Tệp không đúng định dạng", "The file is not a valid dataset"), r.text(lang)),
                    }}</div>
                }.into_any(),
                None => view! {
                    <div class="remote-banner" role="status" data-testid="remote-loading">
                        {tr(lang, "Đang tải dữ liệu từ ", "Fetching data from ")}<strong>{host_of(&url)}</strong>"…"
                    </div>
                }.into_any(),
            })
        }}
        {move || own.missing.get().map(|(id, refused)| {
            let lang = state.lang();
            if let Some(r) = refused {
                return view! {
                    <div class="error-box" role="alert" data-testid="missing-dataset">{format!("{id}: {}", r.text(lang))}</div>
                }.into_any();
            }
            // One message, naming what to ask the sender for: the file by the name the link
            // carries (`ln=`), else the dataset's id.
            let name = state.view.with(|v| v.local_name.clone());
            let what = match (&name, lang) {
                (Some(n), Lang::Vi) => format!("tệp \u{201c}{n}\u{201d}"),
                (Some(n), Lang::En) => format!("the file \u{201c}{n}\u{201d}"),
                (None, Lang::Vi) => format!("tệp dữ liệu của bộ \u{201c}{id}\u{201d}"),
                (None, Lang::En) => format!("the data file of \u{201c}{id}\u{201d}"),
            };
            view! {
                <div class="error-box missing-local" role="alert" data-testid="missing-dataset">
                    <p><strong>{tr(lang, "Dữ liệu của liên kết này chỉ có trên thiết bị của người gửi.", "The data of this link is only on the sender's device.")}</strong></p>
                    <p data-testid="missing-ask">{match lang {
                        Lang::Vi => format!("Hãy xin người gửi {what} (mã bộ dữ liệu: {id}), rồi mở tệp đó ở đây để xem đúng khung nhìn này. Tệp chỉ được xử lý trên thiết bị của bạn."),
                        Lang::En => format!("Ask the sender for {what} (dataset id: {id}), then open it here to see this view. The file is processed on your device only."),
                    }}</p>
                    <label class="btn primary file-pick">
                        {tr(lang, "Mở tệp…", "Open the file…")}
                        <input type="file" class="visually-hidden" data-testid="missing-file-input"
                            accept=ACCEPT on:change=move |ev| own.picked(ev)/>
                    </label>
                </div>
            }.into_any()
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
    // A link's device-local dataset this device does not have: the selector names it (never a
    // bundled dataset, which is not what the view is about).
    if let Some((id, name)) = state.view.with(|v| v.local.clone().map(|id| (id, v.local_name.clone()))) {
        if !own.stored.with(|l| l.iter().any(|m| m.id == id)) {
            let label = format!("{} · {}", name.unwrap_or_else(|| id.clone()), tr(lang, "không có trên thiết bị này", "not on this device"));
            out.push((local_key(&id), label, false));
        }
    }
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
            v.local_name = None;
            v.data_url = None;
            v.indicator = crate::engine::url_state::ViewState::default().indicator;
            v.year = None;
            v.provinces.clear();
        }
        return true;
    }
    key.starts_with("url:")
}

/// The Share dialog on a view of a device-local dataset: says first that the data is only on this
/// device (a link alone shows the receiver nothing), then offers what works: the link with the
/// file attached where the browser can share files, the file to download and send with the link,
/// or the link alone.
#[component]
pub fn ShareLocal() -> impl IntoView {
    let state = expect_context::<AppState>();
    let own = expect_context::<OwnData>();
    let copy = move |url: String| {
        let lang = state.lang();
        leptos::task::spawn_local(async move {
            if web::copy_to_clipboard(&url).await {
                state.flash.set(Some(t(lang, Msg::LinkCopied).to_string()));
            } else {
                state.flash.set(Some(format!("{}: {url}", t(lang, Msg::CopyThisLink))));
            }
        });
    };
    move || {
        let lang = state.lang();
        let sharing = own.sharing.get();
        // The dialog belongs to the view of a device-local dataset; switching away closes it.
        if sharing == Sharing::Closed || state.view.with(|v| v.local.is_none()) {
            return None;
        }
        let title = state.current().map(|l| l.dataset.meta.title.get(lang).to_string()).unwrap_or_default();
        let body = match sharing {
            Sharing::Closed => None,
            Sharing::Preparing => Some(view! { <p role="status">{tr(lang, "Đang chuẩn bị tệp…", "Preparing the file…")}</p> }.into_any()),
            Sharing::Ready { url, file, attach } => {
                let (u1, u2) = (url.clone(), url);
                Some(view! {
                    <p>{match lang {
                        Lang::Vi => format!("Gửi kèm tệp \u{201c}{file}\u{201d} cùng liên kết: người nhận mở tệp đó trong Coop Atlas để xem đúng khung nhìn này."),
                        Lang::En => format!("Send the file \u{201c}{file}\u{201d} with the link: the receiver opens it in Coop Atlas to see this view."),
                    }}</p>
                    <p class="share-actions">
                        {attach.then(|| view! {
                            <button type="button" class="btn primary" data-testid="share-with-file" on:click=move |_| own.share_with_file(&u1)>
                                {tr(lang, "Chia sẻ liên kết kèm tệp", "Share the link with the file")}
                            </button>
                        })}
                        <button type="button" class="btn" class:primary=!attach data-testid="share-download" on:click=move |_| own.download_share_file()>
                            {tr(lang, "Tải tệp về để gửi kèm liên kết", "Download the file to send with the link")}
                        </button>
                        <button type="button" class="btn" data-testid="share-copy-link" on:click=move |_| copy(u2.clone())>
                            {tr(lang, "Sao chép liên kết", "Copy the link")}
                        </button>
                    </p>
                }.into_any())
            }
            Sharing::NoFile { url } => Some(view! {
                <p>{tr(lang,
                    "Tệp không được lưu trên thiết bị này nên không gửi kèm được; hãy gửi tệp gốc cùng liên kết.",
                    "The file is not kept on this device, so it cannot be attached; send the original file with the link.")}</p>
                <p class="share-actions">
                    <button type="button" class="btn" data-testid="share-copy-link" on:click=move |_| copy(url.clone())>
                        {tr(lang, "Sao chép liên kết", "Copy the link")}
                    </button>
                </p>
            }.into_any()),
        };
        Some(view! {
            <div class="share-local" role="dialog" aria-labelledby="share-local-title" data-testid="share-local">
                <h2 id="share-local-title">{tr(lang, "Dữ liệu này chỉ có trên thiết bị này", "This data is only on this device")}</h2>
                <p data-testid="share-device-only">{match lang {
                    Lang::Vi => format!("\u{201c}{title}\u{201d} được mở từ một tệp và chỉ lưu trong trình duyệt này. Người nhận chỉ có liên kết sẽ không thấy số liệu."),
                    Lang::En => format!("\u{201c}{title}\u{201d} was opened from a file and is kept in this browser only. Someone who gets only the link will see no figures."),
                }}</p>
                {body}
                <button type="button" class="link" data-testid="share-close" on:click=move |_| own.close_share()>{tr(lang, "Đóng", "Close")}</button>
            </div>
        })
    }
}
