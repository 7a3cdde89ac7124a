//! The store contract for the 行政复议/行政诉讼 register (`AppealStore`), on
//! SQLite and, when `GONGKAI_TEST_PG_URL` is set, on PostgreSQL.

use crate::common;

use chrono::NaiveDate;
use common::Db;
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, verify_store};
use gongkai_core::request::appeal::{AppealDraft, AppealKind, AppealResult};
use gongkai_core::request::case::{Intake, QueryCode, RequestCase};
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::{Application, ApplicationForm};
use gongkai_core::store::{AppealQuery, StoreError};

store_tests!(
    records_are_stored_and_audited_without_the_note,
    updates_replace_fields_and_keep_a_before_image,
    inconsistent_records_are_refused_and_write_nothing,
    a_linked_case_must_belong_to_the_agency,
    lists_filter_by_scope_case_year_kind_and_result,
    table_four_counts_by_filing_year_with_year_end_results,
);

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-20";

fn staff() -> Actor {
    Actor::user(1, "handler")
}

fn application() -> Application {
    let body = "43010219900307123";
    ApplicationForm {
        applicant_kind: "natural".into(),
        name: "李秀英".into(),
        id_type: "resident_id".into(),
        id_number: format!("{body}{}", resident_id_check_char(body).unwrap()),
        contact: ContactForm {
            phone: "13812345678".into(),
            postal_address: "青岚市望湖区湖滨路18号".into(),
            ..Default::default()
        },
        info_description: "2025年征地补偿安置方案".into(),
        provision_form: "paper".into(),
        delivery: "post".into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

async fn case(db: &Db, org_id: OrgId) -> RequestCase {
    let intake = Intake {
        channel: Channel::InPerson,
        arrived_on: d("2025-02-10"),
        application: application(),
    };
    db.store
        .create_request(
            &staff(),
            org_id,
            &intake,
            &QueryCode::parse("ABCDE23456").unwrap(),
            None,
        )
        .await
        .unwrap()
}

fn draft(org_id: OrgId, filed: &str, result: AppealResult, decided: Option<&str>) -> AppealDraft {
    AppealDraft {
        org_id,
        case_id: None,
        kind: AppealKind::Reconsideration,
        filed_on: d(filed),
        organ: "青岚市人民政府".into(),
        reference: Some("青政复〔2025〕31号".into()),
        decided_on: decided.map(d),
        result,
        note: Some("申请人李秀英对答复不服".into()),
    }
}

fn query(org_ids: Vec<OrgId>) -> AppealQuery {
    AppealQuery {
        org_ids,
        case_id: None,
        year: None,
        kind: None,
        result: None,
        offset: 0,
        limit: 100,
    }
}

async fn head_seq(db: &Db) -> i64 {
    db.store.audit_head().await.unwrap().map_or(0, |(s, _)| s)
}

async fn records_are_stored_and_audited_without_the_note(db: Db) {
    let org_id = common::plain_org(&db, "青岚市自然资源和规划局").await;
    let c = case(&db, org_id).await;
    let before = head_seq(&db).await;
    let mut dr = draft(
        org_id,
        "2025-04-01",
        AppealResult::Upheld,
        Some("2025-06-10"),
    );
    dr.case_id = Some(c.id);
    let a = db
        .store
        .create_appeal(&staff(), &dr, d(TODAY))
        .await
        .unwrap();
    assert_eq!(a.draft, dr);
    assert_eq!(db.store.get_appeal(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(db.store.get_appeal(a.id + 1000).await.unwrap(), None);
    let recs = db.store.audit_after(before, 10).await.unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].action, "appeal.create");
    assert_eq!(recs[0].org_id, Some(org_id));
    assert_eq!(recs[0].object_type, "appeal");
    assert!(recs[0].summary.contains("reconsideration"));
    assert!(recs[0].summary.contains(r#""has_note":true"#));
    assert!(!recs[0].summary.contains("李秀英"), "{}", recs[0].summary);
    verify_store(db.store.as_ref()).await.unwrap();
}

async fn updates_replace_fields_and_keep_a_before_image(db: Db) {
    let org_id = common::plain_org(&db, "枫溪县财政局").await;
    let a = db
        .store
        .create_appeal(
            &staff(),
            &draft(org_id, "2025-04-01", AppealResult::Pending, None),
            d(TODAY),
        )
        .await
        .unwrap();
    let before = head_seq(&db).await;
    let mut dr = draft(
        org_id,
        "2025-04-01",
        AppealResult::Corrected,
        Some("2025-07-01"),
    );
    dr.kind = AppealKind::LitigationAfterReview;
    dr.organ = "青岚市中级人民法院".into();
    dr.note = None;
    let b = db
        .store
        .update_appeal(&staff(), a.id, &dr, d(TODAY))
        .await
        .unwrap();
    assert_eq!(b.id, a.id);
    assert_eq!(b.draft, dr);
    assert_eq!(b.created_at, a.created_at);
    assert_eq!(db.store.get_appeal(a.id).await.unwrap(), Some(b));
    let recs = db.store.audit_after(before, 10).await.unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].action, "appeal.update");
    assert!(recs[0].summary.contains(r#""result":"pending""#));
    assert!(recs[0].summary.contains(r#""result":"corrected""#));
    let missing = db
        .store
        .update_appeal(&staff(), a.id + 99, &dr, d(TODAY))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
}

async fn inconsistent_records_are_refused_and_write_nothing(db: Db) {
    let org_id = common::plain_org(&db, "石桥县民政局").await;
    let before = head_seq(&db).await;
    let bad = [
        draft(
            org_id,
            "2025-04-01",
            AppealResult::Pending,
            Some("2025-05-01"),
        ),
        draft(org_id, "2025-04-01", AppealResult::Upheld, None),
        draft(
            org_id,
            "2025-04-01",
            AppealResult::Upheld,
            Some("2025-03-01"),
        ),
        draft(org_id, "2026-11-21", AppealResult::Pending, None),
    ];
    for dr in &bad {
        let r = db.store.create_appeal(&staff(), dr, d(TODAY)).await;
        assert!(matches!(r, Err(StoreError::Invalid(_))), "{dr:?}");
    }
    let mut unknown = draft(org_id, "2025-04-01", AppealResult::Pending, None);
    unknown.org_id = org_id + 500;
    assert!(
        db.store
            .create_appeal(&staff(), &unknown, d(TODAY))
            .await
            .is_err()
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM appeals").await, 0);
    assert_eq!(head_seq(&db).await, before);
}

async fn a_linked_case_must_belong_to_the_agency(db: Db) {
    let a = common::plain_org(&db, "甲局").await;
    let b = common::plain_org(&db, "乙局").await;
    let c = case(&db, a).await;
    let mut dr = draft(b, "2025-04-01", AppealResult::Pending, None);
    dr.case_id = Some(c.id);
    let r = db.store.create_appeal(&staff(), &dr, d(TODAY)).await;
    assert!(matches!(r, Err(StoreError::Invalid(m)) if m.contains("不属于")));
    dr.case_id = Some(c.id + 77);
    let r = db.store.create_appeal(&staff(), &dr, d(TODAY)).await;
    assert!(matches!(r, Err(StoreError::Invalid(_))));
    dr.org_id = a;
    dr.case_id = Some(c.id);
    let ok = db
        .store
        .create_appeal(&staff(), &dr, d(TODAY))
        .await
        .unwrap();
    // Moving it to another agency while it names a's case is refused too.
    dr.org_id = b;
    let r = db.store.update_appeal(&staff(), ok.id, &dr, d(TODAY)).await;
    assert!(matches!(r, Err(StoreError::Invalid(_))));
    assert_eq!(db.store.get_appeal(ok.id).await.unwrap(), Some(ok));
}

async fn lists_filter_by_scope_case_year_kind_and_result(db: Db) {
    let a = common::plain_org(&db, "甲局").await;
    let b = common::plain_org(&db, "乙局").await;
    let c = case(&db, a).await;
    let mut ids = Vec::new();
    for (org, filed, kind, result, decided, linked) in [
        (
            a,
            "2024-05-01",
            AppealKind::Reconsideration,
            AppealResult::Upheld,
            Some("2024-07-01"),
            true,
        ),
        (
            a,
            "2025-03-01",
            AppealKind::LitigationDirect,
            AppealResult::Pending,
            None,
            false,
        ),
        (
            a,
            "2025-06-01",
            AppealKind::Reconsideration,
            AppealResult::Corrected,
            Some("2025-08-01"),
            false,
        ),
        (
            b,
            "2025-02-01",
            AppealKind::Reconsideration,
            AppealResult::Upheld,
            Some("2025-03-01"),
            false,
        ),
    ] {
        let mut dr = draft(org, filed, result, decided);
        dr.kind = kind;
        dr.case_id = linked.then_some(c.id);
        ids.push(
            db.store
                .create_appeal(&staff(), &dr, d(TODAY))
                .await
                .unwrap()
                .id,
        );
    }
    let list = |q: AppealQuery| {
        let store = db.store.clone();
        async move {
            let p = store.list_appeals(&q).await.unwrap();
            (p.total, p.appeals.iter().map(|x| x.id).collect::<Vec<_>>())
        }
    };
    // Newest filing first.
    assert_eq!(
        list(query(vec![a])).await,
        (3, vec![ids[2], ids[1], ids[0]])
    );
    assert_eq!(list(query(vec![])).await, (0, vec![]));
    assert_eq!(list(query(vec![a, b])).await.0, 4);
    let mut q = query(vec![a, b]);
    q.year = Some(2025);
    assert_eq!(list(q.clone()).await, (3, vec![ids[2], ids[1], ids[3]]));
    q.kind = Some(AppealKind::Reconsideration);
    assert_eq!(list(q.clone()).await, (2, vec![ids[2], ids[3]]));
    q.result = Some(AppealResult::Upheld);
    assert_eq!(list(q).await, (1, vec![ids[3]]));
    let mut q = query(vec![a]);
    q.case_id = Some(c.id);
    assert_eq!(list(q).await, (1, vec![ids[0]]));
    let mut q = query(vec![a, b]);
    q.limit = 2;
    q.offset = 2;
    assert_eq!(list(q).await, (4, vec![ids[3], ids[0]]));
}

async fn table_four_counts_by_filing_year_with_year_end_results(db: Db) {
    let a = common::plain_org(&db, "甲局").await;
    let b = common::plain_org(&db, "乙局").await;
    for (org, filed, kind, result, decided) in [
        (
            a,
            "2025-01-10",
            AppealKind::Reconsideration,
            AppealResult::Upheld,
            Some("2025-03-01"),
        ),
        (
            a,
            "2025-02-10",
            AppealKind::Reconsideration,
            AppealResult::Upheld,
            Some("2025-04-01"),
        ),
        // Decided after the year's end: still 尚未审结 in the 2025 report.
        (
            a,
            "2025-11-10",
            AppealKind::Reconsideration,
            AppealResult::Corrected,
            Some("2026-01-20"),
        ),
        (
            a,
            "2025-06-10",
            AppealKind::LitigationDirect,
            AppealResult::Pending,
            None,
        ),
        (
            a,
            "2025-07-10",
            AppealKind::LitigationAfterReview,
            AppealResult::Other,
            Some("2025-09-01"),
        ),
        // Another year, another agency: not counted.
        (
            a,
            "2024-12-31",
            AppealKind::Reconsideration,
            AppealResult::Upheld,
            Some("2025-01-05"),
        ),
        (
            b,
            "2025-05-10",
            AppealKind::Reconsideration,
            AppealResult::Corrected,
            Some("2025-06-01"),
        ),
    ] {
        let mut dr = draft(org, filed, result, decided);
        dr.kind = kind;
        db.store
            .create_appeal(&staff(), &dr, d(TODAY))
            .await
            .unwrap();
    }
    let t = db.store.count_appeals(&[a], 2025).await.unwrap();
    assert_eq!(t.cells(), [2, 0, 0, 1, 3, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1]);
    let both = db.store.count_appeals(&[a, b], 2025).await.unwrap();
    assert_eq!(
        both.get(AppealKind::Reconsideration, AppealResult::Corrected),
        1
    );
    assert_eq!(both.total(AppealKind::Reconsideration), 4);
    let t24 = db.store.count_appeals(&[a], 2024).await.unwrap();
    // Decided only in 2025: 尚未审结 at the end of 2024.
    assert_eq!(t24.cells()[..5], [0, 0, 0, 1, 1]);
    assert_eq!(
        db.store.count_appeals(&[], 2025).await.unwrap().cells(),
        [0; 15]
    );
}
