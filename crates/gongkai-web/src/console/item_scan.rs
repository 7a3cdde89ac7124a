//! The pre-publication scan (发布前检查) of one item version, and the
//! one-click masking of what it finds in the text fields.
//!
//! The scanner reads the title, the summary, the visible text of the body
//! and the text of every attachment. The body is stored as sanitised HTML;
//! it is scanned as the text a reader sees, with a map from every text
//! character back to the HTML it came from, so that a mask lands on the
//! stored markup exactly where the number was typed. An attachment whose
//! text cannot be fully extracted (a scanned PDF, an image) — or whose
//! bytes are missing from the file store — becomes a blocking `no_text`
//! finding: it is never passed silently.

use crate::AppState;
use crate::error::AppError;
use gongkai_core::html::SafeHtml;
use gongkai_core::item::{ItemDraft, ItemVersion, ScanReport};
use gongkai_core::scan::{self, Finding, ScanConfig, Scanner};
use gongkai_files::FileKey;
use std::ops::Range;

pub const TITLE: &str = "标题";
pub const SUMMARY: &str = "内容概述";
pub const BODY: &str = "正文";

/// The scanner's field name for an attachment (findings show it as the place).
pub fn attachment_field(name: &str) -> String {
    format!("附件「{name}」")
}

/// No agency keeps a sensitive-term list yet, so every scan uses the
/// default configuration (ID, mobile and card numbers, markings).
fn scanner() -> Scanner {
    Scanner::new(&ScanConfig::default())
}

/// Findings in the title, the summary and the body text.
pub fn text_findings(meta: &ItemDraft) -> Vec<Finding> {
    let body = BodyText::of(&meta.body);
    scanner().scan(&[
        (TITLE, &meta.title),
        (SUMMARY, &meta.summary),
        (BODY, &body.text),
    ])
}

/// Scans a version: text fields, then every attachment (bytes from the
/// file store, text extracted off the async runtime). The report carries
/// the fingerprint of exactly the content that was read.
pub async fn scan_version(state: &AppState, v: &ItemVersion) -> Result<ScanReport, AppError> {
    let mut findings = text_findings(&v.meta);
    for a in &v.attachments {
        let field = attachment_field(&a.name);
        let bytes = match FileKey::parse(&a.storage_key) {
            Some(key) => match state.files.get(&key).await {
                Ok(b) => Some(b),
                Err(gongkai_files::FileError::NotFound { .. }) => None,
                Err(e) => return Err(AppError::Internal(format!("file store: {e}"))),
            },
            None => None,
        };
        let Some(bytes) = bytes else {
            tracing::error!(
                item = v.item_id,
                attachment = a.id,
                "attachment bytes missing"
            );
            findings.push(Finding::no_text(&field, "附件文件在存储中缺失，无法检查"));
            continue;
        };
        let name = a.name.clone();
        let found = tokio::task::spawn_blocking(move || {
            let extracted = gongkai_import::extract::extract_text(&name, &bytes);
            let mut out =
                scanner().scan_field(&field, extracted.text.as_deref().unwrap_or_default());
            if extracted.needs_manual_review() {
                out.push(Finding::no_text(&field, &extracted.status.message()));
            }
            out
        })
        .await
        .map_err(|e| AppError::Internal(format!("attachment scan: {e}")))?;
        findings.extend(found);
    }
    Ok(ScanReport::new(v.fingerprint(), &findings))
}

/// Why a one-click mask was not applied (shown next to the finding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaskRefusal {
    /// The key is not among the current findings of title, summary or body.
    NotInText,
    /// The finding cannot be masked (a marking), or its text spans
    /// formatting in the body.
    Manual(String),
}

impl MaskRefusal {
    pub fn message(&self) -> String {
        match self {
            Self::NotInText => {
                "当前标题、内容概述和正文中已没有这条发现，请重新运行发布前检查".into()
            }
            Self::Manual(m) => m.clone(),
        }
    }
}

