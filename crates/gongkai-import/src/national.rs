//! Cell extraction for the national formats (2014 统计表, 2019/2021 tables).
//!
//! All renderings (one cell per line, `|`-separated rows, HTML grids) are
//! reduced to one stream of cell tokens. A token whose label matches a
//! canonical row is followed by that row's value cells; a text token ends
//! the row. This tolerates dropped blank cells, split headers and notes.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::canon;
use crate::label::{self, Parsed};
use crate::model::{Cell, fmt_num};
use crate::text::Token;

pub struct RowDef {
    pub key: &'static str,
    pub label: &'static str,
    pub parsed: Parsed,
    pub cols: Vec<&'static str>,
}

pub struct TableDef {
    pub table: &'static str,
    pub rows: Vec<RowDef>,
    /// 2014 table: a single value column next to an optional unit column.
    pub single_value: bool,
}

fn def(
    table: &'static str,
    rows: &[(&'static str, &'static str)],
    cols: &[&'static str],
) -> TableDef {
    TableDef {
        table,
        rows: rows
            .iter()
            .map(|(k, l)| RowDef {
                key: k,
                label: l,
                parsed: label::parse(l),
                cols: cols.to_vec(),
            })
            .collect(),
        single_value: cols.len() == 1,
    }
}

fn t2(rows: &[canon::T2Row]) -> TableDef {
    TableDef {
        table: "t2",
        rows: rows
            .iter()
            .map(|(k, l, cols)| RowDef {
                key: k,
                label: l,
                parsed: label::parse(l),
                cols: cols.iter().map(|c| c.0).collect(),
            })
            .collect(),
        single_value: false,
    }
}

fn t3_cols() -> Vec<&'static str> {
    canon::T3_COLS.iter().map(|c| c.0).collect()
}

pub static STAT: LazyLock<TableDef> = LazyLock::new(|| def("stat", canon::STAT_ROWS, &["value"]));
pub static T3_2021: LazyLock<TableDef> =
    LazyLock::new(|| def("t3", canon::T3_ROWS_2021, &t3_cols()));
pub static T3_2019: LazyLock<TableDef> =
    LazyLock::new(|| def("t3", canon::T3_ROWS_2019, &t3_cols()));
pub static T2_2021: LazyLock<TableDef> = LazyLock::new(|| t2(canon::T2_2021));
pub static T2_2019: LazyLock<TableDef> = LazyLock::new(|| t2(canon::T2_2019));

/// Picks the best-matching row; among near-equal scores the first row after
/// the previously matched one wins (duplicated labels such as 被依法纠错数
/// under both 行政复议 and 行政诉讼 are resolved by table order).
fn best_row(def: &TableDef, p: &Parsed, last: Option<usize>) -> Option<usize> {
    let scores: Vec<f64> = def
        .rows
        .iter()
        .map(|r| label::score(p, &r.parsed))
        .collect();
    let best = scores.iter().copied().fold(0.0, f64::max);
    if best <= 0.0 {
        return None;
    }
    let near = |i: &usize| scores.get(*i).is_some_and(|s| *s >= best - 0.05);
    let after = (0..scores.len())
        .filter(near)
        .find(|i| last.is_none_or(|l| *i > l));
    after.or_else(|| (0..scores.len()).find(near))
}

pub fn cell_of(
    table: &str,
    row: Option<&str>,
    col: &str,
    label: &str,
    tok: &Token,
    value: Option<f64>,
) -> Cell {
    Cell {
        table: table.to_string(),
        row: row.map(str::to_string),
        col: col.to_string(),
        value,
        raw: tok.text.clone(),
        label: label.to_string(),
        span: [tok.span.0, tok.span.1],
    }
}

/// Extracts the rows of `def` from the token stream.
pub fn extract(tokens: &[Token], def: &TableDef) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut done: HashSet<&str> = HashSet::new();
    let mut last = None;
    for (i, tok) in tokens.iter().enumerate() {
        if tok.text.chars().count() > 90 || tok.kind() != label::Cell::Text {
            continue;
        }
        let p = tok.parsed();
        // A label may continue on the next line: retry with both halves.
        let (ri, label_end, label_text) = match best_row(def, p, last) {
            Some(ri) => (ri, i, tok.text.clone()),
            None => {
                let Some(next) = tokens.get(i + 1).filter(|n| {
                    n.kind() == label::Cell::Text
                        && n.text.chars().count() <= 12
                        && n.parsed().leading.is_none()
                }) else {
                    continue;
                };
                let joined = format!("{}{}", tok.text, next.text);
                match best_row(def, &label::parse(&joined), last) {
                    Some(ri) => (ri, i + 1, joined),
                    None => continue,
                }
            }
        };
        let Some(row) = def.rows.get(ri) else {
            continue;
        };
        if done.contains(row.key) {
            continue;
        }
        let vals = values_after(tokens, label_end, row.cols.len(), def);
        if vals.is_empty() {
            continue;
        }
        done.insert(row.key);
        last = Some(ri);
        if def.single_value {
            let pick = vals.iter().find(|(_, v)| v.is_some()).or(vals.first());
            if let (Some((j, v)), Some(col)) = (pick, row.cols.first())
                && let Some(vt) = tokens.get(*j)
            {
                out.push(cell_of(def.table, Some(row.key), col, &label_text, vt, *v));
            }
        } else {
            for ((j, v), col) in vals.iter().zip(&row.cols) {
                if let Some(vt) = tokens.get(*j) {
                    out.push(cell_of(def.table, Some(row.key), col, &label_text, vt, *v));
                }
            }
        }
    }
    out
}

