//! `GET /items`, `GET /items/{id}`, `GET /items/by-index/{index_no}`: the
//! public catalog. Only what the portal shows is served — published
//! 主动公开 items ([`crate::portal::catalog_item::lookup`] decides, as for
//! the item page); a withdrawn item is a 410 problem, anything else a 404.

use super::Urls;
use super::model::{
    AgencyRef, AttachmentInfo, Coded, ColumnRef, CorrectionInfo, ItemDetail, ItemLink, ItemList,
    ItemSummary, ValidityInfo,
};
use super::params::{self, ItemsQuery, RENAMED};
use super::problem::Problem;
use crate::AppState;
use crate::portal::catalog::{default_column_choices, jurisdiction_query};
use crate::portal::catalog_item::{Lookup, lookup};
use crate::portal::catalog_params::{Filters, Scope};
use crate::search_sync::html_to_text;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use gongkai_core::html::SafeHtml;
use gongkai_core::item::column::{self, Column};
use gongkai_core::item::query::{CatalogEntry, PublicItem};
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::item::{ColumnId, ItemId, Validity};
use gongkai_core::org::Organisation;
use gongkai_core::text::FieldErrors;
use gongkai_core::{OrgId, Store};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Everything the listing asks for, checked.
struct Listing {
    filters: Filters,
    column_id: Option<ColumnId>,
    include_sub: bool,
    per_page: i64,
}

impl Listing {
    /// The normalised parameters of a page, for `Link`.
    fn pairs(&self, page: i64) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = self
            .filters
            .pairs()
            .into_iter()
            .map(|(k, v)| (if k == "kind" { "doc_kind" } else { k }, v))
            .collect();
        if let Some(c) = self.column_id {
            pairs.push(("column", c.to_string()));
        }
        if self.include_sub {
            pairs.push(("include_sub_agencies", "true".into()));
        }
        if self.per_page != params::PER_PAGE_DEFAULT {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        pairs.push(("page", page.to_string()));
        pairs
    }
}

/// Checks every parameter, reporting all bad ones at once.
async fn check(
    state: &AppState,
    q: &ItemsQuery,
    orgs: &[Organisation],
) -> Result<Listing, Problem> {
    let org_ids: Vec<OrgId> = orgs.iter().map(|o| o.id).collect();
    let choices = default_column_choices();
    let keys: Vec<&str> = choices.iter().map(|(k, _)| k.as_str()).collect();
    let mut p = q.catalog_params();
    // A number is a column id of the agency in `org`; the catalog parser
    // knows column keys only in the jurisdiction view.
    let numeric_column = (!p.column.is_empty() && p.column.bytes().all(|b| b.is_ascii_digit()))
        .then(|| std::mem::take(&mut p.column));
    let parsed = Filters::parse(
        &p,
        Scope::Jurisdiction {
            org_ids: &org_ids,
            column_keys: &keys,
        },
        Taxonomy::shipped(),
        state.today().year(),
    );
    let mut e = FieldErrors::new();
    let per_page = params::per_page(&q.per_page, &mut e);
    let org = parsed.as_ref().ok().and_then(|f| f.org);
    let has_org = !p.org.is_empty();
    let include_sub = params::include_sub(&q.include_sub_agencies, has_org, &mut e);
    let mut column_id = None;
    if let Some(raw) = numeric_column {
        match (org, raw.parse::<ColumnId>()) {
            (Some(o), Ok(id)) => {
                let columns = state.store.list_item_columns(o).await?;
                if columns.iter().any(|c| c.id == id) {
                    column_id = Some(id);
                } else {
                    e.add("column", "栏目不存在，请从该机构的栏目中选择");
                }
            }
            (None, _) if !has_org => {
                e.add("column", "按栏目编号筛选时请同时用 org 指定该栏目所属机构")
            }
            // A bad org is reported by the parser already.
            (None, _) => {}
            (Some(_), Err(_)) => e.add("column", "栏目不存在，请从该机构的栏目中选择"),
        }
    }
    match parsed {
        Ok(filters) if e.is_empty() => Ok(Listing {
            filters,
            column_id,
            include_sub,
            per_page,
        }),
        Ok(_) => Err(Problem::invalid(&e, RENAMED)),
        Err(mut fe) => {
            fe.0.extend(e.0);
            Err(Problem::invalid(&fe, RENAMED))
        }
    }
}

