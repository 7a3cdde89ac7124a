//! The backend-neutral store contract. Every test body is written once and
//! runs on SQLite (always) and PostgreSQL (when `GONGKAI_TEST_PG_URL` is set),
//! each on its own fresh database.

use crate::common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::Db;
use gongkai_core::audit::{Actor, AuditEvent, AuditRecord, ChainBreak, VerifyError, verify_store};
use gongkai_core::calendar::YearNotice;
use gongkai_core::guide::GuideText;
use gongkai_core::html::SafeHtml;
use gongkai_core::org::{OfficeContact, OrgDraft, OrgKind, OrgLevel};
use gongkai_core::org_code::{OrgCode, complete_credit_code};
use gongkai_core::policy_doc::PolicyDocDraft;
use gongkai_core::session::{LoginThrottle, SessionRecord};
use gongkai_core::store::{AuditQuery, NewOrg, ParentRef, StoreError};
use gongkai_core::user::{Grant, NewUser, Role, UserPatch};
use gongkai_core::{OrgId, UserId};

store_tests!(
    orgs_roundtrip,
    org_errors,
    create_orgs_batch,
    create_orgs_rolls_back_on_a_bad_row,
    move_org_refuses_cycles,
    guide_get_put,
    policy_docs_crud,
    users_roundtrip,
    grants_and_revoke,
    sessions_lifecycle,
    login_throttle_put_get_clear,
    every_write_appends_one_audit_record,
    list_audit_filters_and_pages,
    audit_verifies_when_intact,
    audit_detects_altered_summary,
    audit_detects_deleted_row,
    audit_detects_truncated_tail,
    concurrent_writers_keep_one_chain,
    calendar_years_put_replace_list,
    calendar_years_batch_is_all_or_nothing,
);

// ---------- fixtures ----------

fn admin() -> Actor {
    Actor::user(1, "admin")
}

fn code(n: u32) -> OrgCode {
    complete_credit_code(&format!("11990100MB{n:07}")).expect("valid fictional code")
}

fn draft(name: &str, level: OrgLevel, sort_order: i32) -> OrgDraft {
    OrgDraft {
        name: name.into(),
        short_name: None,
        code: None,
        kind: OrgKind::Government,
        level,
        sort_order,
        active: true,
        successor_id: None,
        contact: OfficeContact::default(),
    }
}

async fn org(db: &Db, name: &str, parent: Option<OrgId>) -> OrgId {
    db.store
        .create_org(&admin(), parent, &draft(name, OrgLevel::County, 0))
        .await
        .unwrap()
        .id
}

fn new_user(username: &str, org_id: OrgId) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: "张三".into(),
        org_id,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$secret-hash-value".into(),
    }
}

async fn user(db: &Db, username: &str, org_id: OrgId) -> UserId {
    db.store
        .create_user(&admin(), &new_user(username, org_id))
        .await
        .unwrap()
        .id
}

