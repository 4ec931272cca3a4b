//! The dataset model: what a file says once it has been parsed and checked.
//!
//! A [`Dataset`] is immutable; operations such as [`Dataset::append`] return a new value so the UI
//! can keep the previous one while a new file loads. The file format is described in
//! `docs/dataset-format.md`, which is the contract with publishers.

use super::columns::Entities;
use super::error::{quote, Issue, Phrase, Report};
use super::vocab::{Boundary, Kind, Lang, Ntm, Region, Sector, Stage};

/// A text in Vietnamese and English. `vi` is required in files; `en` may be empty and then the
/// Vietnamese text is shown to English readers too (better than nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// Vietnamese.
    pub vi: String,
    /// English (may be empty).
    pub en: String,
}

impl Text {
    /// A text from both languages.
    pub fn new(vi: &str, en: &str) -> Text {
        Text {
            vi: vi.to_string(),
            en: en.to_string(),
        }
    }

    /// The text in `lang`, falling back to Vietnamese when the English text is missing.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.vi,
        }
    }
}

/// Who published the figures; shown beside every figure so a reader can check it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    /// Publisher (required): a text, or `{"vi", "en"}` so each reader reads it in their language.
    pub publisher: Text,
    /// Where the figures were published.
    pub url: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// The `meta` object of a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    /// Stable id `[a-z0-9-]{1,64}`, used in shared links.
    pub id: String,
    /// Shown in the header.
    pub title: Text,
    /// Shown in the Sources tab.
    pub description: Option<Text>,
    /// Shown beside every figure.
    pub source: Source,
    /// Licence, e.g. `CC-BY-4.0`.
    pub licence: Option<Text>,
    /// Generated data: every view then carries the "illustrative data" label.
    pub illustrative: bool,
    /// The date the figures describe.
    pub reference_date: Option<String>,
    /// Which province codes the file uses.
    pub boundary: Boundary,
    /// For one file of a multi-year dataset: all the years of the whole dataset.
    pub years: Vec<u16>,
}

/// The area an observation describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    /// The whole country (`VN`).
    National,
    /// One of the six GSO regions.
    Region(Region),
    /// A province, as a dense index in the dataset's boundary version.
    Province(u8),
}

/// The unit of an indicator or observation; decides how values are formatted and whether
/// province values may be added up into regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Units of the measured kind (cooperatives, funds…).
    Count,
    /// People.
    Persons,
    /// VND per person per month.
    VndMonth,
    /// Million VND.
    MillionVnd,
    /// Billion VND.
    BillionVnd,
    /// A share between 0 and 1.
    Share,
    /// OCOP products.
    Products,
}

