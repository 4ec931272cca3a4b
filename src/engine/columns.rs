//! Compact columnar storage for entity rows.
//!
//! A provincial dataset has tens of thousands of rows; a national one over several years can reach a
//! million. In wasm every byte counts (the tab must not be killed on a mid-range phone), so each field
//! is a typed vector with a sentinel for "not known" instead of `Option<T>` (which would double the
//! size of small types) and ids share one `String` with `u32` end offsets instead of a `String` each
//! (24 bytes of header plus an allocation per row).
//!
//! Bytes per row: id text (~12) + 4 offset + 1 province + 2 year + 4 codes + 4×4 numbers
//! (members, workers, income, revenue) + 1 star + 2×4 OCOP counts + 1 flags ≈ 49 bytes,
//! so 1,000,000 rows take about 50 MB.
//!
//! Precision: `income` (VND per month) and `revenue` (million VND) are `f32`: 24 significant bits,
//! i.e. a relative error below 6·10⁻⁸ (16 VND on an income of 200 million). Sums and means are always
//! accumulated in `f64`.

use super::index::RowIndex;
use super::sums::PartialSums;
use super::vocab::{Kind, Ntm, Sector, Stage};

/// Sentinel for a missing code (kind, sector, NTM level, stage, OCOP star, province).
pub const NONE: u8 = u8::MAX;
/// Sentinel for a missing whole number (members, workers, OCOP counts).
pub const MISSING: u32 = u32::MAX;

/// Bit positions of the four booleans inside the `flags` byte: bit `k` says the value is known,
/// bit `k + 4` holds the value.
pub mod flag {
    /// Applies high technology.
    pub const HIGH_TECH: u8 = 0;
    /// Produces along a value chain.
    pub const VALUE_CHAIN: u8 = 1;
    /// Has a registered trademark.
    pub const TRADEMARK: u8 = 2;
    /// Located in an ethnic-minority and mountainous area.
    pub const ETHNIC_AREA: u8 = 3;
}

/// One entity row with every field decoded; used to build columns by hand (tests, CSV import) and
/// to show a row in a table. The hot paths read the columns directly instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Unique within a year.
    pub id: String,
    /// Dense province index in the dataset's boundary version.
    pub province: u8,
    /// Calendar year.
    pub year: u16,
    /// Kind of unit (required in files).
    pub kind: Option<Kind>,
    /// Main sector.
    pub sector: Option<Sector>,
    /// Members.
    pub members: Option<u32>,
    /// Workers.
    pub workers: Option<u32>,
    /// Average income per worker, VND per month.
    pub income: Option<f64>,
    /// Revenue in the year, million VND.
    pub revenue: Option<f64>,
    /// Applies high technology.
    pub high_tech: Option<bool>,
    /// Produces along a value chain.
    pub value_chain: Option<bool>,
    /// NTM level of its commune.
    pub ntm: Option<Ntm>,
    /// Highest OCOP star (0–5).
    pub ocop_star: Option<u8>,
    /// Products rated OCOP.
    pub ocop_products: Option<u32>,
    /// Products rated 5 stars.
    pub ocop_5star: Option<u32>,
    /// Registered trademark.
    pub trademark: Option<bool>,
    /// Service stage.
    pub stage: Option<Stage>,
    /// In an ethnic-minority and mountainous area.
    pub ethnic_area: Option<bool>,
}

impl Row {
    /// A row with the required fields set and everything else unknown.
    pub fn new(id: &str, province: u8, year: u16, kind: Kind) -> Row {
        Row {
            id: id.to_string(),
            province,
            year,
            kind: Some(kind),
            sector: None,
            members: None,
            workers: None,
            income: None,
            revenue: None,
            high_tech: None,
            value_chain: None,
            ntm: None,
            ocop_star: None,
            ocop_products: None,
            ocop_5star: None,
            trademark: None,
            stage: None,
            ethnic_area: None,
        }
    }
}

