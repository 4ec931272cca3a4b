//! CSV files exported from Excel → [`Dataset`], with the column headers mapped to the format's
//! entity fields.
//!
//! Why a CSV path at all: provincial staff keep their lists in Excel, and "save as CSV" is the one
//! export every version has. What Excel writes varies with the machine's region settings, so this
//! reader accepts UTF-8 with or without a byte-order mark, `,` `;` or tab separators (guessed from
//! the header line), quoted fields with `""` escapes and line breaks, CRLF or LF, and a decimal
//! comma or point (guessed from the numbers of the file, see [`detect_decimal`]). The records
//! themselves are read by the `csv` crate; what is ours is what is specific to Excel exports
//! (separator and decimal guessing, header mapping, Vietnamese cell values). The page never calls
//! this module (own files are read in the worker), so the crate stays out of its first view.
//!
//! Headers are matched to fields in Vietnamese or English, with or without diacritics
//! ("Số lao động", "so lao dong", "workers", "Lao động (người)"). When a header cannot be matched
//! with certainty, [`Guess::sure`] is false and the app asks the user to pick the field for each
//! column, showing the guess.
//!
//! Cells are translated into the JSON format (codes from labels, `có`/`không` to booleans,
//! province names to codes, Vietnamese numbers to numbers) and the result goes through the same
//! parser and checks as a JSON file ([`parse_dataset`]), so a CSV is held to exactly the same
//! rules and gives the same messages. A cell that cannot be translated is passed through as text,
//! and the parser reports it as "found …, expected …".
//!
//! Rows in messages are **spreadsheet rows**: the header is row 1 and the first data row is row 2,
//! so the numbers match what the user sees in Excel.
//!
//! The work is resumable ([`Converter::step`]) so the browser can convert a large file in slices,
//! showing progress and keeping the page responsive.

use std::collections::HashMap;
use std::sync::Arc;

use super::error::{quote, Issue, Phrase, Report};
use super::xlsx_out::column_name;
use super::format::{parse_number_with, DecimalHint};
use super::dataset::Text;
use super::parse::{parse_dataset, Limits, Parsed, FORMAT};
use super::provinces::{fold, normalise_code, registry};
use super::vocab::{Boundary, Kind, Lang, Ntm, Sector, Stage};
use super::workbook::{cell_name, Grid};

/// How many data rows the mapping step shows under each column.
pub const PREVIEW_ROWS: usize = 3;
/// Most columns a CSV may have: more is a sign the file is not a table of units.
pub const MAX_COLUMNS: usize = 200;

/// The value type of a field, which decides how a cell is translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Type {
    Text,
    Province,
    Whole,
    Number,
    Bool,
    Kind,
    Sector,
    Ntm,
    Stage,
}

pub use super::field::Field;

/// What the CSV importer knows of each field beyond the format: its labels in the mapping step,
/// how a cell is translated, and the header spellings it recognises.
impl Field {
    /// A short label for the mapping step.
    pub fn label(self, lang: Lang) -> &'static str {
        let (_, vi, en, _, _) = self.info();
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    fn ty(self) -> Type {
        self.info().3
    }

    /// Header spellings, already folded (lowercase, no diacritics, words separated by one space).
    fn aliases(self) -> &'static [&'static str] {
        self.info().4
    }

    #[allow(clippy::type_complexity)]
    fn info(self) -> (&'static str, &'static str, &'static str, Type, &'static [&'static str]) {
        use Type as T;
        match self {
            Field::Id => ("id", "Mã đơn vị", "Unit id", T::Text,
                &["id", "ma", "ma so", "ma don vi", "ma htx", "ma dinh danh", "code", "unit id", "ma co so",
                  "ma so htx", "ma so thue", "mst", "ma so hop tac xa", "ma so doanh nghiep", "ma hop tac xa"]),
            Field::Province => ("province", "Tỉnh (mã hoặc tên)", "Province (code or name)", T::Province,
                &["province", "tinh", "ma tinh", "tinh thanh pho", "tinh thanh", "tinh tp", "province code", "ten tinh", "tinh thanh pho truc thuoc trung uong"]),
            Field::Year => ("year", "Năm", "Year", T::Whole,
                &["year", "nam", "nam bao cao", "nam thong ke", "nam du lieu"]),
            Field::Kind => ("kind", "Loại hình", "Kind of unit", T::Kind,
                &["kind", "loai hinh", "loai", "type", "loai hinh to chuc", "kind of unit", "loai hinh kinh te tap the"]),
            Field::Sector => ("sector", "Lĩnh vực", "Sector", T::Sector,
                &["sector", "linh vuc", "nganh", "nganh nghe", "linh vuc hoat dong", "nganh nghe chinh"]),
            Field::Members => ("members", "Số thành viên", "Members", T::Whole,
                &["members", "thanh vien", "so thanh vien", "tong so thanh vien"]),
            Field::Workers => ("workers", "Số lao động", "Workers", T::Whole,
                &["workers", "lao dong", "so lao dong", "tong so lao dong", "lao dong thuong xuyen"]),
            Field::Income => ("income", "Thu nhập bình quân (đồng/người/tháng)", "Average income (VND/person/month)", T::Number,
                &["income", "thu nhap", "thu nhap binh quan", "thu nhap binh quan lao dong", "thu nhap binh quan thang", "thu nhap binh quan nguoi thang"]),
            Field::Revenue => ("revenue", "Doanh thu (triệu đồng)", "Revenue (million VND)", T::Number,
                &["revenue", "doanh thu", "tong doanh thu", "doanh thu nam"]),
            Field::HighTech => ("high_tech", "Ứng dụng công nghệ cao", "Applies high technology", T::Bool,
                &["high tech", "hightech", "cong nghe cao", "ung dung cong nghe cao", "ung dung cnc", "cnc"]),
            Field::ValueChain => ("value_chain", "Sản xuất theo chuỗi giá trị", "Value chain", T::Bool,
                &["value chain", "chuoi gia tri", "san xuat theo chuoi", "san xuat theo chuoi gia tri", "lien ket chuoi", "lien ket chuoi gia tri"]),
            Field::Ntm => ("ntm", "Chuẩn nông thôn mới của xã", "New-rural standard", T::Ntm,
                &["ntm", "nong thon moi", "new rural", "chuan nong thon moi", "xa nong thon moi", "chuan ntm"]),
            Field::OcopStar => ("ocop_star", "Hạng sao OCOP", "OCOP stars", T::Whole,
                &["ocop star", "sao ocop", "hang sao ocop", "so sao ocop", "ocop stars", "hang sao"]),
            Field::OcopProducts => ("ocop_products", "Số sản phẩm OCOP", "OCOP products", T::Whole,
                &["ocop products", "san pham ocop", "so san pham ocop"]),
            Field::Ocop5Star => ("ocop_5star", "Số sản phẩm OCOP 5 sao", "5-star OCOP products", T::Whole,
                &["ocop 5star", "ocop 5 star", "ocop 5 sao", "san pham 5 sao", "so san pham 5 sao", "so san pham ocop 5 sao", "san pham ocop 5 sao"]),
            Field::Trademark => ("trademark", "Có nhãn hiệu", "Registered trademark", T::Bool,
                &["trademark", "nhan hieu", "co nhan hieu", "nhan hieu dang ky", "nhan hieu tap the"]),
            Field::Stage => ("stage", "Khâu dịch vụ", "Service stage", T::Stage,
                &["stage", "khau dich vu", "giai doan", "dich vu dau vao dau ra"]),
            Field::EthnicArea => ("ethnic_area", "Vùng đồng bào DTTS & MN", "Ethnic-minority area", T::Bool,
                &["ethnic area", "vung dtts", "dtts", "vung dtts mn", "vung dong bao dtts", "vung dong bao dan toc thieu so", "vung dong bao dtts va mien nui", "dan toc thieu so"]),
        }
    }
}

/// Folds a header or a cell for matching: lowercase, no diacritics, every run of characters that
/// are not letters or digits becomes one space (`"Số lao động (người)"` → `"so lao dong nguoi"`).
fn norm(s: &str) -> String {
    let f = fold(s);
    let mut out = String::with_capacity(f.len());
    for w in f.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The same without a trailing part in parentheses or after `/`, where units usually go
/// (`"Doanh thu (triệu đồng)"` → `"doanh thu"`).
fn norm_without_unit(s: &str) -> String {
    let cut = s.find(['(', '[', '/']).map_or(s, |i| &s[..i]);
    norm(cut)
}

/// The field guessed for one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Guess {
    /// The field, if any header spelling resembles the header.
    pub field: Option<Field>,
    /// Whether the header is a known spelling of the field (no need to ask the user).
    pub sure: bool,
}

/// Guesses the field of each header. A header is *sure* when, folded, it is a known spelling of a
/// field, with or without a unit in parentheses; it is a guess when every word of a known spelling
/// appears in it. Two columns never get the same field: the second becomes an unsure guess.
pub fn guess_mapping(headers: &[String]) -> Vec<Guess> {
    let mut out: Vec<Guess> = headers.iter().map(|h| guess_one(h)).collect();
    for i in 0..out.len() {
        if let Some(f) = out[i].field {
            if out[..i].iter().any(|g| g.field == Some(f)) {
                out[i] = Guess { field: None, sure: false };
            }
        }
    }
    out
}

/// Headers that registers carry and the format has no field for: the row number (`STT`) and the
/// unit's name and address. They are recognised (no need to ask the user) and not kept.
const NOT_KEPT: &[&str] = &[
    "stt", "tt", "so tt", "so thu tu", "thu tu",
    "ten htx", "ten hop tac xa", "ten don vi", "ten tho", "ten to hop tac", "ten", "name", "ten qtdnd", "ten quy tin dung",
    "dia chi", "address",
];

/// Whether a header is one of [`NOT_KEPT`].
pub fn is_not_kept(header: &str) -> bool {
    let (full, short) = (norm(header), norm_without_unit(header));
    NOT_KEPT.iter().any(|h| *h == full || *h == short)
}

