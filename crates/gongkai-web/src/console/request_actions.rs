//! The handler's work on a case (`POST /console/requests/{id}/…`): assign,
//! note, 补正 (request and receipt), consultations (第三十二/三十四条),
//! extension (approvers only, 第三十三条第二款), fee notice and payment,
//! and closing with one of the 21 outcomes.
//!
//! Each step that the 条例 makes a written notice (补正告知书, 延期告知书,
//! 收费通知, 答复告知书) builds it with the core builders first; a lint
//! error goes next to the form field it is about and nothing is stored.
//! The entry then carries the notice to the store, which numbers it,
//! stores it and queues the applicant's e-mail in one transaction.
//!
//! Form fields are prefixed per form, so that one page can carry all the
//! forms with unique field ids and a re-rendered form keeps its input.

use super::auth::{Posted, Staff};
use super::request_case::{act, load, page};
use super::request_forms::Forms;
use super::request_notices::{TO_BE_NUMBERED, facts, lint_errors, mail_context, settings};
use super::requests::calendar;
use crate::AppState;
use crate::error::AppError;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use gongkai_core::authz::Action;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::request::DeliveryWay;
use gongkai_core::request::case::{COMMENT_MAX, CaseAction, NewCaseEntry, RequestCase};
use gongkai_core::request::case_clock::{
    CaseClock, CaseEvent, ClockPolicy, ClockStatus, ConsultedParty,
};
use gongkai_core::request::closing::ClosingForm;
use gongkai_core::request::fees::FeeBasis;
use gongkai_core::request::notice::{
    CorrectionFacts, CorrectionInput, Delivery, ExtensionInput, FeeFacts, FeeNoticeInput,
    ReplyInput, issue,
};
use gongkai_core::text::{self, FieldErrors};
use serde::Deserialize;

const NAME_MAX: usize = 200;
const ITEMS_MAX: usize = 20;

