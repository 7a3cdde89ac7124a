//! What each outcome must state in the reply (条例第三十六–三十九条): the
//! per-outcome fields, a form for them and its validation.

use super::outcome::Outcome;
use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};

const REASON_MAX: usize = 2000;
const LINE_MAX: usize = 200;
const WHERE_MAX: usize = 500;

/// The agency responsible for the information (第三十六条第（五）项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetentAgency {
    pub name: String,
    pub contact: String,
}

/// The facts the reply notice of an outcome needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClosingDetails {
    /// 第三十六条第（一）项: already published; where and how to get it.
    AlreadyPublic { where_to_find: String },
    /// 第三十六条第（二）项: provided to the applicant (the delivery itself
    /// is recorded with the case).
    Provided,
    /// 部分公开 and every 不予公开 ground: why (the part) is withheld
    /// (第三十六条第（三）项 "说明理由", 第三十七条).
    Withheld { reason: String },
    /// 第三十六条第（四）项: searched, the information does not exist.
    NotExist { search_note: Option<String> },
    /// 第三十六条第（五）项: not this agency's to disclose. The competent
    /// agency is named "能够确定的"; `None` means it could not be determined.
    NotThisAgency {
        reason: String,
        competent: Option<CompetentAgency>,
    },
    /// Outcomes whose notice states the agency's reasoning (需另行制作,
    /// 补正后仍不明确, 大量反复, 确认或重新出具).
    Reasoned { reason: String },
    /// 第三十九条第一款: may name the proper channel.
    Petition { channel: Option<String> },
    /// 第三十六条第（六）项: the earlier reply (文号 or date).
    Repeat { previous_reply: String },
    /// 第三十九条第二款: may say where to obtain the publication.
    Publication { how_to_obtain: Option<String> },
    /// 逾期不补正 / 逾期未缴费: the case facts (deadlines) say it all.
    Lapsed,
    /// 其他处理·其他: what happened (e.g. 申请人撤回申请).
    Other { description: String },
}

impl ClosingDetails {
    /// Whether these details belong to `outcome`.
    pub fn fits(&self, outcome: Outcome) -> bool {
        use Outcome::*;
        match self {
            Self::AlreadyPublic { .. } | Self::Provided => outcome == Disclosed,
            Self::Withheld { .. } => matches!(
                outcome.family(),
                super::outcome::OutcomeFamily::Partial | super::outcome::OutcomeFamily::Refuse
            ),
            Self::NotExist { .. } | Self::NotThisAgency { .. } => outcome == UnableNotHeld,
            Self::Reasoned { .. } => matches!(
                outcome,
                UnableNeedsCreation | UnableStillUnclear | RejectExcessive | RejectConfirmReissue
            ),
            Self::Petition { .. } => outcome == RejectPetition,
            Self::Repeat { .. } => outcome == RejectRepeat,
            Self::Publication { .. } => outcome == RejectPublication,
            Self::Lapsed => matches!(outcome, OtherNoCorrection | OtherNoFee),
            Self::Other { .. } => outcome == OtherOther,
        }
    }
}

/// A validated closing: an outcome with the details it requires. The
/// fields are private so that a mismatched pair cannot be built, also not
/// by deserialising.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawClosing")]
pub struct Closing {
    outcome: Outcome,
    details: ClosingDetails,
}

#[derive(Deserialize)]
struct RawClosing {
    outcome: Outcome,
    details: ClosingDetails,
}

impl TryFrom<RawClosing> for Closing {
    type Error = String;
    fn try_from(r: RawClosing) -> Result<Self, String> {
        let key = r.outcome.key();
        Self::new(r.outcome, r.details).ok_or_else(|| format!("办理结果 {key} 与所填内容不符"))
    }
}

impl Closing {
    /// `None` when the details do not belong to the outcome (e.g. data
    /// reloaded from storage that was tampered with).
    pub fn new(outcome: Outcome, details: ClosingDetails) -> Option<Self> {
        details.fits(outcome).then_some(Self { outcome, details })
    }

    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    pub fn details(&self) -> &ClosingDetails {
        &self.details
    }

    /// The provision cited: the specific item where the details narrow it.
    pub fn legal_basis(&self) -> Option<&'static str> {
        match &self.details {
            ClosingDetails::AlreadyPublic { .. } => {
                Some("《中华人民共和国政府信息公开条例》第三十六条第（一）项")
            }
            ClosingDetails::Provided => {
                Some("《中华人民共和国政府信息公开条例》第三十六条第（二）项")
            }
            ClosingDetails::NotExist { .. } => {
                Some("《中华人民共和国政府信息公开条例》第三十六条第（四）项")
            }
            ClosingDetails::NotThisAgency { .. } => {
                Some("《中华人民共和国政府信息公开条例》第三十六条第（五）项")
            }
            _ => self.outcome.legal_basis(),
        }
    }
}

