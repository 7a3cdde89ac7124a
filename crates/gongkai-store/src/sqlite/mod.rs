//! SQLite backend: one database file, WAL mode, embedded migrations.

// Every query, written once in `src/shared/` and compiled into this module
// against the names defined below (see the crate docs).
#[path = "../shared/mod.rs"]
mod shared;

use crate::common::backend;
use chrono::{DateTime, Utc};
use gongkai_core::store::{Backend, StoreError, StoreResult};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

// ---- The names the shared files use ----

/// The sqlx driver (`QueryBuilder::<Db>`, `Query<'_, Db, _>`).
type Db = Sqlite;
/// A connection; `&mut *tx` of an open transaction derefs to it.
type Conn = sqlx::SqliteConnection;
/// A result row, as the row mappers take it.
type DbRow = sqlx::sqlite::SqliteRow;
/// The type the shared `impl …Store for StoreImpl` blocks implement.
type StoreImpl = SqliteStore;
const BACKEND: Backend = Backend::Sqlite;
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Timestamps are stored as RFC 3339 text with exactly six fractional digits
/// and a `Z`, so comparing the text compares the instants. Every timestamp
/// the shared code binds goes through this.
fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Reads the audit chain head for `audit::append`. No lock is needed here:
/// the caller's transaction was opened by `write_tx` with `BEGIN IMMEDIATE`,
/// so no other writer can read the same head until it ends.
async fn lock_audit_head(conn: &mut Conn) -> StoreResult<Option<(i64, String)>> {
    sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)
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
