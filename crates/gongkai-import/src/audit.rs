//! Arithmetic audit (勾稽关系) of extracted cells; see
//! `docs/annual-report-import.md` for the list of rules.

use crate::canon;
use crate::local::LocalTable;
use crate::model::{Cell, CellData, CellRef, Claim, Finding, Format, Severity, fmt_num};
use crate::national::{short, show};

fn find<'a>(cells: &'a [Cell], table: &str, row: &str, col: &str) -> Option<&'a Cell> {
    cells
        .iter()
        .find(|c| c.table == table && c.row.as_deref() == Some(row) && c.col == col)
}

fn canon_label(table: &str, row: &str) -> String {
    let rows: &[(&str, &str)] = match table {
        "stat" => canon::STAT_ROWS,
        _ => canon::T3_ROWS_2021,
    };
    rows.iter()
        .chain(canon::T3_ROWS_2019)
        .find(|(k, _)| *k == row)
        .map(|(_, l)| short(l))
        .unwrap_or_else(|| row.to_string())
}

fn col_label(col: &str) -> &str {
    canon::T3_COLS
        .iter()
        .chain(canon::T4_COLS)
        .find(|(k, _)| *k == col)
        .map_or(col, |(_, l)| l)
}

/// `total == Σ parts` (blank parts count as 0; a blank total with non-zero
/// parts is a warning; absent cells make the rule inapplicable).
fn sum_rule(
    out: &mut Vec<Finding>,
    rule: &str,
    total: Option<&Cell>,
    total_name: &str,
    parts: &[(&Cell, String)],
    prefix: &str,
    blank_total_severity: Severity,
) {
    let Some(total) = total else { return };
    // With every part blank there is nothing to compare (2019 reports often
    // leave whole columns blank); the blanks are flagged by other rules.
    if parts.iter().all(|(c, _)| c.value.is_none()) {
        return;
    }
    let sum: f64 = parts.iter().map(|(c, _)| c.value.unwrap_or(0.0)).sum();
    let terms: Vec<String> = parts.iter().map(|(c, n)| show(n, c.value)).collect();
    let mut cells: Vec<CellRef> = vec![total.into()];
    cells.extend(parts.iter().map(|(c, _)| CellRef::from(*c)));
    match total.value {
        Some(t) if (t - sum).abs() > 1e-6 => out.push(Finding {
            rule: rule.to_string(),
            severity: Severity::Error,
            cells,
            message: format!(
                "{prefix}{} ≠ {} = {}",
                show(total_name, Some(t)),
                terms.join(" + "),
                fmt_num(sum)
            ),
        }),
        None if sum > 0.0 => out.push(Finding {
            rule: rule.to_string(),
            severity: blank_total_severity,
            cells,
            message: format!(
                "{prefix}{total_name} 为空，但 {} = {}",
                terms.join(" + "),
                fmt_num(sum)
            ),
        }),
        _ => {}
    }
}

/// A part that is larger than its total ("a channel larger than the total").
fn not_larger(
    out: &mut Vec<Finding>,
    rule: &str,
    total: Option<&Cell>,
    total_name: &str,
    part: Option<&Cell>,
    part_name: &str,
) {
    let (Some(total), Some(part)) = (total, part) else {
        return;
    };
    if let (Some(t), Some(p)) = (total.value, part.value)
        && p > t
    {
        out.push(Finding {
            rule: rule.to_string(),
            severity: Severity::Error,
            cells: vec![total.into(), part.into()],
            message: format!(
                "{} < {}",
                show(total_name, Some(t)),
                show(part_name, Some(p))
            ),
        });
    }
}

fn stat_sum(out: &mut Vec<Finding>, cells: &[Cell], rule: &str, total: &str, parts: &[&str]) {
    let ps: Vec<(&Cell, String)> = parts
        .iter()
        .filter_map(|k| find(cells, "stat", k, "value").map(|c| (c, canon_label("stat", k))))
        .collect();
    sum_rule(
        out,
        rule,
        find(cells, "stat", total, "value"),
        &canon_label("stat", total),
        &ps,
        "",
        Severity::Warning,
    );
}

