//! The messages between the page and the own-data worker, and their bytes.
//!
//! Why bytes of our own rather than JavaScript objects or JSON: each side then reads a message with
//! a few lines of plain Rust (no `Reflect` calls, no serde in the page's wasm), and the encoding is
//! tested natively here. A message travels as the first element of a JavaScript array; the large
//! buffers that go with it (the file, the packed dataset, the JSON to keep) follow as further
//! elements and are *transferred*, never copied (see `crate::worker` and `ui::own_data`).
//!
//! A report reaches the page already rendered in both languages ([`ReportView`]): the page shows
//! it, switches its language and downloads it as CSV without the checks' texts, the field labels
//! or another trip to the worker.
//!
//! Layout: a tag byte, then the fields in order: `u32` little-endian lengths and counts, UTF-8
//! strings as a length and bytes, `f64` little-endian. [`ToWorker::decode`] and
//! [`FromWorker::decode`] never panic: a short, long or garbled message is an error.

use crate::engine::error::Phrase;
use crate::engine::xlsx_out::{Book, Cell, NumFormat, Sheet};

/// Where a file the worker is asked to check comes from (it decides the size limit and what the
/// page does with the result).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Picked or dropped by the user: a `File`, read by the worker.
    File,
    /// Kept on this device (`ld=`), in the JSON form, checked again (kept by an earlier release).
    Stored,
    /// Fetched by the page from a `data=` link.
    Remote,
}

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum ToWorker {
    /// Check a dataset file. Its bytes go with the message: a `File` for [`Origin::File`], an
    /// `ArrayBuffer` otherwise.
    Open {
        /// The file's name (the host for a `data=` link, the id for a kept dataset).
        name: String,
        /// Where it comes from.
        origin: Origin,
    },
    /// The user's choice in the CSV mapping step: the field code of each column (`None`:
    /// ignored) and the province codes' boundary version (63 or 34).
    Mapping {
        /// Field code per column, in column order.
        columns: Vec<Option<String>>,
        /// 63 or 34.
        boundary: u8,
    },
    /// Write this workbook as an `.xlsx` (`engine::xlsx_out`), the answer being
    /// [`FromWorker::Exported`]: the page holds the tables, the worker the writer.
    Export(Book),
    /// Read sheet `n` (of [`SheetsView::names`]) of the workbook the worker holds instead, and
    /// ask for its mapping. Only the workbook worker answers it.
    Sheet(u32),
}

/// The worksheets of an opened workbook, for the user to pick one in the mapping step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SheetsView {
    /// The sheets' names, in tab order.
    pub names: Vec<String>,
    /// The sheet read (the first that looks like a register, unless the user picked another).
    pub chosen: u32,
    /// Why the sheet the user picked could not be read (the choice stayed on `chosen`).
    pub note: Option<Phrase>,
}

/// What the work is busy with, for the progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file.
    Reading,
    /// Converting a CSV into the format.
    Converting,
    /// Parsing and checking.
    Checking,
}

/// One column of the CSV mapping step.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnView {
    /// The header, as written.
    pub header: String,
    /// The guessed field's code, if any.
    pub guess: Option<String>,
    /// Whether the header is a known spelling of the field.
    pub sure: bool,
    /// The first non-empty values of the column.
    pub samples: Vec<String>,
}

/// A field the user may pick for a column.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldOption {
    /// The field's code (`workers`).
    pub code: String,
    /// Its label in both languages (`Số lao động`, `Workers`).
    pub label: Phrase,
}

/// The CSV mapping step, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingView {
    /// The columns, in file order.
    pub columns: Vec<ColumnView>,
    /// Every field a column can hold, in the format's order.
    pub fields: Vec<FieldOption>,
    /// The boundary version the province column seems to follow (63 or 34).
    pub boundary: u8,
    /// Bytes of text to convert (for the progress bar once confirmed).
    pub size: f64,
}

