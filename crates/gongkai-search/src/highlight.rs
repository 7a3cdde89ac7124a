//! Highlighted titles and snippets as plain segments.
//!
//! Matches are found in the folded text (so 政務公開 in a document is
//! highlighted for the query 政务公开) and mapped back to the original
//! characters. The result is a list of `{text, highlighted}` segments: the
//! web layer escapes each one and wraps highlighted ones in `<mark>`; no
//! HTML is ever produced here.

use serde::{Deserialize, Serialize};

use crate::normalise::Mapped;

/// A piece of a title or snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub highlighted: bool,
}

/// Snippet length in characters.
pub const SNIPPET_CHARS: usize = 120;
/// Characters of context kept before the first match of a snippet.
const LEAD_CHARS: usize = 20;
const ELLIPSIS: &str = "…";

/// Byte ranges of `original` where any of the (folded) `needles` occur,
/// sorted and merged.
pub fn match_ranges(original: &str, needles: &[String]) -> Vec<(usize, usize)> {
    if needles.is_empty() || original.is_empty() {
        return Vec::new();
    }
    let m = Mapped::new(original);
    let mut ranges = Vec::new();
    for n in needles.iter().filter(|n| !n.is_empty()) {
        for (i, _) in m.text.match_indices(n.as_str()) {
            ranges.push(m.original_range(i, i + n.len()));
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The whole text split into highlighted and plain segments.
pub fn segments(text: &str, ranges: &[(usize, usize)]) -> Vec<Segment> {
    segments_in(text, 0, text.len(), ranges)
}

fn segments_in(text: &str, from: usize, to: usize, ranges: &[(usize, usize)]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = from;
    let mut push = |s: &str, highlighted: bool| {
        if !s.is_empty() {
            out.push(Segment {
                text: s.to_string(),
                highlighted,
            });
        }
    };
    for &(s, e) in ranges {
        let (s, e) = (s.max(from), e.min(to));
        if s >= e || s < at {
            continue;
        }
        push(&text[at..s], false);
        push(&text[s..e], true);
        at = e;
    }
    if at < to {
        push(&text[at..to], false);
    }
    out
}

/// The best window of about [`SNIPPET_CHARS`] characters around the
/// matches, or `None` when nothing matches.
pub fn snippet(text: &str, needles: &[String]) -> Option<Vec<Segment>> {
    let ranges = match_ranges(text, needles);
    if ranges.is_empty() {
        return None;
    }
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let char_at = |byte: usize| bounds.partition_point(|&b| b < byte);
    let byte_at = |ch: usize| bounds.get(ch).copied().unwrap_or(text.len());
    let total = bounds.len() - 1;

    // The window starting at each match that holds the most matches;
    // earliest wins a tie.
    let mut best = (0usize, 0usize);
    for (k, &(s, _)) in ranges.iter().enumerate() {
        let start = char_at(s);
        let end_byte = byte_at(start + SNIPPET_CHARS);
        let inside = ranges[k..].iter().take_while(|r| r.1 <= end_byte).count();
        if inside > best.1 {
            best = (k, inside);
        }
    }
    let first = ranges[best.0].0;
    let first_char = char_at(first);
    // Start a little before the match, at a sentence start when one is
    // near, so the snippet reads as text.
    let mut start_char = first_char.saturating_sub(LEAD_CHARS);
    let lead = &text[byte_at(start_char)..first];
    if let Some(p) = lead.rfind(['。', '；', '！', '？', '\n']) {
        let after = p + lead[p..].chars().next().map_or(1, char::len_utf8);
        start_char = char_at(byte_at(start_char) + after);
    }
    let end_char = (start_char + SNIPPET_CHARS).min(total);
    let (from, to) = (byte_at(start_char), byte_at(end_char));
    let mut out = Vec::new();
    if from > 0 {
        out.push(plain(ELLIPSIS));
    }
    out.extend(segments_in(text, from, to, &ranges));
    if to < text.len() {
        out.push(plain(ELLIPSIS));
    }
    Some(out)
}

/// The opening of a text, unhighlighted, for hits that matched elsewhere.
pub fn lead(text: &str) -> Vec<Segment> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    match trimmed.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => vec![plain(&trimmed[..cut]), plain(ELLIPSIS)],
        None => vec![plain(trimmed)],
    }
}

fn plain(s: &str) -> Segment {
    Segment {
        text: s.to_string(),
        highlighted: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(segs: &[Segment]) -> String {
        segs.iter()
            .map(|s| {
                if s.highlighted {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn highlights_fold_to_the_query() {
        let title = "關於推進政務公開工作的通知";
        let r = match_ranges(title, &["政务公开".to_string()]);
        assert_eq!(marked(&segments(title, &r)), "關於推進[政務公開]工作的通知");
    }

    #[test]
    fn overlapping_needles_merge() {
        let t = "政务公开工作";
        let r = match_ranges(t, &["政务公开".to_string(), "公开工作".to_string()]);
        assert_eq!(marked(&segments(t, &r)), "[政务公开工作]");
    }

    #[test]
    fn snippet_is_a_window_around_the_match() {
        let body = format!(
            "{}。本市全面推进政务公开标准化规范化工作。{}",
            "前言".repeat(100),
            "后记".repeat(100)
        );
        let s = snippet(&body, &["政务公开".to_string()]).expect("match");
        let text = marked(&s);
        assert!(text.starts_with("…本市全面推进[政务公开]"), "{text}");
        assert!(text.ends_with('…'));
        let chars = s.iter().map(|x| x.text.chars().count()).sum::<usize>();
        assert!(chars <= SNIPPET_CHARS + 2, "{chars}");
        assert!(snippet(&body, &["不存在".to_string()]).is_none());
    }

    #[test]
    fn lead_cuts_long_text() {
        let l = lead(&"字".repeat(300));
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].text.chars().count(), SNIPPET_CHARS);
        assert!(lead("  ").is_empty());
    }
}
