//! The matching view of a text: one folded character per original
//! character, each remembering its byte range in the original.
//!
//! Folding is strictly one character to one character so that a position
//! in the folded view is also a character position in the original, and a
//! finding's byte span can always be cut out of the text the user typed.
//! That rules out full NFKC (it expands `½`, and folds `①` to `1`, which
//! would glue a list marker onto the number after it); only the mappings
//! that matter for matching are applied:
//!
//! * the Halfwidth and Fullwidth Forms block (`０–９`, `Ａ–Ｚ`, `：`, `－`,
//!   `＋` …) to ASCII, exactly as NFKC maps it;
//! * ideographic, no-break and typographic spaces to `' '`;
//! * hyphen and dash variants (`‐ ‑ ‒ – — ― − ﹣`) to `'-'`, so that
//!   `138–0013–8000` groups like `138-0013-8000`;
//! * traditional to simplified Chinese (OpenCC `t2s`, character-aligned),
//!   so that `機密` and configured terms in either script match.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// A folded character and the byte range of the original it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FChar {
    pub c: char,
    pub start: usize,
    pub end: usize,
}

/// Traditional → simplified converter, built once: construction is costly.
static T2S: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::T2s).ok());

fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => '-',
        '\u{FE62}' => '+',
        _ => c,
    }
}

/// The folded view of `text` (same number of characters as `text`).
pub(crate) fn fold(text: &str) -> Vec<FChar> {
    let chars: Vec<FChar> = text
        .char_indices()
        .map(|(i, c)| FChar {
            c: fold_char(c),
            start: i,
            end: i + c.len_utf8(),
        })
        .collect();
    to_simplified(chars)
}

/// Folds a configured term the same way as a text, plus ASCII lower case.
pub(crate) fn fold_term(term: &str) -> Vec<char> {
    fold(term.trim())
        .into_iter()
        .map(|f| f.c.to_ascii_lowercase())
        .collect()
}

/// Converts line by line; a line whose phrase conversion changes its
/// length is converted character by character instead, so the view stays
/// aligned with the original.
fn to_simplified(chars: Vec<FChar>) -> Vec<FChar> {
    let Some(cc) = T2S.as_ref() else {
        return chars;
    };
    let mut out = Vec::with_capacity(chars.len());
    for line in chars.split_inclusive(|f| f.c == '\n') {
        // Only CJK converts; skip the dictionary walk for other lines.
        if line.iter().all(|f| f.c < '\u{2E80}') {
            out.extend_from_slice(line);
            continue;
        }
        let s: String = line.iter().map(|f| f.c).collect();
        let conv = cc.convert(&s);
        if conv == s {
            out.extend_from_slice(line);
            continue;
        }
        let conv: Vec<char> = conv.chars().collect();
        if conv.len() == line.len() {
            out.extend(line.iter().zip(conv).map(|(f, c)| FChar { c, ..*f }));
            continue;
        }
        for f in line {
            let mut b = [0u8; 4];
            let one = cc.convert(f.c.encode_utf8(&mut b));
            let mut it = one.chars();
            let c = match (it.next(), it.next()) {
                (Some(c), None) => c,
                _ => f.c,
            };
            out.push(FChar { c, ..*f });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> String {
        fold(s).iter().map(|f| f.c).collect()
    }

    #[test]
    fn folds_width_spaces_dashes_and_script_one_to_one() {
        assert_eq!(folded("１３８　００１３–８０００"), "138 0013-8000");
        assert_eq!(folded("機密★壹年，內部資料"), "机密★壹年,内部资料");
        assert_eq!(folded("①②"), "①②");
        let text = "政務公開１２３";
        let f = fold(text);
        assert_eq!(f.len(), text.chars().count());
        assert_eq!(&text[f[4].start..f[6].end], "１２３");
    }

    #[test]
    fn terms_fold_case_and_script() {
        assert_eq!(
            fold_term("  ＡＢＣ政務 "),
            "abc政务".chars().collect::<Vec<_>>()
        );
    }
}
