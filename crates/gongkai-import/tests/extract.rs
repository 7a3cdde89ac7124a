//! Attachment text extraction, on fixtures built here (no real documents
//! in the repository): PDFs written with lopdf, DOCX archives written with
//! the zip crate, XLSX workbooks with rust_xlsxwriter.

use std::io::{Cursor, Write};

use gongkai_import::extract::{Sniffed, Status, extract_text, sniff};
use lopdf::{Dictionary, Document, Object, Stream, dictionary};
use proptest::prelude::*;

// ---------------------------------------------------------------- PDF ---

/// Fonts available on every test page.
#[derive(Clone, Copy)]
enum Font {
    /// Helvetica, WinAnsi: ASCII strings.
    Latin,
    /// Type0, Identity-H, with a /ToUnicode map: 2-byte codes assigned in
    /// [`Pdf::cid`].
    Mapped,
    /// Type0, UniGB-UCS2-H: UTF-16BE codes.
    Ucs2,
    /// Type0, GBK-EUC-H: GBK codes.
    Gbk,
    /// Type0, Identity-H without /ToUnicode: undecodable.
    Opaque,
}

impl Font {
    fn name(self) -> &'static str {
        match self {
            Font::Latin => "F1",
            Font::Mapped => "F2",
            Font::Ucs2 => "F3",
            Font::Gbk => "F4",
            Font::Opaque => "F5",
        }
    }
}

/// A tiny PDF writer for tests: pages are content streams built from
/// [`Pdf::text`] pieces and raw operators.
#[derive(Default)]
struct Pdf {
    /// Characters of the /ToUnicode-mapped font, code = index + 1.
    cids: Vec<char>,
    pages: Vec<Page>,
}

#[derive(Default)]
struct Page {
    ops: String,
    image: bool,
    form: Option<String>,
}

impl Pdf {
    fn cid(&mut self, c: char) -> u16 {
        let at = self.cids.iter().position(|x| *x == c).unwrap_or_else(|| {
            self.cids.push(c);
            self.cids.len() - 1
        });
        (at + 1) as u16
    }

    /// A string operand for `s` in `font`.
    fn string(&mut self, font: Font, s: &str) -> String {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
        match font {
            Font::Latin => format!("({s})"),
            Font::Mapped | Font::Opaque => {
                let codes: Vec<u8> = s.chars().flat_map(|c| self.cid(c).to_be_bytes()).collect();
                format!("<{}>", hex(&codes))
            }
            Font::Ucs2 => {
                let codes: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
                format!("<{}>", hex(&codes))
            }
            Font::Gbk => format!("<{}>", hex(&encoding_rs::GBK.encode(s).0)),
        }
    }

    /// `BT /F size Tf x y Td (s) Tj ET`.
    fn text(&mut self, font: Font, x: f32, y: f32, s: &str) -> String {
        let string = self.string(font, s);
        format!("BT /{} 12 Tf {x} {y} Td {string} Tj ET\n", font.name())
    }

    fn page(&mut self, ops: String) -> &mut Page {
        self.pages.push(Page {
            ops,
            ..Page::default()
        });
        self.pages.last_mut().unwrap()
    }

