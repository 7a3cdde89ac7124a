//! Importer and arithmetic auditor for 政府信息公开工作年度报告.
//!
//! [`import`] is pure and total: any byte string yields an [`ImportReport`]
//! (format, evidence, agency, year, sections, cells with provenance, claims
//! and audit findings); it never panics and performs no IO.

pub mod audit;
pub mod canon;
pub mod docx;
pub mod extract;
pub mod grid;
pub mod history;
mod html;
pub mod label;
pub mod limits;
pub mod local;
mod local_claims;
mod meta;
pub mod model;
pub mod national;
pub mod text;

use std::collections::HashSet;

pub use model::{Cell, CellData, CellRef, Claim, Finding, Format, ImportReport, Severity};

use crate::model::fmt_num;
use crate::national::{STAT, T2_2019, T2_2021, T3_2019, T3_2021};

/// Decodes bytes: UTF-8 (with or without BOM) first, otherwise the encoding
/// guessed by chardetng (GBK/GB18030/Big5 …).
pub fn decode(bytes: &[u8]) -> (String, String) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(bytes.get(bom..).unwrap_or_default());
        return (s.into_owned(), enc.name().to_ascii_lowercase());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), "utf-8".into());
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let (s, _, _) = enc.decode(bytes);
    (s.into_owned(), enc.name().to_ascii_lowercase())
}

fn unsupported(file: &str, encoding: String, message: &str) -> ImportReport {
    rejected(
        file,
        encoding,
        "unsupported",
        "input.unsupported",
        message.to_string(),
    )
}

/// A report with no cells and one error finding: the input is not read.
fn rejected(file: &str, encoding: String, kind: &str, rule: &str, message: String) -> ImportReport {
    ImportReport {
        file: file.to_string(),
        encoding,
        input_kind: kind.into(),
        traditional: false,
        format: Format::None,
        evidence: vec![message.clone()],
        agency: None,
        year: None,
        sections: Vec::new(),
        cells: Vec::new(),
        claims: Vec::new(),
        findings: vec![Finding {
            rule: rule.into(),
            severity: Severity::Error,
            cells: Vec::new(),
            message,
        }],
    }
}

/// The file itself is over [`limits::MAX_INPUT_BYTES`].
fn too_large(file: &str, len: usize) -> ImportReport {
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    rejected(
        file,
        "binary".into(),
        "unsupported",
        "input.too_large",
        format!(
            "文件过大（{:.1} MB，上限 {:.0} MB），未解析；年度报告通常不超过数百 KB，请检查是否选错了文件",
            mib(len),
            mib(limits::MAX_INPUT_BYTES)
        ),
    )
}

/// `Some(report)` when the markup nests deeper than [`limits::MAX_NESTING`].
fn too_deep(file: &str, encoding: &str, kind: &str, markup: &str) -> Option<ImportReport> {
    let depth = limits::nesting_depth(markup, limits::MAX_NESTING);
    (depth > limits::MAX_NESTING).then(|| {
        rejected(
            file,
            encoding.to_string(),
            kind,
            "input.too_deep",
            format!(
                "标签嵌套超过 {} 层，未解析（文件可能已损坏或为恶意构造）",
                limits::MAX_NESTING
            ),
        )
    })
}

fn distinct_rows(cells: &[Cell]) -> usize {
    cells
        .iter()
        .filter_map(|c| c.row.as_deref())
        .collect::<HashSet<_>>()
        .len()
}

fn has_row(cells: &[Cell], row: &str) -> bool {
    cells
        .iter()
        .any(|c| c.row.as_deref() == Some(row) && c.value.is_some())
}

const MARK_2021: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年收费金额",
];
const MARK_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "采购项目数量",
];
const NEW_HEADINGS: &[&str] = &[
    "收到和处理政府信息公开申请情况",
    "主动公开政府信息情况",
    "政府信息公开行政复议、行政诉讼情况",
];

/// Imports one report. `name_hint` is the file name shown in the output.
pub fn import(bytes: &[u8], name_hint: &str) -> ImportReport {
    if bytes.len() > limits::MAX_INPUT_BYTES {
        return too_large(name_hint, bytes.len());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match docx::document_xml(bytes) {
            Ok(xml) => {
                if let Some(r) = too_deep(name_hint, "utf-8", "docx", &xml) {
                    return r;
                }
                let html = docx::to_html(&xml);
                let raw = html::html_chars_in(&html, &xml, true);
                analyse(name_hint, xml.clone(), "utf-8".into(), "docx", raw)
            }
            Err(msg) if msg == docx::TOO_LARGE => rejected(
                name_hint,
                "binary".into(),
                "docx",
                "input.too_large",
                msg.to_string(),
            ),
            Err(msg) => unsupported(name_hint, "binary".into(), msg),
        };
    }
    if bytes.starts_with(b"\xd0\xcf\x11\xe0") || bytes.starts_with(b"%PDF") {
        return unsupported(
            name_hint,
            "binary".into(),
            "DOC/WPS/PDF 文件无法直接读取，请先转换为 HTML 或纯文本",
        );
    }
    let (decoded, encoding) = decode(bytes);
    let is_html = html::looks_like_html(&decoded);
    if is_html && let Some(r) = too_deep(name_hint, &encoding, "html", &decoded) {
        return r;
    }
    let raw = if is_html {
        html::html_chars(&decoded)
    } else {
        text::chars_of(&decoded)
    };
    let kind = if is_html { "html" } else { "text" };
    analyse(name_hint, decoded, encoding, kind, raw)
}

