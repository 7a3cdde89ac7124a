//! 目录设置 over HTTP: seeding a township's column tree (with the
//! 基层政务公开标准目录), adding, renaming, moving (a loop refused next to
//! the field), deactivating and reactivating columns; the 索引号 template
//! with its example, a refused template and a saved one; another agency's
//! user gets nothing, a supervisor only reads.

use crate::common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{Harness, Session};
use gongkai_core::OrgId;
use gongkai_core::item::Column;
use gongkai_core::item::taxonomy::default_columns;
use gongkai_core::org::{OrgKind, OrgLevel};
use gongkai_core::user::Role;
use gongkai_web::{AppState, WebConfig, app};

async fn columns(h: &Harness, org: OrgId) -> Vec<Column> {
    h.store.list_item_columns(org).await.unwrap()
}

fn by_key<'a>(cols: &'a [Column], key: &str) -> &'a Column {
    cols.iter()
        .find(|c| c.key.as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no column {key}"))
}

fn by_name<'a>(cols: &'a [Column], name: &str) -> &'a Column {
    cols.iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The harness with "today" fixed, so that the 索引号 example has a known year.
async fn harness() -> Harness {
    let mut h = Harness::new().await;
    let state = AppState::new(h.store.clone(), WebConfig::default());
    state
        .clock
        .set(Some(NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()));
    h.app = app(state);
    h
}

async fn township_publisher(h: &Harness) -> Session {
    h.staff_user("pub.town", Role::Publisher, h.orgs.township)
        .await;
    h.login("pub.town").await
}

