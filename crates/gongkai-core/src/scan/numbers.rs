//! Digit runs as people write them, and the numbers they can stand for.
//!
//! A *group* is a maximal run of digits (plus a final `X` when a letter
//! `X`/`x` ends it, for the ID check character). Groups joined by exactly
//! one space or one hyphen form a *chain* (`138 0013 8000`,
//! `430104-19900101-1234`, `6222 0212 3456 7890 123`). A *candidate* is a
//! contiguous part of a chain that starts at the chain start, after a space
//! or after a `+86`/`0086` prefix, and ends at the chain end or before a
//! space: hyphens bind tighter than spaces, so `2024-09-27-13800138000` is
//! one identifier (never a phone number), while in `2024-01-13 13800138000`
//! the phone number stands on its own.
//!
//! A group never splits: a phone number inside a longer digit run (an
//! 18-digit number, a bank card, a 文号 or a time stamp) is no candidate.
//! Groups touching ASCII letters belong to alphanumeric codes (统一社会信用代码,
//! 索引号 such as `MB1A00789`) and groups that are part of a decimal
//! (`3.1415…`) or a thousands-separated number (`1,380,013`) are *tainted*:
//! they join no chain and yield no candidate.

use super::fold::FChar;

/// The longest number any detector looks for (a 19-digit bank card).
const MAX_DIGITS: usize = 19;
/// Lengths some detector looks for: mobile 11, legacy ID 15, cards 16–19,
/// ID 18.
const LENGTHS: [usize; 6] = [11, 15, 16, 17, 18, 19];

#[derive(Debug, Clone)]
struct Group {
    /// Folded-character range, a final `X` included.
    start: usize,
    end: usize,
    /// ASCII digits, with a final upper-case `X` when present.
    digits: String,
    x: bool,
    tainted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Space,
    Hyphen,
}

/// A number a detector may recognise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// Digits (final `X` upper-cased), without separators or prefix.
    pub digits: String,
    /// Length of each group as written, in order.
    pub parts: Vec<usize>,
    /// Folded-character range of the number itself.
    pub start: usize,
    pub end: usize,
    /// Where a `+86` / `0086` country prefix before the number starts.
    pub prefix: Option<usize>,
}

fn is_digit(c: Option<&FChar>) -> bool {
    c.is_some_and(|f| f.c.is_ascii_digit())
}

fn groups(chars: &[FChar]) -> Vec<Group> {
    let at = |i: usize| chars.get(i).map(|f| f.c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars.get(i)) {
            i += 1;
            continue;
        }
        let start = i;
        while is_digit(chars.get(i)) {
            i += 1;
        }
        let mut digits: String = chars
            .get(start..i)
            .unwrap_or_default()
            .iter()
            .map(|f| f.c)
            .collect();
        let mut end = i;
        let x = matches!(at(end), Some('X' | 'x'))
            && !at(end + 1).is_some_and(|c| c.is_ascii_alphanumeric());
        if x {
            digits.push('X');
            end += 1;
        }
        let prev = start.checked_sub(1).and_then(at);
        let prev2 = start.checked_sub(2).and_then(at);
        let next = at(end);
        let next_is_digit = |k: usize| at(k).is_some_and(|c| c.is_ascii_digit());
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let decimal = (prev == Some('.') && prev2.is_some_and(|c| c.is_ascii_digit()))
            || (next == Some('.') && next_is_digit(end + 1));
        let three_after_comma = (1..=3).all(|k| next_is_digit(end + k)) && !next_is_digit(end + 4);
        let thousands = (next == Some(',') && three_after_comma)
            || (prev == Some(',')
                && prev2.is_some_and(|c| c.is_ascii_digit())
                && digits.len() == 3);
        let tainted = letter(prev) || (!x && letter(next)) || decimal || thousands;
        out.push(Group {
            start,
            end,
            digits,
            x,
            tainted,
        });
        i = end;
    }
    out
}

/// `+86` (the `+` directly before `86`) or `0086`.
fn is_prefix(g: &Group, chars: &[FChar]) -> bool {
    let plus = g
        .start
        .checked_sub(1)
        .and_then(|i| chars.get(i))
        .is_some_and(|f| f.c == '+');
    (g.digits == "86" && plus) || g.digits == "0086"
}

/// Where the prefix starts: at the `+` of `+86`, at the first `0` of `0086`.
fn prefix_start(g: &Group) -> usize {
    if g.digits == "86" {
        g.start.saturating_sub(1)
    } else {
        g.start
    }
}

/// All candidates of a folded text, in no particular order.
pub(crate) fn candidates(chars: &[FChar]) -> Vec<Candidate> {
    let gs = groups(chars);
    let mut out = Vec::new();
    let mut chain: Vec<&Group> = Vec::new();
    let mut links: Vec<Link> = Vec::new();
    for g in &gs {
        let link = chain.last().and_then(|p| link(p, g, chars));
        match link {
            Some(l) => {
                links.push(l);
                chain.push(g);
            }
            None => {
                chain_candidates(&chain, &links, chars, &mut out);
                chain.clear();
                links.clear();
                if !g.tainted {
                    chain.push(g);
                }
            }
        }
    }
    chain_candidates(&chain, &links, chars, &mut out);
    out
}