#[utoipa::path(
    get,
    path = "/items",
    tag = "items",
    operation_id = "listItems",
    summary = "List published items (政府信息公开目录)",
    description = "Published 主动公开 items, newest 发布日期 first, with the same filters as the \
portal's catalog. Paging links are in the `Link` header (rel first, prev, next, last).",
    params(ItemsQuery),
    responses(
        (status = 200, description = "A page of items", body = ItemList,
            headers(("Link" = String, description = "RFC 8288 links to the first, previous, next and last page"))),
        (status = 400, description = "A parameter was refused; `errors` names each one",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<ItemsQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let q = params::read(q)?;
    let orgs = state.store.list_orgs().await?;
    let l = check(&state, &q, &orgs).await?;
    let scope = params::agency_scope(&orgs, l.filters.org, l.include_sub);
    let all: Vec<OrgId> = orgs.iter().map(|o| o.id).collect();
    let targets = scope.clone().unwrap_or(all);
    // The catalog resolves a column key in each target agency's tree.
    let key_filters = Filters {
        org: None,
        ..l.filters.clone()
    };
    let page = match jurisdiction_query(&state, &targets, &key_filters).await? {
        Some(mut query) => {
            query.org_ids = scope;
            if let Some(id) = l.column_id {
                let org = l.filters.org.unwrap_or_default();
                let columns = state.store.list_item_columns(org).await?;
                query.column_ids = column::subtree(&columns, id);
            }
            query.limit = l.per_page;
            query.offset = (l.filters.page - 1) * l.per_page;
            state.store.list_catalog(&query).await?
        }
        None => gongkai_core::item::query::Page {
            total: 0,
            entries: Vec::new(),
        },
    };
    let urls = Urls::new(&state, &headers);
    let mut names = Names::new(&orgs);
    let mut items = Vec::with_capacity(page.entries.len());
    for e in page.entries {
        items.push(summary_of_entry(state.store.as_ref(), &urls, &mut names, e).await?);
    }
    let last = params::last_page(page.total, l.per_page);
    let link = params::link_header(l.filters.page, last, |n| {
        format!(
            "{}{}",
            urls.api("/items"),
            params::query_string(&l.pairs(n))
        )
    });
    let mut res = Json(ItemList {
        total: page.total,
        page: l.filters.page,
        per_page: l.per_page,
        items,
    })
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&link) {
        res.headers_mut().insert(header::LINK, v);
    }
    Ok(res)
}

