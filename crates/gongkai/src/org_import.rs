//! `org import`: turns a CSV file into a batch of new organisations.
//!
//! Pure: the caller reads the file and the existing organisations and
//! stores the result in one `create_orgs` call. Every problem of every row
//! is collected, so staff can fix the whole file in one pass.

use gongkai_core::org::{OrgDraft, OrgForm, Organisation};
use gongkai_core::org_code::OrgCode;
use gongkai_core::store::{NewOrg, ParentRef};
use gongkai_core::text::clean_line;
use std::collections::HashMap;
use std::fmt;

/// The columns a file may have, in the documented order.
pub const COLUMNS: [&str; 15] = [
    "name",
    "short_name",
    "code",
    "kind",
    "level",
    "parent",
    "sort_order",
    "office_name",
    "address",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
    "postcode",
];

const REQUIRED: [&str; 3] = ["name", "kind", "level"];

/// One problem, located as a text editor shows it (header = line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub line: u64,
    /// The column concerned; `None` for whole-line problems.
    pub field: Option<String>,
    pub message: String,
}

impl Issue {
    fn new(line: u64, field: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            line,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    /// `FILE:LINE: field: message`.
    pub fn render(&self, file: &str) -> String {
        match &self.field {
            Some(f) => format!("{file}:{}: {f}: {}", self.line, self.message),
            None => format!("{file}:{}: {}", self.line, self.message),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render("-"))
    }
}

/// A data row as read, before validation.
struct Row {
    line: u64,
    values: HashMap<&'static str, String>,
}

impl Row {
    fn get(&self, column: &str) -> String {
        self.values.get(column).cloned().unwrap_or_default()
    }
}

/// Parses and validates the whole file against the organisations already
/// stored. Returns the batch to create, or every problem found.
pub fn plan(input: &[u8], existing: &[Organisation]) -> Result<Vec<NewOrg>, Vec<Issue>> {
    let text = decode(input).map_err(|i| vec![i])?;
    let (rows, mut issues) = read_rows(text)?;
    let batch = validate_rows(&rows, existing, &mut issues);
    if issues.is_empty() {
        Ok(batch)
    } else {
        issues.sort_by_key(|i| i.line);
        Err(issues)
    }
}

fn decode(input: &[u8]) -> Result<&str, Issue> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    std::str::from_utf8(input).map_err(|e| {
        let line = 1 + input[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        Issue::new(
            line,
            None,
            "文件不是 UTF-8 编码（可能是 GBK），请在表格软件中另存为“CSV UTF-8”后重试",
        )
    })
}

/// Splits the file into rows keyed by column, checking the header and the
/// number of fields of each line.
fn read_rows(text: &str) -> Result<(Vec<Row>, Vec<Issue>), Vec<Issue>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![csv_issue(&e)]),
        None => {
            return Err(vec![Issue::new(
                1,
                None,
                format!("文件为空：第一行应为表头，例如 {}", COLUMNS.join(",")),
            )]);
        }
    };
    let columns = parse_header(&header)?;
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                issues.push(csv_issue(&e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() < columns.len() {
            issues.push(Issue::new(
                line,
                Some(columns[record.len()]),
                format!(
                    "缺少此列：本行只有{}列，表头有{}列",
                    record.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        if record.len() > columns.len() {
            issues.push(Issue::new(
                line,
                None,
                format!(
                    "本行有{}列，多于表头的{}列（含逗号的内容请用英文双引号括起来）",
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
    Ok((rows, issues))
}

fn csv_issue(e: &csv::Error) -> Issue {
    let line = e.position().map_or(1, |p| p.line());
    Issue::new(line, None, format!("无法读取此行：{e}"))
}

fn parse_header(header: &csv::StringRecord) -> Result<Vec<&'static str>, Vec<Issue>> {
    let mut issues = Vec::new();
    let mut columns: Vec<&'static str> = Vec::new();
    for raw in header.iter() {
        let name = raw.trim().to_ascii_lowercase();
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if columns.contains(c) => {
                issues.push(Issue::new(1, Some(c), "表头中此列重复"));
            }
            Some(c) => columns.push(c),
            None => issues.push(Issue::new(
                1,
                Some(raw.trim()),
                format!("未知的列名，可用的列：{}", COLUMNS.join(",")),
            )),
        }
    }
    for required in REQUIRED {
        if !columns.contains(&required) {
            issues.push(Issue::new(1, Some(required), "表头缺少必需的列"));
        }
    }
    if issues.is_empty() {
        Ok(columns)
    } else {
        Err(issues)
    }
}

/// Where a `parent` value points.
enum Parent<'a> {
    None,
    Existing(&'a Organisation),
    /// Index into the batch; the draft is absent when that row was invalid.
    Batch(usize),
}

fn validate_rows(rows: &[Row], existing: &[Organisation], issues: &mut Vec<Issue>) -> Vec<NewOrg> {
    let mut batch: Vec<NewOrg> = Vec::new();
    // Per row index: the validated draft, if the row was valid.
    let mut drafts: Vec<Option<OrgDraft>> = Vec::new();
    let mut code_lines: HashMap<String, u64> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let line = row.line;
        let parent = match resolve_parent(&row.get("parent"), index, rows, existing) {
            Ok(p) => p,
            Err(message) => {
                issues.push(Issue::new(line, Some("parent"), message));
                Parent::None
            }
        };
        let parent_level = match &parent {
            Parent::None => None,
            Parent::Existing(o) => Some(o.level),
            Parent::Batch(i) => drafts[*i].as_ref().map(|d| d.level),
        };
        let form = form_of(row);
        let draft = match form.validate(parent_level) {
            Ok(d) => Some(d),
            Err(errors) => {
                for e in errors.0 {
                    issues.push(Issue::new(line, Some(e.field), e.message));
                }
                None
            }
        };
        if let Some(code) = draft.as_ref().and_then(|d| d.code.as_ref()) {
            if let Some(first) = code_lines.get(code.as_str()) {
                issues.push(Issue::new(
                    line,
                    Some("code"),
                    format!("机构代码与本文件第{first}行重复"),
                ));
            } else if let Some(o) = existing.iter().find(|o| o.code.as_ref() == Some(code)) {
                issues.push(Issue::new(
                    line,
                    Some("code"),
                    format!("机构代码已被现有机构“{}”使用", o.name),
                ));
            }
            code_lines.entry(code.as_str().to_string()).or_insert(line);
        }
        if let Some(d) = &draft {
            batch.push(NewOrg {
                parent: match parent {
                    Parent::None => ParentRef::None,
                    Parent::Existing(o) => ParentRef::Existing(o.id),
                    Parent::Batch(i) => ParentRef::Batch(i),
                },
                draft: d.clone(),
            });
        }
        drafts.push(draft);
    }
    batch
}

/// Finds the parent named by `value` (a code or an exact full name) among the
/// rows before `index`, then among the stored organisations.
fn resolve_parent<'a>(
    value: &str,
    index: usize,
    rows: &[Row],
    existing: &'a [Organisation],
) -> Result<Parent<'a>, String> {
    let value = clean_line(value);
    if value.is_empty() {
        return Ok(Parent::None);
    }
    let code = OrgCode::parse(&value).ok();
    let row_matches = |r: &Row| match &code {
        Some(c) => OrgCode::parse(&r.get("code")).ok().as_ref() == Some(c),
        None => clean_line(&r.get("name")) == value,
    };
    let earlier: Vec<usize> = (0..index).filter(|&i| row_matches(&rows[i])).collect();
    match earlier.as_slice() {
        [i] => return Ok(Parent::Batch(*i)),
        [_, _, ..] => {
            let lines: Vec<String> = earlier.iter().map(|&i| rows[i].line.to_string()).collect();
            return Err(format!(
                "上级机构“{value}”不唯一（本文件第{}行），请改用机构代码",
                lines.join("、")
            ));
        }
        [] => {}
    }
    let stored: Vec<&Organisation> = existing
        .iter()
        .filter(|o| match &code {
            Some(c) => o.code.as_ref() == Some(c),
            None => o.name == value,
        })
        .collect();
    match stored.as_slice() {
        [o] => Ok(Parent::Existing(o)),
        [_, _, ..] => Err(format!("数据库中有多个名为“{value}”的机构，请改用机构代码")),
        [] => match rows[index + 1..].iter().find(|r| row_matches(r)) {
            Some(later) => Err(format!(
                "上级机构“{value}”在本文件第{}行，须排在下级机构之前",
                later.line
            )),
            None => Err(format!(
                "找不到上级机构“{value}”：应为本文件中前面的机构或数据库中已有机构的代码或全称"
            )),
        },
    }
}

fn form_of(row: &Row) -> OrgForm {
    OrgForm {
        name: row.get("name"),
        short_name: row.get("short_name"),
        code: row.get("code"),
        kind: row.get("kind"),
        level: row.get("level"),
        sort_order: row.get("sort_order"),
        active: true,
        office_name: row.get("office_name"),
        address: row.get("address"),
        office_hours: row.get("office_hours"),
        phone: row.get("phone"),
        fax: row.get("fax"),
        email: row.get("email"),
        website: row.get("website"),
        postcode: row.get("postcode"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::org::{OrgKind, OrgLevel};
    use gongkai_core::org_code::complete_credit_code;

    fn code(n: u32) -> String {
        complete_credit_code(&format!("119901009{n:08}"))
            .unwrap()
            .to_string()
    }

    fn stored(id: i64, name: &str, code: Option<String>, level: OrgLevel) -> Organisation {
        Organisation {
            id,
            parent_id: None,
            name: name.into(),
            short_name: None,
            code: code.map(|c| OrgCode::parse(&c).unwrap()),
            kind: OrgKind::Government,
            level,
            sort_order: 0,
            active: true,
            successor_id: None,
            contact: Default::default(),
            created_at: Default::default(),
            updated_at: Default::default(),
        }
    }

    fn messages(issues: &[Issue]) -> Vec<String> {
        issues.iter().map(|i| i.render("f.csv")).collect()
    }

    #[test]
    fn bom_quoted_commas_and_chinese_labels_are_understood() {
        let csv = format!(
            "\u{feff}name,code,kind,level,parent,address\n\
             青岚市人民政府,{},人民政府,市级,,\"青岚市望湖路1号，市政府大院\"\n\
             青岚市教育局,,工作部门,市级,青岚市人民政府,\n",
            code(1)
        );
        let batch = plan(csv.as_bytes(), &[]).unwrap();
        assert_eq!(batch.len(), 2);
        assert_eq!(batch[0].draft.kind, OrgKind::Government);
        assert_eq!(batch[0].draft.level, OrgLevel::City);
        assert_eq!(
            batch[0].draft.contact.address.as_deref(),
            Some("青岚市望湖路1号，市政府大院")
        );
        assert_eq!(batch[1].parent, ParentRef::Batch(0));
        assert_eq!(batch[1].draft.kind, OrgKind::Department);
    }

    #[test]
    fn a_parent_may_be_named_by_code_or_found_in_the_database() {
        let existing = [stored(7, "枫溪县人民政府", Some(code(2)), OrgLevel::County)];
        let csv = format!(
            "name,kind,level,parent\n枫溪镇人民政府,乡镇,乡级,{}\n白沙乡人民政府,乡镇,乡级,枫溪县人民政府\n",
            code(2)
        );
        let batch = plan(csv.as_bytes(), &existing).unwrap();
        assert_eq!(batch[0].parent, ParentRef::Existing(7));
        assert_eq!(batch[1].parent, ParentRef::Existing(7));
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let mut bad_code = code(3);
        bad_code.pop();
        bad_code.push('A');
        let csv = format!(
            "name,code,kind,level,parent\n\
             青岚市人民政府,,government,city,\n\
             青岚市教育局,,department\n\
             ,,department,city,青岚市人民政府\n\
             青岚市财政局,{bad_code},department,city,青岚市人民政府\n\
             青岚市民政局,,department,city,不存在的机构\n"
        );
        let issues = plan(csv.as_bytes(), &[]).unwrap_err();
        let m = messages(&issues);
        assert_eq!(m.len(), 4, "{m:#?}");
        assert!(m[0].starts_with("f.csv:3: level: 缺少此列"), "{}", m[0]);
        assert_eq!(m[1], "f.csv:4: name: 请填写机构名称");
        assert_eq!(m[2], "f.csv:5: code: 机构代码校验位不正确，请核对");
        assert!(m[3].starts_with("f.csv:6: parent: 找不到上级机构“不存在的机构”"));
    }

    #[test]
    fn multi_line_fields_keep_editor_line_numbers() {
        let csv = "name,kind,level,address\n\
                   青岚市人民政府,government,city,\"望湖路1号\n市政府大院\"\n\
                   ,department,city,\n";
        let issues = plan(csv.as_bytes(), &[]).unwrap_err();
        assert_eq!(messages(&issues), vec!["f.csv:4: name: 请填写机构名称"]);
    }

    #[test]
    fn a_parent_listed_later_and_a_higher_child_level_are_explained() {
        let csv = "name,kind,level,parent\n\
                   望湖区教育局,department,county,望湖区人民政府\n\
                   望湖区人民政府,government,county,\n\
                   青岚市教育局,department,city,望湖区人民政府\n";
        let m = messages(&plan(csv.as_bytes(), &[]).unwrap_err());
        assert_eq!(
            m,
            vec![
                "f.csv:2: parent: 上级机构“望湖区人民政府”在本文件第3行，须排在下级机构之前",
                "f.csv:4: level: 下级机构的层级不能高于上级机构（县级）",
            ]
        );
    }

    #[test]
    fn header_problems_and_duplicate_codes_are_found() {
        let m = messages(&plan("名称,kind\n".as_bytes(), &[]).unwrap_err());
        assert!(m[0].starts_with("f.csv:1: 名称: 未知的列名"), "{m:?}");
        assert!(m.contains(&"f.csv:1: name: 表头缺少必需的列".to_string()));
        assert!(m.contains(&"f.csv:1: level: 表头缺少必需的列".to_string()));

        let existing = [stored(1, "青岚市人民政府", Some(code(4)), OrgLevel::City)];
        let csv = format!(
            "name,code,kind,level\nA局,{c5},department,city\nB局,{c5},department,city\nC局,{c4},department,city\n",
            c5 = code(5),
            c4 = code(4)
        );
        let m = messages(&plan(csv.as_bytes(), &existing).unwrap_err());
        assert_eq!(
            m,
            vec![
                "f.csv:3: code: 机构代码与本文件第2行重复",
                "f.csv:4: code: 机构代码已被现有机构“青岚市人民政府”使用",
            ]
        );
    }

    #[test]
    fn gbk_and_empty_files_are_refused_clearly() {
        let gbk = b"name,kind,level\n\xC7\xE0\xE1\xB0,government,city\n";
        let m = messages(&plan(gbk, &[]).unwrap_err());
        assert_eq!(m.len(), 1);
        assert!(m[0].starts_with("f.csv:2: 文件不是 UTF-8 编码"), "{m:?}");
        let m = messages(&plan(b"", &[]).unwrap_err());
        assert!(m[0].starts_with("f.csv:1: 文件为空"));
    }
}
