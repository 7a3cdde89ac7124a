//! File type from content: magic bytes, and for ZIP containers the entries
//! that identify an Office Open XML or OFD document. A file name never
//! decides the type.

use std::io::Cursor;

use serde::Serialize;

/// The type of an attachment, as found in its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sniffed {
    Pdf,
    Docx,
    Xlsx,
    Png,
    Jpeg,
    Gif,
    Webp,
    /// OLE compound file: .doc, .xls, .ppt, .wps, .et.
    LegacyOffice,
    /// OFD (GB/T 33190) fixed-layout document.
    Ofd,
    /// A ZIP archive that is none of the above (or cannot be read).
    Zip,
    Empty,
    Unknown,
}

impl Sniffed {
    /// Stable identifier (stored with an attachment).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
            Self::Png => "png",
            Self::Jpeg => "jpeg",
            Self::Gif => "gif",
            Self::Webp => "webp",
            Self::LegacyOffice => "legacy_office",
            Self::Ofd => "ofd",
            Self::Zip => "zip",
            Self::Empty => "empty",
            Self::Unknown => "unknown",
        }
    }

    /// Chinese label for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF 文档",
            Self::Docx => "DOCX 文档",
            Self::Xlsx => "XLSX 表格",
            Self::Png => "PNG 图片",
            Self::Jpeg => "JPEG 图片",
            Self::Gif => "GIF 图片",
            Self::Webp => "WebP 图片",
            Self::LegacyOffice => "旧版 Office/WPS 文件",
            Self::Ofd => "OFD 版式文件",
            Self::Zip => "ZIP 压缩包",
            Self::Empty => "空文件",
            Self::Unknown => "无法识别的文件",
        }
    }

    /// The MIME type to serve the file with, for accepted types.
    pub fn mime(self) -> Option<&'static str> {
        Some(match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            _ => return None,
        })
    }

    /// File name extensions (lower case) that fit the content.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            Self::Gif => &["gif"],
            Self::Webp => &["webp"],
            Self::LegacyOffice => &["doc", "xls", "ppt", "wps", "et", "dps"],
            Self::Ofd => &["ofd"],
            Self::Zip => &["zip"],
            Self::Empty | Self::Unknown => &[],
        }
    }

    /// The types an information item may carry as attachments.
    pub fn is_accepted(self) -> bool {
        self.mime().is_some()
    }
}

/// The type of `bytes`.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    // A PDF header may follow some junk; readers accept it within 1 KiB.
    let head = bytes.get(..1024).unwrap_or(bytes);
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Sniffed::Pdf;
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR") {
        return Sniffed::Png;
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Sniffed::Jpeg;
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Sniffed::Gif;
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Sniffed::Webp;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniffed::LegacyOffice;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_kind(bytes);
    }
    Sniffed::Unknown
}

fn zip_kind(bytes: &[u8]) -> Sniffed {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Sniffed::Zip;
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("word/document.xml") {
        Sniffed::Docx
    } else if has("xl/workbook.xml") {
        Sniffed::Xlsx
    } else if has("OFD.xml") {
        Sniffed::Ofd
    } else {
        Sniffed::Zip
    }
}

/// The entries of a ZIP archive with their declared uncompressed sizes,
/// after checking them against the archive limits. The ZIP reader refuses
/// to inflate an entry beyond its declared size, so the sum bounds the
/// work of any reader of the archive.
pub(crate) fn zip_entries(bytes: &[u8]) -> Result<Vec<(String, u64)>, super::Status> {
    let broken = || super::Status::Failed {
        reason: "ZIP 结构已损坏，无法读取".into(),
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| broken())?;
    if archive.len() > super::MAX_ZIP_ENTRIES {
        return Err(super::Status::Failed {
            reason: format!(
                "压缩包内文件过多（{} 个，上限 {} 个），未读取",
                archive.len(),
                super::MAX_ZIP_ENTRIES
            ),
        });
    }
    let mut out = Vec::with_capacity(archive.len());
    let mut total = 0u64;
    for i in 0..archive.len() {
        let f = archive.by_index_raw(i).map_err(|_| broken())?;
        total = total.saturating_add(f.size());
        let name = f.name().map_err(|_| broken())?.into_owned();
        out.push((name, f.size()));
    }
    if total > super::MAX_UNZIPPED_BYTES {
        return Err(super::Status::Failed {
            reason: format!(
                "解压后过大（{} MB，上限 {} MB），未读取",
                total / (1024 * 1024),
                super::MAX_UNZIPPED_BYTES / (1024 * 1024)
            ),
        });
    }
    Ok(out)
}

/// One entry of a ZIP archive, inflated (bounded by its declared size,
/// which [`zip_entries`] has checked).
pub(crate) fn zip_entry(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut f = archive.by_name(name).ok()?;
    let mut out = Vec::new();
    f.read_to_end(&mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Pdf);
        assert_eq!(sniff(b"\xef\xbb\xbf%PDF-1.4"), Sniffed::Pdf);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"), Sniffed::Png);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), Sniffed::Unknown);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Sniffed::Jpeg);
        assert_eq!(sniff(b"GIF89a...."), Sniffed::Gif);
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Sniffed::Webp);
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVEfmt "), Sniffed::Unknown);
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Sniffed::LegacyOffice
        );
        assert_eq!(sniff(b"PK\x03\x04garbage"), Sniffed::Zip);
        assert_eq!(sniff("政府信息公开".as_bytes()), Sniffed::Unknown);
        assert!(Sniffed::Pdf.is_accepted() && !Sniffed::Ofd.is_accepted());
    }
}
