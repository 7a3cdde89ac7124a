//! Query parameters shared by the list endpoints: the query string as
//! typed structs (the same structs the OpenAPI document describes, so the
//! two cannot drift), paging, and the agency scope. Filter values are
//! checked by the catalog's own parser (`portal::catalog_params`), so the
//! API and the HTML catalog accept exactly the same values with the same
//! Chinese messages.

use super::problem::Problem;
use crate::portal::catalog_params::Params;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use gongkai_core::OrgId;
use gongkai_core::org::Organisation;
use gongkai_core::org_tree::OrgTree;
use gongkai_core::text::FieldErrors;
use serde::Deserialize;
use utoipa::IntoParams;

/// Results per page unless `per_page` says otherwise.
pub const PER_PAGE_DEFAULT: i64 = 20;
/// Largest `per_page`.
pub const PER_PAGE_MAX: i64 = 100;

/// Internal field names of the catalog parser → the API's parameter names.
pub const RENAMED: &[(&str, &str)] = &[("kind", "doc_kind")];

/// The query string of `GET /items`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// 发布机构: an agency id from `GET /agencies`.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub org: Option<String>,
    /// With `org`: also list the items of the agencies below it
    /// (e.g. a county government and its departments and townships).
    #[param(value_type = Option<bool>)]
    pub include_sub_agencies: Option<String>,
    /// 栏目: a column id of the agency given in `org` (from
    /// `GET /agencies/{id}/columns`), or a default column key such as
    /// `policy` that is matched in every agency's tree. Items of
    /// sub-columns are included.
    pub column: Option<String>,
    /// 主题分类: a topic key (e.g. `finance`) or its Chinese name.
    pub topic: Option<String>,
    /// 体裁: a genre key (e.g. `notice`) or its Chinese name.
    pub genre: Option<String>,
    /// 文件类型: `rule` (规章), `normative` (行政规范性文件) or `other` (其他).
    #[param(example = "normative")]
    pub doc_kind: Option<String>,
    /// 有效性: `effective` (有效), `expired` (失效) or `repealed` (废止).
    #[param(example = "effective")]
    pub validity: Option<String>,
    /// Year of the 发布日期 (four digits).
    #[param(value_type = Option<i32>, example = 2025)]
    pub year: Option<String>,
    /// Page number, from 1. Page numbers reach the newest 10,000 matches
    /// (`page × per_page` ≤ 10000); walk further with `after`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub page: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
    /// Keyset paging: the items after this position, as given in
    /// `next_after` (and the `Link` rel="next") of the previous page. Reaches
    /// every item however deep; cannot be combined with `page`.
    #[param(example = "20250301-1234")]
    pub after: Option<String>,
}

/// The query string of `GET /search`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Search text, simplified or traditional Chinese (at most 100
    /// characters are used). Every word must occur; an exact 发文字号 or
    /// 索引号 (any bracket style) ranks its item first. Empty: every item,
    /// newest first.
    #[param(example = "政务公开")]
    pub q: Option<String>,
    /// 发布机构: an agency id from `GET /agencies`.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub org: Option<String>,
    /// With `org`: also search the agencies below it.
    #[param(value_type = Option<bool>)]
    pub include_sub_agencies: Option<String>,
    /// 主题分类: a topic key or its Chinese name.
    pub topic: Option<String>,
    /// Year of the 发布日期 (four digits).
    #[param(value_type = Option<i32>)]
    pub year: Option<String>,
    /// 有效性: `effective`, `expired` or `repealed`.
    pub validity: Option<String>,
    /// `relevance` (default) or `date` (newest 发布日期 first).
    #[param(example = "date")]
    pub sort: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Hits per page, 1 to 100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

/// The query string, or the problem naming it when it cannot be read at all
/// (a parameter given twice, invalid percent-encoding).
pub fn read<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, Problem> {
    q.map(|Query(v)| v).map_err(|_| {
        Problem::invalid_one(
            "query",
            "查询参数无法解析：请检查编码，且每个参数只出现一次",
        )
    })
}

fn text(v: &Option<String>) -> String {
    v.as_deref().map(str::trim).unwrap_or_default().to_string()
}

impl ItemsQuery {
    /// The catalog's parameters (the numeric column id is handled apart,
    /// because the catalog parser knows only one kind of column per view).
    pub fn catalog_params(&self) -> Params {
        Params {
            org: text(&self.org),
            column: text(&self.column),
            topic: text(&self.topic),
            genre: text(&self.genre),
            kind: text(&self.doc_kind),
            validity: text(&self.validity),
            year: text(&self.year),
            page: text(&self.page),
        }
    }
}

