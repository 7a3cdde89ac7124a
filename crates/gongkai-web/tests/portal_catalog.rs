//! The public catalog end to end: listings with filters and paging, the
//! item page, attachments, Atom feeds and the sitemap, on a real SQLite
//! store with items imported and withdrawn through the store API. The
//! filter, paging and visibility tests, whose SQL differs most between the
//! backends, also run on PostgreSQL (`*_on_postgres`, skipped without
//! `GONGKAI_TEST_PG_URL`).

use crate::common;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::Utc;
use common::Harness;
use common::catalog::{self, PDF, col, draft, legacy};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::item::column::Column;
use gongkai_core::item::{Decision, ItemCommand, ItemId, ScanReport};
use gongkai_files::{ObjectFileStore, UploadLimits};
use gongkai_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use quick_xml::events::Event;
use std::sync::Arc;
use tower::ServiceExt;

const BASE: &str = "https://gk.example.gov.cn";
const TRICKY_TITLE: &str = "青岚市教育局关于<校园>安全&“双减”工作的'提示'";

struct Site {
    h: Harness,
    app: Router,
    a: OrgId,
    b: OrgId,
    cols_a: Vec<Column>,
    cols_b: Vec<Column>,
    /// 交通运输局: normative, with a PDF attachment.
    rule: ItemId,
    rule_index: String,
    /// 2024 statistics, 无文号.
    stats: ItemId,
    /// Repealed by `rule`.
    old_rule: ItemId,
    /// 教育局: notice whose body had a script.
    notice: ItemId,
    tricky: ItemId,
    withdrawn: ItemId,
    draft: ItemId,
}

async fn site() -> Site {
    site_on(Harness::new().await).await
}

async fn site_on(h: Harness) -> Site {
    let store = h.store.clone();
    let cli = Actor::cli();
    let (a, b) = (h.orgs.dept_a, h.orgs.dept_b);
    let (cols_a, cols_b) = catalog::seed_columns(&h).await;

    let files = Arc::new(ObjectFileStore::in_memory());
    let rule = catalog::transport_rule(&files, a, &cols_a).await;
    let stats = legacy(
        a,
        "QLJT/2024-00011",
        "2024-05-06",
        draft(
            "2024年一季度青岚市交通运输主要指标",
            col(&cols_a, "statistics"),
            |f| {
                f.genre = "statistics".into();
                f.formed_on = "2024-04-28".into();
                f.written_on = String::new();
            },
        ),
    );
    // Enough items to need a second page in the agency's listing.
    let mut batch = vec![rule, stats];
    batch.extend(catalog::work_updates_2023(a, &cols_a));
    let notice_meta = draft(
        "青岚市教育局关于做好2025年义务教育招生工作的通知",
        col(&cols_b, "policy_other"),
        |f| {
            f.issuers = "青岚市教育局".into();
            f.topic = "science_education".into();
            f.doc_number = "青教发〔2025〕8号".into();
            f.body = "<p>各区县教育局：</p><script>alert(1)</script><p>现将招生工作有关事项通知如下。</p>"
                .into();
        },
    );
    batch.push(legacy(b, "QLJY/2025-00008", "2025-04-01", notice_meta));
    batch.push(legacy(
        b,
        "QLJY/2025-00009",
        "2025-04-02",
        draft(TRICKY_TITLE, col(&cols_b, "policy_other"), |f| {
            f.issuers = "青岚市教育局".into();
            f.topic = "science_education".into();
        }),
    ));
    batch.push(legacy(
        b,
        "QLJY/2025-00010",
        "2025-04-03",
        draft(
            "青岚市教育局2025年校车安全检查情况通报",
            col(&cols_b, "key_inspection"),
            |f| {
                f.issuers = "青岚市教育局".into();
                f.genre = "bulletin".into();
            },
        ),
    ));
    let ids = store.import_items(&cli, &batch).await.unwrap();
    let (rule, stats) = (ids[0], ids[1]);
    let (notice, tricky, withdrawn) = (ids[27], ids[28], ids[29]);

    // The older rule, repealed by the new one.
    let old_rule = catalog::import_repealed_rule(&h, &cols_a, rule).await;
    catalog::withdraw(&h, withdrawn).await;
    let draft_item = catalog::unpublished_draft(&h, &cols_a).await;

    let config = WebConfig {
        public_url: Some(format!("{BASE}/")),
        ..Default::default()
    };
    let app = app(AppState::new(store, config).with_files(files, UploadLimits::default()));
    Site {
        h,
        app,
        a,
        b,
        cols_a,
        cols_b,
        rule,
        rule_index: catalog::RULE_INDEX.into(),
        stats,
        old_rule,
        notice,
        tricky,
        withdrawn,
        draft: draft_item,
    }
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    bytes: Bytes,
}

