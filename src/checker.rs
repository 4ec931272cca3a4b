//! What the own-data worker does with a user's file, without JavaScript: decide JSON or CSV, read
//! a CSV's header and guess its columns, convert it with the user's mapping, parse and check in
//! steps with progress, and pack the checked dataset (`engine::wire`) or render the report in both
//! languages ([`protocol::ReportView`]). A workbook ([`BookJob`], in the workbook worker only)
//! becomes a [`CsvJob`] too: its chosen sheet's grid goes through the CSV reader, so from the
//! mapping step on a workbook and a CSV are one path.
//!
//! Why a module of its own, apart from the worker's JavaScript side (`crate::worker`): the same
//! steps run natively in the tests below, end to end, from the bytes of a file to the message the
//! page receives. The page's wasm links none of this but [`protocol`]: the parser, the CSV
//! importer, the checks and their bilingual messages live only in the worker's wasm.

pub mod protocol;

use crate::engine::byte_source::ByteSource;
use crate::engine::csv_import::{self, CsvFile, CsvMeta, Field, Guess, RowMap};
use crate::engine::dataset::Text;
use crate::engine::error::{Issue, Phrase, Report};
use crate::engine::incremental::{IncrementalParser, BATCH_ROWS};
use crate::engine::parse::{self, Limits};
use crate::engine::vocab::{Boundary, Lang};
use crate::engine::workbook::{Grid, Workbook, WorkbookError};

use protocol::{ColumnView, FieldOption, IssueView, MappingView, Origin, ReportView, SheetsView, Stage};

/// Bytes at the start of a file that decide whether it is a CSV (its first line is its header).
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The size limit for a file from `origin`: a kept dataset passed it when it was first opened
/// (and its JSON form may be larger than the CSV it came from), so it is not held to it again.
pub fn limits(origin: Origin) -> Limits {
    match origin {
        Origin::Stored => Limits { max_bytes: usize::MAX },
        Origin::File | Origin::Remote => Limits::default(),
    }
}

/// The report for a file over the size limit, before a byte of it is read.
pub fn too_large(name: &str, size: f64, origin: Origin) -> Option<ReportView> {
    let max = limits(origin).max_bytes;
    (size > max as f64).then(|| {
        report_view(Report::single(Issue::error(parse::file_size(size as usize), parse::size_limit(max))), name)
    })
}

/// The report for a file the browser could not read (moved, deleted, no permission).
pub fn unreadable(name: &str) -> ReportView {
    report_view(
        Report::single(Issue::error(
            Phrase::new("a file that cannot be read (was it moved or deleted?)", "không đọc được tệp (có phải tệp đã bị chuyển đi hoặc xóa?)"),
            Phrase::new("a readable file", "chọn lại tệp; nếu tệp nằm trên ổ mạng hay điện thoại, hãy chép vào máy trước"),
        )),
        name,
    )
}

/// A CSV by its name, or by its first character when the name says nothing (a JSON dataset
/// starts with `{`, after an optional byte-order mark and spaces). `bytes` is the start of the
/// file; `truncated` says there is more, so a first line cut in the middle of a character is not
/// taken for invalid text.
pub fn looks_like_csv(name: &str, bytes: &[u8], truncated: bool) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt") {
        return true;
    }
    if lower.ends_with(".json") {
        return false;
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let first = body.iter().copied().find(|b| !b.is_ascii_whitespace());
    // Text that is not JSON and has a separator on its first line reads as CSV; anything else
    // goes to the JSON reader, whose messages say what the file looks like (image, HTML, UTF-16).
    let line: &[u8] = body.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let text = match std::str::from_utf8(line) {
        Ok(_) => true,
        Err(e) => truncated && line.len() == body.len() && e.error_len().is_none(),
    };
    !matches!(first, Some(b'{' | b'[') | None) && text && line.iter().any(|&b| b == b';' || b == b',' || b == b'\t')
}

fn issue_view(i: &Issue) -> IssueView {
    let sat = |r: usize| u32::try_from(r).unwrap_or(u32::MAX);
    IssueView {
        place: Phrase::new(i.place(Lang::En), i.place(Lang::Vi)),
        found: i.found.clone(),
        expected: i.expected.clone(),
        rows: i.row_ranges().into_iter().map(|(a, b)| (sat(a), sat(b))).collect(),
        column: Phrase::new(i.column(Lang::En), i.column(Lang::Vi)),
    }
}

