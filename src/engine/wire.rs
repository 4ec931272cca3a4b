//! A checked [`Dataset`] as bytes: how a dataset travels to the page's wasm without the page
//! parsing JSON.
//!
//! Why a second form next to the published JSON: the page's first-view wasm must stay small (every
//! kilobyte is paid on 3G before a shared link shows a figure), and the JSON parser with its
//! checks and bilingual messages is the largest part of the engine. So the JSON is parsed and
//! checked once, elsewhere — at build time for the bundled files (`coop-atlas pack`, run by
//! `scripts/build.sh`; CI checks every bundled file with the full checks), and in the own-data Web
//! Worker for a user's file — and the page only decodes this form, which is little more than
//! copying columns.
//!
//! Layout (all integers little-endian): the magic `CAW3`, then the meta, observations,
//! indicator definitions and targets as length-prefixed fields, then the entity columns, each a `u32` element
//! count followed by its raw one-byte elements (codes) or, for numbers, a byte length and LEB128
//! varints (sentinels as 0, values shifted by one). Varints of small numbers compress better over
//! the wire than fixed-width ones: the packed 2024 file is smaller, brotli, than its JSON. Enumerations are written as their file codes, not their
//! indices, so a reordered vocabulary can never silently change a decoded value.
//!
//! [`decode`] reads through a [`ByteSource`] one field or one column at a time: in the browser the
//! bytes stay in a JavaScript buffer and only one column is copied into wasm memory at once (wasm
//! memory never shrinks, so a million-row dataset must not pass through it twice). It never panics
//! on bad bytes: every length is checked against what is left, every code against its vocabulary,
//! every column against the row count, and the id offsets against the id text.

use super::byte_source::ByteSource;
use super::columns::{Entities, MISSING, NONE};
use super::dataset::{
    Area, Authority, Comparison, Dataset, IndicatorDef, Measure, Meta, NumField, Observation, Source, Subset, Target, Text, Unit,
};
use super::provinces::registry;
use super::vocab::{Boundary, Kind, Ntm, Region, Sector, Stage};

/// The first bytes of every encoded dataset: the layout's version. A new field means a new magic, so a
/// packed file of an earlier layout (kept in IndexedDB by an earlier release) is refused, never
/// misread: version 3 added observations' publisher and a bilingual licence.
pub const MAGIC: &[u8; 4] = b"CAW3";

/// Why bytes could not be decoded. The message names the part that was being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub String);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "packed dataset: {}", self.0)
    }
}

impl std::error::Error for WireError {}

// ---------------------------------------------------------------------------------------------
// Encoding

/// Little-endian bytes, written field by field: this format's and the own-data worker's messages
/// (`checker::protocol`, which adds its own fields to it).
#[derive(Default)]
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn area(&mut self, a: Area) {
        match a {
            Area::National => self.u8(0),
            Area::Region(r) => {
                self.u8(1);
                self.str(r.code());
            }
            Area::Province(p) => {
                self.u8(2);
                self.u8(p);
            }
        }
    }
    pub(crate) fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    pub(crate) fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
    fn text(&mut self, t: &Text) {
        self.str(&t.vi);
        self.str(&t.en);
    }
    fn opt_text(&mut self, t: Option<&Text>) {
        match t {
            Some(t) => {
                self.u8(1);
                self.text(t);
            }
            None => self.u8(0),
        }
    }
    /// An optional bool as 0 (none), 1 (false), 2 (true).
    fn opt_bool(&mut self, b: Option<bool>) {
        self.u8(b.map_or(0, |b| 1 + u8::from(b)));
    }
    fn codes<'a>(&mut self, codes: impl ExactSizeIterator<Item = &'a str>) {
        self.len(codes.len());
        for c in codes {
            self.str(c);
        }
    }
    fn subset(&mut self, s: &Subset) {
        self.codes(s.kinds.iter().map(|k| k.code()));
        self.codes(s.sectors.iter().map(|k| k.code()));
        self.codes(s.ntm.iter().map(|k| k.code()));
        self.codes(s.stage.iter().map(|k| k.code()));
        self.opt_bool(s.high_tech);
        self.opt_bool(s.value_chain);
        self.opt_bool(s.trademark);
        self.opt_bool(s.ethnic_area);
        self.u8(s.ocop_star_min.map_or(NONE, |v| v));
    }
    /// A column: its element count, then each element's little-endian bytes.
    fn column<T: Copy, const N: usize>(&mut self, values: &[T], bytes: impl Fn(T) -> [u8; N]) {
        self.len(values.len());
        self.0.reserve(values.len() * N);
        for &v in values {
            self.0.extend_from_slice(&bytes(v));
        }
    }
    /// A column of whole numbers as LEB128 varints: its element count, its byte length, the bytes.
    /// Small numbers take one or two bytes and compress far better than fixed-width ones.
    fn varints(&mut self, values: impl ExactSizeIterator<Item = u64>) {
        self.len(values.len());
        let at = self.0.len();
        self.u32(0);
        for mut v in values {
            while v >= 0x80 {
                self.0.push((v as u8) | 0x80);
                v >>= 7;
            }
            self.0.push(v as u8);
        }
        let n = u32::try_from(self.0.len() - at - 4).unwrap_or(u32::MAX);
        self.0[at..at + 4].copy_from_slice(&n.to_le_bytes());
    }
    /// A `u32` column whose [`MISSING`] sentinel is written as 0 and every value `v` as `v + 1`.
    fn counts(&mut self, values: &[u32]) {
        self.varints(values.iter().map(|&v| if v == MISSING { 0 } else { u64::from(v) + 1 }));
    }
    /// An `f32` column (NaN = missing): as [`Writer::counts`] when every value is a whole number
    /// (incomes rounded to 100,000 VND are), tag 1; else the raw bits, tag 0.
    fn floats(&mut self, values: &[f32]) {
        let whole = |v: f32| v.is_nan() || ((0.0..4.0e9).contains(&v) && v.fract() == 0.0);
        if values.iter().all(|&v| whole(v)) {
            self.u8(1);
            self.varints(values.iter().map(|&v| if v.is_nan() { 0 } else { v as u64 + 1 }));
        } else {
            self.u8(0);
            self.column(values, f32::to_le_bytes);
        }
    }
}

