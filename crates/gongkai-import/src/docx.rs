//! DOCX input: `word/document.xml` is read from the ZIP container (stored
//! or deflated entries) and rewritten as simple HTML (paragraphs, tables
//! with colspan from `w:gridSpan`) for the HTML reader. Spans index the
//! extracted `word/document.xml`.

/// Error returned when `word/document.xml` inflates beyond
/// [`crate::limits::MAX_DOCX_XML_BYTES`] (also the ZIP-bomb guard).
pub const TOO_LARGE: &str = "DOCX 正文（word/document.xml）过大（超过 16 MB），未解析";

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at + 2)?;
    Some(usize::from(u16::from_le_bytes([*s.first()?, *s.get(1)?])))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at + 4)?;
    let v = u32::from_le_bytes([*s.first()?, *s.get(1)?, *s.get(2)?, *s.get(3)?]);
    usize::try_from(v).ok()
}

/// Returns the text of `word/document.xml`, or a Chinese error message.
pub fn document_xml(zip: &[u8]) -> Result<String, &'static str> {
    const BROKEN: &str = "DOCX 文件已损坏（ZIP 结构无法读取）";
    // End of central directory: scan back over a possible archive comment.
    let min = zip.len().saturating_sub(22 + 65_535);
    let eocd = (min..zip.len().saturating_sub(21))
        .rev()
        .find(|i| zip.get(*i..*i + 4) == Some(b"PK\x05\x06"))
        .ok_or(BROKEN)?;
    let entries = u16_at(zip, eocd + 10).ok_or(BROKEN)?;
    let mut p = u32_at(zip, eocd + 16).ok_or(BROKEN)?;
    for _ in 0..entries {
        if zip.get(p..p + 4) != Some(b"PK\x01\x02") {
            return Err(BROKEN);
        }
        let method = u16_at(zip, p + 10).ok_or(BROKEN)?;
        let csize = u32_at(zip, p + 20).ok_or(BROKEN)?;
        let name_len = u16_at(zip, p + 28).ok_or(BROKEN)?;
        let extra_len = u16_at(zip, p + 30).ok_or(BROKEN)?;
        let comment_len = u16_at(zip, p + 32).ok_or(BROKEN)?;
        let local = u32_at(zip, p + 42).ok_or(BROKEN)?;
        let name = zip.get(p + 46..p + 46 + name_len).ok_or(BROKEN)?;
        p += 46 + name_len + extra_len + comment_len;
        if name != b"word/document.xml" {
            continue;
        }
        if zip.get(local..local + 4) != Some(b"PK\x03\x04") {
            return Err(BROKEN);
        }
        let lname = u16_at(zip, local + 26).ok_or(BROKEN)?;
        let lextra = u16_at(zip, local + 28).ok_or(BROKEN)?;
        let start = local + 30 + lname + lextra;
        let data = zip.get(start..start.saturating_add(csize)).ok_or(BROKEN)?;
        let raw = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(
                data,
                crate::limits::MAX_DOCX_XML_BYTES,
            )
            .map_err(|e| {
                if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
                    TOO_LARGE
                } else {
                    BROKEN
                }
            })?,
            _ => return Err("DOCX 使用了不支持的压缩方式"),
        };
        return String::from_utf8(raw).map_err(|_| BROKEN);
    }
    Err("不是 DOCX 文件（缺少 word/document.xml）")
}

/// Rewrites WordprocessingML as minimal HTML. Text runs are copied
/// verbatim so they can be located in the XML for spans.
pub fn to_html(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 2);
    let mut rest = xml;
    let mut in_text = false;
    let mut pending_td: Option<usize> = None; // colspan of a <td> not yet written
    let mut depth_tbl = 0usize;
    let flush = |out: &mut String, pending: &mut Option<usize>| {
        if let Some(span) = pending.take() {
            if span > 1 {
                out.push_str(&format!("<td colspan=\"{span}\">"));
            } else {
                out.push_str("<td>");
            }
        }
    };
    while let Some(lt) = rest.find('<') {
        if in_text {
            flush(&mut out, &mut pending_td);
            out.push_str(rest.get(..lt).unwrap_or_default());
        }
        let after = rest.get(lt..).unwrap_or_default();
        let Some(gt) = after.find('>') else { break };
        let tag = after.get(1..gt).unwrap_or_default();
        rest = after.get(gt + 1..).unwrap_or_default();
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or_default();
        let closing = tag.starts_with('/');
        match (name, closing) {
            ("w:t", false) => in_text = !tag.ends_with('/'),
            ("w:t", true) => in_text = false,
            ("w:tbl", false) => {
                depth_tbl += 1;
                out.push_str("<table>");
            }
            ("w:tbl", true) => {
                depth_tbl = depth_tbl.saturating_sub(1);
                out.push_str("</table>");
            }
            ("w:tr", false) => out.push_str("<tr>"),
            ("w:tr", true) => out.push_str("</tr>"),
            ("w:tc", false) => pending_td = Some(1),
            ("w:tc", true) => {
                flush(&mut out, &mut pending_td);
                out.push_str("</td>");
            }
            ("w:gridSpan", false) => {
                if let Some(v) = attr(tag, "w:val").and_then(|v| v.parse::<usize>().ok())
                    && pending_td.is_some()
                {
                    pending_td = Some(v.clamp(1, 64));
                }
            }
            ("w:p", false) if !tag.ends_with('/') => {
                flush(&mut out, &mut pending_td);
                if depth_tbl > 0 {
                    out.push(' ');
                } else {
                    out.push_str("<p>");
                }
            }
            ("w:p", true) if depth_tbl == 0 => out.push_str("</p>"),
            ("w:tab", false) => out.push(' '),
            ("w:br", false) => out.push_str("<br>"),
            _ => {}
        }
    }
    out
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let rest = tag.get(at..)?;
    rest.get(..rest.find('"')?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_keep_colspan_and_text() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        assert_eq!(
            to_html(xml),
            "<p>标题</p><table><tr><td colspan=\"2\"> 甲</td></tr></table>"
        );
    }

    #[test]
    fn broken_zip_is_an_error_not_a_panic() {
        assert!(document_xml(b"PK\x03\x04garbage").is_err());
        assert!(document_xml(b"").is_err());
    }
}
