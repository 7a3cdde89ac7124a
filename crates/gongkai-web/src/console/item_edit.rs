//! Drafting: `/console/items/new?org=` (a new item of an agency where the
//! user may DraftItems), `/console/items/{id}/edit` (the open version: the
//! author while it is a 草稿, a reviewer — not the author — during
//! 保密审查, to fix what the scanner found), and the attachments of the
//! open version (upload, replace with a redacted file, remove).
//!
//! The form is the full [`ItemForm`]: every problem comes back next to its
//! field with the input kept. The 栏目 select lists the agency's stored
//! columns; an agency without any gets the default tree first. The 废止
//! link is typed as the repealing item's 索引号 and resolved here.

use super::auth::{Posted, Staff};
use super::item_actions::rescan;
use super::item_page::{AttRow, att_rows, load};
use super::upload::{PostedUpload, UploadPolicy, body_limit_layer};
use super::{Choice, Empty, Nav, SavedQuery, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::item::attachment::ATTACHMENT_MAX_BYTES;
use gongkai_core::item::column::Column;
use gongkai_core::item::taxonomy::{Taxonomy, default_columns};
use gongkai_core::item::{
    DisclosureMode, DocKind, ItemDetail, ItemForm, ItemId, ValidityKind, VersionState,
};
use gongkai_core::store::StoreError;
use gongkai_core::text::FieldErrors;
use serde::Deserialize;

/// One attachment per upload, up to the attachment model's hard limit
/// (the configured `max_upload_mb` is checked after reading).
pub struct ItemFile;

impl UploadPolicy for ItemFile {
    const MAX_FILES: usize = 1;
    const MAX_FILE_BYTES: usize = ATTACHMENT_MAX_BYTES as usize;
    const MAX_TEXT_BYTES: usize = 256;

    fn may_post(staff: &Staff) -> bool {
        !staff.scope(Action::DraftItems).is_empty() || !staff.scope(Action::ReviewItems).is_empty()
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/items/new", get(new_form).post(create))
        .route("/items/{id}/edit", get(edit_form).post(update))
        .route(
            "/items/{id}/attachments",
            post(upload).layer(body_limit_layer::<ItemFile>()),
        )
        .route("/items/{id}/attachments/{att}/remove", post(remove))
}

/// The form as posted. Unlike [`ItemForm`], the 废止 link is the
/// repealing item's 索引号 (what staff know), and the agency travels with
/// a new item.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItemInput {
    pub org: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub issuers: String,
    pub doc_number: String,
    pub written_on: String,
    pub formed_on: String,
    pub topic: String,
    pub column_id: String,
    pub genre: String,
    pub keywords: String,
    pub disclosure: String,
    pub doc_kind: String,
    pub validity: String,
    pub validity_on: String,
    pub repealed_by_index: String,
}

impl ItemInput {
    fn to_form(&self, repealed_by: Option<ItemId>) -> ItemForm {
        ItemForm {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            issuers: self.issuers.clone(),
            doc_number: self.doc_number.clone(),
            written_on: self.written_on.clone(),
            formed_on: self.formed_on.clone(),
            topic: self.topic.clone(),
            column_id: self.column_id.clone(),
            genre: self.genre.clone(),
            keywords: self.keywords.clone(),
            disclosure: self.disclosure.clone(),
            doc_kind: self.doc_kind.clone(),
            validity: self.validity.clone(),
            validity_on: self.validity_on.clone(),
            repealed_by: repealed_by.map(|i| i.to_string()).unwrap_or_default(),
        }
    }

    fn from_form(f: ItemForm, org: OrgId, repealed_by_index: String) -> Self {
        Self {
            org: org.to_string(),
            title: f.title,
            summary: f.summary,
            body: f.body,
            issuers: f.issuers,
            doc_number: f.doc_number,
            written_on: f.written_on,
            formed_on: f.formed_on,
            topic: f.topic,
            column_id: f.column_id,
            genre: f.genre,
            keywords: f.keywords,
            disclosure: f.disclosure,
            doc_kind: f.doc_kind,
            validity: f.validity,
            validity_on: f.validity_on,
            repealed_by_index,
        }
    }
}

#[derive(Template)]
#[template(path = "console/item_form.html")]
struct FormPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    /// `None` for a new item.
    id: Option<ItemId>,
    version: i32,
    heading: String,
    org_id: OrgId,
    org_name: String,
    /// More than one agency to draft for: offer to switch.
    other_orgs: bool,
    f: ItemInput,
    errors: FieldErrors,
    notice: Option<String>,
    saved: Option<&'static str>,
    columns: Vec<Choice>,
    topics: Vec<Choice>,
    genres: Vec<Choice>,
    disclosures: Vec<Choice>,
    doc_kinds: Vec<Choice>,
    validities: Vec<Choice>,
    attachments: Vec<AttRow>,
    upload_error: Option<String>,
    max_mb: u64,
}

