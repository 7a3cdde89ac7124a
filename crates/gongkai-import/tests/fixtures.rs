//! Fictional fixtures (built from the official labels) in every rendering:
//! `|` rows, HTML with merged cells, one cell per line in GBK, traditional
//! script with pinyin annotations, and a report whose tables are images.

use crate::common;

use common::{fixture, rules, value};
use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use gongkai_import::{Format, Severity, import};

#[test]
fn pipes_2021_extracts_all_tables_and_audits() {
    let r = import(&fixture("2021_pipes.txt"), "2021_pipes.txt");
    assert_eq!(r.format, Format::F2021, "evidence: {:?}", r.evidence);
    assert_eq!(r.agency.as_deref(), Some("青岚市示范区民政局"));
    assert_eq!(r.year, Some(2022));
    let count = |t: &str| r.cells.iter().filter(|c| c.table == t).count();
    assert_eq!((count("t2"), count("t3"), count("t4")), (10, 175, 15));
    assert_eq!(value(&r, "t2", "fees", "amount_wan"), Some(1.5));
    assert_eq!(
        value(&r, "t3", "unable.not_held", "legal_service"),
        Some(1.0)
    );
    assert_eq!(value(&r, "t3", "carried_out", "natural"), Some(2.0));
    assert_eq!(value(&r, "t4", "suit_direct", "pending"), Some(1.0));
    // Deliberate errors: 结转下年度 natural/total is 2 instead of 1, and
    // the narrative says 行政复议3件 while 表四 says 2.
    let errors: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors.contains(
            &"自然人：本年新收 10 + 上年结转 1 = 11 ≠ 办理结果总计 10 + 结转下年度 2 = 12"
        )
    );
    assert!(
        errors
            .iter()
            .any(|m| m.contains("行政复议3件") && m.contains("= 2"))
    );
    assert!(
        r.sections
            .contains(&"三、收到和处理政府信息公开申请情况".to_string())
    );
}

#[test]
fn html_with_merged_cells_and_site_noise() {
    let bytes = fixture("2021_merged.html");
    let r = import(&bytes, "2021_merged.html");
    assert_eq!(r.input_kind, "html");
    assert_eq!(r.format, Format::F2021, "evidence: {:?}", r.evidence);
    let count = |t: &str| r.cells.iter().filter(|c| c.table == t).count();
    assert_eq!((count("t2"), count("t3"), count("t4")), (10, 175, 15));
    assert_eq!(value(&r, "t3", "new", "total"), Some(12.0));
    assert_eq!(value(&r, "t3", "result_total", "legal_service"), Some(1.0));
    // &nbsp; cells are blanks, not zeros.
    assert_eq!(value(&r, "t3", "deny.law_prohibited", "total"), None);
    assert_eq!(value(&r, "t2", "license", "decisions"), Some(120.0));
    // The consistent fixture has no arithmetic errors; the script's "<td>99"
    // string is not mistaken for a cell.
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let src = String::from_utf8(bytes).expect("utf-8");
    let c = common::cell(&r, "t2", "license", "decisions");
    assert_eq!(src.get(c.span[0]..c.span[1]), Some("120"));
}

#[test]
fn gbk_one_cell_per_line_2014_table() {
    let bytes = fixture("2014_one_cell_per_line_gbk.txt");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "fixture must really be GBK"
    );
    let r = import(&bytes, "gbk.txt");
    assert_eq!(r.encoding, "gbk");
    assert_eq!(r.format, Format::F2014, "evidence: {:?}", r.evidence);
    assert_eq!(r.agency.as_deref(), Some("青岚县农业农村局"));
    assert_eq!(r.cells.len(), 58);
    assert_eq!(value(&r, "stat", "org.budget_wan", "value"), Some(2.5));
    assert_eq!(value(&r, "stat", "deny.state_secret", "value"), None);
    assert_eq!(value(&r, "stat", "training.trainees", "value"), Some(25.0));
    assert_eq!(rules(&r), vec!["stat.staff"], "{:?}", r.findings);
    let f = r.findings.first().expect("finding");
    assert_eq!(
        f.message,
        "从事政府信息公开工作人员数 10 ≠ 专职人员数 3 + 兼职人员数 6 = 9"
    );
}

