//! The filters of the public catalog as GET parameters: parsing (with a
//! Chinese message per bad parameter) and writing them back into links.
//! Pure, so that every rule is unit-tested without a store.
//!
//! | parameter | meaning | value |
//! |---|---|---|
//! | `org` | 发布机构 (jurisdiction view only) | organisation id |
//! | `column` | 栏目 | column id (agency view) or default column key (jurisdiction view) |
//! | `topic` | 主题分类 | taxonomy key or name |
//! | `genre` | 体裁 | taxonomy key or name |
//! | `kind` | 文件类型 | `rule` · `normative` · `other` (or the Chinese label) |
//! | `validity` | 有效性 | `effective` · `expired` · `repealed` (or 有效/失效/废止) |
//! | `year` | 发布年份 | four digits |
//! | `page` | 页码 | 1, 2, … |

use gongkai_core::OrgId;
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::item::{ColumnId, DocKind, ValidityKind};
use gongkai_core::text::FieldErrors;

/// Items per listing page.
pub(super) const PAGE_SIZE: i64 = 20;
/// Deeper pages are refused rather than sent to the database as huge
/// offsets: the listing counts up to the cap, and filters narrow it.
pub(super) const PAGE_MAX: i64 = gongkai_core::item::query::CATALOG_COUNT_CAP / PAGE_SIZE;
/// The earliest year accepted in the year filter (older legacy items exist).
pub(super) const YEAR_MIN: i32 = 1949;
/// The first year the year select offers: the 条例 took effect on 2008-05-01.
pub(super) const YEAR_SELECT_FROM: i32 = 2008;

/// The raw parameters, trimmed; the first occurrence of a name wins.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Params {
    pub org: String,
    pub column: String,
    pub topic: String,
    pub genre: String,
    pub kind: String,
    pub validity: String,
    pub year: String,
    pub page: String,
}

impl Params {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut p = Self::default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "org" => &mut p.org,
                "column" => &mut p.column,
                "topic" => &mut p.topic,
                "genre" => &mut p.genre,
                "kind" => &mut p.kind,
                "validity" => &mut p.validity,
                "year" => &mut p.year,
                "page" => &mut p.page,
                // Unknown parameters (tracking tags and the like) are ignored.
                _ => continue,
            };
            if slot.is_empty() {
                *slot = v.trim().to_string();
            }
        }
        p
    }
}

/// Which listing the parameters are for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// `/catalog`: `org` is one of these ids, `column` a default column key.
    Jurisdiction {
        org_ids: &'a [OrgId],
        column_keys: &'a [&'a str],
    },
    /// `/agency/{id}/catalog`: `column` is one of the agency's column ids.
    Agency { column_ids: &'a [ColumnId] },
    /// `/agency/{id}/catalog/{column}`: the column is in the path; a
    /// `column` parameter is ignored.
    Column,
}

/// The column filter, by view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ColumnFilter {
    Id(ColumnId),
    Key(String),
}

/// Valid filters, normalised to stored keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Filters {
    pub org: Option<OrgId>,
    pub column: Option<ColumnFilter>,
    pub topic: Option<String>,
    pub genre: Option<String>,
    pub kind: Option<DocKind>,
    pub validity: Option<ValidityKind>,
    pub year: Option<i32>,
    pub page: i64,
}

impl Default for Filters {
    fn default() -> Self {
        Self {
            org: None,
            column: None,
            topic: None,
            genre: None,
            kind: None,
            validity: None,
            year: None,
            page: 1,
        }
    }
}