/// Value tokens after a label: numbers, blanks and dashes up to the next
/// text token (units are skipped). In row renderings the row ends the scan.
fn values_after(
    tokens: &[Token],
    i: usize,
    ncols: usize,
    def: &TableDef,
) -> Vec<(usize, Option<f64>)> {
    let single = def.single_value;
    let Some(tok) = tokens.get(i) else {
        return Vec::new();
    };
    let row_mode = tok.line_tokens > 1;
    let limit = if single { 3 } else { ncols };
    let mut vals = Vec::new();
    let mut j = i + 1;
    while let Some(t) = tokens.get(j) {
        if (row_mode && t.line != tok.line) || vals.len() >= limit || j > i + limit + 3 {
            break;
        }
        match t.kind() {
            // A note such as "(不同渠道和方式公开相同的信息列为1条)" belongs
            // to the label; skip it.
            label::Cell::Text if is_note(&t.text) => {}
            label::Cell::Text if vals.is_empty() && j == i + 1 && is_continuation(def, t) => {}
            label::Cell::Text => break,
            label::Cell::Unit => {}
            label::Cell::Number(v) => vals.push((j, Some(v))),
            label::Cell::Blank | label::Cell::Dash => vals.push((j, None)),
        }
        j += 1;
    }
    // In row renderings empty padding cells may trail the row; a label with
    // only blanks and no unit is a heading row, not a blank statistic.
    if single && vals.iter().all(|(_, v)| v.is_none()) && row_mode {
        let has_unit = tokens
            .get(i + 1..j)
            .unwrap_or_default()
            .iter()
            .any(|t| t.kind() == label::Cell::Unit);
        if !has_unit && vals.len() > 1 {
            return Vec::new();
        }
    }
    vals
}

/// A parenthesised remark without numbering, e.g. "(不包括…)".
pub fn is_note(text: &str) -> bool {
    let t = text.trim();
    let opened = t.starts_with('(') && t.ends_with(')');
    // The second half of a note split over two lines: "不计其他情形)".
    let closing = t.ends_with(')') && !t.contains('(');
    (opened || closing) && label::parse(t).leading.is_none()
}

/// The rest of a label printed on the next line ("二、上年结转政府信息公开" /
/// "申请数量"): short, unnumbered, and not a label of the table itself.
fn is_continuation(def: &TableDef, tok: &Token) -> bool {
    if tok.text.chars().count() > 12 {
        return false;
    }
    let p = tok.parsed();
    p.leading.is_none() && !p.qizhong && best_row(def, p, None).is_none()
}

/// Table 四: one data row of 15 cells after the 行政复议/行政诉讼 header.
/// Returns the cells and whether the row was cut short.
pub fn extract_t4(tokens: &[Token]) -> (Vec<Cell>, bool) {
    let Some(start) = tokens.iter().enumerate().position(|(i, t)| {
        t.text.contains("行政复议")
            && t.text.chars().count() < 40
            && tokens
                .get(i + 1..(i + 40).min(tokens.len()))
                .unwrap_or_default()
                .iter()
                .any(|x| x.text.contains("维持"))
    }) else {
        return (Vec::new(), false);
    };
    let mut best: Vec<usize> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let end = (start + 160).min(tokens.len());
    for j in start..end {
        let Some(t) = tokens.get(j) else { break };
        match t.kind() {
            label::Cell::Number(_) | label::Cell::Blank | label::Cell::Dash => run.push(j),
            label::Cell::Unit => {}
            label::Cell::Text => {
                if run.len() > best.len() {
                    best = std::mem::take(&mut run);
                }
                run.clear();
                if best.len() >= 15 {
                    break;
                }
            }
        }
        if run.len() >= 15 {
            break;
        }
    }
    if run.len() > best.len() {
        best = run;
    }
    let numbers = best
        .iter()
        .filter(|j| {
            tokens
                .get(**j)
                .is_some_and(|t| matches!(t.kind(), label::Cell::Number(_)))
        })
        .count();
    if numbers == 0 {
        return (Vec::new(), false);
    }
    let mut out = Vec::new();
    let keys = canon::T4_GROUPS
        .iter()
        .flat_map(|g| canon::T4_COLS.iter().map(move |c| (g, c)));
    for (j, (g, c)) in best.iter().take(15).zip(keys) {
        let Some(t) = tokens.get(*j) else { continue };
        let v = match t.kind() {
            label::Cell::Number(v) => Some(v),
            _ => None,
        };
        let lab = format!("{}·{}", g.1, c.1);
        out.push(cell_of("t4", Some(g.0), c.0, &lab, t, v));
    }
    let truncated = best.len() < 15;
    (out, truncated)
}

/// Short display name of a canonical row for audit messages.
pub fn short(label_text: &str) -> String {
    let p = label::parse(label_text);
    if p.core.is_empty() {
        label_text.to_string()
    } else {
        p.core
    }
}

/// `name value` for audit messages; blank cells print as `空`.
pub fn show(name: &str, v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{name} {}", fmt_num(v)),
        None => format!("{name} 空"),
    }
}
