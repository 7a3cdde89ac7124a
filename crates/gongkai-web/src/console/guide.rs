//! 公开指南 texts and 公开制度 documents of one organisation
//! (both need `Action::EditGuide` there).

use super::SavedQuery;
use super::auth::{Posted, Staff};
use super::{Empty, Nav, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::guide::{GuideText, missing_elements};
use gongkai_core::org::Organisation;
use gongkai_core::policy_doc::{PolicyDoc, PolicyDocForm};
use gongkai_core::text::FieldErrors;
use serde::Deserialize;

fn guarded(staff: &Staff, id: OrgId) -> Result<Organisation, AppError> {
    let org = staff.org(id).cloned().ok_or(AppError::NotFound)?;
    staff.require(Action::EditGuide, id)?;
    Ok(org)
}

struct MissingItem {
    label: &'static str,
    /// Contact data is edited on the organisation page, not here.
    on_org_page: bool,
}

#[derive(Template)]
#[template(path = "console/guide.html")]
struct GuidePage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    org_id: OrgId,
    org_name: String,
    can_edit_org: bool,
    form: GuideText,
    missing: Vec<MissingItem>,
    errors: FieldErrors,
    saved: bool,
}

fn guide_page(
    staff: &Staff,
    org: &Organisation,
    stored: &GuideText,
    form: GuideText,
    errors: FieldErrors,
    saved: bool,
) -> Result<Response, AppError> {
    let missing = missing_elements(org, stored)
        .into_iter()
        .map(|e| MissingItem {
            label: e.label(),
            on_org_page: !e.edited_in_guide(),
        })
        .collect();
    let page = GuidePage {
        layout: staff.layout(&format!("公开指南：{}", org.name)),
        nav: staff.nav("orgs"),
        csrf: staff.csrf.clone(),
        org_id: org.id,
        org_name: org.name.clone(),
        can_edit_org: staff.can(Action::ManageOrg, org.id),
        form,
        missing,
        errors,
        saved,
    };
    Ok(render(&page)?.into_response())
}

pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<OrgId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let org = guarded(&staff, id)?;
    let guide = state.store.get_guide(id).await?;
    guide_page(
        &staff,
        &org,
        &guide,
        guide.clone(),
        FieldErrors::new(),
        q.saved.is_some(),
    )
}

#[derive(Deserialize)]
#[serde(default)]
#[derive(Default)]
pub struct GuidePost {
    classification: String,
    arrangement: String,
    access: String,
    extra: String,
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<OrgId>,
    Posted { staff, form: p }: Posted<GuidePost>,
) -> Result<Response, AppError> {
    let org = guarded(&staff, id)?;
    let input = GuideText {
        classification: p.classification,
        arrangement: p.arrangement,
        access: p.access,
        extra: p.extra,
    };
    match GuideText::validate(&input) {
        Ok(g) => {
            state.store.put_guide(&staff.actor(), id, &g).await?;
            Ok(see_other(&format!("/console/orgs/{id}/guide?saved=1")))
        }
        Err(e) => {
            let stored = state.store.get_guide(id).await?;
            guide_page(&staff, &org, &stored, input, e, false)
        }
    }
}

struct DocRow {
    id: i64,
    title: String,
    issued_on: String,
}

#[derive(Template)]
#[template(path = "console/rules.html")]
struct RulesPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    org_id: OrgId,
    org_name: String,
    docs: Vec<DocRow>,
}

