//! A resumable dataset parser: bounded work per [`IncrementalParser::step`], with progress, so
//! the browser can parse a large file in slices (painting a progress bar and honouring Cancel in
//! between) instead of freezing the page for the whole parse.
//!
//! How, without a second JSON parser: a light byte scanner (strings, escapes and nesting depth
//! only) finds the top-level members and, inside `entities`, the position of every
//! [`BATCH_ROWS`]-th row (rows form) or of every column's [`BATCH_ROWS`]-th value (columnar
//! form). Each batch of rows then becomes a small document (`format`, `meta` and that slice of
//! `entities`; the first batch also carries `observations`, `indicators` and any other key) that
//! goes through the one real parser, [`parse_dataset`]. Batches are appended
//! ([`Entities::extend_from`]), their issues get their rows shifted to the whole file's, and an
//! id used twice across batches is reported exactly as the parser reports it within one.
//!
//! Whenever the scanner meets something it does not expect (the top level is not an object, a key
//! with an escape, columns of unequal length, nesting deeper than the format allows, text after
//! the end) or a batch fails with a syntax error, it falls back to one [`parse_dataset`] of the
//! whole file, so every message is the parser's own, with the right line and column. Small files
//! (under [`SMALL_BYTES`]) are parsed in one step as well: slicing them would only add work.
//!
//! [`Entities::extend_from`]: super::columns::Entities::extend_from

use std::collections::HashMap;

use super::columns::Clustering;
use super::dataset::Dataset;
use super::error::{quote, Issue, Report};
use super::parse::{parse_dataset, parse_dataset_in_file_order, Limits, Parsed};

/// Rows per batch: about 1 MB of typical columnar JSON, parsed in ≈ 10 ms natively.
pub const BATCH_ROWS: usize = 10_000;
/// Files smaller than this are parsed in one step.
pub const SMALL_BYTES: usize = 1_000_000;
/// Deepest nesting the scanner follows before leaving the file to the parser's own message.
const MAX_DEPTH: usize = 128;

/// How far an [`IncrementalParser`] has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Work done, in bytes of the file (scanning counts a quarter, parsing three quarters).
    pub done: usize,
    /// Work in all, in the same unit ([`Progress::done`] reaches it when finished).
    pub total: usize,
    /// Whether [`IncrementalParser::finish`] may be called.
    pub finished: bool,
}

/// A top-level member of the document: `"key": value`, as byte ranges.
#[derive(Clone, Debug)]
struct Member {
    key: String,
    /// From the opening quote of the key to the end of the value.
    start: usize,
    value_start: usize,
    end: usize,
}

/// One array of entity values (the rows array, or one column), with its batch boundaries.
#[derive(Clone, Debug, Default)]
struct Column {
    /// Raw key (columnar form); empty in rows form.
    key: String,
    /// Just after `[`.
    open: usize,
    /// The `]`.
    close: usize,
    /// Positions of the commas after every `BATCH_ROWS`-th value.
    bounds: Vec<usize>,
    commas: usize,
    nonempty: bool,
}

impl Column {
    fn count(&self) -> usize {
        if self.nonempty {
            self.commas + 1
        } else {
            0
        }
    }

    fn slice(&self, b: usize) -> (usize, usize) {
        let start = if b == 0 { self.open } else { self.bounds[b - 1] + 1 };
        let end = self.bounds.get(b).copied().unwrap_or(self.close);
        (start, end)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Unknown,
    Rows,
    Columnar,
}

enum Stage {
    Scan,
    Parse { batch: usize, batches: usize },
    Whole,
    /// Every batch is in: the rows are being stored by (year, kind, province), a few columns a
    /// step ([`Clustering`]), so a million rows never hold the main thread for long.
    Cluster(Box<(Parsed, Clustering)>),
    Done(Box<Result<Parsed, Report>>),
}

/// Parses a dataset file a slice at a time. Never panics, whatever the bytes.
pub struct IncrementalParser {
    bytes: Vec<u8>,
    limits: Limits,
    stage: Stage,
    batch_rows: usize,
    // Scanner state.
    pos: usize,
    depth: usize,
    in_str: bool,
    esc: bool,
    str_start: usize,
    expect_key: bool,
    members: Vec<Member>,
    top_closed: bool,
    form: Form,
    columns: Vec<Column>,
    /// Whether the scanner is inside the `entities` value (depth ≥ 2 under it).
    in_entities: bool,
    expect_col_key: bool,
    // Parse state.
    merged: Option<Dataset>,
    report: Report,
    warnings: Report,
    seen: HashMap<u64, u32>,
    parsed_bytes: usize,
    /// The most progress reported so far: a fall-back to the whole-file parse never moves the bar
    /// backwards.
    high: usize,
}

impl IncrementalParser {
    /// Prepares to parse `bytes` under `limits` (checked at once: a file over the size limit is
    /// refused in the first step without being scanned).
    pub fn new(bytes: Vec<u8>, limits: Limits) -> IncrementalParser {
        IncrementalParser::with_batch_rows(bytes, limits, BATCH_ROWS)
    }

