//! The store contract for historic annual reports: every body runs on
//! SQLite and, with `GONGKAI_TEST_PG_URL`, on PostgreSQL, each on a fresh
//! database.

use crate::common;

use common::Db;
use gongkai_core::OrgId;
use gongkai_core::annual_report::{
    AnnualReportDraft, FindingSeverity, ReportCell, ReportFinding, ReportFormat,
};
use gongkai_core::audit::{Actor, AuditRecord, verify_store};
use gongkai_core::store::StoreError;

store_tests!(
    reports_round_trip,
    put_replaces_the_same_year_and_keeps_the_id,
    a_bad_cell_rolls_back_the_whole_report,
    batch_is_all_or_nothing,
    lists_are_per_organisation_newest_first,
    delete_removes_cells_and_is_audited,
    invalid_drafts_and_unknown_organisations_are_refused,
);

fn actor() -> Actor {
    Actor::user(1, "sup")
}

async fn org(db: &Db, name: &str) -> OrgId {
    common::plain_org(db, name).await
}

fn cell(table: &str, row: Option<&str>, col: &str, value: Option<f64>, raw: &str) -> ReportCell {
    ReportCell {
        table: table.into(),
        row: row.map(str::to_string),
        col: col.into(),
        value,
        raw: raw.into(),
        label: format!("标签{}", row.unwrap_or(col)),
    }
}

/// A 2021-format report with a few cells, including a blank, a decimal and
/// a negative number (all must come back exactly).
fn report(org_id: OrgId, year: i32, carried_in: f64) -> AnnualReportDraft {
    AnnualReportDraft {
        org_id,
        year,
        format: ReportFormat::F2021,
        source_name: format!("{year}年报.html"),
        source_sha256: format!("{:064x}", year),
        agency_name: Some("青岚市民政局".into()),
        evidence: vec!["表三识别出 25 行".into()],
        cells: vec![
            cell("t3", Some("new"), "total", Some(12.0), "12"),
            cell("t3", Some("carried_in"), "total", Some(carried_in), "1"),
            cell("t3", Some("disclosed"), "total", None, "—"),
            cell("t2", Some("fees"), "amount_wan", Some(0.35), "0.35"),
            cell("t2", Some("license"), "change", Some(-2.0), "-2"),
        ],
        findings: vec![ReportFinding {
            rule: "t3.balance".into(),
            severity: FindingSeverity::Error,
            message: "自然人：本年新收 10 + 上年结转 1 = 11 ≠ 办理结果总计 10 + 结转下年度 2 = 12"
                .into(),
        }],
    }
}

async fn head_seq(db: &Db) -> i64 {
    db.store.audit_head().await.unwrap().map_or(0, |(s, _)| s)
}

async fn records_after(db: &Db, seq: i64) -> Vec<AuditRecord> {
    db.store.audit_after(seq, 1000).await.unwrap()
}

fn summary(r: &AuditRecord) -> serde_json::Value {
    serde_json::from_str(&r.summary).unwrap()
}

async fn reports_round_trip(db: Db) {
    let o = org(&db, "青岚市民政局").await;
    let draft = report(o, 2022, 1.0);
    let seq = head_seq(&db).await;
    let info = db.store.put_annual_report(&actor(), &draft).await.unwrap();
    assert_eq!(
        (info.org_id, info.year, info.format, info.cell_count),
        (o, 2022, ReportFormat::F2021, 5)
    );
    assert_eq!(info.source_name, "2022年报.html");
    assert_eq!(info.source_sha256, draft.source_sha256);
    assert_eq!(info.agency_name.as_deref(), Some("青岚市民政局"));
    assert_eq!(info.evidence, draft.evidence);
    assert_eq!(info.findings, draft.findings);
    assert_eq!(info.count(FindingSeverity::Error), 1);
    assert_eq!(info.imported_by, "sup");

    let got = db.store.get_annual_report(info.id).await.unwrap().unwrap();
    assert_eq!(got.info, info);
    assert_eq!(got.cells, draft.cells, "cells come back exactly, in order");
    assert!(
        db.store
            .get_annual_report(info.id + 1)
            .await
            .unwrap()
            .is_none()
    );

    // The audit record names the organisation, the year and the cell count.
    let recs = records_after(&db, seq).await;
    assert_eq!(recs.len(), 1);
    let rec = &recs[0];
    assert_eq!(
        (rec.action.as_str(), rec.object_type.as_str(), rec.org_id),
        ("annual_report.import", "annual_report", Some(o))
    );
    assert_eq!(rec.object_id, info.id.to_string());
    let s = summary(rec);
    assert_eq!(s["org_name"], "青岚市民政局");
    assert_eq!(s["year"], 2022);
    assert_eq!(s["cells"], 5);
    assert_eq!(s["before"], serde_json::Value::Null);
    assert_eq!(s["after"]["source_sha256"], draft.source_sha256.as_str());
    assert_eq!(verify_store(db.store.as_ref()).await.unwrap(), 1 + 1);
}

