//! The active filters of a view as chips (what the chip row says, and which filter each chip
//! removes), and the yes/no filters by their URL keys. Pure: the Leptos chip row and the
//! framework-free first view (`crate::lean`, `crate::first_view`) say the same thing from the
//! same list.

use crate::engine::provinces::registry;
use crate::engine::url_state::ViewState;
use crate::engine::vocab::{Kind, Lang};
use crate::i18n::{t, Msg};

/// The yes/no fields a user can filter on, with their labels and accessors on the view.
pub const FLAGS: [(Msg, &str); 4] =
    [(Msg::HighTech, "ht"), (Msg::ValueChain, "vc"), (Msg::Trademark, "tm"), (Msg::EthnicArea, "dt")];

/// Reads a yes/no filter of the view by its URL key.
pub fn flag_get(v: &ViewState, key: &str) -> Option<bool> {
    match key {
        "ht" => v.high_tech,
        "vc" => v.value_chain,
        "tm" => v.trademark,
        "dt" => v.ethnic_area,
        _ => None,
    }
}

/// Sets a yes/no filter of the view by its URL key.
pub fn flag_set(v: &mut ViewState, key: &str, value: Option<bool>) {
    match key {
        "ht" => v.high_tech = value,
        "vc" => v.value_chain = value,
        "tm" => v.trademark = value,
        "dt" => v.ethnic_area = value,
        _ => {}
    }
}

/// One active filter, as shown in the chip row.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    /// What the chip says.
    pub label: String,
    /// Which filter it removes.
    pub remove: ChipTarget,
}

/// What removing a chip clears.
#[derive(Clone, Debug, PartialEq)]
pub enum ChipTarget {
    /// The region.
    Region,
    /// One province code.
    Province(String),
    /// One kind.
    Kind(Kind),
    /// The sector.
    Sector,
    /// A yes/no field, by URL key.
    Flag(&'static str),
}

/// The chips of the active filters of `v`, in the language `lang`.
pub fn chips(v: &ViewState, lang: Lang) -> Vec<Chip> {
    let mut out = Vec::new();
    if let Some(r) = v.region {
        out.push(Chip { label: format!("{}: {}", t(lang, Msg::Region), r.label(lang)), remove: ChipTarget::Region });
    }
    for code in &v.provinces {
        let name = registry().by_code(v.boundary, code).map(|p| p.name).unwrap_or(code.as_str()).to_string();
        out.push(Chip { label: name, remove: ChipTarget::Province(code.clone()) });
    }
    for k in &v.kinds {
        out.push(Chip { label: k.label(lang).to_string(), remove: ChipTarget::Kind(*k) });
    }
    if let Some(s) = v.sectors.first() {
        out.push(Chip { label: s.label(lang).to_string(), remove: ChipTarget::Sector });
    }
    for (msg, key) in FLAGS {
        if let Some(b) = flag_get(v, key) {
            let yn = if b { t(lang, Msg::Yes) } else { t(lang, Msg::No) };
            out.push(Chip { label: format!("{}: {yn}", t(lang, msg)), remove: ChipTarget::Flag(key) });
        }
    }
    out
}

/// The chips as the chip row shows them: on published figures (not filterable by row) a kind,
/// sector or yes/no filter changes nothing, and its chip says so.
pub fn shown(v: &ViewState, lang: Lang, rows_filterable: bool) -> Vec<Chip> {
    let mut list = chips(v, lang);
    if !rows_filterable {
        for c in list.iter_mut().filter(|c| matches!(c.remove, ChipTarget::Kind(_) | ChipTarget::Sector | ChipTarget::Flag(_))) {
            c.label = format!("{} ({})", c.label, t(lang, Msg::NotApplied));
        }
    }
    list
}

/// The view with the filter a chip names removed.
pub fn remove(v: &mut ViewState, target: &ChipTarget) {
    match target {
        ChipTarget::Region => v.region = None,
        ChipTarget::Province(c) => v.provinces.retain(|x| x != c),
        ChipTarget::Kind(k) => v.kinds.retain(|x| x != k),
        ChipTarget::Sector => v.sectors.clear(),
        ChipTarget::Flag(key) => flag_set(v, key, None),
    }
}

/// The view with every filter of the chip row removed ("clear all").
pub fn clear(v: &mut ViewState) {
    v.region = None;
    v.provinces.clear();
    v.kinds.clear();
    v.sectors.clear();
    for (_, key) in FLAGS {
        flag_set(v, key, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::url_state::from_query;

    #[test]
    fn chips_name_each_filter_and_removing_one_clears_only_it() {
        let mut v = from_query("r=tdmnpb&p=19~06&k=htx&ht=1").state;
        let list = chips(&v, Lang::Vi);
        let labels: Vec<&str> = list.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["Vùng: Trung du và miền núi phía Bắc", "Thái Nguyên", "Bắc Kạn", "Hợp tác xã", "Ứng dụng công nghệ cao: Có"]);
        remove(&mut v, &list[1].remove);
        assert_eq!(v.provinces, ["06"]);
        assert!(v.region.is_some(), "removing a province kept the region");
        clear(&mut v);
        assert!(chips(&v, Lang::En).is_empty());
    }

    #[test]
    fn on_published_figures_row_filters_say_they_are_not_applied() {
        let v = from_query("k=htx&r=tn").state;
        let list = shown(&v, Lang::En, false);
        assert!(list[0].label.starts_with("Region: ") && !list[0].label.contains('('), "{:?}", list[0].label);
        assert!(list[1].label.ends_with(')'), "{:?}", list[1].label);
    }
}
