//! Historic 政府信息公开工作年度报告 stored per organisation.
//!
//! Most agencies' statistics exist only as the reports they published.
//! Once a report has been read (by `gongkai-import`) it can be kept as the
//! organisation's report for its year: the statistics cells with their
//! canonical keys, the detected format and where it came from (file name
//! and SHA-256; the file itself is not kept). Cross-year checks (结转下年度
//! N = 上年结转 N+1 …) then compare a new report with the stored years of
//! the same organisation instead of guessing by the agency name printed in
//! the title.
//!
//! This module only holds the types and their rules; the importer converts
//! its results into [`AnnualReportDraft`] at its edge, and the storage is
//! [`AnnualReportStore`](crate::store::AnnualReportStore).

use crate::OrgId;
use crate::text::FieldErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Table keys a stored cell may carry: `t2`, `t3`, `t4` (2019/2021
/// formats), `stat` (2014 统计表) and `local` (tables of local formats,
/// which keep their printed labels).
pub const TABLE_KEYS: &[&str] = &["t2", "t3", "t4", "stat", "local"];

/// Report years accepted. Some provinces required annual reports before the
/// national 条例 took effect (2008); nothing later than the next decades is
/// a plausible report year.
pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2100;

/// Longest source file name kept (characters); longer names are cut.
pub const SOURCE_NAME_MAX: usize = 200;

/// The statistics format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportFormat {
    /// 国办公开办发〔2021〕30号 (reports for 2021 on).
    #[serde(rename = "2021")]
    F2021,
    /// 国办公开办函〔2019〕60号 试行格式 (reports for 2019–2020).
    #[serde(rename = "2019")]
    F2019,
    /// The national 统计表 of 2014–2018.
    #[serde(rename = "2014")]
    F2014,
    /// A local table of its own design (no canonical keys).
    #[serde(rename = "local")]
    Local,
    /// No statistics table.
    #[serde(rename = "none")]
    None,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::F2021,
        ReportFormat::F2019,
        ReportFormat::F2014,
        ReportFormat::Local,
        ReportFormat::None,
    ];

    /// The stored key: `2021`, `2019`, `2014`, `local`, `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::F2021 => "2021",
            ReportFormat::F2019 => "2019",
            ReportFormat::F2014 => "2014",
            ReportFormat::Local => "local",
            ReportFormat::None => "none",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == key)
    }

    /// How staff know the format.
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::F2021 => "2021年版格式",
            ReportFormat::F2019 => "2019年试行格式",
            ReportFormat::F2014 => "2014年统计表",
            ReportFormat::Local => "地方自定格式",
            ReportFormat::None => "无统计表",
        }
    }
}

/// One statistics cell as stored. The keys are those of
/// `data/annual-report-keys.json`: `row` is `None` for local tables, whose
/// `label` and `col` (the printed column header) are the only identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportCell {
    pub table: String,
    pub row: Option<String>,
    pub col: String,
    /// `None` for a blank or a dash: "not reported", never zero.
    pub value: Option<f64>,
    /// The cell as printed.
    pub raw: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    Error,
    Warning,
    Info,
}

impl FindingSeverity {
    pub fn label(self) -> &'static str {
        match self {
            FindingSeverity::Error => "错误",
            FindingSeverity::Warning => "警告",
            FindingSeverity::Info => "提示",
        }
    }
}

/// An audit finding of the report itself, as found when it was imported
/// (the message writes out the arithmetic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFinding {
    pub rule: String,
    pub severity: FindingSeverity,
    pub message: String,
}

/// A report to be stored as the organisation's report for `year`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualReportDraft {
    pub org_id: OrgId,
    pub year: i32,
    pub format: ReportFormat,
    /// File name as uploaded, without directories.
    pub source_name: String,
    /// SHA-256 of the uploaded bytes, lower-case hex.
    pub source_sha256: String,
    /// The agency as printed in the report's title, if found.
    pub agency_name: Option<String>,
    /// What the format detection rested on.
    pub evidence: Vec<String>,
    pub cells: Vec<ReportCell>,
    pub findings: Vec<ReportFinding>,
}

impl AnnualReportDraft {
    /// Checks what the database cannot: a plausible year, a real hash,
    /// known table keys and finite numbers. Messages are for staff.
    pub fn check(&self) -> Result<(), String> {
        check_year(self.year).map_err(str::to_string)?;
        if self.source_name.trim().is_empty() {
            return Err("缺少来源文件名".into());
        }
        let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
        if self.source_sha256.len() != 64 || !self.source_sha256.chars().all(hex) {
            return Err("来源文件的 SHA-256 摘要格式不正确".into());
        }
        if self.format == ReportFormat::None || self.cells.is_empty() {
            return Err("报告中没有读取到统计数据，不能作为历史年报保存".into());
        }
        for c in &self.cells {
            if !TABLE_KEYS.contains(&c.table.as_str()) {
                return Err(format!("未知的统计表“{}”", c.table));
            }
            if c.col.is_empty() || (c.table != "local" && c.row.is_none()) {
                return Err(format!("数据格“{}”缺少行或列标识", c.label));
            }
            if c.value.is_some_and(|v| !v.is_finite()) {
                return Err(format!("数据格“{}”的数值无效", c.label));
            }
        }
        Ok(())
    }
}

/// `Err` with a Chinese message unless `year` is a plausible report year.
pub fn check_year(year: i32) -> Result<i32, &'static str> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err("报告年度应在 2000 至 2100 之间")
    }
}

