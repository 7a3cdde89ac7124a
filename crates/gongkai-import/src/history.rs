//! The importer's edge to stored reports (`gongkai_core::annual_report`):
//! turning an import into a draft to keep as an organisation's report, and
//! cross-year checks of a report against the stored years of *that*
//! organisation (instead of matching agencies by the name in the title, as
//! the batch mode of [`audit::audit_cross_year`] has to).

use crate::audit::{self, YearCells};
use crate::model::{CellData, Finding, Format, ImportReport, Severity};
use gongkai_core::OrgId;
use gongkai_core::annual_report::{
    AnnualReport, AnnualReportDraft, FindingSeverity, ReportCell, ReportFinding, ReportFormat,
    clean_source_name,
};
use sha2::{Digest, Sha256};

impl CellData for ReportCell {
    fn table(&self) -> &str {
        &self.table
    }
    fn row(&self) -> Option<&str> {
        self.row.as_deref()
    }
    fn col(&self) -> &str {
        &self.col
    }
    fn label(&self) -> &str {
        &self.label
    }
    fn raw(&self) -> &str {
        &self.raw
    }
    fn value(&self) -> Option<f64> {
        self.value
    }
}

pub fn to_core_format(f: Format) -> ReportFormat {
    match f {
        Format::F2021 => ReportFormat::F2021,
        Format::F2019 => ReportFormat::F2019,
        Format::F2014 => ReportFormat::F2014,
        Format::Local => ReportFormat::Local,
        Format::None => ReportFormat::None,
    }
}

pub fn from_core_format(f: ReportFormat) -> Format {
    match f {
        ReportFormat::F2021 => Format::F2021,
        ReportFormat::F2019 => Format::F2019,
        ReportFormat::F2014 => Format::F2014,
        ReportFormat::Local => Format::Local,
        ReportFormat::None => Format::None,
    }
}

fn to_core_severity(s: Severity) -> FindingSeverity {
    match s {
        Severity::Error => FindingSeverity::Error,
        Severity::Warning => FindingSeverity::Warning,
        Severity::Info => FindingSeverity::Info,
    }
}

/// SHA-256 of the uploaded bytes, lower-case hex (the provenance kept
/// with a stored report).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The draft that keeps `report` (imported from `bytes`) as the report of
/// organisation `org_id` for `year`. Cross-year findings are not kept:
/// they depend on the other years stored and are recomputed when shown.
pub fn draft(report: &ImportReport, bytes: &[u8], org_id: OrgId, year: i32) -> AnnualReportDraft {
    AnnualReportDraft {
        org_id,
        year,
        format: to_core_format(report.format),
        source_name: clean_source_name(&report.file),
        source_sha256: sha256_hex(bytes),
        agency_name: report.agency.clone(),
        evidence: report.evidence.clone(),
        cells: report
            .cells
            .iter()
            .map(|c| ReportCell {
                table: c.table.clone(),
                row: c.row.clone(),
                col: c.col.clone(),
                value: c.value,
                raw: c.raw.clone(),
                label: c.label.clone(),
            })
            .collect(),
        findings: report
            .findings
            .iter()
            .filter(|f| !f.rule.starts_with("cross_year."))
            .map(|f| ReportFinding {
                rule: f.rule.clone(),
                severity: to_core_severity(f.severity),
                message: f.message.clone(),
            })
            .collect(),
    }
}

/// A stored report as one year of statistics.
pub fn year_of(stored: &AnnualReport) -> YearCells<'_, ReportCell> {
    YearCells {
        year: stored.info.year,
        format: from_core_format(stored.info.format),
        cells: &stored.cells,
    }
}

/// Cross-year checks of one year of an organisation (`name` starts each
/// message) against its stored reports: the stored year before it and the
/// stored year after it, if any. Reports of other years — and a stored copy
/// of the same year — are ignored.
pub fn against_history<C: CellData>(
    name: &str,
    report: YearCells<'_, C>,
    history: &[AnnualReport],
) -> Vec<Finding> {
    let mut out = Vec::new();
    for h in history {
        let stored = year_of(h);
        if stored.year + 1 == report.year {
            out.extend(audit::cross_year(name, stored, report));
        } else if report.year + 1 == stored.year {
            out.extend(audit::cross_year(name, report, stored));
        }
    }
    out
}
