//! PostgreSQL backend: typed `PgPool`, embedded migrations.

// Every query, written once in `src/shared/` and compiled into this module
// against the names defined below (see the crate docs).
#[path = "../shared/mod.rs"]
mod shared;

use crate::common::backend;
use chrono::{DateTime, Utc};
use gongkai_core::audit::GENESIS_HASH;
use gongkai_core::store::{Backend, StoreError, StoreResult};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

// ---- The names the shared files use ----

/// The sqlx driver (`QueryBuilder::<Db>`, `Query<'_, Db, _>`).
type Db = Postgres;
/// A connection; `&mut *tx` of an open transaction derefs to it.
type Conn = sqlx::PgConnection;
/// A result row, as the row mappers take it.
type DbRow = sqlx::postgres::PgRow;
/// The type the shared `impl …Store for StoreImpl` blocks implement.
type StoreImpl = PgStore;
const BACKEND: Backend = Backend::Postgres;
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Timestamps are bound as they are (`TIMESTAMPTZ`); the SQLite backend
/// turns them into text here instead.
fn ts(t: DateTime<Utc>) -> DateTime<Utc> {
    t
}

/// Reads and locks the audit chain head for `audit::append`.
///
/// `FOR UPDATE` on the head row makes a second writer wait until the first
/// commits, so two writers never seal on the same predecessor. Before the
/// very first record there is no row to lock, so a genesis row is inserted
/// first (`DO NOTHING` if it exists): a concurrent first writer then waits on
/// that uncommitted row instead of racing past. It never outlives the
/// transaction with seq 0, because the upsert in `append` replaces it.
/// (An earlier version took a table lock in that case; it deadlocked against
/// writers already holding the row lock.)
async fn lock_audit_head(conn: &mut Conn) -> StoreResult<Option<(i64, String)>> {
    sqlx::query(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(GENESIS_HASH)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
    Ok((head_seq > 0).then_some((head_seq, head_hash)))
}

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to a `postgres://` / `postgresql://` URL.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(format!("PostgreSQL 数据库地址无效：{e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .map_err(backend)?;
        Ok(Self { pool })
    }

    /// Write transactions are plain READ COMMITTED transactions; the audit
    /// append locks the head row (`FOR UPDATE`, see `lock_audit_head`), which
    /// is what serialises concurrent writers of the hash chain.
    async fn write_tx(&self) -> StoreResult<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(backend)
    }
}
