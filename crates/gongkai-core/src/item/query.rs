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
    pub topic: Option<String>,
    pub genre: Option<String>,
    pub doc_kind: Option<DocKind>,
    pub validity: Option<ValidityKind>,
    /// Year of the 发布日期.
    pub year: Option<i32>,
    pub limit: i64,
    pub offset: i64,
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
