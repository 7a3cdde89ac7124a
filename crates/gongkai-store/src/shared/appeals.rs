//! The 行政复议/行政诉讼 register: `appeals` (`0008_appeals.sql`).
//!
//! The rules on a record are the core's ([`AppealDraft::check`]); this file
//! adds the one rule that needs the database (a linked case must belong to
//! the same agency) and writes the record with its audit record in one
//! transaction.

use super::audit::append;
use super::{Conn, Db, DbRow, StoreImpl, ts};
use crate::common::{backend, decode_err, now};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, AuditEvent};
use gongkai_core::request::appeal::{Appeal, AppealDraft, AppealKind, AppealResult, AppealTally};
use gongkai_core::store::{AppealPage, AppealQuery, AppealStore, StoreError, StoreResult};
use sqlx::{QueryBuilder, Row};

macro_rules! appeal_cols {
    () => {
        "id, org_id, case_id, kind, filed_on, organ, reference, decided_on, result, note, \
         created_at, updated_at"
    };
}

fn appeal_from_row(r: &DbRow) -> sqlx::Result<Appeal> {
    let kind: String = r.try_get("kind")?;
    let result: String = r.try_get("result")?;
    Ok(Appeal {
        id: r.try_get("id")?,
        draft: AppealDraft {
            org_id: r.try_get("org_id")?,
            case_id: r.try_get("case_id")?,
            kind: AppealKind::parse(&kind).ok_or_else(|| decode_err("appeal kind", &kind))?,
            filed_on: r.try_get::<NaiveDate, _>("filed_on")?,
            organ: r.try_get("organ")?,
            reference: r.try_get("reference")?,
            decided_on: r.try_get::<Option<NaiveDate>, _>("decided_on")?,
            result: AppealResult::parse(&result)
                .ok_or_else(|| decode_err("appeal result", &result))?,
            note: r.try_get("note")?,
        },
        created_at: r.try_get::<DateTime<Utc>, _>("created_at")?,
        updated_at: r.try_get::<DateTime<Utc>, _>("updated_at")?,
    })
}

/// What the audit log keeps of a record: everything but the note, which is
/// free staff text and may name the applicant.
fn audit_view(a: &Appeal) -> serde_json::Value {
    serde_json::json!({
        "org_id": a.draft.org_id,
        "case_id": a.draft.case_id,
        "kind": a.draft.kind.as_str(),
        "filed_on": a.draft.filed_on,
        "organ": a.draft.organ,
        "reference": a.draft.reference,
        "decided_on": a.draft.decided_on,
        "result": a.draft.result.as_str(),
        "has_note": a.draft.note.is_some(),
    })
}

fn ev(action: &str, before: Option<&Appeal>, after: &Appeal) -> AuditEvent {
    AuditEvent::note(
        Some(after.draft.org_id),
        action,
        "appeal",
        after.id,
        serde_json::json!({ "before": before.map(audit_view), "after": audit_view(after) }),
    )
}

/// The core's checks plus the case link (same agency), inside the write
/// transaction so that the case cannot move in between.
async fn check(conn: &mut Conn, draft: &AppealDraft, today: NaiveDate) -> StoreResult<()> {
    draft.check(today).map_err(StoreError::Invalid)?;
    if let Some(case_id) = draft.case_id {
        let org: Option<OrgId> = sqlx::query_scalar("SELECT org_id FROM requests WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
        if org != Some(draft.org_id) {
            return Err(StoreError::Invalid(format!(
                "关联的申请（编号 {case_id}）不存在或不属于该机关"
            )));
        }
    }
    Ok(())
}

async fn fetch(conn: &mut Conn, id: i64) -> StoreResult<Option<Appeal>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        appeal_cols!(),
        " FROM appeals WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    row.map(|r| appeal_from_row(&r).map_err(backend))
        .transpose()
}

/// The first day of `year` and of the year after.
fn year_range(year: i32) -> StoreResult<(NaiveDate, NaiveDate)> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .zip(NaiveDate::from_ymd_opt(year + 1, 1, 1))
        .ok_or_else(|| StoreError::Invalid(format!("年份 {year} 无效")))
}

fn push_filters(b: &mut QueryBuilder<Db>, q: &AppealQuery) -> StoreResult<()> {
    b.push(" WHERE org_id IN (");
    super::push_list(b, &q.org_ids, |id| *id);
    b.push(")");
    if let Some(c) = q.case_id {
        b.push(" AND case_id = ").push_bind(c);
    }
    if let Some(y) = q.year {
        let (from, to) = year_range(y)?;
        b.push(" AND filed_on >= ")
            .push_bind(from)
            .push(" AND filed_on < ")
            .push_bind(to);
    }
    if let Some(k) = q.kind {
        b.push(" AND kind = ").push_bind(k.as_str());
    }
    if let Some(r) = q.result {
        b.push(" AND result = ").push_bind(r.as_str());
    }
    Ok(())
}