/// Encodes a checked dataset. The inverse of [`decode`]: `decode(&encode(ds)) == ds`.
pub fn encode(ds: &Dataset) -> Vec<u8> {
    let e = &ds.entities;
    let mut w = Writer(Vec::with_capacity(1024 + e.len() * 52 + e.id_text.len()));
    w.0.extend_from_slice(MAGIC);

    let m = &ds.meta;
    w.str(&m.id);
    w.text(&m.title);
    w.opt_text(m.description.as_ref());
    w.text(&m.source.publisher);
    w.opt_str(m.source.url.as_deref());
    w.opt_str(m.source.date.as_deref());
    w.opt_text(m.licence.as_ref());
    w.u8(u8::from(m.illustrative));
    w.opt_str(m.reference_date.as_deref());
    w.u8(m.boundary.number());
    w.column(&m.years, u16::to_le_bytes);

    w.len(ds.observations.len());
    for o in &ds.observations {
        w.area(o.area);
        w.u16(o.year);
        w.opt_str(o.as_of.as_deref());
        w.str(&o.indicator);
        w.f64(o.value);
        w.str(o.unit.code());
        w.str(&o.source);
        w.opt_text(o.publisher.as_ref());
        w.opt_str(o.confidence.as_deref());
        w.opt_str(o.note.as_deref());
        w.opt_str(o.authority.map(Authority::code));
        w.opt_str(o.published.as_deref());
    }

    w.len(ds.indicators.len());
    for d in &ds.indicators {
        w.str(&d.id);
        w.text(&d.label);
        w.opt_text(d.description.as_ref());
        w.str(d.measure.code());
        w.opt_str(d.field.map(NumField::code));
        w.opt_str(d.weight.map(NumField::code));
        w.subset(&d.of);
        w.subset(&d.where_);
        w.str(d.unit.code());
        w.opt_str(d.source.as_deref());
        w.u8(u8::from(d.observed));
        w.opt_bool(d.summable);
        w.opt_text(d.definition.as_ref());
    }

    w.len(ds.targets.len());
    for t in &ds.targets {
        w.area(t.area);
        w.str(&t.indicator);
        w.u16(t.year);
        w.f64(t.value);
        w.str(t.unit.code());
        w.str(t.comparison.code());
        w.str(&t.source);
        w.opt_str(t.document.as_deref());
        w.opt_str(t.wording.as_deref());
        w.opt_str(t.confidence.as_deref());
    }

    w.str(&e.id_text);
    // Id lengths, not end offsets: offsets grow and never repeat, lengths do and compress.
    let mut start = 0u32;
    w.varints(e.id_ends.iter().map(|&end| {
        let len = end.saturating_sub(start);
        start = end;
        u64::from(len)
    }));
    w.column(&e.province, |v| [v]);
    w.varints(e.year.iter().map(|&y| u64::from(y)));
    w.column(&e.kind, |v| [v]);
    w.column(&e.sector, |v| [v]);
    w.column(&e.ntm, |v| [v]);
    w.column(&e.stage, |v| [v]);
    w.counts(&e.members);
    w.counts(&e.workers);
    w.floats(&e.income);
    w.floats(&e.revenue);
    w.column(&e.ocop_star, |v| [v]);
    w.counts(&e.ocop_products);
    w.counts(&e.ocop_5star);
    w.column(&e.flags, |v| [v]);
    w.varints(e.file_row.iter().map(|&r| u64::from(r)));
    w.0
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// Little-endian bytes, read field by field, the inverse of [`Writer`]: this format's and the
/// own-data worker's messages (`checker::protocol`, which adds its own fields to it). Every read is
/// checked against what is left, and every error names the field being read and the byte where
/// it starts (`observation at byte 1234: the data ends early`), so one reader serves both with
/// the same care.
pub(crate) struct Reader<'a> {
    src: &'a dyn ByteSource,
    pos: usize,
    /// Where the field read last (or being read) starts: the place its errors name.
    start: usize,
    buf: Vec<u8>,
}

type R<T> = Result<T, WireError>;

fn err<T>(what: &str) -> R<T> {
    Err(WireError(what.to_string()))
}

