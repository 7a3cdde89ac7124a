//! Sessions, CSRF tokens and login throttling: the plumbing every console
//! page stands on. The sign-in pages themselves live in `login.rs`.

use crate::error::AppError;
use crate::{AppState, Layout};
use axum::body::{Body, Bytes};
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::authz::{Action, Principal};
use gongkai_core::org::Organisation;
use gongkai_core::org_tree::OrgTree;
use gongkai_core::session::SessionPolicy;
use gongkai_core::user::User;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

pub const SESSION_COOKIE: &str = "gk_session";
pub const LOGIN_CSRF_COOKIE: &str = "gk_login_csrf";
/// Sessions are touched at most this often, to limit database writes.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// Per-IP limiter for sign-in attempts (in-process; the per-account
/// lockout lives in the database and works across nodes). A fixed window
/// per address is enough to slow down password spraying from one host.
#[derive(Debug)]
pub struct IpLimiter {
    max: u32,
    window: std::time::Duration,
    buckets: Mutex<HashMap<Option<IpAddr>, (Instant, u32)>>,
}

impl Default for IpLimiter {
    fn default() -> Self {
        Self::new(30, std::time::Duration::from_secs(600))
    }
}

impl IpLimiter {
    pub fn new(max: u32, window: std::time::Duration) -> Self {
        Self {
            max,
            window,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Records one attempt from `ip` (`None`: address unknown, one shared
    /// bucket) and says whether it is within the limit.
    pub fn allow(&self, ip: Option<IpAddr>) -> bool {
        let now = Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if b.len() > 10_000 {
            // Forget finished windows so the map cannot grow without bound.
            b.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = b.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.max
    }
}

/// 32 random bytes, base64url-encoded.
pub fn random_token() -> Result<String, AppError> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| AppError::Internal(format!("getrandom: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// What the database stores instead of the cookie value.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares secrets without leaking the position of the first difference.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value for a console cookie; `None` clears it.
pub fn set_cookie(name: &str, value: Option<&str>, secure: bool) -> HeaderValue {
    let mut c = match value {
        Some(v) => format!("{name}={v}; Path=/console; HttpOnly; SameSite=Strict"),
        None => format!("{name}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"),
    };
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Only same-site relative paths are followed after sign-in, so the login
/// page cannot be used as an open redirect.
pub fn safe_next(next: &str) -> Option<&str> {
    let in_console =
        next == "/console" || next.starts_with("/console/") || next.starts_with("/console?");
    let ok = in_console
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control());
    ok.then_some(next)
}

/// A signed-in staff member, with everything a console page needs to
/// decide what to show: the principal and the whole organisation tree.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub principal: Principal,
    pub tree: OrgTree,
    /// All organisations, ordered by level, sort order, id.
    pub orgs: Vec<Organisation>,
    pub session_hash: String,
    pub csrf: String,
    pub site_name: String,
    pub demo: bool,
}

impl Staff {
    pub fn can(&self, action: Action, org: OrgId) -> bool {
        self.principal.can(action, org, &self.tree)
    }

    pub fn require(&self, action: Action, org: OrgId) -> Result<(), AppError> {
        if self.can(action, org) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn scope(&self, action: Action) -> Vec<OrgId> {
        self.principal.scope(action, &self.tree)
    }

    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.username)
    }

    pub fn org(&self, id: OrgId) -> Option<&Organisation> {
        self.orgs.iter().find(|o| o.id == id)
    }

    pub fn org_name(&self, id: OrgId) -> String {
        self.org(id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| format!("（机构{id}）"))
    }

    /// Organisations where `action` is allowed, in display (tree) order.
    pub fn orgs_for(&self, action: Action) -> Vec<&Organisation> {
        let scope = self.scope(action);
        self.tree_order()
            .into_iter()
            .filter(|o| scope.contains(&o.id))
            .collect()
    }

    /// All organisations depth-first, so children follow their parent.
    pub fn tree_order(&self) -> Vec<&Organisation> {
        let mut out = Vec::with_capacity(self.orgs.len());
        let roots = self.orgs.iter().filter(|o| {
            o.parent_id
                .is_none_or(|p| !self.orgs.iter().any(|x| x.id == p))
        });
        for r in roots {
            self.push_subtree(r, &mut out);
        }
        out
    }

    fn push_subtree<'a>(&'a self, o: &'a Organisation, out: &mut Vec<&'a Organisation>) {
        if out.iter().any(|x| x.id == o.id) {
            return;
        }
        out.push(o);
        for c in self.orgs.iter().filter(|c| c.parent_id == Some(o.id)) {
            self.push_subtree(c, out);
        }
    }

    /// Nesting depth below the topmost organisation (0 for the root).
    pub fn depth(&self, id: OrgId) -> usize {
        self.tree.ancestry(id).len().saturating_sub(1)
    }

    pub fn layout(&self, title: &str) -> Layout {
        Layout {
            site_name: self.site_name.clone(),
            title: title.into(),
            demo: self.demo,
            staff_name: Some(self.user.display_name.clone()),
            csrf: Some(self.csrf.clone()),
            area: "console",
        }
    }

    /// The sidebar, with `current` marking the section of the page.
    pub fn nav(&self, current: &'static str) -> super::Nav {
        super::Nav::for_staff(self, current)
    }
}

/// The site name, decided the same way as on the portal.
pub fn site_name(state: &AppState, orgs: &[Organisation]) -> String {
    crate::layout::site_name(&state.config, orgs)
}

fn to_login(parts: &Parts) -> Response {
    // Inside `nest("/console")` the URI is stripped; the original keeps the prefix.
    let uri = parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map(|o| &o.0)
        .unwrap_or(&parts.uri);
    let here = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/console");
    let next = if parts.method == axum::http::Method::GET {
        safe_next(here).unwrap_or("/console")
    } else {
        "/console"
    };
    let target = format!("/console/login?next={}", encode_component(next));
    Redirect::to(&target).into_response()
}

/// Percent-encodes a query component.
pub fn encode_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login(parts));
        };
        let hash = token_hash(&token);
        let now = Utc::now();
        let store = &state.store;
        let err = |e: gongkai_core::StoreError| AppError::from(e).into_response();
        let Some(session) = store.get_session(&hash, now).await.map_err(err)? else {
            return Err(to_login(parts));
        };
        let user = match store.get_user(session.user_id).await.map_err(err)? {
            Some(u) if u.active => u,
            _ => {
                store.delete_session(&hash).await.map_err(err)?;
                return Err(to_login(parts));
            }
        };
        if now - session.last_seen_at >= TOUCH_EVERY {
            let expires = SessionPolicy::default().expiry_after_activity(session.created_at, now);
            store
                .touch_session(&hash, now, expires)
                .await
                .map_err(err)?;
        }
        let grants = store.list_grants(user.id).await.map_err(err)?;
        let orgs = store.list_orgs().await.map_err(err)?;
        Ok(Staff {
            principal: Principal::new(&user, grants),
            tree: OrgTree::from_orgs(&orgs),
            site_name: site_name(state, &orgs),
            demo: state.config.demo,
            orgs,
            user,
            session_hash: hash,
            csrf: session.csrf_token,
        })
    }
}

