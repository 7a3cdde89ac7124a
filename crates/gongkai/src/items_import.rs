//! `items import`: turns a CSV or JSON Lines file from an earlier site into
//! a batch of [`LegacyItem`]s (issue 3, point 8).
//!
//! Pure apart from reading attachment files: the caller loads the
//! organisations, their column trees and which 索引号 already exist, and
//! stores the result. The metadata rules are [`ItemForm`]'s; this module
//! only maps columns to form fields, resolves the agency and the column,
//! and gates attachments through [`gongkai_files::accept_upload`].

use crate::org_import::Issue;
use gongkai_core::item::attachment::ATTACHMENTS_PER_VERSION_MAX;
use gongkai_core::item::column::Column;
use gongkai_core::item::metadata::REPEAL_LINK_NEEDS_REPEALED;
use gongkai_core::item::{IndexNo, ItemForm, LegacyItem, ValidityKind};
use gongkai_core::org::Organisation;
use gongkai_core::org_code::OrgCode;
use gongkai_files::UploadLimits;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

/// Documented keys with the Chinese header aliases accepted for them.
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("org", &["发布机构", "机构"]),
    ("index_no", &["索引号"]),
    ("title", &["标题", "信息名称"]),
    ("summary", &["内容概述", "摘要"]),
    ("body", &["正文"]),
    ("issuers", &["issuer", "发文机关"]),
    ("doc_number", &["发文字号", "文号"]),
    ("written_on", &["成文日期"]),
    ("published_on", &["发布日期"]),
    ("formed_on", &["形成日期", "形成/变更日期"]),
    ("topic", &["主题分类"]),
    ("column", &["栏目", "公开目录栏目"]),
    ("genre", &["体裁"]),
    ("keywords", &["关键词"]),
    ("disclosure", &["公开方式"]),
    ("doc_kind", &["文件类型"]),
    ("validity", &["有效性"]),
    ("repealed_on", &["validity_on", "废止日期", "失效日期"]),
    ("repealed_by", &["废止依据", "废止依据索引号"]),
    ("attachments", &["附件"]),
];

/// The input format, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    pub fn of(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" => Some(Self::JsonLines),
            _ => None,
        }
    }
}

/// A data row as read, keyed by canonical column name.
pub struct Row {
    pub line: u64,
    values: HashMap<&'static str, String>,
}

impl Row {
    fn get(&self, column: &str) -> String {
        self.values.get(column).cloned().unwrap_or_default()
    }

    /// The 索引号 as stored (surrounding space removed), if usable.
    pub fn index_no(&self) -> Option<IndexNo> {
        IndexNo::legacy(&self.get("index_no")).ok()
    }

    /// The 索引号 of the repealing item (废止依据), if given and usable.
    pub fn repealed_by(&self) -> Option<IndexNo> {
        IndexNo::legacy(&self.get("repealed_by")).ok()
    }
}

fn issue(line: u64, field: Option<&str>, message: impl Into<String>) -> Issue {
    Issue {
        line,
        field: field.map(str::to_string),
        message: message.into(),
    }
}

fn canonical(name: &str) -> Option<&'static str> {
    let n = name.trim();
    let lower = n.to_ascii_lowercase();
    COLUMNS
        .iter()
        .find(|(key, aliases)| *key == lower || aliases.contains(&n) || aliases.contains(&&*lower))
        .map(|(key, _)| *key)
}

