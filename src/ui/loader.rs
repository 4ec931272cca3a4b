//! Fetches bundled datasets in their packed form (`engine::wire`, written at build time by
//! `coop-atlas pack` after every check of the published JSON has passed) and decodes them.
//!
//! Bundled datasets are split by year: the first view fetches only the catalogue and the year it
//! shows, and other years are fetched when a view needs them (the previous year for the change on
//! each card, every year for a trend). A file that fails to fetch or parse leaves what is already on
//! screen untouched and shows a message naming the file.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;

use crate::catalog::{packed_path, Catalog, CatalogEntry};
use crate::engine::dataset::Dataset;
use crate::engine::wire;

use super::state::{AppState, Loaded};
use super::web;

/// Loading state shared by the app: the catalogue and which files are in flight.
#[derive(Clone, Copy)]
pub struct Loader {
    /// `catalog.json`, once fetched.
    pub catalog: RwSignal<Option<Catalog>>,
    in_flight: StoredValue<BTreeSet<String>>,
}

impl Loader {
    /// Starts fetching the catalogue.
    pub fn start(state: AppState) -> Loader {
        let loader = Loader { catalog: RwSignal::new(None), in_flight: StoredValue::new(BTreeSet::new()) };
        leptos::task::spawn_local(async move {
            match web::fetch_bytes("data/catalog.json").await.and_then(|b| Catalog::parse(&b)) {
                Ok(c) => loader.catalog.set(Some(c)),
                Err(e) => state.load_error.set(Some(("catalog".into(), e))),
            }
        });
        loader
    }

    /// Makes sure the files holding `years` of dataset `id` are fetched (all years when `years` is
    /// empty and `all` is set). Already fetched or in-flight files are not fetched again.
    pub fn ensure(&self, state: AppState, id: &str, years: &[u16], all: bool) {
        let Some(entry) = self.catalog.with_untracked(|c| c.as_ref().and_then(|c| c.get(id)).cloned()) else {
            return;
        };
        let loaded: BTreeSet<u16> = state
            .datasets
            .with_untracked(|m| m.get(id).map(|l| entity_years(&l.dataset)).unwrap_or_default());
        let complete = state.datasets.with_untracked(|m| m.get(id).map(|l| l.complete).unwrap_or(false));
        if complete {
            return;
        }
        let plan = entry.plan();
        let latest = plan.files.first().and_then(|f| f.0);
        for (year, path) in plan.files {
            let wanted = match year {
                None => true,
                Some(y) => all || years.contains(&y) || (years.is_empty() && Some(y) == latest),
            };
            if !wanted || year.is_some_and(|y| loaded.contains(&y)) {
                continue;
            }
            if !self.in_flight.try_update_value(|s| s.insert(path.clone())).unwrap_or(false) {
                continue;
            }
            let loader = *self;
            let entry = entry.clone();
            leptos::task::spawn_local(async move {
                let result = fetch_and_parse(&path).await;
                loader.in_flight.update_value(|s| {
                    s.remove(&path);
                });
                match result {
                    Ok(ds) => merge(state, &entry, ds, year.is_none()),
                    Err(e) => state.load_error.set(Some((entry.id.clone(), e))),
                }
            });
        }
    }
}

/// Fetches the packed form of a bundled file (`path` is the catalogue's JSON name) and decodes it.
async fn fetch_and_parse(path: &str) -> Result<Dataset, String> {
    let packed = packed_path(path);
    let bytes = web::fetch_bytes(&packed).await?;
    wire::decode(&bytes).map_err(|e| format!("{packed}: {e}"))
}

fn merge(state: AppState, entry: &CatalogEntry, ds: Dataset, complete: bool) {
    let fetched_at = js_sys::Date::now();
    let mut error = None;
    state.datasets.update(|m| {
        let next = match m.get(&entry.id) {
            Some(prev) => match prev.dataset.append(&ds) {
                Ok(merged) => merged,
                Err(report) => {
                    error = Some(report.to_string());
                    return;
                }
            },
            None => ds,
        };
        let complete = complete || entry.years.iter().all(|y| entity_years(&next).contains(y));
        m.insert(entry.id.clone(), Loaded { dataset: Arc::new(next), complete, fetched_at });
    });
    if let Some(e) = error {
        state.load_error.set(Some((entry.id.clone(), e)));
    }
}

/// The years that have entity rows in a (partly fetched) dataset.
fn entity_years(ds: &Dataset) -> BTreeSet<u16> {
    // Inserted, not collected: `collect` would first sort every row's year (a million for a large
    // dataset), and bring the standard library's sort into the wasm (see engine::order).
    let mut years = BTreeSet::new();
    for &y in ds.entities.years_raw() {
        years.insert(y);
    }
    years
}
