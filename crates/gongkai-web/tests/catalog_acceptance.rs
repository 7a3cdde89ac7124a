//! The acceptance test of 主动公开 (issue 3), driven only through HTTP:
//! a publisher of 青岚市交通运输局 drafts a notice with full metadata and
//! two attachments — a DOCX list that holds a 居民身份证号 and a scanned
//! PDF without a text layer — with a personal mobile number in the body;
//! 提交审查 runs the scanner, which blocks it and shows masked excerpts
//! only; the author (who also holds the reviewer role) may not review it,
//! another agency's reviewer cannot even see it, and the public finds it
//! nowhere; the reviewer masks the body number with one click, replaces
//! the DOCX with a redacted copy, overrides the scanned PDF with a reason
//! and passes the review; the approver publishes, on time; the public sees
//! it in the listings, the item page (with its metadata block), the Atom
//! feeds, the JSON API and search (simplified and traditional queries);
//! the approver withdraws it and it is gone from all of them; the audit
//! log holds exactly the expected `item.*` steps and its chain verifies;
//! the ID and phone numbers are on no public page and in no audit record.
//!
//! The story runs on fixed dates around 国庆 2024 (a year the shipped
//! calendar covers), so that the 第二十六条 deadline is a real calendar
//! case: formed on Friday 27 September 2024, due on 30 October — the 20
//! working days skip the 1–7 October holiday and count the make-up
//! working days Sunday 29 September and Saturday 12 October. The app's
//! clock (`AppState::clock`) is moved to each step's date, so that the
//! workflow timestamps and the 发布日期 are those dates.

use crate::common;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::docs::{SCANNED_PDF, docx, docx_text};
use common::items::{finding, item, path, upload};
use common::{Harness, Session, date, encode, id_number, set_today};
use gongkai_core::audit::{Actor, verify_chain};
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::item::{ItemId, VersionState};
use gongkai_core::org::OrgForm;
use gongkai_core::org_code::complete_credit_code;
use gongkai_core::user::{Grant, Role};
use gongkai_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const BASE: &str = "https://gk.example.gov.cn";

/// The first 17 digits of the driver's 居民身份证号 (born 1985-07-22).
const ID_BODY: &str = "43010319850722451";
/// A masked form that kept the birth date would still identify him.
const ID_BIRTH: &str = "19850722";
/// The contact person's personal mobile number, typed into the body.
const PHONE: &str = "13907314826";

const TITLE: &str = "青岚市交通运输局关于做好2024年国庆假期道路运输应急保障工作的通知";
const DOC_NUMBER: &str = "青交发〔2024〕15号";
const DOCX_NAME: &str = "应急保障人员名单.docx";
const REDACTED_NAME: &str = "应急保障人员名单（已处理）.docx";
const SCAN_NAME: &str = "应急车辆检查记录扫描件.pdf";

// ---------- the public: a browser and an API client ----------

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Bytes,
}

impl Got {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// Anyone on the internet: no cookie, and every answer kept, so that the
/// test can check them all for personal data at the end.
struct Public<'a> {
    app: &'a Router,
    seen: Vec<(String, Bytes)>,
}

impl<'a> Public<'a> {
    async fn get(&mut self, path: &str) -> Got {
        let req = Request::get(path).body(Body::empty()).unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        self.seen.push((path.to_string(), bytes.clone()));
        Got {
            status,
            headers,
            bytes,
        }
    }

    async fn search(&mut self, q: &str) -> Got {
        self.get(&format!("/search?q={}", encode(q))).await
    }

    async fn api_search(&mut self, q: &str) -> Got {
        self.get(&format!("/api/v1/search?q={}", encode(q))).await
    }

