//! 依申请公开 cases: `requests`, their `request_entries` and the per-agency,
//! per-year number counters (`0004_requests.sql`). Notices issued by an
//! entry are numbered and stored by `request_notices.rs` in the same
//! transaction.
//!
//! The checks on a new entry are the core's ([`RequestCase::apply`]); this
//! file only loads the case, lets the core decide, and writes the result
//! with its audit records in the same transaction.

use super::audit::append;
use super::outbox::enqueue;
use super::request_notices;
use super::{Conn, Db, DbRow, StoreImpl, ts};
use crate::common::{backend, db_err, decode_err, now};
use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, AuditEvent};
use gongkai_core::request::case::{
    CaseAction, CaseEntry, CaseId, CaseStatus, Intake, NewCaseEntry, QueryCode, RequestCase,
    application_number, channel_key, form_token_hash, parse_channel,
};
use gongkai_core::request::case_clock::{Channel, ReceiptDates};
use gongkai_core::request::issued::{IssuedNotice, NoticeId, NoticeSettings, submitted_mail};
use gongkai_core::request::outcome::Outcome;
use gongkai_core::store::{
    CaseCount, CasePage, CaseQuery, HandlerFilter, RequestStore, StoreError, StoreResult,
    SubmitMail,
};
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;

macro_rules! request_cols {
    () => {
        "id, org_id, number, query_code_hash, channel, status, application, arrived_on, \
         submitted_on, signed_for_on, confirmed_on, handler_id, outcome, closed_on, \
         created_at, updated_at"
    };
}
macro_rules! entry_cols {
    () => {
        "request_id, seq, kind, data, comment, at, actor_user_id, actor_name"
    };
}

fn case_from_row(r: &DbRow) -> sqlx::Result<RequestCase> {
    let channel: String = r.try_get("channel")?;
    let status: String = r.try_get("status")?;
    let application: String = r.try_get("application")?;
    let outcome: Option<String> = r.try_get("outcome")?;
    Ok(RequestCase {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        number: r.try_get("number")?,
        query_code_hash: r.try_get("query_code_hash")?,
        channel: parse_channel(&channel).ok_or_else(|| decode_err("channel", &channel))?,
        // The JSON is not echoed into the error: it holds personal data.
        application: serde_json::from_str(&application)
            .map_err(|_| decode_err("application", "(withheld)"))?,
        status: CaseStatus::parse(&status).ok_or_else(|| decode_err("status", &status))?,
        arrived_on: r.try_get::<NaiveDate, _>("arrived_on")?,
        dates: ReceiptDates {
            submitted_on: r.try_get::<Option<NaiveDate>, _>("submitted_on")?,
            signed_for_on: r.try_get::<Option<NaiveDate>, _>("signed_for_on")?,
            confirmed_on: r.try_get::<Option<NaiveDate>, _>("confirmed_on")?,
        },
        handler_id: r.try_get("handler_id")?,
        outcome: outcome
            .map(|o| Outcome::parse(&o).ok_or_else(|| decode_err("outcome", &o)))
            .transpose()?,
        closed_on: r.try_get::<Option<NaiveDate>, _>("closed_on")?,
        entries: Vec::new(),
        created_at: r.try_get::<DateTime<Utc>, _>("created_at")?,
        updated_at: r.try_get::<DateTime<Utc>, _>("updated_at")?,
    })
}

fn entry_from_row(r: &DbRow) -> sqlx::Result<(CaseId, CaseEntry)> {
    let data: String = r.try_get("data")?;
    let action: CaseAction = serde_json::from_str(&data).map_err(|_| {
        let kind: String = r.try_get("kind").unwrap_or_default();
        decode_err("request entry", &kind)
    })?;
    Ok((
        r.try_get("request_id")?,
        CaseEntry {
            seq: r.try_get("seq")?,
            action,
            comment: r.try_get("comment")?,
            at: r.try_get::<DateTime<Utc>, _>("at")?,
            actor_user_id: r.try_get("actor_user_id")?,
            actor_name: r.try_get("actor_name")?,
        },
    ))
}