pub fn audit_2014(cells: &[Cell]) -> Vec<Finding> {
    let mut out = Vec::new();
    let s = |out: &mut Vec<Finding>, rule: &str, total: &str, parts: &[&str]| {
        stat_sum(out, cells, rule, total, parts);
    };
    s(
        &mut out,
        "stat.request_channels",
        "request.received",
        &[
            "request.in_person",
            "request.fax",
            "request.online",
            "request.letter",
        ],
    );
    s(
        &mut out,
        "stat.request_closed",
        "request.closed",
        &["request.on_time", "request.extended"],
    );
    s(
        &mut out,
        "stat.request_replied",
        "request.replied",
        &[
            "reply.already_public",
            "reply.agree",
            "reply.partial",
            "reply.deny",
            "reply.not_this_agency",
            "reply.not_exist",
            "reply.amend",
            "reply.other_channel",
        ],
    );
    s(
        &mut out,
        "stat.deny_reasons",
        "reply.deny",
        &[
            "deny.state_secret",
            "deny.commercial_secret",
            "deny.privacy",
            "deny.security_stability",
            "deny.not_gov_info",
            "deny.other_law",
        ],
    );
    s(
        &mut out,
        "stat.review_parts",
        "review.total",
        &["review.upheld", "review.corrected", "review.other"],
    );
    s(
        &mut out,
        "stat.suit_parts",
        "suit.total",
        &["suit.upheld", "suit.corrected", "suit.other"],
    );
    s(
        &mut out,
        "stat.staff",
        "org.staff",
        &["org.staff_full", "org.staff_part"],
    );
    let pairs: &[(&str, &str)] = &[
        ("proactive.total", "proactive.normative_published"),
        ("proactive.total", "proactive.gazette"),
        ("proactive.total", "proactive.website"),
        ("proactive.total", "proactive.weibo"),
        ("proactive.total", "proactive.wechat"),
        ("proactive.total", "proactive.other"),
        (
            "response.press_conferences",
            "response.press_conferences_principal",
        ),
        (
            "response.online_interviews",
            "response.online_interviews_principal",
        ),
    ];
    for (t, p) in pairs {
        not_larger(
            &mut out,
            "stat.part_exceeds_total",
            find(cells, "stat", t, "value"),
            &canon_label("stat", t),
            find(cells, "stat", p, "value"),
            &canon_label("stat", p),
        );
    }
    out
}

const RESULT_ROWS_PREFIXES: &[&str] = &[
    "disclosed",
    "partial",
    "deny.",
    "unable.",
    "reject.",
    "other",
];

pub fn audit_t3_t4(cells: &[Cell], format: Format) -> Vec<Finding> {
    let mut out = Vec::new();
    let rows: &[(&str, &str)] = if format == Format::F2019 {
        canon::T3_ROWS_2019
    } else {
        canon::T3_ROWS_2021
    };
    for (col, col_name) in canon::T3_COLS {
        let get = |r: &str| find(cells, "t3", r, col);
        // Rule printed in the table: 一 + 二 = 三(七) + 四.
        if let (Some(a), Some(b), Some(c), Some(d)) = (
            get("new"),
            get("carried_in"),
            get("result_total"),
            get("carried_out"),
        ) {
            let l = a.value.unwrap_or(0.0) + b.value.unwrap_or(0.0);
            let r = c.value.unwrap_or(0.0) + d.value.unwrap_or(0.0);
            if (l - r).abs() > 1e-6 {
                out.push(Finding {
                    rule: "t3.balance".into(),
                    severity: Severity::Error,
                    cells: vec![a.into(), b.into(), c.into(), d.into()],
                    message: format!(
                        "{col_name}：{} + {} = {} ≠ {} + {} = {}",
                        show("本年新收", a.value),
                        show("上年结转", b.value),
                        fmt_num(l),
                        show("办理结果总计", c.value),
                        show("结转下年度", d.value),
                        fmt_num(r)
                    ),
                });
            }
        }
        let parts: Vec<(&Cell, String)> = rows
            .iter()
            .filter(|(k, _)| RESULT_ROWS_PREFIXES.iter().any(|p| k.starts_with(p)))
            .filter_map(|(k, _)| get(k).map(|c| (c, canon_label("t3", k))))
            .collect();
        sum_rule(
            &mut out,
            "t3.result_total",
            get("result_total"),
            "办理结果总计",
            &parts,
            &format!("{col_name}："),
            Severity::Warning,
        );
    }
    // Per row: 总计 = Σ six applicant columns (2019 reports often leave the
    // 总计 column blank on detail rows: only a warning then).
    for (row, _) in rows {
        let parts: Vec<(&Cell, String)> = canon::T3_COLS
            .iter()
            .filter(|(c, _)| *c != "total")
            .filter_map(|(c, n)| find(cells, "t3", row, c).map(|x| (x, n.to_string())))
            .collect();
        sum_rule(
            &mut out,
            "t3.row_total",
            find(cells, "t3", row, "total"),
            "总计",
            &parts,
            &format!("{}：", canon_label("t3", row)),
            Severity::Warning,
        );
    }
    for (g, gname) in canon::T4_GROUPS {
        let parts: Vec<(&Cell, String)> = ["upheld", "corrected", "other", "pending"]
            .iter()
            .filter_map(|c| find(cells, "t4", g, c).map(|x| (x, col_label(c).to_string())))
            .collect();
        sum_rule(
            &mut out,
            "t4.group_total",
            find(cells, "t4", g, "total"),
            "总计",
            &parts,
            &format!("{gname}："),
            Severity::Warning,
        );
    }
    out
}

