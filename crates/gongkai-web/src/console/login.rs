//! Sign-in, sign-out and changing one's own password.

use super::auth::{
    self, LOGIN_CSRF_COOKIE, Posted, SESSION_COOKIE, Staff, constant_time_eq, cookie_value,
    random_token, set_cookie, token_hash,
};
use super::{Empty, Nav, see_other};
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use gongkai_core::audit::{Actor, AuditEvent};
use gongkai_core::password;
use gongkai_core::session::{LockoutPolicy, SessionPolicy, SessionRecord};
use gongkai_core::text::FieldErrors;
use serde::Deserialize;

pub const BAD_CREDENTIALS: &str = "用户名或密码错误";
pub const LOCKED: &str = "登录失败次数过多，账号已临时锁定，请15分钟后再试";

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    next: String,
    username: String,
    message: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

async fn login_layout(state: &AppState) -> Result<Layout, AppError> {
    let orgs = state.store.list_orgs().await?;
    Ok(Layout {
        site_name: auth::site_name(state, &orgs),
        title: "工作人员登录".into(),
        demo: state.config.demo,
        area: "console",
        ..Default::default()
    })
}

/// Renders the sign-in form with a fresh double-submit token.
async fn login_page(
    state: &AppState,
    status: StatusCode,
    next: &str,
    username: &str,
    message: Option<&str>,
) -> Result<Response, AppError> {
    let csrf = random_token()?;
    let page = LoginPage {
        layout: login_layout(state).await?,
        csrf: csrf.clone(),
        next: auth::safe_next(next).unwrap_or("/console").to_string(),
        username: username.to_string(),
        message: message.map(str::to_string),
    };
    let cookie = set_cookie(LOGIN_CSRF_COOKIE, Some(&csrf), state.config.secure_cookies);
    Ok((status, [(header::SET_COOKIE, cookie)], render(&page)?).into_response())
}

pub async fn login_form(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    login_page(&state, StatusCode::OK, &q.next, "", None).await
}

pub async fn login_submit(
    State(state): State<AppState>,
    auth::ClientIp(ip): auth::ClientIp,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Result<Response, AppError> {
    let cookie_token = cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if !constant_time_eq(&cookie_token, &f.csrf) {
        return Ok(auth::csrf_rejected());
    }
    if !state.login_limiter.allow(ip) {
        return Ok(crate::error::error_response(
            StatusCode::TOO_MANY_REQUESTS,
            "尝试次数过多",
            "来自您所在网络的登录尝试过于频繁，请10分钟后再试。".into(),
        ));
    }
    let store = &state.store;
    let now = Utc::now();
    // The throttle key is the normalised name whether or not the account
    // exists, so a lockout reveals nothing about which names are real.
    let key = f.username.trim().to_ascii_lowercase();
    let policy = LockoutPolicy::default();
    let throttle = store.get_login_throttle(&key).await?;
    if policy.is_locked(throttle.as_ref(), now) {
        return login_page(&state, StatusCode::OK, &f.next, &f.username, Some(LOCKED)).await;
    }
    let creds = store.get_credentials(&key).await?;
    let hash = creds
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| password::decoy_hash().to_string());
    let pw = f.password.clone();
    let matches = tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
        .await
        .map_err(|e| AppError::Internal(format!("verify task: {e}")))?;
    let user = creds.map(|c| c.user);
    match user {
        Some(user) if matches && user.active => {
            store.clear_login_throttle(&key).await?;
            let token = random_token()?;
            let session = SessionRecord {
                id_hash: token_hash(&token),
                user_id: user.id,
                csrf_token: random_token()?,
                created_at: now,
                last_seen_at: now,
                expires_at: SessionPolicy::default().expiry_after_activity(now, now),
            };
            store.create_session(&session).await?;
            // Sign-ins are rare enough to carry the clean-up of stale sessions.
            store.purge_expired_sessions(now).await?;
            store
                .append_audit(
                    &Actor::user(user.id, &user.username),
                    &AuditEvent::note(
                        Some(user.org_id),
                        "session.login",
                        "user",
                        user.id,
                        serde_json::json!({ "username": user.username }),
                    ),
                )
                .await?;
            let secure = state.config.secure_cookies;
            let mut resp = see_other(auth::safe_next(&f.next).unwrap_or("/console"));
            let h = resp.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, Some(&token), secure),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(LOGIN_CSRF_COOKIE, None, secure),
            );
            Ok(resp)
        }
        user => {
            let t = policy.after_failure(&key, throttle.as_ref(), now);
            let locked = policy.is_locked(Some(&t), now);
            store.put_login_throttle(&t).await?;
            if let Some(user) = user {
                store
                    .append_audit(
                        &Actor::user(user.id, &user.username),
                        &AuditEvent::note(
                            Some(user.org_id),
                            "session.login_failed",
                            "user",
                            user.id,
                            serde_json::json!({ "username": user.username, "failures": t.failures }),
                        ),
                    )
                    .await?;
            }
            let msg = if locked { LOCKED } else { BAD_CREDENTIALS };
            login_page(&state, StatusCode::OK, &f.next, &f.username, Some(msg)).await
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    Posted { staff, .. }: Posted<Empty>,
) -> Result<Response, AppError> {
    state.store.delete_session(&staff.session_hash).await?;
    state
        .store
        .append_audit(
            &staff.actor(),
            &AuditEvent::note(
                Some(staff.user.org_id),
                "session.logout",
                "user",
                staff.user.id,
                serde_json::json!({ "username": staff.user.username }),
            ),
        )
        .await?;
    let mut resp = see_other("/console/login");
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, None, state.config.secure_cookies),
    );
    Ok(resp)
}

#[derive(Template)]
#[template(path = "console/password.html")]
struct PasswordPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    errors: FieldErrors,
    done: bool,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

fn password_page(staff: &Staff, errors: FieldErrors, done: bool) -> Result<Response, AppError> {
    let page = PasswordPage {
        layout: staff.layout("修改密码"),
        nav: staff.nav("password"),
        csrf: staff.csrf.clone(),
        errors,
        done,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn password_form(staff: Staff, Query(q): Query<DoneQuery>) -> Result<Response, AppError> {
    password_page(&staff, FieldErrors::new(), q.done.is_some())
}

pub async fn password_submit(
    State(state): State<AppState>,
    Posted { staff, form: f }: Posted<PasswordForm>,
) -> Result<Response, AppError> {
    let store = &state.store;
    let creds = store
        .get_credentials(&staff.user.username)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let current = f.current.clone();
    let ok = tokio::task::spawn_blocking(move || password::verify(&current, &creds.password_hash))
        .await
        .map_err(|e| AppError::Internal(format!("verify task: {e}")))?;
    if !ok {
        errors.add("current", "当前密码不正确");
    }
    if let Err(m) = password::check_policy(&f.new_password) {
        errors.add("new_password", m);
    } else if f.new_password != f.confirm {
        errors.add("confirm", "两次输入的密码不一致");
    }
    if !errors.is_empty() {
        return password_page(&staff, errors, false);
    }
    let hash = hash_password(f.new_password).await?;
    store
        .set_password_hash(&staff.actor(), staff.user.id, &hash)
        .await?;
    // Anyone holding an old session (a stolen cookie) is signed out.
    store
        .delete_user_sessions(staff.user.id, Some(&staff.session_hash))
        .await?;
    Ok(see_other("/console/password?done=1"))
}

/// Argon2 off the async runtime.
pub async fn hash_password(pw: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(|e| AppError::Internal(format!("hash task: {e}")))?
        .map_err(AppError::Internal)
}