#[test]
fn traditional_script_with_pinyin_annotations() {
    let simplified = String::from_utf8(fixture("2021_pipes.txt")).expect("utf-8");
    let s2t = OpenCC::from_config(BuiltinConfig::S2t).expect("opencc");
    let traditional = format!("歡迎訪問(fǎng wèn)網(wǎng)站\n{}", s2t.convert(&simplified));
    assert_ne!(traditional, simplified);
    let t = import(traditional.as_bytes(), "trad.txt");
    let s = import(simplified.as_bytes(), "simp.txt");
    assert!(t.traditional && !s.traditional);
    assert_eq!(t.format, Format::F2021);
    let vals =
        |r: &gongkai_import::ImportReport| -> Vec<(String, Option<String>, String, Option<f64>)> {
            r.cells
                .iter()
                .map(|c| (c.table.clone(), c.row.clone(), c.col.clone(), c.value))
                .collect()
        };
    assert_eq!(vals(&t), vals(&s));
    assert_eq!(rules(&t), rules(&s));
    // Spans index the traditional text the user sees.
    let c = common::cell(&t, "t2", "license", "decisions");
    assert_eq!(traditional.get(c.span[0]..c.span[1]), Some("120"));
}

#[test]
fn image_only_tables_are_reported_not_zeroed() {
    let r = import(&fixture("2021_image_only.txt"), "img.txt");
    assert_eq!(r.format, Format::F2021);
    assert!(r.cells.is_empty());
    assert_eq!(rules(&r), vec!["table.unreadable"]);
}

#[test]
fn full_width_digits_and_dashes() {
    let text = "青岚市某局2016年政府信息公开工作年度报告\n统计指标|单位|统计数|\n\
                四、行政复议数量|件|３|\n（一）维持具体行政行为数|件|２|\n（二）被依法纠错数|件|—|\n（三）其他情形数|件|０|\n";
    let cells = gongkai_import::national::extract(
        &gongkai_import::tokens_of(text),
        &gongkai_import::national::STAT,
    );
    let get = |row: &str| {
        cells
            .iter()
            .find(|c| c.row.as_deref() == Some(row))
            .map(|c| (c.value, c.raw.clone()))
    };
    assert_eq!(get("review.total"), Some((Some(3.0), "3".to_string())));
    assert_eq!(get("review.corrected"), Some((None, "—".to_string())));
    let f = gongkai_import::audit::audit_2014(&cells);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        f.first().map(|f| f.message.as_str()),
        Some("行政复议数量 3 ≠ 维持具体行政行为数 2 + 被依法纠错数 空 + 其他情形数 0 = 2")
    );
}

#[test]
fn docx_with_merged_cells() {
    let bytes = fixture("2014_merged.docx");
    let r = import(&bytes, "a.docx");
    assert_eq!(r.input_kind, "docx");
    assert_eq!(r.format, Format::F2014, "evidence: {:?}", r.evidence);
    assert_eq!(r.agency.as_deref(), Some("青岚县水利局"));
    assert_eq!(r.cells.len(), 15);
    assert_eq!(value(&r, "stat", "proactive.total", "value"), Some(1204.0));
    assert_eq!(value(&r, "stat", "request.online", "value"), Some(4.0));
    assert_eq!(rules(&r), vec!["stat.request_channels"]);
    // Spans index word/document.xml.
    let xml = gongkai_import::docx::document_xml(&bytes).expect("document.xml");
    for c in &r.cells {
        assert_eq!(xml.get(c.span[0]..c.span[1]), Some(c.raw.as_str()), "{c:?}");
    }
}

#[test]
fn broken_docx_and_binary_formats_are_refused_clearly() {
    let r = import(b"PK\x03\x04rest-of-zip", "a.docx");
    assert_eq!(r.format, Format::None);
    assert_eq!(rules(&r), vec!["input.unsupported"]);
    assert!(
        r.evidence.iter().any(|e| e.contains("DOCX 文件已损坏")),
        "{:?}",
        r.evidence
    );
    let pdf = import(b"%PDF-1.4 ...", "a.pdf");
    assert_eq!(rules(&pdf), vec!["input.unsupported"]);
}

#[test]
fn one_cell_per_line_2019_trial_format() {
    let r = import(&fixture("2019_one_cell_per_line.txt"), "2019.txt");
    assert_eq!(r.format, Format::F2019, "evidence: {:?}", r.evidence);
    assert_eq!(r.year, Some(2020));
    let count = |t: &str| r.cells.iter().filter(|c| c.table == t).count();
    // 2019 表三 has 23 rows ((六)其他处理 is a single row).
    assert_eq!((count("t2"), count("t3"), count("t4")), (22, 23 * 7, 15));
    assert_eq!(value(&r, "t2", "license", "change"), Some(-2.0));
    assert_eq!(value(&r, "t2", "procurement", "amount"), Some(56.3));
    assert_eq!(value(&r, "t3", "other", "natural"), Some(1.0));
    assert_eq!(value(&r, "t3", "disclosed", "total"), None);
    // Blank 总计 on detail rows is a warning, never an error.
    assert!(
        r.findings.iter().all(|f| f.severity == Severity::Warning),
        "{:?}",
        r.findings
    );
    assert_eq!(rules(&r), vec!["t3.row_total", "t3.row_total"]);
}

