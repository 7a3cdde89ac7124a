//! Handling a 依申请公开 case over HTTP: assignment, notes, 补正,
//! consultation, extension (approvers only), fee notice and payment,
//! closing with the reply notice; each notice numbered, stored, listed,
//! downloadable as DOCX and e-mailed; the applicant's status page lists
//! the notices for the right query code only; the notice settings form.

use crate::common;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::NaiveDate;
use common::docs::docx_text;
use common::{Harness, Session, form_body};
use docx_rs::read_docx;
use gongkai_core::audit::Actor;
use gongkai_core::notify::MailKind;
use gongkai_core::request::ApplicationForm;
use gongkai_core::request::case::{CaseStatus, Intake, QueryCode, RequestCase};
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::issued::NoticeSettings;
use gongkai_core::request::notice::NoticeKind;
use gongkai_core::request::outcome::Outcome;
use gongkai_core::user::Role;
use gongkai_core::{OrgId, UserId};
use http_body_util::BodyExt;
use tower::ServiceExt;

const ID_BODY: &str = "11010519491231002";
const NAME: &str = "周建国";
const EMAIL: &str = "zhoujianguo@example.com";
const CODE: &str = "7K2MX9QH4T";

fn id_number() -> String {
    format!("{ID_BODY}{}", resident_id_check_char(ID_BODY).unwrap())
}

/// Fixed dates in a year the shipped calendar covers, so that no deadline
/// reaches into a year without data (which the clock refuses to guess).
const ARRIVED: &str = "2025-03-03";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn user(h: &Harness, username: &str, role: Role, org: OrgId) -> UserId {
    h.staff_user(username, role, org).await
}

/// A case handed in at the desk today (receipt known, clock running).
async fn case(h: &Harness, org: OrgId) -> RequestCase {
    let application = ApplicationForm {
        applicant_kind: "natural".into(),
        name: NAME.into(),
        id_type: "resident_id".into(),
        id_number: id_number(),
        contact: ContactForm {
            phone: "13700001111".into(),
            email: EMAIL.into(),
            ..Default::default()
        },
        info_title: "2026年城区公交线路调整方案".into(),
        info_description: "2026年城区公交线路调整方案及听证记录".into(),
        provision_form: "email".into(),
        delivery: "email".into(),
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
                arrived_on: d(ARRIVED),
                application,
            },
            &QueryCode::parse(CODE).unwrap(),
            None,
        )
        .await
        .unwrap()
}

fn settings(org: OrgId) -> NoticeSettings {
    NoticeSettings {
        org_id: org,
        doc_prefix: "青交依申请".into(),
        review_organ: "青岚市人民政府".into(),
        court: "青岚市岳麓区人民法院".into(),
        payee: "青岚市交通运输局".into(),
        account: "6222 0000 1111 2222".into(),
        bank: "青岚银行岳麓支行".into(),
        contact: "联系电话：0731-12345678".into(),
    }
}

async fn reload(h: &Harness, id: i64) -> RequestCase {
    h.store.get_request(id).await.unwrap().unwrap()
}

fn year() -> &'static str {
    "2025"
}

async fn raw(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, Bytes) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes)
}

struct World {
    h: Harness,
    handler: Session,
    handler_id: UserId,
    approver: Session,
    c: RequestCase,
    path: String,
}

async fn world() -> World {
    let h = Harness::new().await;
    let org = h.orgs.dept_a;
    let handler_id = user(&h, "handler.a", Role::CaseHandler, org).await;
    user(&h, "approver.a", Role::Approver, org).await;
    h.store
        .put_notice_settings(&Actor::cli(), &settings(org))
        .await
        .unwrap();
    let c = case(&h, org).await;
    let handler = h.login("handler.a").await;
    let approver = h.login("approver.a").await;
    let path = format!("/console/requests/{}", c.id);
    World {
        h,
        handler,
        handler_id,
        approver,
        c,
        path,
    }
}

fn error_on(body: &str, field: &str, message: &str) -> bool {
    body.contains(&format!(
        r#"<p class="field-error" id="f-{field}-error">{message}"#
    ))
}

