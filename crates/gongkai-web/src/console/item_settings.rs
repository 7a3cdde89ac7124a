//! `/console/item-settings/{org}` (目录设置): an agency's 公开目录栏目 tree
//! and its 索引号 template.
//!
//! Who may change them is asked of authz as `DraftItems` or `ManageOrg` on
//! the agency: publishers keep their 专栏's columns in order, and
//! administrators set agencies up (and fix the template when a code
//! changes). Neither touches item content here. Everyone else who may
//! `View` the agency sees the same page read-only; anyone else gets a 404.
//!
//! Columns are never deleted (published items point at them): they are
//! renamed, moved, reordered, deactivated and reactivated. The store
//! refuses a loop or another agency's parent; that message is shown next
//! to the 上级栏目 field.

use super::auth::{Posted, Staff};
use super::{Choice, Nav, SavedQuery, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use gongkai_core::authz::Action;
use gongkai_core::item::column::{self, Column, ColumnForm};
use gongkai_core::item::taxonomy::{default_columns, is_grassroots};
use gongkai_core::item::{ColumnId, IndexTemplate};
use gongkai_core::org::Organisation;
use gongkai_core::store::StoreError;
use gongkai_core::text::FieldErrors;
use gongkai_core::{OrgId, StoreResult};
use serde::Deserialize;
use std::collections::HashSet;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/item-settings", get(index))
        .route("/item-settings/{org}", get(show))
        .route("/item-settings/{org}/seed", post(seed))
        .route("/item-settings/{org}/columns", post(create_column))
        .route(
            "/item-settings/{org}/columns/{id}",
            get(edit_column).post(update_column),
        )
        .route("/item-settings/{org}/columns/{id}/active", post(set_active))
        .route("/item-settings/{org}/template", post(save_template))
}

fn may_edit(staff: &Staff, org: OrgId) -> bool {
    staff.can(Action::DraftItems, org) || staff.can(Action::ManageOrg, org)
}

fn may_view(staff: &Staff, org: OrgId) -> bool {
    may_edit(staff, org) || staff.can(Action::View, org)
}

/// The agency of the URL, if the user may see its settings (else 404, so
/// that another agency's id reveals nothing), and — for a change — may
/// edit them (else 403: the page itself was visible).
fn agency<'a>(staff: &'a Staff, raw: &str, edit: bool) -> Result<&'a Organisation, AppError> {
    let id: OrgId = raw.parse().map_err(|_| AppError::NotFound)?;
    let org = staff.org(id).ok_or(AppError::NotFound)?;
    if !may_view(staff, id) {
        return Err(AppError::NotFound);
    }
    if edit && !may_edit(staff, id) {
        return Err(AppError::Forbidden);
    }
    Ok(org)
}

/// A column of the agency, or 404.
async fn agency_column(
    state: &AppState,
    org: OrgId,
    raw: &str,
) -> Result<(Vec<Column>, Column), AppError> {
    let id: ColumnId = raw.parse().map_err(|_| AppError::NotFound)?;
    let columns = state.store.list_item_columns(org).await?;
    let col = columns
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((columns, col))
}

// ---------- the column tree ----------

struct ColumnRow {
    id: ColumnId,
    name: String,
    depth: usize,
    basis: String,
    sort_order: i32,
    active: bool,
    /// Seeded from a default, or the agency's own (自设).
    from_default: bool,
}

