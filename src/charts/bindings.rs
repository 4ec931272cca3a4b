//! The thin JavaScript binding to ECharts for what charming 0.6's `WasmRenderer` lacks:
//! `setOption` with `notMerge` (so a re-render leaves no old series behind), click
//! events, `dispose` on unmount, `resize` when the container changes size, and PNG export.
//!
//! ECharts itself is self-hosted (`vendor/echarts.min.js`, built from the npm package) and loaded
//! *after* the first view so it never delays the headline cards: [`load_echarts`] injects the script
//! once and resolves when it has run. Every imported function is declared `catch`, so a JavaScript
//! exception becomes an `Err` here instead of unwinding through the wasm stack.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::options::axis_label_spec;
use crate::engine::vocab::Lang;

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance bound to one DOM element.
    #[derive(Clone, Debug)]
    pub type EChartsInstance;

    #[wasm_bindgen(catch, js_namespace = echarts, js_name = init)]
    fn echarts_init(el: &web_sys::HtmlElement, theme: &JsValue, opts: &JsValue) -> Result<EChartsInstance, JsValue>;

    #[wasm_bindgen(catch, method, js_name = setOption)]
    fn set_option_raw(this: &EChartsInstance, option: &JsValue, opts: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method)]
    fn resize(this: &EChartsInstance) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method)]
    fn dispose(this: &EChartsInstance) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_name = isDisposed)]
    fn is_disposed(this: &EChartsInstance) -> bool;

    #[wasm_bindgen(catch, method)]
    fn on(this: &EChartsInstance, event: &str, handler: &js_sys::Function) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method, js_name = getDataURL)]
    fn get_data_url(this: &EChartsInstance, opts: &JsValue) -> Result<String, JsValue>;
}

/// Converts a `serde_json::Value` option into a plain JS object, through JSON text and the
/// browser's own `JSON.parse`: objects stay plain objects (ECharts ignores JS `Map`s, which a
/// serde-wasm-bindgen default serializer would make) and no second serializer is linked into the
/// wasm (serde_json already writes JSON; every kilobyte of wasm is paid for on 3G).
pub fn to_js(value: &serde_json::Value) -> Result<JsValue, String> {
    let text = serde_json::to_string(value).map_err(|e| format!("cannot convert chart option: {e}"))?;
    js_sys::JSON::parse(&text).map_err(|_| "cannot convert chart option".to_string())
}

thread_local! {
    /// The axis-label formatters, one per language and unit (see [`axis_label_spec`]), made once:
    /// ECharts keeps a reference to them in every chart, so they live as long as the page.
    static AXIS_LABELS: Vec<((Lang, u8), Closure<dyn Fn(JsValue) -> String>)> = [Lang::Vi, Lang::En]
        .into_iter()
        .flat_map(|lang| crate::engine::format::AXIS_UNITS.map(move |unit| (lang, unit)))
        .map(|(lang, unit)| {
            let f = Closure::new(move |v: JsValue| match v.as_f64() {
                Some(x) => crate::engine::format::axis_label(x, unit, lang),
                None => v.as_string().unwrap_or_default(),
            });
            ((lang, unit), f)
        })
        .collect();
}

/// Replaces each value axis's label marker
/// ([`axis_label_marker`](super::options::axis_label_marker)) in a JS option with the formatter
/// of its language, so the ticks read `3.000`, `3,25 triệu` as every other number does.
fn format_axes(option: &JsValue) {
    use js_sys::{Array, Reflect};
    for key in ["xAxis", "yAxis"] {
        let Ok(axes) = Reflect::get(option, &key.into()) else { continue };
        let axes: Vec<JsValue> = if Array::is_array(&axes) { Array::from(&axes).iter().collect() } else { vec![axes] };
        for axis in axes.iter().filter(|a| a.is_object()) {
            let Ok(label) = Reflect::get(axis, &"axisLabel".into()) else { continue };
            if !label.is_object() {
                continue;
            }
            let marker = Reflect::get(&label, &"formatter".into()).ok().and_then(|f| f.as_string());
            let Some(spec) = marker.as_deref().and_then(axis_label_spec) else { continue };
            AXIS_LABELS.with(|all| {
                if let Some((_, f)) = all.iter().find(|(s, _)| *s == spec) {
                    let _ = Reflect::set(&label, &"formatter".into(), f.as_ref());
                }
            });
        }
    }
}

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| "unknown JavaScript error".to_string())
}

/// Whether `globalThis.echarts` exists (the bundle has run).
pub fn echarts_ready() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"echarts".into())
        .map(|v| !v.is_undefined())
        .unwrap_or(false)
}

