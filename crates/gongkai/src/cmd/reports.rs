//! `gongkai reports import|audit|list`: reads published annual reports
//! (政府信息公开工作年度报告), extracts the statistics cells and audits the
//! arithmetic. Directories are walked. Findings are data, not failures:
//! the exit status is non-zero only when a file cannot be read, or when
//! reports cannot be stored (`--org`; then nothing is stored).
//!
//! Without `--org` nothing touches the database and the cross-year checks
//! match the reports of one run by the agency name in their titles. With
//! `--org ORG`, `import` keeps the reports as that organisation's historic
//! reports and `audit` checks them against the stored years; both compare
//! with the organisation's stored neighbouring years.

use super::{open_store, resolve_org};
use crate::cli::GlobalOpts;
use crate::config::{Config, FlagOverrides};
use anyhow::anyhow;
use clap::Subcommand;
use gongkai_core::Store;
use gongkai_core::annual_report::{AnnualReport, AnnualReportDraft, FindingSeverity, check_year};
use gongkai_core::audit::Actor;
use gongkai_core::org::Organisation;
use gongkai_import::audit::YearCells;
use gongkai_import::history::{self, against_history};
use gongkai_import::{ImportReport, Severity, import};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// Import annual reports (text, HTML, DOCX; UTF-8/GBK/GB18030; 繁体 or 简体)
    /// and print a summary table, or one JSON object per file with --json.
    ///
    /// With --org the reports are kept as that organisation's historic
    /// annual reports (one per year; a year stored before is replaced), all
    /// or none, and each is checked against the organisation's stored
    /// neighbouring years. The report year is taken from the title unless
    /// --year is given (one file only). Reports without statistics cannot
    /// be kept. Each stored report is recorded in the audit log
    /// (annual_report.import).
    ///
    /// The JSON schema is described in docs/annual-report-import.md.
    Import {
        /// Report files or directories (walked recursively).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print one JSON object per line (JSON Lines) instead of a table.
        #[arg(long)]
        json: bool,
        /// Keep the reports as historic reports of this organisation: its
        /// code (统一社会信用代码/组织机构代码) or numeric id.
        #[arg(long, value_name = "ORG")]
        org: Option<String>,
        /// The report year, instead of the one in the title (with --org,
        /// one file only).
        #[arg(long, value_name = "YYYY", requires = "org")]
        year: Option<i32>,
    },
    /// Audit the arithmetic (勾稽关系) of annual reports and list the findings.
    ///
    /// With --org the cross-year checks compare each report with the
    /// organisation's stored reports of the year before and after (nothing
    /// is stored); without it, reports of one run are compared with each
    /// other by the agency name in their titles.
    Audit {
        /// Report files or directories (walked recursively).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Compare with this organisation's stored reports (code or id).
        #[arg(long, value_name = "ORG")]
        org: Option<String>,
    },
    /// List an organisation's stored historic reports, newest year first:
    /// year, format, cells, errors, warnings, source file, SHA-256, stored
    /// at (UTC) and by.
    List {
        /// The organisation: code or numeric id.
        #[arg(long, value_name = "ORG")]
        org: String,
    },
}

/// Runs the command; `Ok(false)` when at least one file could not be read.
pub async fn run(cmd: &ReportsCommand, global: &GlobalOpts) -> anyhow::Result<bool> {
    let (files, json, audit, org, year) = match cmd {
        ReportsCommand::Import {
            files,
            json,
            org,
            year,
        } => (files, *json, false, org, *year),
        ReportsCommand::Audit { files, org } => (files, false, true, org, None),
        ReportsCommand::List { org } => return list(global, org).await.map(|()| true),
    };
    if let Some(y) = year {
        check_year(y).map_err(|m| anyhow!("--year {y}：{m}"))?;
    }
    let mut paths = Vec::new();
    let mut io_ok = true;
    for f in files {
        if let Err(e) = collect(f, &mut paths) {
            eprintln!("错误：无法读取 {}：{e}", f.display());
            io_ok = false;
        }
    }
    // Reports are kept until the end so that cross-year checks can be
    // attached to them.
    let mut reports: Vec<(ImportReport, Vec<u8>)> = Vec::new();
    for p in &paths {
        match std::fs::read(p) {
            Ok(bytes) => reports.push((import(&bytes, &p.display().to_string()), bytes)),
            Err(e) => {
                eprintln!("错误：无法读取 {}：{e}", p.display());
                io_ok = false;
            }
        }
    }
    let mut saved: Vec<String> = Vec::new();
    match org {
        None => {
            let only: Vec<ImportReport> = reports.iter().map(|(r, _)| r.clone()).collect();
            for (i, f) in gongkai_import::audit::audit_cross_year(&only) {
                if let Some((r, _)) = reports.get_mut(i) {
                    r.findings.push(f);
                }
            }
        }
        Some(org) => {
            let config = Config::load(global, FlagOverrides::default())?;
            let store = open_store(&config).await?;
            let org = resolve_org(store.as_ref(), org).await?;
            if !audit {
                saved = keep(store.as_ref(), &org, &reports, year).await?;
            }
            check_history(store.as_ref(), &org, &mut reports, year).await?;
        }
    }
    print(&reports, json, audit || org.is_some(), &saved)?;
    Ok(io_ok)
}