    fn bytes(&self) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let mut tounicode = String::from(concat!(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n",
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n",
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        ));
        for chunk in self.cids.chunks(100) {
            tounicode.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for c in chunk {
                let code = self.cids.iter().position(|x| x == c).unwrap() + 1;
                let mut u = [0u16; 2];
                let units: String = c
                    .encode_utf16(&mut u)
                    .iter()
                    .map(|x| format!("{x:04X}"))
                    .collect();
                tounicode.push_str(&format!("<{code:04X}> <{units}>\n"));
            }
            tounicode.push_str("endbfchar\n");
        }
        tounicode.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        let map_id = doc.add_object(Stream::new(Dictionary::new(), tounicode.into_bytes()));
        let cid_font = |doc: &mut Document| {
            doc.add_object(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
                "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 4 },
            })
        };
        let d2 = cid_font(&mut doc);
        let d3 = cid_font(&mut doc);
        let d4 = cid_font(&mut doc);
        let d5 = cid_font(&mut doc);
        let f1 = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        });
        let type0 =
            |doc: &mut Document, enc: &str, d: lopdf::ObjectId, map: Option<lopdf::ObjectId>| {
                let mut f = dictionary! {
                    "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light",
                    "Encoding" => enc, "DescendantFonts" => vec![d.into()],
                };
                if let Some(m) = map {
                    f.set("ToUnicode", m);
                }
                doc.add_object(f)
            };
        let f2 = type0(&mut doc, "Identity-H", d2, Some(map_id));
        let f3 = type0(&mut doc, "UniGB-UCS2-H", d3, None);
        let f4 = type0(&mut doc, "GBK-EUC-H", d4, None);
        let f5 = type0(&mut doc, "Identity-H", d5, None);
        let fonts = dictionary! { "F1" => f1, "F2" => f2, "F3" => f3, "F4" => f4, "F5" => f5 };
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            vec![0, 255, 255, 0],
        ));
        let mut kids: Vec<Object> = Vec::new();
        for p in &self.pages {
            let mut xobjects = Dictionary::new();
            let mut ops = p.ops.clone();
            if p.image {
                xobjects.set("Im1", image);
                ops.push_str("q 500 0 0 700 50 50 cm /Im1 Do Q\n");
            }
            if let Some(form) = &p.form {
                let form_id = doc.add_object(Stream::new(
                    dictionary! {
                        "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
                        "Resources" => dictionary! { "Font" => fonts.clone() },
                    },
                    form.clone().into_bytes(),
                ));
                xobjects.set("Fm1", form_id);
                ops.push_str("q /Fm1 Do Q\n");
            }
            let content = doc.add_object(Stream::new(Dictionary::new(), ops.into_bytes()));
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "Font" => fonts.clone(), "XObject" => xobjects },
            });
            kids.push(page.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }
}

fn text_of(e: &gongkai_import::extract::Extracted) -> &str {
    e.text.as_deref().unwrap_or_default()
}

#[test]
fn pdf_text_in_every_chinese_encoding() {
    let mut pdf = Pdf::default();
    let mut ops = pdf.text(Font::Mapped, 72.0, 760.0, "关于王某申请的答复");
    ops += &pdf.text(Font::Mapped, 72.0, 740.0, "身份证号430104199001011230");
    ops += &pdf.text(Font::Ucs2, 72.0, 720.0, "联系电话：13800138000");
    ops += &pdf.text(Font::Gbk, 72.0, 700.0, "秘密★1年");
    ops += &pdf.text(Font::Latin, 72.0, 680.0, "Tel 139-0013-9000");
    pdf.page(ops);
    let e = extract_text("答复.pdf", &pdf.bytes());
    assert_eq!(e.kind, Sniffed::Pdf);
    assert_eq!(e.status, Status::Extracted, "{e:?}");
    assert!(!e.needs_manual_review());
    assert_eq!(e.name_mismatch, None);
    assert_eq!(
        text_of(&e),
        "【第 1 页】\n关于王某申请的答复\n身份证号430104199001011230\n联系电话：13800138000\n秘密★1年\nTel 139-0013-9000\n"
    );
}

#[test]
fn pdf_pieces_are_joined_by_position() {
    let mut pdf = Pdf::default();
    // A phone number set glyph by glyph (one Td per glyph, 0.55 em apart).
    let mut ops = String::from("BT /F1 10 Tf 72 700 Td ");
    for (i, c) in "13800138000".chars().enumerate() {
        let dx = if i == 0 { 0.0 } else { 5.5 };
        ops.push_str(&format!("{dx} 0 Td ({c}) Tj "));
    }
    ops.push_str("ET\n");
    // The same number split over two text objects on one baseline.
    ops += &pdf.text(Font::Latin, 72.0, 680.0, "1390013");
    ops += &format!("BT /F1 12 Tf {} 680 Td (9000) Tj ET\n", 72.0 + 7.0 * 6.6);
    // Two table cells far apart on one baseline: not one long number.
    ops += &pdf.text(Font::Latin, 72.0, 660.0, "13700137000");
    ops += &pdf.text(Font::Latin, 300.0, 660.0, "2024");
    // TJ with kerning inside a number, and a wide gap that is a space.
    ops += "BT /F1 12 Tf 72 640 Td [(136) -40 (0013) -30 (6000) -900 (end)] TJ ET\n";
    pdf.page(ops);
    let e = extract_text("x.pdf", &pdf.bytes());
    assert_eq!(e.status, Status::Extracted);
    assert_eq!(
        text_of(&e),
        "【第 1 页】\n13800138000\n13900139000\n13700137000 2024\n13600136000 end\n"
    );
}

