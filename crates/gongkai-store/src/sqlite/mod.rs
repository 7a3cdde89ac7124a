//! SQLite backend: one database file, WAL mode, embedded migrations.

mod audit;
mod docs;
mod orgs;
mod sessions;
mod users;

use crate::common::backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gongkai_core::store::{Backend, Store, StoreError, StoreResult};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

mod rows {
    crate::common::row_mappers!(sqlx::sqlite::SqliteRow);
}
use rows::*;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Timestamps are stored as RFC 3339 text with exactly six fractional digits
/// and a `Z`, so comparing the text compares the instants.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at a `sqlite:` URL.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(format!("SQLite 数据库地址无效：{e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .map_err(backend)?;
        Ok(Self { pool })
    }

    /// The underlying pool (tests use it to tamper with rows).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction with `BEGIN IMMEDIATE`.
    ///
    /// A plain `BEGIN` is deferred: it takes the write lock only at the first
    /// write. If two connections both read first (we always read the audit
    /// head first) and then try to write, the second upgrade fails with
    /// SQLITE_BUSY at once — busy_timeout does not help with a lock upgrade
    /// inside a transaction. `IMMEDIATE` takes the write lock up front, so
    /// writers queue on busy_timeout instead and the audit chain is appended
    /// strictly one writer at a time. Readers are not blocked (WAL).
    async fn write_tx(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(backend)
    }
}

fn map_rows<T>(rows: Vec<SqliteRow>, f: fn(&SqliteRow) -> sqlx::Result<T>) -> StoreResult<Vec<T>> {
    rows.iter().map(|r| f(r).map_err(backend)).collect()
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migration failed: {e}")))
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM users)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(n == 0)
    }
}
