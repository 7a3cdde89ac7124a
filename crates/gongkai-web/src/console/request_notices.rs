//! The notices of a case in the console: what every notice of a case needs
//! (the case facts, the agency's notice settings, the e-mail context), the
//! "依申请公开告知书设置" form of an agency, and the issued notices' HTML
//! view and DOCX download.
//!
//! Notices are built with the core builders before the entry is stored;
//! their 文号 is given by the store inside the transaction that writes the
//! entry, so the builders see [`TO_BE_NUMBERED`] in its place (never
//! stored: the store overwrites it, see `gongkai_core::request::issued`).

use super::auth::{Posted, Staff};
use super::requests::case_scope;
use super::{Nav, SavedQuery, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::request::case::{CaseId, RequestCase};
use gongkai_core::request::issued::{
    IssuedNotice, MailContext, NoticeSettings, NoticeSettingsForm,
};
use gongkai_core::request::notice::{CaseFacts, LintError};
use gongkai_core::text::FieldErrors;

/// What the builders see as the 文号; the store replaces it with the next
/// number of the agency's sequence when it stores the notice.
pub(super) const TO_BE_NUMBERED: &str = "（出具时编号）";

/// The e-mail context: the public status page when a public URL is set.
pub(crate) fn mail_context(state: &AppState) -> MailContext {
    MailContext {
        status_url: state
            .config
            .public_url
            .as_deref()
            .map(|u| format!("{}/status", u.trim_end_matches('/'))),
    }
}

/// The agency's saved notice settings, or the defaults.
pub(super) async fn settings(
    state: &AppState,
    staff: &Staff,
    org_id: OrgId,
) -> Result<NoticeSettings, AppError> {
    if let Some(s) = state.store.get_notice_settings(org_id).await? {
        return Ok(s);
    }
    let org = staff.org(org_id).ok_or(AppError::NotFound)?;
    let parent = org.parent_id.and_then(|p| staff.org(p));
    Ok(NoticeSettings::defaults(org, parent))
}

/// The request restated in a notice: the name (and 文号) when given, else
/// the description.
fn restated(case: &RequestCase) -> String {
    let i = &case.application.info;
    match (&i.title, &i.doc_number) {
        (Some(t), Some(n)) => format!("{t}（{n}）"),
        (Some(t), None) => t.clone(),
        (None, Some(n)) => format!("文号为{n}的政府信息：{}", i.description),
        (None, None) => i.description.clone(),
    }
}

/// The facts every notice of `case` states, with `received_on` as the
/// 收到申请之日 (passed in: the confirmation may be in the same batch).
pub(super) fn facts(staff: &Staff, case: &RequestCase, received_on: NaiveDate) -> CaseFacts {
    let a = &case.application.applicant;
    CaseFacts {
        agency: staff
            .org(case.org_id)
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        applicant_name: a.name.clone(),
        applicant_kind: a.kind,
        application_no: case.number.clone(),
        received_on,
        request: restated(case),
    }
}

/// Puts every lint message on the form field it is about (`map` gives the
/// field for an element; `fallback` takes the rest), one message a field.
pub(super) fn lint_errors(
    errors: &[LintError],
    map: impl Fn(&str) -> Option<&'static str>,
    fallback: &'static str,
) -> FieldErrors {
    let mut out = FieldErrors::new();
    for e in errors {
        let field = map(e.element.as_str()).unwrap_or(fallback);
        match out.get(field) {
            Some(prev) => {
                let joined = format!("{prev}；{}", e.message);
                out.0.retain(|x| x.field != field);
                out.add(field, joined);
            }
            None => out.add(field, e.message.clone()),
        }
    }
    out
}

// ---------- the list on the case page ----------

pub struct NoticeRow {
    pub id: i64,
    pub title: &'static str,
    pub doc_number: String,
    pub date: String,
}

pub(super) async fn rows(state: &AppState, case_id: CaseId) -> Result<Vec<NoticeRow>, AppError> {
    Ok(state
        .store
        .list_request_notices(case_id)
        .await?
        .into_iter()
        .map(|n| NoticeRow {
            id: n.id,
            title: n.notice.title(),
            doc_number: n.notice.doc_number.clone().unwrap_or_else(|| "—".into()),
            date: n.notice.date_text(),
        })
        .collect())
}

// ---------- view and download ----------

#[derive(Template)]
#[template(path = "console/requests_notice.html")]
struct NoticePage {
    layout: Layout,
    nav: Nav,
    case_id: CaseId,
    number: String,
    notice_id: i64,
    title: &'static str,
    html: String,
}

async fn load_notice(
    state: &AppState,
    staff: &Staff,
    raw_case: &str,
    raw_notice: &str,
) -> Result<(RequestCase, IssuedNotice), AppError> {
    let case_id: CaseId = raw_case.parse().map_err(|_| AppError::NotFound)?;
    let notice_id: i64 = raw_notice.parse().map_err(|_| AppError::NotFound)?;
    let case = state
        .store
        .get_request(case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !case_scope(staff).contains(&case.org_id) {
        return Err(AppError::NotFound);
    }
    let n = state
        .store
        .get_request_notice(case_id, notice_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((case, n))
}

pub async fn view(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, nid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (case, n) = load_notice(&state, &staff, &id, &nid).await?;
    let p = NoticePage {
        layout: staff.layout(n.notice.title()),
        nav: staff.nav("requests"),
        case_id: case.id,
        number: case.number.clone(),
        notice_id: n.id,
        title: n.notice.title(),
        html: gongkai_report::render_html(&n.notice),
    };
    Ok(render(&p)?.into_response())
}

pub async fn docx(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, nid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, n) = load_notice(&state, &staff, &id, &nid).await?;
    docx_response(&n)
}

/// The notice as a Word file; the file name is ASCII (kind and ids, no
/// personal data), so the header needs no encoding.
pub(crate) fn docx_response(n: &IssuedNotice) -> Result<Response, AppError> {
    let bytes = gongkai_report::render_docx(&n.notice)
        .map_err(|e| AppError::Internal(format!("docx: {e}")))?;
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{}.docx\"", n.file_stem()))
            .map_err(|e| AppError::Internal(format!("header: {e}")))?;
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

// ---------- settings ----------

#[derive(Template)]
#[template(path = "console/requests_notice_settings.html")]
struct SettingsPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    org_id: OrgId,
    org: String,
    saved: bool,
    form: NoticeSettingsForm,
    errors: FieldErrors,
}

