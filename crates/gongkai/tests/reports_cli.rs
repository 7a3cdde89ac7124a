//! `gongkai reports import|audit`: batch mode over files and directories.

mod common;

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
