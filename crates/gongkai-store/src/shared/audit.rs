//! The hash-chained audit log.

use super::rows::{audit_from_row, map_rows};
use super::{Conn, Db, StoreImpl, lock_audit_head, ts};
use crate::common::{audit_cols, backend};
use async_trait::async_trait;
use chrono::Utc;
use gongkai_core::audit::{Actor, AuditEvent, AuditRecord};
use gongkai_core::store::{AuditQuery, AuditStore, StoreResult};
use sqlx::QueryBuilder;

/// Appends one record inside the caller's transaction (opened with the
/// backend's `write_tx`). `lock_audit_head` is the backend-specific part: it
/// reads the head so that no other writer can read the same head before this
/// transaction ends, hence two records never seal on the same predecessor.
pub(super) async fn append(
    conn: &mut Conn,
    actor: &Actor,
    event: &AuditEvent,
) -> StoreResult<AuditRecord> {
    let head = lock_audit_head(conn).await?;
    let rec = AuditRecord::seal(
        head.as_ref().map(|(s, h)| (*s, h.as_str())),
        Utc::now(),
        actor,
        event,
    );
    sqlx::query(concat!(
        "INSERT INTO audit_log (",
        audit_cols!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(rec.seq)
    .bind(ts(rec.at))
    .bind(rec.actor_user_id)
    .bind(&rec.actor_name)
    .bind(&rec.via)
    .bind(rec.org_id)
    .bind(&rec.action)
    .bind(&rec.object_type)
    .bind(&rec.object_id)
    .bind(&rec.summary)
    .bind(&rec.prev_hash)
    .bind(&rec.hash)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    sqlx::query(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    )
    .bind(rec.seq)
    .bind(&rec.hash)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(rec)
}

#[async_trait]
impl AuditStore for StoreImpl {
    async fn append_audit(&self, actor: &Actor, event: &AuditEvent) -> StoreResult<AuditRecord> {
        let mut tx = self.write_tx().await?;
        let rec = append(&mut tx, actor, event).await?;
        tx.commit().await.map_err(backend)?;
        Ok(rec)
    }

    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditRecord>> {
        if q.org_ids.as_ref().is_some_and(|ids| ids.is_empty()) {
            return Ok(Vec::new());
        }
        let mut b = QueryBuilder::<Db>::new(concat!(
            "SELECT ",
            audit_cols!(),
            " FROM audit_log WHERE 1 = 1"
        ));
        if let Some(ids) = &q.org_ids {
            b.push(" AND org_id IN (");
            super::push_list(&mut b, ids, |id| *id);
            b.push(")");
        }
        if let Some(before) = q.before_seq {
            b.push(" AND seq < ").push_bind(before);
        }
        b.push(" ORDER BY seq DESC LIMIT ")
            .push_bind(q.limit.max(0));
        let rows = b.build().fetch_all(&self.pool).await.map_err(backend)?;
        map_rows(rows, audit_from_row)
    }

    async fn audit_after(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            audit_cols!(),
            " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(after_seq)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        map_rows(rows, audit_from_row)
    }

    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>> {
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }
}
