//! The catalog-item store contract (主动公开). Every body runs on SQLite and,
//! with `GONGKAI_TEST_PG_URL`, on PostgreSQL, each on a fresh database.

use crate::common;

use chrono::{DateTime, NaiveDate, Utc};
use common::Db;
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, AuditRecord};
use gongkai_core::html::SafeHtml;
use gongkai_core::item::query::{CatalogCursor, CatalogQuery, CatalogTotal, WorkQuery};
use gongkai_core::item::taxonomy::default_columns;
use gongkai_core::item::workflow::DecisionKind;
use gongkai_core::item::{
    ColumnDraft, Decision, DisclosureMode, DocKind, IndexNo, IndexTemplate, ItemAction,
    ItemCommand, ItemDetail, ItemDraft, ItemId, LegacyItem, NewAttachment, Revision, ScanReport,
    Validity, ValidityKind, VersionState,
};
use gongkai_core::org::{OfficeContact, OrgDraft, OrgKind, OrgLevel};
use gongkai_core::org_code::{OrgCode, complete_credit_code};
use gongkai_core::scan::{self, ScanConfig};
use gongkai_core::store::StoreError;
use gongkai_core::user::NewUser;

store_tests!(
    columns_are_seeded_once_and_edited_within_the_agency,
    index_templates_default_and_replace,
    the_full_workflow_masks_reviews_approves_and_withdraws,
    the_author_cannot_review_or_approve_in_the_store,
    a_refused_transition_changes_nothing,
    concurrent_publication_gives_unique_index_numbers,
    scheduled_publication_waits_for_its_time,
    corrections_keep_the_index_number_and_the_old_version,
    references_are_checked,
    attachments_belong_to_the_open_version,
    due_lists_hold_open_proactive_items_formed_by_the_cutoff,
    imports_keep_legacy_numbers_all_or_nothing,
    imports_link_repeals_by_index_number_all_or_nothing,
    the_catalog_filters_and_pages,
    work_lists_are_scoped_and_filtered,
    published_on_time_figures_count_versions_per_agency_and_beijing_year,
    public_item_ids_keep_only_what_the_catalog_shows,
    the_catalog_counts_up_to_a_cap_and_pages_by_keyset,
    public_items_are_read_in_batches_as_the_item_page_shows_them,
    the_catalog_table_follows_every_change_of_the_public_version,
    the_catalog_table_is_filled_from_existing_items_by_its_migration,
);

// ---------- fixtures ----------

const CODE_SEED: &str = "11990100MB0000042";

fn admin() -> Actor {
    Actor::system("test")
}

fn code() -> OrgCode {
    complete_credit_code(CODE_SEED).expect("valid fictional code")
}

fn org_draft(name: &str, kind: OrgKind, level: OrgLevel, code: Option<OrgCode>) -> OrgDraft {
    OrgDraft {
        name: name.into(),
        short_name: None,
        code,
        kind,
        level,
        sort_order: 0,
        active: true,
        successor_id: None,
        contact: OfficeContact::default(),
    }
}

struct Agency {
    org: OrgId,
    /// Column ids of the seeded defaults, by key.
    columns: Vec<(String, i64)>,
    author: Actor,
    reviewer: Actor,
    approver: Actor,
}

impl Agency {
    fn column(&self, key: &str) -> i64 {
        self.columns
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| panic!("no column {key}"))
    }
}

async fn user(db: &Db, name: &str, org: OrgId) -> Actor {
    let u = db
        .store
        .create_user(
            &admin(),
            &NewUser {
                username: name.into(),
                display_name: name.into(),
                org_id: org,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$hash".into(),
            },
        )
        .await
        .unwrap();
    Actor::user(u.id, &u.username)
}

