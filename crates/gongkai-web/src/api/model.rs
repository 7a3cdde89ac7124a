//! The JSON shapes of the API. They are the response types of the
//! handlers *and* the source of the OpenAPI schemas (`ToSchema`), so the
//! document describes what is actually sent.
//!
//! Stability (v1): fields are only ever added, never renamed, retyped or
//! removed; clients must ignore fields they do not know.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::item::{DocKind, ValidityKind};
use serde::Serialize;
use utoipa::ToSchema;

/// A coded value: the stable key to filter by and its Chinese label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Coded {
    /// Stable key, e.g. `normative`.
    pub key: String,
    /// Chinese label, e.g. 行政规范性文件.
    pub label: String,
}

impl Coded {
    pub fn new(key: &str, label: &str) -> Self {
        Self {
            key: key.to_string(),
            label: label.to_string(),
        }
    }

    pub fn topic(key: &str) -> Self {
        Self::new(key, Taxonomy::shipped().topic_name(key))
    }

    pub fn genre(key: &str) -> Self {
        Self::new(key, Taxonomy::shipped().genre_name(key))
    }

    pub fn doc_kind(k: DocKind) -> Self {
        Self::new(k.as_str(), k.label())
    }

    pub fn validity(k: ValidityKind) -> Self {
        Self::new(k.as_str(), k.label())
    }
}

/// An agency named in an item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyRef {
    pub id: i64,
    pub name: String,
}

/// A column (栏目) of the agency's catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ColumnRef {
    pub id: i64,
    pub name: String,
}

/// A link to another public item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemLink {
    pub id: i64,
    pub title: String,
    /// The item's page on the portal.
    pub url: String,
    /// The item in this API.
    pub api_url: String,
}

/// 有效性 with its date and, for 废止, the repealing item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ValidityInfo {
    /// `effective`, `expired` or `repealed`.
    pub key: String,
    /// 有效, 失效 or 废止.
    pub label: String,
    /// 失效日期 or 废止日期 (null when effective or not recorded).
    pub date: Option<NaiveDate>,
    /// The published item that repealed this one, when there is one.
    pub repealed_by: Option<ItemLink>,
}

/// The public metadata of an item, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemSummary {
    pub id: i64,
    /// 索引号 (permanent).
    pub index_no: String,
    /// 标题.
    pub title: String,
    /// 内容概述.
    pub summary: String,
    /// 发布机构.
    pub publisher: AgencyRef,
    /// 发文机关 (several for a joint document).
    pub issuers: Vec<String>,
    /// 发文字号; null for a document without one (shown as 无文号).
    pub doc_number: Option<String>,
    /// 成文日期.
    pub written_on: Option<NaiveDate>,
    /// 发布日期 (first publication).
    pub published_on: NaiveDate,
    /// 主题分类.
    pub topic: Coded,
    /// 体裁.
    pub genre: Coded,
    /// 文件类型.
    pub doc_kind: Coded,
    /// 有效性.
    pub validity: ValidityInfo,
    /// 关键词.
    pub keywords: Vec<String>,
    /// 公开目录栏目.
    pub column: Option<ColumnRef>,
    /// Version number of the public text (raised by each 更正 or edit).
    pub version: i32,
    /// The public version is a 更正 (correction).
    pub corrected: bool,
    /// The item's page on the portal (canonical, permanent).
    pub url: String,
    /// This item in the API.
    pub api_url: String,
}

/// A page of the catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemList {
    /// Items matching the filters, on all pages, counted up to 10,000:
    /// when `total_exact` is false there are more than `total`.
    pub total: i64,
    /// False when more than 10,000 items match (`total` is then 10000).
    pub total_exact: bool,
    /// 1 when paging with `after`.
    pub page: i64,
    pub per_page: i64,
    /// Pass as `after` for the next page; `null` on the last page.
    #[schema(example = "20250301-1234")]
    pub next_after: Option<String>,
    /// Newest 发布日期 first.
    pub items: Vec<ItemSummary>,
}

/// An attachment (附件) of the public version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentInfo {
    pub id: i64,
    /// File name shown to readers.
    pub name: String,
    /// Media type sniffed from the content at upload.
    pub media_type: String,
    /// PDF, DOCX, XLSX, PNG …
    pub type_label: String,
    /// Size in bytes.
    pub size: i64,
    /// Lower-case hex SHA-256 of the file, to check a download.
    pub sha256: String,
    /// Download address.
    pub url: String,
}

/// A 更正 (correction) note.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionInfo {
    /// The version the correction published.
    pub version: i32,
    /// Why the item was corrected.
    pub reason: String,
    pub published_at: DateTime<Utc>,
}

/// An item with its full public content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemDetail {
    #[serde(flatten)]
    pub item: ItemSummary,
    /// 正文 as sanitised HTML (safe to insert into a page).
    pub body_html: String,
    /// 正文 as plain text.
    pub body_text: String,
    pub attachments: Vec<AttachmentInfo>,
    /// 更正 notes, oldest first.
    pub corrections: Vec<CorrectionInfo>,
    /// When the shown version went public (null for imported items).
    pub version_published_at: Option<DateTime<Utc>>,
}
