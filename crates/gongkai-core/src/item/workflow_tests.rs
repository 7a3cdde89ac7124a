use super::*;
use crate::html::SafeHtml;
use crate::item::metadata::{DisclosureMode, DocKind, ItemDraft, Validity};
use crate::item::scan_gate::{ScanFinding, ScanOverride, ScanRecord};
use crate::item::{Item, ItemDetail, ItemVersion, Revision};
use chrono::{Duration, NaiveDate};

const AUTHOR: UserId = 10;
const REVIEWER: UserId = 20;
const APPROVER: UserId = 30;

fn t(h: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_727_400_000 + h * 3600, 0).unwrap()
}

fn meta() -> ItemDraft {
    ItemDraft {
        title: "青岚市2024年城乡低保对象名单公示".into(),
        summary: "公示低保对象名单".into(),
        body: SafeHtml::sanitize("张三 430102199003071234"),
        issuers: vec!["青岚市民政局".into()],
        doc_number: None,
        written_on: None,
        formed_on: NaiveDate::from_ymd_opt(2024, 9, 27).unwrap(),
        topic: "civil_affairs".into(),
        column_id: 1,
        genre: "announcement".into(),
        keywords: vec![],
        disclosure: DisclosureMode::Proactive,
        doc_kind: DocKind::Other,
        validity: Validity::Effective,
    }
}

fn version(n: i32, state: VersionState) -> ItemVersion {
    ItemVersion {
        item_id: 1,
        version: n,
        state,
        meta: meta(),
        attachments: vec![],
        author_id: Some(AUTHOR),
        author_name: "author".into(),
        revision: Revision::Original,
        publish_at: None,
        published_at: None,
        due_on: None,
        on_time: None,
        scan: None,
        overrides: vec![],
        created_at: t(0),
        updated_at: t(0),
    }
}

fn detail(versions: Vec<ItemVersion>) -> ItemDetail {
    let latest = versions.last().unwrap().version;
    let public = versions
        .iter()
        .find(|v| v.state == VersionState::Published)
        .map(|v| v.version);
    let ever = versions.iter().any(|v| {
        matches!(
            v.state,
            VersionState::Published | VersionState::Superseded | VersionState::Withdrawn
        )
    });
    ItemDetail {
        item: Item {
            id: 1,
            org_id: 5,
            index_no: None,
            index_no_legacy: false,
            latest_version: latest,
            public_version: public,
            first_published_at: ever.then(|| t(1)),
            first_published_on: ever.then(|| NaiveDate::from_ymd_opt(2024, 9, 30).unwrap()),
            withdrawal: None,
            created_at: t(0),
            updated_at: t(0),
        },
        versions,
        transitions: vec![],
    }
}

/// A version scanned in its current form, with these finding keys.
fn scanned(mut v: ItemVersion, keys: &[&str]) -> ItemVersion {
    v.scan = Some(ScanRecord {
        fingerprint: v.fingerprint(),
        findings: keys
            .iter()
            .map(|k| ScanFinding {
                key: (*k).into(),
                kind: "id_number".into(),
                blocks: true,
                excerpt: "4301**********1234".into(),
            })
            .collect(),
        scanned_at: t(0),
        scanned_by: "author".into(),
    });
    v
}

fn overridden(mut v: ItemVersion, key: &str) -> ItemVersion {
    v.overrides.push(ScanOverride {
        finding_key: key.into(),
        reason: "公示名单依法须含身份信息的部分已遮盖".into(),
        by: Some(REVIEWER),
        by_name: "reviewer".into(),
        at: t(0),
    });
    v
}

fn pass() -> Decision {
    Decision::Pass { comment: None }
}

fn only(steps: Vec<Step>) -> Step {
    assert_eq!(steps.len(), 1, "{steps:?}");
    steps.into_iter().next().unwrap()
}

#[test]
fn submission_needs_a_user_content_and_a_current_scan() {
    let d = detail(vec![version(1, VersionState::Draft)]);
    assert_eq!(
        plan(&d, None, &ItemCommand::Submit, t(1)),
        Err(WorkflowError::NoUser)
    );
    assert_eq!(
        plan(&d, Some(AUTHOR), &ItemCommand::Submit, t(1)),
        Err(WorkflowError::NotScanned)
    );
    let mut stale = scanned(version(1, VersionState::Draft), &[]);
    stale.meta.title.push_str("（修订）");
    assert_eq!(
        plan(
            &detail(vec![stale]),
            Some(AUTHOR),
            &ItemCommand::Submit,
            t(1)
        ),
        Err(WorkflowError::ScanStale)
    );
    let mut empty = version(1, VersionState::Draft);
    empty.meta.body = SafeHtml::sanitize("");
    let empty = scanned(empty, &[]);
    assert_eq!(
        plan(
            &detail(vec![empty]),
            Some(AUTHOR),
            &ItemCommand::Submit,
            t(1)
        ),
        Err(WorkflowError::NoContent)
    );
    // Open findings do not block submission: the reviewer resolves them.
    let d = detail(vec![scanned(version(1, VersionState::Draft), &["id:1"])]);
    let s = only(plan(&d, Some(AUTHOR), &ItemCommand::Submit, t(1)).unwrap());
    assert_eq!(
        (s.action, s.from, s.to),
        (
            ItemAction::Submit,
            Some(VersionState::Draft),
            VersionState::InReview
        )
    );
}

