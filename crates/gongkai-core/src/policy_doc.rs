//! 政府信息公开制度: the rules an agency publishes about how it handles
//! disclosure (保密审查制度, 依申请公开办理制度 …). Rich text, sanitised.

use crate::OrgId;
use crate::html::SafeHtml;
use crate::text::{self, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDoc {
    pub id: i64,
    pub org_id: OrgId,
    pub title: String,
    pub body: SafeHtml,
    /// 印发日期 as printed on the document, if known.
    pub issued_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PolicyDocForm {
    pub title: String,
    pub body: String,
    pub issued_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyDocDraft {
    pub title: String,
    pub body: SafeHtml,
    pub issued_on: Option<NaiveDate>,
}

pub const TITLE_MAX: usize = 200;
pub const BODY_MAX_BYTES: usize = 1_000_000;

impl PolicyDocForm {
    pub fn validate(&self) -> Result<PolicyDocDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required(&mut e, "title", "标题", &self.title, TITLE_MAX);
        if self.body.trim().is_empty() {
            e.add("body", "请填写正文");
        } else if self.body.len() > BODY_MAX_BYTES {
            e.add("body", "正文过长（不超过1MB）");
        }
        let issued_on = match self.issued_on.trim() {
            "" => None,
            s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    e.add("issued_on", "日期格式应为 YYYY-MM-DD，例如 2024-03-01");
                    None
                }
            },
        };
        let body = SafeHtml::sanitize(&self.body);
        if e.is_empty() && body.is_blank() {
            e.add("body", "正文清理不安全内容后为空，请检查");
        }
        e.into_result(PolicyDocDraft {
            title,
            body,
            issued_on,
        })
    }
}
