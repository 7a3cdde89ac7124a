//! Normalised text with an offset map back to the decoded input.
//!
//! Every normalised character remembers the byte range of the decoded input
//! it came from, so spans reported to the user always point into the text
//! the user can open, however much folding (NFKC, 繁→简, pinyin stripping)
//! happened in between.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use unicode_normalization::UnicodeNormalization;

/// One normalised character and the decoded-input byte range it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NChar {
    pub c: char,
    pub start: usize,
    pub end: usize,
}

/// Character-by-character view of a plain-text input.
pub fn chars_of(text: &str) -> Vec<NChar> {
    text.char_indices()
        .map(|(i, c)| NChar {
            c,
            start: i,
            end: i + c.len_utf8(),
        })
        .collect()
}

/// Traditional → simplified converter, built once: construction is expensive.
static T2S: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::T2s).ok());

/// Result of [`normalise`].
pub struct Normalised {
    pub chars: Vec<NChar>,
    /// True when 繁→简 conversion changed a noticeable share of the text.
    pub traditional: bool,
}

/// NFKC width folding, pinyin-annotation stripping and 繁→简 conversion.
pub fn normalise(input: &[NChar]) -> Normalised {
    let mut out: Vec<NChar> = Vec::with_capacity(input.len());
    for nc in input {
        // Non-breaking and ideographic spaces are cell padding in flattened
        // tables; fold them to a plain space so trimming sees them.
        if nc.c == '\u{a0}' || nc.c == '\u{3000}' {
            out.push(NChar { c: ' ', ..*nc });
            continue;
        }
        if nc.c == '\r' {
            out.push(NChar { c: '\n', ..*nc });
            continue;
        }
        // ASCII and the basic CJK block are their own NFKC form.
        if nc.c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&nc.c) {
            out.push(*nc);
            continue;
        }
        let mut buf = [0u8; 4];
        for c in nc.c.encode_utf8(&mut buf).nfkc() {
            out.push(NChar { c, ..*nc });
        }
    }
    let out = strip_pinyin(out);
    let (chars, traditional) = to_simplified(out);
    Normalised { chars, traditional }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ".contains(c)
}

/// Removes annotations such as `訪問(wèn)`: a parenthesised run of pinyin
/// letters directly after a CJK character (as left by some scraped sites).
fn strip_pinyin(chars: Vec<NChar>) -> Vec<NChar> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(nc) = chars.get(i) {
        if nc.c == '(' && out.last().is_some_and(|p: &NChar| is_cjk(p.c)) {
            let mut j = i + 1;
            let mut has_tone = false;
            while let Some(x) = chars.get(j) {
                if !is_pinyin_letter(x.c) {
                    break;
                }
                has_tone |= !x.c.is_ascii();
                j += 1;
            }
            let len = j - i - 1;
            // Require a tone mark or a short syllable so that real
            // parenthesised words like "(pdf)" are not removed blindly.
            if (1..=6).contains(&len)
                && chars.get(j).is_some_and(|x| x.c == ')')
                && (has_tone || len <= 4)
            {
                i = j + 1;
                continue;
            }
        }
        out.push(*nc);
        i += 1;
    }
    out
}

/// Converts line by line, keeping the offset map character-aligned. When a
/// phrase conversion changes the length of a line, that line is converted
/// character by character instead.
fn to_simplified(chars: Vec<NChar>) -> (Vec<NChar>, bool) {
    let Some(cc) = T2S.as_ref() else {
        return (chars, false);
    };
    let mut out = Vec::with_capacity(chars.len());
    let mut changed = 0usize;
    let mut cjk = 0usize;
    for line in chars.split_inclusive(|n| n.c == '\n') {
        cjk += line.iter().filter(|n| is_cjk(n.c)).count();
        // Only CJK characters convert (everything from U+2E80 up, to stay
        // on the safe side); number-only table rows are common and the
        // dictionary walk is the costliest step of normalisation.
        if line.iter().all(|n| n.c < '\u{2e80}') {
            out.extend_from_slice(line);
            continue;
        }
        let s: String = line.iter().map(|n| n.c).collect();
        let conv = cc.convert(&s);
        if conv == s {
            out.extend_from_slice(line);
            continue;
        }
        let conv_chars: Vec<char> = conv.chars().collect();
        if conv_chars.len() == line.len() {
            for (n, c) in line.iter().zip(conv_chars) {
                changed += usize::from(n.c != c);
                out.push(NChar { c, ..*n });
            }
        } else {
            for n in line {
                let mut b = [0u8; 4];
                let one = cc.convert(n.c.encode_utf8(&mut b));
                let mut it = one.chars();
                let c = match (it.next(), it.next()) {
                    (Some(c), None) => c,
                    _ => n.c,
                };
                changed += usize::from(n.c != c);
                out.push(NChar { c, ..*n });
            }
        }
    }
    // A handful of converted characters can be variants in a simplified
    // text; call it traditional only when a real share changed.
    let traditional = cjk > 0 && changed * 50 >= cjk;
    (out, traditional)
}

/// A cell-sized piece of text on one line.
#[derive(Debug, Clone)]
pub struct Token {
    pub text: String,
    pub span: (usize, usize),
    /// Index of the source line (a table row in pipe/HTML renderings).
    pub line: usize,
    /// Number of tokens on that line.
    pub line_tokens: usize,
    /// `label::parse(text)`, computed on first use: every table parser asks
    /// for it, and parsing (NFKC, numbering) dominated the import time.
    pub parsed: std::cell::OnceCell<crate::label::Parsed>,
    /// `label::classify(text)`, computed on first use (same reason).
    pub kind: std::cell::OnceCell<crate::label::Cell>,
}

