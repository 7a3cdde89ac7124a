//! Throwaway PostgreSQL databases for tests of any crate: one database per
//! test on the server named by `GONGKAI_TEST_PG_URL`, dropped
//! `WITH (FORCE)` when its guard is dropped — also while a failing test
//! unwinds, and although a pool may still hold connections to it.
//!
//! Only tests use this; it lives here because only this crate writes SQL.

use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the server (a URL of a user who may create databases).
pub const PG_ENV: &str = "GONGKAI_TEST_PG_URL";

/// Owns a database `<prefix>_<pid>_<nanos>_<n>` and drops it on drop.
pub struct TestPgDb {
    admin_url: String,
    name: String,
}

impl TestPgDb {
    /// Creates a fresh, empty database and returns its guard and URL, or
    /// `None` (after saying so on stderr) when `GONGKAI_TEST_PG_URL` is unset.
    pub async fn create(prefix: &str, test: &str) -> Option<(TestPgDb, String)> {
        let Ok(admin_url) = std::env::var(PG_ENV) else {
            eprintln!("{test}: skipped, set {PG_ENV} to run it on PostgreSQL");
            return None;
        };
        let name = unique_name(prefix);
        let mut c = PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("{PG_ENV}={admin_url}: cannot connect: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut c)
            .await
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        c.close().await.ok();
        let url = with_database(&admin_url, &name);
        Some((TestPgDb { admin_url, name }, url))
    }
}

impl Drop for TestPgDb {
    fn drop(&mut self) {
        // Drop cannot await, and blocking on the test's own runtime from
        // inside it would deadlock: a short-lived runtime on its own thread
        // does the async work while this thread waits.
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let mut c = PgConnection::connect(&admin_url).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut c)
                .await?;
                c.close().await
            })
            .map_err(std::io::Error::other)
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

fn unique_name(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}_{}_{}_{}",
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
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    format!("{host_part}/{name}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_is_replaced_and_the_query_kept() {
        assert_eq!(
            with_database("postgres://u@h:5432/test?sslmode=disable", "gk_x"),
            "postgres://u@h:5432/gk_x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h", "gk_x"),
            "postgres://u@h/gk_x"
        );
    }
}