/// The client address when the server was started with connect info;
/// `None` otherwise (tests, some proxies), which means one shared bucket.
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(ip))
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A console form POST: the signed-in staff member plus the decoded form,
/// accepted only when the hidden `csrf` field matches the session's token.
/// Handlers cannot forget the check because they cannot get the form without it.
pub struct Posted<T> {
    pub staff: Staff,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| AppError::BadRequest("请求内容无法读取，请重新提交。".into()))
            .map_err(IntoResponse::into_response)?;
        let token = decode_form::<CsrfField>(&parts, &bytes, state).await?.csrf;
        if !constant_time_eq(&token, &staff.csrf) {
            return Err(csrf_rejected());
        }
        let form = decode_form::<T>(&parts, &bytes, state).await?;
        Ok(Posted { staff, form })
    }
}

pub async fn decode_form<T: DeserializeOwned>(
    parts: &Parts,
    bytes: &Bytes,
    state: &AppState,
) -> Result<T, Response> {
    let req = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    Form::<T>::from_request(req, state)
        .await
        .map(|Form(f)| f)
        .map_err(|_| {
            AppError::BadRequest("表单内容不完整或格式不正确，请返回后重新填写。".into())
                .into_response()
        })
}

pub fn csrf_rejected() -> Response {
    crate::error::error_response(
        axum::http::StatusCode::FORBIDDEN,
        "请求已失效",
        "页面已过期或请求来源无法验证，操作未执行。请刷新页面后重试。".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_blocks_after_max_attempts_per_address() {
        let l = IpLimiter::new(3, std::time::Duration::from_secs(600));
        let a: Option<IpAddr> = Some("10.0.0.1".parse().unwrap());
        let b: Option<IpAddr> = Some("10.0.0.2".parse().unwrap());
        assert!(l.allow(a) && l.allow(a) && l.allow(a));
        assert!(!l.allow(a));
        assert!(l.allow(b), "another address has its own bucket");
    }

    #[test]
    fn next_must_stay_in_the_console() {
        assert_eq!(safe_next("/console/orgs?x=1"), Some("/console/orgs?x=1"));
        assert_eq!(safe_next("//evil.example/console"), None);
        assert_eq!(safe_next("https://evil.example/"), None);
        assert_eq!(safe_next("/console\\..\\x"), None);
    }

    #[test]
    fn tokens_are_random_and_compared_exactly() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
        assert!(!constant_time_eq("", ""));
        assert_eq!(token_hash("x").len(), 64);
    }

    #[test]
    fn secure_flag_follows_the_configuration() {
        let on = set_cookie(SESSION_COOKIE, Some("t"), true);
        let off = set_cookie(SESSION_COOKIE, Some("t"), false);
        assert!(on.to_str().unwrap().ends_with("; Secure"));
        assert!(!off.to_str().unwrap().contains("Secure"));
        let cleared = set_cookie(SESSION_COOKIE, None, false);
        assert!(cleared.to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("gk_session_x=1; gk_session=abc"),
        );
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("abc"));
    }
}
