//! The publication workflow (先审查、后公开、一事一审), as a pure function from
//! an item and a command to the steps the store records.
//!
//! ```text
//!  草稿 ──提交审查──► 待保密审查 ──通过──► 待领导审批 ──批准──► 待发布 ──(时间到)──► 已发布
//!   ▲                    │                    │  ▲                │                  │
//!   └──────退回(意见)─────┴──────退回(意见)──────┘  └──退回(意见)─────┘        撤回(理由) / 修订·更正(理由)
//!                                                                       → 已撤回   → new version 草稿
//! ```
//!
//! Separation of duties: the 起草人 (author of the version) can neither
//! review nor approve it, nor override its scanner findings. Who holds
//! which role is decided by [`crate::authz`] in the caller; this module
//! decides what the item's state and its author allow, and the store runs
//! it again inside its transaction so that a stale page cannot slip past.

use super::metadata::keyed_enum;
use super::scan_gate::{OVERRIDE_REASON_MAX, ScanGate};
use super::{ItemDetail, ItemVersion};
use crate::UserId;
use crate::text;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const COMMENT_MAX: usize = 1000;

/// The state of one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// 草稿
    Draft,
    /// 提交审查: waiting for the 保密审查.
    InReview,
    /// 保密审查 passed: waiting for 领导审批.
    InApproval,
    /// Approved, goes public at `publish_at`.
    Scheduled,
    /// The public version.
    Published,
    /// Was public, replaced by a later version (kept for staff).
    Superseded,
    /// Was public, withdrawn.
    Withdrawn,
}

keyed_enum!(
    VersionState,
    [
        (Draft, "draft", "草稿"),
        (InReview, "in_review", "待保密审查"),
        (InApproval, "in_approval", "待领导审批"),
        (Scheduled, "scheduled", "待发布"),
        (Published, "published", "已发布"),
        (Superseded, "superseded", "已被新版本替代"),
        (Withdrawn, "withdrawn", "已撤回"),
    ]
);

impl VersionState {
    /// Still on its way to publication.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Draft | Self::InReview | Self::InApproval | Self::Scheduled
        )
    }
}

impl fmt::Display for VersionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What was done to an item; `item.<key>` is the audit action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemAction {
    Create,
    Update,
    Attach,
    Detach,
    Scan,
    Override,
    Submit,
    Review,
    Approve,
    Publish,
    Withdraw,
    Correct,
    Revise,
    Import,
}

keyed_enum!(
    ItemAction,
    [
        (Create, "create", "起草"),
        (Update, "update", "修改"),
        (Attach, "attach", "添加附件"),
        (Detach, "detach", "删除附件"),
        (Scan, "scan", "发布前检查"),
        (Override, "override", "放行检查发现"),
        (Submit, "submit", "提交审查"),
        (Review, "review", "保密审查"),
        (Approve, "approve", "领导审批"),
        (Publish, "publish", "发布"),
        (Withdraw, "withdraw", "撤回"),
        (Correct, "correct", "更正"),
        (Revise, "revise", "修订"),
        (Import, "import", "导入"),
    ]
);

impl ItemAction {
    /// The audit log action, e.g. `item.submit`.
    pub fn audit_action(self) -> String {
        format!("item.{}", self.as_str())
    }
}

impl fmt::Display for ItemAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Pass,
    Reject,
}

keyed_enum!(
    DecisionKind,
    [(Pass, "pass", "通过"), (Reject, "reject", "退回")]
);

/// A reviewer's or approver's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Pass {
        comment: Option<String>,
    },
    /// Back to 草稿; the comment tells the author what to change.
    Reject {
        comment: String,
    },
}

