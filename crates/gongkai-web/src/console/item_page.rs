//! `/console/items/{id}`: one catalog item for staff — the latest
//! version's metadata and content, its attachments (downloadable), its
//! state, the 第二十六条 due date (and after publication whether it was
//! met), the findings of the pre-publication scan with their place and
//! masked excerpt, and the forms of the workflow steps the user may take
//! now (`item_actions.rs` handles them).
//!
//! An item outside the user's item scope (DraftItems ∪ ReviewItems ∪
//! ApproveItems ∪ View) is a 404, so staff of another agency cannot learn
//! that an unpublished item exists. Which buttons show is decided from
//! the roles (through authz) and the author rule; the store checks the
//! workflow again when a form is posted.

use super::auth::Staff;
use super::item_scan;
use super::requests::calendar;
use super::{Choice, Nav, SavedQuery};
use crate::error::{AppError, render};
use crate::portal::request_view::cn_date;
use crate::portal::status_files::size_label;
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_core::OrgId;
use gongkai_core::authz::Action;
use gongkai_core::html::SafeHtml;
use gongkai_core::item::column::path_label;
use gongkai_core::item::deadline::{DueStatus, publication_deadline};
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::item::{
    DisclosureMode, ItemDetail, ItemId, ItemVersion, Revision, ScanGate, Validity, VersionState,
};
use gongkai_core::scan::FindingKind;
use gongkai_core::text::FieldErrors;
use serde::Deserialize;

/// Organisations whose items the user may see at all.
pub(super) fn item_scope(staff: &Staff) -> Vec<OrgId> {
    let mut s = staff.scope(Action::View);
    for a in [
        Action::DraftItems,
        Action::ReviewItems,
        Action::ApproveItems,
    ] {
        s.extend(staff.scope(a));
    }
    s.sort_unstable();
    s.dedup();
    s
}

/// The item if the user may see it, else 404.
pub(super) async fn load(
    state: &AppState,
    staff: &Staff,
    raw_id: &str,
) -> Result<ItemDetail, AppError> {
    let id: ItemId = raw_id.parse().map_err(|_| AppError::NotFound)?;
    let item = state.store.get_item(id).await?.ok_or(AppError::NotFound)?;
    if !item_scope(staff).contains(&item.item.org_id) {
        return Err(AppError::NotFound);
    }
    Ok(item)
}

/// Is the user the 起草人 of this version?
pub(super) fn is_author(staff: &Staff, v: &ItemVersion) -> bool {
    v.author_id == Some(staff.user.id)
}

pub(super) struct MetaRow {
    pub label: &'static str,
    pub value: String,
}

/// The metadata block of a version, as staff read it.
pub(super) async fn meta_rows(
    state: &AppState,
    staff: &Staff,
    detail: &ItemDetail,
    v: &ItemVersion,
) -> Result<Vec<MetaRow>, AppError> {
    let tax = Taxonomy::shipped();
    let m = &v.meta;
    let columns = state.store.list_item_columns(detail.item.org_id).await?;
    let date = |d: Option<chrono::NaiveDate>| d.map(cn_date).unwrap_or_else(|| "—".into());
    let validity = match &m.validity {
        Validity::Effective => "有效".to_string(),
        Validity::Expired { on } => match on {
            Some(d) => format!("失效（失效日期：{}）", cn_date(*d)),
            None => "失效".into(),
        },
        Validity::Repealed { on, by } => {
            let by = match by {
                Some(id) => match state.store.get_item(*id).await? {
                    Some(r) => format!(
                        "，废止依据：{}（{}）",
                        r.latest().meta.title,
                        r.item
                            .index_no
                            .as_ref()
                            .map_or("尚无索引号", |i| i.as_str())
                    ),
                    None => String::new(),
                },
                None => String::new(),
            };
            format!("废止（废止日期：{}{by}）", cn_date(*on))
        }
    };
    let row = |label, value: String| MetaRow { label, value };
    Ok(vec![
        row(
            "索引号",
            detail
                .item
                .index_no
                .as_ref()
                .map_or("首次发布时生成".into(), |i| i.as_str().to_string()),
        ),
        row("标题", m.title.clone()),
        row("内容概述", m.summary.clone()),
        row("发布机构", staff.org_name(detail.item.org_id)),
        row("发文机关", m.issuers.join("、")),
        row("发文字号", m.doc_number_label().to_string()),
        row("成文日期", date(m.written_on)),
        row("形成/变更日期", cn_date(m.formed_on)),
        row("发布日期", date(detail.item.first_published_on)),
        row("主题分类", tax.topic_name(&m.topic).to_string()),
        row("公开目录栏目", path_label(&columns, m.column_id)),
        row("体裁", tax.genre_name(&m.genre).to_string()),
        row("文件类型", m.doc_kind.label().to_string()),
        row("有效性", validity),
        row(
            "关键词",
            if m.keywords.is_empty() {
                "—".into()
            } else {
                m.keywords.join("　")
            },
        ),
        row("公开方式", m.disclosure.label().to_string()),
    ])
}

