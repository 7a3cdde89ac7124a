//! Attachment metadata. The bytes live in object storage under
//! `storage_key`; the media type is the one sniffed from the content by
//! the upload path, never the one the file name or browser claims.

use crate::text;
use serde::{Deserialize, Serialize};

pub const ATTACHMENT_NAME_MAX: usize = 200;
/// Default upper bound for one attachment (the upload path may set a lower one).
pub const ATTACHMENT_MAX_BYTES: i64 = 100 * 1024 * 1024;
pub const ATTACHMENTS_PER_VERSION_MAX: usize = 50;

/// Media types an attachment may have (issue 3: PDF, DOCX, XLSX, images).
pub const ALLOWED_MEDIA_TYPES: &[(&str, &str)] = &[
    ("application/pdf", "PDF"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
    ("image/png", "PNG"),
    ("image/jpeg", "JPEG"),
    ("image/gif", "GIF"),
    ("image/webp", "WebP"),
];

/// A stored attachment of one item version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    /// Shown to readers, e.g. 附件1：2024年预算公开表.xlsx
    pub name: String,
    pub media_type: String,
    pub size: i64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub storage_key: String,
}

impl Attachment {
    /// PDF, DOCX … for a link label.
    pub fn type_label(&self) -> &str {
        media_type_label(&self.media_type).unwrap_or(&self.media_type)
    }
}

pub fn media_type_label(media_type: &str) -> Option<&'static str> {
    ALLOWED_MEDIA_TYPES
        .iter()
        .find(|(m, _)| *m == media_type)
        .map(|(_, l)| *l)
}

/// An attachment to add, as the upload path describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAttachment {
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
}

impl NewAttachment {
    /// Checks what the upload path hands over; the message is for the
    /// attachment field of the form.
    pub fn validate(&self) -> Result<NewAttachment, String> {
        let name = text::clean_line(&self.name);
        if name.is_empty() {
            return Err("附件名称不能为空".into());
        }
        if text::char_len(&name) > ATTACHMENT_NAME_MAX {
            return Err(format!("附件名称不能超过{ATTACHMENT_NAME_MAX}个字符"));
        }
        if name.contains(['/', '\\']) {
            return Err("附件名称不能包含 / 或 \\".into());
        }
        if media_type_label(&self.media_type).is_none() {
            return Err("附件只能是 PDF、DOCX、XLSX 文件或 PNG、JPEG、GIF、WebP 图片".into());
        }
        if self.size <= 0 {
            return Err("附件是空文件".into());
        }
        if self.size > ATTACHMENT_MAX_BYTES {
            return Err(format!(
                "附件不能超过{} MB",
                ATTACHMENT_MAX_BYTES / 1024 / 1024
            ));
        }
        if !(self.sha256.len() == 64
            && self
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        {
            return Err("附件校验值应为64位小写十六进制 SHA-256".into());
        }
        if self.storage_key.trim().is_empty()
            || self.storage_key.len() > 500
            || self
                .storage_key
                .chars()
                .any(|c| c.is_control() || c.is_whitespace())
        {
            return Err("附件存储位置无效".into());
        }
        Ok(NewAttachment {
            name,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn pdf() -> NewAttachment {
        NewAttachment {
            name: " 附件1：实施细则.pdf ".into(),
            media_type: "application/pdf".into(),
            size: 12_345,
            sha256: "a".repeat(64),
            storage_key: "items/2024/ab/abcdef.pdf".into(),
        }
    }

    #[test]
    fn a_valid_attachment_is_normalised() {
        assert_eq!(pdf().validate().unwrap().name, "附件1：实施细则.pdf");
    }

    #[test]
    fn types_sizes_and_hashes_are_checked() {
        let mut a = pdf();
        a.media_type = "application/x-msdownload".into();
        assert!(a.validate().unwrap_err().starts_with("附件只能是"));
        let mut a = pdf();
        a.size = ATTACHMENT_MAX_BYTES + 1;
        assert_eq!(a.validate().unwrap_err(), "附件不能超过100 MB");
        let mut a = pdf();
        a.sha256 = "A".repeat(64);
        assert!(a.validate().is_err());
        let mut a = pdf();
        a.name = "../../etc/passwd".into();
        assert!(a.validate().is_err());
        let mut a = pdf();
        a.size = 0;
        assert_eq!(a.validate().unwrap_err(), "附件是空文件");
    }
}
