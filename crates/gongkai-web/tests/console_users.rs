//! Staff accounts and role grants over HTTP, with scopes.

use crate::common;

use axum::http::StatusCode;
use common::Harness;
use gongkai_core::user::{Grant, Role};

#[tokio::test]
async fn admin_creates_a_user_and_duplicates_are_refused() {
    let h = Harness::new().await;
    let s = h.login("root").await;
    let org = h.orgs.dept_b.to_string();
    let fields = [
        ("username", "Wang.Wu"),
        ("display_name", "王五"),
        ("org_id", org.as_str()),
        ("password", "initial-pass-2026"),
        ("password_confirm", "initial-pass-2026"),
    ];
    let r = h.post(&s, "/console/users/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let creds = h.store.get_credentials("wang.wu").await.unwrap().unwrap();
    assert_eq!(creds.user.display_name, "王五");
    assert_eq!(creds.user.org_id, h.orgs.dept_b);
    assert_eq!(h.last_action().await, "user.create");
    assert_eq!(
        h.try_login("wang.wu", "initial-pass-2026").await.status,
        StatusCode::SEE_OTHER
    );

    let count = h.store.list_users(None).await.unwrap().len();
    let r = h.post(&s, "/console/users/new", &fields).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("用户名已被使用"));
    assert!(r.body.contains(r#"value="Wang.Wu""#), "input kept");
    let r = h
        .post(
            &s,
            "/console/users/new",
            &[("username", "x"), ("display_name", ""), ("org_id", &org)],
        )
        .await;
    assert!(r.body.contains("用户名长度应为3至32个字符"));
    assert!(r.body.contains("请填写姓名"));
    assert_eq!(h.store.list_users(None).await.unwrap().len(), count);
}

#[tokio::test]
async fn grants_and_revocations_are_checked_and_audited() {
    let h = Harness::new().await;
    let s = h.login("root").await;
    let path = format!("/console/users/{}/grants", h.users.publisher_a);
    let org = h.orgs.dept_b.to_string();
    let r = h
        .post(&s, &path, &[("role", "reviewer"), ("org_id", &org)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let grants = h.store.list_grants(h.users.publisher_a).await.unwrap();
    assert!(grants.contains(&Grant::new(Role::Reviewer, h.orgs.dept_b, false)));
    assert_eq!(h.last_action().await, "user.grant");
    let page = h
        .get(
            &format!("/console/users/{}", h.users.publisher_a),
            Some(&s.cookie),
        )
        .await;
    assert!(page.body.contains("保密审查员"));
    assert!(page.body.contains("青岚市教育局"));

    let r = h
        .post(
            &s,
            &format!("{path}/revoke"),
            &[("role", "reviewer"), ("org_id", &org)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let grants = h.store.list_grants(h.users.publisher_a).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(h.last_action().await, "user.revoke");
}

#[tokio::test]
async fn county_admin_stays_inside_the_county() {
    let h = Harness::new().await;
    let s = h.login("county.admin").await;
    let list = h.get("/console/users", Some(&s.cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("监督员丙"));
    assert!(!list.body.contains("发布员乙"));
    assert!(!list.body.contains("系统管理员甲"));
    assert_eq!(
        h.get(
            &format!("/console/users/{}", h.users.publisher_a),
            Some(&s.cookie)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let before = h.store.list_grants(h.users.supervisor).await.unwrap();
    let city = h.orgs.city.to_string();
    let r = h
        .post(
            &s,
            &format!("/console/users/{}/grants", h.users.supervisor),
            &[("role", "admin"), ("org_id", &city), ("subtree", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        h.store.list_grants(h.users.supervisor).await.unwrap(),
        before
    );
    // Within the county it works.
    let township = h.orgs.township.to_string();
    let r = h
        .post(
            &s,
            &format!("/console/users/{}/grants", h.users.supervisor),
            &[("role", "publisher"), ("org_id", &township)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A new user can only be placed in the county.
    let r = h
        .post(
            &s,
            "/console/users/new",
            &[
                ("username", "zhao.liu"),
                ("display_name", "赵六"),
                ("org_id", &city),
                ("password", "initial-pass-2026"),
                ("password_confirm", "initial-pass-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("请选择您有权管理的机构"));
    assert!(h.store.get_credentials("zhao.liu").await.unwrap().is_none());
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_but_not_for_oneself() {
    let h = Harness::new().await;
    let root = h.login("root").await;
    let victim = h.login("pub.a").await;
    let dept = h.orgs.dept_a.to_string();
    let r = h
        .post(
            &root,
            &format!("/console/users/{}", h.users.publisher_a),
            &[("display_name", "发布员乙"), ("org_id", &dept)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let u = h
        .store
        .get_user(h.users.publisher_a)
        .await
        .unwrap()
        .unwrap();
    assert!(!u.active);
    assert_eq!(h.last_action().await, "user.update");
    assert_eq!(
        h.get("/console", Some(&victim.cookie)).await.status,
        StatusCode::SEE_OTHER
    );
    let again = h.try_login("pub.a", common::PASSWORD).await;
    assert!(again.body.contains("用户名或密码错误"));

    let city = h.orgs.city.to_string();
    let r = h
        .post(
            &root,
            &format!("/console/users/{}", h.users.root),
            &[("display_name", "系统管理员甲"), ("org_id", &city)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("不能停用自己的账号"));
    assert!(
        h.store
            .get_user(h.users.root)
            .await
            .unwrap()
            .unwrap()
            .active
    );
}

#[tokio::test]
async fn admin_resets_a_password() {
    let h = Harness::new().await;
    let root = h.login("root").await;
    let path = format!("/console/users/{}/password", h.users.publisher_a);
    let r = h
        .post(
            &root,
            &path,
            &[("password", "short"), ("password_confirm", "short")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("密码至少需要10个字符"));
    let r = h
        .post(
            &root,
            &path,
            &[
                ("password", "reset-pass-2026"),
                ("password_confirm", "reset-pass-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(h.last_action().await, "user.password");
    assert_eq!(
        h.try_login("pub.a", "reset-pass-2026").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_audit_log_pages_backwards_newest_first() {
    let h = Harness::new().await;
    let s = h.login("root").await;
    let path = format!("/console/orgs/{}/guide", h.orgs.office);
    for i in 0..55 {
        let text = format!("分类第{i}版");
        let r = h.post(&s, &path, &[("classification", &text)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let first = h.get("/console/audit", Some(&s.cookie)).await;
    assert!(first.body.contains("分类第54版"));
    assert!(!first.body.contains("分类第3版"));
    let seqs: Vec<i64> = first
        .body
        .split("<tr>")
        .skip(2)
        .filter_map(|row| {
            let start = row.find("<td>")? + 4;
            row[start..].split('<').next()?.parse().ok()
        })
        .collect();
    assert_eq!(seqs.len(), 50);
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");
    let marker = "/console/audit?before=";
    let start = first.body.find(marker).expect("link to older records");
    let end = first.body[start..].find('"').unwrap();
    let older = h
        .get(&first.body[start..start + end], Some(&s.cookie))
        .await;
    assert!(older.body.contains("分类第3版"));
    assert!(!older.body.contains("分类第54版"));
}
