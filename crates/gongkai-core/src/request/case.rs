//! A stored disclosure request (依申请公开 case): the validated application,
//! how and when it arrived, and the ordered list of what happened to it.
//!
//! The case's columns that lists filter on (status, receipt date, handler,
//! outcome) are derived from its entries by [`RequestCase::apply`], which is
//! also where every new entry is checked against the 条例 before a store
//! writes it. The statutory clock itself is [`CaseClock`], rebuilt from the
//! clock entries whenever it is needed, so a calendar correction moves the
//! due dates of open cases without touching stored data.
//!
//! Applicants check their case with the application number and a private
//! [`QueryCode`]; only a SHA-256 of the code (bound to the number) is
//! stored, so neither the database nor its backups can show it again.

use super::application::Application;
use super::case_clock::{
    CaseClock, CaseClockError, CaseEvent, Channel, ClockPolicy, ReceiptDateKind, ReceiptDates,
};
use super::closing::Closing;
use super::issued::MailContext;
use super::notice::Notice;
use super::outcome::Outcome;
use crate::text::{self, FieldErrors};
use crate::{OrgId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub type CaseId = i64;

/// Longest internal note or comment on an entry.
pub const COMMENT_MAX: usize = 2000;

// ---------- query code ----------

/// Characters of a query code: digits and capitals without 0/O, 1/I/L, so
/// that a code read out on the phone or copied from paper cannot be
/// mistyped into another valid code.
const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// 31^10 ≈ 8·10^14 (about 49.6 bits); with per-address limits on failed
/// look-ups, guessing a code online is hopeless.
pub const QUERY_CODE_LEN: usize = 10;
/// Random bytes [`QueryCode::from_random_bytes`] is normally given; enough
/// for rejection sampling to succeed with overwhelming probability.
pub const QUERY_CODE_ENTROPY_BYTES: usize = 32;

/// The applicant's private code for the status page. Shown once, never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct QueryCode(String);

impl std::fmt::Debug for QueryCode {
    // Keeps codes out of logs and panic messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QueryCode(***)")
    }
}

impl QueryCode {
    /// Builds a code from random bytes (the caller reads them from the OS,
    /// this crate does no IO). Bytes ≥ 248 are skipped so every character
    /// is equally likely; `None` if too few bytes were usable.
    pub fn from_random_bytes(bytes: &[u8]) -> Option<Self> {
        let n = CODE_ALPHABET.len() as u8;
        let limit = n * (u8::MAX / n);
        let code: String = bytes
            .iter()
            .filter(|b| **b < limit)
            .take(QUERY_CODE_LEN)
            .map(|b| CODE_ALPHABET[usize::from(b % n)] as char)
            .collect();
        (code.len() == QUERY_CODE_LEN).then_some(Self(code))
    }

