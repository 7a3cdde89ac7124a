//! The crate's integration tests, as modules of one test binary: each
//! `tests/*.rs` file used to be its own binary linking the whole
//! dependency graph, which dominated build time. `every_test_file_is_listed`
//! keeps a new file from being silently skipped.

mod calendar_cli;
mod calendar_import_cli;
mod cli;
mod common;
mod demo_items_cli;
mod demo_notice_settings;
mod demo_requests_cli;
mod items_import_cli;
mod reindex_cli;
mod reports_cli;

#[test]
fn every_test_file_is_listed() {
    let main = include_str!("main.rs");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(&dir).expect("tests directory") {
        let path = entry.expect("directory entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && stem != "main" {
            assert!(
                main.lines().any(|l| l == format!("mod {stem};")),
                "tests/{stem}.rs is not listed in tests/main.rs, so it would never run"
            );
        }
    }
}