/// Columns depth-first (children under their parent, in the store's
/// sort order). A column whose parent is missing is shown at the top, and
/// a loop in damaged data cannot make this run forever.
fn tree_rows(columns: &[Column]) -> Vec<ColumnRow> {
    fn walk(
        columns: &[Column],
        c: &Column,
        depth: usize,
        seen: &mut HashSet<ColumnId>,
        out: &mut Vec<ColumnRow>,
    ) {
        if !seen.insert(c.id) {
            return;
        }
        out.push(ColumnRow {
            id: c.id,
            name: c.name.clone(),
            depth: depth.min(6),
            basis: c.basis.clone().unwrap_or_default(),
            sort_order: c.sort_order,
            active: c.active,
            from_default: c.key.is_some(),
        });
        for child in columns.iter().filter(|x| x.parent_id == Some(c.id)) {
            walk(columns, child, depth + 1, seen, out);
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(columns.len());
    let ids: HashSet<ColumnId> = columns.iter().map(|c| c.id).collect();
    for root in columns
        .iter()
        .filter(|c| c.parent_id.is_none_or(|p| !ids.contains(&p)))
    {
        walk(columns, root, 0, &mut seen, &mut out);
    }
    // Whatever a loop left unreached still gets a line.
    for c in columns {
        walk(columns, c, 0, &mut seen, &mut out);
    }
    out
}

/// 上级栏目 options: the top level, then every column except `moving` and
/// what lies below it (where the store would refuse it anyway).
fn parent_choices(columns: &[Column], moving: Option<ColumnId>, current: &str) -> Vec<Choice> {
    let excluded: Vec<ColumnId> = moving
        .map(|id| column::subtree(columns, id))
        .unwrap_or_default();
    let mut out = vec![Choice::new("", "（无上级，作为顶级栏目）", current)];
    for row in tree_rows(columns) {
        if excluded.contains(&row.id) {
            continue;
        }
        let mut label = column::path_label(columns, row.id);
        if !row.active {
            label.push_str("（已停用）");
        }
        out.push(Choice::new(row.id, label, current));
    }
    out
}

/// The column form as posted: a checkbox that is not ticked is simply absent.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ColumnFields {
    pub name: String,
    pub parent_id: String,
    pub basis: String,
    pub sort_order: String,
    pub active: Option<String>,
}

impl ColumnFields {
    fn of(c: &Column) -> Self {
        Self {
            name: c.name.clone(),
            parent_id: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            basis: c.basis.clone().unwrap_or_default(),
            sort_order: c.sort_order.to_string(),
            active: c.active.then(|| "1".into()),
        }
    }

    fn form(&self, active: bool) -> ColumnForm {
        ColumnForm {
            parent_id: self.parent_id.clone(),
            name: self.name.clone(),
            basis: self.basis.clone(),
            sort_order: self.sort_order.clone(),
            active,
        }
    }
}

/// The store's refusals of a column write all concern the 上级栏目.
fn parent_error<T>(r: StoreResult<T>) -> Result<Result<T, FieldErrors>, AppError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(StoreError::Invalid(m)) => {
            let mut e = FieldErrors::new();
            e.add("parent_id", m);
            Ok(Err(e))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- the 索引号 template ----------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TemplateFields {
    pub template: String,
    /// Set by the 预览 button: show the example, store nothing.
    pub preview: Option<String>,
}

/// "下一个索引号示例" for `template` at `org` today: this year's first
/// number, or why none can be made.
fn example(
    template: &IndexTemplate,
    org: &Organisation,
    state: &AppState,
) -> Result<String, String> {
    let today = state.today();
    template
        .render(org.code.as_ref(), today.year(), today.month(), 1)
        .map(|n| n.to_string())
        .map_err(|e| e.to_string())
}

// ---------- pages ----------

struct AgencyLink {
    id: OrgId,
    name: String,
    depth: usize,
    editable: bool,
}

#[derive(Template)]
#[template(path = "console/item_settings_index.html")]
struct IndexPage {
    layout: Layout,
    nav: Nav,
    agencies: Vec<AgencyLink>,
}

pub async fn index(staff: Staff) -> Result<Response, AppError> {
    let agencies: Vec<AgencyLink> = staff
        .tree_order()
        .into_iter()
        .filter(|o| may_view(&staff, o.id))
        .map(|o| AgencyLink {
            id: o.id,
            name: o.name.clone(),
            depth: staff.depth(o.id).min(6),
            editable: may_edit(&staff, o.id),
        })
        .collect();
    if agencies.is_empty() {
        return Err(AppError::NotFound);
    }
    let page = IndexPage {
        layout: staff.layout("目录设置"),
        nav: staff.nav("item_settings"),
        agencies,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "console/item_settings.html")]
struct SettingsPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    org_id: OrgId,
    org: String,
    editable: bool,
    saved: Option<&'static str>,
    grassroots: bool,
    default_count: usize,
    rows: Vec<ColumnRow>,
    add: ColumnFields,
    add_errors: FieldErrors,
    parents: Vec<Choice>,
    template_current: String,
    template_form: String,
    template_errors: FieldErrors,
    /// The example for the template in the form (the current one, or a
    /// previewed or refused one).
    example: Result<String, String>,
    previewing: bool,
}

/// What a POST brought back to the page: the add form or the template form
/// with their errors, or nothing.
#[derive(Default)]
struct Refill {
    add: Option<(ColumnFields, FieldErrors)>,
    template: Option<(String, FieldErrors, bool)>,
}

/// The confirmation for `?saved=…` after a change.
fn saved_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "seeded" => "已按默认目录建立栏目。",
        "added" => "栏目已新增。",
        "updated" => "栏目已保存。",
        "activated" => "栏目已启用。",
        "deactivated" => "栏目已停用：不能再向其中新增信息，已发布的信息仍然公开。",
        "template" => "索引号模板已保存，此后首次发布的信息按新模板编号。",
        _ => return None,
    })
}

