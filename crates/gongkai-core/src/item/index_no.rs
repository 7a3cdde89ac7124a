//! 索引号: the catalog number of an item. No national standard fixes its
//! format (ogi-domain.md §8.3); the de-facto pattern is
//! `机构代码/年份-流水号`, e.g. `11341702486344515H/2021-00013`. Each agency
//! has a template; the number is generated when the item is first
//! published (a draft that is never published uses no number), and never
//! changes afterwards. Numbers taken over from an old site are kept
//! verbatim ([`IndexNo::legacy`]).
//!
//! Template syntax — literal text plus placeholders:
//!
//! | placeholder | value |
//! |---|---|
//! | `{org_code}` | the agency's 统一社会信用代码 or 组织机构代码 as registered |
//! | `{year}` | year of publication (Beijing time), 4 digits |
//! | `{month}` | month of publication, 2 digits |
//! | `{seq}` | the agency's running number in that year, 1, 2, 3 … |
//! | `{seq:0N}` | the same, zero-padded to N digits (N = 1…9) |
//!
//! `{seq}` must appear exactly once and `{year}` at least once, because
//! the running number restarts every year; literal text is limited to
//! ASCII letters, digits and `- / _ .`.

use crate::org_code::OrgCode;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const DEFAULT_TEMPLATE: &str = "{org_code}/{year}-{seq:05}";
pub const INDEX_NO_MAX: usize = 100;
pub const TEMPLATE_MAX: usize = 80;

/// A stored 索引号.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IndexNo(String);

impl IndexNo {
    /// A number from an earlier system, accepted as it is: only surrounding
    /// white space is removed; empty, over-long or control characters are refused.
    pub fn legacy(s: &str) -> Result<Self, IndexNoError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IndexNoError::Empty);
        }
        if s.chars().count() > INDEX_NO_MAX {
            return Err(IndexNoError::TooLong);
        }
        if s.chars().any(char::is_control) {
            return Err(IndexNoError::BadChar);
        }
        Ok(Self(s.to_string()))
    }

    /// Wraps a number read back from the database.
    pub fn from_storage(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IndexNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexNoError {
    #[error("请填写索引号")]
    Empty,
    #[error("索引号不能超过100个字符")]
    TooLong,
    #[error("索引号含有控制字符")]
    BadChar,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("请填写索引号模板")]
    Empty,
    #[error("索引号模板不能超过80个字符")]
    TooLong,
    #[error(
        "索引号模板中的“{0}”不是可用的占位符（可用：{{org_code}} {{year}} {{month}} {{seq}} {{seq:05}}）"
    )]
    UnknownPlaceholder(String),
    #[error("索引号模板中有未闭合的花括号")]
    Unclosed,
    #[error("索引号模板只能包含字母、数字和 - / _ . 以及占位符，不能包含“{0}”")]
    BadLiteral(char),
    #[error("索引号模板必须包含一个流水号占位符 {{seq}}（或 {{seq:05}} 等）")]
    NoSeq,
    #[error("索引号模板只能包含一个流水号占位符")]
    SeveralSeq,
    #[error("索引号模板必须包含 {{year}}：流水号每年重新起算，缺少年份会产生重复的索引号")]
    NoYear,
    #[error(
        "本机关尚未登记统一社会信用代码或组织机构代码，无法按模板生成索引号，请先在机构信息中填写"
    )]
    NoOrgCode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    OrgCode,
    Year,
    Month,
    Seq { width: usize },
}

/// A validated per-agency template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexTemplate {
    text: String,
    parts: Vec<Part>,
}

impl Default for IndexTemplate {
    fn default() -> Self {
        Self::parse(DEFAULT_TEMPLATE).expect("the default template is valid")
    }
}

impl Serialize for IndexTemplate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

fn literal_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_' | '.')
}