async fn agency(db: &Db, name: &str, code: Option<OrgCode>, prefix: &str) -> Agency {
    let org = db
        .store
        .create_org(
            &admin(),
            None,
            &org_draft(name, OrgKind::Department, OrgLevel::County, code),
        )
        .await
        .unwrap()
        .id;
    let seeds = default_columns(OrgKind::Department, OrgLevel::County);
    let cols = db
        .store
        .seed_item_columns(&admin(), org, &seeds)
        .await
        .unwrap();
    Agency {
        org,
        columns: cols
            .into_iter()
            .map(|c| (c.key.unwrap_or_default(), c.id))
            .collect(),
        author: user(db, &format!("{prefix}_author"), org).await,
        reviewer: user(db, &format!("{prefix}_reviewer"), org).await,
        approver: user(db, &format!("{prefix}_approver"), org).await,
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// 10:00 Beijing time on 2024-10-30, the last day for an item formed on 2024-09-27.
fn publish_time() -> DateTime<Utc> {
    at("2024-10-30T02:00:00Z")
}

fn meta(a: &Agency, title: &str, body: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        summary: "公布2024年第三季度城乡低保对象名单及保障金额。".into(),
        body: SafeHtml::sanitize(body),
        issuers: vec!["青岚市民政局".into()],
        doc_number: None,
        written_on: Some(date("2024-09-26")),
        formed_on: date("2024-09-27"),
        topic: "civil_affairs".into(),
        column_id: a.column("key_livelihood"),
        genre: "announcement".into(),
        keywords: vec!["低保".into(), "公示".into()],
        disclosure: DisclosureMode::Proactive,
        doc_kind: DocKind::Other,
        validity: Validity::Effective,
    }
}

async fn create(db: &Db, a: &Agency, title: &str) -> ItemDetail {
    db.store
        .create_item(
            &a.author,
            a.org,
            &meta(a, title, "经审核，现将名单予以公示。"),
        )
        .await
        .unwrap()
}

/// Runs the real scanner over the open version and records the result.
async fn scan_now(db: &Db, actor: &Actor, id: ItemId) -> ItemDetail {
    let d = db.store.get_item(id).await.unwrap().unwrap();
    let v = d.latest();
    let findings = scan::scan(
        &[("标题", &v.meta.title), ("正文", v.meta.body.as_str())],
        &ScanConfig::default(),
    );
    db.store
        .record_item_scan(actor, id, &ScanReport::new(v.fingerprint(), &findings))
        .await
        .unwrap()
}

fn pass() -> Decision {
    Decision::Pass { comment: None }
}

fn approve_now() -> ItemCommand {
    ItemCommand::Approve {
        decision: pass(),
        publish_at: None,
    }
}

/// Draft → 待领导审批 with a clean scan.
async fn to_approval(db: &Db, a: &Agency, id: ItemId) {
    scan_now(db, &a.author, id).await;
    let now = publish_time();
    db.store
        .transition_item(&a.author, id, &ItemCommand::Submit, now)
        .await
        .unwrap();
    db.store
        .transition_item(&a.reviewer, id, &ItemCommand::Review(pass()), now)
        .await
        .unwrap();
}

/// Takes the open version through review and approval, published at `when`.
async fn approve_through(db: &Db, a: &Agency, id: ItemId, when: DateTime<Utc>) -> ItemDetail {
    to_approval(db, a, id).await;
    db.store
        .transition_item(&a.approver, id, &approve_now(), when)
        .await
        .unwrap()
}

/// Opens a 更正 of a published item (a new draft version) with `reason`.
async fn open_correction(
    db: &Db,
    a: &Agency,
    id: ItemId,
    reason: &str,
    when: DateTime<Utc>,
) -> ItemDetail {
    db.store
        .transition_item(
            &a.author,
            id,
            &ItemCommand::Revise {
                correction: Some(reason.into()),
            },
            when,
        )
        .await
        .unwrap()
}

/// The approver withdraws a published item with `reason`.
async fn withdraw(
    db: &Db,
    a: &Agency,
    id: ItemId,
    reason: &str,
    when: DateTime<Utc>,
) -> ItemDetail {
    db.store
        .transition_item(
            &a.approver,
            id,
            &ItemCommand::Withdraw {
                reason: reason.into(),
            },
            when,
        )
        .await
        .unwrap()
}

async fn publish_new(db: &Db, a: &Agency, title: &str) -> ItemDetail {
    let id = create(db, a, title).await.item.id;
    approve_through(db, a, id, publish_time()).await
}

/// Creates an item from `m` and takes it through review and approval,
/// published at `when`.
async fn publish_draft(db: &Db, a: &Agency, m: &ItemDraft, when: DateTime<Utc>) -> ItemId {
    let id = db
        .store
        .create_item(&a.author, a.org, m)
        .await
        .unwrap()
        .item
        .id;
    approve_through(db, a, id, when).await;
    id
}

async fn head_seq(db: &Db) -> i64 {
    db.store.audit_head().await.unwrap().map_or(0, |(s, _)| s)
}

async fn actions_after(db: &Db, seq: i64) -> Vec<String> {
    records_after(db, seq)
        .await
        .into_iter()
        .map(|r| r.action)
        .collect()
}

async fn records_after(db: &Db, seq: i64) -> Vec<AuditRecord> {
    db.store.audit_after(seq, 1000).await.unwrap()
}

fn invalid_message(e: StoreError) -> String {
    match e {
        StoreError::Invalid(m) => m,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn catalog(org: OrgId) -> CatalogQuery {
    CatalogQuery {
        org_ids: Some(vec![org]),
        limit: 50,
        count_up_to: Some(1000),
        ..Default::default()
    }
}

// ---------- columns and templates ----------

async fn columns_are_seeded_once_and_edited_within_the_agency(db: Db) {
    let town = db
        .store
        .create_org(
            &admin(),
            None,
            &org_draft(
                "青岚市东湖街道办事处",
                OrgKind::TownshipStreet,
                OrgLevel::Township,
                None,
            ),
        )
        .await
        .unwrap()
        .id;
    let seeds = default_columns(OrgKind::TownshipStreet, OrgLevel::Township);
    let seq = head_seq(&db).await;
    let cols = db
        .store
        .seed_item_columns(&admin(), town, &seeds)
        .await
        .unwrap();
    assert_eq!(cols.len(), seeds.len());
    assert_eq!(actions_after(&db, seq).await, vec!["item_column.seed"]);
    let root = cols
        .iter()
        .find(|c| c.key.as_deref() == Some("statutory"))
        .unwrap();
    assert_eq!(root.name, "法定主动公开内容");
    assert_eq!(root.parent_id, None);
    let finance = cols
        .iter()
        .find(|c| c.key.as_deref() == Some("finance"))
        .unwrap();
    let budget = cols
        .iter()
        .find(|c| c.key.as_deref() == Some("finance_budget"))
        .unwrap();
    assert_eq!(budget.parent_id, Some(finance.id));
    assert!(cols.iter().any(|c| c.name == "涉农补贴"));

    // Seeding again changes nothing and records nothing.
    let seq = head_seq(&db).await;
    let again = db
        .store
        .seed_item_columns(&admin(), town, &seeds)
        .await
        .unwrap();
    assert_eq!(again, cols);
    assert_eq!(head_seq(&db).await, seq);

    let own = db
        .store
        .create_item_column(
            &admin(),
            town,
            &ColumnDraft {
                parent_id: Some(finance.id),
                name: "村级财务公开".into(),
                basis: None,
                sort_order: 500,
                active: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(own.key, None);
    assert_eq!(own.parent_id, Some(finance.id));

    // No loops, no parents of another agency.
    let err = db
        .store
        .update_item_column(
            &admin(),
            finance.id,
            &ColumnDraft {
                parent_id: Some(own.id),
                name: finance.name.clone(),
                basis: None,
                sort_order: 0,
                active: true,
            },
        )
        .await
        .unwrap_err();
    assert!(invalid_message(err).contains("下级栏目"));
    let other = agency(&db, "青岚市财政局", None, "cz").await;
    let err = db
        .store
        .create_item_column(
            &admin(),
            town,
            &ColumnDraft {
                parent_id: Some(other.column("statutory")),
                name: "越权栏目".into(),
                basis: None,
                sort_order: 0,
                active: true,
            },
        )
        .await
        .unwrap_err();
    assert!(invalid_message(err).contains("不属于本机关"));

    let seq = head_seq(&db).await;
    let renamed = db
        .store
        .update_item_column(
            &admin(),
            own.id,
            &ColumnDraft {
                parent_id: Some(finance.id),
                name: "村级财务".into(),
                basis: Some("村务公开条例".into()),
                sort_order: 510,
                active: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "村级财务");
    assert!(!renamed.active);
    assert_eq!(actions_after(&db, seq).await, vec!["item_column.update"]);
    let listed = db.store.list_item_columns(town).await.unwrap();
    assert_eq!(listed.len(), seeds.len() + 1);
    assert!(listed.contains(&renamed));
}

async fn index_templates_default_and_replace(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    assert_eq!(
        db.store.get_index_template(a.org).await.unwrap(),
        IndexTemplate::default()
    );
    let t = IndexTemplate::parse("QLMZ-{year}{month}-{seq:04}").unwrap();
    let seq = head_seq(&db).await;
    db.store
        .put_index_template(&admin(), a.org, &t)
        .await
        .unwrap();
    assert_eq!(db.store.get_index_template(a.org).await.unwrap(), t);
    let recs = records_after(&db, seq).await;
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].action, "item.index_template");
    assert!(recs[0].summary.contains("QLMZ-{year}{month}-{seq:04}"));
    let p = publish_new(&db, &a, "按新模板编号的信息").await;
    assert_eq!(p.item.index_no.unwrap().as_str(), "QLMZ-202410-0001");
}

// ---------- the workflow ----------

async fn the_full_workflow_masks_reviews_approves_and_withdraws(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let start = head_seq(&db).await;
    let body = "经审核，张三（身份证号430104199001011230）符合城乡低保条件，现予公示。";
    let created = db
        .store
        .create_item(&a.author, a.org, &meta(&a, "城乡低保对象公示", body))
        .await
        .unwrap();
    let id = created.item.id;
    assert_eq!(created.latest().state, VersionState::Draft);
    assert_eq!(created.latest().author_id, a.author.user_id);
    assert_eq!(created.item.index_no, None, "no number before publication");

    // The scanner finds the ID number; submission is allowed, review is not.
    let scanned = scan_now(&db, &a.author, id).await;
    let findings = &scanned.latest().scan.as_ref().unwrap().findings;
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, "id_number");
    assert!(!findings[0].excerpt.contains("430104199001011230"));
    let now = publish_time();
    db.store
        .transition_item(&a.author, id, &ItemCommand::Submit, now)
        .await
        .unwrap();
    let err = db
        .store
        .transition_item(&a.reviewer, id, &ItemCommand::Review(pass()), now)
        .await
        .unwrap_err();
    assert!(invalid_message(err).contains("1条检查发现未处理"));

    // The reviewer masks the number, scans again, and passes the review.
    let v = db
        .store
        .get_item(id)
        .await
        .unwrap()
        .unwrap()
        .latest()
        .clone();
    let found = scan::scan(&[("正文", v.meta.body.as_str())], &ScanConfig::default());
    let mut masked = v.meta.clone();
    masked.body = SafeHtml::sanitize(&scan::mask_all(v.meta.body.as_str(), &found));
    assert!(masked.body.as_str().contains("4301**********1230"));
    db.store
        .update_item(&a.reviewer, id, &masked)
        .await
        .unwrap();
    let err = db
        .store
        .transition_item(&a.reviewer, id, &ItemCommand::Review(pass()), now)
        .await
        .unwrap_err();
    assert!(invalid_message(err).contains("重新运行发布前检查"));
    let rescanned = scan_now(&db, &a.reviewer, id).await;
    assert!(
        rescanned
            .latest()
            .scan
            .as_ref()
            .unwrap()
            .findings
            .is_empty()
    );
    db.store
        .transition_item(
            &a.reviewer,
            id,
            &ItemCommand::Review(Decision::Pass {
                comment: Some("身份证号已遮盖".into()),
            }),
            now,
        )
        .await
        .unwrap();

    // The approver publishes at once: 索引号, 发布日期 and the deadline are recorded.
    let published = db
        .store
        .transition_item(&a.approver, id, &approve_now(), now)
        .await
        .unwrap();
    let expected_no = format!("{}/2024-00001", code());
    assert_eq!(
        published.item.index_no.as_ref().unwrap().as_str(),
        expected_no
    );
    assert!(!published.item.index_no_legacy);
    assert_eq!(published.item.public_version, Some(1));
    assert_eq!(published.item.first_published_on, Some(date("2024-10-30")));
    let v = published.latest();
    assert_eq!(v.state, VersionState::Published);
    assert_eq!(v.published_at, Some(now));
    assert_eq!(v.due_on, Some(date("2024-10-30")));
    assert_eq!(v.on_time, Some(true));

    // The review record.
    let steps: Vec<(
        ItemAction,
        Option<VersionState>,
        VersionState,
        Option<DecisionKind>,
    )> = published
        .transitions
        .iter()
        .map(|t| (t.action, t.from, t.to, t.decision))
        .collect();
    use VersionState::*;
    assert_eq!(
        steps,
        vec![
            (ItemAction::Create, None, Draft, None),
            (ItemAction::Submit, Some(Draft), InReview, None),
            (
                ItemAction::Review,
                Some(InReview),
                InApproval,
                Some(DecisionKind::Pass)
            ),
            (
                ItemAction::Approve,
                Some(InApproval),
                Scheduled,
                Some(DecisionKind::Pass)
            ),
            (ItemAction::Publish, Some(Scheduled), Published, None),
        ]
    );
    let review = &published.transitions[2];
    assert_eq!(review.actor_user_id, a.reviewer.user_id);
    assert_eq!(review.comment.as_deref(), Some("身份证号已遮盖"));
    assert_eq!(review.at, now);

    // The public sees it, with the masked body.
    let page = db.store.list_catalog(&catalog(a.org)).await.unwrap();
    assert_eq!(page.total_count(), 1);
    assert_eq!(page.entries[0].index_no.as_str(), expected_no);
    assert_eq!(page.entries[0].published_on, date("2024-10-30"));
    let public = db.store.get_public_item(id).await.unwrap().unwrap();
    assert!(public.meta.body.as_str().contains("4301**********1230"));
    assert!(public.corrections.is_empty());

    // Every step is in the audit log, and no record copies the ID number.
    let actions = actions_after(&db, start).await;
    assert_eq!(
        actions,
        vec![
            "item.create",
            "item.scan",
            "item.submit",
            "item.update",
            "item.scan",
            "item.review",
            "item.approve",
            "item.publish",
        ]
    );
    let recs = records_after(&db, start).await;
    assert!(
        recs.iter()
            .all(|r| r.org_id == Some(a.org) && r.object_id == id.to_string())
    );
    assert!(
        recs.iter()
            .all(|r| !r.summary.contains("430104199001011230"))
    );
    assert!(recs.last().unwrap().summary.contains(&expected_no));

    // Withdrawal takes it out of the catalog.
    let seq = head_seq(&db).await;
    let w = withdraw(&db, &a, id, "名单有误，核实后重新公示", now).await;
    assert_eq!(w.item.public_version, None);
    assert_eq!(
        w.item.withdrawal.as_ref().unwrap().reason,
        "名单有误，核实后重新公示"
    );
    assert_eq!(w.latest().state, VersionState::Withdrawn);
    assert_eq!(w.item.index_no.as_ref().unwrap().as_str(), expected_no);
    assert_eq!(actions_after(&db, seq).await, vec!["item.withdraw"]);
    assert_eq!(
        db.store
            .list_catalog(&catalog(a.org))
            .await
            .unwrap()
            .total_count(),
        0
    );
    assert_eq!(db.store.get_public_item(id).await.unwrap(), None);
}

async fn the_author_cannot_review_or_approve_in_the_store(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let id = create(&db, &a, "本人起草的信息").await.item.id;
    scan_now(&db, &a.author, id).await;
    let now = publish_time();
    db.store
        .transition_item(&a.author, id, &ItemCommand::Submit, now)
        .await
        .unwrap();
    let before = db.store.get_item(id).await.unwrap().unwrap();
    let seq = head_seq(&db).await;
    let err = db
        .store
        .transition_item(&a.author, id, &ItemCommand::Review(pass()), now)
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "不能对自己起草的信息进行保密审查");
    let err = db
        .store
        .update_item(&a.author, id, &meta(&a, "改标题", "改正文"))
        .await
        .unwrap_err();
    assert!(invalid_message(err).contains("只能由审查人修改"));
    // Passing review to a colleague does not let the author approve.
    db.store
        .transition_item(&a.reviewer, id, &ItemCommand::Review(pass()), now)
        .await
        .unwrap();
    let err = db
        .store
        .transition_item(&a.author, id, &approve_now(), now)
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "不能审批自己起草的信息");
    let after = db.store.get_item(id).await.unwrap().unwrap();
    assert_eq!(after.latest().state, VersionState::InApproval);
    assert_eq!(after.transitions.len(), before.transitions.len() + 1);
    assert_eq!(actions_after(&db, seq).await, vec!["item.review"]);
    // A command-line actor has no user: no workflow step for it.
    let err = db
        .store
        .transition_item(&Actor::cli(), id, &approve_now(), now)
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "此操作需要以工作人员账号进行");
}