#[derive(Template)]
#[template(path = "console/item_org.html")]
struct OrgPage {
    layout: Layout,
    nav: Nav,
    orgs: Vec<Choice>,
}

/// The agency's columns, seeding the default tree when it has none.
async fn columns(state: &AppState, staff: &Staff, org: OrgId) -> Result<Vec<Column>, AppError> {
    let cols = state.store.list_item_columns(org).await?;
    if !cols.is_empty() {
        return Ok(cols);
    }
    let o = staff.org(org).ok_or(AppError::NotFound)?;
    Ok(state
        .store
        .seed_item_columns(&staff.actor(), org, &default_columns(o.kind, o.level))
        .await?)
}

/// Active columns in tree order, indented; the current one stays listed
/// even if it was deactivated since.
fn column_choices(cols: &[Column], current: &str) -> Vec<Choice> {
    fn walk(
        cols: &[Column],
        parent: Option<i64>,
        depth: usize,
        current: &str,
        out: &mut Vec<Choice>,
    ) {
        for c in cols.iter().filter(|c| c.parent_id == parent) {
            if c.active || c.id.to_string() == current {
                let label = format!("{}{}", "　".repeat(depth), c.name);
                out.push(Choice::new(c.id, label, current));
            }
            walk(cols, Some(c.id), depth + 1, current, out);
        }
    }
    let mut out = vec![Choice::new("", "（请选择）", current)];
    walk(cols, None, 0, current, &mut out);
    out
}

