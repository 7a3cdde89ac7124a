//! `gongkai calendar due`: the scripted interface to the deadline clock.

use crate::common;

use common::gongkai;

#[test]
fn first_line_is_the_due_date_alone_then_the_explanation() {
    let (code, out, err) = gongkai(&["calendar", "due", "--received", "2024-09-27"]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("2024-10-30"));
    let rest: Vec<&str> = lines.collect();
    assert!(rest[0].starts_with("起算日：2024-09-27（星期五）"), "{out}");
    assert!(
        rest.iter()
            .any(|l| l.contains("含调休上班日 09-29") && l.contains("10-12")),
        "{out}"
    );
    assert_eq!(
        rest.last(),
        Some(&"届满日：2024-10-30（星期三），共计入 20 个工作日")
    );
}

#[test]
fn suspensions_and_other_periods() {
    let (code, out, _) = gongkai(&[
        "calendar",
        "due",
        "--received",
        "2024-09-27",
        "--suspend",
        "2024-10-09..2024-10-11",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().next(), Some("2024-11-04"));
    assert!(out.contains("暂停  2024-10-09 至 2024-10-11"));

    let (code, out, _) = gongkai(&[
        "calendar",
        "due",
        "--received",
        "2024-09-27",
        "--working-days",
        "7",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().next(), Some("2024-10-12"));
}

#[test]
fn a_year_without_data_is_an_error_and_extra_data_fixes_it() {
    let (code, out, err) = gongkai(&["calendar", "due", "--received", "2026-12-10"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("2027"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2027.toml");
    std::fs::write(
        &file,
        "[y2027]\nnotice = \"test notice\"\noff = [\"2027-01-01\"]\nwork = []\n",
    )
    .unwrap();
    let (code, out, err) = gongkai(&[
        "calendar",
        "due",
        "--received",
        "2026-12-10",
        "--calendar",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // 12-11, 12-14..18, 12-21..25, 12-28..31 = 15 days; 2027-01-01 off; 01-04..08 = 20.
    assert_eq!(out.lines().next(), Some("2027-01-08"));

    std::fs::write(&file, "[y2027]\nnotice = \"x\"\noff = [\"2027-02-30\"]\n").unwrap();
    let (code, _, err) = gongkai(&[
        "calendar",
        "due",
        "--received",
        "2026-12-10",
        "--calendar",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("2027.toml") && err.contains("2027-02-30"),
        "{err}"
    );
}

#[test]
fn bad_arguments_name_the_flag() {
    let (code, _, err) = gongkai(&["calendar", "due", "--received", "27/09/2024"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--received") && err.contains("YYYY-MM-DD"),
        "{err}"
    );
    let (code, _, err) = gongkai(&[
        "calendar",
        "due",
        "--received",
        "2024-09-27",
        "--suspend",
        "2024-10-11..2024-10-09",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("暂停区间"), "{err}");
}
