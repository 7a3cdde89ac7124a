//! Any byte string must import without panicking, and the report must keep
//! its invariants: spans are ordered, cells come with a format, and the
//! report serialises to JSON (the CLI's `--json` output).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let r = gongkai_import::import(data, "fuzz");
    for c in &r.cells {
        assert!(c.span[0] <= c.span[1], "span {:?}", c.span);
    }
    if !r.cells.is_empty() {
        assert_ne!(r.format, gongkai_import::Format::None);
    }
    let _ = gongkai_import::audit::audit_cross_year(std::slice::from_ref(&r));
    serde_json::to_string(&r).expect("report serialises");
});