/// A request to move an item along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemCommand {
    /// 提交审查 (needs a scan of the current content).
    Submit,
    /// 保密审查.
    Review(Decision),
    /// 领导审批; a pass publishes at `publish_at`, or at once when it is
    /// `None` or not in the future. A reject also cancels a scheduled publication.
    Approve {
        decision: Decision,
        publish_at: Option<DateTime<Utc>>,
    },
    /// The scheduled time has come (run by the server, no user needed).
    PublishScheduled,
    /// 撤回 the public version.
    Withdraw { reason: String },
    /// Start a new version of a published (or withdrawn) item; with a
    /// reason it is a 更正, shown to the public.
    Revise { correction: Option<String> },
}

/// One recorded change of state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub action: ItemAction,
    pub version: i32,
    /// `None` when the step creates the version.
    pub from: Option<VersionState>,
    pub to: VersionState,
    pub decision: Option<DecisionKind>,
    pub comment: Option<String>,
    /// For a step into [`VersionState::Scheduled`].
    pub publish_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("此操作需要以工作人员账号进行")]
    NoUser,
    #[error("当前状态为“{state}”，不能{action}")]
    WrongState {
        action: ItemAction,
        state: VersionState,
    },
    #[error("不能对自己起草的信息进行保密审查")]
    OwnReview,
    #[error("不能审批自己起草的信息")]
    OwnApproval,
    #[error("不能放行自己起草的信息的检查发现")]
    OwnOverride,
    #[error("审查中的信息只能由审查人修改；起草人请等待退回后再修改")]
    AuthorEditInReview,
    #[error("退回时请填写意见，说明需要修改的内容")]
    CommentRequired,
    #[error("请填写{0}理由")]
    ReasonRequired(ItemAction),
    #[error("意见或理由不能超过{COMMENT_MAX}个字符")]
    CommentTooLong,
    #[error("放行理由不能超过{OVERRIDE_REASON_MAX}个字符")]
    OverrideReasonTooLong,
    #[error("尚未进行发布前检查，请先运行检查")]
    NotScanned,
    #[error("内容在检查后被修改过，请重新运行发布前检查")]
    ScanStale,
    #[error("还有{0}条检查发现未处理：请修改内容后重新检查，或逐条说明理由后放行")]
    Unresolved(usize),
    #[error("正文和附件不能都为空")]
    NoContent,
    #[error("定时发布时间未到")]
    NotYetDue,
    #[error("该信息目前没有公开的版本，无需撤回")]
    NotPublic,
    #[error("该信息已有未发布的第{0}版，请先完成该版本")]
    OpenVersion(i32),
    #[error("尚未发布过的信息请直接修改草稿")]
    NeverPublished,
    #[error("本次检查结果中没有这条发现")]
    UnknownFinding,
}

fn user(actor: Option<UserId>) -> Result<UserId, WorkflowError> {
    actor.ok_or(WorkflowError::NoUser)
}

fn expect_state(
    v: &ItemVersion,
    action: ItemAction,
    allowed: &[VersionState],
) -> Result<(), WorkflowError> {
    if allowed.contains(&v.state) {
        Ok(())
    } else {
        Err(WorkflowError::WrongState {
            action,
            state: v.state,
        })
    }
}

/// A trimmed comment, `None` if empty; refuses over-long ones.
fn comment(c: Option<&str>) -> Result<Option<String>, WorkflowError> {
    let c = c
        .map(|s| s.replace("\r\n", "\n").trim().to_string())
        .filter(|s| !s.is_empty());
    if c.as_deref()
        .is_some_and(|s| text::char_len(s) > COMMENT_MAX)
    {
        return Err(WorkflowError::CommentTooLong);
    }
    Ok(c)
}

fn required_reason(r: &str, action: ItemAction) -> Result<String, WorkflowError> {
    comment(Some(r))?.ok_or(WorkflowError::ReasonRequired(action))
}

/// The gate 通过审查, 审批 and 发布 need.
fn require_clear(v: &ItemVersion) -> Result<(), WorkflowError> {
    match v.scan_gate() {
        ScanGate::Clear => Ok(()),
        ScanGate::NotScanned => Err(WorkflowError::NotScanned),
        ScanGate::Stale => Err(WorkflowError::ScanStale),
        ScanGate::Unresolved(keys) => Err(WorkflowError::Unresolved(keys.len())),
    }
}

