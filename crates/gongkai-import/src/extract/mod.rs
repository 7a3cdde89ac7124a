//! Attachment text extraction for the pre-publication scanner: bytes in,
//! text out, pure Rust, no IO.
//!
//! [`extract_text`] sniffs the file type from its content (magic bytes and
//! ZIP entries; the file name is only compared against it) and returns the
//! text of PDF, DOCX and XLSX files. Whatever cannot be read completely —
//! an image, a scanned PDF, a page of outlined text, a truncated document,
//! an unsupported or broken file — gets a status other than
//! [`Status::Extracted`]: the caller must flag such an attachment for
//! manual review, never pass it silently.
//!
//! Limits ([`MAX_FILE_BYTES`] and the others below) bound memory and time
//! on hostile input. Extraction is synchronous and CPU-bound: callers in an
//! async server run it on a blocking thread.
//!
//! The third-party parsers (lopdf, calamine, zip) read hostile binary
//! formats and have had panics on malformed files in the past; a panic
//! must neither take down the worker nor let the attachment through, so
//! the whole extraction runs under `catch_unwind` and a panic becomes
//! [`Status::Failed`]. (This relies on the workspace's default
//! `panic = "unwind"`.)

mod docx;
mod pdf;
mod sniff;
mod xlsx;

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde::Serialize;

pub use sniff::{Sniffed, sniff};

/// Largest file accepted for extraction.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Largest total declared uncompressed size of a DOCX/XLSX archive (the
/// ZIP reader refuses entries that inflate beyond their declared size).
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;
/// Most entries in a DOCX/XLSX archive.
pub const MAX_ZIP_ENTRIES: usize = 20_000;
/// Largest decompressed PDF stream (object streams, page contents, fonts).
pub const MAX_PDF_STREAM_BYTES: usize = 64 * 1024 * 1024;
/// Most PDF pages read; later pages are reported as not checked.
pub const MAX_PDF_PAGES: usize = 3_000;
/// Most spreadsheet cells read; later cells are reported as not checked.
pub const MAX_CELLS: usize = 2_000_000;
/// Most characters of text returned; the rest is reported as not checked.
pub const MAX_TEXT_CHARS: usize = 8_000_000;

/// What became of the extraction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// All text was read.
    Extracted,
    /// Some text was read, but part of the file could not be (pages
    /// without text, truncated text, numbers stored with lost digits).
    Partial { detail: String },
    /// No text could be read: an image, a scanned PDF.
    NoText { detail: String },
    /// A file type that is not accepted.
    Unsupported { detail: String },
    /// The file is broken, encrypted, too large, or a parser failed.
    Failed { reason: String },
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Extracted => "extracted",
            Self::Partial { .. } => "partial",
            Self::NoText { .. } => "no_text",
            Self::Unsupported { .. } => "unsupported",
            Self::Failed { .. } => "failed",
        }
    }

    /// Anything but a complete extraction needs a person to look at the file.
    pub fn needs_manual_review(&self) -> bool {
        !matches!(self, Self::Extracted)
    }

    /// Chinese explanation for the reviewer.
    pub fn message(&self) -> String {
        match self {
            Self::Extracted => "已提取全部文字".into(),
            Self::Partial { detail } => format!("部分内容未能提取文字：{detail}"),
            Self::NoText { detail } => format!("未能提取文字：{detail}"),
            Self::Unsupported { detail } => format!("不支持的文件类型：{detail}"),
            Self::Failed { reason } => format!("文件无法读取：{reason}"),
        }
    }
}

/// The result of [`extract_text`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extracted {
    /// The type sniffed from the content.
    pub kind: Sniffed,
    /// The text, when any was read (also for [`Status::Partial`]).
    pub text: Option<String>,
    pub status: Status,
    /// Set when the file name's extension does not fit the content
    /// (`通知.pdf` that is a PNG image).
    pub name_mismatch: Option<String>,
    /// Things the reviewer should know that do not stop the text from being
    /// complete (images inside a text page, which are not read).
    pub notes: Vec<String>,
}

impl Extracted {
    /// True when the attachment must be flagged for manual review.
    pub fn needs_manual_review(&self) -> bool {
        self.status.needs_manual_review()
    }
}

/// What a format reader returns.
pub(crate) struct Read {
    text: String,
    status: Status,
    notes: Vec<String>,
}