fn may_edit(staff: &Staff, org_id: OrgId) -> bool {
    staff.can(Action::HandleRequests, org_id) || staff.can(Action::ManageOrg, org_id)
}

fn settings_page(
    staff: &Staff,
    org_id: OrgId,
    saved: bool,
    form: NoticeSettingsForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let p = SettingsPage {
        layout: staff.layout("依申请公开告知书设置"),
        nav: staff.nav("requests"),
        csrf: staff.csrf.clone(),
        org_id,
        org: staff.org_name(org_id),
        saved,
        form,
        errors,
    };
    Ok(render(&p)?.into_response())
}

fn settings_org(staff: &Staff, raw: &str) -> Result<OrgId, AppError> {
    let org_id: OrgId = raw.parse().map_err(|_| AppError::NotFound)?;
    if staff.org(org_id).is_none() || !may_edit(staff, org_id) {
        return Err(AppError::NotFound);
    }
    Ok(org_id)
}

pub async fn settings_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(org): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let org_id = settings_org(&staff, &org)?;
    let s = settings(&state, &staff, org_id).await?;
    settings_page(
        &staff,
        org_id,
        q.saved.is_some(),
        NoticeSettingsForm::from_settings(&s),
        FieldErrors::new(),
    )
}

pub async fn settings_save(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Posted { staff, form }: Posted<NoticeSettingsForm>,
) -> Result<Response, AppError> {
    let org_id = settings_org(&staff, &org)?;
    match form.validate(org_id) {
        Ok(s) => {
            state.store.put_notice_settings(&staff.actor(), &s).await?;
            Ok(see_other(&format!(
                "/console/notice-settings/{org_id}?saved=1"
            )))
        }
        Err(errors) => settings_page(&staff, org_id, false, form, errors),
    }
}