/// The metadata with every occurrence of finding `key` in the title,
/// summary or body replaced by its proposed mask.
pub fn mask_key(meta: &ItemDraft, key: &str) -> Result<ItemDraft, MaskRefusal> {
    let hits: Vec<Finding> = text_findings(meta)
        .into_iter()
        .filter(|f| f.key == key)
        .collect();
    let Some(first) = hits.first() else {
        return Err(MaskRefusal::NotInText);
    };
    if !first.maskable() {
        return Err(MaskRefusal::Manual(
            scan::MaskError::NotMaskable(first.kind).to_string(),
        ));
    }
    let mut out = meta.clone();
    fn in_field<'a>(hits: &'a [Finding], name: &'a str) -> impl Iterator<Item = &'a Finding> {
        hits.iter().filter(move |f| f.field == name)
    }
    out.title = scan::mask_all(&meta.title, in_field(&hits, TITLE));
    out.summary = scan::mask_all(&meta.summary, in_field(&hits, SUMMARY));
    let body: Vec<&Finding> = in_field(&hits, BODY).collect();
    if !body.is_empty() {
        let html = BodyText::of(&meta.body)
            .mask(meta.body.as_str(), &body)
            .map_err(MaskRefusal::Manual)?;
        out.body = SafeHtml::sanitize(&html);
    }
    Ok(out)
}

/// The visible text of sanitised HTML, with the HTML byte range every text
/// character came from (`None` for line breaks that stand for tags).
pub struct BodyText {
    pub text: String,
    /// (byte offset in `text`, source range in the HTML), ascending.
    map: Vec<(usize, Option<Range<usize>>)>,
}

/// Tags after which a reader sees a new line.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
];

impl BodyText {
    pub fn of(body: &SafeHtml) -> Self {
        Self::from_html(body.as_str())
    }

    fn from_html(html: &str) -> Self {
        let mut out = BodyText {
            text: String::new(),
            map: Vec::new(),
        };
        let bytes = html.as_bytes();
        let mut i = 0;
        while i < html.len() {
            match bytes[i] {
                b'<' => {
                    let end = tag_end(html, i);
                    let name: String = html[i + 1..end]
                        .trim_start_matches('/')
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if BLOCK_TAGS.contains(&name.as_str())
                        && !out.text.is_empty()
                        && !out.text.ends_with('\n')
                    {
                        out.push('\n', None);
                    }
                    i = end + 1;
                }
                b'&' => {
                    let (c, len) = entity(&html[i..]);
                    out.push(c, Some(i..i + len));
                    i += len;
                }
                _ => {
                    let c = html[i..].chars().next().unwrap_or(' ');
                    out.push(c, Some(i..i + c.len_utf8()));
                    i += c.len_utf8();
                }
            }
        }
        out
    }

    fn push(&mut self, c: char, from: Option<Range<usize>>) {
        self.map.push((self.text.len(), from));
        self.text.push(c);
    }

    /// The HTML range behind text bytes `span`, if it is plain text only.
    fn source(&self, span: &Range<usize>) -> Option<Range<usize>> {
        let first = self.map.partition_point(|(at, _)| *at < span.start);
        let last = self.map.partition_point(|(at, _)| *at < span.end);
        let chars = self.map.get(first..last)?;
        let start = chars.first()?.1.as_ref()?.start;
        let end = chars.last()?.1.as_ref()?.end;
        // A line break that stands for a tag inside the span means the
        // number crosses formatting.
        chars.iter().all(|(_, r)| r.is_some()).then_some(start..end)
    }

