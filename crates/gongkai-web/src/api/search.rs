//! `GET /search`: full-text search of the public catalog (the index of
//! `gongkai-search`, fed by [`crate::search_sync`]). Highlights come as
//! structured segments, never HTML, so clients escape and mark them up
//! themselves.
//!
//! The index may lag the database by a moment (a withdrawal synced by the
//! catch-up task), so the hits are checked against the store before they
//! are returned, as on the portal's search page: a withdrawn item is never
//! served, whatever the index says.

use super::Urls;
use super::model::{AgencyRef, Coded};
use super::params::{self, SearchQuery};
use super::problem::Problem;
use crate::AppState;
use crate::portal::catalog_params::{Filters, Scope};
use crate::portal::search::drop_stale_hits;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_core::OrgId;
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::item::{DocKind, ValidityKind};
use gongkai_core::text::FieldErrors;
use gongkai_search::{MAX_OFFSET, Sort};
use serde::Serialize;
use utoipa::ToSchema;

/// A piece of a highlighted title or snippet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Segment {
    pub text: String,
    /// The piece matched the query (show it marked).
    pub hit: bool,
}

/// One search hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    pub id: i64,
    /// The whole title, in segments.
    pub title: Vec<Segment>,
    /// A passage of the body or summary around the matches, in segments.
    pub snippet: Vec<Segment>,
    /// The query was exactly this item's 发文字号 or 索引号.
    pub exact: bool,
    /// 发布机构.
    pub publisher: AgencyRef,
    /// 栏目 name.
    pub column: String,
    /// 索引号.
    pub index_no: String,
    /// 发文字号 (empty for 无文号).
    pub doc_numbers: Vec<String>,
    /// 主题分类.
    pub topic: Option<Coded>,
    /// 体裁.
    pub genre: Option<Coded>,
    /// 文件类型.
    pub doc_kind: Option<Coded>,
    /// 有效性.
    pub validity: Option<Coded>,
    /// 成文日期.
    pub written_on: Option<NaiveDate>,
    /// 发布日期.
    pub published_on: Option<NaiveDate>,
    /// The item's page on the portal.
    pub url: String,
    /// The item in this API.
    pub api_url: String,
}

/// Hit counts of an agency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyCount {
    pub id: i64,
    pub name: String,
    pub count: u64,
}

/// Hit counts of a coded value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodedCount {
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// Hit counts of a 发布 year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearCount {
    pub year: i32,
    pub count: u64,
}

/// Counts over all hits (not only this page), largest first (years: newest first).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchFacets {
    pub agencies: Vec<AgencyCount>,
    pub topics: Vec<CodedCount>,
    pub years: Vec<YearCount>,
    pub validity: Vec<CodedCount>,
}

/// A query to offer instead.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    /// The query text to offer.
    pub text: String,
    /// `spelling` (您是不是要找), `broader` (fewer words), `related` (相关检索)
    /// or `popular` (热门检索, for an empty query).
    pub kind: String,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    /// The query text as received.
    pub query: String,
    /// Items matching the query and filters, on all pages.
    pub total: usize,
    pub page: i64,
    pub per_page: i64,
    pub hits: Vec<SearchHit>,
    pub facets: SearchFacets,
    /// Offered when the query is empty or found nothing.
    pub suggestions: Vec<Suggestion>,
}

fn segments(s: Vec<gongkai_search::Segment>) -> Vec<Segment> {
    s.into_iter()
        .map(|s| Segment {
            text: s.text,
            hit: s.highlighted,
        })
        .collect()
}

/// The index stores Chinese labels; clients filter by keys.
fn topic_by_label(label: &str) -> Option<Coded> {
    Taxonomy::shipped()
        .topic(label)
        .map(|t| Coded::new(&t.key, &t.name))
}

fn genre_by_label(label: &str) -> Option<Coded> {
    Taxonomy::shipped()
        .genre(label)
        .map(|g| Coded::new(&g.key, &g.name))
}

fn kind_by_label(label: &str) -> Option<Coded> {
    DocKind::parse(label).map(Coded::doc_kind)
}

fn validity_by_label(label: &str) -> Option<Coded> {
    ValidityKind::parse(label).map(Coded::validity)
}

struct Checked {
    query: gongkai_search::Query,
    filters: Filters,
    include_sub: bool,
    per_page: i64,
    sort: &'static str,
}

