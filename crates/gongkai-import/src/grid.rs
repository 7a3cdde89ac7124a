//! Extracted cells arranged as the tables they came from, for display:
//! canonical rows and columns for the national formats (so a cell that was
//! not read shows as a gap in its place), printed rows and columns for local
//! tables. Cells named by a finding are flagged, so a page can show the
//! table beside the findings and mark what each one is about.

use crate::canon;
use crate::model::{CellData, CellRef, Format};

/// One table.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// `t2`, `t3`, `t4`, `stat` or `local`.
    pub table: &'static str,
    pub title: &'static str,
    /// Header of the label column, then of each value column.
    pub label_header: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    pub label: String,
    /// One slot per column.
    pub cells: Vec<Slot>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// The table has a cell here, but it was not read (truncated or
    /// unrecognised); not a zero and not a blank.
    Missing,
    Cell(GridCell),
}

#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    /// As printed: a number, a dash, or empty for a blank cell.
    pub raw: String,
    pub value: Option<f64>,
    /// Named by at least one finding.
    pub flagged: bool,
}

fn slot<C: CellData>(cells: &[C], flagged: &[CellRef], table: &str, row: &str, col: &str) -> Slot {
    cells
        .iter()
        .find(|c| c.table() == table && c.row() == Some(row) && c.col() == col)
        .map_or(Slot::Missing, |c| Slot::Cell(grid_cell(c, flagged)))
}

fn grid_cell<C: CellData>(c: &C, flagged: &[CellRef]) -> GridCell {
    GridCell {
        raw: c.raw().trim().to_string(),
        value: c.value(),
        flagged: flagged.iter().any(|f| {
            f.table == c.table()
                && f.row.as_deref() == c.row()
                && f.col == c.col()
                && (c.row().is_some() || f.label == c.label())
        }),
    }
}

fn has_table<C: CellData>(cells: &[C], table: &str) -> bool {
    cells.iter().any(|c| c.table() == table)
}

/// The tables of a report in reading order (表二, 表三, 表四; the 2014
/// 统计表; a local table). `flagged` are the cells the findings name.
pub fn grids<C: CellData>(format: Format, cells: &[C], flagged: &[CellRef]) -> Vec<Grid> {
    let mut out = Vec::new();
    let (t2_rows, t3_rows) = match format {
        Format::F2019 => (canon::T2_2019, canon::T3_ROWS_2019),
        _ => (canon::T2_2021, canon::T3_ROWS_2021),
    };
    if has_table(cells, "t2") {
        // 表二 rows have different columns each; one line per figure.
        let rows = t2_rows
            .iter()
            .flat_map(|(row, label, cols)| {
                cols.iter().map(move |(col, col_label)| GridRow {
                    label: format!("{label}：{col_label}"),
                    cells: vec![slot(cells, flagged, "t2", row, col)],
                })
            })
            .collect();
        out.push(Grid {
            table: "t2",
            title: "表二 主动公开政府信息情况",
            label_header: "信息内容",
            columns: vec!["数值".into()],
            rows,
        });
    }
    if has_table(cells, "t3") {
        out.push(Grid {
            table: "t3",
            title: "表三 收到和处理政府信息公开申请情况",
            label_header: "申请情况",
            columns: canon::T3_COLS.iter().map(|(_, l)| l.to_string()).collect(),
            rows: t3_rows
                .iter()
                .map(|(row, label)| GridRow {
                    label: label.to_string(),
                    cells: canon::T3_COLS
                        .iter()
                        .map(|(col, _)| slot(cells, flagged, "t3", row, col))
                        .collect(),
                })
                .collect(),
        });
    }
    if has_table(cells, "t4") {
        out.push(Grid {
            table: "t4",
            title: "表四 政府信息公开行政复议、行政诉讼情况",
            label_header: "类别",
            columns: canon::T4_COLS.iter().map(|(_, l)| l.to_string()).collect(),
            rows: canon::T4_GROUPS
                .iter()
                .map(|(group, label)| GridRow {
                    label: label.to_string(),
                    cells: canon::T4_COLS
                        .iter()
                        .map(|(col, _)| slot(cells, flagged, "t4", group, col))
                        .collect(),
                })
                .collect(),
        });
    }
    if has_table(cells, "stat") {
        out.push(Grid {
            table: "stat",
            title: "政府信息公开情况统计表（2014年格式）",
            label_header: "统计指标",
            columns: vec!["统计数".into()],
            rows: canon::STAT_ROWS
                .iter()
                .map(|(row, label)| GridRow {
                    label: label.to_string(),
                    cells: vec![slot(cells, flagged, "stat", row, "value")],
                })
                .collect(),
        });
    }
    if has_table(cells, "local") {
        out.push(local_grid(cells, flagged));
    }
    out
}