fn guess_one(header: &str) -> Guess {
    let full = norm(header);
    if full.is_empty() {
        return Guess { field: None, sure: false };
    }
    if is_not_kept(header) {
        return Guess { field: None, sure: true };
    }
    let short = norm_without_unit(header);
    for &f in Field::ALL {
        let code = norm(f.code());
        if f.aliases().iter().any(|a| *a == full || *a == short) || code == full || code == short {
            return Guess { field: Some(f), sure: true };
        }
    }
    // Every word of a spelling appears among the header's words: take the longest such spelling.
    let words: Vec<&str> = full.split(' ').collect();
    let mut best: Option<(usize, Field)> = None;
    for &f in Field::ALL {
        for a in f.aliases() {
            let aw: Vec<&str> = a.split(' ').collect();
            // One-word spellings of two letters or fewer ("ma", "tv") are too weak alone.
            if aw.len() == 1 && aw[0].len() <= 3 {
                continue;
            }
            if aw.iter().all(|w| words.contains(w)) && best.is_none_or(|(n, _)| a.len() > n) {
                best = Some((a.len(), f));
            }
        }
    }
    Guess { field: best.map(|(_, f)| f), sure: false }
}

/// Whether the user must confirm the mapping: some column is not surely mapped, or a required
/// field has no column.
pub fn needs_mapping(guesses: &[Guess]) -> bool {
    guesses.iter().any(|g| !g.sure)
        || Field::REQUIRED.iter().any(|r| *r != Field::Id && !guesses.iter().any(|g| g.field == Some(*r)))
}

// ---- reading records -----------------------------------------------------------------------

/// A CSV file read far enough to show the mapping step: its text, separator, headers and the first
/// rows. The text is shared with the [`Converter`] (no copy).
#[derive(Clone, Debug)]
pub struct CsvFile {
    text: Arc<str>,
    /// Byte offset of the first data record.
    body_start: usize,
    /// The spreadsheet row of the header (1 unless title rows sit above it).
    pub header_row: usize,
    /// The separator: `,`, `;` or tab.
    pub delimiter: char,
    /// The header cells, trimmed.
    pub headers: Vec<String>,
    /// The first [`PREVIEW_ROWS`] data rows.
    pub preview: Vec<Vec<String>>,
}

impl CsvFile {
    /// The size of the text in bytes (without a byte-order mark).
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Every non-blank record under the header, cells trimmed, as far as the text can be read:
    /// for reading back a table Coop Atlas wrote (not a units file, so no [`Converter`]).
    pub fn records(&self) -> Vec<Vec<String>> {
        let mut reader = Reader::new(&self.text, self.body_start, self.delimiter as u8, self.header_row);
        let mut cells = csv::StringRecord::new();
        let mut out = Vec::new();
        while let Ok(true) = reader.next_record(&mut cells) {
            if !cells.iter().all(|c| c.trim().is_empty()) {
                out.push(cells.iter().map(|c| c.trim().to_string()).collect());
            }
        }
        out
    }

    /// Whether the text is empty (never true for a file [`read`] accepted).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Reads the header and the first rows of a CSV file. Refuses, with a message, what is not a
/// UTF-8 CSV: too large, empty, UTF-16/32, invalid UTF-8, a binary file, a header with one column
/// or with more than [`MAX_COLUMNS`].
pub fn read(bytes: &[u8], limits: &Limits) -> Result<CsvFile, Report> {
    let one = |found: Phrase, expected: Phrase| Err(Report::single(Issue::error(found, expected)));
    if bytes.len() > limits.max_bytes {
        return one(super::parse::file_size(bytes.len()), super::parse::size_limit(limits.max_bytes));
    }
    let utf16 = || Phrase::new("a UTF-16 text", "tệp được lưu dạng \"Unicode Text\" của Excel (bảng mã UTF-16)");
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return one(
            utf16(),
            Phrase::new(
                "a UTF-8 CSV text: this looks like a UTF-16 file (Excel's \"Unicode text\"); save it as \"CSV UTF-8\"",
                "lưu lại dạng CSV UTF-8: trong Excel chọn Tệp → Lưu thành → \"CSV UTF-8 (Comma delimited)\"",
            ),
        );
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return one(
            Phrase::new("an empty file", "tệp rỗng"),
            Phrase::new(
                "a CSV text with a header row and one row per unit",
                "một hàng tiêu đề, rồi mỗi đơn vị một hàng",
            ),
        );
    }
    if let Some(pos) = body.iter().position(|&b| b == 0) {
        let found = if pos < 4 { utf16() } else { Phrase::new(format!("a NUL byte at byte {pos}"), format!("tệp không phải văn bản: có ký tự rỗng (NUL) ở byte thứ {pos}")) };
        return one(
            found,
            Phrase::new(
                "a UTF-8 CSV text (is it a binary file, such as an image or a .xlsx workbook?)",
                "một tệp CSV dạng văn bản: có phải đã chọn nhầm tệp, như một ảnh?",
            ),
        );
    }
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let pos = e.valid_up_to();
            let line = 1 + body[..pos].iter().filter(|&&b| b == b'\n').count();
            return Err(Report::single(
                Issue::error(
                    Phrase::new(format!("a byte that is not UTF-8 at byte {pos}"), format!("tệp không được lưu bằng bảng mã UTF-8 (chữ đầu tiên không đọc được ở byte thứ {pos})")),
                    Phrase::new(
                        "a UTF-8 CSV text: save it from Excel as \"CSV UTF-8 (comma delimited)\"",
                        "lưu lại bằng bảng mã UTF-8: trong Excel chọn Tệp → Lưu thành → \"CSV UTF-8 (Comma delimited)\"; nếu chữ được gõ bằng bảng mã cũ (TCVN3, VNI), hãy chuyển sang Unicode trước",
                    ),
                )
                .at_row(line),
            ));
        }
    };
    read_text(text, sniff_delimiter(text))
}

/// A sheet of a workbook as the CSV reader's input: one line per spreadsheet row (blank rows as
/// blank lines, so rows keep their numbers), cells separated by tabs and quoted when they hold a
/// tab, a quote or a line break, each written by [`Cell::to_text`] (numbers in a form read back
/// exactly whatever decimal separator is guessed, dates as `yyyy-mm-dd`). So a workbook goes
/// through the very reader, header search, column guess and conversion a CSV does: one import
/// path, not two. Refuses what [`read`] refuses (one column, more than [`MAX_COLUMNS`]).
///
/// [`Cell::to_text`]: super::workbook::Cell::to_text
pub fn from_grid(grid: &Grid) -> Result<CsvFile, Report> {
    let mut text = String::new();
    for row in &grid.rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                text.push('\t');
            }
            let t = cell.to_text();
            if t.contains(['\t', '"', '\n', '\r']) {
                text.push('"');
                text.push_str(&t.replace('"', "\"\""));
                text.push('"');
            } else {
                text.push_str(&t);
            }
        }
        text.push('\n');
    }
    read_text(&text, '\t')
}

/// Reads the header and first rows of a decoded text whose separator is `delimiter`.
fn read_text(text: &str, delimiter: char) -> Result<CsvFile, Report> {
    let one = |found: Phrase, expected: Phrase| Err(Report::single(Issue::error(found, expected)));
    let (header_row, header_end, headers) = find_header(text, delimiter as u8).map_err(Report::single)?;
    let mut reader = Reader::new(text, header_end, delimiter as u8, header_row);
    let mut cells = csv::StringRecord::new();
    if headers.len() < 2 {
        let first = quote(headers.first().map_or("", |s| s.as_str()));
        return one(
            Phrase::new(format!("a header row with one column ({first})"), format!("hàng tiêu đề chỉ có một cột ({first})")),
            Phrase::new(
                "a header row with one column per field, separated by commas or semicolons (id, province, year, kind, …)",
                "mỗi thông tin một cột, các cột ngăn cách bằng dấu phẩy hoặc dấu chấm phẩy (Mã; Tỉnh; Năm; Loại hình; …)",
            ),
        );
    }
    if headers.len() > MAX_COLUMNS {
        let n = headers.len();
        return one(
            Phrase::new(format!("{n} columns in the header row"), format!("hàng tiêu đề có {n} cột")),
            Phrase::new(format!("at most {MAX_COLUMNS} columns"), format!("tối đa {MAX_COLUMNS} cột")),
        );
    }
    let body_start = header_end;
    let mut preview = Vec::new();
    while preview.len() < PREVIEW_ROWS {
        match reader.next_record(&mut cells) {
            Ok(true) => {
                if !cells.iter().all(|c| c.trim().is_empty()) {
                    preview.push(cells.iter().map(str::to_string).collect());
                }
            }
            Ok(false) => break,
            Err(e) => return Err(Report::single(e)),
        }
    }
    Ok(CsvFile { text: Arc::from(text), body_start, header_row, delimiter, headers, preview })
}

/// A header row found: its spreadsheet row, the byte offset after it, its cells.
type HeaderRow = (usize, usize, Vec<String>);

/// How many records from the top may be title rows above the header.
const MAX_TITLE_ROWS: usize = 10;