fn check(
    q: &SearchQuery,
    orgs: &[gongkai_core::org::Organisation],
    this_year: i32,
) -> Result<Checked, Problem> {
    let org_ids: Vec<OrgId> = orgs.iter().map(|o| o.id).collect();
    let p = q.catalog_params();
    let parsed = Filters::parse(
        &p,
        Scope::Jurisdiction {
            org_ids: &org_ids,
            column_keys: &[],
        },
        Taxonomy::shipped(),
        this_year,
    );
    let mut e = FieldErrors::new();
    let per_page = params::per_page(&q.per_page, &mut e);
    let include_sub = params::include_sub(&q.include_sub_agencies, !p.org.is_empty(), &mut e);
    let (sort, sort_key) = match q.sort.as_deref().map(str::trim).unwrap_or_default() {
        "" | "relevance" => (Sort::Relevance, "relevance"),
        "date" => (Sort::DateDesc, "date"),
        _ => {
            e.add(
                "sort",
                "排序方式应为 relevance（相关度）或 date（发布日期）",
            );
            (Sort::Relevance, "relevance")
        }
    };
    let f = match parsed {
        Ok(f) if e.is_empty() => f,
        Ok(_) => return Err(Problem::invalid(&e, &[])),
        Err(mut fe) => {
            fe.0.extend(e.0);
            return Err(Problem::invalid(&fe, &[]));
        }
    };
    let offset = (f.page - 1) * per_page;
    if offset > MAX_OFFSET as i64 {
        let deepest = MAX_OFFSET as i64 / per_page + 1;
        return Err(Problem::invalid_one(
            "page",
            format!("检索结果最多翻到第{deepest}页，请增加检索词或筛选条件缩小范围"),
        ));
    }
    let tax = Taxonomy::shipped();
    let query = gongkai_search::Query {
        text: q.q.clone().unwrap_or_default(),
        org_ids: params::agency_scope(orgs, f.org, include_sub).unwrap_or_default(),
        topic: f.topic.as_deref().map(|k| tax.topic_name(k).to_string()),
        validity: f.validity.map(|v| v.label().to_string()),
        year: f.year,
        sort,
        offset: offset as usize,
        limit: per_page as usize,
        ..gongkai_search::Query::default()
    };
    Ok(Checked {
        query,
        filters: f,
        include_sub,
        per_page,
        sort: sort_key,
    })
}

