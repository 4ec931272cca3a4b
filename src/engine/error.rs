//! Problems found in a dataset, each naming its place: the data row, the field, what was found and
//! what was expected.
//!
//! Publishers fix files by reading these messages, so every message says *where* (row and field, or
//! line and column for broken JSON) and *what would be right*, in Vietnamese and in English (see
//! [`Phrase`]). A file with a million bad cells must not produce a million messages: a [`Report`]
//! lists at most [`MAX_LISTED`] errors and [`MAX_LISTED`] warnings and only counts the rest, and
//! callers can skip formatting a message that would not be listed (see [`Report::error_with`]).

use std::fmt;

use super::field::Field;
use super::vocab::Lang;

/// How many errors (and, separately, warnings) a [`Report`] lists before it only counts them.
/// Fifty is enough to see a pattern and small enough to read on a phone.
pub const MAX_LISTED: usize = 50;

/// How many issues matching no listed one a [`Report`] still builds once its list is full, to fold
/// those that repeat a listed mistake (see [`Report::error_with`]); beyond, it only counts.
pub const MAX_UNLISTED_BUILT: usize = 10_000;

/// Whether an issue refuses the file or only deserves a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The file is refused: a required value is missing or wrong.
    Error,
    /// The file loads, but a value is suspicious (possible, yet probably a typing mistake).
    Warning,
}

impl Severity {
    /// The lowercase word used in the CLI and in an English report download.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// The word for the severity in `lang` (the report download's last column).
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::Vi) => "lỗi",
            (Severity::Warning, Lang::Vi) => "cảnh báo",
            (s, Lang::En) => s.code(),
        }
    }
}

/// One part of a message (what was found, or what was expected), in both languages of the app.
///
/// Why both at once rather than a translation at display time: the engine does not know who reads
/// its report (the app shows it in the reader's language, the CLI in English), and a translation
/// made afterwards would have to recognise each message by its English text. A quote of the file
/// itself (`"-3"`, a header, a number) reads the same in both: [`Phrase::same`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Phrase {
    /// English.
    pub en: String,
    /// Vietnamese.
    pub vi: String,
}

impl Phrase {
    /// A phrase in English and Vietnamese.
    pub fn new(en: impl Into<String>, vi: impl Into<String>) -> Phrase {
        Phrase { en: en.into(), vi: vi.into() }
    }

    /// Text that is the same in every language: a value from the file, a number, a JSON snippet.
    pub fn same(text: impl Into<String>) -> Phrase {
        let en = text.into();
        Phrase { vi: en.clone(), en }
    }

    /// A value from the file, quoted and cut as [`quote`] does.
    pub fn quoted(s: &str) -> Phrase {
        Phrase::same(quote(s))
    }

    /// No value where one is required. In Vietnamese "chưa có" (not there yet): a key missing from
    /// a JSON file is not a cell, so it is not called blank; the CSV and workbook import renames it
    /// "ô trống" (a blank cell) where it knows the value came from a cell (`csv_import::remap_rows`).
    pub fn nothing() -> Phrase {
        Phrase::new("nothing", "chưa có")
    }

    /// The phrase in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// This phrase followed by `tail`, language by language.
    pub fn then(mut self, tail: &Phrase) -> Phrase {
        self.en.push_str(&tail.en);
        self.vi.push_str(&tail.vi);
        self
    }
}

impl fmt::Display for Phrase {
    /// The English text (the CLI's language).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// One problem in a file, with its place.
///
/// `row` is the 1-based data row (the n-th entity, counting from 1 like a spreadsheet without its
/// header), `field` the key, and `line_col` the position in the text when the JSON itself is
/// broken. `found` is a short quote of the offending value and `expected` says what would be right.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// 1-based data row, when the problem belongs to one entity.
    pub row: Option<usize>,
    /// The field (JSON key or dotted path such as `meta.source.publisher`).
    pub field: Option<String>,
    /// Line and column (both 1-based) in the text, for syntax errors.
    pub line_col: Option<(usize, usize)>,
    /// Excel's name of the cell (`Sheet1!C12`) when the file is a workbook: shown instead of the
    /// row, since the user finds it by typing it into Excel's Name Box.
    pub cell: Option<String>,
    /// What was found, quoted when it is a value (`"-3"`), or a phrase (`an array`).
    pub found: Phrase,
    /// What would be right, as a phrase (`a whole number ≥ 0`).
    pub expected: Phrase,
    /// Further rows with the same mistake (same field, found and expected), as inclusive ranges
    /// in the order met: a [`Report`] keeps a mistake repeated in 1,204 rows as one issue, so the
    /// reader gets one line and can still list every row (see [`Report::push`]).
    pub more_rows: Vec<(usize, usize)>,
}

