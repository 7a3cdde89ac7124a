//! The released documents on the applicant's status page, and their
//! download (`POST /status/document`).
//!
//! Documents are listed only once the case is closed with an outcome that
//! provides information (予以公开, 部分公开; see
//! [`releases_documents`]). Each download button is a small POST form
//! carrying the number, the query code and the document id in hidden
//! fields, so that nothing identifying a case ever appears in a URL (and
//! hence in logs, browser history or `Referer` headers). A download is a
//! look-up like the status form: same token check, same generic message
//! for a wrong number or code, counted by the same failed-look-up limit.

use super::public_form::BrowserSecret;
use super::status::prove;
use crate::console::auth::ClientIp;
use crate::error::error_response;
use crate::{AppError, AppState};
use axum::body::Body;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::request::case::{CaseStatus, RequestCase};
use gongkai_core::request::documents::{CaseDocument, releases_documents};
use gongkai_files::{Disposition, FileError, FileKey, content_disposition};
use serde::Deserialize;

/// One downloadable document on the status page.
pub struct PublicDoc {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub size: String,
}

/// What the status page's include (`portal/status_files.html`) shows.
/// Empty (nothing rendered) unless the case released documents.
#[derive(Default)]
pub struct Released {
    pub docs: Vec<PublicDoc>,
    /// Hidden fields of each download form: the look-up again.
    pub number: String,
    pub code: String,
    pub token: String,
}

/// Whether the applicant may download `case`'s documents.
fn releases(case: &RequestCase) -> bool {
    case.status == CaseStatus::Closed && case.outcome.is_some_and(releases_documents)
}

/// The released documents of a case found with `code`, for its status page.
pub(super) async fn released(
    state: &AppState,
    headers: &HeaderMap,
    case: &RequestCase,
    code: &str,
) -> Result<Released, AppError> {
    if !releases(case) {
        return Ok(Released::default());
    }
    let docs: Vec<PublicDoc> = state
        .store
        .list_case_documents(case.id)
        .await?
        .into_iter()
        .map(|d| PublicDoc {
            id: d.id,
            kind: d.type_label().to_string(),
            size: size_label(d.size),
            name: d.name,
        })
        .collect();
    if docs.is_empty() {
        return Ok(Released::default());
    }
    // The browser already holds the form cookie: it just posted the look-up.
    let token = BrowserSecret::from_headers(headers, state.config.secure_cookies)?.issue()?;
    Ok(Released {
        docs,
        number: case.number.clone(),
        code: code.to_string(),
        token: token.value,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct DownloadPost {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    doc: String,
}

/// `POST /status/document`.
pub(super) async fn download(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    posted: Result<Form<DownloadPost>, FormRejection>,
) -> Result<Response, AppError> {
    let Ok(Form(p)) = posted else {
        return Err(AppError::BadRequest(
            "下载请求格式不正确，请重新查询后再下载。".into(),
        ));
    };
    let case = match prove(&state, ip, &headers, &p.number, &p.code, &p.token).await? {
        Ok(case) => case,
        Err(refused) => return Ok(refused),
    };
    // The applicant is proven; an unknown id or a case that releases
    // nothing is a plain 404 (it reveals nothing the status page does not).
    let doc_id: i64 = p.doc.trim().parse().map_err(|_| AppError::NotFound)?;
    if !releases(&case) {
        return Err(AppError::NotFound);
    }
    let doc = state
        .store
        .get_case_document(case.id, doc_id)
        .await?
        .ok_or(AppError::NotFound)?;
    file_response(&state, &doc, Disposition::Attachment).await
}

/// Streams a stored document with the sniffed type, a safe
/// `Content-Disposition` (RFC 6266/8187), `nosniff` and `no-store`.
pub(crate) async fn file_response(
    state: &AppState,
    doc: &CaseDocument,
    disposition: Disposition,
) -> Result<Response, AppError> {
    let key = FileKey::parse(&doc.storage_key)
        .ok_or_else(|| AppError::Internal(format!("document {}: bad storage key", doc.id)))?;
    let file = match state.files.open(&key).await {
        Ok(f) => f,
        Err(FileError::NotFound { .. }) => {
            // The record outlived its bytes (a restore without the file
            // directory): say so instead of a bare 500.
            tracing::error!(document = doc.id, %key, "released document missing from file store");
            return Ok(error_response(
                StatusCode::NOT_FOUND,
                "文件暂时无法下载",
                "该文件在存储中缺失，请联系办理机关。".into(),
            ));
        }
        Err(e) => return Err(AppError::Internal(format!("file store: {e}"))),
    };
    let header_value = |v: String| {
        HeaderValue::from_str(&v).map_err(|e| AppError::Internal(format!("header: {e}")))
    };
    let mut resp = Body::from_stream(file.stream).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(doc.media_type.clone())?);
    h.insert(
        header::CONTENT_DISPOSITION,
        header_value(content_disposition(&doc.name, disposition))?,
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// `350 KB`, `1.2 MB`.
pub(crate) fn size_label(bytes: i64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    if b < KIB * KIB {
        format!("{} KB", ((b / KIB).ceil() as i64).max(1))
    } else {
        format!("{:.1} MB", b / (KIB * KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::size_label;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_label(10), "1 KB");
        assert_eq!(size_label(350 * 1024), "350 KB");
        assert_eq!(size_label(1024 * 1024 + 200 * 1024), "1.2 MB");
    }
}
