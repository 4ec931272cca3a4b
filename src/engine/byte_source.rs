//! Where a file's bytes are read from while it is parsed in slices ([`super::incremental`]).
//!
//! Why not a `&[u8]`: in the browser a million-row file is ≈ 60 MB, and wasm linear memory never
//! shrinks, so bytes copied into it stay counted for the life of the page. The app keeps the file
//! in a JavaScript `Uint8Array` instead (`crate::js_bytes::JsBytes`) and the parser copies only the
//! ranges it needs into a small reused buffer: the scanner a chunk at a time, each batch its slices.
//! Natively (tests, command line) the source is simply a `Vec<u8>`.
//!
//! The parser holds a `Box<dyn ByteSource>`, not a generic parameter: the app wasm then carries one
//! copy of the parser's code whatever the source.

/// A read-only sequence of bytes that can be copied out range by range.
pub trait ByteSource {
    /// Number of bytes.
    fn len(&self) -> usize;

    /// Whether there are no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends bytes `start..end` to `out`, clamped to the source (an empty or reversed range
    /// appends nothing). Never panics.
    fn append_range(&self, start: usize, end: usize, out: &mut Vec<u8>);

    /// Every byte, as an owned vector (for the whole-file parse of small or malformed files).
    /// The default copies; a `Vec` hands itself over.
    fn into_vec(self: Box<Self>) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        self.append_range(0, self.len(), &mut out);
        out
    }
}

impl ByteSource for Vec<u8> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn append_range(&self, start: usize, end: usize, out: &mut Vec<u8>) {
        self.as_slice().append_range(start, end, out);
    }

    fn into_vec(self: Box<Self>) -> Vec<u8> {
        *self
    }
}

/// A borrowed slice: the own-data worker's messages (`checker::protocol`) are read through the
/// same reader as a packed dataset (`wire::Reader`), without copying them into a `Vec` first.
impl ByteSource for &[u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn append_range(&self, start: usize, end: usize, out: &mut Vec<u8>) {
        let end = end.min(<[u8]>::len(self));
        if let Some(part) = self.get(start..end) {
            out.extend_from_slice(part);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_clamped_and_appended() {
        let src: Box<dyn ByteSource> = Box::new(b"abcdef".to_vec());
        let mut out = b"x".to_vec();
        src.append_range(1, 3, &mut out);
        assert_eq!(out, b"xbc");
        src.append_range(4, 100, &mut out);
        assert_eq!(out, b"xbcef");
        src.append_range(5, 2, &mut out);
        src.append_range(100, 200, &mut out);
        assert_eq!(out, b"xbcef");
        assert_eq!(src.len(), 6);
        assert!(!src.is_empty());
        assert_eq!(src.into_vec(), b"abcdef");
        // A borrowed slice clamps the same way.
        let slice: &[u8] = b"abcdef";
        let mut out = Vec::new();
        slice.append_range(4, 100, &mut out);
        slice.append_range(5, 2, &mut out);
        slice.append_range(100, 200, &mut out);
        assert_eq!((out.as_slice(), ByteSource::len(&slice)), (&b"ef"[..], 6));
    }

    /// A source without its own `into_vec` gets the default copy.
    struct Plain(Vec<u8>);

    impl ByteSource for Plain {
        fn len(&self) -> usize {
            self.0.len()
        }
        fn append_range(&self, start: usize, end: usize, out: &mut Vec<u8>) {
            self.0.append_range(start, end, out);
        }
    }

    #[test]
    fn the_default_into_vec_copies_everything() {
        let src: Box<dyn ByteSource> = Box::new(Plain(b"{\"a\":1}".to_vec()));
        assert_eq!(src.into_vec(), b"{\"a\":1}");
        let empty: Box<dyn ByteSource> = Box::new(Plain(Vec::new()));
        assert!(empty.is_empty());
        assert!(empty.into_vec().is_empty());
    }
}