/// Reads the text of an attachment. `file_name` is only compared with the
/// sniffed type (and named in messages); it never decides how to read.
pub fn extract_text(file_name: &str, bytes: &[u8]) -> Extracted {
    let kind = sniff(bytes);
    let name_mismatch = mismatch(file_name, kind);
    let finish = |text: Option<String>, status: Status, notes: Vec<String>| Extracted {
        kind,
        text,
        status,
        name_mismatch: name_mismatch.clone(),
        notes,
    };
    if bytes.len() > MAX_FILE_BYTES {
        let reason = format!(
            "文件过大（{:.1} MB，上限 {} MB），未读取",
            bytes.len() as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        );
        return finish(None, Status::Failed { reason }, Vec::new());
    }
    let read = catch_unwind(AssertUnwindSafe(|| read(kind, bytes)));
    match read {
        Ok(Ok(r)) => {
            let (text, truncated) = truncate(r.text);
            let status = match (truncated, r.status) {
                (true, Status::Extracted) => Status::Partial {
                    detail: format!("文字超过 {MAX_TEXT_CHARS} 字，其后的内容未检查"),
                },
                (_, s) => s,
            };
            let has_text = !text.trim().is_empty();
            finish(has_text.then_some(text), status, r.notes)
        }
        Ok(Err(status)) => finish(None, status, Vec::new()),
        Err(_) => finish(
            None,
            Status::Failed {
                reason: format!("{}解析器在读取该文件时出错（文件可能已损坏）", kind.label()),
            },
            Vec::new(),
        ),
    }
}

fn read(kind: Sniffed, bytes: &[u8]) -> Result<Read, Status> {
    let image = |name: &str| {
        Err(Status::NoText {
            detail: format!("图片（{name}）中的文字无法自动提取，须人工查看图片内容"),
        })
    };
    match kind {
        Sniffed::Pdf => pdf::read(bytes),
        Sniffed::Docx => docx::read(bytes),
        Sniffed::Xlsx => xlsx::read(bytes),
        Sniffed::Png => image("PNG"),
        Sniffed::Jpeg => image("JPEG"),
        Sniffed::Gif => image("GIF"),
        Sniffed::Webp => image("WebP"),
        Sniffed::LegacyOffice => Err(Status::Unsupported {
            detail:
                "旧版 Office/WPS 格式（.doc/.xls/.ppt/.wps），请另存为 DOCX、XLSX 或 PDF 后上传"
                    .into(),
        }),
        Sniffed::Ofd => Err(Status::Unsupported {
            detail: "OFD 版式文件不能提取文字，请转换为 PDF 后上传".into(),
        }),
        Sniffed::Zip => Err(Status::Unsupported {
            detail: "压缩包或无法识别的 ZIP 文件（不是 DOCX/XLSX）".into(),
        }),
        Sniffed::Empty => Err(Status::Unsupported {
            detail: "文件为空".into(),
        }),
        Sniffed::Unknown => Err(Status::Unsupported {
            detail: "无法识别的文件类型（只接受 PDF、DOCX、XLSX、PNG、JPEG、GIF、WebP）".into(),
        }),
    }
}

/// Cuts `text` to [`MAX_TEXT_CHARS`] characters.
fn truncate(mut text: String) -> (String, bool) {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((at, _)) => {
            text.truncate(at);
            (text, true)
        }
        None => (text, false),
    }
}

fn mismatch(file_name: &str, kind: Sniffed) -> Option<String> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let (stem, ext) = base.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() {
        return None;
    }
    let ext = ext.to_ascii_lowercase();
    if kind.extensions().contains(&ext.as_str()) {
        return None;
    }
    Some(format!(
        "文件名「{base}」的扩展名是 .{ext}，但按文件内容识别为：{}",
        kind.label()
    ))
}

/// Collapses runs of blank lines and trailing spaces, so that extracted
/// text is compact and its line numbers are meaningful.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatches_are_named() {
        assert_eq!(mismatch("通知.PDF", Sniffed::Pdf), None);
        assert_eq!(mismatch("照片.jpeg", Sniffed::Jpeg), None);
        assert_eq!(mismatch("无扩展名", Sniffed::Pdf), None);
        assert_eq!(
            mismatch("dir/通知.pdf", Sniffed::Png).as_deref(),
            Some("文件名「通知.pdf」的扩展名是 .pdf，但按文件内容识别为：PNG 图片")
        );
    }

    #[test]
    fn tidy_keeps_one_blank_line() {
        assert_eq!(tidy("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }

    #[test]
    fn long_text_is_cut_on_a_character() {
        let (t, cut) = truncate("政".repeat(MAX_TEXT_CHARS + 1));
        assert!(cut);
        assert_eq!(t.chars().count(), MAX_TEXT_CHARS);
    }
}
