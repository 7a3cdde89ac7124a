//! The two tokenizers registered on every index, and the same cuts for
//! queries.
//!
//! - `gk_words`: folded text cut by jieba in search mode (a long word also
//!   yields its dictionary sub-words). Applied to titles: ranks items
//!   whose title has the query's words first, and is the vocabulary of the
//!   suggestions. (Cutting bodies too cost a quarter of the indexing time
//!   and added nothing the grams' scores did not already give.)
//! - `gk_grams`: folded text as overlapping ideograph bigrams (plus the
//!   last ideograph of each run on its own) and whole runs of
//!   letters/digits, positioned by character. A query run becomes a phrase
//!   of its grams, so any substring of the text is found whatever jieba
//!   made of its context (jieba alone misses names it does not know, e.g.
//!   青岚 inside 青岚市). This is what makes recall complete. Indexing every
//!   ideograph as a unigram too would cost 70 % more indexing time for the
//!   sake of one-character queries, which the run-final unigram and a
//!   prefix scan of the bigrams answer as well.
//!
//! tantivy-jieba's tokenizer is not used: it cuts the raw text and owns a
//! `Jieba` per clone, while these tokenizers cut the *folded* text (mapping
//! offsets back to the original) with one process-wide `Jieba` that knows
//! the government terms in `data/gov-words.txt`.

use std::sync::LazyLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::normalise::{Mapped, is_cjk, is_word_char};

pub const WORDS: &str = "gk_words";
pub const GRAMS: &str = "gk_grams";

/// Longer tokens are dropped: no real word is that long, and tantivy
/// refuses terms above 64 KiB (an attachment can contain any junk).
const MAX_TOKEN_BYTES: usize = 120;

static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for line in include_str!("../data/gov-words.txt").lines() {
        let word = line.trim();
        if !word.is_empty() && !word.starts_with('#') {
            jieba.add_word(word, None, None);
        }
    }
    jieba
});

/// jieba's default-mode words of a folded text, without punctuation.
pub fn cut_words(folded: &str) -> Vec<String> {
    JIEBA
        .cut(folded, true)
        .into_iter()
        .filter(|t| t.word.chars().any(is_word_char) && t.word.len() <= MAX_TOKEN_BYTES)
        .map(|t| t.word.to_string())
        .collect()
}

/// jieba's search-mode words of a folded text, without punctuation.
pub fn cut_search_words(folded: &str) -> Vec<String> {
    JIEBA
        .cut_for_search(folded, true)
        .into_iter()
        .filter(|t| t.word.chars().any(is_word_char) && t.word.len() <= MAX_TOKEN_BYTES)
        .map(|t| t.word.to_string())
        .collect()
}

/// Reusable token output: tantivy tokenizes millions of short texts, and
/// allocating a `String` per token was a tenth of the indexing time.
#[derive(Clone, Default)]
pub struct TokenBuf {
    tokens: Vec<Token>,
    len: usize,
    mapped: Mapped,
}

impl TokenBuf {
    fn push(&mut self, word: &str, position: usize, length: usize, from: usize, to: usize) {
        if let Some(t) = self.tokens.get_mut(self.len) {
            t.text.clear();
            t.text.push_str(word);
            t.offset_from = from;
            t.offset_to = to;
            t.position = position;
            t.position_length = length;
        } else {
            self.tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: word.to_string(),
                position_length: length,
            });
        }
        self.len += 1;
    }

    #[cfg(test)]
    fn tokens(&self) -> &[Token] {
        &self.tokens[..self.len]
    }
}

fn words_into(text: &str, out: &mut TokenBuf) {
    let mut mapped = std::mem::take(&mut out.mapped);
    mapped.fill(text);
    for t in JIEBA.cut_for_search(&mapped.text, true) {
        if t.word.len() > MAX_TOKEN_BYTES || !t.word.chars().any(is_word_char) {
            continue;
        }
        let (from, to) = mapped.original_range(t.byte_start, t.byte_end);
        out.push(t.word, t.start, (t.end - t.start).max(1), from, to);
    }
    out.mapped = mapped;
}

/// One gram of a folded text: the term, its character position and its
/// byte range in the folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gram {
    pub term: String,
    pub position: usize,
    pub from: usize,
    pub to: usize,
}

/// Grams of a folded text.
///
/// Index side (`index = true`): for each ideograph run, the bigram starting
/// at every character but the last, and the last character alone; each
/// run of letters/digits whole. Every character of the text thus starts
/// exactly one gram.
///
/// Query side (`index = false`): the bigrams of each ideograph run of two
/// or more characters (they pin the run down), each letter/digit run; an
/// ideograph standing alone between letters/digits (the 号 of 44号) is left
/// out — whether it starts a bigram or ends a run in the item is unknown,
/// and the digits carry the meaning. A query that is a single ideograph is
/// handled by the caller (see `search::unit_query`).
pub fn grams(folded: &str, index: bool) -> Vec<Gram> {
    let mut out = Vec::new();
    each_gram(folded, index, &mut |term, position, from, to| {
        out.push(Gram {
            term: term.to_string(),
            position,
            from,
            to,
        });
    });
    out
}