#[async_trait]
impl AppealStore for StoreImpl {
    async fn create_appeal(
        &self,
        actor: &Actor,
        draft: &AppealDraft,
        today: NaiveDate,
    ) -> StoreResult<Appeal> {
        let mut tx = self.write_tx().await?;
        check(&mut tx, draft, today).await?;
        let t = now();
        let row = sqlx::query(concat!(
            "INSERT INTO appeals (org_id, case_id, kind, filed_on, organ, reference, \
             decided_on, result, note, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ",
            appeal_cols!()
        ))
        .bind(draft.org_id)
        .bind(draft.case_id)
        .bind(draft.kind.as_str())
        .bind(draft.filed_on)
        .bind(&draft.organ)
        .bind(draft.reference.as_deref())
        .bind(draft.decided_on)
        .bind(draft.result.as_str())
        .bind(draft.note.as_deref())
        .bind(ts(t))
        .bind(ts(t))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| crate::common::db_err(e, "id"))?;
        let appeal = appeal_from_row(&row).map_err(backend)?;
        append(&mut tx, actor, &ev("appeal.create", None, &appeal)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(appeal)
    }

    async fn update_appeal(
        &self,
        actor: &Actor,
        id: i64,
        draft: &AppealDraft,
        today: NaiveDate,
    ) -> StoreResult<Appeal> {
        let mut tx = self.write_tx().await?;
        let before = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        check(&mut tx, draft, today).await?;
        let t = now();
        let row = sqlx::query(concat!(
            "UPDATE appeals SET org_id = $1, case_id = $2, kind = $3, filed_on = $4, \
             organ = $5, reference = $6, decided_on = $7, result = $8, note = $9, \
             updated_at = $10 WHERE id = $11 RETURNING ",
            appeal_cols!()
        ))
        .bind(draft.org_id)
        .bind(draft.case_id)
        .bind(draft.kind.as_str())
        .bind(draft.filed_on)
        .bind(&draft.organ)
        .bind(draft.reference.as_deref())
        .bind(draft.decided_on)
        .bind(draft.result.as_str())
        .bind(draft.note.as_deref())
        .bind(ts(t))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| crate::common::db_err(e, "id"))?;
        let after = appeal_from_row(&row).map_err(backend)?;
        append(&mut tx, actor, &ev("appeal.update", Some(&before), &after)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn get_appeal(&self, id: i64) -> StoreResult<Option<Appeal>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch(&mut conn, id).await
    }

    async fn list_appeals(&self, q: &AppealQuery) -> StoreResult<AppealPage> {
        if q.org_ids.is_empty() {
            return Ok(AppealPage {
                appeals: Vec::new(),
                total: 0,
            });
        }
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM appeals");
        push_filters(&mut count, q)?;
        let total: i64 = count
            .build_query_scalar()
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
        let mut b = QueryBuilder::<Db>::new(concat!("SELECT ", appeal_cols!(), " FROM appeals"));
        push_filters(&mut b, q)?;
        b.push(" ORDER BY filed_on DESC, id DESC LIMIT ")
            .push_bind(q.limit.max(0))
            .push(" OFFSET ")
            .push_bind(q.offset.max(0));
        let rows = b.build().fetch_all(&mut *conn).await.map_err(backend)?;
        let appeals = rows
            .iter()
            .map(|r| appeal_from_row(r).map_err(backend))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(AppealPage { appeals, total })
    }

    async fn count_appeals(&self, org_ids: &[OrgId], year: i32) -> StoreResult<AppealTally> {
        let mut tally = AppealTally::default();
        if org_ids.is_empty() {
            return Ok(tally);
        }
        let (from, to) = year_range(year)?;
        // A record decided after the year's end was still 尚未审结 at the
        // end of the year: that is what the year's report counts.
        let mut b = QueryBuilder::<Db>::new(
            "SELECT kind, CASE WHEN decided_on IS NOT NULL AND decided_on < ",
        );
        b.push_bind(to)
            .push(" THEN result ELSE 'pending' END AS res, COUNT(*) AS n FROM appeals")
            .push(" WHERE org_id IN (");
        super::push_list(&mut b, org_ids, |id| *id);
        b.push(") AND filed_on >= ")
            .push_bind(from)
            .push(" AND filed_on < ")
            .push_bind(to)
            .push(" GROUP BY kind, res");
        let rows = b.build().fetch_all(&self.pool).await.map_err(backend)?;
        for r in &rows {
            let kind: String = r.try_get("kind").map_err(backend)?;
            let res: String = r.try_get("res").map_err(backend)?;
            let n: i64 = r.try_get("n").map_err(backend)?;
            let kind = AppealKind::parse(&kind)
                .ok_or_else(|| backend(decode_err("appeal kind", &kind)))?;
            let res = AppealResult::parse(&res)
                .ok_or_else(|| backend(decode_err("appeal result", &res)))?;
            tally.add(kind, res, n);
        }
        Ok(tally)
    }
}