impl Issue {
    /// An error without a place yet; add one with the builder methods.
    pub fn error(found: Phrase, expected: Phrase) -> Issue {
        Issue {
            severity: Severity::Error,
            row: None,
            field: None,
            line_col: None,
            cell: None,
            found,
            expected,
            more_rows: Vec::new(),
        }
    }

    /// A warning without a place yet.
    pub fn warning(found: Phrase, expected: Phrase) -> Issue {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(found, expected)
        }
    }

    /// Sets the 1-based data row.
    pub fn at_row(mut self, row: usize) -> Issue {
        self.row = Some(row);
        self
    }

    /// Sets the field name or path.
    pub fn in_field(mut self, field: impl Into<String>) -> Issue {
        self.field = Some(field.into());
        self
    }

    /// Sets the line and column of the text.
    pub fn at_line_col(mut self, line: usize, col: usize) -> Issue {
        self.line_col = Some((line, col));
        self
    }

    /// Where the issue is, in `lang`: `row 12, field "workers"` in English (the key, as the
    /// command line's readers write JSON), `hàng 12, cột Số lao động` in Vietnamese: the field by
    /// the name the CSV mapping step shows, never its key. A path of the JSON format that is not an
    /// entity field (`meta.source.publisher`) is named as the key to look for, in a code span; a
    /// CSV header the user wrote is quoted as written. Empty for the whole file.
    pub fn place(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let field = self.field.as_ref().map(|f| if vi { field_place_vi(f) } else { format!("field \"{f}\"") });
        let n = self.row_count();
        if n >= 2 {
            // The same mistake in many rows: the column first, then how many rows and which.
            let rows = format!("{} {} ({})", super::format::integer(n as f64, lang), if vi { "hàng" } else { "rows" }, rows_text(&self.row_ranges(), lang));
            return match field {
                Some(f) => format!("{f}, {rows}"),
                None => rows,
            };
        }
        let mut parts = Vec::new();
        if let Some((line, col)) = self.line_col {
            parts.push(if vi { format!("dòng {line}, ký tự {col}") } else { format!("line {line}, column {col}") });
        }
        if let Some(cell) = &self.cell {
            parts.push(format!("{} {cell}", if vi { "ô" } else { "cell" }));
        } else if let Some(row) = self.row {
            parts.push(format!("{} {row}", if vi { "hàng" } else { "row" }));
        }
        parts.extend(field);
        parts.join(", ")
    }

    /// The column of a report table (the CSV and Excel downloads) in `lang`: in Vietnamese the
    /// field's name (`Số lao động`), a key of the format as code, or a header as the user wrote it;
    /// in English the key; the line and column in the text for broken JSON; empty for the file.
    pub fn column(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match (&self.field, self.line_col) {
            (Some(f), _) if vi => {
                let place = field_place_vi(f);
                place.strip_prefix("cột ").or_else(|| place.strip_prefix("mục ")).unwrap_or(&place).to_string()
            }
            (Some(f), _) => f.clone(),
            (None, Some((l, c))) if vi => format!("dòng {l} ký tự {c}"),
            (None, Some((l, c))) => format!("line {l} column {c}"),
            (None, None) => String::new(),
        }
    }

    /// How many rows have this mistake: its own and [`Issue::more_rows`].
    pub fn row_count(&self) -> usize {
        if self.more_rows.is_empty() {
            return usize::from(self.row.is_some());
        }
        self.row_ranges().iter().map(|(a, b)| b - a + 1).sum()
    }

    /// Every row with this mistake as inclusive ranges, in increasing order, touching ranges joined.
    pub fn row_ranges(&self) -> Vec<(usize, usize)> {
        let mut out = self.more_rows.clone();
        if let Some(r) = self.row {
            add_row(&mut out, r);
        }
        out
    }

    /// Renumbers every row of the issue (its own and the repeated ones) with `map`, which must keep
    /// the order of rows (a batch offset, entity → spreadsheet row).
    pub fn map_rows(&mut self, map: &dyn Fn(usize) -> usize) {
        self.row = self.row.map(map);
        let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(self.more_rows.len());
        // In order, so each row extends or follows the last run.
        for &(a, b) in &self.more_rows {
            for r in a..=b {
                add_row(&mut ranges, map(r));
            }
        }
        self.more_rows = ranges;
    }

    /// Whether `other` is the same mistake in another row: what a [`Report`] folds into one.
    fn same_mistake(&self, other: &Issue) -> bool {
        self.row.is_some()
            && other.row.is_some()
            && self.line_col.is_none()
            && other.line_col.is_none()
            && self.severity == other.severity
            && self.field == other.field
            && self.found == other.found
            && self.expected == other.expected
    }

    /// Adds the rows of `other` (the same mistake) to this issue's repeated rows.
    fn absorb(&mut self, other: Issue) {
        // The issue's own row stays the first in the file, so sorting by place still works.
        let mut row = other.row;
        if let (Some(mine), Some(theirs)) = (self.row, row) {
            if theirs < mine {
                self.row = Some(theirs);
                row = Some(mine);
            }
        }
        if let Some(r) = row.filter(|r| Some(*r) != self.row) {
            add_row(&mut self.more_rows, r);
        }
        for (a, b) in other.more_rows {
            match self.more_rows.last_mut() {
                Some(last) if a == last.1 + 1 => last.1 = b,
                Some(last) if a > last.1 => self.more_rows.push((a, b)),
                _ => (a..=b).for_each(|r| add_row(&mut self.more_rows, r)),
            }
        }
    }

    /// The whole message in `lang`: `row 12, field "workers": found "-3", expected a whole number
    /// ≥ 0`, or `hàng 12, cột Số lao động: ghi "-3", cần số nguyên ≥ 0` (see [`sentence`]).
    pub fn text(&self, lang: Lang) -> String {
        sentence(&self.place(lang), &self.found, &self.expected, lang)
    }
}

