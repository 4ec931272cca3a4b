//! The Excel downloads, read back with a zip reader that is not ours (the `zip` crate): the Table
//! tab's workbook and a refused file's report are valid zips whose sheet holds numbers as number
//! cells and text as text, the source and the illustrative label, and the same figures as the
//! table on screen.
//!
//! The test also leaves the Vietnamese table's workbook and the figures it must hold in
//! `target/xlsx-out/`, for `python3 tests/xlsx_openpyxl.py` (openpyxl, a third reader) to check.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::PathBuf;

use coop_atlas::checker::protocol::FromWorker;
use coop_atlas::dashboard::{table, table_book, Table, TableBy};
use coop_atlas::engine::dataset::Dataset;
use coop_atlas::engine::parse::{parse_dataset, Limits};
use coop_atlas::engine::url_state::ViewState;
use coop_atlas::engine::vocab::Lang;
use coop_atlas::engine::xlsx_out::{self, column_name};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bundled(path: &str) -> Dataset {
    let bytes = std::fs::read(root().join("public/data").join(path)).expect("bundled file");
    parse_dataset(&bytes, &Limits::default()).expect("bundled data parses").dataset
}

/// Every entry of the zip, by name, read (and CRC-checked) by the `zip` crate.
fn unzip(bytes: &[u8]) -> HashMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let mut text = String::new();
        f.read_to_string(&mut text).expect("UTF-8 entry with the right CRC");
        out.insert(f.name().to_string(), text);
    }
    out
}