/// A report rendered for the page: listed from the top of the file down (the checks find issues
/// a column at a time), each place in both languages, and the CSV download in both.
pub fn report_view(mut report: Report, file_name: &str) -> ReportView {
    report.sort_by_place();
    ReportView {
        errors: report.errors.iter().map(issue_view).collect(),
        warnings: report.warnings.iter().map(issue_view).collect(),
        more_errors: report.more_errors as u32,
        more_warnings: report.more_warnings as u32,
        csv: Phrase::new(report.to_csv(Lang::En), report.to_csv(Lang::Vi)),
        stem: csv_import::id_from_file_name(file_name),
    }
}

/// Parses and checks a dataset in the JSON format from `source`, reporting progress after each
/// step; `rows` renumbers the issues of a converted CSV to its spreadsheet rows. On success, the
/// dataset packed for the page and its warnings.
pub fn check_json(
    name: &str,
    source: Box<dyn ByteSource>,
    origin: Origin,
    rows: Option<&RowMap>,
    progress: &mut dyn FnMut(Stage, f64, f64),
) -> Result<(Vec<u8>, ReportView), ReportView> {
    let mut parser = IncrementalParser::with_source(source, limits(origin), BATCH_ROWS);
    loop {
        let p = parser.step(1 << 20);
        progress(Stage::Checking, p.done as f64, p.total as f64);
        if p.finished {
            break;
        }
    }
    match parser.finish() {
        Ok(mut parsed) => {
            if let Some(rows) = rows {
                rows.remap(&mut parsed.warnings);
            }
            let wire = crate::engine::wire::encode(&parsed.dataset);
            Ok((wire, report_view(parsed.warnings, name)))
        }
        Err(mut report) => {
            if let Some(rows) = rows {
                rows.remap(&mut report);
            }
            Err(report_view(report, name))
        }
    }
}

/// A table read up to its mapping step, from a CSV or a workbook's sheet: the file, the guess for
/// each column and for the boundary.
pub struct CsvJob {
    name: String,
    file: CsvFile,
    guesses: Vec<Guess>,
    boundary: Boundary,
    /// The workbook sheet it comes from (the report then names cells: `Sheet1!C12`).
    sheet: Option<String>,
}

impl CsvJob {
    /// Reads the header and first rows of a CSV and guesses what each column holds.
    pub fn read(name: &str, bytes: &[u8]) -> Result<CsvJob, ReportView> {
        let file = csv_import::read(bytes, &Limits::default()).map_err(|r| report_view(r, name))?;
        Ok(CsvJob::from_file(name, file, None))
    }

    /// The same for a workbook's sheet: its grid goes through the CSV reader
    /// ([`csv_import::from_grid`]), so the header search, column guess, conversion and checks are
    /// those of a CSV.
    pub fn from_grid(name: &str, grid: &Grid) -> Result<CsvJob, ReportView> {
        let file = csv_import::from_grid(grid).map_err(|r| report_view(r, name))?;
        Ok(CsvJob::from_file(name, file, Some(grid.sheet.clone())))
    }

    fn from_file(name: &str, file: CsvFile, sheet: Option<String>) -> CsvJob {
        let guesses = csv_import::guess_mapping(&file.headers);
        let choice: Vec<Option<Field>> = guesses.iter().map(|g| g.field).collect();
        let boundary = csv_import::province_column_boundary(&file, &choice);
        CsvJob { name: name.to_string(), file, guesses, boundary, sheet }
    }

    /// Whether the header row holds at least two columns surely recognised: the sheet is a
    /// register (a notes or instructions sheet is not).
    pub fn looks_like_register(&self) -> bool {
        csv_import::is_register_header(&self.file.headers)
    }

    /// The file's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the user must confirm the mapping (a column not surely recognised, a required
    /// field without a column).
    pub fn needs_mapping(&self) -> bool {
        csv_import::needs_mapping(&self.guesses)
    }

