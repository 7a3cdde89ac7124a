//! Validation of user-entered text, with Chinese messages bound to form fields.
//!
//! Lengths are counted in graphemes, not bytes: a Chinese name of 50
//! characters is 150 bytes of UTF-8 and must still fit a 50-character limit.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

/// One problem with one form field. `field` is the form field's `name`;
/// `message` is shown next to it in the UI (and in CLI/API errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// All problems found in one submitted form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first message for `field`, for rendering next to the input.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Whether any of `fields` (names separated by spaces) has an error:
    /// templates keep a collapsed form section open when it holds one.
    pub fn any_of(&self, fields: &str) -> bool {
        fields
            .split_whitespace()
            .any(|name| self.0.iter().any(|e| e.field == name))
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}：{}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("；"))
    }
}

impl std::error::Error for FieldErrors {}

/// Number of user-perceived characters.
pub fn char_len(s: &str) -> usize {
    s.graphemes(true).count()
}

/// Trims and checks a required single-line field.
pub fn required(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = clean_line(value);
    if v.is_empty() {
        errors.add(field, format!("请填写{label}"));
    } else if char_len(&v) > max {
        errors.add(field, format!("{label}不能超过{max}个字符"));
    }
    v
}

/// Trims and checks an optional single-line field; empty becomes `None`.
pub fn optional(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    let v = clean_line(value);
    if v.is_empty() {
        return None;
    }
    if char_len(&v) > max {
        errors.add(field, format!("{label}不能超过{max}个字符"));
    }
    Some(v)
}

/// Checks an optional multi-line text; keeps inner line breaks.
pub fn optional_text(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = value.replace("\r\n", "\n").trim().to_string();
    if char_len(&v) > max {
        errors.add(field, format!("{label}不能超过{max}个字符"));
    }
    v
}

/// Trims, folds runs of white space (including U+3000) into one space and
/// drops control characters, so that pasted text from Word or a web page
/// does not carry invisible differences into names and codes.
pub fn clean_line(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut pending_space = false;
    for c in value.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if !c.is_control() {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// A pragmatic e-mail check: one `@`, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// An optional e-mail field (`field` = `email` in every form).
pub fn optional_email(errors: &mut FieldErrors, value: &str, max: usize) -> Option<String> {
    let v = optional(errors, "email", "电子邮箱", value, max)?;
    if !is_email(&v) {
        errors.add("email", "电子邮箱格式不正确，例如 gkb@example.gov.cn");
    }
    Some(v)
}

/// An optional 6-digit 邮政编码 field (`field` = `postcode`).
pub fn optional_postcode(errors: &mut FieldErrors, value: &str) -> Option<String> {
    let v = optional(errors, "postcode", "邮政编码", value, 6)?;
    if !(v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit())) {
        errors.add("postcode", "邮政编码应为6位数字");
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_count_as_one_each() {
        assert_eq!(char_len("政府信息公开"), 6);
    }

    #[test]
    fn clean_line_folds_ideographic_space_and_controls() {
        assert_eq!(
            clean_line("  青岚市\u{3000}\u{3000}人民政府\u{0007} "),
            "青岚市 人民政府"
        );
    }

    #[test]
    fn required_reports_empty_and_too_long() {
        let mut e = FieldErrors::new();
        required(&mut e, "name", "名称", "   ", 5);
        required(&mut e, "short", "简称", "一二三四五六", 5);
        assert_eq!(e.get("name"), Some("请填写名称"));
        assert_eq!(e.get("short"), Some("简称不能超过5个字符"));
    }
}