// ---------- forms ----------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    pub assign_handler: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    pub note_text: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    pub corr_on: String,
    #[serde(default)]
    pub corr_reply_by: String,
    /// One item a line (一次性告知).
    #[serde(default)]
    pub corr_items: String,
    #[serde(default)]
    pub corr_guidance: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DateForm {
    #[serde(default)]
    pub on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConsultForm {
    #[serde(default)]
    pub consult_on: String,
    #[serde(default)]
    pub consult_party: String,
    #[serde(default)]
    pub consult_name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnsweredForm {
    #[serde(default)]
    pub answered_on: String,
    #[serde(default)]
    pub answered_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtensionForm {
    #[serde(default)]
    pub ext_on: String,
    #[serde(default)]
    pub ext_days: String,
    #[serde(default)]
    pub ext_reason: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FeeForm {
    #[serde(default)]
    pub fee_on: String,
    /// `per_application` or `per_page`.
    #[serde(default)]
    pub fee_method: String,
    /// 按件: applications by the same applicant earlier this month.
    #[serde(default)]
    pub fee_earlier: String,
    /// 按件: 件 this application counts as.
    #[serde(default)]
    pub fee_units: String,
    #[serde(default)]
    pub fee_pages: String,
    #[serde(default)]
    pub fee_how: String,
    /// Set by the “计算金额” button: show the assessment, store nothing.
    #[serde(default)]
    pub fee_preview: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    pub close_on: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub disclosed_kind: String,
    #[serde(default)]
    pub where_to_find: String,
    #[serde(default)]
    pub not_held_kind: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub competent_agency: String,
    #[serde(default)]
    pub competent_agency_contact: String,
    #[serde(default)]
    pub competent_unknown: String,
    #[serde(default)]
    pub previous_reply: String,
    #[serde(default)]
    pub hint: String,
    #[serde(default)]
    pub specific_basis: String,
    #[serde(default)]
    pub delivery_way: String,
    #[serde(default)]
    pub delivery_note: String,
    /// Attachment titles, one a line.
    #[serde(default)]
    pub attachments: String,
}

impl CloseForm {
    fn closing_form(&self) -> ClosingForm {
        ClosingForm {
            outcome: self.outcome.clone(),
            disclosed_kind: self.disclosed_kind.clone(),
            where_to_find: self.where_to_find.clone(),
            not_held_kind: self.not_held_kind.clone(),
            reason: self.reason.clone(),
            competent_agency: self.competent_agency.clone(),
            competent_agency_contact: self.competent_agency_contact.clone(),
            competent_unknown: !self.competent_unknown.trim().is_empty(),
            previous_reply: self.previous_reply.clone(),
            hint: self.hint.clone(),
        }
    }
}

// ---------- helpers ----------

/// A date field: empty means `today`; a later date is refused by the case
/// rules (`RequestCase::apply`) when the entry is stored.
fn date(
    e: &mut FieldErrors,
    field: &'static str,
    label: &str,
    raw: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(today);
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(field, format!("{label}格式应为“年-月-日”，如2026-03-02"));
            None
        }
    }
}

fn lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The clock as the case stands; a refusal names the problem on `field`.
fn clock(case: &RequestCase) -> Result<CaseClock, String> {
    match case.clock(ClockPolicy::default()) {
        None => Err("请先确认收到申请，再登记办理事项".into()),
        Some(Err(e)) => Err(e.to_string()),
        Some(Ok(c)) => Ok(c),
    }
}

fn status_after(
    case: &RequestCase,
    cal: &WorkdayCalendar,
    extra: Option<&CaseEvent>,
    as_of: NaiveDate,
) -> Result<ClockStatus, String> {
    let mut c = clock(case)?;
    if let Some(ev) = extra {
        c.apply(ev).map_err(|e| e.to_string())?;
    }
    c.status(cal, as_of).map_err(|e| e.to_string())
}

/// The case page again with `errors` and the posted form kept.
async fn again(
    state: &AppState,
    staff: &Staff,
    case: &RequestCase,
    errors: FieldErrors,
    forms: Forms,
) -> Result<Response, AppError> {
    page(state, staff, case, None, errors, forms).await
}

async fn handling(state: &AppState, staff: &Staff, id: &str) -> Result<RequestCase, AppError> {
    let case = load(state, staff, id).await?;
    staff.require(Action::HandleRequests, case.org_id)?;
    Ok(case)
}

// ---------- handlers ----------

pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<AssignForm>,
) -> Result<Response, AppError> {
    let case = handling(&state, &staff, &id).await?;
    let raw = form.assign_handler.trim();
    let handler = if raw.is_empty() {
        None
    } else {
        let candidates = super::request_forms::handlers(&state, &staff, case.org_id).await?;
        match raw
            .parse::<i64>()
            .ok()
            .filter(|u| candidates.iter().any(|(c, _)| c == u))
        {
            Some(u) => Some(u),
            None => {
                let mut e = FieldErrors::new();
                e.add("assign_handler", "请选择本机关的承办人");
                let forms = Forms {
                    assign: form,
                    ..Default::default()
                };
                return again(&state, &staff, &case, e, forms).await;
            }
        }
    };
    let entry = NewCaseEntry::new(CaseAction::Assign { handler });
    let forms = Forms {
        assign: form,
        ..Default::default()
    };
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "assign_handler",
        forms,
        "assigned",
    )
    .await
}

pub async fn note(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<NoteForm>,
) -> Result<Response, AppError> {
    let case = load(&state, &staff, &id).await?;
    // Approvers may note too (e.g. why an extension was refused).
    if !staff.can(Action::HandleRequests, case.org_id) {
        staff.require(Action::ApproveRequests, case.org_id)?;
    }
    let mut e = FieldErrors::new();
    let text = text::optional_text(&mut e, "note_text", "备注", &form.note_text, COMMENT_MAX);
    if text.is_empty() && e.is_empty() {
        e.add("note_text", "请填写备注内容");
    }
    let forms = Forms {
        note: form.clone(),
        ..Default::default()
    };
    if !e.is_empty() {
        return again(&state, &staff, &case, e, forms).await;
    }
    let entry = NewCaseEntry::with_comment(CaseAction::Note, text);
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "note_text",
        forms,
        "noted",
    )
    .await
}

