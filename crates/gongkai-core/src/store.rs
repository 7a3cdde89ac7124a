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

use crate::annual_report::{AnnualReport, AnnualReportDraft, AnnualReportInfo};
use crate::audit::{Actor, AuditRecord};
use crate::calendar::YearNotice;
use crate::guide::GuideText;
use crate::item::query::{
    CatalogPage, CatalogQuery, Page, PublicItem, PublishedOnTime, WorkItem, WorkQuery,
};
use crate::item::taxonomy::ColumnSeed;
use crate::item::{
    Column, ColumnDraft, ColumnId, IndexTemplate, ItemCommand, ItemDetail, ItemDraft, ItemId,
    LegacyItem, NewAttachment, ScanReport,
};
use crate::org::{OrgDraft, Organisation};
use crate::policy_doc::{PolicyDoc, PolicyDocDraft};
use crate::request::case::{CaseId, CaseStatus, Intake, NewCaseEntry, QueryCode, RequestCase};
use crate::request::issued::{IssuedNotice, MailContext, NoticeId, NoticeSettings};
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

/// The e-mail outbox (see [`crate::notify`]). Messages are enqueued by the
/// write they report (inside its transaction) or by [`enqueue_mail`](Self::enqueue_mail);
/// a dispatcher claims due messages, sends them and records the result.
/// Several dispatchers (one per web node) may run: a claimed message is
/// leased to one of them until `lease_until`.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Queues one message, due at once. Refuses an invalid message with
    /// `Invalid` (see [`OutboundMail::validate`](crate::notify::OutboundMail::validate)).
    async fn enqueue_mail(&self, mail: &crate::notify::OutboundMail) -> StoreResult<i64>;
    /// Pending messages due at `now` that no other dispatcher holds, oldest
    /// first, at most `limit`; each is leased until `lease_until`.
    async fn claim_due_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<crate::notify::QueuedMail>>;
    async fn mark_mail_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records a failed attempt: retry at `retry_at`, or give up (`None`).
    async fn mark_mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    async fn get_mail(&self, id: i64) -> StoreResult<Option<crate::notify::QueuedMail>>;
    /// Messages of these organisations (`None`: all), newest first.
    async fn list_mail(
        &self,
        org_ids: Option<&[OrgId]>,
        status: Option<crate::notify::MailStatus>,
        limit: i64,
    ) -> StoreResult<Vec<crate::notify::QueuedMail>>;
    /// Puts a failed message back in the queue, due at `now`. Audit: `mail.retry`.
    async fn retry_mail(&self, actor: &Actor, id: i64, now: DateTime<Utc>) -> StoreResult<()>;
}

/// Historic annual reports (政府信息公开工作年度报告) of organisations, one
/// per organisation and year, with their statistics cells; see
/// [`annual_report`](crate::annual_report).
#[async_trait]
pub trait AnnualReportStore: Send + Sync {
    /// Stores the report as its organisation's report for its year,
    /// replacing one stored earlier for the same (organisation, year),
    /// which keeps its id. The draft is checked first
    /// ([`AnnualReportDraft::check`], `Invalid`); an unknown organisation is
    /// `Invalid`; a canonical cell (table, row, col) given twice is
    /// `Conflict { field: "cells" }` and nothing is written. Audit:
    /// `annual_report.import`, whose summary names the organisation, the
    /// year, the number of cells and what was replaced.
    async fn put_annual_report(
        &self,
        actor: &Actor,
        draft: &AnnualReportDraft,
    ) -> StoreResult<AnnualReportInfo>;
    /// [`put_annual_report`](Self::put_annual_report) for several reports in
    /// one transaction: either all are stored or none. One audit record each.
    async fn put_annual_reports(
        &self,
        actor: &Actor,
        drafts: &[AnnualReportDraft],
    ) -> StoreResult<Vec<AnnualReportInfo>>;
    /// The reports of one organisation, newest year first.
    async fn list_annual_reports(&self, org_id: OrgId) -> StoreResult<Vec<AnnualReportInfo>>;
    /// One report with its cells in the order they were read.
    async fn get_annual_report(&self, id: i64) -> StoreResult<Option<AnnualReport>>;
    /// Removes a report and its cells. Audit: `annual_report.delete`.
    async fn delete_annual_report(&self, actor: &Actor, id: i64) -> StoreResult<()>;
}