#[test]
fn pdf_pages_without_text_are_reported() {
    let mut pdf = Pdf::default();
    let t = pdf.text(Font::Mapped, 72.0, 700.0, "第一页正文");
    pdf.page(t);
    pdf.page(String::new()).image = true; // a scanned page
    pdf.page(String::new()); // a blank page: nothing to review
    let t = pdf.text(Font::Opaque, 72.0, 700.0, "无法解码");
    pdf.page(t); // text in a font without /ToUnicode
    let t = pdf.text(Font::Latin, 72.0, 700.0, "with seal");
    pdf.page(t).image = true; // text plus an image (a seal)
    let e = extract_text("x.pdf", &pdf.bytes());
    assert_eq!(
        e.status,
        Status::Partial {
            detail: "第 2、4 页的文字无法提取（扫描页、图片、曲线文字或无法识别的字体编码），须人工查看这些页".into()
        }
    );
    assert!(e.needs_manual_review());
    assert_eq!(
        text_of(&e),
        "【第 1 页】\n第一页正文\n【第 5 页】\nwith seal\n"
    );
    assert_eq!(
        e.notes,
        ["第 5 页含图片（如印章、照片），图片中的文字未检查"]
    );
}

#[test]
fn scanned_pdf_has_no_text() {
    let mut pdf = Pdf::default();
    pdf.page(String::new()).image = true;
    pdf.page(String::new()).image = true;
    let e = extract_text("扫描件.pdf", &pdf.bytes());
    assert!(matches!(e.status, Status::NoText { .. }), "{e:?}");
    assert_eq!(e.text, None);
    assert!(e.status.message().contains("扫描件"));

    let mut pdf = Pdf::default();
    let t = pdf.text(Font::Opaque, 72.0, 700.0, "身份证号");
    pdf.page(t);
    let e = extract_text("x.pdf", &pdf.bytes());
    assert!(matches!(e.status, Status::NoText { .. }), "{e:?}");
}

#[test]
fn outlined_text_is_not_taken_for_a_blank_page() {
    let mut pdf = Pdf::default();
    let mut ops = String::new();
    for i in 0..40 {
        ops.push_str(&format!("{i} 0 m {i} 10 l 5 5 l h f\n"));
    }
    pdf.page(ops);
    let e = extract_text("x.pdf", &pdf.bytes());
    assert!(matches!(e.status, Status::NoText { .. }), "{e:?}");
    // A page with a frame only is blank, not unreadable.
    let mut pdf = Pdf::default();
    pdf.page("10 10 500 700 re S\n".into());
    assert_eq!(
        extract_text("x.pdf", &pdf.bytes()).status,
        Status::Extracted
    );
}

#[test]
fn pdf_form_xobjects_are_read() {
    let mut pdf = Pdf::default();
    let form = pdf.text(Font::Mapped, 72.0, 700.0, "表单中的手机13800138000");
    pdf.page(String::new()).form = Some(form);
    let e = extract_text("x.pdf", &pdf.bytes());
    assert_eq!(e.status, Status::Extracted);
    assert_eq!(text_of(&e), "【第 1 页】\n表单中的手机13800138000\n");
}

#[test]
fn broken_pdfs_fail_clearly() {
    let e = extract_text("x.pdf", b"%PDF-1.4\nthis is not a pdf");
    assert!(matches!(e.status, Status::Failed { .. }), "{e:?}");
    assert!(e.needs_manual_review());
    let mut pdf = Pdf::default();
    let t = pdf.text(Font::Latin, 72.0, 700.0, "text");
    pdf.page(t);
    let bytes = pdf.bytes();
    for cut in [20, bytes.len() / 2, bytes.len() - 30] {
        let e = extract_text("x.pdf", &bytes[..cut]);
        assert!(
            e.status == Status::Extracted || e.needs_manual_review(),
            "{cut}: {e:?}"
        );
    }
}

// --------------------------------------------------------------- DOCX ---

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
}

fn para(s: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{s}</w:t></w:r></w:p>"#)
}

#[test]
fn docx_body_tables_and_headers() {
    let body = document(&format!(
        "{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>{}",
        para("关于王某申请的答复"),
        para("联系电话"),
        para("138 0013 8000"),
        para("A &amp; B"),
    ));
    let header = r#"<w:hdr xmlns:w="x"><w:p><w:r><w:t>内部资料 注意保存</w:t></w:r></w:p></w:hdr>"#;
    let bytes = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", body.as_bytes()),
        ("word/header1.xml", header.as_bytes()),
    ]);
    assert_eq!(sniff(&bytes), Sniffed::Docx);
    let e = extract_text("答复.docx", &bytes);
    assert_eq!(e.status, Status::Extracted);
    assert_eq!(
        text_of(&e),
        "关于王某申请的答复\n联系电话\t138 0013 8000\nA & B\n\n【页眉】\n内部资料 注意保存\n"
    );
}

