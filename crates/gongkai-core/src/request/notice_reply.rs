//! The reply notice (答复告知书): one text per outcome, the legal table, and
//! the reply lint that mirrors what third-party evaluators check (legal
//! basis cited, reasons given, the competent agency named, the remedy
//! notice with its organ and time limits, the 文号, timeliness).

use super::{
    CaseFacts, Element, LintError, Lints, Notice, NoticeKind, Paragraph, REGULATION, Role,
    check_doc_number, check_issued_on, cn_date, para, sentence,
};
use crate::request::application::DeliveryWay;
use crate::request::case_clock::{ClockStatus, REPLY_WORKING_DAYS};
use crate::request::closing::{Closing, ClosingDetails};
use crate::request::outcome::Outcome;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the remedy notice (告知救济途径) reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemedyPath {
    /// 行政复议 within 60 days of receiving the reply (行政复议法), or
    /// 行政诉讼 within 6 months (行政诉讼法).
    ReviewOrLitigation,
    /// \[R\] 行政复议前置: the 2023 revision of the 行政复议法 (in force
    /// 2024-01-01, 第二十三条第一款第（四）项 as recalled, not retrieved
    /// from a source) makes review mandatory before litigation when "申请
    /// 政府信息公开，行政机关不予公开". Litigation then lies within 15 days
    /// of receiving the review decision (行政诉讼法 第四十五条, recalled).
    ReviewFirst,
}

impl RemedyPath {
    pub fn verified(self) -> bool {
        match self {
            Self::ReviewOrLitigation => true,
            Self::ReviewFirst => false,
        }
    }
}

/// Where the handler must name a law or a basis that the outcome alone
/// does not determine. The label says what to name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpecificBasis {
    NotUsed,
    Required(&'static str),
    Optional(&'static str),
}

/// What the reply of one outcome cites and which remedy it states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeRule {
    /// The item of 第三十六条 (what the reply does) cited in addition to
    /// the ground article of [`Closing::legal_basis`], e.g. 第三十六条第（三）项
    /// for every 不予公开 ground.
    pub reply_item: Option<&'static str>,
    pub remedy: RemedyPath,
    pub specific_basis: SpecificBasis,
}

impl NoticeRule {
    /// False where any part of the rule for `outcome` is marked \[R\].
    pub fn verified(&self, outcome: Outcome) -> bool {
        outcome.basis_verified()
            && self.remedy.verified()
            && !matches!(outcome, Outcome::OtherOther)
    }
}

/// The legal table of the reply, one row per outcome (exhaustive: a new
/// outcome does not compile until it has a row).
///
/// * 予以公开: the item of 第三十六条 comes from the details
///   (第（一）项 已主动公开 / 第（二）项 提供), see [`Closing::legal_basis`].
/// * 部分公开: 第三十七条 with 第三十六条第（二）项 (the part provided) and
///   第（三）项 (the part withheld, with reasons).
/// * 不予公开 1–7: 第十四/十五/十六条 with 第三十六条第（三）项. For 其他法律
///   行政法规禁止公开 the prohibiting law must be named.
/// * 不予公开 8 行政查询事项: \[R\] 第三十六条第（七）项; the law with the
///   special procedure must be named, the applicant is told to use it.
/// * 无法提供, 不予处理, 逾期不补正: the article of [`Outcome::legal_basis`].
/// * \[R\] 确认或重新出具: no article names it; the handler states the basis.
/// * \[R\] 逾期未缴费: the 信息处理费办法, article not retrieved.
/// * \[R\] 其他: e.g. withdrawal; a basis is stated only if the handler gives one.
/// * Remedy: \[R\] review first for 部分公开 and every 不予公开 ground
///   ([`RemedyPath::ReviewFirst`]); review or litigation for the rest.
pub fn rule(outcome: Outcome) -> NoticeRule {
    use Outcome::*;
    use RemedyPath::*;
    use SpecificBasis::*;
    let (reply_item, remedy, specific_basis) = match outcome {
        Disclosed => (None, ReviewOrLitigation, NotUsed),
        Partial => (
            Some("第三十六条第（二）项、第（三）项"),
            ReviewFirst,
            NotUsed,
        ),
        DenyStateSecret
        | DenySecurityStability
        | DenyThirdParty
        | DenyInternalAffairs
        | DenyProcessInfo
        | DenyEnforcementFile => (Some("第三十六条第（三）项"), ReviewFirst, NotUsed),
        DenyLawProhibited => (
            Some("第三十六条第（三）项"),
            ReviewFirst,
            Required("禁止公开该信息的法律、行政法规（名称及条款）"),
        ),
        DenyQueryMatter => (
            None,
            ReviewFirst,
            Required("对该信息的获取有特别规定的法律、行政法规（名称）"),
        ),
        UnableNotHeld | UnableNeedsCreation | UnableStillUnclear => {
            (None, ReviewOrLitigation, NotUsed)
        }
        RejectPetition | RejectRepeat | RejectPublication | RejectExcessive => {
            (None, ReviewOrLitigation, NotUsed)
        }
        RejectConfirmReissue => (
            None,
            ReviewOrLitigation,
            Required("不予处理的依据（法律规定或政策文件）"),
        ),
        OtherNoCorrection | OtherNoFee => (None, ReviewOrLitigation, NotUsed),
        OtherOther => (None, ReviewOrLitigation, Optional("处理依据（如有）")),
    };
    NoticeRule {
        reply_item,
        remedy,
        specific_basis,
    }
}

