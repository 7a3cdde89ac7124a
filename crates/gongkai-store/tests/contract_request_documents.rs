//! The store contract for released documents of disclosure requests
//! (`CaseDocumentStore`), on SQLite and, when `GONGKAI_TEST_PG_URL` is
//! set, on PostgreSQL.

use crate::common;

use chrono::NaiveDate;
use common::Db;
use gongkai_core::audit::{Actor, verify_store};
use gongkai_core::item::NewAttachment;
use gongkai_core::request::ApplicationForm;
use gongkai_core::request::case::{CaseAction, Intake, NewCaseEntry, QueryCode, RequestCase};
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::closing::{Closing, ClosingDetails};
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::documents::{
    CASE_DOCUMENTS_MAX, DocumentFinding, DocumentScan, ScanStatus,
};
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::outcome::Outcome;
use gongkai_core::store::StoreError;

store_tests!(
    documents_are_added_listed_and_removed_with_audit_records_without_names,
    a_closed_case_keeps_its_documents_unchanged,
    documents_belong_to_their_case_only,
    bad_metadata_and_full_cases_are_refused,
    the_scan_result_is_kept_with_the_document,
);

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn handler() -> Actor {
    Actor::user(1, "handler")
}

async fn case(db: &Db, org_name: &str) -> RequestCase {
    let org_id = common::plain_org(db, org_name).await;
    let body = "43010219900307123";
    let application = ApplicationForm {
        applicant_kind: "natural".into(),
        name: "张三".into(),
        id_type: "resident_id".into(),
        id_number: format!("{body}{}", resident_id_check_char(body).unwrap()),
        contact: ContactForm {
            phone: "13812345678".into(),
            email: "applicant@example.com".into(),
            ..Default::default()
        },
        info_description: "2025年老旧小区改造项目的资金分配文件".into(),
        provision_form: "email".into(),
        delivery: "email".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    db.store
        .create_request(
            &Actor::public(),
            org_id,
            &Intake {
                channel: Channel::Online,
                arrived_on: d("2026-03-02"),
                application,
            },
            &QueryCode::parse("7K2MX9QH4T").unwrap(),
            None,
        )
        .await
        .unwrap()
}

async fn close(db: &Db, c: &RequestCase) {
    let entries = [
        NewCaseEntry::new(CaseAction::Confirm {
            on: d("2026-03-02"),
        }),
        NewCaseEntry::new(CaseAction::Close {
            on: d("2026-03-10"),
            closing: Closing::new(
                Outcome::Partial,
                ClosingDetails::Withheld {
                    reason: "第三方个人信息已作区分处理".into(),
                },
            )
            .unwrap(),
        }),
    ];
    db.store
        .append_request_entries(&handler(), c.id, &entries, d("2026-03-10"))
        .await
        .unwrap();
}

/// Metadata as the upload path hands it over, for `bytes`. The store
/// does not read the file store, so a stand-in digest of the right form
/// (distinct per content) is enough here.
fn doc(name: &str, bytes: &[u8]) -> NewAttachment {
    let (key, hex) = key_of(bytes);
    NewAttachment {
        name: name.into(),
        media_type: "application/pdf".into(),
        size: bytes.len() as i64,
        sha256: hex,
        storage_key: key,
    }
}

/// A `sha256/ab/cd/<hex>` key and its 64-digit hex, distinct per content.
fn key_of(bytes: &[u8]) -> (String, String) {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let hex = format!("{:064x}", h.finish());
    (format!("sha256/{}/{}/{hex}", &hex[..2], &hex[2..4]), hex)
}

/// The scan of a file without findings.
fn clean() -> DocumentScan {
    DocumentScan {
        status: ScanStatus::Clean,
        total: 0,
        findings: Vec::new(),
        detail: None,
    }
}

async fn head_seq(db: &Db) -> i64 {
    db.store.audit_head().await.unwrap().map_or(0, |(s, _)| s)
}

async fn documents_are_added_listed_and_removed_with_audit_records_without_names(db: Db) {
    let c = case(&db, "青岚市住房和城乡建设局").await;
    assert!(db.store.list_case_documents(c.id).await.unwrap().is_empty());
    let before = head_seq(&db).await;
    let a = db
        .store
        .add_case_document(
            &handler(),
            c.id,
            &doc("张三的补贴发放记录.pdf", b"%PDF-1 a"),
            &clean(),
        )
        .await
        .unwrap();
    let b = db
        .store
        .add_case_document(
            &handler(),
            c.id,
            &doc("改造计划.pdf", b"%PDF-1 b"),
            &clean(),
        )
        .await
        .unwrap();
    assert_eq!(a.case_id, c.id);
    assert_eq!(a.name, "张三的补贴发放记录.pdf");
    assert_eq!(a.size, 8);
    assert_eq!(a.uploaded_by, Some(1));
    assert_eq!(a.uploaded_by_name, "handler");
    assert_eq!(a.storage_key, key_of(b"%PDF-1 a").0);
    let listed = db.store.list_case_documents(c.id).await.unwrap();
    assert_eq!(listed, [a.clone(), b.clone()]);
    assert_eq!(
        db.store.get_case_document(c.id, b.id).await.unwrap(),
        Some(b.clone())
    );

    let recs = db.store.audit_after(before, 10).await.unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].action, "request.document_add");
    assert_eq!(recs[0].org_id, Some(c.org_id));
    assert_eq!(recs[0].object_id, c.id.to_string());
    assert_eq!(
        recs[0].summary,
        format!(
            r#"{{"document":{},"media_type":"application/pdf","number":"{}","scan":"clean","size":8}}"#,
            a.id, c.number
        )
    );
    for r in &recs {
        assert!(!r.summary.contains("张三"), "file name in the audit log");
        assert!(!r.summary.contains(".pdf"), "file name in the audit log");
    }

    let removed = db
        .store
        .remove_case_document(&handler(), c.id, a.id)
        .await
        .unwrap();
    assert_eq!(removed, a);
    assert_eq!(db.store.list_case_documents(c.id).await.unwrap(), [b]);
    assert_eq!(db.store.get_case_document(c.id, a.id).await.unwrap(), None);
    let last = db.store.audit_after(before + 2, 10).await.unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].action, "request.document_remove");
    assert!(!last[0].summary.contains("张三"));
    assert!(verify_store(db.store.as_ref()).await.is_ok());
}

