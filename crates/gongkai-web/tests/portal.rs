//! The public portal end to end: a real SQLite store in a temporary
//! directory, requests through the whole router (security layers included).

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::guide::GuideText;
use gongkai_core::org::{OfficeContact, OrgDraft, OrgKind, OrgLevel};
use gongkai_core::policy_doc::PolicyDocForm;
use gongkai_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Site {
    app: Router,
    ids: Ids,
    doc_id: i64,
    _dir: tempfile::TempDir,
}

struct Ids {
    city: OrgId,
    office: OrgId,
    edu: OrgId,
    county: OrgId,
    town: OrgId,
    grain: OrgId,
    ndrc: OrgId,
}

fn draft(name: &str, kind: OrgKind, level: OrgLevel, sort_order: i32) -> OrgDraft {
    OrgDraft {
        name: name.into(),
        short_name: None,
        code: None,
        kind,
        level,
        sort_order,
        active: true,
        successor_id: None,
        contact: OfficeContact::default(),
    }
}

async fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let url = gongkai_store::sqlite_url_for_data_dir(dir.path()).unwrap();
    let store = gongkai_store::open(&url).await.unwrap();
    let a = Actor::cli();
    let mk = |parent: Option<OrgId>, d: OrgDraft| {
        let store = store.clone();
        let a = a.clone();
        async move { store.create_org(&a, parent, &d).await.unwrap().id }
    };
    use OrgKind::*;
    use OrgLevel::*;
    let city = mk(None, draft("青岚市人民政府", Government, City, 0)).await;
    let office = mk(
        Some(city),
        draft("青岚市人民政府办公室", GeneralOffice, City, 1),
    )
    .await;
    let mut edu_draft = draft("青岚市教育局", Department, City, 2);
    edu_draft.contact = OfficeContact {
        office_name: Some("青岚市教育局办公室".into()),
        address: Some("青岚市文昌路18号".into()),
        office_hours: Some("工作日上午9:00-12:00".into()),
        phone: Some("0799-8123456".into()),
        fax: None,
        email: Some("gk@jyj.example.gov.cn".into()),
        website: Some("https://jyj.example.gov.cn/".into()),
        postcode: Some("337000".into()),
    };
    let edu = mk(Some(city), edu_draft).await;
    let ndrc = mk(
        Some(city),
        draft("青岚市发展和改革委员会", Department, City, 3),
    )
    .await;
    let mut grain_draft = draft("青岚市粮食局", Department, City, 4);
    grain_draft.active = false;
    grain_draft.successor_id = Some(ndrc);
    let grain = mk(Some(city), grain_draft).await;
    let county = mk(Some(city), draft("枫溪县人民政府", Government, County, 0)).await;
    let town = mk(
        Some(county),
        draft("白石镇人民政府", TownshipStreet, Township, 0),
    )
    .await;

    let guide = GuideText {
        classification: "<b>按主题分类</b>\n第二行".into(),
        arrangement: "按发布日期倒序排列。".into(),
        access: "一、主动公开：通过本专栏查阅。\n\n二、依申请公开：向本机关提出申请。".into(),
        extra: String::new(),
    };
    store.put_guide(&a, edu, &guide).await.unwrap();

    let form = PolicyDocForm {
        title: "青岚市教育局政府信息公开保密审查制度".into(),
        body: "<p>第一条 为规范保密审查工作，制定本制度。</p><script>alert('x')</script>".into(),
        issued_on: "2024-03-01".into(),
    };
    let doc = store
        .create_policy_doc(&a, edu, &form.validate().unwrap())
        .await
        .unwrap();

    let state = AppState::new(store, WebConfig::default());
    Site {
        app: app(state),
        ids: Ids {
            city,
            office,
            edu,
            county,
            town,
            grain,
            ndrc,
        },
        doc_id: doc.id,
        _dir: dir,
    }
}

