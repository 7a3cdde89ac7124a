//! RFC 9457 problem details: every error of the API, in
//! `application/problem+json`, with a Chinese `title` and `detail`.
//!
//! Status-only problems use the type `about:blank` (their title is the
//! status phrase, localised, as RFC 9457 §4.2.1 allows); the two the
//! client can act on have their own type, so clients need not parse text:
//! bad query parameters (with a per-field `errors` list) and withdrawn items.

use crate::AppError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::StoreError;
use gongkai_core::text::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";
/// Problem type of a request whose query parameters were refused.
pub const TYPE_INVALID_PARAMETERS: &str = "urn:gongkai:problem:invalid-parameters";
/// Problem type of an item that was public and has been withdrawn (撤回).
pub const TYPE_WITHDRAWN: &str = "urn:gongkai:problem:withdrawn";

/// An error (RFC 9457 problem details).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:gongkai:problem:invalid-parameters",
    "title": "请求参数有误",
    "status": 400,
    "detail": "有 1 个参数不符合要求，请按 errors 中的说明修改后重试。",
    "errors": [{"field": "year", "message": "年份应为1949至2026之间的四位数字"}]
}))]
pub struct Problem {
    /// A URI identifying the problem type: `about:blank` (see `status`),
    /// `urn:gongkai:problem:invalid-parameters` or
    /// `urn:gongkai:problem:withdrawn`.
    #[serde(rename = "type")]
    pub problem_type: &'static str,
    /// Short summary in Chinese; the same for every problem of a type.
    pub title: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// Explanation of this occurrence, in Chinese.
    pub detail: String,
    /// The refused parameters (invalid-parameters only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ParamError>,
}

/// One refused query parameter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParamError {
    /// The parameter name as sent, e.g. `year`.
    pub field: String,
    /// What is wrong and what is accepted, in Chinese.
    pub message: String,
}

impl Problem {
    fn plain(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Self {
            problem_type: "about:blank",
            title,
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn not_found() -> Self {
        Self::plain(
            StatusCode::NOT_FOUND,
            "资源不存在",
            "请求的资源不存在或未公开。请检查网址和编号。",
        )
    }

    pub fn no_route() -> Self {
        Self::plain(
            StatusCode::NOT_FOUND,
            "资源不存在",
            "没有这个接口。可用的接口见 /api/v1/openapi.json。",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "不支持该请求方法",
            "本接口只读，只接受 GET 请求。",
        )
    }

    pub fn internal() -> Self {
        Self::plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "系统繁忙",
            "服务器处理请求时出错，请稍后再试。",
        )
    }

    /// The item was public and has been withdrawn on `on` (Beijing date).
    pub fn withdrawn(on: chrono::NaiveDate) -> Self {
        Self {
            problem_type: TYPE_WITHDRAWN,
            title: "信息已撤回",
            status: StatusCode::GONE.as_u16(),
            detail: format!("该信息已于{}撤回，不再公开。", on.format("%Y年%-m月%-d日")),
            errors: Vec::new(),
        }
    }

    /// Bad query parameters; `rename` maps internal field names to the
    /// parameter names the client sent.
    pub fn invalid(errors: &FieldErrors, rename: &[(&str, &str)]) -> Self {
        let errors: Vec<ParamError> = errors
            .0
            .iter()
            .map(|e| ParamError {
                field: rename
                    .iter()
                    .find(|(from, _)| *from == e.field)
                    .map_or(e.field, |(_, to)| to)
                    .to_string(),
                message: e.message.clone(),
            })
            .collect();
        Self {
            problem_type: TYPE_INVALID_PARAMETERS,
            title: "请求参数有误",
            status: StatusCode::BAD_REQUEST.as_u16(),
            detail: format!(
                "有 {} 个参数不符合要求，请按 errors 中的说明修改后重试。",
                errors.len()
            ),
            errors,
        }
    }

    /// One bad parameter.
    pub fn invalid_one(field: &'static str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, message);
        Self::invalid(&e, &[])
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        // An error is about this moment (an item may be published a minute later).
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound | AppError::Store(StoreError::NotFound) => Problem::not_found(),
            AppError::BadRequest(m) => Problem::plain(StatusCode::BAD_REQUEST, "请求无法处理", m),
            other => {
                tracing::error!(error = %other, "api request failed");
                Problem::internal()
            }
        }
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        AppError::Store(e).into()
    }
}

/// Fallback of the API: an unknown path is a problem, not the HTML page.
pub async fn no_route() -> Problem {
    Problem::no_route()
}

pub async fn method_not_allowed() -> Problem {
    Problem::method_not_allowed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_every_message_and_use_the_client_names() {
        let mut e = FieldErrors::new();
        e.add("kind", "文件类型应为规章、行政规范性文件或其他");
        e.add("year", "年份应为1949至2026之间的四位数字");
        let p = Problem::invalid(&e, &[("kind", "doc_kind")]);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], TYPE_INVALID_PARAMETERS);
        assert_eq!(v["status"], 400);
        assert_eq!(v["errors"][0]["field"], "doc_kind");
        assert_eq!(v["errors"][1]["field"], "year");
        assert_eq!(
            v["errors"][1]["message"],
            "年份应为1949至2026之间的四位数字"
        );
    }

    #[test]
    fn status_only_problems_have_no_errors_member() {
        let v = serde_json::to_value(Problem::not_found()).unwrap();
        assert_eq!(v["type"], "about:blank");
        assert!(v.get("errors").is_none());
        let w = Problem::withdrawn(chrono::NaiveDate::from_ymd_opt(2025, 3, 4).unwrap());
        assert_eq!(w.status, 410);
        assert!(w.detail.contains("2025年3月4日"));
    }
}