/// The steps `cmd` takes on `item` for `actor` at `now`, or why it cannot.
pub fn plan(
    item: &ItemDetail,
    actor: Option<UserId>,
    cmd: &ItemCommand,
    now: DateTime<Utc>,
) -> Result<Vec<Step>, WorkflowError> {
    use VersionState::*;
    let v = item.latest();
    let step = |action, from: VersionState, to, decision, comment| Step {
        action,
        version: v.version,
        from: Some(from),
        to,
        decision,
        comment,
        publish_at: None,
    };
    match cmd {
        ItemCommand::Submit => {
            user(actor)?;
            expect_state(v, ItemAction::Submit, &[Draft])?;
            if v.meta.body.is_blank() && v.attachments.is_empty() {
                return Err(WorkflowError::NoContent);
            }
            // Findings may be open at submission: resolving them is the reviewer's job.
            match v.scan_gate() {
                ScanGate::NotScanned => return Err(WorkflowError::NotScanned),
                ScanGate::Stale => return Err(WorkflowError::ScanStale),
                ScanGate::Clear | ScanGate::Unresolved(_) => {}
            }
            Ok(vec![step(ItemAction::Submit, Draft, InReview, None, None)])
        }
        ItemCommand::Review(decision) => {
            let who = user(actor)?;
            expect_state(v, ItemAction::Review, &[InReview])?;
            if v.author_id == Some(who) {
                return Err(WorkflowError::OwnReview);
            }
            match decision {
                Decision::Pass { comment: c } => {
                    let c = comment(c.as_deref())?;
                    require_clear(v)?;
                    Ok(vec![step(
                        ItemAction::Review,
                        InReview,
                        InApproval,
                        Some(DecisionKind::Pass),
                        c,
                    )])
                }
                Decision::Reject { comment: c } => {
                    let c = comment(Some(c))?.ok_or(WorkflowError::CommentRequired)?;
                    Ok(vec![step(
                        ItemAction::Review,
                        InReview,
                        Draft,
                        Some(DecisionKind::Reject),
                        Some(c),
                    )])
                }
            }
        }
        ItemCommand::Approve {
            decision,
            publish_at,
        } => {
            let who = user(actor)?;
            match decision {
                Decision::Pass { comment: c } => {
                    expect_state(v, ItemAction::Approve, &[InApproval])?;
                    if v.author_id == Some(who) {
                        return Err(WorkflowError::OwnApproval);
                    }
                    let c = comment(c.as_deref())?;
                    require_clear(v)?;
                    let at = publish_at.filter(|t| *t > now).unwrap_or(now);
                    let mut steps = vec![Step {
                        publish_at: Some(at),
                        ..step(
                            ItemAction::Approve,
                            InApproval,
                            Scheduled,
                            Some(DecisionKind::Pass),
                            c,
                        )
                    }];
                    if at <= now {
                        steps.push(step(ItemAction::Publish, Scheduled, Published, None, None));
                    }
                    Ok(steps)
                }
                Decision::Reject { comment: c } => {
                    expect_state(v, ItemAction::Approve, &[InApproval, Scheduled])?;
                    if v.author_id == Some(who) {
                        return Err(WorkflowError::OwnApproval);
                    }
                    let c = comment(Some(c))?.ok_or(WorkflowError::CommentRequired)?;
                    Ok(vec![step(
                        ItemAction::Approve,
                        v.state,
                        Draft,
                        Some(DecisionKind::Reject),
                        Some(c),
                    )])
                }
            }
        }
        ItemCommand::PublishScheduled => {
            expect_state(v, ItemAction::Publish, &[Scheduled])?;
            if v.publish_at.is_some_and(|t| t > now) {
                return Err(WorkflowError::NotYetDue);
            }
            require_clear(v)?;
            Ok(vec![step(
                ItemAction::Publish,
                Scheduled,
                Published,
                None,
                None,
            )])
        }
        ItemCommand::Withdraw { reason } => {
            user(actor)?;
            let reason = required_reason(reason, ItemAction::Withdraw)?;
            let public = item.public().ok_or(WorkflowError::NotPublic)?;
            Ok(vec![Step {
                action: ItemAction::Withdraw,
                version: public.version,
                from: Some(Published),
                to: Withdrawn,
                decision: None,
                comment: Some(reason),
                publish_at: None,
            }])
        }
        ItemCommand::Revise { correction } => {
            user(actor)?;
            let (action, c) = match correction {
                Some(r) => (
                    ItemAction::Correct,
                    Some(required_reason(r, ItemAction::Correct)?),
                ),
                None => (ItemAction::Revise, None),
            };
            if v.is_open() {
                return Err(if item.item.first_published_on.is_none() {
                    WorkflowError::NeverPublished
                } else {
                    WorkflowError::OpenVersion(v.version)
                });
            }
            if item.revision_base().is_none() {
                return Err(WorkflowError::NeverPublished);
            }
            Ok(vec![Step {
                action,
                version: v.version + 1,
                from: None,
                to: Draft,
                decision: None,
                comment: c,
                publish_at: None,
            }])
        }
    }
}