fn known_columns() -> String {
    COLUMNS
        .iter()
        .map(|(k, _)| *k)
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads every row of the file; problems of form (encoding, header,
/// unknown keys, bad JSON) are all reported at once.
pub fn read_rows(format: Format, input: &[u8]) -> Result<Vec<Row>, Vec<Issue>> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = std::str::from_utf8(input).map_err(|e| {
        let line = 1 + input[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        vec![issue(
            line,
            None,
            "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 后重试",
        )]
    })?;
    match format {
        Format::Csv => read_csv(text),
        Format::JsonLines => read_jsonl(text),
    }
}

fn read_csv(text: &str) -> Result<Vec<Row>, Vec<Issue>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![csv_issue(&e)]),
        None => {
            return Err(vec![issue(
                1,
                None,
                format!("文件为空：第一行应为表头，例如 {}", known_columns()),
            )]);
        }
    };
    let mut issues = Vec::new();
    let mut columns: Vec<&'static str> = Vec::new();
    for raw in header.iter() {
        match canonical(raw) {
            Some(c) if columns.contains(&c) => issues.push(issue(1, Some(c), "表头中此列重复")),
            Some(c) => columns.push(c),
            None => issues.push(issue(
                1,
                Some(raw.trim()),
                format!("未知的列名，可用的列：{}", known_columns()),
            )),
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                issues.push(csv_issue(&e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            issues.push(issue(
                line,
                None,
                format!(
                    "本行有{}列，表头有{}列（含逗号的内容请用英文双引号括起来）",
                    record.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let values = columns
            .iter()
            .zip(record.iter())
            .map(|(c, v)| (*c, v.to_string()))
            .collect();
        rows.push(Row { line, values });
    }
    if issues.is_empty() {
        Ok(rows)
    } else {
        Err(issues)
    }
}

fn csv_issue(e: &csv::Error) -> Issue {
    let line = e.position().map_or(1, |p| p.line());
    issue(line, None, format!("无法读取此行：{e}"))
}

fn read_jsonl(text: &str) -> Result<Vec<Row>, Vec<Issue>> {
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n as u64 + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => {
                issues.push(issue(line, None, "每行应是一个 JSON 对象 {…}"));
                continue;
            }
            Err(e) => {
                issues.push(issue(line, None, format!("不是有效的 JSON：{e}")));
                continue;
            }
        };
        let mut values = HashMap::new();
        for (key, value) in object {
            let Some(c) = canonical(&key) else {
                issues.push(issue(
                    line,
                    Some(&key),
                    format!("未知的键，可用的键：{}", known_columns()),
                ));
                continue;
            };
            match json_text(c, &value) {
                Some(v) => {
                    values.insert(c, v);
                }
                None => issues.push(issue(line, Some(c), "值应为文本、数字或文本数组")),
            }
        }
        rows.push(Row { line, values });
    }
    if issues.is_empty() {
        Ok(rows)
    } else {
        Err(issues)
    }
}

/// A JSON value as the text a CSV cell would hold; arrays are joined with
/// a separator the form's list parsing splits on again.
fn json_text(column: &str, value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(parts) => {
            let sep = match column {
                "issuers" => "\n",
                "keywords" => "，",
                "attachments" => "|",
                _ => return None,
            };
            let parts: Option<Vec<&str>> = parts.iter().map(Value::as_str).collect();
            Some(parts?.join(sep))
        }
        Value::Bool(_) | Value::Object(_) => None,
    }
}

/// What the rows are checked against.
pub struct Context<'a> {
    pub orgs: &'a [Organisation],
    /// Each organisation's column tree.
    pub columns: &'a HashMap<i64, Vec<Column>>,
    /// `--org`: the agency of rows without an `org` value.
    pub default_org: Option<&'a Organisation>,
    /// 索引号 already in the database, among those the file names (as a
    /// row's own number or as a 废止依据).
    pub existing: &'a HashSet<String>,
    /// Attachment paths are relative to this directory.
    pub base_dir: &'a Path,
    pub limits: &'a UploadLimits,
}

/// A valid file: what to store, and the rows left out.
#[derive(Debug, Default)]
pub struct Plan {
    pub items: Vec<LegacyItem>,
    /// Attachment contents to put into the file store, once per content.
    pub files: Vec<Vec<u8>>,
    /// (line, 索引号) of rows skipped because the number exists.
    pub skipped: Vec<(u64, String)>,
}

/// Validates every row; returns the plan, or every problem found.
pub fn plan(rows: &[Row], ctx: &Context<'_>) -> Result<Plan, Vec<Issue>> {
    let mut out = Plan::default();
    let mut issues = Vec::new();
    let mut seen_keys: HashSet<String> = HashSet::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    // A 废止依据 may name a row further down, so every number is known first.
    let in_file: HashSet<String> = rows
        .iter()
        .filter_map(Row::index_no)
        .map(|n| n.as_str().to_string())
        .collect();
    for row in rows {
        let line = row.line;
        let index_no = match IndexNo::legacy(&row.get("index_no")) {
            Ok(n) => Some(n),
            Err(_) if row.get("index_no").trim().is_empty() => {
                issues.push(issue(
                    line,
                    Some("index_no"),
                    "请填写索引号（原网站的索引号）",
                ));
                None
            }
            Err(_) => {
                issues.push(issue(line, Some("index_no"), "索引号过长或含有控制字符"));
                None
            }
        };
        if let Some(n) = &index_no {
            if ctx.existing.contains(n.as_str()) {
                out.skipped.push((line, n.as_str().to_string()));
                continue;
            }
            if let Some(first) = first_line.get(n.as_str()) {
                issues.push(issue(
                    line,
                    Some("index_no"),
                    format!("索引号与本文件第{first}行重复"),
                ));
            } else {
                first_line.insert(n.as_str().to_string(), line);
            }
        }
        let before = issues.len();
        let org = resolve_org(row, ctx).map_err(|m| issues.push(issue(line, Some("org"), m)));
        let column_id = match &org {
            Ok(o) => resolve_column(&row.get("column"), ctx.columns.get(&o.id))
                .map_err(|m| issues.push(issue(line, Some("column"), m)))
                .ok(),
            Err(()) => None,
        };
        let published_on = match row.get("published_on").trim() {
            "" => {
                issues.push(issue(line, Some("published_on"), "请填写发布日期"));
                None
            }
            s => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| {
                    issues.push(issue(
                        line,
                        Some("published_on"),
                        "日期格式应为 YYYY-MM-DD，例如 2024-03-01",
                    ))
                })
                .ok(),
        };
        let form = form_of(row, column_id);
        let meta = match form.validate() {
            Ok(m) => Some(m),
            Err(errors) => {
                for e in errors.0 {
                    // The column check above already explained a missing column.
                    if e.field == "column_id" && column_id.is_none() {
                        continue;
                    }
                    // A 形成日期 taken from another column is reported there.
                    if e.field == "formed_on" && row.get("formed_on").trim().is_empty() {
                        continue;
                    }
                    issues.push(issue(line, Some(field_name(e.field)), e.message));
                }
                None
            }
        };
        let validity = meta.as_ref().map(|m| m.validity.kind());
        let repealed_by = resolve_repealer(row, index_no.as_ref(), validity, &in_file, ctx)
            .map_err(|m| issues.push(issue(line, Some("repealed_by"), m)))
            .ok()
            .flatten();
        let attachments = read_attachments(row, ctx, &mut issues, &mut out.files, &mut seen_keys);
        if issues.len() > before {
            continue;
        }
        if let (Some(index_no), Ok(org), Some(published_on), Some(meta)) =
            (index_no, org, published_on, meta)
        {
            out.items.push(LegacyItem {
                org_id: org.id,
                index_no,
                published_on,
                meta,
                attachments,
                repealed_by_index_no: repealed_by,
            });
        }
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        issues.sort_by_key(|i| i.line);
        Err(issues)
    }
}

