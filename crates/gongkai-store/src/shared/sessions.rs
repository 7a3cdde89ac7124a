//! Sign-in sessions and the login throttle. Not audited: sign-in and
//! sign-out events are appended by the web layer via `append_audit`.

use super::rows::{session_from_row, throttle_from_row};
use super::{StoreImpl, ts};
use crate::common::{backend, session_cols};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gongkai_core::UserId;
use gongkai_core::session::{LoginThrottle, SessionRecord};
use gongkai_core::store::{SessionStore, StoreResult};

#[async_trait]
impl SessionStore for StoreImpl {
    async fn create_session(&self, s: &SessionRecord) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO sessions (",
            session_cols!(),
            ") VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(&s.id_hash)
        .bind(s.user_id)
        .bind(&s.csrf_token)
        .bind(ts(s.created_at))
        .bind(ts(s.last_seen_at))
        .bind(ts(s.expires_at))
        .execute(&self.pool)
        .await
        .map_err(|e| crate::common::db_err(e, "id_hash"))?;
        Ok(())
    }

    async fn get_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SessionRecord>> {
        sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            " FROM sessions WHERE id_hash = $1 AND expires_at > $2"
        ))
        .bind(id_hash)
        .bind(ts(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?
        .map(|r| session_from_row(&r).map_err(backend))
        .transpose()
    }

    async fn touch_session(
        &self,
        id_hash: &str,
        last_seen_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
            .bind(ts(last_seen_at))
            .bind(ts(expires_at))
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_user_sessions(&self, user_id: UserId, keep: Option<&str>) -> StoreResult<u64> {
        // `id_hash <> NULL` is never true, hence the explicit IS NULL arm.
        let r = sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)",
        )
        .bind(user_id)
        .bind(keep)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(r.rows_affected())
    }

    async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(ts(now))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(r.rows_affected())
    }

    async fn get_login_throttle(&self, key: &str) -> StoreResult<Option<LoginThrottle>> {
        sqlx::query(
            "SELECT key, failures, window_start, locked_until FROM login_throttle WHERE key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?
        .map(|r| throttle_from_row(&r).map_err(backend))
        .transpose()
    }

    async fn put_login_throttle(&self, t: &LoginThrottle) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, window_start, locked_until) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET \
             failures = excluded.failures, window_start = excluded.window_start, \
             locked_until = excluded.locked_until",
        )
        .bind(&t.key)
        .bind(t.failures)
        .bind(ts(t.window_start))
        .bind(t.locked_until.map(ts))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn clear_login_throttle(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
