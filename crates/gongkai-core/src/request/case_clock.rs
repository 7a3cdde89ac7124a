//! The statutory clock of one disclosure request, built from the case's
//! events (ogi-domain.md §5, §6):
//!
//! * receipt (第三十一条): the date that counts depends on the channel;
//! * 补正 (第三十条): notice within 7 working days of receipt, given once;
//!   the 20 days restart from the day the completed application arrives;
//!   no reply by the applicant's deadline lets the case close as
//!   其他处理·逾期不补正;
//! * reply (第三十三条): 20 working days, extendable once by at most 20 with
//!   the approval of the 工作机构负责人;
//! * suspensions (第三十三条第三款): consulting a third party (第三十二条) or
//!   another agency (第三十四条), each of which has 15 working days to
//!   answer; and, by policy, a fee notice until payment (信息处理费).
//!
//! Day counting is [`crate::clock::compute_due`]'s: from the day after the
//! start; a suspension covers its first and last day.
//!
//! Not verified against a source (\[R\], see the items for details): that
//! the fee notice suspends the clock ([`ClockPolicy`]); that a consultation
//! suspends at most for the consulted party's 15 working days counted from
//! the *sending* date. Not modelled yet: 第三十五条 "延迟答复的合理期限"
//! set by the agency for excessive requests.

use super::outcome::Outcome;
use crate::UserId;
use crate::calendar::{CalendarError, WorkdayCalendar};
use crate::clock::{ClockError, Deadline, Suspension, compute_due};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const REPLY_WORKING_DAYS: u32 = 20;
pub const MAX_EXTENSION_WORKING_DAYS: u32 = 20;
pub const CORRECTION_NOTICE_WORKING_DAYS: u32 = 7;
pub const CONSULTATION_WORKING_DAYS: u32 = 15;
pub const FEE_PAYMENT_WORKING_DAYS: u32 = 20;

/// How the application arrived (第三十一条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 当面提交
    InPerson,
    /// 邮寄 (需签收: 挂号信、快递)
    SignedPost,
    /// 平常信函等无需签收的邮寄方式
    OrdinaryLetter,
    /// 互联网渠道 (incl. this platform's online form)
    Online,
    /// 传真
    Fax,
}

/// Which date of the receipt is the 收到申请之日.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptDateKind {
    /// 提交之日
    Submitted,
    /// 行政机关签收之日
    SignedFor,
    /// 与申请人确认之日
    Confirmed,
}

impl ReceiptDateKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Submitted => "提交日期",
            Self::SignedFor => "签收日期",
            Self::Confirmed => "确认日期",
        }
    }
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Self::InPerson,
        Self::SignedPost,
        Self::OrdinaryLetter,
        Self::Online,
        Self::Fax,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::InPerson => "当面提交",
            Self::SignedPost => "邮寄（需签收）",
            Self::OrdinaryLetter => "平常信函",
            Self::Online => "互联网",
            Self::Fax => "传真",
        }
    }

    /// 第三十一条: 当面 → 提交之日; 邮寄 → 签收之日; 平常信函 → 确认之日
    /// (confirmed with the applicant on the day of arrival); 互联网/传真 →
    /// 双方确认之日.
    pub fn receipt_date_kind(self) -> ReceiptDateKind {
        match self {
            Self::InPerson => ReceiptDateKind::Submitted,
            Self::SignedPost => ReceiptDateKind::SignedFor,
            Self::OrdinaryLetter | Self::Online | Self::Fax => ReceiptDateKind::Confirmed,
        }
    }

    /// The 收到申请之日 from the dates recorded at intake.
    pub fn receipt_date(self, dates: &ReceiptDates) -> Result<NaiveDate, CaseClockError> {
        let kind = self.receipt_date_kind();
        let date = match kind {
            ReceiptDateKind::Submitted => dates.submitted_on,
            ReceiptDateKind::SignedFor => dates.signed_for_on,
            ReceiptDateKind::Confirmed => dates.confirmed_on,
        };
        date.ok_or_else(|| {
            CaseClockError::Invalid(format!(
                "{}的申请以{}为收到申请之日，请填写{}",
                self.label(),
                kind.label(),
                kind.label()
            ))
        })
    }
}

