//! PostgreSQL backend: typed `PgPool`, embedded migrations.

mod audit;
mod docs;
mod orgs;
mod sessions;
mod users;

use crate::common::backend;
use async_trait::async_trait;
use gongkai_core::store::{Backend, Store, StoreError, StoreResult};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

mod rows {
    crate::common::row_mappers!(sqlx::postgres::PgRow);
}
use rows::*;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

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

    /// The underlying pool (tests use it to tamper with rows).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Write transactions are plain READ COMMITTED transactions; the audit
    /// append locks the head row (`FOR UPDATE`), which is what serialises
    /// concurrent writers of the hash chain.
    async fn write_tx(&self) -> StoreResult<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(backend)
    }
}

fn map_rows<T>(rows: Vec<PgRow>, f: fn(&PgRow) -> sqlx::Result<T>) -> StoreResult<Vec<T>> {
    rows.iter().map(|r| f(r).map_err(backend)).collect()
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
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
