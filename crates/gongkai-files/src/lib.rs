//! Attachment storage for gongkai: where the bytes of catalog attachments
//! live, and the single gate every upload passes before it is stored.
//!
//! - [`FileStore`] is the storage port. Keys are content addressed
//!   ([`FileKey`], `sha256/ab/cd/<hex>`): the same bytes are stored once and
//!   a key never changes meaning, so a key recorded in the database can be
//!   trusted for as long as the object exists.
//! - [`ObjectFileStore`] implements it over `object_store`: a local
//!   directory (the default, `<data-dir>/files`), in-memory storage for
//!   tests, or S3-compatible object storage (MinIO, 阿里云 OSS, 华为 OBS;
//!   cargo feature `s3`), chosen by [`StorageSettings`] (`[storage]` in
//!   `gongkai.toml`).
//! - [`accept_upload`] decides whether a file may become an attachment:
//!   size, type sniffed from the content (never from the name), name and
//!   content agreeing, a file name safe to show and to send back in
//!   `Content-Disposition` ([`content_disposition`]).
//!
//! No database, no HTTP handlers: the web and store crates call this one.

mod key;
mod name;
mod settings;
mod store;
mod upload;

pub use gongkai_import::extract::Sniffed;
pub use key::FileKey;
pub use name::{Disposition, content_disposition, sanitize_file_name};
pub use settings::{DEFAULT_MAX_UPLOAD_MB, S3Settings, StorageKind, StorageSettings};
pub use store::{FileError, FileStore, FileStream, ObjectFileStore, Stored};
pub use upload::{Accepted, UploadError, UploadLimits, accept_upload};