    /// The same with another batch size (tests use small ones to exercise many batches).
    pub fn with_batch_rows(bytes: Vec<u8>, limits: Limits, batch_rows: usize) -> IncrementalParser {
        let small = bytes.len() < SMALL_BYTES && batch_rows == BATCH_ROWS;
        let stage = if small || bytes.len() > limits.max_bytes { Stage::Whole } else { Stage::Scan };
        let start = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
        IncrementalParser {
            bytes,
            limits,
            stage,
            batch_rows: batch_rows.max(1),
            pos: start,
            depth: 0,
            in_str: false,
            esc: false,
            str_start: 0,
            expect_key: false,
            members: Vec::new(),
            top_closed: false,
            form: Form::Unknown,
            columns: Vec::new(),
            in_entities: false,
            expect_col_key: false,
            merged: None,
            report: Report::new(),
            warnings: Report::new(),
            seen: HashMap::new(),
            parsed_bytes: 0,
            high: 0,
        }
    }

    fn progress(&mut self) -> Progress {
        let n = self.bytes.len().max(1);
        let total = n * 4;
        let done = match &self.stage {
            Stage::Scan => self.pos.min(n),
            Stage::Parse { .. } => n + 5 * self.parsed_bytes.min(n) / 2,
            Stage::Cluster(ref c) => n * 7 / 2 + (n as f64 / 2.0 * c.1.fraction()) as usize,
            Stage::Whole => 0,
            Stage::Done(_) => total,
        };
        self.high = self.high.max(done.min(total));
        Progress { done: self.high, total, finished: matches!(self.stage, Stage::Done(_)) }
    }

    /// Does about `budget` bytes of work (at least one batch once parsing) and says how far it got.
    pub fn step(&mut self, budget: usize) -> Progress {
        match self.stage {
            Stage::Done(_) => {}
            Stage::Cluster(ref mut c) => {
                let (parsed, clustering) = &mut **c;
                if clustering.step(&mut parsed.dataset.entities, budget) {
                    let done = std::mem::replace(&mut self.stage, Stage::Whole);
                    if let Stage::Cluster(c) = done {
                        self.stage = Stage::Done(Box::new(Ok(c.0)));
                    }
                }
            }
            Stage::Whole => {
                let r = parse_dataset(&self.bytes, &self.limits);
                self.stage = Stage::Done(Box::new(r));
            }
            Stage::Scan => {
                if let Err(()) = self.scan(budget.max(1)) {
                    self.stage = Stage::Whole;
                }
            }
            Stage::Parse { batch, batches } => {
                let mut b = batch;
                let mut spent = 0;
                while b < batches && (b == batch || spent < budget) {
                    match self.parse_batch(b) {
                        Ok(n) => spent += n,
                        Err(()) => {
                            self.stage = Stage::Whole;
                            return self.progress();
                        }
                    }
                    b += 1;
                }
                self.stage = if b >= batches { self.concluded() } else { Stage::Parse { batch: b, batches } };
            }
        }
        self.progress()
    }

    /// Runs every step (for the command line and tests).
    pub fn run(mut self) -> Result<Parsed, Report> {
        while !self.step(usize::MAX / 2).finished {}
        self.finish()
    }

    /// The result, once [`Progress::finished`]; before that, an error saying so.
    pub fn finish(self) -> Result<Parsed, Report> {
        self.finish_with_bytes().0
    }

