//! Text folding shared by indexing and querying.
//!
//! Every string that reaches the index or a query goes through
//! [`fold_char`], so the two sides can never disagree: NFKC (full-width
//! letters, digits and punctuation become their ASCII forms, compatibility
//! ideographs their unified forms), traditional → simplified Chinese
//! (character level, from OpenCC's `t2s` data) and lowercase.
//!
//! The folding is per character, so each folded character knows which
//! original character it came from ([`Mapped`]); tokens and highlights found
//! in folded text are mapped back to byte ranges of the text as stored.
//!
//! 发文字号 and 索引号 also get a canonical keyword form
//! ([`canonical_doc_no`], [`canonical_index_no`]) so they can be matched
//! exactly whatever brackets or spacing the user typed.

use std::collections::HashMap;
use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use unicode_normalization::UnicodeNormalization;

/// Character-level traditional → simplified table.
///
/// OpenCC converts by longest dictionary match, which can change the length
/// of a text and would break the offset map; converting each character on
/// its own gives a 1:1 mapping. Building OpenCC is expensive (tens of ms),
/// so the table is built once per process from one batched conversion of
/// every character of the BMP CJK blocks.
struct T2s {
    /// U+3400..=U+9FFF; the character itself when unchanged.
    bmp: Vec<char>,
    /// Characters outside the dense range, converted on first request.
    converter: Option<OpenCC>,
}

const BMP_FIRST: u32 = 0x3400;
const BMP_LAST: u32 = 0x9FFF;

static T2S: LazyLock<T2s> = LazyLock::new(|| {
    let converter = OpenCC::from_config(BuiltinConfig::T2s).ok();
    let chars: Vec<char> = (BMP_FIRST..=BMP_LAST).filter_map(char::from_u32).collect();
    let mut bmp: Vec<char> = chars.clone();
    if let Some(cc) = &converter {
        let mut batch = String::with_capacity(chars.len() * 4);
        for c in &chars {
            batch.push(*c);
            batch.push('\n');
        }
        let converted = cc.convert(&batch);
        let lines: Vec<&str> = converted.split('\n').collect();
        // A conversion that changed the line structure cannot be trusted
        // character by character; keep the identity table then.
        if lines.len() == chars.len() + 1 {
            for (i, line) in lines.iter().take(chars.len()).enumerate() {
                let mut it = line.chars();
                if let (Some(s), None) = (it.next(), it.next()) {
                    bmp[i] = s;
                }
            }
        }
    }
    T2s { bmp, converter }
});

/// Supplementary-plane characters seen so far (rare: Ext. B and later).
static T2S_RARE: LazyLock<std::sync::Mutex<HashMap<char, char>>> =
    LazyLock::new(|| std::sync::Mutex::new(HashMap::new()));

fn t2s(c: char) -> char {
    let code = c as u32;
    if (BMP_FIRST..=BMP_LAST).contains(&code) {
        return T2S.bmp[(code - BMP_FIRST) as usize];
    }
    if code < 0x20000 {
        return c;
    }
    let Ok(mut rare) = T2S_RARE.lock() else {
        return c;
    };
    *rare.entry(c).or_insert_with(|| {
        let Some(cc) = &T2S.converter else {
            return c;
        };
        let out = cc.convert(c.encode_utf8(&mut [0u8; 4]));
        let mut it = out.chars();
        match (it.next(), it.next()) {
            (Some(s), None) => s,
            _ => c,
        }
    })
}

/// Folds one character, passing the result (zero, one or several
/// characters) to `out`.
///
/// Whitespace of any kind becomes one ASCII space, so callers can split on
/// `' '`.
pub fn fold_char(c: char, out: &mut impl FnMut(char)) {
    match FOLD.get(c as usize) {
        Some(&f) if f != COMPLEX => out(f),
        _ => fold_slow(c, out),
    }
}

/// Marks a BMP character whose folding is not exactly one character.
const COMPLEX: char = '\u{ffff}';

/// The folding of every BMP character that folds to exactly one
/// character: indexing folds every character of every text, and NFKC plus
/// case mapping plus 繁→简 per character was a large share of it.
static FOLD: LazyLock<Vec<char>> = LazyLock::new(|| {
    (0u32..=0xffff)
        .map(|code| {
            let Some(c) = char::from_u32(code) else {
                return COMPLEX;
            };
            let mut first = None;
            let mut n = 0;
            fold_slow(c, &mut |f| {
                first.get_or_insert(f);
                n += 1;
            });
            match (n, first) {
                (1, Some(f)) if f != COMPLEX => f,
                _ => COMPLEX,
            }
        })
        .collect()
});