pub(super) struct AttRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub size: String,
    pub href: String,
}

pub(super) fn att_rows(detail: &ItemDetail, v: &ItemVersion) -> Vec<AttRow> {
    v.attachments
        .iter()
        .map(|a| AttRow {
            id: a.id,
            name: a.name.clone(),
            kind: a.type_label().to_string(),
            size: size_label(a.size),
            href: format!(
                "/console/items/{}/versions/{}/attachments/{}",
                detail.item.id, v.version, a.id
            ),
        })
        .collect()
}

pub(super) struct DeadlineView {
    pub due: Option<String>,
    /// 还剩2个工作日 / 已逾期3个工作日, for open versions.
    pub status: Option<String>,
    pub overdue: bool,
    /// After publication: whether the version was published in time.
    pub on_time: Option<bool>,
    pub explain: Vec<String>,
    /// The calendar lacks a year the computation needs.
    pub problem: Option<String>,
}

async fn deadline(state: &AppState, v: &ItemVersion) -> Result<Option<DeadlineView>, AppError> {
    if v.meta.disclosure != DisclosureMode::Proactive {
        return Ok(None);
    }
    if v.published_at.is_some() {
        return Ok(Some(DeadlineView {
            due: v.due_on.map(cn_date),
            status: None,
            overdue: false,
            on_time: v.on_time,
            explain: Vec::new(),
            problem: v
                .due_on
                .is_none()
                .then(|| "发布时工作日历缺少相应年份，未能记录期限".to_string()),
        }));
    }
    let cal = calendar(state).await?;
    let today = state.today();
    Ok(Some(match publication_deadline(&cal, v.meta.formed_on) {
        Ok(d) => {
            let status = if v.is_open() {
                DueStatus::of(&cal, d.due, today).ok()
            } else {
                None
            };
            DeadlineView {
                due: Some(cn_date(d.due)),
                overdue: status.is_some_and(DueStatus::is_overdue),
                status: status.map(DueStatus::label),
                on_time: None,
                explain: d.explain().lines().map(str::to_string).collect(),
                problem: None,
            }
        }
        Err(e) => DeadlineView {
            due: None,
            status: None,
            overdue: false,
            on_time: None,
            explain: Vec::new(),
            problem: Some(format!("无法计算公开期限：{e}")),
        },
    }))
}

pub(super) struct FindingView {
    pub key: String,
    pub kind: String,
    pub blocks: bool,
    pub excerpt: String,
    /// Reason, who and when, when a reviewer let it pass.
    pub overridden: Option<String>,
    /// In the title, summary or body, and masking can fix it.
    pub maskable: bool,
    /// The attachment it was found in (replace it with a redacted file).
    pub attachment: Option<i64>,
    pub no_text: bool,
}

pub(super) struct ScanView {
    /// 未检查 / 已过期 / current.
    pub status: String,
    pub current: bool,
    pub at: Option<String>,
    pub by: Option<String>,
    pub findings: Vec<FindingView>,
}

