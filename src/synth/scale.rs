//! N plausible entity rows as columnar JSON, for benchmarks and load tests.
//!
//! The distributions are rough shapes of the real sector (about half cooperatives, a third
//! cooperative groups, a few credit funds, OCOP enterprises and households; mostly agriculture;
//! incomes of a few million VND a month), spread unevenly over the 63 provinces and the years
//! 2019–2024. They are not statistics: the point is realistic cardinalities, missing values and
//! string lengths, so parse and compute timings mean something.

use super::SplitMix64;
use crate::engine::provinces::registry;
use crate::engine::vocab::{Boundary, Kind, Ntm, Sector, Stage};

/// Generates `rows` entity rows as a `coop-atlas/1` columnar file (63-province codes), seeded.
///
/// Fields: id, province, year, kind, sector, members, workers, income, revenue, high_tech,
/// value_chain, ntm, ocop_star, ocop_products, ocop_5star, trademark, stage. Booleans are written
/// as `1`/`0` and about 5 % of optional cells are `null`. Ids are unique. About 90 bytes per row.
pub fn generate(rows: usize, seed: u64) -> String {
    generate_fields(rows, seed, &FIELDS)
}

/// The 17 fields [`generate`] writes, in file order.
pub const FIELDS: [&str; 17] = [
    "id",
    "province",
    "year",
    "kind",
    "sector",
    "members",
    "workers",
    "income",
    "revenue",
    "high_tech",
    "value_chain",
    "ntm",
    "ocop_star",
    "ocop_products",
    "ocop_5star",
    "trademark",
    "stage",
];

/// The ten fields of the browser benchmark (issue 8: "about 58 MB for a million rows of ten
/// fields"): what the headline indicators and the benchmark's group-by read.
pub const BENCH_FIELDS: [&str; 10] = [
    "id", "province", "year", "kind", "sector", "members", "workers", "income", "revenue", "high_tech",
];