/// Entity rows stored column by column (see the module docs for the layout and its budget).
///
/// Columns are crate-visible so the parser can stream straight into them; everyone else reads them
/// through the accessors, which decode sentinels into `Option`s, or through the `*_raw` slices in
/// hot loops.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entities {
    pub(crate) id_text: String,
    pub(crate) id_ends: Vec<u32>,
    pub(crate) province: Vec<u8>,
    pub(crate) year: Vec<u16>,
    pub(crate) kind: Vec<u8>,
    pub(crate) sector: Vec<u8>,
    pub(crate) ntm: Vec<u8>,
    pub(crate) stage: Vec<u8>,
    pub(crate) members: Vec<u32>,
    pub(crate) workers: Vec<u32>,
    pub(crate) income: Vec<f32>,
    pub(crate) revenue: Vec<f32>,
    pub(crate) ocop_star: Vec<u8>,
    pub(crate) ocop_products: Vec<u32>,
    pub(crate) ocop_5star: Vec<u32>,
    pub(crate) flags: Vec<u8>,
    /// The file row (0-based) of each stored row once [`Entities::cluster`] has reordered them;
    /// empty while the rows are still in file order (the usual case for a file already sorted by
    /// year, kind and province, which costs nothing).
    pub(crate) file_row: Vec<u32>,
    /// The (year, kind, province) row index, built on first use and dropped by every mutation.
    pub(crate) index: IndexCache,
}

/// A lazily built [`RowIndex`], and the [`PartialSums`] over its buckets. Equality and `Debug`
/// ignore them (they are derived data: two tables with the same rows are equal, and print the
/// same, whether or not one has been indexed yet). Every mutation of the rows drops both.
#[derive(Clone, Default)]
pub struct IndexCache(std::sync::OnceLock<Option<RowIndex>>, std::sync::OnceLock<Option<PartialSums>>);

impl std::fmt::Debug for IndexCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexCache")
    }
}

impl PartialEq for IndexCache {
    fn eq(&self, _: &IndexCache) -> bool {
        true
    }
}

fn opt_code(c: u8) -> Option<u8> {
    if c == NONE {
        None
    } else {
        Some(c)
    }
}

fn opt_u32(v: u32) -> Option<u32> {
    if v == MISSING {
        None
    } else {
        Some(v)
    }
}

fn opt_f32(v: f32) -> Option<f64> {
    if v.is_nan() {
        None
    } else {
        Some(v as f64)
    }
}

/// Packs an optional bool into the flags byte at bit `k`.
pub fn set_flag(flags: u8, k: u8, v: Option<bool>) -> u8 {
    let cleared = flags & !(1 << k) & !(1 << (k + 4));
    match v {
        None => cleared,
        Some(false) => cleared | (1 << k),
        Some(true) => cleared | (1 << k) | (1 << (k + 4)),
    }
}

/// Reads an optional bool from the flags byte at bit `k`.
pub fn get_flag(flags: u8, k: u8) -> Option<bool> {
    if flags & (1 << k) == 0 {
        None
    } else {
        Some(flags & (1 << (k + 4)) != 0)
    }
}

impl Entities {
    /// No rows.
    pub fn new() -> Entities {
        Entities::default()
    }

    /// Room for `n` rows (and `n × 12` bytes of ids), so parsing a big file does not reallocate.
    pub fn with_capacity(n: usize) -> Entities {
        Entities {
            id_text: String::with_capacity(n.saturating_mul(12)),
            id_ends: Vec::with_capacity(n),
            province: Vec::with_capacity(n),
            year: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            sector: Vec::with_capacity(n),
            ntm: Vec::with_capacity(n),
            stage: Vec::with_capacity(n),
            members: Vec::with_capacity(n),
            workers: Vec::with_capacity(n),
            income: Vec::with_capacity(n),
            revenue: Vec::with_capacity(n),
            ocop_star: Vec::with_capacity(n),
            ocop_products: Vec::with_capacity(n),
            ocop_5star: Vec::with_capacity(n),
            flags: Vec::with_capacity(n),
            file_row: Vec::new(),
            index: IndexCache::default(),
        }
    }

