//! Helpers shared by the integration tests.
#![allow(dead_code)]

use gongkai_import::{Cell, ImportReport};

pub const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Reads the seed whose file name starts with `prefix`. The seeds live in
/// `shared/` beside the repository; their absence is a test failure.
pub fn seed(prefix: &str) -> Vec<u8> {
    let dir = std::fs::read_dir(SEEDS).unwrap_or_else(|e| {
        panic!("seed directory {SEEDS} is missing ({e}); check out shared/ beside the repository")
    });
    let path = dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("seed {prefix}_*.txt not found in {SEEDS}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn fixture(name: &str) -> Vec<u8> {
    let p = format!("{FIXTURES}/{name}");
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read fixture {p}: {e}"))
}

pub fn cell<'a>(r: &'a ImportReport, table: &str, row: &str, col: &str) -> &'a Cell {
    r.cells
        .iter()
        .find(|c| c.table == table && c.row.as_deref() == Some(row) && c.col == col)
        .unwrap_or_else(|| panic!("cell {table}/{row}/{col} not extracted"))
}

pub fn value(r: &ImportReport, table: &str, row: &str, col: &str) -> Option<f64> {
    cell(r, table, row, col).value
}

pub fn rules(r: &ImportReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

/// CRC-32 (IEEE), as the ZIP format requires.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A minimal but valid DOCX (stored ZIP entries with CRCs, content types,
/// package relationship) around a `word/document.xml` body, built in the
/// test so that no real document is copied into the repository.
pub fn docx(body_xml: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body_xml}</w:body></w:document>"
    );
    let parts: [(&str, String); 3] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"
                .to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"
                .to_string(),
        ),
        ("word/document.xml", document),
    ];
    let mut zip = Vec::new();
    let mut central = Vec::new();
    for (name, data) in &parts {
        let (n, d) = (name.len() as u16, data.len() as u32);
        let crc = crc32(data.as_bytes());
        let offset = zip.len() as u32;
        // Local file header: version 2.0, no flags, stored, no time/date.
        zip.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
        zip.extend_from_slice(&crc.to_le_bytes());
        zip.extend_from_slice(&d.to_le_bytes());
        zip.extend_from_slice(&d.to_le_bytes());
        zip.extend_from_slice(&n.to_le_bytes());
        zip.extend_from_slice(&[0, 0]);
        zip.extend_from_slice(name.as_bytes());
        zip.extend_from_slice(data.as_bytes());
        central.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&d.to_le_bytes());
        central.extend_from_slice(&d.to_le_bytes());
        central.extend_from_slice(&n.to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (at, size) = (zip.len() as u32, central.len() as u32);
    zip.extend_from_slice(&central);
    zip.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x03\x00\x03\x00");
    zip.extend_from_slice(&size.to_le_bytes());
    zip.extend_from_slice(&at.to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    zip
}

/// A Word paragraph.
pub fn w_p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}
