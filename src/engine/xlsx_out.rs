//! Tables → an Excel workbook (`.xlsx`): the Table tab's figures and a file's validation report,
//! for readers who keep and rework their figures in Excel.
//!
//! Why a writer of our own rather than `rust_xlsxwriter`: what we write is a few sheets of text
//! and numbers with a bold header row, three number formats and column widths, and an `.xlsx`
//! of that is five short XML files in a zip. Written here (XML by hand, the zip with
//! stored entries and a CRC-32), it costs the own-data worker 5.1 KB brotli; `rust_xlsxwriter`
//! with its `wasm` feature measured about 205 KB, for features (charts, images, formulas,
//! autofilters, deflate) we do not use (figures in `docs/architecture.md`, "Excel out").
//!
//! Cells are typed: a figure is a number cell (`<c><v>3034208.42</v></c>`) with a number format
//! (Excel shows it with the reader's own separators), never text, so the reader can sum and sort
//! it; a name is an inline string (`t="inlineStr"`), never a formula, whatever it starts with.
//! The output is the same bytes for the same book (no timestamps), so tests can compare files.
//!
//! The page builds a [`Book`] (pure data, also encoded by the worker protocol) and the worker
//! turns it into bytes with [`write`]: the page's wasm never links the XML and zip code.

use super::markup::escape;

/// How a number cell is shown (Excel applies the reader's own separators).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumFormat {
    /// A count: `#,##0`.
    Whole,
    /// A figure with decimals: `#,##0.00`.
    Decimal,
    /// A share between 0 and 1 shown as a percentage with one decimal: `0.0%`.
    Percent,
}

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing (a figure that does not exist is an empty cell, never 0).
    Empty,
    /// Text, written as it is.
    Text(String),
    /// A number with its format. A value that is not finite is written as an empty cell.
    Number(f64, NumFormat),
}

/// One sheet: rows of cells from the top left, the first `header_rows` bold and kept on screen
/// while scrolling.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// The tab's name (cut to Excel's 31 characters, without `[]:*?/\`).
    pub name: String,
    /// Rows of cells, the first at row 1.
    pub rows: Vec<Vec<Cell>>,
    /// How many rows at the top are the header.
    pub header_rows: u32,
}

/// A workbook: its sheets in order (at least one is written: an empty book gets an empty sheet).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Book {
    /// The sheets.
    pub sheets: Vec<Sheet>,
}

/// The media type of an `.xlsx`, for the download.
pub const MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A column as Excel names it: `A` for the first, `Z`, then `AA`, `AB`, …
pub fn column_name(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.iter().rev().map(|&b| b as char).collect()
}

/// The workbook as the bytes of an `.xlsx` file.
pub fn write(book: &Book) -> Vec<u8> {
    let empty = [Sheet { name: "Sheet1".into(), rows: Vec::new(), header_rows: 0 }];
    let sheets: &[Sheet] = if book.sheets.is_empty() { &empty } else { &book.sheets };
    let names = sheet_names(sheets);
    let mut zip = Zip::default();
    zip.add("[Content_Types].xml", &content_types(sheets.len()));
    zip.add("_rels/.rels", RELS);
    zip.add("xl/workbook.xml", &workbook_xml(&names));
    zip.add("xl/_rels/workbook.xml.rels", &workbook_rels(sheets.len()));
    zip.add("xl/styles.xml", STYLES);
    for (i, sheet) in sheets.iter().enumerate() {
        zip.add(&format!("xl/worksheets/sheet{}.xml", i + 1), &sheet_xml(sheet));
    }
    zip.finish()
}

// ---- XML parts ---------------------------------------------------------------------------------

const RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"</Relationships>"#
);

/// Cell styles, by index: 0 plain, 1 bold (header), 2 whole number, 3 decimal, 4 percentage.
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="5">"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>"#,
    r#"<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"</cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"</styleSheet>"#
);

fn content_types(sheets: usize) -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    ));
    for i in 1..=sheets {
        s.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
    }
    s.push_str("</Types>");
    s
}

fn workbook_xml(names: &[String]) -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    ));
    for (i, name) in names.iter().enumerate() {
        s.push_str(&format!(r#"<sheet name="{}" sheetId="{}" r:id="rId{}"/>"#, escape(name), i + 1, i + 1));
    }
    s.push_str("</sheets></workbook>");
    s
}

fn workbook_rels(sheets: usize) -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    ));
    for i in 1..=sheets {
        s.push_str(&format!(
            r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#
        ));
    }
    s.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
        sheets + 1
    ));
    s.push_str("</Relationships>");
    s
}

