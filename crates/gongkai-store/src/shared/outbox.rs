//! The e-mail outbox. Other shared modules call [`enqueue`] inside their
//! own transaction, so that a notification exists exactly when the change
//! it reports was committed.

use super::{Conn, Db, DbRow, StoreImpl, ts};
use crate::common::{backend, decode_err, now};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, AuditEvent};
use gongkai_core::notify::{MailKind, MailStatus, OutboundMail, QueuedMail, clean_error};
use gongkai_core::store::{OutboxStore, StoreError, StoreResult};
use sqlx::{QueryBuilder, Row};

macro_rules! mail_cols {
    () => {
        "id, kind, org_id, case_id, recipient, subject, body, status, attempts, \
         created_at, next_attempt_at, sent_at, last_error"
    };
}

fn mail_from_row(r: &DbRow) -> sqlx::Result<QueuedMail> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let attempts: i32 = r.try_get("attempts")?;
    Ok(QueuedMail {
        id: r.try_get("id")?,
        mail: OutboundMail {
            kind: MailKind::parse(&kind).ok_or_else(|| decode_err("mail kind", &kind))?,
            org_id: r.try_get("org_id")?,
            case_id: r.try_get("case_id")?,
            to: r.try_get("recipient")?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
        },
        status: MailStatus::parse(&status).ok_or_else(|| decode_err("mail status", &status))?,
        attempts: u32::try_from(attempts).unwrap_or(0),
        created_at: r.try_get("created_at")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        sent_at: r.try_get("sent_at")?,
        last_error: r.try_get("last_error")?,
    })
}

/// Queues a message inside the caller's transaction, due at once.
pub(super) async fn enqueue(conn: &mut Conn, mail: &OutboundMail) -> StoreResult<i64> {
    mail.validate()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let t = now();
    let row = sqlx::query(
        "INSERT INTO mail_outbox (kind, org_id, case_id, recipient, subject, body, status, \
         attempts, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8) RETURNING id",
    )
    .bind(mail.kind.as_str())
    .bind(mail.org_id)
    .bind(mail.case_id)
    .bind(mail.to.trim())
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(ts(t))
    .bind(ts(t))
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| crate::common::db_err(e, "org_id"))?;
    row.try_get("id").map_err(backend)
}

async fn get(conn: &mut Conn, id: i64) -> StoreResult<QueuedMail> {
    let row = sqlx::query(concat!(
        "SELECT ",
        mail_cols!(),
        " FROM mail_outbox WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?
    .ok_or(StoreError::NotFound)?;
    mail_from_row(&row).map_err(backend)
}

#[async_trait]
impl OutboxStore for StoreImpl {
    async fn enqueue_mail(&self, mail: &OutboundMail) -> StoreResult<i64> {
        let mut tx = self.write_tx().await?;
        let id = enqueue(&mut tx, mail).await?;
        tx.commit().await.map_err(backend)?;
        Ok(id)
    }

    async fn claim_due_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<QueuedMail>> {
        let mut tx = self.write_tx().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
             AND (lease_until IS NULL OR lease_until <= $1) ORDER BY id LIMIT $2",
        )
        .bind(ts(now))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            // The condition is checked again by the UPDATE: on PostgreSQL a
            // second dispatcher may have selected the same row; whichever
            // updates second sees the lease and skips it.
            let claimed = sqlx::query(
                "UPDATE mail_outbox SET lease_until = $1 WHERE id = $2 AND status = 'pending' \
                 AND (lease_until IS NULL OR lease_until <= $3)",
            )
            .bind(ts(lease_until))
            .bind(id)
            .bind(ts(now))
            .execute(&mut *tx)
            .await
            .map_err(backend)?
            .rows_affected();
            if claimed == 1 {
                out.push(get(&mut tx, id).await?);
            }
        }
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn mark_mail_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE mail_outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
             next_attempt_at = NULL, lease_until = NULL, last_error = NULL WHERE id = $2",
        )
        .bind(ts(at))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn mark_mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let status = if retry_at.is_some() {
            MailStatus::Pending
        } else {
            MailStatus::Failed
        };
        let done = sqlx::query(
            "UPDATE mail_outbox SET status = $1, attempts = attempts + 1, next_attempt_at = $2, \
             lease_until = NULL, last_error = $3 WHERE id = $4",
        )
        .bind(status.as_str())
        .bind(retry_at.map(ts))
        .bind(clean_error(error))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn get_mail(&self, id: i64) -> StoreResult<Option<QueuedMail>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        match get(&mut conn, id).await {
            Ok(m) => Ok(Some(m)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn list_mail(
        &self,
        org_ids: Option<&[OrgId]>,
        status: Option<MailStatus>,
        limit: i64,
    ) -> StoreResult<Vec<QueuedMail>> {
        if org_ids.is_some_and(|ids| ids.is_empty()) {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Db>::new(concat!(
            "SELECT ",
            mail_cols!(),
            " FROM mail_outbox WHERE 1 = 1"
        ));
        if let Some(ids) = org_ids {
            q.push(" AND org_id IN (");
            super::push_list(&mut q, ids, |id| *id);
            q.push(")");
        }
        if let Some(s) = status {
            q.push(" AND status = ").push_bind(s.as_str());
        }
        q.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
        let rows = q.build().fetch_all(&self.pool).await.map_err(backend)?;
        rows.iter()
            .map(|r| mail_from_row(r).map_err(backend))
            .collect()
    }

    async fn retry_mail(&self, actor: &Actor, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let before = get(&mut tx, id).await?;
        if before.status != MailStatus::Failed {
            return Err(StoreError::Invalid("只有发送失败的邮件可以重新发送".into()));
        }
        sqlx::query(
            "UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, \
             lease_until = NULL WHERE id = $2",
        )
        .bind(ts(now))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        // The summary names the message, never its recipient.
        let ev = AuditEvent::note(
            before.mail.org_id,
            "mail.retry",
            "mail",
            id,
            serde_json::json!({ "kind": before.mail.kind.as_str(), "case_id": before.mail.case_id }),
        );
        super::audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }
}