#[test]
fn cross_year_checks_between_two_reports_of_one_agency() {
    let y2022 = String::from_utf8(fixture("2021_pipes.txt")).expect("utf-8");
    let y2023 = y2022.replace("2022年", "2023年");
    let reports = vec![
        import(y2022.as_bytes(), "2022.txt"),
        import(y2023.as_bytes(), "2023.txt"),
    ];
    assert_eq!(
        reports.iter().map(|r| r.year).collect::<Vec<_>>(),
        vec![Some(2022), Some(2023)]
    );
    let found = gongkai_import::audit::audit_cross_year(&reports);
    let msgs: Vec<(usize, &str)> = found
        .iter()
        .map(|(i, f)| (*i, f.message.as_str()))
        .collect();
    assert_eq!(
        msgs,
        vec![
            (
                1,
                "青岚市示范区民政局：2022年 结转下年度继续办理 2 ≠ 2023年 上年结转 1"
            ),
            (
                1,
                "青岚市示范区民政局行政规范性文件：2022年现行有效 15 + 2023年制发 2 − 废止 1 = 16 ≠ 2023年现行有效件数 15"
            ),
        ]
    );
}

#[test]
fn labels_and_notes_split_over_lines() {
    let mut text = String::from(
        "青岚市某局2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n",
    );
    text += "一、本年新收政府信息\n公开申请数量\n3\n0\n0\n0\n0\n0\n3\n";
    text += "三、本年度办理结果\n（二）部分公开（区分处理的，只计这一情形，\n不计其他情形）\n1\n0\n0\n0\n0\n0\n1\n";
    let cells = gongkai_import::national::extract(
        &gongkai_import::tokens_of(&text),
        &gongkai_import::national::T3_2021,
    );
    let get = |row: &str, col: &str| {
        cells
            .iter()
            .find(|c| c.row.as_deref() == Some(row) && c.col == col)
            .and_then(|c| c.value)
    };
    assert_eq!(get("new", "natural"), Some(3.0));
    assert_eq!(get("new", "total"), Some(3.0));
    assert_eq!(get("partial", "natural"), Some(1.0));
    assert_eq!(cells.len(), 14);
}

#[test]
fn local_table_without_column_header() {
    let text = "青岚镇2010年政府信息公开工作年度报告\n一、概述\n本镇认真开展政府信息公开工作。\n\
                2010年政府信息公开情况统计表\n主动公开信息数|条|40|\n其中:政府网站公开数|条|45|\n受理申请数|件|0|\n";
    let r = import(text.as_bytes(), "h.txt");
    assert_eq!(r.format, Format::Local, "{:?}", r.evidence);
    assert_eq!(r.cells.len(), 3);
    assert!(r.cells.iter().all(|c| c.col == "统计数"));
    assert_eq!(rules(&r), vec!["local.part_exceeds_total"]);
}

#[test]
fn whole_table_on_one_line_with_single_spaces() {
    let text = "青岚市某局2016年政府信息公开工作年度报告 统计指标 单位 统计数 四、行政复议数量 件 3 \
                (一)维持具体行政行为数 件 1 (二)被依法纠错数 件 1 (三)其他情形数 件 0 五、行政诉讼数量 件 0";
    let cells = gongkai_import::national::extract(
        &gongkai_import::tokens_of(text),
        &gongkai_import::national::STAT,
    );
    let got: Vec<(&str, Option<f64>)> = cells
        .iter()
        .filter_map(|c| c.row.as_deref().map(|r| (r, c.value)))
        .collect();
    assert_eq!(
        got,
        vec![
            ("review.total", Some(3.0)),
            ("review.upheld", Some(1.0)),
            ("review.corrected", Some(1.0)),
            ("review.other", Some(0.0)),
            ("suit.total", Some(0.0)),
        ]
    );
    let f = gongkai_import::audit::audit_2014(&cells);
    assert_eq!(f.len(), 1, "{f:?}");
}
