//! The Map / Chart / Table / Sources tabs, as ARIA tabs: `role="tab"` buttons with `aria-selected`
//! in a `role="tablist"` (arrow keys, Home and End move between them) and one `role="tabpanel"`.
//! Only the active panel is mounted, so a chart of a hidden tab is disposed, not left running.

use leptos::prelude::*;

use crate::engine::url_state::Tab;
use crate::i18n::{t, Msg};

use super::chart_tab::ChartTab;
use super::map_tab::MapTab;
use super::sources_tab::SourcesTab;
use super::state::AppState;
use super::table_tab::TableTab;

const TABS: [Tab; 5] = [Tab::Map, Tab::Chart, Tab::Table, Tab::Profile, Tab::Sources];

fn tab_label(tab: Tab) -> Msg {
    match tab {
        Tab::Map => Msg::TabMap,
        Tab::Chart => Msg::TabChart,
        Tab::Table => Msg::TabTable,
        Tab::Sources => Msg::TabSources,
        Tab::Profile => Msg::TabProfile,
    }
}

fn tab_id(tab: Tab) -> &'static str {
    match tab {
        Tab::Map => "map",
        Tab::Chart => "chart",
        Tab::Table => "table",
        Tab::Sources => "sources",
        Tab::Profile => "profile",
    }
}

/// The tab list and the active panel. In embed mode only the panel is shown.
#[component]
pub fn Tabs(#[prop(optional)] embed: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = move || state.lang();
    // A Memo: the panel (and its chart) is rebuilt when the tab changes, not on every filter change.
    let active_memo = Memo::new(move |_| state.view.with(|v| v.tab));
    let active = move || active_memo.get();

    let select = move |tab: Tab, focus: bool| {
        state.update(|v| v.tab = tab);
        if focus {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab_id(tab))))
            {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let i = TABS.iter().position(|t| *t == active()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (i + 1) % TABS.len(),
            "ArrowLeft" => (i + TABS.len() - 1) % TABS.len(),
            "Home" => 0,
            "End" => TABS.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        select(TABS[next], true);
    };

    view! {
        <div class="tabs">
            {(!embed).then(|| view! {
                <div role="tablist" class="tablist" aria-label=move || t(lang(), Msg::Tabs) on:keydown=on_key>
                    {TABS.iter().map(|&tab| view! {
                        <button type="button" role="tab" id=format!("tab-{}", tab_id(tab))
                            aria-controls=format!("panel-{}", tab_id(tab))
                            aria-selected=move || if active() == tab { "true" } else { "false" }
                            tabindex=move || if active() == tab { "0" } else { "-1" }
                            data-testid=format!("tab-{}", tab_id(tab))
                            on:click=move |_| select(tab, false)>
                            {move || t(lang(), tab_label(tab))}
                        </button>
                    }).collect_view()}
                </div>
            })}
            {move || {
                let tab = active();
                let panel = match tab {
                    Tab::Map => view! { <MapTab/> }.into_any(),
                    Tab::Chart => view! { <ChartTab/> }.into_any(),
                    Tab::Table => view! { <TableTab/> }.into_any(),
                    Tab::Sources => view! { <SourcesTab/> }.into_any(),
                    Tab::Profile => view! { <super::profile_tab::ProfileTab/> }.into_any(),
                };
                view! {
                    <div role="tabpanel" class="tabpanel" id=format!("panel-{}", tab_id(tab))
                        aria-labelledby=format!("tab-{}", tab_id(tab)) tabindex="0"
                        data-testid=format!("panel-{}", tab_id(tab))>
                        {panel}
                    </div>
                }
            }}
        </div>
    }
}
