//! `/console/requests/overview`: the handler's work lists and the agencies'
//! figures for the year.
//!
//! * **Work lists** (users who may open cases): my open cases, due within
//!   3 working days, overdue, waiting on 补正 / 缴费 / 征求意见, not yet
//!   confirmed, and cases whose deadline cannot be computed because the
//!   calendar lacks a year (listed as such, never guessed). Each case's
//!   state comes from [`CaseClock::status`] on the effective calendar, as on
//!   the case page.
//! * **Figures** (also for supervisors with `View`, as counts only): for the
//!   applications *received* in the chosen year, per agency and rolled up
//!   over the user's scope: received, closed, on time, the on-time rate and
//!   the median working days from receipt to reply.
//!
//! Both are computed here over the scope's cases, read page by page
//! ([`CHUNK`] at a time) so memory stays bounded per page; the cost is
//! linear in the open cases (work lists) and in one year's cases (figures).

use super::Nav;
use super::auth::Staff;
use super::requests::{calendar, case_scope};
use crate::error::{AppError, render};
use crate::portal::request_view::cn_date;
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_core::authz::Action;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::request::case::{CaseStatus, RequestCase};
use gongkai_core::request::case_clock::{ClockPolicy, ClockStatus, Phase};
use gongkai_core::store::{CaseQuery, HandlerFilter};
use gongkai_core::{OrgId, UserId};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Cases read per store call.
const CHUNK: i64 = 200;
/// Rows shown per work list (the count shows how many there are).
const LIST_MAX: usize = 20;
/// "Due soon" = within this many working days.
const DUE_SOON_DAYS: u32 = 3;

/// Every case of `q` (whatever its offset/limit), read in chunks.
async fn all_cases(state: &AppState, mut q: CaseQuery) -> Result<Vec<RequestCase>, AppError> {
    let mut out = Vec::new();
    q.offset = 0;
    q.limit = CHUNK;
    loop {
        let page = state.store.list_requests(&q).await?;
        let n = page.cases.len() as i64;
        out.extend(page.cases);
        if n < CHUNK {
            return Ok(out);
        }
        q.offset += CHUNK;
    }
}

fn query(org_ids: Vec<OrgId>, status: Option<CaseStatus>, year: Option<i32>) -> CaseQuery {
    CaseQuery {
        org_ids,
        status,
        handler: HandlerFilter::Any,
        year,
        offset: 0,
        limit: CHUNK,
    }
}

fn clock_status(
    case: &RequestCase,
    cal: &WorkdayCalendar,
    as_of: NaiveDate,
) -> Option<Result<ClockStatus, String>> {
    let clock = case.clock(ClockPolicy::default())?;
    Some(
        clock
            .and_then(|c| c.status(cal, as_of))
            .map_err(|e| e.to_string()),
    )
}

// ---------- work lists ----------

pub(crate) struct WorkLine {
    pub id: i64,
    pub number: String,
    pub org: String,
    /// Due date, 补正期限 or the problem, depending on the list.
    pub detail: String,
}

pub(crate) struct WorkList {
    pub key: &'static str,
    pub title: &'static str,
    pub total: usize,
    pub lines: Vec<WorkLine>,
}

impl WorkList {
    fn new(key: &'static str, title: &'static str) -> Self {
        Self {
            key,
            title,
            total: 0,
            lines: Vec::new(),
        }
    }

    fn push(&mut self, line: WorkLine) {
        self.total += 1;
        if self.lines.len() < LIST_MAX {
            self.lines.push(line);
        }
    }
}

