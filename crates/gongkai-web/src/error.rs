//! One error type for every handler. Internal causes are logged once, here,
//! and never shown to the visitor.

use crate::layout::Layout;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gongkai_core::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The request cannot be processed as sent (message shown to the user, in Chinese).
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("internal: {0}")]
    Internal(String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: &'static str,
    message: String,
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound | Self::Store(StoreError::NotFound) => StatusCode::NOT_FOUND,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Store(StoreError::Conflict { .. }) => StatusCode::CONFLICT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (title, message) = match &self {
            AppError::NotFound | AppError::Store(StoreError::NotFound) => (
                "页面不存在",
                "您访问的页面不存在或已被移除。请检查网址，或从首页重新进入。".to_string(),
            ),
            AppError::Forbidden => (
                "无权访问",
                "您的账号没有执行此操作的权限。如需权限，请联系本单位系统管理员。".to_string(),
            ),
            AppError::BadRequest(m) => ("请求无法处理", m.clone()),
            AppError::Store(StoreError::Conflict { .. }) => (
                "数据冲突",
                "该记录已存在或已被他人修改，请返回后刷新重试。".to_string(),
            ),
            other => {
                tracing::error!(error = %other, "request failed");
                (
                    "系统繁忙",
                    "服务器处理请求时出错，请稍后再试。如问题持续存在，请联系网站管理员。"
                        .to_string(),
                )
            }
        };
        error_response(status, title, message)
    }
}

/// Renders the error page; falls back to plain text if even that fails.
pub(crate) fn error_response(status: StatusCode, title: &'static str, message: String) -> Response {
    let page = ErrorPage {
        layout: Layout::plain(title),
        status: status.as_u16(),
        title,
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, title).into_response(),
    }
}

pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}

/// Renders a template into an HTML response.
pub fn render<T: Template>(t: &T) -> Result<Html<String>, AppError> {
    Ok(Html(t.render()?))
}
