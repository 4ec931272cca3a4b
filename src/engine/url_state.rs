//! The whole view — dataset, tab, indicator, year, filters, map classes, language — in the query
//! string, so that a link sent over Zalo or e-mail opens exactly the same view.
//!
//! Why this shape (after owid-grapher's `GrapherUrl.ts`, `GrapherQueryParamParser.ts`,
//! `GrapherUrlMigrations.ts`):
//! - [`to_query`] writes only what differs from the default view, keys in one fixed order, so
//!   links are short, stable and comparable; the default view is the empty string.
//! - Lists use `~` (never rewritten by chat apps, unlike `%20` or `,`), codes are short ASCII.
//! - [`from_query`] never fails: each bad key or value falls back to the default and leaves a
//!   [`Notice`] the UI can show in Vietnamese or English. Work is bounded for any input.
//! - Old links keep working: a link without `v` (or with an older `v`) goes through
//!   [`MIGRATIONS`] before it is read.
//! - Province codes are checked for syntax here, and against the boundary version by
//!   [`validate_against`] (which needs the registry); years against the dataset by
//!   [`validate_years`].
//!
//! Every key is documented in `docs/url.md`.

use super::classify::{ClassSpec, ClassifyError};
use super::provinces::{normalise_code, Registry};
use super::vocab::{Boundary, Kind, Lang, Ntm, Region, Sector, Stage};

/// The link format version. `v` is written only when it is above 1, so today's links carry none.
pub const CURRENT_VERSION: u32 = 1;

/// Longest query read, in bytes; the rest is dropped with a notice. Why: a legitimate link is
/// well under 3 KB (the longest value, `data`, is capped at 2,000 characters), and the bound keeps
/// work and memory small for pasted garbage.
pub const MAX_QUERY_BYTES: usize = 8192;

/// Most notices returned; further ones are counted in a final "and N more" notice.
pub const MAX_NOTICES: usize = 20;

/// Most provinces a link may select (all 63).
pub const MAX_PROVINCES: usize = 63;

/// Longest `data=` address accepted, in bytes.
pub const MAX_DATA_URL: usize = 2000;

/// The default dataset: the illustrative ethnic-minority and mountainous-areas dataset.
pub const DEFAULT_DATASET: &str = "dtts-mn-minh-hoa";

/// The default indicator: number of cooperatives.
pub const DEFAULT_INDICATOR: &str = "htx_count";

macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $( $(#[$vm:meta])* $v:ident = $code:literal ),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum $name { #[default] $( $(#[$vm])* $v ),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[ $( $name::$v ),+ ];
            /// The code used in URLs.
            pub fn code(self) -> &'static str { match self { $( $name::$v => $code ),+ } }
            /// Parses a URL code (exact, lowercase).
            pub fn from_code(s: &str) -> Option<$name> { match s { $( $code => Some($name::$v), )+ _ => None } }
            /// The codes, for "expected one of …" notices.
            pub fn codes_list() -> String { Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ") }
        }
    };
}

coded_enum! {
    /// The main tab of the page (key `t`). The first variant is the default.
    Tab {
        /// The choropleth map (`map`, default).
        Map = "map",
        /// Charts (`chart`).
        Chart = "chart",
        /// The table of figures (`table`).
        Table = "table",
        /// Sources and notes (`sources`).
        Sources = "sources",
        /// A place's profile (`profile`): one province, a region or the whole dataset, printable.
        Profile = "profile",
    }
}

coded_enum! {
    /// Which chart the Chart tab shows (key `ch`). The first variant is the default.
    ChartKind {
        /// Provinces ranked by the indicator (`rank`, default).
        Rank = "rank",
        /// The indicator over the years (`trend`).
        Trend = "trend",
        /// Composition by kind or sector (`mix`).
        Composition = "mix",
        /// Selected provinces side by side (`compare`).
        Compare = "compare",
    }
}

/// The yes/no filters of the dataset format, each tri-state in a view: `None` = no filter,
/// `Some(true)` = only units with the property (`ht=1`), `Some(false)` = only without (`ht=0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flag {
    /// `high_tech`, key `ht`.
    HighTech,
    /// `value_chain`, key `vc`.
    ValueChain,
    /// `trademark`, key `tm`.
    Trademark,
    /// `ethnic_area`, key `dt` (đồng bào dân tộc thiểu số).
    EthnicArea,
}

impl Flag {
    /// Every flag, in URL order.
    pub const ALL: [Flag; 4] = [
        Flag::HighTech,
        Flag::ValueChain,
        Flag::Trademark,
        Flag::EthnicArea,
    ];

    /// The URL key.
    pub fn code(self) -> &'static str {
        match self {
            Flag::HighTech => "ht",
            Flag::ValueChain => "vc",
            Flag::Trademark => "tm",
            Flag::EthnicArea => "dt",
        }
    }

    /// The field name in dataset files, so filters built from a view name the right column.
    pub fn field(self) -> &'static str {
        match self {
            Flag::HighTech => "high_tech",
            Flag::ValueChain => "value_chain",
            Flag::Trademark => "trademark",
            Flag::EthnicArea => "ethnic_area",
        }
    }
}

/// Everything that defines what the user sees. `ViewState::default()` is the page with no query.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewState {
    /// Dataset id (`d`), `[a-z0-9-]{1,64}`; default [`DEFAULT_DATASET`].
    pub dataset: String,
    /// Tab (`t`), default map.
    pub tab: Tab,
    /// Chart kind (`ch`), default rank.
    pub chart: ChartKind,
    /// Indicator id (`i`), `[a-z0-9_-]{1,64}`; default [`DEFAULT_INDICATOR`].
    pub indicator: String,
    /// Year shown (`y=2024`), or the end of a range (`y=2019-2024`); `None` = the dataset's latest.
    pub year: Option<u16>,
    /// Start of a year range for trends (`y=2019-2024`); only meaningful with `year`.
    pub year_from: Option<u16>,
    /// Region filter (`r`).
    pub region: Option<Region>,
    /// Selected province codes (`p=19~06`), in selection order, of the view's boundary version.
    pub provinces: Vec<String>,
    /// Kinds of unit (`k=htx~tht`), in vocabulary order; empty = all.
    pub kinds: Vec<Kind>,
    /// Sectors (`s`), in vocabulary order; empty = all.
    pub sectors: Vec<Sector>,
    /// NTM standards (`ntm`), in vocabulary order; empty = all.
    pub ntm: Vec<Ntm>,
    /// Service stages (`st`), in vocabulary order; empty = all.
    pub stage: Vec<Stage>,
    /// `ht`: applies high technology.
    pub high_tech: Option<bool>,
    /// `vc`: produces along a value chain.
    pub value_chain: Option<bool>,
    /// `tm`: has a registered trademark.
    pub trademark: Option<bool>,
    /// `dt`: located in an ethnic-minority and mountainous area.
    pub ethnic_area: Option<bool>,
    /// Province boundary version (`b=34`), default 63.
    pub boundary: Boundary,
    /// Map classes (`c=eq5`, `q5`, `nb5`, `x:10~50~100`), default `eq5`.
    pub classes: ClassSpec,
    /// Language (`l=en`), default Vietnamese.
    pub lang: Lang,
    /// Embedded in another page (`embed=1`): no header, no controls.
    pub embed: bool,
    /// A dataset to fetch from elsewhere (`data=https://…`), validated by [`check_data_url`].
    pub data_url: Option<String>,
    /// A dataset the user loaded on this device (`ld=<id>`); links with it work only there.
    pub local: Option<String>,
    /// The name of the file that dataset came from (`ln=`), written by Share so that a receiver
    /// without the dataset is told which file to ask the sender for. Only meaningful with `ld=`.
    pub local_name: Option<String>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            dataset: DEFAULT_DATASET.to_string(),
            tab: Tab::Map,
            chart: ChartKind::Rank,
            indicator: DEFAULT_INDICATOR.to_string(),
            year: None,
            year_from: None,
            region: None,
            provinces: Vec::new(),
            kinds: Vec::new(),
            sectors: Vec::new(),
            ntm: Vec::new(),
            stage: Vec::new(),
            high_tech: None,
            value_chain: None,
            trademark: None,
            ethnic_area: None,
            boundary: Boundary::P63,
            classes: ClassSpec::default(),
            lang: Lang::Vi,
            embed: false,
            data_url: None,
            local: None,
            local_name: None,
        }
    }
}

