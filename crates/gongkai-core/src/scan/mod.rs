//! The pre-publication scanner (发布前检查): finds personal data and
//! classification markings in the text of an item — title, body, extracted
//! attachment text — before it is published (先审查、后公开).
//!
//! ```
//! use gongkai_core::scan::{self, FindingKind, ScanConfig};
//!
//! let findings = scan::scan(
//!     &[("标题", "关于张某申请的答复"), ("正文", "身份证号430104199001011230，电话138 0013 8000。")],
//!     &ScanConfig::default(),
//! );
//! assert_eq!(findings.len(), 2);
//! assert_eq!(findings[0].kind, FindingKind::IdNumber);
//! assert_eq!(findings[0].replacement.as_deref(), Some("4301**********1230"));
//! assert_eq!(findings[1].matched, "138 0013 8000");
//! let masked = scan::mask_all("身份证号430104199001011230，电话138 0013 8000。", &findings);
//! assert_eq!(masked, "身份证号4301**********1230，电话138****8000。");
//! ```
//!
//! Detectors, one module per family (their rules are in their docs and in
//! `docs/scanner.md`): `id` 居民身份证号码, `phone` mobile numbers,
//! `card` bank cards, `marking` 密级 and 内部 markings, `term` the
//! configured sensitive terms. Matching runs on a folded view of the text
//! (full-width → ASCII, 繁→简, spaces and dashes unified) that is aligned
//! character for character with the original, so every span points into
//! the text as typed.
//!
//! Findings are deterministic: ordered by field (in the order given) and
//! position; where detections overlap, the longest wins (then ID number,
//! bank card, mobile, marking, term), so each span has one finding.

mod card;
mod fold;
mod id;
mod marking;
mod mask;
mod numbers;
mod phone;
mod term;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use mask::{MaskError, mask, mask_all};

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 居民身份证号码 (18 digits with a valid check character, or 15 digits).
    IdNumber,
    /// 中国大陆手机号码.
    Mobile,
    /// 银行卡号 (16–19 digits, Luhn).
    BankCard,
    /// 密级标志 or an 内部 stamp; never masked.
    Marking,
    /// A term from the configured sensitive-term list.
    Term,
    /// An attachment whose text could not be extracted: the whole file
    /// needs a human look. Produced by [`Finding::no_text`].
    NoText,
}

impl FindingKind {
    pub const ALL: [FindingKind; 6] = [
        Self::IdNumber,
        Self::Mobile,
        Self::BankCard,
        Self::Marking,
        Self::Term,
        Self::NoText,
    ];

    /// Stable identifier (stored, used in URLs and JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IdNumber => "id_number",
            Self::Mobile => "mobile",
            Self::BankCard => "bank_card",
            Self::Marking => "marking",
            Self::Term => "term",
            Self::NoText => "no_text",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Chinese label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::IdNumber => "身份证号码",
            Self::Mobile => "手机号码",
            Self::BankCard => "银行卡号",
            Self::Marking => "密级标志",
            Self::Term => "敏感词",
            Self::NoText => "无法提取文字",
        }
    }

    /// Tie-break among detections of the same length: the more specific
    /// and more harmful reading wins.
    fn rank(self) -> u8 {
        match self {
            Self::IdNumber => 0,
            Self::BankCard => 1,
            Self::Mobile => 2,
            Self::Marking => 3,
            Self::Term => 4,
            Self::NoText => 5,
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Whether a finding stops publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks publication until the text is fixed (masked, marking
    /// removed) or a reviewer overrides the finding with a reason.
    Block,
    /// Shown to the reviewer; does not block (a marking word used in prose,
    /// such as 机密文件 or 依法不予公开).
    Notice,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Block => "block",
            Self::Notice => "notice",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Block => "须处理",
            Self::Notice => "提示",
        }
    }
}

/// Where a finding is, for people: 1-based line and column (in
/// characters, not bytes) and the 0-based character offset in the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第 {} 行第 {} 字", self.line, self.column)
    }
}

/// A short piece of the line around a finding. `before` starts with `…`
/// and `after` ends with `…` when the line goes on; rendered by `Display`
/// as `…前文【命中】后文…` (a page renders `hit` in a `<mark>` instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    pub before: String,
    pub hit: String,
    pub after: String,
}

impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}【{}】{}", self.before, self.hit, self.after)
    }
}

/// One detection in one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// The field's name as given to the scanner (`标题`, `正文`,
    /// `附件「通知.pdf」` …).
    pub field: String,
    /// The text exactly as it stands in the field (`field_text[span]`).
    pub matched: String,
    /// Byte range in the field's text; always on character boundaries.
    pub span: Range<usize>,
    pub location: Location,
    pub excerpt: Excerpt,
    /// The proposed masked text for `span` (`4301**********1234`,
    /// `138****8000`); `None` for markings and unreadable attachments,
    /// which a reviewer must deal with.
    pub replacement: Option<String>,
    /// Chinese explanation for the reviewer.
    pub message: String,
    /// Stable identity of what was found — kind, field and the normalised
    /// matched text, hashed — so that an override recorded against a
    /// finding still applies when the text is rescanned after unrelated
    /// edits, and so that overrides can be stored and audited without
    /// copying the personal data itself. Equal numbers in one field share
    /// a key.
    pub key: String,
}

