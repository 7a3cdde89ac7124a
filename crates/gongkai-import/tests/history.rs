//! Imports kept as an organisation's stored reports, and cross-year checks
//! against the stored years of that organisation.

use crate::common;

use chrono::{TimeZone, Utc};
use common::fixture;
use gongkai_core::annual_report::{AnnualReport, AnnualReportInfo, ReportFormat};
use gongkai_import::audit::YearCells;
use gongkai_import::history::{against_history, draft, sha256_hex};
use gongkai_import::import;

/// What the store would return for a kept draft.
fn stored(id: i64, d: gongkai_core::annual_report::AnnualReportDraft) -> AnnualReport {
    AnnualReport {
        info: AnnualReportInfo {
            id,
            org_id: d.org_id,
            year: d.year,
            format: d.format,
            source_name: d.source_name,
            source_sha256: d.source_sha256,
            agency_name: d.agency_name,
            evidence: d.evidence,
            findings: d.findings,
            cell_count: d.cells.len() as i64,
            imported_at: Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap(),
            imported_by: "sup".into(),
        },
        cells: d.cells,
    }
}

fn year_text(year: i32) -> String {
    String::from_utf8(fixture("2021_pipes.txt"))
        .expect("utf-8")
        .replace("2022年", &format!("{year}年"))
}

#[test]
fn a_draft_keeps_cells_provenance_and_own_findings() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let bytes = fixture("2021_pipes.txt");
    let r = import(&bytes, "/uploads/C:\\报告\\2021_pipes.txt");
    let d = draft(&r, &bytes, 7, 2022);
    assert_eq!(d.check(), Ok(()));
    assert_eq!((d.org_id, d.year, d.format), (7, 2022, ReportFormat::F2021));
    assert_eq!(d.source_name, "2021_pipes.txt", "directories are dropped");
    assert_eq!(d.source_sha256, sha256_hex(&bytes));
    assert_eq!(d.agency_name.as_deref(), Some("青岚市示范区民政局"));
    assert_eq!(d.cells.len(), r.cells.len());
    let first = &d.cells[0];
    let c = &r.cells[0];
    assert_eq!(
        (
            &first.table,
            &first.row,
            &first.col,
            first.value,
            &first.raw,
            &first.label
        ),
        (&c.table, &c.row, &c.col, c.value, &c.raw, &c.label)
    );
    assert_eq!(d.findings.len(), r.findings.len());
    assert_eq!(d.findings[0].message, r.findings[0].message);
    assert_eq!(d.evidence, r.evidence);
}

#[test]
fn a_new_year_is_checked_against_the_stored_neighbours() {
    let y2022 = year_text(2022);
    let y2024 = year_text(2024);
    let history = vec![
        stored(
            1,
            draft(
                &import(y2022.as_bytes(), "2022.txt"),
                y2022.as_bytes(),
                7,
                2022,
            ),
        ),
        stored(
            2,
            draft(
                &import(y2024.as_bytes(), "2024.txt"),
                y2024.as_bytes(),
                7,
                2024,
            ),
        ),
    ];
    let new = import(year_text(2023).as_bytes(), "2023.txt");
    let year = YearCells {
        year: 2023,
        format: new.format,
        cells: &new.cells,
    };
    let found = against_history("青岚市民政局", year, &history);
    let msgs: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "青岚市民政局：2022年 结转下年度继续办理 2 ≠ 2023年 上年结转 1",
            "青岚市民政局行政规范性文件：2022年现行有效 15 + 2023年制发 2 − 废止 1 = 16 ≠ 2023年现行有效件数 15",
            "青岚市民政局：2023年 结转下年度继续办理 2 ≠ 2024年 上年结转 1",
            "青岚市民政局行政规范性文件：2023年现行有效 15 + 2024年制发 2 − 废止 1 = 16 ≠ 2024年现行有效件数 15",
        ]
    );
    assert_eq!(found[0].cells[0].value, Some(2.0));

    // A stored report checked against the others: itself and years that
    // are not adjacent are ignored.
    let far = stored(3, draft(&new, year_text(2023).as_bytes(), 7, 2030));
    let mut all = history.clone();
    all.push(far);
    let first = &history[0];
    let found = against_history(
        "青岚市民政局",
        gongkai_import::history::year_of(first),
        &all,
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn batch_mode_still_matches_agencies_by_title() {
    let reports = vec![
        import(year_text(2022).as_bytes(), "2022.txt"),
        import(year_text(2023).as_bytes(), "2023.txt"),
    ];
    let found = gongkai_import::audit::audit_cross_year(&reports);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|(i, _)| *i == 1));
    assert!(found[0].1.message.starts_with("青岚市示范区民政局：2022年"));
}