pub async fn correction(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<CorrectionForm>,
) -> Result<Response, AppError> {
    let case = handling(&state, &staff, &id).await?;
    let forms = Forms {
        correction: form.clone(),
        ..Default::default()
    };
    let mut e = FieldErrors::new();
    let on = date(&mut e, "corr_on", "告知日期", &form.corr_on, state.today());
    let reply_by = if form.corr_reply_by.trim().is_empty() {
        e.add("corr_reply_by", "请填写补正期限");
        None
    } else {
        date(
            &mut e,
            "corr_reply_by",
            "补正期限",
            &form.corr_reply_by,
            state.today(),
        )
    };
    let items = lines(&form.corr_items);
    if items.is_empty() {
        e.add("corr_items", "请逐行填写需要补正的事项");
    } else if items.len() > ITEMS_MAX || items.iter().any(|i| text::char_len(i) > NAME_MAX) {
        e.add(
            "corr_items",
            format!("补正事项最多{ITEMS_MAX}项，每项不超过{NAME_MAX}个字符"),
        );
    }
    let guidance = text::optional_text(
        &mut e,
        "corr_guidance",
        "指导和释明",
        &form.corr_guidance,
        1000,
    );
    let (Some(on), Some(reply_by), true) = (on, reply_by, e.is_empty()) else {
        return again(&state, &staff, &case, e, forms).await;
    };
    let Some(received) = case.receipt_date() else {
        e.add("corr_on", "请先确认收到申请");
        return again(&state, &staff, &case, e, forms).await;
    };
    let s = settings(&state, &staff, case.org_id).await?;
    let input = CorrectionInput {
        facts: facts(&staff, &case, received),
        doc_number: TO_BE_NUMBERED.into(),
        items,
        guidance,
        reply_by,
        how_to_submit: s.contact.clone(),
        issued_on: on,
    };
    let notice = match input.build() {
        Ok(n) => n,
        Err(lints) => {
            let e = lint_errors(
                &lints,
                |el| match el {
                    "items" => Some("corr_items"),
                    "deadline" => Some("corr_reply_by"),
                    _ => None,
                },
                "corr_on",
            );
            return again(&state, &staff, &case, e, forms).await;
        }
    };
    let entry = NewCaseEntry::new(CaseAction::Clock {
        event: CaseEvent::CorrectionRequested { on, reply_by },
    })
    .issuing(notice, mail_context(&state));
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "corr_on",
        forms,
        "correction",
    )
    .await
}

pub async fn correction_received(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<DateForm>,
) -> Result<Response, AppError> {
    let case = handling(&state, &staff, &id).await?;
    let mut e = FieldErrors::new();
    let forms = Forms {
        corr_back: form.clone(),
        ..Default::default()
    };
    let Some(on) = date(
        &mut e,
        "on_corr_back",
        "收到补正日期",
        &form.on,
        state.today(),
    ) else {
        return again(&state, &staff, &case, e, forms).await;
    };
    let entry = NewCaseEntry::new(CaseAction::Clock {
        event: CaseEvent::CorrectionReceived { on },
    });
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "on_corr_back",
        forms,
        "corrected",
    )
    .await
}

pub async fn consult(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<ConsultForm>,
) -> Result<Response, AppError> {
    let case = handling(&state, &staff, &id).await?;
    let forms = Forms {
        consult: form.clone(),
        ..Default::default()
    };
    let mut e = FieldErrors::new();
    let on = date(
        &mut e,
        "consult_on",
        "发出征求意见日期",
        &form.consult_on,
        state.today(),
    );
    let party = match form.consult_party.trim() {
        "third_party" => Some(ConsultedParty::ThirdParty),
        "other_agency" => Some(ConsultedParty::OtherAgency),
        _ => {
            e.add("consult_party", "请选择征求意见的对象");
            None
        }
    };
    let name = text::required(
        &mut e,
        "consult_name",
        "被征求意见方名称",
        &form.consult_name,
        NAME_MAX,
    );
    let (Some(on), Some(party), true) = (on, party, e.is_empty()) else {
        return again(&state, &staff, &case, e, forms).await;
    };
    // Ids pair a consultation with its answer; the next free one.
    let next = clock(&case)
        .map(|c| c.consultations.iter().map(|c| c.id).max().unwrap_or(0) + 1)
        .unwrap_or(1);
    let entry = NewCaseEntry::with_comment(
        CaseAction::Clock {
            event: CaseEvent::ConsultationSent {
                id: next,
                party,
                on,
            },
        },
        format!("征求意见：{name}"),
    );
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "consult_on",
        forms,
        "consulted",
    )
    .await
}

