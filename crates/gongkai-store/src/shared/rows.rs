//! Row → domain mapping. Both drivers decode the same Rust types from their
//! columns (`DateTime` from RFC 3339 text or TIMESTAMPTZ, `bool` from 0/1 or
//! BOOLEAN, `NaiveDate` from text or DATE), so this is written once and
//! compiled per backend against its `DbRow`.

use super::DbRow;
use crate::common::{backend, decode_err};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::audit::AuditRecord;
use gongkai_core::guide::GuideText;
use gongkai_core::html::SafeHtml;
use gongkai_core::org::{OfficeContact, OrgKind, OrgLevel, Organisation};
use gongkai_core::org_code::OrgCode;
use gongkai_core::policy_doc::PolicyDoc;
use gongkai_core::session::{LoginThrottle, SessionRecord};
use gongkai_core::store::StoreResult;
use gongkai_core::user::{Grant, Role, User};
use sqlx::Row;

/// Maps every row with `f`; the first decode error wins.
pub(super) fn map_rows<T>(
    rows: Vec<DbRow>,
    f: fn(&DbRow) -> sqlx::Result<T>,
) -> StoreResult<Vec<T>> {
    rows.iter().map(|r| f(r).map_err(backend)).collect()
}

pub(super) fn org_from_row(r: &DbRow) -> sqlx::Result<Organisation> {
    let kind: String = r.try_get("kind")?;
    let level: String = r.try_get("level")?;
    let code: Option<String> = r.try_get("code")?;
    Ok(Organisation {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        name: r.try_get("name")?,
        short_name: r.try_get("short_name")?,
        code: code
            .map(|c| OrgCode::parse(&c).map_err(|_| decode_err("code", &c)))
            .transpose()?,
        kind: OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind)
            .ok_or_else(|| decode_err("kind", &kind))?,
        level: OrgLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == level)
            .ok_or_else(|| decode_err("level", &level))?,
        sort_order: r.try_get("sort_order")?,
        active: r.try_get("active")?,
        successor_id: r.try_get("successor_id")?,
        contact: OfficeContact {
            office_name: r.try_get("office_name")?,
            address: r.try_get("address")?,
            office_hours: r.try_get("office_hours")?,
            phone: r.try_get("phone")?,
            fax: r.try_get("fax")?,
            email: r.try_get("email")?,
            website: r.try_get("website")?,
            postcode: r.try_get("postcode")?,
        },
        created_at: r.try_get::<DateTime<Utc>, _>("created_at")?,
        updated_at: r.try_get::<DateTime<Utc>, _>("updated_at")?,
    })
}

pub(super) fn guide_from_row(r: &DbRow) -> sqlx::Result<GuideText> {
    Ok(GuideText {
        classification: r.try_get("classification")?,
        arrangement: r.try_get("arrangement")?,
        access: r.try_get("access")?,
        extra: r.try_get("extra")?,
    })
}

pub(super) fn doc_from_row(r: &DbRow) -> sqlx::Result<PolicyDoc> {
    Ok(PolicyDoc {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        title: r.try_get("title")?,
        // Bodies were sanitised before they were stored.
        body: SafeHtml::from_trusted_storage(r.try_get("body")?),
        issued_on: r.try_get::<Option<NaiveDate>, _>("issued_on")?,
        created_at: r.try_get::<DateTime<Utc>, _>("created_at")?,
        updated_at: r.try_get::<DateTime<Utc>, _>("updated_at")?,
    })
}

pub(super) fn user_from_row(r: &DbRow) -> sqlx::Result<User> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        org_id: r.try_get("org_id")?,
        active: r.try_get("active")?,
        created_at: r.try_get::<DateTime<Utc>, _>("created_at")?,
        updated_at: r.try_get::<DateTime<Utc>, _>("updated_at")?,
    })
}

pub(super) fn grant_from_row(r: &DbRow) -> sqlx::Result<Grant> {
    let role: String = r.try_get("role")?;
    Ok(Grant {
        role: Role::ALL
            .into_iter()
            .find(|x| x.as_str() == role)
            .ok_or_else(|| decode_err("role", &role))?,
        org_id: r.try_get("org_id")?,
        subtree: r.try_get("subtree")?,
    })
}

pub(super) fn session_from_row(r: &DbRow) -> sqlx::Result<SessionRecord> {
    Ok(SessionRecord {
        id_hash: r.try_get("id_hash")?,
        user_id: r.try_get("user_id")?,
        csrf_token: r.try_get("csrf_token")?,
        created_at: r.try_get::<DateTime<Utc>, _>("created_at")?,
        last_seen_at: r.try_get::<DateTime<Utc>, _>("last_seen_at")?,
        expires_at: r.try_get::<DateTime<Utc>, _>("expires_at")?,
    })
}

pub(super) fn throttle_from_row(r: &DbRow) -> sqlx::Result<LoginThrottle> {
    Ok(LoginThrottle {
        key: r.try_get("key")?,
        failures: r.try_get("failures")?,
        window_start: r.try_get::<DateTime<Utc>, _>("window_start")?,
        locked_until: r.try_get::<Option<DateTime<Utc>>, _>("locked_until")?,
    })
}

pub(super) fn audit_from_row(r: &DbRow) -> sqlx::Result<AuditRecord> {
    Ok(AuditRecord {
        seq: r.try_get("seq")?,
        at: r.try_get::<DateTime<Utc>, _>("at")?,
        actor_user_id: r.try_get("actor_user_id")?,
        actor_name: r.try_get("actor_name")?,
        via: r.try_get("via")?,
        org_id: r.try_get("org_id")?,
        action: r.try_get("action")?,
        object_type: r.try_get("object_type")?,
        object_id: r.try_get("object_id")?,
        summary: r.try_get("summary")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}
