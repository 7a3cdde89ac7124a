//! The console's working-day calendar page over HTTP: the years in force,
//! the import preview with the cases whose reply due date moves, the
//! confirmation that stores the years, bad input, and who may import.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use common::{Harness, PASSWORD, Resp, Session};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::request::ApplicationForm;
use gongkai_core::request::case::{Intake, QueryCode, RequestCase};
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::user::{Grant, NewUser, Role};

const ID_BODY: &str = "11010519491231002";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn case(h: &Harness, org: OrgId, arrived: &str) -> RequestCase {
    let application = ApplicationForm {
        applicant_kind: "natural".into(),
        name: "周建国".into(),
        id_type: "resident_id".into(),
        id_number: format!("{ID_BODY}{}", resident_id_check_char(ID_BODY).unwrap()),
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
            &Actor::public(),
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

async fn grant(h: &Harness, user: gongkai_core::UserId, role: Role, org: OrgId) {
    h.store
        .grant(&Actor::cli(), user, &Grant::new(role, org, false))
        .await
        .unwrap();
}

/// The shipped 2026 notice with 2026-11-16 (a Monday) made a holiday, and
/// a 2027 notice with only 元旦: the first moves a November deadline by a
/// day, the second makes a deadline reaching into January computable.
fn import_toml() -> String {
    let y2026 = WorkdayCalendar::official()
        .years()
        .find(|y| y.year == 2026)
        .cloned()
        .unwrap();
    let list = |dates: &mut Vec<String>| {
        dates.sort();
        dates
            .iter()
            .map(|d| format!("\"{d}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut off: Vec<String> = y2026.off.iter().map(|d| d.to_string()).collect();
    off.push("2026-11-16".into());
    let mut work: Vec<String> = y2026.work.iter().map(|d| d.to_string()).collect();
    format!(
        "[y2026]\nnotice = \"更正通知（测试）\"\noff = [{}]\nwork = [{}]\n\n\
         [y2027]\nnotice = \"国务院办公厅关于2027年部分节假日安排的通知（测试）\"\n\
         off = [\"2027-01-01\"]\nwork = []\n",
        list(&mut off),
        list(&mut work)
    )
}

const BOUNDARY: &str = "----gongkaiCalendarBoundary";

/// Posts the preview form as multipart: the csrf field first, then the
/// pasted text, then (optionally) a file.
async fn preview(h: &Harness, s: &Session, content: &str, file: Option<&[u8]>) -> Resp {
    let mut b: Vec<u8> = Vec::new();
    let mut text = |name: &str, value: &str| {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    text("csrf", &s.csrf);
    text("content", content);
    if let Some(data) = file {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2027.toml\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::post("/console/calendar/preview")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::CONTENT_LENGTH, b.len())
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(b))
        .unwrap();
    h.send(req).await
}

async fn stored_years(h: &Harness) -> Vec<i32> {
    h.store
        .list_calendar_years()
        .await
        .unwrap()
        .iter()
        .map(|y| y.year)
        .collect()
}

#[tokio::test]
async fn every_console_user_sees_the_years_with_their_source_and_dates() {
    let h = Harness::new().await;
    let s = h.login("pub.a").await;
    let r = h.get("/console/calendar", Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("工作日历"));
    assert!(r.body.contains("2026年") && r.body.contains("2019年"));
    assert!(r.body.contains("年</a></td><td>内置</td>"));
    assert!(!r.body.contains("<td>已导入</td>"));
    // 国庆 2024: a weekday holiday and a make-up Sunday.
    assert!(
        r.body
            .contains("2024年10月01日</td><td>星期二</td><td>法定节假日")
    );
    assert!(
        r.body
            .contains("2024年09月29日</td><td>星期日</td><td>调休上班日")
    );
    // Not an administrator: no import form.
    assert!(!r.body.contains("/console/calendar/preview"));

    let root = h.login("root").await;
    let r = h.get("/console/calendar", Some(&root.cookie)).await;
    assert!(r.body.contains(r#"action="/console/calendar/preview""#));
    assert!(r.body.contains(r#"<label for="cal-content">"#));
}

#[tokio::test]
async fn preview_lists_moved_cases_and_confirm_stores_the_years() {
    let h = Harness::new().await;
    // The administrator also handles dept_a's requests; dept_b's cases
    // are only counted for them.
    grant(&h, h.users.root, Role::CaseHandler, h.orgs.dept_a).await;
    let moved = case(&h, h.orgs.dept_a, "2026-11-02").await;
    let into_2027 = case(&h, h.orgs.dept_a, "2026-12-10").await;
    let unaffected = case(&h, h.orgs.dept_a, "2026-10-12").await;
    let other = case(&h, h.orgs.dept_b, "2026-11-02").await;
    let s = h.login("root").await;
    let toml = import_toml();

    let r = preview(&h, &s, &toml, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("替换 2026 年"), "{}", r.body);
    assert!(r.body.contains("新增 2027 年"));
    assert!(
        r.body
            .contains("2026年11月16日</td><td>星期一</td><td>工作日</td><td>法定节假日")
    );
    assert!(
        r.body
            .contains("2027年01月01日</td><td>星期五</td><td>尚无数据</td><td>法定节假日")
    );
    // 20 working days from 2026-11-02: 11-30, one day later with 11-16 off.
    assert!(r.body.contains(&format!(
        "{}</a></td><td>青岚市交通运输局</td><td>2026年11月30日</td><td>2026年12月01日</td><td>期限变动",
        moved.number
    )));
    // From 2026-12-10 the deadline reaches into 2027: unknown before.
    assert!(r.body.contains(&format!(
        "{}</a></td><td>青岚市交通运输局</td><td>无法计算（缺少节假日安排）</td><td>2027年01月08日</td><td>首次可以计算",
        into_2027.number
    )));
    assert!(!r.body.contains(&unaffected.number));
    assert!(!r.body.contains(&other.number));
    assert!(r.body.contains("另有 1 件"));
    // The personal data of the cases is not part of this page.
    assert!(!r.body.contains("周建国"));
    // Nothing is stored by the preview.
    assert!(stored_years(&h).await.is_empty());
    assert!(
        !h.audit_actions()
            .await
            .contains(&"calendar.put".to_string())
    );

    // The confirm form carries the text back.
    assert!(r.body.contains(r#"action="/console/calendar/import""#));
    let r = h
        .post(&s, "/console/calendar/import", &[("content", &toml)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/console/calendar?imported=2026,2027#moved");
    assert_eq!(stored_years(&h).await, vec![2026, 2027]);
    let actions = h.audit_actions().await;
    assert_eq!(
        actions.iter().filter(|a| *a == "calendar.put").count(),
        2,
        "{actions:?}"
    );

    // The page now lists the moved cases (against the shipped calendar).
    let r = h.get(r.location(), Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("已保存 2026、2027 年的节假日安排"));
    assert!(r.body.contains("2027年</a></td><td>已导入</td>"));
    assert!(r.body.contains("2026年</a></td><td>已导入</td>"));
    assert!(r.body.contains("2025年</a></td><td>内置</td>"));
    assert!(r.body.contains(&format!(
        "{}</a></td><td>青岚市交通运输局</td><td>2026年11月30日</td><td>2026年12月01日",
        moved.number
    )));
    assert!(r.body.contains(&into_2027.number));
    assert!(!r.body.contains(&unaffected.number));

    // The handler's overview links to the list.
    let r = h.get("/console/requests/overview", Some(&s.cookie)).await;
    assert!(r.body.contains(r#"href="/console/calendar#moved""#));
}

#[tokio::test]
async fn an_uploaded_file_is_previewed_like_pasted_text() {
    let h = Harness::new().await;
    let s = h.login("root").await;
    let file = b"[y2027]\nnotice = \"2027 notice\"\noff = [\"2027-01-01\"]\n";
    let r = preview(&h, &s, "", Some(file)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("新增 2027 年：放假 1 天，调休上班 0 天"));
    assert!(stored_years(&h).await.is_empty());
}

#[tokio::test]
async fn bad_input_names_the_line_and_stores_nothing() {
    let h = Harness::new().await;
    let s = h.login("root").await;

    let bad_date = "[y2027]\nnotice = \"x\"\noff = [\"2027-01-01\",\n  \"2027-02-30\"]\n";
    let r = preview(&h, &s, bad_date, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第 4 行"), "{}", r.body);
    assert!(r.body.contains("2027-02-30"));
    // The text is kept for correction.
    assert!(r.body.contains("notice = &#34;x&#34;") || r.body.contains("notice = &quot;x&quot;"));

    let syntax = "[y2027]\nnotice = \"x\"\noff = [\"2027-01-01\"\n\n[y2028]\n";
    let r = preview(&h, &s, syntax, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("TOML 格式有误"), "{}", r.body);
    assert!(
        r.body.contains("第 5 行") || r.body.contains("第 4 行"),
        "{}",
        r.body
    );

    let r = preview(&h, &s, "  \n", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请粘贴工作日历内容或选择文件"));

    let r = preview(&h, &s, "[year2027]\nnotice = \"x\"\n", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("[y2027]"));

    // A confirm that was tampered with is parsed again and refused.
    let both = "[y2027]\nnotice = \"x\"\noff = [\"2027-01-01\"]\nwork = [\"2027-01-01\"]\n";
    let r = h
        .post(&s, "/console/calendar/import", &[("content", both)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("同时被列为放假和上班"), "{}", r.body);

    assert!(stored_years(&h).await.is_empty());
    assert!(
        !h.audit_actions()
            .await
            .contains(&"calendar.put".to_string())
    );
}

#[tokio::test]
async fn only_administrators_of_a_root_organisation_may_import() {
    let h = Harness::new().await;
    let toml = "[y2027]\nnotice = \"x\"\noff = [\"2027-01-01\"]\n";
    // A case handler of the city government itself.
    let u = h
        .store
        .create_user(
            &Actor::cli(),
            &NewUser {
                username: "handler.city".into(),
                display_name: "办理员".into(),
                org_id: h.orgs.city,
                password_hash: gongkai_core::password::hash(PASSWORD).unwrap(),
            },
        )
        .await
        .unwrap();
    grant(&h, u.id, Role::CaseHandler, h.orgs.city).await;
    for who in ["pub.a", "sup", "county.admin", "handler.city"] {
        let s = h.login(who).await;
        let r = preview(&h, &s, toml, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
        let r = h
            .post(&s, "/console/calendar/import", &[("content", toml)])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
        let r = h.get("/console/calendar", Some(&s.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{who}");
        assert!(!r.body.contains("/console/calendar/preview"), "{who}");
    }
    // Without the form token even the administrator is refused.
    let s = h.login("root").await;
    let r = h
        .post_raw(
            "/console/calendar/import",
            Some(&s.cookie),
            common::form_body(&[("content", toml)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(stored_years(&h).await.is_empty());
}
