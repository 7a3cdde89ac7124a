//! `/console`: who I am, what I may do where, and what is still missing.

use super::Nav;
use super::auth::Staff;
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::guide::missing_elements;

struct RoleRow {
    role: &'static str,
    org: String,
    subtree: bool,
}

struct OrgLink {
    id: OrgId,
    name: String,
    depth: usize,
}

/// A guide element still missing, and where it is fixed.
struct Missing {
    label: &'static str,
    href: String,
}

struct GuideGap {
    org_id: OrgId,
    org_name: String,
    missing: Vec<Missing>,
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    nav: Nav,
    display_name: String,
    username: String,
    home_org: String,
    roles: Vec<RoleRow>,
    orgs: Vec<OrgLink>,
    gaps: Vec<GuideGap>,
    /// 第二十六条: open 主动公开 items (overdue, due soon, no due date).
    due: Option<(usize, usize, usize)>,
}

pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let roles = staff
        .principal
        .grants
        .iter()
        .map(|g| RoleRow {
            role: g.role.label(),
            org: staff.org_name(g.org_id),
            subtree: g.subtree,
        })
        .collect();
    let orgs = staff
        .orgs_for(Action::View)
        .into_iter()
        .map(|o| OrgLink {
            id: o.id,
            name: o.name.clone(),
            depth: staff.depth(o.id),
        })
        .collect();
    let mut gaps = Vec::new();
    // Closed agencies publish nothing new, so their guides are not nagged about.
    for org in staff
        .orgs_for(Action::EditGuide)
        .into_iter()
        .filter(|o| o.active)
    {
        let guide = state.store.get_guide(org.id).await?;
        let missing: Vec<Missing> = missing_elements(org, &guide)
            .into_iter()
            .map(|e| Missing {
                label: e.label(),
                href: if e.edited_in_guide() {
                    format!("/console/orgs/{}/guide", org.id)
                } else {
                    format!("/console/orgs/{}", org.id)
                },
            })
            .collect();
        if !missing.is_empty() {
            gaps.push(GuideGap {
                org_id: org.id,
                org_name: org.name.clone(),
                missing,
            });
        }
    }
    let due = super::item_due::due_lists(&state, &staff)
        .await?
        .map(|l| (l.overdue.len(), l.soon.len(), l.unknown.len()));
    let page = DashboardPage {
        layout: staff.layout("工作台"),
        nav: staff.nav("home"),
        display_name: staff.user.display_name.clone(),
        username: staff.user.username.clone(),
        home_org: staff.org_name(staff.user.org_id),
        roles,
        orgs,
        gaps,
        due,
    };
    Ok(render(&page)?.into_response())
}