/// One issue of a report, rendered: where, what was found, what was expected, and every row
/// with that mistake.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueView {
    /// `hàng 12, cột Số lao động` / `row 12, field "workers"`; for a mistake repeated in many
    /// rows `cột Năm, 30 hàng (2–31)`; empty for the file.
    pub place: Phrase,
    /// What was found.
    pub found: Phrase,
    /// What would be right.
    pub expected: Phrase,
    /// Every row with this mistake, as inclusive runs (the page lists them on demand when there
    /// are two or more); empty for an issue of the whole file.
    pub rows: Vec<(u32, u32)>,
    /// The column of the report table: `Số lao động` / `workers` (see `Issue::column`).
    pub column: Phrase,
}

impl IssueView {
    /// The issue as one line in `lang` (`engine::error::sentence`).
    pub fn text(&self, lang: crate::engine::vocab::Lang) -> String {
        crate::engine::error::sentence(self.place.get(lang), &self.found, &self.expected, lang)
    }
}

/// A report as the page shows it, in both languages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportView {
    /// The listed errors, from the top of the file down.
    pub errors: Vec<IssueView>,
    /// The listed warnings, from the top of the file down.
    pub warnings: Vec<IssueView>,
    /// Errors found beyond those listed.
    pub more_errors: u32,
    /// Warnings found beyond those listed.
    pub more_warnings: u32,
    /// The report as a CSV table, in each language (the download).
    pub csv: Phrase,
    /// A name for the download, made from the file's name (`ho-so-2024`).
    pub stem: String,
}

impl ReportView {
    /// Total number of errors, listed or not: a mistake repeated in 31 rows counts 31.
    pub fn error_count(&self) -> usize {
        // An issue without rows (of the whole file) counts one.
        let rows = |i: &IssueView| i.rows.iter().map(|&(a, b)| (b.saturating_sub(a) as usize) + 1).sum::<usize>().max(1);
        self.errors.iter().map(rows).sum::<usize>() + self.more_errors as usize
    }

    /// The report as an Excel workbook (`engine::xlsx_out`), for the report's download: the same
    /// table as the CSV (`hàng`, `cột`, `vấn đề`, `cần`, `mức`), a single row as a number cell,
    /// the rows of a repeated mistake as text (`2–31; 40`), then how many were not listed and the
    /// file's name. Built by the page from what it shows; the worker writes the bytes.
    pub fn book(&self, file_name: &str, lang: crate::engine::vocab::Lang) -> Book {
        use crate::engine::vocab::Lang;
        let vi = lang == Lang::Vi;
        let header = if vi { ["Hàng", "Cột", "Vấn đề", "Cần", "Mức"] } else { ["Row", "Field", "Found", "Expected", "Severity"] };
        let mut rows: Vec<Vec<Cell>> = vec![header.iter().map(|h| Cell::Text(h.to_string())).collect()];
        let lists = [(&self.errors, if vi { "lỗi" } else { "error" }), (&self.warnings, if vi { "cảnh báo" } else { "warning" })];
        for (list, severity) in lists {
            for i in list {
                let row = match i.rows.as_slice() {
                    [] => Cell::Empty,
                    [(a, b)] if a == b => Cell::Number(f64::from(*a), NumFormat::Whole),
                    runs => {
                        let runs: Vec<(usize, usize)> = runs.iter().map(|&(a, b)| (a as usize, b as usize)).collect();
                        Cell::Text(crate::engine::error::all_rows_text(&runs, lang))
                    }
                };
                let text = |p: &Phrase| Cell::Text(p.get(lang).to_string());
                rows.push(vec![row, text(&i.column), text(&i.found), text(&i.expected), Cell::Text(severity.into())]);
            }
        }
        rows.push(Vec::new());
        for (n, vi_word, en_word) in [(self.more_errors, "lỗi", "errors"), (self.more_warnings, "cảnh báo", "warnings")] {
            if n > 0 {
                rows.push(vec![Cell::Text(if vi { format!("còn {n} {vi_word} không liệt kê") } else { format!("{n} more {en_word} not listed") })]);
            }
        }
        rows.push(vec![Cell::Text(format!("{}: {file_name}", if vi { "Tệp" } else { "File" }))]);
        Book { sheets: vec![Sheet { name: (if vi { "Báo cáo" } else { "Report" }).into(), rows, header_rows: 1 }] }
    }

