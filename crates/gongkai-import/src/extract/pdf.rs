//! PDF text through lopdf (MIT, pure Rust, maintained; chosen over
//! pdf-extract, which pins an older lopdf and adds a font stack for layout
//! we do not need).
//!
//! lopdf parses the file (with a bound on every decompressed stream) and
//! decodes strings through each font's encoding or `/ToUnicode` map. The
//! content streams are walked here rather than with lopdf's own
//! `extract_text`, for three reasons that matter to the scanner:
//! * **Layout.** Text pieces are joined by position: a piece on a new
//!   baseline starts a new line, a piece after a gap of more than about one
//!   em gets a space, and pieces that follow each other directly are
//!   glued. So a phone number typeset glyph by glyph, or split over several
//!   text objects, comes out whole, and two table cells do not run
//!   together into one long number.
//! * **Chinese encodings.** Type0 fonts with the predefined GB/Big5/Unicode
//!   CMaps (`GBK-EUC-H`, `UniGB-UCS2-H`, `B5pc-H` …) are decoded with the
//!   matching character set. A Type0 font with `Identity-H` and no
//!   `/ToUnicode` map cannot be decoded at all; its text is counted as
//!   unreadable instead of being turned into Latin-1 garbage.
//! * **Coverage.** Form XObjects (where some producers put all page content,
//!   and where stamps live) are walked too; image XObjects, inline images
//!   and painted paths are counted, so that a page with no text but with an
//!   image or with many filled paths (a scan, or text converted to
//!   outlines) is reported for manual review, while an empty page is not.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object, ObjectId};

use super::{MAX_PDF_PAGES, MAX_PDF_STREAM_BYTES, Read, Status};

/// Nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 8;
/// Content operations executed per page (forms included): a small file
/// drawing one form thousands of times must not run for minutes.
const MAX_OPS_PER_PAGE: usize = 2_000_000;
/// Painted paths on a page without text from which it is taken to hold
/// text drawn as outlines.
const OUTLINE_PATHS: usize = 30;

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn matrix(ops: &[Object]) -> Option<Matrix> {
    let v: Vec<f32> = ops
        .iter()
        .map(|o| o.as_float().ok())
        .collect::<Option<_>>()?;
    let m: Matrix = v.try_into().ok()?;
    m.iter().all(|x| x.is_finite()).then_some(m)
}

fn num(ops: &[Object], i: usize) -> Option<f32> {
    ops.get(i)?.as_float().ok().filter(|x| x.is_finite())
}

/// How a font's strings become text.
enum Decoder<'a> {
    Pdf(Encoding<'a>),
    Charset(&'static encoding_rs::Encoding),
    Unreadable,
}

/// Character sets of the predefined CJK CMaps: the codes are the bytes of
/// that encoding.
fn charset(cmap: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let name = std::str::from_utf8(cmap).ok()?;
    let base = name
        .strip_suffix("-H")
        .or_else(|| name.strip_suffix("-V"))?;
    match base {
        "GB-EUC" | "GBpc-EUC" | "GBK-EUC" | "GBKp-EUC" | "GBK2K" => Some(encoding_rs::GB18030),
        "B5pc" | "ETen-B5" | "HKscs-B5" | "ETenms-B5" | "HKdla-B5" | "HKm471-B5" => {
            Some(encoding_rs::BIG5)
        }
        "UniGB-UCS2" | "UniGB-UTF16" | "UniCNS-UCS2" | "UniCNS-UTF16" => {
            Some(encoding_rs::UTF_16BE)
        }
        "UniGB-UTF8" | "UniCNS-UTF8" => Some(encoding_rs::UTF_8),
        _ => None,
    }
}

fn decoder<'a>(doc: &'a Document, font: &'a Dictionary) -> Decoder<'a> {
    let name = |key: &[u8]| font.get(key).and_then(Object::as_name).ok();
    if let Some(cs) = name(b"Encoding").and_then(charset) {
        return Decoder::Charset(cs);
    }
    if name(b"Subtype") == Some(b"Type0".as_slice()) {
        if font.get(b"ToUnicode").is_err() {
            return Decoder::Unreadable;
        }
        // Only the /ToUnicode map can decode a composite font whose CMap
        // lopdf does not know; lopdf would otherwise fall back to a
        // one-byte Latin encoding.
        let mut only_map = font.clone();
        only_map.remove(b"Encoding");
        return match only_map.get_font_encoding_with_limit(doc, MAX_PDF_STREAM_BYTES) {
            Ok(Encoding::UnicodeMapEncoding(map)) => {
                Decoder::Pdf(Encoding::UnicodeMapEncoding(map))
            }
            _ => Decoder::Unreadable,
        };
    }
    match font.get_font_encoding_with_limit(doc, MAX_PDF_STREAM_BYTES) {
        Ok(e) => Decoder::Pdf(e),
        Err(_) => Decoder::Unreadable,
    }
}

/// Width estimate of a character, in ems, for gap detection only.
fn em_width(c: char) -> f32 {
    match c {
        ' ' => 0.25,
        c if c.is_ascii() => 0.55,
        _ => 1.0,
    }
}

/// Resource dictionaries in lookup order (a form's own, then its parent's).
#[derive(Clone)]
struct Scope<'a> {
    dicts: Vec<&'a Dictionary>,
}

