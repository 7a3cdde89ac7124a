//! `/console/mail`: the notification e-mail of the caller's agencies, so
//! that a message the relay refused is noticed and the applicant informed
//! another way. Recipients are personal data: only case handlers see this
//! page, and addresses are shown masked.

use super::Nav;
use super::auth::{Posted, Staff};
use super::{Empty, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use gongkai_core::authz::Action;
use gongkai_core::notify::{MailStatus, QueuedMail, masked_recipient};
use serde::Deserialize;

const PAGE: i64 = 100;

struct Row {
    id: i64,
    kind: &'static str,
    status: &'static str,
    failed: bool,
    org: String,
    case_id: Option<i64>,
    to: String,
    subject: String,
    attempts: u32,
    created: String,
    next: String,
    error: String,
}

#[derive(Template)]
#[template(path = "console/mail.html")]
struct MailPage {
    layout: Layout,
    nav: Nav,
    rows: Vec<Row>,
    filter: &'static str,
    csrf: String,
}

#[derive(Deserialize)]
pub struct MailParams {
    #[serde(default)]
    status: Option<String>,
}

fn row(staff: &Staff, m: QueuedMail) -> Row {
    Row {
        id: m.id,
        kind: m.mail.kind.label(),
        status: m.status.label(),
        failed: m.status == MailStatus::Failed,
        org: m
            .mail
            .org_id
            .and_then(|id| staff.orgs.iter().find(|o| o.id == id))
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        case_id: m.mail.case_id,
        to: masked_recipient(&m.mail.to),
        subject: m.mail.subject,
        attempts: m.attempts,
        created: crate::beijing::minute(m.created_at),
        next: m
            .next_attempt_at
            .map(crate::beijing::minute)
            .unwrap_or_default(),
        error: m.last_error.unwrap_or_default(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(p): Query<MailParams>,
) -> Result<Response, AppError> {
    let scope = staff.scope(Action::HandleRequests);
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    let status = p.status.as_deref().and_then(MailStatus::parse);
    let mails = state.store.list_mail(Some(&scope), status, PAGE).await?;
    let page = MailPage {
        layout: staff.layout("通知邮件"),
        nav: Nav::for_staff(&staff, "mail"),
        filter: status.map(MailStatus::as_str).unwrap_or(""),
        csrf: staff.csrf.clone(),
        rows: mails.into_iter().map(|m| row(&staff, m)).collect(),
    };
    Ok(render(&page)?.into_response())
}

pub async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Posted { staff, .. }: Posted<Empty>,
) -> Result<Response, AppError> {
    // Another agency's message is "not found", not "forbidden".
    let mail = state.store.get_mail(id).await?.ok_or(AppError::NotFound)?;
    match mail.mail.org_id {
        Some(org) if staff.can(Action::HandleRequests, org) => {}
        _ => return Err(AppError::NotFound),
    }
    state
        .store
        .retry_mail(&staff.actor(), id, Utc::now())
        .await?;
    Ok(see_other("/console/mail?status=pending"))
}