/// Rows for a message: `12–1.215` for one run, else up to five runs (`2; 5–9; 14, …` in
/// Vietnamese, `2, 5–9, 14, …` in English), numbers written as the reader writes them.
pub fn rows_text(ranges: &[(usize, usize)], lang: Lang) -> String {
    let int = |r: usize| super::format::integer(r as f64, lang);
    let mut out = ranges
        .iter()
        .take(5)
        .map(|&(a, b)| if a == b { int(a) } else { format!("{}–{}", int(a), int(b)) })
        .collect::<Vec<_>>()
        .join(if lang == Lang::Vi { "; " } else { ", " });
    if ranges.len() > 5 {
        out.push_str(", …");
    }
    out
}

/// Adds `row` to sorted, disjoint, non-touching runs, keeping them so. Rows come in file order
/// (the checks go down a column), so the usual case extends or follows the last run; a row met
/// out of order is put in its place by a binary search (no sort: `engine::order` says why).
fn add_row(ranges: &mut Vec<(usize, usize)>, row: usize) {
    match ranges.last_mut() {
        None => return ranges.push((row, row)),
        Some(last) if row == last.1.saturating_add(1) => return last.1 = row,
        Some(last) if row > last.1 => return ranges.push((row, row)),
        _ => {}
    }
    // The first run that ends at or after `row - 1`: `row` joins it, the one before, or neither.
    let i = ranges.partition_point(|&(_, b)| b.saturating_add(1) < row);
    let (a, b) = ranges[i];
    if row >= a && row <= b {
        return;
    }
    if row == b + 1 {
        ranges[i].1 = row;
    } else if row + 1 == a {
        ranges[i].0 = row;
    } else {
        ranges.insert(i, (row, row));
        return;
    }
    // The run grew by one: it may now touch the next one.
    if i + 1 < ranges.len() && ranges[i].1 + 1 == ranges[i + 1].0 {
        ranges[i].1 = ranges[i + 1].1;
        ranges.remove(i + 1);
    }
}

/// An entity field or a path of the format, named for a Vietnamese reader: `cột Số lao động` for a
/// field (a column of the table, in a CSV or a JSON file alike), the key in a code span for any
/// other path of the JSON format (`` mục `meta.id` ``), and a CSV header the user wrote quoted
/// (`cột "Ghi chú"`).
fn field_place_vi(field: &str) -> String {
    let key = field.strip_prefix("entities.").unwrap_or(field);
    match Field::from_code(key) {
        Some(f) => format!("cột {}", f.label(Lang::Vi)),
        None if field.contains('.') || field.contains('[') || is_format_key(field) => format!("mục `{field}`"),
        None => format!("cột {}", quote(field)),
    }
}

/// The top-level keys of the JSON format (a message about `entities` names the key, not a column).
fn is_format_key(key: &str) -> bool {
    matches!(key, "format" | "meta" | "entities" | "indicators" | "observations" | "targets")
}

