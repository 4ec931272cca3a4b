//! `coop-atlas` — check a dataset file and compute its indicators from the command line, with the
//! same engine the browser runs, so a publisher can test a file before putting it online.
//!
//! ```text
//! coop-atlas validate FILE [--lang vi|en]
//! coop-atlas pack FILE OUT
//! coop-atlas indicators FILE [--year Y | --year Y1-Y2] [--province 19~06 | 19,06] [--region R]
//!                            [--kind K[,K]] [--units 34|63] [--group province|region|year|kind]
//! ```
//!
//! FILE is the JSON format, a `.csv` as the app reads it (columns guessed from the headers), or an
//! Excel workbook (`.xlsx`, told by its bytes), whose first sheet that looks like a register is
//! read as a CSV would be, its issues naming cells as Excel does (`Sheet1!C12`).
//!
//! Exit codes: 0 success (warnings allowed), 1 the file has errors, 2 usage error or unreadable
//! file. Arguments are parsed by hand (no clap) to keep the build light.

use std::process::ExitCode;

use coop_atlas::engine::csv_import;
use coop_atlas::engine::dataset::Dataset;
use coop_atlas::engine::error::Report;
use coop_atlas::engine::filter::Filter;
use coop_atlas::engine::indicators::{self, Cell, GroupBy, GroupKey, IndicatorResult};
use coop_atlas::engine::parse::{parse_dataset, Limits};
use coop_atlas::engine::provinces::{normalise_code, registry};
use coop_atlas::engine::vocab::{Boundary, Kind, Lang, Region};
use serde_json::{json, Value};

const USAGE: &str = "\
coop-atlas — kiểm tra tệp dữ liệu và tính chỉ tiêu / check a dataset file and compute indicators

FILE is a dataset in the JSON format, a .csv (columns recognised from their headers, as in the app),
or an .xlsx workbook (its first sheet that looks like a register, read as the app reads it).

USAGE:
    coop-atlas validate FILE [--lang vi|en]
    coop-atlas indicators FILE [OPTIONS]
    coop-atlas pack FILE OUT [--without-ids]
                                 check FILE (every check, as validate) and write it packed for
                                 the app's first view (engine::wire); refuses a file with errors;
                                 --without-ids leaves the unit ids out (the page never shows them)

OPTIONS (validate):
    --lang vi|en             the language of the messages (default: en)

OPTIONS (indicators):
    --year Y | Y1-Y2         one year or an inclusive range (2024, 2020-2024)
    --province CODES         province codes of the --units version, separated by ~ or , (19~06)
    --region R               tdmnpb, dbsh, btb, tn, dnb, dbscl
    --kind K[,K]             htx, tht, qtdnd, lhhtx, dn, hkd
    --units 63|34            boundary version of the view (default: the file's)
    --group G                province, region, year or kind (default: totals only)

EXIT CODES:
    0 ok (warnings allowed) · 1 the file has errors · 2 usage error or unreadable file
";

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("validate") => match args.get(1..) {
            Some([file]) => validate(file, Lang::En),
            Some([file, flag, code]) if flag == "--lang" => match Lang::from_code(code) {
                Some(lang) => validate(file, lang),
                None => usage_error(&format!("--lang takes vi or en, not \"{code}\"")),
            },
            _ => usage_error("validate takes one FILE and optionally --lang vi|en"),
        },
        Some("indicators") => match args.get(1) {
            Some(file) if !file.starts_with("--") => {
                indicators_cmd(file, args.get(2..).unwrap_or(&[]))
            }
            _ => usage_error("indicators needs a FILE"),
        },
        Some("pack") => match args.get(1..) {
            Some([file, out]) => pack(file, out, false),
            Some([file, out, flag]) if flag == "--without-ids" => pack(file, out, true),
            _ => usage_error("pack takes a FILE and an OUT path, and optionally --without-ids"),
        },
        Some("-h") | Some("--help") | Some("help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command \"{other}\"")),
        None => usage_error("no command"),
    }
}

/// Reads and parses a file; `Err(code)` after printing what went wrong, in `lang`.
fn load(file: &str, lang: Lang) -> Result<(Dataset, Report), ExitCode> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {file}: {e}");
            return Err(ExitCode::from(2));
        }
    };
    // Listed from the top of the file down, as the app lists them: a publisher fixes the file in
    // that order (the checks find them a column at a time).
    match read_dataset(file, &bytes) {
        Ok(mut p) => {
            p.warnings.sort_by_place();
            Ok((p.dataset, p.warnings))
        }
        Err(mut report) => {
            report.sort_by_place();
            // The same mistake in many rows is one line (issue 14 item 3).
            print!("{}", report.text(lang));
            let (e, w) = (report.error_count(), report.warning_count());
            match lang {
                Lang::Vi => println!("{file}: bị từ chối — {e} lỗi, {w} cảnh báo"),
                Lang::En => println!("{file}: refused — {e} errors, {w} warnings"),
            }
            Err(ExitCode::from(1))
        }
    }
}