async fn settings_page(
    state: &AppState,
    staff: &Staff,
    org: &Organisation,
    saved: Option<&'static str>,
    posted: Refill,
) -> Result<Response, AppError> {
    let columns = state.store.list_item_columns(org.id).await?;
    let current = state.store.get_index_template(org.id).await?;
    let (add, add_errors) = posted.add.unwrap_or_default();
    let (template_form, template_errors, previewing) = posted
        .template
        .unwrap_or_else(|| (current.as_str().to_string(), FieldErrors::new(), false));
    let example = match IndexTemplate::parse(&template_form) {
        Ok(t) => example(&t, org, state),
        Err(e) => Err(e.to_string()),
    };
    let page = SettingsPage {
        layout: staff.layout(&format!("目录设置：{}", org.name)),
        nav: staff.nav("item_settings"),
        csrf: staff.csrf.clone(),
        org_id: org.id,
        org: org.name.clone(),
        editable: may_edit(staff, org.id),
        saved,
        grassroots: is_grassroots(org.kind, org.level),
        default_count: default_columns(org.kind, org.level).len(),
        rows: tree_rows(&columns),
        parents: parent_choices(&columns, None, &add.parent_id),
        add,
        add_errors,
        template_current: current.as_str().to_string(),
        template_form,
        template_errors,
        example,
        previewing,
    };
    Ok(render(&page)?.into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(org): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let org = agency(&staff, &org, false)?;
    settings_page(
        &state,
        &staff,
        org,
        saved_message(q.saved.as_deref()),
        Refill::default(),
    )
    .await
}

fn back(org: OrgId, what: &str) -> Response {
    see_other(&format!("/console/item-settings/{org}?saved={what}"))
}

pub async fn seed(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Posted { staff, .. }: Posted<super::Empty>,
) -> Result<Response, AppError> {
    let org = agency(&staff, &org, true)?;
    // Seeding an agency that has columns changes nothing (the store checks
    // inside its transaction), so a second click is harmless.
    state
        .store
        .seed_item_columns(
            &staff.actor(),
            org.id,
            &default_columns(org.kind, org.level),
        )
        .await?;
    Ok(back(org.id, "seeded"))
}

pub async fn create_column(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Posted { staff, form }: Posted<ColumnFields>,
) -> Result<Response, AppError> {
    let org = agency(&staff, &org, true)?;
    let refused = |errors| Refill {
        add: Some((form.clone(), errors)),
        template: None,
    };
    let draft = match form.form(true).validate() {
        Ok(d) => d,
        Err(errors) => {
            return settings_page(&state, &staff, org, None, refused(errors)).await;
        }
    };
    match parent_error(
        state
            .store
            .create_item_column(&staff.actor(), org.id, &draft)
            .await,
    )? {
        Ok(_) => Ok(back(org.id, "added")),
        Err(errors) => settings_page(&state, &staff, org, None, refused(errors)).await,
    }
}

#[derive(Template)]
#[template(path = "console/item_settings_column.html")]
struct ColumnPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    org_id: OrgId,
    org: String,
    editable: bool,
    column_id: ColumnId,
    path: String,
    key: String,
    form: ColumnFields,
    errors: FieldErrors,
    parents: Vec<Choice>,
}

fn column_page(
    staff: &Staff,
    org: &Organisation,
    columns: &[Column],
    col: &Column,
    form: ColumnFields,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = ColumnPage {
        layout: staff.layout(&format!("栏目：{}", col.name)),
        nav: staff.nav("item_settings"),
        csrf: staff.csrf.clone(),
        org_id: org.id,
        org: org.name.clone(),
        editable: may_edit(staff, org.id),
        column_id: col.id,
        path: column::path_label(columns, col.id),
        key: col.key.clone().unwrap_or_default(),
        parents: parent_choices(columns, Some(col.id), &form.parent_id),
        form,
        errors,
    };
    Ok(render(&page)?.into_response())
}

