//! The OpenAPI document served at `/api/v1/openapi.json`, pinned by an insta
//! snapshot (`tests/snapshots/`): any change to a route, parameter or
//! response type of the API shows up here in review. With `CI=true` insta
//! fails on a mismatch instead of writing a new snapshot; locally, review
//! changes with `cargo insta review` (or `INSTA_UPDATE=always`).

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::Harness;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

#[tokio::test]
async fn the_openapi_document_is_served_and_unchanged() {
    let h = Harness::new().await;
    let resp = h
        .app
        .clone()
        .oneshot(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/json");
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();

    assert_eq!(doc["openapi"], "3.1.0");
    // Every endpoint of the API is described, each with its problems.
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for p in [
        "/items",
        "/items/{id}",
        "/items/by-index/{index_no}",
        "/search",
        "/agencies",
        "/agencies/{id}/columns",
        "/openapi.json",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    let item = &doc["paths"]["/items/{id}"]["get"]["responses"];
    assert!(item["410"]["content"]["application/problem+json"].is_object());
    let params: Vec<&str> = doc["paths"]["/items"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        params,
        [
            "org",
            "include_sub_agencies",
            "column",
            "topic",
            "genre",
            "doc_kind",
            "validity",
            "year",
            "page",
            "per_page",
            "after"
        ]
    );

    insta::assert_json_snapshot!("openapi", doc);
}
