//! Narrative claims checked against local tables: only a row whose printed
//! label clearly states the same total, in the report year's column, is
//! compared; anything less certain gives no finding. Fictional figures.

use gongkai_import::{Format, ImportReport, import};

const HEAD: &str = "青岚县林业局2021年政府信息公开工作年度报告\n一、概述\n";

fn report(narrative: &str, rows: &str) -> ImportReport {
    let text = format!(
        "{HEAD}{narrative}\n二、附表\n青岚县林业局政府信息公开情况统计表\n\
         指标名称 | 单位 | 2021年 | 历年累计\n{rows}\n单位负责人：某某\n"
    );
    let r = import(text.as_bytes(), "local.txt");
    assert_eq!(r.format, Format::Local, "evidence: {:?}", r.evidence);
    r
}

const ROWS: &str = "一、主动公开信息数 | 条 | 300 | 2400\n\
                    二、依申请公开数量 | 件 | 15 | 80\n\
                    （一）当面申请数 | 件 | 5 | 30\n\
                    （二）网络申请数 | 件 | 10 | 50\n\
                    三、行政复议数量 | 件 | 1 | 3\n\
                    四、行政诉讼数量 | 件 | 0 | 1";

fn claim_findings(r: &ImportReport) -> Vec<&str> {
    r.findings
        .iter()
        .filter(|f| f.rule == "narrative.claim_mismatch")
        .map(|f| f.message.as_str())
        .collect()
}

#[test]
fn claims_that_contradict_the_year_column_are_reported() {
    let r = report(
        "2021年，本局共收到政府信息公开申请12件，因政府信息公开被申请行政复议2件、提起行政诉讼0件。",
        ROWS,
    );
    let kinds: Vec<(&str, f64)> = r
        .claims
        .iter()
        .map(|c| (c.kind.as_str(), c.value))
        .collect();
    assert_eq!(
        kinds,
        [
            ("requests_received", 12.0),
            ("reviews", 2.0),
            ("lawsuits", 0.0)
        ]
    );
    assert_eq!(
        claim_findings(&r),
        [
            "正文「收到政府信息公开申请12件」为 12，表格中 二、依申请公开数量（2021年） 15",
            "正文「行政复议2件」为 2，表格中 三、行政复议数量（2021年） 1",
        ]
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "narrative.claim_mismatch")
        .expect("finding");
    assert_eq!(f.cells.len(), 1);
    assert_eq!(f.cells[0].col, "2021年");
    assert_eq!(f.cells[0].value, Some(15.0));
}

#[test]
fn matching_claims_give_no_finding() {
    let r = report(
        "本年度共受理政府信息公开申请15件，未发生行政复议。全年被提起行政诉讼0件。",
        ROWS,
    );
    assert!(!r.claims.is_empty());
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn uncertain_matches_give_no_finding() {
    let claim = "本局共收到政府信息公开申请12件。";
    // Two rows could be "the" total: no finding rather than a guess.
    let two = "一、收到申请数 | 件 | 15 | 80\n二、依申请公开数量 | 件 | 14 | 70\n三、主动公开信息数 | 条 | 3 | 9";
    assert!(claim_findings(&report(claim, two)).is_empty());
    // Only channels (no total row): nothing to compare with.
    let parts = "一、主动公开信息数 | 条 | 300 | 2400\n二、依申请公开情况 | | | \n\
                 （一）当面申请数 | 件 | 5 | 30\n（二）网络申请数 | 件 | 10 | 50";
    assert!(claim_findings(&report(claim, parts)).is_empty());
    // A total under a row with its own figures is a part of that row.
    let nested = "一、政府信息公开工作 | 件 | 30 | 90\n（一）收到申请数 | 件 | 15 | 80\n\
                  （二）主动公开信息数 | 条 | 300 | 2400";
    assert!(claim_findings(&report(claim, nested)).is_empty());
}

#[test]
fn only_the_report_year_column_is_compared() {
    let claim = "本局共收到政府信息公开申请12件。";
    let text = |header: &str| {
        format!(
            "{HEAD}{claim}\n二、附表\n统计表\n指标名称 | 单位 | {header}\n\
             一、依申请公开数量 | 件 | 15 | 80\n二、主动公开信息数 | 条 | 3 | 9\n三、行政复议数量 | 件 | 0 | 0\n"
        )
    };
    // Neither column names the report year: no finding.
    let r = import(text("上半年 | 下半年").as_bytes(), "a.txt");
    assert_eq!(r.format, Format::Local, "evidence: {:?}", r.evidence);
    assert!(claim_findings(&r).is_empty(), "{:?}", r.findings);
    // "本年" names it as well as "2021年" does.
    let r = import(text("本年数 | 累计数").as_bytes(), "b.txt");
    assert_eq!(
        claim_findings(&r),
        ["正文「收到政府信息公开申请12件」为 12，表格中 一、依申请公开数量（本年数） 15"]
    );
}

#[test]
fn a_single_value_column_is_the_year_column() {
    let text = format!(
        "{HEAD}全年共收到政府信息公开申请9件。\n二、附表\n统计表\n指标名称 | 单位 | 数据统计\n\
         一、主动公开信息数 | 条 | 30\n二、依申请公开数量 | 件 | 8\n（一）当面申请数 | 件 | 8\n"
    );
    let r = import(text.as_bytes(), "c.txt");
    assert_eq!(r.format, Format::Local, "evidence: {:?}", r.evidence);
    assert_eq!(
        claim_findings(&r),
        ["正文「收到政府信息公开申请9件」为 9，表格中 二、依申请公开数量（数据统计） 8"]
    );
}
