//! The configured sensitive-term list (names of protected persons, project
//! code names, words an agency has decided never to publish).
//!
//! Terms and text are compared after the same folding (full-width to ASCII,
//! 繁→简, ASCII case), so a term configured as `政務` finds `政务` and a term
//! `政务` finds `政務` or `ＡＢＣ政务` for `abc政务`. Terms are matched
//! character for character: whitespace inside the text breaks a match.
//! Empty and duplicate terms are ignored.

use std::collections::HashMap;

use super::{FindingKind, Hit, Severity};

/// A configured term and its folded form.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub original: String,
    pub folded: Vec<char>,
}

pub(crate) fn prepare(terms: &[String]) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    for t in terms {
        let folded = super::fold::fold_term(t);
        if folded.is_empty() || out.iter().any(|o| o.folded == folded) {
            continue;
        }
        out.push(Term {
            original: t.trim().to_string(),
            folded,
        });
    }
    out
}

pub(crate) fn detect(lower: &[char], terms: &[Term], hits: &mut Vec<Hit>) {
    // Terms by first character: one pass over the text whatever the
    // length of the list.
    let mut by_first: HashMap<char, Vec<&Term>> = HashMap::new();
    for t in terms {
        if let Some(c) = t.folded.first() {
            by_first.entry(*c).or_default().push(t);
        }
    }
    for (i, c) in lower.iter().enumerate() {
        let Some(candidates) = by_first.get(c) else {
            continue;
        };
        for t in candidates {
            let n = t.folded.len();
            if lower.get(i..i + n) == Some(t.folded.as_slice()) {
                hits.push(Hit {
                    kind: FindingKind::Term,
                    severity: Severity::Block,
                    start: i,
                    end: i + n,
                    message: format!("敏感词「{}」（本机关配置的敏感词表）", t.original),
                    replacement: Some("*".repeat(n)),
                    key: t.folded.iter().collect(),
                });
            }
        }
    }
}
