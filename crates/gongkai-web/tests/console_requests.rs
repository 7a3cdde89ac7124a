//! Staff intake of 依申请公开 cases over HTTP: the scoped list, registering
//! paper applications, the case page with its clock explanation, one-click
//! confirmation and triage of 信访/投诉/举报.

use crate::common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{Harness, Session, csrf_field};
use gongkai_core::audit::Actor;
use gongkai_core::request::ApplicationForm;
use gongkai_core::request::case::{CaseAction, CaseStatus, Intake, QueryCode, RequestCase};
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::outcome::Outcome;
use gongkai_core::store::{CaseQuery, HandlerFilter};
use gongkai_core::user::Role;
use gongkai_core::{OrgId, UserId};

const ID_BODY: &str = "11010519491231002";
const NAME: &str = "周建国";

fn id_number() -> String {
    format!("{ID_BODY}{}", resident_id_check_char(ID_BODY).unwrap())
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn staff_user(h: &Harness, username: &str, role: Role, org: OrgId) -> UserId {
    h.staff_user(username, role, org).await
}

async fn case(h: &Harness, org: OrgId, channel: Channel, arrived: &str) -> RequestCase {
    let application = ApplicationForm {
        applicant_kind: "natural".into(),
        name: NAME.into(),
        id_type: "resident_id".into(),
        id_number: id_number(),
        contact: ContactForm {
            phone: "13700001111".into(),
            ..Default::default()
        },
        info_description: "2026年城区公交线路调整方案及听证记录".into(),
        provision_form: "paper".into(),
        delivery: "pickup".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    h.store
        .create_request(
            &Actor::public(),
            org,
            &Intake {
                channel,
                arrived_on: d(arrived),
                application,
            },
            &QueryCode::parse("7K2MX9QH4T").unwrap(),
            None,
        )
        .await
        .unwrap()
}

async fn reload(h: &Harness, id: i64) -> RequestCase {
    h.store.get_request(id).await.unwrap().unwrap()
}

async fn cases_of(h: &Harness, org: OrgId) -> Vec<RequestCase> {
    h.store
        .list_requests(&CaseQuery {
            org_ids: vec![org],
            status: None,
            handler: HandlerFilter::Any,
            year: None,
            offset: 0,
            limit: 100,
        })
        .await
        .unwrap()
        .cases
}

#[tokio::test]
async fn handlers_list_their_agencys_cases_with_phase_and_due_date() {
    let h = Harness::new().await;
    staff_user(&h, "handler.a", Role::CaseHandler, h.orgs.dept_a).await;
    let online = case(&h, h.orgs.dept_a, Channel::Online, "2026-11-02").await;
    let desk = case(&h, h.orgs.dept_a, Channel::InPerson, "2026-11-02").await;
    let other = case(&h, h.orgs.dept_b, Channel::InPerson, "2026-11-02").await;
    let s = h.login("handler.a").await;
    let r = h.get("/console/requests", Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains(r#"href="/console/requests" aria-current="page">依申请公开</a>"#)
    );
    assert!(r.body.contains(&online.number));
    assert!(r.body.contains(&desk.number));
    assert!(!r.body.contains(&other.number), "another agency's case");
    assert!(r.body.contains("共 2 件"));
    assert!(r.body.contains("待确认收到"));
    // Received 11-02 in person: 20 working days from 11-03 end on 11-30.
    assert!(r.body.contains("<td>计时中</td>"));
    assert!(r.body.contains("2026年11月30日"));
    assert!(r.body.contains(&format!("{NAME}（自然人）")));

    let r = h
        .get("/console/requests?status=unconfirmed", Some(&s.cookie))
        .await;
    assert!(r.body.contains(&online.number));
    assert!(!r.body.contains(&desk.number));
    let r = h.get("/console/requests?year=2025", Some(&s.cookie)).await;
    assert!(r.body.contains("没有符合条件的申请"));
}

#[tokio::test]
async fn staff_outside_the_agency_get_404_for_its_cases() {
    let h = Harness::new().await;
    staff_user(&h, "handler.b", Role::CaseHandler, h.orgs.dept_b).await;
    let c = case(&h, h.orgs.dept_a, Channel::Online, "2026-11-02").await;
    let path = format!("/console/requests/{}", c.id);
    for who in ["handler.b", "root", "pub.a"] {
        let s = h.login(who).await;
        let r = h.get(&path, Some(&s.cookie)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}");
        assert!(!r.body.contains(NAME));
        let r = h
            .post(&s, &format!("{path}/confirm"), &[("on", "2026-11-03")])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}");
    }
    assert_eq!(reload(&h, c.id).await.status, CaseStatus::Unconfirmed);
    // The administrator manages the structure, not cases.
    let root = h.login("root").await;
    let r = h.get("/console/requests/new", Some(&root.cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn confirming_records_the_receipt_and_explains_the_due_date() {
    let h = Harness::new().await;
    staff_user(&h, "handler.a", Role::CaseHandler, h.orgs.dept_a).await;
    let c = case(&h, h.orgs.dept_a, Channel::Online, "2026-11-02").await;
    let s = h.login("handler.a").await;
    let path = format!("/console/requests/{}", c.id);
    let page = h.get(&path, Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("确认收到申请</button>"));
    assert!(
        page.body.contains(&id_number()),
        "the handler sees the ID number"
    );
    assert!(page.body.contains("等待本机关确认收到申请"));

    let bad = h
        .post(&s, &format!("{path}/confirm"), &[("on", "2026-11-01")])
        .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains(
        r#"<p class="field-error" id="f-on-error">确认日期不能早于申请提交日期 2026-11-02</p>"#
    ));
    assert_eq!(reload(&h, c.id).await.status, CaseStatus::Unconfirmed);

    let before = h.audit_actions().await.len();
    let r = h
        .post(&s, &format!("{path}/confirm"), &[("on", "2026-11-03")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{path}?saved=confirmed"));
    let after = reload(&h, c.id).await;
    assert_eq!(after.status, CaseStatus::Open);
    assert_eq!(after.receipt_date(), Some(d("2026-11-03")));
    assert_eq!(after.entries.last().unwrap().actor_name, "handler.a");
    // The 受理回执 is issued with the confirmation.
    assert_eq!(
        &h.audit_actions().await[before..],
        ["request.confirm", "request.notice"]
    );

    let page = h
        .get(&format!("{path}?saved=confirmed"), Some(&s.cookie))
        .await;
    assert!(page.body.contains("已确认收到申请，受理回执已出具"));
    assert!(page.body.contains("本机关确认收到申请并出具受理回执"));
    assert!(page.body.contains("为什么是这个答复期限"));
    assert!(
        page.body
            .contains("起算日：2026-11-03（星期二），自次日起计算 20 个工作日")
    );
    assert!(
        page.body
            .contains("届满日：2026-12-01（星期二），共计入 20 个工作日")
    );
    assert!(page.body.contains("办理中，答复期限为2026年12月01日"));
    assert!(!page.body.contains("确认收到申请</button>"));

    let twice = h
        .post(&s, &format!("{path}/confirm"), &[("on", "2026-11-04")])
        .await;
    assert!(twice.body.contains("该申请已确认收到，无需再次确认"));
    assert_eq!(reload(&h, c.id).await.entries.len(), 2);
}

#[tokio::test]
async fn a_complaint_is_triaged_out_as_not_processed() {
    let h = Harness::new().await;
    staff_user(&h, "handler.a", Role::CaseHandler, h.orgs.dept_a).await;
    let c = case(&h, h.orgs.dept_a, Channel::Online, "2026-11-02").await;
    let s = h.login("handler.a").await;
    let path = format!("/console/requests/{}/triage", c.id);
    let r = h
        .post(
            &s,
            &path,
            &[("kind", "投诉"), ("note", "  "), ("channel_hint", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(
        r#"<p class="field-error" id="f-note-error">请说明为何不作为政府信息公开申请处理</p>"#
    ));
    assert_eq!(reload(&h, c.id).await.entries.len(), 1);
    // The reply notice names the court; the agency sets it first.
    let mut settings = h
        .store
        .get_notice_settings(h.orgs.dept_a)
        .await
        .unwrap()
        .unwrap_or_else(|| gongkai_core::request::issued::NoticeSettings {
            org_id: h.orgs.dept_a,
            doc_prefix: "青教依申请".into(),
            review_organ: "青岚市人民政府".into(),
            court: String::new(),
            payee: String::new(),
            account: String::new(),
            bank: String::new(),
            contact: String::new(),
        });
    settings.court = "青岚市岳麓区人民法院".into();
    h.store
        .put_notice_settings(&Actor::cli(), &settings)
        .await
        .unwrap();

    let before = h.audit_actions().await.len();
    let r = h
        .post(
            &s,
            &path,
            &[
                ("kind", "投诉"),
                ("note", "反映公交公司司机服务态度，属投诉事项"),
                ("channel_hint", "青岚市12345政务服务便民热线"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = reload(&h, c.id).await;
    assert_eq!(after.status, CaseStatus::Closed);
    assert_eq!(after.outcome, Some(Outcome::RejectPetition));
    assert!(after.receipt_date().is_some(), "confirmed on the way");
    let close = after.entries.last().unwrap();
    assert!(matches!(close.action, CaseAction::Close { .. }));
    assert_eq!(
        close.comment.as_deref(),
        Some("投诉：反映公交公司司机服务态度，属投诉事项")
    );
    assert_eq!(
        &h.audit_actions().await[before..],
        // The reply notice acknowledges receipt too: no separate 受理回执.
        ["request.confirm", "request.close", "request.notice"]
    );
    let page = h
        .get(&format!("/console/requests/{}", c.id), Some(&s.cookie))
        .await;
    assert!(
        page.body
            .contains("办结，办理结果：不予处理·信访举报投诉类申请")
    );
    assert!(!page.body.contains("作为信访、投诉、举报办结</button>"));
}

fn intake_fields(token: &str, org: OrgId, id_number: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form_token", token.to_string()),
        ("org_id", org.to_string()),
        ("channel", "signed_post".to_string()),
        ("arrived_on", "2026-11-02".to_string()),
        ("applicant_kind", "natural".to_string()),
        ("name", NAME.to_string()),
        ("id_type", "resident_id".to_string()),
        ("id_number", id_number.to_string()),
        ("postal_address", "青岚市人民路1号".to_string()),
        ("info_description", "2026年城区公交线路调整方案".to_string()),
        ("provision_form", "paper".to_string()),
        ("delivery", "post".to_string()),
    ]
}

#[tokio::test]
async fn paper_applications_are_registered_once_with_a_code_for_the_applicant() {
    let h = Harness::new().await;
    staff_user(&h, "handler.a", Role::CaseHandler, h.orgs.dept_a).await;
    let s = h.login("handler.a").await;
    let form = h.get("/console/requests/new", Some(&s.cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&format!(
        r#"<option value="{}">青岚市交通运输局</option>"#,
        h.orgs.dept_a
    )));
    assert!(!form.body.contains("青岚市教育局</option>"));
    assert!(form.body.contains("邮寄（需签收）（以签收日期为准）"));
    let token = {
        let marker = r#"name="form_token" value=""#;
        let at = form.body.find(marker).unwrap() + marker.len();
        form.body[at..at + form.body[at..].find('"').unwrap()].to_string()
    };
    let post = |v: Vec<(&'static str, String)>| {
        let s = s.clone();
        let h = &h;
        async move {
            let pairs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (*k, x.as_str())).collect();
            h.post(&s, "/console/requests/new", &pairs).await
        }
    };
    let bad = post(intake_fields(&token, h.orgs.dept_a, "110105194912310021")).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains(r#"id="f-id_number-error""#));
    assert!(cases_of(&h, h.orgs.dept_a).await.is_empty());

    let ok = post(intake_fields(&token, h.orgs.dept_a, &id_number())).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("申请已登记"));
    let cases = cases_of(&h, h.orgs.dept_a).await;
    assert_eq!(cases.len(), 1);
    let c = &cases[0];
    assert_eq!(c.channel, Channel::SignedPost);
    assert_eq!(c.status, CaseStatus::Open);
    assert_eq!(c.receipt_date(), Some(d("2026-11-02")));
    assert!(ok.body.contains(&c.number));
    assert!(ok.body.contains("查询码只显示这一次"));
    assert_eq!(h.last_action().await, "request.register");

    let again = post(intake_fields(&token, h.orgs.dept_a, &id_number())).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(cases_of(&h, h.orgs.dept_a).await.len(), 1);

    // An agency outside the handler's scope is not accepted.
    let r = post(intake_fields(
        "staff.another-token",
        h.orgs.dept_b,
        &id_number(),
    ))
    .await;
    assert!(
        r.body
            .contains(r#"id="f-org_id-error">请选择收到申请的机关"#)
    );
    assert!(cases_of(&h, h.orgs.dept_b).await.is_empty());
}

#[tokio::test]
async fn supervisors_see_counts_and_approvers_see_without_acting() {
    let h = Harness::new().await;
    staff_user(&h, "approver.a", Role::Approver, h.orgs.dept_a).await;
    let county_case = case(&h, h.orgs.county, Channel::InPerson, "2026-11-02").await;
    case(&h, h.orgs.township, Channel::Online, "2026-11-03").await;
    let a_case = case(&h, h.orgs.dept_a, Channel::Online, "2026-11-02").await;

    let sup = h.login("sup").await;
    let r = h.get("/console/requests", Some(&sup.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("下属机构申请办理情况"));
    assert!(
        r.body.contains(
            "<tr><td>枫溪县人民政府</td><td class=\"num\">0</td><td class=\"num\">1</td>"
        )
    );
    assert!(
        r.body
            .contains("<tr><td>枫溪县石桥镇人民政府</td><td class=\"num\">1</td>")
    );
    assert!(!r.body.contains(NAME));
    assert!(!r.body.contains(&county_case.number));
    let r = h
        .get(
            &format!("/console/requests/{}", county_case.id),
            Some(&sup.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let ap = h.login("approver.a").await;
    let page = h
        .get(
            &format!("/console/requests/{}", a_case.id),
            Some(&ap.cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(NAME));
    assert!(!page.body.contains(&id_number()), "masked for approvers");
    assert!(!page.body.contains("确认收到申请</button>"));
    let csrf = csrf_field(&page.body).unwrap();
    let s = Session {
        cookie: ap.cookie.clone(),
        csrf,
    };
    let r = h
        .post(
            &s,
            &format!("/console/requests/{}/confirm", a_case.id),
            &[("on", "2026-11-03")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(reload(&h, a_case.id).await.status, CaseStatus::Unconfirmed);
}