impl IndexTemplate {
    pub fn parse(input: &str) -> Result<Self, TemplateError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(TemplateError::Empty);
        }
        if text.chars().count() > TEMPLATE_MAX {
            return Err(TemplateError::TooLong);
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if c == '{' {
                let end = rest.find('}').ok_or(TemplateError::Unclosed)?;
                let name = &rest[1..end];
                let part = match name {
                    "org_code" => Part::OrgCode,
                    "year" => Part::Year,
                    "month" => Part::Month,
                    "seq" => Part::Seq { width: 0 },
                    _ => match name.strip_prefix("seq:0").map(str::parse::<usize>) {
                        Some(Ok(w)) if (1..=9).contains(&w) => Part::Seq { width: w },
                        _ => return Err(TemplateError::UnknownPlaceholder(format!("{{{name}}}"))),
                    },
                };
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(part);
                rest = &rest[end + 1..];
            } else if literal_ok(c) {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
            } else {
                return Err(TemplateError::BadLiteral(c));
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        match parts
            .iter()
            .filter(|p| matches!(p, Part::Seq { .. }))
            .count()
        {
            0 => return Err(TemplateError::NoSeq),
            1 => {}
            _ => return Err(TemplateError::SeveralSeq),
        }
        if !parts.contains(&Part::Year) {
            return Err(TemplateError::NoYear);
        }
        Ok(Self {
            text: text.to_string(),
            parts,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn needs_org_code(&self) -> bool {
        self.parts.contains(&Part::OrgCode)
    }

    /// The number for running number `seq` of `year`/`month`.
    pub fn render(
        &self,
        org_code: Option<&OrgCode>,
        year: i32,
        month: u32,
        seq: i64,
    ) -> Result<IndexNo, TemplateError> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Literal(s) => out.push_str(s),
                Part::OrgCode => out.push_str(org_code.ok_or(TemplateError::NoOrgCode)?.as_str()),
                Part::Year => out.push_str(&format!("{year:04}")),
                Part::Month => out.push_str(&format!("{month:02}")),
                Part::Seq { width } => out.push_str(&format!("{seq:0width$}")),
            }
        }
        Ok(IndexNo(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> OrgCode {
        OrgCode::parse("11341702486344515H").unwrap()
    }

    #[test]
    fn the_default_template_gives_the_de_facto_national_pattern() {
        let t = IndexTemplate::default();
        assert_eq!(t.as_str(), "{org_code}/{year}-{seq:05}");
        assert_eq!(
            t.render(Some(&code()), 2021, 10, 13).unwrap().as_str(),
            "11341702486344515H/2021-00013"
        );
        assert_eq!(
            t.render(Some(&code()), 2021, 10, 123_456).unwrap().as_str(),
            "11341702486344515H/2021-123456"
        );
    }

    #[test]
    fn observed_variants_can_be_expressed() {
        let ningguo = IndexTemplate::parse("{org_code}/{year}{month}-{seq:05}").unwrap();
        assert_eq!(
            ningguo
                .render(Some(&code()), 2021, 10, 13)
                .unwrap()
                .as_str(),
            "11341702486344515H/202110-00013"
        );
        let nujiang = IndexTemplate::parse("01527918X-{year}-{seq:06}").unwrap();
        assert!(!nujiang.needs_org_code());
        assert_eq!(
            nujiang.render(None, 2020, 3, 153_077).unwrap().as_str(),
            "01527918X-2020-153077"
        );
        let plain = IndexTemplate::parse("QL-{year}-{seq}").unwrap();
        assert_eq!(
            plain.render(None, 2024, 1, 7).unwrap().as_str(),
            "QL-2024-7"
        );
    }

    #[test]
    fn bad_templates_are_explained() {
        use TemplateError::*;
        let cases: &[(&str, TemplateError)] = &[
            ("", Empty),
            ("{org_code}/{year}", NoSeq),
            ("{org_code}-{seq:05}", NoYear),
            ("{year}-{seq}-{seq:03}", SeveralSeq),
            ("{year}-{serial}", UnknownPlaceholder("{serial}".into())),
            ("{year}-{seq:010}", UnknownPlaceholder("{seq:010}".into())),
            ("{year}-{seq", Unclosed),
            ("{year} {seq}", BadLiteral(' ')),
            ("青岚{year}-{seq}", BadLiteral('青')),
        ];
        for (t, err) in cases {
            assert_eq!(IndexTemplate::parse(t).unwrap_err(), *err, "{t}");
        }
        assert_eq!(
            NoYear.to_string(),
            "索引号模板必须包含 {year}：流水号每年重新起算，缺少年份会产生重复的索引号"
        );
    }

    #[test]
    fn a_template_with_org_code_needs_a_registered_code() {
        assert_eq!(
            IndexTemplate::default()
                .render(None, 2024, 1, 1)
                .unwrap_err(),
            TemplateError::NoOrgCode
        );
    }

    #[test]
    fn legacy_numbers_are_kept_verbatim() {
        for s in [
            "0142768-8/2022-00185",
            "330201-001-03-01-20071019-0001",
            "青岚政办〔2015〕0003",
        ] {
            assert_eq!(IndexNo::legacy(&format!("  {s} ")).unwrap().as_str(), s);
        }
        assert_eq!(IndexNo::legacy("  ").unwrap_err(), IndexNoError::Empty);
        assert_eq!(
            IndexNo::legacy("a\u{7}b").unwrap_err(),
            IndexNoError::BadChar
        );
        assert_eq!(
            IndexNo::legacy(&"9".repeat(101)).unwrap_err(),
            IndexNoError::TooLong
        );
    }
}