/// The file's name for a form field.
fn field_name(form_field: &str) -> &str {
    match form_field {
        "column_id" => "column",
        "validity_on" => "repealed_on",
        other => other,
    }
}

/// Legacy sites rarely record a 形成日期; the 成文日期, else the 发布日期,
/// is the best stand-in (documented in docs/catalog.md). Imported items
/// are public catalog content, so 公开方式 and 有效性 default to 主动公开
/// and 有效, and 文件类型 to 其他.
fn form_of(row: &Row, column_id: Option<i64>) -> ItemForm {
    let or = |key: &str, fallback: String| {
        let v = row.get(key);
        if v.trim().is_empty() { fallback } else { v }
    };
    ItemForm {
        title: row.get("title"),
        summary: row.get("summary"),
        body: row.get("body"),
        issuers: row.get("issuers"),
        doc_number: row.get("doc_number"),
        written_on: row.get("written_on"),
        formed_on: or("formed_on", or("written_on", row.get("published_on"))),
        topic: row.get("topic"),
        column_id: column_id.map(|c| c.to_string()).unwrap_or_default(),
        genre: row.get("genre"),
        keywords: row.get("keywords"),
        disclosure: or("disclosure", "proactive".into()),
        doc_kind: or("doc_kind", "other".into()),
        validity: or("validity", "effective".into()),
        validity_on: row.get("repealed_on"),
        repealed_by: String::new(),
    }
}

