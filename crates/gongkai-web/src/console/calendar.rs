//! `/console/calendar` (工作日历): the years in force with their holidays
//! and make-up working days, the open cases whose reply due date differs
//! from the shipped calendar because of imported years, and — for
//! administrators of a root organisation — the import of a new State
//! Council notice in the TOML format of `gongkai calendar import`.
//!
//! An import is two steps, and nodes stay stateless: the preview parses the
//! pasted or uploaded text and shows what would change (dates and the
//! user's cases whose due date moves); its confirm form carries the text
//! back and the server parses it again before storing all years at once.

use super::auth::{Posted, Staff};
use super::calendar_changes::{MovedCase, YearChange, moved_cases, year_changes};
use super::requests::{calendar, case_scope};
use super::upload::{PostedUpload, UploadPolicy, body_limit_layer};
use super::{Nav, see_other};
use crate::error::{AppError, render};
use crate::portal::request_view::cn_date;
use crate::{AppState, Layout};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::calendar::{DayStatus, WorkdayCalendar, YearNotice};
use gongkai_core::clock::weekday_label;
use gongkai_core::request::case::{CaseStatus, RequestCase};
use gongkai_core::store::{CaseQuery, HandlerFilter, StoreError};
use serde::Deserialize;

/// A year's notice is a few KB; this leaves room for many years.
const MAX_TOML_BYTES: usize = 256 * 1024;
/// Cases read per store call.
const CHUNK: i64 = 200;

/// Import needs `ManageCalendar` at a root organisation: the calendar is
/// national and moves every agency's deadlines, so a county administrator
/// may not change it.
fn may_import(staff: &Staff) -> bool {
    staff
        .orgs
        .iter()
        .filter(|o| o.parent_id.is_none())
        .any(|o| staff.can(Action::ManageCalendar, o.id))
}

pub struct CalendarUpload;

impl UploadPolicy for CalendarUpload {
    const MAX_FILES: usize = 1;
    const MAX_FILE_BYTES: usize = MAX_TOML_BYTES;
    const MAX_TEXT_BYTES: usize = MAX_TOML_BYTES;

    fn may_post(staff: &Staff) -> bool {
        may_import(staff)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(show))
        .route(
            "/calendar/preview",
            post(preview).layer(body_limit_layer::<CalendarUpload>()),
        )
        .route("/calendar/import", post(import))
}

// ---------- parsing ----------

