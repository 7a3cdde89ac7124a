//! The acceptance test of 依申请公开 (issue 5), driven only through HTTP:
//! a citizen applies online; the agency saves its notice settings and
//! confirms receipt; 补正 is requested and supplied (the clock restarts); a
//! third party is consulted (the clock stops and resumes); the approver,
//! not the handler, extends; the handler releases a document and closes as
//! 部分公开; the applicant sees the reply, downloads the notice and the
//! document; every step is in the audit log and the chain verifies; the
//! applicant's ID number is on no public page, in no audit record and in
//! no mail subject.
//!
//! The story runs on fixed dates in 2025 (a year the shipped calendar
//! covers), so that it never depends on the day it runs. The public form
//! stamps an online application with today's date and no step may be
//! dated after today, so the test moves the app's clock
//! (`AppState::clock`, a shared [`Today`]) to each step's date.

use crate::common;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::docs::docx_text;
use common::multipart::multipart_post;
use common::{Harness, Session, date, form_body, id_number, set_today};
use gongkai_core::OrgId;
use gongkai_core::audit::verify_chain;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::clock::{Suspension, compute_due};
use gongkai_core::notify::MailKind;
use gongkai_core::request::case::CaseStatus;
use gongkai_core::request::notice::NoticeKind;
use gongkai_core::request::outcome::Outcome;
use gongkai_core::store::{CaseQuery, HandlerFilter};
use gongkai_core::user::Role;
use gongkai_files::{ObjectFileStore, UploadLimits};
use gongkai_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

const ID_BODY: &str = "43010219870615352";
/// The birth-date digits of the ID number: a masked form that kept them
/// (e.g. 430102********3521 without masking the middle) would still
/// identify the applicant, so they must not appear either.
const ID_BIRTH: &str = "19870615";
const NAME: &str = "欧阳慧敏";
const PHONE: &str = "13807310246";
const EMAIL: &str = "ouyanghuimin@example.com";

// ---------- a browser ----------

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Bytes,
}

impl Got {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

async fn send(app: &Router, req: Request<Body>) -> Got {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Got {
        status,
        headers,
        bytes,
    }
}

/// The applicant's browser: keeps the public form cookie and every page
/// it was shown, so that the test can check them all for personal data.
struct Citizen<'a> {
    app: &'a Router,
    cookie: Option<String>,
    seen: Vec<(String, String)>,
}

impl<'a> Citizen<'a> {
    fn new(app: &'a Router) -> Self {
        Self {
            app,
            cookie: None,
            seen: Vec::new(),
        }
    }

    async fn go(&mut self, path: &str, b: axum::http::request::Builder, body: Body) -> Got {
        let b = match &self.cookie {
            Some(c) => b.header(header::COOKIE, c),
            None => b,
        };
        let got = send(self.app, b.body(body).unwrap()).await;
        for c in got.headers.get_all(header::SET_COOKIE) {
            let first = c.to_str().unwrap().split(';').next().unwrap();
            if first.starts_with("gk_form=") {
                self.cookie = Some(first.to_string());
            }
        }
        self.seen.push((path.to_string(), got.text()));
        got
    }

