//! DOCX input: `word/document.xml` is read from the ZIP container (stored
//! or deflated entries) and rewritten as simple HTML (paragraphs, tables
//! with colspan from `w:gridSpan` and rowspan from `w:vMerge`) for the HTML
//! reader. Spans index the extracted `word/document.xml`.

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

/// The tags of a WordprocessingML text in document order: (element name,
/// closing, whole tag text, text before the tag).
fn tags(xml: &str) -> impl Iterator<Item = (&str, bool, &str, &str)> {
    let mut rest = xml;
    std::iter::from_fn(move || {
        let lt = rest.find('<')?;
        let before = rest.get(..lt).unwrap_or_default();
        let after = rest.get(lt..).unwrap_or_default();
        let gt = after.find('>')?;
        let tag = after.get(1..gt).unwrap_or_default();
        rest = after.get(gt + 1..).unwrap_or_default();
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or_default();
        Some((name, tag.starts_with('/'), tag, before))
    })
}

/// Vertical merge state of a table cell (`w:vMerge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    /// `w:val="restart"`: the first cell of a vertical merge.
    Restart,
    /// `<w:vMerge/>` or `w:val="continue"`: covered by the cell above.
    Continue,
}

/// What to write for one `w:tc`, by its index in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellPlan {
    /// A `<td>` spanning this many rows.
    Rows(usize),
    /// Nothing: the cell is covered by a merge that started above it.
    Covered,
}

/// A table cell seen by [`merge_plan`].
struct Tc {
    /// Index of the `w:tc` in document order.
    index: usize,
    /// First grid column it occupies.
    col: usize,
    vmerge: VMerge,
}

/// First pass over the document: the grid column of every cell (from
/// `w:gridBefore` and `w:gridSpan`) and its `w:vMerge` state, per table,
/// so that each merge start learns how many rows it spans — as an HTML
/// `rowspan`, which the HTML reader expands into every row it covers.
/// A continuation without a start above it stays an ordinary (blank) cell.
fn merge_plan(xml: &str) -> Vec<CellPlan> {
    let mut plan: Vec<CellPlan> = Vec::new();
    // Open tables (innermost last): their rows of cells, and the next free
    // grid column of the current row.
    let mut tables: Vec<(Vec<Vec<Tc>>, usize)> = Vec::new();
    // Open cells (innermost last): (plan index, colspan).
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (name, closing, tag, _) in tags(xml) {
        match (name, closing) {
            ("w:tbl", false) => tables.push((Vec::new(), 0)),
            ("w:tbl", true) => {
                if let Some((rows, _)) = tables.pop() {
                    resolve_merges(&rows, &mut plan);
                }
            }
            ("w:tr", false) => {
                if let Some((rows, col)) = tables.last_mut() {
                    rows.push(Vec::new());
                    *col = 0;
                }
            }
            ("w:gridBefore", false) => {
                let skipped = attr(tag, "w:val").and_then(|v| v.parse::<usize>().ok());
                if let (Some((_, col)), Some(v)) = (tables.last_mut(), skipped) {
                    *col += v.min(64);
                }
            }
            ("w:tc", false) if !tag.ends_with('/') => {
                let index = plan.len();
                plan.push(CellPlan::Rows(1));
                open.push((index, 1));
                if let Some((rows, col)) = tables.last_mut()
                    && let Some(row) = rows.last_mut()
                {
                    row.push(Tc {
                        index,
                        col: *col,
                        vmerge: VMerge::None,
                    });
                }
            }
            ("w:tc", true) => {
                if let (Some((_, span)), Some((_, col))) = (open.pop(), tables.last_mut()) {
                    *col += span;
                }
            }
            ("w:gridSpan", false) => {
                if let (Some(cell), Some(v)) = (open.last_mut(), grid_val(tag)) {
                    cell.1 = v;
                }
            }
            ("w:vMerge", false) => {
                let Some((index, _)) = open.last() else {
                    continue;
                };
                let state = match attr(tag, "w:val") {
                    Some("restart") => VMerge::Restart,
                    _ => VMerge::Continue,
                };
                if let Some(tc) = tables
                    .last_mut()
                    .and_then(|(rows, _)| rows.last_mut())
                    .and_then(|row| row.iter_mut().rfind(|tc| tc.index == *index))
                {
                    tc.vmerge = state;
                }
            }
            _ => {}
        }
    }
    plan
}