/// How the information reaches the applicant (第三十六条第（二）项 "提供…
/// 或者告知…获取的方式、途径和时间", 第四十条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub way: DeliveryWay,
    /// Where and when for 当面领取 (required), the address for 网上获取
    /// (required); optional remarks otherwise.
    pub note: String,
}

/// The 补正 of the case, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionFacts {
    pub requested_on: NaiveDate,
    pub reply_by: NaiveDate,
    pub received_on: Option<NaiveDate>,
}

/// The fee notice of the case, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeFacts {
    pub notice_on: NaiveDate,
    pub pay_by: NaiveDate,
}

/// Everything a reply notice states. Plain data: the store supplies the
/// case, the allocated 文号 and the agency's remedy bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyInput {
    pub facts: CaseFacts,
    /// Allocated by the store's per-agency sequence.
    pub doc_number: String,
    pub correction: Option<CorrectionFacts>,
    pub fee: Option<FeeFacts>,
    pub closing: Closing,
    /// See [`SpecificBasis`]; ignored for outcomes that do not use it.
    pub specific_basis: String,
    /// Used when information is provided (予以公开·提供, 部分公开).
    pub delivery: Delivery,
    pub attachments: Vec<String>,
    /// 行政复议机关 (e.g. 本级人民政府; for vertically managed agencies the
    /// higher department).
    pub review_organ: String,
    /// The court for 行政诉讼 (e.g. 青岚市岳麓区人民法院).
    pub court: String,
    pub issued_on: NaiveDate,
}

/// All reasons not to issue `input` on `today`; `clock` must be the case's
/// status as of `today`. Empty means the notice may be issued.
///
/// A reply after the 20-working-day due date needs an extension on record
/// (approved by the 工作机构负责人, 第三十三条第二款); an extension
/// approved after the deadline is allowed by the clock but flagged there
/// (`extension_approved_late`). A reply past the *extended* due date is
/// not refused: only one extension exists, so refusing would leave the
/// case with no lawful way to close.
pub fn lint(input: &ReplyInput, clock: &ClockStatus, today: NaiveDate) -> Vec<LintError> {
    let mut l = input.content_lints();
    if input.issued_on > today {
        l.add(
            Element::IssueDate,
            format!("成文日期 {} 晚于今天", cn_date(input.issued_on)),
        );
    }
    let outcome = input.closing.outcome();
    match outcome {
        Outcome::OtherNoCorrection if clock.lapsed != Some(Outcome::OtherNoCorrection) => l.add(
            Element::Timeliness,
            "补正期限尚未届满或已收到补正，不能以“申请人逾期不补正”办结",
        ),
        Outcome::OtherNoFee if clock.lapsed != Some(Outcome::OtherNoFee) => l.add(
            Element::Timeliness,
            "缴费期限尚未届满或已缴费，不能以“申请人逾期未缴纳费用”办结",
        ),
        _ => {}
    }
    if let Some(due) = &clock.reply
        && today > due.due
        && due.working_days <= REPLY_WORKING_DAYS
    {
        l.add(
            Element::Timeliness,
            format!(
                "答复期限已于{}届满，且没有经批准的延期记录：请先报政府信息公开工作机构负责人批准延期（第三十三条第二款）",
                cn_date(due.due)
            ),
        );
    }
    l.0
}