/// The raw closing form. Which fields are read depends on the outcome.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ClosingForm {
    /// An [`Outcome::key`].
    pub outcome: String,
    /// For 予以公开: `already_public` or `provided`.
    pub disclosed_kind: String,
    pub where_to_find: String,
    /// For 本机关不掌握: `not_exist` or `not_this_agency`.
    pub not_held_kind: String,
    pub reason: String,
    pub competent_agency: String,
    pub competent_agency_contact: String,
    /// 非本机关 and the competent agency cannot be determined.
    pub competent_unknown: bool,
    pub previous_reply: String,
    pub hint: String,
}

impl ClosingForm {
    pub fn validate(&self) -> Result<Closing, FieldErrors> {
        let mut e = FieldErrors::new();
        let Some(outcome) = Outcome::parse(&self.outcome) else {
            e.add("outcome", "请选择办理结果");
            return Err(e);
        };
        let reason = |e: &mut FieldErrors, label: &str| {
            let r = text::optional_text(e, "reason", label, &self.reason, REASON_MAX);
            if r.is_empty() {
                e.add("reason", format!("请填写{label}"));
            }
            r
        };
        use Outcome::*;
        let details = match outcome {
            Disclosed => match self.disclosed_kind.trim() {
                "already_public" => ClosingDetails::AlreadyPublic {
                    where_to_find: where_to_find(&mut e, &self.where_to_find),
                },
                "provided" => ClosingDetails::Provided,
                _ => {
                    e.add("disclosed_kind", "请选择“已主动公开”或“向申请人提供”");
                    ClosingDetails::Provided
                }
            },
            Partial => ClosingDetails::Withheld {
                reason: reason(&mut e, "不予公开部分的理由"),
            },
            DenyStateSecret
            | DenyLawProhibited
            | DenySecurityStability
            | DenyThirdParty
            | DenyInternalAffairs
            | DenyProcessInfo
            | DenyEnforcementFile
            | DenyQueryMatter => ClosingDetails::Withheld {
                reason: reason(&mut e, "不予公开的理由"),
            },
            UnableNotHeld => match self.not_held_kind.trim() {
                "not_exist" => ClosingDetails::NotExist {
                    search_note: Some(text::optional_text(
                        &mut e,
                        "reason",
                        "检索情况说明",
                        &self.reason,
                        REASON_MAX,
                    ))
                    .filter(|s| !s.is_empty()),
                },
                "not_this_agency" => {
                    let reason = reason(&mut e, "不属于本机关负责公开的理由");
                    let competent = if self.competent_unknown {
                        None
                    } else {
                        let name = text::required(
                            &mut e,
                            "competent_agency",
                            "负责公开的行政机关名称",
                            &self.competent_agency,
                            LINE_MAX,
                        );
                        let contact = text::required(
                            &mut e,
                            "competent_agency_contact",
                            "该行政机关的联系方式",
                            &self.competent_agency_contact,
                            LINE_MAX,
                        );
                        Some(CompetentAgency { name, contact })
                    };
                    ClosingDetails::NotThisAgency { reason, competent }
                }
                _ => {
                    e.add(
                        "not_held_kind",
                        "请选择“信息不存在”或“不属于本机关负责公开”",
                    );
                    ClosingDetails::NotExist { search_note: None }
                }
            },
            UnableNeedsCreation | UnableStillUnclear | RejectExcessive | RejectConfirmReissue => {
                ClosingDetails::Reasoned {
                    reason: reason(&mut e, "理由"),
                }
            }
            RejectPetition => ClosingDetails::Petition {
                channel: text::optional(&mut e, "hint", "相应渠道", &self.hint, LINE_MAX),
            },
            RejectRepeat => ClosingDetails::Repeat {
                previous_reply: text::required(
                    &mut e,
                    "previous_reply",
                    "此前答复的文号或日期",
                    &self.previous_reply,
                    LINE_MAX,
                ),
            },
            RejectPublication => ClosingDetails::Publication {
                how_to_obtain: text::optional(&mut e, "hint", "获取途径", &self.hint, LINE_MAX),
            },
            OtherNoCorrection | OtherNoFee => ClosingDetails::Lapsed,
            OtherOther => ClosingDetails::Other {
                description: reason(&mut e, "处理情况说明"),
            },
        };
        let closing = Closing::new(outcome, details);
        match closing {
            Some(c) => e.into_result(c),
            None => {
                e.add("outcome", "办理结果与所填内容不符");
                Err(e)
            }
        }
    }
}

