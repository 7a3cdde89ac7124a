//! Backend-neutral pieces: error mapping, the clock, column lists, audit
//! events and row mapping. The SQL that differs lives in `sqlite/` and
//! `postgres/`.

use chrono::{DateTime, SubsecRound, Utc};
use gongkai_core::audit::AuditEvent;
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

/// Row → domain mapping. Both drivers decode the same Rust types from their
/// columns (DateTime from RFC 3339 text or TIMESTAMPTZ, bool from 0/1 or
/// BOOLEAN), so the code is written once and instantiated per row type.
macro_rules! row_mappers {
    ($row:ty) => {
        use chrono::{DateTime, NaiveDate, Utc};
        use gongkai_core::audit::AuditRecord;
        use gongkai_core::guide::GuideText;
        use gongkai_core::html::SafeHtml;
        use gongkai_core::org::{OfficeContact, OrgKind, OrgLevel, Organisation};
        use gongkai_core::org_code::OrgCode;
        use gongkai_core::policy_doc::PolicyDoc;
        use gongkai_core::session::{LoginThrottle, SessionRecord};
        use gongkai_core::user::{Grant, Role, User};
        use sqlx::Row;

        pub(crate) fn org_from_row(r: &$row) -> sqlx::Result<Organisation> {
            let kind: String = r.try_get("kind")?;
            let level: String = r.try_get("level")?;
            let code: Option<String> = r.try_get("code")?;
            Ok(Organisation {
                id: r.try_get("id")?,
                parent_id: r.try_get("parent_id")?,
                name: r.try_get("name")?,
                short_name: r.try_get("short_name")?,
                code: code
                    .map(|c| OrgCode::parse(&c).map_err(|_| $crate::common::decode_err("code", &c)))
                    .transpose()?,
                kind: OrgKind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == kind)
                    .ok_or_else(|| $crate::common::decode_err("kind", &kind))?,
                level: OrgLevel::ALL
                    .into_iter()
                    .find(|l| l.as_str() == level)
                    .ok_or_else(|| $crate::common::decode_err("level", &level))?,
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

        pub(crate) fn guide_from_row(r: &$row) -> sqlx::Result<GuideText> {
            Ok(GuideText {
                classification: r.try_get("classification")?,
                arrangement: r.try_get("arrangement")?,
                access: r.try_get("access")?,
                extra: r.try_get("extra")?,
            })
        }

        pub(crate) fn doc_from_row(r: &$row) -> sqlx::Result<PolicyDoc> {
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

        pub(crate) fn user_from_row(r: &$row) -> sqlx::Result<User> {
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

        pub(crate) fn grant_from_row(r: &$row) -> sqlx::Result<Grant> {
            let role: String = r.try_get("role")?;
            Ok(Grant {
                role: Role::ALL
                    .into_iter()
                    .find(|x| x.as_str() == role)
                    .ok_or_else(|| $crate::common::decode_err("role", &role))?,
                org_id: r.try_get("org_id")?,
                subtree: r.try_get("subtree")?,
            })
        }

        pub(crate) fn session_from_row(r: &$row) -> sqlx::Result<SessionRecord> {
            Ok(SessionRecord {
                id_hash: r.try_get("id_hash")?,
                user_id: r.try_get("user_id")?,
                csrf_token: r.try_get("csrf_token")?,
                created_at: r.try_get::<DateTime<Utc>, _>("created_at")?,
                last_seen_at: r.try_get::<DateTime<Utc>, _>("last_seen_at")?,
                expires_at: r.try_get::<DateTime<Utc>, _>("expires_at")?,
            })
        }

        pub(crate) fn throttle_from_row(r: &$row) -> sqlx::Result<LoginThrottle> {
            Ok(LoginThrottle {
                key: r.try_get("key")?,
                failures: r.try_get("failures")?,
                window_start: r.try_get::<DateTime<Utc>, _>("window_start")?,
                locked_until: r.try_get::<Option<DateTime<Utc>>, _>("locked_until")?,
            })
        }

        pub(crate) fn audit_from_row(r: &$row) -> sqlx::Result<AuditRecord> {
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
    };
}
pub(crate) use row_mappers;

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
