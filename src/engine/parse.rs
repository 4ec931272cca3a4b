//! JSON dataset files (columnar or rows form) → [`Dataset`], never panicking, collecting issues.
//!
//! Entities are streamed straight into their typed columns by serde visitors: no
//! `serde_json::Value` tree is built for them (a tree of a million rows would take gigabytes and
//! most of the parse time). Each cell goes through one visitor that accepts any JSON value and
//! records a typed error for its row and field when the value is wrong, so one bad cell never stops
//! the parse and the publisher sees every problem (up to [`MAX_LISTED`]) in one go.
//!
//! `meta`, `observations` and `indicators` are small and are read as `Value`s, then checked field
//! by field with dotted paths (`meta.source.publisher`, `observations[3].value`).
//!
//! [`MAX_LISTED`]: super::error::MAX_LISTED

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::field::Field;
use super::columns::{Entities, MISSING, NONE};
use super::dataset::{
    Area, Dataset, IndicatorDef, Measure, Meta, NumField, Observation, Target, Comparison, Authority, Source, Subset, Text, Unit,
};
use super::error::{quote, Issue, Phrase, Report};
use super::provinces::{normalise_code, registry};
use super::validate;
use super::vocab::{Boundary, Kind, Lang, Ntm, Region, Sector, Stage};

/// The only format string this version reads.
pub const FORMAT: &str = "coop-atlas/1";

/// Limits that protect the browser tab from files it cannot hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes. Default 100 MB (100,000,000 bytes): about three million
    /// columnar rows, more than any national dataset, and still parseable on a phone.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 100_000_000,
        }
    }
}

/// A successfully parsed file: the dataset and the warnings that did not refuse it.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// The dataset.
    pub dataset: Dataset,
    /// Warnings only (no errors: a file with errors is refused).
    pub warnings: Report,
}

/// Parses a file given as text (see [`parse_dataset`]).
pub fn parse_dataset_str(text: &str, limits: &Limits) -> Result<Parsed, Report> {
    parse_dataset(text.as_bytes(), limits)
}

/// Parses and checks a dataset file. Returns the dataset and its warnings, or a report of every
/// error (capped) when the file must be refused. Never panics, whatever the bytes. The rows come
/// back [clustered](super::columns::Entities::cluster) by (year, kind, province).
pub fn parse_dataset(bytes: &[u8], limits: &Limits) -> Result<Parsed, Report> {
    read_json(bytes, limits)?.finish(true)
}

/// [`parse_dataset`] leaving the rows in file order: for the batches of a sliced parse
/// ([`super::incremental`]), which are appended and clustered once at the end (and for the
/// benchmark, which times clustering on its own).
pub fn parse_dataset_in_file_order(bytes: &[u8], limits: &Limits) -> Result<Parsed, Report> {
    read_json(bytes, limits)?.finish(false)
}

/// [`parse_dataset`] taking the file's bytes, which it frees as soon as the JSON is read, before
/// the checks that need memory of their own (the duplicate-id table). Why: in wasm, linear memory
/// never shrinks, so its size is the peak; for a million rows this keeps the ~60 MB of text and
/// the ~50 MB id table from being alive at the same time (docs/performance.md, "Browser at scale").
pub fn parse_dataset_owned(bytes: Vec<u8>, limits: &Limits) -> Result<Parsed, Report> {
    let ctx = read_json(&bytes, limits)?;
    drop(bytes);
    ctx.finish(true)
}

/// Reads the JSON into columns and raw sections; `finish` checks and converts them.
fn read_json(bytes: &[u8], limits: &Limits) -> Result<Ctx, Report> {
    let body = sniff(bytes, limits).map_err(Report::single)?;
    let mut ctx = Ctx::new();
    let mut de = serde_json::Deserializer::from_slice(body);
    let outcome = de
        .deserialize_map(TopVisitor { ctx: &mut ctx })
        .and_then(|()| de.end());
    if let Err(e) = outcome {
        let mut report = Report::single(json_issue(&e));
        report.merge(ctx.report);
        // A syntax error makes the rest unreliable; the caps keep the report short anyway.
        return Err(report);
    }
    Ok(ctx)
}

/// Checks the bytes before JSON parsing: size, emptiness, encodings other than UTF-8.
/// Returns the JSON text without a UTF-8 byte-order mark.
fn sniff<'a>(bytes: &'a [u8], limits: &Limits) -> Result<&'a [u8], Issue> {
    if bytes.len() > limits.max_bytes {
        return Err(Issue::error(file_size(bytes.len()), size_limit(limits.max_bytes)));
    }
    let utf16 = || Phrase::new("a UTF-16 text", "tệp được lưu bằng bảng mã UTF-16");
    let utf32 = Phrase::new("a UTF-32 text", "tệp được lưu bằng bảng mã UTF-32");
    let advice = || {
        Phrase::new(
            "a UTF-8 JSON text: this looks like a UTF-16/UTF-32 file; save it as UTF-8",
            "lưu lại tệp bằng bảng mã UTF-8 (trong trình soạn thảo: Lưu thành, chọn bảng mã UTF-8)",
        )
    };
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(Issue::error(utf32, advice()));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Issue::error(utf16(), advice()));
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(pos) = body.iter().position(|&b| b == 0) {
        if pos < 4 {
            return Err(Issue::error(utf16(), advice()));
        }
        let line = 1 + body.iter().take(pos).filter(|&&b| b == b'\n').count();
        return Err(Issue::error(
            Phrase::new(format!("a NUL byte at byte {pos} (line {line})"), format!("tệp không phải văn bản: có ký tự rỗng (NUL) ở byte thứ {pos}, dòng {line}")),
            Phrase::new(
                "a UTF-8 JSON text without NUL bytes: if this is a UTF-16 file, save it as UTF-8",
                "một tệp JSON dạng văn bản: có phải đã chọn nhầm tệp (ảnh, sổ tính)? nếu tệp lưu bằng bảng mã UTF-16, hãy lưu lại bằng UTF-8",
            ),
        ));
    }
    let first = body.iter().copied().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err(Issue::error(
            Phrase::new("an empty file", "tệp rỗng"),
            Phrase::new("a JSON object {\"format\": \"coop-atlas/1\", …}", "một đối tượng JSON {\"format\": \"coop-atlas/1\", …}"),
        )),
        Some(b'{') => Ok(body),
        Some(b) => {
            let what = match b {
                b'[' => Phrase::new("an array", "một mảng [ … ]"),
                b'"' => Phrase::new("a string", "một chuỗi"),
                b'0'..=b'9' | b'-' => Phrase::new("a number", "một số"),
                b't' | b'f' => Phrase::new("a boolean", "một giá trị true/false"),
                b'n' => Phrase::new("null", "giá trị rỗng `null`"),
                b'<' => Phrase::new(
                    "HTML or XML (is it a web page saved by mistake?)",
                    "một trang web (HTML hoặc XML), có lẽ lưu nhầm từ trình duyệt",
                ),
                _ => {
                    let c = quote(&String::from_utf8_lossy(&body[..body.len().min(1)]));
                    Phrase::new(format!("the character {c}"), format!("ký tự {c}"))
                }
            };
            Err(Issue::error(
                Phrase::new(format!("{} at the top level", what.en), format!("toàn bộ tệp là {}", what.vi)),
                Phrase::new(
                    "a JSON object {\"format\": \"coop-atlas/1\", \"meta\": …, \"entities\": …}",
                    "một đối tượng JSON {\"format\": \"coop-atlas/1\", \"meta\": …, \"entities\": …}",
                ),
            ))
        }
    }
}

/// The size of a file that is too large, for the "found" of its message.
pub(crate) fn file_size(len: usize) -> Phrase {
    let mb = len as f64 / 1e6;
    Phrase::new(
        format!("a file of {len} bytes ({} MB)", super::format::number(mb, 1, Lang::En)),
        format!("tệp quá lớn: {len} byte ({} MB)", super::format::number(mb, 1, Lang::Vi)),
    )
}

/// What a file must be under, for the "expected" of a too-large file.
pub(crate) fn size_limit(max_bytes: usize) -> Phrase {
    let mb = max_bytes / 1_000_000;
    Phrase::new(
        format!("at most {max_bytes} bytes ({mb} MB); split it into one file per year"),
        format!("tách thành nhiều tệp nhỏ hơn, mỗi tệp tối đa {max_bytes} byte ({mb} MB), ví dụ mỗi năm một tệp"),
    )
}

/// Turns a serde_json error into an issue with line and column.
fn json_issue(e: &serde_json::Error) -> Issue {
    let full = e.to_string();
    let core = match full.rfind(" at line ") {
        Some(p) => &full[..p],
        None => full.as_str(),
    };
    let issue = match e.classify() {
        serde_json::error::Category::Eof => Issue::error(
            Phrase::new("the end of the file", "tệp kết thúc giữa chừng"),
            Phrase::new(
                "the rest of the JSON document (the file seems cut short)",
                "phần còn lại của tệp (tệp có vẻ bị cắt cụt: hãy tải hoặc chép lại tệp)",
            ),
        ),
        _ if core == "recursion limit exceeded" => Issue::error(
            Phrase::new("nesting deeper than 128 levels", "mảng và đối tượng lồng nhau quá 128 cấp"),
            Phrase::new(
                "a flatter document (at most 128 nested arrays or objects)",
                "giảm xuống tối đa 128 cấp lồng nhau (tệp có thể bị hỏng)",
            ),
        ),
        _ if core == "trailing characters" => Issue::error(
            Phrase::new("more text after the end of the JSON object", "còn chữ thừa sau dấu } đóng đối tượng JSON"),
            Phrase::new("a single JSON object", "xóa phần thừa: tệp chỉ chứa một đối tượng JSON"),
        ),
        _ => match core.strip_prefix("expected ") {
            Some(rest) => Issue::error(Phrase::new("broken JSON", "JSON hỏng"), serde_expected(rest)),
            None => Issue::error(
                Phrase::new(format!("broken JSON ({core})"), format!("JSON hỏng ({})", serde_problem_vi(core))),
                Phrase::new("valid JSON", "sửa lại cho đúng cú pháp JSON"),
            ),
        },
    };
    if e.line() > 0 {
        issue.at_line_col(e.line(), e.column().max(1))
    } else {
        issue
    }
}

/// What serde_json says it expected (`` `,` or `}` ``, `value`), in both languages.
fn serde_expected(rest: &str) -> Phrase {
    let vi = match rest {
        "value" => "một giá trị ở chỗ này".to_string(),
        "ident" => "true, false hoặc null ở chỗ này".to_string(),
        _ => format!("{} ở chỗ này", rest.replace(" or ", " hoặc ")),
    };
    Phrase::new(rest, vi)
}