impl Finding {
    /// True when this finding stops publication until fixed or overridden.
    pub fn blocks(&self) -> bool {
        self.severity == Severity::Block
    }

    /// True when [`mask`] can fix it.
    pub fn maskable(&self) -> bool {
        self.replacement.is_some()
    }

    /// The finding for an attachment whose text could not be read (a
    /// scanned PDF, an image, an unsupported format): it blocks until a
    /// reviewer has looked at the file and overrides it with a reason.
    /// `detail` says why (e.g. the extraction status message).
    pub fn no_text(field: &str, detail: &str) -> Finding {
        Finding {
            kind: FindingKind::NoText,
            severity: Severity::Block,
            field: field.to_string(),
            matched: String::new(),
            span: 0..0,
            location: Location {
                line: 1,
                column: 1,
                offset: 0,
            },
            excerpt: Excerpt {
                before: String::new(),
                hit: String::new(),
                after: String::new(),
            },
            replacement: None,
            message: format!("{detail}：须由审查人逐页人工检查该附件后说明理由放行"),
            key: key(FindingKind::NoText, field, ""),
        }
    }
}

fn key(kind: FindingKind, field: &str, normalised: &str) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_str());
    h.update([0]);
    h.update(field);
    h.update([0]);
    h.update(normalised);
    let digest = hex::encode(h.finalize());
    format!("{}:{}", kind.as_str(), digest.get(..16).unwrap_or_default())
}

/// Scanner settings (an agency's configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScanConfig {
    /// Sensitive terms; matched after width, case and 繁→简 folding.
    pub terms: Vec<String>,
    /// Characters of context on each side in [`Excerpt`]s.
    pub excerpt_chars: usize,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            terms: Vec::new(),
            excerpt_chars: 12,
        }
    }
}

/// A scanner with its term list prepared; cheap to reuse for many items.
#[derive(Debug, Clone)]
pub struct Scanner {
    terms: Vec<term::Term>,
    excerpt_chars: usize,
}

/// Line boundaries of a folded text, computed once per field so that
/// locating many findings stays linear.
pub(crate) struct Lines {
    newlines: Vec<usize>,
    len: usize,
}

impl Lines {
    pub(crate) fn new(c: &[char]) -> Self {
        Self {
            newlines: c
                .iter()
                .enumerate()
                .filter(|(_, x)| **x == '\n')
                .map(|(i, _)| i)
                .collect(),
            len: c.len(),
        }
    }

    /// 0-based line index of character `i`.
    pub(crate) fn line_of(&self, i: usize) -> usize {
        self.newlines.partition_point(|n| *n < i)
    }

    /// Characters of the line holding `i..j` (j on the same line): from
    /// after the previous newline to before the next one.
    pub(crate) fn bounds(&self, i: usize, j: usize) -> (usize, usize) {
        let l = self.line_of(i);
        let start = l
            .checked_sub(1)
            .and_then(|p| self.newlines.get(p))
            .map_or(0, |n| n + 1);
        let k = self.newlines.partition_point(|n| *n < j);
        let end = self.newlines.get(k).copied().unwrap_or(self.len);
        (start, end)
    }
}

/// A detection before overlap resolution, in folded-character positions.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub kind: FindingKind,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub replacement: Option<String>,
    /// Normalised matched text (digits, folded words), hashed into the key.
    pub key: String,
}

impl Scanner {
    pub fn new(config: &ScanConfig) -> Self {
        Self {
            terms: term::prepare(&config.terms),
            excerpt_chars: config.excerpt_chars,
        }
    }

    /// Scans named fields (`("标题", title)`, `("正文", body)`,
    /// `("附件「x.pdf」", text)` …); findings ordered by field, then position.
    pub fn scan(&self, fields: &[(&str, &str)]) -> Vec<Finding> {
        fields
            .iter()
            .flat_map(|(name, text)| self.scan_field(name, text))
            .collect()
    }

