//! `/console/items/due`: the 第二十六条 work list. Information to be
//! disclosed proactively is published within 20 working days of its
//! 形成/变更日期; this page lists, over the caller's scope, the open
//! 主动公开 versions that are overdue or due within 3 working days, those
//! whose due date cannot be computed (the calendar lacks a year — listed,
//! never guessed), and this year's publications per agency with how many
//! were on time.
//!
//! The store is asked for every open 主动公开 version formed by today, not
//! only up to [`DueWindow::formed_cutoff`]: an item whose due date cannot
//! be computed must be listed too, and the cutoff cannot say whether such
//! an item is due. Open versions are the drafts in flight, not the
//! catalog, so the list stays small. Each line's standing is then
//! [`DueStatus::of`] on the effective calendar.

use super::Nav;
use super::auth::Staff;
use super::requests::calendar;
use crate::error::{AppError, render};
use crate::portal::request_view::cn_date;
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::item::deadline::{
    DUE_SOON_WORKING_DAYS, DueStatus, DueWindow, publication_deadline,
};
use gongkai_core::item::query::{PublishedOnTime, WorkItem};
use gongkai_core::item::{ItemId, VersionState};

/// The agencies whose items the caller may see in the console: whoever
/// drafts, reviews or approves items there, or may view the agency.
pub(crate) fn due_scope(staff: &Staff) -> Vec<OrgId> {
    let mut scope: Vec<OrgId> = [
        Action::DraftItems,
        Action::ReviewItems,
        Action::ApproveItems,
        Action::View,
    ]
    .into_iter()
    .flat_map(|a| staff.scope(a))
    .collect();
    scope.sort_unstable();
    scope.dedup();
    scope
}

pub(crate) struct DueLine {
    pub id: ItemId,
    pub title: String,
    pub org: String,
    pub formed_on: String,
    /// The due date, or empty when it cannot be computed.
    pub due_on: String,
    /// 还剩2个工作日 / 今日到期 / 已逾期3个工作日, or why there is no due date.
    pub standing: String,
    /// How the due date was reached ([`gongkai_core::clock::Deadline::explain`]), line by line.
    pub explain: Vec<String>,
    pub state: String,
}

/// The open 主动公开 versions of the scope, sorted by standing.
#[derive(Default)]
pub(crate) struct DueLists {
    pub overdue: Vec<DueLine>,
    pub soon: Vec<DueLine>,
    /// No due date: the calendar lacks a year the count reaches into.
    pub unknown: Vec<DueLine>,
    /// Open versions with more than 3 working days left.
    pub later: usize,
}

fn state_label(w: &WorkItem) -> String {
    match (w.state, w.publish_at) {
        (VersionState::Scheduled, Some(at)) => {
            format!("{}（定于 {}）", w.state.label(), crate::beijing::minute(at))
        }
        _ => w.state.label().to_string(),
    }
}

/// Sorts `items` (oldest 形成/变更日期 first, as the store gives them)
/// into the lists as of `today`.
pub(crate) fn sort_due(
    staff: &Staff,
    cal: &WorkdayCalendar,
    today: NaiveDate,
    items: &[WorkItem],
) -> DueLists {
    let mut lists = DueLists::default();
    for w in items {
        let mut line = DueLine {
            id: w.id,
            title: w.title.clone(),
            org: staff.org_name(w.org_id),
            formed_on: cn_date(w.formed_on),
            due_on: String::new(),
            standing: String::new(),
            explain: Vec::new(),
            state: state_label(w),
        };
        let deadline = match publication_deadline(cal, w.formed_on) {
            Ok(d) => d,
            Err(e) => {
                line.standing = e.to_string();
                lists.unknown.push(line);
                continue;
            }
        };
        line.due_on = cn_date(deadline.due);
        line.explain = deadline.explain().lines().map(str::to_string).collect();
        match DueStatus::of(cal, deadline.due, today) {
            Ok(s) => {
                line.standing = s.label();
                if s.is_overdue() {
                    lists.overdue.push(line);
                } else if s.is_due_soon() {
                    lists.soon.push(line);
                } else {
                    lists.later += 1;
                }
            }
            Err(e) => {
                line.standing = e.to_string();
                lists.unknown.push(line);
            }
        }
    }
    lists
}

/// The lists for the caller on `AppState::today()`; `None` when the caller
/// sees no agency's items.
pub(crate) async fn due_lists(
    state: &AppState,
    staff: &Staff,
) -> Result<Option<DueLists>, AppError> {
    let scope = due_scope(staff);
    if scope.is_empty() {
        return Ok(None);
    }
    let today = state.today();
    let cal = calendar(state).await?;
    let items = state.store.list_items_due(&scope, today).await?;
    Ok(Some(sort_due(staff, &cal, today, &items)))
}

// ---------- this year's figures ----------

pub(crate) struct FigureRow {
    pub org: String,
    pub f: PublishedOnTime,
}

impl FigureRow {
    /// "95.0%", over the publications whose due date is known; "—" with none.
    pub fn rate(&self) -> String {
        let measured = self.f.on_time + self.f.late;
        if measured == 0 {
            return "—".into();
        }
        format!("{:.1}%", self.f.on_time as f64 * 100.0 / measured as f64)
    }
}

/// The store's figures in tree order, plus the roll-up.
fn figure_rows(staff: &Staff, figures: Vec<PublishedOnTime>) -> (Vec<FigureRow>, FigureRow) {
    let mut total = PublishedOnTime::default();
    let mut rows = Vec::new();
    for o in staff.tree_order() {
        if let Some(f) = figures.iter().find(|f| f.org_id == o.id) {
            total.published += f.published;
            total.on_time += f.on_time;
            total.late += f.late;
            rows.push(FigureRow {
                org: o.name.clone(),
                f: f.clone(),
            });
        }
    }
    (
        rows,
        FigureRow {
            org: "合计".into(),
            f: total,
        },
    )
}

// ---------- the page ----------

#[derive(Template)]
#[template(path = "console/item_due.html")]
struct DuePage {
    layout: Layout,
    nav: Nav,
    today: String,
    /// The last due date that counts as "due soon", or why it is unknown.
    horizon: Result<String, String>,
    soon_days: u32,
    lists: DueLists,
    year: i32,
    rows: Vec<FigureRow>,
    total: FigureRow,
}

pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let Some(lists) = due_lists(&state, &staff).await? else {
        return Err(AppError::NotFound);
    };
    let today = state.today();
    let cal = calendar(&state).await?;
    let horizon = DueWindow::on(&cal, today)
        .map(|w| cn_date(w.horizon))
        .map_err(|e| e.to_string());
    let figures = state
        .store
        .count_items_published_on_time(&due_scope(&staff), today.year())
        .await?;
    let (rows, total) = figure_rows(&staff, figures);
    let page = DuePage {
        layout: staff.layout("主动公开期限"),
        nav: staff.nav("items"),
        today: cn_date(today),
        horizon,
        soon_days: DUE_SOON_WORKING_DAYS,
        lists,
        year: today.year(),
        rows,
        total,
    };
    Ok(render(&page)?.into_response())
}