#[test]
fn the_author_cannot_review_approve_or_override() {
    let r = detail(vec![scanned(version(1, VersionState::InReview), &["id:1"])]);
    assert_eq!(
        plan(&r, Some(AUTHOR), &ItemCommand::Review(pass()), t(1)),
        Err(WorkflowError::OwnReview)
    );
    assert_eq!(
        check_override(&r, Some(AUTHOR), "id:1", "理由"),
        Err(WorkflowError::OwnOverride)
    );
    let a = detail(vec![scanned(version(1, VersionState::InApproval), &[])]);
    let approve = ItemCommand::Approve {
        decision: pass(),
        publish_at: None,
    };
    assert_eq!(
        plan(&a, Some(AUTHOR), &approve, t(1)),
        Err(WorkflowError::OwnApproval)
    );
    assert_eq!(
        WorkflowError::OwnReview.to_string(),
        "不能对自己起草的信息进行保密审查"
    );
}

#[test]
fn findings_block_review_until_each_is_overridden() {
    let v = scanned(version(1, VersionState::InReview), &["id:1", "tel:2"]);
    let d = detail(vec![v.clone()]);
    assert_eq!(
        plan(&d, Some(REVIEWER), &ItemCommand::Review(pass()), t(1)),
        Err(WorkflowError::Unresolved(2))
    );
    assert_eq!(
        check_override(&d, Some(REVIEWER), "id:9", "理由"),
        Err(WorkflowError::UnknownFinding)
    );
    assert_eq!(
        check_override(&d, Some(REVIEWER), "id:1", "  "),
        Err(WorkflowError::ReasonRequired(ItemAction::Override))
    );
    assert_eq!(
        check_override(&d, Some(REVIEWER), "id:1", " 已核实为虚构示例 ").as_deref(),
        Ok("已核实为虚构示例")
    );
    let d = detail(vec![overridden(overridden(v, "id:1"), "tel:2")]);
    let s = only(plan(&d, Some(REVIEWER), &ItemCommand::Review(pass()), t(1)).unwrap());
    assert_eq!(s.to, VersionState::InApproval);
    assert_eq!(s.decision, Some(DecisionKind::Pass));
}

#[test]
fn masking_during_review_needs_a_new_scan() {
    let mut v = scanned(version(1, VersionState::InReview), &["id:1"]);
    let d = detail(vec![v.clone()]);
    assert_eq!(check_edit(&d, Some(REVIEWER), ItemAction::Update), Ok(()));
    assert_eq!(
        check_edit(&d, Some(AUTHOR), ItemAction::Update),
        Err(WorkflowError::AuthorEditInReview)
    );
    v.meta.body = SafeHtml::sanitize("张三 4301**********1234");
    let d = detail(vec![v.clone()]);
    assert_eq!(
        plan(&d, Some(REVIEWER), &ItemCommand::Review(pass()), t(1)),
        Err(WorkflowError::ScanStale)
    );
    let d = detail(vec![scanned(v, &[])]);
    assert!(plan(&d, Some(REVIEWER), &ItemCommand::Review(pass()), t(1)).is_ok());
}

#[test]
fn rejections_return_to_draft_with_a_comment() {
    let d = detail(vec![scanned(version(1, VersionState::InReview), &["id:1"])]);
    let blank = ItemCommand::Review(Decision::Reject {
        comment: " ".into(),
    });
    assert_eq!(
        plan(&d, Some(REVIEWER), &blank, t(1)),
        Err(WorkflowError::CommentRequired)
    );
    let reject = ItemCommand::Review(Decision::Reject {
        comment: "第3段身份证号未遮盖".into(),
    });
    let s = only(plan(&d, Some(REVIEWER), &reject, t(1)).unwrap());
    assert_eq!(s.to, VersionState::Draft);
    assert_eq!(s.decision, Some(DecisionKind::Reject));
    assert_eq!(s.comment.as_deref(), Some("第3段身份证号未遮盖"));

    let sched = {
        let mut v = scanned(version(1, VersionState::Scheduled), &[]);
        v.publish_at = Some(t(48));
        detail(vec![v])
    };
    let cancel = ItemCommand::Approve {
        decision: Decision::Reject {
            comment: "暂缓发布".into(),
        },
        publish_at: None,
    };
    let s = only(plan(&sched, Some(APPROVER), &cancel, t(1)).unwrap());
    assert_eq!(
        (s.from, s.to),
        (Some(VersionState::Scheduled), VersionState::Draft)
    );
}