impl Filters {
    /// Parses every parameter and reports every bad one at once.
    pub fn parse(
        p: &Params,
        scope: Scope<'_>,
        tax: &Taxonomy,
        this_year: i32,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut f = Filters::default();
        match scope {
            Scope::Jurisdiction {
                org_ids,
                column_keys,
            } => {
                f.org = parse_org(&p.org, org_ids, &mut e);
                if !p.column.is_empty() {
                    match column_keys.iter().find(|k| **k == p.column) {
                        Some(k) => f.column = Some(ColumnFilter::Key((*k).to_string())),
                        None => e.add("column", "栏目不存在，请从列表中选择"),
                    }
                }
            }
            Scope::Agency { column_ids } => {
                if !p.column.is_empty() {
                    match p.column.parse::<ColumnId>() {
                        Ok(id) if column_ids.contains(&id) => f.column = Some(ColumnFilter::Id(id)),
                        _ => e.add("column", "栏目不存在，请从列表中选择"),
                    }
                }
            }
            Scope::Column => {}
        }
        f.topic = parse_topic(&p.topic, tax, &mut e);
        if !p.genre.is_empty() {
            match tax.genre(&p.genre) {
                Some(g) => f.genre = Some(g.key.clone()),
                None => e.add("genre", "体裁不在可选范围内"),
            }
        }
        if !p.kind.is_empty() {
            match DocKind::parse(&p.kind) {
                Some(k) => f.kind = Some(k),
                None => e.add("kind", "文件类型应为规章、行政规范性文件或其他"),
            }
        }
        f.validity = parse_validity(&p.validity, &mut e);
        f.year = parse_year(&p.year, this_year, &mut e);
        if !p.page.is_empty() {
            match p.page.parse::<i64>() {
                Ok(n) if (1..=PAGE_MAX).contains(&n) => f.page = n,
                _ => e.add("page", format!("页码应为1至{PAGE_MAX}之间的整数")),
            }
        }
        e.into_result(f)
    }

    /// True when any filter (other than the page) is set.
    pub fn any(&self) -> bool {
        self.org.is_some()
            || self.column.is_some()
            || self.topic.is_some()
            || self.genre.is_some()
            || self.kind.is_some()
            || self.validity.is_some()
            || self.year.is_some()
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * PAGE_SIZE
    }

