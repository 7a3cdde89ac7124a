//! Title (agency, year), section headings and narrative claims.

use crate::model::Claim;
use crate::text::{Line, sub_span};

fn cn_digit(c: char) -> Option<u32> {
    match c {
        '〇' | '○' | '零' | 'O' | '0' => Some(0),
        _ => "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32 + 1),
    }
}

/// Finds a report year (`2017年`, `二〇一七年`, `2017 年度`) in a line;
/// returns (char index where the year starts, year).
pub fn year_in(line: &str) -> Option<(usize, i32)> {
    let cs: Vec<char> = line.chars().collect();
    for i in 0..cs.len() {
        let window = cs.get(i..i + 4)?;
        let digits: Option<Vec<u32>> = if window.iter().all(char::is_ascii_digit) {
            window.iter().map(|c| c.to_digit(10)).collect()
        } else {
            window.iter().map(|c| cn_digit(*c)).collect()
        };
        let Some(d) = digits else { continue };
        let before_ok = i == 0 || !cs.get(i - 1).is_some_and(char::is_ascii_digit);
        let mut j = i + 4;
        while cs.get(j) == Some(&' ') {
            j += 1;
        }
        if before_ok && cs.get(j) == Some(&'年') {
            let y = d.iter().fold(0i32, |a, x| a * 10 + *x as i32);
            if (1990..=2100).contains(&y) {
                return Some((i, y));
            }
        }
    }
    None
}

/// Agency and year from the report title; falls back to the statistics
/// table title (`2012年…统计表`) and its `填报单位:` line.
pub fn title(lines: &[Line]) -> (Option<String>, Option<i32>) {
    let candidates = lines.iter().filter(|l| !l.text.trim().is_empty()).take(20);
    for l in candidates {
        let t = l.text.trim();
        if t.chars().count() > 70 || !(t.contains("报告") || t.contains("年报")) {
            continue;
        }
        if let Some((at, y)) = year_in(t) {
            let agency: String = t.chars().take(at).collect();
            let agency = agency.trim().trim_end_matches("关于").trim();
            let agency = if agency.is_empty() {
                // "2022年青岚区政府信息公开工作年度报告": the agency follows the year.
                let after: String = t.chars().skip(at + 4).collect();
                let after = after.trim_start_matches([' ', '年', '度']);
                after
                    .find("政府信息公开")
                    .or_else(|| after.find("政务公开"))
                    .and_then(|e| after.get(..e))
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
            } else {
                Some(agency.to_string())
            };
            return (agency, Some(y));
        }
    }
    let mut year = None;
    let mut agency = None;
    for l in lines {
        let t = l.text.trim();
        if year.is_none() && t.contains("统计表") && t.chars().count() < 60 {
            year = year_in(t).map(|(_, y)| y);
        }
        if agency.is_none()
            && let Some(rest) = t.strip_prefix("填报单位")
        {
            let rest = rest.trim_start_matches(['(', ')', '盖', '章', ':', ' ']);
            let name: String = rest
                .split([' ', '|'])
                .next()
                .unwrap_or_default()
                .to_string();
            agency = (!name.is_empty()).then_some(name);
        }
    }
    (agency, year)
}

/// Section headings such as `一、总体情况` (short lines with `一、` numbering).
pub fn sections(lines: &[Line], in_table: impl Fn((usize, usize)) -> bool) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !in_table(l.span))
        .map(|l| l.text.trim())
        .filter(|t| {
            let mut cs = t.chars();
            let first = cs
                .next()
                .is_some_and(|c| "一二三四五六七八九十".contains(c));
            first && t.contains('、') && t.chars().count() <= 40 && !t.contains('|')
        })
        .filter(|t| {
            let head: String = t.chars().take_while(|c| *c != '、').collect();
            head.chars().count() <= 2
        })
        .map(|t| {
            // Keep only the heading, not the paragraph glued after it.
            let end = t.find(['。', ' ']).unwrap_or(t.len());
            t.get(..end).unwrap_or(t).to_string()
        })
        .collect()
}

const CLAIM_KINDS: &[(&str, &[&str], &[&str])] = &[
    // (kind, all of these must appear, none of these may appear)
    (
        "requests_received",
        &["申请"],
        &[
            "复议", "诉讼", "投诉", "信箱", "12345", "咨询", "举报", "累计",
        ],
    ),
    ("reviews", &["行政复议"], &["累计"]),
    ("lawsuits", &["行政诉讼"], &["累计"]),
];

