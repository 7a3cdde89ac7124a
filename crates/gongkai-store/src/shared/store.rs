//! The `Store` supertrait itself (identity, migrations, emptiness check) and
//! the pool accessor.

use super::{BACKEND, Db, MIGRATOR, StoreImpl};
use crate::common::backend;
use async_trait::async_trait;
use gongkai_core::store::{Backend, Store, StoreError, StoreResult};

impl StoreImpl {
    /// The underlying pool (tests use it to tamper with rows).
    pub fn pool(&self) -> &sqlx::Pool<Db> {
        &self.pool
    }
}

#[async_trait]
impl Store for StoreImpl {
    fn backend(&self) -> Backend {
        BACKEND
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
