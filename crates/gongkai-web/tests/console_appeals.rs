//! The 行政复议/行政诉讼 register and the request overview over HTTP:
//! recording from the case page, editing, scoping, supervisors' read-only
//! view, bad input; the handler's work lists and the year's figures.

use crate::common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::Harness;
use gongkai_core::audit::Actor;
use gongkai_core::request::ApplicationForm;
use gongkai_core::request::appeal::{AppealKind, AppealResult};
use gongkai_core::request::case::{CaseAction, Intake, NewCaseEntry, QueryCode, RequestCase};
use gongkai_core::request::case_clock::{CaseEvent, Channel};
use gongkai_core::request::closing::{Closing, ClosingDetails};
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::outcome::Outcome;
use gongkai_core::store::AppealQuery;
use gongkai_core::user::Role;
use gongkai_core::{OrgId, UserId};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn staff_user(h: &Harness, username: &str, role: Role, org: OrgId) -> UserId {
    h.staff_user(username, role, org).await
}

async fn case(h: &Harness, org: OrgId, arrived: &str) -> RequestCase {
    let body = "11010519491231002";
    let application = ApplicationForm {
        applicant_kind: "natural".into(),
        name: "周建国".into(),
        id_type: "resident_id".into(),
        id_number: format!("{body}{}", resident_id_check_char(body).unwrap()),
        contact: ContactForm {
            phone: "13700001111".into(),
            ..Default::default()
        },
        info_description: "2026年城区公交线路调整方案".into(),
        provision_form: "paper".into(),
        delivery: "pickup".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    h.store
        .create_request(
            &Actor::cli(),
            org,
            &Intake {
                channel: Channel::InPerson,
                arrived_on: d(arrived),
                application,
            },
            &QueryCode::parse("7K2MX9QH4T").unwrap(),
            None,
        )
        .await
        .unwrap()
}

async fn close(h: &Harness, c: &RequestCase, on: &str, outcome: Outcome) {
    let details = match outcome {
        Outcome::Disclosed => ClosingDetails::Provided,
        _ => ClosingDetails::Withheld {
            reason: "涉及第三方个人隐私".into(),
        },
    };
    let closing = Closing::new(outcome, details).unwrap();
    h.store
        .append_request_entries(
            &Actor::cli(),
            c.id,
            &[NewCaseEntry::new(CaseAction::Close { on: d(on), closing })],
            d(on),
        )
        .await
        .unwrap();
}

fn fields<'a>(org: &'a str, case_id: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("org_id", org),
        ("case_id", case_id),
        ("kind", "reconsideration"),
        ("filed_on", "2026-04-20"),
        ("organ", "青岚市人民政府"),
        ("reference", "青政复〔2026〕12号"),
        ("result", "pending"),
        ("decided_on", ""),
        ("note", "申请人周建国认为答复理由不充分"),
    ]
}

async fn appeals_of(h: &Harness, org: OrgId) -> Vec<gongkai_core::request::appeal::Appeal> {
    h.store
        .list_appeals(&AppealQuery {
            org_ids: vec![org],
            case_id: None,
            year: None,
            kind: None,
            result: None,
            offset: 0,
            limit: 100,
        })
        .await
        .unwrap()
        .appeals
}

