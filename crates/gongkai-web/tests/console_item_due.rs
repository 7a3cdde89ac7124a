//! The 第二十六条 work list over HTTP, with "today" fixed on Monday
//! 2024-10-28: an item formed on 2024-09-27 (across 国庆, with the 09-29 and
//! 10-12 make-up days) is due on 2024-10-30, two working days ahead; one
//! formed early in September is overdue; one formed a week ago is not
//! listed; one formed in a year the calendar lacks is listed as such. The
//! list is scoped to the caller's agencies, and this year's publications
//! are counted per agency with their on-time figures. The dashboard links
//! the counts.

use crate::common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::Harness;
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::html::SafeHtml;
use gongkai_core::item::deadline::{DueStatus, publication_deadline};
use gongkai_core::item::taxonomy::default_columns;
use gongkai_core::item::{
    DisclosureMode, DocKind, IndexNo, ItemDraft, ItemId, LegacyItem, Validity,
};
use gongkai_core::org::{OrgKind, OrgLevel};
use gongkai_web::{AppState, WebConfig, app};

const TODAY: &str = "2024-10-28";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The agency's 民生保障 column, after seeding its default tree.
async fn column(h: &Harness, org: OrgId) -> i64 {
    h.store
        .seed_item_columns(
            &Actor::cli(),
            org,
            &default_columns(OrgKind::Department, OrgLevel::City),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.key.as_deref() == Some("key_livelihood"))
        .unwrap()
        .id
}

fn draft(column_id: i64, title: &str, formed: &str, disclosure: DisclosureMode) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        summary: "内容概述".into(),
        body: SafeHtml::sanitize("<p>正文</p>"),
        issuers: vec!["青岚市交通运输局".into()],
        doc_number: None,
        written_on: None,
        formed_on: d(formed),
        topic: "civil_affairs".into(),
        column_id,
        genre: "notice".into(),
        keywords: vec![],
        disclosure,
        doc_kind: DocKind::Other,
        validity: Validity::Effective,
    }
}

async fn create(h: &Harness, org: OrgId, draft: &ItemDraft) -> ItemId {
    let author = Actor::user(h.users.publisher_a, "pub.a");
    h.store
        .create_item(&author, org, draft)
        .await
        .unwrap()
        .item
        .id
}

/// The part of the page between two markers.
fn between<'a>(body: &'a str, from: &str, to: &str) -> &'a str {
    let start = body.find(from).unwrap_or_else(|| panic!("no {from}"));
    let end = body[start..].find(to).unwrap_or_else(|| panic!("no {to}")) + start;
    &body[start..end]
}