/// serde_json's other syntax errors in Vietnamese, as far as a publisher meets them; any other
/// stays as serde_json wrote it.
fn serde_problem_vi(core: &str) -> &str {
    match core {
        "invalid number" => "số không hợp lệ",
        "number out of range" => "số vượt quá giới hạn",
        "invalid escape" => "chuỗi thoát \\ không hợp lệ",
        "trailing comma" => "dấu phẩy thừa ở cuối",
        "key must be a string" => "khóa không phải là chuỗi",
        "invalid unicode code point" => "mã Unicode không hợp lệ",
        _ if core.starts_with("control character") => "ký tự điều khiển trong một chuỗi, ví dụ dấu xuống dòng",
        _ => core,
    }
}

/// Every entity field (see [`Field`]).
const FIELDS: &[Field] = Field::ALL;
/// The fields a dataset cannot do without.
const REQUIRED: &[Field] = Field::REQUIRED;

/// One JSON value as a cell sees it (containers are drained before, only their kind is kept).
#[derive(Clone, Copy, Debug)]
enum Val<'s> {
    Null,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    S(&'s str),
    Array,
    Object,
}

impl Val<'_> {
    fn describe(&self) -> Phrase {
        match self {
            // A Vietnamese reader is told it is empty; the key word stays as a code span.
            Val::Null => Phrase::new("null", "giá trị rỗng `null`"),
            Val::Bool(b) => Phrase::same(b.to_string()),
            Val::U(u) => Phrase::same(u.to_string()),
            Val::I(i) => Phrase::same(i.to_string()),
            Val::F(f) => Phrase::same(format!("{f}")),
            Val::S(s) => Phrase::quoted(s),
            Val::Array => an_array(),
            Val::Object => an_object(),
        }
    }

    /// A whole number (integral floats such as `3.0` from spreadsheets are accepted).
    fn whole(&self) -> Option<i128> {
        match *self {
            Val::U(u) => Some(u as i128),
            Val::I(i) => Some(i as i128),
            Val::F(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e18 => Some(f as i128),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        match *self {
            Val::U(u) => Some(u as f64),
            Val::I(i) => Some(i as f64),
            Val::F(f) => Some(f),
            _ => None,
        }
    }
}

/// Parse state shared by all visitors.
struct Ctx {
    report: Report,
    ents: Entities,
    /// Which entity fields were seen as columns (columnar form).
    columns_seen: u32,
    /// Row form was used.
    rows_form: bool,
    entities_seen: bool,
    /// First column length, to pre-size the next columns.
    size_hint: usize,
    /// Values read per column (columnar form); booleans share a vector, so lengths are counted here.
    col_len: [usize; 18],
    warned_keys: Vec<String>,
    format: Option<Value>,
    meta: Option<Value>,
    observations: Option<Value>,
    targets: Option<Value>,
    indicators: Option<Value>,
    top_keys_seen: Vec<String>,
}

impl Ctx {
    fn new() -> Ctx {
        Ctx {
            report: Report::new(),
            ents: Entities::new(),
            columns_seen: 0,
            rows_form: false,
            entities_seen: false,
            size_hint: 0,
            col_len: [0; 18],
            warned_keys: Vec::new(),
            format: None,
            meta: None,
            observations: None,
            targets: None,
            indicators: None,
            top_keys_seen: Vec::new(),
        }
    }

    /// Reports a wrong cell; `extra` (English, Vietnamese) follows what the field expects.
    fn cell_error(&mut self, field: Field, row: usize, v: Val<'_>, extra: Option<(&str, &str)>) {
        self.report.error_with(|| {
            let mut expected = field.expected();
            if let Some((en, vi)) = extra {
                expected = expected.then(&Phrase::new(en, vi));
            }
            Issue::error(v.describe(), expected)
                .at_row(row)
                .in_field(field.code())
        });
    }

    fn reserve(&mut self, field: Field, n: usize) {
        let e = &mut self.ents;
        match field {
            Field::Id => {
                e.id_ends.reserve(n);
                e.id_text.reserve(n.saturating_mul(12));
            }
            Field::Province => e.province.reserve(n),
            Field::Year => e.year.reserve(n),
            Field::Kind => e.kind.reserve(n),
            Field::Sector => e.sector.reserve(n),
            Field::Members => e.members.reserve(n),
            Field::Workers => e.workers.reserve(n),
            Field::Income => e.income.reserve(n),
            Field::Revenue => e.revenue.reserve(n),
            Field::Ntm => e.ntm.reserve(n),
            Field::OcopStar => e.ocop_star.reserve(n),
            Field::OcopProducts => e.ocop_products.reserve(n),
            Field::Ocop5Star => e.ocop_5star.reserve(n),
            Field::Stage => e.stage.reserve(n),
            Field::HighTech | Field::ValueChain | Field::Trademark | Field::EthnicArea => {
                e.flags.reserve(n)
            }
        }
    }

    /// Pads a column with "missing" up to `n` rows. Booleans share the flags byte, so a boolean
    /// column only pads the flags vector (already-present bits are kept).
    fn pad(&mut self, field: Field, n: usize) {
        let e = &mut self.ents;
        match field {
            Field::Id => {
                let end = u32::try_from(e.id_text.len()).unwrap_or(u32::MAX);
                e.id_ends.resize(n.max(e.id_ends.len()), end)
            }
            Field::Province => e.province.resize(n.max(e.province.len()), NONE),
            Field::Year => e.year.resize(n.max(e.year.len()), 0),
            Field::Kind => e.kind.resize(n.max(e.kind.len()), NONE),
            Field::Sector => e.sector.resize(n.max(e.sector.len()), NONE),
            Field::Members => e.members.resize(n.max(e.members.len()), MISSING),
            Field::Workers => e.workers.resize(n.max(e.workers.len()), MISSING),
            Field::Income => e.income.resize(n.max(e.income.len()), f32::NAN),
            Field::Revenue => e.revenue.resize(n.max(e.revenue.len()), f32::NAN),
            Field::Ntm => e.ntm.resize(n.max(e.ntm.len()), NONE),
            Field::OcopStar => e.ocop_star.resize(n.max(e.ocop_star.len()), NONE),
            Field::OcopProducts => e
                .ocop_products
                .resize(n.max(e.ocop_products.len()), MISSING),
            Field::Ocop5Star => e.ocop_5star.resize(n.max(e.ocop_5star.len()), MISSING),
            Field::Stage => e.stage.resize(n.max(e.stage.len()), NONE),
            Field::HighTech | Field::ValueChain | Field::Trademark | Field::EthnicArea => {
                e.flags.resize(n.max(e.flags.len()), 0)
            }
        }
    }

    /// Stores one cell at 0-based position `pos` of its column (`row` = pos + 1 for messages).
    /// Always stores exactly one value (a sentinel when the cell is wrong), except for booleans in
    /// columnar form, whose flags byte may already exist (then the bits are set in place).
    fn put(&mut self, field: Field, pos: usize, v: Val<'_>) {
        let row = pos + 1;
        if let (Val::Null, true) = (v, REQUIRED.contains(&field)) {
            self.cell_error(field, row, v, Some((" (this field is required)", " (cột bắt buộc)")));
        }
        match field {
            Field::Id => {
                match v {
                    Val::S(s) if !s.is_empty() && s.chars().count() <= validate::ID_MAX_CHARS => {
                        self.ents.id_text.push_str(s)
                    }
                    Val::Null => {}
                    _ => self.cell_error(field, row, v, None),
                }
                let end = u32::try_from(self.ents.id_text.len()).unwrap_or(u32::MAX);
                self.ents.id_ends.push(end);
            }
            Field::Province => {
                let code = match v {
                    Val::S(s) => normalise_code(s).and_then(|c| c.parse::<u8>().ok()),
                    Val::Null => None,
                    _ => v.whole().filter(|n| (1..=99).contains(n)).map(|n| n as u8),
                };
                if code.is_none() && !matches!(v, Val::Null) {
                    self.cell_error(field, row, v, None);
                }
                self.ents.province.push(code.unwrap_or(NONE));
            }
            Field::Year => {
                let y = v.whole().filter(|y| (1990..=2100).contains(y));
                if y.is_none() && !matches!(v, Val::Null) {
                    self.cell_error(field, row, v, None);
                }
                self.ents.year.push(y.map_or(0, |y| y as u16));
            }
            Field::Kind => {
                let c = self.code_cell(field, row, v, Kind::from_code, Kind::index);
                self.ents.kind.push(c)
            }
            Field::Sector => {
                let c = self.code_cell(field, row, v, Sector::from_code, Sector::index);
                self.ents.sector.push(c)
            }
            Field::Ntm => {
                let c = self.code_cell(field, row, v, Ntm::from_code, Ntm::index);
                self.ents.ntm.push(c)
            }
            Field::Stage => {
                let c = self.code_cell(field, row, v, Stage::from_code, Stage::index);
                self.ents.stage.push(c)
            }
            Field::Members | Field::Workers | Field::OcopProducts | Field::Ocop5Star => {
                let n = match v {
                    Val::Null => MISSING,
                    _ => match v.whole() {
                        Some(n) if n >= 0 && n < MISSING as i128 => n as u32,
                        Some(n) if n < 0 => {
                            self.cell_error(field, row, v, Some((" (a count cannot be negative)", " (số đếm không thể âm)")));
                            MISSING
                        }
                        Some(_) => {
                            self.cell_error(
                                field,
                                row,
                                v,
                                Some((" below 4,294,967,295 (this count is absurd)", " (số này quá lớn, không thể đúng: phải nhỏ hơn 4.294.967.295)")),
                            );
                            MISSING
                        }
                        None => {
                            self.cell_error(field, row, v, None);
                            MISSING
                        }
                    },
                };
                let col = match field {
                    Field::Members => &mut self.ents.members,
                    Field::Workers => &mut self.ents.workers,
                    Field::OcopProducts => &mut self.ents.ocop_products,
                    _ => &mut self.ents.ocop_5star,
                };
                col.push(n);
            }
            Field::Income | Field::Revenue => {
                let x = match v {
                    Val::Null => f32::NAN,
                    _ => match v.number() {
                        Some(x) if x >= 0.0 && x.is_finite() && x < f32::MAX as f64 => x as f32,
                        _ => {
                            self.cell_error(field, row, v, None);
                            f32::NAN
                        }
                    },
                };
                if field == Field::Income {
                    self.ents.income.push(x)
                } else {
                    self.ents.revenue.push(x)
                }
            }
            Field::OcopStar => {
                let s = match v {
                    Val::Null => NONE,
                    _ => match v.whole() {
                        Some(s) if (0..=5).contains(&s) => s as u8,
                        _ => {
                            self.cell_error(field, row, v, None);
                            NONE
                        }
                    },
                };
                self.ents.ocop_star.push(s);
            }
            Field::HighTech | Field::ValueChain | Field::Trademark | Field::EthnicArea => {
                let b = match v {
                    Val::Null => None,
                    Val::Bool(b) => Some(b),
                    _ => match v.whole() {
                        Some(0) => Some(false),
                        Some(1) => Some(true),
                        _ => {
                            self.cell_error(field, row, v, None);
                            None
                        }
                    },
                };
                let k = field.flag_bit().unwrap_or(0);
                if pos >= self.ents.flags.len() {
                    self.ents.flags.resize(pos + 1, 0);
                }
                if let Some(f) = self.ents.flags.get_mut(pos) {
                    *f = super::columns::set_flag(*f, k, b);
                }
            }
        }
    }

    fn code_cell<T>(
        &mut self,
        field: Field,
        row: usize,
        v: Val<'_>,
        parse: fn(&str) -> Option<T>,
        index: fn(T) -> u8,
    ) -> u8 {
        match v {
            Val::Null => NONE,
            Val::S(s) => match parse(s) {
                Some(t) => index(t),
                None => {
                    // Codes are ASCII: `HTX ` is `htx` once trimmed and lowered.
                    let hint = if parse(&s.trim().to_ascii_lowercase()).is_some() {
                        Some((" (codes are lowercase, without spaces)", " (mã viết thường, không có khoảng trắng)"))
                    } else {
                        None
                    };
                    self.cell_error(field, row, v, hint);
                    NONE
                }
            },
            _ => {
                self.cell_error(field, row, v, None);
                NONE
            }
        }
    }

    fn warn_key(&mut self, path: &str, key: &str) {
        let full = format!("{path}{key}");
        if self.warned_keys.contains(&full) {
            return;
        }
        let known: Vec<&str> = FIELDS.iter().map(|f| f.code()).collect();
        self.report.warning_with(|| {
            let known = known.join(", ");
            Issue::warning(
                Phrase::new(format!("an unknown field {}", quote(key)), format!("khóa lạ {}, Atlas bỏ qua", quote(key))),
                Phrase::new(
                    format!("one of {known} (the field is ignored)"),
                    format!("sửa (nếu gõ nhầm) thành một trong {}", code_spans(&known)),
                ),
            )
            .in_field(full.clone())
        });
        self.warned_keys.push(full);
    }

    /// After the JSON is read: columns made equal, provinces resolved, rows checked, and the small
    /// sections converted.
    fn finish(mut self, cluster: bool) -> Result<Parsed, Report> {
        let mut report = std::mem::take(&mut self.report);
        match &self.format {
            None => report.push(
                Issue::error(
                    Phrase::new("no \"format\" key", "chưa có khóa \"format\""),
                    Phrase::new(format!("\"format\": \"{FORMAT}\""), format!("thêm \"format\": \"{FORMAT}\" vào đầu tệp")),
                )
                    .in_field("format"),
            ),
            Some(Value::String(s)) if s == FORMAT => {}
            Some(v) => report.push(
                Issue::error(
                    describe_value(v),
                    Phrase::new(
                        format!("\"{FORMAT}\" (a newer format needs a newer Coop Atlas)"),
                        format!("\"{FORMAT}\" (tệp theo định dạng mới hơn: hãy dùng bản Coop Atlas mới hơn)"),
                    ),
                )
                .in_field("format"),
            ),
        }
        let meta = match self.meta.take() {
            None => {
                report.push(
                    Issue::error(
                        Phrase::new("no \"meta\" object", "chưa có phần \"meta\""),
                        Phrase::new(
                            "a \"meta\" object with id, title, source and boundary",
                            "thêm phần `meta` gồm `id`, `title`, `source` và `boundary`",
                        ),
                    )
                    .in_field("meta"),
                );
                None
            }
            Some(v) => meta_from_value(&v, &mut report),
        };
        let boundary = meta.as_ref().map(|m| m.boundary);

        if !self.entities_seen && self.observations.is_none() {
            report.push(Issue::error(
                Phrase::new("neither \"entities\" nor \"observations\"", "tệp không có cả \"entities\" lẫn \"observations\""),
                Phrase::new(
                    "at least one of them: a dataset without figures shows nothing",
                    "ít nhất một trong hai: không có số liệu thì Atlas không có gì để hiển thị",
                ),
            ));
        }

        // Columns: equal lengths (columnar form), then missing columns filled.
        if self.entities_seen && !self.rows_form {
            let present: Vec<Field> = FIELDS
                .iter()
                .copied()
                .filter(|f| self.columns_seen & f.bit() != 0)
                .collect();
            for &f in REQUIRED {
                if self.columns_seen & f.bit() == 0 {
                    report.push(
                        Issue::error(
                            Phrase::new(format!("no \"{}\" column", f.code()), format!("thiếu cột này (khóa `{}`)", f.code())),
                            Phrase::new(format!("a \"{}\" column: ", f.code()), "thêm cột này, mỗi ô là ")
                                .then(&f.expected()),
                        )
                        .in_field(format!("entities.{}", f.code())),
                    );
                }
            }
            let lens: Vec<(Field, usize)> = present
                .iter()
                .map(|&f| (f, self.col_len.get(f as usize).copied().unwrap_or(0)))
                .collect();
            let n = lens.iter().map(|l| l.1).max().unwrap_or(0);
            if lens.iter().any(|l| l.1 != n) {
                let listing = |lang: Lang| {
                    lens.iter()
                        .map(|(f, l)| format!("{}: {l}", if lang == Lang::Vi { f.label(lang) } else { f.code() }))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                report.push(
                    Issue::error(
                        Phrase::new(
                            format!("columns of unequal length ({})", listing(Lang::En)),
                            format!("các cột không dài bằng nhau ({})", listing(Lang::Vi)),
                        ),
                        Phrase::new(format!("every column with {n} values"), format!("cho mọi cột cùng số giá trị, ở đây là {n} (mỗi đơn vị một giá trị)")),
                    )
                    .in_field("entities"),
                );
            }
            for &f in FIELDS {
                self.pad(f, n);
            }
        }

        if let Some(b) = boundary {
            validate::resolve_provinces(&mut self.ents.province, b, &mut report);
        }
        validate::check_duplicates(&self.ents, &mut report);
        validate::check_suspicious(&self.ents, &mut report);

        let indicators = match self.indicators.take() {
            Some(v) => indicators_from_value(&v, &mut report),
            None => Vec::new(),
        };
        let observations = match (self.observations.take(), boundary) {
            (Some(v), Some(b)) => observations_from_value(&v, b, &indicators, &mut report),
            _ => Vec::new(),
        };
        let targets = match (self.targets.take(), boundary) {
            (Some(v), Some(b)) => targets_from_value(&v, b, &indicators, &mut report),
            _ => Vec::new(),
        };

        if report.has_errors() {
            return Err(report);
        }
        let Some(meta) = meta else {
            return Err(report);
        };
        self.ents.shrink_to_fit();
        if cluster {
            self.ents.cluster();
        }
        Ok(Parsed {
            dataset: Dataset {
                meta,
                entities: self.ents,
                observations,
                indicators,
                targets,
            },
            warnings: report,
        })
    }
}

struct TopVisitor<'a> {
    ctx: &'a mut Ctx,
}

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object with \"format\" and \"meta\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if self.ctx.top_keys_seen.iter().any(|k| *k == key) {
                let k = key.to_string();
                self.ctx.report.push(
                    Issue::error(
                        Phrase::new(format!("a second \"{k}\" key"), format!("khóa \"{k}\" được ghi lần thứ hai")),
                        Phrase::new("each top-level key once", "xóa bớt: mỗi khóa chỉ được ghi một lần"),
                    )
                        .in_field(k),
                );
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            self.ctx.top_keys_seen.push(key.to_string());
            match key.as_ref() {
                "format" => self.ctx.format = Some(map.next_value()?),
                "meta" => self.ctx.meta = Some(map.next_value()?),
                "observations" => self.ctx.observations = Some(map.next_value()?),
                "indicators" => self.ctx.indicators = Some(map.next_value()?),
                "targets" => self.ctx.targets = Some(map.next_value()?),
                "entities" => {
                    self.ctx.entities_seen = true;
                    map.next_value_seed(EntitiesSeed { ctx: self.ctx })?
                }
                other => {
                    let other = other.to_string();
                    // No field: the key is named in the message, and a field would be shown to a
                    // Vietnamese reader as a column (`cột "extra"`), which a JSON key is not.
                    self.ctx.report.push(
                        Issue::warning(
                            Phrase::new(
                                format!("an unknown top-level key {}", quote(&other)),
                                format!("khóa lạ {} ở cấp ngoài cùng của tệp, Atlas bỏ qua", quote(&other)),
                            ),
                            Phrase::new(
                                "format, meta, entities, observations, indicators, targets (the key is ignored)",
                                "sửa (nếu gõ nhầm) thành một trong format, meta, entities, observations, indicators, targets",
                            ),
                        ),
                    );
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The six scalar `visit_*` methods of a visitor that hands any JSON scalar, as a [`Val`], to one
/// method of its own: `scalar_visits!(wrong)` makes `visit_str(v)` call `self.wrong(Val::S(v))`,
/// and so on. Why a macro: the entities, column, row and cell visitors all take the same six
/// scalars the same way; only what they do with the value differs.
macro_rules! scalar_visits {
    ($take:ident) => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
            self.$take(Val::S(v));
            Ok(())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
            self.$take(Val::Bool(v));
            Ok(())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
            self.$take(Val::U(v));
            Ok(())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
            self.$take(Val::I(v));
            Ok(())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
            self.$take(Val::F(v));
            Ok(())
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            self.$take(Val::Null);
            Ok(())
        }
    };
}

struct EntitiesSeed<'a> {
    ctx: &'a mut Ctx,
}