    /// The result and the file's bytes back (the app stores them when the file is accepted).
    pub fn finish_with_bytes(self) -> (Result<Parsed, Report>, Vec<u8>) {
        let r = match self.stage {
            Stage::Done(r) => *r,
            _ => Err(Report::single(Issue::error("a parse still in progress", "a finished parse (call step until finished)"))),
        };
        (r, self.bytes)
    }

    /// Scans up to `budget` bytes. `Err(())`: leave the file to the whole-file parser.
    fn scan(&mut self, budget: usize) -> Result<(), ()> {
        let end = self.pos.saturating_add(budget).min(self.bytes.len());
        while self.pos < end {
            let i = self.pos;
            let c = self.bytes[i];
            self.pos += 1;
            if self.top_closed {
                if !c.is_ascii_whitespace() {
                    return Err(());
                }
                continue;
            }
            if self.in_str {
                if self.esc {
                    self.esc = false;
                } else if c == b'\\' {
                    self.esc = true;
                } else if c == b'"' {
                    self.in_str = false;
                    self.string_closed(i)?;
                }
                continue;
            }
            if c.is_ascii_whitespace() {
                continue;
            }
            if self.depth == 0 && c != b'{' {
                return Err(());
            }
            self.mark_nonempty();
            match c {
                b'"' => {
                    self.in_str = true;
                    self.str_start = i;
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(());
                    }
                    self.opened(c, i)?;
                }
                b'}' | b']' => {
                    self.closed(i)?;
                    self.depth = self.depth.checked_sub(1).ok_or(())?;
                }
                b',' => self.comma(i)?,
                b':' => {
                    if self.depth == 1 {
                        let m = self.members.last_mut().ok_or(())?;
                        m.value_start = i + 1;
                        if m.key == "entities" {
                            self.in_entities = true;
                        }
                    }
                }
                _ => {}
            }
        }
        if self.pos >= self.bytes.len() {
            if !self.top_closed || self.form == Form::Unknown {
                return Err(());
            }
            let count = self.columns.first().map_or(0, Column::count);
            if count == 0 || self.columns.iter().any(|c| c.count() != count) {
                return Err(());
            }
            if !self.members.iter().any(|m| m.key == "format") || !self.members.iter().any(|m| m.key == "meta") {
                return Err(());
            }
            let batches = count.div_ceil(self.batch_rows);
            self.stage = Stage::Parse { batch: 0, batches };
        }
        Ok(())
    }

    /// A value starts inside the array being counted: the array is not empty.
    fn mark_nonempty(&mut self) {
        let array_depth = match self.form {
            Form::Rows => 2,
            Form::Columnar => 3,
            Form::Unknown => return,
        };
        if self.in_entities && self.depth == array_depth {
            if let Some(col) = self.columns.last_mut() {
                if col.close == 0 {
                    col.nonempty = true;
                }
            }
        }
    }

    fn string_closed(&mut self, end: usize) -> Result<(), ()> {
        let raw = &self.bytes[self.str_start + 1..end];
        if self.depth == 1 && self.expect_key {
            if raw.contains(&b'\\') {
                return Err(());
            }
            let key = std::str::from_utf8(raw).map_err(|_| ())?.to_string();
            if self.members.iter().any(|m| m.key == key) {
                return Err(());
            }
            self.members.push(Member { key, start: self.str_start, value_start: 0, end: 0 });
            self.expect_key = false;
        } else if self.depth == 2 && self.in_entities && self.form == Form::Columnar && self.expect_col_key {
            if raw.contains(&b'\\') {
                return Err(());
            }
            let key = std::str::from_utf8(raw).map_err(|_| ())?.to_string();
            self.columns.push(Column { key, ..Column::default() });
            self.expect_col_key = false;
        }
        Ok(())
    }

    fn opened(&mut self, c: u8, i: usize) -> Result<(), ()> {
        match self.depth {
            1 => self.expect_key = true,
            2 if self.in_entities => {
                if c == b'[' {
                    self.form = Form::Rows;
                    self.columns.push(Column { open: i + 1, ..Column::default() });
                } else {
                    self.form = Form::Columnar;
                    self.expect_col_key = true;
                }
            }
            3 if self.in_entities && self.form == Form::Columnar => {
                let col = self.columns.last_mut().ok_or(())?;
                if c != b'[' || col.open != 0 {
                    return Err(());
                }
                col.open = i + 1;
            }
            _ => {}
        }
        Ok(())
    }

