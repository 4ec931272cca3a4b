//! Excel workbooks (`.xlsx`) → a grid of cells per sheet, for the same import path as a CSV.
//!
//! Why a reader of our own rather than `calamine`: the own-data worker downloads whatever it
//! links, and calamine pulls in quick-xml's `encoding` feature, whose legacy text-encoding tables
//! alone weigh about 102 KB brotli (issue 14 measured calamine at about 234 KB brotli as a
//! worker). An `.xlsx` is a zip of UTF-8 XML parts, so what it needs is small: a zip
//! central-directory reader (here), inflate (`miniz_oxide`) and an XML tokenizer (`quick-xml`
//! without `encoding`). The figures and the reasons are in docs/architecture.md.
//!
//! What it reads: the workbook's sheets (names, in the order Excel shows the tabs, hidden ones
//! marked), and one sheet at a time into a [`Grid`]: shared strings (rich-text runs joined,
//! phonetic runs left out), inline strings, formula results (`t="str"`, numbers, booleans, errors
//! such as `#N/A` as text), numbers, empty cells and gaps in the `r=` references, dates (a number
//! whose style's number format is a date format becomes a [`Cell::Date`]; the 1904 date system is
//! honoured) and merged cells (the value of the top-left cell spread over the merge, so that a
//! header of two rows whose upper cells are merged reads as one header row).
//!
//! What it does not: formulas are not evaluated (Excel stores each result beside its formula),
//! styles beyond "is this a date", `.xls` (Excel 97-2003, an OLE compound file) and `.ods`.
//! Those, a password-protected workbook (also an OLE file, holding an `EncryptedPackage`), a
//! damaged zip and a zip that unpacks to an absurd size each get their own [`WorkbookError`],
//! whose [`WorkbookError::issue`] says in the reader's words what to do.
//!
//! Never panics: every offset and length read from the file is checked, inflating stops at the
//! size the zip declares (and at [`MAX_UNPACKED`] for the whole workbook), and the grid is
//! bounded ([`MAX_COLUMN`], [`MAX_ROW`]).

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::error::{Issue, Phrase};

/// Most bytes the parts read from one workbook may unpack to, in all: a register of a million
/// cells is about 60 MB of sheet XML; a zip bomb declares (or, lying, unpacks to) far more.
pub const MAX_UNPACKED: usize = 256 * 1024 * 1024;
/// Columns read (A = 1). The import refuses more than 200 anyway; a value beyond is an error
/// naming its cell rather than a silently dropped column.
pub const MAX_COLUMN: u32 = 256;
/// Excel's last row.
pub const MAX_ROW: u32 = 1_048_576;
/// Largest merged range whose value is spread over its cells (a merged header is a few cells; a
/// merge over a whole sheet is decoration and is left alone).
const MAX_MERGE_CELLS: u64 = 4096;

/// The magic bytes of a zip file (an `.xlsx`, `.ods`, `.docx`, …).
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";
/// The magic bytes of an OLE compound file (`.xls`, `.doc`, and any password-protected Office file).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the start of a file says it is a workbook this module should look at (a zip or an OLE
/// compound file), whatever its name: the page sends such a file to the workbook worker.
pub fn looks_like_workbook(start: &[u8]) -> bool {
    start.starts_with(&ZIP_MAGIC) || start.starts_with(&OLE_MAGIC)
}

/// Why a workbook cannot be read.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkbookError {
    /// An Excel 97-2003 `.xls` (or another OLE compound file without encryption).
    OldExcel,
    /// A password-protected workbook (an OLE file holding an `EncryptedPackage`).
    Encrypted,
    /// An OpenDocument spreadsheet (`.ods`).
    OpenDocument,
    /// A zip without an Excel workbook in it (a `.docx`, a zip of files, …).
    NotWorkbook,
    /// The zip or one of its parts is damaged; says which part and how.
    Damaged(String),
    /// The workbook unpacks to more than [`MAX_UNPACKED`] bytes (declared or met while unpacking).
    TooLarge(u64),
    /// The workbook has no worksheet.
    NoSheets,
    /// The sheet has no value in any cell.
    EmptySheet(String),
    /// A value in a column beyond [`MAX_COLUMN`]: its cell (`Sheet1!IW3`).
    TooWide(String),
}

impl WorkbookError {
    /// The error as an issue of a report: what was found and what to do, in both languages.
    pub fn issue(&self) -> Issue {
        let (found, expected) = match self {
            WorkbookError::OldExcel => (
                Phrase::new("an Excel 97-2003 workbook (.xls)", "sổ tính Excel đời cũ (.xls, Excel 97-2003), Atlas chưa đọc được"),
                Phrase::new(
                    "an .xlsx workbook: open it in Excel and use File → Save As → \"Excel Workbook (.xlsx)\", then open the new file here",
                    "lưu lại dạng .xlsx: mở tệp trong Excel, chọn Tệp → Lưu thành → \"Excel Workbook (.xlsx)\" (Excel tiếng Việt: \"Sổ làm việc Excel\"), rồi mở tệp mới ở đây",
                ),
            ),
            WorkbookError::Encrypted => (
                Phrase::new("a workbook protected by a password", "sổ tính có đặt mật khẩu"),
                Phrase::new(
                    "a workbook without a password: open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, leave it empty), save, then open it here",
                    "gỡ mật khẩu trước: mở tệp trong Excel, chọn Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu cho trống, lưu lại rồi mở tệp ở đây",
                ),
            ),
            WorkbookError::OpenDocument => (
                Phrase::new("an OpenDocument spreadsheet (.ods)", "bảng tính LibreOffice (.ods), Atlas chưa đọc được"),
                Phrase::new(
                    "an .xlsx workbook or a CSV: in LibreOffice use File → Save As → \"Excel 2007-365 (.xlsx)\"",
                    "lưu lại dạng .xlsx hoặc CSV: trong LibreOffice chọn Tệp → Lưu thành → \"Excel 2007-365 (.xlsx)\"",
                ),
            ),
            WorkbookError::NotWorkbook => (
                Phrase::new("a zip file that holds no Excel workbook", "tệp nén (.zip) không chứa sổ tính Excel"),
                Phrase::new("an .xlsx workbook, a CSV or a dataset in the JSON format", "mở một sổ tính .xlsx, một tệp CSV hoặc một tệp dữ liệu JSON"),
            ),
            WorkbookError::Damaged(what) => (
                // The detail (which part, which offset) is for whoever debugs the reader, in English;
                // a Vietnamese reader is told what it means for the file.
                Phrase::new(format!("a damaged workbook ({what})"), "sổ tính bị hỏng (tệp bị cắt ngắn hoặc có phần không đọc được)"),
                Phrase::new(
                    "a complete workbook: copy or download the file again; if Excel opens it, save it again as .xlsx",
                    "chép hoặc tải lại tệp; nếu Excel vẫn mở được tệp, hãy lưu lại dạng .xlsx rồi mở ở đây",
                ),
            ),
            WorkbookError::TooLarge(n) => (
                Phrase::new(
                    format!("a workbook that unpacks to {} MB or more", n / (1024 * 1024)),
                    format!("sổ tính quá lớn: giải nén ra từ {} MB trở lên", n / (1024 * 1024)),
                ),
                Phrase::new(
                    format!("a workbook that unpacks to at most {} MB: keep only the sheet with the units, or save that sheet as CSV", MAX_UNPACKED / (1024 * 1024)),
                    format!("bớt cho còn tối đa {} MB: chỉ giữ trang có danh sách đơn vị, hoặc lưu trang đó dạng CSV rồi mở tệp CSV", MAX_UNPACKED / (1024 * 1024)),
                ),
            ),
            WorkbookError::NoSheets => (
                Phrase::new("a workbook without a worksheet", "sổ tính không có trang tính nào"),
                Phrase::new("a worksheet with a header row and one row per unit", "một trang tính có hàng tiêu đề, rồi mỗi đơn vị một hàng"),
            ),
            WorkbookError::EmptySheet(name) => (
                Phrase::new(format!("an empty sheet ({})", sheet_ref(name)), format!("trang tính trống ({})", sheet_ref(name))),
                Phrase::new(
                    "a sheet with a header row and one row per unit: pick the sheet that holds the list",
                    "chọn trang tính chứa danh sách đơn vị (hàng tiêu đề, rồi mỗi đơn vị một hàng)",
                ),
            ),
            WorkbookError::TooWide(cell) => (
                Phrase::new(format!("a value in cell {cell}, beyond column {}", column_name(MAX_COLUMN)), format!("có giá trị ở ô {cell}, xa quá cột {}", column_name(MAX_COLUMN))),
                Phrase::new(
                    "at most 200 columns: delete the columns that are not part of the list",
                    "xóa các cột không thuộc danh sách: Atlas đọc tối đa 200 cột",
                ),
            ),
        };
        Issue::error(found, expected)
    }
}