    /// The mapping step for the page.
    pub fn view(&self) -> MappingView {
        let columns = self
            .file
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let guess = self.guesses.get(i).copied().unwrap_or(Guess { field: None, sure: false });
                ColumnView {
                    header: h.clone(),
                    guess: guess.field.map(|f| f.code().to_string()),
                    sure: guess.sure,
                    samples: self.file.preview.iter().filter_map(|r| r.get(i).cloned()).filter(|s| !s.trim().is_empty()).collect(),
                }
            })
            .collect();
        let fields = Field::ALL
            .iter()
            .map(|f| FieldOption { code: f.code().to_string(), label: Phrase::new(f.label(Lang::En), f.label(Lang::Vi)) })
            .collect();
        MappingView { columns, fields, boundary: self.boundary.number(), size: self.file.len() as f64 }
    }

    /// The guessed mapping, as the mapping step preselects it.
    pub fn guessed(&self) -> (Vec<Option<Field>>, Boundary) {
        (self.guesses.iter().map(|g| g.field).collect(), self.boundary)
    }

    /// Converts the CSV into the JSON format with the fields `choice` (one per column) and the
    /// province codes' `boundary`, reporting progress; the JSON text and the spreadsheet row of
    /// each entity (for [`check_json`]).
    pub fn convert(self, choice: &[Option<Field>], boundary: Boundary, progress: &mut dyn FnMut(Stage, f64, f64)) -> Result<(String, RowMap), ReportView> {
        let name = self.name;
        let meta = CsvMeta {
            id: csv_import::id_from_file_name(&name),
            title: name.clone(),
            publisher: Text::new(&format!("Tệp của người dùng ({name})"), &format!("User's file ({name})")),
            boundary,
        };
        let total = self.file.len() as f64;
        let mut conv = csv_import::Converter::new(&self.file, choice, meta).map_err(|r| report_view(r, &name))?;
        if let Some(sheet) = &self.sheet {
            conv = conv.in_sheet(sheet);
        }
        drop(self.file);
        loop {
            let p = conv.step(2_000);
            progress(Stage::Converting, p.done as f64, total);
            if p.finished {
                break;
            }
        }
        conv.into_json().map_err(|r| report_view(r, &name))
    }
}

/// A workbook opened in the worker: kept while the user picks a sheet in the mapping step.
pub struct BookJob {
    name: String,
    book: Workbook,
    chosen: usize,
}

impl BookJob {
    /// Opens a workbook and reads the sheet to preselect: the first, in tab order, whose header
    /// is a register's ([`CsvJob::looks_like_register`]), else the first visible sheet that
    /// reads. Refuses, with the workbook's own message, what cannot be opened (`.xls`, a
    /// password, a damaged zip, a zip bomb) and a workbook none of whose sheets reads.
    pub fn open(name: &str, bytes: Vec<u8>) -> Result<(BookJob, CsvJob), ReportView> {
        let refuse = |e: WorkbookError| report_view(Report::single(e.issue()), name);
        let mut book = Workbook::open(bytes).map_err(refuse)?;
        let mut fallback: Option<(usize, CsvJob)> = None;
        let mut first_error = None;
        let order: Vec<usize> = (0..book.sheets().len()).filter(|&i| !book.sheets()[i].hidden).chain((0..book.sheets().len()).filter(|&i| book.sheets()[i].hidden)).collect();
        for i in order {
            match book.read_sheet(i).map_err(refuse).and_then(|g| CsvJob::from_grid(name, &g)) {
                Ok(job) if job.looks_like_register() => return Ok((BookJob { name: name.to_string(), book, chosen: i }, job)),
                Ok(job) => {
                    if fallback.is_none() {
                        fallback = Some((i, job));
                    }
                }
                // Too large is about the whole workbook: no other sheet will read either.
                Err(r) if first_error.is_none() => first_error = Some(r),
                Err(_) => {}
            }
        }
        match fallback {
            Some((chosen, job)) => Ok((BookJob { name: name.to_string(), book, chosen }, job)),
            None => Err(first_error.unwrap_or_else(|| refuse(WorkbookError::NoSheets))),
        }
    }

    /// The sheets and the one read, for the mapping step.
    pub fn view(&self) -> SheetsView {
        SheetsView { names: self.book.sheets().iter().map(|s| s.name.clone()).collect(), chosen: self.chosen as u32, note: None }
    }

    /// Whether there is a sheet to choose (then the mapping step is always shown).
    pub fn has_choice(&self) -> bool {
        self.book.sheets().len() > 1
    }

