//! `/console/requests/{id}/documents`: the documents an agency provides
//! with its reply (提供的政府信息) — upload, list, download, remove.
//!
//! Only handlers of the case's agency (`HandleRequests`) see the page:
//! file names may carry personal data. A case outside the user's request
//! scope is a 404, as on the case page. Uploads pass
//! [`gongkai_files::accept_upload`] (type sniffed from the content: PDF,
//! DOCX, XLSX, PNG, JPEG; `[storage] max_upload_mb`), are stored in the
//! file store and recorded on the case with the pre-publication scanner's
//! result (text from [`gongkai_import::extract`], read by
//! [`gongkai_core::scan`]; findings kept masked). The set can change only while the
//! case is open; once closed it is the record of what was released, and
//! the applicant downloads it from the status page.

use super::auth::{Posted, Staff};
use super::requests::case_scope;
use super::upload::{PostedUpload, UploadPolicy, body_limit_layer};
use super::{Empty, Nav, SavedQuery, see_other};
use crate::error::{AppError, render};
use crate::portal::status_files::{file_response, size_label};
use crate::{AppState, Layout};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_core::authz::Action;
use gongkai_core::item::attachment::ATTACHMENT_MAX_BYTES;
use gongkai_core::request::case::{CaseId, CaseStatus, RequestCase};
use gongkai_core::request::documents::{
    CaseDocument, DocumentFinding, DocumentScan, ScanStatus, releases_documents,
};
use gongkai_core::scan::{ScanConfig, Scanner};
use gongkai_core::store::StoreError;
use gongkai_files::Disposition;

/// One file per upload; the configured `max_upload_mb` is checked after
/// reading, against at most the attachment model's hard limit.
pub struct DocumentFile;

impl UploadPolicy for DocumentFile {
    const MAX_FILES: usize = 1;
    const MAX_FILE_BYTES: usize = ATTACHMENT_MAX_BYTES as usize;
    const MAX_TEXT_BYTES: usize = 256;

    fn may_post(staff: &Staff) -> bool {
        !staff.scope(Action::HandleRequests).is_empty()
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/requests/{id}/documents",
            get(show)
                .post(upload)
                .layer(body_limit_layer::<DocumentFile>()),
        )
        .route("/requests/{id}/documents/{doc}", get(download))
        .route("/requests/{id}/documents/{doc}/remove", post(remove))
}

struct DocRow {
    id: i64,
    name: String,
    kind: String,
    size: String,
    by: String,
    at: String,
    scan: ScanStatus,
    /// All findings, also those not kept.
    total: u32,
    findings: Vec<DocumentFinding>,
    /// Why the text could not be read.
    detail: Option<String>,
}

impl DocRow {
    fn clean(&self) -> bool {
        self.scan == ScanStatus::Clean
    }

    fn unreadable(&self) -> bool {
        self.scan == ScanStatus::Unreadable
    }

    /// Findings were found but fewer are listed.
    fn truncated(&self) -> bool {
        (self.findings.len() as u64) < u64::from(self.total)
    }
}

#[derive(Template)]
#[template(path = "console/request_documents.html")]
struct DocumentsPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    id: CaseId,
    number: String,
    status: &'static str,
    closed: bool,
    /// Closed with an outcome that provides information: the applicant
    /// can download the list below.
    released: bool,
    docs: Vec<DocRow>,
    max_mb: u64,
    saved: Option<&'static str>,
    /// The message next to the file field.
    error: Option<String>,
    /// A refusal not tied to the upload field (e.g. removing from a closed case).
    notice: Option<String>,
}

