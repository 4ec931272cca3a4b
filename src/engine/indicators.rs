//! Indicators: the built-in ones (stable ids used in URLs — never rename them), those a file
//! defines, grouping by province, region, year or kind, and published observations.
//!
//! Every cell keeps its parts (`num`, `den`, `n`), so a ratio or mean in a group is recomputed from
//! summed parts when groups are merged (63 → 34 provinces, provinces → regions), never averaged.
//! Values left out because a field is missing are counted and reported as warnings, so a reader
//! knows what a figure stands on.
//!
//! [`compute_all`] computes every built-in total in one fused pass over the rows (the summary
//! cards refresh on each filter change; the target is 20 ms for a million rows natively).

use std::sync::OnceLock;

use super::columns::{flag, get_flag, Entities, MISSING, NONE};
use super::dataset::{Area, Dataset, IndicatorDef, Measure, NumField, Subset, Text, Unit};
use super::filter::{Compiled, Filter, Predicate, Tri};
use super::provinces::registry;
use super::sums::{Builtin, PartialSums};
use super::vocab::{Boundary, Kind, Lang, Ntm, Region, Stage};

/// One computed figure with the parts it was computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cell {
    /// The figure; `None` when nothing is known (a mean of no values).
    pub value: Option<f64>,
    /// Records behind it.
    pub n: u32,
    /// Numerator: count, sum, Σ value × weight, or matching records of a share.
    pub num: f64,
    /// Denominator: records with a value, Σ weight, or known records of a share.
    pub den: f64,
}

/// What a group is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKey {
    /// A province index in the result's view boundary.
    Province(u8),
    /// A GSO region.
    Region(Region),
    /// A year.
    Year(u16),
    /// A kind of unit.
    Kind(Kind),
}

/// How to split a result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// Totals only.
    #[default]
    None,
    /// By province of the view boundary.
    Province,
    /// By GSO region.
    Region,
    /// By year.
    Year,
    /// By kind of unit.
    Kind,
}

impl GroupBy {
    /// The code used in URLs and the CLI.
    pub fn code(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Province => "province",
            GroupBy::Region => "region",
            GroupBy::Year => "year",
            GroupBy::Kind => "kind",
        }
    }

    /// Parses a code.
    pub fn from_code(s: &str) -> Option<GroupBy> {
        [
            GroupBy::None,
            GroupBy::Province,
            GroupBy::Region,
            GroupBy::Year,
            GroupBy::Kind,
        ]
        .into_iter()
        .find(|g| g.code() == s)
    }
}

/// Something a reader of a figure should know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// Records without the needed field were left out.
    MissingLeftOut {
        /// The field(s) missing, e.g. `workers` or `income/workers`.
        what: String,
        /// How many records.
        count: u32,
    },
    /// The data's boundary cannot be shown in the requested one (34 → 63).
    ViewFallback {
        /// The dataset's boundary.
        data: Boundary,
    },
    /// Values that cannot be added (averages, shares) would have to be merged; they were not.
    NotSummable,
    /// This grouping does not apply (e.g. by kind for published totals).
    GroupNotAvailable(GroupBy),
    /// No indicator or observation with this id.
    UnknownIndicator(String),
    /// The indicator exists only as published observations, and none matched.
    NoObservations,
}

impl Warning {
    /// The message in a language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Warning::MissingLeftOut { what, count }, Lang::Vi) => {
                format!("{count} bản ghi thiếu {} đã bị loại khỏi phép tính", field_words(what, lang))
            }
            (Warning::MissingLeftOut { what, count }, Lang::En) => {
                format!("{count} records without {} were left out", field_words(what, lang))
            }
            (Warning::ViewFallback { data }, Lang::Vi) => {
                format!(
                    "Dữ liệu theo {} tỉnh nên không thể hiển thị theo đơn vị hành chính khác",
                    data.number()
                )
            }
            (Warning::ViewFallback { data }, Lang::En) => {
                format!(
                    "The data uses {} provinces and cannot be shown in the other boundary",
                    data.number()
                )
            }
            (Warning::NotSummable, Lang::Vi) => {
                "Số bình quân/tỷ lệ không cộng được nên không gộp".into()
            }
            (Warning::NotSummable, Lang::En) => {
                "Averages and shares cannot be added up, so they were not merged".into()
            }
            (Warning::GroupNotAvailable(g), Lang::Vi) => {
                format!("Không thể chia theo \"{}\"", g.code())
            }
            (Warning::GroupNotAvailable(g), Lang::En) => {
                format!("Cannot be split by \"{}\"", g.code())
            }
            (Warning::UnknownIndicator(id), Lang::Vi) => format!("Không có chỉ tiêu \"{id}\""),
            (Warning::UnknownIndicator(id), Lang::En) => format!("No indicator \"{id}\""),
            (Warning::NoObservations, Lang::Vi) => "Không có số liệu công bố phù hợp".into(),
            (Warning::NoObservations, Lang::En) => "No published figure matches".into(),
        }
    }
}

/// Field codes joined by `/` (as [`Warning::MissingLeftOut`] keeps them) in the reader's words:
/// a Vietnamese sentence must not carry `income/workers`.
fn field_words(codes: &str, lang: Lang) -> String {
    let word = |c: &str| -> String {
        let (vi, en) = match c {
            "members" => ("số thành viên", "members"),
            "workers" => ("số lao động", "workers"),
            "income" => ("thu nhập", "income"),
            "revenue" => ("doanh thu", "revenue"),
            "ocop_star" => ("hạng sao OCOP", "OCOP star rating"),
            "ocop_products" => ("số sản phẩm OCOP", "OCOP products"),
            "ocop_5star" => ("số sản phẩm OCOP 5 sao", "5-star OCOP products"),
            "kind" => ("loại hình", "kind"),
            "sector" => ("lĩnh vực", "sector"),
            "ntm" => ("mức nông thôn mới", "new-rural level"),
            "stage" => ("khâu dịch vụ", "service stage"),
            "high_tech" => ("thông tin công nghệ cao", "high technology"),
            "value_chain" => ("thông tin chuỗi giá trị", "value chain"),
            "trademark" => ("thông tin nhãn hiệu", "trademark"),
            "ethnic_area" => ("thông tin vùng DTTS & MN", "ethnic-minority area"),
            other => (other, other),
        };
        if lang == Lang::Vi { vi } else { en }.to_string()
    };
    let sep = if lang == Lang::Vi { " hoặc " } else { " or " };
    codes.split('/').filter(|c| !c.is_empty()).map(word).collect::<Vec<_>>().join(sep)
}

/// A computed indicator: total, groups, warnings and sources.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorResult {
    /// Indicator id.
    pub id: String,
    /// Unit of the values.
    pub unit: Unit,
    /// The boundary province groups refer to.
    pub view: Boundary,
    /// Over everything the filter selects.
    pub total: Cell,
    /// Per group, in key order: groups with records, and for counts and sums the groups the
    /// dataset measured where nothing matched (value 0).
    pub groups: Vec<(GroupKey, Cell)>,
    /// What the reader should know.
    pub warnings: Vec<Warning>,
    /// Sources of published observations used (empty for figures computed from entity rows).
    pub sources: Vec<String>,
    /// The publishers of those observations in plain words, both languages (an observation
    /// without one contributes its citation): what a caption shows beside the figure.
    pub publishers: Vec<Text>,
}

// ---- built-in definitions --------------------------------------------------------------------

const COLLECTIVE: [Kind; 4] = [Kind::Htx, Kind::Tht, Kind::Qtdnd, Kind::Lhhtx];

struct B {
    id: &'static str,
    vi: &'static str,
    en: &'static str,
    dvi: &'static str,
    den: &'static str,
    measure: Measure,
    field: Option<NumField>,
    weight: Option<NumField>,
    of: fn() -> Subset,
    where_: fn() -> Subset,
    unit: Unit,
    def_vi: &'static str,
    def_en: &'static str,
}

fn all() -> Subset {
    Subset::default()
}
fn htx() -> Subset {
    Subset::kinds(&[Kind::Htx])
}
fn collective() -> Subset {
    Subset::kinds(&COLLECTIVE)
}
fn ocop3() -> Subset {
    Subset {
        ocop_star_min: Some(3),
        ..Subset::default()
    }
}

