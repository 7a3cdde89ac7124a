//! Outgoing e-mail to applicants, queued in an outbox.
//!
//! A notification is written to the outbox in the same transaction as the
//! change it reports (a case event), and a dispatcher sends it later. If the
//! mail server is down the message stays queued and is retried on the
//! schedule below, so nothing is lost; after [`MAX_ATTEMPTS`] it is marked
//! failed and shown to staff, who then inform the applicant another way.
//!
//! Recipients are personal data: they are stored with the message (it must
//! be sent) but never logged; errors kept on a message are the transport's
//! text, which names the server, not the recipient.

use crate::text::is_email;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Attempts before a message is given up (about 20 hours of retries with
/// [`retry_delay`]).
pub const MAX_ATTEMPTS: u32 = 12;

/// Upper bounds, so that one row cannot grow without limit.
pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 20_000;

/// Why a message is sent; shown in the console and used in statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// The online application was submitted (number and query code).
    Submitted,
    /// 受理回执: the agency confirmed receipt.
    Receipt,
    /// 补正告知.
    Correction,
    /// 延期告知.
    Extension,
    /// 收费通知.
    Fee,
    /// 答复告知 (the reply is available).
    Reply,
    /// A test message sent by an administrator to check the configuration.
    Test,
}

impl MailKind {
    pub const ALL: [MailKind; 7] = [
        Self::Submitted,
        Self::Receipt,
        Self::Correction,
        Self::Extension,
        Self::Fee,
        Self::Reply,
        Self::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Receipt => "receipt",
            Self::Correction => "correction",
            Self::Extension => "extension",
            Self::Fee => "fee",
            Self::Reply => "reply",
            Self::Test => "test",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Submitted => "申请提交通知",
            Self::Receipt => "受理回执",
            Self::Correction => "补正告知",
            Self::Extension => "延期答复告知",
            Self::Fee => "收费通知",
            Self::Reply => "答复告知",
            Self::Test => "测试邮件",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a queued message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its first or next attempt.
    Pending,
    Sent,
    /// Given up after [`MAX_ATTEMPTS`]; needs a person.
    Failed,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "待发送",
            Self::Sent => "已发送",
            Self::Failed => "发送失败",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Sent, Self::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A message to be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundMail {
    pub kind: MailKind,
    /// The agency the message is sent for (scopes the console list).
    pub org_id: Option<crate::OrgId>,
    /// The case it belongs to, if any.
    pub case_id: Option<i64>,
    pub to: String,
    pub subject: String,
    /// Plain text; the dispatcher sends it as `text/plain; charset=utf-8`.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error("收件人电子邮箱格式不正确")]
    BadRecipient,
    #[error("邮件主题不能为空，且不超过 {MAX_SUBJECT_CHARS} 字")]
    BadSubject,
    #[error("邮件正文不能为空，且不超过 {MAX_BODY_CHARS} 字")]
    BadBody,
}

impl OutboundMail {
    /// Checks what the transport would otherwise refuse much later, when
    /// nobody is there to correct it. Header injection is impossible because
    /// a line break in the subject or recipient is refused here.
    pub fn validate(&self) -> Result<(), MailError> {
        let to = self.to.trim();
        if !is_email(to) || to.len() > 254 {
            return Err(MailError::BadRecipient);
        }
        let subject_len = self.subject.chars().count();
        if self.subject.trim().is_empty()
            || subject_len > MAX_SUBJECT_CHARS
            || self.subject.contains(['\r', '\n'])
        {
            return Err(MailError::BadSubject);
        }
        let body_len = self.body.chars().count();
        if self.body.trim().is_empty() || body_len > MAX_BODY_CHARS {
            return Err(MailError::BadBody);
        }
        Ok(())
    }
}

/// A message as stored in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: i64,
    pub mail: OutboundMail,
    pub status: MailStatus,
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    /// When the next attempt may be made (pending messages only).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The transport's last error, for staff; never contains the body.
    pub last_error: Option<String>,
}

/// The delay before attempt `attempts + 1`, after `attempts` failures:
/// 1, 2, 4 … minutes, capped at 6 hours, so that [`MAX_ATTEMPTS`] attempts
/// ride out a night's mail-server outage before a message is given up.
pub fn retry_delay(attempts: u32) -> Duration {
    let minutes = 1i64 << attempts.saturating_sub(1).min(16);
    Duration::minutes(minutes.min(6 * 60))
}

/// What to record after a failed attempt: the next attempt time, or `None`
/// when the message is given up.
pub fn after_failure(attempts_so_far: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let attempts = attempts_so_far + 1;
    (attempts < MAX_ATTEMPTS).then(|| now + retry_delay(attempts))
}

/// `zhang.san@example.cn` → `z***@example.cn`: enough to tell messages
/// apart on a screen others may see.
pub fn masked_recipient(addr: &str) -> String {
    match addr.split_once('@') {
        Some((local, domain)) => {
            format!("{}***@{domain}", local.chars().next().unwrap_or('*'))
        }
        None => "***".into(),
    }
}

/// Keeps an error text short and on one line before it is stored.
pub fn clean_error(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn mail() -> OutboundMail {
        OutboundMail {
            kind: MailKind::Receipt,
            org_id: Some(1),
            case_id: Some(7),
            to: "zhang@example.cn".into(),
            subject: "受理回执".into(),
            body: "您的申请已受理。".into(),
        }
    }

    #[test]
    fn validation_refuses_what_a_transport_would() {
        assert_eq!(mail().validate(), Ok(()));
        for to in [
            "",
            "no-at-sign",
            "a@b",
            "a b@example.cn",
            "x@example.cn\r\nBcc: y@z.cn",
        ] {
            let m = OutboundMail {
                to: to.into(),
                ..mail()
            };
            assert_eq!(m.validate(), Err(MailError::BadRecipient), "{to:?}");
        }
        let m = OutboundMail {
            subject: "a\nBcc: x@y.cn".into(),
            ..mail()
        };
        assert_eq!(m.validate(), Err(MailError::BadSubject));
        let m = OutboundMail {
            subject: "字".repeat(MAX_SUBJECT_CHARS + 1),
            ..mail()
        };
        assert_eq!(m.validate(), Err(MailError::BadSubject));
        let m = OutboundMail {
            body: "  ".into(),
            ..mail()
        };
        assert_eq!(m.validate(), Err(MailError::BadBody));
        let m = OutboundMail {
            body: "字".repeat(MAX_BODY_CHARS + 1),
            ..mail()
        };
        assert_eq!(m.validate(), Err(MailError::BadBody));
    }

    #[test]
    fn retries_back_off_and_stop() {
        assert_eq!(retry_delay(1), Duration::minutes(1));
        assert_eq!(retry_delay(2), Duration::minutes(2));
        assert_eq!(retry_delay(5), Duration::minutes(16));
        assert_eq!(retry_delay(9), Duration::minutes(256));
        assert_eq!(retry_delay(40), Duration::minutes(360));
        let now = Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).unwrap();
        assert_eq!(after_failure(0, now), Some(now + Duration::minutes(1)));
        assert!(after_failure(MAX_ATTEMPTS - 2, now).is_some());
        assert_eq!(after_failure(MAX_ATTEMPTS - 1, now), None);
        // The whole schedule, summed: long enough to ride out a night's outage.
        let total: i64 = (1..MAX_ATTEMPTS)
            .map(|a| retry_delay(a).num_minutes())
            .sum();
        assert!(total > 16 * 60, "{total}");
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in MailKind::ALL {
            assert_eq!(MailKind::parse(k.as_str()), Some(k));
        }
        for s in [MailStatus::Pending, MailStatus::Sent, MailStatus::Failed] {
            assert_eq!(MailStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn recipients_are_masked() {
        assert_eq!(masked_recipient("zhang.san@example.cn"), "z***@example.cn");
        assert_eq!(masked_recipient("broken"), "***");
    }

    #[test]
    fn errors_are_kept_short_and_on_one_line() {
        let e = clean_error(&format!("550 no\r\nsuch {}", "x".repeat(500)));
        assert!(!e.contains('\n') && !e.contains('\r'));
        assert_eq!(e.chars().count(), 300);
    }
}
