//! Probe: what calamine costs in a wasm that reads the first sheet of an .xlsx into cells.
use std::io::Cursor;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

#[no_mangle]
pub extern "C" fn alloc(n: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(n);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

#[no_mangle]
pub extern "C" fn cells(ptr: *mut u8, len: usize) -> u32 {
    let bytes = unsafe { Vec::from_raw_parts(ptr, len, len) };
    let Ok(mut wb) = open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) else { return u32::MAX };
    let Some(Ok(range)) = wb.worksheet_range_at(0) else { return u32::MAX - 1 };
    let mut n = 0u32;
    for row in range.rows() {
        for c in row {
            let s = match c {
                Data::String(s) => s.len(),
                Data::Float(f) => format!("{f}").len(),
                Data::DateTime(d) => d.as_f64() as usize,
                _ => 0,
            };
            n = n.wrapping_add(s as u32);
        }
    }
    n
}
