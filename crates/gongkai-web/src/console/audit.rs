//! `/console/audit`: the audit log of the organisations in the caller's
//! `ViewAudit` scope, newest first.

use super::Nav;
use super::auth::Staff;
use crate::error::{AppError, render};
use crate::{AppState, Layout};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

use gongkai_core::audit::AuditRecord;
use gongkai_core::authz::Action;
use gongkai_core::store::AuditQuery;
use serde::Deserialize;

const PAGE: i64 = 50;
const SUMMARY_MAX: usize = 600;

/// Chinese label of an audit action code; unknown codes are shown as-is.
pub fn action_label(code: &str) -> &str {
    match code {
        "org.create" => "新建机构",
        "org.update" => "修改机构信息",
        "org.move" => "调整上级机构",
        "guide.update" => "修改公开指南",
        "policy_doc.create" => "新增公开制度",
        "policy_doc.update" => "修改公开制度",
        "policy_doc.delete" => "删除公开制度",
        "user.create" => "新建用户",
        "user.update" => "修改用户",
        "user.password" => "设置密码",
        "user.grant" => "授予角色",
        "user.revoke" => "撤销角色",
        "session.login" => "登录",
        "session.login_failed" => "登录失败",
        "session.logout" => "退出登录",
        "mail.retry" => "重新发送通知邮件",
        "annual_report.import" => "保存历史年报",
        "annual_report.delete" => "删除历史年报",
        "calendar.put" => "导入节假日安排",
        "request.submit" => "在线提交申请",
        "request.register" => "登记申请",
        "request.received" => "收到申请",
        "request.confirm" => "确认受理",
        "request.correction_requested" => "告知补正",
        "request.correction_received" => "收到补正",
        "request.extended" => "延期答复",
        "request.consultation_sent" => "征求意见",
        "request.consultation_answered" => "收到征求意见答复",
        "request.fee_notice_sent" => "收费通知",
        "request.fee_paid" => "缴纳信息处理费",
        "request.note" => "内部备注",
        "request.assign" => "指定办理人",
        "request.close" => "办结",
        "item.index_template" => "设置索引号规则",
        "item_column.seed" => "建立公开目录栏目",
        "item_column.create" => "新增公开目录栏目",
        "item_column.update" => "修改公开目录栏目",
        other => match other
            .strip_prefix("item.")
            .and_then(gongkai_core::item::workflow::ItemAction::parse)
        {
            Some(a) => a.label(),
            None => other,
        },
    }
}

struct Row {
    seq: i64,
    at: String,
    actor: String,
    org: String,
    action: String,
    object: String,
    before: String,
    after: String,
    note: String,
}

#[derive(Template)]
#[template(path = "console/audit.html")]
struct AuditPage {
    layout: Layout,
    nav: Nav,
    rows: Vec<Row>,
    next_before: Option<i64>,
}

#[derive(Deserialize)]
pub struct AuditParams {
    #[serde(default)]
    before: Option<i64>,
}

fn clip(s: String) -> String {
    if s.chars().count() <= SUMMARY_MAX {
        s
    } else {
        let mut t: String = s.chars().take(SUMMARY_MAX).collect();
        t.push('…');
        t
    }
}

/// Chinese name of an audit object type.
fn object_label(t: &str) -> &str {
    match t {
        "org" | "organisation" => "机构",
        "user" => "用户",
        "guide" => "公开指南",
        "policy_doc" => "公开制度",
        "session" => "会话",
        "mail" => "通知邮件",
        "annual_report" => "历史年报",
        "request" => "依申请公开",
        "item" => "公开信息",
        "item_column" => "公开目录栏目",
        other => other,
    }
}

/// A JSON value as readable text: objects become `key：value` pairs.
fn readable(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => o
            .iter()
            .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
            .map(|(k, v)| match v {
                serde_json::Value::Object(_) => format!("{k}：{{{}}}", readable(v)),
                _ => format!("{k}：{}", readable(v)),
            })
            .collect::<Vec<_>>()
            .join("；"),
        other => other.to_string(),
    }
}

/// Splits a summary into before / after / other remarks, as readable text.
fn summary_parts(summary: &str) -> (String, String, String) {
    let Ok(serde_json::Value::Object(mut o)) = serde_json::from_str(summary) else {
        return (String::new(), String::new(), clip(summary.to_string()));
    };
    let before = o.remove("before").map(|v| readable(&v)).unwrap_or_default();
    let after = o.remove("after").map(|v| readable(&v)).unwrap_or_default();
    let rest = readable(&serde_json::Value::Object(o));
    (clip(before), clip(after), clip(rest))
}

fn row(staff: &Staff, r: AuditRecord) -> Row {
    let (before, after, note) = summary_parts(&r.summary);
    Row {
        seq: r.seq,
        at: crate::beijing::second(r.at),
        actor: r.actor_name,
        org: r.org_id.map(|o| staff.org_name(o)).unwrap_or_default(),
        action: action_label(&r.action).to_string(),
        object: format!("{} {}", object_label(&r.object_type), r.object_id),
        before,
        after,
        note,
    }
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(p): Query<AuditParams>,
) -> Result<Response, AppError> {
    let scope = staff.scope(Action::ViewAudit);
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    // Whoever may read the whole tree also sees records without an
    // organisation (CLI and system actions).
    let org_ids = if staff.orgs.iter().all(|o| scope.contains(&o.id)) {
        None
    } else {
        Some(scope)
    };
    let records = state
        .store
        .list_audit(&AuditQuery {
            org_ids,
            before_seq: p.before,
            limit: PAGE,
        })
        .await?;
    let next_before = (records.len() as i64 == PAGE)
        .then(|| records.last().map(|r| r.seq))
        .flatten();
    let rows = records.into_iter().map(|r| row(&staff, r)).collect();
    let page = AuditPage {
        layout: staff.layout("操作日志"),
        nav: staff.nav("audit"),
        rows,
        next_before,
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_summaries_split_into_before_and_after() {
        let (b, a, n) = summary_parts(r#"{"before":null,"after":{"name":"x","n":1}}"#);
        assert_eq!(
            (b.as_str(), a.as_str(), n.as_str()),
            ("", "n：1；name：x", "")
        );
        let (b, _, n) = summary_parts(r#"{"before":{"a":"<b>"},"after":null,"username":"li"}"#);
        assert_eq!((b.as_str(), n.as_str()), ("a：<b>", "username：li"));
        assert_eq!(summary_parts("not json").2, "not json");
        assert_eq!(action_label("session.login"), "登录");
        assert_eq!(action_label("x.y"), "x.y");
    }
}