/// The error of field `what` starting at byte `at`.
fn error_at(what: &str, at: usize, problem: impl std::fmt::Display) -> WireError {
    WireError(format!("{what} at byte {at}: {problem}"))
}

impl<'a> Reader<'a> {
    pub(crate) fn new(src: &'a dyn ByteSource) -> Reader<'a> {
        Reader { src, pos: 0, start: 0, buf: Vec::new() }
    }
    /// The error of field `what`, placed where the field read last starts (a tag or code that
    /// turned out unknown once read).
    pub(crate) fn error(&self, what: &str, problem: impl std::fmt::Display) -> WireError {
        error_at(what, self.start, problem)
    }
    /// Bytes not read yet.
    fn left(&self) -> usize {
        self.src.len().saturating_sub(self.pos)
    }
    /// Succeeds when every byte has been read (a message, unlike a dataset's last column, is
    /// whole only then).
    pub(crate) fn end(&self, what: &str) -> R<()> {
        match self.left() {
            0 => Ok(()),
            n => Err(error_at(what, self.pos, format!("bytes left after its end: {n}"))),
        }
    }
    /// Copies the next `n` bytes into `self.buf` (reused), or fails naming `what`.
    fn take(&mut self, n: usize, what: &str) -> R<&[u8]> {
        self.start = self.pos;
        let end = self.pos.checked_add(n).filter(|&e| e <= self.src.len());
        let Some(end) = end else {
            return Err(self.error(what, "the data ends early"));
        };
        self.buf.clear();
        self.src.append_range(self.pos, end, &mut self.buf);
        if self.buf.len() != n {
            return Err(self.error(what, "the data ends early"));
        }
        self.pos = end;
        Ok(&self.buf)
    }
    fn array<const N: usize>(&mut self, what: &str) -> R<[u8; N]> {
        let b = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(b);
        Ok(a)
    }
    pub(crate) fn u8(&mut self, what: &str) -> R<u8> {
        Ok(self.array::<1>(what)?[0])
    }
    fn area(&mut self, what: &str, provinces: usize) -> R<Area> {
        Ok(match self.u8(what)? {
            0 => Area::National,
            1 => Area::Region(self.code(what, Region::from_code)?),
            2 => match self.u8(what)? {
                p if (p as usize) < provinces => Area::Province(p),
                p => return Err(self.error(what, format!("province {p} out of range"))),
            },
            _ => return Err(self.error(what, "unknown area")),
        })
    }
    fn u16(&mut self, what: &str) -> R<u16> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }
    pub(crate) fn u32(&mut self, what: &str) -> R<u32> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    pub(crate) fn f64(&mut self, what: &str) -> R<f64> {
        Ok(f64::from_le_bytes(self.array(what)?))
    }
    /// A length, which can never exceed the bytes left (each element takes at least one byte).
    fn len(&mut self, what: &str) -> R<usize> {
        self.count(what, 1)
    }
    /// A count of items that take at least `min` bytes each: never more than the bytes left can
    /// hold, so a garbled count cannot reserve gigabytes.
    pub(crate) fn count(&mut self, what: &str, min: usize) -> R<usize> {
        let n = self.u32(what)? as usize;
        if n.saturating_mul(min) > self.left() {
            return Err(self.error(what, format!("a length of {n} is longer than the data")));
        }
        Ok(n)
    }
    /// A length-prefixed text, copied once, straight into its own allocation (the ids of a
    /// million rows are one text of several megabytes: a copy through `buf` doubled its cost).
    pub(crate) fn str(&mut self, what: &str) -> R<String> {
        let n = self.len(what)?;
        let end = self.pos + n; // `len` checked that `n` bytes remain
        let mut bytes = Vec::new();
        self.src.append_range(self.pos, end, &mut bytes);
        if bytes.len() != n {
            return Err(self.error(what, "the data ends early"));
        }
        self.pos = end;
        String::from_utf8(bytes).map_err(|_| self.error(what, "not UTF-8 text"))
    }
    pub(crate) fn flag(&mut self, what: &str) -> R<bool> {
        match self.u8(what)? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(self.error(what, format!("{b} is not 0 or 1"))),
        }
    }
    pub(crate) fn opt_str(&mut self, what: &str) -> R<Option<String>> {
        if self.flag(what)? {
            self.str(what).map(Some)
        } else {
            Ok(None)
        }
    }
    fn text(&mut self, what: &str) -> R<Text> {
        Ok(Text { vi: self.str(what)?, en: self.str(what)? })
    }
    fn opt_text(&mut self, what: &str) -> R<Option<Text>> {
        if self.flag(what)? {
            self.text(what).map(Some)
        } else {
            Ok(None)
        }
    }
    fn opt_bool(&mut self, what: &str) -> R<Option<bool>> {
        match self.u8(what)? {
            0 => Ok(None),
            1 => Ok(Some(false)),
            2 => Ok(Some(true)),
            b => Err(self.error(what, format!("{b} is not a yes/no/unknown code"))),
        }
    }
    /// A code of a closed vocabulary, checked.
    fn code<T>(&mut self, what: &str, parse: impl Fn(&str) -> Option<T>) -> R<T> {
        let s = self.str(what)?;
        parse(&s).ok_or_else(|| self.error(what, format!("unknown code \"{s}\"")))
    }
    fn codes<T>(&mut self, what: &str, parse: impl Fn(&str) -> Option<T>) -> R<Vec<T>> {
        let n = self.len(what)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.code(what, &parse)?);
        }
        Ok(out)
    }
    fn opt_code<T>(&mut self, what: &str, parse: impl Fn(&str) -> Option<T>) -> R<Option<T>> {
        if self.flag(what)? {
            self.code(what, parse).map(Some)
        } else {
            Ok(None)
        }
    }
    fn subset(&mut self, what: &str) -> R<Subset> {
        Ok(Subset {
            kinds: self.codes(what, Kind::from_code)?,
            sectors: self.codes(what, Sector::from_code)?,
            ntm: self.codes(what, Ntm::from_code)?,
            stage: self.codes(what, Stage::from_code)?,
            high_tech: self.opt_bool(what)?,
            value_chain: self.opt_bool(what)?,
            trademark: self.opt_bool(what)?,
            ethnic_area: self.opt_bool(what)?,
            ocop_star_min: match self.u8(what)? {
                NONE => None,
                v => Some(v),
            },
        })
    }
    /// A column of `N`-byte elements, copied out of the source in one range.
    fn column<T, const N: usize>(&mut self, what: &str, from: impl Fn([u8; N]) -> T) -> R<Vec<T>> {
        let n = self.u32(what)? as usize;
        let bytes = n.checked_mul(N).ok_or_else(|| self.error(what, "too long"))?;
        let b = self.take(bytes, what)?;
        let mut out = Vec::with_capacity(n);
        for chunk in b.chunks_exact(N) {
            let mut a = [0u8; N];
            a.copy_from_slice(chunk);
            out.push(from(a));
        }
        Ok(out)
    }
    /// A varint column (see [`Writer::varints`]), each value checked to fit `max` and turned into
    /// its column's type as it is read (`into`): one pass, one allocation of the final size. Why
    /// not `u64`s then a conversion: at a million rows that was 8 MB more and a second pass, and a
    /// column was the page's largest decode step (10–25 ms) once the render stopped being one.
    fn varints_as<T>(&mut self, what: &str, max: u64, into: impl Fn(u64) -> T) -> R<Vec<T>> {
        let n = self.u32(what)? as usize;
        let bytes = self.len(what)?;
        if n > bytes {
            return Err(self.error(what, format!("{n} values cannot fit in {bytes} bytes")));
        }
        let at = self.pos;
        let b = self.take(bytes, what)?;
        let mut out = Vec::with_capacity(n);
        // `first`: where the number being read starts, for its errors.
        let (mut v, mut shift, mut first) = (0u64, 0u32, at);
        for (i, &byte) in b.iter().enumerate() {
            if shift > 63 {
                return Err(error_at(what, first, "a number is too long"));
            }
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if v > max {
                    return Err(error_at(what, first, format!("{v} is out of range")));
                }
                out.push(into(v));
                v = 0;
                shift = 0;
                first = at + i + 1;
            } else {
                shift += 7;
            }
        }
        if out.len() != n || shift != 0 {
            return Err(error_at(what, at, format!("{} values instead of {n}", out.len())));
        }
        Ok(out)
    }
    /// A count column: 0 is [`MISSING`], `v + 1` is `v`.
    fn counts(&mut self, what: &str) -> R<Vec<u32>> {
        self.varints_as(what, u64::from(u32::MAX), |v| if v == 0 { MISSING } else { (v - 1) as u32 })
    }
    /// A float column, whole numbers (tag 1) or raw bits (tag 0).
    fn floats(&mut self, what: &str) -> R<Vec<f32>> {
        match self.u8(what)? {
            1 => self.varints_as(what, 1 << 33, |v| if v == 0 { f32::NAN } else { (v - 1) as f32 }),
            0 => self.column(what, f32::from_le_bytes),
            t => Err(self.error(what, format!("unknown column form {t}"))),
        }
    }
    /// A column of codes below `max` (or [`NONE`] when `missing` is allowed).
    fn code_column(&mut self, what: &str, max: usize, missing: bool) -> R<Vec<u8>> {
        let col = self.column(what, |[b]| b)?;
        // `column` read the elements last, one byte each: the bad one's place is exact.
        if let Some((i, bad)) = col.iter().enumerate().find(|&(_, &c)| !((c as usize) < max || (missing && c == NONE))) {
            return Err(error_at(what, self.start + i, format!("code {bad} out of range")));
        }
        Ok(col)
    }
}

