//! Every message a refused or doubtful file gets reads in Vietnamese for a Vietnamese reader.
//!
//! Why a test of its own: the engine writes each message in both languages at the place it finds
//! the problem (about a hundred places), so a new check written with an English phrase only, or a
//! Vietnamese phrase left as a copy of the English one, would show English inside the Vietnamese
//! app. This runs a corpus of broken files through the JSON parser, the CSV reader and importer,
//! the workbook import and the dataset merge, and fails on any English word left in the Vietnamese
//! text of an issue, on a field's key (`province`, `workers`) where its Vietnamese name belongs, on
//! `null` for a blank, on the word-for-word "thấy … cần …" (found … expected …), and on a message
//! starting with ":".

use std::path::PathBuf;

use coop_atlas::engine::csv_import::{self, CsvMeta, Converter, Field};
use coop_atlas::engine::dataset::Text;
use coop_atlas::engine::error::Report;
use coop_atlas::engine::parse::{parse_dataset, parse_dataset_str, Limits};
use coop_atlas::engine::vocab::{Boundary, Lang};

/// English words that never belong in a Vietnamese message (codes, keys and quoted values are
/// removed before looking).
const ENGLISH: &[&str] = &[
    "a", "an", "the", "of", "or", "and", "to", "in", "at", "is", "it", "with", "without", "per",
    "one", "each", "every", "most", "more", "than", "found", "expected", "nothing", "value",
    "values", "file", "column", "columns", "row", "rows", "field", "key", "text", "number", "whole",
    "array", "object", "required", "unknown", "ignored", "save", "header", "line", "bytes",
    "between", "like", "first", "second", "used", "once", "defined", "known", "code", "codes",
    // Not "byte": Vietnamese uses the word too ("tệp 26 byte").
];

/// Removes what legitimately reads the same in both languages: quoted values (`"…"`), JSON
/// snippets (`{…}`, `[…]`), code spans (`` `…` ``) and the dotted paths or snake_case codes a
/// message names.
fn strip_neutral(text: &str) -> String {
    let mut out = String::new();
    let mut close: Option<char> = None;
    let mut depth = 0usize;
    for ch in text.chars() {
        match close {
            Some(c) if ch == c => {
                depth -= 1;
                if depth == 0 {
                    close = None;
                }
                out.push(' ');
            }
            Some(c) => {
                if (c == '}' && ch == '{') || (c == ']' && ch == '[') {
                    depth += 1;
                }
            }
            None => match ch {
                '"' | '\u{201c}' => {
                    close = Some(if ch == '"' { '"' } else { '\u{201d}' });
                    depth = 1;
                }
                '`' => {
                    close = Some('`');
                    depth = 1;
                }
                '{' => {
                    close = Some('}');
                    depth = 1;
                }
                '[' => {
                    close = Some(']');
                    depth = 1;
                }
                _ => out.push(ch),
            },
        }
    }
    out
}

/// The English words left in `text` once the neutral parts are removed.
fn english_words(text: &str) -> Vec<String> {
    strip_neutral(text)
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '–'))
        .filter(|w| ENGLISH.contains(w))
        .map(str::to_string)
        .collect()
}

/// The keys of entity fields, which a Vietnamese message names by their label (`cột Số lao động`),
/// and the JSON word for nothing. `ntm` is left out: it is also a value a cell may hold (the
/// commune's new-rural level, listed with its name among the allowed values).
fn field_keys() -> Vec<&'static str> {
    Field::ALL.iter().map(|f| f.code()).filter(|c| *c != "ntm").chain(["null"]).collect()
}

/// Field keys (and `null`) left in `text` outside code spans: a quoted key (`"province"`) counts,
/// since that is how a key used to reach a Vietnamese reader.
fn keys_in(text: &str) -> Vec<String> {
    // Code spans and JSON snippets (`{"id": …}`, `[{"id": …}]`) show the format's keys as code.
    let mut out = String::new();
    let (mut in_code, mut depth) = (false, 0usize);
    for ch in text.chars() {
        match ch {
            '`' if depth == 0 => in_code = !in_code,
            '{' | '[' if !in_code => depth += 1,
            '}' | ']' if !in_code && depth > 0 => depth -= 1,
            _ if !in_code && depth == 0 => {
                out.push(ch);
                continue;
            }
            _ => continue,
        }
        out.push(' ');
    }
    let keys = field_keys();
    out.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| keys.contains(w))
        .map(str::to_string)
        .collect()
}