/// Which cases a list shows, by handler.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HandlerFilter {
    #[default]
    Any,
    Unassigned,
    User(UserId),
}

/// A page request over disclosure requests.
#[derive(Debug, Clone)]
pub struct CaseQuery {
    /// Only cases of these organisations (the caller's scope); empty gives nothing.
    pub org_ids: Vec<OrgId>,
    pub status: Option<CaseStatus>,
    pub handler: HandlerFilter,
    /// Cases whose receipt date (or, before confirmation, arrival date)
    /// lies in this calendar year.
    pub year: Option<i32>,
    pub offset: i64,
    pub limit: i64,
}

/// One page of cases, newest first (by id), and how many match in all.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub cases: Vec<RequestCase>,
    pub total: i64,
}

/// Number of cases of one organisation in one status (for supervisors,
/// who see counts but no personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCount {
    pub org_id: OrgId,
    pub status: CaseStatus,
    pub count: i64,
}

/// 依申请公开 cases. Applicants' personal data lives here and in no audit
/// summary: the audit records of this store name the application number,
/// the entry kind and dates, never the applicant, the comment or reasons.
#[async_trait]
pub trait RequestStore: Send + Sync {
    /// Creates a case with its first entry (`received`), allocating the
    /// next application number of (`org_id`, year of `arrived_on`) in the
    /// same transaction, and storing only `code`'s hash. `form_token` (the
    /// submitting form's one-time token) is stored hashed and unique, so a
    /// replayed form gives `Conflict { field: "form_token" }` and no case.
    /// Audit: `request.submit` (online) or `request.register`, summary
    /// `{number, channel}` only.
    async fn create_request(
        &self,
        actor: &Actor,
        org_id: OrgId,
        intake: &Intake,
        code: &QueryCode,
        form_token: Option<&str>,
    ) -> StoreResult<RequestCase>;
    async fn get_request(&self, id: CaseId) -> StoreResult<Option<RequestCase>>;
    /// The case with this number if `code` is its query code (compared in
    /// constant time on the hash); `None` for a wrong code and an unknown
    /// number alike.
    async fn find_request_by_code(
        &self,
        number: &str,
        code: &str,
    ) -> StoreResult<Option<RequestCase>>;
    /// Newest first, with their entries.
    async fn list_requests(&self, q: &CaseQuery) -> StoreResult<CasePage>;
    /// Counts per organisation and status, ordered by org_id then status;
    /// `year` as in [`CaseQuery::year`].
    async fn count_requests(
        &self,
        org_ids: &[OrgId],
        year: Option<i32>,
    ) -> StoreResult<Vec<CaseCount>>;
    /// Appends entries in order, each checked by
    /// [`RequestCase::apply`] (`Invalid` with its message, nothing written),
    /// in one transaction with one `request.<kind>` audit record each.
    /// `today` is the agency's date. Returns the updated case.
    async fn append_request_entries(
        &self,
        actor: &Actor,
        id: CaseId,
        entries: &[NewCaseEntry],
        today: chrono::NaiveDate,
    ) -> StoreResult<RequestCase>;
    /// [`RequestStore::create_request`], then, when `mail` is given and the
    /// applicant gave an e-mail address, queues the `submitted` e-mail
    /// (number and query code, see [`crate::request::issued::submitted_mail`])
    /// in the same transaction.
    async fn submit_request(
        &self,
        actor: &Actor,
        org_id: OrgId,
        intake: &Intake,
        code: &QueryCode,
        form_token: Option<&str>,
        mail: Option<&SubmitMail>,
    ) -> StoreResult<RequestCase>;
    /// The notices issued for a case, in the order issued.
    async fn list_request_notices(&self, case_id: CaseId) -> StoreResult<Vec<IssuedNotice>>;
    /// One issued notice of a case (`None` if it belongs to another case).
    async fn get_request_notice(
        &self,
        case_id: CaseId,
        id: NoticeId,
    ) -> StoreResult<Option<IssuedNotice>>;
    /// An agency's saved notice settings (`None`: never saved; callers use
    /// [`NoticeSettings::defaults`]).
    async fn get_notice_settings(&self, org_id: OrgId) -> StoreResult<Option<NoticeSettings>>;
    /// Inserts or replaces them. Audit: `request.notice_settings`.
    async fn put_notice_settings(&self, actor: &Actor, s: &NoticeSettings) -> StoreResult<()>;
}

