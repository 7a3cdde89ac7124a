//! `/console/requests`: the 依申请公开 cases of the agencies where the user
//! handles (HandleRequests) or approves (ApproveRequests) requests, and the
//! registration of applications received in person, by post or by fax.
//! Supervisors who only have `View` see counts per agency, never a case.
//! The case page and its actions are in `request_case.rs`.

use super::auth::{Posted, Staff};
use super::{Choice, Nav};
use crate::error::{AppError, render};
use crate::portal::apply::{new_form_token, new_query_code};
use crate::portal::request_view::{
    ApplicationChoices, ApplicationFields, ClockView, clock_view, cn_date,
};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use gongkai_core::authz::Action;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::request::case::{
    CaseStatus, IntakeForm, RequestCase, STAFF_CHANNELS, arrival_label, channel_key,
};
use gongkai_core::store::{CaseQuery, HandlerFilter, StoreError};
use gongkai_core::text::FieldErrors;
use gongkai_core::{OrgId, UserId};
use serde::Deserialize;
use std::collections::HashMap;

const PAGE_SIZE: i64 = 50;

/// Agencies whose cases (with personal data) the user may open.
pub(super) fn case_scope(staff: &Staff) -> Vec<OrgId> {
    let mut s = staff.scope(Action::HandleRequests);
    s.extend(staff.scope(Action::ApproveRequests));
    s.sort_unstable();
    s.dedup();
    s
}

/// The effective working-day calendar (shipped plus imported years).
pub(super) async fn calendar(state: &AppState) -> Result<WorkdayCalendar, AppError> {
    WorkdayCalendar::effective(&state.store.list_calendar_years().await?)
        .map_err(|e| AppError::Internal(format!("calendar: {e}")))
}

