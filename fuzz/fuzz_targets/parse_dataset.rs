//! Fuzz target: any bytes given to the dataset parser must yield a dataset or a report, never a
//! panic, an overflow of the stack or an endless loop. A parsed dataset must also survive the
//! indicator engine (compute_all and a grouped computation).
#![no_main]

use coop_atlas::engine::filter::Filter;
use coop_atlas::engine::indicators::{builtins, compute, compute_all, GroupBy};
use coop_atlas::engine::parse::{parse_dataset, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_dataset(data, &Limits::default()) {
        Ok(parsed) => {
            let ds = parsed.dataset;
            let all = compute_all(&ds, &Filter::default());
            assert_eq!(all.len(), builtins().len());
            if let Some(def) = builtins().first() {
                let _ = compute(&ds, def, &Filter::default(), GroupBy::Province);
            }
        }
        Err(report) => assert!(report.has_errors()),
    }
});