/// What the `submitted` e-mail needs besides the case and the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitMail {
    /// The agency's name as the applicant knows it.
    pub agency: String,
    pub context: MailContext,
}

/// A page request over the 复议/诉讼 register.
#[derive(Debug, Clone)]
pub struct AppealQuery {
    /// Only records of these organisations (the caller's scope); empty gives nothing.
    pub org_ids: Vec<OrgId>,
    pub case_id: Option<CaseId>,
    /// Records filed in this calendar year.
    pub year: Option<i32>,
    pub kind: Option<crate::request::appeal::AppealKind>,
    /// The stored (current) result.
    pub result: Option<crate::request::appeal::AppealResult>,
    pub offset: i64,
    pub limit: i64,
}

/// One page of records, newest filing date first (then by id, newest
/// first), and how many match in all.
#[derive(Debug, Clone)]
pub struct AppealPage {
    pub appeals: Vec<crate::request::appeal::Appeal>,
    pub total: i64,
}

/// The 行政复议/行政诉讼 register (see [`crate::request::appeal`]). Audit
/// summaries name the kind, dates, result, organ and reference, never the
/// note.
#[async_trait]
pub trait AppealStore: Send + Sync {
    /// The draft is checked with [`AppealDraft::check`](crate::request::appeal::AppealDraft::check)
    /// against `today` (`Invalid`); a `case_id` must name a case of the same
    /// organisation (`Invalid` otherwise). Audit: `appeal.create`.
    async fn create_appeal(
        &self,
        actor: &Actor,
        draft: &crate::request::appeal::AppealDraft,
        today: chrono::NaiveDate,
    ) -> StoreResult<crate::request::appeal::Appeal>;
    /// Replaces every field, with the checks of `create_appeal`. Audit:
    /// `appeal.update` with before/after.
    async fn update_appeal(
        &self,
        actor: &Actor,
        id: i64,
        draft: &crate::request::appeal::AppealDraft,
        today: chrono::NaiveDate,
    ) -> StoreResult<crate::request::appeal::Appeal>;
    async fn get_appeal(&self, id: i64) -> StoreResult<Option<crate::request::appeal::Appeal>>;
    async fn list_appeals(&self, q: &AppealQuery) -> StoreResult<AppealPage>;
    /// 表四 of `year` over `org_ids`: records filed in that year, each with
    /// its result as of 31 December (see [`AppealTally`](crate::request::appeal::AppealTally)).
    async fn count_appeals(
        &self,
        org_ids: &[OrgId],
        year: i32,
    ) -> StoreResult<crate::request::appeal::AppealTally>;
}

