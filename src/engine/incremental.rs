//! A resumable dataset parser: bounded work per [`IncrementalParser::step`], with progress, so
//! the browser can parse a large file in slices (painting a progress bar and honouring Cancel in
//! between) instead of freezing the page for the whole parse.
//!
//! How, without a second JSON parser: a light byte scanner (strings, escapes and nesting depth
//! only) finds the top-level members and, inside `entities`, the position of every
//! [`BATCH_ROWS`]-th row (rows form) or of every column's [`BATCH_ROWS`]-th value (columnar
//! form). Each batch of rows then becomes a small document (`format`, `meta` and that slice of
//! `entities`; the first batch also carries `observations`, `indicators` and any other key) that
//! goes through the one real parser ([`parse_dataset`], keeping file order; the rows are
//! clustered once at the end, a few columns a step). Batches are appended
//! ([`Entities::extend_from`]), their issues get their rows shifted to the whole file's, and an
//! id used twice across batches is reported exactly as the parser reports it within one (unless
//! its first use is in a batch that has errors: that batch is not merged, and the file is refused
//! anyway).
//!
//! Memory (issue 8: at most 120 MB of wasm memory after loading a million rows; wasm memory never
//! shrinks, so the peak is what counts): the file is read through a [`ByteSource`], so in the
//! browser it stays in JavaScript and only a scanned chunk or a batch's document is in wasm at a
//! time; once the scan knows the row count, the merged columns are reserved once (no doubling) and
//! the cross-batch duplicate-id table is a flat table of row numbers (4 bytes a slot, half full)
//! that compares ids in the merged columns instead of keeping keys of its own.
//!
//! Whenever the scanner meets something it does not expect (the top level is not an object, a key
//! with an escape or longer than 4 KB, columns of unequal length, nesting deeper than the format
//! allows, text after the end) or a batch fails with a syntax error, it falls back to one parse of
//! the whole file (copied in whole: that path is for bad files), so every message is the parser's
//! own, with the right line and column. Small files (under [`SMALL_BYTES`]) are parsed in one step
//! as well: slicing them would only add work.
//!
//! [`Entities::extend_from`]: super::columns::Entities::extend_from
//! [`parse_dataset`]: super::parse::parse_dataset

use super::byte_source::ByteSource;
use super::columns::{Clustering, Entities};
use super::dataset::Dataset;
use super::error::{Issue, Phrase, Report};
use super::parse::{parse_dataset_in_file_order, parse_dataset_owned, Limits, Parsed};

/// Rows per batch: about 1 MB of typical columnar JSON, parsed in ≈ 10 ms natively.
pub const BATCH_ROWS: usize = 10_000;
/// Files smaller than this are parsed in one step.
pub const SMALL_BYTES: usize = 1_000_000;
/// Deepest nesting the scanner follows before leaving the file to the parser's own message.
const MAX_DEPTH: usize = 128;
/// Bytes the scanner copies out of the source at a time.
const SCAN_CHUNK: usize = 256 * 1024;
/// Longest key the scanner keeps (a top-level or column key); a longer one goes to the parser.
const MAX_KEY: usize = 4096;

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
        let start = match b.checked_sub(1).and_then(|p| self.bounds.get(p)) {
            Some(&comma) => comma + 1,
            None => self.open,
        };
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
    source: Box<dyn ByteSource>,
    /// The source's length (kept: the whole-file fall-back takes the source over).
    len: usize,
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
    /// Whether the string being scanned is a key the scanner keeps (in `key`).
    capture: bool,
    key: Vec<u8>,
    /// The chunk being scanned, then each batch's document (reused: allocated once).
    buf: Vec<u8>,
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
    /// Rows in the file (known once scanned).
    rows: usize,
    ids: IdTable,
    /// For each appended batch: (its first row in the merged columns, its first row in the file, 0-based).
    spans: Vec<(usize, usize)>,
    parsed_bytes: usize,
    /// The most progress reported so far: a fall-back to the whole-file parse never moves the bar
    /// backwards.
    high: usize,
}