fn link(prev: &Group, next: &Group, chars: &[FChar]) -> Option<Link> {
    if prev.tainted || next.tainted || prev.x || next.start != prev.end + 1 {
        return None;
    }
    match chars.get(prev.end)?.c {
        ' ' => Some(Link::Space),
        '-' => Some(Link::Hyphen),
        _ => None,
    }
}

fn chain_candidates(chain: &[&Group], links: &[Link], chars: &[FChar], out: &mut Vec<Candidate>) {
    let n = chain.len();
    for s in 0..n {
        let Some(first) = chain.get(s) else { continue };
        let after_prefix = s > 0 && chain.get(s - 1).is_some_and(|p| is_prefix(p, chars));
        let can_start = s == 0 || links.get(s - 1) == Some(&Link::Space) || after_prefix;
        if !can_start {
            continue;
        }
        let prefix = after_prefix
            .then(|| chain.get(s - 1).map(|p| prefix_start(p)))
            .flatten();
        single_group_prefix(
            first,
            chars,
            s == 0 || links.get(s - 1) == Some(&Link::Space),
            out,
        );
        let mut digits = String::new();
        let mut parts = Vec::new();
        for e in s..n {
            let Some(g) = chain.get(e) else { break };
            // No detector accepts a written group of one digit inside a
            // number, or a first group of fewer than three: stop early
            // (this keeps long runs like `1 2 3 4 …` linear).
            if e > s && (first.digits.len() < 3 || parts.last().is_some_and(|p| *p < 2)) {
                break;
            }
            digits.push_str(&g.digits);
            parts.push(g.digits.len());
            if digits.len() > MAX_DIGITS {
                break;
            }
            let can_end = e + 1 == n || links.get(e) == Some(&Link::Space);
            if can_end && LENGTHS.contains(&digits.len()) {
                out.push(Candidate {
                    digits: digits.clone(),
                    parts: parts.clone(),
                    start: first.start,
                    end: g.end,
                    prefix,
                });
            }
        }
    }
}

/// `+8613800138000` and `008613800138000`: a prefix written without a
/// separator, inside one group.
fn single_group_prefix(g: &Group, chars: &[FChar], own_start: bool, out: &mut Vec<Candidate>) {
    if !own_start || g.x {
        return;
    }
    let plus = g
        .start
        .checked_sub(1)
        .and_then(|i| chars.get(i))
        .is_some_and(|f| f.c == '+');
    let (skip, prefix) = if plus && g.digits.len() == 13 && g.digits.starts_with("86") {
        (2, g.start - 1)
    } else if g.digits.len() == 15 && g.digits.starts_with("0086") {
        (4, g.start)
    } else {
        return;
    };
    out.push(Candidate {
        digits: g.digits.get(skip..).unwrap_or_default().to_string(),
        parts: vec![g.digits.len() - skip],
        start: g.start + skip,
        end: g.end,
        prefix: Some(prefix),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::fold::fold;

    fn digits(s: &str) -> Vec<String> {
        let mut v: Vec<String> = candidates(&fold(s)).into_iter().map(|c| c.digits).collect();
        v.sort();
        v
    }

    #[test]
    fn groups_join_on_single_spaces_and_hyphens() {
        assert_eq!(digits("电话138 0013 8000。"), vec!["13800138000"]);
        assert_eq!(
            digits("6222 0212 3456 7890 128"),
            vec![
                "021234567890128",
                "34567890128",
                "6222021234567890",
                "6222021234567890128"
            ]
        );
        // Hyphens bind: no candidate starts or ends inside a hyphen chain.
        assert_eq!(
            digits("2024-09-27-13800138000"),
            vec!["2024092713800138000"]
        );
        assert!(digits("2024-01-13 13800138000").contains(&"13800138000".to_string()));
    }

    #[test]
    fn codes_decimals_and_thousands_are_tainted() {
        assert!(digits("91430100MA4L16JQ9X").is_empty());
        assert!(digits("3.14159265358979323").is_empty());
        assert!(digits("1,380,013,800").is_empty());
        assert_eq!(digits("43010419900101123x，"), vec!["43010419900101123X"]);
    }

    #[test]
    fn country_prefixes_are_kept_apart() {
        let c = candidates(&fold("+86 138 0013 8000"));
        let m = c.iter().find(|c| c.digits == "13800138000").unwrap();
        assert_eq!(m.prefix, Some(0));
        let c = candidates(&fold("+8613800138000"));
        assert!(
            c.iter()
                .any(|c| c.digits == "13800138000" && c.prefix == Some(0))
        );
        let c = candidates(&fold("0086-13800138000"));
        assert!(
            c.iter()
                .any(|c| c.digits == "13800138000" && c.prefix == Some(0))
        );
    }
}