/// [`generate`] keeping only the columns named in `keep` (names of [`FIELDS`]; others are
/// ignored). The random draws are the same whatever is kept, so a kept column holds exactly the
/// values it has in the full file; dropped columns are never written, so memory stays that of
/// the kept ones.
pub fn generate_fields(rows: usize, seed: u64, keep: &[&str]) -> String {
    let kept: Vec<bool> = FIELDS.iter().map(|f| keep.contains(f)).collect();
    let mut rng = SplitMix64::new(seed);
    let provinces = registry().provinces(Boundary::P63);
    let codes: Vec<&str> = provinces.iter().map(|p| p.code).collect();
    let mut cum_p = Vec::with_capacity(codes.len());
    let mut acc = 0.0;
    for _ in &codes {
        acc += 0.3 + 1.4 * rng.next_f64();
        cum_p.push(acc);
    }
    let kinds = [
        Kind::Htx,
        Kind::Tht,
        Kind::Qtdnd,
        Kind::Lhhtx,
        Kind::Dn,
        Kind::Hkd,
    ];
    let cum_k = [0.46, 0.80, 0.84, 0.845, 0.92, 1.0];
    let sectors = Sector::ALL;
    let cum_s = [0.55, 0.67, 0.72, 0.84, 0.92, 0.95, 1.0];

    let mut col: Vec<String> = kept
        .iter()
        .map(|&k| String::with_capacity(if k { rows * 6 + 2 } else { 0 }))
        .collect();
    let names = FIELDS;
    use std::fmt::Write;
    for i in 0..rows {
        let sep = if i == 0 { "" } else { "," };
        let p = rng.pick_cumulative(&cum_p);
        let code = codes.get(p).copied().unwrap_or("01");
        let kind = kinds
            .get(rng.pick_cumulative(&cum_k))
            .copied()
            .unwrap_or(Kind::Htx);
        let year = 2019 + rng.below(6);
        let collective = kind.is_collective();
        let miss = |rng: &mut SplitMix64| rng.chance(0.05);
        let mut cells: [String; 17] = Default::default();
        cells[0] = format!("\"{}-{code}-{i:07}\"", kind.code().to_uppercase());
        cells[1] = format!("\"{code}\"");
        cells[2] = year.to_string();
        cells[3] = format!("\"{}\"", kind.code());
        let sector = if kind == Kind::Qtdnd {
            Sector::Td
        } else {
            sectors
                .get(rng.pick_cumulative(&cum_s))
                .copied()
                .unwrap_or(Sector::Nn)
        };
        cells[4] = if miss(&mut rng) {
            "null".into()
        } else {
            format!("\"{}\"", sector.code())
        };
        let members = match kind {
            Kind::Qtdnd => rng.log_normal(1500.0, 0.6),
            Kind::Htx | Kind::Lhhtx => rng.log_normal(40.0, 0.9),
            Kind::Tht => rng.log_normal(12.0, 0.5),
            _ => 0.0,
        } as u64;
        cells[5] = if !collective || miss(&mut rng) {
            "null".into()
        } else {
            members.to_string()
        };
        let workers = (rng.log_normal(if collective { 12.0 } else { 6.0 }, 0.8) as u64).max(1);
        cells[6] = if miss(&mut rng) {
            "null".into()
        } else {
            workers.to_string()
        };
        let income = (rng.log_normal(5_500_000.0, 0.3) / 1000.0).round() * 1000.0;
        cells[7] = if miss(&mut rng) {
            "null".into()
        } else {
            format!("{income}")
        };
        let revenue = (rng.log_normal(1500.0, 1.0) * 10.0).round() / 10.0;
        cells[8] = if miss(&mut rng) {
            "null".into()
        } else {
            format!("{revenue}")
        };
        let b = |rng: &mut SplitMix64, p: f64| -> String {
            if rng.chance(0.05) {
                "null".into()
            } else if rng.chance(p) {
                "1".into()
            } else {
                "0".into()
            }
        };
        cells[9] = b(&mut rng, 0.08);
        cells[10] = b(&mut rng, 0.25);
        let ntm = Ntm::ALL
            .get(rng.pick_cumulative(&[0.25, 0.75, 0.93, 1.0]))
            .copied()
            .unwrap_or(Ntm::Ntm);
        cells[11] = if miss(&mut rng) {
            "null".into()
        } else {
            format!("\"{}\"", ntm.code())
        };
        let ocop = !collective || rng.chance(0.12);
        let star = if ocop { 3 + rng.below(3) } else { 0 };
        cells[12] = star.to_string();
        let products = if ocop { 1 + rng.below(4) } else { 0 };
        cells[13] = products.to_string();
        let five = if star == 5 {
            1 + rng.below(products)
        } else {
            0
        };
        cells[14] = five.to_string();
        cells[15] = b(&mut rng, 0.2);
        let stage = Stage::ALL
            .get(rng.pick_cumulative(&[0.5, 0.7, 1.0]))
            .copied()
            .unwrap_or(Stage::Input);
        cells[16] = if !collective || miss(&mut rng) {
            "null".into()
        } else {
            format!("\"{}\"", stage.code())
        };
        for ((c, v), &k) in col.iter_mut().zip(cells.iter()).zip(&kept) {
            if k {
                let _ = write!(c, "{sep}{v}");
            }
        }
    }
    let mut out = String::with_capacity(col.iter().map(|c| c.len() + 24).sum::<usize>() + 400);
    out.push_str(
        "{\"format\": \"coop-atlas/1\",\n\"meta\": {\"id\": \"synthetic-scale\", \"title\": {\"vi\": \"Dữ liệu tổng hợp để đo hiệu năng\", \"en\": \"Synthetic data for benchmarks\"}, \"source\": {\"publisher\": \"Coop Atlas synth::scale\"}, \"illustrative\": true, \"boundary\": 63},\n\"entities\": {",
    );
    let mut first = true;
    for ((name, c), _) in names.iter().zip(&col).zip(&kept).filter(|(_, &k)| k) {
        if !first {
            out.push_str(",\n");
        }
        first = false;
        let _ = write!(out, "\"{name}\": [{c}]");
    }
    out.push_str("}}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::parse::{parse_dataset_str, Limits};

    #[test]
    fn deterministic_and_valid() {
        let a = generate(500, 1);
        assert_eq!(a, generate(500, 1));
        assert_ne!(a, generate(500, 2));
        let p = parse_dataset_str(&a, &Limits::default()).expect("valid file");
        let e = &p.dataset.entities;
        assert_eq!(e.len(), 500);
        assert!(p.dataset.meta.illustrative);
        let htx = (0..e.len())
            .filter(|&i| e.kind(i) == Some(Kind::Htx))
            .count();
        assert!((150..350).contains(&htx), "{htx} cooperatives");
        let years: std::collections::BTreeSet<u16> =
            (0..e.len()).filter_map(|i| e.year(i)).collect();
        assert_eq!(
            years.into_iter().collect::<Vec<_>>(),
            vec![2019, 2020, 2021, 2022, 2023, 2024]
        );
        assert!(a.len() / 500 < 130, "{} bytes per row", a.len() / 500);
    }

    #[test]
    fn bench_fields_are_a_projection_of_the_full_file() {
        let full = parse_dataset_str(&generate(400, 9), &Limits::default()).expect("valid");
        let text = generate_fields(400, 9, &BENCH_FIELDS);
        let ten = parse_dataset_str(&text, &Limits::default()).expect("valid");
        let (a, b) = (&full.dataset.entities, &ten.dataset.entities);
        assert_eq!(a.len(), b.len());
        for i in 0..a.len() {
            assert_eq!((a.id(i), a.year(i), a.kind(i), a.workers(i)), (b.id(i), b.year(i), b.kind(i), b.workers(i)));
            assert_eq!(b.stage(i), None);
        }
        let per_row = text.len() as f64 / 400.0;
        assert!((45.0..70.0).contains(&per_row), "{per_row} bytes per row");
    }

    #[test]
    fn empty_is_valid_json() {
        let p = parse_dataset_str(&generate(0, 1), &Limits::default()).expect("valid");
        assert_eq!(p.dataset.entities.len(), 0);
    }
}