    /// Room for `additional` more rows in every column, and for their ids at the average length of
    /// the ids already held (rounded up; 12 bytes each when there are none). Why: a column that
    /// grows by appends doubles, and while it moves its old and new buffers are both alive, which in
    /// wasm (memory never shrinks) costs up to twice the column for good. The sliced parser
    /// (`engine::incremental`) reserves once it knows the row count.
    pub fn reserve(&mut self, additional: usize) {
        let per_id = match self.id_ends.len() {
            0 => 12,
            n => self.id_text.len().div_ceil(n),
        };
        self.id_text.reserve(additional.saturating_mul(per_id));
        self.id_ends.reserve(additional);
        self.province.reserve(additional);
        self.year.reserve(additional);
        self.kind.reserve(additional);
        self.sector.reserve(additional);
        self.ntm.reserve(additional);
        self.stage.reserve(additional);
        self.members.reserve(additional);
        self.workers.reserve(additional);
        self.income.reserve(additional);
        self.revenue.reserve(additional);
        self.ocop_star.reserve(additional);
        self.ocop_products.reserve(additional);
        self.ocop_5star.reserve(additional);
        self.flags.reserve(additional);
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.province.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends one row. Ids longer than the `u32` offset range cannot occur (files are capped far
    /// below 4 GB), so offsets never overflow in practice; they saturate if they would.
    pub fn push(&mut self, row: &Row) {
        self.index = IndexCache::default();
        self.id_text.push_str(&row.id);
        self.id_ends
            .push(u32::try_from(self.id_text.len()).unwrap_or(u32::MAX));
        self.province.push(row.province);
        self.year.push(row.year);
        self.kind.push(row.kind.map_or(NONE, Kind::index));
        self.sector.push(row.sector.map_or(NONE, Sector::index));
        self.ntm.push(row.ntm.map_or(NONE, Ntm::index));
        self.stage.push(row.stage.map_or(NONE, Stage::index));
        self.members.push(row.members.unwrap_or(MISSING));
        self.workers.push(row.workers.unwrap_or(MISSING));
        self.income.push(row.income.map_or(f32::NAN, |v| v as f32));
        self.revenue
            .push(row.revenue.map_or(f32::NAN, |v| v as f32));
        self.ocop_star.push(row.ocop_star.unwrap_or(NONE));
        self.ocop_products
            .push(row.ocop_products.unwrap_or(MISSING));
        self.ocop_5star.push(row.ocop_5star.unwrap_or(MISSING));
        let mut f = 0;
        f = set_flag(f, flag::HIGH_TECH, row.high_tech);
        f = set_flag(f, flag::VALUE_CHAIN, row.value_chain);
        f = set_flag(f, flag::TRADEMARK, row.trademark);
        f = set_flag(f, flag::ETHNIC_AREA, row.ethnic_area);
        self.flags.push(f);
        if !self.file_row.is_empty() {
            self.file_row.push(u32::try_from(self.file_row.len()).unwrap_or(u32::MAX));
        }
    }

    /// Appends every row of `other` (used to merge per-year files, and the batches of a sliced
    /// parse). File rows continue the numbering: row `j` of `other` becomes file row `len + j'`,
    /// `j'` being its own file row.
    pub fn extend_from(&mut self, other: &Entities) {
        self.index = IndexCache::default();
        let n = self.len();
        if !self.file_row.is_empty() || !other.file_row.is_empty() {
            if self.file_row.is_empty() {
                self.file_row = (0..n).map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect();
            }
            self.file_row.extend(
                (0..other.len()).map(|j| u32::try_from(n + other.file_row(j)).unwrap_or(u32::MAX)),
            );
        }
        let base = self.id_text.len();
        self.id_text.push_str(&other.id_text);
        self.id_ends.extend(
            other
                .id_ends
                .iter()
                .map(|&e| u32::try_from(base + e as usize).unwrap_or(u32::MAX)),
        );
        self.province.extend_from_slice(&other.province);
        self.year.extend_from_slice(&other.year);
        self.kind.extend_from_slice(&other.kind);
        self.sector.extend_from_slice(&other.sector);
        self.ntm.extend_from_slice(&other.ntm);
        self.stage.extend_from_slice(&other.stage);
        self.members.extend_from_slice(&other.members);
        self.workers.extend_from_slice(&other.workers);
        self.income.extend_from_slice(&other.income);
        self.revenue.extend_from_slice(&other.revenue);
        self.ocop_star.extend_from_slice(&other.ocop_star);
        self.ocop_products.extend_from_slice(&other.ocop_products);
        self.ocop_5star.extend_from_slice(&other.ocop_5star);
        self.flags.extend_from_slice(&other.flags);
    }

    /// The row of the file (0-based) that stored row `i` came from: `i` itself until
    /// [`Entities::cluster`] has moved rows. Messages about a row name this one.
    pub fn file_row(&self, i: usize) -> usize {
        self.file_row.get(i).map_or(i, |&r| r as usize)
    }

    /// Stores the rows grouped by (year, kind, province), file order kept inside each group, so
    /// the rows a filtered view reads lie side by side and [`Entities::index`] can hand out
    /// contiguous ranges (see [`super::index`] for why this matters in the browser). A table
    /// already in that order (the bundled files are) is left as it is. The file row of each row is
    /// kept ([`Entities::file_row`]). Cost: a counting sort and one scatter per column, and
    /// 4 bytes a row for the file rows when anything moved.
    pub fn cluster(&mut self) {
        if let Some(mut c) = Clustering::start(self) {
            while !c.step(self, usize::MAX) {}
        }
    }

    /// Every row's id made empty: for the packed years the page fetches (`coop-atlas pack
    /// --without-ids`), which never show a unit's id. A unit id is text that does not compress
    /// (`h02-1`, `h02-10`, …): about 8 KB brotli of a bundled year's 36 KB, a fifth of what a shared
    /// link waits for on 3G. Years stay told apart by their year when the page merges them
    /// (`Dataset::append` keys rows by year and id).
    pub fn clear_ids(&mut self) {
        self.id_text.clear();
        self.id_ends.iter_mut().for_each(|e| *e = 0);
    }

    /// The id of row `i` (0-based), or `""` when `i` is out of range.
    pub fn id(&self, i: usize) -> &str {
        let end = match self.id_ends.get(i) {
            Some(&e) => e as usize,
            None => return "",
        };
        let start = if i == 0 {
            0
        } else {
            self.id_ends.get(i - 1).map_or(0, |&s| s as usize)
        };
        self.id_text.get(start..end).unwrap_or("")
    }

    /// Province index (in the dataset's boundary) of row `i`, `None` out of range.
    pub fn province(&self, i: usize) -> Option<u8> {
        self.province.get(i).copied().and_then(opt_code)
    }

    /// Year of row `i`.
    pub fn year(&self, i: usize) -> Option<u16> {
        self.year.get(i).copied()
    }

    /// Kind of row `i`.
    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.kind.get(i).and_then(|&c| Kind::from_index(c))
    }

    /// Sector of row `i`.
    pub fn sector(&self, i: usize) -> Option<Sector> {
        self.sector.get(i).and_then(|&c| Sector::from_index(c))
    }

    /// NTM level of row `i`.
    pub fn ntm(&self, i: usize) -> Option<Ntm> {
        self.ntm.get(i).and_then(|&c| Ntm::from_index(c))
    }

    /// Service stage of row `i`.
    pub fn stage(&self, i: usize) -> Option<Stage> {
        self.stage.get(i).and_then(|&c| Stage::from_index(c))
    }

    /// Members of row `i`.
    pub fn members(&self, i: usize) -> Option<u32> {
        self.members.get(i).copied().and_then(opt_u32)
    }

    /// Workers of row `i`.
    pub fn workers(&self, i: usize) -> Option<u32> {
        self.workers.get(i).copied().and_then(opt_u32)
    }

    /// Average income per worker of row `i`, VND per month.
    pub fn income(&self, i: usize) -> Option<f64> {
        self.income.get(i).copied().and_then(opt_f32)
    }

    /// Revenue of row `i`, million VND.
    pub fn revenue(&self, i: usize) -> Option<f64> {
        self.revenue.get(i).copied().and_then(opt_f32)
    }

    /// Highest OCOP star of row `i`.
    pub fn ocop_star(&self, i: usize) -> Option<u8> {
        self.ocop_star.get(i).copied().and_then(opt_code)
    }

    /// OCOP-rated products of row `i`.
    pub fn ocop_products(&self, i: usize) -> Option<u32> {
        self.ocop_products.get(i).copied().and_then(opt_u32)
    }

    /// 5-star products of row `i`.
    pub fn ocop_5star(&self, i: usize) -> Option<u32> {
        self.ocop_5star.get(i).copied().and_then(opt_u32)
    }

    /// A boolean of row `i` (`k` is one of the [`flag`] constants).
    pub fn flag(&self, i: usize, k: u8) -> Option<bool> {
        self.flags.get(i).and_then(|&f| get_flag(f, k))
    }

    /// Row `i` with every field decoded, `None` out of range.
    pub fn row(&self, i: usize) -> Option<Row> {
        if i >= self.len() {
            return None;
        }
        Some(Row {
            id: self.id(i).to_string(),
            province: self.province.get(i).copied().unwrap_or(NONE),
            year: self.year(i).unwrap_or(0),
            kind: self.kind(i),
            sector: self.sector(i),
            members: self.members(i),
            workers: self.workers(i),
            income: self.income(i),
            revenue: self.revenue(i),
            high_tech: self.flag(i, flag::HIGH_TECH),
            value_chain: self.flag(i, flag::VALUE_CHAIN),
            ntm: self.ntm(i),
            ocop_star: self.ocop_star(i),
            ocop_products: self.ocop_products(i),
            ocop_5star: self.ocop_5star(i),
            trademark: self.flag(i, flag::TRADEMARK),
            stage: self.stage(i),
            ethnic_area: self.flag(i, flag::ETHNIC_AREA),
        })
    }

    /// Raw province indices (for hot loops).
    pub fn provinces_raw(&self) -> &[u8] {
        &self.province
    }

    /// Raw years.
    pub fn years_raw(&self) -> &[u16] {
        &self.year
    }

    /// Raw kind codes ([`NONE`] when missing).
    pub fn kinds_raw(&self) -> &[u8] {
        &self.kind
    }

    /// Raw workers ([`MISSING`] when missing).
    pub fn workers_raw(&self) -> &[u32] {
        &self.workers
    }

    /// Heap bytes held by the columns, for the performance page and memory budgets.
    pub fn heap_bytes(&self) -> usize {
        self.id_text.capacity()
            + self.id_ends.capacity() * 4
            + self.province.capacity()
            + self.year.capacity() * 2
            + self.kind.capacity()
            + self.sector.capacity()
            + self.ntm.capacity()
            + self.stage.capacity()
            + self.members.capacity() * 4
            + self.workers.capacity() * 4
            + self.income.capacity() * 4
            + self.revenue.capacity() * 4
            + self.ocop_star.capacity()
            + self.ocop_products.capacity() * 4
            + self.ocop_5star.capacity() * 4
            + self.flags.capacity()
            + self.file_row.capacity() * 4
    }

    /// The (year, kind, province) index of a [clustered](Entities::cluster) table, built on the
    /// first call (one linear pass, a few kilobytes); `None` when the rows are not clustered or
    /// indexing would not pay. Filtered computations use it to read only the rows that can match
    /// (see [`super::index`]).
    pub fn index(&self) -> Option<&RowIndex> {
        self.index.0.get_or_init(|| RowIndex::build(self)).as_ref()
    }

    /// The years that have rows, ascending: read off the row index when there is one (a few
    /// hundred buckets, not a million years), else from every row.
    pub fn years_present(&self) -> Vec<u16> {
        match self.index() {
            Some(index) => index.years_present().collect(),
            None => {
                let mut seen = [false; 2101];
                for &y in &self.year {
                    if let Some(s) = seen.get_mut(y as usize) {
                        *s = true;
                    }
                }
                (0..=2100u16).filter(|&y| seen[y as usize]).collect()
            }
        }
    }

    /// The [partial sums](super::sums) of a clustered table, built on the first call (one pass
    /// over the rows) unless [`Entities::set_sums`] installed them; `None` without a row index.
    pub fn sums(&self) -> Option<&PartialSums> {
        self.index.1.get_or_init(|| PartialSums::build(self)).as_ref()
    }

    /// Installs partial sums built elsewhere (a slice at a time, see [`super::sums::Builder`]).
    /// Ignored when they are not of this table's size or when sums are already there.
    pub fn set_sums(&self, sums: PartialSums) {
        if sums.rows() == self.len() {
            let _ = self.index.1.set(Some(sums));
        }
    }

    /// Frees spare capacity left by over-estimated pre-sizing.
    pub fn shrink_to_fit(&mut self) {
        self.index = IndexCache::default();
        self.id_text.shrink_to_fit();
        self.id_ends.shrink_to_fit();
        self.province.shrink_to_fit();
        self.year.shrink_to_fit();
        self.kind.shrink_to_fit();
        self.sector.shrink_to_fit();
        self.ntm.shrink_to_fit();
        self.stage.shrink_to_fit();
        self.members.shrink_to_fit();
        self.workers.shrink_to_fit();
        self.income.shrink_to_fit();
        self.revenue.shrink_to_fit();
        self.ocop_star.shrink_to_fit();
        self.ocop_products.shrink_to_fit();
        self.ocop_5star.shrink_to_fit();
        self.flags.shrink_to_fit();
        self.file_row.shrink_to_fit();
    }
}

/// A clustering of an [`Entities`] under way, one column at a time, so that a million rows never
/// hold the browser's main thread for long (the sliced parser, [`super::incremental`], moves a few
/// columns between two paints). [`Entities::cluster`] runs every step at once.
///
/// Between [`Clustering::start`] and the step that returns `true`, the table is half moved and
/// must not be read.
#[derive(Debug)]
pub struct Clustering {
    /// Where each current row goes.
    dest: Vec<u32>,
    /// The next unit of work: 0 = ids and file rows, then one column each.
    next: usize,
}

/// Units of work: ids and file rows, then the 14 other columns.
const CLUSTER_UNITS: usize = 15;

impl Clustering {
    /// Plans the clustering of `e`: `None` when its rows are already in order (nothing to do) or
    /// it cannot be indexed. Costs two passes over the year, kind and province columns.
    pub fn start(e: &mut Entities) -> Option<Clustering> {
        let dest = super::index::clustering_destinations(e)?;
        if e.id_ends.len() != dest.len() {
            return None;
        }
        e.index = IndexCache::default();
        Some(Clustering { dest, next: 0 })
    }