pub async fn consult_answered(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<AnsweredForm>,
) -> Result<Response, AppError> {
    let case = handling(&state, &staff, &id).await?;
    let forms = Forms {
        answered: form.clone(),
        ..Default::default()
    };
    let mut e = FieldErrors::new();
    let on = date(
        &mut e,
        "answered_on",
        "收到意见日期",
        &form.answered_on,
        state.today(),
    );
    let cid = form.answered_id.trim().parse::<u32>().ok();
    if cid.is_none() {
        e.add("answered_id", "请选择收到意见的征求意见");
    }
    let (Some(on), Some(cid), true) = (on, cid, e.is_empty()) else {
        return again(&state, &staff, &case, e, forms).await;
    };
    let entry = NewCaseEntry::new(CaseAction::Clock {
        event: CaseEvent::ConsultationAnswered { id: cid, on },
    });
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "answered_id",
        forms,
        "answered",
    )
    .await
}

pub async fn extend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<ExtensionForm>,
) -> Result<Response, AppError> {
    let case = load(&state, &staff, &id).await?;
    // 第三十三条第二款: the 工作机构负责人 approves; a handler asks in a note.
    staff.require(Action::ApproveRequests, case.org_id)?;
    let forms = Forms {
        extension: form.clone(),
        ..Default::default()
    };
    let mut e = FieldErrors::new();
    let on = date(&mut e, "ext_on", "批准日期", &form.ext_on, state.today());
    let days = match form.ext_days.trim().parse::<u32>() {
        Ok(n) if (1..=20).contains(&n) => Some(n),
        _ => {
            e.add("ext_days", "延长的工作日数应为1至20之间的整数");
            None
        }
    };
    let reason = text::required(&mut e, "ext_reason", "延期理由", &form.ext_reason, 1000);
    let (Some(on), Some(days), true) = (on, days, e.is_empty()) else {
        return again(&state, &staff, &case, e, forms).await;
    };
    let cal = calendar(&state).await?;
    let event = CaseEvent::Extended {
        approver: staff.user.id,
        approved_on: on,
        working_days: days,
    };
    let dues = status_after(&case, &cal, None, on)
        .and_then(|before| Ok((before, status_after(&case, &cal, Some(&event), on)?)));
    let (before, after) = match dues {
        Ok(x) => x,
        Err(msg) => {
            e.add("ext_days", msg);
            return again(&state, &staff, &case, e, forms).await;
        }
    };
    let (Some(old), Some(new), Some(received)) = (before.reply, after.reply, case.receipt_date())
    else {
        e.add("ext_days", "等待补正期间不能延长答复期限");
        return again(&state, &staff, &case, e, forms).await;
    };
    let input = ExtensionInput {
        facts: facts(&staff, &case, received),
        doc_number: TO_BE_NUMBERED.into(),
        reason: reason.clone(),
        working_days: days,
        original_due: old.due,
        extended_due: new.due,
        issued_on: on,
    };
    let notice = match input.build() {
        Ok(n) => n,
        Err(lints) => {
            let e = lint_errors(
                &lints,
                |el| match el {
                    "reasons" => Some("ext_reason"),
                    _ => None,
                },
                "ext_days",
            );
            return again(&state, &staff, &case, e, forms).await;
        }
    };
    let entry = NewCaseEntry::with_comment(CaseAction::Clock { event }, reason)
        .issuing(notice, mail_context(&state));
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "ext_days",
        forms,
        "extended",
    )
    .await
}

/// The fee basis of the form, or the errors.
pub(super) fn fee_basis(form: &FeeForm, e: &mut FieldErrors) -> Option<FeeBasis> {
    let num = |e: &mut FieldErrors, field: &'static str, label: &str, raw: &str, min: u32| match raw
        .trim()
        .parse::<u32>()
    {
        Ok(n) if n >= min => Some(n),
        _ => {
            e.add(field, format!("{label}应为不小于{min}的整数"));
            None
        }
    };
    match form.fee_method.trim() {
        "per_application" => {
            let earlier = num(e, "fee_earlier", "本月此前申请件数", &form.fee_earlier, 0);
            let units = num(e, "fee_units", "本申请计件数", &form.fee_units, 1);
            Some(FeeBasis::PerApplication {
                earlier_in_month: earlier?,
                units: units?,
            })
        }
        "per_page" => Some(FeeBasis::PerPage {
            pages: num(e, "fee_pages", "页数", &form.fee_pages, 1)?,
        }),
        _ => {
            e.add("fee_method", "请选择按件或按量计收");
            None
        }
    }
}