/// Finds the header row: provincial registers put a title or two above it ("DANH SÁCH HỢP TÁC XÃ
/// …", a date line), so the header is the first of the top records in which the most cells are
/// known headers (at least two); with no such record, the first non-blank one, as before. Returns
/// its spreadsheet row, the byte offset after it and its cells, trimmed.
fn find_header(text: &str, delim: u8) -> Result<HeaderRow, Issue> {
    let mut reader = Reader::new(text, 0, delim, 0);
    let mut cells = csv::StringRecord::new();
    let mut first: Option<HeaderRow> = None;
    let mut best: Option<(usize, HeaderRow)> = None;
    for _ in 0..MAX_TITLE_ROWS {
        if !reader.next_record(&mut cells)? {
            break;
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row: Vec<String> = cells.iter().map(|c| c.trim().to_string()).collect();
        let known = guess_mapping(&row).iter().filter(|g| g.sure && g.field.is_some()).count();
        let here = (reader.record, reader.pos, row);
        if first.is_none() {
            first = Some(here.clone());
        }
        if known >= 2 && best.as_ref().is_none_or(|(k, _)| known > *k) {
            best = Some((known, here));
        }
    }
    Ok(best.map(|(_, h)| h).or(first).unwrap_or((1, text.len(), Vec::new())))
}

/// Picks the separator from the top lines: on the line with the most separators (the header,
/// not a title row above it), the most frequent of `;`, `,` and tab outside quotes (`;` wins a tie:
/// Vietnamese Excel writes it, and `,` then appears inside numbers).
fn sniff_delimiter(text: &str) -> char {
    let mut best = [0usize; 3];
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut lines = 0;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => {
                if counts.iter().max() > best.iter().max() {
                    best = counts;
                }
                counts = [0; 3];
                lines += 1;
                if lines > MAX_TITLE_ROWS {
                    break;
                }
            }
            b';' if !quoted => counts[0] += 1,
            b',' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts.iter().max() > best.iter().max() {
        best = counts;
    }
    let counts = best;
    let max = counts.iter().copied().max().unwrap_or(0);
    if max == 0 {
        // No separator at all: `,` so that the one-column message names the likely problem.
        ','
    } else if counts[0] == max {
        ';'
    } else if counts[1] == max {
        ','
    } else {
        '\t'
    }
}

/// A resumable record reader over the text: the `csv` crate does the reading (quotes, `""`, line
/// breaks inside quotes, CR, LF or CRLF); this adds what the crate does not say and the app needs,
/// the **spreadsheet row** of each record (the crate skips blank lines, which Excel counts as rows)
/// and a quote left open at the end of the file (the crate silently ends the value there).
struct Reader<'a> {
    text: &'a str,
    /// Byte offset in `text` where `inner` starts.
    base: usize,
    inner: csv::Reader<&'a [u8]>,
    /// Byte offset just after the last record read.
    pos: usize,
    /// The spreadsheet row of the last record read (the header is row 1).
    record: usize,
}

impl<'a> Reader<'a> {
    /// A reader from byte `pos` of `text`, the record before it being spreadsheet row `record`.
    fn new(text: &'a str, pos: usize, delim: u8, record: usize) -> Reader<'a> {
        let pos = pos.min(text.len());
        let inner = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delim)
            .from_reader(&text.as_bytes()[pos..]);
        Reader { text, base: pos, inner, pos, record }
    }

    /// Reads the next record into `out`; `Ok(false)` at the end of the text. A quote that is never
    /// closed is an error naming the spreadsheet row where it opened.
    fn next_record(&mut self, out: &mut csv::StringRecord) -> Result<bool, Issue> {
        let row = self.record + 1;
        let more = self.inner.read_record(out).map_err(|e| {
            Issue::error(
                Phrase::new(format!("a record that cannot be read ({e})"), format!("một hàng không đọc được ({e})")),
                Phrase::new("a UTF-8 CSV text", "một tệp CSV lưu bằng bảng mã UTF-8"),
            )
            .at_row(row)
        })?;
        if !more {
            self.pos = self.text.len();
            return Ok(false);
        }
        let start = self.base + out.position().map_or(0, |p| p.byte() as usize);
        let end = (self.base + self.inner.position().byte() as usize).min(self.text.len());
        // The crate's record starts where the last one stopped, which may be inside its CRLF and
        // before blank lines it skipped: those blank lines are rows in Excel.
        let bytes = self.text.as_bytes();
        let mut from = start.min(end);
        if from > 0 && bytes.get(from) == Some(&b'\n') && bytes[from - 1] == b'\r' {
            from += 1;
        }
        let lead = bytes[from.min(end)..end].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        let skipped = line_breaks(&bytes[from.min(end)..from.min(end) + lead]);
        self.record += 1 + skipped;
        self.pos = end;
        if out.len() > MAX_COLUMNS + 1 {
            return Err(Issue::error(
                Phrase::new(format!("more than {MAX_COLUMNS} columns"), format!("hàng này có hơn {MAX_COLUMNS} cột")),
                Phrase::new(format!("at most {MAX_COLUMNS} columns"), format!("tối đa {MAX_COLUMNS} cột (có phải tệp dùng một dấu ngăn cách khác?)")),
            )
            .at_row(self.record));
        }
        // Quotes come in pairs in a well-formed record (`"…"`, `""`); an odd count in the record
        // that runs to the end of the file is a quote never closed.
        if end >= self.text.len() && self.text.as_bytes()[start.min(end)..end].iter().filter(|&&b| b == b'"').count() % 2 == 1 {
            return Err(Issue::error(
                Phrase::new("a quote (\") that is never closed", "có một dấu ngoặc kép (\") mở mà không đóng"),
                Phrase::new("a closing quote before the end of the file", "thêm dấu ngoặc kép đóng, hoặc xóa dấu mở"),
            )
            .at_row(self.record));
        }
        Ok(true)
    }
}

/// Line breaks in a stretch between records (CRLF counts once, a lone CR or LF once each).
fn line_breaks(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' => {
                n += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

// ---- translating cells -----------------------------------------------------------------------

/// Guesses the decimal separator from the numeric cells: a cell whose only separator is a comma
/// followed by one, two or more than three digits (`3,5`, `12,75`) proves a decimal comma; the same
/// with a point proves a decimal point. With no proof either way, each cell is read on its own
/// ([`DecimalHint::Auto`]: `3.000` is three thousand).
pub fn detect_decimal<'a>(cells: impl IntoIterator<Item = &'a str>) -> DecimalHint {
    let (mut comma, mut point) = (0usize, 0usize);
    for c in cells {
        let t = c.trim();
        let has_dot = t.contains('.');
        let has_comma = t.contains(',');
        if has_dot && has_comma {
            if t.rfind(',') > t.rfind('.') { comma += 1 } else { point += 1 }
            continue;
        }
        for (sep, n) in [(',', &mut comma), ('.', &mut point)] {
            if t.matches(sep).count() == 1 {
                let (before, after) = t.split_once(sep).unwrap_or(("", ""));
                let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                if digits(before.trim_start_matches(['-', '+'])) && digits(after) && (after.len() != 3 || before == "0") {
                    *n += 1;
                }
            }
        }
    }
    match (comma > 0, point > 0) {
        (true, false) => DecimalHint::Comma,
        (false, true) => DecimalHint::Point,
        _ => DecimalHint::Auto,
    }
}

/// Province names (folded, without "tỉnh"/"thành phố") → code, for one boundary version.
fn province_names(b: Boundary) -> HashMap<String, &'static str> {
    let mut names: HashMap<String, &'static str> = registry().provinces(b).iter().map(|p| (norm(p.name), p.code)).collect();
    // Usual written forms of a few names (after "TP."/"Tỉnh" are taken off).
    for (alias, name) in [("hcm", "ho chi minh"), ("sai gon", "ho chi minh"), ("thua thien hue", "hue"), ("hue", "thua thien hue"), ("dac lac", "dak lak"), ("dac nong", "dak nong")] {
        if let Some(&code) = names.get(name) {
            names.entry(alias.to_string()).or_insert(code);
        }
    }
    names
}

fn strip_province_prefix(folded: &str) -> &str {
    for p in ["thanh pho ", "tinh ", "tp "] {
        if let Some(rest) = folded.strip_prefix(p) {
            return rest;
        }
    }
    folded
}

/// The province code a cell names in boundary `b` (a code, or a name with or without diacritics).
fn province_code(cell: &str, names: &HashMap<String, &'static str>, b: Boundary) -> Option<String> {
    if let Some(code) = normalise_code(cell) {
        return registry().index_of(b, &code).map(|_| code);
    }
    let n = norm(cell);
    names.get(strip_province_prefix(&n)).map(|c| (*c).to_string())
}

/// Guesses the boundary version from the province cells: the version in which more of them are
/// known (63 when equal, the version of the bundled data).
pub fn guess_boundary<'a>(cells: impl IntoIterator<Item = &'a str>) -> Boundary {
    let names63 = province_names(Boundary::P63);
    let names34 = province_names(Boundary::P34);
    let (mut a, mut b) = (0usize, 0usize);
    for c in cells {
        a += usize::from(province_code(c, &names63, Boundary::P63).is_some());
        b += usize::from(province_code(c, &names34, Boundary::P34).is_some());
    }
    if b > a {
        Boundary::P34
    } else {
        Boundary::P63
    }
}

fn code_of<T: Copy>(cell: &str, all: &[T], code: fn(T) -> &'static str, label: fn(T, Lang) -> &'static str, extra: &[(&str, T)]) -> Option<&'static str> {
    let n = norm(cell);
    for &v in all {
        if n == code(v) || n == norm(label(v, Lang::Vi)) || n == norm(label(v, Lang::En)) {
            return Some(code(v));
        }
    }
    extra.iter().find(|(a, _)| *a == n).map(|(_, v)| code(*v))
}

fn translate_code(ty: Type, cell: &str) -> Option<&'static str> {
    match ty {
        Type::Kind => code_of(cell, Kind::ALL, Kind::code, Kind::label, &[
            ("quy tin dung", Kind::Qtdnd), ("qtd", Kind::Qtdnd), ("lien hiep htx", Kind::Lhhtx),
            ("lhhtx", Kind::Lhhtx), ("ho kinh doanh", Kind::Hkd), ("co so san xuat", Kind::Hkd),
            ("cooperative group", Kind::Tht), ("to hop tac", Kind::Tht), ("hop tac xa", Kind::Htx),
        ]),
        Type::Sector => code_of(cell, Sector::ALL, Sector::code, Sector::label, &[
            ("nong nghiep", Sector::Nn), ("agriculture", Sector::Nn), ("cong nghiep", Sector::Cn),
            ("tieu thu cong nghiep", Sector::Cn), ("thuong mai", Sector::Tm), ("dich vu", Sector::Tm),
            ("van tai", Sector::Vt), ("tin dung", Sector::Td), ("xay dung", Sector::Xd), ("other", Sector::Khac),
        ]),
        Type::Ntm => code_of(cell, Ntm::ALL, Ntm::code, Ntm::label, &[
            ("chua dat", Ntm::None), ("chua", Ntm::None), ("khong", Ntm::None), ("dat chuan", Ntm::Ntm),
            ("dat", Ntm::Ntm), ("nang cao", Ntm::Advanced), ("ntm nang cao", Ntm::Advanced),
            ("kieu mau", Ntm::Model), ("ntm kieu mau", Ntm::Model),
        ]),
        Type::Stage => code_of(cell, Stage::ALL, Stage::code, Stage::label, &[
            ("dau vao", Stage::Input), ("dau ra", Stage::Output), ("ca hai", Stage::Both),
            ("ca dau vao va dau ra", Stage::Both), ("dau vao va dau ra", Stage::Both),
        ]),
        _ => None,
    }
}