impl<'a> Scope<'a> {
    fn lookup(&self, doc: &'a Document, category: &[u8], name: &[u8]) -> Option<&'a Object> {
        self.dicts.iter().find_map(|res| {
            let cat = doc
                .dereference(res.get(category).ok()?)
                .ok()?
                .1
                .as_dict()
                .ok()?;
            Some(doc.dereference(cat.get(name).ok()?).ok()?.1)
        })
    }
}

/// What a page yielded.
#[derive(Default)]
struct Page {
    text: String,
    /// Text shown in fonts that cannot be decoded.
    unreadable_runs: usize,
    images: usize,
    paths: usize,
    /// Content that could not be decoded or went over a limit.
    broken: bool,
}

struct Walker<'a> {
    doc: &'a Document,
    page: Page,
    ops: usize,
    /// Device-space end (estimated) and baseline of the last text shown,
    /// and its line height.
    pen: Option<(f32, f32, f32)>,
}

/// Text state of one content stream (reset per form, as the PDF model
/// keeps it per graphics state; close enough for extraction).
struct TextState<'a> {
    ctm: Matrix,
    stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    size: f32,
    leading: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    font: Option<Rc<Decoder<'a>>>,
    /// A positioning operator ran since the last text was shown.
    moved: bool,
    /// `T*`, `'`, `"`: a new line whatever the positions say.
    new_line: bool,
}

