//! The store contract for 依申请公开 cases (`RequestStore`), on SQLite and,
//! when `GONGKAI_TEST_PG_URL` is set, on PostgreSQL.

use crate::common;

use chrono::NaiveDate;
use common::Db;
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, verify_store};
use gongkai_core::request::case::{
    CaseAction, CaseStatus, Intake, NewCaseEntry, QueryCode, RequestCase,
};
use gongkai_core::request::case_clock::{CaseEvent, Channel};
use gongkai_core::request::closing::{Closing, ClosingDetails};
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::outcome::Outcome;
use gongkai_core::request::{Application, ApplicationForm};
use gongkai_core::store::{CaseCount, CaseQuery, HandlerFilter, StoreError};
use gongkai_core::user::NewUser;

store_tests!(
    online_request_is_stored_without_personal_data_in_the_log,
    numbers_run_per_agency_and_year,
    concurrent_submissions_get_distinct_numbers,
    the_query_code_opens_exactly_its_case,
    a_replayed_form_creates_nothing,
    entries_append_in_order_with_one_record_each,
    a_refused_entry_writes_nothing,
    concurrent_appends_keep_one_sequence,
    lists_filter_by_scope_status_handler_and_year,
    counts_group_by_agency_and_status,
    unknown_cases_and_users_are_refused,
);

// ---------- fixtures ----------

const ID_BODY: &str = "43010219900307123";