    /// Reads a code as typed: case, spaces, hyphens and full-width forms
    /// are forgiven; `None` if it cannot be a code.
    pub fn parse(input: &str) -> Option<Self> {
        let code: String = input
            .chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid =
            code.len() == QUERY_CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b));
        valid.then_some(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// In two groups of five (`7K2MX-9QH4T`), as printed for the applicant.
    pub fn grouped(&self) -> String {
        let (a, b) = self.0.split_at(QUERY_CODE_LEN / 2);
        format!("{a}-{b}")
    }

    /// What is stored: SHA-256 over the application number and the code,
    /// hex. Binding the number makes equal codes of two cases hash apart.
    pub fn hash_for(&self, number: &str) -> String {
        let mut h = Sha256::new();
        h.update(b"gongkai-query-code\0");
        h.update(number.as_bytes());
        h.update(b"\0");
        h.update(self.0.as_bytes());
        hex::encode(h.finalize())
    }

    /// Compares with a stored hash in constant time.
    pub fn matches(&self, number: &str, stored_hash: &str) -> bool {
        let ours = self.hash_for(number);
        let (a, b) = (ours.as_bytes(), stored_hash.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// What is stored of a form's one-time token (SHA-256, hex): enough to
/// refuse a replay, useless for forging one.
pub fn form_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The application number: `{year}-{agency id:04}-{n:05}`, e.g.
/// `2026-0012-00003` is the third application agency 12 received in 2026.
/// `n` is a per-agency, per-year sequence allocated by the store inside the
/// transaction that creates the case.
pub fn application_number(year: i32, org_id: OrgId, n: i64) -> String {
    format!("{year}-{org_id:04}-{n:05}")
}

// ---------- status, entries ----------

/// Where a case stands, as stored for filtering. Suspensions (consultation,
/// fee) depend on the day and are computed by [`CaseClock::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Arrived by a channel whose receipt date is the confirmation date
    /// (互联网, 传真, 平常信函); the agency has not confirmed it yet.
    Unconfirmed,
    /// Received; the reply clock runs (or is suspended).
    Open,
    /// A 补正 was requested and has not come back.
    AwaitingCorrection,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        Self::Unconfirmed,
        Self::Open,
        Self::AwaitingCorrection,
        Self::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "unconfirmed",
            Self::Open => "open",
            Self::AwaitingCorrection => "awaiting_correction",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unconfirmed => "待确认收到",
            Self::Open => "办理中",
            Self::AwaitingCorrection => "待补正",
            Self::Closed => "已办结",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// What an entry of a case records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseAction {
    /// The application arrived (first entry; written by the store when it
    /// creates the case, never appended).
    Received { channel: Channel, on: NaiveDate },
    /// 第三十一条: the agency confirmed receipt with the applicant; `on` is
    /// the 收到申请之日. Issues the 受理回执.
    Confirm { on: NaiveDate },
    /// Something that moves the statutory clock.
    Clock { event: CaseEvent },
    /// An internal note (the text is the entry's comment).
    Note,
    /// The handler in charge; `None` takes the case off everyone.
    Assign { handler: Option<UserId> },
    /// Closed with exactly one 表三 outcome.
    Close { on: NaiveDate, closing: Closing },
}

impl CaseAction {
    /// Stable key, stored next to the entry and used in audit actions
    /// (`request.<key>`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Received { .. } => "received",
            Self::Confirm { .. } => "confirm",
            Self::Clock { event } => match event {
                CaseEvent::CorrectionRequested { .. } => "correction_requested",
                CaseEvent::CorrectionReceived { .. } => "correction_received",
                CaseEvent::Extended { .. } => "extended",
                CaseEvent::ConsultationSent { .. } => "consultation_sent",
                CaseEvent::ConsultationAnswered { .. } => "consultation_answered",
                CaseEvent::FeeNoticeSent { .. } => "fee_notice_sent",
                CaseEvent::FeePaid { .. } => "fee_paid",
            },
            Self::Note => "note",
            Self::Assign { .. } => "assign",
            Self::Close { .. } => "close",
        }
    }

    /// The date the entry is about, if it has one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Self::Received { on, .. } | Self::Confirm { on } | Self::Close { on, .. } => Some(*on),
            Self::Clock { event } => Some(match event {
                CaseEvent::CorrectionRequested { on, .. }
                | CaseEvent::CorrectionReceived { on }
                | CaseEvent::ConsultationSent { on, .. }
                | CaseEvent::ConsultationAnswered { on, .. }
                | CaseEvent::FeeNoticeSent { on }
                | CaseEvent::FeePaid { on } => *on,
                CaseEvent::Extended { approved_on, .. } => *approved_on,
            }),
            Self::Note | Self::Assign { .. } => None,
        }
    }

    /// A description without personal data, for the audit log: dates and
    /// keys only (no comment, no closing reasons, which may quote the
    /// applicant).
    pub fn audit_summary(&self) -> serde_json::Value {
        match self {
            Self::Close { on, closing } => serde_json::json!({
                "kind": "close",
                "on": on,
                "outcome": closing.outcome().key(),
            }),
            other => serde_json::to_value(other).unwrap_or_default(),
        }
    }
}

/// A new entry as a caller hands it to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCaseEntry {
    pub action: CaseAction,
    /// Free text (note, reason given to the file); never shown to the public.
    pub comment: Option<String>,
    /// The notice this entry issues, built and linted by the caller. The
    /// store replaces its 文号 with the next number of the agency's
    /// sequence (see [`super::issued`]), stores it and queues its e-mail,
    /// all in the transaction that writes the entry.
    pub notice: Option<IssueNotice>,
}