fn table() -> Vec<B> {
    use Measure::*;
    vec![
        B { id: "htx_count", vi: "Số hợp tác xã", en: "Cooperatives", dvi: "Số HTX trong phạm vi lọc", den: "Number of cooperatives in the selection",
            measure: Count, field: None, weight: None, of: htx, where_: all, unit: Unit::Count,
            def_vi: "Đếm các đơn vị là hợp tác xã", def_en: "Count of the units that are cooperatives" },
        B { id: "tht_count", vi: "Số tổ hợp tác", en: "Cooperative groups", dvi: "Số THT trong phạm vi lọc", den: "Number of cooperative groups in the selection",
            measure: Count, field: None, weight: None, of: || Subset::kinds(&[Kind::Tht]), where_: all, unit: Unit::Count,
            def_vi: "Đếm các đơn vị là tổ hợp tác", def_en: "Count of the units that are cooperative groups" },
        B { id: "qtdnd_count", vi: "Số quỹ tín dụng nhân dân", en: "People's credit funds", dvi: "Số QTDND trong phạm vi lọc", den: "Number of people's credit funds in the selection",
            measure: Count, field: None, weight: None, of: || Subset::kinds(&[Kind::Qtdnd]), where_: all, unit: Unit::Count,
            def_vi: "Đếm các đơn vị là quỹ tín dụng nhân dân", def_en: "Count of the units that are people's credit funds" },
        B { id: "workers", vi: "Lao động khu vực KTTT", en: "Workers in the collective economy", dvi: "Tổng lao động của HTX, THT, QTDND, liên hiệp HTX", den: "Total workers of cooperatives, groups, credit funds and unions",
            measure: Sum, field: Some(NumField::Workers), weight: None, of: collective, where_: all, unit: Unit::Persons,
            def_vi: "Cộng số lao động của các HTX, THT, QTDND và liên hiệp HTX", def_en: "Sum of the workers of cooperatives, groups, credit funds and unions" },
        B { id: "income_avg", vi: "Thu nhập bình quân của lao động", en: "Average income of a worker", dvi: "Thu nhập bình quân tháng, bình quân gia quyền theo số lao động", den: "Monthly income, mean weighted by workers",
            measure: WeightedMean, field: Some(NumField::Income), weight: Some(NumField::Workers), of: collective, where_: all, unit: Unit::VndMonth,
            def_vi: "Σ(thu nhập × số lao động) / Σ số lao động, trên các HTX, THT, QTDND và liên hiệp HTX", def_en: "Σ(income × workers) / Σ workers, over cooperatives, groups, credit funds and unions" },
        B { id: "members_per_htx", vi: "Thành viên bình quân một HTX", en: "Members per cooperative (mean)", dvi: "Số thành viên bình quân của một HTX", den: "Mean number of members of a cooperative",
            measure: Mean, field: Some(NumField::Members), weight: None, of: htx, where_: all, unit: Unit::Persons,
            def_vi: "Σ số thành viên / số HTX có khai số thành viên", def_en: "Σ members / cooperatives reporting their members" },
        B { id: "members_per_htx_median", vi: "Thành viên một HTX (trung vị)", en: "Members per cooperative (median)", dvi: "Trung vị số thành viên của HTX", den: "Median number of members of a cooperative",
            measure: Median, field: Some(NumField::Members), weight: None, of: htx, where_: all, unit: Unit::Persons,
            def_vi: "Trung vị số thành viên của các HTX", def_en: "Median of the members of cooperatives" },
        B { id: "htx_high_tech", vi: "HTX ứng dụng công nghệ cao", en: "High-tech cooperatives", dvi: "Số HTX ứng dụng công nghệ cao", den: "Cooperatives applying high technology",
            measure: Count, field: None, weight: None, of: || Subset { high_tech: Some(true), ..htx() }, where_: all, unit: Unit::Count,
            def_vi: "Đếm các HTX khai có ứng dụng công nghệ cao", def_en: "Count of cooperatives reporting high technology" },
        B { id: "htx_high_tech_share", vi: "Tỷ lệ HTX ứng dụng công nghệ cao", en: "Share of high-tech cooperatives", dvi: "Tỷ lệ HTX ứng dụng công nghệ cao trong số HTX", den: "High-tech cooperatives among cooperatives",
            measure: Share, field: None, weight: None, of: htx, where_: || Subset { high_tech: Some(true), ..Subset::default() }, unit: Unit::Share,
            def_vi: "Số HTX ứng dụng công nghệ cao / số HTX có khai việc này", def_en: "High-tech cooperatives / cooperatives reporting on it" },
        B { id: "value_chain_units", vi: "Đơn vị KTTT sản xuất theo chuỗi", en: "Collective units in value chains", dvi: "Số HTX, THT, QTDND, liên hiệp tham gia chuỗi giá trị", den: "Collective units producing along a value chain",
            measure: Count, field: None, weight: None, of: || Subset { value_chain: Some(true), ..collective() }, where_: all, unit: Unit::Count,
            def_vi: "Đếm các đơn vị KTTT khai có sản xuất theo chuỗi giá trị", def_en: "Count of collective units reporting value-chain production" },
        B { id: "value_chain_share", vi: "Tỷ lệ đơn vị KTTT theo chuỗi", en: "Share of collective units in value chains", dvi: "Tỷ lệ đơn vị KTTT sản xuất theo chuỗi giá trị", den: "Collective units in value chains among collective units",
            measure: Share, field: None, weight: None, of: collective, where_: || Subset { value_chain: Some(true), ..Subset::default() }, unit: Unit::Share,
            def_vi: "Số đơn vị sản xuất theo chuỗi / số đơn vị có khai việc này", def_en: "Units in value chains / units reporting on it" },
        B { id: "htx_ntm", vi: "HTX ở xã đạt chuẩn NTM", en: "Cooperatives in new-rural communes", dvi: "Số HTX ở xã đạt chuẩn nông thôn mới (mọi mức)", den: "Cooperatives in communes meeting the new-rural standard at any level",
            measure: Count, field: None, weight: None, of: || Subset { ntm: vec![Ntm::Ntm, Ntm::Advanced, Ntm::Model], ..htx() }, where_: all, unit: Unit::Count,
            def_vi: "Đếm các HTX ở xã đạt chuẩn nông thôn mới, nâng cao hoặc kiểu mẫu", def_en: "Count of cooperatives in communes meeting the new-rural, advanced or model standard" },
        B { id: "ocop_subjects", vi: "Chủ thể OCOP", en: "OCOP subjects", dvi: "Số chủ thể (mọi loại) có sản phẩm OCOP từ 3 sao", den: "Units of any kind with a product rated 3 stars or more",
            measure: Count, field: None, weight: None, of: ocop3, where_: all, unit: Unit::Count,
            def_vi: "Đếm các đơn vị có sản phẩm OCOP đạt từ 3 sao", def_en: "Count of units with an OCOP product rated 3 stars or more" },
        B { id: "ocop_5star_products", vi: "Sản phẩm OCOP 5 sao", en: "5-star OCOP products", dvi: "Tổng số sản phẩm OCOP 5 sao", den: "Total 5-star OCOP products",
            measure: Sum, field: Some(NumField::Ocop5star), weight: None, of: all, where_: all, unit: Unit::Products,
            def_vi: "Cộng số sản phẩm OCOP 5 sao của các đơn vị", def_en: "Sum of the units' 5-star OCOP products" },
        B { id: "ocop_share_htx", vi: "Tỷ lệ HTX trong chủ thể OCOP", en: "Cooperatives among OCOP subjects", dvi: "Tỷ lệ HTX trong số chủ thể OCOP", den: "Share of cooperatives among OCOP subjects",
            measure: Share, field: None, weight: None, of: ocop3, where_: htx, unit: Unit::Share,
            def_vi: "Số chủ thể OCOP là HTX / số chủ thể OCOP", def_en: "OCOP subjects that are cooperatives / OCOP subjects" },
        B { id: "ocop_share_dn", vi: "Tỷ lệ doanh nghiệp trong chủ thể OCOP", en: "Enterprises among OCOP subjects", dvi: "Tỷ lệ doanh nghiệp trong số chủ thể OCOP", den: "Share of enterprises among OCOP subjects",
            measure: Share, field: None, weight: None, of: ocop3, where_: || Subset::kinds(&[Kind::Dn]), unit: Unit::Share,
            def_vi: "Số chủ thể OCOP là doanh nghiệp / số chủ thể OCOP", def_en: "OCOP subjects that are enterprises / OCOP subjects" },
        B { id: "ocop_share_hkd", vi: "Tỷ lệ hộ kinh doanh trong chủ thể OCOP", en: "Household businesses among OCOP subjects", dvi: "Tỷ lệ cơ sở, hộ kinh doanh trong số chủ thể OCOP", den: "Share of household businesses among OCOP subjects",
            measure: Share, field: None, weight: None, of: ocop3, where_: || Subset::kinds(&[Kind::Hkd]), unit: Unit::Share,
            def_vi: "Số chủ thể OCOP là cơ sở, hộ kinh doanh / số chủ thể OCOP", def_en: "OCOP subjects that are household businesses / OCOP subjects" },
        B { id: "ocop_share_tht", vi: "Tỷ lệ tổ hợp tác trong chủ thể OCOP", en: "Cooperative groups among OCOP subjects", dvi: "Tỷ lệ THT trong số chủ thể OCOP", den: "Share of cooperative groups among OCOP subjects",
            measure: Share, field: None, weight: None, of: ocop3, where_: || Subset::kinds(&[Kind::Tht]), unit: Unit::Share,
            def_vi: "Số chủ thể OCOP là tổ hợp tác / số chủ thể OCOP", def_en: "OCOP subjects that are cooperative groups / OCOP subjects" },
        B { id: "htx_output_share", vi: "Tỷ lệ HTX làm dịch vụ đầu ra", en: "Cooperatives serving outputs", dvi: "Tỷ lệ HTX làm dịch vụ đầu ra (hoặc cả đầu vào và đầu ra) trong số HTX có khai báo", den: "Cooperatives in output services (alone or with inputs) among those reporting a stage",
            measure: Share, field: None, weight: None, of: htx, where_: || Subset { stage: vec![Stage::Output, Stage::Both], ..Subset::default() }, unit: Unit::Share,
            def_vi: "Số HTX làm dịch vụ đầu ra (hoặc cả đầu vào và đầu ra) / số HTX có khai khâu dịch vụ", def_en: "Cooperatives serving outputs (or inputs and outputs) / cooperatives reporting their service stage" },
        B { id: "htx_trademark_share", vi: "Tỷ lệ HTX có nhãn hiệu", en: "Cooperatives with a trademark", dvi: "Tỷ lệ HTX có nhãn hiệu đã đăng ký", den: "Share of cooperatives with a registered trademark",
            measure: Share, field: None, weight: None, of: htx, where_: || Subset { trademark: Some(true), ..Subset::default() }, unit: Unit::Share,
            def_vi: "Số HTX có nhãn hiệu / số HTX có khai việc này", def_en: "Cooperatives with a trademark / cooperatives reporting on it" },
    ]
}

