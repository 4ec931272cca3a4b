//! The bundled **illustrative** dataset "Kinh tế tập thể vùng đồng bào DTTS & miền núi — 28 tỉnh"
//! (`meta.id = "dtts-mn-minh-hoa"`), one dataset document per year 2019–2024.
//!
//! Why it exists: the only source for the collective economy of the ethnic-minority and mountainous
//! (DTTS & MN) area is a news article on a 2024 conference in Thái Nguyên (see
//! `/work/shared/seed/*.txt`): about 3,000 cooperatives, nearly 5,000 cooperative groups, 19 credit
//! funds, over 150,000 workers earning 3–4 million VND a month, ~600 high-tech cooperatives, ~500
//! value-chain units, >900 cooperatives in new-rural communes, ~4,700 OCOP subjects rated 3 stars or
//! more (38.3% cooperatives, 26.1% enterprises, 33.3% households, rest groups) and 12 five-star
//! products. No unit-level data is published, so the app ships *generated* records whose 2024
//! totals reproduce those figures exactly, so that every screen can be shown and tested on data of a
//! realistic shape. Every file says `illustrative: true`; the app labels every view with it.
//!
//! How the totals hold by construction rather than by luck: the 2024 counts of each kind are
//! allocated to provinces by largest remainder, the flagged units (high tech, value chain, NTM,
//! OCOP, five stars) are drawn as exact-size weighted samples, and the 2024 workforce is scaled and
//! then corrected by ±1 to an exact total. Earlier years are derived from the same units (ids are
//! kept; a few units dissolve), each flag carrying the year it was first reached.
//!
//! Determinism: one hand-written splitmix64 generator per stream with fixed seeds, integer or
//! basic IEEE arithmetic only (no `ln`/`exp`, whose last bit may differ between libm builds), no
//! hash-map iteration. `cargo run --release --bin gen-data` rewrites `public/data/dtts-mn/*.json`
//! and `tests/bundled_data.rs` checks the shipped files are byte-identical to a fresh generation.

use crate::engine::vocab::{Kind, Lang, Ntm, Region, Sector, Stage};

/// The dataset id written in `meta.id`, used in shared links (`?d=dtts-mn-minh-hoa`).
pub const DATASET_ID: &str = "dtts-mn-minh-hoa";

/// The years the dataset covers, one file each; the last one carries the article's figures.
pub const YEARS: [u16; 6] = [2019, 2020, 2021, 2022, 2023, 2024];

/// The year whose totals reproduce the article (the conference discussed "năm 2024").
pub const LATEST_YEAR: u16 = 2024;

/// Vietnamese title: says "minh họa" so that no one mistakes it for official statistics.
pub const TITLE_VI: &str =
    "Kinh tế tập thể vùng đồng bào DTTS & miền núi — 28 tỉnh (dữ liệu minh họa)";

/// English title, same warning.
pub const TITLE_EN: &str =
    "Collective economy of ethnic-minority & mountainous areas — 28 provinces (illustrative data)";

/// The exact 2024 totals the generator enforces, chosen inside the ranges the article's rounded
/// words allow ("khoảng 3.000", "gần 5.000", "trên 150.000"…). Kept public so tests and docs quote
/// the same numbers the generator uses.
pub mod targets {
    /// Cooperatives (HTX) in 2024: "khoảng 3.000".
    pub const HTX: u32 = 3_000;
    /// Cooperative groups (THT): "gần 5.000".
    pub const THT: u32 = 4_950;
    /// People's credit funds (QTDND): "19".
    pub const QTDND: u32 = 19;
    /// Unions of cooperatives (not in the article; a handful makes the kind visible).
    pub const LHHTX: u32 = 5;
    /// Workers of HTX, THT, QTDND and unions: "trên 150.000".
    pub const WORKERS: u32 = 152_480;
    /// Cooperatives applying high technology: "khoảng 600".
    pub const HIGH_TECH: u32 = 600;
    /// Collective units producing along a value chain: "gần 500". Split below by kind.
    pub const VALUE_CHAIN_HTX: u32 = 430;
    /// Cooperative groups in a value chain.
    pub const VALUE_CHAIN_THT: u32 = 50;
    /// Cooperatives in communes meeting an NTM standard: "hơn 900".
    pub const HTX_NTM: u32 = 925;
    /// OCOP subjects (3 stars or more) that are cooperatives: 38.3% of 4,650.
    pub const OCOP_HTX: u32 = 1_781;
    /// OCOP subjects that are enterprises: 26.1% of 4,650.
    pub const OCOP_DN: u32 = 1_214;
    /// OCOP subjects that are household businesses: 33.3% of 4,650.
    pub const OCOP_HKD: u32 = 1_548;
    /// OCOP subjects that are cooperative groups: the rest (2.3%).
    pub const OCOP_THT: u32 = 107;
    /// Products rated 5 stars: "12 sản phẩm".
    pub const FIVE_STAR: u32 = 12;
}

/// One province of the illustrative scope, with the official figure used as its size weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScopeProvince {
    /// GSO code of the 63-province version (the dataset uses `boundary: 63`).
    pub code: &'static str,
    /// Name with diacritics, for the description and docs.
    pub name: &'static str,
    /// GSO region: sets the share of the province that is ethnic-minority/mountainous and the
    /// income level.
    pub region: Region,
    /// GSO: cooperatives active with business results, 31/12/2022
    /// (`gso_htx_active_by_province_2022.csv`): larger provinces get more units.
    pub gso_htx_2022: u32,
    /// GSO: workers of those cooperatives, 2022: the weight for cooperative groups.
    pub gso_workers_2022: u32,
}

macro_rules! scope {
    ($( ($c:literal, $n:literal, $r:ident, $h:literal, $w:literal) ),+ $(,)?) => {
        [ $( ScopeProvince { code: $c, name: $n, region: Region::$r, gso_htx_2022: $h, gso_workers_2022: $w } ),+ ]
    };
}

/// The 28 provinces: the 31 of Thông tư 02/2022/TT-UBDT Điều 53 (provinces with ethnic groups
/// facing particular difficulties) minus [`EXCLUDED`]. The article does not say which 28 took
/// part; this is an illustrative choice from a published policy list, documented in docs/data.md.
pub const SCOPE: [ScopeProvince; 28] = scope![
    ("02", "Hà Giang", Tdmnpb, 381, 3529),
    ("04", "Cao Bằng", Tdmnpb, 188, 1248),
    ("06", "Bắc Kạn", Tdmnpb, 158, 1014),
    ("08", "Tuyên Quang", Tdmnpb, 276, 1761),
    ("10", "Lào Cai", Tdmnpb, 136, 708),
    ("15", "Yên Bái", Tdmnpb, 202, 1989),
    ("19", "Thái Nguyên", Tdmnpb, 262, 2104),
    ("20", "Lạng Sơn", Tdmnpb, 141, 942),
    ("11", "Điện Biên", Tdmnpb, 93, 930),
    ("12", "Lai Châu", Tdmnpb, 136, 763),
    ("14", "Sơn La", Tdmnpb, 267, 1919),
    ("17", "Hoà Bình", Tdmnpb, 181, 1072),
    ("38", "Thanh Hóa", Btb, 746, 7829),
    ("40", "Nghệ An", Btb, 579, 4695),
    ("42", "Hà Tĩnh", Btb, 672, 6419),
    ("44", "Quảng Bình", Btb, 258, 2240),
    ("45", "Quảng Trị", Btb, 297, 1857),
    ("46", "Huế", Btb, 235, 2400),
    ("49", "Quảng Nam", Btb, 373, 2815),
    ("51", "Quảng Ngãi", Btb, 228, 1477),
    ("52", "Bình Định", Btb, 203, 2026),
    ("56", "Khánh Hòa", Btb, 96, 2869),
    ("58", "Ninh Thuận", Btb, 70, 378),
    ("62", "Kon Tum", Tn, 93, 801),
    ("64", "Gia Lai", Tn, 162, 1236),
    ("66", "Đắk Lắk", Tn, 253, 1502),
    ("67", "Đắk Nông", Tn, 89, 548),
    ("89", "An Giang", Dbscl, 194, 2375),
];