/// A `.csv` or a workbook goes through the same reader, automatic column guess and conversion as
/// one opened in the app (`engine::csv_import`, `engine::workbook`), so a publisher checking a
/// file here sees what the app would show; anything else is read as the JSON format.
fn read_dataset(file: &str, bytes: &[u8]) -> Result<coop_atlas::engine::parse::Parsed, Report> {
    let is_csv = std::path::Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let name = std::path::Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or(file);
    // A workbook by its bytes, whatever its name (an `.xls` renamed `.xlsx` gets its own message).
    if coop_atlas::engine::workbook::looks_like_workbook(bytes) {
        return csv_import::import_workbook(bytes, &csv_import::id_from_file_name(name), name);
    }
    if is_csv {
        csv_import::import(bytes, &csv_import::id_from_file_name(name), name, &Limits::default())
    } else {
        parse_dataset(bytes, &Limits::default())
    }
}

fn validate(file: &str, lang: Lang) -> ExitCode {
    match load(file, lang) {
        Err(code) => code,
        Ok((ds, warnings)) => {
            print!("{}", warnings.text(lang));
            let (rows, obs, defs) = (ds.entities.len(), ds.observations.len(), ds.indicators.len());
            let (b, w) = (ds.meta.boundary.number(), warnings.warning_count());
            match lang {
                Lang::Vi => println!("{file}: đạt — {rows} hàng, {obs} số liệu công bố, {defs} định nghĩa chỉ tiêu, địa giới {b} tỉnh, {w} cảnh báo"),
                Lang::En => println!("{file}: ok — {rows} rows, {obs} observations, {defs} indicator definitions, boundary {b}, {w} warnings"),
            }
            ExitCode::SUCCESS
        }
    }
}

/// Checks a file exactly as `validate` does and writes it in the packed form the app's first view
/// reads (`engine::wire`): the page then decodes columns instead of parsing and checking JSON, and
/// its wasm carries no JSON dataset parser. A file with errors is refused (exit 1), nothing written.
fn pack(file: &str, out: &str, without_ids: bool) -> ExitCode {
    match load(file, Lang::En) {
        Err(code) => code,
        Ok((mut ds, warnings)) => {
            if without_ids {
                ds.entities.clear_ids();
            }
            print!("{}", warnings.text(Lang::En));
            let bytes = coop_atlas::engine::wire::encode(&ds);
            if let Err(e) = std::fs::write(out, &bytes) {
                eprintln!("error: cannot write {out}: {e}");
                return ExitCode::from(2);
            }
            println!("{file} -> {out}: {} rows, {} bytes", ds.entities.len(), bytes.len());
            ExitCode::SUCCESS
        }
    }
}

struct Options {
    filter: Filter,
    group: GroupBy,
    province_codes: Vec<String>,
    units: Option<Boundary>,
}

fn split_list(s: &str) -> Vec<&str> {
    s.split(['~', ','])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        filter: Filter::default(),
        group: GroupBy::None,
        province_codes: Vec::new(),
        units: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--year" => {
                let v = value()?;
                let parse = |s: &str| {
                    s.trim()
                        .parse::<u16>()
                        .map_err(|_| format!("--year: \"{s}\" is not a year"))
                };
                let (a, b) = match v.split_once('-') {
                    Some((a, b)) => (parse(a)?, parse(b)?),
                    None => {
                        let y = parse(v)?;
                        (y, y)
                    }
                };
                if a > b {
                    return Err(format!("--year: {a} is after {b}"));
                }
                o.filter.years = Some((a, b));
            }
            "--province" => {
                o.province_codes = split_list(value()?).into_iter().map(String::from).collect()
            }
            "--region" => {
                let v = value()?;
                o.filter.region = Some(Region::from_code(v).ok_or_else(|| {
                    format!("--region: \"{v}\" is not one of {}", Region::codes_list())
                })?);
            }
            "--kind" => {
                for k in split_list(value()?) {
                    o.filter.rows.kinds.push(Kind::from_code(k).ok_or_else(|| {
                        format!("--kind: \"{k}\" is not one of {}", Kind::codes_list())
                    })?);
                }
            }
            "--units" => {
                let v = value()?;
                o.units = Some(
                    v.parse::<u64>()
                        .ok()
                        .and_then(Boundary::from_number)
                        .ok_or_else(|| format!("--units: \"{v}\" is not 63 or 34"))?,
                );
            }
            "--group" => {
                let v = value()?;
                o.group = match GroupBy::from_code(v) {
                    Some(g) => g,
                    None => {
                        return Err(format!(
                            "--group: \"{v}\" is not one of province, region, year, kind"
                        ))
                    }
                };
            }
            other => return Err(format!("unknown option \"{other}\"")),
        }
    }
    Ok(o)
}