/// Display names of the users of `orgs`, for handler columns.
pub(super) async fn user_names(
    state: &AppState,
    orgs: &[OrgId],
) -> Result<HashMap<UserId, String>, AppError> {
    Ok(state
        .store
        .list_users(Some(orgs))
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

struct CaseRow {
    id: i64,
    number: String,
    org: String,
    channel: &'static str,
    applicant: String,
    arrived: String,
    clock: ClockView,
    due: String,
    handler: String,
}

struct CountRow {
    org: String,
    unconfirmed: i64,
    open: i64,
    awaiting: i64,
    closed: i64,
    total: i64,
}

#[derive(Template)]
#[template(path = "console/requests.html")]
struct ListPage {
    layout: Layout,
    nav: Nav,
    can_register: bool,
    has_cases: bool,
    rows: Vec<CaseRow>,
    total: i64,
    statuses: Vec<Choice>,
    assigned: Vec<Choice>,
    years: Vec<Choice>,
    orgs: Vec<Choice>,
    prev: Option<String>,
    next: Option<String>,
    counts: Vec<CountRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    assigned: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    page: String,
}

impl ListQuery {
    fn href(&self, page: i64) -> String {
        let enc = super::auth::encode_component;
        format!(
            "/console/requests?status={}&assigned={}&year={}&org={}&page={page}",
            enc(&self.status),
            enc(&self.assigned),
            enc(&self.year),
            enc(&self.org)
        )
    }
}

fn row(
    staff: &Staff,
    c: &RequestCase,
    cal: &WorkdayCalendar,
    today: chrono::NaiveDate,
    names: &HashMap<UserId, String>,
) -> CaseRow {
    let clock = clock_view(c, cal, today);
    CaseRow {
        id: c.id,
        number: c.number.clone(),
        org: staff.org_name(c.org_id),
        channel: c.channel.label(),
        applicant: format!(
            "{}（{}）",
            c.application.applicant.name,
            c.application.applicant.kind.label()
        ),
        arrived: cn_date(c.arrived_on),
        due: clock.due.map(cn_date).unwrap_or_default(),
        clock,
        handler: match c.handler_id {
            Some(id) if id == staff.user.id => "我".into(),
            Some(id) => names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("用户{id}")),
            None => String::new(),
        },
    }
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scope = case_scope(&staff);
    let view_only: Vec<OrgId> = staff
        .scope(Action::View)
        .into_iter()
        .filter(|o| !scope.contains(o))
        .collect();
    if scope.is_empty() && view_only.is_empty() {
        return Err(AppError::Forbidden);
    }
    let today = state.today();
    let year = q.year.trim().parse::<i32>().ok();
    let org_filter = q
        .org
        .trim()
        .parse::<OrgId>()
        .ok()
        .filter(|o| scope.contains(o));
    let page_no = q.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let query = CaseQuery {
        org_ids: org_filter.map_or_else(|| scope.clone(), |o| vec![o]),
        status: CaseStatus::parse(&q.status),
        handler: match q.assigned.as_str() {
            "me" => HandlerFilter::User(staff.user.id),
            "none" => HandlerFilter::Unassigned,
            _ => HandlerFilter::Any,
        },
        year,
        offset: (page_no - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let page = state.store.list_requests(&query).await?;
    let cal = calendar(&state).await?;
    let names = user_names(&state, &scope).await?;
    let rows = page
        .cases
        .iter()
        .map(|c| row(&staff, c, &cal, today, &names))
        .collect();
    let mut counts: Vec<CountRow> = Vec::new();
    for c in state.store.count_requests(&view_only, year).await? {
        let org = staff.org_name(c.org_id);
        if counts.last().is_none_or(|r| r.org != org) {
            counts.push(CountRow {
                org,
                unconfirmed: 0,
                open: 0,
                awaiting: 0,
                closed: 0,
                total: 0,
            });
        }
        if let Some(r) = counts.last_mut() {
            match c.status {
                CaseStatus::Unconfirmed => r.unconfirmed += c.count,
                CaseStatus::Open => r.open += c.count,
                CaseStatus::AwaitingCorrection => r.awaiting += c.count,
                CaseStatus::Closed => r.closed += c.count,
            }
            r.total += c.count;
        }
    }
    let mut statuses = vec![Choice::new("", "全部状态", &q.status)];
    statuses.extend(
        CaseStatus::ALL
            .iter()
            .map(|s| Choice::new(s.as_str(), s.label(), &q.status)),
    );
    let assigned = vec![
        Choice::new("", "全部", &q.assigned),
        Choice::new("me", "我承办的", &q.assigned),
        Choice::new("none", "未分派", &q.assigned),
    ];
    let mut years = vec![Choice::new("", "全部年度", &q.year)];
    years.extend(
        (2019..=today.year())
            .rev()
            .map(|y| Choice::new(y, format!("{y}年"), &q.year)),
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
        layout: staff.layout("依申请公开"),
        nav: staff.nav("requests"),
        can_register: !staff.scope(Action::HandleRequests).is_empty(),
        has_cases: !scope.is_empty(),
        rows,
        total: page.total,
        statuses,
        assigned,
        years,
        orgs,
        prev: (page_no > 1).then(|| q.href(page_no - 1)),
        next: (page_no < pages).then(|| q.href(page_no + 1)),
        counts,
    };
    Ok(render(&list)?.into_response())
}

// ---------- registering a paper, oral or faxed application ----------

#[derive(Debug, Default, Deserialize)]
pub struct NewCaseForm {
    #[serde(flatten)]
    fields: ApplicationFields,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    arrived_on: String,
    /// One-time token: reloading the result page must not register twice.
    #[serde(default)]
    form_token: String,
}

#[derive(Template)]
#[template(path = "console/requests_new.html")]
struct NewPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    form_token: String,
    orgs: Vec<Choice>,
    channels: Vec<Choice>,
    arrived_on: String,
    f: ApplicationFields,
    choices: ApplicationChoices,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "console/requests_created.html")]
struct CreatedPage {
    layout: Layout,
    nav: Nav,
    id: i64,
    number: String,
    code: String,
    org: String,
    needs_confirmation: bool,
}

fn new_page(staff: &Staff, form: NewCaseForm, errors: FieldErrors) -> Result<Response, AppError> {
    let scope = staff.scope(Action::HandleRequests);
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut orgs = vec![Choice::new("", "请选择", &form.org_id)];
    orgs.extend(
        staff
            .tree_order()
            .into_iter()
            .filter(|o| o.active && scope.contains(&o.id))
            .map(|o| Choice::new(o.id, o.name.clone(), &form.org_id)),
    );
    let mut channels = vec![Choice::new("", "请选择", &form.channel)];
    channels.extend(STAFF_CHANNELS.iter().map(|c| {
        Choice::new(
            channel_key(*c),
            format!("{}（以{}为准）", c.label(), arrival_label(*c)),
            &form.channel,
        )
    }));
    let form_token = if form.form_token.is_empty() {
        new_form_token()?
    } else {
        form.form_token
    };
    let page = NewPage {
        layout: staff.layout("登记申请"),
        nav: staff.nav("requests"),
        csrf: staff.csrf.clone(),
        form_token,
        orgs,
        channels,
        arrived_on: form.arrived_on,
        choices: form.fields.choices(),
        f: form.fields,
        errors,
    };
    Ok(render(&page)?.into_response())
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let form = NewCaseForm {
        arrived_on: state.today().to_string(),
        ..Default::default()
    };
    new_page(&staff, form, FieldErrors::new())
}

pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form }: Posted<NewCaseForm>,
) -> Result<Response, AppError> {
    let today = state.today();
    let intake = IntakeForm {
        channel: form.channel.clone(),
        arrived_on: form.arrived_on.clone(),
    }
    .validate(form.fields.to_form().validate(), today);
    let org_id = form
        .org_id
        .trim()
        .parse::<OrgId>()
        .ok()
        .filter(|o| staff.can(Action::HandleRequests, *o))
        .filter(|o| staff.org(*o).is_some_and(|x| x.active));
    let intake = match (intake, org_id) {
        (Ok(i), Some(o)) => (i, o),
        (result, org) => {
            let mut errors = result.err().unwrap_or_default();
            if org.is_none() {
                errors.add("org_id", "请选择收到申请的机关");
            }
            return new_page(&staff, form, errors);
        }
    };
    let (intake, org_id) = intake;
    if form.form_token.is_empty() {
        return Err(AppError::BadRequest(
            "表单缺少登记标识，请重新打开登记页面。".into(),
        ));
    }
    let code = new_query_code()?;
    let case = match state
        .store
        .create_request(
            &staff.actor(),
            org_id,
            &intake,
            &code,
            Some(&form.form_token),
        )
        .await
    {
        Ok(c) => c,
        Err(StoreError::Conflict { .. }) => {
            return Ok(crate::error::error_response(
                StatusCode::CONFLICT,
                "申请已登记",
                "这份登记表此前已经提交，没有重复登记。请在申请列表中查看该申请。".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let page = CreatedPage {
        layout: staff.layout("申请已登记"),
        nav: staff.nav("requests"),
        id: case.id,
        org: staff.org_name(case.org_id),
        needs_confirmation: case.status == CaseStatus::Unconfirmed,
        number: case.number,
        code: code.grouped(),
    };
    Ok(render(&page)?.into_response())
}
