//! Runs the built `coop-atlas` binary on the fixture files, checking exit codes and output, so the
//! command publishers use to check files keeps working exactly as documented.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coop-atlas"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn validate_exit_codes_and_messages() {
    let cases: &[(&str, i32, &[&str])] = &[
        ("tests/fixtures/good_columnar.json", 0, &["ok — 5 rows, 3 observations, 1 indicator definitions, boundary 63"]),
        ("tests/fixtures/good_rows.json", 0, &["ok — 3 rows", "warning: found an unknown top-level key \"extra\""]),
        (
            "tests/fixtures/bad_types.json",
            1,
            &[
                "error: row 2, field \"kind\": found \"coop\", expected one of htx (Cooperative), tht (Cooperative group), qtdnd (People's credit fund), lhhtx (Union of cooperatives), dn (Enterprise), hkd (Household business)",
                "error: row 2, field \"workers\": found -3, expected a whole number ≥ 0",
                "error: row 3, field \"workers\": found \"many\", expected a whole number ≥ 0",
                "error: row 2, field \"province\": found \"99\"",
                "error: row 3, field \"id\": found \"A\", expected an id used once in 2024; it is already used in row 1",
                "refused — 5 errors",
            ],
        ),
        ("tests/fixtures/broken.json", 1, &["error: line 3, column 1: found the end of the file"]),
        ("tests/fixtures/utf16.json", 1, &["save it as UTF-8"]),
        ("tests/fixtures/wrong_boundary.json", 1, &["a code of the 63-province list", "set \"boundary\": 63"]),
        ("tests/fixtures/does-not-exist.json", 2, &["cannot read"]),
    ];
    for (file, code, needles) in cases {
        let o = run(&["validate", file]);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(*code), "{file}: {t}");
        for n in *needles {
            assert!(t.contains(n), "{file}: missing {n:?} in\n{t}");
        }
    }
}

#[test]
fn validate_lists_errors_from_the_top_of_the_file_down() {
    // The checks go a column at a time (all kinds, then all workers, …): bad_types.json has errors
    // in rows 2 and 3 of several columns, found out of row order.
    let o = run(&["validate", "tests/fixtures/bad_types.json"]);
    let rows: Vec<usize> = text(&o)
        .lines()
        .filter_map(|l| l.strip_prefix("error: row "))
        .filter_map(|l| l.split(',').next()?.parse().ok())
        .collect();
    assert!(rows.len() >= 5, "{rows:?}");
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(rows, sorted, "errors not in file order");
}

