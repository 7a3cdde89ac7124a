//! Tests of the procedural notices.

use super::*;
use crate::request::applicant::ApplicantKind;
use crate::request::notice::Paragraph;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn facts() -> CaseFacts {
    CaseFacts {
        agency: "青岚市教育局".into(),
        applicant_name: "张三".into(),
        applicant_kind: ApplicantKind::Natural,
        application_no: "QL-2026-000123".into(),
        received_on: d("2026-03-02"),
        request: "2025年全市中小学校舍维修项目清单".into(),
    }
}

fn texts(ps: &[Paragraph], role: Role) -> Vec<&str> {
    ps.iter()
        .filter(|p| p.role == role)
        .map(|p| p.text.as_str())
        .collect()
}

fn elements(e: &[LintError]) -> Vec<Element> {
    e.iter().map(|e| e.element).collect()
}

#[test]
fn the_receipt_states_the_receipt_date_rule_and_the_due_date() {
    let r = ReceiptInput {
        facts: facts(),
        doc_number: None,
        channel: Channel::Online,
        due_on: d("2026-03-30"),
        contact: "青岚市教育局办公室，0731-88880000".into(),
        issued_on: d("2026-03-02"),
    };
    let n = r.build().unwrap();
    assert_eq!(n.kind, NoticeKind::Receipt);
    assert_eq!(n.doc_number, None);
    assert_eq!(
        texts(&n.paragraphs, Role::LegalBasis),
        [
            "根据《中华人民共和国政府信息公开条例》第三十一条的规定，您的申请系通过互联网渠道提交，以双方确认之日（2026年3月2日）为收到申请之日。"
        ]
    );
    let deadline = texts(&n.paragraphs, Role::Deadline)[0];
    assert!(deadline.starts_with(
        "根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，本机关将自收到申请之日起20个工作日内（最迟于2026年3月30日）作出答复"
    ));
    assert_eq!(
        texts(&n.paragraphs, Role::Note),
        ["如有疑问，请联系：青岚市教育局办公室，0731-88880000。"]
    );
    let mut bad = r.clone();
    bad.due_on = d("2026-03-02");
    bad.facts.application_no.clear();
    assert_eq!(
        elements(&bad.check()),
        [Element::ApplicationNo, Element::Deadline]
    );
    assert!(bad.build().is_err());
}

#[test]
fn the_receipt_date_wording_depends_on_the_channel() {
    for (channel, which) in [
        (Channel::InPerson, "当面提交，以提交之日"),
        (Channel::SignedPost, "以邮寄方式提交，以本机关签收之日"),
        (
            Channel::OrdinaryLetter,
            "以平常信函方式提交，以本机关与您确认之日",
        ),
        (Channel::Fax, "通过传真提交，以双方确认之日"),
    ] {
        let n = ReceiptInput {
            facts: facts(),
            doc_number: Some("青教依申请〔2026〕第5号".into()),
            channel,
            due_on: d("2026-03-30"),
            contact: String::new(),
            issued_on: d("2026-03-02"),
        }
        .build()
        .unwrap();
        assert!(n.plain_text().contains(which), "{channel:?}");
        assert_eq!(texts(&n.paragraphs, Role::Note), Vec::<&str>::new());
    }
}

fn correction() -> CorrectionInput {
    CorrectionInput {
        facts: facts(),
        doc_number: "青教依申请〔2026〕第8号".into(),
        items: vec![
            "所需信息的形成时间或大致时间段".into(),
            " ".into(),
            "所需信息涉及的学校名称".into(),
        ],
        guidance: "可参考本机关网站政府信息公开目录中的“教育设施”栏目".into(),
        reply_by: d("2026-03-20"),
        how_to_submit: "本平台申请查询页面或邮寄方式".into(),
        issued_on: d("2026-03-04"),
    }
}

#[test]
fn the_correction_notice_lists_every_item_the_deadline_and_the_consequence() {
    let n = correction().build().unwrap();
    assert_eq!(
        texts(&n.paragraphs, Role::Item),
        [
            "1. 所需信息的形成时间或大致时间段",
            "2. 所需信息涉及的学校名称"
        ]
    );
    let text = n.plain_text();
    assert!(text.contains("第三十条的规定，现一次性告知您对以下事项作出补正："));
    assert!(text.contains(
        "请您于2026年3月20日（含当日）前通过本平台申请查询页面或邮寄方式提交补正后的申请。"
    ));
    assert!(text.contains("答复期限自本机关收到补正的申请之日起计算。"));
    assert!(
        text.contains(
            "您无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。"
        )
    );
    assert!(text.contains("说明：可参考本机关网站"));
}

#[test]
fn a_correction_notice_without_items_or_a_later_deadline_is_refused() {
    let mut c = correction();
    c.items = vec!["".into()];
    c.reply_by = c.issued_on;
    c.doc_number.clear();
    assert_eq!(
        elements(&c.check()),
        [Element::DocNumber, Element::Items, Element::Deadline]
    );
}

fn extension() -> ExtensionInput {
    ExtensionInput {
        facts: facts(),
        doc_number: "青教依申请〔2026〕第11号".into(),
        reason: "所申请信息涉及全市136所学校，需逐校调取档案。".into(),
        working_days: 20,
        original_due: d("2026-03-30"),
        extended_due: d("2026-04-28"),
        issued_on: d("2026-03-25"),
    }
}

