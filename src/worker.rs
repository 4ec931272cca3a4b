//! The own-data Web Worker's JavaScript side (wasm only; its binary is `coop-atlas-worker`).
//!
//! The page creates the worker when the user first opens a file, a kept dataset that must be
//! checked again, or a `data=` link; it never exists on a plain first view. The worker posts
//! [`FromWorker::Ready`] as soon as its wasm runs (a message posted to it before that would be
//! lost), then does one job: reads the file (a picked `File` is read here, in 4 MB slices, so the
//! page never copies it), parses and checks it with [`crate::checker`], and posts back either the
//! packed dataset (*transferred*: no copy) with the two forms to keep as Blobs, or the report. The page then
//! terminates it, which gives its memory back to the system (wasm memory never shrinks, so a
//! worker kept alive would hold a million-row parse's peak for the life of the page).
//!
//! The same entry serves two workers: `coop-atlas-worker` ([`start`]) reads CSV and JSON, and
//! `coop-atlas-workbook` ([`start_with_workbooks`]) also reads Excel workbooks. The workbook
//! reader is reached only through the [`Workbooks`] handed to the second, so the first never
//! links it (not a byte of it in the CSV/JSON worker's wasm); both share every other step, the
//! protocol, the mapping and the checks.
//!
//! Work runs without yielding: the page's main thread is not this thread, so a long parse
//! blocks nothing the user sees, and Cancel is the page terminating the worker. Progress goes
//! out at most every [`PROGRESS_MS`].

use std::cell::RefCell;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::checker::protocol::{FromWorker, Origin, ReportView, SheetsView, Stage, ToWorker};
use crate::checker::{self, BookJob, CsvJob};
use crate::js_bytes::JsBytes;

/// Least time between two progress messages.
const PROGRESS_MS: f64 = 50.0;
/// Bytes of a picked file read at a time.
const READ_SLICE: f64 = 4.0 * 1024.0 * 1024.0;

thread_local! {
    /// A CSV waiting for the user's column mapping.
    static PENDING: RefCell<Option<CsvJob>> = const { RefCell::new(None) };
    /// The workbook reader, in the workbook worker only.
    static WORKBOOKS: std::cell::Cell<Option<Workbooks>> = const { std::cell::Cell::new(None) };
    /// The Excel writer (`engine::xlsx_out::write`), in the CSV/JSON worker only: the page posts
    /// its exports there (`ui::export`), so the workbook worker links none of it.
    static WRITER: std::cell::Cell<Option<fn(&crate::engine::xlsx_out::Book) -> Vec<u8>>> = const { std::cell::Cell::new(None) };
    /// The workbook whose sheet waits for its mapping (the user may pick another sheet).
    static BOOK: RefCell<Option<BookJob>> = const { RefCell::new(None) };
}

/// What the workbook worker adds: opening a workbook, reading another of its sheets, letting it
/// go. Function pointers set only by [`start_with_workbooks`], so that the CSV/JSON worker, which
/// never calls it, links none of the reader.
#[derive(Clone, Copy)]
struct Workbooks {
    /// Opens a workbook (kept in `BOOK`): its sheets when there is a choice, and the job of the
    /// sheet preselected.
    open: fn(&str, Vec<u8>) -> Result<(Option<SheetsView>, CsvJob), ReportView>,
    /// Reads sheet `n` of the workbook kept, if one is; when it cannot be read, the sheets
    /// again with a note saying why (the mapping step of the sheet read stays).
    sheet: fn(u32) -> Option<Result<(SheetsView, CsvJob), SheetsView>>,
    /// Lets the workbook kept go (its mapping was answered).
    close: fn(),
}

fn book_open(name: &str, bytes: Vec<u8>) -> Result<(Option<SheetsView>, CsvJob), ReportView> {
    let (book, job) = BookJob::open(name, bytes)?;
    let view = book.has_choice().then(|| book.view());
    BOOK.with(|b| *b.borrow_mut() = Some(book));
    Ok((view, job))
}

fn book_sheet(n: u32) -> Option<Result<(SheetsView, CsvJob), SheetsView>> {
    BOOK.with(|b| b.borrow_mut().as_mut().map(|book| book.sheet(n as usize).map(|job| (book.view(), job))))
}

