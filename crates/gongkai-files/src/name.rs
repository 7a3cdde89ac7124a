//! File names: what a reader sees on the page and gets when saving the
//! file. The name is only ever a label: the bytes are stored under their
//! content key, so no name reaches a file system path.

use gongkai_core::item::attachment::ATTACHMENT_NAME_MAX;

/// Characters that are invisible or reorder text (bidi overrides can make
/// `通知\u{202E}fdp.exe` look like `通知exe.pdf`), removed from names.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}

/// The name of an uploaded file as it will be shown and offered for
/// download, or the Chinese reason it is refused. A name carrying a path
/// (`../../etc/passwd.pdf`, `C:\Users\…\通知.pdf`) is refused rather than
/// cut, so nobody is surprised by what was kept; control and invisible
/// characters are removed; characters Windows cannot save (`<>:"|?*`)
/// become `_`; runs of spaces become one; an over-long name keeps its
/// extension and loses the end of its stem.
pub fn sanitize_file_name(raw: &str) -> Result<String, String> {
    if raw.contains(['/', '\\']) {
        return Err("文件名不能包含路径或斜杠（/ 或 \\），请只选择文件本身上传".into());
    }
    let mut name = String::with_capacity(raw.len());
    let mut space = false;
    for c in raw.chars() {
        if c.is_control() || is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !name.is_empty() {
            name.push(' ');
        }
        space = false;
        name.push(if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
            '_'
        } else {
            c
        });
    }
    // Windows drops trailing dots and spaces; a leading dot hides the file.
    let name = name.trim_matches(|c| c == '.' || c == ' ');
    if name.is_empty() {
        return Err("文件名为空或只有标点，请改用有意义的文件名".into());
    }
    Ok(shorten(name, ATTACHMENT_NAME_MAX))
}

/// Cuts a name to `max` characters, keeping a short extension.
fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let (stem, ext) = split_extension(name);
    let ext_len = ext.map_or(0, |e| e.chars().count() + 1);
    let mut out: String = stem.chars().take(max.saturating_sub(ext_len)).collect();
    out.truncate(out.trim_end().len());
    if let Some(ext) = ext {
        out.push('.');
        out.push_str(ext);
    }
    out
}

/// `("通知", Some("pdf"))` for `通知.pdf`; an extension is 1–10 ASCII
/// letters or digits, at least one a letter (so `方案v1.2` has none),
/// after a non-empty stem.
pub(crate) fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=10).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
                && ext.bytes().any(|b| b.is_ascii_alphabetic()) =>
        {
            (stem, Some(ext))
        }
        _ => (name, None),
    }
}

/// How a browser should treat a served file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Shown in the browser (PDF viewer, image).
    Inline,
    /// Saved to disk.
    Attachment,
}

/// A `Content-Disposition` header value for a file called `name`
/// (RFC 6266): an ASCII `filename` for old clients and the exact name as
/// `filename*=UTF-8''…` (RFC 8187 percent-encoding), which every current
/// browser prefers. Safe for any input: quotes, backslashes, control
/// characters and non-ASCII never reach the quoted part.
pub fn content_disposition(name: &str, disposition: Disposition) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect();
    let clean = clean.trim();
    let clean = if clean.is_empty() { "file" } else { clean };
    let kind = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    format!(
        "{kind}; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(clean),
        percent_encode(clean)
    )
}

fn ascii_fallback(name: &str) -> String {
    let (stem, ext) = split_extension(name);
    let stem: String = stem
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .map(|c| {
            if matches!(c, '"' | '\\' | '%' | ';') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let stem = stem.trim();
    let stem = if stem.bytes().any(|b| b.is_ascii_alphanumeric()) {
        stem
    } else {
        "file"
    };
    match ext {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem.to_string(),
    }
}

/// RFC 8187 `value-chars`: `attr-char` as is, every other byte `%XX`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_are_percent_encoded_with_an_ascii_fallback() {
        assert_eq!(
            content_disposition("2024年预算公开表.xlsx", Disposition::Attachment),
            "attachment; filename=\"2024.xlsx\"; \
             filename*=UTF-8''2024%E5%B9%B4%E9%A2%84%E7%AE%97%E5%85%AC%E5%BC%80%E8%A1%A8.xlsx"
        );
        assert_eq!(
            content_disposition("关于印发 实施细则.pdf", Disposition::Inline),
            "inline; filename=\"file.pdf\"; \
             filename*=UTF-8''%E5%85%B3%E4%BA%8E%E5%8D%B0%E5%8F%91%20%E5%AE%9E%E6%96%BD%E7%BB%86%E5%88%99.pdf"
        );
    }

    #[test]
    fn header_injection_is_impossible() {
        let v = content_disposition(
            "a\"; x=\"1\r\nSet-Cookie: s=1\\.pdf",
            Disposition::Attachment,
        );
        assert_eq!(
            v,
            "attachment; filename=\"a__ x=_1Set-Cookie: s=1_.pdf\"; \
             filename*=UTF-8''a%22%3B%20x%3D%221Set-Cookie%3A%20s%3D1_.pdf"
        );
        assert!(!v.contains(['\r', '\n']));
        assert_eq!(
            content_disposition("", Disposition::Attachment),
            "attachment; filename=\"file\"; filename*=UTF-8''file"
        );
    }

    #[test]
    fn names_are_cleaned_for_display() {
        assert_eq!(
            sanitize_file_name("  附件1：实施  细则 .pdf ").unwrap(),
            "附件1：实施 细则 .pdf"
        );
        assert_eq!(
            sanitize_file_name("通知\u{202E}fdp.exe").unwrap(),
            "通知fdp.exe"
        );
        assert_eq!(sanitize_file_name("a<b>:c?.pdf").unwrap(), "a_b__c_.pdf");
        assert_eq!(sanitize_file_name(".hidden.pdf.").unwrap(), "hidden.pdf");
        assert!(sanitize_file_name(" .. ").is_err());
        assert!(sanitize_file_name("../../etc/passwd.pdf").is_err());
        assert!(sanitize_file_name("C:\\Users\\李\\通知.pdf").is_err());
    }

    #[test]
    fn long_names_keep_their_extension() {
        let long = format!("{}.docx", "政".repeat(300));
        let short = sanitize_file_name(&long).unwrap();
        assert_eq!(short.chars().count(), ATTACHMENT_NAME_MAX);
        assert!(short.ends_with("政.docx"));
    }
}
