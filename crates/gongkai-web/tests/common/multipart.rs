//! File forms as a browser posts them (`multipart/form-data`).

use super::Session;
use axum::body::Body;
use axum::http::{Request, header};

const BOUNDARY: &str = "----gongkaiTestBoundary7MA4YWxk";

/// A POST of a file form signed in as `s`: the `csrf` field first (as the
/// templates put it), then `fields`, then each of `files` as a `file`
/// part with its file name.
pub fn multipart_post(
    s: &Session,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> Request<Body> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
        s.csrf
    )
    .into_bytes();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(body))
        .unwrap()
}
