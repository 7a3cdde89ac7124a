//! `/console/reports`: supervising offices upload published annual reports
//! (several at once), see the extracted tables beside the audit findings,
//! and keep a report as an organisation's historic report for a year, which
//! is then checked against that organisation's other stored years.
//! Everything needs `Action::ImportReports` (supervisors, administrators),
//! for the organisation concerned.
//!
//! Uploaded files are parsed in memory and never written to disk. The
//! results page carries each file back in its "keep" form (base64), so
//! keeping it re-reads the very same bytes — the stored cells and SHA-256
//! come from the server's own reading, not from anything the browser says.

use super::auth::{Posted, Staff};
use super::upload::{PostedUpload, UploadPolicy, body_limit_layer};
use super::{Choice, Nav, org_choices, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use gongkai_core::annual_report::{
    AnnualReport, FindingSeverity, KeepReportForm, ReportFinding, clean_source_name,
};
use gongkai_core::authz::Action;
use gongkai_core::org::Organisation;
use gongkai_core::text::FieldErrors;
use gongkai_core::{OrgId, StoreError};
use gongkai_import::grid::{self, Grid, Slot};
use gongkai_import::history::{self, against_history, from_core_format, to_core_format};
use gongkai_import::{CellRef, Finding, Format, ImportReport, Severity, limits};
use serde::Deserialize;

/// The upload form: up to ten reports of at most the importer's input
/// limit each (published reports are a few hundred KB).
pub struct ReportFiles;

impl UploadPolicy for ReportFiles {
    const MAX_FILES: usize = 10;
    const MAX_FILE_BYTES: usize = limits::MAX_INPUT_BYTES;
    const MAX_TEXT_BYTES: usize = 1024;

    fn may_post(staff: &Staff) -> bool {
        !staff.scope(Action::ImportReports).is_empty()
    }
}

/// The "keep" form: one report, carried back as base64 text.
pub struct KeepReport;

impl UploadPolicy for KeepReport {
    const MAX_FILES: usize = 0;
    const MAX_FILE_BYTES: usize = 0;
    const MAX_TEXT_BYTES: usize = limits::MAX_INPUT_BYTES / 3 * 4 + 8;

    fn may_post(staff: &Staff) -> bool {
        ReportFiles::may_post(staff)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/reports",
            get(upload_form)
                .post(upload)
                .layer(body_limit_layer::<ReportFiles>()),
        )
        .route(
            "/reports/keep",
            post(keep).layer(body_limit_layer::<KeepReport>()),
        )
        .route("/reports/history", get(history_list))
        .route("/reports/history/{id}", get(stored))
        .route("/reports/history/{id}/delete", post(delete))
}

// ---------- view models ----------

struct CellView {
    text: String,
    missing: bool,
    flagged: bool,
}

struct RowView {
    label: String,
    cells: Vec<CellView>,
}

struct GridView {
    title: &'static str,
    label_header: &'static str,
    columns: Vec<String>,
    rows: Vec<RowView>,
}

struct FindingView {
    severity: &'static str,
    class: &'static str,
    rule: String,
    message: String,
    cells: Vec<String>,
}

/// The form that keeps one uploaded report for an organisation and year.
struct KeepView {
    name: String,
    content: String,
    orgs: Vec<Choice>,
    year: String,
    errors: FieldErrors,
    /// A problem that is not about one field (e.g. refused by the store).
    problem: Option<String>,
}

struct FileResult {
    /// Position on the page, for element ids.
    id: usize,
    name: String,
    kind: &'static str,
    encoding: String,
    traditional: bool,
    format: &'static str,
    evidence: Vec<String>,
    agency: String,
    year: String,
    cell_count: usize,
    grids: Vec<GridView>,
    findings: Vec<FindingView>,
    /// `None` when there is nothing to keep (no statistics read).
    keep: Option<KeepView>,
}

fn grid_views(grids: Vec<Grid>) -> Vec<GridView> {
    grids
        .into_iter()
        .map(|g| GridView {
            title: g.title,
            label_header: g.label_header,
            columns: g.columns,
            rows: g
                .rows
                .into_iter()
                .map(|r| RowView {
                    label: r.label,
                    cells: r
                        .cells
                        .into_iter()
                        .map(|s| match s {
                            Slot::Missing => CellView {
                                text: String::new(),
                                missing: true,
                                flagged: false,
                            },
                            Slot::Cell(c) => CellView {
                                text: c.raw,
                                missing: false,
                                flagged: c.flagged,
                            },
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn severity_view(s: FindingSeverity) -> (&'static str, &'static str) {
    let class = match s {
        FindingSeverity::Error => "error",
        FindingSeverity::Warning => "warning",
        FindingSeverity::Info => "info",
    };
    (s.label(), class)
}

fn finding_view(f: &Finding, format: Format) -> FindingView {
    let sev = match f.severity {
        Severity::Error => FindingSeverity::Error,
        Severity::Warning => FindingSeverity::Warning,
        Severity::Info => FindingSeverity::Info,
    };
    let (severity, class) = severity_view(sev);
    FindingView {
        severity,
        class,
        rule: f.rule.clone(),
        message: f.message.clone(),
        cells: f.cells.iter().map(|c| grid::describe(c, format)).collect(),
    }
}

fn stored_finding_view(f: &ReportFinding) -> FindingView {
    let (severity, class) = severity_view(f.severity);
    FindingView {
        severity,
        class,
        rule: f.rule.clone(),
        message: f.message.clone(),
        cells: Vec::new(),
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "html" => "网页（HTML）",
        "docx" => "Word 文档（DOCX）",
        "text" => "纯文本",
        _ => "无法读取的文件",
    }
}

/// The organisation a report's title names, when exactly one organisation
/// in the caller's scope has that name (or short name).
fn matching_org(staff: &Staff, agency: Option<&str>) -> Option<OrgId> {
    let agency = agency?.trim();
    let hits: Vec<&Organisation> = staff
        .orgs_for(Action::ImportReports)
        .into_iter()
        .filter(|o| o.name == agency || o.short_name.as_deref() == Some(agency))
        .collect();
    match hits.as_slice() {
        [one] => Some(one.id),
        _ => None,
    }
}

fn keep_view(
    staff: &Staff,
    report: &ImportReport,
    bytes: &[u8],
    org: &str,
    year: &str,
) -> Option<KeepView> {
    if report.format == Format::None || report.cells.is_empty() {
        return None;
    }
    let allowed = staff.orgs_for(Action::ImportReports);
    Some(KeepView {
        name: report.file.clone(),
        content: URL_SAFE_NO_PAD.encode(bytes),
        orgs: org_choices(staff, &allowed, org),
        year: year.to_string(),
        errors: FieldErrors::new(),
        problem: None,
    })
}

fn file_result(staff: &Staff, id: usize, report: &ImportReport, bytes: &[u8]) -> FileResult {
    let flagged: Vec<CellRef> = report
        .findings
        .iter()
        .flat_map(|f| f.cells.iter().cloned())
        .collect();
    let org = matching_org(staff, report.agency.as_deref())
        .map(|id| id.to_string())
        .unwrap_or_default();
    let year = report.year.map(|y| y.to_string()).unwrap_or_default();
    FileResult {
        id,
        name: report.file.clone(),
        kind: kind_label(&report.input_kind),
        encoding: report.encoding.clone(),
        traditional: report.traditional,
        format: to_core_format(report.format).label(),
        evidence: report.evidence.clone(),
        agency: report.agency.clone().unwrap_or_default(),
        year: year.clone(),
        cell_count: report.cells.len(),
        grids: grid_views(grid::grids(report.format, &report.cells, &flagged)),
        findings: report
            .findings
            .iter()
            .map(|f| finding_view(f, report.format))
            .collect(),
        keep: keep_view(staff, report, bytes, &org, &year),
    }
}

// ---------- upload ----------

#[derive(Template)]
#[template(path = "console/reports.html")]
struct ReportsPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    max_files: usize,
    max_mb: usize,
    /// Problem with the upload as a whole, shown at the file field.
    error: Option<String>,
    results: Vec<FileResult>,
}

fn reports_page(
    staff: &Staff,
    error: Option<String>,
    results: Vec<FileResult>,
) -> Result<Response, AppError> {
    let page = ReportsPage {
        layout: staff.layout("年报核查"),
        nav: staff.nav("reports"),
        csrf: staff.csrf.clone(),
        max_files: ReportFiles::MAX_FILES,
        max_mb: ReportFiles::MAX_FILE_BYTES / (1024 * 1024),
        error,
        results,
    };
    Ok(render(&page)?.into_response())
}

fn require_any(staff: &Staff) -> Result<(), AppError> {
    if staff.scope(Action::ImportReports).is_empty() {
        Err(AppError::Forbidden)
    } else {
        Ok(())
    }
}

pub async fn upload_form(staff: Staff) -> Result<Response, AppError> {
    require_any(&staff)?;
    reports_page(&staff, None, Vec::new())
}

/// Imports on a blocking thread: a large or hostile file takes a while.
async fn import_all(
    files: Vec<(String, axum::body::Bytes)>,
) -> Result<Vec<ImportReport>, AppError> {
    tokio::task::spawn_blocking(move || {
        files
            .iter()
            .map(|(name, bytes)| gongkai_import::import(bytes, name))
            .collect()
    })
    .await
    .map_err(|e| AppError::Internal(format!("import task: {e}")))
}

pub async fn upload(upload: PostedUpload<ReportFiles>) -> Result<Response, AppError> {
    let staff = &upload.staff;
    require_any(staff)?;
    let mb = ReportFiles::MAX_FILE_BYTES / (1024 * 1024);
    let error = if upload.incomplete {
        Some(format!(
            "上传未完成：内容超过本页上限（{} 个文件、每个 {mb} MB）或连接中断，请重新选择文件上传。",
            ReportFiles::MAX_FILES
        ))
    } else if upload.extra_files > 0 {
        Some(format!(
            "一次最多上传 {} 个文件，您选择了 {} 个，请分批上传。",
            ReportFiles::MAX_FILES,
            ReportFiles::MAX_FILES + upload.extra_files
        ))
    } else if let Some(big) = upload.files.iter().find(|f| f.too_large) {
        Some(format!(
            "文件“{}”超过 {mb} MB，未上传。年度报告通常只有数百 KB，请检查是否选错了文件。",
            clean_source_name(&big.name)
        ))
    } else if upload.files.is_empty() {
        Some("请选择要核查的年度报告文件。".to_string())
    } else {
        None
    };
    if error.is_some() {
        return reports_page(staff, error, Vec::new());
    }
    let files: Vec<(String, axum::body::Bytes)> = upload
        .files
        .iter()
        .map(|f| (clean_source_name(&f.name), f.bytes.clone()))
        .collect();
    let reports = import_all(files.clone()).await?;
    let results = reports
        .iter()
        .zip(&files)
        .enumerate()
        .map(|(i, (r, (_, bytes)))| file_result(staff, i + 1, r, bytes))
        .collect();
    reports_page(staff, None, results)
}

// ---------- keep ----------

pub async fn keep(
    State(state): State<AppState>,
    upload: PostedUpload<KeepReport>,
) -> Result<Response, AppError> {
    let staff = &upload.staff;
    require_any(staff)?;
    if upload.incomplete {
        return Err(AppError::BadRequest(
            "提交未完成，请返回年报核查页重新上传文件。".into(),
        ));
    }
    let name = clean_source_name(upload.field("name"));
    let bytes = URL_SAFE_NO_PAD
        .decode(upload.field("content").trim())
        .ok()
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AppError::BadRequest("表单中的报告内容已损坏，请重新上传文件。".into()))?;
    let form = KeepReportForm {
        org_id: upload.field("org_id").to_string(),
        year: upload.field("year").to_string(),
    };
    let bytes = axum::body::Bytes::from(bytes);
    let report = import_all(vec![(name, bytes.clone())])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("import returned nothing".into()))?;
    // Shows the file again with the user's choices and the problem.
    let again = |errors: FieldErrors, problem: Option<String>| {
        let mut result = file_result(staff, 1, &report, &bytes);
        if let Some(k) = result.keep.as_mut() {
            k.orgs = org_choices(
                staff,
                &staff.orgs_for(Action::ImportReports),
                form.org_id.trim(),
            );
            k.year = form.year.clone();
            k.errors = errors;
            k.problem = problem;
        }
        reports_page(staff, None, vec![result])
    };
    if report.format == Format::None || report.cells.is_empty() {
        return Err(AppError::BadRequest(
            "这份报告中没有读取到统计数据，不能作为历史年报保存。".into(),
        ));
    }
    let (org_id, year) = match form.validate(|id| staff.can(Action::ImportReports, id)) {
        Ok(v) => v,
        Err(e) => return again(e, None),
    };
    let draft = history::draft(&report, &bytes, org_id, year);
    if let Err(m) = draft.check() {
        return again(FieldErrors::new(), Some(m));
    }
    let replaced = state
        .store
        .list_annual_reports(org_id)
        .await?
        .iter()
        .any(|r| r.year == year);
    match state.store.put_annual_report(&staff.actor(), &draft).await {
        Ok(info) => {
            let flag = if replaced { "replaced" } else { "1" };
            Ok(see_other(&format!(
                "/console/reports/history/{}?saved={flag}",
                info.id
            )))
        }
        Err(StoreError::Invalid(m)) => again(FieldErrors::new(), Some(m)),
        Err(e) => Err(e.into()),
    }
}

// ---------- stored reports ----------

fn beijing(t: DateTime<Utc>) -> String {
    crate::beijing::minute(t)
}

struct StoredRow {
    id: i64,
    year: i32,
    format: &'static str,
    source_name: String,
    cells: i64,
    errors: usize,
    warnings: usize,
    imported_at: String,
    imported_by: String,
}

#[derive(Template)]
#[template(path = "console/reports_history.html")]
struct HistoryPage {
    layout: Layout,
    nav: Nav,
    orgs: Vec<Choice>,
    org_name: Option<String>,
    rows: Vec<StoredRow>,
    deleted: bool,
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    deleted: Option<String>,
}

/// The organisation `id`, if the caller may work with its reports.
fn guarded(staff: &Staff, id: OrgId) -> Result<Organisation, AppError> {
    let org = staff.org(id).cloned().ok_or(AppError::NotFound)?;
    staff.require(Action::ImportReports, id)?;
    Ok(org)
}

pub async fn history_list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, AppError> {
    require_any(&staff)?;
    let chosen = q.org.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let org = match chosen {
        Some(s) => {
            let id = s.parse::<OrgId>().map_err(|_| AppError::NotFound)?;
            Some(guarded(&staff, id)?)
        }
        None => None,
    };
    let rows = match &org {
        Some(o) => state
            .store
            .list_annual_reports(o.id)
            .await?
            .into_iter()
            .map(|r| StoredRow {
                id: r.id,
                year: r.year,
                format: r.format.label(),
                errors: r.count(FindingSeverity::Error),
                warnings: r.count(FindingSeverity::Warning),
                source_name: r.source_name,
                cells: r.cell_count,
                imported_at: beijing(r.imported_at),
                imported_by: r.imported_by,
            })
            .collect(),
        None => Vec::new(),
    };
    let current = org.as_ref().map(|o| o.id.to_string()).unwrap_or_default();
    let page = HistoryPage {
        layout: staff.layout("历史年报"),
        nav: staff.nav("reports"),
        orgs: org_choices(&staff, &staff.orgs_for(Action::ImportReports), &current),
        org_name: org.map(|o| o.name),
        rows,
        deleted: q.deleted.is_some(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "console/reports_stored.html")]
struct StoredPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    id: i64,
    org_id: OrgId,
    org_name: String,
    /// `Some(true)` just stored, replacing the year's earlier report.
    saved: Option<bool>,
    year: i32,
    format: &'static str,
    source_name: String,
    source_sha256: String,
    agency: String,
    evidence: Vec<String>,
    cell_count: i64,
    imported_at: String,
    imported_by: String,
    grids: Vec<GridView>,
    findings: Vec<FindingView>,
    /// Stored years the report was compared with.
    compared: Vec<i32>,
    cross_year: Vec<FindingView>,
}

#[derive(Deserialize)]
pub struct StoredQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// The stored years next to `report` (N−1 and N+1) of its organisation.
async fn neighbours(
    state: &AppState,
    report: &AnnualReport,
) -> Result<Vec<AnnualReport>, AppError> {
    let year = report.info.year;
    let mut out = Vec::new();
    for info in state.store.list_annual_reports(report.info.org_id).await? {
        if (info.year == year - 1 || info.year == year + 1)
            && let Some(r) = state.store.get_annual_report(info.id).await?
        {
            out.push(r);
        }
    }
    out.sort_by_key(|r| r.info.year);
    Ok(out)
}

pub async fn stored(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<StoredQuery>,
) -> Result<Response, AppError> {
    let report = state
        .store
        .get_annual_report(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = guarded(&staff, report.info.org_id)?;
    let format = from_core_format(report.info.format);
    let others = neighbours(&state, &report).await?;
    let cross: Vec<Finding> = against_history(&org.name, history::year_of(&report), &others);
    let flagged: Vec<CellRef> = cross.iter().flat_map(|f| f.cells.iter().cloned()).collect();
    let info = &report.info;
    let page = StoredPage {
        layout: staff.layout(&format!("{} {} 年年报", org.name, info.year)),
        nav: staff.nav("reports"),
        csrf: staff.csrf.clone(),
        id: info.id,
        org_id: org.id,
        org_name: org.name.clone(),
        saved: q.saved.as_deref().map(|s| s == "replaced"),
        year: info.year,
        format: info.format.label(),
        source_name: info.source_name.clone(),
        source_sha256: info.source_sha256.clone(),
        agency: info.agency_name.clone().unwrap_or_default(),
        evidence: info.evidence.clone(),
        cell_count: info.cell_count,
        imported_at: beijing(info.imported_at),
        imported_by: info.imported_by.clone(),
        grids: grid_views(grid::grids(format, &report.cells, &flagged)),
        findings: info.findings.iter().map(stored_finding_view).collect(),
        compared: others.iter().map(|r| r.info.year).collect(),
        cross_year: cross.iter().map(|f| finding_view(f, format)).collect(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Posted { staff, .. }: Posted<NoFields>,
) -> Result<Response, AppError> {
    let report = state
        .store
        .get_annual_report(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = guarded(&staff, report.info.org_id)?;
    state.store.delete_annual_report(&staff.actor(), id).await?;
    Ok(see_other(&format!(
        "/console/reports/history?org={}&deleted=1",
        org.id
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_form_fits_the_largest_accepted_file() {
        let largest = URL_SAFE_NO_PAD.encode(vec![0u8; limits::MAX_INPUT_BYTES]);
        assert!(largest.len() <= KeepReport::MAX_TEXT_BYTES);
        assert!(KeepReport::body_limit() <= crate::security::UPLOAD_BODY_LIMIT);
        assert!(ReportFiles::body_limit() <= crate::security::UPLOAD_BODY_LIMIT);
    }

    #[test]
    fn times_are_shown_in_beijing_time() {
        let t = DateTime::parse_from_rfc3339("2024-03-01T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(beijing(t), "2024-03-02 04:30");
    }
}
