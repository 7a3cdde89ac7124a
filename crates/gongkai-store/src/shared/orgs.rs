//! Organisations and their 公开指南 texts.

use super::audit::append;
use super::rows::{guide_from_row, map_rows, org_from_row};
use super::{Conn, Db, StoreImpl, ts};
use crate::common::{self, backend, db_err, now, org_cols};
use async_trait::async_trait;
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::guide::GuideText;
use gongkai_core::org::{OrgDraft, Organisation};
use gongkai_core::org_tree::OrgTree;
use gongkai_core::store::{NewOrg, OrgStore, ParentRef, StoreError, StoreResult};
use sqlx::Database;
use sqlx::query::Query;

/// A query with this backend's argument buffer.
type DbQuery<'q> = Query<'q, Db, <Db as Database>::Arguments>;

const SELECT_ONE: &str = concat!("SELECT ", org_cols!(), " FROM organisations WHERE id = $1");

/// Binds the 16 editable columns in the order used by INSERT and UPDATE.
fn bind_draft<'q>(q: DbQuery<'q>, d: &OrgDraft) -> DbQuery<'q> {
    let c = &d.contact;
    q.bind(d.name.clone())
        .bind(d.short_name.clone())
        .bind(d.code.as_ref().map(|c| c.as_str().to_owned()))
        .bind(d.kind.as_str())
        .bind(d.level.as_str())
        .bind(d.sort_order)
        .bind(d.active)
        .bind(d.successor_id)
        .bind(c.office_name.clone())
        .bind(c.address.clone())
        .bind(c.office_hours.clone())
        .bind(c.phone.clone())
        .bind(c.fax.clone())
        .bind(c.email.clone())
        .bind(c.website.clone())
        .bind(c.postcode.clone())
}

async fn fetch(conn: &mut Conn, id: OrgId) -> StoreResult<Option<Organisation>> {
    let row = sqlx::query(SELECT_ONE)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
    row.map(|r| org_from_row(&r).map_err(backend)).transpose()
}

async fn insert(
    conn: &mut Conn,
    actor: &Actor,
    parent_id: Option<OrgId>,
    draft: &OrgDraft,
) -> StoreResult<Organisation> {
    let t = now();
    let q = sqlx::query(concat!(
        "INSERT INTO organisations (parent_id, name, short_name, code, kind, level, sort_order, \
         active, successor_id, office_name, address, office_hours, phone, fax, email, website, \
         postcode, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18, $19) RETURNING ",
        org_cols!()
    ))
    .bind(parent_id);
    let row = bind_draft(q, draft)
        .bind(ts(t))
        .bind(ts(t))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| db_err(e, "code"))?;
    let org = org_from_row(&row).map_err(backend)?;
    append(conn, actor, &common::ev_org_create(&org)).await?;
    Ok(org)
}