    /// The normalised parameters (without the page), for pager links.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(o) = self.org {
            out.push(("org", o.to_string()));
        }
        match &self.column {
            Some(ColumnFilter::Id(id)) => out.push(("column", id.to_string())),
            Some(ColumnFilter::Key(k)) => out.push(("column", k.clone())),
            None => {}
        }
        if let Some(t) = &self.topic {
            out.push(("topic", t.clone()));
        }
        if let Some(g) = &self.genre {
            out.push(("genre", g.clone()));
        }
        if let Some(k) = self.kind {
            out.push(("kind", k.as_str().to_string()));
        }
        if let Some(v) = self.validity {
            out.push(("validity", v.as_str().to_string()));
        }
        if let Some(y) = self.year {
            out.push(("year", y.to_string()));
        }
        out
    }

    /// `path?…&page=n` (the page left out when it is 1).
    pub fn href(&self, path: &str, page: i64) -> String {
        let mut pairs = self.pairs();
        if page > 1 {
            pairs.push(("page", page.to_string()));
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
}

// The filters the catalog and the search page share, one function each so
// that both pages accept the same values with the same messages. Each
// leaves an empty parameter unset and records a bad one in `e`.

/// `org`: one of the agencies the page lists.
pub(super) fn parse_org(raw: &str, org_ids: &[OrgId], e: &mut FieldErrors) -> Option<OrgId> {
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<OrgId>() {
        Ok(id) if org_ids.contains(&id) => Some(id),
        _ => {
            e.add("org", "发布机构不存在，请从列表中选择");
            None
        }
    }
}

/// `topic`: a 主题分类 key or name, normalised to the key.
pub(super) fn parse_topic(raw: &str, tax: &Taxonomy, e: &mut FieldErrors) -> Option<String> {
    if raw.is_empty() {
        return None;
    }
    let topic = tax.topic(raw).map(|t| t.key.clone());
    if topic.is_none() {
        e.add("topic", "主题分类不在可选范围内");
    }
    topic
}

/// `validity`: 有效性 as a key or its Chinese label.
pub(super) fn parse_validity(raw: &str, e: &mut FieldErrors) -> Option<ValidityKind> {
    if raw.is_empty() {
        return None;
    }
    let validity = ValidityKind::parse(raw);
    if validity.is_none() {
        e.add("validity", "有效性应为有效、失效或废止");
    }
    validity
}

/// `year`: four digits from [`YEAR_MIN`] to `this_year`.
pub(super) fn parse_year(raw: &str, this_year: i32, e: &mut FieldErrors) -> Option<i32> {
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i32>() {
        Ok(y) if (YEAR_MIN..=this_year).contains(&y) && raw.len() == 4 => Some(y),
        _ => {
            e.add(
                "year",
                format!("年份应为{YEAR_MIN}至{this_year}之间的四位数字"),
            );
            None
        }
    }
}

/// Percent-encodes a query value (everything but unreserved ASCII).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Params {
        let v: Vec<(String, String)> = list
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Params::from_pairs(&v)
    }

    fn jurisdiction(p: &Params) -> Result<Filters, FieldErrors> {
        Filters::parse(
            p,
            Scope::Jurisdiction {
                org_ids: &[1, 2, 3],
                column_keys: &["policy", "finance_budget"],
            },
            Taxonomy::shipped(),
            2026,
        )
    }

    #[test]
    fn valid_parameters_are_normalised_to_keys() {
        let p = pairs(&[
            ("org", "2"),
            ("column", "policy"),
            ("topic", "财政、金融、审计"),
            ("genre", "通知"),
            ("kind", "行政规范性文件"),
            ("validity", "废止"),
            ("year", " 2025 "),
            ("page", "3"),
            ("utm_source", "x"),
        ]);
        let f = jurisdiction(&p).unwrap();
        assert_eq!(f.org, Some(2));
        assert_eq!(f.column, Some(ColumnFilter::Key("policy".into())));
        assert_eq!(f.topic.as_deref(), Some("finance"));
        assert_eq!(f.genre.as_deref(), Some("notice"));
        assert_eq!(f.kind, Some(DocKind::Normative));
        assert_eq!(f.validity, Some(ValidityKind::Repealed));
        assert_eq!(f.year, Some(2025));
        assert_eq!(f.offset(), 40);
        assert_eq!(
            f.href("/catalog", 4),
            "/catalog?org=2&column=policy&topic=finance&genre=notice&kind=normative&validity=repealed&year=2025&page=4"
        );
        assert_eq!(Filters::default().href("/catalog", 1), "/catalog");
    }

    #[test]
    fn every_bad_parameter_gets_a_chinese_message() {
        let p = pairs(&[
            ("org", "99"),
            ("column", "nope"),
            ("topic", "天气"),
            ("genre", "小说"),
            ("kind", "x"),
            ("validity", "maybe"),
            ("year", "20255"),
            ("page", "0"),
        ]);
        let e = jurisdiction(&p).unwrap_err();
        assert_eq!(e.get("org"), Some("发布机构不存在，请从列表中选择"));
        assert_eq!(e.get("column"), Some("栏目不存在，请从列表中选择"));
        assert_eq!(e.get("topic"), Some("主题分类不在可选范围内"));
        assert_eq!(e.get("genre"), Some("体裁不在可选范围内"));
        assert_eq!(
            e.get("kind"),
            Some("文件类型应为规章、行政规范性文件或其他")
        );
        assert_eq!(e.get("validity"), Some("有效性应为有效、失效或废止"));
        assert_eq!(e.get("year"), Some("年份应为1949至2026之间的四位数字"));
        assert_eq!(e.get("page"), Some("页码应为1至500之间的整数"));
        for y in ["2027", "1900", "abcd", "-2025", "+202"] {
            assert!(jurisdiction(&pairs(&[("year", y)])).is_err(), "{y}");
        }
        assert!(jurisdiction(&pairs(&[("page", "99999999999999999999")])).is_err());
    }

    #[test]
    fn agency_columns_are_ids_of_that_agency_and_the_first_value_wins() {
        let scope = Scope::Agency {
            column_ids: &[10, 11],
        };
        let ok = Filters::parse(
            &pairs(&[("column", "11"), ("column", "99")]),
            scope,
            Taxonomy::shipped(),
            2026,
        )
        .unwrap();
        assert_eq!(ok.column, Some(ColumnFilter::Id(11)));
        for bad in ["12", "policy", "-1"] {
            assert!(
                Filters::parse(&pairs(&[("column", bad)]), scope, Taxonomy::shipped(), 2026)
                    .is_err(),
                "{bad}"
            );
        }
        // The org filter belongs to the jurisdiction view only.
        let f = Filters::parse(&pairs(&[("org", "5")]), scope, Taxonomy::shipped(), 2026).unwrap();
        assert!(!f.any());
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("a b/和"), "a%20b%2F%E5%92%8C");
    }
}
