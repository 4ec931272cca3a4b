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
//!
//! The same corpus writes `docs/wording-vi.md`, the reading sheet: every message once, grouped by
//! the situation its reader would recognise, with what caused it and a column for comments, then
//! the own-data screen's words. It is generated, never edited by hand; a test fails when it is out
//! of date (`UPDATE_WORDING=1 cargo test --test messages_vi` rewrites it), so every change of
//! wording shows in its diff for the reader.

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

/// The situation a message belongs to in the reading sheet (`docs/wording-vi.md`), as its reader
/// would name it, in the order the sheet lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Situation {
    AnyFile,
    CsvUnreadable,
    Columns,
    Cells,
    CsvNotes,
    Workbook,
    JsonUnreadable,
    JsonShape,
    JsonMeta,
    JsonEntities,
    JsonPublished,
    Append,
}

impl Situation {
    const ALL: [Situation; 12] = [
        Situation::AnyFile,
        Situation::CsvUnreadable,
        Situation::Columns,
        Situation::Cells,
        Situation::CsvNotes,
        Situation::Workbook,
        Situation::JsonUnreadable,
        Situation::JsonShape,
        Situation::JsonMeta,
        Situation::JsonEntities,
        Situation::JsonPublished,
        Situation::Append,
    ];

    /// The sheet's heading for the situation.
    fn heading(self) -> &'static str {
        match self {
            Situation::AnyFile => "Mọi loại tệp: tệp quá lớn",
            Situation::CsvUnreadable => "Tệp CSV không đọc được",
            Situation::Columns => "Tệp CSV/Excel: tiêu đề và cột",
            Situation::Cells => "Tệp CSV/Excel: lỗi trong ô",
            Situation::CsvNotes => "Tệp CSV/Excel: cảnh báo (tệp vẫn được mở)",
            Situation::Workbook => "Tệp Excel không mở được",
            Situation::JsonUnreadable => "Tệp JSON của đơn vị công bố dữ liệu: tệp không đọc được",
            Situation::JsonShape => "Tệp JSON của đơn vị công bố dữ liệu: các phần chính của tệp",
            Situation::JsonMeta => "Tệp JSON của đơn vị công bố dữ liệu: phần mô tả bộ dữ liệu (`meta`)",
            Situation::JsonEntities => "Tệp JSON của đơn vị công bố dữ liệu: danh sách đơn vị (`entities`)",
            Situation::JsonPublished => "Tệp JSON của đơn vị công bố dữ liệu: chỉ tiêu, số liệu đã công bố, mục tiêu",
            Situation::Append => "Mở thêm một tệp vào bộ dữ liệu đang mở",
        }
    }
}

