//! The store contract for issued notices and notice settings (`0007`), on
//! SQLite and, when `GONGKAI_TEST_PG_URL` is set, on PostgreSQL.

use crate::common;

use chrono::NaiveDate;
use common::Db;
use gongkai_core::OrgId;
use gongkai_core::audit::{Actor, verify_store};
use gongkai_core::notify::MailKind;
use gongkai_core::request::ApplicationForm;
use gongkai_core::request::case::{CaseAction, Intake, NewCaseEntry, QueryCode, RequestCase};
use gongkai_core::request::case_clock::{CaseEvent, Channel};
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::issued::{MailContext, NoticeSettings};
use gongkai_core::request::notice::{Notice, NoticeKind, Paragraph, Role};
use gongkai_core::store::{StoreError, SubmitMail};

store_tests!(
    notices_are_numbered_stored_and_mailed,
    a_refused_entry_stores_no_notice_and_uses_no_number,
    concurrent_issues_get_distinct_numbers,
    online_submission_queues_the_number_and_code,
    settings_roundtrip_and_set_the_prefix,
);

const ID_BODY: &str = "43010219900307123";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn staff() -> Actor {
    Actor::user(1, "handler")
}

fn intake(channel: Channel, email: &str) -> Intake {
    let application = ApplicationForm {
        applicant_kind: "natural".into(),
        name: "张三".into(),
        id_type: "resident_id".into(),
        id_number: format!("{ID_BODY}{}", resident_id_check_char(ID_BODY).unwrap()),
        contact: ContactForm {
            phone: "13812345678".into(),
            email: email.into(),
            ..Default::default()
        },
        info_description: "2025年老旧小区改造项目的资金分配文件".into(),
        provision_form: "paper".into(),
        delivery: "post".into(),
        ..Default::default()
    };
    let mut application = application;
    // Delivery by post needs the address.
    application.contact.postal_address = "青岚市岳麓路1号".into();
    Intake {
        channel,
        arrived_on: d("2026-03-02"),
        application: application.validate().unwrap(),
    }
}

async fn register(db: &Db, org_id: OrgId, email: &str) -> RequestCase {
    db.store
        .create_request(
            &staff(),
            org_id,
            &intake(Channel::InPerson, email),
            &QueryCode::parse("ABCDE23456").unwrap(),
            None,
        )
        .await
        .unwrap()
}

fn notice(kind: NoticeKind, text: &str) -> Notice {
    Notice {
        kind,
        agency: "青岚市测试局".into(),
        // What the caller put there is replaced by the store's number.
        doc_number: Some("待取号".into()),
        addressee: "张三".into(),
        paragraphs: vec![Paragraph {
            role: Role::Facts,
            text: text.into(),
        }],
        attachments: Vec::new(),
        issued_on: d("2026-03-04"),
    }
}

fn ctx() -> MailContext {
    MailContext {
        status_url: Some("https://gk.example.cn/status".into()),
    }
}

fn correction() -> NewCaseEntry {
    NewCaseEntry::new(CaseAction::Clock {
        event: CaseEvent::CorrectionRequested {
            on: d("2026-03-04"),
            reply_by: d("2026-03-20"),
        },
    })
    .issuing(notice(NoticeKind::Correction, "请补正。"), ctx())
}