async fn put_replaces_the_same_year_and_keeps_the_id(db: Db) {
    let o = org(&db, "青岚市民政局").await;
    let first = db
        .store
        .put_annual_report(&actor(), &report(o, 2022, 1.0))
        .await
        .unwrap();
    let mut corrected = report(o, 2022, 3.0);
    corrected.source_name = "更正版.html".into();
    corrected.cells.truncate(2);
    corrected.findings.clear();
    let seq = head_seq(&db).await;
    let second = db
        .store
        .put_annual_report(&actor(), &corrected)
        .await
        .unwrap();
    assert_eq!(second.id, first.id, "links to the year's report stay valid");
    assert_eq!(second.cell_count, 2);
    assert!(second.findings.is_empty());
    let got = db.store.get_annual_report(first.id).await.unwrap().unwrap();
    assert_eq!(got.cells, corrected.cells);
    assert_eq!(got.info.source_name, "更正版.html");
    assert_eq!(db.store.list_annual_reports(o).await.unwrap().len(), 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM annual_report_cells").await,
        2,
        "the replaced cells are gone"
    );
    let recs = records_after(&db, seq).await;
    assert_eq!(recs.len(), 1);
    let s = summary(&recs[0]);
    assert_eq!(s["cells"], 2);
    assert_eq!(s["before"]["cells"], 5);
    assert_eq!(s["before"]["source_name"], "2022年报.html");
    assert_eq!(s["after"]["source_name"], "更正版.html");
}

async fn a_bad_cell_rolls_back_the_whole_report(db: Db) {
    let o = org(&db, "青岚市民政局").await;
    let kept = db
        .store
        .put_annual_report(&actor(), &report(o, 2022, 1.0))
        .await
        .unwrap();
    // The same canonical cell twice: the database refuses the fourth row
    // after the report row and three cells were written.
    let mut bad = report(o, 2022, 7.0);
    bad.source_name = "坏.html".into();
    let dup = bad.cells[0].clone();
    bad.cells.insert(3, dup);
    let seq = head_seq(&db).await;
    let err = db
        .store
        .put_annual_report(&actor(), &bad)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { field: "cells" }),
        "{err:?}"
    );
    let got = db.store.get_annual_report(kept.id).await.unwrap().unwrap();
    assert_eq!(got.info, kept, "the stored report is untouched");
    assert_eq!(got.cells, report(o, 2022, 1.0).cells);
    assert_eq!(head_seq(&db).await, seq, "no audit record");

    // A new year that fails leaves no row behind either.
    let mut bad_new = bad.clone();
    bad_new.year = 2023;
    db.store
        .put_annual_report(&actor(), &bad_new)
        .await
        .unwrap_err();
    assert_eq!(db.store.list_annual_reports(o).await.unwrap().len(), 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM annual_report_cells").await,
        5
    );
    // Local tables have no row key: equal labels in the same column are
    // different printed rows, not duplicates.
    let mut local = report(o, 2012, 0.0);
    local.format = ReportFormat::Local;
    local.cells = vec![
        cell("local", None, "数据统计", Some(1.0), "1"),
        cell("local", None, "数据统计", Some(2.0), "2"),
    ];
    let info = db.store.put_annual_report(&actor(), &local).await.unwrap();
    assert_eq!(info.cell_count, 2);
}

