//! Working-day calendar years imported by an administrator. `off` and
//! `work` are stored as JSON arrays of `YYYY-MM-DD` strings (see the
//! `0002_calendar.sql` migrations).

use super::{Conn, DbRow, StoreImpl, ts};
use crate::common::{self, backend, decode_err, now};
use async_trait::async_trait;
use gongkai_core::audit::Actor;
use gongkai_core::calendar::{WorkdayCalendar, YearNotice};
use gongkai_core::store::{CalendarStore, StoreError, StoreResult};
use sqlx::Row;
use std::collections::BTreeSet;

fn year_from_row(r: &DbRow) -> sqlx::Result<YearNotice> {
    let dates = |col: &str| -> sqlx::Result<BTreeSet<chrono::NaiveDate>> {
        let text: String = r.try_get(col)?;
        serde_json::from_str(&text).map_err(|_| decode_err(col, &text))
    };
    Ok(YearNotice {
        year: r.try_get("year")?,
        notice: r.try_get("notice")?,
        off: dates("off")?,
        work: dates("work")?,
    })
}

fn dates_json(dates: &BTreeSet<chrono::NaiveDate>) -> StoreResult<String> {
    serde_json::to_string(dates).map_err(|e| StoreError::Backend(e.to_string()))
}

async fn fetch(conn: &mut Conn, year: i32) -> StoreResult<Option<YearNotice>> {
    sqlx::query("SELECT year, notice, off, work FROM calendar_years WHERE year = $1")
        .bind(year)
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?
        .map(|r| year_from_row(&r).map_err(backend))
        .transpose()
}

/// Upserts one year and audits it, inside the caller's transaction.
async fn put(conn: &mut Conn, actor: &Actor, year: &YearNotice) -> StoreResult<()> {
    // The same rules as loading a TOML file, so that the database never
    // holds a year the effective calendar would refuse.
    WorkdayCalendar::default()
        .add_year(year.clone())
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let before = fetch(conn, year.year).await?;
    let t = now();
    // created_at survives a replacement; ON CONFLICT … excluded works on both backends.
    sqlx::query(
        "INSERT INTO calendar_years (year, notice, off, work, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, off = excluded.off, \
         work = excluded.work, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(year.year)
    .bind(&year.notice)
    .bind(dates_json(&year.off)?)
    .bind(dates_json(&year.work)?)
    .bind(ts(t))
    .bind(ts(t))
    .bind(&actor.name)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    super::audit::append(conn, actor, &common::ev_calendar_put(before.as_ref(), year)).await?;
    Ok(())
}

#[async_trait]
impl CalendarStore for StoreImpl {
    async fn list_calendar_years(&self) -> StoreResult<Vec<YearNotice>> {
        let rows = sqlx::query("SELECT year, notice, off, work FROM calendar_years ORDER BY year")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter()
            .map(|r| year_from_row(r).map_err(backend))
            .collect()
    }

    async fn put_calendar_year(&self, actor: &Actor, year: &YearNotice) -> StoreResult<()> {
        self.put_calendar_years(actor, std::slice::from_ref(year))
            .await
    }

    async fn put_calendar_years(&self, actor: &Actor, years: &[YearNotice]) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        for year in years {
            put(&mut tx, actor, year).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(())
    }
}
