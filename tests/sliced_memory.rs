//! The sliced parser's peak memory (issue 8: at most 120 MB of wasm memory after loading a
//! million rows). Wasm memory never shrinks, so what counts is the peak while loading, not what is
//! left after. This binary counts every heap byte (its own global allocator, hence its own test
//! file with a single test) and checks that, beyond the file itself, the peak is the merged columns,
//! the duplicate-id table and one batch's working set: no column doubling while rows are appended,
//! no growing hash map.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use coop_atlas::engine::incremental::{IncrementalParser, BATCH_ROWS};
use coop_atlas::engine::parse::Limits;
use coop_atlas::synth::scale::{generate_fields, BENCH_FIELDS};

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting bytes in use and their peak. A reallocation counts as a new
/// block allocated before the old one is freed: in wasm a moved vector's two buffers are alive
/// together, and this test must see that.
struct Counting;

fn grew(n: usize) {
    let now = NOW.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            grew(new_size);
            NOW.fetch_sub(layout.size(), Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[test]
fn the_sliced_load_peaks_at_the_columns_plus_the_id_table_and_one_batch() {
    let rows = 200_000;
    let bytes = generate_fields(rows, 42, &BENCH_FIELDS).into_bytes();
    let file = bytes.len();
    // From here on, count what the parse adds to the file (which in the browser is not even in
    // wasm memory).
    let base = NOW.load(Relaxed);
    PEAK.store(base, Relaxed);
    let mut parser = IncrementalParser::with_source(Box::new(bytes), Limits::default(), BATCH_ROWS);
    while !parser.step(1 << 20).finished {}
    let parsed = match parser.finish() {
        Ok(p) => p,
        Err(r) => panic!("the generated file was refused: {r}"),
    };
    let peak = PEAK.load(Relaxed) - base;
    let columns = parsed.dataset.entities.heap_bytes();
    assert_eq!(parsed.dataset.entities.len(), rows);
    let id_table = (2 * rows).next_power_of_two() * 4;
    // One batch: its document (≈ 60 bytes a row), the parser's columns and checks for it, the
    // scanner's chunk: about 3 MB for 10,000 rows; 4 MB allowed.
    let batch = 4 << 20;
    assert!(
        peak <= columns + id_table + batch,
        "peak {peak} bytes over the {file}-byte file: columns {columns}, id table {id_table}, batch allowance {batch}"
    );
    // And the columns were sized once, not left with a doubling's spare half.
    assert!(columns < rows * 64, "columns {columns} bytes for {rows} rows");
}