/// The three provinces of the TT 02/2022 list left out to reach 28: those that have neither a
/// poor district (QĐ 353/2022) nor a very small ethnic group (QĐ 2086/2016). Thái Nguyên meets the
/// same rule but hosted the conference, so it stays.
pub const EXCLUDED: [(&str, &str); 3] = [("25", "Phú Thọ"), ("54", "Phú Yên"), ("70", "Bình Phước")];

/// Share (per mille) of a province's collective economy that lies in the DTTS & MN area: the
/// northern mountain provinces are mountainous throughout; central-coast and Mekong provinces only
/// in their western or border districts. Without it Thanh Hóa alone would outweigh six
/// mountain provinces.
fn ethnic_share_permille(r: Region) -> u64 {
    match r {
        Region::Tdmnpb => 1000,
        Region::Tn => 800,
        Region::Btb => 330,
        Region::Dbscl => 200,
        Region::Dbsh | Region::Dnb => 300,
    }
}

// ---------------------------------------------------------------------------------------------
// Pseudo-random numbers

/// splitmix64 (Steele, Lea & Flood 2014): tiny, well mixed, and fully specified, so the output does
/// not depend on a crate's version.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn new(stream: u64) -> Rng {
        Rng(0x00C0_0A71_A5D7_7500 ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform integer in `lo..=hi` (tiny modulo bias is irrelevant here).
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % u64::from(hi - lo + 1)) as u32
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Fisher–Yates shuffle.
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// A stable per-unit, per-year stream, so a unit's yearly noise does not depend on how many other
/// units were generated before it.
fn unit_rng(unit_seed: u64, year: u16) -> Rng {
    Rng::new(unit_seed ^ (u64::from(year) << 48) ^ 0x5EED)
}

/// Splits `total` in proportion to `weights` with the largest-remainder (Hamilton) method, so the
/// parts add up to `total` exactly. Ties go to the lower index, for determinism.
fn largest_remainder(total: u32, weights: &[u64]) -> Vec<u32> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let t = u64::from(total);
    let mut parts: Vec<u32> = weights.iter().map(|w| (w * t / sum) as u32).collect();
    let given: u32 = parts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = weights[a] * t % sum;
        let rb = weights[b] * t % sum;
        rb.cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take((total - given) as usize) {
        parts[i] += 1;
    }
    parts
}

/// Picks exactly `n` of `candidates` (or all, if fewer), favouring larger `weight`s: each gets the
/// key `weight × u` and the `n` largest keys win. Not an exact probability-proportional sample, but
/// exact in size, which is what the totals need.
fn pick(rng: &mut Rng, candidates: &[usize], n: u32, weight: impl Fn(usize) -> f64) -> Vec<usize> {
    let mut keyed: Vec<(f64, usize)> = candidates.iter().map(|&i| (weight(i) * rng.unit(), i)).collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<usize> = keyed.into_iter().take(n as usize).map(|(_, i)| i).collect();
    out.sort_unstable();
    out
}

// ---------------------------------------------------------------------------------------------
// The population

#[derive(Clone, Debug)]
struct Ocop {
    /// First year rated 3 stars or more.
    since: u16,
    star: u8,
    products: u8,
    five: u8,
    five_since: u16,
}

/// One unit over its whole life. Numeric values are those of its reference year (2024, or its last
/// year before dissolving); other years are derived in [`Unit::snapshot`].
#[derive(Clone, Debug)]
struct Unit {
    kind: Kind,
    province: usize,
    id: String,
    seed: u64,
    founded: u16,
    /// First year the unit no longer exists.
    dissolved: Option<u16>,
    sector: Sector,
    stage: Option<Stage>,
    members: u32,
    workers: u32,
    /// VND per month.
    income: u32,
    /// Million VND per year.
    revenue: u32,
    /// Per-mille yearly growth of workers and members (backwards: earlier years are smaller).
    growth: u32,
    high_tech: Option<u16>,
    value_chain: Option<u16>,
    ntm: Option<(Ntm, u16)>,
    ocop: Option<Ocop>,
    trademark: Option<u16>,
}

impl Unit {
    fn exists_in(&self, y: u16) -> bool {
        self.founded <= y && self.dissolved.is_none_or(|d| y < d)
    }

    fn reference_year(&self) -> u16 {
        self.dissolved.map_or(LATEST_YEAR, |d| d - 1)
    }

    fn alive_2024(&self) -> bool {
        self.dissolved.is_none() && self.founded <= LATEST_YEAR
    }

    fn collective(&self) -> bool {
        self.kind.is_collective()
    }
}

/// One row of one year, as written in the file (`None` = null).
#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: String,
    province: &'static str,
    year: u16,
    kind: Kind,
    sector: Sector,
    members: Option<u32>,
    workers: Option<u32>,
    income: Option<u32>,
    revenue: Option<u32>,
    high_tech: Option<bool>,
    value_chain: Option<bool>,
    ntm: Option<Ntm>,
    ocop_star: u8,
    ocop_products: u8,
    ocop_5star: u8,
    trademark: bool,
    stage: Option<Stage>,
    ethnic_area: bool,
}

/// A province's income level (VND/month, 2024), differing by region and province: northern
/// mountain provinces lowest, central coast and highlands higher.
fn province_income_base(rng: &mut Rng, region: Region) -> u32 {
    let base = match region {
        Region::Tdmnpb => 3_050_000,
        Region::Btb => 3_600_000,
        Region::Tn => 3_500_000,
        _ => 3_800_000,
    };
    base + rng.range(0, 700_000) - 350_000
}

/// Incomes are given to the nearest 100,000 VND a month (3,1 triệu), the precision the article and
/// survey summaries use; finer digits would be false precision, and every digit is bytes a phone
/// downloads.
const INCOME_STEP: u32 = 100_000;

/// Revenue (million VND) to two significant figures (486 → 490, 12,095 → 12,000): the precision a
/// cooperative reports its turnover with, and far fewer bytes than exact-looking numbers.
fn round_sig2(v: f64) -> u32 {
    if v < 100.0 {
        return round_to(v, 1);
    }
    let step = 10f64.powi(v.log10().floor() as i32 - 1);
    ((v / step).round() * step).max(0.0) as u32
}

