//! The Table tab: provinces (or regions) × indicators of the current selection, sortable by any
//! column, with a totals row computed by the engine (ratios recomputed, never averaged). It is the
//! text alternative of every chart. "Download CSV" writes UTF-8 with a byte-order mark so Excel
//! opens Vietnamese letters intact; "Download Excel" writes the same table as an `.xlsx` with
//! numbers as numbers (`dashboard::table_book`, written by the own-data worker).

use leptos::prelude::*;

use crate::dashboard::{self, TableBy};
use crate::i18n::{t, Msg};

use super::state::AppState;
use super::web;

/// The Table tab.
#[component]
pub fn TableTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = move || state.lang();
    let by = RwSignal::new(TableBy::Province);
    // (column index, descending); column 0 is the name.
    let sort = RwSignal::new((0usize, false));

    let table = Memo::new(move |_| {
        let loaded = state.current()?;
        let l = lang();
        let b = by.get();
        Some(state.view.with(|v| dashboard::table(&loaded.dataset, v, b, l)))
    });
    let rows = move || {
        let mut tb = table.get()?;
        let (col, desc) = sort.get();
        dashboard::sort_rows(&mut tb.rows, col, desc);
        Some(tb)
    };
    let download = move |_| {
        let Some(tb) = table.get_untracked() else { return };
        let csv = dashboard::table_csv(&tb, lang());
        let _ = web::download_bytes(&format!("{}.csv", tb.file_stem), "text/csv;charset=utf-8", csv.as_bytes());
    };
    // The same table as an Excel workbook, written by the own-data worker (`ui::export`).
    let xlsx = Callback::new(move |_| {
        let tb = table.get_untracked()?;
        Some((dashboard::table_book(&tb, lang()), format!("{}.xlsx", tb.file_stem)))
    });
    let click_sort = move |col: usize| {
        sort.update(|s| {
            if s.0 == col {
                s.1 = !s.1;
            } else {
                *s = (col, col != 0);
            }
        })
    };

    view! {
        <div class="table-tab">
            <div class="toolbar">
                <label class="field">
                    <span>{move || t(lang(), Msg::RowsBy)}</span>
                    <select data-testid="table-by" on:change=move |ev| {
                        by.set(if event_target_value(&ev) == "region" { TableBy::Region } else { TableBy::Province })
                    }>
                        <option value="province" selected=move || by.get() == TableBy::Province>{move || t(lang(), Msg::ByProvince)}</option>
                        <option value="region" selected=move || by.get() == TableBy::Region>{move || t(lang(), Msg::ByRegion)}</option>
                    </select>
                </label>
                <button type="button" class="btn small" data-testid="download-csv" on:click=download>
                    {move || t(lang(), Msg::DownloadCsv)}
                </button>
                <super::export::XlsxButton book=xlsx testid="download-xlsx"/>
            </div>
            {move || rows().map(|tb| {
                let l = lang();
                let (scol, sdesc) = sort.get();
                let printed = print_blocks(&tb, l);
                view! {
                    {printed}
                    <div class="table-wrap" tabindex="0" role="region" aria-label=tb.caption.clone()>
                        <table data-testid="data-table">
                            <caption>{tb.caption.clone()}</caption>
                            <thead><tr>
                                {tb.columns.iter().enumerate().map(|(i, c)| {
                                    let aria = if i == scol { if sdesc { "descending" } else { "ascending" } } else { "none" };
                                    view! {
                                        <th scope="col" aria-sort=aria data-col=c.id.clone()>
                                            <button type="button" on:click=move |_| click_sort(i)>{c.label.clone()}</button>
                                        </th>
                                    }
                                }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {tb.rows.into_iter().map(|r| view! {
                                    <tr data-key=r.key.clone()>
                                        <th scope="row">{profile_link(state, by.get_untracked(), r.key.clone(), r.label, l)}</th>
                                        {r.texts.into_iter().map(|s| view! { <td>{s}</td> }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot><tr data-testid="table-total">
                                <th scope="row">{t(l, Msg::Total)}</th>
                                {tb.total.texts.into_iter().map(|s| view! { <td>{s}</td> }).collect_view()}
                            </tr></tfoot>
                        </table>
                    </div>
                    {tb.notes.iter().map(|n| view! { <p class="hint" data-testid="table-note">{n.clone()}</p> }).collect_view()}
                    <p class="source-note">{t(l, Msg::Source)}": "{tb.source}</p>
                    {tb.illustrative.then(|| view! { <p class="badge illustrative">{t(l, Msg::Illustrative)}</p> })}
                }
            })}
        </div>
    }
}

/// Indicator columns per printed block: with the name column, what A4 portrait holds at a
/// readable size (a screen table of 20 indicators was cut after its sixth column on paper).
const PRINT_COLUMNS: usize = 5;

/// The table as printed: the same rows, sorted as on screen, in blocks of [`PRINT_COLUMNS`]
/// indicators, each repeating the name column and the totals row and saying which columns it
/// holds. Shown only in print (the screen table, which scrolls sideways, is hidden there).
fn print_blocks(tb: &dashboard::Table, l: crate::engine::vocab::Lang) -> impl IntoView {
    let indicators = tb.columns.len().saturating_sub(1);
    let starts: Vec<usize> = (0..indicators).step_by(PRINT_COLUMNS).collect();
    let blocks = starts.len();
    let name = tb.columns.first().map(|c| c.label.clone()).unwrap_or_default();
    let views = starts
        .into_iter()
        .enumerate()
        .map(|(b, from)| {
            let to = (from + PRINT_COLUMNS).min(indicators);
            let cell = |texts: &[String], i: usize| texts.get(i).cloned().unwrap_or_default();
            let part = match l {
                crate::engine::vocab::Lang::Vi => format!("phần {} / {blocks}", b + 1),
                crate::engine::vocab::Lang::En => format!("part {} of {blocks}", b + 1),
            };
            view! {
                <table class="table-print-block" data-testid="table-print-block">
                    <caption>{format!("{} ({part})", tb.caption)}</caption>
                    <thead><tr>
                        <th scope="col">{name.clone()}</th>
                        {(from..to).map(|i| view! { <th scope="col">{tb.columns.get(i + 1).map(|c| c.label.clone()).unwrap_or_default()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {tb.rows.iter().map(|r| view! {
                            <tr><th scope="row">{r.label.clone()}</th>
                                {(from..to).map(|i| view! { <td>{cell(&r.texts, i)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr>
                        <th scope="row">{t(l, Msg::Total)}</th>
                        {(from..to).map(|i| view! { <td>{cell(&tb.total.texts, i)}</td> }).collect_view()}
                    </tr></tfoot>
                </table>
            }
        })
        .collect_view();
    view! { <div class="print-only table-print" aria-hidden="true">{views}</div> }
}

/// A row's name opens its profile (a province, or a region) — the table is where a reader finds a
/// place by its figures.
fn profile_link(state: AppState, by: TableBy, key: String, label: String, l: crate::engine::vocab::Lang) -> impl IntoView {
    let title = format!("{}: {label}", t(l, Msg::ViewProfile));
    view! {
        <button type="button" class="link" data-testid="table-profile-link" title=title
            on:click=move |_| match by {
                TableBy::Province => super::profile_tab::open_province(state, key.clone()),
                TableBy::Region => if let Some(r) = crate::engine::vocab::Region::from_code(&key) {
                    state.update(|v| { v.provinces.clear(); v.region = Some(r); v.tab = crate::engine::url_state::Tab::Profile; })
                },
            }>{label}</button>
    }
}
