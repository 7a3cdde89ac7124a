//! `canon.rs` is a hand-written copy of the project's key file
//! `crates/gongkai-core/data/annual-report-keys.json` (the keys the
//! importer's JSON output and the report generator share). These tests make
//! the two impossible to drift apart silently: every key and label must
//! match in both directions.

use std::collections::BTreeMap;

use gongkai_import::canon;
use serde_json::Value;

const KEYS_JSON: &str = include_str!("../../gongkai-core/data/annual-report-keys.json");

fn keys() -> Value {
    serde_json::from_str(KEYS_JSON).expect("annual-report-keys.json is valid JSON")
}

fn table<'a>(v: &'a Value, format: &str, table: &str) -> &'a Value {
    &v["formats"][format]["tables"][table]
}

/// A JSON object of `key: label` as an ordered map.
fn str_map(v: &Value, what: &str) -> BTreeMap<String, String> {
    v.as_object()
        .unwrap_or_else(|| panic!("{what} is not an object"))
        .iter()
        .map(|(k, l)| {
            let l = l
                .as_str()
                .unwrap_or_else(|| panic!("{what}.{k} is not a string"));
            (k.clone(), l.to_string())
        })
        .collect()
}

fn canon_map(rows: &[(&str, &str)]) -> BTreeMap<String, String> {
    let m: BTreeMap<String, String> = rows
        .iter()
        .map(|(k, l)| ((*k).to_string(), (*l).to_string()))
        .collect();
    assert_eq!(m.len(), rows.len(), "duplicate key in canon.rs");
    m
}

#[test]
fn stat_2014_rows_match_the_key_file() {
    let v = keys();
    let json = str_map(&table(&v, "2014", "stat")["rows"], "2014.stat.rows");
    assert_eq!(canon_map(canon::STAT_ROWS), json);
}

#[test]
fn t3_2021_rows_and_cols_match_the_key_file() {
    let v = keys();
    let t3 = table(&v, "2021", "t3");
    assert_eq!(
        canon_map(canon::T3_ROWS_2021),
        str_map(&t3["rows"], "2021.t3.rows")
    );
    assert_eq!(
        canon_map(canon::T3_COLS),
        str_map(&t3["cols"], "2021.t3.cols")
    );
}

/// The key file describes 2019 table 三 as "2021 except that （六）其他处理
/// is the single row `other`"; canon.rs spells the rows out.
#[test]
fn t3_2019_rows_are_the_2021_rows_with_a_single_other_row() {
    let v = keys();
    let t3 = table(&v, "2019", "t3");
    assert_eq!(t3["same_as"], "2021.t3");
    let except = t3["except"].as_str().expect("2019.t3.except");
    assert!(except.contains("key other"), "{except}");

    let mut want = str_map(&table(&v, "2021", "t3")["rows"], "2021.t3.rows");
    let no_correction = want["other.no_correction"].clone();
    want.retain(|k, _| !k.starts_with("other."));
    let heading = no_correction
        .split(' ')
        .next()
        .expect("the 2021 label starts with （六）其他处理");
    want.insert("other".into(), heading.to_string());
    assert_eq!(canon_map(canon::T3_ROWS_2019), want);
}

#[test]
fn t4_groups_and_cols_match_the_key_file() {
    let v = keys();
    let t4 = table(&v, "2021", "t4");
    assert_eq!(
        canon_map(canon::T4_GROUPS),
        str_map(&t4["groups"], "2021.t4.groups")
    );
    assert_eq!(
        canon_map(canon::T4_COLS),
        str_map(&t4["cols"], "2021.t4.cols")
    );
    assert_eq!(table(&v, "2019", "t4")["same_as"], "2021.t4");
}

fn check_t2(format: &str, rows: &[canon::T2Row]) {
    let v = keys();
    let cells = table(&v, format, "t2")["cells"]
        .as_array()
        .unwrap_or_else(|| panic!("{format}.t2.cells is not an array"));
    let json: Vec<(String, String, BTreeMap<String, String>)> = cells
        .iter()
        .map(|c| {
            (
                c["row"].as_str().expect("row").to_string(),
                c["label"].as_str().expect("label").to_string(),
                str_map(&c["cols"], "t2 cols"),
            )
        })
        .collect();
    let ours: Vec<(String, String, BTreeMap<String, String>)> = rows
        .iter()
        .map(|(row, label, cols)| (row.to_string(), label.to_string(), canon_map(cols)))
        .collect();
    assert_eq!(ours, json, "{format} table 二");
}

#[test]
fn t2_2021_rows_match_the_key_file() {
    check_t2("2021", canon::T2_2021);
}

#[test]
fn t2_2019_rows_match_the_key_file() {
    check_t2("2019", canon::T2_2019);
}

/// The importer claims the 2021, 2019 and 2014 national formats plus local
/// tables (which carry no keys); a new format or table in the key file must
/// be noticed here rather than silently ignored.
#[test]
fn every_national_table_in_the_key_file_is_covered() {
    let v = keys();
    let formats: Vec<&String> = v["formats"].as_object().expect("formats").keys().collect();
    assert_eq!(formats, ["2014", "2019", "2021", "local"]);
    for (format, want) in [
        ("2021", vec!["t2", "t3", "t4"]),
        ("2019", vec!["t2", "t3", "t4"]),
        ("2014", vec!["stat"]),
    ] {
        let got: Vec<&String> = v["formats"][format]["tables"]
            .as_object()
            .expect("tables")
            .keys()
            .collect();
        assert_eq!(got, want, "tables of format {format}");
    }
    assert!(v["formats"]["local"].get("tables").is_none());
}
