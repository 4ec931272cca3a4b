//! Checks the data the app ships in `public/`: the illustrative dataset (byte-identical to a fresh
//! generation, and reproducing the article's figures), the official figures (the GSO 2022 totals)
//! and the map shapes (every province code of both boundary versions, plus Hoàng Sa and Trường Sa).
//!
//! Why an integration test: these files are produced by scripts and a generator that run rarely;
//! a hand edit, a stale regeneration or a change in the engine's registry must fail CI, not a user.

use std::collections::BTreeSet;
use std::path::PathBuf;

use coop_atlas::engine::dataset::Area;
use coop_atlas::engine::filter::Filter;
use coop_atlas::engine::indicators::{compute_id, observed, GroupBy, GroupKey};
use coop_atlas::engine::parse::{parse_dataset, Limits, Parsed};
use coop_atlas::engine::provinces::registry;
use coop_atlas::engine::vocab::{Boundary, Kind, Ntm};
use coop_atlas::synth::illustrative;
use serde_json::Value;

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("public").join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(path(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"))
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"))
}

// ------------------------------------------------------------------------------------------------
// Illustrative dataset

#[test]
fn shipped_illustrative_files_are_exactly_what_the_generator_writes() {
    for (year, doc) in illustrative::generate_all() {
        let shipped = read(&illustrative::year_path(year));
        assert!(
            shipped == doc,
            "public/{} differs from the generator: run `cargo run --release --bin gen-data`",
            illustrative::year_path(year)
        );
    }
}

#[test]
fn catalog_matches_the_generator_and_the_official_file() {
    let official = json("data/gso/official.json");
    let years: BTreeSet<u16> = official["observations"]
        .as_array()
        .expect("observations")
        .iter()
        .filter_map(|o| o["year"].as_u64().and_then(|y| u16::try_from(y).ok()))
        .collect();
    let years: Vec<u16> = years.into_iter().collect();
    assert_eq!(read("data/catalog.json"), illustrative::catalog_json(&years));
    assert_eq!(official["meta"]["title"]["vi"], illustrative::OFFICIAL_TITLE_VI);
    assert_eq!(official["meta"]["title"]["en"], illustrative::OFFICIAL_TITLE_EN);
    let catalog = json("data/catalog.json");
    for ds in catalog["datasets"].as_array().expect("datasets") {
        for (_, f) in ds["files"].as_object().expect("files") {
            let rel = f.as_str().expect("path");
            assert!(!rel.starts_with('/'), "{rel}: paths are relative to the app root");
            assert!(path(rel).is_file(), "catalog lists a missing file {rel}");
        }
    }
}

/// The engine's indicator definitions (docs/dataset-format.md), computed straight from the JSON.
#[derive(Debug, Default)]
struct Figures {
    htx: u32,
    tht: u32,
    qtdnd: u32,
    workers: u64,
    income_avg: f64,
    htx_high_tech: u32,
    value_chain_units: u32,
    htx_ntm: u32,
    ocop_subjects: u32,
    ocop_by_kind: [u32; 6],
    ocop_5star_products: u64,
}

/// A yes/no cell: the format reads `true`/`false` and `1`/`0` alike (the generator writes 1/0).
fn yes(v: &Value) -> bool {
    *v == Value::Bool(true) || v.as_u64() == Some(1)
}

fn figures(doc: &Value) -> Figures {
    let e = &doc["entities"];
    let col = |name: &str| e[name].as_array().unwrap_or_else(|| panic!("column {name}")).clone();
    let (kind, workers, income) = (col("kind"), col("workers"), col("income"));
    let (high_tech, value_chain, ntm) = (col("high_tech"), col("value_chain"), col("ntm"));
    let (star, five) = (col("ocop_star"), col("ocop_5star"));
    let mut f = Figures::default();
    let mut income_num = 0.0;
    for i in 0..kind.len() {
        let k = Kind::from_code(kind[i].as_str().unwrap_or("")).expect("kind code");
        match k {
            Kind::Htx => f.htx += 1,
            Kind::Tht => f.tht += 1,
            Kind::Qtdnd => f.qtdnd += 1,
            _ => {}
        }
        if k.is_collective() {
            let w = workers[i].as_u64().unwrap_or(0);
            f.workers += w;
            income_num += w as f64 * income[i].as_f64().unwrap_or(0.0);
            f.value_chain_units += u32::from(yes(&value_chain[i]));
        }
        if k == Kind::Htx {
            f.htx_high_tech += u32::from(yes(&high_tech[i]));
            f.htx_ntm += u32::from(ntm[i].as_str().and_then(Ntm::from_code).is_some_and(Ntm::is_met));
        }
        if star[i].as_u64().unwrap_or(0) >= 3 {
            f.ocop_subjects += 1;
            f.ocop_by_kind[k.index() as usize] += 1;
        }
        f.ocop_5star_products += five[i].as_u64().unwrap_or(0);
    }
    f.income_avg = income_num / f.workers as f64;
    f
}

#[test]
fn latest_year_has_the_article_figures() {
    let doc = json(&illustrative::year_path(illustrative::LATEST_YEAR));
    let f = figures(&doc);
    assert!((2950..=3050).contains(&f.htx), "{f:?}");
    assert!((4900..=4999).contains(&f.tht), "{f:?}");
    assert_eq!(f.qtdnd, 19);
    assert!((150_001..=155_000).contains(&f.workers), "{f:?}");
    assert!((3.0e6..=4.0e6).contains(&f.income_avg), "{f:?}");
    assert!((570..=630).contains(&f.htx_high_tech), "{f:?}");
    assert!((470..=499).contains(&f.value_chain_units), "{f:?}");
    assert!((901..=950).contains(&f.htx_ntm), "{f:?}");
    assert!((4600..=4699).contains(&f.ocop_subjects), "{f:?}");
    assert_eq!(f.ocop_5star_products, 12);
    let pct = |k: Kind| 100.0 * f64::from(f.ocop_by_kind[k.index() as usize]) / f64::from(f.ocop_subjects);
    for (k, want) in [(Kind::Htx, 38.3), (Kind::Dn, 26.1), (Kind::Hkd, 33.3), (Kind::Tht, 2.3)] {
        assert!((pct(k) - want).abs() <= 0.1, "{k}: {:.2}% vs {want}%", pct(k));
    }
}

#[test]
fn every_year_is_labelled_illustrative_and_uses_63_province_codes() {
    let reg = registry();
    for &y in &illustrative::YEARS {
        let doc = json(&illustrative::year_path(y));
        let meta = &doc["meta"];
        assert_eq!(meta["illustrative"], true, "{y}");
        assert_eq!(meta["id"], illustrative::DATASET_ID);
        assert_eq!(meta["boundary"], 63);
        assert_eq!(meta["years"], serde_json::json!(illustrative::YEARS));
        assert!(meta["title"]["vi"].as_str().is_some_and(|t| t.contains("minh họa")));
        assert!(meta["description"]["vi"].as_str().is_some_and(|t| t.contains("KHÔNG PHẢI SỐ LIỆU THỐNG KÊ CHÍNH THỨC")));
        let provinces: BTreeSet<&str> =
            doc["entities"]["province"].as_array().expect("province").iter().filter_map(Value::as_str).collect();
        assert_eq!(provinces.len(), 28, "{y}");
        for p in provinces {
            assert!(reg.by_code(Boundary::P63, p).is_some(), "{y}: unknown province {p}");
        }
        assert!(doc["entities"]["year"].as_array().expect("year").iter().all(|v| v.as_u64() == Some(u64::from(y))));
    }
}

/// Parses a shipped file through the engine, exactly as the app does; any error fails the test.
fn engine_parse(rel: &str) -> Parsed {
    let bytes = std::fs::read(path(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"));
    parse_dataset(&bytes, &Limits::default()).unwrap_or_else(|r| panic!("public/{rel} refused by the engine: {r:?}"))
}

fn engine_total(p: &Parsed, id: &str) -> f64 {
    let r = compute_id(&p.dataset, id, &Filter::default(), GroupBy::None);
    r.total.value.unwrap_or_else(|| panic!("{id}: no value ({:?})", r.warnings))
}

#[test]
fn engine_parses_every_year_without_warnings_and_computes_the_article_figures() {
    for &y in &illustrative::YEARS {
        let p = engine_parse(&illustrative::year_path(y));
        assert!(p.dataset.meta.illustrative, "{y}");
        assert!(p.warnings.warnings.is_empty() && p.warnings.more_warnings == 0, "{y}: warnings {:?}", p.warnings);
    }
    let p = engine_parse(&illustrative::year_path(illustrative::LATEST_YEAR));
    let checks: &[(&str, f64, f64)] = &[
        ("htx_count", 2950.0, 3050.0),
        ("tht_count", 4900.0, 4999.0),
        ("qtdnd_count", 19.0, 19.0),
        ("workers", 150_001.0, 155_000.0),
        ("income_avg", 3.0e6, 4.0e6),
        ("htx_high_tech", 570.0, 630.0),
        ("value_chain_units", 470.0, 499.0),
        ("htx_ntm", 901.0, 950.0),
        ("ocop_subjects", 4600.0, 4699.0),
        ("ocop_5star_products", 12.0, 12.0),
    ];
    for &(id, lo, hi) in checks {
        let v = engine_total(&p, id);
        assert!((lo..=hi).contains(&v), "{id} = {v}, expected {lo}..={hi}");
    }
    let tht_rest = 1.0 - 0.383 - 0.261 - 0.333;
    for (id, want) in [("ocop_share_htx", 0.383), ("ocop_share_dn", 0.261), ("ocop_share_hkd", 0.333), ("ocop_share_tht", tht_rest)] {
        let v = engine_total(&p, id);
        assert!((v - want).abs() <= 0.001, "{id} = {v}, expected {want} ± 0.001");
    }
}

#[test]
fn engine_reads_the_official_figures_and_sums_provinces_to_the_gso_totals() {
    let p = engine_parse("data/gso/official.json");
    assert!(!p.dataset.meta.illustrative);
    assert!(p.warnings.warnings.is_empty() && p.warnings.more_warnings == 0, "warnings {:?}", p.warnings);
    let provinces_2022 = |id: &str| -> f64 {
        p.dataset
            .observations
            .iter()
            .filter(|o| o.indicator == id && o.year == 2022 && matches!(o.area, Area::Province(_)))
            .map(|o| o.value)
            .sum()
    };
    assert_eq!(provinces_2022("htx_active"), 15_832.0);
    assert_eq!(provinces_2022("htx_active_workers"), 163_101.0);
    // by province: 63 groups, adding up to the same total
    let filter = Filter { years: Some((2022, 2022)), ..Filter::default() };
    let r = observed(&p.dataset, "htx_active", &filter, GroupBy::Province);
    let provs: Vec<f64> = r
        .groups
        .iter()
        .filter(|(k, _)| matches!(k, GroupKey::Province(_)))
        .filter_map(|(_, c)| c.value)
        .collect();
    assert_eq!(provs.len(), 63);
    assert_eq!(provs.iter().sum::<f64>(), 15_832.0);
}

// ------------------------------------------------------------------------------------------------
// Official figures

#[test]
fn official_province_figures_add_up_to_the_gso_totals() {
    let doc = json("data/gso/official.json");
    assert_eq!(doc["meta"]["illustrative"], false);
    assert_eq!(doc["meta"]["boundary"], 63);
    let reg = registry();
    let obs = doc["observations"].as_array().expect("observations");
    let mut sum_htx = 0.0;
    let mut sum_workers = 0.0;
    let mut provinces = BTreeSet::new();
    for o in obs {
        assert!(o["source"].as_str().is_some_and(|s| !s.is_empty()), "unsourced {o}");
        let area = o["area"].as_str().expect("area");
        let is_province = area.len() == 2 && area.bytes().all(|b| b.is_ascii_digit());
        if is_province {
            assert!(reg.by_code(Boundary::P63, area).is_some(), "unknown province {area}");
        }
        if is_province && o["year"] == 2022 {
            match o["indicator"].as_str() {
                Some("htx_active") => {
                    sum_htx += o["value"].as_f64().expect("value");
                    provinces.insert(area.to_string());
                }
                Some("htx_active_workers") => sum_workers += o["value"].as_f64().expect("value"),
                _ => {}
            }
        }
    }
    assert_eq!(provinces.len(), 63);
    assert_eq!(sum_htx, 15_832.0);
    assert_eq!(sum_workers, 163_101.0);
    // the two concepts stay apart: existing cooperatives are almost twice the active ones
    let total_2022 = obs
        .iter()
        .find(|o| o["area"] == "VN" && o["year"] == 2022 && o["indicator"] == "htx_total")
        .and_then(|o| o["value"].as_f64());
    assert_eq!(total_2022, Some(29_378.0));
    let defs: BTreeSet<&str> =
        doc["indicators"].as_array().expect("indicators").iter().filter_map(|d| d["id"].as_str()).collect();
    assert!(defs.contains("htx_active") && defs.contains("htx_total"));
    for d in doc["indicators"].as_array().expect("indicators") {
        assert_eq!(d["observed"], true, "{d}");
    }
}

/// The official file's targets: the 2025 targets of Decision 1318/QĐ-TTg and the 2030 targets of
/// Resolution 20-NQ/TW, each with its document, wording, source and confidence; the engine reads
/// them and their indicators exist.
#[test]
fn official_targets_are_the_documents_figures_with_their_sources() {
    let p = engine_parse("data/gso/official.json");
    let ds = &p.dataset;
    let target = |id: &str, year: u16| {
        ds.targets
            .iter()
            .find(|t| t.indicator == id && t.year == year && t.area == Area::National)
            .unwrap_or_else(|| panic!("no {year} target for {id}"))
    };
    let expected_2025 = [("tht_total", 134_000.0), ("tht_members", 1_800_000.0), ("htx_total", 35_000.0), ("htx_members", 7_100_000.0), ("lhhtx_total", 210.0), ("lhhtx_member_htx", 1_100.0)];
    for (id, value) in expected_2025 {
        let t = target(id, 2025);
        assert_eq!(t.value, value, "{id}");
        assert!(t.document.as_deref().is_some_and(|d| d.contains("1318/QĐ-TTg")), "{id}: {:?}", t.document);
        assert!(t.wording.as_deref().is_some_and(|w| w.contains("35.000 HTX với 7,1 triệu thành viên")), "{id}");
    }
    let expected_2030 = [("tht_total", 140_000.0), ("tht_members", 2_000_000.0), ("htx_total", 45_000.0), ("htx_members", 8_000_000.0), ("lhhtx_total", 340.0), ("lhhtx_member_htx", 1_700.0), ("kttt_good_fair_share", 0.6), ("kttt_good_value_chain_share", 0.5), ("htx_high_tech_total", 5_000.0)];
    for (id, value) in expected_2030 {
        let t = target(id, 2030);
        assert_eq!(t.value, value, "{id}");
        assert!(t.document.as_deref().is_some_and(|d| d.contains("20-NQ/TW")), "{id}");
        assert!(t.wording.as_deref().is_some_and(|w| w.contains("45.000 hợp tác xã với 8 triệu thành viên")), "{id}");
    }
    assert_eq!(ds.targets.len(), expected_2025.len() + expected_2030.len());
    for t in &ds.targets {
        assert!(!t.source.is_empty() && t.confidence.is_some(), "{t:?}");
        assert!(ds.indicator(&t.indicator).is_some_and(|d| d.unit == t.unit), "{t:?}");
    }
}

/// Where two sources disagree, both figures are shipped and the engine draws the more official
/// one: the ministry's 33,335 cooperatives at end-2024 (not the Alliance's 33,557), the
/// coordination office's 14,642 OCOP products (not the magazine's 15,590); and the series runs to
/// 2025 with the Ministry of Finance's 35,041.
#[test]
fn official_rivals_are_kept_and_the_rule_chooses() {
    let p = engine_parse("data/gso/official.json");
    let ds = &p.dataset;
    let national = |id: &str, year: u16| -> Vec<f64> {
        ds.observations.iter().filter(|o| o.indicator == id && o.year == year && o.area == Area::National).map(|o| o.value).collect()
    };
    assert_eq!(national("htx_total", 2024), [33_557.0, 33_335.0]);
    assert_eq!(national("ocop_products_rated", 2024), [14_642.0, 15_590.0]);
    let drawn = |id: &str, year: u16| {
        let f = Filter { years: Some((year, year)), ..Filter::default() };
        observed(ds, id, &f, GroupBy::None).total.value
    };
    assert_eq!(drawn("htx_total", 2024), Some(33_335.0));
    assert_eq!(drawn("ocop_products_rated", 2024), Some(14_642.0));
    assert_eq!(drawn("ocop_subjects_rated", 2024), Some(8_086.0));
    assert_eq!(drawn("htx_total", 2025), Some(35_041.0));
    assert_eq!(drawn("lhhtx_total", 2025), Some(164.0));
    assert_eq!(drawn("htx_total", 2022), Some(29_378.0), "GSO/MPI over the Alliance's November count");
    // The two measures keep their own ids: "active with business results" is never "existing".
    assert_eq!(drawn("htx_active", 2022), Some(15_832.0));
    assert!(ds.meta.years.contains(&2025));
}

// ------------------------------------------------------------------------------------------------
// Map shapes

fn check_shapes(file: &str, b: Boundary, belongs: (&str, &str)) {
    let path = format!("{}/scripts/geo/{file}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let reg = registry();
    let features = doc["features"].as_array().expect("features");
    let mut codes = BTreeSet::new();
    for f in features {
        let p = &f["properties"];
        let code = p["code"].as_str().expect("code");
        assert!(matches!(f["geometry"]["type"].as_str(), Some("MultiPolygon" | "Polygon")), "{code}");
        let polys = f["geometry"]["coordinates"].as_array().expect("coordinates");
        assert!(!polys.is_empty(), "{file}: {code} has no polygon");
        if code == "HS" || code == "TS" {
            assert_eq!(p["label"], true);
            let owner = if code == "HS" { belongs.0 } else { belongs.1 };
            assert_eq!(p["belongs_to"], owner, "{file}: {code}");
        } else {
            let prov = reg.by_code(b, code).unwrap_or_else(|| panic!("{file}: unknown code {code}"));
            assert_eq!(p["name"], prov.name, "{file}: name of {code}");
        }
        assert!(codes.insert(code.to_string()), "{file}: duplicate {code}");
    }
    let expected: BTreeSet<String> = reg.provinces(b).iter().map(|p| p.code.to_string()).collect();
    let got: BTreeSet<String> = codes.iter().filter(|c| *c != "HS" && *c != "TS").cloned().collect();
    assert_eq!(got, expected, "{file}");
    assert!(codes.contains("HS") && codes.contains("TS"), "{file}: archipelagos");
    assert_eq!(reg.by_code(b, belongs.0).map(|p| p.name), Some("Đà Nẵng"));
    assert_eq!(reg.by_code(b, belongs.1).map(|p| p.name), Some("Khánh Hòa"));
}

/// The GeoJSON the SVG shapes are projected from (scripts/geo/svg_map.py); the app ships only the
/// projected paths (`public/geo/vn63-svg.tsv`, checked in `shapes`' own tests).
#[test]
fn map_shapes_have_every_province_and_the_archipelagos() {
    check_shapes("vn63.json", Boundary::P63, ("48", "56"));
    check_shapes("vn34.json", Boundary::P34, ("48", "56"));
}

/// The projected shapes in the repository are what the generator makes of the GeoJSON today: a
/// change to either without rerunning `python3 scripts/geo/svg_map.py` fails here.
#[test]
fn svg_map_shapes_are_up_to_date_with_their_generator() {
    let out = std::process::Command::new("python3")
        .arg(format!("{}/scripts/geo/svg_map.py", env!("CARGO_MANIFEST_DIR")))
        .arg("--check")
        .output()
        .expect("python3 runs scripts/geo/svg_map.py");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

// ------------------------------------------------------------------------------------------------
// Packed forms (what the page fetches)

/// Every file the catalogue lists goes through the full checks, is packed as `scripts/build.sh`
/// packs it, and decodes to the same figures: the page, which only decodes, computes exactly what
/// the checked JSON says.
#[test]
fn every_catalogued_file_packs_and_decodes_to_the_same_figures() {
    use coop_atlas::engine::wire;
    let catalog = json("data/catalog.json");
    let mut n = 0;
    for d in catalog["datasets"].as_array().expect("datasets") {
        for file in d["files"].as_object().expect("files").values() {
            let rel = file.as_str().expect("path").trim_start_matches("data/").to_string();
            let p = engine_parse(&format!("data/{rel}"));
            // As scripts/build.sh packs it: without the unit ids, which the page never shows.
            let mut bare = p.dataset.clone();
            bare.entities.clear_ids();
            let back = wire::decode(&wire::encode(&bare)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert_eq!(back.meta, p.dataset.meta, "{rel}");
            assert_eq!(back.observations, p.dataset.observations, "{rel}");
            assert_eq!(back.indicators, p.dataset.indicators, "{rel}");
            for def in coop_atlas::engine::indicators::builtins() {
                let a = compute_id(&p.dataset, &def.id, &Filter::default(), GroupBy::Province);
                let b = compute_id(&back, &def.id, &Filter::default(), GroupBy::Province);
                assert_eq!(format!("{:?}", a.groups), format!("{:?}", b.groups), "{rel}: {}", def.id);
            }
            n += 1;
        }
    }
    assert!(n >= 7, "only {n} files in the catalogue");
}