/// [`lint`], then the notice.
pub fn issue(
    input: &ReplyInput,
    clock: &ClockStatus,
    today: NaiveDate,
) -> Result<Notice, Vec<LintError>> {
    let errors = lint(input, clock, today);
    if errors.is_empty() {
        Ok(input.build())
    } else {
        Err(errors)
    }
}

impl ReplyInput {
    /// The notice without the clock checks (a draft for the handler to
    /// read before issuing); still refuses missing elements.
    pub fn draft(&self) -> Result<Notice, Vec<LintError>> {
        self.content_lints().into_result(|| self.build())
    }

    fn rule(&self) -> NoticeRule {
        rule(self.closing.outcome())
    }

    fn content_lints(&self) -> Lints {
        let mut l = Lints::default();
        self.facts.check(&mut l);
        check_doc_number(&mut l, &self.doc_number);
        check_issued_on(&mut l, &self.facts, self.issued_on);
        let outcome = self.closing.outcome();
        let r = self.rule();
        if let SpecificBasis::Required(label) = r.specific_basis
            && self.specific_basis.trim().is_empty()
        {
            l.add(Element::LegalBasis, format!("缺少法律依据：请写明{label}"));
        }
        // A guard for outcomes added later: every reply cites something
        // unless the handler's basis is optional.
        if self.citation().is_none() && matches!(r.specific_basis, SpecificBasis::NotUsed) {
            l.add(Element::LegalBasis, "缺少法律依据");
        }
        let reason = |l: &mut Lints, text: &str, what: &str| {
            if text.trim().is_empty() {
                l.add(Element::Reasons, format!("缺少理由：{what}"));
            }
        };
        match self.closing.details() {
            ClosingDetails::AlreadyPublic { where_to_find } => {
                if where_to_find.trim().is_empty() {
                    l.add(
                        Element::WhereToFind,
                        "缺少获取途径：已主动公开的，应告知获取该政府信息的方式、途径（第三十六条第（一）项）",
                    );
                }
            }
            ClosingDetails::Provided => self.check_delivery(&mut l),
            ClosingDetails::Withheld { reason: r } => {
                reason(&mut l, r, "不予公开的，应说明理由（第三十六条第（三）项）");
                if outcome == Outcome::Partial {
                    self.check_delivery(&mut l);
                }
            }
            ClosingDetails::NotExist { .. } => {}
            ClosingDetails::NotThisAgency {
                reason: r,
                competent,
            } => {
                reason(
                    &mut l,
                    r,
                    "不属于本机关负责公开的，应说明理由（第三十六条第（五）项）",
                );
                if let Some(a) = competent
                    && (a.name.trim().is_empty() || a.contact.trim().is_empty())
                {
                    l.add(
                        Element::CompetentAgency,
                        "缺少负责公开的行政机关的名称或联系方式（第三十六条第（五）项）",
                    );
                }
            }
            ClosingDetails::Reasoned { reason: r } => reason(&mut l, r, "应说明作出该处理的理由"),
            ClosingDetails::Petition { .. } | ClosingDetails::Publication { .. } => {}
            ClosingDetails::Repeat { previous_reply } => {
                if previous_reply.trim().is_empty() {
                    l.add(
                        Element::PreviousReply,
                        "缺少此前答复：请写明此前答复的文号或日期",
                    );
                }
            }
            ClosingDetails::Lapsed => {
                if outcome == Outcome::OtherNoCorrection && self.correction.is_none() {
                    l.add(
                        Element::CorrectionFacts,
                        "缺少补正告知情况：没有补正告知记录，不能以“逾期不补正”办结",
                    );
                }
                if outcome == Outcome::OtherNoFee && self.fee.is_none() {
                    l.add(
                        Element::FeeFacts,
                        "缺少收费通知情况：没有收费通知记录，不能以“逾期未缴费”办结",
                    );
                }
            }
            ClosingDetails::Other { description } => reason(&mut l, description, "请写明处理情况"),
        }
        if self.review_organ.trim().is_empty() {
            l.add(
                Element::ReviewOrgan,
                "缺少行政复议机关：救济途径告知应写明向哪一机关申请行政复议",
            );
        }
        if self.court.trim().is_empty() {
            l.add(
                Element::Court,
                "缺少行政诉讼的人民法院：救济途径告知应写明向哪一人民法院提起行政诉讼",
            );
        }
        l
    }