    fn closed(&mut self, i: usize) -> Result<(), ()> {
        match self.depth {
            1 => {
                if let Some(m) = self.members.last_mut() {
                    m.end = i;
                }
                self.top_closed = true;
                self.in_entities = false;
            }
            2 if self.in_entities => {
                if self.form == Form::Rows {
                    self.columns.last_mut().ok_or(())?.close = i;
                }
            }
            3 if self.in_entities && self.form == Form::Columnar => {
                self.columns.last_mut().ok_or(())?.close = i;
            }
            _ => {}
        }
        Ok(())
    }

    fn comma(&mut self, i: usize) -> Result<(), ()> {
        let array_depth = if self.form == Form::Rows { 2 } else { 3 };
        if self.depth == 1 {
            if let Some(m) = self.members.last_mut() {
                m.end = i;
            }
            self.expect_key = true;
            self.in_entities = false;
        } else if self.in_entities && self.depth == 2 && self.form == Form::Columnar {
            self.expect_col_key = true;
        } else if self.in_entities && self.depth == array_depth && self.form != Form::Unknown {
            let k = self.batch_rows;
            let col = self.columns.last_mut().ok_or(())?;
            col.commas += 1;
            if col.commas % k == 0 {
                col.bounds.push(i);
            }
        }
        Ok(())
    }

    /// Parses batch `b`; returns the bytes it covered. `Err(())` on a syntax error (whole-file
    /// parse for the right line and column).
    fn parse_batch(&mut self, b: usize) -> Result<usize, ()> {
        let mut doc = Vec::new();
        doc.push(b'{');
        let mut first = true;
        for m in &self.members {
            let keep = if m.key == "entities" { false } else { b == 0 || m.key == "format" || m.key == "meta" };
            if keep {
                if !first {
                    doc.push(b',');
                }
                first = false;
                doc.extend_from_slice(&self.bytes[m.start..m.end]);
            }
        }
        if !first {
            doc.push(b',');
        }
        doc.extend_from_slice(b"\"entities\":");
        let mut covered = 0;
        match self.form {
            Form::Rows => {
                let (s, e) = self.columns[0].slice(b);
                covered += e - s;
                doc.push(b'[');
                doc.extend_from_slice(&self.bytes[s..e]);
                doc.push(b']');
            }
            _ => {
                doc.push(b'{');
                for (k, col) in self.columns.iter().enumerate() {
                    if k > 0 {
                        doc.push(b',');
                    }
                    let (s, e) = col.slice(b);
                    covered += e - s;
                    doc.push(b'"');
                    doc.extend_from_slice(col.key.as_bytes());
                    doc.extend_from_slice(b"\":[");
                    doc.extend_from_slice(&self.bytes[s..e]);
                    doc.push(b']');
                }
                doc.push(b'}');
            }
        }
        doc.push(b'}');
        let offset = b * self.batch_rows;
        let limits = Limits { max_bytes: usize::MAX };
        match parse_dataset_in_file_order(&doc, &limits) {
            Ok(parsed) => {
                self.add_issues(parsed.warnings, offset, b, true);
                self.append(parsed.dataset, offset);
            }
            Err(report) => {
                if report.errors.iter().any(|i| i.line_col.is_some()) {
                    return Err(());
                }
                self.add_issues(report, offset, b, false);
            }
        }
        if b == 0 {
            covered += self.members.iter().filter(|m| m.key != "entities").map(|m| m.end - m.start).sum::<usize>();
        }
        self.parsed_bytes += covered;
        Ok(covered)
    }

    fn add_issues(&mut self, report: Report, offset: usize, b: usize, warnings_only: bool) {
        let shift = |i: &mut Issue| {
            if let Some(r) = i.row {
                i.row = Some(r + offset);
                i.expected = super::error::remap_row_mentions(&i.expected, &|n| n + offset);
            }
        };
        let target = if warnings_only { &mut self.warnings } else { &mut self.report };
        let mut add = |mut i: Issue| {
            // Issues without a row (meta, unknown keys) are the same in every batch: keep the first.
            if b > 0 && i.row.is_none() {
                return;
            }
            shift(&mut i);
            target.push(i);
        };
        let (more_e, more_w) = (report.more_errors, report.more_warnings);
        for i in report.errors.into_iter().chain(report.warnings) {
            add(i);
        }
        target.more_errors += more_e;
        target.more_warnings += more_w;
    }