/// Numbers in narrative sentences that restate table cells, e.g.
/// "共收到政府信息公开申请15件", "行政复议案件101件". Only the first
/// statement of each kind is taken (later ones are usually breakdowns).
pub fn claims(lines: &[Line], in_table: impl Fn((usize, usize)) -> bool) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    for line in lines {
        if line.chars.len() < 12 || in_table(line.span) || line.text.contains('|') {
            continue;
        }
        let cs: Vec<char> = line.chars.iter().map(|n| n.c).collect();
        let mut start = 0;
        for (i, c) in cs
            .iter()
            .enumerate()
            .chain(std::iter::once((cs.len(), &'。')))
        {
            if !matches!(c, '。' | ',' | ';' | ':' | '，' | '；' | '！' | '?') {
                continue;
            }
            let clause: String = cs.get(start..i).unwrap_or_default().iter().collect();
            for (kind, need, avoid) in CLAIM_KINDS {
                if out.iter().any(|c| c.kind == *kind) {
                    continue;
                }
                let anchor = match *kind {
                    "requests_received" => ["收到", "受理", "新收", "接收", "接到"]
                        .iter()
                        .filter_map(|a| clause.find(a))
                        .min(),
                    _ => need.first().and_then(|n| clause.find(n)),
                };
                let Some(anchor) = anchor else { continue };
                if !need.iter().all(|n| clause.contains(n))
                    || avoid.iter().any(|a| clause.contains(a))
                {
                    continue;
                }
                let anchor_chars = clause.get(..anchor).map_or(0, |s| s.chars().count());
                if let Some((value, num_start, end)) = number_jian(&cs, start + anchor_chars, i)
                    && plausible(
                        kind,
                        cs.get(start + anchor_chars..num_start).unwrap_or_default(),
                    )
                {
                    let raw: String = cs
                        .get(start + anchor_chars..end)
                        .unwrap_or_default()
                        .iter()
                        .collect();
                    let span = sub_span(line, start + anchor_chars, end);
                    out.push(Claim {
                        kind: kind.to_string(),
                        value,
                        raw,
                        span: [span.0, span.1],
                    });
                }
            }
            start = i + 1;
        }
    }
    out
}

/// The words between the anchor and the number must not turn the number
/// into a breakdown ("行政复议纠错1件", "收到申请…办结15件").
fn plausible(kind: &str, between: &[char]) -> bool {
    let text: String = between.iter().collect();
    let (max_len, avoid): (usize, &[&str]) = match kind {
        "requests_received" => (18, &["办结", "答复", "结转", "上年"]),
        _ => (
            10,
            &[
                "维持",
                "纠错",
                "纠正",
                "败诉",
                "撤销",
                "确认",
                "驳回",
                "其他",
                "尚未",
                "审结",
                "复议后",
            ],
        ),
    };
    between.len() <= max_len && !avoid.iter().any(|a| text.contains(a))
}

/// First `<digits>件` in `cs[from..to]`; returns the value, the char index
/// of the number and the char index just after `件`.
fn number_jian(cs: &[char], from: usize, to: usize) -> Option<(f64, usize, usize)> {
    let mut i = from;
    while i < to {
        if cs.get(i).is_some_and(char::is_ascii_digit) {
            let mut j = i;
            while cs.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            let mut k = j;
            while cs.get(k) == Some(&' ') {
                k += 1;
            }
            if cs.get(k) == Some(&'件') {
                let s: String = cs.get(i..j)?.iter().collect();
                return s.parse::<f64>().ok().map(|v| (v, i, k + 1));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{chars_of, lines};

    fn t(s: &str) -> (Option<String>, Option<i32>) {
        title(&lines(&chars_of(s)))
    }

    fn claim_list(s: &str) -> Vec<(String, f64)> {
        claims(&lines(&chars_of(s)), |_| false)
            .into_iter()
            .map(|c| (c.kind, c.value))
            .collect()
    }

    #[test]
    fn claims_take_totals_not_breakdowns() {
        assert_eq!(
            claim_list("本年度共新收政府信息公开申请12件，上年结转1件。"),
            vec![("requests_received".to_string(), 12.0)]
        );
        assert_eq!(
            claim_list(
                "本机关行政复议结果纠正1件，全年因政府信息公开被申请行政复议3件、提起行政诉讼1件。"
            ),
            vec![("reviews".to_string(), 3.0), ("lawsuits".to_string(), 1.0)]
        );
    }

    #[test]
    fn agency_and_year_from_titles() {
        assert_eq!(
            t("青岚区民政局2022年度政府信息公开工作年度报告"),
            (Some("青岚区民政局".into()), Some(2022))
        );
        assert_eq!(
            t("2022年青岚区政府信息公开工作年度报告"),
            (Some("青岚区".into()), Some(2022))
        );
        assert_eq!(
            t("青岚镇二〇一三年政府信息公开年度报告"),
            (Some("青岚镇".into()), Some(2013))
        );
        assert_eq!(t("没有标题的文字"), (None, None));
    }
}