fn round_to(v: f64, step: u32) -> u32 {
    let s = f64::from(step);
    (((v / s) + 0.5).floor() * s).max(0.0) as u32
}

/// Members of a small cooperative: 7 (the legal minimum before the 2023 law) plus a product of
/// uniforms, which gives a median near 12 and a long thin tail; 4% are large.
fn htx_members(rng: &mut Rng) -> u32 {
    let u = rng.unit() * rng.unit() * rng.unit();
    let mut m = 7 + (60.0 * u) as u32;
    if rng.chance(0.04) {
        m += rng.range(40, 400);
    }
    m
}

/// A founding year: `p_old` of them existed by 2019, the rest founded 2020–2024, more each year.
fn founding_year(rng: &mut Rng, p_old: f64) -> u16 {
    if rng.chance(p_old) {
        2019
    } else {
        // weights 1..5 for 2020..2024
        let r = rng.range(1, 15);
        match r {
            1 => 2020,
            2..=3 => 2021,
            4..=6 => 2022,
            7..=10 => 2023,
            _ => 2024,
        }
    }
}

/// A year in `from..=2024`, later years likelier (adoption of a practice grows over time).
fn adoption_year(rng: &mut Rng, from: u16) -> u16 {
    let from = from.clamp(YEARS[0], LATEST_YEAR);
    let span = u32::from(LATEST_YEAR - from) + 1;
    // triangular weights 1..span
    let total = span * (span + 1) / 2;
    let mut r = rng.range(1, total);
    for k in 0..span {
        if r <= k + 1 {
            return from + k as u16;
        }
        r -= k + 1;
    }
    LATEST_YEAR
}

fn kind_letter(k: Kind) -> char {
    match k {
        Kind::Htx => 'h',
        Kind::Tht => 't',
        Kind::Qtdnd => 'q',
        Kind::Lhhtx => 'l',
        Kind::Dn => 'd',
        Kind::Hkd => 'k',
    }
}

fn sector_htx(rng: &mut Rng) -> Sector {
    match rng.range(1, 100) {
        1..=72 => Sector::Nn,
        73..=81 => Sector::Cn,
        82..=90 => Sector::Tm,
        91..=93 => Sector::Xd,
        94..=97 => Sector::Vt,
        _ => Sector::Khac,
    }
}

/// Input services dominate ("hoạt động chủ yếu ở khâu dịch vụ đầu vào, chưa làm tốt khâu đầu ra").
fn stage_htx(rng: &mut Rng) -> Stage {
    match rng.range(1, 100) {
        1..=62 => Stage::Input,
        63..=86 => Stage::Both,
        _ => Stage::Output,
    }
}

fn ntm_level(rng: &mut Rng) -> Ntm {
    match rng.range(1, 100) {
        1..=70 => Ntm::Ntm,
        71..=92 => Ntm::Advanced,
        _ => Ntm::Model,
    }
}

/// Builds every unit that ever exists in 2019–2024. Pure and deterministic.
fn population() -> Vec<Unit> {
    use targets as t;
    let mut rng = Rng::new(1);
    let incomes: Vec<u32> = SCOPE.iter().map(|p| province_income_base(&mut rng, p.region)).collect();
    let w_htx: Vec<u64> = SCOPE
        .iter()
        .map(|p| u64::from(p.gso_htx_2022) * ethnic_share_permille(p.region))
        .collect();
    let w_tht: Vec<u64> = SCOPE
        .iter()
        .map(|p| {
            let e = ethnic_share_permille(p.region);
            // groups are relatively more common in the poorer mountain provinces
            let boost = if p.region == Region::Tdmnpb { 14 } else { 10 };
            u64::from(p.gso_workers_2022) * e * boost / 10
        })
        .collect();

    let mut units: Vec<Unit> = Vec::new();
    let kinds: [(Kind, u32, &Vec<u64>); 4] = [
        (Kind::Htx, t::HTX, &w_htx),
        (Kind::Tht, t::THT, &w_tht),
        (Kind::Qtdnd, t::QTDND, &w_htx),
        (Kind::Lhhtx, t::LHHTX, &w_htx),
    ];
    for (kind, total, weights) in kinds {
        let alloc = largest_remainder(total, weights);
        for (p, &n) in alloc.iter().enumerate() {
            let mut rng = Rng::new(100 + 7 * u64::from(kind.index()) + 1000 * p as u64);
            // units alive in 2024, then a few that dissolve before 2024 (≈6% of HTX, 9% of THT)
            let dissolved_n = match kind {
                Kind::Htx => (n * 6 + 50) / 100,
                Kind::Tht => (n * 9 + 50) / 100,
                _ => 0,
            };
            let mut batch: Vec<Unit> = Vec::new();
            for i in 0..(n + dissolved_n) {
                let dissolved = if i >= n {
                    Some(rng.range(2020, 2024) as u16)
                } else {
                    None
                };
                let mut founded = match kind {
                    Kind::Htx => founding_year(&mut rng, 0.62),
                    Kind::Tht => founding_year(&mut rng, 0.70),
                    Kind::Qtdnd => 2019,
                    _ => founding_year(&mut rng, 0.2),
                };
                if let Some(d) = dissolved {
                    founded = founded.min(d - 1);
                }
                batch.push(new_collective(&mut rng, kind, p, founded, dissolved, incomes[p]));
            }
            // serials follow founding order, as a registry numbers new units
            rng.shuffle(&mut batch);
            batch.sort_by_key(|u| u.founded);
            for (s, mut u) in batch.into_iter().enumerate() {
                u.id = format!("{}{}-{}", kind_letter(kind), SCOPE[p].code, s + 1);
                units.push(u);
            }
        }
    }

    // Enterprises and households appear only as OCOP subjects.
    for (kind, total) in [(Kind::Dn, t::OCOP_DN), (Kind::Hkd, t::OCOP_HKD)] {
        let alloc = largest_remainder(total, &w_htx);
        for (p, &n) in alloc.iter().enumerate() {
            let mut rng = Rng::new(5000 + 7 * u64::from(kind.index()) + 1000 * p as u64);
            let mut batch: Vec<Unit> = (0..n)
                .map(|_| {
                    let since = adoption_year(&mut rng, 2019);
                    let seed = rng.next_u64();
                    let sector = if rng.chance(0.85) { Sector::Nn } else { Sector::Cn };
                    let trademark_p = if kind == Kind::Dn { 0.85 } else { 0.40 };
                    let trademark = rng.chance(trademark_p).then_some(since);
                    Unit {
                        kind,
                        province: p,
                        id: String::new(),
                        seed,
                        founded: since,
                        dissolved: None,
                        sector,
                        stage: None,
                        members: 0,
                        workers: 0,
                        income: 0,
                        revenue: 0,
                        growth: 0,
                        high_tech: None,
                        value_chain: None,
                        ntm: None,
                        ocop: Some(ocop_rating(&mut rng, since)),
                        trademark,
                    }
                })
                .collect();
            batch.sort_by_key(|u| u.founded);
            for (s, mut u) in batch.into_iter().enumerate() {
                u.id = format!("{}{}-{}", kind_letter(kind), SCOPE[p].code, s + 1);
                units.push(u);
            }
        }
    }

    assign_flags(&mut units);
    fix_workers(&mut units);
    units
}