    /// `html` (the source of this text) with each finding's HTML range
    /// replaced by its escaped mask.
    fn mask(&self, html: &str, findings: &[&Finding]) -> Result<String, String> {
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        for f in findings {
            let Some(replacement) = &f.replacement else {
                return Err(scan::MaskError::NotMaskable(f.kind).to_string());
            };
            let range = self
                .source(&f.span)
                .filter(|r| !html.get(r.clone()).unwrap_or("<").contains('<'))
                .ok_or("这处内容跨越了正文的格式标记，不能一键遮盖，请在编辑页手工修改")?;
            edits.push((range, escape(replacement)));
        }
        edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        let mut out = html.to_string();
        let mut floor = usize::MAX;
        for (r, with) in edits {
            if r.end > floor {
                continue;
            }
            floor = r.start;
            out.replace_range(r, &with);
        }
        Ok(out)
    }
}

/// The index of the `>` closing the tag that starts at `start` (quotes
/// respected: serialised attributes may contain a raw `>`).
fn tag_end(html: &str, start: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (k, b) in html.bytes().enumerate().skip(start + 1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return k,
            _ => {}
        }
    }
    html.len() - 1
}

/// The character an entity at the start of `s` stands for, and its length;
/// an unknown entity stands for its `&`.
fn entity(s: &str) -> (char, usize) {
    let Some(semi) = s.get(..12).unwrap_or(s).find(';') else {
        return ('&', 1);
    };
    let name = &s[1..semi];
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32),
    };
    match c {
        Some(c) => (c, semi + 1),
        None => ('&', 1),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::item::{DisclosureMode, DocKind, Validity};

    fn meta(body: &str) -> ItemDraft {
        ItemDraft {
            title: "关于张某13800138000的答复".into(),
            summary: "答复".into(),
            body: SafeHtml::sanitize(body),
            issuers: vec!["青岚市民政局".into()],
            doc_number: None,
            written_on: None,
            formed_on: chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
            topic: "civil_affairs".into(),
            column_id: 1,
            genre: "notice".into(),
            keywords: vec![],
            disclosure: DisclosureMode::Proactive,
            doc_kind: DocKind::Other,
            validity: Validity::Effective,
        }
    }

    #[test]
    fn the_body_is_read_as_text_with_entities_and_line_breaks() {
        let t = BodyText::from_html("<p>甲&amp;乙<br>丙&#19969;</p><p>戊</p>");
        assert_eq!(t.text, "甲&乙\n丙丁\n戊\n");
    }

    #[test]
    fn a_body_finding_is_masked_in_the_stored_html() {
        let m = meta("<p>申请人<strong>张三</strong>，身份证号430104199001011230，已办结。</p>");
        let f = text_findings(&m);
        let id = f.iter().find(|f| f.field == BODY).unwrap();
        let masked = mask_key(&m, &id.key).unwrap();
        assert_eq!(
            masked.body.as_str(),
            "<p>申请人<strong>张三</strong>，身份证号4301**********1230，已办结。</p>"
        );
        assert_eq!(masked.title, m.title, "other keys untouched");
        assert!(text_findings(&masked).iter().all(|x| x.field != BODY));
    }

    #[test]
    fn title_findings_are_masked_and_unknown_keys_refused() {
        let m = meta("<p>正文</p>");
        let key = text_findings(&m)[0].key.clone();
        assert_eq!(
            mask_key(&m, &key).unwrap().title,
            "关于张某138****8000的答复"
        );
        assert_eq!(mask_key(&m, "id_number:0"), Err(MaskRefusal::NotInText));
    }

    #[test]
    fn a_number_split_by_formatting_is_left_to_a_person() {
        let m = meta("<p>电话138<em>0013</em>8000</p>");
        let f = text_findings(&m);
        let hit = f
            .iter()
            .find(|f| f.field == BODY)
            .expect("the number is read across inline tags");
        assert!(matches!(
            mask_key(&m, &hit.key),
            Err(MaskRefusal::Manual(_))
        ));
    }

    #[test]
    fn markings_are_not_masked() {
        let m = meta("<p>（内部资料）</p>");
        let f = text_findings(&m);
        let mark = f.iter().find(|f| f.field == BODY).unwrap();
        assert!(matches!(
            mask_key(&m, &mark.key),
            Err(MaskRefusal::Manual(_))
        ));
    }
}
