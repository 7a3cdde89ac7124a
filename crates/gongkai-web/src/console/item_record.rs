//! `/console/items/{id}/record`: the 审查记录 of an item — every workflow
//! step (who, when, from → to, decision, comment) and every override of a
//! scanner finding with its reason — and the list of versions, each
//! viewable read-only at `/console/items/{id}/versions/{n}` with its
//! attachments. Supervisors use this as assessment evidence, so anyone
//! with View on the item's agency may read it.

use super::Nav;
use super::auth::Staff;
use super::item_page::{AttRow, MetaRow, att_rows, load, meta_rows};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_core::html::SafeHtml;
use gongkai_core::item::{ItemId, Revision};
use gongkai_files::{Disposition, FileError, FileKey, content_disposition};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/items/{id}/record", get(record))
        .route("/items/{id}/versions/{n}", get(version))
        .route(
            "/items/{id}/versions/{n}/attachments/{att}",
            get(attachment),
        )
}

struct StepRow {
    at: String,
    version: i32,
    action: &'static str,
    from: &'static str,
    to: &'static str,
    decision: &'static str,
    comment: String,
    who: String,
}

struct OverrideRow {
    version: i32,
    finding: String,
    reason: String,
    who: String,
    at: String,
}

struct VersionRow {
    n: i32,
    state: &'static str,
    revision: String,
    author: String,
    created: String,
    published: String,
    on_time: String,
}

#[derive(Template)]
#[template(path = "console/item_record.html")]
struct RecordPage {
    layout: Layout,
    nav: Nav,
    id: ItemId,
    title: String,
    org: String,
    steps: Vec<StepRow>,
    overrides: Vec<OverrideRow>,
    versions: Vec<VersionRow>,
}

fn revision_label(r: &Revision) -> String {
    match r {
        Revision::Original => "首次起草".into(),
        Revision::Edit => "修订".into(),
        Revision::Correction { reason } => format!("更正：{reason}"),
    }
}

pub async fn record(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let d = load(&state, &staff, &id).await?;
    let minute = crate::beijing::minute;
    let steps = d
        .transitions
        .iter()
        .map(|t| StepRow {
            at: minute(t.at),
            version: t.version,
            action: t.action.label(),
            from: t.from.map_or("—", |s| s.label()),
            to: t.to.label(),
            decision: t.decision.map_or("", |x| x.label()),
            comment: t.comment.clone().unwrap_or_default(),
            who: t.actor_name.clone(),
        })
        .collect();
    let mut overrides = Vec::new();
    for v in &d.versions {
        for o in &v.overrides {
            let finding = v
                .scan
                .as_ref()
                .and_then(|s| s.findings.iter().find(|f| f.key == o.finding_key))
                .map_or_else(|| o.finding_key.clone(), |f| f.excerpt.clone());
            overrides.push(OverrideRow {
                version: v.version,
                finding,
                reason: o.reason.clone(),
                who: o.by_name.clone(),
                at: minute(o.at),
            });
        }
    }
    let versions = d
        .versions
        .iter()
        .rev()
        .map(|v| VersionRow {
            n: v.version,
            state: v.state.label(),
            revision: revision_label(&v.revision),
            author: v.author_name.clone(),
            created: minute(v.created_at),
            published: v.published_at.map(minute).unwrap_or_else(|| "—".into()),
            on_time: match v.on_time {
                Some(true) => "按期".into(),
                Some(false) => "逾期".into(),
                None => "—".into(),
            },
        })
        .collect();
    let latest = d.latest();
    let p = RecordPage {
        layout: staff.layout(&format!("审查记录：{}", latest.meta.title)),
        nav: staff.nav("items"),
        id: d.item.id,
        title: latest.meta.title.clone(),
        org: staff.org_name(d.item.org_id),
        steps,
        overrides,
        versions,
    };
    Ok(render(&p)?.into_response())
}

#[derive(Template)]
#[template(path = "console/item_version.html")]
struct VersionPage {
    layout: Layout,
    nav: Nav,
    id: ItemId,
    n: i32,
    state: &'static str,
    revision: String,
    author: String,
    meta: Vec<MetaRow>,
    body: SafeHtml,
    attachments: Vec<AttRow>,
}

pub async fn version(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let d = load(&state, &staff, &id).await?;
    let n: i32 = n.parse().map_err(|_| AppError::NotFound)?;
    let v = d.version(n).ok_or(AppError::NotFound)?;
    let p = VersionPage {
        layout: staff.layout(&format!("第{n}版：{}", v.meta.title)),
        nav: staff.nav("items"),
        id: d.item.id,
        n,
        state: v.state.label(),
        revision: revision_label(&v.revision),
        author: v.author_name.clone(),
        meta: meta_rows(&state, &staff, &d, v).await?,
        body: SafeHtml::sanitize(v.meta.body.as_str()),
        attachments: att_rows(&d, v),
    };
    Ok(render(&p)?.into_response())
}

/// An attachment of any version, for staff who may see the item: always
/// as a download (drafts may hold unmasked data; nothing opens inline).
pub async fn attachment(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, n, att)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let d = load(&state, &staff, &id).await?;
    let n: i32 = n.parse().map_err(|_| AppError::NotFound)?;
    let att: i64 = att.parse().map_err(|_| AppError::NotFound)?;
    let a = d
        .version(n)
        .and_then(|v| v.attachments.iter().find(|a| a.id == att))
        .ok_or(AppError::NotFound)?;
    let key = FileKey::parse(&a.storage_key).ok_or(AppError::NotFound)?;
    let file = match state.files.open(&key).await {
        Ok(f) => f,
        Err(FileError::NotFound { .. }) => {
            tracing::error!(
                item = d.item.id,
                attachment = att,
                "attachment bytes missing"
            );
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(AppError::Internal(format!("file store: {e}"))),
    };
    axum::http::Response::builder()
        .header(header::CONTENT_TYPE, a.media_type.as_str())
        .header(header::CONTENT_LENGTH, file.size)
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(&a.name, Disposition::Attachment),
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(file.stream))
        .map_err(|e| AppError::Internal(e.to_string()))
}