/// The catalog of 主动公开 items (see [`crate::item`] and docs/catalog.md).
///
/// Every write re-runs the workflow rules of [`crate::item::workflow`] on
/// the item as it is inside the transaction — a refused step (wrong state,
/// the author reviewing their own item, unresolved scanner findings) is
/// `Invalid` with the Chinese message and changes nothing. Who may do what
/// at all (roles, organisation scope) is the caller's check through
/// [`crate::authz`]. Workflow writes need an actor with a `user_id`,
/// except publishing a scheduled version. Audit records never copy the
/// body or the summary (they may hold personal data until masked).
#[async_trait]
pub trait ItemStore: Send + Sync {
    /// An agency's 公开目录栏目, ordered by `sort_order`, then id.
    async fn list_item_columns(&self, org_id: OrgId) -> StoreResult<Vec<Column>>;
    /// Stores `seeds` (parents first) as the agency's tree if it has no
    /// column yet, and returns its columns either way. Audit:
    /// `item_column.seed`, only when it seeded.
    async fn seed_item_columns(
        &self,
        actor: &Actor,
        org_id: OrgId,
        seeds: &[ColumnSeed],
    ) -> StoreResult<Vec<Column>>;
    /// `Invalid` when the parent is another agency's. Audit: `item_column.create`.
    async fn create_item_column(
        &self,
        actor: &Actor,
        org_id: OrgId,
        draft: &ColumnDraft,
    ) -> StoreResult<Column>;
    /// Renames, moves, reorders or (de)activates a column; refuses a loop
    /// or another agency's parent with `Invalid`. Audit: `item_column.update`.
    async fn update_item_column(
        &self,
        actor: &Actor,
        id: ColumnId,
        draft: &ColumnDraft,
    ) -> StoreResult<Column>;

    /// The agency's 索引号 template (the default when none was set).
    async fn get_index_template(&self, org_id: OrgId) -> StoreResult<IndexTemplate>;
    /// Audit: `item.index_template` with before/after.
    async fn put_index_template(
        &self,
        actor: &Actor,
        org_id: OrgId,
        template: &IndexTemplate,
    ) -> StoreResult<()>;

    /// Version 1 as a 草稿 by the actor. The column must be an active column
    /// of `org_id`, a 废止 link an existing other item. Audit: `item.create`.
    async fn create_item(
        &self,
        actor: &Actor,
        org_id: OrgId,
        draft: &ItemDraft,
    ) -> StoreResult<ItemDetail>;
    /// Replaces the metadata of the open version (see
    /// [`check_edit`](crate::item::workflow::check_edit)). Audit: `item.update`.
    async fn update_item(
        &self,
        actor: &Actor,
        id: ItemId,
        draft: &ItemDraft,
    ) -> StoreResult<ItemDetail>;
    /// Adds attachment metadata to the open version. Audit: `item.attach`.
    async fn add_item_attachment(
        &self,
        actor: &Actor,
        id: ItemId,
        attachment: &NewAttachment,
    ) -> StoreResult<ItemDetail>;
    /// Audit: `item.detach`; `NotFound` if the open version has no such attachment.
    async fn remove_item_attachment(
        &self,
        actor: &Actor,
        id: ItemId,
        attachment_id: i64,
    ) -> StoreResult<ItemDetail>;
    /// Records a scan of the open version, replacing the previous one.
    /// Audit: `item.scan` (keys and kinds, no excerpts).
    async fn record_item_scan(
        &self,
        actor: &Actor,
        id: ItemId,
        report: &ScanReport,
    ) -> StoreResult<ItemDetail>;
    /// A reviewer's reason to let one finding of the current scan pass.
    /// Audit: `item.override`.
    async fn override_item_finding(
        &self,
        actor: &Actor,
        id: ItemId,
        finding_key: &str,
        reason: &str,
    ) -> StoreResult<ItemDetail>;
    /// Runs a workflow command at `now`. Publishing assigns the 索引号 on
    /// first publication (concurrency-safe per agency and year) and records
    /// the 第二十六条 due date and whether it was met. One transition row and
    /// one audit record per step (`item.submit`, `item.review`,
    /// `item.approve`, `item.publish`, `item.withdraw`, `item.correct`,
    /// `item.revise`), all in one transaction.
    async fn transition_item(
        &self,
        actor: &Actor,
        id: ItemId,
        command: &ItemCommand,
        now: DateTime<Utc>,
    ) -> StoreResult<ItemDetail>;
    /// Takes over published items from an earlier site with their own
    /// 索引号, all or none; an 索引号 already present is
    /// `Conflict { field: "index_no" }`. One `item.import` record each.
    /// A `repealed_by_index_no` is resolved after the whole batch is
    /// inserted, among the batch and the existing items; an unknown number
    /// is `Invalid`.
    async fn import_items(&self, actor: &Actor, items: &[LegacyItem]) -> StoreResult<Vec<ItemId>>;

