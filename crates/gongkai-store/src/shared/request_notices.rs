//! Issued notices of 依申请公开 cases and the agencies' notice settings
//! (`0007_request_notices.sql`).
//!
//! [`issue`] runs inside the transaction of `append_request_entries`: it
//! takes the next 文号 of the agency's yearly sequence, stores the notice
//! as issued and queues its e-mail, so that an entry refused later in the
//! same batch leaves no notice, no mail and no used number behind.

use super::audit::append;
use super::outbox::enqueue;
use super::{Conn, DbRow, StoreImpl, ts};
use crate::common::{backend, db_err, decode_err, now};
use chrono::{DateTime, Datelike, Utc};
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, AuditEvent};
use gongkai_core::request::case::{CaseId, IssueNotice, RequestCase};
use gongkai_core::request::issued::{
    IssuedNotice, NoticeId, NoticeSettings, default_prefix, doc_number, notice_mail, numbered,
};
use gongkai_core::store::{StoreError, StoreResult};
use sqlx::Row;

macro_rules! notice_cols {
    () => {
        "id, request_id, entry_seq, data, created_at, actor_user_id"
    };
}

fn notice_from_row(r: &DbRow) -> sqlx::Result<IssuedNotice> {
    let data: String = r.try_get("data")?;
    let id: NoticeId = r.try_get("id")?;
    Ok(IssuedNotice {
        id,
        case_id: r.try_get("request_id")?,
        entry_seq: r.try_get("entry_seq")?,
        // The addressee is personal data: not echoed into the error.
        notice: serde_json::from_str(&data)
            .map_err(|_| decode_err("request notice", &id.to_string()))?,
        created_at: r.try_get::<DateTime<Utc>, _>("created_at")?,
        actor_user_id: r.try_get("actor_user_id")?,
    })
}

/// The agency's 文号 prefix: its settings, else the default from its name.
async fn prefix(conn: &mut Conn, org_id: OrgId) -> StoreResult<String> {
    let saved: Option<String> =
        sqlx::query_scalar("SELECT doc_prefix FROM request_notice_settings WHERE org_id = $1")
            .bind(org_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
    if let Some(p) = saved {
        return Ok(p);
    }
    let short: String =
        sqlx::query_scalar("SELECT COALESCE(short_name, name) FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
    Ok(default_prefix(&short))
}

/// Numbers, stores and mails `issue` for entry `seq` of `case`, inside the
/// caller's transaction. Returns the notice as stored.
pub(super) async fn issue(
    conn: &mut Conn,
    actor: &Actor,
    case: &RequestCase,
    seq: i32,
    issue: &IssueNotice,
) -> StoreResult<IssuedNotice> {
    let mut notice = issue.notice.clone();
    if numbered(notice.kind) {
        let year = notice.issued_on.year();
        let p = prefix(conn, case.org_id).await?;
        // The upsert locks the counter row (PostgreSQL) inside the write
        // transaction (SQLite): concurrent issues never share a number.
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO request_notice_counters (org_id, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (org_id, year) DO UPDATE SET last = request_notice_counters.last + 1 \
             RETURNING last",
        )
        .bind(case.org_id)
        .bind(year)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| db_err(e, "org_id"))?;
        notice.doc_number = Some(doc_number(&p, year, n));
    } else {
        notice.doc_number = None;
    }
    let data = serde_json::to_string(&notice).map_err(|e| StoreError::Backend(e.to_string()))?;
    let t = now();
    let row = sqlx::query(concat!(
        "INSERT INTO request_notices (request_id, org_id, entry_seq, kind, doc_number, \
         issued_on, data, created_at, actor_user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ",
        notice_cols!()
    ))
    .bind(case.id)
    .bind(case.org_id)
    .bind(seq)
    .bind(notice.kind.as_str())
    .bind(notice.doc_number.as_deref())
    .bind(notice.issued_on)
    .bind(data)
    .bind(ts(t))
    .bind(actor.user_id)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| db_err(e, "doc_number"))?;
    let stored = notice_from_row(&row).map_err(backend)?;
    if let Some(mail) = notice_mail(case, &notice, &issue.mail) {
        enqueue(conn, &mail).await?;
    }
    // Kind, 文号 and date only: the notice text restates the request.
    append(
        conn,
        actor,
        &AuditEvent::note(
            Some(case.org_id),
            "request.notice",
            "request",
            case.id,
            serde_json::json!({
                "number": case.number,
                "seq": seq,
                "notice_id": stored.id,
                "kind": notice.kind.as_str(),
                "doc_number": notice.doc_number,
                "issued_on": notice.issued_on,
            }),
        ),
    )
    .await?;
    Ok(stored)
}

fn settings_from_row(r: &DbRow) -> sqlx::Result<NoticeSettings> {
    Ok(NoticeSettings {
        org_id: r.try_get("org_id")?,
        doc_prefix: r.try_get("doc_prefix")?,
        review_organ: r.try_get("review_organ")?,
        court: r.try_get("court")?,
        payee: r.try_get("payee")?,
        account: r.try_get("account")?,
        bank: r.try_get("bank")?,
        contact: r.try_get("contact")?,
    })
}

impl StoreImpl {
    pub(super) async fn notices_of(&self, case_id: CaseId) -> StoreResult<Vec<IssuedNotice>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            notice_cols!(),
            " FROM request_notices WHERE request_id = $1 ORDER BY id"
        ))
        .bind(case_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| notice_from_row(r).map_err(backend))
            .collect()
    }

    pub(super) async fn notice_of(
        &self,
        case_id: CaseId,
        id: NoticeId,
    ) -> StoreResult<Option<IssuedNotice>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            notice_cols!(),
            " FROM request_notices WHERE request_id = $1 AND id = $2"
        ))
        .bind(case_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|r| notice_from_row(&r).map_err(backend))
            .transpose()
    }

    pub(super) async fn settings_of(&self, org_id: OrgId) -> StoreResult<Option<NoticeSettings>> {
        let row = sqlx::query(
            "SELECT org_id, doc_prefix, review_organ, court, payee, account, bank, contact \
             FROM request_notice_settings WHERE org_id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|r| settings_from_row(&r).map_err(backend))
            .transpose()
    }

    pub(super) async fn save_settings(&self, actor: &Actor, s: &NoticeSettings) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO request_notice_settings (org_id, doc_prefix, review_organ, court, \
             payee, account, bank, contact, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (org_id) DO UPDATE SET doc_prefix = excluded.doc_prefix, \
             review_organ = excluded.review_organ, court = excluded.court, \
             payee = excluded.payee, account = excluded.account, bank = excluded.bank, \
             contact = excluded.contact, updated_at = excluded.updated_at",
        )
        .bind(s.org_id)
        .bind(&s.doc_prefix)
        .bind(&s.review_organ)
        .bind(&s.court)
        .bind(&s.payee)
        .bind(&s.account)
        .bind(&s.bank)
        .bind(&s.contact)
        .bind(ts(now()))
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err(e, "org_id"))?;
        // The settings are the agency's public particulars, not personal data.
        append(
            &mut tx,
            actor,
            &AuditEvent::note(
                Some(s.org_id),
                "request.notice_settings",
                "organisation",
                s.org_id,
                serde_json::json!({ "doc_prefix": s.doc_prefix }),
            ),
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }
}
