//! `/console/appeals`: the 行政复议/行政诉讼 register (年报表四).
//!
//! Case handlers and approvers (`HandleRequests` / `ApproveRequests`) record
//! and edit the challenges to their agencies' handling; supervisors with
//! `View` see the register of their subtree without the notes (staff text
//! that may name the applicant). A record outside the user's scope is a 404.
//! The case page lists the records of its case ([`for_case`]).

use super::auth::{Posted, Staff};
use super::requests::case_scope;
use super::{Choice, Nav, see_other};
use crate::error::{AppError, render};
use crate::portal::request_view::cn_date;
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::request::appeal::{
    Appeal, AppealDraft, AppealForm, AppealKind, AppealResult, AppealTally,
};
use gongkai_core::request::case::{CaseId, RequestCase};
use gongkai_core::store::{AppealQuery, StoreError};
use gongkai_core::text::FieldErrors;
use serde::Deserialize;

const PAGE_SIZE: i64 = 50;

/// Agencies whose register the user may read: writers plus `View`.
fn view_scope(staff: &Staff) -> Vec<OrgId> {
    let mut s = case_scope(staff);
    s.extend(staff.scope(Action::View));
    s.sort_unstable();
    s.dedup();
    s
}

struct Row {
    id: i64,
    org: String,
    kind: &'static str,
    filed: String,
    organ: String,
    reference: String,
    result: &'static str,
    decided: String,
    /// (case id, link allowed) — the link only for users who may open cases.
    case: Option<(CaseId, bool)>,
    editable: bool,
}

/// One 表四 group for the summary table.
struct TallyGroup {
    label: &'static str,
    cells: Vec<i64>,
}

#[derive(Template)]
#[template(path = "console/appeals.html")]
struct ListPage {
    layout: Layout,
    nav: Nav,
    can_write: bool,
    rows: Vec<Row>,
    total: i64,
    years: Vec<Choice>,
    kinds: Vec<Choice>,
    results: Vec<Choice>,
    orgs: Vec<Choice>,
    tally_year: i32,
    tally: Vec<TallyGroup>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    page: String,
}

impl ListQuery {
    fn href(&self, page: i64) -> String {
        let enc = super::auth::encode_component;
        format!(
            "/console/appeals?year={}&kind={}&result={}&org={}&page={page}",
            enc(&self.year),
            enc(&self.kind),
            enc(&self.result),
            enc(&self.org)
        )
    }
}

fn tally_groups(t: &AppealTally) -> Vec<TallyGroup> {
    let cells = t.cells();
    AppealKind::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| TallyGroup {
            label: k.label(),
            cells: cells[i * 5..i * 5 + 5].to_vec(),
        })
        .collect()
}

fn row(staff: &Staff, a: &Appeal, writers: &[OrgId]) -> Row {
    let d = &a.draft;
    let editable = writers.contains(&d.org_id);
    Row {
        id: a.id,
        org: staff.org_name(d.org_id),
        kind: d.kind.label(),
        filed: cn_date(d.filed_on),
        organ: d.organ.clone(),
        reference: d.reference.clone().unwrap_or_default(),
        result: d.result.label(),
        decided: d.decided_on.map(cn_date).unwrap_or_default(),
        case: d.case_id.map(|c| (c, editable)),
        editable,
    }
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scope = view_scope(&staff);
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    let writers = case_scope(&staff);
    let today = state.today();
    let year = q.year.trim().parse::<i32>().ok();
    let org_filter = q
        .org
        .trim()
        .parse::<OrgId>()
        .ok()
        .filter(|o| scope.contains(o));
    let org_ids = org_filter.map_or_else(|| scope.clone(), |o| vec![o]);
    let page_no = q.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let query = AppealQuery {
        org_ids: org_ids.clone(),
        case_id: None,
        year,
        kind: AppealKind::parse(&q.kind),
        result: AppealResult::parse(&q.result),
        offset: (page_no - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let page = state.store.list_appeals(&query).await?;
    // Without a year filter the summary shows last year: the year whose
    // annual report is being written in the first quarter.
    let tally_year = year.unwrap_or(today.year() - 1);
    let tally = state.store.count_appeals(&org_ids, tally_year).await?;
    let mut years = vec![Choice::new("", "全部年度", &q.year)];
    years.extend(
        (2019..=today.year())
            .rev()
            .map(|y| Choice::new(y, format!("{y}年"), &q.year)),
    );
    let mut kinds = vec![Choice::new("", "全部类型", &q.kind)];
    kinds.extend(
        AppealKind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), k.label(), &q.kind)),
    );
    let mut results = vec![Choice::new("", "全部结果", &q.result)];
    results.extend(
        AppealResult::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), r.label(), &q.result)),
    );
    let mut orgs = vec![Choice::new("", "全部机构", &q.org)];
    orgs.extend(
        staff
            .tree_order()
            .into_iter()
            .filter(|o| scope.contains(&o.id))
            .map(|o| Choice::new(o.id, o.name.clone(), &q.org)),
    );
    let pages = (page.total + PAGE_SIZE - 1) / PAGE_SIZE;
    let list = ListPage {
        layout: staff.layout("行政复议、行政诉讼"),
        nav: staff.nav("requests"),
        can_write: !writers.is_empty(),
        rows: page
            .appeals
            .iter()
            .map(|a| row(&staff, a, &writers))
            .collect(),
        total: page.total,
        years,
        kinds,
        results,
        orgs,
        tally_year,
        tally: tally_groups(&tally),
        prev: (page_no > 1).then(|| q.href(page_no - 1)),
        next: (page_no < pages).then(|| q.href(page_no + 1)),
    };
    Ok(render(&list)?.into_response())
}