/// Local tables keep the printed rows and column headers. A printed row is
/// a run of cells with the same label and distinct columns.
fn local_grid<C: CellData>(cells: &[C], flagged: &[CellRef]) -> Grid {
    let local: Vec<&C> = cells.iter().filter(|c| c.table() == "local").collect();
    let mut columns: Vec<String> = Vec::new();
    for c in &local {
        if !columns.iter().any(|x| x == c.col()) {
            columns.push(c.col().to_string());
        }
    }
    let mut rows: Vec<(String, Vec<&C>)> = Vec::new();
    for c in local {
        match rows.last_mut() {
            Some((label, row)) if label == c.label() && !row.iter().any(|x| x.col() == c.col()) => {
                row.push(c);
            }
            _ => rows.push((c.label().to_string(), vec![c])),
        }
    }
    Grid {
        table: "local",
        title: "统计表（地方自定格式）",
        label_header: "指标名称",
        rows: rows
            .into_iter()
            .map(|(label, row)| GridRow {
                label: label.trim().to_string(),
                cells: columns
                    .iter()
                    .map(|col| {
                        row.iter()
                            .find(|c| c.col() == col)
                            .map_or(Slot::Missing, |c| Slot::Cell(grid_cell(*c, flagged)))
                    })
                    .collect(),
            })
            .collect(),
        columns,
    }
}

/// Names a cell for a list of the cells a finding is about: table, row
/// and column in their official wording, and the value as printed, e.g.
/// `表三 · 一、本年新收政府信息公开申请数量 · 总计 = 12`.
pub fn describe(c: &CellRef, format: Format) -> String {
    let (t2_rows, t3_rows) = match format {
        Format::F2019 => (canon::T2_2019, canon::T3_ROWS_2019),
        _ => (canon::T2_2021, canon::T3_ROWS_2021),
    };
    let row = c.row.as_deref().unwrap_or_default();
    let lookup = |rows: &[(&str, &str)], key: &str| {
        rows.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, l)| l.to_string())
    };
    let (table, row_label, col_label) = match c.table.as_str() {
        "t2" => {
            let def = t2_rows.iter().find(|(k, _, _)| *k == row);
            (
                "表二",
                def.map(|(_, l, _)| l.to_string()),
                def.and_then(|(_, _, cols)| lookup(cols, &c.col)),
            )
        }
        "t3" => ("表三", lookup(t3_rows, row), lookup(canon::T3_COLS, &c.col)),
        "t4" => (
            "表四",
            lookup(canon::T4_GROUPS, row),
            lookup(canon::T4_COLS, &c.col),
        ),
        "stat" => ("统计表", lookup(canon::STAT_ROWS, row), None),
        _ => ("统计表", None, Some(c.col.clone())),
    };
    let mut parts = vec![
        table.to_string(),
        row_label.unwrap_or_else(|| c.label.trim().to_string()),
    ];
    parts.extend(col_label);
    let value = c
        .value
        .map_or_else(|| "空".to_string(), crate::format_number);
    format!("{} = {value}", parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;

    fn cell(table: &str, row: Option<&str>, col: &str, raw: &str, label: &str) -> Cell {
        Cell {
            table: table.into(),
            row: row.map(str::to_string),
            col: col.into(),
            value: raw.parse().ok(),
            raw: raw.into(),
            label: label.into(),
            span: [0, 0],
        }
    }

    #[test]
    fn national_tables_keep_canonical_places_and_gaps() {
        let cells = vec![
            cell("t4", Some("review"), "upheld", "1", "x"),
            cell("t4", Some("review"), "total", "—", "x"),
        ];
        let flagged = vec![cells[1].cell_ref()];
        let g = grids(Format::F2021, &cells, &flagged);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].columns.len(), 5);
        assert_eq!(g[0].rows.len(), 3);
        let review = &g[0].rows[0];
        assert_eq!(review.label, "行政复议");
        let Slot::Cell(upheld) = &review.cells[0] else {
            panic!("upheld read")
        };
        assert_eq!((upheld.raw.as_str(), upheld.flagged), ("1", false));
        assert_eq!(review.cells[1], Slot::Missing);
        let Slot::Cell(total) = &review.cells[4] else {
            panic!("total read")
        };
        assert_eq!(
            (total.raw.as_str(), total.value, total.flagged),
            ("—", None, true)
        );
    }

    #[test]
    fn cells_are_described_in_official_words() {
        let t3 = cell("t3", Some("new"), "total", "12", "一、本年新收");
        assert_eq!(
            describe(&t3.cell_ref(), Format::F2021),
            "表三 · 一、本年新收政府信息公开申请数量 · 总计 = 12"
        );
        let t2 = cell("t2", Some("fees"), "amount_wan", "", "x");
        assert_eq!(
            describe(&t2.cell_ref(), Format::F2021),
            "表二 · 行政事业性收费 · 本年收费金额（单位：万元） = 空"
        );
        let local = cell("local", None, "2018年", "39", " 主动公开文件数 ");
        assert_eq!(
            describe(&local.cell_ref(), Format::Local),
            "统计表 · 主动公开文件数 · 2018年 = 39"
        );
    }

    #[test]
    fn local_tables_keep_printed_rows_and_columns() {
        let cells = vec![
            cell("local", None, "2018年", "39", "主动公开文件数"),
            cell("local", None, "历年累计", "286", "主动公开文件数"),
            cell("local", None, "2018年", "", "网络申请数"),
        ];
        let g = grids(Format::Local, &cells, &[]);
        assert_eq!(g[0].columns, vec!["2018年", "历年累计"]);
        let labels: Vec<&str> = g[0].rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["主动公开文件数", "网络申请数"]);
        assert_eq!(g[0].rows[1].cells[1], Slot::Missing);
        assert!(matches!(&g[0].rows[1].cells[0], Slot::Cell(c) if c.raw.is_empty()));
    }
}
