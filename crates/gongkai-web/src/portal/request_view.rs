//! How a disclosure request reads on screen, for the applicant's status
//! page and the staff case page: the timeline in plain Chinese, the clock
//! summary and the form fields of an application shared by the public form
//! and staff intake.

use crate::console::Choice;
use chrono::NaiveDate;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::request::applicant::ApplicantKind;
use gongkai_core::request::application::{ApplicationForm, DeliveryWay, ProvisionForm};
use gongkai_core::request::case::{CaseAction, CaseEntry, CaseStatus, RequestCase};
use gongkai_core::request::case_clock::{
    CaseClockError, CaseEvent, Channel, ClockPolicy, ConsultedParty, Phase,
};
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::IdDocType;
use serde::Deserialize;

/// `2026年03月02日`
pub fn cn_date(d: NaiveDate) -> String {
    d.format("%Y年%m月%d日").to_string()
}

/// One line of a timeline.
#[derive(Debug, Clone)]
pub struct TimelineItem {
    pub date: String,
    pub text: String,
}

fn party(p: ConsultedParty) -> &'static str {
    match p {
        ConsultedParty::ThirdParty => "第三方",
        ConsultedParty::OtherAgency => "其他行政机关",
    }
}

/// What an entry means to the applicant; `None` for internal entries
/// (notes, assignment), which the applicant never sees.
pub fn public_text(action: &CaseAction) -> Option<String> {
    Some(match action {
        CaseAction::Received { channel, .. } => match channel {
            Channel::Online => "通过网上申请平台提交申请".into(),
            Channel::SignedPost => "本机关签收邮寄的申请".into(),
            Channel::InPerson => "当面提交申请".into(),
            Channel::OrdinaryLetter => "本机关收到以平常信函寄送的申请".into(),
            Channel::Fax => "本机关收到传真提交的申请".into(),
        },
        CaseAction::Confirm { .. } => "本机关确认收到申请并出具受理回执，此日为收到申请之日".into(),
        CaseAction::Clock { event } => match event {
            CaseEvent::CorrectionRequested { reply_by, .. } => format!(
                "本机关告知需要补正申请内容，请于{}前补正；补正前答复期限不计算",
                cn_date(*reply_by)
            ),
            CaseEvent::CorrectionReceived { .. } => "收到补正后的申请，答复期限自此重新计算".into(),
            CaseEvent::Extended { working_days, .. } => {
                format!("经批准，答复期限延长{working_days}个工作日")
            }
            CaseEvent::ConsultationSent { party: p, .. } => {
                format!("征求{}意见，征求意见期间不计入答复期限", party(*p))
            }
            CaseEvent::ConsultationAnswered { .. } => "征求意见结束，继续计算答复期限".into(),
            CaseEvent::FeeNoticeSent { .. } => "发出收费通知，缴费期间不计入答复期限".into(),
            CaseEvent::FeePaid { .. } => "收到申请人缴纳的信息处理费".into(),
        },
        CaseAction::Note | CaseAction::Assign { .. } => return None,
        CaseAction::Close { closing, .. } => {
            format!("办结，办理结果：{}", closing.outcome().label())
        }
    })
}

/// What staff see for an entry: the public wording, or the internal one.
pub fn staff_text(e: &CaseEntry) -> String {
    match &e.action {
        CaseAction::Note => "内部备注".into(),
        CaseAction::Assign { handler: Some(_) } => "分派承办人".into(),
        CaseAction::Assign { handler: None } => "取消分派".into(),
        a => public_text(a).unwrap_or_default(),
    }
}

/// The applicant's timeline.
pub fn public_timeline(case: &RequestCase) -> Vec<TimelineItem> {
    case.entries
        .iter()
        .filter_map(|e| {
            let text = public_text(&e.action)?;
            let date = e
                .action
                .date()
                .map_or_else(|| cn_date(e.at.date_naive()), cn_date);
            Some(TimelineItem { date, text })
        })
        .collect()
}

/// The clock as a page shows it.
#[derive(Debug, Clone, Default)]
pub struct ClockView {
    /// Short phase for list rows (待确认, 计时中, 暂停计时, 待补正 …).
    pub phase: &'static str,
    /// One sentence on where the case stands.
    pub summary: String,
    /// 答复期限 (`None` before confirmation, while awaiting 补正, when closed,
    /// or when the calendar lacks a year).
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    /// The "why this is the due date" lines.
    pub explain: Vec<String>,
    /// The calendar cannot compute the deadline (a year is missing).
    pub problem: Option<String>,
}

pub fn clock_view(case: &RequestCase, cal: &WorkdayCalendar, today: NaiveDate) -> ClockView {
    match case.status {
        CaseStatus::Unconfirmed => {
            return ClockView {
                phase: "待确认收到",
                summary: "等待本机关确认收到申请；确认之日为收到申请之日，答复期限自次日起计算"
                    .into(),
                ..Default::default()
            };
        }
        CaseStatus::Closed => {
            return ClockView {
                phase: "已办结",
                summary: match case.closed_on {
                    Some(d) => format!("已于{}办结", cn_date(d)),
                    None => "已办结".into(),
                },
                ..Default::default()
            };
        }
        CaseStatus::Open | CaseStatus::AwaitingCorrection => {}
    }
    let status = case
        .clock(ClockPolicy::default())
        .ok_or_else(|| CaseClockError::Invalid("收到申请之日未知".into()))
        .and_then(|c| c?.status(cal, today));
    let status = match status {
        Ok(s) => s,
        Err(e) => {
            return ClockView {
                phase: "期限无法计算",
                summary: "答复期限暂时无法计算".into(),
                problem: Some(e.to_string()),
                ..Default::default()
            };
        }
    };
    let (phase, summary, due) = match (&status.phase, &status.reply) {
        (Phase::AwaitingCorrection { reply_by }, _) => (
            "待补正",
            format!(
                "等待申请人补正（补正期限{}）；收到补正后重新计算答复期限",
                cn_date(*reply_by)
            ),
            None,
        ),
        (Phase::Suspended { reasons }, Some(r)) => (
            "暂停计时",
            format!(
                "答复期限暂停计算（{}）；按目前情况，答复期限不早于{}",
                reasons.join("、"),
                cn_date(r.due)
            ),
            Some(r.due),
        ),
        (_, Some(r)) => (
            "计时中",
            format!("办理中，答复期限为{}", cn_date(r.due)),
            Some(r.due),
        ),
        (_, None) => ("计时中", "办理中".into(), None),
    };
    ClockView {
        phase,
        summary,
        due,
        overdue: status.is_overdue(today),
        explain: status
            .reply
            .as_ref()
            .map(|r| r.explain().lines().map(str::to_string).collect())
            .unwrap_or_default(),
        problem: None,
    }
}