async fn get(app: &Router, path: &str) -> Got {
    let resp = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Got {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

fn header_of(g: &Got, name: header::HeaderName) -> &str {
    g.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn rows(page: &str) -> usize {
    page.matches("<td class=\"col-title\">").count()
}

fn total(page: &str) -> String {
    let start = page.find("共 <strong>").expect("count line") + "共 <strong>".len();
    let end = page[start..].find("</strong>").unwrap();
    page[start..start + end].to_string()
}

crate::on_both_backends!(
    filters_narrow_the_listing,
    filters_narrow_the_listing_on_postgres,
    filters_narrow
);

async fn filters_narrow(h: Harness) {
    let s = site_on(h).await;
    let all = get(&s.app, "/catalog").await;
    assert_eq!(all.status, StatusCode::OK);
    // 25 + rule + stats + old rule (交通) + notice + tricky (教育); the
    // withdrawn item and the draft are not counted.
    assert_eq!(total(&all.body), "30");
    assert!(all.body.contains("<label for=\"f-org\">发布机构</label>"));

    let cases: [(String, &str, &[&str], &[&str]); 7] = [
        (
            format!("/catalog?org={}", s.b),
            "2",
            &["义务教育招生工作"],
            &["公共汽车客运管理办法"],
        ),
        (
            "/catalog?topic=science_education".into(),
            "2",
            &["义务教育招生工作"],
            &["工作动态"],
        ),
        (
            "/catalog?kind=normative".into(),
            "2",
            &["客运管理办法", "客运管理暂行办法"],
            &["义务教育招生"],
        ),
        (
            "/catalog?validity=repealed".into(),
            "1",
            &["客运管理暂行办法", "废止"],
            &["《青岚市公共汽车客运管理办法》"],
        ),
        (
            "/catalog?year=2024".into(),
            "1",
            &["2024年一季度青岚市交通运输主要指标"],
            &["工作动态"],
        ),
        (
            "/catalog?column=statistics".into(),
            "1",
            &["2024年一季度青岚市交通运输主要指标"],
            &["客运管理办法"],
        ),
        (
            // Labels work as well as keys, and filters combine.
            format!("/catalog?org={}&genre=通知&year=2025", s.a),
            "1",
            &["客运管理办法"],
            &["暂行办法"],
        ),
    ];
    for (path, count, present, absent) in cases {
        let page = get(&s.app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(total(&page.body), count, "{path}");
        for p in present {
            assert!(page.body.contains(p), "{path} should show {p}");
        }
        for a in absent {
            assert!(!page.body.contains(a), "{path} should not show {a}");
        }
    }

    // The agency's own listing and one of its columns (with sub-columns).
    let agency = get(&s.app, &format!("/agency/{}/catalog", s.a)).await;
    assert_eq!(total(&agency.body), "28");
    assert!(agency.body.contains("栏目导航"));
    let policy = col(&s.cols_a, "policy");
    let column = get(&s.app, &format!("/agency/{}/catalog/{policy}", s.a)).await;
    assert_eq!(column.status, StatusCode::OK);
    assert_eq!(total(&column.body), "2");
    assert!(column.body.contains("客运管理办法"));
    assert!(!column.body.contains("一季度"));
    assert!(
        column
            .body
            .contains(&format!("/agency/{}/catalog/{policy}/feed.atom", s.a))
    );
    let empty = get(
        &s.app,
        &format!(
            "/agency/{}/catalog/{}",
            s.b,
            col(&s.cols_b, "finance_budget")
        ),
    )
    .await;
    assert_eq!(total(&empty.body), "0");
    assert!(empty.body.contains("本栏目暂无已发布的信息。"));
}

crate::on_both_backends!(
    listings_are_paged_newest_first,
    listings_are_paged_newest_first_on_postgres,
    paged_newest_first
);

async fn paged_newest_first(h: Harness) {
    let s = site_on(h).await;
    let first = get(&s.app, &format!("/agency/{}/catalog", s.a)).await;
    assert_eq!(rows(&first.body), 20);
    assert!(first.body.contains("第 1/2 页"));
    // Newest 发布日期 first: the 2025 rule before the 2024 statistics.
    let rule_at = first.body.find("客运管理办法").unwrap();
    let stats_at = first.body.find("主要指标").unwrap();
    assert!(rule_at < stats_at);
    let next = format!("/agency/{}/catalog?page=2", s.a);
    assert!(first.body.contains(&format!("href=\"{next}\"")));

    let second = get(&s.app, &next).await;
    assert_eq!(rows(&second.body), 8);
    assert!(second.body.contains("第 2/2 页"));
    assert!(second.body.contains("2023年第1期工作动态"));
    assert!(!second.body.contains("客运管理办法"));

    // Filters survive in the pager links.
    let filtered = get(&s.app, &format!("/agency/{}/catalog?genre=other", s.a)).await;
    assert_eq!(total(&filtered.body), "25");
    assert!(
        filtered
            .body
            .contains(&format!("/agency/{}/catalog?genre=other&#38;page=2", s.a))
    );

    let beyond = get(&s.app, &format!("/agency/{}/catalog?page=3", s.a)).await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert_eq!(rows(&beyond.body), 0);
    assert!(beyond.body.contains("该页没有信息"));
}

#[tokio::test]
async fn bad_filters_get_a_chinese_message_not_a_500() {
    let s = site().await;
    let cases = [
        ("/catalog?year=abc".to_string(), "年份应为1949至"),
        ("/catalog?topic=天气".into(), "主题分类不在可选范围内"),
        (
            "/catalog?kind=law".into(),
            "文件类型应为规章、行政规范性文件或其他",
        ),
        ("/catalog?validity=x".into(), "有效性应为有效、失效或废止"),
        (
            "/catalog?org=99999".into(),
            "发布机构不存在，请从列表中选择",
        ),
        ("/catalog?page=0".into(), "页码应为1至500之间的整数"),
        (
            format!(
                "/agency/{}/catalog?column={}",
                s.a,
                col(&s.cols_b, "policy")
            ),
            "栏目不存在，请从列表中选择",
        ),
    ];
    for (path, message) in cases {
        let page = get(&s.app, &path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(page.body.contains(message), "{path}: {}", page.body);
        assert!(page.body.contains("筛选条件有误"), "{path}");
        assert_eq!(rows(&page.body), 0, "{path}");
    }
    // Bad ids in the path are just wrong links.
    for path in [
        format!("/agency/{}/catalog/{}", s.a, col(&s.cols_b, "policy")),
        format!("/agency/{}/catalog/abc", s.a),
        "/items/abc".into(),
        "/items/0".into(),
        "/items/by-index/NO-SUCH-NUMBER".into(),
        "/sitemaps/items-0.xml".into(),
        "/sitemaps/other.xml".into(),
    ] {
        assert_eq!(
            get(&s.app, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_item_page_shows_the_metadata_block() {
    let s = site().await;
    let page = get(&s.app, &format!("/items/{}", s.rule)).await;
    assert_eq!(page.status, StatusCode::OK);
    for (label, value) in [
        ("索引号", "QLJT/2025-00003"),
        ("主题分类", "工业、交通"),
        ("发布机构", "青岚市交通运输局"),
        ("成文日期", "2025-03-01"),
        ("发文字号", "青交发〔2025〕3号"),
        ("发布日期", "2025-03-10"),
        ("文件类型", "行政规范性文件"),
        ("有效性", "有效"),
    ] {
        let cell = format!("<th scope=\"row\">{label}</th><td>{value}");
        assert!(page.body.contains(&cell), "{cell}");
    }
    assert!(
        page.body
            .contains("<th scope=\"row\">关键词</th><td colspan=\"3\">公共汽车　客运管理</td>")
    );
    assert!(page.body.contains("附件1：青岚市公共汽车客运管理办法.pdf"));
    assert!(page.body.contains("PDF，"));
    // Breadcrumb down to the column.
    assert!(page.body.contains(">行政规范性文件</a>"));

    let stats = get(&s.app, &format!("/items/{}", s.stats)).await;
    assert!(
        stats
            .body
            .contains("<th scope=\"row\">发文字号</th><td>无文号</td>")
    );

    let old = get(&s.app, &format!("/items/{}", s.old_rule)).await;
    assert!(old.body.contains("<th scope=\"row\">有效性</th><td>废止"));
    assert!(old.body.contains("废止日期：2025-03-10"));
    assert!(old.body.contains(&format!(
        "废止依据：<a href=\"/items/{}\">青岚市交通运输局关于印发《青岚市公共汽车客运管理办法》的通知</a>",
        s.rule
    )));

    let notice = get(&s.app, &format!("/items/{}", s.notice)).await;
    assert!(
        notice
            .body
            .contains("<p>现将招生工作有关事项通知如下。</p>")
    );
    assert!(!notice.body.contains("alert(1)"));
    let tricky = get(&s.app, &format!("/items/{}", s.tricky)).await;
    assert!(tricky.body.contains("&#60;校园&#62;安全&#38;"));
    assert!(!tricky.body.contains("<校园>"));

    // The 索引号 form redirects permanently to the canonical URL.
    let by_index = get(&s.app, &format!("/items/by-index/{}", s.rule_index)).await;
    assert_eq!(by_index.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        header_of(&by_index, header::LOCATION),
        format!("/items/{}", s.rule)
    );
}

#[tokio::test]
async fn attachments_are_served_with_safe_headers() {
    let s = site().await;
    let detail = s.h.store.get_public_item(s.rule).await.unwrap().unwrap();
    let att = &detail.attachments[0];
    let path = format!("/items/{}/attachments/{}", s.rule, att.id);
    let page = get(&s.app, &format!("/items/{}", s.rule)).await;
    assert!(page.body.contains(&format!("href=\"{path}\"")));

    let file = get(&s.app, &path).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(&file.bytes[..], PDF);
    assert_eq!(header_of(&file, header::CONTENT_TYPE), "application/pdf");
    assert_eq!(header_of(&file, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let disposition = header_of(&file, header::CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("inline; filename=\""),
        "{disposition}"
    );
    assert!(disposition.contains("filename*=UTF-8''%E9%99%84%E4%BB%B61"));

    // Only attachments of the public version of a public item.
    for bad in [
        format!("/items/{}/attachments/{}", s.rule, att.id + 1000),
        format!("/items/{}/attachments/{}", s.stats, att.id),
        format!("/items/{}/attachments/x", s.rule),
    ] {
        assert_eq!(
            get(&s.app, &bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
}

crate::on_both_backends!(
    drafts_and_withdrawn_items_are_never_visible,
    drafts_and_withdrawn_items_are_never_visible_on_postgres,
    never_visible
);

async fn never_visible(h: Harness) {
    let s = site_on(h).await;
    let draft_title = "尚未发布的草稿通知";
    let withdrawn_title = "校车安全检查情况通报";

    assert_eq!(
        get(&s.app, &format!("/items/{}", s.draft)).await.status,
        StatusCode::NOT_FOUND
    );
    let gone = get(&s.app, &format!("/items/{}", s.withdrawn)).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("该信息已撤回"));
    assert!(!gone.body.contains(withdrawn_title));
    assert!(!gone.body.contains("内容有误"), "the reason is not shown");
    assert_eq!(
        get(&s.app, "/items/by-index/QLJY/2025-00010").await.status,
        StatusCode::PERMANENT_REDIRECT
    );

    let inspection = col(&s.cols_b, "key_inspection");
    let mut pages = vec![
        "/catalog".to_string(),
        "/catalog?page=2".into(),
        format!("/agency/{}/catalog", s.a),
        format!("/agency/{}/catalog?page=2", s.a),
        format!("/agency/{}/catalog", s.b),
        format!("/agency/{}/catalog/{inspection}", s.b),
        "/catalog/feed.atom".into(),
        format!("/agency/{}/feed.atom", s.a),
        format!("/agency/{}/feed.atom", s.b),
        format!("/agency/{}/catalog/{inspection}/feed.atom", s.b),
        "/sitemaps/items-1.xml".into(),
    ];
    pages.push("/sitemap.xml".into());
    for path in pages {
        let got = get(&s.app, &path).await;
        assert_eq!(got.status, StatusCode::OK, "{path}");
        assert!(!got.body.contains(draft_title), "{path} shows the draft");
        assert!(
            !got.body.contains(withdrawn_title),
            "{path} shows the withdrawn item"
        );
        for id in [s.draft, s.withdrawn] {
            assert!(
                !got.body.contains(&format!("/items/{id}<"))
                    && !got.body.contains(&format!("/items/{id}\"")),
                "{path} links item {id}"
            );
        }
    }
}

/// One element of a parsed XML document: name, attributes and its own
/// text, with entities resolved.
#[derive(Debug)]
struct Elem {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
}

/// Parses a whole document, failing on anything that is not well-formed
/// XML (mismatched tags, bad or unknown entities, bad attributes).
fn parse_xml(xml: &str) -> Vec<Elem> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out: Vec<Elem> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let open = |e: &quick_xml::events::BytesStart<'_>, out: &mut Vec<Elem>| {
        let attrs = e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .expect("attribute value")
                        .into_owned(),
                )
            })
            .collect();
        out.push(Elem {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            attrs,
            text: String::new(),
        });
        out.len() - 1
    };
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) => {
                let i = open(&e, &mut out);
                stack.push(i);
            }
            Event::Empty(e) => {
                open(&e, &mut out);
            }
            Event::End(_) => {
                stack.pop().expect("balanced tags");
            }
            Event::Text(t) => {
                let text = t.decode().unwrap();
                if let Some(&i) = stack.last() {
                    out[i].text.push_str(&text);
                } else {
                    assert!(text.trim().is_empty(), "text outside the root: {text}");
                }
            }
            Event::GeneralRef(g) => {
                let resolved = match g.resolve_char_ref().expect("valid character reference") {
                    Some(c) => c.to_string(),
                    None => match &*g.decode().unwrap() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("undefined entity &{other};"),
                    },
                };
                let &i = stack.last().expect("reference inside an element");
                out[i].text.push_str(&resolved);
            }
            Event::Decl(_) => {}
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    out
}

fn texts<'a>(elems: &'a [Elem], name: &str) -> Vec<&'a str> {
    elems
        .iter()
        .filter(|e| e.name == name)
        .map(|e| e.text.as_str())
        .collect()
}

#[tokio::test]
async fn feeds_are_well_formed_atom_with_canonical_links() {
    let s = site().await;
    let feed = get(&s.app, &format!("/agency/{}/feed.atom", s.b)).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(
        header_of(&feed, header::CONTENT_TYPE),
        "application/atom+xml; charset=utf-8"
    );
    let x = parse_xml(&feed.body);
    assert_eq!(x[0].name, "feed");
    assert!(
        x[0].attrs
            .contains(&("xmlns".into(), "http://www.w3.org/2005/Atom".into()))
    );
    // Feed-level id, title, updated come first; then the entries.
    let ids = texts(&x, "id");
    assert_eq!(ids[0], format!("{BASE}/agency/{}/feed.atom", s.b));
    assert_eq!(
        &ids[1..],
        [
            format!("{BASE}/items/{}", s.tricky),
            format!("{BASE}/items/{}", s.notice)
        ]
    );
    assert_eq!(x.iter().filter(|e| e.name == "entry").count(), 2);
    let titles = texts(&x, "title");
    assert_eq!(titles[0], "青岚市教育局 法定主动公开内容");
    assert_eq!(titles[1], TRICKY_TITLE, "escaped and read back exactly");
    assert_eq!(texts(&x, "updated")[0], "2025-04-02T00:00:00+08:00");
    assert!(texts(&x, "published").contains(&"2025-04-01T00:00:00+08:00"));
    let alternates: Vec<&str> = x
        .iter()
        .filter(|e| e.name == "link")
        .filter_map(|e| {
            e.attrs
                .iter()
                .find(|(k, _)| k == "href")
                .map(|(_, v)| v.as_str())
        })
        .collect();
    assert!(alternates.contains(&format!("{BASE}/items/{}", s.notice).as_str()));
    assert!(
        texts(&x, "summary")
            .iter()
            .any(|t| t.contains("青教发〔2025〕8号"))
    );

    let all = parse_xml(&get(&s.app, "/catalog/feed.atom").await.body);
    assert_eq!(all.iter().filter(|e| e.name == "entry").count(), 30);
    let column = col(&s.cols_a, "statistics");
    let one = parse_xml(
        &get(
            &s.app,
            &format!("/agency/{}/catalog/{column}/feed.atom", s.a),
        )
        .await
        .body,
    );
    assert_eq!(
        texts(&one, "title")[1],
        "2024年一季度青岚市交通运输主要指标"
    );
    assert_eq!(one.iter().filter(|e| e.name == "entry").count(), 1);
    assert_eq!(
        get(&s.app, &format!("/agency/{}/catalog/99999/feed.atom", s.a))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_sitemap_indexes_pages_and_published_items() {
    let s = site().await;
    let index = get(&s.app, "/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(
        header_of(&index, header::CONTENT_TYPE),
        "application/xml; charset=utf-8"
    );
    let x = parse_xml(&index.body);
    assert_eq!(x[0].name, "sitemapindex");
    assert_eq!(
        texts(&x, "loc"),
        [
            format!("{BASE}/sitemaps/pages.xml"),
            format!("{BASE}/sitemaps/items-1.xml")
        ]
    );
    let pages = parse_xml(&get(&s.app, "/sitemaps/pages.xml").await.body);
    let locs = texts(&pages, "loc");
    assert!(locs.contains(&format!("{BASE}/catalog").as_str()));
    assert!(locs.contains(&format!("{BASE}/agency/{}/catalog", s.a).as_str()));

    let items = parse_xml(&get(&s.app, "/sitemaps/items-1.xml").await.body);
    assert_eq!(items[0].name, "urlset");
    let locs = texts(&items, "loc");
    assert_eq!(locs.len(), 30);
    assert!(locs.contains(&format!("{BASE}/items/{}", s.old_rule).as_str()));
    assert!(texts(&items, "lastmod").contains(&"2019-06-18"));
    assert_eq!(
        get(&s.app, "/sitemaps/items-2.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_home_page_links_the_catalog_and_lists_the_newest_items() {
    let s = site().await;
    let home = get(&s.app, "/").await;
    assert!(home.body.contains("<a href=\"/catalog\">信息公开目录</a>"));
    assert!(home.body.contains("最新公开"));
    // Newest first: the 2025-04-02 item leads; withdrawn and drafts never show.
    let tricky = home
        .body
        .find(&format!("href=\"/items/{}\"", s.tricky))
        .unwrap();
    let notice = home
        .body
        .find(&format!("href=\"/items/{}\"", s.notice))
        .unwrap();
    assert!(tricky < notice);
    assert_eq!(home.body.matches("<li><span><a href=\"/items/").count(), 8);
    assert!(!home.body.contains("校车安全检查情况通报"));
    assert!(!home.body.contains("尚未发布的草稿通知"));
}

#[tokio::test]
async fn a_correction_keeps_the_url_and_shows_its_note() {
    let s = site().await;
    let store = &s.h.store;
    let author = Actor::user(s.h.users.publisher_a, "pub.a");
    let reviewer = Actor::user(s.h.users.supervisor, "sup");
    let approver = Actor::user(s.h.users.root, "root");
    let now = Utc::now();
    let d = store
        .transition_item(
            &author,
            s.stats,
            &ItemCommand::Revise {
                correction: Some("更正一季度客运量统计口径".into()),
            },
            now,
        )
        .await
        .unwrap();
    let mut meta = d.latest().meta.clone();
    meta.title = "2024年一季度青岚市交通运输主要指标（更正）".into();
    let d = store.update_item(&author, s.stats, &meta).await.unwrap();
    let report = ScanReport::new(d.latest().fingerprint(), &[]);
    store
        .record_item_scan(&author, s.stats, &report)
        .await
        .unwrap();
    let pass = Decision::Pass { comment: None };
    store
        .transition_item(&author, s.stats, &ItemCommand::Submit, now)
        .await
        .unwrap();
    store
        .transition_item(&reviewer, s.stats, &ItemCommand::Review(pass.clone()), now)
        .await
        .unwrap();
    store
        .transition_item(
            &approver,
            s.stats,
            &ItemCommand::Approve {
                decision: pass,
                publish_at: None,
            },
            now,
        )
        .await
        .unwrap();

    let page = get(&s.app, &format!("/items/{}", s.stats)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>更正说明</strong>"));
    assert!(page.body.contains("更正一季度客运量统计口径"));
    assert!(page.body.contains("主要指标（更正）"));
    // Same 索引号 and 发布日期: a correction is not a new publication.
    assert!(
        page.body
            .contains("<th scope=\"row\">索引号</th><td>QLJT/2024-00011</td>")
    );
    assert!(
        page.body
            .contains("<th scope=\"row\">发布日期</th><td>2024-05-06</td>")
    );
    let listing = get(&s.app, "/catalog?year=2024").await;
    assert_eq!(total(&listing.body), "1");
    assert!(listing.body.contains("主要指标（更正）"));
}