/// Decodes what [`encode`] wrote. Fails (never panics) on anything else: wrong magic, truncated
/// bytes, unknown codes, columns of different lengths, ids out of order.
pub fn decode(src: &dyn ByteSource) -> Result<Dataset, WireError> {
    let mut d = Decoder::new(src);
    loop {
        if let Some(ds) = d.step()? {
            return Ok(ds);
        }
    }
}

/// A decode done in steps: the header and the small tables, the ids' text, their lengths, one
/// entity column per [`Decoder::step`], and last the row index.
///
/// Why: the page decodes what the own-data worker sends back on its main thread, and a million-row
/// dataset took one 300–600 ms task there (every column in one call), during which a tap got no
/// answer. A column of a million rows is a few tens of milliseconds, so the page can yield between
/// steps (`ui::own_data`) and no task grows with the file. [`decode`] is the same steps in a loop:
/// one decoder, whichever way it is driven.
pub struct Decoder<'a> {
    r: Reader<'a>,
    /// Steps done so far (see [`Decoder::step`]).
    done: usize,
    head: Option<Head>,
    entities: Entities,
    /// The ids' text while it is read, `ids_per_step` bytes a step, and its length.
    ids: Option<(Vec<u8>, usize)>,
    /// [`IDS_PER_STEP`] (smaller in tests, to cut a small file's ids in many steps).
    ids_per_step: usize,
    /// The ids' lengths while they are turned into ends, [`ENDS_PER_STEP`] a step: the lengths,
    /// how many are done, and the end reached so far.
    id_lengths: Option<(Vec<u32>, usize, usize)>,
    /// [`ENDS_PER_STEP`] (smaller in tests).
    ends_per_step: usize,
}