// ---------- the application's form fields ----------

/// The application fields as posted (flat, for HTML forms); shared by the
/// public form and staff intake so both validate the same way.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApplicationFields {
    pub applicant_kind: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub postal_address: String,
    pub postcode: String,
    pub info_title: String,
    pub info_doc_number: String,
    pub info_description: String,
    pub provision_form: String,
    pub delivery: String,
}

impl ApplicationFields {
    pub fn to_form(&self) -> ApplicationForm {
        ApplicationForm {
            applicant_kind: self.applicant_kind.clone(),
            name: self.name.clone(),
            id_type: self.id_type.clone(),
            id_number: self.id_number.clone(),
            contact_person: self.contact_person.clone(),
            contact: ContactForm {
                phone: self.phone.clone(),
                email: self.email.clone(),
                postal_address: self.postal_address.clone(),
                postcode: self.postcode.clone(),
            },
            info_title: self.info_title.clone(),
            info_doc_number: self.info_doc_number.clone(),
            info_description: self.info_description.clone(),
            provision_form: self.provision_form.clone(),
            delivery: self.delivery.clone(),
        }
    }

    /// The `<select>` options with the current input selected.
    pub fn choices(&self) -> ApplicationChoices {
        let blank = |label: &str| Choice::new("", label, "x");
        let mut natural = vec![blank("请选择")];
        let mut organisations = Vec::new();
        for k in ApplicantKind::ALL {
            let c = Choice::new(k.column_key(), k.label(), &self.applicant_kind);
            if k.is_natural() {
                natural.push(c);
            } else {
                organisations.push(c);
            }
        }
        let mut id_types = vec![blank("请选择")];
        id_types.extend(
            IdDocType::ALL
                .iter()
                .map(|t| Choice::new(t.as_str(), t.label(), &self.id_type)),
        );
        let mut provision_forms = vec![blank("请选择")];
        provision_forms.extend(
            ProvisionForm::ALL
                .iter()
                .map(|f| Choice::new(f.as_str(), f.label(), &self.provision_form)),
        );
        let mut deliveries = vec![blank("请选择")];
        deliveries.extend(
            DeliveryWay::ALL
                .iter()
                .map(|w| Choice::new(w.as_str(), w.label(), &self.delivery)),
        );
        ApplicationChoices {
            natural,
            organisations,
            id_types,
            provision_forms,
            deliveries,
        }
    }
}

/// Options of the application form's selects.
pub struct ApplicationChoices {
    /// The blank option and 自然人.
    pub natural: Vec<Choice>,
    /// The 法人或其他组织 sub-types (an `<optgroup>`).
    pub organisations: Vec<Choice>,
    pub id_types: Vec<Choice>,
    pub provision_forms: Vec<Choice>,
    pub deliveries: Vec<Choice>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::request::closing::{Closing, ClosingDetails};
    use gongkai_core::request::outcome::Outcome;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn internal_entries_never_reach_the_applicant() {
        assert_eq!(public_text(&CaseAction::Note), None);
        assert_eq!(public_text(&CaseAction::Assign { handler: Some(3) }), None);
        let close = CaseAction::Close {
            on: d("2026-03-20"),
            closing: Closing::new(
                Outcome::RejectPetition,
                ClosingDetails::Petition { channel: None },
            )
            .unwrap(),
        };
        assert_eq!(
            public_text(&close).unwrap(),
            "办结，办理结果：不予处理·信访举报投诉类申请"
        );
        let ask = CaseAction::Clock {
            event: CaseEvent::CorrectionRequested {
                on: d("2026-03-04"),
                reply_by: d("2026-03-18"),
            },
        };
        assert_eq!(
            public_text(&ask).unwrap(),
            "本机关告知需要补正申请内容，请于2026年03月18日前补正；补正前答复期限不计算"
        );
    }

    #[test]
    fn choices_keep_the_input_and_group_organisations() {
        let f = ApplicationFields {
            applicant_kind: "legal_service".into(),
            provision_form: "paper".into(),
            ..Default::default()
        };
        let c = f.choices();
        assert_eq!(c.natural.len(), 2);
        assert_eq!(c.organisations.len(), 5);
        let selected: Vec<&str> = c
            .organisations
            .iter()
            .filter(|x| x.selected)
            .map(|x| x.label.as_str())
            .collect();
        assert_eq!(selected, ["法律服务机构"]);
        assert!(
            c.provision_forms
                .iter()
                .any(|x| x.selected && x.value == "paper")
        );
        assert!(!c.natural[0].selected);
    }
}
