//! `gongkai calendar import` / `list` and `due` with imported years: a
//! deployment loads next year's holiday notice without an upgrade. Each
//! test uses its own data directory (SQLite). The 2027 data below is test
//! data, not the real notice.

use crate::common;

use common::{run, stderr as err, stdout as out};
use gongkai_core::store::AuditQuery;
use std::path::Path;
use std::process::Output;

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        out(&o),
        err(&o)
    );
    out(&o)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const Y2027: &str = "\
[y2027]
notice = \"测试通知 A\"
off = [\"2027-01-01\"]
work = []
";

/// Late December: 20 working days reach into 2027.
fn due_from_dec_21(data: &Path) -> Output {
    run(data, &["calendar", "due", "--received", "2026-12-21"])
}

/// Lines of `calendar list` for one year.
fn list_line(data: &Path, year: &str) -> String {
    let listing = ok(run(data, &["calendar", "list"]));
    listing
        .lines()
        .find(|l| l.starts_with(&format!("{year}\t")))
        .unwrap_or_else(|| panic!("no {year} in\n{listing}"))
        .to_string()
}

fn calendar_audit_records(data: &Path) -> Vec<(String, String, String)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = gongkai_store::sqlite_url_for_data_dir(data).unwrap();
        let store = gongkai_store::open(&url).await.unwrap();
        let q = AuditQuery {
            org_ids: None,
            before_seq: None,
            limit: 100,
        };
        let mut recs: Vec<_> = store
            .list_audit(&q)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.action == "calendar.put")
            .map(|r| (r.object_id, r.actor_name, r.summary))
            .collect();
        recs.reverse(); // oldest first
        recs
    })
}

#[test]
fn an_imported_year_extends_deadlines_and_is_listed_and_audited() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");

    // Without 2027 the deadline is flagged, not guessed (and no database is created).
    let o = due_from_dec_21(&data);
    assert!(!o.status.success());
    assert!(err(&o).contains("2027"), "{}", err(&o));
    assert!(!data.exists(), "calendar due must not create a database");

    let file = write(tmp.path(), "2027.toml", Y2027);
    let imported = ok(run(&data, &["calendar", "import", &file]));
    assert!(imported.contains("已导入 2027 年工作日历"), "{imported}");

    // 2026-12-22 … 2027-01-19 with 2027-01-01 off: 20 working days.
    let due = ok(due_from_dec_21(&data));
    assert_eq!(due.lines().next(), Some("2027-01-19"), "{due}");

    let line = list_line(&data, "2027");
    assert!(line.contains("已导入"), "{line}");
    assert!(
        line.contains("放假 1 天") && line.contains("测试通知 A"),
        "{line}"
    );
    assert!(list_line(&data, "2026").contains("内置"));
    assert!(list_line(&data, "2019").contains("内置"));

    let recs = calendar_audit_records(&data);
    assert_eq!(recs.len(), 1, "{recs:?}");
    assert_eq!(recs[0].0, "2027");
    assert_eq!(recs[0].1, "cli");
    assert!(recs[0].2.contains("2027-01-01"), "{}", recs[0].2);
}

#[test]
fn re_import_replaces_the_stored_year() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let first = write(tmp.path(), "a.toml", Y2027);
    ok(run(&data, &["calendar", "import", &first]));
    let second = write(
        tmp.path(),
        "b.toml",
        "[y2027]\nnotice = \"测试通知 B\"\noff = [\"2027-01-01\", \"2027-01-04\"]\n",
    );
    let replaced = ok(run(&data, &["calendar", "import", &second]));
    assert!(replaced.contains("已替换 2027 年工作日历"), "{replaced}");

    // One more day off in January moves the deadline by one working day.
    let due = ok(due_from_dec_21(&data));
    assert_eq!(due.lines().next(), Some("2027-01-20"), "{due}");
    let line = list_line(&data, "2027");
    assert!(
        line.contains("测试通知 B") && line.contains("放假 2 天"),
        "{line}"
    );
    assert!(!ok(run(&data, &["calendar", "list"])).contains("测试通知 A"));

    let recs = calendar_audit_records(&data);
    assert_eq!(recs.len(), 2);
    assert!(recs[1].2.contains("测试通知 A") && recs[1].2.contains("测试通知 B"));
}

#[test]
fn a_stored_year_overrides_the_shipped_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    // A (fictional) correction making 2024-10-08 a holiday too.
    let shipped = gongkai_core::calendar::WorkdayCalendar::official();
    let y2024 = shipped.years().find(|y| y.year == 2024).unwrap();
    let quote = |d: &std::collections::BTreeSet<chrono::NaiveDate>, extra: &str| {
        d.iter()
            .map(|d| format!("\"{d}\""))
            .chain((!extra.is_empty()).then(|| format!("\"{extra}\"")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = format!(
        "[y2024]\nnotice = \"更正\"\noff = [{}]\nwork = [{}]\n",
        quote(&y2024.off, "2024-10-08"),
        quote(&y2024.work, "")
    );
    let file = write(tmp.path(), "2024.toml", &text);
    let before = ok(run(&data, &["calendar", "due", "--received", "2024-09-27"]));
    assert_eq!(before.lines().next(), Some("2024-10-30"));
    ok(run(&data, &["calendar", "import", &file]));
    let after = ok(run(&data, &["calendar", "due", "--received", "2024-09-27"]));
    assert_eq!(after.lines().next(), Some("2024-10-31"), "{after}");
    assert!(list_line(&data, "2024").contains("已导入"));
}

#[test]
fn an_invalid_file_imports_nothing_and_names_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    // 2027 is fine, 2028 has an impossible date: neither may be stored.
    let bad_date = write(
        tmp.path(),
        "bad-date.toml",
        &format!("{Y2027}\n[y2028]\nnotice = \"x\"\noff = [\"2028-02-30\"]\n"),
    );
    let o = run(&data, &["calendar", "import", &bad_date]);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(
        e.contains("bad-date.toml") && e.contains("2028-02-30"),
        "{e}"
    );
    assert!(e.contains("第 8 行"), "{e}");

    // A date outside the notice's year.
    let wrong_year = write(
        tmp.path(),
        "wrong-year.toml",
        &format!("{Y2027}\n[y2028]\nnotice = \"x\"\noff = [\"2026-05-01\"]\n"),
    );
    let o = run(&data, &["calendar", "import", &wrong_year]);
    assert!(!o.status.success());
    assert!(err(&o).contains("wrong-year.toml") && err(&o).contains("不属于该年度"));

    // Broken TOML: the parser's line is passed on.
    let syntax = write(
        tmp.path(),
        "syntax.toml",
        "[y2027]\nnotice = \"x\"\noff = [\"2027-01-01\"\n",
    );
    let o = run(&data, &["calendar", "import", &syntax]);
    assert!(!o.status.success());
    assert!(
        err(&o).contains("syntax.toml") && err(&o).contains("line 3"),
        "{}",
        err(&o)
    );

    let empty = write(tmp.path(), "empty.toml", "# nothing yet\n");
    let o = run(&data, &["calendar", "import", &empty]);
    assert!(!o.status.success());
    assert!(err(&o).contains("empty.toml") && err(&o).contains("[y2027]"));

    let listing = ok(run(&data, &["calendar", "list"]));
    assert!(!listing.contains("已导入"), "{listing}");
    assert!(!listing.contains("2027\t"), "{listing}");
    assert!(calendar_audit_records(&data).is_empty());
    assert!(!due_from_dec_21(&data).status.success());
}
