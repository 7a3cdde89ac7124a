//! The staff console under `/console`.

pub mod auth;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
