//! The workflow steps of `/console/items/{id}`: 发布前检查, one-click
//! masking, overriding a finding, 提交审查, 保密审查, 领导审批 (now or at a
//! Beijing date-time), cancelling a scheduled publication, 撤回, 修订 and
//! 更正.
//!
//! Each handler loads the item in the user's scope (404 outside it), asks
//! authz for the role the step needs (403 without it) and leaves the rest
//! to the store, which re-runs the workflow rules inside its transaction:
//! a refused step re-renders the page with the store's Chinese message
//! (409) and changes nothing. The scan runs again at 提交审查 and before
//! approval, so what is approved is what was scanned.

use super::auth::{Posted, Staff};
use super::item_page::{StepForms, load, page};
use super::item_scan::{mask_key, scan_version};
use super::see_other;
use crate::AppState;
use crate::error::AppError;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use gongkai_core::authz::Action;
use gongkai_core::item::{Decision, ItemCommand, ItemDetail, ScanGate, VersionState};
use gongkai_core::store::StoreError;
use gongkai_core::text::FieldErrors;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/items/{id}/scan", post(scan))
        .route("/items/{id}/mask", post(mask))
        .route("/items/{id}/override", post(override_finding))
        .route("/items/{id}/submit", post(submit))
        .route("/items/{id}/review", post(review))
        .route("/items/{id}/approve", post(approve))
        .route("/items/{id}/withdraw", post(withdraw))
        .route("/items/{id}/revise", post(revise))
}

/// The page again with `message` on `field` (or as the page notice).
async fn refused(
    state: &AppState,
    staff: &Staff,
    detail: &ItemDetail,
    field: &'static str,
    message: String,
    forms: StepForms,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    page(
        state,
        staff,
        detail,
        StatusCode::CONFLICT,
        None,
        errors,
        forms,
    )
    .await
}

/// Splits a store result into the step's outcome and the store's refusal
/// (its Chinese message, for the page); any other error fails the request.
fn refusal<T>(result: Result<T, StoreError>) -> Result<Result<T, String>, AppError> {
    match result {
        Ok(d) => Ok(Ok(d)),
        Err(StoreError::Invalid(m)) => Ok(Err(m)),
        Err(e) => Err(e.into()),
    }
}

fn back(detail: &ItemDetail, saved: &str) -> Response {
    see_other(&format!("/console/items/{}?saved={saved}", detail.item.id))
}

/// Scans the open version and records the report; `Err` carries the
/// store's refusal.
pub(super) async fn rescan(
    state: &AppState,
    staff: &Staff,
    detail: &ItemDetail,
) -> Result<Result<ItemDetail, String>, AppError> {
    let report = scan_version(state, detail.latest()).await?;
    refusal(
        state
            .store
            .record_item_scan(&staff.actor(), detail.item.id, &report)
            .await,
    )
}

/// The public catalog changed (published, withdrawn, a new version went
/// public): tell the search index.
async fn public_changed(state: &AppState, detail: &ItemDetail) {
    crate::search_sync::item_changed(state, detail.item.id).await;
}

/// Runs a workflow command; on success redirects with `saved`.
async fn run(
    state: &AppState,
    staff: &Staff,
    detail: &ItemDetail,
    cmd: ItemCommand,
    field: &'static str,
    forms: StepForms,
    saved: &str,
) -> Result<Response, AppError> {
    let was_public = detail.item.public_version;
    let result = state
        .store
        .transition_item(&staff.actor(), detail.item.id, &cmd, state.clock.now())
        .await;
    match refusal(result)? {
        Ok(after) => {
            if after.item.public_version != was_public {
                public_changed(state, &after).await;
            }
            let saved = match (saved, after.latest().state) {
                ("approved", VersionState::Scheduled) => "scheduled",
                ("approved", _) => "published",
                (s, _) => s,
            };
            Ok(back(&after, saved))
        }
        Err(m) => refused(state, staff, detail, field, m, forms).await,
    }
}

