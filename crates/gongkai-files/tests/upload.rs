//! `accept_upload` on real file shapes: what is let through and what is
//! refused, with the message the console shows.

use std::io::Write;

use gongkai_files::{Disposition, FileKey, Sniffed, UploadError, UploadLimits, accept_upload};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
const EXE: &[u8] =
    b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0This program cannot be run in DOS mode.";
const HTML: &[u8] = b"<!DOCTYPE html><html><script>alert(1)</script></html>";

fn zip_with(entries: &[&str]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"<x/>").unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn limits() -> UploadLimits {
    UploadLimits::default()
}

#[test]
fn accepted_types_pass_with_sniffed_media_type() {
    let docx = zip_with(&["[Content_Types].xml", "word/document.xml"]);
    let xlsx = zip_with(&["[Content_Types].xml", "xl/workbook.xml"]);
    let cases: [(&str, &[u8], Sniffed, &str); 5] = [
        ("附件1：实施细则.pdf", PDF, Sniffed::Pdf, "application/pdf"),
        (
            "通知.DOCX",
            &docx,
            Sniffed::Docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "2024年预算公开表.xlsx",
            &xlsx,
            Sniffed::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("现场照片.png", PNG, Sniffed::Png, "image/png"),
        ("现场照片.jpg", JPEG, Sniffed::Jpeg, "image/jpeg"),
    ];
    for (name, bytes, kind, mime) in cases {
        let a = accept_upload(name, bytes, &limits()).unwrap();
        assert_eq!(a.file_name, name);
        assert_eq!(a.kind, kind);
        assert_eq!(a.media_type, mime);
        assert_eq!(a.size, bytes.len() as u64);
        assert_eq!(a.key, FileKey::of(bytes));
        assert_eq!(a.sha256, a.key.sha256_hex());
    }
}

#[test]
fn accepted_upload_fits_the_item_model() {
    let a = accept_upload(" 附件1：实施细则.pdf ", PDF, &limits()).unwrap();
    let rec = a.to_new_attachment().validate().unwrap();
    assert_eq!(rec.name, "附件1：实施细则.pdf");
    assert_eq!(rec.media_type, "application/pdf");
    assert_eq!(rec.size, PDF.len() as i64);
    assert_eq!(rec.storage_key, FileKey::of(PDF).as_str());
    assert_eq!(
        a.content_disposition(Disposition::Inline),
        "inline; filename=\"1.pdf\"; filename*=UTF-8''%E9%99%84%E4%BB%B61%EF%BC%9A%E5%AE%9E%E6%96%BD%E7%BB%86%E5%88%99.pdf"
    );
}

#[test]
fn a_name_without_extension_gets_the_right_one() {
    let a = accept_upload("关于2024.3月份工作安排", PDF, &limits()).unwrap();
    assert_eq!(a.file_name, "关于2024.3月份工作安排.pdf");
    let a = accept_upload("方案v1.2", PNG, &limits()).unwrap();
    assert_eq!(a.file_name, "方案v1.2.png");
}

#[test]
fn oversize_is_refused() {
    let small = UploadLimits {
        max_bytes: 40,
        ..limits()
    };
    let err = accept_upload("通知.pdf", PDF, &small).unwrap_err();
    assert_eq!(
        err,
        UploadError::TooLarge {
            size: PDF.len() as u64,
            max: 40
        }
    );
    let big = vec![b'%'; 60 * 1024 * 1024];
    let err = accept_upload("大文件.pdf", &big, &limits()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "文件大小为 60 MB，超过了 50 MB 的上限；请压缩或拆分后上传"
    );
}

#[test]
fn empty_file_is_refused() {
    let err = accept_upload("通知.pdf", b"", &limits()).unwrap_err();
    assert_eq!(err, UploadError::Empty);
    assert_eq!(err.to_string(), "文件是空的（0 字节），请检查后重新上传");
}

#[test]
fn spoofed_extensions_are_refused() {
    let zip = zip_with(&["readme.txt"]);
    for (bytes, kind) in [
        (EXE, Sniffed::Unknown),
        (HTML, Sniffed::Unknown),
        (&zip[..], Sniffed::Zip),
    ] {
        let err = accept_upload("通知.pdf", bytes, &limits()).unwrap_err();
        assert_eq!(
            err,
            UploadError::NotAllowed {
                name: "通知.pdf".into(),
                kind
            }
        );
    }
    let err = accept_upload("通知.pdf", EXE, &limits()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "「通知.pdf」的文件内容无法识别，不能作为附件上传。只接受 PDF、DOCX、XLSX 文件和 PNG、JPEG 图片"
    );
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    let err = accept_upload("旧文件.docx", &ole, &limits()).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("；旧版 Office/WPS 文件请另存为 DOCX、XLSX 或 PDF 后上传"),
        "{err}"
    );
    // GIF is a real image but not on the list.
    let err = accept_upload("动图.gif", b"GIF89a\x01\0\x01\0", &limits()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "「动图.gif」的文件内容是 GIF 图片，不能作为附件上传。只接受 PDF、DOCX、XLSX 文件和 PNG、JPEG 图片"
    );
}

#[test]
fn name_and_content_must_agree() {
    let err = accept_upload("通知.pdf", PNG, &limits()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "文件名「通知.pdf」的扩展名是 .pdf，但文件内容是 PNG 图片。请确认选择的文件无误；如文件本身正确，请把扩展名改为 .png 后重新上传"
    );
    let docx = zip_with(&["word/document.xml"]);
    let err = accept_upload("预算表.xlsx", &docx, &limits()).unwrap_err();
    assert!(matches!(
        err,
        UploadError::NameMismatch { kind: Sniffed::Docx, ref extension, .. } if extension == "xlsx"
    ));
}

#[test]
fn path_traversal_names_are_refused() {
    for name in [
        "../../etc/passwd.pdf",
        "/etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "C:\\Users\\李\\通知.pdf",
    ] {
        match accept_upload(name, PDF, &limits()) {
            Err(UploadError::BadName(msg)) => assert!(msg.contains("路径"), "{msg}"),
            other => panic!("{name}: expected BadName, got {other:?}"),
        }
    }
    for name in ["", "..", " . ", "\u{202E}\u{200B}"] {
        assert!(
            matches!(
                accept_upload(name, PDF, &limits()),
                Err(UploadError::BadName(_))
            ),
            "{name:?}"
        );
    }
}
