//! The public JSON API end to end on a real SQLite store: catalog listing
//! with filters and paging, item detail, 404/410 problems, parameter
//! errors, search (simplified and traditional), agencies and columns, and
//! the cross-origin and cookie rules.

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::NaiveDate;
use common::Harness;
use common::catalog::{self, PDF, col, draft, legacy};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::item::ItemId;
use gongkai_core::item::column::Column;
use gongkai_files::{ObjectFileStore, UploadLimits};
use gongkai_web::{AppState, WebConfig, app, search_sync};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

const BASE: &str = "https://gk.example.gov.cn";

struct Site {
    h: Harness,
    app: Router,
    a: OrgId,
    b: OrgId,
    cols_a: Vec<Column>,
    /// 交通运输局 normative rule with a PDF attachment.
    rule: ItemId,
    /// Repealed by `rule`.
    old_rule: ItemId,
    /// 教育局 notice, body with a script, indexed under a traditional title.
    notice: ItemId,
    withdrawn: ItemId,
    draft: ItemId,
}

async fn site() -> Site {
    let h = Harness::new().await;
    let store = h.store.clone();
    let cli = Actor::cli();
    let (a, b) = (h.orgs.dept_a, h.orgs.dept_b);
    let (cols_a, cols_b) = catalog::seed_columns(&h).await;
    let files = Arc::new(ObjectFileStore::in_memory());

    let mut batch = vec![catalog::transport_rule(&files, a, &cols_a).await];
    batch.extend(catalog::work_updates_2023(a, &cols_a));
    batch.push(legacy(
        b,
        "QLJY/2025-00008",
        "2025-04-01",
        draft("青岚市教育局關於推進政務公開工作的通知", col(&cols_b, "policy_other"), |f| {
            f.issuers = "青岚市教育局".into();
            f.topic = "science_education".into();
            f.doc_number = "青教发〔2025〕8号".into();
            f.body = "<p>各区县教育局：</p><script>alert(1)</script><p>现将政务公开有关事项通知如下。</p>"
                .into();
        }),
    ));
    batch.push(legacy(
        b,
        "QLJY/2025-00010",
        "2025-04-03",
        draft(
            "青岚市教育局政务公开工作要点（已撤回）",
            col(&cols_b, "policy_other"),
            |f| {
                f.issuers = "青岚市教育局".into();
            },
        ),
    ));
    let ids = store.import_items(&cli, &batch).await.unwrap();
    let (rule, notice, withdrawn) = (ids[0], ids[26], ids[27]);
    let old_rule = catalog::import_repealed_rule(&h, &cols_a, rule).await;
    let draft_item = catalog::unpublished_draft(&h, &cols_a).await;

    let config = WebConfig {
        public_url: Some(BASE.into()),
        ..Default::default()
    };
    let state = AppState::new(store.clone(), config).with_files(files, UploadLimits::default());
    state.clock.set(NaiveDate::from_ymd_opt(2026, 6, 1));
    // Index every public item the way the console does after publishing;
    // the withdrawal below is deliberately not synced, so the index is
    // stale the way it is between two catch-up rounds.
    let mut all = ids.clone();
    all.push(old_rule);
    for id in all {
        search_sync::item_changed(&state, id).await;
    }
    catalog::withdraw(&h, withdrawn).await;
    Site {
        app: app(state),
        h,
        a,
        b,
        cols_a,
        rule,
        old_rule,
        notice,
        withdrawn,
        draft: draft_item,
    }
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
}