/// Every built-in indicator, in display order. Built once; ids are stable (they appear in URLs).
pub fn builtins() -> &'static [IndicatorDef] {
    static DEFS: OnceLock<Vec<IndicatorDef>> = OnceLock::new();
    DEFS.get_or_init(|| {
        table()
            .into_iter()
            .map(|b| IndicatorDef {
                id: b.id.to_string(),
                label: Text::new(b.vi, b.en),
                description: Some(Text::new(b.dvi, b.den)),
                measure: b.measure,
                field: b.field,
                weight: b.weight,
                of: (b.of)(),
                where_: (b.where_)(),
                unit: b.unit,
                source: None,
                observed: false,
                summable: None,
                definition: Some(Text::new(b.def_vi, b.def_en)),
            })
            .collect()
    })
}

/// A built-in indicator by id.
pub fn builtin(id: &str) -> Option<&'static IndicatorDef> {
    builtins().iter().find(|d| d.id == id)
}

/// A built-in or file-defined indicator by id.
pub fn find<'a>(ds: &'a Dataset, id: &str) -> Option<&'a IndicatorDef> {
    builtin(id).or_else(|| ds.indicator(id))
}

/// Every year the dataset has figures for (entities, observations and `meta.years`), ascending.
pub fn years(ds: &Dataset) -> Vec<u16> {
    let mut seen = [false; 2101];
    let mark = |seen: &mut [bool; 2101], y: u16| {
        if let Some(s) = seen.get_mut(y as usize) {
            *s = true;
        }
    };
    match ds.entities.index() {
        Some(index) => index.years_present().for_each(|y| mark(&mut seen, y)),
        None => ds.entities.years_raw().iter().for_each(|&y| mark(&mut seen, y)),
    }
    for y in ds
        .observations
        .iter()
        .map(|o| o.year)
        .chain(ds.meta.years.iter().copied())
    {
        mark(&mut seen, y);
    }
    (1990..=2100u16).filter(|&y| seen[y as usize]).collect()
}

// ---- generic computation ---------------------------------------------------------------------

#[derive(Clone, Debug, Default)]
struct Acc {
    touched: bool,
    n: u32,
    num: f64,
    den: f64,
    values: Vec<f64>,
}

fn median(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    // engine::order, not `select_nth_unstable_by`: 2–3 KB less wasm (see there).
    super::order::select_nth_by(values, mid, f64::total_cmp);
    let m = values[mid];
    if n % 2 == 1 {
        Some(m)
    } else {
        let lo = values[..mid].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some((lo + m) / 2.0)
    }
}

fn finish(measure: Measure, acc: &mut Acc) -> Cell {
    let value = match measure {
        Measure::Count | Measure::Sum => Some(acc.num),
        Measure::Mean | Measure::WeightedMean | Measure::Share => {
            if acc.den > 0.0 {
                Some(acc.num / acc.den)
            } else {
                None
            }
        }
        Measure::Median => median(&mut acc.values),
    };
    Cell {
        value,
        n: acc.n,
        num: acc.num,
        den: acc.den,
    }
}

/// Recomputes a cell's value from its parts, for cells merged by addition (counts and sums keep
/// `num`, means and shares divide, medians cannot be merged and become `None`).
pub fn value_from_parts(measure: Measure, num: f64, den: f64) -> Option<f64> {
    match measure {
        Measure::Count | Measure::Sum => Some(num),
        Measure::Mean | Measure::WeightedMean | Measure::Share => (den > 0.0).then(|| num / den),
        Measure::Median => None,
    }
}

fn missing_what(def: &IndicatorDef) -> String {
    match def.measure {
        Measure::Count => String::new(),
        Measure::WeightedMean => format!(
            "{}/{}",
            def.field.map_or("?", NumField::code),
            def.weight.map_or("?", NumField::code)
        ),
        Measure::Share => {
            let w = &def.where_;
            let mut names = Vec::new();
            for (on, name) in [
                (!w.kinds.is_empty(), "kind"),
                (!w.sectors.is_empty(), "sector"),
                (!w.ntm.is_empty(), "ntm"),
                (!w.stage.is_empty(), "stage"),
                (w.high_tech.is_some(), "high_tech"),
                (w.value_chain.is_some(), "value_chain"),
                (w.trademark.is_some(), "trademark"),
                (w.ethnic_area.is_some(), "ethnic_area"),
                (w.ocop_star_min.is_some(), "ocop_star"),
            ] {
                if on {
                    names.push(name);
                }
            }
            names.join("/")
        }
        _ => def.field.map_or("?", NumField::code).to_string(),
    }
}

/// Computes an indicator from entity rows for the rows the filter selects, split by `group`.
/// Observed-only definitions are answered from observations (see [`observed`]).
pub fn compute(
    ds: &Dataset,
    def: &IndicatorDef,
    filter: &Filter,
    group: GroupBy,
) -> IndicatorResult {
    compute_many(ds, &[def], filter, group)
        .pop()
        .unwrap_or_else(|| observed(ds, &def.id, filter, group))
}

/// One indicator's accumulators inside [`compute_many`].
struct Pass<'d> {
    def: &'d IndicatorDef,
    of: Predicate,
    wh: Predicate,
    accs: Vec<Acc>,
    total: Acc,
    missing: u32,
    keep_values: bool,
    field: NumField,
    weight: NumField,
    /// Added up from the partial sums instead of read from rows (see [`sums_for`]).
    summed: Option<Builtin>,
}

/// Computes several indicators in one pass over the rows (results in the order of `defs`, each
/// equal to [`compute`]'s). Why: a screen shows several figures for the same filter (the map's
/// indicator with its neighbours, a table of four columns); one pass tests the filter once per
/// row and reads each row once, instead of once per indicator.
pub fn compute_many(
    ds: &Dataset,
    defs: &[&IndicatorDef],
    filter: &Filter,
    group: GroupBy,
) -> Vec<IndicatorResult> {
    compute_many_with(ds, defs, filter, group, true)
}

/// [`compute_many`], adding up the partial sums where it can when `use_sums` (the tests compare
/// both ways).
fn compute_many_with(
    ds: &Dataset,
    defs: &[&IndicatorDef],
    filter: &Filter,
    group: GroupBy,
    use_sums: bool,
) -> Vec<IndicatorResult> {
    let c = filter.compile(ds);
    let view = c.geo.view;
    let e = &ds.entities;
    let sums = sums_for(e, &c).filter(|_| use_sums);
    let n_groups = match group {
        GroupBy::None => 0,
        GroupBy::Province => registry().provinces(view).len(),
        GroupBy::Region => Region::ALL.len(),
        GroupBy::Year => 111,
        GroupBy::Kind => Kind::ALL.len(),
    };
    let mut passes: Vec<Pass> = defs
        .iter()
        .filter(|d| !d.observed)
        .map(|&def| Pass {
            def,
            of: Predicate::from_subset(&def.of),
            wh: Predicate::from_subset(&def.where_),
            accs: vec![Acc::default(); n_groups],
            total: Acc::default(),
            missing: 0,
            keep_values: def.measure == Measure::Median,
            field: def.field.unwrap_or(NumField::Workers),
            weight: def.weight.unwrap_or(NumField::Workers),
            summed: sums.and(Builtin::from_id(&def.id)).filter(|_| builtin(&def.id) == Some(def)),
        })
        .collect();
    if let Some(sums) = sums {
        add_sums(sums, &c, group, &mut passes);
    }
    if passes.iter().any(|p| p.summed.is_none()) {
        c.for_each_match(e, |i| {
            let g = match group {
                GroupBy::None => None,
                GroupBy::Province => {
                    Some(c.geo.view_of(e.province.get(i).copied().unwrap_or(NONE)) as usize)
                }
                GroupBy::Region => {
                    Some(c.geo.region_of(e.province.get(i).copied().unwrap_or(NONE)) as usize)
                }
                GroupBy::Year => Some(
                    e.year
                        .get(i)
                        .map_or(usize::MAX, |&y| (y as usize).wrapping_sub(1990)),
                ),
                GroupBy::Kind => Some(e.kind.get(i).copied().unwrap_or(NONE) as usize),
            };
            for p in passes.iter_mut().filter(|p| p.summed.is_none()) {
                if !p.of.test(e, i) {
                    continue;
                }
                // (num, den) this row adds, or None when a needed value is missing.
                let part = match p.def.measure {
                    Measure::Count => Some((1.0, 1.0, None)),
                    Measure::Sum | Measure::Mean => p.field.get(e, i).map(|x| (x, 1.0, None)),
                    Measure::Median => p.field.get(e, i).map(|x| (x, 1.0, Some(x))),
                    Measure::WeightedMean => match (p.field.get(e, i), p.weight.get(e, i)) {
                        (Some(x), Some(w)) => Some((x * w, w, None)),
                        _ => None,
                    },
                    Measure::Share => match p.wh.eval(e, i) {
                        Tri::Yes => Some((1.0, 1.0, None)),
                        Tri::No => Some((0.0, 1.0, None)),
                        Tri::Unknown => None,
                    },
                };
                let Some((num, den, v)) = part else {
                    p.missing += 1;
                    if let Some(a) = g.and_then(|g| p.accs.get_mut(g)) {
                        a.touched = true;
                    }
                    continue;
                };
                let keep = p.keep_values;
                let add = |a: &mut Acc| {
                    a.touched = true;
                    a.n += 1;
                    a.num += num;
                    a.den += den;
                    if keep {
                        if let Some(v) = v {
                            a.values.push(v);
                        }
                    }
                };
                add(&mut p.total);
                if let Some(a) = g.and_then(|g| p.accs.get_mut(g)) {
                    add(a);
                }
            }
        });
    }
    // A count or sum over a group the dataset measured (it has rows there in the filter's years
    // and areas, of any kind) but where no row matches is 0, not "no data": 0 credit funds in a
    // province the file lists is a figure. Groups the dataset does not cover stay absent.
    let measured = if passes.iter().any(|p| matches!(p.def.measure, Measure::Count | Measure::Sum)) {
        measured_groups(e, &c, group, n_groups)
    } else {
        Vec::new()
    };
    let mut computed = passes.into_iter().map(|mut p| {
        let mut groups = Vec::new();
        let zero_fill = matches!(p.def.measure, Measure::Count | Measure::Sum);
        for (gi, a) in p.accs.iter_mut().enumerate() {
            if !a.touched && !(zero_fill && measured.get(gi).copied().unwrap_or(false)) {
                continue;
            }
            let key = match group {
                GroupBy::None => continue,
                GroupBy::Province => GroupKey::Province(gi as u8),
                GroupBy::Region => match Region::from_index(gi as u8) {
                    Some(r) => GroupKey::Region(r),
                    None => continue,
                },
                GroupBy::Year => GroupKey::Year(1990 + gi as u16),
                GroupBy::Kind => match Kind::from_index(gi as u8) {
                    Some(k) => GroupKey::Kind(k),
                    None => continue,
                },
            };
            groups.push((key, finish(p.def.measure, a)));
        }
        let mut warnings = Vec::new();
        if view != filter.view {
            warnings.push(Warning::ViewFallback {
                data: ds.meta.boundary,
            });
        }
        if p.missing > 0 {
            warnings.push(Warning::MissingLeftOut {
                what: missing_what(p.def),
                count: p.missing,
            });
        }
        IndicatorResult {
            id: p.def.id.clone(),
            unit: p.def.unit,
            view,
            total: finish(p.def.measure, &mut p.total),
            groups,
            warnings,
            sources: Vec::new(),
            publishers: Vec::new(),
        }
    });
    defs.iter()
        .map(|d| {
            if d.observed {
                observed(ds, &d.id, filter, group)
            } else {
                computed.next().unwrap_or_else(|| observed(ds, &d.id, filter, group))
            }
        })
        .collect()
}

