//! Organisations, 公开指南 and 公开制度 over HTTP, with scopes.

use crate::common;

use axum::http::StatusCode;
use common::Harness;
use gongkai_core::org_code::complete_credit_code;

fn org_fields<'a>(name: &'a str, code: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("code", code),
        ("kind", "department"),
        ("level", "city"),
        ("active", "1"),
        ("phone", "0799-1234567"),
    ]
}

#[tokio::test]
async fn root_admin_creates_and_closes_an_organisation() {
    let h = Harness::new().await;
    let s = h.login("root").await;
    let new = format!("/console/orgs/new?parent={}", h.orgs.city);
    let form = h.get(&new, Some(&s.cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("上级机构：青岚市人民政府"));
    let parent = h.orgs.city.to_string();
    let mut fields = org_fields("青岚市文化和旅游局", "");
    fields.push(("parent", &parent));
    let r = h.post(&s, "/console/orgs/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let orgs = h.store.list_orgs().await.unwrap();
    let created = orgs
        .iter()
        .find(|o| o.name == "青岚市文化和旅游局")
        .unwrap();
    assert_eq!(created.parent_id, Some(h.orgs.city));
    assert_eq!(h.last_action().await, "org.create");

    // Closing: clear the active flag and name a successor; the row stays.
    let succ = h.orgs.dept_a.to_string();
    let path = format!("/console/orgs/{}", created.id);
    let fields = vec![
        ("name", "青岚市文化和旅游局"),
        ("kind", "department"),
        ("level", "city"),
        ("successor_id", succ.as_str()),
        ("office_name", "办公室"),
    ];
    let r = h.post(&s, &path, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let closed = h.store.get_org(created.id).await.unwrap().unwrap();
    assert!(!closed.active);
    assert_eq!(closed.successor_id, Some(h.orgs.dept_a));
    assert_eq!(closed.contact.office_name.as_deref(), Some("办公室"));
    assert_eq!(h.last_action().await, "org.update");
    assert_eq!(r.location(), format!("{path}?saved=1"));
    let page = h.get(r.location(), Some(&s.cookie)).await;
    assert!(page.body.contains("已保存"));
    assert!(!page.body.contains(r#"name="active" value="1" checked"#));
}

#[tokio::test]
async fn bad_organisation_input_is_shown_next_to_the_field_and_stores_nothing() {
    let h = Harness::new().await;
    let s = h.login("root").await;
    let before = h.store.list_orgs().await.unwrap().len();
    let audit_before = h.audit_actions().await.len();
    let parent = h.orgs.city.to_string();
    let long = "局".repeat(101);
    let cases = [
        ("", "11990100MB000000", "请填写机构名称"),
        (long.as_str(), "", "机构名称不能超过100个字符"),
        ("青岚市统计局", "11990100MB0000000A", "机构代码"),
    ];
    for (name, code, msg) in cases {
        let mut fields = org_fields(name, code);
        fields.push(("parent", &parent));
        let r = h.post(&s, "/console/orgs/new", &fields).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(r#"class="field-error""#), "{msg}");
        assert!(r.body.contains(msg), "{msg}");
        if !code.is_empty() {
            // The user's input is kept.
            assert!(r.body.contains(&format!(r#"value="{code}""#)));
        }
    }
    assert_eq!(h.store.list_orgs().await.unwrap().len(), before);

    // A code already used by another organisation.
    let code = complete_credit_code("11990100MB0000001")
        .unwrap()
        .to_string();
    let first = org_fields("青岚市统计局", &code);
    let mut with_parent = first.clone();
    with_parent.push(("parent", &parent));
    assert_eq!(
        h.post(&s, "/console/orgs/new", &with_parent).await.status,
        StatusCode::SEE_OTHER
    );
    let mut dup = org_fields("青岚市审计局", &code);
    dup.push(("parent", &parent));
    let r = h.post(&s, "/console/orgs/new", &dup).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("该机构代码已被使用"));
    assert_eq!(h.store.list_orgs().await.unwrap().len(), before + 1);
    assert_eq!(h.audit_actions().await.len(), audit_before + 1);
}

#[tokio::test]
async fn publisher_edits_only_its_own_guide() {
    let h = Harness::new().await;
    let s = h.login("pub.a").await;
    let home = h.get("/console", Some(&s.cookie)).await;
    assert!(home.body.contains("公开指南待补充事项"));
    assert!(home.body.contains("政府信息的分类"));
    assert!(
        !home.body.contains(r#"href="/console/users""#),
        "no link it may not use"
    );
    assert!(!home.body.contains(r#"href="/console/audit""#));
    let own = format!("/console/orgs/{}/guide", h.orgs.dept_a);
    let page = h.get(&own, Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("办公地址"));
    let fields = [
        ("classification", "按主题分类"),
        ("arrangement", "按发布时间排列"),
        ("access", "通过网站查阅"),
        ("extra", ""),
    ];
    let r = h.post(&s, &own, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let g = h.store.get_guide(h.orgs.dept_a).await.unwrap();
    assert_eq!(g.classification, "按主题分类");
    assert_eq!(h.last_action().await, "guide.update");

    let other = format!("/console/orgs/{}/guide", h.orgs.dept_b);
    assert_eq!(
        h.get(&other, Some(&s.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        h.post(&s, &other, &fields).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        h.store
            .get_guide(h.orgs.dept_b)
            .await
            .unwrap()
            .classification,
        ""
    );
    assert_eq!(
        h.get("/console/users", Some(&s.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    // The org page is read-only for a publisher, and edits are refused.
    let org_path = format!("/console/orgs/{}", h.orgs.dept_a);
    let view = h.get(&org_path, Some(&s.cookie)).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(!view.body.contains(r#"name="name""#));
    let r = h
        .post(&s, &org_path, &org_fields("改名后的交通运输局", ""))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let org = h.store.get_org(h.orgs.dept_a).await.unwrap().unwrap();
    assert_eq!(org.name, "青岚市交通运输局");
}

#[tokio::test]
async fn supervisor_reads_the_county_subtree_and_writes_nothing() {
    let h = Harness::new().await;
    // Activity on both sides of the tree.
    let root = h.login("root").await;
    let r = h
        .post(
            &root,
            &format!("/console/orgs/{}/guide", h.orgs.dept_b),
            &[("classification", "教育局分类")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let county = h.login("county.admin").await;
    let r = h
        .post(
            &county,
            &format!("/console/orgs/{}/guide", h.orgs.township),
            &[("classification", "石桥镇分类")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let s = h.login("sup").await;
    let list = h.get("/console/orgs", Some(&s.cookie)).await;
    assert!(list.body.contains("枫溪县人民政府"));
    assert!(list.body.contains("枫溪县石桥镇人民政府"));
    assert!(!list.body.contains("青岚市交通运输局"));
    let page = h
        .get(&format!("/console/orgs/{}", h.orgs.county), Some(&s.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(r#"name="name""#));
    assert_eq!(
        h.get(&format!("/console/orgs/{}", h.orgs.dept_a), Some(&s.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = h
        .post(
            &s,
            &format!("/console/orgs/{}", h.orgs.county),
            &[
                ("name", "改名"),
                ("kind", "government"),
                ("level", "county"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h
        .post(
            &s,
            &format!("/console/orgs/{}/guide", h.orgs.township),
            &[("classification", "监督员改的")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        h.store
            .get_guide(h.orgs.township)
            .await
            .unwrap()
            .classification,
        "石桥镇分类"
    );
    let audit = h.get("/console/audit", Some(&s.cookie)).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("石桥镇分类"));
    assert!(audit.body.contains("修改公开指南"));
    assert!(!audit.body.contains("教育局分类"));
    assert!(audit.body.contains("<td>county.admin</td>"));
    assert!(
        !audit.body.contains("<td>root</td>"),
        "root acts at the city"
    );
    assert_eq!(
        h.get("/console/users", Some(&s.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn policy_documents_are_sanitised_and_audited() {
    let h = Harness::new().await;
    let s = h.login("pub.a").await;
    let base = format!("/console/orgs/{}/rules", h.orgs.dept_a);
    let r = h
        .post(
            &s,
            &format!("{base}/new"),
            &[
                ("title", "保密审查制度"),
                ("body", "<p>第一条</p><script>alert(1)</script>"),
                ("issued_on", "2024-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let docs = h.store.list_policy_docs(h.orgs.dept_a).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert!(docs[0].body.as_str().contains("第一条"));
    assert!(!docs[0].body.as_str().contains("script"));
    assert_eq!(h.last_action().await, "policy_doc.create");
    let list = h.get(&base, Some(&s.cookie)).await;
    assert!(list.body.contains("保密审查制度"));

    let bad = h
        .post(
            &s,
            &format!("{base}/new"),
            &[("title", ""), ("body", "x"), ("issued_on", "2024/03/01")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("请填写标题"));
    assert!(bad.body.contains("日期格式应为"));

    let edit = format!("{base}/{}", docs[0].id);
    let page = h.get(&edit, Some(&s.cookie)).await;
    assert!(
        page.body.contains("&#60;p&#62;第一条"),
        "stored body shown escaped in the textarea"
    );
    let r = h
        .post(
            &s,
            &edit,
            &[
                ("title", "保密审查制度（修订）"),
                ("body", "第一条 修订"),
                ("issued_on", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let doc = h.store.get_policy_doc(docs[0].id).await.unwrap().unwrap();
    assert_eq!(doc.title, "保密审查制度（修订）");
    assert_eq!(doc.issued_on, None);
    assert_eq!(h.last_action().await, "policy_doc.update");

    let other = format!(
        "/console/orgs/{}/rules/{}/delete",
        h.orgs.dept_b, docs[0].id
    );
    assert_eq!(h.post(&s, &other, &[]).await.status, StatusCode::FORBIDDEN);
    let r = h
        .post(&s, &format!("{base}/{}/delete", docs[0].id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        h.store
            .list_policy_docs(h.orgs.dept_a)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(h.last_action().await, "policy_doc.delete");
}

#[tokio::test]
async fn the_dashboard_does_not_nag_about_closed_agencies() {
    let h = Harness::new().await;
    let s = h.login("root").await;
    let b = h.store.get_org(h.orgs.dept_b).await.unwrap().unwrap();
    let home = h.get("/console", Some(&s.cookie)).await;
    let gap_heading = |body: &str| {
        body.matches(&format!("/console/orgs/{}/guide", b.id))
            .count()
    };
    assert!(
        gap_heading(&home.body) > 0,
        "open agency with an empty guide is listed"
    );

    let mut draft = gongkai_core::org::OrgForm::from_org(&b)
        .validate(None)
        .unwrap();
    draft.active = false;
    h.store
        .update_org(&gongkai_core::audit::Actor::system("test"), b.id, &draft)
        .await
        .unwrap();
    let home = h.get("/console", Some(&s.cookie)).await;
    assert_eq!(
        gap_heading(&home.body),
        0,
        "closed agency no longer listed as missing"
    );
}
