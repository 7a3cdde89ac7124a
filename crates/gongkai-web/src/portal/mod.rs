//! The public portal: home page and each agency's 政府信息公开专栏.
//!
//! URLs are canonical and stable (`/agency/{id}/…`) because citizens,
//! search engines and other government sites link to them for years.

mod agency;
pub(crate) mod apply;
pub(crate) mod catalog;
pub(crate) mod catalog_item;
pub(crate) mod catalog_params;
pub(crate) mod feeds;
mod guide;
mod home;
pub mod public_form;
pub(crate) mod request_view;
pub(crate) mod search;
mod search_params;
mod status;
pub(crate) mod status_files;
mod status_notices;
#[cfg(test)]
pub(crate) mod testing;

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/healthz", get(healthz))
        .route("/agency/{id}", get(agency::landing))
        .route("/agency/{id}/guide", get(agency::guide))
        .route("/agency/{id}/rules", get(agency::rules))
        .route("/agency/{id}/rules/{doc_id}", get(agency::rule_doc))
        .route("/agency/{id}/catalog", get(catalog::agency_catalog))
        .route(
            "/agency/{id}/catalog/{column}",
            get(catalog::column_catalog),
        )
        .route("/agency/{id}/feed.atom", get(feeds::agency_feed))
        .route(
            "/agency/{id}/catalog/{column}/feed.atom",
            get(feeds::column_feed),
        )
        .route("/catalog", get(catalog::jurisdiction))
        .route("/catalog/feed.atom", get(feeds::jurisdiction_feed))
        .route("/search", get(search::jurisdiction))
        .route("/agency/{id}/search", get(search::agency_search))
        .route("/items/{id}", get(catalog_item::item))
        .route("/items/by-index/{*index_no}", get(catalog_item::by_index))
        .route(
            "/items/{id}/attachments/{attachment}",
            get(catalog_item::attachment),
        )
        .route("/sitemap.xml", get(feeds::sitemap_index))
        .route("/sitemaps/{file}", get(feeds::sitemap_part))
        .route("/agency/{id}/annual-reports", get(agency::annual_reports))
        .route("/apply", get(apply::agencies))
        .route(
            "/agency/{id}/apply",
            get(apply::form)
                .post(apply::submit)
                .layer(DefaultBodyLimit::max(apply::APPLY_BODY_LIMIT)),
        )
        .route(
            "/status",
            get(status::form)
                .post(status::lookup)
                .layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route(
            "/status/notice",
            axum::routing::post(status_notices::show).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route(
            "/status/document",
            axum::routing::post(status_files::download).layer(DefaultBodyLimit::max(16 * 1024)),
        )
}

/// Liveness probe for load balancers and container health checks.
async fn healthz() -> &'static str {
    "ok"
}
