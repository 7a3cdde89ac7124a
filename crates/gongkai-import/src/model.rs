//! The JSON-serialisable result of importing one report.

use serde::Serialize;

/// Detected report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    #[serde(rename = "2021")]
    F2021,
    #[serde(rename = "2019")]
    F2019,
    #[serde(rename = "2014")]
    F2014,
    #[serde(rename = "local")]
    Local,
    #[serde(rename = "none")]
    None,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::F2021 => "2021",
            Format::F2019 => "2019",
            Format::F2014 => "2014",
            Format::Local => "local",
            Format::None => "none",
        }
    }
}

/// One statistics cell with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// `t2`, `t3`, `t4`, `stat` or `local`.
    pub table: String,
    /// Canonical row key; `None` for local tables (the label is kept).
    pub row: Option<String>,
    /// Canonical column key, `value` for the 2014 table, the printed column
    /// header for local tables.
    pub col: String,
    /// `None` when the cell is blank or a dash.
    #[serde(serialize_with = "ser_opt_num")]
    pub value: Option<f64>,
    pub raw: String,
    pub label: String,
    /// Byte range in the decoded input.
    pub span: [usize; 2],
}

/// A number in the narrative that restates a table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// `requests_received`, `reviews` or `lawsuits`.
    pub kind: String,
    #[serde(serialize_with = "ser_num")]
    pub value: f64,
    pub raw: String,
    pub span: [usize; 2],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// Read access to a statistics cell, whether just imported ([`Cell`]) or
/// stored earlier (`gongkai_core::annual_report::ReportCell`, see
/// [`crate::history`]), so that the audit and the table views work on both.
pub trait CellData {
    fn table(&self) -> &str;
    fn row(&self) -> Option<&str>;
    fn col(&self) -> &str;
    fn label(&self) -> &str;
    /// The cell as printed.
    fn raw(&self) -> &str;
    fn value(&self) -> Option<f64>;

    /// The reference a finding keeps.
    fn cell_ref(&self) -> CellRef {
        CellRef {
            table: self.table().to_string(),
            row: self.row().map(str::to_string),
            col: self.col().to_string(),
            label: self.label().to_string(),
            value: self.value(),
        }
    }
}

impl CellData for Cell {
    fn table(&self) -> &str {
        &self.table
    }
    fn row(&self) -> Option<&str> {
        self.row.as_deref()
    }
    fn col(&self) -> &str {
        &self.col
    }
    fn label(&self) -> &str {
        &self.label
    }
    fn raw(&self) -> &str {
        &self.raw
    }
    fn value(&self) -> Option<f64> {
        self.value
    }
}

/// Reference to a cell inside a finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellRef {
    pub table: String,
    pub row: Option<String>,
    pub col: String,
    pub label: String,
    #[serde(serialize_with = "ser_opt_num")]
    pub value: Option<f64>,
}

impl From<&Cell> for CellRef {
    fn from(c: &Cell) -> Self {
        c.cell_ref()
    }
}

/// One audit result; `message` spells out the arithmetic in Chinese.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub cells: Vec<CellRef>,
    pub message: String,
}

/// Everything learnt from one input file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    pub file: String,
    /// `utf-8`, `gbk`, `gb18030`, … as detected.
    pub encoding: String,
    /// `text`, `html`, or `unsupported`.
    pub input_kind: String,
    /// True when the input was in traditional script (converted for parsing).
    pub traditional: bool,
    pub format: Format,
    pub evidence: Vec<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub sections: Vec<String>,
    pub cells: Vec<Cell>,
    pub claims: Vec<Claim>,
    pub findings: Vec<Finding>,
}

/// Formats a number the way it is printed in reports (no trailing `.0`).
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Integers are written as JSON integers (`15`, not `15.0`).
fn ser_num<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

fn ser_opt_num<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => ser_num(v, s),
        None => s.serialize_none(),
    }
}