/// Runs detection, extraction and audit on the characters of a decoded input.
fn analyse(
    name_hint: &str,
    decoded: String,
    encoding: String,
    kind: &str,
    raw: Vec<text::NChar>,
) -> ImportReport {
    let line_count = raw.iter().filter(|c| c.c == '\n').count();
    if line_count > limits::MAX_LINES {
        return rejected(
            name_hint,
            encoding,
            kind,
            "input.too_large",
            format!(
                "文本超过 {} 行（{line_count} 行），未解析；年度报告通常只有数千行",
                limits::MAX_LINES
            ),
        );
    }
    let norm = text::normalise(&raw);
    let lines = text::lines(&norm.chars);
    let toks = text::tokens(&lines);
    let (agency, year) = meta::title(&lines);
    let token_texts: HashSet<String> = toks
        .iter()
        .map(|t| t.text.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let has_token = |m: &&str| {
        token_texts
            .iter()
            .any(|t| t.contains(*m) && t.chars().count() < 30)
    };

    let stat = national::extract(&toks, &STAT);
    let t3_21 = national::extract(&toks, &T3_2021);
    let t3_19 = national::extract(&toks, &T3_2019);
    let (t4, t4_truncated) = national::extract_t4(&toks);
    let headings: Vec<&str> = NEW_HEADINGS
        .iter()
        .copied()
        .filter(|h| {
            lines
                .iter()
                .any(|l| l.text.contains(h) && l.text.chars().count() < 60)
        })
        .collect();

    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut local_table = None;
    let stat_rows = distinct_rows(&stat);
    let t3_rows = distinct_rows(&t3_21).max(distinct_rows(&t3_19));
    let format = if t3_rows >= 5 || (!headings.is_empty() && stat_rows < 10) || t4.len() == 15 {
        let m21: Vec<&str> = MARK_2021.iter().copied().filter(|m| has_token(m)).collect();
        let m19: Vec<&str> = MARK_2019.iter().copied().filter(|m| has_token(m)).collect();
        let sub21 = has_row(&t3_21, "other.no_correction") || has_row(&t3_21, "other.no_fee");
        if t3_rows > 0 {
            evidence.push(format!(
                "表三识别出 {t3_rows} 行（如「本年新收政府信息公开申请数量」）"
            ));
        }
        if t4.len() == 15 {
            evidence.push("表四「行政复议、行政诉讼」15 个数据格".into());
        }
        for h in &headings {
            evidence.push(format!("章节标题「{h}」"));
        }
        let f = if !m21.is_empty() || sub21 {
            evidence.extend(m21.iter().map(|m| format!("2021 格式表二列「{m}」")));
            if sub21 {
                evidence.push("表三「（六）其他处理」分为 3 个子项（2021 格式）".into());
            }
            Format::F2021
        } else if !m19.is_empty() {
            evidence.extend(m19.iter().map(|m| format!("2019 试行格式表二列「{m}」")));
            Format::F2019
        } else if year.is_some_and(|y| y <= 2020) {
            evidence.push("表二特征缺失，按报告年度（2019–2020）推断为 2019 试行格式".into());
            Format::F2019
        } else {
            evidence.push("表二特征缺失，按报告年度推断为 2021 格式".into());
            Format::F2021
        };
        let (t2, t3) = if f == Format::F2021 {
            (national::extract(&toks, &T2_2021), t3_21)
        } else {
            (national::extract(&toks, &T2_2019), t3_19)
        };
        cells.extend(t2);
        cells.extend(t3);
        cells.extend(t4.iter().cloned());
        if t4_truncated {
            findings.push(Finding {
                rule: "table.truncated".into(),
                severity: Severity::Warning,
                cells: Vec::new(),
                message: format!(
                    "表四只找到 {} 个数据格（应为 15 个），表格可能被截断",
                    t4.len()
                ),
            });
        }
        f
    } else if stat_rows * 2 >= STAT.rows.len()
        || (stat_rows >= 12 && year.is_some_and(|y| (2014..=2018).contains(&y)))
    {
        evidence.push(format!(
            "《政府信息公开情况统计表》识别出 {stat_rows} / {} 行",
            STAT.rows.len()
        ));
        if has_token(&"统计指标") {
            evidence.push("表头「统计指标」".into());
        }
        cells.extend(stat);
        Format::F2014
    } else if let Some(t) = local::extract(&toks) {
        evidence.push(format!("地方统计表，表头「{}」", t.columns.join(" | ")));
        evidence.push(format!(
            "{} 行、{} 个数据格，不符合全国统一格式",
            t.rows.len(),
            t.cells.len()
        ));
        if stat_rows > 0 {
            evidence.push(format!("仅 {stat_rows} 行与 2014 统计表相符"));
        }
        cells.extend(t.cells.iter().cloned());
        local_table = Some(t);
        Format::Local
    } else {
        evidence.push("未找到统计表格".into());
        Format::None
    };

    // A table that is announced but cannot be read is reported, never
    // treated as zeros.
    let announces_table = lines.iter().any(|l| {
        let t = l.text.trim();
        t.chars().count() < 50 && (t.ends_with("统计表") || t.contains("情况统计表"))
    }) || !headings.is_empty();
    if cells.iter().all(|c| c.value.is_none()) && announces_table {
        findings.push(Finding {
            rule: "table.unreadable".into(),
            severity: Severity::Warning,
            cells: Vec::new(),
            message: "报告提到统计表，但没有读到任何数字（表格可能是图片、附件或页面被截断）"
                .into(),
        });
    } else if let Some(last) = cells.iter().map(|c| c.span[1]).max() {
        let rest = decoded.get(last..).unwrap_or_default();
        let tail: String = rest
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '|')
            .collect();
        let all_rows_expected = match format {
            Format::F2014 => STAT.rows.len(),
            _ => 0,
        };
        let found = distinct_rows(&cells);
        if tail.chars().count() < 3
            && all_rows_expected > 0
            && found < all_rows_expected.saturating_sub(3)
        {
            findings.push(Finding {
                rule: "table.truncated".into(),
                severity: Severity::Warning,
                cells: Vec::new(),
                message: format!(
                    "统计表在文件末尾中断：只找到 {found} / {all_rows_expected} 行，缺少的行不按 0 处理"
                ),
            });
        }
    }

    let ranges = table_ranges(&cells);
    let in_table = |span: (usize, usize)| ranges.iter().any(|(a, b)| span.0 >= *a && span.1 <= *b);
    let sections = meta::sections(&lines, in_table);
    let claims = meta::claims(&lines, in_table);

    match format {
        Format::F2014 => findings.extend(audit::audit_2014(&cells)),
        Format::F2019 | Format::F2021 => findings.extend(audit::audit_t3_t4(&cells, format)),
        Format::Local => {
            if let Some(t) = &local_table {
                findings.extend(audit::audit_local(t));
                findings.extend(local_claims::audit_claims_local(t, &claims, year));
            }
        }
        Format::None => {}
    }
    findings.extend(audit::audit_claims(&cells, &claims, format));

    ImportReport {
        file: name_hint.to_string(),
        encoding,
        input_kind: kind.into(),
        traditional: norm.traditional,
        format,
        evidence,
        agency,
        year,
        sections,
        cells,
        claims,
        findings,
    }
}