impl<'de> DeserializeSeed<'de> for EntitiesSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntitiesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of columns or an array of rows")
    }

    /// Columnar form: `{"id": [...], "province": [...], ...}`.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match Field::from_code(&key) {
                Some(f) if self.ctx.columns_seen & f.bit() != 0 => {
                    self.ctx.report.push(
                        Issue::error(
                            Phrase::new(format!("a second \"{}\" column", f.code()), format!("khóa `{}` được ghi lần thứ hai", f.code())),
                            Phrase::new("each column once", "xóa bớt: mỗi cột chỉ được ghi một lần"),
                        )
                        .in_field(format!("entities.{}", f.code())),
                    );
                    map.next_value::<IgnoredAny>()?;
                }
                Some(f) => {
                    self.ctx.columns_seen |= f.bit();
                    if self.ctx.size_hint > 0 {
                        self.ctx.reserve(f, self.ctx.size_hint);
                    }
                    map.next_value_seed(ColumnSeed {
                        ctx: self.ctx,
                        field: f,
                    })?;
                    if self.ctx.size_hint == 0 {
                        self.ctx.size_hint = self.ctx.col_len.get(f as usize).copied().unwrap_or(0);
                    }
                }
                None => {
                    self.ctx.warn_key("entities.", &key);
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    /// Rows form: `[{"id": ..., "province": ...}, ...]`.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.ctx.rows_form = true;
        if let Some(n) = seq.size_hint() {
            for &f in FIELDS {
                self.ctx.reserve(f, n);
            }
        }
        let mut pos = 0usize;
        while seq
            .next_element_seed(RowSeed { ctx: self.ctx, pos })?
            .is_some()
        {
            pos += 1;
        }
        Ok(())
    }

    scalar_visits!(wrong);
}

