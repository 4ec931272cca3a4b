//! Partial sums: the accumulators of every built-in indicator, added up once per (year, kind,
//! province) bucket of a clustered table, so that a view filtered only by year, kind, province or
//! region adds up a few hundred buckets instead of reading its rows.
//!
//! Why: the first dashboard of a new dataset computes the cards (every built-in, for the year and
//! the year before), the map (one indicator by province) and the table (seven indicators by
//! province), each a pass over the rows the view selects. Over a million rows of one year that
//! was one reactive update of 60–90 ms in the browser (docs/performance.md, "Your own data"),
//! and every filter change paid it again. Those views filter by nothing the row index does not
//! already separate, so the rows of one bucket always count together: their sums can be taken
//! once per dataset. Views that filter rows by anything else (sector, NTM, stage, flags) still
//! read rows ([`super::filter::Compiled::bucket_exact`] says which).
//!
//! What is kept per bucket ([`Part`]) is kind-agnostic: the kind is the bucket's, so which
//! built-in a bucket feeds, and how, is decided when the buckets are added up ([`Builtin::of`]),
//! with the same rules as the row-by-row [`super::indicators::compute_many`] (tests compare both
//! for every built-in). A median cannot be added up: it is still taken from the rows of the
//! chosen buckets (one column, contiguous ranges), see [`PartialSums::members_of`].
//!
//! Cost: one pass over the rows, which the page runs in slices ([`Builder::step`]) while a file
//! loads; about 130 bytes per non-empty bucket (six years × seven kinds × 64 provinces: under
//! 350 KB).

use super::columns::{flag, get_flag, Entities, MISSING, NONE};
use super::index::{RowIndex, KIND_SLOTS};
use super::vocab::{Kind, Ntm, Stage};

/// The accumulators of one bucket's rows (any kind: see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Part {
    /// Rows.
    pub rows: u32,
    /// Σ workers over rows that give it…
    pub workers_sum: u64,
    /// …and how many give it.
    pub workers_n: u32,
    /// Σ income × workers over rows that give both…
    pub inc_num: f64,
    /// …Σ workers over them…
    pub inc_den: f64,
    /// …and how many they are.
    pub inc_n: u32,
    /// Σ members over rows that give it…
    pub mem_sum: u64,
    /// …and how many give it.
    pub mem_n: u32,
    /// High technology: rows where it is yes…
    pub ht_yes: u32,
    /// …and where it is known.
    pub ht_known: u32,
    /// Value chain: rows where it is yes…
    pub vc_yes: u32,
    /// …and where it is known.
    pub vc_known: u32,
    /// Trademark: rows where it is yes…
    pub tm_yes: u32,
    /// …and where it is known.
    pub tm_known: u32,
    /// Commune meets the new-rural standard at some level (NTM known and not "none").
    pub ntm_met: u32,
    /// Service stage known…
    pub stage_known: u32,
    /// …and of those, serving outputs (output or both).
    pub stage_out: u32,
    /// A product rated 3 stars or more (star known and ≥ 3).
    pub ocop3: u32,
    /// Σ 5-star products over rows that give it…
    pub ocop5_sum: u64,
    /// …and how many give it.
    pub ocop5_n: u32,
}

fn yes_known(f: u8, k: u8, yes: &mut u32, known: &mut u32) {
    if let Some(b) = get_flag(f, k) {
        *known += 1;
        *yes += u32::from(b);
    }
}

impl Part {
    /// Adds row `i` of `e`.
    #[inline]
    fn add_row(&mut self, e: &Entities, i: usize) {
        self.rows += 1;
        let w = e.workers.get(i).copied().unwrap_or(MISSING);
        if w != MISSING {
            self.workers_sum += u64::from(w);
            self.workers_n += 1;
            let inc = e.income.get(i).copied().unwrap_or(f32::NAN);
            if !inc.is_nan() {
                self.inc_num += inc as f64 * w as f64;
                self.inc_den += w as f64;
                self.inc_n += 1;
            }
        }
        let m = e.members.get(i).copied().unwrap_or(MISSING);
        if m != MISSING {
            self.mem_sum += u64::from(m);
            self.mem_n += 1;
        }
        let f = e.flags.get(i).copied().unwrap_or(0);
        yes_known(f, flag::HIGH_TECH, &mut self.ht_yes, &mut self.ht_known);
        yes_known(f, flag::VALUE_CHAIN, &mut self.vc_yes, &mut self.vc_known);
        yes_known(f, flag::TRADEMARK, &mut self.tm_yes, &mut self.tm_known);
        let nt = e.ntm.get(i).copied().unwrap_or(NONE);
        self.ntm_met += u32::from(nt != NONE && nt != Ntm::None.index());
        let st = e.stage.get(i).copied().unwrap_or(NONE);
        if st != NONE {
            self.stage_known += 1;
            self.stage_out += u32::from(st != Stage::Input.index());
        }
        let star = e.ocop_star.get(i).copied().unwrap_or(NONE);
        self.ocop3 += u32::from(star != NONE && star >= 3);
        let o5 = e.ocop_5star.get(i).copied().unwrap_or(MISSING);
        if o5 != MISSING {
            self.ocop5_sum += u64::from(o5);
            self.ocop5_n += 1;
        }
    }
}