    /// Whether the item is anywhere the public looks for it: listings,
    /// feeds, API list and search (HTML and API), in both scripts.
    /// Returns the places that show it.
    async fn places_listing(&mut self, org: i64, id: ItemId) -> Vec<String> {
        let link = format!(r#"href="/items/{id}""#);
        let entry = format!("<id>{BASE}/items/{id}</id>");
        let mut found = Vec::new();
        for path in ["/catalog".to_string(), format!("/agency/{org}/catalog")] {
            let got = self.get(&path).await;
            assert_eq!(got.status, StatusCode::OK, "{path}");
            if got.text().contains(&link) {
                found.push(path);
            }
        }
        for path in [
            "/catalog/feed.atom".to_string(),
            format!("/agency/{org}/feed.atom"),
        ] {
            let got = self.get(&path).await;
            assert_eq!(got.status, StatusCode::OK, "{path}");
            assert!(got.content_type().starts_with("application/atom+xml"));
            if got.text().contains(&entry) {
                found.push(path);
            }
        }
        for path in [
            "/api/v1/items".to_string(),
            format!("/api/v1/items?org={org}"),
        ] {
            let got = self.get(&path).await;
            assert_eq!(got.status, StatusCode::OK, "{path}: {}", got.text());
            if api_ids(&got.json(), "items").contains(&id) {
                found.push(path);
            }
        }
        for q in ["国庆假期 应急保障", "國慶假期 應急保障"] {
            let got = self.search(q).await;
            assert_eq!(got.status, StatusCode::OK, "search {q}");
            if got.text().contains(&link) {
                found.push(format!("/search?q={q}"));
            }
            let got = self.api_search(q).await;
            assert_eq!(got.status, StatusCode::OK, "api search {q}: {}", got.text());
            if api_ids(&got.json(), "hits").contains(&id) {
                found.push(format!("/api/v1/search?q={q}"));
            }
        }
        found
    }
}

fn api_ids(v: &Value, list: &str) -> Vec<ItemId> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {v}"))
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// The cell after `<th scope="row">{label}</th>` in the metadata table.
fn meta_cell(body: &str, label: &str) -> String {
    let at = body
        .find(&format!(r#"<th scope="row">{label}</th>"#))
        .unwrap_or_else(|| panic!("no {label} in the metadata block"));
    let rest = &body[at..];
    let start = rest.find("<td").unwrap();
    let gt = rest[start..].find('>').unwrap() + start + 1;
    let end = rest[gt..].find("</td>").unwrap() + gt;
    rest[gt..end].to_string()
}

/// The findings section of the console item page.
fn findings_section(page: &str) -> &str {
    let start = page.find(r#"id="scan-title""#).expect("scan section");
    let end = page[start..].find("</section>").unwrap() + start;
    &page[start..end]
}

// ---------- staff ----------

struct Staff {
    author: Session,
    reviewer: Session,
    approver: Session,
    other_reviewer: Session,
}

/// The item form as the publisher fills it in.
fn fields<'a>(org: &'a str, column: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("org", org),
        ("title", TITLE),
        (
            "summary",
            "部署2024年国庆假期道路运输应急保障工作，公布应急保障人员名单。",
        ),
        ("body", body),
        ("issuers", "青岚市交通运输局"),
        ("doc_number", DOC_NUMBER),
        ("written_on", "2024-09-26"),
        ("formed_on", "2024-09-27"),
        ("topic", "industry_transport"),
        ("column_id", column),
        ("genre", "notice"),
        ("keywords", "国庆 应急保障 道路运输"),
        ("disclosure", "proactive"),
        ("doc_kind", "other"),
        ("validity", "effective"),
        ("validity_on", ""),
        ("repealed_by_index", ""),
    ]
}

crate::on_both_backends!(
    an_item_goes_from_the_publisher_through_review_to_the_public_and_back_out,
    an_item_goes_from_the_publisher_through_review_to_the_public_and_back_out_on_postgres,
    story
);

async fn story(mut h: Harness) {
    let state = AppState::new(
        h.store.clone(),
        WebConfig {
            public_url: Some(BASE.into()),
            ..WebConfig::default()
        },
    );
    let clock = state.clock.clone();
    h.app = app(state);
    let org = h.orgs.dept_a;
    let cal = WorkdayCalendar::official();
    let id_no = id_number(ID_BODY);
    let id_masked = format!("4301**********{}", &id_no[14..]);
    let phone_masked = format!("{}****{}", &PHONE[..3], &PHONE[7..]);

    // The agency registers its 统一社会信用代码, so the default 索引号
    // template `{org_code}/{year}-{seq:05}` applies.
    let code = complete_credit_code("11430100MB1528374").unwrap();
    let orgs = h.store.list_orgs().await.unwrap();
    let org_of = |id| orgs.iter().find(|o| o.id == id).unwrap();
    let mut form = OrgForm::from_org(org_of(org));
    form.code = code.as_str().to_string();
    let city_level = org_of(h.orgs.city).level;
    h.store
        .update_org(
            &Actor::cli(),
            org,
            &form.validate(Some(city_level)).unwrap(),
        )
        .await
        .unwrap();

    // The author also holds the reviewer role: the workflow, not the role
    // list, must stop them from reviewing their own item.
    h.store
        .grant(
            &Actor::cli(),
            h.users.publisher_a,
            &Grant::new(Role::Reviewer, org, false),
        )
        .await
        .unwrap();
    h.staff_user("rev.a", Role::Reviewer, org).await;
    h.staff_user("appr.a", Role::Approver, org).await;
    h.staff_user("rev.b", Role::Reviewer, h.orgs.dept_b).await;
    let s = Staff {
        author: h.login("pub.a").await,
        reviewer: h.login("rev.a").await,
        approver: h.login("appr.a").await,
        other_reviewer: h.login("rev.b").await,
    };
    let audit_start = h.store.audit_head().await.unwrap().map_or(0, |(s, _)| s);
    let mut public = Public {
        app: &h.app,
        seen: Vec::new(),
    };

    // The deadline of 第二十六条, read off the shipped calendar: 20 working
    // days from Friday 27 September 2024, over 国庆 (1–7 October) and
    // counting the make-up days 29 September and 12 October.
    let due = cal.add_working_days(date("2024-09-27"), 20).unwrap();
    assert_eq!(due, date("2024-10-30"));

    // 1. 2024-09-27: the publisher drafts the item and attaches the files.
    set_today(&clock, "2024-09-27");
    let form = h
        .get(
            &format!("/console/items/new?org={org}"),
            Some(&s.author.cookie),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // Opening the form seeded the agency's default columns.
    let column = h
        .store
        .list_item_columns(org)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.key.as_deref() == Some("key_emergency"))
        .expect("seeded column 应急管理");
    let column_id = column.id.to_string();
    let org_s = org.to_string();
    let body = format!(
        "<p>各区县交通运输局，各道路运输企业：</p>\
         <p>为做好2024年国庆假期道路运输应急保障工作，现将有关事项通知如下。</p>\
         <p>假期应急保障联系人：李建国，手机{PHONE}。</p>"
    );
    let r = h
        .post(
            &s.author,
            "/console/items/new",
            &fields(&org_s, &column_id, &body),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: ItemId = r
        .location()
        .trim_start_matches("/console/items/")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let list = docx(&[
        "国庆假期道路运输应急保障人员名单",
        "序号 姓名 公民身份号码 岗位",
        &format!("1 王卫东 {id_no} 驾驶员"),
    ]);
    let r = upload(&h, &s.author, id, DOCX_NAME, &list, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = upload(&h, &s.author, id, SCAN_NAME, SCANNED_PDF, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(item(&h, id).await.latest().state, VersionState::Draft);
    assert_eq!(
        public.get(&format!("/items/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        public.places_listing(org, id).await.is_empty(),
        "a draft is public nowhere"
    );
    let page = h
        .get(&format!("/console/items/{id}"), Some(&s.author.cookie))
        .await;
    assert!(
        page.body
            .contains("应于 <strong>2024年10月30日</strong> 前公开"),
        "{}",
        page.body
    );

    // 2. 提交审查 runs the scanner: three findings block the item.
    let r = h.post(&s.author, &path(id, "submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(item(&h, id).await.latest().state, VersionState::InReview);
    let page = h
        .get(&format!("/console/items/{id}"), Some(&s.reviewer.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let found = findings_section(&page.body);
    assert!(found.contains("有3条发现须处理"), "{found}");
    assert!(found.contains(&phone_masked), "{found}");
    assert!(found.contains(&id_masked), "{found}");
    assert!(
        found.contains(&format!("附件「{DOCX_NAME}」 第 3 行第")),
        "the exact place: {found}"
    );
    assert!(found.contains("无法提取文字"), "{found}");
    assert!(found.contains("一键遮盖") && found.contains("替换附件"));
    assert!(found.contains("说明理由并放行"));
    // The excerpts are masked: neither number is spelled out. The ID number
    // is only in the attachment, so it is nowhere on the page.
    assert!(!found.contains(PHONE), "{found}");
    for secret in [id_no.as_str(), ID_BIRTH] {
        assert!(!page.body.contains(secret), "{secret} on the console page");
    }

    // 3. The author may not review their own item, whatever their roles.
    let r = h
        .post(
            &s.author,
            &path(id, "review"),
            &[("decision", "pass"), ("comment", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("不能对自己起草的信息进行保密审查"),
        "{}",
        r.body
    );
    // … nor mask or override the findings on the reviewer's behalf.
    let key = finding(&h, id, "正文").await;
    let r = h.post(&s.author, &path(id, "mask"), &[("key", &key)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body
            .contains("审查中的信息只能由审查人修改；起草人请等待退回后再修改"),
        "{}",
        r.body
    );
    assert!(
        item(&h, id)
            .await
            .latest()
            .meta
            .body
            .as_str()
            .contains(PHONE),
        "nothing masked"
    );
    assert_eq!(item(&h, id).await.latest().state, VersionState::InReview);

    // A reviewer of another agency cannot see it or touch it: 404, as for
    // an item that does not exist.
    for p in [
        format!("/console/items/{id}"),
        path(id, "edit"),
        path(id, "record"),
        path(id, "versions/1"),
    ] {
        let r = h.get(&p, Some(&s.other_reviewer.cookie)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "GET {p}");
    }
    let posts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("scan", vec![]),
        ("mask", vec![("key", &key)]),
        (
            "override",
            vec![("key", &key), ("reason", "本机关公开电话")],
        ),
        ("submit", vec![]),
        ("review", vec![("decision", "pass"), ("comment", "")]),
        ("approve", vec![("decision", "pass"), ("publish", "now")]),
        ("withdraw", vec![("reason", "撤回")]),
        ("revise", vec![("kind", "correct"), ("reason", "更正")]),
        ("edit", fields(&org_s, &column_id, &body)),
    ];
    for (step, form) in &posts {
        let r = h.post(&s.other_reviewer, &path(id, step), form).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {step}: {}", r.body);
    }
    let r = upload(&h, &s.other_reviewer, id, DOCX_NAME, &list, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "POST attachments");
    let attachments = item(&h, id).await.latest().attachments.clone();
    assert_eq!(attachments.len(), 2);
    let r = h
        .post(
            &s.other_reviewer,
            &format!(
                "/console/items/{id}/attachments/{}/remove",
                attachments[0].id
            ),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "POST remove");

    // The public finds it nowhere.
    assert_eq!(
        public.get(&format!("/items/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let api = public.get(&format!("/api/v1/items/{id}")).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.content_type().starts_with("application/problem+json"));
    assert_eq!(
        public
            .get(&format!("/items/{id}/attachments/{}", attachments[0].id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        public.places_listing(org, id).await,
        Vec::<String>::new(),
        "a draft under review is public nowhere"
    );

    // 4. 2024-10-08 (the first working day after 国庆): the reviewer masks
    // the phone number with one click …
    set_today(&clock, "2024-10-08");
    let r = h
        .post(&s.reviewer, &path(id, "mask"), &[("key", &key)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = item(&h, id).await;
    let stored_body = stored.latest().meta.body.as_str().to_string();
    assert!(stored_body.contains(&phone_masked), "{stored_body}");
    assert!(!stored_body.contains(PHONE));

    // … replaces the list with a redacted copy …
    let docx_att = attachments.iter().find(|a| a.name == DOCX_NAME).unwrap().id;
    let redacted = docx(&[
        "国庆假期道路运输应急保障人员名单",
        "序号 姓名 公民身份号码 岗位",
        &format!("1 王卫东 {id_masked} 驾驶员"),
    ]);
    let r = upload(
        &h,
        &s.reviewer,
        id,
        REDACTED_NAME,
        &redacted,
        Some(docx_att),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // … looks through the scanned record page by page and lets it pass,
    // with a reason (refused without one) …
    let scan_key = finding(&h, id, &format!("附件「{SCAN_NAME}」")).await;
    let r = h
        .post(
            &s.reviewer,
            &path(id, "override"),
            &[("key", &scan_key), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("请填写放行检查发现理由"), "{}", r.body);
    let r = h
        .post(
            &s.reviewer,
            &path(id, "override"),
            &[
                ("key", &scan_key),
                (
                    "reason",
                    "已逐页人工核对，仅有车辆号牌和检查结论，无个人信息",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = h
        .get(&format!("/console/items/{id}"), Some(&s.reviewer.cookie))
        .await;
    let found = findings_section(&page.body);
    assert!(found.contains("已检查，没有未处理的发现"), "{found}");
    assert!(found.contains("已放行"), "{found}");
    assert!(
        found.contains("放行理由：已逐页人工核对，仅有车辆号牌和检查结论，无个人信息"),
        "{found}"
    );
    for secret in [PHONE, id_no.as_str(), ID_BIRTH] {
        assert!(!page.body.contains(secret), "{secret} after masking");
    }

    // … and passes the review.
    let r = h
        .post(
            &s.reviewer,
            &path(id, "review"),
            &[
                ("decision", "pass"),
                ("comment", "已遮盖手机号码，已替换名单"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = item(&h, id).await;
    assert_eq!(stored.latest().state, VersionState::InApproval);
    let names: Vec<&str> = stored
        .latest()
        .attachments
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&REDACTED_NAME) && names.contains(&SCAN_NAME));
    assert!(
        public.places_listing(org, id).await.is_empty(),
        "awaiting approval: still public nowhere"
    );

    // 5. 2024-10-29, one working day before the deadline: the approver
    // publishes now.
    set_today(&clock, "2024-10-29");
    let r = h
        .post(
            &s.approver,
            &path(id, "approve"),
            &[
                ("decision", "pass"),
                ("publish", "now"),
                ("comment", "同意发布"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location().ends_with("saved=published"),
        "{}",
        r.location()
    );
    let stored = item(&h, id).await;
    let v = stored.latest();
    assert_eq!(v.state, VersionState::Published);
    assert_eq!(v.due_on, Some(date("2024-10-30")));
    assert_eq!(v.on_time, Some(true), "published before the due date");
    assert_eq!(stored.item.first_published_on, Some(date("2024-10-29")));
    let index_no = format!("{}/2024-00001", code.as_str());
    assert_eq!(
        stored.item.index_no.as_ref().map(|n| n.as_str()),
        Some(index_no.as_str()),
        "索引号 from the default template"
    );
    let page = h
        .get(&format!("/console/items/{id}"), Some(&s.approver.cookie))
        .await;
    assert!(page.body.contains("按期发布"), "{}", page.body);

    // The item page with the metadata block.
    let got = public.get(&format!("/items/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    let p = got.text();
    for (label, value) in [
        ("索引号", index_no.as_str()),
        ("主题分类", "工业、交通"),
        ("发布机构", "青岚市交通运输局"),
        ("成文日期", "2024-09-26"),
        ("标题", TITLE),
        ("发文机关", "青岚市交通运输局"),
        ("体裁", "通知"),
        ("发文字号", DOC_NUMBER),
        ("发布日期", "2024-10-29"),
        ("文件类型", "其他"),
        ("有效性", "有效"),
    ] {
        assert_eq!(meta_cell(&p, label), value, "{label}");
    }
    assert!(p.contains(&phone_masked), "the masked body is public");
    assert!(p.contains(REDACTED_NAME) && p.contains(SCAN_NAME));
    assert!(
        !p.contains(&format!(">{DOCX_NAME}<")),
        "the original list is gone"
    );
    // The public copy of the list is the redacted one.
    let public_item = h.store.get_public_item(id).await.unwrap().unwrap();
    let att = public_item
        .attachments
        .iter()
        .find(|a| a.name == REDACTED_NAME)
        .unwrap();
    let href = format!("/items/{id}/attachments/{}", att.id);
    assert!(p.contains(&format!(r#"href="{href}""#)));
    let file = public.get(&href).await;
    assert_eq!(file.status, StatusCode::OK);
    let text = docx_text(&file.bytes);
    assert!(text.contains(&id_masked), "{text}");
    assert!(!text.contains(&id_no) && !text.contains(ID_BIRTH));
    // The canonical address also answers to the 索引号.
    let by_index = public.get(&format!("/items/by-index/{index_no}")).await;
    assert!(
        by_index.status.is_redirection(),
        "by-index: {}",
        by_index.status
    );
    assert_eq!(
        by_index.headers.get(header::LOCATION).unwrap(),
        &format!("/items/{id}")
    );

    // In both listings, both feeds, the API list and search, in both scripts.
    let everywhere = public.places_listing(org, id).await;
    assert_eq!(
        everywhere,
        [
            "/catalog".to_string(),
            format!("/agency/{org}/catalog"),
            "/catalog/feed.atom".to_string(),
            format!("/agency/{org}/feed.atom"),
            "/api/v1/items".to_string(),
            format!("/api/v1/items?org={org}"),
            "/search?q=国庆假期 应急保障".to_string(),
            "/api/v1/search?q=国庆假期 应急保障".to_string(),
            "/search?q=國慶假期 應急保障".to_string(),
            "/api/v1/search?q=國慶假期 應急保障".to_string(),
        ]
    );
    let col = public
        .get(&format!("/agency/{org}/catalog/{}", column.id))
        .await;
    assert_eq!(col.status, StatusCode::OK);
    assert!(col.text().contains(&format!(r#"href="/items/{id}""#)));

    // The feed entry carries the 索引号 and 发文字号.
    let feed = public.get(&format!("/agency/{org}/feed.atom")).await.text();
    let at = feed.find(&format!("<id>{BASE}/items/{id}</id>")).unwrap();
    let entry = &feed[at..at + feed[at..].find("</entry>").unwrap()];
    assert!(
        entry.contains(&format!("<title>{TITLE}</title>")),
        "{entry}"
    );
    assert!(entry.contains("<published>2024-10-29"), "{entry}");
    assert!(
        entry.contains(&format!("索引号：{index_no}；发文字号：{DOC_NUMBER}")),
        "{entry}"
    );

    // The API: the list entry and the detail agree with the page.
    let list = public.get("/api/v1/items").await.json();
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
        .clone();
    let detail = public.get(&format!("/api/v1/items/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    let detail = detail.json();
    for v in [&listed, &detail] {
        assert_eq!(v["index_no"], index_no.as_str());
        assert_eq!(v["title"], TITLE);
        assert_eq!(v["doc_number"], DOC_NUMBER);
        assert_eq!(v["written_on"], "2024-09-26");
        assert_eq!(v["published_on"], "2024-10-29");
        assert_eq!(v["publisher"]["id"], org);
        assert_eq!(v["publisher"]["name"], "青岚市交通运输局");
        assert_eq!(v["topic"]["key"], "industry_transport");
        assert_eq!(v["genre"]["label"], "通知");
        assert_eq!(v["doc_kind"]["key"], "other");
        assert_eq!(v["validity"]["key"], "effective");
        assert_eq!(v["validity"]["label"], "有效");
        assert_eq!(v["column"]["id"], column.id);
        assert_eq!(v["url"], format!("{BASE}/items/{id}"));
    }
    assert!(
        detail["body_text"]
            .as_str()
            .unwrap()
            .contains(&phone_masked),
        "{detail}"
    );
    let files: Vec<&str> = detail["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2);
    assert!(files.contains(&REDACTED_NAME) && files.contains(&SCAN_NAME));
    // Search by 发文字号 typed with other brackets finds it exactly.
    let hits = public.api_search("青交发[2024]15号").await.json();
    assert!(api_ids(&hits, "hits").contains(&id), "{hits}");

    // 6. 2024-11-05: the approver withdraws it with a reason.
    set_today(&clock, "2024-11-05");
    let r = h
        .post(&s.approver, &path(id, "withdraw"), &[("reason", "")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("请填写撤回理由"), "{}", r.body);
    assert!(!public.places_listing(org, id).await.is_empty());
    let r = h
        .post(
            &s.approver,
            &path(id, "withdraw"),
            &[("reason", "应急保障工作已结束，名单不再适用")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let gone = public.get(&format!("/items/{id}")).await;
    assert_eq!(gone.status, StatusCode::GONE);
    let gone = gone.text();
    assert!(gone.contains("已撤回"), "{gone}");
    assert!(!gone.contains(TITLE) && !gone.contains(&index_no));
    let api = public.get(&format!("/api/v1/items/{id}")).await;
    assert_eq!(api.status, StatusCode::GONE);
    assert!(api.content_type().starts_with("application/problem+json"));
    assert_eq!(
        public.get(&href).await.status,
        StatusCode::NOT_FOUND,
        "the attachment is gone too"
    );
    assert_eq!(
        public.places_listing(org, id).await,
        Vec::<String>::new(),
        "a withdrawn item is public nowhere"
    );

    // 7. The audit log: exactly these steps for this item, in order, and
    // the chain verifies.
    let records = h.store.audit_after(audit_start, 1000).await.unwrap();
    let steps: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r.action.starts_with("item.") && r.object_id == id.to_string())
        .map(|r| (r.action.as_str(), r.actor_name.as_str()))
        .collect();
    let actions: Vec<&str> = steps.iter().map(|(a, _)| *a).collect();
    assert_eq!(
        actions,
        [
            "item.create",
            "item.attach",
            "item.attach",
            "item.scan",
            "item.submit",
            "item.update",
            "item.scan",
            "item.attach",
            "item.detach",
            "item.scan",
            "item.override",
            "item.review",
            "item.scan",
            "item.approve",
            "item.publish",
            "item.withdraw",
        ]
    );
    let by = |action: &str| {
        steps
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, who)| who.to_string())
            .unwrap()
    };
    assert!(by("item.create").contains("pub.a"), "{}", by("item.create"));
    assert!(by("item.review").contains("rev.a"), "{}", by("item.review"));
    assert!(
        by("item.approve").contains("appr.a"),
        "{}",
        by("item.approve")
    );
    assert!(
        by("item.withdraw").contains("appr.a"),
        "{}",
        by("item.withdraw")
    );
    // Nothing else touched an item in the story: the refused attempts
    // (the author's review, the other agency's posts) wrote nothing.
    assert_eq!(
        records
            .iter()
            .filter(|r| r.action.starts_with("item."))
            .count(),
        actions.len()
    );
    let all = h.store.audit_after(0, 10_000).await.unwrap();
    let head = h.store.audit_head().await.unwrap();
    verify_chain(&all, head.as_ref().map(|(s, h)| (*s, h.as_str()))).unwrap();

    // 8. The numbers are in no audit record and on no public answer.
    for r in &all {
        for secret in [id_no.as_str(), ID_BODY, ID_BIRTH, PHONE] {
            assert!(!r.summary.contains(secret), "{}: {}", r.action, r.summary);
            assert!(!r.object_id.contains(secret), "{}", r.action);
        }
    }
    assert!(public.seen.len() > 40, "{}", public.seen.len());
    for (path, bytes) in &public.seen {
        let body = String::from_utf8_lossy(bytes);
        for secret in [
            id_no.as_str(),
            &id_no.to_lowercase(),
            ID_BODY,
            ID_BIRTH,
            PHONE,
        ] {
            assert!(!body.contains(secret), "{secret} in {path}");
        }
    }
}
