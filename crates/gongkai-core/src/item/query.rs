//! What the catalog and the console ask the store for, and what they get.
//! Public shapes ([`CatalogEntry`], [`PublicItem`]) carry only public
//! fields: no authors, no scan findings, no drafts.

use super::metadata::{DisclosureMode, DocKind, ItemDraft, Validity, ValidityKind};
use super::workflow::VersionState;
use super::{Attachment, ColumnId, IndexNo, ItemId};
use crate::{OrgId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A page of results with the total for the pager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub total: i64,
    pub entries: Vec<T>,
}

/// The public catalog listing (per agency or across the jurisdiction).
/// Only published 主动公开 items are listed, newest 发布日期 first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogQuery {
    /// `None`: every agency.
    pub org_ids: Option<Vec<OrgId>>,
    /// Any of these columns (pass a [`subtree`](super::column::subtree) to
    /// include sub-columns); empty: any column.
    pub column_ids: Vec<ColumnId>,
    /// Columns with this key in any agency's tree, with their sub-columns
    /// (the jurisdiction view's column filter).
    pub column_key: Option<String>,
    pub topic: Option<String>,
    pub genre: Option<String>,
    pub doc_kind: Option<DocKind>,
    pub validity: Option<ValidityKind>,
    /// Year of the 发布日期.
    pub year: Option<i32>,
    pub limit: i64,
    pub offset: i64,
    /// Keyset paging: only entries after this one in catalog order (the
    /// offset then counts from there). Walking a large catalog this way
    /// costs the same on every page; OFFSET grows with the page number.
    pub after: Option<CatalogCursor>,
    /// Count the matches, but stop at this many ([`CatalogTotal::AtLeast`]
    /// beyond): an exact count of a province-wide catalog would read every
    /// row on every page. `None`: no count (feeds, the home page).
    pub count_up_to: Option<i64>,
}

/// How many matches the portal and the API count at most (and so the
/// deepest page they offer): beyond it, filters narrow the listing and
/// [`CatalogQuery::after`] walks it.
pub const CATALOG_COUNT_CAP: i64 = 10_000;

/// A position in catalog order (发布日期 descending, then id descending).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CatalogCursor {
    pub published_on: NaiveDate,
    pub id: ItemId,
}

impl CatalogCursor {
    /// The position of an entry: the next page starts after it.
    pub fn of(e: &CatalogEntry) -> Self {
        Self {
            published_on: e.published_on,
            id: e.id,
        }
    }

    /// The opaque form used in URLs: `20240501-123`.
    pub fn encode(&self) -> String {
        format!("{}-{}", self.published_on.format("%Y%m%d"), self.id)
    }

    /// Reads [`encode`](Self::encode)'s form; anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        let (date, id) = s.trim().split_once('-')?;
        if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let published_on = NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id: ItemId = id.parse().ok()?;
        Some(Self { published_on, id })
    }
}

/// How many entries match a catalog query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CatalogTotal {
    Exact(i64),
    /// More than the cap asked for; the number is the cap.
    AtLeast(i64),
}

impl CatalogTotal {
    /// The number to show or page by (the cap when there are more).
    pub fn count(self) -> i64 {
        match self {
            Self::Exact(n) | Self::AtLeast(n) => n,
        }
    }

    pub fn is_exact(self) -> bool {
        matches!(self, Self::Exact(_))
    }

    /// From a count of up to `cap + 1` rows.
    pub fn from_capped(counted: i64, cap: i64) -> Self {
        if counted > cap {
            Self::AtLeast(cap)
        } else {
            Self::Exact(counted)
        }
    }
}

/// A page of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub entries: Vec<CatalogEntry>,
    /// `None` when the query did not ask for a count.
    pub total: Option<CatalogTotal>,
}

impl CatalogPage {
    pub fn empty(counted: bool) -> Self {
        Self {
            entries: Vec::new(),
            total: counted.then_some(CatalogTotal::Exact(0)),
        }
    }