fn ocop_rating(rng: &mut Rng, since: u16) -> Ocop {
    Ocop {
        since,
        star: if rng.chance(0.33) { 4 } else { 3 },
        products: match rng.range(1, 100) {
            1..=62 => 1,
            63..=88 => 2,
            89..=97 => 3,
            _ => 4,
        },
        five: 0,
        five_since: LATEST_YEAR,
    }
}

fn new_collective(rng: &mut Rng, kind: Kind, p: usize, founded: u16, dissolved: Option<u16>, base: u32) -> Unit {
    let seed = rng.next_u64();
    let spread = 0.70 + 0.60 * rng.unit();
    let (sector, stage, members, workers, income, revenue) = match kind {
        Kind::Htx => {
            let m = htx_members(rng);
            let mut w = m * rng.range(8, 16) / 10;
            if rng.chance(0.12) {
                w += rng.range(30, 200);
            }
            let w = w.max(2);
            let per_worker = f64::from(rng.range(25, 110));
            (sector_htx(rng), Some(stage_htx(rng)), m, w, f64::from(base) * spread, f64::from(w) * per_worker)
        }
        Kind::Tht => {
            let u = rng.unit() * rng.unit();
            let m = 5 + (25.0 * u) as u32;
            let w = (m * rng.range(9, 13) / 10).max(2);
            let sector = if rng.chance(0.9) { Sector::Nn } else { Sector::Cn };
            let stage = if rng.chance(0.75) { Stage::Input } else { Stage::Both };
            (sector, Some(stage), m, w, f64::from(base) * spread * 0.85, f64::from(w) * f64::from(rng.range(12, 45)))
        }
        Kind::Qtdnd => {
            let m = rng.range(400, 3500);
            let w = rng.range(7, 18);
            (Sector::Td, None, m, w, f64::from(base) * (1.6 + 0.4 * rng.unit()), f64::from(m) * f64::from(rng.range(3, 6)))
        }
        _ => {
            let m = rng.range(4, 12);
            let w = rng.range(20, 80);
            (Sector::Nn, Some(Stage::Both), m, w, f64::from(base) * spread * 1.2, f64::from(w) * f64::from(rng.range(150, 400)))
        }
    };
    Unit {
        kind,
        province: p,
        id: String::new(),
        seed,
        founded,
        dissolved,
        sector,
        stage,
        members,
        workers,
        income: round_to(income, INCOME_STEP),
        revenue: round_sig2(revenue),
        growth: rng.range(5, 45),
        high_tech: None,
        value_chain: None,
        ntm: None,
        ocop: None,
        trademark: None,
    }
}

/// Draws exactly the flagged units the targets ask for, among the units alive in 2024, then gives
/// each flag the year it was first reached. Dissolved units get flags by plain chance.
fn assign_flags(units: &mut [Unit]) {
    use targets as t;
    let mut rng = Rng::new(7);
    let alive = |k: Kind| -> Vec<usize> {
        units.iter().enumerate().filter(|(_, u)| u.kind == k && u.alive_2024()).map(|(i, _)| i).collect()
    };
    let htx = alive(Kind::Htx);
    let tht = alive(Kind::Tht);
    let lhhtx = alive(Kind::Lhhtx);
    let qtdnd = alive(Kind::Qtdnd);

    // High tech: mostly agricultural, larger cooperatives.
    let ht = pick(&mut rng, &htx, t::HIGH_TECH, |i| {
        let u = &units[i];
        (if u.sector == Sector::Nn { 3.0 } else { 1.0 }) * (1.0 + f64::from(u.revenue.min(20_000)) / 2_000.0)
    });
    // Value chain: output-oriented units first.
    let vc_w = |i: usize| if units[i].stage.is_some_and(Stage::serves_output) { 4.0 } else { 1.0 };
    let vc_h = pick(&mut rng, &htx, t::VALUE_CHAIN_HTX, vc_w);
    let vc_t = pick(&mut rng, &tht, t::VALUE_CHAIN_THT, vc_w);
    // NTM communes: uniform.
    let ntm_h = pick(&mut rng, &htx, t::HTX_NTM, |_| 1.0);
    // OCOP subjects: output-oriented and agricultural units likelier.
    let ocop_w = |i: usize| {
        let u = &units[i];
        (if u.sector == Sector::Nn || u.sector == Sector::Cn { 2.0 } else { 0.3 })
            * (if u.stage.is_some_and(Stage::serves_output) { 2.0 } else { 1.0 })
    };
    let oc_h = pick(&mut rng, &htx, t::OCOP_HTX, ocop_w);
    let oc_t = pick(&mut rng, &tht, t::OCOP_THT, ocop_w);

    for &i in &ht {
        let f = units[i].founded;
        units[i].high_tech = Some(adoption_year(&mut rng, f));
    }
    for &i in vc_h.iter().chain(&vc_t).chain(&lhhtx) {
        let f = units[i].founded;
        units[i].value_chain = Some(adoption_year(&mut rng, f));
    }
    for &i in &ntm_h {
        let f = units[i].founded;
        let lvl = ntm_level(&mut rng);
        units[i].ntm = Some((lvl, adoption_year(&mut rng, f)));
    }
    // Groups, funds and unions: NTM by chance (not a target).
    for &i in tht.iter().chain(&qtdnd).chain(&lhhtx) {
        if rng.chance(0.32) {
            let f = units[i].founded;
            let lvl = ntm_level(&mut rng);
            units[i].ntm = Some((lvl, adoption_year(&mut rng, f)));
        }
    }
    for &i in oc_h.iter().chain(&oc_t) {
        let f = units[i].founded;
        let since = adoption_year(&mut rng, f);
        units[i].ocop = Some(ocop_rating(&mut rng, since));
    }
    // Five-star products: 12 subjects among cooperatives and enterprises, one product each.
    let five_cands: Vec<usize> = units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.alive_2024() && matches!(u.kind, Kind::Htx | Kind::Dn) && u.ocop.is_some())
        .map(|(i, _)| i)
        .collect();
    let five = pick(&mut rng, &five_cands, t::FIVE_STAR, |i| if units[i].kind == Kind::Htx { 1.2 } else { 1.0 });
    for &i in &five {
        let s = units[i].ocop.as_ref().map_or(LATEST_YEAR, |o| o.since);
        let fs = adoption_year(&mut rng, s.max(2021));
        if let Some(o) = units[i].ocop.as_mut() {
            o.star = 5;
            o.five = 1;
            o.five_since = fs;
        }
    }
    // Trademarks: common among OCOP subjects, rare otherwise ("sản phẩm chưa được đăng ký nhãn hiệu").
    for u in units.iter_mut().filter(|u| u.collective()) {
        let p = match (&u.ocop, u.kind) {
            (Some(_), _) => 0.60,
            (None, Kind::Htx) => 0.07,
            (None, Kind::Lhhtx) => 0.6,
            _ => 0.02,
        };
        if rng.chance(p) {
            // a trademark is registered any time after founding, and by the OCOP rating at the latest
            let span = u32::from(LATEST_YEAR.saturating_sub(u.founded));
            let year = u.founded + rng.range(0, span) as u16;
            u.trademark = Some(u.ocop.as_ref().map_or(year, |o| year.min(o.since)));
        }
    }
    // Dissolved units: a few flags by chance, so earlier years are not flag-free.
    for u in units.iter_mut().filter(|u| u.dissolved.is_some()) {
        let last = u.reference_year();
        if u.kind == Kind::Htx && rng.chance(0.12) {
            u.high_tech = Some(adoption_year(&mut rng, u.founded).min(last));
        }
        if rng.chance(0.25) {
            let lvl = ntm_level(&mut rng);
            u.ntm = Some((lvl, adoption_year(&mut rng, u.founded).min(last)));
        }
    }
}

