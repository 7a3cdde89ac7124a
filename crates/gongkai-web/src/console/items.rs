//! `/console/items`: the 主动公开 work list. Items of the organisations in
//! the user's item scope (DraftItems ∪ ReviewItems ∪ ApproveItems ∪ View),
//! by the state of their latest version, with the tab 待我处理: what the
//! user's roles can act on now — drafts where they may draft, items in
//! 保密审查 where they review and 领导审批 where they approve, except those
//! they wrote themselves. That tab also lists the 主动公开 items due within
//! 3 working days or overdue (条例第二十六条).

use super::auth::Staff;
use super::item_page::item_scope;
use super::requests::calendar;
use super::{Choice, Nav};
use crate::error::{AppError, render};
use crate::portal::request_view::cn_date;
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::item::DisclosureMode;
use gongkai_core::item::VersionState;
use gongkai_core::item::deadline::{DueStatus, DueWindow, publication_deadline};
use gongkai_core::item::query::{WorkItem, WorkQuery};
use serde::Deserialize;

const PAGE: i64 = 20;
/// 待我处理 merges three lists in memory; each is read up to this many.
const MINE_MAX: i64 = 500;

const TABS: &[(&str, &str)] = &[
    ("mine", "待我处理"),
    ("draft", "草稿"),
    ("in_review", "待保密审查"),
    ("in_approval", "待领导审批"),
    ("scheduled", "待发布"),
    ("published", "已发布"),
    ("withdrawn", "已撤回"),
    ("all", "全部"),
];

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    tab: Option<String>,
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

struct Tab {
    label: &'static str,
    href: String,
    current: bool,
}

struct Row {
    id: i64,
    title: String,
    org: String,
    state: &'static str,
    version: i32,
    author: String,
    formed: String,
    due: String,
    overdue: bool,
    updated: String,
}

#[derive(Template)]
#[template(path = "console/items.html")]
struct ListPage {
    layout: Layout,
    nav: Nav,
    can_draft: bool,
    tabs: Vec<Tab>,
    tab: &'static str,
    orgs: Vec<Choice>,
    total: i64,
    rows: Vec<Row>,
    due: Vec<Row>,
    due_problem: Option<String>,
    prev: Option<String>,
    next: Option<String>,
}

/// The due date and its status for an open 主动公开 version.
fn due_of(cal: &WorkdayCalendar, w: &WorkItem, today: chrono::NaiveDate) -> (String, bool) {
    if w.disclosure != DisclosureMode::Proactive || !w.state.is_open() {
        return ("—".into(), false);
    }
    match publication_deadline(cal, w.formed_on) {
        Ok(d) => match DueStatus::of(cal, d.due, today) {
            Ok(s) => (
                format!("{}（{}）", cn_date(d.due), s.label()),
                s.is_overdue(),
            ),
            Err(_) => (cn_date(d.due), false),
        },
        Err(_) => ("日历缺少年份，无法计算".into(), false),
    }
}

fn row(staff: &Staff, cal: &WorkdayCalendar, w: &WorkItem, today: chrono::NaiveDate) -> Row {
    let (due, overdue) = due_of(cal, w, today);
    Row {
        id: w.id,
        title: w.title.clone(),
        org: staff.org_name(w.org_id),
        state: w.state.label(),
        version: w.version,
        author: w.author_name.clone(),
        formed: cn_date(w.formed_on),
        due,
        overdue,
        updated: crate::beijing::minute(w.updated_at),
    }
}

fn only(scope: Vec<OrgId>, org: Option<OrgId>) -> Vec<OrgId> {
    match org {
        Some(o) => scope.into_iter().filter(|x| *x == o).collect(),
        None => scope,
    }
}

