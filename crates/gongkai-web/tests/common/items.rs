//! Catalog items in the staff console: the attachment form as a browser
//! posts it, and reading back what the store holds.

use super::multipart::multipart_post;
use super::{Harness, Resp, Session};
use gongkai_core::item::{ItemDetail, ItemId};

/// Posts one file the way a browser sends the attachment form; with
/// `replace`, the file takes the place of that attachment.
pub async fn upload(
    h: &Harness,
    s: &Session,
    id: ItemId,
    name: &str,
    bytes: &[u8],
    replace: Option<i64>,
) -> Resp {
    let replace = replace.map(|r| r.to_string());
    let fields: Vec<(&str, &str)> = replace.iter().map(|r| ("replace", r.as_str())).collect();
    let path = format!("/console/items/{id}/attachments");
    h.send(multipart_post(s, &path, &fields, &[(name, bytes)]))
        .await
}

pub async fn item(h: &Harness, id: ItemId) -> ItemDetail {
    h.store.get_item(id).await.unwrap().unwrap()
}

/// The console path of a step (`edit`, `submit`, …) of item `id`.
pub fn path(id: ItemId, step: &str) -> String {
    format!("/console/items/{id}/{step}")
}

/// The key of the first current finding whose excerpt starts with `place`.
pub async fn finding(h: &Harness, id: ItemId, place: &str) -> String {
    let d = item(h, id).await;
    let scan = d.latest().scan.clone().expect("scanned");
    scan.findings
        .iter()
        .find(|f| f.excerpt.starts_with(place))
        .unwrap_or_else(|| panic!("no finding in {place}: {:?}", scan.findings))
        .key
        .clone()
}
