//! gongkai-store: the [`Store`] of `gongkai-core`, on SQLite and PostgreSQL.
//!
//! # Backends
//! - [`SqliteStore`] (default; one file `gongkai.db` in the data directory):
//!   WAL, `foreign_keys=ON`, 5 s busy timeout, write transactions opened with
//!   `BEGIN IMMEDIATE` so writers queue instead of failing with SQLITE_BUSY.
//!   Timestamps are RFC 3339 UTC text with six fractional digits, dates
//!   `YYYY-MM-DD` text, booleans 0/1.
//! - [`PgStore`]: `TIMESTAMPTZ`, `DATE`, `BOOLEAN`, identity ids. The audit
//!   head row is locked with `SELECT … FOR UPDATE`, which serialises writers
//!   of the hash chain (a genesis head row is inserted first if missing, so
//!   the very first appends serialise too).
//!
//! Every audited write runs in one transaction with its audit record; the
//! record's `seq` is the head's seq + 1 and its hash covers the exact
//! `summary` text, which is why `summary` is TEXT on both backends.
//!
//! Both use typed sqlx pools and runtime-checked SQL (`$1` placeholders, no
//! compile-time macros).
//!
//! # One source, two backends
//! Every query is written once. `src/shared/` (`orgs`, `users`, `sessions`,
//! `docs`, `calendar`, `audit`, `rows`, `store`) is not a module of the crate
//! root; each backend module includes it with `#[path = "../shared/mod.rs"] mod shared;`,
//! so it is compiled twice, as `sqlite::shared` and `postgres::shared`.
//! `shared/mod.rs` imports the backend through a fixed set of names that
//! each backend module defines (plus the `write_tx` method), and the shared
//! files reach the backend only through those:
//!
//! | name | SQLite | PostgreSQL |
//! |---|---|---|
//! | `Db`, `Conn`, `DbRow` | `Sqlite`, `SqliteConnection`, `SqliteRow` | `Postgres`, `PgConnection`, `PgRow` |
//! | `StoreImpl` | `SqliteStore` | `PgStore` |
//! | `ts(t)` (bind a timestamp) | fixed-width RFC 3339 text | `t` itself |
//! | `write_tx()` | `BEGIN IMMEDIATE` | `BEGIN` |
//! | `lock_audit_head(conn)` | plain read (the write lock is held) | genesis row + `FOR UPDATE` |
//! | `BACKEND`, `MIGRATOR` | `migrations/sqlite` | `migrations/postgres` |
//!
//! So the generic-looking code is checked against each concrete driver (errors
//! name concrete types, IDE navigation works), and the backend-specific SQL
//! stays small, commented, in `sqlite/mod.rs` and `postgres/mod.rs`. A new
//! query goes into a shared file (a new file is declared once, in
//! `shared/mod.rs`); it must be valid SQL on both backends, which the
//! contract suite checks. Where the SQL has to differ, add a function with
//! the same name and signature to both backend modules and import it in
//! `shared/mod.rs`, as `lock_audit_head` is. Every timestamp is bound through
//! `ts(…)` — on SQLite, binding a `DateTime` directly would store a text
//! format that does not compare correctly. Backend-neutral code that needs no
//! driver type (error mapping, column lists, audit events) is in `common`.
//!
//! # Migrations
//! Each backend has its own directory, `migrations/sqlite` and
//! `migrations/postgres`, embedded into the binary. Never edit a migration
//! that has been released: add a new numbered file to **both** directories.
//! `tests/schema_drift.rs` applies both sets and fails when the tables,
//! columns (name, nullability, type class) or unique keys differ.
//!
//! # Tests
//! `cargo test -p gongkai-store` runs the contract suite (`tests/contract.rs`)
//! on SQLite. To run it on PostgreSQL as well, point it at a server where
//! the user may create databases; every test creates and drops its own:
//!
//! ```text
//! GONGKAI_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test cargo test -p gongkai-store
//! ```

mod common;
// Both backends include the same `src/shared/*.rs` files on purpose (see
// "One source, two backends" above); clippy flags that as a duplicate module.
#[allow(clippy::duplicate_mod)]
pub mod postgres;
#[allow(clippy::duplicate_mod)]
pub mod sqlite;
pub mod test_db;

pub use gongkai_core::store::{Store, StoreError};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use std::path::Path;
use std::sync::Arc;

const UNKNOWN_SCHEME: &str = "数据库地址必须以 sqlite: 或 postgres:// （postgresql://）开头 (database URL must start with sqlite: or postgres://)";

/// Connects by URL scheme: `sqlite:...` (file created if missing) or
/// `postgres://` / `postgresql://`. Does not migrate.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else {
        Err(StoreError::Invalid(UNKNOWN_SCHEME.into()))
    }
}

/// [`connect`] and apply pending migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    let store = connect(url).await?;
    store.migrate().await?;
    Ok(store)
}

/// The SQLite URL for a data directory: `sqlite://<dir>/gongkai.db`.
/// Creates the directory if needed.
pub fn sqlite_url_for_data_dir(dir: &Path) -> Result<String, StoreError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| StoreError::Invalid(format!("无法创建数据目录 {}：{e}", dir.display())))?;
    let file = dir.join("gongkai.db");
    let s = file.to_str().ok_or_else(|| {
        StoreError::Invalid(format!("数据目录路径不是有效的 UTF-8：{}", dir.display()))
    })?;
    // sqlx percent-decodes the path and cuts it at `?`; escape those.
    let escaped = s
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    Ok(format!("sqlite://{escaped}"))
}

/// Replaces the password in a database URL with `***`, for logs and
/// `check-config` output. URLs without a password are returned unchanged.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest_start = scheme_end + 3;
    let rest = &url[rest_start..];
    // The authority ends at the first '/', '?' or '#'; the userinfo at its last '@'.
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..auth_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.find(':') else {
        return url.to_string();
    };
    format!(
        "{}{}:***{}",
        &url[..rest_start],
        &userinfo[..colon],
        &url[rest_start + at..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://gk:s3cr@t@db.example:5432/gongkai?sslmode=require"),
            "postgres://gk:***@db.example:5432/gongkai?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite:///var/lib/gongkai/gongkai.db"),
            "sqlite:///var/lib/gongkai/gongkai.db"
        );
    }

    #[test]
    fn data_dir_url_points_at_gongkai_db() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("nested").join("data");
        let url = sqlite_url_for_data_dir(&sub).unwrap();
        assert!(sub.is_dir());
        assert_eq!(url, format!("sqlite://{}/gongkai.db", sub.display()));
    }

    #[tokio::test]
    async fn data_dirs_with_url_characters_open_the_right_file() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("数据 #1?x=100%");
        let url = sqlite_url_for_data_dir(&odd).unwrap();
        let store = open(&url).await.unwrap();
        assert!(store.is_empty().await.unwrap());
        assert!(odd.join("gongkai.db").is_file());
    }

    #[tokio::test]
    async fn unknown_schemes_are_refused() {
        let err = connect("mysql://localhost/db").await.err().unwrap();
        assert!(matches!(err, StoreError::Invalid(m) if m.contains("sqlite:")));
    }
}