/// One non-empty bucket: its key, where its rows lie, and their sums.
#[derive(Clone, Debug, PartialEq)]
pub struct Bucket {
    pub year: u16,
    /// Kind slot ([`super::index::KIND_SLOTS`]): the kind's code, or the last slot for rows
    /// without a kind.
    pub kind_slot: u8,
    /// Province index in the dataset's boundary ([`NONE`] for rows without one).
    pub province: u8,
    /// First stored row…
    pub start: u32,
    /// …and one past the last.
    pub end: u32,
    /// The sums of those rows.
    pub part: Part,
}

impl Bucket {
    /// The bucket's kind (`None` for rows without a kind).
    pub fn kind(&self) -> Option<Kind> {
        if (self.kind_slot as usize) < KIND_SLOTS - 1 {
            Kind::from_index(self.kind_slot)
        } else {
            None
        }
    }
}

/// The partial sums of a table (see the module docs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartialSums {
    rows: usize,
    buckets: Vec<Bucket>,
}

impl PartialSums {
    /// Computes them in one go (a small table, or natively); `None` when `e` has no row index.
    pub fn build(e: &Entities) -> Option<PartialSums> {
        let mut b = Builder::new(e)?;
        while !b.step(e, usize::MAX) {}
        b.finish(e)
    }

    /// The non-empty buckets, in stored order.
    pub fn buckets(&self) -> &[Bucket] {
        &self.buckets
    }

    /// The rows of the table they were built from.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Heap bytes held (for memory budgets).
    pub fn heap_bytes(&self) -> usize {
        self.buckets.capacity() * std::mem::size_of::<Bucket>()
    }

    /// The members of the cooperatives of the buckets `keep` accepts, for a median: read from the
    /// members column, one contiguous range per bucket (only cooperative buckets are read).
    pub fn members_of(&self, e: &Entities, mut keep: impl FnMut(&Bucket) -> bool) -> Vec<f64> {
        let htx = Kind::Htx.index();
        let mut out = Vec::new();
        for b in self.buckets.iter().filter(|b| b.kind_slot == htx && b.part.mem_n > 0) {
            if !keep(b) {
                continue;
            }
            let col = e.members.get(b.start as usize..b.end as usize).unwrap_or(&[]);
            out.extend(col.iter().filter(|&&m| m != MISSING).map(|&m| m as f64));
        }
        out
    }
}

/// Builds [`PartialSums`] a slice of rows at a time, so the page can yield between slices.
#[derive(Clone, Debug)]
pub struct Builder {
    rows: usize,
    todo: Vec<(u16, u8, u8, u32, u32)>,
    next: usize,
    at: usize,
    done: usize,
    buckets: Vec<Bucket>,
}

impl Builder {
    /// A builder for `e`; `None` when `e` has no row index (not clustered: no buckets).
    pub fn new(e: &Entities) -> Option<Builder> {
        let index: &RowIndex = e.index()?;
        let todo: Vec<(u16, u8, u8, u32, u32)> =
            index.buckets().map(|(y, k, p, s, t)| (y, k as u8, p, s as u32, t as u32)).collect();
        let at = todo.first().map_or(0, |t| t.3 as usize);
        Some(Builder { rows: e.len(), buckets: Vec::with_capacity(todo.len()), todo, next: 0, at, done: 0 })
    }

    /// Adds up to `budget` rows (at least one); `true` once every bucket is done.
    pub fn step(&mut self, e: &Entities, budget: usize) -> bool {
        let mut left = budget.max(1);
        while let Some(&(year, kind_slot, province, start, end)) = self.todo.get(self.next) {
            if self.buckets.len() == self.next {
                self.buckets.push(Bucket { year, kind_slot, province, start, end, part: Part::default() });
                self.at = start as usize;
            }
            let stop = (end as usize).min(self.at.saturating_add(left));
            if let Some(part) = self.buckets.last_mut().map(|b| &mut b.part) {
                for i in self.at..stop {
                    part.add_row(e, i);
                }
            }
            left -= stop - self.at;
            self.done += stop - self.at;
            self.at = stop;
            if stop == end as usize {
                self.next += 1;
            }
            if left == 0 {
                break;
            }
        }
        self.next >= self.todo.len()
    }

    /// How far it has come, in rows (for a progress bar).
    pub fn rows_done(&self) -> usize {
        self.done
    }

    /// The sums, once [`Builder::step`] has returned `true`; `None` before, or when `e` is not the
    /// table the builder was made for (row count changed).
    pub fn finish(self, e: &Entities) -> Option<PartialSums> {
        (self.next >= self.todo.len() && self.rows == e.len())
            .then_some(PartialSums { rows: self.rows, buckets: self.buckets })
    }
}

