//! 年报核查 over HTTP: multipart upload of several reports, tables beside
//! findings, keeping a report for an organisation and year, cross-year
//! findings against the stored years, scopes and CSRF.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Harness, Resp, Session};
use gongkai_core::OrgId;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../gongkai-import/tests/fixtures"
);

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).expect("fixture")
}

/// The 2021-format fixture (a 2022 report), moved to another year.
fn pipes(year: i32) -> Vec<u8> {
    String::from_utf8(fixture("2021_pipes.txt"))
        .expect("utf-8")
        .replace("2022年", &format!("{year}年"))
        .into_bytes()
}

enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

const BOUNDARY: &str = "----gongkaiTestBoundary7MA4YWxk";

fn multipart_body(parts: &[Part<'_>]) -> Vec<u8> {
    let mut b = Vec::new();
    for p in parts {
        b.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match p {
            Part::Text(name, value) => {
                b.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                b.extend_from_slice(value.as_bytes());
            }
            Part::File(name, file, data) => {
                b.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                b.extend_from_slice(data);
            }
        }
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

async fn post_multipart(h: &Harness, s: &Session, path: &str, parts: &[Part<'_>]) -> Resp {
    let body = multipart_body(parts);
    let req = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(body))
        .unwrap();
    h.send(req).await
}

async fn upload(h: &Harness, s: &Session, files: &[(&str, &[u8])]) -> Resp {
    let mut parts = vec![Part::Text("csrf", &s.csrf)];
    parts.extend(files.iter().map(|(n, d)| Part::File("files", n, d)));
    post_multipart(h, s, "/console/reports", &parts).await
}

/// The value of the first hidden input `name` after `from` in a page.
fn hidden(body: &str, name: &str, from: usize) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body[from..].find(&marker).expect(name) + from + marker.len();
    let end = body[start..].find('"').unwrap();
    body[start..start + end].to_string()
}

/// Uploads one report and submits its keep form for `org` and `year`.
async fn keep(h: &Harness, s: &Session, file: &str, bytes: &[u8], org: OrgId, year: &str) -> Resp {
    let page = upload(h, s, &[(file, bytes)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let form = page
        .body
        .find("action=\"/console/reports/keep\"")
        .expect("keep form");
    let content = hidden(&page.body, "content", form);
    let name = hidden(&page.body, "name", form);
    let org = org.to_string();
    post_multipart(
        h,
        s,
        "/console/reports/keep",
        &[
            Part::Text("csrf", &s.csrf),
            Part::Text("name", &name),
            Part::Text("content", &content),
            Part::Text("org_id", &org),
            Part::Text("year", year),
        ],
    )
    .await
}

#[tokio::test]
async fn several_reports_are_shown_as_tables_beside_their_findings() {
    let h = Harness::new().await;
    let s = h.login("sup").await;
    let page = h.get("/console/reports", Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("href=\"/console/reports\" aria-current=\"page\">年报核查</a>")
    );
    assert!(page.body.contains("enctype=\"multipart/form-data\""));

    let gbk = fixture("2014_one_cell_per_line_gbk.txt");
    let r = upload(
        &h,
        &s,
        &[("2021_pipes.txt", &pipes(2022)), ("统计表.txt", &gbk)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains("核查结果（2 个文件）"), "{b}");
    // File 1: detected format with its evidence, agency, year, tables, findings.
    assert!(b.contains("<dt>报告格式</dt><dd>2021年版格式</dd>"));
    assert!(b.contains("2021 格式表二列「本年制发件数」"));
    assert!(b.contains("<dd>青岚市示范区民政局</dd>"));
    assert!(b.contains("<dt>数据格</dt><dd>200 个</dd>"));
    assert!(b.contains("<caption>表三 收到和处理政府信息公开申请情况</caption>"));
    assert!(b.contains("<th scope=\"row\">一、本年新收政府信息公开申请数量</th>"));
    assert!(
        b.contains("自然人：本年新收 10 + 上年结转 1 = 11 ≠ 办理结果总计 10 + 结转下年度 2 = 12")
    );
    // The finding names its cells, and those cells are marked in the table.
    assert!(b.contains("<li>表三 · 四、结转下年度继续办理 · 自然人 = 2</li>"));
    assert!(b.contains(
        "<td class=\"cell-flagged\">2<span class=\"visually-hidden\">（有问题）</span></td>"
    ));
    // File 2: GBK, 2014 统计表, the staff arithmetic.
    assert!(b.contains("<dt>报告格式</dt><dd>2014年统计表</dd>"));
    assert!(b.contains("gbk"));
    assert!(b.contains("从事政府信息公开工作人员数 10 ≠ 专职人员数 3 + 兼职人员数 6 = 9"));
    // Each file can be kept; the organisation list is the caller's scope.
    assert_eq!(b.matches("action=\"/console/reports/keep\"").count(), 2);
    assert!(b.contains("枫溪县石桥镇人民政府"));
    assert!(
        !b.contains(">青岚市教育局<"),
        "outside the supervisor's scope"
    );
    // The year is prefilled from the title.
    assert!(b.contains("name=\"year\" type=\"text\" inputmode=\"numeric\" value=\"2022\""));
    // Nothing was stored by looking.
    assert!(
        h.store
            .list_annual_reports(h.orgs.county)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_kept_report_is_checked_against_the_next_stored_year() {
    let h = Harness::new().await;
    let s = h.login("sup").await;
    let r = keep(&h, &s, "2022.txt", &pipes(2022), h.orgs.county, "2022").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = h.store.list_annual_reports(h.orgs.county).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].year, stored[0].cell_count), (2022, 200));
    assert_eq!(stored[0].source_name, "2022.txt");
    assert_eq!(stored[0].imported_by, "sup");
    assert_eq!(
        r.location(),
        format!("/console/reports/history/{}?saved=1", stored[0].id)
    );
    assert_eq!(h.last_action().await, "annual_report.import");
    let page = h.get(r.location(), Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("已保存为历史年报。"));
    assert!(page.body.contains("该机构没有保存 2021 年或 2023 年的年报"));

    // The next year: its 上年结转 (1) does not match 2022's 结转下年度 (2).
    let r = keep(&h, &s, "2023.txt", &pipes(2023), h.orgs.county, "2023").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = h.get(r.location(), Some(&s.cookie)).await;
    assert!(
        page.body.contains("已与该机构2022 年的历史年报核对"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("枫溪县人民政府：2022年 结转下年度继续办理 2 ≠ 2023年 上年结转 1")
    );
    assert!(
        page.body
            .contains("<li>表三 · 二、上年结转政府信息公开申请数量 · 总计 = 1</li>")
    );
    assert!(
        page.body
            .contains("<caption>表三 收到和处理政府信息公开申请情况</caption>")
    );

    // The list of the organisation's stored reports, newest first.
    let list = h
        .get(
            &format!("/console/reports/history?org={}", h.orgs.county),
            Some(&s.cookie),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let y23 = list.body.find(">2023 年</a>").expect("2023 listed");
    let y22 = list.body.find(">2022 年</a>").expect("2022 listed");
    assert!(y23 < y22);

    // Keeping 2022 again replaces it (same id) and says so.
    let r = keep(&h, &s, "2022b.txt", &pipes(2022), h.orgs.county, "2022").await;
    assert!(
        r.location().ends_with("?saved=replaced"),
        "{}",
        r.location()
    );
    assert_eq!(
        h.store
            .list_annual_reports(h.orgs.county)
            .await
            .unwrap()
            .len(),
        2
    );
    let page = h.get(r.location(), Some(&s.cookie)).await;
    assert!(page.body.contains("替换了此前保存的 2022 年年报"));

    // Deleting is CSRF-checked and audited.
    let id = h.store.list_annual_reports(h.orgs.county).await.unwrap()[0].id;
    let r = h
        .post(&s, &format!("/console/reports/history/{id}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(h.store.get_annual_report(id).await.unwrap().is_none());
    assert_eq!(h.last_action().await, "annual_report.delete");
}

#[tokio::test]
async fn keep_form_errors_are_shown_next_to_the_fields() {
    let h = Harness::new().await;
    let s = h.login("sup").await;
    let r = keep(&h, &s, "2022.txt", &pipes(2022), 0, "二〇二二").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(
            "<p class=\"field-error\" id=\"r1-org-error\">请选择您有权保存年报的机构</p>"
        )
    );
    assert!(r.body.contains("报告年度应为四位数字，例如 2023"));
    assert!(r.body.contains("value=\"二〇二二\""), "input kept");
    // An organisation outside the supervisor's subtree is refused the same way.
    let r = keep(&h, &s, "2022.txt", &pipes(2022), h.orgs.dept_a, "2022").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("请选择您有权保存年报的机构"));
    let r = keep(&h, &s, "2022.txt", &pipes(2022), h.orgs.county, "1999").await;
    assert!(r.body.contains("报告年度应在 2000 至 2100 之间"));
    assert!(
        h.store
            .list_annual_reports(h.orgs.dept_a)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        h.store
            .list_annual_reports(h.orgs.county)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn users_without_the_action_are_refused() {
    let h = Harness::new().await;
    let publisher = h.login("pub.a").await;
    let home = h.get("/console", Some(&publisher.cookie)).await;
    assert!(!home.body.contains("/console/reports"), "no nav link");
    for path in ["/console/reports", "/console/reports/history"] {
        let r = h.get(path, Some(&publisher.cookie)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let r = upload(&h, &publisher, &[("a.txt", &pipes(2022))]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A township report is refused to the publisher, another organisation
    // is refused to the county supervisor, unknown ids are 404.
    let sup = h.login("sup").await;
    keep(&h, &sup, "2022.txt", &pipes(2022), h.orgs.township, "2022").await;
    let id = h.store.list_annual_reports(h.orgs.township).await.unwrap()[0].id;
    let path = format!("/console/reports/history/{id}");
    assert_eq!(
        h.get(&path, Some(&publisher.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = h.post(&publisher, &format!("{path}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(h.store.get_annual_report(id).await.unwrap().is_some());
    let other = format!("/console/reports/history?org={}", h.orgs.dept_a);
    assert_eq!(
        h.get(&other, Some(&sup.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    let missing = format!("/console/reports/history/{}", id + 100);
    assert_eq!(
        h.get(&missing, Some(&sup.cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    // The city administrator sees it (subtree).
    let root = h.login("root").await;
    assert_eq!(
        h.get(&path, Some(&root.cookie)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn requests_without_the_form_token_store_nothing() {
    let h = Harness::new().await;
    let s = h.login("sup").await;
    let page = upload(&h, &s, &[("2022.txt", &pipes(2022))]).await;
    let form = page.body.find("action=\"/console/reports/keep\"").unwrap();
    let content = hidden(&page.body, "content", form);
    let org = h.orgs.county.to_string();
    for token in [None, Some("forged-token")] {
        let mut parts = Vec::new();
        if let Some(t) = token {
            parts.push(Part::Text("csrf", t));
        }
        parts.extend([
            Part::Text("name", "2022.txt"),
            Part::Text("content", &content),
            Part::Text("org_id", &org),
            Part::Text("year", "2022"),
        ]);
        let r = post_multipart(&h, &s, "/console/reports/keep", &parts).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{token:?}");
        assert!(r.body.contains("请求已失效"));
    }
    // The token must come before any file.
    let data = pipes(2022);
    let r = post_multipart(
        &h,
        &s,
        "/console/reports",
        &[
            Part::File("files", "a.txt", &data),
            Part::Text("csrf", &s.csrf),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        h.store
            .list_annual_reports(h.orgs.county)
            .await
            .unwrap()
            .is_empty()
    );
    assert_ne!(h.last_action().await, "annual_report.import");
}

#[tokio::test]
async fn upload_limits_are_reported_at_the_file_field() {
    let h = Harness::new().await;
    let s = h.login("sup").await;
    let small = b"x".to_vec();
    let many: Vec<(String, &[u8])> = (0..11).map(|i| (format!("{i}.txt"), &small[..])).collect();
    let many: Vec<(&str, &[u8])> = many.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    let r = upload(&h, &s, &many).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<p class=\"field-error\" id=\"f-files-error\">一次最多上传 10 个文件，您选择了 11 个，请分批上传。</p>"));
    assert!(!r.body.contains("核查结果"));

    let big = vec![b'1'; 4 * 1024 * 1024 + 1];
    let r = upload(&h, &s, &[("big.html", &big), ("a.txt", &small)]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("文件“big.html”超过 4 MB，未上传"),
        "{}",
        r.body
    );

    let r = upload(&h, &s, &[]).await;
    assert!(r.body.contains("请选择要核查的年度报告文件。"));

    // A report with no statistics is shown, but cannot be kept.
    let r = upload(
        &h,
        &s,
        &[("note.txt", "只是一段文字，没有统计表。".as_bytes())],
    )
    .await;
    assert!(r.body.contains("<dd>无统计表</dd>"));
    assert!(!r.body.contains("action=\"/console/reports/keep\""));
}

#[tokio::test]
async fn only_uploads_may_exceed_the_form_body_limit() {
    let h = Harness::new().await;
    let s = h.login("sup").await;
    // A 3 MB form post is refused before it is read…
    let body = format!("csrf={}&x={}", s.csrf, "a".repeat(3 * 1024 * 1024));
    let req = Request::post("/console/password")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(body))
        .unwrap();
    let r = h.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("提交的内容超过 2 MB 的上限"));
    // …while a 3 MB report upload is read.
    let mut big = pipes(2022);
    big.extend(std::iter::repeat_n(b' ', 3 * 1024 * 1024));
    let r = upload(&h, &s, &[("padded.txt", &big)]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("<dt>数据格</dt><dd>200 个</dd>"),
        "{}",
        r.body
    );
    // A multipart body to a form route still meets axum's 2 MB limit there.
    let data = vec![b'a'; 3 * 1024 * 1024];
    let r = post_multipart(
        &h,
        &s,
        "/console/password",
        &[Part::Text("csrf", &s.csrf), Part::File("x", "x.txt", &data)],
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.status);
}