    fn check_delivery(&self, l: &mut Lints) {
        let needs_note = match self.delivery.way {
            DeliveryWay::Pickup => Some("当面领取的，应告知领取的地点和时间"),
            DeliveryWay::Online => Some("网上获取的，应告知获取的网址"),
            DeliveryWay::Post | DeliveryWay::Email | DeliveryWay::Fax => None,
        };
        if let Some(m) = needs_note
            && self.delivery.note.trim().is_empty()
        {
            l.add(Element::Delivery, format!("缺少提供方式说明：{m}"));
        }
    }

    /// The citation: the ground article, the 第三十六条 item, and the law
    /// named by the handler where the rule asks for one.
    fn citation(&self) -> Option<String> {
        let r = self.rule();
        let specific = self.specific_basis.trim();
        let primary = match (self.closing.legal_basis(), r.reply_item) {
            (Some(p), Some(item)) if p.starts_with(REGULATION) => Some(format!("{p}、{item}")),
            (Some(p), Some(item)) => Some(format!("{p}和{REGULATION}{item}")),
            (Some(p), None) => Some(p.to_string()),
            (None, Some(item)) => Some(format!("{REGULATION}{item}")),
            (None, None) => None,
        };
        match (self.closing.outcome(), primary) {
            // The prohibiting law is the ground; the 条例 articles follow.
            (Outcome::DenyLawProhibited, Some(p)) if !specific.is_empty() => {
                Some(format!("{specific}和{p}"))
            }
            (_, Some(p)) => Some(p),
            (_, None) if !specific.is_empty() => Some(specific.to_string()),
            (_, None) => None,
        }
    }

    fn delivery_sentence(&self, what: &str) -> String {
        let you = self.facts.you();
        let note = self.delivery.note.trim();
        let remark = if note.is_empty() {
            String::new()
        } else {
            format!("（{note}）")
        };
        match self.delivery.way {
            DeliveryWay::Email => format!("现通过电子邮件向{you}提供{what}{remark}。"),
            DeliveryWay::Post => format!("现通过邮寄方式向{you}提供{what}{remark}。"),
            DeliveryWay::Fax => format!("现通过传真向{you}提供{what}{remark}。"),
            DeliveryWay::Pickup => format!("请{you}通过当面领取方式获取{what}：{note}。"),
            DeliveryWay::Online => format!("请{you}通过网上获取方式获取{what}：{note}。"),
        }
    }

