//! Local (pre-2014 / provincial) statistics tables: no canonical keys, so
//! each cell keeps its printed label and column header (`row: null`).

use crate::label::{self, Marker, Parsed};
use crate::model::Cell;
use crate::national::cell_of;
use crate::text::Token;

/// One printed row of a local table.
#[derive(Debug, Clone)]
pub struct LocalRow {
    pub label: String,
    pub parsed: Parsed,
    pub unit: Option<String>,
    /// Indexes into the table's cell list.
    pub cells: Vec<usize>,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct LocalTable {
    pub columns: Vec<String>,
    pub rows: Vec<LocalRow>,
    pub cells: Vec<Cell>,
}

const HEADER_WORDS: &[&str] = &[
    "指标名称",
    "统计指标",
    "指标",
    "项目",
    "项目名称",
    "统计项目",
    "内容",
];
const FOOTER_WORDS: &[&str] = &[
    "单位负责人",
    "填报人",
    "审核人",
    "联系电话",
    "附件",
    "扫一扫",
    "打印本页",
    "关闭窗口",
    "制表人",
    "填表人",
    "报送日期",
];

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_text(t: &Token) -> bool {
    t.kind() == label::Cell::Text
}

/// Finds the header (`指标名称 | 单位 | …`) and returns (first index after it, column names).
fn header(tokens: &[Token]) -> Option<(usize, Vec<String>)> {
    for (i, t) in tokens.iter().enumerate() {
        if !HEADER_WORDS.contains(&compact(&t.text).as_str()) {
            continue;
        }
        let window = tokens
            .get(i + 1..(i + 4).min(tokens.len()))
            .unwrap_or_default();
        if !window.iter().any(|w| {
            let c = compact(&w.text);
            c.contains("单位") || c.contains("数") || c.contains("年") || c.contains("累计")
        }) {
            continue;
        }
        let mut cols = vec![compact(&t.text)];
        let mut j = i + 1;
        if t.line_tokens > 1 {
            while let Some(x) = tokens.get(j).filter(|x| x.line == t.line) {
                cols.push(compact(&x.text));
                j += 1;
            }
            // A trailing empty cell is padding, not a column.
            while cols.last().is_some_and(String::is_empty) {
                cols.pop();
            }
        } else {
            while let Some(x) = tokens.get(j) {
                let next_is_value = tokens.get(j + 1).is_some_and(|n| !is_text(n));
                if !is_text(x) || next_is_value || cols.len() >= 8 {
                    break;
                }
                cols.push(compact(&x.text));
                j += 1;
            }
        }
        if cols.len() >= 2 {
            return Some((j, cols));
        }
    }
    // No column header: start after a table title ("…统计表") and read one
    // value column.
    tokens
        .iter()
        .position(|t| {
            let c = compact(&t.text);
            c.chars().count() <= 40 && (c.ends_with("统计表") || c.ends_with("统计报表"))
        })
        .map(|i| {
            let cols = ["指标名称", "单位", "统计数"];
            (i + 1, cols.iter().map(|c| c.to_string()).collect())
        })
}

pub fn extract(tokens: &[Token]) -> Option<LocalTable> {
    let (start, columns) = header(tokens)?;
    let ncols = columns.len();
    let unit_col = columns.iter().position(|c| c.contains("单位"));
    let value_cols: Vec<usize> = (1..ncols).filter(|k| Some(*k) != unit_col).collect();
    let mut table = LocalTable {
        columns: columns.clone(),
        ..Default::default()
    };
    let mut stall = 0;
    let mut i = start;
    while let Some(tok) = tokens.get(i) {
        i += 1;
        if !is_text(tok) {
            continue;
        }
        if tok.text.chars().count() > 60 || FOOTER_WORDS.iter().any(|w| tok.text.contains(w)) {
            break;
        }
        let row_mode = tok.line_tokens > 1;
        let mut vals = Vec::new();
        let mut j = i;
        while let Some(t) = tokens.get(j) {
            if (row_mode && t.line != tok.line) || is_text(t) || vals.len() >= ncols - 1 {
                break;
            }
            vals.push(j);
            j += 1;
        }
        if vals.is_empty() {
            stall += 1;
            if stall > 6 {
                break;
            }
            continue;
        }
        stall = 0;
        let mut unit = None;
        let mut assigned: Vec<(usize, usize)> = Vec::new(); // (token, column)
        if vals.len() == ncols - 1 {
            for (k, j) in vals.iter().enumerate() {
                let col = k + 1;
                if Some(col) == unit_col {
                    unit = tokens
                        .get(*j)
                        .map(|t| t.text.clone())
                        .filter(|u| !u.is_empty());
                } else {
                    assigned.push((*j, col));
                }
            }
        } else {
            let mut cols = value_cols.iter();
            for j in &vals {
                let Some(t) = tokens.get(*j) else { continue };
                if t.kind() == label::Cell::Unit {
                    unit = Some(t.text.clone());
                } else if let Some(c) = cols.next() {
                    assigned.push((*j, *c));
                }
            }
        }
        let heading = unit.is_none()
            && assigned.iter().all(|(j, _)| {
                tokens
                    .get(*j)
                    .is_some_and(|t| !matches!(t.kind(), label::Cell::Number(_)))
            });
        let mut row = LocalRow {
            label: tok.text.clone(),
            parsed: tok.parsed().clone(),
            unit,
            cells: Vec::new(),
            parent: None,
        };
        if !heading {
            for (j, c) in assigned {
                let (Some(t), Some(col)) = (tokens.get(j), columns.get(c)) else {
                    continue;
                };
                let v = match t.kind() {
                    label::Cell::Number(v) => Some(v),
                    _ => None,
                };
                row.cells.push(table.cells.len());
                table
                    .cells
                    .push(cell_of("local", None, col, &tok.text, t, v));
            }
        }
        table.rows.push(row);
        i = j;
    }
    link_parents(&mut table.rows);
    if table.cells.len() >= 3 {
        Some(table)
    } else {
        None
    }
}

fn rank(m: Marker) -> u8 {
    match m {
        Marker::Chinese => 10,
        Marker::ParenChinese => 20,
        Marker::Digit => 30,
        Marker::ParenDigit => 40,
    }
}

/// Infers the row hierarchy from the numbering: `一、` > `(一)` > `1、` >
/// `(1)`; `其中:` opens a group under the previous row; unnumbered rows
/// continue an unnumbered `其中` group, otherwise they are top-level.
fn link_parents(rows: &mut [LocalRow]) {
    let mut stack: Vec<(u8, usize)> = Vec::new();
    // (parent, numbering rank inside the group or None)
    let mut group: Option<(usize, Option<u8>)> = None;
    for i in 0..rows.len() {
        let Some(row) = rows.get(i) else { continue };
        let lead = row.parsed.leading.map(rank);
        let parent;
        if row.parsed.qizhong {
            parent = i.checked_sub(1);
            if let Some(p) = parent {
                group = Some((p, lead));
            }
        } else if let (Some((gp, grank)), Some(r)) = (group, lead)
            && grank == Some(r)
        {
            parent = Some(gp);
        } else if let (Some((gp, None)), None) = (group, lead) {
            parent = Some(gp);
        } else {
            group = None;
            match lead {
                Some(r) => {
                    while stack.last().is_some_and(|(tr, _)| *tr >= r) {
                        stack.pop();
                    }
                    parent = stack.last().map(|(_, idx)| *idx);
                    stack.push((r, i));
                }
                None => {
                    stack.clear();
                    parent = None;
                    stack.push((5, i));
                }
            }
        }
        if let Some(r) = rows.get_mut(i) {
            r.parent = parent;
        }
    }
}
