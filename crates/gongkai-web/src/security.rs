//! Layers around the whole router: security headers, CSRF origin check,
//! panic → 500 page, request body limit, request tracing.

use crate::WebConfig;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// No inline script or style anywhere: every asset comes from /static.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// Largest accepted request body. Console forms are text; uploads get
/// [`UPLOAD_BODY_LIMIT`].
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Largest accepted `multipart/form-data` body, whatever the route. Each
/// upload route sets its own, lower limit (`console::upload`); every other
/// extractor keeps axum's 2 MB default, so a large multipart body sent to a
/// form route is still refused there.
pub const UPLOAD_BODY_LIMIT: usize = 48 * 1024 * 1024;

pub fn wrap(router: Router, config: &WebConfig) -> Router {
    let mut csrf = CsrfLayer::new();
    for origin in &config.trusted_origins {
        match csrf.clone().add_trusted_origin(origin) {
            Ok(c) => csrf = c,
            Err(e) => tracing::warn!(%origin, error = %e, "ignoring invalid trusted origin"),
        }
    }
    router
        .layer(csrf)
        .layer(axum::middleware::from_fn(limit_body))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .layer(TraceLayer::new_for_http())
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// The request body limit: [`BODY_LIMIT`], or [`UPLOAD_BODY_LIMIT`] for
/// uploads. A declared length over the limit is refused before the body is
/// read; a longer body than declared (or a chunked one) fails when the
/// limit is crossed.
async fn limit_body(req: Request, next: Next) -> Response {
    let limit = if is_multipart(req.headers()) {
        UPLOAD_BODY_LIMIT
    } else {
        BODY_LIMIT
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return crate::error::error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "提交内容过大",
            format!(
                "提交的内容超过 {} MB 的上限，未处理。请减少内容或分批提交。",
                limit / (1024 * 1024)
            ),
        );
    }
    next.run(req.map(|b| Body::new(http_body_util::Limited::new(b, limit))))
        .await
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    crate::error::error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "系统繁忙",
        "服务器处理请求时出错，请稍后再试。".into(),
    )
    .into_response()
}