async fn notices_are_numbered_stored_and_mailed(db: Db) {
    let org_id = common::plain_org(&db, "测试局").await;
    let c = register(&db, org_id, "applicant@example.com").await;
    let receipt =
        NewCaseEntry::new(CaseAction::Note).issuing(notice(NoticeKind::Receipt, "已收到。"), ctx());
    let receipt = NewCaseEntry {
        comment: Some("补发受理回执".into()),
        ..receipt
    };
    db.store
        .append_request_entries(&staff(), c.id, &[receipt, correction()], d("2026-03-06"))
        .await
        .unwrap();
    let list = db.store.list_request_notices(c.id).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].notice.kind, NoticeKind::Receipt);
    assert_eq!(list[0].notice.doc_number, None, "the receipt has no 文号");
    assert_eq!(list[0].entry_seq, 2);
    assert_eq!(
        list[1].notice.doc_number.as_deref(),
        Some("测试局依申请〔2026〕第1号")
    );
    assert_eq!(list[1].entry_seq, 3);
    assert_eq!(list[1].notice.paragraphs[0].text, "请补正。");
    let one = db
        .store
        .get_request_notice(c.id, list[1].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one, list[1]);
    assert!(
        db.store
            .get_request_notice(c.id + 1, list[1].id)
            .await
            .unwrap()
            .is_none()
    );
    let mail = db.store.list_mail(Some(&[org_id]), None, 10).await.unwrap();
    assert_eq!(mail.len(), 2);
    let kinds: Vec<MailKind> = mail.iter().map(|m| m.mail.kind).collect();
    assert!(kinds.contains(&MailKind::Receipt) && kinds.contains(&MailKind::Correction));
    let corr = mail
        .iter()
        .find(|m| m.mail.kind == MailKind::Correction)
        .unwrap();
    assert_eq!(corr.mail.to, "applicant@example.com");
    assert_eq!(corr.mail.case_id, Some(c.id));
    assert!(corr.mail.body.contains("测试局依申请〔2026〕第1号"));
    assert!(corr.mail.body.contains("https://gk.example.cn/status"));
    assert!(corr.mail.subject.contains(&c.number));
    // The audit records name the notice, not the applicant or the text.
    let audit = db.store.audit_after(0, 100).await.unwrap();
    let notes: Vec<_> = audit
        .iter()
        .filter(|r| r.action == "request.notice")
        .collect();
    assert_eq!(notes.len(), 2);
    for r in &audit {
        let s = &r.summary;
        assert!(!s.contains("张三") && !s.contains("applicant@"), "{s}");
    }
    verify_store(db.store.as_ref()).await.unwrap();
    // No e-mail address: the notice is stored, nothing is queued.
    let paper = register(&db, org_id, "").await;
    db.store
        .append_request_entries(&staff(), paper.id, &[correction()], d("2026-03-06"))
        .await
        .unwrap();
    let n = db.store.list_request_notices(paper.id).await.unwrap();
    assert_eq!(
        n[0].notice.doc_number.as_deref(),
        Some("测试局依申请〔2026〕第2号")
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM mail_outbox").await, 2);
}

