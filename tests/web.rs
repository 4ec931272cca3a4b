//! Components tested in a real browser (headless Chromium) with wasm-bindgen-test:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web`
//! (scripts/test.sh runs it). Each test mounts a component into a fresh element, acts on it, lets
//! the reactive system settle and checks the DOM and the state.
#![cfg(target_arch = "wasm32")]

use coop_atlas::dashboard::Card;
use coop_atlas::engine::vocab::{Kind, Region};
use coop_atlas::ui::filters::ChipRow;
use coop_atlas::ui::kpis::Kpis;
use coop_atlas::ui::state::AppState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

async fn settle() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}

#[wasm_bindgen_test]
async fn chip_row_shows_each_active_filter_and_removes_one() {
    let root = fresh_root();
    let state = AppState::from_location();
    state.view.update(|v| {
        v.region = Some(Region::Tn);
        v.provinces = vec!["19".into()];
        v.kinds = vec![Kind::Htx];
    });
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(state);
        view! { <ChipRow/> }
    });
    settle().await;
    let chips = root.query_selector_all("[data-testid=chip]").unwrap();
    assert_eq!(chips.length(), 3);
    let text = root.text_content().unwrap();
    assert!(text.contains("Tây Nguyên"), "{text}");
    assert!(text.contains("Thái Nguyên"), "{text}");

    // Remove the region chip (the first one).
    let button: web_sys::HtmlElement =
        root.query_selector("[data-testid=chip] button").unwrap().unwrap().unchecked_into();
    button.click();
    settle().await;
    assert_eq!(state.view.with_untracked(|v| v.region), None);
    assert_eq!(root.query_selector_all("[data-testid=chip]").unwrap().length(), 2);
}

#[wasm_bindgen_test]
async fn kpi_cards_carry_test_ids_and_raw_values() {
    let root = fresh_root();
    let state = AppState::from_location();
    let cards = vec![Card {
        id: "htx_count".into(),
        label: "Số hợp tác xã".into(),
        value: Some(3000.0),
        text: "3.000".into(),
        n: 3000,
        change: Some(343.0),
        change_text: Some("+343".into()),
        share_text: None,
        note: None,
        source: None,
        targets: vec!["Mục tiêu 2025: khoảng 3.500 — đạt 85,7%".into()],
        unit: coop_atlas::engine::dataset::Unit::Count,
    }];
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(state);
        view! { <Kpis cards=cards.clone()/> }
    });
    settle().await;
    let card = root.query_selector("[data-testid=kpi-htx_count]").unwrap().expect("card");
    assert_eq!(card.get_attribute("data-value").as_deref(), Some("3000"));
    assert!(card.text_content().unwrap().contains("3.000"));
    assert!(card.text_content().unwrap().contains("+343"));
    // A target set for the selection is read on the card.
    let target = card.query_selector("[data-testid=kpi-target]").unwrap().expect("target line");
    assert!(target.text_content().unwrap().starts_with("Mục tiêu 2025"));
}