#[utoipa::path(
    get,
    path = "/search",
    tag = "search",
    operation_id = "search",
    summary = "Full-text search (全文检索)",
    description = "Searches titles, summaries, bodies, attachment text and metadata of published \
items. Simplified and traditional characters find each other; full-width and half-width forms \
are folded; a 发文字号 or 索引号 matches in any bracket style. Paging links are in the `Link` header.",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of hits with facets and suggestions", body = SearchResults,
            headers(("Link" = String, description = "RFC 8288 links to the first, previous, next and last page"))),
        (status = 400, description = "A parameter was refused; `errors` names each one",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let q = params::read(q)?;
    let orgs = state.store.list_orgs().await?;
    let c = check(&q, &orgs, state.today().year())?;
    let index = state.search.clone();
    let query = c.query.clone();
    let mut results = tokio::task::spawn_blocking(move || index.search(&query))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "search task failed");
            Problem::internal()
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "search failed");
            Problem::internal()
        })?;

    drop_stale_hits(&state, &mut results).await?;
    let urls = Urls::new(&state, &headers);
    let mut hits = Vec::with_capacity(results.hits.len());
    for h in results.hits {
        hits.push(SearchHit {
            id: h.id,
            title: segments(h.title),
            snippet: segments(h.snippet),
            exact: h.exact,
            publisher: AgencyRef {
                id: h.org_id,
                name: h.org_name,
            },
            column: h.column_name,
            index_no: h.index_no,
            doc_numbers: h.doc_nos,
            topic: topic_by_label(&h.topic),
            genre: genre_by_label(&h.genre),
            doc_kind: kind_by_label(&h.file_type),
            validity: validity_by_label(&h.validity),
            written_on: h.written,
            published_on: h.published,
            url: urls.item_page(h.id),
            api_url: urls.item_api(h.id),
        });
    }
    let f = results.facets;
    let facets = SearchFacets {
        agencies: f
            .agencies
            .into_iter()
            .map(|a| AgencyCount {
                id: a.org_id,
                name: a.org_name,
                count: a.count,
            })
            .collect(),
        topics: f
            .topics
            .into_iter()
            .filter_map(|v| {
                topic_by_label(&v.value).map(|c| CodedCount {
                    key: c.key,
                    label: c.label,
                    count: v.count,
                })
            })
            .collect(),
        years: f
            .years
            .into_iter()
            .map(|y| YearCount {
                year: y.year,
                count: y.count,
            })
            .collect(),
        validity: f
            .validity
            .into_iter()
            .filter_map(|v| {
                validity_by_label(&v.value).map(|c| CodedCount {
                    key: c.key,
                    label: c.label,
                    count: v.count,
                })
            })
            .collect(),
    };
    let suggestions = results
        .suggestions
        .into_iter()
        .map(|s| Suggestion {
            text: s.text,
            kind: suggestion_kind(s.kind).to_string(),
        })
        .collect();

    let total = results.total as i64;
    let page = c.filters.page;
    // Pages beyond the deepest offset served are not linked.
    let last = params::last_page(total, c.per_page).min(MAX_OFFSET as i64 / c.per_page + 1);
    let text = q.q.as_deref().unwrap_or_default().trim().to_string();
    let link = params::link_header(page, last, |n| {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !text.is_empty() {
            pairs.push(("q", text.clone()));
        }
        pairs.extend(c.filters.pairs());
        if c.include_sub {
            pairs.push(("include_sub_agencies", "true".into()));
        }
        if c.sort != "relevance" {
            pairs.push(("sort", c.sort.into()));
        }
        if c.per_page != params::PER_PAGE_DEFAULT {
            pairs.push(("per_page", c.per_page.to_string()));
        }
        pairs.push(("page", n.to_string()));
        format!("{}{}", urls.api("/search"), params::query_string(&pairs))
    });
    let mut res = Json(SearchResults {
        query: q.q.unwrap_or_default(),
        total: results.total,
        page,
        per_page: c.per_page,
        hits,
        facets,
        suggestions,
    })
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&link) {
        res.headers_mut().insert(header::LINK, v);
    }
    Ok(res)
}

fn suggestion_kind(k: gongkai_search::SuggestionKind) -> &'static str {
    use gongkai_search::SuggestionKind as K;
    match k {
        K::Spelling => "spelling",
        K::Broader => "broader",
        K::Related => "related",
        K::Popular => "popular",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> SearchQuery {
        let s: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::portal::catalog_params::encode(v)))
            .collect();
        let uri: axum::http::Uri = format!("/s?{}", s.join("&")).parse().unwrap();
        Query::<SearchQuery>::try_from_uri(&uri).unwrap().0
    }

    #[test]
    fn filters_become_index_labels() {
        let c = check(
            &query(&[
                ("q", "政務公開"),
                ("topic", "finance"),
                ("validity", "repealed"),
                ("year", "2025"),
                ("sort", "date"),
                ("page", "2"),
                ("per_page", "10"),
            ]),
            &[],
            2026,
        )
        .unwrap();
        assert_eq!(c.query.text, "政務公開");
        assert_eq!(
            c.query.topic.as_deref(),
            Some(Taxonomy::shipped().topic_name("finance"))
        );
        assert_eq!(c.query.validity.as_deref(), Some("废止"));
        assert_eq!(c.query.year, Some(2025));
        assert_eq!(c.query.sort, Sort::DateDesc);
        assert_eq!((c.query.offset, c.query.limit), (10, 10));
    }

    #[test]
    fn bad_parameters_are_all_reported() {
        let Err(p) = check(
            &query(&[("sort", "title"), ("year", "99"), ("per_page", "500")]),
            &[],
            2026,
        ) else {
            panic!("accepted");
        };
        let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["year", "per_page", "sort"]);
        let Err(p) = check(&query(&[("page", "600")]), &[], 2026) else {
            panic!("accepted");
        };
        assert_eq!(p.errors[0].field, "page");
    }

    #[test]
    fn labels_from_the_index_map_back_to_keys() {
        assert_eq!(validity_by_label("有效").unwrap().key, "effective");
        assert_eq!(kind_by_label("规章").unwrap().key, "rule");
        assert!(topic_by_label("").is_none());
    }
}