thread_local! {
    static LOADING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Loads the self-hosted ECharts bundle once (later calls share the same promise).
/// `src` is the bundle's URL relative to the page, e.g. `vendor/echarts.min.js`.
pub async fn load_echarts(src: &str) -> Result<(), String> {
    if echarts_ready() {
        return Ok(());
    }
    let promise = LOADING.with(|cell| {
        let mut slot = cell.borrow_mut();
        if let Some(p) = slot.as_ref() {
            return Ok(p.clone());
        }
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| "no document".to_string())?;
        let script = document
            .create_element("script")
            .map_err(js_error)?
            .dyn_into::<web_sys::HtmlElement>()
            .map_err(|_| "script element".to_string())?;
        script.set_attribute("src", src).map_err(js_error)?;
        let p = js_sys::Promise::new(&mut |resolve, reject| {
            let ok = Closure::once_into_js(move || {
                let _ = resolve.call0(&JsValue::NULL);
            });
            let err = Closure::once_into_js(move || {
                let _ = reject.call1(&JsValue::NULL, &"the chart library could not be loaded".into());
            });
            script.set_onload(Some(ok.unchecked_ref()));
            script.set_onerror(Some(err.unchecked_ref()));
        });
        if let Some(head) = document.head() {
            head.append_child(&script).map_err(js_error)?;
        }
        *slot = Some(p.clone());
        Ok::<_, String>(p)
    })?;
    let result = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(js_error);
    if result.is_err() {
        // Let a later attempt (e.g. back online) try again.
        LOADING.with(|cell| *cell.borrow_mut() = None);
    }
    result.map(|_| ())
}

/// One chart bound to one element. Dropping it disposes the ECharts instance, removes the click
/// handler and stops observing the element's size.
pub struct Chart {
    instance: EChartsInstance,
    _click: Option<Closure<dyn FnMut(JsValue)>>,
    observer: Option<web_sys::ResizeObserver>,
    _on_resize: Option<Closure<dyn FnMut(js_sys::Array)>>,
}

impl Chart {
    /// Creates a chart on `el` that follows `el`'s size (a `ResizeObserver`, not window resize, so
    /// it also follows a tab or a panel that changes width).
    pub fn new(el: &web_sys::HtmlElement) -> Result<Chart, String> {
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"renderer".into(), &"canvas".into());
        let instance = echarts_init(el, &JsValue::NULL, &opts).map_err(js_error)?;
        let weak = instance.clone();
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
            if !weak.is_disposed() {
                let _ = weak.resize();
            }
        });
        let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        if let Some(o) = &observer {
            o.observe(el);
        }
        Ok(Chart { instance, _click: None, observer, _on_resize: Some(on_resize) })
    }

    /// Replaces the whole option (`notMerge: true`): series of the previous render never linger.
    pub fn set_option(&self, option: &serde_json::Value) -> Result<(), String> {
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"notMerge".into(), &JsValue::TRUE);
        let _ = js_sys::Reflect::set(&opts, &"lazyUpdate".into(), &JsValue::FALSE);
        let option = to_js(option)?;
        format_axes(&option);
        self.instance.set_option_raw(&option, &opts).map_err(js_error)
    }

    /// Merges a partial option into the drawn one (`setOption` without `notMerge`): how a
    /// downloaded chart gets its foot for a moment.
    pub fn merge_option(&self, part: &serde_json::Value) -> Result<(), String> {
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"lazyUpdate".into(), &JsValue::FALSE);
        let part = to_js(part)?;
        self.instance.set_option_raw(&part, &opts).map_err(js_error)
    }

    /// Calls `handler(name, data_name_or_series)` when an item (a province, a bar) is clicked.
    /// Replaces any previous handler of this chart.
    pub fn on_click(&mut self, handler: impl Fn(ClickEvent) + 'static) -> Result<(), String> {
        let handler = Rc::new(handler);
        let cb = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
            let get = |k: &str| js_sys::Reflect::get(&ev, &k.into()).ok().and_then(|v| v.as_string());
            handler(ClickEvent {
                name: get("name").unwrap_or_default(),
                series_name: get("seriesName"),
                component_type: get("componentType").unwrap_or_default(),
            });
        });
        self.instance.on("click", cb.as_ref().unchecked_ref()).map_err(js_error)?;
        self._click = Some(cb);
        Ok(())
    }

    /// The chart as a PNG data URL (white background, 2× pixel ratio for print).
    pub fn png_data_url(&self) -> Result<String, String> {
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"type".into(), &"png".into());
        let _ = js_sys::Reflect::set(&opts, &"pixelRatio".into(), &JsValue::from_f64(2.0));
        let _ = js_sys::Reflect::set(&opts, &"backgroundColor".into(), &"#ffffff".into());
        self.instance.get_data_url(&opts).map_err(js_error)
    }

    /// Whether ECharts considers this instance disposed (tests check unmount).
    pub fn is_disposed(&self) -> bool {
        self.instance.is_disposed()
    }

    /// Follows the container's size now (e.g. after a tab panel became visible).
    pub fn resize(&self) {
        let _ = self.instance.resize();
    }
}

impl Drop for Chart {
    fn drop(&mut self) {
        if let Some(o) = &self.observer {
            o.disconnect();
        }
        if !self.instance.is_disposed() {
            let _ = self.instance.dispose();
        }
    }
}

/// What a click on a chart item reports.
#[derive(Clone, Debug, PartialEq)]
pub struct ClickEvent {
    /// The item's name: a province name for the map, a category for bars.
    pub name: String,
    /// The series the item belongs to.
    pub series_name: Option<String>,
    /// `series`, `geo`, …
    pub component_type: String,
}