#[tokio::test]
async fn handlers_record_and_edit_appeals_from_the_case_page() {
    let h = Harness::new().await;
    staff_user(&h, "handler.a", Role::CaseHandler, h.orgs.dept_a).await;
    let c = case(&h, h.orgs.dept_a, "2026-03-02").await;
    close(&h, &c, "2026-03-20", Outcome::Partial).await;
    let s = h.login("handler.a").await;

    let page = h
        .get(&format!("/console/requests/{}", c.id), Some(&s.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("本申请没有登记行政复议或行政诉讼"));
    let new_link = format!("/console/appeals/new?case={}", c.id);
    assert!(page.body.contains(&new_link));
    let form = h.get(&new_link, Some(&s.cookie)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(&c.number));
    assert!(form.body.contains(&format!(r#"value="{}""#, c.id)));

    let org = h.orgs.dept_a.to_string();
    let cid = c.id.to_string();
    let r = h
        .post(&s, "/console/appeals/new", &fields(&org, &cid))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = appeals_of(&h, h.orgs.dept_a).await;
    assert_eq!(list.len(), 1);
    let a = &list[0];
    assert_eq!(a.draft.case_id, Some(c.id));
    assert_eq!(a.draft.kind, AppealKind::Reconsideration);
    assert_eq!(a.draft.result, AppealResult::Pending);
    assert_eq!(r.location(), format!("/console/appeals/{}?saved=1", a.id));
    assert_eq!(h.last_action().await, "appeal.create");

    // The case page lists it.
    let page = h
        .get(&format!("/console/requests/{}", c.id), Some(&s.cookie))
        .await;
    assert!(
        page.body
            .contains("行政复议</a>：2026年04月20日，青岚市人民政府，尚未审结")
    );

    // Decided: the result needs its date, then saves.
    let path = format!("/console/appeals/{}", a.id);
    let mut f = fields(&org, &cid);
    f[6] = ("result", "corrected");
    let r = h.post(&s, &path, &f).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("已审结的案件请填写审结日期"));
    assert_eq!(
        appeals_of(&h, h.orgs.dept_a).await[0].draft.result,
        AppealResult::Pending
    );
    f[7] = ("decided_on", "2026-06-15");
    let r = h.post(&s, &path, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = &appeals_of(&h, h.orgs.dept_a).await[0];
    assert_eq!(b.draft.result, AppealResult::Corrected);
    assert_eq!(b.draft.decided_on, Some(d("2026-06-15")));
    assert_eq!(h.last_action().await, "appeal.update");
    let edit = h.get(&format!("{path}?saved=1"), Some(&s.cookie)).await;
    assert!(edit.body.contains("已保存"));

    // The register with its 表四 summary for 2026.
    let r = h.get("/console/appeals?year=2026", Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("青政复〔2026〕12号"));
    assert!(r.body.contains("结果纠正"));
    assert!(r.body.contains(
        r#"<th scope="row">行政复议</th><td class="num">0</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">1</td>"#
    ));
    let r = h
        .get("/console/appeals?year=2026&result=upheld", Some(&s.cookie))
        .await;
    assert!(!r.body.contains("青政复〔2026〕12号"));
}

#[tokio::test]
async fn bad_input_and_foreign_records_change_nothing() {
    let h = Harness::new().await;
    staff_user(&h, "handler.a", Role::CaseHandler, h.orgs.dept_a).await;
    staff_user(&h, "handler.b", Role::CaseHandler, h.orgs.dept_b).await;
    let other = case(&h, h.orgs.dept_b, "2026-03-02").await;
    let s = h.login("handler.a").await;
    let org = h.orgs.dept_a.to_string();

    // Another agency's case cannot be linked, nor opened as a link target.
    let cid = other.id.to_string();
    let r = h
        .post(&s, "/console/appeals/new", &fields(&org, &cid))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("关联的申请不存在，或不属于所选机关"));
    let r = h
        .get(
            &format!("/console/appeals/new?case={}", other.id),
            Some(&s.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Nor can the record be filed for the other agency.
    let b = h.orgs.dept_b.to_string();
    let r = h.post(&s, "/console/appeals/new", &fields(&b, "")).await;
    assert!(r.body.contains("请选择被申请复议或被起诉的机关"));
    // Future dates, a decision date on a pending case, missing fields.
    let mut f = fields(&org, "");
    f[3] = ("filed_on", "2999-01-01");
    f[7] = ("decided_on", "2026-05-01");
    f[4] = ("organ", " ");
    let r = h.post(&s, "/console/appeals/new", &f).await;
    assert!(r.body.contains("申请或起诉日期不能晚于今天"));
    assert!(r.body.contains("尚未审结的案件不应填写审结日期"));
    assert!(r.body.contains("请填写复议机关"));
    assert!(
        r.body.contains(r#"value="青政复〔2026〕12号""#),
        "input kept"
    );
    // Without the CSRF token.
    let r = h
        .post_raw(
            "/console/appeals/new",
            Some(&s.cookie),
            common::form_body(&fields(&org, "")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(appeals_of(&h, h.orgs.dept_a).await.is_empty());
    assert!(appeals_of(&h, h.orgs.dept_b).await.is_empty());

    // b's record is a 404 for a.
    let sb = h.login("handler.b").await;
    let r = h.post(&sb, "/console/appeals/new", &fields(&b, "")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = appeals_of(&h, h.orgs.dept_b).await[0].id;
    let r = h
        .get(&format!("/console/appeals/{id}"), Some(&s.cookie))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h
        .post(&s, &format!("/console/appeals/{id}"), &fields(&org, ""))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h.get("/console/appeals", Some(&s.cookie)).await;
    assert!(!r.body.contains("青政复〔2026〕12号"));
}

#[tokio::test]
async fn supervisors_read_the_register_without_notes_or_edit_links() {
    let h = Harness::new().await;
    staff_user(&h, "handler.t", Role::CaseHandler, h.orgs.township).await;
    let s = h.login("handler.t").await;
    let org = h.orgs.township.to_string();
    let r = h.post(&s, "/console/appeals/new", &fields(&org, "")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = appeals_of(&h, h.orgs.township).await[0].id;

    let sup = h.login("sup").await;
    let r = h.get("/console/appeals", Some(&sup.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("青政复〔2026〕12号"));
    assert!(!r.body.contains("周建国"), "the note is not shown");
    assert!(!r.body.contains(&format!("/console/appeals/{id}\"")));
    assert!(!r.body.contains("/console/appeals/new"));
    let r = h
        .get(&format!("/console/appeals/{id}"), Some(&sup.cookie))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h.get("/console/appeals/new", Some(&sup.cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A publisher of another department sees nothing of it.
    let p = h.login("pub.a").await;
    let r = h
        .get(&format!("/console/appeals/{id}"), Some(&p.cookie))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_overview_lists_work_and_the_years_figures() {
    let h = Harness::new().await;
    let me = staff_user(&h, "handler.a", Role::CaseHandler, h.orgs.dept_a).await;
    // Received Mon 2026-03-02 in person: due on the 20th working day, 03-30.
    let on_time = case(&h, h.orgs.dept_a, "2026-03-02").await;
    close(&h, &on_time, "2026-03-10", Outcome::Disclosed).await; // 6 working days
    let late = case(&h, h.orgs.dept_a, "2026-03-02").await;
    close(&h, &late, "2026-04-01", Outcome::Disclosed).await; // 22 working days
    // Open since September, assigned to me: overdue.
    let overdue = case(&h, h.orgs.dept_a, "2026-09-01").await;
    h.store
        .append_request_entries(
            &Actor::cli(),
            overdue.id,
            &[NewCaseEntry::new(CaseAction::Assign { handler: Some(me) })],
            d("2026-09-01"),
        )
        .await
        .unwrap();
    // Waiting for a 补正.
    let waiting = case(&h, h.orgs.dept_a, "2026-09-07").await;
    h.store
        .append_request_entries(
            &Actor::cli(),
            waiting.id,
            &[NewCaseEntry::new(CaseAction::Clock {
                event: CaseEvent::CorrectionRequested {
                    on: d("2026-09-08"),
                    reply_by: d("2026-09-30"),
                },
            })],
            d("2026-09-08"),
        )
        .await
        .unwrap();
    // An extension that runs into 2027, which the calendar does not know yet.
    let unknown = case(&h, h.orgs.dept_a, "2026-11-20").await;
    h.store
        .append_request_entries(
            &Actor::cli(),
            unknown.id,
            &[NewCaseEntry::new(CaseAction::Clock {
                event: CaseEvent::Extended {
                    approver: me,
                    approved_on: d("2026-11-20"),
                    working_days: 20,
                },
            })],
            d("2026-11-20"),
        )
        .await
        .unwrap();

    let s = h.login("handler.a").await;
    let r = h.get("/console/requests", Some(&s.cookie)).await;
    assert!(r.body.contains(r#"href="/console/requests/overview""#));
    let r = h
        .get("/console/requests/overview?year=2026", Some(&s.cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let section = |key: &str| {
        let start = r.body.find(&format!(r#"id="list-{key}""#)).unwrap();
        let end = r.body[start..].find("</section>").unwrap();
        r.body[start..start + end].to_string()
    };
    assert!(section("mine").contains(&overdue.number));
    assert!(section("overdue").contains(&overdue.number));
    assert!(!section("overdue").contains(&on_time.number));
    assert!(section("correction").contains(&waiting.number));
    assert!(section("correction").contains("已逾期未补正"));
    let problem = section("problem");
    assert!(problem.contains(&unknown.number), "{problem}");
    assert!(problem.contains("2027"), "{problem}");
    assert!(!section("overdue").contains(&unknown.number));
    // 5 received; 2 closed, 1 on time; median of 6 and 22 working days.
    assert!(
        r.body.contains(
            r#"<td>青岚市交通运输局</td><td class="num">5</td><td class="num">2</td><td class="num">1</td><td class="num">50.0%（1/2）</td><td class="num">14</td><td class="num">1</td><td class="num">1</td>"#
        ),
        "{}",
        r.body
    );
    assert!(!r.body.contains("周建国"));

    // The supervisor of the county sees figures for the county's subtree
    // only, and no work lists.
    let sup = h.login("sup").await;
    let r = h
        .get("/console/requests/overview?year=2026", Some(&sup.cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("id=\"list-"));
    assert!(!r.body.contains("青岚市交通运输局"));
    assert!(r.body.contains("该年度没有收到的申请"));
    // A publisher of the department (View) sees its figures, as counts,
    // without work lists.
    let p = h.login("pub.a").await;
    let r = h
        .get("/console/requests/overview?year=2026", Some(&p.cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("id=\"list-"));
    assert!(
        r.body
            .contains("<td>青岚市交通运输局</td><td class=\"num\">5</td>")
    );
    assert!(!r.body.contains(&overdue.number));
}