type Res<T> = Result<T, WorkbookError>;

fn damaged(what: impl Into<String>) -> WorkbookError {
    WorkbookError::Damaged(what.into())
}

// ---- cells -----------------------------------------------------------------------------------

/// One cell's value, as the sheet stores it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// No value.
    Empty,
    /// Text: a shared or inline string, a formula's text result, or an error value (`#N/A`).
    Text(String),
    /// A number (not formatted as a date).
    Number(f64),
    /// `TRUE` or `FALSE`.
    Bool(bool),
    /// A number whose format is a date: year, month, day (the time of day is dropped).
    Date(i32, u8, u8),
}

impl Cell {
    /// Whether the cell holds nothing (or only spaces).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text the CSV import reads back exactly, whatever decimal separator it guesses
    /// for the file: whole numbers as digits; other numbers with a decimal point, unless their
    /// decimals are exactly three (`300.125` could be read as three hundred thousand), which are
    /// written in scientific notation (`3.00125e2`), read the same under every guess; dates as
    /// `yyyy-mm-dd` (a date in the year column is its year); booleans as `TRUE`/`FALSE`.
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(t) => Cow::Borrowed(t),
            Cell::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
            Cell::Date(y, m, d) => Cow::Owned(format!("{y:04}-{m:02}-{d:02}")),
            Cell::Number(v) => Cow::Owned(number_text(*v)),
        }
    }

    /// The cell as a person would read it (the mapping step's samples): numbers in their
    /// shortest form with a decimal point.
    pub fn to_display(&self) -> Cow<'_, str> {
        match self {
            Cell::Number(v) if v.is_finite() => Cow::Owned(format!("{v}")),
            _ => self.to_text(),
        }
    }
}

fn number_text(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v}");
    match s.split_once('.') {
        Some((_, frac)) if frac.len() == 3 => format!("{v:e}"),
        _ => s,
    }
}

/// One sheet read into rows of cells: `rows[0]` is spreadsheet row 1, and each row is as long as
/// its last cell with a value (shorter rows are blank at the end).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    /// The sheet's name, as on its tab.
    pub sheet: String,
    /// The rows, from row 1.
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// The cell at 1-based `row` and `col`, [`Cell::Empty`] outside the grid.
    pub fn get(&self, row: u32, col: u32) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        (row as usize)
            .checked_sub(1)
            .and_then(|r| self.rows.get(r))
            .and_then(|r| r.get((col as usize).wrapping_sub(1)))
            .unwrap_or(&EMPTY)
    }

    /// Whether no cell holds a value.
    pub fn is_blank(&self) -> bool {
        self.rows.iter().all(|r| r.iter().all(Cell::is_blank))
    }

    fn set(&mut self, row: u32, col: u32, cell: Cell) {
        let (r, c) = (row as usize - 1, col as usize - 1);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let line = &mut self.rows[r];
        if line.len() <= c {
            line.resize(c + 1, Cell::Empty);
        }
        line[c] = cell;
    }
}

