//! The issued notices on the applicant's status page, and their HTML view
//! and DOCX download (`POST /status/notice`).
//!
//! Like the released documents (`status_files.rs`), each button is a small
//! POST form carrying the number, the query code and the notice id in
//! hidden fields, so that nothing identifying a case appears in a URL. A
//! request is a look-up like the status form: same token check, same
//! generic message for a wrong number or code, counted by the same
//! failed-look-up limit. A notice names the applicant only as its
//! addressee, which is the applicant's own name.

use super::public_form::BrowserSecret;
use super::status::prove;
use crate::console::auth::ClientIp;
use crate::error::render;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::request::case::RequestCase;
use serde::Deserialize;

/// One issued notice in the status page's list.
pub struct PublicNotice {
    pub id: i64,
    pub title: &'static str,
    pub doc_number: String,
    pub date: String,
}

/// What the status page's include (`portal/status_notices.html`) shows.
#[derive(Default)]
pub struct Issued {
    pub notices: Vec<PublicNotice>,
    /// Hidden fields of each form: the look-up again.
    pub number: String,
    pub code: String,
    pub token: String,
}

/// The notices of a case found with `code`, for its status page.
pub(super) async fn issued(
    state: &AppState,
    headers: &HeaderMap,
    case: &RequestCase,
    code: &str,
) -> Result<Issued, AppError> {
    let notices: Vec<PublicNotice> = state
        .store
        .list_request_notices(case.id)
        .await?
        .into_iter()
        .map(|n| PublicNotice {
            id: n.id,
            title: n.notice.title(),
            doc_number: n.notice.doc_number.clone().unwrap_or_default(),
            date: n.notice.date_text(),
        })
        .collect();
    if notices.is_empty() {
        return Ok(Issued::default());
    }
    // The browser already holds the form cookie: it just posted the look-up.
    let token = BrowserSecret::from_headers(headers, state.config.secure_cookies)?.issue()?;
    Ok(Issued {
        notices,
        number: case.number.clone(),
        code: code.to_string(),
        token: token.value,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct NoticePost {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    notice: String,
    /// `html` (default) or `docx`.
    #[serde(default)]
    format: String,
}

#[derive(Template)]
#[template(path = "portal/status_notice.html")]
struct NoticePage {
    layout: Layout,
    number: String,
    title: &'static str,
    html: String,
}

/// `POST /status/notice`.
pub(super) async fn show(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    posted: Result<Form<NoticePost>, FormRejection>,
) -> Result<Response, AppError> {
    let Ok(Form(p)) = posted else {
        return Err(AppError::BadRequest(
            "请求格式不正确，请重新查询后再查看告知书。".into(),
        ));
    };
    let case = match prove(&state, ip, &headers, &p.number, &p.code, &p.token).await? {
        Ok(case) => case,
        Err(refused) => return Ok(refused),
    };
    // The applicant is proven; an id of another case is a plain 404.
    let id: i64 = p.notice.trim().parse().map_err(|_| AppError::NotFound)?;
    let n = state
        .store
        .get_request_notice(case.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.format.trim() == "docx" {
        return crate::console::request_notices::docx_response(&n);
    }
    let page = NoticePage {
        layout: Layout::portal(&state, n.notice.title()).await?,
        number: case.number.clone(),
        title: n.notice.title(),
        html: gongkai_report::render_html(&n.notice),
    };
    let mut resp = render(&page)?.into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}