// ---------- new / edit ----------

#[derive(Debug, Default, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    org_id: String,
    #[serde(flatten)]
    fields: AppealForm,
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    case: String,
}

#[derive(Template)]
#[template(path = "console/appeal_form.html")]
struct FormPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    heading: &'static str,
    action: String,
    orgs: Vec<Choice>,
    kinds: Vec<Choice>,
    results: Vec<Choice>,
    f: AppealForm,
    /// The linked case's number and id, when the user may open it.
    case: Option<(CaseId, String)>,
    errors: FieldErrors,
    saved: bool,
    /// A refusal by the store that belongs to no single field.
    notice: Option<String>,
}

/// The message above the form.
enum Flash {
    None,
    /// Back from a successful save (`?saved=1`).
    Saved,
    /// The store refused the record (a rule no single field shows).
    Refused(String),
}

fn form_page(
    staff: &Staff,
    heading: &'static str,
    action: String,
    form: EditForm,
    case: Option<&RequestCase>,
    errors: FieldErrors,
    flash: Flash,
) -> Result<Response, AppError> {
    let writers = case_scope(staff);
    let mut orgs = vec![Choice::new("", "请选择", &form.org_id)];
    orgs.extend(
        staff
            .tree_order()
            .into_iter()
            .filter(|o| writers.contains(&o.id))
            .map(|o| Choice::new(o.id, o.name.clone(), &form.org_id)),
    );
    let f = form.fields;
    let mut kinds = vec![Choice::new("", "请选择", &f.kind)];
    kinds.extend(
        AppealKind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), k.label(), &f.kind)),
    );
    let mut results = vec![Choice::new("", "请选择", &f.result)];
    results.extend(
        AppealResult::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), r.label(), &f.result)),
    );
    let page = FormPage {
        layout: staff.layout(heading),
        nav: staff.nav("requests"),
        csrf: staff.csrf.clone(),
        heading,
        action,
        orgs,
        kinds,
        results,
        case: case.map(|c| (c.id, c.number.clone())),
        f,
        errors,
        saved: matches!(flash, Flash::Saved),
        notice: match flash {
            Flash::Refused(m) => Some(m),
            Flash::None | Flash::Saved => None,
        },
    };
    Ok(render(&page)?.into_response())
}

/// A case the user may open, or `None` (unknown and out-of-scope alike).
async fn case_in_scope(
    state: &AppState,
    staff: &Staff,
    id: CaseId,
) -> Result<Option<RequestCase>, AppError> {
    Ok(state
        .store
        .get_request(id)
        .await?
        .filter(|c| case_scope(staff).contains(&c.org_id)))
}

/// Validates the form: the agency must be one the user writes for, and a
/// linked case one of that agency's that the user may open.
async fn validate(
    state: &AppState,
    staff: &Staff,
    form: &EditForm,
) -> Result<(Result<AppealDraft, FieldErrors>, Option<RequestCase>), AppError> {
    let org_id = form
        .org_id
        .trim()
        .parse::<OrgId>()
        .ok()
        .filter(|o| case_scope(staff).contains(o));
    let mut result = form.fields.validate(org_id.unwrap_or(0), state.today());
    let mut extra = FieldErrors::new();
    if org_id.is_none() {
        extra.add("org_id", "请选择被申请复议或被起诉的机关");
    }
    let mut case = None;
    if let Ok(d) = &result
        && let Some(cid) = d.case_id
    {
        case = case_in_scope(state, staff, cid).await?;
        if case.as_ref().is_none_or(|c| Some(c.org_id) != org_id) {
            extra.add("case_id", "关联的申请不存在，或不属于所选机关");
        }
    }
    if !extra.is_empty() {
        let mut errors = result.err().unwrap_or_default();
        errors.0.extend(extra.0);
        result = Err(errors);
    }
    Ok((result, case))
}

