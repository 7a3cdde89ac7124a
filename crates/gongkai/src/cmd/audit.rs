//! `gongkai audit verify`.

use super::open_store;
use crate::config::Config;
use anyhow::anyhow;
use gongkai_core::audit::{VerifyError, verify_store};

/// Returns whether the chain is intact; the caller maps `false` to exit 1.
pub async fn verify(config: &Config) -> anyhow::Result<bool> {
    let store = open_store(config).await?;
    match verify_store(store.as_ref()).await {
        Ok(n) => {
            println!("audit log OK: {n} records verified");
            Ok(true)
        }
        Err(VerifyError::Broken(b)) => {
            println!("audit log BROKEN: {b}");
            eprintln!("审计日志的哈希链已断裂：日志记录可能被篡改或删除，请立即核查数据库。");
            Ok(false)
        }
        Err(VerifyError::Store(e)) => Err(anyhow!("读取审计日志失败：{e}")),
    }
}
