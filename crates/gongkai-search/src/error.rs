//! Errors of the search index.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("搜索索引目录 {path} 无法使用：{source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Another process (e.g. a running server while `gongkai reindex` is
    /// started) holds the index's writer lock. Nothing was changed.
    #[error("搜索索引正被另一个进程使用，请先停止该进程（{0}）")]
    Locked(String),
    #[error("搜索索引正在重建，请等待重建完成")]
    RebuildRunning,
    #[error("搜索索引出错：{0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SearchError::Io {
            path: path.into(),
            source,
        }
    }
}