fn keyed<T: Copy>(
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    current: &str,
) -> Vec<Choice> {
    let mut out = vec![Choice::new("", "（请选择）", current)];
    out.extend(all.iter().map(|x| Choice::new(key(*x), label(*x), current)));
    out
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    staff: &Staff,
    org: OrgId,
    detail: Option<&ItemDetail>,
    f: ItemInput,
    errors: FieldErrors,
    notice: Option<String>,
    saved: Option<&'static str>,
    upload_error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tax = Taxonomy::shipped();
    let cols = columns(state, staff, org).await?;
    let mut topics = vec![Choice::new("", "（请选择）", &f.topic)];
    topics.extend(
        tax.topics
            .iter()
            .map(|t| Choice::new(&t.key, t.name.clone(), &f.topic)),
    );
    let mut genres = vec![Choice::new("", "（请选择）", &f.genre)];
    genres.extend(
        tax.genres
            .iter()
            .map(|g| Choice::new(&g.key, g.name.clone(), &f.genre)),
    );
    let heading = match detail {
        None => "起草信息".to_string(),
        Some(d) => format!("修改信息（第{}版）", d.latest().version),
    };
    let p = FormPage {
        layout: staff.layout(&heading),
        nav: staff.nav("items"),
        csrf: staff.csrf.clone(),
        id: detail.map(|d| d.item.id),
        version: detail.map_or(1, |d| d.latest().version),
        heading,
        org_id: org,
        org_name: staff.org_name(org),
        other_orgs: detail.is_none() && staff.orgs_for(Action::DraftItems).len() > 1,
        columns: column_choices(&cols, &f.column_id),
        topics,
        genres,
        disclosures: keyed(
            DisclosureMode::ALL,
            DisclosureMode::as_str,
            DisclosureMode::label,
            &f.disclosure,
        ),
        doc_kinds: keyed(DocKind::ALL, DocKind::as_str, DocKind::label, &f.doc_kind),
        validities: keyed(
            ValidityKind::ALL,
            ValidityKind::as_str,
            ValidityKind::label,
            &f.validity,
        ),
        attachments: detail.map(|d| att_rows(d, d.latest())).unwrap_or_default(),
        upload_error,
        max_mb: state.upload_limits.max_bytes / (1024 * 1024),
        f,
        errors,
        notice,
        saved,
    };
    Ok((status, render(&p)?).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    org: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let orgs = staff.orgs_for(Action::DraftItems);
    if orgs.is_empty() {
        return Err(AppError::Forbidden);
    }
    let org = match q.org.as_deref().map(str::parse::<OrgId>) {
        Some(Ok(id)) => id,
        Some(Err(_)) => return Err(AppError::NotFound),
        None if orgs.len() == 1 => orgs[0].id,
        None => {
            let p = OrgPage {
                layout: staff.layout("起草信息"),
                nav: staff.nav("items"),
                orgs: super::org_choices(&staff, &orgs, ""),
            };
            return Ok(render(&p)?.into_response());
        }
    };
    staff.require(Action::DraftItems, org)?;
    let f = ItemInput {
        org: org.to_string(),
        disclosure: DisclosureMode::Proactive.as_str().into(),
        doc_kind: DocKind::Other.as_str().into(),
        validity: ValidityKind::Effective.as_str().into(),
        issuers: staff.org_name(org),
        formed_on: state.today().to_string(),
        ..Default::default()
    };
    form_page(
        &state,
        &staff,
        org,
        None,
        f,
        FieldErrors::new(),
        None,
        None,
        None,
        StatusCode::OK,
    )
    .await
}

/// Validates the input; resolves the 废止 link by 索引号.
async fn validate(
    state: &AppState,
    f: &ItemInput,
    this: Option<ItemId>,
) -> Result<Result<gongkai_core::item::ItemDraft, FieldErrors>, AppError> {
    let mut link_error = None;
    let mut repealed_by = None;
    let index = f.repealed_by_index.trim();
    if !index.is_empty() {
        match state.store.find_item_by_index_no(index).await? {
            Some(id) if Some(id) == this => link_error = Some("不能关联本信息自身".to_string()),
            Some(id) => repealed_by = Some(id),
            None => link_error = Some(format!("未找到索引号为“{index}”的信息，请核对")),
        }
    }
    let mut result = f.to_form(repealed_by).validate();
    if let Some(m) = link_error {
        let mut e = match result {
            Ok(_) => FieldErrors::new(),
            Err(e) => e,
        };
        // The core reports a link on a non-repealed item; one message is enough.
        e.0.retain(|x| x.field != "repealed_by");
        e.add("repealed_by", m);
        result = Err(e);
    }
    Ok(result.map_err(|mut e| {
        for x in &mut e.0 {
            if x.field == "repealed_by" {
                x.field = "repealed_by_index";
            }
        }
        e
    }))
}

pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form }: Posted<ItemInput>,
) -> Result<Response, AppError> {
    let org: OrgId = form.org.trim().parse().map_err(|_| AppError::NotFound)?;
    staff.require(Action::DraftItems, org)?;
    let draft = match validate(&state, &form, None).await? {
        Ok(d) => d,
        Err(e) => {
            return form_page(
                &state,
                &staff,
                org,
                None,
                form,
                e,
                None,
                None,
                None,
                StatusCode::OK,
            )
            .await;
        }
    };
    match state.store.create_item(&staff.actor(), org, &draft).await {
        Ok(d) => Ok(see_other(&format!(
            "/console/items/{}/edit?saved=created",
            d.item.id
        ))),
        Err(StoreError::Invalid(m)) => {
            form_page(
                &state,
                &staff,
                org,
                None,
                form,
                FieldErrors::new(),
                Some(m),
                None,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The item if the user may change its open version at all (role-wise);
/// the author rule and the state are the store's to check.
async fn load_editable(state: &AppState, staff: &Staff, id: &str) -> Result<ItemDetail, AppError> {
    let detail = load(state, staff, id).await?;
    let org = detail.item.org_id;
    if !(staff.can(Action::DraftItems, org) || staff.can(Action::ReviewItems, org)) {
        return Err(AppError::Forbidden);
    }
    Ok(detail)
}

fn saved_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "created" => "信息已起草。可以继续上传附件；完成后到信息页面提交审查。",
        "revised" => {
            "已建立新版本草稿。修改完成后到信息页面提交审查；原版本在新版本发布前保持公开。"
        }
        "updated" => "已保存修改。",
        "attached" => "附件已上传。",
        "removed" => "附件已删除。",
        _ => return None,
    })
}

async fn input_of(state: &AppState, detail: &ItemDetail) -> Result<ItemInput, AppError> {
    let meta = &detail.latest().meta;
    let index = match meta.validity.repealed_by() {
        Some(id) => state
            .store
            .get_item(id)
            .await?
            .and_then(|d| d.item.index_no)
            .map(|i| i.as_str().to_string())
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(ItemInput::from_form(
        ItemForm::from_draft(meta),
        detail.item.org_id,
        index,
    ))
}

/// Not open for editing: say why on the edit page rather than offering a form.
fn closed_notice(detail: &ItemDetail) -> Option<String> {
    let s = detail.latest().state;
    (!matches!(s, VersionState::Draft | VersionState::InReview))
        .then(|| format!("当前状态为“{s}”，不能修改；已发布的信息请在信息页面选择“修订”或“更正”。"))
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let detail = load_editable(&state, &staff, &id).await?;
    let f = input_of(&state, &detail).await?;
    let saved = q.saved.as_deref().and_then(saved_message);
    form_page(
        &state,
        &staff,
        detail.item.org_id,
        Some(&detail),
        f,
        FieldErrors::new(),
        closed_notice(&detail),
        saved,
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<ItemInput>,
) -> Result<Response, AppError> {
    let detail = load_editable(&state, &staff, &id).await?;
    let org = detail.item.org_id;
    let draft = match validate(&state, &form, Some(detail.item.id)).await? {
        Ok(d) => d,
        Err(e) => {
            return form_page(
                &state,
                &staff,
                org,
                Some(&detail),
                form,
                e,
                None,
                None,
                None,
                StatusCode::OK,
            )
            .await;
        }
    };
    match state
        .store
        .update_item(&staff.actor(), detail.item.id, &draft)
        .await
    {
        Ok(d) => Ok(see_other(&format!(
            "/console/items/{}?saved=updated",
            d.item.id
        ))),
        Err(StoreError::Invalid(m)) => {
            form_page(
                &state,
                &staff,
                org,
                Some(&detail),
                form,
                FieldErrors::new(),
                Some(m),
                None,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Re-renders the edit page with a message next to the file field.
async fn upload_refused(
    state: &AppState,
    staff: &Staff,
    detail: &ItemDetail,
    status: StatusCode,
    message: String,
) -> Result<Response, AppError> {
    let f = input_of(state, detail).await?;
    form_page(
        state,
        staff,
        detail.item.org_id,
        Some(detail),
        f,
        FieldErrors::new(),
        closed_notice(detail),
        None,
        Some(message),
        status,
    )
    .await
}

/// Adds an attachment to the open version; with a `replace` field, the new
/// file takes the place of that attachment (a redacted copy of a file the
/// scanner flagged) and the version is scanned again at once.
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    upload: PostedUpload<ItemFile>,
) -> Result<Response, AppError> {
    let staff = &upload.staff;
    let detail = load_editable(&state, staff, &id).await?;
    let replace = match upload.field("replace").trim() {
        "" => None,
        r => {
            let att: i64 = r.parse().map_err(|_| AppError::NotFound)?;
            if !detail.latest().attachments.iter().any(|a| a.id == att) {
                return Err(AppError::NotFound);
            }
            Some(att)
        }
    };
    let refuse = |status, m: String| upload_refused(&state, staff, &detail, status, m);
    let file = match upload.store_single(&state, |_, _| ()).await? {
        Ok(f) => f,
        Err((status, m)) => return refuse(status, m).await,
    };
    let actor = staff.actor();
    match state
        .store
        .add_item_attachment(&actor, detail.item.id, &file.accepted.to_new_attachment())
        .await
    {
        Ok(_) => {}
        // The bytes stay stored unreferenced: content addressed, they may
        // already belong to another record.
        Err(StoreError::Invalid(m)) => return refuse(StatusCode::CONFLICT, m).await,
        Err(e) => return Err(e.into()),
    }
    let Some(old) = replace else {
        return Ok(see_other(&format!(
            "/console/items/{}/edit?saved=attached",
            detail.item.id
        )));
    };
    let replaced = match state
        .store
        .remove_item_attachment(&actor, detail.item.id, old)
        .await
    {
        Ok(d) => d,
        Err(StoreError::Invalid(m)) => return refuse(StatusCode::CONFLICT, m).await,
        Err(e) => return Err(e.into()),
    };
    match rescan(&state, staff, &replaced).await? {
        Ok(_) => Ok(see_other(&format!(
            "/console/items/{}?saved=replaced",
            detail.item.id
        ))),
        Err(m) => refuse(StatusCode::CONFLICT, m).await,
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Path((id, att)): Path<(String, String)>,
    Posted { staff, form: _ }: Posted<Empty>,
) -> Result<Response, AppError> {
    let detail = load_editable(&state, &staff, &id).await?;
    let att: i64 = att.parse().map_err(|_| AppError::NotFound)?;
    match state
        .store
        .remove_item_attachment(&staff.actor(), detail.item.id, att)
        .await
    {
        Ok(d) => Ok(see_other(&format!(
            "/console/items/{}/edit?saved=removed",
            d.item.id
        ))),
        Err(StoreError::Invalid(m)) => {
            upload_refused(&state, &staff, &detail, StatusCode::CONFLICT, m).await
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(id: i64, parent: Option<i64>, name: &str, active: bool) -> Column {
        Column {
            id,
            org_id: 1,
            parent_id: parent,
            key: None,
            name: name.into(),
            basis: None,
            sort_order: 0,
            active,
        }
    }

    #[test]
    fn columns_are_offered_in_tree_order_without_inactive_ones() {
        let cols = vec![
            col(1, None, "法定主动公开内容", true),
            col(2, Some(1), "政策文件", true),
            col(3, Some(1), "旧栏目", false),
            col(4, Some(2), "行政规范性文件", true),
        ];
        let labels: Vec<String> = column_choices(&cols, "4")
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(
            labels,
            [
                "（请选择）",
                "法定主动公开内容",
                "　政策文件",
                "　　行政规范性文件"
            ]
        );
        let kept = column_choices(&cols, "3");
        assert!(
            kept.iter().any(|c| c.value == "3" && c.selected),
            "the current column stays"
        );
    }
}