/// Scales the 2024 workforce of collective units to [`targets::WORKERS`] and corrects the rounding
/// by ±1 in a seeded order, so the total is exact.
fn fix_workers(units: &mut [Unit]) {
    let idx: Vec<usize> =
        units.iter().enumerate().filter(|(_, u)| u.collective() && u.alive_2024()).map(|(i, _)| i).collect();
    let raw: u64 = idx.iter().map(|&i| u64::from(units[i].workers)).sum();
    let target = u64::from(targets::WORKERS);
    if raw == 0 {
        return;
    }
    for &i in &idx {
        let w = u64::from(units[i].workers);
        units[i].workers = ((w * target + raw / 2) / raw).max(1) as u32;
    }
    let mut order = idx.clone();
    Rng::new(11).shuffle(&mut order);
    let mut sum: u64 = idx.iter().map(|&i| u64::from(units[i].workers)).sum();
    let mut k = 0usize;
    let mut guard = 0usize;
    while sum != target && !order.is_empty() && guard < 10 * order.len() + 10 {
        let i = order[k % order.len()];
        if sum < target {
            units[i].workers += 1;
            sum += 1;
        } else if units[i].workers > 2 {
            units[i].workers -= 1;
            sum -= 1;
        }
        k += 1;
        guard += 1;
    }
}

impl Unit {
    /// The row of year `y`: values shrink backwards from the reference year by the unit's growth
    /// rate, incomes by about 4.5% a year, each with a little yearly noise.
    fn snapshot(&self, y: u16) -> Row {
        let since = |s: Option<u16>| s.is_some_and(|s| s <= y);
        let province = SCOPE.get(self.province).map_or("00", |p| p.code);
        let (ocop_star, ocop_products, ocop_5star) = match &self.ocop {
            Some(o) if o.since <= y => {
                let five = o.five > 0 && o.five_since <= y;
                let star = if o.star == 5 && !five { 4 } else { o.star };
                (star, o.products.max(u8::from(five)), if five { o.five } else { 0 })
            }
            _ => (0, 0, 0),
        };
        if !self.collective() {
            return Row {
                id: self.id.clone(),
                province,
                year: y,
                kind: self.kind,
                sector: self.sector,
                members: None,
                workers: None,
                income: None,
                revenue: None,
                high_tech: None,
                value_chain: None,
                ntm: None,
                ocop_star,
                ocop_products,
                ocop_5star,
                trademark: since(self.trademark),
                stage: None,
                ethnic_area: true,
            };
        }
        let k = u32::from(self.reference_year().saturating_sub(y));
        let mut rng = unit_rng(self.seed, y);
        let shrink = |v: u32, per_mille: u32, min: u32| -> u32 {
            let f = 1000u32.saturating_sub(per_mille * k);
            ((u64::from(v) * u64::from(f) + 500) / 1000).max(u64::from(min)) as u32
        };
        let (members, workers, income, revenue) = if k == 0 {
            (self.members, self.workers, self.income, self.revenue)
        } else {
            let jitter = 0.97 + 0.06 * rng.unit();
            let rjit = 0.92 + 0.16 * rng.unit();
            (
                shrink(self.members, self.growth * 6 / 10, 5),
                shrink(self.workers, self.growth, 1),
                round_to(f64::from(shrink(self.income, 45, 0)) * jitter, INCOME_STEP),
                round_sig2(f64::from(shrink(self.revenue, 60, 0)) * rjit),
            )
        };
        Row {
            id: self.id.clone(),
            province,
            year: y,
            kind: self.kind,
            sector: self.sector,
            members: Some(members),
            workers: Some(workers),
            income: Some(income),
            revenue: Some(revenue),
            high_tech: Some(since(self.high_tech)),
            value_chain: Some(since(self.value_chain)),
            ntm: Some(match self.ntm {
                Some((lvl, s)) if s <= y => lvl,
                _ => Ntm::None,
            }),
            ocop_star,
            ocop_products,
            ocop_5star,
            trademark: since(self.trademark),
            stage: self.stage,
            ethnic_area: true,
        }
    }
}

/// The rows of one year, ordered by kind, province (scope order), then id: the order the file uses.
fn rows_of(units: &[Unit], year: u16) -> Vec<Row> {
    let mut rows: Vec<(u8, usize, &str, Row)> = units
        .iter()
        .filter(|u| u.exists_in(year))
        .map(|u| (u.kind.index(), u.province, u.id.as_str(), u.snapshot(year)))
        .collect();
    rows.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    rows.into_iter().map(|(_, _, _, r)| r).collect()
}

// ---------------------------------------------------------------------------------------------
// JSON output

