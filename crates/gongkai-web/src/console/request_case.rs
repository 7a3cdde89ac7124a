//! `/console/requests/{id}`: one case — the application, the timeline,
//! the clock with its "why this is the due date" explanation — and the
//! intake actions: confirming receipt (条例第三十一条, one click, records
//! the 受理回执) and triaging out a 信访/投诉/举报 (第三十九条第一款, closes
//! as 不予处理·信访举报投诉类申请 with a note).
//!
//! A case outside the user's request scope is a 404, so that staff of
//! another agency cannot even learn that a number exists.

use super::auth::{Posted, Staff};
use super::request_actions;
use super::request_forms::{ActionsView, Forms, actions_view, receipt_entry, saved_message};
use super::request_notices::{NoticeRow, mail_context};
use super::requests::{calendar, case_scope, user_names};
use super::{Nav, SavedQuery, see_other};
use crate::error::{AppError, render};
use crate::portal::request_view::{ClockView, clock_view, cn_date, staff_text};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_core::authz::Action;
use gongkai_core::request::case::{CaseAction, CaseId, CaseStatus, NewCaseEntry, RequestCase};
use gongkai_core::request::closing::{Closing, ClosingDetails};
use gongkai_core::request::outcome::Outcome;
use gongkai_core::store::StoreError;
use gongkai_core::text::{self, FieldErrors};
use serde::Deserialize;

/// The kinds of complaint an application may really be (第三十九条第一款).
const TRIAGE_KINDS: [&str; 3] = ["信访", "投诉", "举报"];
const HINT_MAX: usize = 200;

struct EntryRow {
    date: String,
    text: String,
    who: String,
    at: String,
    comment: Option<String>,
}

struct Field {
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "console/requests_case.html")]
struct CasePage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    id: CaseId,
    number: String,
    org: String,
    status: &'static str,
    channel: &'static str,
    arrived: String,
    receipt: Option<String>,
    handler: Option<String>,
    applicant: Vec<Field>,
    info: Vec<Field>,
    entries: Vec<EntryRow>,
    clock: ClockView,
    can_handle: bool,
    unconfirmed: bool,
    closed: bool,
    today: String,
    saved: Option<&'static str>,
    /// A refusal whose form is no longer shown (e.g. confirming a case
    /// someone else confirmed a moment ago).
    notice: Option<String>,
    errors: FieldErrors,
    triage: TriageForm,
    triage_kinds: Vec<super::Choice>,
    /// The handling forms (`request_actions.rs`) and the issued notices.
    act: ActionsView,
    notices: Vec<NoticeRow>,
    appeals: super::appeals::CaseAppeals,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TriageForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    channel_hint: String,
}

