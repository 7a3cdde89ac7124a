//! `connect` / `open` pick the backend from the URL and migrations are idempotent.

use crate::common;

use gongkai_core::store::Backend;
use gongkai_store::SqliteStore;

#[tokio::test]
async fn sqlite_urls_open_a_migrated_wal_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = gongkai_store::sqlite_url_for_data_dir(dir.path()).unwrap();
    let store = gongkai_store::open(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(store.is_empty().await.unwrap());
    // Opening again re-runs the (already applied) migrations harmlessly.
    let again = gongkai_store::open(&url).await.unwrap();
    assert!(again.is_empty().await.unwrap());

    let s = SqliteStore::connect(&url).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(busy, 5000);
}

#[tokio::test]
async fn connect_does_not_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let url = gongkai_store::sqlite_url_for_data_dir(dir.path()).unwrap();
    let store = gongkai_store::connect(&url).await.unwrap();
    // No tables yet: asking for data is a backend error, not an empty answer.
    assert!(store.is_empty().await.is_err());
    store.migrate().await.unwrap();
    assert!(store.is_empty().await.unwrap());
}

#[tokio::test]
async fn postgres_urls_open_a_migrated_database() {
    let Some((pg, url)) =
        common::TestPgDb::create("gk_test", "postgres_urls_open_a_migrated_database").await
    else {
        return;
    };
    let result = tokio::spawn(async move {
        let store = gongkai_store::open(&url).await.unwrap();
        assert_eq!(store.backend(), Backend::Postgres);
        assert!(store.is_empty().await.unwrap());
        let again = gongkai_store::open(&url.replace("postgres://", "postgresql://"))
            .await
            .unwrap();
        assert!(again.is_empty().await.unwrap());
    })
    .await;
    drop(pg);
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