/// The 废止依据 column: the 索引号 of the repealing item, which must be a
/// row of this file or an item already in the system (of any agency: a
/// superior government's decision may repeal a department's 规章). The
/// store turns it into the link once every row has its id. `validity` is
/// the row's validated 有效性 (`None` when the form was refused, which is
/// reported on its own columns).
fn resolve_repealer(
    row: &Row,
    own: Option<&IndexNo>,
    validity: Option<ValidityKind>,
    in_file: &HashSet<String>,
    ctx: &Context<'_>,
) -> Result<Option<IndexNo>, String> {
    let raw = row.get("repealed_by");
    if raw.trim().is_empty() {
        return Ok(None);
    }
    if validity.is_some_and(|k| k != ValidityKind::Repealed) {
        return Err(REPEAL_LINK_NEEDS_REPEALED.into());
    }
    let n = IndexNo::legacy(&raw).map_err(|_| "废止依据索引号过长或含有控制字符".to_string())?;
    if own == Some(&n) {
        return Err("信息不能废止它自己".into());
    }
    if !in_file.contains(n.as_str()) && !ctx.existing.contains(n.as_str()) {
        return Err(format!(
            "废止依据索引号 {n} 不存在（既不在本文件中，也不在系统中）"
        ));
    }
    Ok(Some(n))
}

fn resolve_org<'a>(row: &Row, ctx: &Context<'a>) -> Result<&'a Organisation, String> {
    let value = row.get("org");
    let value = value.trim();
    if value.is_empty() {
        return ctx
            .default_org
            .ok_or_else(|| "请填写发布机构（机构代码或编号），或在命令行使用 --org".to_string());
    }
    if let Ok(code) = OrgCode::parse(value)
        && let Some(o) = ctx.orgs.iter().find(|o| o.code.as_ref() == Some(&code))
    {
        return Ok(o);
    }
    if let Ok(id) = value.parse::<i64>()
        && let Some(o) = ctx.orgs.iter().find(|o| o.id == id)
    {
        return Ok(o);
    }
    Err(format!(
        "找不到机构“{value}”：请填写机构代码或机构编号（可用 gongkai org list 查看）"
    ))
}

/// Finds the column by key (e.g. policy_normative) or by name; a name used
/// twice in the tree must be given by key.
fn resolve_column(value: &str, columns: Option<&Vec<Column>>) -> Result<i64, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("请填写公开目录栏目（栏目标识或名称）".into());
    }
    let columns = columns.map(Vec::as_slice).unwrap_or_default();
    if columns.is_empty() {
        return Err("该机构还没有公开目录栏目，请先在管理后台设置栏目".into());
    }
    if let Some(c) = columns.iter().find(|c| c.key.as_deref() == Some(value)) {
        return active(c);
    }
    let named: Vec<&Column> = columns.iter().filter(|c| c.name == value).collect();
    match named.as_slice() {
        [c] => active(c),
        [] => Err(format!("该机构没有名为“{value}”的公开目录栏目")),
        _ => Err(format!("该机构有多个名为“{value}”的栏目，请改用栏目标识")),
    }
}

fn active(c: &Column) -> Result<i64, String> {
    if c.active {
        Ok(c.id)
    } else {
        Err(format!("栏目“{}”已停用，不能再放入信息", c.name))
    }
}