    /// Appends a parsed batch, reporting ids already used in the same year by an earlier batch.
    fn append(&mut self, ds: Dataset, offset: usize) {
        let e = &ds.entities;
        if let Some(merged) = &self.merged {
            for j in 0..e.len() {
                let id = e.id(j);
                if id.is_empty() {
                    continue;
                }
                let year = e.year(j).unwrap_or(0);
                if let Some(&first) = self.seen.get(&key(year, id)) {
                    let f = first as usize;
                    if merged.entities.id(f - 1) == id && merged.entities.year(f - 1).unwrap_or(0) == year {
                        self.report.error_with(|| {
                            Issue::error(quote(id), format!("an id used once in {year}; it is already used in row {first}"))
                                .at_row(offset + j + 1)
                                .in_field("id")
                        });
                    }
                }
            }
        }
        for j in 0..e.len() {
            let id = e.id(j);
            if !id.is_empty() {
                let row = u32::try_from(offset + j + 1).unwrap_or(u32::MAX);
                self.seen.entry(key(e.year(j).unwrap_or(0), id)).or_insert(row);
            }
        }
        match &mut self.merged {
            Some(m) => m.entities.extend_from(&ds.entities),
            None => self.merged = Some(ds),
        }
    }

    /// The stage after the last batch: clustering the rows, or done (refused, or nothing to move).
    fn concluded(&mut self) -> Stage {
        match self.conclude() {
            Ok(mut parsed) => match Clustering::start(&mut parsed.dataset.entities) {
                Some(c) => Stage::Cluster(Box::new((parsed, c))),
                None => Stage::Done(Box::new(Ok(parsed))),
            },
            Err(r) => Stage::Done(Box::new(Err(r))),
        }
    }

    fn conclude(&mut self) -> Result<Parsed, Report> {
        if self.report.has_errors() {
            let mut r = std::mem::take(&mut self.report);
            let w = std::mem::take(&mut self.warnings);
            r.merge(w.warnings_only());
            return Err(r);
        }
        let dataset = self.merged.take().ok_or_else(|| Report::single(Issue::error("no rows", "entities")))?;
        self.seen = HashMap::new();
        Ok(Parsed { dataset, warnings: std::mem::take(&mut self.warnings) })
    }
}