/// Which groups of a province, region or year split the dataset measured under `c`: one of its
/// rows lies there, in the filter's years and areas, whatever its kind or other attributes (the
/// row filter narrows *what* is counted, not *where* the file looked). Empty for other splits.
fn measured_groups(e: &Entities, c: &Compiled, group: GroupBy, n_groups: usize) -> Vec<bool> {
    let mut out = vec![false; n_groups];
    if !matches!(group, GroupBy::Province | GroupBy::Region | GroupBy::Year) {
        return Vec::new();
    }
    let mut mark = |y: u16, p: u8| {
        if !c.year_passes(y) || !c.province_passes(p) {
            return;
        }
        let g = match group {
            GroupBy::Province => c.geo.view_of(p) as usize,
            GroupBy::Region => c.geo.region_of(p) as usize,
            _ => (y as usize).wrapping_sub(1990),
        };
        if let Some(slot) = out.get_mut(g) {
            *slot = true;
        }
    };
    // The buckets of the partial sums name every (year, province) that has rows: a few hundred
    // instead of every row.
    match e.sums() {
        Some(sums) => sums.buckets().iter().for_each(|b| mark(b.year, b.province)),
        None => e.years_raw().iter().zip(e.provinces_raw()).for_each(|(&y, &p)| mark(y, p)),
    }
    out
}

/// The partial sums to add up for a filter, when it tests rows only by what the buckets separate.
fn sums_for<'e>(e: &'e Entities, c: &Compiled) -> Option<&'e PartialSums> {
    if c.bucket_exact() {
        e.sums()
    } else {
        None
    }
}

/// Adds up, for every pass served by the partial sums, the buckets the filter selects, into its
/// total and groups, as the row loop of [`compute_many`] would have (the tests compare both).
fn add_sums(sums: &PartialSums, c: &Compiled, group: GroupBy, passes: &mut [Pass]) {
    for b in sums.buckets() {
        if !c.bucket_passes(b.year, b.kind_slot, b.province) {
            continue;
        }
        let g = match group {
            GroupBy::None => None,
            GroupBy::Province => Some(c.geo.view_of(b.province) as usize),
            GroupBy::Region => Some(c.geo.region_of(b.province) as usize),
            GroupBy::Year => Some((b.year as usize).wrapping_sub(1990)),
            GroupBy::Kind => Some(b.kind().map_or(NONE, Kind::index) as usize),
        };
        let kind = b.kind();
        for p in passes.iter_mut() {
            let Some(builtin) = p.summed else { continue };
            let part = builtin.of(kind, &b.part);
            if part.n + part.missing == 0 {
                continue;
            }
            p.missing += part.missing;
            let add = |a: &mut Acc| {
                a.touched = true;
                a.n += part.n;
                a.num += part.num;
                a.den += part.den;
            };
            add(&mut p.total);
            if let Some(a) = g.and_then(|g| p.accs.get_mut(g)) {
                add(a);
            }
        }
    }
}

/// Computes an indicator by id (built-in, file-defined, or observation-only).
pub fn compute_id(ds: &Dataset, id: &str, filter: &Filter, group: GroupBy) -> IndicatorResult {
    match find(ds, id) {
        Some(def) => compute(ds, def, filter, group),
        None => observed(ds, id, filter, group),
    }
}

// ---- fused pass over every built-in ----------------------------------------------------------

#[derive(Default)]
struct Fused {
    kind: [u32; 6],
    workers_sum: u64,
    workers_n: u32,
    workers_missing: u32,
    inc_num: f64,
    inc_den: f64,
    inc_n: u32,
    inc_missing: u32,
    mem_sum: u64,
    mem_missing: u32,
    mem_values: Vec<u32>,
    ht_yes: u32,
    ht_known: u32,
    vc_yes: u32,
    vc_known: u32,
    coll: u32,
    htx_ntm: u32,
    ocop_kind: [u32; 6],
    /// OCOP subjects without a kind: subjects all the same, unknown in the shares by kind.
    ocop_no_kind: u32,
    ocop5_sum: u64,
    ocop5_n: u32,
    ocop5_missing: u32,
    stage_known: u32,
    stage_out: u32,
    tm_yes: u32,
    tm_known: u32,
}

impl Fused {
    /// Adds a bucket of [partial sums](super::sums) whose rows are of kind slot `k`: the same as
    /// adding each of its rows with [`Fused::add`], except the members' values (the median reads
    /// them from the rows).
    fn add_part(&mut self, k: u8, p: &super::sums::Part) {
        if let Some(c) = self.kind.get_mut(k as usize) {
            *c += p.rows;
        }
        if (k as usize) < COLLECTIVE.len() {
            self.coll += p.rows;
            self.workers_sum += p.workers_sum;
            self.workers_n += p.workers_n;
            self.workers_missing += p.rows - p.workers_n;
            self.inc_num += p.inc_num;
            self.inc_den += p.inc_den;
            self.inc_n += p.inc_n;
            self.inc_missing += p.rows - p.inc_n;
            self.vc_yes += p.vc_yes;
            self.vc_known += p.vc_known;
        }
        if k == Kind::Htx.index() {
            self.mem_sum += p.mem_sum;
            self.mem_missing += p.rows - p.mem_n;
            self.ht_yes += p.ht_yes;
            self.ht_known += p.ht_known;
            self.tm_yes += p.tm_yes;
            self.tm_known += p.tm_known;
            self.htx_ntm += p.ntm_met;
            self.stage_known += p.stage_known;
            self.stage_out += p.stage_out;
        }
        match self.ocop_kind.get_mut(k as usize) {
            Some(c) => *c += p.ocop3,
            None => self.ocop_no_kind += p.ocop3,
        }
        self.ocop5_sum += p.ocop5_sum;
        self.ocop5_n += p.ocop5_n;
        self.ocop5_missing += p.rows - p.ocop5_n;
    }

    #[inline]
    fn add(&mut self, e: &Entities, i: usize) {
        let k = e.kind.get(i).copied().unwrap_or(NONE);
        if let Some(c) = self.kind.get_mut(k as usize) {
            *c += 1;
        }
        let is_htx = k == Kind::Htx.index();
        let is_coll = (k as usize) < COLLECTIVE.len();
        let f = e.flags.get(i).copied().unwrap_or(0);
        if is_coll {
            self.coll += 1;
            let w = e.workers.get(i).copied().unwrap_or(MISSING);
            if w == MISSING {
                self.workers_missing += 1;
                self.inc_missing += 1;
            } else {
                self.workers_sum += u64::from(w);
                self.workers_n += 1;
                let inc = e.income.get(i).copied().unwrap_or(f32::NAN);
                if inc.is_nan() {
                    self.inc_missing += 1;
                } else {
                    self.inc_num += inc as f64 * w as f64;
                    self.inc_den += w as f64;
                    self.inc_n += 1;
                }
            }
            match get_flag(f, flag::VALUE_CHAIN) {
                Some(true) => {
                    self.vc_yes += 1;
                    self.vc_known += 1
                }
                Some(false) => self.vc_known += 1,
                None => {}
            }
        }
        if is_htx {
            let m = e.members.get(i).copied().unwrap_or(MISSING);
            if m == MISSING {
                self.mem_missing += 1;
            } else {
                self.mem_sum += u64::from(m);
                self.mem_values.push(m);
            }
            match get_flag(f, flag::HIGH_TECH) {
                Some(true) => {
                    self.ht_yes += 1;
                    self.ht_known += 1
                }
                Some(false) => self.ht_known += 1,
                None => {}
            }
            match get_flag(f, flag::TRADEMARK) {
                Some(true) => {
                    self.tm_yes += 1;
                    self.tm_known += 1
                }
                Some(false) => self.tm_known += 1,
                None => {}
            }
            let nt = e.ntm.get(i).copied().unwrap_or(NONE);
            if nt != NONE && nt != Ntm::None.index() {
                self.htx_ntm += 1;
            }
            let st = e.stage.get(i).copied().unwrap_or(NONE);
            if st != NONE {
                self.stage_known += 1;
                if st != Stage::Input.index() {
                    self.stage_out += 1;
                }
            }
        }
        let star = e.ocop_star.get(i).copied().unwrap_or(NONE);
        if star != NONE && star >= 3 {
            match self.ocop_kind.get_mut(k as usize) {
                Some(c) => *c += 1,
                None => self.ocop_no_kind += 1,
            }
        }
        let o5 = e.ocop_5star.get(i).copied().unwrap_or(MISSING);
        if o5 == MISSING {
            self.ocop5_missing += 1;
        } else {
            self.ocop5_sum += u64::from(o5);
            self.ocop5_n += 1;
        }
    }
}