async fn a_refused_transition_changes_nothing(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let id = create(&db, &a, "未检查的草稿").await.item.id;
    let before = db.store.get_item(id).await.unwrap().unwrap();
    let seq = head_seq(&db).await;
    let now = publish_time();
    let refused = [
        (ItemCommand::Submit, "尚未进行发布前检查，请先运行检查"),
        (
            ItemCommand::Review(pass()),
            "当前状态为“草稿”，不能保密审查",
        ),
        (approve_now(), "当前状态为“草稿”，不能领导审批"),
        (ItemCommand::PublishScheduled, "当前状态为“草稿”，不能发布"),
        (
            ItemCommand::Withdraw { reason: "x".into() },
            "该信息目前没有公开的版本，无需撤回",
        ),
        (
            ItemCommand::Revise { correction: None },
            "尚未发布过的信息请直接修改草稿",
        ),
    ];
    for (cmd, message) in refused {
        let err = db
            .store
            .transition_item(&a.reviewer, id, &cmd, now)
            .await
            .unwrap_err();
        assert_eq!(invalid_message(err), message, "{cmd:?}");
    }
    let err = db
        .store
        .override_item_finding(&a.reviewer, id, "k", "理由")
        .await
        .unwrap_err();
    assert!(invalid_message(err).contains("不能放行检查发现"));
    assert_eq!(db.store.get_item(id).await.unwrap().unwrap(), before);
    assert_eq!(head_seq(&db).await, seq);
    assert!(matches!(
        db.store
            .transition_item(&a.reviewer, 999_999, &ItemCommand::Submit, now)
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn concurrent_publication_gives_unique_index_numbers(db: Db) {
    const N: usize = 8;
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let mut ids = Vec::new();
    for i in 0..N {
        let id = create(&db, &a, &format!("并发发布测试{i}")).await.item.id;
        to_approval(&db, &a, id).await;
        ids.push(id);
    }
    let tasks: Vec<_> = ids
        .iter()
        .map(|&id| {
            let store = db.store.clone();
            let approver = a.approver.clone();
            tokio::spawn(async move {
                store
                    .transition_item(&approver, id, &approve_now(), publish_time())
                    .await
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        let d = t.await.unwrap().unwrap();
        numbers.push(d.item.index_no.unwrap().as_str().to_string());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=N).map(|n| format!("{}/2024-{n:05}", code())).collect();
    assert_eq!(numbers, expected);
    gongkai_core::audit::verify_store(db.store.as_ref())
        .await
        .unwrap();
}

async fn scheduled_publication_waits_for_its_time(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let id = create(&db, &a, "定时发布的信息").await.item.id;
    to_approval(&db, &a, id).await;
    let approved_at = at("2024-10-28T01:00:00Z");
    let when = at("2024-11-01T00:30:00Z"); // 08:30 on 11-01 in Beijing
    let d = db
        .store
        .transition_item(
            &a.approver,
            id,
            &ItemCommand::Approve {
                decision: pass(),
                publish_at: Some(when),
            },
            approved_at,
        )
        .await
        .unwrap();
    assert_eq!(d.latest().state, VersionState::Scheduled);
    assert_eq!(d.latest().publish_at, Some(when));
    assert_eq!(d.item.index_no, None);
    assert!(
        db.store
            .list_scheduled_items(at("2024-11-01T00:29:59Z"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        db.store
            .list_catalog(&catalog(a.org))
            .await
            .unwrap()
            .total_count(),
        0
    );
    let err = db
        .store
        .transition_item(
            &Actor::system("scheduler"),
            id,
            &ItemCommand::PublishScheduled,
            approved_at,
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "定时发布时间未到");

    assert_eq!(db.store.list_scheduled_items(when).await.unwrap(), vec![id]);
    let p = db
        .store
        .transition_item(
            &Actor::system("scheduler"),
            id,
            &ItemCommand::PublishScheduled,
            when,
        )
        .await
        .unwrap();
    let v = p.latest();
    assert_eq!(v.state, VersionState::Published);
    assert_eq!(
        v.publish_at,
        Some(when),
        "the scheduled time stays on record"
    );
    assert_eq!(p.item.first_published_on, Some(date("2024-11-01")));
    // Formed 2024-09-27, due 2024-10-30: published two days late.
    assert_eq!(v.due_on, Some(date("2024-10-30")));
    assert_eq!(v.on_time, Some(false));
    let last = p.transitions.last().unwrap();
    assert_eq!(
        (last.action, last.actor_user_id),
        (ItemAction::Publish, None)
    );
    assert!(
        db.store
            .list_scheduled_items(when)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn corrections_keep_the_index_number_and_the_old_version(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let first = publish_new(&db, &a, "2024年第三季度低保资金发放情况").await;
    let id = first.item.id;
    let no = first.item.index_no.clone().unwrap();
    let later = at("2024-11-05T02:00:00Z");

    let seq = head_seq(&db).await;
    let d = open_correction(&db, &a, id, "第二段发放金额有误，已更正", later).await;
    assert_eq!(actions_after(&db, seq).await, vec!["item.correct"]);
    assert_eq!(d.item.latest_version, 2);
    assert_eq!(d.item.public_version, Some(1));
    let v2 = d.latest();
    assert_eq!(v2.state, VersionState::Draft);
    assert_eq!(
        v2.revision,
        Revision::Correction {
            reason: "第二段发放金额有误，已更正".into()
        }
    );
    assert_eq!(v2.meta, first.latest().meta);
    // While version 2 is under way the public still sees version 1.
    assert_eq!(
        db.store.get_public_item(id).await.unwrap().unwrap().version,
        1
    );
    let err = db
        .store
        .transition_item(
            &a.author,
            id,
            &ItemCommand::Revise { correction: None },
            later,
        )
        .await
        .unwrap_err();
    assert_eq!(
        invalid_message(err),
        "该信息已有未发布的第2版，请先完成该版本"
    );

    let mut fixed = v2.meta.clone();
    fixed.body = SafeHtml::sanitize("本季度共发放低保资金128.6万元。");
    fixed.formed_on = date("2024-11-04");
    db.store.update_item(&a.author, id, &fixed).await.unwrap();
    let p = approve_through(&db, &a, id, later).await;
    assert_eq!(
        p.item.index_no.as_ref(),
        Some(&no),
        "the 索引号 never changes"
    );
    assert_eq!(p.item.public_version, Some(2));
    assert_eq!(p.item.first_published_on, Some(date("2024-10-30")));
    assert_eq!(p.version(1).unwrap().state, VersionState::Superseded);
    assert_eq!(p.version(2).unwrap().state, VersionState::Published);
    assert_eq!(p.version(2).unwrap().on_time, Some(true));

    let public = db.store.get_public_item(id).await.unwrap().unwrap();
    assert_eq!(public.version, 2);
    assert_eq!(public.published_on, date("2024-10-30"));
    assert_eq!(
        public.meta.body.as_str(),
        "<p>本季度共发放低保资金128.6万元。</p>"
    );
    assert_eq!(public.corrections.len(), 1);
    assert_eq!(public.corrections[0].reason, "第二段发放金额有误，已更正");
    assert_eq!(public.corrections[0].published_at, later);
    let page = db.store.list_catalog(&catalog(a.org)).await.unwrap();
    assert_eq!(page.total_count(), 1);
    assert!(page.entries[0].corrected);
    assert_eq!(page.entries[0].version, 2);
}

async fn references_are_checked(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let b = agency(&db, "青岚市财政局", None, "cz").await;
    let mut m = meta(&a, "栏目不对的信息", "正文");
    m.column_id = b.column("statutory");
    let err = db
        .store
        .create_item(&a.author, a.org, &m)
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "所选公开目录栏目不属于本机关");
    m.column_id = 987_654;
    let err = db
        .store
        .create_item(&a.author, a.org, &m)
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "所选公开目录栏目不存在");

    let repealer = publish_new(&db, &a, "关于废止部分规范性文件的决定")
        .await
        .item
        .id;
    let mut m = meta(&a, "被废止的办法", "正文");
    m.validity = Validity::Repealed {
        on: date("2024-10-30"),
        by: Some(123_456),
    };
    let err = db
        .store
        .create_item(&a.author, a.org, &m)
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "关联的废止依据信息不存在");
    m.validity = Validity::Repealed {
        on: date("2024-10-30"),
        by: Some(repealer),
    };
    let d = db.store.create_item(&a.author, a.org, &m).await.unwrap();
    assert_eq!(d.latest().meta.validity, m.validity);
    let mut own = m.clone();
    own.validity = Validity::Repealed {
        on: date("2024-10-30"),
        by: Some(d.item.id),
    };
    let err = db
        .store
        .update_item(&a.author, d.item.id, &own)
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "信息不能废止它自己");

    // Without a registered code the default template cannot number an item.
    let id = create(&db, &b, "财政局的信息").await.item.id;
    to_approval(&db, &b, id).await;
    let seq = head_seq(&db).await;
    let err = db
        .store
        .transition_item(&b.approver, id, &approve_now(), publish_time())
        .await
        .unwrap_err();
    assert!(invalid_message(err).contains("尚未登记统一社会信用代码"));
    assert_eq!(head_seq(&db).await, seq);
    let d = db.store.get_item(id).await.unwrap().unwrap();
    assert_eq!(d.latest().state, VersionState::InApproval);
}

async fn attachments_belong_to_the_open_version(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let id = create(&db, &a, "带附件的信息").await.item.id;
    let pdf = NewAttachment {
        name: "附件1：低保对象名单.pdf".into(),
        media_type: "application/pdf".into(),
        size: 20_480,
        sha256: "c".repeat(64),
        storage_key: "items/1/c.pdf".into(),
    };
    let before_scan = scan_now(&db, &a.author, id).await;
    assert_eq!(
        before_scan.latest().scan_gate(),
        gongkai_core::item::ScanGate::Clear
    );
    let seq = head_seq(&db).await;
    let d = db
        .store
        .add_item_attachment(&a.author, id, &pdf)
        .await
        .unwrap();
    assert_eq!(actions_after(&db, seq).await, vec!["item.attach"]);
    let att = d.latest().attachments[0].clone();
    assert_eq!(att.name, pdf.name);
    assert_eq!(att.type_label(), "PDF");
    // A new attachment makes the earlier scan stale.
    assert_eq!(d.latest().scan_gate(), gongkai_core::item::ScanGate::Stale);
    let bad = NewAttachment {
        media_type: "application/x-msdownload".into(),
        ..pdf.clone()
    };
    assert!(
        invalid_message(
            db.store
                .add_item_attachment(&a.author, id, &bad)
                .await
                .unwrap_err()
        )
        .starts_with("附件只能是")
    );

    let p = approve_through(&db, &a, id, publish_time()).await;
    let err = db
        .store
        .add_item_attachment(&a.author, id, &pdf)
        .await
        .unwrap_err();
    assert_eq!(invalid_message(err), "当前状态为“已发布”，不能添加附件");
    assert_eq!(
        db.store
            .get_public_item(id)
            .await
            .unwrap()
            .unwrap()
            .attachments,
        p.latest().attachments
    );

    // A new version starts with copies of the attachments; removing one
    // there leaves the published version untouched.
    let d = db
        .store
        .transition_item(
            &a.author,
            id,
            &ItemCommand::Revise { correction: None },
            publish_time(),
        )
        .await
        .unwrap();
    let copy = d.latest().attachments[0].clone();
    assert_ne!(copy.id, att.id);
    assert_eq!(copy.sha256, att.sha256);
    let d = db
        .store
        .remove_item_attachment(&a.author, id, copy.id)
        .await
        .unwrap();
    assert!(d.latest().attachments.is_empty());
    assert_eq!(d.version(1).unwrap().attachments.len(), 1);
    assert!(matches!(
        db.store.remove_item_attachment(&a.author, id, att.id).await,
        Err(StoreError::NotFound)
    ));
}

async fn due_lists_hold_open_proactive_items_formed_by_the_cutoff(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let mk = |title: &str, formed: &str, mode: DisclosureMode| {
        let mut m = meta(&a, title, "正文");
        m.formed_on = date(formed);
        m.disclosure = mode;
        m
    };
    let old = db
        .store
        .create_item(
            &a.author,
            a.org,
            &mk("九月形成", "2024-09-20", DisclosureMode::Proactive),
        )
        .await
        .unwrap()
        .item
        .id;
    let edge = db
        .store
        .create_item(
            &a.author,
            a.org,
            &mk("截止日形成", "2024-09-28", DisclosureMode::Proactive),
        )
        .await
        .unwrap()
        .item
        .id;
    db.store
        .create_item(
            &a.author,
            a.org,
            &mk("较晚形成", "2024-10-09", DisclosureMode::Proactive),
        )
        .await
        .unwrap();
    db.store
        .create_item(
            &a.author,
            a.org,
            &mk("依申请公开", "2024-09-01", DisclosureMode::OnRequest),
        )
        .await
        .unwrap();
    let published = publish_new(&db, &a, "已发布的").await.item.id;
    let b = agency(&db, "青岚市财政局", None, "cz").await;
    let mut other = meta(&b, "他机关", "正文");
    other.formed_on = date("2024-09-01");
    db.store
        .create_item(&b.author, b.org, &other)
        .await
        .unwrap();

    let due = db
        .store
        .list_items_due(&[a.org], date("2024-09-28"))
        .await
        .unwrap();
    let ids: Vec<ItemId> = due.iter().map(|w| w.id).collect();
    assert_eq!(ids, vec![old, edge]);
    assert!(!ids.contains(&published));
    assert_eq!(due[0].formed_on, date("2024-09-20"));
    assert_eq!(due[0].state, VersionState::Draft);
    assert!(
        db.store
            .list_items_due(&[], date("2024-12-31"))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn imports_keep_legacy_numbers_all_or_nothing(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let legacy = |no: &str, title: &str| LegacyItem {
        org_id: a.org,
        index_no: IndexNo::legacy(no).unwrap(),
        published_on: date("2024-10-08"),
        meta: meta(&a, title, "历史信息正文"),
        attachments: vec![],
        repealed_by_index_no: None,
    };
    // The old site used the same pattern: the first number of 2024 is taken.
    let taken = format!("{}/2024-00001", code());
    let seq = head_seq(&db).await;
    let ids = db
        .store
        .import_items(
            &admin(),
            &[
                legacy(&taken, "历史信息一"),
                legacy("0142768-8/2015-28256", "历史信息二"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(
        actions_after(&db, seq).await,
        vec!["item.import", "item.import"]
    );
    let d = db.store.get_item(ids[1]).await.unwrap().unwrap();
    assert_eq!(
        d.item.index_no.as_ref().unwrap().as_str(),
        "0142768-8/2015-28256"
    );
    assert!(d.item.index_no_legacy);
    assert_eq!(d.item.first_published_on, Some(date("2024-10-08")));
    assert_eq!(d.latest().state, VersionState::Published);
    assert_eq!(d.latest().on_time, Some(true));
    assert_eq!(d.transitions[0].action, ItemAction::Import);
    assert_eq!(
        db.store
            .find_item_by_index_no(" 0142768-8/2015-28256 ")
            .await
            .unwrap(),
        Some(ids[1])
    );

    // A batch with a number already present imports nothing.
    let seq = head_seq(&db).await;
    let err = db
        .store
        .import_items(
            &admin(),
            &[legacy("QL-NEW-1", "新的"), legacy(&taken, "重复")],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { field: "index_no" }));
    assert_eq!(head_seq(&db).await, seq);
    assert_eq!(
        db.store.find_item_by_index_no("QL-NEW-1").await.unwrap(),
        None
    );

    // New publications skip a number an import already holds.
    let p = publish_new(&db, &a, "新发布的信息").await;
    assert_eq!(
        p.item.index_no.unwrap().as_str(),
        format!("{}/2024-00002", code())
    );
    assert_eq!(
        db.store
            .list_catalog(&catalog(a.org))
            .await
            .unwrap()
            .total_count(),
        3
    );
}

async fn imports_link_repeals_by_index_number_all_or_nothing(db: Db) {
    let city = agency(&db, "青岚市人民政府", Some(code()), "zf").await;
    let dept = agency(&db, "青岚市交通运输局", None, "jt").await;
    // A decision of the city government already in the system.
    let decision = publish_new(&db, &city, "青岚市人民政府关于废止部分规章的决定").await;
    let decision_no = decision.item.index_no.clone().unwrap();
    let repealed_on = date("2024-10-08");
    let legacy = |a: &Agency, no: &str, by: Option<&str>| {
        let mut m = meta(a, &format!("历史信息{no}"), "历史信息正文");
        if by.is_some() {
            m.validity = Validity::Repealed {
                on: repealed_on,
                by: None,
            };
        }
        LegacyItem {
            org_id: a.org,
            index_no: IndexNo::legacy(no).unwrap(),
            published_on: date("2024-10-08"),
            meta: m,
            attachments: vec![],
            repealed_by_index_no: by.map(|b| IndexNo::legacy(b).unwrap()),
        }
    };

    // The department's 规章 names the decision of a row further down, and
    // another one a decision already stored (of another agency).
    let seq = head_seq(&db).await;
    let ids = db
        .store
        .import_items(
            &admin(),
            &[
                legacy(&dept, "JT-2019-1", Some("ZF-2024-7")),
                legacy(&city, "ZF-2024-7", None),
                legacy(&dept, "JT-2019-2", Some(decision_no.as_str())),
            ],
        )
        .await
        .unwrap();
    let by = |id: ItemId| {
        let store = db.store.clone();
        async move {
            let d = store.get_item(id).await.unwrap().unwrap();
            d.latest().meta.validity.clone()
        }
    };
    assert_eq!(
        by(ids[0]).await,
        Validity::Repealed {
            on: repealed_on,
            by: Some(ids[1])
        }
    );
    assert_eq!(by(ids[1]).await, Validity::Effective);
    assert_eq!(
        by(ids[2]).await,
        Validity::Repealed {
            on: repealed_on,
            by: Some(decision.item.id)
        }
    );
    let public = db.store.get_public_item(ids[0]).await.unwrap().unwrap();
    assert_eq!(public.meta.validity.repealed_by(), Some(ids[1]));
    // The import record shows the link as stored.
    let records = records_after(&db, seq).await;
    let first = records
        .iter()
        .find(|r| r.action == "item.import" && r.object_id == ids[0].to_string())
        .unwrap();
    let summary: serde_json::Value = serde_json::from_str(&first.summary).unwrap();
    assert_eq!(summary["repealed_by_index_no"], "ZF-2024-7");
    assert_eq!(summary["after"]["repealed_by"], ids[1]);

    // An unknown number, a link on an item that is not 废止 and a
    // self-link each refuse the whole batch.
    let items = db.count("SELECT COUNT(*) FROM items").await;
    let seq = head_seq(&db).await;
    let mut effective = legacy(&dept, "JT-2020-3", Some("ZF-2024-7"));
    effective.meta.validity = Validity::Effective;
    for (batch, message) in [
        (
            vec![
                legacy(&city, "ZF-2025-1", None),
                legacy(&dept, "JT-2020-1", Some("ZF-2099-9")),
            ],
            "废止依据索引号 ZF-2099-9 不存在（既不在本次导入的信息中，也不在系统中）",
        ),
        (vec![effective], "只有已废止的信息才关联废止它的信息"),
        (
            vec![legacy(&dept, "JT-2020-2", Some("JT-2020-2"))],
            "信息不能废止它自己",
        ),
    ] {
        let err = db.store.import_items(&admin(), &batch).await.unwrap_err();
        assert_eq!(invalid_message(err), message);
        assert_eq!(db.count("SELECT COUNT(*) FROM items").await, items);
        assert_eq!(head_seq(&db).await, seq);
    }
    assert_eq!(
        db.store.find_item_by_index_no("ZF-2025-1").await.unwrap(),
        None
    );
}

async fn the_catalog_filters_and_pages(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let b = agency(
        &db,
        "青岚市财政局",
        Some(complete_credit_code("11990100MB0000043").unwrap()),
        "cz",
    )
    .await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(publish_new(&db, &a, &format!("民政信息{i}")).await.item.id);
    }
    // A normative document in another column, published in 2025 and repealed later.
    let mut m = meta(&a, "青岚市最低生活保障审核确认办法", "第一条 为规范……");
    m.column_id = a.column("policy_normative");
    m.topic = "general".into();
    m.genre = "measures".into();
    m.doc_kind = DocKind::Normative;
    m.doc_number = Some("青民规〔2025〕1号".into());
    m.formed_on = date("2025-03-03");
    m.validity = Validity::Repealed {
        on: date("2025-06-30"),
        by: Some(ids[0]),
    };
    let normative = publish_draft(&db, &a, &m, at("2025-03-10T02:00:00Z")).await;
    // Another agency's item in a sub-column of its own 政策文件.
    let mut fm = meta(&b, "财政信息", "正文");
    fm.column_id = b.column("policy_other");
    let other = publish_draft(&db, &b, &fm, publish_time()).await;
    // Not public: a draft and an 依申请公开 item.
    create(&db, &a, "草稿").await;
    let mut req = meta(&a, "依申请公开的信息", "正文");
    req.disclosure = DisclosureMode::OnRequest;
    let req = publish_draft(&db, &a, &req, publish_time()).await;
    assert_eq!(db.store.get_public_item(req).await.unwrap(), None);

    let all = db.store.list_catalog(&catalog(a.org)).await.unwrap();
    assert_eq!(all.total_count(), 6);
    assert_eq!(all.entries[0].id, normative, "newest 发布日期 first");
    assert_eq!(all.entries[1].id, ids[4], "then by id, newest first");

    let everyone = CatalogQuery {
        org_ids: None,
        limit: 50,
        count_up_to: Some(1000),
        ..Default::default()
    };
    assert_eq!(
        db.store
            .list_catalog(&everyone)
            .await
            .unwrap()
            .total_count(),
        7
    );

    let q = |f: fn(&mut CatalogQuery)| {
        let mut q = catalog(a.org);
        f(&mut q);
        q
    };
    let only = |page: gongkai_core::item::query::CatalogPage| {
        page.entries.into_iter().map(|e| e.id).collect::<Vec<_>>()
    };
    let normative_col = a.column("policy_normative");
    let mut by_column = catalog(a.org);
    by_column.column_ids = vec![normative_col];
    assert_eq!(
        only(db.store.list_catalog(&by_column).await.unwrap()),
        vec![normative]
    );
    // A column key matches in every agency's tree, sub-columns included.
    let everywhere = |key: &str| CatalogQuery {
        column_key: Some(key.into()),
        limit: 50,
        count_up_to: Some(1000),
        ..Default::default()
    };
    assert_eq!(
        only(db.store.list_catalog(&everywhere("policy")).await.unwrap()),
        vec![normative, other]
    );
    assert_eq!(
        only(
            db.store
                .list_catalog(&everywhere("policy_normative"))
                .await
                .unwrap()
        ),
        vec![normative]
    );
    let mut in_b = everywhere("policy");
    in_b.org_ids = Some(vec![b.org]);
    assert_eq!(
        only(db.store.list_catalog(&in_b).await.unwrap()),
        vec![other]
    );
    assert_eq!(
        db.store
            .list_catalog(&everywhere("no_such_column"))
            .await
            .unwrap()
            .total,
        Some(CatalogTotal::Exact(0))
    );
    let topic = db
        .store
        .list_catalog(&q(|q| q.topic = Some("general".into())))
        .await
        .unwrap();
    assert_eq!(only(topic), vec![normative]);
    let genre = db
        .store
        .list_catalog(&q(|q| q.genre = Some("measures".into())))
        .await
        .unwrap();
    assert_eq!(only(genre), vec![normative]);
    let kind = db
        .store
        .list_catalog(&q(|q| q.doc_kind = Some(DocKind::Normative)))
        .await
        .unwrap();
    assert_eq!(only(kind), vec![normative]);
    let repealed = db
        .store
        .list_catalog(&q(|q| q.validity = Some(ValidityKind::Repealed)))
        .await
        .unwrap();
    assert_eq!(repealed.total_count(), 1);
    assert_eq!(
        repealed.entries[0].validity,
        Validity::Repealed {
            on: date("2025-06-30"),
            by: Some(ids[0])
        }
    );
    assert_eq!(
        repealed.entries[0].doc_number.as_deref(),
        Some("青民规〔2025〕1号")
    );
    let y2024 = db
        .store
        .list_catalog(&q(|q| q.year = Some(2024)))
        .await
        .unwrap();
    assert_eq!(y2024.total_count(), 5);
    let y2023 = db
        .store
        .list_catalog(&q(|q| q.year = Some(2023)))
        .await
        .unwrap();
    assert_eq!(y2023.total_count(), 0);

    let mut paged = catalog(a.org);
    paged.limit = 2;
    paged.offset = 2;
    let p = db.store.list_catalog(&paged).await.unwrap();
    assert_eq!(p.total_count(), 6);
    assert_eq!(only(p), vec![ids[3], ids[2]]);
    let none = CatalogQuery {
        org_ids: Some(vec![]),
        limit: 10,
        count_up_to: Some(1000),
        ..Default::default()
    };
    assert_eq!(db.store.list_catalog(&none).await.unwrap().total_count(), 0);
}

async fn work_lists_are_scoped_and_filtered(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let b = agency(&db, "青岚市财政局", None, "cz").await;
    let d1 = create(&db, &a, "草稿一").await.item.id;
    let d2 = create(&db, &a, "待审查").await.item.id;
    scan_now(&db, &a.author, d2).await;
    db.store
        .transition_item(&a.author, d2, &ItemCommand::Submit, publish_time())
        .await
        .unwrap();
    create(&db, &b, "他机关草稿").await;

    let all = db
        .store
        .list_work_items(&WorkQuery {
            org_ids: vec![a.org],
            states: vec![],
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(all.entries[0].id, d2, "most recently changed first");
    assert_eq!(all.entries[0].state, VersionState::InReview);
    assert_eq!(all.entries[0].author_id, a.author.user_id);
    let review = db
        .store
        .list_work_items(&WorkQuery {
            org_ids: vec![a.org, b.org],
            states: vec![VersionState::InReview],
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(
        review.entries.iter().map(|w| w.id).collect::<Vec<_>>(),
        vec![d2]
    );
    let drafts = db
        .store
        .list_work_items(&WorkQuery {
            org_ids: vec![a.org],
            states: vec![VersionState::Draft],
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(
        drafts.entries.iter().map(|w| w.id).collect::<Vec<_>>(),
        vec![d1]
    );
    let nothing = db
        .store
        .list_work_items(&WorkQuery {
            org_ids: vec![],
            states: vec![],
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(nothing.total, 0);
}

// ---------- 第二十六条 figures ----------

async fn published_on_time_figures_count_versions_per_agency_and_beijing_year(db: Db) {
    use gongkai_core::item::query::PublishedOnTime;
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let b = agency(&db, "青岚市财政局", None, "cz").await;
    // On time: formed 2024-09-27, due 2024-10-30, published that day.
    let on_time = publish_new(&db, &a, "按期发布").await.item.id;
    let (formed_late, published) = ("2024-09-02", "2024-10-30T02:00:00Z");
    publish_formed(&db, &a, formed_late, DisclosureMode::Proactive, published).await;
    // 2025-01-01 01:00 in Beijing is still 2024 in UTC: it counts for 2025.
    publish_formed(
        &db,
        &a,
        "2024-12-20",
        DisclosureMode::Proactive,
        "2024-12-31T17:00:00Z",
    )
    .await;
    // 依申请公开 has no 第二十六条 deadline; a draft is not published.
    publish_formed(&db, &a, formed_late, DisclosureMode::OnRequest, published).await;
    create(&db, &a, "草稿").await;
    // A 更正 is a publication of its own, measured against its formation date.
    let d = open_correction(&db, &a, on_time, "金额有误", at("2024-11-05T02:00:00Z")).await;
    assert_eq!(d.item.latest_version, 2);
    approve_through(&db, &a, on_time, at("2024-11-05T02:00:00Z")).await;
    // Imports count by their 发布日期; one formed in a year the calendar
    // lacks has no due date.
    let legacy = |no: &str, formed: &str, published: &str| {
        let mut m = meta(&a, "历史信息", "历史信息正文");
        m.formed_on = date(formed);
        LegacyItem {
            org_id: a.org,
            index_no: IndexNo::legacy(no).unwrap(),
            published_on: date(published),
            meta: m,
            attachments: vec![],
            repealed_by_index_no: None,
        }
    };
    db.store
        .import_items(
            &admin(),
            &[
                legacy("OLD-1", "2024-03-01", "2024-03-05"),
                legacy("OLD-2", "2018-06-01", "2024-02-01"),
                legacy("OLD-3", "2023-03-01", "2023-03-05"),
            ],
        )
        .await
        .unwrap();
    // This agency has no registered code, so its numbers do without one.
    let template = IndexTemplate::parse("CZ-{year}-{seq}").unwrap();
    db.store
        .put_index_template(&admin(), b.org, &template)
        .await
        .unwrap();
    publish_new(&db, &b, "他机关").await;

    let figures = db
        .store
        .count_items_published_on_time(&[a.org, b.org], 2024)
        .await
        .unwrap();
    let row_a = PublishedOnTime {
        org_id: a.org,
        published: 5,
        on_time: 2,
        late: 2,
    };
    let row_b = PublishedOnTime {
        org_id: b.org,
        published: 1,
        on_time: 1,
        late: 0,
    };
    assert_eq!(figures, vec![row_a.clone(), row_b]);
    assert_eq!(row_a.unmeasured(), 1);
    assert_eq!(
        db.store
            .count_items_published_on_time(&[a.org], 2025)
            .await
            .unwrap(),
        vec![PublishedOnTime {
            org_id: a.org,
            published: 1,
            on_time: 1,
            late: 0,
        }]
    );
    assert_eq!(
        db.store
            .count_items_published_on_time(&[a.org, b.org], 2023)
            .await
            .unwrap(),
        vec![PublishedOnTime {
            org_id: a.org,
            published: 1,
            on_time: 1,
            late: 0,
        }]
    );
    assert!(
        db.store
            .count_items_published_on_time(&[], 2024)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Creates and publishes an item formed on `formed` at `when`.
async fn publish_formed(db: &Db, a: &Agency, formed: &str, mode: DisclosureMode, when: &str) {
    let mut m = meta(a, &format!("{formed}形成的信息"), "正文");
    m.formed_on = date(formed);
    m.disclosure = mode;
    publish_draft(db, a, &m, at(when)).await;
}

// ---------- search support ----------

async fn public_item_ids_keep_only_what_the_catalog_shows(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let shown = publish_new(&db, &a, "公开的信息").await.item.id;
    let withdrawn = publish_new(&db, &a, "将撤回的信息").await.item.id;
    withdraw(&db, &a, withdrawn, "内容有误", publish_time()).await;
    let draft = create(&db, &a, "草稿").await.item.id;
    let mut req = meta(&a, "依申请公开的信息", "正文");
    req.disclosure = DisclosureMode::OnRequest;
    let on_request = publish_draft(&db, &a, &req, publish_time()).await;

    let mut got = db
        .store
        .public_item_ids(&[draft, withdrawn, shown, on_request, 999_999])
        .await
        .unwrap();
    got.sort_unstable();
    assert_eq!(got, vec![shown]);
    assert!(db.store.public_item_ids(&[]).await.unwrap().is_empty());
}

// ---------- large-catalog reading ----------

/// Seven imported items over four 发布日期 (two sharing a day, so the id
/// decides), returned newest first as the catalog lists them.
async fn seven_dated_items(db: &Db, a: &Agency) -> Vec<ItemId> {
    let days = [
        "2024-01-05",
        "2024-03-01",
        "2024-03-01",
        "2024-03-01",
        "2024-06-30",
        "2024-06-30",
        "2024-09-09",
    ];
    let items: Vec<LegacyItem> = days
        .iter()
        .enumerate()
        .map(|(i, d)| LegacyItem {
            org_id: a.org,
            index_no: IndexNo::legacy(&format!("OLD-{i}")).unwrap(),
            published_on: date(d),
            meta: meta(a, &format!("历史信息{i}"), "历史信息正文"),
            attachments: vec![],
            repealed_by_index_no: None,
        })
        .collect();
    let ids = db.store.import_items(&admin(), &items).await.unwrap();
    // Newest date first; within a day, the higher id first.
    vec![ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]]
}

async fn the_catalog_counts_up_to_a_cap_and_pages_by_keyset(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let order = seven_dated_items(&db, &a).await;
    let ids = |p: &gongkai_core::item::query::CatalogPage| {
        p.entries.iter().map(|e| e.id).collect::<Vec<_>>()
    };
    let mut q = catalog(a.org);
    q.count_up_to = Some(5);
    q.limit = 3;
    let p = db.store.list_catalog(&q).await.unwrap();
    assert_eq!(
        p.total,
        Some(CatalogTotal::AtLeast(5)),
        "seven match, five counted"
    );
    assert_eq!(ids(&p), order[..3]);
    q.count_up_to = Some(7);
    assert_eq!(
        db.store.list_catalog(&q).await.unwrap().total,
        Some(CatalogTotal::Exact(7))
    );
    q.count_up_to = None;
    assert_eq!(db.store.list_catalog(&q).await.unwrap().total, None);

    // Keyset: each page starts after the last entry of the one before,
    // also inside a day shared by several items.
    let mut walked = Vec::new();
    let mut after = None;
    loop {
        q.after = after;
        let p = db.store.list_catalog(&q).await.unwrap();
        let Some(last) = p.entries.last() else { break };
        after = Some(CatalogCursor::of(last));
        walked.extend(ids(&p));
    }
    assert_eq!(walked, order);
    // A cursor combines with the filters.
    let mut q = catalog(a.org);
    q.year = Some(2024);
    q.after = Some(CatalogCursor {
        published_on: date("2024-03-01"),
        id: order[4],
    });
    assert_eq!(ids(&db.store.list_catalog(&q).await.unwrap()), order[5..]);
    // Everyone's catalog (no agency filter) walks the same order.
    let everyone = CatalogQuery {
        limit: 2,
        after: Some(CatalogCursor::of(
            &db.store
                .list_catalog(&catalog(a.org))
                .await
                .unwrap()
                .entries[1],
        )),
        ..Default::default()
    };
    assert_eq!(
        ids(&db.store.list_catalog(&everyone).await.unwrap()),
        order[2..4]
    );
}

async fn public_items_are_read_in_batches_as_the_item_page_shows_them(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let imported = seven_dated_items(&db, &a).await;
    // A published item with a 更正 and an attachment on its public version.
    let corrected = publish_new(&db, &a, "将更正的信息").await.item.id;
    open_correction(&db, &a, corrected, "金额有误", publish_time()).await;
    let pdf = NewAttachment {
        name: "更正说明.pdf".into(),
        media_type: "application/pdf".into(),
        size: 2_048,
        sha256: "d".repeat(64),
        storage_key: "items/1/d.pdf".into(),
    };
    db.store
        .add_item_attachment(&a.author, corrected, &pdf)
        .await
        .unwrap();
    approve_through(&db, &a, corrected, publish_time()).await;
    // Not listed: a draft, a withdrawn item, one not disclosed proactively.
    create(&db, &a, "草稿").await;
    let withdrawn = publish_new(&db, &a, "将撤回的信息").await.item.id;
    withdraw(&db, &a, withdrawn, "内容有误", publish_time()).await;

    let mut expected: Vec<ItemId> = imported.clone();
    expected.push(corrected);
    expected.sort_unstable();
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let batch = db.store.list_public_items(after, 3).await.unwrap();
        assert!(batch.len() <= 3);
        let Some(last) = batch.last() else { break };
        after = last.id;
        for item in batch {
            // Exactly what the item page reads, one by one.
            assert_eq!(
                Some(&item),
                db.store.get_public_item(item.id).await.unwrap().as_ref()
            );
            seen.push(item.id);
        }
    }
    assert_eq!(seen, expected, "every public item once, lowest id first");
    let c = db.store.get_public_item(corrected).await.unwrap().unwrap();
    assert_eq!(c.corrections.len(), 1);
    assert_eq!(c.attachments.len(), 1);
    assert!(!seen.contains(&withdrawn));

    // The sitemap's reads: id ranges of public items, and the highest id
    // (the draft and the withdrawn item above it do not count).
    let all = db
        .store
        .public_items_in_id_range(0, i64::MAX)
        .await
        .unwrap();
    assert_eq!(all.iter().map(|(id, _)| *id).collect::<Vec<_>>(), expected);
    for (id, on) in &all {
        let item = db.store.get_public_item(*id).await.unwrap().unwrap();
        assert_eq!(*on, item.published_on);
    }
    let part = db
        .store
        .public_items_in_id_range(expected[1], expected[3])
        .await
        .unwrap();
    assert_eq!(
        part.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        expected[1..3],
        "from inclusive, to exclusive"
    );
    assert_eq!(
        db.store.max_public_item_id().await.unwrap(),
        expected.last().copied()
    );
    assert!(withdrawn > *expected.last().unwrap());
}

// ---------- the catalog table ----------

/// The ids a catalog query lists, newest first.
async fn listed(db: &Db, q: CatalogQuery) -> Vec<ItemId> {
    let page = db
        .store
        .list_catalog(&CatalogQuery {
            limit: 50,
            count_up_to: Some(1000),
            ..q
        })
        .await
        .unwrap();
    let ids: Vec<ItemId> = page.entries.iter().map(|e| e.id).collect();
    assert_eq!(page.total_count(), ids.len() as i64, "count and page agree");
    ids
}

/// Opens a new version of a published item with `change` applied and
/// publishes it at `when`.
async fn republish(
    db: &Db,
    a: &Agency,
    id: ItemId,
    when: DateTime<Utc>,
    change: impl FnOnce(&mut ItemDraft),
) {
    let d = open_correction(db, a, id, "元数据有误，已更正", when).await;
    let mut m = d.latest().meta.clone();
    change(&mut m);
    db.store.update_item(&a.author, id, &m).await.unwrap();
    approve_through(db, a, id, when).await;
}

async fn the_catalog_table_follows_every_change_of_the_public_version(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let id = publish_new(&db, &a, "青岚市临时救助实施细则").await.item.id;
    let topic = |t: &str| CatalogQuery {
        topic: Some(t.into()),
        ..Default::default()
    };
    let normative = || CatalogQuery {
        doc_kind: Some(DocKind::Normative),
        validity: Some(ValidityKind::Expired),
        column_key: Some("policy_normative".into()),
        year: Some(2024),
        ..Default::default()
    };
    assert_eq!(listed(&db, topic("civil_affairs")).await, vec![id]);
    assert!(listed(&db, topic("general")).await.is_empty());
    assert!(listed(&db, normative()).await.is_empty());

    // A correction moves the item to the listings of its new metadata and
    // out of those of the old; the 发布日期 (and so the year) stays.
    let later = at("2025-02-10T02:00:00Z");
    republish(&db, &a, id, later, |m| {
        m.topic = "general".into();
        m.column_id = a.column("policy_normative");
        m.doc_kind = DocKind::Normative;
        m.validity = Validity::Expired {
            on: Some(date("2025-01-31")),
        };
    })
    .await;
    assert!(listed(&db, topic("civil_affairs")).await.is_empty());
    assert_eq!(listed(&db, topic("general")).await, vec![id]);
    assert_eq!(listed(&db, normative()).await, vec![id]);

    // A version published as 依申请公开 leaves the catalog and every
    // reader of the public set; making it 主动公开 again brings it back.
    republish(&db, &a, id, later, |m| {
        m.disclosure = DisclosureMode::OnRequest
    })
    .await;
    assert!(listed(&db, CatalogQuery::default()).await.is_empty());
    assert!(db.store.public_item_ids(&[id]).await.unwrap().is_empty());
    assert_eq!(db.store.max_public_item_id().await.unwrap(), None);
    republish(&db, &a, id, later, |m| {
        m.disclosure = DisclosureMode::Proactive
    })
    .await;
    assert_eq!(listed(&db, normative()).await, vec![id]);
    assert_eq!(db.store.max_public_item_id().await.unwrap(), Some(id));

    // Withdrawn: gone from every listing and every public read.
    withdraw(&db, &a, id, "内容已过时", later).await;
    assert!(listed(&db, CatalogQuery::default()).await.is_empty());
    assert!(listed(&db, normative()).await.is_empty());
    assert!(
        db.store
            .public_items_in_id_range(0, i64::MAX)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.store.list_public_items(0, 10).await.unwrap().is_empty());
    assert_eq!(db.count("SELECT COUNT(*) FROM catalog_entries").await, 0);
}

async fn the_catalog_table_is_filled_from_existing_items_by_its_migration(db: Db) {
    let a = agency(&db, "青岚市民政局", Some(code()), "mz").await;
    let kept = seven_dated_items(&db, &a).await;
    let mut req = meta(&a, "依申请公开的信息", "正文");
    req.disclosure = DisclosureMode::OnRequest;
    publish_draft(&db, &a, &req, publish_time()).await;
    let withdrawn = publish_new(&db, &a, "将撤回的信息").await.item.id;
    withdraw(&db, &a, withdrawn, "内容有误", publish_time()).await;
    create(&db, &a, "草稿").await;
    let mut normative = meta(&a, "青岚市低保审核确认办法", "第一条");
    normative.doc_kind = DocKind::Normative;
    normative.topic = "general".into();
    let normative = publish_draft(&db, &a, &normative, publish_time()).await;
    let before = listed(&db, CatalogQuery::default()).await;
    assert_eq!(before.len(), kept.len() + 1);

    // Back to the schema before migration 11, then migrate again: the
    // migration's backfill must rebuild the same table.
    db.execute(
        "DROP TABLE catalog_entries; \
         CREATE INDEX items_catalog_order_idx ON items (first_published_on, id) \
         WHERE public_version IS NOT NULL; \
         CREATE INDEX item_versions_column_idx ON item_versions (column_id); \
         DELETE FROM _sqlx_migrations WHERE version = 11",
    )
    .await;
    db.store.migrate().await.unwrap();
    assert_eq!(listed(&db, CatalogQuery::default()).await, before);
    assert_eq!(
        listed(
            &db,
            CatalogQuery {
                doc_kind: Some(DocKind::Normative),
                topic: Some("general".into()),
                ..Default::default()
            }
        )
        .await,
        vec![normative]
    );
}
