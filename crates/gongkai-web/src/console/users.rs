//! Staff accounts of the organisations the signed-in user administers,
//! and their role grants.

use super::SavedQuery;
use super::auth::{Posted, Staff};
use super::login::hash_password;
use super::{Choice, Nav, org_choices, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_core::authz::Action;
use gongkai_core::password;
use gongkai_core::text::{self, FieldErrors};
use gongkai_core::user::{DISPLAY_NAME_MAX, Grant, NewUser, NewUserForm, Role, User, UserPatch};
use gongkai_core::{OrgId, StoreError, UserId};
use serde::Deserialize;

struct UserRow {
    id: UserId,
    username: String,
    display_name: String,
    org: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "console/users.html")]
struct UserListPage {
    layout: Layout,
    nav: Nav,
    rows: Vec<UserRow>,
}

fn managed_scope(staff: &Staff) -> Result<Vec<OrgId>, AppError> {
    let scope = staff.scope(Action::ManageUsers);
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(scope)
}

pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let scope = managed_scope(&staff)?;
    let rows = state
        .store
        .list_users(Some(&scope))
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            org: staff.org_name(u.org_id),
            username: u.username,
            display_name: u.display_name,
            active: u.active,
        })
        .collect();
    let page = UserListPage {
        layout: staff.layout("用户管理"),
        nav: staff.nav("users"),
        rows,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "console/user_new.html")]
struct NewUserPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    username: String,
    display_name: String,
    orgs: Vec<Choice>,
    errors: FieldErrors,
}

fn manageable_org_choices(staff: &Staff, current: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", "请选择", current)];
    v.extend(org_choices(
        staff,
        &staff.orgs_for(Action::ManageUsers),
        current,
    ));
    v
}

fn new_page(staff: &Staff, f: &NewUserForm, errors: FieldErrors) -> Result<Response, AppError> {
    let page = NewUserPage {
        layout: staff.layout("新建用户"),
        nav: staff.nav("users"),
        csrf: staff.csrf.clone(),
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        orgs: manageable_org_choices(staff, &f.org_id),
        errors,
    };
    Ok(render(&page)?.into_response())
}

pub async fn new_form(staff: Staff) -> Result<Response, AppError> {
    managed_scope(&staff)?;
    let f = NewUserForm {
        org_id: staff.user.org_id.to_string(),
        ..Default::default()
    };
    new_page(&staff, &f, FieldErrors::new())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewUserPost {
    username: String,
    display_name: String,
    org_id: String,
    password: String,
    password_confirm: String,
}

pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form: p }: Posted<NewUserPost>,
) -> Result<Response, AppError> {
    managed_scope(&staff)?;
    let f = NewUserForm {
        username: p.username,
        display_name: p.display_name,
        org_id: p.org_id,
        password: p.password,
        password_confirm: p.password_confirm,
    };
    let valid = match f.validate() {
        Ok(v) if staff.can(Action::ManageUsers, v.org_id) => v,
        Ok(_) => {
            let mut e = FieldErrors::new();
            e.add("org_id", "请选择您有权管理的机构");
            return new_page(&staff, &f, e);
        }
        Err(e) => return new_page(&staff, &f, e),
    };
    let new = NewUser {
        username: valid.username,
        display_name: valid.display_name,
        org_id: valid.org_id,
        password_hash: hash_password(valid.password).await?,
    };
    match state.store.create_user(&staff.actor(), &new).await {
        Ok(u) => Ok(see_other(&format!("/console/users/{}?saved=1", u.id))),
        Err(StoreError::Conflict { .. }) => {
            let mut e = FieldErrors::new();
            e.add("username", "用户名已被使用");
            new_page(&staff, &f, e)
        }
        Err(e) => Err(e.into()),
    }
}

struct GrantRow {
    role: &'static str,
    role_code: &'static str,
    org: String,
    org_id: OrgId,
    subtree: bool,
    can_revoke: bool,
}

#[derive(Template)]
#[template(path = "console/user_edit.html")]
struct UserPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    user_id: UserId,
    username: String,
    display_name: String,
    active: bool,
    orgs: Vec<Choice>,
    grants: Vec<GrantRow>,
    roles: Vec<Choice>,
    grant_orgs: Vec<Choice>,
    errors: FieldErrors,
    saved: bool,
}

/// The user addressed by the path, if the caller administers their agency.
async fn load_managed(state: &AppState, staff: &Staff, id: UserId) -> Result<User, AppError> {
    let user = state.store.get_user(id).await?.ok_or(AppError::NotFound)?;
    staff.require(Action::ManageUsers, user.org_id)?;
    Ok(user)
}

struct Shown {
    display_name: String,
    org_id: String,
    active: bool,
}