/// Whether a phrase quotes the file (a value, a number, a snippet: the same text in every language,
/// or a number that a Vietnamese reader is shown with its decimal comma) rather than describing
/// what is there.
fn is_quote_of_file(p: &Phrase) -> bool {
    !p.en.is_empty() && (p.en == p.vi || decimal_comma(&p.en).as_deref() == Some(p.vi.as_str()))
}

/// A number with a decimal point written as a Vietnamese register writes it, with a decimal comma
/// (`3.5` → `3,5`); `None` for any other text (a whole number keeps its digits as the cell had them).
pub fn decimal_comma(text: &str) -> Option<String> {
    (text.contains('.') && text.parse::<f64>().is_ok()).then(|| text.replace('.', ","))
}

/// The words before what was found, in `lang`: `found ` in English; in Vietnamese `ghi ` before a
/// value quoted from the file (`cột Năm: ghi "20x4"`, "the cell says …") and nothing before a
/// description (`cột Năm: ô trống`), since "thấy … cần …" read as a translation of found/expected.
pub fn found_lead(found: &Phrase, lang: Lang) -> &'static str {
    match lang {
        Lang::En => "found ",
        Lang::Vi if is_quote_of_file(found) => "ghi ",
        Lang::Vi => "",
    }
}

/// The words between what was found and what would be right: `, expected ` / `, cần `; before a
/// Vietnamese note that asks nothing of the reader ("không cần làm gì: …", a warning about what
/// the import did) a `; `, since "cần không cần" would read as a stutter.
pub fn expected_lead(expected: &Phrase, lang: Lang) -> &'static str {
    match lang {
        Lang::En => ", expected ",
        Lang::Vi if expected.vi.starts_with("không cần") => "; ",
        Lang::Vi => ", cần ",
    }
}

/// One message: `place: found …, expected …` in English; in Vietnamese `place: what is there, cần
/// what would be right` (`hàng 2, cột Năm: ô trống, cần số nguyên từ 1990 đến 2100`). Without a
/// place the message starts with what was found, never with a bare `: `.
pub fn sentence(place: &str, found: &Phrase, expected: &Phrase, lang: Lang) -> String {
    let sep = if place.is_empty() { "" } else { ": " };
    format!("{place}{sep}{}{}{}{}", found_lead(found, lang), found.get(lang), expected_lead(expected, lang), expected.get(lang))
}

impl fmt::Display for Issue {
    /// The message in English ([`Issue::text`]), for the CLI and tests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// The outcome of checking a file: listed errors and warnings, and counts of those not listed.
///
/// Cloning is cheap enough for UI signals: at most `2 × MAX_LISTED` short issues are stored,
/// however bad the file is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// The first [`MAX_LISTED`] errors found. The checks go a column at a time, so they are in
    /// the order found until [`Report::sort_by_place`] puts them in file order.
    pub errors: Vec<Issue>,
    /// The first [`MAX_LISTED`] warnings found (see `errors`).
    pub warnings: Vec<Issue>,
    /// Errors found beyond those listed.
    pub more_errors: usize,
    /// Warnings found beyond those listed.
    pub more_warnings: usize,
}

impl Report {
    /// An empty report.
    pub fn new() -> Report {
        Report::default()
    }

    /// A report holding one issue; handy for "the whole file is unusable" cases.
    pub fn single(issue: Issue) -> Report {
        let mut r = Report::new();
        r.push(issue);
        r
    }

    /// Adds an issue: to the listed issue with the same mistake in another row if there is one
    /// (one line for a mistake repeated in many rows, its rows kept), else to the list of its
    /// severity, or only counts it when the list is full.
    pub fn push(&mut self, issue: Issue) {
        let (list, more) = match issue.severity {
            Severity::Error => (&mut self.errors, &mut self.more_errors),
            Severity::Warning => (&mut self.warnings, &mut self.more_warnings),
        };
        if let Some(same) = list.iter_mut().find(|l| l.same_mistake(&issue)) {
            same.absorb(issue);
        } else if list.len() < MAX_LISTED {
            list.push(issue);
        } else {
            *more += issue.row_count().max(1);
        }
    }

    /// Adds an error built lazily. Once the list is full a new issue may still be the same
    /// mistake as a listed one (a blank column: one line, every row counted), so it is built and
    /// folded, until [`MAX_UNLISTED_BUILT`] issues matched none: from then on a file with a million
    /// different bad cells costs a counter increment per cell, not a formatted message.
    pub fn error_with(&mut self, make: impl FnOnce() -> Issue) {
        if self.errors.len() < MAX_LISTED || self.more_errors < MAX_UNLISTED_BUILT {
            let mut issue = make();
            issue.severity = Severity::Error;
            self.push(issue);
        } else {
            self.more_errors += 1;
        }
    }

