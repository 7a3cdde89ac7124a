//! Full-text search of the public catalog: `/search` across the
//! jurisdiction, `/agency/{id}/search` within one agency and the agencies
//! under it. Parameters are [`super::search_params`]; a bad one gives the
//! page back with a Chinese message next to its field, status 400.
//!
//! The index may lag behind the database (another node withdrew an item a
//! few seconds ago): every hit of the page is checked against the store
//! (`ItemStore::public_item_ids`) and dropped when no longer public.
//! Highlights are segments rendered by escaping template loops; no HTML
//! comes from the index.

use super::agency::{self, AgencyFrame, Link};
use super::catalog::{Opt, PageLink, Select, topic_select, validity_select, year_select};
use super::search_params::{PAGE_MAX, PAGE_SIZE, Params, Search};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_core::OrgId;
use gongkai_core::item::ValidityKind;
use gongkai_core::item::metadata::NO_DOC_NUMBER;
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::org::Organisation;
use gongkai_core::org_tree::OrgTree;
use gongkai_core::text::FieldErrors;
use gongkai_search::{Results, Segment, Sort, SuggestionKind};
use std::collections::HashSet;

type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// A piece of a highlighted title or snippet.
pub(super) struct Piece {
    pub text: String,
    pub mark: bool,
}

pub(super) struct HitView {
    pub href: String,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
    /// Matched the 发文字号 or 索引号 exactly.
    pub exact: bool,
    pub agency: String,
    pub index_no: String,
    pub doc_number: String,
    pub published_on: String,
    pub validity: String,
}

pub(super) struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub current: bool,
}

pub(super) struct FacetGroup {
    pub title: &'static str,
    pub links: Vec<FacetLink>,
    /// Removes this filter, when it is set.
    pub clear: Option<String>,
}

pub(super) struct SuggestionGroup {
    pub title: &'static str,
    pub links: Vec<Link>,
}

pub(super) struct SortLink {
    pub label: &'static str,
    /// `None` for the current order.
    pub href: Option<String>,
}