fn translate_bool(cell: &str) -> Option<bool> {
    match norm(cell).as_str() {
        "1" | "true" | "yes" | "y" | "x" | "co" | "dat" | "v" | "c" => Some(true),
        "0" | "false" | "no" | "n" | "khong" | "chua" | "k" => Some(false),
        _ => None,
    }
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_json_number(out: &mut String, v: f64) {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        out.push_str(&format!("{}", v as i64));
    } else {
        out.push_str(&format!("{v}"));
    }
}

// ---- converting ------------------------------------------------------------------------------

/// What the app knows about a CSV dataset that the CSV itself cannot say.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvMeta {
    /// `meta.id` (`[a-z0-9-]{1,64}`), see [`id_from_file_name`].
    pub id: String,
    /// The title (the file name, unless the user typed one).
    pub title: String,
    /// Who published the figures (the user's own file unless said otherwise), in both languages.
    pub publisher: Text,
    /// Which province codes the file uses.
    pub boundary: Boundary,
}

/// A dataset id made from a file name: folded, `[a-z0-9-]`, at most 64 characters, never empty.
pub fn id_from_file_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let n = norm(stem);
    let mut id: String = n
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    id.truncate(64);
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "tep-csv".to_string() } else { id }
}

/// How far a [`Converter`] has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of the text converted.
    pub done: usize,
    /// Bytes of the text in all.
    pub total: usize,
    /// Whether every record has been converted ([`Converter::finish`] may be called).
    pub finished: bool,
}

/// Converts the records of a [`CsvFile`] into the JSON format, a slice at a time.
pub struct Converter {
    text: Arc<str>,
    pos: usize,
    record: usize,
    delim: u8,
    columns: usize,
    /// For each CSV column, the field it fills.
    mapping: Vec<Option<Field>>,
    /// For each field in [`Field::ALL`] order, its JSON array so far (without brackets).
    out: Vec<Option<String>>,
    /// The spreadsheet row of each entity.
    rows: Vec<u32>,
    hint: DecimalHint,
    names: HashMap<String, &'static str>,
    /// Province names not of the file's boundary version → (code, name) in it.
    old_names: HashMap<String, (&'static str, &'static str)>,
    /// Old province names met: (the cell as written, the province's name now, its rows).
    renamed: Vec<(String, &'static str, Vec<u32>)>,
    /// Spreadsheet rows skipped as totals or subtotals.
    totals: Vec<u32>,
    /// No id column: each unit's id is its spreadsheet row.
    number_rows: bool,
    meta: CsvMeta,
    report: Report,
    done: bool,
    /// The workbook sheet the rows come from: issues then name cells as Excel does (`Sheet1!C12`).
    sheet: Option<String>,
}

impl Converter {
    /// Prepares the conversion with `mapping[i]` the field of column `i` (`None`: ignored). Refuses
    /// a mapping that leaves a required field without a column or maps two columns to one field.
    pub fn new(file: &CsvFile, mapping: &[Option<Field>], meta: CsvMeta) -> Result<Converter, Report> {
        let mut report = Report::new();
        // A register without an id column gets its rows numbered (see `number_rows`).
        for f in Field::REQUIRED.iter().filter(|f| **f != Field::Id) {
            if !mapping.contains(&Some(*f)) {
                report.push(
                    Issue::error(
                        Phrase::new(
                            format!("no column for {} ({})", quote(f.code()), f.label(Lang::En)),
                            "chưa có cột nào được chọn là thông tin này".to_string(),
                        ),
                        Phrase::new(
                            format!("a column holding {}; pick it in the column list", lower(f.label(Lang::En))),
                            format!("chọn cột ghi {} trong danh sách cột", lower(f.label(Lang::Vi))),
                        ),
                    )
                    .in_field(f.code()),
                );
            }
        }
        for (i, f) in mapping.iter().enumerate() {
            if let Some(f) = f {
                if let Some(j) = mapping[..i].iter().position(|g| g == &Some(*f)) {
                    let (a, b) = (column_name(j), column_name(i));
                    report.push(
                        Issue::error(
                            Phrase::new(
                                format!("columns {a} and {b} both mapped to {}", quote(f.code())),
                                format!("cả cột {a} và cột {b} đều được chọn là {}", f.label(Lang::Vi)),
                            ),
                            Phrase::new("one column per field", "chọn chỉ một cột cho mỗi thông tin"),
                        )
                        .in_field(f.code()),
                    );
                }
            }
        }
        if report.has_errors() {
            return Err(report);
        }
        // The decimal separator, from the numeric cells of the first rows.
        let numeric: Vec<usize> = mapping
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_some_and(|f| matches!(f.ty(), Type::Number | Type::Whole)))
            .map(|(i, _)| i)
            .collect();
        let mut reader = Reader::new(&file.text, file.body_start, file.delimiter as u8, file.header_row);
        let mut cells = csv::StringRecord::new();
        let mut sample: Vec<String> = Vec::new();
        for _ in 0..2000 {
            match reader.next_record(&mut cells) {
                Ok(true) => sample.extend(numeric.iter().filter_map(|&i| cells.get(i)).map(|c| c.to_string())),
                _ => break,
            }
        }
        let hint = detect_decimal(sample.iter().map(|s| s.as_str()));
        let number_rows = !mapping.contains(&Some(Field::Id));
        let mut out = vec![None; Field::ALL.len()];
        for f in mapping.iter().flatten().chain(number_rows.then_some(&Field::Id)) {
            if let Some(k) = Field::ALL.iter().position(|g| g == f) {
                out[k] = Some(String::new());
            }
        }
        Ok(Converter {
            text: file.text.clone(),
            pos: file.body_start,
            record: file.header_row,
            delim: file.delimiter as u8,
            columns: file.headers.len(),
            mapping: mapping.to_vec(),
            out,
            rows: Vec::new(),
            hint,
            names: province_names(meta.boundary),
            old_names: old_province_names(meta.boundary),
            renamed: Vec::new(),
            totals: Vec::new(),
            number_rows,
            meta,
            report: Report::new(),
            done: false,
            sheet: None,
        })
    }

    /// Says the rows come from the workbook sheet `name`: the report then names each cell as
    /// Excel does (`'Danh sách HTX'!I8`), which a user can type into Excel's Name Box.
    pub fn in_sheet(mut self, name: &str) -> Converter {
        self.sheet = Some(name.to_string());
        self
    }

    /// The decimal separator the conversion uses.
    pub fn decimal(&self) -> DecimalHint {
        self.hint
    }

    /// Converts at most `max_records` more records; call until [`Progress::finished`].
    pub fn step(&mut self, max_records: usize) -> Progress {
        let text: &str = &self.text;
        let mut reader = Reader::new(text, self.pos, self.delim, self.record);
        let mut cells = csv::StringRecord::new();
        for _ in 0..max_records {
            match reader.next_record(&mut cells) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    self.report.push(e);
                    self.done = true;
                    break;
                }
            }
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue; // Blank lines (Excel often leaves some at the end) are skipped.
            }
            let row = reader.record;
            if is_totals_row(&cells) {
                self.totals.push(u32::try_from(row).unwrap_or(u32::MAX));
                continue;
            }
            // In a CSV, values beyond the header mean a separator inside a value; a sheet cannot be
            // split wrongly, and a value beyond its header (a note in the margin) has no field.
            if self.sheet.is_none() && cells.len() > self.columns && cells.iter().skip(self.columns).any(|c| !c.trim().is_empty()) {
                self.report.error_with(|| {
                    let (n, m) = (cells.len(), self.columns);
                    Issue::error(
                        Phrase::new(format!("{n} values"), format!("có {n} giá trị trong khi hàng tiêu đề có {} cột", self.columns)),
                        Phrase::new(
                            format!("{m} values, one per header column (is there an unquoted separator inside a value, such as a decimal comma?)"),
                            format!("đúng {m} giá trị, mỗi cột một giá trị (có phải một giá trị chứa dấu ngăn cách mà không nằm trong ngoặc kép, như dấu phẩy thập phân?)"),
                        ),
                    )
                    .at_row(row)
                });
                continue;
            }
            self.rows.push(u32::try_from(row).unwrap_or(u32::MAX));
            for (k, field) in Field::ALL.iter().enumerate() {
                let Some(buf) = self.out[k].as_mut() else { continue };
                let col = self.mapping.iter().position(|m| m == &Some(*field));
                let cell = col.and_then(|c| cells.get(c)).map_or("", |c| c.trim());
                if !buf.is_empty() {
                    buf.push(',');
                }
                if *field == Field::Id && self.number_rows {
                    push_json_str(buf, &row.to_string());
                    continue;
                }
                if *field == Field::Province && province_code(cell, &self.names, self.meta.boundary).is_none() {
                    if let Some(&(code, name)) = self.old_names.get(strip_province_prefix(&norm(cell))) {
                        let r = u32::try_from(row).unwrap_or(u32::MAX);
                        match self.renamed.iter_mut().find(|(c, _, _)| c == cell) {
                            Some((_, _, rows)) => rows.push(r),
                            None => self.renamed.push((cell.to_string(), name, vec![r])),
                        }
                        push_json_str(buf, code);
                        continue;
                    }
                }
                if *field == Field::Year {
                    if let Some(y) = year_of_date(cell) {
                        push_json_number(buf, f64::from(y));
                        continue;
                    }
                }
                translate(buf, field.ty(), cell, self.hint, &self.names, self.meta.boundary);
            }
        }
        self.pos = reader.pos;
        self.record = reader.record;
        Progress { done: self.pos.min(self.text.len()), total: self.text.len(), finished: self.done }
    }

    /// Converts everything that is left in one go (for the command line and tests).
    pub fn run(mut self) -> Result<Parsed, Report> {
        while !self.step(10_000).finished {}
        self.finish()
    }

    /// Parses and checks the converted dataset with the JSON format's rules. Errors and warnings
    /// name spreadsheet rows (header = row 1).
    pub fn finish(self) -> Result<Parsed, Report> {
        self.finish_with_json().map(|(p, _)| p)
    }

    /// [`finish`](Self::finish), also returning the dataset in the JSON format: the app stores
    /// that, so a stored CSV never needs its column mapping again.
    pub fn finish_with_json(self) -> Result<(Parsed, String), Report> {
        let (json, rows) = self.into_json()?;
        let limits = Limits { max_bytes: usize::MAX };
        match parse_dataset(json.as_bytes(), &limits) {
            Ok(mut parsed) => {
                rows.remap(&mut parsed.warnings);
                Ok((parsed, json))
            }
            Err(mut report) => {
                rows.remap(&mut report);
                Err(report)
            }
        }
    }

    /// The converted dataset in the JSON format, not yet parsed, and the spreadsheet row of each
    /// entity: the app parses the text in slices ([`IncrementalParser`]) and then renumbers the
    /// rows of its report with [`RowMap::remap`].
    ///
    /// [`IncrementalParser`]: super::incremental::IncrementalParser
    pub fn into_json(self) -> Result<(String, RowMap), Report> {
        if self.report.has_errors() {
            return Err(self.report);
        }
        if self.rows.is_empty() {
            return Err(Report::single(Issue::error(
                Phrase::new("a header row and no data rows", "chỉ có hàng tiêu đề, chưa có hàng dữ liệu nào"),
                Phrase::new("one row per unit under the header", "thêm mỗi đơn vị một hàng dưới hàng tiêu đề"),
            )));
        }
        let mut json = String::with_capacity(self.out.iter().flatten().map(|s| s.len() + 20).sum::<usize>() + 512);
        json.push_str("{\"format\":");
        push_json_str(&mut json, FORMAT);
        json.push_str(",\"meta\":{\"id\":");
        push_json_str(&mut json, &self.meta.id);
        json.push_str(",\"title\":{\"vi\":");
        push_json_str(&mut json, &self.meta.title);
        json.push_str(",\"en\":");
        push_json_str(&mut json, &self.meta.title);
        json.push_str("},\"source\":{\"publisher\":{\"vi\":");
        push_json_str(&mut json, &self.meta.publisher.vi);
        json.push_str(",\"en\":");
        push_json_str(&mut json, &self.meta.publisher.en);
        json.push('}');
        json.push_str(&format!("}},\"boundary\":{}}},\"entities\":{{", self.meta.boundary.number()));
        let mut first = true;
        for (k, f) in Field::ALL.iter().enumerate() {
            if let Some(buf) = &self.out[k] {
                if !first {
                    json.push(',');
                }
                first = false;
                push_json_str(&mut json, f.code());
                json.push_str(":[");
                json.push_str(buf);
                json.push(']');
            }
        }
        json.push_str("}}");
        let notes = self.notes();
        // A field's column, for naming cells in a workbook's report.
        let cells = self.sheet.map(|sheet| {
            let columns = self.mapping.iter().enumerate().filter_map(|(i, f)| f.map(|f| (f.code().to_string(), i as u32 + 1))).collect();
            (sheet, columns)
        });
        Ok((json, RowMap(self.rows, notes, cells)))
    }
}