/// Checks every issue of `report`, returning the count checked.
fn check(what: &str, report: &Report, bad: &mut Vec<String>) -> usize {
    let mut n = 0;
    for issue in report.errors.iter().chain(&report.warnings) {
        n += 1;
        for (part, phrase) in [("found", &issue.found), ("expected", &issue.expected)] {
            assert!(!phrase.vi.trim().is_empty(), "{what}: empty Vietnamese {part} in {issue:?}");
            let words = english_words(&phrase.vi);
            if !words.is_empty() {
                bad.push(format!("{what}: {part} {:?} has English {words:?}", phrase.vi));
            }
        }
        let whole = issue.text(Lang::Vi);
        // `PRINT_VI=1 cargo test --test messages_vi -- --nocapture` prints every message, for
        // reading the Vietnamese as its readers will.
        if std::env::var_os("PRINT_VI").is_some() {
            eprintln!("{what}: {whole}");
        }
        let keys = keys_in(&whole);
        if !keys.is_empty() {
            bad.push(format!("{what}: {whole:?} names {keys:?} instead of the field's Vietnamese name"));
        }
        if whole.contains("thấy") || whole.trim_start().starts_with(':') {
            bad.push(format!("{what}: {whole:?} reads as a word-for-word found/expected"));
        }
        assert!(whole.contains("cần"), "{what}: {whole}");
        if let Some(row) = issue.row {
            // The row by its number, in a count of rows, or in a cell's name (`'Sheet1'!I9`).
            let one = format!("hàng {row}");
            let many = format!("{} hàng (", issue.row_count());
            let cell = whole.split([' ', ',']).any(|w| w.contains('!') && w.ends_with(&row.to_string()) && !w.ends_with(&format!("{}{row}", '!')));
            assert!(whole.contains(&one) || whole.contains(&many) || cell, "{what}: {whole}");
        }
    }
    n
}

fn refused(bytes: &[u8]) -> Report {
    match parse_dataset(bytes, &Limits::default()) {
        Ok(p) => p.warnings,
        Err(r) => r,
    }
}

const META: &str = r#""format": "coop-atlas/1", "meta": {"id": "t", "title": {"vi": "T", "en": "T"}, "source": {"publisher": "P"}, "boundary": 63}"#;

