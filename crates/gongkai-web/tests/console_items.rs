//! The staff console for catalog items over HTTP: drafting with field
//! errors, attachments, the pre-publication scan at 提交审查, separation of
//! duties, one-click masking, replacing and overriding attachment findings,
//! publication now and scheduled, 撤回 (410 for the public), 更正 with its
//! public note, and the audit trail.

use crate::common;

use axum::http::StatusCode;
use chrono::Duration;
use common::docs::{SCANNED_PDF, docx};
use common::items::{finding, item, path, upload};
use common::multipart::multipart_post;
use common::{Harness, Resp, Session, id_number};
use gongkai_core::audit::Actor;
use gongkai_core::item::{IndexTemplate, ItemId, VersionState};
use gongkai_core::user::{Grant, Role};

struct World {
    h: Harness,
    author: Session,
    reviewer: Session,
    approver: Session,
    other_reviewer: Session,
    column: String,
}

async fn world() -> World {
    let h = Harness::new().await;
    let a = h.orgs.dept_a;
    // The author also holds the reviewer role: the workflow, not the role
    // list, must stop them from reviewing their own item.
    h.store
        .grant(
            &Actor::cli(),
            h.users.publisher_a,
            &Grant::new(Role::Reviewer, a, false),
        )
        .await
        .unwrap();
    // The test agencies have no registered code: a template without {org_code}.
    h.store
        .put_index_template(
            &Actor::cli(),
            a,
            &IndexTemplate::parse("QLJT-{year}-{seq:05}").unwrap(),
        )
        .await
        .unwrap();
    h.staff_user("rev.a", Role::Reviewer, a).await;
    h.staff_user("appr.a", Role::Approver, a).await;
    h.staff_user("rev.b", Role::Reviewer, h.orgs.dept_b).await;
    let author = h.login("pub.a").await;
    let reviewer = h.login("rev.a").await;
    let approver = h.login("appr.a").await;
    let other_reviewer = h.login("rev.b").await;
    // Opening the form seeds the agency's default columns.
    let form = h
        .get(&format!("/console/items/new?org={a}"), Some(&author.cookie))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let column = h
        .store
        .list_item_columns(a)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.key.as_deref() == Some("policy_other"))
        .expect("seeded column")
        .id
        .to_string();
    World {
        h,
        author,
        reviewer,
        approver,
        other_reviewer,
        column,
    }
}

fn fields<'a>(
    w: &'a World,
    org: &'a str,
    title: &'a str,
    body: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("org", org),
        ("title", title),
        ("summary", "公布2025年度道路运输补贴发放结果。"),
        ("body", body),
        ("issuers", "青岚市交通运输局"),
        ("doc_number", ""),
        ("written_on", "2025-03-01"),
        ("formed_on", "2025-03-03"),
        ("topic", "industry_transport"),
        ("column_id", &w.column),
        ("genre", "notice"),
        ("keywords", "补贴 道路运输"),
        ("disclosure", "proactive"),
        ("doc_kind", "other"),
        ("validity", "effective"),
        ("validity_on", ""),
        ("repealed_by_index", ""),
    ]
}

