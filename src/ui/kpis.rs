//! The headline cards: one per indicator of the current selection, with its value, the change from
//! the previous year, the selection's share of the whole dataset and progress toward its targets. Each card carries
//! `data-testid="kpi-<id>"` and its unformatted value in `data-value` for tests and scrapers.

use leptos::prelude::*;

use crate::dashboard::Card;
use crate::i18n::{t, Msg};

use super::state::AppState;

/// How many cards show before "more indicators" (the rest stay in the page, folded).
const PRIMARY: usize = 10;

fn card_view(c: Card, lang: crate::engine::vocab::Lang) -> impl IntoView {
    let data_value = c.value.map(|v| v.to_string()).unwrap_or_default();
    let change_class = match c.change {
        Some(d) if d > 0.0 => "meta chg up",
        Some(d) if d < 0.0 => "meta chg down",
        _ => "meta chg",
    };
    view! {
        <li class="card" data-testid=format!("kpi-{}", c.id) data-value=data_value data-n=c.n.to_string()>
            <p class="label">{c.label.clone()}</p>
            <p class="value">{c.text.clone()}</p>
            // The change line's place is kept while the previous year is still on its way (it is
            // fetched after the shown year): the cards, and the map below them, do not move when
            // it arrives, nor when the live cards replace the pre-rendered copy's.
            {match c.change_text.clone() {
                Some(txt) => view! { <p class=change_class>{txt}" "{t(lang, Msg::ChangeFromPrev)}</p> }.into_any(),
                None => view! { <p class="meta chg pending" aria-hidden="true"></p> }.into_any(),
            }}
            {c.share_text.clone().map(|txt| view! { <p class="meta">{txt}" "{t(lang, Msg::ShareOfWhole)}</p> })}
            {c.note.clone().map(|txt| view! { <p class="meta">{txt}</p> })}
            {c.targets.iter().map(|txt| view! { <p class="meta target" data-testid="kpi-target">{txt.clone()}</p> }).collect_view()}
            {c.source.clone().map(|txt| view! {
                <details class="meta card-source"><summary>{t(lang, Msg::Source)}</summary>{txt}</details>
            })}
        </li>
    }
}

/// The cards of the current view. `cards` is computed by the parent (one engine pass).
#[component]
pub fn Kpis(#[prop(into)] cards: Signal<Vec<Card>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = move || state.lang();
    view! {
        <section aria-labelledby="kpi-h" data-testid="kpis">
            <h2 id="kpi-h">{move || t(lang(), Msg::Headline)}</h2>
            {move || {
                let l = lang();
                let mut all = cards.get();
                let rest = if all.len() > PRIMARY { all.split_off(PRIMARY) } else { Vec::new() };
                view! {
                    <ul class="cards">{all.into_iter().map(|c| card_view(c, l)).collect_view()}</ul>
                    {(!rest.is_empty()).then(|| view! {
                        <details class="more-cards">
                            <summary>{t(l, Msg::MoreIndicators)}" ("{rest.len()}")"</summary>
                            <ul class="cards">{rest.into_iter().map(|c| card_view(c, l)).collect_view()}</ul>
                        </details>
                    })}
                }
            }}
        </section>
    }
}