/// Excel's name of a 1-based column: 1 → `A`, 27 → `AA`.
pub fn column_name(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        out.push(b'A' + r as u8);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A sheet's name as Excel writes it in a reference: quoted when it holds anything but letters,
/// digits and `_` (`'Danh sách 2024'!C12`).
pub fn sheet_ref(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Excel's name of a cell: `Sheet1!C12`.
pub fn cell_name(sheet: &str, row: u32, col: u32) -> String {
    format!("{}!{}{row}", sheet_ref(sheet), column_name(col))
}

/// `C12` → (column 3, row 12); `C` alone gives row 0. None when it is not a reference.
fn parse_ref(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0u32;
    for &b in &r[..letters] {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let digits = &r[letters..];
    let row = if digits.is_empty() {
        0
    } else {
        if digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().fold(0u32, |n, &b| n * 10 + u32::from(b - b'0'))
    };
    Some((col, row))
}

// ---- zip -------------------------------------------------------------------------------------

/// One file of the zip, from the central directory.
#[derive(Clone, Debug)]
struct Entry {
    method: u16,
    encrypted: bool,
    crc: u32,
    packed: u64,
    size: u64,
    /// Offset of its local header.
    offset: u64,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at.checked_add(2)?).map(|s| u16::from_le_bytes([s[0], s[1]]))
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.checked_add(4)?).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

/// The zip's files by name, from its central directory (the end-of-directory record, zip64 when
/// the counts overflow, then one record per file).
fn read_directory(b: &[u8]) -> Res<HashMap<String, Entry>> {
    const EOCD: u32 = 0x0605_4b50;
    let lowest = b.len().saturating_sub(22 + 65_535);
    let eocd = (lowest..=b.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(b, i) == Some(EOCD))
        .ok_or_else(|| damaged("the end of the zip is missing: the file is cut short"))?;
    let bad = || damaged("the zip's table of contents is broken");
    let mut count = u64::from(u16_at(b, eocd + 10).ok_or_else(bad)?);
    let mut cd_size = u64::from(u32_at(b, eocd + 12).ok_or_else(bad)?);
    let mut cd_offset = u64::from(u32_at(b, eocd + 16).ok_or_else(bad)?);
    if count == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
        // Zip64: a locator just before the record points at the zip64 end record.
        let loc = eocd.checked_sub(20).filter(|&l| u32_at(b, l) == Some(0x0706_4b50)).ok_or_else(bad)?;
        let rec = usize::try_from(u64_at(b, loc + 8).ok_or_else(bad)?).map_err(|_| bad())?;
        if u32_at(b, rec) != Some(0x0606_4b50) {
            return Err(bad());
        }
        count = u64_at(b, rec + 32).ok_or_else(bad)?;
        cd_size = u64_at(b, rec + 40).ok_or_else(bad)?;
        cd_offset = u64_at(b, rec + 48).ok_or_else(bad)?;
    }
    let start = usize::try_from(cd_offset).map_err(|_| bad())?;
    let end = start.checked_add(usize::try_from(cd_size).map_err(|_| bad())?).ok_or_else(bad)?;
    if end > b.len() || count > (cd_size / 46) + 1 {
        return Err(damaged("the zip's table of contents points outside the file: the file is cut short"));
    }
    let mut out = HashMap::new();
    let mut at = start;
    for _ in 0..count {
        if u32_at(b, at) != Some(0x0201_4b50) {
            return Err(bad());
        }
        let flags = u16_at(b, at + 8).ok_or_else(bad)?;
        let method = u16_at(b, at + 10).ok_or_else(bad)?;
        let crc = u32_at(b, at + 16).ok_or_else(bad)?;
        let mut packed = u64::from(u32_at(b, at + 20).ok_or_else(bad)?);
        let mut size = u64::from(u32_at(b, at + 24).ok_or_else(bad)?);
        let name_len = usize::from(u16_at(b, at + 28).ok_or_else(bad)?);
        let extra_len = usize::from(u16_at(b, at + 30).ok_or_else(bad)?);
        let comment_len = usize::from(u16_at(b, at + 32).ok_or_else(bad)?);
        let mut offset = u64::from(u32_at(b, at + 42).ok_or_else(bad)?);
        let name = b.get(at + 46..at + 46 + name_len).ok_or_else(bad)?;
        let extra = b.get(at + 46 + name_len..at + 46 + name_len + extra_len).ok_or_else(bad)?;
        // Zip64 sizes: the fields that overflowed, in order, in extra block 0x0001.
        let mut e = 0;
        while e + 4 <= extra.len() {
            let id = u16_at(extra, e).unwrap_or(0);
            let len = usize::from(u16_at(extra, e + 2).unwrap_or(0));
            if id == 1 {
                let mut f = e + 4;
                for v in [&mut size, &mut packed, &mut offset] {
                    if *v == 0xFFFF_FFFF {
                        *v = u64_at(extra, f).ok_or_else(bad)?;
                        f += 8;
                    }
                }
            }
            e += 4 + len;
        }
        // Names are compared as written by Excel (forward slashes); a leading `/` is dropped.
        let name = String::from_utf8_lossy(name).trim_start_matches('/').to_string();
        out.insert(name, Entry { method, encrypted: flags & 1 != 0, crc, packed, size, offset });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(out)
}

/// CRC-32 (the zip's checksum) of `data`.
fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, t) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        *t = c;
    }
    let mut c = !0u32;
    for &b in data {
        c = table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

// ---- the workbook ----------------------------------------------------------------------------

/// A worksheet of the workbook.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetInfo {
    /// Its name, as on its tab.
    pub name: String,
    /// Hidden (or "very hidden") by its author.
    pub hidden: bool,
    /// The zip path of its XML part.
    path: String,
}

/// An opened `.xlsx`: its zip directory, its sheets, its shared strings and which styles are
/// dates. Sheets are read on demand ([`Workbook::read_sheet`]).
pub struct Workbook {
    bytes: Vec<u8>,
    entries: HashMap<String, Entry>,
    sheets: Vec<SheetInfo>,
    strings: Vec<String>,
    /// For each cell style (`s=` index), whether its number format is a date.
    date_styles: Vec<bool>,
    date1904: bool,
    /// Bytes unpacked so far, against [`MAX_UNPACKED`].
    unpacked: u64,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook").field("sheets", &self.sheets).finish_non_exhaustive()
    }
}

