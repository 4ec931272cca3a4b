//! The Sources tab: the dataset's metadata, each indicator's definition, unit and source, the sources
//! and confidence of published figures, where sources differ, the targets with their documents,
//! the 63→34 crosswalk note and the privacy promise.
//! Every text from a dataset is rendered as text (never as HTML), and a URL becomes a link only when
//! it is `http(s)`.

use leptos::prelude::*;

use crate::dashboard;
use crate::i18n::{t, Msg};

use super::state::AppState;

/// Whether a URL from a dataset may be a link (no `javascript:` or `data:`).
pub fn safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The Sources tab.
#[component]
pub fn SourcesTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let lang = state.lang();
        let loaded = state.current()?;
        let ds = loaded.dataset.clone();
        let meta = ds.meta.clone();
        let url = meta.source.url.clone().unwrap_or_default();
        let url_view = (!url.is_empty()).then(|| {
            if safe_link(&url) {
                view! { <a href=url.clone() rel="noopener noreferrer" target="_blank">{url.clone()}</a> }.into_any()
            } else {
                view! { <span>{url.clone()}</span> }.into_any()
            }
        });
        let defs = dashboard::indicator_infos(&ds, lang);
        let own_sources = defs.iter().any(|d| d.source.is_some());
        let sources = dashboard::observation_sources(&ds, lang);
        let targets = dashboard::target_sources(&ds, lang);
        let rivals = dashboard::rival_figures(&ds, lang);
        Some(view! {
            <div class="sources" data-testid="sources">
                <h2>{meta.title.get(lang).to_string()}</h2>
                {meta.illustrative.then(|| view! { <p><strong class="badge illustrative">{t(lang, Msg::Illustrative)}</strong></p> })}
                <dl>
                    {meta.description.as_ref().map(|d| view! { <dt>{t(lang, Msg::Description)}</dt><dd>{d.get(lang).to_string()}</dd> })}
                    <dt>{t(lang, Msg::Publisher)}</dt><dd data-testid="source-publisher">{meta.source.publisher.get(lang).to_string()}</dd>
                    {url_view.map(|u| view! { <dt>{t(lang, Msg::Source)}</dt><dd>{u}</dd> })}
                    {meta.source.date.clone().map(|d| view! { <dt>{t(lang, Msg::PublishedOn)}</dt><dd>{d}</dd> })}
                    {meta.licence.clone().map(|l| view! { <dt>{t(lang, Msg::Licence)}</dt><dd>{l.get(lang).to_string()}</dd> })}
                    {meta.reference_date.clone().map(|d| view! { <dt>{t(lang, Msg::ReferenceDate)}</dt><dd>{d}</dd> })}
                    <dt>{t(lang, Msg::Boundary)}</dt>
                    <dd>{if meta.boundary.number() == 63 { t(lang, Msg::Boundary63) } else { t(lang, Msg::Boundary34) }}</dd>
                </dl>
                {(!sources.is_empty()).then(|| view! {
                    <h3>{t(lang, Msg::Observed)}</h3>
                    // The publisher in the reader's words first; the citation and the confidence
                    // note are quoted as the file gives them (links, table titles), marked as such.
                    <ul data-testid="observation-sources">
                        {sources.into_iter().map(|s| view! {
                            <li>
                                <strong>{s.publisher}</strong>
                                {s.confidence.map(|c| format!(" — {}: {c}", t(lang, Msg::Confidence)))}
                                <details>
                                    <summary>{t(lang, Msg::Verbatim)}</summary>
                                    <q class="verbatim" data-verbatim="">{s.citation}{s.confidence_note.map(|n| format!(" ({n})"))}</q>
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                {(!rivals.is_empty()).then(|| view! {
                    <h3>{t(lang, Msg::RivalFigures)}</h3>
                    <ul data-testid="rival-figures">{rivals.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                })}
                {(!targets.is_empty()).then(|| view! {
                    <h3>{t(lang, Msg::Targets)}</h3>
                    <ul data-testid="target-sources">{targets.into_iter().map(|(text, quote)| view! {
                        <li>{text}<br/><q class="verbatim" data-verbatim="">{quote}</q></li>
                    }).collect_view()}</ul>
                })}
                <div class="table-wrap" tabindex="0" role="region" aria-label=t(lang, Msg::Definition)>
                    <table class="stacked" data-testid="indicator-definitions">
                        <caption>{t(lang, Msg::Definition)}</caption>
                        <thead><tr>
                            <th scope="col">{t(lang, Msg::Indicator)}</th>
                            <th scope="col">{t(lang, Msg::Definition)}</th>
                            <th scope="col">{t(lang, Msg::Unit)}</th>
                            {own_sources.then(|| view! { <th scope="col">{t(lang, Msg::Source)}</th> })}
                        </tr></thead>
                        <tbody>
                            {defs.into_iter().map(|d| { let key = d.id.clone(); view! {
                                <tr data-indicator=key>
                                    // The id is what links and files use: marked as code, not prose.
                                    <td>{d.label}<br/><code translate="no">{d.id}</code></td>
                                    <td class="wrap">{d.definition}
                                        {d.formula.map(|f| view! { <br/><small data-testid="formula">{t(lang, Msg::Formula)}": "{f}</small> })}
                                    </td>
                                    <td data-label=t(lang, Msg::Unit)>{d.unit}</td>
                                    {own_sources.then(|| view! { <td class="wrap" data-label=t(lang, Msg::Source)>{d.source.unwrap_or_default()}</td> })}
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
                <h3>{t(lang, Msg::Boundary)}</h3>
                <p data-testid="crosswalk-note">{t(lang, Msg::CrosswalkNote)}</p>
                <p data-testid="privacy-note">{t(lang, Msg::PrivacyNote)}</p>
                <p class="source-note">{t(lang, Msg::MapCredit)}" "<span lang="en">"Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."</span></p>
            </div>
        })
    }
}