impl ViewState {
    /// The tri-state value of a flag filter.
    pub fn flag(&self, f: Flag) -> Option<bool> {
        match f {
            Flag::HighTech => self.high_tech,
            Flag::ValueChain => self.value_chain,
            Flag::Trademark => self.trademark,
            Flag::EthnicArea => self.ethnic_area,
        }
    }

    /// Sets a flag filter, so UI code can loop over [`Flag::ALL`].
    pub fn set_flag(&mut self, f: Flag, v: Option<bool>) {
        match f {
            Flag::HighTech => self.high_tech = v,
            Flag::ValueChain => self.value_chain = v,
            Flag::Trademark => self.trademark = v,
            Flag::EthnicArea => self.ethnic_area = v,
        }
    }
}

/// What went wrong with one parameter; [`Notice::message`] turns it into a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// A key Coop Atlas does not use.
    UnknownKey,
    /// The key appeared more than once; this (earlier) value was dropped.
    DuplicateKey,
    /// Percent-decoding gave bytes that are not UTF-8.
    InvalidUtf8,
    /// The query exceeded [`MAX_QUERY_BYTES`]; the rest was not read.
    QueryTooLong,
    /// A list had more items than allowed; the first `kept` were kept.
    TooManyItems {
        /// How many were kept.
        kept: usize,
    },
    /// A code outside its vocabulary; `expected` lists the valid codes.
    BadCode {
        /// The valid codes, comma-separated.
        expected: String,
    },
    /// Not a two-digit province code.
    BadProvinceCode,
    /// A province code that exists in the other boundary version only.
    WrongBoundary {
        /// The version the code belongs to.
        code_version: Boundary,
        /// The version the view uses.
        view: Boundary,
    },
    /// A well-formed code that no province has.
    UnknownProvince,
    /// Not a year 1990–2100 or a range `from-to` with from < to.
    BadYear,
    /// The dataset has no figures for this year.
    YearNotInData,
    /// The dataset has no indicator with this id.
    IndicatorNotInData,
    /// Not `1`/`0` (or `true`/`false`).
    BadBool,
    /// Not `63` or `34`.
    BadBoundary,
    /// Not a class specification; the detail says why (English, technical).
    BadClasses(ClassifyError),
    /// An id with characters or length outside `[a-z0-9_-]{1,64}`.
    BadId,
    /// A refused `data=` address.
    BadDataUrl(DataUrlProblem),
    /// `ln=` longer than [`MAX_LOCAL_NAME`] characters, or with control characters.
    BadLocalName,
    /// `ln=` without `ld=`: it names the file of a device-local dataset, and there is none.
    LocalNameWithoutLocal,
    /// `v` is not a positive integer.
    BadVersion,
    /// The link was made by a newer Coop Atlas.
    NewerVersion(u32),
    /// More notices were left out.
    More(usize),
}

/// Why a `data=` address was refused. The address is fetched by the user's browser, so only
/// plain public HTTPS addresses are accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataUrlProblem {
    /// Not `https://` (plain http is blocked by browsers on an https page anyway).
    NotHttps,
    /// Contains `user:password@`: credentials must never travel in shared links.
    Credentials,
    /// Longer than [`MAX_DATA_URL`].
    TooLong,
    /// Contains whitespace, control characters or a backslash.
    BadChars,
    /// No host after `https://`.
    NoHost,
}

/// One parameter that could not be used as written, with the value it had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The key as written in the link (empty for notices about the whole link).
    pub key: String,
    /// The offending value, shortened to 60 characters for display.
    pub value: String,
    /// What was wrong.
    pub reason: Reason,
}

impl Notice {
    fn new(key: &str, value: &str, reason: Reason) -> Notice {
        let mut v: String = value.chars().take(60).collect();
        if value.chars().nth(60).is_some() {
            v.push('…');
        }
        Notice {
            key: key.chars().take(40).collect(),
            value: v,
            reason,
        }
    }