/// The case if the user handles requests of its agency; 404 outside the
/// request scope, 403 for an approver (who may see the case but not its
/// files' names).
async fn load(state: &AppState, staff: &Staff, raw_id: &str) -> Result<RequestCase, AppError> {
    let id: CaseId = raw_id.parse().map_err(|_| AppError::NotFound)?;
    let case = state
        .store
        .get_request(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !case_scope(staff).contains(&case.org_id) {
        return Err(AppError::NotFound);
    }
    staff.require(Action::HandleRequests, case.org_id)?;
    Ok(case)
}

async fn page(
    state: &AppState,
    staff: &Staff,
    case: &RequestCase,
    status: StatusCode,
    saved: Option<&'static str>,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let docs = state
        .store
        .list_case_documents(case.id)
        .await?
        .into_iter()
        .map(|d| DocRow {
            id: d.id,
            kind: d.type_label().to_string(),
            size: size_label(d.size),
            by: d.uploaded_by_name.clone(),
            at: crate::beijing::minute(d.uploaded_at),
            scan: d.scan.status,
            total: d.scan.total,
            detail: d.scan.detail,
            findings: d.scan.findings,
            name: d.name,
        })
        .collect();
    let closed = case.status == CaseStatus::Closed;
    let p = DocumentsPage {
        layout: staff.layout(&format!("申请 {} 提供的文件", case.number)),
        nav: staff.nav("requests"),
        csrf: staff.csrf.clone(),
        id: case.id,
        number: case.number.clone(),
        status: case.status.label(),
        closed,
        released: closed && case.outcome.is_some_and(releases_documents),
        docs,
        max_mb: state.upload_limits.max_bytes / (1024 * 1024),
        saved,
        error,
        notice,
    };
    Ok((status, render(&p)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let case = load(&state, &staff, &id).await?;
    let saved = match q.saved.as_deref() {
        Some("added") => Some("文件已上传。"),
        Some("removed") => Some("文件已从本申请中删除。"),
        _ => None,
    };
    page(&state, &staff, &case, StatusCode::OK, saved, None, None).await
}

pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    upload: PostedUpload<DocumentFile>,
) -> Result<Response, AppError> {
    let staff = &upload.staff;
    let case = load(&state, staff, &id).await?;
    let refuse =
        |status, message: String| page(&state, staff, &case, status, None, Some(message), None);
    if case.status == CaseStatus::Closed {
        return refuse(
            StatusCode::CONFLICT,
            "申请已办结，提供的文件已随答复固定，不能再上传。".into(),
        )
        .await;
    }
    // Extracting the text and scanning it are CPU-bound: they run in the
    // blocking task that checks the upload.
    let file = match upload.store_single(&state, scan_document).await? {
        Ok(f) => f,
        Err((status, m)) => return refuse(status, m).await,
    };
    match state
        .store
        .add_case_document(
            &staff.actor(),
            case.id,
            &file.accepted.to_new_attachment(),
            &file.inspected,
        )
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/console/requests/{}/documents?saved=added",
            case.id
        ))),
        // Closed meanwhile, or full. The bytes stay stored unreferenced:
        // content addressed, they may already belong to another record.
        Err(StoreError::Invalid(msg)) => refuse(StatusCode::CONFLICT, msg).await,
        Err(e) => Err(e.into()),
    }
}

/// Extracts the text and runs the scanner over it. No agency term list is
/// configured anywhere yet (the catalog scans with the default
/// configuration too), so this finds ID, mobile and card numbers and
/// classification markings. Anything short of a complete extraction —
/// an image, a scanned PDF — is marked for checking by hand.
fn scan_document(name: &str, bytes: &[u8]) -> DocumentScan {
    let extracted = gongkai_import::extract::extract_text(name, bytes);
    let unreadable = extracted
        .needs_manual_review()
        .then(|| extracted.status.message());
    DocumentScan::of(
        &Scanner::new(&ScanConfig::default()),
        extracted.text.as_deref(),
        unreadable,
    )
}

async fn find_doc(
    state: &AppState,
    case: &RequestCase,
    raw: &str,
) -> Result<CaseDocument, AppError> {
    let doc_id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .get_case_document(case.id, doc_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let case = load(&state, &staff, &id).await?;
    let doc = find_doc(&state, &case, &doc).await?;
    file_response(&state, &doc, Disposition::Attachment).await
}

pub async fn remove(
    State(state): State<AppState>,
    Path((id, doc)): Path<(String, String)>,
    Posted { staff, form: _ }: Posted<Empty>,
) -> Result<Response, AppError> {
    let case = load(&state, &staff, &id).await?;
    let doc = find_doc(&state, &case, &doc).await?;
    match state
        .store
        .remove_case_document(&staff.actor(), case.id, doc.id)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/console/requests/{}/documents?saved=removed",
            case.id
        ))),
        Err(StoreError::Invalid(msg)) => {
            page(
                &state,
                &staff,
                &case,
                StatusCode::CONFLICT,
                None,
                None,
                Some(msg),
            )
            .await
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}
