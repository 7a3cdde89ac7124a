//! Office files as the tests upload and download them.

use docx_rs::{DocumentChild, read_docx};

/// A PDF without a text layer (as a scanner produces): nothing to extract.
pub const SCANNED_PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A DOCX with one paragraph per line, as Word writes it.
pub fn docx(lines: &[&str]) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run};
    let doc = lines.iter().fold(Docx::new(), |d, l| {
        d.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*l)))
    });
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).unwrap();
    out.into_inner()
}

/// The paragraphs of a DOCX, one a line.
pub fn docx_text(bytes: &[u8]) -> String {
    let doc = read_docx(bytes).expect("the DOCX opens");
    doc.document
        .children
        .iter()
        .filter_map(|c| match c {
            DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}