/// Loads the entries of `cases` into them (one query).
async fn attach_entries(conn: &mut Conn, cases: &mut [RequestCase]) -> StoreResult<()> {
    if cases.is_empty() {
        return Ok(());
    }
    let mut b = QueryBuilder::<Db>::new(concat!(
        "SELECT ",
        entry_cols!(),
        " FROM request_entries WHERE request_id IN ("
    ));
    super::push_list(&mut b, cases.iter(), |c| c.id);
    b.push(") ORDER BY request_id, seq");
    let rows = b.build().fetch_all(&mut *conn).await.map_err(backend)?;
    let mut by_case: HashMap<CaseId, Vec<CaseEntry>> = HashMap::new();
    for r in &rows {
        let (id, e) = entry_from_row(r).map_err(backend)?;
        by_case.entry(id).or_default().push(e);
    }
    for c in cases.iter_mut() {
        c.entries = by_case.remove(&c.id).unwrap_or_default();
    }
    Ok(())
}

async fn fetch(conn: &mut Conn, id: CaseId) -> StoreResult<Option<RequestCase>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        request_cols!(),
        " FROM requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    let Some(row) = row else { return Ok(None) };
    let mut cases = [case_from_row(&row).map_err(backend)?];
    attach_entries(conn, &mut cases).await?;
    let [case] = cases;
    Ok(Some(case))
}