impl Unit {
    /// Every unit.
    pub const ALL: &'static [Unit] = &[
        Unit::Count,
        Unit::Persons,
        Unit::VndMonth,
        Unit::MillionVnd,
        Unit::BillionVnd,
        Unit::Share,
        Unit::Products,
    ];

    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Persons => "persons",
            Unit::VndMonth => "vnd_month",
            Unit::MillionVnd => "million_vnd",
            Unit::BillionVnd => "billion_vnd",
            Unit::Share => "share",
            Unit::Products => "products",
        }
    }

    /// Parses a unit code. Kind codes (`htx`, `tht`, …) and `units` are accepted as `count`, because
    /// published tables often name the counted thing as the unit (`"unit": "htx"`).
    pub fn from_code(s: &str) -> Option<Unit> {
        match s {
            "count" | "units" => Some(Unit::Count),
            "persons" => Some(Unit::Persons),
            "vnd_month" => Some(Unit::VndMonth),
            "million_vnd" => Some(Unit::MillionVnd),
            "billion_vnd" => Some(Unit::BillionVnd),
            "share" => Some(Unit::Share),
            "products" => Some(Unit::Products),
            other if Kind::from_code(other).is_some() => Some(Unit::Count),
            _ => None,
        }
    }

    /// Whether province values add up to a region or country total (counts, people, money sums),
    /// as opposed to averages and shares, which must be recomputed from their parts.
    pub fn summable(self) -> bool {
        !matches!(self, Unit::VndMonth | Unit::Share)
    }

    /// The list of codes for "expected one of …" messages.
    pub fn codes_list() -> String {
        Unit::ALL
            .iter()
            .map(|u| u.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A published aggregate (a figure that exists only as a total).
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// Country, region or province.
    pub area: Area,
    /// Year the figure describes.
    pub year: u16,
    /// Exact date, `YYYY-MM-DD`, when known.
    pub as_of: Option<String>,
    /// Indicator id (built-in or file-defined).
    pub indicator: String,
    /// The figure.
    pub value: f64,
    /// Its unit.
    pub unit: Unit,
    /// Who published it and where (required: an unsourced figure is not shown): the full
    /// citation, with links and how it was obtained, for the Sources tab.
    pub source: String,
    /// The publisher in plain words, in both languages ("Tổng cục Thống kê, cơ sở dữ liệu trực
    /// tuyến, năm 2022"): what a figure's caption says. Without it the caption falls back to the
    /// dataset's publisher, never to the citation (which may be in one language only).
    pub publisher: Option<Text>,
    /// `high`, `medium` or `low`, possibly followed by an explanation.
    pub confidence: Option<String>,
    /// The concept, e.g. "active with business results".
    pub note: Option<String>,
    /// What kind of body published it; decides between two figures for the same area, year and
    /// indicator (see [`super::source_choice`]).
    pub authority: Option<Authority>,
    /// When the source published it, `YYYY-MM-DD`: the later of two equally official figures wins.
    pub published: Option<String>,
}

/// What kind of body published a figure, from the most official down. Why a field and not a guess
/// from the source text: two figures for the same year disagree (the ministry's 33,335
/// cooperatives at end-2024 against the Cooperative Alliance's 33,557), and which one a chart draws
/// must follow a rule a reader can check, not the order of lines in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Authority {
    /// A newspaper or magazine quoting a figure whose primary publication was not found.
    Press,
    /// A mass or professional organisation (the Vietnam Cooperative Alliance).
    Association,
    /// A state body other than the Government itself (a coordination office, a department).
    Agency,
    /// The Party, the National Assembly, the Government, a ministry or a provincial People's Committee.
    Government,
    /// A statistics office (GSO or a provincial statistics office).
    Statistics,
}

impl Authority {
    /// Every authority, the most official last (the order of [`Ord`]).
    pub const ALL: &'static [Authority] = &[
        Authority::Press,
        Authority::Association,
        Authority::Agency,
        Authority::Government,
        Authority::Statistics,
    ];

    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            Authority::Press => "press",
            Authority::Association => "association",
            Authority::Agency => "agency",
            Authority::Government => "government",
            Authority::Statistics => "statistics",
        }
    }

    /// Parses an authority code.
    pub fn from_code(s: &str) -> Option<Authority> {
        Authority::ALL.iter().copied().find(|a| a.code() == s)
    }

    /// The list of codes for "expected one of …" messages.
    pub fn codes_list() -> String {
        Authority::ALL.iter().rev().map(|a| a.code()).collect::<Vec<_>>().join(", ")
    }
}

/// How a target reads: "at least 5,000" or "about 35,000".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// The figure is to reach the value or more ("trên", "ít nhất", "tối thiểu").
    AtLeast,
    /// The figure is to be about the value ("khoảng"); reaching it counts as reached.
    About,
}

impl Comparison {
    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            Comparison::AtLeast => "at_least",
            Comparison::About => "about",
        }
    }

    /// Parses a comparison code.
    pub fn from_code(s: &str) -> Option<Comparison> {
        [Comparison::AtLeast, Comparison::About].into_iter().find(|c| c.code() == s)
    }
}

/// A target set by a document (a Government decision, a Party resolution, a province's plan): the
/// value an indicator is to reach in an area by a year. Carries its source like an observation.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Country, region or province the target is set for.
    pub area: Area,
    /// Indicator id (built-in or file-defined).
    pub indicator: String,
    /// The year by which it is to be reached.
    pub year: u16,
    /// The target value.
    pub value: f64,
    /// Its unit (the indicator's).
    pub unit: Unit,
    /// "at least" or "about".
    pub comparison: Comparison,
    /// Where it was read (required, like an observation's source).
    pub source: String,
    /// The document that sets it, e.g. "Quyết định 1318/QĐ-TTg ngày 22/7/2021".
    pub document: Option<String>,
    /// The document's exact words.
    pub wording: Option<String>,
    /// `high`, `medium` or `low`, with what the figure was checked against.
    pub confidence: Option<String>,
}

