//! The app's state, shared through context: the view (which *is* the URL), the datasets loaded so
//! far, and transient messages.
//!
//! The address bar and [`AppState::view`] are kept equal: a filter change replaces the history entry
//! (so filters never pile up entries), a tab change pushes one (so Back leaves the tab), and Back or
//! Forward re-reads the address bar into the view.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::engine::dataset::Dataset;
use crate::engine::url_state::{self, Notice, ViewState};
use crate::engine::vocab::Lang;

use super::web;

/// A dataset as far as it has been fetched: bundled datasets arrive year by year, latest first.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The merged dataset of every year fetched so far.
    pub dataset: Arc<Dataset>,
    /// Whether every year of the dataset is in `dataset`.
    pub complete: bool,
    /// When the data was fetched (ms since the epoch), for the "data as of" line.
    pub fetched_at: f64,
}

/// Everything components share. `Copy`: every field is an arena handle.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The view being shown; written to the address bar by [`install_url_sync`].
    pub view: RwSignal<ViewState>,
    /// Problems found in the link that opened the page (shown once, dismissible).
    pub notices: RwSignal<Vec<Notice>>,
    /// Datasets fetched so far, by id.
    pub datasets: RwSignal<BTreeMap<String, Loaded>>,
    /// A loading error to show (dataset id, message).
    pub load_error: RwSignal<Option<(String, String)>>,
    /// A short message ("link copied").
    pub flash: RwSignal<Option<String>>,
}

impl AppState {
    /// Reads the view from the address bar.
    pub fn from_location() -> AppState {
        let parsed = url_state::from_query(&web::location_query());
        AppState {
            view: RwSignal::new(parsed.state),
            notices: RwSignal::new(parsed.notices),
            datasets: RwSignal::new(BTreeMap::new()),
            load_error: RwSignal::new(None),
            flash: RwSignal::new(None),
        }
    }

    /// The display language of the current view.
    pub fn lang(&self) -> Lang {
        self.view.with(|v| v.lang)
    }

    /// Changes the view with `f` (the URL follows).
    pub fn update(&self, f: impl FnOnce(&mut ViewState)) {
        self.view.update(f);
    }

    /// Opens bundled dataset `id` from its defaults (indicators and years belong to a dataset).
    pub fn open_bundled(&self, id: String) {
        self.view.update(|v| {
            v.local = None;
            v.data_url = None;
            v.dataset = id;
            v.indicator = ViewState::default().indicator;
            v.year = None;
        });
    }

    /// The key in [`AppState::datasets`] of the dataset the view shows: a device-local dataset
    /// (`ld=`, key `local:<id>`) or a fetched one (`data=`, key `url:<address>`) takes the place of
    /// the bundled `d=`, so a link never shows other data under the name it gives.
    pub fn current_key(&self) -> String {
        self.view.with(|v| match (&v.local, &v.data_url) {
            (Some(l), _) => format!("local:{l}"),
            (None, Some(u)) => format!("url:{u}"),
            (None, None) => v.dataset.clone(),
        })
    }

    /// The dataset of the current view, if fetched.
    pub fn current(&self) -> Option<Loaded> {
        let id = self.current_key();
        self.datasets.with(|m| m.get(&id).cloned())
    }
}

/// `<html lang>` in `lang`: screen readers pick their voice from it. (The title follows the
/// whole view: [`set_document_title`].)
fn set_document_lang(lang: crate::engine::vocab::Lang) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(root) = doc.document_element() {
        if root.get_attribute("lang").as_deref() != Some(lang.code()) {
            let _ = root.set_attribute("lang", lang.code());
        }
    }
}

/// The document title: the view's (`dashboard::page_title`) once its dataset is loaded, the app's
/// name in the view's language before. Tabs, bookmarks and history show it.
pub fn set_document_title(title: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if doc.title() != title {
        doc.set_title(title);
    }
}

/// Keeps the address bar equal to the view, and the view equal to the address bar on Back/Forward.
pub fn install_url_sync(state: AppState) {
    let last = StoredValue::new(state.view.get_untracked());
    Effect::new(move |_| {
        let view = state.view.get();
        // The page's language and title follow the view's, also on the first run (a link
        // opened with `l=en` already matches the address bar, so the check below returns).
        set_document_lang(view.lang);
        let query = url_state::to_query(&view);
        if query == web::location_query() {
            last.set_value(view);
            return;
        }
        let push = last.with_value(|prev| {
            prev.tab != view.tab || prev.dataset != view.dataset || prev.local != view.local
        });
        web::set_location_query(&query, push);
        last.set_value(view);
    });

    let on_pop = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        let parsed = url_state::from_query(&web::location_query());
        state.view.set(parsed.state);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_pop.forget();
}