async fn a_closed_case_keeps_its_documents_unchanged(db: Db) {
    let c = case(&db, "青岚市财政局").await;
    let kept = db
        .store
        .add_case_document(
            &handler(),
            c.id,
            &doc("资金分配表.pdf", b"%PDF-1 kept"),
            &clean(),
        )
        .await
        .unwrap();
    close(&db, &c).await;
    let before = head_seq(&db).await;
    let add = db
        .store
        .add_case_document(&handler(), c.id, &doc("补充.pdf", b"%PDF-1 late"), &clean())
        .await;
    assert!(
        matches!(&add, Err(StoreError::Invalid(m)) if m.contains("已办结")),
        "{add:?}"
    );
    let remove = db
        .store
        .remove_case_document(&handler(), c.id, kept.id)
        .await;
    assert!(
        matches!(&remove, Err(StoreError::Invalid(m)) if m.contains("已办结")),
        "{remove:?}"
    );
    assert_eq!(db.store.list_case_documents(c.id).await.unwrap(), [kept]);
    assert_eq!(
        head_seq(&db).await,
        before,
        "a refusal writes no audit record"
    );
}

async fn documents_belong_to_their_case_only(db: Db) {
    let one = case(&db, "青岚市教育局").await;
    let other = case(&db, "青岚市民政局").await;
    let a = db
        .store
        .add_case_document(
            &handler(),
            one.id,
            &doc("名单.pdf", b"%PDF-1 one"),
            &clean(),
        )
        .await
        .unwrap();
    assert_eq!(
        db.store.get_case_document(other.id, a.id).await.unwrap(),
        None
    );
    assert!(matches!(
        db.store
            .remove_case_document(&handler(), other.id, a.id)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        db.store
            .list_case_documents(other.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        db.store
            .add_case_document(&handler(), 999_999, &doc("x.pdf", b"%PDF-1 x"), &clean())
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        db.store
            .remove_case_document(&handler(), one.id, 999_999)
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(db.store.list_case_documents(one.id).await.unwrap(), [a]);
}

async fn bad_metadata_and_full_cases_are_refused(db: Db) {
    let c = case(&db, "青岚市卫生健康委员会").await;
    let mut bad = doc("报告.pdf", b"%PDF-1 bad");
    bad.sha256 = "not-a-digest".into();
    assert!(matches!(
        db.store
            .add_case_document(&handler(), c.id, &bad, &clean())
            .await,
        Err(StoreError::Invalid(_))
    ));
    let mut exe = doc("报告.pdf", b"%PDF-1 exe");
    exe.media_type = "application/x-msdownload".into();
    assert!(matches!(
        db.store
            .add_case_document(&handler(), c.id, &exe, &clean())
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(db.store.list_case_documents(c.id).await.unwrap().is_empty());

    for i in 0..CASE_DOCUMENTS_MAX {
        db.store
            .add_case_document(
                &handler(),
                c.id,
                &doc(&format!("第{i}份.pdf"), format!("%PDF-1 {i}").as_bytes()),
                &clean(),
            )
            .await
            .unwrap();
    }
    let over = db
        .store
        .add_case_document(&handler(), c.id, &doc("多余.pdf", b"%PDF-1 over"), &clean())
        .await;
    assert!(
        matches!(&over, Err(StoreError::Invalid(m)) if m.contains("最多")),
        "{over:?}"
    );
    assert_eq!(
        db.store.list_case_documents(c.id).await.unwrap().len(),
        CASE_DOCUMENTS_MAX
    );
}

async fn the_scan_result_is_kept_with_the_document(db: Db) {
    let c = case(&db, "青岚市人力资源和社会保障局").await;
    let found = DocumentScan {
        status: ScanStatus::Findings,
        total: 2,
        findings: vec![
            DocumentFinding {
                kind: "id_number".into(),
                place: "【第 2 页】 第 3 行第 8 字".into(),
                excerpt: "申请人身份证号【4301**********1234】，已核实".into(),
            },
            DocumentFinding {
                kind: "marking".into(),
                place: "第 1 行第 1 字".into(),
                excerpt: "【秘密★1年】".into(),
            },
        ],
        detail: None,
    };
    let unreadable = DocumentScan {
        status: ScanStatus::Unreadable,
        total: 0,
        findings: Vec::new(),
        detail: Some("未能提取文字：图片".into()),
    };
    let before = head_seq(&db).await;
    let a = db
        .store
        .add_case_document(&handler(), c.id, &doc("名单.pdf", b"%PDF-1 found"), &found)
        .await
        .unwrap();
    let b = db
        .store
        .add_case_document(
            &handler(),
            c.id,
            &doc("扫描件.pdf", b"%PDF-1 scan"),
            &unreadable,
        )
        .await
        .unwrap();
    assert_eq!(a.scan, found);
    assert_eq!(b.scan, unreadable);
    let listed = db.store.list_case_documents(c.id).await.unwrap();
    assert_eq!(listed[0].scan, found);
    assert_eq!(listed[1].scan, unreadable);
    assert_eq!(
        db.store
            .get_case_document(c.id, a.id)
            .await
            .unwrap()
            .unwrap()
            .scan,
        found
    );
    // The audit record names the verdict, not what was found.
    let recs = db.store.audit_after(before, 10).await.unwrap();
    assert!(
        recs[0].summary.contains(r#""scan":"findings""#),
        "{}",
        recs[0].summary
    );
    assert!(
        recs[1].summary.contains(r#""scan":"unreadable""#),
        "{}",
        recs[1].summary
    );
    assert!(!recs[0].summary.contains("4301"));
}
