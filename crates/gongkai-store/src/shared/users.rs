//! Staff accounts and role grants.

use super::audit::append;
use super::rows::{grant_from_row, map_rows, user_from_row};
use super::{Conn, Db, StoreImpl, ts};
use crate::common::{self, backend, db_err, now, user_cols};
use async_trait::async_trait;
use gongkai_core::audit::Actor;
use gongkai_core::store::{StoreError, StoreResult, UserStore};
use gongkai_core::user::{Grant, NewUser, User, UserCredentials, UserPatch};
use gongkai_core::{OrgId, UserId};
use sqlx::{QueryBuilder, Row};

async fn fetch(conn: &mut Conn, id: UserId) -> StoreResult<Option<User>> {
    sqlx::query(concat!(
        "SELECT ",
        user_cols!(),
        " FROM users WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?
    .map(|r| user_from_row(&r).map_err(backend))
    .transpose()
}

async fn fetch_grant(conn: &mut Conn, user_id: UserId, g: &Grant) -> StoreResult<Option<Grant>> {
    sqlx::query(
        "SELECT role, org_id, subtree FROM role_grants \
         WHERE user_id = $1 AND role = $2 AND org_id = $3",
    )
    .bind(user_id)
    .bind(g.role.as_str())
    .bind(g.org_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?
    .map(|r| grant_from_row(&r).map_err(backend))
    .transpose()
}

#[async_trait]
impl UserStore for StoreImpl {
    async fn create_user(&self, actor: &Actor, user: &NewUser) -> StoreResult<User> {
        let mut tx = self.write_tx().await?;
        let t = now();
        let row = sqlx::query(concat!(
            "INSERT INTO users (username, display_name, org_id, password_hash, active, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
            user_cols!()
        ))
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.org_id)
        .bind(&user.password_hash)
        .bind(true)
        .bind(ts(t))
        .bind(ts(t))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db_err(e, "username"))?;
        let created = user_from_row(&row).map_err(backend)?;
        // The event serialises `User`, which has no hash field.
        append(&mut tx, actor, &common::ev_user_create(&created)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(created)
    }

    async fn update_user(&self, actor: &Actor, id: UserId, patch: &UserPatch) -> StoreResult<User> {
        let mut tx = self.write_tx().await?;
        let before = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        let row = sqlx::query(concat!(
            "UPDATE users SET display_name = $1, org_id = $2, active = $3, updated_at = $4 \
             WHERE id = $5 RETURNING ",
            user_cols!()
        ))
        .bind(&patch.display_name)
        .bind(patch.org_id)
        .bind(patch.active)
        .bind(ts(now()))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db_err(e, "username"))?;
        let after = user_from_row(&row).map_err(backend)?;
        let ev = common::ev_user_update(&before, &after);
        append(&mut tx, actor, &ev).await?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn set_password_hash(&self, actor: &Actor, id: UserId, hash: &str) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let user = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(ts(now()))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        append(&mut tx, actor, &common::ev_password(&user)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }

    async fn get_user(&self, id: UserId) -> StoreResult<Option<User>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch(&mut conn, id).await
    }

    async fn get_credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            ", password_hash FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|r| {
            Ok(UserCredentials {
                user: user_from_row(&r)?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
        .map_err(backend)
    }

    async fn list_users(&self, org_ids: Option<&[OrgId]>) -> StoreResult<Vec<User>> {
        if org_ids.is_some_and(|ids| ids.is_empty()) {
            return Ok(Vec::new());
        }
        let mut b = QueryBuilder::<Db>::new(concat!("SELECT ", user_cols!(), " FROM users"));
        if let Some(ids) = org_ids {
            b.push(" WHERE org_id IN (");
            super::push_list(&mut b, ids, |id| *id);
            b.push(")");
        }
        b.push(" ORDER BY username");
        let rows = b.build().fetch_all(&self.pool).await.map_err(backend)?;
        map_rows(rows, user_from_row)
    }

    async fn list_grants(&self, user_id: UserId) -> StoreResult<Vec<Grant>> {
        let rows = sqlx::query(
            "SELECT role, org_id, subtree FROM role_grants WHERE user_id = $1 ORDER BY org_id, role",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        map_rows(rows, grant_from_row)
    }

    async fn grant(&self, actor: &Actor, user_id: UserId, grant: &Grant) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let user = fetch(&mut tx, user_id).await?.ok_or(StoreError::NotFound)?;
        let before = fetch_grant(&mut tx, user_id, grant).await?;
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, org_id, subtree) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, role, org_id) DO UPDATE SET subtree = excluded.subtree",
        )
        .bind(user_id)
        .bind(grant.role.as_str())
        .bind(grant.org_id)
        .bind(grant.subtree)
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err(e, "role"))?;
        let ev = common::ev_grant(&user, before.as_ref(), grant);
        append(&mut tx, actor, &ev).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }

    async fn revoke(&self, actor: &Actor, user_id: UserId, grant: &Grant) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let user = fetch(&mut tx, user_id).await?.ok_or(StoreError::NotFound)?;
        let before = fetch_grant(&mut tx, user_id, grant)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND org_id = $3")
            .bind(user_id)
            .bind(grant.role.as_str())
            .bind(grant.org_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        let ev = common::ev_revoke(&user, &before);
        append(&mut tx, actor, &ev).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }
}
