//! The gate between an uploaded file and the attachment store.

use std::fmt;

use gongkai_core::item::NewAttachment;

use crate::Sniffed;
use crate::key::FileKey;
use crate::name::{Disposition, content_disposition, sanitize_file_name, split_extension};
use crate::settings::DEFAULT_MAX_UPLOAD_MB;

/// What an upload may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadLimits {
    /// Largest accepted size in bytes. The web layer should also cap the
    /// request body near this, so an oversize upload is refused while it
    /// is read rather than after it has been buffered.
    pub max_bytes: u64,
    /// Accepted types, as sniffed from the content.
    pub allowed: Vec<Sniffed>,
}

impl Default for UploadLimits {
    /// 50 MB; PDF, DOCX, XLSX, PNG, JPEG (issue 3's list; GIF, which the
    /// text extractor also knows, is left out on purpose: nothing in a
    /// 公开 catalog needs it).
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_UPLOAD_MB * 1024 * 1024,
            allowed: vec![
                Sniffed::Pdf,
                Sniffed::Docx,
                Sniffed::Xlsx,
                Sniffed::Png,
                Sniffed::Jpeg,
            ],
        }
    }
}

/// An upload that may be stored as an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The cleaned name to show and to offer for download; it always ends
    /// in an extension that fits the content.
    pub file_name: String,
    /// The type found in the content (hand it to the text extractor).
    pub kind: Sniffed,
    /// The MIME type to serve the file with.
    pub media_type: &'static str,
    pub size: u64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    /// Where [`crate::FileStore::put`] will store these bytes.
    pub key: FileKey,
}

impl Accepted {
    /// The `Content-Disposition` to serve this file with.
    pub fn content_disposition(&self, disposition: Disposition) -> String {
        content_disposition(&self.file_name, disposition)
    }

    /// The attachment record for the item store.
    pub fn to_new_attachment(&self) -> NewAttachment {
        NewAttachment {
            name: self.file_name.clone(),
            media_type: self.media_type.to_string(),
            size: i64::try_from(self.size).unwrap_or(i64::MAX),
            sha256: self.sha256.clone(),
            storage_key: self.key.as_str().to_string(),
        }
    }
}

/// Why an upload was refused. `Display` is the Chinese message to show
/// next to the file field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    /// The file name carries a path or nothing usable.
    BadName(String),
    Empty,
    TooLarge {
        size: u64,
        max: u64,
    },
    /// The content is not an accepted type (whatever the name says).
    NotAllowed {
        name: String,
        kind: Sniffed,
    },
    /// The content is accepted, but the name claims another type.
    NameMismatch {
        name: String,
        extension: String,
        kind: Sniffed,
    },
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadName(reason) => f.write_str(reason),
            Self::Empty => f.write_str("文件是空的（0 字节），请检查后重新上传"),
            Self::TooLarge { size, max } => write!(
                f,
                "文件大小为 {}，超过了 {} 的上限；请压缩或拆分后上传",
                megabytes(*size),
                megabytes(*max)
            ),
            Self::NotAllowed { name, kind } => {
                match kind {
                    Sniffed::Unknown | Sniffed::Empty => write!(f, "「{name}」的文件内容无法识别")?,
                    _ => write!(f, "「{name}」的文件内容是 {}", kind.label())?,
                }
                f.write_str("，不能作为附件上传。只接受 PDF、DOCX、XLSX 文件和 PNG、JPEG 图片")?;
                match kind {
                    Sniffed::LegacyOffice => {
                        f.write_str("；旧版 Office/WPS 文件请另存为 DOCX、XLSX 或 PDF 后上传")
                    }
                    Sniffed::Ofd => f.write_str("；OFD 文件请转换为 PDF 后上传"),
                    _ => Ok(()),
                }
            }
            Self::NameMismatch {
                name,
                extension,
                kind,
            } => write!(
                f,
                "文件名「{name}」的扩展名是 .{extension}，但文件内容是 {}。请确认选择的文件无误；如文件本身正确，请把扩展名改为 .{} 后重新上传",
                kind.label(),
                kind.extensions().first().copied().unwrap_or("")
            ),
        }
    }
}

impl std::error::Error for UploadError {}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// Decides whether `bytes`, uploaded as `file_name`, may become an
/// attachment. The type is sniffed from the content by the importer's
/// sniffer (the same one the text extraction uses); the name is only
/// checked against it. CPU-bound (hashing, reading a ZIP directory): call
/// it from a blocking thread in a server.
pub fn accept_upload(
    file_name: &str,
    bytes: &[u8],
    limits: &UploadLimits,
) -> Result<Accepted, UploadError> {
    let name = sanitize_file_name(file_name).map_err(UploadError::BadName)?;
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(UploadError::TooLarge {
            size,
            max: limits.max_bytes,
        });
    }
    let kind = gongkai_import::extract::sniff(bytes);
    let media_type = match kind.mime() {
        Some(m) if limits.allowed.contains(&kind) => m,
        _ => return Err(UploadError::NotAllowed { name, kind }),
    };
    let file_name = match split_extension(&name) {
        (_, Some(ext))
            if kind
                .extensions()
                .contains(&ext.to_ascii_lowercase().as_str()) =>
        {
            name
        }
        (_, Some(ext)) => {
            return Err(UploadError::NameMismatch {
                extension: ext.to_string(),
                name,
                kind,
            });
        }
        // No extension: add the one that fits, so the saved file opens.
        (_, None) => format!("{name}.{}", kind.extensions()[0]),
    };
    let key = FileKey::of(bytes);
    Ok(Accepted {
        file_name,
        kind,
        media_type,
        size,
        sha256: key.sha256_hex().to_string(),
        key,
    })
}