pub async fn new_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    if case_scope(&staff).is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut form = EditForm::default();
    let mut case = None;
    if let Ok(id) = q.case.trim().parse::<CaseId>() {
        case = case_in_scope(&state, &staff, id).await?;
        let c = case.as_ref().ok_or(AppError::NotFound)?;
        form.org_id = c.org_id.to_string();
        form.fields.case_id = c.id.to_string();
    }
    form.fields.result = AppealResult::Pending.as_str().into();
    form_page(
        &staff,
        "登记行政复议、行政诉讼",
        "/console/appeals/new".into(),
        form,
        case.as_ref(),
        FieldErrors::new(),
        Flash::None,
    )
}

pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form }: Posted<EditForm>,
) -> Result<Response, AppError> {
    if case_scope(&staff).is_empty() {
        return Err(AppError::Forbidden);
    }
    save(&state, &staff, form, None).await
}

/// Validates and stores a new record (`existing: None`) or an edit; the
/// form again with the errors or the store's refusal otherwise.
async fn save(
    state: &AppState,
    staff: &Staff,
    form: EditForm,
    existing: Option<i64>,
) -> Result<Response, AppError> {
    let (result, case) = validate(state, staff, &form).await?;
    let (heading, action) = match existing {
        None => ("登记行政复议、行政诉讼", "/console/appeals/new".to_string()),
        Some(id) => ("编辑行政复议、行政诉讼", format!("/console/appeals/{id}")),
    };
    let refused = |form, errors, flash| {
        form_page(
            staff,
            heading,
            action.clone(),
            form,
            case.as_ref(),
            errors,
            flash,
        )
    };
    let draft = match result {
        Ok(d) => d,
        Err(errors) => return refused(form, errors, Flash::None),
    };
    let saved = match existing {
        None => {
            state
                .store
                .create_appeal(&staff.actor(), &draft, state.today())
                .await
        }
        Some(id) => {
            state
                .store
                .update_appeal(&staff.actor(), id, &draft, state.today())
                .await
        }
    };
    match saved {
        Ok(a) => Ok(see_other(&format!("/console/appeals/{}?saved=1", a.id))),
        Err(StoreError::Invalid(m)) => refused(form, FieldErrors::new(), Flash::Refused(m)),
        Err(e) => Err(e.into()),
    }
}

/// Loads a record the user may edit: 404 outside the read scope, 403 for
/// readers who may not write.
async fn load(state: &AppState, staff: &Staff, raw: &str) -> Result<Appeal, AppError> {
    let id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
    let a = state
        .store
        .get_appeal(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !view_scope(staff).contains(&a.draft.org_id) {
        return Err(AppError::NotFound);
    }
    if !case_scope(staff).contains(&a.draft.org_id) {
        return Err(AppError::Forbidden);
    }
    Ok(a)
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let a = load(&state, &staff, &id).await?;
    let case = match a.draft.case_id {
        Some(c) => case_in_scope(&state, &staff, c).await?,
        None => None,
    };
    let form = EditForm {
        org_id: a.draft.org_id.to_string(),
        fields: AppealForm::from_draft(&a.draft),
    };
    form_page(
        &staff,
        "编辑行政复议、行政诉讼",
        format!("/console/appeals/{}", a.id),
        form,
        case.as_ref(),
        FieldErrors::new(),
        if q.saved.is_empty() {
            Flash::None
        } else {
            Flash::Saved
        },
    )
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<EditForm>,
) -> Result<Response, AppError> {
    let a = load(&state, &staff, &id).await?;
    save(&state, &staff, form, Some(a.id)).await
}

// ---------- the case page's section ----------

/// One record as the case page lists it.
pub struct CaseAppealLine {
    pub id: i64,
    pub kind: &'static str,
    pub filed: String,
    pub organ: String,
    pub result: &'static str,
}

/// The case page's 复议/诉讼 section (template
/// `console/requests_case_appeals.html`).
pub struct CaseAppeals {
    pub case_id: CaseId,
    pub lines: Vec<CaseAppealLine>,
}

/// The records linked to `case` (the caller has already checked that the
/// user may open it).
pub async fn for_case(state: &AppState, case: &RequestCase) -> Result<CaseAppeals, AppError> {
    let page = state
        .store
        .list_appeals(&AppealQuery {
            org_ids: vec![case.org_id],
            case_id: Some(case.id),
            year: None,
            kind: None,
            result: None,
            offset: 0,
            limit: 100,
        })
        .await?;
    Ok(CaseAppeals {
        case_id: case.id,
        lines: page
            .appeals
            .iter()
            .map(|a| CaseAppealLine {
                id: a.id,
                kind: a.draft.kind.label(),
                filed: cn_date(a.draft.filed_on),
                organ: a.draft.organ.clone(),
                result: a.draft.result.label(),
            })
            .collect(),
    })
}