    /// Adds a warning built lazily (see [`Report::error_with`]).
    pub fn warning_with(&mut self, make: impl FnOnce() -> Issue) {
        if self.warnings.len() < MAX_LISTED || self.more_warnings < MAX_UNLISTED_BUILT {
            let mut issue = make();
            issue.severity = Severity::Warning;
            self.push(issue);
        } else {
            self.more_warnings += 1;
        }
    }

    /// Puts the listed issues in file order, for a reader fixing the file from the top: issues of
    /// the whole file (no row, no line) first, then by line and column, then by row; issues at the
    /// same place keep the order they were found in. (A file with more than [`MAX_LISTED`] issues
    /// lists the first found, not always the first rows.)
    pub fn sort_by_place(&mut self) {
        // engine::order: at most MAX_LISTED items, and no std sort instantiated in the wasm.
        let key = |i: &Issue| (i.line_col.is_some() || i.row.is_some(), i.line_col, i.row);
        super::order::sort_by_key(&mut self.errors, key);
        super::order::sort_by_key(&mut self.warnings, key);
    }

    /// Moves every issue of `other` into this report, keeping the caps and counts.
    pub fn merge(&mut self, other: Report) {
        for issue in other.errors.into_iter().chain(other.warnings) {
            self.push(issue);
        }
        self.more_errors += other.more_errors;
        self.more_warnings += other.more_warnings;
    }

    /// Total number of errors, listed or not: a mistake repeated in 30 rows counts 30.
    pub fn error_count(&self) -> usize {
        self.errors.iter().map(|i| i.row_count().max(1)).sum::<usize>() + self.more_errors
    }

    /// Total number of warnings, listed or not (see [`Report::error_count`]).
    pub fn warning_count(&self) -> usize {
        self.warnings.iter().map(|i| i.row_count().max(1)).sum::<usize>() + self.more_warnings
    }

    /// Whether the file must be refused.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Whether there is nothing at all to say.
    pub fn is_empty(&self) -> bool {
        self.error_count() == 0 && self.warning_count() == 0
    }

    /// Only the warnings (used when a file loads and its errors list is empty anyway).
    pub fn warnings_only(&self) -> Report {
        Report {
            errors: Vec::new(),
            warnings: self.warnings.clone(),
            more_errors: 0,
            more_warnings: self.more_warnings,
        }
    }

    /// The listed issues as CSV, for the UI's download button so a publisher can sort and filter
    /// the problems in a spreadsheet, in the reader's language and as that reader's Excel splits
    /// columns: `row,field,found,expected,severity` in English, `hàng;cột;vấn đề;cần;mức` in
    /// Vietnamese (Excel in a Vietnamese locale separates with `;`, a `,` there being the decimal
    /// comma), the column by its name as [`Issue::place`] gives it. A mistake repeated in many rows
    /// is one line whose row cell lists them (`2–31; 40`). A final line states how many issues were
    /// not listed, if any.
    pub fn to_csv(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let sep = if vi { ';' } else { ',' };
        let csv_quote = |s: &str| csv_quote(s, sep);
        let mut out = String::from(if vi { "hàng;cột;vấn đề;cần;mức\n" } else { "row,field,found,expected,severity\n" });
        for issue in self.errors.iter().chain(&self.warnings) {
            let row = all_rows_text(&issue.row_ranges(), lang);
            let field = issue.column(lang);
            out.push_str(&format!(
                "{}{sep}{}{sep}{}{sep}{}{sep}{}\n",
                csv_quote(&row),
                csv_quote(&field),
                csv_quote(issue.found.get(lang)),
                csv_quote(issue.expected.get(lang)),
                issue.severity.word(lang)
            ));
        }
        for (n, severity) in [(self.more_errors, Severity::Error), (self.more_warnings, Severity::Warning)] {
            if n > 0 {
                out.push_str(&format!("{sep}{sep}{}{sep}{sep}{}\n", not_listed(n, severity, lang), severity.word(lang)));
            }
        }
        out
    }
}

