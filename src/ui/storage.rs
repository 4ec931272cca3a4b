//! Datasets the user loaded, kept in the browser's IndexedDB so they survive a reload, a closed
//! browser and being offline. Nothing here talks to the network.
//!
//! Three object stores: `meta` holds one small record per dataset (id, title, file name, size,
//! record count, date loaded) so the list and the switcher come up without reading any data;
//! `wire` holds the checked dataset packed (`engine::wire`), which is what a `ld=` link reads: the
//! page decodes it directly, with no parse, no checks and no worker; `data` holds the dataset in
//! the JSON format (a CSV is stored already converted, so it never needs its column mapping
//! again). Why both: the packed form belongs to a release of the app, the JSON form to the
//! user. A dataset kept by an earlier release (database version 1 had no `wire`) or whose packed
//! form this release cannot read is checked again from its JSON by the own-data worker, and its
//! packed form rewritten.
//!
//! Every call returns `Result<_, String>`: private browsing, a full disk or a browser without
//! IndexedDB must leave the app working, only without keeping what was loaded.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DB_NAME: &str = "coop-atlas";
const DB_VERSION: u32 = 2;
const META: &str = "meta";
const DATA: &str = "data";
const WIRE: &str = "wire";

/// What the list of stored datasets shows about one of them.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredMeta {
    /// The dataset's `meta.id` (also its key, and the `ld=` of links to it).
    pub id: String,
    /// Its Vietnamese title.
    pub title_vi: String,
    /// Its English title.
    pub title_en: String,
    /// The file it came from.
    pub file_name: String,
    /// Bytes stored (the JSON form).
    pub size: f64,
    /// Entity rows plus observations.
    pub records: f64,
    /// When it was loaded (ms since the epoch).
    pub loaded_at: f64,
}

fn err(what: &str) -> impl Fn(JsValue) -> String + '_ {
    move |e| {
        let detail = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_default();
        format!("IndexedDB {what}: {detail}")
    }
}

/// Waits for a request to succeed and returns its result.
async fn done(req: &IdbRequest, what: &str) -> Result<JsValue, String> {
    let r = req.clone();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r_ok = r.clone();
        let ok = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r_ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r_err = r.clone();
        let fail = Closure::once_into_js(move |_e: web_sys::Event| {
            let msg = r_err.error().ok().flatten().map(|e| e.message()).unwrap_or_default();
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&msg));
        });
        r.set_onsuccess(Some(ok.unchecked_ref()));
        r.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(err(what))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(err("open"))?
        .ok_or("IndexedDB is not available in this browser")?;
    let req: IdbOpenDbRequest = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(err("open"))?;
    let up = req.clone();
    let upgrade = Closure::once_into_js(move |_e: web_sys::Event| {
        if let Ok(db) = up.result().and_then(|r| r.dyn_into::<IdbDatabase>().map_err(|_| JsValue::NULL)) {
            let names = db.object_store_names();
            let params = IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str("id"));
            if !names.contains(META) {
                let _ = db.create_object_store_with_optional_parameters(META, &params);
            }
            if !names.contains(DATA) {
                let _ = db.create_object_store(DATA);
            }
            if !names.contains(WIRE) {
                let _ = db.create_object_store(WIRE);
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = done(&req, "open").await?;
    db.dyn_into::<IdbDatabase>().map_err(|_| "IndexedDB open: not a database".to_string())
}

/// Waits until a write transaction is committed (so a reload right after finds the data).
async fn committed(tx: &web_sys::IdbTransaction) -> Result<(), String> {
    let t = tx.clone();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let reject2 = reject.clone();
        let fail = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("the write failed (is the disk full?)"));
        });
        let abort = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = reject2.call1(&JsValue::NULL, &JsValue::from_str("the write was aborted (is the disk full?)"));
        });
        t.set_oncomplete(Some(ok.unchecked_ref()));
        t.set_onerror(Some(fail.unchecked_ref()));
        t.set_onabort(Some(abort.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(err("save"))
}

fn to_js(m: &StoredMeta) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("id", JsValue::from_str(&m.id));
    set("title_vi", JsValue::from_str(&m.title_vi));
    set("title_en", JsValue::from_str(&m.title_en));
    set("file_name", JsValue::from_str(&m.file_name));
    set("size", JsValue::from_f64(m.size));
    set("records", JsValue::from_f64(m.records));
    set("loaded_at", JsValue::from_f64(m.loaded_at));
    o.into()
}