    /// A short sentence for the notice bar, in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let reason = match &self.reason {
            Reason::UnknownKey => t(vi, "không dùng đến, đã bỏ qua", "not used, ignored"),
            Reason::DuplicateKey => t(
                vi,
                "xuất hiện nhiều lần; giá trị này bị bỏ, dùng giá trị cuối cùng",
                "appears more than once; this value was dropped and the last one used",
            ),
            Reason::InvalidUtf8 => t(vi, "không giải mã được (sai mã UTF-8), đã bỏ qua", "could not be decoded (invalid UTF-8), ignored"),
            Reason::QueryTooLong => {
                return if vi {
                    format!("Liên kết quá dài: chỉ đọc {MAX_QUERY_BYTES} byte đầu.")
                } else {
                    format!("The link is too long: only its first {MAX_QUERY_BYTES} bytes were read.")
                }
            }
            Reason::More(n) => {
                return if vi { format!("Và {n} thông báo khác về liên kết.") } else { format!("And {n} more notices about the link.") }
            }
            Reason::TooManyItems { kept } => {
                if vi {
                    format!("quá nhiều mục, chỉ giữ {kept} mục đầu")
                } else {
                    format!("too many items; kept the first {kept}")
                }
            }
            Reason::BadCode { expected } => {
                if vi {
                    format!("không có mã này (mã hợp lệ: {expected}), đã bỏ qua")
                } else {
                    format!("unknown code (expected one of {expected}), ignored")
                }
            }
            Reason::BadProvinceCode => t(vi, "cần mã tỉnh hai chữ số, ví dụ 19; đã bỏ qua", "expected a two-digit province code such as 19; ignored"),
            Reason::WrongBoundary { code_version, view } => {
                if vi {
                    format!(
                        "tỉnh {} là mã của bộ {} tỉnh; bản đồ này dùng {} tỉnh, đã bỏ qua",
                        self.value,
                        code_version.number(),
                        view.number()
                    )
                } else {
                    format!(
                        "province {} is a {}-province code; this view uses {} provinces, ignored",
                        self.value,
                        code_version.number(),
                        view.number()
                    )
                }
            }
            Reason::UnknownProvince => t(vi, "không có tỉnh nào mang mã này, đã bỏ qua", "no province has this code; ignored"),
            Reason::BadYear => t(
                vi,
                "năm không hợp lệ (1990–2100, ví dụ 2024 hoặc 2019-2024); hiển thị năm mới nhất",
                "not a valid year (1990–2100, e.g. 2024 or 2019-2024); the latest year is shown",
            ),
            Reason::YearNotInData => t(
                vi,
                "bộ dữ liệu không có năm này; hiển thị năm mới nhất",
                "the dataset has no figures for this year; the latest year is shown",
            ),
            Reason::IndicatorNotInData => t(
                vi,
                "bộ dữ liệu không có chỉ tiêu này; hiển thị chỉ tiêu mặc định",
                "the dataset has no such indicator; the default indicator is shown",
            ),
            Reason::BadBool => t(vi, "cần 1 hoặc 0; bỏ lọc này", "expected 1 or 0; filter not applied"),
            Reason::BadBoundary => t(vi, "cần 63 hoặc 34; dùng 63 tỉnh", "expected 63 or 34; 63 provinces used"),
            Reason::BadClasses(e) => {
                let detail = e.message(if vi { Lang::Vi } else { Lang::En });
                if vi {
                    format!("cách chia lớp không hợp lệ ({detail}); dùng 5 khoảng đều")
                } else {
                    format!("invalid map classes ({detail}); five equal steps used")
                }
            }
            Reason::BadId => t(
                vi,
                "mã không hợp lệ (chữ thường không dấu, số, - và _, tối đa 64 ký tự); dùng mặc định",
                "invalid id (lowercase ASCII letters, digits, - and _, at most 64); default used",
            ),
            Reason::BadDataUrl(p) => {
                let why = match p {
                    DataUrlProblem::NotHttps => t(vi, "chỉ chấp nhận địa chỉ https://", "only https:// addresses are accepted"),
                    DataUrlProblem::Credentials => t(
                        vi,
                        "không được chứa tên đăng nhập hay mật khẩu",
                        "it must not contain a user name or password",
                    ),
                    DataUrlProblem::TooLong => t(vi, "dài quá 2000 ký tự", "it is longer than 2000 characters"),
                    DataUrlProblem::BadChars => t(
                        vi,
                        "chứa khoảng trắng hoặc ký tự điều khiển",
                        "it contains spaces or control characters",
                    ),
                    DataUrlProblem::NoHost => t(vi, "thiếu tên máy chủ", "it has no host name"),
                };
                if vi {
                    format!("địa chỉ dữ liệu bị từ chối: {why}")
                } else {
                    format!("data address refused: {why}")
                }
            }
            Reason::BadLocalName => t(
                vi,
                "tên tệp không hợp lệ (tối đa 120 ký tự, không có ký tự điều khiển); đã bỏ qua",
                "invalid file name (at most 120 characters, no control characters); ignored",
            ),
            Reason::LocalNameWithoutLocal => t(
                vi,
                "tên tệp chỉ dùng cùng tham số ld=; đã bỏ qua",
                "a file name is only used together with ld=; ignored",
            ),
            Reason::BadVersion => t(vi, "phiên bản liên kết không hợp lệ, đã bỏ qua", "invalid link version, ignored"),
            Reason::NewerVersion(n) => {
                if vi {
                    format!("liên kết tạo bởi phiên bản mới hơn ({n}); một số thiết lập có thể bị bỏ qua")
                } else {
                    format!("link made by a newer version ({n}); some settings may be ignored")
                }
            }
        };
        let param = if self.value.is_empty() {
            self.key.clone()
        } else {
            format!("{}={}", self.key, self.value)
        };
        if vi {
            format!("Tham số “{param}”: {reason}.")
        } else {
            format!("Link parameter “{param}”: {reason}.")
        }
    }
}

fn t(vi: bool, v: &str, e: &str) -> String {
    if vi { v } else { e }.to_string()
}

/// The result of reading a query: the view, and what could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// The view, with defaults wherever the link said nothing usable.
    pub state: ViewState,
    /// One notice per dropped or corrected parameter, at most [`MAX_NOTICES`] + 1.
    pub notices: Vec<Notice>,
}

/// One link-format migration: rewrites the decoded `(key, value)` pairs of a link made before
/// `to_version` into the form of `to_version`. Migrations must be safe to run on links that are
/// already in the new form, because a link without `v` may be from version 0 or version 1.
pub struct Migration {
    /// The version the link has after this migration.
    pub to_version: u32,
    /// What it does, for documentation and debugging.
    pub what: &'static str,
    /// The rewrite.
    pub apply: fn(&mut Vec<(String, String)>),
}

/// All migrations, oldest first. A link of version `n` (no `v` = 0) runs every migration with
/// `to_version > n`.
pub const MIGRATIONS: &[Migration] = &[Migration {
    to_version: 1,
    what:
        "long keys (year, region, lang, dataset, tab, …) to short keys; ',' list separators to '~'",
    apply: migrate_long_keys_and_commas,
}];

/// Version 0 → 1. The prototype wrote long keys and comma-separated lists; commas were then
/// percent-encoded or rewritten by chat apps, so version 1 uses short keys and `~`.
#[allow(clippy::ptr_arg)] // the signature of every migration: later ones may add or remove pairs
fn migrate_long_keys_and_commas(pairs: &mut Vec<(String, String)>) {
    const RENAMES: &[(&str, &str)] = &[
        ("dataset", "d"),
        ("tab", "t"),
        ("chart", "ch"),
        ("indicator", "i"),
        ("year", "y"),
        ("region", "r"),
        ("province", "p"),
        ("provinces", "p"),
        ("kind", "k"),
        ("kinds", "k"),
        ("sector", "s"),
        ("sectors", "s"),
        ("stage", "st"),
        ("boundary", "b"),
        ("classes", "c"),
        ("lang", "l"),
    ];
    for (k, v) in pairs.iter_mut() {
        if let Some((_, short)) = RENAMES.iter().find(|(long, _)| long == k) {
            *k = (*short).to_string();
        }
        if matches!(k.as_str(), "p" | "k" | "s" | "ntm" | "st") || (k == "c" && v.starts_with("x:"))
        {
            *v = v.replace(',', "~");
        }
    }
}

/// Checks a `data=` address: `https://`, a host, no credentials, no whitespace, control
/// characters or backslashes, at most [`MAX_DATA_URL`] bytes.
pub fn check_data_url(s: &str) -> Result<(), DataUrlProblem> {
    if s.len() > MAX_DATA_URL {
        return Err(DataUrlProblem::TooLong);
    }
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err(DataUrlProblem::BadChars);
    }
    let rest = match s.get(..8) {
        Some(scheme) if scheme.eq_ignore_ascii_case("https://") => s.get(8..).unwrap_or(""),
        _ => return Err(DataUrlProblem::NotHttps),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(DataUrlProblem::Credentials);
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if host.is_empty() {
        return Err(DataUrlProblem::NoHost);
    }
    Ok(())
}

/// Longest `ln=` file name read, in characters (file names on phones are far shorter; a longer
/// value is more likely a pasted paragraph than a name).
pub const MAX_LOCAL_NAME: usize = 120;

/// A file name for `ln=`: 1–[`MAX_LOCAL_NAME`] characters, not only spaces, no control
/// characters (it is shown as text, never used as a path).
fn valid_local_name(s: &str) -> bool {
    !s.trim().is_empty() && s.chars().count() <= MAX_LOCAL_NAME && !s.chars().any(char::is_control)
}

fn valid_id(s: &str, allow_underscore: bool) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || b == b'-'
                || (allow_underscore && b == b'_')
        })
}

// ---- writing -------------------------------------------------------------------------------

/// Percent-encodes a value, keeping readable what is safe inside a query value
/// (letters, digits, `- . _ ~ / : ! $ ' ( ) * , ; @ ?`). `+`, `&`, `=`, `#`, `%`, spaces and
/// non-ASCII bytes are encoded.
fn encode(s: &str, out: &mut String) {
    const KEEP: &[u8] = b"-._~/:!$'()*,;@?";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || KEEP.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
}

fn codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|x| code(*x)).collect::<Vec<_>>().join("~")
}