/// Calls `emit(term, char_position, byte_from, byte_to)` for each gram.
fn each_gram(folded: &str, index: bool, emit: &mut impl FnMut(&str, usize, usize, usize)) {
    let mut it = folded.char_indices().peekable();
    let mut pos = 0usize;
    while let Some((b, c)) = it.next() {
        let len = c.len_utf8();
        if is_cjk(c) {
            let next = it.peek().copied();
            match next {
                Some((nb, n)) if is_cjk(n) => {
                    let end = nb + n.len_utf8();
                    emit(&folded[b..end], pos, b, end);
                }
                _ if index => emit(&folded[b..b + len], pos, b, b + len),
                _ => {}
            }
            pos += 1;
        } else if is_word_char(c) {
            let start_pos = pos;
            let mut end = b + len;
            pos += 1;
            while let Some(&(nb, n)) = it.peek() {
                if !is_word_char(n) || is_cjk(n) {
                    break;
                }
                end = nb + n.len_utf8();
                pos += 1;
                it.next();
            }
            if end - b <= MAX_TOKEN_BYTES {
                emit(&folded[b..end], start_pos, b, end);
            }
        } else {
            pos += 1;
        }
    }
}

fn grams_into(text: &str, out: &mut TokenBuf) {
    let mut mapped = std::mem::take(&mut out.mapped);
    mapped.fill(text);
    let mut cursor = 0;
    each_gram(&mapped.text, true, &mut |term, position, from, to| {
        let (f, t) = mapped.original_range_seq(&mut cursor, from, to);
        out.push(term, position, 1, f, t);
    });
    out.mapped = mapped;
}

/// A tokenizer that computes all tokens up front (folding and jieba work
/// on the whole text) and then streams them.
#[derive(Clone)]
pub struct Precomputed {
    cut: fn(&str, &mut TokenBuf),
    buf: TokenBuf,
}

impl Precomputed {
    pub fn words() -> Self {
        Precomputed {
            cut: words_into,
            buf: TokenBuf::default(),
        }
    }
    pub fn grams() -> Self {
        Precomputed {
            cut: grams_into,
            buf: TokenBuf::default(),
        }
    }
}

impl Tokenizer for Precomputed {
    type TokenStream<'a> = PrecomputedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PrecomputedStream<'a> {
        self.buf.len = 0;
        (self.cut)(text, &mut self.buf);
        let len = self.buf.len;
        PrecomputedStream {
            tokens: &mut self.buf.tokens[..len],
            current: None,
            empty: Token::default(),
        }
    }
}

pub struct PrecomputedStream<'a> {
    tokens: &'a mut [Token],
    current: Option<usize>,
    empty: Token,
}

impl TokenStream for PrecomputedStream<'_> {
    fn advance(&mut self) -> bool {
        let next = self.current.map_or(0, |c| c + 1);
        if next < self.tokens.len() {
            self.current = Some(next);
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.current
            .and_then(|c| self.tokens.get(c))
            .unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.current {
            Some(c) if c < self.tokens.len() => &mut self.tokens[c],
            _ => &mut self.empty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn words_are_folded_and_offsets_point_to_the_original() {
        let original = "關於推進政務公開工作的通知（２０２５）";
        let mut buf = TokenBuf::default();
        words_into(original, &mut buf);
        let tokens = buf.tokens();
        let words = texts(tokens);
        assert!(words.contains(&"政务公开"), "{words:?}");
        assert!(words.contains(&"政务"), "{words:?}");
        assert!(words.contains(&"2025"), "{words:?}");
        assert!(!words.iter().any(|w| w.contains('（') || w.contains('(')));
        let t = tokens.iter().find(|t| t.text == "政务公开").expect("word");
        assert_eq!(&original[t.offset_from..t.offset_to], "政務公開");
        let t = tokens.iter().find(|t| t.text == "2025").expect("digits");
        assert_eq!(&original[t.offset_from..t.offset_to], "２０２５");
    }

    #[test]
    fn grams_cover_every_substring() {
        let g = grams("青岚市2025年，通知", true);
        let terms: Vec<(&str, usize)> = g.iter().map(|g| (g.term.as_str(), g.position)).collect();
        assert_eq!(
            terms,
            vec![
                ("青岚", 0),
                ("岚市", 1),
                ("市", 2),
                ("2025", 3),
                ("年", 7),
                ("通知", 9),
                ("知", 10)
            ]
        );
        // The query side needs only the bigrams of a longer run.
        let q = grams("青岚", false);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].term, "青岚");
        let q = grams("青岚市", false);
        let terms: Vec<(&str, usize)> = q.iter().map(|g| (g.term.as_str(), g.position)).collect();
        assert_eq!(terms, vec![("青岚", 0), ("岚市", 1)]);
        // A lone ideograph between digits is left to the digits.
        let q = grams("44号", false);
        let terms: Vec<(&str, usize)> = q.iter().map(|g| (g.term.as_str(), g.position)).collect();
        assert_eq!(terms, vec![("44", 0)]);
    }

    #[test]
    fn stream_yields_every_token_once() {
        let mut t = Precomputed::grams();
        let mut s = t.token_stream("政务公开");
        let mut seen = Vec::new();
        while let Some(tok) = s.next() {
            seen.push(tok.text.clone());
        }
        assert_eq!(seen, vec!["政务", "务公", "公开", "开"]);
    }

    #[test]
    fn government_terms_are_one_word() {
        assert_eq!(cut_words("行政规范性文件"), vec!["行政规范性文件"]);
        let parts = cut_search_words("政府信息公开");
        for w in ["政府信息公开", "政府", "信息", "公开"] {
            assert!(parts.contains(&w.to_string()), "{parts:?}");
        }
    }
}
