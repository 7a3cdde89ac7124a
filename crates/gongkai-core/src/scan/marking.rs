//! Classification and restriction markings (密级标志 and 内部 stamps).
//!
//! A marking is never masked: publishing `秘密★1年` with stars over it would
//! still publish a classified document. A reviewer must confirm that the
//! information was declassified or is not classified, remove the marking,
//! or override the finding with a reason.
//!
//! Rules (the words are matched after width and 繁→简 folding):
//! * 绝密/机密/秘密 followed by `★` (or `☆`, `*`) and an optional period
//!   (`1年`, `十年`, `6个月`, `长期`) is a marking: **blocking**.
//! * `密级` followed by an optional colon and a level (`密级：机密★5年`) is
//!   a marking: **blocking**; `密级：公开` / `无` / `非密` and the words
//!   保密级别/涉密级别 are not flagged; any other `密级` (`确定密级和保密期限`)
//!   is a **notice**.
//! * A level written as a word of ordinary language is not a marking: after
//!   国家/商业/工作/军事/技术/个人/经营/保守/泄露/泄漏/窃取/刺探, or before
//!   的/地/性/法. So the law citation 《中华人民共和国保守国家秘密法》, 商业秘密
//!   and 秘密的 are not flagged at all.
//! * Otherwise a level or one of 内部资料, 内部使用, 注意保存, 不予公开 is
//!   **blocking** when it stands alone: in brackets (`（内部资料）`, `【秘密】`),
//!   at the start of a line followed by a space or the line end (`秘密 关于…`),
//!   or on a line made only of markings (`内部资料 注意保存`, `仅供内部使用`).
//! * In running prose, 绝密/机密 and the four phrases are a **notice** for
//!   the reviewer (`机密文件`, `依法不予公开`); a bare 秘密 in prose is
//!   ordinary language and not flagged; `机密级` / `秘密级` is a notice.

use super::{FindingKind, Hit, Lines, Severity};

const LEVELS: [&str; 3] = ["绝密", "机密", "秘密"];
const PHRASES: [&str; 4] = ["内部资料", "内部使用", "注意保存", "不予公开"];
const PROSE_BEFORE: [&str; 12] = [
    "国家", "商业", "工作", "军事", "技术", "个人", "经营", "保守", "泄露", "泄漏", "窃取", "刺探",
];
const PROSE_AFTER: [char; 4] = ['的', '地', '性', '法'];
const STARS: [char; 3] = ['★', '☆', '*'];
const OPEN: &str = "（(【[〔「『〈<";
const CLOSE: &str = "）)】]〕」』〉>";
/// Removed from a line to decide whether it holds nothing but markings.
const MARKING_LINE_WORDS: [&str; 12] = [
    "绝密",
    "机密",
    "秘密",
    "内部资料",
    "内部使用",
    "注意保存",
    "不予公开",
    "密级",
    "仅供",
    "保密期限",
    "长期",
    "个月",
];

fn find_all(hay: &[char], pat: &str) -> Vec<usize> {
    let pat: Vec<char> = pat.chars().collect();
    if pat.is_empty() || hay.len() < pat.len() {
        return Vec::new();
    }
    (0..=hay.len() - pat.len())
        .filter(|&i| hay.get(i..i + pat.len()) == Some(pat.as_slice()))
        .collect()
}

