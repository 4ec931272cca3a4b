//! Progress toward a target: how far the latest figure is from it, and whether the pace of recent
//! years would reach it in time.
//!
//! A report on the collective economy is read against the targets it is held to (35,000
//! cooperatives by 2025, 45,000 by 2030). "Đạt 77,9%" alone hides the question that matters — is
//! the gap closing fast enough? — so a progress also carries the pace needed per year from the
//! latest year to the target year, beside the average pace of recent years, and names the years
//! that average spans.

use super::dataset::Comparison;

/// How many years back the recent pace looks: from the earliest figure in the last
/// `RECENT_YEARS` years before the latest one (three years smooth one odd year without reaching
/// back to another period's policies).
pub const RECENT_YEARS: u16 = 3;

/// An average change per year between two years of a series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pace {
    /// First year of the span.
    pub from: u16,
    /// Last year of the span.
    pub to: u16,
    /// Average change per year (in the indicator's unit).
    pub per_year: f64,
}

/// Where a figure stands against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The figure has reached the target (by the target year, or early).
    Reached,
    /// Not yet reached; the recent pace is at least the pace needed.
    OnPace,
    /// Not yet reached; the recent pace is slower than needed.
    Behind,
    /// The target year has passed (or is the latest year) and the figure fell short.
    Missed,
    /// Not yet reached, and the series is too short to know a recent pace.
    Unknown,
}

/// Progress of one series toward one target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// The year the target is set for.
    pub target_year: u16,
    /// The target value.
    pub target: f64,
    /// "at least" or "about" (both count as reached at the value).
    pub comparison: Comparison,
    /// The latest year with a figure.
    pub latest_year: u16,
    /// The figure of that year.
    pub latest: f64,
    /// The figure judged: the latest one, or for a target year already passed, the last figure
    /// at or before the target year.
    pub judged: f64,
    /// The year of the figure judged.
    pub judged_year: u16,
    /// `judged / target` (`None` for a zero or negative target).
    pub share: Option<f64>,
    /// Change per year needed from the latest year to reach the target in the target year (`None`
    /// once reached, or when the target year is not after the latest year).
    pub pace_needed: Option<f64>,
    /// The average change per year of recent years (see [`RECENT_YEARS`]).
    pub recent: Option<Pace>,
    /// The verdict.
    pub status: Status,
}

/// The average change per year over the last [`RECENT_YEARS`] years of `series` (sorted by
/// year): from the earliest figure within that window before the latest year, to the latest.
pub fn recent_pace(series: &[(u16, f64)]) -> Option<Pace> {
    let &(to, last) = series.last()?;
    let &(from, first) = series
        .iter()
        .find(|(y, _)| *y < to && *y >= to.saturating_sub(RECENT_YEARS))?;
    Some(Pace { from, to, per_year: (last - first) / f64::from(to - from) })
}