/// Writes the view as a query string without the leading `?`: only keys whose value differs from
/// the default, in the order of `docs/url.md`. The default view gives `""`.
pub fn to_query(v: &ViewState) -> String {
    let d = ViewState::default();
    let mut parts: Vec<(&str, String)> = Vec::new();
    if CURRENT_VERSION > 1 {
        parts.push(("v", CURRENT_VERSION.to_string()));
    }
    if v.dataset != d.dataset {
        parts.push(("d", v.dataset.clone()));
    }
    if let Some(l) = &v.local {
        parts.push(("ld", l.clone()));
        if let Some(n) = &v.local_name {
            parts.push(("ln", n.clone()));
        }
    }
    if let Some(u) = &v.data_url {
        parts.push(("data", u.clone()));
    }
    if v.tab != d.tab {
        parts.push(("t", v.tab.code().to_string()));
    }
    if v.chart != d.chart {
        parts.push(("ch", v.chart.code().to_string()));
    }
    if v.indicator != d.indicator {
        parts.push(("i", v.indicator.clone()));
    }
    match (v.year_from, v.year) {
        (Some(a), Some(b)) => parts.push(("y", format!("{a}-{b}"))),
        (None, Some(b)) => parts.push(("y", b.to_string())),
        _ => {}
    }
    if v.boundary != d.boundary {
        parts.push(("b", v.boundary.number().to_string()));
    }
    if let Some(r) = v.region {
        parts.push(("r", r.code().to_string()));
    }
    if !v.provinces.is_empty() {
        parts.push(("p", v.provinces.join("~")));
    }
    if !v.kinds.is_empty() {
        parts.push(("k", codes(&v.kinds, Kind::code)));
    }
    if !v.sectors.is_empty() {
        parts.push(("s", codes(&v.sectors, Sector::code)));
    }
    if !v.ntm.is_empty() {
        parts.push(("ntm", codes(&v.ntm, Ntm::code)));
    }
    if !v.stage.is_empty() {
        parts.push(("st", codes(&v.stage, Stage::code)));
    }
    for f in Flag::ALL {
        if let Some(b) = v.flag(f) {
            parts.push((f.code(), if b { "1" } else { "0" }.to_string()));
        }
    }
    if v.classes != d.classes {
        parts.push(("c", v.classes.code()));
    }
    if v.lang != d.lang {
        parts.push(("l", v.lang.code().to_string()));
    }
    if v.embed {
        parts.push(("embed", "1".to_string()));
    }
    let mut out = String::new();
    for (i, (k, val)) in parts.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        encode(val, &mut out);
    }
    out
}

// ---- reading -------------------------------------------------------------------------------

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `+` as space and `%XX` as a byte; a `%` not followed by two hex digits stays literal.
/// `Err` carries a lossy rendering for the notice when the bytes are not UTF-8.
fn decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

struct Reader {
    notices: Vec<Notice>,
    dropped: usize,
}

impl Reader {
    fn note(&mut self, key: &str, value: &str, reason: Reason) {
        if self.notices.len() < MAX_NOTICES {
            self.notices.push(Notice::new(key, value, reason));
        } else {
            self.dropped += 1;
        }
    }
}

/// Splits a list value on `~` (also `,` and spaces, which chat apps and hand editing produce).
fn list_items(v: &str) -> impl Iterator<Item = &str> {
    v.split(|c: char| c == '~' || c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
}

fn parse_set<T: Copy + Ord>(
    r: &mut Reader,
    key: &str,
    v: &str,
    from: fn(&str) -> Option<T>,
    expected: fn() -> String,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in list_items(v).take(64) {
        match from(item) {
            Some(x) => out.push(x),
            None => r.note(
                key,
                item,
                Reason::BadCode {
                    expected: expected(),
                },
            ),
        }
    }
    super::order::sort(&mut out);
    out.dedup();
    out
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

fn parse_year(s: &str) -> Option<u16> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u16>().ok().filter(|y| (1990..=2100).contains(y))
}

/// Reads a query string (with or without the leading `?`). Never fails: anything unusable falls
/// back to the default with a [`Notice`]. Work is linear in the input, capped at
/// [`MAX_QUERY_BYTES`]. Province codes are only checked for form here: call
/// [`validate_against`] once the boundary is known.
pub fn from_query(q: &str) -> Parsed {
    let mut r = Reader {
        notices: Vec::new(),
        dropped: 0,
    };
    let mut q = q.strip_prefix('?').unwrap_or(q);
    q = q.split('#').next().unwrap_or("");
    if q.len() > MAX_QUERY_BYTES {
        let mut cut = MAX_QUERY_BYTES;
        while cut > 0 && !q.is_char_boundary(cut) {
            cut -= 1;
        }
        let head = q.get(..cut).unwrap_or("");
        q = head.rfind('&').and_then(|i| head.get(..i)).unwrap_or(head);
        r.note("", "", Reason::QueryTooLong);
    }

    // 1. split and decode
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let key = match decode(k) {
            Ok(k) => k.trim().to_string(),
            Err(lossy) => {
                r.note(&lossy, "", Reason::InvalidUtf8);
                continue;
            }
        };
        let value = match decode(v) {
            Ok(v) => v.trim().to_string(),
            Err(lossy) => {
                r.note(&key, &lossy, Reason::InvalidUtf8);
                continue;
            }
        };
        // `?embed` alone means embed=1
        let value = if key == "embed" && !part.contains('=') {
            "1".to_string()
        } else {
            value
        };
        pairs.push((key, value));
    }

    // 2. version and migrations
    let mut version = 0u32;
    if let Some((_, v)) = pairs.iter().rev().find(|(k, _)| k == "v") {
        match v.parse::<u32>() {
            Ok(n) if n >= 1 => version = n,
            _ => r.note("v", v, Reason::BadVersion),
        }
    }
    pairs.retain(|(k, _)| k != "v");
    if version > CURRENT_VERSION {
        r.note("v", &version.to_string(), Reason::NewerVersion(version));
    }
    for m in MIGRATIONS.iter().filter(|m| m.to_version > version) {
        (m.apply)(&mut pairs);
    }

    // 3. duplicates: the last value wins
    const KEYS: &[&str] = &[
        "d", "ld", "ln", "data", "t", "ch", "i", "y", "b", "r", "p", "k", "s", "ntm", "st", "ht", "vc",
        "tm", "dt", "c", "l", "embed",
    ];
    // Linear in the number of pairs: remember where each known key occurs last.
    let key_index = |k: &str| KEYS.iter().position(|known| *known == k);
    let mut last_at: Vec<Option<usize>> = vec![None; KEYS.len()];
    for (i, (k, _)) in pairs.iter().enumerate() {
        if let Some(slot) = key_index(k).and_then(|ki| last_at.get_mut(ki)) {
            *slot = Some(i);
        }
    }
    let mut last: Vec<(&str, &str)> = Vec::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        match key_index(k) {
            Some(ki) if last_at.get(ki).copied().flatten() == Some(i) => {
                last.push((k.as_str(), v.as_str()))
            }
            Some(_) => r.note(k, v, Reason::DuplicateKey),
            None if ignored_tracking_key(k) => {}
            None => r.note(k, v, Reason::UnknownKey),
        }
    }

    // 4. values
    let mut s = ViewState::default();
    for (k, v) in last {
        if v.is_empty() {
            continue;
        }
        match k {
            "d" => {
                if valid_id(v, false) {
                    s.dataset = v.to_string();
                } else {
                    r.note(k, v, Reason::BadId);
                }
            }
            "ld" => {
                if valid_id(v, false) {
                    s.local = Some(v.to_string());
                } else {
                    r.note(k, v, Reason::BadId);
                }
            }
            "ln" => {
                if valid_local_name(v) {
                    s.local_name = Some(v.to_string());
                } else {
                    r.note(k, v, Reason::BadLocalName);
                }
            }
            "i" => {
                if valid_id(v, true) {
                    s.indicator = v.to_string();
                } else {
                    r.note(k, v, Reason::BadId);
                }
            }
            "data" => match check_data_url(v) {
                Ok(()) => s.data_url = Some(v.to_string()),
                Err(p) => r.note(k, v, Reason::BadDataUrl(p)),
            },
            "t" => match Tab::from_code(v) {
                Some(x) => s.tab = x,
                None => r.note(
                    k,
                    v,
                    Reason::BadCode {
                        expected: Tab::codes_list(),
                    },
                ),
            },
            "ch" => match ChartKind::from_code(v) {
                Some(x) => s.chart = x,
                None => r.note(
                    k,
                    v,
                    Reason::BadCode {
                        expected: ChartKind::codes_list(),
                    },
                ),
            },
            "y" => {
                let parsed = match v.split_once(['-', '–']) {
                    Some((a, b)) => match (parse_year(a), parse_year(b)) {
                        (Some(a), Some(b)) if a < b => Some((Some(a), b)),
                        _ => None,
                    },
                    None => parse_year(v).map(|y| (None, y)),
                };
                match parsed {
                    Some((from, to)) => {
                        s.year_from = from;
                        s.year = Some(to);
                    }
                    None => r.note(k, v, Reason::BadYear),
                }
            }
            "b" => match v.parse::<u64>().ok().and_then(Boundary::from_number) {
                Some(b) => s.boundary = b,
                None => r.note(k, v, Reason::BadBoundary),
            },
            "r" => match Region::from_code(v) {
                Some(x) => s.region = Some(x),
                None => r.note(
                    k,
                    v,
                    Reason::BadCode {
                        expected: Region::codes_list(),
                    },
                ),
            },
            "p" => {
                let mut n = 0usize;
                for item in list_items(v) {
                    n += 1;
                    if s.provinces.len() >= MAX_PROVINCES {
                        continue;
                    }
                    match normalise_code(item) {
                        Some(c) if !s.provinces.contains(&c) => s.provinces.push(c),
                        Some(_) => {}
                        None => r.note(k, item, Reason::BadProvinceCode),
                    }
                    if n > 4 * MAX_PROVINCES {
                        break;
                    }
                }
                if s.provinces.len() >= MAX_PROVINCES && n > MAX_PROVINCES {
                    r.note(
                        k,
                        "",
                        Reason::TooManyItems {
                            kept: MAX_PROVINCES,
                        },
                    );
                }
            }
            "k" => s.kinds = parse_set(&mut r, k, v, Kind::from_code, Kind::codes_list),
            "s" => s.sectors = parse_set(&mut r, k, v, Sector::from_code, Sector::codes_list),
            "ntm" => s.ntm = parse_set(&mut r, k, v, Ntm::from_code, Ntm::codes_list),
            "st" => s.stage = parse_set(&mut r, k, v, Stage::from_code, Stage::codes_list),
            "ht" | "vc" | "tm" | "dt" => {
                let flag = Flag::ALL.iter().copied().find(|f| f.code() == k);
                match (flag, parse_bool(v)) {
                    (Some(f), Some(b)) => s.set_flag(f, Some(b)),
                    _ => r.note(k, v, Reason::BadBool),
                }
            }
            "c" => match ClassSpec::from_code(v) {
                Ok(c) => s.classes = c,
                Err(e) => r.note(k, v, Reason::BadClasses(e)),
            },
            "l" => match Lang::from_code(v) {
                Some(l) => s.lang = l,
                None => r.note(
                    k,
                    v,
                    Reason::BadCode {
                        expected: "vi, en".to_string(),
                    },
                ),
            },
            "embed" => match parse_bool(v) {
                Some(b) => s.embed = b,
                None => r.note(k, v, Reason::BadBool),
            },
            _ => {}
        }
    }
    if s.local.is_none() {
        if let Some(n) = s.local_name.take() {
            r.note("ln", &n, Reason::LocalNameWithoutLocal);
        }
    }
    if r.dropped > 0 {
        let n = r.dropped;
        r.notices.push(Notice::new("", "", Reason::More(n)));
    }
    Parsed {
        state: s,
        notices: r.notices,
    }
}

