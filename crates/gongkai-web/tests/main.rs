//! The crate's integration tests, as modules of one test binary: each
//! `tests/*.rs` file used to be its own binary linking the whole
//! dependency graph, which dominated build time. `every_test_file_is_listed`
//! keeps a new file from being silently skipped.

mod api_items;
mod api_openapi;
mod catalog_acceptance;
mod common;
mod console_appeals;
mod console_auth;
mod console_calendar;
mod console_item_due;
mod console_item_settings;
mod console_items;
mod console_mail;
mod console_orgs;
mod console_reports;
mod console_request_actions;
mod console_requests;
mod console_users;
mod portal;
mod portal_apply;
mod portal_catalog;
mod portal_search;
mod request_acceptance;
mod request_documents;

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