    /// Finding, reasons, the decision that follows the citation, and
    /// further paragraphs.
    fn body(&self) -> Body {
        let you = self.facts.you();
        let outcome = self.closing.outcome();
        let specific = self.specific_basis.trim();
        let reasons = |r: &str| Some(format!("理由如下：{}", sentence(r)));
        match self.closing.details() {
            ClosingDetails::AlreadyPublic { where_to_find } => Body {
                finding: format!("经审查，{you}申请获取的政府信息本机关已经主动公开。"),
                reasons: None,
                decision: format!("现告知{you}获取该政府信息的方式、途径"),
                extra: vec![format!(
                    "{you}可以通过以下方式、途径获取：{}",
                    sentence(where_to_find)
                )],
            },
            ClosingDetails::Provided => Body {
                finding: format!("经审查，{you}申请获取的政府信息属于可以公开的政府信息。"),
                reasons: None,
                decision: "本机关决定予以公开".into(),
                extra: vec![self.delivery_sentence("该政府信息")],
            },
            ClosingDetails::Withheld { reason } => match refusal_ground(outcome) {
                None => Body {
                    finding: format!(
                        "经审查，{you}申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。"
                    ),
                    reasons: Some(format!("对不予公开的内容，理由如下：{}", sentence(reason))),
                    decision: "本机关决定对可以公开的内容予以公开，对其余内容不予公开".into(),
                    extra: vec![self.delivery_sentence("可以公开的内容")],
                },
                Some(Ground::QueryMatter) => Body {
                    finding: format!(
                        "经审查，{you}申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的信息。"
                    ),
                    reasons: reasons(reason),
                    decision: format!("请{you}依照{specific}的规定办理"),
                    extra: vec![],
                },
                Some(Ground::Phrase(ground)) => Body {
                    finding: format!(
                        "经审查，{you}申请获取的政府信息{}。",
                        ground.replace("{law}", specific)
                    ),
                    reasons: reasons(reason),
                    decision: "本机关决定不予公开".into(),
                    extra: vec![],
                },
            },
            ClosingDetails::NotExist { search_note } => Body {
                finding: format!("经检索，本机关没有{you}所申请公开的政府信息。"),
                reasons: search_note
                    .as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| format!("检索情况：{}", sentence(s))),
                decision: format!("现告知{you}该政府信息不存在"),
                extra: vec![],
            },
            ClosingDetails::NotThisAgency { reason, competent } => Body {
                finding: format!("经审查，{you}申请获取的政府信息不属于本机关负责公开。"),
                reasons: reasons(reason),
                decision: format!("现告知{you}该政府信息不属于本机关负责公开"),
                extra: vec![match competent {
                    Some(a) => format!(
                        "负责公开该政府信息的行政机关为{}，联系方式：{}。",
                        a.name.trim(),
                        a.contact.trim()
                    ),
                    None => "本机关无法确定负责公开该政府信息的行政机关。".into(),
                }],
            },
            ClosingDetails::Reasoned { reason } => {
                let (finding, decision) = match outcome {
                    Outcome::UnableNeedsCreation => (
                        format!(
                            "经审查，本机关没有{you}所申请的现成政府信息，提供该信息需要本机关对现有政府信息进行加工、分析。"
                        ),
                        "本机关不予提供".into(),
                    ),
                    Outcome::UnableStillUnclear => (
                        format!(
                            "本机关已告知{you}对申请内容作出补正，但补正后申请内容仍不明确，本机关无法确定{you}所申请公开的政府信息。"
                        ),
                        format!("本机关无法向{you}提供所申请的政府信息"),
                    ),
                    Outcome::RejectExcessive => (
                        format!(
                            "经审查，{you}申请公开政府信息的数量、频次明显超过合理范围。本机关已要求{you}说明理由，经审查认为申请理由不合理。"
                        ),
                        "本机关不予处理".into(),
                    ),
                    Outcome::RejectConfirmReissue => (
                        format!(
                            "经审查，{you}的申请系要求本机关确认或者重新出具{you}已经获取的信息。"
                        ),
                        "本机关不作为政府信息公开申请处理".into(),
                    ),
                    // `Closing` admits `Reasoned` for the four above only.
                    _ => (String::new(), String::new()),
                };
                Body {
                    finding,
                    reasons: reasons(reason),
                    decision,
                    extra: vec![],
                }
            }
            ClosingDetails::Petition { channel } => Body {
                finding: format!(
                    "经审查，{you}以政府信息公开申请的形式提出的是信访、投诉、举报等事项。"
                ),
                reasons: None,
                decision: "本机关不作为政府信息公开申请处理".into(),
                extra: channel
                    .iter()
                    .map(|c| format!("{you}可以通过{}提出。", c.trim()))
                    .collect(),
            },
            ClosingDetails::Repeat { previous_reply } => Body {
                finding: format!(
                    "经审查，本机关已就{you}提出的政府信息公开申请作出答复（{}），{you}本次重复申请公开相同的政府信息。",
                    previous_reply.trim()
                ),
                reasons: None,
                decision: "本机关不予重复处理".into(),
                extra: vec![],
            },
            ClosingDetails::Publication { how_to_obtain } => Body {
                finding: format!("经审查，{you}申请获取的是政府公报、报刊、书籍等公开出版物。"),
                reasons: None,
                decision: "本机关不作为政府信息公开申请处理".into(),
                extra: how_to_obtain
                    .iter()
                    .map(|h| format!("{you}可以通过{}获取。", h.trim()))
                    .collect(),
            },
            ClosingDetails::Lapsed => {
                let finding = match (outcome, &self.correction, &self.fee) {
                    (Outcome::OtherNoCorrection, Some(c), _) => format!(
                        "本机关已于{}告知{you}作出补正，补正期限至{}，{you}无正当理由逾期未补正。",
                        cn_date(c.requested_on),
                        cn_date(c.reply_by)
                    ),
                    (Outcome::OtherNoFee, _, Some(f)) => format!(
                        "本机关已于{}向{you}发出收费通知，缴费期限至{}，{you}逾期未按收费通知要求缴纳费用。",
                        cn_date(f.notice_on),
                        cn_date(f.pay_by)
                    ),
                    // The lint refuses a lapse without its record.
                    _ => String::new(),
                };
                Body {
                    finding,
                    reasons: None,
                    decision: format!("视为{you}放弃申请，本机关不再处理该政府信息公开申请"),
                    extra: vec![],
                }
            }
            ClosingDetails::Other { description } => Body {
                finding: sentence(description),
                reasons: None,
                decision: format!("本机关终止办理{you}的政府信息公开申请"),
                extra: vec![],
            },
        }
    }

    fn remedy(&self) -> String {
        let you = self.facts.you();
        let organ = self.review_organ.trim();
        let court = self.court.trim();
        let path = match self.rule().remedy {
            RemedyPath::ReviewOrLitigation => format!(
                "{you}如对本答复不服，可以自收到本答复之日起60日内向{organ}申请行政复议，也可以自收到本答复之日起6个月内向{court}提起行政诉讼。"
            ),
            RemedyPath::ReviewFirst => format!(
                "{you}如对本答复不服，可以自收到本答复之日起60日内向{organ}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内向{court}提起行政诉讼。"
            ),
        };
        format!("根据《中华人民共和国行政复议法》《中华人民共和国行政诉讼法》的规定，{path}")
    }

    /// The notice; call only after the lint passed.
    fn build(&self) -> Notice {
        let you = self.facts.you();
        let mut facts = self.facts.facts_sentence();
        if let Some(c) = &self.correction
            && let Some(received) = c.received_on
        {
            facts.push_str(&format!(
                "本机关于{}告知{you}补正，于{}收到补正后的申请。",
                cn_date(c.requested_on),
                cn_date(received)
            ));
        }
        let body = self.body();
        let mut ps: Vec<Paragraph> =
            vec![para(Role::Facts, facts), para(Role::Decision, body.finding)];
        if let Some(r) = body.reasons {
            ps.push(para(Role::Reasons, r));
        }
        ps.push(para(
            Role::LegalBasis,
            match self.citation() {
                Some(c) => format!("根据{c}的规定，{}。", body.decision),
                None => format!("{}。", body.decision),
            },
        ));
        ps.extend(body.extra.into_iter().map(|t| para(Role::Decision, t)));
        ps.push(para(Role::Remedy, self.remedy()));
        ps.push(para(Role::Note, "特此告知。"));
        self.facts.notice(
            NoticeKind::Reply,
            Some(&self.doc_number),
            self.issued_on,
            ps,
            self.attachments.clone(),
        )
    }
}