/// The definition of the folding, character by character.
fn fold_slow(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        if c.is_ascii_whitespace() {
            out(' ');
        } else {
            out(c.to_ascii_lowercase());
        }
        return;
    }
    // The unified CJK block is its own NFKC form and has no case.
    if ('\u{4e00}'..='\u{9fff}').contains(&c) {
        out(t2s(c));
        return;
    }
    if c.is_whitespace() {
        out(' ');
        return;
    }
    let mut buf = [0u8; 4];
    for n in c.encode_utf8(&mut buf).nfkc() {
        if n.is_whitespace() {
            out(' ');
            continue;
        }
        for l in n.to_lowercase() {
            out(t2s(l));
        }
    }
}

/// Folds a whole text. This is the function to use for anything compared
/// with indexed text.
pub fn normalise(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| s.push(f));
    }
    s
}

/// A folded text that remembers where each folded character came from.
#[derive(Debug, Clone, Default)]
pub struct Mapped {
    /// The folded text.
    pub text: String,
    /// For each folded character, in order: its byte offset in `text` and
    /// the byte range of the original character it came from. (u32: texts
    /// over 4 GiB are not indexed.)
    spans: Vec<(u32, u32, u32)>,
}

impl Mapped {
    pub fn new(original: &str) -> Mapped {
        let mut m = Mapped::default();
        m.fill(original);
        m
    }

    /// Refolds into the existing buffers (tokenizers reuse one `Mapped`).
    pub fn fill(&mut self, original: &str) {
        self.text.clear();
        self.spans.clear();
        self.text.reserve(original.len());
        self.spans.reserve(original.len());
        if u32::try_from(original.len()).is_err() {
            return;
        }
        for (i, c) in original.char_indices() {
            let (i, end) = (i as u32, (i + c.len_utf8()) as u32);
            let (text, spans) = (&mut self.text, &mut self.spans);
            fold_char(c, &mut |f| {
                spans.push((text.len() as u32, i, end));
                text.push(f);
            });
        }
    }

    /// Maps a byte range of the folded text (on character boundaries) to
    /// the byte range of the original text it was folded from.
    pub fn original_range(&self, from: usize, to: usize) -> (usize, usize) {
        let first = self.spans.partition_point(|s| (s.0 as usize) < from);
        self.range_from(first, to)
    }

    /// [`original_range`](Self::original_range) for ranges visited in
    /// increasing order of `from`: `cursor` remembers where the previous
    /// one started, so each lookup is a short forward step.
    pub fn original_range_seq(&self, cursor: &mut usize, from: usize, to: usize) -> (usize, usize) {
        while self
            .spans
            .get(*cursor)
            .is_some_and(|s| (s.0 as usize) < from)
        {
            *cursor += 1;
        }
        self.range_from(*cursor, to)
    }

    fn range_from(&self, first: usize, to: usize) -> (usize, usize) {
        let start = self.spans.get(first).map_or(0, |s| s.1 as usize);
        // The last folded character that starts before `to`.
        let mut last = first;
        while self.spans.get(last).is_some_and(|s| (s.0 as usize) < to) {
            last += 1;
        }
        let end = match last.checked_sub(1).and_then(|i| self.spans.get(i)) {
            Some(s) => s.2 as usize,
            None => start,
        };
        (start, end.max(start))
    }
}

/// True for characters that make up words: letters, digits and ideographs.
/// Everything else (punctuation, symbols, spaces) only separates.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_cjk(c) || c.is_alphanumeric()
}

/// True for the characters searched as ideographs (one character is
/// already a meaningful unit), as opposed to letters and digits that only
/// make sense as whole runs.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}'
        | '\u{3005}' // 々
        | '\u{3007}' // 〇
    )
}

/// Canonical keyword form of a 发文字号.
///
/// Agencies and users write the year bracket of 湘政办函〔2017〕44号 with
/// whatever key is at hand — `[2017]`, `【2017】`, `(2017)`, `（2017）`, `［2017］`,
/// `﹝2017﹞` — and with stray spaces; all of them become
/// `湘政办函〔2017〕44号`. A 第 between the bracket and the number
/// (〔2017〕第44号, an older style) is dropped, and so are leading zeros of
/// the number.
pub fn canonical_doc_no(s: &str) -> String {
    let folded = normalise(s);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        match c {
            ' ' => {}
            '(' | '[' | '{' | '【' | '〖' | '〘' | '⦅' | '〔' => out.push('〔'),
            ')' | ']' | '}' | '】' | '〗' | '〙' | '⦆' | '〕' => out.push('〕'),
            _ => out.push(c),
        }
    }
    // 〔2017〕第044号 → 〔2017〕44号
    let chars: Vec<char> = out.chars().collect();
    let mut result = String::with_capacity(out.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        result.push(c);
        i += 1;
        if c == '〕' {
            let digit_at = |k: usize| chars.get(k).is_some_and(|d| d.is_ascii_digit());
            if chars.get(i) == Some(&'第') && digit_at(i + 1) {
                i += 1;
            }
            while chars.get(i) == Some(&'0') && digit_at(i + 1) {
                i += 1;
            }
        }
    }
    result
}

