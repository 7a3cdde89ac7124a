//! Writing the demo plan through the store traits (so it is audited with
//! `via = "demo"`), and finding which demo accounts still work.

use super::data::{DEMO_PASSWORD, plan};
use crate::cmd::hash_password;
use anyhow::{Context, anyhow};
use gongkai_core::Store;
use gongkai_core::audit::Actor;
use gongkai_core::user::{NewUser, NewUserForm};

fn demo_actor() -> Actor {
    Actor {
        user_id: None,
        name: "demo".into(),
        via: "demo".into(),
    }
}

/// Seeds the demo jurisdiction into an (empty) database and returns a
/// one-line summary. The organisations go in as one transaction; the later
/// steps cannot share it through the store traits, so a failure there is
/// reported with the advice to start from an empty database again.
pub async fn seed(store: &dyn Store) -> anyhow::Result<String> {
    let plan = plan()?;
    let actor = demo_actor();
    let orgs = store
        .create_orgs(&actor, &plan.orgs)
        .await
        .context("导入演示机构失败（未写入任何机构）")?;
    let partial = |step: &str| {
        format!(
            "导入演示数据时{step}失败；数据库中已有部分演示数据，请删除数据目录（或清空数据库）后重新导入"
        )
    };
    for &(merged, successor) in &plan.successors {
        let mut draft = plan.orgs[merged].draft.clone();
        draft.successor_id = Some(orgs[successor].id);
        store
            .update_org(&actor, orgs[merged].id, &draft)
            .await
            .with_context(|| partial("设置撤并机构的承继机构"))?;
    }
    for (i, guide) in &plan.guides {
        store
            .put_guide(&actor, orgs[*i].id, guide)
            .await
            .with_context(|| partial("保存公开指南"))?;
    }
    for (i, doc) in &plan.docs {
        store
            .create_policy_doc(&actor, orgs[*i].id, doc)
            .await
            .with_context(|| partial("保存公开制度"))?;
    }
    for a in &plan.accounts {
        let valid = NewUserForm {
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            org_id: orgs[a.org].id.to_string(),
            password: plan.password.clone(),
            password_confirm: plan.password.clone(),
        }
        .validate()
        .map_err(|e| anyhow!("演示账号 {} 无效：{e}", a.username))?;
        // One Argon2 hash (with its own salt) per account.
        let new = NewUser {
            password_hash: hash_password(valid.password).await?,
            username: valid.username,
            display_name: valid.display_name,
            org_id: valid.org_id,
        };
        let user = store
            .create_user(&actor, &new)
            .await
            .with_context(|| partial("创建演示账号"))?;
        store
            .grant(&actor, user.id, &a.grant(orgs[a.grant_org].id))
            .await
            .with_context(|| partial("授予演示账号角色"))?;
    }
    super::notice_settings::seed(store, &actor, &orgs)
        .await
        .with_context(|| partial("保存告知书设置"))?;
    let items = super::catalog::seed(store, &actor)
        .await
        .with_context(|| partial("导入演示公开目录"))?;
    let in_flow = super::catalog_workflow::seed(store, &orgs, super::requests::beijing_today())
        .await
        .with_context(|| partial("导入演示信息发布流程"))?;
    let history =
        super::requests::seed_history(store, &actor, &orgs, super::requests::beijing_today())
            .await
            .with_context(|| partial("导入演示申请办理记录"))?;
    Ok(format!(
        "已导入演示数据（虚构的青岚市）：{} 个机构、{} 份公开指南、{} 份公开制度、{} 个演示账号、{items} 条主动公开信息（另有 {in_flow} 条处于起草、审查、审批、待发布、撤回或更正等环节）、{} 件依申请公开申请（已办结 {} 件）、{} 件行政复议和行政诉讼。",
        orgs.len(),
        plan.guides.len(),
        plan.docs.len(),
        plan.accounts.len(),
        history.cases,
        history.closed,
        history.appeals
    ))
}

/// A demo account that exists and still has the demo password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: String,
    pub role: String,
    pub org: String,
}

/// The demo accounts that can sign in with [`DEMO_PASSWORD`]. Accounts
/// whose password was changed are left out, so the table printed at
/// start-up never shows credentials that do not work.
pub async fn working_accounts(store: &dyn Store) -> anyhow::Result<Vec<DemoAccount>> {
    let plan = plan()?;
    let orgs = store.list_orgs().await.context("读取机构列表失败")?;
    let mut out = Vec::new();
    for a in &plan.accounts {
        let Some(creds) = store
            .get_credentials(&a.username)
            .await
            .context("查询演示账号失败")?
        else {
            continue;
        };
        if !creds.user.active {
            continue;
        }
        let hash = creds.password_hash.clone();
        let works = tokio::task::spawn_blocking(move || {
            gongkai_core::password::verify(DEMO_PASSWORD, &hash)
        })
        .await
        .context("密码校验任务异常结束")?;
        if !works {
            continue;
        }
        let grant_org = &plan.orgs[a.grant_org].draft.name;
        let org = orgs
            .iter()
            .find(|o| o.id == creds.user.org_id)
            .map_or_else(|| grant_org.clone(), |o| o.name.clone());
        let scope = if a.grant(0).subtree {
            "（含下级）"
        } else {
            ""
        };
        out.push(DemoAccount {
            username: creds.user.username,
            role: format!("{}@{}{}", a.role.label(), grant_org, scope),
            org,
        });
    }
    Ok(out)
}

/// The credentials table printed by `serve` and `demo`.
pub fn credentials_table(accounts: &[DemoAccount]) -> String {
    if accounts.is_empty() {
        return String::new();
    }
    let mut s =
        format!("\n演示账号（虚构数据，密码均为 {DEMO_PASSWORD}；正式使用前请删除演示数据）：\n");
    s.push_str(&format!("  {}{}\n", pad("用户名", 14), "角色@授权机构"));
    for a in accounts {
        s.push_str(&format!("  {}{}\n", pad(&a.username, 14), a.role));
    }
    s.push('\n');
    s
}

/// Pads to a terminal column width; CJK characters take two columns.
fn pad(s: &str, width: usize) -> String {
    let used: usize = s.chars().map(|c| if c >= '\u{2E80}' { 2 } else { 1 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(used).max(1)))
}