    /// The report as lines of text in `lang` (a `data=` or `ld=` failure is shown as one message).
    pub fn text(&self, lang: crate::engine::vocab::Lang) -> String {
        self.errors.iter().map(|i| i.text(lang)).collect::<Vec<_>>().join("; ")
    }
}

/// What the worker tells the page.
#[derive(Clone, Debug, PartialEq)]
pub enum FromWorker {
    /// The worker's wasm is running and listening (messages posted before are lost).
    Ready,
    /// `done` of `total` units of the current stage.
    Progress {
        /// What it is busy with.
        stage: Stage,
        /// Work done.
        done: f64,
        /// Work in all.
        total: f64,
    },
    /// A CSV needs the user to say what some columns hold.
    Mapping(MappingView),
    /// The file passed every check. With it go the packed dataset (`engine::wire`) and the
    /// dataset's JSON form to keep on the device.
    Done {
        /// Warnings (not blocking).
        warnings: ReportView,
    },
    /// The file was refused.
    Refused(ReportView),
    /// The workbook asked for by [`ToWorker::Export`]; its bytes go with the message.
    Exported,
    /// A workbook's sheets and the one read; posted before its [`FromWorker::Mapping`].
    Sheets(SheetsView),
}

/// Why a message could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError(pub String);

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "own-data worker message: {}", self.0)
    }
}

// ---- writing ---------------------------------------------------------------------------------

// The byte primitives are the packed dataset's (`engine::wire::Writer`); the messages add
// their own fields to it.
use crate::engine::wire::Writer;

impl Writer {
    fn phrase(&mut self, p: &Phrase) {
        self.str(&p.vi);
        self.str(&p.en);
    }
    fn issues(&mut self, list: &[IssueView]) {
        self.len(list.len());
        for i in list {
            self.phrase(&i.place);
            self.phrase(&i.found);
            self.phrase(&i.expected);
            self.len(i.rows.len());
            for &(a, b) in &i.rows {
                self.u32(a);
                self.u32(b);
            }
            self.phrase(&i.column);
        }
    }
    fn book(&mut self, b: &Book) {
        self.len(b.sheets.len());
        for s in &b.sheets {
            self.str(&s.name);
            self.u32(s.header_rows);
            self.len(s.rows.len());
            for row in &s.rows {
                self.len(row.len());
                for cell in row {
                    match cell {
                        Cell::Empty => self.u8(0),
                        Cell::Text(t) => {
                            self.u8(1);
                            self.str(t);
                        }
                        Cell::Number(v, f) => {
                            self.u8(2);
                            self.f64(*v);
                            self.u8(match f {
                                NumFormat::Whole => 0,
                                NumFormat::Decimal => 1,
                                NumFormat::Percent => 2,
                            });
                        }
                    }
                }
            }
        }
    }
    fn report(&mut self, r: &ReportView) {
        self.issues(&r.errors);
        self.issues(&r.warnings);
        self.len(r.more_errors as usize);
        self.len(r.more_warnings as usize);
        self.phrase(&r.csv);
        self.str(&r.stem);
    }
}

// ---- reading ---------------------------------------------------------------------------------

// The byte primitives are the packed dataset's too (`engine::wire::Reader`): every read checked
// against what is left, every error naming the field and the byte it starts at. The messages add
// their own fields to it, as to the `Writer`.
use crate::engine::wire::{Reader, WireError};

type Read<T> = Result<T, WireError>;

impl From<WireError> for ProtocolError {
    fn from(e: WireError) -> ProtocolError {
        ProtocolError(e.0)
    }
}