pub async fn edit_column(
    State(state): State<AppState>,
    staff: Staff,
    Path((org, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = agency(&staff, &org, false)?;
    let (columns, col) = agency_column(&state, org.id, &id).await?;
    let form = ColumnFields::of(&col);
    column_page(&staff, org, &columns, &col, form, FieldErrors::new())
}

pub async fn update_column(
    State(state): State<AppState>,
    Path((org, id)): Path<(String, String)>,
    Posted { staff, form }: Posted<ColumnFields>,
) -> Result<Response, AppError> {
    let org = agency(&staff, &org, true)?;
    let (columns, col) = agency_column(&state, org.id, &id).await?;
    let draft = match form.form(form.active.is_some()).validate() {
        Ok(d) => d,
        Err(errors) => return column_page(&staff, org, &columns, &col, form, errors),
    };
    match parent_error(
        state
            .store
            .update_item_column(&staff.actor(), col.id, &draft)
            .await,
    )? {
        Ok(_) => Ok(back(org.id, "updated")),
        Err(errors) => column_page(&staff, org, &columns, &col, form, errors),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActiveFields {
    /// "1" to reactivate, anything else to deactivate.
    pub active: String,
}

/// 停用 / 启用 from the tree, keeping everything else of the column.
pub async fn set_active(
    State(state): State<AppState>,
    Path((org, id)): Path<(String, String)>,
    Posted { staff, form }: Posted<ActiveFields>,
) -> Result<Response, AppError> {
    let org = agency(&staff, &org, true)?;
    let (_, col) = agency_column(&state, org.id, &id).await?;
    let mut fields = ColumnFields::of(&col);
    let active = form.active == "1";
    fields.active = active.then(|| "1".into());
    // The stored column passed validation when it was written, so a
    // failure here is a data problem, not the user's.
    let draft = fields
        .form(active)
        .validate()
        .map_err(|e| AppError::Internal(format!("stored column {} invalid: {e:?}", col.id)))?;
    state
        .store
        .update_item_column(&staff.actor(), col.id, &draft)
        .await?;
    Ok(back(
        org.id,
        if active { "activated" } else { "deactivated" },
    ))
}

pub async fn save_template(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Posted { staff, form }: Posted<TemplateFields>,
) -> Result<Response, AppError> {
    let org = agency(&staff, &org, true)?;
    let previewing = form.preview.is_some();
    let parsed = IndexTemplate::parse(&form.template);
    match parsed {
        Ok(t) if !previewing => {
            state
                .store
                .put_index_template(&staff.actor(), org.id, &t)
                .await?;
            Ok(back(org.id, "template"))
        }
        Ok(_) => {
            let posted = Refill {
                add: None,
                template: Some((form.template, FieldErrors::new(), true)),
            };
            settings_page(&state, &staff, org, None, posted).await
        }
        Err(e) => {
            let mut errors = FieldErrors::new();
            errors.add("template", e.to_string());
            let posted = Refill {
                add: None,
                template: Some((form.template, errors, previewing)),
            };
            settings_page(&state, &staff, org, None, posted).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(id: i64, parent: Option<i64>, name: &str, order: i32) -> Column {
        Column {
            id,
            org_id: 1,
            parent_id: parent,
            key: None,
            name: name.into(),
            basis: None,
            sort_order: order,
            active: true,
        }
    }

    #[test]
    fn rows_follow_the_tree_and_survive_a_loop() {
        let cols = vec![
            col(1, None, "法定主动公开内容", 0),
            col(4, Some(1), "人事信息", 1),
            col(2, Some(1), "财政信息", 2),
            col(3, Some(2), "财政预决算", 0),
            // A loop in damaged data: 5 ↔ 6.
            col(5, Some(6), "甲", 0),
            col(6, Some(5), "乙", 0),
        ];
        let rows = tree_rows(&cols);
        let seen: Vec<(i64, usize)> = rows.iter().map(|r| (r.id, r.depth)).collect();
        assert_eq!(seen, vec![(1, 0), (4, 1), (2, 1), (3, 2), (5, 0), (6, 1)]);
    }

    #[test]
    fn a_column_cannot_be_offered_as_its_own_ancestor() {
        let cols = vec![
            col(1, None, "法定主动公开内容", 0),
            col(2, Some(1), "财政信息", 0),
            col(3, Some(2), "财政预决算", 0),
        ];
        let values: Vec<String> = parent_choices(&cols, Some(2), "1")
            .into_iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(values, vec!["", "1"]);
    }
}