fn doc_draft(title: &str, issued_on: Option<NaiveDate>) -> PolicyDocDraft {
    PolicyDocDraft {
        title: title.into(),
        body: SafeHtml::sanitize("<p>第一条　为了规范本机关政府信息公开工作，制定本制度。</p>"),
        issued_on,
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A fixed instant with microseconds, which both backends keep exactly.
fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T08:30:00.123456Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn head_seq(db: &Db) -> i64 {
    db.store.audit_head().await.unwrap().map_or(0, |(s, _)| s)
}

async fn records_after(db: &Db, seq: i64) -> Vec<AuditRecord> {
    db.store.audit_after(seq, 1000).await.unwrap()
}

/// Asserts the log grew by exactly one record with this action and org.
async fn assert_one_record(
    db: &Db,
    before: i64,
    action: &str,
    org_id: Option<OrgId>,
) -> AuditRecord {
    let recs = records_after(db, before).await;
    assert_eq!(
        recs.len(),
        1,
        "expected exactly one record for {action}: {recs:?}"
    );
    let r = recs.into_iter().next().unwrap();
    assert_eq!(r.action, action);
    assert_eq!(r.org_id, org_id, "org of {action}");
    assert_eq!(head_seq(db).await, before + 1);
    r
}

// ---------- organisations ----------

async fn orgs_roundtrip(db: Db) {
    assert!(db.store.is_empty().await.unwrap());
    let mut d = draft("某某市人民政府", OrgLevel::City, 5);
    d.short_name = Some("市政府".into());
    d.code = Some(code(1));
    d.contact = OfficeContact {
        office_name: Some("市政府办公室政务公开科".into()),
        address: Some("某某市人民路1号".into()),
        office_hours: Some("工作日 9:00-17:00".into()),
        phone: Some("0100-12345678".into()),
        fax: Some("0100-12345679".into()),
        email: Some("gkb@example.gov.cn".into()),
        website: Some("https://www.example.gov.cn".into()),
        postcode: Some("100000".into()),
    };
    let city = db.store.create_org(&admin(), None, &d).await.unwrap();
    assert_eq!(city.name, d.name);
    assert_eq!(city.short_name, d.short_name);
    assert_eq!(city.code, d.code);
    assert_eq!(city.contact, d.contact);
    assert_eq!(city.parent_id, None);
    assert!(city.active);
    assert_eq!(
        db.store.get_org(city.id).await.unwrap().as_ref(),
        Some(&city)
    );
    assert!(!db.store.is_empty().await.unwrap());

    // Ordering: level (province first), then sort_order, then id.
    let dept_b = db
        .store
        .create_org(
            &admin(),
            Some(city.id),
            &draft("市财政局", OrgLevel::County, 2),
        )
        .await
        .unwrap();
    let dept_a = db
        .store
        .create_org(
            &admin(),
            Some(city.id),
            &draft("市教育局", OrgLevel::County, 1),
        )
        .await
        .unwrap();
    let dept_c = db
        .store
        .create_org(
            &admin(),
            Some(city.id),
            &draft("市民政局", OrgLevel::County, 1),
        )
        .await
        .unwrap();
    let province = db
        .store
        .create_org(
            &admin(),
            None,
            &draft("某某省人民政府", OrgLevel::Province, 9),
        )
        .await
        .unwrap();
    let ids: Vec<OrgId> = db
        .store
        .list_orgs()
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(
        ids,
        vec![province.id, city.id, dept_a.id, dept_c.id, dept_b.id]
    );

    // Update replaces the editable fields and keeps the parent.
    let mut d2 = d.clone();
    d2.name = "某某市人民政府（更名）".into();
    d2.code = None;
    d2.active = false;
    d2.successor_id = Some(province.id);
    d2.contact.fax = None;
    let updated = db.store.update_org(&admin(), city.id, &d2).await.unwrap();
    assert_eq!(updated.name, d2.name);
    assert_eq!(updated.code, None);
    assert!(!updated.active);
    assert_eq!(updated.successor_id, Some(province.id));
    assert_eq!(updated.contact.fax, None);
    assert_eq!(updated.created_at, city.created_at);
    assert!(updated.updated_at >= city.updated_at);
    assert_eq!(db.store.get_org(city.id).await.unwrap(), Some(updated));
    assert_eq!(db.store.get_org(9_999).await.unwrap(), None);
}

async fn org_errors(db: Db) {
    let mut d = draft("甲局", OrgLevel::County, 0);
    d.code = Some(code(7));
    let a = db.store.create_org(&admin(), None, &d).await.unwrap();
    let before = head_seq(&db).await;

    let mut dup = draft("乙局", OrgLevel::County, 0);
    dup.code = Some(code(7));
    let e = db.store.create_org(&admin(), None, &dup).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { field: "code" }), "{e:?}");

    let b = db
        .store
        .create_org(&admin(), None, &draft("乙局", OrgLevel::County, 0))
        .await
        .unwrap();
    let e = db.store.update_org(&admin(), b.id, &dup).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { field: "code" }), "{e:?}");

    let e = db
        .store
        .create_org(&admin(), Some(4_242), &draft("丙局", OrgLevel::County, 0))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");

    let e = db.store.update_org(&admin(), 4_242, &d).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound), "{e:?}");

    // Only the successful create of 乙局 was logged.
    assert_eq!(head_seq(&db).await, before + 1);
    assert_eq!(db.store.list_orgs().await.unwrap().len(), 2);
    assert_eq!(
        db.store.get_org(a.id).await.unwrap().unwrap().code,
        Some(code(7))
    );
}

async fn create_orgs_batch(db: Db) {
    let existing = org(&db, "某某县人民政府", None).await;
    let before = head_seq(&db).await;
    let batch = vec![
        NewOrg {
            parent: ParentRef::Existing(existing),
            draft: draft("县教育局", OrgLevel::County, 1),
        },
        NewOrg {
            parent: ParentRef::Batch(0),
            draft: draft("县教育局直属学校管理中心", OrgLevel::County, 1),
        },
        NewOrg {
            parent: ParentRef::None,
            draft: draft("另一个县", OrgLevel::County, 2),
        },
    ];
    let made = db.store.create_orgs(&admin(), &batch).await.unwrap();
    assert_eq!(made.len(), 3);
    assert_eq!(made[0].parent_id, Some(existing));
    assert_eq!(made[1].parent_id, Some(made[0].id));
    assert_eq!(made[2].parent_id, None);
    let recs = records_after(&db, before).await;
    assert_eq!(recs.len(), 3);
    for (r, o) in recs.iter().zip(&made) {
        assert_eq!(r.action, "org.create");
        assert_eq!(r.org_id, Some(o.id));
        assert_eq!(r.object_id, o.id.to_string());
    }
}