fn scan_view(v: &ItemVersion) -> ScanView {
    let gate = v.scan_gate();
    let current = !matches!(gate, ScanGate::NotScanned | ScanGate::Stale);
    let text = item_scan::text_findings(&v.meta);
    let findings = v
        .scan
        .as_ref()
        .map(|s| {
            s.findings
                .iter()
                .map(|f| {
                    let in_text = text.iter().find(|t| t.key == f.key);
                    let attachment = if in_text.is_some() {
                        None
                    } else {
                        v.attachments
                            .iter()
                            .find(|a| f.excerpt.starts_with(&item_scan::attachment_field(&a.name)))
                            .map(|a| a.id)
                    };
                    FindingView {
                        key: f.key.clone(),
                        kind: FindingKind::parse(&f.kind)
                            .map_or(f.kind.clone(), |k| k.label().to_string()),
                        blocks: f.blocks,
                        excerpt: f.excerpt.clone(),
                        overridden: v
                            .overrides
                            .iter()
                            .find(|o| o.finding_key == f.key)
                            .map(|o| {
                                format!(
                                    "{}（{}，{}）",
                                    o.reason,
                                    o.by_name,
                                    crate::beijing::minute(o.at)
                                )
                            }),
                        maskable: current && in_text.is_some_and(|t| t.maskable()),
                        attachment,
                        no_text: f.kind == FindingKind::NoText.as_str(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    ScanView {
        status: match gate {
            ScanGate::NotScanned => "尚未检查".into(),
            ScanGate::Stale => "内容在检查后被修改过，请重新检查".into(),
            ScanGate::Clear => "已检查，没有未处理的发现".into(),
            ScanGate::Unresolved(k) => format!("已检查，有{}条发现须处理", k.len()),
        },
        current,
        at: v
            .scan
            .as_ref()
            .map(|s| crate::beijing::minute(s.scanned_at)),
        by: v.scan.as_ref().map(|s| s.scanned_by.clone()),
        findings,
    }
}

/// Which steps the page offers the user (the store decides again).
#[derive(Default)]
pub(super) struct Can {
    pub edit: bool,
    pub scan: bool,
    pub submit: bool,
    pub review: bool,
    pub approve: bool,
    pub cancel_schedule: bool,
    pub withdraw: bool,
    pub revise: bool,
    pub mask: bool,
    pub override_: bool,
}

pub(super) fn can(staff: &Staff, detail: &ItemDetail) -> Can {
    use VersionState::*;
    let v = detail.latest();
    let org = detail.item.org_id;
    let (draft, review, approve) = (
        staff.can(Action::DraftItems, org),
        staff.can(Action::ReviewItems, org),
        staff.can(Action::ApproveItems, org),
    );
    let other = !is_author(staff, v);
    let edit = (v.state == Draft && draft) || (v.state == InReview && review && other);
    Can {
        edit,
        scan: v.is_open() && (draft || review || approve),
        submit: v.state == Draft && draft,
        review: v.state == InReview && review && other,
        approve: v.state == InApproval && approve && other,
        cancel_schedule: v.state == Scheduled && approve && other,
        withdraw: detail.item.public_version.is_some() && approve,
        revise: !v.is_open()
            && draft
            && detail.item.first_published_on.is_some()
            && detail.revision_base().is_some(),
        mask: edit,
        override_: other && ((v.state == InReview && review) || (v.state == InApproval && approve)),
    }
}

/// What the user typed into the step forms, kept when one is refused.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StepForms {
    pub decision: String,
    pub comment: String,
    pub publish: String,
    pub publish_date: String,
    pub publish_time: String,
    pub reason: String,
    pub kind: String,
    pub key: String,
}

#[derive(Template)]
#[template(path = "console/item_page.html")]
struct ItemPage {
    layout: Layout,
    nav: Nav,
    csrf: String,
    id: ItemId,
    title: String,
    org: String,
    state: &'static str,
    state_key: &'static str,
    version: i32,
    versions: usize,
    public_version: Option<i32>,
    author: String,
    revision: Option<String>,
    publish_at: Option<String>,
    withdrawal: Option<(String, String)>,
    meta: Vec<MetaRow>,
    body: SafeHtml,
    attachments: Vec<AttRow>,
    deadline: Option<DeadlineView>,
    scan: ScanView,
    can: Can,
    saved: Option<&'static str>,
    notice: Option<String>,
    errors: FieldErrors,
    forms: StepForms,
    approve_choices: Vec<Choice>,
    today: String,
    public_href: Option<String>,
}

impl ItemPage {
    fn finding_error(&self, key: &str) -> Option<&str> {
        (self.forms.key == key)
            .then(|| self.errors.get("finding"))
            .flatten()
    }
}

fn saved_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "created" => "信息已起草。",
        "updated" => "已保存修改。",
        "scanned" => "发布前检查已完成。",
        "masked" => "已遮盖，并已重新检查。",
        "overridden" => "已记录放行理由。",
        "submitted" => "已提交保密审查。",
        "reviewed" => "保密审查意见已记录。",
        "returned" => "已退回起草人修改。",
        "published" => "已批准并发布。",
        "scheduled" => "已批准，将在设定时间发布。",
        "withdrawn" => "已撤回，公众不再能看到该信息。",
        "replaced" => "附件已替换，并已重新检查。",
        _ => return None,
    })
}

/// Renders the page; `errors` and `notice` explain a refused step.
pub(super) async fn page(
    state: &AppState,
    staff: &Staff,
    detail: &ItemDetail,
    status: StatusCode,
    saved: Option<&'static str>,
    errors: FieldErrors,
    forms: StepForms,
) -> Result<Response, AppError> {
    let v = detail.latest();
    let item = &detail.item;
    let can = can(staff, detail);
    let scan = scan_view(v);
    // A refusal whose form is not on the page (the author posting a
    // review, a stale tab) is shown at the top instead.
    let shown = |field: &str| match field {
        "review" => can.review,
        "approve" | "publish_date" => can.approve || can.cancel_schedule,
        "withdraw" => can.withdraw,
        "revise" => can.revise,
        "finding" => scan.findings.iter().any(|f| f.key == forms.key),
        _ => false,
    };
    let notice = errors
        .0
        .iter()
        .find(|e| !shown(e.field))
        .map(|e| e.message.clone());
    let p = ItemPage {
        layout: staff.layout(&format!("信息：{}", v.meta.title)),
        nav: staff.nav("items"),
        csrf: staff.csrf.clone(),
        id: item.id,
        title: v.meta.title.clone(),
        org: staff.org_name(item.org_id),
        state: v.state.label(),
        state_key: v.state.as_str(),
        version: v.version,
        versions: detail.versions.len(),
        public_version: item.public_version,
        author: v.author_name.clone(),
        revision: match &v.revision {
            Revision::Original => None,
            Revision::Edit => Some("修订".into()),
            Revision::Correction { reason } => Some(format!("更正：{reason}")),
        },
        publish_at: v.publish_at.map(crate::beijing::minute),
        withdrawal: item
            .withdrawal
            .as_ref()
            .map(|w| (crate::beijing::minute(w.at), w.reason.clone())),
        meta: meta_rows(state, staff, detail, v).await?,
        body: SafeHtml::sanitize(v.meta.body.as_str()),
        attachments: att_rows(detail, v),
        deadline: deadline(state, v).await?,
        scan,
        can,
        saved,
        notice,
        approve_choices: vec![
            Choice::new("now", "立即发布", &forms.publish),
            Choice::new("later", "定时发布（北京时间）", &forms.publish),
        ],
        errors,
        forms,
        today: state.today().to_string(),
        public_href: item.public_version.map(|_| format!("/items/{}", item.id)),
    };
    Ok((status, render(&p)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let detail = load(&state, &staff, &id).await?;
    let saved = q.saved.as_deref().and_then(saved_message);
    page(
        &state,
        &staff,
        &detail,
        StatusCode::OK,
        saved,
        FieldErrors::new(),
        StepForms::default(),
    )
    .await
}