    async fn get(&mut self, path: &str) -> Got {
        self.go(path, Request::get(path), Body::empty()).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Got {
        let b =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.go(path, b, Body::from(form_body(fields))).await
    }
}

/// The value of the first `<input … name="{name}" … value="…">` in a page.
fn input_value(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!(r#"name="{name}""#))?;
    let rest = &body[at..];
    let v = rest.find(r#"value=""#)? + 7;
    let end = rest[v..].find('"')?;
    Some(rest[v..v + end].to_string())
}

/// Answers “X加Y等于几？” as a citizen would.
fn solve(body: &str) -> String {
    const DIGITS: &str = "零一二三四五六七八九";
    let end = body.find("等于几？").expect("question on the form");
    let q: Vec<char> = body[..end].chars().rev().take(3).collect();
    let value = |c: char| DIGITS.chars().position(|d| d == c).expect("digit") as u32;
    assert_eq!(q[1], '加');
    (value(q[0]) + value(q[2])).to_string()
}

/// The text of `<dt>label</dt><dd …>…</dd>`.
fn dd_after(body: &str, label: &str) -> String {
    let at = body.find(&format!("<dt>{label}</dt>")).expect(label);
    let rest = &body[at..];
    let start = rest.find("<dd").unwrap();
    let gt = rest[start..].find('>').unwrap() + start + 1;
    let end = rest[gt..].find("</dd>").unwrap() + gt;
    rest[gt..end].to_string()
}

// ---------- staff ----------

async fn staff(h: &Harness, username: &str, role: Role, org: OrgId) -> Session {
    h.staff_user(username, role, org).await;
    h.login(username).await
}

/// The 答复期限 the case page shows (`—` when there is none).
async fn due_shown(h: &Harness, s: &Session, path: &str) -> String {
    let page = h.get(path, Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let dd = dd_after(&page.body, "答复期限");
    dd.split_whitespace().next().unwrap_or_default().to_string()
}

/// Uploads one file through the case's documents form.
async fn upload(h: &Harness, s: &Session, case_id: i64, name: &str, bytes: &[u8]) -> Got {
    let path = format!("/console/requests/{case_id}/documents");
    send(&h.app, multipart_post(s, &path, &[], &[(name, bytes)])).await
}

crate::on_both_backends!(
    a_request_goes_from_the_online_form_to_the_released_reply,
    a_request_goes_from_the_online_form_to_the_released_reply_on_postgres,
    story
);

async fn story(mut h: Harness) {
    // The app with a file store for the released document.
    let state = AppState::new(h.store.clone(), WebConfig::default()).with_files(
        Arc::new(ObjectFileStore::in_memory()),
        UploadLimits::default(),
    );
    let clock = state.clock.clone();
    h.app = app(state);
    let org = h.orgs.dept_a;
    let cal = WorkdayCalendar::official();
    let handler = staff(&h, "handler.a", Role::CaseHandler, org).await;
    let approver = staff(&h, "approver.a", Role::Approver, org).await;
    let audit_start = h.store.audit_head().await.unwrap().map_or(0, |(s, _)| s);
    let mut citizen = Citizen::new(&h.app);

    // 1. 2025-03-03 (Mon): the citizen picks the agency and applies online.
    set_today(&clock, "2025-03-03");
    let list = citizen.get("/apply").await;
    let form_path = format!("/agency/{org}/apply");
    assert!(list.text().contains(&format!(r#"href="{form_path}""#)));
    let page = citizen.get(&form_path).await.text();
    let token = input_value(&page, "token").expect("one-time token");
    let answer = solve(&page);
    let id = id_number(ID_BODY);
    let done = citizen
        .post(
            &form_path,
            &[
                ("applicant_kind", "natural"),
                ("name", NAME),
                ("id_type", "resident_id"),
                ("id_number", &id),
                ("phone", PHONE),
                ("email", EMAIL),
                ("info_title", "2024年城区道路占道施工许可清单"),
                (
                    "info_description",
                    "2024年城区道路占道施工许可的清单，含施工单位、地点和期限",
                ),
                ("provision_form", "email"),
                ("delivery", "email"),
                ("token", &token),
                ("answer", &answer),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let done = done.text();
    assert!(done.contains("申请已提交"), "{done}");
    let number = dd_after(&done, "申请编号");
    let code = dd_after(&done, "查询码");
    assert!(!number.is_empty() && !code.is_empty());
    let c = h
        .store
        .list_requests(&CaseQuery {
            org_ids: vec![org],
            status: None,
            handler: HandlerFilter::Any,
            year: None,
            offset: 0,
            limit: 10,
        })
        .await
        .unwrap()
        .cases;
    assert_eq!(c.len(), 1);
    let case_id = c[0].id;
    assert_eq!(c[0].number, number);
    assert_eq!(c[0].arrived_on, date("2025-03-03"));
    assert_eq!(c[0].status, CaseStatus::Unconfirmed);
    let path = format!("/console/requests/{case_id}");

    // 2. The agency saves its notice settings through the console form.
    let r = h
        .post(
            &handler,
            &format!("/console/notice-settings/{org}"),
            &[
                ("doc_prefix", "青交依申请"),
                ("review_organ", "青岚市人民政府"),
                ("court", "青岚市岳麓区人民法院"),
                ("payee", "青岚市交通运输局"),
                ("account", "6222 0000 1111 2222"),
                ("bank", "青岚银行岳麓支行"),
                ("contact", "联系电话：0731-12345678"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let saved = h.store.get_notice_settings(org).await.unwrap().unwrap();
    assert_eq!(saved.court, "青岚市岳麓区人民法院");
    assert_eq!(saved.bank, "青岚银行岳麓支行");

    // 3. 2025-03-04: staff confirm receipt; the reply is due 20 working
    // days from the next day.
    set_today(&clock, "2025-03-04");
    assert_eq!(due_shown(&h, &handler, &path).await, "—");
    let r = h
        .post(
            &handler,
            &format!("{path}/confirm"),
            &[("on", "2025-03-04")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let first_due = cal.add_working_days(date("2025-03-04"), 20).unwrap();
    // Hard-coded as well, read off the shipped 2025 calendar: no holiday
    // between 5 March and 1 April.
    assert_eq!(first_due, date("2025-04-01"));
    assert_eq!(due_shown(&h, &handler, &path).await, "2025-04-01");

    // 4. 2025-03-06: 补正 requested; no due date while waiting for it.
    set_today(&clock, "2025-03-06");
    let r = h
        .post(
            &handler,
            &format!("{path}/correction"),
            &[
                ("corr_on", "2025-03-06"),
                ("corr_reply_by", "2025-03-20"),
                ("corr_items", "请说明需要哪几条道路的施工许可"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(due_shown(&h, &handler, &path).await, "—");

    // 5. 2025-03-12: the completed application arrives; the 20 days restart
    // from that date (and pass 清明, Friday 4 April, a weekday holiday).
    set_today(&clock, "2025-03-12");
    let r = h
        .post(
            &handler,
            &format!("{path}/correction-received"),
            &[("on", "2025-03-12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let restarted = cal.add_working_days(date("2025-03-12"), 20).unwrap();
    assert_eq!(restarted, date("2025-04-10"));
    assert_eq!(due_shown(&h, &handler, &path).await, "2025-04-10");

    // 6. 2025-03-17: a third party is consulted; the clock stops.
    set_today(&clock, "2025-03-17");
    let r = h
        .post(
            &handler,
            &format!("{path}/consult"),
            &[
                ("consult_on", "2025-03-17"),
                ("consult_party", "third_party"),
                ("consult_name", "青岚路桥建设有限公司"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = h.get(&path, Some(&handler.cookie)).await.body;
    assert!(page.contains("答复期限暂停计算（征求第三方意见"), "{page}");
    // Counting only the days up to today as suspended, the due date is
    // already one working day later; it is "not earlier than" that.
    assert_eq!(dd_after(&page, "答复期限"), "2025-04-11");

    // 7. 2025-03-26: the third party answers; the clock resumes with the
    // 18 days that were left (13 and 14 March counted). 17–26 March hold 8
    // working days, so the due date moves by exactly 8 working days.
    set_today(&clock, "2025-03-26");
    let r = h
        .post(
            &handler,
            &format!("{path}/consult-answered"),
            &[("answered_on", "2025-03-26"), ("answered_id", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let resumed = compute_due(
        &cal,
        date("2025-03-12"),
        20,
        &[Suspension {
            from: date("2025-03-17"),
            to: date("2025-03-26"),
            reason: "征求第三方意见".into(),
        }],
    )
    .unwrap()
    .due;
    assert_eq!(resumed, cal.add_working_days(restarted, 8).unwrap());
    assert_eq!(resumed, date("2025-04-22"));
    assert_eq!(due_shown(&h, &handler, &path).await, "2025-04-22");

    // 8. 2025-04-01: the handler may not record an extension; the approver
    // does (10 working days, over the 劳动节 holiday and the make-up
    // Sunday 27 April, which counts).
    set_today(&clock, "2025-04-01");
    let ext = [
        ("ext_on", "2025-04-01"),
        ("ext_days", "10"),
        ("ext_reason", "涉及多个施工单位，需逐一核对许可档案"),
    ];
    let entries = h
        .store
        .get_request(case_id)
        .await
        .unwrap()
        .unwrap()
        .entries
        .len();
    let r = h.post(&handler, &format!("{path}/extend"), &ext).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let unchanged = h.store.get_request(case_id).await.unwrap().unwrap();
    assert_eq!(unchanged.entries.len(), entries);
    assert_eq!(due_shown(&h, &handler, &path).await, "2025-04-22");
    let r = h.post(&approver, &format!("{path}/extend"), &ext).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let extended = cal.add_working_days(resumed, 10).unwrap();
    assert_eq!(extended, date("2025-05-08"));
    assert_eq!(due_shown(&h, &handler, &path).await, "2025-05-08");

    // 9. 2025-04-15: the handler uploads the released part and closes as
    // 部分公开.
    set_today(&clock, "2025-04-15");
    let released = b"%PDF-1.4\n% 2024 road permits (released part)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
    let r = upload(
        &h,
        &handler,
        case_id,
        "占道施工许可清单（公开部分）.pdf",
        &released,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = h
        .post(
            &handler,
            &format!("{path}/close"),
            &[
                ("close_on", "2025-04-15"),
                ("outcome", "partial"),
                (
                    "reason",
                    "清单中施工人员的个人信息属于第三方个人隐私，已作遮盖处理",
                ),
                ("delivery_way", "email"),
                ("attachments", "占道施工许可清单（公开部分）"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let closed = h.store.get_request(case_id).await.unwrap().unwrap();
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.outcome, Some(Outcome::Partial));
    assert_eq!(closed.closed_on, Some(date("2025-04-15")));

    // The notices, in order of issue: the receipt has no 文号; the numbered
    // ones take the agency's 2025 sequence.
    let notices = h.store.list_request_notices(case_id).await.unwrap();
    let kinds: Vec<NoticeKind> = notices.iter().map(|n| n.notice.kind).collect();
    assert_eq!(
        kinds,
        [
            NoticeKind::Receipt,
            NoticeKind::Correction,
            NoticeKind::Extension,
            NoticeKind::Reply
        ]
    );
    let numbers: Vec<Option<&str>> = notices
        .iter()
        .map(|n| n.notice.doc_number.as_deref())
        .collect();
    assert_eq!(
        numbers,
        [
            None,
            Some("青交依申请〔2025〕第1号"),
            Some("青交依申请〔2025〕第2号"),
            Some("青交依申请〔2025〕第3号")
        ]
    );
    let reply_number = "青交依申请〔2025〕第3号";

    // The mails queued for the applicant, one per step that tells them.
    let mail = h.store.list_mail(Some(&[org]), None, 50).await.unwrap();
    let mut mail_kinds: Vec<MailKind> = mail.iter().map(|m| m.mail.kind).collect();
    mail_kinds.sort_by_key(|k| k.as_str());
    let mut expected = vec![
        MailKind::Submitted,
        MailKind::Receipt,
        MailKind::Correction,
        MailKind::Extension,
        MailKind::Reply,
    ];
    expected.sort_by_key(|k| k.as_str());
    assert_eq!(mail_kinds, expected);
    assert!(mail.iter().all(|m| m.mail.to == EMAIL));
    for m in &mail {
        assert!(!m.mail.subject.contains(&id), "{}", m.mail.subject);
        assert!(!m.mail.subject.contains(ID_BIRTH), "{}", m.mail.subject);
        assert!(!m.mail.body.contains(&id), "{}", m.mail.body);
    }

    // 10. 2025-04-16: the applicant looks the case up with number + code.
    set_today(&clock, "2025-04-16");
    let form = citizen.get("/status").await.text();
    let token = input_value(&form, "token").unwrap();
    // A wrong code: the generic message, nothing of the case.
    let wrong_code = if code.starts_with('A') {
        "BBBBB-CCCCC"
    } else {
        "AAAAA-CCCCC"
    };
    let wrong = citizen
        .post(
            "/status",
            &[("token", &token), ("number", &number), ("code", wrong_code)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    let wrong = wrong.text();
    assert!(wrong.contains("申请编号或查询码不正确"), "{wrong}");
    for secret in [
        "办理过程",
        "2024年城区道路占道施工许可清单",
        reply_number,
        "占道施工许可清单（公开部分）.pdf",
        "部分公开",
    ] {
        assert!(!wrong.contains(secret), "{secret}");
    }
    let status = citizen
        .post(
            "/status",
            &[("token", &token), ("number", &number), ("code", &code)],
        )
        .await;
    assert_eq!(status.status, StatusCode::OK);
    let status = status.text();
    // The timeline, in order.
    let steps = [
        "2025年03月03日</span> <span class=\"case-timeline-text\">通过网上申请平台提交申请",
        "2025年03月04日</span> <span class=\"case-timeline-text\">本机关确认收到申请",
        "2025年03月06日</span> <span class=\"case-timeline-text\">本机关告知需要补正申请内容，请于2025年03月20日前补正",
        "2025年03月12日</span> <span class=\"case-timeline-text\">收到补正后的申请，答复期限自此重新计算",
        "2025年03月17日</span> <span class=\"case-timeline-text\">征求第三方意见",
        "2025年03月26日</span> <span class=\"case-timeline-text\">征求意见结束，继续计算答复期限",
        "2025年04月01日</span> <span class=\"case-timeline-text\">经批准，答复期限延长10个工作日",
        "2025年04月15日</span> <span class=\"case-timeline-text\">办结，办理结果：部分公开",
    ];
    let mut at = 0;
    for step in steps {
        let found = status[at..]
            .find(step)
            .unwrap_or_else(|| panic!("{step}\n{status}"));
        at += found + step.len();
    }
    // The notices and the document are offered.
    for title in [
        "<td>政府信息公开申请受理回执</td><td>—</td>",
        "<td>政府信息公开申请补正告知书</td><td>青交依申请〔2025〕第1号</td>",
        "<td>政府信息公开申请延期答复告知书</td><td>青交依申请〔2025〕第2号</td>",
        "<td>政府信息公开申请答复告知书</td><td>青交依申请〔2025〕第3号</td>",
    ] {
        assert!(status.contains(title), "{title}\n{status}");
    }
    assert!(status.contains(reply_number));
    assert!(status.contains("占道施工许可清单（公开部分）.pdf"));

    // The reply, viewed and downloaded through the forms as rendered.
    let row = status
        .find("政府信息公开申请答复告知书</td>")
        .expect("reply row");
    let notice_form = &status[row..];
    let notice_id = input_value(notice_form, "notice").unwrap();
    let notice_token = input_value(notice_form, "token").unwrap();
    let ask = |format: &'static str| {
        vec![
            ("token", notice_token.clone()),
            ("number", number.clone()),
            ("code", code.clone()),
            ("notice", notice_id.clone()),
            ("format", format.to_string()),
        ]
    };
    let fields = ask("html");
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let view = citizen.post("/status/notice", &f).await;
    assert_eq!(view.status, StatusCode::OK);
    let view = view.text();
    assert!(view.contains(reply_number), "{view}");
    assert!(
        view.contains("部分公开") || view.contains("第三十七条"),
        "{view}"
    );
    assert!(view.contains("青岚市岳麓区人民法院"));
    let fields = ask("docx");
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let docx = citizen.post("/status/notice", &f).await;
    assert_eq!(docx.status, StatusCode::OK);
    let text = docx_text(&docx.bytes);
    assert!(text.contains(reply_number), "{text}");
    // The legal basis of 部分公开 and the remedy (review first for it).
    assert!(text.contains("第三十七条"), "{text}");
    assert!(text.contains("第三十六条第（二）项、第（三）项"), "{text}");
    assert!(
        text.contains("可以自收到本答复之日起60日内向青岚市人民政府申请行政复议"),
        "{text}"
    );
    assert!(text.contains("青岚市岳麓区人民法院"), "{text}");
    assert!(!text.contains(&id) && !text.contains(ID_BIRTH));

    // The released document, byte for byte.
    let doc_at = status
        .find(r#"action="/status/document""#)
        .expect("document form");
    let doc_form = &status[doc_at..];
    let doc_id = input_value(doc_form, "doc").unwrap();
    let doc_token = input_value(doc_form, "token").unwrap();
    let got = citizen
        .post(
            "/status/document",
            &[
                ("token", &doc_token),
                ("number", &number),
                ("code", &code),
                ("doc", &doc_id),
            ],
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, Bytes::from(released));

    // Every step is in the audit log, in order, and the chain verifies.
    let records = h.store.audit_after(audit_start, 1000).await.unwrap();
    let actions: Vec<&str> = records
        .iter()
        .filter(|r| r.action.starts_with("request."))
        .map(|r| r.action.as_str())
        .collect();
    // Each notice is recorded right after the step that issued it.
    assert_eq!(
        actions,
        [
            "request.submit",
            "request.notice_settings",
            "request.confirm",
            "request.notice",
            "request.correction_requested",
            "request.notice",
            "request.correction_received",
            "request.consultation_sent",
            "request.consultation_answered",
            "request.extended",
            "request.notice",
            "request.document_add",
            "request.close",
            "request.notice",
        ]
    );
    // The extension is recorded as the approver's act.
    let ext = records
        .iter()
        .find(|r| r.action == "request.extended")
        .unwrap();
    assert!(ext.actor_name.contains("approver.a"), "{}", ext.actor_name);
    let all = h.store.audit_after(0, 10_000).await.unwrap();
    let head = h.store.audit_head().await.unwrap();
    verify_chain(&all, head.as_ref().map(|(s, h)| (*s, h.as_str()))).unwrap();
    for r in &all {
        for secret in [id.as_str(), ID_BIRTH, NAME, PHONE, EMAIL] {
            assert!(!r.summary.contains(secret), "{}: {}", r.action, r.summary);
            assert!(!r.object_id.contains(secret), "{}", r.action);
        }
    }

    // The applicant's personal data is on no public page of the story.
    assert!(citizen.seen.len() >= 8);
    for (path, body) in &citizen.seen {
        for secret in [id.as_str(), &id.to_lowercase(), ID_BIRTH, ID_BODY] {
            assert!(!body.contains(secret), "{secret} on {path}");
        }
        for secret in [PHONE, EMAIL] {
            assert!(!body.contains(secret), "{secret} on {path}");
        }
        // The notices are letters addressed to the applicant by name (as
        // on paper), shown only to whoever holds the number and the code;
        // every other page shows no name.
        if path != "/status/notice" {
            assert!(!body.contains(NAME), "the name on {path}");
        }
    }
}