async fn create_orgs_rolls_back_on_a_bad_row(db: Db) {
    let mut taken = draft("已有机构", OrgLevel::County, 0);
    taken.code = Some(code(3));
    db.store.create_org(&admin(), None, &taken).await.unwrap();
    let before = head_seq(&db).await;

    let mut bad = draft("重复代码的机构", OrgLevel::County, 0);
    bad.code = Some(code(3));
    let batch = vec![
        NewOrg {
            parent: ParentRef::None,
            draft: draft("新机构一", OrgLevel::County, 0),
        },
        NewOrg {
            parent: ParentRef::Batch(0),
            draft: draft("新机构二", OrgLevel::County, 0),
        },
        NewOrg {
            parent: ParentRef::None,
            draft: bad,
        },
    ];
    let e = db.store.create_orgs(&admin(), &batch).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { field: "code" }), "{e:?}");
    assert_eq!(
        db.store.list_orgs().await.unwrap().len(),
        1,
        "nothing of the batch stays"
    );
    assert_eq!(head_seq(&db).await, before, "no audit record stays either");

    // A forward reference is refused before anything is written.
    let forward = vec![
        NewOrg {
            parent: ParentRef::Batch(1),
            draft: draft("前", OrgLevel::County, 0),
        },
        NewOrg {
            parent: ParentRef::None,
            draft: draft("后", OrgLevel::County, 0),
        },
    ];
    let e = db.store.create_orgs(&admin(), &forward).await.unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    assert_eq!(db.store.list_orgs().await.unwrap().len(), 1);
    assert_eq!(head_seq(&db).await, before);
}

async fn move_org_refuses_cycles(db: Db) {
    let root = org(&db, "市政府", None).await;
    let child = org(&db, "市局", Some(root)).await;
    let grandchild = org(&db, "市局下属中心", Some(child)).await;
    let other = org(&db, "另一市政府", None).await;

    let before = head_seq(&db).await;
    let moved = db
        .store
        .move_org(&admin(), child, Some(other))
        .await
        .unwrap();
    assert_eq!(moved.parent_id, Some(other));
    assert_eq!(
        db.store.get_org(child).await.unwrap().unwrap().parent_id,
        Some(other)
    );
    let r = assert_one_record(&db, before, "org.move", Some(child)).await;
    assert!(r.summary.contains(&root.to_string()) && r.summary.contains(&other.to_string()));

    let before = head_seq(&db).await;
    for target in [child, grandchild] {
        let e = db
            .store
            .move_org(&admin(), child, Some(target))
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    }
    let e = db
        .store
        .move_org(&admin(), child, Some(77_777))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    let e = db
        .store
        .move_org(&admin(), 77_777, Some(root))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound), "{e:?}");
    assert_eq!(head_seq(&db).await, before);
    assert_eq!(
        db.store.get_org(child).await.unwrap().unwrap().parent_id,
        Some(other)
    );

    // Moving to the top level is allowed.
    let top = db.store.move_org(&admin(), grandchild, None).await.unwrap();
    assert_eq!(top.parent_id, None);
}

async fn guide_get_put(db: Db) {
    let o = org(&db, "某某区人民政府", None).await;
    assert_eq!(db.store.get_guide(o).await.unwrap(), GuideText::default());
    let g = GuideText {
        classification: "<p>主动公开的政府信息分为机构职能、政策文件……</p>".into(),
        arrangement: "<p>按照公开目录编排。</p>".into(),
        access: "<p>通过政府网站获取。</p>".into(),
        extra: String::new(),
    };
    let before = head_seq(&db).await;
    db.store.put_guide(&admin(), o, &g).await.unwrap();
    assert_eq!(db.store.get_guide(o).await.unwrap(), g);
    assert_one_record(&db, before, "guide.update", Some(o)).await;

    let g2 = GuideText {
        extra: "<p>依申请公开的受理机构：区政府办公室。</p>".into(),
        ..g.clone()
    };
    db.store.put_guide(&admin(), o, &g2).await.unwrap();
    assert_eq!(db.store.get_guide(o).await.unwrap(), g2);

    let e = db.store.put_guide(&admin(), 31_337, &g).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound), "{e:?}");
}