impl<'a> Walker<'a> {
    fn run(&mut self, data: &[u8], scope: &Scope<'a>, ctm: Matrix, depth: usize) {
        let Ok(content) = Content::decode(data) else {
            self.page.broken = true;
            return;
        };
        let mut fonts: HashMap<Vec<u8>, Rc<Decoder<'a>>> = HashMap::new();
        let mut st = TextState {
            ctm,
            stack: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            size: 1.0,
            leading: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            font: None,
            moved: true,
            new_line: false,
        };
        for op in &content.operations {
            self.ops += 1;
            if self.ops > MAX_OPS_PER_PAGE {
                self.page.broken = true;
                return;
            }
            let o = op.operands.as_slice();
            match op.operator.as_str() {
                "q" if st.stack.len() < 256 => st.stack.push(st.ctm),
                "Q" => st.ctm = st.stack.pop().unwrap_or(ctm),
                "cm" => {
                    if let Some(m) = matrix(o) {
                        st.ctm = mul(&m, &st.ctm);
                    }
                }
                "BT" => {
                    st.tm = IDENTITY;
                    st.tlm = IDENTITY;
                    st.moved = true;
                }
                "Tf" => {
                    st.size = num(o, 1).unwrap_or(st.size);
                    st.font = o.first().and_then(|n| n.as_name().ok()).map(|name| {
                        fonts
                            .entry(name.to_vec())
                            .or_insert_with(|| {
                                let font = scope
                                    .lookup(self.doc, b"Font", name)
                                    .and_then(|f| f.as_dict().ok());
                                Rc::new(match font {
                                    Some(f) => decoder(self.doc, f),
                                    None => Decoder::Unreadable,
                                })
                            })
                            .clone()
                    });
                }
                "Tc" => st.char_spacing = num(o, 0).unwrap_or(0.0),
                "Tw" => st.word_spacing = num(o, 0).unwrap_or(0.0),
                "Tz" => st.scale = num(o, 0).unwrap_or(100.0) / 100.0,
                "TL" => st.leading = num(o, 0).unwrap_or(0.0),
                "Td" | "TD" => {
                    let (tx, ty) = (num(o, 0).unwrap_or(0.0), num(o, 1).unwrap_or(0.0));
                    if op.operator == "TD" {
                        st.leading = -ty;
                    }
                    st.tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &st.tlm);
                    st.tm = st.tlm;
                    st.moved = true;
                }
                "Tm" => {
                    if let Some(m) = matrix(o) {
                        st.tm = m;
                        st.tlm = m;
                        st.moved = true;
                    }
                }
                "T*" => next_line(&mut st),
                "Tj" | "TJ" => self.show(&mut st, o),
                "'" => {
                    next_line(&mut st);
                    self.show(&mut st, o);
                }
                "\"" => {
                    st.word_spacing = num(o, 0).unwrap_or(st.word_spacing);
                    st.char_spacing = num(o, 1).unwrap_or(st.char_spacing);
                    next_line(&mut st);
                    self.show(&mut st, o.get(2..).unwrap_or_default());
                }
                "Do" => {
                    if let Some(name) = o.first().and_then(|n| n.as_name().ok()) {
                        self.xobject(scope, name, &st.ctm, depth);
                    }
                }
                "BI" => self.page.images += 1,
                "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "S" | "s" | "sh" => {
                    self.page.paths += 1;
                }
                _ => {}
            }
        }
    }

    fn xobject(&mut self, scope: &Scope<'a>, name: &[u8], ctm: &Matrix, depth: usize) {
        let Some(stream) = scope
            .lookup(self.doc, b"XObject", name)
            .and_then(|x| x.as_stream().ok())
        else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => self.page.images += 1,
            Ok(b"Form") => {
                if depth >= MAX_FORM_DEPTH {
                    self.page.broken = true;
                    return;
                }
                let Ok(data) = stream.decompressed_content_with_limit(MAX_PDF_STREAM_BYTES) else {
                    self.page.broken = true;
                    return;
                };
                let m = stream
                    .dict
                    .get(b"Matrix")
                    .and_then(Object::as_array)
                    .ok()
                    .and_then(|a| matrix(a))
                    .unwrap_or(IDENTITY);
                let mut inner = scope.clone();
                if let Some(res) = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|r| self.doc.dereference(r).ok())
                    .and_then(|(_, r)| r.as_dict().ok())
                {
                    inner.dicts.insert(0, res);
                }
                self.run(&data, &inner, mul(&m, ctm), depth + 1);
            }
            _ => {}
        }
    }

    fn show(&mut self, st: &mut TextState<'a>, operands: &[Object]) {
        let Some(font) = st.font.clone() else {
            self.page.unreadable_runs += 1;
            return;
        };
        let mut piece = String::new();
        let mut ems = 0.0f32;
        let mut unreadable = false;
        let mut strings: Vec<&Object> = Vec::new();
        for o in operands {
            match o {
                Object::Array(items) => strings.extend(items.iter()),
                other => strings.push(other),
            }
        }
        for item in strings {
            match item {
                Object::String(bytes, _) => {
                    let before = piece.len();
                    match font.as_ref() {
                        Decoder::Pdf(enc) => {
                            if enc.write_to_string(bytes, &mut piece).is_err() {
                                unreadable = true;
                            }
                        }
                        Decoder::Charset(cs) => {
                            piece.push_str(&cs.decode_without_bom_handling(bytes).0);
                        }
                        Decoder::Unreadable => {
                            unreadable = true;
                            ems += bytes.len() as f32 / 2.0;
                        }
                    }
                    let size = st.size.abs().max(0.001);
                    for c in piece.get(before..).unwrap_or_default().chars() {
                        ems += em_width(c) + st.char_spacing / size;
                        if c == ' ' {
                            ems += st.word_spacing / size;
                        }
                    }
                }
                Object::Integer(_) | Object::Real(_) => {
                    let n = item.as_float().unwrap_or(0.0);
                    ems -= n / 1000.0;
                    // Half an em of extra space inside a TJ array is a word
                    // gap (TeX-style output); smaller ones are kerning or
                    // justification, common between CJK glyphs.
                    if n < -500.0 && !piece.ends_with(' ') {
                        piece.push(' ');
                    }
                }
                _ => {}
            }
        }
        if unreadable {
            self.page.unreadable_runs += 1;
        }
        let m = mul(&st.tm, &st.ctm);
        let em_x = st.size * st.scale * m[0].hypot(m[1]);
        let em_y = (st.size * m[2].hypot(m[3])).abs();
        let (x, y) = (m[4], m[5]);
        if let Some((end_x, base_y, line_h)) = self.pen
            && (st.moved || st.new_line)
        {
            let tol = 0.5 * line_h.max(em_y).max(0.01);
            if st.new_line || (y - base_y).abs() > tol || x < end_x - em_x.abs().max(0.01) * 2.0 {
                push_break(&mut self.page.text, '\n');
            } else if x - end_x > em_x.abs() {
                push_break(&mut self.page.text, ' ');
            }
        }
        self.page.text.push_str(&piece);
        // Advance the text matrix as a renderer would (approximately), so
        // that a following piece without positioning continues this one.
        let advance = ems * st.size * st.scale;
        st.tm = mul(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], &st.tm);
        let end = mul(&st.tm, &st.ctm);
        self.pen = Some((end[4], y, em_y));
        st.moved = false;
        st.new_line = false;
    }
}