struct Body {
    finding: String,
    reasons: Option<String>,
    /// Follows "根据…的规定，".
    decision: String,
    extra: Vec<String>,
}

enum Ground {
    /// "{law}" is replaced by the handler's specific basis.
    Phrase(&'static str),
    QueryMatter,
}

/// What the refused information is, per 不予公开 ground; `None` for every
/// other outcome.
fn refusal_ground(outcome: Outcome) -> Option<Ground> {
    use Outcome::*;
    Some(Ground::Phrase(match outcome {
        DenyStateSecret => "属于依法确定为国家秘密的政府信息",
        DenyLawProhibited => "属于{law}禁止公开的政府信息",
        DenySecurityStability => "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
        DenyThirdParty => "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
        DenyInternalAffairs => "属于行政机关的内部事务信息",
        DenyProcessInfo => {
            "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息"
        }
        DenyEnforcementFile => "属于行政执法案卷信息",
        DenyQueryMatter => return Some(Ground::QueryMatter),
        Disclosed | Partial | UnableNotHeld | UnableNeedsCreation | UnableStillUnclear
        | RejectPetition | RejectRepeat | RejectPublication | RejectExcessive
        | RejectConfirmReissue | OtherNoCorrection | OtherNoFee | OtherOther => return None,
    }))
}

#[cfg(test)]
#[path = "notice_reply_tests.rs"]
mod tests;