/// Sorts the open cases into the work lists. A case may be on several
/// (e.g. mine and overdue).
pub(crate) fn work_lists(
    staff: &Staff,
    cases: &[RequestCase],
    cal: &WorkdayCalendar,
    today: NaiveDate,
    me: UserId,
) -> Vec<WorkList> {
    let mut mine = WorkList::new("mine", "我承办的未办结申请");
    let mut soon = WorkList::new("due_soon", "3个工作日内到期");
    let mut overdue = WorkList::new("overdue", "已超过答复期限");
    let mut correction = WorkList::new("correction", "等待申请人补正");
    let mut fee = WorkList::new("fee", "等待缴纳信息处理费");
    let mut consult = WorkList::new("consultation", "等待第三方或其他机关意见");
    let mut unconfirmed = WorkList::new("unconfirmed", "待确认收到");
    let mut problem = WorkList::new("problem", "答复期限无法计算");
    // Oldest first: the most urgent at the top.
    let mut sorted: Vec<&RequestCase> = cases
        .iter()
        .filter(|c| c.status != CaseStatus::Closed)
        .collect();
    sorted.sort_by_key(|c| (c.arrived_on, c.id));
    for c in sorted {
        let line = |detail: String| WorkLine {
            id: c.id,
            number: c.number.clone(),
            org: staff.org_name(c.org_id),
            detail,
        };
        let status = clock_status(c, cal, today);
        let due = match &status {
            Some(Ok(s)) => s.reply.as_ref().map(|r| r.due),
            _ => None,
        };
        if c.handler_id == Some(me) {
            mine.push(line(match due {
                Some(d) => format!("答复期限 {}", cn_date(d)),
                None => c.status.label().into(),
            }));
        }
        let s = match status {
            None => {
                unconfirmed.push(line(format!("{}提交", cn_date(c.arrived_on))));
                continue;
            }
            Some(Err(e)) => {
                problem.push(line(e));
                continue;
            }
            Some(Ok(s)) => s,
        };
        let clock = c.clock(ClockPolicy::default()).and_then(Result::ok);
        if let Phase::AwaitingCorrection { reply_by } = s.phase {
            let lapsed = if s.lapsed.is_some() {
                "，已逾期未补正，可按“逾期不补正”办结"
            } else {
                ""
            };
            correction.push(line(format!("补正期限 {}{lapsed}", cn_date(reply_by))));
            continue;
        }
        if let Some(f) = clock.as_ref().and_then(|k| k.fee.as_ref())
            && f.paid_on.is_none()
        {
            let due = s.fee_payment_due.map(cn_date).unwrap_or_default();
            let lapsed = if s.lapsed.is_some() {
                "，已逾期未缴费，可按“逾期未缴费”办结"
            } else {
                ""
            };
            fee.push(line(format!("缴费期限 {due}{lapsed}")));
        }
        if clock
            .as_ref()
            .is_some_and(|k| k.consultations.iter().any(|x| x.answered_on.is_none()))
        {
            consult.push(line(format!(
                "答复期限暂不早于 {}",
                due.map(cn_date).unwrap_or_default()
            )));
        }
        if s.is_overdue(today) {
            overdue.push(line(format!(
                "答复期限 {}",
                due.map(cn_date).unwrap_or_default()
            )));
        } else {
            match s.due_within(cal, today, DUE_SOON_DAYS) {
                Ok(true) => soon.push(line(format!(
                    "答复期限 {}",
                    due.map(cn_date).unwrap_or_default()
                ))),
                Ok(false) => {}
                Err(e) => problem.push(line(e.to_string())),
            }
        }
    }
    vec![
        mine,
        overdue,
        soon,
        correction,
        fee,
        consult,
        unconfirmed,
        problem,
    ]
}

// ---------- figures ----------

/// One agency's (or the roll-up's) figures for the applications received
/// in a year.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Figures {
    /// Received (receipt date known and in the year).
    pub received: usize,
    pub closed: usize,
    /// Closed on or before the due date (with a recorded extension and
    /// suspensions counted), among the closed cases that had a reply due.
    pub on_time: usize,
    /// Closed cases that had a reply due (not those closed while awaiting
    /// 补正, which have none) and whose due date could be computed.
    pub timed: usize,
    /// Still open and past the due date today.
    pub open_overdue: usize,
    /// Cases whose due date cannot be computed (calendar lacks a year).
    pub unknown: usize,
    /// Working days from the receipt date to the closing, per timed case.
    days: Vec<u32>,
}

impl Figures {
    fn add(&mut self, c: &RequestCase, cal: &WorkdayCalendar, today: NaiveDate) {
        let Some(receipt) = c.receipt_date() else {
            return;
        };
        self.received += 1;
        let as_of = c.closed_on.unwrap_or(today);
        let status = match clock_status(c, cal, as_of) {
            Some(Ok(s)) => s,
            _ => {
                self.unknown += 1;
                if c.status == CaseStatus::Closed {
                    self.closed += 1;
                }
                return;
            }
        };
        let Some(closed_on) = c.closed_on.filter(|_| c.status == CaseStatus::Closed) else {
            if status.is_overdue(today) {
                self.open_overdue += 1;
            }
            return;
        };
        self.closed += 1;
        let Some(reply) = status.reply else {
            return;
        };
        match cal.working_days_between(receipt, closed_on) {
            Ok(n) => {
                self.timed += 1;
                if closed_on <= reply.due {
                    self.on_time += 1;
                }
                self.days.push(n);
            }
            Err(_) => self.unknown += 1,
        }
    }

    fn merge(&mut self, o: &Figures) {
        self.received += o.received;
        self.closed += o.closed;
        self.on_time += o.on_time;
        self.timed += o.timed;
        self.open_overdue += o.open_overdue;
        self.unknown += o.unknown;
        self.days.extend_from_slice(&o.days);
    }

