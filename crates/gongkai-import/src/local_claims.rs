//! Narrative claims checked against a local table (地方自定格式统计表).
//!
//! Local tables have no canonical keys, so the row a claim restates is
//! recognised from its printed label. The matching is deliberately
//! conservative — a missed check costs little, a wrong finding misleads a
//! supervising office: the row must be a top-level total (not a channel,
//! a result or a `其中` part), its label must name the claim's quantity and
//! nothing narrower, exactly one row may qualify, and the value column must
//! be the report year's (not 历年累计). Otherwise no finding is made.

use crate::local::{LocalRow, LocalTable};
use crate::model::{Cell, CellData, Claim, Finding, Severity, fmt_num};
use crate::national::show;

/// Words that make a label a breakdown, a result or another quantity.
const NARROWER: &[&str] = &[
    "当面", "传真", "网络", "网上", "信函", "邮件", "电话", "其他", "方式", "渠道", "答复", "办结",
    "办理", "结转", "上年", "同意", "不予", "部分", "费用", "收费", "减免", "咨询", "查阅", "平均",
    "率", "维持", "纠错", "纠正", "撤销", "确认", "驳回", "尚未", "结果", "败诉", "胜诉", "举报",
    "投诉", "累计",
];

/// Does a label's core name the total a claim of `kind` restates?
fn names_total(kind: &str, core: &str) -> bool {
    if NARROWER.iter().any(|w| core.contains(w)) {
        return false;
    }
    match kind {
        // 收到申请数, 受理政府信息公开申请总数, 依申请公开数量, 新收申请数量 …
        // but not 依申请受理数 alone ("受理" without "申请" before the
        // count is a stage, not the total received).
        "requests_received" => {
            core.contains("申请")
                && !core.contains("复议")
                && !core.contains("诉讼")
                && (["收到", "受理", "新收", "接收", "接到"]
                    .iter()
                    .any(|w| core.contains(w))
                    || core == "依申请公开数量"
                    || core == "依申请公开数"
                    || core.ends_with("公开申请数")
                    || core.ends_with("公开申请数量")
                    || core.ends_with("公开申请总数"))
                && !core.starts_with("依申请受理")
        }
        "reviews" => core.contains("行政复议") && !core.contains("诉讼"),
        "lawsuits" => core.contains("行政诉讼") && !core.contains("复议"),
        _ => false,
    }
}

/// A row is top-level when it has no parent, or its parent is a heading
/// without figures of its own ("三、依申请公开情况").
fn top_level(t: &LocalTable, row: &LocalRow) -> bool {
    !row.parsed.qizhong
        && row
            .parent
            .and_then(|p| t.rows.get(p))
            .is_none_or(|p| p.cells.is_empty())
}

/// The column holding the report year's figures: the only value column,
/// else the one whose header names the year (`2018年`, `本年`), never a
/// cumulative or previous-year column.
fn year_column(t: &LocalTable, year: Option<i32>) -> Option<String> {
    let mut cols: Vec<&String> = Vec::new();
    for c in &t.cells {
        if !cols.contains(&&c.col) {
            cols.push(&c.col);
        }
    }
    if let [only] = cols.as_slice() {
        return Some((*only).clone());
    }
    let this_year = |h: &str| {
        !["累计", "上年", "去年", "同比", "增减", "比上年"]
            .iter()
            .any(|w| h.contains(w))
            && (year.is_some_and(|y| h.contains(&y.to_string()))
                || ["本年", "本期", "当年", "今年"]
                    .iter()
                    .any(|w| h.contains(w)))
    };
    let picked: Vec<&&String> = cols.iter().filter(|h| this_year(h)).collect();
    match picked.as_slice() {
        [one] => Some((**one).clone()),
        _ => None,
    }
}

/// Findings for claims that contradict the one row of a local table that
/// clearly states the same quantity.
pub fn audit_claims_local(t: &LocalTable, claims: &[Claim], year: Option<i32>) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(col) = year_column(t, year) else {
        return out;
    };
    for claim in claims {
        let rows: Vec<&LocalRow> = t
            .rows
            .iter()
            .filter(|r| top_level(t, r) && names_total(&claim.kind, &r.parsed.core))
            .collect();
        let [row] = rows.as_slice() else { continue };
        let Some(cell) = row
            .cells
            .iter()
            .filter_map(|i| t.cells.get(*i))
            .find(|c| c.col == col)
        else {
            continue;
        };
        let table = cell.value.unwrap_or(0.0);
        if (table - claim.value).abs() > 1e-6 {
            out.push(mismatch(claim, cell, &col));
        }
    }
    out
}

fn mismatch(claim: &Claim, cell: &Cell, col: &str) -> Finding {
    let name = format!("{}（{col}）", cell.label.trim());
    Finding {
        rule: "narrative.claim_mismatch".into(),
        severity: Severity::Error,
        cells: vec![cell.cell_ref()],
        message: format!(
            "正文「{}」为 {}，表格中 {}",
            claim.raw,
            fmt_num(claim.value),
            show(&name, cell.value)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::names_total;

    #[test]
    fn only_totals_qualify() {
        for core in [
            "收到申请数",
            "受理政府信息公开申请总数",
            "依申请公开数量",
            "收到政府信息公开申请数量",
            "政府信息公开申请数",
        ] {
            assert!(names_total("requests_received", core), "{core}");
        }
        for core in [
            "当面申请数",
            "网络申请数",
            "依申请受理数",
            "依申请答复数",
            "申请办结数",
            "收到申请累计数",
            "行政复议申请数",
        ] {
            assert!(!names_total("requests_received", core), "{core}");
        }
        assert!(names_total("reviews", "行政复议数量"));
        assert!(!names_total("reviews", "维持具体行政行为数"));
        assert!(!names_total("reviews", "行政复议被依法纠错数"));
        assert!(names_total("lawsuits", "行政诉讼数量"));
        assert!(!names_total("lawsuits", "复议后起诉行政诉讼数"));
    }
}
