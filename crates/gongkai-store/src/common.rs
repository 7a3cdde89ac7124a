//! Backend-neutral pieces that need no sqlx driver type: error mapping, the
//! clock, column lists and audit events. Code that does (queries, row
//! mapping) is in `shared/`, compiled once per backend; see the crate docs.

use chrono::{DateTime, SubsecRound, Utc};
use gongkai_core::audit::AuditEvent;
use gongkai_core::calendar::YearNotice;
use gongkai_core::guide::GuideText;
use gongkai_core::org::Organisation;
use gongkai_core::policy_doc::PolicyDoc;
use gongkai_core::user::{Grant, User};
use gongkai_core::{OrgId, StoreError};

/// "Now", truncated to microseconds: PostgreSQL keeps microseconds and the
/// SQLite text format keeps six digits, so what we return equals what a later
/// read gives back, on both backends.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Maps an sqlx error; `unique_field` names the form field a unique
/// violation concerns.
pub(crate) fn db_err(e: sqlx::Error, unique_field: &'static str) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict {
            field: unique_field,
        },
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            StoreError::Invalid("引用的机构或用户不存在".into())
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

/// Plain `?` conversion for statements where no constraint can fire.
pub(crate) fn backend(e: sqlx::Error) -> StoreError {
    db_err(e, "id")
}

pub(crate) fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} in database: {value:?}").into())
}

// Column lists as macros so they can be spliced into `concat!` and stay
// `&'static str` (sqlx 0.9 only takes static or explicitly asserted SQL).
macro_rules! org_cols {
    () => {
        "id, parent_id, name, short_name, code, kind, level, sort_order, active, successor_id, \
         office_name, address, office_hours, phone, fax, email, website, postcode, \
         created_at, updated_at"
    };
}
macro_rules! doc_cols {
    () => {
        "id, org_id, title, body, issued_on, created_at, updated_at"
    };
}
macro_rules! user_cols {
    () => {
        "id, username, display_name, org_id, active, created_at, updated_at"
    };
}
macro_rules! audit_cols {
    () => {
        "seq, at, actor_user_id, actor_name, via, org_id, action, object_type, object_id, \
         summary, prev_hash, hash"
    };
}
macro_rules! session_cols {
    () => {
        "id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at"
    };
}
pub(crate) use {audit_cols, doc_cols, org_cols, session_cols, user_cols};

// ---- audit events, identical for both backends ----

pub(crate) fn ev_org_create(o: &Organisation) -> AuditEvent {
    AuditEvent::change(
        Some(o.id),
        "org.create",
        "organisation",
        o.id,
        None,
        Some(o),
    )
}

pub(crate) fn ev_org_update(before: &Organisation, after: &Organisation) -> AuditEvent {
    AuditEvent::change(
        Some(after.id),
        "org.update",
        "organisation",
        after.id,
        Some(before),
        Some(after),
    )
}

pub(crate) fn ev_org_move(id: OrgId, from: Option<OrgId>, to: Option<OrgId>) -> AuditEvent {
    AuditEvent::note(
        Some(id),
        "org.move",
        "organisation",
        id,
        serde_json::json!({ "before": { "parent_id": from }, "after": { "parent_id": to } }),
    )
}

pub(crate) fn ev_guide(org_id: OrgId, before: &GuideText, after: &GuideText) -> AuditEvent {
    AuditEvent::change(
        Some(org_id),
        "guide.update",
        "org_guide",
        org_id,
        Some(before),
        Some(after),
    )
}

pub(crate) fn ev_doc_create(d: &PolicyDoc) -> AuditEvent {
    AuditEvent::change(
        Some(d.org_id),
        "policy_doc.create",
        "policy_doc",
        d.id,
        None,
        Some(d),
    )
}

pub(crate) fn ev_doc_update(before: &PolicyDoc, after: &PolicyDoc) -> AuditEvent {
    AuditEvent::change(
        Some(after.org_id),
        "policy_doc.update",
        "policy_doc",
        after.id,
        Some(before),
        Some(after),
    )
}

pub(crate) fn ev_doc_delete(before: &PolicyDoc) -> AuditEvent {
    AuditEvent::change(
        Some(before.org_id),
        "policy_doc.delete",
        "policy_doc",
        before.id,
        Some(before),
        None,
    )
}

/// Serialises `User`, which has no password hash field.
pub(crate) fn ev_user_create(u: &User) -> AuditEvent {
    AuditEvent::change(Some(u.org_id), "user.create", "user", u.id, None, Some(u))
}

/// Belongs to the user's home organisation after the change.
pub(crate) fn ev_user_update(before: &User, after: &User) -> AuditEvent {
    AuditEvent::change(
        Some(after.org_id),
        "user.update",
        "user",
        after.id,
        Some(before),
        Some(after),
    )
}

pub(crate) fn ev_password(u: &User) -> AuditEvent {
    AuditEvent::note(
        Some(u.org_id),
        "user.password",
        "user",
        u.id,
        serde_json::json!({ "username": u.username }),
    )
}

/// `user.grant`; `before` is the same (role, org) grant if it existed.
pub(crate) fn ev_grant(user: &User, before: Option<&Grant>, after: &Grant) -> AuditEvent {
    AuditEvent::note(
        Some(after.org_id),
        "user.grant",
        "user",
        user.id,
        serde_json::json!({ "username": user.username, "before": before, "after": after }),
    )
}

pub(crate) fn ev_revoke(user: &User, before: &Grant) -> AuditEvent {
    AuditEvent::note(
        Some(before.org_id),
        "user.revoke",
        "user",
        user.id,
        serde_json::json!({ "username": user.username, "before": before, "after": null }),
    )
}

/// `calendar.put`: a stored calendar year, inserted (`before` is null) or
/// replaced. The calendar is national, so no organisation.
pub(crate) fn ev_calendar_put(before: Option<&YearNotice>, after: &YearNotice) -> AuditEvent {
    AuditEvent::change(
        None,
        "calendar.put",
        "calendar_year",
        after.year,
        before,
        Some(after),
    )
}