fn book_close() {
    BOOK.with(|b| b.borrow_mut().take());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts a message with `buffers` (ArrayBuffers) after it, transferring them all.
fn post(msg: &FromWorker, buffers: &[JsValue]) {
    post_with_blobs(msg, buffers, &[]);
}

/// Posts a message with `buffers` (ArrayBuffers, transferred) and then `blobs` (sent by handle)
/// after it.
fn post_with_blobs(msg: &FromWorker, buffers: &[JsValue], blobs: &[JsValue]) {
    let head = Uint8Array::from(msg.encode().as_slice()).buffer();
    let data = Array::of1(&head);
    let transfer = Array::of1(&head);
    for b in buffers {
        data.push(b);
        transfer.push(b);
    }
    for b in blobs {
        data.push(b);
    }
    if let Err(e) = scope().post_message_with_transfer(&data, &transfer) {
        web_sys::console::error_2(&"own-data worker: cannot post".into(), &e);
    }
}

fn refuse(report: ReportView) {
    post(&FromWorker::Refused(report), &[]);
}

/// A progress callback that posts at most every [`PROGRESS_MS`], and always the first and the
/// last step.
fn progress() -> impl FnMut(Stage, f64, f64) {
    let mut last = (f64::NEG_INFINITY, None::<Stage>);
    move |stage, done, total| {
        let now = js_sys::Date::now();
        if now - last.0 >= PROGRESS_MS || last.1 != Some(stage) || done >= total {
            last = (now, Some(stage));
            post(&FromWorker::Progress { stage, done, total }, &[]);
        }
    }
}

/// Starts the CSV/JSON worker, which also writes the page's Excel downloads: listens, then says so.
pub fn start() {
    WRITER.with(|w| w.set(Some(crate::engine::xlsx_out::write)));
    listen();
}

/// Starts the workbook worker: the same, with the `.xlsx` reader.
pub fn start_with_workbooks() {
    WORKBOOKS.with(|w| w.set(Some(Workbooks { open: book_open, sheet: book_sheet, close: book_close })));
    listen();
}

fn listen() {
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Lives as long as the worker.
    on_message.forget();
    post(&FromWorker::Ready, &[]);
}

fn on_message(ev: MessageEvent) {
    let data = Array::from(&ev.data());
    let head = Uint8Array::new(&data.get(0)).to_vec();
    match ToWorker::decode(&head) {
        Ok(ToWorker::Open { name, origin }) => open(&name, origin, data.get(1)),
        Ok(ToWorker::Mapping { columns, boundary }) => {
            if let Some(books) = WORKBOOKS.with(|w| w.get()) {
                (books.close)();
            }
            if let Some(job) = PENDING.with(|p| p.borrow_mut().take()) {
                let choice = checker::choice_from_codes(&columns);
                convert_and_check(job, &choice, checker::boundary_from_number(boundary));
            }
        }
        Ok(ToWorker::Export(book)) => {
            if let Some(write) = WRITER.with(|w| w.get()) {
                let bytes = Uint8Array::from(write(&book).as_slice()).buffer();
                post(&FromWorker::Exported, &[bytes.into()]);
            }
        }
        Ok(ToWorker::Sheet(n)) => {
            match WORKBOOKS.with(|w| w.get()).and_then(|books| (books.sheet)(n)) {
                Some(Ok((view, job))) => ask_mapping(job, Some(view)),
                Some(Err(view)) => {
                    post(&FromWorker::Sheets(view), &[]);
                    if let Some(view) = PENDING.with(|p| p.borrow().as_ref().map(CsvJob::view)) {
                        post(&FromWorker::Mapping(view), &[]);
                    }
                }
                None => {}
            }
        }
        Err(e) => web_sys::console::error_1(&e.to_string().into()),
    }
}

/// Reads a picked file into one JavaScript array, a slice at a time, with progress.
fn read_file(file: &web_sys::Blob, progress: &mut dyn FnMut(Stage, f64, f64)) -> Result<Uint8Array, JsValue> {
    let size = file.size();
    let reader = web_sys::FileReaderSync::new()?;
    let out = Uint8Array::new_with_length(size as u32);
    let mut at = 0.0;
    while at < size {
        let end = (at + READ_SLICE).min(size);
        let part = reader.read_as_array_buffer(&file.slice_with_f64_and_f64(at, end)?)?;
        out.set(&Uint8Array::new(&part), at as u32);
        at = end;
        progress(Stage::Reading, at, size);
    }
    Ok(out)
}

fn open(name: &str, origin: Origin, payload: JsValue) {
    let mut progress = progress();
    let bytes = match origin {
        Origin::File => {
            let Ok(file) = payload.dyn_into::<web_sys::Blob>() else { return refuse(checker::unreadable(name)) };
            if let Some(r) = checker::too_large(name, file.size(), origin) {
                return refuse(r);
            }
            match read_file(&file, &mut progress) {
                Ok(b) => b,
                Err(_) => return refuse(checker::unreadable(name)),
            }
        }
        Origin::Stored | Origin::Remote => {
            let bytes = Uint8Array::new(&payload);
            if let Some(r) = checker::too_large(name, f64::from(bytes.length()), origin) {
                return refuse(r);
            }
            bytes
        }
    };
    // A kept dataset is always in the JSON form; a link names a JSON dataset.
    let sniff = bytes.subarray(0, (checker::SNIFF_BYTES as u32).min(bytes.length())).to_vec();
    if let Some(books) = WORKBOOKS.with(|w| w.get()).filter(|_| origin == Origin::File && crate::engine::workbook::looks_like_workbook(&sniff)) {
        drop(sniff);
        match (books.open)(name, bytes.to_vec()) {
            Ok((view, job)) => {
                // Several sheets: the mapping step is shown, where the user may pick another.
                if view.is_some() || job.needs_mapping() {
                    ask_mapping(job, view);
                } else {
                    (books.close)();
                    let (choice, boundary) = job.guessed();
                    convert_and_check(job, &choice, boundary);
                }
            }
            Err(r) => refuse(r),
        }
        return;
    }
    if origin == Origin::File && checker::looks_like_csv(name, &sniff, sniff.len() < bytes.length() as usize) {
        drop(sniff);
        let job = match CsvJob::read(name, &bytes.to_vec()) {
            Ok(job) => job,
            Err(r) => return refuse(r),
        };
        if job.needs_mapping() {
            ask_mapping(job, None);
        } else {
            let (choice, boundary) = job.guessed();
            convert_and_check(job, &choice, boundary);
        }
        return;
    }
    match checker::check_json(name, Box::new(JsBytes(bytes.clone())), origin, None, &mut progress) {
        Ok((wire, warnings)) => done(&wire, warnings, bytes),
        Err(r) => refuse(r),
    }
}

/// Posts the mapping step (after the workbook's sheets, if any) and keeps the job for the answer.
fn ask_mapping(job: CsvJob, sheets: Option<SheetsView>) {
    if let Some(view) = sheets {
        post(&FromWorker::Sheets(view), &[]);
    }
    post(&FromWorker::Mapping(job.view()), &[]);
    PENDING.with(|p| *p.borrow_mut() = Some(job));
}

fn convert_and_check(job: CsvJob, choice: &[Option<crate::engine::csv_import::Field>], boundary: crate::engine::vocab::Boundary) {
    let name = job.name().to_string();
    let mut progress = progress();
    let (json, rows) = match job.convert(choice, boundary, &mut progress) {
        Ok(x) => x,
        Err(r) => return refuse(r),
    };
    // Out to JavaScript (where it is parsed from, and from where it goes to the page to be kept),
    // freeing wasm memory for the columns.
    let bytes = Uint8Array::from(json.as_bytes());
    drop(json);
    match checker::check_json(&name, Box::new(JsBytes(bytes.clone())), Origin::File, Some(&rows), &mut progress) {
        Ok((wire, warnings)) => done(&wire, warnings, bytes),
        Err(r) => refuse(r),
    }
}

/// Posts the checked dataset: its packed form to decode (transferred), and the two forms to keep
/// (the JSON form, `json`, and the packed form) as `Blob`s.
///
/// Why Blobs: the page keeps both forms in IndexedDB, and `put` of an `ArrayBuffer` copies it
/// (structured clone) on the page's main thread: ≈ 250 ms in one task for a million-row file.
/// A Blob is made here, off the page's thread, and IndexedDB stores it by handle.
fn done(wire: &[u8], warnings: ReportView, json: Uint8Array) {
    let packed = Uint8Array::from(wire);
    let msg = FromWorker::Done { warnings };
    match (blob_of(&json), blob_of(&packed)) {
        (Some(json_blob), Some(packed_blob)) => {
            post_with_blobs(&msg, &[packed.buffer().into()], &[json_blob.into(), packed_blob.into()])
        }
        // No memory for the copies: the buffers themselves (IndexedDB keeps either form).
        _ => post(&msg, &[packed.buffer().into(), json.buffer().into(), packed.slice(0, packed.length()).buffer().into()]),
    }
}

/// A Blob holding a copy of `bytes`.
fn blob_of(bytes: &Uint8Array) -> Option<web_sys::Blob> {
    web_sys::Blob::new_with_u8_array_sequence(&Array::of1(bytes)).ok()
}
