//! Lenient label matching and cell-value classification.
//!
//! Real reports vary numbering (`(一)` / `（一）` / `一、`), punctuation,
//! notes in parentheses and even swap characters (`工作人数员`), so labels
//! are compared by their *core* (text after the last numbering marker,
//! without trailing notes) with an LCS similarity.

use unicode_normalization::UnicodeNormalization;

/// Kind of a numbering marker, ordered from outermost to innermost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Marker {
    /// `一、`
    Chinese,
    /// `(一)`
    ParenChinese,
    /// `1、` / `1.`
    Digit,
    /// `(1)` / `①`
    ParenDigit,
}

const CN_DIGITS: &str = "一二三四五六七八九十";

fn is_cn_digit(c: char) -> bool {
    CN_DIGITS.contains(c)
}

/// Finds a numbering marker starting at char index `i`; returns its kind,
/// the number text and its length in chars.
fn marker_at(cs: &[char], i: usize) -> Option<(Marker, String, usize)> {
    let at = |k: usize| cs.get(k).copied();
    let prev_ok = i == 0 || !at(i - 1).is_some_and(|p| p.is_ascii_digit() || is_cn_digit(p));
    if !prev_ok {
        return None;
    }
    let c = at(i)?;
    if c == '(' {
        let mut j = i + 1;
        let cn = at(j).is_some_and(is_cn_digit);
        let dg = at(j).is_some_and(|c| c.is_ascii_digit());
        while at(j).is_some_and(|c| (cn && is_cn_digit(c)) || (dg && c.is_ascii_digit())) {
            j += 1;
        }
        if (cn || dg) && j - i <= 4 && at(j) == Some(')') {
            let num: String = cs.get(i + 1..j)?.iter().collect();
            let kind = if cn {
                Marker::ParenChinese
            } else {
                Marker::ParenDigit
            };
            return Some((kind, num, j + 1 - i));
        }
        return None;
    }
    if ('①'..='⑳').contains(&c) {
        return Some((Marker::ParenDigit, c.to_string(), 1));
    }
    let cn = is_cn_digit(c);
    let dg = c.is_ascii_digit();
    if !(cn || dg) {
        return None;
    }
    let mut j = i;
    while at(j).is_some_and(|c| (cn && is_cn_digit(c)) || (dg && c.is_ascii_digit())) {
        j += 1;
    }
    if j - i > 2 {
        return None;
    }
    let sep = at(j)?;
    let after_ok = !at(j + 1).is_some_and(|c| c.is_ascii_digit());
    let ok = if cn {
        sep == '、'
    } else {
        matches!(sep, '、' | '.' | ',') && after_ok
    };
    if !ok {
        return None;
    }
    let num: String = cs.get(i..j)?.iter().collect();
    Some((
        if cn { Marker::Chinese } else { Marker::Digit },
        num,
        j + 1 - i,
    ))
}

/// Parsed label: the last numbering marker (if any) and the core text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub marker: Option<(Marker, String)>,
    /// Leading marker kind (for hierarchy), if the label starts with one.
    pub leading: Option<Marker>,
    pub qizhong: bool,
    pub core: String,
    /// `core` as characters and a 128-bit set of their hashes: every token
    /// of a report is scored against every label, and these let [`score`]
    /// reject hopeless pairs without allocating.
    pub core_chars: Vec<char>,
    pub core_mask: u128,
}

fn char_bit(c: char) -> u128 {
    1u128 << (u32::from(c) % 128)
}

pub fn parse(label: &str) -> Parsed {
    // Tokens are already NFKC-normalised; skip the (costly) normaliser when
    // every character is trivially stable (ASCII or the basic CJK block).
    let stable = |c: char| c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&c);
    let cs: Vec<char> = if label.chars().all(stable) {
        label.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        label.nfkc().filter(|c| !c.is_whitespace()).collect()
    };
    let mut start = 0;
    let mut marker = None;
    let mut leading = None;
    let mut qizhong = false;
    let mut i = 0;
    while i < cs.len() {
        if cs.get(i..i + 2) == Some(&['其', '中'][..]) {
            let mut j = i + 2;
            while cs.get(j).is_some_and(|c| matches!(c, ':' | ',' | '、')) {
                j += 1;
            }
            if i == start {
                qizhong = true;
                start = j;
                i = j;
                continue;
            }
        }
        if let Some((kind, num, len)) = marker_at(&cs, i) {
            if i == 0 || (qizhong && i == start) {
                leading = leading.or(Some(kind));
            }
            marker = Some((kind, num));
            start = i + len;
            i += len;
            continue;
        }
        i += 1;
    }
    let mut core: Vec<char> = cs.get(start..).unwrap_or_default().to_vec();
    // Drop a trailing note in parentheses: "专职人员数(不包括…)", also when
    // the note continues on the next line and is not closed here.
    if let Some(open) = core.iter().position(|&c| c == '(')
        && open > 0
    {
        core.truncate(open);
    }
    let core_chars: Vec<char> = core
        .into_iter()
        .filter(|c| !"“”\"'、,:;·.。‘’《》".contains(*c))
        .collect();
    Parsed {
        marker,
        leading,
        qizhong,
        core: core_chars.iter().collect(),
        core_mask: core_chars.iter().fold(0, |m, c| m | char_bit(*c)),
        core_chars,
    }
}

/// Similarity in [0, 1]: 2·LCS / (|a| + |b|).
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    similarity_chars(&a, &b)
}

/// Longest input compared by LCS; longer pairs only match when equal.
const MAX_LCS: usize = 200;

