//! `gongkai user …`: staff accounts from the command line. Validation is
//! gongkai-core's, the same as in the console.

use super::{hash_password, open_store, read_password, resolve_org};
use crate::cli::UserCommand;
use crate::config::Config;
use anyhow::{Context, anyhow, bail};
use gongkai_core::audit::Actor;
use gongkai_core::user::{Grant, NewUser, NewUserForm, Role, SubtreeRule, parse_username};
use gongkai_core::{Store, StoreError};

pub async fn run(config: &Config, cmd: UserCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        UserCommand::Create {
            username,
            name,
            org,
            password_stdin,
        } => create(&*store, &username, &name, &org, password_stdin).await,
        UserCommand::SetPassword {
            username,
            password_stdin,
        } => set_password(&*store, &username, password_stdin).await,
        UserCommand::Grant {
            username,
            role,
            org,
            subtree,
            no_subtree,
        } => {
            let subtree = match (subtree, no_subtree) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            grant(&*store, &username, &role, &org, subtree).await
        }
    }
}

async fn create(
    store: &dyn Store,
    username: &str,
    name: &str,
    org: &str,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let org = resolve_org(store, org).await?;
    let password = read_password(password_stdin)?;
    let form = NewUserForm {
        username: username.into(),
        display_name: name.into(),
        org_id: org.id.to_string(),
        password: password.clone(),
        password_confirm: password,
    };
    let valid = form.validate().map_err(|errors| {
        let lines: Vec<String> = errors
            .0
            .iter()
            .map(|e| format!("  {}：{}", option_of(e.field), e.message))
            .collect();
        anyhow!("账号信息有误：\n{}", lines.join("\n"))
    })?;
    let new = NewUser {
        password_hash: hash_password(valid.password).await?,
        username: valid.username,
        display_name: valid.display_name,
        org_id: valid.org_id,
    };
    let user = match store.create_user(&Actor::cli(), &new).await {
        Ok(u) => u,
        Err(StoreError::Conflict { field: "username" }) => {
            bail!("用户名“{}”已被使用，请换一个", new.username)
        }
        Err(e) => return Err(e).context("创建账号失败"),
    };
    println!(
        "已创建账号 {}（编号 {}，所属机构：{}）。可用 gongkai user grant 授予角色。",
        user.username, user.id, org.name
    );
    Ok(())
}

/// The CLI flag a form field comes from, for error messages.
fn option_of(field: &str) -> &str {
    match field {
        "username" => "--username",
        "display_name" => "--name",
        "org_id" => "--org",
        "password" | "password_confirm" => "密码",
        other => other,
    }
}

async fn set_password(
    store: &dyn Store,
    username: &str,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let user = find_user(store, username).await?;
    let password = read_password(password_stdin)?;
    gongkai_core::password::check_policy(&password).map_err(|m| anyhow!("密码不符合要求：{m}"))?;
    let hash = hash_password(password).await?;
    store
        .set_password_hash(&Actor::cli(), user.id, &hash)
        .await
        .context("保存新密码失败")?;
    // A new password must lock out whoever knew the old one.
    let ended = store
        .delete_user_sessions(user.id, None)
        .await
        .context("结束原有登录会话失败")?;
    println!(
        "已为 {} 设置新密码，并结束了 {} 个登录会话。",
        user.username, ended
    );
    Ok(())
}

async fn grant(
    store: &dyn Store,
    username: &str,
    role: &str,
    org: &str,
    subtree: Option<bool>,
) -> anyhow::Result<()> {
    let role = Role::parse(role).ok_or_else(|| {
        let known: Vec<String> = Role::ALL
            .iter()
            .map(|r| format!("{}（{}）", r.as_str(), r.label()))
            .collect();
        anyhow!("未知的角色“{role}”，可用的角色：{}", known.join("、"))
    })?;
    let user = find_user(store, username).await?;
    let org = resolve_org(store, org).await?;
    let subtree = match (role.subtree_rule(), subtree) {
        (SubtreeRule::Always, Some(false)) => {
            bail!(
                "{}的授权总是包括下级机构，不能使用 --no-subtree",
                role.label()
            )
        }
        (SubtreeRule::Optional { default }, None) => default,
        (_, requested) => requested.unwrap_or(true),
    };
    let grant = Grant::new(role, org.id, subtree);
    store
        .grant(&Actor::cli(), user.id, &grant)
        .await
        .context("授予角色失败")?;
    let scope = if grant.subtree {
        "（含下级机构）"
    } else {
        "（仅本机构）"
    };
    println!(
        "已授予 {} 在“{}”的{}角色{}。",
        user.username,
        org.name,
        role.label(),
        scope
    );
    Ok(())
}

async fn find_user(store: &dyn Store, username: &str) -> anyhow::Result<gongkai_core::user::User> {
    let name = parse_username(username).map_err(|m| anyhow!("用户名“{username}”无效：{m}"))?;
    store
        .get_credentials(&name)
        .await
        .context("查询账号失败")?
        .map(|c| c.user)
        .ok_or_else(|| anyhow!("找不到用户名为“{name}”的账号"))
}