impl Got {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn get_with(app: &Router, path: &str, origin: Option<&str>) -> Got {
    let mut req = Request::get(path);
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{path}: not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    Got {
        status,
        headers,
        json,
    }
}

async fn get(app: &Router, path: &str) -> Got {
    get_with(app, path, None).await
}

fn titles(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

fn assert_problem(g: &Got, status: u16) {
    assert_eq!(g.status.as_u16(), status, "{}", g.json);
    assert_eq!(g.header("content-type"), "application/problem+json");
    assert_eq!(g.json["status"], status);
    assert!(g.json["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(g.json["type"].is_string());
    assert!(g.json["detail"].is_string());
}

#[tokio::test]
async fn the_list_filters_pages_and_links_like_the_catalog() {
    let s = site().await;
    // Everything public: 26 of 交通运输局, 1 old rule, 1 of 教育局; not the
    // draft, not the withdrawn item.
    let all = get(&s.app, "/api/v1/items").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.header("content-type"), "application/json");
    assert_eq!(all.json["total"], 28);
    assert_eq!(
        (all.json["page"].as_i64(), all.json["per_page"].as_i64()),
        (Some(1), Some(20))
    );
    assert_eq!(all.json["items"].as_array().unwrap().len(), 20);
    // Newest first.
    assert_eq!(all.json["items"][0]["id"], s.notice);
    let link = all.header("link");
    assert!(
        link.contains(&format!("<{BASE}/api/v1/items?page=2>; rel=\"next\"")),
        "{link}"
    );
    assert!(!link.contains("rel=\"prev\""), "{link}");
    assert!(link.contains(&format!("<{BASE}/api/v1/items?page=2>; rel=\"last\"")));

    // A filter plus paging: the Link header keeps the filters.
    let p2 = get(
        &s.app,
        &format!("/api/v1/items?org={}&per_page=10&page=2", s.a),
    )
    .await;
    assert_eq!(p2.json["total"], 27);
    assert_eq!(p2.json["items"].as_array().unwrap().len(), 10);
    let link = p2.header("link");
    assert!(link.contains(&format!(
        "<{BASE}/api/v1/items?org={}&per_page=10&page=1>; rel=\"prev\"",
        s.a
    )));
    assert!(link.contains(&format!(
        "<{BASE}/api/v1/items?org={}&per_page=10&page=3>; rel=\"next\"",
        s.a
    )));

    let normative = get(
        &s.app,
        "/api/v1/items?doc_kind=normative&validity=effective",
    )
    .await;
    assert_eq!(
        titles(&normative.json),
        ["青岚市交通运输局关于印发《青岚市公共汽车客运管理办法》的通知"]
    );
    let repealed = get(&s.app, "/api/v1/items?validity=废止").await;
    assert_eq!(repealed.json["total"], 1);
    let v = &repealed.json["items"][0]["validity"];
    assert_eq!(v["key"], "repealed");
    assert_eq!(v["label"], "废止");
    assert_eq!(v["date"], "2025-03-10");
    assert_eq!(v["repealed_by"]["id"], s.rule);
    assert_eq!(
        v["repealed_by"]["api_url"],
        format!("{BASE}/api/v1/items/{}", s.rule)
    );
    let by_year = get(&s.app, "/api/v1/items?year=2023&topic=industry_transport").await;
    assert_eq!(by_year.json["total"], 25);
    let by_key = get(&s.app, "/api/v1/items?column=policy_normative").await;
    assert_eq!(by_key.json["total"], 2);
    let by_id = get(
        &s.app,
        &format!(
            "/api/v1/items?org={}&column={}",
            s.a,
            col(&s.cols_a, "policy")
        ),
    )
    .await;
    // `policy` includes its sub-column 行政规范性文件.
    assert_eq!(by_id.json["total"], 2);

    // Sub-agencies: the city government's subtree holds both departments.
    let city = s.h.orgs.city;
    let only_city = get(&s.app, &format!("/api/v1/items?org={city}")).await;
    assert_eq!(only_city.json["total"], 0);
    let subtree = get(
        &s.app,
        &format!("/api/v1/items?org={city}&include_sub_agencies=true"),
    )
    .await;
    assert_eq!(subtree.json["total"], 28);
    let b_only = get(&s.app, &format!("/api/v1/items?org={}", s.b)).await;
    assert_eq!(b_only.json["total"], 1);

    // The public metadata of one line.
    let rule = normative.json["items"][0].clone();
    assert_eq!(rule["index_no"], "QLJT/2025-00003");
    assert_eq!(rule["publisher"]["id"], s.a);
    assert_eq!(rule["publisher"]["name"], "青岚市交通运输局");
    assert_eq!(rule["issuers"][0], "青岚市交通运输局");
    assert_eq!(rule["doc_number"], "青交发〔2025〕3号");
    assert_eq!(rule["written_on"], "2025-03-01");
    assert_eq!(rule["published_on"], "2025-03-10");
    assert_eq!(rule["topic"]["key"], "industry_transport");
    assert!(rule["topic"]["label"].as_str().unwrap().contains("交通"));
    assert_eq!(rule["genre"]["key"], "notice");
    assert_eq!(rule["genre"]["label"], "通知");
    assert_eq!(rule["doc_kind"]["label"], "行政规范性文件");
    assert_eq!(rule["keywords"][0], "公共汽车");
    assert_eq!(rule["column"]["id"], col(&s.cols_a, "policy_normative"));
    assert_eq!(rule["url"], format!("{BASE}/items/{}", s.rule));
    assert_eq!(rule["api_url"], format!("{BASE}/api/v1/items/{}", s.rule));
    // Nothing of the workflow or the body in a list.
    assert!(rule.get("body_html").is_none());
    assert!(rule.get("formed_on").is_none());
    assert!(rule.get("author_name").is_none());
}

#[tokio::test]
async fn bad_filters_are_a_problem_with_every_field_named() {
    let s = site().await;
    let g = get(
        &s.app,
        "/api/v1/items?year=20255&doc_kind=x&per_page=500&column=nope&include_sub_agencies=true",
    )
    .await;
    assert_problem(&g, 400);
    assert_eq!(g.json["type"], "urn:gongkai:problem:invalid-parameters");
    assert_eq!(g.header("cache-control"), "no-store");
    let errors = g.json["errors"].as_array().unwrap();
    let field = |name: &str| {
        errors
            .iter()
            .find(|e| e["field"] == name)
            .and_then(|e| e["message"].as_str())
            .unwrap_or_else(|| panic!("no error for {name}: {errors:?}"))
            .to_string()
    };
    assert_eq!(field("year"), "年份应为1949至2026之间的四位数字");
    assert_eq!(field("doc_kind"), "文件类型应为规章、行政规范性文件或其他");
    assert_eq!(field("per_page"), "每页条数应为1至100之间的整数");
    assert_eq!(field("column"), "栏目不存在，请从列表中选择");
    assert!(field("include_sub_agencies").contains("org"));
    assert_eq!(errors.len(), 5);

    // A column id of another agency is refused.
    let cols_b = s.h.store.list_item_columns(s.b).await.unwrap();
    let g = get(
        &s.app,
        &format!("/api/v1/items?org={}&column={}", s.a, cols_b[0].id),
    )
    .await;
    assert_problem(&g, 400);
    assert_eq!(g.json["errors"][0]["field"], "column");
    // A parameter given twice cannot be read.
    let g = get(&s.app, "/api/v1/items?page=1&page=2").await;
    assert_problem(&g, 400);
    assert_eq!(g.json["errors"][0]["field"], "query");
    // Search parameters too.
    let g = get(&s.app, "/api/v1/search?q=x&sort=title&org=999999").await;
    assert_problem(&g, 400);
    let fields: Vec<&str> = g.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["org", "sort"]);
}

#[tokio::test]
async fn an_item_has_its_content_attachments_and_safe_body() {
    let s = site().await;
    let g = get(&s.app, &format!("/api/v1/items/{}", s.rule)).await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.json["id"], s.rule);
    assert_eq!(
        g.json["title"],
        "青岚市交通运输局关于印发《青岚市公共汽车客运管理办法》的通知"
    );
    assert_eq!(g.json["validity"]["key"], "effective");
    assert!(g.json["validity"]["repealed_by"].is_null());
    let att = &g.json["attachments"][0];
    assert_eq!(att["name"], "附件1：青岚市公共汽车客运管理办法.pdf");
    assert_eq!(att["media_type"], "application/pdf");
    assert_eq!(att["type_label"], "PDF");
    assert_eq!(att["size"], PDF.len());
    assert_eq!(att["sha256"].as_str().unwrap().len(), 64);
    let url = att["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{BASE}/items/{}/attachments/", s.rule)));
    // The download address works on the portal.
    let path = url.strip_prefix(BASE).unwrap();
    let resp = s
        .app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .as_ref(),
        PDF
    );
    assert!(g.json["corrections"].as_array().unwrap().is_empty());

    // The body is sanitised HTML plus plain text.
    let n = get(&s.app, &format!("/api/v1/items/{}", s.notice)).await;
    let html = n.json["body_html"].as_str().unwrap();
    assert!(html.contains("<p>各区县教育局：</p>"), "{html}");
    assert!(
        !html.contains("script") && !html.contains("alert"),
        "{html}"
    );
    assert_eq!(
        n.json["body_text"],
        "各区县教育局：\n现将政务公开有关事项通知如下。"
    );
    assert_eq!(n.json["doc_number"], "青教发〔2025〕8号");

    // By 索引号, raw or percent-encoded: the same item.
    for path in [
        "/api/v1/items/by-index/QLJT/2025-00003",
        "/api/v1/items/by-index/QLJT%2F2025-00003",
    ] {
        let b = get(&s.app, path).await;
        assert_eq!(b.status, StatusCode::OK, "{path}");
        assert_eq!(b.json["id"], s.rule, "{path}");
    }
    let old = get(&s.app, &format!("/api/v1/items/{}", s.old_rule)).await;
    assert_eq!(
        old.json["validity"]["repealed_by"]["title"],
        g.json["title"]
    );
}

