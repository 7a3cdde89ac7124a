//! Denial-of-service limits: oversized or absurdly nested inputs are
//! refused with a finding and no cells, before the HTML parser runs.

use gongkai_import::{Format, ImportReport, Severity, import, limits};

fn rejected_with(r: &ImportReport, rule: &str) {
    assert_eq!(r.format, Format::None);
    assert!(r.cells.is_empty(), "no cells from a refused input");
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.rule, rule);
    assert_eq!(f.severity, Severity::Error);
}

/// A genuine 2021 table three row, so that a refused input would otherwise
/// have produced cells.
const ROW: &str = "一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1\n";

#[test]
fn oversized_input_is_refused() {
    let body = ROW.repeat(limits::MAX_INPUT_BYTES / ROW.len() + 1);
    assert!(body.len() > limits::MAX_INPUT_BYTES);
    let r = import(body.as_bytes(), "huge.txt");
    rejected_with(&r, "input.too_large");
    assert!(
        r.findings[0].message.contains("上限 4 MB"),
        "{}",
        r.findings[0].message
    );
}

#[test]
fn too_many_lines_are_refused() {
    // Under the byte limit, over the line limit.
    let body = "<p>a".repeat(limits::MAX_LINES + 10);
    assert!(body.len() < limits::MAX_INPUT_BYTES);
    let r = import(format!("<html><body>{body}").as_bytes(), "lines.html");
    rejected_with(&r, "input.too_large");
    assert_eq!(r.input_kind, "html");
}

#[test]
fn deep_nesting_is_refused() {
    let n = 50_000;
    let html = format!(
        "<html><body>{}{ROW}{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let r = import(html.as_bytes(), "deep.html");
    rejected_with(&r, "input.too_deep");
    assert!(r.findings[0].message.contains("512"));
}

#[test]
fn deep_docx_markup_is_refused() {
    // A stored (uncompressed) ZIP with a document.xml nested too deeply.
    let xml = format!(
        "<w:document>{}</w:document>",
        "<w:sdt>".repeat(limits::MAX_NESTING + 1)
    );
    let r = import(
        &stored_zip("word/document.xml", xml.as_bytes()),
        "deep.docx",
    );
    rejected_with(&r, "input.too_deep");
    assert_eq!(r.input_kind, "docx");
}

#[test]
fn moderately_nested_report_is_still_read() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/2021_merged.html"
    );
    let plain = std::fs::read_to_string(path).expect("fixture 2021_merged.html");
    let wrapped = format!("{}{plain}{}", "<div>".repeat(100), "</div>".repeat(100));
    let values = |r: &ImportReport| -> Vec<(String, Option<String>, String, Option<f64>)> {
        r.cells
            .iter()
            .map(|c| (c.table.clone(), c.row.clone(), c.col.clone(), c.value))
            .collect()
    };
    let a = import(plain.as_bytes(), "a.html");
    let b = import(wrapped.as_bytes(), "b.html");
    assert_eq!(b.format, Format::F2021);
    assert!(b.cells.len() > 100, "{}", b.cells.len());
    assert!(
        b.findings.iter().all(|f| !f.rule.starts_with("input.")),
        "{:?}",
        b.findings
    );
    assert_eq!(values(&a), values(&b));
}

/// Minimal ZIP archive with one stored entry (no compression, CRC unchecked
/// by the importer).
fn stored_zip(name: &str, data: &[u8]) -> Vec<u8> {
    let (n, d) = (name.len() as u16, data.len() as u32);
    let mut z = Vec::new();
    z.extend_from_slice(b"PK\x03\x04");
    z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&d.to_le_bytes());
    z.extend_from_slice(&d.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(data);
    let central = z.len() as u32;
    z.extend_from_slice(b"PK\x01\x02");
    z.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&d.to_le_bytes());
    z.extend_from_slice(&d.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&[0; 12]);
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(name.as_bytes());
    let size = z.len() as u32 - central;
    z.extend_from_slice(b"PK\x05\x06");
    z.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&central.to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z
}
