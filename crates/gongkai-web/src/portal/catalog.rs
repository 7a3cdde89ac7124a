//! The public 主动公开 catalog (政府信息公开目录): listings across the
//! jurisdiction (`/catalog`), per agency (`/agency/{id}/catalog`, the
//! 专栏's 法定主动公开内容) and per 栏目 (`/agency/{id}/catalog/{column}`).
//! Filters are GET parameters ([`super::catalog_params`]) so that a
//! filtered list can be bookmarked and shared; a bad parameter gives the
//! page back with a Chinese message next to the filter, status 400.
//!
//! Only what `ItemStore::list_catalog` returns is shown: published
//! 主动公开 items. The item page is [`super::catalog_item`], feeds and the
//! sitemap are [`super::feeds`].

use super::agency::{self, AgencyFrame, Link};
use super::catalog_params::{ColumnFilter, Filters, PAGE_SIZE, Params, Scope, YEAR_SELECT_FROM};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::Datelike;
use gongkai_core::OrgId;
use gongkai_core::item::column::{self, Column};
use gongkai_core::item::query::{CATALOG_COUNT_CAP, CatalogEntry, CatalogPage, CatalogQuery};
use gongkai_core::item::taxonomy::{Taxonomy, default_columns};
use gongkai_core::item::{ColumnId, DocKind, ValidityKind};
use gongkai_core::org::{OrgKind, OrgLevel, Organisation};
use gongkai_core::text::FieldErrors;

type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// One line of a listing.
pub(super) struct Row {
    pub href: String,
    pub title: String,
    pub index_no: String,
    pub doc_number: String,
    pub published_on: String,
    /// 失效/废止 (nothing for 有效, which is the normal case).
    pub validity: Option<&'static str>,
    /// 发布机构, in the jurisdiction view.
    pub agency: Option<String>,
}

pub(super) struct PageLink {
    pub label: String,
    pub href: Option<String>,
    pub current: bool,
}

/// The result part of a listing page.
pub(super) struct Results {
    pub total: i64,
    /// More than [`CATALOG_COUNT_CAP`] match: `total` is the cap, and only
    /// that many can be paged through.
    pub total_capped: bool,
    pub rows: Vec<Row>,
    pub pages: Vec<PageLink>,
    pub page: i64,
    pub last_page: i64,
    /// Set when the filters themselves are wrong: no list is shown.
    pub refused: bool,
}

pub(super) struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A filter `<select>` with its error.
pub(super) struct Select {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<Opt>,
    pub error: Option<String>,
}

pub(super) struct FilterForm {
    pub action: String,
    pub selects: Vec<Select>,
    /// Messages of parameters that have no select here (the page number).
    pub other_errors: Vec<String>,
    pub active: bool,
}

/// A column in the column navigation.
pub(super) struct ColumnNav {
    pub href: String,
    pub label: String,
    pub depth: usize,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "portal/catalog.html")]
struct JurisdictionPage {
    layout: Layout,
    form: FilterForm,
    results: Results,
    feed_href: String,
}