/// Everything below the search form.
pub(super) struct SearchView {
    pub action: String,
    pub q: String,
    pub q_error: Option<String>,
    pub selects: Vec<Select>,
    /// Set when a parameter is wrong: no results are shown.
    pub refused: bool,
    pub filtered: bool,
    pub total: usize,
    pub page: usize,
    pub last_page: usize,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetGroup>,
    pub sorts: Vec<SortLink>,
    pub pages: Vec<PageLink>,
    pub suggestions: Vec<SuggestionGroup>,
    /// Page 1 of the same search.
    pub first_href: String,
    /// The same text without filters.
    pub clear_href: String,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct JurisdictionPage {
    layout: Layout,
    search: SearchView,
}

#[derive(Template)]
#[template(path = "portal/search_agency.html")]
struct AgencyPage {
    layout: Layout,
    agency: AgencyFrame,
    search: SearchView,
}

/// `/search`: the whole jurisdiction.
pub(super) async fn jurisdiction(
    State(state): State<AppState>,
    q: RawQuery,
) -> Result<Response, AppError> {
    let orgs = state.store.list_orgs().await?;
    let scope: Vec<OrgId> = orgs.iter().map(|o| o.id).collect();
    let view = run(&state, &orgs, &scope, false, "/search", q).await?;
    let status = status_of(&view);
    let page = JurisdictionPage {
        layout: Layout::portal_with(&state.config, &orgs, &title(&view)),
        search: view,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `/agency/{id}/search`: the agency and the agencies under it.
pub(super) async fn agency_search(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: RawQuery,
) -> Result<Response, AppError> {
    let (orgs, idx) = agency::load(&state, &id).await?;
    let org = &orgs[idx];
    let scope = OrgTree::from_orgs(&orgs).subtree(org.id);
    let action = format!("/agency/{}/search", org.id);
    let view = run(&state, &orgs, &scope, true, &action, q).await?;
    let status = status_of(&view);
    let mut frame = agency::frame(&orgs, org, None);
    frame.crumbs.push(Link {
        href: format!("/agency/{}", org.id),
        label: org.name.clone(),
    });
    frame.here = "站内检索".into();
    let page = AgencyPage {
        layout: Layout::portal_with(
            &state.config,
            &orgs,
            &format!("{} - {}", title(&view), org.name),
        ),
        agency: frame,
        search: view,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn title(view: &SearchView) -> String {
    if view.q.is_empty() {
        "信息检索".into()
    } else {
        format!("{} - 信息检索", view.q)
    }
}

fn status_of(view: &SearchView) -> StatusCode {
    if view.refused {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    }
}

/// Parses, searches and builds the view. `scoped`: the page searches only
/// `scope` (an agency subtree); otherwise it searches everything and
/// `scope` only lists the agencies the `org` filter may name.
async fn run(
    state: &AppState,
    orgs: &[Organisation],
    scope: &[OrgId],
    scoped: bool,
    action: &str,
    raw: RawQuery,
) -> Result<SearchView, AppError> {
    let this_year = state.today().year();
    let (p, parsed) = match raw {
        Ok(Query(v)) => {
            let p = Params::from_pairs(&v);
            let parsed = Search::parse(&p, scope, Taxonomy::shipped(), this_year);
            (p, parsed)
        }
        Err(_) => {
            let mut e = FieldErrors::new();
            e.add("query", "网址中的检索参数格式有误，请重新检索");
            (Params::default(), Err(e))
        }
    };
    let s = match parsed {
        Ok(s) => s,
        Err(errors) => return Ok(refused(orgs, scope, &p, &errors, action, this_year)),
    };
    let tax = Taxonomy::shipped();
    let query = gongkai_search::Query {
        text: s.q.clone(),
        org_ids: match s.org {
            Some(o) => vec![o],
            None if scoped => scope.to_vec(),
            None => Vec::new(),
        },
        topic: s.topic.as_deref().map(|t| tax.topic_name(t).to_string()),
        validity: s.validity.map(|v| v.label().to_string()),
        year: s.year,
        sort: s.sort,
        offset: s.offset(),
        limit: PAGE_SIZE,
        ..gongkai_search::Query::default()
    };
    let index = state.search.clone();
    let mut results = tokio::task::spawn_blocking(move || index.search(&query))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    drop_stale_hits(state, &mut results).await?;
    Ok(view(orgs, scope, &p, &s, results, action, this_year))
}

/// Removes hits the store no longer shows (withdrawn or changed to
/// 依申请公开 since the index was written), so a lagging index never
/// leads anyone to a withdrawn item.
pub(crate) async fn drop_stale_hits(
    state: &AppState,
    results: &mut Results,
) -> Result<(), AppError> {
    if results.hits.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let public: HashSet<i64> = state
        .store
        .public_item_ids(&ids)
        .await?
        .into_iter()
        .collect();
    let before = results.hits.len();
    results.hits.retain(|h| public.contains(&h.id));
    let dropped = before - results.hits.len();
    if dropped > 0 {
        tracing::debug!(dropped, "search hits no longer public; index lags");
        results.total = results.total.saturating_sub(dropped);
    }
    Ok(())
}

fn pieces(segments: Vec<Segment>) -> Vec<Piece> {
    segments
        .into_iter()
        .map(|s| Piece {
            text: s.text,
            mark: s.highlighted,
        })
        .collect()
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn view(
    orgs: &[Organisation],
    scope: &[OrgId],
    p: &Params,
    s: &Search,
    r: Results,
    action: &str,
    this_year: i32,
) -> SearchView {
    let tax = Taxonomy::shipped();
    let last_page = r.total.div_ceil(PAGE_SIZE).clamp(1, PAGE_MAX);
    let hits = r
        .hits
        .into_iter()
        .map(|h| HitView {
            href: h.url.clone(),
            title: pieces(h.title),
            snippet: pieces(h.snippet),
            exact: h.exact,
            agency: h.org_name,
            index_no: h.index_no,
            doc_number: if h.doc_nos.is_empty() {
                NO_DOC_NUMBER.to_string()
            } else {
                h.doc_nos.join("、")
            },
            published_on: day(h.published),
            validity: h.validity,
        })
        .collect();

    let mut facets = Vec::new();
    let agencies: Vec<FacetLink> = r
        .facets
        .agencies
        .iter()
        .map(|a| FacetLink {
            label: a.org_name.clone(),
            count: a.count,
            href: s.with(action, |x| x.org = Some(a.org_id)),
            current: s.org == Some(a.org_id),
        })
        .collect();
    facets.push(FacetGroup {
        title: "发布机构",
        links: agencies,
        clear: s.org.map(|_| s.with(action, |x| x.org = None)),
    });
    let topics = r
        .facets
        .topics
        .iter()
        .filter_map(|t| {
            let key = tax.topic(&t.value)?.key.clone();
            Some(FacetLink {
                label: t.value.clone(),
                count: t.count,
                current: s.topic.as_deref() == Some(key.as_str()),
                href: s.with(action, |x| x.topic = Some(key)),
            })
        })
        .collect();
    facets.push(FacetGroup {
        title: "主题分类",
        links: topics,
        clear: s.topic.as_ref().map(|_| s.with(action, |x| x.topic = None)),
    });
    let years = r
        .facets
        .years
        .iter()
        .map(|y| FacetLink {
            label: format!("{}年", y.year),
            count: y.count,
            href: s.with(action, |x| x.year = Some(y.year)),
            current: s.year == Some(y.year),
        })
        .collect();
    facets.push(FacetGroup {
        title: "发布年份",
        links: years,
        clear: s.year.map(|_| s.with(action, |x| x.year = None)),
    });
    let validity = r
        .facets
        .validity
        .iter()
        .filter_map(|v| {
            let kind = ValidityKind::parse(&v.value)?;
            Some(FacetLink {
                label: v.value.clone(),
                count: v.count,
                href: s.with(action, |x| x.validity = Some(kind)),
                current: s.validity == Some(kind),
            })
        })
        .collect();
    facets.push(FacetGroup {
        title: "有效性",
        links: validity,
        clear: s.validity.map(|_| s.with(action, |x| x.validity = None)),
    });
    facets.retain(|f| !f.links.is_empty() || f.clear.is_some());

    let sorts = [
        ("按相关度", Sort::Relevance),
        ("按发布日期", Sort::DateDesc),
    ]
    .into_iter()
    .map(|(label, sort)| SortLink {
        label,
        href: (s.sort != sort).then(|| s.with(action, |x| x.sort = sort)),
    })
    .collect();

    let mut suggestions: Vec<SuggestionGroup> = Vec::new();
    for sug in r.suggestions {
        let heading = match sug.kind {
            SuggestionKind::Spelling => "您是不是要找",
            SuggestionKind::Broader => "减少检索词试试",
            SuggestionKind::Related => "相关检索",
            SuggestionKind::Popular => "热门检索",
        };
        let link = Link {
            href: s.with(action, |x| x.q = sug.text.clone()),
            label: sug.text,
        };
        match suggestions.iter_mut().find(|g| g.title == heading) {
            Some(g) => g.links.push(link),
            None => suggestions.push(SuggestionGroup {
                title: heading,
                links: vec![link],
            }),
        }
    }

    SearchView {
        action: action.to_string(),
        q: s.q.clone(),
        q_error: None,
        selects: selects(orgs, scope, p, Some(s), &FieldErrors::new(), this_year),
        refused: false,
        filtered: s.filtered(),
        total: r.total,
        page: s.page,
        last_page,
        hits,
        facets,
        sorts,
        pages: pager(s, action, last_page),
        suggestions,
        first_href: s.with(action, |_| {}),
        clear_href: clear_filters(s, action),
    }
}

fn refused(
    orgs: &[Organisation],
    scope: &[OrgId],
    p: &Params,
    errors: &FieldErrors,
    action: &str,
    this_year: i32,
) -> SearchView {
    let selects = selects(orgs, scope, p, None, errors, this_year);
    // Errors without a select of their own (the page number, a malformed
    // address) are shown with the text field, which is always there.
    let q_error = [errors.get("q"), errors.get("page"), errors.get("query")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("；");
    SearchView {
        action: action.to_string(),
        q: p.q.clone(),
        q_error: (!q_error.is_empty()).then_some(q_error),
        selects,
        refused: true,
        filtered: true,
        total: 0,
        page: 1,
        last_page: 1,
        hits: Vec::new(),
        facets: Vec::new(),
        sorts: Vec::new(),
        pages: Vec::new(),
        suggestions: Vec::new(),
        first_href: action.to_string(),
        clear_href: action.to_string(),
    }
}

fn clear_filters(s: &Search, action: &str) -> String {
    Search {
        q: s.q.clone(),
        sort: s.sort,
        ..Search::default()
    }
    .href(action)
}

fn opt(value: &str, label: &str, selected: bool) -> Opt {
    Opt {
        value: value.to_string(),
        label: label.to_string(),
        selected,
    }
}

/// The filter selects, reflecting the parsed search or, when it was
/// refused, the raw parameters.
fn selects(
    orgs: &[Organisation],
    scope: &[OrgId],
    p: &Params,
    s: Option<&Search>,
    errors: &FieldErrors,
    this_year: i32,
) -> Vec<Select> {
    let err = |f: &str| errors.get(f).map(str::to_string);
    let mut org = vec![opt("", "全部", p.org.is_empty())];
    org.extend(orgs.iter().filter(|o| scope.contains(&o.id)).map(|o| {
        let v = o.id.to_string();
        opt(&v, &o.name, s.map_or(p.org == v, |s| s.org == Some(o.id)))
    }));
    let by_date = s.map_or(p.sort == "date", |s| s.sort == Sort::DateDesc);
    let sort = vec![
        opt("relevance", "按相关度", !by_date),
        opt("date", "按发布日期", by_date),
    ];
    vec![
        Select {
            name: "org",
            label: "发布机构",
            options: org,
            error: err("org"),
        },
        topic_select(&p.topic, s.map(|s| s.topic.as_deref()), errors),
        year_select(&p.year, s.map(|s| s.year), this_year, errors),
        validity_select(&p.validity, s.map(|s| s.validity), errors),
        Select {
            name: "sort",
            label: "排序",
            options: sort,
            error: err("sort"),
        },
    ]
}

/// 首页 ‹ 2 3 [4] 5 6 › 末页, as on the catalog pages.
fn pager(s: &Search, action: &str, last: usize) -> Vec<PageLink> {
    if last <= 1 && s.page <= 1 {
        return Vec::new();
    }
    let cur = s.page;
    let href = |n: usize| {
        let mut x = s.clone();
        x.page = n;
        x.href(action)
    };
    let link = |label: &str, target: usize, enabled: bool| PageLink {
        label: label.to_string(),
        href: enabled.then(|| href(target)),
        current: false,
    };
    let mut out = vec![
        link("首页", 1, cur != 1),
        link("上一页", cur.saturating_sub(1), cur > 1 && cur - 1 <= last),
    ];
    for n in cur.saturating_sub(2).max(1)..=(cur + 2).min(last) {
        out.push(PageLink {
            label: n.to_string(),
            href: (n != cur).then(|| href(n)),
            current: n == cur,
        });
    }
    out.push(link("下一页", cur + 1, cur < last));
    out.push(link("末页", last, cur != last));
    out
}
