//! Machine-readable views of the catalog: Atom feeds (RFC 4287) of the
//! newest published items — across the jurisdiction, per agency and per
//! 栏目 — and the sitemap (sitemaps.org 0.9) of agency pages and items.
//!
//! Both need absolute URLs. They are built from `WebConfig::public_url`
//! when it is set (it should be in production); otherwise from the
//! request's `Host` header, accepted only when it looks like a host name
//! so that a forged header cannot inject markup.
//!
//! The sitemap is always an index (`/sitemap.xml`) of parts:
//! `/sitemaps/pages.xml` (home, catalog and every agency's 专栏 pages) and
//! `/sitemaps/items-{n}.xml`, part n holding the public items whose ids
//! fall in the n-th block of [`SITEMAP_ITEMS`] ids. Parts by id range stay
//! the same as newer items are published (a part by position in the
//! catalog would shift with every publication, and deep positions cost a
//! walk through everything before them); a part changes only when an item
//! of its own range is published or withdrawn.

use super::agency;
use super::catalog::item_href;
use crate::layout::site_name;
use crate::{AppError, AppState, WebConfig};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use gongkai_core::item::column;
use gongkai_core::item::query::{CatalogEntry, CatalogQuery};
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::org::Organisation;

/// Entries per feed: the newest items, as feed readers expect.
pub(super) const FEED_ENTRIES: i64 = 50;
/// Ids per sitemap part, so at most that many items (the protocol allows
/// 50,000 URLs; smaller parts keep each response quick).
pub(super) const SITEMAP_ITEMS: i64 = 10_000;

const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";
const XML_TYPE: &str = "application/xml; charset=utf-8";

/// `https://gk.example.gov.cn` (no trailing slash).
pub(crate) fn base_url(config: &WebConfig, headers: &HeaderMap) -> String {
    if let Some(u) = config
        .public_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| is_host(h))
        .unwrap_or("localhost");
    let scheme = if config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// Host names, IPv4/IPv6 literals and ports; nothing that could close an
/// attribute or start a tag.
fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// Escapes text for XML content and attribute values, and drops the
/// characters XML 1.0 does not allow at all (control characters other
/// than tab and line breaks, U+FFFE/U+FFFF).
pub(super) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A calendar day as an Atom date: midnight Beijing time.
fn atom_day(d: NaiveDate) -> String {
    format!("{d}T00:00:00+08:00")
}

pub(super) struct Feed {
    /// The feed's own URL (also its id).
    pub self_url: String,
    /// The HTML page it follows.
    pub page_url: String,
    pub title: String,
    pub entries: Vec<CatalogEntry>,
}

