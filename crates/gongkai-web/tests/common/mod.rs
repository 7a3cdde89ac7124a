//! Test harness for console HTTP tests: a seeded store (SQLite in a tempdir
//! by default, or a fresh PostgreSQL database, see [`Harness::new_on`]),
//! the full app, and helpers that sign in and post forms like a browser.
#![allow(dead_code)]

pub mod catalog;
pub mod docs;
pub mod items;
pub mod multipart;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::org::OrgForm;
use gongkai_core::store::AuditQuery;
use gongkai_core::user::{Grant, NewUser, Role};
use gongkai_core::{Store, UserId};
use gongkai_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub const PASSWORD: &str = "gongkai-test-2026";

pub struct Orgs {
    pub city: OrgId,
    pub office: OrgId,
    pub dept_a: OrgId,
    pub dept_b: OrgId,
    pub county: OrgId,
    pub township: OrgId,
}

pub struct Users {
    pub root: UserId,
    pub publisher_a: UserId,
    pub supervisor: UserId,
    pub county_admin: UserId,
}

/// The database a [`Harness`] runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates two tests from one `async fn(Harness)` body: `$sqlite` on
/// SQLite and `$pg` on a fresh PostgreSQL database, skipped with a message
/// on stderr when `GONGKAI_TEST_PG_URL` is unset.
#[macro_export]
macro_rules! on_both_backends {
    ($sqlite:ident, $pg:ident, $body:path) => {
        #[tokio::test]
        async fn $sqlite() {
            $body($crate::common::Harness::new().await).await;
        }

        #[tokio::test]
        async fn $pg() {
            let backend = $crate::common::Backend::Postgres;
            if let Some(h) = $crate::common::Harness::new_on(backend, stringify!($pg)).await {
                $body(h).await;
            }
        }
    };
}

/// Keeps the harness's database alive, and removes it when dropped.
enum Backing {
    Sqlite(tempfile::TempDir),
    Postgres(gongkai_store::test_db::TestPgDb),
}

pub struct Harness {
    // Dropped before `store` and `app` (fields drop in order): fine, since
    // the PostgreSQL guard drops its database `WITH (FORCE)`, which ends
    // the connections their pool still holds.
    _db: Backing,
    pub store: Arc<dyn Store>,
    pub app: Router,
    pub orgs: Orgs,
    pub users: Users,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }

    /// The value a `Set-Cookie` header gives `name` (empty when cleared).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies().into_iter().find_map(|c| {
            let first = c.split(';').next()?.trim().to_string();
            let (k, v) = first.split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }
}

/// A signed-in browser: the session cookie and the form token.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

fn hash() -> String {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| gongkai_core::password::hash(PASSWORD).unwrap())
        .clone()
}

pub fn org_form(name: &str, kind: &str, level: &str) -> OrgForm {
    OrgForm {
        name: name.into(),
        kind: kind.into(),
        level: level.into(),
        active: true,
        ..Default::default()
    }
}

pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A valid 18-digit 居民身份证号码: `first17` and its check character.
pub fn id_number(first17: &str) -> String {
    format!(
        "{first17}{}",
        gongkai_core::request::id_doc::resident_id_check_char(first17).unwrap()
    )
}

/// A `YYYY-MM-DD` date.
pub fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Moves the app's "today" to `YYYY-MM-DD`, the date of a story's next step.
pub fn set_today(clock: &gongkai_web::Today, s: &str) {
    clock.set(Some(date(s)));
}

/// The value of the first hidden `csrf` field in a page.
pub fn csrf_field(body: &str) -> Option<String> {
    let marker = r#"name="csrf" value=""#;
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_string())
}

