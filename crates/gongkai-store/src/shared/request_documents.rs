//! Released documents of disclosure requests (`request_documents`,
//! `0009_request_documents.sql`): the files provided with the reply.
//!
//! Adding and removing touch the case row first, which takes its lock on
//! PostgreSQL (SQLite's `BEGIN IMMEDIATE` already serialises writers), so
//! a document cannot slip in while another handler closes the case: the
//! status is read after the lock. Audit summaries name the case number,
//! the document id, size and type, never the file name, which may carry
//! personal data; of the scan they name only its status.

use super::audit::append;
use super::{Conn, DbRow, StoreImpl, ts};
use crate::common::{backend, db_err, decode_err, now};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, AuditEvent};
use gongkai_core::item::NewAttachment;
use gongkai_core::request::case::{CaseId, CaseStatus};
use gongkai_core::request::documents::{
    CASE_DOCUMENTS_MAX, CaseDocument, CaseDocumentStore, DocumentScan, ScanStatus,
};
use gongkai_core::store::{StoreError, StoreResult};
use sqlx::Row;

macro_rules! doc_cols {
    () => {
        "id, request_id, name, media_type, size, sha256, storage_key, uploaded_by, \
         uploaded_by_name, uploaded_at, scan_status, scan_report"
    };
}

/// The stored scan: the report's JSON, checked against the status column
/// (kept apart so that a query can find unreadable files).
fn scan_from_row(r: &DbRow) -> sqlx::Result<DocumentScan> {
    let status: String = r.try_get("scan_status")?;
    let text: String = r.try_get("scan_report")?;
    let scan: DocumentScan =
        serde_json::from_str(&text).map_err(|_| decode_err("scan_report", &text))?;
    if ScanStatus::parse(&status) != Some(scan.status) {
        return Err(decode_err("scan_status", &status));
    }
    Ok(scan)
}

fn doc_from_row(r: &DbRow) -> sqlx::Result<CaseDocument> {
    Ok(CaseDocument {
        id: r.try_get("id")?,
        case_id: r.try_get("request_id")?,
        name: r.try_get("name")?,
        media_type: r.try_get("media_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        storage_key: r.try_get("storage_key")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_by_name: r.try_get("uploaded_by_name")?,
        uploaded_at: r.try_get::<DateTime<Utc>, _>("uploaded_at")?,
        scan: scan_from_row(r)?,
    })
}

/// The case a write is about, after taking its row lock.
struct LockedCase {
    org_id: OrgId,
    number: String,
}

/// Locks the case row and checks that documents may still change.
async fn lock_open_case(conn: &mut Conn, case_id: CaseId) -> StoreResult<LockedCase> {
    let touched = sqlx::query("UPDATE requests SET updated_at = updated_at WHERE id = $1")
        .bind(case_id)
        .execute(&mut *conn)
        .await
        .map_err(backend)?
        .rows_affected();
    if touched == 0 {
        return Err(StoreError::NotFound);
    }
    let row = sqlx::query("SELECT org_id, number, status FROM requests WHERE id = $1")
        .bind(case_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    let status: String = row.try_get("status").map_err(backend)?;
    let status =
        CaseStatus::parse(&status).ok_or_else(|| backend(decode_err("status", &status)))?;
    if status == CaseStatus::Closed {
        return Err(StoreError::Invalid(
            "申请已办结，提供的文件已随答复固定，不能再添加或删除".into(),
        ));
    }
    Ok(LockedCase {
        org_id: row.try_get("org_id").map_err(backend)?,
        number: row.try_get("number").map_err(backend)?,
    })
}

fn event(case: &LockedCase, action: &str, doc: &CaseDocument) -> AuditEvent {
    AuditEvent::note(
        Some(case.org_id),
        action,
        "request",
        doc.case_id,
        serde_json::json!({
            "number": case.number,
            "document": doc.id,
            "size": doc.size,
            "media_type": doc.media_type,
            "scan": doc.scan.status.as_str(),
        }),
    )
}

async fn fetch_doc(
    conn: &mut Conn,
    case_id: CaseId,
    doc_id: i64,
) -> StoreResult<Option<CaseDocument>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        doc_cols!(),
        " FROM request_documents WHERE id = $1 AND request_id = $2"
    ))
    .bind(doc_id)
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    row.map(|r| doc_from_row(&r).map_err(backend)).transpose()
}

#[async_trait]
impl CaseDocumentStore for StoreImpl {
    async fn add_case_document(
        &self,
        actor: &Actor,
        case_id: CaseId,
        doc: &NewAttachment,
        scan: &DocumentScan,
    ) -> StoreResult<CaseDocument> {
        let doc = doc.validate().map_err(StoreError::Invalid)?;
        let report = serde_json::to_string(scan).map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut tx = self.write_tx().await?;
        let case = lock_open_case(&mut tx, case_id).await?;
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM request_documents WHERE request_id = $1")
                .bind(case_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(backend)?;
        if count >= CASE_DOCUMENTS_MAX as i64 {
            return Err(StoreError::Invalid(format!(
                "每件申请最多提供{CASE_DOCUMENTS_MAX}个文件，请合并后再上传"
            )));
        }
        let t = now();
        let row = sqlx::query(concat!(
            "INSERT INTO request_documents (request_id, name, media_type, size, sha256, \
             storage_key, uploaded_by, uploaded_by_name, uploaded_at, scan_status, scan_report) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ",
            doc_cols!()
        ))
        .bind(case_id)
        .bind(&doc.name)
        .bind(&doc.media_type)
        .bind(doc.size)
        .bind(&doc.sha256)
        .bind(&doc.storage_key)
        .bind(actor.user_id)
        .bind(&actor.name)
        .bind(ts(t))
        .bind(scan.status.as_str())
        .bind(&report)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db_err(e, "file"))?;
        let stored = doc_from_row(&row).map_err(backend)?;
        append(
            &mut tx,
            actor,
            &event(&case, "request.document_add", &stored),
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(stored)
    }

    async fn list_case_documents(&self, case_id: CaseId) -> StoreResult<Vec<CaseDocument>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            doc_cols!(),
            " FROM request_documents WHERE request_id = $1 ORDER BY id"
        ))
        .bind(case_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| doc_from_row(r).map_err(backend))
            .collect()
    }

    async fn get_case_document(
        &self,
        case_id: CaseId,
        doc_id: i64,
    ) -> StoreResult<Option<CaseDocument>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch_doc(&mut conn, case_id, doc_id).await
    }

    async fn remove_case_document(
        &self,
        actor: &Actor,
        case_id: CaseId,
        doc_id: i64,
    ) -> StoreResult<CaseDocument> {
        let mut tx = self.write_tx().await?;
        let case = lock_open_case(&mut tx, case_id).await?;
        let doc = fetch_doc(&mut tx, case_id, doc_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM request_documents WHERE id = $1")
            .bind(doc.id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        append(
            &mut tx,
            actor,
            &event(&case, "request.document_remove", &doc),
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(doc)
    }
}