/// JSON documents that reach the parser's other checks: structure, meta, indicators, observations.
fn json_cases() -> Vec<(String, String)> {
    let doc = |rest: &str| format!("{{{META}, {rest}}}");
    vec![
        ("top-level array".into(), "[1, 2]".into()),
        ("a number".into(), "42".into()),
        ("trailing text".into(), format!("{} x", doc(r#""entities": []"#))),
        ("broken syntax".into(), r#"{"format": "coop-atlas/1", "meta": }"#.into()),
        ("missing comma".into(), r#"{"format": "coop-atlas/1" "meta": {}}"#.into()),
        ("bad number".into(), r#"{"format": -}"#.into()),
        ("trailing comma".into(), r#"{"format": "coop-atlas/1",}"#.into()),
        ("control character".into(), "{\"format\": \"coop\natlas\"}".into()),
        ("no format, no meta".into(), r#"{"entities": []}"#.into()),
        ("wrong format".into(), r#"{"format": 2, "meta": 3, "entities": []}"#.into()),
        ("no entities".into(), format!("{{{META}}}")),
        ("duplicate key".into(), doc(r#""entities": [], "entities": [], "extra": 1"#)),
        ("entities a string".into(), doc(r#""entities": "x""#)),
        ("columns".into(), doc(r#""entities": {"id": ["a", "b"], "id": [], "province": "19", "year": [2024], "kind": ["htx", "HTX "], "colour": [1]}"#)),
        ("rows".into(), doc(r#""entities": [{"id": "a", "id": "b", "province": "01", "year": 2024, "kind": "htx", "members": -1, "workers": 1e12, "size": 3}, 7, {"id": "c"}, {"id": "d", "province": "99", "year": 1800, "kind": "x", "ocop_star": 9, "high_tech": "yes", "income": "lots", "sector": "farm"}]"#)),
        ("duplicate ids and doubtful values".into(), doc(r#""entities": [{"id": "a", "province": "01", "year": 2024, "kind": "htx", "workers": 500000, "members": 2000000, "income": 100, "ocop_products": 1, "ocop_5star": 3}, {"id": "a", "province": "01", "year": 2024, "kind": "htx"}]"#)),
        ("a 34-province code in a 63-province file".into(), doc(r#""entities": [{"id": "a", "province": "91", "year": 2024, "kind": "htx"}]"#)),
        ("meta".into(), r#"{"format": "coop-atlas/1", "meta": {"id": "Bad Id", "title": 3, "description": {"en": "x"}, "source": {"url": 1, "date": "2024-13-01", "who": 1}, "boundary": 50, "years": [2024, 1800, "x"], "illustrative": "yes", "colour": 1}, "entities": []}"#.into()),
        ("meta missing".into(), r#"{"format": "coop-atlas/1", "meta": {"years": 5}, "entities": []}"#.into()),
        ("indicators".into(), doc(r#""entities": [], "indicators": [{"id": "members", "label": "x", "measure": "mode", "field": "size", "unit": "kg", "of": {"colour": 1, "kind": "x", "ocop_star_min": 9}}, {"id": "x_1", "label": "x", "measure": "share"}, {"id": "x_1", "label": "x", "measure": "sum"}, {"id": "y", "measure": "weighted_mean", "field": "income"}, 5]"#)),
        ("indicators not an array".into(), doc(r#""entities": [], "indicators": {}"#)),
        ("observations".into(), doc(r#""observations": [{"area": "99", "year": 1800, "indicator": "Bad Id", "value": "x", "unit": "kg", "confidence": "sure", "as_of": "yesterday"}, {"area": "XX"}, {"area": true, "indicator": "htx", "value": 1, "source": "s"}, {"area": "VN", "year": 2024, "indicator": "new_thing", "value": 1, "source": "s"}, 3]"#)),
        ("observations not an array".into(), doc(r#""observations": 1"#)),
        ("targets".into(), doc(r#""observations": [{"area": "VN", "year": 2024, "indicator": "htx_count", "value": 1, "source": "s", "authority": "ministry", "published": "soon"}], "targets": [{"area": "VN", "indicator": "htx_count", "value": 1}, {"area": "XX", "indicator": "nothing_like_it", "year": 1800, "value": "x", "unit": "share", "comparison": "more", "source": 3}, {"area": "VN", "indicator": "htx_count", "year": 2025, "value": 1, "unit": "share", "source": "s"}, 4]"#)),
        ("targets not an array".into(), doc(r#""observations": [], "targets": "35000""#)),
    ]
}

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn every_message_of_a_refused_file_reads_in_vietnamese() {
    let mut bad = Vec::new();
    let mut checked = 0;

    // The files the app is tested with, and JSON reaching every section's checks.
    for dir in ["tests/bad-files", "tests/fixtures"] {
        for entry in std::fs::read_dir(path(dir)).expect("test files") {
            let p = entry.expect("entry").path();
            let bytes = std::fs::read(&p).expect("read");
            let name = p.display().to_string();
            if [".xlsx", ".xls", ".ods"].iter().any(|e| name.ends_with(e)) {
                // Workbooks (and what only looks like one) go the way the app takes them.
                match csv_import::import_workbook(&bytes, "t", "T") {
                    Ok(parsed) => checked += check(&name, &parsed.warnings, &mut bad),
                    Err(r) => checked += check(&name, &r, &mut bad),
                }
            } else if name.ends_with(".csv") {
                match csv_import::import(&bytes, "t", "T", &Limits::default()) {
                    Ok(parsed) => checked += check(&name, &parsed.warnings, &mut bad),
                    Err(r) => checked += check(&name, &r, &mut bad),
                }
            } else if !name.ends_with(".md") {
                checked += check(&name, &refused(&bytes), &mut bad);
            }
        }
    }
    for (what, text) in json_cases() {
        checked += check(&what, &refused(text.as_bytes()), &mut bad);
    }
    let deep = "[".repeat(200);
    checked += check("deep nesting", &refused(format!("{{\"format\": {deep}").as_bytes()), &mut bad);
    let tiny = Limits { max_bytes: 10, ..Limits::default() };
    checked += check("too large", &parse_dataset(b"{\"format\": \"coop-atlas/1\"}", &tiny).err().unwrap_or_default(), &mut bad);
    checked += check("too large CSV", &csv_import::read(b"id,province\na,19\n", &tiny).err().unwrap_or_default(), &mut bad);
    checked += check("NUL", &refused(b"{\"format\": \"x\0\"}"), &mut bad);
    checked += check("UTF-32", &refused(&[0xFF, 0xFE, 0, 0, b'{', 0, 0, 0]), &mut bad);

    // CSV structure: what `read` refuses, then a mapping and rows the converter refuses.
    let csv_cases: [(&str, &[u8]); 7] = [
        ("empty CSV", b"  \n"),
        ("one column", "Mã đơn vị\nA\n".as_bytes()),
        ("UTF-16 CSV", &[0xFF, 0xFE, b'i', 0, b'd', 0]),
        ("binary CSV", b"id,province\x00\x00\x00\x00,x"),
        ("not UTF-8", b"id,province\nH\xe0 N\xf4i,01\n"),
        ("unclosed quote", b"id,province\n\"a,01\n"),
        ("too many columns", &[b"a,".repeat(300), b"b\n".to_vec()].concat()),
    ];
    for (what, bytes) in csv_cases {
        checked += check(what, &csv_import::read(bytes, &Limits::default()).err().unwrap_or_default(), &mut bad);
    }
    checked += check(
        "unmatched header",
        &csv_import::import(b"id,province,year,kind,colour\na,01,2024,htx,red\n", "t", "T", &Limits::default()).err().unwrap_or_default(),
        &mut bad,
    );
    let file = csv_import::read(b"id;province;year;kind\na;01;2024;htx;extra\n", &Limits::default()).expect("read");
    let meta = || CsvMeta { id: "t".into(), title: "T".into(), publisher: Text::new("P", "P"), boundary: Boundary::P63 };
    let unmapped = Converter::new(&file, &[Some(Field::Id), Some(Field::Id), None, None], meta()).err().unwrap_or_default();
    checked += check("mapping", &unmapped, &mut bad);
    let all = [Some(Field::Id), Some(Field::Province), Some(Field::Year), Some(Field::Kind)];
    let extra = Converter::new(&file, &all, meta()).expect("mapping").run().err().unwrap_or_default();
    checked += check("a row with more values than headers", &extra, &mut bad);
    let header_only = csv_import::read(b"id;province;year;kind\n", &Limits::default()).expect("read");
    let empty = Converter::new(&header_only, &all, meta()).expect("mapping").run().err().unwrap_or_default();
    checked += check("no data rows", &empty, &mut bad);

    // Registers as provincial offices keep them, read without asking (as the CLI reads them):
    // title rows, STT and names, a totals row, an old province name, no id column, blank and
    // mistyped cells of every kind of field, a number written as text, a header it only guesses.
    let registers: [(&str, &str); 4] = [
        (
            "register",
            "DANH SÁCH HỢP TÁC XÃ NĂM 2024\n\nSTT;Tên HTX;Tỉnh;Năm;Loại hình;Lĩnh vực;Số thành viên;Số lao động;Thu nhập bình quân;Doanh thu;Ứng dụng công nghệ cao;Chuẩn nông thôn mới;Hạng sao OCOP;Khâu dịch vụ;Vùng DTTS\n\
             1;HTX A;Hà Tây;2024;HTX;nông nghiệp;12;5;3,5;100;có;ntm;3;đầu ra;có\n\
             2;HTX B;Yên Bái;;hợp tác;trồng lúa;-3;nhiều;;x;chắc chắn;cao;7;giữa;?\n\
             3;HTX C;Sông Bé;1800;htx;nn;1e9;3000000;;-5;không;none;;input;không\n\
             4;HTX D;99;2024;;;;;;;;;;;\n\
             Tổng cộng;;;;;;;;;;;;;;\n",
        ),
        ("ids twice", "Mã số HTX;Tỉnh;Năm;Loại hình;Số lao động\nA;19;2024;htx;5\nA;19;2024;htx;500000\nB;19;2024;htx;\n"),
        ("a header only guessed", "Mã;Tỉnh;Năm;Loại hình;Lao động nữ\nA;19;2024;htx;5\n"),
        ("blank id and province", "Mã;Tỉnh;Năm;Loại hình\n;;2024;htx\n;;2024;htx\n"),
    ];
    for (what, text) in registers {
        match csv_import::import(text.as_bytes(), "t", "T", &Limits::default()) {
            Ok(parsed) => checked += check(what, &parsed.warnings, &mut bad),
            Err(r) => checked += check(what, &r, &mut bad),
        }
    }
    let both = csv_import::read(b"Ma;Tinh;Nam;Loai hinh;So lao dong\nA;19;2024;htx;1\n", &Limits::default()).expect("read");
    let twice = [Some(Field::Id), Some(Field::Province), Some(Field::Year), Some(Field::Workers), Some(Field::Workers)];
    checked += check("a field chosen for two columns, kind chosen for none", &Converter::new(&both, &twice, meta()).err().unwrap_or_default(), &mut bad);

    // Two files of one dataset that do not fit together.
    let one = parse_dataset_str(&format!("{{{META}, \"entities\": [{{\"id\": \"a\", \"province\": \"01\", \"year\": 2024, \"kind\": \"htx\"}}]}}"), &Limits::default()).expect("one");
    let other_meta = META.replace("\"id\": \"t\"", "\"id\": \"u\"").replace("63", "34");
    let two = parse_dataset_str(&format!("{{{other_meta}, \"entities\": [{{\"id\": \"a\", \"province\": \"01\", \"year\": 2024, \"kind\": \"htx\"}}]}}"), &Limits::default()).expect("two");
    checked += check("append: other dataset", &one.dataset.append(&two.dataset).err().unwrap_or_default(), &mut bad);
    checked += check("append: same id", &one.dataset.append(&one.dataset).err().unwrap_or_default(), &mut bad);

    assert!(checked >= 180, "only {checked} issues checked: the corpus no longer reaches the checks");
    assert!(bad.is_empty(), "{} Vietnamese message(s) not in the reader's words:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn the_english_text_is_what_the_cli_prints() {
    let r = refused(b"");
    let issue = &r.errors[0];
    assert_eq!(issue.to_string(), issue.text(Lang::En));
    assert_eq!(issue.text(Lang::En), "found an empty file, expected a JSON object {\"format\": \"coop-atlas/1\", …}");
    assert_eq!(issue.text(Lang::Vi), "tệp rỗng, cần một đối tượng JSON {\"format\": \"coop-atlas/1\", …}");
}

#[test]
fn the_detector_finds_english() {
    // The check above must be able to fail: an English phrase left as is is caught, a quoted value
    // or a code list is not.
    assert_eq!(english_words("an array of years"), vec!["an", "array", "of"]);
    assert!(english_words("một trong htx, tht, qtdnd").is_empty());
    assert!(english_words("thấy \"the value\", cần {\"vi\": …, \"en\": …}").is_empty());
    assert_eq!(english_words("mã tỉnh (the 63-province list)"), vec!["the"]);
    // The key detector: a key where the field's name belongs is caught, quoted or not, and so is
    // `null`; a key shown as code or inside a JSON snippet is not.
    assert_eq!(keys_in("hàng 2, trường \"workers\" (Số lao động): thấy null"), vec!["workers", "null"]);
    assert_eq!(keys_in("không có cột cho province"), vec!["province"]);
    assert!(keys_in("mục `entities.province`: khóa `id` lần thứ hai, cần {\"id\": …} hoặc [{\"kind\": …}]").is_empty());
    assert!(keys_in("hàng 2, cột Số lao động: ghi -3, cần một trong ntm (Nông thôn mới)").is_empty());
}


/// Issue 14 item 3: a blank cell of a CSV is called blank, never `null`; allowed values are listed
/// as the user may write them (names as well as codes); no message starts with a bare ": thấy".
#[test]
fn csv_messages_speak_of_cells_and_names() {
    let text = "Mã;Tỉnh;Năm;Loại hình\nA;19;;HTX\nB;19;2024;hợp tác\n";
    let file = csv_import::read(text.as_bytes(), &Limits::default()).unwrap();
    let mapping: Vec<Option<Field>> = csv_import::guess_mapping(&file.headers).iter().map(|g| g.field).collect();
    let meta = CsvMeta { id: "t".into(), title: "T".into(), publisher: Text::new("P", "P"), boundary: Boundary::P63 };
    let report = Converter::new(&file, &mapping, meta).unwrap().run().unwrap_err();
    let vi = report.text(Lang::Vi);
    assert!(!vi.contains("null"), "{vi}");
    assert!(vi.contains("hàng 2, cột Năm: ô trống, cần số nguyên từ 1990 đến 2100"), "{vi}");
    assert!(vi.contains("hàng 3, cột Loại hình: ghi \"hợp tác\", cần một trong"), "{vi}");
    assert!(vi.contains("htx (Hợp tác xã)") && vi.contains("tht (Tổ hợp tác)"), "{vi}");
    assert!(report.text(Lang::En).contains("found a blank cell"), "{}", report.text(Lang::En));
    for issue in report.errors.iter().chain(&report.warnings) {
        let line = issue.text(Lang::Vi);
        assert!(!line.trim_start().starts_with(':'), "{line}");
    }
}

/// The same mistake in many rows is one line naming the column, the count and the rows (1.204 rows
/// written as a Vietnamese reader writes the number), however many rows: the report keeps every
/// row for whoever lists them, and counts each row as an error.
#[test]
fn a_repeated_mistake_is_one_line_with_every_row_kept() {
    let mut text = String::from("Mã;Tỉnh;Năm;Loại hình\n");
    for i in 0..10 {
        text.push_str(&format!("A{i};19;2024;htx\n"));
    }
    for i in 0..1204 {
        text.push_str(&format!("U{i};19;;htx\n"));
    }
    text.push_str("V;19;2024;coop\n");
    text.push_str("W;19;;htx\n");
    let file = csv_import::read(text.as_bytes(), &Limits::default()).unwrap();
    let mapping: Vec<Option<Field>> = csv_import::guess_mapping(&file.headers).iter().map(|g| g.field).collect();
    let meta = CsvMeta { id: "t".into(), title: "T".into(), publisher: Text::new("P", "P"), boundary: Boundary::P63 };
    let report = Converter::new(&file, &mapping, meta).unwrap().run().unwrap_err();
    let year = report.errors.iter().find(|i| i.field.as_deref() == Some("year")).unwrap();
    // Rows 12–1.215 (header is row 1, ten good rows), then row 1.217 after the bad kind.
    assert_eq!(year.row_ranges(), vec![(12, 1215), (1217, 1217)]);
    assert_eq!(year.row_count(), 1205);
    assert_eq!(
        year.text(Lang::Vi),
        format!("cột Năm, 1.205 hàng (12–1.215; 1.217): ô trống, cần {} (trường này bắt buộc)", Field::Year.expected_in(Lang::Vi))
    );
    assert!(year.text(Lang::En).starts_with("field \"year\", 1,205 rows (12–1,215, 1,217): found a blank cell"), "{}", year.text(Lang::En));
    let vi = report.text(Lang::Vi);
    assert_eq!(vi.lines().filter(|l| l.contains("cột Năm")).count(), 1, "{vi}");
    assert_eq!(report.error_count(), 1206, "every row counts");
    // A mistake in one row keeps its own line and place.
    assert!(vi.contains("hàng 1216, cột Loại hình: ghi \"coop\""), "{vi}");
    // The download lists the rows in one cell.
    assert!(report.to_csv(Lang::Vi).contains("\"12–1215; 1217\";Năm;ô trống;"), "{}", report.to_csv(Lang::Vi));
}