    /// Reads sheet `index` instead. When it cannot be read (an instructions sheet of one column,
    /// an empty sheet), the choice stays where it was and the view says why
    /// ([`SheetsView::note`]): the user keeps the mapping step of the sheet that reads.
    pub fn sheet(&mut self, index: usize) -> Result<CsvJob, SheetsView> {
        let name = self.name.clone();
        let read = self.book.read_sheet(index).map_err(|e| report_view(Report::single(e.issue()), &name)).and_then(|g| CsvJob::from_grid(&name, &g));
        match read {
            Ok(job) => {
                self.chosen = index;
                Ok(job)
            }
            Err(report) => {
                let sheet = self.book.sheets().get(index).map_or(String::new(), |s| s.name.clone());
                let mut view = self.view();
                view.note = Some(Phrase::new(
                    format!("The sheet \u{201c}{sheet}\u{201d} cannot be read as a list: {}", report.text(Lang::En)),
                    format!("Không đọc được trang \u{201c}{sheet}\u{201d} thành danh sách: {}", report.text(Lang::Vi)),
                ));
                Err(view)
            }
        }
    }
}

/// The user's mapping as fields: an unknown code is an ignored column.
pub fn choice_from_codes(columns: &[Option<String>]) -> Vec<Option<Field>> {
    columns.iter().map(|c| c.as_deref().and_then(Field::from_code)).collect()
}