#[tokio::test]
async fn a_case_is_handled_step_by_step_with_numbered_notices_and_mails() {
    let w = world().await;
    let (h, s, path) = (&w.h, &w.handler, &w.path);
    // Each step on its own day, all in the past.
    let t = "2025-03-04".to_string();

    // Assign: a user who does not handle this agency's requests is refused.
    let r = h
        .post(
            s,
            &format!("{path}/assign"),
            &[("assign_handler", "999999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(error_on(&r.body, "assign_handler", "请选择本机关的承办人"));
    assert_eq!(reload(h, w.c.id).await.handler_id, None);
    let hid = w.handler_id.to_string();
    let r = h
        .post(s, &format!("{path}/assign"), &[("assign_handler", &hid)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reload(h, w.c.id).await.handler_id, Some(w.handler_id));

    // Note.
    let r = h
        .post(s, &format!("{path}/note"), &[("note_text", "  ")])
        .await;
    assert!(error_on(&r.body, "note_text", "请填写备注内容"));
    let r = h
        .post(
            s,
            &format!("{path}/note"),
            &[("note_text", "已电话联系申请人")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let entries = reload(h, w.c.id).await.entries.len();

    // 补正: the items are required; the input is kept.
    let reply_by = "2025-03-14".to_string();
    let r = h
        .post(
            s,
            &format!("{path}/correction"),
            &[
                ("corr_on", &t),
                ("corr_reply_by", &reply_by),
                ("corr_items", " \n "),
                ("corr_guidance", "可参考本机关公开指南"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(error_on(&r.body, "corr_items", "请逐行填写需要补正的事项"));
    assert!(r.body.contains("可参考本机关公开指南</textarea>"));
    assert_eq!(reload(h, w.c.id).await.entries.len(), entries);
    let r = h
        .post(
            s,
            &format!("{path}/correction"),
            &[
                ("corr_on", &t),
                ("corr_reply_by", &reply_by),
                (
                    "corr_items",
                    "请说明需要哪一条公交线路\n请说明听证会的大致时间",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        reload(h, w.c.id).await.status,
        CaseStatus::AwaitingCorrection
    );
    let t = "2025-03-10".to_string();
    let r = h
        .post(s, &format!("{path}/correction-received"), &[("on", &t)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reload(h, w.c.id).await.status, CaseStatus::Open);

    // Consultation of a third party, and its answer.
    let t = "2025-03-11".to_string();
    let r = h
        .post(
            s,
            &format!("{path}/consult"),
            &[
                ("consult_on", &t),
                ("consult_party", ""),
                ("consult_name", ""),
            ],
        )
        .await;
    assert!(error_on(&r.body, "consult_party", "请选择征求意见的对象"));
    let r = h
        .post(
            s,
            &format!("{path}/consult"),
            &[
                ("consult_on", &t),
                ("consult_party", "third_party"),
                ("consult_name", "青岚公交集团有限公司"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = h
        .post(
            s,
            &format!("{path}/consult-answered"),
            &[("answered_on", &t), ("answered_id", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Extension: a handler cannot record it; the approver can, ≤ 20 days.
    let t = "2025-03-20".to_string();
    let before = reload(h, w.c.id).await.entries.len();
    let ext = [
        ("ext_on", t.as_str()),
        ("ext_days", "10"),
        ("ext_reason", "需调取历年档案"),
    ];
    let r = h.post(s, &format!("{path}/extend"), &ext).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(reload(h, w.c.id).await.entries.len(), before);
    let r = h
        .post(
            &w.approver,
            &format!("{path}/extend"),
            &[
                ("ext_on", &t),
                ("ext_days", "25"),
                ("ext_reason", "需调取历年档案"),
            ],
        )
        .await;
    assert!(error_on(
        &r.body,
        "ext_days",
        "延长的工作日数应为1至20之间的整数"
    ));
    assert_eq!(reload(h, w.c.id).await.entries.len(), before);
    let r = h.post(&w.approver, &format!("{path}/extend"), &ext).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Fee: 250 pages is 4,700 元 (国办函〔2020〕109号).
    let t = "2025-03-21".to_string();
    let r = h
        .post(
            s,
            &format!("{path}/fee"),
            &[
                ("fee_on", &t),
                ("fee_method", "per_page"),
                ("fee_pages", "0"),
            ],
        )
        .await;
    assert!(error_on(&r.body, "fee_pages", "页数应为不小于1的整数"));
    // “计算金额” shows the assessment and stores nothing.
    let entries = reload(h, w.c.id).await.entries.len();
    let r = h
        .post(
            s,
            &format!("{path}/fee"),
            &[
                ("fee_on", &t),
                ("fee_method", "per_page"),
                ("fee_pages", "250"),
                ("fee_preview", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("按所填数据计算："), "{}", r.body);
    assert!(r.body.contains("4700"));
    assert_eq!(reload(h, w.c.id).await.entries.len(), entries);
    let r = h
        .post(
            s,
            &format!("{path}/fee"),
            &[
                ("fee_on", &t),
                ("fee_method", "per_page"),
                ("fee_pages", "250"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = h.post(s, &format!("{path}/fee-paid"), &[("on", &t)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Close as 部分公开: the reason is required by the closing form.
    let t = "2025-04-10".to_string();
    let close = |reason: &'static str| {
        vec![
            ("close_on", t.clone()),
            ("outcome", "partial".to_string()),
            ("reason", reason.to_string()),
            ("delivery_way", "email".to_string()),
            (
                "attachments",
                "公交线路调整方案（公开部分）\n听证记录".to_string(),
            ),
        ]
    };
    let fields = |v: &[(&'static str, String)]| -> Vec<(&'static str, String)> { v.to_vec() };
    let bad = fields(&close(""));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = h.post(s, &format!("{path}/close"), &bad).await;
    assert!(
        error_on(&r.body, "reason", "请填写不予公开部分的理由"),
        "{}",
        r.body
    );
    assert_ne!(reload(h, w.c.id).await.status, CaseStatus::Closed);
    let good = close("听证记录中含有参会市民的个人信息，已作遮盖处理");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = h.post(s, &format!("{path}/close"), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let closed = reload(h, w.c.id).await;
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.outcome, Some(Outcome::Partial));

    // Four numbered notices in order of issue.
    let notices = h.store.list_request_notices(w.c.id).await.unwrap();
    let kinds: Vec<NoticeKind> = notices.iter().map(|n| n.notice.kind).collect();
    assert_eq!(
        kinds,
        [
            NoticeKind::Correction,
            NoticeKind::Extension,
            NoticeKind::Fee,
            NoticeKind::Reply
        ]
    );
    let y = year();
    for (i, n) in notices.iter().enumerate() {
        assert_eq!(
            n.notice.doc_number.as_deref(),
            Some(format!("青交依申请〔{y}〕第{}号", i + 1).as_str())
        );
    }
    let fee_text = notices[2].notice.plain_text();
    assert!(fee_text.contains("4700"), "{fee_text}");
    assert!(fee_text.contains("青岚银行岳麓支行"));
    let reply_text = notices[3].notice.plain_text();
    assert!(reply_text.contains("青岚市岳麓区人民法院"));
    assert!(reply_text.contains("公交线路调整方案（公开部分）"));
    assert!(!reply_text.contains(&id_number()));

    // The case page lists them with their 文号.
    let page = h.get(path, Some(&s.cookie)).await;
    assert!(page.body.contains("已出具的告知书"));
    assert!(page.body.contains(&format!("青交依申请〔{y}〕第4号")));
    assert!(page.body.contains("政府信息公开申请答复告知书"));

    // E-mails: one per notice, to the applicant, with the notice text.
    let mail = h
        .store
        .list_mail(Some(&[h.orgs.dept_a]), None, 20)
        .await
        .unwrap();
    let mut mail_kinds: Vec<MailKind> = mail.iter().map(|m| m.mail.kind).collect();
    mail_kinds.sort_by_key(|k| k.as_str());
    assert_eq!(
        mail_kinds,
        [
            MailKind::Correction,
            MailKind::Extension,
            MailKind::Fee,
            MailKind::Reply
        ]
    );
    assert!(mail.iter().all(|m| m.mail.to == EMAIL));
    let reply_mail = mail
        .iter()
        .find(|m| m.mail.kind == MailKind::Reply)
        .unwrap();
    assert!(
        reply_mail
            .mail
            .body
            .contains(&format!("青交依申请〔{y}〕第4号"))
    );
    assert!(reply_mail.mail.body.contains("办理进度查询"));
    assert!(reply_mail.mail.subject.contains(&closed.number));

    // No recipient and no applicant data in the audit log.
    for a in h.store.audit_after(0, 500).await.unwrap() {
        assert!(!a.summary.contains(EMAIL), "{}", a.summary);
        assert!(!a.summary.contains(NAME), "{}", a.summary);
    }

    // The DOCX opens and contains the remedy and the 文号.
    let reply = &notices[3];
    let (status, headers, bytes) = raw(
        &h.app,
        Request::get(format!("{path}/notices/{}/docx", reply.id))
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let cd = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert_eq!(
        cd,
        format!(
            "attachment; filename=\"notice-{}-reply-{}.docx\"",
            w.c.id, reply.id
        )
    );
    let text = docx_text(&bytes);
    assert!(text.contains(&format!("青交依申请〔{y}〕第4号")), "{text}");
    assert!(text.contains("申请行政复议"));
    let view = h
        .get(&format!("{path}/notices/{}", reply.id), Some(&s.cookie))
        .await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(view.body.contains("青岚市岳麓区人民法院"));
}

#[tokio::test]
async fn confirming_issues_the_receipt_and_lint_errors_show_on_the_form() {
    let h = Harness::new().await;
    let org = h.orgs.dept_a;
    user(&h, "handler.a", Role::CaseHandler, org).await;
    let s = h.login("handler.a").await;
    let c = case(&h, org).await;
    let path = format!("/console/requests/{}", c.id);
    let t = "2025-03-04".to_string();
    // No settings saved: the court is not guessed, so the reply is refused
    // with the lint's message and nothing is stored.
    let r = h
        .post(
            &s,
            &format!("{path}/close"),
            &[
                ("close_on", &t),
                ("outcome", "disclosed"),
                ("disclosed_kind", "provided"),
                ("delivery_way", "email"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("缺少行政诉讼的人民法院"), "{}", r.body);
    assert_ne!(reload(&h, c.id).await.status, CaseStatus::Closed);
    assert!(h.store.list_request_notices(c.id).await.unwrap().is_empty());
    assert_eq!(h.store.list_mail(None, None, 10).await.unwrap().len(), 0);

    // An online case confirmed with one click gets its 受理回执.
    let online = {
        let mut i = Intake {
            channel: Channel::Online,
            arrived_on: d(ARRIVED),
            application: reload(&h, c.id).await.application,
        };
        i.channel = Channel::Online;
        h.store
            .create_request(
                &Actor::public(),
                org,
                &i,
                &QueryCode::parse(CODE).unwrap(),
                None,
            )
            .await
            .unwrap()
    };
    let r = h
        .post(
            &s,
            &format!("/console/requests/{}/confirm", online.id),
            &[("on", &t)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let n = h.store.list_request_notices(online.id).await.unwrap();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].notice.kind, NoticeKind::Receipt);
    assert_eq!(n[0].notice.doc_number, None);
    assert!(n[0].notice.plain_text().contains(&online.number));
    let mail = h.store.list_mail(None, None, 10).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].mail.kind, MailKind::Receipt);
}

#[tokio::test]
async fn another_agencys_staff_get_404_and_change_nothing() {
    let w = world().await;
    let h = &w.h;
    user(h, "handler.b", Role::CaseHandler, h.orgs.dept_b).await;
    let other = h.login("handler.b").await;
    let t = "2025-03-04".to_string();
    for (action, fields) in [
        ("note", vec![("note_text", "看看")]),
        ("assign", vec![("assign_handler", "")]),
        (
            "consult",
            vec![
                ("consult_on", t.as_str()),
                ("consult_party", "third_party"),
                ("consult_name", "某公司"),
            ],
        ),
        (
            "close",
            vec![
                ("close_on", t.as_str()),
                ("outcome", "disclosed"),
                ("disclosed_kind", "provided"),
            ],
        ),
    ] {
        let r = h
            .post(&other, &format!("{}/{action}", w.path), &fields)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(reload(h, w.c.id).await.entries.len(), 1);
    // Issue one notice, then try to read it from the other agency.
    let r = h
        .post(
            &w.handler,
            &format!("{}/correction", w.path),
            &[
                ("corr_on", &t),
                ("corr_reply_by", "2025-03-14"),
                ("corr_items", "请说明需要哪一条公交线路"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let n = &h.store.list_request_notices(w.c.id).await.unwrap()[0];
    for p in [
        format!("{}/notices/{}", w.path, n.id),
        format!("{}/notices/{}/docx", w.path, n.id),
    ] {
        assert_eq!(
            h.get(&p, Some(&other.cookie)).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // Notice settings of another agency are not reachable either.
    let r = h
        .get(
            &format!("/console/notice-settings/{}", h.orgs.dept_a),
            Some(&other.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_notice_settings_form_validates_and_saves() {
    let h = Harness::new().await;
    let org = h.orgs.dept_a;
    user(&h, "handler.a", Role::CaseHandler, org).await;
    let s = h.login("handler.a").await;
    let path = format!("/console/notice-settings/{org}");
    let page = h.get(&path, Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    // Defaults: the short name + 依申请; the parent government as 复议机关.
    let dept = h.store.list_orgs().await.unwrap();
    let dept = dept.iter().find(|o| o.id == org).unwrap();
    assert!(
        page.body
            .contains(&format!(r#"value="{}依申请""#, dept.display_short()))
    );
    let r = h
        .post(
            &s,
            &path,
            &[("doc_prefix", "青交〔2026〕"), ("court", "某法院")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(error_on(
        &r.body,
        "doc_prefix",
        "文号前缀不含年份和六角括号"
    ));
    assert!(r.body.contains(r#"value="某法院""#));
    assert_eq!(h.store.get_notice_settings(org).await.unwrap(), None);
    let r = h
        .post(
            &s,
            &path,
            &[
                ("doc_prefix", "青交依申请"),
                ("review_organ", "青岚市人民政府"),
                ("court", "青岚市岳麓区人民法院"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let saved = h.store.get_notice_settings(org).await.unwrap().unwrap();
    assert_eq!(saved.doc_prefix, "青交依申请");
    assert_eq!(saved.court, "青岚市岳麓区人民法院");
    assert_eq!(h.last_action().await, "request.notice_settings");
}

/// The value of `name="{name}" value="…"` in a page.
fn input_value(body: &str, name: &str) -> Option<String> {
    let marker = format!(r#"name="{name}" value=""#);
    let start = body.find(&marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_string())
}

#[tokio::test]
async fn the_applicant_sees_and_downloads_notices_with_the_right_code_only() {
    let w = world().await;
    let h = &w.h;
    let t = "2025-03-04".to_string();
    let r = h
        .post(
            &w.handler,
            &format!("{}/correction", w.path),
            &[
                ("corr_on", &t),
                ("corr_reply_by", "2025-03-14"),
                ("corr_items", "请说明需要哪一条公交线路"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let notice = h.store.list_request_notices(w.c.id).await.unwrap()[0].clone();
    let doc_number = notice.notice.doc_number.clone().unwrap();

    // A browser with the form cookie.
    let (_, headers, body) =
        raw(&h.app, Request::get("/status").body(Body::empty()).unwrap()).await;
    let cookie = headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = input_value(&String::from_utf8_lossy(&body), "token").unwrap();
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let cookie = cookie.clone();
        let app = h.app.clone();
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            raw(
                &app,
                Request::post(path)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, cookie)
                    .body(Body::from(form_body(&f)))
                    .unwrap(),
            )
            .await
        }
    };
    let look = |code: &str| {
        vec![
            ("token", token.clone()),
            ("number", w.c.number.clone()),
            ("code", code.to_string()),
        ]
    };
    // The wrong code shows nothing of the case.
    let (status, _, body) = post("/status", look("7K2MX9QH4U")).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8_lossy(&body).into_owned();
    assert!(!html.contains(&doc_number));
    assert!(!html.contains("补正告知书"));
    // The right code lists the notice with its 文号, by POST forms only.
    let (_, _, body) = post("/status", look(CODE)).await;
    let html = String::from_utf8_lossy(&body).into_owned();
    assert!(html.contains("政府信息公开申请补正告知书"), "{html}");
    assert!(html.contains(&doc_number));
    assert!(html.contains(r#"action="/status/notice""#));
    assert!(!html.contains("/status/notice?"));
    assert!(!html.contains(&id_number()));
    assert!(!html.contains(EMAIL));
    let at = html.find(r#"action="/status/notice""#).unwrap();
    let form_token = input_value(&html[at..], "token").unwrap();
    let nid = notice.id.to_string();
    let with = |code: &str, format: &str| {
        vec![
            ("token", form_token.clone()),
            ("number", w.c.number.clone()),
            ("code", code.to_string()),
            ("notice", nid.clone()),
            ("format", format.to_string()),
        ]
    };
    let (status, _, body) = post("/status/notice", with(CODE, "html")).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8_lossy(&body).into_owned();
    assert!(html.contains("请说明需要哪一条公交线路"));
    assert!(!html.contains(&id_number()));
    let (status, headers, bytes) = post("/status/notice", with(CODE, "docx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"notice-")
    );
    assert!(docx_text(&bytes).contains(&doc_number));
    // A wrong code gets the look-up form again, not the notice.
    let (status, _, body) = post("/status/notice", with("7K2MX9QH4U", "docx")).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8_lossy(&body).into_owned();
    assert!(html.contains("申请编号或查询码不正确"));
    assert!(read_docx(&body).is_err());
}

#[tokio::test]
async fn the_fee_form_counts_the_applicants_earlier_applications_this_month() {
    let w = world().await;
    let h = &w.h;
    let second = case(h, h.orgs.dept_a).await;
    let field = |n: u32| format!(r#"name="fee_earlier" type="text" value="{n}""#);
    let first_page = h.get(&w.path, Some(&w.handler.cookie)).await;
    assert!(first_page.body.contains(&field(0)), "{}", first_page.body);
    let second_page = h
        .get(
            &format!("/console/requests/{}", second.id),
            Some(&w.handler.cookie),
        )
        .await;
    assert!(second_page.body.contains(&field(1)));
}
