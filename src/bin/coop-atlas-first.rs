//! Stand-in for the lean first view (issue 13, design 4) until the lead's `coop-atlas-first` lands:
//! scripts/probes/first-view/lean.rs with two changes so the page works end to end — it does
//! nothing when no packed file is named (the probe's `window.__coopPack`, which the page does not
//! set), and it always ends by calling `window.coopApp()`, which starts the Leptos app.
//! The probe's own description follows.
//!
//! Probe, not part of the app (scripts/probes/first-view/measure.sh copies it into a scratch
//! worktree as `src/bin/coop-atlas-first.rs`): the smallest first view that still computes what a
//! shared link shows — the link read by the URL codec, the shown year's packed file decoded, the
//! headline cards, the map's fills, legend and shapes, and the table computed by the engine — and
//! writes them into the pre-rendered copy with plain DOM calls, no Leptos. Its size is what a
//! first view without a client framework would cost (docs/performance.md, "Designs measured").
#[cfg(target_arch = "wasm32")]
fn main() {
    use coop_atlas::engine::url_state;
    use wasm_bindgen::{JsCast, JsValue};
    let Some(w) = web_sys::window() else { return };
    let Some(doc) = w.document() else { return };
    let q = w.location().search().unwrap_or_default();
    let v = url_state::from_query(q.trim_start_matches('?')).state;
    let file = js_sys::Reflect::get(&w, &JsValue::from_str("__coopPack")).ok().and_then(|x| x.as_string()).unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        lean(doc, v, file).await;
        // The Leptos app takes over from the copy, whatever the lean did.
        if let Some(app) = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("coopApp")).ok())
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = app.call0(&JsValue::NULL);
        }
    });
}

#[cfg(target_arch = "wasm32")]
async fn lean(doc: web_sys::Document, v: coop_atlas::engine::url_state::ViewState, file: String) {
    use coop_atlas::engine::{url_state, wire};
    use wasm_bindgen::{JsCast, JsValue};
    {
        if file.is_empty() { return }
        let Some(w) = web_sys::window() else { return };
        let fetch = |path: String| {
            let w = w.clone();
            async move {
                let resp: web_sys::Response = wasm_bindgen_futures::JsFuture::from(w.fetch_with_str(&path)).await.ok()?.dyn_into().ok()?;
                let buf = wasm_bindgen_futures::JsFuture::from(resp.array_buffer().ok()?).await.ok()?;
                Some(js_sys::Uint8Array::new(&buf).to_vec())
            }
        };
        let Some(bytes) = fetch(file).await else { return };
        let ds = match wire::decode(&bytes) {
            Ok(d) => d,
            Err(e) => return web_sys::console::error_1(&e.to_string().into()),
        };
        let cards = coop_atlas::dashboard::cards(&ds, &v, v.lang);
        let mut html = String::new();
        for c in &cards {
            html.push_str(&format!(
                "<li class=\"card\" data-testid=\"kpi-{}\"><p class=label>{}</p><p class=value>{}</p><p class=\"meta chg\">{}</p>{}</li>",
                c.id, c.label, c.text, c.change_text.clone().unwrap_or_default(), c.targets.join("")
            ));
        }
        if let Some(ul) = doc.query_selector("#prerender ul.cards").ok().flatten() {
            ul.set_inner_html(&html);
        }
        let m = coop_atlas::dashboard::map_view(&ds, &v, v.lang);
        let shapes_path = format!("geo/{}-svg.tsv", coop_atlas::dashboard::map_name(v.boundary));
        let shapes = fetch(shapes_path).await.and_then(|b| String::from_utf8(b).ok()).and_then(|t| coop_atlas::shapes::Shapes::parse(&t).ok());
        let mut svg = String::new();
        if let Some(s) = &shapes {
            for a in s.areas.iter().filter(|a| !a.label) {
                let fill = m.area(&a.code).map_or(coop_atlas::dashboard::NO_DATA_COLOR, |x| x.fill);
                svg.push_str(&format!("<path class=area d=\"{}\" fill=\"{}\" data-code=\"{}\"></path>", a.d, fill, a.code));
            }
            svg.push_str(&format!("<!--{}-->", s.zoom(&m.focus)));
        }
        if let Some(g) = doc.query_selector("#prerender g.areas").ok().flatten() {
            g.set_inner_html(&svg);
        }
        let mut lg = String::new();
        for e in &m.legend {
            lg.push_str(&format!("<li><span class=swatch style=\"background-color:{}\"></span>{}</li>", e.color, e.text));
        }
        if let Some(ul) = doc.query_selector("#prerender .legend").ok().flatten() {
            ul.set_inner_html(&lg);
        }
        let tb = coop_atlas::dashboard::table(&ds, &v, coop_atlas::dashboard::TableBy::Province, v.lang);
        if let Some(t) = doc.query_selector("#prerender table").ok().flatten() {
            t.set_inner_html(&coop_atlas::dashboard::table_csv(&tb, v.lang));
        }
        let _ = web_sys::window().and_then(|w| w.history().ok()).map(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("?{}", url_state::to_query(&v)))));
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