/// A boundary version from its number (63 unless 34).
pub fn boundary_from_number(n: u8) -> Boundary {
    Boundary::from_number(n.into()).unwrap_or(Boundary::P63)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::wire;

    fn no_progress() -> impl FnMut(Stage, f64, f64) {
        |_, _, _| {}
    }

    /// A whole file through the worker's steps, as the worker runs them for a picked file whose
    /// mapping needs no confirmation.
    fn check_file(name: &str, bytes: &[u8]) -> Result<(Vec<u8>, ReportView), ReportView> {
        if looks_like_csv(name, &bytes[..bytes.len().min(SNIFF_BYTES)], bytes.len() > SNIFF_BYTES) {
            let job = CsvJob::read(name, bytes)?;
            let (choice, boundary) = job.guessed();
            let (json, rows) = job.convert(&choice, boundary, &mut no_progress())?;
            check_json(name, Box::new(json.into_bytes()), Origin::File, Some(&rows), &mut no_progress())
        } else {
            check_json(name, Box::new(bytes.to_vec()), Origin::File, None, &mut no_progress())
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn a_good_json_file_comes_back_packed_and_decodes_to_the_parsed_dataset() {
        let bytes = fixture("fixtures/own-good.json");
        let (packed, warnings) = check_file("own-good.json", &bytes).unwrap();
        let decoded = wire::decode(&packed).unwrap();
        let parsed = parse::parse_dataset(&bytes, &Limits::default()).unwrap();
        // Compared as printed: a missing number is a NaN, which is never equal to itself. The row
        // index (a cache the decoder now fills in its last step) is built on both sides first.
        let _ = (decoded.entities.index(), parsed.dataset.entities.index());
        assert_eq!(format!("{decoded:?}"), format!("{:?}", parsed.dataset));
        assert_eq!(warnings.error_count(), 0);
    }

    #[test]
    fn a_good_csv_with_vietnamese_headers_needs_no_mapping_and_keeps_its_json_form() {
        let bytes = fixture("fixtures/own-good-vi.csv");
        let job = CsvJob::read("own-good-vi.csv", &bytes).unwrap();
        assert!(!job.needs_mapping());
        let (choice, boundary) = job.guessed();
        let mut stages = Vec::new();
        let (json, rows) = job.convert(&choice, boundary, &mut |s, d, t| stages.push((s, d, t))).unwrap();
        assert!(stages.iter().all(|&(s, d, t)| s == Stage::Converting && d <= t), "{stages:?}");
        assert_eq!(stages.last().map(|s| s.1), stages.last().map(|s| s.2), "progress ends full");
        let (packed, _) = check_json("own-good-vi.csv", Box::new(json.clone().into_bytes()), Origin::File, Some(&rows), &mut no_progress()).unwrap();
        let ds = wire::decode(&packed).unwrap();
        assert_eq!(ds.meta.id, "own-good-vi");
        assert_eq!(ds.entities.len(), 40);
        // The JSON kept on the device parses to the same dataset.
        let again = parse::parse_dataset(json.as_bytes(), &Limits { max_bytes: usize::MAX }).unwrap().dataset;
        let _ = (again.entities.index(), ds.entities.index());
        assert_eq!(format!("{again:?}"), format!("{ds:?}"));
    }

    #[test]
    fn a_csv_with_an_unknown_column_asks_with_its_guesses_and_every_field_labelled() {
        let bytes = fixture("fixtures/own-needs-mapping.csv");
        let job = CsvJob::read("own-needs-mapping.csv", &bytes).unwrap();
        assert!(job.needs_mapping());
        let view = job.view();
        assert_eq!(view.columns[0].guess.as_deref(), Some("id"));
        assert_eq!(view.columns[5].guess, None);
        assert!(view.columns[0].samples.len() >= 1);
        assert_eq!(view.fields.len(), Field::ALL.len());
        let workers = view.fields.iter().find(|f| f.code == "workers").unwrap();
        assert_eq!(workers.label.get(Lang::Vi), "Số lao động");
        // The page's answer, as codes, comes back as the same fields.
        let codes: Vec<Option<String>> = view.columns.iter().map(|c| c.guess.clone()).collect();
        assert_eq!(choice_from_codes(&codes), job.guessed().0);
        assert_eq!(choice_from_codes(&[Some("no-such-field".into())]), vec![None]);
    }

    #[test]
    fn a_bad_file_is_refused_with_its_report_in_both_languages_in_file_order() {
        let bytes = fixture("bad-files/bad-values.csv");
        let report = check_file("bad-values.csv", &bytes).unwrap_err();
        assert!(report.error_count() >= 1);
        let first = &report.errors[0];
        assert_eq!(first.place.get(Lang::Vi), "hàng 3, cột Tỉnh (mã hoặc tên)");
        // A CSV takes province names as well as codes, and says so.
        assert!(first.expected.get(Lang::Vi).starts_with("tên tỉnh (ví dụ \"Thái Nguyên\") hoặc mã tỉnh"), "{first:?}");
        assert!(first.place.get(Lang::En).starts_with("row 3, field \"province\""), "{first:?}");
        // The Vietnamese CSV is split by `;`, as Excel in a Vietnamese locale splits it.
        assert!(report.csv.get(Lang::Vi).starts_with("hàng;cột;vấn đề;cần;mức\n"));
        assert!(report.csv.get(Lang::En).starts_with("row,field,found,expected,severity\n"));
        assert_eq!(report.stem, "bad-values");
        // The rendered report survives the trip to the page unchanged.
        let msg = protocol::FromWorker::Refused(report.clone());
        assert_eq!(protocol::FromWorker::decode(&msg.encode()), Ok(msg));
    }

    #[test]
    fn the_same_mistake_in_120_rows_is_one_line_with_its_rows() {
        let report = check_file("many-errors.json", &fixture("bad-files/many-errors.json")).unwrap_err();
        assert_eq!(report.errors.len(), 1);
        assert_eq!(report.more_errors, 0);
        assert_eq!(report.error_count(), 120);
        let line = &report.errors[0];
        assert_eq!(line.place.get(Lang::Vi), "cột Số lao động, 120 hàng (1–120)");
        assert_eq!(line.rows, vec![(1, 120)]);
        assert!(report.csv.get(Lang::Vi).contains("\n1–120;Số lao động;\"\"\"nhiều\"\"\";"), "{}", report.csv.get(Lang::Vi));
    }

    #[test]
    fn a_csv_with_a_blank_column_lists_its_rows_as_spreadsheet_rows() {
        // Rows 2–4 blank, a totals row (5) skipped, row 6 blank again: one line, rows 2–4 and 6.
        let csv = "Mã;Tỉnh;Năm;Loại hình\nA;19;;htx\nB;19;;htx\nC;19;;htx\nTổng cộng;;;\nD;19;;htx\n";
        let report = check_file("blank.csv", csv.as_bytes()).unwrap_err();
        assert_eq!(report.errors.len(), 1, "{report:?}");
        assert_eq!(report.errors[0].rows, vec![(2, 4), (6, 6)]);
        assert_eq!(report.errors[0].text(Lang::Vi), format!("cột Năm, 4 hàng (2–4; 6): ô trống, cần {} (cột bắt buộc)", Field::Year.expected_in(Lang::Vi)));
    }

    #[test]
    fn the_size_limit_applies_to_files_and_links_not_to_kept_datasets() {
        let r = too_large("huge.json", 3.0e8, Origin::File).unwrap();
        assert!(r.errors[0].expected.get(Lang::Vi).contains("tối đa 100000000 byte"), "{r:?}");
        assert!(too_large("x", 3.0e8, Origin::Remote).is_some());
        assert!(too_large("x", 3.0e8, Origin::Stored).is_none());
        assert!(too_large("x", 1.0e8, Origin::File).is_none());
        assert!(unreadable("x.csv").errors[0].found.get(Lang::Vi).contains("không đọc được"));
    }

    #[test]
    fn csv_or_json_by_name_then_by_first_line() {
        assert!(looks_like_csv("a.CSV", b"{", false));
        assert!(!looks_like_csv("a.json", b"a;b", false));
        assert!(looks_like_csv("data", b"\xEF\xBB\xBFid;province\n1;19", false));
        assert!(!looks_like_csv("data", b"  {\"format\"", false));
        assert!(!looks_like_csv("data", b"\x89PNG\r\n", false));
        assert!(!looks_like_csv("data", b"", false));
        // A first line cut inside a character at the end of the sniffed bytes is still text.
        assert!(looks_like_csv("data", "a;Tỉnh".as_bytes().split_at(4).0, true));
        assert!(!looks_like_csv("data", "a;Tỉnh".as_bytes().split_at(4).0, false));
    }

    /// The provincial register as openpyxl and LibreOffice save it, through the worker's steps:
    /// the register sheet preselected over the instructions sheet before it, the header found
    /// under the title rows and merged cells, ids from "Mã số HTX" (leading zeros kept), the year
    /// from date cells, a number stored as text, totals rows skipped, Hà Tây read as Hà Nội.
    #[test]
    fn a_workbook_register_goes_through_the_csv_path_with_its_sheet_preselected() {
        for name in ["register-openpyxl.xlsx", "register-libreoffice.xlsx"] {
            let (book, job) = BookJob::open(name, fixture(&format!("fixtures/{name}"))).unwrap();
            assert_eq!(book.view(), SheetsView { names: vec!["Hướng dẫn".into(), "Danh sách HTX".into()], chosen: 1, note: None }, "{name}");
            assert!(book.has_choice());
            assert!(!job.needs_mapping(), "{name}: {:?}", job.view().columns);
            let (choice, boundary) = job.guessed();
            let (json, rows) = job.convert(&choice, boundary, &mut no_progress()).unwrap();
            let (packed, warnings) = check_json(name, Box::new(json.into_bytes()), Origin::File, Some(&rows), &mut no_progress()).unwrap();
            let ds = wire::decode(&packed).unwrap();
            let e = &ds.entities;
            assert_eq!(e.len(), 5, "{name}");
            // In file order (the dataset keeps its units sorted by province).
            let at = |f: usize| (0..e.len()).find(|&i| e.file_row(i) == f).unwrap();
            let ids: Vec<&str> = (0..5).map(|f| e.id(at(f))).collect();
            assert_eq!(ids, ["4600123456", "4600234567", "0500345678", "4700456789", "0500567890"], "{name}");
            assert!((0..5).all(|i| e.year(i) == Some(2024)), "{name}: the year of the date cells");
            let workers: f64 = (0..5).filter_map(|i| crate::engine::dataset::NumField::Workers.get(e, i)).sum();
            assert_eq!(workers, 77.0, "{name}: \"9\" stored as text is a number");
            let reg = crate::engine::provinces::registry();
            assert_eq!(reg.get(Boundary::P63, e.province(at(2)).unwrap()).unwrap().code, "01", "{name}: Hà Tây");
            let w: Vec<String> = warnings.warnings.iter().map(|i| format!("{} {}", i.found.vi, i.expected.vi)).collect();
            let w = w.join("\n");
            assert!(w.contains("(hàng 12, 13)"), "{name}: {w}");
            assert!(w.contains("\"Hà Tây\""), "{name}: {w}");
        }
    }

    /// Issues in a workbook name the cell as Excel does, sheet and column letter.
    #[test]
    fn a_workbook_report_names_cells_as_excel_does() {
        let bytes = crate::engine::workbook::test_workbook(
            "Danh sách 2024",
            &[
                &["DANH SÁCH HỢP TÁC XÃ"],
                &["Mã số HTX", "Tỉnh", "Năm", "Loại hình", "Số lao động"],
                &["HTX-1", "Thái Nguyên", "2024", "HTX", "12"],
                &["HTX-2", "Thái Nguyên", "2024", "HTX", "-3"],
            ],
        );
        let (book, job) = BookJob::open("ds.xlsx", bytes).unwrap();
        assert!(!book.has_choice());
        let (choice, boundary) = job.guessed();
        let (json, rows) = job.convert(&choice, boundary, &mut no_progress()).unwrap();
        let report = check_json("ds.xlsx", Box::new(json.into_bytes()), Origin::File, Some(&rows), &mut no_progress()).unwrap_err();
        let place = &report.errors[0].place;
        assert!(place.get(Lang::Vi).starts_with("ô 'Danh sách 2024'!E4"), "{place:?}");
        assert!(place.get(Lang::En).starts_with("cell 'Danh sách 2024'!E4"), "{place:?}");
    }

    /// The hand-written workbook (inline strings, booleans, gaps, a 1904 date in the year
    /// column, a value in a column without a header) checks like a CSV of the same cells.
    #[test]
    fn hand_written_cells_check_like_a_csv() {
        let (book, job) = BookJob::open("cells-minimal.xlsx", fixture("fixtures/cells-minimal.xlsx")).unwrap();
        assert!(!book.has_choice());
        // The column without a header (D) asks for a mapping.
        assert!(job.needs_mapping());
        let (choice, boundary) = job.guessed();
        let (json, rows) = job.convert(&choice, boundary, &mut no_progress()).unwrap();
        let (packed, _) = check_json("c.xlsx", Box::new(json.into_bytes()), Origin::File, Some(&rows), &mut no_progress()).unwrap();
        let e = wire::decode(&packed).unwrap().entities;
        let at = |f: usize| (0..e.len()).find(|&i| e.file_row(i) == f).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!([e.year(at(0)), e.year(at(1)), e.year(at(2))], [Some(2024), Some(2023), Some(2019)]);
        assert_eq!(crate::engine::dataset::NumField::Workers.get(&e, at(1)), Some(7.0), "\" 7 \" stored as text");
    }

    /// Each bad workbook is refused with its own message, saying what to do, before any mapping.
    #[test]
    fn bad_workbooks_are_refused_each_with_what_to_do() {
        let refused = |f: &str| BookJob::open(f, fixture(&format!("fixtures/{f}"))).err().unwrap().errors[0].clone();
        assert!(refused("register-excel97.xls").expected.get(Lang::Vi).contains("Lưu thành → \"Excel Workbook (.xlsx)\""));
        assert!(refused("register-password.xlsx").expected.get(Lang::Vi).contains("gỡ mật khẩu"));
        assert!(refused("register-truncated.xlsx").found.get(Lang::Vi).starts_with("sổ tính bị hỏng"));
        assert!(refused("bomb.xlsx").found.get(Lang::Vi).contains("giải nén ra từ"));
        assert!(refused("register.ods").found.get(Lang::Vi).contains(".ods"));
        let empty = crate::engine::workbook::test_workbook("Trống", &[&[""]]);
        let r = BookJob::open("trong.xlsx", empty).err().unwrap();
        assert!(r.errors[0].found.get(Lang::Vi).contains("trang tính trống (Trống)"), "{r:?}");
    }

    /// Picking another sheet reads it; one that is not a list leaves the choice where it was,
    /// with a note naming the sheet and why.
    #[test]
    fn another_sheet_can_be_picked() {
        let (mut book, _) = BookJob::open("r.xlsx", fixture("fixtures/register-openpyxl.xlsx")).unwrap();
        let v = book.sheet(0).err().unwrap();
        assert_eq!(v.chosen, 1, "the choice stays on the sheet that reads");
        let note = v.note.unwrap();
        assert!(note.vi.starts_with("Không đọc được trang \u{201c}Hướng dẫn\u{201d}") && note.vi.contains("một cột"), "{note:?}");
        assert!(book.sheet(1).is_ok());
        assert_eq!(book.view().note, None);
    }
}
