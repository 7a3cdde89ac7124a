//! The staff console under `/console`.
//!
//! Every handler takes a [`auth::Staff`] (GET) or [`auth::Posted`] (POST,
//! CSRF-checked) and asks the principal — never the role list — what is
//! allowed. Forms re-render with field errors and the user's input kept.

mod appeals;
mod audit;
pub mod auth;
mod calendar;
mod calendar_changes;
mod dashboard;
mod guide;
mod item_actions;
mod item_due;
mod item_edit;
mod item_page;
mod item_record;
mod item_scan;
mod item_settings;
mod items;
mod login;
mod mail;
mod orgs;
mod reports;
mod request_actions;
mod request_case;
mod request_documents;
mod request_forms;
pub(crate) mod request_notices;
mod request_stats;
mod requests;
pub mod upload;
mod users;

use crate::AppState;
use auth::Staff;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_core::authz::Action;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/login", get(login::login_form).post(login::login_submit))
        .route("/logout", post(login::logout))
        .route(
            "/password",
            get(login::password_form).post(login::password_submit),
        )
        .route("/orgs", get(orgs::list))
        .route("/orgs/new", get(orgs::new_form).post(orgs::create))
        .route("/orgs/{id}", get(orgs::show).post(orgs::update))
        .route("/orgs/{id}/guide", get(guide::edit).post(guide::save))
        .route("/orgs/{id}/rules", get(guide::rules))
        .route(
            "/orgs/{id}/rules/new",
            get(guide::rule_new).post(guide::rule_create),
        )
        .route(
            "/orgs/{id}/rules/{doc}",
            get(guide::rule_edit).post(guide::rule_update),
        )
        .route("/orgs/{id}/rules/{doc}/delete", post(guide::rule_delete))
        .route("/users", get(users::list))
        .route("/users/new", get(users::new_form).post(users::create))
        .route("/users/{id}", get(users::show).post(users::update))
        .route("/users/{id}/password", post(users::reset_password))
        .route("/users/{id}/grants", post(users::grant))
        .route("/users/{id}/grants/revoke", post(users::revoke))
        .route("/audit", get(audit::list))
        .route("/mail", get(mail::list))
        .route("/mail/{id}/retry", post(mail::retry))
        .merge(reports::routes())
        .merge(calendar::routes())
        .route("/appeals", get(appeals::list))
        .route("/appeals/new", get(appeals::new_form).post(appeals::create))
        .route(
            "/appeals/{id}",
            get(appeals::edit_form).post(appeals::update),
        )
        .route("/requests", get(requests::list))
        .route("/requests/overview", get(request_stats::show))
        .route(
            "/requests/new",
            get(requests::new_form).post(requests::create),
        )
        .route("/requests/{id}", get(request_case::show))
        .route("/requests/{id}/confirm", post(request_case::confirm))
        .route("/requests/{id}/triage", post(request_case::triage))
        .merge(request_actions::routes())
        .merge(request_documents::routes())
        .route("/items", get(items::list))
        .route("/items/{id}", get(item_page::show))
        .merge(item_edit::routes())
        .merge(item_actions::routes())
        .merge(item_record::routes())
        .route("/items/due", get(item_due::show))
        .merge(item_settings::routes())
        // Console pages show personal and unpublished data: never cache them.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// The sidebar: only links the signed-in user may follow.
#[derive(Debug, Clone)]
pub struct Nav {
    /// The section the page belongs to (`home`, `orgs`, `users`, `audit`,
    /// `requests`, `password`).
    pub current: &'static str,
    pub orgs: bool,
    pub users: bool,
    pub audit: bool,
    /// 年报核查: upload and keep annual reports (`ImportReports`).
    pub reports: bool,
    /// 依申请公开: cases (handlers, approvers) or their counts (View).
    pub requests: bool,
    /// 通知邮件 to applicants (case handlers only: recipients are personal data).
    pub mail: bool,
    /// 信息发布: catalog items (drafting, review, approval, or View).
    pub items: bool,
    /// 目录设置: an agency's columns and 索引号 template (read-only with View).
    pub item_settings: bool,
}

impl Nav {
    pub fn for_staff(s: &Staff, current: &'static str) -> Self {
        Self {
            current,
            orgs: !s.scope(Action::View).is_empty(),
            users: !s.scope(Action::ManageUsers).is_empty(),
            audit: !s.scope(Action::ViewAudit).is_empty(),
            reports: !s.scope(Action::ImportReports).is_empty(),
            mail: !s.scope(Action::HandleRequests).is_empty(),
            items: [
                Action::DraftItems,
                Action::ReviewItems,
                Action::ApproveItems,
                Action::View,
            ]
            .iter()
            .any(|a| !s.scope(*a).is_empty()),
            item_settings: [Action::DraftItems, Action::ManageOrg, Action::View]
                .iter()
                .any(|a| !s.scope(*a).is_empty()),
            requests: !s.scope(Action::HandleRequests).is_empty()
                || !s.scope(Action::ApproveRequests).is_empty()
                || !s.scope(Action::View).is_empty(),
        }
    }
}

/// The form of a POST that carries nothing but its CSRF token.
#[derive(serde::Deserialize)]
pub struct Empty {}

/// POST → 303 → GET.
pub fn see_other(to: &str) -> Response {
    let loc = HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/console"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, loc)]).into_response()
}

/// One option of a `<select>`.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl ToString, label: impl Into<String>, current: &str) -> Self {
        let value = value.to_string();
        Self {
            selected: value == current,
            value,
            label: label.into(),
        }
    }
}

/// `<select>` options for organisations, indented by depth.
pub fn org_choices(
    staff: &Staff,
    orgs: &[&gongkai_core::org::Organisation],
    current: &str,
) -> Vec<Choice> {
    orgs.iter()
        .map(|o| {
            let indent = "　".repeat(staff.depth(o.id));
            Choice::new(o.id, format!("{indent}{}", o.name), current)
        })
        .collect()
}

/// `?saved=…` after a successful POST-redirect, to show a confirmation.
#[derive(serde::Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    pub saved: Option<String>,
}