async fn policy_docs_crud(db: Db) {
    let o = org(&db, "某某市司法局", None).await;
    let other = org(&db, "某某市审计局", None).await;
    let old = db
        .store
        .create_policy_doc(&admin(), o, &doc_draft("旧制度", Some(date("2020-01-01"))))
        .await
        .unwrap();
    let undated = db
        .store
        .create_policy_doc(&admin(), o, &doc_draft("未注明日期的制度", None))
        .await
        .unwrap();
    let new = db
        .store
        .create_policy_doc(&admin(), o, &doc_draft("新制度", Some(date("2024-03-01"))))
        .await
        .unwrap();
    let same_day = db
        .store
        .create_policy_doc(
            &admin(),
            o,
            &doc_draft("同日制度", Some(date("2024-03-01"))),
        )
        .await
        .unwrap();
    db.store
        .create_policy_doc(&admin(), other, &doc_draft("别的机构", None))
        .await
        .unwrap();
    assert_eq!(new.issued_on, Some(date("2024-03-01")));
    assert_eq!(new.org_id, o);
    assert_eq!(
        db.store.get_policy_doc(new.id).await.unwrap().as_ref(),
        Some(&new)
    );

    let ids: Vec<i64> = db
        .store
        .list_policy_docs(o)
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, vec![new.id, same_day.id, old.id, undated.id]);

    let before = head_seq(&db).await;
    let changed = db
        .store
        .update_policy_doc(&admin(), old.id, &doc_draft("旧制度（修订）", None))
        .await
        .unwrap();
    assert_eq!(changed.title, "旧制度（修订）");
    assert_eq!(changed.issued_on, None);
    assert_eq!(changed.created_at, old.created_at);
    let r = assert_one_record(&db, before, "policy_doc.update", Some(o)).await;
    assert!(r.summary.contains("旧制度（修订）") && r.summary.contains("2020-01-01"));

    let before = head_seq(&db).await;
    db.store.delete_policy_doc(&admin(), old.id).await.unwrap();
    assert_eq!(db.store.get_policy_doc(old.id).await.unwrap(), None);
    let r = assert_one_record(&db, before, "policy_doc.delete", Some(o)).await;
    let v: serde_json::Value = serde_json::from_str(&r.summary).unwrap();
    assert_eq!(v["before"]["title"], "旧制度（修订）");
    assert!(v["after"].is_null());

    for e in [
        db.store
            .delete_policy_doc(&admin(), old.id)
            .await
            .unwrap_err(),
        db.store
            .update_policy_doc(&admin(), old.id, &doc_draft("x", None))
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(e, StoreError::NotFound), "{e:?}");
    }
    let e = db
        .store
        .create_policy_doc(&admin(), 8_888, &doc_draft("无主", None))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
}

// ---------- users ----------

async fn users_roundtrip(db: Db) {
    let o = org(&db, "某某市政府办公室", None).await;
    let o2 = org(&db, "某某市发展改革委", None).await;
    let before = head_seq(&db).await;
    let nu = new_user("zhang.san", o);
    let u = db.store.create_user(&admin(), &nu).await.unwrap();
    assert_eq!(
        (u.username.as_str(), u.org_id, u.active),
        ("zhang.san", o, true)
    );
    let r = assert_one_record(&db, before, "user.create", Some(o)).await;
    assert!(
        !r.summary.contains(&nu.password_hash),
        "user.create leaks the hash"
    );
    assert!(r.summary.contains("zhang.san"));
    assert_eq!(db.store.get_user(u.id).await.unwrap().as_ref(), Some(&u));
    assert!(!db.store.is_empty().await.unwrap());

    let creds = db
        .store
        .get_credentials("zhang.san")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(creds.user, u);
    assert_eq!(creds.password_hash, nu.password_hash);
    assert!(db.store.get_credentials("nobody").await.unwrap().is_none());

    let e = db
        .store
        .create_user(&admin(), &new_user("zhang.san", o2))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Conflict { field: "username" }),
        "{e:?}"
    );
    let e = db
        .store
        .create_user(&admin(), &new_user("li.si", 5_555))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");

    let before = head_seq(&db).await;
    let patch = UserPatch {
        display_name: "张三丰".into(),
        org_id: o2,
        active: false,
    };
    let u2 = db.store.update_user(&admin(), u.id, &patch).await.unwrap();
    assert_eq!(
        (u2.display_name.as_str(), u2.org_id, u2.active),
        ("张三丰", o2, false)
    );
    assert_eq!(u2.created_at, u.created_at);
    let r = assert_one_record(&db, before, "user.update", Some(o2)).await;
    let v: serde_json::Value = serde_json::from_str(&r.summary).unwrap();
    assert_eq!(v["before"]["display_name"], "张三");
    assert_eq!(v["after"]["display_name"], "张三丰");
    let e = db
        .store
        .update_user(&admin(), 6_666, &patch)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound), "{e:?}");

    let before = head_seq(&db).await;
    let new_hash = "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$another-secret-hash";
    db.store
        .set_password_hash(&admin(), u.id, new_hash)
        .await
        .unwrap();
    let r = assert_one_record(&db, before, "user.password", Some(o2)).await;
    assert!(!r.summary.contains(new_hash) && !r.summary.contains("argon2"));
    assert_eq!(
        db.store
            .get_credentials("zhang.san")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        new_hash
    );
    let e = db
        .store
        .set_password_hash(&admin(), 6_666, new_hash)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound), "{e:?}");

    let wang = user(&db, "wang.wu", o).await;
    let chen = user(&db, "chen.liu", o2).await;
    let all: Vec<UserId> = db
        .store
        .list_users(None)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(all, vec![chen, wang, u.id]);
    let in_o2: Vec<UserId> = db
        .store
        .list_users(Some(&[o2]))
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(in_o2, vec![chen, u.id]);
    assert!(db.store.list_users(Some(&[])).await.unwrap().is_empty());
}

