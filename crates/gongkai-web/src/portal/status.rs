//! `/status`: the applicant looks up a case with its number and query code.
//!
//! The code travels only in a POST body and is never echoed back, except
//! in the hidden fields of the download forms of released documents
//! (`status_files`: a POST body again, on a `no-store` page). A wrong
//! code and an unknown number give the same message, and failed look-ups
//! are limited per client address. The page shows the agency, what was
//! asked for, the dates, the timeline and the issued notices (whose
//! addressee is the applicant's own name) — nothing of the applicant's
//! identity documents or contact.

use super::apply::expired_form;
use super::public_form::{self, BrowserSecret, ip_key};
use super::request_view::{TimelineItem, clock_view, cn_date, public_timeline};
use crate::console::auth::ClientIp;
use crate::error::{error_response, render};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::request::case::{CaseStatus, RequestCase};
use serde::Deserialize;

pub const NOT_FOUND: &str = "申请编号或查询码不正确，请核对后重新输入";

#[derive(Template)]
#[template(path = "portal/status_form.html")]
struct FormPage {
    layout: Layout,
    number: String,
    message: Option<&'static str>,
    token: String,
}

#[derive(Template)]
#[template(path = "portal/status_case.html")]
struct CasePage {
    layout: Layout,
    number: String,
    org_id: i64,
    org_name: String,
    info_title: Option<String>,
    info_doc_number: Option<String>,
    info_description: String,
    provision: &'static str,
    delivery: &'static str,
    status: &'static str,
    closed: bool,
    summary: String,
    due: String,
    overdue: bool,
    timeline: Vec<TimelineItem>,
    /// Released documents (予以公开/部分公开), see `status_files`.
    documents: super::status_files::Released,
    /// Issued notices, see `status_notices`.
    notices: super::status_notices::Issued,
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusPost {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    token: String,
}

fn no_store(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

pub(super) async fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    number: &str,
    message: Option<&'static str>,
) -> Result<Response, AppError> {
    let browser = BrowserSecret::from_headers(headers, state.config.secure_cookies)?;
    let token = browser.issue()?;
    let page = FormPage {
        layout: Layout::portal(state, "申请办理进度查询").await?,
        number: number.to_string(),
        message,
        token: token.value,
    };
    let mut resp = no_store((status, render(&page)?).into_response());
    if let Some(c) = browser.set_cookie {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(resp)
}

/// Checks the proof every status POST carries — the form token, then the
/// failed-look-up limit, then number and code — and returns the case, or
/// the response to send instead (expired form, 429, or the form again with
/// the one generic message for a wrong number or code). Used by the look-up
/// itself and by the notice and document downloads, so that they cannot
/// drift apart.
pub(super) async fn prove(
    state: &AppState,
    ip: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    number: &str,
    code: &str,
    token: &str,
) -> Result<Result<RequestCase, Response>, AppError> {
    if public_form::verify(headers, token).is_none() {
        return Ok(Err(expired_form("/status")));
    }
    let limiter = &state.public_limits.status_failures_per_ip;
    let key = ip_key(ip);
    // Checked before the look-up, so that once the limit is reached not
    // even a right guess is confirmed.
    if limiter.exhausted(&key) {
        return Ok(Err(error_response(
            StatusCode::TOO_MANY_REQUESTS,
            "查询失败次数过多",
            "来自您所在网络的查询失败次数过多，请15分钟后再试。".into(),
        )));
    }
    let number: String = number.trim().chars().take(40).collect();
    match state.store.find_request_by_code(&number, code).await? {
        Some(case) => Ok(Ok(case)),
        None => {
            limiter.allow(&key);
            let page = form_page(state, headers, StatusCode::OK, &number, Some(NOT_FOUND)).await?;
            Ok(Err(page))
        }
    }
}

pub(super) async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    form_page(&state, &headers, StatusCode::OK, "", None).await
}

pub(super) async fn lookup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    posted: Result<Form<StatusPost>, FormRejection>,
) -> Result<Response, AppError> {
    let Ok(Form(p)) = posted else {
        return Err(AppError::BadRequest(
            "查询内容格式不正确，请返回后重新填写。".into(),
        ));
    };
    let case = match prove(&state, ip, &headers, &p.number, &p.code, &p.token).await? {
        Ok(case) => case,
        Err(refused) => return Ok(refused),
    };
    let orgs = state.store.list_orgs().await?;
    let org_name = orgs
        .iter()
        .find(|o| o.id == case.org_id)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let cal = WorkdayCalendar::effective(&state.store.list_calendar_years().await?)
        .map_err(|e| AppError::Internal(format!("calendar: {e}")))?;
    let clock = clock_view(&case, &cal, state.today());
    let info = &case.application.info;
    let documents = super::status_files::released(&state, &headers, &case, &p.code).await?;
    let notices = super::status_notices::issued(&state, &headers, &case, &p.code).await?;
    let page = CasePage {
        layout: Layout::portal_with(&state.config, &orgs, "申请办理进度"),
        number: case.number.clone(),
        org_id: case.org_id,
        org_name,
        info_title: info.title.clone(),
        info_doc_number: info.doc_number.clone(),
        info_description: info.description.clone(),
        provision: case.application.provision_form.label(),
        delivery: case.application.delivery.label(),
        status: case.status.label(),
        closed: case.status == CaseStatus::Closed,
        summary: clock.summary.clone(),
        due: clock.due.map(cn_date).unwrap_or_default(),
        overdue: clock.overdue,
        timeline: public_timeline(&case),
        documents,
        notices,
    };
    Ok(no_store(render(&page)?.into_response()))
}