/// 待我处理, newest change first.
async fn mine(
    state: &AppState,
    staff: &Staff,
    org: Option<OrgId>,
) -> Result<Vec<WorkItem>, AppError> {
    let me = staff.user.id;
    let mut out: Vec<WorkItem> = Vec::new();
    for (action, st, skip_own) in [
        (Action::DraftItems, VersionState::Draft, false),
        (Action::ReviewItems, VersionState::InReview, true),
        (Action::ApproveItems, VersionState::InApproval, true),
    ] {
        let org_ids = only(staff.scope(action), org);
        if org_ids.is_empty() {
            continue;
        }
        let page = state
            .store
            .list_work_items(&WorkQuery {
                org_ids,
                states: vec![st],
                limit: MINE_MAX,
                offset: 0,
            })
            .await?;
        out.extend(
            page.entries
                .into_iter()
                .filter(|w| !(skip_own && w.author_id == Some(me))),
        );
    }
    out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    out.dedup_by_key(|w| w.id);
    Ok(out)
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scope = item_scope(&staff);
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    let works = [
        Action::DraftItems,
        Action::ReviewItems,
        Action::ApproveItems,
    ]
    .iter()
    .any(|a| !staff.scope(*a).is_empty());
    let tab = q
        .tab
        .as_deref()
        .and_then(|t| TABS.iter().find(|(k, _)| *k == t))
        .map(|(k, _)| *k)
        .unwrap_or(if works { "mine" } else { "all" });
    let org: Option<OrgId> = q
        .org
        .as_deref()
        .and_then(|o| o.parse().ok())
        .filter(|o| scope.contains(o));
    let page_no: i64 = q
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .filter(|p| (1..=10_000).contains(p))
        .unwrap_or(1);
    let cal = calendar(&state).await?;
    let today = state.today();
    let (total, entries) = if tab == "mine" {
        let all = mine(&state, &staff, org).await?;
        let total = all.len() as i64;
        let start = ((page_no - 1) * PAGE) as usize;
        (
            total,
            all.into_iter().skip(start).take(PAGE as usize).collect(),
        )
    } else {
        let states = match VersionState::parse(tab) {
            Some(s) => vec![s],
            None => Vec::new(),
        };
        let p = state
            .store
            .list_work_items(&WorkQuery {
                org_ids: only(scope.clone(), org),
                states,
                limit: PAGE,
                offset: (page_no - 1) * PAGE,
            })
            .await?;
        (p.total, p.entries)
    };
    let rows = entries
        .iter()
        .map(|w| row(&staff, &cal, w, today))
        .collect();
    let (mut due, mut due_problem) = (Vec::new(), None);
    if tab == "mine" && page_no == 1 {
        match DueWindow::on(&cal, today) {
            Ok(w) => {
                let list = state
                    .store
                    .list_items_due(&only(scope.clone(), org), w.formed_cutoff)
                    .await?;
                due = list.iter().map(|x| row(&staff, &cal, x, today)).collect();
            }
            Err(e) => due_problem = Some(format!("无法列出即将到期的信息：{e}")),
        }
    }
    let link = |t: &str, p: i64| {
        let mut s = format!("/console/items?tab={t}");
        if let Some(o) = org {
            s.push_str(&format!("&org={o}"));
        }
        if p > 1 {
            s.push_str(&format!("&page={p}"));
        }
        s
    };
    let tabs = TABS
        .iter()
        .filter(|(k, _)| works || *k != "mine")
        .map(|(k, l)| Tab {
            label: l,
            href: link(k, 1),
            current: *k == tab,
        })
        .collect();
    let orgs_in_scope: Vec<_> = staff
        .tree_order()
        .into_iter()
        .filter(|o| scope.contains(&o.id))
        .collect();
    let current_org = org.map(|o| o.to_string()).unwrap_or_default();
    let mut orgs = vec![Choice::new("", "全部机构", &current_org)];
    orgs.extend(super::org_choices(&staff, &orgs_in_scope, &current_org));
    let p = ListPage {
        layout: staff.layout("信息发布"),
        nav: staff.nav("items"),
        can_draft: !staff.scope(Action::DraftItems).is_empty(),
        tabs,
        tab,
        orgs,
        total,
        rows,
        due,
        due_problem,
        prev: (page_no > 1).then(|| link(tab, page_no - 1)),
        next: (page_no * PAGE < total).then(|| link(tab, page_no + 1)),
    };
    Ok(render(&p)?.into_response())
}