fn similarity_chars(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() || b.is_empty() || a.len() > MAX_LCS || b.len() > MAX_LCS {
        return if a == b { 1.0 } else { 0.0 };
    }
    // Two rows of the LCS table on the stack (no allocation per pair).
    let mut prev = [0u16; MAX_LCS + 1];
    let mut cur = [0u16; MAX_LCS + 1];
    for ca in a {
        for (j, cb) in b.iter().enumerate() {
            let v = if ca == cb {
                prev.get(j).copied().unwrap_or(0) + 1
            } else {
                prev.get(j + 1)
                    .copied()
                    .unwrap_or(0)
                    .max(cur.get(j).copied().unwrap_or(0))
            };
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = v;
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let lcs = usize::from(prev.get(b.len()).copied().unwrap_or(0));
    (2 * lcs) as f64 / (a.len() + b.len()) as f64
}

/// Score of a printed label against a canonical label (0 when no match).
pub fn score(printed: &Parsed, canonical: &Parsed) -> f64 {
    if printed.core.is_empty() {
        return 0.0;
    }
    if canonical.core_chars.len() <= 3 {
        // Short cores ("总计", "其他", "规章") also need the same numbering,
        // otherwise a column header would match a row.
        let same_num =
            printed.marker.as_ref().map(|m| &m.1) == canonical.marker.as_ref().map(|m| &m.1);
        return if printed.core == canonical.core && same_num {
            1.0
        } else {
            0.0
        };
    }
    // The LCS is at most the shorter length, so when the lengths alone rule
    // out a score of 0.8 the quadratic comparison is skipped. Most tokens
    // of a report are compared with every label; this keeps import cheap.
    // A score of 0.8 needs 2·LCS ≥ 0.8·(|a| + |b|). The LCS is bounded by
    // the shorter length and by the characters of `printed` whose hash bit
    // occurs in `canonical`; when either bound rules the pair out the
    // quadratic comparison is skipped (most tokens are not labels).
    let (a, b) = (&printed.core_chars, &canonical.core_chars);
    let need = 4 * (a.len() + b.len());
    if 10 * a.len().min(b.len()) < need {
        return 0.0;
    }
    let shared = a
        .iter()
        .filter(|c| canonical.core_mask & char_bit(**c) != 0)
        .count();
    if 10 * shared < need {
        return 0.0;
    }
    let s = similarity_chars(a, b);
    if s >= 0.8 { s } else { 0.0 }
}

/// What a table cell contains.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Blank,
    Dash,
    Number(f64),
    Unit,
    Text,
}

const UNITS: &[&str] = &[
    "条", "件", "个", "人", "人次", "次", "篇", "万元", "元", "项", "场", "期", "家", "份", "户",
    "天", "%", "场次", "件次", "个次", "张", "页",
];

pub fn classify(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        return Cell::Blank;
    }
    if t.chars()
        .all(|c| matches!(c, '-' | '—' | '–' | '/' | '\\' | '…' | '─' | '_'))
        || t == "无"
        || t == "/"
    {
        return Cell::Dash;
    }
    if UNITS.contains(&t) {
        return Cell::Unit;
    }
    let mut num = t;
    for u in UNITS {
        if let Some(rest) = t.strip_suffix(u)
            && rest.chars().last().is_some_and(|c| c.is_ascii_digit())
        {
            num = rest.trim_end();
            break;
        }
    }
    parse_number(num).map_or(Cell::Text, Cell::Number)
}

pub fn parse_number(s: &str) -> Option<f64> {
    // Called for every token by every table parser: no allocation unless
    // there are separators to drop.
    let t: std::borrow::Cow<'_, str> = if s.contains([',', ' ']) {
        s.chars()
            .filter(|c| *c != ',' && *c != ' ')
            .collect::<String>()
            .into()
    } else {
        s.into()
    };
    let body = t.strip_prefix(['-', '+']).unwrap_or(&t);
    if body.is_empty()
        || body.len() > 18
        || !body.chars().all(|c| c.is_ascii_digit() || c == '.')
        || body.starts_with('.')
        || body.chars().filter(|c| *c == '.').count() > 1
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores_strip_numbering_and_notes() {
        assert_eq!(
            parse("一、主动公开情况(一)主动公开政府信息数").core,
            "主动公开政府信息数"
        );
        assert_eq!(parse("1、专职人员数(不包括政府公报)").core, "专职人员数");
        assert_eq!(parse("其中:1.政府网站公开数").core, "政府网站公开数");
        let p = parse("(七)总计");
        assert_eq!(p.marker, Some((Marker::ParenChinese, "七".into())));
        assert_eq!(parse("2017年").core, "2017年");
    }

    #[test]
    fn lenient_scores() {
        let a = parse("(三)从事政府信息公开工作人数员");
        let b = parse("(三)从事政府信息公开工作人员数");
        assert!(score(&a, &b) > 0.9);
        assert_eq!(score(&parse("总计"), &parse("(七)总计")), 0.0);
        assert_eq!(score(&parse("(七)总计"), &parse("(七)总计")), 1.0);
    }

    #[test]
    fn classifies_cells() {
        assert_eq!(classify("1,234"), Cell::Number(1234.0));
        assert_eq!(classify("—"), Cell::Dash);
        assert_eq!(classify("万元"), Cell::Unit);
        assert_eq!(classify("15件"), Cell::Number(15.0));
        assert_eq!(classify("0.5"), Cell::Number(0.5));
        assert_eq!(classify("-3"), Cell::Number(-3.0));
        assert_eq!(classify("2018年"), Cell::Text);
    }
}