fn id_number() -> String {
    format!("{ID_BODY}{}", resident_id_check_char(ID_BODY).unwrap())
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn staff() -> Actor {
    Actor::user(1, "handler")
}

fn application(name: &str) -> Application {
    ApplicationForm {
        applicant_kind: "natural".into(),
        name: name.into(),
        id_type: "resident_id".into(),
        id_number: id_number(),
        contact: ContactForm {
            phone: "13812345678".into(),
            email: "applicant@example.com".into(),
            ..Default::default()
        },
        info_title: "青岚市2025年老旧小区改造计划".into(),
        info_description: "2025年老旧小区改造项目的资金分配文件".into(),
        provision_form: "email".into(),
        delivery: "email".into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn intake(channel: Channel, on: &str) -> Intake {
    Intake {
        channel,
        arrived_on: d(on),
        application: application("张三"),
    }
}

fn code(s: &str) -> QueryCode {
    QueryCode::parse(s).unwrap()
}

async fn org(db: &Db, name: &str) -> OrgId {
    common::plain_org(db, name).await
}

async fn submit(db: &Db, org_id: OrgId, on: &str) -> RequestCase {
    db.store
        .create_request(
            &Actor::public(),
            org_id,
            &intake(Channel::Online, on),
            &code("7K2MX9QH4T"),
            None,
        )
        .await
        .unwrap()
}

async fn register(db: &Db, org_id: OrgId, on: &str) -> RequestCase {
    db.store
        .create_request(
            &staff(),
            org_id,
            &intake(Channel::InPerson, on),
            &code("ABCDE23456"),
            None,
        )
        .await
        .unwrap()
}

async fn head_seq(db: &Db) -> i64 {
    db.store.audit_head().await.unwrap().map_or(0, |(s, _)| s)
}

fn all(org_ids: Vec<OrgId>) -> CaseQuery {
    CaseQuery {
        org_ids,
        status: None,
        handler: HandlerFilter::Any,
        year: None,
        offset: 0,
        limit: 100,
    }
}

fn numbers(cases: &[RequestCase]) -> Vec<&str> {
    cases.iter().map(|c| c.number.as_str()).collect()
}

// ---------- tests ----------

async fn online_request_is_stored_without_personal_data_in_the_log(db: Db) {
    let org_id = org(&db, "青岚市住房和城乡建设局").await;
    let before = head_seq(&db).await;
    let c = submit(&db, org_id, "2026-03-02").await;
    assert_eq!(c.number, format!("2026-{org_id:04}-00001"));
    assert_eq!(c.org_id, org_id);
    assert_eq!(c.channel, Channel::Online);
    assert_eq!(c.status, CaseStatus::Unconfirmed);
    assert_eq!(c.arrived_on, d("2026-03-02"));
    assert_eq!(c.dates.submitted_on, Some(d("2026-03-02")));
    assert_eq!(c.receipt_date(), None);
    assert_eq!(c.application, application("张三"));
    assert_eq!(c.entries.len(), 1);
    assert_eq!(
        c.entries[0].action,
        CaseAction::Received {
            channel: Channel::Online,
            on: d("2026-03-02")
        }
    );
    assert_eq!(c.entries[0].actor_name, "public");
    assert!(code("7K2MX9QH4T").matches(&c.number, &c.query_code_hash));
    assert!(!c.query_code_hash.contains("7K2MX9QH4T"));
    assert_eq!(db.store.get_request(c.id).await.unwrap(), Some(c.clone()));

    let recs = db.store.audit_after(before, 100).await.unwrap();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.action, "request.submit");
    assert_eq!(r.org_id, Some(org_id));
    assert_eq!(r.actor_name, "public");
    assert_eq!(r.via, "portal");
    assert_eq!(
        r.summary,
        format!(r#"{{"channel":"online","number":"{}"}}"#, c.number)
    );
    for secret in [
        "张三",
        id_number().as_str(),
        "13812345678",
        "applicant@example.com",
        "7K2MX9QH4T",
    ] {
        assert!(!r.summary.contains(secret), "{secret} in the audit log");
    }
}

async fn numbers_run_per_agency_and_year(db: Db) {
    let a = org(&db, "甲局").await;
    let b = org(&db, "乙局").await;
    let n1 = submit(&db, a, "2025-12-31").await.number;
    let desk = register(&db, a, "2026-01-04").await;
    let n2 = desk.number.clone();
    let n3 = submit(&db, a, "2026-01-05").await.number;
    let n4 = submit(&db, b, "2026-01-05").await.number;
    let n5 = submit(&db, a, "2025-12-30").await.number;
    assert_eq!(
        [n1, n2, n3, n4, n5],
        [
            format!("2025-{a:04}-00001"),
            format!("2026-{a:04}-00001"),
            format!("2026-{a:04}-00002"),
            format!("2026-{b:04}-00001"),
            format!("2025-{a:04}-00002"),
        ]
    );
    let desk = db.store.get_request(desk.id).await.unwrap().unwrap();
    assert_eq!(desk.channel, Channel::InPerson);
    assert_eq!(desk.status, CaseStatus::Open);
    assert_eq!(desk.receipt_date(), Some(d("2026-01-04")));
    let recs = db.store.audit_after(0, 1000).await.unwrap();
    assert_eq!(
        recs.iter()
            .filter(|r| r.action == "request.register")
            .count(),
        1
    );
}

async fn concurrent_submissions_get_distinct_numbers(db: Db) {
    const TASKS: usize = 6;
    const EACH: usize = 4;
    let org_id = org(&db, "并发局").await;
    let mut handles = Vec::new();
    for _ in 0..TASKS {
        let store = db.store.clone();
        handles.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for _ in 0..EACH {
                let c = store
                    .create_request(
                        &Actor::public(),
                        org_id,
                        &intake(Channel::Online, "2026-03-02"),
                        &code("7K2MX9QH4T"),
                        None,
                    )
                    .await
                    .unwrap();
                got.push(c.number);
            }
            got
        }));
    }
    let mut all_numbers = Vec::new();
    for h in handles {
        all_numbers.extend(h.await.unwrap());
    }
    all_numbers.sort();
    let expected: Vec<String> = (1..=(TASKS * EACH) as i64)
        .map(|n| format!("2026-{org_id:04}-{n:05}"))
        .collect();
    assert_eq!(all_numbers, expected);
    // One org record plus one record per case, in one unbroken chain.
    assert_eq!(
        verify_store(db.store.as_ref()).await.unwrap(),
        1 + (TASKS * EACH) as i64
    );
}