    /// "93.5%（29/31）", or "—" with nothing to rate. The fraction shows
    /// the denominator, which can be smaller than the closed count (cases
    /// closed while a 补正 was pending have no reply due).
    pub fn on_time_rate(&self) -> String {
        if self.timed == 0 {
            return "—".into();
        }
        format!(
            "{:.1}%（{}/{}）",
            self.on_time as f64 * 100.0 / self.timed as f64,
            self.on_time,
            self.timed
        )
    }

    /// The median (the mean of the middle two for an even count), or "—".
    pub fn median_days(&self) -> String {
        let mut d = self.days.clone();
        if d.is_empty() {
            return "—".into();
        }
        d.sort_unstable();
        let m = d.len() / 2;
        if d.len() % 2 == 1 {
            d[m].to_string()
        } else {
            let twice = d[m - 1] + d[m];
            if twice.is_multiple_of(2) {
                (twice / 2).to_string()
            } else {
                format!("{:.1}", f64::from(twice) / 2.0)
            }
        }
    }
}

pub(crate) struct FigureRow {
    pub org: String,
    pub f: Figures,
}

/// Figures per agency (tree order) and the roll-up over all of them.
pub(crate) fn figures(
    staff: &Staff,
    cases: &[RequestCase],
    cal: &WorkdayCalendar,
    today: NaiveDate,
) -> (Vec<FigureRow>, Figures) {
    let mut by_org: BTreeMap<OrgId, Figures> = BTreeMap::new();
    for c in cases {
        by_org.entry(c.org_id).or_default().add(c, cal, today);
    }
    let mut total = Figures::default();
    let mut rows = Vec::new();
    for o in staff.tree_order() {
        if let Some(f) = by_org.get(&o.id).filter(|f| f.received > 0) {
            total.merge(f);
            rows.push(FigureRow {
                org: o.name.clone(),
                f: f.clone(),
            });
        }
    }
    (rows, total)
}

// ---------- the page ----------

#[derive(Template)]
#[template(path = "console/requests_overview.html")]
struct OverviewPage {
    layout: Layout,
    nav: Nav,
    has_cases: bool,
    lists: Vec<WorkList>,
    year: i32,
    years: Vec<super::Choice>,
    rows: Vec<FigureRow>,
    total: Figures,
    today: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct OverviewQuery {
    #[serde(default)]
    year: String,
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<OverviewQuery>,
) -> Result<Response, AppError> {
    let cases_scope = case_scope(&staff);
    let mut scope = cases_scope.clone();
    scope.extend(staff.scope(Action::View));
    scope.sort_unstable();
    scope.dedup();
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    let today = state.today();
    let year = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2008..=today.year()).contains(y))
        .unwrap_or(today.year());
    let cal = calendar(&state).await?;
    let mut lists = Vec::new();
    if !cases_scope.is_empty() {
        let mut open = Vec::new();
        for s in [
            CaseStatus::Unconfirmed,
            CaseStatus::Open,
            CaseStatus::AwaitingCorrection,
        ] {
            open.extend(all_cases(&state, query(cases_scope.clone(), Some(s), None)).await?);
        }
        lists = work_lists(&staff, &open, &cal, today, staff.user.id);
    }
    let year_cases = all_cases(&state, query(scope, None, Some(year))).await?;
    let (rows, total) = figures(&staff, &year_cases, &cal, today);
    let years = (2019..=today.year())
        .rev()
        .map(|y| super::Choice::new(y, format!("{y}年"), &year.to_string()))
        .collect();
    let page = OverviewPage {
        layout: staff.layout("申请办理概况"),
        nav: staff.nav("requests"),
        has_cases: !cases_scope.is_empty(),
        lists,
        year,
        years,
        rows,
        total,
        today: cn_date(today),
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(days: &[u32]) -> Figures {
        Figures {
            days: days.to_vec(),
            timed: days.len(),
            ..Default::default()
        }
    }

    #[test]
    fn medians_and_rates() {
        assert_eq!(figs(&[]).median_days(), "—");
        assert_eq!(figs(&[7]).median_days(), "7");
        assert_eq!(figs(&[9, 3, 5]).median_days(), "5");
        assert_eq!(figs(&[4, 10]).median_days(), "7");
        assert_eq!(figs(&[4, 9]).median_days(), "6.5");
        let mut f = figs(&[1, 2, 3]);
        f.on_time = 2;
        assert_eq!(f.on_time_rate(), "66.7%（2/3）");
        assert_eq!(Figures::default().on_time_rate(), "—");
    }
}