pub async fn rules(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let org = guarded(&staff, id)?;
    let docs = state
        .store
        .list_policy_docs(id)
        .await?
        .into_iter()
        .map(|d| DocRow {
            id: d.id,
            title: d.title,
            issued_on: d.issued_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    let page = RulesPage {
        layout: staff.layout(&format!("公开制度：{}", org.name)),
        nav: staff.nav("orgs"),
        csrf: staff.csrf.clone(),
        org_id: id,
        org_name: org.name,
        docs,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "console/rule_form.html")]
struct RuleFormPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    org_id: OrgId,
    org_name: String,
    action: String,
    heading: String,
    form: PolicyDocForm,
    errors: FieldErrors,
}

fn rule_page(
    staff: &Staff,
    org: &Organisation,
    doc: Option<i64>,
    form: PolicyDocForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let (heading, action) = match doc {
        Some(d) => (
            "编辑公开制度".to_string(),
            format!("/console/orgs/{}/rules/{d}", org.id),
        ),
        None => (
            "新增公开制度".to_string(),
            format!("/console/orgs/{}/rules/new", org.id),
        ),
    };
    let page = RuleFormPage {
        layout: staff.layout(&heading),
        nav: staff.nav("orgs"),
        csrf: staff.csrf.clone(),
        org_id: org.id,
        org_name: org.name.clone(),
        action,
        heading,
        form,
        errors,
    };
    Ok(render(&page)?.into_response())
}

pub async fn rule_new(staff: Staff, Path(id): Path<OrgId>) -> Result<Response, AppError> {
    let org = guarded(&staff, id)?;
    rule_page(
        &staff,
        &org,
        None,
        PolicyDocForm::default(),
        FieldErrors::new(),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RulePost {
    title: String,
    body: String,
    issued_on: String,
}

impl RulePost {
    fn into_form(self) -> PolicyDocForm {
        PolicyDocForm {
            title: self.title,
            body: self.body,
            issued_on: self.issued_on,
        }
    }
}

pub async fn rule_create(
    State(state): State<AppState>,
    Path(id): Path<OrgId>,
    Posted { staff, form: p }: Posted<RulePost>,
) -> Result<Response, AppError> {
    let org = guarded(&staff, id)?;
    let form = p.into_form();
    match form.validate() {
        Ok(d) => {
            state
                .store
                .create_policy_doc(&staff.actor(), id, &d)
                .await?;
            Ok(see_other(&format!("/console/orgs/{id}/rules")))
        }
        Err(e) => rule_page(&staff, &org, None, form, e),
    }
}

/// The document, if it belongs to the organisation in the path.
async fn load_doc(state: &AppState, org: OrgId, doc: i64) -> Result<PolicyDoc, AppError> {
    match state.store.get_policy_doc(doc).await? {
        Some(d) if d.org_id == org => Ok(d),
        _ => Err(AppError::NotFound),
    }
}

pub async fn rule_edit(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, doc)): Path<(OrgId, i64)>,
) -> Result<Response, AppError> {
    let org = guarded(&staff, id)?;
    let d = load_doc(&state, id, doc).await?;
    let form = PolicyDocForm {
        title: d.title,
        body: d.body.as_str().to_string(),
        issued_on: d.issued_on.map(|d| d.to_string()).unwrap_or_default(),
    };
    rule_page(&staff, &org, Some(doc), form, FieldErrors::new())
}

pub async fn rule_update(
    State(state): State<AppState>,
    Path((id, doc)): Path<(OrgId, i64)>,
    Posted { staff, form: p }: Posted<RulePost>,
) -> Result<Response, AppError> {
    let org = guarded(&staff, id)?;
    load_doc(&state, id, doc).await?;
    let form = p.into_form();
    match form.validate() {
        Ok(d) => {
            state
                .store
                .update_policy_doc(&staff.actor(), doc, &d)
                .await?;
            Ok(see_other(&format!("/console/orgs/{id}/rules")))
        }
        Err(e) => rule_page(&staff, &org, Some(doc), form, e),
    }
}

pub async fn rule_delete(
    State(state): State<AppState>,
    Path((id, doc)): Path<(OrgId, i64)>,
    Posted { staff, .. }: Posted<Empty>,
) -> Result<Response, AppError> {
    guarded(&staff, id)?;
    load_doc(&state, id, doc).await?;
    state.store.delete_policy_doc(&staff.actor(), doc).await?;
    Ok(see_other(&format!("/console/orgs/{id}/rules")))
}
