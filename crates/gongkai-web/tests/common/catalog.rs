//! A public catalog seeded through the store API, for the portal, API and
//! search tests: the two test agencies' default columns, items imported
//! with [`legacy`], and the fixtures several of those catalogs share (the
//! 交通运输局 rule with its PDF, the rule it repeals, a run of 2023 items
//! long enough to page, an unpublished draft, a withdrawal).

use super::Harness;
use axum::body::Bytes;
use chrono::{NaiveDate, Utc};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::item::column::Column;
use gongkai_core::item::taxonomy::default_columns;
use gongkai_core::item::{
    IndexNo, ItemCommand, ItemDraft, ItemForm, ItemId, LegacyItem, NewAttachment,
};
use gongkai_core::org::{OrgKind, OrgLevel};
use gongkai_files::{FileStore, ObjectFileStore};

/// A minimal PDF the upload gate accepts.
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// The 索引号 of [`transport_rule`].
pub const RULE_INDEX: &str = "QLJT/2025-00003";

/// The id of the column with `key`.
pub fn col(cols: &[Column], key: &str) -> i64 {
    cols.iter()
        .find(|c| c.key.as_deref() == Some(key))
        .unwrap_or_else(|| panic!("column {key}"))
        .id
}

/// A valid 交通运输局 notice in `column`, changed by `edit`.
pub fn draft(title: &str, column: i64, edit: impl FnOnce(&mut ItemForm)) -> ItemDraft {
    let mut f = ItemForm {
        title: title.into(),
        summary: format!("{title}的内容概述。"),
        body: "各有关单位：\n\n现将有关事项通知如下，请认真贯彻执行。".into(),
        issuers: "青岚市交通运输局".into(),
        written_on: "2025-03-01".into(),
        formed_on: "2025-03-03".into(),
        topic: "industry_transport".into(),
        column_id: column.to_string(),
        genre: "notice".into(),
        keywords: "交通 客运".into(),
        disclosure: "proactive".into(),
        doc_kind: "other".into(),
        validity: "effective".into(),
        ..Default::default()
    };
    edit(&mut f);
    f.validate().unwrap_or_else(|e| panic!("{title}: {e}"))
}

/// An item published on `day` under an old 索引号, as an import brings it.
pub fn legacy(org: OrgId, index: &str, day: &str, meta: ItemDraft) -> LegacyItem {
    LegacyItem {
        org_id: org,
        index_no: IndexNo::legacy(index).unwrap(),
        published_on: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
        meta,
        attachments: Vec::new(),
        repealed_by_index_no: None,
    }
}

/// Seeds the default columns of the two test agencies (`dept_a`, `dept_b`).
pub async fn seed_columns(h: &Harness) -> (Vec<Column>, Vec<Column>) {
    let cli = Actor::cli();
    let defaults = default_columns(OrgKind::Department, OrgLevel::City);
    let a = h
        .store
        .seed_item_columns(&cli, h.orgs.dept_a, &defaults)
        .await
        .unwrap();
    let b = h
        .store
        .seed_item_columns(&cli, h.orgs.dept_b, &defaults)
        .await
        .unwrap();
    (a, b)
}

/// 交通运输局's normative rule ([`RULE_INDEX`], 青交发〔2025〕3号) with
/// [`PDF`] stored in `files` as its attachment.
pub async fn transport_rule(files: &ObjectFileStore, a: OrgId, cols_a: &[Column]) -> LegacyItem {
    let stored = files.put(Bytes::from_static(PDF)).await.unwrap();
    let mut rule = legacy(
        a,
        RULE_INDEX,
        "2025-03-10",
        draft(
            "青岚市交通运输局关于印发《青岚市公共汽车客运管理办法》的通知",
            col(cols_a, "policy_normative"),
            |f| {
                f.doc_kind = "normative".into();
                f.doc_number = "青交发〔2025〕3号".into();
                f.keywords = "公共汽车 客运管理".into();
            },
        ),
    );
    rule.attachments.push(NewAttachment {
        name: "附件1：青岚市公共汽车客运管理办法.pdf".into(),
        media_type: "application/pdf".into(),
        size: PDF.len() as i64,
        sha256: stored.key.sha256_hex().to_string(),
        storage_key: stored.key.as_str().to_string(),
    });
    rule
}

/// 25 items of January 2023, so that listings need several pages.
pub fn work_updates_2023(a: OrgId, cols_a: &[Column]) -> Vec<LegacyItem> {
    (1..=25)
        .map(|n| {
            legacy(
                a,
                &format!("QLJT/2023-{n:05}"),
                &format!("2023-01-{n:02}"),
                draft(
                    &format!("青岚市交通运输局2023年第{n}期工作动态"),
                    col(cols_a, "statutory_other"),
                    |f| {
                        f.genre = "other".into();
                        f.formed_on = format!("2023-01-{n:02}");
                        f.written_on = String::new();
                    },
                ),
            )
        })
        .collect()
}

/// Imports the 2019 rule that `rule` repealed (a second import, because
/// the link must point at an existing item).
pub async fn import_repealed_rule(h: &Harness, cols_a: &[Column], rule: ItemId) -> ItemId {
    let old = legacy(
        h.orgs.dept_a,
        "QLJT/2019-00021",
        "2019-06-18",
        draft(
            "青岚市交通运输局关于印发《青岚市公共汽车客运管理暂行办法》的通知",
            col(cols_a, "policy_normative"),
            |f| {
                f.doc_kind = "normative".into();
                f.doc_number = "青交发〔2019〕21号".into();
                f.written_on = "2019-06-10".into();
                f.formed_on = "2019-06-12".into();
                f.validity = "repealed".into();
                f.validity_on = "2025-03-10".into();
                f.repealed_by = rule.to_string();
            },
        ),
    );
    h.store.import_items(&Actor::cli(), &[old]).await.unwrap()[0]
}

/// A 交通运输局 draft, created by its publisher and never published.
pub async fn unpublished_draft(h: &Harness, cols_a: &[Column]) -> ItemId {
    let publisher = Actor::user(h.users.publisher_a, "pub.a");
    h.store
        .create_item(
            &publisher,
            h.orgs.dept_a,
            &draft(
                "青岚市交通运输局尚未发布的草稿通知",
                col(cols_a, "policy_other"),
                |_| {},
            ),
        )
        .await
        .unwrap()
        .item
        .id
}

/// Withdraws a published item as the root user.
pub async fn withdraw(h: &Harness, id: ItemId) {
    h.store
        .transition_item(
            &Actor::user(h.users.root, "root"),
            id,
            &ItemCommand::Withdraw {
                reason: "内容有误，需重新核实".into(),
            },
            Utc::now(),
        )
        .await
        .unwrap();
}
