//! Excel downloads (`.xlsx`): the page hands a workbook's tables to the own-data worker, which
//! writes the file (`engine::xlsx_out`), and downloads what comes back.
//!
//! Why the worker: the page's wasm is the first view's download, and the XML and zip writing is
//! needed only by those who click "Tải Excel". The worker is the one the page already has for a
//! user's files (fetched the first time, then kept offline); an export starts its own instance,
//! apart from any file being loaded, and ends it once the bytes are back.

use std::cell::RefCell;

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::checker::protocol::{FromWorker, ToWorker};
use crate::engine::xlsx_out::{Book, MIME};
use crate::i18n::{t, Msg};

use super::own_data::WorkerJob;
use super::state::AppState;
use super::web;

thread_local! {
    /// The worker writing a workbook (ended by [`stop`] when done).
    static EXPORTING: RefCell<Option<WorkerJob>> = const { RefCell::new(None) };
}

/// Ends the export's worker.
fn stop() {
    if let Some(job) = EXPORTING.with(|e| e.borrow_mut().take()) {
        job.end();
    }
}

/// Writes `book` as `file_name` (an `.xlsx`) in the worker and downloads it; `busy` is true while
/// it is being made. A failure (the worker's files cannot be fetched offline before their first
/// use) is said in the page's flash line.
pub fn download_xlsx(state: AppState, book: Book, file_name: String, busy: RwSignal<bool>) {
    stop();
    let failed = move || {
        stop();
        busy.set(false);
        state.flash.set(Some(t(state.lang(), Msg::ExportFailed).to_string()));
    };
    let worker = match web_sys::Worker::new(&super::own_data::worker_src()) {
        Ok(w) => w,
        Err(_) => return failed(),
    };
    busy.set(true);
    let request = ToWorker::Export(book).encode();
    let w = worker.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let data = Array::from(&ev.data());
        match FromWorker::decode(&Uint8Array::new(&data.get(0)).to_vec()) {
            // The worker listens: now it can be given the workbook.
            Ok(FromWorker::Ready) => {
                let head = Uint8Array::from(request.as_slice()).buffer();
                if w.post_message_with_transfer(&Array::of1(&head), &Array::of1(&head)).is_err() {
                    failed();
                }
            }
            Ok(FromWorker::Exported) => {
                let bytes = Uint8Array::new(&data.get(1)).to_vec();
                stop();
                busy.set(false);
                if web::download_bytes(&file_name, MIME, &bytes).is_err() {
                    state.flash.set(Some(t(state.lang(), Msg::ExportFailed).to_string()));
                }
            }
            Ok(_) => {}
            Err(e) => {
                web_sys::console::error_1(&e.to_string().into());
                failed();
            }
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        ev.prevent_default();
        failed();
    });
    EXPORTING.with(|e| *e.borrow_mut() = Some(WorkerJob::start(worker, on_message, on_error)));
}

/// The "Tải Excel (.xlsx)" button: `book` gives the workbook when clicked, `None` when there is
/// nothing to write.
#[component]
pub fn XlsxButton(book: Callback<(), Option<(Book, String)>>, testid: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    let busy = RwSignal::new(false);
    let click = move |_| {
        if busy.get_untracked() {
            return;
        }
        if let Some((b, name)) = book.run(()) {
            download_xlsx(state, b, name, busy);
        }
    };
    view! {
        <button type="button" class="btn small" data-testid=testid on:click=click aria-busy=move || busy.get().to_string()>
            {move || t(state.lang(), if busy.get() { Msg::ExportBusy } else { Msg::DownloadXlsx })}
        </button>
    }
}
