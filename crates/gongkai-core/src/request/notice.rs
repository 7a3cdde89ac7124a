//! The written notices of a disclosure request, as structured documents:
//! the reply (答复告知书, 条例第三十六–三十九条) for every outcome, and the
//! procedural notices — 受理回执 (第三十一/三十三条), 补正告知书 (第三十条),
//! 延期告知书 (第三十三条第二款) and 收费通知 (第四十二条,
//! 国办函〔2020〕109号).
//!
//! Every notice is built from plain inputs (no store, no HTTP) into one
//! type, [`Notice`]: title, 文号, addressee, paragraphs tagged with their
//! [`Role`], attachments and the signature block. Renderers (HTML, DOCX in
//! `gongkai-report`) only lay it out; all wording lives here. An issued
//! notice is meant to be stored as it was built (it is serialisable), so
//! later changes to the wording never alter what an applicant received.
//!
//! Before a notice is built its input is checked: every missing element
//! is a [`LintError`] naming the element in Chinese. For the reply,
//! [`lint`] also checks the case clock (overdue without an extension on
//! record, a lapse outcome whose deadline has not passed).
//!
//! The per-outcome legal table (which provisions are cited, which remedy
//! applies, where the handler must name the law) is `notice_reply.rs`'s
//! `rule`; the ground article itself comes from
//! [`super::Closing::legal_basis`]. Entries not verified against a source
//! are marked \[R\] there and in `docs/notices.md`.

use super::applicant::ApplicantKind;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[path = "notice_reply.rs"]
mod reply;
#[path = "notice_steps.rs"]
mod steps;

pub use reply::{
    CorrectionFacts, Delivery, FeeFacts, NoticeRule, RemedyPath, ReplyInput, SpecificBasis, issue,
    lint, rule,
};
pub use steps::{CorrectionInput, ExtensionInput, FeeNoticeInput, ReceiptInput, yuan_in_capitals};

/// The full name of the 条例 as cited in notices.
pub const REGULATION: &str = "《中华人民共和国政府信息公开条例》";
/// The fee rules as cited in notices.
pub const FEE_MEASURES: &str = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）";

/// Which notice a [`Notice`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 政府信息公开申请受理回执
    Receipt,
    /// 政府信息公开申请补正告知书
    Correction,
    /// 政府信息公开申请延期答复告知书
    Extension,
    /// 政府信息公开信息处理费收费通知
    Fee,
    /// 政府信息公开申请答复告知书
    Reply,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 5] = [
        Self::Receipt,
        Self::Correction,
        Self::Extension,
        Self::Fee,
        Self::Reply,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Correction => "correction",
            Self::Extension => "extension",
            Self::Fee => "fee",
            Self::Reply => "reply",
        }
    }

    /// The document title (second title line, under the agency name).
    pub fn title(self) -> &'static str {
        match self {
            Self::Receipt => "政府信息公开申请受理回执",
            Self::Correction => "政府信息公开申请补正告知书",
            Self::Extension => "政府信息公开申请延期答复告知书",
            Self::Fee => "政府信息公开信息处理费收费通知",
            Self::Reply => "政府信息公开申请答复告知书",
        }
    }
}

/// What a paragraph is, so that renderers and checks can tell the parts
/// of a notice apart without parsing its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The application: when received, its number, what was asked.
    Facts,
    /// The agency's finding and what it does about it.
    Decision,
    /// Why (理由), as written by the handler.
    Reasons,
    /// The provisions the decision rests on, with the decision itself.
    LegalBasis,
    /// One entry of a list (补正事项, 计费明细), already numbered.
    Item,
    /// A deadline the applicant or the agency must keep.
    Deadline,
    /// The amount of a fee.
    Fee,
    /// How to pay.
    Payment,
    /// 行政复议 / 行政诉讼.
    Remedy,
    /// Anything else (contact, closing formula).
    Note,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Facts => "facts",
            Self::Decision => "decision",
            Self::Reasons => "reasons",
            Self::LegalBasis => "legal_basis",
            Self::Item => "item",
            Self::Deadline => "deadline",
            Self::Fee => "fee",
            Self::Payment => "payment",
            Self::Remedy => "remedy",
            Self::Note => "note",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub role: Role,
    pub text: String,
}

/// One notice, ready to be rendered. Text is plain (renderers escape it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    /// The issuing agency (first title line and signature).
    pub agency: String,
    /// 文号, e.g. 青教依申请〔2026〕第17号. Only the 受理回执 may lack one:
    /// its reference is the application number.
    pub doc_number: Option<String>,
    /// 主送: the applicant's name (never an identity document number).
    pub addressee: String,
    pub paragraphs: Vec<Paragraph>,
    /// 附件 titles, in order.
    pub attachments: Vec<String>,
    /// 成文日期.
    pub issued_on: NaiveDate,
}

