//! The parameters of the search page as GET parameters: parsing (a
//! Chinese message per bad parameter) and writing them back into links.
//! Pure, so every rule is unit-tested without a store or an index.
//!
//! | parameter | meaning | value |
//! |---|---|---|
//! | `q` | 检索词 | up to 100 characters |
//! | `org` | 发布机构 | organisation id (within the page's scope) |
//! | `topic` | 主题分类 | taxonomy key or name |
//! | `year` | 发布年份 | four digits |
//! | `validity` | 有效性 | `effective` · `expired` · `repealed` (or 有效/失效/废止) |
//! | `sort` | 排序 | `relevance` (default) · `date` |
//! | `page` | 页码 | 1, 2, … |

use super::catalog_params::{encode, parse_org, parse_topic, parse_validity, parse_year};
use gongkai_core::OrgId;
use gongkai_core::item::ValidityKind;
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::text::FieldErrors;
use gongkai_search::{MAX_OFFSET, MAX_QUERY_CHARS, Sort};

/// Hits per page.
pub(super) const PAGE_SIZE: usize = 20;
/// The deepest page the index serves (its offset limit).
pub(super) const PAGE_MAX: usize = MAX_OFFSET / PAGE_SIZE + 1;

/// The raw parameters, trimmed; the first occurrence of a name wins.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Params {
    pub q: String,
    pub org: String,
    pub topic: String,
    pub year: String,
    pub validity: String,
    pub sort: String,
    pub page: String,
}

impl Params {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut p = Self::default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "q" => &mut p.q,
                "org" => &mut p.org,
                "topic" => &mut p.topic,
                "year" => &mut p.year,
                "validity" => &mut p.validity,
                "sort" => &mut p.sort,
                "page" => &mut p.page,
                _ => continue,
            };
            if slot.is_empty() {
                *slot = v.trim().to_string();
            }
        }
        p
    }
}

/// Valid parameters: topic as its taxonomy key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Search {
    pub q: String,
    pub org: Option<OrgId>,
    pub topic: Option<String>,
    pub year: Option<i32>,
    pub validity: Option<ValidityKind>,
    pub sort: Sort,
    pub page: usize,
}

impl Default for Search {
    fn default() -> Self {
        Self {
            q: String::new(),
            org: None,
            topic: None,
            year: None,
            validity: None,
            sort: Sort::Relevance,
            page: 1,
        }
    }
}

impl Search {
    /// Parses every parameter and reports every bad one at once. `org_ids`
    /// are the agencies the page may search.
    pub fn parse(
        p: &Params,
        org_ids: &[OrgId],
        tax: &Taxonomy,
        this_year: i32,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut s = Search::default();
        if p.q.chars().count() > MAX_QUERY_CHARS {
            e.add("q", format!("检索词不能超过{MAX_QUERY_CHARS}个字"));
        } else {
            s.q = p.q.clone();
        }
        s.org = parse_org(&p.org, org_ids, &mut e);
        s.topic = parse_topic(&p.topic, tax, &mut e);
        s.year = parse_year(&p.year, this_year, &mut e);
        s.validity = parse_validity(&p.validity, &mut e);
        match p.sort.as_str() {
            "" | "relevance" => {}
            "date" => s.sort = Sort::DateDesc,
            _ => e.add("sort", "排序方式应为按相关度或按发布日期"),
        }
        if !p.page.is_empty() {
            match p.page.parse::<usize>() {
                Ok(n) if (1..=PAGE_MAX).contains(&n) => s.page = n,
                _ => e.add("page", format!("页码应为1至{PAGE_MAX}之间的整数")),
            }
        }
        e.into_result(s)
    }

    /// True when a filter (not the text, sort or page) is set.
    pub fn filtered(&self) -> bool {
        self.org.is_some() || self.topic.is_some() || self.year.is_some() || self.validity.is_some()
    }

    pub fn offset(&self) -> usize {
        (self.page - 1) * PAGE_SIZE
    }

    /// `path?q=…&…` for these parameters (page 1 and the default sort left out).
    pub fn href(&self, path: &str) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(o) = self.org {
            pairs.push(("org", o.to_string()));
        }
        if let Some(t) = &self.topic {
            pairs.push(("topic", t.clone()));
        }
        if let Some(y) = self.year {
            pairs.push(("year", y.to_string()));
        }
        if let Some(v) = self.validity {
            pairs.push(("validity", v.as_str().to_string()));
        }
        if self.sort == Sort::DateDesc {
            pairs.push(("sort", "date".into()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if pairs.is_empty() {
            return path.to_string();
        }
        let q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        format!("{path}?{}", q.join("&"))
    }

    /// The link for a changed search, back on page 1.
    pub fn with(&self, path: &str, change: impl FnOnce(&mut Search)) -> String {
        let mut s = self.clone();
        s.page = 1;
        change(&mut s);
        s.href(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(list: &[(&str, &str)]) -> Params {
        let v: Vec<(String, String)> = list
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Params::from_pairs(&v)
    }

    fn parse(list: &[(&str, &str)]) -> Result<Search, FieldErrors> {
        Search::parse(&params(list), &[1, 2], Taxonomy::shipped(), 2026)
    }

    #[test]
    fn valid_parameters_are_normalised() {
        let s = parse(&[
            ("q", " 政务公开 "),
            ("org", "2"),
            ("topic", "民政、扶贫、救灾"),
            ("year", "2025"),
            ("validity", "有效"),
            ("sort", "date"),
            ("page", "3"),
            ("utm_source", "x"),
        ])
        .unwrap();
        assert_eq!(s.q, "政务公开");
        assert_eq!(s.org, Some(2));
        assert_eq!(s.topic.as_deref(), Some("civil_affairs"));
        assert_eq!(s.year, Some(2025));
        assert_eq!(s.validity, Some(ValidityKind::Effective));
        assert_eq!(s.sort, Sort::DateDesc);
        assert_eq!(s.offset(), 40);
    }

    #[test]
    fn every_bad_parameter_is_reported() {
        let long = "政".repeat(MAX_QUERY_CHARS + 1);
        let e = parse(&[
            ("q", &long),
            ("org", "9"),
            ("topic", "天气"),
            ("year", "2099"),
            ("validity", "maybe"),
            ("sort", "random"),
            ("page", "0"),
        ])
        .unwrap_err();
        for f in ["q", "org", "topic", "year", "validity", "sort", "page"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn links_keep_the_other_parameters_and_reset_the_page() {
        let s = parse(&[("q", "养老 服务"), ("year", "2024"), ("page", "2")]).unwrap();
        assert_eq!(
            s.href("/search"),
            "/search?q=%E5%85%BB%E8%80%81%20%E6%9C%8D%E5%8A%A1&year=2024&page=2"
        );
        assert_eq!(
            s.with("/search", |s| s.validity = Some(ValidityKind::Repealed)),
            "/search?q=%E5%85%BB%E8%80%81%20%E6%9C%8D%E5%8A%A1&year=2024&validity=repealed"
        );
        assert_eq!(Search::default().href("/search"), "/search");
    }
}