#[derive(Template)]
#[template(path = "portal/catalog_agency.html")]
struct AgencyPage {
    layout: Layout,
    agency: AgencyFrame,
    heading: String,
    basis: Option<String>,
    columns: Vec<ColumnNav>,
    form: FilterForm,
    results: Results,
    feed_href: String,
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(super) fn item_href(id: i64) -> String {
    format!("/items/{id}")
}

fn row(e: CatalogEntry, orgs: Option<&[Organisation]>) -> Row {
    Row {
        href: item_href(e.id),
        validity: match e.validity.kind() {
            ValidityKind::Effective => None,
            k => Some(k.label()),
        },
        doc_number: e
            .doc_number
            .unwrap_or_else(|| gongkai_core::item::metadata::NO_DOC_NUMBER.to_string()),
        published_on: day(e.published_on),
        index_no: e.index_no.as_str().to_string(),
        title: e.title,
        agency: orgs.map(|orgs| {
            orgs.iter()
                .find(|o| o.id == e.org_id)
                .map_or_else(String::new, |o| o.name.clone())
        }),
    }
}

fn results(page: CatalogPage, f: &Filters, path: &str, orgs: Option<&[Organisation]>) -> Results {
    let total = page.total_count();
    let last_page = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Results {
        total,
        total_capped: page.total.is_some_and(|t| !t.is_exact()),
        rows: page.entries.into_iter().map(|e| row(e, orgs)).collect(),
        pages: pager(f, path, last_page),
        page: f.page,
        last_page,
        refused: false,
    }
}

fn refused() -> Results {
    Results {
        total: 0,
        total_capped: false,
        rows: Vec::new(),
        pages: Vec::new(),
        page: 1,
        last_page: 1,
        refused: true,
    }
}

/// 首页 ‹ 2 3 [4] 5 6 › 末页, without links for the current page and
/// for steps that lead nowhere.
fn pager(f: &Filters, path: &str, last: i64) -> Vec<PageLink> {
    if last <= 1 && f.page <= 1 {
        return Vec::new();
    }
    let cur = f.page;
    let link = |label: String, target: i64, enabled: bool| PageLink {
        label,
        href: enabled.then(|| f.href(path, target)),
        current: false,
    };
    let mut out = vec![
        link("首页".into(), 1, cur != 1),
        link("上一页".into(), cur - 1, cur > 1 && cur - 1 <= last),
    ];
    let from = (cur - 2).max(1);
    let to = (cur + 2).min(last);
    for n in from..=to {
        out.push(PageLink {
            label: n.to_string(),
            href: (n != cur).then(|| f.href(path, n)),
            current: n == cur,
        });
    }
    out.push(link("下一页".into(), cur + 1, cur < last));
    out.push(link("末页".into(), last, cur != last));
    out
}

fn opt(value: &str, label: &str, selected: bool) -> Opt {
    Opt {
        value: value.to_string(),
        label: label.to_string(),
        selected,
    }
}

/// The selects common to every listing, reflecting the parsed filters or,
/// when they were refused, the raw parameters.
fn common_selects(
    p: &Params,
    f: Option<&Filters>,
    errors: &FieldErrors,
    this_year: i32,
) -> Vec<Select> {
    let tax = Taxonomy::shipped();
    let sel = |raw: &str, value: &str, parsed: Option<bool>| parsed.unwrap_or(raw == value);
    let err = |field: &str| errors.get(field).map(str::to_string);
    let mut genre = vec![opt("", "全部", p.genre.is_empty())];
    genre.extend(tax.genres.iter().map(|g| {
        let parsed = f.map(|f| f.genre.as_deref() == Some(g.key.as_str()));
        opt(&g.key, &g.name, sel(&p.genre, &g.key, parsed))
    }));
    let mut kind = vec![opt("", "全部", p.kind.is_empty())];
    kind.extend(DocKind::ALL.iter().map(|k| {
        let parsed = f.map(|f| f.kind == Some(*k));
        opt(k.as_str(), k.label(), sel(&p.kind, k.as_str(), parsed))
    }));
    vec![
        topic_select(&p.topic, f.map(|f| f.topic.as_deref()), errors),
        Select {
            name: "genre",
            label: "体裁",
            options: genre,
            error: err("genre"),
        },
        Select {
            name: "kind",
            label: "文件类型",
            options: kind,
            error: err("kind"),
        },
        validity_select(&p.validity, f.map(|f| f.validity), errors),
        year_select(&p.year, f.map(|f| f.year), this_year, errors),
    ]
}

// The selects of the filters the catalog and the search page share. Each
// shows the parsed value, or the raw parameter when `parsed` is `None`
// (the parameters were refused, and the form shows what was sent).

/// 主题分类, by taxonomy key.
pub(super) fn topic_select(
    raw: &str,
    parsed: Option<Option<&str>>,
    errors: &FieldErrors,
) -> Select {
    let mut options = vec![opt("", "全部", raw.is_empty())];
    options.extend(Taxonomy::shipped().topics.iter().map(|t| {
        let selected = parsed.map_or(raw == t.key, |x| x == Some(t.key.as_str()));
        opt(&t.key, &t.name, selected)
    }));
    Select {
        name: "topic",
        label: "主题分类",
        options,
        error: errors.get("topic").map(str::to_string),
    }
}

/// 有效性.
pub(super) fn validity_select(
    raw: &str,
    parsed: Option<Option<ValidityKind>>,
    errors: &FieldErrors,
) -> Select {
    let mut options = vec![opt("", "全部", raw.is_empty())];
    options.extend(ValidityKind::ALL.iter().map(|v| {
        let selected = parsed.map_or(raw == v.as_str(), |x| x == Some(*v));
        opt(v.as_str(), v.label(), selected)
    }));
    Select {
        name: "validity",
        label: "有效性",
        options,
        error: errors.get("validity").map(str::to_string),
    }
}

/// 发布年份, newest first, from [`YEAR_SELECT_FROM`] to `this_year`.
pub(super) fn year_select(
    raw: &str,
    parsed: Option<Option<i32>>,
    this_year: i32,
    errors: &FieldErrors,
) -> Select {
    let mut options = vec![opt("", "全部", raw.is_empty())];
    options.extend((YEAR_SELECT_FROM..=this_year).rev().map(|y| {
        let v = y.to_string();
        let selected = parsed.map_or(raw == v, |x| x == Some(y));
        opt(&v, &format!("{y}年"), selected)
    }));
    Select {
        name: "year",
        label: "发布年份",
        options,
        error: errors.get("year").map(str::to_string),
    }
}

fn other_errors(errors: &FieldErrors) -> Vec<String> {
    errors
        .0
        .iter()
        .filter(|e| matches!(e.field, "page" | "query"))
        .map(|e| e.message.clone())
        .collect()
}

fn status_of(results: &Results) -> StatusCode {
    if results.refused {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    }
}

fn respond<T: Template>(status: StatusCode, page: &T) -> Result<Response, AppError> {
    Ok((status, Html(page.render()?)).into_response())
}

/// The default columns (statutory and grassroots) as (key, name), for the
/// jurisdiction view's column filter: agencies' trees differ, but their
/// seeded columns share these keys.
pub(crate) fn default_column_choices() -> Vec<(String, String)> {
    default_columns(OrgKind::TownshipStreet, OrgLevel::Township)
        .into_iter()
        .filter(|s| s.parent.is_some())
        .map(|s| (s.key, s.name))
        .collect()
}

/// How many items the home page's 最新公开 shows.
const LATEST: i64 = 8;

/// The newest published items of the whole jurisdiction, for the home page.
pub(super) async fn latest(state: &AppState, orgs: &[Organisation]) -> Result<Vec<Row>, AppError> {
    let page = state
        .store
        .list_catalog(&CatalogQuery {
            limit: LATEST,
            ..Default::default()
        })
        .await?;
    Ok(page
        .entries
        .into_iter()
        .map(|e| row(e, Some(orgs)))
        .collect())
}

/// The raw parameters and, when they are valid, the filters.
fn read(q: RawQuery, scope: Scope<'_>, this_year: i32) -> (Params, Result<Filters, FieldErrors>) {
    match q {
        Ok(Query(v)) => {
            let p = Params::from_pairs(&v);
            let f = Filters::parse(&p, scope, Taxonomy::shipped(), this_year);
            (p, f)
        }
        Err(_) => {
            let mut e = FieldErrors::new();
            e.add("query", "网址中的筛选参数格式有误，请重新选择筛选条件");
            (Params::default(), Err(e))
        }
    }
}

/// `/catalog`: every agency's published items.
pub(super) async fn jurisdiction(
    State(state): State<AppState>,
    q: RawQuery,
) -> Result<Response, AppError> {
    let orgs = state.store.list_orgs().await?;
    let org_ids: Vec<OrgId> = orgs.iter().map(|o| o.id).collect();
    let choices = default_column_choices();
    let keys: Vec<&str> = choices.iter().map(|(k, _)| k.as_str()).collect();
    let (p, parsed) = read(
        q,
        Scope::Jurisdiction {
            org_ids: &org_ids,
            column_keys: &keys,
        },
        state.today().year(),
    );
    let results = match &parsed {
        Ok(f) => {
            let page = state.store.list_catalog(&jurisdiction_query(f)).await?;
            results(page, f, "/catalog", Some(&orgs))
        }
        Err(_) => refused(),
    };
    let errors = parsed.as_ref().err().cloned().unwrap_or_default();
    let f = parsed.as_ref().ok();
    let mut org_opts = vec![opt("", "全部", p.org.is_empty())];
    org_opts.extend(orgs.iter().map(|o| {
        let v = o.id.to_string();
        let selected = f.map_or(p.org == v, |f| f.org == Some(o.id));
        let label = if o.active {
            o.name.clone()
        } else {
            format!("{}（已撤并）", o.name)
        };
        opt(&v, &label, selected)
    }));
    let mut column_opts = vec![opt("", "全部", p.column.is_empty())];
    column_opts.extend(choices.iter().map(|(k, name)| {
        let selected = f.map_or(p.column == *k, |f| {
            f.column == Some(ColumnFilter::Key(k.clone()))
        });
        opt(k, name, selected)
    }));
    let mut selects = vec![
        Select {
            name: "org",
            label: "发布机构",
            options: org_opts,
            error: errors.get("org").map(str::to_string),
        },
        Select {
            name: "column",
            label: "栏目",
            options: column_opts,
            error: errors.get("column").map(str::to_string),
        },
    ];
    selects.extend(common_selects(&p, f, &errors, state.today().year()));
    let page = JurisdictionPage {
        layout: Layout::portal_with(&state.config, &orgs, "政府信息公开目录"),
        form: FilterForm {
            action: "/catalog".into(),
            selects,
            other_errors: other_errors(&errors),
            active: f.is_some_and(Filters::any),
        },
        feed_href: "/catalog/feed.atom".into(),
        results,
    };
    respond(status_of(&page.results), &page)
}

/// The store query of the jurisdiction view. A column key is matched in
/// every agency's tree (with sub-columns) by the store, so the cost does not
/// grow with the number of agencies.
pub(crate) fn jurisdiction_query(f: &Filters) -> CatalogQuery {
    CatalogQuery {
        org_ids: f.org.map(|o| vec![o]),
        column_key: match &f.column {
            Some(ColumnFilter::Key(key)) => Some(key.clone()),
            _ => None,
        },
        topic: f.topic.clone(),
        genre: f.genre.clone(),
        doc_kind: f.kind,
        validity: f.validity,
        year: f.year,
        limit: PAGE_SIZE,
        offset: f.offset(),
        after: None,
        count_up_to: Some(CATALOG_COUNT_CAP),
        column_ids: Vec::new(),
    }
}

/// `/agency/{id}/catalog`: the 专栏's 法定主动公开内容.
pub(super) async fn agency_catalog(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: RawQuery,
) -> Result<Response, AppError> {
    let (orgs, idx) = agency::load(&state, &id).await?;
    let columns = state.store.list_item_columns(orgs[idx].id).await?;
    agency_listing(&state, &orgs, &orgs[idx], &columns, None, q).await
}

/// `/agency/{id}/catalog/{column}`: one 栏目 with its sub-columns.
pub(super) async fn column_catalog(
    State(state): State<AppState>,
    Path((id, column_id)): Path<(String, String)>,
    q: RawQuery,
) -> Result<Response, AppError> {
    let (orgs, idx) = agency::load(&state, &id).await?;
    let columns = state.store.list_item_columns(orgs[idx].id).await?;
    let current = find_column(&columns, &column_id)?;
    agency_listing(&state, &orgs, &orgs[idx], &columns, Some(current), q).await
}

/// A column of this agency by the id in the URL; anything else is a 404.
pub(super) fn find_column<'a>(columns: &'a [Column], raw: &str) -> Result<&'a Column, AppError> {
    let id: ColumnId = raw.parse().map_err(|_| AppError::NotFound)?;
    columns
        .iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)
}