pub async fn fee(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<FeeForm>,
) -> Result<Response, AppError> {
    let case = handling(&state, &staff, &id).await?;
    let forms = Forms {
        fee: form.clone(),
        ..Default::default()
    };
    let mut e = FieldErrors::new();
    let on = date(&mut e, "fee_on", "通知日期", &form.fee_on, state.today());
    let basis = fee_basis(&form, &mut e);
    let how = text::optional_text(&mut e, "fee_how", "其他缴费说明", &form.fee_how, 500);
    let (Some(on), Some(basis), true) = (on, basis, e.is_empty()) else {
        return again(&state, &staff, &case, e, forms).await;
    };
    if let Err(err) = basis.assess() {
        e.add("fee_method", err.to_string());
        return again(&state, &staff, &case, e, forms).await;
    }
    if !form.fee_preview.is_empty() {
        // The page shows the amount with its bands (`ActionsView::fee_preview`).
        return again(&state, &staff, &case, e, forms).await;
    }
    let cal = calendar(&state).await?;
    let event = CaseEvent::FeeNoticeSent { on };
    let status = match status_after(&case, &cal, Some(&event), on) {
        Ok(s) => s,
        Err(msg) => {
            e.add("fee_on", msg);
            return again(&state, &staff, &case, e, forms).await;
        }
    };
    let (Some(pay_by), Some(received)) = (status.fee_payment_due, case.receipt_date()) else {
        e.add("fee_on", "无法计算缴费期限");
        return again(&state, &staff, &case, e, forms).await;
    };
    let s = settings(&state, &staff, case.org_id).await?;
    let input = FeeNoticeInput {
        facts: facts(&staff, &case, received),
        doc_number: TO_BE_NUMBERED.into(),
        basis,
        payee: s.payee.clone(),
        account: s.account_line(),
        how_to_pay: how,
        pay_by,
        clock_suspended: ClockPolicy::default().fee_suspends_clock,
        issued_on: on,
    };
    let notice = match input.build() {
        Ok(n) => n,
        Err(lints) => {
            let e = lint_errors(
                &lints,
                |el| match el {
                    "fee" => Some("fee_method"),
                    "payment" => Some("fee_how"),
                    _ => None,
                },
                "fee_on",
            );
            return again(&state, &staff, &case, e, forms).await;
        }
    };
    let entry =
        NewCaseEntry::new(CaseAction::Clock { event }).issuing(notice, mail_context(&state));
    act(&state, &staff, &case, vec![entry], "fee_on", forms, "fee").await
}

pub async fn fee_paid(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<DateForm>,
) -> Result<Response, AppError> {
    let case = handling(&state, &staff, &id).await?;
    let forms = Forms {
        fee_paid: form.clone(),
        ..Default::default()
    };
    let mut e = FieldErrors::new();
    let Some(on) = date(&mut e, "on_fee_paid", "缴费日期", &form.on, state.today()) else {
        return again(&state, &staff, &case, e, forms).await;
    };
    let entry = NewCaseEntry::new(CaseAction::Clock {
        event: CaseEvent::FeePaid { on },
    });
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "on_fee_paid",
        forms,
        "paid",
    )
    .await
}

/// Where a reply lint element is shown on the closing form.
fn close_field(el: &str) -> Option<&'static str> {
    Some(match el {
        "legal_basis" => "specific_basis",
        "reasons" => "reason",
        "where_to_find" => "where_to_find",
        "competent_agency" => "competent_agency",
        "previous_reply" => "previous_reply",
        "delivery" => "delivery_note",
        _ => return None,
    })
}

