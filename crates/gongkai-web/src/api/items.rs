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
use gongkai_core::item::query::{
    CATALOG_COUNT_CAP, CatalogCursor, CatalogEntry, CatalogTotal, PublicItem,
};
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
    after: Option<CatalogCursor>,
}

impl Listing {
    /// The normalised parameters of a page, for `Link`.
    fn pairs(&self, page: Paging) -> Vec<(&'static str, String)> {
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
        match page {
            Paging::Page(n) => pairs.push(("page", n.to_string())),
            Paging::After(c) => pairs.push(("after", c.encode())),
        }
        pairs
    }
}

/// Where a linked page starts.
#[derive(Clone, Copy)]
enum Paging {
    Page(i64),
    After(CatalogCursor),
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
    let after = match q.after.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => match CatalogCursor::parse(raw) {
            Some(c) if p.page.is_empty() => Some(c),
            Some(_) => {
                e.add("after", "after 与 page 不能同时使用");
                None
            }
            None => {
                e.add(
                    "after",
                    "after 应为上一页 next_after 给出的位置，如 20250301-1234",
                );
                None
            }
        },
    };
    if let Ok(f) = &parsed
        && f.page.saturating_mul(per_page) > CATALOG_COUNT_CAP
    {
        e.add(
                "page",
                format!(
                    "按页码只能访问最新的 {CATALOG_COUNT_CAP} 条（page × per_page 不超过 {CATALOG_COUNT_CAP}），更早的信息请用 after 逐页获取"
                ),
            );
    }
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
            after,
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
portal's catalog. Matches are counted up to 10,000 (`total_exact` tells whether `total` is the \
whole count) and `page` reaches that far; `after` (from `next_after`) walks the whole catalog at \
a constant cost per page. Paging links are in the `Link` header (rel first, prev, next, last; \
next uses `after` once page numbers run out, and last is left out when the count is capped).",
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
    let mut query = jurisdiction_query(&l.filters);
    query.org_ids = params::agency_scope(&orgs, l.filters.org, l.include_sub);
    if let Some(id) = l.column_id {
        let org = l.filters.org.unwrap_or_default();
        let columns = state.store.list_item_columns(org).await?;
        query.column_ids = column::subtree(&columns, id);
    }
    // One entry beyond the page says whether there is a next one.
    query.limit = l.per_page + 1;
    query.after = l.after;
    query.offset = if l.after.is_some() {
        0
    } else {
        (l.filters.page - 1) * l.per_page
    };
    let page = state.store.list_catalog(&query).await?;
    let total = page.total.unwrap_or(CatalogTotal::Exact(0));
    let mut entries = page.entries;
    let more = entries.len() as i64 > l.per_page;
    entries.truncate(l.per_page as usize);
    let next_after = more
        .then(|| entries.last().map(CatalogCursor::of))
        .flatten();
    let urls = Urls::new(&state, &headers);
    let mut names = Names::new(&orgs);
    let mut items = Vec::with_capacity(entries.len());
    for e in entries {
        items.push(summary_of_entry(state.store.as_ref(), &urls, &mut names, e).await?);
    }
    let href = |p: Paging| {
        format!(
            "{}{}",
            urls.api("/items"),
            params::query_string(&l.pairs(p))
        )
    };
    let link = links(&l, total, next_after, href);
    let mut res = Json(ItemList {
        total: total.count(),
        total_exact: total.is_exact(),
        page: if l.after.is_some() { 1 } else { l.filters.page },
        per_page: l.per_page,
        next_after: next_after.map(|c| c.encode()),
        items,
    })
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&link) {
        res.headers_mut().insert(header::LINK, v);
    }
    Ok(res)
}

/// The `Link` header (RFC 8288) of a listing page. Page numbers are used
/// while they reach (within the counted matches); past them, and in
/// `after` mode, `next` carries the cursor and there is no `last`.
fn links(
    l: &Listing,
    total: CatalogTotal,
    next_after: Option<CatalogCursor>,
    href: impl Fn(Paging) -> String,
) -> String {
    let cursor_next = next_after.map(|c| ("next", href(Paging::After(c))));
    if l.after.is_some() {
        let mut out = vec![("first", href(Paging::Page(1)))];
        out.extend(cursor_next);
        return params::link_value(&out);
    }
    let reachable = CATALOG_COUNT_CAP / l.per_page;
    let last = params::last_page(total.count(), l.per_page).min(reachable.max(1));
    let mut out = params::page_links(l.filters.page, last, |n| href(Paging::Page(n)));
    if !total.is_exact() {
        out.retain(|(rel, _)| *rel != "last");
    }
    if !out.iter().any(|(rel, _)| *rel == "next") {
        out.extend(cursor_next);
    }
    params::link_value(&out)
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
            after: None,
        };
        let q = params::query_string(&l.pairs(Paging::Page(3)));
        assert_eq!(
            q,
            "?org=3&doc_kind=normative&column=17&include_sub_agencies=true&per_page=50&page=3"
        );
    }

    fn listing(page: i64, after: Option<CatalogCursor>) -> Listing {
        Listing {
            filters: Filters {
                page,
                ..Filters::default()
            },
            column_id: None,
            include_sub: false,
            per_page: 20,
            after,
        }
    }

    fn href(p: Paging) -> String {
        match p {
            Paging::Page(n) => format!("p{n}"),
            Paging::After(c) => format!("a{}", c.encode()),
        }
    }

    fn cursor() -> CatalogCursor {
        CatalogCursor::parse("20240501-7").unwrap()
    }

    #[test]
    fn page_links_run_to_the_cap_then_continue_with_the_cursor() {
        let exact = links(&listing(2, None), CatalogTotal::Exact(41), None, href);
        assert_eq!(
            exact,
            "<p1>; rel=\"first\", <p1>; rel=\"prev\", <p3>; rel=\"next\", <p3>; rel=\"last\""
        );
        // Capped: no last, and the deepest numbered page hands over to the cursor.
        let capped = CatalogTotal::AtLeast(CATALOG_COUNT_CAP);
        let mid = links(&listing(7, None), capped, Some(cursor()), href);
        assert_eq!(
            mid,
            "<p1>; rel=\"first\", <p6>; rel=\"prev\", <p8>; rel=\"next\""
        );
        let deepest = links(&listing(500, None), capped, Some(cursor()), href);
        assert_eq!(
            deepest,
            "<p1>; rel=\"first\", <p499>; rel=\"prev\", <a20240501-7>; rel=\"next\""
        );
    }

    #[test]
    fn cursor_pages_link_first_and_next_only() {
        let l = listing(1, Some(cursor()));
        let more = links(
            &l,
            CatalogTotal::AtLeast(CATALOG_COUNT_CAP),
            Some(cursor()),
            href,
        );
        assert_eq!(more, "<p1>; rel=\"first\", <a20240501-7>; rel=\"next\"");
        let end = links(&l, CatalogTotal::Exact(30), None, href);
        assert_eq!(end, "<p1>; rel=\"first\"");
    }
}