#[tokio::test]
async fn drafts_are_404_and_withdrawn_items_410() {
    let s = site().await;
    let d = get(&s.app, &format!("/api/v1/items/{}", s.draft)).await;
    assert_problem(&d, 404);
    assert_eq!(d.json["type"], "about:blank");
    for path in [
        "/api/v1/items/0",
        "/api/v1/items/abc",
        "/api/v1/items/999999",
    ] {
        assert_problem(&get(&s.app, path).await, 404);
    }
    let w = get(&s.app, &format!("/api/v1/items/{}", s.withdrawn)).await;
    assert_problem(&w, 410);
    assert_eq!(w.json["type"], "urn:gongkai:problem:withdrawn");
    assert_eq!(w.json["title"], "信息已撤回");
    // Nothing of the withdrawn content is said.
    assert!(!w.json.to_string().contains("工作要点"));
    let w = get(&s.app, "/api/v1/items/by-index/QLJY/2025-00010").await;
    assert_problem(&w, 410);
    assert_problem(&get(&s.app, "/api/v1/items/by-index/NOPE-1").await, 404);
    // Neither appears in the list.
    let all = get(&s.app, "/api/v1/items?per_page=100").await;
    let ids: Vec<i64> = all.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert!(!ids.contains(&s.draft) && !ids.contains(&s.withdrawn));
}