    /// The item with all versions, attachments, overrides and transitions.
    async fn get_item(&self, id: ItemId) -> StoreResult<Option<ItemDetail>>;
    async fn find_item_by_index_no(&self, index_no: &str) -> StoreResult<Option<ItemId>>;
    /// Console lists: latest versions in the caller's scope, most recently
    /// changed first.
    async fn list_work_items(&self, q: &WorkQuery) -> StoreResult<Page<WorkItem>>;
    /// Open 主动公开 versions of these agencies formed on or before the day
    /// (pass [`DueWindow::formed_cutoff`](crate::item::deadline::DueWindow)),
    /// oldest 形成/变更日期 first.
    async fn list_items_due(
        &self,
        org_ids: &[OrgId],
        formed_on_or_before: chrono::NaiveDate,
    ) -> StoreResult<Vec<WorkItem>>;
    /// Items whose scheduled publication time is at or before `due_by`,
    /// earliest first (run [`ItemCommand::PublishScheduled`] on each).
    async fn list_scheduled_items(&self, due_by: DateTime<Utc>) -> StoreResult<Vec<ItemId>>;
    /// The public catalog: published 主动公开 items, newest 发布日期 first,
    /// then by id (descending), counted as the query asks.
    async fn list_catalog(&self, q: &CatalogQuery) -> StoreResult<CatalogPage>;
    /// A published 主动公开 item as the public sees it; `None` otherwise.
    async fn get_public_item(&self, id: ItemId) -> StoreResult<Option<PublicItem>>;
    /// Those of `ids` that are published 主动公开 items now, in no
    /// particular order: a cheap check of a search page's hits against an
    /// index that may lag.
    async fn public_item_ids(&self, ids: &[ItemId]) -> StoreResult<Vec<ItemId>>;
    /// Published 主动公开 items with an id above `after`, lowest id first,
    /// at most `limit`, each as [`get_public_item`](Self::get_public_item)
    /// gives it: bulk readers (the search index rebuild) walk the catalog
    /// with a few queries per batch instead of several per item.
    async fn list_public_items(&self, after: ItemId, limit: i64) -> StoreResult<Vec<PublicItem>>;
    /// Published 主动公开 items with `from <= id < to`, lowest id first,
    /// with their 发布日期: a sitemap part, which stays the same while
    /// newer items are published.
    async fn public_items_in_id_range(
        &self,
        from: ItemId,
        to: ItemId,
    ) -> StoreResult<Vec<(ItemId, chrono::NaiveDate)>>;
    /// The highest id of a published 主动公开 item, if there is one.
    async fn max_public_item_id(&self) -> StoreResult<Option<ItemId>>;
    /// The 第二十六条 figures of each of these agencies that published any
    /// 主动公开 version in `year` (Beijing time; imported items by their
    /// 发布日期), by organisation id.
    async fn count_items_published_on_time(
        &self,
        org_ids: &[OrgId],
        year: i32,
    ) -> StoreResult<Vec<PublishedOnTime>>;
}

/// Everything a gongkai deployment stores.
#[async_trait]
pub trait Store:
    OrgStore
    + PolicyDocStore
    + UserStore
    + SessionStore
    + AuditStore
    + CalendarStore
    + OutboxStore
    + AnnualReportStore
    + RequestStore
    + AppealStore
    + ItemStore
    + crate::request::documents::CaseDocumentStore
    + 'static
{
    fn backend(&self) -> Backend;
    /// Applies pending migrations (idempotent).
    async fn migrate(&self) -> StoreResult<()>;
    /// True when the database holds no organisation and no user (fresh install).
    async fn is_empty(&self) -> StoreResult<bool>;
}