#[test]
fn docx_with_only_images_has_no_text() {
    let bytes = zip(&[
        (
            "word/document.xml",
            document("<w:p><w:r><w:drawing/></w:r></w:p>").as_bytes(),
        ),
        ("word/media/image1.png", b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"),
    ]);
    let e = extract_text("扫描.docx", &bytes);
    assert!(matches!(e.status, Status::NoText { .. }), "{e:?}");
    let bytes = zip(&[
        ("word/document.xml", document(&para("正文")).as_bytes()),
        ("word/media/image1.png", b"png"),
        ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"xlsx"),
    ]);
    let e = extract_text("x.docx", &bytes);
    assert!(matches!(e.status, Status::Partial { .. }), "{e:?}");
    assert_eq!(text_of(&e), "正文\n");
    assert_eq!(e.notes, ["文档内含 1 个图片，图片中的文字未检查"]);
}

#[test]
fn docx_bombs_and_broken_archives_are_refused() {
    let big = vec![b' '; 20 * 1024 * 1024];
    let bytes = zip(&[("word/document.xml", &big)]);
    let e = extract_text("x.docx", &bytes);
    assert!(matches!(e.status, Status::Failed { .. }), "{e:?}");
    let mut broken = zip(&[("word/document.xml", document(&para("正文")).as_bytes())]);
    let mid = broken.len() / 3;
    broken[mid..mid + 8].copy_from_slice(b"XXXXXXXX");
    let e = extract_text("x.docx", &broken);
    assert!(
        e.status == Status::Extracted || e.needs_manual_review(),
        "{e:?}"
    );
}

// --------------------------------------------------------------- XLSX ---

fn workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("名单").unwrap();
    ws.write_string(0, 0, "姓名").unwrap();
    ws.write_string(0, 1, "身份证号").unwrap();
    ws.write_string(0, 2, "电话").unwrap();
    ws.write_string(1, 0, "王某").unwrap();
    ws.write_string(1, 1, "430104199001011230").unwrap();
    ws.write_number(1, 2, 13800138000.0).unwrap();
    let hidden = wb.add_worksheet();
    hidden.set_name("备注").unwrap();
    hidden.write_string(2, 1, "秘密★1年").unwrap();
    hidden.set_hidden(true);
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_all_sheets_and_cells() {
    let bytes = workbook();
    assert_eq!(sniff(&bytes), Sniffed::Xlsx);
    let e = extract_text("名单.xlsx", &bytes);
    assert_eq!(e.status, Status::Extracted, "{e:?}");
    assert_eq!(
        text_of(&e),
        "工作表「名单」\n姓名\t身份证号\t电话\n王某\t430104199001011230\t13800138000\n工作表「备注」\n秘密★1年\n"
    );
}

#[test]
fn xlsx_numbers_that_lost_digits_need_a_person() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(4, 0, 430104199001011230.0).unwrap();
    let e = extract_text("x.xlsx", &wb.save_to_buffer().unwrap());
    let Status::Partial { detail } = &e.status else {
        panic!("{e:?}")
    };
    assert!(
        detail.starts_with("「Sheet1」第 5 行有 16 位以上的数字"),
        "{detail}"
    );
}

// ------------------------------------------------------- to scanner ---

/// The path of an attachment at 提交审查: extract, then scan the text as a
/// field named after the file; an unreadable file becomes a blocking
/// finding of its own.
fn scan_attachment(name: &str, bytes: &[u8]) -> Vec<gongkai_core::scan::Finding> {
    use gongkai_core::scan::{Finding, ScanConfig, Scanner};
    let e = extract_text(name, bytes);
    let field = format!("附件「{name}」");
    let mut findings = Scanner::new(&ScanConfig::default())
        .scan_field(&field, e.text.as_deref().unwrap_or_default());
    if e.needs_manual_review() {
        findings.push(Finding::no_text(&field, &e.status.message()));
    }
    findings
}

