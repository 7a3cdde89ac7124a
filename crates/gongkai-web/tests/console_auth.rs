//! Sign-in, sign-out, lockout, CSRF and password change over HTTP.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Harness, PASSWORD, form_body};

const BAD: &str = "用户名或密码错误";
const LOCKED: &str = "登录失败次数过多，账号已临时锁定，请15分钟后再试";

/// The alert paragraph of the login page.
fn alert(body: &str) -> String {
    let start = body
        .find(r#"<p class="notice error""#)
        .expect("alert shown");
    let end = body[start..].find("</p>").unwrap();
    body[start..start + end].to_string()
}

#[tokio::test]
async fn sign_in_sets_a_strict_cookie_and_sign_out_ends_the_session() {
    let h = Harness::new().await;
    let r = h.try_login("ROOT", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/console");
    let set = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("gk_session="))
        .unwrap();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    assert!(set.contains("Path=/console"), "{set}");
    let s = h.login("root").await;
    let home = h.get("/console", Some(&s.cookie)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("系统管理员甲"));
    assert!(home.body.contains("系统管理员"));
    assert_eq!(home.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let out = h.post(&s, "/console/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.cookie("gk_session").as_deref(), Some(""));
    let after = h.get("/console", Some(&s.cookie)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/console/login?next="));
    let actions = h.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "session.login").count(), 2);
    assert_eq!(actions.last().unwrap(), "session.logout");
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_the_login_page_with_next() {
    let h = Harness::new().await;
    let r = h.get("/console/orgs", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/console/login?next=/console/orgs");
    let bogus = h.get("/console/orgs", Some("gk_session=forged")).await;
    assert_eq!(bogus.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let h = Harness::new().await;
    let wrong = h.try_login("root", "wrong-password-1").await;
    let unknown = h.try_login("nobody", "wrong-password-1").await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(wrong.body.contains(BAD));
    assert_eq!(alert(&wrong.body), alert(&unknown.body));
    assert!(wrong.cookie("gk_session").is_none());
    // Only the existing account gets an audit record.
    let actions = h.audit_actions().await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "session.login_failed")
            .count(),
        1
    );
}

#[tokio::test]
async fn five_failures_lock_the_account_and_unknown_names_too() {
    let h = Harness::new().await;
    for _ in 0..5 {
        h.try_login("pub.a", "wrong-password-1").await;
        h.try_login("ghost", "wrong-password-1").await;
    }
    let right = h.try_login("pub.a", PASSWORD).await;
    assert_eq!(right.status, StatusCode::OK);
    assert!(right.body.contains(LOCKED));
    assert!(right.cookie("gk_session").is_none());
    let ghost = h.try_login("ghost", "whatever-1234").await;
    assert_eq!(alert(&ghost.body), alert(&right.body));
    // Other accounts are unaffected.
    assert_eq!(
        h.try_login("root", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn login_form_without_matching_cookie_token_is_refused() {
    let h = Harness::new().await;
    let r = h
        .post_raw(
            "/console/login",
            Some("gk_login_csrf=aaaa"),
            form_body(&[
                ("csrf", "bbbb"),
                ("username", "root"),
                ("password", PASSWORD),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.cookie("gk_session").is_none());
    assert!(!h.audit_actions().await.contains(&"session.login".into()));
}

#[tokio::test]
async fn cross_site_and_token_less_posts_change_nothing() {
    let h = Harness::new().await;
    let s = h.login("root").await;
    let path = format!("/console/orgs/{}", h.orgs.dept_a);
    let fields = [
        ("csrf", s.csrf.as_str()),
        ("name", "被篡改的名称"),
        ("kind", "department"),
        ("level", "city"),
        ("active", "1"),
    ];
    let req = Request::post(&path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(form_body(&fields)))
        .unwrap();
    assert_eq!(h.send(req).await.status, StatusCode::FORBIDDEN);
    let wrong = h
        .post_raw(
            &path,
            Some(&s.cookie),
            form_body(&[("csrf", "not-the-token"), ("name", "被篡改的名称")]),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let missing = h
        .post_raw(
            &path,
            Some(&s.cookie),
            form_body(&[("name", "被篡改的名称")]),
        )
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let org = h.store.get_org(h.orgs.dept_a).await.unwrap().unwrap();
    assert_eq!(org.name, "青岚市交通运输局");
    assert_ne!(h.last_action().await, "org.update");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let h = Harness::new().await;
    let old = h.login("pub.a").await;
    let cur = h.login("pub.a").await;
    let bad = h
        .post(
            &cur,
            "/console/password",
            &[
                ("current", "not-my-password-1"),
                ("new_password", "brand-new-pass-77"),
                ("confirm", "brand-new-pass-77"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("当前密码不正确"));
    let ok = h
        .post(
            &cur,
            "/console/password",
            &[
                ("current", PASSWORD),
                ("new_password", "brand-new-pass-77"),
                ("confirm", "brand-new-pass-77"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(h.last_action().await, "user.password");
    assert_eq!(
        h.get("/console", Some(&old.cookie)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        h.get("/console", Some(&cur.cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        h.try_login("pub.a", "brand-new-pass-77").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn too_many_attempts_from_one_address_get_429() {
    let h = Harness::new().await;
    // Without connect info every request shares one bucket of 30 attempts.
    for _ in 0..30 {
        let r = h.try_login("nobody", "wrong-password-1").await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = h.try_login("root", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("登录尝试过于频繁"));
    assert!(r.cookie("gk_session").is_none());
}

#[tokio::test]
async fn sign_in_returns_to_next_only_inside_the_console() {
    let h = Harness::new().await;
    for (next, expected) in [
        ("/console/orgs?x=1", "/console/orgs?x=1"),
        ("https://evil.example/", "/console"),
        ("//evil.example/console", "/console"),
    ] {
        let page = h
            .get(
                &format!("/console/login?next={}", common::encode(next)),
                None,
            )
            .await;
        let token = page.cookie("gk_login_csrf").unwrap();
        let r = h
            .post_raw(
                "/console/login",
                Some(&format!("gk_login_csrf={token}")),
                form_body(&[
                    ("csrf", &token),
                    ("username", "root"),
                    ("password", PASSWORD),
                    ("next", next),
                ]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), expected, "next={next}");
    }
}