async fn grants_and_revoke(db: Db) {
    let home = org(&db, "某某县人民政府", None).await;
    let sub = org(&db, "某某县教育局", Some(home)).await;
    let u = user(&db, "publisher1", home).await;

    let before = head_seq(&db).await;
    db.store
        .grant(&admin(), u, &Grant::new(Role::Publisher, sub, false))
        .await
        .unwrap();
    assert_one_record(&db, before, "user.grant", Some(sub)).await;
    db.store
        .grant(&admin(), u, &Grant::new(Role::Admin, home, true))
        .await
        .unwrap();
    db.store
        .grant(&admin(), u, &Grant::new(Role::Reviewer, home, false))
        .await
        .unwrap();
    let grants = db.store.list_grants(u).await.unwrap();
    assert_eq!(
        grants,
        vec![
            Grant::new(Role::Admin, home, true),
            Grant::new(Role::Reviewer, home, false),
            Grant::new(Role::Publisher, sub, false),
        ]
    );

    // Granting again updates the subtree flag instead of duplicating.
    db.store
        .grant(&admin(), u, &Grant::new(Role::Publisher, sub, true))
        .await
        .unwrap();
    let grants = db.store.list_grants(u).await.unwrap();
    assert_eq!(grants.len(), 3);
    assert!(grants.contains(&Grant::new(Role::Publisher, sub, true)));

    let before = head_seq(&db).await;
    db.store
        .revoke(&admin(), u, &Grant::new(Role::Reviewer, home, false))
        .await
        .unwrap();
    assert_one_record(&db, before, "user.revoke", Some(home)).await;
    assert_eq!(db.store.list_grants(u).await.unwrap().len(), 2);
    let e = db
        .store
        .revoke(&admin(), u, &Grant::new(Role::Reviewer, home, false))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound), "{e:?}");
    let e = db
        .store
        .grant(&admin(), u, &Grant::new(Role::Approver, 9_191, false))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    let e = db
        .store
        .grant(&admin(), 9_191, &Grant::new(Role::Approver, home, false))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound), "{e:?}");
}

// ---------- sessions and throttle ----------

fn session(id: &str, user_id: UserId, expires_at: DateTime<Utc>) -> SessionRecord {
    SessionRecord {
        id_hash: id.into(),
        user_id,
        csrf_token: format!("csrf-{id}"),
        created_at: t0(),
        last_seen_at: t0(),
        expires_at,
    }
}

async fn sessions_lifecycle(db: Db) {
    let o = org(&db, "某某镇人民政府", None).await;
    let u = user(&db, "clerk", o).await;
    let other = user(&db, "clerk2", o).await;
    let before = head_seq(&db).await;
    let hour = Duration::hours(1);

    let s1 = session("s1", u, t0() + hour);
    db.store.create_session(&s1).await.unwrap();
    assert_eq!(
        db.store.get_session("s1", t0()).await.unwrap(),
        Some(s1.clone())
    );
    // Expired exactly at expires_at.
    assert_eq!(db.store.get_session("s1", t0() + hour).await.unwrap(), None);
    assert_eq!(db.store.get_session("nope", t0()).await.unwrap(), None);

    let seen = t0() + Duration::minutes(30) + Duration::microseconds(7);
    db.store
        .touch_session("s1", seen, seen + hour)
        .await
        .unwrap();
    let got = db
        .store
        .get_session("s1", t0() + hour)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((got.last_seen_at, got.expires_at), (seen, seen + hour));
    assert_eq!(got.created_at, t0());

    db.store
        .create_session(&session("s2", u, t0() + hour))
        .await
        .unwrap();
    db.store
        .create_session(&session("s3", u, t0() + hour))
        .await
        .unwrap();
    db.store
        .create_session(&session("o1", other, t0() + hour))
        .await
        .unwrap();
    assert_eq!(
        db.store.delete_user_sessions(u, Some("s2")).await.unwrap(),
        2
    );
    assert!(db.store.get_session("s2", t0()).await.unwrap().is_some());
    assert!(db.store.get_session("s1", t0()).await.unwrap().is_none());
    assert!(db.store.get_session("o1", t0()).await.unwrap().is_some());
    assert_eq!(db.store.delete_user_sessions(u, None).await.unwrap(), 1);
    assert!(db.store.get_session("s2", t0()).await.unwrap().is_none());

    db.store
        .create_session(&session("old", u, t0() - hour))
        .await
        .unwrap();
    db.store
        .create_session(&session("edge", u, t0()))
        .await
        .unwrap();
    assert_eq!(db.store.purge_expired_sessions(t0()).await.unwrap(), 2);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "only o1 remains"
    );
    db.store.delete_session("o1").await.unwrap();
    assert!(db.store.get_session("o1", t0()).await.unwrap().is_none());
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 0);

    // Sessions are not audited (sign-in events come from the web layer).
    assert_eq!(head_seq(&db).await, before);
}