/// A notice to issue with an entry, and what its e-mail needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueNotice {
    pub notice: Notice,
    pub mail: MailContext,
}

impl NewCaseEntry {
    pub fn new(action: CaseAction) -> Self {
        Self {
            action,
            comment: None,
            notice: None,
        }
    }

    pub fn with_comment(action: CaseAction, comment: impl Into<String>) -> Self {
        Self {
            action,
            comment: Some(comment.into()),
            notice: None,
        }
    }

    /// The same entry, issuing `notice` (e-mailed with `mail`).
    pub fn issuing(mut self, notice: Notice, mail: MailContext) -> Self {
        self.notice = Some(IssueNotice { notice, mail });
        self
    }
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEntry {
    /// 1, 2, 3 … within the case.
    pub seq: i32,
    pub action: CaseAction,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
    pub actor_name: String,
}

/// How an application came in, as registered (online form or staff intake).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    pub channel: Channel,
    /// The day it arrived: submitted online, handed in, signed for (挂号信、
    /// 快递), or received (平常信函, 传真).
    pub arrived_on: NaiveDate,
    pub application: Application,
}

impl Intake {
    /// Whether the receipt date is a later confirmation (第三十一条: 互联网、
    /// 传真、平常信函) rather than the arrival itself.
    pub fn needs_confirmation(&self) -> bool {
        self.channel.receipt_date_kind() == ReceiptDateKind::Confirmed
    }

    /// The dates known at registration.
    pub fn dates(&self) -> ReceiptDates {
        match self.channel.receipt_date_kind() {
            ReceiptDateKind::SignedFor => ReceiptDates {
                signed_for_on: Some(self.arrived_on),
                ..Default::default()
            },
            ReceiptDateKind::Submitted | ReceiptDateKind::Confirmed => ReceiptDates {
                submitted_on: Some(self.arrived_on),
                ..Default::default()
            },
        }
    }

    pub fn initial_status(&self) -> CaseStatus {
        if self.needs_confirmation() {
            CaseStatus::Unconfirmed
        } else {
            CaseStatus::Open
        }
    }
}

/// A staff member's registration of a paper, oral or faxed application.
#[derive(Debug, Clone, Default)]
pub struct IntakeForm {
    /// A [`Channel`] key other than `online`.
    pub channel: String,
    /// `YYYY-MM-DD`.
    pub arrived_on: String,
}

/// The channels staff register (the online form registers itself).
pub const STAFF_CHANNELS: [Channel; 4] = [
    Channel::InPerson,
    Channel::SignedPost,
    Channel::OrdinaryLetter,
    Channel::Fax,
];

pub fn channel_key(c: Channel) -> &'static str {
    match c {
        Channel::InPerson => "in_person",
        Channel::SignedPost => "signed_post",
        Channel::OrdinaryLetter => "ordinary_letter",
        Channel::Online => "online",
        Channel::Fax => "fax",
    }
}

pub fn parse_channel(s: &str) -> Option<Channel> {
    Channel::ALL
        .into_iter()
        .find(|c| channel_key(*c) == s.trim())
}

/// What the date at intake is called for each channel.
pub fn arrival_label(c: Channel) -> &'static str {
    match c {
        Channel::InPerson => "提交日期",
        Channel::SignedPost => "签收日期",
        Channel::OrdinaryLetter | Channel::Fax => "收到日期",
        Channel::Online => "网上提交日期",
    }
}