/// FNV-1a of (year, id): the key of the cross-batch duplicate check (a collision is confirmed by
/// comparing the ids themselves).
fn key(year: u16, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in year.to_le_bytes().iter().chain(id.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::NumField;

    fn same(a: &Dataset, b: &Dataset) {
        assert_eq!(a.meta, b.meta);
        assert_eq!(a.observations.len(), b.observations.len());
        assert_eq!(a.indicators.len(), b.indicators.len());
        let (x, y) = (&a.entities, &b.entities);
        assert_eq!(x.len(), y.len());
        for i in 0..x.len() {
            assert_eq!((x.id(i), x.year(i), x.province(i), x.kind(i)), (y.id(i), y.year(i), y.province(i), y.kind(i)), "row {i}");
            assert_eq!(x.file_row(i), y.file_row(i), "row {i}: same file row");
            for f in NumField::ALL {
                assert_eq!(f.get(x, i).map(f64::to_bits), f.get(y, i).map(f64::to_bits), "row {i} {f:?}");
            }
        }
    }

    fn sliced(bytes: &[u8], k: usize) -> (Result<Parsed, Report>, usize) {
        let mut p = IncrementalParser::with_batch_rows(bytes.to_vec(), Limits::default(), k);
        let mut steps = 0;
        let mut last = 0;
        loop {
            let pr = p.step(4096);
            assert!(pr.done >= last && pr.done <= pr.total, "{pr:?}");
            last = pr.done;
            steps += 1;
            if pr.finished {
                break;
            }
        }
        (p.finish(), steps)
    }

    #[test]
    fn columnar_in_batches_equals_one_parse() {
        let text = crate::synth::scale::generate(2_500, 42);
        let whole = parse_dataset(text.as_bytes(), &Limits::default()).unwrap();
        let (r, steps) = sliced(text.as_bytes(), 300);
        let r = r.unwrap();
        assert!(steps > 20, "{steps} steps");
        same(&r.dataset, &whole.dataset);
        assert!(r.dataset.entities.index().is_some(), "clustered once the batches are in");
        // Clustering 2,500 rows with a 4 KB budget takes several steps, each reported as progress
        // between the end of parsing (7/8 of the work) and the end.
        let mut p = IncrementalParser::with_batch_rows(text.as_bytes().to_vec(), Limits::default(), 300);
        let mut clustering_steps = 0;
        loop {
            let pr = p.step(4096);
            if !pr.finished && pr.done > pr.total * 7 / 8 {
                clustering_steps += 1;
            }
            if pr.finished {
                assert_eq!(pr.done, pr.total);
                break;
            }
        }
        assert!(clustering_steps >= 2, "{clustering_steps} clustering steps");
        assert_eq!(r.warnings.warning_count(), whole.warnings.warning_count());
    }

    #[test]
    fn rows_form_and_fixtures_equal_one_parse() {
        for f in ["good_rows.json", "good_columnar.json", "own-good.json"] {
            let bytes = std::fs::read(format!("{}/tests/fixtures/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let whole = parse_dataset(&bytes, &Limits::default()).unwrap();
            let (r, _) = sliced(&bytes, 1);
            let r = r.unwrap();
            same(&r.dataset, &whole.dataset);
            assert_eq!(r.warnings, whole.warnings, "{f}");
        }
    }

    #[test]
    fn errors_keep_their_rows_and_duplicates_across_batches_are_found() {
        let mut rows = Vec::new();
        for i in 0..30 {
            let id = if i == 25 { "U3".to_string() } else { format!("U{i}") };
            let workers = if i == 17 { "-1".to_string() } else { "5".to_string() };
            rows.push(format!("{{\"id\":\"{id}\",\"province\":\"19\",\"year\":2024,\"kind\":\"htx\",\"workers\":{workers}}}"));
        }
        let text = format!("{{\"format\":\"coop-atlas/1\",\"meta\":{{\"id\":\"x\",\"title\":\"X\",\"source\":{{\"publisher\":\"p\"}},\"boundary\":63}},\"entities\":[{}]}}", rows.join(","));
        let whole = parse_dataset(text.as_bytes(), &Limits::default()).unwrap_err();
        let (r, _) = sliced(text.as_bytes(), 4);
        let r = r.unwrap_err();
        let mut a: Vec<String> = whole.errors.iter().map(|i| i.to_string()).collect();
        let mut b: Vec<String> = r.errors.iter().map(|i| i.to_string()).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        assert!(b.iter().any(|m| m.contains("row 26, field \"id\"") && m.contains("row 4")), "{b:?}");
        assert!(b.iter().any(|m| m.contains("row 18, field \"workers\"")), "{b:?}");
    }

    #[test]
    fn odd_files_fall_back_to_the_parser_messages() {
        let cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"[1,2]".to_vec(),
            b"{\"format\":\"coop-atlas/1\",\"meta\":{}} x".to_vec(),
            b"{\"format\":\"coop-atlas/1\",\"entities\":[{\"id\":".to_vec(),
            b"{\"format\":\"coop-atlas/1\",\"meta\":1,\"entities\":{\"id\":[\"a\",\"b\"],\"year\":[1]}}".to_vec(),
            format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            b"{\"format\":\"coop-atlas/1\",\"meta\":{},\"entities\":[{\"id\":\"a\",}, {\"id\":\"b\"}]}".to_vec(),
            vec![0xff, 0xfe, b'{', 0],
        ];
        for bytes in cases {
            let whole = parse_dataset(&bytes, &Limits::default());
            let (r, _) = sliced(&bytes, 1);
            assert_eq!(r.map(|p| p.dataset.entities.len()), whole.map(|p| p.dataset.entities.len()));
        }
    }

    #[test]
    fn progress_is_bounded_per_step() {
        let text = crate::synth::scale::generate(3_000, 7);
        let mut p = IncrementalParser::with_batch_rows(text.into_bytes(), Limits::default(), 500);
        let mut steps = 0;
        while !p.step(64 * 1024).finished {
            steps += 1;
            assert!(steps < 10_000);
        }
        assert!(steps > 5, "{steps}");
        assert_eq!(p.finish().unwrap().dataset.entities.len(), 3_000);
    }
}
