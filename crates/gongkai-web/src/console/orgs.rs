//! Organisations: list, view, edit, create below a parent. Closing or
//! merging an agency is done by clearing `active` and naming a successor;
//! nothing is ever deleted.

use super::SavedQuery;
use super::auth::{Posted, Staff};
use super::{Choice, Nav, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_core::authz::Action;
use gongkai_core::org::{OrgDraft, OrgForm, OrgKind, OrgLevel, Organisation};
use gongkai_core::text::FieldErrors;
use gongkai_core::{OrgId, StoreError};
use serde::Deserialize;

struct OrgRow {
    id: OrgId,
    name: String,
    depth: usize,
    kind: &'static str,
    level: &'static str,
    active: bool,
    can_edit: bool,
    can_guide: bool,
    can_create_child: bool,
}

#[derive(Template)]
#[template(path = "console/orgs.html")]
struct OrgListPage {
    layout: Layout,
    nav: Nav,
    rows: Vec<OrgRow>,
}

pub async fn list(staff: Staff) -> Result<Response, AppError> {
    let rows = staff
        .orgs_for(Action::View)
        .into_iter()
        .map(|o| OrgRow {
            id: o.id,
            name: o.name.clone(),
            depth: staff.depth(o.id),
            kind: o.kind.label(),
            level: o.level.label(),
            active: o.active,
            can_edit: staff.can(Action::ManageOrg, o.id),
            can_guide: staff.can(Action::EditGuide, o.id),
            can_create_child: staff.can(Action::CreateChildOrg, o.id),
        })
        .collect();
    let page = OrgListPage {
        layout: staff.layout("机构管理"),
        nav: staff.nav("orgs"),
        rows,
    };
    Ok(render(&page)?.into_response())
}

/// The raw form as posted: `OrgForm` plus the checkbox, successor and parent.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct OrgPost {
    name: String,
    short_name: String,
    code: String,
    kind: String,
    level: String,
    sort_order: String,
    /// Checkbox: present when ticked.
    active: Option<String>,
    successor_id: String,
    parent: String,
    office_name: String,
    address: String,
    office_hours: String,
    phone: String,
    fax: String,
    email: String,
    website: String,
    postcode: String,
}

impl OrgPost {
    fn to_form(&self) -> OrgForm {
        OrgForm {
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            code: self.code.clone(),
            kind: self.kind.clone(),
            level: self.level.clone(),
            sort_order: self.sort_order.clone(),
            active: self.active.is_some(),
            office_name: self.office_name.clone(),
            address: self.address.clone(),
            office_hours: self.office_hours.clone(),
            phone: self.phone.clone(),
            fax: self.fax.clone(),
            email: self.email.clone(),
            website: self.website.clone(),
            postcode: self.postcode.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "console/org_edit.html")]
struct OrgEditPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    heading: String,
    action: String,
    /// Set when editing an existing organisation.
    org_id: Option<OrgId>,
    parent_id: String,
    parent_name: String,
    form: OrgForm,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    levels: Vec<Choice>,
    successors: Vec<Choice>,
    can_guide: bool,
    saved: bool,
}

#[derive(Template)]
#[template(path = "console/org_view.html")]
struct OrgViewPage {
    layout: Layout,
    nav: Nav,
    name: String,
    rows: Vec<(&'static str, String)>,
}

fn kind_choices(current: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", "请选择", current)];
    v.extend(
        OrgKind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), k.label(), current)),
    );
    v
}

fn level_choices(current: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", "请选择", current)];
    v.extend(
        OrgLevel::ALL
            .iter()
            .map(|l| Choice::new(l.as_str(), l.label(), current)),
    );
    v
}

fn successor_choices(staff: &Staff, id: OrgId, current: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", "无", current)];
    let others: Vec<&Organisation> = staff
        .orgs_for(Action::View)
        .into_iter()
        .filter(|o| o.id != id)
        .collect();
    v.extend(super::org_choices(staff, &others, current));
    v
}