async fn the_query_code_opens_exactly_its_case(db: Db) {
    let org_id = org(&db, "查询局").await;
    let c = submit(&db, org_id, "2026-03-02").await;
    let other = register(&db, org_id, "2026-03-02").await;
    let found = db
        .store
        .find_request_by_code(&c.number, "7K2MX9QH4T")
        .await
        .unwrap();
    assert_eq!(found.map(|f| f.id), Some(c.id));
    // As typed by a person: lower case, grouped, with spaces around.
    let typed = db
        .store
        .find_request_by_code(&format!(" {} ", c.number), " 7k2mx-9qh4t ")
        .await
        .unwrap();
    assert_eq!(typed.map(|f| f.id), Some(c.id));
    for (number, code) in [
        (c.number.as_str(), "7K2MX9QH4U"),
        (c.number.as_str(), "ABCDE23456"), // the other case's code
        (other.number.as_str(), "7K2MX9QH4T"),
        ("2026-9999-00001", "7K2MX9QH4T"),
        (c.number.as_str(), ""),
        (c.number.as_str(), "' OR 1=1 --"),
    ] {
        assert_eq!(
            db.store.find_request_by_code(number, code).await.unwrap(),
            None,
            "{number} / {code}"
        );
    }
}

async fn a_replayed_form_creates_nothing(db: Db) {
    let org_id = org(&db, "重放局").await;
    let create = || async {
        db.store
            .create_request(
                &Actor::public(),
                org_id,
                &intake(Channel::Online, "2026-03-02"),
                &code("7K2MX9QH4T"),
                Some("form-token-1"),
            )
            .await
    };
    let first = create().await.unwrap();
    let before = head_seq(&db).await;
    let again = create().await;
    assert!(
        matches!(
            again,
            Err(StoreError::Conflict {
                field: "form_token"
            })
        ),
        "{again:?}"
    );
    assert_eq!(head_seq(&db).await, before);
    assert_eq!(db.count("SELECT COUNT(*) FROM requests").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM request_entries").await, 1);
    // The number the refused replay drew was rolled back with it.
    let next = db
        .store
        .create_request(
            &Actor::public(),
            org_id,
            &intake(Channel::Online, "2026-03-02"),
            &code("7K2MX9QH4T"),
            Some("form-token-2"),
        )
        .await
        .unwrap();
    assert_eq!(first.number, format!("2026-{org_id:04}-00001"));
    assert_eq!(next.number, format!("2026-{org_id:04}-00002"));
}

async fn entries_append_in_order_with_one_record_each(db: Db) {
    let org_id = org(&db, "办理局").await;
    let handler = db
        .store
        .create_user(
            &Actor::cli(),
            &NewUser {
                username: "handler".into(),
                display_name: "承办人".into(),
                org_id,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let c = submit(&db, org_id, "2026-03-02").await;
    let before = head_seq(&db).await;
    let entries = [
        NewCaseEntry::new(CaseAction::Confirm {
            on: d("2026-03-03"),
        }),
        NewCaseEntry::new(CaseAction::Assign {
            handler: Some(handler.id),
        }),
        NewCaseEntry::with_comment(CaseAction::Note, "  申请人张三来电询问进度  "),
        NewCaseEntry::new(CaseAction::Clock {
            event: CaseEvent::CorrectionRequested {
                on: d("2026-03-05"),
                reply_by: d("2026-03-20"),
            },
        }),
    ];
    let after = db
        .store
        .append_request_entries(&staff(), c.id, &entries, d("2026-03-06"))
        .await
        .unwrap();
    assert_eq!(after.status, CaseStatus::AwaitingCorrection);
    assert_eq!(after.dates.confirmed_on, Some(d("2026-03-03")));
    assert_eq!(after.receipt_date(), Some(d("2026-03-03")));
    assert_eq!(after.handler_id, Some(handler.id));
    let seqs: Vec<i32> = after.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    assert_eq!(
        after.entries[3].comment.as_deref(),
        Some("申请人张三来电询问进度")
    );
    assert_eq!(after.entries[4].actor_name, "handler");
    assert_eq!(
        db.store.get_request(c.id).await.unwrap(),
        Some(after.clone())
    );

    let recs = db.store.audit_after(before, 100).await.unwrap();
    let actions: Vec<&str> = recs.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "request.confirm",
            "request.assign",
            "request.note",
            "request.correction_requested"
        ]
    );
    assert!(recs.iter().all(|r| r.org_id == Some(org_id)));
    assert!(recs.iter().all(|r| !r.summary.contains("张三")));
    assert!(recs[2].summary.contains("\"has_comment\":true"));
    assert!(recs[3].summary.contains("2026-03-20"));

    // Closing later: the outcome and date become columns for statistics.
    let close = NewCaseEntry::with_comment(
        CaseAction::Close {
            on: d("2026-03-25"),
            closing: Closing::new(Outcome::OtherNoCorrection, ClosingDetails::Lapsed).unwrap(),
        },
        "逾期未补正",
    );
    let closed = db
        .store
        .append_request_entries(&staff(), c.id, &[close], d("2026-03-25"))
        .await
        .unwrap();
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.outcome, Some(Outcome::OtherNoCorrection));
    assert_eq!(closed.closed_on, Some(d("2026-03-25")));
    assert_eq!(
        closed.closing().map(|c| c.outcome()),
        Some(Outcome::OtherNoCorrection)
    );
    let reloaded = db.store.get_request(c.id).await.unwrap().unwrap();
    assert_eq!(reloaded, closed);
}