#[test]
fn the_extension_notice_gives_reason_basis_and_new_date() {
    let n = extension().build().unwrap();
    assert_eq!(
        texts(&n.paragraphs, Role::Reasons),
        [
            "因所申请信息涉及全市136所学校，需逐校调取档案，本机关无法在原答复期限（2026年3月30日）内作出答复。"
        ]
    );
    assert_eq!(
        texts(&n.paragraphs, Role::LegalBasis),
        [
            "根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长20个工作日，本机关将最迟于2026年4月28日作出答复。"
        ]
    );
    let mut bad = extension();
    bad.working_days = 21;
    bad.reason = " ".into();
    bad.extended_due = bad.original_due;
    assert_eq!(
        elements(&bad.check()),
        [Element::Reasons, Element::Extension, Element::Deadline]
    );
}

fn fee(basis: FeeBasis) -> FeeNoticeInput {
    FeeNoticeInput {
        facts: facts(),
        doc_number: "青教依申请〔2026〕第12号".into(),
        basis,
        payee: "青岚市财政局非税收入专户".into(),
        account: "开户银行：青岚市农商银行营业部；账号：4301 0000 0000 1234".into(),
        how_to_pay: "缴费时请注明申请编号".into(),
        pay_by: d("2026-04-02"),
        clock_suspended: true,
        issued_on: d("2026-03-05"),
    }
}

#[test]
fn the_fee_notice_states_basis_standard_breakdown_amount_and_payment() {
    let n = fee(FeeBasis::PerPage { pages: 250 }).build().unwrap();
    let text = n.plain_text();
    assert!(text.contains(
        "根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定向您收取信息处理费。"
    ));
    assert!(text.contains("计收方式：按量计收"));
    assert!(text.contains("本申请提供的政府信息共250页"));
    assert_eq!(
        texts(&n.paragraphs, Role::Item),
        [
            "第1—30页：30页，不收费；",
            "第31—100页：70页 × 10元/页 = 700元；",
            "第101—200页：100页 × 20元/页 = 2000元；",
            "第201—250页：50页 × 40元/页 = 2000元；"
        ]
    );
    assert_eq!(
        texts(&n.paragraphs, Role::Fee)[1],
        "收费金额：人民币4700元（大写：肆仟柒佰元整）。"
    );
    assert_eq!(
        texts(&n.paragraphs, Role::Payment),
        [
            "缴纳方式：请将上述费用缴至以下账户。收款单位：青岚市财政局非税收入专户；开户银行：青岚市农商银行营业部；账号：4301 0000 0000 1234。缴费时请注明申请编号。"
        ]
    );
    assert!(text.contains("请您于2026年4月2日（含当日）前缴纳费用"));
    assert!(text.contains("逾期未缴纳的，视为放弃申请"));
    assert!(text.contains("不计算在答复期限内"));
    let mut off = fee(FeeBasis::PerPage { pages: 250 });
    off.clock_suspended = false;
    assert!(
        !off.build()
            .unwrap()
            .plain_text()
            .contains("不计算在答复期限内")
    );
}

#[test]
fn the_per_application_fee_names_the_place_in_the_month() {
    // The 45th 件 of the month alone: band 41–50 at 300 元.
    let n = fee(FeeBasis::PerApplication {
        earlier_in_month: 44,
        units: 1,
    })
    .build()
    .unwrap();
    let text = n.plain_text();
    assert!(text.contains("本申请计1件，为您本自然月内累计申请的第45件"));
    assert!(text.contains("第45件：1件 × 300元/件 = 300元；"));
    assert!(text.contains("人民币300元（大写：叁佰元整）"));
    let two = fee(FeeBasis::PerApplication {
        earlier_in_month: 29,
        units: 2,
    })
    .build()
    .unwrap()
    .plain_text();
    assert!(two.contains("本申请计2件，为您本自然月内累计申请的第30—31件"));
    assert!(two.contains("第30件：1件 × 100元/件 = 100元；"));
    assert!(two.contains("第31件：1件 × 200元/件 = 200元；"));
    assert!(two.contains("人民币300元"));
}

#[test]
fn a_fee_notice_for_nothing_or_without_payment_details_is_refused() {
    let mut f = fee(FeeBasis::PerPage { pages: 30 });
    f.payee.clear();
    f.account = " ".into();
    let e = f.check();
    assert_eq!(
        elements(&e),
        [Element::Fee, Element::Payment, Element::Payment]
    );
    assert_eq!(
        e[0].message,
        "采用按量计收方式，本申请不收费，无需发出收费通知"
    );
    let zero_units = fee(FeeBasis::PerApplication {
        earlier_in_month: 20,
        units: 0,
    });
    assert_eq!(
        zero_units.build().unwrap_err()[0].message,
        "按件计收时本申请至少计为1件"
    );
}

#[test]
fn amounts_in_capitals() {
    for (n, s) in [
        (10, "壹拾元整"),
        (300, "叁佰元整"),
        (1_010, "壹仟零壹拾元整"),
        (4_700, "肆仟柒佰元整"),
        (5_500, "伍仟伍佰元整"),
        (10_005, "壹万零伍元整"),
        (100_000, "壹拾万元整"),
        (10_000_100, "壹仟万零壹佰元整"),
        (10_001_000, "壹仟万壹仟元整"),
        (100_010_000, "壹亿零壹万元整"),
        (100_000_001, "壹亿零壹元整"),
        (0, "零元整"),
    ] {
        assert_eq!(yuan_in_capitals(n), s, "{n}");
    }
}