/// Whether `actor` may change the content (metadata, attachments) of the
/// open version: anyone allowed to draft while it is a 草稿, and during
/// 保密审查 the reviewer — someone other than the author — to mask findings.
pub fn check_edit(
    item: &ItemDetail,
    actor: Option<UserId>,
    action: ItemAction,
) -> Result<(), WorkflowError> {
    let who = user(actor)?;
    let v = item.latest();
    match v.state {
        VersionState::Draft => Ok(()),
        VersionState::InReview if v.author_id == Some(who) => {
            Err(WorkflowError::AuthorEditInReview)
        }
        VersionState::InReview => Ok(()),
        state => Err(WorkflowError::WrongState { action, state }),
    }
}

/// Whether a scan may be recorded: only on an open version.
pub fn check_scan(item: &ItemDetail) -> Result<(), WorkflowError> {
    let v = item.latest();
    expect_state(
        v,
        ItemAction::Scan,
        &[
            VersionState::Draft,
            VersionState::InReview,
            VersionState::InApproval,
            VersionState::Scheduled,
        ],
    )
}

/// Whether `actor` may override `finding_key` of the current scan, and the
/// cleaned reason.
pub fn check_override(
    item: &ItemDetail,
    actor: Option<UserId>,
    finding_key: &str,
    reason: &str,
) -> Result<String, WorkflowError> {
    let who = user(actor)?;
    let v = item.latest();
    expect_state(
        v,
        ItemAction::Override,
        &[VersionState::InReview, VersionState::InApproval],
    )?;
    if v.author_id == Some(who) {
        return Err(WorkflowError::OwnOverride);
    }
    let reason = text::clean_line(reason);
    if reason.is_empty() {
        return Err(WorkflowError::ReasonRequired(ItemAction::Override));
    }
    if text::char_len(&reason) > OVERRIDE_REASON_MAX {
        return Err(WorkflowError::OverrideReasonTooLong);
    }
    match v.scan_gate() {
        ScanGate::NotScanned => return Err(WorkflowError::NotScanned),
        ScanGate::Stale => return Err(WorkflowError::ScanStale),
        _ => {}
    }
    let known = v
        .scan
        .as_ref()
        .is_some_and(|s| s.findings.iter().any(|f| f.key == finding_key));
    if !known {
        return Err(WorkflowError::UnknownFinding);
    }
    Ok(reason)
}

#[cfg(test)]
#[path = "workflow_tests.rs"]
mod tests;