/// Where an already published item is found: a web address or a
/// description (e.g. 政府公报 2024年第3期). A web address must be http(s).
fn where_to_find(e: &mut FieldErrors, v: &str) -> String {
    let v = text::required(e, "where_to_find", "获取途径（网址或出处）", v, WHERE_MAX);
    if v.contains("://") || v.starts_with("www.") {
        let ok = (v.starts_with("http://") || v.starts_with("https://"))
            && !v.contains(' ')
            && v.split("://").nth(1).is_some_and(|rest| rest.contains('.'));
        if !ok {
            e.add(
                "where_to_find",
                "网址应以 http:// 或 https:// 开头，且不含空格",
            );
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(outcome: &str) -> ClosingForm {
        ClosingForm {
            outcome: outcome.into(),
            ..Default::default()
        }
    }

    #[test]
    fn already_public_needs_where_to_find_it() {
        let mut f = form("disclosed");
        f.disclosed_kind = "already_public".into();
        let e = f.validate().unwrap_err();
        assert_eq!(e.get("where_to_find"), Some("请填写获取途径（网址或出处）"));
        f.where_to_find = "htp://example".into();
        assert!(f.validate().unwrap_err().get("where_to_find").is_some());
        f.where_to_find = "https://www.example.gov.cn/zwgk/2024/01.html".into();
        let c = f.validate().unwrap();
        assert_eq!(c.outcome(), Outcome::Disclosed);
        assert!(c.legal_basis().unwrap().ends_with("第三十六条第（一）项"));
        f.where_to_find = "青岚市人民政府公报2024年第3期".into();
        assert!(f.validate().is_ok());
    }

    #[test]
    fn refusal_needs_a_reason() {
        let f = form("deny.third_party");
        assert_eq!(
            f.validate().unwrap_err().get("reason"),
            Some("请填写不予公开的理由")
        );
        let mut f = form("deny.third_party");
        f.reason = "涉及第三方个人隐私，第三方不同意公开".into();
        let c = f.validate().unwrap();
        assert_eq!(c.outcome(), Outcome::DenyThirdParty);
        assert!(
            matches!(c.details(), ClosingDetails::Withheld { reason } if reason.contains("隐私"))
        );
    }

    #[test]
    fn not_this_agency_names_the_competent_agency_unless_unknown() {
        let mut f = form("unable.not_held");
        f.not_held_kind = "not_this_agency".into();
        f.reason = "该信息由市自然资源局制作并保存".into();
        let e = f.validate().unwrap_err();
        assert!(e.get("competent_agency").is_some());
        assert!(e.get("competent_agency_contact").is_some());
        f.competent_agency = "青岚市自然资源局".into();
        f.competent_agency_contact = "0731-88886666".into();
        let c = f.validate().unwrap();
        assert!(matches!(
            c.details(),
            ClosingDetails::NotThisAgency { competent: Some(a), .. } if a.name == "青岚市自然资源局"
        ));
        assert!(c.legal_basis().unwrap().ends_with("第（五）项"));
        let mut f2 = f.clone();
        f2.competent_agency.clear();
        f2.competent_agency_contact.clear();
        f2.competent_unknown = true;
        assert!(matches!(
            f2.validate().unwrap().details(),
            ClosingDetails::NotThisAgency {
                competent: None,
                ..
            }
        ));
    }

    #[test]
    fn not_held_requires_choosing_which_case() {
        let f = form("unable.not_held");
        assert!(f.validate().unwrap_err().get("not_held_kind").is_some());
        let mut f = form("unable.not_held");
        f.not_held_kind = "not_exist".into();
        let c = f.validate().unwrap();
        assert_eq!(c.details(), &ClosingDetails::NotExist { search_note: None });
    }

    #[test]
    fn repeat_needs_the_previous_reply_and_lapses_need_nothing() {
        assert!(
            form("reject.repeat")
                .validate()
                .unwrap_err()
                .get("previous_reply")
                .is_some()
        );
        let c = form("other.no_fee").validate().unwrap();
        assert_eq!(c.details(), &ClosingDetails::Lapsed);
        assert_eq!(
            form("no.such").validate().unwrap_err().get("outcome"),
            Some("请选择办理结果")
        );
    }

    #[test]
    fn every_outcome_has_a_valid_form() {
        for o in Outcome::ALL {
            let f = ClosingForm {
                outcome: o.key().into(),
                disclosed_kind: "provided".into(),
                not_held_kind: "not_exist".into(),
                reason: "理由".into(),
                previous_reply: "青政公开〔2024〕12号".into(),
                ..Default::default()
            };
            assert_eq!(f.validate().unwrap().outcome(), o);
        }
    }

    #[test]
    fn a_closing_survives_a_round_trip_but_a_mismatch_does_not_load() {
        let c = Closing::new(
            Outcome::RejectRepeat,
            ClosingDetails::Repeat {
                previous_reply: "青政公开〔2024〕12号".into(),
            },
        )
        .unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Closing>(&json).unwrap(), c);
        let bad = json.replace("reject.repeat", "disclosed");
        assert!(serde_json::from_str::<Closing>(&bad).is_err());
    }

    #[test]
    fn details_must_fit_the_outcome() {
        assert!(Closing::new(Outcome::RejectRepeat, ClosingDetails::Lapsed).is_none());
        assert!(
            Closing::new(
                Outcome::DenyStateSecret,
                ClosingDetails::Withheld { reason: "x".into() }
            )
            .is_some()
        );
    }
}
