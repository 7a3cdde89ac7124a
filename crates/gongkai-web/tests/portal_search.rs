//! Portal search end to end: items imported or published through the
//! store, indexed by `search_sync` (rebuild, `item_changed`, catch-up,
//! scheduled publication), searched through `/search` and
//! `/agency/{id}/search` on a real SQLite store.

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration, Utc};
use common::Harness;
use common::catalog::{self, col, legacy};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::item::column::Column;
use gongkai_core::item::{
    Decision, IndexTemplate, ItemCommand, ItemDraft, ItemForm, ItemId, ScanReport, VersionState,
};
use gongkai_web::search_sync::{self, CatchUp};
use gongkai_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Site {
    h: Harness,
    state: AppState,
    app: Router,
    a: OrgId,
    b: OrgId,
    cols_a: Vec<Column>,
    /// 政務公開 in traditional script, 文号 湘政办函〔2017〕44号 (agency a).
    traditional: ItemId,
    /// 政务公开 in simplified script (agency b).
    simplified: ItemId,
    /// 2025年养老服务补贴 (agency a), repealed.
    pension: ItemId,
    /// Withdrawn in one test (agency b).
    bulletin: ItemId,
}

/// A valid notice of the 市政府办公室 in `column`, changed by `edit`.
fn draft(title: &str, column: i64, edit: impl FnOnce(&mut ItemForm)) -> ItemDraft {
    catalog::draft(title, column, |f| {
        f.body = "<p>各有关单位：</p><p>现将有关事项通知如下，请认真贯彻执行。</p>".into();
        f.issuers = "青岚市人民政府办公室".into();
        f.topic = "general".into();
        f.keywords = "公开".into();
        edit(f);
    })
}

async fn site() -> Site {
    let h = Harness::new().await;
    let store = h.store.clone();
    let cli = Actor::cli();
    let (a, b) = (h.orgs.dept_a, h.orgs.dept_b);
    let (cols_a, cols_b) = catalog::seed_columns(&h).await;
    let batch = vec![
        legacy(
            a,
            "QLA/2025-00001",
            "2025-03-10",
            draft(
                "关于进一步推进政務公開工作的通知",
                col(&cols_a, "policy_other"),
                |f| {
                    f.doc_number = "湘政办函〔2017〕44号".into();
                    f.body = "<p>为做好政務公開工作，现通知如下。</p>".into();
                },
            ),
        ),
        legacy(
            b,
            "QLB/2024-00002",
            "2024-06-01",
            draft(
                "青岚市政务公开工作要点",
                col(&cols_b, "policy_other"),
                |f| {
                    f.topic = "science_education".into();
                    f.body = "<p>全面推进政务公开标准化规范化。</p>".into();
                },
            ),
        ),
        legacy(
            a,
            "QLA/2025-00003",
            "2025-02-01",
            draft(
                "2025年养老服务补贴发放情况公示",
                col(&cols_a, "policy_other"),
                |f| {
                    f.topic = "civil_affairs".into();
                    f.validity = "expired".into();
                },
            ),
        ),
        legacy(
            b,
            "QLB/2025-00004",
            "2025-01-15",
            draft(
                "青岚市校车安全检查情况通报",
                col(&cols_b, "policy_other"),
                |f| {
                    f.genre = "bulletin".into();
                },
            ),
        ),
    ];
    let ids = store.import_items(&cli, &batch).await.unwrap();
    let state = AppState::new(store, WebConfig::default());
    let n = search_sync::rebuild(state.store.as_ref(), &state.files, &state.search)
        .await
        .unwrap();
    assert_eq!(n, 4, "the rebuild indexes the whole public catalog");
    Site {
        app: app(state.clone()),
        state,
        h,
        a,
        b,
        cols_a,
        traditional: ids[0],
        simplified: ids[1],
        pension: ids[2],
        bulletin: ids[3],
    }
}

struct Got {
    status: StatusCode,
    body: String,
}