/// Local tables: a row must not exceed its parent row (same column and unit).
pub fn audit_local(t: &LocalTable) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in &t.rows {
        let Some(parent) = row.parent.and_then(|p| t.rows.get(p)) else {
            continue;
        };
        if let (Some(u1), Some(u2)) = (&row.unit, &parent.unit)
            && u1 != u2
        {
            continue;
        }
        for ci in &row.cells {
            let Some(c) = t.cells.get(*ci) else { continue };
            let pc = parent
                .cells
                .iter()
                .filter_map(|i| t.cells.get(*i))
                .find(|p| p.col == c.col);
            not_larger(
                &mut out,
                "local.part_exceeds_total",
                pc,
                &parent.label,
                Some(c),
                &row.label,
            );
        }
    }
    out
}

/// Narrative claims that contradict the table.
pub fn audit_claims(cells: &[Cell], claims: &[Claim], format: Format) -> Vec<Finding> {
    let mut out = Vec::new();
    for claim in claims {
        let targets: Vec<&Cell> = match (format, claim.kind.as_str()) {
            (Format::F2014, "requests_received") => {
                find(cells, "stat", "request.received", "value")
                    .into_iter()
                    .collect()
            }
            (Format::F2014, "reviews") => find(cells, "stat", "review.total", "value")
                .into_iter()
                .collect(),
            (Format::F2014, "lawsuits") => find(cells, "stat", "suit.total", "value")
                .into_iter()
                .collect(),
            (Format::F2019 | Format::F2021, "requests_received") => {
                find(cells, "t3", "new", "total").into_iter().collect()
            }
            (Format::F2019 | Format::F2021, "reviews") => {
                find(cells, "t4", "review", "total").into_iter().collect()
            }
            (Format::F2019 | Format::F2021, "lawsuits") => ["suit_direct", "suit_after_review"]
                .iter()
                .filter_map(|g| find(cells, "t4", g, "total"))
                .collect(),
            _ => Vec::new(),
        };
        if targets.is_empty() {
            continue;
        }
        let table: f64 = targets.iter().map(|c| c.value.unwrap_or(0.0)).sum();
        if (table - claim.value).abs() > 1e-6 {
            let names: Vec<String> = targets
                .iter()
                .map(|c| show(&short(&c.label), c.value))
                .collect();
            out.push(Finding {
                rule: "narrative.claim_mismatch".into(),
                severity: Severity::Error,
                cells: targets.iter().map(|c| CellRef::from(*c)).collect(),
                message: format!(
                    "正文「{}」为 {}，表格中 {} = {}",
                    claim.raw,
                    fmt_num(claim.value),
                    names.join(" + "),
                    fmt_num(table)
                ),
            });
        }
    }
    out
}

/// One year of one organisation's statistics, as the cross-year checks
/// need them: freshly imported cells or stored ones.
#[derive(Debug)]
pub struct YearCells<'a, C> {
    pub year: i32,
    pub format: Format,
    pub cells: &'a [C],
}

