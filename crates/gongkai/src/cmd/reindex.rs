//! `gongkai reindex`, and opening the search index for `serve`.
//!
//! The index lives in `{data_dir}/search` and is derived data: this command
//! rebuilds it from the database. tantivy allows one writer per directory,
//! so while a server holds the index this command refuses and changes
//! nothing.

use super::open_store;
use crate::config::Config;
use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use gongkai_search::{SearchError, SearchIndex};
use gongkai_web::search_sync;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the full-text index of the public catalog is kept.
pub fn index_dir(config: &Config) -> PathBuf {
    config.data_dir.join("search")
}

/// What `serve` found when it opened the index.
pub struct Opened {
    pub index: Arc<SearchIndex>,
    /// Why the index must be filled from the database; `None` when it is
    /// current.
    pub rebuild: Option<String>,
    /// When the index last took a change (its last commit), for the
    /// catch-up of changes made while this node was down.
    pub last_commit: Option<DateTime<Utc>>,
}

/// Opens (or recreates) the index for the server. Never fails for a bad
/// index: a missing, outdated or damaged one is recreated empty, and a
/// directory that cannot be used at all (or is locked by another process)
/// gives an in-memory index; either way the caller rebuilds it.
pub async fn open_for_serve(dir: PathBuf) -> anyhow::Result<Opened> {
    let last_commit = last_commit(&dir);
    let shown = dir.display().to_string();
    let opened = tokio::task::spawn_blocking(move || SearchIndex::open_or_rebuild(&dir))
        .await
        .context("打开搜索索引的任务异常结束")?;
    Ok(match opened {
        Ok(o) => Opened {
            index: Arc::new(o.index),
            rebuild: o.rebuild.map(|r| r.to_string()),
            last_commit,
        },
        Err(e) => {
            tracing::warn!(dir = %shown, error = %e, "search index directory unusable; using memory");
            Opened {
                index: Arc::new(
                    SearchIndex::in_memory().map_err(|e| anyhow!("无法创建内存搜索索引：{e}"))?,
                ),
                rebuild: Some(format!(
                    "搜索索引目录 {shown} 无法使用（{e}），改用内存索引"
                )),
                last_commit: None,
            }
        }
    })
}

/// tantivy rewrites `meta.json` on every commit.
fn last_commit(dir: &Path) -> Option<DateTime<Utc>> {
    std::fs::metadata(dir.join("meta.json"))
        .and_then(|m| m.modified())
        .ok()
        .map(DateTime::<Utc>::from)
}

/// `gongkai reindex`: rebuilds the index from the database.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let files: Arc<dyn gongkai_files::FileStore> = Arc::new(config.file_store()?);
    let dir = index_dir(config);
    let shown = dir.display().to_string();
    let open_dir = dir.clone();
    let opened = tokio::task::spawn_blocking(move || SearchIndex::open_or_rebuild(&open_dir))
        .await
        .context("打开搜索索引的任务异常结束")?;
    let index = match opened {
        Ok(o) => Arc::new(o.index),
        Err(SearchError::Locked(_)) => {
            return Err(anyhow!(
                "搜索索引 {shown} 正被另一个进程（通常是正在运行的 gongkai serve）使用，未做任何改动。\
                 服务器启动时会自动重建缺失或损坏的索引；如需手动重建，请先停止服务器再执行本命令"
            ));
        }
        Err(e) => return Err(anyhow!("无法打开搜索索引 {shown}：{e}")),
    };
    println!("正在从数据库重建搜索索引 {shown} ……");
    let n = search_sync::rebuild(store.as_ref(), &files, &index)
        .await
        .map_err(|e| anyhow!("重建搜索索引失败：{e}"))?;
    println!("搜索索引已重建：共 {n} 条主动公开信息");
    Ok(())
}
