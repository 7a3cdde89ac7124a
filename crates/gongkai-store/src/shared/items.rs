//! Catalog items (主动公开): columns, 索引号 templates and sequences, items
//! with their versions, attachments, scan records, overrides and the
//! transition record (see `0005_items.sql` and docs/catalog.md).
//!
//! Every item write starts by touching the item row (`lock_item`), which on
//! PostgreSQL takes its row lock, so two reviewers acting on the same item
//! take turns and the second one sees the first one's result; SQLite's
//! `BEGIN IMMEDIATE` already serialises writers. The workflow rules are
//! then run on the item as it is inside the transaction.
//! Lock order is always item row → index sequence row → audit head.

use super::audit::append;
use super::{Conn, Db, DbRow, StoreImpl, ts};
use crate::common::{backend, db_err, decode_err, now};
use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, AuditEvent};
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::html::SafeHtml;
use gongkai_core::item::column::{self as columns, Column, ColumnDraft};
use gongkai_core::item::deadline::{china_date, publication_deadline};
use gongkai_core::item::metadata::REPEAL_LINK_NEEDS_REPEALED;
use gongkai_core::item::query::{
    CatalogEntry, CatalogPage, CatalogQuery, CatalogTotal, CorrectionNote, Page, PublicItem,
    PublishedOnTime, WorkItem, WorkQuery,
};
use gongkai_core::item::scan_gate::{ScanFinding, ScanOverride, ScanRecord, ScanReport};
use gongkai_core::item::taxonomy::ColumnSeed;
use gongkai_core::item::workflow::{
    self, DecisionKind, ItemAction, ItemCommand, Step, VersionState, WorkflowError,
};
use gongkai_core::item::{
    Attachment, ColumnId, DisclosureMode, DocKind, IndexNo, IndexTemplate, Item, ItemDetail,
    ItemDraft, ItemId, ItemVersion, LegacyItem, NewAttachment, Revision, Transition, Validity,
    ValidityKind, Withdrawal,
};
use gongkai_core::org_code::OrgCode;
use gongkai_core::store::{CalendarStore, ItemStore, StoreError, StoreResult};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

// ---------- column lists ----------

macro_rules! item_cols {
    () => {
        "id, org_id, index_no, index_no_legacy, latest_version, public_version, \
         first_published_at, first_published_on, withdrawn_at, withdrawn_reason, \
         created_at, updated_at"
    };
}
macro_rules! version_cols {
    () => {
        "item_id, version, state, title, summary, body, issuers, doc_number, written_on, \
         formed_on, topic, column_id, genre, keywords, disclosure, doc_kind, validity, \
         validity_on, repealed_by, author_id, author_name, revision, correction_reason, \
         publish_at, published_at, due_on, on_time, scan_fingerprint, scan_findings, \
         scanned_at, scanned_by, created_at, updated_at"
    };
}
macro_rules! column_cols {
    () => {
        "id, org_id, parent_id, key, name, basis, sort_order, active"
    };
}
// The work-list line: latest version `v` joined to its item `i`.
macro_rules! work_cols {
    () => {
        "i.id, i.org_id, i.index_no, i.public_version, v.version, v.state, v.title, \
         v.formed_on, v.disclosure, v.author_id, v.author_name, v.publish_at, i.updated_at"
    };
}
// The catalog line: public version `v` joined to its item `i`.
macro_rules! catalog_cols {
    () => {
        "i.id, i.org_id, i.index_no, i.first_published_on, v.version, v.title, v.summary, \
         v.issuers, v.doc_number, v.written_on, v.topic, v.column_id, v.genre, v.keywords, \
         v.doc_kind, v.validity, v.validity_on, v.repealed_by, v.revision"
    };
}

const OPEN_STATES: [VersionState; 4] = [
    VersionState::Draft,
    VersionState::InReview,
    VersionState::InApproval,
    VersionState::Scheduled,
];

// ---------- small helpers ----------

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

fn json_list(r: &DbRow, col: &str) -> sqlx::Result<Vec<String>> {
    let text: String = r.try_get(col)?;
    serde_json::from_str(&text).map_err(|_| decode_err(col, &text))
}

fn keyed<T>(r: &DbRow, col: &str, parse: fn(&str) -> Option<T>) -> sqlx::Result<T> {
    let s: String = r.try_get(col)?;
    parse(&s).ok_or_else(|| decode_err(col, &s))
}

fn validity_from(r: &DbRow) -> sqlx::Result<Validity> {
    let on: Option<NaiveDate> = r.try_get("validity_on")?;
    Ok(match keyed(r, "validity", ValidityKind::parse)? {
        ValidityKind::Effective => Validity::Effective,
        ValidityKind::Expired => Validity::Expired { on },
        ValidityKind::Repealed => Validity::Repealed {
            on: on.ok_or_else(|| decode_err("validity_on", "NULL"))?,
            by: r.try_get("repealed_by")?,
        },
    })
}

fn revision_from(r: &DbRow) -> sqlx::Result<Revision> {
    let kind: String = r.try_get("revision")?;
    let reason: Option<String> = r.try_get("correction_reason")?;
    match (kind.as_str(), reason) {
        ("original", _) => Ok(Revision::Original),
        ("edit", _) => Ok(Revision::Edit),
        ("correction", Some(reason)) => Ok(Revision::Correction { reason }),
        _ => Err(decode_err("revision", &kind)),
    }
}

fn meta_from_row(r: &DbRow) -> sqlx::Result<ItemDraft> {
    Ok(ItemDraft {
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        // Bodies were sanitised before they were stored.
        body: SafeHtml::from_trusted_storage(r.try_get("body")?),
        issuers: json_list(r, "issuers")?,
        doc_number: r.try_get("doc_number")?,
        written_on: r.try_get("written_on")?,
        formed_on: r.try_get("formed_on")?,
        topic: r.try_get("topic")?,
        column_id: r.try_get("column_id")?,
        genre: r.try_get("genre")?,
        keywords: json_list(r, "keywords")?,
        disclosure: keyed(r, "disclosure", DisclosureMode::parse)?,
        doc_kind: keyed(r, "doc_kind", DocKind::parse)?,
        validity: validity_from(r)?,
    })
}

