//! DOCX text: the body through the importer's own reader
//! ([`crate::docx::document_xml`], with its size limit), then headers,
//! footers, footnotes, endnotes and comments, which can hold personal data
//! or a 密级 marking as well. Deleted text of tracked changes (`w:delText`)
//! is included: it is still in the file anyone can open.
//!
//! Paragraphs become lines; a table row becomes one line with its cells
//! separated by tabs.

use super::sniff::{zip_entries, zip_entry};
use super::{Read, Status, tidy};

/// Parts read after the body, with the heading put before their text.
fn extra_part(name: &str) -> Option<&'static str> {
    let file = name.strip_prefix("word/")?;
    let numbered = |prefix: &str| {
        file.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(".xml"))
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    };
    if numbered("header") {
        Some("页眉")
    } else if numbered("footer") {
        Some("页脚")
    } else {
        match file {
            "footnotes.xml" => Some("脚注"),
            "endnotes.xml" => Some("尾注"),
            "comments.xml" => Some("批注"),
            _ => None,
        }
    }
}

pub(crate) fn read(bytes: &[u8]) -> Result<Read, Status> {
    let entries = zip_entries(bytes)?;
    let body = crate::docx::document_xml(bytes).map_err(|m| Status::Failed { reason: m.into() })?;
    let mut text = xml_text(&body);
    let body_has_text = !text.trim().is_empty();
    let mut parts: Vec<(&str, &str)> = entries
        .iter()
        .filter_map(|(n, _)| extra_part(n).map(|h| (n.as_str(), h)))
        .collect();
    parts.sort();
    for (name, heading) in parts {
        let Some(xml) = zip_entry(bytes, name) else {
            return Err(Status::Failed {
                reason: format!("DOCX 中的 {name} 无法读取（文件可能已损坏）"),
            });
        };
        let part = xml_text(&String::from_utf8_lossy(&xml));
        if !part.trim().is_empty() {
            text.push_str(&format!("\n【{heading}】\n{part}"));
        }
    }
    let images = entries
        .iter()
        .filter(|(n, _)| n.starts_with("word/media/"))
        .count();
    let embedded = entries
        .iter()
        .filter(|(n, _)| n.starts_with("word/embeddings/"))
        .count();
    let mut notes = Vec::new();
    if images > 0 {
        notes.push(format!("文档内含 {images} 个图片，图片中的文字未检查"));
    }
    let status = if !body_has_text && images > 0 {
        Status::NoText {
            detail: format!("DOCX 正文没有文字，只有 {images} 个图片（可能是扫描件），须人工查看"),
        }
    } else if embedded > 0 {
        Status::Partial {
            detail: format!("文档内嵌 {embedded} 个对象（如表格、附件），其内容未检查，须人工查看"),
        }
    } else {
        Status::Extracted
    };
    Ok(Read {
        text: tidy(&text),
        status,
        notes,
    })
}

/// The text of a WordprocessingML part.
pub(crate) fn xml_text(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 4);
    let mut rest = xml;
    let mut in_text = false;
    let mut tables = 0usize;
    while let Some(lt) = rest.find('<') {
        if in_text {
            decode_entities(rest.get(..lt).unwrap_or_default(), &mut out);
        }
        let after = rest.get(lt..).unwrap_or_default();
        let Some(gt) = after.find('>') else { break };
        let tag = after.get(1..gt).unwrap_or_default();
        rest = after.get(gt + 1..).unwrap_or_default();
        let closing = tag.starts_with('/');
        let empty = tag.ends_with('/');
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/', '\t', '\n', '\r'])
            .next()
            .unwrap_or_default();
        match (name, closing) {
            ("w:t" | "w:delText", false) => in_text = !empty,
            ("w:t" | "w:delText", true) => in_text = false,
            ("w:tab", false) => out.push('\t'),
            ("w:br" | "w:cr", false) => out.push('\n'),
            ("w:noBreakHyphen", false) => out.push('-'),
            ("w:tbl", false) if !empty => tables += 1,
            ("w:tbl", true) => tables = tables.saturating_sub(1),
            ("w:tc", true) => {
                trim_end(&mut out, &[' ']);
                out.push('\t');
            }
            ("w:tr", true) => {
                trim_end(&mut out, &[' ', '\t']);
                out.push('\n');
            }
            ("w:p", true) => out.push(if tables > 0 { ' ' } else { '\n' }),
            _ => {}
        }
    }
    out
}

fn trim_end(s: &mut String, chars: &[char]) {
    let keep = s.trim_end_matches(chars).len();
    s.truncate(keep);
}

/// Appends `s` with XML character and entity references resolved.
fn decode_entities(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp..).unwrap_or_default();
        let end = after.find(';').filter(|e| *e <= 10);
        let entity = end.and_then(|e| after.get(1..e));
        let decoded = match entity {
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("amp") => Some('&'),
            Some("quot") => Some('"'),
            Some("apos") => Some('\''),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => e
                .get(2..)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32),
            Some(e) if e.starts_with('#') => e
                .get(1..)
                .and_then(|d| d.parse::<u32>().ok())
                .and_then(char::from_u32),
            _ => None,
        };
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = after.get(e + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = after.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tables_and_entities() {
        let xml = concat!(
            r#"<w:document><w:body><w:p><w:r><w:t>电话&#x31;38</w:t></w:r>"#,
            r#"<w:r><w:t xml:space="preserve">0013 8000 &amp; 甲</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t>王某</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:delText>删除的文字</w:delText><w:tab/><w:t/></w:r></w:p></w:body></w:document>"#
        );
        assert_eq!(
            xml_text(xml),
            "电话1380013 8000 & 甲\n姓名\t王某\n删除的文字\t\n"
        );
    }

    #[test]
    fn broken_references_stay_visible() {
        let mut out = String::new();
        decode_entities("a & b &bogus; &#xZZ; &#12345678901;", &mut out);
        assert_eq!(out, "a & b &bogus; &#xZZ; &#12345678901;");
    }

    #[test]
    fn extra_parts() {
        assert_eq!(extra_part("word/header1.xml"), Some("页眉"));
        assert_eq!(extra_part("word/footer.xml"), Some("页脚"));
        assert_eq!(extra_part("word/comments.xml"), Some("批注"));
        assert_eq!(extra_part("word/document.xml"), None);
        assert_eq!(extra_part("word/headerx.xml"), None);
    }
}