/// Sheet names Excel accepts: no `[]:*?/\`, at most 31 characters, not empty, each once.
fn sheet_names(sheets: &[Sheet]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(sheets.len());
    for (i, s) in sheets.iter().enumerate() {
        let clean: String = s.name.chars().filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control()).take(31).collect();
        let clean = clean.trim_matches('\'').trim().to_string();
        let mut name = if clean.is_empty() { format!("Sheet{}", i + 1) } else { clean };
        // Excel compares names without case (letter by letter: `str::to_lowercase` would add its
        // own tables to the worker).
        let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
        if out.iter().any(|n| lower(n) == lower(&name)) {
            let suffix = format!(" ({})", i + 1);
            name = name.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        }
        out.push(name);
    }
    out
}

/// A figure as Excel's XML writes it: the shortest text that reads back as the same `f64`.
fn number_text(v: f64) -> String {
    // `Display` never uses an exponent and round-trips; -0 is written as 0.
    if v == 0.0 { "0".to_string() } else { format!("{v}") }
}

/// How many characters a cell shows, to size its column.
fn shown_width(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Number(v, f) if v.is_finite() => {
            let whole = format!("{}", v.abs().trunc() as i64).len();
            let grouped = whole + (whole.saturating_sub(1)) / 3 + usize::from(*v < 0.0);
            match f {
                NumFormat::Whole => grouped,
                NumFormat::Decimal => grouped + 3,
                NumFormat::Percent => format!("{:.1}", v * 100.0).len() + 1,
            }
        }
        Cell::Number(..) => 0,
    }
}

/// Column widths in Excel's units (characters of the default font), from the widest cell of each
/// column, header rows included but wrapped past 40 characters; rows below the table with one
/// long cell (a source line, a label) do not widen their column.
fn widths(sheet: &Sheet) -> Vec<f64> {
    let cols = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut w = vec![0usize; cols];
    for (r, row) in sheet.rows.iter().enumerate() {
        let lone_text = row.iter().filter(|c| **c != Cell::Empty).count() == 1 && matches!(row.first(), Some(Cell::Text(_)));
        if lone_text && r >= sheet.header_rows as usize && row.len() == 1 {
            continue;
        }
        for (c, cell) in row.iter().enumerate() {
            let mut n = shown_width(cell);
            if (r as u32) < sheet.header_rows {
                n = n.min(40);
            }
            w[c] = w[c].max(n);
        }
    }
    w.into_iter().map(|n| (n.clamp(6, 60) as f64) + 2.0).collect()
}