impl EntitiesSeed<'_> {
    /// `entities` that is neither an object of columns nor an array of rows.
    fn wrong(self, v: Val<'_>) {
        self.ctx.report.push(
            Issue::error(
                v.describe(),
                Phrase::new(
                    "an object of columns {\"id\": […], …} or an array of rows [{\"id\": …}, …]",
                    "một đối tượng gồm các cột {\"id\": […], …} hoặc một mảng các hàng [{\"id\": …}, …]",
                ),
            )
            .in_field("entities"),
        );
    }
}

struct ColumnSeed<'a> {
    ctx: &'a mut Ctx,
    field: Field,
}

impl<'de> DeserializeSeed<'de> for ColumnSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ColumnSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut pos = 0usize;
        while seq
            .next_element_seed(CellSeed {
                ctx: &mut *self.ctx,
                field: self.field,
                pos,
            })?
            .is_some()
        {
            pos += 1;
        }
        if let Some(l) = self.ctx.col_len.get_mut(self.field as usize) {
            *l = pos;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.wrong(Val::Object);
        Ok(())
    }
    scalar_visits!(wrong);
}

impl ColumnSeed<'_> {
    fn wrong(self, v: Val<'_>) {
        let f = self.field;
        let each = f.expected();
        self.ctx.report.push(
            Issue::error(
                v.describe(),
                Phrase::new(
                    format!("an array with one value per row ({} each)", each.en),
                    format!("một mảng, mỗi hàng một giá trị ({})", each.vi),
                ),
            )
            .in_field(format!("entities.{}", f.code())),
        );
    }
}

struct RowSeed<'a> {
    ctx: &'a mut Ctx,
    pos: usize,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object (one row)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut set = 0u32;
        let pos = self.pos;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match Field::from_code(&key) {
                Some(f) if set & f.bit() != 0 => {
                    self.ctx.report.error_with(|| {
                        Issue::error(
                            Phrase::new(format!("a second \"{}\" key", f.code()), format!("khóa `{}` được ghi lần thứ hai", f.code())),
                            Phrase::new("each field once per row", "xóa bớt: mỗi khóa chỉ được ghi một lần trong một hàng"),
                        )
                        .at_row(pos + 1)
                        .in_field(f.code())
                    });
                    map.next_value::<IgnoredAny>()?;
                }
                Some(f) => {
                    set |= f.bit();
                    map.next_value_seed(CellSeed {
                        ctx: &mut *self.ctx,
                        field: f,
                        pos,
                    })?;
                }
                None => {
                    self.ctx.warn_key("entities[].", &key);
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        for &f in FIELDS {
            if set & f.bit() == 0 {
                if REQUIRED.contains(&f) {
                    self.ctx.report.error_with(|| {
                        Issue::error(
                            Phrase::nothing(),
                            f.expected().then(&Phrase::new(" (this field is required)", " (cột bắt buộc)")),
                        )
                        .at_row(pos + 1)
                        .in_field(f.code())
                    });
                }
                self.ctx.pad(f, pos + 1);
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.wrong(Val::Array);
        Ok(())
    }
    scalar_visits!(wrong);
}

impl RowSeed<'_> {
    /// A row that is not an object: reported, and padded with "missing" to keep columns aligned.
    fn wrong(self, v: Val<'_>) {
        let pos = self.pos;
        self.ctx.report.error_with(|| {
            Issue::error(
                v.describe(),
                Phrase::new(
                    "an object such as {\"id\": \"HTX-19-0001\", \"province\": \"19\", …}",
                    "một đối tượng như {\"id\": \"HTX-19-0001\", \"province\": \"19\", …}",
                ),
            )
            .at_row(pos + 1)
            .in_field("entities")
        });
        for &f in FIELDS {
            self.ctx.pad(f, pos + 1);
        }
    }
}

struct CellSeed<'a> {
    ctx: &'a mut Ctx,
    field: Field,
    pos: usize,
}

impl<'de> DeserializeSeed<'de> for CellSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CellSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cell value")
    }

    scalar_visits!(take);
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.take(Val::Null);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.take(Val::Array);
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.take(Val::Object);
        Ok(())
    }
}

impl CellSeed<'_> {
    /// Stores the cell's value in its column (checked later, with every other cell of the field).
    fn take(self, v: Val<'_>) {
        self.ctx.put(self.field, self.pos, v);
    }
}

// ---- small sections, read from Values -------------------------------------------------------

fn describe_value(v: &Value) -> Phrase {
    match v {
        Value::Null => Phrase::new("null", "giá trị rỗng `null`"),
        Value::Bool(b) => Phrase::same(b.to_string()),
        Value::Number(n) => Phrase::same(n.to_string()),
        Value::String(s) => Phrase::quoted(s),
        Value::Array(_) => an_array(),
        Value::Object(_) => an_object(),
    }
}

fn an_array() -> Phrase {
    Phrase::new("an array", "một mảng")
}

fn an_object() -> Phrase {
    Phrase::new("an object", "một đối tượng")
}

/// A text (a JSON string), as a section's fields expect.
fn a_text() -> Phrase {
    Phrase::new("a text", "một chuỗi ký tự")
}

/// `{"vi": …, "en": …}`: a text in both languages.
fn a_bilingual_text() -> Phrase {
    Phrase::same("{\"vi\": …, \"en\": …}")
}

/// A year as the meta and observations sections expect it (the entity field's own check is
/// [`Field::expected`]).
fn a_year() -> Phrase {
    Field::Year.expected()
}

/// One of a vocabulary's codes, listed.
fn one_of(list: &str) -> Phrase {
    Phrase::new(format!("one of {list}"), format!("một trong {}", code_spans(list)))
}

/// A list of keys or codes of the JSON format (`id, province`) as code spans for a Vietnamese
/// reader (`` `id`, `province` ``): words to type as they are, not English to translate.
fn code_spans(list: &str) -> String {
    list.split(", ").map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// Reads fields of one object, reporting wrong types at `path.key`.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, path: &str, report: &mut Report) -> Option<Obj<'a>> {
        match v {
            Value::Object(map) => Some(Obj {
                map,
                path: path.to_string(),
            }),
            other => {
                report.push(Issue::error(describe_value(other), an_object()).in_field(path));
                None
            }
        }
    }

    fn at(&self, key: &str) -> String {
        format!("{}.{}", self.path, key)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn missing(&self, key: &str, expected: Phrase, report: &mut Report) {
        let expected = expected.then(&Phrase::new(" (required)", " (mục bắt buộc)"));
        report.push(Issue::error(Phrase::nothing(), expected).in_field(self.at(key)));
    }

    fn wrong(&self, key: &str, v: &Value, expected: Phrase, report: &mut Report) {
        report.push(Issue::error(describe_value(v), expected).in_field(self.at(key)));
    }

    fn string(&self, key: &str, required: bool, report: &mut Report) -> Option<String> {
        match self.get(key) {
            None => {
                if required {
                    self.missing(key, a_text(), report);
                }
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.wrong(key, v, a_text(), report);
                None
            }
        }
    }

    fn date(&self, key: &str, report: &mut Report) -> Option<String> {
        let s = self.string(key, false, report)?;
        if is_date(&s) {
            Some(s)
        } else {
            report.push(
                Issue::error(Phrase::quoted(&s), Phrase::new("a date YYYY-MM-DD", "một ngày dạng YYYY-MM-DD"))
                    .in_field(self.at(key)),
            );
            None
        }
    }

    fn boolean(&self, key: &str, report: &mut Report) -> Option<bool> {
        match self.get(key) {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => {
                self.wrong(key, v, Phrase::new("true or false", "true hoặc false"), report);
                None
            }
        }
    }

    fn text(&self, key: &str, required: bool, report: &mut Report) -> Option<Text> {
        match self.get(key) {
            None => {
                if required {
                    self.missing(key, a_bilingual_text(), report);
                }
                None
            }
            Some(Value::String(s)) => Some(Text {
                vi: s.clone(),
                en: String::new(),
            }),
            Some(v @ Value::Object(_)) => {
                let o = Obj::new(v, &self.at(key), report)?;
                let vi = o.string("vi", true, report)?;
                let en = o.string("en", false, report).unwrap_or_default();
                Some(Text { vi, en })
            }
            Some(v) => {
                self.wrong(key, v, a_bilingual_text(), report);
                None
            }
        }
    }

    fn warn_unknown(&self, known: &[&str], report: &mut Report) {
        for k in self.map.keys() {
            if !known.contains(&k.as_str()) {
                let known = known.join(", ");
                report.push(
                    Issue::warning(
                        Phrase::new(format!("an unknown key {}", quote(k)), format!("khóa lạ {}, Atlas bỏ qua", quote(k))),
                        Phrase::new(
                            format!("one of {known} (the key is ignored)"),
                            format!("sửa (nếu gõ nhầm) thành một trong {}", code_spans(&known)),
                        ),
                    )
                    .in_field(self.at(k)),
                );
            }
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && matches!(s.get(5..7).and_then(|m| m.parse::<u8>().ok()), Some(1..=12))
        && matches!(
            s.get(8..10).and_then(|d| d.parse::<u8>().ok()),
            Some(1..=31)
        )
}

fn is_id(s: &str, extra: u8) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == extra)
}

