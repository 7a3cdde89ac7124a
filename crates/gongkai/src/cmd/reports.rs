//! `gongkai reports import|audit FILE...`: reads published annual reports
//! (政府信息公开工作年度报告), extracts the statistics cells and audits the
//! arithmetic. Directories are walked. The exit status is non-zero only
//! when a file cannot be read; findings are data, not failures.

use clap::Subcommand;
use gongkai_import::{ImportReport, Severity, import};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// Import annual reports (text, HTML, DOCX; UTF-8/GBK/GB18030; 繁体 or 简体)
    /// and print a summary table, or one JSON object per file with --json.
    ///
    /// The JSON schema is described in docs/annual-report-import.md.
    Import {
        /// Report files or directories (walked recursively).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print one JSON object per line (JSON Lines) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Audit the arithmetic (勾稽关系) of annual reports and list the findings.
    Audit {
        /// Report files or directories (walked recursively).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// Runs the command; `Ok(false)` when at least one file could not be read.
pub fn run(cmd: &ReportsCommand) -> anyhow::Result<bool> {
    let (files, json, audit) = match cmd {
        ReportsCommand::Import { files, json } => (files, *json, false),
        ReportsCommand::Audit { files } => (files, false, true),
    };
    let mut paths = Vec::new();
    let mut io_ok = true;
    for f in files {
        if let Err(e) = collect(f, &mut paths) {
            eprintln!("错误：无法读取 {}：{e}", f.display());
            io_ok = false;
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !json {
        writeln!(out, "文件\t格式\t数据格\t问题\t其中错误")?;
    }
    // Reports are kept until the end so that cross-year checks (several
    // years of one agency) can be attached to the later year.
    let mut reports: Vec<ImportReport> = Vec::new();
    for p in &paths {
        match std::fs::read(p) {
            Ok(bytes) => reports.push(import(&bytes, &p.display().to_string())),
            Err(e) => {
                eprintln!("错误：无法读取 {}：{e}", p.display());
                io_ok = false;
            }
        }
    }
    for (i, f) in gongkai_import::audit::audit_cross_year(&reports) {
        if let Some(r) = reports.get_mut(i) {
            r.findings.push(f);
        }
    }
    let (mut cells, mut findings) = (0usize, 0usize);
    for report in &reports {
        cells += report.cells.len();
        findings += report.findings.len();
        if json {
            writeln!(out, "{}", serde_json::to_string(report)?)?;
        } else {
            writeln!(out, "{}", gongkai_import::summary_line(report))?;
            if audit {
                print_findings(&mut out, report)?;
            }
        }
    }
    let n = reports.len();
    if !json {
        writeln!(out, "共 {n} 个文件，{cells} 个数据格，{findings} 个问题")?;
    }
    Ok(io_ok)
}

fn print_findings(out: &mut impl Write, r: &ImportReport) -> std::io::Result<()> {
    for f in &r.findings {
        let sev = match f.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        };
        writeln!(out, "  [{sev}] {}：{}", f.rule, f.message)?;
    }
    Ok(())
}

/// Files in sorted order; directories are walked, hidden entries skipped.
fn collect(p: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|e| {
                !e.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        entries.sort();
        for e in entries {
            collect(&e, out)?;
        }
        Ok(())
    } else {
        // Surface missing files as IO errors now rather than later.
        std::fs::metadata(p)?;
        out.push(p.to_path_buf());
        Ok(())
    }
}
