//! The public page of one catalog item and its attachments.
//!
//! **Canonical URL: `/items/{id}`.** The id is assigned when the draft is
//! created and never changes, so the address is stable from the first
//! publication on, through 更正 and edits. The 索引号 is also permanent but
//! may contain `/` and, for legacy numbers, any character, so it is the
//! secondary form: `/items/by-index/{索引号}` answers with a permanent
//! redirect to the canonical URL.
//!
//! A withdrawn (撤回) item answers **410 Gone** with a short Chinese page
//! that shows nothing of its content; drafts, items under review and
//! 依申请公开/不予公开 items are plain 404s.

use super::agency::{self, AgencyFrame, Link};
use super::catalog::{column_crumbs, item_href};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongkai_core::html::SafeHtml;
use gongkai_core::item::query::PublicItem;
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::item::{Attachment, DisclosureMode, ItemId, Validity};
use gongkai_files::{Disposition, FileError, FileKey, content_disposition};

pub(super) struct AttachmentView {
    pub name: String,
    pub href: String,
    pub type_label: String,
    pub size: String,
}

pub(super) struct CorrectionView {
    pub date: String,
    pub reason: String,
}

/// The metadata block and content, ready for the template.
pub(super) struct ItemView {
    pub title: String,
    pub index_no: String,
    pub topic: String,
    pub publisher: String,
    pub issuers: String,
    pub written_on: String,
    pub doc_number: String,
    pub published_on: String,
    pub genre: String,
    pub doc_kind: String,
    pub validity: String,
    /// 失效日期 / 废止日期, labelled.
    pub validity_date: Option<String>,
    /// The published item that repealed this one.
    pub repealed_by: Option<Link>,
    pub keywords: String,
    pub summary: String,
    /// Sanitised again at render time; rendered with `|safe`.
    pub body: SafeHtml,
    pub corrections: Vec<CorrectionView>,
    pub attachments: Vec<AttachmentView>,
    pub column: Option<Link>,
}

#[derive(Template)]
#[template(path = "portal/catalog_item.html")]
struct ItemPage {
    layout: Layout,
    agency: AgencyFrame,
    item: ItemView,
}

#[derive(Template)]
#[template(path = "portal/catalog_gone.html")]
struct GonePage {
    layout: Layout,
    agency: AgencyFrame,
    withdrawn_on: String,
}

/// What the public may know about an item id.
pub(crate) enum Lookup {
    Public(Box<PublicItem>),
    /// Was public 主动公开, now withdrawn: the agency and the day.
    Withdrawn {
        org_id: gongkai_core::OrgId,
        on: chrono::NaiveDate,
    },
    Missing,
}

pub(crate) async fn lookup(state: &AppState, id: ItemId) -> Result<Lookup, AppError> {
    if let Some(item) = state.store.get_public_item(id).await? {
        return Ok(Lookup::Public(Box::new(item)));
    }
    let Some(detail) = state.store.get_item(id).await? else {
        return Ok(Lookup::Missing);
    };
    // Only an item the public could see before may say that it was
    // withdrawn; anything else is indistinguishable from a wrong id.
    let was_public = detail.item.first_published_on.is_some()
        && detail
            .revision_base()
            .is_some_and(|v| v.meta.disclosure == DisclosureMode::Proactive);
    match (&detail.item.withdrawal, was_public) {
        (Some(w), true) => Ok(Lookup::Withdrawn {
            org_id: detail.item.org_id,
            on: w.at.with_timezone(&beijing_offset()).date_naive(),
        }),
        _ => Ok(Lookup::Missing),
    }
}

fn beijing_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

fn parse_id(raw: &str) -> Result<ItemId, AppError> {
    match raw.parse::<ItemId>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(AppError::NotFound),
    }
}

fn cn_day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `1.2 MB`, `35 KB`.
pub(super) fn size_label(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else if b >= 1024.0 {
        format!("{:.0} KB", (b / 1024.0).ceil())
    } else {
        format!("{bytes} B")
    }
}

