//! The public portal: home page and each agency's 政府信息公开专栏.

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
