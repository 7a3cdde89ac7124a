//! The public portal: home page and each agency's 政府信息公开专栏.
//!
//! URLs are canonical and stable (`/agency/{id}/…`) because citizens,
//! search engines and other government sites link to them for years.

mod agency;
mod guide;
mod home;
#[cfg(test)]
pub(crate) mod testing;

use crate::AppState;
use axum::Router;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/healthz", get(healthz))
        .route("/agency/{id}", get(agency::landing))
        .route("/agency/{id}/guide", get(agency::guide))
        .route("/agency/{id}/rules", get(agency::rules))
        .route("/agency/{id}/rules/{doc_id}", get(agency::rule_doc))
        .route("/agency/{id}/catalog", get(agency::catalog))
        .route("/agency/{id}/annual-reports", get(agency::annual_reports))
}

/// Liveness probe for load balancers and container health checks.
async fn healthz() -> &'static str {
    "ok"
}