#[tokio::test]
async fn search_finds_simplified_and_traditional_and_drops_withdrawn_hits() {
    let s = site().await;
    // The title is in traditional characters; a simplified query finds it.
    let g = get(&s.app, "/api/v1/search?q=政务公开").await;
    assert_eq!(g.status, StatusCode::OK);
    let hits = g.json["hits"].as_array().unwrap();
    let ids: Vec<i64> = hits.iter().map(|h| h["id"].as_i64().unwrap()).collect();
    // The withdrawn item is still in the (stale) index but never served.
    assert_eq!(ids, [s.notice]);
    let hit = &hits[0];
    let marked: String = hit["title"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|seg| seg["hit"] == true)
        .map(|seg| seg["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, "政務公開");
    let whole: String = hit["title"]
        .as_array()
        .unwrap()
        .iter()
        .map(|seg| seg["text"].as_str().unwrap())
        .collect();
    assert_eq!(whole, "青岚市教育局關於推進政務公開工作的通知");
    assert_eq!(hit["publisher"]["id"], s.b);
    assert_eq!(hit["topic"]["key"], "science_education");
    assert_eq!(hit["validity"]["key"], "effective");
    assert_eq!(hit["api_url"], format!("{BASE}/api/v1/items/{}", s.notice));
    assert_eq!(g.json["facets"]["agencies"][0]["id"], s.b);
    assert!(g.json["facets"]["years"].is_array());

    // Traditional query, simplified text (the rule's title).
    let t = get(&s.app, "/api/v1/search?q=公共汽車客運").await;
    let ids: Vec<i64> = t.json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&s.rule), "{}", t.json);
    // A 发文字号 in other brackets matches exactly.
    let e = get(&s.app, "/api/v1/search?q=青交发[2025]3号").await;
    assert_eq!(e.json["hits"][0]["id"], s.rule);
    assert_eq!(e.json["hits"][0]["exact"], true);

    // Filters and paging.
    let f = get(
        &s.app,
        &format!(
            "/api/v1/search?q=工作动态&org={}&year=2023&sort=date&per_page=5&page=2",
            s.a
        ),
    )
    .await;
    assert_eq!(f.json["total"], 25);
    assert_eq!(f.json["hits"].as_array().unwrap().len(), 5);
    assert_eq!(f.json["hits"][0]["published_on"], "2023-01-20");
    assert!(f.header("link").contains("rel=\"next\""));
    assert!(f.header("link").contains("sort=date"));
    let none = get(&s.app, "/api/v1/search?q=工作动态&validity=repealed").await;
    assert_eq!(none.json["total"], 0);
}

