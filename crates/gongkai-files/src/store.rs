//! The storage port and its `object_store` implementation.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::key::FileKey;
use crate::settings::{StorageKind, StorageSettings};

/// Above this size the SHA-256 is computed on a blocking thread, so that
/// hashing a 50 MB upload does not stall the async workers.
const HASH_INLINE_MAX: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("附件文件不存在（{key}）")]
    NotFound { key: FileKey },
    /// The stored bytes no longer hash to their key (disk or bucket damage).
    #[error("附件文件已损坏：内容与校验值不符（{key}）")]
    Corrupt { key: FileKey },
    #[error("附件存储配置有误：{0}")]
    Config(String),
    #[error("附件存储出错：{0}")]
    Backend(#[source] object_store::Error),
}

impl FileError {
    fn from_store(key: &FileKey, e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => Self::NotFound { key: key.clone() },
            e => Self::Backend(e),
        }
    }
}

/// The outcome of [`FileStore::put`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub key: FileKey,
    pub size: u64,
    /// False when the same bytes were already stored (nothing was written).
    pub created: bool,
}

/// A stored file read as a stream, for serving large attachments without
/// holding them in memory. Unlike [`FileStore::get`], the content is not
/// checked against its key.
pub struct FileStream {
    pub size: u64,
    pub stream: BoxStream<'static, Result<Bytes, FileError>>,
}

impl fmt::Debug for FileStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileStream")
            .field("size", &self.size)
            .finish()
    }
}

/// Where attachment bytes live. Keys are derived from the content, so
/// `put` of the same bytes twice stores them once and returns the same key.
///
/// Because identical files share one object, `delete` must only be called
/// once no attachment row refers to the key any more; deleting a key that
/// is not there is not an error.
#[async_trait]
pub trait FileStore: Send + Sync + 'static {
    /// Stores `bytes` under their content key.
    async fn put(&self, bytes: Bytes) -> Result<Stored, FileError>;
    /// The whole file, checked against its key ([`FileError::Corrupt`]).
    async fn get(&self, key: &FileKey) -> Result<Bytes, FileError>;
    /// The file as a stream of chunks.
    async fn open(&self, key: &FileKey) -> Result<FileStream, FileError>;
    async fn delete(&self, key: &FileKey) -> Result<(), FileError>;
    async fn exists(&self, key: &FileKey) -> Result<bool, FileError>;
}

/// [`FileStore`] over any `object_store` backend.
#[derive(Clone)]
pub struct ObjectFileStore {
    inner: Arc<dyn ObjectStore>,
    description: String,
}

impl fmt::Debug for ObjectFileStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description)
    }
}

impl ObjectFileStore {
    /// Wraps a backend; `description` says where files go, for logs and
    /// `check-config` (never with credentials).
    pub fn new(inner: Arc<dyn ObjectStore>, description: impl Into<String>) -> Self {
        Self {
            inner,
            description: description.into(),
        }
    }

    /// Memory only: for tests and throw-away demos.
    pub fn in_memory() -> Self {
        Self::new(Arc::new(InMemory::new()), "内存（不持久保存）")
    }

