//! `GET /agencies` and `GET /agencies/{id}/columns`: what a client needs
//! to offer the catalog's filters (发布机构 and 栏目). Only public facts:
//! names, levels and the tree, as the portal shows them.

use super::Urls;
use super::model::{AgencyRef, Coded};
use super::problem::Problem;
use crate::AppState;
use crate::portal::catalog::tree_order;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use gongkai_core::OrgId;
use serde::Serialize;
use utoipa::ToSchema;

/// An agency (机关) of the jurisdiction.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Agency {
    pub id: i64,
    pub name: String,
    /// 简称, when set.
    pub short_name: Option<String>,
    /// `province` (省级), `city` (市级), `county` (县级) or `township` (乡级).
    pub level: Coded,
    /// `government`, `general_office`, `department`, `township_street` or `other`.
    pub kind: Coded,
    /// The agency above (null for the root).
    pub parent_id: Option<i64>,
    /// False for agencies closed or merged; their published items stay listed.
    pub active: bool,
    /// The agency that took over a closed or merged one.
    pub successor_id: Option<i64>,
    /// The agency's 政府信息公开专栏 on the portal.
    pub url: String,
    /// Its column tree in this API.
    pub columns_api_url: String,
}

/// Every agency, parents before their children.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyList {
    pub agencies: Vec<Agency>,
}

/// A column (栏目) of an agency's catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ColumnNode {
    pub id: i64,
    /// The parent column (null at the top).
    pub parent_id: Option<i64>,
    /// Depth in the tree, 0 at the top.
    pub depth: usize,
    /// Key of a default column (e.g. `policy`), shared by every agency's
    /// tree; null for columns the agency added.
    pub key: Option<String>,
    pub name: String,
    /// The legal basis of the column, when recorded.
    pub basis: Option<String>,
    /// False for retired columns (their items stay published).
    pub active: bool,
    /// The column's page on the portal.
    pub url: String,
}

/// An agency's column tree in tree order: every column follows its parent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ColumnTree {
    pub agency: AgencyRef,
    pub columns: Vec<ColumnNode>,
}

#[utoipa::path(
    get,
    path = "/agencies",
    tag = "agencies",
    operation_id = "listAgencies",
    summary = "The agencies of the jurisdiction (发布机构)",
    responses((status = 200, description = "Every agency", body = AgencyList))
)]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<AgencyList>, Problem> {
    let urls = Urls::new(&state, &headers);
    let mut orgs = state.store.list_orgs().await?;
    sort_parents_first(&mut orgs);
    let agencies = orgs
        .into_iter()
        .map(|o| Agency {
            url: urls.portal(&format!("/agency/{}", o.id)),
            columns_api_url: urls.api(&format!("/agencies/{}/columns", o.id)),
            id: o.id,
            name: o.name,
            short_name: o.short_name,
            level: Coded::new(o.level.as_str(), o.level.label()),
            kind: Coded::new(o.kind.as_str(), o.kind.label()),
            parent_id: o.parent_id,
            active: o.active,
            successor_id: o.successor_id,
        })
        .collect();
    Ok(Json(AgencyList { agencies }))
}

/// Depth-first, siblings by their display order, so a client can build the
/// tree in one pass.
fn sort_parents_first(orgs: &mut Vec<gongkai_core::org::Organisation>) {
    let all = std::mem::take(orgs);
    fn walk(
        all: &[gongkai_core::org::Organisation],
        parent: Option<OrgId>,
        depth: usize,
        out: &mut Vec<gongkai_core::org::Organisation>,
    ) {
        if depth > 32 {
            return;
        }
        let mut children: Vec<&gongkai_core::org::Organisation> =
            all.iter().filter(|o| o.parent_id == parent).collect();
        children.sort_by_key(|o| (o.sort_order, o.id));
        for c in children {
            out.push(c.clone());
            walk(all, Some(c.id), depth + 1, out);
        }
    }
    walk(&all, None, 0, orgs);
    // Anything unreachable (a parent outside the list) still appears.
    let placed: std::collections::HashSet<OrgId> = orgs.iter().map(|o| o.id).collect();
    orgs.extend(all.into_iter().filter(|o| !placed.contains(&o.id)));
}

#[utoipa::path(
    get,
    path = "/agencies/{id}/columns",
    tag = "agencies",
    operation_id = "listAgencyColumns",
    summary = "An agency's catalog columns (公开目录栏目)",
    params(("id" = i64, Path, description = "Agency id", minimum = 1)),
    responses(
        (status = 200, description = "The column tree", body = ColumnTree),
        (status = 404, description = "No such agency",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn columns(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Json<ColumnTree>, Problem> {
    let id: OrgId = raw.parse().map_err(|_| Problem::not_found())?;
    let org = state
        .store
        .get_org(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    let urls = Urls::new(&state, &headers);
    let cols = state.store.list_item_columns(org.id).await?;
    let columns = tree_order(&cols)
        .into_iter()
        .map(|(c, depth)| ColumnNode {
            id: c.id,
            parent_id: c.parent_id,
            depth,
            key: c.key.clone(),
            name: c.name.clone(),
            basis: c.basis.clone(),
            active: c.active,
            url: urls.portal(&format!("/agency/{}/catalog/{}", org.id, c.id)),
        })
        .collect();
    Ok(Json(ColumnTree {
        agency: AgencyRef {
            id: org.id,
            name: org.name,
        },
        columns,
    }))
}