#[tokio::test]
async fn agencies_and_their_columns() {
    let s = site().await;
    let g = get(&s.app, "/api/v1/agencies").await;
    assert_eq!(g.status, StatusCode::OK);
    let list = g.json["agencies"].as_array().unwrap();
    assert_eq!(list[0]["id"], s.h.orgs.city);
    assert!(list[0]["parent_id"].is_null());
    let a = list.iter().find(|o| o["id"] == s.a).unwrap();
    assert_eq!(a["name"], "青岚市交通运输局");
    assert_eq!(a["level"]["key"], "city");
    assert_eq!(a["parent_id"], s.h.orgs.city);
    assert_eq!(
        a["columns_api_url"],
        format!("{BASE}/api/v1/agencies/{}/columns", s.a)
    );
    // Parents come before children.
    for (i, o) in list.iter().enumerate() {
        if let Some(p) = o["parent_id"].as_i64() {
            assert!(list[..i].iter().any(|x| x["id"] == p), "{o}");
        }
    }

    let c = get(&s.app, &format!("/api/v1/agencies/{}/columns", s.a)).await;
    assert_eq!(c.json["agency"]["id"], s.a);
    let cols = c.json["columns"].as_array().unwrap();
    assert_eq!(cols.len(), s.cols_a.len());
    let normative = cols
        .iter()
        .find(|c| c["key"] == "policy_normative")
        .unwrap();
    assert_eq!(normative["parent_id"], col(&s.cols_a, "policy"));
    assert!(normative["depth"].as_u64().unwrap() >= 1);
    assert_problem(&get(&s.app, "/api/v1/agencies/999999/columns").await, 404);
}