impl IncrementalParser {
    /// Prepares to parse `bytes` under `limits` (checked at once: a file over the size limit is
    /// refused in the first step without being scanned).
    pub fn new(bytes: Vec<u8>, limits: Limits) -> IncrementalParser {
        IncrementalParser::with_source(Box::new(bytes), limits, BATCH_ROWS)
    }

    /// The same with another batch size (tests use small ones to exercise many batches).
    pub fn with_batch_rows(bytes: Vec<u8>, limits: Limits, batch_rows: usize) -> IncrementalParser {
        IncrementalParser::with_source(Box::new(bytes), limits, batch_rows)
    }

    /// Prepares to parse the bytes of `source` (in the browser, a file held by JavaScript) in
    /// batches of `batch_rows` rows ([`BATCH_ROWS`] in the app).
    pub fn with_source(source: Box<dyn ByteSource>, limits: Limits, batch_rows: usize) -> IncrementalParser {
        let len = source.len();
        let small = len < SMALL_BYTES && batch_rows == BATCH_ROWS;
        let stage = if small || len > limits.max_bytes { Stage::Whole } else { Stage::Scan };
        let mut head = Vec::with_capacity(3);
        source.append_range(0, 3, &mut head);
        let start = if head == [0xEF, 0xBB, 0xBF] { 3 } else { 0 };
        IncrementalParser {
            source,
            len,
            limits,
            stage,
            batch_rows: batch_rows.max(1),
            pos: start,
            depth: 0,
            in_str: false,
            esc: false,
            str_start: 0,
            expect_key: false,
            capture: false,
            key: Vec::new(),
            buf: Vec::new(),
            members: Vec::new(),
            top_closed: false,
            form: Form::Unknown,
            columns: Vec::new(),
            in_entities: false,
            expect_col_key: false,
            merged: None,
            report: Report::new(),
            warnings: Report::new(),
            rows: 0,
            ids: IdTable::default(),
            spans: Vec::new(),
            parsed_bytes: 0,
            high: 0,
        }
    }

    fn progress(&mut self) -> Progress {
        let n = self.len.max(1);
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
                // Bad or small files only: the whole file comes into memory, and is freed as soon
                // as its JSON is read (parse_dataset_owned), as in the one-call parse.
                self.release_parse_state();
                let source = std::mem::replace(&mut self.source, Box::new(Vec::new()));
                let r = parse_dataset_owned(source.into_vec(), &self.limits);
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
        match self.stage {
            Stage::Done(r) => *r,
            _ => Err(Report::single(Issue::error(
                Phrase::new("a parse still in progress", "việc đọc tệp chưa xong"),
                Phrase::new("a finished parse (call step until finished)", "việc đọc đã xong (gọi step cho đến khi xong)"),
            ))),
        }
    }

    /// Frees what the batches were merged with (before the whole-file parse needs the memory).
    fn release_parse_state(&mut self) {
        self.merged = None;
        self.ids = IdTable::default();
        self.buf = Vec::new();
    }

    /// Scans up to `budget` bytes, copied out of the source a chunk at a time. `Err(())`: leave
    /// the file to the whole-file parser.
    fn scan(&mut self, budget: usize) -> Result<(), ()> {
        let end = self.pos.saturating_add(budget).min(self.len);
        let mut chunk = std::mem::take(&mut self.buf);
        let mut outcome = Ok(());
        while self.pos < end && outcome.is_ok() {
            let base = self.pos;
            chunk.clear();
            self.source.append_range(base, end.min(base.saturating_add(SCAN_CHUNK)), &mut chunk);
            if chunk.is_empty() {
                // The source ended early (it cannot, but never loop on it).
                outcome = Err(());
                break;
            }
            outcome = self.scan_chunk(&chunk, base);
        }
        self.buf = chunk;
        outcome?;
        if self.pos >= self.len {
            self.buf = Vec::new();
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
            self.rows = count;
            self.ids = IdTable::for_rows(count);
            self.stage = Stage::Parse { batch: 0, batches };
        }
        Ok(())
    }