    /// The number of matches to show or page by: 0 when not counted.
    pub fn total_count(&self) -> i64 {
        self.total.map_or(0, CatalogTotal::count)
    }
}

/// One line of the public catalog (the body is left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub id: ItemId,
    pub org_id: OrgId,
    pub index_no: IndexNo,
    pub version: i32,
    pub title: String,
    pub summary: String,
    pub issuers: Vec<String>,
    pub doc_number: Option<String>,
    pub written_on: Option<NaiveDate>,
    /// 发布日期 (first publication).
    pub published_on: NaiveDate,
    pub topic: String,
    pub column_id: ColumnId,
    pub genre: String,
    pub keywords: Vec<String>,
    pub doc_kind: DocKind,
    pub validity: Validity,
    /// The public version is a 更正.
    pub corrected: bool,
}

/// A 更正 note shown with the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionNote {
    pub version: i32,
    pub reason: String,
    pub published_at: DateTime<Utc>,
}

/// A published item as the portal shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicItem {
    pub id: ItemId,
    pub org_id: OrgId,
    pub index_no: IndexNo,
    /// 发布日期 (first publication).
    pub published_on: NaiveDate,
    pub version: i32,
    /// When the shown version went public (`None` for imported items).
    pub version_published_at: Option<DateTime<Utc>>,
    pub meta: ItemDraft,
    pub attachments: Vec<Attachment>,
    /// Every 更正 published so far, oldest first.
    pub corrections: Vec<CorrectionNote>,
}

/// The console's work lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkQuery {
    /// The caller's scope (from `Principal::scope`); empty: nothing.
    pub org_ids: Vec<OrgId>,
    /// States of the latest version; empty: any.
    pub states: Vec<VersionState>,
    pub limit: i64,
    pub offset: i64,
}

/// An item as a console list shows it: its latest version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    pub id: ItemId,
    pub org_id: OrgId,
    pub index_no: Option<IndexNo>,
    pub version: i32,
    pub state: VersionState,
    pub public_version: Option<i32>,
    pub title: String,
    pub formed_on: NaiveDate,
    pub disclosure: DisclosureMode,
    pub author_id: Option<UserId>,
    pub author_name: String,
    pub publish_at: Option<DateTime<Utc>>,
    /// Last change to the item (any version), by the store's clock.
    pub updated_at: DateTime<Utc>,
}

/// The 第二十六条 record of one agency over a year: its 主动公开 versions
/// published then, and how many met their due date
/// (`ItemStore::count_items_published_on_time`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedOnTime {
    pub org_id: OrgId,
    /// Versions published: a 修订 or 更正 counts again, because it is
    /// measured against its own 形成/变更日期.
    pub published: i64,
    pub on_time: i64,
    pub late: i64,
}

impl PublishedOnTime {
    /// Published without a recorded due date: the calendar lacked the
    /// year when they went out, so nobody can say whether they were on time.
    pub fn unmeasured(&self) -> i64 {
        self.published - self.on_time - self.late
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_its_url_form() {
        let c = CatalogCursor {
            published_on: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            id: 123,
        };
        assert_eq!(c.encode(), "20240501-123");
        assert_eq!(CatalogCursor::parse("20240501-123"), Some(c));
    }

    #[test]
    fn a_malformed_cursor_is_refused() {
        for bad in [
            "",
            "20240501",
            "20240501-",
            "2024-05-01-1",
            "20241301-1",
            "20240501--1",
            "20240501-1x",
            "x0240501-1",
            "20240501-99999999999999999999",
        ] {
            assert_eq!(CatalogCursor::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_count_beyond_the_cap_is_a_lower_bound() {
        assert_eq!(CatalogTotal::from_capped(7, 10), CatalogTotal::Exact(7));
        assert_eq!(CatalogTotal::from_capped(10, 10), CatalogTotal::Exact(10));
        assert_eq!(CatalogTotal::from_capped(11, 10), CatalogTotal::AtLeast(10));
        assert_eq!(CatalogTotal::AtLeast(10).count(), 10);
        assert!(!CatalogTotal::AtLeast(10).is_exact());
    }
}