impl IntakeForm {
    /// Checks the intake fields; `application` was validated on its own.
    /// The date may not lie in the future (`today` is the agency's date).
    pub fn validate(
        &self,
        application: Result<Application, FieldErrors>,
        today: NaiveDate,
    ) -> Result<Intake, FieldErrors> {
        let (application, mut e) = match application {
            Ok(a) => (Some(a), FieldErrors::new()),
            Err(e) => (None, e),
        };
        let channel = parse_channel(&self.channel).filter(|c| STAFF_CHANNELS.contains(c));
        if channel.is_none() {
            e.add("channel", "请选择申请的提交方式");
        }
        let label = channel.map_or("收到日期", arrival_label);
        let arrived_on = match NaiveDate::parse_from_str(self.arrived_on.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                e.add("arrived_on", format!("{label}不能晚于今天"));
                None
            }
            Ok(d) => Some(d),
            Err(_) if self.arrived_on.trim().is_empty() => {
                e.add("arrived_on", format!("请填写{label}"));
                None
            }
            Err(_) => {
                e.add(
                    "arrived_on",
                    format!("{label}格式应为“年-月-日”，如2026-03-02"),
                );
                None
            }
        };
        match (channel, arrived_on, application) {
            (Some(channel), Some(arrived_on), Some(application)) if e.is_empty() => Ok(Intake {
                channel,
                arrived_on,
                application,
            }),
            _ => Err(e),
        }
    }
}