/// Keys added by messaging apps and campaign trackers (Zalo adds `zarsrc` and `utm_*`, Facebook
/// `fbclid`): ignored silently, since the user did not write them and cannot act on a notice.
fn ignored_tracking_key(k: &str) -> bool {
    k.starts_with("utm_") || matches!(k, "fbclid" | "gclid" | "zarsrc" | "_gl" | "ref")
}

/// Drops selected provinces that do not exist in the view's boundary version, with a notice that
/// says when the code belongs to the other version ("province 02 is a 63-province code; this view
/// uses 34 provinces"). Call after [`from_query`], once the boundary is settled.
pub fn validate_against(v: &mut ViewState, registry: &Registry) -> Vec<Notice> {
    let mut notices = Vec::new();
    let b = v.boundary;
    v.provinces.retain(|code| {
        if registry.by_code(b, code).is_some() {
            return true;
        }
        let reason = if registry.by_code(b.other(), code).is_some() {
            Reason::WrongBoundary {
                code_version: b.other(),
                view: b,
            }
        } else {
            Reason::UnknownProvince
        };
        if notices.len() < MAX_NOTICES {
            notices.push(Notice::new("p", code, reason));
        }
        false
    });
    notices
}

/// Resets an indicator the dataset does not define (`ids` = the dataset's indicator ids) to the
/// default, with a notice: a link to `i=bogus` must say so, not show another indicator silently
/// (and pass the bad id on when shared again).
pub fn validate_indicator(v: &mut ViewState, ids: &[&str]) -> Vec<Notice> {
    if v.indicator == DEFAULT_INDICATOR || ids.contains(&v.indicator.as_str()) {
        return Vec::new();
    }
    let notice = Notice::new("i", &v.indicator, Reason::IndicatorNotInData);
    v.indicator = DEFAULT_INDICATOR.to_string();
    vec![notice]
}

