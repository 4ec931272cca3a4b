//! The browser benchmark's wasm module (issue 8): the engine alone, no Leptos, no charts, so the
//! page measures exactly the code the app runs on a dataset, and the app's own wasm does not grow.
//!
//! Built by a second Trunk run from `bench/index.html` into `dist/bench/` (scripts/build.sh); the
//! page (`bench/bench.js`) times these exports against plain JavaScript over the same bytes, and
//! `scripts/bench-browser.mjs` drives it in Chromium. Same release profile as the app
//! (`opt-level = "z"`, LTO, `wasm-opt -Oz`): the figures are those of the shipped engine.
//!
//! State lives in a thread-local (wasm is single-threaded): one loaded dataset, replaced by the
//! next `load`, whose old columns are dropped *before* the new file is parsed so repeated runs do
//! not stack two datasets in linear memory (which never shrinks).

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::RefCell;

    use coop_atlas::engine::dataset::Measure;
    use coop_atlas::engine::dataset::Subset;
    use coop_atlas::engine::filter::Filter;
    use coop_atlas::engine::incremental::{IncrementalParser, BATCH_ROWS};
    use coop_atlas::engine::indicators::{
        builtin, compute_all, compute_many, regroup_to_34, GroupBy, GroupKey, IndicatorResult,
    };
    use coop_atlas::engine::parse::{parse_dataset_owned, Limits};
    use coop_atlas::engine::provinces::registry;
    use coop_atlas::engine::vocab::{Boundary, Kind};
    use coop_atlas::engine::Dataset;
    use coop_atlas::js_bytes::JsBytes;
    use coop_atlas::synth::scale::{generate_fields, BENCH_FIELDS};
    use wasm_bindgen::prelude::*;

    /// The four indicators of the benchmark's group-by, in output order.
    const GROUP_IDS: [&str; 4] = ["htx_count", "workers", "income_avg", "htx_high_tech_share"];

    thread_local! {
        static DATA: RefCell<Option<Dataset>> = const { RefCell::new(None) };
        static SLICED: RefCell<Option<IncrementalParser>> = const { RefCell::new(None) };
        static LAST_GROUPS: RefCell<Vec<(IndicatorResult, Measure)>> = const { RefCell::new(Vec::new()) };
    }

    fn limits() -> Limits {
        // The app's limit (100 MB) holds a million ten-field rows (≈ 58 MB).
        Limits::default()
    }

    /// `rows` entity rows of the ten benchmark fields, columnar JSON (`synth::scale`), as bytes.
    /// Called in a separate instance (a Worker) so generating does not inflate the measured memory.
    #[wasm_bindgen]
    pub fn generate(rows: usize, seed: u32) -> Vec<u8> {
        generate_fields(rows, u64::from(seed), &BENCH_FIELDS).into_bytes()
    }

    /// Parses and validates a file in one call (the bytes are moved in and freed once the JSON is
    /// read), then builds the row index. Returns the row count, or the engine's report as text.
    #[wasm_bindgen]
    pub fn load(bytes: Vec<u8>) -> Result<usize, String> {
        DATA.with(|d| d.borrow_mut().take());
        LAST_GROUPS.with(|g| g.borrow_mut().clear());
        let parsed = parse_dataset_owned(bytes, &limits()).map_err(|r| r.to_string())?;
        // Built here so the time to build the row index counts in "parse", not in the first query.
        let _ = parsed.dataset.entities.index();
        let n = parsed.dataset.entities.len();
        DATA.with(|d| *d.borrow_mut() = Some(parsed.dataset));
        Ok(n)
    }

    /// Starts the app's sliced parse (`engine::incremental`) of a file; drive it with `sliced_step`.
    /// As in the app (`ui::own_data`), the bytes stay in the JavaScript array: the parser copies in
    /// only the chunk it scans or the batch it parses.
    #[wasm_bindgen]
    pub fn sliced_start(bytes: js_sys::Uint8Array) {
        DATA.with(|d| d.borrow_mut().take());
        LAST_GROUPS.with(|g| g.borrow_mut().clear());
        let parser = IncrementalParser::with_source(Box::new(JsBytes(bytes)), limits(), BATCH_ROWS);
        SLICED.with(|s| *s.borrow_mut() = Some(parser));
    }

    /// One slice of about `budget` bytes of work, as the app does between paints. Returns the
    /// fraction done (1 when finished, after which the dataset is loaded), or an error.
    #[wasm_bindgen]
    pub fn sliced_step(budget: usize) -> Result<f64, String> {
        SLICED.with(|s| {
            let mut slot = s.borrow_mut();
            let Some(p) = slot.as_mut() else {
                return Err("no sliced parse in progress".to_string());
            };
            let pr = p.step(budget);
            if !pr.finished {
                return Ok(pr.done as f64 / pr.total.max(1) as f64);
            }
            let Some(p) = slot.take() else {
                return Err("no sliced parse in progress".to_string());
            };
            let parsed = p.finish().map_err(|r| r.to_string())?;
            DATA.with(|d| *d.borrow_mut() = Some(parsed.dataset));
            Ok(1.0)
        })
    }

    fn with_data<T>(f: impl FnOnce(&Dataset) -> T) -> Result<T, String> {
        DATA.with(|d| d.borrow().as_ref().map(f).ok_or_else(|| "no dataset loaded".to_string()))
    }

    fn year_filter(year: u16) -> Filter {
        if year == 0 {
            Filter::default()
        } else {
            Filter { years: Some((year, year)), ..Filter::default() }
        }
    }

    /// Every built-in indicator for one filter state (year `year`, or all years when 0). Returns
    /// per indicator `[n, num, den, value]` (value NaN when undefined), in `builtins()` order.
    #[wasm_bindgen]
    pub fn compute_all_totals(year: u16) -> Result<Vec<f64>, String> {
        with_data(|ds| {
            compute_all(ds, &year_filter(year))
                .iter()
                .flat_map(|r| [r.total.n as f64, r.total.num, r.total.den, r.total.value.unwrap_or(f64::NAN)])
                .collect()
        })
    }

    /// The ids of the built-in indicators, in the order of `compute_all_totals`.
    #[wasm_bindgen]
    pub fn builtin_ids() -> Vec<String> {
        coop_atlas::engine::indicators::builtins().iter().map(|d| d.id.clone()).collect()
    }

    /// The 63-province codes of the benchmark's 14 provinces (the first 14 in registry order, as in
    /// `benches/engine.rs`).
    #[wasm_bindgen]
    pub fn bench_provinces() -> Vec<String> {
        registry().provinces(Boundary::P63).iter().take(14).map(|p| p.code.to_string()).collect()
    }

    /// Codes of the 63 provinces, in index order, and for each the code of the 34-province it
    /// merged into (`"01>01"`): the crosswalk the JavaScript baseline regroups with.
    #[wasm_bindgen]
    pub fn crosswalk_codes() -> Vec<String> {
        let reg = registry();
        reg.provinces(Boundary::P63)
            .iter()
            .map(|p| {
                let to = reg.to_34(p.index).and_then(|q| reg.get(Boundary::P34, q)).map_or("", |q| q.code);
                format!("{}>{}", p.code, to)
            })
            .collect()
    }

    /// Flattens 4 by-province results into `[province index, count, Σ workers, income mean,
    /// high-tech share]` per province that has any row (NaN for an undefined mean or share).
    fn flatten(results: &[(IndicatorResult, Measure)]) -> Vec<f64> {
        let mut keys: Vec<u8> = Vec::new();
        for (r, _) in results {
            for (k, _) in &r.groups {
                if let GroupKey::Province(p) = k {
                    if !keys.contains(p) {
                        keys.push(*p);
                    }
                }
            }
        }
        keys.sort_unstable();
        let mut out = Vec::with_capacity(keys.len() * 5);
        for p in keys {
            out.push(p as f64);
            for (r, _) in results {
                let cell = r.groups.iter().find(|(k, _)| *k == GroupKey::Province(p)).map(|(_, c)| *c);
                out.push(cell.and_then(|c| c.value).unwrap_or(f64::NAN));
            }
        }
        out
    }

    /// The benchmark's filtered group-by: year `year`, kind `kind`, the provinces `codes`
    /// (63-codes); by province: count, Σ workers, weighted mean income, high-tech share, in one
    /// pass (`compute_many`). Kept for `regroup_34`. Returns the flattened table (see `flatten`).
    #[wasm_bindgen]
    pub fn group_by(year: u16, kind: &str, codes: Vec<String>) -> Result<Vec<f64>, String> {
        let reg = registry();
        let provinces: Vec<u8> = codes.iter().filter_map(|c| reg.index_of(Boundary::P63, c)).collect();
        let kind = Kind::from_code(kind).ok_or_else(|| format!("unknown kind {kind:?}"))?;
        let filter = Filter { years: Some((year, year)), provinces, rows: Subset { kinds: vec![kind], ..Subset::default() }, ..Filter::default() };
        let defs: Vec<_> = GROUP_IDS.iter().filter_map(|id| builtin(id)).collect();
        let results = with_data(|ds| {
            compute_many(ds, &defs, &filter, GroupBy::Province)
                .into_iter()
                .zip(&defs)
                .map(|(r, d)| (r, d.measure))
                .collect::<Vec<_>>()
        })?;
        let out = flatten(&results);
        LAST_GROUPS.with(|g| *g.borrow_mut() = results);
        Ok(out)
    }

    /// The last group-by regrouped into the 34 provinces (counts and sums added, mean and share
    /// recomputed from their parts), flattened the same way with 34-province indices.
    #[wasm_bindgen]
    pub fn regroup_34() -> Vec<f64> {
        LAST_GROUPS.with(|g| {
            let regrouped: Vec<(IndicatorResult, Measure)> =
                g.borrow().iter().map(|(r, m)| (regroup_to_34(r, *m), *m)).collect();
            flatten(&regrouped)
        })
    }

    /// Codes of the 34 provinces in index order (labels of the regrouped rows).
    #[wasm_bindgen]
    pub fn codes_34() -> Vec<String> {
        registry().provinces(Boundary::P34).iter().map(|p| p.code.to_string()).collect()
    }

    /// The module's linear memory, whose `buffer.byteLength` is the honest "wasm memory in use".
    #[wasm_bindgen]
    pub fn wasm_memory() -> JsValue {
        wasm_bindgen::memory()
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

/// Natively there is nothing to run: the native benchmark is `cargo bench --bench engine`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("coop-atlas-bench is the browser benchmark's wasm module: `node scripts/bench-browser.mjs`");
    eprintln!("the native engine benchmark is `cargo bench --bench engine`");
    std::process::exit(2);
}