#[async_trait]
impl OrgStore for StoreImpl {
    async fn list_orgs(&self) -> StoreResult<Vec<Organisation>> {
        // Level order is the enum order (province first), not the text order.
        let rows = sqlx::query(concat!(
            "SELECT ",
            org_cols!(),
            " FROM organisations ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'city' THEN 1 \
             WHEN 'county' THEN 2 ELSE 3 END, sort_order, id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        map_rows(rows, org_from_row)
    }

    async fn get_org(&self, id: OrgId) -> StoreResult<Option<Organisation>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch(&mut conn, id).await
    }

    async fn create_org(
        &self,
        actor: &Actor,
        parent_id: Option<OrgId>,
        draft: &OrgDraft,
    ) -> StoreResult<Organisation> {
        let mut tx = self.write_tx().await?;
        let org = insert(&mut tx, actor, parent_id, draft).await?;
        tx.commit().await.map_err(backend)?;
        Ok(org)
    }

    async fn create_orgs(&self, actor: &Actor, orgs: &[NewOrg]) -> StoreResult<Vec<Organisation>> {
        let mut tx = self.write_tx().await?;
        let mut out: Vec<Organisation> = Vec::with_capacity(orgs.len());
        for (i, n) in orgs.iter().enumerate() {
            let parent = match n.parent {
                ParentRef::None => None,
                ParentRef::Existing(id) => Some(id),
                ParentRef::Batch(j) if j < i => Some(out[j].id),
                ParentRef::Batch(j) => {
                    return Err(StoreError::Invalid(format!(
                        "第{}条的上级机构（第{}条）必须排在它前面",
                        i + 1,
                        j + 1
                    )));
                }
            };
            // Dropping `tx` on error rolls the whole batch back.
            out.push(insert(&mut tx, actor, parent, &n.draft).await?);
        }
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn update_org(
        &self,
        actor: &Actor,
        id: OrgId,
        draft: &OrgDraft,
    ) -> StoreResult<Organisation> {
        let mut tx = self.write_tx().await?;
        let before = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        let q = sqlx::query(concat!(
            "UPDATE organisations SET name = $1, short_name = $2, code = $3, kind = $4, \
             level = $5, sort_order = $6, active = $7, successor_id = $8, office_name = $9, \
             address = $10, office_hours = $11, phone = $12, fax = $13, email = $14, \
             website = $15, postcode = $16, updated_at = $17 WHERE id = $18 RETURNING ",
            org_cols!()
        ));
        let row = bind_draft(q, draft)
            .bind(ts(now()))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| db_err(e, "code"))?;
        let after = org_from_row(&row).map_err(backend)?;
        append(&mut tx, actor, &common::ev_org_update(&before, &after)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn move_org(
        &self,
        actor: &Actor,
        id: OrgId,
        new_parent: Option<OrgId>,
    ) -> StoreResult<Organisation> {
        let mut tx = self.write_tx().await?;
        let before = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        if let Some(p) = new_parent {
            let edges: Vec<(OrgId, Option<OrgId>)> =
                sqlx::query_as("SELECT id, parent_id FROM organisations")
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(backend)?;
            let tree = OrgTree::from_edges(edges);
            if !tree.contains(p) {
                return Err(StoreError::Invalid("新的上级机构不存在".into()));
            }
            if tree.would_cycle(id, p) {
                return Err(StoreError::Invalid(
                    "不能把机构移到它自己或它的下级机构之下".into(),
                ));
            }
        }
        let row = sqlx::query(concat!(
            "UPDATE organisations SET parent_id = $1, updated_at = $2 WHERE id = $3 RETURNING ",
            org_cols!()
        ))
        .bind(new_parent)
        .bind(ts(now()))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        let after = org_from_row(&row).map_err(backend)?;
        append(
            &mut tx,
            actor,
            &common::ev_org_move(id, before.parent_id, new_parent),
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn get_guide(&self, org_id: OrgId) -> StoreResult<GuideText> {
        let row = sqlx::query(
            "SELECT classification, arrangement, access, extra FROM org_guides WHERE org_id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row
            .map(|r| guide_from_row(&r).map_err(backend))
            .transpose()?
            .unwrap_or_default())
    }

    async fn put_guide(&self, actor: &Actor, org_id: OrgId, guide: &GuideText) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        if fetch(&mut tx, org_id).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let before = sqlx::query(
            "SELECT classification, arrangement, access, extra FROM org_guides WHERE org_id = $1",
        )
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .map(|r| guide_from_row(&r).map_err(backend))
        .transpose()?
        .unwrap_or_default();
        sqlx::query(
            "INSERT INTO org_guides (org_id, classification, arrangement, access, extra, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id) DO UPDATE SET \
             classification = excluded.classification, arrangement = excluded.arrangement, \
             access = excluded.access, extra = excluded.extra, updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(&guide.classification)
        .bind(&guide.arrangement)
        .bind(&guide.access)
        .bind(&guide.extra)
        .bind(ts(now()))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        append(&mut tx, actor, &common::ev_guide(org_id, &before, guide)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }
}