#[tokio::test]
async fn anyone_may_read_without_cookies_and_errors_stay_json() {
    let s = site().await;
    let g = get_with(&s.app, "/api/v1/items", Some("https://data.example.org")).await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.header("access-control-allow-origin"), "*");
    assert!(
        g.header("access-control-expose-headers")
            .to_ascii_lowercase()
            .contains("link")
    );
    assert!(g.headers.get("access-control-allow-credentials").is_none());
    assert!(g.headers.get(header::SET_COOKIE).is_none());
    assert_eq!(g.header("cache-control"), "public, max-age=60");

    // A preflight is answered for GET.
    let resp = s
        .app
        .clone()
        .oneshot(
            Request::options("/api/v1/search")
                .header(header::ORIGIN, "https://data.example.org")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");

    // Unknown routes and methods are problems, not the HTML page.
    let n = get_with(&s.app, "/api/v1/nope", Some("https://data.example.org")).await;
    assert_problem(&n, 404);
    assert!(n.headers.get(header::SET_COOKIE).is_none());
    for path in [
        "/api/v1",
        "/api/v1/",
        "/api/v1/items/1/extra",
        "/api/v2/items",
    ] {
        assert_problem(&get(&s.app, path).await, 404);
    }
    let resp = s
        .app
        .clone()
        .oneshot(
            Request::delete("/api/v1/items")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");

    for path in [
        "/api/v1/agencies",
        "/api/v1/search?q=通知",
        "/api/v1/openapi.json",
    ] {
        let g = get(&s.app, path).await;
        assert_eq!(g.status, StatusCode::OK, "{path}");
        assert!(g.headers.get(header::SET_COOKIE).is_none(), "{path}");
    }
}

#[tokio::test]
async fn keyset_paging_walks_the_whole_catalog_and_page_numbers_stop_at_the_cap() {
    let s = site().await;
    let ids = |g: &Got| -> Vec<i64> {
        g.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    let everything = get(&s.app, "/api/v1/items?per_page=100").await;
    assert_eq!(everything.json["total_exact"], true);
    assert_eq!(
        everything.json["next_after"],
        Value::Null,
        "one page holds all"
    );
    let expected = ids(&everything);
    assert_eq!(expected.len(), 28);

    // Follow next_after (and the Link rel="next") from the first page on.
    let first = get(&s.app, "/api/v1/items?per_page=10").await;
    let mut walked = ids(&first);
    let mut cursor = first.json["next_after"].as_str().unwrap().to_string();
    let mut pages = 1;
    loop {
        let g = get(&s.app, &format!("/api/v1/items?per_page=10&after={cursor}")).await;
        assert_eq!(g.status, StatusCode::OK);
        assert_eq!(g.json["page"], 1);
        walked.extend(ids(&g));
        pages += 1;
        let link = g.header("link");
        assert!(
            link.contains(&format!(
                "<{BASE}/api/v1/items?per_page=10&page=1>; rel=\"first\""
            )),
            "{link}"
        );
        assert!(!link.contains("rel=\"last\""), "{link}");
        match g.json["next_after"].as_str() {
            Some(next) => {
                assert!(
                    link.contains(&format!(
                        "<{BASE}/api/v1/items?per_page=10&after={next}>; rel=\"next\""
                    )),
                    "{link}"
                );
                cursor = next.to_string();
            }
            None => {
                assert!(!link.contains("rel=\"next\""), "{link}");
                break;
            }
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(walked, expected, "every item once, in catalog order");

    // Filters hold while walking.
    let b = get(&s.app, &format!("/api/v1/items?org={}&per_page=1", s.b)).await;
    assert_eq!(ids(&b), [s.notice]);
    assert_eq!(b.json["next_after"], Value::Null);

    // Page numbers reach the newest 10,000; after is the way further.
    let field = |g: &Got, name: &str| {
        g.json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == name)
            .and_then(|e| e["message"].as_str())
            .map(str::to_string)
    };
    let deep = get(&s.app, "/api/v1/items?per_page=100&page=101").await;
    assert_problem(&deep, 400);
    assert!(field(&deep, "page").unwrap().contains("after"));
    let edge = get(&s.app, "/api/v1/items?per_page=100&page=100").await;
    assert_eq!(edge.status, StatusCode::OK);
    assert!(ids(&edge).is_empty());
    let bad = get(&s.app, "/api/v1/items?after=2025-03-01").await;
    assert_problem(&bad, 400);
    assert!(field(&bad, "after").unwrap().contains("next_after"));
    let both = get(&s.app, &format!("/api/v1/items?page=2&after={cursor}")).await;
    assert_problem(&both, 400);
    assert_eq!(
        field(&both, "after").as_deref(),
        Some("after 与 page 不能同时使用")
    );
}
