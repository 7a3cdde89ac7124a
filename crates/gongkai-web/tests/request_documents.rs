//! Released documents of a disclosure case over HTTP: the console upload
//! (type sniffed, size limit, scope), and the applicant's download from
//! the status page (right code only, closed with a releasing outcome).

use crate::common;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use common::docs::docx;
use common::multipart::multipart_post;
use common::{Harness, Session, form_body};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::request::ApplicationForm;
use gongkai_core::request::case::{CaseAction, Intake, NewCaseEntry, QueryCode, RequestCase};
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::closing::{Closing, ClosingDetails};
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::documents::ScanStatus;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::outcome::Outcome;
use gongkai_core::user::Role;
use gongkai_files::{FileKey, FileStore, ObjectFileStore, UploadLimits};
use gongkai_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

const CODE: &str = "7K2MX9QH4T";
const LIMIT: u64 = 64 * 1024;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A small but real-looking PDF (the sniffer looks for `%PDF-`).
fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

struct World {
    h: Harness,
    app: Router,
    files: Arc<ObjectFileStore>,
}

/// The app with an in-memory file store the test can inspect and a 64 KiB
/// upload limit.
async fn world() -> World {
    let h = Harness::new().await;
    let files = Arc::new(ObjectFileStore::in_memory());
    let limits = UploadLimits {
        max_bytes: LIMIT,
        ..UploadLimits::default()
    };
    let app =
        app(AppState::new(h.store.clone(), WebConfig::default()).with_files(files.clone(), limits));
    World { h, app, files }
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
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

async fn get(app: &Router, path: &str, cookie: &str) -> Got {
    let req = Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    send(app, req).await
}

async fn post_form(app: &Router, path: &str, cookie: &str, body: String) -> Got {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// Posts one file the way a browser sends the upload form.
async fn upload(app: &Router, s: &Session, case_id: i64, name: &str, bytes: &[u8]) -> Got {
    let path = format!("/console/requests/{case_id}/documents");
    send(app, multipart_post(s, &path, &[], &[(name, bytes)])).await
}

async fn handler(h: &Harness, username: &str, org: OrgId) -> Session {
    h.staff_user(username, Role::CaseHandler, org).await;
    h.login(username).await
}

async fn case(h: &Harness, org: OrgId) -> RequestCase {
    let body = "43010219900307123";
    let application = ApplicationForm {
        applicant_kind: "natural".into(),
        name: "林晓雯".into(),
        id_type: "resident_id".into(),
        id_number: format!("{body}{}", resident_id_check_char(body).unwrap()),
        contact: ContactForm {
            phone: "13912345678".into(),
            email: "applicant@example.com".into(),
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
    h.store
        .create_request(
            &Actor::public(),
            org,
            &Intake {
                channel: Channel::Online,
                arrived_on: d("2026-03-02"),
                application,
            },
            &QueryCode::parse(CODE).unwrap(),
            None,
        )
        .await
        .unwrap()
}

async fn close(h: &Harness, c: &RequestCase, outcome: Outcome, details: ClosingDetails) {
    h.store
        .append_request_entries(
            &Actor::user(h.users.root, "root"),
            c.id,
            &[
                NewCaseEntry::new(CaseAction::Confirm {
                    on: d("2026-03-03"),
                }),
                NewCaseEntry::new(CaseAction::Close {
                    on: d("2026-03-10"),
                    closing: Closing::new(outcome, details).unwrap(),
                }),
            ],
            d("2026-03-10"),
        )
        .await
        .unwrap();
}

async fn partial(h: &Harness, c: &RequestCase) {
    close(
        h,
        c,
        Outcome::Partial,
        ClosingDetails::Withheld {
            reason: "涉及第三方个人信息的部分不予公开".into(),
        },
    )
    .await;
}

// ---------- console ----------

#[tokio::test]
async fn a_handler_uploads_lists_downloads_and_removes_a_document() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;

    let casepage = get(&w.app, &format!("/console/requests/{}", c.id), &s.cookie).await;
    assert!(
        casepage
            .text()
            .contains(&format!(r#"href="/console/requests/{}/documents""#, c.id))
    );

    let bytes = pdf("环评报告");
    let r = upload(&w.app, &s, c.id, "环评报告（公开部分）.pdf", &bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let key = FileKey::of(&bytes);
    assert_eq!(w.files.get(&key).await.unwrap(), Bytes::from(bytes.clone()));
    let docs = w.h.store.list_case_documents(c.id).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].name, "环评报告（公开部分）.pdf");
    assert_eq!(docs[0].media_type, "application/pdf");
    assert_eq!(docs[0].storage_key, key.as_str());
    assert_eq!(w.h.last_action().await, "request.document_add");

    let page = get(
        &w.app,
        &format!("/console/requests/{}/documents", c.id),
        &s.cookie,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("环评报告（公开部分）.pdf"));
    assert!(page.text().contains(r#"enctype="multipart/form-data""#));

    let dl = get(
        &w.app,
        &format!("/console/requests/{}/documents/{}", c.id, docs[0].id),
        &s.cookie,
    )
    .await;
    assert_eq!(dl.status, StatusCode::OK);
    assert_eq!(dl.bytes, Bytes::from(bytes));
    assert_eq!(dl.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(dl.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let cd = dl.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(cd.starts_with("attachment; filename=\""), "{cd}");
    assert!(cd.contains("filename*=UTF-8''"), "{cd}");

    let r = post_form(
        &w.app,
        &format!("/console/requests/{}/documents/{}/remove", c.id, docs[0].id),
        &s.cookie,
        form_body(&[("csrf", &s.csrf)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(
        w.h.store
            .list_case_documents(c.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(w.h.last_action().await, "request.document_remove");
    // Without the CSRF token nothing is removed.
    let again = upload(&w.app, &s, c.id, "a.pdf", &pdf("a")).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let doc = &w.h.store.list_case_documents(c.id).await.unwrap()[0];
    let forged = post_form(
        &w.app,
        &format!("/console/requests/{}/documents/{}/remove", c.id, doc.id),
        &s.cookie,
        form_body(&[("csrf", "forged")]),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(w.h.store.list_case_documents(c.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_file_of_the_wrong_type_is_refused_and_nothing_is_stored() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    // An executable named like a PDF: the content decides.
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 not a pdf".to_vec();
    let r = upload(&w.app, &s, c.id, "答复材料.pdf", &exe).await;
    assert_eq!(r.status, StatusCode::OK);
    let body = r.text();
    assert!(
        body.contains(r#"<p class="field-error" id="f-file-error">「答复材料.pdf」的文件内容"#),
        "{body}"
    );
    assert!(body.contains("只接受 PDF、DOCX、XLSX 文件和 PNG、JPEG 图片"));
    assert!(
        w.h.store
            .list_case_documents(c.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!w.files.exists(&FileKey::of(&exe)).await.unwrap());
    assert_ne!(w.h.last_action().await, "request.document_add");
}

#[tokio::test]
async fn an_oversized_file_is_refused_with_413_and_nothing_is_stored() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    let mut big = pdf("大文件");
    big.resize(LIMIT as usize + 1024, b' ');
    let r = upload(&w.app, &s, c.id, "扫描件.pdf", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.text().contains("超过了") && r.text().contains("的上限"),
        "{}",
        r.text()
    );
    assert!(r.text().contains(r#"id="f-file-error""#));
    assert!(
        w.h.store
            .list_case_documents(c.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!w.files.exists(&FileKey::of(&big)).await.unwrap());
}

#[tokio::test]
async fn another_agencys_staff_get_404_and_change_nothing() {
    let w = world().await;
    let a = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let b = handler(&w.h, "handler.b", w.h.orgs.dept_b).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    let r = upload(&w.app, &a, c.id, "名单.pdf", &pdf("名单")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let doc = w.h.store.list_case_documents(c.id).await.unwrap()[0].clone();

    let base = format!("/console/requests/{}/documents", c.id);
    assert_eq!(
        get(&w.app, &base, &b.cookie).await.status,
        StatusCode::NOT_FOUND
    );
    let dl = get(&w.app, &format!("{base}/{}", doc.id), &b.cookie).await;
    assert_eq!(dl.status, StatusCode::NOT_FOUND);
    assert!(!dl.text().contains("%PDF"));
    let other = pdf("另一机关");
    let r = upload(&w.app, &b, c.id, "另一机关.pdf", &other).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!w.files.exists(&FileKey::of(&other)).await.unwrap());
    let r = post_form(
        &w.app,
        &format!("{base}/{}/remove", doc.id),
        &b.cookie,
        form_body(&[("csrf", &b.csrf)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(w.h.store.list_case_documents(c.id).await.unwrap(), [doc]);
}

#[tokio::test]
async fn a_closed_case_keeps_its_documents() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    upload(&w.app, &s, c.id, "答复.pdf", &pdf("答复")).await;
    partial(&w.h, &c).await;
    let doc = w.h.store.list_case_documents(c.id).await.unwrap()[0].clone();
    let page = get(
        &w.app,
        &format!("/console/requests/{}/documents", c.id),
        &s.cookie,
    )
    .await;
    assert!(
        page.text()
            .contains("申请人可在“申请办理进度查询”页面凭申请编号和查询码下载以下文件。申请已办结")
    );
    assert!(!page.text().contains(r#"enctype="multipart/form-data""#));
    let late = pdf("补充");
    let r = upload(&w.app, &s, c.id, "补充.pdf", &late).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("申请已办结"));
    assert!(!w.files.exists(&FileKey::of(&late)).await.unwrap());
    let r = post_form(
        &w.app,
        &format!("/console/requests/{}/documents/{}/remove", c.id, doc.id),
        &s.cookie,
        form_body(&[("csrf", &s.csrf)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("申请已办结"));
    assert_eq!(w.h.store.list_case_documents(c.id).await.unwrap(), [doc]);
}

// ---------- the applicant's download ----------

/// A browser with the public form cookie.
struct Browser<'a> {
    app: &'a Router,
    cookie: String,
}

impl<'a> Browser<'a> {
    async fn open(app: &'a Router) -> (Self, String) {
        let r = send(app, Request::get("/status").body(Body::empty()).unwrap()).await;
        let set = r.headers[header::SET_COOKIE].to_str().unwrap();
        let cookie = set.split(';').next().unwrap().to_string();
        let token = input_value(&r.text(), "token").unwrap();
        (Self { app, cookie }, token)
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Got {
        post_form(self.app, path, &self.cookie, form_body(fields)).await
    }
}

fn input_value(body: &str, name: &str) -> Option<String> {
    let marker = format!(r#"name="{name}" value=""#);
    let start = body.find(&marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_string())
}

#[tokio::test]
async fn the_applicant_downloads_released_documents_with_the_right_code_only() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    let bytes = pdf("环评报告公开部分");
    upload(&w.app, &s, c.id, "环评报告（公开部分）.pdf", &bytes).await;
    let doc = w.h.store.list_case_documents(c.id).await.unwrap()[0].clone();

    // Open case: the status page lists nothing, and even the right code
    // downloads nothing.
    let (b, token) = Browser::open(&w.app).await;
    let page = b
        .post(
            "/status",
            &[("token", &token), ("number", &c.number), ("code", CODE)],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("提供的政府信息"));
    assert!(!page.text().contains("环评报告（公开部分）.pdf"));
    let id = doc.id.to_string();
    let early = b
        .post(
            "/status/document",
            &[
                ("token", &token),
                ("number", &c.number),
                ("code", CODE),
                ("doc", &id),
            ],
        )
        .await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);
    assert!(!early.text().contains("%PDF"));

    partial(&w.h, &c).await;
    let page = b
        .post(
            "/status",
            &[("token", &token), ("number", &c.number), ("code", CODE)],
        )
        .await;
    let html = page.text();
    assert!(html.contains("提供的政府信息"), "{html}");
    assert!(html.contains("环评报告（公开部分）.pdf"));
    assert!(html.contains(r#"<form method="post" action="/status/document">"#));
    assert!(html.contains(&format!(r#"name="doc" value="{id}""#)));
    assert!(!html.contains("/status/document?"), "nothing in a URL");
    // The form as rendered downloads the bytes.
    let form_token = input_value(&html[html.find("/status/document").unwrap()..], "token").unwrap();
    let got = b
        .post(
            "/status/document",
            &[
                ("token", &form_token),
                ("number", &c.number),
                ("code", CODE),
                ("doc", &id),
            ],
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, Bytes::from(bytes.clone()));
    assert_eq!(got.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(got.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(got.headers[header::CACHE_CONTROL], "no-store");
    let cd = got.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert_eq!(
        cd,
        gongkai_files::content_disposition(
            "环评报告（公开部分）.pdf",
            gongkai_files::Disposition::Attachment
        )
    );

    // A wrong code gets the status form's generic message and no bytes.
    let wrong = b
        .post(
            "/status/document",
            &[
                ("token", &form_token),
                ("number", &c.number),
                ("code", "ABCDE23456"),
                ("doc", &id),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert!(
        wrong
            .text()
            .contains("申请编号或查询码不正确，请核对后重新输入")
    );
    assert!(!wrong.text().contains("%PDF"));
    assert!(!wrong.text().contains("环评报告（公开部分）"));
    // A document of another case is not reachable with this case's code.
    let other = case(&w.h, w.h.orgs.dept_a).await;
    upload(&w.app, &s, other.id, "别人的.pdf", &pdf("别人的")).await;
    partial(&w.h, &other).await;
    let other_doc = w.h.store.list_case_documents(other.id).await.unwrap()[0]
        .id
        .to_string();
    let cross = b
        .post(
            "/status/document",
            &[
                ("token", &form_token),
                ("number", &c.number),
                ("code", CODE),
                ("doc", &other_doc),
            ],
        )
        .await;
    assert_eq!(cross.status, StatusCode::NOT_FOUND);
    assert!(!cross.text().contains("%PDF"));
    // A token from another browser is refused before any look-up.
    let (stranger, _) = Browser::open(&w.app).await;
    let r = stranger
        .post(
            "/status/document",
            &[
                ("token", &form_token),
                ("number", &c.number),
                ("code", CODE),
                ("doc", &id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_refusal_releases_nothing_and_failed_downloads_count_towards_the_limit() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    upload(&w.app, &s, c.id, "内部材料.pdf", &pdf("内部材料")).await;
    close(
        &w.h,
        &c,
        Outcome::DenyInternalAffairs,
        ClosingDetails::Withheld {
            reason: "属于内部事务信息".into(),
        },
    )
    .await;
    let id = w.h.store.list_case_documents(c.id).await.unwrap()[0]
        .id
        .to_string();
    let (b, token) = Browser::open(&w.app).await;
    let page = b
        .post(
            "/status",
            &[("token", &token), ("number", &c.number), ("code", CODE)],
        )
        .await;
    assert!(!page.text().contains("内部材料.pdf"));
    let r = b
        .post(
            "/status/document",
            &[
                ("token", &token),
                ("number", &c.number),
                ("code", CODE),
                ("doc", &id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Ten failed downloads reach the look-up limit; then even the right
    // code is refused.
    for _ in 0..10 {
        let r = b
            .post(
                "/status/document",
                &[
                    ("token", &token),
                    ("number", &c.number),
                    ("code", "ABCDE23456"),
                    ("doc", &id),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = b
        .post(
            "/status",
            &[("token", &token), ("number", &c.number), ("code", CODE)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

// ---------- the pre-publication scan of uploads ----------

async fn documents_page(w: &World, s: &Session, c: &RequestCase) -> String {
    let page = get(
        &w.app,
        &format!("/console/requests/{}/documents", c.id),
        &s.cookie,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    page.text()
}

#[tokio::test]
async fn an_id_number_in_an_upload_is_listed_masked_and_never_in_full() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    let body = "11010519491231002";
    let id = format!("{body}{}", resident_id_check_char(body).unwrap());
    let bytes = docx(&[
        "关于补贴发放情况的说明",
        &format!("经核实，领取人身份证号{id}，已按规定发放。"),
    ]);
    let r = upload(&w.app, &s, c.id, "发放情况说明.docx", &bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let doc = &w.h.store.list_case_documents(c.id).await.unwrap()[0];
    assert_eq!(doc.scan.total, 1);

    let html = documents_page(&w, &s, &c).await;
    assert!(html.contains("发现 1 处疑似个人信息或密级标志"), "{html}");
    let masked = format!("1101**********{}", &id[14..]);
    assert!(
        html.contains(&format!(
            "<li>身份证号码，第 2 行第 12 字：经核实，领取人身份证号【{masked}】，已按规定发放。</li>"
        )),
        "{html}"
    );
    assert!(!html.contains(&id), "the full number is on the page");
    assert!(!html.contains(&id[4..14]), "the birth date is on the page");
    assert!(!html.contains("未发现敏感信息"));
    assert!(html.contains("以部分公开方式提供的文件，须先对不予公开的内容作区分处理"));
}

#[tokio::test]
async fn a_clean_file_shows_clean_and_an_image_asks_for_a_manual_check() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    let clean = docx(&[
        "青岚大道拓宽工程环境影响评价报告（公开部分）",
        "项目概况与环境影响分析。",
    ]);
    let r = upload(&w.app, &s, c.id, "环评报告.docx", &clean).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = documents_page(&w, &s, &c).await;
    assert!(html.contains("未发现敏感信息"), "{html}");
    assert!(!html.contains("疑似个人信息"));
    assert!(!html.contains("请人工核对"));

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";
    let r = upload(&w.app, &s, c.id, "现场照片.png", png).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = documents_page(&w, &s, &c).await;
    assert_eq!(html.matches("未发现敏感信息").count(), 1, "{html}");
    assert_eq!(
        html.matches("无法提取文字（扫描件或图片），请人工核对")
            .count(),
        1,
        "{html}"
    );
    let docs = w.h.store.list_case_documents(c.id).await.unwrap();
    assert_eq!(
        docs.iter().map(|d| d.scan.status).collect::<Vec<_>>(),
        [ScanStatus::Clean, ScanStatus::Unreadable]
    );
}

#[tokio::test]
async fn a_form_without_exactly_one_file_is_refused_and_nothing_is_stored() {
    let w = world().await;
    let s = handler(&w.h, "handler.a", w.h.orgs.dept_a).await;
    let c = case(&w.h, w.h.orgs.dept_a).await;
    let target = format!("/console/requests/{}/documents", c.id);
    let audit_before = w.h.audit_actions().await;

    // An empty file input is sent as a nameless, empty part.
    let none = send(&w.app, multipart_post(&s, &target, &[], &[("", b"")])).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(
        none.text()
            .contains(r#"<p class="field-error" id="f-file-error">请选择要上传的文件。"#),
        "{}",
        none.text()
    );

    let (one, two) = (pdf("一"), pdf("二"));
    let both = send(
        &w.app,
        multipart_post(&s, &target, &[], &[("一.pdf", &one), ("二.pdf", &two)]),
    )
    .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    assert!(
        both.text().contains(
            r#"<p class="field-error" id="f-file-error">一次只能上传一个文件，请逐个上传。"#
        ),
        "{}",
        both.text()
    );
    assert!(
        w.h.store
            .list_case_documents(c.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!w.files.exists(&FileKey::of(&one)).await.unwrap());
    assert_eq!(w.h.audit_actions().await, audit_before);
}