async fn user_page(
    state: &AppState,
    staff: &Staff,
    user: &User,
    shown: Shown,
    errors: FieldErrors,
    saved: bool,
) -> Result<Response, AppError> {
    let grants = state
        .store
        .list_grants(user.id)
        .await?
        .into_iter()
        .map(|g| GrantRow {
            role: g.role.label(),
            role_code: g.role.as_str(),
            org: staff.org_name(g.org_id),
            org_id: g.org_id,
            subtree: g.subtree,
            can_revoke: staff.principal.can_assign(&g, &staff.tree),
        })
        .collect();
    let mut roles = vec![Choice::new("", "请选择", "")];
    roles.extend(
        Role::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), r.label(), "")),
    );
    let page = UserPage {
        layout: staff.layout(&format!("用户：{}", user.display_name)),
        nav: staff.nav("users"),
        csrf: staff.csrf.clone(),
        user_id: user.id,
        username: user.username.clone(),
        display_name: shown.display_name,
        active: shown.active,
        orgs: manageable_org_choices(staff, &shown.org_id),
        grants,
        roles,
        grant_orgs: manageable_org_choices(staff, ""),
        errors,
        saved,
    };
    Ok(render(&page)?.into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<UserId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let user = load_managed(&state, &staff, id).await?;
    let shown = Shown {
        display_name: user.display_name.clone(),
        org_id: user.org_id.to_string(),
        active: user.active,
    };
    user_page(
        &state,
        &staff,
        &user,
        shown,
        FieldErrors::new(),
        q.saved.is_some(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserPost {
    display_name: String,
    org_id: String,
    active: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    Posted { staff, form: p }: Posted<UserPost>,
) -> Result<Response, AppError> {
    let user = load_managed(&state, &staff, id).await?;
    let mut e = FieldErrors::new();
    let display_name = text::required(
        &mut e,
        "display_name",
        "姓名",
        &p.display_name,
        DISPLAY_NAME_MAX,
    );
    let org_id = match p.org_id.trim().parse::<OrgId>() {
        Ok(o) if staff.can(Action::ManageUsers, o) => o,
        _ => {
            e.add("org_id", "请选择您有权管理的机构");
            user.org_id
        }
    };
    let active = p.active.is_some();
    if !active && user.id == staff.user.id {
        e.add("active", "不能停用自己的账号");
    }
    if !e.is_empty() {
        let shown = Shown {
            display_name: p.display_name,
            org_id: p.org_id,
            active,
        };
        return user_page(&state, &staff, &user, shown, e, false).await;
    }
    let patch = UserPatch {
        display_name,
        org_id,
        active,
    };
    state.store.update_user(&staff.actor(), id, &patch).await?;
    if !active {
        // A deactivated account must not keep working through an open session.
        state.store.delete_user_sessions(id, None).await?;
    }
    Ok(see_other(&format!("/console/users/{id}?saved=1")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetPost {
    password: String,
    password_confirm: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    Posted { staff, form: p }: Posted<ResetPost>,
) -> Result<Response, AppError> {
    let user = load_managed(&state, &staff, id).await?;
    let mut e = FieldErrors::new();
    if let Err(m) = password::check_policy(&p.password) {
        e.add("password", m);
    } else if p.password != p.password_confirm {
        e.add("password_confirm", "两次输入的密码不一致");
    }
    if !e.is_empty() {
        let shown = Shown {
            display_name: user.display_name.clone(),
            org_id: user.org_id.to_string(),
            active: user.active,
        };
        return user_page(&state, &staff, &user, shown, e, false).await;
    }
    let hash = hash_password(p.password).await?;
    state
        .store
        .set_password_hash(&staff.actor(), id, &hash)
        .await?;
    // Whoever used the old password is signed out, except the admin resetting their own.
    let keep = (id == staff.user.id).then_some(staff.session_hash.as_str());
    state.store.delete_user_sessions(id, keep).await?;
    Ok(see_other(&format!("/console/users/{id}?saved=1")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GrantPost {
    role: String,
    org_id: String,
    subtree: Option<String>,
}

fn parse_grant(p: &GrantPost) -> Result<Grant, FieldErrors> {
    let mut e = FieldErrors::new();
    let role = Role::parse(&p.role);
    if role.is_none() {
        e.add("role", "请选择角色");
    }
    let org = p.org_id.trim().parse::<OrgId>().ok();
    if org.is_none() {
        e.add("grant_org", "请选择机构");
    }
    match (role, org) {
        (Some(r), Some(o)) => Ok(Grant::new(r, o, p.subtree.is_some())),
        _ => Err(e),
    }
}

pub async fn grant(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    Posted { staff, form: p }: Posted<GrantPost>,
) -> Result<Response, AppError> {
    let user = load_managed(&state, &staff, id).await?;
    let g = match parse_grant(&p) {
        Ok(g) => g,
        Err(e) => {
            let shown = Shown {
                display_name: user.display_name.clone(),
                org_id: user.org_id.to_string(),
                active: user.active,
            };
            return user_page(&state, &staff, &user, shown, e, false).await;
        }
    };
    if !staff.principal.can_assign(&g, &staff.tree) {
        return Err(AppError::Forbidden);
    }
    state.store.grant(&staff.actor(), id, &g).await?;
    Ok(see_other(&format!("/console/users/{id}?saved=1")))
}

pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    Posted { staff, form: p }: Posted<GrantPost>,
) -> Result<Response, AppError> {
    load_managed(&state, &staff, id).await?;
    let wanted = parse_grant(&p).map_err(|_| AppError::BadRequest("撤销的角色不存在。".into()))?;
    let existing = state
        .store
        .list_grants(id)
        .await?
        .into_iter()
        .find(|g| g.role == wanted.role && g.org_id == wanted.org_id)
        .ok_or(AppError::NotFound)?;
    if !staff.principal.can_assign(&existing, &staff.tree) {
        return Err(AppError::Forbidden);
    }
    state.store.revoke(&staff.actor(), id, &existing).await?;
    Ok(see_other(&format!("/console/users/{id}?saved=1")))
}