/// The root of the statutory tree stands for the catalog page itself and
/// is left out of navigation and breadcrumbs.
fn is_catalog_root(c: &Column) -> bool {
    c.parent_id.is_none() && c.key.as_deref() == Some("statutory")
}

/// Columns in tree order with their depth (children after their parent,
/// siblings in stored order). The bound on depth guards against loops.
pub(crate) fn tree_order(columns: &[Column]) -> Vec<(&Column, usize)> {
    fn walk<'a>(
        columns: &'a [Column],
        parent: Option<ColumnId>,
        depth: usize,
        out: &mut Vec<(&'a Column, usize)>,
    ) {
        if depth > 16 {
            return;
        }
        for c in columns.iter().filter(|c| c.parent_id == parent) {
            out.push((c, depth));
            walk(columns, Some(c.id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(columns, None, 0, &mut out);
    out
}

/// The column navigation: active columns, the statutory root left out
/// (its children are the top level).
fn column_nav(columns: &[Column], org_id: OrgId, current: Option<ColumnId>) -> Vec<ColumnNav> {
    tree_order(columns)
        .into_iter()
        .filter(|(c, _)| c.active && !is_catalog_root(c))
        .map(|(c, depth)| {
            let under_root = columns
                .iter()
                .find(|p| Some(p.id) == c.parent_id)
                .is_some_and(is_catalog_root)
                || depth == 0;
            let depth = if under_root {
                0
            } else {
                depth.saturating_sub(1)
            };
            ColumnNav {
                href: format!("/agency/{org_id}/catalog/{}", c.id),
                label: c.name.clone(),
                depth,
                current: current == Some(c.id),
            }
        })
        .collect()
}

/// The breadcrumb above a column page: the column's ancestors below the
/// statutory root, after 法定主动公开内容.
pub(super) fn column_crumbs(columns: &[Column], org_id: OrgId, id: ColumnId) -> Vec<Link> {
    let mut chain = Vec::new();
    let mut cur = columns
        .iter()
        .find(|c| c.id == id)
        .and_then(|c| c.parent_id);
    for _ in 0..=columns.len() {
        let Some(c) = cur.and_then(|i| columns.iter().find(|c| c.id == i)) else {
            break;
        };
        if !is_catalog_root(c) {
            chain.push(Link {
                href: format!("/agency/{org_id}/catalog/{}", c.id),
                label: c.name.clone(),
            });
        }
        cur = c.parent_id;
    }
    chain.reverse();
    chain
}

async fn agency_listing(
    state: &AppState,
    orgs: &[Organisation],
    org: &Organisation,
    columns: &[Column],
    current: Option<&Column>,
    q: RawQuery,
) -> Result<Response, AppError> {
    let column_ids: Vec<ColumnId> = columns.iter().map(|c| c.id).collect();
    let scope = match current {
        Some(_) => Scope::Column,
        None => Scope::Agency {
            column_ids: &column_ids,
        },
    };
    let (p, parsed) = read(q, scope, state.today().year());
    let path = match current {
        Some(c) => format!("/agency/{}/catalog/{}", org.id, c.id),
        None => format!("/agency/{}/catalog", org.id),
    };
    let results = match &parsed {
        Ok(f) => {
            let column_ids = match (current, &f.column) {
                (Some(c), _) => column::subtree(columns, c.id),
                (None, Some(ColumnFilter::Id(c))) => column::subtree(columns, *c),
                _ => Vec::new(),
            };
            let page = state
                .store
                .list_catalog(&CatalogQuery {
                    org_ids: Some(vec![org.id]),
                    column_ids,
                    topic: f.topic.clone(),
                    genre: f.genre.clone(),
                    doc_kind: f.kind,
                    validity: f.validity,
                    year: f.year,
                    limit: PAGE_SIZE,
                    offset: f.offset(),
                    after: None,
                    count_up_to: Some(CATALOG_COUNT_CAP),
                    column_key: None,
                })
                .await?;
            results(page, f, &path, None)
        }
        Err(_) => refused(),
    };
    let errors = parsed.as_ref().err().cloned().unwrap_or_default();
    let f = parsed.as_ref().ok();
    let mut selects = Vec::new();
    if current.is_none() {
        let mut options = vec![opt("", "全部", p.column.is_empty())];
        options.extend(
            tree_order(columns)
                .into_iter()
                .filter(|(c, _)| c.active)
                .map(|(c, depth)| {
                    let v = c.id.to_string();
                    let selected =
                        f.map_or(p.column == v, |f| f.column == Some(ColumnFilter::Id(c.id)));
                    // Full-width spaces show the tree inside a plain <select>.
                    let label = format!("{}{}", "\u{3000}".repeat(depth), c.name);
                    opt(&v, &label, selected)
                }),
        );
        selects.push(Select {
            name: "column",
            label: "栏目",
            options,
            error: errors.get("column").map(str::to_string),
        });
    }
    selects.extend(common_selects(&p, f, &errors, state.today().year()));

    let mut frame = agency::frame(orgs, org, Some("catalog"));
    let (heading, basis, feed_href) = match current {
        Some(c) => {
            let here = std::mem::replace(&mut frame.here, c.name.clone());
            frame.crumbs.push(Link {
                href: format!("/agency/{}/catalog", org.id),
                label: here,
            });
            frame.crumbs.extend(column_crumbs(columns, org.id, c.id));
            (
                c.name.clone(),
                c.basis.clone(),
                format!("/agency/{}/catalog/{}/feed.atom", org.id, c.id),
            )
        }
        None => (
            frame.here.clone(),
            None,
            format!("/agency/{}/feed.atom", org.id),
        ),
    };
    let page = AgencyPage {
        layout: agency::layout(state, orgs, &frame),
        agency: frame,
        heading,
        basis,
        columns: column_nav(columns, org.id, current.map(|c| c.id)),
        form: FilterForm {
            action: path,
            selects,
            other_errors: other_errors(&errors),
            active: f.is_some_and(Filters::any),
        },
        results,
        feed_href,
    };
    respond(status_of(&page.results), &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(id: i64, parent: Option<i64>, key: Option<&str>, name: &str) -> Column {
        Column {
            id,
            org_id: 1,
            parent_id: parent,
            key: key.map(str::to_string),
            name: name.into(),
            basis: None,
            sort_order: 0,
            active: true,
        }
    }

    #[test]
    fn a_capped_count_pages_to_the_cap_and_says_so() {
        use gongkai_core::item::query::CatalogTotal;
        let f = Filters {
            page: 500,
            ..Filters::default()
        };
        let page = CatalogPage {
            entries: Vec::new(),
            total: Some(CatalogTotal::AtLeast(CATALOG_COUNT_CAP)),
        };
        let r = results(page, &f, "/catalog", None);
        assert!(r.total_capped);
        assert_eq!((r.total, r.last_page), (10_000, 500));
        // The pager offers no step past the deepest page.
        let next = r.pages.iter().find(|l| l.label == "下一页").unwrap();
        assert_eq!(next.href, None);
        let exact = CatalogPage {
            entries: Vec::new(),
            total: Some(CatalogTotal::Exact(41)),
        };
        let r = results(exact, &Filters::default(), "/catalog", None);
        assert!(!r.total_capped);
        assert_eq!((r.total, r.last_page), (41, 3));
    }

    /// The result block alone, as the listing pages include it.
    #[derive(Template)]
    #[template(path = "portal/catalog_results.html")]
    struct ResultsBlock {
        results: Results,
        feed_href: String,
        form: FilterForm,
    }

    fn rendered(total: gongkai_core::item::query::CatalogTotal) -> String {
        let block = ResultsBlock {
            results: results(
                CatalogPage {
                    entries: Vec::new(),
                    total: Some(total),
                },
                &Filters::default(),
                "/catalog",
                None,
            ),
            feed_href: "/catalog/feed.atom".into(),
            form: FilterForm {
                action: "/catalog".into(),
                selects: Vec::new(),
                other_errors: Vec::new(),
                active: false,
            },
        };
        block.render().unwrap()
    }

    #[test]
    fn a_capped_count_reads_as_more_than_the_cap_with_a_way_further() {
        use gongkai_core::item::query::CatalogTotal;
        let capped = rendered(CatalogTotal::AtLeast(CATALOG_COUNT_CAP));
        assert!(
            capped.contains("共 <strong>10000</strong> 余条"),
            "{capped}"
        );
        assert!(capped.contains("仅列出最新的 10000 条"), "{capped}");
        assert!(capped.contains("href=\"/search\""), "{capped}");
        let exact = rendered(CatalogTotal::Exact(41));
        assert!(exact.contains("共 <strong>41</strong> 条"), "{exact}");
        assert!(
            !exact.contains("余条") && !exact.contains("仅列出"),
            "{exact}"
        );
    }

    #[test]
    fn navigation_starts_below_the_statutory_root() {
        let mut hidden = col(5, Some(1), None, "停用栏目");
        hidden.active = false;
        let cols = vec![
            col(1, None, Some("statutory"), "法定主动公开内容"),
            col(2, Some(1), Some("policy"), "政策文件"),
            col(3, Some(2), Some("policy_other"), "其他文件"),
            col(4, Some(1), Some("plans"), "规划计划"),
            hidden,
            col(6, None, Some("grassroots"), "基层政务公开标准目录"),
            col(7, Some(6), None, "涉农补贴"),
        ];
        let nav = column_nav(&cols, 9, Some(3));
        let shown: Vec<(&str, usize, bool)> = nav
            .iter()
            .map(|n| (n.label.as_str(), n.depth, n.current))
            .collect();
        assert_eq!(
            shown,
            [
                ("政策文件", 0, false),
                ("其他文件", 1, true),
                ("规划计划", 0, false),
                ("基层政务公开标准目录", 0, false),
                ("涉农补贴", 0, false),
            ]
        );
        let crumbs: Vec<String> = column_crumbs(&cols, 9, 3)
            .into_iter()
            .map(|l| l.label)
            .collect();
        assert_eq!(crumbs, ["政策文件"]);
        assert_eq!(nav[1].href, "/agency/9/catalog/3");
    }

    #[test]
    fn the_pager_links_neighbours_and_keeps_filters() {
        let f = Filters {
            topic: Some("finance".into()),
            page: 3,
            ..Default::default()
        };
        let links = pager(&f, "/catalog", 9);
        let labels: Vec<&str> = links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            ["首页", "上一页", "1", "2", "3", "4", "5", "下一页", "末页"]
        );
        assert_eq!(
            links[1].href.as_deref(),
            Some("/catalog?topic=finance&page=2")
        );
        assert_eq!(links[0].href.as_deref(), Some("/catalog?topic=finance"));
        assert!(links[4].current && links[4].href.is_none());
        assert!(pager(&Filters::default(), "/catalog", 1).is_empty());
    }
}