impl Notice {
    pub fn title(&self) -> &'static str {
        self.kind.title()
    }

    /// The 成文日期 as printed: 2026年3月20日.
    pub fn date_text(&self) -> String {
        cn_date(self.issued_on)
    }

    /// The whole notice as plain text, one paragraph a line (for e-mail
    /// bodies and for tests).
    pub fn plain_text(&self) -> String {
        let mut out = format!("{}\n{}\n", self.agency, self.title());
        if let Some(n) = &self.doc_number {
            out.push_str(n);
            out.push('\n');
        }
        out.push_str(&self.addressee);
        out.push_str("：\n");
        for p in &self.paragraphs {
            out.push_str(&p.text);
            out.push('\n');
        }
        if !self.attachments.is_empty() {
            out.push_str("附件：");
            out.push_str(&self.numbered_attachments().join("；"));
            out.push('\n');
        }
        out.push_str(&self.agency);
        out.push('\n');
        out.push_str(&self.date_text());
        out.push('\n');
        out
    }

    /// The 附件 titles numbered "1. …" (GB/T 9704 lists them so).
    pub fn numbered_attachments(&self) -> Vec<String> {
        numbered(&self.attachments)
    }

    /// The paragraphs with `role`.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &Paragraph> {
        self.paragraphs.iter().filter(move |p| p.role == role)
    }
}

/// The element of a notice a [`LintError`] is about. [`Element::as_str`]
/// is stable (API problem details, form field mapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    Agency,
    DocNumber,
    Addressee,
    ApplicationNo,
    Request,
    IssueDate,
    LegalBasis,
    Reasons,
    WhereToFind,
    CompetentAgency,
    PreviousReply,
    Delivery,
    ReviewOrgan,
    Court,
    CorrectionFacts,
    FeeFacts,
    Timeliness,
    Items,
    Deadline,
    Extension,
    Fee,
    Payment,
}

impl Element {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agency => "agency",
            Self::DocNumber => "doc_number",
            Self::Addressee => "addressee",
            Self::ApplicationNo => "application_no",
            Self::Request => "request",
            Self::IssueDate => "issue_date",
            Self::LegalBasis => "legal_basis",
            Self::Reasons => "reasons",
            Self::WhereToFind => "where_to_find",
            Self::CompetentAgency => "competent_agency",
            Self::PreviousReply => "previous_reply",
            Self::Delivery => "delivery",
            Self::ReviewOrgan => "review_organ",
            Self::Court => "court",
            Self::CorrectionFacts => "correction_facts",
            Self::FeeFacts => "fee_facts",
            Self::Timeliness => "timeliness",
            Self::Items => "items",
            Self::Deadline => "deadline",
            Self::Extension => "extension",
            Self::Fee => "fee",
            Self::Payment => "payment",
        }
    }

    /// The element's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Agency => "行政机关名称",
            Self::DocNumber => "文号",
            Self::Addressee => "申请人姓名或名称",
            Self::ApplicationNo => "申请编号",
            Self::Request => "申请内容",
            Self::IssueDate => "成文日期",
            Self::LegalBasis => "法律依据",
            Self::Reasons => "理由",
            Self::WhereToFind => "获取途径",
            Self::CompetentAgency => "负责公开的行政机关",
            Self::PreviousReply => "此前答复",
            Self::Delivery => "提供方式",
            Self::ReviewOrgan => "行政复议机关",
            Self::Court => "行政诉讼的人民法院",
            Self::CorrectionFacts => "补正告知情况",
            Self::FeeFacts => "收费通知情况",
            Self::Timeliness => "答复期限",
            Self::Items => "需要补正的事项",
            Self::Deadline => "期限",
            Self::Extension => "延长期限",
            Self::Fee => "收费金额",
            Self::Payment => "缴费方式",
        }
    }
}

/// A missing or wrong element; the notice is not issued while any exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintError {
    pub element: Element,
    /// Chinese, names the element and what to do.
    pub message: String,
}

impl std::fmt::Display for LintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Collects [`LintError`]s.
#[derive(Debug, Default)]
pub(crate) struct Lints(pub(crate) Vec<LintError>);

impl Lints {
    pub(crate) fn add(&mut self, element: Element, message: impl Into<String>) {
        self.0.push(LintError {
            element,
            message: message.into(),
        });
    }

    /// Adds "缺少…" when `value` is blank.
    pub(crate) fn require(&mut self, element: Element, value: &str) {
        if value.trim().is_empty() {
            self.add(element, format!("缺少{}", element.label()));
        }
    }

    pub(crate) fn into_result<T>(self, build: impl FnOnce() -> T) -> Result<T, Vec<LintError>> {
        if self.0.is_empty() {
            Ok(build())
        } else {
            Err(self.0)
        }
    }
}

