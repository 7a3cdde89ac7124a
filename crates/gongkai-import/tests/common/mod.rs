//! Helpers shared by the integration tests.
#![allow(dead_code)]

use gongkai_import::{Cell, ImportReport};

pub const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Reads the seed whose file name starts with `prefix`. The seeds live in
/// `shared/` beside the repository; their absence is a test failure.
pub fn seed(prefix: &str) -> Vec<u8> {
    let dir = std::fs::read_dir(SEEDS).unwrap_or_else(|e| {
        panic!("seed directory {SEEDS} is missing ({e}); check out shared/ beside the repository")
    });
    let path = dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("seed {prefix}_*.txt not found in {SEEDS}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn fixture(name: &str) -> Vec<u8> {
    let p = format!("{FIXTURES}/{name}");
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read fixture {p}: {e}"))
}

pub fn cell<'a>(r: &'a ImportReport, table: &str, row: &str, col: &str) -> &'a Cell {
    r.cells
        .iter()
        .find(|c| c.table == table && c.row.as_deref() == Some(row) && c.col == col)
        .unwrap_or_else(|| panic!("cell {table}/{row}/{col} not extracted"))
}

pub fn value(r: &ImportReport, table: &str, row: &str, col: &str) -> Option<f64> {
    cell(r, table, row, col).value
}

pub fn rules(r: &ImportReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}
