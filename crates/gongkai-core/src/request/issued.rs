//! Issued notices: what an agency sets for its notices (文号 prefix, remedy
//! bodies, fee payment details, contact line), how the store numbers a
//! notice when it issues it, and the e-mails that tell the applicant.
//!
//! A notice is built and linted by the web layer with the builders of
//! [`super::notice`], then handed to the store on the entry it belongs to
//! ([`super::case::NewCaseEntry::notice`]). The store allocates the 文号
//! from a per-agency, per-year counter inside the transaction that writes
//! the entry ([`doc_number`]), stores the notice as issued and queues the
//! e-mail ([`notice_mail`]) in the same transaction: a refused entry
//! stores no notice, sends nothing and consumes no number.

use super::case::{QueryCode, RequestCase};
use super::notice::{Notice, NoticeKind};
use crate::notify::{MailKind, OutboundMail};
use crate::org::{OrgKind, Organisation};
use crate::text::{self, FieldErrors};
use crate::{OrgId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub type NoticeId = i64;

/// Longest 文号 prefix (e.g. 青岚市教育局依申请).
pub const PREFIX_MAX: usize = 40;
const FIELD_MAX: usize = 200;

/// An agency's settings for the notices of its requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeSettings {
    pub org_id: OrgId,
    /// 文号 prefix: `{prefix}〔{year}〕第{n}号`.
    pub doc_prefix: String,
    /// 行政复议机关 named in every reply's remedy notice.
    pub review_organ: String,
    /// 人民法院 for 行政诉讼.
    pub court: String,
    /// Fee payment: payee (收款单位), account (账号或缴款码) and bank.
    pub payee: String,
    pub account: String,
    pub bank: String,
    /// Contact line printed on the 受理回执 (e.g. 联系电话：0731-…).
    pub contact: String,
}

impl NoticeSettings {
    /// What an agency that never saved its settings gets. The 复议机关 is
    /// only filled where it can be derived without guessing: the parent
    /// organisation when it is a 人民政府 (本级人民政府 of a department).
    /// The court is never guessed; the reply lint names it as missing.
    pub fn defaults(org: &Organisation, parent: Option<&Organisation>) -> Self {
        Self {
            org_id: org.id,
            doc_prefix: default_prefix(org.display_short()),
            review_organ: parent
                .filter(|p| p.kind == OrgKind::Government)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            court: String::new(),
            payee: String::new(),
            account: String::new(),
            bank: String::new(),
            contact: String::new(),
        }
    }

    /// The account line of a 收费通知: account, and the bank when given.
    pub fn account_line(&self) -> String {
        if self.bank.trim().is_empty() {
            self.account.trim().to_string()
        } else {
            format!("{}（开户银行：{}）", self.account.trim(), self.bank.trim())
        }
    }
}

/// The default prefix: the agency's short name + 依申请.
pub fn default_prefix(short_name: &str) -> String {
    format!("{}依申请", short_name.trim())
}

/// `{prefix}〔{year}〕第{n}号`, e.g. 青岚教育依申请〔2026〕第17号.
pub fn doc_number(prefix: &str, year: i32, n: i64) -> String {
    format!("{}〔{year}〕第{n}号", prefix.trim())
}

/// Whether a notice of `kind` gets a 文号 from the counter. The 受理回执
/// is referenced by the application number instead.
pub fn numbered(kind: NoticeKind) -> bool {
    kind != NoticeKind::Receipt
}

/// The settings form, as posted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NoticeSettingsForm {
    #[serde(default)]
    pub doc_prefix: String,
    #[serde(default)]
    pub review_organ: String,
    #[serde(default)]
    pub court: String,
    #[serde(default)]
    pub payee: String,
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub bank: String,
    #[serde(default)]
    pub contact: String,
}

impl NoticeSettingsForm {
    pub fn from_settings(s: &NoticeSettings) -> Self {
        Self {
            doc_prefix: s.doc_prefix.clone(),
            review_organ: s.review_organ.clone(),
            court: s.court.clone(),
            payee: s.payee.clone(),
            account: s.account.clone(),
            bank: s.bank.clone(),
            contact: s.contact.clone(),
        }
    }

    /// Only the prefix is required: the other elements may be filled
    /// later, and the notice that needs one refuses to issue without it.
    pub fn validate(&self, org_id: OrgId) -> Result<NoticeSettings, FieldErrors> {
        let mut e = FieldErrors::new();
        let doc_prefix = text::required(
            &mut e,
            "doc_prefix",
            "文号前缀",
            &self.doc_prefix,
            PREFIX_MAX,
        );
        if doc_prefix.contains(['〔', '〕']) {
            e.add(
                "doc_prefix",
                "文号前缀不含年份和六角括号，如“青岚教育依申请”",
            );
        }
        let mut opt = |field: &'static str, label: &str, v: &str| {
            text::optional(&mut e, field, label, v, FIELD_MAX).unwrap_or_default()
        };
        let s = NoticeSettings {
            org_id,
            review_organ: opt("review_organ", "行政复议机关", &self.review_organ),
            court: opt("court", "人民法院", &self.court),
            payee: opt("payee", "收款单位", &self.payee),
            account: opt("account", "收款账号或缴款码", &self.account),
            bank: opt("bank", "开户银行", &self.bank),
            contact: opt("contact", "联系方式", &self.contact),
            doc_prefix,
        };
        if e.is_empty() { Ok(s) } else { Err(e) }
    }
}