pub(super) async fn item(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    let (item, org_id) = match lookup(&state, id).await? {
        Lookup::Public(item) => {
            let org = item.org_id;
            (item, org)
        }
        Lookup::Withdrawn { org_id, on } => return gone(&state, org_id, on).await,
        Lookup::Missing => return Err(AppError::NotFound),
    };
    let orgs = state.store.list_orgs().await?;
    let org = orgs
        .iter()
        .find(|o| o.id == org_id)
        .ok_or(AppError::NotFound)?;
    let columns = state.store.list_item_columns(org.id).await?;
    let tax = Taxonomy::shipped();
    let meta = &item.meta;

    let repealed_by = match meta.validity.repealed_by() {
        Some(by) => state.store.get_public_item(by).await?.map(|r| Link {
            href: item_href(r.id),
            label: r.meta.title,
        }),
        None => None,
    };
    let validity_date = match &meta.validity {
        Validity::Effective => None,
        Validity::Expired { on } => on.map(|d| format!("失效日期：{}", cn_day(d))),
        Validity::Repealed { on, .. } => Some(format!("废止日期：{}", cn_day(*on))),
    };
    let column = columns.iter().find(|c| c.id == meta.column_id);

    let mut frame = agency::frame(&orgs, org, Some("catalog"));
    let here = std::mem::replace(&mut frame.here, "正文".into());
    frame.crumbs.push(Link {
        href: format!("/agency/{}/catalog", org.id),
        label: here,
    });
    if let Some(c) = column {
        frame.crumbs.extend(column_crumbs(&columns, org.id, c.id));
        frame.crumbs.push(Link {
            href: format!("/agency/{}/catalog/{}", org.id, c.id),
            label: c.name.clone(),
        });
    }
    let view = ItemView {
        title: meta.title.clone(),
        index_no: item.index_no.as_str().to_string(),
        topic: tax.topic_name(&meta.topic).to_string(),
        publisher: org.name.clone(),
        issuers: meta.issuers.join("、"),
        written_on: meta.written_on.map(cn_day).unwrap_or_default(),
        doc_number: meta.doc_number_label().to_string(),
        published_on: cn_day(item.published_on),
        genre: tax.genre_name(&meta.genre).to_string(),
        doc_kind: meta.doc_kind.label().to_string(),
        validity: meta.validity.kind().label().to_string(),
        validity_date,
        repealed_by,
        keywords: meta.keywords.join("　"),
        summary: meta.summary.clone(),
        // Stored bodies were sanitised when saved; cleaning again costs
        // little and keeps a bad row (e.g. a manual database edit) inert.
        body: SafeHtml::sanitize(meta.body.as_str()),
        corrections: item
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: cn_day(c.published_at.with_timezone(&beijing_offset()).date_naive()),
                reason: c.reason.clone(),
            })
            .collect(),
        attachments: item
            .attachments
            .iter()
            .map(|a| AttachmentView {
                name: a.name.clone(),
                href: format!("/items/{}/attachments/{}", item.id, a.id),
                type_label: a.type_label().to_string(),
                size: size_label(a.size),
            })
            .collect(),
        column: column.map(|c| Link {
            href: format!("/agency/{}/catalog/{}", org.id, c.id),
            label: c.name.clone(),
        }),
    };
    let page = ItemPage {
        layout: Layout::portal_with(
            &state.config,
            &orgs,
            &format!("{} - {}", meta.title, org.name),
        ),
        agency: frame,
        item: view,
    };
    Ok(Html(page.render()?).into_response())
}

async fn gone(
    state: &AppState,
    org_id: gongkai_core::OrgId,
    on: chrono::NaiveDate,
) -> Result<Response, AppError> {
    let orgs = state.store.list_orgs().await?;
    let org = orgs
        .iter()
        .find(|o| o.id == org_id)
        .ok_or(AppError::NotFound)?;
    let mut frame = agency::frame(&orgs, org, Some("catalog"));
    let here = std::mem::replace(&mut frame.here, "信息已撤回".into());
    frame.crumbs.push(Link {
        href: format!("/agency/{}/catalog", org.id),
        label: here,
    });
    let page = GonePage {
        layout: agency::layout(state, &orgs, &frame),
        agency: frame,
        withdrawn_on: cn_day(on),
    };
    Ok((StatusCode::GONE, Html(page.render()?)).into_response())
}

/// `/items/by-index/{索引号}` → `/items/{id}` (301) for items the public
/// may see or that were withdrawn; a 404 otherwise, so the redirect never
/// confirms that an unpublished number exists.
pub(super) async fn by_index(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let Some(id) = state.store.find_item_by_index_no(&raw).await? else {
        return Err(AppError::NotFound);
    };
    match lookup(&state, id).await? {
        Lookup::Missing => Err(AppError::NotFound),
        _ => Ok(Redirect::permanent(&item_href(id)).into_response()),
    }
}

/// `/items/{id}/attachments/{attachment}`: an attachment of the public
/// version, streamed from the file store.
pub(super) async fn attachment(
    State(state): State<AppState>,
    Path((raw, raw_att)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    let att_id: i64 = raw_att.parse().map_err(|_| AppError::NotFound)?;
    let Some(item) = state.store.get_public_item(id).await? else {
        return Err(AppError::NotFound);
    };
    let a: &Attachment = item
        .attachments
        .iter()
        .find(|a| a.id == att_id)
        .ok_or(AppError::NotFound)?;
    let key = FileKey::parse(&a.storage_key).ok_or(AppError::NotFound)?;
    let file = match state.files.open(&key).await {
        Ok(f) => f,
        Err(FileError::NotFound { .. }) => {
            tracing::warn!(item = id, attachment = att_id, "attachment bytes missing");
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(AppError::Internal(e.to_string())),
    };
    // PDFs and images open in the browser; office files are saved. The
    // type is the one sniffed at upload, from the allow-list.
    let disposition = if a.media_type == "application/pdf" || a.media_type.starts_with("image/") {
        Disposition::Inline
    } else {
        Disposition::Attachment
    };
    Response::builder()
        .header(header::CONTENT_TYPE, a.media_type.as_str())
        .header(header::CONTENT_LENGTH, file.size)
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(&a.name, disposition),
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "public, max-age=86400")
        .body(Body::from_stream(file.stream))
        .map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_download_list() {
        assert_eq!(size_label(512), "512 B");
        assert_eq!(size_label(35 * 1024), "35 KB");
        assert_eq!(size_label(1_300_000), "1.2 MB");
    }

    #[test]
    fn ids_are_positive_numbers() {
        assert!(parse_id("12").is_ok());
        for bad in ["0", "-1", "abc", "1e3", ""] {
            assert!(matches!(parse_id(bad), Err(AppError::NotFound)), "{bad}");
        }
    }
}
