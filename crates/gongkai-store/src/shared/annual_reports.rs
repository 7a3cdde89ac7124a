//! Historic annual reports of organisations (`0003_annual_reports.sql`):
//! one row per (organisation, year) in `annual_reports`, its cells in
//! `annual_report_cells`. A replacement keeps the report's id and swaps
//! its cells, in one transaction with the audit record.

use super::audit::append;
use super::{Conn, Db, DbRow, StoreImpl, ts};
use crate::common::{backend, db_err, decode_err, now};
use async_trait::async_trait;
use gongkai_core::OrgId;
use gongkai_core::annual_report::{
    AnnualReport, AnnualReportDraft, AnnualReportInfo, ReportCell, ReportFormat,
};
use gongkai_core::audit::{Actor, AuditEvent};
use gongkai_core::store::{AnnualReportStore, StoreError, StoreResult};
use sqlx::{QueryBuilder, Row};
use std::collections::HashSet;

/// Cells per INSERT statement: 8 parameters each stays far below the
/// parameter limits of both backends (SQLite 32 766, PostgreSQL 65 535).
const CELLS_PER_INSERT: usize = 500;

// A macro so that it can be spliced into `concat!` and stay `&'static str`.
// `cell_count` is a correlated count so that lists need no cells.
macro_rules! info_select {
    () => {
        "SELECT r.id, r.org_id, r.year, r.format, r.source_name, r.source_sha256, \
         r.agency_name, r.evidence, r.findings, r.imported_at, r.imported_by, \
         (SELECT COUNT(*) FROM annual_report_cells c WHERE c.report_id = r.id) AS cell_count \
         FROM annual_reports r"
    };
}

fn info_from_row(r: &DbRow) -> sqlx::Result<AnnualReportInfo> {
    let format: String = r.try_get("format")?;
    let json = |col: &str| -> sqlx::Result<String> { r.try_get(col) };
    let evidence = json("evidence")?;
    let findings = json("findings")?;
    Ok(AnnualReportInfo {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        year: r.try_get("year")?,
        format: ReportFormat::parse(&format).ok_or_else(|| decode_err("format", &format))?,
        source_name: r.try_get("source_name")?,
        source_sha256: r.try_get("source_sha256")?,
        agency_name: r.try_get("agency_name")?,
        evidence: serde_json::from_str(&evidence).map_err(|_| decode_err("evidence", &evidence))?,
        findings: serde_json::from_str(&findings).map_err(|_| decode_err("findings", &findings))?,
        cell_count: r.try_get("cell_count")?,
        imported_at: r.try_get("imported_at")?,
        imported_by: r.try_get("imported_by")?,
    })
}

fn cell_from_row(r: &DbRow) -> sqlx::Result<ReportCell> {
    let value: Option<String> = r.try_get("value")?;
    Ok(ReportCell {
        table: r.try_get("tbl")?,
        row: r.try_get("row_key")?,
        col: r.try_get("col_key")?,
        value: value
            .map(|v| v.parse::<f64>().map_err(|_| decode_err("value", &v)))
            .transpose()?,
        raw: r.try_get("raw")?,
        label: r.try_get("label")?,
    })
}