#[tokio::test]
async fn the_due_list_sorts_items_by_their_deadline_within_the_scope() {
    let mut h = Harness::new().await;
    let state = AppState::new(h.store.clone(), WebConfig::default());
    state.clock.set(Some(d(TODAY)));
    h.app = app(state);
    let (a, b) = (h.orgs.dept_a, h.orgs.dept_b);
    let col_a = column(&h, a).await;
    let col_b = column(&h, b).await;
    let proactive = DisclosureMode::Proactive;

    let national_day = create(
        &h,
        a,
        &draft(col_a, "国庆前形成的通知", "2024-09-27", proactive),
    )
    .await;
    let overdue = create(
        &h,
        a,
        &draft(col_a, "九月初形成的公告", "2024-09-02", proactive),
    )
    .await;
    create(
        &h,
        a,
        &draft(col_a, "上周形成的通报", "2024-10-21", proactive),
    )
    .await;
    let unknown = create(
        &h,
        a,
        &draft(col_a, "二〇一八年形成的旧文件", "2018-05-02", proactive),
    )
    .await;
    create(
        &h,
        a,
        &draft(
            col_a,
            "依申请公开的答复材料",
            "2024-09-02",
            DisclosureMode::OnRequest,
        ),
    )
    .await;
    let other = create(
        &h,
        b,
        &draft(col_b, "教育局逾期的信息", "2024-09-02", proactive),
    )
    .await;
    // Published this year (imported with their 发布日期): one on time, one
    // late; one of last year that does not count.
    let legacy = |no: &str, formed: &str, published: &str| LegacyItem {
        org_id: a,
        index_no: IndexNo::legacy(no).unwrap(),
        published_on: d(published),
        meta: draft(col_a, "历史信息", formed, proactive),
        attachments: vec![],
        repealed_by_index_no: None,
    };
    h.store
        .import_items(
            &Actor::cli(),
            &[
                legacy("JT-2024-1", "2024-03-01", "2024-03-05"),
                legacy("JT-2024-2", "2024-01-02", "2024-03-05"),
                legacy("JT-2023-1", "2023-03-01", "2023-03-05"),
            ],
        )
        .await
        .unwrap();

    let s = h.login("pub.a").await;
    let page = h.get("/console/items/due", Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;

    let over = between(body, r#"id="overdue-h""#, r#"id="soon-h""#);
    assert!(over.contains("已逾期（1 条）"), "{over}");
    assert!(over.contains(&format!("/console/items/{overdue}")));
    assert!(over.contains("九月初形成的公告"));
    let cal = WorkdayCalendar::official();
    let due = publication_deadline(&cal, d("2024-09-02")).unwrap().due;
    let late = DueStatus::of(&cal, due, d(TODAY)).unwrap().label();
    assert!(late.starts_with("已逾期"));
    assert!(over.contains(&late), "{late}");
    assert!(over.contains(&due.format("%Y年%m月%d日").to_string()));

    let soon = between(body, r#"id="soon-h""#, r#"id="unknown-h""#);
    assert!(soon.contains("3个工作日内到期（1 条）"), "{soon}");
    assert!(soon.contains(&format!("/console/items/{national_day}")));
    assert!(soon.contains("2024年09月27日"));
    assert!(soon.contains("2024年10月30日"), "formed 09-27, due 10-30");
    assert!(soon.contains("还剩2个工作日"));
    assert!(soon.contains("含调休上班日 09-29、10-12"), "{soon}");
    assert!(soon.contains("草稿"));

    let none = between(body, r#"id="unknown-h""#, "另有");
    assert!(none.contains("期限无法计算（1 条）"));
    assert!(none.contains(&format!("/console/items/{unknown}")));
    assert!(none.contains("2018"), "{none}");
    assert!(none.contains("无法计算"));

    assert!(body.contains("另有 1 条"));
    assert!(!body.contains("上周形成的通报"));
    assert!(!body.contains("依申请公开的答复材料"));
    assert!(!body.contains("教育局逾期的信息"), "another agency's item");
    assert!(!body.contains(&format!("/console/items/{other}\"")));

    // This year's publications of the agency: 2 published, 1 on time, 1 late.
    let figures = between(body, r#"id="fig-h""#, "</table>");
    assert!(figures.contains("2024年发布情况"));
    assert!(
        figures.contains(
            "<td>青岚市交通运输局</td><td class=\"num\">2</td><td class=\"num\">1</td>\
             <td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">50.0%</td>"
        ),
        "{figures}"
    );

    // The dashboard counts and links them.
    let dash = h.get("/console", Some(&s.cookie)).await;
    assert!(dash.body.contains("href=\"/console/items/due#overdue\""));
    assert!(dash.body.contains("已逾期 <strong>1</strong> 条"));
    assert!(dash.body.contains("3个工作日内到期 <strong>1</strong> 条"));
    assert!(dash.body.contains("期限无法计算 <strong>1</strong> 条"));

    // The city's administrator views every agency, so sees both overdue items.
    let root = h.login("root").await;
    let page = h.get("/console/items/due", Some(&root.cookie)).await;
    let over = between(&page.body, r#"id="overdue-h""#, r#"id="soon-h""#);
    assert!(over.contains("已逾期（2 条）"));
    assert!(over.contains("教育局逾期的信息"));
    assert!(over.contains("青岚市教育局"));
}

#[tokio::test]
async fn a_calendar_year_missing_ahead_is_said_not_guessed() {
    // 2026-12-28 is in the stretch the 2027 notice may still change, and
    // the shipped calendar has no 2027: nothing can be computed.
    let mut h = Harness::new().await;
    let state = AppState::new(h.store.clone(), WebConfig::default());
    state.clock.set(Some(d("2026-12-28")));
    h.app = app(state);
    let a = h.orgs.dept_a;
    let col = column(&h, a).await;
    create(
        &h,
        a,
        &draft(
            col,
            "年底形成的信息",
            "2026-12-01",
            DisclosureMode::Proactive,
        ),
    )
    .await;
    let s = h.login("pub.a").await;
    let page = h.get("/console/items/due", Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("无法确定3个工作日后的日期"));
    assert!(page.body.contains("需要 2027 年"), "{}", page.body);
    let none = between(&page.body, r#"id="unknown-h""#, "另有");
    assert!(none.contains("期限无法计算（1 条）"));
    assert!(none.contains("年底形成的信息"));
    assert!(page.body.contains("2026年尚未发布主动公开信息"));
}