impl Reader<'_> {
    fn phrase(&mut self, what: &str) -> Read<Phrase> {
        let vi = self.str(what)?;
        let en = self.str(what)?;
        Ok(Phrase { en, vi })
    }
    fn issues(&mut self, what: &str) -> Read<Vec<IssueView>> {
        let n = self.count(what, 36)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let (place, found, expected) = (self.phrase("issue.place")?, self.phrase("issue.found")?, self.phrase("issue.expected")?);
            let k = self.count("issue.rows", 8)?;
            let mut rows = Vec::with_capacity(k);
            for _ in 0..k {
                rows.push((self.u32("issue.rows")?, self.u32("issue.rows")?));
            }
            out.push(IssueView { place, found, expected, rows, column: self.phrase("issue.column")? });
        }
        Ok(out)
    }
    fn book(&mut self) -> Read<Book> {
        let n = self.count("book.sheets", 12)?;
        let mut sheets = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.str("sheet.name")?;
            let header_rows = self.u32("sheet.header_rows")?;
            let rows_n = self.count("sheet.rows", 4)?;
            let mut rows = Vec::with_capacity(rows_n);
            for _ in 0..rows_n {
                let k = self.count("row", 1)?;
                let mut row = Vec::with_capacity(k);
                for _ in 0..k {
                    row.push(match self.u8("cell")? {
                        0 => Cell::Empty,
                        1 => Cell::Text(self.str("cell")?),
                        2 => {
                            let v = self.f64("cell")?;
                            let f = match self.u8("cell.format")? {
                                0 => NumFormat::Whole,
                                1 => NumFormat::Decimal,
                                2 => NumFormat::Percent,
                                f => return Err(self.error("cell.format", format!("unknown number format {f}"))),
                            };
                            Cell::Number(v, f)
                        }
                        t => return Err(self.error("cell", format!("unknown cell tag {t}"))),
                    });
                }
                rows.push(row);
            }
            sheets.push(Sheet { name, rows, header_rows });
        }
        Ok(Book { sheets })
    }
    fn report(&mut self) -> Read<ReportView> {
        Ok(ReportView {
            errors: self.issues("report.errors")?,
            warnings: self.issues("report.warnings")?,
            more_errors: self.u32("report.more_errors")?,
            more_warnings: self.u32("report.more_warnings")?,
            csv: self.phrase("report.csv")?,
            stem: self.str("report.stem")?,
        })
    }
}

fn origin_code(o: Origin) -> u8 {
    match o {
        Origin::File => 0,
        Origin::Stored => 1,
        Origin::Remote => 2,
    }
}

fn stage_code(s: Stage) -> u8 {
    match s {
        Stage::Reading => 0,
        Stage::Converting => 1,
        Stage::Checking => 2,
    }
}

impl ToWorker {
    /// The message as bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        match self {
            ToWorker::Open { name, origin } => {
                w.u8(1);
                w.str(name);
                w.u8(origin_code(*origin));
            }
            ToWorker::Mapping { columns, boundary } => {
                w.u8(2);
                w.len(columns.len());
                for c in columns {
                    w.opt_str(c.as_deref());
                }
                w.u8(*boundary);
            }
            // Tags from 20 up: the export's own, apart from the loading messages'.
            ToWorker::Export(book) => {
                w.u8(20);
                w.book(book);
            }
            // Workbook messages take tags from 32 up.
            ToWorker::Sheet(n) => {
                w.u8(32);
                w.u32(*n);
            }
        }
        w.0
    }

    /// Reads a message written by [`ToWorker::encode`].
    pub fn decode(bytes: &[u8]) -> Result<ToWorker, ProtocolError> {
        let mut r = Reader::new(&bytes);
        let msg = match r.u8("message")? {
            1 => ToWorker::Open {
                name: r.str("open.name")?,
                origin: match r.u8("open.origin")? {
                    0 => Origin::File,
                    1 => Origin::Stored,
                    2 => Origin::Remote,
                    o => return Err(r.error("open.origin", format!("unknown origin {o}")).into()),
                },
            },
            2 => {
                let n = r.count("mapping.columns", 1)?;
                let mut columns = Vec::with_capacity(n);
                for _ in 0..n {
                    columns.push(r.opt_str("mapping.column")?);
                }
                ToWorker::Mapping { columns, boundary: r.u8("mapping.boundary")? }
            }
            20 => ToWorker::Export(r.book()?),
            32 => ToWorker::Sheet(r.u32("sheet")?),
            t => return Err(r.error("message", format!("unknown message {t}")).into()),
        };
        r.end("message")?;
        Ok(msg)
    }
}