impl Token {
    /// The token parsed as a label (cached).
    pub fn parsed(&self) -> &crate::label::Parsed {
        self.parsed.get_or_init(|| crate::label::parse(&self.text))
    }

    /// What the token contains (cached).
    pub fn kind(&self) -> crate::label::Cell {
        self.kind
            .get_or_init(|| crate::label::classify(&self.text))
            .clone()
    }
}

/// A whole normalised line.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub span: (usize, usize),
    pub chars: Vec<NChar>,
}

pub fn lines(chars: &[NChar]) -> Vec<Line> {
    chars
        .split(|n| n.c == '\n')
        .map(|l| Line {
            text: l.iter().map(|n| n.c).collect(),
            span: span_of(l),
            chars: l.to_vec(),
        })
        .collect()
}

fn span_of(chars: &[NChar]) -> (usize, usize) {
    match (chars.first(), chars.last()) {
        (Some(a), Some(b)) => (a.start, b.end.max(a.start)),
        _ => (0, 0),
    }
}

/// Byte span of a character range of a line (`from..to` in chars).
pub fn sub_span(line: &Line, from: usize, to: usize) -> (usize, usize) {
    line.chars
        .get(from..to.min(line.chars.len()))
        .map(span_of)
        .unwrap_or(line.span)
}

/// Splits lines into cell tokens. Cells are separated by `|`, tabs or runs
/// of two or more spaces; an empty line is a separator, not a cell, while a
/// whitespace-only line is a blank cell (that is how flattened tables show
/// empty cells).
pub fn tokens(lines: &[Line]) -> Vec<Token> {
    let mut out = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        if line.chars.is_empty() {
            continue;
        }
        let pieces: Vec<&[NChar]> = split_cells(&line.chars)
            .into_iter()
            .flat_map(split_numbers)
            .collect();
        let n = pieces.len();
        for p in pieces {
            let trimmed = trim(p);
            let text: String = trimmed.iter().map(|c| c.c).collect();
            let span = if trimmed.is_empty() {
                span_of(p)
            } else {
                span_of(trimmed)
            };
            out.push(Token {
                text,
                span,
                line: li,
                line_tokens: n,
                parsed: std::cell::OnceCell::new(),
                kind: std::cell::OnceCell::new(),
            });
        }
    }
    out
}

/// Splits "收到申请数 15 3" (cells separated by single spaces, as in a
/// table flattened onto one line) when at least one word is a number.
fn split_numbers(piece: &[NChar]) -> Vec<&[NChar]> {
    let words: Vec<&[NChar]> = trim(piece)
        .split(|c| c.c == ' ')
        .filter(|w| !w.is_empty())
        .collect();
    let numeric = |w: &&[NChar]| {
        let s: String = w.iter().map(|c| c.c).collect();
        matches!(
            crate::label::classify(&s),
            crate::label::Cell::Number(_) | crate::label::Cell::Dash
        )
    };
    if words.len() > 1 && words.iter().any(numeric) {
        words
    } else {
        vec![piece]
    }
}

fn trim(mut s: &[NChar]) -> &[NChar] {
    while s.first().is_some_and(|c| c.c.is_whitespace()) {
        s = s.get(1..).unwrap_or_default();
    }
    while s.last().is_some_and(|c| c.c.is_whitespace()) {
        s = s.get(..s.len() - 1).unwrap_or_default();
    }
    s
}

fn split_cells(line: &[NChar]) -> Vec<&[NChar]> {
    let has_pipe = line.iter().any(|c| c.c == '|');
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < line.len() {
        let c = line.get(i).map(|n| n.c).unwrap_or(' ');
        let sep_len = if c == '|' || c == '\t' {
            1
        } else if c == ' ' && !has_pipe {
            let mut j = i;
            while line.get(j).is_some_and(|n| n.c == ' ') {
                j += 1;
            }
            // Only runs strictly inside the text separate cells; leading
            // and trailing padding is skipped as a whole.
            let inside = start < i && j < line.len();
            if j - i >= 2 && inside {
                j - i
            } else {
                i = j;
                continue;
            }
        } else {
            0
        };
        if sep_len > 0 {
            pieces.push(line.get(start..i).unwrap_or_default());
            i += sep_len;
            start = i;
        } else {
            i += 1;
        }
    }
    let last = line.get(start..).unwrap_or_default();
    // A trailing `|` closes the row rather than opening an empty cell.
    let ends_with_pipe = trim(line).last().is_some_and(|c| c.c == '|');
    if !(ends_with_pipe && trim(last).is_empty()) || pieces.is_empty() {
        pieces.push(last);
    }
    // Leading "| a | b" renderings: drop the empty cell before the first pipe.
    if has_pipe && trim(line).first().is_some_and(|c| c.c == '|') && pieces.len() > 1 {
        pieces.remove(0);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalise(&chars_of(s)).chars.iter().map(|n| n.c).collect()
    }

    #[test]
    fn folds_width_and_strips_pinyin_and_converts_script() {
        assert_eq!(norm("（一）１２件"), "(一)12件");
        assert_eq!(norm("歡迎訪問(wèn)網(wǎng)站"), "欢迎访问网站");
        let n = normalise(&chars_of("政府資訊公開條例"));
        assert!(n.traditional);
    }

    #[test]
    fn spans_point_into_the_decoded_input() {
        let src = "甲\u{3000}（一）收到申請數|１５|";
        let n = normalise(&chars_of(src));
        let ls = lines(&n.chars);
        let toks = tokens(&ls);
        let t = toks.iter().find(|t| t.text == "15").expect("value token");
        assert_eq!(src.get(t.span.0..t.span.1), Some("１５"));
        assert_eq!(toks.len(), 2, "trailing pipe closes the row: {toks:?}");
    }
}