fn next_line(st: &mut TextState<'_>) {
    st.tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], &st.tlm);
    st.tm = st.tlm;
    st.moved = true;
    st.new_line = true;
}

fn push_break(text: &mut String, c: char) {
    if !text.is_empty() && !text.ends_with(['\n', ' ']) {
        text.push(c);
    } else if c == '\n' && text.ends_with(' ') {
        text.pop();
        text.push('\n');
    }
}

/// Unicode compatibility forms that some producers' `/ToUnicode` maps
/// emit (Kangxi radicals such as `⽂` for `文`) are folded to the unified
/// ideographs people type, so the scanner's terms and markings match.
fn fold_radicals(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.chars()
        .flat_map(|c| {
            let compat = matches!(c, '\u{2E80}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}');
            let mut v: Vec<char> = Vec::with_capacity(1);
            if compat {
                v.extend(c.to_string().nfkc());
            } else {
                v.push(c);
            }
            v
        })
        .collect()
}

/// Share of characters that are not text: replacement characters, private
/// use, controls.
fn garbage_share(text: &str) -> f32 {
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        if c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) || c.is_control() {
            bad += 1;
        }
    }
    if all == 0 {
        0.0
    } else {
        bad as f32 / all as f32
    }
}

fn load_error(e: &lopdf::Error) -> Status {
    let reason = match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => {
            "PDF 已加密（需要密码），无法读取文字".to_string()
        }
        lopdf::Error::Decompress(_) => format!(
            "PDF 中的数据流解压后超过 {} MB 或已损坏，未读取",
            MAX_PDF_STREAM_BYTES / (1024 * 1024)
        ),
        other => format!("PDF 结构已损坏，无法读取（{other}）"),
    };
    Status::Failed { reason }
}

