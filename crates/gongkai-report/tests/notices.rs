//! Every notice renders to HTML and to a DOCX that Word-compatible readers
//! open (checked by reading it back with docx-rs), with the legal basis
//! and the remedy notice in it; HTML escapes what applicants typed.

use chrono::NaiveDate;
use docx_rs::{DocumentChild, read_docx};
use gongkai_core::request::applicant::ApplicantKind;
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::fees::FeeBasis;
use gongkai_core::request::notice::{
    CaseFacts, CorrectionFacts, CorrectionInput, Delivery, ExtensionInput, FeeFacts,
    FeeNoticeInput, Notice, NoticeKind, ReceiptInput, ReplyInput,
};
use gongkai_core::request::{ClosingForm, DeliveryWay, Outcome, OutcomeFamily};
use gongkai_report::{render_docx, render_html};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn facts(request: &str) -> CaseFacts {
    CaseFacts {
        agency: "青岚市教育局".into(),
        applicant_name: "张三".into(),
        applicant_kind: ApplicantKind::Natural,
        application_no: "QL-2026-000123".into(),
        received_on: d("2026-03-02"),
        request: request.into(),
    }
}

fn reply(o: Outcome) -> ReplyInput {
    let closing = ClosingForm {
        outcome: o.key().into(),
        disclosed_kind: "provided".into(),
        not_held_kind: "not_this_agency".into(),
        reason: "所申请信息由青岚市自然资源局制作并保存".into(),
        competent_agency: "青岚市自然资源局".into(),
        competent_agency_contact: "0731-88886666".into(),
        previous_reply: "青教依申请〔2026〕第3号".into(),
        hint: "青岚市信访局网上信访平台".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    ReplyInput {
        facts: facts("2024年青岚市老旧小区改造项目的资金分配文件"),
        doc_number: "青教依申请〔2026〕第17号".into(),
        correction: Some(CorrectionFacts {
            requested_on: d("2026-03-04"),
            reply_by: d("2026-03-18"),
            received_on: None,
        }),
        fee: Some(FeeFacts {
            notice_on: d("2026-03-05"),
            pay_by: d("2026-04-03"),
        }),
        closing,
        specific_basis: "《中华人民共和国档案法》第二十八条".into(),
        delivery: Delivery {
            way: DeliveryWay::Email,
            note: String::new(),
        },
        attachments: vec!["资金分配表".into(), "项目清单".into()],
        review_organ: "青岚市人民政府".into(),
        court: "青岚市岳麓区人民法院".into(),
        issued_on: d("2026-03-20"),
    }
}

/// The body text of a DOCX as read back, one paragraph a line.
fn docx_text(bytes: &[u8]) -> String {
    let doc = read_docx(bytes).expect("the DOCX opens");
    doc.document
        .children
        .iter()
        .filter_map(|c| match c {
            DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_outcome_renders_a_docx_with_its_legal_basis_and_the_remedy() {
    for o in Outcome::ALL {
        let input = reply(o);
        let notice = input.draft().unwrap_or_else(|e| panic!("{o:?}: {e:?}"));
        let bytes = render_docx(&notice).unwrap();
        let text = docx_text(&bytes);
        let basis = input
            .closing
            .legal_basis()
            .unwrap_or("《中华人民共和国档案法》第二十八条");
        assert!(text.contains(basis), "{o:?} lacks {basis}:\n{text}");
        assert!(
            text.contains("自收到本答复之日起60日内向青岚市人民政府申请行政复议"),
            "{o:?}"
        );
        assert!(text.contains("向青岚市岳麓区人民法院提起行政诉讼"), "{o:?}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "青岚市教育局");
        assert_eq!(lines[1], "政府信息公开申请答复告知书");
        assert_eq!(lines[2], "青教依申请〔2026〕第17号");
        assert!(lines.contains(&"张三："));
        assert!(lines.contains(&"附件：1. 资金分配表"));
        assert!(lines.contains(&"2. 项目清单"));
        assert_eq!(lines[lines.len() - 2], "青岚市教育局");
        assert_eq!(lines[lines.len() - 1], "2026年3月20日");
    }
}

#[test]
fn each_family_states_its_decision_in_the_docx() {
    let expected = [
        (Outcome::Disclosed, "本机关决定予以公开"),
        (Outcome::Partial, "对其余内容不予公开"),
        (Outcome::DenyStateSecret, "本机关决定不予公开"),
        (Outcome::UnableNotHeld, "不属于本机关负责公开"),
        (Outcome::RejectPetition, "不作为政府信息公开申请处理"),
        (Outcome::OtherNoFee, "本机关不再处理该政府信息公开申请"),
    ];
    let families: std::collections::BTreeSet<_> =
        expected.iter().map(|(o, _)| o.family().as_str()).collect();
    assert_eq!(families.len(), 6, "one outcome of each family");
    for (o, decision) in expected {
        let text = docx_text(&render_docx(&reply(o).draft().unwrap()).unwrap());
        assert!(text.contains(decision), "{o:?}:\n{text}");
        let review_first = matches!(o.family(), OutcomeFamily::Refuse | OutcomeFamily::Partial);
        assert_eq!(text.contains("对行政复议决定不服的"), review_first, "{o:?}");
    }
}

#[test]
fn the_docx_names_the_official_document_fonts_and_sizes() {
    let bytes = render_docx(&reply(Outcome::Disclosed).draft().unwrap()).unwrap();
    // Read back and serialised by docx-rs; drop the pretty-printing.
    let json: String = read_docx(&bytes)
        .unwrap()
        .json()
        .split_whitespace()
        .collect();
    assert!(json.contains(r#""eastAsia":"方正小标宋简体""#));
    assert!(json.contains(r#""eastAsia":"仿宋_GB2312""#));
    // 二号 and 三号 in half-points.
    assert!(json.contains(r#""sz":44"#));
    assert!(json.contains(r#""sz":32"#));
    // Body paragraphs indent their first line by two 三号 characters.
    assert!(json.contains(r#""specialIndent":{"type":"firstLine","val":640}"#));
}

fn procedural_notices() -> Vec<Notice> {
    let f = || facts("2025年全市中小学校舍维修项目清单");
    vec![
        ReceiptInput {
            facts: f(),
            doc_number: None,
            channel: Channel::Online,
            due_on: d("2026-03-30"),
            contact: "0731-88880000".into(),
            issued_on: d("2026-03-02"),
        }
        .build()
        .unwrap(),
        CorrectionInput {
            facts: f(),
            doc_number: "青教依申请〔2026〕第8号".into(),
            items: vec!["所需信息的形成时间".into()],
            guidance: String::new(),
            reply_by: d("2026-03-20"),
            how_to_submit: String::new(),
            issued_on: d("2026-03-04"),
        }
        .build()
        .unwrap(),
        ExtensionInput {
            facts: f(),
            doc_number: "青教依申请〔2026〕第11号".into(),
            reason: "需逐校调取档案".into(),
            working_days: 20,
            original_due: d("2026-03-30"),
            extended_due: d("2026-04-28"),
            issued_on: d("2026-03-25"),
        }
        .build()
        .unwrap(),
        FeeNoticeInput {
            facts: f(),
            doc_number: "青教依申请〔2026〕第12号".into(),
            basis: FeeBasis::PerPage { pages: 250 },
            payee: "青岚市财政局".into(),
            account: "账号：4301 0000 0000 1234".into(),
            how_to_pay: String::new(),
            pay_by: d("2026-04-02"),
            clock_suspended: true,
            issued_on: d("2026-03-05"),
        }
        .build()
        .unwrap(),
    ]
}

#[test]
fn every_procedural_notice_renders_in_both_formats() {
    let expected = [
        (NoticeKind::Receipt, "第三十三条第二款"),
        (NoticeKind::Correction, "第三十条"),
        (NoticeKind::Extension, "第三十三条第二款"),
        (NoticeKind::Fee, "人民币4700元"),
    ];
    for (n, (kind, needle)) in procedural_notices().iter().zip(expected) {
        assert_eq!(n.kind, kind);
        let text = docx_text(&render_docx(n).unwrap());
        assert!(text.contains(kind.title()), "{kind:?}");
        assert!(text.contains(needle), "{kind:?}:\n{text}");
        let html = render_html(n);
        assert!(html.contains(&format!("data-kind=\"{}\"", kind.as_str())));
        assert!(html.contains(needle), "{kind:?}");
    }
}

#[test]
fn html_escapes_what_the_applicant_typed() {
    let mut input = reply(Outcome::Disclosed);
    input.facts.request = "<script>alert('x')</script>校舍\"维修\"&清单".into();
    input.facts.applicant_name = "<b>张三</b>".into();
    let html = render_html(&input.draft().unwrap());
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"));
    assert!(
        html.contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;校舍&quot;维修&quot;&amp;清单"
        )
    );
    assert!(html.contains("<p class=\"letter-to\">&lt;b&gt;张三&lt;/b&gt;：</p>"));
}

#[test]
fn html_has_the_structure_the_stylesheet_documents() {
    let html = render_html(&reply(Outcome::DenyThirdParty).draft().unwrap());
    assert!(html.starts_with("<article class=\"letter\" data-kind=\"reply\" lang=\"zh-CN\">"));
    assert!(html.contains(
        "<h2 class=\"letter-title\"><span class=\"letter-agency\">青岚市教育局</span><span class=\"letter-doc-title\">政府信息公开申请答复告知书</span></h2>"
    ));
    assert!(html.contains("<p class=\"letter-number\">青教依申请〔2026〕第17号</p>"));
    assert!(html.contains(
        "<p class=\"letter-para\" data-role=\"legal_basis\">根据《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项的规定，本机关决定不予公开。</p>"
    ));
    assert!(html.contains("<p class=\"letter-para\" data-role=\"remedy\">"));
    assert!(html.contains("<p>附件：1. 资金分配表</p>\n<p>2. 项目清单</p>"));
    assert!(html.contains(
        "<p class=\"letter-sign-date\"><time datetime=\"2026-03-20\">2026年3月20日</time></p>"
    ));
    assert!(!html.contains("style="));
    assert!(!html.contains("<script"));
}