#[test]
fn approval_publishes_now_or_schedules() {
    let d = detail(vec![scanned(version(1, VersionState::InApproval), &[])]);
    let now = ItemCommand::Approve {
        decision: pass(),
        publish_at: None,
    };
    let steps = plan(&d, Some(APPROVER), &now, t(5)).unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].action, ItemAction::Approve);
    assert_eq!(steps[0].publish_at, Some(t(5)));
    assert_eq!(
        (steps[1].action, steps[1].to),
        (ItemAction::Publish, VersionState::Published)
    );
    // A time in the past means "now".
    let past = ItemCommand::Approve {
        decision: pass(),
        publish_at: Some(t(1)),
    };
    assert_eq!(plan(&d, Some(APPROVER), &past, t(5)).unwrap().len(), 2);
    let later = ItemCommand::Approve {
        decision: pass(),
        publish_at: Some(t(24)),
    };
    let s = only(plan(&d, Some(APPROVER), &later, t(5)).unwrap());
    assert_eq!((s.to, s.publish_at), (VersionState::Scheduled, Some(t(24))));

    let mut v = d.versions[0].clone();
    v.state = VersionState::Scheduled;
    v.publish_at = Some(t(24));
    let sched = detail(vec![v]);
    assert_eq!(
        plan(&sched, None, &ItemCommand::PublishScheduled, t(23)),
        Err(WorkflowError::NotYetDue)
    );
    let s = only(plan(&sched, None, &ItemCommand::PublishScheduled, t(24)).unwrap());
    assert_eq!(s.to, VersionState::Published);
}

#[test]
fn only_the_expected_state_moves() {
    let d = detail(vec![scanned(version(1, VersionState::Draft), &[])]);
    let err = plan(&d, Some(REVIEWER), &ItemCommand::Review(pass()), t(1)).unwrap_err();
    assert_eq!(err.to_string(), "当前状态为“草稿”，不能保密审查");
    assert!(plan(&d, None, &ItemCommand::PublishScheduled, t(1)).is_err());
    let p = detail(vec![scanned(version(1, VersionState::Published), &[])]);
    assert_eq!(
        check_edit(&p, Some(AUTHOR), ItemAction::Update),
        Err(WorkflowError::WrongState {
            action: ItemAction::Update,
            state: VersionState::Published
        })
    );
}

#[test]
fn withdrawal_needs_a_public_version_and_a_reason() {
    let d = detail(vec![version(1, VersionState::Draft)]);
    let w = ItemCommand::Withdraw {
        reason: "信息有误".into(),
    };
    assert_eq!(
        plan(&d, Some(APPROVER), &w, t(1)),
        Err(WorkflowError::NotPublic)
    );
    let p = detail(vec![version(1, VersionState::Published)]);
    let blank = ItemCommand::Withdraw { reason: "".into() };
    assert_eq!(
        plan(&p, Some(APPROVER), &blank, t(1)),
        Err(WorkflowError::ReasonRequired(ItemAction::Withdraw))
    );
    let s = only(plan(&p, Some(APPROVER), &w, t(1)).unwrap());
    assert_eq!(
        (s.version, s.from, s.to),
        (1, Some(VersionState::Published), VersionState::Withdrawn)
    );
    assert_eq!(s.comment.as_deref(), Some("信息有误"));
}

#[test]
fn revising_starts_one_new_version_of_published_content() {
    let draft = detail(vec![version(1, VersionState::Draft)]);
    let edit = ItemCommand::Revise { correction: None };
    assert_eq!(
        plan(&draft, Some(AUTHOR), &edit, t(1)),
        Err(WorkflowError::NeverPublished)
    );
    let published = detail(vec![version(1, VersionState::Published)]);
    let fix = ItemCommand::Revise {
        correction: Some("附件表格第5行金额有误".into()),
    };
    let s = only(plan(&published, Some(AUTHOR), &fix, t(1)).unwrap());
    assert_eq!(
        (s.action, s.version, s.from, s.to),
        (ItemAction::Correct, 2, None, VersionState::Draft)
    );
    assert_eq!(
        plan(
            &published,
            Some(AUTHOR),
            &ItemCommand::Revise {
                correction: Some("".into())
            },
            t(1)
        ),
        Err(WorkflowError::ReasonRequired(ItemAction::Correct))
    );
    let busy = detail(vec![
        version(1, VersionState::Published),
        version(2, VersionState::InReview),
    ]);
    assert_eq!(
        plan(&busy, Some(AUTHOR), &edit, t(1)),
        Err(WorkflowError::OpenVersion(2))
    );
    let withdrawn = detail(vec![version(1, VersionState::Withdrawn)]);
    let s = only(plan(&withdrawn, Some(AUTHOR), &edit, t(1)).unwrap());
    assert_eq!((s.action, s.version), (ItemAction::Revise, 2));
}

#[test]
fn over_long_comments_are_refused() {
    let d = detail(vec![scanned(version(1, VersionState::InReview), &[])]);
    let long = ItemCommand::Review(Decision::Pass {
        comment: Some("意".repeat(COMMENT_MAX + 1)),
    });
    assert_eq!(
        plan(&d, Some(REVIEWER), &long, t(1) + Duration::hours(1)),
        Err(WorkflowError::CommentTooLong)
    );
}