fn page_list(pages: &[u32]) -> String {
    let shown: Vec<String> = pages.iter().take(20).map(u32::to_string).collect();
    let more = if pages.len() > 20 {
        format!("等 {} 页", pages.len())
    } else {
        String::new()
    };
    format!("第 {} 页{more}", shown.join("、"))
}

pub(crate) fn read(bytes: &[u8]) -> Result<Read, Status> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_PDF_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| load_error(&e))?;
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if pages.is_empty() {
        return Err(Status::Failed {
            reason: "PDF 中没有页面".into(),
        });
    }
    let mut text = String::new();
    let mut unreadable: Vec<u32> = Vec::new();
    let mut with_images: Vec<u32> = Vec::new();
    let mut readable_pages = 0usize;
    for (number, id) in pages.iter().take(MAX_PDF_PAGES) {
        let page = read_page(&doc, *id);
        let page_text = fold_radicals(&page.text);
        let has_text = !page_text.trim().is_empty() && garbage_share(&page_text) < 0.3;
        let drawn = page.images > 0 || page.paths >= OUTLINE_PATHS;
        if has_text {
            readable_pages += 1;
            text.push_str(&format!("【第 {number} 页】\n{}\n", page_text.trim_end()));
            if page.images > 0 {
                with_images.push(*number);
            }
        }
        if page.broken || page.unreadable_runs > 0 || (!has_text && drawn) {
            unreadable.push(*number);
        }
    }
    let mut notes = Vec::new();
    if !with_images.is_empty() {
        notes.push(format!(
            "{}含图片（如印章、照片），图片中的文字未检查",
            page_list(&with_images)
        ));
    }
    let skipped = pages.len().saturating_sub(MAX_PDF_PAGES);
    let status = if readable_pages == 0 && !unreadable.is_empty() {
        Status::NoText {
            detail: "PDF 中没有可提取的文字（可能是扫描件、图片或文字已转为曲线），须人工逐页查看"
                .into(),
        }
    } else if !unreadable.is_empty() || skipped > 0 {
        let mut parts = Vec::new();
        if !unreadable.is_empty() {
            parts.push(format!(
                "{}的文字无法提取（扫描页、图片、曲线文字或无法识别的字体编码），须人工查看这些页",
                page_list(&unreadable)
            ));
        }
        if skipped > 0 {
            parts.push(format!(
                "超过 {MAX_PDF_PAGES} 页，其后的 {skipped} 页未检查"
            ));
        }
        Status::Partial {
            detail: parts.join("；"),
        }
    } else {
        Status::Extracted
    };
    Ok(Read {
        text: super::tidy(&text),
        status,
        notes,
    })
}

fn read_page(doc: &Document, id: ObjectId) -> Page {
    let mut w = Walker {
        doc,
        page: Page::default(),
        ops: 0,
        pen: None,
    };
    let Ok(data) = doc.get_page_content_with_limit(id, MAX_PDF_STREAM_BYTES) else {
        w.page.broken = true;
        return w.page;
    };
    let mut scope = Scope { dicts: Vec::new() };
    if let Ok((dict, ids)) = doc.get_page_resources(id) {
        scope.dicts.extend(dict);
        scope
            .dicts
            .extend(ids.iter().filter_map(|i| doc.get_dictionary(*i).ok()));
    }
    w.run(&data, &scope, IDENTITY, 0);
    w.page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_cmaps() {
        assert_eq!(charset(b"GBK-EUC-H"), Some(encoding_rs::GB18030));
        assert_eq!(charset(b"UniGB-UCS2-V"), Some(encoding_rs::UTF_16BE));
        assert_eq!(charset(b"Identity-H"), None);
        assert_eq!(charset(b"WinAnsiEncoding"), None);
    }

    #[test]
    fn radicals_fold_to_ideographs() {
        assert_eq!(fold_radicals("⽂件⾦额"), "文件金额");
        assert_eq!(fold_radicals("１２３"), "１２３");
    }

    #[test]
    fn garbage_is_measured() {
        assert!(garbage_share("\u{FFFD}\u{E001}a") > 0.5);
        assert_eq!(garbage_share("政府 信息"), 0.0);
    }
}
