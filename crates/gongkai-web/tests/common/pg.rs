//! A throwaway PostgreSQL database per test, on the server named by
//! `GONGKAI_TEST_PG_URL` — the convention of the store crate's contract
//! tests (`crates/gongkai-store/tests/common/mod.rs`), which a test binary
//! of another crate cannot import.
//!
//! The database is dropped `WITH (FORCE)` when the guard is dropped, so a
//! failing test (its future dropped while unwinding) cleans up too, and the
//! pool the app still holds does not keep it alive.

use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};

pub const PG_ENV: &str = "GONGKAI_TEST_PG_URL";

/// Owns a database `gk_web_<pid>_<nanos>_<n>` and drops it on drop.
pub struct PgDb {
    admin_url: String,
    name: String,
}

impl PgDb {
    /// Creates a fresh database and returns its guard and URL, or `None`
    /// (after saying so on stderr) when `GONGKAI_TEST_PG_URL` is unset.
    pub async fn create(test: &str) -> Option<(PgDb, String)> {
        let Ok(admin_url) = std::env::var(PG_ENV) else {
            eprintln!("{test}: skipped, set {PG_ENV} to run it on PostgreSQL");
            return None;
        };
        let name = unique_name();
        let mut c = PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("{PG_ENV}={admin_url}: cannot connect: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
        let url = with_database(&admin_url, &name);
        Some((PgDb { admin_url, name }, url))
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        // Drop cannot await, and blocking on the test's own runtime from
        // inside it would deadlock: a short-lived runtime on its own thread
        // does the async work while this thread waits.
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for dropping the test database");
            rt.block_on(async {
                let mut c = PgConnection::connect(&admin_url).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut c)
                .await?;
                c.close().await
            })
        })
        .join();
        // Panicking while the test already unwinds would abort the process
        // and hide the test's own failure; a leftover database is only noise.
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop test database {}: {e}", self.name),
            Err(_) => eprintln!("could not drop test database {}", self.name),
        }
    }
}

fn unique_name() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "gk_web_{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Replaces the database name in a postgres URL, keeping its query string.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    format!("{host_part}/{name}{query}")
}