async fn batch_is_all_or_nothing(db: Db) {
    let o = org(&db, "青岚市民政局").await;
    let p = org(&db, "青岚市教育局").await;
    let seq = head_seq(&db).await;
    let mut bad = report(p, 2023, 0.0);
    bad.source_sha256 = "not a hash".into();
    let err = db
        .store
        .put_annual_reports(&actor(), &[report(o, 2022, 1.0), bad])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("SHA-256")),
        "{err:?}"
    );
    assert!(db.store.list_annual_reports(o).await.unwrap().is_empty());
    assert_eq!(head_seq(&db).await, seq);

    let err = db
        .store
        .put_annual_reports(&actor(), &[report(o, 2022, 1.0), report(o, 2022, 2.0)])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("2022")),
        "{err:?}"
    );

    let stored = db
        .store
        .put_annual_reports(&actor(), &[report(o, 2022, 1.0), report(p, 2022, 4.0)])
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    let recs = records_after(&db, seq).await;
    let objects: Vec<(&str, Option<OrgId>)> =
        recs.iter().map(|r| (r.action.as_str(), r.org_id)).collect();
    assert_eq!(
        objects,
        [
            ("annual_report.import", Some(o)),
            ("annual_report.import", Some(p))
        ]
    );
}

async fn lists_are_per_organisation_newest_first(db: Db) {
    let o = org(&db, "青岚市民政局").await;
    let p = org(&db, "青岚市教育局").await;
    for y in [2021, 2023, 2022] {
        db.store
            .put_annual_report(&actor(), &report(o, y, 1.0))
            .await
            .unwrap();
    }
    db.store
        .put_annual_report(&actor(), &report(p, 2024, 1.0))
        .await
        .unwrap();
    let years: Vec<i32> = db
        .store
        .list_annual_reports(o)
        .await
        .unwrap()
        .iter()
        .map(|r| r.year)
        .collect();
    assert_eq!(years, [2023, 2022, 2021]);
    let other = db.store.list_annual_reports(p).await.unwrap();
    assert_eq!(other.len(), 1);
    assert_eq!((other[0].year, other[0].cell_count), (2024, 5));
    assert!(
        db.store
            .list_annual_reports(p + 100)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn delete_removes_cells_and_is_audited(db: Db) {
    let o = org(&db, "青岚市民政局").await;
    let a = db
        .store
        .put_annual_report(&actor(), &report(o, 2022, 1.0))
        .await
        .unwrap();
    let b = db
        .store
        .put_annual_report(&actor(), &report(o, 2023, 1.0))
        .await
        .unwrap();
    let seq = head_seq(&db).await;
    db.store.delete_annual_report(&actor(), a.id).await.unwrap();
    assert!(db.store.get_annual_report(a.id).await.unwrap().is_none());
    assert_eq!(
        db.count("SELECT COUNT(*) FROM annual_report_cells").await,
        5,
        "only the other year's cells remain"
    );
    let recs = records_after(&db, seq).await;
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].action, "annual_report.delete");
    assert_eq!(recs[0].org_id, Some(o));
    let s = summary(&recs[0]);
    assert_eq!(
        (s["year"].as_i64(), s["cells"].as_i64()),
        (Some(2022), Some(5))
    );
    assert_eq!(s["org_name"], "青岚市民政局");
    assert!(matches!(
        db.store.delete_annual_report(&actor(), a.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(db.store.list_annual_reports(o).await.unwrap()[0].id, b.id);
}

async fn invalid_drafts_and_unknown_organisations_are_refused(db: Db) {
    let o = org(&db, "青岚市民政局").await;
    let seq = head_seq(&db).await;
    let err = db
        .store
        .put_annual_report(&actor(), &report(o + 99, 2022, 1.0))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("不存在")),
        "{err:?}"
    );
    let mut nan = report(o, 2022, 1.0);
    nan.cells[0].value = Some(f64::INFINITY);
    assert!(matches!(
        db.store.put_annual_report(&actor(), &nan).await,
        Err(StoreError::Invalid(_))
    ));
    let mut empty = report(o, 2022, 1.0);
    empty.cells.clear();
    assert!(matches!(
        db.store.put_annual_report(&actor(), &empty).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(head_seq(&db).await, seq);
    assert_eq!(db.count("SELECT COUNT(*) FROM annual_reports").await, 0);
}