#[test]
fn validate_speaks_vietnamese_on_request() {
    let o = run(&["validate", "tests/fixtures/bad_types.json", "--lang", "vi"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    for n in [
        "lỗi: hàng 2, cột Số lao động: ghi -3, cần một số nguyên từ 0 trở lên",
        "lỗi: hàng 3, cột Mã đơn vị: ghi \"A\", cần một mã khác: mã này đã dùng ở hàng 1 (mỗi đơn vị một mã riêng trong năm 2024)",
        "bị từ chối — 5 lỗi",
    ] {
        assert!(t.contains(n), "missing {n:?} in\n{t}");
    }
    assert!(!t.contains("expected"), "English left in\n{t}");
    let ok = run(&["validate", "tests/fixtures/good_columnar.json", "--lang", "vi"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(text(&ok).contains("đạt — 5 hàng"), "{}", text(&ok));
    assert_eq!(run(&["validate", "tests/fixtures/good_columnar.json", "--lang", "fr"]).status.code(), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &[],
        &["frobnicate"],
        &["validate"],
        &["validate", "a", "b"],
        &["indicators"],
        &["indicators", "tests/fixtures/good_columnar.json", "--year"],
        &[
            "indicators",
            "tests/fixtures/good_columnar.json",
            "--year",
            "soon",
        ],
        &[
            "indicators",
            "tests/fixtures/good_columnar.json",
            "--kind",
            "coop",
        ],
        &[
            "indicators",
            "tests/fixtures/good_columnar.json",
            "--units",
            "40",
        ],
        &[
            "indicators",
            "tests/fixtures/good_columnar.json",
            "--group",
            "district",
        ],
        &[
            "indicators",
            "tests/fixtures/good_columnar.json",
            "--province",
            "02",
            "--units",
            "34",
        ],
        &[
            "indicators",
            "tests/fixtures/good_columnar.json",
            "--colour",
            "red",
        ],
    ];
    for args in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("USAGE"), "{args:?}");
    }
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn indicator<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["indicators"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == id))
        .unwrap_or(&serde_json::Value::Null)
}

#[test]
fn indicators_totals_and_filters() {
    let f = "tests/fixtures/good_columnar.json";
    let all = json(&["indicators", f]);
    assert_eq!(all["rows"], 5);
    assert_eq!(indicator(&all, "htx_count")["total"]["value"], 3.0);
    assert_eq!(indicator(&all, "htx_agri_share")["total"]["value"], 1.0);
    assert_eq!(indicator(&all, "htx_active")["total"]["value"], 19000.0);
    assert_eq!(
        indicator(&all, "htx_active")["sources"][0],
        "GSO 2022 (confidence: high)"
    );

    let y = json(&["indicators", f, "--year", "2024", "--kind", "htx"]);
    assert_eq!(y["selected_rows"], 2);
    assert_eq!(indicator(&y, "htx_count")["total"]["value"], 2.0);
    // (5M × 10 + 9M × 30) / 40
    assert_eq!(indicator(&y, "income_avg")["total"]["value"], 8_000_000.0);

    let p = json(&["indicators", f, "--province", "19~06"]);
    assert_eq!(p["selected_rows"], 3);
    let p2 = json(&["indicators", f, "--province", "19,06"]);
    assert_eq!(p2["selected_rows"], 3);
    let r = json(&["indicators", f, "--region", "dbsh"]);
    assert_eq!(r["selected_rows"], 2);
}

#[test]
fn indicators_grouped_in_34() {
    let g = json(&[
        "indicators",
        "tests/fixtures/good_columnar.json",
        "--units",
        "34",
        "--group",
        "province",
    ]);
    assert_eq!(g["view"], 34);
    let htx = indicator(&g, "htx_count");
    let groups = htx["groups"].as_array().cloned().unwrap_or_default();
    // Thái Nguyên (19) and Bắc Kạn (06) merge into Thái Nguyên (19) of the 34.
    let tn = groups
        .iter()
        .find(|x| x["province"] == "19")
        .cloned()
        .unwrap_or_default();
    assert_eq!(tn["value"], 2.0);
    assert_eq!(tn["name"], "Thái Nguyên");
    let obs = indicator(&g, "htx_active");
    assert_eq!(obs["groups"][0]["value"], 333.0);
    let years = json(&[
        "indicators",
        "tests/fixtures/good_columnar.json",
        "--group",
        "year",
    ]);
    let ys: Vec<i64> = indicator(&years, "htx_count")["groups"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["year"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(ys, vec![2023, 2024]);
}

/// A `.csv` is read as the app reads it (issue 14 item 5): before, it was parsed as JSON and
/// refused with "found the character "M" at the top level".
#[test]
fn validate_reads_csv_as_the_app_does() {
    let o = run(&["validate", "tests/fixtures/own-good-vi.csv", "--lang", "vi"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("đạt — 40 hàng"), "{t}");

    // A value error names the spreadsheet row (header = row 1), as the app does.
    let o = run(&["validate", "tests/bad-files/bad-values.csv"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("row 3, field \"workers\": found -3"), "{t}");
    assert!(!t.contains("top level"), "{t}");

    // A column that resembles no field: an error naming it and listing the recognised headers.
    let o = run(&["validate", "tests/fixtures/own-needs-mapping.csv", "--lang", "vi"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    // In Vietnamese the headers are listed as a Vietnamese register writes them, never as keys.
    assert!(t.contains("cột \"ghi chu\": Atlas không nhận ra tiêu đề này"), "{t}");
    assert!(t.contains("\"Số lao động\", ") && !t.contains("\"workers\""), "{t}");
    assert!(t.contains("\"Tỉnh (mã hoặc tên)\""), "{t}");
    let en = text(&run(&["validate", "tests/fixtures/own-needs-mapping.csv"]));
    assert!(en.contains("\"Workers\" / \"workers\""), "{en}");
}

#[test]
fn indicators_read_csv() {
    let v = json(&["indicators", "tests/fixtures/own-good-vi.csv"]);
    assert_eq!(v["rows"], 40);
    assert_eq!(v["dataset"], "own-good-vi");
    assert_eq!(indicator(&v, "htx_count")["total"]["value"], 20.0);
    let y = json(&["indicators", "tests/fixtures/own-good-vi.csv", "--kind", "htx"]);
    assert_eq!(y["selected_rows"], 20);
}

/// A register as provincial offices keep it (title rows, STT, Tên HTX, an old province name, totals
/// rows, `;` and decimal commas) passes, with warnings saying what was done.
#[test]
fn validate_reads_a_provincial_register() {
    let o = run(&["validate", "tests/fixtures/register-vi.csv", "--lang", "vi"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("đạt — 5 hàng"), "{t}");
    assert!(t.contains("2 hàng tổng cộng hoặc cộng nhóm (hàng 11, 12)"), "{t}");
    assert!(t.contains("đã tính vào Hà Nội"), "{t}");
    let v = json(&["indicators", "tests/fixtures/register-vi.csv", "--group", "province"]);
    assert_eq!(v["rows"], 5);
    assert_eq!(indicator(&v, "htx_count")["total"]["value"], 4.0);
}

/// An Excel workbook is read as the app reads it: the register sheet (not the instructions sheet
/// before it), its merged header, dates as years, totals rows skipped, issues named by cell.
#[test]
fn validate_and_indicators_read_an_excel_workbook() {
    for f in ["tests/fixtures/register-openpyxl.xlsx", "tests/fixtures/register-libreoffice.xlsx"] {
        let o = run(&["validate", f, "--lang", "vi"]);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(0), "{f}: {t}");
        assert!(t.contains("đạt — 5 hàng"), "{f}: {t}");
        assert!(t.contains("(hàng 12, 13)"), "{f}: {t}");
        assert!(t.contains("đã tính vào Hà Nội"), "{f}: {t}");
        let v = json(&["indicators", f, "--group", "province"]);
        assert_eq!(v["rows"], 5, "{f}");
        assert_eq!(indicator(&v, "htx_count")["total"]["value"], 4.0, "{f}");
    }
}

/// Bad workbooks are refused (exit 1) with their own message, saying what to do.
#[test]
fn validate_refuses_bad_workbooks_with_what_to_do() {
    for (f, says) in [
        ("tests/fixtures/register-excel97.xls", "Lưu thành → \"Excel Workbook (.xlsx)\""),
        ("tests/fixtures/register-password.xlsx", "gỡ mật khẩu"),
        ("tests/fixtures/register-truncated.xlsx", "sổ tính bị hỏng"),
        ("tests/fixtures/bomb.xlsx", "giải nén ra từ"),
        // A mistake in a cell is named as Excel names the cell.
        ("tests/fixtures/register-mistake.xlsx", "ô 'Danh sách HTX'!I9"),
    ] {
        let o = run(&["validate", f, "--lang", "vi"]);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{f}: {t}");
        assert!(t.contains(says), "{f}: {t}");
    }
}

/// `pack` writes what the page decodes; `--without-ids` (what scripts/build.sh asks for) leaves the
/// unit ids out: the same rows, a smaller file; any other third argument is refused.
#[test]
fn pack_with_and_without_ids() {
    let dir = std::env::temp_dir().join(format!("coop-atlas-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (full, bare) = (dir.join("full.pack"), dir.join("bare.pack"));
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/public/data/dtts-mn/2024.json");
    assert!(run(&["pack", src, full.to_str().unwrap()]).status.success());
    let o = run(&["pack", src, bare.to_str().unwrap(), "--without-ids"]);
    assert!(o.status.success(), "{}", text(&o));
    let (a, b) = (std::fs::read(&full).unwrap(), std::fs::read(&bare).unwrap());
    let (da, db) = (coop_atlas::engine::wire::decode(&a).unwrap(), coop_atlas::engine::wire::decode(&b).unwrap());
    assert_eq!(da.entities.len(), db.entities.len());
    assert!(!da.entities.id(0).is_empty() && db.entities.id(0).is_empty());
    assert!(b.len() < a.len(), "{} vs {} bytes", b.len(), a.len());
    let o = run(&["pack", src, bare.to_str().unwrap(), "--ids"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