impl Converter {
    /// The conversion's own warnings: what it did that the file did not say.
    fn notes(&self) -> Report {
        let mut notes = Report::new();
        if self.number_rows {
            notes.push(
                Issue::warning(
                    Phrase::new("no column for the unit id", "tệp không có cột này"),
                    Phrase::new(
                        "nothing: each unit is numbered by its row in the file (the unit of row 12 is \"12\"); add a column such as \"Mã số HTX\" to keep the same ids from one year to the next",
                        "không cần làm gì: mỗi đơn vị được đánh số theo hàng của nó trong tệp (đơn vị ở hàng 12 có mã \"12\"); nên thêm một cột như \"Mã số HTX\" để mỗi đơn vị giữ cùng một mã qua các năm",
                    ),
                )
                .in_field(Field::Id.code()),
            );
        }
        if !self.totals.is_empty() {
            let n = self.totals.len();
            let rows = row_list(&self.totals);
            notes.push(Issue::warning(
                Phrase::new(format!("{n} totals or subtotals rows (rows {rows})"), format!("{n} hàng tổng cộng hoặc cộng nhóm (hàng {rows})")),
                Phrase::new(
                    "nothing: they were skipped, since Coop Atlas adds the units up itself",
                    "không cần làm gì: đã bỏ qua khi đọc, vì Atlas tự cộng từ từng đơn vị",
                ),
            ));
        }
        for (cell, name, rows) in &self.renamed {
            let (list, n) = (row_list(rows), rows.len());
            let b = self.meta.boundary.number();
            notes.push(
                Issue::warning(
                    Phrase::new(
                        format!("the old province name {} in {n} rows ({list})", quote(cell)),
                        format!("tên tỉnh cũ {} ở {n} hàng ({list})", quote(cell)),
                    ),
                    Phrase::new(
                        format!("nothing: read as {name}, the province of the {b}-province list that took it over"),
                        format!("không cần làm gì: đã tính vào {name}, tỉnh nay quản lý địa bàn này (theo danh sách {b} tỉnh)"),
                    ),
                )
                .in_field(Field::Province.code()),
            );
        }
        notes
    }
}

/// Rows for a message: up to ten, then "…".
fn row_list(rows: &[u32]) -> String {
    let mut s = rows.iter().take(10).map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
    if rows.len() > 10 {
        s.push_str(", …");
    }
    s
}

/// What a register writes in the first cell of a totals or subtotals row, folded.
const TOTALS: &[&str] = &["tong cong", "cong", "tong", "tong so", "tong chung", "cong chung", "total", "subtotal", "grand total", "sum"];

/// Whether a record is a totals or subtotals row: its first non-empty cell is a totals word
/// ("Tổng cộng", "Cộng", "Tổng số", with or without a colon, or followed by what is summed, as in
/// "Cộng huyện A" or "Tổng số HTX").
fn is_totals_row(cells: &csv::StringRecord) -> bool {
    let Some(first) = cells.iter().map(str::trim).find(|c| !c.is_empty()) else { return false };
    let n = norm(first);
    TOTALS.iter().any(|t| n == *t)
        || ["tong cong ", "tong so ", "cong huyen ", "cong xa ", "cong nhom ", "cong linh vuc ", "total "].iter().any(|p| n.starts_with(p))
}

/// Province names that are not of boundary `b` but name a province of it, folded: Hà Tây (part
/// of Hà Nội since 2008) and, for the 34-province list, the names of the 63 merged in 2025.
fn old_province_names(b: Boundary) -> HashMap<String, (&'static str, &'static str)> {
    let reg = registry();
    let mut out = HashMap::new();
    let now = |code63: &str| -> Option<(&'static str, &'static str)> {
        match b {
            Boundary::P63 => reg.by_code(Boundary::P63, code63).map(|p| (p.code, p.name)),
            Boundary::P34 => {
                let i = reg.index_of(Boundary::P63, code63)?;
                reg.get(Boundary::P34, reg.to_34(i)?).map(|p| (p.code, p.name))
            }
        }
    };
    if let Some(hn) = now("01") {
        out.insert("ha tay".to_string(), hn);
    }
    if b == Boundary::P34 {
        let current = province_names(Boundary::P34);
        for p in reg.provinces(Boundary::P63) {
            let n = norm(p.name);
            if !current.contains_key(&n) {
                if let Some(x) = now(p.code) {
                    out.insert(n, x);
                }
            }
        }
    }
    out
}

/// A label in lower case, letter by letter. (`char::to_lowercase`, which the province search links
/// anyway, rather than `str::to_lowercase`: 4 KB more of the phone's download for a word.)
fn lower(label: &str) -> String {
    label.chars().flat_map(char::to_lowercase).collect()
}

/// The spreadsheet row of each converted entity (entity n is at `0[n - 1]`), and the warnings of
/// the conversion itself (rows numbered, totals rows skipped, old province names mapped), which
/// join the parser's report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowMap(Vec<u32>, Report, Option<(String, Vec<(String, u32)>)>);

impl RowMap {
    /// Renumbers the rows of a report on the converted JSON to spreadsheet rows and adds the
    /// conversion's own warnings; for a workbook's sheet, names the cell of each issue that has
    /// a row and a field (`Sheet1!C12`).
    pub fn remap(&self, report: &mut Report) {
        remap_rows(report, &self.0);
        if let Some((sheet, columns)) = &self.2 {
            for issue in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
                let col = issue.field.as_ref().and_then(|f| columns.iter().find(|(c, _)| c == f)).map(|(_, n)| *n);
                if let (Some(row), Some(col)) = (issue.row, col) {
                    issue.cell = Some(cell_name(sheet, u32::try_from(row).unwrap_or(u32::MAX), col));
                }
            }
        }
        report.merge(self.1.clone());
    }
}

/// The year of a date in the year column: registers often give the date the figures were
/// closed (`31/12/2024`), and a workbook's date cell reaches here as `2024-12-31`
/// ([`super::workbook::Cell::to_text`]). Day-first (`31/12/2024`, `31.12.2024`, `31-12-2024`) or
/// ISO (`2024-12-31`); None for anything else.
fn year_of_date(cell: &str) -> Option<i32> {
    let parts: Vec<&str> = cell.trim().split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let num = |s: &str, lo: u32, hi: u32| s.parse::<u32>().ok().filter(|n| (lo..=hi).contains(n) && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()));
    let (y, m, d) = if a.len() == 4 { (a, b, c) } else if c.len() == 4 { (c, b, a) } else { return None };
    num(m, 1, 12)?;
    num(d, 1, 31)?;
    num(y, 1000, 9999).map(|y| y as i32)
}

