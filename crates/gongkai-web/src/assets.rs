//! Static files, embedded in the binary so a deployment is one file.

use crate::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const FILES: &[(&str, &str, &[u8])] = &[(
    "gongkai.css",
    "text/css; charset=utf-8",
    include_bytes!("../static/gongkai.css"),
)];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/{file}", get(serve))
        // The notices' print styles live with their renderer (gongkai-report).
        .route("/static/letter.css", get(letter_css))
}

async fn letter_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        gongkai_report::LETTER_CSS,
    )
        .into_response()
}

async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