/// One input of the corpus and what it gets: the report, checked by
/// [`every_message_of_a_refused_file_reads_in_vietnamese`] and listed in the reading sheet under
/// its situation, with what caused it in the reader's words.
struct Case {
    /// The input, for a failing check (English, for the developer).
    what: String,
    /// Where the report's errors go in the sheet, and what caused them.
    errors: (Situation, &'static str),
    /// Where its warnings go, and what caused them.
    warnings: (Situation, &'static str),
    report: Report,
}

impl Case {
    fn new(what: impl Into<String>, situation: Situation, cause: &'static str, report: Report) -> Case {
        Case { what: what.into(), errors: (situation, cause), warnings: (situation, cause), report }
    }

    /// Files its warnings under another situation and cause than its errors.
    fn warnings(mut self, situation: Situation, cause: &'static str) -> Case {
        self.warnings = (situation, cause);
        self
    }
}

/// The situation and cause of each test file that gets a message (errors; then warnings when they
/// belong elsewhere). A file of `tests/bad-files` or `tests/fixtures` that gets a message but is not
/// here fails the corpus: the sheet must say what caused every message.
fn file_case(name: &str) -> Option<((Situation, &'static str), Option<(Situation, &'static str)>)> {
    use Situation::*;
    const TOTALS: &str = "Sổ đăng ký có hàng \"Tổng cộng\" và tên tỉnh cũ (Hà Tây, Ha Tay)";
    Some(match name {
        "bad-values.json" | "bad_types.json" => ((JsonEntities, "Tệp JSON có ô ghi sai: số âm, chữ thay cho số, loại hình hay mã tỉnh không có trong danh sách, mã đơn vị lặp lại"), None),
        "truncated.json" | "broken.json" => ((JsonUnreadable, "Tệp JSON bị cắt cụt (tải về chưa xong, chép thiếu)"), None),
        "wrong-format.json" => ((JsonShape, "Tệp JSON làm cho một phiên bản Coop Atlas mới hơn"), None),
        "bad-values.csv" => ((Cells, "Tệp CSV có tên tỉnh không còn dùng (Sông Bé) và số lao động âm"), None),
        "windows-1258.csv" => ((CsvUnreadable, "Tệp CSV lưu bằng bảng mã cũ (Windows-1258, TCVN3…), không phải UTF-8"), None),
        "many-errors.json" => ((JsonEntities, "Cùng một lỗi lặp lại ở 120 hàng"), None),
        "utf16.json" => ((JsonUnreadable, "Tệp JSON lưu dạng \"Unicode\" (UTF-16) của Windows"), None),
        "web-page.json" => ((JsonUnreadable, "Một trang web được lưu nhầm thay cho tệp dữ liệu"), None),
        "image.png" => ((JsonUnreadable, "Mở nhầm một tệp ảnh"), None),
        "empty.json" => ((JsonUnreadable, "Tệp rỗng (0 byte)"), None),
        "own-needs-mapping.csv" => ((Columns, "Tệp CSV có một cột Atlas không biết (\"ghi chu\")"), None),
        "register-truncated.xlsx" => ((Workbook, "Sổ tính Excel bị hỏng hoặc tải về chưa xong"), None),
        "register-password.xlsx" => ((Workbook, "Sổ tính Excel có đặt mật khẩu"), None),
        "bomb.xlsx" => ((Workbook, "Sổ tính giải nén ra quá lớn (có thể là tệp độc hại)"), None),
        "register.ods" => ((Workbook, "Bảng tính LibreOffice (.ods)"), None),
        "register-excel97.xls" => ((Workbook, "Sổ tính Excel đời cũ (.xls, Excel 97-2003)"), None),
        "register-libreoffice.xlsx" | "register-openpyxl.xlsx" => ((CsvNotes, TOTALS), None),
        "register-vi.csv" => ((CsvNotes, "Sổ đăng ký không có cột mã đơn vị, có hàng \"Tổng cộng\" và tên tỉnh cũ"), None),
        "register-mistake.xlsx" => ((Cells, "Sổ tính Excel có một ô ghi số âm (ô được gọi theo tên trong Excel)"), Some((CsvNotes, TOTALS))),
        "wrong_boundary.json" => ((JsonEntities, "Tệp khai báo 34 tỉnh mới nhưng ghi mã của 63 tỉnh cũ"), None),
        "own-good.json" => ((JsonEntities, "Thu nhập ghi theo nghìn đồng thay vì đồng"), None),
        "good_rows.json" => ((JsonShape, "Tệp JSON có thêm một phần Atlas không biết"), None),
        _ => return None,
    })
}

/// JSON documents that reach the parser's other checks: structure, meta, indicators, observations,
/// each with its situation and cause.
fn json_cases() -> Vec<(&'static str, Situation, &'static str, String)> {
    use Situation::*;
    let doc = |rest: &str| format!("{{{META}, {rest}}}");
    vec![
        ("top-level array", JsonShape, "Tệp JSON chỉ là một danh sách, không có phần mô tả", "[1, 2]".into()),
        ("a number", JsonShape, "Tệp JSON chỉ có một con số", "42".into()),
        ("trailing text", JsonUnreadable, "Còn chữ thừa sau khi tệp JSON đã kết thúc", format!("{} x", doc(r#""entities": []"#))),
        ("broken syntax", JsonUnreadable, "Tệp JSON hỏng: thiếu một giá trị", r#"{"format": "coop-atlas/1", "meta": }"#.into()),
        ("missing comma", JsonUnreadable, "Tệp JSON hỏng: thiếu dấu phẩy", r#"{"format": "coop-atlas/1" "meta": {}}"#.into()),
        ("bad number", JsonUnreadable, "Tệp JSON hỏng: một số viết sai", r#"{"format": -}"#.into()),
        ("trailing comma", JsonUnreadable, "Tệp JSON hỏng: dấu phẩy thừa", r#"{"format": "coop-atlas/1",}"#.into()),
        ("control character", JsonUnreadable, "Tệp JSON hỏng: xuống dòng giữa một chuỗi", "{\"format\": \"coop\natlas\"}".into()),
        ("no format, no meta", JsonShape, "Tệp JSON thiếu phần khai báo định dạng và phần mô tả", r#"{"entities": []}"#.into()),
        ("wrong format", JsonShape, "Phần khai báo định dạng và phần mô tả ghi sai kiểu", r#"{"format": 2, "meta": 3, "entities": []}"#.into()),
        ("no entities", JsonShape, "Tệp JSON không có số liệu nào", format!("{{{META}}}")),
        ("duplicate key", JsonShape, "Một phần của tệp JSON ghi hai lần; một phần Atlas không biết", doc(r#""entities": [], "entities": [], "extra": 1"#)),
        ("entities a string", JsonEntities, "Danh sách đơn vị ghi sai kiểu", doc(r#""entities": "x""#)),
        ("columns", JsonEntities, "Danh sách đơn vị ghi theo cột: cột lặp lại, cột dài ngắn khác nhau, cột lạ", doc(r#""entities": {"id": ["a", "b"], "id": [], "province": "19", "year": [2024], "kind": ["htx", "HTX "], "colour": [1]}"#)),
        ("rows", JsonEntities, "Danh sách đơn vị ghi theo hàng: ô sai, ô thiếu, số vô lý", doc(r#""entities": [{"id": "a", "id": "b", "province": "01", "year": 2024, "kind": "htx", "members": -1, "workers": 1e12, "size": 3}, 7, {"id": "c"}, {"id": "d", "province": "99", "year": 1800, "kind": "x", "ocop_star": 9, "high_tech": "yes", "income": "lots", "sector": "farm"}]"#)),
        ("duplicate ids and doubtful values", JsonEntities, "Mã đơn vị lặp lại; số đáng ngờ (quá lớn, quá nhỏ)", doc(r#""entities": [{"id": "a", "province": "01", "year": 2024, "kind": "htx", "workers": 500000, "members": 2000000, "income": 100, "ocop_products": 1, "ocop_5star": 3}, {"id": "a", "province": "01", "year": 2024, "kind": "htx"}]"#)),
        ("a 34-province code in a 63-province file", JsonEntities, "Tệp khai báo 63 tỉnh cũ nhưng ghi mã của 34 tỉnh mới", doc(r#""entities": [{"id": "a", "province": "91", "year": 2024, "kind": "htx"}]"#)),
        ("meta", JsonMeta, "Phần mô tả có mục ghi sai hoặc mục lạ", r#"{"format": "coop-atlas/1", "meta": {"id": "Bad Id", "title": 3, "description": {"en": "x"}, "source": {"url": 1, "date": "2024-13-01", "who": 1}, "boundary": 50, "years": [2024, 1800, "x"], "illustrative": "yes", "colour": 1}, "entities": []}"#.into()),
        ("meta missing", JsonMeta, "Phần mô tả thiếu các mục bắt buộc", r#"{"format": "coop-atlas/1", "meta": {"years": 5}, "entities": []}"#.into()),
        ("indicators", JsonPublished, "Định nghĩa chỉ tiêu ghi sai hoặc thiếu", doc(r#""entities": [], "indicators": [{"id": "members", "label": "x", "measure": "mode", "field": "size", "unit": "kg", "of": {"colour": 1, "kind": "x", "ocop_star_min": 9}}, {"id": "x_1", "label": "x", "measure": "share"}, {"id": "x_1", "label": "x", "measure": "sum"}, {"id": "y", "measure": "weighted_mean", "field": "income"}, 5]"#)),
        ("indicators not an array", JsonPublished, "Phần chỉ tiêu không phải một danh sách", doc(r#""entities": [], "indicators": {}"#)),
        ("observations", JsonPublished, "Số liệu đã công bố ghi sai hoặc thiếu", doc(r#""observations": [{"area": "99", "year": 1800, "indicator": "Bad Id", "value": "x", "unit": "kg", "confidence": "sure", "as_of": "yesterday"}, {"area": "XX"}, {"area": true, "indicator": "htx", "value": 1, "source": "s"}, {"area": "VN", "year": 2024, "indicator": "new_thing", "value": 1, "source": "s"}, 3]"#)),
        ("observations not an array", JsonPublished, "Phần số liệu đã công bố không phải một danh sách", doc(r#""observations": 1"#)),
        ("targets", JsonPublished, "Mục tiêu (và số liệu đi kèm) ghi sai hoặc thiếu", doc(r#""observations": [{"area": "VN", "year": 2024, "indicator": "htx_count", "value": 1, "source": "s", "authority": "ministry", "published": "soon"}], "targets": [{"area": "VN", "indicator": "htx_count", "value": 1}, {"area": "XX", "indicator": "nothing_like_it", "year": 1800, "value": "x", "unit": "share", "comparison": "more", "source": 3}, {"area": "VN", "indicator": "htx_count", "year": 2025, "value": 1, "unit": "share", "source": "s"}, 4]"#)),
        ("targets not an array", JsonPublished, "Phần mục tiêu không phải một danh sách", doc(r#""observations": [], "targets": "35000""#)),
    ]
}

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Every input of the corpus with its report, in a fixed order (directory entries sorted by name).
fn corpus() -> Vec<Case> {
    use Situation::*;
    let mut cases = Vec::new();

    // The files the app is tested with, and JSON reaching every section's checks.
    for dir in ["tests/bad-files", "tests/fixtures"] {
        let mut names: Vec<String> = std::fs::read_dir(path(dir))
            .expect("test files")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            if name.ends_with(".md") {
                continue;
            }
            let bytes = std::fs::read(path(dir).join(&name)).expect("read");
            let report = if [".xlsx", ".xls", ".ods"].iter().any(|e| name.ends_with(e)) {
                // Workbooks (and what only looks like one) go the way the app takes them.
                match csv_import::import_workbook(&bytes, "t", "T") {
                    Ok(parsed) => parsed.warnings,
                    Err(r) => r,
                }
            } else if name.ends_with(".csv") {
                match csv_import::import(&bytes, "t", "T", &Limits::default()) {
                    Ok(parsed) => parsed.warnings,
                    Err(r) => r,
                }
            } else {
                refused(&bytes)
            };
            let what = format!("{dir}/{name}");
            if report.errors.is_empty() && report.warnings.is_empty() {
                continue;
            }
            let Some((errors, warnings)) = file_case(&name) else {
                panic!("{what} gets a message: say what caused it in `file_case` (for the reading sheet)");
            };
            let mut case = Case::new(what, errors.0, errors.1, report);
            if let Some((s, cause)) = warnings {
                case = case.warnings(s, cause);
            }
            cases.push(case);
        }
    }
    for (what, situation, cause, text) in json_cases() {
        cases.push(Case::new(what, situation, cause, refused(text.as_bytes())));
    }
    let deep = "[".repeat(200);
    cases.push(Case::new("deep nesting", JsonUnreadable, "Tệp JSON lồng quá nhiều cấp", refused(format!("{{\"format\": {deep}").as_bytes())));
    let tiny = Limits { max_bytes: 10, ..Limits::default() };
    cases.push(Case::new("too large", AnyFile, "Tệp lớn hơn mức Atlas mở được (ở đây giới hạn thử là 10 byte)", parse_dataset(b"{\"format\": \"coop-atlas/1\"}", &tiny).err().unwrap_or_default()));
    cases.push(Case::new("too large CSV", AnyFile, "Tệp CSV lớn hơn mức Atlas mở được", csv_import::read(b"id,province\na,19\n", &tiny).err().unwrap_or_default()));
    cases.push(Case::new("NUL", JsonUnreadable, "Tệp JSON có ký tự NUL (thường là tệp nhị phân hoặc UTF-16)", refused(b"{\"format\": \"x\0\"}")));
    cases.push(Case::new("UTF-32", JsonUnreadable, "Tệp JSON lưu dạng UTF-32", refused(&[0xFF, 0xFE, 0, 0, b'{', 0, 0, 0])));

    // Workbooks the fixtures do not reach: the message each refusal gets, as the import reports it.
    use coop_atlas::engine::workbook::WorkbookError;
    let workbooks: [(&str, &'static str, WorkbookError); 4] = [
        ("a zip without a workbook", "Tệp nén (.zip) không phải sổ tính, ví dụ một tệp Word (.docx)", WorkbookError::NotWorkbook),
        ("a workbook without sheets", "Sổ tính không có trang tính nào", WorkbookError::NoSheets),
        ("an empty sheet", "Trang tính được chọn không có gì", WorkbookError::EmptySheet("Trang tính 1".into())),
        ("a sheet too wide", "Trang tính có giá trị ở cột quá xa (sau cột IV)", WorkbookError::TooWide("'Trang tính 1'!IW3".into())),
    ];
    for (what, cause, error) in workbooks {
        cases.push(Case::new(what, Workbook, cause, Report::single(error.issue())));
    }

    // CSV structure: what `read` refuses, then a mapping and rows the converter refuses.
    let csv_cases: [(&str, &'static str, &[u8]); 7] = [
        ("empty CSV", "Tệp CSV rỗng", b"  \n"),
        ("one column", "Tệp CSV chỉ có một cột (ngăn cách bằng ký tự khác dấu phẩy, chấm phẩy)", "Mã đơn vị\nA\n".as_bytes()),
        ("UTF-16 CSV", "Tệp lưu dạng \"Unicode Text\" của Excel (UTF-16)", &[0xFF, 0xFE, b'i', 0, b'd', 0]),
        ("binary CSV", "Mở một tệp nhị phân (ảnh, sổ tính) như tệp CSV", b"id,province\x00\x00\x00\x00,x"),
        ("not UTF-8", "Tệp CSV lưu bằng bảng mã cũ, không phải UTF-8", b"id,province\nH\xe0 N\xf4i,01\n"),
        ("unclosed quote", "Một dấu ngoặc kép mở mà không đóng", b"id,province\n\"a,01\n"),
        ("too many columns", "Một hàng có quá nhiều cột", &[b"a,".repeat(300), b"b\n".to_vec()].concat()),
    ];
    for (what, cause, bytes) in csv_cases {
        cases.push(Case::new(what, CsvUnreadable, cause, csv_import::read(bytes, &Limits::default()).err().unwrap_or_default()));
    }
    cases.push(Case::new(
        "unmatched header",
        Columns,
        "Một cột có tiêu đề Atlas không biết (\"colour\")",
        csv_import::import(b"id,province,year,kind,colour\na,01,2024,htx,red\n", "t", "T", &Limits::default()).err().unwrap_or_default(),
    ));
    let file = csv_import::read(b"id;province;year;kind\na;01;2024;htx;extra\n", &Limits::default()).expect("read");
    let meta = || CsvMeta { id: "t".into(), title: "T".into(), publisher: Text::new("P", "P"), boundary: Boundary::P63 };
    let unmapped = Converter::new(&file, &[Some(Field::Id), Some(Field::Id), None, None], meta()).err().unwrap_or_default();
    cases.push(Case::new("mapping", Columns, "Ở bước chọn cột: hai cột cùng là Mã đơn vị, chưa chọn cột tỉnh, năm, loại hình", unmapped));
    let all = [Some(Field::Id), Some(Field::Province), Some(Field::Year), Some(Field::Kind)];
    let extra = Converter::new(&file, &all, meta()).expect("mapping").run().err().unwrap_or_default();
    cases.push(Case::new("a row with more values than headers", CsvUnreadable, "Một hàng có nhiều giá trị hơn hàng tiêu đề", extra));
    let header_only = csv_import::read(b"id;province;year;kind\n", &Limits::default()).expect("read");
    let empty = Converter::new(&header_only, &all, meta()).expect("mapping").run().err().unwrap_or_default();
    cases.push(Case::new("no data rows", CsvUnreadable, "Tệp chỉ có hàng tiêu đề", empty));

    // Registers as provincial offices keep them, read without asking (as the CLI reads them):
    // title rows, STT and names, a totals row, an old province name, no id column, blank and
    // mistyped cells of every kind of field, a number written as text, a header it only guesses.
    let registers: [(&str, Situation, &'static str, &str); 4] = [
        (
            "register",
            Cells,
            "Sổ đăng ký có ô ghi sai, ô trống, giá trị không có trong danh sách",
            "DANH SÁCH HỢP TÁC XÃ NĂM 2024\n\nSTT;Tên HTX;Tỉnh;Năm;Loại hình;Lĩnh vực;Số thành viên;Số lao động;Thu nhập bình quân;Doanh thu;Ứng dụng công nghệ cao;Chuẩn nông thôn mới;Hạng sao OCOP;Khâu dịch vụ;Vùng DTTS\n\
             1;HTX A;Hà Tây;2024;HTX;nông nghiệp;12;5;3,5;100;có;ntm;3;đầu ra;có\n\
             2;HTX B;Yên Bái;;hợp tác;trồng lúa;-3;nhiều;;x;chắc chắn;cao;7;giữa;?\n\
             3;HTX C;Sông Bé;1800;htx;nn;1e9;3000000;;-5;không;none;;input;không\n\
             4;HTX D;99;2024;;;;;;;;;;;\n\
             Tổng cộng;;;;;;;;;;;;;;\n",
        ),
        ("ids twice", Cells, "Mã đơn vị lặp lại trong cùng một năm", "Mã số HTX;Tỉnh;Năm;Loại hình;Số lao động\nA;19;2024;htx;5\nA;19;2024;htx;500000\nB;19;2024;htx;\n"),
        ("a header only guessed", Columns, "Tiêu đề cột Atlas chỉ đoán được (\"Lao động nữ\")", "Mã;Tỉnh;Năm;Loại hình;Lao động nữ\nA;19;2024;htx;5\n"),
        ("blank id and province", Cells, "Ô mã đơn vị và ô tỉnh bỏ trống ở nhiều hàng", "Mã;Tỉnh;Năm;Loại hình\n;;2024;htx\n;;2024;htx\n"),
    ];
    for (what, situation, cause, text) in registers {
        let report = match csv_import::import(text.as_bytes(), "t", "T", &Limits::default()) {
            Ok(parsed) => parsed.warnings,
            Err(r) => r,
        };
        let case = Case::new(what, situation, cause, report);
        cases.push(if situation == Cells {
            case.warnings(CsvNotes, "Sổ đăng ký có số đáng ngờ, không có cột mã đơn vị, có hàng \"Tổng cộng\" hoặc tên tỉnh cũ")
        } else {
            case
        });
    }
    let both = csv_import::read(b"Ma;Tinh;Nam;Loai hinh;So lao dong\nA;19;2024;htx;1\n", &Limits::default()).expect("read");
    let twice = [Some(Field::Id), Some(Field::Province), Some(Field::Year), Some(Field::Workers), Some(Field::Workers)];
    cases.push(Case::new(
        "a field chosen for two columns, kind chosen for none",
        Columns,
        "Ở bước chọn cột: hai cột cùng là Số lao động, chưa chọn cột loại hình",
        Converter::new(&both, &twice, meta()).err().unwrap_or_default(),
    ));

    // Two files of one dataset that do not fit together.
    let one = parse_dataset_str(&format!("{{{META}, \"entities\": [{{\"id\": \"a\", \"province\": \"01\", \"year\": 2024, \"kind\": \"htx\"}}]}}"), &Limits::default()).expect("one");
    let other_meta = META.replace("\"id\": \"t\"", "\"id\": \"u\"").replace("63", "34");
    let two = parse_dataset_str(&format!("{{{other_meta}, \"entities\": [{{\"id\": \"a\", \"province\": \"01\", \"year\": 2024, \"kind\": \"htx\"}}]}}"), &Limits::default()).expect("two");
    cases.push(Case::new("append: other dataset", Append, "Tệp thêm vào thuộc bộ dữ liệu khác, theo danh sách tỉnh khác", one.dataset.append(&two.dataset).err().unwrap_or_default()));
    cases.push(Case::new("append: same id", Append, "Tệp thêm vào có đơn vị đã có trong tệp đầu", one.dataset.append(&one.dataset).err().unwrap_or_default()));
    cases
}

#[test]
fn every_message_of_a_refused_file_reads_in_vietnamese() {
    let mut bad = Vec::new();
    let mut checked = 0;
    for case in corpus() {
        checked += check(&case.what, &case.report, &mut bad);
    }
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
    assert!(vi.contains("hàng 2, cột Năm: ô trống, cần một năm từ 1990 đến 2100"), "{vi}");
    assert!(vi.contains("hàng 3, cột Loại hình: ghi \"hợp tác\", cần một trong"), "{vi}");
    // Names first, as a register writes them, with the code a cell may hold instead.
    assert!(vi.contains("Hợp tác xã (htx)") && vi.contains("Tổ hợp tác (tht)"), "{vi}");
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
        format!("cột Năm, 1.205 hàng (12–1.215; 1.217): ô trống, cần {} (cột bắt buộc)", Field::Year.expected_in(Lang::Vi))
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

/// Where the reading sheet lives, relative to the crate.
const SHEET: &str = "docs/wording-vi.md";

/// The sheet's opening, for its reader (a Vietnamese speaker who is not a programmer).
const SHEET_INTRO: &str = "\
<!-- Tệp này được tạo tự động từ tests/messages_vi.rs; đừng sửa tay. Tạo lại bằng:
     UPDATE_WORDING=1 cargo test --test messages_vi -->

# Lời nhắn của Atlas Kinh tế tập thể khi mở tệp: bản để đọc và góp ý

**Tài liệu này dành cho ai.** Cho người quen làm sổ sách bằng Excel (ví dụ cán bộ Liên minh Hợp tác xã
tỉnh), không cần biết lập trình. Atlas Kinh tế tập thể (Coop Atlas) là một trang web mở sổ đăng ký hợp
tác xã (tệp Excel, CSV) và tệp dữ liệu JSON của các đơn vị công bố số liệu. Khi một tệp có chỗ sai hoặc
đáng ngờ, trang hiện các lời nhắn dưới đây. Người viết các lời nhắn này là lập trình viên; chúng tôi
cần biết chúng có dễ hiểu với người dùng thật không.

**Xin bạn làm gì.** Đọc từng lời nhắn như thể chính tệp của bạn vừa nhận được nó, rồi ghi vào cột
*Góp ý*:

- chỗ nào **khó hiểu** (bạn không biết phải sửa gì trong tệp);
- chỗ nào **sai** (về nghĩa, tên cơ quan, tên tỉnh, cách gọi trong Excel…);
- chỗ nào **nghe như dịch từ tiếng Anh**, không giống cách người Việt nói;
- và, nếu được, **cách viết bạn đề nghị**.

Không cần góp ý mọi dòng: một dấu ✓ cho dòng đã ổn cũng có ích. Các phần ghi \"Tệp JSON của đơn vị
công bố dữ liệu\" dành cho người làm tệp dữ liệu, nên vẫn giữ tên kỹ thuật của từng mục (trong dấu
`…`); các phần đó bạn có thể đọc lướt. Cuối tài liệu là các chữ trên màn hình mở tệp (nút, tiêu đề,
hướng dẫn).

**Những điểm chúng tôi chưa chắc**, xin bạn để ý:

1. Tên các mục trong Excel tiếng Việt (\"Tệp → Lưu thành\", \"CSV UTF-8 (Comma delimited)\", \"Tệp →
   Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu\") có đúng như trên máy của bạn không?
2. Gọi tệp Excel là \"sổ tính\" có tự nhiên không, hay nên nói \"tệp Excel\", \"bảng tính\"?
3. Lời nhắn chỉ nói \"mã tỉnh hai chữ số (ví dụ \"19\")\", không nêu cơ quan ban hành mã (Tổng cục
   Thống kê trước đây, nay là Cục Thống kê, Bộ Tài chính). Có cần nêu không?
4. Loại hình, lĩnh vực được liệt kê tên trước, mã sau (\"Hợp tác xã (htx)\"): có dễ hiểu không?
5. Các chữ \"chưa có\", \"ô trống\", \"cột bắt buộc\", \"cần xem lại\", \"Số bản ghi\" có dùng đúng chỗ không?

**Góp ý gửi về đâu.** In tài liệu ra và viết tay vào cột *Góp ý*, hoặc ghi ngay vào tệp này, rồi gửi lại
cho người đã đưa tài liệu cho bạn. Mỗi dòng có số thứ tự: khi góp ý qua điện thoại hay thư, chỉ cần
nói số.

Cột *Khi nào* nói điều gì trong tệp gây ra lời nhắn; cột *Mức* cho biết tệp bị từ chối (**lỗi**) hay vẫn
được mở (**cảnh báo**). Số hàng, tên tỉnh, giá trị trong lời nhắn là của các tệp thử; với tệp của bạn,
trang ghi đúng hàng và giá trị của bạn.
";

/// A cell of a Markdown table: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}

/// Digits made alike, so that one wording met in several files at different rows is listed once.
fn wording_key(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
}

/// Reads the Rust string literal at the start of `s` (after spaces), returning its value and the
/// rest: enough of Rust's escapes for the interface's strings (`\"`, `\\`, `\n`, `\u{…}` and a
/// line continuation).
fn string_literal(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let body = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &body[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                'u' => {
                    let rest = &body[i + 2..];
                    let end = rest.find('}')?;
                    out.push(char::from_u32(u32::from_str_radix(&rest[1..end], 16).ok()?)?);
                    for _ in 0..=end {
                        chars.next();
                    }
                }
                '\n' => {
                    // A line continuation: the next line's leading spaces are skipped too.
                    let rest = &body[i + 2..];
                    let skip = rest.len() - rest.trim_start().len();
                    for _ in rest[..skip].chars() {
                        chars.next();
                    }
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// `{name}`, `{n}`… (what the page fills in) written `{…}`, as the sheet's reader is told.
fn holes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) if rest[open + 1..open + close].chars().all(|c| c.is_alphanumeric() || c == '_') => {
                out.push_str("{…}");
                rest = &rest[open + close + 1..];
            }
            _ => {
                out.push('{');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The own-data screen's words, in the order of its source: each `tr(lang, "vi", "en")` pair and
/// each Vietnamese `format!` (its `{name}` holes left as the source writes them), without repeats.
fn own_data_ui() -> Vec<(String, String)> {
    let src = std::fs::read_to_string(path("src/ui/own_data.rs")).expect("own_data.rs");
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = src.as_str();
    loop {
        let tr = rest.find("tr(lang");
        let fm = rest.find("Lang::Vi => format!(");
        let (at, is_tr) = match (tr, fm) {
            (Some(a), Some(b)) if b < a => (b, false),
            (Some(a), _) => (a, true),
            (None, Some(b)) => (b, false),
            (None, None) => break,
        };
        rest = &rest[at..];
        let after = if is_tr { rest.find(',').map(|i| &rest[i + 1..]) } else { Some(&rest["Lang::Vi => format!(".len()..]) };
        rest = &rest[1..];
        let Some((vi, tail)) = after.and_then(string_literal) else { continue };
        let en = if is_tr {
            tail.trim_start().strip_prefix(',').and_then(string_literal).map(|(en, _)| en)
        } else {
            // The English arm follows the Vietnamese one.
            let arm = "Lang::En => format!(";
            tail.find(arm).filter(|&i| i < 400).and_then(|i| string_literal(&tail[i + arm.len()..])).map(|(en, _)| en)
        };
        let (vi, en) = (holes(&vi), holes(&en.unwrap_or_default()));
        if !out.iter().any(|(v, _)| *v == vi) {
            out.push((vi, en));
        }
    }
    out
}

/// The reading sheet: every message of the corpus once, by situation, then the own-data screen's
/// words and the download buttons. Deterministic: the corpus's order, no paths, no dates.
fn reading_sheet() -> String {
    use coop_atlas::engine::error::Severity;
    use coop_atlas::i18n::{t, Msg};
    let mut seen = std::collections::HashSet::new();
    let mut by_situation: Vec<(Situation, &'static str, Severity, String)> = Vec::new();
    let cases = corpus();
    for case in &cases {
        for issue in case.report.errors.iter().chain(&case.report.warnings) {
            let text = issue.text(Lang::Vi);
            if !seen.insert(wording_key(&text)) {
                continue;
            }
            let (situation, cause) = if issue.severity == Severity::Error { case.errors } else { case.warnings };
            by_situation.push((situation, cause, issue.severity, text));
        }
    }
    let mut out = String::from(SHEET_INTRO);
    let mut n = 0;
    out.push_str(&format!("\nTổng cộng {} lời nhắn.\n", by_situation.len()));
    for (part, situation) in Situation::ALL.iter().enumerate() {
        let rows: Vec<_> = by_situation.iter().filter(|(s, ..)| s == situation).collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {}. {}\n\n", part + 1, situation.heading()));
        out.push_str("| Số | Khi nào | Mức | Lời nhắn (đúng như trang hiện) | Góp ý |\n|---:|---|---|---|---|\n");
        for (_, cause, severity, text) in rows {
            n += 1;
            out.push_str(&format!("| {n} | {} | {} | {} | |\n", cell(cause), severity.word(Lang::Vi), cell(text)));
        }
    }
    out.push_str("\n## Chữ trên màn hình mở tệp\n\n");
    out.push_str(
        "Nút, tiêu đề và hướng dẫn của phần \"Dữ liệu của bạn\" (chọn tệp, chọn trang tính, chọn cột, báo cáo, \
         dữ liệu lưu trên thiết bị, chia sẻ) và các nút tải về. Chỗ ghi {…} là phần trang điền vào \
         (tên tệp, số lỗi…); vài dòng ngắn là một mảnh của câu, được ghép với tên trang web hay số giây. \
         Cột tiếng Anh chỉ để đối chiếu.\n\n",
    );
    out.push_str("| Số | Chữ trên màn hình | Tiếng Anh | Góp ý |\n|---:|---|---|---|\n");
    let downloads = [Msg::DownloadCsv, Msg::DownloadXlsx, Msg::ExportBusy, Msg::ExportFailed, Msg::PrivacyNote];
    let ui = own_data_ui().into_iter().chain(downloads.iter().map(|m| (t(Lang::Vi, *m).to_string(), t(Lang::En, *m).to_string())));
    for (vi, en) in ui {
        n += 1;
        out.push_str(&format!("| {n} | {} | {} | |\n", cell(&vi), cell(&en)));
    }
    out
}

/// `docs/wording-vi.md` is what the corpus and the interface say today, so that every change of
/// wording shows in the sheet's diff for its reader. `UPDATE_WORDING=1` rewrites it.
#[test]
fn the_reading_sheet_is_up_to_date() {
    let sheet = reading_sheet();
    let file = path(SHEET);
    if std::env::var_os("UPDATE_WORDING").is_some() {
        std::fs::write(&file, &sheet).expect("write the reading sheet");
        return;
    }
    let on_disk = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        on_disk == sheet,
        "{SHEET} is out of date (a message or an interface string changed): regenerate it with\n    UPDATE_WORDING=1 cargo test --test messages_vi\nand commit it"
    );
}

#[test]
fn the_reading_sheet_lists_every_kind_of_message() {
    let sheet = reading_sheet();
    // Each situation has its heading, and messages a reader must see are there word for word.
    for s in Situation::ALL {
        assert!(sheet.contains(s.heading()), "{s:?} missing");
    }
    // Every message of the corpus is there, once per wording (rows and counts may differ).
    let alike = wording_key(&sheet);
    for case in corpus() {
        for issue in case.report.errors.iter().chain(&case.report.warnings) {
            let text = issue.text(Lang::Vi);
            assert!(alike.contains(&wording_key(&cell(&text))), "{}: {text}", case.what);
        }
    }
    // The interface's words come from the source: the confirm button, a multi-line hint.
    assert!(sheet.contains("| Kiểm tra và mở | Check and open |"));
    assert!(sheet.contains("Tệp chỉ được xử lý và lưu trên thiết bị này"));
    // No path of this machine, no line broken inside a table.
    assert!(!sheet.contains(env!("CARGO_MANIFEST_DIR")));
    assert!(sheet.lines().filter(|l| l.starts_with("| ")).all(|l| l.ends_with('|')));
}

#[test]
fn string_literals_are_read_as_rust_reads_them() {
    assert_eq!(string_literal(r#" "a \"b\" \u{201c}c\u{201d}", x"#), Some(("a \"b\" \u{201c}c\u{201d}".to_string(), ", x")));
    assert_eq!(string_literal("\"one \\\n     two\""), Some(("one two".to_string(), "")));
    assert_eq!(string_literal("x"), None);
    assert_eq!(holes("Đã mở “{name}”: {n} lỗi, {x y}"), "Đã mở “{…}”: {…} lỗi, {x y}");
}

/// What a CSV or Excel user reads names no code (`` `…` ``) and no "trường" (a programmer's word for
/// what they call a column); what a JSON publisher reads never calls a missing key a blank cell
/// ("ô trống"): a JSON key is not a cell.
#[test]
fn each_reader_gets_the_words_of_their_file() {
    use Situation::*;
    let mut bad = Vec::new();
    for case in corpus() {
        for issue in case.report.errors.iter().chain(&case.report.warnings) {
            let situation = if issue.severity == coop_atlas::engine::error::Severity::Error { case.errors.0 } else { case.warnings.0 };
            let text = issue.text(Lang::Vi);
            let spreadsheet = matches!(situation, AnyFile | CsvUnreadable | Columns | Cells | CsvNotes | Workbook);
            if spreadsheet && (text.contains('`') || text.split(|c: char| !c.is_alphabetic()).any(|w| w == "trường")) {
                bad.push(format!("{}: {text}", case.what));
            }
            if !spreadsheet && text.contains("ô trống") {
                bad.push(format!("{}: {text}", case.what));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
