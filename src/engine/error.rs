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

    /// No value where one is required (an empty cell, a missing key).
    pub fn nothing() -> Phrase {
        Phrase::new("nothing", "ô trống")
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

    /// Where the issue is, in `lang`: `row 12, field "workers"`, or in Vietnamese
    /// `hàng 12, trường "workers" (Số lao động)`: the key as written in the file, and for a Vietnamese
    /// reader the field's name as the CSV mapping step shows it. Empty for the whole file.
    pub fn place(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut parts = Vec::new();
        if let Some((line, col)) = self.line_col {
            parts.push(if vi { format!("dòng {line}, cột {col}") } else { format!("line {line}, column {col}") });
        }
        if let Some(cell) = &self.cell {
            parts.push(format!("{} {cell}", if vi { "ô" } else { "cell" }));
        } else if let Some(row) = self.row {
            parts.push(format!("{} {row}", if vi { "hàng" } else { "row" }));
        }
        if let Some(field) = &self.field {
            parts.push(match Field::from_code(field).filter(|_| vi) {
                Some(f) => format!("trường \"{field}\" ({})", f.label(lang)),
                None => format!("{} \"{field}\"", if vi { "trường" } else { "field" }),
            });
        }
        parts.join(", ")
    }

    /// The whole message in `lang`: `row 12, field "workers": found "-3", expected a whole number
    /// ≥ 0`, or `hàng 12, trường "workers" (Số lao động): thấy "-3", cần số nguyên ≥ 0`.
    pub fn text(&self, lang: Lang) -> String {
        let place = self.place(lang);
        let (found, expected) = match lang {
            Lang::Vi => ("thấy", "cần"),
            Lang::En => ("found", "expected"),
        };
        let sep = if place.is_empty() { "" } else { ": " };
        format!("{place}{sep}{found} {}, {expected} {}", self.found.get(lang), self.expected.get(lang))
    }
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

    /// Adds an issue to the list of its severity, or only counts it when the list is full.
    pub fn push(&mut self, issue: Issue) {
        match issue.severity {
            Severity::Error => {
                if self.errors.len() < MAX_LISTED {
                    self.errors.push(issue)
                } else {
                    self.more_errors += 1
                }
            }
            Severity::Warning => {
                if self.warnings.len() < MAX_LISTED {
                    self.warnings.push(issue)
                } else {
                    self.more_warnings += 1
                }
            }
        }
    }

    /// Adds an error built lazily: once the list is full the closure is not called, so a file with a
    /// million bad cells costs a counter increment per cell, not a formatted message.
    pub fn error_with(&mut self, make: impl FnOnce() -> Issue) {
        if self.errors.len() < MAX_LISTED {
            let mut issue = make();
            issue.severity = Severity::Error;
            self.errors.push(issue);
        } else {
            self.more_errors += 1;
        }
    }

    /// Adds a warning built lazily (see [`Report::error_with`]).
    pub fn warning_with(&mut self, make: impl FnOnce() -> Issue) {
        if self.warnings.len() < MAX_LISTED {
            let mut issue = make();
            issue.severity = Severity::Warning;
            self.warnings.push(issue);
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

    /// Total number of errors, listed or not.
    pub fn error_count(&self) -> usize {
        self.errors.len() + self.more_errors
    }

    /// Total number of warnings, listed or not.
    pub fn warning_count(&self) -> usize {
        self.warnings.len() + self.more_warnings
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
    /// columns: `row,field,found,expected,severity` in English, `hàng;trường;thấy;cần;mức` in
    /// Vietnamese (Excel in a Vietnamese locale separates with `;`, a `,` there being the decimal
    /// comma). A final line states how many issues were not listed, if any.
    pub fn to_csv(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let sep = if vi { ';' } else { ',' };
        let csv_quote = |s: &str| csv_quote(s, sep);
        let mut out = String::from(if vi { "hàng;trường;thấy;cần;mức\n" } else { "row,field,found,expected,severity\n" });
        for issue in self.errors.iter().chain(&self.warnings) {
            let row = issue.row.map(|r| r.to_string()).unwrap_or_default();
            let field = match (&issue.field, issue.line_col) {
                (Some(f), _) => f.clone(),
                (None, Some((l, c))) if vi => format!("dòng {l} cột {c}"),
                (None, Some((l, c))) => format!("line {l} column {c}"),
                (None, None) => String::new(),
            };
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
                let line = match (lang, severity) {
                    (Lang::Vi, Severity::Error) => format!("còn {n} lỗi không liệt kê"),
                    (Lang::Vi, Severity::Warning) => format!("còn {n} cảnh báo không liệt kê"),
                    (Lang::En, Severity::Error) => format!("{n} more errors not listed"),
                    (Lang::En, Severity::Warning) => format!("{n} more warnings not listed"),
                };
                out.push_str(&format!("{sep}{sep}{line}{sep}{sep}{}\n", severity.word(lang)));
            }
        }
        out
    }
}

impl Report {
    /// The report as text in `lang`, for the command line: one issue per line (`error: row 12, …`
    /// or `lỗi: hàng 12, …`), errors first, then a line per count of unlisted issues.
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

/// Listed issues that differ only by their row, as one: the same mistake in many rows is one line
/// with the rows kept for whoever wants them listed.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueGroup {
    /// The first issue of the group (its row is the first row).
    pub first: Issue,
    /// Every row of the group, in the order met.
    pub rows: Vec<usize>,
}

impl IssueGroup {
    /// One line in `lang`: the issue itself when it is in one row; otherwise the column by its
    /// name, how many rows and which (`Cột Năm, 1.204 hàng (12–1.215): thấy ô trống, cần …`).
    pub fn text(&self, lang: Lang) -> String {
        if self.rows.len() < 2 {
            return self.first.text(lang);
        }
        let vi = lang == Lang::Vi;
        let column = match self.first.field.as_deref() {
            Some(f) => {
                let name = Field::from_code(f).map_or(f, |x| x.label(lang));
                if vi { format!("Cột {name}") } else { format!("Column {name}") }
            }
            None => (if vi { "Tệp" } else { "File" }).to_string(),
        };
        let n = super::format::integer(self.rows.len() as f64, lang);
        let (lo, hi) = (self.rows.iter().min().copied().unwrap_or(0), self.rows.iter().max().copied().unwrap_or(0));
        let contiguous = hi - lo + 1 == self.rows.len();
        let int = |r: usize| super::format::integer(r as f64, lang);
        let which = if contiguous {
            format!("{}–{}", int(lo), int(hi))
        } else {
            let mut w = self.rows.iter().take(5).map(|&r| int(r)).collect::<Vec<_>>().join(if vi { "; " } else { ", " });
            if self.rows.len() > 5 {
                w.push_str(", …");
            }
            w
        };
        let (rows, found, expected) = if vi { ("hàng", "thấy", "cần") } else { ("rows", "found", "expected") };
        format!("{column}, {n} {rows} ({which}): {found} {}, {expected} {}", self.first.found.get(lang), self.first.expected.get(lang))
    }
}

impl Report {
    /// The listed issues (errors, then warnings) grouped by what they say, whatever their row, in
    /// the order first met.
    pub fn grouped(&self) -> Vec<IssueGroup> {
        let mut out: Vec<IssueGroup> = Vec::new();
        for issue in self.errors.iter().chain(&self.warnings) {
            let same = |g: &IssueGroup| {
                g.first.severity == issue.severity
                    && g.first.field == issue.field
                    && g.first.found == issue.found
                    && g.first.expected == issue.expected
                    && g.first.line_col.is_none()
                    && issue.line_col.is_none()
                    && issue.row.is_some()
            };
            match out.iter_mut().find(|g| same(g)) {
                Some(g) => g.rows.extend(issue.row),
                None => out.push(IssueGroup { first: issue.clone(), rows: issue.row.into_iter().collect() }),
            }
        }
        out
    }

    /// [`Report::text`] with the same mistake in many rows on one line ([`Report::grouped`]).
    pub fn grouped_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        for g in self.grouped() {
            out.push_str(&format!("{}: {}\n", g.first.severity.word(lang), g.text(lang)));
        }
        for (more, severity) in [(self.more_errors, Severity::Error), (self.more_warnings, Severity::Warning)] {
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
    fn text_in_vietnamese_names_the_place_and_the_field() {
        let i = Issue::error(Phrase::quoted("-3"), Field::Workers.expected()).at_row(12).in_field("workers");
        assert_eq!(i.text(Lang::Vi), "hàng 12, trường \"workers\" (Số lao động): thấy \"-3\", cần số nguyên ≥ 0");
        assert_eq!(i.text(Lang::En), "row 12, field \"workers\": found \"-3\", expected a whole number ≥ 0");
        let syntax = Issue::error(Phrase::new("the end of the file", "cuối tệp"), Phrase::new("more", "thêm")).at_line_col(3, 7);
        assert_eq!(syntax.place(Lang::Vi), "dòng 3, cột 7");
        let whole = Issue::error(Phrase::new("an empty file", "một tệp rỗng"), Phrase::new("a JSON object", "một đối tượng JSON"));
        assert_eq!(whole.text(Lang::Vi), "thấy một tệp rỗng, cần một đối tượng JSON");
        // A path that is not an entity field has no Vietnamese label to add.
        let meta = same("x", "y").in_field("meta.id");
        assert_eq!(meta.place(Lang::Vi), "trường \"meta.id\"");
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
        r.push(Issue::warning(Phrase::same("x"), Phrase::same("y")).at_row(2));
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
        let mut r = Report::new();
        let mut built = 0;
        for i in 0..(MAX_LISTED + 25) {
            r.error_with(|| {
                built += 1;
                same("x", "y").at_row(i + 1)
            });
        }
        r.push(Issue::warning(Phrase::same("w"), Phrase::same("v")));
        assert_eq!(r.errors.len(), MAX_LISTED);
        assert_eq!(r.more_errors, 25);
        assert_eq!(built, MAX_LISTED, "messages beyond the cap are not built");
        assert_eq!(r.error_count(), MAX_LISTED + 25);
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
        assert_eq!(lines.next(), Some("hàng;trường;thấy;cần;mức"));
        assert_eq!(lines.next(), Some("2;kind;\"\"\"a,b\"\"\";a code;lỗi"));
        assert!(vi.ends_with(";;còn 1 cảnh báo không liệt kê;;cảnh báo\n"));
    }

    #[test]
    fn merge_keeps_caps() {
        let mut a = Report::new();
        let mut b = Report::new();
        for _ in 0..40 {
            a.push(same("a", "b"));
            b.push(same("a", "b"));
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