// Not derived: a derive would require `C: Copy`, but only the slice
// reference is copied.
impl<C> Clone for YearCells<'_, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for YearCells<'_, C> {}

fn find_in<'a, C: CellData>(cells: &'a [C], table: &str, row: &str, col: &str) -> Option<&'a C> {
    cells
        .iter()
        .find(|c| c.table() == table && c.row() == Some(row) && c.col() == col)
}

/// Cross-year checks between two consecutive years of one organisation
/// (`name` starts each message): 结转下年度 (N) = 上年结转 (N+1) and, for
/// the 2021 表二, 现行有效件数 (N) + 本年制发 (N+1) − 本年废止 (N+1) =
/// 现行有效件数 (N+1). Pairs that are not consecutive years yield nothing.
pub fn cross_year<A: CellData, B: CellData>(
    name: &str,
    earlier: YearCells<'_, A>,
    later: YearCells<'_, B>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let (ya, yb) = (earlier.year, later.year);
    if yb != ya + 1 {
        return out;
    }
    if let (Some(x), Some(y)) = (
        find_in(earlier.cells, "t3", "carried_out", "total"),
        find_in(later.cells, "t3", "carried_in", "total"),
    ) && (x.value().unwrap_or(0.0) - y.value().unwrap_or(0.0)).abs() > 1e-6
    {
        out.push(Finding {
            rule: "cross_year.carry_over".into(),
            severity: Severity::Error,
            cells: vec![x.cell_ref(), y.cell_ref()],
            message: format!(
                "{name}：{ya}年 {} ≠ {yb}年 {}",
                show("结转下年度继续办理", x.value()),
                show("上年结转", y.value())
            ),
        });
    }
    if earlier.format != Format::F2021 || later.format != Format::F2021 {
        return out;
    }
    for row in ["rules", "normative"] {
        let (Some(prev), Some(iss), Some(rep), Some(now)) = (
            find_in(earlier.cells, "t2", row, "in_force"),
            find_in(later.cells, "t2", row, "issued"),
            find_in(later.cells, "t2", row, "repealed"),
            find_in(later.cells, "t2", row, "in_force"),
        ) else {
            continue;
        };
        let v = |c: &dyn CellData| c.value().unwrap_or(0.0);
        let expect = v(prev) + v(iss) - v(rep);
        if (expect - v(now)).abs() > 1e-6 {
            let what = if row == "rules" {
                "规章"
            } else {
                "行政规范性文件"
            };
            out.push(Finding {
                rule: "cross_year.in_force".into(),
                severity: Severity::Warning,
                cells: vec![
                    prev.cell_ref(),
                    iss.cell_ref(),
                    rep.cell_ref(),
                    now.cell_ref(),
                ],
                message: format!(
                    "{name}{what}：{ya}年现行有效 {} + {yb}年制发 {} − 废止 {} = {} ≠ {yb}年{}",
                    fmt_num(v(prev)),
                    fmt_num(v(iss)),
                    fmt_num(v(rep)),
                    fmt_num(expect),
                    show("现行有效件数", now.value())
                ),
            });
        }
    }
    out
}

/// Cross-year checks over a batch of reports, grouped by the agency name
/// printed in their titles (the CLI's batch mode, where nothing says which
/// organisation a file belongs to; see [`crate::history`] for checks
/// against an organisation's stored reports). Returns (index of the later
/// report, finding).
pub fn audit_cross_year(reports: &[crate::ImportReport]) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for a in reports {
        for (j, b) in reports.iter().enumerate() {
            let (Some(ya), Some(yb), Some(agency)) = (a.year, b.year, a.agency.as_deref()) else {
                continue;
            };
            if b.agency.as_deref() != Some(agency) {
                continue;
            }
            let earlier = YearCells {
                year: ya,
                format: a.format,
                cells: &a.cells,
            };
            let later = YearCells {
                year: yb,
                format: b.format,
                cells: &b.cells,
            };
            out.extend(
                cross_year(agency, earlier, later)
                    .into_iter()
                    .map(|f| (j, f)),
            );
        }
    }
    out
}
