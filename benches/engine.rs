//! Engine benchmark (hand-written, no criterion): for 100,000 and 1,000,000 generated rows, times
//! parse+validate, `compute_all` for one filter state, one filtered group-by and a regroup into the
//! other boundary. Each step is warmed up, then the median of N runs is printed in a table.
//!
//! Run: `cargo bench --bench engine` (optionally `-- 100000` to run one size only).
//! The figures go into docs/performance.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use coop_atlas::engine::dataset::Subset;
use coop_atlas::engine::filter::Filter;
use coop_atlas::engine::indicators::{builtin, compute, compute_all, regroup_to_34, GroupBy};
use coop_atlas::engine::parse::{parse_dataset, parse_dataset_in_file_order, Limits};
use coop_atlas::engine::provinces::registry;
use coop_atlas::engine::vocab::{Boundary, Kind};
use coop_atlas::synth::scale::generate;

fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    black_box(f()); // warm-up
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

fn main() {
    let sizes: Vec<usize> = match std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
    {
        Some(n) => vec![n],
        None => vec![100_000, 1_000_000],
    };
    let limits = Limits {
        max_bytes: 400_000_000,
    };
    println!("| rows | file MB | step | median ms | runs |");
    println!("|---:|---:|---|---:|---:|");
    for n in sizes {
        let text = generate(n, 42);
        let bytes = text.as_bytes();
        let mb = bytes.len() as f64 / 1e6;
        let runs = if n >= 1_000_000 { 5 } else { 11 };
        let row = |step: &str, d: Duration, runs: usize| {
            println!("| {n} | {mb:.1} | {step} | {} | {runs} |", ms(d))
        };

        let t = median_of(runs, || {
            parse_dataset(bytes, &limits).map(|p| p.dataset.entities.len())
        });
        row("parse + validate (columnar JSON)", t, runs);
        let ds = match parse_dataset(bytes, &limits) {
            Ok(p) => p.dataset,
            Err(r) => panic!("generated data must parse: {r}"),
        };
        println!(
            "| {n} | {mb:.1} | (entities heap: {:.1} MB) | | |",
            ds.entities.heap_bytes() as f64 / 1e6
        );
        // The packed form the page decodes (engine::wire), in the steps the page yields between:
        // the whole decode, and its longest step (the page's longest task while a file loads).
        let packed = coop_atlas::engine::wire::encode(&ds);
        let t = median_of(runs, || coop_atlas::engine::wire::decode(&packed).map(|d| d.entities.len()));
        row("decode the packed form (wire)", t, runs);
        // The median over runs of each run's longest step (not the time of the whole run).
        let mut longest: Vec<Duration> = (0..runs)
            .map(|_| {
                let mut decoder = coop_atlas::engine::wire::Decoder::new(&packed);
                let mut longest = Duration::ZERO;
                loop {
                    let start = Instant::now();
                    let done = black_box(decoder.step()).map(|d| d.is_some());
                    longest = longest.max(start.elapsed());
                    if !matches!(done, Ok(false)) {
                        break longest;
                    }
                }
            })
            .collect();
        longest.sort();
        let t = longest[longest.len() / 2];
        row("(of which the longest decode step)", t, runs);
        // The part of parsing that stores rows by (year, kind, province): the generated rows are
        // in random order, so every row moves.
        let unclustered = match parse_dataset_in_file_order(bytes, &limits) {
            Ok(p) => p.dataset.entities,
            Err(r) => panic!("generated data must parse: {r}"),
        };
        // Timed without the clone that gives each run rows to move.
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let mut e = unclustered.clone();
                let t = Instant::now();
                e.cluster();
                black_box(e.len());
                t.elapsed()
            })
            .collect();
        times.sort();
        row("(of which clustering by year, kind, province)", times[times.len() / 2], runs);

        let all = Filter::default();
        let t = median_of(runs * 2, || compute_all(&ds, &all));
        row("compute_all, no filter (20 built-ins)", t, runs * 2);
        let one_year = Filter {
            years: Some((2024, 2024)),
            ..Filter::default()
        };
        let t = median_of(runs * 2, || compute_all(&ds, &one_year));
        row("compute_all, year 2024", t, runs * 2);

        let reg = registry();
        let fourteen: Vec<u8> = reg
            .provinces(Boundary::P63)
            .iter()
            .take(14)
            .map(|p| p.index)
            .collect();
        let f = Filter {
            years: Some((2024, 2024)),
            provinces: fourteen,
            rows: Subset { kinds: vec![Kind::Htx], ..Subset::default() },
            ..Filter::default()
        };
        let ids = ["htx_count", "workers", "income_avg", "htx_high_tech_share"];
        let defs: Vec<_> = ids.iter().filter_map(|id| builtin(id)).collect();
        let t = median_of(runs * 2, || {
            defs.iter()
                .map(|d| compute(&ds, d, &f, GroupBy::Province))
                .collect::<Vec<_>>()
        });
        row(
            "group by province: 1 year, 1 kind, 14 provinces, 4 indicators",
            t,
            runs * 2,
        );

        let results: Vec<_> = defs
            .iter()
            .map(|d| compute(&ds, d, &Filter::default(), GroupBy::Province))
            .collect();
        let t = median_of(runs * 2, || {
            results
                .iter()
                .zip(&defs)
                .map(|(r, d)| regroup_to_34(r, d.measure))
                .collect::<Vec<_>>()
        });
        row("regroup 63 → 34 of 4 by-province results", t, runs * 2);
        let v34 = Filter {
            view: Boundary::P34,
            ..Filter::default()
        };
        let t = median_of(runs * 2, || {
            defs.iter()
                .map(|d| compute(&ds, d, &v34, GroupBy::Province))
                .collect::<Vec<_>>()
        });
        row(
            "group by province in the 34 view, 4 indicators, all rows",
            t,
            runs * 2,
        );
    }
}