impl Workbook {
    /// Opens a workbook from the bytes of its file: reads the zip's directory, the list of
    /// sheets, the shared strings and the styles. Refuses, each with its own error, an `.xls`, a
    /// password-protected workbook, an `.ods`, a zip without a workbook, a damaged zip and one
    /// that unpacks to more than [`MAX_UNPACKED`].
    pub fn open(bytes: Vec<u8>) -> Res<Workbook> {
        if bytes.starts_with(&OLE_MAGIC) {
            // An encrypted OOXML file is an OLE file with a stream named, in UTF-16, EncryptedPackage.
            let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
            return Err(if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
                WorkbookError::Encrypted
            } else {
                WorkbookError::OldExcel
            });
        }
        if !bytes.starts_with(&ZIP_MAGIC) {
            return Err(WorkbookError::NotWorkbook);
        }
        let entries = read_directory(&bytes)?;
        let declared: u64 = entries.values().map(|e| e.size).fold(0, u64::saturating_add);
        if declared > MAX_UNPACKED as u64 {
            return Err(WorkbookError::TooLarge(declared));
        }
        let mut wb = Workbook { bytes, entries, sheets: Vec::new(), strings: Vec::new(), date_styles: Vec::new(), date1904: false, unpacked: 0 };
        if wb.entries.contains_key("mimetype") && wb.entries.contains_key("content.xml") {
            return Err(WorkbookError::OpenDocument);
        }
        let book_path = wb.office_document()?;
        let book = wb.part(&book_path)?.ok_or(WorkbookError::NotWorkbook)?;
        let rels = wb.part(&rels_path(&book_path))?.unwrap_or_default();
        let targets = relationships(&rels, &book_path)?;
        let (sheets, date1904) = sheet_list(&book, &targets)?;
        wb.sheets = sheets;
        wb.date1904 = date1904;
        if wb.sheets.is_empty() {
            return Err(WorkbookError::NoSheets);
        }
        let by_type = |suffix: &str| targets.values().find(|(ty, _)| ty.ends_with(suffix)).map(|(_, p)| p.clone());
        let strings_path = by_type("/sharedStrings").unwrap_or_else(|| "xl/sharedStrings.xml".into());
        if let Some(xml) = wb.part(&strings_path)? {
            wb.strings = shared_strings(&xml)?;
        }
        let styles_path = by_type("/styles").unwrap_or_else(|| "xl/styles.xml".into());
        if let Some(xml) = wb.part(&styles_path)? {
            wb.date_styles = date_styles(&xml)?;
        }
        Ok(wb)
    }

    /// The worksheets, in tab order (chart sheets are left out).
    pub fn sheets(&self) -> &[SheetInfo] {
        &self.sheets
    }

    /// Reads sheet `index` of [`sheets`](Self::sheets) into a grid.
    pub fn read_sheet(&mut self, index: usize) -> Res<Grid> {
        let info = self.sheets.get(index).cloned().ok_or(WorkbookError::NoSheets)?;
        let xml = self.part(&info.path)?.ok_or_else(|| damaged(format!("sheet {} is missing", sheet_ref(&info.name))))?;
        let mut grid = Grid { sheet: info.name.clone(), rows: Vec::new() };
        self.fill(&mut grid, &xml)?;
        if grid.is_blank() {
            return Err(WorkbookError::EmptySheet(info.name));
        }
        Ok(grid)
    }

    /// The path of the workbook part, from the package's relationships (`xl/workbook.xml` as
    /// Excel writes it).
    fn office_document(&mut self) -> Res<String> {
        if let Some(rels) = self.part("_rels/.rels")? {
            if let Ok(t) = relationships(&rels, "") {
                if let Some((_, p)) = t.values().find(|(ty, _)| ty.ends_with("/officeDocument")) {
                    return Ok(p.clone());
                }
            }
        }
        if self.entries.contains_key("xl/workbook.xml") {
            Ok("xl/workbook.xml".into())
        } else {
            Err(WorkbookError::NotWorkbook)
        }
    }

    /// The unpacked bytes of the zip's file `name`, `None` when the zip has no such file.
    fn part(&mut self, name: &str) -> Res<Option<Vec<u8>>> {
        let Some(e) = self.entries.get(name).cloned() else { return Ok(None) };
        if e.encrypted {
            return Err(WorkbookError::Encrypted);
        }
        let bad = || damaged(format!("part {name} cannot be found in the zip"));
        let at = usize::try_from(e.offset).map_err(|_| bad())?;
        if u32_at(&self.bytes, at) != Some(0x0403_4b50) {
            return Err(bad());
        }
        let name_len = usize::from(u16_at(&self.bytes, at + 26).ok_or_else(bad)?);
        let extra_len = usize::from(u16_at(&self.bytes, at + 28).ok_or_else(bad)?);
        let start = at + 30 + name_len + extra_len;
        let end = start.checked_add(usize::try_from(e.packed).map_err(|_| bad())?).ok_or_else(bad)?;
        let data = self.bytes.get(start..end).ok_or_else(|| damaged(format!("part {name} is cut short")))?;
        let left = (MAX_UNPACKED as u64).saturating_sub(self.unpacked);
        if e.size > left {
            return Err(WorkbookError::TooLarge(self.unpacked.saturating_add(e.size)));
        }
        let out = match e.method {
            0 => data.to_vec(),
            8 => {
                // Inflating stops at the declared size: a part that unpacks to more lies about
                // its size (a zip bomb), and is refused without unpacking the rest.
                let limit = usize::try_from(e.size).map_err(|_| bad())?;
                match miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit) {
                    Ok(v) => v,
                    Err(err) if err.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                        return Err(WorkbookError::TooLarge(self.unpacked.saturating_add(e.size).saturating_add(1)));
                    }
                    Err(_) => return Err(damaged(format!("part {name} cannot be unpacked"))),
                }
            }
            m => return Err(damaged(format!("part {name} is packed with method {m}, which Excel does not use"))),
        };
        if out.len() as u64 != e.size || crc32(&out) != e.crc {
            return Err(damaged(format!("part {name} fails its checksum")));
        }
        self.unpacked += e.size;
        Ok(Some(out))
    }

    /// Reads a worksheet's XML into `grid`, then spreads merged values.
    fn fill(&self, grid: &mut Grid, xml: &[u8]) -> Res<()> {
        let sheet = grid.sheet.clone();
        let bad = |e: quick_xml::Error| damaged(format!("sheet {} is not valid XML: {e}", sheet_ref(&sheet)));
        let mut r = Reader::from_reader(xml);
        let mut row = 0u32;
        let mut col = 0u32;
        // The cell being read: its place, type, style, and its value's text so far.
        let mut cell: Option<(u32, u32, CellType, usize)> = None;
        let mut value = String::new();
        let mut in_value = false;
        let mut in_inline = false;
        let mut phonetic = false;
        let mut merges: Vec<(u32, u32, u32, u32)> = Vec::new();
        loop {
            match r.read_event().map_err(bad)? {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"row" => {
                    row = match attr(&e, b"r") {
                        Some(v) => v.parse().map_err(|_| damaged(format!("sheet {}: row number {v}", sheet_ref(&sheet))))?,
                        None => row + 1,
                    };
                    if row == 0 || row > MAX_ROW {
                        return Err(damaged(format!("sheet {}: row number {row}", sheet_ref(&sheet))));
                    }
                    col = 0;
                }
                Event::Start(e) if e.local_name().as_ref() == b"c" => {
                    let (c, rr) = place(&e, row, col, &sheet)?;
                    row = rr;
                    col = c;
                    // `t=` and `s=` are plain ASCII: read raw, without unescaping or allocating
                    // (a sheet has hundreds of thousands of cells).
                    let (mut ty, mut style) = (CellType::Number, 0usize);
                    for a in e.attributes().flatten() {
                        match a.key.local_name().as_ref() {
                            b"t" => ty = CellType::of(&a.value),
                            b"s" => style = a.value.iter().try_fold(0usize, |n, &b| b.is_ascii_digit().then(|| n.saturating_mul(10).saturating_add(usize::from(b - b'0')))).unwrap_or(0),
                            _ => {}
                        }
                    }
                    cell = Some((rr, c, ty, style));
                    value.clear();
                }
                Event::Empty(e) if e.local_name().as_ref() == b"c" => {
                    let (c, rr) = place(&e, row, col, &sheet)?;
                    row = rr;
                    col = c;
                }
                Event::End(e) if e.local_name().as_ref() == b"c" => {
                    if let Some((rr, c, ty, style)) = cell.take() {
                        let v = self.cell_value(ty, style, &value);
                        if !v.is_blank() {
                            if c > MAX_COLUMN {
                                return Err(WorkbookError::TooWide(cell_name(&sheet, rr, c)));
                            }
                            grid.set(rr, c, v);
                        }
                    }
                }
                Event::Start(e) => match e.local_name().as_ref() {
                    b"v" if cell.is_some() => in_value = true,
                    b"is" if cell.is_some() => in_inline = true,
                    b"t" if in_inline && !phonetic => in_value = true,
                    b"rPh" => phonetic = true,
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    b"v" | b"t" => in_value = false,
                    b"is" => in_inline = false,
                    b"rPh" => phonetic = false,
                    _ => {}
                },
                Event::Empty(e) if e.local_name().as_ref() == b"mergeCell" => {
                    if let Some(m) = attr(&e, b"ref").and_then(|v| merge_range(&v)) {
                        merges.push(m);
                    }
                }
                Event::Text(t) if in_value => value.push_str(&t.xml_content().map_err(|e| damaged(e.to_string()))?),
                Event::CData(t) if in_value => value.push_str(&t.decode().map_err(|e| damaged(e.to_string()))?),
                Event::GeneralRef(g) if in_value => push_ref(&mut value, &g),
                _ => {}
            }
        }
        spread_merges(grid, &merges);
        Ok(())
    }

    /// A cell's value from its type (`t=`), style (`s=`) and the text of its `<v>` or `<is>`.
    fn cell_value(&self, ty: CellType, style: usize, text: &str) -> Cell {
        match ty {
            CellType::Shared => match text.trim().parse::<usize>().ok().and_then(|i| self.strings.get(i)) {
                Some(s) => Cell::Text(s.clone()),
                None => Cell::Empty,
            },
            CellType::Text => Cell::Text(text.to_string()),
            CellType::Bool => Cell::Bool(text.trim() == "1"),
            // ISO 8601 date text (strict OOXML): its date part.
            CellType::Date => iso_date(text).map_or_else(|| Cell::Text(text.to_string()), |(y, m, d)| Cell::Date(y, m, d)),
            CellType::Number => match text.trim().parse::<f64>() {
                Ok(v) if self.date_styles.get(style).copied().unwrap_or(false) => {
                    serial_to_date(v, self.date1904).map_or(Cell::Number(v), |(y, m, d)| Cell::Date(y, m, d))
                }
                Ok(v) => Cell::Number(v),
                Err(_) if text.trim().is_empty() => Cell::Empty,
                Err(_) => Cell::Text(text.to_string()),
            },
        }
    }
}

