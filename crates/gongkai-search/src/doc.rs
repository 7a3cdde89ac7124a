//! What the index is fed: one published catalog item, already flattened to
//! plain text by the caller (the crate knows nothing of the store).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use crate::normalise::{canonical_doc_no, canonical_index_no};
use crate::schema::Fields;

/// One public catalog item as the search index sees it.
///
/// Taxonomy values (`topic`, `genre`, `file_type`, `validity`) are the
/// catalog's own labels, e.g. `"有效"`; filters compare them verbatim and
/// facets report them verbatim. An empty string means "not set": such an
/// item is not counted in that facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    pub id: i64,
    /// 发布机构.
    pub org_id: i64,
    pub org_name: String,
    /// 公开目录栏目.
    pub column_id: Option<i64>,
    pub column_name: String,
    /// 标题.
    pub title: String,
    /// 内容概述 (plain text).
    pub summary: String,
    /// 正文 as plain text (the caller strips the markup).
    pub body: String,
    /// Text extracted from attachments; searched, not stored.
    pub attachment_text: String,
    /// 索引号.
    pub index_no: String,
    /// 发文字号, none for 无文号 items.
    pub doc_nos: Vec<String>,
    /// 主题分类.
    pub topic: String,
    /// 体裁 (通知, 公告, 意见, …).
    pub genre: String,
    /// 文件类型 (规章, 行政规范性文件, 其他).
    pub file_type: String,
    /// 有效性 (有效, 失效, 废止).
    pub validity: String,
    /// 关键词.
    pub keywords: Vec<String>,
    /// 成文日期.
    pub written: Option<NaiveDate>,
    /// 发布日期: the date order and the default year.
    pub published: NaiveDate,
    /// The catalog year the item is filed under (normally the year of
    /// `published`).
    pub year: i32,
    /// Canonical public URL path of the item page, e.g. `/gk/12/item/345`.
    pub url: String,
}

/// Ids above this do not fit the date order key; they still sort by date.
const ID_BITS: u32 = 40;

pub(crate) fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

pub(crate) fn date_from_day_number(n: i64) -> Option<NaiveDate> {
    i32::try_from(n)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Publication day in the high bits, id in the low bits: "newest first,
/// then highest id" is one descending sort, stable across segments.
pub(crate) fn date_key(published: NaiveDate, id: i64) -> u64 {
    let day = u64::try_from(published.num_days_from_ce().max(0)).unwrap_or(0);
    let id = u64::try_from(id).unwrap_or(0) & ((1u64 << ID_BITS) - 1);
    (day << ID_BITS) | id
}

impl SearchDoc {
    /// The text of the metadata that is searchable as words: agency,
    /// column, taxonomy labels, keywords, 文号 and 索引号.
    fn metadata_text(&self) -> String {
        let mut parts: Vec<&str> = vec![
            &self.org_name,
            &self.column_name,
            &self.topic,
            &self.genre,
            &self.file_type,
            &self.index_no,
        ];
        parts.extend(self.keywords.iter().map(String::as_str));
        parts.extend(self.doc_nos.iter().map(String::as_str));
        parts.retain(|p| !p.trim().is_empty());
        parts.join("\n")
    }

    pub(crate) fn to_tantivy(&self, f: &Fields) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_i64(f.id, self.id);
        d.add_i64(f.org_id, self.org_id);
        d.add_text(
            f.org_facet,
            format!("{}\u{1f}{}", self.org_id, self.org_name),
        );
        d.add_text(f.org_name, &self.org_name);
        if let Some(c) = self.column_id {
            d.add_i64(f.column_id, c);
        }
        d.add_text(f.column_name, &self.column_name);
        d.add_text(f.title, &self.title);
        d.add_text(f.summary, &self.summary);
        d.add_text(f.body, &self.body);

        let meta = self.metadata_text();
        for t in [
            &self.title,
            &self.summary,
            &self.body,
            &self.attachment_text,
            &meta,
        ] {
            if !t.is_empty() {
                d.add_text(f.grams, t);
            }
        }

        d.add_text(f.index_no, &self.index_no);
        let key = canonical_index_no(&self.index_no);
        if !key.is_empty() {
            d.add_text(f.index_no_key, key);
        }
        for n in &self.doc_nos {
            d.add_text(f.doc_no, n);
            let key = canonical_doc_no(n);
            if !key.is_empty() {
                d.add_text(f.doc_no_key, key);
            }
        }
        for (field, value) in [
            (f.topic, &self.topic),
            (f.genre, &self.genre),
            (f.file_type, &self.file_type),
            (f.validity, &self.validity),
        ] {
            let v = value.trim();
            if !v.is_empty() {
                d.add_text(field, v);
            }
        }
        for k in &self.keywords {
            d.add_text(f.keywords, k);
        }
        if let Some(w) = self.written {
            d.add_i64(f.written, day_number(w));
        }
        d.add_i64(f.published, day_number(self.published));
        d.add_i64(f.year, i64::from(self.year));
        d.add_u64(f.date_key, date_key(self.published, self.id));
        d.add_text(f.url, &self.url);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_key_orders_by_day_then_id() {
        let d1 = NaiveDate::from_ymd_opt(2025, 3, 1).expect("date");
        let d2 = NaiveDate::from_ymd_opt(2025, 3, 2).expect("date");
        assert!(date_key(d2, 1) > date_key(d1, 999_999));
        assert!(date_key(d1, 7) > date_key(d1, 6));
        assert_eq!(date_from_day_number(day_number(d1)), Some(d1));
    }
}
