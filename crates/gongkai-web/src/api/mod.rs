//! The public JSON API at `/api/v1`: read-only, public data only
//! (published 主动公开 items, search, agencies and columns), described by
//! an OpenAPI 3.1 document at `/api/v1/openapi.json`. Reference:
//! `docs/api.md`. The router is nested at `/api`, so that any other path
//! there is a problem too.
//!
//! - Handlers are registered through utoipa-axum's `routes!`, which mounts
//!   a handler and adds its `#[utoipa::path]` to the document in one step,
//!   so no route can be served undocumented or documented unserved.
//! - Errors are RFC 9457 problems ([`problem`]), also for unknown paths
//!   and methods, never the HTML error page.
//! - Anyone may read: `Access-Control-Allow-Origin: *`, no credentials; no
//!   cookie is read or set. Answers may be cached for a minute (errors not
//!   at all), so a withdrawal is gone from caches quickly.

mod agencies;
mod items;
mod model;
mod openapi;
mod params;
mod problem;
mod search;

use crate::AppState;
use crate::portal::feeds::base_url;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::routing::get;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Successful answers: public data that changes when items are published
/// or withdrawn.
const CACHE: &str = "public, max-age=60";

fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(items::list))
        .routes(routes!(items::show))
        .routes(routes!(search::search))
        .routes(routes!(agencies::list))
        .routes(routes!(agencies::columns))
}

/// The OpenAPI document of every route.
pub fn document() -> utoipa::openapi::OpenApi {
    router().into_openapi()
}

/// The API router, to be nested at `/api`: version 1 under `/api/v1`, and
/// a problem for every other path under `/api` (`/api/v1/`, `/api/v2/…`).
pub fn routes() -> Router<AppState> {
    let (v1, _) = router().split_for_parts();
    let v1 = v1
        // A 索引号 may contain `/`: a wildcard serves it raw or encoded;
        // the document describes it as one parameter (see `ApiDoc`).
        .route("/items/by-index/{*index_no}", get(items::by_index))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(problem::no_route)
        .method_not_allowed_fallback(problem::method_not_allowed);
    Router::new()
        .nest("/v1", v1)
        .fallback(problem::no_route)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE),
        ))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD])
                .allow_headers([header::ACCEPT])
                .expose_headers([header::LINK])
                .max_age(std::time::Duration::from_secs(86_400)),
        )
}

/// Absolute addresses of portal pages and API resources.
pub(crate) struct Urls {
    base: String,
}

impl Urls {
    fn new(state: &AppState, headers: &HeaderMap) -> Self {
        Self {
            base: base_url(&state.config, headers),
        }
    }

    fn portal(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn item_page(&self, id: i64) -> String {
        self.portal(&crate::search_sync::item_url(id))
    }

    fn item_api(&self, id: i64) -> String {
        self.api(&format!("/items/{id}"))
    }
}