/// Canonical keyword form of a 索引号: folded (so full-width digits,
/// letters and slashes match), without spaces, every kind of dash as `-`.
pub fn canonical_index_no(s: &str) -> String {
    normalise(s)
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| match c {
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' => '-',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified() {
        assert_eq!(normalise("政務公開"), "政务公开");
        assert_eq!(normalise("政府資訊公開條例"), "政府资讯公开条例");
        // Simplified text is left alone, so both directions meet.
        assert_eq!(normalise("政务公开"), "政务公开");
        assert_eq!(
            normalise("關於印發《環境保護規劃》的通知"),
            "关于印发《环境保护规划》的通知"
        );
    }

    #[test]
    fn full_width_folds_to_ascii_and_lowercase() {
        assert_eq!(normalise("２０２５年ＡＢＣ"), "2025年abc");
        assert_eq!(normalise("ＰＤＦ　文件"), "pdf 文件");
        assert_eq!(normalise("（一）"), "(一)");
        assert_eq!(normalise("GDP"), "gdp");
        // Compatibility ideographs become their unified form.
        assert_eq!(normalise("\u{f9a8}"), normalise("\u{4ee4}"));
    }

    #[test]
    fn the_table_agrees_with_the_definition() {
        for code in (0u32..=0xffff)
            .step_by(7)
            .chain([0x3000, 0xff10, 0xff21, 0x8aaa, 0x2026])
        {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let (mut fast, mut slow) = (String::new(), String::new());
            fold_char(c, &mut |f| fast.push(f));
            fold_slow(c, &mut |f| slow.push(f));
            assert_eq!(fast, slow, "U+{code:04X}");
        }
    }

    #[test]
    fn mapping_points_back_into_the_original() {
        let original = "關於２０２５年";
        let m = Mapped::new(original);
        assert_eq!(m.text, "关于2025年");
        let at = m.text.find("2025").expect("folded digits");
        let (s, e) = m.original_range(at, at + 4);
        assert_eq!(&original[s..e], "２０２５");
        let at = m.text.find("关于").expect("folded words");
        let (s, e) = m.original_range(at, at + "关于".len());
        assert_eq!(&original[s..e], "關於");
    }

    #[test]
    fn sequential_mapping_agrees_with_lookup() {
        let m = Mapped::new("關於２０２５年第㈠條（試行）");
        let mut cursor = 0;
        let ends: Vec<usize> = m
            .text
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .collect();
        for (k, (i, _)) in m.text.char_indices().enumerate() {
            let to = ends[(k + 1).min(ends.len() - 1)];
            assert_eq!(
                m.original_range_seq(&mut cursor, i, to),
                m.original_range(i, to)
            );
        }
    }

    #[test]
    fn mapping_handles_expanding_characters() {
        // ㈠ folds to three characters "(一)".
        let original = "第㈠条";
        let m = Mapped::new(original);
        assert_eq!(m.text, "第(一)条");
        let at = m.text.find('一').expect("expanded");
        let (s, e) = m.original_range(at, at + '一'.len_utf8());
        assert_eq!(&original[s..e], "㈠");
    }

    #[test]
    fn doc_no_brackets_are_canonical() {
        let want = "湘政办函〔2017〕44号";
        for typed in [
            "湘政办函〔2017〕44号",
            "湘政办函[2017]44号",
            "湘政办函【2017】44号",
            "湘政办函(2017)44号",
            "湘政办函（2017）44号",
            "湘政办函［2017］44号",
            "湘政办函﹝2017﹞44号",
            "湘政办函 [ 2017 ] 44 号",
            "湘政办函〔２０１７〕４４号",
            "湘政辦函〔2017〕44號",
            "湘政办函〔2017〕第44号",
            "湘政办函〔2017〕044号",
        ] {
            assert_eq!(canonical_doc_no(typed), want, "typed {typed}");
        }
        // A different number stays different.
        assert_ne!(canonical_doc_no("湘政办函〔2017〕4号"), want);
        assert_ne!(canonical_doc_no("湘政办函〔2017〕440号"), want);
    }

    #[test]
    fn index_no_is_canonical() {
        let want = canonical_index_no("11430000006940614T/2017-00123");
        assert_eq!(want, "11430000006940614t/2017-00123");
        assert_eq!(
            canonical_index_no("１１４３００００００６９４０６１４Ｔ／２０１７－００１２３"),
            want
        );
        assert_eq!(
            canonical_index_no(" 11430000006940614T / 2017—00123 "),
            want
        );
    }

    #[test]
    fn cjk_classification() {
        assert!(is_cjk('政'));
        assert!(is_cjk('〇'));
        assert!(!is_cjk('a'));
        assert!(!is_cjk('〔'));
        assert!(is_word_char('政'));
        assert!(is_word_char('7'));
        assert!(!is_word_char('〔'));
        assert!(!is_word_char('，'));
    }
}