/// What every notice of one application states about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    /// The agency that received the application and issues the notice.
    pub agency: String,
    /// Name only: the identity document never appears in a notice.
    pub applicant_name: String,
    /// Decides the form of address (您 / 贵单位).
    pub applicant_kind: ApplicantKind,
    pub application_no: String,
    /// 收到申请之日 (第三十一条).
    pub received_on: NaiveDate,
    /// The information sought, restated (名称、文号或特征性描述).
    pub request: String,
}

impl CaseFacts {
    pub(crate) fn check(&self, l: &mut Lints) {
        l.require(Element::Agency, &self.agency);
        l.require(Element::Addressee, &self.applicant_name);
        if has_id_number(&self.applicant_name) {
            l.add(
                Element::Addressee,
                "申请人姓名或名称中不得含有证件号码，告知书只写姓名或名称",
            );
        }
        l.require(Element::ApplicationNo, &self.application_no);
        if self.request.trim().is_empty() {
            l.add(
                Element::Request,
                "缺少申请内容：请复述申请人所申请公开的政府信息",
            );
        }
    }

    /// 您 or 贵单位.
    pub(crate) fn you(&self) -> &'static str {
        if self.applicant_kind.is_natural() {
            "您"
        } else {
            "贵单位"
        }
    }

    /// "本机关于2026年3月2日收到您提交的政府信息公开申请（申请编号：…），申请获取：“…”。"
    pub(crate) fn facts_sentence(&self) -> String {
        format!(
            "本机关于{}收到{}提交的政府信息公开申请（申请编号：{}），申请获取：“{}”。",
            cn_date(self.received_on),
            self.you(),
            self.application_no.trim(),
            self.request.trim()
        )
    }

    pub(crate) fn notice(
        &self,
        kind: NoticeKind,
        doc_number: Option<&str>,
        issued_on: NaiveDate,
        paragraphs: Vec<Paragraph>,
        attachments: Vec<String>,
    ) -> Notice {
        Notice {
            kind,
            agency: self.agency.trim().to_string(),
            doc_number: doc_number
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            addressee: self.applicant_name.trim().to_string(),
            paragraphs,
            attachments: attachments
                .iter()
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
            issued_on,
        }
    }
}

/// A 文号 is required on every formal notice.
pub(crate) fn check_doc_number(l: &mut Lints, doc_number: &str) {
    if doc_number.trim().is_empty() {
        l.add(
            Element::DocNumber,
            "缺少文号：请先取号（如 青教依申请〔2026〕第17号）",
        );
    }
}

pub(crate) fn check_issued_on(l: &mut Lints, facts: &CaseFacts, issued_on: NaiveDate) {
    if issued_on < facts.received_on {
        l.add(
            Element::IssueDate,
            format!(
                "成文日期 {} 早于收到申请之日 {}",
                cn_date(issued_on),
                cn_date(facts.received_on)
            ),
        );
    }
}

pub(crate) fn para(role: Role, text: impl Into<String>) -> Paragraph {
    Paragraph {
        role,
        text: text.into(),
    }
}

/// 2026年3月2日 (GB/T 9704: Arabic numerals, no leading zeros).
pub fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// "1. …", "2. …".
pub(crate) fn numbered(items: &[String]) -> Vec<String> {
    items
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {}", i + 1, s.trim()))
        .collect()
}

/// A run of 15 or more digits (an 18-digit 身份证号 ends in X): what a
/// resident ID number or a credit code looks like inside a name.
fn has_id_number(s: &str) -> bool {
    let mut run = 0;
    for c in s.chars() {
        if c.is_ascii_digit() || (run >= 14 && matches!(c, 'X' | 'x')) {
            run += 1;
            if run >= 15 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Ends a sentence that is an input with "。" unless it already ends in
/// punctuation.
pub(crate) fn sentence(s: &str) -> String {
    let s = s.trim();
    match s.chars().last() {
        Some('。' | '！' | '？' | '；' | '.' | '!' | '?') | None => s.to_string(),
        Some(_) => format!("{s}。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_printed_without_leading_zeros() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(cn_date(d), "2026年3月2日");
    }

    #[test]
    fn id_numbers_are_spotted_in_names() {
        assert!(has_id_number("张三 43010219900307123X"));
        assert!(has_id_number("张三430102199003071234"));
        assert!(!has_id_number("张三"));
        assert!(!has_id_number("青岚第2026001号律师事务所"));
    }

    #[test]
    fn sentences_get_a_full_stop_once() {
        assert_eq!(sentence("已撤回申请"), "已撤回申请。");
        assert_eq!(sentence("已撤回申请。 "), "已撤回申请。");
    }

    #[test]
    fn every_kind_has_a_distinct_title() {
        let titles: std::collections::BTreeSet<_> =
            NoticeKind::ALL.iter().map(|k| k.title()).collect();
        assert_eq!(titles.len(), NoticeKind::ALL.len());
    }
}
