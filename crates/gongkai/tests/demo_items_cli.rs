//! `gongkai demo` also puts catalog items at every step of the publication
//! workflow (demo/catalog_workflow.rs): written by the demo publisher,
//! reviewer and approver through the store, so the scan gate, the
//! separation of duties and the audit chain hold for them as for any item.

use crate::common;

use chrono::{Duration, Utc};
use common::{gk, run, stderr, stdout};
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::item::deadline::{DueStatus, DueWindow, publication_deadline};
use gongkai_core::item::query::WorkQuery;
use gongkai_core::item::workflow::DecisionKind;
use gongkai_core::item::{ItemAction, ItemDetail, Revision, ScanGate, VersionState};

#[test]
fn demo_has_catalog_items_in_every_workflow_state() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["demo"]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("条处于起草、审查、审批、待发布、撤回或更正等环节"),
        "{}",
        stdout(&o)
    );
    let url = format!("sqlite://{}", tmp.path().join("gongkai.db").display());
    check(&url);
}

/// The same on PostgreSQL, in a database of its own, when
/// `GONGKAI_TEST_PG_URL` names a server where the user may create databases.
#[test]
fn demo_workflow_items_on_postgres_when_configured() {
    let Ok(base) = std::env::var("GONGKAI_TEST_PG_URL") else {
        eprintln!("GONGKAI_TEST_PG_URL not set: PostgreSQL demo items test skipped");
        return;
    };
    let db = format!("gk_demo_items_{}", std::process::id());
    let (prefix, _) = base.rsplit_once('/').expect("URL ends with /dbname");
    let url = format!("{prefix}/{db}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let admin = rt.block_on(sqlx::PgPool::connect(&base)).unwrap();
    rt.block_on(sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}"))).execute(&admin))
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let o = gk(tmp.path())
        .arg("--db")
        .arg(&url)
        .arg("demo")
        .output()
        .unwrap();
    let checked = o
        .status
        .success()
        .then(|| std::panic::catch_unwind(|| check(&url)));
    rt.block_on(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {db} WITH (FORCE)"
        )))
        .execute(&admin),
    )
    .unwrap();
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    if let Some(Err(panic)) = checked {
        std::panic::resume_unwind(panic);
    }
}

fn versions_in(items: &[ItemDetail], state: VersionState) -> Vec<&ItemDetail> {
    items.iter().filter(|d| d.latest().state == state).collect()
}

