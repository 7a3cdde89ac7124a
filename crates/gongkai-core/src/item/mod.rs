//! 主动公开: the items of the disclosure catalog (政府信息公开目录).
//!
//! * [`metadata`]: the canonical metadata (索引号 aside) and its form;
//! * [`taxonomy`]: 主题分类, 体裁 and the default 公开目录栏目 tree, shipped as data;
//! * [`column`]: an agency's stored column tree;
//! * [`index_no`]: the per-agency 索引号 template and legacy numbers;
//! * [`attachment`]: attachment metadata (the bytes are in object storage);
//! * [`scan_gate`]: how scanner findings block review and publication;
//! * [`workflow`]: the state machine 草稿 → 保密审查 → 领导审批 → 已发布 → 撤回/更正;
//! * [`deadline`]: 条例第二十六条's 20 working days;
//! * [`query`]: the shapes of catalog listings and console work lists.
//!
//! An item is a line of versions. Version 1 is the first draft; editing
//! or correcting a published item starts a new version, which goes
//! through review again while the published one stays visible. At most
//! one version is open (not yet published) at a time. See docs/catalog.md.

pub mod attachment;
pub mod column;
pub mod deadline;
pub mod index_no;
pub mod metadata;
pub mod query;
pub mod scan_gate;
pub mod taxonomy;
pub mod workflow;

pub use attachment::{Attachment, NewAttachment};
pub use column::{Column, ColumnDraft, ColumnForm};
pub use index_no::{IndexNo, IndexTemplate};
pub use metadata::{DisclosureMode, DocKind, ItemDraft, ItemForm, Validity, ValidityKind};
pub use scan_gate::{ScanFinding, ScanGate, ScanOverride, ScanRecord, ScanReport};
pub use workflow::{Decision, ItemAction, ItemCommand, Step, VersionState, WorkflowError};

use crate::{OrgId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub type ItemId = i64;
pub type ColumnId = i64;

/// The line of versions, with what is public now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    /// 发布机构.
    pub org_id: OrgId,
    /// Assigned at first publication (or taken over on import); never changes after.
    pub index_no: Option<IndexNo>,
    /// True when the number came from an earlier system.
    pub index_no_legacy: bool,
    pub latest_version: i32,
    /// The version the public sees; `None` before publication and after withdrawal.
    pub public_version: Option<i32>,
    pub first_published_at: Option<DateTime<Utc>>,
    /// 发布日期: the day of first publication (Beijing time), or the date
    /// taken over on import.
    pub first_published_on: Option<NaiveDate>,
    pub withdrawal: Option<Withdrawal>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// 撤回: the item left the public catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// Why a version after the first exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Revision {
    /// Version 1.
    Original,
    /// An edit of published content (e.g. marking it 废止).
    Edit,
    /// 更正: the public sees the reason next to the corrected content.
    Correction { reason: String },
}

impl Revision {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Edit => "edit",
            Self::Correction { .. } => "correction",
        }
    }

    pub fn correction_reason(&self) -> Option<&str> {
        match self {
            Self::Correction { reason } => Some(reason),
            _ => None,
        }
    }
}

/// One version of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemVersion {
    pub item_id: ItemId,
    pub version: i32,
    pub state: VersionState,
    pub meta: ItemDraft,
    pub attachments: Vec<Attachment>,
    /// Who started this version (the 起草人); reviewers and approvers must
    /// be someone else. `None` for imported items.
    pub author_id: Option<UserId>,
    pub author_name: String,
    pub revision: Revision,
    /// Set by 领导审批: when the version goes public.
    pub publish_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// The 第二十六条 due date applied when the version was published
    /// (`None` for 依申请公开/不予公开, or when the calendar lacked the year).
    pub due_on: Option<NaiveDate>,
    pub on_time: Option<bool>,
    pub scan: Option<ScanRecord>,
    pub overrides: Vec<ScanOverride>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ItemVersion {
    pub fn fingerprint(&self) -> String {
        scan_gate::content_fingerprint(&self.meta, &self.attachments)
    }

    pub fn scan_gate(&self) -> ScanGate {
        scan_gate::scan_gate(&self.fingerprint(), self.scan.as_ref(), &self.overrides)
    }

    /// Open versions are the ones still on their way to publication.
    pub fn is_open(&self) -> bool {
        self.state.is_open()
    }
}

/// One recorded step of the workflow (the 审查记录 shown to supervisors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub id: i64,
    pub item_id: ItemId,
    pub version: i32,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
    pub actor_name: String,
    pub action: ItemAction,
    pub from: Option<VersionState>,
    pub to: VersionState,
    /// For 保密审查 and 领导审批: passed or returned.
    pub decision: Option<workflow::DecisionKind>,
    pub comment: Option<String>,
}

/// Everything staff see about one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDetail {
    pub item: Item,
    /// Ascending by version; never empty.
    pub versions: Vec<ItemVersion>,
    /// Ascending by time.
    pub transitions: Vec<Transition>,
}

impl ItemDetail {
    pub fn latest(&self) -> &ItemVersion {
        self.versions
            .iter()
            .find(|v| v.version == self.item.latest_version)
            .or(self.versions.last())
            .expect("an item has at least one version")
    }

    pub fn public(&self) -> Option<&ItemVersion> {
        let v = self.item.public_version?;
        self.versions.iter().find(|x| x.version == v)
    }

    pub fn version(&self, n: i32) -> Option<&ItemVersion> {
        self.versions.iter().find(|x| x.version == n)
    }

    /// The version a new edit or correction starts from: the public one,
    /// or after a withdrawal the one that was withdrawn last.
    pub fn revision_base(&self) -> Option<&ItemVersion> {
        self.public().or_else(|| {
            self.versions
                .iter()
                .rev()
                .find(|v| v.state == VersionState::Withdrawn)
        })
    }
}

/// An item taken over from an earlier site: published as it was, with its
/// own 索引号 and 发布日期 (bulk import, issue 3 item 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyItem {
    pub org_id: OrgId,
    pub index_no: IndexNo,
    pub published_on: NaiveDate,
    pub meta: ItemDraft,
    pub attachments: Vec<NewAttachment>,
    /// 废止依据: the 索引号 of the item that repealed this one, when the
    /// earlier site recorded it. Only for a 废止 item whose `meta` names no
    /// repealing item id. Imported items have no id yet, so the store
    /// resolves the number after inserting the whole batch: it may name
    /// another item of the same batch or any existing item.
    pub repealed_by_index_no: Option<IndexNo>,
}