    /// Scans one field.
    pub fn scan_field(&self, field: &str, text: &str) -> Vec<Finding> {
        let chars = fold::fold(text);
        let folded: Vec<char> = chars.iter().map(|f| f.c).collect();
        let mut hits = Vec::new();
        for c in numbers::candidates(&chars) {
            if let Some(form) = id::check(&c) {
                let message = match form {
                    id::IdForm::Eighteen => "居民身份证号码（18 位，校验位正确）：公开前须遮盖",
                    id::IdForm::Fifteen => "居民身份证号码（15 位旧号码）：公开前须遮盖",
                };
                hits.push(Hit {
                    kind: FindingKind::IdNumber,
                    severity: Severity::Block,
                    start: c.start,
                    end: c.end,
                    message: message.into(),
                    replacement: Some(id::mask(&c.digits, form)),
                    key: c.digits.clone(),
                });
            }
            if phone::check(&c) {
                let start = c.prefix.unwrap_or(c.start);
                let prefix = byte_range(&chars, start, c.start).and_then(|r| text.get(r));
                hits.push(Hit {
                    kind: FindingKind::Mobile,
                    severity: Severity::Block,
                    start,
                    end: c.end,
                    message: "手机号码：公开前须遮盖".into(),
                    replacement: Some(format!(
                        "{}{}",
                        prefix.unwrap_or_default(),
                        phone::mask(&c.digits)
                    )),
                    key: c.digits.clone(),
                });
            }
            if card::check(&c, &chars) {
                hits.push(Hit {
                    kind: FindingKind::BankCard,
                    severity: Severity::Block,
                    start: c.start,
                    end: c.end,
                    message: "银行卡号（16–19 位，通过 Luhn 校验）：公开前须遮盖".into(),
                    replacement: Some(card::mask(&c.digits)),
                    key: c.digits.clone(),
                });
            }
        }
        let lines = Lines::new(&folded);
        marking::detect(&folded, &lines, &mut hits);
        if !self.terms.is_empty() {
            let lower: Vec<char> = folded.iter().map(char::to_ascii_lowercase).collect();
            term::detect(&lower, &self.terms, &mut hits);
        }
        let hits = resolve(hits);
        // Context shown around one finding must not spell out another
        // (excerpts are kept as review evidence): hide the characters of
        // every maskable finding in it.
        let mut hidden = vec![false; chars.len()];
        for h in hits.iter().filter(|h| h.replacement.is_some()) {
            for x in hidden.get_mut(h.start..h.end).unwrap_or_default() {
                *x = true;
            }
        }
        hits.into_iter()
            .filter_map(|h| self.finding(field, text, &chars, &lines, &hidden, h))
            .collect()
    }

    fn finding(
        &self,
        field: &str,
        text: &str,
        chars: &[fold::FChar],
        lines: &Lines,
        hidden: &[bool],
        h: Hit,
    ) -> Option<Finding> {
        let span = byte_range(chars, h.start, h.end)?;
        let matched = text.get(span.clone())?.to_string();
        let (line_start, line_end) = lines.bounds(h.start, h.end);
        let line = lines.line_of(h.start) + 1;
        let from = h.start.saturating_sub(self.excerpt_chars).max(line_start);
        let to = (h.end + self.excerpt_chars).min(line_end);
        let piece = |a: usize, b: usize| -> String {
            (a..b)
                .filter_map(|k| {
                    let f = chars.get(k)?;
                    let c = text.get(f.start..f.end)?.chars().next()?;
                    Some(
                        if hidden.get(k) == Some(&true) && !f.c.is_whitespace() && f.c != '-' {
                            '*'
                        } else if c.is_control() {
                            ' '
                        } else {
                            c
                        },
                    )
                })
                .collect()
        };
        let mut before = piece(from, h.start);
        if from > line_start {
            before.insert(0, '…');
        }
        let mut after = piece(h.end, to);
        if to < line_end {
            after.push('…');
        }
        Some(Finding {
            kind: h.kind,
            severity: h.severity,
            field: field.to_string(),
            excerpt: Excerpt {
                before,
                hit: matched.clone(),
                after,
            },
            matched,
            span,
            location: Location {
                line,
                column: h.start - line_start + 1,
                offset: h.start,
            },
            replacement: h.replacement,
            message: h.message,
            key: key(h.kind, field, &h.key),
        })
    }
}

/// Byte range of folded characters `a..b` in the original text.
fn byte_range(chars: &[fold::FChar], a: usize, b: usize) -> Option<Range<usize>> {
    if a >= b {
        return Some(chars.get(a).map_or(0, |f| f.start)..chars.get(a).map_or(0, |f| f.start));
    }
    Some(chars.get(a)?.start..chars.get(b - 1)?.end)
}

/// One finding per span: the longest detection wins, then the kind rank,
/// then a blocking over a notice, then the earlier one.
fn resolve(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|x, y| {
        (y.end - y.start)
            .cmp(&(x.end - x.start))
            .then(x.kind.rank().cmp(&y.kind.rank()))
            .then(x.severity.cmp(&y.severity))
            .then(x.start.cmp(&y.start))
    });
    // Accepted spans are disjoint, so ordered by start they are also
    // ordered by end: only the last one starting before `end` can overlap.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for h in hits {
        if h.start >= h.end {
            continue;
        }
        let overlaps = taken
            .range(..h.end)
            .next_back()
            .is_some_and(|(_, e)| *e > h.start);
        if !overlaps {
            taken.insert(h.start, h.end);
            out.push(h);
        }
    }
    out.sort_by_key(|h| (h.start, h.end));
    out
}

/// Scans `fields` with `config` (builds a [`Scanner`] for one use).
pub fn scan(fields: &[(&str, &str)], config: &ScanConfig) -> Vec<Finding> {
    Scanner::new(config).scan(fields)
}
