//! `<EChart>`: one ECharts chart bound to a `<div>`, redrawn whenever its option changes.
//!
//! It owns the chart's life: created when the element mounts (once the self-hosted ECharts bundle
//! has loaded — it is fetched only when a chart is first shown, so no first view waits for it;
//! until then a loading line stands in the chart's place, or for a trend the same chart drawn as
//! SVG, `charts::svg`, which a link's first view may already show),
//! `setOption(…, notMerge)` on every new option so no series of the previous view lingers,
//! resized with its container, and disposed when the component unmounts.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::charts::bindings::{self, Chart, ClickEvent};

/// Where the ECharts bundle lives, relative to the page (works under a sub-path), before the build
/// gives it a content hash; the hashed name is read from the page (`offline::echarts_src`).
pub const ECHARTS_SRC: &str = "vendor/echarts.min.js";

/// Whether the ECharts bundle is loaded (charts wait for it; the map does not need it).
#[derive(Clone, Copy)]
pub struct ChartLib {
    /// `true` once `globalThis.echarts` exists.
    pub ready: RwSignal<bool>,
    /// A message when the library could not be loaded (e.g. offline on a first visit).
    pub error: RwSignal<Option<String>>,
}

impl ChartLib {
    /// The handle, not loading yet; provided as context by the app.
    pub fn new() -> ChartLib {
        ChartLib { ready: RwSignal::new(bindings::echarts_ready()), error: RwSignal::new(None) }
    }

    /// Starts loading ECharts (once; later calls do nothing).
    pub fn load(&self) {
        if self.ready.get_untracked() {
            return;
        }
        let lib = *self;
        leptos::task::spawn_local(async move {
            match bindings::load_echarts(&super::offline::echarts_src()).await {
                Ok(()) => {
                    lib.error.set(None);
                    lib.ready.set(true)
                }
                Err(e) => lib.error.set(Some(e)),
            }
        });
    }
}

impl Default for ChartLib {
    fn default() -> Self {
        Self::new()
    }
}

/// A chart. `option` is the full ECharts option; `on_click` receives clicked items; `label` is the
/// accessible name (the chart's data is also in the Table tab, its text alternative).
#[component]
pub fn EChart(
    #[prop(into)] option: Signal<Option<serde_json::Value>>,
    #[prop(optional)] on_click: Option<Callback<ClickEvent>>,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] testid: Option<String>,
    /// Receives the chart handle so a parent can export it as PNG.
    #[prop(optional)] handle: Option<RwSignal<Option<ChartHandle>>>,
    /// A height (px) instead of the stylesheet's, for charts with many bars. Set through the
    /// element's style object, which the CSP allows (a style attribute in markup it refuses); the
    /// chart follows through its ResizeObserver.
    #[prop(optional, into)] height: Option<Signal<Option<u32>>>,
    /// A trend to draw as SVG in the chart's place until ECharts has arrived (`charts::svg`), so
    /// that a link opening on a trend shows its chart seconds earlier on 3G, and the lean first
    /// view's drawing (the same one) is not replaced by a loading line when the app takes over.
    #[prop(optional, into)] sketch: Option<Signal<Option<crate::dashboard::TrendView>>>,
) -> impl IntoView {
    let lib = use_context::<ChartLib>().expect("ChartLib context");
    let node = NodeRef::<Div>::new();
    let chart: Rc<RefCell<Option<Chart>>> = Rc::new(RefCell::new(None));
    let error = RwSignal::new(None::<String>);

    // The first chart shown fetches ECharts (once; later calls do nothing).
    Effect::new(move |_| lib.load());

    let chart_for_effect = SendWrapper::new(chart.clone());
    Effect::new(move |_| {
        let ready = lib.ready.get();
        let opt = option.get();
        let Some(el) = node.get() else { return };
        if !ready {
            return;
        }
        let mut slot = chart_for_effect.borrow_mut();
        if slot.is_none() {
            match Chart::new(&el) {
                Ok(mut c) => {
                    if let Some(cb) = on_click {
                        let _ = c.on_click(move |ev| cb.run(ev));
                    }
                    *slot = Some(c);
                    if let Some(h) = handle {
                        h.set(Some(ChartHandle(SendWrapper::new(Rc::clone(&chart_for_effect)))));
                    }
                }
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            }
        }
        if let (Some(c), Some(o)) = (slot.as_ref(), opt.as_ref()) {
            match c.set_option(o) {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
        }
    });

    // The sketch is drawn at the size of its box, known once it is in the page.
    let sketch_box = NodeRef::<Div>::new();
    Effect::new(move |_| {
        let (Some(el), Some(tr)) = (sketch_box.get(), sketch.and_then(|s| s.get())) else { return };
        let lang = use_context::<super::state::AppState>().map(|s| s.lang()).unwrap_or_default();
        el.set_inner_html(&crate::charts::svg::trend(&tr, f64::from(el.client_width()), f64::from(el.client_height()), lang));
    });

    let chart_for_cleanup = SendWrapper::new(chart);
    on_cleanup(move || {
        // Dropping the Chart disposes the ECharts instance and disconnects its ResizeObserver.
        chart_for_cleanup.borrow_mut().take();
    });

    view! {
        <div class="chart-box">
            <div
                class="chart"
                style:height=move || height.and_then(|h| h.get()).map(|h| format!("{h}px"))
                node_ref=node
                role="img"
                aria-label=move || label.get()
                data-testid=testid
            ></div>
            // The sketch stays when ECharts cannot be loaded (a connection cut on 3G): the trend is
            // still there to read, with the error line below it.
            {move || (!lib.ready.get() && sketch.is_some_and(|s| s.with(|t| t.is_some()))).then(|| {
                view! { <div class="chart-fallback" data-testid="chart-fallback" node_ref=sketch_box></div> }
            })}
            {move || (!lib.ready.get() && lib.error.with(|e| e.is_none()) && !sketch.is_some_and(|s| s.with(|t| t.is_some()))).then(|| {
                let lang = use_context::<super::state::AppState>().map(|s| s.lang()).unwrap_or_default();
                view! { <p class="chart-loading" role="status" data-testid="chart-loading">{crate::i18n::t(lang, crate::i18n::Msg::LoadingChart)}</p> }
            })}
            {move || lib.error.get().or_else(|| error.get()).map(|e| view! { <p class="chart-error" role="status">{e}</p> })}
        </div>
    }
}

/// A shared handle on a mounted chart, for PNG export.
#[derive(Clone)]
pub struct ChartHandle(pub SendWrapper<Rc<RefCell<Option<Chart>>>>);

impl ChartHandle {
    /// The chart as a PNG data URL, when it is drawn, with `foot` (title, source, label: see
    /// `dashboard::ChartView::foot`) drawn in for the picture and taken out again (`option` is
    /// redrawn as it was), so a downloaded chart says what it shows and where it is from while
    /// the page shows its source once.
    pub fn png(&self, option: &serde_json::Value, foot: &serde_json::Value) -> Option<String> {
        let slot = self.0.borrow();
        let c = slot.as_ref()?;
        c.merge_option(foot).ok()?;
        let url = c.png_data_url().ok();
        let _ = c.set_option(option);
        url
    }
}