async fn insert_entry(conn: &mut Conn, case_id: CaseId, entry: &CaseEntry) -> StoreResult<()> {
    let data =
        serde_json::to_string(&entry.action).map_err(|e| StoreError::Backend(e.to_string()))?;
    sqlx::query(concat!(
        "INSERT INTO request_entries (",
        entry_cols!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(case_id)
    .bind(entry.seq)
    .bind(entry.action.key())
    .bind(data)
    .bind(entry.comment.as_deref())
    .bind(ts(entry.at))
    .bind(entry.actor_user_id)
    .bind(&entry.actor_name)
    .execute(&mut *conn)
    .await
    .map_err(|e| db_err(e, "seq"))?;
    Ok(())
}

/// `request.submit` / `request.register`: the number and the channel, and
/// nothing about the applicant.
fn ev_create(case: &RequestCase) -> AuditEvent {
    let action = if case.channel == Channel::Online {
        "request.submit"
    } else {
        "request.register"
    };
    AuditEvent::note(
        Some(case.org_id),
        action,
        "request",
        case.id,
        serde_json::json!({ "number": case.number, "channel": channel_key(case.channel) }),
    )
}

fn ev_entry(case: &RequestCase, entry: &CaseEntry) -> AuditEvent {
    AuditEvent::note(
        Some(case.org_id),
        &format!("request.{}", entry.action.key()),
        "request",
        case.id,
        serde_json::json!({
            "number": case.number,
            "seq": entry.seq,
            "entry": entry.action.audit_summary(),
            "has_comment": entry.comment.is_some(),
        }),
    )
}

/// The first and the day after the last day of `year`.
fn year_range(year: i32) -> StoreResult<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let next = NaiveDate::from_ymd_opt(year + 1, 1, 1);
    first
        .zip(next)
        .ok_or_else(|| StoreError::Invalid(format!("年份 {year} 无效")))
}

/// Appends the WHERE clause of a case list (shared by the page and its count).
fn push_filters(b: &mut QueryBuilder<Db>, q: &CaseQuery) -> StoreResult<()> {
    b.push(" WHERE org_id IN (");
    super::push_list(b, &q.org_ids, |id| *id);
    b.push(")");
    if let Some(s) = q.status {
        b.push(" AND status = ").push_bind(s.as_str());
    }
    match q.handler {
        HandlerFilter::Any => {}
        HandlerFilter::Unassigned => {
            b.push(" AND handler_id IS NULL");
        }
        HandlerFilter::User(u) => {
            b.push(" AND handler_id = ").push_bind(u);
        }
    }
    if let Some(y) = q.year {
        let (from, to) = year_range(y)?;
        b.push(" AND COALESCE(received_on, arrived_on) >= ")
            .push_bind(from)
            .push(" AND COALESCE(received_on, arrived_on) < ")
            .push_bind(to);
    }
    Ok(())
}

#[async_trait]
impl RequestStore for StoreImpl {
    async fn create_request(
        &self,
        actor: &Actor,
        org_id: OrgId,
        intake: &Intake,
        code: &QueryCode,
        form_token: Option<&str>,
    ) -> StoreResult<RequestCase> {
        self.submit_request(actor, org_id, intake, code, form_token, None)
            .await
    }

    async fn submit_request(
        &self,
        actor: &Actor,
        org_id: OrgId,
        intake: &Intake,
        code: &QueryCode,
        form_token: Option<&str>,
        mail: Option<&SubmitMail>,
    ) -> StoreResult<RequestCase> {
        let application = serde_json::to_string(&intake.application)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut tx = self.write_tx().await?;
        let year = intake.arrived_on.year();
        // The upsert takes the counter row's lock (PostgreSQL) inside the
        // write transaction (SQLite), so two submissions never share a number.
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO request_counters (org_id, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (org_id, year) DO UPDATE SET last = request_counters.last + 1 \
             RETURNING last",
        )
        .bind(org_id)
        .bind(year)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db_err(e, "org_id"))?;
        let number = application_number(year, org_id, n);
        let dates = intake.dates();
        let received_on = intake.channel.receipt_date(&dates).ok();
        let t = now();
        let row = sqlx::query(concat!(
            "INSERT INTO requests (org_id, number, query_code_hash, form_token_hash, channel, \
             status, applicant_kind, application, arrived_on, submitted_on, signed_for_on, \
             confirmed_on, received_on, handler_id, outcome, closed_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, NULL, NULL, \
             $14, $15) RETURNING ",
            request_cols!()
        ))
        .bind(org_id)
        .bind(&number)
        .bind(code.hash_for(&number))
        .bind(form_token.map(form_token_hash))
        .bind(channel_key(intake.channel))
        .bind(intake.initial_status().as_str())
        .bind(intake.application.applicant.kind.column_key())
        .bind(application)
        .bind(intake.arrived_on)
        .bind(dates.submitted_on)
        .bind(dates.signed_for_on)
        .bind(dates.confirmed_on)
        .bind(received_on)
        .bind(ts(t))
        .bind(ts(t))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db_err(e, "form_token"))?;
        let mut case = case_from_row(&row).map_err(backend)?;
        let first = CaseEntry {
            seq: 1,
            action: CaseAction::Received {
                channel: intake.channel,
                on: intake.arrived_on,
            },
            comment: None,
            at: t,
            actor_user_id: actor.user_id,
            actor_name: actor.name.clone(),
        };
        insert_entry(&mut tx, case.id, &first).await?;
        case.entries.push(first);
        append(&mut tx, actor, &ev_create(&case)).await?;
        if let Some(m) = mail
            && let Some(out) = submitted_mail(&case, code, &m.agency, &m.context)
        {
            enqueue(&mut tx, &out).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(case)
    }

    async fn list_request_notices(&self, case_id: CaseId) -> StoreResult<Vec<IssuedNotice>> {
        self.notices_of(case_id).await
    }

    async fn get_request_notice(
        &self,
        case_id: CaseId,
        id: NoticeId,
    ) -> StoreResult<Option<IssuedNotice>> {
        self.notice_of(case_id, id).await
    }

    async fn get_notice_settings(&self, org_id: OrgId) -> StoreResult<Option<NoticeSettings>> {
        self.settings_of(org_id).await
    }

    async fn put_notice_settings(&self, actor: &Actor, s: &NoticeSettings) -> StoreResult<()> {
        self.save_settings(actor, s).await
    }

    async fn get_request(&self, id: CaseId) -> StoreResult<Option<RequestCase>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch(&mut conn, id).await
    }

    async fn find_request_by_code(
        &self,
        number: &str,
        code: &str,
    ) -> StoreResult<Option<RequestCase>> {
        let number = number.trim();
        let Some(code) = QueryCode::parse(code) else {
            return Ok(None);
        };
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let id: Option<(CaseId, String)> =
            sqlx::query_as("SELECT id, query_code_hash FROM requests WHERE number = $1")
                .bind(number)
                .fetch_optional(&mut *conn)
                .await
                .map_err(backend)?;
        // An unknown number costs the same hash and comparison as a known one.
        let (id, stored) = id.unwrap_or((0, String::new()));
        if !code.matches(number, &stored) || id == 0 {
            return Ok(None);
        }
        fetch(&mut conn, id).await
    }

    async fn list_requests(&self, q: &CaseQuery) -> StoreResult<CasePage> {
        if q.org_ids.is_empty() {
            return Ok(CasePage {
                cases: Vec::new(),
                total: 0,
            });
        }
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM requests");
        push_filters(&mut count, q)?;
        let total: i64 = count
            .build_query_scalar()
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
        let mut b = QueryBuilder::<Db>::new(concat!("SELECT ", request_cols!(), " FROM requests"));
        push_filters(&mut b, q)?;
        b.push(" ORDER BY id DESC LIMIT ")
            .push_bind(q.limit.max(0))
            .push(" OFFSET ")
            .push_bind(q.offset.max(0));
        let rows = b.build().fetch_all(&mut *conn).await.map_err(backend)?;
        let mut cases = rows
            .iter()
            .map(|r| case_from_row(r).map_err(backend))
            .collect::<StoreResult<Vec<_>>>()?;
        attach_entries(&mut conn, &mut cases).await?;
        Ok(CasePage { cases, total })
    }

    async fn count_requests(
        &self,
        org_ids: &[OrgId],
        year: Option<i32>,
    ) -> StoreResult<Vec<CaseCount>> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let q = CaseQuery {
            org_ids: org_ids.to_vec(),
            status: None,
            handler: HandlerFilter::Any,
            year,
            offset: 0,
            limit: 0,
        };
        let mut b = QueryBuilder::<Db>::new("SELECT org_id, status, COUNT(*) AS n FROM requests");
        push_filters(&mut b, &q)?;
        b.push(" GROUP BY org_id, status ORDER BY org_id, status");
        let rows = b.build().fetch_all(&self.pool).await.map_err(backend)?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status").map_err(backend)?;
                Ok(CaseCount {
                    org_id: r.try_get("org_id").map_err(backend)?,
                    status: CaseStatus::parse(&status)
                        .ok_or_else(|| backend(decode_err("status", &status)))?,
                    count: r.try_get("n").map_err(backend)?,
                })
            })
            .collect()
    }

    async fn append_request_entries(
        &self,
        actor: &Actor,
        id: CaseId,
        entries: &[NewCaseEntry],
        today: NaiveDate,
    ) -> StoreResult<RequestCase> {
        let mut tx = self.write_tx().await?;
        let t = now();
        // Touching the row first takes its lock on PostgreSQL, so that a
        // concurrent append waits here and then reads the state this one
        // leaves (READ COMMITTED reads afresh per statement). On SQLite the
        // write transaction already excludes other writers.
        let touched = sqlx::query("UPDATE requests SET updated_at = $1 WHERE id = $2")
            .bind(ts(t))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?
            .rows_affected();
        if touched == 0 {
            return Err(StoreError::NotFound);
        }
        let mut case = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        for new in entries {
            case.apply(new, today)
                .map_err(|e| StoreError::Invalid(e.0))?;
            let entry = CaseEntry {
                seq: case.entries.last().map_or(1, |e| e.seq + 1),
                action: new.action.clone(),
                comment: new
                    .comment
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
                at: t,
                actor_user_id: actor.user_id,
                actor_name: actor.name.clone(),
            };
            insert_entry(&mut tx, id, &entry).await?;
            append(&mut tx, actor, &ev_entry(&case, &entry)).await?;
            if let Some(n) = &new.notice {
                request_notices::issue(&mut tx, actor, &case, entry.seq, n).await?;
            }
            case.entries.push(entry);
        }
        case.updated_at = t;
        sqlx::query(
            "UPDATE requests SET status = $1, submitted_on = $2, signed_for_on = $3, \
             confirmed_on = $4, received_on = $5, handler_id = $6, outcome = $7, \
             closed_on = $8 WHERE id = $9",
        )
        .bind(case.status.as_str())
        .bind(case.dates.submitted_on)
        .bind(case.dates.signed_for_on)
        .bind(case.dates.confirmed_on)
        .bind(case.receipt_date())
        .bind(case.handler_id)
        .bind(case.outcome.map(Outcome::key))
        .bind(case.closed_on)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err(e, "handler_id"))?;
        tx.commit().await.map_err(backend)?;
        Ok(case)
    }
}