/// How an indicator turns rows into one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Number of rows.
    Count,
    /// Sum of a field.
    Sum,
    /// Mean of a field over rows where it is known.
    Mean,
    /// Mean of a field weighted by another (e.g. income weighted by workers).
    WeightedMean,
    /// Median of a field.
    Median,
    /// Rows matching `where` among rows of `of` (rows where a `where` field is unknown are left out).
    Share,
}

impl Measure {
    /// Every measure.
    pub const ALL: &'static [Measure] = &[
        Measure::Count,
        Measure::Sum,
        Measure::Mean,
        Measure::WeightedMean,
        Measure::Median,
        Measure::Share,
    ];

    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            Measure::Count => "count",
            Measure::Sum => "sum",
            Measure::Mean => "mean",
            Measure::WeightedMean => "weighted_mean",
            Measure::Median => "median",
            Measure::Share => "share",
        }
    }

    /// Parses a measure code.
    pub fn from_code(s: &str) -> Option<Measure> {
        Measure::ALL.iter().copied().find(|m| m.code() == s)
    }
}

/// A numeric entity field an indicator can sum, average or weight by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumField {
    /// Members.
    Members,
    /// Workers.
    Workers,
    /// Income per worker, VND per month.
    Income,
    /// Revenue, million VND.
    Revenue,
    /// Highest OCOP star.
    OcopStar,
    /// OCOP-rated products.
    OcopProducts,
    /// 5-star products.
    Ocop5star,
}

impl NumField {
    /// Every numeric field.
    pub const ALL: &'static [NumField] = &[
        NumField::Members,
        NumField::Workers,
        NumField::Income,
        NumField::Revenue,
        NumField::OcopStar,
        NumField::OcopProducts,
        NumField::Ocop5star,
    ];

    /// The field name in files.
    pub fn code(self) -> &'static str {
        match self {
            NumField::Members => "members",
            NumField::Workers => "workers",
            NumField::Income => "income",
            NumField::Revenue => "revenue",
            NumField::OcopStar => "ocop_star",
            NumField::OcopProducts => "ocop_products",
            NumField::Ocop5star => "ocop_5star",
        }
    }

    /// Parses a field name.
    pub fn from_code(s: &str) -> Option<NumField> {
        NumField::ALL.iter().copied().find(|f| f.code() == s)
    }

    /// Names for "expected one of …" messages.
    pub fn codes_list() -> String {
        NumField::ALL
            .iter()
            .map(|f| f.code())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The value of this field in row `i`, `None` when unknown.
    pub fn get(self, e: &Entities, i: usize) -> Option<f64> {
        match self {
            NumField::Members => e.members(i).map(f64::from),
            NumField::Workers => e.workers(i).map(f64::from),
            NumField::Income => e.income(i),
            NumField::Revenue => e.revenue(i),
            NumField::OcopStar => e.ocop_star(i).map(f64::from),
            NumField::OcopProducts => e.ocop_products(i).map(f64::from),
            NumField::Ocop5star => e.ocop_5star(i).map(f64::from),
        }
    }
}

/// A subset of rows, as written in an indicator definition's `of` and `where`: empty lists and
/// `None` impose nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subset {
    /// Kinds allowed (empty: all).
    pub kinds: Vec<Kind>,
    /// Sectors allowed (empty: all).
    pub sectors: Vec<Sector>,
    /// NTM levels allowed (empty: all).
    pub ntm: Vec<Ntm>,
    /// Stages allowed (empty: all).
    pub stage: Vec<Stage>,
    /// Required high-tech value.
    pub high_tech: Option<bool>,
    /// Required value-chain value.
    pub value_chain: Option<bool>,
    /// Required trademark value.
    pub trademark: Option<bool>,
    /// Required ethnic-area value.
    pub ethnic_area: Option<bool>,
    /// Minimum OCOP star.
    pub ocop_star_min: Option<u8>,
}

impl Subset {
    /// Rows of the given kinds.
    pub fn kinds(kinds: &[Kind]) -> Subset {
        Subset {
            kinds: kinds.to_vec(),
            ..Subset::default()
        }
    }

    /// Whether the subset imposes nothing.
    pub fn is_all(&self) -> bool {
        *self == Subset::default()
    }
}

