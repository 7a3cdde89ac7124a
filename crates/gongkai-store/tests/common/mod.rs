//! Per-test database harness shared by the integration tests.
//!
//! Every test gets a fresh database: a new SQLite file in a temp dir, or a
//! new PostgreSQL database `gk_test_<random>` created on the server named by
//! `GONGKAI_TEST_PG_URL` and dropped (`WITH (FORCE)`) afterwards, even when
//! the test body panics.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub use gongkai_store::test_db::TestPgDb;
use gongkai_store::{PgStore, SqliteStore, Store};
use sqlx::{PgPool, SqlitePool};
use std::future::Future;
use std::sync::Arc;

/// A top-level organisation with just a name, for tests whose subject is
/// something the organisation owns (its kind and level do not matter).
pub async fn plain_org(db: &Db, name: &str) -> gongkai_core::OrgId {
    use gongkai_core::org::{OfficeContact, OrgDraft, OrgKind, OrgLevel};
    let draft = OrgDraft {
        name: name.into(),
        short_name: None,
        code: None,
        kind: OrgKind::Department,
        level: OrgLevel::City,
        sort_order: 0,
        active: true,
        successor_id: None,
        contact: OfficeContact::default(),
    };
    db.store
        .create_org(&gongkai_core::audit::Actor::cli(), None, &draft)
        .await
        .unwrap()
        .id
}

/// Raw access to the database behind a store, for tampering in tests.
#[derive(Clone)]
pub enum Raw {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// What a test body receives.
#[derive(Clone)]
pub struct Db {
    pub store: Arc<dyn Store>,
    pub raw: Raw,
}

impl Db {
    /// Counts rows with a `SELECT COUNT(*) ...` statement.
    pub async fn count(&self, sql: &'static str) -> i64 {
        match &self.raw {
            Raw::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            Raw::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        }
    }

    /// Runs one raw statement (a schema change, in the migration tests).
    pub async fn execute(&self, sql: &'static str) {
        match &self.raw {
            Raw::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
            Raw::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    // Tamper helpers for the audit tests.
    pub async fn alter_audit_summary(&self, seq: i64) {
        let n = match &self.raw {
            Raw::Sqlite(p) => {
                sqlx::query("UPDATE audit_log SET summary = '{\"forged\":true}' WHERE seq = $1")
                    .bind(seq)
                    .execute(p)
                    .await
                    .unwrap()
                    .rows_affected()
            }
            Raw::Postgres(p) => {
                sqlx::query("UPDATE audit_log SET summary = '{\"forged\":true}' WHERE seq = $1")
                    .bind(seq)
                    .execute(p)
                    .await
                    .unwrap()
                    .rows_affected()
            }
        };
        assert_eq!(n, 1, "no audit record {seq} to alter");
    }

    pub async fn delete_audit_row(&self, seq: i64) {
        let n = match &self.raw {
            Raw::Sqlite(p) => sqlx::query("DELETE FROM audit_log WHERE seq = $1")
                .bind(seq)
                .execute(p)
                .await
                .unwrap()
                .rows_affected(),
            Raw::Postgres(p) => sqlx::query("DELETE FROM audit_log WHERE seq = $1")
                .bind(seq)
                .execute(p)
                .await
                .unwrap()
                .rows_affected(),
        };
        assert_eq!(n, 1, "no audit record {seq} to delete");
    }

    /// Removes every record after `keep_last`, leaving the head row alone.
    pub async fn truncate_audit_after(&self, keep_last: i64) {
        let n = match &self.raw {
            Raw::Sqlite(p) => sqlx::query("DELETE FROM audit_log WHERE seq > $1")
                .bind(keep_last)
                .execute(p)
                .await
                .unwrap()
                .rows_affected(),
            Raw::Postgres(p) => sqlx::query("DELETE FROM audit_log WHERE seq > $1")
                .bind(keep_last)
                .execute(p)
                .await
                .unwrap()
                .rows_affected(),
        };
        assert!(n > 0, "nothing after {keep_last} to truncate");
    }
}

/// A fresh migrated SQLite database; keep the `TempDir` alive while testing.
pub async fn sqlite_db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = gongkai_store::sqlite_url_for_data_dir(dir.path()).unwrap();
    let store = SqliteStore::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let raw = Raw::Sqlite(store.pool().clone());
    (
        Db {
            store: Arc::new(store),
            raw,
        },
        dir,
    )
}

/// A fresh migrated PostgreSQL database (dropped with the guard), or
/// `None` when `GONGKAI_TEST_PG_URL` is unset.
pub async fn postgres_db(test: &str) -> Option<(Db, TestPgDb)> {
    let (pg, url) = TestPgDb::create("gk_test", test).await?;
    let store = PgStore::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let raw = Raw::Postgres(store.pool().clone());
    Some((
        Db {
            store: Arc::new(store),
            raw,
        },
        pg,
    ))
}

/// Runs a test body on SQLite.
pub async fn run_sqlite<F, Fut>(body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (db, _dir) = sqlite_db().await;
    body(db).await;
}

/// Runs a test body on a fresh PostgreSQL database, dropping it afterwards
/// whether the body passed or panicked.
pub async fn run_postgres<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some((db, pg)) = postgres_db(name).await else {
        return;
    };
    let result = tokio::spawn(body(db)).await;
    drop(pg);
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Generates `sqlite_<name>` and `postgres_<name>` tests from one
/// `async fn <name>(db: Db)`.
#[macro_export]
macro_rules! store_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    $crate::common::run_sqlite(super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    $crate::common::run_postgres(stringify!($name), super::$name).await;
                }
            )*
        }
    };
}
