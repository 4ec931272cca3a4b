//! A file's bytes held by JavaScript, read by the engine range by range (wasm only).
//!
//! Why: wasm linear memory never grows back down, so a 60 MB file copied into it costs 60 MB for
//! the life of the page. The app (`ui::own_data`) and the benchmark page (`coop-atlas-bench`) keep
//! the file in a `Uint8Array` instead; the sliced parser ([`crate::engine::incremental`]) copies
//! only the chunk it scans or the batch it parses, and IndexedDB stores the same array without a
//! round trip through wasm.

use js_sys::Uint8Array;

use crate::engine::byte_source::ByteSource;

/// A `Uint8Array` as the engine's [`ByteSource`].
pub struct JsBytes(pub Uint8Array);

impl ByteSource for JsBytes {
    fn len(&self) -> usize {
        self.0.length() as usize
    }

    fn append_range(&self, start: usize, end: usize, out: &mut Vec<u8>) {
        let end = end.min(self.len());
        if start >= end {
            return;
        }
        let at = out.len();
        out.resize(at + (end - start), 0);
        if let Some(dst) = out.get_mut(at..) {
            // Both ends fit in u32: a Uint8Array is shorter than 4 GiB in wasm32.
            self.0.subarray(start as u32, end as u32).copy_to(dst);
        }
    }
}