fn any_of(staff: &Staff, org: gongkai_core::OrgId, actions: &[Action]) -> Result<(), AppError> {
    if actions.iter().any(|a| staff.can(*a, org)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn scan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<StepForms>,
) -> Result<Response, AppError> {
    let detail = load(&state, &staff, &id).await?;
    any_of(
        &staff,
        detail.item.org_id,
        &[
            Action::DraftItems,
            Action::ReviewItems,
            Action::ApproveItems,
        ],
    )?;
    match rescan(&state, &staff, &detail).await? {
        Ok(d) => Ok(back(&d, "scanned")),
        Err(m) => refused(&state, &staff, &detail, "notice", m, form).await,
    }
}

pub async fn mask(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<StepForms>,
) -> Result<Response, AppError> {
    let detail = load(&state, &staff, &id).await?;
    any_of(
        &staff,
        detail.item.org_id,
        &[Action::DraftItems, Action::ReviewItems],
    )?;
    let masked = match mask_key(&detail.latest().meta, &form.key) {
        Ok(m) => m,
        Err(r) => return refused(&state, &staff, &detail, "finding", r.message(), form).await,
    };
    let result = state
        .store
        .update_item(&staff.actor(), detail.item.id, &masked)
        .await;
    let updated = match refusal(result)? {
        Ok(d) => d,
        Err(m) => return refused(&state, &staff, &detail, "finding", m, form).await,
    };
    // Masking changes the content: the new text is scanned at once, which
    // is how the fix is proven.
    match rescan(&state, &staff, &updated).await? {
        Ok(d) => Ok(back(&d, "masked")),
        Err(m) => refused(&state, &staff, &updated, "notice", m, form).await,
    }
}

pub async fn override_finding(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<StepForms>,
) -> Result<Response, AppError> {
    let detail = load(&state, &staff, &id).await?;
    any_of(
        &staff,
        detail.item.org_id,
        &[Action::ReviewItems, Action::ApproveItems],
    )?;
    let result = state
        .store
        .override_item_finding(&staff.actor(), detail.item.id, &form.key, &form.reason)
        .await;
    match refusal(result)? {
        Ok(d) => Ok(back(&d, "overridden")),
        Err(m) => refused(&state, &staff, &detail, "finding", m, form).await,
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<StepForms>,
) -> Result<Response, AppError> {
    let detail = load(&state, &staff, &id).await?;
    staff.require(Action::DraftItems, detail.item.org_id)?;
    if detail.latest().state != VersionState::Draft {
        let m = format!("当前状态为“{}”，不能提交审查", detail.latest().state);
        return refused(&state, &staff, &detail, "notice", m, form).await;
    }
    let scanned = match rescan(&state, &staff, &detail).await? {
        Ok(d) => d,
        Err(m) => return refused(&state, &staff, &detail, "notice", m, form).await,
    };
    run(
        &state,
        &staff,
        &scanned,
        ItemCommand::Submit,
        "notice",
        form,
        "submitted",
    )
    .await
}

fn decision(form: &StepForms) -> Decision {
    if form.decision == "reject" {
        Decision::Reject {
            comment: form.comment.clone(),
        }
    } else {
        Decision::Pass {
            comment: Some(form.comment.clone()),
        }
    }
}

pub async fn review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<StepForms>,
) -> Result<Response, AppError> {
    let mut detail = load(&state, &staff, &id).await?;
    staff.require(Action::ReviewItems, detail.item.org_id)?;
    let d = decision(&form);
    let stale = matches!(
        detail.latest().scan_gate(),
        ScanGate::NotScanned | ScanGate::Stale
    );
    // A pass needs a scan of the current text; after the reviewer's own
    // edits the scan is brought up to date first. The author's own pass
    // is refused by the store before anything is recorded.
    if matches!(d, Decision::Pass { .. })
        && stale
        && detail.latest().author_id != Some(staff.user.id)
    {
        detail = match rescan(&state, &staff, &detail).await? {
            Ok(x) => x,
            Err(m) => return refused(&state, &staff, &detail, "review", m, form).await,
        };
    }
    let saved = match d {
        Decision::Pass { .. } => "reviewed",
        Decision::Reject { .. } => "returned",
    };
    run(
        &state,
        &staff,
        &detail,
        ItemCommand::Review(d),
        "review",
        form,
        saved,
    )
    .await
}

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The scheduled publication time typed as a Beijing date and time.
fn publish_at(form: &StepForms, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
    if form.publish != "later" {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(form.publish_date.trim(), "%Y-%m-%d")
        .map_err(|_| "请填写定时发布的日期，格式为 YYYY-MM-DD".to_string())?;
    let time = match form.publish_time.trim() {
        "" => NaiveTime::MIN,
        t => NaiveTime::parse_from_str(t, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
            .map_err(|_| "时间格式应为 时:分，例如 09:30".to_string())?,
    };
    let at = date
        .and_time(time)
        .and_local_timezone(beijing())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or("定时发布时间无效")?;
    if at <= now {
        return Err("定时发布时间应晚于当前时间；要立即发布请选择“立即发布”".into());
    }
    Ok(Some(at))
}

pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<StepForms>,
) -> Result<Response, AppError> {
    let mut detail = load(&state, &staff, &id).await?;
    staff.require(Action::ApproveItems, detail.item.org_id)?;
    let d = decision(&form);
    let mut at = None;
    if matches!(d, Decision::Pass { .. }) {
        at = match publish_at(&form, state.clock.now()) {
            Ok(t) => t,
            Err(m) => return refused(&state, &staff, &detail, "publish_date", m, form).await,
        };
        // Scanned again right before publishing; the author's own approval
        // is refused by the store without recording anything.
        if detail.latest().author_id != Some(staff.user.id)
            && detail.latest().state == VersionState::InApproval
        {
            detail = match rescan(&state, &staff, &detail).await? {
                Ok(x) => x,
                Err(m) => return refused(&state, &staff, &detail, "approve", m, form).await,
            };
        }
    }
    let saved = match d {
        Decision::Pass { .. } => "approved",
        Decision::Reject { .. } => "returned",
    };
    run(
        &state,
        &staff,
        &detail,
        ItemCommand::Approve {
            decision: d,
            publish_at: at,
        },
        "approve",
        form,
        saved,
    )
    .await
}

pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<StepForms>,
) -> Result<Response, AppError> {
    let detail = load(&state, &staff, &id).await?;
    staff.require(Action::ApproveItems, detail.item.org_id)?;
    let cmd = ItemCommand::Withdraw {
        reason: form.reason.clone(),
    };
    run(&state, &staff, &detail, cmd, "withdraw", form, "withdrawn").await
}

pub async fn revise(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form }: Posted<StepForms>,
) -> Result<Response, AppError> {
    let detail = load(&state, &staff, &id).await?;
    staff.require(Action::DraftItems, detail.item.org_id)?;
    let correction = (form.kind == "correct").then(|| form.reason.clone());
    let result = state
        .store
        .transition_item(
            &staff.actor(),
            detail.item.id,
            &ItemCommand::Revise { correction },
            state.clock.now(),
        )
        .await;
    match refusal(result)? {
        Ok(d) => Ok(see_other(&format!(
            "/console/items/{}/edit?saved=revised",
            d.item.id
        ))),
        Err(m) => refused(&state, &staff, &detail, "revise", m, form).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(publish: &str, date: &str, time: &str) -> StepForms {
        StepForms {
            publish: publish.into(),
            publish_date: date.into(),
            publish_time: time.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_scheduled_time_is_read_as_beijing_time_and_must_be_ahead() {
        let now = DateTime::parse_from_rfc3339("2025-03-03T01:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(publish_at(&form("now", "", ""), now), Ok(None));
        let at = publish_at(&form("later", "2025-03-04", "09:30"), now).unwrap();
        assert_eq!(at.unwrap().to_rfc3339(), "2025-03-04T01:30:00+00:00");
        assert!(publish_at(&form("later", "2025-03-03", "08:00"), now).is_err());
        assert!(publish_at(&form("later", "3/4", ""), now).is_err());
        assert!(publish_at(&form("later", "2025-03-04", "9点"), now).is_err());
    }
}