fn item_from_row(r: &DbRow) -> sqlx::Result<Item> {
    let withdrawn_at: Option<DateTime<Utc>> = r.try_get("withdrawn_at")?;
    let withdrawn_reason: Option<String> = r.try_get("withdrawn_reason")?;
    Ok(Item {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        index_no: r
            .try_get::<Option<String>, _>("index_no")?
            .map(IndexNo::from_storage),
        index_no_legacy: r.try_get("index_no_legacy")?,
        latest_version: r.try_get("latest_version")?,
        public_version: r.try_get("public_version")?,
        first_published_at: r.try_get("first_published_at")?,
        first_published_on: r.try_get("first_published_on")?,
        withdrawal: withdrawn_at.map(|at| Withdrawal {
            at,
            reason: withdrawn_reason.unwrap_or_default(),
        }),
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn version_from_row(r: &DbRow) -> sqlx::Result<ItemVersion> {
    let fingerprint: Option<String> = r.try_get("scan_fingerprint")?;
    let scan = match fingerprint {
        None => None,
        Some(fingerprint) => {
            let text: String = r.try_get("scan_findings")?;
            let findings: Vec<ScanFinding> =
                serde_json::from_str(&text).map_err(|_| decode_err("scan_findings", &text))?;
            Some(ScanRecord {
                fingerprint,
                findings,
                scanned_at: r.try_get("scanned_at")?,
                scanned_by: r.try_get("scanned_by")?,
            })
        }
    };
    Ok(ItemVersion {
        item_id: r.try_get("item_id")?,
        version: r.try_get("version")?,
        state: keyed(r, "state", VersionState::parse)?,
        meta: meta_from_row(r)?,
        attachments: Vec::new(),
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        revision: revision_from(r)?,
        publish_at: r.try_get("publish_at")?,
        published_at: r.try_get("published_at")?,
        due_on: r.try_get("due_on")?,
        on_time: r.try_get("on_time")?,
        scan,
        overrides: Vec::new(),
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn column_from_row(r: &DbRow) -> sqlx::Result<Column> {
    Ok(Column {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        parent_id: r.try_get("parent_id")?,
        key: r.try_get("key")?,
        name: r.try_get("name")?,
        basis: r.try_get("basis")?,
        sort_order: r.try_get("sort_order")?,
        active: r.try_get("active")?,
    })
}

fn attachment_from_row(r: &DbRow) -> sqlx::Result<(i32, Attachment)> {
    Ok((
        r.try_get("version")?,
        Attachment {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            media_type: r.try_get("media_type")?,
            size: r.try_get("size")?,
            sha256: r.try_get("sha256")?,
            storage_key: r.try_get("storage_key")?,
        },
    ))
}

fn override_from_row(r: &DbRow) -> sqlx::Result<(i32, ScanOverride)> {
    Ok((
        r.try_get("version")?,
        ScanOverride {
            finding_key: r.try_get("finding_key")?,
            reason: r.try_get("reason")?,
            by: r.try_get("by_user_id")?,
            by_name: r.try_get("by_name")?,
            at: r.try_get("at")?,
        },
    ))
}

fn transition_from_row(r: &DbRow) -> sqlx::Result<Transition> {
    let from: Option<String> = r.try_get("from_state")?;
    let decision: Option<String> = r.try_get("decision")?;
    Ok(Transition {
        id: r.try_get("id")?,
        item_id: r.try_get("item_id")?,
        version: r.try_get("version")?,
        at: r.try_get("at")?,
        actor_user_id: r.try_get("actor_user_id")?,
        actor_name: r.try_get("actor_name")?,
        action: keyed(r, "action", ItemAction::parse)?,
        from: from
            .map(|s| VersionState::parse(&s).ok_or_else(|| decode_err("from_state", &s)))
            .transpose()?,
        to: keyed(r, "to_state", VersionState::parse)?,
        decision: decision
            .map(|s| DecisionKind::parse(&s).ok_or_else(|| decode_err("decision", &s)))
            .transpose()?,
        comment: r.try_get("comment")?,
    })
}

fn work_from_row(r: &DbRow) -> sqlx::Result<WorkItem> {
    Ok(WorkItem {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        index_no: r
            .try_get::<Option<String>, _>("index_no")?
            .map(IndexNo::from_storage),
        version: r.try_get("version")?,
        state: keyed(r, "state", VersionState::parse)?,
        public_version: r.try_get("public_version")?,
        title: r.try_get("title")?,
        formed_on: r.try_get("formed_on")?,
        disclosure: keyed(r, "disclosure", DisclosureMode::parse)?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        publish_at: r.try_get("publish_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn catalog_from_row(r: &DbRow) -> sqlx::Result<CatalogEntry> {
    let index_no: Option<String> = r.try_get("index_no")?;
    let revision: String = r.try_get("revision")?;
    Ok(CatalogEntry {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        // A published item always has a number; NULL would be a broken row.
        index_no: IndexNo::from_storage(index_no.ok_or_else(|| decode_err("index_no", "NULL"))?),
        version: r.try_get("version")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        issuers: json_list(r, "issuers")?,
        doc_number: r.try_get("doc_number")?,
        written_on: r.try_get("written_on")?,
        published_on: r
            .try_get::<Option<NaiveDate>, _>("first_published_on")?
            .ok_or_else(|| decode_err("first_published_on", "NULL"))?,
        topic: r.try_get("topic")?,
        column_id: r.try_get("column_id")?,
        genre: r.try_get("genre")?,
        keywords: json_list(r, "keywords")?,
        doc_kind: keyed(r, "doc_kind", DocKind::parse)?,
        validity: validity_from(r)?,
        corrected: revision == "correction",
    })
}

fn map<T>(rows: Vec<DbRow>, f: fn(&DbRow) -> sqlx::Result<T>) -> StoreResult<Vec<T>> {
    rows.iter().map(|r| f(r).map_err(backend)).collect()
}

// ---------- audit events (summaries never hold the body or summary text) ----------

/// The catalog metadata of a version, for audit summaries.
fn meta_summary(m: &ItemDraft) -> serde_json::Value {
    json!({
        "title": m.title,
        "doc_number": m.doc_number,
        "written_on": m.written_on,
        "formed_on": m.formed_on,
        "topic": m.topic,
        "column_id": m.column_id,
        "genre": m.genre,
        "disclosure": m.disclosure.as_str(),
        "doc_kind": m.doc_kind.as_str(),
        "validity": m.validity.kind().as_str(),
        "validity_on": m.validity.date(),
        "repealed_by": m.validity.repealed_by(),
    })
}

fn item_event(
    org_id: OrgId,
    action: ItemAction,
    id: ItemId,
    summary: serde_json::Value,
) -> AuditEvent {
    AuditEvent::note(Some(org_id), &action.audit_action(), "item", id, summary)
}

fn column_event(action: &str, c: &Column, before: Option<&Column>) -> AuditEvent {
    AuditEvent::change(Some(c.org_id), action, "item_column", c.id, before, Some(c))
}

// ---------- reads inside a connection ----------

/// What the public sees of an item: its public version when that is
/// 主动公开, with the 更正 notes published up to it.
fn public_view(detail: &ItemDetail) -> Option<PublicItem> {
    let v = detail.public()?;
    let index_no = detail.item.index_no.clone()?;
    let published_on = detail.item.first_published_on?;
    if v.meta.disclosure != DisclosureMode::Proactive {
        return None;
    }
    let corrections = detail
        .versions
        .iter()
        .filter(|x| x.version <= v.version)
        .filter_map(|x| match (&x.revision, x.published_at) {
            (Revision::Correction { reason }, Some(at)) => Some(CorrectionNote {
                version: x.version,
                reason: reason.clone(),
                published_at: at,
            }),
            _ => None,
        })
        .collect();
    Some(PublicItem {
        id: detail.item.id,
        org_id: detail.item.org_id,
        index_no,
        published_on,
        version: v.version,
        version_published_at: v.published_at,
        meta: v.meta.clone(),
        attachments: v.attachments.clone(),
        corrections,
    })
}

async fn fetch_detail(conn: &mut Conn, id: ItemId) -> StoreResult<Option<ItemDetail>> {
    let Some(row) = sqlx::query(concat!(
        "SELECT ",
        item_cols!(),
        " FROM items WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?
    else {
        return Ok(None);
    };
    let item = item_from_row(&row).map_err(backend)?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        version_cols!(),
        " FROM item_versions WHERE item_id = $1 ORDER BY version"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let mut versions = map(rows, version_from_row)?;
    let rows = sqlx::query(
        "SELECT id, version, name, media_type, size, sha256, storage_key FROM item_attachments \
         WHERE item_id = $1 ORDER BY version, sort_order, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    for (v, a) in map(rows, attachment_from_row)? {
        if let Some(ver) = versions.iter_mut().find(|x| x.version == v) {
            ver.attachments.push(a);
        }
    }
    let rows = sqlx::query(
        "SELECT version, finding_key, reason, by_user_id, by_name, at FROM item_scan_overrides \
         WHERE item_id = $1 ORDER BY version, at, finding_key",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    for (v, o) in map(rows, override_from_row)? {
        if let Some(ver) = versions.iter_mut().find(|x| x.version == v) {
            ver.overrides.push(o);
        }
    }
    let rows = sqlx::query(
        "SELECT id, item_id, version, at, actor_user_id, actor_name, action, from_state, \
         to_state, decision, comment FROM item_transitions WHERE item_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let transitions = map(rows, transition_from_row)?;
    if versions.is_empty() {
        return Err(StoreError::Backend(format!("item {id} has no version")));
    }
    Ok(Some(ItemDetail {
        item,
        versions,
        transitions,
    }))
}

async fn item_id_by_index_no(conn: &mut Conn, index_no: &str) -> StoreResult<Option<ItemId>> {
    sqlx::query_scalar("SELECT id FROM items WHERE index_no = $1")
        .bind(index_no.trim())
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)
}

/// Takes the item's row lock (see the module docs) and loads it.
async fn lock_item(conn: &mut Conn, id: ItemId) -> StoreResult<ItemDetail> {
    let n = sqlx::query("UPDATE items SET updated_at = $1 WHERE id = $2")
        .bind(ts(now()))
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(backend)?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    fetch_detail(conn, id).await?.ok_or(StoreError::NotFound)
}

async fn fetch_columns(conn: &mut Conn, org_id: OrgId) -> StoreResult<Vec<Column>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        column_cols!(),
        " FROM item_columns WHERE org_id = $1 ORDER BY sort_order, id"
    ))
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    map(rows, column_from_row)
}

async fn fetch_column(conn: &mut Conn, id: ColumnId) -> StoreResult<Option<Column>> {
    sqlx::query(concat!(
        "SELECT ",
        column_cols!(),
        " FROM item_columns WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?
    .map(|r| column_from_row(&r).map_err(backend))
    .transpose()
}

async fn fetch_template(conn: &mut Conn, org_id: OrgId) -> StoreResult<Option<IndexTemplate>> {
    let t: Option<String> =
        sqlx::query_scalar("SELECT index_template FROM item_settings WHERE org_id = $1")
            .bind(org_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
    t.map(|t| {
        IndexTemplate::parse(&t)
            .map_err(|_| StoreError::Backend(format!("stored index template is invalid: {t}")))
    })
    .transpose()
}

/// The column must be an active column of the item's agency, and a 废止
/// link must name another existing item.
async fn check_refs(
    conn: &mut Conn,
    org_id: OrgId,
    item_id: Option<ItemId>,
    meta: &ItemDraft,
) -> StoreResult<()> {
    match fetch_column(conn, meta.column_id).await? {
        None => return Err(invalid("所选公开目录栏目不存在")),
        Some(c) if c.org_id != org_id => return Err(invalid("所选公开目录栏目不属于本机关")),
        Some(c) if !c.active => return Err(invalid("所选公开目录栏目已停用，请选择其他栏目")),
        Some(_) => {}
    }
    if let Some(by) = meta.validity.repealed_by() {
        if Some(by) == item_id {
            return Err(invalid("信息不能废止它自己"));
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM items WHERE id = $1")
            .bind(by)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
        if exists.is_none() {
            return Err(invalid("关联的废止依据信息不存在"));
        }
    }
    Ok(())
}

/// Sets the 废止 link an imported item names by 索引号 (`item` is the id
/// it was just given) and returns the metadata as stored. Runs after the
/// whole batch is inserted, so the repealing item may be any row of the
/// batch as well as an existing item of any agency. As in [`check_refs`],
/// it only has to exist: an item with a 索引号 has been published, and the
/// public pages hide the link while the repealing item is not public.
async fn link_repealer(conn: &mut Conn, it: &LegacyItem, item: ItemId) -> StoreResult<ItemDraft> {
    let Some(index_no) = &it.repealed_by_index_no else {
        return Ok(it.meta.clone());
    };
    let Validity::Repealed { on, by } = &it.meta.validity else {
        return Err(invalid(REPEAL_LINK_NEEDS_REPEALED));
    };
    if by.is_some() {
        return Err(invalid("废止依据已按信息编号指定，不能再按索引号指定"));
    }
    let by = match item_id_by_index_no(conn, index_no.as_str()).await? {
        None => {
            return Err(invalid(format!(
                "废止依据索引号 {index_no} 不存在（既不在本次导入的信息中，也不在系统中）"
            )));
        }
        Some(by) if by == item => return Err(invalid("信息不能废止它自己")),
        Some(by) => by,
    };
    sqlx::query("UPDATE item_versions SET repealed_by = $1 WHERE item_id = $2 AND version = 1")
        .bind(by)
        .bind(item)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    let mut meta = it.meta.clone();
    meta.validity = Validity::Repealed {
        on: *on,
        by: Some(by),
    };
    Ok(meta)
}

// ---------- writes inside a transaction ----------

#[allow(clippy::too_many_arguments)]
async fn insert_version(
    conn: &mut Conn,
    item_id: ItemId,
    version: i32,
    state: VersionState,
    meta: &ItemDraft,
    author: (Option<i64>, &str),
    revision: &Revision,
    t: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO item_versions (item_id, version, state, title, summary, body, issuers, \
         doc_number, written_on, formed_on, topic, column_id, genre, keywords, disclosure, \
         doc_kind, validity, validity_on, repealed_by, author_id, author_name, revision, \
         correction_reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
         $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)",
    )
    .bind(item_id)
    .bind(version)
    .bind(state.as_str())
    .bind(&meta.title)
    .bind(&meta.summary)
    .bind(meta.body.as_str())
    .bind(to_json(&meta.issuers)?)
    .bind(&meta.doc_number)
    .bind(meta.written_on)
    .bind(meta.formed_on)
    .bind(&meta.topic)
    .bind(meta.column_id)
    .bind(&meta.genre)
    .bind(to_json(&meta.keywords)?)
    .bind(meta.disclosure.as_str())
    .bind(meta.doc_kind.as_str())
    .bind(meta.validity.kind().as_str())
    .bind(meta.validity.date())
    .bind(meta.validity.repealed_by())
    .bind(author.0)
    .bind(author.1)
    .bind(revision.as_str())
    .bind(revision.correction_reason())
    .bind(ts(t))
    .bind(ts(t))
    .execute(&mut *conn)
    .await
    .map_err(|e| db_err(e, "version"))?;
    Ok(())
}

async fn insert_attachment(
    conn: &mut Conn,
    item_id: ItemId,
    version: i32,
    sort_order: i32,
    a: &NewAttachment,
) -> StoreResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO item_attachments (item_id, version, sort_order, name, media_type, size, \
         sha256, storage_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(item_id)
    .bind(version)
    .bind(sort_order)
    .bind(&a.name)
    .bind(&a.media_type)
    .bind(a.size)
    .bind(&a.sha256)
    .bind(&a.storage_key)
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)
}

#[allow(clippy::too_many_arguments)]
async fn insert_transition(
    conn: &mut Conn,
    actor: &Actor,
    item_id: ItemId,
    version: i32,
    at: DateTime<Utc>,
    action: ItemAction,
    from: Option<VersionState>,
    to: VersionState,
    decision: Option<DecisionKind>,
    comment: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO item_transitions (item_id, version, at, actor_user_id, actor_name, action, \
         from_state, to_state, decision, comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(item_id)
    .bind(version)
    .bind(ts(at))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(action.as_str())
    .bind(from.map(VersionState::as_str))
    .bind(to.as_str())
    .bind(decision.map(DecisionKind::as_str))
    .bind(comment)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Moves a version from `from` to `to`; the state guard catches a row
/// changed behind the lock (which would be a bug). The scheduled time is
/// set on the way into 待发布 and cleared on the way back to 草稿; other
/// moves keep it as a record.
async fn set_state(
    conn: &mut Conn,
    item_id: ItemId,
    version: i32,
    from: VersionState,
    to: VersionState,
    publish_at: Option<DateTime<Utc>>,
    t: DateTime<Utc>,
) -> StoreResult<()> {
    let sets_time = matches!(to, VersionState::Scheduled | VersionState::Draft);
    let n = sqlx::query(
        "UPDATE item_versions SET state = $1, \
         publish_at = CASE WHEN $2 THEN $3 ELSE publish_at END, updated_at = $4 \
         WHERE item_id = $5 AND version = $6 AND state = $7",
    )
    .bind(to.as_str())
    .bind(sets_time)
    .bind(publish_at.map(ts))
    .bind(ts(t))
    .bind(item_id)
    .bind(version)
    .bind(from.as_str())
    .execute(&mut *conn)
    .await
    .map_err(backend)?
    .rows_affected();
    if n == 1 {
        Ok(())
    } else {
        Err(invalid("该信息的状态已被他人改变，请刷新后重试"))
    }
}

/// The next 索引号 of the agency for a publication at `at`. The running
/// number is taken with an upsert (row-locked on PostgreSQL); a number a
/// legacy import already holds is skipped.
async fn allocate_index_no(
    conn: &mut Conn,
    org_id: OrgId,
    at: DateTime<Utc>,
) -> StoreResult<IndexNo> {
    let template = fetch_template(conn, org_id).await?.unwrap_or_default();
    let code: Option<String> = sqlx::query_scalar("SELECT code FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    let code = code
        .map(|c| OrgCode::parse(&c).map_err(|_| StoreError::Backend(format!("bad org code {c}"))))
        .transpose()?;
    let day = china_date(at);
    // Fail before consuming a number.
    template
        .render(code.as_ref(), day.year(), day.month(), 1)
        .map_err(invalid)?;
    for _ in 0..1000 {
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO item_index_seq (org_id, year, last_seq) VALUES ($1, $2, 1) \
             ON CONFLICT (org_id, year) DO UPDATE SET last_seq = item_index_seq.last_seq + 1 \
             RETURNING last_seq",
        )
        .bind(org_id)
        .bind(day.year())
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
        let no = template
            .render(code.as_ref(), day.year(), day.month(), seq)
            .map_err(invalid)?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM items WHERE index_no = $1")
            .bind(no.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
        if taken.is_none() {
            return Ok(no);
        }
    }
    Err(invalid(
        "按本机关的索引号模板生成的号码已被占用（多为导入的历史索引号），请调整索引号模板",
    ))
}

/// The 第二十六条 due date and whether `published_on` met it; unknown when
/// the calendar lacks a year, and not applicable to non-proactive items.
fn punctuality(
    cal: Option<&WorkdayCalendar>,
    meta: &ItemDraft,
    published_on: NaiveDate,
) -> (Option<NaiveDate>, Option<bool>) {
    if meta.disclosure != DisclosureMode::Proactive {
        return (None, None);
    }
    match cal.map(|c| publication_deadline(c, meta.formed_on)) {
        Some(Ok(d)) => (Some(d.due), Some(published_on <= d.due)),
        _ => (None, None),
    }
}

/// Rewrites an item's row in `catalog_entries`, the narrow table the public
/// listings read: present while the public version is 主动公开, with that
/// version's filter fields. Every transaction that changes which version is
/// public (publish, correct, withdraw, import) calls it before committing.
/// Migration `0011` filled the table for existing items with the same
/// selection; a change to what the catalog lists must change both.
async fn sync_catalog_entry(conn: &mut Conn, id: ItemId) -> StoreResult<()> {
    sqlx::query("DELETE FROM catalog_entries WHERE item_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    sqlx::query(
        "INSERT INTO catalog_entries \
         (item_id, org_id, published_on, column_id, topic, genre, doc_kind, validity) \
         SELECT i.id, i.org_id, i.first_published_on, v.column_id, v.topic, v.genre, \
         v.doc_kind, v.validity FROM items i \
         JOIN item_versions v ON v.item_id = i.id AND v.version = i.public_version \
         WHERE i.id = $1 AND v.disclosure = $2",
    )
    .bind(id)
    .bind(DisclosureMode::Proactive.as_str())
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Makes `version` the public one.
async fn publish(
    conn: &mut Conn,
    detail: &ItemDetail,
    step: &Step,
    at: DateTime<Utc>,
    cal: Option<&WorkdayCalendar>,
) -> StoreResult<Option<IndexNo>> {
    let item = &detail.item;
    let version = detail
        .version(step.version)
        .ok_or_else(|| StoreError::Backend("published version missing".into()))?;
    let new_no = match &item.index_no {
        Some(_) => None,
        None => Some(allocate_index_no(conn, item.org_id, at).await?),
    };
    if let Some(prev) = item.public_version.filter(|p| *p != step.version) {
        set_state(
            conn,
            item.id,
            prev,
            VersionState::Published,
            VersionState::Superseded,
            None,
            at,
        )
        .await?;
    }
    let (due_on, on_time) = punctuality(cal, &version.meta, china_date(at));
    let n = sqlx::query(
        "UPDATE item_versions SET state = $1, published_at = $2, due_on = $3, on_time = $4, \
         updated_at = $5 WHERE item_id = $6 AND version = $7 AND state = $8",
    )
    .bind(VersionState::Published.as_str())
    .bind(ts(at))
    .bind(due_on)
    .bind(on_time)
    .bind(ts(at))
    .bind(item.id)
    .bind(step.version)
    .bind(step.from.unwrap_or(VersionState::Scheduled).as_str())
    .execute(&mut *conn)
    .await
    .map_err(backend)?
    .rows_affected();
    if n != 1 {
        return Err(invalid("该信息的状态已被他人改变，请刷新后重试"));
    }
    sqlx::query(
        "UPDATE items SET index_no = COALESCE(index_no, $1), public_version = $2, \
         first_published_at = COALESCE(first_published_at, $3), \
         first_published_on = COALESCE(first_published_on, $4), \
         withdrawn_at = NULL, withdrawn_reason = NULL WHERE id = $5",
    )
    .bind(new_no.as_ref().map(IndexNo::as_str))
    .bind(step.version)
    .bind(ts(at))
    .bind(china_date(at))
    .bind(item.id)
    .execute(&mut *conn)
    .await
    .map_err(|e| db_err(e, "index_no"))?;
    sync_catalog_entry(conn, item.id).await?;
    Ok(new_no.or_else(|| item.index_no.clone()))
}

/// A new 草稿 version copied from the public (or last withdrawn) one.
async fn start_revision(
    conn: &mut Conn,
    actor: &Actor,
    detail: &ItemDetail,
    step: &Step,
    t: DateTime<Utc>,
) -> StoreResult<()> {
    let base = detail
        .revision_base()
        .ok_or_else(|| invalid(WorkflowError::NeverPublished))?;
    let revision = match (step.action, &step.comment) {
        (ItemAction::Correct, Some(reason)) => Revision::Correction {
            reason: reason.clone(),
        },
        _ => Revision::Edit,
    };
    insert_version(
        conn,
        detail.item.id,
        step.version,
        VersionState::Draft,
        &base.meta,
        (actor.user_id, &actor.name),
        &revision,
        t,
    )
    .await?;
    for (i, a) in base.attachments.iter().enumerate() {
        let copy = NewAttachment {
            name: a.name.clone(),
            media_type: a.media_type.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
            storage_key: a.storage_key.clone(),
        };
        insert_attachment(conn, detail.item.id, step.version, i as i32, &copy).await?;
    }
    sqlx::query("UPDATE items SET latest_version = $1 WHERE id = $2")
        .bind(step.version)
        .bind(detail.item.id)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    Ok(())
}

/// Records one step: the state change with its effects, the transition
/// row and the audit record.
async fn apply_step(
    conn: &mut Conn,
    actor: &Actor,
    detail: &ItemDetail,
    step: &Step,
    now: DateTime<Utc>,
    cal: Option<&WorkdayCalendar>,
) -> StoreResult<()> {
    let item = &detail.item;
    let mut index_no = None;
    match (step.from, step.to) {
        (None, VersionState::Draft) => start_revision(conn, actor, detail, step, now).await?,
        (Some(_), VersionState::Published) => {
            index_no = publish(conn, detail, step, now, cal).await?;
        }
        (Some(VersionState::Published), VersionState::Withdrawn) => {
            set_state(
                conn,
                item.id,
                step.version,
                VersionState::Published,
                VersionState::Withdrawn,
                None,
                now,
            )
            .await?;
            sqlx::query(
                "UPDATE items SET public_version = NULL, withdrawn_at = $1, withdrawn_reason = $2 \
                 WHERE id = $3",
            )
            .bind(ts(now))
            .bind(&step.comment)
            .bind(item.id)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
            sync_catalog_entry(conn, item.id).await?;
        }
        (Some(from), to) => {
            set_state(conn, item.id, step.version, from, to, step.publish_at, now).await?;
        }
        (None, to) => {
            return Err(StoreError::Backend(format!("unexpected step into {to:?}")));
        }
    }
    insert_transition(
        conn,
        actor,
        item.id,
        step.version,
        now,
        step.action,
        step.from,
        step.to,
        step.decision,
        step.comment.as_deref(),
    )
    .await?;
    let mut summary = json!({
        "version": step.version,
        "from": step.from.map(VersionState::as_str),
        "to": step.to.as_str(),
        "decision": step.decision.map(DecisionKind::as_str),
        "comment": step.comment,
    });
    if let Some(at) = step.publish_at {
        summary["publish_at"] = json!(at);
    }
    if let Some(no) = index_no {
        summary["index_no"] = json!(no.as_str());
    }
    append(
        conn,
        actor,
        &item_event(item.org_id, step.action, item.id, summary),
    )
    .await?;
    Ok(())
}

/// The effective calendar for deadline bookkeeping; `None` if the stored
/// years are unusable (the due date is then recorded as unknown).
async fn calendar(store: &StoreImpl) -> StoreResult<Option<WorkdayCalendar>> {
    let years = store.list_calendar_years().await?;
    Ok(WorkdayCalendar::effective(&years).ok())
}

fn need_user(actor: &Actor) -> StoreResult<i64> {
    actor.user_id.ok_or_else(|| invalid(WorkflowError::NoUser))
}

// ---------- the trait ----------

#[async_trait]
impl ItemStore for StoreImpl {
    async fn list_item_columns(&self, org_id: OrgId) -> StoreResult<Vec<Column>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch_columns(&mut conn, org_id).await
    }

    async fn seed_item_columns(
        &self,
        actor: &Actor,
        org_id: OrgId,
        seeds: &[ColumnSeed],
    ) -> StoreResult<Vec<Column>> {
        let mut tx = self.write_tx().await?;
        let existing = fetch_columns(&mut tx, org_id).await?;
        if !existing.is_empty() || seeds.is_empty() {
            return Ok(existing);
        }
        let t = now();
        let mut ids: Vec<(&str, i64)> = Vec::new();
        for (i, s) in seeds.iter().enumerate() {
            let parent = match &s.parent {
                None => None,
                Some(p) => Some(
                    ids.iter()
                        .find(|(k, _)| *k == p.as_str())
                        .map(|(_, id)| *id)
                        .ok_or_else(|| {
                            invalid(format!("栏目 {} 的上级 {p} 未在其之前定义", s.key))
                        })?,
                ),
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO item_columns (org_id, parent_id, key, name, basis, sort_order, \
                 active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 RETURNING id",
            )
            .bind(org_id)
            .bind(parent)
            .bind(&s.key)
            .bind(&s.name)
            .bind(&s.basis)
            .bind(i as i32 * 10)
            .bind(true)
            .bind(ts(t))
            .bind(ts(t))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| db_err(e, "key"))?;
            ids.push((s.key.as_str(), id));
        }
        let ev = AuditEvent::note(
            Some(org_id),
            "item_column.seed",
            "organisation",
            org_id,
            json!({ "columns": seeds.len() }),
        );
        append(&mut tx, actor, &ev).await?;
        let out = fetch_columns(&mut tx, org_id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn create_item_column(
        &self,
        actor: &Actor,
        org_id: OrgId,
        draft: &ColumnDraft,
    ) -> StoreResult<Column> {
        let mut tx = self.write_tx().await?;
        if let Some(p) = draft.parent_id {
            match fetch_column(&mut tx, p).await? {
                Some(c) if c.org_id == org_id => {}
                _ => return Err(invalid("上级栏目不存在或不属于本机关")),
            }
        }
        let t = now();
        let row = sqlx::query(concat!(
            "INSERT INTO item_columns (org_id, parent_id, key, name, basis, sort_order, active, \
             created_at, updated_at) VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8) RETURNING ",
            column_cols!()
        ))
        .bind(org_id)
        .bind(draft.parent_id)
        .bind(&draft.name)
        .bind(&draft.basis)
        .bind(draft.sort_order)
        .bind(draft.active)
        .bind(ts(t))
        .bind(ts(t))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db_err(e, "name"))?;
        let c = column_from_row(&row).map_err(backend)?;
        append(
            &mut tx,
            actor,
            &column_event("item_column.create", &c, None),
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(c)
    }

    async fn update_item_column(
        &self,
        actor: &Actor,
        id: ColumnId,
        draft: &ColumnDraft,
    ) -> StoreResult<Column> {
        let mut tx = self.write_tx().await?;
        let before = fetch_column(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if let Some(p) = draft.parent_id {
            let all = fetch_columns(&mut tx, before.org_id).await?;
            if !all.iter().any(|c| c.id == p) {
                return Err(invalid("上级栏目不存在或不属于本机关"));
            }
            if columns::would_cycle(&all, id, p) {
                return Err(invalid("不能把栏目移到它自己或它的下级栏目之下"));
            }
        }
        let row = sqlx::query(concat!(
            "UPDATE item_columns SET parent_id = $1, name = $2, basis = $3, sort_order = $4, \
             active = $5, updated_at = $6 WHERE id = $7 RETURNING ",
            column_cols!()
        ))
        .bind(draft.parent_id)
        .bind(&draft.name)
        .bind(&draft.basis)
        .bind(draft.sort_order)
        .bind(draft.active)
        .bind(ts(now()))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        let after = column_from_row(&row).map_err(backend)?;
        append(
            &mut tx,
            actor,
            &column_event("item_column.update", &after, Some(&before)),
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn get_index_template(&self, org_id: OrgId) -> StoreResult<IndexTemplate> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        Ok(fetch_template(&mut conn, org_id).await?.unwrap_or_default())
    }

    async fn put_index_template(
        &self,
        actor: &Actor,
        org_id: OrgId,
        template: &IndexTemplate,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let before = fetch_template(&mut tx, org_id).await?;
        sqlx::query(
            "INSERT INTO item_settings (org_id, index_template, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (org_id) DO UPDATE SET index_template = excluded.index_template, \
             updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(template.as_str())
        .bind(ts(now()))
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err(e, "org_id"))?;
        let ev = AuditEvent::note(
            Some(org_id),
            "item.index_template",
            "organisation",
            org_id,
            json!({
                "before": before.as_ref().map(IndexTemplate::as_str),
                "after": template.as_str(),
            }),
        );
        append(&mut tx, actor, &ev).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }

    async fn create_item(
        &self,
        actor: &Actor,
        org_id: OrgId,
        draft: &ItemDraft,
    ) -> StoreResult<ItemDetail> {
        let author = need_user(actor)?;
        let mut tx = self.write_tx().await?;
        check_refs(&mut tx, org_id, None, draft).await?;
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO items (org_id, latest_version, created_at, updated_at) \
             VALUES ($1, 1, $2, $3) RETURNING id",
        )
        .bind(org_id)
        .bind(ts(t))
        .bind(ts(t))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db_err(e, "org_id"))?;
        insert_version(
            &mut tx,
            id,
            1,
            VersionState::Draft,
            draft,
            (Some(author), &actor.name),
            &Revision::Original,
            t,
        )
        .await?;
        insert_transition(
            &mut tx,
            actor,
            id,
            1,
            t,
            ItemAction::Create,
            None,
            VersionState::Draft,
            None,
            None,
        )
        .await?;
        let summary = json!({ "version": 1, "after": meta_summary(draft) });
        append(
            &mut tx,
            actor,
            &item_event(org_id, ItemAction::Create, id, summary),
        )
        .await?;
        let detail = fetch_detail(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(backend)?;
        Ok(detail)
    }

    async fn update_item(
        &self,
        actor: &Actor,
        id: ItemId,
        draft: &ItemDraft,
    ) -> StoreResult<ItemDetail> {
        let mut tx = self.write_tx().await?;
        let detail = lock_item(&mut tx, id).await?;
        workflow::check_edit(&detail, actor.user_id, ItemAction::Update).map_err(invalid)?;
        check_refs(&mut tx, detail.item.org_id, Some(id), draft).await?;
        let v = detail.latest();
        sqlx::query(
            "UPDATE item_versions SET title = $1, summary = $2, body = $3, issuers = $4, \
             doc_number = $5, written_on = $6, formed_on = $7, topic = $8, column_id = $9, \
             genre = $10, keywords = $11, disclosure = $12, doc_kind = $13, validity = $14, \
             validity_on = $15, repealed_by = $16, updated_at = $17 \
             WHERE item_id = $18 AND version = $19",
        )
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(draft.body.as_str())
        .bind(to_json(&draft.issuers)?)
        .bind(&draft.doc_number)
        .bind(draft.written_on)
        .bind(draft.formed_on)
        .bind(&draft.topic)
        .bind(draft.column_id)
        .bind(&draft.genre)
        .bind(to_json(&draft.keywords)?)
        .bind(draft.disclosure.as_str())
        .bind(draft.doc_kind.as_str())
        .bind(draft.validity.kind().as_str())
        .bind(draft.validity.date())
        .bind(draft.validity.repealed_by())
        .bind(ts(now()))
        .bind(id)
        .bind(v.version)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let after = fetch_detail(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let summary = json!({
            "version": v.version,
            "state": v.state.as_str(),
            "before": meta_summary(&v.meta),
            "after": meta_summary(draft),
            "content_changed": v.fingerprint() != after.latest().fingerprint(),
        });
        append(
            &mut tx,
            actor,
            &item_event(detail.item.org_id, ItemAction::Update, id, summary),
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn add_item_attachment(
        &self,
        actor: &Actor,
        id: ItemId,
        attachment: &NewAttachment,
    ) -> StoreResult<ItemDetail> {
        let a = attachment.validate().map_err(invalid)?;
        let mut tx = self.write_tx().await?;
        let detail = lock_item(&mut tx, id).await?;
        workflow::check_edit(&detail, actor.user_id, ItemAction::Attach).map_err(invalid)?;
        let v = detail.latest();
        if v.attachments.len() >= gongkai_core::item::attachment::ATTACHMENTS_PER_VERSION_MAX {
            return Err(invalid(format!(
                "每条信息最多{}个附件",
                gongkai_core::item::attachment::ATTACHMENTS_PER_VERSION_MAX
            )));
        }
        let next = v.attachments.len() as i32;
        let att_id = insert_attachment(&mut tx, id, v.version, next, &a).await?;
        let summary = json!({
            "version": v.version,
            "attachment": {
                "id": att_id, "name": a.name, "media_type": a.media_type,
                "size": a.size, "sha256": a.sha256,
            },
        });
        append(
            &mut tx,
            actor,
            &item_event(detail.item.org_id, ItemAction::Attach, id, summary),
        )
        .await?;
        let after = fetch_detail(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn remove_item_attachment(
        &self,
        actor: &Actor,
        id: ItemId,
        attachment_id: i64,
    ) -> StoreResult<ItemDetail> {
        let mut tx = self.write_tx().await?;
        let detail = lock_item(&mut tx, id).await?;
        workflow::check_edit(&detail, actor.user_id, ItemAction::Detach).map_err(invalid)?;
        let v = detail.latest();
        let a = v
            .attachments
            .iter()
            .find(|a| a.id == attachment_id)
            .ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM item_attachments WHERE id = $1")
            .bind(attachment_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        let summary = json!({
            "version": v.version,
            "attachment": {
                "id": a.id, "name": a.name, "media_type": a.media_type,
                "size": a.size, "sha256": a.sha256,
            },
        });
        append(
            &mut tx,
            actor,
            &item_event(detail.item.org_id, ItemAction::Detach, id, summary),
        )
        .await?;
        let after = fetch_detail(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn record_item_scan(
        &self,
        actor: &Actor,
        id: ItemId,
        report: &ScanReport,
    ) -> StoreResult<ItemDetail> {
        let mut tx = self.write_tx().await?;
        let detail = lock_item(&mut tx, id).await?;
        workflow::check_scan(&detail).map_err(invalid)?;
        let v = detail.latest();
        let t = now();
        sqlx::query(
            "UPDATE item_versions SET scan_fingerprint = $1, scan_findings = $2, scanned_at = $3, \
             scanned_by = $4, updated_at = $5 WHERE item_id = $6 AND version = $7",
        )
        .bind(&report.fingerprint)
        .bind(to_json(&report.findings)?)
        .bind(ts(t))
        .bind(&actor.name)
        .bind(ts(t))
        .bind(id)
        .bind(v.version)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let findings: Vec<serde_json::Value> = report
            .findings
            .iter()
            .map(|f| json!({ "key": f.key, "kind": f.kind, "blocks": f.blocks }))
            .collect();
        let summary = json!({
            "version": v.version,
            "fingerprint": report.fingerprint,
            "current": report.fingerprint == v.fingerprint(),
            "findings": findings,
        });
        append(
            &mut tx,
            actor,
            &item_event(detail.item.org_id, ItemAction::Scan, id, summary),
        )
        .await?;
        let after = fetch_detail(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn override_item_finding(
        &self,
        actor: &Actor,
        id: ItemId,
        finding_key: &str,
        reason: &str,
    ) -> StoreResult<ItemDetail> {
        let mut tx = self.write_tx().await?;
        let detail = lock_item(&mut tx, id).await?;
        let reason = workflow::check_override(&detail, actor.user_id, finding_key, reason)
            .map_err(invalid)?;
        let v = detail.latest();
        // A second override of the same finding replaces the reason; the
        // audit log keeps both.
        sqlx::query(
            "INSERT INTO item_scan_overrides (item_id, version, finding_key, reason, by_user_id, \
             by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (item_id, version, finding_key) DO UPDATE SET reason = excluded.reason, \
             by_user_id = excluded.by_user_id, by_name = excluded.by_name, at = excluded.at",
        )
        .bind(id)
        .bind(v.version)
        .bind(finding_key)
        .bind(&reason)
        .bind(actor.user_id)
        .bind(&actor.name)
        .bind(ts(now()))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let kind = v
            .scan
            .as_ref()
            .and_then(|s| s.findings.iter().find(|f| f.key == finding_key))
            .map(|f| f.kind.clone());
        let summary = json!({
            "version": v.version,
            "finding_key": finding_key,
            "kind": kind,
            "reason": reason,
        });
        append(
            &mut tx,
            actor,
            &item_event(detail.item.org_id, ItemAction::Override, id, summary),
        )
        .await?;
        let after = fetch_detail(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn transition_item(
        &self,
        actor: &Actor,
        id: ItemId,
        command: &ItemCommand,
        now: DateTime<Utc>,
    ) -> StoreResult<ItemDetail> {
        let may_publish = matches!(
            command,
            ItemCommand::Approve { .. } | ItemCommand::PublishScheduled
        );
        // Read before the write transaction: it uses its own connection.
        let cal = if may_publish {
            calendar(self).await?
        } else {
            None
        };
        let mut tx = self.write_tx().await?;
        let detail = lock_item(&mut tx, id).await?;
        let steps = workflow::plan(&detail, actor.user_id, command, now).map_err(invalid)?;
        let mut current = detail;
        for step in &steps {
            apply_step(&mut tx, actor, &current, step, now, cal.as_ref()).await?;
            current = fetch_detail(&mut tx, id)
                .await?
                .ok_or(StoreError::NotFound)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(current)
    }

    async fn import_items(&self, actor: &Actor, items: &[LegacyItem]) -> StoreResult<Vec<ItemId>> {
        let cal = calendar(self).await?;
        let mut tx = self.write_tx().await?;
        let t = now();
        let mut ids = Vec::with_capacity(items.len());
        for it in items {
            let attachments = it
                .attachments
                .iter()
                .map(NewAttachment::validate)
                .collect::<Result<Vec<_>, _>>()
                .map_err(invalid)?;
            check_refs(&mut tx, it.org_id, None, &it.meta).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO items (org_id, index_no, index_no_legacy, latest_version, \
                 public_version, first_published_on, created_at, updated_at) \
                 VALUES ($1, $2, $3, 1, 1, $4, $5, $6) RETURNING id",
            )
            .bind(it.org_id)
            .bind(it.index_no.as_str())
            .bind(true)
            .bind(it.published_on)
            .bind(ts(t))
            .bind(ts(t))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| db_err(e, "index_no"))?;
            insert_version(
                &mut tx,
                id,
                1,
                VersionState::Published,
                &it.meta,
                (None, &actor.name),
                &Revision::Original,
                t,
            )
            .await?;
            let (due_on, on_time) = punctuality(cal.as_ref(), &it.meta, it.published_on);
            sqlx::query(
                "UPDATE item_versions SET due_on = $1, on_time = $2 WHERE item_id = $3 AND version = 1",
            )
            .bind(due_on)
            .bind(on_time)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            for (i, a) in attachments.iter().enumerate() {
                insert_attachment(&mut tx, id, 1, i as i32, a).await?;
            }
            sync_catalog_entry(&mut tx, id).await?;
            insert_transition(
                &mut tx,
                actor,
                id,
                1,
                t,
                ItemAction::Import,
                None,
                VersionState::Published,
                None,
                None,
            )
            .await?;
            ids.push(id);
        }
        // 废止 links by 索引号 only resolve once every row has its id; the
        // audit records wait for them so each shows the link as stored.
        for (it, &id) in items.iter().zip(&ids) {
            let meta = link_repealer(&mut tx, it, id).await?;
            let summary = json!({
                "version": 1,
                "index_no": it.index_no.as_str(),
                "published_on": it.published_on,
                "repealed_by_index_no": it.repealed_by_index_no.as_ref().map(IndexNo::as_str),
                "after": meta_summary(&meta),
            });
            append(
                &mut tx,
                actor,
                &item_event(it.org_id, ItemAction::Import, id, summary),
            )
            .await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(ids)
    }

    async fn get_item(&self, id: ItemId) -> StoreResult<Option<ItemDetail>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch_detail(&mut conn, id).await
    }

    async fn find_item_by_index_no(&self, index_no: &str) -> StoreResult<Option<ItemId>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        item_id_by_index_no(&mut conn, index_no).await
    }

    async fn list_work_items(&self, q: &WorkQuery) -> StoreResult<Page<WorkItem>> {
        if q.org_ids.is_empty() {
            return Ok(Page {
                total: 0,
                entries: Vec::new(),
            });
        }
        let filter = |b: &mut QueryBuilder<Db>| {
            b.push(" FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.latest_version WHERE i.org_id IN (");
            super::push_list(b, &q.org_ids, |id| *id);
            b.push(")");
            if !q.states.is_empty() {
                b.push(" AND v.state IN (");
                super::push_list(b, &q.states, |s| s.as_str());
                b.push(")");
            }
        };
        let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*)");
        filter(&mut count);
        let total: i64 = count
            .build_query_scalar()
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        let mut b = QueryBuilder::<Db>::new(concat!("SELECT ", work_cols!()));
        filter(&mut b);
        b.push(" ORDER BY i.updated_at DESC, i.id DESC LIMIT ")
            .push_bind(q.limit.max(0))
            .push(" OFFSET ")
            .push_bind(q.offset.max(0));
        let rows = b.build().fetch_all(&self.pool).await.map_err(backend)?;
        Ok(Page {
            total,
            entries: map(rows, work_from_row)?,
        })
    }

    async fn list_items_due(
        &self,
        org_ids: &[OrgId],
        formed_on_or_before: NaiveDate,
    ) -> StoreResult<Vec<WorkItem>> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = QueryBuilder::<Db>::new(concat!(
            "SELECT ",
            work_cols!(),
            " FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.latest_version \
             WHERE v.disclosure = "
        ));
        b.push_bind(DisclosureMode::Proactive.as_str());
        b.push(" AND v.formed_on <= ")
            .push_bind(formed_on_or_before);
        b.push(" AND v.state IN (");
        super::push_list(&mut b, OPEN_STATES, |s| s.as_str());
        b.push(") AND i.org_id IN (");
        super::push_list(&mut b, org_ids, |id| *id);
        b.push(") ORDER BY v.formed_on, i.id");
        let rows = b.build().fetch_all(&self.pool).await.map_err(backend)?;
        map(rows, work_from_row)
    }

    async fn list_scheduled_items(&self, due_by: DateTime<Utc>) -> StoreResult<Vec<ItemId>> {
        sqlx::query_scalar(
            "SELECT item_id FROM item_versions WHERE state = $1 AND publish_at <= $2 \
             ORDER BY publish_at, item_id",
        )
        .bind(VersionState::Scheduled.as_str())
        .bind(ts(due_by))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn list_catalog(&self, q: &CatalogQuery) -> StoreResult<CatalogPage> {
        if q.org_ids.as_ref().is_some_and(Vec::is_empty) {
            return Ok(CatalogPage::empty(q.count_up_to.is_some()));
        }
        // Every condition is on `catalog_entries` (alias `e`), whose indexes
        // each end in catalog order: the page is chosen there, walking one
        // index, and only its rows are then read from `items` and
        // `item_versions`.
        let filter = |b: &mut QueryBuilder<Db>| {
            b.push(" FROM catalog_entries e WHERE 1 = 1");
            if let Some(ids) = &q.org_ids {
                b.push(" AND e.org_id IN (");
                super::push_list(b, ids, |id| *id);
                b.push(")");
            }
            if !q.column_ids.is_empty() {
                b.push(" AND e.column_id IN (");
                super::push_list(b, &q.column_ids, |id| *id);
                b.push(")");
            }
            if let Some(key) = &q.column_key {
                b.push(
                    " AND e.column_id IN (WITH RECURSIVE sub(id) AS \
                     (SELECT id FROM item_columns WHERE key = ",
                )
                .push_bind(key.clone())
                .push(
                    " UNION SELECT c.id FROM item_columns c JOIN sub ON c.parent_id = sub.id) \
                     SELECT id FROM sub)",
                );
            }
            if let Some(t) = &q.topic {
                b.push(" AND e.topic = ").push_bind(t.clone());
            }
            if let Some(g) = &q.genre {
                b.push(" AND e.genre = ").push_bind(g.clone());
            }
            if let Some(k) = q.doc_kind {
                b.push(" AND e.doc_kind = ").push_bind(k.as_str());
            }
            if let Some(v) = q.validity {
                b.push(" AND e.validity = ").push_bind(v.as_str());
            }
            if let Some(y) = q.year {
                let from = NaiveDate::from_ymd_opt(y, 1, 1);
                let to = NaiveDate::from_ymd_opt(y.saturating_add(1), 1, 1);
                if let (Some(from), Some(to)) = (from, to) {
                    b.push(" AND e.published_on >= ").push_bind(from);
                    b.push(" AND e.published_on < ").push_bind(to);
                } else {
                    b.push(" AND 1 = 0");
                }
            }
        };
        let total = match q.count_up_to {
            Some(cap) => {
                let cap = cap.max(0);
                // Counting stops after cap + 1 rows: the cost is bounded
                // by the cap, not by the size of the catalog.
                let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM (SELECT 1 AS one");
                filter(&mut count);
                count
                    .push(" LIMIT ")
                    .push_bind(cap.saturating_add(1))
                    .push(") capped");
                let n: i64 = count
                    .build_query_scalar()
                    .fetch_one(&self.pool)
                    .await
                    .map_err(backend)?;
                Some(CatalogTotal::from_capped(n, cap))
            }
            None => None,
        };
        let mut b = QueryBuilder::<Db>::new(concat!(
            "SELECT ",
            catalog_cols!(),
            " FROM (SELECT e.item_id, e.published_on"
        ));
        filter(&mut b);
        if let Some(c) = q.after {
            // A row-value comparison: both planners turn it into a range
            // seek on the index (an OR of two conditions walked the index
            // from the top, so deep cursors cost more).
            b.push(" AND (e.published_on, e.item_id) < (")
                .push_bind(c.published_on)
                .push(", ")
                .push_bind(c.id)
                .push(")");
        }
        b.push(" ORDER BY e.published_on DESC, e.item_id DESC LIMIT ")
            .push_bind(q.limit.max(0))
            .push(" OFFSET ")
            .push_bind(q.offset.max(0))
            .push(
                ") p JOIN items i ON i.id = p.item_id \
                 JOIN item_versions v ON v.item_id = i.id AND v.version = i.public_version \
                 ORDER BY p.published_on DESC, p.item_id DESC",
            );
        let rows = b.build().fetch_all(&self.pool).await.map_err(backend)?;
        Ok(CatalogPage {
            entries: map(rows, catalog_from_row)?,
            total,
        })
    }

    async fn get_public_item(&self, id: ItemId) -> StoreResult<Option<PublicItem>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        Ok(fetch_detail(&mut conn, id)
            .await?
            .and_then(|d| public_view(&d)))
    }

    async fn list_public_items(&self, after: ItemId, limit: i64) -> StoreResult<Vec<PublicItem>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let rows = sqlx::query(concat!(
            "SELECT ",
            item_cols!(),
            " FROM items WHERE id IN (SELECT item_id FROM catalog_entries \
             WHERE item_id > $1 ORDER BY item_id LIMIT $2) ORDER BY id"
        ))
        .bind(after)
        .bind(limit.max(0))
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        let items = map(rows, item_from_row)?;
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<ItemId> = items.iter().map(|i| i.id).collect();
        // Every version up to the public one: the 更正 notes need them.
        let mut b = QueryBuilder::<Db>::new(concat!(
            "SELECT ",
            version_cols!(),
            " FROM item_versions v WHERE v.item_id IN ("
        ));
        super::push_list(&mut b, &ids, |id| *id);
        b.push(
            ") AND v.version <= (SELECT i.public_version FROM items i WHERE i.id = v.item_id) \
             ORDER BY v.item_id, v.version",
        );
        let rows = b.build().fetch_all(&mut *conn).await.map_err(backend)?;
        let mut versions: std::collections::HashMap<ItemId, Vec<ItemVersion>> =
            std::collections::HashMap::with_capacity(ids.len());
        for v in map(rows, version_from_row)? {
            versions.entry(v.item_id).or_default().push(v);
        }
        let mut b = QueryBuilder::<Db>::new(
            "SELECT a.item_id, a.id, a.version, a.name, a.media_type, a.size, a.sha256, \
             a.storage_key FROM item_attachments a JOIN items i ON i.id = a.item_id \
             AND a.version = i.public_version WHERE a.item_id IN (",
        );
        super::push_list(&mut b, &ids, |id| *id);
        b.push(") ORDER BY a.item_id, a.sort_order, a.id");
        let rows = b.build().fetch_all(&mut *conn).await.map_err(backend)?;
        for r in &rows {
            let item_id: ItemId = r.try_get("item_id").map_err(backend)?;
            let (v, a) = attachment_from_row(r).map_err(backend)?;
            if let Some(ver) = versions
                .get_mut(&item_id)
                .and_then(|vs| vs.iter_mut().find(|x| x.version == v))
            {
                ver.attachments.push(a);
            }
        }
        Ok(items
            .into_iter()
            .filter_map(|item| {
                let versions = versions.remove(&item.id)?;
                public_view(&ItemDetail {
                    item,
                    versions,
                    transitions: Vec::new(),
                })
            })
            .collect())
    }

    async fn public_items_in_id_range(
        &self,
        from: ItemId,
        to: ItemId,
    ) -> StoreResult<Vec<(ItemId, NaiveDate)>> {
        sqlx::query_as(
            "SELECT item_id, published_on FROM catalog_entries \
             WHERE item_id >= $1 AND item_id < $2 ORDER BY item_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn max_public_item_id(&self) -> StoreResult<Option<ItemId>> {
        sqlx::query_scalar("SELECT MAX(item_id) FROM catalog_entries")
            .fetch_one(&self.pool)
            .await
            .map_err(backend)
    }

    async fn public_item_ids(&self, ids: &[ItemId]) -> StoreResult<Vec<ItemId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut b =
            QueryBuilder::<Db>::new("SELECT item_id FROM catalog_entries WHERE item_id IN (");
        super::push_list(&mut b, ids, |id| *id);
        b.push(")");
        b.build_query_scalar()
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn count_items_published_on_time(
        &self,
        org_ids: &[OrgId],
        year: i32,
    ) -> StoreResult<Vec<PublishedOnTime>> {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year.saturating_add(1), 1, 1),
        ) else {
            return Ok(Vec::new());
        };
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        // The year runs from midnight to midnight in Beijing (UTC+8), the
        // calendar `on_time` was judged by.
        let beijing_midnight = |d: NaiveDate| {
            d.and_time(chrono::NaiveTime::MIN).and_utc() - chrono::Duration::hours(8)
        };
        let mut b = QueryBuilder::<Db>::new(
            "SELECT i.org_id, COUNT(*) AS published, \
             SUM(CASE WHEN v.on_time THEN 1 ELSE 0 END) AS on_time, \
             SUM(CASE WHEN NOT v.on_time THEN 1 ELSE 0 END) AS late \
             FROM items i JOIN item_versions v ON v.item_id = i.id WHERE v.disclosure = ",
        );
        b.push_bind(DisclosureMode::Proactive.as_str());
        b.push(" AND i.org_id IN (");
        super::push_list(&mut b, org_ids, |id| *id);
        b.push(") AND ((v.published_at >= ")
            .push_bind(ts(beijing_midnight(from)))
            .push(" AND v.published_at < ")
            .push_bind(ts(beijing_midnight(to)));
        // Imported items carry the earlier site's 发布日期 but no publication time.
        b.push(") OR (v.published_at IS NULL AND v.version = 1 AND i.index_no_legacy = ")
            .push_bind(true)
            .push(" AND i.first_published_on >= ")
            .push_bind(from)
            .push(" AND i.first_published_on < ")
            .push_bind(to)
            .push(")) GROUP BY i.org_id ORDER BY i.org_id");
        let rows = b.build().fetch_all(&self.pool).await.map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(PublishedOnTime {
                    org_id: r.try_get("org_id").map_err(backend)?,
                    published: r.try_get("published").map_err(backend)?,
                    on_time: r.try_get("on_time").map_err(backend)?,
                    late: r.try_get("late").map_err(backend)?,
                })
            })
            .collect()
    }
}
