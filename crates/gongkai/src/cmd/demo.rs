//! `gongkai demo`: seed the demo jurisdiction without serving.

use super::open_store;
use crate::config::Config;
use crate::demo;
use anyhow::{Context, bail};

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    if !store.is_empty().await.context("检查数据库是否为空失败")? {
        bail!(
            "数据库中已有机构或账号，拒绝导入演示数据（演示数据只能导入空数据库）；如需演示，请换一个 --data-dir"
        );
    }
    let summary = demo::seed(store.as_ref()).await?;
    println!("{summary}");
    let accounts = demo::working_accounts(store.as_ref()).await?;
    print!("{}", demo::credentials_table(&accounts));
    Ok(())
}