fn starts_with(c: &[char], at: usize, pat: &str) -> bool {
    (at..).zip(pat.chars()).all(|(k, p)| c.get(k) == Some(&p))
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn skip_spaces(c: &[char], mut k: usize) -> usize {
    while c.get(k).is_some_and(|x| is_space(*x)) {
        k += 1;
    }
    k
}

/// `1年`, `十年`, `6个月`, `长期`: the end of a period starting at `k`.
fn period(c: &[char], k: usize) -> Option<usize> {
    if starts_with(c, k, "长期") {
        return Some(k + 2);
    }
    let numeral = |x: &char| x.is_ascii_digit() || "一二三四五六七八九十两半零〇".contains(*x);
    let mut e = k;
    while c.get(e).is_some_and(numeral) {
        e += 1;
    }
    if e == k {
        return None;
    }
    if c.get(e) == Some(&'个') {
        e += 1;
    }
    matches!(c.get(e), Some('年' | '月')).then_some(e + 1)
}

/// After a level at `j`: `★` and an optional period; the marking's end.
fn star_period(c: &[char], j: usize) -> Option<usize> {
    let k = skip_spaces(c, j);
    if !c.get(k).is_some_and(|x| STARS.contains(x)) {
        return None;
    }
    let after = skip_spaces(c, k + 1);
    Some(period(c, after).unwrap_or(k + 1))
}

/// Longest line that can consist of markings only.
const MARKING_LINE_MAX: usize = 40;

fn standalone(c: &[char], lines: &Lines, i: usize, j: usize) -> bool {
    let (ls, le) = lines.bounds(i, j);
    let before = c.get(ls..i).unwrap_or_default();
    let after = c.get(j..le).unwrap_or_default();
    let prev = before.iter().rev().find(|x| !is_space(**x));
    let next = after.iter().find(|x| !is_space(**x));
    let bracketed =
        prev.is_some_and(|p| OPEN.contains(*p)) && next.is_some_and(|n| CLOSE.contains(*n));
    let line_start = prev.is_none() && after.first().is_none_or(|x| is_space(*x) || *x == '\r');
    bracketed
        || line_start
        || (le - ls <= MARKING_LINE_MAX && only_markings(c.get(ls..le).unwrap_or_default()))
}

fn only_markings(line: &[char]) -> bool {
    let mut s: String = line.iter().collect();
    for w in MARKING_LINE_WORDS {
        s = s.replace(w, "");
    }
    s.chars().all(|x| {
        x.is_whitespace()
            || x.is_ascii_digit()
            || STARS.contains(&x)
            || OPEN.contains(x)
            || CLOSE.contains(x)
            || "年月一二三四五六七八九十两半:,，、。;；|".contains(x)
    })
}

fn prose(c: &[char], i: usize, j: usize) -> bool {
    let before: String = c
        .get(i.saturating_sub(2)..i)
        .unwrap_or_default()
        .iter()
        .collect();
    PROSE_BEFORE.contains(&before.as_str()) || c.get(j).is_some_and(|x| PROSE_AFTER.contains(x))
}

fn hit(c: &[char], i: usize, j: usize, severity: Severity) -> Hit {
    let m: String = c.get(i..j).unwrap_or_default().iter().collect();
    let message = match severity {
        Severity::Block => format!(
            "密级或保密标志「{m}」：不能遮盖后公开，须由审查人核实已解密或不属于涉密信息，删除该标志或说明理由后放行"
        ),
        Severity::Notice => format!("文中出现「{m}」，请确认不是密级标志、本信息可以公开"),
    };
    Hit {
        kind: FindingKind::Marking,
        severity,
        start: i,
        end: j,
        message,
        replacement: None,
        key: m,
    }
}

pub(crate) fn detect(c: &[char], lines: &Lines, hits: &mut Vec<Hit>) {
    for level in LEVELS {
        for i in find_all(c, level) {
            let j = i + 2;
            if let Some(end) = star_period(c, j) {
                hits.push(hit(c, i, end, Severity::Block));
            } else if prose(c, i, j) {
                continue;
            } else if standalone(c, lines, i, j) {
                hits.push(hit(c, i, j, Severity::Block));
            } else if c.get(j) == Some(&'级') {
                hits.push(hit(c, i, j + 1, Severity::Notice));
            } else if level != "秘密" {
                hits.push(hit(c, i, j, Severity::Notice));
            }
        }
    }
    for i in find_all(c, "密级") {
        let j = i + 2;
        // 保密级别, 涉密级别: the words 保密/涉密, not 密级.
        if i > 0 && matches!(c.get(i - 1), Some('保' | '涉')) {
            continue;
        }
        let mut k = skip_spaces(c, j);
        if matches!(c.get(k), Some(':' | '：')) {
            k = skip_spaces(c, k + 1);
        }
        if LEVELS.iter().any(|l| starts_with(c, k, l)) {
            let end = star_period(c, k + 2).unwrap_or(k + 2);
            hits.push(hit(c, i, end, Severity::Block));
        } else if ["公开", "无", "非密"].iter().any(|w| starts_with(c, k, w)) {
            continue;
        } else {
            hits.push(hit(c, i, j, Severity::Notice));
        }
    }
    for phrase in PHRASES {
        for i in find_all(c, phrase) {
            let j = i + 4;
            let severity = if standalone(c, lines, i, j) {
                Severity::Block
            } else {
                Severity::Notice
            };
            hits.push(hit(c, i, j, severity));
        }
    }
}