/// A file name as it may be kept: the last path component (browsers and
/// some clients send full paths), control characters removed, at most
/// [`SOURCE_NAME_MAX`] characters.
pub fn clean_source_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    last.chars()
        .filter(|c| !c.is_control())
        .take(SOURCE_NAME_MAX)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The two fields staff fill in to keep a report: the organisation and
/// the report year (prefilled from the report's title).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeepReportForm {
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub year: String,
}

impl KeepReportForm {
    /// Parses the form; `allowed` says whether the caller may keep reports
    /// for an organisation (unknown and out-of-scope ids get the same
    /// message, so the form reveals nothing about other organisations).
    pub fn validate(&self, allowed: impl Fn(OrgId) -> bool) -> Result<(OrgId, i32), FieldErrors> {
        let mut e = FieldErrors::new();
        let org = match self.org_id.trim() {
            "" => {
                e.add("org_id", "请选择机构");
                None
            }
            s => match s.parse::<OrgId>() {
                Ok(id) if allowed(id) => Some(id),
                _ => {
                    e.add("org_id", "请选择您有权保存年报的机构");
                    None
                }
            },
        };
        let year = match self.year.trim() {
            "" => {
                e.add("year", "请填写报告年度");
                None
            }
            s => match s.trim_end_matches('年').parse::<i32>() {
                Ok(y) => match check_year(y) {
                    Ok(y) => Some(y),
                    Err(m) => {
                        e.add("year", m);
                        None
                    }
                },
                Err(_) => {
                    e.add("year", "报告年度应为四位数字，例如 2023");
                    None
                }
            },
        };
        match (org, year) {
            (Some(o), Some(y)) if e.is_empty() => Ok((o, y)),
            _ => Err(e),
        }
    }
}

/// A stored report without its cells (for lists).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReportInfo {
    pub id: i64,
    pub org_id: OrgId,
    pub year: i32,
    pub format: ReportFormat,
    pub source_name: String,
    pub source_sha256: String,
    pub agency_name: Option<String>,
    pub evidence: Vec<String>,
    pub findings: Vec<ReportFinding>,
    pub cell_count: i64,
    pub imported_at: DateTime<Utc>,
    /// Login name (or `cli`) of who stored it.
    pub imported_by: String,
}

impl AnnualReportInfo {
    /// Number of findings of `severity`.
    pub fn count(&self, severity: FindingSeverity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// A stored report with its cells, in the order they were read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReport {
    pub info: AnnualReportInfo,
    pub cells: Vec<ReportCell>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> AnnualReportDraft {
        AnnualReportDraft {
            org_id: 1,
            year: 2022,
            format: ReportFormat::F2021,
            source_name: "a.html".into(),
            source_sha256: "ab".repeat(32),
            agency_name: None,
            evidence: vec![],
            cells: vec![ReportCell {
                table: "t3".into(),
                row: Some("new".into()),
                col: "total".into(),
                value: Some(3.0),
                raw: "3".into(),
                label: "一、本年新收政府信息公开申请数量".into(),
            }],
            findings: vec![],
        }
    }

    #[test]
    fn drafts_are_checked_before_storage() {
        assert_eq!(draft().check(), Ok(()));
        let with = |f: &dyn Fn(&mut AnnualReportDraft)| {
            let mut d = draft();
            f(&mut d);
            d.check().unwrap_err()
        };
        assert_eq!(with(&|d| d.year = 1999), "报告年度应在 2000 至 2100 之间");
        assert!(with(&|d| d.source_sha256 = "AB".repeat(32)).contains("SHA-256"));
        assert!(with(&|d| d.cells.clear()).contains("没有读取到统计数据"));
        assert!(with(&|d| d.cells[0].table = "t9".into()).contains("t9"));
        assert!(with(&|d| d.cells[0].value = Some(f64::NAN)).contains("数值无效"));
        assert!(with(&|d| d.cells[0].row = None).contains("缺少行或列"));
    }

    #[test]
    fn keep_form_names_each_bad_field() {
        let form = |org: &str, year: &str| KeepReportForm {
            org_id: org.into(),
            year: year.into(),
        };
        assert_eq!(form("7", "2023").validate(|id| id == 7), Ok((7, 2023)));
        assert_eq!(form("7", "2023年").validate(|_| true), Ok((7, 2023)));
        let e = form("", "").validate(|_| true).unwrap_err();
        assert_eq!(e.get("org_id"), Some("请选择机构"));
        assert_eq!(e.get("year"), Some("请填写报告年度"));
        let e = form("8", "23").validate(|id| id == 7).unwrap_err();
        assert_eq!(e.get("org_id"), Some("请选择您有权保存年报的机构"));
        assert_eq!(e.get("year"), Some("报告年度应在 2000 至 2100 之间"));
        let e = form("x", "二〇二三").validate(|_| true).unwrap_err();
        assert_eq!(e.get("year"), Some("报告年度应为四位数字，例如 2023"));
    }

    #[test]
    fn source_names_lose_paths_and_control_characters() {
        assert_eq!(
            clean_source_name("C:\\报告\\2022年报.docx"),
            "2022年报.docx"
        );
        assert_eq!(clean_source_name("/tmp/a\nb.html"), "ab.html");
        assert_eq!(clean_source_name(&"长".repeat(300)).chars().count(), 200);
    }

    #[test]
    fn format_keys_round_trip() {
        for f in ReportFormat::ALL {
            assert_eq!(ReportFormat::parse(f.as_str()), Some(f));
        }
        assert_eq!(ReportFormat::parse("2020"), None);
    }
}