fn json_str(s: &str) -> String {
    // serde_json escapes exactly what JSON needs and leaves Vietnamese letters as UTF-8.
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

fn province_list() -> String {
    SCOPE.iter().map(|p| format!("{} ({})", p.name, p.code)).collect::<Vec<_>>().join(", ")
}

fn excluded_list() -> String {
    EXCLUDED.iter().map(|(c, n)| format!("{n} ({c})")).collect::<Vec<_>>().join(", ")
}

/// The Vietnamese description: what the data is, which figures it reproduces, which provinces and
/// why, and that it is not official statistics.
pub fn description_vi() -> String {
    format!(
        "DỮ LIỆU MINH HỌA, KHÔNG PHẢI SỐ LIỆU THỐNG KÊ CHÍNH THỨC. Các bản ghi được sinh tự động \
         (bằng bộ sinh số giả ngẫu nhiên có hạt giống cố định của Coop Atlas) sao cho tổng năm 2024 \
         tái hiện các con số của bài báo về Hội nghị trao đổi kinh nghiệm phát triển KTTT, HTX vùng đồng \
         bào DTTS và miền núi do Liên minh HTX tỉnh Thái Nguyên tổ chức: khoảng 3.000 HTX ({htx}), gần 5.000 \
         THT ({tht}), 19 QTDND, trên 150.000 lao động ({w}), thu nhập bình quân 3–4 triệu đồng/người/tháng, \
         khoảng 600 HTX ứng dụng công nghệ cao, gần 500 đơn vị sản xuất theo chuỗi giá trị, hơn 900 HTX ở \
         xã đạt chuẩn nông thôn mới, gần 4.700 chủ thể OCOP 3 sao trở lên (38,3% HTX, 26,1% doanh nghiệp, \
         33,3% cơ sở/hộ kinh doanh, còn lại THT) và 12 sản phẩm OCOP 5 sao. Bài báo không nêu tên 28 tỉnh; \
         ở đây chọn minh họa 28 trong 31 tỉnh thuộc danh sách Điều 53 Thông tư 02/2022/TT-UBDT, bỏ {ex} \
         vì không có huyện nghèo (QĐ 353/QĐ-TTg) và không có dân tộc rất ít người (QĐ 2086/QĐ-TTg); \
         Thái Nguyên cũng vậy nhưng được giữ vì là nơi tổ chức hội nghị. 28 tỉnh: {list}. Số đơn vị mỗi \
         tỉnh tỷ lệ với số HTX đang hoạt động có kết quả SXKD năm 2022 của Tổng cục Thống kê, nhân với tỷ trọng \
         vùng DTTS & MN ước lượng theo vùng. Các năm 2019–2023 được suy ra từ cùng các đơn vị (giữ mã, \
         một số giải thể).",
        htx = crate::engine::format::integer(f64::from(targets::HTX), Lang::Vi),
        tht = crate::engine::format::integer(f64::from(targets::THT), Lang::Vi),
        w = crate::engine::format::integer(f64::from(targets::WORKERS), Lang::Vi),
        ex = excluded_list(),
        list = province_list(),
    )
}

/// The English description, same content.
pub fn description_en() -> String {
    format!(
        "ILLUSTRATIVE DATA, NOT OFFICIAL STATISTICS. The records are generated (by a seeded \
         pseudo-random generator of Coop Atlas) so that the 2024 totals reproduce the figures of a news article on \
         a conference on the collective economy of ethnic-minority and mountainous areas held by the Thái \
         Nguyên Cooperative Alliance: about 3,000 cooperatives ({htx}), nearly 5,000 cooperative groups \
         ({tht}), 19 people's credit funds, over 150,000 workers ({w}), average income 3–4 million VND per \
         person per month, about 600 high-tech cooperatives, nearly 500 value-chain units, over 900 \
         cooperatives in new-rural-standard communes, nearly 4,700 OCOP subjects rated 3 stars or more \
         (38.3% cooperatives, 26.1% enterprises, 33.3% household businesses, the rest cooperative groups) and \
         12 five-star OCOP products. The article does not name the 28 provinces; as an illustrative choice we \
         take 28 of the 31 provinces listed in Art. 53 of Circular 02/2022/TT-UBDT, leaving out {ex}, which \
         have neither a poor district (Decision 353/QĐ-TTg) nor a very small ethnic group (Decision \
         2086/QĐ-TTg); Thái Nguyên meets the same rule but hosted the conference, so it stays. The 28: \
         {list}. Units per province are proportional to GSO's 2022 count of cooperatives active with business \
         results, times an estimated share of the province in the ethnic-minority and mountainous area. Years \
         2019–2023 are derived from the same units (ids kept, some dissolve).",
        htx = crate::engine::format::integer(f64::from(targets::HTX), Lang::En),
        tht = crate::engine::format::integer(f64::from(targets::THT), Lang::En),
        w = crate::engine::format::integer(f64::from(targets::WORKERS), Lang::En),
        ex = excluded_list(),
        list = province_list(),
    )
}

fn meta_json(year: u16) -> String {
    let years = YEARS.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(",");
    format!(
        "{{\"id\":{id},\"title\":{{\"vi\":{tv},\"en\":{te}}},\"description\":{{\"vi\":{dv},\"en\":{de}}},\
         \"source\":{{\"publisher\":{{\"vi\":{pv},\"en\":{pe}}}}},\"licence\":\"CC0-1.0\",\"illustrative\":true,\
         \"reference_date\":\"{year}-12-31\",\"boundary\":63,\"years\":[{years}]}}",
        id = json_str(DATASET_ID),
        tv = json_str(TITLE_VI),
        te = json_str(TITLE_EN),
        dv = json_str(&description_vi()),
        de = json_str(&description_en()),
        pv = json_str(
            "Coop Atlas — dữ liệu minh họa sinh tự động, tái hiện số liệu bài báo về hội nghị KTTT vùng DTTS & MN \
             (Liên minh HTX tỉnh Thái Nguyên, 2024)"
        ),
        pe = json_str(
            "Coop Atlas — generated illustrative data reproducing the figures of an article on the collective \
             economy of ethnic-minority and mountainous areas (Thái Nguyên Cooperative Alliance, 2024)"
        ),
    )
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| String::from("null"), |x| x.to_string())
}

/// Writes one column as `"name":[v,v,…]`, or nothing when every value is null (the format reads a
/// missing column as "not known", so null-only columns are dropped to save bytes).
fn column(out: &mut Vec<String>, name: &str, values: Vec<String>) {
    if values.iter().all(|v| v == "null") {
        return;
    }
    out.push(format!("\"{name}\":[{}]", values.join(",")));
}

fn bit(b: bool) -> u8 {
    u8::from(b)
}

fn opt_bit(b: Option<bool>) -> String {
    b.map_or_else(|| "null".into(), |b| bit(b).to_string())
}

fn entities_json(rows: &[Row]) -> String {
    let mut cols = Vec::new();
    column(&mut cols, "id", rows.iter().map(|r| json_str(&r.id)).collect());
    column(&mut cols, "province", rows.iter().map(|r| format!("\"{}\"", r.province)).collect());
    column(&mut cols, "year", rows.iter().map(|r| r.year.to_string()).collect());
    column(&mut cols, "kind", rows.iter().map(|r| format!("\"{}\"", r.kind.code())).collect());
    column(&mut cols, "sector", rows.iter().map(|r| format!("\"{}\"", r.sector.code())).collect());
    column(&mut cols, "members", rows.iter().map(|r| opt(r.members)).collect());
    column(&mut cols, "workers", rows.iter().map(|r| opt(r.workers)).collect());
    column(&mut cols, "income", rows.iter().map(|r| opt(r.income)).collect());
    // Revenue is generated (it weights which units adopt high technology) but not shipped: the
    // article reports no revenue figure, no built-in indicator reads it, and as random-looking
    // numbers it would be the largest column every phone downloads (≈ 7 KB brotli a year).
    // Yes/no fields as 1/0, which the format accepts for booleans: half a kilobyte less per year
    // than true/false after compression.
    column(&mut cols, "high_tech", rows.iter().map(|r| opt_bit(r.high_tech)).collect());
    column(&mut cols, "value_chain", rows.iter().map(|r| opt_bit(r.value_chain)).collect());
    column(
        &mut cols,
        "ntm",
        rows.iter().map(|r| r.ntm.map_or_else(|| "null".into(), |n| format!("\"{}\"", n.code()))).collect(),
    );
    column(&mut cols, "ocop_star", rows.iter().map(|r| r.ocop_star.to_string()).collect());
    column(&mut cols, "ocop_products", rows.iter().map(|r| r.ocop_products.to_string()).collect());
    column(&mut cols, "ocop_5star", rows.iter().map(|r| r.ocop_5star.to_string()).collect());
    column(&mut cols, "trademark", rows.iter().map(|r| bit(r.trademark).to_string()).collect());
    column(
        &mut cols,
        "stage",
        rows.iter().map(|r| r.stage.map_or_else(|| "null".into(), |s| format!("\"{}\"", s.code()))).collect(),
    );
    column(&mut cols, "ethnic_area", rows.iter().map(|r| bit(r.ethnic_area).to_string()).collect());
    format!("{{{}}}", cols.join(","))
}

