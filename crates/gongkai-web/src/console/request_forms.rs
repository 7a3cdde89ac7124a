//! What the case page shows of the handling forms: which forms make sense
//! in the case's state (and for this user), their choices, and the posted
//! input when a form is shown again with errors. Also the 受理回执 built
//! when receipt is confirmed.

use super::Choice;
use super::auth::Staff;
use super::request_actions::{
    AnsweredForm, AssignForm, CloseForm, ConsultForm, CorrectionForm, DateForm, ExtensionForm,
    FeeForm, NoteForm, fee_basis,
};
use super::request_case::TriageForm;
use super::request_notices::{facts, mail_context, settings};
use super::requests::calendar;
use crate::AppState;
use crate::error::AppError;
use chrono::NaiveDate;
use gongkai_core::OrgId;
use gongkai_core::UserId;
use gongkai_core::authz::{Action, Principal};
use gongkai_core::request::DeliveryWay;
use gongkai_core::request::case::{CaseAction, CaseStatus, NewCaseEntry, RequestCase};
use gongkai_core::request::case_clock::{CaseClock, ClockPolicy};
use gongkai_core::request::notice::ReceiptInput;
use gongkai_core::request::outcome::Outcome;
use gongkai_core::text::FieldErrors;

/// Every form of the case page, as posted (or empty).
#[derive(Debug, Clone, Default)]
pub struct Forms {
    pub triage: TriageForm,
    pub assign: AssignForm,
    pub note: NoteForm,
    pub correction: CorrectionForm,
    pub corr_back: DateForm,
    pub consult: ConsultForm,
    pub answered: AnsweredForm,
    pub extension: ExtensionForm,
    pub fee: FeeForm,
    pub fee_paid: DateForm,
    pub close: CloseForm,
}

/// The handling part of the case page.
pub struct ActionsView {
    pub forms: Forms,
    /// Receipt known, not closed, and the user handles requests here.
    pub handling: bool,
    pub can_approve: bool,
    pub correction_requestable: bool,
    pub awaiting_correction: bool,
    pub consultable: bool,
    pub answerable: Vec<Choice>,
    pub extendable: bool,
    pub fee_open: bool,
    pub fee_unpaid: bool,
    pub closable: bool,
    pub handlers: Vec<Choice>,
    pub parties: Vec<Choice>,
    pub fee_methods: Vec<Choice>,
    pub outcomes: Vec<Choice>,
    pub disclosed_kinds: Vec<Choice>,
    pub not_held_kinds: Vec<Choice>,
    pub delivery_ways: Vec<Choice>,
    /// The fee as the posted form would assess it (before issuing).
    pub fee_preview: Option<String>,
    pub settings_url: String,
    /// The user may open the agency's notice settings.
    pub settings_editable: bool,
}

impl ActionsView {
    /// Whether the form owning `field` is on the page (otherwise a refusal
    /// is shown as a page notice).
    pub fn shows(&self, field: &str) -> bool {
        match form_of(field) {
            "assign" => self.handling,
            "correction" => self.correction_requestable,
            "correction_received" => self.awaiting_correction,
            "consult" => self.consultable,
            "answered" => !self.answerable.is_empty(),
            "extend" => self.extendable && self.can_approve,
            "fee" => self.fee_open,
            "fee_paid" => self.fee_unpaid,
            _ => self.closable,
        }
    }

    /// Whether `form`'s collapsed section holds an error and so is
    /// rendered open.
    pub fn open(&self, form: &str, errors: &FieldErrors) -> bool {
        errors.0.iter().any(|e| form_of(e.field) == form)
    }
}

/// The handling form on the case page that owns `field`; fields are named
/// with their form's prefix, and the closing form owns the rest.
fn form_of(field: &str) -> &'static str {
    let p = |x: &str| field.starts_with(x);
    if p("assign_") {
        "assign"
    } else if p("corr_") {
        "correction"
    } else if field == "on_corr_back" {
        "correction_received"
    } else if p("consult_") {
        "consult"
    } else if p("answered_") {
        "answered"
    } else if p("ext_") {
        "extend"
    } else if p("fee_") {
        "fee"
    } else if field == "on_fee_paid" {
        "fee_paid"
    } else {
        "close"
    }
}