/// An indicator definition: built-in (see `indicators::builtins`) or added by a file.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorDef {
    /// Stable id, used in URLs.
    pub id: String,
    /// Name shown in menus and legends.
    pub label: Text,
    /// Longer explanation for the Sources tab.
    pub description: Option<Text>,
    /// How rows become a number.
    pub measure: Measure,
    /// The measured field (sum, mean, median, weighted mean).
    pub field: Option<NumField>,
    /// The weight (weighted mean).
    pub weight: Option<NumField>,
    /// Rows measured.
    pub of: Subset,
    /// For a share: the part of `of` counted.
    pub where_: Subset,
    /// Unit of the result.
    pub unit: Unit,
    /// Where the definition comes from (a law, a statistical standard).
    pub source: Option<String>,
    /// An indicator only `observations` hold (no entity rows compute it).
    pub observed: bool,
    /// For observed indicators: whether provinces add up to a region (defaults to the unit's rule).
    pub summable: Option<bool>,
    /// Precise definition for the Sources tab; generated from the structure when absent.
    pub definition: Option<Text>,
}

impl IndicatorDef {
    /// Whether province values of this indicator may be added up: a count or a sum in a summable
    /// unit. Not a mean or a median, even of persons (members per cooperative): the mean of a
    /// region is not the sum of its provinces' means. An observed indicator's `summable` decides.
    pub fn is_summable(&self) -> bool {
        self.summable.unwrap_or_else(|| {
            self.unit.summable() && (self.observed || matches!(self.measure, Measure::Count | Measure::Sum))
        })
    }
}

/// A parsed, checked dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// Title, source, boundary version…
    pub meta: Meta,
    /// One row per unit per year.
    pub entities: Entities,
    /// Published aggregates.
    pub observations: Vec<Observation>,
    /// Indicators the file defines.
    pub indicators: Vec<IndicatorDef>,
    /// Targets set by documents for the dataset's indicators.
    pub targets: Vec<Target>,
}

impl Dataset {
    /// Merges another file of the same dataset (typically one file per year) into a new dataset.
    ///
    /// Both must have the same `meta.id` and boundary, and an id may not appear twice within a year
    /// across the two. Indicator definitions are taken from `self` and completed with those of
    /// `other` whose ids are new; observations are concatenated, and targets too (each once).
    pub fn append(&self, other: &Dataset) -> Result<Dataset, Report> {
        let mut report = Report::new();
        if self.meta.id != other.meta.id {
            let first = quote(&self.meta.id);
            report.push(
                Issue::error(
                    Phrase::quoted(&other.meta.id),
                    Phrase::new(format!("the same dataset id as {first}"), format!("cùng mã bộ dữ liệu với tệp đầu ({first})")),
                )
                .in_field("meta.id"),
            );
        }
        if self.meta.boundary != other.meta.boundary {
            let (theirs, ours) = (other.meta.boundary.number(), self.meta.boundary.number());
            report.push(
                Issue::error(
                    Phrase::new(format!("boundary {theirs}"), format!("tệp này theo danh sách {theirs} tỉnh")),
                    Phrase::new(format!("boundary {ours} like the first file"), format!("cùng danh sách {ours} tỉnh như tệp đầu")),
                )
                .in_field("meta.boundary"),
            );
        }
        if report.has_errors() {
            return Err(report);
        }
        let mut seen = std::collections::HashMap::with_capacity(self.entities.len());
        for i in 0..self.entities.len() {
            seen.insert((self.entities.year(i).unwrap_or(0), self.entities.id(i)), self.entities.file_row(i));
        }
        for j in 0..other.entities.len() {
            let key = (other.entities.year(j).unwrap_or(0), other.entities.id(j));
            if let Some(&first) = seen.get(&key) {
                report.error_with(|| {
                    let (year, row) = (key.0, first + 1);
                    Issue::error(
                        Phrase::quoted(key.1),
                        Phrase::new(
                            format!("an id not already used in {year} (row {row} of the first file)"),
                            format!("một mã khác: mã này đã có ở hàng {row} của tệp đầu, cùng năm {year}"),
                        ),
                    )
                    .at_row(other.entities.file_row(j) + 1)
                    .in_field("id")
                });
            }
        }
        if report.has_errors() {
            return Err(report);
        }
        let mut out = self.clone();
        out.entities.extend_from(&other.entities);
        out.entities.cluster();
        out.observations.extend(other.observations.iter().cloned());
        for t in &other.targets {
            if !out.targets.contains(t) {
                out.targets.push(t.clone());
            }
        }
        for def in &other.indicators {
            if !out.indicators.iter().any(|d| d.id == def.id) {
                out.indicators.push(def.clone());
            }
        }
        for y in &other.meta.years {
            if !out.meta.years.contains(y) {
                out.meta.years.push(*y);
            }
        }
        super::order::sort(&mut out.meta.years);
        Ok(out)
    }