/// Stores every report for `org`, all or none; returns one line per report.
async fn keep(
    store: &dyn Store,
    org: &Organisation,
    reports: &[(ImportReport, Vec<u8>)],
    year: Option<i32>,
) -> anyhow::Result<Vec<String>> {
    if year.is_some() && reports.len() != 1 {
        return Err(anyhow!(
            "--year 只能用于一个文件（现有 {} 个文件）；多个文件请去掉 --year，按各自标题中的年度保存",
            reports.len()
        ));
    }
    let mut problems = Vec::new();
    let mut drafts: Vec<AnnualReportDraft> = Vec::new();
    let mut years: Vec<(i32, &str)> = Vec::new();
    for (r, bytes) in reports {
        let Some(y) = year.or(r.year) else {
            problems.push(format!(
                "{}：未识别报告年度，请用 --year 指定（一次一个文件）",
                r.file
            ));
            continue;
        };
        if let Some((_, other)) = years.iter().find(|(x, _)| *x == y) {
            problems.push(format!("{}：与 {other} 同为 {y} 年的年报", r.file));
            continue;
        }
        years.push((y, &r.file));
        let draft = history::draft(r, bytes, org.id, y);
        match draft.check() {
            Ok(()) => drafts.push(draft),
            Err(m) => problems.push(format!("{}：{m}", r.file)),
        }
    }
    if !problems.is_empty() {
        return Err(anyhow!("未保存任何年报：\n{}", problems.join("\n")));
    }
    let before: Vec<i32> = store
        .list_annual_reports(org.id)
        .await?
        .iter()
        .map(|r| r.year)
        .collect();
    let stored = store
        .put_annual_reports(&Actor::cli(), &drafts)
        .await
        .map_err(|e| anyhow!("未保存任何年报：{e}"))?;
    Ok(stored
        .iter()
        .zip(reports)
        .map(|(info, (r, _))| {
            let replaced = if before.contains(&info.year) {
                "，替换了此前保存的记录"
            } else {
                ""
            };
            format!(
                "已保存：{} → {} {} 年（{} 个数据格{replaced}）",
                r.file, org.name, info.year, info.cell_count
            )
        })
        .collect())
}

/// Adds to each report the cross-year findings against the organisation's
/// stored years next to it. When both years of a pair are in this run (and
/// so were just stored), the finding goes to the later one only.
async fn check_history(
    store: &dyn Store,
    org: &Organisation,
    reports: &mut [(ImportReport, Vec<u8>)],
    year: Option<i32>,
) -> anyhow::Result<()> {
    let mut stored: Vec<AnnualReport> = Vec::new();
    for info in store.list_annual_reports(org.id).await? {
        if let Some(r) = store.get_annual_report(info.id).await? {
            stored.push(r);
        }
    }
    let in_run: Vec<i32> = reports
        .iter()
        .filter_map(|(r, _)| year.or(r.year))
        .collect();
    for (r, _) in reports.iter_mut() {
        let Some(y) = year.or(r.year) else { continue };
        let neighbours: Vec<AnnualReport> = stored
            .iter()
            .filter(|s| !(s.info.year > y && in_run.contains(&s.info.year)))
            .cloned()
            .collect();
        let cells = YearCells {
            year: y,
            format: r.format,
            cells: &r.cells,
        };
        let found = against_history(&org.name, cells, &neighbours);
        r.findings.extend(found);
    }
    Ok(())
}

fn print(
    reports: &[(ImportReport, Vec<u8>)],
    json: bool,
    findings: bool,
    saved: &[String],
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        for (r, _) in reports {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
        for line in saved {
            eprintln!("{line}");
        }
        return Ok(());
    }
    writeln!(out, "文件\t格式\t数据格\t问题\t其中错误")?;
    let (mut cells, mut count) = (0usize, 0usize);
    for (r, _) in reports {
        cells += r.cells.len();
        count += r.findings.len();
        writeln!(out, "{}", gongkai_import::summary_line(r))?;
        if findings {
            print_findings(&mut out, r)?;
        }
    }
    writeln!(
        out,
        "共 {} 个文件，{cells} 个数据格，{count} 个问题",
        reports.len()
    )?;
    for line in saved {
        writeln!(out, "{line}")?;
    }
    Ok(())
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

/// `gongkai reports list --org ORG`.
async fn list(global: &GlobalOpts, org: &str) -> anyhow::Result<()> {
    let config = Config::load(global, FlagOverrides::default())?;
    let store = open_store(&config).await?;
    let org = resolve_org(store.as_ref(), org).await?;
    let reports = store.list_annual_reports(org.id).await?;
    if reports.is_empty() {
        println!("{} 尚未保存历史年报", org.name);
        return Ok(());
    }
    println!("年度\t格式\t数据格\t错误\t警告\t来源文件\tSHA-256\t保存时间\t保存人");
    for r in reports {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.year,
            r.format.as_str(),
            r.cell_count,
            r.count(FindingSeverity::Error),
            r.count(FindingSeverity::Warning),
            r.source_name,
            r.source_sha256,
            r.imported_at.format("%Y-%m-%dT%H:%M:%SZ"),
            r.imported_by
        );
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