/// The years of a calendar text, or a Chinese message naming the line.
/// Uses the same parser as the CLI import; TOML syntax errors are located
/// here first because the parser's own message is English.
fn parse_years(text: &str) -> Result<Vec<YearNotice>, String> {
    if text.trim().is_empty() {
        return Err(
            "请粘贴工作日历内容或选择文件（TOML 格式，每个年度一个 [y年份] 表，例如 [y2027]）。"
                .into(),
        );
    }
    if text.len() > MAX_TOML_BYTES {
        return Err(format!(
            "内容超过 {} KB，不像工作日历文件，请检查。",
            MAX_TOML_BYTES / 1024
        ));
    }
    if let Err(e) = toml::from_str::<toml::Table>(text) {
        let line = e.span().map_or(1, |s| {
            text.as_bytes()[..s.start.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        });
        return Err(format!(
            "第 {line} 行：TOML 格式有误（{}）",
            e.message().trim()
        ));
    }
    let cal = WorkdayCalendar::from_toml(text).map_err(|e| e.to_string())?;
    let years: Vec<YearNotice> = cal.years().cloned().collect();
    if years.is_empty() {
        return Err("内容中没有任何年度的节假日安排（应有 [y年份] 表，例如 [y2027]）。".into());
    }
    Ok(years)
}

/// `current` with `years` added (replacing years of the same number).
fn with_years(current: &WorkdayCalendar, years: &[YearNotice]) -> Result<WorkdayCalendar, String> {
    let mut cal = current.clone();
    for y in years {
        cal.add_year(y.clone()).map_err(|e| e.to_string())?;
    }
    Ok(cal)
}

// ---------- cases ----------

/// The open cases (with a clock) of `orgs`.
async fn open_cases(state: &AppState, orgs: &[OrgId]) -> Result<Vec<RequestCase>, AppError> {
    let mut out = Vec::new();
    if orgs.is_empty() {
        return Ok(out);
    }
    for status in [CaseStatus::Open, CaseStatus::AwaitingCorrection] {
        let mut q = CaseQuery {
            org_ids: orgs.to_vec(),
            status: Some(status),
            handler: HandlerFilter::Any,
            year: None,
            offset: 0,
            limit: CHUNK,
        };
        loop {
            let page = state.store.list_requests(&q).await?;
            let n = page.cases.len() as i64;
            out.extend(page.cases);
            if n < CHUNK {
                break;
            }
            q.offset += CHUNK;
        }
    }
    out.sort_by_key(|c| (c.arrived_on, c.id));
    Ok(out)
}

struct MovedRow {
    id: i64,
    number: String,
    org: String,
    before: String,
    after: String,
    first_computable: bool,
}

/// Moved cases the user may open, and how many more there are in the
/// agencies they may only view (counts only: no case data for them).
struct Moved {
    rows: Vec<MovedRow>,
    view_only: usize,
}

async fn moved(
    state: &AppState,
    staff: &Staff,
    before: &WorkdayCalendar,
    after: &WorkdayCalendar,
) -> Result<Moved, AppError> {
    let today = state.today();
    let cases_scope = case_scope(staff);
    let view_only: Vec<OrgId> = staff
        .scope(Action::View)
        .into_iter()
        .filter(|o| !cases_scope.contains(o))
        .collect();
    let row = |m: MovedCase| MovedRow {
        id: m.id,
        number: m.number,
        org: staff.org_name(m.org_id),
        before: m.before,
        after: m.after,
        first_computable: m.first_computable,
    };
    let rows = moved_cases(
        &open_cases(state, &cases_scope).await?,
        before,
        after,
        today,
    )
    .into_iter()
    .map(row)
    .collect();
    let view_only = moved_cases(&open_cases(state, &view_only).await?, before, after, today).len();
    Ok(Moved { rows, view_only })
}

// ---------- the page ----------

struct DayRow {
    date: String,
    weekday: &'static str,
    kind: &'static str,
}

struct YearView {
    year: i32,
    source: &'static str,
    notice: String,
    off: usize,
    work: usize,
    days: Vec<DayRow>,
}

fn year_views(cal: &WorkdayCalendar, stored: &[YearNotice]) -> Vec<YearView> {
    cal.year_sources(stored)
        .into_iter()
        .rev()
        .map(|(y, source)| {
            let mut days: Vec<_> = y
                .off
                .iter()
                .map(|d| (*d, DayStatus::Holiday))
                .chain(y.work.iter().map(|d| (*d, DayStatus::MakeUpWorkday)))
                .collect();
            days.sort_by_key(|(d, _)| *d);
            YearView {
                year: y.year,
                source: source.label(),
                notice: y.notice.clone(),
                off: y.off.len(),
                work: y.work.len(),
                days: days
                    .into_iter()
                    .map(|(d, k)| DayRow {
                        date: cn_date(d),
                        weekday: weekday_label(d),
                        kind: k.label(),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "console/calendar.html")]
struct CalendarPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    years: Vec<YearView>,
    has_stored: bool,
    moved: Moved,
    can_import: bool,
    imported: String,
    error: Option<String>,
    content: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    imported: String,
}

/// Everyone in the console may look at the calendar: it is public data.
fn require_console(staff: &Staff) -> Result<(), AppError> {
    if staff.scope(Action::View).is_empty() && case_scope(staff).is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

async fn page(
    state: &AppState,
    staff: &Staff,
    imported: String,
    error: Option<String>,
    content: String,
) -> Result<Response, AppError> {
    let stored = state.store.list_calendar_years().await?;
    let cal = calendar(state).await?;
    // Cases whose due date the imported years move: compared with the
    // calendar shipped with this release.
    let moved = if stored.is_empty() {
        Moved {
            rows: Vec::new(),
            view_only: 0,
        }
    } else {
        moved(state, staff, &WorkdayCalendar::official(), &cal).await?
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = CalendarPage {
        layout: staff.layout("工作日历"),
        nav: staff.nav("calendar"),
        csrf: staff.csrf.clone(),
        years: year_views(&cal, &stored),
        has_stored: !stored.is_empty(),
        moved,
        can_import: may_import(staff),
        imported,
        error,
        content,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    require_console(&staff)?;
    // Only years are echoed back, whatever the query says.
    let imported: Vec<&str> = q
        .imported
        .split(',')
        .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    page(&state, &staff, imported.join("、"), None, String::new()).await
}

// ---------- preview ----------

#[derive(Template)]
#[template(path = "console/calendar_preview.html")]
struct PreviewPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    changes: Vec<YearChange>,
    moved: Moved,
    content: String,
}

pub async fn preview(
    State(state): State<AppState>,
    upload: PostedUpload<CalendarUpload>,
) -> Result<Response, AppError> {
    let staff = &upload.staff;
    let kb = MAX_TOML_BYTES / 1024;
    let file = upload.files.iter().find(|f| !f.name.is_empty());
    let content = match file {
        _ if upload.incomplete || upload.extra_files > 0 => Err(format!(
            "提交未完成：内容超过 {kb} KB 或连接中断，请重新提交。"
        )),
        Some(f) if f.too_large => Err(format!("文件超过 {kb} KB，不像工作日历文件，请检查。")),
        Some(f) => String::from_utf8(f.bytes.to_vec())
            .map_err(|_| "文件不是 UTF-8 编码的文本，请另存为 UTF-8 后重新上传。".to_string()),
        None => Ok(upload.field("content").to_string()),
    };
    let content = match content {
        Ok(c) => c.replace("\r\n", "\n"),
        Err(e) => return page(&state, staff, String::new(), Some(e), String::new()).await,
    };
    let current = calendar(&state).await?;
    let parsed = parse_years(&content).and_then(|y| Ok((with_years(&current, &y)?, y)));
    let (after, years) = match parsed {
        Ok(x) => x,
        Err(e) => return page(&state, staff, String::new(), Some(e), content).await,
    };
    let page = PreviewPage {
        layout: staff.layout("导入工作日历：预览"),
        nav: staff.nav("calendar"),
        csrf: staff.csrf.clone(),
        changes: year_changes(&current, &after, &years),
        moved: moved(&state, staff, &current, &after).await?,
        content,
    };
    Ok(render(&page)?.into_response())
}

// ---------- confirm ----------

#[derive(Debug, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    content: String,
}

pub async fn import(
    State(state): State<AppState>,
    Posted { staff, form }: Posted<ImportForm>,
) -> Result<Response, AppError> {
    if !may_import(&staff) {
        return Err(AppError::Forbidden);
    }
    let content = form.content.replace("\r\n", "\n");
    let years = match parse_years(&content) {
        Ok(y) => y,
        Err(e) => return page(&state, &staff, String::new(), Some(e), content).await,
    };
    match state.store.put_calendar_years(&staff.actor(), &years).await {
        Ok(()) => {}
        Err(StoreError::Invalid(m)) => {
            let e = format!("导入失败，未保存任何年度：{m}");
            return page(&state, &staff, String::new(), Some(e), content).await;
        }
        Err(e) => return Err(e.into()),
    }
    let list: Vec<String> = years.iter().map(|y| y.year.to_string()).collect();
    Ok(see_other(&format!(
        "/console/calendar?imported={}#moved",
        list.join(",")
    )))
}