#[utoipa::path(
    get,
    path = "/items/{id}",
    tag = "items",
    operation_id = "getItem",
    summary = "One published item with its content",
    params(("id" = i64, Path, description = "Item id (the number in the portal URL /items/{id})", minimum = 1)),
    responses(
        (status = 200, description = "The item", body = ItemDetail),
        (status = 404, description = "No such public item (also for drafts and items not disclosed proactively)",
            body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The item was public and has been withdrawn (撤回)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, Problem> {
    let id = match raw.parse::<ItemId>() {
        Ok(id) if id > 0 => id,
        _ => return Err(Problem::not_found()),
    };
    detail(&state, &headers, id).await
}

#[utoipa::path(
    get,
    path = "/items/by-index/{index_no}",
    tag = "items",
    operation_id = "getItemByIndexNo",
    summary = "One published item by its 索引号",
    description = "The same answer as `/items/{id}`. A 索引号 may contain `/`; it may be sent as is \
or percent-encoded.",
    params(("index_no" = String, Path, description = "索引号, e.g. 11370100MB0000000X/2025-00012")),
    responses(
        (status = 200, description = "The item", body = ItemDetail),
        (status = 404, description = "No public item has this 索引号",
            body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The item was public and has been withdrawn (撤回)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn by_index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, Problem> {
    let Some(id) = state.store.find_item_by_index_no(raw.trim()).await? else {
        return Err(Problem::not_found());
    };
    detail(&state, &headers, id).await
}

async fn detail(state: &AppState, headers: &HeaderMap, id: ItemId) -> Result<Response, Problem> {
    let item = match lookup(state, id).await? {
        Lookup::Public(item) => item,
        Lookup::Withdrawn { on, .. } => return Err(Problem::withdrawn(on)),
        Lookup::Missing => return Err(Problem::not_found()),
    };
    let urls = Urls::new(state, headers);
    let orgs = state.store.list_orgs().await?;
    let mut names = Names::new(&orgs);
    let summary = summary_of_item(state.store.as_ref(), &urls, &mut names, &item).await?;
    // Stored bodies were sanitised on save; cleaning again keeps a bad row inert.
    let body = SafeHtml::sanitize(item.meta.body.as_str());
    let detail = ItemDetail {
        item: summary,
        body_text: html_to_text(body.as_str()),
        body_html: body.as_str().to_string(),
        attachments: item
            .attachments
            .iter()
            .map(|a| AttachmentInfo {
                id: a.id,
                name: a.name.clone(),
                media_type: a.media_type.clone(),
                type_label: a.type_label().to_string(),
                size: a.size,
                sha256: a.sha256.clone(),
                url: urls.portal(&format!("/items/{}/attachments/{}", item.id, a.id)),
            })
            .collect(),
        corrections: item
            .corrections
            .iter()
            .map(|c| CorrectionInfo {
                version: c.version,
                reason: c.reason.clone(),
                published_at: c.published_at,
            })
            .collect(),
        version_published_at: item.version_published_at,
    };
    Ok(Json(detail).into_response())
}

/// Agency names and column trees, each tree read once per request.
struct Names<'a> {
    orgs: &'a [Organisation],
    columns: HashMap<OrgId, Vec<Column>>,
}

impl<'a> Names<'a> {
    fn new(orgs: &'a [Organisation]) -> Self {
        Self {
            orgs,
            columns: HashMap::new(),
        }
    }

    fn agency(&self, id: OrgId) -> AgencyRef {
        AgencyRef {
            id,
            name: self
                .orgs
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
        }
    }

    async fn column(
        &mut self,
        store: &dyn Store,
        org: OrgId,
        id: ColumnId,
    ) -> Result<Option<ColumnRef>, Problem> {
        let cols = match self.columns.entry(org) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(store.list_item_columns(org).await?),
        };
        Ok(cols.iter().find(|c| c.id == id).map(|c| ColumnRef {
            id: c.id,
            name: c.name.clone(),
        }))
    }
}

/// 有效性, linking the repealing item only when the public may see it.
async fn validity(store: &dyn Store, urls: &Urls, v: &Validity) -> Result<ValidityInfo, Problem> {
    let repealed_by = match v.repealed_by() {
        Some(by) => store.get_public_item(by).await?.map(|r| ItemLink {
            id: r.id,
            title: r.meta.title,
            url: urls.item_page(r.id),
            api_url: urls.item_api(r.id),
        }),
        None => None,
    };
    let kind = Coded::validity(v.kind());
    Ok(ValidityInfo {
        key: kind.key,
        label: kind.label,
        date: v.date(),
        repealed_by,
    })
}

async fn summary_of_entry(
    store: &dyn Store,
    urls: &Urls,
    names: &mut Names<'_>,
    e: CatalogEntry,
) -> Result<ItemSummary, Problem> {
    Ok(ItemSummary {
        id: e.id,
        index_no: e.index_no.as_str().to_string(),
        publisher: names.agency(e.org_id),
        column: names.column(store, e.org_id, e.column_id).await?,
        validity: validity(store, urls, &e.validity).await?,
        topic: Coded::topic(&e.topic),
        genre: Coded::genre(&e.genre),
        doc_kind: Coded::doc_kind(e.doc_kind),
        url: urls.item_page(e.id),
        api_url: urls.item_api(e.id),
        title: e.title,
        summary: e.summary,
        issuers: e.issuers,
        doc_number: e.doc_number,
        written_on: e.written_on,
        published_on: e.published_on,
        keywords: e.keywords,
        version: e.version,
        corrected: e.corrected,
    })
}

async fn summary_of_item(
    store: &dyn Store,
    urls: &Urls,
    names: &mut Names<'_>,
    item: &PublicItem,
) -> Result<ItemSummary, Problem> {
    let m = &item.meta;
    Ok(ItemSummary {
        id: item.id,
        index_no: item.index_no.as_str().to_string(),
        title: m.title.clone(),
        summary: m.summary.clone(),
        publisher: names.agency(item.org_id),
        issuers: m.issuers.clone(),
        doc_number: m.doc_number.clone(),
        written_on: m.written_on,
        published_on: item.published_on,
        topic: Coded::topic(&m.topic),
        genre: Coded::genre(&m.genre),
        doc_kind: Coded::doc_kind(m.doc_kind),
        validity: validity(store, urls, &m.validity).await?,
        keywords: m.keywords.clone(),
        column: names.column(store, item.org_id, m.column_id).await?,
        version: item.version,
        corrected: item.corrections.iter().any(|c| c.version == item.version),
        url: urls.item_page(item.id),
        api_url: urls.item_api(item.id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_pairs_use_the_api_names_and_keep_the_page_size() {
        let l = Listing {
            filters: Filters {
                org: Some(3),
                kind: Some(gongkai_core::item::DocKind::Normative),
                column: None,
                page: 2,
                ..Filters::default()
            },
            column_id: Some(17),
            include_sub: true,
            per_page: 50,
        };
        let q = params::query_string(&l.pairs(3));
        assert_eq!(
            q,
            "?org=3&doc_kind=normative&column=17&include_sub_agencies=true&per_page=50&page=3"
        );
    }
}