    /// A directory on this machine, created if missing. Writes go to a
    /// temporary file that is fsynced and renamed into place, so a crash
    /// never leaves a half-written attachment under a valid key.
    pub fn local(dir: &Path) -> Result<Self, FileError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| FileError::Config(format!("无法创建附件目录 {}：{e}", dir.display())))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| FileError::Config(format!("无法使用附件目录 {}：{e}", dir.display())))?
            .with_fsync(true)
            .with_automatic_cleanup(true);
        Ok(Self::new(
            Arc::new(fs),
            format!("本地目录 {}", dir.display()),
        ))
    }

    /// S3-compatible object storage. Building the client does not contact
    /// the service; the first request does.
    #[cfg(feature = "s3")]
    pub fn s3(settings: &crate::settings::S3Settings) -> Result<Self, FileError> {
        use object_store::aws::AmazonS3Builder;
        use object_store::prefix::PrefixStore;

        settings.validate().map_err(FileError::Config)?;
        let bucket_url = settings.bucket_url().map_err(FileError::Config)?;
        // reqwest is built without a bundled crypto provider (that would be
        // aws-lc-rs and its C build); ring is installed as the process
        // default instead. An Err only means one is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let store = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            // The URL already addresses the bucket in the configured style.
            .with_endpoint(&bucket_url)
            .with_virtual_hosted_style_request(true)
            .with_allow_http(settings.allow_http)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .build()
            .map_err(|e| FileError::Config(format!("S3 客户端无法创建：{e}")))?;
        let prefix = settings.key_prefix().map_err(FileError::Config)?;
        let description = match &prefix {
            Some(p) => format!("S3 对象存储 {bucket_url}（前缀 {p}/）"),
            None => format!("S3 对象存储 {bucket_url}"),
        };
        let inner: Arc<dyn ObjectStore> = match prefix {
            Some(p) => Arc::new(PrefixStore::new(store, p.as_str())),
            None => Arc::new(store),
        };
        Ok(Self::new(inner, description))
    }

    /// The store `[storage]` describes; relative paths are the caller's to
    /// resolve (the binary passes its data directory).
    pub fn from_settings(settings: &StorageSettings, data_dir: &Path) -> Result<Self, FileError> {
        settings.validate().map_err(FileError::Config)?;
        match settings.kind {
            StorageKind::Local => Self::local(&settings.local_dir(data_dir)),
            #[cfg(feature = "s3")]
            StorageKind::S3 => match &settings.s3 {
                Some(s3) => Self::s3(s3),
                None => Err(FileError::Config("缺少 [storage.s3]".into())),
            },
            #[cfg(not(feature = "s3"))]
            StorageKind::S3 => Err(FileError::Config(
                "此版本编译时未启用 S3 支持（gongkai-files 的 s3 功能），只能使用 kind = \"local\""
                    .into(),
            )),
        }
    }

    /// Where files go, e.g. `本地目录 /srv/gongkai/files`.
    pub fn description(&self) -> &str {
        &self.description
    }
}

fn location(key: &FileKey) -> ObjectPath {
    ObjectPath::from(key.as_str())
}

async fn key_of(bytes: &Bytes) -> FileKey {
    if bytes.len() <= HASH_INLINE_MAX {
        return FileKey::of(bytes);
    }
    let owned = bytes.clone();
    match tokio::task::spawn_blocking(move || FileKey::of(&owned)).await {
        Ok(key) => key,
        // The blocking pool is gone (runtime shutting down): hash here.
        Err(_) => FileKey::of(bytes),
    }
}

#[async_trait]
impl FileStore for ObjectFileStore {
    async fn put(&self, bytes: Bytes) -> Result<Stored, FileError> {
        let key = key_of(&bytes).await;
        let size = bytes.len() as u64;
        if self.exists(&key).await? {
            return Ok(Stored {
                key,
                size,
                created: false,
            });
        }
        // Two uploads of the same new file may both get here; both write
        // the same bytes to the same key, and each write is atomic, so the
        // race is harmless.
        self.inner
            .put(&location(&key), PutPayload::from_bytes(bytes))
            .await
            .map_err(|e| FileError::from_store(&key, e))?;
        Ok(Stored {
            key,
            size,
            created: true,
        })
    }

    async fn get(&self, key: &FileKey) -> Result<Bytes, FileError> {
        let bytes = self
            .inner
            .get(&location(key))
            .await
            .map_err(|e| FileError::from_store(key, e))?
            .bytes()
            .await
            .map_err(|e| FileError::from_store(key, e))?;
        if key_of(&bytes).await != *key {
            return Err(FileError::Corrupt { key: key.clone() });
        }
        Ok(bytes)
    }

    async fn open(&self, key: &FileKey) -> Result<FileStream, FileError> {
        let got = self
            .inner
            .get(&location(key))
            .await
            .map_err(|e| FileError::from_store(key, e))?;
        let size = got.meta.size;
        let owned = key.clone();
        let stream = got
            .into_stream()
            .map(move |chunk| chunk.map_err(|e| FileError::from_store(&owned, e)))
            .boxed();
        Ok(FileStream { size, stream })
    }

    async fn delete(&self, key: &FileKey) -> Result<(), FileError> {
        match self.inner.delete(&location(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(FileError::Backend(e)),
        }
    }

    async fn exists(&self, key: &FileKey) -> Result<bool, FileError> {
        match self.inner.head(&location(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(FileError::Backend(e)),
        }
    }
}