/// One cell of a sheet's XML: its reference, its type attribute, its style and its value (the
/// number of `<v>`, or the text of an inline string).
#[derive(Debug, Clone, PartialEq)]
struct XmlCell {
    at: String,
    ty: Option<String>,
    style: Option<String>,
    value: String,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(tag[i..].split('"').next()?.to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The cells of a worksheet, by reference (`B2`).
fn cells(sheet: &str) -> HashMap<String, XmlCell> {
    let mut out = HashMap::new();
    for part in sheet.split("<c ").skip(1) {
        let tag_end = part.find('>').expect("tag end");
        let tag = format!(" {}", &part[..tag_end]);
        let body = &part[tag_end + 1..part.find("</c>").expect("a closed cell")];
        let value = if let Some(v) = body.strip_prefix("<v>") {
            v.trim_end_matches("</v>").to_string()
        } else {
            let start = body.find("<t").expect("inline text");
            let text = &body[start..];
            let open_end = text.find('>').unwrap() + 1;
            unescape(&text[open_end..text.find("</t>").unwrap()])
        };
        let cell = XmlCell { at: attr(&tag, "r").unwrap(), ty: attr(&tag, "t"), style: attr(&tag, "s"), value };
        out.insert(cell.at.clone(), cell);
    }
    out
}

fn table_vi() -> Table {
    table(&bundled("dtts-mn/2024.json"), &ViewState::default(), TableBy::Province, Lang::Vi)
}

#[test]
fn the_table_workbook_is_a_zip_of_typed_cells_with_its_source_and_label() {
    let tb = table_vi();
    let bytes = xlsx_out::write(&table_book(&tb, Lang::Vi));
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    let parts = unzip(&bytes);
    for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"] {
        assert!(parts.contains_key(name), "{name} missing: {:?}", parts.keys());
    }
    assert!(parts["xl/workbook.xml"].contains(r#"<sheet name="Bảng""#), "{}", parts["xl/workbook.xml"]);
    let sheet = &parts["xl/worksheets/sheet1.xml"];
    let c = cells(sheet);

    // The header: Vietnamese text, bold (style 1), frozen while scrolling.
    assert_eq!(c["A1"].value, "Mã");
    assert_eq!(c["A1"].ty.as_deref(), Some("inlineStr"));
    assert_eq!(c["A1"].style.as_deref(), Some("1"));
    assert!(sheet.contains(r#"state="frozen""#));
    for (i, col) in tb.columns.iter().enumerate() {
        assert_eq!(c[&format!("{}1", column_name(i + 1))].value, col.label, "header of column {i}");
    }

    // Every row: its code and name as text, each figure a number cell equal to the table's.
    let mut numbers = 0;
    for (r, row) in tb.rows.iter().chain(std::iter::once(&tb.total)).enumerate() {
        let n = r + 2;
        assert_eq!(c[&format!("A{n}")].value, row.key);
        assert_eq!(c[&format!("A{n}")].ty.as_deref(), Some("inlineStr"), "a code is text: 01 keeps its zero");
        assert_eq!(c[&format!("B{n}")].value, row.label);
        for (k, v) in row.values.iter().enumerate() {
            let at = format!("{}{n}", column_name(k + 2));
            match v.filter(|x| x.is_finite()) {
                None => assert!(!c.contains_key(&at), "{at}: a missing figure is an empty cell, never 0"),
                Some(x) => {
                    let cell = &c[&at];
                    assert_eq!(cell.ty, None, "{at} is a number cell, not text: {cell:?}");
                    assert_eq!(cell.value.parse::<f64>().unwrap(), x, "{at}");
                    assert!(matches!(cell.style.as_deref(), Some("2" | "3" | "4")), "{at} has a number format: {cell:?}");
                    numbers += 1;
                }
            }
        }
    }
    assert!(numbers >= tb.rows.len() * 5, "only {numbers} number cells");

    // Below the table: the source and the illustrative label, as text.
    let texts: Vec<&str> = c.values().filter(|x| x.ty.as_deref() == Some("inlineStr")).map(|x| x.value.as_str()).collect();
    assert!(texts.iter().any(|t| t.starts_with("Nguồn: ") && t.contains(&tb.source)), "{texts:?}");
    assert!(tb.illustrative);
    assert!(texts.contains(&"Dữ liệu minh họa — không phải số liệu chính thức"), "{texts:?}");
    // Columns sized to their content.
    assert!(sheet.contains(r#"<col min="2" max="2" width=""#), "{sheet}");

    // The same book gives the same bytes (no clock in the file).
    assert_eq!(xlsx_out::write(&table_book(&tb, Lang::Vi)), bytes);

    // For the openpyxl check: the file and the figures it must hold.
    let dir = root().join("target/xlsx-out");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("table-vi.xlsx"), &bytes).unwrap();
    let expected: Vec<serde_json::Value> = tb
        .rows
        .iter()
        .chain(std::iter::once(&tb.total))
        .map(|r| serde_json::json!({"key": r.key, "label": r.label, "values": r.values}))
        .collect();
    let header: Vec<&str> = ["Mã"].into_iter().chain(tb.columns.iter().map(|c| c.label.as_str())).collect();
    let doc = serde_json::json!({"header": header, "rows": expected, "source": tb.source, "illustrative": "Dữ liệu minh họa — không phải số liệu chính thức"});
    std::fs::write(dir.join("table-vi.expected.json"), serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

#[test]
fn the_english_table_has_english_headers() {
    let tb = table(&bundled("dtts-mn/2024.json"), &ViewState::default(), TableBy::Province, Lang::En);
    let parts = unzip(&xlsx_out::write(&table_book(&tb, Lang::En)));
    let c = cells(&parts["xl/worksheets/sheet1.xml"]);
    assert_eq!(c["A1"].value, "code");
    assert!(parts["xl/workbook.xml"].contains(r#"<sheet name="Table""#));
    assert!(c.values().any(|x| x.value.starts_with("Source: ")), "{c:?}");
    assert!(c.values().any(|x| x.value == "Illustrative data — not official statistics"), "{c:?}");
}

#[test]
fn a_refused_files_report_downloads_as_a_workbook_in_the_readers_words() {
    // The worker's report for a CSV with one blank column and a bad value, as the page gets it.
    let csv = "Mã;Tỉnh;Năm;Loại hình;Số lao động\nA;19;;htx;5\nB;19;;htx;-3\nC;19;;htx;4\n";
    let report = coop_atlas::checker::CsvJob::read("danh-sach.csv", csv.as_bytes()).expect("read");
    let (choice, boundary) = report.guessed();
    let (json, rows) = report.convert(&choice, boundary, &mut |_, _, _| {}).expect("converted");
    let refused = coop_atlas::checker::check_json("danh-sach.csv", Box::new(json.into_bytes()), coop_atlas::checker::protocol::Origin::File, Some(&rows), &mut |_, _, _| {})
        .expect_err("refused");
    // What the page receives, then builds the workbook from.
    let FromWorker::Refused(view) = FromWorker::decode(&FromWorker::Refused(refused).encode()).unwrap() else { panic!() };
    let parts = unzip(&xlsx_out::write(&view.book("danh-sach.csv", Lang::Vi)));
    assert!(parts["xl/workbook.xml"].contains(r#"<sheet name="Báo cáo""#));
    let c = cells(&parts["xl/worksheets/sheet1.xml"]);
    assert_eq!(["A1", "B1", "C1", "D1", "E1"].map(|a| c[a].value.clone()), ["Hàng", "Cột", "Vấn đề", "Cần", "Mức"]);
    let lines: Vec<(String, String, String)> = (2..10)
        .filter_map(|n| Some((c.get(&format!("A{n}"))?.value.clone(), c.get(&format!("B{n}"))?.value.clone(), c.get(&format!("C{n}"))?.value.clone())))
        .collect();
    // The blank year of rows 2–4 is one line, its rows as text; the bad count of row 3 a number.
    assert!(lines.contains(&("2–4".into(), "Năm".into(), "ô trống".into())), "{lines:?}");
    assert!(lines.contains(&("3".into(), "Số lao động".into(), "-3".into())), "{lines:?}");
    let row3 = (2..10).map(|n| format!("A{n}")).find(|a| c.get(a).is_some_and(|x| x.value == "3")).unwrap();
    assert_eq!(c[&row3].ty, None, "a single row is a number cell");
    assert!(c.values().any(|x| x.value == "Tệp: danh-sach.csv"));
}

#[test]
fn an_exotic_book_still_makes_a_valid_file() {
    use xlsx_out::{Book, Cell, NumFormat, Sheet};
    let book = Book {
        sheets: vec![
            Sheet {
                name: "a/b:c".into(),
                rows: vec![vec![Cell::Text("=1+2".into()), Cell::Text(" <&> ".into()), Cell::Text("\u{1}x".into()), Cell::Number(f64::NAN, NumFormat::Whole), Cell::Number(-0.5, NumFormat::Percent)]],
                header_rows: 0,
            },
            Sheet { name: "a/b:c".into(), rows: vec![], header_rows: 3 },
        ],
    };
    let parts = unzip(&xlsx_out::write(&book));
    let c = cells(&parts["xl/worksheets/sheet1.xml"]);
    // A text that looks like a formula stays text; spaces are kept; a control character dropped;
    // not-a-number left empty.
    assert_eq!(c["A1"].value, "=1+2");
    assert_eq!(c["A1"].ty.as_deref(), Some("inlineStr"));
    assert!(!parts["xl/worksheets/sheet1.xml"].contains("<f>"));
    assert_eq!(c["B1"].value, " <&> ");
    assert_eq!(c["C1"].value, "x");
    assert!(!c.contains_key("D1"));
    assert_eq!(c["E1"].value, "-0.5");
    assert!(parts["xl/workbook.xml"].contains(r#"name="abc""#) && parts["xl/workbook.xml"].contains(r#"name="abc (2)""#));
    assert!(parts.contains_key("xl/worksheets/sheet2.xml"));
    // An empty book is still a workbook with one sheet.
    let empty = unzip(&xlsx_out::write(&Book::default()));
    assert!(empty.contains_key("xl/worksheets/sheet1.xml"));
}

/// Issue 14 item 4's round trip: the workbook the Table tab exports, opened by the app's own
/// workbook reader (`engine::workbook`) and read by the import path (`csv_import::from_grid`, as a
/// workbook a user opens is), gives the table's figures back: every code, name and figure.
#[test]
fn the_exported_table_read_back_by_the_workbook_import_path_gives_the_same_figures() {
    use coop_atlas::engine::csv_import;
    use coop_atlas::engine::format;
    use coop_atlas::engine::workbook::Workbook;
    let tb = table_vi();
    let mut book = Workbook::open(xlsx_out::write(&table_book(&tb, Lang::Vi))).expect("our reader opens our file");
    assert_eq!(book.sheets().len(), 1);
    let grid = book.read_sheet(0).expect("the sheet reads");
    assert_eq!(grid.sheet, "Bảng");
    let file = csv_import::from_grid(&grid).expect("the import path reads it");
    assert_eq!(file.header_row, 1, "the header is row 1: no title rows above it");
    assert_eq!(file.headers[0], "Mã");
    assert_eq!(file.headers[1..], tb.columns.iter().map(|c| c.label.clone()).collect::<Vec<_>>()[..]);
    let records = file.records();
    let want: Vec<_> = tb.rows.iter().chain(std::iter::once(&tb.total)).collect();
    assert!(records.len() >= want.len(), "{} records for {} rows", records.len(), want.len());
    let numbers: Vec<&str> = records.iter().take(want.len()).flat_map(|r| r.iter().skip(2).map(String::as_str)).collect();
    let hint = csv_import::detect_decimal(numbers.iter().copied());
    for (r, back) in want.iter().zip(&records) {
        assert_eq!(back[0], r.key);
        assert_eq!(back[1], r.label);
        for (k, v) in r.values.iter().enumerate() {
            let cell = back.get(k + 2).map_or("", String::as_str);
            match v.filter(|x| x.is_finite()) {
                None => assert!(cell.trim().is_empty(), "{} column {k}: {cell:?} where the table has none", r.key),
                Some(x) => assert_eq!(format::parse_number_with(cell, hint), Some(x), "{} column {k}: {cell:?}", r.key),
            }
        }
    }
    // The rows below the table: the source line is there, as text.
    assert!(records.iter().any(|r| r.first().is_some_and(|c| c.starts_with("Nguồn: "))));
}
