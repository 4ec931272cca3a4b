//! Small wrappers over browser APIs the components use: the address bar, the clipboard, downloads and
//! fetching files. Each returns a `Result` or does nothing on failure: a browser that refuses (no
//! clipboard permission, private mode) must never take the app down.

use wasm_bindgen::{JsCast, JsValue};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The query string of the address bar, without the leading `?`.
pub fn location_query() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// The page's URL without its query string (keeps the sub-path the app is served under).
pub fn location_base() -> String {
    window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// Writes `query` into the address bar: `push` adds a history entry (Back returns to the previous
/// view), otherwise the current entry is replaced (filters must not pile up entries).
pub fn set_location_query(query: &str, push: bool) {
    let Some(w) = window() else { return };
    let Ok(history) = w.history() else { return };
    let path = w.location().pathname().unwrap_or_default();
    let url = if query.is_empty() { path } else { format!("{path}?{query}") };
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

/// Asks the reader to confirm `question` (the browser's own dialog); `false` when there is no
/// window or the reader cancels.
pub fn confirm(question: &str) -> bool {
    window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

/// Copies text to the clipboard; resolves to whether it worked.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(w) = window() else { return false };
    let promise = w.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Offers `bytes` as a download named `filename`.
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)
        .map_err(|_| "cannot create the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "cannot create the file".to_string())?;
    let result = download_url(filename, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

/// Offers a URL (an object URL or a `data:` URL) as a download named `filename`.
pub fn download_url(filename: &str, url: &str) -> Result<(), String> {
    let document = window().and_then(|w| w.document()).ok_or("no document")?;
    let a = document
        .create_element("a")
        .map_err(|_| "no link")?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "no link")?;
    a.set_href(url);
    a.set_download(filename);
    let body = document.body().ok_or("no body")?;
    let _ = body.append_child(&a);
    a.click();
    let _ = body.remove_child(&a);
    Ok(())
}

/// Fetches a file relative to the page as bytes. Errors name the file and the HTTP status.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let resp = gloo_net::http::Request::get(path)
        .send()
        .await
        .map_err(|e| format!("{path}: {e}"))?;
    if !resp.ok() {
        return Err(format!("{path}: HTTP {}", resp.status()));
    }
    resp.binary().await.map_err(|e| format!("{path}: {e}"))
}

/// Removes the copy of the first view that the build pre-rendered into index.html
/// (scripts/prerender.mjs), once the app's own cards have numbers (and, on the Map tab, its map is
/// drawn) or it has an error to show. Until then the copy stands in for the app, which
/// style/main.css keeps hidden under it, so the page never shows an empty frame in between. The
/// copy's map is the app's own inline SVG, so the live one replaces it without a jump. On a link
/// to another view the copy was never shown (postbuild's inline script decides) and only waits
/// here to be removed.
///
/// What the reader was doing in the copy carries over, so the takeover is not felt: the focused
/// control (found again by its test id without the copy's `pre-` prefix, or a map province by its
/// code), the text typed in the province search, and the filter panel unfolded on a phone.
pub fn retire_prerender() {
    let Some(doc) = window().and_then(|w| w.document()) else { return };
    let Some(copy) = doc.get_element_by_id("prerender") else { return };
    let live = |sel: &str| doc.query_selector(&format!("#main {sel}, body > header {sel}")).ok().flatten();
    // The first view wrote down where the focus was when the app started (src/lean.rs): the copy
    // was made inert then, which takes the focus away.
    let noted = copy.get_attribute("data-focus").filter(|s| !s.is_empty());
    let focus_to = noted.or_else(|| doc.active_element().filter(|a| copy.contains(Some(a))).and_then(|a| {
        if let Some(code) = a.get_attribute("data-code") {
            return Some(format!("path.area[data-code=\"{code}\"]"));
        }
        let id = a.get_attribute("data-testid")?;
        Some(format!("[data-testid=\"{}\"]", id.strip_prefix("pre-")?))
    }));
    let typed = copy
        .query_selector("[data-testid=\"pre-province-search\"]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .filter(|v| !v.is_empty());
    let unfolded = copy.query_selector("section.filters:not([data-folded])").ok().flatten().is_some();
    copy.remove();
    // The copy in the other language (scripts/prerender.mjs): ≈ 45 KB of markup nobody shows now.
    if let Some(t) = doc.get_element_by_id("prerender-en") {
        t.remove();
    }
    if unfolded {
        if let Some(b) = live("[data-testid=\"filters-toggle\"][aria-expanded=\"false\"]").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            b.click();
        }
    }
    if let Some(text) = typed {
        if let Some(input) = live("[data-testid=\"province-search\"]").and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            input.set_value(&text);
            if let Ok(ev) = web_sys::Event::new("input") {
                let _ = input.dispatch_event(&ev);
            }
        }
    }
    // After the app's own updates (the panel unfolded above is written in a later task): a
    // control in a folded panel cannot take the focus.
    let Some(sel) = focus_to else { return };
    gloo_timers::callback::Timeout::new(0, move || {
        let Some(doc) = window().and_then(|w| w.document()) else { return };
        let Some(el) = doc.query_selector(&format!("#main {sel}, body > header {sel}")).ok().flatten() else { return };
        // Through `focus` looked up on the element: a map province is an SVG element, not an
        // HtmlElement.
        if let Ok(f) = js_sys::Reflect::get(&el, &JsValue::from_str("focus")) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call0(&el);
            }
        }
    })
    .forget();
}

/// Whether the pre-rendered copy shows a chart the first view drew (src/lean.rs, a trend as SVG):
/// the app then keeps the copy until it can draw the same one.
pub fn copy_shows_chart() -> bool {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("#prerender [data-testid=\"pre-chart-fallback\"] svg").ok().flatten())
        .is_some()
}

/// Milliseconds since the page started (for the filter-to-render timing the tests read).
pub fn now_ms() -> f64 {
    window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Offers an SVG document as a PNG named `filename`: the SVG is drawn into a canvas at twice its
/// size (sharp on a phone's screen and in print) once the browser has decoded it as an image.
pub fn download_svg_as_png(filename: &str, svg: &str) {
    let Ok(img) = web_sys::HtmlImageElement::new() else { return };
    let name = filename.to_string();
    let img_for_load = img.clone();
    let on_load = wasm_bindgen::closure::Closure::once_into_js(move || {
        let (w, h) = (img_for_load.natural_width(), img_for_load.natural_height());
        let Some(doc) = window().and_then(|w| w.document()) else { return };
        let Some(canvas) = doc.create_element("canvas").ok().and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok()) else { return };
        canvas.set_width(w * 2);
        canvas.set_height(h * 2);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = ctx.scale(2.0, 2.0);
        if ctx.draw_image_with_html_image_element(&img_for_load, 0.0, 0.0).is_ok() {
            if let Ok(url) = canvas.to_data_url_with_type("image/png") {
                let _ = download_url(&name, &url);
            }
        }
    });
    img.set_onload(Some(on_load.unchecked_ref()));
    let encoded: String = js_sys::encode_uri_component(svg).into();
    img.set_src(&format!("data:image/svg+xml;charset=utf-8,{encoded}"));
}