/// The built-ins whose figures are added up from [`Part`]s (every one but the median).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    HtxCount,
    ThtCount,
    QtdndCount,
    Workers,
    IncomeAvg,
    MembersPerHtx,
    HtxHighTech,
    HtxHighTechShare,
    ValueChainUnits,
    ValueChainShare,
    HtxNtm,
    OcopSubjects,
    Ocop5starProducts,
    OcopShare(Kind),
    HtxOutputShare,
    HtxTrademarkShare,
}

/// What one bucket adds to one built-in: `n` rows that pass its `of` with the values it needs
/// (adding `num` and `den`), and `missing` rows that pass `of` but lack a value. As in
/// [`super::indicators::compute_many`], a group is touched when `n + missing > 0`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Contribution {
    pub n: u32,
    pub num: f64,
    pub den: f64,
    pub missing: u32,
}

fn count(n: u32) -> Contribution {
    Contribution { n, num: n as f64, den: n as f64, missing: 0 }
}

fn sum(s: u64, n: u32, rows: u32) -> Contribution {
    Contribution { n, num: s as f64, den: n as f64, missing: rows - n }
}

fn share(yes: u32, known: u32, rows: u32) -> Contribution {
    Contribution { n: known, num: yes as f64, den: known as f64, missing: rows - known }
}

impl Builtin {
    /// The built-in of that id, when it can be added up from buckets.
    pub fn from_id(id: &str) -> Option<Builtin> {
        use Builtin::*;
        Some(match id {
            "htx_count" => HtxCount,
            "tht_count" => ThtCount,
            "qtdnd_count" => QtdndCount,
            "workers" => Workers,
            "income_avg" => IncomeAvg,
            "members_per_htx" => MembersPerHtx,
            "htx_high_tech" => HtxHighTech,
            "htx_high_tech_share" => HtxHighTechShare,
            "value_chain_units" => ValueChainUnits,
            "value_chain_share" => ValueChainShare,
            "htx_ntm" => HtxNtm,
            "ocop_subjects" => OcopSubjects,
            "ocop_5star_products" => Ocop5starProducts,
            "ocop_share_htx" => OcopShare(Kind::Htx),
            "ocop_share_dn" => OcopShare(Kind::Dn),
            "ocop_share_hkd" => OcopShare(Kind::Hkd),
            "ocop_share_tht" => OcopShare(Kind::Tht),
            "htx_output_share" => HtxOutputShare,
            "htx_trademark_share" => HtxTrademarkShare,
            _ => return None,
        })
    }

    /// What a bucket of kind `kind` with sums `p` adds to this built-in (zero when its rows are
    /// not of the indicator's kinds).
    pub fn of(self, kind: Option<Kind>, p: &Part) -> Contribution {
        use Builtin::*;
        let htx = kind == Some(Kind::Htx);
        let collective = kind.is_some_and(Kind::is_collective);
        let none = Contribution::default();
        match self {
            HtxCount => if htx { count(p.rows) } else { none },
            ThtCount => if kind == Some(Kind::Tht) { count(p.rows) } else { none },
            QtdndCount => if kind == Some(Kind::Qtdnd) { count(p.rows) } else { none },
            Workers => if collective { sum(p.workers_sum, p.workers_n, p.rows) } else { none },
            IncomeAvg if collective => {
                Contribution { n: p.inc_n, num: p.inc_num, den: p.inc_den, missing: p.rows - p.inc_n }
            }
            IncomeAvg => none,
            MembersPerHtx => if htx { sum(p.mem_sum, p.mem_n, p.rows) } else { none },
            HtxHighTech => if htx { count(p.ht_yes) } else { none },
            HtxHighTechShare => if htx { share(p.ht_yes, p.ht_known, p.rows) } else { none },
            ValueChainUnits => if collective { count(p.vc_yes) } else { none },
            ValueChainShare => if collective { share(p.vc_yes, p.vc_known, p.rows) } else { none },
            HtxNtm => if htx { count(p.ntm_met) } else { none },
            OcopSubjects => count(p.ocop3),
            Ocop5starProducts => sum(p.ocop5_sum, p.ocop5_n, p.rows),
            // Of the OCOP subjects, those of kind `k`: a subject without a kind is unknown.
            OcopShare(k) => match kind {
                None => Contribution { missing: p.ocop3, ..none },
                Some(bk) => Contribution {
                    n: p.ocop3,
                    num: if bk == k { p.ocop3 as f64 } else { 0.0 },
                    den: p.ocop3 as f64,
                    missing: 0,
                },
            },
            HtxOutputShare => if htx { share(p.stage_out, p.stage_known, p.rows) } else { none },
            HtxTrademarkShare => if htx { share(p.tm_yes, p.tm_known, p.rows) } else { none },
        }
    }
}