/// Applications by the same applicant (same ID document number) to the
/// same agency received earlier in the case's calendar month: the 按件
/// position (国办函〔2020〕109号 counts per applicant and natural month).
/// Prefills the fee form; the handler may correct it (e.g. applications
/// split under 一事一申请).
async fn earlier_in_month(state: &AppState, case: &RequestCase) -> Result<u32, AppError> {
    use chrono::Datelike;
    let Some(received) = case.receipt_date() else {
        return Ok(0);
    };
    let page = state
        .store
        .list_requests(&gongkai_core::store::CaseQuery {
            org_ids: vec![case.org_id],
            status: None,
            handler: gongkai_core::store::HandlerFilter::Any,
            year: Some(received.year()),
            offset: 0,
            limit: 10_000,
        })
        .await?;
    let who = &case.application.applicant.id_doc;
    let n = page
        .cases
        .iter()
        .filter(|c| c.id != case.id)
        .filter(|c| {
            let a = &c.application.applicant.id_doc;
            a.doc_type == who.doc_type && a.number == who.number
        })
        .filter(|c| {
            let d = c.receipt_date().unwrap_or(c.arrived_on);
            d.year() == received.year()
                && d.month() == received.month()
                && (d < received || (d == received && c.id < case.id))
        })
        .count();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Users who may handle requests of `org_id` (its staff and those of the
/// organisations above it), with their names.
pub(super) async fn handlers(
    state: &AppState,
    staff: &Staff,
    org_id: OrgId,
) -> Result<Vec<(UserId, String)>, AppError> {
    let ancestry = staff.tree.ancestry(org_id);
    let mut out = Vec::new();
    for u in state.store.list_users(Some(&ancestry)).await? {
        if !u.active {
            continue;
        }
        let grants = state.store.list_grants(u.id).await?;
        if Principal::new(&u, grants).can(Action::HandleRequests, org_id, &staff.tree) {
            out.push((u.id, u.display_name.clone()));
        }
    }
    Ok(out)
}

pub(super) fn saved_message(key: &str) -> Option<&'static str> {
    Some(match key {
        "confirmed" => "已确认收到申请，受理回执已出具。",
        "triaged" => "已作为信访、投诉、举报类申请办结（不予处理），答复告知书已出具。",
        "assigned" => "承办人已更新。",
        "noted" => "备注已添加。",
        "correction" => "已登记补正告知，补正告知书已出具。",
        "corrected" => "已登记收到补正，答复期限重新计算。",
        "consulted" => "已登记征求意见，答复期限暂停计算。",
        "answered" => "已登记收到意见，答复期限恢复计算。",
        "extended" => "已登记延期，延期答复告知书已出具。",
        "fee" => "收费通知已出具。",
        "paid" => "已登记缴费。",
        "closed" => "已办结，答复告知书已出具。",
        _ => return None,
    })
}

/// The confirmation entry with its 受理回执: the due date is computed from
/// the confirmation date (第三十一、三十三条). `Err` is the message for the
/// date field (e.g. the calendar lacks a year).
pub(super) async fn receipt_entry(
    state: &AppState,
    staff: &Staff,
    case: &RequestCase,
    on: NaiveDate,
) -> Result<Result<NewCaseEntry, String>, AppError> {
    let cal = calendar(state).await?;
    let due = match CaseClock::new(on, ClockPolicy::default()).status(&cal, on) {
        Ok(s) => match s.reply {
            Some(r) => r.due,
            None => return Ok(Err("无法计算答复期限".into())),
        },
        Err(e) => return Ok(Err(e.to_string())),
    };
    let s = settings(state, staff, case.org_id).await?;
    let input = ReceiptInput {
        facts: facts(staff, case, on),
        doc_number: None,
        channel: case.channel,
        due_on: due,
        contact: s.contact.clone(),
        issued_on: on,
    };
    Ok(match input.build() {
        Ok(n) => Ok(NewCaseEntry::new(CaseAction::Confirm { on }).issuing(n, mail_context(state))),
        Err(lints) => Err(lints
            .iter()
            .map(|l| l.message.clone())
            .collect::<Vec<_>>()
            .join("；")),
    })
}

pub(super) async fn actions_view(
    state: &AppState,
    staff: &Staff,
    case: &RequestCase,
    mut forms: Forms,
) -> Result<ActionsView, AppError> {
    // Date fields start at today; a re-shown form keeps what was posted.
    let today = state.today().to_string();
    for f in [
        &mut forms.correction.corr_on,
        &mut forms.corr_back.on,
        &mut forms.consult.consult_on,
        &mut forms.answered.answered_on,
        &mut forms.extension.ext_on,
        &mut forms.fee.fee_on,
        &mut forms.fee_paid.on,
        &mut forms.close.close_on,
    ] {
        if f.trim().is_empty() {
            f.clone_from(&today);
        }
    }
    let can_handle = staff.can(Action::HandleRequests, case.org_id);
    let can_approve = staff.can(Action::ApproveRequests, case.org_id);
    let open = matches!(
        case.status,
        CaseStatus::Open | CaseStatus::AwaitingCorrection
    );
    let clock = case
        .clock(ClockPolicy::default())
        .and_then(Result::ok)
        .filter(|_| open);
    let handling = can_handle && clock.is_some();
    let awaiting = case.status == CaseStatus::AwaitingCorrection;
    let c = clock.as_ref();
    let answerable: Vec<Choice> = c
        .map(|c| {
            c.consultations
                .iter()
                .filter(|x| x.answered_on.is_none())
                .map(|x| {
                    let label = format!(
                        "{}（{}发出）",
                        x.party.suspension_reason(),
                        crate::portal::request_view::cn_date(x.sent_on)
                    );
                    Choice::new(x.id, label, &forms.answered.answered_id)
                })
                .collect()
        })
        .unwrap_or_default();
    let handler_list = if handling {
        handlers(state, staff, case.org_id).await?
    } else {
        Vec::new()
    };
    let current_handler = if forms.assign.assign_handler.is_empty() {
        case.handler_id.map(|h| h.to_string()).unwrap_or_default()
    } else {
        forms.assign.assign_handler.clone()
    };
    let mut handler_choices = vec![Choice::new("", "（不指定）", &current_handler)];
    handler_choices.extend(
        handler_list
            .iter()
            .map(|(id, name)| Choice::new(id, name.clone(), &current_handler)),
    );
    let parties = [
        ("third_party", "第三方（第三十二条）"),
        ("other_agency", "其他行政机关（第三十四条）"),
    ]
    .iter()
    .map(|(k, l)| Choice::new(k, *l, &forms.consult.consult_party))
    .collect();
    let fee_methods = [
        ("", "请选择"),
        ("per_application", "按件计收"),
        ("per_page", "按量计收"),
    ]
    .iter()
    .map(|(k, l)| Choice::new(k, *l, &forms.fee.fee_method))
    .collect();
    let mut outcomes = vec![Choice::new("", "请选择办理结果", &forms.close.outcome)];
    outcomes.extend(
        Outcome::ALL
            .iter()
            .map(|o| Choice::new(o.key(), o.label(), &forms.close.outcome)),
    );
    let disclosed_kinds = [
        ("", "（予以公开时选择）"),
        ("already_public", "已主动公开"),
        ("provided", "向申请人提供"),
    ]
    .iter()
    .map(|(k, l)| Choice::new(k, *l, &forms.close.disclosed_kind))
    .collect();
    let not_held_kinds = [
        ("", "（本机关不掌握时选择）"),
        ("not_exist", "信息不存在"),
        ("not_this_agency", "非本机关负责公开"),
    ]
    .iter()
    .map(|(k, l)| Choice::new(k, *l, &forms.close.not_held_kind))
    .collect();
    let way = if forms.close.delivery_way.is_empty() {
        case.application.delivery.as_str().to_string()
    } else {
        forms.close.delivery_way.clone()
    };
    let delivery_ways = DeliveryWay::ALL
        .iter()
        .map(|w| Choice::new(w.as_str(), w.label(), &way))
        .collect();
    if open && forms.fee.fee_earlier.trim().is_empty() && c.is_some_and(|c| c.fee.is_none()) {
        forms.fee.fee_earlier = earlier_in_month(state, case).await?.to_string();
    }
    if forms.fee.fee_units.trim().is_empty() {
        forms.fee.fee_units = "1".into();
    }
    let fee_preview = if forms.fee.fee_method.is_empty() {
        None
    } else {
        let mut e = FieldErrors::new();
        fee_basis(&forms.fee, &mut e)
            .and_then(|b| b.assess().ok())
            .map(|b| b.explain())
    };
    Ok(ActionsView {
        handling,
        can_approve: can_approve && clock.is_some(),
        correction_requestable: handling && c.is_some_and(|c| c.correction.is_none()),
        awaiting_correction: handling && awaiting,
        consultable: handling && !awaiting,
        answerable: if handling { answerable } else { Vec::new() },
        extendable: clock.is_some() && !awaiting && c.is_some_and(|c| c.extension.is_none()),
        fee_open: handling && !awaiting && c.is_some_and(|c| c.fee.is_none()),
        fee_unpaid: handling
            && c.is_some_and(|c| c.fee.as_ref().is_some_and(|f| f.paid_on.is_none())),
        closable: handling,
        handlers: handler_choices,
        parties,
        fee_methods,
        outcomes,
        disclosed_kinds,
        not_held_kinds,
        delivery_ways,
        fee_preview,
        settings_url: format!("/console/notice-settings/{}", case.org_id),
        settings_editable: can_handle || staff.can(Action::ManageOrg, case.org_id),
        forms,
    })
}