fn meta_from_value(v: &Value, report: &mut Report) -> Option<Meta> {
    let o = Obj::new(v, "meta", report)?;
    let errors_before = report.error_count();
    let id = o.string("id", true, report).unwrap_or_default();
    if o.get("id").is_some() && !is_id(&id, b'-') {
        report.push(
            Issue::error(
                Phrase::quoted(&id),
                Phrase::new("1–64 characters among a–z, 0–9 and -", "1–64 ký tự, chỉ gồm a–z, 0–9 và dấu -"),
            )
            .in_field("meta.id"),
        );
    }
    let title = o.text("title", true, report).unwrap_or_default();
    let description = o.text("description", false, report);
    let source = match o.get("source") {
        None => {
            o.missing(
                "source",
                Phrase::same("{\"publisher\": …, \"url\": …, \"date\": \"YYYY-MM-DD\"}"),
                report,
            );
            Source::default()
        }
        Some(sv) => match Obj::new(sv, "meta.source", report) {
            Some(so) => {
                so.warn_unknown(&["publisher", "url", "date"], report);
                Source {
                    publisher: match so.get("publisher") {
                        None => {
                            so.missing("publisher", a_text(), report);
                            Text::default()
                        }
                        Some(_) => so.text("publisher", true, report).unwrap_or_default(),
                    },
                    url: so.string("url", false, report),
                    date: so.date("date", report),
                }
            }
            None => Source::default(),
        },
    };
    let boundary = match o.get("boundary") {
        None => {
            o.missing("boundary", Phrase::new("63 or 34", "63 hoặc 34"), report);
            None
        }
        Some(bv) => {
            let n = match bv {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            let b = n.and_then(Boundary::from_number);
            if b.is_none() {
                o.wrong(
                    "boundary",
                    bv,
                    Phrase::new(
                        "63 (codes before 1 July 2025) or 34 (codes from 1 July 2025)",
                        "63 (mã trước 1/7/2025) hoặc 34 (mã từ 1/7/2025)",
                    ),
                    report,
                );
            }
            b
        }
    };
    let mut years = Vec::new();
    match o.get("years") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, y) in items.iter().enumerate() {
                match y.as_u64().filter(|y| (1990..=2100).contains(y)) {
                    Some(y) => years.push(y as u16),
                    None => report.push(
                        Issue::error(describe_value(y), a_year())
                            .in_field(format!("meta.years[{i}]")),
                    ),
                }
            }
            super::order::sort(&mut years);
            years.dedup();
        }
        Some(other) => o.wrong("years", other, Phrase::new("an array of years", "một mảng các năm"), report),
    }
    let meta = Meta {
        id,
        title,
        description,
        source,
        licence: o.text("licence", false, report),
        illustrative: o.boolean("illustrative", report).unwrap_or(false),
        reference_date: o.date("reference_date", report),
        boundary: boundary.unwrap_or_default(),
        years,
    };
    o.warn_unknown(
        &[
            "id",
            "title",
            "description",
            "source",
            "licence",
            "illustrative",
            "reference_date",
            "boundary",
            "years",
        ],
        report,
    );
    if report.error_count() > errors_before || boundary.is_none() {
        None
    } else {
        Some(meta)
    }
}

/// Reads a list of codes (or one code) of a vocabulary.
fn codes<T: Copy>(
    o: &Obj<'_>,
    key: &str,
    parse: fn(&str) -> Option<T>,
    list: fn() -> String,
    report: &mut Report,
) -> Vec<T> {
    let items: Vec<&Value> = match o.get(key) {
        None => return Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    };
    let mut out = Vec::new();
    for v in items {
        match v.as_str().and_then(parse) {
            Some(t) => out.push(t),
            None => report.push(
                Issue::error(describe_value(v), one_of(&list())).in_field(o.at(key)),
            ),
        }
    }
    out
}

fn subset_from_value(v: &Value, path: &str, report: &mut Report) -> Subset {
    let Some(o) = Obj::new(v, path, report) else {
        return Subset::default();
    };
    let known = [
        "kind",
        "sector",
        "ntm",
        "stage",
        "high_tech",
        "value_chain",
        "trademark",
        "ethnic_area",
        "ocop_star_min",
    ];
    for k in o.map.keys() {
        if !known.contains(&k.as_str()) {
            report.push(
                Issue::error(
                    Phrase::new(format!("an unknown key {}", quote(k)), format!("khóa lạ {}", quote(k))),
                    one_of(&known.join(", ")),
                )
                .in_field(o.at(k)),
            );
        }
    }
    let ocop_star_min = match o.get("ocop_star_min") {
        None => None,
        Some(x) => match x.as_u64().filter(|s| *s <= 5) {
            Some(s) => Some(s as u8),
            None => {
                o.wrong("ocop_star_min", x, Field::OcopStar.expected(), report);
                None
            }
        },
    };
    Subset {
        kinds: codes(&o, "kind", Kind::from_code, Kind::codes_list, report),
        sectors: codes(&o, "sector", Sector::from_code, Sector::codes_list, report),
        ntm: codes(&o, "ntm", Ntm::from_code, Ntm::codes_list, report),
        stage: codes(&o, "stage", Stage::from_code, Stage::codes_list, report),
        high_tech: o.boolean("high_tech", report),
        value_chain: o.boolean("value_chain", report),
        trademark: o.boolean("trademark", report),
        ethnic_area: o.boolean("ethnic_area", report),
        ocop_star_min,
    }
}

fn indicators_from_value(v: &Value, report: &mut Report) -> Vec<IndicatorDef> {
    let Value::Array(items) = v else {
        report.push(
            Issue::error(
                describe_value(v),
                Phrase::new("an array of indicator definitions", "một mảng các định nghĩa chỉ tiêu"),
            )
                .in_field("indicators"),
        );
        return Vec::new();
    };
    let mut out: Vec<IndicatorDef> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("indicators[{i}]");
        let Some(o) = Obj::new(item, &path, report) else {
            continue;
        };
        let before = report.error_count();
        o.warn_unknown(
            &[
                "id",
                "label",
                "description",
                "measure",
                "field",
                "weight",
                "of",
                "where",
                "unit",
                "source",
                "observed",
                "summable",
                "definition",
            ],
            report,
        );
        let id = o.string("id", true, report).unwrap_or_default();
        if o.get("id").is_some() && !is_id(&id, b'_') {
            report.push(
                Issue::error(
                    Phrase::quoted(&id),
                    Phrase::new("1–64 characters among a–z, 0–9, - and _", "1–64 ký tự, chỉ gồm a–z, 0–9, dấu - và dấu _"),
                )
                    .in_field(o.at("id")),
            );
        }
        if super::indicators::builtin(&id).is_some() {
            report.push(
                Issue::error(
                    Phrase::quoted(&id),
                    Phrase::new("an id not used by a built-in indicator", "một mã chưa dùng cho chỉ tiêu có sẵn"),
                )
                    .in_field(o.at("id")),
            );
        }
        if out.iter().any(|d| d.id == id) {
            report.push(
                Issue::error(Phrase::quoted(&id), Phrase::new("an id defined once", "mỗi mã chỉ tiêu chỉ định nghĩa một lần"))
                    .in_field(o.at("id")),
            );
        }
        let label = o.text("label", true, report).unwrap_or_default();
        let observed = o.boolean("observed", report).unwrap_or(false);
        let measure = match o.string("measure", !observed, report) {
            None => Measure::Count,
            Some(m) => Measure::from_code(&m).unwrap_or_else(|| {
                report.push(
                    Issue::error(
                        Phrase::quoted(&m),
                        one_of("count, sum, mean, weighted_mean, median, share"),
                    )
                    .in_field(o.at("measure")),
                );
                Measure::Count
            }),
        };
        let num = |key: &str, needed: bool, report: &mut Report| -> Option<NumField> {
            match o.string(key, false, report) {
                None => {
                    if needed {
                        let list = NumField::codes_list();
                        o.missing(
                            key,
                            Phrase::new(format!("a numeric field: one of {list}"), format!("một khóa số liệu: một trong {}", code_spans(&list))),
                            report,
                        );
                    }
                    None
                }
                Some(f) => {
                    let nf = NumField::from_code(&f);
                    if nf.is_none() {
                        report.push(
                            Issue::error(Phrase::quoted(&f), one_of(&NumField::codes_list()))
                                .in_field(o.at(key)),
                        );
                    }
                    nf
                }
            }
        };
        let needs_field = !observed
            && matches!(
                measure,
                Measure::Sum | Measure::Mean | Measure::Median | Measure::WeightedMean
            );
        let field = num("field", needs_field, report);
        let weight = num(
            "weight",
            !observed && measure == Measure::WeightedMean,
            report,
        );
        let of = o
            .get("of")
            .map(|v| subset_from_value(v, &o.at("of"), report))
            .unwrap_or_default();
        let where_ = o
            .get("where")
            .map(|v| subset_from_value(v, &o.at("where"), report))
            .unwrap_or_default();
        if measure == Measure::Share && !observed && where_.is_all() {
            o.missing(
                "where",
                Phrase::new(
                    "the part counted by a share (a filter object)",
                    "phần được tính trong tỷ lệ (một đối tượng bộ lọc)",
                ),
                report,
            );
        }
        let unit = match o.string("unit", false, report) {
            Some(u) => Unit::from_code(&u).unwrap_or_else(|| {
                report.push(
                    Issue::error(Phrase::quoted(&u), one_of(&Unit::codes_list()))
                        .in_field(o.at("unit")),
                );
                Unit::Count
            }),
            None => match measure {
                Measure::Count => Unit::Count,
                Measure::Share => Unit::Share,
                _ => {
                    o.missing("unit", one_of(&Unit::codes_list()), report);
                    Unit::Count
                }
            },
        };
        let def = IndicatorDef {
            id,
            label,
            description: o.text("description", false, report),
            measure,
            field,
            weight,
            of,
            where_,
            unit,
            source: o.string("source", false, report),
            observed,
            summable: o.boolean("summable", report),
            definition: o.text("definition", false, report),
        };
        if report.error_count() == before {
            out.push(def);
        }
    }
    out
}

/// Where an observation is, as its `area` expects.
fn an_area() -> Phrase {
    Phrase::new("a province code, a region code or \"VN\"", "một mã tỉnh, một mã vùng hoặc \"VN\"")
}

fn a_number() -> Phrase {
    Phrase::new("a number", "một số")
}

