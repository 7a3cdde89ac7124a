//! The public side of 依申请公开 over HTTP: choosing the agency, the
//! application form with its spam defences, the one-time result page and
//! the status page.

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use common::{Harness, Resp, form_body};
use gongkai_core::audit::Actor;
use gongkai_core::request::case::{CaseAction, CaseStatus, Intake, NewCaseEntry, QueryCode};
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::{ApplicationForm, contact::ContactForm};
use gongkai_core::store::{CaseQuery, HandlerFilter};
use gongkai_web::portal::public_form::{Limiter, PublicLimits};
use gongkai_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

const ID_BODY: &str = "43010219900307123";
const NAME: &str = "林晓雯";
const PHONE: &str = "13912345678";
const EMAIL: &str = "linxiaowen@example.com";

fn id_number() -> String {
    format!("{ID_BODY}{}", resident_id_check_char(ID_BODY).unwrap())
}

fn wrong_check_digit() -> String {
    let right = resident_id_check_char(ID_BODY).unwrap();
    let wrong = if right == '1' { '2' } else { '1' };
    format!("{ID_BODY}{wrong}")
}

/// A browser: one cookie jar for the form cookie.
struct Browser<'a> {
    app: &'a Router,
    cookie: Option<String>,
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

impl<'a> Browser<'a> {
    fn new(app: &'a Router) -> Self {
        Self { app, cookie: None }
    }

    fn keep(&mut self, r: &Resp) {
        if let Some(v) = r.cookie("gk_form") {
            self.cookie = Some(format!("gk_form={v}"));
        }
    }

    async fn get(&mut self, path: &str) -> Resp {
        let mut b = Request::get(path);
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c);
        }
        let r = send(self.app, b.body(Body::empty()).unwrap()).await;
        self.keep(&r);
        r
    }

    async fn post(&mut self, path: &str, body: String) -> Resp {
        let mut b =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c);
        }
        let r = send(self.app, b.body(Body::from(body)).unwrap()).await;
        self.keep(&r);
        r
    }
}