/// Loads a case the user may see, or 404.
pub(super) async fn load(
    state: &AppState,
    staff: &Staff,
    raw_id: &str,
) -> Result<RequestCase, AppError> {
    let id: CaseId = raw_id.parse().map_err(|_| AppError::NotFound)?;
    let case = state
        .store
        .get_request(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !case_scope(staff).contains(&case.org_id) {
        return Err(AppError::NotFound);
    }
    Ok(case)
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

pub(super) async fn page(
    state: &AppState,
    staff: &Staff,
    case: &RequestCase,
    saved: Option<&'static str>,
    errors: FieldErrors,
    forms: Forms,
) -> Result<Response, AppError> {
    let act = actions_view(state, staff, case, forms.clone()).await?;
    let triage = forms.triage;
    let can_handle = staff.can(Action::HandleRequests, case.org_id);
    let today = state.today();
    let cal = calendar(state).await?;
    let names = user_names(state, &case_scope(staff)).await?;
    let a = &case.application.applicant;
    let id_number = if can_handle {
        a.id_doc.number.clone()
    } else {
        a.id_doc.masked()
    };
    let applicant = vec![
        Field {
            label: "申请人类型",
            value: a.kind.label().into(),
        },
        Field {
            label: "姓名或者名称",
            value: a.name.clone(),
        },
        Field {
            label: "身份证明",
            value: format!("{} {}", a.id_doc.doc_type.label(), id_number),
        },
        Field {
            label: "联系人",
            value: opt(&a.contact_person),
        },
        Field {
            label: "联系电话",
            value: opt(&a.contact.phone),
        },
        Field {
            label: "电子邮箱",
            value: opt(&a.contact.email),
        },
        Field {
            label: "通信地址",
            value: opt(&a.contact.postal_address),
        },
        Field {
            label: "邮政编码",
            value: opt(&a.contact.postcode),
        },
    ];
    let i = &case.application.info;
    let info = vec![
        Field {
            label: "信息名称",
            value: opt(&i.title),
        },
        Field {
            label: "文号",
            value: opt(&i.doc_number),
        },
        Field {
            label: "特征性描述",
            value: i.description.clone(),
        },
        Field {
            label: "提供形式",
            value: case.application.provision_form.label().into(),
        },
        Field {
            label: "获取方式",
            value: case.application.delivery.label().into(),
        },
    ];
    let entries = case
        .entries
        .iter()
        .map(|e| EntryRow {
            date: e.action.date().map(cn_date).unwrap_or_default(),
            text: match &e.action {
                CaseAction::Assign { handler: Some(h) } => match names.get(h) {
                    Some(name) => format!("分派承办人：{name}"),
                    None => staff_text(e),
                },
                _ => staff_text(e),
            },
            who: e.actor_name.clone(),
            at: crate::beijing::minute(e.at),
            comment: e.comment.clone(),
        })
        .collect();
    let triage_kinds = TRIAGE_KINDS
        .iter()
        .map(|k| super::Choice::new(k, *k, &triage.kind))
        .collect();
    let unconfirmed = case.status == CaseStatus::Unconfirmed;
    let closed = case.status == CaseStatus::Closed;
    let shown = |field: &str| match field {
        "on" => can_handle && unconfirmed,
        "note_text" => true,
        "kind" | "note" | "channel_hint" => can_handle && !closed,
        _ => act.shows(field),
    };
    let notice = errors
        .0
        .iter()
        .find(|e| !shown(e.field))
        .map(|e| e.message.clone());
    let p = CasePage {
        layout: staff.layout(&format!("申请 {}", case.number)),
        nav: staff.nav("requests"),
        csrf: staff.csrf.clone(),
        id: case.id,
        number: case.number.clone(),
        org: staff.org_name(case.org_id),
        status: case.status.label(),
        channel: case.channel.label(),
        arrived: cn_date(case.arrived_on),
        receipt: case.receipt_date().map(cn_date),
        handler: case
            .handler_id
            .map(|h| names.get(&h).cloned().unwrap_or_else(|| format!("用户{h}"))),
        applicant,
        info,
        entries,
        clock: clock_view(case, &cal, today),
        can_handle,
        unconfirmed,
        closed,
        today: today.to_string(),
        saved,
        notice,
        errors,
        triage,
        triage_kinds,
        act,
        notices: super::request_notices::rows(state, case.id).await?,
        appeals: super::appeals::for_case(state, case).await?,
    };
    Ok(render(&p)?.into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let case = load(&state, &staff, &id).await?;
    let saved = q.saved.as_deref().and_then(saved_message);
    page(
        &state,
        &staff,
        &case,
        saved,
        FieldErrors::new(),
        Forms::default(),
    )
    .await
}

/// Appends entries for a handler; a refusal by the rules re-renders the
/// page with the message on `field`. Every case step stores through here.
pub(super) async fn act(
    state: &AppState,
    staff: &Staff,
    case: &RequestCase,
    entries: Vec<NewCaseEntry>,
    field: &'static str,
    forms: Forms,
    done: &str,
) -> Result<Response, AppError> {
    match state
        .store
        .append_request_entries(&staff.actor(), case.id, &entries, state.today())
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/console/requests/{}?saved={done}",
            case.id
        ))),
        Err(StoreError::Invalid(msg)) => {
            let mut errors = FieldErrors::new();
            errors.add(field, msg);
            page(state, staff, case, None, errors, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<ConfirmForm>,
) -> Result<Response, AppError> {
    let case = load(&state, &staff, &id).await?;
    staff.require(Action::HandleRequests, case.org_id)?;
    let on = if form.on.trim().is_empty() {
        Some(state.today())
    } else {
        NaiveDate::parse_from_str(form.on.trim(), "%Y-%m-%d").ok()
    };
    let Some(on) = on else {
        let mut errors = FieldErrors::new();
        errors.add("on", "确认日期格式应为“年-月-日”，如2026-03-02");
        return page(&state, &staff, &case, None, errors, Forms::default()).await;
    };
    let entry = match receipt_entry(&state, &staff, &case, on).await? {
        Ok(e) => e,
        Err(msg) => {
            let mut errors = FieldErrors::new();
            errors.add("on", msg);
            return page(&state, &staff, &case, None, errors, Forms::default()).await;
        }
    };
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "on",
        Forms::default(),
        "confirmed",
    )
    .await
}

pub async fn triage(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<TriageForm>,
) -> Result<Response, AppError> {
    let case = load(&state, &staff, &id).await?;
    staff.require(Action::HandleRequests, case.org_id)?;
    let mut errors = FieldErrors::new();
    let kind = TRIAGE_KINDS.iter().find(|k| **k == form.kind.trim());
    if kind.is_none() {
        errors.add("kind", "请选择信访、投诉或举报");
    }
    let note = text::optional_text(
        &mut errors,
        "note",
        "处理说明",
        &form.note,
        gongkai_core::request::case::COMMENT_MAX - 10,
    );
    if note.is_empty() {
        errors.add("note", "请说明为何不作为政府信息公开申请处理");
    }
    let hint = text::optional(
        &mut errors,
        "channel_hint",
        "相应渠道",
        &form.channel_hint,
        HINT_MAX,
    );
    let forms = Forms {
        triage: form.clone(),
        ..Default::default()
    };
    let (Some(kind), true) = (kind, errors.is_empty()) else {
        return page(&state, &staff, &case, None, errors, forms).await;
    };
    let today = state.today();
    let closing = Closing::new(
        Outcome::RejectPetition,
        ClosingDetails::Petition { channel: hint },
    )
    .ok_or_else(|| AppError::Internal("petition closing does not fit".into()))?;
    let mut entries = Vec::new();
    // An online application triaged before it was confirmed is confirmed
    // today: the 不予处理 notice acknowledges receipt too.
    if case.status == CaseStatus::Unconfirmed {
        entries.push(NewCaseEntry::new(CaseAction::Confirm { on: today }));
    }
    let reply = request_actions::CloseForm {
        delivery_way: case.application.delivery.as_str().into(),
        ..Default::default()
    };
    let notice = match request_actions::reply_notice(
        &state,
        &staff,
        &case,
        &reply,
        closing.clone(),
        today,
        "note",
    )
    .await?
    {
        Ok(n) => n,
        Err(errors) => return page(&state, &staff, &case, None, errors, forms).await,
    };
    entries.push(
        NewCaseEntry::with_comment(
            CaseAction::Close { on: today, closing },
            format!("{kind}：{note}"),
        )
        .issuing(notice, mail_context(&state)),
    );
    act(&state, &staff, &case, entries, "note", forms, "triaged").await
}