/// The `area` of an observation or a target: `VN`, a region code or a province code of `b`.
fn area_of(o: &Obj<'_>, b: Boundary, report: &mut Report) -> Option<Area> {
    let reg = registry();
    match o.get("area") {
        None => {
            o.missing("area", an_area(), report);
            None
        }
        Some(Value::String(s)) if s == "VN" => Some(Area::National),
        Some(av) => {
            let text = match av {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => n.as_u64().map(|n| n.to_string()),
                _ => None,
            };
            match text {
                Some(t) => {
                    if let Some(r) = Region::from_code(&t) {
                        Some(Area::Region(r))
                    } else {
                        match normalise_code(&t) {
                            Some(code) => match reg.index_of(b, &code) {
                                Some(idx) => Some(Area::Province(idx)),
                                None => {
                                    report.push(
                                        validate::province_code_issue(&code, b)
                                            .in_field(o.at("area")),
                                    );
                                    None
                                }
                            },
                            None => {
                                let list = Region::codes_list();
                                o.wrong(
                                    "area",
                                    av,
                                    Phrase::new(
                                        format!("a province code, \"VN\" or a region: {list}"),
                                        format!("một mã tỉnh, \"VN\" hoặc một vùng: {list}"),
                                    ),
                                    report,
                                );
                                None
                            }
                        }
                    }
                }
                None => {
                    o.wrong("area", av, an_area(), report);
                    None
                }
            }
        }
    }
}

/// A required `year` from 1990 to 2100.
fn year_of(o: &Obj<'_>, report: &mut Report) -> Option<u16> {
    match o.get("year") {
        None => {
            o.missing("year", a_year(), report);
            None
        }
        Some(y) => {
            let yy = y
                .as_u64()
                .filter(|y| (1990..=2100).contains(y))
                .map(|y| y as u16);
            if yy.is_none() {
                o.wrong("year", y, a_year(), report);
            }
            yy
        }
    }
}

/// An optional `confidence`: `high`, `medium` or `low`, optionally followed by an explanation.
fn check_confidence(o: &Obj<'_>, report: &mut Report) {
    if let Some(c) = o.string("confidence", false, report) {
        let word = c.split(|ch: char| !ch.is_alphabetic()).next().unwrap_or("");
        if !matches!(word, "high" | "medium" | "low") {
            report.push(
                Issue::error(
                    Phrase::quoted(&c),
                    Phrase::new(
                        "high, medium or low, optionally followed by an explanation",
                        "high, medium hoặc low, có thể kèm lời giải thích",
                    ),
                )
                .in_field(o.at("confidence")),
            );
        }
    }
}

/// A required, finite `value`.
fn value_of(o: &Obj<'_>, report: &mut Report) -> Option<f64> {
    match o.get("value") {
        None => {
            o.missing("value", a_number(), report);
            None
        }
        Some(x) => {
            let f = x.as_f64().filter(|f| f.is_finite());
            if f.is_none() {
                o.wrong("value", x, a_number(), report);
            }
            f
        }
    }
}

/// A required `indicator` id (its syntax only; whether it is known is the caller's question).
fn indicator_of(o: &Obj<'_>, report: &mut Report) -> String {
    let indicator = o.string("indicator", true, report).unwrap_or_default();
    if !indicator.is_empty() && !is_id(&indicator, b'_') {
        report.push(
            Issue::error(
                Phrase::quoted(&indicator),
                Phrase::new("an indicator id (a–z, 0–9, - and _)", "một mã chỉ tiêu (a–z, 0–9, - và _)"),
            )
            .in_field(o.at("indicator")),
        );
    }
    indicator
}