/// Reads and gates each attachment of a row; contents are collected once.
fn read_attachments(
    row: &Row,
    ctx: &Context<'_>,
    issues: &mut Vec<Issue>,
    files: &mut Vec<Vec<u8>>,
    seen: &mut HashSet<String>,
) -> Vec<gongkai_core::item::NewAttachment> {
    let line = row.line;
    let value = row.get("attachments");
    let paths: Vec<&str> = value
        .split(['|', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if paths.len() > ATTACHMENTS_PER_VERSION_MAX {
        issues.push(issue(
            line,
            Some("attachments"),
            format!("附件最多{ATTACHMENTS_PER_VERSION_MAX}个"),
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for raw in paths {
        let rel = Path::new(raw);
        // Relative paths only, and never out of the file's directory: an
        // import file must not pull arbitrary files of the server.
        if !rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            issues.push(issue(
                line,
                Some("attachments"),
                format!("附件路径“{raw}”应为相对于导入文件所在目录的路径，且不能含有 .."),
            ));
            continue;
        }
        let path = ctx.base_dir.join(rel);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                issues.push(issue(
                    line,
                    Some("attachments"),
                    format!("附件文件不存在：{raw}"),
                ));
                continue;
            }
            Err(e) => {
                issues.push(issue(
                    line,
                    Some("attachments"),
                    format!("无法读取附件文件 {raw}：{e}"),
                ));
                continue;
            }
        };
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        match gongkai_files::accept_upload(name, &bytes, ctx.limits) {
            Ok(accepted) => {
                if seen.insert(accepted.sha256.clone()) {
                    files.push(bytes);
                }
                out.push(accepted.to_new_attachment());
            }
            Err(e) => issues.push(issue(line, Some("attachments"), format!("{raw}：{e}"))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::org::{OfficeContact, OrgKind, OrgLevel};

    fn org() -> Organisation {
        Organisation {
            id: 7,
            parent_id: None,
            name: "青岚市人民政府".into(),
            short_name: None,
            code: None,
            kind: OrgKind::Government,
            level: OrgLevel::City,
            sort_order: 0,
            active: true,
            successor_id: None,
            contact: OfficeContact::default(),
            created_at: Default::default(),
            updated_at: Default::default(),
        }
    }

    fn column(id: i64, key: Option<&str>, name: &str, active: bool) -> Column {
        Column {
            id,
            org_id: 7,
            parent_id: None,
            key: key.map(str::to_string),
            name: name.into(),
            basis: None,
            sort_order: 0,
            active,
        }
    }

    fn check(format: Format, input: &str, existing: &[&str]) -> Result<Plan, Vec<String>> {
        let orgs = [org()];
        let columns = HashMap::from([(
            7,
            vec![
                column(1, Some("policy_other"), "其他文件", true),
                column(2, None, "通知公告", true),
                column(3, None, "通知公告", true),
                column(4, None, "旧栏目", false),
            ],
        )]);
        let existing: HashSet<String> = existing.iter().map(|s| s.to_string()).collect();
        let limits = UploadLimits::default();
        let ctx = Context {
            orgs: &orgs,
            columns: &columns,
            default_org: Some(&orgs[0]),
            existing: &existing,
            base_dir: Path::new("/nonexistent-import-dir"),
            limits: &limits,
        };
        let render = |issues: Vec<Issue>| issues.iter().map(|i| i.render("f")).collect::<Vec<_>>();
        let rows = read_rows(format, input.as_bytes()).map_err(render)?;
        plan(&rows, &ctx).map_err(render)
    }

    const HEAD: &str = "索引号,标题,内容概述,发文机关,发布日期,主题分类,栏目,体裁,附件\n";

    #[test]
    fn defaults_fill_what_legacy_sites_lack() {
        let csv = format!("{HEAD}A-1,标题,概述,某局,2020-01-02,finance,其他文件,notice,\n");
        let plan = check(Format::Csv, &csv, &[]).unwrap();
        let item = &plan.items[0];
        assert_eq!(item.meta.column_id, 1);
        // 形成日期 falls back to the 发布日期 when neither it nor 成文日期 is given.
        assert_eq!(item.meta.formed_on.to_string(), "2020-01-02");
        assert_eq!(item.meta.disclosure.as_str(), "proactive");
        assert_eq!(item.meta.validity.kind().as_str(), "effective");
        assert_eq!(item.meta.doc_number_label(), "无文号");
    }

    #[test]
    fn duplicates_ambiguous_or_inactive_columns_and_escaping_paths_are_refused() {
        let csv = format!(
            "{HEAD}A-1,甲,概述,某局,2020-01-02,finance,通知公告,notice,\n\
             A-1,乙,概述,某局,2020-01-02,finance,旧栏目,notice,../secret.pdf\n"
        );
        let errors = check(Format::Csv, &csv, &[]).unwrap_err();
        assert_eq!(
            errors,
            vec![
                "f:2: column: 该机构有多个名为“通知公告”的栏目，请改用栏目标识",
                "f:3: index_no: 索引号与本文件第2行重复",
                "f:3: column: 栏目“旧栏目”已停用，不能再放入信息",
                "f:3: attachments: 附件路径“../secret.pdf”应为相对于导入文件所在目录的路径，且不能含有 ..",
            ]
        );
    }

    #[test]
    fn existing_numbers_are_skipped_without_validation() {
        let csv = format!("{HEAD}OLD-1,,,,,,,,\n");
        let plan = check(Format::Csv, &csv, &["OLD-1"]).unwrap();
        assert!(plan.items.is_empty());
        assert_eq!(plan.skipped, vec![(2, "OLD-1".to_string())]);
    }

    const REPEAL_HEAD: &str = "索引号,标题,内容概述,发文机关,发布日期,主题分类,栏目,体裁,有效性,废止日期,废止依据索引号\n";

    /// (索引号, 废止依据索引号) of every planned item.
    fn links(plan: &Plan) -> Vec<(&str, Option<&str>)> {
        plan.items
            .iter()
            .map(|i| {
                (
                    i.index_no.as_str(),
                    i.repealed_by_index_no.as_ref().map(IndexNo::as_str),
                )
            })
            .collect()
    }

    fn repeal_row(no: &str, validity: &str, on: &str, by: &str) -> String {
        format!("{no},标题,概述,某局,2020-01-02,finance,其他文件,notice,{validity},{on},{by}\n")
    }

    #[test]
    fn a_repeal_may_name_a_row_of_the_file_either_way_or_an_existing_item() {
        let csv = format!(
            "{REPEAL_HEAD}{}{}{}{}",
            // Named before the repealing row appears, then after it.
            repeal_row("R-1", "废止", "2023-06-30", " D-1 "),
            repeal_row("D-1", "有效", "", ""),
            repeal_row("R-2", "repealed", "2023-06-30", "D-1"),
            repeal_row("R-3", "废止", "2023-06-30", "OLD-1"),
        );
        let plan = check(Format::Csv, &csv, &["OLD-1"]).unwrap();
        assert_eq!(
            links(&plan),
            vec![
                ("R-1", Some("D-1")),
                ("D-1", None),
                ("R-2", Some("D-1")),
                ("R-3", Some("OLD-1")),
            ]
        );
        // The id-based link of the console form is left to the store.
        assert!(
            plan.items
                .iter()
                .all(|i| i.meta.validity.repealed_by().is_none())
        );
    }

    #[test]
    fn a_repeal_link_must_be_on_a_repealed_item_and_resolve_to_another_item() {
        let csv = format!(
            "{REPEAL_HEAD}{}{}{}{}",
            repeal_row("E-1", "有效", "", "OLD-1"),
            repeal_row("E-2", "", "", "OLD-1"),
            repeal_row("R-1", "废止", "2023-06-30", "NOWHERE-9"),
            repeal_row("R-2", "废止", "2023-06-30", "R-2"),
        );
        let errors = check(Format::Csv, &csv, &["OLD-1"]).unwrap_err();
        assert_eq!(
            errors,
            vec![
                "f:2: repealed_by: 只有已废止的信息才关联废止它的信息",
                "f:3: repealed_by: 只有已废止的信息才关联废止它的信息",
                "f:4: repealed_by: 废止依据索引号 NOWHERE-9 不存在（既不在本文件中，也不在系统中）",
                "f:5: repealed_by: 信息不能废止它自己",
            ]
        );
    }

    #[test]
    fn a_skipped_row_still_resolves_as_an_existing_item() {
        // OLD-1 is in the database, so its row is skipped (its own 废止依据
        // is not checked) and the new row's link resolves to it.
        let csv = format!(
            "{REPEAL_HEAD}{}{}",
            repeal_row("OLD-1", "废止", "2023-06-30", "NOWHERE-9"),
            repeal_row("R-1", "废止", "2023-06-30", "OLD-1"),
        );
        let plan = check(Format::Csv, &csv, &["OLD-1"]).unwrap();
        assert_eq!(plan.skipped, vec![(2, "OLD-1".to_string())]);
        assert_eq!(links(&plan), vec![("R-1", Some("OLD-1"))]);
        let json = r#"{"index_no":"J-1","title":"标题","summary":"概述","issuers":"某局","published_on":"2020-01-02","topic":"finance","column":"policy_other","genre":"notice","validity":"废止","废止日期":"2023-06-30","废止依据":"OLD-1"}"#;
        let plan = check(Format::JsonLines, json, &["OLD-1"]).unwrap();
        assert_eq!(links(&plan), vec![("J-1", Some("OLD-1"))]);
    }

    #[test]
    fn json_arrays_become_lists_and_other_shapes_are_refused() {
        let ok = r#"{"index_no":"J-1","title":"标题","summary":"概述","issuers":["甲局","乙局"],"published_on":"2020-01-02","topic":"finance","column":"policy_other","genre":"notice","keywords":["数据","开放"]}"#;
        let plan = check(Format::JsonLines, ok, &[]).unwrap();
        assert_eq!(plan.items[0].meta.issuers, vec!["甲局", "乙局"]);
        assert_eq!(plan.items[0].meta.keywords, vec!["数据", "开放"]);
        let bad = "{\"title\":{\"a\":1}}\n[1]\n";
        assert_eq!(
            check(Format::JsonLines, bad, &[]).unwrap_err(),
            vec![
                "f:1: title: 值应为文本、数字或文本数组",
                "f:2: 每行应是一个 JSON 对象 {…}",
            ]
        );
    }
}