fn document(units: &[Unit], year: u16) -> String {
    let rows = rows_of(units, year);
    format!(
        "{{\"format\":\"coop-atlas/1\",\"meta\":{},\"entities\":{}}}\n",
        meta_json(year),
        entities_json(&rows)
    )
}

/// The dataset document of one year (compact JSON, columnar entities, trailing newline), exactly as
/// shipped in `public/data/dtts-mn/{year}.json`. A year outside [`YEARS`] yields a document with no
/// rows, never a panic.
pub fn generate_year(year: u16) -> String {
    document(&population(), year)
}

/// Every year's document, generating the population once: what `gen-data` writes.
pub fn generate_all() -> Vec<(u16, String)> {
    let units = population();
    YEARS.iter().map(|&y| (y, document(&units, y))).collect()
}

/// The path of a year's file relative to the app root (the app may be served from a sub-path, so
/// paths are never absolute).
pub fn year_path(year: u16) -> String {
    format!("data/dtts-mn/{year}.json")
}

/// `public/data/catalog.json`: the bundled datasets the app offers, with titles, boundary, years and
/// file paths relative to the app root. `official_years` are the years present in
/// `data/gso/official.json` (read by `gen-data`), so the catalog cannot disagree with that file.
pub fn catalog_json(official_years: &[u16]) -> String {
    let years = YEARS.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(",");
    let files = YEARS.iter().map(|&y| format!("\"{y}\":{}", json_str(&year_path(y)))).collect::<Vec<_>>().join(",");
    let mut oy: Vec<u16> = official_years.to_vec();
    oy.sort_unstable();
    oy.dedup();
    let oyears = oy.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(",");
    format!(
        "{{\"datasets\":[\n\
         {{\"id\":{id},\"title\":{{\"vi\":{tv},\"en\":{te}}},\"illustrative\":true,\"boundary\":63,\"years\":[{years}],\"files\":{{{files}}}}},\n\
         {{\"id\":\"gso-chinh-thuc\",\"title\":{{\"vi\":{gv},\"en\":{ge}}},\"illustrative\":false,\"boundary\":63,\"years\":[{oyears}],\"files\":{{\"all\":\"data/gso/official.json\"}}}}\n\
         ]}}\n",
        id = json_str(DATASET_ID),
        tv = json_str(TITLE_VI),
        te = json_str(TITLE_EN),
        gv = json_str(OFFICIAL_TITLE_VI),
        ge = json_str(OFFICIAL_TITLE_EN),
    )
}

/// Title of the official dataset in the catalog; must equal `meta.title.vi` of
/// `public/data/gso/official.json` (written by `scripts/build_official.py`; a test compares them).
pub const OFFICIAL_TITLE_VI: &str = "Số liệu chính thức về kinh tế tập thể (TCTK và các nguồn công bố)";