impl FromWorker {
    /// The message as bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        match self {
            FromWorker::Ready => w.u8(1),
            FromWorker::Progress { stage, done, total } => {
                w.u8(2);
                w.u8(stage_code(*stage));
                w.f64(*done);
                w.f64(*total);
            }
            FromWorker::Mapping(m) => {
                w.u8(3);
                w.len(m.columns.len());
                for c in &m.columns {
                    w.str(&c.header);
                    w.opt_str(c.guess.as_deref());
                    w.u8(u8::from(c.sure));
                    w.len(c.samples.len());
                    for s in &c.samples {
                        w.str(s);
                    }
                }
                w.len(m.fields.len());
                for f in &m.fields {
                    w.str(&f.code);
                    w.phrase(&f.label);
                }
                w.u8(m.boundary);
                w.f64(m.size);
            }
            FromWorker::Done { warnings } => {
                w.u8(4);
                w.report(warnings);
            }
            FromWorker::Refused(r) => {
                w.u8(5);
                w.report(r);
            }
            FromWorker::Exported => w.u8(20),
            FromWorker::Sheets(v) => {
                w.u8(32);
                w.len(v.names.len());
                for n in &v.names {
                    w.str(n);
                }
                w.u32(v.chosen);
                match &v.note {
                    Some(p) => {
                        w.u8(1);
                        w.phrase(p);
                    }
                    None => w.u8(0),
                }
            }
        }
        w.0
    }

    /// Reads a message written by [`FromWorker::encode`].
    pub fn decode(bytes: &[u8]) -> Result<FromWorker, ProtocolError> {
        let mut r = Reader::new(&bytes);
        let msg = match r.u8("message")? {
            1 => FromWorker::Ready,
            2 => FromWorker::Progress {
                stage: match r.u8("progress.stage")? {
                    0 => Stage::Reading,
                    1 => Stage::Converting,
                    2 => Stage::Checking,
                    s => return Err(r.error("progress.stage", format!("unknown stage {s}")).into()),
                },
                done: r.f64("progress.done")?,
                total: r.f64("progress.total")?,
            },
            3 => {
                let n = r.count("mapping.columns", 10)?;
                let mut columns = Vec::with_capacity(n);
                for _ in 0..n {
                    let header = r.str("column.header")?;
                    let guess = r.opt_str("column.guess")?;
                    let sure = r.flag("column.sure")?;
                    let k = r.count("column.samples", 4)?;
                    let mut samples = Vec::with_capacity(k);
                    for _ in 0..k {
                        samples.push(r.str("column.samples")?);
                    }
                    columns.push(ColumnView { header, guess, sure, samples });
                }
                let n = r.count("mapping.fields", 12)?;
                let mut fields = Vec::with_capacity(n);
                for _ in 0..n {
                    fields.push(FieldOption { code: r.str("field.code")?, label: r.phrase("field.label")? });
                }
                FromWorker::Mapping(MappingView { columns, fields, boundary: r.u8("mapping.boundary")?, size: r.f64("mapping.size")? })
            }
            4 => FromWorker::Done { warnings: r.report()? },
            5 => FromWorker::Refused(r.report()?),
            20 => FromWorker::Exported,
            32 => {
                let n = r.count("sheets.names", 4)?;
                let mut names = Vec::with_capacity(n);
                for _ in 0..n {
                    names.push(r.str("sheets.names")?);
                }
                let chosen = r.u32("sheets.chosen")?;
                let note = if r.flag("sheets.note")? { Some(r.phrase("sheets.note")?) } else { None };
                FromWorker::Sheets(SheetsView { names, chosen, note })
            }
            t => return Err(r.error("message", format!("unknown message {t}")).into()),
        };
        r.end("message")?;
        Ok(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::vocab::Lang;

    fn report() -> ReportView {
        ReportView {
            errors: vec![IssueView {
                place: Phrase::new("row 2, field \"province\"", "hàng 2, cột Tỉnh"),
                found: Phrase::same("\"99\""),
                expected: Phrase::new("a province code", "mã tỉnh"),
                rows: vec![(2, 2)],
                column: Phrase::new("province", "Tỉnh"),
            }, IssueView {
                place: Phrase::new("field \"year\", 31 rows (2–31, 40)", "cột Năm, 31 hàng (2–31; 40)"),
                found: Phrase::new("a blank cell", "ô trống"),
                expected: Phrase::new("a year", "năm"),
                rows: vec![(2, 31), (40, 40)],
                column: Phrase::new("year", "Năm"),
            }],
            warnings: vec![IssueView { place: Phrase::same(""), found: Phrase::same("x"), expected: Phrase::new("y", "ý"), rows: vec![], column: Phrase::default() }],
            more_errors: 70,
            more_warnings: 0,
            csv: Phrase::new("row,field\n", "hàng,trường\n"),
            stem: "ho-so".into(),
        }
    }

    fn every_message() -> (Vec<ToWorker>, Vec<FromWorker>) {
        let to = vec![
            ToWorker::Open { name: "hồ sơ.csv".into(), origin: Origin::File },
            ToWorker::Open { name: "so-lieu.example.vn".into(), origin: Origin::Remote },
            ToWorker::Open { name: "ld-id".into(), origin: Origin::Stored },
            ToWorker::Mapping { columns: vec![Some("id".into()), None, Some("workers".into())], boundary: 34 },
            ToWorker::Mapping { columns: vec![], boundary: 63 },
            ToWorker::Export(Book::default()),
            ToWorker::Export(Book {
                sheets: vec![
                    Sheet {
                        name: "Bảng".into(),
                        rows: vec![
                            vec![Cell::Text("Mã".into()), Cell::Text("Số HTX".into())],
                            vec![Cell::Text("19".into()), Cell::Number(3034208.42, NumFormat::Decimal), Cell::Empty, Cell::Number(0.383, NumFormat::Percent)],
                            vec![],
                            vec![Cell::Number(-1.0, NumFormat::Whole)],
                        ],
                        header_rows: 1,
                    },
                    Sheet { name: String::new(), rows: vec![], header_rows: 0 },
                ],
            }),
            ToWorker::Sheet(2),
        ];
        let from = vec![
            FromWorker::Ready,
            FromWorker::Progress { stage: Stage::Reading, done: 4.0e6, total: 6.5e7 },
            FromWorker::Progress { stage: Stage::Converting, done: 0.0, total: 1.0 },
            FromWorker::Progress { stage: Stage::Checking, done: 3.5, total: 4.0 },
            FromWorker::Mapping(MappingView {
                columns: vec![
                    ColumnView { header: "Mã".into(), guess: Some("id".into()), sure: true, samples: vec!["A1".into(), "A2".into()] },
                    ColumnView { header: "ghi chu".into(), guess: None, sure: false, samples: vec![] },
                ],
                fields: vec![FieldOption { code: "workers".into(), label: Phrase::new("Workers", "Số lao động") }],
                boundary: 63,
                size: 1234.0,
            }),
            FromWorker::Done { warnings: ReportView::default() },
            FromWorker::Done { warnings: report() },
            FromWorker::Refused(report()),
            FromWorker::Exported,
            FromWorker::Sheets(SheetsView { names: vec!["Hướng dẫn".into(), "Danh sách HTX".into()], chosen: 1, note: None }),
            FromWorker::Sheets(SheetsView { names: vec!["A".into(), "B".into()], chosen: 0, note: Some(Phrase::new("sheet B: …", "trang B: …")) }),
            FromWorker::Sheets(SheetsView::default()),
        ];
        (to, from)
    }

    #[test]
    fn every_message_reads_back_as_written() {
        let (to, from) = every_message();
        for m in to {
            assert_eq!(ToWorker::decode(&m.encode()), Ok(m.clone()), "{m:?}");
        }
        for m in from {
            assert_eq!(FromWorker::decode(&m.encode()), Ok(m.clone()), "{m:?}");
        }
    }

    #[test]
    fn every_cut_or_lengthened_message_is_an_error_not_a_panic() {
        let (to, from) = every_message();
        let all: Vec<(Vec<u8>, bool)> = to.iter().map(|m| (m.encode(), true)).chain(from.iter().map(|m| (m.encode(), false))).collect();
        for (bytes, to_worker) in all {
            let read = |b: &[u8]| if to_worker { ToWorker::decode(b).is_ok() } else { FromWorker::decode(b).is_ok() };
            for cut in 0..bytes.len() {
                assert!(!read(&bytes[..cut]), "{bytes:?} cut at {cut} was read");
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(!read(&longer), "{bytes:?} with a byte more was read");
        }
    }

    #[test]
    fn garbled_messages_are_errors_naming_what_is_wrong() {
        // Each error names the field being read and the byte where it starts.
        fn error<T>(s: &str) -> Result<T, ProtocolError> {
            Err(ProtocolError(s.into()))
        }
        assert_eq!(ToWorker::decode(&[9]), error("message at byte 0: unknown message 9"));
        assert_eq!(FromWorker::decode(&[]), error("message at byte 0: the data ends early"));
        assert_eq!(FromWorker::decode(&[2, 7, 0]), error("progress.stage at byte 1: unknown stage 7"));
        assert_eq!(FromWorker::decode(&[2, 0, 0, 0]), error("progress.done at byte 2: the data ends early"));
        // A count of four billion columns in a message of a few bytes reserves nothing.
        assert_eq!(
            FromWorker::decode(&[3, 0xff, 0xff, 0xff, 0xff]),
            error("mapping.columns at byte 1: a length of 4294967295 is longer than the data")
        );
        // Bytes that are not UTF-8 in a name.
        assert_eq!(ToWorker::decode(&[1, 1, 0, 0, 0, 0xff, 0]), error("open.name at byte 1: not UTF-8 text"));
        // A byte after a whole message.
        assert_eq!(ToWorker::decode(&[32, 2, 0, 0, 0, 0]), error("message at byte 5: bytes left after its end: 1"));
        // A cell of an export, deep in the message, is placed exactly: tag, sheet count, name, header rows, row count, cell count, cell.
        let mut cell = vec![20, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7];
        assert_eq!(ToWorker::decode(&cell), error("cell at byte 21: unknown cell tag 7"));
        cell.truncate(21);
        cell.extend([2, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
        assert_eq!(ToWorker::decode(&cell), error("cell.format at byte 30: unknown number format 9"));
        assert_eq!(ProtocolError("x at byte 0: y".into()).to_string(), "own-data worker message: x at byte 0: y");
        // Every single-byte change of a message either reads or fails: never a panic.
        for m in every_message().1 {
            let bytes = m.encode();
            for i in 0..bytes.len() {
                for v in [0u8, 1, 0x7f, 0xff] {
                    let mut b = bytes.clone();
                    b[i] = v;
                    let _ = FromWorker::decode(&b);
                }
            }
        }
    }

    #[test]
    fn a_report_reads_as_one_line_per_language() {
        let r = report();
        assert_eq!(r.error_count(), 1 + 31 + 70);
        assert_eq!(r.text(Lang::Vi), "hàng 2, cột Tỉnh: ghi \"99\", cần mã tỉnh; cột Năm, 31 hàng (2–31; 40): ô trống, cần năm");
        assert_eq!(
            r.text(Lang::En),
            "row 2, field \"province\": found \"99\", expected a province code; field \"year\", 31 rows (2–31, 40): found a blank cell, expected a year"
        );
    }
}