/// The total of every built-in indicator (no groups) for the rows the filter selects, in the
/// order of [`builtins`], computed in one pass. Results equal [`compute`]'s totals.
pub fn compute_all(ds: &Dataset, filter: &Filter) -> Vec<IndicatorResult> {
    compute_all_with(ds, filter, true)
}

/// [`compute_all`], adding up the partial sums when it can and `use_sums` (the tests compare
/// both ways).
fn compute_all_with(ds: &Dataset, filter: &Filter, use_sums: bool) -> Vec<IndicatorResult> {
    let c = filter.compile(ds);
    let e = &ds.entities;
    let mut f = Fused::default();
    let mut mem_vals: Vec<f64> = match sums_for(e, &c).filter(|_| use_sums) {
        // The buckets the filter selects, added up; the median still reads its rows' members.
        Some(sums) => {
            for b in sums.buckets().iter().filter(|b| c.bucket_passes(b.year, b.kind_slot, b.province)) {
                f.add_part(b.kind_slot, &b.part);
            }
            sums.members_of(e, |b| c.bucket_passes(b.year, b.kind_slot, b.province))
        }
        None => {
            c.for_each_match(e, |i| f.add(e, i));
            f.mem_values.iter().map(|&m| m as f64).collect()
        }
    };
    let count = |n: u32| Cell {
        value: Some(n as f64),
        n,
        num: n as f64,
        den: n as f64,
    };
    let ratio = |num: f64, den: f64, n: u32| Cell {
        value: (den > 0.0).then(|| num / den),
        n,
        num,
        den,
    };
    let share = |yes: u32, known: u32| ratio(yes as f64, known as f64, known);
    let sum = |s: u64, n: u32| Cell {
        value: Some(s as f64),
        n,
        num: s as f64,
        den: n as f64,
    };
    let ocop_total: u32 = f.ocop_kind.iter().sum();
    let htx = f.kind[0];
    let mem_n = mem_vals.len() as u32;
    let view = c.geo.view;
    let left = |what: &str, count: u32| {
        if count > 0 {
            vec![Warning::MissingLeftOut {
                what: what.to_string(),
                count,
            }]
        } else {
            Vec::new()
        }
    };
    let cells: Vec<(Cell, Vec<Warning>)> = vec![
        (count(f.kind[Kind::Htx.index() as usize]), vec![]),
        (count(f.kind[Kind::Tht.index() as usize]), vec![]),
        (count(f.kind[Kind::Qtdnd.index() as usize]), vec![]),
        (
            sum(f.workers_sum, f.workers_n),
            left("workers", f.workers_missing),
        ),
        (
            ratio(f.inc_num, f.inc_den, f.inc_n),
            left("income/workers", f.inc_missing),
        ),
        (
            ratio(f.mem_sum as f64, mem_n as f64, mem_n),
            left("members", f.mem_missing),
        ),
        (
            Cell {
                value: median(&mut mem_vals),
                n: mem_n,
                num: f.mem_sum as f64,
                den: mem_n as f64,
            },
            left("members", f.mem_missing),
        ),
        (count(f.ht_yes), vec![]),
        (
            share(f.ht_yes, f.ht_known),
            left("high_tech", htx - f.ht_known),
        ),
        (count(f.vc_yes), vec![]),
        (
            share(f.vc_yes, f.vc_known),
            left("value_chain", f.coll - f.vc_known),
        ),
        (count(f.htx_ntm), vec![]),
        (count(ocop_total + f.ocop_no_kind), vec![]),
        (
            sum(f.ocop5_sum, f.ocop5_n),
            left("ocop_5star", f.ocop5_missing),
        ),
        (
            share(f.ocop_kind[Kind::Htx.index() as usize], ocop_total),
            left("kind", f.ocop_no_kind),
        ),
        (
            share(f.ocop_kind[Kind::Dn.index() as usize], ocop_total),
            left("kind", f.ocop_no_kind),
        ),
        (
            share(f.ocop_kind[Kind::Hkd.index() as usize], ocop_total),
            left("kind", f.ocop_no_kind),
        ),
        (
            share(f.ocop_kind[Kind::Tht.index() as usize], ocop_total),
            left("kind", f.ocop_no_kind),
        ),
        (
            share(f.stage_out, f.stage_known),
            left("stage", htx - f.stage_known),
        ),
        (
            share(f.tm_yes, f.tm_known),
            left("trademark", htx - f.tm_known),
        ),
    ];
    let fallback = view != filter.view;
    builtins()
        .iter()
        .zip(cells)
        .map(|(def, (total, mut warnings))| {
            if fallback {
                warnings.insert(
                    0,
                    Warning::ViewFallback {
                        data: ds.meta.boundary,
                    },
                );
            }
            IndicatorResult {
                id: def.id.clone(),
                unit: def.unit,
                view,
                total,
                groups: Vec::new(),
                warnings,
                sources: Vec::new(),
                publishers: Vec::new(),
            }
        })
        .collect()
}

/// Regroups a by-province result of a 63-province view into the 34 provinces: counts and sums are
/// added, means and shares recomputed from their summed parts, medians dropped (they cannot be
/// merged; recompute with [`compute`] in the 34 view instead).
pub fn regroup_to_34(result: &IndicatorResult, measure: Measure) -> IndicatorResult {
    if result.view == Boundary::P34 {
        return result.clone();
    }
    let reg = registry();
    let n34 = reg.provinces(Boundary::P34).len();
    let mut parts = vec![(false, 0u32, 0.0f64, 0.0f64); n34];
    for (key, cell) in &result.groups {
        if let GroupKey::Province(p) = key {
            if let Some(slot) = reg.to_34(*p).and_then(|q| parts.get_mut(q as usize)) {
                slot.0 = true;
                slot.1 += cell.n;
                slot.2 += cell.num;
                slot.3 += cell.den;
            }
        }
    }
    let groups = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.0)
        .map(|(q, &(_, n, num, den))| {
            (
                GroupKey::Province(q as u8),
                Cell {
                    value: value_from_parts(measure, num, den),
                    n,
                    num,
                    den,
                },
            )
        })
        .collect();
    let mut out = result.clone();
    out.view = Boundary::P34;
    out.groups = groups;
    if measure == Measure::Median {
        out.warnings.push(Warning::NotSummable);
    }
    out
}

// ---- observations ------------------------------------------------------------------------------

#[derive(Default, Clone)]
struct ObsAcc {
    n: u32,
    sum: f64,
}

impl ObsAcc {
    fn add(&mut self, v: f64) {
        self.n += 1;
        self.sum += v;
    }

    fn merge(&mut self, o: &ObsAcc) {
        self.n += o.n;
        self.sum += o.sum;
    }

    fn cell(&self, summable: bool, not_summable_hit: &mut bool) -> Cell {
        let value = if self.n == 0 {
            None
        } else if summable || self.n == 1 {
            Some(self.sum)
        } else {
            *not_summable_hit = true;
            None
        };
        Cell {
            value,
            n: self.n,
            num: self.sum,
            den: self.n as f64,
        }
    }
}