/// English title of the official dataset.
pub const OFFICIAL_TITLE_EN: &str = "Official figures on the collective economy (GSO and published sources)";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn col<'a>(doc: &'a Value, name: &str) -> &'a Vec<Value> {
        doc["entities"][name].as_array().unwrap_or_else(|| panic!("column {name} missing"))
    }

    /// The engine's definitions, computed independently from the JSON so the generator is checked
    /// even without the engine.
    struct Figures {
        htx: u32,
        tht: u32,
        qtdnd: u32,
        workers: u64,
        income_avg: f64,
        high_tech: u32,
        value_chain: u32,
        htx_ntm: u32,
        ocop_subjects: u32,
        ocop_by_kind: [u32; 6],
        five_star: u32,
        htx_members_median: u32,
        htx_input: u32,
        htx_output: u32,
        htx_trademark: u32,
        rows: usize,
    }

    fn figures(doc: &str) -> Figures {
        let v: Value = serde_json::from_str(doc).expect("valid JSON");
        let kind = col(&v, "kind");
        let n = kind.len();
        let get_u = |name: &str, i: usize| col(&v, name)[i].as_u64();
        // Yes/no fields are written as 1/0 (the format reads true/false and 1/0 alike).
        let get_b = |name: &str, i: usize| {
            let c = &col(&v, name)[i];
            c.as_bool() == Some(true) || c.as_u64() == Some(1)
        };
        let mut f = Figures {
            htx: 0,
            tht: 0,
            qtdnd: 0,
            workers: 0,
            income_avg: 0.0,
            high_tech: 0,
            value_chain: 0,
            htx_ntm: 0,
            ocop_subjects: 0,
            ocop_by_kind: [0; 6],
            five_star: 0,
            htx_members_median: 0,
            htx_input: 0,
            htx_output: 0,
            htx_trademark: 0,
            rows: n,
        };
        let mut inc_num = 0.0;
        let mut members = Vec::new();
        for (i, kv) in kind.iter().enumerate() {
            let k = Kind::from_code(kv.as_str().unwrap_or("")).expect("kind code");
            match k {
                Kind::Htx => f.htx += 1,
                Kind::Tht => f.tht += 1,
                Kind::Qtdnd => f.qtdnd += 1,
                _ => {}
            }
            if k.is_collective() {
                let w = get_u("workers", i).unwrap_or(0);
                f.workers += w;
                inc_num += w as f64 * get_u("income", i).unwrap_or(0) as f64;
                if get_b("value_chain", i) {
                    f.value_chain += 1;
                }
            }
            if k == Kind::Htx {
                members.push(get_u("members", i).unwrap_or(0) as u32);
                if get_b("high_tech", i) {
                    f.high_tech += 1;
                }
                if col(&v, "ntm")[i].as_str().and_then(Ntm::from_code).is_some_and(Ntm::is_met) {
                    f.htx_ntm += 1;
                }
                match col(&v, "stage")[i].as_str() {
                    Some("input") => f.htx_input += 1,
                    Some("output") => f.htx_output += 1,
                    _ => {}
                }
                if get_b("trademark", i) {
                    f.htx_trademark += 1;
                }
            }
            if get_u("ocop_star", i).unwrap_or(0) >= 3 {
                f.ocop_subjects += 1;
                f.ocop_by_kind[k.index() as usize] += 1;
            }
            f.five_star += get_u("ocop_5star", i).unwrap_or(0) as u32;
        }
        f.income_avg = inc_num / f.workers as f64;
        members.sort_unstable();
        f.htx_members_median = members.get(members.len() / 2).copied().unwrap_or(0);
        f
    }

    #[test]
    fn splitmix64_matches_reference_values() {
        // Reference: splitmix64 seeded with 0 yields 0xE220A8397B1DCDAF first.
        let mut r = Rng(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn largest_remainder_adds_up_exactly() {
        let cases: &[(u32, &[u64], &[u32])] = &[
            (10, &[1, 1, 1], &[4, 3, 3]),
            (7, &[5, 0, 5], &[4, 0, 3]),
            (0, &[3, 4], &[0, 0]),
            (5, &[0, 0], &[0, 0]),
            (100, &[333, 333, 334], &[33, 33, 34]),
        ];
        for (total, w, expected) in cases {
            assert_eq!(largest_remainder(*total, w), expected.to_vec(), "total {total} weights {w:?}");
        }
    }

    #[test]
    fn pick_returns_exactly_n_distinct_sorted() {
        let mut rng = Rng::new(3);
        let cands: Vec<usize> = (0..50).collect();
        let p = pick(&mut rng, &cands, 20, |i| i as f64 + 1.0);
        assert_eq!(p.len(), 20);
        assert!(p.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(pick(&mut rng, &cands[..5], 20, |_| 1.0).len(), 5);
    }

    #[test]
    fn scope_is_the_tt02_list_minus_three() {
        let csv = include_str!("../engine/data/regions_provinces_63.csv");
        let mut header: Vec<&str> = Vec::new();
        let mut listed = Vec::new();
        for (n, line) in csv.lines().enumerate() {
            let cells: Vec<&str> = line.split(',').collect();
            if n == 0 {
                header = cells;
                continue;
            }
            let at = |name: &str| header.iter().position(|h| *h == name).and_then(|i| cells.get(i).copied());
            if at("tt02_2022_art53_difficult_ethnic_groups_31prov") == Some("1") {
                let code = at("old_code").unwrap_or("");
                let poor = at("qd353_2022_has_poor_district_26prov") == Some("1");
                let small = at("qd2086_2016_very_small_ethnic_groups_12prov") == Some("1");
                listed.push((code.to_string(), poor || small));
            }
        }
        assert_eq!(listed.len(), 31);
        for (code, flagged) in &listed {
            let in_scope = SCOPE.iter().any(|p| p.code == code);
            let excluded = EXCLUDED.iter().any(|(c, _)| c == code);
            assert!(in_scope ^ excluded, "{code} must be in exactly one of SCOPE/EXCLUDED");
            if excluded {
                assert!(!flagged, "{code} excluded but has a poor district or small group");
            }
            if !flagged && code != "19" {
                assert!(excluded, "{code} meets the exclusion rule but is kept");
            }
        }
    }

    #[test]
    fn latest_year_reproduces_the_article() {
        let f = figures(&generate_year(LATEST_YEAR));
        assert!((2950..=3050).contains(&f.htx), "htx {}", f.htx);
        assert!((4900..=4999).contains(&f.tht), "tht {}", f.tht);
        assert_eq!(f.qtdnd, 19);
        assert!((150_001..=155_000).contains(&f.workers), "workers {}", f.workers);
        assert!((3_000_000.0..=4_000_000.0).contains(&f.income_avg), "income {}", f.income_avg);
        assert!((570..=630).contains(&f.high_tech), "high tech {}", f.high_tech);
        assert!((470..=499).contains(&f.value_chain), "value chain {}", f.value_chain);
        assert!((901..=950).contains(&f.htx_ntm), "htx ntm {}", f.htx_ntm);
        assert!((4600..=4699).contains(&f.ocop_subjects), "ocop {}", f.ocop_subjects);
        assert_eq!(f.five_star, 12);
        let share = |k: Kind| 100.0 * f64::from(f.ocop_by_kind[k.index() as usize]) / f64::from(f.ocop_subjects);
        for (k, want) in [(Kind::Htx, 38.3), (Kind::Dn, 26.1), (Kind::Hkd, 33.3)] {
            assert!((share(k) - want).abs() <= 0.1, "{k} share {}", share(k));
        }
        let tht_share = share(Kind::Tht);
        assert!((tht_share - (100.0 - 38.3 - 26.1 - 33.3)).abs() <= 0.2, "tht share {tht_share}");
        // the article's weaknesses
        assert!(f.htx_members_median < 15, "median members {}", f.htx_members_median);
        assert!(f.htx_input > 3 * f.htx_output, "input {} output {}", f.htx_input, f.htx_output);
        assert!(f.htx_trademark * 2 < f.htx, "trademarks {}", f.htx_trademark);
    }

    #[test]
    fn counts_grow_and_ids_persist() {
        let all = generate_all();
        let figs: Vec<Figures> = all.iter().map(|(_, d)| figures(d)).collect();
        for w in figs.windows(2) {
            assert!(w[0].htx < w[1].htx && w[0].tht <= w[1].tht, "counts must grow");
            assert!(w[0].ocop_subjects < w[1].ocop_subjects);
            assert!(w[0].rows < w[1].rows);
        }
        let ids = |d: &str| -> std::collections::BTreeSet<String> {
            let v: Value = serde_json::from_str(d).expect("json");
            col(&v, "id").iter().filter_map(|x| x.as_str().map(String::from)).collect()
        };
        let first = ids(&all[0].1);
        let last = ids(&all[5].1);
        let kept = first.intersection(&last).count();
        assert!(kept * 10 > first.len() * 8, "most 2019 units still exist in 2024");
        assert!(kept < first.len(), "some units dissolve");
    }

    #[test]
    fn generation_is_deterministic_and_ids_unique() {
        let a = generate_year(2022);
        assert_eq!(a, generate_year(2022));
        let v: Value = serde_json::from_str(&a).expect("json");
        let ids = col(&v, "id");
        let set: std::collections::BTreeSet<&str> = ids.iter().filter_map(Value::as_str).collect();
        assert_eq!(set.len(), ids.len());
        assert_eq!(v["meta"]["illustrative"], Value::Bool(true));
        assert_eq!(v["meta"]["boundary"], 63);
        // every column has the same length
        for (name, c) in v["entities"].as_object().expect("columnar") {
            assert_eq!(c.as_array().map(Vec::len), Some(ids.len()), "column {name}");
        }
    }

    #[test]
    fn incomes_differ_by_province() {
        let v: Value = serde_json::from_str(&generate_year(LATEST_YEAR)).expect("json");
        let prov = col(&v, "province");
        let inc = col(&v, "income");
        let mut by: std::collections::BTreeMap<&str, (f64, f64)> = Default::default();
        for i in 0..prov.len() {
            if let (Some(p), Some(x)) = (prov[i].as_str(), inc[i].as_f64()) {
                let e = by.entry(p).or_default();
                e.0 += x;
                e.1 += 1.0;
            }
        }
        let means: Vec<f64> = by.values().map(|(s, n)| s / n).collect();
        let lo = means.iter().copied().fold(f64::MAX, f64::min);
        let hi = means.iter().copied().fold(0.0, f64::max);
        assert_eq!(by.len(), 28);
        assert!(hi - lo > 300_000.0, "province means {lo}..{hi}");
    }

    #[test]
    fn catalog_lists_both_datasets_with_relative_paths() {
        let c = catalog_json(&[2024, 2018, 2022, 2022]);
        let v: Value = serde_json::from_str(&c).expect("json");
        let ds = v["datasets"].as_array().expect("list");
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0]["files"]["2019"], "data/dtts-mn/2019.json");
        assert_eq!(ds[1]["years"], serde_json::json!([2018, 2022, 2024]));
        assert!(!c.contains("\"/data"), "paths must be relative");
    }

    #[test]
    fn unknown_year_gives_an_empty_document() {
        let v: Value = serde_json::from_str(&generate_year(1999)).expect("json");
        assert!(v["entities"]["id"].is_null(), "no rows, null-only columns dropped");
    }
}