/// "N more errors not listed" in `lang`.
fn not_listed(n: usize, severity: Severity, lang: Lang) -> String {
    match (lang, severity) {
        (Lang::Vi, Severity::Error) => format!("còn {n} lỗi không liệt kê"),
        (Lang::Vi, Severity::Warning) => format!("còn {n} cảnh báo không liệt kê"),
        (Lang::En, Severity::Error) => format!("{n} more errors not listed"),
        (Lang::En, Severity::Warning) => format!("{n} more warnings not listed"),
    }
}

/// Every run of rows, for a table cell or the rows listed on demand: `2–31; 40` (no "…").
pub fn all_rows_text(ranges: &[(usize, usize)], lang: Lang) -> String {
    let sep = if lang == Lang::Vi { "; " } else { ", " };
    ranges.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect::<Vec<_>>().join(sep)
}

impl Report {
    /// The report as text in `lang`, for the command line: one line per mistake (`error: row 12,
    /// …` or `lỗi: hàng 12, …`; a mistake repeated in many rows is one line, `lỗi: cột Năm, 30 hàng
    /// (2–31): ô trống, cần …`), errors first, then a line per count of unlisted issues.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        for (list, more, severity) in [
            (&self.errors, self.more_errors, Severity::Error),
            (&self.warnings, self.more_warnings, Severity::Warning),
        ] {
            for issue in list {
                out.push_str(&format!("{}: {}\n", severity.word(lang), issue.text(lang)));
            }
            if more > 0 {
                out.push_str(&match (lang, severity) {
                    (Lang::Vi, s) => format!("… và {more} {} nữa\n", s.word(lang)),
                    (Lang::En, Severity::Error) => format!("… and {more} more errors\n"),
                    (Lang::En, Severity::Warning) => format!("… and {more} more warnings\n"),
                });
            }
        }
        out
    }
}