async fn login_throttle_put_get_clear(db: Db) {
    assert_eq!(
        db.store.get_login_throttle("ip:10.0.0.1").await.unwrap(),
        None
    );
    let t = LoginThrottle {
        key: "ip:10.0.0.1".into(),
        failures: 2,
        window_start: t0(),
        locked_until: None,
    };
    db.store.put_login_throttle(&t).await.unwrap();
    assert_eq!(
        db.store.get_login_throttle(&t.key).await.unwrap(),
        Some(t.clone())
    );
    let t2 = LoginThrottle {
        failures: 5,
        locked_until: Some(t0() + Duration::minutes(15)),
        ..t.clone()
    };
    db.store.put_login_throttle(&t2).await.unwrap();
    assert_eq!(db.store.get_login_throttle(&t.key).await.unwrap(), Some(t2));
    let other = LoginThrottle {
        key: "user:zhang.san".into(),
        ..t.clone()
    };
    db.store.put_login_throttle(&other).await.unwrap();
    db.store.clear_login_throttle(&t.key).await.unwrap();
    assert_eq!(db.store.get_login_throttle(&t.key).await.unwrap(), None);
    assert_eq!(
        db.store.get_login_throttle(&other.key).await.unwrap(),
        Some(other)
    );
}

// ---------- audit ----------

/// Walks through every audited write and checks each adds exactly one record
/// with the right action and organisation, and that the chain links up.
async fn every_write_appends_one_audit_record(db: Db) {
    let a = admin();
    let mut seq = head_seq(&db).await;
    assert_eq!(seq, 0);
    // Runs one write, checks it added exactly one record with this action,
    // and yields (result, the record's org_id).
    macro_rules! step {
        ($call:expr, $action:expr) => {{
            let out = $call.await.unwrap();
            let recs = records_after(&db, seq).await;
            assert_eq!(recs.len(), 1, "{}: {recs:?}", $action);
            assert_eq!(recs[0].action, $action);
            assert_eq!(recs[0].seq, seq + 1);
            seq += 1;
            (out, recs[0].org_id)
        }};
    }
    let (root, o) = step!(
        db.store
            .create_org(&a, None, &draft("市政府", OrgLevel::City, 0)),
        "org.create"
    );
    assert_eq!(o, Some(root.id));
    let (dept, o) = step!(
        db.store
            .create_org(&a, Some(root.id), &draft("市局", OrgLevel::County, 0)),
        "org.create"
    );
    assert_eq!(o, Some(dept.id));
    let batch = [NewOrg {
        parent: ParentRef::Existing(root.id),
        draft: draft("批量", OrgLevel::County, 0),
    }];
    let (made, o) = step!(db.store.create_orgs(&a, &batch), "org.create");
    let leaf = made[0].id;
    assert_eq!(o, Some(leaf));
    let (_, o) = step!(
        db.store
            .update_org(&a, dept.id, &draft("市局（新）", OrgLevel::County, 0)),
        "org.update"
    );
    assert_eq!(o, Some(dept.id));
    let (_, o) = step!(db.store.move_org(&a, leaf, Some(dept.id)), "org.move");
    assert_eq!(o, Some(leaf));
    let (_, o) = step!(
        db.store.put_guide(&a, dept.id, &GuideText::default()),
        "guide.update"
    );
    assert_eq!(o, Some(dept.id));
    let (doc, o) = step!(
        db.store
            .create_policy_doc(&a, dept.id, &doc_draft("制度", None)),
        "policy_doc.create"
    );
    assert_eq!(o, Some(dept.id));
    let (_, o) = step!(
        db.store
            .update_policy_doc(&a, doc.id, &doc_draft("制度二", None)),
        "policy_doc.update"
    );
    assert_eq!(o, Some(dept.id));
    let (_, o) = step!(db.store.delete_policy_doc(&a, doc.id), "policy_doc.delete");
    assert_eq!(o, Some(dept.id));
    let (u, o) = step!(
        db.store.create_user(&a, &new_user("auditee", dept.id)),
        "user.create"
    );
    assert_eq!(o, Some(dept.id));
    let patch = UserPatch {
        display_name: "李四".into(),
        org_id: root.id,
        active: true,
    };
    let (_, o) = step!(db.store.update_user(&a, u.id, &patch), "user.update");
    assert_eq!(o, Some(root.id), "a user's events belong to the home org");
    let (_, o) = step!(db.store.set_password_hash(&a, u.id, "h"), "user.password");
    assert_eq!(o, Some(root.id));
    let g = Grant::new(Role::Publisher, leaf, false);
    let (_, o) = step!(db.store.grant(&a, u.id, &g), "user.grant");
    assert_eq!(o, Some(leaf), "a grant's event belongs to the grant's org");
    let (_, o) = step!(db.store.revoke(&a, u.id, &g), "user.revoke");
    assert_eq!(o, Some(leaf));
    let ev = AuditEvent::note(None, "auth.login", "user", u.id, serde_json::json!({}));
    let (rec, o) = step!(
        db.store.append_audit(&Actor::user(u.id, "auditee"), &ev),
        "auth.login"
    );
    assert_eq!(o, None);
    assert_eq!(rec.actor_user_id, Some(u.id));
    assert_eq!(rec.via, "console");

    // What was returned is what was stored, and the records form a chain.
    let all = records_after(&db, 0).await;
    assert_eq!(all.len() as i64, seq);
    assert_eq!(all.last(), Some(&rec));
    assert_eq!(all[0].actor_name, "admin");
    assert_eq!(verify_store(db.store.as_ref()).await.unwrap(), seq);
    assert_eq!(
        db.store.audit_head().await.unwrap(),
        Some((rec.seq, rec.hash))
    );
}