/// Counts, for every merge start, the continuation cells below it in the
/// same grid column, and marks those covered.
fn resolve_merges(rows: &[Vec<Tc>], plan: &mut [CellPlan]) {
    for (r, row) in rows.iter().enumerate() {
        for start in row.iter().filter(|tc| tc.vmerge == VMerge::Restart) {
            let mut span = 1;
            for below in rows.iter().skip(r + 1) {
                let Some(tc) = below
                    .iter()
                    .find(|tc| tc.col == start.col && tc.vmerge == VMerge::Continue)
                else {
                    break;
                };
                if let Some(p) = plan.get_mut(tc.index) {
                    *p = CellPlan::Covered;
                }
                span += 1;
            }
            if let Some(p) = plan.get_mut(start.index) {
                *p = CellPlan::Rows(span.min(64));
            }
        }
    }
}

fn grid_val(tag: &str) -> Option<usize> {
    attr(tag, "w:val")
        .and_then(|v| v.parse::<usize>().ok())
        .map(|v| v.clamp(1, 64))
}

/// Rewrites WordprocessingML as minimal HTML. Text runs are copied
/// verbatim so they can be located in the XML for spans.
pub fn to_html(xml: &str) -> String {
    let plan = merge_plan(xml);
    let mut out = String::with_capacity(xml.len() / 2);
    let mut in_text = false;
    // (colspan, rowspan) of a <td> not yet written.
    let mut pending_td: Option<(usize, usize)> = None;
    let mut depth_tbl = 0usize;
    let mut tc_index = 0usize;
    // Inside a covered cell: the depth of `w:tc` elements still open in it.
    let mut covered_depth = 0usize;
    let flush = |out: &mut String, pending: &mut Option<(usize, usize)>| {
        if let Some((cols, rows)) = pending.take() {
            out.push_str("<td");
            if cols > 1 {
                out.push_str(&format!(" colspan=\"{cols}\""));
            }
            if rows > 1 {
                out.push_str(&format!(" rowspan=\"{rows}\""));
            }
            out.push('>');
        }
    };
    for (name, closing, tag, before) in tags(xml) {
        if covered_depth > 0 {
            // Covered cells are not written (Word leaves them empty); their
            // nested cells still count, to keep the plan's indexes aligned.
            match (name, closing) {
                ("w:tc", false) if !tag.ends_with('/') => {
                    tc_index += 1;
                    covered_depth += 1;
                }
                ("w:tc", true) => covered_depth -= 1,
                _ => {}
            }
            continue;
        }
        if in_text {
            flush(&mut out, &mut pending_td);
            out.push_str(before);
        }
        match (name, closing) {
            ("w:t", false) => in_text = !tag.ends_with('/'),
            ("w:t", true) => in_text = false,
            ("w:tbl", false) => {
                // A table nested in a cell belongs inside that cell's <td>.
                flush(&mut out, &mut pending_td);
                depth_tbl += 1;
                out.push_str("<table>");
            }
            ("w:tbl", true) => {
                depth_tbl = depth_tbl.saturating_sub(1);
                out.push_str("</table>");
            }
            ("w:tr", false) => out.push_str("<tr>"),
            ("w:tr", true) => out.push_str("</tr>"),
            ("w:tc", false) if !tag.ends_with('/') => {
                let p = plan.get(tc_index).copied().unwrap_or(CellPlan::Rows(1));
                tc_index += 1;
                match p {
                    CellPlan::Rows(rows) => pending_td = Some((1, rows)),
                    CellPlan::Covered => {
                        in_text = false;
                        covered_depth = 1;
                    }
                }
            }
            ("w:tc", true) => {
                flush(&mut out, &mut pending_td);
                out.push_str("</td>");
            }
            ("w:gridSpan", false) => {
                if let (Some(v), Some((cols, _))) = (grid_val(tag), pending_td.as_mut()) {
                    *cols = v;
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