struct EditArgs {
    org: Option<OrgId>,
    parent: Option<OrgId>,
    form: OrgForm,
    successor: String,
    errors: FieldErrors,
    saved: bool,
}

fn edit_page(staff: &Staff, a: EditArgs) -> Result<Response, AppError> {
    let (heading, action) = match a.org {
        Some(id) => (
            format!("编辑机构：{}", staff.org_name(id)),
            format!("/console/orgs/{id}"),
        ),
        None => ("新建下级机构".to_string(), "/console/orgs/new".to_string()),
    };
    let page = OrgEditPage {
        layout: staff.layout(&heading),
        nav: staff.nav("orgs"),
        csrf: staff.csrf.clone(),
        heading,
        action,
        org_id: a.org,
        parent_id: a.parent.map(|p| p.to_string()).unwrap_or_default(),
        parent_name: a.parent.map(|p| staff.org_name(p)).unwrap_or_default(),
        kinds: kind_choices(&a.form.kind),
        levels: level_choices(&a.form.level),
        successors: a
            .org
            .map(|id| successor_choices(staff, id, &a.successor))
            .unwrap_or_default(),
        can_guide: a.org.is_some_and(|id| staff.can(Action::EditGuide, id)),
        form: a.form,
        errors: a.errors,
        saved: a.saved,
    };
    Ok(render(&page)?.into_response())
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "未填写".into())
}

fn view_page(staff: &Staff, o: &Organisation) -> Result<Response, AppError> {
    let c = &o.contact;
    let rows = vec![
        ("机构名称", o.name.clone()),
        ("机构简称", opt(&o.short_name)),
        (
            "机构代码",
            o.code
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_else(|| "未填写".into()),
        ),
        ("机构类型", o.kind.label().to_string()),
        ("行政层级", o.level.label().to_string()),
        (
            "上级机构",
            o.parent_id
                .map(|p| staff.org_name(p))
                .unwrap_or_else(|| "无".into()),
        ),
        (
            "状态",
            if o.active {
                "正常"
            } else {
                "已撤销或合并"
            }
            .to_string(),
        ),
        (
            "承继机构",
            o.successor_id
                .map(|s| staff.org_name(s))
                .unwrap_or_else(|| "无".into()),
        ),
        ("工作机构名称", opt(&c.office_name)),
        ("办公地址", opt(&c.address)),
        ("办公时间", opt(&c.office_hours)),
        ("联系电话", opt(&c.phone)),
        ("传真号码", opt(&c.fax)),
        ("电子邮箱", opt(&c.email)),
        ("互联网联系方式", opt(&c.website)),
        ("邮政编码", opt(&c.postcode)),
    ];
    let page = OrgViewPage {
        layout: staff.layout(&o.name),
        nav: staff.nav("orgs"),
        name: o.name.clone(),
        rows,
    };
    Ok(render(&page)?.into_response())
}

pub async fn show(
    staff: Staff,
    Path(id): Path<OrgId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let org = staff.org(id).cloned().ok_or(AppError::NotFound)?;
    staff.require(Action::View, id)?;
    if !staff.can(Action::ManageOrg, id) {
        return view_page(&staff, &org);
    }
    edit_page(
        &staff,
        EditArgs {
            org: Some(id),
            parent: None,
            form: OrgForm::from_org(&org),
            successor: org.successor_id.map(|s| s.to_string()).unwrap_or_default(),
            errors: FieldErrors::new(),
            saved: q.saved.is_some(),
        },
    )
}

/// Parses the successor select: empty, or another organisation the user can see.
fn parse_successor(
    staff: &Staff,
    id: Option<OrgId>,
    raw: &str,
    e: &mut FieldErrors,
) -> Option<OrgId> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<OrgId>() {
        Ok(s) if Some(s) != id && staff.can(Action::View, s) => Some(s),
        _ => {
            e.add("successor_id", "请选择有效的承继机构");
            None
        }
    }
}

