//! Acceptance tests on the real seed reports in `shared/seeds`.

use crate::common;

use common::{rules, seed, value};
use gongkai_import::{Format, import};

/// Every row of seed 001's 统计表 with the value printed there
/// (blank cells are `None`).
const SEED_001: &[(&str, Option<f64>)] = &[
    ("proactive.total", Some(248071.0)),
    ("proactive.normative_published", Some(253.0)),
    ("proactive.normative_made", Some(253.0)),
    ("proactive.gazette", Some(2137.0)),
    ("proactive.website", Some(181049.0)),
    ("proactive.weibo", Some(1202.0)),
    ("proactive.wechat", Some(764.0)),
    ("proactive.other", Some(45237.0)),
    ("response.hot_topics", Some(147.0)),
    ("response.press_conferences", Some(28.0)),
    ("response.press_conferences_principal", Some(28.0)),
    ("response.online_interviews", Some(6.0)),
    ("response.online_interviews_principal", Some(6.0)),
    ("response.interpretations", Some(125.0)),
    ("response.weibo_wechat", Some(0.0)),
    // Printed after a blank unit cell in the seed.
    ("response.other", Some(45237.0)),
    ("request.received", Some(15.0)),
    ("request.in_person", Some(1.0)),
    ("request.fax", None),
    ("request.online", Some(12.0)),
    ("request.letter", Some(2.0)),
    ("request.closed", Some(15.0)),
    ("request.on_time", Some(15.0)),
    ("request.extended", None),
    ("request.replied", None),
    ("reply.already_public", None),
    ("reply.agree", Some(15.0)),
    ("reply.partial", None),
    ("reply.deny", None),
    ("deny.state_secret", None),
    ("deny.commercial_secret", None),
    ("deny.privacy", None),
    ("deny.security_stability", None),
    ("deny.not_gov_info", None),
    ("deny.other_law", None),
    ("reply.not_this_agency", None),
    ("reply.not_exist", None),
    ("reply.amend", None),
    ("reply.other_channel", None),
    ("review.total", Some(101.0)),
    ("review.upheld", Some(56.0)),
    ("review.corrected", Some(24.0)),
    ("review.other", Some(1.0)),
    ("suit.total", Some(2.0)),
    ("suit.upheld", Some(2.0)),
    ("suit.corrected", None),
    ("suit.other", None),
    ("complaint.total", Some(0.0)),
    ("fees_wan", Some(0.0)),
    ("org.units", Some(9.0)),
    ("org.reading_points", Some(123.0)),
    ("org.staff", Some(776.0)),
    ("org.staff_full", Some(42.0)),
    ("org.staff_part", Some(734.0)),
    ("org.budget_wan", Some(65.0)),
    ("training.meetings", Some(30.0)),
    ("training.classes", Some(32.0)),
    ("training.trainees", Some(3155.0)),
];

#[test]
fn seed_001_every_statistics_cell_is_extracted() {
    let src = seed("001");
    let r = import(&src, "001.txt");
    assert_eq!(r.format, Format::F2014, "evidence: {:?}", r.evidence);
    assert_eq!(r.agency.as_deref(), Some("湘西州"));
    assert_eq!(r.year, Some(2017));
    assert_eq!(r.cells.len(), SEED_001.len());
    for (row, expected) in SEED_001 {
        assert_eq!(value(&r, "stat", row, "value"), *expected, "row {row}");
    }
    // Spans point at the printed digits in the decoded input.
    let text = String::from_utf8(src).expect("seed is UTF-8");
    for c in r.cells.iter().filter(|c| c.value.is_some()) {
        assert_eq!(
            text.get(c.span[0]..c.span[1]),
            Some(c.raw.as_str()),
            "{c:?}"
        );
    }
}

#[test]
fn seed_001_reconsideration_mismatch_is_reported() {
    let r = import(&seed("001"), "001.txt");
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "stat.review_parts")
        .expect("review mismatch finding");
    assert!(f.message.contains("101 ≠"), "{}", f.message);
    assert!(
        f.message.contains("56 + ") && f.message.ends_with("= 81"),
        "{}",
        f.message
    );
    assert_eq!(f.cells.len(), 4);
    // The staff identity 776 = 42 + 734 holds and must not be reported.
    assert!(!rules(&r).contains(&"stat.staff"));
    // Narrative restatements agree with the table here.
    let kinds: Vec<(&str, f64)> = r
        .claims
        .iter()
        .map(|c| (c.kind.as_str(), c.value))
        .collect();
    assert!(kinds.contains(&("requests_received", 15.0)), "{kinds:?}");
    assert!(kinds.contains(&("reviews", 101.0)), "{kinds:?}");
    assert!(!rules(&r).contains(&"narrative.claim_mismatch"));
}