fn cell_json(c: &Cell) -> Value {
    json!({"value": c.value, "n": c.n, "num": c.num, "den": c.den})
}

fn key_json(k: &GroupKey, view: Boundary) -> Value {
    match k {
        GroupKey::Province(p) => {
            let prov = registry().get(view, *p);
            json!({"province": prov.map(|p| p.code), "name": prov.map(|p| p.name)})
        }
        GroupKey::Region(r) => json!({"region": r.code(), "name": r.label(Lang::Vi)}),
        GroupKey::Year(y) => json!({"year": y}),
        GroupKey::Kind(k) => json!({"kind": k.code(), "name": k.label(Lang::Vi)}),
    }
}

fn result_json(ds: &Dataset, r: &IndicatorResult) -> Value {
    let def = indicators::find(ds, &r.id);
    let groups: Vec<Value> = r
        .groups
        .iter()
        .map(|(k, c)| {
            let mut v = key_json(k, r.view);
            if let (Value::Object(m), Value::Object(cm)) = (&mut v, cell_json(c)) {
                m.extend(cm);
            }
            v
        })
        .collect();
    json!({
        "id": r.id,
        "label": def.map(|d| json!({"vi": d.label.vi, "en": d.label.en})),
        "unit": r.unit.code(),
        "total": cell_json(&r.total),
        "groups": groups,
        "warnings": r.warnings.iter().map(|w| w.message(Lang::En)).collect::<Vec<_>>(),
        "sources": r.sources,
    })
}

fn indicators_cmd(file: &str, args: &[String]) -> ExitCode {
    let mut opts = match parse_options(args) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let (ds, warnings) = match load(file, Lang::En) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if warnings.warning_count() > 0 {
        eprint!("{warnings}");
    }
    let view = opts.units.unwrap_or(ds.meta.boundary);
    opts.filter.view = view;
    for code in &opts.province_codes {
        let idx = normalise_code(code).and_then(|c| registry().index_of(view, &c));
        match idx {
            Some(i) => opts.filter.provinces.push(i),
            None => {
                return usage_error(&format!(
                    "--province: \"{code}\" is not a province code of the {}-province list",
                    view.number()
                ))
            }
        }
    }
    let f = &opts.filter;
    // A file of published totals only has no rows: built-ins would all be zero, so skip them.
    let mut results: Vec<IndicatorResult> = if ds.entities.is_empty() {
        Vec::new()
    } else if opts.group == GroupBy::None {
        indicators::compute_all(&ds, f)
    } else {
        indicators::builtins()
            .iter()
            .map(|d| indicators::compute(&ds, d, f, opts.group))
            .collect()
    };
    for d in &ds.indicators {
        results.push(indicators::compute(&ds, d, f, opts.group));
    }
    let mut observed_ids: Vec<&str> = Vec::new();
    for o in &ds.observations {
        let id = o.indicator.as_str();
        if !observed_ids.contains(&id) && indicators::find(&ds, id).is_none_or(|d| d.observed) {
            observed_ids.push(id);
        }
    }
    for id in observed_ids {
        if !results.iter().any(|r| r.id == id) {
            results.push(indicators::observed(&ds, id, f, opts.group));
        }
    }
    let out = json!({
        "dataset": ds.meta.id,
        "illustrative": ds.meta.illustrative,
        "boundary": ds.meta.boundary.number(),
        "view": f.effective_view(ds.meta.boundary).number(),
        "rows": ds.entities.len(),
        "selected_rows": f.mask(&ds).count(),
        "years": indicators::years(&ds),
        "group": opts.group.code(),
        "indicators": results.iter().map(|r| result_json(&ds, r)).collect::<Vec<_>>(),
    });
    match serde_json::to_string_pretty(&out) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write JSON: {e}");
            ExitCode::from(2)
        }
    }
}