impl Harness {
    /// The seeded app on SQLite.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = gongkai_store::sqlite_url_for_data_dir(dir.path()).unwrap();
        Self::seeded(Backing::Sqlite(dir), &url).await
    }

    /// The seeded app on `backend`; `None` (with a skip message on stderr
    /// naming `test`) for PostgreSQL when `GONGKAI_TEST_PG_URL` is unset.
    pub async fn new_on(backend: Backend, test: &str) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::new().await),
            Backend::Postgres => {
                let (db, url) = gongkai_store::test_db::TestPgDb::create("gk_web", test).await?;
                Some(Self::seeded(Backing::Postgres(db), &url).await)
            }
        }
    }

    async fn seeded(db: Backing, url: &str) -> Self {
        let store = gongkai_store::open(url).await.unwrap();
        let cli = Actor::cli();
        let mk = |name: &str, kind: &str, level: &str| org_form(name, kind, level);
        let city = store
            .create_org(
                &cli,
                None,
                &mk("青岚市人民政府", "government", "city")
                    .validate(None)
                    .unwrap(),
            )
            .await
            .unwrap();
        let child = |f: OrgForm, parent: &gongkai_core::org::Organisation| {
            f.validate(Some(parent.level)).unwrap()
        };
        let office = store
            .create_org(
                &cli,
                Some(city.id),
                &child(mk("青岚市人民政府办公室", "general_office", "city"), &city),
            )
            .await
            .unwrap();
        let dept_a = store
            .create_org(
                &cli,
                Some(city.id),
                &child(mk("青岚市交通运输局", "department", "city"), &city),
            )
            .await
            .unwrap();
        let dept_b = store
            .create_org(
                &cli,
                Some(city.id),
                &child(mk("青岚市教育局", "department", "city"), &city),
            )
            .await
            .unwrap();
        let county = store
            .create_org(
                &cli,
                Some(city.id),
                &child(mk("枫溪县人民政府", "government", "county"), &city),
            )
            .await
            .unwrap();
        let township = store
            .create_org(
                &cli,
                Some(county.id),
                &child(
                    mk("枫溪县石桥镇人民政府", "township_street", "township"),
                    &county,
                ),
            )
            .await
            .unwrap();
        let user = |username: &str, name: &str, org: OrgId| NewUser {
            username: username.into(),
            display_name: name.into(),
            org_id: org,
            password_hash: hash(),
        };
        let root = store
            .create_user(&cli, &user("root", "系统管理员甲", city.id))
            .await
            .unwrap();
        store
            .grant(&cli, root.id, &Grant::new(Role::Admin, city.id, true))
            .await
            .unwrap();
        let publisher_a = store
            .create_user(&cli, &user("pub.a", "发布员乙", dept_a.id))
            .await
            .unwrap();
        store
            .grant(
                &cli,
                publisher_a.id,
                &Grant::new(Role::Publisher, dept_a.id, false),
            )
            .await
            .unwrap();
        let supervisor = store
            .create_user(&cli, &user("sup", "监督员丙", county.id))
            .await
            .unwrap();
        store
            .grant(
                &cli,
                supervisor.id,
                &Grant::new(Role::Supervisor, county.id, true),
            )
            .await
            .unwrap();
        let county_admin = store
            .create_user(&cli, &user("county.admin", "县管理员丁", county.id))
            .await
            .unwrap();
        store
            .grant(
                &cli,
                county_admin.id,
                &Grant::new(Role::Admin, county.id, true),
            )
            .await
            .unwrap();
        let app = app(AppState::new(store.clone(), WebConfig::default()));
        Harness {
            _db: db,
            store,
            app,
            orgs: Orgs {
                city: city.id,
                office: office.id,
                dept_a: dept_a.id,
                dept_b: dept_b.id,
                county: county.id,
                township: township.id,
            },
            users: Users {
                root: root.id,
                publisher_a: publisher_a.id,
                supervisor: supervisor.id,
                county_admin: county_admin.id,
            },
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Resp {
        let mut b = Request::get(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    pub async fn post_raw(&self, path: &str, cookie: Option<&str>, body: String) -> Resp {
        let mut b =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// Posts a form as the signed-in user, with the session's csrf token.
    pub async fn post(&self, s: &Session, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all = vec![("csrf", s.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, Some(&s.cookie), form_body(&all)).await
    }

    /// Submits the sign-in form; returns the response to the POST.
    pub async fn try_login(&self, username: &str, password: &str) -> Resp {
        let page = self.get("/console/login", None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let token = page.cookie("gk_login_csrf").expect("login csrf cookie");
        let field = csrf_field(&page.body).expect("login csrf field");
        assert_eq!(token, field);
        self.post_raw(
            "/console/login",
            Some(&format!("gk_login_csrf={token}")),
            form_body(&[
                ("csrf", &field),
                ("username", username),
                ("password", password),
                ("next", "/console"),
            ]),
        )
        .await
    }

    /// A staff account `username` (password [`PASSWORD`], display name
    /// `{username}姓名`) at `org` holding `role` there (no subtree).
    pub async fn staff_user(&self, username: &str, role: Role, org: OrgId) -> UserId {
        let u = self
            .store
            .create_user(
                &Actor::cli(),
                &NewUser {
                    username: username.into(),
                    display_name: format!("{username}姓名"),
                    org_id: org,
                    password_hash: gongkai_core::password::hash(PASSWORD).unwrap(),
                },
            )
            .await
            .unwrap();
        self.store
            .grant(&Actor::cli(), u.id, &Grant::new(role, org, false))
            .await
            .unwrap();
        u.id
    }

    pub async fn login(&self, username: &str) -> Session {
        let r = self.try_login(username, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login failed: {}", r.body);
        let token = r.cookie("gk_session").expect("session cookie");
        let cookie = format!("gk_session={token}");
        let page = self.get("/console/password", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = csrf_field(&page.body).expect("csrf on console page");
        Session { cookie, csrf }
    }

    pub async fn audit_actions(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .store
            .list_audit(&AuditQuery {
                org_ids: None,
                before_seq: None,
                limit: 10_000,
            })
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        v.reverse();
        v
    }

    pub async fn last_action(&self) -> String {
        self.audit_actions().await.pop().unwrap_or_default()
    }
}