/// Seed 003's local 2012 table, row by row (label as printed, value).
const SEED_003: &[(&str, Option<f64>)] = &[
    ("一、主动公开数量", Some(289.0)),
    ("(一)通过政府网站公开数", Some(298.0)),
    ("(二)召开新闻发布会次数", Some(15.0)),
    ("二、依申请公开数量", None),
    ("1、当面申请数", None),
    ("2、传真申请数", None),
    ("3、网络申请数", None),
    ("4、信函申请数", None),
    ("5、其他方式申请数", None),
    ("(二)依申请受理数", None),
    ("1、未延期办结数", None),
    ("2、延期办结数", None),
    ("(三)依申请答复数", None),
    ("1、同意公开答复数", None),
    ("2、同意部分公开答复数", None),
    ("3、不同意公开答复数", None),
    ("其中:涉及国家秘密", None),
    ("涉及商业秘密", None),
    ("涉及个人隐私", None),
    ("危及国家安全、公共安全、经济安全和社会稳定", None),
    ("4、不属于本行政机关公开或申请信息不存在", None),
    ("5、申请内容不明确或转其他途径办理", None),
    ("6、其他原因", None),
    ("三、行政复议数量", None),
    ("1、维持具体行政行为数", None),
    ("2、确认具体行政行为违法数", None),
    ("3、其他纠错数", None),
    ("四、行政诉讼数量", None),
    ("1、维持具体行政行为数", None),
    ("2、确认具体行政行为违法数", None),
    ("3、其他纠错数", None),
    ("五、举报数量", None),
    ("六、访问咨询数量", None),
    ("1、提供依申请公开信息收取的费用", None),
    ("2、依申请公开信息减免的费用", None),
    ("(一)政府信息公开工作专门机构数", Some(1.0)),
    ("(二)政府信息公开人员数", None),
    ("其中:全职人员", Some(2.0)),
    ("兼职人员", Some(1.0)),
    ("1、召开政府信息公开工作会或专题会", Some(4.0)),
    ("2、举办各类培训班", Some(3.0)),
    ("3、培训人员数量", Some(8.0)),
    ("(四)政府信息公开专项经费", Some(6.0)),
];

#[test]
fn seed_003_local_table_keeps_labels_and_values() {
    let r = import(&seed("003"), "003.txt");
    assert_eq!(r.format, Format::Local, "evidence: {:?}", r.evidence);
    assert_eq!(r.year, Some(2012));
    let got: Vec<(&str, Option<f64>)> = r
        .cells
        .iter()
        .map(|c| (c.label.as_str(), c.value))
        .collect();
    assert_eq!(got, SEED_003);
    assert!(
        r.cells
            .iter()
            .all(|c| c.row.is_none() && c.table == "local" && c.col == "数据统计")
    );
}

#[test]
fn seed_003_channel_larger_than_total_is_reported() {
    let r = import(&seed("003"), "003.txt");
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "local.part_exceeds_total")
        .expect("289 < 298 finding");
    assert!(
        f.message.contains("289 <") && f.message.contains("298"),
        "{}",
        f.message
    );
    // 新闻发布会 (次) is not compared with 主动公开数量 (条).
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn seeds_000_and_002_have_no_statistics_table() {
    let r0 = import(&seed("000"), "000.txt");
    assert_eq!(r0.format, Format::None, "evidence: {:?}", r0.evidence);
    assert!(r0.cells.is_empty());
    assert_eq!(r0.agency.as_deref(), Some("塔城地区"));
    assert_eq!(r0.year, Some(2017));
    let r2 = import(&seed("002"), "002.txt");
    assert_eq!(r2.format, Format::None, "evidence: {:?}", r2.evidence);
    assert!(r2.cells.is_empty());
    assert!(r2.traditional, "seed 002 is in traditional script");
}

#[test]
fn seed_004_small_local_table_with_two_value_columns() {
    let r = import(&seed("004"), "004.txt");
    assert_eq!(r.format, Format::Local, "evidence: {:?}", r.evidence);
    assert_eq!(r.agency.as_deref(), Some("台江区上海街道"));
    assert_eq!(r.cells.len(), 30);
    let find = |label: &str, col: &str| {
        r.cells
            .iter()
            .find(|c| c.label == label && c.col == col)
            .and_then(|c| c.value)
    };
    assert_eq!(find("主动公开文件数", "2018年"), Some(39.0));
    assert_eq!(find("主动公开文件数", "历年累计"), Some(286.0));
    assert_eq!(find("2.网络申请数", "历年累计"), Some(2.0));
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}