/// Progress of `series` (one figure per year, sorted by year, the years up to the one shown)
/// toward `target` in `target_year`. `None` for an empty series.
pub fn progress(series: &[(u16, f64)], target_year: u16, target: f64, comparison: Comparison) -> Option<Progress> {
    let &(latest_year, latest) = series.last()?;
    let recent = recent_pace(series);
    let past = latest_year >= target_year;
    // A target year already passed is judged on the figure of that year (or the last before it):
    // reaching 35,000 in 2026 does not make the 2025 target met.
    let (judged_year, judged) = if past {
        series.iter().rev().find(|(y, _)| *y <= target_year).copied().unwrap_or((latest_year, latest))
    } else {
        (latest_year, latest)
    };
    let reached = judged >= target;
    let pace_needed = (!reached && !past).then(|| (target - latest) / f64::from(target_year - latest_year));
    let status = match (reached, past, pace_needed, recent) {
        (true, _, _, _) => Status::Reached,
        (false, true, _, _) => Status::Missed,
        (false, false, Some(need), Some(p)) if p.per_year >= need => Status::OnPace,
        (false, false, Some(_), Some(_)) => Status::Behind,
        _ => Status::Unknown,
    };
    Some(Progress {
        target_year,
        target,
        comparison,
        latest_year,
        latest,
        judged,
        judged_year,
        share: (target > 0.0).then(|| judged / target),
        pace_needed,
        recent,
        status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Existing cooperatives, national (the chosen figure of each year in the official dataset).
    const HTX: [(u16, f64); 5] = [(2021, 27_342.0), (2022, 29_378.0), (2023, 31_364.0), (2024, 33_335.0), (2025, 35_041.0)];

    #[test]
    fn share_reached_and_pace_needed_against_recent_pace() {
        // As of 2024, toward 45,000 in 2030.
        let p = progress(&HTX[..4], 2030, 45_000.0, Comparison::About).expect("series");
        assert_eq!((p.latest_year, p.latest), (2024, 33_335.0));
        assert!((p.share.unwrap() - 33_335.0 / 45_000.0).abs() < 1e-12);
        assert!((p.pace_needed.unwrap() - (45_000.0 - 33_335.0) / 6.0).abs() < 1e-9, "{p:?}");
        let r = p.recent.expect("three years back");
        assert_eq!((r.from, r.to), (2021, 2024));
        assert!((r.per_year - (33_335.0 - 27_342.0) / 3.0).abs() < 1e-9);
    }

    #[test]
    fn on_pace_and_behind_follow_the_two_paces() {
        // 1,998 a year done (2021–2024); 1,944 needed to 2030: on pace.
        let p = progress(&HTX[..4], 2030, 45_000.0, Comparison::About).expect("series");
        assert!(p.recent.unwrap().per_year >= p.pace_needed.unwrap());
        assert_eq!(p.status, Status::OnPace);
        // 60,000 would need 4,444 a year: behind.
        let q = progress(&HTX[..4], 2030, 60_000.0, Comparison::AtLeast).expect("series");
        assert_eq!(q.status, Status::Behind);
    }

    #[test]
    fn a_target_already_reached() {
        let p = progress(&HTX, 2025, 35_000.0, Comparison::About).expect("series");
        assert_eq!(p.status, Status::Reached);
        assert_eq!(p.pace_needed, None);
        assert!(p.share.unwrap() > 1.0);
        // Reached early, before the target year.
        let early = progress(&HTX[..4], 2030, 30_000.0, Comparison::AtLeast).expect("series");
        assert_eq!((early.status, early.pace_needed), (Status::Reached, None));
    }

    #[test]
    fn a_target_year_in_the_past_is_judged_on_its_own_year() {
        // 7.1 million members by 2025; the figure of 2025 is 6.0 million: missed, even if 2026 were higher.
        let members = [(2022, 5_935_000.0), (2024, 6_139_000.0), (2025, 6_000_000.0), (2026, 7_500_000.0)];
        let p = progress(&members, 2025, 7_100_000.0, Comparison::About).expect("series");
        assert_eq!(p.status, Status::Missed);
        assert_eq!((p.judged_year, p.judged), (2025, 6_000_000.0));
        assert_eq!(p.latest_year, 2026);
        assert_eq!(p.pace_needed, None);
        // The target year is the latest year and short of it: missed, no pace needed.
        let q = progress(&members[..3], 2025, 7_100_000.0, Comparison::About).expect("series");
        assert_eq!((q.status, q.pace_needed), (Status::Missed, None));
    }

    #[test]
    fn recent_pace_names_its_years_and_needs_two_figures() {
        assert_eq!(recent_pace(&[(2024, 1.0)]), None);
        assert_eq!(progress(&[(2024, 1.0)], 2030, 2.0, Comparison::AtLeast).map(|p| p.status), Some(Status::Unknown));
        // Figures more than three years back are not "recent".
        assert_eq!(recent_pace(&[(2018, 1.0), (2024, 7.0)]), None);
        let p = recent_pace(&[(2018, 0.0), (2022, 10.0), (2024, 20.0)]).expect("2022–2024");
        assert_eq!((p.from, p.to, p.per_year), (2022, 2024, 5.0));
        assert_eq!(progress(&[], 2030, 1.0, Comparison::AtLeast), None);
    }
}
