//! Which of two published figures for the same area, year and indicator a chart draws.
//!
//! Sources disagree: at end-2024 the ministry's series counts 33,335 cooperatives and the
//! Cooperative Alliance 33,557; for OCOP the national coordination office reports 14,642 products
//! and a trade magazine 15,590. Both are kept in the dataset (a reader may want either), but a line
//! or a total can hold only one, and adding them would double the country. The rule, written so a
//! reader can check it:
//!
//! 1. the more official publisher wins ([`Authority`]: statistics office, then Party/Government/
//!    ministry, then another state body, then an association, then the press; a figure that does
//!    not say is the least official);
//! 2. then the later date: `published` when both say it, else `as_of` (a later publication
//!    revises an earlier one);
//! 3. then the one written first in the file (so the choice never depends on sorting).
//!
//! The other figures stay available as alternatives (Sources tab, table notes).

use std::cmp::Ordering;

use super::dataset::{Area, Observation};

/// How two figures for the same place, year and indicator rank: `Greater` when `a` is preferred.
/// Ties on authority and date are `Equal` (the caller keeps file order).
pub fn compare(a: &Observation, b: &Observation) -> Ordering {
    a.authority.cmp(&b.authority).then_with(|| {
        let date = |o: &Observation, other: &Observation| match (&o.published, &other.published) {
            (Some(_), Some(_)) => o.published.clone(),
            _ => o.as_of.clone(),
        };
        date(a, b).cmp(&date(b, a))
    })
}

/// One chosen figure and the others published for the same area, year and indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice<'a> {
    /// The figure charts and totals use.
    pub chosen: &'a Observation,
    /// The other figures, most preferred first.
    pub others: Vec<&'a Observation>,
}

/// Groups observations by (area, year, indicator) and applies the rule to each group, keeping the
/// order in which each group first appears. (A slice, not a generic iterator: each caller's
/// iterator type would instantiate the function, and its sort, again in the page's wasm.)
pub fn choices<'a>(obs: &[&'a Observation]) -> Vec<Choice<'a>> {
    let mut groups: Vec<((Area, u16, &'a str), Vec<&'a Observation>)> = Vec::new();
    let mut index: std::collections::HashMap<(Area, u16, &'a str), usize> = std::collections::HashMap::new();
    for &o in obs {
        let key = (o.area, o.year, o.indicator.as_str());
        match index.get(&key) {
            Some(&g) => groups[g].1.push(o),
            None => {
                index.insert(key, groups.len());
                groups.push((key, vec![o]));
            }
        }
    }
    groups
        .into_iter()
        .map(|(_, mut g)| {
            // Stable, most preferred first: ties keep file order. (Groups hold a few figures:
            // the insertion sort of `order`, not the standard library's, in wasm.)
            super::order::sort_by(&mut g, |a, b| compare(b, a));
            let chosen = g.remove(0);
            Choice { chosen, others: g }
        })
        .collect()
}

/// The chosen figure of each (area, year, indicator), in the order the groups first appear.
pub fn chosen<'a>(obs: &[&'a Observation]) -> Vec<&'a Observation> {
    choices(obs).into_iter().map(|c| c.chosen).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::{Authority, Unit};

    fn ob(value: f64, authority: Option<Authority>, as_of: Option<&str>, published: Option<&str>) -> Observation {
        Observation {
            area: Area::National,
            year: 2024,
            as_of: as_of.map(str::to_string),
            indicator: "htx_total".into(),
            value,
            unit: Unit::Count,
            source: format!("source of {value}"),
            publisher: None,
            confidence: None,
            note: None,
            authority,
            published: published.map(str::to_string),
        }
    }

    #[test]
    fn the_more_official_publisher_wins_whatever_the_order_or_date() {
        // End-2024: the Alliance's 33,557 dated 31/12 against the ministry's 33,335 without a day.
        let vca = ob(33_557.0, Some(Authority::Association), Some("2024-12-31"), Some("2025-01-20"));
        let ministry = ob(33_335.0, Some(Authority::Government), None, None);
        for pair in [vec![&vca, &ministry], vec![&ministry, &vca]] {
            let c = choices(&pair);
            assert_eq!(c.len(), 1);
            assert_eq!(c[0].chosen.value, 33_335.0);
            assert_eq!(c[0].others.iter().map(|o| o.value).collect::<Vec<_>>(), [33_557.0]);
        }
        // Statistics above government, and any stated authority above none.
        let gso = ob(1.0, Some(Authority::Statistics), None, None);
        let unstated = ob(2.0, None, Some("2030-01-01"), None);
        let press = ob(3.0, Some(Authority::Press), None, None);
        assert_eq!(chosen(&[&ministry, &gso])[0].value, 1.0);
        assert_eq!(chosen(&[&unstated, &press])[0].value, 3.0);
    }

    #[test]
    fn then_the_later_date_then_file_order() {
        let early = ob(10.0, Some(Authority::Press), None, Some("2025-01-05"));
        let late = ob(20.0, Some(Authority::Press), None, Some("2025-02-01"));
        assert_eq!(chosen(&[&early, &late])[0].value, 20.0);
        assert_eq!(chosen(&[&late, &early])[0].value, 20.0);
        // Without both publication dates, the figures' own dates decide.
        let april = ob(12_075.0, Some(Authority::Press), Some("2024-04-30"), Some("2024-05-22"));
        let december = ob(14_642.0, Some(Authority::Press), Some("2024-12-31"), None);
        assert_eq!(chosen(&[&april, &december])[0].value, 14_642.0);
        // A full tie keeps the first written.
        let a = ob(1.0, Some(Authority::Agency), None, None);
        let b = ob(2.0, Some(Authority::Agency), None, None);
        assert_eq!(chosen(&[&a, &b])[0].value, 1.0);
        assert_eq!(chosen(&[&b, &a])[0].value, 2.0);
    }

    #[test]
    fn groups_are_by_area_year_and_indicator() {
        let a = ob(1.0, None, None, None);
        let mut other_year = ob(2.0, None, None, None);
        other_year.year = 2023;
        let mut other_area = ob(3.0, None, None, None);
        other_area.area = Area::Province(0);
        let mut other_indicator = ob(4.0, None, None, None);
        other_indicator.indicator = "htx_members".into();
        let c = choices(&[&a, &other_year, &other_area, &other_indicator]);
        assert_eq!(c.len(), 4);
        assert!(c.iter().all(|c| c.others.is_empty()));
    }
}