/// Byte ranges covered by each extracted table (from its first to its last
/// cell), used to keep table labels out of sections and claims.
fn table_ranges(cells: &[Cell]) -> Vec<(usize, usize)> {
    let mut names: Vec<&str> = cells.iter().map(|c| c.table.as_str()).collect();
    names.dedup();
    names
        .iter()
        .filter_map(|n| {
            let it = cells.iter().filter(|c| c.table == *n);
            let a = it.clone().map(|c| c.span[0]).min()?;
            let b = it.map(|c| c.span[1]).max()?;
            Some((a, b))
        })
        .collect()
}

/// Cell tokens of a plain text after normalisation (for tests and tools
/// that run one table parser directly).
pub fn tokens_of(text: &str) -> Vec<text::Token> {
    let norm = text::normalise(&text::chars_of(text));
    text::tokens(&text::lines(&norm.chars))
}

/// One-line human summary of a report (used by the CLI summary table).
pub fn summary_line(r: &ImportReport) -> String {
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    format!(
        "{}\t{}\t{}\t{}\t{}",
        r.file,
        r.format.as_str(),
        r.cells.len(),
        r.findings.len(),
        errors
    )
}

/// The number as printed (re-exported for callers formatting findings).
pub fn format_number(v: f64) -> String {
    fmt_num(v)
}