async fn a_refused_entry_stores_no_notice_and_uses_no_number(db: Db) {
    let org_id = common::plain_org(&db, "拒绝局").await;
    let c = register(&db, org_id, "applicant@example.com").await;
    // The second 补正 is refused (第三十条: one notice), so the first is
    // rolled back with it.
    let err = db
        .store
        .append_request_entries(
            &staff(),
            c.id,
            &[correction(), correction()],
            d("2026-03-06"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(db.count("SELECT COUNT(*) FROM request_notices").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM mail_outbox").await, 0);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM request_notice_counters")
            .await,
        0
    );
    db.store
        .append_request_entries(&staff(), c.id, &[correction()], d("2026-03-06"))
        .await
        .unwrap();
    let n = db.store.list_request_notices(c.id).await.unwrap();
    assert_eq!(
        n[0].notice.doc_number.as_deref(),
        Some("拒绝局依申请〔2026〕第1号")
    );
}

async fn concurrent_issues_get_distinct_numbers(db: Db) {
    const TASKS: usize = 4;
    const EACH: usize = 3;
    let org_id = common::plain_org(&db, "并发局").await;
    let mut handles = Vec::new();
    for _ in 0..TASKS {
        let c = register(&db, org_id, "applicant@example.com").await;
        let store = db.store.clone();
        handles.push(tokio::spawn(async move {
            for _ in 0..EACH {
                let e = NewCaseEntry::with_comment(CaseAction::Note, "并发出具")
                    .issuing(notice(NoticeKind::Reply, "答复。"), MailContext::default());
                store
                    .append_request_entries(&staff(), c.id, &[e], d("2026-03-06"))
                    .await
                    .unwrap();
            }
            c.id
        }));
    }
    let mut numbers = Vec::new();
    for h in handles {
        let id = h.await.unwrap();
        for n in db.store.list_request_notices(id).await.unwrap() {
            numbers.push(n.notice.doc_number.unwrap());
        }
    }
    numbers.sort_by_key(|n| {
        n.trim_start_matches("并发局依申请〔2026〕第")
            .trim_end_matches('号')
            .parse::<u32>()
            .unwrap()
    });
    let expected: Vec<String> = (1..=TASKS * EACH)
        .map(|n| format!("并发局依申请〔2026〕第{n}号"))
        .collect();
    assert_eq!(numbers, expected);
    verify_store(db.store.as_ref()).await.unwrap();
}

async fn online_submission_queues_the_number_and_code(db: Db) {
    let org_id = common::plain_org(&db, "网申局").await;
    let code = QueryCode::parse("7K2MX9QH4T").unwrap();
    let mail = SubmitMail {
        agency: "青岚市网申局".into(),
        context: ctx(),
    };
    let c = db
        .store
        .submit_request(
            &Actor::public(),
            org_id,
            &intake(Channel::Online, "applicant@example.com"),
            &code,
            None,
            Some(&mail),
        )
        .await
        .unwrap();
    let queued = db.store.list_mail(Some(&[org_id]), None, 10).await.unwrap();
    assert_eq!(queued.len(), 1);
    let m = &queued[0].mail;
    assert_eq!(m.kind, MailKind::Submitted);
    assert_eq!(m.to, "applicant@example.com");
    assert!(m.body.contains(&c.number));
    assert!(m.body.contains("7K2MX-9QH4T"));
    assert!(m.body.contains("青岚市网申局"));
    // Without an address, or without mail settings, nothing is queued.
    db.store
        .submit_request(
            &Actor::public(),
            org_id,
            &intake(Channel::Online, ""),
            &code,
            None,
            Some(&mail),
        )
        .await
        .unwrap();
    db.store
        .create_request(
            &Actor::public(),
            org_id,
            &intake(Channel::Online, "applicant@example.com"),
            &code,
            None,
        )
        .await
        .unwrap();
    assert_eq!(db.count("SELECT COUNT(*) FROM mail_outbox").await, 1);
}

async fn settings_roundtrip_and_set_the_prefix(db: Db) {
    let org_id = common::plain_org(&db, "设置局").await;
    assert_eq!(db.store.get_notice_settings(org_id).await.unwrap(), None);
    let mut s = NoticeSettings {
        org_id,
        doc_prefix: "青设依申请".into(),
        review_organ: "青岚市人民政府".into(),
        court: "青岚市岳麓区人民法院".into(),
        payee: "青岚市设置局".into(),
        account: "6222 0000 1111".into(),
        bank: "青岚银行".into(),
        contact: "联系电话：0731-1234567".into(),
    };
    db.store.put_notice_settings(&staff(), &s).await.unwrap();
    assert_eq!(
        db.store.get_notice_settings(org_id).await.unwrap(),
        Some(s.clone())
    );
    s.court = "青岚市中级人民法院".into();
    db.store.put_notice_settings(&staff(), &s).await.unwrap();
    assert_eq!(
        db.store
            .get_notice_settings(org_id)
            .await
            .unwrap()
            .unwrap()
            .court,
        "青岚市中级人民法院"
    );
    let c = register(&db, org_id, "").await;
    db.store
        .append_request_entries(&staff(), c.id, &[correction()], d("2026-03-06"))
        .await
        .unwrap();
    let n = db.store.list_request_notices(c.id).await.unwrap();
    assert_eq!(
        n[0].notice.doc_number.as_deref(),
        Some("青设依申请〔2026〕第1号")
    );
    verify_store(db.store.as_ref()).await.unwrap();
}