async fn get(app: &Router, uri: &str) -> (StatusCode, HeaderMap, String) {
    let res = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

/// Byte offset of `needle`, failing with the page when it is missing.
fn pos(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in:\n{page}"))
}

#[tokio::test]
async fn home_lists_active_agencies_by_level_and_kind() {
    let s = site().await;
    let (status, _, page) = get(&s.app, "/").await;
    assert_eq!(status, StatusCode::OK);
    // The single root names the site.
    assert!(page.contains("<title>政府信息公开 - 青岚市人民政府</title>"));
    let city = pos(&page, "市级机构");
    let county = pos(&page, "县级机构");
    let town = pos(&page, "乡级机构");
    assert!(city < county && county < town);
    let office_kind = pos(&page, "政府办公厅（室）");
    let dept_kind = pos(&page, "工作部门");
    let office = pos(
        &page,
        &format!("href=\"/agency/{}\">青岚市人民政府办公室", s.ids.office),
    );
    let edu = pos(
        &page,
        &format!("href=\"/agency/{}\">青岚市教育局", s.ids.edu),
    );
    assert!(city < office_kind && office_kind < office && office < dept_kind);
    assert!(dept_kind < edu && edu < county);
    let county_gov = pos(
        &page,
        &format!("href=\"/agency/{}\">枫溪县人民政府", s.ids.county),
    );
    assert!(county < county_gov && county_gov < town);
    let town_heading = pos(&page, "枫溪县人民政府辖区");
    let township = pos(
        &page,
        &format!("href=\"/agency/{}\">白石镇人民政府", s.ids.town),
    );
    assert!(town < town_heading && town_heading < township);
    assert!(
        !page.contains("青岚市粮食局"),
        "closed agency must not be listed"
    );
    assert!(page.contains(&format!("/agency/{}", s.ids.ndrc)));
    assert!(page.contains("href=\"/console/login\">工作人员登录"));
}

#[tokio::test]
async fn agency_landing_links_the_four_columns_with_a_breadcrumb() {
    let s = site().await;
    let (status, _, page) = get(&s.app, &format!("/agency/{}", s.ids.town)).await;
    assert_eq!(status, StatusCode::OK);
    for (seg, label) in [
        ("guide", "政府信息公开指南"),
        ("rules", "政府信息公开制度"),
        ("catalog", "法定主动公开内容"),
        ("annual-reports", "政府信息公开年报"),
    ] {
        assert!(
            page.contains(&format!(
                "href=\"/agency/{}/{seg}\">{label}</a>",
                s.ids.town
            )),
            "missing column {label}"
        );
    }
    let crumbs = &page[pos(&page, "class=\"breadcrumb\"")..];
    let crumbs = &crumbs[..pos(crumbs, "</nav>")];
    let c = pos(
        crumbs,
        &format!("href=\"/agency/{}\">青岚市人民政府", s.ids.city),
    );
    let k = pos(
        crumbs,
        &format!("href=\"/agency/{}\">枫溪县人民政府", s.ids.county),
    );
    let here = pos(crumbs, "aria-current=\"page\">白石镇人民政府");
    assert!(c < k && k < here);
    assert!(!page.contains("aria-current=\"page\">政府信息公开指南"));
}

#[tokio::test]
async fn guide_shows_contact_data_and_escaped_text() {
    let s = site().await;
    let (status, _, page) = get(&s.app, &format!("/agency/{}/guide", s.ids.edu)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("青岚市教育局政府信息公开指南"));
    assert!(page.contains(&format!(
        "href=\"/agency/{}/guide\" aria-current=\"page\">政府信息公开指南",
        s.ids.edu
    )));
    let one = pos(&page, "一、信息分类与编排体系");
    let two = pos(&page, "二、获取方式");
    let three = pos(&page, "三、政府信息公开工作机构");
    assert!(one < two && two < three);
    assert!(!page.contains("四、"), "empty 其他事项 must not be shown");
    // Plain text is escaped, line breaks kept, blank lines make paragraphs.
    assert!(page.contains("<p>&#60;b&#62;按主题分类&#60;/b&#62;<br>第二行</p>"));
    assert!(!page.contains("<b>按主题分类"));
    assert!(page.contains(
        "<p>一、主动公开：通过本专栏查阅。</p><p>二、依申请公开：向本机关提出申请。</p>"
    ));
    for v in [
        "青岚市教育局办公室",
        "青岚市文昌路18号",
        "工作日上午9:00-12:00",
        "0799-8123456",
        "337000",
    ] {
        assert!(page.contains(v), "missing contact value {v}");
    }
    assert!(page.contains("href=\"mailto:gk@jyj.example.gov.cn\""));
    assert!(page.contains("href=\"https://jyj.example.gov.cn/\""));
    // Fax was not entered: marked, not invented.
    let fax = pos(&page, "<dt>传真号码</dt>");
    assert!(
        page[fax..]
            .trim_start_matches("<dt>传真号码</dt>")
            .trim_start()
            .starts_with("<dd><span class=\"not-provided\">（未填写）</span>")
    );
}

#[tokio::test]
async fn rules_list_and_document_are_sanitised() {
    let s = site().await;
    let (status, _, page) = get(&s.app, &format!("/agency/{}/rules", s.ids.edu)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!(
        "href=\"/agency/{}/rules/{}\">青岚市教育局政府信息公开保密审查制度</a>",
        s.ids.edu, s.doc_id
    )));
    assert!(page.contains("2024年03月01日"));

    let (status, _, page) = get(&s.app, &format!("/agency/{}/rules/{}", s.ids.edu, s.doc_id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<p>第一条 为规范保密审查工作，制定本制度。</p>"));
    assert!(!page.contains("<script"));
    assert!(!page.contains("alert("));
    assert!(page.contains("印发日期：2024年03月01日"));

    // The same document under another agency's URL does not exist.
    let (status, _, page) = get(
        &s.app,
        &format!("/agency/{}/rules/{}", s.ids.office, s.doc_id),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("页面不存在"));
}

#[tokio::test]
async fn empty_columns_say_so_honestly() {
    let s = site().await;
    for col in ["catalog", "annual-reports"] {
        let (status, _, page) = get(&s.app, &format!("/agency/{}/{col}", s.ids.edu)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("本栏目暂无已发布的信息。"), "{col}");
    }
    let (_, _, page) = get(&s.app, &format!("/agency/{}/rules", s.ids.office)).await;
    assert!(page.contains("本栏目暂无已发布的信息。"));
}

#[tokio::test]
async fn a_closed_agency_keeps_its_page_and_points_to_its_successor() {
    let s = site().await;
    let (status, _, page) = get(&s.app, &format!("/agency/{}", s.ids.grain)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("该机构已撤销或合并"));
    assert!(page.contains(&format!(
        "href=\"/agency/{}\">青岚市发展和改革委员会</a>",
        s.ids.ndrc
    )));
    let (_, _, page) = get(&s.app, &format!("/agency/{}", s.ids.edu)).await;
    assert!(!page.contains("该机构已撤销或合并"));
}

#[tokio::test]
async fn unknown_pages_are_chinese_404s() {
    let s = site().await;
    for uri in [
        "/agency/99999".to_string(),
        "/agency/abc/guide".to_string(),
        format!("/agency/{}/rules/99999", s.ids.edu),
        "/no-such-page".to_string(),
    ] {
        let (status, _, page) = get(&s.app, &uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            page.contains("<h1 id=\"error-title\">页面不存在</h1>"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn security_headers_health_and_stylesheet() {
    let s = site().await;
    let (status, headers, body) = get(&s.app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "ok");
    let (_, headers_home, _) = get(&s.app, "/").await;
    for h in [&headers, &headers_home] {
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("default-src 'self'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(h.contains_key(header::REFERRER_POLICY));
    }
    let (status, headers, css) = get(&s.app, "/static/gongkai.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.contains(":focus-visible"));
}
