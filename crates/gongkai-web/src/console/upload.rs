//! Console forms with files: a CSRF-checked `multipart/form-data`
//! extractor, the counterpart of [`Posted`](super::auth::Posted) for
//! uploads (annual reports, calendars, catalog attachments, case documents).
//!
//! Files are read into memory and never written to disk; each route says
//! how much it accepts with an [`UploadPolicy`] and installs the matching
//! body limit with [`body_limit_layer`]. The form's hidden `csrf` field
//! must come first (our templates put it there, browsers send fields in
//! document order): the token is checked before a single byte of a file is
//! buffered, so a forged request costs no memory.

use super::auth::{Staff, constant_time_eq, csrf_rejected};
use crate::AppState;
use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_files::{Accepted, UploadError, accept_upload};
use std::marker::PhantomData;

const KIB: usize = 1024;

/// What one upload route accepts.
pub trait UploadPolicy: Send + Sync + 'static {
    /// Most files read from one request; further files are counted only.
    const MAX_FILES: usize;
    /// Largest file read; a larger file is noted, not kept.
    const MAX_FILE_BYTES: usize;
    /// Largest text field; a larger one makes the request fail.
    const MAX_TEXT_BYTES: usize;

    /// Whether `staff` may post to the route at all, asked before the body
    /// is read so that nobody else makes the server buffer files. (The
    /// handler still checks the organisation a request is about.)
    fn may_post(staff: &Staff) -> bool;

    /// The request body limit of the route: room for every file at its
    /// largest, the text fields and the multipart framing.
    fn body_limit() -> usize {
        Self::MAX_FILES * (Self::MAX_FILE_BYTES + KIB) + 8 * Self::MAX_TEXT_BYTES + 64 * KIB
    }
}

/// The layer a route with policy `P` needs: axum's default body limit
/// (2 MB) would cut uploads short.
pub fn body_limit_layer<P: UploadPolicy>() -> DefaultBodyLimit {
    DefaultBodyLimit::max(P::body_limit())
}

/// One uploaded file.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The form field it came in.
    pub field: String,
    /// The file name the browser sent (may contain a path; untrusted).
    pub name: String,
    /// The content, empty when [`too_large`](Self::too_large).
    pub bytes: Bytes,
    /// Larger than the policy allows: not kept.
    pub too_large: bool,
}

/// A CSRF-checked multipart POST from a signed-in staff member.
pub struct PostedUpload<P: UploadPolicy> {
    pub staff: Staff,
    /// Text fields in order (without `csrf`).
    pub fields: Vec<(String, String)>,
    /// Files in order, at most `P::MAX_FILES`.
    pub files: Vec<UploadedFile>,
    /// Files beyond `P::MAX_FILES`, not read.
    pub extra_files: usize,
    /// The body ended early: over the route's limit, or the connection
    /// broke. What was read is kept, but should not be acted on.
    pub incomplete: bool,
    _policy: PhantomData<P>,
}

/// Why a single-file upload was not stored: the status to answer with and
/// the message to show next to the file field.
pub type Refusal = (StatusCode, String);

/// The file of a single-file form, checked and in the file store.
pub struct StoredFile<T> {
    pub accepted: Accepted,
    /// What the caller's `inspect` made of the bytes.
    pub inspected: T,
}

impl<P: UploadPolicy> PostedUpload<P> {
    /// The first text field called `name`, or "".
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Checks the one file of a single-file form with
    /// [`accept_upload`] against the configured limits and puts it in the
    /// file store. `inspect(name, bytes)` runs on the accepted file in the
    /// same blocking task as the check (hashing, reading a ZIP directory
    /// and whatever the caller adds, such as scanning, are CPU-bound).
    /// A refusal is for the page to show; nothing is stored then.
    pub async fn store_single<T: Send + 'static>(
        &self,
        state: &AppState,
        inspect: impl FnOnce(&str, &[u8]) -> T + Send + 'static,
    ) -> Result<Result<StoredFile<T>, Refusal>, AppError> {
        let max_mb = state.upload_limits.max_bytes / (1024 * 1024);
        if self.incomplete || self.files.iter().any(|f| f.too_large) {
            return Ok(Err((
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("文件超过 {max_mb} MB 的上限或上传中断，未保存；请压缩或拆分后重新上传。"),
            )));
        }
        if self.extra_files > 0 {
            return Ok(Err((
                StatusCode::BAD_REQUEST,
                "一次只能上传一个文件，请逐个上传。".into(),
            )));
        }
        let Some(file) = self.files.first() else {
            return Ok(Err((StatusCode::OK, "请选择要上传的文件。".into())));
        };
        let (name, bytes, limits) = (
            file.name.clone(),
            file.bytes.clone(),
            state.upload_limits.clone(),
        );
        let checked = tokio::task::spawn_blocking(move || {
            accept_upload(&name, &bytes, &limits).map(|a| (a, inspect(&name, &bytes)))
        })
        .await
        .map_err(|e| AppError::Internal(format!("upload check: {e}")))?;
        let (accepted, inspected) = match checked {
            Ok(a) => a,
            Err(e @ UploadError::TooLarge { .. }) => {
                return Ok(Err((StatusCode::PAYLOAD_TOO_LARGE, e.to_string())));
            }
            Err(e) => return Ok(Err((StatusCode::OK, e.to_string()))),
        };
        let stored = state
            .files
            .put(file.bytes.clone())
            .await
            .map_err(|e| AppError::Internal(format!("file store: {e}")))?;
        if stored.key != accepted.key {
            return Err(AppError::Internal("file store returned another key".into()));
        }
        Ok(Ok(StoredFile {
            accepted,
            inspected,
        }))
    }
}

