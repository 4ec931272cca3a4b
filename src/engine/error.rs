//! Problems found in a dataset, each naming its place: the data row, the field, what was found and
//! what was expected.
//!
//! Publishers fix files by reading these messages, so every message says *where* (row and field, or
//! line and column for broken JSON) and *what would be right*. A file with a million bad cells must
//! not produce a million messages: a [`Report`] lists at most [`MAX_LISTED`] errors and
//! [`MAX_LISTED`] warnings and only counts the rest, and callers can skip formatting a message that
//! would not be listed (see [`Report::error_with`]).

use std::fmt;

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
    /// The lowercase word used in CSV downloads and the CLI.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
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
    /// What was found, quoted when it is a value (`"-3"`), or a phrase (`an array`).
    pub found: String,
    /// What would be right, as a phrase (`a whole number ≥ 0`).
    pub expected: String,
}

impl Issue {
    /// An error without a place yet; add one with the builder methods.
    pub fn error(found: impl Into<String>, expected: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            row: None,
            field: None,
            line_col: None,
            found: found.into(),
            expected: expected.into(),
        }
    }

    /// A warning without a place yet.
    pub fn warning(found: impl Into<String>, expected: impl Into<String>) -> Issue {
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
}

impl fmt::Display for Issue {
    /// `row 12, field "workers": found "-3", expected a whole number ≥ 0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some((line, col)) = self.line_col {
            place.push(format!("line {line}, column {col}"));
        }
        if let Some(row) = self.row {
            place.push(format!("row {row}"));
        }
        if let Some(field) = &self.field {
            place.push(format!("field \"{field}\""));
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(", "))?;
        }
        write!(f, "found {}, expected {}", self.found, self.expected)
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

    /// The listed issues as CSV (`row,field,found,expected,severity`), for the UI's download button
    /// so a publisher can sort and filter the problems in a spreadsheet. A final line states how
    /// many issues were not listed, if any.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("row,field,found,expected,severity\n");
        for issue in self.errors.iter().chain(&self.warnings) {
            let row = issue.row.map(|r| r.to_string()).unwrap_or_default();
            let field = match (&issue.field, issue.line_col) {
                (Some(f), _) => f.clone(),
                (None, Some((l, c))) => format!("line {l} column {c}"),
                (None, None) => String::new(),
            };
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                csv_quote(&row),
                csv_quote(&field),
                csv_quote(&issue.found),
                csv_quote(&issue.expected),
                issue.severity.code()
            ));
        }
        if self.more_errors > 0 {
            out.push_str(&format!(
                ",,{} more errors not listed,,error\n",
                self.more_errors
            ));
        }
        if self.more_warnings > 0 {
            out.push_str(&format!(
                ",,{} more warnings not listed,,warning\n",
                self.more_warnings
            ));
        }
        out
    }
}

impl fmt::Display for Report {
    /// One issue per line, errors first, then a line per count of unlisted issues.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for issue in &self.errors {
            writeln!(f, "error: {issue}")?;
        }
        if self.more_errors > 0 {
            writeln!(f, "… and {} more errors", self.more_errors)?;
        }
        for issue in &self.warnings {
            writeln!(f, "warning: {issue}")?;
        }
        if self.more_warnings > 0 {
            writeln!(f, "… and {} more warnings", self.more_warnings)?;
        }
        Ok(())
    }
}

/// Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180).
fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
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

/// Rewrites every "row N" a message quotes as "row map(N)": a message made for rows of one
/// numbering (a batch of a sliced parse, the JSON rows a CSV became) then names the rows the user
/// sees (the whole file, the spreadsheet's row numbers).
pub fn remap_row_mentions(text: &str, map: &dyn Fn(usize) -> usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("row ") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
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

    #[test]
    fn row_mentions_are_remapped_and_other_text_kept() {
        let m = remap_row_mentions("row 3 repeats the id of row 12 (column 7)", &|n| n + 100);
        assert_eq!(m, "row 103 repeats the id of row 112 (column 7)");
        assert_eq!(remap_row_mentions("no rows here, row x", &|n| n + 1), "no rows here, row x");
    }

    #[test]
    fn display_names_the_place() {
        let cases = [
            (
                Issue::error(quote("-3"), "a whole number ≥ 0")
                    .at_row(12)
                    .in_field("workers"),
                "row 12, field \"workers\": found \"-3\", expected a whole number ≥ 0",
            ),
            (
                Issue::error("`}`", "a value").at_line_col(3, 7),
                "line 3, column 7: found `}`, expected a value",
            ),
            (
                Issue::error("an empty file", "a JSON object"),
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
        r.push(Issue::error("20x4", "a year").at_row(4).in_field("year"));
        r.push(Issue::error("abc", "a number").at_row(3).in_field("members"));
        r.push(Issue::error("99", "a province").at_row(3).in_field("province"));
        r.push(Issue::error("no rows", "rows"));
        r.push(Issue::warning("x", "y").at_row(9));
        r.push(Issue::warning("x", "y").at_row(2));
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
                Issue::error("x", "y").at_row(i + 1)
            });
        }
        r.push(Issue::warning("w", "v"));
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
            Issue::error(quote("a,b"), "a code")
                .at_row(2)
                .in_field("kind"),
        );
        for _ in 0..MAX_LISTED {
            r.push(Issue::warning("w", "v"));
        }
        r.push(Issue::warning("w", "v"));
        let csv = r.to_csv();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("row,field,found,expected,severity"));
        assert_eq!(lines.next(), Some("2,kind,\"\"\"a,b\"\"\",a code,error"));
        assert!(csv.ends_with(",,1 more warnings not listed,,warning\n"));
    }

    #[test]
    fn merge_keeps_caps() {
        let mut a = Report::new();
        let mut b = Report::new();
        for _ in 0..40 {
            a.push(Issue::error("a", "b"));
            b.push(Issue::error("a", "b"));
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
