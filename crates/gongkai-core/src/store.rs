//! Storage ports. `gongkai-store` implements them for SQLite and
//! PostgreSQL; the web layer and the CLI hold an `Arc<dyn Store>`.
//!
//! Conventions every implementation follows (the contract suite checks them):
//! - every method that changes data takes the [`Actor`] and appends the
//!   matching [`AuditEvent`](crate::audit::AuditEvent) to the audit log **in the same transaction**;
//! - multi-row writes are all-or-nothing;
//! - a unique-constraint violation is reported as [`StoreError::Conflict`],
//!   a missing row addressed by id as [`StoreError::NotFound`];
//! - lists come back in a stable, documented order.

use crate::audit::{Actor, AuditRecord};
use crate::calendar::YearNotice;
use crate::guide::GuideText;
use crate::org::{OrgDraft, Organisation};
use crate::policy_doc::{PolicyDoc, PolicyDocDraft};
use crate::session::{LoginThrottle, SessionRecord};
use crate::user::{Grant, NewUser, User, UserCredentials, UserPatch};
use crate::{OrgId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was violated; `field` names the form field concerned.
    #[error("conflict on {field}")]
    Conflict { field: &'static str },
    /// The change would break an invariant the database cannot express
    /// (e.g. a cycle in the organisation tree).
    #[error("invalid: {0}")]
    Invalid(String),
    /// Anything else: connection failures, SQL errors. Logged, never shown.
    #[error("storage backend error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which database is behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How a new organisation in a batch names its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParentRef {
    None,
    /// An organisation already in the database.
    Existing(OrgId),
    /// An earlier entry of the same batch (by index).
    Batch(usize),
}

#[derive(Debug, Clone)]
pub struct NewOrg {
    pub parent: ParentRef,
    pub draft: OrgDraft,
}

/// A page request over a log.
#[derive(Debug, Clone)]
pub struct AuditQuery {
    /// Only records of these organisations; `None` means all (CLI, root admin).
    /// Records without an organisation are included only when `None`.
    pub org_ids: Option<Vec<OrgId>>,
    /// Return records with `seq` strictly below this, newest first; `None` starts at the newest.
    pub before_seq: Option<i64>,
    pub limit: i64,
}

#[async_trait]
pub trait OrgStore: Send + Sync {
    /// All organisations, ordered by level, then sort_order, then id.
    async fn list_orgs(&self) -> StoreResult<Vec<Organisation>>;
    async fn get_org(&self, id: OrgId) -> StoreResult<Option<Organisation>>;
    /// Creates one organisation. Audit: `org.create`.
    async fn create_org(
        &self,
        actor: &Actor,
        parent_id: Option<OrgId>,
        draft: &OrgDraft,
    ) -> StoreResult<Organisation>;
    /// Creates many in one transaction, in order (a [`ParentRef::Batch`]
    /// must point to an earlier index). One `org.create` audit record each.
    async fn create_orgs(&self, actor: &Actor, orgs: &[NewOrg]) -> StoreResult<Vec<Organisation>>;
    /// Replaces the editable fields (not the parent). Audit: `org.update` with before/after.
    async fn update_org(
        &self,
        actor: &Actor,
        id: OrgId,
        draft: &OrgDraft,
    ) -> StoreResult<Organisation>;
    /// Moves an organisation under another parent; refuses cycles with `Invalid`. Audit: `org.move`.
    async fn move_org(
        &self,
        actor: &Actor,
        id: OrgId,
        new_parent: Option<OrgId>,
    ) -> StoreResult<Organisation>;

    /// The guide texts; an organisation without saved texts has the default (empty) texts.
    async fn get_guide(&self, org_id: OrgId) -> StoreResult<GuideText>;
    /// Audit: `guide.update`.
    async fn put_guide(&self, actor: &Actor, org_id: OrgId, guide: &GuideText) -> StoreResult<()>;
}

#[async_trait]
pub trait PolicyDocStore: Send + Sync {
    /// Documents of one organisation, newest `issued_on` first, then by id.
    async fn list_policy_docs(&self, org_id: OrgId) -> StoreResult<Vec<PolicyDoc>>;
    async fn get_policy_doc(&self, id: i64) -> StoreResult<Option<PolicyDoc>>;
    /// Audit: `policy_doc.create`.
    async fn create_policy_doc(
        &self,
        actor: &Actor,
        org_id: OrgId,
        draft: &PolicyDocDraft,
    ) -> StoreResult<PolicyDoc>;
    /// Audit: `policy_doc.update`.
    async fn update_policy_doc(
        &self,
        actor: &Actor,
        id: i64,
        draft: &PolicyDocDraft,
    ) -> StoreResult<PolicyDoc>;
    /// Audit: `policy_doc.delete` with the deleted content as `before`.
    async fn delete_policy_doc(&self, actor: &Actor, id: i64) -> StoreResult<()>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// `Conflict { field: "username" }` when the name is taken. Audit: `user.create`.
    async fn create_user(&self, actor: &Actor, user: &NewUser) -> StoreResult<User>;
    /// Audit: `user.update`.
    async fn update_user(&self, actor: &Actor, id: UserId, patch: &UserPatch) -> StoreResult<User>;
    /// Audit: `user.password` (the summary never contains the hash).
    async fn set_password_hash(&self, actor: &Actor, id: UserId, hash: &str) -> StoreResult<()>;
    async fn get_user(&self, id: UserId) -> StoreResult<Option<User>>;
    /// Looks up by normalised login name, with the hash, for sign-in.
    async fn get_credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>>;
    /// Users whose home organisation is in `org_ids` (`None`: all users), ordered by username.
    async fn list_users(&self, org_ids: Option<&[OrgId]>) -> StoreResult<Vec<User>>;

    /// Grants of one user, ordered by org_id then role.
    async fn list_grants(&self, user_id: UserId) -> StoreResult<Vec<Grant>>;
    /// Adds a grant; granting an existing (role, org) again updates its subtree flag. Audit: `user.grant`.
    async fn grant(&self, actor: &Actor, user_id: UserId, grant: &Grant) -> StoreResult<()>;
    /// Removes the grant of `role` at `org_id`; `NotFound` if there is none. Audit: `user.revoke`.
    async fn revoke(&self, actor: &Actor, user_id: UserId, grant: &Grant) -> StoreResult<()>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, s: &SessionRecord) -> StoreResult<()>;
    /// The session if it exists and `expires_at > now`.
    async fn get_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SessionRecord>>;
    async fn touch_session(
        &self,
        id_hash: &str,
        last_seen_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    /// Ends every session of a user except `keep` (used after a password change).
    async fn delete_user_sessions(&self, user_id: UserId, keep: Option<&str>) -> StoreResult<u64>;
    /// Removes expired sessions; returns how many.
    async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    async fn get_login_throttle(&self, key: &str) -> StoreResult<Option<LoginThrottle>>;
    /// Insert or replace by key.
    async fn put_login_throttle(&self, t: &LoginThrottle) -> StoreResult<()>;
    async fn clear_login_throttle(&self, key: &str) -> StoreResult<()>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends an event that is not part of another write (sign-in, sign-out).
    async fn append_audit(
        &self,
        actor: &Actor,
        event: &crate::audit::AuditEvent,
    ) -> StoreResult<AuditRecord>;
    /// A page of records, newest first.
    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditRecord>>;
    /// Records with `seq > after_seq` in ascending order, at most `limit` (for verification).
    async fn audit_after(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditRecord>>;
    /// The (seq, hash) of the last record, kept in a separate row so that
    /// truncating the log is detectable.
    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>>;
}

/// Working-day calendar years imported by an administrator (a State
/// Council notice published after the release). They take precedence over
/// the shipped years; see [`WorkdayCalendar::effective`](crate::calendar::WorkdayCalendar::effective).
#[async_trait]
pub trait CalendarStore: Send + Sync {
    /// Stored years, ascending by year.
    async fn list_calendar_years(&self) -> StoreResult<Vec<YearNotice>>;
    /// Inserts or replaces one year. A notice that breaks the calendar's
    /// rules (a date both off and work, a date outside the year) is refused
    /// with `Invalid`. Audit: `calendar.put` with before/after, no organisation.
    async fn put_calendar_year(&self, actor: &Actor, year: &YearNotice) -> StoreResult<()>;
    /// [`put_calendar_year`](Self::put_calendar_year) for several years in
    /// one transaction: either every year is stored or none is. One
    /// `calendar.put` record each, in order.
    async fn put_calendar_years(&self, actor: &Actor, years: &[YearNotice]) -> StoreResult<()>;
}

/// Everything a gongkai deployment stores.
#[async_trait]
pub trait Store:
    OrgStore + PolicyDocStore + UserStore + SessionStore + AuditStore + CalendarStore + 'static
{
    fn backend(&self) -> Backend;
    /// Applies pending migrations (idempotent).
    async fn migrate(&self) -> StoreResult<()>;
    /// True when the database holds no organisation and no user (fresh install).
    async fn is_empty(&self) -> StoreResult<bool>;
}