/// A notice as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedNotice {
    pub id: NoticeId,
    pub case_id: i64,
    /// The entry that issued it.
    pub entry_seq: i32,
    /// As issued, with its 文号.
    pub notice: Notice,
    pub created_at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
}

impl IssuedNotice {
    /// A file name without personal data: kind and 文号 or date, ASCII
    /// only, so that it is safe in a `Content-Disposition` header.
    pub fn file_stem(&self) -> String {
        format!(
            "notice-{}-{}-{}",
            self.case_id,
            self.notice.kind.as_str(),
            self.id
        )
    }
}

/// What the e-mails about a case need besides the case: where the
/// applicant checks the status (`{public_url}/status`), when configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailContext {
    pub status_url: Option<String>,
}

impl MailContext {
    fn status_lines(&self, number: &str) -> String {
        let place = match &self.status_url {
            Some(url) => format!("办理进度查询页面（{url}）"),
            None => "政府信息公开平台的“办理进度查询”页面".to_string(),
        };
        format!(
            "您可以在{place}输入申请编号 {number} 和查询码，查看办理进度和已出具的告知书。\n\
             本邮件由系统自动发送，请勿直接回复。"
        )
    }
}

fn mail_kind(kind: NoticeKind) -> MailKind {
    match kind {
        NoticeKind::Receipt => MailKind::Receipt,
        NoticeKind::Correction => MailKind::Correction,
        NoticeKind::Extension => MailKind::Extension,
        NoticeKind::Fee => MailKind::Fee,
        NoticeKind::Reply => MailKind::Reply,
    }
}

fn recipient(case: &RequestCase) -> Option<String> {
    case.application
        .applicant
        .contact
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
}

/// The e-mail for an issued notice, when the applicant gave an address.
/// The body is the notice's text and how to check the status.
pub fn notice_mail(case: &RequestCase, notice: &Notice, ctx: &MailContext) -> Option<OutboundMail> {
    let to = recipient(case)?;
    let body = format!(
        "{}\n——————\n{}\n",
        notice.plain_text().trim_end(),
        ctx.status_lines(&case.number)
    );
    Some(OutboundMail {
        kind: mail_kind(notice.kind),
        org_id: Some(case.org_id),
        case_id: Some(case.id),
        to,
        subject: format!("{}（申请编号 {}）", notice.title(), case.number),
        body,
    })
}

/// The e-mail sent when an online application is stored: the number and
/// the query code (the only time the code leaves the server besides the
/// page that showed it).
pub fn submitted_mail(
    case: &RequestCase,
    code: &QueryCode,
    agency: &str,
    ctx: &MailContext,
) -> Option<OutboundMail> {
    let to = recipient(case)?;
    let body = format!(
        "您向{agency}提交的政府信息公开申请已收到。\n\
         申请编号：{}\n查询码：{}\n\
         请妥善保管查询码，它不会再次显示。{}确认收到申请后，将另行发送受理回执。\n\
         ——————\n{}\n",
        case.number,
        code.grouped(),
        agency,
        ctx.status_lines(&case.number)
    );
    Some(OutboundMail {
        kind: MailKind::Submitted,
        org_id: Some(case.org_id),
        case_id: Some(case.id),
        to,
        subject: format!("政府信息公开申请已提交（申请编号 {}）", case.number),
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers_follow_the_template() {
        assert_eq!(
            doc_number(" 青岚教育依申请 ", 2026, 17),
            "青岚教育依申请〔2026〕第17号"
        );
        assert_eq!(default_prefix("青岚教育"), "青岚教育依申请");
        assert!(!numbered(NoticeKind::Receipt));
        assert!(numbered(NoticeKind::Reply));
    }

    #[test]
    fn the_settings_form_needs_a_prefix_without_brackets() {
        let e = NoticeSettingsForm::default().validate(3).unwrap_err();
        assert!(e.get("doc_prefix").is_some());
        let e = NoticeSettingsForm {
            doc_prefix: "青教〔2026〕".into(),
            ..Default::default()
        }
        .validate(3)
        .unwrap_err();
        assert!(e.get("doc_prefix").unwrap().contains("六角括号"));
        let s = NoticeSettingsForm {
            doc_prefix: "青教依申请".into(),
            account: "6222 0000".into(),
            bank: "青岚银行".into(),
            ..Default::default()
        }
        .validate(3)
        .unwrap();
        assert_eq!(s.account_line(), "6222 0000（开户银行：青岚银行）");
        assert_eq!(s.court, "");
    }
}