async fn get(app: &Router, path: &str) -> Got {
    let resp = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Got {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn enc(s: &str) -> String {
    common::encode(s)
}

/// The item links of a result page, in order.
fn hits(body: &str) -> Vec<ItemId> {
    body.split("<h3 class=\"search-title\"><a href=\"/items/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect()
}

fn total(body: &str) -> String {
    let after = body.split("共 <strong>").nth(1).expect("a total");
    after.split('<').next().unwrap().to_string()
}

async fn search(s: &Site, q: &str) -> Got {
    let got = get(&s.app, &format!("/search?q={}", enc(q))).await;
    assert_eq!(got.status, StatusCode::OK, "{q}: {}", got.body);
    got
}

fn withdraw_cmd() -> ItemCommand {
    ItemCommand::Withdraw {
        reason: "内容有误".into(),
    }
}

#[tokio::test]
async fn simplified_and_traditional_find_each_other() {
    let s = site().await;
    for q in ["政务公开", "政務公開"] {
        let got = search(&s, q).await;
        let mut found = hits(&got.body);
        found.sort_unstable();
        let mut want = vec![s.traditional, s.simplified];
        want.sort_unstable();
        assert_eq!(found, want, "{q}");
        assert_eq!(total(&got.body), "2");
    }
    // The traditional title is highlighted in its own characters, escaped
    // segment by segment (no raw HTML from the index).
    let got = search(&s, "政务公开").await;
    assert!(got.body.contains("<mark>政務公開</mark>"), "{}", got.body);
    assert!(got.body.contains("<mark>政务公开</mark>"));
    // The metadata line.
    assert!(got.body.contains("<dt>索引号</dt><dd>QLA/2025-00001</dd>"));
    assert!(
        got.body
            .contains("<dt>发文字号</dt><dd>湘政办函〔2017〕44号</dd>")
    );
    assert!(got.body.contains("<dt>发布日期</dt><dd>2025-03-10</dd>"));
    assert!(got.body.contains("<dt>有效性</dt><dd>有效</dd>"));
}

#[tokio::test]
async fn full_width_digits_and_bracket_variants_match() {
    let s = site().await;
    assert_eq!(
        hits(&search(&s, "２０２５年养老").await.body),
        vec![s.pension]
    );
    for q in [
        "湘政办函[2017]44号",
        "湘政办函【2017】44号",
        "湘政辦函（２０１７）44號",
    ] {
        let got = search(&s, q).await;
        assert_eq!(hits(&got.body), vec![s.traditional], "{q}");
        assert!(
            got.body.contains("文号/索引号匹配"),
            "{q}: exact match flagged"
        );
    }
}

#[tokio::test]
async fn facets_count_and_link_with_the_other_filters() {
    let s = site().await;
    let got = search(&s, "政务公开").await;
    let q = enc("政务公开");
    // One item per agency; each link keeps the query text.
    let link_a = format!("/search?q={q}&#38;org={}", s.a);
    assert!(
        got.body.contains(&format!("<a href=\"{link_a}\">")),
        "{}",
        got.body
    );
    assert!(got.body.contains(&format!("/search?q={q}&#38;org={}", s.b)));
    assert!(
        got.body
            .matches("<span class=\"search-facet-count\">(1)</span>")
            .count()
            >= 2
    );
    // 主题分类 facet with the Chinese label and the key in the link.
    assert!(
        got.body
            .contains(&format!("/search?q={q}&#38;topic=general\">综合政务</a>"))
    );
    let narrowed = get(&s.app, &link_a.replace("&#38;", "&")).await;
    assert_eq!(narrowed.status, StatusCode::OK);
    assert_eq!(hits(&narrowed.body), vec![s.traditional]);
    assert_eq!(total(&narrowed.body), "1");
    // The chosen agency is shown as current with a link to remove it.
    assert!(narrowed.body.contains("<strong aria-current=\"true\">"));
    assert!(
        narrowed
            .body
            .contains(&format!("<a href=\"/search?q={q}\">不限发布机构</a>"))
    );
    // A validity facet link narrows to the expired item.
    let expired = get(&s.app, "/search?validity=expired").await;
    assert_eq!(hits(&expired.body), vec![s.pension]);
    // Sort switch keeps the query.
    assert!(got.body.contains(&format!(
        "<a href=\"/search?q={q}&#38;sort=date\">按发布日期</a>"
    )));
    let by_date = get(&s.app, &format!("/search?q={q}&sort=date")).await;
    assert_eq!(
        hits(&by_date.body),
        vec![s.traditional, s.simplified],
        "newest first"
    );
}

#[tokio::test]
async fn agency_search_stays_within_the_agency() {
    let s = site().await;
    let got = get(
        &s.app,
        &format!("/agency/{}/search?q={}", s.b, enc("政务公开")),
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(hits(&got.body), vec![s.simplified]);
    assert!(got.body.contains("站内检索"));
    // An agency outside the subtree is refused as a filter.
    let bad = get(&s.app, &format!("/agency/{}/search?org={}", s.b, s.a)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("发布机构不存在，请从列表中选择"));
}

#[tokio::test]
async fn withdrawn_items_leave_the_index_and_lagging_hits_are_dropped() {
    let s = site().await;
    let root = Actor::user(s.h.users.root, "root");
    s.h.store
        .transition_item(&root, s.bulletin, &withdraw_cmd(), Utc::now())
        .await
        .unwrap();
    search_sync::item_changed(&s.state, s.bulletin).await;
    let direct = s
        .state
        .search
        .search(&gongkai_search::Query::text("校车安全"))
        .unwrap();
    assert_eq!(direct.total, 0, "deleted from the index");
    assert!(hits(&search(&s, "校车安全").await.body).is_empty());

    // Withdrawn without telling the index (another node): the index still
    // has it, the page does not show it.
    s.h.store
        .transition_item(&root, s.pension, &withdraw_cmd(), Utc::now())
        .await
        .unwrap();
    let direct = s
        .state
        .search
        .search(&gongkai_search::Query::text("养老服务"))
        .unwrap();
    assert_eq!(direct.total, 1, "the index lags");
    let got = search(&s, "养老服务").await;
    assert!(hits(&got.body).is_empty(), "{}", got.body);
    assert!(!got.body.contains("养老服务补贴发放"));
    assert_eq!(total(&got.body), "0");
}

#[tokio::test]
async fn the_catch_up_round_resyncs_changes_made_elsewhere() {
    let s = site().await;
    let mut catch_up = CatchUp::new(Utc::now() - Duration::seconds(5));
    // The imports are recent, so the first round re-syncs them (harmless).
    catch_up.round(&s.state).await.unwrap();
    let root = Actor::user(s.h.users.root, "root");
    s.h.store
        .transition_item(&root, s.pension, &withdraw_cmd(), Utc::now())
        .await
        .unwrap();
    let synced = catch_up.round(&s.state).await.unwrap();
    assert_eq!(synced, 1, "only the changed item is synced again");
    let direct = s
        .state
        .search
        .search(&gongkai_search::Query::text("养老服务"))
        .unwrap();
    assert_eq!(direct.total, 0);
    assert_eq!(catch_up.round(&s.state).await.unwrap(), 0, "nothing new");
}

#[tokio::test]
async fn zero_hits_offer_suggestions() {
    let s = site().await;
    let got = search(&s, "正务公开").await;
    assert_eq!(total(&got.body), "0");
    assert!(got.body.contains("没有找到相关信息"));
    assert!(got.body.contains("您是不是要找："), "{}", got.body);
    assert!(got.body.contains(&format!(
        "<a href=\"/search?q={}\">政务公开</a>",
        enc("政务公开")
    )));
}

#[tokio::test]
async fn bad_parameters_get_a_chinese_message_next_to_the_field() {
    let s = site().await;
    for (query, field, message) in [
        ("year=20x5", "year", "年份应为"),
        ("sort=random", "sort", "排序方式应为按相关度或按发布日期"),
        ("validity=maybe", "validity", "有效性应为有效、失效或废止"),
        ("org=999999", "org", "发布机构不存在"),
        ("topic=weather", "topic", "主题分类不在可选范围内"),
        ("page=0", "q", "页码应为1至"),
    ] {
        let got = get(&s.app, &format!("/search?q=x&{query}")).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            got.body.contains(&format!(
                "<p class=\"field-error\" id=\"search-{field}-error\">{message}"
            )),
            "{query}: {}",
            got.body
        );
        assert!(hits(&got.body).is_empty());
    }
    let long = "政".repeat(101);
    let got = get(&s.app, &format!("/search?q={}", enc(&long))).await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    assert!(got.body.contains("检索词不能超过100个字"));
}

#[tokio::test]
async fn search_boxes_are_in_the_header_and_on_catalog_pages() {
    let s = site().await;
    let home = get(&s.app, "/").await;
    assert!(home.body.contains(
        "<form class=\"search-header\" method=\"get\" action=\"/search\" role=\"search\">"
    ));
    assert!(home.body.contains("<label for=\"header-q\""));
    let catalog = get(&s.app, "/catalog").await;
    assert!(
        catalog
            .body
            .contains("<label for=\"catalog-q\">全文检索</label>")
    );
    let agency = get(&s.app, &format!("/agency/{}/catalog", s.a)).await;
    assert!(
        agency
            .body
            .contains(&format!("action=\"/agency/{}/search\"", s.a))
    );
    // An empty search lists everything by date.
    let all = get(&s.app, "/search").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(total(&all.body), "4");
}

#[tokio::test]
async fn publish_due_publishes_scheduled_items_and_indexes_them() {
    let s = site().await;
    let store = &s.h.store;
    let author = Actor::user(s.h.users.publisher_a, "pub.a");
    let reviewer = Actor::user(s.h.users.supervisor, "sup");
    let approver = Actor::user(s.h.users.root, "root");
    let now = Utc::now();
    // The test agency has no 统一社会信用代码 for the default template.
    store
        .put_index_template(
            &Actor::cli(),
            s.a,
            &IndexTemplate::parse("QLA-{year}-{seq}").unwrap(),
        )
        .await
        .unwrap();
    let d = store
        .create_item(
            &author,
            s.a,
            &draft(
                "关于开展防汛演练的公告",
                col(&s.cols_a, "policy_other"),
                |f| {
                    f.formed_on = now.date_naive().format("%Y-%m-%d").to_string();
                    f.written_on = String::new();
                },
            ),
        )
        .await
        .unwrap();
    let id = d.item.id;
    let report = ScanReport::new(d.latest().fingerprint(), &[]);
    store.record_item_scan(&author, id, &report).await.unwrap();
    let pass = Decision::Pass { comment: None };
    store
        .transition_item(&author, id, &ItemCommand::Submit, now)
        .await
        .unwrap();
    store
        .transition_item(&reviewer, id, &ItemCommand::Review(pass.clone()), now)
        .await
        .unwrap();
    let when = now + Duration::hours(1);
    store
        .transition_item(
            &approver,
            id,
            &ItemCommand::Approve {
                decision: pass,
                publish_at: Some(when),
            },
            now,
        )
        .await
        .unwrap();

    assert_eq!(search_sync::publish_due(&s.state, now).await, 0, "not yet");
    assert!(hits(&search(&s, "防汛演练").await.body).is_empty());
    assert_eq!(search_sync::publish_due(&s.state, when).await, 1);
    let d = store.get_item(id).await.unwrap().unwrap();
    assert_eq!(d.latest().state, VersionState::Published);
    assert_eq!(
        d.transitions.last().unwrap().actor_user_id,
        None,
        "published by the system"
    );
    assert_eq!(hits(&search(&s, "防汛演练").await.body), vec![id]);
    // A second node running the same job finds nothing left to do.
    assert_eq!(search_sync::publish_due(&s.state, when).await, 0);
    assert_eq!(s.h.last_action().await, "item.publish");
}
