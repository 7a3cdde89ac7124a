//! 公开制度 documents.

use super::audit::append;
use super::rows::{doc_from_row, map_rows};
use super::{Conn, StoreImpl, ts};
use crate::common::{self, backend, db_err, doc_cols, now};
use async_trait::async_trait;
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::policy_doc::{PolicyDoc, PolicyDocDraft};
use gongkai_core::store::{PolicyDocStore, StoreError, StoreResult};

async fn fetch(conn: &mut Conn, id: i64) -> StoreResult<Option<PolicyDoc>> {
    sqlx::query(concat!(
        "SELECT ",
        doc_cols!(),
        " FROM policy_docs WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?
    .map(|r| doc_from_row(&r).map_err(backend))
    .transpose()
}

#[async_trait]
impl PolicyDocStore for StoreImpl {
    async fn list_policy_docs(&self, org_id: OrgId) -> StoreResult<Vec<PolicyDoc>> {
        // Undated documents sort after dated ones.
        let rows = sqlx::query(concat!(
            "SELECT ",
            doc_cols!(),
            " FROM policy_docs WHERE org_id = $1 \
             ORDER BY issued_on IS NULL, issued_on DESC, id"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        map_rows(rows, doc_from_row)
    }

    async fn get_policy_doc(&self, id: i64) -> StoreResult<Option<PolicyDoc>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch(&mut conn, id).await
    }

    async fn create_policy_doc(
        &self,
        actor: &Actor,
        org_id: OrgId,
        draft: &PolicyDocDraft,
    ) -> StoreResult<PolicyDoc> {
        let mut tx = self.write_tx().await?;
        let t = now();
        let row = sqlx::query(concat!(
            "INSERT INTO policy_docs (org_id, title, body, issued_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
            doc_cols!()
        ))
        .bind(org_id)
        .bind(&draft.title)
        .bind(draft.body.as_str())
        .bind(draft.issued_on)
        .bind(ts(t))
        .bind(ts(t))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db_err(e, "title"))?;
        let doc = doc_from_row(&row).map_err(backend)?;
        append(&mut tx, actor, &common::ev_doc_create(&doc)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(doc)
    }

    async fn update_policy_doc(
        &self,
        actor: &Actor,
        id: i64,
        draft: &PolicyDocDraft,
    ) -> StoreResult<PolicyDoc> {
        let mut tx = self.write_tx().await?;
        let before = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        let row = sqlx::query(concat!(
            "UPDATE policy_docs SET title = $1, body = $2, issued_on = $3, updated_at = $4 \
             WHERE id = $5 RETURNING ",
            doc_cols!()
        ))
        .bind(&draft.title)
        .bind(draft.body.as_str())
        .bind(draft.issued_on)
        .bind(ts(now()))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        let after = doc_from_row(&row).map_err(backend)?;
        let ev = common::ev_doc_update(&before, &after);
        append(&mut tx, actor, &ev).await?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn delete_policy_doc(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let before = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM policy_docs WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        append(&mut tx, actor, &common::ev_doc_delete(&before)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }
}