/// A cell's `t=`: how its value is stored.
#[derive(Clone, Copy, Debug, PartialEq)]
enum CellType {
    /// `s`: an index into the shared strings.
    Shared,
    /// `inlineStr`, `str` (a formula's text), `e` (an error such as `#N/A`): the text itself.
    Text,
    /// `b`: 0 or 1.
    Bool,
    /// `d`: ISO 8601 text.
    Date,
    /// `n` or none: a number (a date when its style says so).
    Number,
}

impl CellType {
    fn of(t: &[u8]) -> CellType {
        match t {
            b"s" => CellType::Shared,
            b"inlineStr" | b"str" | b"e" => CellType::Text,
            b"b" => CellType::Bool,
            b"d" => CellType::Date,
            _ => CellType::Number,
        }
    }
}

/// A cell's column and row from its `r=` attribute, or the next column of the current row.
fn place(e: &BytesStart<'_>, row: u32, col: u32, sheet: &str) -> Res<(u32, u32)> {
    let raw = e.attributes().flatten().find(|a| a.key.local_name().as_ref() == b"r").map(|a| a.value);
    match raw {
        Some(raw) => {
            let v = String::from_utf8_lossy(&raw);
            let (c, r) = parse_ref(&raw).ok_or_else(|| damaged(format!("sheet {}: cell reference {v}", sheet_ref(sheet))))?;
            let r = if r == 0 { row } else { r };
            if r == 0 || r > MAX_ROW || c == 0 {
                return Err(damaged(format!("sheet {}: cell reference {v}", sheet_ref(sheet))));
            }
            Ok((c, r))
        }
        None if row == 0 => Err(damaged(format!("sheet {}: a cell outside any row", sheet_ref(sheet)))),
        None => Ok((col + 1, row)),
    }
}

/// `A3:B4` → (first row, first column, last row, last column).
fn merge_range(v: &str) -> Option<(u32, u32, u32, u32)> {
    let (a, b) = v.split_once(':')?;
    let (c1, r1) = parse_ref(a.as_bytes())?;
    let (c2, r2) = parse_ref(b.as_bytes())?;
    (r1 > 0 && r2 >= r1 && c2 >= c1).then_some((r1, c1, r2, c2))
}

/// Copies the value of each merge's top-left cell into its other cells (those left empty).
fn spread_merges(grid: &mut Grid, merges: &[(u32, u32, u32, u32)]) {
    for &(r1, c1, r2, c2) in merges {
        let cells = u64::from(r2 - r1 + 1) * u64::from(c2 - c1 + 1);
        if cells > MAX_MERGE_CELLS || c2 > MAX_COLUMN || r2 > MAX_ROW {
            continue;
        }
        let v = grid.get(r1, c1).clone();
        if v.is_blank() {
            continue;
        }
        for r in r1..=r2 {
            for c in c1..=c2 {
                if grid.get(r, c).is_blank() {
                    grid.set(r, c, v.clone());
                }
            }
        }
    }
}

/// The value of attribute `name` (local name), unescaped.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
}

/// Appends the text of an entity or character reference (`&amp;`, `&#7897;`).
fn push_ref(out: &mut String, g: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = g.resolve_char_ref() {
        out.push(c);
    } else if let Ok(name) = g.decode() {
        if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
            out.push_str(s);
        }
    }
}