/// Clears years the dataset does not have (`years` = the dataset's years, any order), with a
/// notice, so the view falls back to the latest year instead of showing an empty map.
pub fn validate_years(v: &mut ViewState, years: &[u16]) -> Vec<Notice> {
    let mut notices = Vec::new();
    if let Some(y) = v.year {
        if !years.contains(&y) {
            let shown = match v.year_from {
                Some(a) => format!("{a}-{y}"),
                None => y.to_string(),
            };
            notices.push(Notice::new("y", &shown, Reason::YearNotInData));
            v.year = None;
            v.year_from = None;
        }
    }
    if let Some(a) = v.year_from {
        if !years.contains(&a) {
            // keep the end year; start the range at the first year the dataset has after `a`
            let next = years
                .iter()
                .copied()
                .filter(|y| *y > a && Some(*y) < v.year)
                .min();
            notices.push(Notice::new("y", &a.to_string(), Reason::YearNotInData));
            v.year_from = next;
        }
    }
    notices
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::classify::Method;
    use crate::engine::provinces::registry;

    fn parse(q: &str) -> Parsed {
        from_query(q)
    }

    #[test]
    fn default_view_is_the_empty_query() {
        assert_eq!(to_query(&ViewState::default()), "");
        let p = parse("");
        assert_eq!(p.state, ViewState::default());
        assert!(p.notices.is_empty());
        assert_eq!(parse("?").state, ViewState::default());
    }

    #[test]
    fn writes_only_differences_in_fixed_order() {
        let mut v = ViewState::default();
        v.lang = Lang::En;
        v.tab = Tab::Chart;
        v.chart = ChartKind::Trend;
        v.year_from = Some(2019);
        v.year = Some(2024);
        v.provinces = vec!["19".into(), "06".into()];
        v.kinds = vec![Kind::Htx, Kind::Tht];
        v.high_tech = Some(true);
        v.ethnic_area = Some(false);
        v.boundary = Boundary::P63;
        v.classes = ClassSpec {
            method: Method::Custom(vec![10.0, 50.0, 100.0]),
            n: 4,
        };
        v.embed = true;
        assert_eq!(
            to_query(&v),
            "t=chart&ch=trend&y=2019-2024&p=19~06&k=htx~tht&ht=1&dt=0&c=x:10~50~100&l=en&embed=1"
        );
        let mut w = ViewState::default();
        w.boundary = Boundary::P34;
        w.data_url = Some("https://example.org/f?a=1&c=d+e%20.json".into());
        w.dataset = "ocop-2024".into();
        assert_eq!(
            to_query(&w),
            "d=ocop-2024&data=https://example.org/f?a%3D1%26c%3Dd%2Be%2520.json&b=34"
        );
        assert_eq!(from_query(&to_query(&w)).state.data_url, w.data_url);
    }

    /// A small seeded PRNG (SplitMix64) so the property test is reproducible.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn chance(&mut self) -> bool {
            self.below(2) == 0
        }
        fn id(&mut self, alphabet: &[u8]) -> String {
            let len = 1 + self.below(20) as usize;
            (0..len)
                .map(|_| char::from(alphabet[self.below(alphabet.len() as u64) as usize]))
                .collect()
        }
        fn subset<T: Copy>(&mut self, all: &[T]) -> Vec<T> {
            all.iter().copied().filter(|_| self.below(3) == 0).collect()
        }
        fn tri(&mut self) -> Option<bool> {
            [None, Some(true), Some(false)][self.below(3) as usize]
        }
    }

    fn random_state(g: &mut Rng) -> ViewState {
        let mut v = ViewState::default();
        if g.chance() {
            v.dataset = g.id(b"abcdefghijklmnopqrstuvwxyz0123456789-");
        }
        if g.chance() {
            v.indicator = g.id(b"abcdefghijklmnopqrstuvwxyz0123456789-_");
        }
        v.tab = Tab::ALL[g.below(4) as usize];
        v.chart = ChartKind::ALL[g.below(4) as usize];
        if g.chance() {
            let y = 1991 + g.below(110) as u16;
            v.year = Some(y);
            if g.chance() {
                v.year_from = Some(1990 + g.below(u64::from(y - 1990)) as u16);
            }
        }
        if g.chance() {
            v.region = Some(Region::ALL[g.below(6) as usize]);
        }
        let np = g.below(5);
        for _ in 0..np {
            let c = format!("{:02}", g.below(100));
            if !v.provinces.contains(&c) {
                v.provinces.push(c);
            }
        }
        v.kinds = g.subset(Kind::ALL);
        v.sectors = g.subset(Sector::ALL);
        v.ntm = g.subset(Ntm::ALL);
        v.stage = g.subset(Stage::ALL);
        for f in Flag::ALL {
            let t = g.tri();
            v.set_flag(f, t);
        }
        v.boundary = if g.chance() {
            Boundary::P34
        } else {
            Boundary::P63
        };
        v.classes = match g.below(4) {
            0 => ClassSpec {
                method: Method::Equal,
                n: 2 + g.below(8) as usize,
            },
            1 => ClassSpec {
                method: Method::Quantile,
                n: 2 + g.below(8) as usize,
            },
            2 => ClassSpec {
                method: Method::Jenks,
                n: 2 + g.below(8) as usize,
            },
            _ => {
                let k = 1 + g.below(8) as usize;
                let mut x = (g.below(2000) as f64 - 1000.0) / 8.0;
                let mut b = Vec::new();
                for _ in 0..k {
                    b.push(x);
                    x += 0.001 + (g.below(1_000_000) as f64) / 7.0;
                }
                ClassSpec {
                    method: Method::Custom(b),
                    n: k + 1,
                }
            }
        };
        v.lang = if g.chance() { Lang::En } else { Lang::Vi };
        v.embed = g.chance();
        if g.below(3) == 0 {
            let tail: String = (0..g.below(40))
                .map(|_| {
                    [
                        'a', '/', '?', '&', '=', '+', '%', '#', '~', 'é', 'ơ', '.', ':', '-', '_',
                    ][g.below(15) as usize]
                })
                .collect();
            v.data_url = Some(format!("https://data.example.vn/{tail}"));
        }
        if g.below(4) == 0 {
            v.local = Some(g.id(b"abcdef0123456789-"));
            if g.chance() {
                let name: String = (0..1 + g.below(30))
                    .map(|_| ['a', 'ơ', 'ệ', ' ', '&', '=', '+', '%', '#', '~', '.', '(', '/'][g.below(13) as usize])
                    .collect();
                // Values are read trimmed: the generator's names start and end with a letter.
                v.local_name = Some(format!("f{name}x.json"));
            }
        }
        v
    }

    #[test]
    fn local_name_travels_with_ld_and_is_shown_as_given() {
        let mut v = ViewState::default();
        v.local = Some("htx-thai-nguyen".into());
        v.local_name = Some("Hợp tác xã Thái Nguyên 2024 (bản 2).csv".into());
        let q = to_query(&v);
        assert!(q.starts_with("ld=htx-thai-nguyen&ln="), "{q}");
        assert!(q.is_ascii(), "{q}");
        let p = parse(&q);
        assert!(p.notices.is_empty(), "{:?}", p.notices);
        assert_eq!(p.state.local_name.as_deref(), Some("Hợp tác xã Thái Nguyên 2024 (bản 2).csv"));
        // Without a device-local dataset the name is not written: it would name nothing.
        v.local = None;
        assert!(!to_query(&v).contains("ln="), "{}", to_query(&v));
    }

    #[test]
    fn local_name_problems_are_reported_and_dropped() {
        let p = parse("ln=du-lieu.json");
        assert_eq!(p.state.local_name, None);
        assert_eq!(p.notices[0].reason, Reason::LocalNameWithoutLocal);
        assert!(p.notices[0].message(Lang::Vi).contains("ld="));
        let long = format!("ld=abc&ln={}", "a".repeat(MAX_LOCAL_NAME + 1));
        let p = parse(&long);
        assert_eq!(p.state.local.as_deref(), Some("abc"));
        assert_eq!(p.state.local_name, None);
        assert_eq!(p.notices[0].reason, Reason::BadLocalName);
        let p = parse(&format!("ld=abc&ln={}", "ệ".repeat(MAX_LOCAL_NAME)));
        assert!(p.notices.is_empty(), "120 Vietnamese letters are 120 characters: {:?}", p.notices);
        for bad in ["ld=abc&ln=a%0Ab", "ld=abc&ln=a%09b", "ld=abc&ln=a%7Fb"] {
            let p = parse(bad);
            assert_eq!(p.state.local_name, None, "{bad}");
            assert_eq!(p.notices[0].reason, Reason::BadLocalName, "{bad}");
        }
    }

    #[test]
    fn prop_round_trip() {
        let mut g = Rng(20250701);
        for i in 0..5000 {
            let s = random_state(&mut g);
            let q = to_query(&s);
            let p = from_query(&q);
            assert!(p.notices.is_empty(), "case {i}: {q} -> {:?}", p.notices);
            assert_eq!(p.state, s, "case {i}: {q}");
            // writing again gives the same link, and it stays ASCII
            assert_eq!(to_query(&p.state), q);
            assert!(q.is_ascii(), "{q}");
        }
    }

    #[test]
    fn notices_for_bad_values() {
        let cases: &[(&str, &str, Reason)] = &[
            ("zz=1", "zz", Reason::UnknownKey),
            (
                "t=graph",
                "t",
                Reason::BadCode {
                    expected: "map, chart, table, sources, profile".into(),
                },
            ),
            (
                "ch=pie",
                "ch",
                Reason::BadCode {
                    expected: "rank, trend, mix, compare".into(),
                },
            ),
            ("y=24", "y", Reason::BadYear),
            ("y=2024-2019", "y", Reason::BadYear),
            ("y=1850", "y", Reason::BadYear),
            ("y=2019-", "y", Reason::BadYear),
            ("b=35", "b", Reason::BadBoundary),
            (
                "r=north",
                "r",
                Reason::BadCode {
                    expected: Region::codes_list(),
                },
            ),
            ("p=abc", "p", Reason::BadProvinceCode),
            (
                "k=htx~coop",
                "k",
                Reason::BadCode {
                    expected: Kind::codes_list(),
                },
            ),
            (
                "s=farm",
                "s",
                Reason::BadCode {
                    expected: Sector::codes_list(),
                },
            ),
            (
                "ntm=yes",
                "ntm",
                Reason::BadCode {
                    expected: Ntm::codes_list(),
                },
            ),
            (
                "st=mid",
                "st",
                Reason::BadCode {
                    expected: Stage::codes_list(),
                },
            ),
            ("ht=yes", "ht", Reason::BadBool),
            ("embed=2", "embed", Reason::BadBool),
            (
                "l=fr",
                "l",
                Reason::BadCode {
                    expected: "vi, en".into(),
                },
            ),
            ("d=Bad_ID", "d", Reason::BadId),
            ("i=HTX", "i", Reason::BadId),
            ("ld=a/b", "ld", Reason::BadId),
            (
                "data=http://x.org/a.json",
                "data",
                Reason::BadDataUrl(DataUrlProblem::NotHttps),
            ),
            (
                "data=https://u:pw@x.org/a.json",
                "data",
                Reason::BadDataUrl(DataUrlProblem::Credentials),
            ),
            (
                "data=https:///a.json",
                "data",
                Reason::BadDataUrl(DataUrlProblem::NoHost),
            ),
            (
                "data=https://x.org/a%20b.json",
                "data",
                Reason::BadDataUrl(DataUrlProblem::BadChars),
            ),
            (
                "data=javascript:alert(1)",
                "data",
                Reason::BadDataUrl(DataUrlProblem::NotHttps),
            ),
            ("v=abc", "v", Reason::BadVersion),
            ("v=7", "v", Reason::NewerVersion(7)),
        ];
        for (q, key, reason) in cases {
            let p = parse(q);
            assert_eq!(p.notices.len(), 1, "{q}: {:?}", p.notices);
            assert_eq!(p.notices[0].key, *key, "{q}");
            assert_eq!(p.notices[0].reason, *reason, "{q}");
            for lang in [Lang::Vi, Lang::En] {
                assert!(!p.notices[0].message(lang).is_empty());
            }
        }
        // bad values fall back to the default, good neighbours are kept
        let p = parse("t=graph&l=en&k=htx~coop");
        assert_eq!(p.state.tab, Tab::Map);
        assert_eq!(p.state.lang, Lang::En);
        assert_eq!(p.state.kinds, vec![Kind::Htx]);
        let long = format!("data=https://x.org/{}", "a".repeat(2100));
        assert_eq!(
            parse(&long).notices[0].reason,
            Reason::BadDataUrl(DataUrlProblem::TooLong)
        );
        let p = parse("c=x:50~10");
        assert!(
            matches!(&p.notices[0].reason, Reason::BadClasses(d) if d.to_string().contains("custom break 2"))
        );
        assert_eq!(p.state.classes, ClassSpec::default());
    }

    #[test]
    fn tracking_keys_are_ignored_silently() {
        let p = parse("t=table&zarsrc=30&utm_source=zalo&utm_medium=zalo&fbclid=IwAR0");
        assert!(p.notices.is_empty(), "{:?}", p.notices);
        assert_eq!(p.state.tab, Tab::Table);
    }

    #[test]
    fn messages_are_bilingual_and_name_the_parameter() {
        let n = Notice::new(
            "t",
            "graph",
            Reason::BadCode {
                expected: Tab::codes_list(),
            },
        );
        assert_eq!(
            n.message(Lang::Vi),
            "Tham số “t=graph”: không có mã này (mã hợp lệ: map, chart, table, sources, profile), đã bỏ qua."
        );
        assert_eq!(
            n.message(Lang::En),
            "Link parameter “t=graph”: unknown code (expected one of map, chart, table, sources, profile), ignored."
        );
        let w = Notice::new(
            "p",
            "02",
            Reason::WrongBoundary {
                code_version: Boundary::P63,
                view: Boundary::P34,
            },
        );
        assert!(w
            .message(Lang::En)
            .contains("province 02 is a 63-province code; this view uses 34 provinces"));
        assert!(w.message(Lang::Vi).contains("tỉnh 02 là mã của bộ 63 tỉnh"));
    }

    #[test]
    fn space_and_plus_handling() {
        // chat apps and hand editing: '+', '%20' and ',' all split lists
        for q in [
            "p=19+06",
            "p=19%2006",
            "p=19,06",
            "p=19~06",
            "p=19%7E06",
            "p=%2019~06%20",
        ] {
            let p = parse(q);
            assert_eq!(p.state.provinces, vec!["19", "06"], "{q}");
            assert!(p.notices.is_empty(), "{q}: {:?}", p.notices);
        }
        // one-digit codes are padded, duplicates dropped
        assert_eq!(parse("p=9~09~19").state.provinces, vec!["09", "19"]);
        // encoded keys
        assert_eq!(parse("%74=table").state.tab, Tab::Table);
        // a stray '%' stays literal (and then fails validation, with a notice, no panic)
        let p = parse("i=50%&t=%zz");
        assert_eq!(p.notices.len(), 2);
    }

    #[test]
    fn the_profile_tab_parses_and_encodes_with_its_place() {
        let p = parse("t=profile&p=19&y=2020-2024");
        assert!(p.notices.is_empty(), "{:?}", p.notices);
        assert_eq!(p.state.tab, Tab::Profile);
        assert_eq!((p.state.year_from, p.state.year), (Some(2020), Some(2024)));
        let q = to_query(&p.state);
        assert!(q.contains("t=profile") && q.contains("p=19") && q.contains("y=2020-2024"), "{q}");
        assert_eq!(parse(&q).state, p.state);
        let r = parse("t=profile&r=tdmnpb");
        assert_eq!((r.state.tab, r.state.region), (Tab::Profile, Some(Region::Tdmnpb)));
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let p = parse("t=table&l=en&t=chart");
        assert_eq!(p.state.tab, Tab::Chart);
        assert_eq!(
            p.notices,
            vec![Notice::new("t", "table", Reason::DuplicateKey)]
        );
        // a duplicate created by migration (year + y) is reported the same way
        let p = parse("year=2020&y=2022");
        assert_eq!(p.state.year, Some(2022));
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].reason, Reason::DuplicateKey);
    }

    #[test]
    fn invalid_utf8_gives_a_notice() {
        let p = parse("d=%FF%FE&l=en");
        assert_eq!(p.state.dataset, DEFAULT_DATASET);
        assert_eq!(p.state.lang, Lang::En);
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].key, "d");
        assert_eq!(p.notices[0].reason, Reason::InvalidUtf8);
        let p = parse("%C3=1");
        assert_eq!(p.notices[0].reason, Reason::InvalidUtf8);
        // truncated multi-byte sequence and lone '%' at the end
        let p = parse("i=%E1%BB&x=%");
        assert_eq!(p.notices.len(), 2);
    }

    #[test]
    fn migrations_from_version_0() {
        let p = parse("dataset=ocop-2024&tab=table&year=2023&region=tn&lang=en&provinces=66,62&kind=htx,tht&c=x:1,2");
        assert!(p.notices.is_empty(), "{:?}", p.notices);
        let s = &p.state;
        assert_eq!(s.dataset, "ocop-2024");
        assert_eq!(s.tab, Tab::Table);
        assert_eq!(s.year, Some(2023));
        assert_eq!(s.region, Some(Region::Tn));
        assert_eq!(s.lang, Lang::En);
        assert_eq!(s.provinces, vec!["66", "62"]);
        assert_eq!(s.kinds, vec![Kind::Htx, Kind::Tht]);
        assert_eq!(s.classes.code(), "x:1~2");
        // v=1 links skip the migration: long keys are unknown there
        let p = parse("v=1&year=2023");
        assert_eq!(p.state.year, None);
        assert_eq!(p.notices[0].reason, Reason::UnknownKey);
        assert_eq!(MIGRATIONS.len() as u32, CURRENT_VERSION);
        assert!(MIGRATIONS
            .windows(2)
            .all(|w| w[0].to_version < w[1].to_version));
    }

    #[test]
    fn validate_against_boundary() {
        let reg = registry();
        let mut v = parse("b=34&p=19~02~06~99~79").state;
        let n = validate_against(&mut v, reg);
        assert_eq!(v.provinces, vec!["19", "79"]);
        assert_eq!(n.len(), 3);
        assert_eq!(n[0].value, "02");
        assert_eq!(
            n[0].reason,
            Reason::WrongBoundary {
                code_version: Boundary::P63,
                view: Boundary::P34
            }
        );
        assert_eq!(n[2].reason, Reason::UnknownProvince);
        let mut v = parse("p=19~02~06").state;
        assert!(validate_against(&mut v, reg).is_empty());
        assert_eq!(v.provinces.len(), 3);
    }

    #[test]
    fn validate_indicator_against_dataset() {
        let mut v = parse("i=bogus").state;
        let n = validate_indicator(&mut v, &["htx_count", "workers"]);
        assert_eq!(n.len(), 1);
        assert_eq!(v.indicator, DEFAULT_INDICATOR);
        assert!(n[0].message(Lang::Vi).contains("không có chỉ tiêu này"), "{}", n[0].message(Lang::Vi));
        assert!(!to_query(&v).contains("i="), "the bad id is not passed on");
        let mut ok = parse("i=workers").state;
        assert!(validate_indicator(&mut ok, &["htx_count", "workers"]).is_empty());
        assert_eq!(ok.indicator, "workers");
        // The default is never reported, even for a dataset without it (it picks its own).
        let mut d = parse("").state;
        assert!(validate_indicator(&mut d, &["htx_active"]).is_empty());
    }

    #[test]
    fn validate_years_against_dataset() {
        let years = [2019, 2020, 2022, 2024];
        let mut v = parse("y=2023").state;
        assert_eq!(validate_years(&mut v, &years).len(), 1);
        assert_eq!(v.year, None);
        let mut v = parse("y=2018-2024").state;
        assert_eq!(validate_years(&mut v, &years).len(), 1);
        assert_eq!((v.year_from, v.year), (Some(2019), Some(2024)));
        let mut v = parse("y=2020-2024").state;
        assert!(validate_years(&mut v, &years).is_empty());
    }

    #[test]
    fn huge_query_is_bounded() {
        let mut q = String::from("l=en&");
        while q.len() < 100_000 {
            q.push_str("zz=1&p=19~06&");
        }
        let t = std::time::Instant::now();
        let p = from_query(&q);
        let elapsed = t.elapsed();
        assert_eq!(p.state.lang, Lang::En);
        assert!(p.notices.len() <= MAX_NOTICES + 1);
        assert_eq!(p.notices[0].reason, Reason::QueryTooLong);
        assert!(matches!(
            p.notices.last().map(|n| &n.reason),
            Some(Reason::More(_))
        ));
        eprintln!("100 KB query: {elapsed:?}");
        // one giant value: a 100 KB province list
        let q = format!("p={}", "19~".repeat(33_000));
        let p = from_query(&q);
        assert_eq!(p.state.provinces, vec!["19"]);
        let q = format!(
            "p={}",
            (0..100)
                .map(|i| format!("{i:02}"))
                .collect::<Vec<_>>()
                .join("~")
        );
        let p = from_query(&q);
        assert_eq!(p.state.provinces.len(), MAX_PROVINCES);
        assert_eq!(
            p.notices,
            vec![Notice::new(
                "p",
                "",
                Reason::TooManyItems {
                    kept: MAX_PROVINCES
                }
            )]
        );
        // multi-byte text cut in the middle does not panic
        let q = format!("d={}", "ệ".repeat(50_000));
        let p = from_query(&q);
        assert_eq!(p.state.dataset, DEFAULT_DATASET);
    }

    #[test]
    fn docs_examples_read_cleanly() {
        // the example links of docs/url.md
        let links = [
            "t=table&p=19~06&k=htx~tht&l=en",
            "t=chart&ch=trend&i=htx_agri_share&y=2019-2024&b=34&s=nn&c=nb5",
            "r=tdmnpb&tm=1&dt=1&c=x:10~50~100&embed=1",
            "data=https://example.gov.vn/htx-2024.json&t=sources",
        ];
        for q in links {
            let p = from_query(q);
            assert!(p.notices.is_empty(), "{q}: {:?}", p.notices);
            assert_eq!(to_query(&p.state), q);
        }
        let old = from_query("dataset=ocop-2024&year=2023&provinces=66,62");
        assert!(old.notices.is_empty());
        assert_eq!(to_query(&old.state), "d=ocop-2024&y=2023&p=66~62");
    }

    #[test]
    fn check_data_url_cases() {
        let cases: &[(&str, Result<(), DataUrlProblem>)] = &[
            ("https://data.gov.vn/htx.json", Ok(())),
            ("HTTPS://data.gov.vn/htx.json", Ok(())),
            ("https://data.gov.vn:8443/a?x=1#f", Ok(())),
            ("https://dữliệu.vn/a.json", Ok(())),
            ("https://x.org/p@th", Ok(())), // '@' in the path is not a credential
            ("http://data.gov.vn/a", Err(DataUrlProblem::NotHttps)),
            ("ftp://a", Err(DataUrlProblem::NotHttps)),
            ("https://", Err(DataUrlProblem::NoHost)),
            ("https://:443/a", Err(DataUrlProblem::NoHost)),
            ("https://user@x.org/a", Err(DataUrlProblem::Credentials)),
            ("https://x.org\\@evil.com/", Err(DataUrlProblem::BadChars)),
            ("https://x.org/a\nb", Err(DataUrlProblem::BadChars)),
        ];
        for (u, want) in cases {
            assert_eq!(check_data_url(u), *want, "{u}");
        }
    }
}