fn observations_from_value(
    v: &Value,
    b: Boundary,
    defs: &[IndicatorDef],
    report: &mut Report,
) -> Vec<Observation> {
    let Value::Array(items) = v else {
        report.push(
            Issue::error(describe_value(v), Phrase::new("an array of observations", "một mảng các số liệu đã công bố"))
                .in_field("observations"),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("observations[{i}]");
        let Some(o) = Obj::new(item, &path, report) else {
            continue;
        };
        let before = report.error_count();
        o.warn_unknown(
            &[
                "area",
                "year",
                "as_of",
                "indicator",
                "value",
                "unit",
                "source",
                "publisher",
                "confidence",
                "note",
                "authority",
                "published",
            ],
            report,
        );
        let area = area_of(&o, b, report);
        let year = year_of(&o, report);
        let indicator = indicator_of(&o, report);
        let value = value_of(&o, report);
        let unit = match o.string("unit", false, report) {
            Some(u) => Unit::from_code(&u).or_else(|| {
                report.push(
                    Issue::error(Phrase::quoted(&u), one_of(&Unit::codes_list()))
                        .in_field(o.at("unit")),
                );
                None
            }),
            None => {
                let known = super::indicators::builtin(&indicator)
                    .or_else(|| defs.iter().find(|d| d.id == indicator));
                match known {
                    Some(d) => Some(d.unit),
                    None => {
                        o.missing("unit", one_of(&Unit::codes_list()), report);
                        None
                    }
                }
            }
        };
        let source = o.string("source", true, report).unwrap_or_default();
        check_confidence(&o, report);
        let authority = o.string("authority", false, report).and_then(|a| {
            Authority::from_code(&a).or_else(|| {
                report.push(Issue::error(Phrase::quoted(&a), one_of(&Authority::codes_list())).in_field(o.at("authority")));
                None
            })
        });
        let published = o.date("published", report);
        let obs = (|| {
            Some(Observation {
                area: area?,
                year: year?,
                as_of: o.date("as_of", report),
                indicator,
                value: value?,
                unit: unit?,
                source,
                publisher: o.text("publisher", false, report),
                confidence: o.string("confidence", false, report),
                note: o.string("note", false, report),
                authority,
                published,
            })
        })();
        if let (Some(obs), true) = (obs, report.error_count() == before) {
            out.push(obs);
        }
    }
    out
}


/// The `targets` section: each target names its area, indicator, year, value and unit, and its
/// source, like an observation; the unit is required (a target is compared with figures, and a
/// target of 35,000 read in the wrong unit is worse than none) and must be the indicator's.
fn targets_from_value(v: &Value, b: Boundary, defs: &[IndicatorDef], report: &mut Report) -> Vec<Target> {
    let Value::Array(items) = v else {
        report.push(
            Issue::error(describe_value(v), Phrase::new("an array of targets", "một mảng các mục tiêu")).in_field("targets"),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("targets[{i}]");
        let Some(o) = Obj::new(item, &path, report) else {
            continue;
        };
        let before = report.error_count();
        o.warn_unknown(
            &["area", "indicator", "year", "value", "unit", "comparison", "source", "document", "wording", "confidence"],
            report,
        );
        let area = area_of(&o, b, report);
        let indicator = indicator_of(&o, report);
        let def = super::indicators::builtin(&indicator).or_else(|| defs.iter().find(|d| d.id == indicator));
        if def.is_none() && report.error_count() == before && !indicator.is_empty() {
            let ids = defs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ");
            let (en, vi) = if ids.is_empty() {
                ("a built-in indicator id".to_string(), "một mã chỉ tiêu có sẵn".to_string())
            } else {
                (format!("a built-in indicator id or one the file defines ({ids})"), format!("một mã chỉ tiêu có sẵn hoặc do tệp định nghĩa ({ids})"))
            };
            report.push(Issue::error(Phrase::quoted(&indicator), Phrase::new(en, vi)).in_field(o.at("indicator")));
        }
        let year = year_of(&o, report);
        let value = value_of(&o, report);
        let unit = match o.string("unit", false, report) {
            None => {
                o.missing("unit", one_of(&Unit::codes_list()), report);
                None
            }
            Some(u) => match (Unit::from_code(&u), def) {
                (None, _) => {
                    report.push(Issue::error(Phrase::quoted(&u), one_of(&Unit::codes_list())).in_field(o.at("unit")));
                    None
                }
                (Some(unit), Some(d)) if unit != d.unit => {
                    let want = d.unit.code();
                    report.push(
                        Issue::error(
                            Phrase::quoted(&u),
                            Phrase::new(
                                format!("\"{want}\", the unit of the indicator {}", quote(&indicator)),
                                format!("\"{want}\", là đơn vị của chỉ tiêu {}", quote(&indicator)),
                            ),
                        )
                        .in_field(o.at("unit")),
                    );
                    None
                }
                (unit, _) => unit,
            },
        };
        let comparison = match o.string("comparison", false, report) {
            None => Some(Comparison::AtLeast),
            Some(c) => Comparison::from_code(&c).or_else(|| {
                report.push(Issue::error(Phrase::quoted(&c), one_of("at_least, about")).in_field(o.at("comparison")));
                None
            }),
        };
        let source = o.string("source", true, report).unwrap_or_default();
        check_confidence(&o, report);
        let document = o.string("document", false, report);
        let wording = o.string("wording", false, report);
        let target = (|| {
            Some(Target {
                area: area?,
                indicator,
                year: year?,
                value: value?,
                unit: unit?,
                comparison: comparison?,
                source,
                document,
                wording,
                confidence: o.string("confidence", false, report),
            })
        })();
        if let (Some(t), true) = (target, report.error_count() == before) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = r#""format": "coop-atlas/1",
      "meta": {"id": "test", "title": {"vi": "Thử", "en": "Test"}, "source": {"publisher": "GSO"}, "boundary": 63}"#;

    fn doc(entities: &str) -> String {
        format!("{{{META}, \"entities\": {entities}}}")
    }

    fn parse(s: &str) -> Result<Parsed, Report> {
        parse_dataset_str(s, &Limits::default())
    }

    fn first_error(s: &str) -> String {
        match parse(s) {
            Ok(_) => "accepted".to_string(),
            Err(r) => r.errors.first().map(|i| i.to_string()).unwrap_or_default(),
        }
    }

    #[test]
    fn owned_bytes_parse_the_same() {
        let text = crate::synth::scale::generate(300, 3);
        let a = parse_dataset(text.as_bytes(), &Limits::default()).unwrap();
        let b = parse_dataset_owned(text.clone().into_bytes(), &Limits::default()).unwrap();
        // Rows compared decoded (missing numbers are NaN in the columns, and NaN != NaN).
        let (x, y) = (&a.dataset.entities, &b.dataset.entities);
        assert_eq!(x.len(), 300);
        assert!((0..301).all(|i| x.row(i) == y.row(i)));
        assert_eq!(a.dataset.meta, b.dataset.meta);
        assert_eq!(a.warnings, b.warnings);
        let bad = b"{\"format\": 1}".to_vec();
        assert_eq!(parse_dataset(&bad, &Limits::default()).unwrap_err(), parse_dataset_owned(bad, &Limits::default()).unwrap_err());
    }

    #[test]
    fn columnar_and_rows_forms_agree() {
        let columnar = doc(
            r#"{"id": ["A", "B"], "province": ["19", 1], "year": [2024, 2024.0], "kind": ["htx", "tht"],
                "workers": [12, null], "income": [5500000, 6000000.5], "high_tech": [true, 0], "ntm": ["model", null]}"#,
        );
        let rows = doc(
            r#"[{"id": "A", "province": "19", "year": 2024, "kind": "htx", "workers": 12, "income": 5500000,
                 "high_tech": true, "ntm": "model"},
                {"id": "B", "province": "01", "year": 2024, "kind": "tht", "income": 6000000.5, "high_tech": 0}]"#,
        );
        let a = parse(&columnar).expect("columnar parses");
        let b = parse(&rows).expect("rows parse");
        // NaN (missing revenue) is not equal to itself, so compare the debug text.
        assert_eq!(
            format!("{:?}", a.dataset.entities),
            format!("{:?}", b.dataset.entities)
        );
        let e = &a.dataset.entities;
        assert_eq!(e.len(), 2);
        assert_eq!(e.id(1), "B");
        assert_eq!(e.workers(0), Some(12));
        assert_eq!(e.workers(1), None);
        assert_eq!(e.kind(1), Some(Kind::Tht));
        assert_eq!(e.ntm(0), Some(Ntm::Model));
        assert_eq!(
            e.flag(1, crate::engine::columns::flag::HIGH_TECH),
            Some(false)
        );
        assert_eq!(e.province(0), registry().index_of(Boundary::P63, "19"));
        assert_eq!(e.province(1), registry().index_of(Boundary::P63, "01"));
        assert!(a.warnings.is_empty(), "{}", a.warnings);
    }

    #[test]
    fn cell_errors_name_row_and_field() {
        let cases: &[(&str, &str)] = &[
            (r#"{"id": ["A"], "province": ["19"], "year": [2024], "kind": ["htx"], "workers": [-3]}"#,
             "row 1, field \"workers\": found -3, expected a whole number ≥ 0 (a count cannot be negative)"),
            (r#"{"id": ["A", "B"], "province": ["19", "19"], "year": [2024, 2024], "kind": ["htx", "coop"]}"#,
             "row 2, field \"kind\": found \"coop\", expected one of htx (Cooperative), tht (Cooperative group), qtdnd (People's credit fund), lhhtx (Union of cooperatives), dn (Enterprise), hkd (Household business)"),
            (r#"{"id": ["A"], "province": ["19"], "year": [2024], "kind": ["HTX"]}"#,
             "row 1, field \"kind\": found \"HTX\", expected one of htx (Cooperative), tht (Cooperative group), qtdnd (People's credit fund), lhhtx (Union of cooperatives), dn (Enterprise), hkd (Household business) (codes are lowercase, without spaces)"),
            (r#"{"id": ["A"], "province": ["19"], "year": [1850], "kind": ["htx"]}"#,
             "row 1, field \"year\": found 1850, expected a whole number from 1990 to 2100"),
            (r#"{"id": ["A"], "province": ["19"], "year": [2024], "kind": ["htx"], "ocop_star": [6]}"#,
             "row 1, field \"ocop_star\": found 6, expected a whole number from 0 to 5"),
            (r#"{"id": ["A"], "province": ["19"], "year": [2024], "kind": ["htx"], "high_tech": ["yes"]}"#,
             "row 1, field \"high_tech\": found \"yes\", expected true, false, 1 or 0"),
            (r#"{"id": ["A"], "province": ["19"], "year": [2024], "kind": ["htx"], "members": ["12"]}"#,
             "row 1, field \"members\": found \"12\", expected a whole number ≥ 0"),
            (r#"{"id": ["A"], "province": ["19"], "year": [2024], "kind": ["htx"], "members": [[1]]}"#,
             "row 1, field \"members\": found an array, expected a whole number ≥ 0"),
            (r#"{"id": ["A"], "province": ["19"], "year": [2024], "kind": ["htx"], "income": [-1.5]}"#,
             "row 1, field \"income\": found -1.5, expected a number ≥ 0"),
            (r#"{"id": [null], "province": ["19"], "year": [2024], "kind": ["htx"]}"#,
             "row 1, field \"id\": found null, expected a text of 1–64 characters (this field is required)"),
            (r#"{"id": ["A"], "province": ["9x"], "year": [2024], "kind": ["htx"]}"#,
             "row 1, field \"province\": found \"9x\", expected a two-digit GSO province code such as \"19\""),
            (r#"{"id": ["A", "A"], "province": ["19", "19"], "year": [2024, 2024], "kind": ["htx", "htx"]}"#,
             "row 2, field \"id\": found \"A\", expected an id used once in 2024; it is already used in row 1"),
            (r#"[{"id": "A", "province": "19", "kind": "htx"}]"#,
             "row 1, field \"year\": found nothing, expected a whole number from 1990 to 2100 (this field is required)"),
            (r#"[{"id": "A", "province": "19", "year": 2024, "kind": "htx"}, 5]"#,
             "row 2, field \"entities\": found 5, expected an object such as {\"id\": \"HTX-19-0001\", \"province\": \"19\", …}"),
            (r#"{"id": ["A", "B"], "province": ["19"], "year": [2024, 2024], "kind": ["htx", "htx"]}"#,
             "field \"entities\": found columns of unequal length (id: 2, province: 1, year: 2, kind: 2), expected every column with 2 values"),
            (r#"{"id": ["A"], "year": [2024], "kind": ["htx"]}"#,
             "field \"entities.province\": found no \"province\" column, expected a \"province\" column: a two-digit GSO province code such as \"19\""),
            (r#""oops""#,
             "field \"entities\": found \"oops\", expected an object of columns {\"id\": […], …} or an array of rows [{\"id\": …}, …]"),
        ];
        for (entities, want) in cases {
            assert_eq!(first_error(&doc(entities)), *want, "entities: {entities}");
        }
    }

    #[test]
    fn province_of_the_other_boundary_is_explained() {
        let s = doc(r#"{"id": ["A"], "province": ["02"], "year": [2024], "kind": ["htx"]}"#)
            .replace("\"boundary\": 63", "\"boundary\": 34");
        let msg = first_error(&s);
        assert!(
            msg.starts_with(
                "row 1, field \"province\": found \"02\" (a code of the 63-province list"
            ),
            "{msg}"
        );
        assert!(msg.contains("set \"boundary\": 63"), "{msg}");
    }

    #[test]
    fn file_level_errors() {
        let deep = format!(
            "{{\"format\": \"coop-atlas/1\", \"meta\": {}}}",
            "[".repeat(1_000_000)
        );
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"".to_vec(), "found an empty file"),
            (b"   \n ".to_vec(), "found an empty file"),
            (b"[1,2]".to_vec(), "found an array at the top level"),
            (b"<html>".to_vec(), "found HTML or XML"),
            (vec![0xFF, 0xFE, b'{', 0], "this looks like a UTF-16"),
            (vec![0, 0, 0xFE, 0xFF], "found a UTF-32 text"),
            (vec![b'{', 0, b'"', 0], "found a UTF-16 text"),
            (
                b"{\"format\": \"coop-atlas/1\",\n \"meta\": {\"id\": }".to_vec(),
                "line 2, column 17: found broken JSON, expected value",
            ),
            (
                b"{\"format\": \"coop-atlas/1\"".to_vec(),
                "found the end of the file",
            ),
            (b"{} {}".to_vec(), "found more text after the end"),
            (deep.into_bytes(), "found nesting deeper than 128 levels"),
            (
                "[".repeat(1_000_000).into_bytes(),
                "found an array at the top level",
            ),
            (
                b"{\"meta\": {}}".to_vec(),
                "field \"format\": found no \"format\" key",
            ),
            (
                b"{\"format\": \"coop-atlas/2\", \"meta\": {}}".to_vec(),
                "field \"format\": found \"coop-atlas/2\", expected \"coop-atlas/1\"",
            ),
            (
                b"{\"format\": \"coop-atlas/1\"}".to_vec(),
                "field \"meta\": found no \"meta\" object",
            ),
        ];
        for (bytes, want) in cases {
            let r = parse_dataset(&bytes, &Limits::default()).expect_err("must be refused");
            let msg = r.errors.first().map(|i| i.to_string()).unwrap_or_default();
            assert!(msg.contains(want), "want {want:?}, got {msg:?}");
        }
        let big = parse_dataset(b"{}", &Limits { max_bytes: 1 }).expect_err("too big");
        assert!(big.errors[0]
            .to_string()
            .contains("expected at most 1 bytes"));
        assert!(
            parse_dataset(&[0xEF, 0xBB, 0xBF, b'{', b'}'], &Limits::default())
                .expect_err("BOM is fine, but the object is empty")
                .errors[0]
                .to_string()
                .contains("format")
        );
    }

    #[test]
    fn meta_errors_use_paths() {
        let s = r#"{"format": "coop-atlas/1", "meta": {"id": "Bad Id", "title": {"en": "x"}, "source": {}, "boundary": 35,
                   "reference_date": "2024-13-01", "colour": 1}, "observations": []}"#;
        let r = parse(s).expect_err("bad meta");
        let fields: Vec<String> = r.errors.iter().filter_map(|i| i.field.clone()).collect();
        assert_eq!(
            fields,
            [
                "meta.id",
                "meta.title.vi",
                "meta.source.publisher",
                "meta.boundary",
                "meta.reference_date"
            ]
        );
        assert_eq!(r.warnings[0].field.as_deref(), Some("meta.colour"));
    }

    #[test]
    fn a_publisher_is_a_text_or_one_in_both_languages() {
        let with = |publisher: &str| {
            format!(r#"{{"format": "coop-atlas/1", "meta": {{"id": "t", "title": "T", "source": {{"publisher": {publisher}}}, "boundary": 63}}, "entities": []}}"#)
        };
        let both = parse(&with(r#"{"vi": "Cục Thống kê", "en": "Statistics Office"}"#)).expect("both languages");
        assert_eq!(both.dataset.meta.source.publisher.get(Lang::En), "Statistics Office");
        assert_eq!(both.dataset.meta.source.publisher.get(Lang::Vi), "Cục Thống kê");
        let one = parse(&with(r#""Cục Thống kê""#)).expect("a text");
        assert_eq!(one.dataset.meta.source.publisher.get(Lang::En), "Cục Thống kê", "English falls back to the text");
        // Wrong shapes are refused at their path, with what was expected.
        for (bad, path) in [("3", "meta.source.publisher"), (r#"{"en": "Office"}"#, "meta.source.publisher.vi"), ("null", "meta.source.publisher")] {
            let r = parse(&with(bad)).expect_err(bad);
            assert_eq!(r.errors[0].field.as_deref(), Some(path), "{bad}: {}", r.errors[0]);
        }
    }

    #[test]
    fn observations_and_indicators() {
        let s = format!(
            r#"{{{META}, "observations": [
                {{"area": "19", "year": 2022, "indicator": "htx_count", "value": 213, "unit": "htx", "source": "GSO", "confidence": "medium: estimate"}},
                {{"area": "dbsh", "year": 2022, "indicator": "htx_count", "value": 5000, "source": "GSO"}},
                {{"area": "VN", "year": 2022, "indicator": "htx_agri_share", "value": 0.6, "source": "GSO"}}],
              "indicators": [{{"id": "htx_agri_share", "label": {{"vi": "Tỷ lệ", "en": "Share"}}, "measure": "share",
                 "of": {{"kind": ["htx"]}}, "where": {{"sector": "nn"}}}}]}}"#
        );
        let p = parse(&s).expect("valid");
        let d = &p.dataset;
        assert_eq!(d.observations.len(), 3);
        assert_eq!(
            d.observations[0].area,
            Area::Province(registry().index_of(Boundary::P63, "19").unwrap_or(NONE))
        );
        assert_eq!(d.observations[1].area, Area::Region(Region::Dbsh));
        assert_eq!(d.observations[1].unit, Unit::Count);
        assert_eq!(d.observations[2].unit, Unit::Share);
        assert_eq!(d.indicators[0].where_.sectors, vec![Sector::Nn]);

        let bad = format!(
            r#"{{{META}, "observations": [{{"area": "02x", "year": 2022, "indicator": "htx_count", "value": "12", "source": "GSO", "confidence": "sure"}}],
              "indicators": [{{"id": "htx_count", "label": "x", "measure": "avg"}}]}}"#
        );
        let r = parse(&bad).expect_err("bad");
        let fields: Vec<String> = r.errors.iter().filter_map(|i| i.field.clone()).collect();
        assert_eq!(
            fields,
            [
                "indicators[0].id",
                "indicators[0].measure",
                "observations[0].area",
                "observations[0].value",
                "observations[0].confidence"
            ]
        );
    }

    /// A published figure for the targets below to be compared with.
    const ONE_OBS: &str = r#""observations": [{"area": "VN", "year": 2024, "indicator": "htx_total", "value": 33335, "unit": "count", "source": "Bộ Tài chính", "authority": "government", "published": "2025-01-10"}],
      "indicators": [{"id": "htx_total", "label": "Tổng số HTX", "observed": true, "unit": "count"}]"#;

    #[test]
    fn targets_are_read_with_their_source() {
        let s = format!(
            r#"{{{META}, {ONE_OBS}, "targets": [
                {{"area": "VN", "indicator": "htx_total", "year": 2025, "value": 35000, "unit": "count", "comparison": "about",
                  "source": "baohaiduong.vn (TTXVN)", "document": "Quyết định 1318/QĐ-TTg ngày 22/7/2021",
                  "wording": "35.000 HTX với 7,1 triệu thành viên", "confidence": "medium: quoted"}},
                {{"area": "19", "indicator": "htx_count", "year": 2030, "value": 400, "unit": "count", "source": "UBND tỉnh"}}]}}"#
        );
        let d = parse(&s).expect("valid").dataset;
        assert_eq!(d.observations[0].authority, Some(Authority::Government));
        assert_eq!(d.observations[0].published.as_deref(), Some("2025-01-10"));
        assert_eq!(d.targets.len(), 2);
        let t = &d.targets[0];
        assert_eq!((t.area, t.year, t.value, t.unit, t.comparison), (Area::National, 2025, 35_000.0, Unit::Count, Comparison::About));
        assert_eq!(t.document.as_deref(), Some("Quyết định 1318/QĐ-TTg ngày 22/7/2021"));
        assert_eq!(t.wording.as_deref(), Some("35.000 HTX với 7,1 triệu thành viên"));
        // a built-in indicator, a province's own plan; "at_least" when the comparison is not said
        assert_eq!(d.targets[1].area, Area::Province(registry().index_of(Boundary::P63, "19").unwrap_or(NONE)));
        assert_eq!(d.targets[1].comparison, Comparison::AtLeast);
    }

    #[test]
    fn a_target_without_year_source_or_unit_is_refused_at_its_place() {
        let target = |body: &str| format!(r#"{{{META}, {ONE_OBS}, "targets": [{body}]}}"#);
        let cases = [
            (r#"{"area": "VN", "indicator": "htx_total", "value": 35000, "unit": "count", "source": "s"}"#, "targets[0].year", "nothing", "chưa có"),
            (r#"{"area": "VN", "indicator": "htx_total", "year": 2025, "value": 35000, "unit": "count"}"#, "targets[0].source", "nothing", "chưa có"),
            (r#"{"area": "VN", "indicator": "htx_total", "year": 2025, "value": 35000, "source": "s"}"#, "targets[0].unit", "nothing", "chưa có"),
            (r#"{"area": "VN", "indicator": "htx_total", "year": 2025, "value": 35000, "unit": "kg", "source": "s"}"#, "targets[0].unit", "\"kg\"", "một trong"),
            (r#"{"area": "VN", "indicator": "htx_total", "year": 2025, "value": 0.5, "unit": "share", "source": "s"}"#, "targets[0].unit", "\"count\", the unit", "đơn vị của chỉ tiêu"),
            (r#"{"area": "VN", "indicator": "htx_tota", "year": 2025, "value": 1, "unit": "count", "source": "s"}"#, "targets[0].indicator", "a built-in indicator id or one the file defines (htx_total)", "do tệp định nghĩa"),
            (r#"{"area": "VN", "indicator": "htx_total", "year": 2025, "value": 1, "unit": "count", "source": "s", "comparison": "more"}"#, "targets[0].comparison", "at_least, about", "một trong"),
            (r#"{"area": "99", "indicator": "htx_total", "year": 2025, "value": 1, "unit": "count", "source": "s"}"#, "targets[0].area", "", ""),
            (r#"{"area": "VN", "indicator": "htx_total", "year": 1800, "value": 1, "unit": "count", "source": "s"}"#, "targets[0].year", "", ""),
            (r#"{"area": "VN", "indicator": "htx_total", "year": 2025, "value": "many", "unit": "count", "source": "s"}"#, "targets[0].value", "", ""),
        ];
        for (body, field, en, vi) in cases {
            let r = parse(&target(body)).expect_err(body);
            assert_eq!(r.errors.len(), 1, "{body}: {:?}", r.errors);
            let e = &r.errors[0];
            assert_eq!(e.field.as_deref(), Some(field), "{body}");
            let (en_text, vi_text) = (e.text(Lang::En), e.text(Lang::Vi));
            assert!(en_text.contains(en), "{body}: {en_text}");
            assert!(vi_text.contains(vi), "{body}: {vi_text}");
            assert!(vi_text.contains(field), "the Vietnamese message names the place too: {vi_text}");
        }
        let r = parse(&format!(r#"{{{META}, {ONE_OBS}, "targets": {{}}}}"#)).expect_err("not an array");
        assert_eq!(r.errors[0].field.as_deref(), Some("targets"));
        let r = parse(&target(r#"{"area": "VN", "indicator": "htx_total", "year": 2025, "value": 1, "unit": "count", "source": "s", "authority": "x"}"#))
            .expect("an unknown key in a target is a warning");
        assert_eq!(r.warnings.warnings[0].field.as_deref(), Some("targets[0].authority"));
        let bad_authority = format!(r#"{{{META}, {}}}"#, ONE_OBS.replace("\"government\"", "\"ministry\""));
        let r = parse(&bad_authority).expect_err("unknown authority");
        assert_eq!(r.errors[0].field.as_deref(), Some("observations[0].authority"));
        assert!(r.errors[0].text(Lang::En).contains("statistics, government, agency, association, press"), "{}", r.errors[0]);
    }

    #[test]
    fn warnings_do_not_refuse() {
        let s = doc(
            r#"{"id": ["A"], "province": ["19"], "year": [2024], "kind": ["htx"], "workers": [250000], "colour": ["red"]}"#,
        );
        let p = parse(&s).expect("warnings only");
        let fields: Vec<_> = p
            .warnings
            .warnings
            .iter()
            .filter_map(|i| i.field.clone())
            .collect();
        assert_eq!(fields, ["entities.colour", "workers"]);
    }

    #[test]
    fn errors_are_capped_and_counted() {
        let n = 10_000;
        // Each cell a different mistake (the same one in every row would be one line).
        let cells: Vec<String> = (0..n).map(|i| format!("\"x{i}\"")).collect();
        let ids: Vec<String> = (0..n).map(|i| format!("\"{i}\"")).collect();
        let s = doc(&format!(
            r#"{{"id": [{}], "province": [{}], "year": [{}], "kind": [{}]}}"#,
            ids.join(","),
            vec!["\"19\""; n].join(","),
            vec!["2024"; n].join(","),
            cells.join(",")
        ));
        let r = parse(&s).expect_err("bad kinds");
        assert_eq!(r.errors.len(), crate::engine::error::MAX_LISTED);
        assert_eq!(r.error_count(), n);
    }

    /// A seeded mutation loop: flipping, deleting and inserting bytes of a valid file never panics
    /// and always yields either a dataset or a non-empty report.
    #[test]
    fn mutated_inputs_never_panic() {
        let base = crate::synth::scale::generate(20, 7).into_bytes();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let alphabet = b"{}[],:\"0-9.enulltruefalse\\ \n\x00\xff";
        for _ in 0..3000 {
            let mut bytes = base.clone();
            for _ in 0..(1 + next() % 4) {
                let len = bytes.len().max(1);
                let at = (next() as usize) % len;
                let b = alphabet[(next() as usize) % alphabet.len()];
                match next() % 3 {
                    0 => {
                        if let Some(x) = bytes.get_mut(at) {
                            *x = b
                        }
                    }
                    1 => {
                        if at < bytes.len() {
                            bytes.remove(at);
                        }
                    }
                    _ => bytes.insert(at.min(bytes.len()), b),
                }
            }
            match parse_dataset(&bytes, &Limits::default()) {
                Ok(p) => assert!(p.dataset.entities.len() <= 21),
                Err(r) => assert!(r.has_errors()),
            }
        }
    }
}