/// The part a relationship target names, from the folder of the part that holds it.
fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base.rsplit_once('/').map_or(Vec::new(), |(d, _)| d.split('/').collect());
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The relationships part of `part`: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Relationship id → (type, resolved target) of a `.rels` part belonging to `base`.
fn relationships(xml: &[u8], base: &str) -> Res<HashMap<String, (String, String)>> {
    let mut out = HashMap::new();
    let mut r = Reader::from_reader(xml);
    loop {
        match r.read_event().map_err(|e| damaged(format!("relationships of {base}: {e}")))? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    if attr(&e, b"TargetMode").as_deref() != Some("External") {
                        out.insert(id, (attr(&e, b"Type").unwrap_or_default(), resolve(base, &target)));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The worksheets listed by the workbook part, in tab order, and whether it uses the 1904 date
/// system.
fn sheet_list(xml: &[u8], targets: &HashMap<String, (String, String)>) -> Res<(Vec<SheetInfo>, bool)> {
    let mut out = Vec::new();
    let mut date1904 = false;
    let mut r = Reader::from_reader(xml);
    loop {
        match r.read_event().map_err(|e| damaged(format!("the list of sheets: {e}")))? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"workbookPr" => date1904 = matches!(attr(&e, b"date1904").as_deref(), Some("1" | "true")),
                b"sheet" => {
                    let name = attr(&e, b"name").unwrap_or_default();
                    let hidden = attr(&e, b"state").is_some_and(|s| s != "visible");
                    if let Some((ty, path)) = attr(&e, b"id").and_then(|id| targets.get(&id)) {
                        // Chart sheets and macro sheets hold no cells to import.
                        if ty.ends_with("/worksheet") {
                            out.push(SheetInfo { name, hidden, path: path.clone() });
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok((out, date1904))
}

/// The shared strings table: each `<si>`'s text, its rich-text runs joined and its phonetic
/// guides (`<rPh>`) left out.
fn shared_strings(xml: &[u8]) -> Res<Vec<String>> {
    let mut out = Vec::new();
    let mut r = Reader::from_reader(xml);
    let mut cur = String::new();
    let (mut in_t, mut phonetic) = (false, false);
    loop {
        match r.read_event().map_err(|e| damaged(format!("the shared strings: {e}")))? {
            Event::Eof => break,
            Event::Start(e) => match e.local_name().as_ref() {
                b"si" => cur.clear(),
                b"t" if !phonetic => in_t = true,
                b"rPh" => phonetic = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == b"si" => out.push(String::new()),
            Event::End(e) => match e.local_name().as_ref() {
                b"si" => out.push(std::mem::take(&mut cur)),
                b"t" => in_t = false,
                b"rPh" => phonetic = false,
                _ => {}
            },
            Event::Text(t) if in_t => cur.push_str(&t.xml_content().map_err(|e| damaged(e.to_string()))?),
            Event::CData(t) if in_t => cur.push_str(&t.decode().map_err(|e| damaged(e.to_string()))?),
            Event::GeneralRef(g) if in_t => push_ref(&mut cur, &g),
            _ => {}
        }
    }
    Ok(out)
}

/// For each cell style (`<cellXfs>` in order), whether its number format shows a date.
fn date_styles(xml: &[u8]) -> Res<Vec<bool>> {
    let mut formats: HashMap<u32, bool> = HashMap::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    let mut r = Reader::from_reader(xml);
    loop {
        match r.read_event().map_err(|e| damaged(format!("the styles: {e}")))? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, b"numFmtId").and_then(|v| v.parse().ok()), attr(&e, b"formatCode")) {
                        formats.insert(id, is_date_format(&code));
                    }
                }
                b"cellXfs" => in_xfs = true,
                b"xf" if in_xfs => {
                    let id: u32 = attr(&e, b"numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0);
                    out.push(formats.get(&id).copied().unwrap_or_else(|| builtin_date(id)));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
            _ => {}
        }
    }
    Ok(out)
}

/// Excel's built-in number formats that show a date (14–22; 27–36 and 50–58 in East Asian
/// locales; 45–47 are times, read as dates too since they carry no number worth keeping).
fn builtin_date(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Whether a custom number format shows a date: it has a day, month-with-day-or-year, or year
/// code outside quoted text, `[…]` sections (colours, locales, elapsed time) and escaped
/// characters.
pub fn is_date_format(code: &str) -> bool {
    let mut plain = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => for d in chars.by_ref() {
                if d == '"' {
                    break;
                }
            },
            '[' => for d in chars.by_ref() {
                if d == ']' {
                    break;
                }
            },
            '\\' | '_' | '*' => {
                chars.next();
            }
            c => plain.push(c.to_ascii_lowercase()),
        }
    }
    // Only the first section (positive numbers) decides.
    let first = plain.split(';').next().unwrap_or("");
    first.contains('d') || first.contains('y') || (first.contains('m') && !first.contains('h') && !first.contains('s') && first.contains('/'))
}

/// An Excel date serial → (year, month, day); None outside years 1–9999.
pub fn serial_to_date(serial: f64, date1904: bool) -> Option<(i32, u8, u8)> {
    if !(0.0..=2_958_466.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor() as i64;
    // 1904 system: day 0 is 1904-01-01. 1900 system: day 1 is 1900-01-01, and Excel counts a
    // 29 February 1900 that never was (day 60), so from day 61 on a day is one less.
    let days_from_1970 = match (date1904, whole) {
        (true, _) => whole - 24_107,
        (false, 60) => return Some((1900, 2, 29)),
        (false, w) if w < 60 => w - 25_568,
        (false, w) => w - 25_569,
    };
    let (y, m, d) = civil_from_days(days_from_1970);
    (1..=9999).contains(&y).then_some((y, m, d))
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar (H. Hinnant).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// `2024-03-31` or `2024-03-31T10:00:00` → (2024, 3, 31).
fn iso_date(s: &str) -> Option<(i32, u8, u8)> {
    let s = s.trim();
    let date = s.get(..10)?;
    let mut it = date.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// A zip of `parts` stored without compression: for tests that need a workbook of their own.
#[cfg(test)]
pub(crate) fn stored_zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut cd = Vec::new();
    for (name, data) in parts {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let head = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                h.extend_from_slice(&[0; 10]);
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(head(0x0403_4b50, false));
        out.extend_from_slice(data);
        cd.extend(head(0x0201_4b50, true));
    }
    let cd_at = out.len() as u32;
    out.extend_from_slice(&cd);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_at.to_le_bytes());
    out.extend_from_slice(&[0; 2]);
    out
}

/// A workbook of one sheet named `sheet` whose rows are inline strings (numbers when they parse
/// as numbers), written by hand: for tests of the import path.
#[cfg(test)]
pub(crate) fn test_workbook(sheet: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut xml = String::from(r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#);
    for (r, row) in rows.iter().enumerate() {
        xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c as u32 + 1), r + 1);
            if v.parse::<f64>().is_ok() {
                xml.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#));
            } else {
                xml.push_str(&format!(r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#, quick_xml::escape::escape(*v)));
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    let book = format!(
        r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        quick_xml::escape::escape(sheet)
    );
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    stored_zip(&[("xl/workbook.xml", book.as_bytes()), ("xl/_rels/workbook.xml.rels", rels.as_bytes()), ("xl/worksheets/sheet1.xml", xml.as_bytes())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_cells_are_named_as_excel_names_them() {
        assert_eq!(column_name(1), "A");
        assert_eq!(column_name(26), "Z");
        assert_eq!(column_name(27), "AA");
        assert_eq!(column_name(16_384), "XFD");
        assert_eq!(parse_ref(b"XFD1048576"), Some((16_384, 1_048_576)));
        assert_eq!(parse_ref(b"c12"), Some((3, 12)));
        assert_eq!(parse_ref(b"12"), None);
        assert_eq!(cell_name("Sheet1", 12, 3), "Sheet1!C12");
        assert_eq!(cell_name("Danh sách 2024", 5, 2), "'Danh sách 2024'!B5");
        assert_eq!(cell_name("Bà Rịa's", 1, 1), "'Bà Rịa''s'!A1");
    }

    #[test]
    fn date_serials_follow_excel_both_systems() {
        assert_eq!(serial_to_date(1.0, false), Some((1900, 1, 1)));
        assert_eq!(serial_to_date(59.0, false), Some((1900, 2, 28)));
        assert_eq!(serial_to_date(61.0, false), Some((1900, 3, 1)));
        assert_eq!(serial_to_date(45_292.0, false), Some((2024, 1, 1)));
        assert_eq!(serial_to_date(45_292.75, false), Some((2024, 1, 1)));
        assert_eq!(serial_to_date(0.0, true), Some((1904, 1, 1)));
        assert_eq!(serial_to_date(43_830.0, true), Some((2024, 1, 1)));
        assert_eq!(serial_to_date(-1.0, false), None);
        assert_eq!(serial_to_date(f64::NAN, false), None);
    }

    #[test]
    fn date_formats_are_told_from_number_formats() {
        for code in ["dd/mm/yyyy", "d-mmm-yy", "yyyy", "[$-42A]dd/mm/yyyy", "m/d/yy h:mm", "dd\\.mm\\.yyyy"] {
            assert!(is_date_format(code), "{code}");
        }
        for code in ["0.00", "#,##0", "General", "0%", "\"ngày\" 0", "[Red]0.0", "h:mm:ss", "[h]:mm", "mm:ss", "#,##0 \"đ\""] {
            assert!(!is_date_format(code), "{code}");
        }
        assert!(builtin_date(14) && !builtin_date(3));
    }

    #[test]
    fn numbers_are_written_so_that_every_decimal_guess_reads_them_back() {
        use crate::engine::format::{parse_number_with, DecimalHint};
        for v in [3.0, -12.0, 3_034_208.42, 300.125, 0.5, 1.0e-7, 123_456_789_012.0, 2.5e20] {
            let t = number_text(v);
            for hint in [DecimalHint::Auto, DecimalHint::Comma, DecimalHint::Point] {
                if t.contains('.') && !t.contains('e') && hint == DecimalHint::Comma {
                    // A point-written number proves a decimal point to the guess: never read under Comma.
                    continue;
                }
                assert_eq!(parse_number_with(&t, hint), Some(v), "{t} under {hint:?}");
            }
        }
        assert_eq!(Cell::Number(300.125).to_display(), "300.125");
        assert_eq!(Cell::Date(2024, 3, 1).to_text(), "2024-03-01");
    }

    #[test]
    fn not_a_workbook_old_excel_and_encrypted_are_told_apart_by_their_bytes() {
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 600]);
        assert_eq!(Workbook::open(ole.clone()).unwrap_err(), WorkbookError::OldExcel);
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(Workbook::open(ole).unwrap_err(), WorkbookError::Encrypted);
        assert_eq!(Workbook::open(b"id;province\n".to_vec()).unwrap_err(), WorkbookError::NotWorkbook);
        assert!(matches!(Workbook::open(b"PK\x03\x04 cut".to_vec()).unwrap_err(), WorkbookError::Damaged(_)));
        assert!(looks_like_workbook(b"PK\x03\x04") && looks_like_workbook(&OLE_MAGIC) && !looks_like_workbook(b"{\"format\""));
        let vi = WorkbookError::OldExcel.issue().expected.vi;
        assert!(vi.contains("Lưu thành") && vi.contains(".xlsx"), "{vi}");
    }

    #[test]
    fn a_crc_matches_the_zip_standard() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn relationship_targets_resolve_from_their_part() {
        assert_eq!(resolve("xl/workbook.xml", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/workbook.xml", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/workbook.xml", "../customXml/item1.xml"), "customXml/item1.xml");
        assert_eq!(rels_path("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn texts(grid: &Grid, row: u32) -> Vec<String> {
        grid.rows.get(row as usize - 1).map_or(Vec::new(), |r| r.iter().map(|c| c.to_text().into_owned()).collect())
    }

    /// The provincial register as two writers save it: sheets in tab order, title rows, the
    /// merged header spread over both header rows, ids as numbers and as text, dates, a number
    /// stored as text, totals rows (whose formulas LibreOffice computed and openpyxl did not).
    #[test]
    fn the_register_reads_the_same_from_openpyxl_and_libreoffice() {
        for name in ["register-openpyxl.xlsx", "register-libreoffice.xlsx"] {
            let mut wb = Workbook::open(fixture(name)).unwrap();
            let names: Vec<&str> = wb.sheets().iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["Hướng dẫn", "Danh sách HTX"], "{name}");
            let g = wb.read_sheet(1).unwrap();
            assert_eq!(g.sheet, "Danh sách HTX");
            assert_eq!(g.get(1, 1), &Cell::Text("UBND TỈNH THÁI NGUYÊN".into()), "{name}");
            // The merged title is spread over its row.
            assert_eq!(g.get(1, 10), g.get(1, 1), "{name}");
            assert!(g.rows[3].iter().all(Cell::is_blank), "{name}: row 4 is blank");
            assert_eq!(texts(&g, 5)[..8], ["STT", "Tên HTX", "Mã số HTX", "Tỉnh", "Năm", "Loại hình", "Lĩnh vực", "Thành viên và lao động"], "{name}");
            // The merged header cells read right on the second header row.
            assert_eq!(
                texts(&g, 6),
                ["STT", "Tên HTX", "Mã số HTX", "Tỉnh", "Năm", "Loại hình", "Lĩnh vực", "Số thành viên", "Số lao động", "Doanh thu (triệu đồng)"],
                "{name}"
            );
            assert_eq!(g.get(7, 3), &Cell::Number(4_600_123_456.0), "{name}");
            assert_eq!(g.get(8, 3), &Cell::Text("4600234567".into()), "{name}: an id stored as text");
            assert_eq!(g.get(9, 3).to_text(), "0500345678", "{name}: its leading zero kept");
            assert_eq!(g.get(7, 5), &Cell::Date(2024, 12, 31), "{name}");
            assert_eq!(g.get(8, 9), &Cell::Text("9".into()), "{name}: a number stored as text");
            assert_eq!(g.get(8, 10), &Cell::Number(856.25), "{name}");
            assert_eq!(g.get(9, 4), &Cell::Text("Hà Tây".into()), "{name}");
            assert_eq!(g.get(13, 1), &Cell::Text("Tổng cộng".into()), "{name}");
            let sum = g.get(13, 10).clone();
            if name.contains("libreoffice") {
                assert_eq!(sum, Cell::Number(7812.0), "LibreOffice stores the computed total");
            } else {
                assert_eq!(sum, Cell::Empty, "openpyxl writes the formula without its result");
            }
            assert_eq!(wb.read_sheet(0).unwrap().get(1, 1), &Cell::Text("Hướng dẫn điền biểu".into()));
        }
    }

    /// What neither writer produces, written by hand: inline and rich strings, phonetic runs,
    /// formula text, booleans, gaps in `r=`, cells without `r=`, errors, the 1904 date system.
    #[test]
    fn hand_written_cells_of_every_kind() {
        let mut wb = Workbook::open(fixture("cells-minimal.xlsx")).unwrap();
        let g = wb.read_sheet(0).unwrap();
        assert_eq!(g.sheet, "Dữ liệu");
        assert_eq!(texts(&g, 1), ["id", "Tỉnh (mã)", "Năm", "", "Số lao động", "Ứng dụng công nghệ cao", "Loại hình"]);
        assert_eq!(g.get(2, 1), &Cell::Text("HTX-01".into()));
        assert_eq!(g.get(2, 2), &Cell::Text("19".into()));
        assert_eq!(g.get(2, 3), &Cell::Date(2024, 1, 1), "1904 system, built-in date format");
        assert_eq!(g.get(2, 4), &Cell::Empty);
        assert_eq!(g.get(2, 5), &Cell::Number(12.0));
        assert_eq!(g.get(2, 6), &Cell::Bool(true));
        assert!(g.rows[2].is_empty(), "row 3 is absent from the sheet");
        assert_eq!(g.get(4, 3), &Cell::Date(2023, 1, 1), "custom date format with a locale and a text section");
        assert_eq!(g.get(4, 5), &Cell::Text(" 7 ".into()));
        assert_eq!(g.get(4, 6), &Cell::Bool(false));
        assert_eq!(g.get(5, 4), &Cell::Text("#N/A".into()));
        assert_eq!(g.get(5, 8), &Cell::Number(0.25));
    }

    #[test]
    fn each_bad_workbook_gets_its_own_error() {
        assert_eq!(Workbook::open(fixture("register-excel97.xls")).unwrap_err(), WorkbookError::OldExcel);
        assert_eq!(Workbook::open(fixture("register-password.xlsx")).unwrap_err(), WorkbookError::Encrypted);
        assert_eq!(Workbook::open(fixture("register.ods")).unwrap_err(), WorkbookError::OpenDocument);
        let cut = Workbook::open(fixture("register-truncated.xlsx")).unwrap_err();
        assert!(matches!(&cut, WorkbookError::Damaged(w) if w.contains("cut short")), "{cut:?}");
        let bomb = Workbook::open(fixture("bomb.xlsx")).unwrap_err();
        assert!(matches!(bomb, WorkbookError::TooLarge(n) if n > MAX_UNPACKED as u64), "{bomb:?}");
        let i = bomb.issue();
        assert!(i.found.vi.contains("giải nén ra từ 299 MB") && i.expected.vi.contains("tối đa 256 MB"), "{i:?}");
    }

    /// A zip bomb that lies about its size (declares 1 KB) is stopped once inflating passes the
    /// declared size, not after unpacking it all.
    #[test]
    fn a_bomb_that_declares_a_small_size_is_stopped_while_inflating() {
        let mut b = fixture("bomb.xlsx");
        let entries = read_directory(&b).unwrap();
        let sheet = &entries["xl/worksheets/sheet1.xml"];
        // Patch the sheet's uncompressed size in the central directory to 1024.
        let cd = (0..b.len() - 4).rev().find(|&i| {
            u32_at(&b, i) == Some(0x0201_4b50) && u32_at(&b, i + 42).map(u64::from) == Some(sheet.offset)
        }).unwrap();
        b[cd + 24..cd + 28].copy_from_slice(&1024u32.to_le_bytes());
        let mut wb = Workbook::open(b).unwrap();
        let t = std::time::Instant::now();
        assert!(matches!(wb.read_sheet(0).unwrap_err(), WorkbookError::TooLarge(_)));
        assert!(t.elapsed().as_secs_f64() < 1.0, "stopped early: {:?}", t.elapsed());
    }

    /// Never a panic, whatever the bytes: every prefix of a good workbook, and the workbook with
    /// bytes changed all over it.
    #[test]
    fn truncated_and_mutated_workbooks_never_panic() {
        for name in ["register-openpyxl.xlsx", "register-libreoffice.xlsx", "cells-minimal.xlsx"] {
            let good = fixture(name);
            for cut in (0..good.len()).step_by(11) {
                if let Ok(mut wb) = Workbook::open(good[..cut].to_vec()) {
                    for i in 0..wb.sheets().len() {
                        let _ = wb.read_sheet(i);
                    }
                }
            }
            // A small deterministic generator (xorshift): the same mutations on every run.
            let mut seed = 0x9E37_79B9_7F4A_7C15u64;
            let mut next = move || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            for _ in 0..800 {
                let mut b = good.clone();
                for _ in 0..1 + next() % 4 {
                    let at = (next() % b.len() as u64) as usize;
                    b[at] = next() as u8;
                }
                if let Ok(mut wb) = Workbook::open(b) {
                    for i in 0..wb.sheets().len() {
                        let _ = wb.read_sheet(i);
                    }
                }
            }
        }
    }

    /// Stored (uncompressed) parts, as some writers save small files, read like deflated ones.
    #[test]
    fn stored_parts_read_like_deflated_ones() {
        let src = fixture("cells-minimal.xlsx");
        let mut wb = Workbook::open(src.clone()).unwrap();
        let grid = wb.read_sheet(0).unwrap();
        let entries = read_directory(&src).unwrap();
        let mut names: Vec<&String> = entries.keys().collect();
        names.sort();
        let parts: Vec<(String, Vec<u8>)> =
            names.iter().map(|n| ((*n).clone(), Workbook::open(src.clone()).unwrap().part(n).unwrap().unwrap())).collect();
        let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
        assert_eq!(Workbook::open(stored_zip(&parts)).unwrap().read_sheet(0).unwrap(), grid);
    }
}