    /// Share of the work done, 0 to 1.
    pub fn fraction(&self) -> f64 {
        self.next as f64 / CLUSTER_UNITS as f64
    }

    /// Moves the next columns of `e`, about `budget` bytes of them (at least one column); `true`
    /// once every column has moved.
    pub fn step(&mut self, e: &mut Entities, budget: usize) -> bool {
        // Each row is written to its new place (a scatter: reading the columns in order and
        // writing at random is about twice as fast as reading at random).
        fn scatter<T: Copy + Default>(v: &mut Vec<T>, dest: &[u32]) -> usize {
            if v.len() == dest.len() {
                let mut out = vec![T::default(); v.len()];
                for (x, &d) in v.iter().zip(dest) {
                    if let Some(slot) = out.get_mut(d as usize) {
                        *slot = *x;
                    }
                }
                *v = out;
            }
            v.len() * std::mem::size_of::<T>()
        }
        let dest = &self.dest[..];
        let mut spent = 0;
        while self.next < CLUSTER_UNITS && (spent == 0 || spent < budget) {
            spent += match self.next {
                0 => move_ids(e, dest),
                1 => scatter(&mut e.province, dest),
                2 => scatter(&mut e.kind, dest),
                3 => scatter(&mut e.sector, dest),
                4 => scatter(&mut e.ntm, dest),
                5 => scatter(&mut e.stage, dest),
                6 => scatter(&mut e.ocop_star, dest),
                7 => scatter(&mut e.flags, dest),
                8 => scatter(&mut e.year, dest),
                9 => scatter(&mut e.members, dest),
                10 => scatter(&mut e.workers, dest),
                11 => scatter(&mut e.ocop_products, dest),
                12 => scatter(&mut e.ocop_5star, dest),
                13 => scatter(&mut e.income, dest),
                14 => scatter(&mut e.revenue, dest),
                _ => 1,
            }
            .max(1);
            self.next += 1;
        }
        self.next >= CLUSTER_UNITS
    }
}

/// Moves the ids (their lengths go to the new places, the new ends follow, then each id's bytes)
/// and records each row's file row. Returns the bytes moved.
fn move_ids(e: &mut Entities, dest: &[u32]) -> usize {
    let n = dest.len();
    let mut ends = vec![0u32; n];
    for (i, &d) in dest.iter().enumerate() {
        if let Some(slot) = ends.get_mut(d as usize) {
            *slot = e.id(i).len() as u32;
        }
    }
    let mut total = 0u32;
    for end in ends.iter_mut() {
        total = total.saturating_add(*end);
        *end = total;
    }
    let mut text = vec![0u8; total as usize];
    for (i, &d) in dest.iter().enumerate() {
        let end = ends.get(d as usize).map_or(0, |&x| x as usize);
        let id = e.id(i).as_bytes();
        if let Some(slot) = text.get_mut(end.saturating_sub(id.len())..end) {
            slot.copy_from_slice(id);
        }
    }
    let mut rows = vec![0u32; n];
    for (i, &d) in dest.iter().enumerate() {
        if let Some(r) = rows.get_mut(d as usize) {
            *r = u32::try_from(e.file_row(i)).unwrap_or(u32::MAX);
        }
    }
    // Whole ids copied into slots that tile the buffer: valid UTF-8, so this always succeeds
    // (checked rather than assumed, without `unsafe`).
    if let Ok(text) = String::from_utf8(text) {
        e.id_text = text;
        e.id_ends = ends;
    }
    e.file_row = rows;
    e.id_text.len() + n * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_row() -> Row {
        Row {
            sector: Some(Sector::Nn),
            members: Some(120),
            workers: Some(15),
            income: Some(5_500_000.0),
            revenue: Some(2_300.5),
            high_tech: Some(true),
            value_chain: Some(false),
            ntm: Some(Ntm::Advanced),
            ocop_star: Some(4),
            ocop_products: Some(3),
            ocop_5star: Some(0),
            trademark: None,
            stage: Some(Stage::Both),
            ethnic_area: Some(false),
            ..Row::new("HTX-19-0001", 7, 2024, Kind::Htx)
        }
    }

    #[test]
    fn rows_round_trip() {
        let mut e = Entities::new();
        let a = full_row();
        let b = Row::new("THT-01-7", 0, 2019, Kind::Tht);
        e.push(&a);
        e.push(&b);
        assert_eq!(e.len(), 2);
        assert_eq!(e.row(0), Some(a));
        assert_eq!(e.row(1), Some(b));
        assert_eq!(e.row(2), None);
        assert_eq!(e.id(1), "THT-01-7");
        assert_eq!(e.id(5), "");
    }

    #[test]
    fn flags_are_tri_state() {
        let cases = [
            (None, None),
            (Some(false), Some(false)),
            (Some(true), Some(true)),
        ];
        for k in [
            flag::HIGH_TECH,
            flag::VALUE_CHAIN,
            flag::TRADEMARK,
            flag::ETHNIC_AREA,
        ] {
            for (set, want) in cases {
                let f = set_flag(0xFF, k, set);
                assert_eq!(get_flag(f, k), want, "flag {k} set {set:?}");
                let g = set_flag(0, k, set);
                assert_eq!(get_flag(g, k), want);
            }
        }
    }

    #[test]
    fn extend_keeps_ids() {
        let mut a = Entities::new();
        a.push(&Row::new("A", 1, 2020, Kind::Htx));
        let mut b = Entities::new();
        b.push(&Row::new("BB", 2, 2021, Kind::Dn));
        b.push(&Row::new("CCC", 3, 2021, Kind::Hkd));
        a.extend_from(&b);
        assert_eq!(a.len(), 3);
        assert_eq!((a.id(0), a.id(1), a.id(2)), ("A", "BB", "CCC"));
        assert_eq!(a.kind(2), Some(Kind::Hkd));
    }

    #[test]
    fn million_rows_fit_the_budget() {
        // Per-row cost measured on pre-sized columns with 12-byte ids.
        let e = Entities::with_capacity(1000);
        let per_row = e.heap_bytes() / 1000;
        assert!(per_row <= 60, "{per_row} bytes per row");
    }

    #[test]
    fn income_precision_is_documented() {
        let mut e = Entities::new();
        let mut r = Row::new("x", 0, 2024, Kind::Htx);
        r.income = Some(199_999_999.0);
        e.push(&r);
        let got = e.income(0).unwrap_or(0.0);
        assert!((got - 199_999_999.0).abs() <= 16.0, "{got}");
    }
}