impl fmt::Display for Report {
    /// [`Report::text`] in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180).
fn csv_quote(s: &str, sep: char) -> String {
    if s.contains([sep, ',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Quotes a found value the way messages show it: `"abc"`, cut to 40 characters so a pasted
/// paragraph does not flood the report.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for (i, ch) in s.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        out.push(ch);
    }
    out.push('"');
    out
}

/// Rewrites every row number a phrase quotes ("row N" in English, "hàng N" in Vietnamese) as
/// `map(N)`: a message made for rows of one numbering (a batch of a sliced parse, the JSON rows a
/// CSV became) then names the rows the user sees (the whole file, the spreadsheet's row numbers).
pub fn remap_row_mentions(phrase: &Phrase, map: &dyn Fn(usize) -> usize) -> Phrase {
    Phrase {
        en: remap_after(&phrase.en, "row ", map),
        vi: remap_after(&phrase.vi, "hàng ", map),
    }
}

/// Rewrites the number after each `word` in `text` as `map(number)`.
fn remap_after(text: &str, word: &str, map: &dyn Fn(usize) -> usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(word) {
        out.push_str(&rest[..i + word.len()]);
        rest = &rest[i + word.len()..];
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        if let Ok(n) = rest[..digits].parse::<usize>() {
            out.push_str(&map(n).to_string());
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An issue whose phrases read the same in both languages (the tests of the report's mechanics).
    fn same(found: &str, expected: &str) -> Issue {
        Issue::error(Phrase::same(found), Phrase::same(expected))
    }

    #[test]
    fn row_mentions_are_remapped_in_both_languages_and_other_text_kept() {
        let p = Phrase::new("row 3 repeats the id of row 12 (column 7)", "hàng 3 trùng mã của hàng 12 (cột 7)");
        let m = remap_row_mentions(&p, &|n| n + 100);
        assert_eq!(m.en, "row 103 repeats the id of row 112 (column 7)");
        assert_eq!(m.vi, "hàng 103 trùng mã của hàng 112 (cột 7)");
        let untouched = Phrase::new("no rows here, row x", "không có hàng nào, hàng x");
        assert_eq!(remap_row_mentions(&untouched, &|n| n + 1), untouched);
    }

    #[test]
    fn a_number_quoted_with_a_decimal_comma_still_reads_as_what_the_cell_says() {
        assert_eq!(decimal_comma("3.5").as_deref(), Some("3,5"));
        assert_eq!(decimal_comma("300"), None);
        assert_eq!(decimal_comma("v1.2"), None);
        let i = Issue::warning(Phrase::new("3.5", "3,5"), Phrase::new("more", "xem lại")).at_row(4).in_field("income");
        assert_eq!(i.text(Lang::Vi), "hàng 4, cột Thu nhập bình quân (đồng/người/tháng): ghi 3,5, cần xem lại");
        assert_eq!(i.text(Lang::En), "row 4, field \"income\": found 3.5, expected more");
    }

    #[test]
    fn text_in_vietnamese_names_the_place_and_the_field() {
        let i = Issue::error(Phrase::quoted("-3"), Field::Workers.expected()).at_row(12).in_field("workers");
        assert_eq!(i.text(Lang::Vi), "hàng 12, cột Số lao động: ghi \"-3\", cần một số nguyên từ 0 trở lên");
        assert_eq!(i.text(Lang::En), "row 12, field \"workers\": found \"-3\", expected a whole number ≥ 0");
        let syntax = Issue::error(Phrase::new("the end of the file", "cuối tệp"), Phrase::new("more", "thêm")).at_line_col(3, 7);
        assert_eq!(syntax.place(Lang::Vi), "dòng 3, ký tự 7");
        let whole = Issue::error(Phrase::new("an empty file", "một tệp rỗng"), Phrase::new("a JSON object", "một đối tượng JSON"));
        assert_eq!(whole.text(Lang::Vi), "một tệp rỗng, cần một đối tượng JSON");
        // A path of the format that is not an entity field is named as the key to look for; a
        // column of the entities' columnar form by its field's name; a header the user wrote as
        // written.
        let meta = same("x", "y").in_field("meta.id");
        assert_eq!(meta.place(Lang::Vi), "mục `meta.id`");
        assert_eq!(same("x", "y").in_field("entities.province").place(Lang::Vi), "cột Tỉnh (mã hoặc tên)");
        assert_eq!(same("x", "y").in_field("Ghi chú").place(Lang::Vi), "cột \"Ghi chú\"");
        // A note that asks nothing is not joined by "cần" (need).
        let note = Issue::warning(Phrase::new("2 totals rows", "2 hàng tổng cộng"), Phrase::new("nothing: skipped", "không cần làm gì: đã bỏ qua"));
        assert_eq!(note.text(Lang::Vi), "2 hàng tổng cộng; không cần làm gì: đã bỏ qua");
    }

    #[test]
    fn display_names_the_place() {
        let cases = [
            (
                same(&quote("-3"), "a whole number ≥ 0")
                    .at_row(12)
                    .in_field("workers"),
                "row 12, field \"workers\": found \"-3\", expected a whole number ≥ 0",
            ),
            (
                same("`}`", "a value").at_line_col(3, 7),
                "line 3, column 7: found `}`, expected a value",
            ),
            (
                same("an empty file", "a JSON object"),
                "found an empty file, expected a JSON object",
            ),
        ];
        for (issue, want) in cases {
            assert_eq!(issue.to_string(), want);
        }
    }

    #[test]
    fn sorting_puts_issues_in_file_order() {
        let mut r = Report::new();
        r.push(same("20x4", "a year").at_row(4).in_field("year"));
        r.push(same("abc", "a number").at_row(3).in_field("members"));
        r.push(same("99", "a province").at_row(3).in_field("province"));
        r.push(same("no rows", "rows"));
        r.push(Issue::warning(Phrase::same("x"), Phrase::same("y")).at_row(9));
        r.push(Issue::warning(Phrase::same("z"), Phrase::same("y")).at_row(2));
        r.sort_by_place();
        let places: Vec<(Option<usize>, Option<String>)> = r.errors.iter().map(|i| (i.row, i.field.clone())).collect();
        assert_eq!(places, vec![
            (None, None),
            (Some(3), Some("members".into())),
            (Some(3), Some("province".into())),
            (Some(4), Some("year".into())),
        ]);
        assert_eq!(r.warnings.iter().map(|i| i.row).collect::<Vec<_>>(), vec![Some(2), Some(9)]);
    }

    #[test]
    fn report_caps_and_counts() {
        // Different mistakes: fifty listed, the rest counted, and past a bound not even built.
        let mut r = Report::new();
        let mut built = 0;
        let extra = MAX_UNLISTED_BUILT + 25;
        for i in 0..(MAX_LISTED + extra) {
            r.error_with(|| {
                built += 1;
                same(&i.to_string(), "y").at_row(i + 1)
            });
        }
        r.push(Issue::warning(Phrase::same("w"), Phrase::same("v")));
        assert_eq!(r.errors.len(), MAX_LISTED);
        assert_eq!(r.more_errors, extra);
        assert_eq!(built, MAX_LISTED + MAX_UNLISTED_BUILT, "messages beyond the bound are not built");
        assert_eq!(r.error_count(), MAX_LISTED + extra);
        assert_eq!(r.warning_count(), 1);
        assert!(r.has_errors());
        let w = r.warnings_only();
        assert!(!w.has_errors());
        assert_eq!(w.warning_count(), 1);
    }

    #[test]
    fn csv_quotes_and_counts() {
        let mut r = Report::new();
        r.push(
            same(&quote("a,b"), "a code")
                .at_row(2)
                .in_field("kind"),
        );
        for _ in 0..MAX_LISTED {
            r.push(Issue::warning(Phrase::same("w"), Phrase::same("v")));
        }
        r.push(Issue::warning(Phrase::same("w"), Phrase::same("v")));
        let csv = r.to_csv(Lang::En);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("row,field,found,expected,severity"));
        assert_eq!(lines.next(), Some("2,kind,\"\"\"a,b\"\"\",a code,error"));
        assert!(csv.ends_with(",,1 more warnings not listed,,warning\n"));
        let vi = r.to_csv(Lang::Vi);
        let mut lines = vi.lines();
        // Vietnamese: `;` separators (issue 14 item 4); a `,` in a value is still quoted.
        assert_eq!(lines.next(), Some("hàng;cột;vấn đề;cần;mức"));
        assert_eq!(lines.next(), Some("2;Loại hình;\"\"\"a,b\"\"\";a code;lỗi"));
        assert!(vi.ends_with(";;còn 1 cảnh báo không liệt kê;;cảnh báo\n"));
    }

    #[test]
    fn the_same_mistake_in_many_rows_is_one_issue_with_every_row() {
        let mut r = Report::new();
        for row in (2..=40).chain([45, 3]) {
            r.error_with(|| same("blank", "a year").at_row(row).in_field("year"));
        }
        r.push(same("blank", "a year").at_row(50).in_field("kind"));
        // Found after the list is full, a repeat still joins its line.
        for i in 0..MAX_LISTED {
            r.push(same(&i.to_string(), "y").at_row(100 + i));
        }
        r.error_with(|| same("blank", "a year").at_row(1).in_field("year"));
        assert_eq!(r.errors.len(), MAX_LISTED);
        assert_eq!(r.more_errors, 2, "two distinct mistakes beyond the list");
        let year = &r.errors[0];
        assert_eq!(year.row, Some(1), "the first row in the file leads");
        assert_eq!(year.row_ranges(), vec![(1, 40), (45, 45)]);
        assert_eq!(year.row_count(), 41, "row 3 met twice counts once as a row");
        assert_eq!(year.text(Lang::Vi), "cột Năm, 41 hàng (1–40; 45): ghi blank, cần a year");
        assert_eq!(year.text(Lang::En), "field \"year\", 41 rows (1–40, 45): found blank, expected a year");
        assert_eq!(r.error_count(), 42 + 2 + (MAX_LISTED - 2));
        // Rows keep their runs when renumbered (a batch offset, spreadsheet rows).
        let mut moved = year.clone();
        moved.map_rows(&|n| n + 1);
        assert_eq!(moved.row_ranges(), vec![(2, 41), (46, 46)]);
        assert_eq!(rows_text(&[(1, 2), (4, 4), (6, 6), (8, 9), (11, 11), (1204, 1215)], Lang::Vi), "1–2; 4; 6; 8–9; 11, …");
        assert_eq!(rows_text(&[(12, 1215)], Lang::Vi), "12–1.215");
    }

    #[test]
    fn rows_met_out_of_order_keep_sorted_disjoint_runs() {
        let mut runs = Vec::new();
        for r in [5, 6, 7, 10, 3, 8, 1, 9, 2, 7, 20, 4] {
            add_row(&mut runs, r);
        }
        assert_eq!(runs, vec![(1, 10), (20, 20)]);
        let mut runs = vec![(10, 12), (20, 22)];
        add_row(&mut runs, 15);
        add_row(&mut runs, 9);
        add_row(&mut runs, 23);
        assert_eq!(runs, vec![(9, 12), (15, 15), (20, 23)]);
    }

    #[test]
    fn merge_keeps_caps() {
        let mut a = Report::new();
        let mut b = Report::new();
        for i in 0..40 {
            a.push(same(&format!("a{i}"), "b"));
            b.push(same(&format!("b{i}"), "b"));
        }
        a.merge(b);
        assert_eq!(a.errors.len(), MAX_LISTED);
        assert_eq!(a.error_count(), 80);
    }

    #[test]
    fn quote_cuts_long_values() {
        let long = "x".repeat(100);
        assert_eq!(quote(&long).chars().count(), 43);
        assert_eq!(quote("ab"), "\"ab\"");
    }
}