fn translate(buf: &mut String, ty: Type, cell: &str, hint: DecimalHint, names: &HashMap<String, &'static str>, b: Boundary) {
    if cell.is_empty() || cell == "-" {
        buf.push_str("null");
        return;
    }
    match ty {
        Type::Text => push_json_str(buf, cell),
        Type::Province => match province_code(cell, names, b) {
            Some(code) => push_json_str(buf, &code),
            // Unknown: passed on, so the parser names the code and the list it expected.
            None => push_json_str(buf, &normalise_code(cell).unwrap_or_else(|| cell.to_string())),
        },
        Type::Whole | Type::Number => match parse_number_with(cell, hint) {
            Some(v) => push_json_number(buf, v),
            None => push_json_str(buf, cell),
        },
        Type::Bool => match translate_bool(cell) {
            Some(v) => buf.push_str(if v { "true" } else { "false" }),
            None => push_json_str(buf, cell),
        },
        Type::Kind | Type::Sector | Type::Ntm | Type::Stage => match translate_code(ty, cell) {
            Some(code) => push_json_str(buf, code),
            None => push_json_str(buf, cell),
        },
    }
}

/// The allowed values of a coded field as a register writes them, for a Vietnamese message: the
/// Vietnamese name first, then the code where the code is Vietnamese shorthand itself (`htx`, `nn`);
/// the new-rural levels and the service stages, whose codes are English words (`advanced`,
/// `input`), by name only. A CSV or workbook cell takes a name or a code alike (`translate_code`);
/// the JSON format's messages keep listing codes, which is what a JSON file must hold.
fn cell_choices_vi(field: Field) -> Option<String> {
    fn named<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T, Lang) -> &'static str, with_code: bool) -> String {
        let each = all.iter().map(|&v| if with_code { format!("{} ({})", label(v, Lang::Vi), code(v)) } else { label(v, Lang::Vi).to_string() });
        // `; ` between values, since a name may hold a comma ("Nông, lâm, ngư nghiệp").
        format!("một trong: {}", each.collect::<Vec<_>>().join("; "))
    }
    match field {
        Field::Kind => Some(named(Kind::ALL, Kind::code, Kind::label, true)),
        Field::Sector => Some(named(Sector::ALL, Sector::code, Sector::label, true)),
        Field::Ntm => Some(named(Ntm::ALL, Ntm::code, Ntm::label, false)),
        Field::Stage => Some(named(Stage::ALL, Stage::code, Stage::label, false)),
        _ => None,
    }
}

/// Entity rows (1-based n-th entity) → spreadsheet rows, in issues and in the "row N" the
/// duplicate-id message quotes.
fn remap_rows(report: &mut Report, rows: &[u32]) {
    let map = |r: usize| rows.get(r.wrapping_sub(1)).map_or(r, |&x| x as usize);
    for issue in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
        issue.map_rows(&map);
        // A blank cell became `null` in the converted JSON: say what the reader saw.
        if issue.found.get(Lang::En) == "null" || issue.found.get(Lang::En) == "nothing" {
            issue.found = Phrase::new("a blank cell", "ô trống");
        }
        issue.expected = super::error::remap_row_mentions(&issue.expected, &map);
        // A number the converted JSON wrote with a decimal point, as the register wrote it: `3,5`.
        if issue.found.en == issue.found.vi {
            if let Some(vi) = super::error::decimal_comma(&issue.found.en) {
                issue.found.vi = vi;
            }
        }
        // A coded field's values as the register writes them (names first), keeping what the
        // message adds after the list (" (cột bắt buộc)").
        if let Some(field) = issue.field.as_deref().and_then(Field::from_code) {
            if let Some(choices) = cell_choices_vi(field) {
                let listed = field.expected_in(Lang::Vi);
                if let Some(rest) = issue.expected.vi.strip_prefix(listed.as_str()) {
                    issue.expected.vi = format!("{choices}{rest}");
                }
            }
        }
        // A CSV accepts province names as well as codes (and its boundary version is chosen in
        // the mapping step): say so rather than the JSON format's list of codes.
        if issue.field.as_deref() == Some(Field::Province.code()) && issue.severity == super::error::Severity::Error {
            let blank = issue.found.get(Lang::En) == "a blank cell";
            issue.expected = Phrase::new(
                "the province's name (such as \"Thái Nguyên\") or its two-digit GSO code (such as \"19\")",
                "tên tỉnh (ví dụ \"Thái Nguyên\") hoặc mã tỉnh hai chữ số (ví dụ \"19\")",
            );
            if blank {
                issue.expected = issue.expected.clone().then(&Phrase::new(" (this field is required)", " (cột bắt buộc)"));
            }
        }
    }
}

/// Reads, maps (without asking) and converts a CSV in one call: for the command line and tests.
/// A column whose header resembles a field is read as that field, with a warning naming the
/// guess (the app would have asked); a column that resembles no field is an error naming it and
/// listing the headers that are recognised, since nobody is there to pick its field.
pub fn import(bytes: &[u8], meta_id: &str, title: &str, limits: &Limits) -> Result<Parsed, Report> {
    import_file(&read(bytes, limits)?, meta_id, title, None)
}

/// [`import`] of a file already read ([`read`], or [`from_grid`] for the workbook sheet `sheet`).
pub fn import_file(file: &CsvFile, meta_id: &str, title: &str, sheet: Option<&str>) -> Result<Parsed, Report> {
    let guesses = guess_mapping(&file.headers);
    let mut report = Report::new();
    let mut guessed = Report::new();
    for (h, g) in file.headers.iter().zip(&guesses) {
        if h.is_empty() || g.sure {
            continue;
        }
        match g.field {
            None => report.push(
                Issue::error(
                    Phrase::new(format!("a column {} that matches no field", quote(h)), "Atlas không nhận ra tiêu đề này".to_string()),
                    Phrase::new(
                        format!("one of the recognised headers: {}; rename the column or remove it", accepted_headers(Lang::En)),
                        format!("đổi tiêu đề thành một trong các tên Atlas biết: {}; hoặc xóa cột này nếu không cần", accepted_headers(Lang::Vi)),
                    ),
                )
                .in_field(h.clone()),
            ),
            Some(f) => guessed.push(
                Issue::warning(
                    Phrase::new(
                        format!("the column {} read as {} ({})", quote(h), quote(f.code()), f.label(Lang::En)),
                        format!("Atlas đoán cột này là {}", f.label(Lang::Vi)),
                    ),
                    Phrase::new(
                        format!("a header that names its field; rename it \"{}\" if the guess is right", f.label(Lang::En)),
                        format!("xem lại: nếu đoán đúng, nên đổi tiêu đề thành \"{}\" cho chắc; nếu sai, hãy đổi tiêu đề cho rõ", f.label(Lang::Vi)),
                    ),
                )
                .in_field(h.clone()),
            ),
        }
    }
    if report.has_errors() {
        return Err(report);
    }
    let mapping: Vec<Option<Field>> = guesses.iter().map(|g| g.field).collect();
    let boundary = province_column_boundary(file, &mapping);
    let meta = CsvMeta { id: meta_id.to_string(), title: title.to_string(), publisher: Text::new(title, title), boundary };
    let mut conv = Converter::new(file, &mapping, meta)?;
    if let Some(sheet) = sheet {
        conv = conv.in_sheet(sheet);
    }
    let mut parsed = conv.run()?;
    guessed.merge(std::mem::take(&mut parsed.warnings));
    parsed.warnings = guessed;
    Ok(parsed)
}

/// Whether a header row is a register's: at least two columns surely recognised (a notes or
/// instructions sheet has none).
pub fn is_register_header(headers: &[String]) -> bool {
    guess_mapping(headers).iter().filter(|g| g.sure && g.field.is_some()).count() >= 2
}

/// [`import`] for a workbook (`.xlsx`): the first sheet, in tab order, whose header is a
/// register's ([`is_register_header`]; else the first sheet that reads) goes through the same
/// reader and conversion as a CSV ([`from_grid`]), and the report names cells as Excel does
/// (`Sheet1!C12`). An `.xls`, a password, a damaged zip or a zip bomb is refused with the
/// workbook's own message ([`super::workbook::WorkbookError::issue`]).
pub fn import_workbook(bytes: &[u8], meta_id: &str, title: &str) -> Result<Parsed, Report> {
    let mut book = super::workbook::Workbook::open(bytes.to_vec()).map_err(|e| Report::single(e.issue()))?;
    let mut fallback: Option<(CsvFile, String)> = None;
    let mut first_error = None;
    for i in 0..book.sheets().len() {
        let read = book.read_sheet(i).map_err(|e| Report::single(e.issue())).and_then(|g| Ok((from_grid(&g)?, g.sheet)));
        match read {
            Ok((file, sheet)) if is_register_header(&file.headers) => return import_file(&file, meta_id, title, Some(&sheet)),
            Ok(other) => {
                fallback.get_or_insert(other);
            }
            Err(r) => {
                first_error.get_or_insert(r);
            }
        }
    }
    match (fallback, first_error) {
        (Some((file, sheet)), _) => import_file(&file, meta_id, title, Some(&sheet)),
        (None, Some(r)) => Err(r),
        (None, None) => Err(Report::single(super::workbook::WorkbookError::NoSheets.issue())),
    }
}

/// The headers a column is recognised by, one per field, for the message about a column nobody
/// can map: in English its label and its code (`"Workers" / "workers"`); in Vietnamese its label
/// only (`"Số lao động"`), the header a Vietnamese register writes.
fn accepted_headers(lang: Lang) -> String {
    let one = |f: &Field| match lang {
        Lang::Vi => format!("\"{}\"", f.label(lang)),
        Lang::En => format!("\"{}\" / \"{}\"", f.label(lang), f.code()),
    };
    Field::ALL.iter().map(one).collect::<Vec<_>>().join(", ")
}