async fn a_refused_entry_writes_nothing(db: Db) {
    let org_id = org(&db, "拒绝局").await;
    let c = submit(&db, org_id, "2026-03-02").await;
    let before = head_seq(&db).await;
    let confirm = NewCaseEntry::new(CaseAction::Confirm {
        on: d("2026-03-03"),
    });
    let err = db
        .store
        .append_request_entries(&staff(), c.id, &[confirm.clone(), confirm], d("2026-03-06"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m == "该申请已确认收到，无需再次确认"),
        "{err:?}"
    );
    assert_eq!(head_seq(&db).await, before);
    let unchanged = db.store.get_request(c.id).await.unwrap().unwrap();
    assert_eq!(unchanged.status, CaseStatus::Unconfirmed);
    assert_eq!(unchanged.dates.confirmed_on, None);
    assert_eq!(unchanged.entries.len(), 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM request_entries").await, 1);
    let future = NewCaseEntry::new(CaseAction::Confirm {
        on: d("2026-03-07"),
    });
    let err = db
        .store
        .append_request_entries(&staff(), c.id, &[future], d("2026-03-06"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(m) if m.contains("晚于今天")));
}

/// Notes added at the same moment by several handlers all land, each with
/// its own sequence number, and the audit chain stays whole.
async fn concurrent_appends_keep_one_sequence(db: Db) {
    const TASKS: usize = 8;
    let org_id = org(&db, "并发办理局").await;
    let c = register(&db, org_id, "2026-03-02").await;
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let store = db.store.clone();
        handles.push(tokio::spawn(async move {
            let note = NewCaseEntry::with_comment(CaseAction::Note, format!("备注{t}"));
            store
                .append_request_entries(&staff(), c.id, &[note], d("2026-03-06"))
                .await
                .unwrap();
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let after = db.store.get_request(c.id).await.unwrap().unwrap();
    let seqs: Vec<i32> = after.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=(TASKS as i32 + 1)).collect::<Vec<_>>());
    let mut notes: Vec<String> = after.entries[1..]
        .iter()
        .filter_map(|e| e.comment.clone())
        .collect();
    notes.sort();
    assert_eq!(
        notes,
        (0..TASKS).map(|t| format!("备注{t}")).collect::<Vec<_>>()
    );
    assert_eq!(
        verify_store(db.store.as_ref()).await.unwrap(),
        2 + TASKS as i64
    );
}

async fn lists_filter_by_scope_status_handler_and_year(db: Db) {
    let a = org(&db, "列表甲局").await;
    let b = org(&db, "列表乙局").await;
    let c1 = submit(&db, a, "2025-12-30").await; // unconfirmed, arrived 2025
    let c2 = register(&db, a, "2026-01-05").await; // open 2026
    let c3 = submit(&db, a, "2025-12-31").await; // confirmed in 2026
    let c4 = register(&db, b, "2026-02-02").await;
    db.store
        .append_request_entries(
            &staff(),
            c3.id,
            &[NewCaseEntry::new(CaseAction::Confirm {
                on: d("2026-01-04"),
            })],
            d("2026-01-04"),
        )
        .await
        .unwrap();
    let user = db
        .store
        .create_user(
            &Actor::cli(),
            &NewUser {
                username: "list.handler".into(),
                display_name: "承办人".into(),
                org_id: a,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    db.store
        .append_request_entries(
            &staff(),
            c2.id,
            &[NewCaseEntry::new(CaseAction::Assign {
                handler: Some(user.id),
            })],
            d("2026-01-05"),
        )
        .await
        .unwrap();

    let page = db.store.list_requests(&all(vec![a, b])).await.unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(
        numbers(&page.cases),
        [&c4.number, &c3.number, &c2.number, &c1.number],
        "newest first"
    );
    assert!(page.cases.iter().all(|c| !c.entries.is_empty()));
    assert_eq!(page.cases[1].entries.len(), 2, "entries come with the list");

    let only_a = db.store.list_requests(&all(vec![a])).await.unwrap();
    assert_eq!(only_a.total, 3);
    assert!(only_a.cases.iter().all(|c| c.org_id == a));
    let nothing = db.store.list_requests(&all(vec![])).await.unwrap();
    assert_eq!((nothing.total, nothing.cases.len()), (0, 0));

    let mut q = all(vec![a, b]);
    q.status = Some(CaseStatus::Unconfirmed);
    assert_eq!(
        numbers(&db.store.list_requests(&q).await.unwrap().cases),
        [&c1.number]
    );
    let mut q = all(vec![a, b]);
    q.handler = HandlerFilter::User(user.id);
    assert_eq!(
        numbers(&db.store.list_requests(&q).await.unwrap().cases),
        [&c2.number]
    );
    q.handler = HandlerFilter::Unassigned;
    assert_eq!(db.store.list_requests(&q).await.unwrap().total, 3);
    // The receipt date decides the year; before confirmation, the arrival.
    let mut q = all(vec![a, b]);
    q.year = Some(2025);
    assert_eq!(
        numbers(&db.store.list_requests(&q).await.unwrap().cases),
        [&c1.number]
    );
    q.year = Some(2026);
    assert_eq!(db.store.list_requests(&q).await.unwrap().total, 3);

    let mut q = all(vec![a, b]);
    q.limit = 2;
    q.offset = 2;
    let p = db.store.list_requests(&q).await.unwrap();
    assert_eq!(p.total, 4);
    assert_eq!(numbers(&p.cases), [&c2.number, &c1.number]);
}

async fn counts_group_by_agency_and_status(db: Db) {
    let a = org(&db, "计数甲局").await;
    let b = org(&db, "计数乙局").await;
    submit(&db, a, "2026-03-02").await;
    submit(&db, a, "2026-03-02").await;
    register(&db, a, "2026-03-02").await;
    register(&db, b, "2025-03-02").await;
    let counts = db.store.count_requests(&[a, b], None).await.unwrap();
    let row = |org_id, status, count| CaseCount {
        org_id,
        status,
        count,
    };
    let mut expected = vec![
        row(a, CaseStatus::Open, 1),
        row(a, CaseStatus::Unconfirmed, 2),
        row(b, CaseStatus::Open, 1),
    ];
    expected.sort_by_key(|c| (c.org_id, c.status.as_str()));
    assert_eq!(counts, expected);
    let in_2026 = db.store.count_requests(&[a, b], Some(2026)).await.unwrap();
    assert_eq!(in_2026.iter().map(|c| c.count).sum::<i64>(), 3);
    assert!(db.store.count_requests(&[], None).await.unwrap().is_empty());
}

async fn unknown_cases_and_users_are_refused(db: Db) {
    let org_id = org(&db, "未知局").await;
    let note = NewCaseEntry::with_comment(CaseAction::Note, "备注");
    let err = db
        .store
        .append_request_entries(&staff(), 999, &[note], d("2026-03-06"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    assert_eq!(db.store.get_request(999).await.unwrap(), None);
    let c = register(&db, org_id, "2026-03-02").await;
    let before = head_seq(&db).await;
    let assign = NewCaseEntry::new(CaseAction::Assign {
        handler: Some(4242),
    });
    let err = db
        .store
        .append_request_entries(&staff(), c.id, &[assign], d("2026-03-06"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(head_seq(&db).await, before);
    let err = db
        .store
        .create_request(
            &staff(),
            4242,
            &intake(Channel::InPerson, "2026-03-02"),
            &code("ABCDE23456"),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(db.count("SELECT COUNT(*) FROM requests").await, 1);
}