/// Builds the reply notice for `closing` on `on` and lints it against the
/// clock as of today. Settings errors (no 复议机关 / 法院) go on `fallback`.
pub(super) async fn reply_notice(
    state: &AppState,
    staff: &Staff,
    case: &RequestCase,
    form: &CloseForm,
    closing: gongkai_core::request::closing::Closing,
    on: NaiveDate,
    fallback: &'static str,
) -> Result<Result<gongkai_core::request::notice::Notice, FieldErrors>, AppError> {
    // A case triaged before confirmation is confirmed on the closing day
    // in the same batch.
    let received = case.receipt_date().unwrap_or(on);
    let cal = calendar(state).await?;
    let today = state.today();
    let c = case
        .clock(ClockPolicy::default())
        .unwrap_or_else(|| Ok(CaseClock::new(received, ClockPolicy::default())));
    let status = match c.and_then(|c| c.status(&cal, today)) {
        Ok(s) => s,
        Err(err) => {
            let mut e = FieldErrors::new();
            e.add(fallback, err.to_string());
            return Ok(Err(e));
        }
    };
    let clock = clock(case).ok();
    let correction = clock
        .as_ref()
        .and_then(|c| c.correction.as_ref())
        .map(|c| CorrectionFacts {
            requested_on: c.requested_on,
            reply_by: c.reply_by,
            received_on: c.received_on,
        });
    let fee = match (
        clock.as_ref().and_then(|c| c.fee.as_ref()),
        status.fee_payment_due,
    ) {
        (Some(f), Some(pay_by)) => Some(FeeFacts {
            notice_on: f.sent_on,
            pay_by,
        }),
        _ => None,
    };
    let s = settings(state, staff, case.org_id).await?;
    let way = DeliveryWay::parse(&form.delivery_way).unwrap_or(case.application.delivery);
    let input = ReplyInput {
        facts: facts(staff, case, received),
        doc_number: TO_BE_NUMBERED.into(),
        correction,
        fee,
        closing,
        specific_basis: form.specific_basis.trim().to_string(),
        delivery: Delivery {
            way,
            note: form.delivery_note.trim().to_string(),
        },
        attachments: lines(&form.attachments),
        review_organ: s.review_organ.clone(),
        court: s.court.clone(),
        issued_on: on,
    };
    Ok(issue(&input, &status, today).map_err(|lints| lint_errors(&lints, close_field, fallback)))
}

pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<CloseForm>,
) -> Result<Response, AppError> {
    let case = handling(&state, &staff, &id).await?;
    let forms = Forms {
        close: form.clone(),
        ..Default::default()
    };
    let mut e = FieldErrors::new();
    let on = date(
        &mut e,
        "close_on",
        "办结日期",
        &form.close_on,
        state.today(),
    );
    let closing = form.closing_form().validate();
    let basis_len = text::char_len(form.specific_basis.trim());
    if basis_len > 500 {
        e.add("specific_basis", "具体依据不能超过500个字符");
    }
    if text::char_len(form.delivery_note.trim()) > 500 {
        e.add("delivery_note", "提供方式说明不能超过500个字符");
    }
    let attachments = lines(&form.attachments);
    if attachments.len() > ITEMS_MAX || attachments.iter().any(|a| text::char_len(a) > NAME_MAX) {
        e.add(
            "attachments",
            format!("附件最多{ITEMS_MAX}个，每个名称不超过{NAME_MAX}个字符"),
        );
    }
    let closing = match closing {
        Ok(c) => Some(c),
        Err(ce) => {
            for x in ce.0 {
                e.add(x.field, x.message);
            }
            None
        }
    };
    let (Some(on), Some(closing), true) = (on, closing, e.is_empty()) else {
        return again(&state, &staff, &case, e, forms).await;
    };
    if case.receipt_date().is_none() {
        e.add("close_on", "请先确认收到申请，再办结");
        return again(&state, &staff, &case, e, forms).await;
    }
    let notice = match reply_notice(
        &state,
        &staff,
        &case,
        &form,
        closing.clone(),
        on,
        "close_on",
    )
    .await?
    {
        Ok(n) => n,
        Err(e) => return again(&state, &staff, &case, e, forms).await,
    };
    let entry =
        NewCaseEntry::new(CaseAction::Close { on, closing }).issuing(notice, mail_context(&state));
    act(
        &state,
        &staff,
        &case,
        vec![entry],
        "close_on",
        forms,
        "closed",
    )
    .await
}

/// The case handling, notice and notice-settings routes (merged into the
/// console router).
pub fn routes() -> axum::Router<AppState> {
    use super::request_notices as notices;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/requests/{id}/assign", post(assign))
        .route("/requests/{id}/note", post(note))
        .route("/requests/{id}/correction", post(correction))
        .route(
            "/requests/{id}/correction-received",
            post(correction_received),
        )
        .route("/requests/{id}/consult", post(consult))
        .route("/requests/{id}/consult-answered", post(consult_answered))
        .route("/requests/{id}/extend", post(extend))
        .route("/requests/{id}/fee", post(fee))
        .route("/requests/{id}/fee-paid", post(fee_paid))
        .route("/requests/{id}/close", post(close))
        .route("/requests/{id}/notices/{nid}", get(notices::view))
        .route("/requests/{id}/notices/{nid}/docx", get(notices::docx))
        .route(
            "/notice-settings/{org}",
            get(notices::settings_form).post(notices::settings_save),
        )
}