    /// A file-defined indicator by id.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|d| d.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::columns::Row;

    fn ds(id: &str, rows: &[(&str, u16)]) -> Dataset {
        let mut d = Dataset::default();
        d.meta.id = id.to_string();
        d.meta.years = rows.iter().map(|r| r.1).collect();
        d.meta.years.dedup();
        for (rid, y) in rows {
            d.entities.push(&Row::new(rid, 0, *y, Kind::Htx));
        }
        d
    }

    #[test]
    fn append_merges_years() {
        let a = ds("x", &[("A", 2023), ("B", 2023)]);
        let b = ds("x", &[("A", 2024)]);
        let m = a.append(&b).expect("same id in another year is fine");
        assert_eq!(m.entities.len(), 3);
        assert_eq!(m.meta.years, vec![2023, 2024]);
        assert_eq!(a.entities.len(), 2, "inputs are untouched");
    }

    #[test]
    fn append_refuses_mismatches() {
        let a = ds("x", &[("A", 2023)]);
        let cases = [
            (ds("y", &[("Z", 2024)]), "meta.id"),
            (ds("x", &[("A", 2023)]), "id"),
        ];
        for (b, field) in cases {
            let err = a.append(&b).expect_err("must refuse");
            assert_eq!(err.errors[0].field.as_deref(), Some(field));
        }
        let mut c = ds("x", &[]);
        c.meta.boundary = Boundary::P34;
        let err = a.append(&c).expect_err("boundary differs");
        assert_eq!(err.errors[0].field.as_deref(), Some("meta.boundary"));
    }

    #[test]
    fn append_clusters_and_names_file_rows() {
        // Two files whose rows are not in (year, kind, province) order: each is clustered, and so
        // is the merge; messages still name the rows as they are in each file.
        let file = |rows: &[(&str, u8, u16)]| {
            let mut d = ds("x", &[]);
            for (id, p, y) in rows {
                d.entities.push(&Row::new(id, *p, *y, Kind::Htx));
            }
            d.entities.cluster();
            d
        };
        let a = file(&[("A", 5, 2024), ("B", 1, 2024), ("C", 3, 2023)]);
        let b = file(&[("D", 2, 2024), ("E", 0, 2023), ("B", 9, 2024)]);
        let err = a.append(&b).expect_err("B twice in 2024");
        assert_eq!(err.errors.len(), 1);
        let e = &err.errors[0];
        assert_eq!(e.row, Some(3), "B is the third row of the second file");
        assert!(e.found.en.contains("\"B\""), "{e:?}");
        assert!(e.expected.en.contains("row 2 of the first file"), "{e:?}");

        let ok = file(&[("D", 2, 2024), ("E", 0, 2023)]);
        let m = a.append(&ok).expect("no duplicates");
        let ids: Vec<&str> = (0..m.entities.len()).map(|i| m.entities.id(i)).collect();
        assert_eq!(ids, ["E", "C", "B", "D", "A"], "clustered by year, then province");
        let rows: Vec<usize> = (0..m.entities.len()).map(|i| m.entities.file_row(i)).collect();
        assert_eq!(rows, [4, 2, 1, 3, 0], "rows of the concatenated files");
        assert!(m.entities.index().is_some());
    }

    #[test]
    fn units_and_measures_parse() {
        for u in Unit::ALL {
            assert_eq!(Unit::from_code(u.code()), Some(*u));
        }
        assert_eq!(Unit::from_code("htx"), Some(Unit::Count));
        assert_eq!(Unit::from_code("vnd"), None);
        assert!(Unit::Count.summable() && !Unit::Share.summable() && !Unit::VndMonth.summable());
        for m in Measure::ALL {
            assert_eq!(Measure::from_code(m.code()), Some(*m));
        }
        for f in NumField::ALL {
            assert_eq!(NumField::from_code(f.code()), Some(*f));
        }
    }

    #[test]
    fn text_falls_back_to_vietnamese() {
        assert_eq!(Text::new("Xin chào", "").get(Lang::En), "Xin chào");
        assert_eq!(Text::new("Xin chào", "Hello").get(Lang::En), "Hello");
        assert_eq!(Text::new("Xin chào", "Hello").get(Lang::Vi), "Xin chào");
    }
}
