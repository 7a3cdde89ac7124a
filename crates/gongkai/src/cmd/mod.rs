//! One module per subcommand. Each returns `anyhow::Result`; `main` prints
//! the error on stderr and exits with status 1.

pub mod audit;
pub mod calendar;
pub mod demo;
pub mod items;
pub mod mail;
pub mod org;
pub mod reindex;
pub mod reports;
pub mod serve;
pub mod user;

use crate::config::Config;
use anyhow::{Context, anyhow};
use gongkai_core::Store;
use gongkai_core::org::Organisation;
use gongkai_core::org_code::OrgCode;
use std::sync::Arc;

/// Opens the configured database and applies pending migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = config.database_url()?;
    gongkai_store::open(&url)
        .await
        .map_err(|e| anyhow!("无法打开数据库 {}：{e}", gongkai_store::redact_url(&url)))
}

/// `gongkai migrate`.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let url = config.database_url()?;
    let shown = gongkai_store::redact_url(&url);
    let store = gongkai_store::connect(&url)
        .await
        .map_err(|e| anyhow!("无法连接数据库 {shown}：{e}"))?;
    store
        .migrate()
        .await
        .with_context(|| format!("数据库 {shown} 迁移失败"))?;
    let backend = match store.backend() {
        gongkai_core::store::Backend::Sqlite => "SQLite",
        gongkai_core::store::Backend::Postgres => "PostgreSQL",
    };
    println!(
        "{backend} 数据库 {shown} 已是最新结构（待执行的迁移已全部执行，已执行过的不会重复执行）"
    );
    Ok(())
}

/// Finds the organisation an `--org` argument names: its code
/// (统一社会信用代码/组织机构代码) or its numeric id.
pub async fn resolve_org(store: &dyn Store, arg: &str) -> anyhow::Result<Organisation> {
    let orgs = store.list_orgs().await?;
    let arg = arg.trim();
    if let Ok(code) = OrgCode::parse(arg)
        && let Some(o) = orgs.iter().find(|o| o.code.as_ref() == Some(&code))
    {
        return Ok(o.clone());
    }
    if let Ok(id) = arg.parse::<i64>()
        && let Some(o) = orgs.iter().find(|o| o.id == id)
    {
        return Ok(o.clone());
    }
    Err(anyhow!(
        "找不到机构“{arg}”：请填写机构代码或机构编号（可用 gongkai org list 查看）"
    ))
}

/// Reads a password from the first line of stdin, or from GONGKAI_PASSWORD.
pub fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("无法从标准输入读取密码")?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if pw.is_empty() {
            return Err(anyhow!("标准输入中没有密码（--password-stdin 读取第一行）"));
        }
        return Ok(pw);
    }
    match std::env::var("GONGKAI_PASSWORD") {
        Ok(pw) if !pw.is_empty() => Ok(pw),
        _ => Err(anyhow!(
            "未提供密码：请使用 --password-stdin 从标准输入传入，或设置环境变量 GONGKAI_PASSWORD"
        )),
    }
}

/// Argon2 is CPU-bound; keep it off the async workers.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || gongkai_core::password::hash(&password))
        .await
        .context("密码哈希任务异常结束")?
        .map_err(|e| anyhow!("{e}"))
}