async fn fetch_info(conn: &mut Conn, id: i64) -> StoreResult<Option<AnnualReportInfo>> {
    sqlx::query(concat!(info_select!(), " WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?
        .map(|r| info_from_row(&r).map_err(backend))
        .transpose()
}

async fn org_name(conn: &mut Conn, org_id: OrgId) -> StoreResult<String> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
    name.ok_or_else(|| StoreError::Invalid(format!("机构 {org_id} 不存在")))
}

fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

/// What an audit record says about a stored report.
fn summary(info: &AnnualReportInfo) -> serde_json::Value {
    serde_json::json!({
        "id": info.id,
        "year": info.year,
        "format": info.format.as_str(),
        "cells": info.cell_count,
        "source_name": info.source_name,
        "source_sha256": info.source_sha256,
        "agency_name": info.agency_name,
    })
}

fn ev_import(
    org_name: &str,
    before: Option<&AnnualReportInfo>,
    after: &AnnualReportInfo,
) -> AuditEvent {
    AuditEvent::note(
        Some(after.org_id),
        "annual_report.import",
        "annual_report",
        after.id,
        serde_json::json!({
            "org_id": after.org_id,
            "org_name": org_name,
            "year": after.year,
            "cells": after.cell_count,
            "before": before.map(summary),
            "after": summary(after),
        }),
    )
}

fn ev_delete(org_name: &str, before: &AnnualReportInfo) -> AuditEvent {
    AuditEvent::note(
        Some(before.org_id),
        "annual_report.delete",
        "annual_report",
        before.id,
        serde_json::json!({
            "org_id": before.org_id,
            "org_name": org_name,
            "year": before.year,
            "cells": before.cell_count,
            "before": summary(before),
            "after": null,
        }),
    )
}

/// Upserts one report with its cells and audits it, inside the caller's
/// transaction.
async fn put(
    conn: &mut Conn,
    actor: &Actor,
    draft: &AnnualReportDraft,
) -> StoreResult<AnnualReportInfo> {
    draft.check().map_err(StoreError::Invalid)?;
    let name = org_name(conn, draft.org_id).await?;
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM annual_reports WHERE org_id = $1 AND year = $2")
            .bind(draft.org_id)
            .bind(draft.year)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
    let before = match existing {
        Some(id) => fetch_info(conn, id).await?,
        None => None,
    };
    // The id of an earlier report for the same year survives, so links to
    // it stay valid; ON CONFLICT … excluded works on both backends.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO annual_reports (org_id, year, format, source_name, source_sha256, \
         agency_name, evidence, findings, imported_at, imported_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (org_id, year) DO UPDATE SET format = excluded.format, \
         source_name = excluded.source_name, source_sha256 = excluded.source_sha256, \
         agency_name = excluded.agency_name, evidence = excluded.evidence, \
         findings = excluded.findings, imported_at = excluded.imported_at, \
         imported_by = excluded.imported_by \
         RETURNING id",
    )
    .bind(draft.org_id)
    .bind(draft.year)
    .bind(draft.format.as_str())
    .bind(&draft.source_name)
    .bind(&draft.source_sha256)
    .bind(&draft.agency_name)
    .bind(to_json(&draft.evidence)?)
    .bind(to_json(&draft.findings)?)
    .bind(ts(now()))
    .bind(&actor.name)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| db_err(e, "year"))?;
    sqlx::query("DELETE FROM annual_report_cells WHERE report_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    for (chunk_no, chunk) in draft.cells.chunks(CELLS_PER_INSERT).enumerate() {
        let mut b = QueryBuilder::<Db>::new(
            "INSERT INTO annual_report_cells \
             (report_id, pos, tbl, row_key, col_key, value, raw, label) ",
        );
        b.push_values(chunk.iter().enumerate(), |mut row, (i, c)| {
            let pos = i32::try_from(chunk_no * CELLS_PER_INSERT + i).unwrap_or(i32::MAX);
            row.push_bind(id)
                .push_bind(pos)
                .push_bind(c.table.clone())
                .push_bind(c.row.clone())
                .push_bind(c.col.clone())
                // f64's Display is the shortest text that parses back to
                // the same number, never in exponent form.
                .push_bind(c.value.map(|v| v.to_string()))
                .push_bind(c.raw.clone())
                .push_bind(c.label.clone());
        });
        b.build()
            .execute(&mut *conn)
            .await
            .map_err(|e| db_err(e, "cells"))?;
    }
    let after = fetch_info(conn, id).await?.ok_or(StoreError::NotFound)?;
    append(conn, actor, &ev_import(&name, before.as_ref(), &after)).await?;
    Ok(after)
}

#[async_trait]
impl AnnualReportStore for StoreImpl {
    async fn put_annual_report(
        &self,
        actor: &Actor,
        draft: &AnnualReportDraft,
    ) -> StoreResult<AnnualReportInfo> {
        let mut stored = self
            .put_annual_reports(actor, std::slice::from_ref(draft))
            .await?;
        stored.pop().ok_or(StoreError::NotFound)
    }

    async fn put_annual_reports(
        &self,
        actor: &Actor,
        drafts: &[AnnualReportDraft],
    ) -> StoreResult<Vec<AnnualReportInfo>> {
        // Within one batch a second report for the same year would silently
        // replace the first; that is a mistake of the caller.
        let mut seen = HashSet::new();
        for d in drafts {
            if !seen.insert((d.org_id, d.year)) {
                return Err(StoreError::Invalid(format!(
                    "同一机构的 {} 年年报在这一批中出现了两次",
                    d.year
                )));
            }
        }
        let mut tx = self.write_tx().await?;
        let mut out = Vec::with_capacity(drafts.len());
        for d in drafts {
            out.push(put(&mut tx, actor, d).await?);
        }
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn list_annual_reports(&self, org_id: OrgId) -> StoreResult<Vec<AnnualReportInfo>> {
        let rows = sqlx::query(concat!(
            info_select!(),
            " WHERE r.org_id = $1 ORDER BY r.year DESC"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| info_from_row(r).map_err(backend))
            .collect()
    }

    async fn get_annual_report(&self, id: i64) -> StoreResult<Option<AnnualReport>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let Some(info) = fetch_info(&mut conn, id).await? else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT tbl, row_key, col_key, value, raw, label FROM annual_report_cells \
             WHERE report_id = $1 ORDER BY pos",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        let cells = rows
            .iter()
            .map(|r| cell_from_row(r).map_err(backend))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(AnnualReport { info, cells }))
    }

    async fn delete_annual_report(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let before = fetch_info(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        let name = org_name(&mut tx, before.org_id).await?;
        sqlx::query("DELETE FROM annual_report_cells WHERE report_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query("DELETE FROM annual_reports WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        append(&mut tx, actor, &ev_delete(&name, &before)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }
}
