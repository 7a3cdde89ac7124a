//! Tests of the reply notice and the reply lint.

use super::*;
use crate::calendar::WorkdayCalendar;
use crate::request::applicant::{ApplicantKind, OrgApplicantType};
use crate::request::case_clock::{CaseClock, CaseEvent, ClockPolicy};
use crate::request::closing::{ClosingDetails, ClosingForm, CompetentAgency};
use crate::request::outcome::OutcomeFamily;

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
        request: "2024年青岚市老旧小区改造项目的资金分配文件".into(),
    }
}

fn closing(o: Outcome) -> Closing {
    ClosingForm {
        outcome: o.key().into(),
        disclosed_kind: "provided".into(),
        not_held_kind: "not_this_agency".into(),
        reason: "该信息涉及第三方个人隐私".into(),
        competent_agency: "青岚市自然资源局".into(),
        competent_agency_contact: "0731-88886666".into(),
        previous_reply: "青教依申请〔2026〕第3号".into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn input(o: Outcome) -> ReplyInput {
    ReplyInput {
        facts: facts(),
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
        closing: closing(o),
        specific_basis: "《中华人民共和国档案法》第二十八条".into(),
        delivery: Delivery {
            way: DeliveryWay::Email,
            note: String::new(),
        },
        attachments: vec!["青岚市老旧小区改造资金分配表".into()],
        review_organ: "青岚市人民政府".into(),
        court: "青岚市岳麓区人民法院".into(),
        issued_on: d("2026-03-20"),
    }
}

fn elements(errors: &[LintError]) -> Vec<Element> {
    errors.iter().map(|e| e.element).collect()
}

fn cal() -> WorkdayCalendar {
    WorkdayCalendar::official()
}

fn status(events: &[CaseEvent], as_of: &str) -> ClockStatus {
    CaseClock::from_events(d("2026-03-02"), ClockPolicy::default(), events)
        .unwrap()
        .status(&cal(), d(as_of))
        .unwrap()
}

#[test]
fn every_outcome_has_a_notice_with_its_basis_and_the_remedy() {
    for o in Outcome::ALL {
        let i = input(o);
        let n = i.draft().unwrap_or_else(|e| panic!("{o:?}: {e:?}"));
        let text = n.plain_text();
        assert_eq!(n.kind, NoticeKind::Reply);
        assert_eq!(n.doc_number.as_deref(), Some("青教依申请〔2026〕第17号"));
        assert_eq!(n.addressee, "张三");
        if let Some(basis) = i.closing.legal_basis() {
            assert!(text.contains(basis), "{o:?} lacks {basis}:\n{text}");
        }
        let basis: Vec<_> = n.with_role(Role::LegalBasis).collect();
        assert_eq!(basis.len(), 1, "{o:?}");
        assert!(
            basis[0].text.starts_with("根据"),
            "{o:?}: {}",
            basis[0].text
        );
        let remedy: Vec<_> = n.with_role(Role::Remedy).collect();
        assert_eq!(remedy.len(), 1, "{o:?}");
        for needle in [
            "60日内向青岚市人民政府申请行政复议",
            "向青岚市岳麓区人民法院提起行政诉讼",
        ] {
            assert!(remedy[0].text.contains(needle), "{o:?}: {}", remedy[0].text);
        }
        assert!(text.contains("2024年青岚市老旧小区改造项目的资金分配文件"));
        assert!(text.contains("2026年3月20日"));
    }
}

#[test]
fn a_refusal_cites_its_ground_and_the_reply_item_and_requires_review_first() {
    let n = input(Outcome::DenyThirdParty).draft().unwrap();
    let basis = &n.with_role(Role::LegalBasis).next().unwrap().text;
    assert_eq!(
        basis,
        "根据《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项的规定，本机关决定不予公开。"
    );
    let reasons = &n.with_role(Role::Reasons).next().unwrap().text;
    assert_eq!(reasons, "理由如下：该信息涉及第三方个人隐私。");
    let remedy = &n.with_role(Role::Remedy).next().unwrap().text;
    assert!(remedy.contains("对行政复议决定不服的，可以自收到行政复议决定书之日起15日内"));
    assert!(!remedy.contains("6个月"));
}

#[test]
fn remedy_paths_follow_the_outcome_family() {
    for o in Outcome::ALL {
        let r = rule(o);
        let refused = matches!(o.family(), OutcomeFamily::Refuse | OutcomeFamily::Partial);
        assert_eq!(r.remedy == RemedyPath::ReviewFirst, refused, "{o:?}");
        let text = input(o).draft().unwrap().plain_text();
        assert_eq!(text.contains("6个月内"), !refused, "{o:?}");
        if refused && o != Outcome::DenyQueryMatter {
            assert!(r.reply_item.is_some(), "{o:?}");
        }
        assert!(!r.verified(o) || o.basis_verified());
    }
}

#[test]
fn partial_disclosure_provides_the_rest_and_explains_the_withheld_part() {
    let n = input(Outcome::Partial).draft().unwrap();
    let text = n.plain_text();
    assert!(text.contains(
        "根据《中华人民共和国政府信息公开条例》第三十七条、第三十六条第（二）项、第（三）项的规定，本机关决定对可以公开的内容予以公开，对其余内容不予公开。"
    ));
    assert!(text.contains("对不予公开的内容，理由如下：该信息涉及第三方个人隐私。"));
    assert!(text.contains("现通过电子邮件向您提供可以公开的内容。"));
    assert_eq!(n.attachments, ["青岚市老旧小区改造资金分配表"]);
}

#[test]
fn a_law_prohibiting_disclosure_must_be_named() {
    let mut i = input(Outcome::DenyLawProhibited);
    let basis = &i
        .draft()
        .unwrap()
        .with_role(Role::LegalBasis)
        .next()
        .unwrap()
        .text
        .clone();
    assert!(basis.starts_with(
        "根据《中华人民共和国档案法》第二十八条和《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定"
    ));
    i.specific_basis = "  ".into();
    let e = i.draft().unwrap_err();
    assert_eq!(elements(&e), [Element::LegalBasis]);
    assert_eq!(
        e[0].message,
        "缺少法律依据：请写明禁止公开该信息的法律、行政法规（名称及条款）"
    );
}

#[test]
fn a_query_matter_points_to_the_special_procedure() {
    let mut i = input(Outcome::DenyQueryMatter);
    i.specific_basis = "《不动产登记暂行条例》".into();
    let text = i.draft().unwrap().plain_text();
    assert!(text.contains(
        "根据《中华人民共和国政府信息公开条例》第三十六条第（七）项的规定，请您依照《不动产登记暂行条例》的规定办理。"
    ));
}

#[test]
fn confirm_or_reissue_needs_the_handlers_basis_and_other_may_have_none() {
    let mut i = input(Outcome::RejectConfirmReissue);
    i.specific_basis = String::new();
    assert_eq!(elements(&i.draft().unwrap_err()), [Element::LegalBasis]);
    let mut o = input(Outcome::OtherOther);
    o.specific_basis = String::new();
    let text = o.draft().unwrap().plain_text();
    assert!(text.contains("本机关终止办理您的政府信息公开申请。"));
}

#[test]
fn not_this_agency_names_the_competent_agency_or_says_it_is_unknown() {
    let mut i = input(Outcome::UnableNotHeld);
    let text = i.draft().unwrap().plain_text();
    assert!(text.contains("第三十六条第（五）项"));
    assert!(
        text.contains("负责公开该政府信息的行政机关为青岚市自然资源局，联系方式：0731-88886666。")
    );
    i.closing = Closing::new(
        Outcome::UnableNotHeld,
        ClosingDetails::NotThisAgency {
            reason: "该信息由市自然资源局制作".into(),
            competent: None,
        },
    )
    .unwrap();
    assert!(
        i.draft()
            .unwrap()
            .plain_text()
            .contains("本机关无法确定负责公开该政府信息的行政机关。")
    );
    i.closing = Closing::new(
        Outcome::UnableNotHeld,
        ClosingDetails::NotThisAgency {
            reason: "该信息由市自然资源局制作".into(),
            competent: Some(CompetentAgency {
                name: "青岚市自然资源局".into(),
                contact: " ".into(),
            }),
        },
    )
    .unwrap();
    assert_eq!(
        elements(&i.draft().unwrap_err()),
        [Element::CompetentAgency]
    );
}

#[test]
fn already_public_needs_the_way_to_get_it() {
    let mut i = input(Outcome::Disclosed);
    i.closing = Closing::new(
        Outcome::Disclosed,
        ClosingDetails::AlreadyPublic {
            where_to_find: "https://www.qinglan.gov.cn/zwgk/2024/01.html".into(),
        },
    )
    .unwrap();
    let text = i.draft().unwrap().plain_text();
    assert!(text.contains("第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径。"));
    assert!(
        text.contains(
            "您可以通过以下方式、途径获取：https://www.qinglan.gov.cn/zwgk/2024/01.html。"
        )
    );
    i.closing = Closing::new(
        Outcome::Disclosed,
        ClosingDetails::AlreadyPublic {
            where_to_find: String::new(),
        },
    )
    .unwrap();
    assert_eq!(elements(&i.draft().unwrap_err()), [Element::WhereToFind]);
}

#[test]
fn pickup_and_online_delivery_need_where_and_when() {
    let mut i = input(Outcome::Disclosed);
    i.delivery = Delivery {
        way: DeliveryWay::Pickup,
        note: String::new(),
    };
    let e = i.draft().unwrap_err();
    assert_eq!(elements(&e), [Element::Delivery]);
    assert_eq!(
        e[0].message,
        "缺少提供方式说明：当面领取的，应告知领取的地点和时间"
    );
    i.delivery.note = "请于2026年3月23日至27日工作时间到人民路1号政务服务中心3楼领取".into();
    assert!(
        i.draft()
            .unwrap()
            .plain_text()
            .contains("请您通过当面领取方式获取该政府信息：请于2026年3月23日")
    );
    // Nothing is provided on a refusal, so the way does not matter.
    let mut r = input(Outcome::DenyStateSecret);
    r.delivery = Delivery {
        way: DeliveryWay::Online,
        note: String::new(),
    };
    assert!(r.draft().is_ok());
}

#[test]
fn missing_elements_are_all_named() {
    let mut i = input(Outcome::Disclosed);
    i.doc_number = " ".into();
    i.review_organ.clear();
    i.court.clear();
    i.facts.request = "\n".into();
    i.facts.application_no.clear();
    let e = i.draft().unwrap_err();
    assert_eq!(
        elements(&e),
        [
            Element::ApplicationNo,
            Element::Request,
            Element::DocNumber,
            Element::ReviewOrgan,
            Element::Court
        ]
    );
    assert_eq!(
        e.iter()
            .find(|e| e.element == Element::ReviewOrgan)
            .unwrap()
            .message,
        "缺少行政复议机关：救济途径告知应写明向哪一机关申请行政复议"
    );
}

#[test]
fn an_id_number_never_goes_into_the_addressee() {
    let mut i = input(Outcome::Disclosed);
    i.facts.applicant_name = "张三（430102199003071234）".into();
    assert_eq!(elements(&i.draft().unwrap_err()), [Element::Addressee]);
}

#[test]
fn organisations_are_addressed_as_such() {
    let mut i = input(Outcome::RejectRepeat);
    i.facts.applicant_kind = ApplicantKind::Organisation(OrgApplicantType::LegalService);
    i.facts.applicant_name = "青岚某律师事务所".into();
    let text = i.draft().unwrap().plain_text();
    assert!(text.contains("收到贵单位提交的政府信息公开申请"));
    assert!(text.contains("贵单位如对本答复不服"));
    assert!(!text.contains("您"));
}

#[test]
fn a_reply_within_the_period_passes_the_lint() {
    let i = input(Outcome::Disclosed);
    let s = status(&[], "2026-03-20");
    assert_eq!(lint(&i, &s, d("2026-03-20")), []);
    assert!(issue(&i, &s, d("2026-03-20")).is_ok());
}

#[test]
fn an_overdue_reply_needs_an_extension_on_record() {
    let mut i = input(Outcome::Disclosed);
    let due = status(&[], "2026-03-20").reply.unwrap().due;
    let late = due.succ_opt().unwrap();
    i.issued_on = late;
    let s = status(&[], &late.to_string());
    let e = lint(&i, &s, late);
    assert_eq!(elements(&e), [Element::Timeliness]);
    assert!(
        e[0].message
            .starts_with(&format!("答复期限已于{}届满", cn_date(due)))
    );
    assert!(issue(&i, &s, late).is_err());
    let extended = [CaseEvent::Extended {
        approver: 7,
        approved_on: d("2026-03-20"),
        working_days: 20,
    }];
    let s = status(&extended, &late.to_string());
    assert_eq!(lint(&i, &s, late), []);
}

#[test]
fn a_notice_cannot_be_dated_in_the_future_or_before_receipt() {
    let mut i = input(Outcome::Disclosed);
    i.issued_on = d("2026-03-21");
    let s = status(&[], "2026-03-20");
    assert_eq!(
        elements(&lint(&i, &s, d("2026-03-20"))),
        [Element::IssueDate]
    );
    i.issued_on = d("2026-03-01");
    assert_eq!(elements(&i.draft().unwrap_err()), [Element::IssueDate]);
}

#[test]
fn a_lapse_outcome_needs_the_lapse() {
    let mut i = input(Outcome::OtherNoCorrection);
    let asked = [CaseEvent::CorrectionRequested {
        on: d("2026-03-04"),
        reply_by: d("2026-03-18"),
    }];
    i.issued_on = d("2026-03-18");
    let e = lint(&i, &status(&asked, "2026-03-18"), d("2026-03-18"));
    assert_eq!(elements(&e), [Element::Timeliness]);
    i.issued_on = d("2026-03-19");
    assert_eq!(lint(&i, &status(&asked, "2026-03-19"), d("2026-03-19")), []);
    let text = i.draft().unwrap().plain_text();
    assert!(text.contains(
        "本机关已于2026年3月4日告知您作出补正，补正期限至2026年3月18日，您无正当理由逾期未补正。"
    ));
    assert!(text.contains("第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。"));
    i.correction = None;
    assert_eq!(
        elements(&i.draft().unwrap_err()),
        [Element::CorrectionFacts]
    );

    let mut f = input(Outcome::OtherNoFee);
    f.fee = None;
    assert_eq!(elements(&f.draft().unwrap_err()), [Element::FeeFacts]);
    f.fee = Some(FeeFacts {
        notice_on: d("2026-03-05"),
        pay_by: d("2026-04-03"),
    });
    let e = lint(&f, &status(&[], "2026-03-20"), d("2026-03-20"));
    assert_eq!(elements(&e), [Element::Timeliness]);
}

#[test]
fn a_completed_correction_is_mentioned() {
    let mut i = input(Outcome::Disclosed);
    i.correction = Some(CorrectionFacts {
        requested_on: d("2026-03-04"),
        reply_by: d("2026-03-18"),
        received_on: Some(d("2026-03-10")),
    });
    let facts = &i.draft().unwrap().paragraphs[0].text;
    assert!(facts.ends_with("本机关于2026年3月4日告知您补正，于2026年3月10日收到补正后的申请。"));
}

/// The whole text of one notice, so that any change of wording is seen.
#[test]
fn the_full_text_of_a_refusal() {
    let mut i = input(Outcome::DenyProcessInfo);
    i.closing = Closing::new(
        Outcome::DenyProcessInfo,
        ClosingDetails::Withheld {
            reason: "所申请的会议纪要系内部讨论记录，尚未形成正式决定".into(),
        },
    )
    .unwrap();
    i.attachments.clear();
    assert_eq!(
        i.draft().unwrap().plain_text(),
        "青岚市教育局\n\
         政府信息公开申请答复告知书\n\
         青教依申请〔2026〕第17号\n\
         张三：\n\
         本机关于2026年3月2日收到您提交的政府信息公开申请（申请编号：QL-2026-000123），申请获取：“2024年青岚市老旧小区改造项目的资金分配文件”。\n\
         经审查，您申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息。\n\
         理由如下：所申请的会议纪要系内部讨论记录，尚未形成正式决定。\n\
         根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项的规定，本机关决定不予公开。\n\
         根据《中华人民共和国行政复议法》《中华人民共和国行政诉讼法》的规定，您如对本答复不服，可以自收到本答复之日起60日内向青岚市人民政府申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内向青岚市岳麓区人民法院提起行政诉讼。\n\
         特此告知。\n\
         青岚市教育局\n\
         2026年3月20日\n"
    );
}

#[test]
fn an_issued_notice_survives_storage_as_json() {
    let n = input(Outcome::Partial).draft().unwrap();
    let json = serde_json::to_string(&n).unwrap();
    assert!(json.contains(r#""kind":"reply""#));
    assert!(json.contains(r#""role":"legal_basis""#));
    assert_eq!(serde_json::from_str::<Notice>(&json).unwrap(), n);
}