fn from_js(v: &JsValue) -> Option<StoredMeta> {
    let s = |k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|x| x.as_string());
    let n = |k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|x| x.as_f64()).unwrap_or(0.0);
    Some(StoredMeta {
        id: s("id")?,
        title_vi: s("title_vi").unwrap_or_default(),
        title_en: s("title_en").unwrap_or_default(),
        file_name: s("file_name").unwrap_or_default(),
        size: n("size"),
        records: n("records"),
        loaded_at: n("loaded_at"),
    })
}

/// Stores (or replaces) a dataset: its list record, its JSON form and its packed form (both held
/// by JavaScript: they are stored without passing through wasm memory), in one transaction.
/// `json` and `packed` are Blobs (or, from an older worker path, buffers): IndexedDB keeps either.
pub async fn save(meta: &StoredMeta, json: &JsValue, packed: &JsValue) -> Result<(), String> {
    let db = open().await?;
    let names = js_sys::Array::of3(&JsValue::from_str(META), &JsValue::from_str(DATA), &JsValue::from_str(WIRE));
    let tx = db
        .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
        .map_err(err("save"))?;
    let key = JsValue::from_str(&meta.id);
    tx.object_store(META).map_err(err("save"))?.put(&to_js(meta)).map_err(err("save"))?;
    tx.object_store(DATA).map_err(err("save"))?.put_with_key(json, &key).map_err(err("save"))?;
    tx.object_store(WIRE).map_err(err("save"))?.put_with_key(packed, &key).map_err(err("save"))?;
    committed(&tx).await
}

/// Replaces the packed form of a kept dataset (after it was checked again from its JSON form).
pub async fn save_packed(id: &str, packed: &JsValue) -> Result<(), String> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(WIRE, IdbTransactionMode::Readwrite).map_err(err("save"))?;
    tx.object_store(WIRE).map_err(err("save"))?.put_with_key(packed, &JsValue::from_str(id)).map_err(err("save"))?;
    committed(&tx).await
}

/// Every stored dataset's list record, newest first.
pub async fn list() -> Result<Vec<StoredMeta>, String> {
    let db = open().await?;
    let tx = db.transaction_with_str(META).map_err(err("read"))?;
    let store = tx.object_store(META).map_err(err("read"))?;
    let all = done(&store.get_all().map_err(err("read"))?, "read").await?;
    let mut out: Vec<StoredMeta> = js_sys::Array::from(&all).iter().filter_map(|v| from_js(&v)).collect();
    crate::engine::order::sort_by(&mut out, |a, b| b.loaded_at.total_cmp(&a.loaded_at));
    Ok(out)
}

/// A stored dataset's JSON form; `Ok(None)` when this device does not have it.
pub async fn load(id: &str) -> Result<Option<Uint8Array>, String> {
    read(DATA, id).await
}

/// A stored dataset's packed form; `Ok(None)` when this device does not have one (kept by an
/// earlier release, or not kept at all).
pub async fn load_packed(id: &str) -> Result<Option<Uint8Array>, String> {
    read(WIRE, id).await
}

async fn read(store: &str, id: &str) -> Result<Option<Uint8Array>, String> {
    let db = open().await?;
    let tx = db.transaction_with_str(store).map_err(err("read"))?;
    let store = tx.object_store(store).map_err(err("read"))?;
    let v = done(&store.get(&JsValue::from_str(id)).map_err(err("read"))?, "read").await?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    // Left in JavaScript: the decoder copies in one column at a time, the worker reads its own
    // copy (wasm memory never shrinks, so a million-row file copied in whole would stay its peak).
    // Kept as a Blob since the worker makes them (read without blocking this thread); datasets
    // kept by earlier releases are buffers.
    if let Some(blob) = v.dyn_ref::<web_sys::Blob>() {
        let buf = wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await.map_err(err("read"))?;
        return Ok(Some(Uint8Array::new(&buf)));
    }
    Ok(Some(Uint8Array::new(&v)))
}

/// Removes a stored dataset (list record and both forms).
pub async fn remove(id: &str) -> Result<(), String> {
    let db = open().await?;
    let names = js_sys::Array::of3(&JsValue::from_str(META), &JsValue::from_str(DATA), &JsValue::from_str(WIRE));
    let tx = db
        .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
        .map_err(err("remove"))?;
    let key = JsValue::from_str(id);
    tx.object_store(META).map_err(err("remove"))?.delete(&key).map_err(err("remove"))?;
    tx.object_store(DATA).map_err(err("remove"))?.delete(&key).map_err(err("remove"))?;
    tx.object_store(WIRE).map_err(err("remove"))?.delete(&key).map_err(err("remove"))?;
    committed(&tx).await
}