/// The value of `<input … name="{name}" … value="…">` in a page.
fn input_value(body: &str, name: &str) -> Option<String> {
    let marker = format!(r#"name="{name}""#);
    let at = body.find(&marker)?;
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

fn fields(id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("applicant_kind", "natural".into()),
        ("name", NAME.into()),
        ("id_type", "resident_id".into()),
        ("id_number", id.into()),
        ("phone", PHONE.into()),
        ("email", EMAIL.into()),
        ("info_title", "青岚大道拓宽工程环境影响评价报告".into()),
        (
            "info_description",
            "2025年青岚大道拓宽工程的环境影响评价报告及批复文件".into(),
        ),
        ("provision_form", "email".into()),
        ("delivery", "email".into()),
    ]
}

fn body_of(page: &str, mut f: Vec<(&'static str, String)>, answer: Option<String>) -> String {
    f.push(("token", input_value(page, "token").expect("token field")));
    f.push(("answer", answer.unwrap_or_else(|| solve(page))));
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    form_body(&pairs)
}

/// The text after a `<dt>label</dt><dd …>` up to `</dd>`.
fn dd_after(body: &str, label: &str) -> String {
    let at = body.find(&format!("<dt>{label}</dt>")).expect(label);
    let rest = &body[at..];
    let start = rest.find("<dd").unwrap();
    let gt = rest[start..].find('>').unwrap() + start + 1;
    let end = rest[gt..].find("</dd>").unwrap() + gt;
    rest[gt..end].to_string()
}

async fn cases_of(h: &Harness, org_id: i64) -> Vec<gongkai_core::request::RequestCase> {
    h.store
        .list_requests(&CaseQuery {
            org_ids: vec![org_id],
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

/// Applies through the form; returns the result page.
async fn apply(b: &mut Browser<'_>, org_id: i64) -> Resp {
    let path = format!("/agency/{org_id}/apply");
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let r = b
        .post(&path, body_of(&page.body, fields(&id_number()), None))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r
}

#[tokio::test]
async fn the_agency_list_offers_every_active_agency_with_its_office() {
    let h = Harness::new().await;
    let a = h.store.get_org(h.orgs.dept_a).await.unwrap().unwrap();
    let mut draft = gongkai_core::org::OrgDraft {
        name: a.name.clone(),
        short_name: a.short_name.clone(),
        code: a.code.clone(),
        kind: a.kind,
        level: a.level,
        sort_order: a.sort_order,
        active: true,
        successor_id: None,
        contact: a.contact.clone(),
    };
    draft.contact.office_name = Some("青岚市交通运输局办公室".into());
    draft.contact.phone = Some("0731-84567890".into());
    h.store
        .update_org(&Actor::cli(), a.id, &draft)
        .await
        .unwrap();
    let b_org = h.store.get_org(h.orgs.dept_b).await.unwrap().unwrap();
    let closed = gongkai_core::org::OrgDraft {
        name: b_org.name.clone(),
        short_name: None,
        code: None,
        kind: b_org.kind,
        level: b_org.level,
        sort_order: 0,
        active: false,
        successor_id: Some(a.id),
        contact: Default::default(),
    };
    h.store
        .update_org(&Actor::cli(), b_org.id, &closed)
        .await
        .unwrap();

    let r = h.get("/apply", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&format!(
        r#"<a href="/agency/{}/apply">青岚市交通运输局</a>"#,
        a.id
    )));
    assert!(
        r.body
            .contains("青岚市交通运输局办公室 · 电话 0731-84567890")
    );
    assert!(!r.body.contains(&format!("/agency/{}/apply", b_org.id)));
    assert!(r.body.contains(r#"<a href="/status">查询办理进度</a>"#));

    // The agency's 专栏 links to its form; a closed agency points to its successor.
    let landing = h.get(&format!("/agency/{}", a.id), None).await;
    assert!(landing.body.contains(&format!(
        r#"<a class="btn btn-primary" href="/agency/{}/apply">申请公开</a>"#,
        a.id
    )));
    let closed_form = h.get(&format!("/agency/{}/apply", b_org.id), None).await;
    assert_eq!(closed_form.status, StatusCode::OK);
    assert!(closed_form.body.contains("不再受理政府信息公开申请"));
    assert!(closed_form.body.contains(&format!(
        r#"<a href="/agency/{}/apply">青岚市交通运输局</a>"#,
        a.id
    )));
    assert!(
        !closed_form
            .body
            .contains("<form method=\"post\" action=\"/agency/")
    );
    assert_eq!(
        h.get("/agency/9999/apply", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_citizen_applies_and_sees_the_number_and_code_once() {
    let h = Harness::new().await;
    let mut b = Browser::new(&h.app);
    let page = b.get(&format!("/agency/{}/apply", h.orgs.dept_a)).await;
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let cookie = page.set_cookies().join("\n");
    assert!(cookie.contains("gk_form="), "{cookie}");
    assert!(cookie.contains("Path=/; HttpOnly; SameSite=Strict"));
    // Every 条例第二十九条 element is asked for; a purpose is not.
    for label in [
        "申请人类型",
        "<optgroup label=\"法人或其他组织\">",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "姓名或者名称",
        "身份证明类型",
        "证件号码",
        "联系人",
        "联系电话",
        "电子邮箱",
        "通信地址",
        "信息名称",
        "文号",
        "所需信息的特征性描述",
        "政府信息的提供形式",
        "获取信息的方式",
        "光盘/电子数据",
        "当场阅读、抄录",
    ] {
        assert!(page.body.contains(label), "{label}");
    }
    assert!(page.body.contains("无需说明申请用途"));
    assert!(!page.body.contains(r#"name="purpose""#), "no purpose field");

    let before = h.audit_actions().await.len();
    let body = body_of(&page.body, fields(&id_number()), None);
    let done = b
        .post(&format!("/agency/{}/apply", h.orgs.dept_a), body.clone())
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(done.body.contains("申请已提交"));
    assert!(done.body.contains("青岚市交通运输局"));
    let number = dd_after(&done.body, "申请编号");
    let code = dd_after(&done.body, "查询码");
    assert!(done.body.contains("查询码只在本页面显示这一次"));
    // An address was given: the page says the number and code were also
    // e-mailed (queued with the case, checked below), without the address.
    assert!(
        done.body
            .contains("申请编号和查询码也已通过电子邮件发往您在申请中填写的电子邮箱"),
        "{}",
        done.body
    );
    assert!(!done.body.contains(EMAIL));
    assert!(!done.body.contains(&id_number()));
    assert_eq!(code.len(), 11, "{code}");

    let cases = cases_of(&h, h.orgs.dept_a).await;
    assert_eq!(cases.len(), 1);
    let c = &cases[0];
    assert_eq!(c.number, number);
    assert!(number.ends_with(&format!("-{:04}-00001", h.orgs.dept_a)));
    assert_eq!(c.channel, Channel::Online);
    assert_eq!(c.status, CaseStatus::Unconfirmed);
    assert_eq!(c.application.applicant.name, NAME);
    assert_eq!(c.application.applicant.id_doc.number, id_number());
    let found = h.store.find_request_by_code(&number, &code).await.unwrap();
    assert_eq!(found.map(|f| f.id), Some(c.id));
    let actions = h.audit_actions().await;
    assert_eq!(&actions[before..], ["request.submit"]);
    // The number and the code are queued for the applicant's e-mail in the
    // transaction that stored the case.
    let mail = h.store.list_mail(None, None, 10).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].mail.kind, gongkai_core::notify::MailKind::Submitted);
    assert_eq!(mail[0].mail.to, EMAIL);
    assert!(mail[0].mail.body.contains(&number) && mail[0].mail.body.contains(&code));

    // Reloading the result page re-posts the same form: refused, nothing new.
    let again = b
        .post(&format!("/agency/{}/apply", h.orgs.dept_a), body)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("没有重复提交"));
    assert!(!again.body.contains(&number));
    assert_eq!(cases_of(&h, h.orgs.dept_a).await.len(), 1);

    // A second, freshly opened form is a new application.
    let second = apply(&mut b, h.orgs.dept_a).await;
    assert!(dd_after(&second.body, "申请编号").ends_with("-00002"));
}

#[tokio::test]
async fn without_an_email_address_the_page_claims_no_email() {
    let h = Harness::new().await;
    let mut b = Browser::new(&h.app);
    let path = format!("/agency/{}/apply", h.orgs.dept_a);
    let page = b.get(&path).await;
    let mut f: Vec<(&'static str, String)> = fields(&id_number())
        .into_iter()
        .filter(|(k, _)| *k != "email")
        .collect();
    for (k, v) in f.iter_mut() {
        match *k {
            "provision_form" => *v = "paper".into(),
            "delivery" => *v = "pickup".into(),
            _ => {}
        }
    }
    let done = b.post(&path, body_of(&page.body, f, None)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("申请已提交"));
    assert!(!done.body.contains("电子邮件"), "{}", done.body);
    assert!(h.store.list_mail(None, None, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn forged_or_missing_tokens_are_refused() {
    let h = Harness::new().await;
    let path = format!("/agency/{}/apply", h.orgs.dept_a);
    let mut b = Browser::new(&h.app);
    let page = b.get(&path).await;
    let good = body_of(&page.body, fields(&id_number()), None);

    // No cookie (a cross-site form cannot send ours).
    let mut stranger = Browser::new(&h.app);
    let r = stranger.post(&path, good.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("页面已过期"));
    // Another browser's cookie.
    let mut other = Browser::new(&h.app);
    other.get(&path).await;
    assert_eq!(
        other.post(&path, good.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    // A token whose tag was tampered with.
    let token = input_value(&page.body, "token").unwrap();
    let (nonce, _) = token.split_once('.').unwrap();
    let forged = good.replace(&token, &format!("{nonce}.{}", "0".repeat(32)));
    assert_eq!(b.post(&path, forged).await.status, StatusCode::FORBIDDEN);
    assert!(cases_of(&h, h.orgs.dept_a).await.is_empty());
    assert!(
        !h.audit_actions()
            .await
            .iter()
            .any(|a| a == "request.submit")
    );
}

#[tokio::test]
async fn an_invalid_id_number_is_reported_next_to_the_field_and_nothing_is_stored() {
    let h = Harness::new().await;
    let path = format!("/agency/{}/apply", h.orgs.dept_a);
    let mut b = Browser::new(&h.app);
    let page = b.get(&path).await;
    let answer = solve(&page.body);
    let r = b
        .post(
            &path,
            body_of(
                &page.body,
                fields(&wrong_check_digit()),
                Some(answer.clone()),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("申请未提交"));
    assert!(r.body.contains(
        r#"<p class="field-error" id="f-id_number-error">居民身份证号码校验位不正确，请核对</p>"#
    ));
    assert!(r.body.contains(r#"aria-describedby="f-id_number-error""#));
    // Input kept, including the right answer and the same (unused) token.
    assert_eq!(input_value(&r.body, "name").as_deref(), Some(NAME));
    assert_eq!(input_value(&r.body, "email").as_deref(), Some(EMAIL));
    assert!(
        r.body
            .contains("2025年青岚大道拓宽工程的环境影响评价报告及批复文件</textarea>")
    );
    assert_eq!(input_value(&r.body, "answer"), Some(answer));
    assert_eq!(
        input_value(&r.body, "token"),
        input_value(&page.body, "token")
    );
    assert!(cases_of(&h, h.orgs.dept_a).await.is_empty());

    // An empty description and an organisation proving identity with an ID card.
    let mut f = fields(&id_number());
    f.retain(|(k, _)| *k != "info_description");
    f[0].1 = "commercial".into();
    let r = b.post(&path, body_of(&r.body, f, None)).await;
    assert!(r.body.contains(r#"id="f-info_description-error""#));
    assert!(r.body.contains("法人或其他组织请填写统一社会信用代码"));
    assert!(cases_of(&h, h.orgs.dept_a).await.is_empty());
}

#[tokio::test]
async fn a_wrong_answer_gets_a_new_question_and_stores_nothing() {
    let h = Harness::new().await;
    let path = format!("/agency/{}/apply", h.orgs.dept_a);
    let mut b = Browser::new(&h.app);
    let page = b.get(&path).await;
    let wrong = (solve(&page.body).parse::<u32>().unwrap() + 1).to_string();
    let r = b
        .post(
            &path,
            body_of(&page.body, fields(&id_number()), Some(wrong)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(r#"id="f-answer-error">验证问题的答案不正确"#)
    );
    assert_ne!(
        input_value(&r.body, "token"),
        input_value(&page.body, "token")
    );
    assert!(cases_of(&h, h.orgs.dept_a).await.is_empty());
    // Answering the new question in Chinese numerals works too.
    let answer: u32 = solve(&r.body).parse().unwrap();
    let chinese = [
        "", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    let words = if answer <= 10 {
        chinese[answer as usize].to_string()
    } else {
        format!("十{}", chinese[(answer - 10) as usize])
    };
    let ok = b
        .post(&path, body_of(&r.body, fields(&id_number()), Some(words)))
        .await;
    assert!(ok.body.contains("申请已提交"), "{}", ok.body);
}

#[tokio::test]
async fn oversized_input_is_refused_cleanly() {
    let h = Harness::new().await;
    let path = format!("/agency/{}/apply", h.orgs.dept_a);
    let mut b = Browser::new(&h.app);
    let page = b.get(&path).await;

    // 2001 characters: a field error, input kept.
    let mut f = fields(&id_number());
    f[7].1 = "文".repeat(2001);
    let r = b.post(&path, body_of(&page.body, f, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("所需信息的特征性描述不能超过2000个字符"));

    // 300 KiB: refused by the form's own limit with a Chinese page.
    let mut f = fields(&id_number());
    f[7].1 = "a".repeat(300 * 1024);
    let r = b.post(&path, body_of(&page.body, f, None)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("提交的内容过长"), "{}", r.body);

    // A 10 MB field never reaches a handler.
    let mut f = fields(&id_number());
    f[7].1 = "a".repeat(10 * 1024 * 1024);
    let r = b.post(&path, body_of(&page.body, f, None)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(cases_of(&h, h.orgs.dept_a).await.is_empty());
    assert!(
        !h.audit_actions()
            .await
            .iter()
            .any(|a| a == "request.submit")
    );
}

#[tokio::test]
async fn applications_per_contact_are_limited() {
    let h = Harness::new().await;
    let limits = PublicLimits {
        apply_per_contact: Limiter::new(1, Duration::from_secs(3600)),
        ..Default::default()
    };
    let state = AppState {
        public_limits: Arc::new(limits),
        ..AppState::new(h.store.clone(), WebConfig::default())
    };
    let app = app(state);
    let mut b = Browser::new(&app);
    let first = apply(&mut b, h.orgs.dept_a).await;
    assert!(first.body.contains("申请已提交"));
    let path = format!("/agency/{}/apply", h.orgs.dept_b);
    let page = b.get(&path).await;
    let r = b
        .post(&path, body_of(&page.body, fields(&id_number()), None))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(r#"id="f-phone-error">使用该联系方式提交的申请今日已达上限"#)
    );
    assert!(cases_of(&h, h.orgs.dept_b).await.is_empty());
}

/// Creates a case in the past with a known code, confirmed, so that its
/// deadline does not depend on today's date.
async fn past_case(h: &Harness) -> (String, &'static str) {
    let code = "7K2MX9QH4T";
    let application = ApplicationForm {
        applicant_kind: "natural".into(),
        name: NAME.into(),
        id_type: "resident_id".into(),
        id_number: id_number(),
        contact: ContactForm {
            phone: PHONE.into(),
            email: EMAIL.into(),
            ..Default::default()
        },
        info_title: "青岚大道拓宽工程环境影响评价报告".into(),
        info_description: "2025年青岚大道拓宽工程的环境影响评价报告".into(),
        provision_form: "email".into(),
        delivery: "email".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let c = h
        .store
        .create_request(
            &Actor::public(),
            h.orgs.dept_a,
            &Intake {
                channel: Channel::Online,
                arrived_on: d("2026-03-02"),
                application,
            },
            &QueryCode::parse(code).unwrap(),
            None,
        )
        .await
        .unwrap();
    h.store
        .append_request_entries(
            &Actor::user(h.users.root, "root"),
            c.id,
            &[
                NewCaseEntry::new(CaseAction::Confirm {
                    on: d("2026-03-03"),
                }),
                NewCaseEntry::with_comment(CaseAction::Note, "内部备注：申请人林晓雯来电"),
            ],
            d("2026-03-04"),
        )
        .await
        .unwrap();
    (c.number, code)
}

fn lookup_body(page: &str, number: &str, code: &str) -> String {
    form_body(&[
        ("token", &input_value(page, "token").unwrap()),
        ("number", number),
        ("code", code),
    ])
}

#[tokio::test]
async fn the_status_page_shows_the_timeline_without_personal_data() {
    let h = Harness::new().await;
    let (number, code) = past_case(&h).await;
    let mut b = Browser::new(&h.app);
    let form = b.get("/status").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains(r#"<form method="post" action="/status">"#)
    );
    let r = b
        .post("/status", lookup_body(&form.body, &number, "7k2mx-9qh4t"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(r.body.contains("申请办理进度"));
    assert!(r.body.contains(&number));
    assert!(r.body.contains("青岚市交通运输局"));
    assert!(r.body.contains("青岚大道拓宽工程环境影响评价报告"));
    assert!(r.body.contains(
        "2026年03月02日</span> <span class=\"case-timeline-text\">通过网上申请平台提交申请"
    ));
    assert!(r.body.contains(
        "2026年03月03日</span> <span class=\"case-timeline-text\">本机关确认收到申请并出具受理回执"
    ));
    // 20 working days from the day after 03-03 (清明 is later): 03-31.
    assert!(
        r.body.contains("<dt>答复期限</dt><dd>2026年03月31日"),
        "{}",
        r.body
    );
    for secret in [NAME, id_number().as_str(), PHONE, EMAIL, code, "内部备注"] {
        assert!(!r.body.contains(secret), "{secret} on the status page");
    }
}

#[tokio::test]
async fn a_forged_query_code_gets_one_generic_error_and_is_rate_limited() {
    let h = Harness::new().await;
    let (number, code) = past_case(&h).await;
    let mut b = Browser::new(&h.app);
    let form = b.get("/status").await;
    let wrong = b
        .post("/status", lookup_body(&form.body, &number, "7K2MX9QH4U"))
        .await;
    let unknown = b
        .post("/status", lookup_body(&form.body, "2026-9999-00001", code))
        .await;
    let message = "申请编号或查询码不正确，请核对后重新输入";
    for r in [&wrong, &unknown] {
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(message));
        assert!(!r.body.contains("申请办理进度</h1>\n  <dl"));
        assert!(!r.body.contains("7K2MX9QH4"), "the code is never echoed");
    }
    // The same page whether or not the number exists (apart from the echo
    // of what was typed and the fresh token).
    let strip = |r: &Resp, n: &str| {
        let token = input_value(&r.body, "token").unwrap();
        r.body.replace(n, "N").replace(&token, "T")
    };
    assert_eq!(strip(&wrong, &number), strip(&unknown, "2026-9999-00001"));
    // Eight more failures reach the limit of ten; then even the right code
    // is refused.
    for _ in 0..8 {
        let r = b
            .post("/status", lookup_body(&form.body, &number, "ABCDE23456"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = b
        .post("/status", lookup_body(&form.body, &number, code))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("查询失败次数过多"));
    // A token from another browser is refused before any look-up.
    let mut other = Browser::new(&h.app);
    other.get("/status").await;
    let r = other
        .post("/status", lookup_body(&form.body, &number, code))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// A writer that collects everything the tracing subscriber prints.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_id_number_appears_on_no_public_page_and_in_no_log_line() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let h = Harness::new().await;
    let mut b = Browser::new(&h.app);
    let done = apply(&mut b, h.orgs.dept_a).await;
    let number = dd_after(&done.body, "申请编号");
    let code = dd_after(&done.body, "查询码");
    let mut pages = vec![done.body.clone()];
    let form = b.get("/status").await;
    let status = b
        .post("/status", lookup_body(&form.body, &number, &code))
        .await;
    assert_eq!(status.status, StatusCode::OK);
    pages.push(status.body);
    for path in [
        "/".to_string(),
        "/apply".to_string(),
        format!("/agency/{}", h.orgs.dept_a),
        format!("/agency/{}/apply", h.orgs.dept_a),
        "/status".to_string(),
    ] {
        pages.push(b.get(&path).await.body);
    }
    for p in &pages {
        assert!(!p.contains(&id_number()));
        assert!(!p.contains(NAME));
    }
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("/status"), "the subscriber saw the requests");
    for secret in [id_number().as_str(), NAME, PHONE, EMAIL, code.as_str()] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
}