// ---------- the case ----------

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestCase {
    pub id: CaseId,
    pub org_id: OrgId,
    /// See [`application_number`].
    pub number: String,
    /// [`QueryCode::hash_for`] of the applicant's code.
    pub query_code_hash: String,
    pub channel: Channel,
    pub application: Application,
    pub status: CaseStatus,
    pub arrived_on: NaiveDate,
    pub dates: ReceiptDates,
    pub handler_id: Option<UserId>,
    pub outcome: Option<Outcome>,
    pub closed_on: Option<NaiveDate>,
    /// In order of `seq`.
    pub entries: Vec<CaseEntry>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Why an entry cannot be added; the message is for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CaseError(pub String);

fn refuse<T>(msg: impl Into<String>) -> Result<T, CaseError> {
    Err(CaseError(msg.into()))
}

impl RequestCase {
    /// The 收到申请之日 (第三十一条), once known.
    pub fn receipt_date(&self) -> Option<NaiveDate> {
        self.channel.receipt_date(&self.dates).ok()
    }

    /// The clock entries, in order.
    pub fn clock_events(&self) -> Vec<CaseEvent> {
        self.entries
            .iter()
            .filter_map(|e| match &e.action {
                CaseAction::Clock { event } => Some(event.clone()),
                _ => None,
            })
            .collect()
    }

    /// The statutory clock; `None` until the receipt date is known.
    pub fn clock(&self, policy: ClockPolicy) -> Option<Result<CaseClock, CaseClockError>> {
        let receipt = self.receipt_date()?;
        Some(CaseClock::from_events(
            receipt,
            policy,
            &self.clock_events(),
        ))
    }

    /// The closing, when the case is closed.
    pub fn closing(&self) -> Option<&Closing> {
        self.entries.iter().rev().find_map(|e| match &e.action {
            CaseAction::Close { closing, .. } => Some(closing),
            _ => None,
        })
    }

    /// Checks `entry` against the case and the 条例 and updates the derived
    /// fields (status, dates, handler, outcome). The store calls this inside
    /// its transaction, then writes the entry and the new fields; on error
    /// nothing is written. `today` is the agency's current date: no entry
    /// may be dated after it.
    pub fn apply(&mut self, entry: &NewCaseEntry, today: NaiveDate) -> Result<(), CaseError> {
        let comment = entry.comment.as_deref().map(str::trim).unwrap_or("");
        if text::char_len(comment) > COMMENT_MAX {
            return refuse(format!("说明不能超过{COMMENT_MAX}个字符"));
        }
        if let Some(d) = entry.action.date()
            && d > today
        {
            return refuse(format!("日期 {d} 晚于今天，不能登记尚未发生的事项"));
        }
        if self.status == CaseStatus::Closed && entry.action != CaseAction::Note {
            return refuse("该申请已办结，只能添加备注");
        }
        match &entry.action {
            CaseAction::Received { .. } => {
                return refuse("收到申请由登记申请时记录，不能追加");
            }
            CaseAction::Confirm { on } => {
                if self.status != CaseStatus::Unconfirmed {
                    return refuse("该申请已确认收到，无需再次确认");
                }
                if *on < self.arrived_on {
                    return refuse(format!("确认日期不能早于申请提交日期 {}", self.arrived_on));
                }
                self.dates.confirmed_on = Some(*on);
                self.status = CaseStatus::Open;
            }
            CaseAction::Clock { event } => {
                let Some(clock) = self.clock(ClockPolicy::default()) else {
                    return refuse("请先确认收到申请，再登记办理事项");
                };
                let mut clock = clock.map_err(|e| CaseError(e.to_string()))?;
                clock.apply(event).map_err(|e| CaseError(e.to_string()))?;
                let awaiting = clock
                    .correction
                    .as_ref()
                    .is_some_and(|c| c.received_on.is_none());
                self.status = if awaiting {
                    CaseStatus::AwaitingCorrection
                } else {
                    CaseStatus::Open
                };
            }
            CaseAction::Note => {
                if comment.is_empty() {
                    return refuse("请填写备注内容");
                }
            }
            CaseAction::Assign { handler } => {
                self.handler_id = *handler;
            }
            CaseAction::Close { on, closing } => {
                let Some(receipt) = self.receipt_date() else {
                    return refuse("请先确认收到申请，再办结");
                };
                if *on < receipt {
                    return refuse(format!("办结日期不能早于收到申请之日 {receipt}"));
                }
                self.status = CaseStatus::Closed;
                self.outcome = Some(closing.outcome());
                self.closed_on = Some(*on);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::application::ApplicationForm;
    use crate::request::closing::ClosingDetails;
    use crate::request::contact::ContactForm;
    use crate::request::id_doc::resident_id_check_char;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn application() -> Application {
        let body = "43010219900307123";
        ApplicationForm {
            applicant_kind: "natural".into(),
            name: "张三".into(),
            id_type: "resident_id".into(),
            id_number: format!("{body}{}", resident_id_check_char(body).unwrap()),
            contact: ContactForm {
                email: "zhangsan@example.com".into(),
                ..Default::default()
            },
            info_description: "2025年老旧小区改造资金分配文件".into(),
            provision_form: "email".into(),
            delivery: "email".into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    fn case(channel: Channel, arrived: &str) -> RequestCase {
        let intake = Intake {
            channel,
            arrived_on: d(arrived),
            application: application(),
        };
        let t = DateTime::parse_from_rfc3339("2026-03-02T01:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        RequestCase {
            id: 1,
            org_id: 12,
            number: application_number(2026, 12, 3),
            query_code_hash: String::new(),
            channel,
            application: intake.application.clone(),
            status: intake.initial_status(),
            arrived_on: intake.arrived_on,
            dates: intake.dates(),
            handler_id: None,
            outcome: None,
            closed_on: None,
            entries: Vec::new(),
            created_at: t,
            updated_at: t,
        }
    }

    fn clock(event: CaseEvent) -> NewCaseEntry {
        NewCaseEntry::new(CaseAction::Clock { event })
    }

    #[test]
    fn numbers_follow_the_documented_template() {
        assert_eq!(application_number(2026, 12, 3), "2026-0012-00003");
        assert_eq!(application_number(2026, 12345, 123456), "2026-12345-123456");
    }

    #[test]
    fn query_codes_use_the_unambiguous_alphabet_and_survive_retyping() {
        let bytes: Vec<u8> = (0u8..=255).collect();
        let code = QueryCode::from_random_bytes(&bytes).unwrap();
        assert_eq!(code.as_str(), "23456789AB");
        assert_eq!(code.grouped(), "23456-789AB");
        // Bytes ≥ 248 are skipped rather than folded onto the alphabet.
        let skewed = QueryCode::from_random_bytes(&[250, 251, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(skewed.unwrap().as_str(), "23456789AB");
        assert!(QueryCode::from_random_bytes(&[255; 40]).is_none());
        for typed in ["23456-789ab", " 23456 789AB ", "２３４５６－７８９ＡＢ"] {
            assert_eq!(QueryCode::parse(typed), Some(code.clone()), "{typed}");
        }
        for bad in ["", "23456789A", "23456789ABC", "0OIL1789AB", "23456789A!"] {
            assert_eq!(QueryCode::parse(bad), None, "{bad}");
        }
        assert_eq!(format!("{code:?}"), "QueryCode(***)");
    }

    #[test]
    fn the_stored_hash_binds_code_and_number() {
        let code = QueryCode::parse("7K2MX9QH4T").unwrap();
        let h = code.hash_for("2026-0012-00003");
        assert_eq!(h.len(), 64);
        assert!(!h.contains("7K2MX"));
        assert!(code.matches("2026-0012-00003", &h));
        assert!(!code.matches("2026-0012-00004", &h));
        let other = QueryCode::parse("7K2MX9QH4U").unwrap();
        assert!(!other.matches("2026-0012-00003", &h));
        assert!(!code.matches("2026-0012-00003", ""));
    }

    #[test]
    fn online_applications_wait_for_confirmation_and_paper_ones_do_not() {
        let online = case(Channel::Online, "2026-03-02");
        assert_eq!(online.status, CaseStatus::Unconfirmed);
        assert_eq!(online.receipt_date(), None);
        assert!(online.clock(ClockPolicy::default()).is_none());
        let desk = case(Channel::InPerson, "2026-03-02");
        assert_eq!(desk.status, CaseStatus::Open);
        assert_eq!(desk.receipt_date(), Some(d("2026-03-02")));
        let post = case(Channel::SignedPost, "2026-03-04");
        assert_eq!(post.dates.signed_for_on, Some(d("2026-03-04")));
        assert_eq!(post.receipt_date(), Some(d("2026-03-04")));
        assert_eq!(
            case(Channel::Fax, "2026-03-02").status,
            CaseStatus::Unconfirmed
        );
        assert_eq!(
            case(Channel::OrdinaryLetter, "2026-03-02").status,
            CaseStatus::Unconfirmed
        );
    }

    #[test]
    fn confirmation_sets_the_receipt_date_once() {
        let today = d("2026-03-10");
        let mut c = case(Channel::Online, "2026-03-02");
        let early = NewCaseEntry::new(CaseAction::Confirm {
            on: d("2026-03-01"),
        });
        assert_eq!(
            c.apply(&early, today),
            Err(CaseError("确认日期不能早于申请提交日期 2026-03-02".into()))
        );
        let future = NewCaseEntry::new(CaseAction::Confirm {
            on: d("2026-03-11"),
        });
        assert!(c.apply(&future, today).unwrap_err().0.contains("晚于今天"));
        let before_confirm = clock(CaseEvent::CorrectionRequested {
            on: d("2026-03-03"),
            reply_by: d("2026-03-20"),
        });
        assert_eq!(
            c.apply(&before_confirm, today),
            Err(CaseError("请先确认收到申请，再登记办理事项".into()))
        );
        let confirm = NewCaseEntry::new(CaseAction::Confirm {
            on: d("2026-03-03"),
        });
        c.apply(&confirm, today).unwrap();
        assert_eq!(c.status, CaseStatus::Open);
        assert_eq!(c.receipt_date(), Some(d("2026-03-03")));
        assert!(c.apply(&confirm, today).is_err(), "confirmed twice");
        let desk = &mut case(Channel::InPerson, "2026-03-02");
        assert!(desk.apply(&confirm, today).is_err());
    }

    #[test]
    fn clock_entries_are_checked_by_the_clock_and_move_the_status() {
        let today = d("2026-03-20");
        let mut c = case(Channel::InPerson, "2026-03-02");
        let ask = clock(CaseEvent::CorrectionRequested {
            on: d("2026-03-04"),
            reply_by: d("2026-03-18"),
        });
        c.apply(&ask, today).unwrap();
        assert_eq!(c.status, CaseStatus::AwaitingCorrection);
        // The store pushes the entry after apply succeeded.
        c.entries.push(CaseEntry {
            seq: 2,
            action: ask.action.clone(),
            comment: None,
            at: c.created_at,
            actor_user_id: Some(3),
            actor_name: "handler".into(),
        });
        assert_eq!(
            c.apply(&ask, today),
            Err(CaseError(
                "补正应当一次性告知（第三十条），不能再次要求补正".into()
            ))
        );
        let back = clock(CaseEvent::CorrectionReceived {
            on: d("2026-03-10"),
        });
        c.apply(&back, today).unwrap();
        assert_eq!(c.status, CaseStatus::Open);
    }

    #[test]
    fn closing_records_the_outcome_and_freezes_the_case() {
        let today = d("2026-03-20");
        let mut c = case(Channel::Online, "2026-03-02");
        let petition = Closing::new(
            Outcome::RejectPetition,
            ClosingDetails::Petition {
                channel: Some("青岚市信访局".into()),
            },
        )
        .unwrap();
        let close = NewCaseEntry::with_comment(
            CaseAction::Close {
                on: d("2026-03-05"),
                closing: petition,
            },
            "反映邻里纠纷，属信访事项",
        );
        assert_eq!(
            c.apply(&close, today),
            Err(CaseError("请先确认收到申请，再办结".into()))
        );
        c.apply(
            &NewCaseEntry::new(CaseAction::Confirm {
                on: d("2026-03-05"),
            }),
            today,
        )
        .unwrap();
        c.apply(&close, today).unwrap();
        assert_eq!(c.status, CaseStatus::Closed);
        assert_eq!(c.outcome, Some(Outcome::RejectPetition));
        assert_eq!(c.closed_on, Some(d("2026-03-05")));
        let assign = NewCaseEntry::new(CaseAction::Assign { handler: Some(4) });
        assert_eq!(
            c.apply(&assign, today),
            Err(CaseError("该申请已办结，只能添加备注".into()))
        );
        let empty_note = NewCaseEntry::with_comment(CaseAction::Note, "  ");
        assert_eq!(
            c.apply(&empty_note, today),
            Err(CaseError("请填写备注内容".into()))
        );
        let note = NewCaseEntry::with_comment(CaseAction::Note, "已电话告知申请人");
        c.apply(&note, today).unwrap();
        let long = NewCaseEntry::with_comment(CaseAction::Note, "字".repeat(COMMENT_MAX + 1));
        assert!(c.apply(&long, today).is_err());
    }

    #[test]
    fn entries_roundtrip_as_tagged_json_and_audit_without_reasons() {
        let closing = Closing::new(
            Outcome::Partial,
            ClosingDetails::Withheld {
                reason: "涉及张三的个人隐私".into(),
            },
        )
        .unwrap();
        let a = CaseAction::Close {
            on: d("2026-03-20"),
            closing,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<CaseAction>(&json).unwrap(), a);
        assert_eq!(a.key(), "close");
        let audit = a.audit_summary().to_string();
        assert!(audit.contains("\"outcome\":\"partial\""));
        assert!(!audit.contains("张三"));
        let c = CaseAction::Clock {
            event: CaseEvent::FeePaid {
                on: d("2026-03-20"),
            },
        };
        assert_eq!(c.key(), "fee_paid");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"clock","event":{"event":"fee_paid","on":"2026-03-20"}}"#
        );
    }

    #[test]
    fn staff_intake_needs_a_channel_and_a_past_date() {
        let today = d("2026-03-10");
        let form = |channel: &str, date: &str| IntakeForm {
            channel: channel.into(),
            arrived_on: date.into(),
        };
        let i = form("signed_post", "2026-03-09")
            .validate(Ok(application()), today)
            .unwrap();
        assert_eq!(i.channel, Channel::SignedPost);
        assert_eq!(i.initial_status(), CaseStatus::Open);
        let e = form("online", "2026-03-11")
            .validate(Ok(application()), today)
            .unwrap_err();
        assert_eq!(e.get("channel"), Some("请选择申请的提交方式"));
        assert_eq!(e.get("arrived_on"), Some("收到日期不能晚于今天"));
        let e = form("in_person", "3/9")
            .validate(Ok(application()), today)
            .unwrap_err();
        assert_eq!(
            e.get("arrived_on"),
            Some("提交日期格式应为“年-月-日”，如2026-03-02")
        );
        let mut app_errors = FieldErrors::new();
        app_errors.add("name", "请填写姓名");
        let e = form("fax", "")
            .validate(Err(app_errors), today)
            .unwrap_err();
        assert_eq!(e.get("name"), Some("请填写姓名"));
        assert_eq!(e.get("arrived_on"), Some("请填写收到日期"));
    }
}