async fn list_audit_filters_and_pages(db: Db) {
    let a = org(&db, "甲", None).await; // seq 1
    let b = org(&db, "乙", None).await; // seq 2
    db.store
        .put_guide(&admin(), a, &GuideText::default())
        .await
        .unwrap(); // seq 3
    let ev = AuditEvent::note(None, "auth.logout", "user", 1, serde_json::json!({}));
    db.store.append_audit(&admin(), &ev).await.unwrap(); // seq 4, no org

    let q = |org_ids: Option<Vec<OrgId>>, before_seq, limit| AuditQuery {
        org_ids,
        before_seq,
        limit,
    };
    let seqs = |v: Vec<AuditRecord>| v.iter().map(|r| r.seq).collect::<Vec<_>>();
    assert_eq!(
        seqs(db.store.list_audit(&q(None, None, 10)).await.unwrap()),
        vec![4, 3, 2, 1]
    );
    assert_eq!(
        seqs(db.store.list_audit(&q(None, None, 2)).await.unwrap()),
        vec![4, 3]
    );
    assert_eq!(
        seqs(db.store.list_audit(&q(None, Some(3), 10)).await.unwrap()),
        vec![2, 1]
    );
    assert_eq!(
        seqs(
            db.store
                .list_audit(&q(Some(vec![a]), None, 10))
                .await
                .unwrap()
        ),
        vec![3, 1]
    );
    assert_eq!(
        seqs(
            db.store
                .list_audit(&q(Some(vec![a, b]), Some(3), 10))
                .await
                .unwrap()
        ),
        vec![2, 1]
    );
    assert!(
        db.store
            .list_audit(&q(Some(vec![]), None, 10))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(seqs(db.store.audit_after(1, 2).await.unwrap()), vec![2, 3]);
}

/// Six records from ordinary writes.
async fn six_records(db: &Db) {
    let o = org(db, "某某市人民政府", None).await;
    let u = user(db, "chain", o).await;
    db.store.set_password_hash(&admin(), u, "x").await.unwrap();
    db.store
        .put_guide(&admin(), o, &GuideText::default())
        .await
        .unwrap();
    db.store
        .create_policy_doc(&admin(), o, &doc_draft("制度", None))
        .await
        .unwrap();
    db.store
        .grant(&admin(), u, &Grant::new(Role::Admin, o, true))
        .await
        .unwrap();
    assert_eq!(head_seq(db).await, 6);
}

async fn audit_verifies_when_intact(db: Db) {
    assert_eq!(
        verify_store(db.store.as_ref()).await.unwrap(),
        0,
        "empty log verifies"
    );
    six_records(&db).await;
    assert_eq!(verify_store(db.store.as_ref()).await.unwrap(), 6);
}

fn broken(r: Result<i64, VerifyError>) -> ChainBreak {
    match r {
        Err(VerifyError::Broken(b)) => b,
        other => panic!("expected a broken chain, got {other:?}"),
    }
}

async fn audit_detects_altered_summary(db: Db) {
    six_records(&db).await;
    db.alter_audit_summary(3).await;
    assert_eq!(
        broken(verify_store(db.store.as_ref()).await),
        ChainBreak::Altered { seq: 3 }
    );
}

async fn audit_detects_deleted_row(db: Db) {
    six_records(&db).await;
    db.delete_audit_row(2).await;
    assert_eq!(
        broken(verify_store(db.store.as_ref()).await),
        ChainBreak::Gap {
            expected_seq: 2,
            found_seq: 3
        }
    );
}

async fn audit_detects_truncated_tail(db: Db) {
    six_records(&db).await;
    db.truncate_audit_after(4).await;
    assert_eq!(
        broken(verify_store(db.store.as_ref()).await),
        ChainBreak::Truncated {
            last_seq: 4,
            head_seq: 6
        }
    );
}

/// Writers racing on an empty log (no head row yet) and then on a live one
/// must still produce one unbroken chain with no lost or duplicate seq.
async fn concurrent_writers_keep_one_chain(db: Db) {
    const TASKS: i64 = 6;
    const EACH: i64 = 4;
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let store = db.store.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..EACH {
                if i % 2 == 0 {
                    let ev = AuditEvent::note(
                        None,
                        "auth.login",
                        "user",
                        t,
                        serde_json::json!({ "i": i }),
                    );
                    store.append_audit(&admin(), &ev).await.unwrap();
                } else {
                    let name = format!("并发机构{t}-{i}");
                    store
                        .create_org(&admin(), None, &draft(&name, OrgLevel::County, 0))
                        .await
                        .unwrap();
                }
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    assert_eq!(verify_store(db.store.as_ref()).await.unwrap(), TASKS * EACH);
    assert_eq!(
        db.store.list_orgs().await.unwrap().len() as i64,
        TASKS * EACH / 2
    );
}

// ---------- calendar ----------

fn year_notice(year: i32, notice: &str, off: &[&str], work: &[&str]) -> YearNotice {
    YearNotice {
        year,
        notice: notice.into(),
        off: off.iter().map(|s| date(s)).collect(),
        work: work.iter().map(|s| date(s)).collect(),
    }
}

async fn calendar_years_put_replace_list(db: Db) {
    let a = admin();
    assert!(db.store.list_calendar_years().await.unwrap().is_empty());

    let y2027 = year_notice(
        2027,
        "国办发明电〔2026〕X号",
        &["2026-12-31", "2027-01-01"],
        &["2027-02-06"],
    );
    let y2026 = year_notice(2026, "更正", &["2026-01-01"], &[]);
    let seq = head_seq(&db).await;
    db.store.put_calendar_year(&a, &y2027).await.unwrap();
    let rec = assert_one_record(&db, seq, "calendar.put", None).await;
    assert_eq!(rec.object_type, "calendar_year");
    assert_eq!(rec.object_id, "2027");
    let summary: serde_json::Value = serde_json::from_str(&rec.summary).unwrap();
    assert_eq!(summary["before"], serde_json::Value::Null);
    assert_eq!(
        summary["after"]["off"],
        serde_json::json!(["2026-12-31", "2027-01-01"])
    );

    db.store.put_calendar_year(&a, &y2026).await.unwrap();
    // Ascending by year, whatever the insertion order; dates round-trip.
    assert_eq!(
        db.store.list_calendar_years().await.unwrap(),
        vec![y2026.clone(), y2027.clone()]
    );

    // Replacing keeps one row per year and records what was there before.
    let replaced = year_notice(2027, "国办发明电〔2026〕Y号", &["2027-01-01"], &[]);
    let seq = head_seq(&db).await;
    db.store.put_calendar_year(&a, &replaced).await.unwrap();
    let rec = assert_one_record(&db, seq, "calendar.put", None).await;
    let summary: serde_json::Value = serde_json::from_str(&rec.summary).unwrap();
    assert_eq!(summary["before"]["notice"], "国办发明电〔2026〕X号");
    assert_eq!(summary["after"]["notice"], "国办发明电〔2026〕Y号");
    assert_eq!(
        db.store.list_calendar_years().await.unwrap(),
        vec![y2026, replaced]
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM calendar_years").await, 2);
    assert_eq!(
        verify_store(db.store.as_ref()).await.unwrap(),
        head_seq(&db).await
    );
}

async fn calendar_years_batch_is_all_or_nothing(db: Db) {
    let a = admin();
    let good = year_notice(2027, "好", &["2027-01-01"], &[]);
    // A date outside the notice's year is refused by the store itself.
    let bad = year_notice(2028, "坏", &["2026-05-01"], &[]);
    let seq = head_seq(&db).await;
    let err = db
        .store
        .put_calendar_years(&a, &[good.clone(), bad])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("2026-05-01")),
        "{err:?}"
    );
    assert!(db.store.list_calendar_years().await.unwrap().is_empty());
    assert_eq!(
        head_seq(&db).await,
        seq,
        "no audit record for a rolled-back batch"
    );

    let y2028 = year_notice(2028, "好", &["2028-01-01"], &["2028-01-29"]);
    db.store
        .put_calendar_years(&a, &[y2028.clone(), good.clone()])
        .await
        .unwrap();
    let recs = records_after(&db, seq).await;
    let objects: Vec<(&str, &str)> = recs
        .iter()
        .map(|r| (r.action.as_str(), r.object_id.as_str()))
        .collect();
    assert_eq!(
        objects,
        [("calendar.put", "2028"), ("calendar.put", "2027")]
    );
    assert_eq!(
        db.store.list_calendar_years().await.unwrap(),
        vec![good, y2028]
    );
}