/// Ids whose ends are computed per step, after the step that reads their lengths. Why: a
/// million of them (each checked to end on a character boundary) took ≈ 35 ms on top of
/// reading the lengths, one task over 50 ms (docs/performance.md, "Your own data").
pub const ENDS_PER_STEP: usize = 250_000;

/// Bytes of the ids' text copied per step. Why: a million ids are ≈ 8 MB of text, and copying
/// them out of JavaScript in one step was the one task over 50 ms left in a million-row load
/// (≈ 55 ms in Chromium, docs/performance.md, "Your own data"); 2 MB is ≈ 10 ms.
pub const IDS_PER_STEP: usize = 2 << 20;

/// What the first step reads: everything before the entity columns, and the number of provinces
/// of the boundary version (the province column is checked against it).
struct Head {
    meta: Meta,
    observations: Vec<Observation>,
    indicators: Vec<IndicatorDef>,
    targets: Vec<Target>,
    provinces: usize,
}

/// The entity columns after the ids, in the order they are written.
const COLUMNS: [&str; 15] = [
    "province", "year", "kind", "sector", "ntm", "stage", "members", "workers", "income", "revenue",
    "ocop_star", "ocop_products", "ocop_5star", "flags", "file_row",
];

impl<'a> Decoder<'a> {
    pub fn new(src: &'a dyn ByteSource) -> Decoder<'a> {
        Decoder { r: Reader::new(src), done: 0, head: None, entities: Entities::default(), ids: None, ids_per_step: IDS_PER_STEP, id_lengths: None, ends_per_step: ENDS_PER_STEP }
    }

    /// How many steps a whole decode of a dataset without entity rows takes; with rows, one more
    /// for their ids' ends, and one more for every further [`IDS_PER_STEP`] bytes of their text
    /// and every further [`ENDS_PER_STEP`] ids.
    pub const STEPS: usize = COLUMNS.len() + 4;

    /// Decodes the next part; `Some` with the dataset after the last. After an error the decoder
    /// must not be stepped again (the error says what was wrong).
    pub fn step(&mut self) -> Result<Option<Dataset>, WireError> {
        let step = self.done;
        self.done = self.done.saturating_add(1);
        let out = match step {
            0 => self.head().map(|h| self.head = Some(h)).map(|_| None),
            1 => self.ids_part().map(|all| {
                if !all {
                    // The next step reads on in the ids' text.
                    self.done = 1;
                }
                None
            }),
            2 => self.id_ends_part().map(|all| {
                if !all {
                    self.done = 2;
                }
                None
            }),
            s if s - 3 < COLUMNS.len() => self.column(s - 3).map(|_| None),
            _ => self.finish().map(Some),
        };
        if out.is_err() {
            // Whatever comes next is read from a wrong place: every later step fails too.
            self.head = None;
            self.done = usize::MAX;
        }
        out
    }

    fn head(&mut self) -> R<Head> {
        let r = &mut self.r;
        if r.take(4, "header")? != MAGIC {
            return err("not a packed Coop Atlas dataset (wrong header)");
        }
        let meta = Meta {
            id: r.str("meta.id")?,
            title: r.text("meta.title")?,
            description: r.opt_text("meta.description")?,
            source: Source {
                publisher: r.text("meta.source.publisher")?,
                url: r.opt_str("meta.source.url")?,
                date: r.opt_str("meta.source.date")?,
            },
            licence: r.opt_text("meta.licence")?,
            illustrative: r.flag("meta.illustrative")?,
            reference_date: r.opt_str("meta.reference_date")?,
            boundary: {
                let b = r.u8("meta.boundary")?;
                Boundary::from_number(b.into()).ok_or_else(|| r.error("meta.boundary", format!("unknown boundary version {b}")))?
            },
            years: r.column("meta.years", u16::from_le_bytes)?,
        };
        let provinces = registry().provinces(meta.boundary).len();

        let n = r.len("observations")?;
        let mut observations = Vec::with_capacity(n);
        for _ in 0..n {
            let what = "observation";
            let area = r.area(what, provinces)?;
            observations.push(Observation {
                area,
                year: r.u16(what)?,
                as_of: r.opt_str(what)?,
                indicator: r.str(what)?,
                value: r.f64(what)?,
                unit: r.code(what, Unit::from_code)?,
                source: r.str(what)?,
                publisher: r.opt_text(what)?,
                confidence: r.opt_str(what)?,
                note: r.opt_str(what)?,
                authority: r.opt_code(what, Authority::from_code)?,
                published: r.opt_str(what)?,
            });
        }

        let n = r.len("indicators")?;
        let mut indicators = Vec::with_capacity(n);
        for _ in 0..n {
            let what = "indicator";
            indicators.push(IndicatorDef {
                id: r.str(what)?,
                label: r.text(what)?,
                description: r.opt_text(what)?,
                measure: r.code(what, Measure::from_code)?,
                field: r.opt_code(what, NumField::from_code)?,
                weight: r.opt_code(what, NumField::from_code)?,
                of: r.subset(what)?,
                where_: r.subset(what)?,
                unit: r.code(what, Unit::from_code)?,
                source: r.opt_str(what)?,
                observed: r.flag(what)?,
                summable: r.opt_bool(what)?,
                definition: r.opt_text(what)?,
            });
        }

        let n = r.len("targets")?;
        let mut targets = Vec::with_capacity(n);
        for _ in 0..n {
            let what = "target";
            targets.push(Target {
                area: r.area(what, provinces)?,
                indicator: r.str(what)?,
                year: r.u16(what)?,
                value: r.f64(what)?,
                unit: r.code(what, Unit::from_code)?,
                comparison: r.code(what, Comparison::from_code)?,
                source: r.str(what)?,
                document: r.opt_str(what)?,
                wording: r.opt_str(what)?,
                confidence: r.opt_str(what)?,
            });
        }
        Ok(Head { meta, observations, indicators, targets, provinces })
    }

    /// Reads the next `ids_per_step` bytes of the ids' text; `true` once it is whole (and
    /// checked to be UTF-8). The text is copied once, into an allocation of its final size.
    fn ids_part(&mut self) -> R<bool> {
        let (mut bytes, n) = match self.ids.take() {
            Some(part) => part,
            None => {
                let n = self.r.len("ids")?;
                (Vec::with_capacity(n), n)
            }
        };
        let take = (n - bytes.len()).min(self.ids_per_step);
        let (from, to) = (self.r.pos, self.r.pos + take); // `len` checked that `n` bytes remain
        let before = bytes.len();
        self.r.src.append_range(from, to, &mut bytes);
        if bytes.len() != before + take {
            return Err(self.r.error("ids", "the data ends early"));
        }
        self.r.pos = to;
        if bytes.len() < n {
            self.ids = Some((bytes, n));
            return Ok(false);
        }
        self.entities.id_text = String::from_utf8(bytes).map_err(|_| self.r.error("ids", "not UTF-8 text"))?;
        Ok(true)
    }

    /// Where each id ends in the ids' text (read by the steps before): the first call reads the
    /// lengths, every later one turns up to `ends_per_step` of them into ends; `true` once all
    /// are.
    fn id_ends_part(&mut self) -> R<bool> {
        let (lengths, at, mut end) = match self.id_lengths.take() {
            Some(part) => part,
            None => {
                // Reading the lengths is a step's work of its own (≈ 20 ms for a million).
                let lengths = self.r.varints_as("ids", u64::from(u32::MAX), |v| v as u32)?;
                self.entities.id_ends = Vec::with_capacity(lengths.len());
                let all = lengths.is_empty();
                self.id_lengths = Some((lengths, 0, 0));
                if !all {
                    return Ok(false);
                }
                self.id_lengths.take().unwrap_or_default()
            }
        };
        let stop = at.saturating_add(self.ends_per_step).min(lengths.len());
        let e = &mut self.entities;
        for &len in lengths.get(at..stop).unwrap_or(&[]) {
            end = end.saturating_add(len as usize);
            if end > e.id_text.len() || !e.id_text.is_char_boundary(end) {
                return err("ids: lengths run past the id text or inside a character");
            }
            e.id_ends.push(end as u32);
        }
        if stop < lengths.len() {
            self.id_lengths = Some((lengths, stop, end));
            return Ok(false);
        }
        if end != e.id_text.len() {
            return err("ids: lengths do not cover the id text");
        }
        Ok(true)
    }

    /// Column `i` of [`COLUMNS`].
    fn column(&mut self, i: usize) -> R<()> {
        let provinces = self.head.as_ref().map_or(0, |h| h.provinces);
        let (r, e) = (&mut self.r, &mut self.entities);
        match i {
            0 => e.province = r.code_column("province", provinces, false)?,
            1 => e.year = r.varints_as("year", u64::from(u16::MAX), |y| y as u16)?,
            2 => e.kind = r.code_column("kind", Kind::ALL.len(), true)?,
            3 => e.sector = r.code_column("sector", Sector::ALL.len(), true)?,
            4 => e.ntm = r.code_column("ntm", Ntm::ALL.len(), true)?,
            5 => e.stage = r.code_column("stage", Stage::ALL.len(), true)?,
            6 => e.members = r.counts("members")?,
            7 => e.workers = r.counts("workers")?,
            8 => e.income = r.floats("income")?,
            9 => e.revenue = r.floats("revenue")?,
            10 => e.ocop_star = r.code_column("ocop_star", 6, true)?,
            11 => e.ocop_products = r.counts("ocop_products")?,
            12 => e.ocop_5star = r.counts("ocop_5star")?,
            13 => e.flags = r.column("flags", |[b]| b)?,
            _ => e.file_row = r.varints_as("file_row", u64::from(u32::MAX), |v| v as u32)?,
        }
        Ok(())
    }

    fn finish(&mut self) -> R<Dataset> {
        let Some(Head { meta, observations, indicators, targets, .. }) = self.head.take() else {
            return err("stepped again after the end or an error");
        };
        let entities = std::mem::take(&mut self.entities);
        let rows = entities.id_ends.len();
        let e = &entities;
        let lengths = [
            e.province.len(), e.year.len(), e.kind.len(), e.sector.len(), e.ntm.len(), e.stage.len(),
            e.members.len(), e.workers.len(), e.income.len(), e.revenue.len(), e.ocop_star.len(),
            e.ocop_products.len(), e.ocop_5star.len(), e.flags.len(),
        ];
        if lengths.iter().any(|&l| l != rows) || !(e.file_row.is_empty() || e.file_row.len() == rows) {
            return err("columns: not all of the same length");
        }
        if self.r.pos != self.r.src.len() {
            return err("bytes left after the last column");
        }
        // Built here, in a step of its own, rather than by the first computation that needs it:
        // for a million rows it is ≈ 15 ms that would otherwise join the first render's task.
        let _ = entities.index();
        Ok(Dataset { meta, entities, observations, indicators, targets })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::parse::{parse_dataset, Limits};

    fn official() -> Dataset {
        let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/public/data/gso/official.json")).unwrap();
        parse_dataset(&text, &Limits::default()).unwrap().dataset
    }

    fn illustrative() -> Dataset {
        let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/public/data/dtts-mn/2024.json")).unwrap();
        parse_dataset(&text, &Limits::default()).unwrap().dataset
    }

    /// Equal in every field. (`Entities`' derived equality is false for any table with a missing
    /// income, NaN != NaN, so the columns are compared bit for bit through their encoding.)
    fn same(a: &Dataset, b: &Dataset) {
        assert_eq!(a.meta, b.meta);
        assert_eq!(a.observations, b.observations);
        assert_eq!(a.indicators, b.indicators);
        assert_eq!(a.targets, b.targets);
        assert_eq!(a.entities.len(), b.entities.len());
        assert!(encode(a) == encode(b), "{}: columns differ", b.meta.id);
        assert_eq!(a.entities.income.iter().filter(|x| x.is_nan()).count(), b.entities.income.iter().filter(|x| x.is_nan()).count());
    }

    /// The page's packed years leave the unit ids out (`coop-atlas pack --without-ids`): the
    /// figures are the same, the file a fifth smaller, and two years still merge.
    #[test]
    fn a_year_without_ids_gives_the_same_figures_and_still_merges() {
        let ds = illustrative();
        let mut bare = ds.clone();
        bare.entities.clear_ids();
        let bytes = encode(&bare);
        let back = decode(&bytes).unwrap();
        assert!(back.entities.id(0).is_empty() && back.entities.len() == ds.entities.len());
        let all = crate::engine::filter::Filter::default();
        for def in ds.indicators.iter().take(12) {
            let a = crate::engine::indicators::compute(&ds, def, &all, crate::engine::indicators::GroupBy::Province);
            let b = crate::engine::indicators::compute(&back, def, &all, crate::engine::indicators::GroupBy::Province);
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", def.id);
        }
        assert!(bytes.len() * 10 < encode(&ds).len() * 9, "{} vs {} bytes", bytes.len(), encode(&ds).len());
        // Another year (the same rows a year earlier) merges: rows are told apart by year and id.
        let mut earlier = back.clone();
        earlier.entities.year.iter_mut().for_each(|y| *y -= 1);
        earlier.meta.years = vec![2023];
        let merged = back.append(&earlier).expect("two id-less years merge");
        assert_eq!(merged.entities.len(), 2 * ds.entities.len());
    }

    #[test]
    fn bundled_datasets_round_trip_exactly() {
        // The official file's targets (national), plus a province's and a region's own.
        let mut off = official();
        assert_eq!(off.targets.len(), 15);
        for (area, comparison) in [(Area::Province(3), Comparison::AtLeast), (Area::Region(Region::Tn), Comparison::About)] {
            off.targets.push(Target { area, comparison, document: None, wording: None, confidence: None, ..off.targets[0].clone() });
        }
        assert!(off.observations.iter().any(|o| o.authority.is_some() && o.published.is_some()));
        for ds in [off, illustrative()] {
            let bytes = encode(&ds);
            let back = decode(&bytes).unwrap();
            same(&back, &ds);
            // The index is derived, so equality ignores it: compare what it answers too.
            assert_eq!(back.entities.len(), ds.entities.len());
            for i in (0..ds.entities.len()).step_by(97) {
                assert_eq!(back.entities.id(i), ds.entities.id(i));
                assert_eq!(back.entities.file_row(i), ds.entities.file_row(i));
            }
        }
    }

    #[test]
    fn reordered_rows_keep_their_file_rows() {
        let mut ds = illustrative();
        let mut rows: Vec<_> = (0..ds.entities.len()).filter_map(|i| ds.entities.row(i)).collect();
        rows.reverse();
        let mut e = Entities::new();
        for r in &rows {
            e.push(r);
        }
        e.cluster();
        ds.entities = e;
        assert!(!ds.entities.file_row.is_empty(), "clustering the reversed rows records file rows");
        same(&decode(&encode(&ds)).unwrap(), &ds);
    }

    /// Steps `d` to its dataset; how many steps it took (at most `limit`, or the test fails).
    fn step_to_end(d: &mut Decoder, limit: usize) -> (Dataset, usize) {
        for steps in 1..=limit {
            if let Some(out) = d.step().unwrap() {
                return (out, steps);
            }
        }
        panic!("the decoder never ends (over {limit} steps)");
    }

    #[test]
    fn stepping_gives_what_one_call_gives_in_the_announced_number_of_steps() {
        for ds in [official(), illustrative()] {
            let bytes = encode(&ds);
            let mut d = Decoder::new(&bytes);
            let (stepped, steps) = step_to_end(&mut d, 100);
            // One step more with rows: their ids' ends come in a step after their lengths.
            assert_eq!(steps, Decoder::STEPS + usize::from(!ds.entities.is_empty()));
            same(&stepped, &ds);
            same(&stepped, &decode(&bytes).unwrap());
            // Past the end: an error, not a second dataset or a panic.
            assert!(d.step().is_err());
        }
    }

    #[test]
    fn ids_longer_than_a_step_are_read_in_several_steps() {
        // The illustrative file: the official one has no entity rows, so no ids.
        let ds = illustrative();
        let bytes = encode(&ds);
        for (per_step, ends_per_step) in [(1, 1), (7, 100), (100, 7), (100_000, 50)] {
            let extra = ds.entities.id_text.len().div_ceil(per_step).max(1) - 1
                + ds.entities.len().div_ceil(ends_per_step).max(1);
            assert!(extra >= 1, "the test's ids span more than one step");
            let mut d = Decoder::new(&bytes);
            d.ids_per_step = per_step;
            d.ends_per_step = ends_per_step;
            let (stepped, steps) = step_to_end(&mut d, 100_000);
            assert_eq!(steps, Decoder::STEPS + extra);
            same(&stepped, &ds);
            assert!(d.step().is_err());
        }
        // Not UTF-8 inside the ids, found when the text is whole, an error naming the ids.
        let ds = illustrative();
        let mut bytes = encode(&ds);
        let at = bytes.windows(ds.entities.id_text.len()).position(|w| w == ds.entities.id_text.as_bytes()).expect("ids in the bytes");
        bytes[at + 3] = 0xff;
        let mut d = Decoder::new(&bytes);
        d.ids_per_step = 1000;
        let e = (0..10_000).find_map(|_| d.step().err()).expect("bad ids fail");
        assert!(e.to_string().contains("ids"), "{e}");
    }

    #[test]
    fn after_an_error_every_later_step_fails() {
        let mut bytes = encode(&official());
        bytes.truncate(bytes.len() - 3);
        let mut d = Decoder::new(&bytes);
        let first_error = (0..Decoder::STEPS).find_map(|_| d.step().err());
        assert!(first_error.is_some());
        for _ in 0..3 {
            assert!(d.step().is_err());
        }
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = encode(&official());
        // Every cut in the header and meta, the last columns, and every 31st byte between.
        let n = bytes.len();
        let cuts = (0..300).chain((300..n).step_by(31)).chain(n.saturating_sub(300)..n);
        for cut in cuts {
            let part = bytes[..cut].to_vec();
            assert!(decode(&part).is_err(), "a dataset cut at {cut} of {} bytes decoded", bytes.len());
        }
    }

    #[test]
    fn corrupted_bytes_never_panic() {
        // Flip each byte of a small dataset in turn: decoding either fails or yields a dataset, never panics.
        let ds = official();
        let bytes = encode(&ds);
        let mut failures = 0;
        for i in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0xA5;
            if decode(&b).is_err() {
                failures += 1;
            }
        }
        assert!(failures > 0);
    }

    #[test]
    fn bad_headers_codes_and_lengths_are_named() {
        assert_eq!(decode(&b"{\"meta\":{}}".to_vec()).unwrap_err().0, "not a packed Coop Atlas dataset (wrong header)");
        // A cut names the field and the byte it starts at: the id's length follows the magic.
        let id = official().meta.id;
        let bytes = encode(&official());
        let e = decode(&bytes[..10].to_vec()).unwrap_err();
        assert_eq!(e.0, format!("meta.id at byte 4: a length of {} is longer than the data", id.len()));
        assert_eq!(e.to_string(), format!("packed dataset: {}", e.0));
        let mut ds = illustrative();
        ds.entities.kind[3] = 40;
        let e = decode(&encode(&ds)).unwrap_err();
        assert!(e.0.starts_with("kind at byte ") && e.0.ends_with(": code 40 out of range"), "{e}");
        let mut ds = illustrative();
        ds.entities.workers.pop();
        assert_eq!(decode(&encode(&ds)).unwrap_err().0, "columns: not all of the same length");
        let mut bytes = encode(&official());
        bytes.push(0);
        assert_eq!(decode(&bytes).unwrap_err().0, "bytes left after the last column");
    }
}