fn sheet_xml(sheet: &Sheet) -> String {
    let mut s = String::with_capacity(256 + sheet.rows.len() * 64);
    s.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    ));
    if sheet.header_rows > 0 && (sheet.header_rows as usize) < sheet.rows.len() {
        // The header stays on screen while the reader scrolls the rows.
        let top = format!("A{}", sheet.header_rows + 1);
        s.push_str(&format!(
            r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="{}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>"#,
            sheet.header_rows
        ));
    }
    let widths = widths(sheet);
    if !widths.is_empty() {
        s.push_str("<cols>");
        for (i, w) in widths.iter().enumerate() {
            s.push_str(&format!(r#"<col min="{0}" max="{0}" width="{w}" customWidth="1"/>"#, i + 1));
        }
        s.push_str("</cols>");
    }
    s.push_str("<sheetData>");
    for (r, row) in sheet.rows.iter().enumerate() {
        let n = r + 1;
        s.push_str(&format!(r#"<row r="{n}">"#));
        let header = (r as u32) < sheet.header_rows;
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{n}", column_name(c));
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    let style = if header { r#" s="1""# } else { "" };
                    let space = if t.starts_with(char::is_whitespace) || t.ends_with(char::is_whitespace) { r#" xml:space="preserve""# } else { "" };
                    s.push_str(&format!(r#"<c r="{at}"{style} t="inlineStr"><is><t{space}>{}</t></is></c>"#, escape(t)));
                }
                Cell::Number(v, f) if v.is_finite() => {
                    let style = match f {
                        NumFormat::Whole => 2,
                        NumFormat::Decimal => 3,
                        NumFormat::Percent => 4,
                    };
                    s.push_str(&format!(r#"<c r="{at}" s="{style}"><v>{}</v></c>"#, number_text(*v)));
                }
                Cell::Number(..) => {}
            }
        }
        s.push_str("</row>");
    }
    s.push_str("</sheetData></worksheet>");
    s
}


// ---- the zip -----------------------------------------------------------------------------------

/// A zip archive written in one pass: each entry stored (method 0). Why not deflated: the file is
/// made on the reader's device and saved there, never sent over a network, and a table of 63
/// provinces is some 60 KB of XML; a deflate encoder would add its code to the worker for a
/// smaller file nobody downloads (see `docs/architecture.md`).
#[derive(Default)]
struct Zip {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl Zip {
    fn add(&mut self, name: &str, data: &str) {
        let data = data.as_bytes();
        let crc = crc32(data);
        let offset = self.out.len() as u32;
        let size = data.len() as u32;
        // Local file header: version 2.0, no flags, stored, 1980-01-01 00:00 (a fixed time keeps
        // the bytes the same from one export to the next).
        let mut head = Vec::with_capacity(30 + name.len());
        head.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        head.extend_from_slice(&20u16.to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        head.extend_from_slice(&0x0021u16.to_le_bytes());
        head.extend_from_slice(&crc.to_le_bytes());
        head.extend_from_slice(&size.to_le_bytes());
        head.extend_from_slice(&size.to_le_bytes());
        head.extend_from_slice(&(name.len() as u16).to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        head.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(&head);
        self.out.extend_from_slice(data);
        // Its central directory record.
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&20u16.to_le_bytes());
        c.extend_from_slice(&20u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&0x0021u16.to_le_bytes());
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0; 12]); // extra, comment, disk, internal attributes, external attributes
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        self.entries += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let start = self.out.len() as u32;
        let size = self.central.len() as u32;
        self.out.extend_from_slice(&self.central);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&[0; 4]); // this disk, the disk where the directory starts
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&size.to_le_bytes());
        self.out.extend_from_slice(&start.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes());
        self.out
    }
}

/// CRC-32 (IEEE, reflected, as zip uses it), a bit at a time: the files are small and a table
/// would be 1 KB of the worker for nothing a reader notices.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_of_known_strings() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
    }

    #[test]
    fn column_names_as_excel_writes_them() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702].iter().map(|&i| column_name(i)).collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn escaping_and_sheet_names() {
        let s = |n: &str| Sheet { name: n.into(), rows: vec![], header_rows: 0 };
        let names = sheet_names(&[s("Bảng: 2024/2025"), s(""), s("bảng 20242025"), s(&"x".repeat(40))]);
        assert_eq!(names[0], "Bảng 20242025");
        assert_eq!(names[1], "Sheet2");
        assert_eq!(names[2], "bảng 20242025 (3)", "names are unique whatever their case");
        assert_eq!(names[3].chars().count(), 31);
    }

    #[test]
    fn numbers_read_back_exactly() {
        for v in [0.0, -0.0, 1.0, 3034208.42, 0.383, 1e21, -12.5, 1.0 / 3.0] {
            let t = number_text(v);
            assert!(!t.contains('e') && !t.contains('E'), "{t}");
            assert_eq!(t.parse::<f64>().unwrap(), if v == 0.0 { 0.0 } else { v }, "{t}");
        }
    }

    #[test]
    fn widths_fit_the_widest_cell_but_not_a_source_line() {
        let sheet = Sheet {
            name: "t".into(),
            rows: vec![
                vec![Cell::Text("Mã".into()), Cell::Text("Tỉnh".into()), Cell::Text("Số lao động".into())],
                vec![Cell::Text("19".into()), Cell::Text("Thái Nguyên".into()), Cell::Number(1234567.0, NumFormat::Whole)],
                vec![],
                vec![Cell::Text("Nguồn: một dòng rất dài không được làm rộng cột đầu tiên của bảng".into())],
            ],
            header_rows: 1,
        };
        // "Mã" and "19": the least width; "Thái Nguyên" 11; "1,234,567" 9 < "Số lao động" 11.
        assert_eq!(widths(&sheet), vec![8.0, 13.0, 13.0]);
    }
}