/// Creates a draft through the form; returns its id.
async fn create(w: &World, title: &str, body: &str) -> ItemId {
    let org = w.h.orgs.dept_a.to_string();
    let r =
        w.h.post(
            &w.author,
            "/console/items/new",
            &fields(w, &org, title, body),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location();
    assert!(loc.ends_with("/edit?saved=created"), "{loc}");
    loc.trim_start_matches("/console/items/")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn state(h: &Harness, id: ItemId) -> VersionState {
    item(h, id).await.latest().state
}

#[tokio::test]
async fn a_draft_with_errors_comes_back_with_messages_and_input_kept() {
    let w = world().await;
    let org = w.h.orgs.dept_a.to_string();
    let mut f = fields(&w, &org, "", "<p>正文</p>");
    for (k, v) in f.iter_mut() {
        match *k {
            "formed_on" => *v = "2025/3/3",
            "summary" => *v = "保留的内容概述",
            "validity" => *v = "repealed",
            "validity_on" => *v = "2025-06-01",
            "repealed_by_index" => *v = "NOPE/2025-00001",
            _ => {}
        }
    }
    let r = w.h.post(&w.author, "/console/items/new", &f).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(r#"id="f-title-error">请填写标题"#),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(r#"id="f-formed_on-error">日期格式应为 YYYY-MM-DD"#)
    );
    assert!(
        r.body
            .contains(r#"id="f-repealed_by_index-error">未找到索引号为“NOPE/2025-00001”的信息"#),
        "{}",
        r.body
    );
    assert!(r.body.contains("保留的内容概述"), "input kept");
    assert!(r.body.contains(r#"value="NOPE/2025-00001""#));
    let audit = w.h.audit_actions().await;
    assert!(!audit.iter().any(|a| a == "item.create"), "nothing stored");

    // Someone without DraftItems cannot draft at all.
    let r = w.h.post(&w.reviewer, "/console/items/new", &f).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let id = create(
        &w,
        "关于公布道路运输补贴发放结果的公告",
        "<p>补贴已发放。</p>",
    )
    .await;
    let d = item(&w.h, id).await;
    assert_eq!(d.item.org_id, w.h.orgs.dept_a);
    assert_eq!(d.latest().state, VersionState::Draft);
    assert_eq!(d.latest().author_id, Some(w.h.users.publisher_a));
    assert_eq!(d.latest().meta.formed_on.to_string(), "2025-03-03");
    let list =
        w.h.get("/console/items?tab=draft", Some(&w.author.cookie))
            .await;
    assert!(list.body.contains("关于公布道路运输补贴发放结果的公告"));
}

#[tokio::test]
async fn an_item_goes_from_draft_through_review_to_publication_withdrawal_and_correction() {
    let w = world().await;
    let h = &w.h;
    let body_id = id_number("43010419900101123");
    let att_id = id_number("11010519491231002");
    let title = "关于公布道路运输补贴发放结果的公告";
    let id = create(
        &w,
        title,
        &format!("<p>领取人张三，身份证号{body_id}，已发放。</p>"),
    )
    .await;

    // The author attaches a DOCX holding another ID number and submits.
    let bytes = docx(&["补贴发放名单", &format!("李四 {att_id} 3000元")]);
    let r = upload(h, &w.author, id, "发放名单.docx", &bytes, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = h.post(&w.author, &path(id, "submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(state(h, id).await, VersionState::InReview);

    let page = h
        .get(&format!("/console/items/{id}"), Some(&w.reviewer.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("有2条发现须处理"), "{}", page.body);
    assert!(
        page.body.contains("附件「发放名单.docx」 第 2 行第"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("1101**********{}", &att_id[14..]))
    );
    assert!(page.body.contains("一键遮盖"));
    assert!(
        !page.body.contains(&format!("【{att_id}】")),
        "the number is masked"
    );

    // The author may not review their own item, whatever their roles.
    let r = h
        .post(
            &w.author,
            &path(id, "review"),
            &[("decision", "pass"), ("comment", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("不能对自己起草的信息进行保密审查"),
        "{}",
        r.body
    );
    assert_eq!(state(h, id).await, VersionState::InReview);

    // A reviewer of another agency cannot see or touch it.
    let r = h
        .get(
            &format!("/console/items/{id}"),
            Some(&w.other_reviewer.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h
        .post(
            &w.other_reviewer,
            &path(id, "review"),
            &[("decision", "pass")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h
        .get(
            &format!("/console/items/{id}/record"),
            Some(&w.other_reviewer.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Passing with open findings is refused with the store's message.
    let r = h
        .post(&w.reviewer, &path(id, "review"), &[("decision", "pass")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("还有2条检查发现未处理"), "{}", r.body);

    // One click masks the body number; the stored body holds the mask.
    let key = finding(h, id, "正文").await;
    let r = h
        .post(&w.reviewer, &path(id, "mask"), &[("key", &key)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = item(h, id).await;
    let stored = d.latest().meta.body.as_str();
    assert!(
        stored.contains(&format!("4301**********{}", &body_id[14..])),
        "{stored}"
    );
    assert!(!stored.contains(&body_id));
    assert!(
        d.latest().scan.as_ref().unwrap().fingerprint == d.latest().fingerprint(),
        "rescanned"
    );

    // The attachment is replaced by a redacted copy.
    let att = d.latest().attachments[0].id;
    let clean = docx(&["补贴发放名单", "李四 1101**********0000 3000元"]);
    let r = upload(
        h,
        &w.reviewer,
        id,
        "发放名单（已处理）.docx",
        &clean,
        Some(att),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = item(h, id).await;
    assert_eq!(d.latest().attachments.len(), 1);
    assert_eq!(d.latest().attachments[0].name, "发放名单（已处理）.docx");
    assert!(d.latest().scan.as_ref().unwrap().findings.is_empty());

    let r = h
        .post(
            &w.reviewer,
            &path(id, "review"),
            &[("decision", "pass"), ("comment", "已遮盖")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(state(h, id).await, VersionState::InApproval);

    // Nothing is public before approval.
    assert_eq!(
        h.get(&format!("/items/{id}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let r = h
        .post(
            &w.approver,
            &path(id, "approve"),
            &[("decision", "pass"), ("publish", "now")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("saved=published"));
    let d = item(h, id).await;
    assert_eq!(d.latest().state, VersionState::Published);
    let index = d
        .item
        .index_no
        .clone()
        .expect("索引号 assigned")
        .as_str()
        .to_string();
    let public = h.get(&format!("/items/{id}"), None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains(title));
    assert!(public.body.contains(&index));
    assert!(!public.body.contains(&body_id));
    let catalog = h.get("/catalog", None).await;
    assert!(catalog.body.contains(title), "listed in the catalog");
    // The index followed the publication, in both scripts.
    let href = format!("/items/{id}");
    for q in ["道路运输补贴", "道路運輸補貼"] {
        let found = h
            .get(&format!("/search?q={}", common::encode(q)), None)
            .await;
        assert!(found.body.contains(&href), "search {q}: {}", found.body);
    }

    // 更正: a new version, reviewed and approved again; the public sees the reason.
    let r = h
        .post(
            &w.author,
            &path(id, "revise"),
            &[("kind", "correct"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("请填写更正理由"), "{}", r.body);
    let r = h
        .post(
            &w.author,
            &path(id, "revise"),
            &[("kind", "correct"), ("reason", "补充发文字号")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        format!("/console/items/{id}/edit?saved=revised")
    );
    let d = item(h, id).await;
    assert_eq!(
        (d.latest().version, d.latest().state),
        (2, VersionState::Draft)
    );
    let org = h.orgs.dept_a.to_string();
    let masked_body = d.latest().meta.body.as_str().to_string();
    let mut f = fields(&w, &org, title, &masked_body);
    for (k, v) in f.iter_mut() {
        if *k == "doc_number" {
            *v = "青交告〔2025〕1号";
        }
    }
    let r = h.post(&w.author, &path(id, "edit"), &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        h.post(&w.author, &path(id, "submit"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        h.post(&w.reviewer, &path(id, "review"), &[("decision", "pass")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // Until approval the public still sees version 1.
    assert!(
        !h.get(&format!("/items/{id}"), None)
            .await
            .body
            .contains("青交告〔2025〕1号")
    );
    assert_eq!(
        h.post(
            &w.approver,
            &path(id, "approve"),
            &[("decision", "pass"), ("publish", "now")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let public = h.get(&format!("/items/{id}"), None).await;
    assert!(public.body.contains("青交告〔2025〕1号"), "{}", public.body);
    assert!(
        public.body.contains("补充发文字号"),
        "the correction note is public"
    );
    assert_eq!(
        item(h, id).await.item.index_no.unwrap().as_str(),
        index,
        "same 索引号"
    );

    // The record shows every step and both versions; version 1 stays readable.
    let rec = h
        .get(
            &format!("/console/items/{id}/record"),
            Some(&w.reviewer.cookie),
        )
        .await;
    assert_eq!(rec.status, StatusCode::OK);
    assert!(rec.body.contains("待保密审查 → 待领导审批"), "{}", rec.body);
    assert!(rec.body.contains("已遮盖"));
    assert!(rec.body.contains("更正：补充发文字号"));
    let v1 = h
        .get(
            &format!("/console/items/{id}/versions/1"),
            Some(&w.reviewer.cookie),
        )
        .await;
    assert_eq!(v1.status, StatusCode::OK);
    assert!(v1.body.contains("已被新版本替代"), "{}", v1.body);

    // 撤回 needs a reason, then the public page is 410 Gone.
    let r = h
        .post(&w.approver, &path(id, "withdraw"), &[("reason", " ")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("请填写撤回理由"));
    let r = h
        .post(
            &w.approver,
            &path(id, "withdraw"),
            &[("reason", "名单有误，核实后重新发布")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        h.get(&format!("/items/{id}"), None).await.status,
        StatusCode::GONE
    );
    assert!(!h.get("/catalog", None).await.body.contains(title));
    let found = h
        .get(
            &format!("/search?q={}", common::encode("道路运输补贴")),
            None,
        )
        .await;
    assert!(!found.body.contains(&href), "withdrawn: not found");

    let item_actions: Vec<String> = h
        .audit_actions()
        .await
        .into_iter()
        .filter(|a| a.starts_with("item."))
        .collect();
    assert_eq!(
        item_actions,
        [
            "item.index_template", // the test's setup
            "item.create",
            "item.attach",
            "item.scan",
            "item.submit",
            "item.update",
            "item.scan",
            "item.attach",
            "item.detach",
            "item.scan",
            "item.review",
            "item.scan",
            "item.approve",
            "item.publish",
            "item.correct",
            "item.update",
            "item.scan",
            "item.submit",
            "item.review",
            "item.scan",
            "item.approve",
            "item.publish",
            "item.withdraw",
        ]
    );
}

#[tokio::test]
async fn an_unreadable_attachment_is_overridden_and_a_scheduled_publication_waits() {
    let w = world().await;
    let h = &w.h;
    let title = "青岚市交通运输局2025年第一季度执法检查通报";
    let id = create(&w, title, "").await;
    let r = upload(h, &w.author, id, "通报扫描件.pdf", SCANNED_PDF, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        h.post(&w.author, &path(id, "submit"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = h
        .get(&format!("/console/items/{id}"), Some(&w.reviewer.cookie))
        .await;
    assert!(page.body.contains("无法提取文字"), "{}", page.body);
    assert!(page.body.contains("说明理由并放行"));

    // The reviewer looks at the scan and lets it pass with a reason.
    let key = finding(h, id, "附件「通报扫描件.pdf」").await;
    let r = h
        .post(
            &w.reviewer,
            &path(id, "override"),
            &[("key", &key), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("请填写放行检查发现理由"), "{}", r.body);
    let r = h
        .post(
            &w.reviewer,
            &path(id, "override"),
            &[("key", &key), ("reason", "已逐页人工核对，无个人信息")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        h.post(&w.reviewer, &path(id, "review"), &[("decision", "pass")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // A time in the past is refused next to the field; a future one schedules.
    let r = h
        .post(
            &w.approver,
            &path(id, "approve"),
            &[
                ("decision", "pass"),
                ("publish", "later"),
                ("publish_date", "2020-01-01"),
                ("publish_time", "09:00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body
            .contains(r#"id="f-publish_date-error">定时发布时间应晚于当前时间"#),
        "{}",
        r.body
    );
    let day = (chrono::Utc::now() + Duration::days(3))
        .date_naive()
        .to_string();
    let r = h
        .post(
            &w.approver,
            &path(id, "approve"),
            &[
                ("decision", "pass"),
                ("publish", "later"),
                ("publish_date", &day),
                ("publish_time", "09:30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("saved=scheduled"));
    let d = item(h, id).await;
    assert_eq!(d.latest().state, VersionState::Scheduled);
    let at = d.latest().publish_at.unwrap();
    assert_eq!(
        at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        format!("{day} 09:30")
    );
    assert_eq!(
        h.get(&format!("/items/{id}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let list = h
        .get("/console/items?tab=scheduled", Some(&w.approver.cookie))
        .await;
    assert!(list.body.contains(title), "{}", list.body);
    let rec = h
        .get(
            &format!("/console/items/{id}/record"),
            Some(&w.approver.cookie),
        )
        .await;
    assert!(
        rec.body.contains("已逐页人工核对，无个人信息"),
        "the override is on record"
    );
}

#[tokio::test]
async fn the_work_list_shows_what_each_user_can_act_on() {
    let w = world().await;
    let h = &w.h;
    let id = create(&w, "关于调整公交线路的通告", "<p>自下月起调整。</p>").await;
    assert_eq!(
        h.post(&w.author, &path(id, "submit"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    async fn mine(h: &Harness, s: &Session) -> Resp {
        h.get("/console/items", Some(&s.cookie)).await
    }
    let r = mine(h, &w.reviewer).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("共 1 条"), "{}", r.body);
    assert!(r.body.contains("关于调整公交线路的通告"));
    // The author holds the reviewer role too, but their own item is not
    // their work; it is listed only as overdue (formed 2025-03-03).
    let own = mine(h, &w.author).await;
    assert!(own.body.contains("共 0 条"), "{}", own.body);
    assert!(own.body.contains("即将到期和已逾期"));
    assert!(
        own.body
            .contains(r#"<span class="badge error">已逾期</span>"#)
    );
    assert!(mine(h, &w.approver).await.body.contains("共 0 条"));
    let other = mine(h, &w.other_reviewer).await;
    assert!(other.body.contains("共 0 条"));
    assert!(
        !other.body.contains("关于调整公交线路的通告"),
        "another agency's item"
    );
    // A supervisor over the whole city reads the item and its 审查记录
    // (assessment evidence) but is offered no step.
    let sup = h
        .staff_user("sup.city", Role::Supervisor, h.orgs.city)
        .await;
    h.store
        .grant(
            &Actor::cli(),
            sup,
            &Grant::new(Role::Supervisor, h.orgs.city, true),
        )
        .await
        .unwrap();
    let s = h.login("sup.city").await;
    let page = h
        .get(&format!("/console/items/{id}"), Some(&s.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("审查通过") && !page.body.contains("一键遮盖"));
    let rec = h
        .get(&format!("/console/items/{id}/record"), Some(&s.cookie))
        .await;
    assert_eq!(rec.status, StatusCode::OK);
    assert!(rec.body.contains("草稿 → 待保密审查"), "{}", rec.body);
    let r = h
        .post(&s, &path(id, "review"), &[("decision", "pass")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let all = h
        .get("/console/items?tab=in_review", Some(&w.approver.cookie))
        .await;
    assert!(all.body.contains("关于调整公交线路的通告"));
    // The sidebar links the section.
    assert!(
        all.body
            .contains(r#"<a href="/console/items" aria-current="page">信息发布</a>"#)
    );
}

#[tokio::test]
async fn an_attachment_form_without_exactly_one_file_is_refused_and_nothing_is_attached() {
    let w = world().await;
    let h = &w.h;
    let id = create(&w, "关于道路运输补贴的通知", "<p>正文</p>").await;
    let attachments = || async { item(h, id).await.latest().attachments.len() };
    let target = path(id, "attachments");
    let audit_before = h.audit_actions().await;

    // An empty file input is sent as a nameless, empty part.
    let none = h
        .send(multipart_post(&w.author, &target, &[], &[("", b"")]))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("请选择要上传的文件。"), "{}", none.body);

    let pdf: &[u8] = SCANNED_PDF;
    let two = h
        .send(multipart_post(
            &w.author,
            &target,
            &[],
            &[("一.pdf", pdf), ("二.pdf", pdf)],
        ))
        .await;
    assert_eq!(two.status, StatusCode::BAD_REQUEST);
    assert!(
        two.body.contains("一次只能上传一个文件，请逐个上传。"),
        "{}",
        two.body
    );
    assert_eq!(attachments().await, 0);
    assert_eq!(h.audit_actions().await, audit_before, "nothing recorded");
}