fn check(url: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = gongkai_store::open(url).await.unwrap();
        let orgs = store.list_orgs().await.unwrap();
        let org = orgs.iter().find(|o| o.name == "青岚市教育局").unwrap().id;
        let publisher = store
            .get_credentials("publisher")
            .await
            .unwrap()
            .unwrap()
            .user
            .id;

        let all = store
            .list_work_items(&WorkQuery {
                org_ids: vec![org],
                states: Vec::new(),
                limit: 1000,
                offset: 0,
            })
            .await
            .unwrap();
        let mut items = Vec::new();
        for w in all.entries.iter().filter(|w| w.author_id.is_some()) {
            // Imported items have no author; every workflow item is the publisher's.
            assert_eq!(w.author_id, Some(publisher), "{}", w.title);
            items.push(store.get_item(w.id).await.unwrap().unwrap());
        }
        assert!((8..=16).contains(&items.len()), "{}", items.len());

        // Separation of duties, with the demo accounts as the actors.
        for d in &items {
            for t in &d.transitions {
                let who = match t.action {
                    ItemAction::Review => "reviewer",
                    ItemAction::Approve | ItemAction::Withdraw | ItemAction::Publish => "approver",
                    _ => "publisher",
                };
                assert_eq!(
                    t.actor_name,
                    who,
                    "{:?} of {}",
                    t.action,
                    d.latest().meta.title
                );
                assert!(t.actor_user_id.is_some());
            }
        }

        // 草稿: one scanned, with the fictional ID number found and masked in the excerpt.
        let drafts = versions_in(&items, VersionState::Draft);
        assert!(drafts.len() >= 2, "{}", drafts.len());
        let flagged = drafts
            .iter()
            .filter_map(|d| d.latest().scan.as_ref())
            .flat_map(|s| &s.findings)
            .find(|f| f.kind == "id_number")
            .expect("a draft with an ID number found by the scanner");
        assert!(flagged.excerpt.contains('*'), "{}", flagged.excerpt);
        assert!(drafts.iter().any(|d| d.latest().scan.is_none()));

        // 待保密审查: scanned in their current form; one still has its finding open.
        let in_review = versions_in(&items, VersionState::InReview);
        assert!(in_review.len() >= 2, "{}", in_review.len());
        for d in &in_review {
            let gate = d.latest().scan_gate();
            assert!(
                matches!(gate, ScanGate::Clear | ScanGate::Unresolved(_)),
                "{gate:?}"
            );
        }
        assert!(in_review.iter().any(|d| {
            matches!(d.latest().scan_gate(), ScanGate::Unresolved(k) if k.len() == 1)
        }));

        // 待领导审批: passed review; one after the reviewer let a finding pass.
        let in_approval = versions_in(&items, VersionState::InApproval);
        assert!(!in_approval.is_empty());
        for d in &in_approval {
            assert_eq!(d.latest().scan_gate(), ScanGate::Clear);
        }
        let overridden = in_approval
            .iter()
            .flat_map(|d| &d.latest().overrides)
            .next()
            .expect("an item whose finding the reviewer let pass");
        assert_eq!(overridden.by_name, "reviewer");
        assert!(!overridden.reason.is_empty());

        // 待发布: a few days ahead.
        let scheduled = versions_in(&items, VersionState::Scheduled);
        assert_eq!(scheduled.len(), 1);
        let at = scheduled[0].latest().publish_at.unwrap();
        assert!(
            at > Utc::now() && at < Utc::now() + Duration::days(8),
            "{at}"
        );

        // 已撤回, with its reason, after a publication that numbered it.
        let withdrawn = versions_in(&items, VersionState::Withdrawn);
        assert_eq!(withdrawn.len(), 1);
        let w = withdrawn[0];
        assert!(
            w.item
                .withdrawal
                .as_ref()
                .is_some_and(|x| !x.reason.is_empty())
        );
        assert!(w.item.public_version.is_none() && w.item.index_no.is_some());
        assert!(store.get_public_item(w.item.id).await.unwrap().is_none());

        // 更正: version 2 is public with its reason, version 1 superseded.
        let published = versions_in(&items, VersionState::Published);
        assert_eq!(published.len(), 1);
        let c = published[0];
        assert_eq!(c.item.public_version, Some(2));
        assert_eq!(c.versions[0].state, VersionState::Superseded);
        assert!(matches!(c.latest().revision, Revision::Correction { .. }));
        let public = store.get_public_item(c.item.id).await.unwrap().unwrap();
        assert_eq!(public.corrections.len(), 1);
        assert!(c.versions.iter().all(|v| v.on_time != Some(false)));

        // The 第二十六条 due lists, when the calendar covers the days needed.
        let today = (Utc::now() + Duration::hours(8)).date_naive();
        let cal = WorkdayCalendar::official();
        let covered = DueWindow::on(&cal, today).is_ok()
            && cal.check_known(today - Duration::days(90)).is_ok();
        if covered {
            assert_eq!(items.len(), 12);
            let due = store.list_items_due(&[org], today).await.unwrap();
            let statuses: Vec<DueStatus> = due
                .iter()
                .filter(|w| w.author_id == Some(publisher))
                .filter_map(|w| {
                    let deadline = publication_deadline(&cal, w.formed_on).ok()?;
                    DueStatus::of(&cal, deadline.due, today).ok()
                })
                .collect();
            assert_eq!(statuses.iter().filter(|s| s.is_overdue()).count(), 2);
            assert_eq!(statuses.iter().filter(|s| s.is_due_soon()).count(), 2);
            // One of the due-soon items was sent back by the reviewer.
            let returned = drafts
                .iter()
                .flat_map(|d| &d.transitions)
                .find(|t| t.decision == Some(DecisionKind::Reject))
                .expect("a draft returned by the reviewer");
            assert!(returned.comment.as_deref().is_some_and(|c| !c.is_empty()));
        } else {
            eprintln!("calendar does not cover {today}: due-list items were left out");
        }

        gongkai_core::audit::verify_store(store.as_ref())
            .await
            .unwrap();
    });
}