#[tokio::test]
async fn a_township_publisher_seeds_and_edits_the_column_tree() {
    let h = harness().await;
    let s = township_publisher(&h).await;
    let town = h.orgs.township;
    let url = format!("/console/item-settings/{town}");

    let page = h.get(&url, Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("尚未建立公开目录栏目"), "{}", page.body);
    assert!(page.body.contains("基层政务公开标准目录"));
    assert!(page.body.contains("按默认目录建立栏目"));

    // Seeding: the statutory tree plus the township areas.
    let r = h.post(&s, &format!("{url}/seed"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("{url}?saved=seeded"));
    assert_eq!(h.last_action().await, "item_column.seed");
    let cols = columns(&h, town).await;
    let defaults = default_columns(OrgKind::TownshipStreet, OrgLevel::Township);
    assert_eq!(cols.len(), defaults.len());
    assert!(cols.iter().any(|c| c.name == "涉农补贴"));
    let page = h.get(&format!("{url}?saved=seeded"), Some(&s.cookie)).await;
    assert!(page.body.contains("已按默认目录建立栏目"));
    assert!(page.body.contains("涉农补贴"));
    assert!(page.body.contains("法定主动公开内容"));
    assert!(!page.body.contains("按默认目录建立栏目</button>"));
    // A second seed changes nothing.
    h.post(&s, &format!("{url}/seed"), &[]).await;
    assert_eq!(columns(&h, town).await.len(), defaults.len());

    // Adding: errors next to the fields, the input kept.
    let root = by_key(&cols, "statutory").id.to_string();
    let r = h
        .post(
            &s,
            &format!("{url}/columns"),
            &[
                ("name", " "),
                ("parent_id", &root),
                ("basis", "第二十条"),
                ("sort_order", "第一"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("请填写栏目名称"), "{}", r.body);
    assert!(r.body.contains("排序号应为整数"));
    assert!(r.body.contains(r#"value="第二十条""#));
    assert_eq!(columns(&h, town).await.len(), defaults.len());

    let r = h
        .post(
            &s,
            &format!("{url}/columns"),
            &[
                ("name", "乡村振兴专栏"),
                ("parent_id", &root),
                ("basis", "第二十条（十五）"),
                ("sort_order", "90"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(h.last_action().await, "item_column.create");
    let cols = columns(&h, town).await;
    let added = by_name(&cols, "乡村振兴专栏").clone();
    assert_eq!(added.parent_id, Some(by_key(&cols, "statutory").id));
    assert_eq!(added.key, None);
    assert_eq!(added.sort_order, 90);
    assert_eq!(added.basis.as_deref(), Some("第二十条（十五）"));

    // Renaming and moving under 政策文件.
    let policy = by_key(&cols, "policy").id.to_string();
    let edit = format!("{url}/columns/{}", added.id);
    let page = h.get(&edit, Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("本机关自设的栏目"));
    let r = h
        .post(
            &s,
            &edit,
            &[
                ("name", "乡村振兴政策"),
                ("parent_id", &policy),
                ("basis", ""),
                ("sort_order", "3"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(h.last_action().await, "item_column.update");
    let cols = columns(&h, town).await;
    let moved = cols.iter().find(|c| c.id == added.id).unwrap();
    assert_eq!(moved.name, "乡村振兴政策");
    assert_eq!(moved.parent_id, Some(by_key(&cols, "policy").id));
    assert_eq!(moved.basis, None);
    assert!(moved.active);

    // 政策文件 under its own sub-column: refused, message at the field.
    let below = by_key(&cols, "policy_normative").id.to_string();
    let policy_col = by_key(&cols, "policy").clone();
    let r = h
        .post(
            &s,
            &format!("{url}/columns/{}", policy_col.id),
            &[
                ("name", "政策文件"),
                ("parent_id", &below),
                ("sort_order", "0"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("不能把栏目移到它自己或它的下级栏目之下"),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"id="f-parent_id-error""#));
    let after = columns(&h, town).await;
    assert_eq!(by_key(&after, "policy"), &policy_col);

    // Deactivating and reactivating from the tree.
    let active_url = format!("{url}/columns/{}/active", added.id);
    let r = h.post(&s, &active_url, &[("active", "0")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("{url}?saved=deactivated"));
    let col = |cols: Vec<Column>| cols.into_iter().find(|c| c.id == added.id).unwrap();
    let off = col(columns(&h, town).await);
    assert!(!off.active);
    assert_eq!(off.name, "乡村振兴政策", "nothing else changes");
    let page = h.get(&url, Some(&s.cookie)).await;
    assert!(page.body.contains("已停用"));
    h.post(&s, &active_url, &[("active", "1")]).await;
    assert!(col(columns(&h, town).await).active);
    // The edit form without the checkbox deactivates as well.
    h.post(
        &s,
        &edit,
        &[
            ("name", "乡村振兴政策"),
            ("parent_id", &policy),
            ("sort_order", "3"),
        ],
    )
    .await;
    assert!(!col(columns(&h, town).await).active);

    // A column of another agency is not found under this one.
    let other = h
        .store
        .seed_item_columns(
            &gongkai_core::audit::Actor::cli(),
            h.orgs.county,
            &default_columns(OrgKind::Government, OrgLevel::County),
        )
        .await
        .unwrap();
    let r = h
        .get(&format!("{url}/columns/{}", other[0].id), Some(&s.cookie))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_index_template_shows_an_example_and_refuses_bad_templates() {
    let h = harness().await;
    let s = township_publisher(&h).await;
    let town = h.orgs.township;
    let url = format!("/console/item-settings/{town}");

    // The default needs the agency's code, which the township lacks: said so.
    let page = h.get(&url, Some(&s.cookie)).await;
    assert!(page.body.contains("{org_code}/{year}-{seq:05}"));
    assert!(
        page.body
            .contains("本机关尚未登记统一社会信用代码或组织机构代码")
    );

    let r = h
        .post(
            &s,
            &format!("{url}/template"),
            &[("template", "{org_code}-{seq:05}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("索引号模板必须包含 {year}"), "{}", r.body);
    assert!(r.body.contains(r#"id="f-template-error""#));
    assert!(r.body.contains(r#"value="{org_code}-{seq:05}""#));
    let r = h
        .post(
            &s,
            &format!("{url}/template"),
            &[("template", "石桥{year}-{seq}")],
        )
        .await;
    assert!(r.body.contains("不能包含“石”"), "{}", r.body);

    // Preview: the example for the typed template, nothing stored.
    let r = h
        .post(
            &s,
            &format!("{url}/template"),
            &[("template", "SQ-{year}{month}-{seq:04}"), ("preview", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("SQ-202503-0001"), "{}", r.body);
    assert!(r.body.contains("尚未保存"));
    assert_eq!(
        h.store.get_index_template(town).await.unwrap().as_str(),
        "{org_code}/{year}-{seq:05}"
    );

    let r = h
        .post(
            &s,
            &format!("{url}/template"),
            &[("template", " SQ-{year}{month}-{seq:04} ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(h.last_action().await, "item.index_template");
    assert_eq!(
        h.store.get_index_template(town).await.unwrap().as_str(),
        "SQ-{year}{month}-{seq:04}"
    );
    let page = h.get(r.location(), Some(&s.cookie)).await;
    assert!(page.body.contains("索引号模板已保存"));
    assert!(page.body.contains("下一个索引号示例"));
    assert!(page.body.contains("SQ-202503-0001"));
}

#[tokio::test]
async fn other_agencies_get_nothing_and_supervisors_only_read() {
    let h = harness().await;
    let town = h.orgs.township;
    let url = format!("/console/item-settings/{town}");
    h.store
        .seed_item_columns(
            &gongkai_core::audit::Actor::cli(),
            town,
            &default_columns(OrgKind::TownshipStreet, OrgLevel::Township),
        )
        .await
        .unwrap();
    let cols = columns(&h, town).await;
    let col = by_key(&cols, "statutory");

    // A publisher of a city department: neither the page nor a change.
    let other = h.login("pub.a").await;
    assert_eq!(
        h.get(&url, Some(&other.cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = h
        .post(
            &other,
            &format!("{url}/columns"),
            &[
                ("name", "外机关栏目"),
                ("parent_id", ""),
                ("sort_order", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h
        .post(
            &other,
            &format!("{url}/template"),
            &[("template", "X-{year}-{seq}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let index = h.get("/console/item-settings", Some(&other.cookie)).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.body.contains("青岚市交通运输局"));
    assert!(
        !index
            .body
            .contains(&format!("/console/item-settings/{town}\""))
    );

    // The county's supervisor sees the township's settings, read-only.
    let sup = h.login("sup").await;
    let page = h.get(&url, Some(&sup.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("无权修改"));
    assert!(page.body.contains("涉农补贴"));
    assert!(page.body.contains("{org_code}/{year}-{seq:05}"));
    assert!(!page.body.contains("新增栏目</button>"));
    assert!(!page.body.contains("保存模板"));
    assert!(!page.body.contains("/active\""));
    let page = h
        .get(&format!("{url}/columns/{}", col.id), Some(&sup.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page
            .body
            .contains("<form method=\"post\" action=\"/console/item-settings")
    );
    let index = h.get("/console/item-settings", Some(&sup.cookie)).await;
    assert!(index.body.contains("（只读）"));
    for (path, fields) in [
        (
            format!("{url}/columns"),
            vec![
                ("name", "监督员栏目"),
                ("parent_id", ""),
                ("sort_order", ""),
            ],
        ),
        (
            format!("{url}/columns/{}/active", col.id),
            vec![("active", "0")],
        ),
        (
            format!("{url}/template"),
            vec![("template", "X-{year}-{seq}")],
        ),
        (format!("{url}/seed"), vec![]),
    ] {
        let r = h.post(&sup, &path, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(columns(&h, town).await, cols);
    assert_eq!(
        h.store.get_index_template(town).await.unwrap().as_str(),
        "{org_code}/{year}-{seq:05}"
    );

    // The county's administrator sets agencies up (ManageOrg): may edit.
    let admin = h.login("county.admin").await;
    let r = h
        .post(
            &admin,
            &format!("{url}/template"),
            &[("template", "SQ-{year}-{seq}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        h.store.get_index_template(town).await.unwrap().as_str(),
        "SQ-{year}-{seq}"
    );
}