/// Guesses the boundary from the province column of the first 2,000 rows.
pub fn province_column_boundary(file: &CsvFile, mapping: &[Option<Field>]) -> Boundary {
    let Some(col) = mapping.iter().position(|m| m == &Some(Field::Province)) else {
        return Boundary::P63;
    };
    let mut reader = Reader::new(&file.text, file.body_start, file.delimiter as u8, file.header_row);
    let mut cells = csv::StringRecord::new();
    let mut sample = Vec::new();
    for _ in 0..2000 {
        match reader.next_record(&mut cells) {
            Ok(true) => sample.extend(cells.get(col).map(|c| c.trim().to_string())),
            _ => break,
        }
    }
    guess_boundary(sample.iter().map(|s| s.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::vocab::Kind as K;

    fn meta() -> CsvMeta {
        CsvMeta { id: "t".into(), title: "T".into(), publisher: Text::new("P", "P"), boundary: Boundary::P63 }
    }

    fn convert(text: &str) -> Result<Parsed, Report> {
        let file = read(text.as_bytes(), &Limits::default())?;
        let mapping: Vec<Option<Field>> = guess_mapping(&file.headers).iter().map(|g| g.field).collect();
        Converter::new(&file, &mapping, meta())?.run()
    }

    #[test]
    fn vietnamese_headers_with_and_without_diacritics() {
        let h: Vec<String> = ["Mã HTX", "Tỉnh", "Năm", "Loại hình", "Số lao động (người)", "thu nhap binh quan", "Doanh thu (triệu đồng)", "Ứng dụng công nghệ cao", "workers x"]
            .iter().map(|s| s.to_string()).collect();
        let g = guess_mapping(&h);
        let fields: Vec<Option<Field>> = g.iter().map(|g| g.field).collect();
        assert_eq!(&fields[..8], &[Some(Field::Id), Some(Field::Province), Some(Field::Year), Some(Field::Kind), Some(Field::Workers), Some(Field::Income), Some(Field::Revenue), Some(Field::HighTech)]);
        assert!(g[..8].iter().all(|g| g.sure), "{g:?}");
        // "workers x" resembles workers, which is taken: not mapped, and the user is asked.
        assert_eq!(g[8], Guess { field: None, sure: false });
        assert!(needs_mapping(&g));
        assert!(!needs_mapping(&g[..8]));
    }

    #[test]
    fn unsure_guess_is_shown_but_asked() {
        let h = vec!["id".to_string(), "Tổng số lao động của HTX cuối năm".to_string()];
        let g = guess_mapping(&h);
        assert_eq!(g[1], Guess { field: Some(Field::Workers), sure: false });
        let h = vec!["ghi chú".to_string()];
        assert_eq!(guess_mapping(&h)[0], Guess { field: None, sure: false });
    }

    #[test]
    fn semicolon_bom_decimal_comma_and_names() {
        let text = "\u{feff}Mã;Tỉnh;Năm;Loại hình;Thu nhập;Doanh thu;Chuỗi giá trị\r\n\
                    A1;Thái Nguyên;2024;Hợp tác xã;\"5.500.000\";1234,5;có\r\n\
                    A2;19;2024;THT;4.800.000;12,75;không\r\n\
                    A3;tinh bac kan;2024;htx;;;\r\n\
                    ;;;;;;\r\n";
        let p = convert(text).unwrap();
        let e = &p.dataset.entities;
        assert_eq!(e.len(), 3);
        // Rows are stored clustered by (year, kind, province): find each by its file row.
        let at = |f: usize| (0..e.len()).find(|&i| e.file_row(i) == f).unwrap();
        assert_eq!(e.id(at(0)), "A1");
        assert_eq!(e.kind(at(1)), Some(K::Tht));
        assert_eq!(crate::engine::dataset::NumField::Income.get(e, at(0)), Some(5_500_000.0));
        assert_eq!(crate::engine::dataset::NumField::Revenue.get(e, at(0)), Some(1234.5));
        assert_eq!(crate::engine::dataset::NumField::Revenue.get(e, at(1)), Some(12.75));
        assert_eq!(crate::engine::dataset::NumField::Income.get(e, at(2)), None);
        let reg = registry();
        assert_eq!(reg.get(Boundary::P63, e.province(at(0)).unwrap()).unwrap().code, "19");
        assert_eq!(reg.get(Boundary::P63, e.province(at(2)).unwrap()).unwrap().code, "06");
    }

    #[test]
    fn comma_separated_decimal_point_quoted_fields() {
        let text = "id,province,year,kind,revenue,sector\n\
                    \"X, \"\"one\"\"\",1,2023,htx,\"1,250.5\",Nông nghiệp\n\
                    Y,01,2023,qtdnd,3.25,td\n";
        let p = convert(text).unwrap();
        let e = &p.dataset.entities;
        assert_eq!(e.id(0), "X, \"one\"");
        assert_eq!(crate::engine::dataset::NumField::Revenue.get(e, 0), Some(1250.5));
        assert_eq!(crate::engine::dataset::NumField::Revenue.get(e, 1), Some(3.25));
    }

    #[test]
    fn errors_name_spreadsheet_rows_and_fields() {
        let text = "id;province;year;kind;workers\nA;19;2024;htx;10\n\nB;99;2024;htx;nhiều\nA;19;2024;htx;-3\n";
        let r = convert(text).unwrap_err();
        let msgs: Vec<String> = r.errors.iter().map(|i| i.to_string()).collect();
        let joined = msgs.join("\n");
        // Row 4 is the 4th line (header = 1, a blank line 3 in between).
        assert!(joined.contains("row 4, field \"province\": found \"99\""), "{joined}");
        assert!(joined.contains("row 4, field \"workers\": found \"nhiều\""), "{joined}");
        assert!(joined.contains("row 5, field \"workers\": found -3"), "{joined}");
        assert!(joined.contains("row 5, field \"id\"") && joined.contains("row 2"), "{joined}");
    }

    #[test]
    fn missing_required_column_and_double_mapping() {
        let file = read(b"id;year;kind\nA;2024;htx\n", &Limits::default()).unwrap();
        let r = Converter::new(&file, &[Some(Field::Id), Some(Field::Year), Some(Field::Kind)], meta()).err().unwrap();
        assert!(r.to_string().contains("no column for \"province\""), "{r}");
        let r = Converter::new(&file, &[Some(Field::Id), Some(Field::Id), Some(Field::Kind)], meta()).err().unwrap();
        assert!(r.to_string().contains("columns A and B both mapped to \"id\""), "{r}");
        assert!(r.text(Lang::Vi).contains("cả cột A và cột B đều được chọn là Mã đơn vị"), "{}", r.text(Lang::Vi));
    }

    #[test]
    fn not_a_csv() {
        let l = Limits::default();
        assert!(read(b"", &l).unwrap_err().to_string().contains("an empty file"));
        assert!(read(b"\xff\xfei\0d\0", &l).unwrap_err().to_string().contains("UTF-16"));
        assert!(read(b"\x89PNG\r\n\x1a\n\0\0\0", &l).unwrap_err().to_string().contains("NUL"));
        assert!(read(b"id;x\n\xc3\x28;1\n", &l).unwrap_err().to_string().contains("not UTF-8"));
        assert!(read(b"just one column\n1\n", &l).unwrap_err().to_string().contains("one column"));
        let small = Limits { max_bytes: 10 };
        assert!(read(b"id;province;year\n", &small).unwrap_err().to_string().contains("at most 10 bytes"));
        assert!(read(b"id;x\n\"never closed;1\n", &l).is_err());
        let wide = "a;".repeat(300);
        assert!(read(wide.as_bytes(), &l).unwrap_err().to_string().contains("columns"));
        let r = convert("id;province;year;kind\n").unwrap_err();
        assert!(r.to_string().contains("no data rows"), "{r}");
        let r = convert("id;province;year;kind\nA;19;2024;htx;5;6\n").unwrap_err();
        assert!(r.to_string().contains("row 2: found 6 values, expected 4 values"), "{r}");
    }

    #[test]
    fn line_breaks_in_quotes_crlf_and_blank_lines_keep_spreadsheet_rows() {
        // A value with a line break is one Excel row; a blank line is a row; CRLF and LF mixed.
        let text = "id;province;year;kind;workers\r\n\"A\r\nline two\";19;2024;htx;1\r\n\r\nB;19;2024;htx;x\nC;19;2024;htx;-1\n";
        let r = convert(text).unwrap_err().to_string();
        assert!(r.contains("row 4, field \"workers\": found \"x\""), "{r}");
        assert!(r.contains("row 5, field \"workers\": found -1"), "{r}");
        let p = convert("id;province;year;kind\r\n\"A\nB\";19;2024;htx\r\n\"x;\"\"y\"\"\";19;2024;htx").unwrap();
        let e = &p.dataset.entities;
        let ids: Vec<&str> = (0..e.len()).map(|i| e.id(i)).collect();
        assert!(ids.contains(&"A\nB") && ids.contains(&"x;\"y\""), "{ids:?}");
        // A quote left open at the end of the file names the row where it opened.
        let r = convert("id;province;year;kind\nA;19;2024;htx\n\"B;19;2024;htx\n").unwrap_err().to_string();
        assert!(r.contains("row 3") && r.contains("never closed"), "{r}");
        // The BOM is not part of the first header.
        let f = read("\u{feff}\"id\";province\n1;2\n".as_bytes(), &Limits::default()).unwrap();
        assert_eq!(f.headers[0], "id");
    }

    #[test]
    fn provincial_register_title_rows_stt_names_totals_old_names() {
        let bytes = include_bytes!("../../tests/fixtures/register-vi.csv");
        let file = read(bytes, &Limits::default()).unwrap();
        assert_eq!(file.delimiter, ';');
        assert_eq!(file.header_row, 5, "the header sits below three title rows and a blank row");
        assert_eq!(file.headers[1], "Tên HTX");
        let g = guess_mapping(&file.headers);
        // STT and the name are recognised and not kept; nothing to ask (no id: rows are numbered).
        assert_eq!(g[0], Guess { field: None, sure: true });
        assert_eq!(g[1], Guess { field: None, sure: true });
        assert_eq!(g[2].field, Some(Field::Province));
        assert!(!needs_mapping(&g), "{g:?}");
        let p = import(bytes, "register-vi", "register-vi.csv", &Limits::default()).unwrap();
        let e = &p.dataset.entities;
        assert_eq!(e.len(), 5, "the two totals rows are skipped");
        let at = |f: usize| (0..e.len()).find(|&i| e.file_row(i) == f).unwrap();
        // Ids are the spreadsheet rows 6–10.
        assert_eq!(e.id(at(0)), "6");
        assert_eq!(e.id(at(4)), "10");
        let reg = registry();
        let code = |i: usize| reg.get(Boundary::P63, e.province(i).unwrap()).unwrap().code;
        assert_eq!(code(at(2)), "01", "Hà Tây is read as Hà Nội");
        assert_eq!(code(at(4)), "01", "Ha Tay too");
        assert_eq!(code(at(3)), "06", "tỉnh Bắc Kạn");
        let revenue: f64 = (0..5).filter_map(|i| crate::engine::dataset::NumField::Revenue.get(e, i)).sum();
        assert!((revenue - 7812.0).abs() < 1e-9, "decimal commas: {revenue}");
        let w = p.warnings.text(Lang::Vi);
        assert!(w.contains("cột Mã đơn vị: tệp không có cột này; không cần làm gì"), "{w}");
        assert!(w.contains("2 hàng tổng cộng hoặc cộng nhóm (hàng 11, 12)"), "{w}");
        assert!(w.contains("tên tỉnh cũ \"Hà Tây\" ở 1 hàng (8)"), "{w}");
        assert!(w.contains("đã tính vào Hà Nội"), "{w}");
        assert!(w.contains("tên tỉnh cũ \"Ha Tay\" ở 1 hàng (10)"), "{w}");
    }

    #[test]
    fn a_date_in_the_year_column_is_its_year() {
        for (cell, year) in [("2024-12-31", Some(2024)), ("31/12/2024", Some(2024)), ("1.1.2019", Some(2019)), ("31-12-2024", Some(2024))] {
            assert_eq!(year_of_date(cell), year, "{cell}");
        }
        for cell in ["2024", "12/2024", "32/12/2024", "2024-13-01", "31/12/24", "a/b/2024"] {
            assert_eq!(year_of_date(cell), None, "{cell}");
        }
        let csv = "id;province;year;kind\nA;19;31/12/2024;htx\n";
        let p = import(csv.as_bytes(), "t", "t", &Limits::default()).unwrap();
        assert_eq!(p.dataset.entities.year(0), Some(2024));
    }

    #[test]
    fn register_id_headers_usual_province_forms_and_2025_names() {
        let h: Vec<String> = ["Mã số thuế", "Mã số HTX", "Tên hợp tác xã", "STT"].iter().map(|s| s.to_string()).collect();
        let g = guess_mapping(&h);
        assert_eq!(g[0], Guess { field: Some(Field::Id), sure: true });
        // Two id columns: the second is asked about, not silently taken.
        assert_eq!(g[1].field, None);
        assert_eq!(g[2], Guess { field: None, sure: true });
        // An id column present: ids are kept, no numbering warning.
        let p = convert("Mã số thuế;Tỉnh;Năm;Loại hình\n4600123456;TP. HCM;2024;HTX\n4600123457;Thừa Thiên Huế;2024;HTX\n").unwrap();
        let e = &p.dataset.entities;
        let mut ids: Vec<&str> = (0..e.len()).map(|i| e.id(i)).collect();
        ids.sort();
        assert_eq!(ids, ["4600123456", "4600123457"]);
        assert!(!p.warnings.text(Lang::En).contains("no column for the unit id"));
        // A 34-province file naming a province merged in 2025: read as the one that took it.
        let file = read("id;province;year;kind\nA;Bắc Kạn;2025;htx\nB;Thái Nguyên;2025;htx\n".as_bytes(), &Limits::default()).unwrap();
        let mapping: Vec<Option<Field>> = guess_mapping(&file.headers).iter().map(|g| g.field).collect();
        let meta34 = CsvMeta { boundary: Boundary::P34, ..meta() };
        let p = Converter::new(&file, &mapping, meta34).unwrap().run().unwrap();
        let e = &p.dataset.entities;
        assert!((0..2).all(|i| registry().get(Boundary::P34, e.province(i).unwrap()).unwrap().code == "19"));
        let w = p.warnings.text(Lang::En);
        assert!(w.contains("old province name \"Bắc Kạn\" in 1 rows (2)") && w.contains("read as Thái Nguyên"), "{w}");
        // Subtotals are recognised by their first cell, a unit named "Công ty …" is not.
        let p = convert("id;province;year;kind\nCông ty A;19;2024;htx\nCộng huyện Phú Lương;;;\nTổng số;;;\n").unwrap();
        assert_eq!(p.dataset.entities.len(), 1);
        assert!(p.warnings.text(Lang::En).contains("2 totals or subtotals rows (rows 3, 4)"));
    }

    #[test]
    fn decimal_detection() {
        assert_eq!(detect_decimal(["3,5", "1000"]), DecimalHint::Comma);
        assert_eq!(detect_decimal(["3.25", "1000"]), DecimalHint::Point);
        assert_eq!(detect_decimal(["3.000", "5.000.000"]), DecimalHint::Auto);
        assert_eq!(detect_decimal(["1.234,5"]), DecimalHint::Comma);
        assert_eq!(detect_decimal(["0,500"]), DecimalHint::Comma);
    }

    #[test]
    fn boundary_guess_and_id_from_name() {
        assert_eq!(guess_boundary(["02", "Hà Giang", "06"]), Boundary::P63);
        assert_eq!(id_from_file_name("Danh sách HTX Thái Nguyên 2024.csv"), "danh-sach-htx-thai-nguyen-2024");
        assert_eq!(id_from_file_name("???.csv"), "tep-csv");
        assert!(id_from_file_name(&"a".repeat(100)).len() <= 64);
    }

    #[test]
    fn hostile_text_stays_text() {
        let p = convert("id;province;year;kind\n<script>alert(1)</script>;19;2024;htx\n").unwrap();
        assert_eq!(p.dataset.entities.id(0), "<script>alert(1)</script>");
    }

    #[test]
    fn import_refuses_unmapped_columns() {
        let r = import("id;province;year;kind;ghi chú\nA;19;2024;htx;x\n".as_bytes(), "t", "T", &Limits::default()).unwrap_err();
        assert!(r.to_string().contains("\"ghi chú\""), "{r}");
        let ok = import("id;province;year;kind\nA;19;2024;htx\n".as_bytes(), "t", "T", &Limits::default()).unwrap();
        assert_eq!(ok.dataset.meta.id, "t");
    }

    #[test]
    fn fixture_with_vietnamese_headers_loads_without_asking() {
        let bytes = include_bytes!("../../tests/fixtures/own-good-vi.csv");
        let file = read(bytes, &Limits::default()).unwrap();
        assert_eq!(file.delimiter, ';');
        let g = guess_mapping(&file.headers);
        assert!(!needs_mapping(&g), "{g:?}");
        let p = import(bytes, "own-good-vi", "own-good-vi.csv", &Limits::default()).unwrap();
        let e = &p.dataset.entities;
        assert_eq!(e.len(), 40);
        assert_eq!((0..40).filter(|&i| e.kind(i) == Some(K::Htx)).count(), 20);
        // The file's second data row, wherever clustering stored it.
        let second = (0..e.len()).find(|&i| e.file_row(i) == 1).unwrap();
        assert_eq!(crate::engine::dataset::NumField::Income.get(e, second), Some(4_050_000.0));
        assert_eq!(crate::engine::dataset::NumField::Revenue.get(e, second), Some(101.5));
        assert!(p.warnings.errors.is_empty());
    }

    #[test]
    fn fixture_with_unknown_column_asks() {
        let bytes = include_bytes!("../../tests/fixtures/own-needs-mapping.csv");
        let file = read(bytes, &Limits::default()).unwrap();
        let g = guess_mapping(&file.headers);
        assert!(needs_mapping(&g));
        assert_eq!(g[5], Guess { field: None, sure: false });
        let mapping: Vec<Option<Field>> = g.iter().map(|g| g.field).collect();
        let p = Converter::new(&file, &mapping, meta()).unwrap().run().unwrap();
        assert_eq!(p.dataset.entities.len(), 10);
        let bad = read(include_bytes!("../../tests/bad-files/bad-values.csv"), &Limits::default()).unwrap();
        let m: Vec<Option<Field>> = guess_mapping(&bad.headers).iter().map(|g| g.field).collect();
        let r = Converter::new(&bad, &m, meta()).unwrap().run().unwrap_err().to_string();
        // Sông Bé (split in 1997) has no single successor: still refused, unlike Hà Tây.
        assert!(r.contains("row 3, field \"province\": found \"Sông Bé\""), "{r}");
        assert!(r.contains("row 3, field \"workers\": found -3"), "{r}");
    }

    #[test]
    fn slices_give_the_same_result_and_report_progress() {
        let mut text = String::from("id;province;year;kind;workers\n");
        for i in 0..1000 {
            text.push_str(&format!("U{i};19;2024;htx;{}\n", i % 7));
        }
        let file = read(text.as_bytes(), &Limits::default()).unwrap();
        let mapping: Vec<Option<Field>> = guess_mapping(&file.headers).iter().map(|g| g.field).collect();
        let mut c = Converter::new(&file, &mapping, meta()).unwrap();
        let mut last = 0;
        let mut steps = 0;
        loop {
            let p = c.step(100);
            assert!(p.done >= last && p.done <= p.total);
            last = p.done;
            steps += 1;
            if p.finished {
                break;
            }
        }
        assert!(steps >= 10, "{steps}");
        let (sliced, sliced_json) = c.finish_with_json().unwrap();
        let mut whole = Converter::new(&file, &mapping, meta()).unwrap();
        while !whole.step(usize::MAX).finished {}
        let (whole, whole_json) = whole.finish_with_json().unwrap();
        assert!(sliced_json == whole_json, "slicing changed the converted text");
        assert_eq!(sliced.dataset.entities.len(), 1000);
        assert_eq!(whole.dataset.entities.len(), 1000);
        assert_eq!(sliced.dataset.entities.id(999), "U999");
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        let samples: &[&[u8]] = &[b"\"", b"a;b\n\"", b"a;b\r", b";\n;\n", b"a,b\n\"x\"y,z\n", b"a;b\n\"\"\"\"", b"\r\r\r", b"a\tb\n1\t2"];
        for s in samples {
            if let Ok(f) = read(s, &Limits::default()) {
                let mapping = vec![None; f.headers.len()];
                let _ = Converter::new(&f, &mapping, meta());
            }
        }
    }
}