fn bad_request(message: &str) -> Response {
    AppError::BadRequest(message.into()).into_response()
}

fn text_too_long() -> Response {
    crate::error::error_response(
        StatusCode::PAYLOAD_TOO_LARGE,
        "提交内容过大",
        "表单中的文字内容超过上限，未处理。请返回后重新操作。".into(),
    )
}

/// Reads a field to its end, at most `max` bytes; `None` when longer (the
/// rest is left unread; the next field skips it).
async fn read_limited(
    field: &mut axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<Option<Vec<u8>>, axum::extract::multipart::MultipartError> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if buf.len() + chunk.len() > max {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Some(buf))
}

impl<P: UploadPolicy> FromRequest<AppState> for PostedUpload<P> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        if !P::may_post(&staff) {
            return Err(AppError::Forbidden.into_response());
        }
        let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| bad_request("请求格式不正确（应为带文件的表单），请返回后重新提交。"))?;
        let mut out = PostedUpload {
            staff,
            fields: Vec::new(),
            files: Vec::new(),
            extra_files: 0,
            incomplete: false,
            _policy: PhantomData,
        };
        let mut csrf_ok = false;
        loop {
            let mut field = match multipart.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                // Before the token is checked nothing is trusted.
                Err(_) if !csrf_ok => return Err(csrf_rejected()),
                Err(_) => {
                    out.incomplete = true;
                    break;
                }
            };
            let name = field.name().unwrap_or_default().to_string();
            if !csrf_ok {
                if name != "csrf" || field.file_name().is_some() {
                    return Err(csrf_rejected());
                }
                let token = match read_limited(&mut field, 256).await {
                    Ok(Some(t)) => String::from_utf8(t).unwrap_or_default(),
                    _ => return Err(csrf_rejected()),
                };
                if !constant_time_eq(&token, &out.staff.csrf) {
                    return Err(csrf_rejected());
                }
                csrf_ok = true;
                continue;
            }
            if let Some(file_name) = field.file_name().map(str::to_string) {
                // An empty file input is sent as a nameless, empty part.
                if out.files.len() >= P::MAX_FILES {
                    if !file_name.is_empty() {
                        out.extra_files += 1;
                    }
                    continue;
                }
                match read_limited(&mut field, P::MAX_FILE_BYTES).await {
                    Ok(Some(bytes)) if file_name.is_empty() && bytes.is_empty() => {}
                    Ok(Some(bytes)) => out.files.push(UploadedFile {
                        field: name,
                        name: file_name,
                        bytes: Bytes::from(bytes),
                        too_large: false,
                    }),
                    Ok(None) => out.files.push(UploadedFile {
                        field: name,
                        name: file_name,
                        bytes: Bytes::new(),
                        too_large: true,
                    }),
                    Err(_) => {
                        out.incomplete = true;
                        break;
                    }
                }
                continue;
            }
            match read_limited(&mut field, P::MAX_TEXT_BYTES).await {
                Ok(Some(text)) => match String::from_utf8(text) {
                    Ok(text) => out.fields.push((name, text)),
                    Err(_) => {
                        return Err(bad_request("表单内容不是有效的文字，请返回后重新提交。"));
                    }
                },
                Ok(None) => return Err(text_too_long()),
                Err(_) => {
                    out.incomplete = true;
                    break;
                }
            }
        }
        if !csrf_ok {
            return Err(csrf_rejected());
        }
        Ok(out)
    }
}