/// Renders the feed; `orgs` names the authors.
pub(super) fn atom(base: &str, feed: &Feed, orgs: &[Organisation]) -> String {
    let tax = Taxonomy::shipped();
    let updated = feed
        .entries
        .iter()
        .map(|e| e.published_on)
        .max()
        .map(atom_day)
        .unwrap_or_else(|| Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let mut x = String::with_capacity(1024 + feed.entries.len() * 512);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    x.push_str(&format!("<id>{}</id>\n", xml_escape(&feed.self_url)));
    x.push_str(&format!("<title>{}</title>\n", xml_escape(&feed.title)));
    x.push_str(&format!("<updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&feed.self_url)
    ));
    x.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&feed.page_url)
    ));
    x.push_str("<generator>gongkai</generator>\n");
    for e in &feed.entries {
        let url = format!("{base}{}", item_href(e.id));
        let author = orgs
            .iter()
            .find(|o| o.id == e.org_id)
            .map_or("", |o| o.name.as_str());
        let day = atom_day(e.published_on);
        x.push_str("<entry>\n");
        x.push_str(&format!("<id>{}</id>\n", xml_escape(&url)));
        x.push_str(&format!("<title>{}</title>\n", xml_escape(&e.title)));
        x.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&url)
        ));
        x.push_str(&format!("<published>{day}</published>\n"));
        x.push_str(&format!("<updated>{day}</updated>\n"));
        x.push_str(&format!(
            "<author><name>{}</name></author>\n",
            xml_escape(author)
        ));
        x.push_str(&format!(
            "<category term=\"{}\" label=\"{}\"/>\n",
            xml_escape(&e.topic),
            xml_escape(tax.topic_name(&e.topic))
        ));
        let mut summary = format!("索引号：{}", e.index_no.as_str());
        if let Some(n) = &e.doc_number {
            summary.push_str(&format!("；发文字号：{n}"));
        }
        if !e.summary.is_empty() {
            summary.push_str(&format!("。{}", e.summary));
        }
        x.push_str(&format!(
            "<summary type=\"text\">{}</summary>\n",
            xml_escape(&summary)
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

fn xml_response(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn newest(org_ids: Option<Vec<i64>>, column_ids: Vec<i64>) -> CatalogQuery {
    CatalogQuery {
        org_ids,
        column_ids,
        limit: FEED_ENTRIES,
        ..Default::default()
    }
}

/// `/catalog/feed.atom`
pub(super) async fn jurisdiction_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let base = base_url(&state.config, &headers);
    let orgs = state.store.list_orgs().await?;
    let page = state.store.list_catalog(&newest(None, Vec::new())).await?;
    let feed = Feed {
        self_url: format!("{base}/catalog/feed.atom"),
        page_url: format!("{base}/catalog"),
        title: format!("{} 政府信息公开目录", site_name(&state.config, &orgs)),
        entries: page.entries,
    };
    Ok(xml_response(ATOM_TYPE, atom(&base, &feed, &orgs)))
}

/// `/agency/{id}/feed.atom`
pub(super) async fn agency_feed(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let base = base_url(&state.config, &headers);
    let (orgs, idx) = agency::load(&state, &id).await?;
    let org = &orgs[idx];
    let page = state
        .store
        .list_catalog(&newest(Some(vec![org.id]), Vec::new()))
        .await?;
    let feed = Feed {
        self_url: format!("{base}/agency/{}/feed.atom", org.id),
        page_url: format!("{base}/agency/{}/catalog", org.id),
        title: format!("{} 法定主动公开内容", org.name),
        entries: page.entries,
    };
    Ok(xml_response(ATOM_TYPE, atom(&base, &feed, &orgs)))
}

/// `/agency/{id}/catalog/{column}/feed.atom` (the column and its sub-columns)
pub(super) async fn column_feed(
    State(state): State<AppState>,
    Path((id, column_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let base = base_url(&state.config, &headers);
    let (orgs, idx) = agency::load(&state, &id).await?;
    let org = &orgs[idx];
    let columns = state.store.list_item_columns(org.id).await?;
    let c = super::catalog::find_column(&columns, &column_id)?;
    let page = state
        .store
        .list_catalog(&newest(Some(vec![org.id]), column::subtree(&columns, c.id)))
        .await?;
    let feed = Feed {
        self_url: format!("{base}/agency/{}/catalog/{}/feed.atom", org.id, c.id),
        page_url: format!("{base}/agency/{}/catalog/{}", org.id, c.id),
        title: format!("{} {}", org.name, c.name),
        entries: page.entries,
    };
    Ok(xml_response(ATOM_TYPE, atom(&base, &feed, &orgs)))
}

/// `/sitemap.xml`: the index of the sitemap parts.
pub(super) async fn sitemap_index(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let base = base_url(&state.config, &headers);
    let max_id = state.store.max_public_item_id().await?.unwrap_or(0);
    let parts = (max_id + SITEMAP_ITEMS - 1) / SITEMAP_ITEMS;
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut part = |path: String| {
        x.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&format!("{base}{path}"))
        ));
    };
    part("/sitemaps/pages.xml".into());
    for n in 1..=parts {
        part(format!("/sitemaps/items-{n}.xml"));
    }
    x.push_str("</sitemapindex>\n");
    Ok(xml_response(XML_TYPE, x))
}

fn urlset(base: &str, urls: &[(String, Option<NaiveDate>)]) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in urls {
        x.push_str(&format!(
            "<url><loc>{}</loc>",
            xml_escape(&format!("{base}{path}"))
        ));
        if let Some(d) = lastmod {
            x.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// `/sitemaps/pages.xml` and `/sitemaps/items-{n}.xml`.
pub(super) async fn sitemap_part(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let base = base_url(&state.config, &headers);
    if file == "pages.xml" {
        let orgs = state.store.list_orgs().await?;
        let mut urls: Vec<(String, Option<NaiveDate>)> =
            vec![("/".into(), None), ("/catalog".into(), None)];
        for o in &orgs {
            for suffix in ["", "/guide", "/rules", "/catalog"] {
                urls.push((format!("/agency/{}{suffix}", o.id), None));
            }
        }
        return Ok(xml_response(XML_TYPE, urlset(&base, &urls)));
    }
    let n: i64 = file
        .strip_prefix("items-")
        .and_then(|r| r.strip_suffix(".xml"))
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse().ok())
        .filter(|n| *n >= 1)
        .ok_or(AppError::NotFound)?;
    let from = (n - 1).saturating_mul(SITEMAP_ITEMS).saturating_add(1);
    let max_id = state.store.max_public_item_id().await?.unwrap_or(0);
    if from > max_id {
        return Err(AppError::NotFound);
    }
    // A part inside the range the index lists answers even when all of
    // its items have been withdrawn since: an empty list, not an error.
    let to = from.saturating_add(SITEMAP_ITEMS);
    let urls: Vec<(String, Option<NaiveDate>)> = state
        .store
        .public_items_in_id_range(from, to)
        .await?
        .into_iter()
        .map(|(id, on)| (item_href(id), Some(on)))
        .collect();
    Ok(xml_response(XML_TYPE, urlset(&base, &urls)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn escaping_covers_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml_escape("A&B <c> \"d\" 'e'\u{0}\u{b}\t中"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;\t中"
        );
    }

    #[test]
    fn the_base_url_prefers_configuration_and_distrusts_odd_hosts() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("gk.example:8080"));
        let mut c = WebConfig::default();
        assert_eq!(base_url(&c, &h), "http://gk.example:8080");
        h.insert(header::HOST, HeaderValue::from_static("x\"><script>"));
        assert_eq!(base_url(&c, &h), "http://localhost");
        c.public_url = Some("https://gk.example.gov.cn/".into());
        assert_eq!(base_url(&c, &h), "https://gk.example.gov.cn");
    }
}