/// Published observations of an indicator for the filter's years and areas, split by `group`.
///
/// Province observations are summed into regions and (for a 63-coded dataset viewed in 34) into
/// the merged provinces when the indicator is summable (counts, persons, money sums); national and
/// regional observations are returned as they are. The total prefers, for each year, the national
/// figure (no area filter), then the regional one (a region filter), then the sum of provinces.
/// Each source used is listed with its confidence.
pub fn observed(ds: &Dataset, id: &str, filter: &Filter, group: GroupBy) -> IndicatorResult {
    let c = filter.compile(ds);
    let view = c.geo.view;
    // One figure per area and year: where sources disagree, the rule of `source_choice` picks
    // the one drawn (adding both would double the country).
    let all: Vec<_> = ds.observations.iter().filter(|o| o.indicator == id && c.year_passes(o.year)).collect();
    let obs = super::source_choice::chosen(&all);
    let def = find(ds, id);
    let unit = def
        .map(|d| d.unit)
        .or_else(|| obs.first().map(|o| o.unit))
        .unwrap_or(Unit::Count);
    let summable = def.map_or_else(|| unit.summable(), |d| d.is_summable());
    let mut warnings = Vec::new();
    if def.is_none() && obs.is_empty() && !ds.observations.iter().any(|o| o.indicator == id) {
        warnings.push(Warning::UnknownIndicator(id.to_string()));
    } else if obs.is_empty() {
        warnings.push(Warning::NoObservations);
    }
    if view != filter.view {
        warnings.push(Warning::ViewFallback {
            data: ds.meta.boundary,
        });
    }
    let mut used: Vec<&super::dataset::Observation> = Vec::new();
    let mut not_summable = false;

    // Per year: national, per region, per view province (only provinces passing the filter).
    let mut year_list: Vec<u16> = obs.iter().map(|o| o.year).collect();
    super::order::sort(&mut year_list);
    year_list.dedup();
    let n_view = registry().provinces(view).len();
    let region_filter = filter.region.filter(|_| filter.provinces.is_empty());
    let area_filter = c.has_area_filter();

    let mut total = ObsAcc::default();
    let mut by_year: Vec<(u16, ObsAcc)> = Vec::new();
    let mut by_region = vec![ObsAcc::default(); Region::ALL.len()];
    let mut region_direct = [false; 6];
    let mut by_prov = vec![ObsAcc::default(); n_view];
    for &y in &year_list {
        let year_obs: Vec<_> = obs.iter().copied().filter(|o| o.year == y).collect();
        let national: Vec<_> = year_obs
            .iter()
            .copied()
            .filter(|o| o.area == Area::National)
            .collect();
        let regional: Vec<_> = year_obs
            .iter()
            .copied()
            .filter(|o| matches!(o.area, Area::Region(r) if region_filter.is_none_or(|f| f == r)))
            .collect();
        let provincial: Vec<_> = year_obs
            .iter()
            .copied()
            .filter(|o| matches!(o.area, Area::Province(p) if c.province_passes(p)))
            .collect();
        // Groups.
        for o in &provincial {
            if let Area::Province(p) = o.area {
                let v = c.geo.view_of(p);
                if let Some(a) = by_prov.get_mut(v as usize) {
                    a.add(o.value);
                }
            }
        }
        for o in &regional {
            if let Area::Region(r) = o.area {
                if filter.provinces.is_empty() {
                    if let Some(a) = by_region.get_mut(r.index() as usize) {
                        a.add(o.value);
                        region_direct[r.index() as usize] = true;
                    }
                }
            }
        }
        // Year total.
        let mut yt = ObsAcc::default();
        let mut chosen: Vec<&super::dataset::Observation> = Vec::new();
        if !area_filter && !national.is_empty() {
            chosen = national;
        } else if region_filter.is_some() && !regional.is_empty() {
            chosen = regional;
        } else if !provincial.is_empty() && (summable || provincial.len() == 1) {
            chosen = provincial;
        } else if !area_filter && !regional.is_empty() && summable {
            chosen = regional;
        }
        for o in &chosen {
            yt.add(o.value);
        }
        used.extend(chosen.iter().copied());
        total.merge(&yt);
        by_year.push((y, yt));
    }
    // Regions without a published figure: the sum of their provinces, when summable.
    if summable && group == GroupBy::Region {
        for o in &obs {
            if let Area::Province(p) = o.area {
                let r = c.geo.region_of(p) as usize;
                if c.province_passes(p) && !region_direct.get(r).copied().unwrap_or(true) {
                    if let Some(a) = by_region.get_mut(r) {
                        a.add(o.value);
                    }
                }
            }
        }
    }
    let mut groups = Vec::new();
    match group {
        GroupBy::None => {}
        GroupBy::Province => {
            if view != ds.meta.boundary && !summable {
                not_summable = true;
            } else {
                for (q, a) in by_prov.iter().enumerate() {
                    if a.n > 0 {
                        groups.push((
                            GroupKey::Province(q as u8),
                            a.cell(summable, &mut not_summable),
                        ));
                    }
                }
                used.extend(
                    obs.iter()
                        .copied()
                        .filter(|o| matches!(o.area, Area::Province(p) if c.province_passes(p))),
                );
            }
        }
        GroupBy::Region => {
            for (r, a) in by_region.iter().enumerate() {
                if let (true, Some(reg)) = (a.n > 0, Region::from_index(r as u8)) {
                    groups.push((GroupKey::Region(reg), a.cell(summable, &mut not_summable)));
                }
            }
            used.extend(
                obs.iter()
                    .copied()
                    .filter(|o| matches!(o.area, Area::Region(_) | Area::Province(_))),
            );
        }
        GroupBy::Year => {
            for (y, a) in &by_year {
                if a.n > 0 {
                    groups.push((GroupKey::Year(*y), a.cell(summable, &mut not_summable)));
                }
            }
        }
        GroupBy::Kind => warnings.push(Warning::GroupNotAvailable(GroupBy::Kind)),
    }
    let total_cell = if year_list.len() > 1 && !summable {
        not_summable = true;
        Cell {
            value: None,
            n: total.n,
            num: total.sum,
            den: total.n as f64,
        }
    } else {
        let mut dummy = false;
        let cell = total.cell(summable, &mut dummy);
        not_summable |= dummy;
        cell
    };
    if not_summable {
        warnings.push(Warning::NotSummable);
    }
    let mut sources: Vec<String> = Vec::new();
    let mut publishers: Vec<Text> = Vec::new();
    for o in used {
        let s = match &o.confidence {
            Some(conf) => format!("{} (confidence: {conf})", o.source),
            None => o.source.clone(),
        };
        if !sources.contains(&s) {
            sources.push(s);
        }
        let p = o.publisher.clone().unwrap_or_else(|| Text::new(&o.source, &o.source));
        if !publishers.contains(&p) {
            publishers.push(p);
        }
    }
    IndicatorResult {
        id: id.to_string(),
        unit,
        view,
        total: total_cell,
        groups,
        warnings,
        sources,
        publishers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::columns::Row;
    use crate::engine::dataset::Observation;
    use crate::engine::parse::{parse_dataset_str, Limits};
    use crate::engine::vocab::Sector;

    fn idx(b: Boundary, code: &str) -> u8 {
        registry().index_of(b, code).unwrap_or(NONE)
    }

    fn small() -> Dataset {
        let mut d = Dataset::default();
        let mk =
            |id: &str, code: &str, kind: Kind| Row::new(id, idx(Boundary::P63, code), 2024, kind);
        let mut a = mk("a", "19", Kind::Htx);
        a.members = Some(10);
        a.workers = Some(10);
        a.income = Some(5_000_000.0);
        a.high_tech = Some(true);
        a.ocop_star = Some(4);
        a.stage = Some(Stage::Output);
        let mut b = mk("b", "06", Kind::Htx);
        b.members = Some(30);
        b.workers = Some(30);
        b.income = Some(9_000_000.0);
        b.high_tech = Some(false);
        b.stage = Some(Stage::Input);
        let mut c = mk("c", "06", Kind::Htx);
        c.members = Some(20);
        let mut t = mk("t", "01", Kind::Tht);
        t.workers = Some(5);
        t.value_chain = Some(true);
        let mut dn = mk("dn", "01", Kind::Dn);
        dn.ocop_star = Some(5);
        dn.ocop_5star = Some(2);
        for r in [a, b, c, t, dn] {
            d.entities.push(&r);
        }
        d
    }

    fn total(id: &str, d: &Dataset) -> Cell {
        compute(
            d,
            builtin(id).expect("builtin"),
            &Filter::default(),
            GroupBy::None,
        )
        .total
    }

    #[test]
    fn builtin_values_on_a_small_dataset() {
        let d = small();
        let cases: &[(&str, Option<f64>, u32)] = &[
            ("htx_count", Some(3.0), 3),
            ("tht_count", Some(1.0), 1),
            ("workers", Some(45.0), 3),
            // (5M×10 + 9M×30) / 40 = 8M; the THT has workers but no income: left out.
            ("income_avg", Some(8_000_000.0), 2),
            ("members_per_htx", Some(20.0), 3),
            ("members_per_htx_median", Some(20.0), 3),
            ("htx_high_tech", Some(1.0), 1),
            ("htx_high_tech_share", Some(0.5), 2),
            ("value_chain_units", Some(1.0), 1),
            ("value_chain_share", Some(1.0), 1),
            ("ocop_subjects", Some(2.0), 2),
            ("ocop_5star_products", Some(2.0), 1),
            ("ocop_share_htx", Some(0.5), 2),
            ("ocop_share_dn", Some(0.5), 2),
            ("htx_output_share", Some(0.5), 2),
            ("htx_trademark_share", None, 0),
        ];
        for &(id, value, n) in cases {
            let c = total(id, &d);
            assert_eq!((c.value, c.n), (value, n), "{id}");
        }
        let r = compute(
            &d,
            builtin("income_avg").expect("b"),
            &Filter::default(),
            GroupBy::None,
        );
        assert_eq!(
            r.warnings,
            vec![Warning::MissingLeftOut {
                what: "income/workers".into(),
                count: 2
            }]
        );
        assert_eq!(
            r.warnings[0].message(Lang::En),
            "2 records without income or workers were left out"
        );
        // Field codes are worded in each language (issue 15: no field id in Vietnamese text).
        assert_eq!(
            r.warnings[0].message(Lang::Vi),
            "2 bản ghi thiếu thu nhập hoặc số lao động đã bị loại khỏi phép tính"
        );
    }

    #[test]
    fn ids_are_unique_and_stable() {
        let ids: Vec<&str> = builtins().iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids.len(), 20);
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
        for d in builtins() {
            assert!(!d.label.vi.is_empty() && !d.label.en.is_empty(), "{}", d.id);
            assert!(
                d.description.is_some() && d.definition.is_some(),
                "{}",
                d.id
            );
        }
    }

    fn synth(rows: usize, seed: u64) -> Dataset {
        let text = crate::synth::scale::generate(rows, seed);
        parse_dataset_str(&text, &Limits::default())
            .expect("generated data parses")
            .dataset
    }

    fn filters() -> Vec<Filter> {
        vec![
            Filter::default(),
            Filter {
                years: Some((2022, 2023)),
                ..Filter::default()
            },
            Filter {
                region: Some(Region::Dbscl),
                view: Boundary::P34,
                ..Filter::default()
            },
            Filter {
                rows: Subset { kinds: vec![Kind::Htx], sectors: vec![Sector::Nn], ..Subset::default() },
                ..Filter::default()
            },
            Filter {
                rows: Subset { high_tech: Some(true), ocop_star_min: Some(3), ..Subset::default() },
                ..Filter::default()
            },
        ]
    }

    /// compute_all's fused pass equals the generic computation, value by value.
    #[test]
    fn fused_pass_equals_generic() {
        for seed in [11, 12, 13] {
            let d = synth(3000, seed);
            for f in filters() {
                let fused = compute_all(&d, &f);
                assert_eq!(fused.len(), builtins().len());
                for (r, def) in fused.iter().zip(builtins()) {
                    let g = compute(&d, def, &f, GroupBy::None);
                    assert_eq!(r.id, g.id);
                    assert_eq!(r.total.n, g.total.n, "{} {f:?}", def.id);
                    assert!(
                        (r.total.num - g.total.num).abs() <= 1e-6 * g.total.num.abs().max(1.0),
                        "{} num",
                        def.id
                    );
                    assert!(
                        (r.total.den - g.total.den).abs() <= 1e-6 * g.total.den.abs().max(1.0),
                        "{} den",
                        def.id
                    );
                    match (r.total.value, g.total.value) {
                        (Some(a), Some(b)) => assert!(
                            (a - b).abs() <= 1e-6 * b.abs().max(1.0),
                            "{} {a} {b}",
                            def.id
                        ),
                        (a, b) => assert_eq!(a, b, "{}", def.id),
                    }
                    assert_eq!(r.warnings, g.warnings, "{}", def.id);
                }
            }
        }
    }

    /// Grouped parts add up to the total, for every built-in and every grouping; shares stay in 0..1.
    #[test]
    fn groups_add_up_to_the_total() {
        let d = synth(2000, 5);
        for f in filters() {
            for def in builtins() {
                for g in [
                    GroupBy::Province,
                    GroupBy::Region,
                    GroupBy::Year,
                    GroupBy::Kind,
                ] {
                    let r = compute(&d, def, &f, g);
                    let n: u32 = r.groups.iter().map(|x| x.1.n).sum();
                    let num: f64 = r.groups.iter().map(|x| x.1.num).sum();
                    let den: f64 = r.groups.iter().map(|x| x.1.den).sum();
                    assert_eq!(n, r.total.n, "{} {g:?}", def.id);
                    assert!(
                        (num - r.total.num).abs() <= 1e-6 * num.abs().max(1.0),
                        "{} {g:?}",
                        def.id
                    );
                    assert!(
                        (den - r.total.den).abs() <= 1e-6 * den.abs().max(1.0),
                        "{} {g:?}",
                        def.id
                    );
                    if def.unit == Unit::Share {
                        for (_, c) in r
                            .groups
                            .iter()
                            .chain(std::iter::once(&(GroupKey::Year(0), r.total)))
                        {
                            if let Some(v) = c.value {
                                assert!((0.0..=1.0).contains(&v), "{} {v}", def.id);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Regrouping 63 → 34 keeps counts and sums and recomputes ratios from parts, and equals a
    /// direct computation in the 34 view.
    #[test]
    fn regroup_63_to_34_preserves_totals() {
        for seed in [9, 10, 21] {
            let d = synth(2000, seed);
            for def in builtins().iter().filter(|d| d.measure != Measure::Median) {
                let r63 = compute(&d, def, &Filter::default(), GroupBy::Province);
                let r34 = regroup_to_34(&r63, def.measure);
                let direct = compute(
                    &d,
                    def,
                    &Filter {
                        view: Boundary::P34,
                        ..Filter::default()
                    },
                    GroupBy::Province,
                );
                assert_eq!(r34.groups.len(), direct.groups.len(), "{}", def.id);
                for ((ka, a), (kb, b)) in r34.groups.iter().zip(&direct.groups) {
                    assert_eq!(ka, kb);
                    assert_eq!(a.n, b.n, "{}", def.id);
                    assert!((a.num - b.num).abs() <= 1e-6 * b.num.abs().max(1.0));
                    match (a.value, b.value) {
                        (Some(x), Some(y)) => assert!(
                            (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                            "{} {x} {y}",
                            def.id
                        ),
                        (x, y) => assert_eq!(x, y),
                    }
                }
                let s63: f64 = r63.groups.iter().map(|g| g.1.num).sum();
                let s34: f64 = r34.groups.iter().map(|g| g.1.num).sum();
                assert!((s63 - s34).abs() <= 1e-6 * s63.abs().max(1.0));
            }
        }
    }

    #[test]
    fn all_pass_filter_changes_nothing() {
        let d = synth(500, 3);
        let everything = Filter {
            years: Some((1990, 2100)),
            ..Filter::default()
        };
        for def in builtins() {
            let a = compute(&d, def, &Filter::default(), GroupBy::None);
            let b = compute(&d, def, &everything, GroupBy::None);
            assert_eq!(a.total.n, b.total.n, "{}", def.id);
            assert_eq!(a.total.value, b.total.value, "{}", def.id);
        }
        assert_eq!(Filter::default().mask(&d).count(), d.entities.len());
    }

    #[test]
    fn file_defined_indicator() {
        let d = small();
        let def = IndicatorDef {
            id: "htx_ht_members".into(),
            label: Text::new("x", "x"),
            description: None,
            measure: Measure::Sum,
            field: Some(NumField::Members),
            weight: None,
            of: Subset {
                high_tech: Some(true),
                ..Subset::kinds(&[Kind::Htx])
            },
            where_: Subset::default(),
            unit: Unit::Persons,
            source: None,
            observed: false,
            summable: None,
            definition: None,
        };
        let r = compute(&d, &def, &Filter::default(), GroupBy::Province);
        assert_eq!(r.total.value, Some(10.0));
        // Thái Nguyên has the one matching row; Bắc Kạn and Hà Nội are in the file with no
        // matching row, so their sum is 0 (issue 15: zero is zero), with no records behind it.
        let zero = Cell { value: Some(0.0), n: 0, num: 0.0, den: 0.0 };
        let mut want = vec![
            (
                GroupKey::Province(idx(Boundary::P63, "19")),
                Cell {
                    value: Some(10.0),
                    n: 1,
                    num: 10.0,
                    den: 1.0
                },
            ),
            (GroupKey::Province(idx(Boundary::P63, "06")), zero),
            (GroupKey::Province(idx(Boundary::P63, "01")), zero),
        ];
        want.sort_by_key(|(k, _)| *k);
        assert_eq!(r.groups, want);
    }

    #[test]
    fn zero_is_a_figure_where_the_dataset_looked() {
        let mut d = small();
        // Hồ Chí Minh City only in 2023: in 2024 the file did not look there.
        d.entities.push(&Row::new("h", idx(Boundary::P63, "79"), 2023, Kind::Htx));
        let qtdnd = builtin("qtdnd_count").expect("built-in");
        let y2024 = Filter { years: Some((2024, 2024)), ..Filter::default() };
        let r = compute(&d, qtdnd, &y2024, GroupBy::Province);
        let got: Vec<(u8, Option<f64>)> = r
            .groups
            .iter()
            .filter_map(|(k, c)| match k {
                GroupKey::Province(p) => Some((*p, c.value)),
                _ => None,
            })
            .collect();
        let mut want: Vec<(u8, Option<f64>)> =
            ["19", "06", "01"].iter().map(|c| (idx(Boundary::P63, c), Some(0.0))).collect();
        want.sort_by_key(|(p, _)| *p);
        assert_eq!(got, want, "0 where the file has rows in 2024, nothing for Hồ Chí Minh City");
        // The kind filter narrows what is counted, not where: HTX in Hà Nội (only a THT and a
        // DN there) is 0, not unknown.
        let htx = builtin("htx_count").expect("built-in");
        let only_htx = Filter { rows: Subset::kinds(&[Kind::Htx]), ..y2024.clone() };
        let r = compute(&d, htx, &only_htx, GroupBy::Province);
        let hn = r.groups.iter().find(|(k, _)| *k == GroupKey::Province(idx(Boundary::P63, "01")));
        assert_eq!(hn.map(|(_, c)| c.value), Some(Some(0.0)));
        // An area filter still bounds the groups: Hà Nội alone has one group.
        let hn_only = Filter { provinces: vec![idx(Boundary::P63, "01")], ..y2024.clone() };
        assert_eq!(compute(&d, qtdnd, &hn_only, GroupBy::Province).groups.len(), 1);
        // By region and by year the same holds; 2023 is measured (Hồ Chí Minh City).
        let by_region = compute(&d, qtdnd, &Filter::default(), GroupBy::Region);
        assert!(by_region.groups.iter().all(|(_, c)| c.value == Some(0.0)));
        assert_eq!(by_region.groups.len(), 3, "the northern uplands, the Red River Delta, the south-east");
        let by_year = compute(&d, qtdnd, &Filter::default(), GroupBy::Year);
        assert_eq!(
            by_year.groups.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            vec![GroupKey::Year(2023), GroupKey::Year(2024)]
        );
        // A mean of nothing is still unknown: no zero is invented for it.
        let income = builtin("income_avg").expect("built-in");
        let r = compute(&d, income, &y2024, GroupBy::Province);
        assert!(r.groups.iter().all(|(_, c)| c.value != Some(0.0)), "{:?}", r.groups);
    }

    #[test]
    fn observations_are_summed_where_summable() {
        let mut d = Dataset::default();
        let ob = |area: Area, value: f64, unit: Unit, ind: &str| Observation {
            area,
            year: 2022,
            as_of: None,
            indicator: ind.into(),
            value,
            unit,
            source: "GSO".into(),
            publisher: None,
            confidence: Some("high".into()),
            note: None,
            authority: None,
            published: None,
        };
        d.observations = vec![
            ob(Area::National, 1000.0, Unit::Count, "htx_active"),
            ob(
                Area::Province(idx(Boundary::P63, "19")),
                100.0,
                Unit::Count,
                "htx_active",
            ),
            ob(
                Area::Province(idx(Boundary::P63, "06")),
                50.0,
                Unit::Count,
                "htx_active",
            ),
            ob(Area::Region(Region::Dbsh), 300.0, Unit::Count, "htx_active"),
            ob(
                Area::Province(idx(Boundary::P63, "19")),
                0.4,
                Unit::Share,
                "htx_share_x",
            ),
            ob(
                Area::Province(idx(Boundary::P63, "06")),
                0.6,
                Unit::Share,
                "htx_share_x",
            ),
        ];
        let r = observed(&d, "htx_active", &Filter::default(), GroupBy::None);
        assert_eq!(r.total.value, Some(1000.0));
        assert_eq!(r.sources, vec!["GSO (confidence: high)".to_string()]);
        let v34 = Filter {
            view: Boundary::P34,
            ..Filter::default()
        };
        let r = observed(&d, "htx_active", &v34, GroupBy::Province);
        assert_eq!(
            r.groups,
            vec![(
                GroupKey::Province(idx(Boundary::P34, "19")),
                Cell {
                    value: Some(150.0),
                    n: 2,
                    num: 150.0,
                    den: 2.0
                }
            )]
        );
        let r = observed(&d, "htx_active", &Filter::default(), GroupBy::Region);
        let regions: Vec<(GroupKey, Option<f64>)> =
            r.groups.iter().map(|(k, c)| (*k, c.value)).collect();
        assert_eq!(
            regions,
            vec![
                (GroupKey::Region(Region::Tdmnpb), Some(150.0)),
                (GroupKey::Region(Region::Dbsh), Some(300.0))
            ]
        );
        let tn = Filter {
            provinces: vec![idx(Boundary::P63, "19")],
            ..Filter::default()
        };
        assert_eq!(
            observed(&d, "htx_active", &tn, GroupBy::None).total.value,
            Some(100.0)
        );
        // Shares are not added up when provinces merge.
        let r = observed(&d, "htx_share_x", &v34, GroupBy::Province);
        assert!(r.groups.is_empty());
        assert!(r.warnings.contains(&Warning::NotSummable));
        let r = observed(&d, "nothing_here", &Filter::default(), GroupBy::None);
        assert_eq!(
            r.warnings,
            vec![Warning::UnknownIndicator("nothing_here".into())]
        );
        assert_eq!(years(&d), vec![2022]);
    }

    /// 6,000 generated rows (every field, ~5 % missing values) plus rows without a kind and rows
    /// without a province, clustered: what the partial sums are compared on.
    fn summed_table() -> Dataset {
        let text = crate::synth::scale::generate(6_000, 7);
        let mut ds = parse_dataset_str(&text, &Limits::default()).expect("generated data parses").dataset;
        let mut extra = Vec::new();
        for i in 0..40u32 {
            let mut r = Row::new(&format!("x{i}"), idx(Boundary::P63, ["19", "06", "01"][i as usize % 3]), 2023 + (i % 2) as u16, Kind::Htx);
            r.kind = None;
            r.ocop_star = Some(3 + (i % 3) as u8);
            r.workers = Some(i);
            r.members = Some(i * 2);
            if i % 4 == 0 {
                r.province = NONE;
            }
            extra.push(r);
        }
        for r in &extra {
            ds.entities.push(r);
        }
        ds.entities.cluster();
        assert!(ds.entities.sums().is_some(), "a clustered table has partial sums");
        ds
    }

    /// Results equal up to the rounding of a sum taken in another order (only a weighted mean's
    /// Σ income × workers is not a sum of integers).
    fn assert_same(a: &IndicatorResult, b: &IndicatorResult, what: &str) {
        let close = |x: f64, y: f64| x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs());
        let same_cell = |x: &Cell, y: &Cell| {
            x.n == y.n
                && close(x.num, y.num)
                && close(x.den, y.den)
                && match (x.value, y.value) {
                    (Some(p), Some(q)) => close(p, q),
                    (p, q) => p == q,
                }
        };
        assert!(same_cell(&a.total, &b.total), "{what}: total {:?} vs {:?}", a.total, b.total);
        assert_eq!(a.groups.len(), b.groups.len(), "{what}: groups {:?} vs {:?}", a.groups, b.groups);
        for ((ka, ca), (kb, cb)) in a.groups.iter().zip(&b.groups) {
            assert_eq!(ka, kb, "{what}");
            assert!(same_cell(ca, cb), "{what}: group {ka:?} {ca:?} vs {cb:?}");
        }
        assert_eq!(a.warnings, b.warnings, "{what}");
        assert_eq!((a.id.as_str(), a.unit, a.view), (b.id.as_str(), b.unit, b.view), "{what}");
    }

    /// Filters that fall on the buckets' keys (years, kinds, provinces, region, the 34 view) and
    /// two that do not (sector, a flag), which must read rows.
    fn summed_filters() -> Vec<(&'static str, Filter)> {
        let p = |c: &str| idx(Boundary::P63, c);
        vec![
            ("everything", Filter::default()),
            ("2024", Filter { years: Some((2024, 2024)), ..Filter::default() }),
            ("2020–2023", Filter { years: Some((2020, 2023)), ..Filter::default() }),
            ("htx 2024", Filter { years: Some((2024, 2024)), rows: Subset::kinds(&[Kind::Htx]), ..Filter::default() }),
            ("tht+dn", Filter { rows: Subset::kinds(&[Kind::Tht, Kind::Dn]), ..Filter::default() }),
            ("3 provinces 2023", Filter { years: Some((2023, 2023)), provinces: vec![p("19"), p("06"), p("01")], ..Filter::default() }),
            ("region", Filter { region: Some(Region::ALL[2]), ..Filter::default() }),
            ("34 view, 2 provinces", Filter {
                view: Boundary::P34,
                provinces: vec![idx(Boundary::P34, "19"), idx(Boundary::P34, "01")],
                ..Filter::default()
            }),
            ("34 view, region, htx", Filter { view: Boundary::P34, region: Some(Region::ALL[1]), rows: Subset::kinds(&[Kind::Htx]), ..Filter::default() }),
            ("sector (rows)", Filter { rows: Subset { sectors: vec![Sector::Nn], ..Subset::default() }, ..Filter::default() }),
            ("high tech (rows)", Filter { years: Some((2024, 2024)), rows: Subset { high_tech: Some(true), ..Subset::default() }, ..Filter::default() }),
        ]
    }

    #[test]
    fn partial_sums_give_every_builtin_the_row_by_row_result() {
        let ds = summed_table();
        let defs: Vec<&IndicatorDef> = builtins().iter().collect();
        let mut summed = 0;
        for (name, f) in summed_filters() {
            for group in [GroupBy::None, GroupBy::Province, GroupBy::Region, GroupBy::Year, GroupBy::Kind] {
                let rows = compute_many_with(&ds, &defs, &f, group, false);
                let sums = compute_many_with(&ds, &defs, &f, group, true);
                assert_eq!(rows.len(), defs.len());
                for (a, b) in rows.iter().zip(&sums) {
                    assert_same(a, b, &format!("{} / {name} / {group:?}", a.id));
                }
                // One at a time, as the map and the table ask.
                for d in &defs {
                    let one = compute_many_with(&ds, &[d], &f, group, true);
                    let a = rows.iter().find(|r| r.id == d.id).expect("computed");
                    assert_same(a, &one[0], &format!("{} alone / {name} / {group:?}", d.id));
                }
                summed += 1;
            }
            // The fused totals, both ways, and against the generic ones.
            let all_rows = compute_all_with(&ds, &f, false);
            let all_sums = compute_all_with(&ds, &f, true);
            for ((a, b), c) in all_rows.iter().zip(&all_sums).zip(compute_many_with(&ds, &defs, &f, GroupBy::None, false)) {
                assert_same(a, b, &format!("compute_all {} / {name}", a.id));
                assert_same(a, &c, &format!("compute_all vs compute {} / {name}", a.id));
            }
        }
        assert!(summed > 0);
        // The test data reaches every accumulator: no built-in is zero over everything.
        for r in compute_all(&ds, &Filter::default()) {
            assert!(r.total.n > 0, "{} has rows in the test table", r.id);
        }
    }

    #[test]
    fn bucket_exact_filters_use_the_sums_and_others_read_rows() {
        let ds = summed_table();
        let compiled = |f: &Filter| f.compile(&ds);
        for (name, f) in summed_filters() {
            let exact = compiled(&f).bucket_exact();
            assert_eq!(exact, !name.ends_with("(rows)"), "{name}");
        }
        // A mutation drops the sums with the index: they are rebuilt for the new rows.
        let mut ds = ds;
        let before = compute_id(&ds, "htx_count", &Filter::default(), GroupBy::None).total.n;
        let r = Row::new("late", idx(Boundary::P63, "19"), 2024, Kind::Htx);
        ds.entities.push(&r);
        ds.entities.cluster();
        assert_eq!(compute_id(&ds, "htx_count", &Filter::default(), GroupBy::None).total.n, before + 1);
        assert_eq!(ds.entities.sums().map(|s| s.rows()), Some(ds.entities.len()));
    }

    #[test]
    fn sums_built_in_slices_equal_sums_built_at_once() {
        let ds = summed_table();
        let whole = crate::engine::sums::PartialSums::build(&ds.entities).expect("sums");
        for budget in [1, 7, 100, 2_500] {
            let mut b = crate::engine::sums::Builder::new(&ds.entities).expect("indexed");
            let mut steps = 0;
            while !b.step(&ds.entities, budget) {
                steps += 1;
                assert!(b.rows_done() <= steps * budget, "a step adds at most its budget");
            }
            assert_eq!(b.rows_done(), ds.entities.len());
            let sliced = b.finish(&ds.entities).expect("finished");
            assert_eq!(sliced, whole, "budget {budget}");
        }
        // Installed sums are the ones used; sums of another table are refused.
        let fresh = summed_table();
        let mut small = summed_table();
        small.entities.push(&Row::new("y", idx(Boundary::P63, "19"), 2024, Kind::Htx));
        small.entities.cluster();
        fresh.entities.set_sums(crate::engine::sums::PartialSums::build(&small.entities).expect("sums"));
        assert_eq!(fresh.entities.sums(), Some(&whole));
    }

    #[test]
    fn median_of_even_and_odd() {
        let cases: &[(&[f64], Option<f64>)] = &[
            (&[], None),
            (&[3.0], Some(3.0)),
            (&[4.0, 1.0], Some(2.5)),
            (&[5.0, 1.0, 3.0], Some(3.0)),
        ];
        for (vals, want) in cases {
            let mut v = vals.to_vec();
            assert_eq!(median(&mut v), *want);
        }
    }
}
