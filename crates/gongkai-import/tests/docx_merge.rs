//! DOCX vertically merged cells (`w:vMerge` restart/continue) are expanded
//! like HTML `rowspan`: the merged text belongs to every row it covers.
//! The documents are built here from fictional figures.

use crate::common;

use common::{docx, w_p};
use gongkai_import::{Format, ImportReport, import};

/// A table cell; `merge` is `Some("restart")`, `Some("")` (continue) or None.
fn tc(text: &str, merge: Option<&str>) -> String {
    let pr = match merge {
        Some("restart") => "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>",
        Some(_) => "<w:tcPr><w:vMerge/></w:tcPr>",
        None => "",
    };
    let body = if text.is_empty() {
        "<w:p/>".to_string()
    } else {
        w_p(text)
    };
    format!("<w:tc>{pr}{body}</w:tc>")
}

fn tr(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

const TITLE: &str = "青岚县林业局2020年政府信息公开工作年度报告";

/// A local table whose 单位 column is merged vertically: the fee rows under
/// 二、依申请公开 are counted in 元, the applications in 件.
fn local_table_docx() -> Vec<u8> {
    let rows = [
        tr(&[tc("指标名称", None), tc("单位", None), tc("2020年", None)]),
        tr(&[
            tc("二、依申请公开数量", None),
            tc("件", Some("restart")),
            tc("10", None),
        ]),
        tr(&[
            tc("（一）当面申请数", None),
            tc("", Some("")),
            tc("4", None),
        ]),
        tr(&[
            tc("（二）网络申请数", None),
            tc("", Some("")),
            tc("6", None),
        ]),
        tr(&[
            tc("（三）收取费用", None),
            tc("元", Some("restart")),
            tc("200", None),
        ]),
        tr(&[
            tc("（四）减免费用", None),
            tc("", Some("")),
            tc("150", None),
        ]),
    ];
    docx(&format!(
        "{}{}<w:tbl>{}</w:tbl>",
        w_p(TITLE),
        w_p("附表：政府信息公开情况统计表"),
        rows.concat()
    ))
}

/// The same table as HTML; `merged` chooses rowspan or blank unit cells.
fn local_table_html(merged: bool) -> String {
    let unit = |u: &str, span: usize, first: bool| match (merged, first) {
        (true, true) => format!("<td rowspan=\"{span}\">{u}</td>"),
        (true, false) => String::new(),
        (false, true) => format!("<td>{u}</td>"),
        (false, false) => "<td></td>".to_string(),
    };
    format!(
        "<html><body><p>{TITLE}</p><p>附表：政府信息公开情况统计表</p><table>\
         <tr><td>指标名称</td><td>单位</td><td>2020年</td></tr>\
         <tr><td>二、依申请公开数量</td>{}<td>10</td></tr>\
         <tr><td>（一）当面申请数</td>{}<td>4</td></tr>\
         <tr><td>（二）网络申请数</td>{}<td>6</td></tr>\
         <tr><td>（三）收取费用</td>{}<td>200</td></tr>\
         <tr><td>（四）减免费用</td>{}<td>150</td></tr>\
         </table></body></html>",
        unit("件", 3, true),
        unit("件", 3, false),
        unit("件", 3, false),
        unit("元", 2, true),
        unit("元", 2, false),
    )
}

fn values(r: &ImportReport) -> Vec<(String, String, Option<f64>)> {
    r.cells
        .iter()
        .map(|c| (c.label.clone(), c.col.clone(), c.value))
        .collect()
}

#[test]
fn vmerge_becomes_rowspan_in_the_html_rendering() {
    let bytes = local_table_docx();
    let xml = gongkai_import::docx::document_xml(&bytes).expect("document.xml");
    let html = gongkai_import::docx::to_html(&xml);
    assert_eq!(
        html.matches("<td rowspan=\"3\"> 件</td>").count(),
        1,
        "{html}"
    );
    assert_eq!(
        html.matches("<td rowspan=\"2\"> 元</td>").count(),
        1,
        "{html}"
    );
    // Covered cells are not written at all: 6 rows × 3 cells − 3 covered.
    assert_eq!(html.matches("<td").count(), 15, "{html}");
}

#[test]
fn merged_unit_cells_count_for_every_row_they_cover() {
    let r = import(&local_table_docx(), "merged.docx");
    assert_eq!(r.input_kind, "docx");
    assert_eq!(r.format, Format::Local, "evidence: {:?}", r.evidence);
    assert_eq!(r.year, Some(2020));
    // The same cells as the HTML rendering with rowspan.
    let html = import(local_table_html(true).as_bytes(), "merged.html");
    assert_eq!(values(&r), values(&html));
    assert_eq!(
        values(&r),
        [
            ("二、依申请公开数量", 10.0),
            ("(一)当面申请数", 4.0),
            ("(二)网络申请数", 6.0),
            ("(三)收取费用", 200.0),
            ("(四)减免费用", 150.0),
        ]
        .map(|(l, v)| (l.to_string(), "2020年".to_string(), Some(v)))
    );
    // 减免费用 150 is in 元 (the merged unit cell above it), so it is not
    // compared with the 10 applications counted in 件.
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    // Had the continuation cells been read as blanks, the unit would be
    // lost and a false finding made — which is what a table printed with
    // empty unit cells does yield.
    let flat = import(local_table_html(false).as_bytes(), "flat.html");
    assert_eq!(values(&flat), values(&r));
    assert!(
        flat.findings
            .iter()
            .any(|f| f.rule == "local.part_exceeds_total" && f.message.contains("150")),
        "{:?}",
        flat.findings
    );
}

#[test]
fn merge_without_start_and_nested_tables_stay_aligned() {
    // A stray continuation (no start above it) is an ordinary blank cell;
    // a table nested in a cell keeps the outer table's merge plan intact.
    let nested = format!(
        "<w:tbl>{}</w:tbl>",
        tr(&[tc("内", Some("restart")), tc("x", None)])
    );
    let body = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        tr(&[tc("甲", Some("")), tc("1", None)]),
        tr(&[
            format!("<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>{nested}</w:tc>"),
            tc("2", None),
        ]),
        tr(&[tc("", Some("")), tc("3", None)]),
    );
    let html = gongkai_import::docx::to_html(&body);
    assert!(
        html.starts_with("<table><tr><td> 甲</td><td> 1</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><td rowspan=\"2\"><table><tr><td> 内</td><td> x</td></tr></table></td><td> 2</td></tr><tr><td> 3</td></tr>"),
        "{html}"
    );
}