/// Validates the posted form into a draft, or the errors to show.
fn validate(
    staff: &Staff,
    id: Option<OrgId>,
    parent: Option<&Organisation>,
    p: &OrgPost,
) -> Result<OrgDraft, FieldErrors> {
    let mut extra = FieldErrors::new();
    let successor = parse_successor(staff, id, &p.successor_id, &mut extra);
    match p.to_form().validate(parent.map(|o| o.level)) {
        Ok(mut d) if extra.is_empty() => {
            d.successor_id = successor;
            Ok(d)
        }
        Ok(_) => Err(extra),
        Err(mut e) => {
            e.0.extend(extra.0);
            Err(e)
        }
    }
}

fn conflict_errors(field: &'static str) -> FieldErrors {
    let mut e = FieldErrors::new();
    if field == "code" {
        e.add("code", "该机构代码已被使用");
    } else {
        e.add(field, "该值已被使用");
    }
    e
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<OrgId>,
    Posted { staff, form: p }: Posted<OrgPost>,
) -> Result<Response, AppError> {
    let org = staff.org(id).cloned().ok_or(AppError::NotFound)?;
    staff.require(Action::ManageOrg, id)?;
    let parent = org.parent_id.and_then(|pid| staff.org(pid));
    let rerender = |errors: FieldErrors| {
        edit_page(
            &staff,
            EditArgs {
                org: Some(id),
                parent: None,
                form: p.to_form(),
                successor: p.successor_id.clone(),
                errors,
                saved: false,
            },
        )
    };
    let draft = match validate(&staff, Some(id), parent, &p) {
        Ok(d) => d,
        Err(e) => return rerender(e),
    };
    match state.store.update_org(&staff.actor(), id, &draft).await {
        Ok(_) => Ok(see_other(&format!("/console/orgs/{id}?saved=1"))),
        Err(StoreError::Conflict { field }) => rerender(conflict_errors(field)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ParentQuery {
    #[serde(default)]
    parent: String,
}

fn parent_for_create(staff: &Staff, raw: &str) -> Result<OrgId, AppError> {
    let parent: OrgId = raw
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("请从上级机构页面进入“新建下级机构”。".into()))?;
    if staff.org(parent).is_none() {
        return Err(AppError::NotFound);
    }
    staff.require(Action::CreateChildOrg, parent)?;
    Ok(parent)
}

pub async fn new_form(staff: Staff, Query(q): Query<ParentQuery>) -> Result<Response, AppError> {
    let parent = parent_for_create(&staff, &q.parent)?;
    let level = staff
        .org(parent)
        .map(|p| p.level.as_str().to_string())
        .unwrap_or_default();
    edit_page(
        &staff,
        EditArgs {
            org: None,
            parent: Some(parent),
            form: OrgForm {
                active: true,
                level,
                ..Default::default()
            },
            successor: String::new(),
            errors: FieldErrors::new(),
            saved: false,
        },
    )
}

pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form: p }: Posted<OrgPost>,
) -> Result<Response, AppError> {
    let parent_id = parent_for_create(&staff, &p.parent)?;
    let parent = staff.org(parent_id);
    let rerender = |errors: FieldErrors| {
        edit_page(
            &staff,
            EditArgs {
                org: None,
                parent: Some(parent_id),
                form: p.to_form(),
                successor: String::new(),
                errors,
                saved: false,
            },
        )
    };
    // A new agency has no successor; ignore whatever was posted.
    let p_no_succ = OrgPost {
        successor_id: String::new(),
        ..p.clone()
    };
    let draft = match validate(&staff, None, parent, &p_no_succ) {
        Ok(d) => d,
        Err(e) => return rerender(e),
    };
    match state
        .store
        .create_org(&staff.actor(), Some(parent_id), &draft)
        .await
    {
        Ok(o) => Ok(see_other(&format!("/console/orgs/{}?saved=1", o.id))),
        Err(StoreError::Conflict { field }) => rerender(conflict_errors(field)),
        Err(e) => Err(e.into()),
    }
}