    /// Scans `chunk`, the bytes at `base..` of the file.
    fn scan_chunk(&mut self, chunk: &[u8], base: usize) -> Result<(), ()> {
        for (k, &c) in chunk.iter().enumerate() {
            let i = base + k;
            self.pos = i + 1;
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
                    self.string_closed()?;
                    continue;
                }
                if self.capture {
                    if self.key.len() >= MAX_KEY {
                        return Err(());
                    }
                    self.key.push(c);
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
                    self.capture = (self.depth == 1 && self.expect_key)
                        || (self.depth == 2 && self.in_entities && self.form == Form::Columnar && self.expect_col_key);
                    self.key.clear();
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

    fn string_closed(&mut self) -> Result<(), ()> {
        if !self.capture {
            return Ok(());
        }
        self.capture = false;
        let raw = self.key.as_slice();
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
        let mut doc = std::mem::take(&mut self.buf);
        let covered = self.batch_document(b, &mut doc);
        let offset = b * self.batch_rows;
        let limits = Limits { max_bytes: usize::MAX };
        let outcome = parse_dataset_in_file_order(&doc, &limits);
        doc.clear();
        self.buf = doc;
        match outcome {
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
        self.parsed_bytes += covered;
        Ok(covered)
    }

    /// Writes batch `b`'s small document into `doc` (`format`, `meta`, that slice of `entities`;
    /// the first batch also every other member), copying its ranges out of the source. Returns
    /// the bytes of the file it covers.
    fn batch_document(&self, b: usize, doc: &mut Vec<u8>) -> usize {
        let src = &*self.source;
        doc.clear();
        doc.push(b'{');
        let mut covered = 0;
        let mut first = true;
        for m in &self.members {
            let keep = if m.key == "entities" { false } else { b == 0 || m.key == "format" || m.key == "meta" };
            if keep {
                if !first {
                    doc.push(b',');
                }
                first = false;
                src.append_range(m.start, m.end, doc);
                if b == 0 {
                    covered += m.end.saturating_sub(m.start);
                }
            }
        }
        if !first {
            doc.push(b',');
        }
        doc.extend_from_slice(b"\"entities\":");
        match self.form {
            Form::Rows => {
                let (s, e) = self.columns.first().map_or((0, 0), |c| c.slice(b));
                covered += e.saturating_sub(s);
                doc.push(b'[');
                src.append_range(s, e, doc);
                doc.push(b']');
            }
            _ => {
                doc.push(b'{');
                for (k, col) in self.columns.iter().enumerate() {
                    if k > 0 {
                        doc.push(b',');
                    }
                    let (s, e) = col.slice(b);
                    covered += e.saturating_sub(s);
                    doc.push(b'"');
                    doc.extend_from_slice(col.key.as_bytes());
                    doc.extend_from_slice(b"\":[");
                    src.append_range(s, e, doc);
                    doc.push(b']');
                }
                doc.push(b'}');
            }
        }
        doc.push(b'}');
        covered
    }

    fn add_issues(&mut self, report: Report, offset: usize, b: usize, warnings_only: bool) {
        let shift = |i: &mut Issue| {
            if i.row.is_some() {
                i.map_rows(&|r| r + offset);
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

    /// Appends a parsed batch, reporting ids already used in the same year by an earlier batch
    /// (an id used twice within the batch was reported by the parser already).
    fn append(&mut self, ds: Dataset, offset: usize) {
        let added = ds.entities.len();
        match self.merged.as_mut() {
            Some(m) => m.entities.extend_from(&ds.entities),
            None => {
                let mut ds = ds;
                // Room for every row of the file now (ids sized like this batch's), so no column
                // doubles while the other batches are appended.
                ds.entities.reserve(self.rows.saturating_sub(added));
                self.merged = Some(ds);
            }
        }
        let Some(merged) = &self.merged else { return };
        let e = &merged.entities;
        let first_new = e.len().saturating_sub(added);
        self.spans.push((first_new, offset));
        for g in first_new..e.len() {
            let id = e.id(g);
            if id.is_empty() {
                continue;
            }
            let year = e.year(g).unwrap_or(0);
            match self.ids.find_or_insert(e, g, year, id) {
                Some(f) if f < first_new => {
                    let first = file_row(&self.spans, f);
                    self.report.error_with(|| {
                        super::validate::duplicate_id(id, year, first).at_row(offset + (g - first_new) + 1)
                    });
                }
                _ => {}
            }
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
        self.ids = IdTable::default();
        self.spans = Vec::new();
        self.buf = Vec::new();
        if self.report.has_errors() {
            let mut r = std::mem::take(&mut self.report);
            let w = std::mem::take(&mut self.warnings);
            r.merge(w.warnings_only());
            return Err(r);
        }
        let dataset = self.merged.take().ok_or_else(|| Report::single(Issue::error(
            Phrase::new("no rows", "tệp không có đơn vị nào"),
            Phrase::new("entities", "ít nhất một đơn vị trong `entities`"),
        )))?;
        Ok(Parsed { dataset, warnings: std::mem::take(&mut self.warnings) })
    }
}

/// The file row (1-based) of row `merged` of the merged columns: batches with errors are not
/// appended, so the two numberings differ after one. `spans` holds each appended batch's first row
/// in both, in order.
fn file_row(spans: &[(usize, usize)], merged: usize) -> usize {
    let k = spans.partition_point(|&(m, _)| m <= merged);
    match k.checked_sub(1).and_then(|k| spans.get(k)) {
        Some(&(m, file)) => file + (merged - m) + 1,
        None => merged + 1,
    }
}

/// The cross-batch duplicate-id table: which row first used each (year, id). Open addressing over
/// row numbers of the merged columns (row + 1; 0 is an empty slot), sized at least twice the rows
/// so it is at most half full and never grows: 4 bytes a slot, 8 MB for a million rows, where a
/// map keeping hashed keys took about 34 MB and doubled while it grew. Ids are compared in the
/// merged columns themselves.
#[derive(Default)]
struct IdTable {
    slots: Vec<u32>,
}

impl IdTable {
    fn for_rows(rows: usize) -> IdTable {
        let size = rows.saturating_mul(2).max(16).checked_next_power_of_two().unwrap_or(0);
        IdTable { slots: vec![0; size] }
    }

    /// The row of `e` that already holds (`year`, `id`); `None` after recording `row` as its first.
    fn find_or_insert(&mut self, e: &Entities, row: usize, year: u16, id: &str) -> Option<usize> {
        let n = self.slots.len();
        let mask = n.checked_sub(1)?;
        let h = key(year, id);
        let mut at = ((h >> 32) ^ h) as usize & mask;
        for _ in 0..n {
            let slot = self.slots.get_mut(at)?;
            if *slot == 0 {
                *slot = u32::try_from(row + 1).unwrap_or(0);
                return None;
            }
            let f = *slot as usize - 1;
            if e.year(f).unwrap_or(0) == year && e.id(f) == id {
                return Some(f);
            }
            at = (at + 1) & mask;
        }
        None
    }
}

/// FNV-1a of (year, id): where the duplicate-id table starts looking.
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
    use crate::engine::parse::parse_dataset;

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

    /// A source that is not a `Vec` (so nothing can borrow the whole file) and records what was
    /// copied out of it.
    struct Spy {
        bytes: Vec<u8>,
        largest: std::rc::Rc<std::cell::Cell<usize>>,
        copied: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl ByteSource for Spy {
        fn len(&self) -> usize {
            self.bytes.len()
        }
        fn append_range(&self, start: usize, end: usize, out: &mut Vec<u8>) {
            let before = out.len();
            self.bytes.append_range(start, end, out);
            let n = out.len() - before;
            self.largest.set(self.largest.get().max(n));
            self.copied.set(self.copied.get() + n);
        }
    }

    fn spied(bytes: &[u8], k: usize) -> (Result<Parsed, Report>, usize, usize) {
        let largest = std::rc::Rc::new(std::cell::Cell::new(0));
        let copied = std::rc::Rc::new(std::cell::Cell::new(0));
        let spy = Spy { bytes: bytes.to_vec(), largest: largest.clone(), copied: copied.clone() };
        let mut p = IncrementalParser::with_source(Box::new(spy), Limits::default(), k);
        let mut last = 0;
        loop {
            let pr = p.step(64 * 1024);
            assert!(pr.done >= last && pr.done <= pr.total, "{pr:?}");
            last = pr.done;
            if pr.finished {
                break;
            }
        }
        (p.finish(), largest.get(), copied.get())
    }

    #[test]
    fn a_source_is_read_a_chunk_or_a_batch_at_a_time() {
        let text = crate::synth::scale::generate(20_000, 11);
        assert!(text.len() > 4 * SCAN_CHUNK, "{} bytes", text.len());
        let whole = parse_dataset(text.as_bytes(), &Limits::default()).unwrap();
        let (r, largest, copied) = spied(text.as_bytes(), 1_000);
        same(&r.unwrap().dataset, &whole.dataset);
        // Never the whole file at once: a scanned chunk, or one column's slice of a batch.
        assert!(largest <= SCAN_CHUNK, "largest read {largest}");
        // Scanned once, each batch's slices copied once, `format` and `meta` once more a batch.
        assert!(copied <= text.len() * 2 + 20 * 400, "copied {copied} of {}", text.len());
    }

    #[test]
    fn a_malformed_file_from_a_source_gets_the_parser_messages() {
        let text = crate::synth::scale::generate(500, 3);
        // Columns of unequal length, then a syntax error inside a later batch.
        let unequal = text.replacen("[", "[1,", 1).into_bytes();
        let pos = text.rfind("],").unwrap();
        let mut syntax = text.clone().into_bytes();
        syntax.insert(pos, b'x');
        for bytes in [unequal, syntax] {
            let whole = parse_dataset(&bytes, &Limits::default());
            let (r, _, _) = spied(&bytes, 50);
            assert_eq!(r.map(|p| p.dataset.entities.len()), whole.map(|p| p.dataset.entities.len()));
        }
    }

    #[test]
    fn a_truncated_file_never_panics_and_gets_the_parser_messages() {
        let text = crate::synth::scale::generate(60, 5).into_bytes();
        for cut in (0..text.len()).step_by(7).chain([text.len() - 1]) {
            let bytes = &text[..cut];
            let whole = parse_dataset(bytes, &Limits::default());
            let (r, _) = sliced(bytes, 4);
            assert_eq!(r.map(|p| p.dataset.entities.len()), whole.map(|p| p.dataset.entities.len()), "cut at {cut}");
        }
    }

    #[test]
    fn duplicates_name_file_rows_after_a_batch_with_errors() {
        // Batches of 4 rows; row 6 (second batch) has an error, so that batch is not merged and
        // the rows of the merged columns no longer match the file's; row 26 reuses row 10's id.
        let mut rows = Vec::new();
        for i in 1..=30 {
            let id = if i == 26 { "U10".to_string() } else { format!("U{i}") };
            let workers = if i == 6 { "-1" } else { "5" };
            rows.push(format!("{{\"id\":\"{id}\",\"province\":\"19\",\"year\":2024,\"kind\":\"htx\",\"workers\":{workers}}}"));
        }
        let text = format!("{{\"format\":\"coop-atlas/1\",\"meta\":{{\"id\":\"x\",\"title\":\"X\",\"source\":{{\"publisher\":\"p\"}},\"boundary\":63}},\"entities\":[{}]}}", rows.join(","));
        let whole = parse_dataset(text.as_bytes(), &Limits::default()).unwrap_err();
        let r = sliced(text.as_bytes(), 4).0.unwrap_err();
        let mut a: Vec<String> = whole.errors.iter().map(|i| i.to_string()).collect();
        let mut b: Vec<String> = r.errors.iter().map(|i| i.to_string()).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        assert!(b.iter().any(|m| m.contains("row 26, field \"id\"") && m.contains("already used in row 10")), "{b:?}");
    }

    #[test]
    fn a_converted_csv_in_batches_equals_its_one_call_parse() {
        use crate::engine::csv_import::{self, Converter, CsvMeta, Field};
        let fixture = std::fs::read_to_string(format!("{}/tests/fixtures/own-good-vi.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
        // The fixture, then the fixture with a bad row (row 10, in the second batch) and row 3's
        // id used again in row 42. (An id first used in a batch that has errors is not looked up
        // across batches: that batch is not merged; the file is refused either way.)
        let mut bad = fixture.clone();
        bad = bad.replacen("TN-009;Bắc Kạn;2024;", "TN-009;Bắc Kạn;20x4;", 1);
        bad.push_str("TN-002;Bắc Kạn;2024;HTX;Nông nghiệp;11;6;4.050.000;101,5;không\n");
        for csv in [fixture, bad] {
            let converter = || {
                let file = csv_import::read(csv.as_bytes(), &Limits::default()).unwrap();
                let mapping: Vec<Option<Field>> = csv_import::guess_mapping(&file.headers).iter().map(|g| g.field).collect();
                let boundary = csv_import::province_column_boundary(&file, &mapping);
                let meta = CsvMeta { id: "own".into(), title: "Own".into(), publisher: crate::engine::dataset::Text::new("Own", "Own"), boundary };
                let mut c = Converter::new(&file, &mapping, meta).unwrap();
                while !c.step(7).finished {}
                c
            };
            let one_call = converter().finish();
            let (json, rows) = converter().into_json().unwrap();
            let mut r = sliced(json.as_bytes(), 6).0;
            match &mut r {
                Ok(p) => rows.remap(&mut p.warnings),
                Err(report) => rows.remap(report),
            }
            match (r, one_call) {
                (Ok(a), Ok(b)) => {
                    same(&a.dataset, &b.dataset);
                    assert_eq!(a.warnings, b.warnings);
                }
                (Err(a), Err(b)) => {
                    let mut a: Vec<String> = a.errors.iter().map(|i| i.to_string()).collect();
                    let mut b: Vec<String> = b.errors.iter().map(|i| i.to_string()).collect();
                    a.sort_unstable();
                    b.sort_unstable();
                    assert_eq!(a, b);
                    assert!(a.iter().any(|m| m.contains("row 42, field \"id\"") && m.contains("row 3")), "{a:?}");
                    assert!(a.iter().any(|m| m.contains("row 10, field \"year\"")), "{a:?}");
                }
                (a, b) => panic!("sliced {:?} vs one call {:?}", a.map(|_| ()), b.map(|_| ())),
            }
        }
    }

    #[test]
    fn the_merged_columns_are_reserved_once() {
        let text = crate::synth::scale::generate(5_000, 9);
        let mut p = IncrementalParser::with_batch_rows(text.into_bytes(), Limits::default(), 500);
        let mut capacity = None;
        while !p.step(64 * 1024).finished {
            if let Some(m) = &p.merged {
                let now = m.entities.heap_bytes();
                // Set when the first batch is merged, then never moved again.
                assert_eq!(*capacity.get_or_insert(now), now);
            }
        }
        let ds = p.finish().unwrap().dataset;
        assert_eq!(ds.entities.len(), 5_000);
        // Clustering (the generated rows are in random order) then stores each column at its exact
        // length, plus 4 bytes a row for the file rows.
        let capacity = capacity.unwrap_or(0);
        assert!(ds.entities.heap_bytes() <= capacity + 4 * 5_000, "{} vs {capacity}", ds.entities.heap_bytes());
        assert!(!ds.entities.file_row.is_empty(), "rows did move");
    }

    #[test]
    fn the_duplicate_table_finds_every_id_and_only_equal_ones() {
        let mut e = Entities::new();
        for i in 0..1_000 {
            let mut row = crate::engine::columns::Row::new(&format!("H{}", i % 600), 0, 2020 + (i / 600) as u16, crate::engine::vocab::Kind::Htx);
            row.year = if i % 600 < 300 { 2024 } else { row.year };
            e.push(&row);
        }
        let mut t = IdTable::for_rows(e.len());
        let mut found = Vec::new();
        for g in 0..e.len() {
            if let Some(f) = t.find_or_insert(&e, g, e.year(g).unwrap(), e.id(g)) {
                found.push((g, f));
            }
        }
        // Rows 600..899 repeat rows 0..299 (same id, year 2024); rows 900..999 use new years.
        assert_eq!(found.len(), 300);
        assert!(found.iter().all(|&(g, f)| g - f == 600 && e.id(g) == e.id(f)), "{found:?}");
        assert_eq!(t.slots.len(), 2048);
    }
}
