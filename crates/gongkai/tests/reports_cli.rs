//! `gongkai reports import|audit`: batch mode over files and directories.

use crate::common;

use common::gongkai;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../gongkai-import/tests/fixtures"
);

#[test]
fn audit_walks_a_directory_and_lists_findings() {
    let (code, out, err) = gongkai(&["reports", "audit", FIXTURES]);
    assert_eq!(code, 0, "findings are not failures: {err}");
    assert!(
        out.starts_with("文件\t格式\t数据格\t问题\t其中错误\n"),
        "{out}"
    );
    let gbk = out
        .lines()
        .find(|l| l.contains("2014_one_cell_per_line_gbk.txt"))
        .expect("gbk fixture listed");
    assert!(gbk.ends_with("\t2014\t58\t1\t1"), "{gbk}");
    assert!(
        out.contains(
            "[错误] stat.staff：从事政府信息公开工作人员数 10 ≠ 专职人员数 3 + 兼职人员数 6 = 9"
        ),
        "{out}"
    );
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.starts_with("共 7 个文件")),
        "{out}"
    );
}

#[test]
fn import_json_is_one_object_per_file() {
    let file = format!("{FIXTURES}/2021_merged.html");
    let (code, out, err) = gongkai(&["reports", "import", "--json", &file]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1);
    assert!(out.contains("\"format\":\"2021\""), "{out}");
    assert!(
        out.contains("\"row\":\"new\",\"col\":\"total\",\"value\":12,"),
        "{out}"
    );
}

#[test]
fn unreadable_file_is_the_only_failure() {
    let missing = format!("{FIXTURES}/does-not-exist.txt");
    let good = format!("{FIXTURES}/2021_pipes.txt");
    let (code, out, err) = gongkai(&["reports", "import", &missing, &good]);
    assert_eq!(code, 1);
    assert!(
        err.contains("无法读取") && err.contains("does-not-exist.txt"),
        "{err}"
    );
    assert!(out.contains("2021_pipes.txt\t2021\t200\t3\t3"), "{out}");
}

#[test]
fn hostile_input_is_a_finding_not_a_failure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deep = dir.path().join("deep.html");
    let html = format!(
        "<html><body>{}x{}</body></html>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    std::fs::write(&deep, html).expect("write deep.html");
    let path = deep.display().to_string();
    let (code, out, err) = gongkai(&["reports", "audit", &path]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("deep.html\tnone\t0\t1\t1"), "{out}");
    assert!(
        out.contains("[错误] input.too_deep：标签嵌套超过 512 层"),
        "{out}"
    );
}

/// The 2021-format fixture (a 2022 report) moved to `year`, written to `dir`.
fn pipes_for(dir: &std::path::Path, year: i32) -> String {
    let text = std::fs::read_to_string(format!("{FIXTURES}/2021_pipes.txt"))
        .expect("fixture")
        .replace("2022年", &format!("{year}年"));
    let path = dir.join(format!("{year}.txt"));
    std::fs::write(&path, text).expect("write report");
    path.display().to_string()
}

fn with_org() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("orgs.csv");
    std::fs::write(&csv, "name,kind,level\n青岚市人民政府,人民政府,市级\n").expect("csv");
    let o = common::run(dir.path(), &["org", "import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    dir
}

fn stored_years(dir: &std::path::Path) -> Vec<String> {
    let o = common::run(dir, &["reports", "list", "--org", "1"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    common::stdout(&o)
        .lines()
        .skip(1)
        .map(|l| l.split('\t').take(3).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn import_with_org_keeps_reports_and_checks_the_stored_years() {
    let tmp = with_org();
    let dir = tmp.path();
    let y2022 = pipes_for(dir, 2022);
    let o = common::run(dir, &["reports", "import", &y2022, "--org", "1"]);
    let out = common::stdout(&o);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        out.contains(&format!(
            "已保存：{y2022} → 青岚市人民政府 2022 年（200 个数据格）"
        )),
        "{out}"
    );
    assert!(
        !out.contains("cross_year"),
        "no neighbour stored yet: {out}"
    );

    let y2023 = pipes_for(dir, 2023);
    let o = common::run(dir, &["reports", "import", &y2023, "--org", "1"]);
    let out = common::stdout(&o);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        out.contains(
            "  [错误] cross_year.carry_over：青岚市人民政府：2022年 结转下年度继续办理 2 ≠ 2023年 上年结转 1"
        ),
        "{out}"
    );
    assert_eq!(stored_years(dir), ["2023 2021 200", "2022 2021 200"]);

    // audit --org compares with the stored years and stores nothing.
    let y2024 = pipes_for(dir, 2024);
    let o = common::run(dir, &["reports", "audit", &y2024, "--org", "1"]);
    let out = common::stdout(&o);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        out.contains("青岚市人民政府：2023年 结转下年度继续办理 2 ≠ 2024年 上年结转 1"),
        "{out}"
    );
    assert_eq!(stored_years(dir).len(), 2);

    // Replacing a year says so; the audit log stays intact.
    let o = common::run(
        dir,
        &["reports", "import", &y2024, "--org", "1", "--year", "2023"],
    );
    assert!(
        common::stdout(&o).contains("2023 年（200 个数据格，替换了此前保存的记录）"),
        "{}",
        common::stdout(&o)
    );
    let o = common::run(dir, &["audit", "verify"]);
    assert!(o.status.success(), "{}", common::stdout(&o));
}

#[test]
fn a_batch_with_a_bad_report_stores_nothing() {
    let tmp = with_org();
    let dir = tmp.path();
    let good = pipes_for(dir, 2022);
    let note = dir.join("note.txt");
    std::fs::write(
        &note,
        "青岚市人民政府2021年政府信息公开工作年度报告\n本年度没有统计表。\n",
    )
    .expect("note");
    let note = note.display().to_string();
    let o = common::run(dir, &["reports", "import", &good, &note, "--org", "1"]);
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(err.contains("未保存任何年报"), "{err}");
    assert!(
        err.contains(&format!(
            "{note}：报告中没有读取到统计数据，不能作为历史年报保存"
        )),
        "{err}"
    );
    let o = common::run(dir, &["reports", "list", "--org", "1"]);
    assert_eq!(common::stdout(&o).trim(), "青岚市人民政府 尚未保存历史年报");

    // Two files of one year, --year with several files, a bad year.
    let again = dir.join("again.txt");
    std::fs::copy(&good, &again).expect("copy");
    let again = again.display().to_string();
    let o = common::run(dir, &["reports", "import", &good, &again, "--org", "1"]);
    assert!(
        common::stderr(&o).contains("同为 2022 年的年报"),
        "{}",
        common::stderr(&o)
    );
    let o = common::run(
        dir,
        &[
            "reports", "import", &good, &note, "--org", "1", "--year", "2022",
        ],
    );
    assert!(common::stderr(&o).contains("--year 只能用于一个文件"));
    let o = common::run(
        dir,
        &["reports", "import", &good, "--org", "1", "--year", "1999"],
    );
    assert!(common::stderr(&o).contains("报告年度应在 2000 至 2100 之间"));
    let o = common::run(dir, &["reports", "import", &good, "--org", "99"]);
    assert!(common::stderr(&o).contains("找不到机构“99”"));
    assert!(stored_years(dir).is_empty(), "nothing was stored");
    // --year needs --org.
    let (code, _, err) = gongkai(&["reports", "import", &good, "--year", "2022"]);
    assert_eq!(code, 2, "{err}");
}