/// Dates recorded at intake; which one is needed depends on the [`Channel`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptDates {
    pub submitted_on: Option<NaiveDate>,
    pub signed_for_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
}

/// Who is consulted while the clock stands still.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultedParty {
    /// 第三方 (第三十二条)
    ThirdParty,
    /// 共同制作的其他行政机关 (第三十四条)
    OtherAgency,
}

impl ConsultedParty {
    pub fn suspension_reason(self) -> &'static str {
        match self {
            Self::ThirdParty => "征求第三方意见（第三十二条）",
            Self::OtherAgency => "征求其他行政机关意见（第三十四条）",
        }
    }
}

/// Case settings that the law leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockPolicy {
    /// Whether the reply clock stands still from the fee notice to payment.
    /// \[R\] ogi-domain.md §6: believed to be in the 信息处理费办法 ("自发出
    /// 收费通知之日起至申请人缴纳费用之日止" not counted) but **not
    /// verified**; hence a switch, on by default.
    pub fee_suspends_clock: bool,
}

impl Default for ClockPolicy {
    fn default() -> Self {
        Self {
            fee_suspends_clock: true,
        }
    }
}

/// Something that happened to a case and moves its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CaseEvent {
    /// 补正告知 sent on `on`, asking for a reply by `reply_by` (the
    /// "合理的补正期限" the agency sets).
    CorrectionRequested {
        on: NaiveDate,
        reply_by: NaiveDate,
    },
    /// The completed application arrived.
    CorrectionReceived {
        on: NaiveDate,
    },
    /// 延长答复期限, approved by the 工作机构负责人 `approver`.
    Extended {
        approver: UserId,
        approved_on: NaiveDate,
        working_days: u32,
    },
    /// A 征求意见书 went out; `id` pairs it with its answer.
    ConsultationSent {
        id: u32,
        party: ConsultedParty,
        on: NaiveDate,
    },
    ConsultationAnswered {
        id: u32,
        on: NaiveDate,
    },
    /// 收费通知 sent.
    FeeNoticeSent {
        on: NaiveDate,
    },
    FeePaid {
        on: NaiveDate,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseClockError {
    /// The working-day calendar has no notice for `year`; the due date is
    /// not guessed.
    #[error("工作日历缺少 {year} 年的节假日安排，无法计算期限")]
    CalendarMissing { year: i32 },
    #[error("工作日历数据有误：{0}")]
    Calendar(String),
    /// An event that cannot happen in this state; the message says why.
    #[error("{0}")]
    Invalid(String),
}

impl From<CalendarError> for CaseClockError {
    fn from(e: CalendarError) -> Self {
        match e {
            CalendarError::Unknown { missing_year, .. } => {
                Self::CalendarMissing { year: missing_year }
            }
            CalendarError::Data(m) => Self::Calendar(m),
        }
    }
}

impl From<ClockError> for CaseClockError {
    fn from(e: ClockError) -> Self {
        match e {
            ClockError::Calendar(c) => c.into(),
            other => Self::Invalid(other.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub requested_on: NaiveDate,
    pub reply_by: NaiveDate,
    pub received_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub approver: UserId,
    pub approved_on: NaiveDate,
    pub working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub id: u32,
    pub party: ConsultedParty,
    pub sent_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeNotice {
    pub sent_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

/// The clock state of a case, folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClock {
    pub receipt: NaiveDate,
    pub policy: ClockPolicy,
    pub correction: Option<Correction>,
    pub extension: Option<Extension>,
    pub consultations: Vec<Consultation>,
    pub fee: Option<FeeNotice>,
}

/// Where the case stands on `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The reply clock runs.
    Running,
    /// Waiting for the applicant's 补正; no reply deadline runs.
    AwaitingCorrection { reply_by: NaiveDate },
    /// The clock stands still for these reasons; the reply deadline shown
    /// assumes it runs again the day after `as_of`, so it can only move later.
    Suspended { reasons: Vec<String> },
}

/// Result of [`CaseClock::status`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockStatus {
    pub as_of: NaiveDate,
    pub phase: Phase,
    /// The 20 (+ extension) working-day reply deadline with its
    /// explanation; `None` while awaiting 补正.
    pub reply: Option<Deadline>,
    /// Latest day for the 补正 notice (7 working days after receipt).
    pub correction_notice_due: NaiveDate,
    /// The 补正 notice went out after `correction_notice_due`.
    pub correction_notice_late: bool,
    /// The extension was approved after the unextended deadline had passed.
    pub extension_approved_late: bool,
    /// Last day for paying the fee (20 working days from the day after the notice).
    pub fee_payment_due: Option<NaiveDate>,
    /// The case may be closed with this outcome because the applicant let
    /// a deadline pass (逾期不补正 / 逾期未缴费).
    pub lapsed: Option<Outcome>,
}

fn invalid<T>(msg: impl Into<String>) -> Result<T, CaseClockError> {
    Err(CaseClockError::Invalid(msg.into()))
}

impl CaseClock {
    pub fn new(receipt: NaiveDate, policy: ClockPolicy) -> Self {
        Self {
            receipt,
            policy,
            correction: None,
            extension: None,
            consultations: Vec::new(),
            fee: None,
        }
    }

    /// Replays `events` in order; the first impossible one is the error.
    pub fn from_events(
        receipt: NaiveDate,
        policy: ClockPolicy,
        events: &[CaseEvent],
    ) -> Result<Self, CaseClockError> {
        let mut clock = Self::new(receipt, policy);
        for ev in events {
            clock.apply(ev)?;
        }
        Ok(clock)
    }

    fn awaiting_correction(&self) -> bool {
        self.correction
            .as_ref()
            .is_some_and(|c| c.received_on.is_none())
    }

    /// The day the reply period counts from: receipt, or receipt of the 补正.
    pub fn start(&self) -> NaiveDate {
        self.correction
            .as_ref()
            .and_then(|c| c.received_on)
            .unwrap_or(self.receipt)
    }

    /// Records one event, refusing what the 条例 does not allow.
    pub fn apply(&mut self, ev: &CaseEvent) -> Result<(), CaseClockError> {
        let date = match ev {
            CaseEvent::CorrectionRequested { on, .. }
            | CaseEvent::CorrectionReceived { on }
            | CaseEvent::ConsultationSent { on, .. }
            | CaseEvent::ConsultationAnswered { on, .. }
            | CaseEvent::FeeNoticeSent { on }
            | CaseEvent::FeePaid { on } => *on,
            CaseEvent::Extended { approved_on, .. } => *approved_on,
        };
        if date < self.receipt {
            return invalid(format!("{date} 早于收到申请之日 {}", self.receipt));
        }
        let waiting = self.awaiting_correction();
        match ev {
            CaseEvent::CorrectionRequested { on, reply_by } => {
                if self.correction.is_some() {
                    return invalid("补正应当一次性告知（第三十条），不能再次要求补正");
                }
                if self.extension.is_some() || !self.consultations.is_empty() || self.fee.is_some()
                {
                    return invalid("已延期、征求意见或收费的申请不能再要求补正");
                }
                if reply_by < on {
                    return invalid("补正期限不能早于补正告知日期");
                }
                self.correction = Some(Correction {
                    requested_on: *on,
                    reply_by: *reply_by,
                    received_on: None,
                });
            }
            CaseEvent::CorrectionReceived { on } => match &mut self.correction {
                None => return invalid("尚未告知补正，不能登记收到补正"),
                Some(c) if c.received_on.is_some() => {
                    return invalid("已登记收到补正");
                }
                Some(c) if *on < c.requested_on => {
                    return invalid("收到补正的日期不能早于补正告知日期");
                }
                Some(c) => c.received_on = Some(*on),
            },
            CaseEvent::Extended {
                approver,
                approved_on,
                working_days,
            } => {
                if waiting {
                    return invalid("等待补正期间答复期限尚未起算，不能延期");
                }
                if self.extension.is_some() {
                    return invalid("答复期限只能延长一次（第三十三条）");
                }
                if *working_days == 0 || *working_days > MAX_EXTENSION_WORKING_DAYS {
                    return invalid(format!(
                        "延长的期限应为1至{MAX_EXTENSION_WORKING_DAYS}个工作日（第三十三条）"
                    ));
                }
                if *approved_on < self.start() {
                    return invalid("延期批准日期不能早于答复期限起算日");
                }
                self.extension = Some(Extension {
                    approver: *approver,
                    approved_on: *approved_on,
                    working_days: *working_days,
                });
            }
            CaseEvent::ConsultationSent { id, party, on } => {
                if waiting {
                    return invalid("等待补正期间不能征求意见");
                }
                if self.consultations.iter().any(|c| c.id == *id) {
                    return invalid(format!("征求意见编号 {id} 重复"));
                }
                self.consultations.push(Consultation {
                    id: *id,
                    party: *party,
                    sent_on: *on,
                    answered_on: None,
                });
            }
            CaseEvent::ConsultationAnswered { id, on } => {
                match self.consultations.iter_mut().find(|c| c.id == *id) {
                    None => return invalid(format!("没有编号为 {id} 的征求意见")),
                    Some(c) if c.answered_on.is_some() => {
                        return invalid(format!("征求意见 {id} 已登记回复"));
                    }
                    Some(c) if *on < c.sent_on => {
                        return invalid("回复日期不能早于征求意见日期");
                    }
                    Some(c) => c.answered_on = Some(*on),
                }
            }
            CaseEvent::FeeNoticeSent { on } => {
                if waiting {
                    return invalid("等待补正期间不能发出收费通知");
                }
                if self.fee.is_some() {
                    return invalid("本申请已发出收费通知");
                }
                self.fee = Some(FeeNotice {
                    sent_on: *on,
                    paid_on: None,
                });
            }
            CaseEvent::FeePaid { on } => match &mut self.fee {
                None => return invalid("尚未发出收费通知，不能登记缴费"),
                Some(f) if f.paid_on.is_some() => return invalid("已登记缴费"),
                Some(f) if *on < f.sent_on => {
                    return invalid("缴费日期不能早于收费通知日期");
                }
                Some(f) => f.paid_on = Some(*on),
            },
        }
        Ok(())
    }

    /// The suspensions as of `as_of`: answered consultations and paid fees
    /// end on their day; open ones run through `as_of`. A consultation
    /// suspends at most until the consulted party's 15 working days end
    /// (after that the agency decides, 第三十二条/第三十四条), and an unpaid
    /// fee at most until the payment deadline.
    ///
    /// \[R\] The 15 days run from the party's *receipt* of the letter; the
    /// sending date is used because receipt is rarely known, which ends the
    /// suspension no later than the law would (the safe side for the agency).
    fn suspensions(
        &self,
        cal: &WorkdayCalendar,
        as_of: NaiveDate,
    ) -> Result<(Vec<Suspension>, Vec<String>), CaseClockError> {
        let mut out = Vec::new();
        let mut open_reasons = Vec::new();
        for c in &self.consultations {
            let cap = compute_due(cal, c.sent_on, CONSULTATION_WORKING_DAYS, &[])?.due;
            let end = match c.answered_on {
                Some(a) => a.min(cap),
                None => as_of.max(c.sent_on).min(cap),
            };
            let reason = c.party.suspension_reason();
            if c.answered_on.is_none() && c.sent_on <= as_of && as_of <= cap {
                open_reasons.push(reason.to_string());
            }
            out.push(Suspension {
                from: c.sent_on,
                to: end,
                reason: reason.into(),
            });
        }
        if self.policy.fee_suspends_clock
            && let Some(f) = &self.fee
        {
            let pay_due = compute_due(cal, f.sent_on, FEE_PAYMENT_WORKING_DAYS, &[])?.due;
            let end = match f.paid_on {
                Some(p) => p,
                None => as_of.max(f.sent_on).min(pay_due),
            };
            let reason = "收费通知至缴纳费用";
            if f.paid_on.is_none() && f.sent_on <= as_of && as_of <= pay_due {
                open_reasons.push(reason.to_string());
            }
            out.push(Suspension {
                from: f.sent_on,
                to: end,
                reason: reason.into(),
            });
        }
        Ok((out, open_reasons))
    }

    /// The clock on `as_of`.
    pub fn status(
        &self,
        cal: &WorkdayCalendar,
        as_of: NaiveDate,
    ) -> Result<ClockStatus, CaseClockError> {
        let correction_notice_due =
            compute_due(cal, self.receipt, CORRECTION_NOTICE_WORKING_DAYS, &[])?.due;
        let correction_notice_late = self
            .correction
            .as_ref()
            .is_some_and(|c| c.requested_on > correction_notice_due);
        let fee_payment_due = match &self.fee {
            Some(f) => Some(compute_due(cal, f.sent_on, FEE_PAYMENT_WORKING_DAYS, &[])?.due),
            None => None,
        };
        let fee_lapsed = match (&self.fee, fee_payment_due) {
            (Some(f), Some(due)) => f.paid_on.is_none() && as_of > due,
            _ => false,
        };
        if let Some(c) = &self.correction
            && c.received_on.is_none()
        {
            return Ok(ClockStatus {
                as_of,
                phase: Phase::AwaitingCorrection {
                    reply_by: c.reply_by,
                },
                reply: None,
                correction_notice_due,
                correction_notice_late,
                extension_approved_late: false,
                fee_payment_due,
                lapsed: (as_of > c.reply_by).then_some(Outcome::OtherNoCorrection),
            });
        }
        let (suspensions, open) = self.suspensions(cal, as_of)?;
        let start = self.start();
        let extension_approved_late = match &self.extension {
            Some(x) => {
                let unextended = compute_due(cal, start, REPLY_WORKING_DAYS, &suspensions)?;
                x.approved_on > unextended.due
            }
            None => false,
        };
        let days = REPLY_WORKING_DAYS + self.extension.as_ref().map_or(0, |x| x.working_days);
        let reply = compute_due(cal, start, days, &suspensions)?;
        Ok(ClockStatus {
            as_of,
            phase: if open.is_empty() {
                Phase::Running
            } else {
                Phase::Suspended { reasons: open }
            },
            reply: Some(reply),
            correction_notice_due,
            correction_notice_late,
            extension_approved_late,
            fee_payment_due,
            lapsed: fee_lapsed.then_some(Outcome::OtherNoFee),
        })
    }
}

impl ClockStatus {
    /// The reply deadline has passed on `today` (never while awaiting 补正).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.reply.as_ref().is_some_and(|d| today > d.due)
    }

    /// The reply is due within `n` working days of `today` (or overdue).
    pub fn due_within(
        &self,
        cal: &WorkdayCalendar,
        today: NaiveDate,
        n: u32,
    ) -> Result<bool, CaseClockError> {
        match &self.reply {
            None => Ok(false),
            Some(d) if d.due <= today => Ok(true),
            Some(d) => Ok(cal.working_days_between(today, d.due)? <= n),
        }
    }
}

#[cfg(test)]
#[path = "case_clock_tests.rs"]
mod tests;