impl SearchQuery {
    pub fn catalog_params(&self) -> Params {
        Params {
            org: text(&self.org),
            topic: text(&self.topic),
            validity: text(&self.validity),
            year: text(&self.year),
            page: text(&self.page),
            ..Params::default()
        }
    }
}

/// `per_page`, checked; the error is added to `e`.
pub fn per_page(raw: &Option<String>, e: &mut FieldErrors) -> i64 {
    let raw = text(raw);
    if raw.is_empty() {
        return PER_PAGE_DEFAULT;
    }
    match raw.parse::<i64>() {
        Ok(n) if (1..=PER_PAGE_MAX).contains(&n) => n,
        _ => {
            e.add(
                "per_page",
                format!("每页条数应为1至{PER_PAGE_MAX}之间的整数"),
            );
            PER_PAGE_DEFAULT
        }
    }
}

/// `include_sub_agencies`, checked; it needs `org`.
pub fn include_sub(raw: &Option<String>, has_org: bool, e: &mut FieldErrors) -> bool {
    let on = match text(raw).as_str() {
        "" | "false" | "0" => false,
        "true" | "1" => true,
        _ => {
            e.add("include_sub_agencies", "应为 true 或 false");
            return false;
        }
    };
    if on && !has_org {
        e.add(
            "include_sub_agencies",
            "请同时用 org 指定上级机构，才能包含其下属机构",
        );
    }
    on
}

/// The agencies whose items are asked for: `None` for all of them.
pub fn agency_scope(
    orgs: &[Organisation],
    org: Option<OrgId>,
    include_sub: bool,
) -> Option<Vec<OrgId>> {
    let org = org?;
    if include_sub {
        Some(OrgTree::from_orgs(orgs).subtree(org))
    } else {
        Some(vec![org])
    }
}

/// `?a=1&b=2` from pairs (values percent-encoded), empty for no pairs.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let q: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::portal::catalog_params::encode(v)))
        .collect();
    format!("?{}", q.join("&"))
}

/// The links of a paged list as (rel, URL): first, prev, next, last.
/// `href(page)` gives the absolute URL of a page.
pub fn page_links(
    page: i64,
    last: i64,
    href: impl Fn(i64) -> String,
) -> Vec<(&'static str, String)> {
    let mut links = vec![("first", href(1))];
    if page > 1 {
        links.push(("prev", href((page - 1).min(last))));
    }
    if page < last {
        links.push(("next", href(page + 1)));
    }
    links.push(("last", href(last)));
    links
}

/// Links as a `Link` header value (RFC 8288).
pub fn link_value(links: &[(&str, String)]) -> String {
    links
        .iter()
        .map(|(rel, url)| format!("<{url}>; rel=\"{rel}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `Link` header of a paged list: first, prev, next, last.
pub fn link_header(page: i64, last: i64, href: impl Fn(i64) -> String) -> String {
    link_value(&page_links(page, last, href))
}

/// Pages needed for `total` results (at least 1).
pub fn last_page(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_page_is_bounded() {
        let mut e = FieldErrors::new();
        assert_eq!(per_page(&None, &mut e), 20);
        assert_eq!(per_page(&Some(" 100 ".into()), &mut e), 100);
        assert!(e.is_empty());
        for bad in ["0", "101", "x", "-5"] {
            let mut e = FieldErrors::new();
            per_page(&Some(bad.into()), &mut e);
            assert_eq!(
                e.get("per_page"),
                Some("每页条数应为1至100之间的整数"),
                "{bad}"
            );
        }
    }

    #[test]
    fn sub_agencies_need_an_agency() {
        let mut e = FieldErrors::new();
        assert!(include_sub(&Some("true".into()), true, &mut e));
        assert!(!include_sub(&Some("0".into()), false, &mut e));
        assert!(e.is_empty());
        include_sub(&Some("true".into()), false, &mut e);
        assert!(e.get("include_sub_agencies").is_some());
        let mut e = FieldErrors::new();
        include_sub(&Some("yes".into()), true, &mut e);
        assert_eq!(e.get("include_sub_agencies"), Some("应为 true 或 false"));
    }

    #[test]
    fn links_point_to_neighbours_and_ends() {
        let h = |p: i64| format!("/x?page={p}");
        assert_eq!(
            link_header(2, 3, h),
            "</x?page=1>; rel=\"first\", </x?page=1>; rel=\"prev\", </x?page=3>; rel=\"next\", </x?page=3>; rel=\"last\""
        );
        let h = |p: i64| format!("/x?page={p}");
        assert!(!link_header(1, 1, h).contains("next"));
        assert_eq!(last_page(0, 20), 1);
        assert_eq!(last_page(41, 20), 3);
        assert_eq!(
            query_string(&[("q", "政务 公开".into())]),
            "?q=%E6%94%BF%E5%8A%A1%20%E5%85%AC%E5%BC%80"
        );
    }
}