#[test]
fn attachment_text_feeds_the_scanner() {
    use gongkai_core::scan::FindingKind;
    let mut pdf = Pdf::default();
    let t = pdf.text(
        Font::Mapped,
        72.0,
        700.0,
        "申请人身份证号：430104199001011230",
    );
    pdf.page(t);
    let f = scan_attachment("答复.pdf", &pdf.bytes());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::IdNumber);
    assert_eq!(f[0].field, "附件「答复.pdf」");
    assert_eq!(f[0].location.line, 2);
    assert_eq!(f[0].replacement.as_deref(), Some("4301**********1230"));
    assert!(f[0].blocks());

    let f = scan_attachment("名单.xlsx", &workbook());
    let kinds: Vec<FindingKind> = f.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FindingKind::IdNumber,
            FindingKind::Mobile,
            FindingKind::Marking
        ]
    );

    let mut pdf = Pdf::default();
    pdf.page(String::new()).image = true;
    let f = scan_attachment("扫描件.pdf", &pdf.bytes());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::NoText);
    assert!(f[0].blocks() && !f[0].maskable());
    assert!(
        f[0].message
            .starts_with("未能提取文字：PDF 中没有可提取的文字")
    );
}

// ------------------------------------------------ sniffing and others ---

#[test]
fn images_and_other_types() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
    let e = extract_text("照片.png", png);
    assert_eq!(e.kind, Sniffed::Png);
    assert_eq!(
        e.status,
        Status::NoText {
            detail: "图片（PNG）中的文字无法自动提取，须人工查看图片内容".into()
        }
    );
    assert_eq!(e.text, None);
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
    assert_eq!(extract_text("a.jpg", &jpeg).kind, Sniffed::Jpeg);
    assert_eq!(
        extract_text("a.gif", b"GIF89a\x01\0\x01\0").kind,
        Sniffed::Gif
    );
    let webp = extract_text("a.webp", b"RIFF\x10\0\0\0WEBPVP8 ");
    assert_eq!(webp.kind, Sniffed::Webp);
    assert!(matches!(webp.status, Status::NoText { .. }));

    // The name never decides: a PNG called .pdf is a PNG, and says so.
    let e = extract_text("通知.pdf", png);
    assert_eq!(e.kind, Sniffed::Png);
    assert_eq!(
        e.name_mismatch.as_deref(),
        Some("文件名「通知.pdf」的扩展名是 .pdf，但按文件内容识别为：PNG 图片")
    );
    // …and a PDF called .docx is read as a PDF.
    let mut pdf = Pdf::default();
    let t = pdf.text(Font::Latin, 72.0, 700.0, "hello");
    pdf.page(t);
    let e = extract_text("伪装.docx", &pdf.bytes());
    assert_eq!((e.kind, &e.status), (Sniffed::Pdf, &Status::Extracted));
    assert!(e.name_mismatch.is_some());

    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    for (name, bytes, kind) in [
        ("旧.doc", &ole[..], Sniffed::LegacyOffice),
        ("a.txt", "纯文本".as_bytes(), Sniffed::Unknown),
        ("a.zip", &zip(&[("a.txt", b"x")])[..], Sniffed::Zip),
        ("a.ofd", &zip(&[("OFD.xml", b"<ofd/>")])[..], Sniffed::Ofd),
        ("空.pdf", b"", Sniffed::Empty),
    ] {
        let e = extract_text(name, bytes);
        assert_eq!(e.kind, kind, "{name}");
        assert!(
            matches!(e.status, Status::Unsupported { .. }),
            "{name}: {e:?}"
        );
        assert!(e.needs_manual_review());
    }
}

#[test]
fn oversized_files_are_not_read() {
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(gongkai_import::extract::MAX_FILE_BYTES + 1, b' ');
    let e = extract_text("大.pdf", &big);
    let Status::Failed { reason } = &e.status else {
        panic!("{e:?}")
    };
    assert!(reason.starts_with("文件过大"), "{reason}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let e = extract_text("x", &bytes);
        if e.status == Status::Extracted {
            prop_assert!(matches!(e.kind, Sniffed::Pdf | Sniffed::Docx | Sniffed::Xlsx));
        }
    }

    #[test]
    fn never_panics_on_damaged_documents(
        which in 0usize..3,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = match which {
            0 => {
                let mut pdf = Pdf::default();
                let t = pdf.text(Font::Mapped, 72.0, 700.0, "身份证号430104199001011230");
                pdf.page(t);
                pdf.bytes()
            }
            1 => zip(&[("word/document.xml", document(&para("正文")).as_bytes())]),
            _ => workbook(),
        };
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let e = extract_text("x", &bytes);
        // Whatever happened, the result is usable: either text was read in
        // full, or the file is flagged for a person.
        prop_assert!(e.status == Status::Extracted || e.needs_manual_review());
    }
}
