//! The procedural notices of a case: 受理回执, 补正告知书, 延期告知书 and
//! 收费通知. Same shape as the reply: plain input, `check()` naming every
//! missing element, `build()` refusing while any is missing.

use super::{
    CaseFacts, Element, FEE_MEASURES, LintError, Lints, Notice, NoticeKind, REGULATION, Role,
    check_doc_number, check_issued_on, cn_date, numbered, para, sentence,
};
use crate::request::case_clock::{Channel, MAX_EXTENSION_WORKING_DAYS, REPLY_WORKING_DAYS};
use crate::request::fees::{FeeBasis, FeeBreakdown, FeeMethod};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 受理回执: the application was received, on which date (第三十一条) and
/// when the reply is due (第三十三条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptInput {
    pub facts: CaseFacts,
    /// Optional: the application number is the receipt's reference.
    pub doc_number: Option<String>,
    pub channel: Channel,
    /// The reply due date from the case clock.
    pub due_on: NaiveDate,
    /// The agency's contact for questions (optional).
    pub contact: String,
    pub issued_on: NaiveDate,
}

impl ReceiptInput {
    pub fn check(&self) -> Vec<LintError> {
        self.lints().0
    }

    fn lints(&self) -> Lints {
        let mut l = Lints::default();
        self.facts.check(&mut l);
        check_issued_on(&mut l, &self.facts, self.issued_on);
        if self.due_on <= self.facts.received_on {
            l.add(Element::Deadline, "答复期限应晚于收到申请之日");
        }
        l
    }

    pub fn build(&self) -> Result<Notice, Vec<LintError>> {
        self.lints().into_result(|| {
            let you = self.facts.you();
            let (how, which) = match self.channel {
                Channel::InPerson => ("当面提交", "提交之日".to_string()),
                Channel::SignedPost => ("以邮寄方式提交", "本机关签收之日".to_string()),
                Channel::OrdinaryLetter => {
                    ("以平常信函方式提交", format!("本机关与{you}确认之日"))
                }
                Channel::Online => ("通过互联网渠道提交", "双方确认之日".to_string()),
                Channel::Fax => ("通过传真提交", "双方确认之日".to_string()),
            };
            let mut ps = vec![
                para(Role::Facts, self.facts.facts_sentence()),
                para(
                    Role::LegalBasis,
                    format!(
                        "根据{REGULATION}第三十一条的规定，{you}的申请系{how}，以{which}（{}）为收到申请之日。",
                        cn_date(self.facts.received_on)
                    ),
                ),
                para(
                    Role::Deadline,
                    format!(
                        "根据{REGULATION}第三十三条第二款的规定，本机关将自收到申请之日起{REPLY_WORKING_DAYS}个工作日内（最迟于{}）作出答复；需要延长答复期限的，经政府信息公开工作机构负责人同意，本机关将告知{you}，延长的期限最长不超过{MAX_EXTENSION_WORKING_DAYS}个工作日。征求第三方和其他机关意见所需时间，不计算在上述期限内（第三十三条第三款）。如申请内容需要补正，答复期限自本机关收到补正的申请之日起计算（第三十条）。",
                        cn_date(self.due_on)
                    ),
                ),
            ];
            if !self.contact.trim().is_empty() {
                ps.push(para(
                    Role::Note,
                    format!("如有疑问，请联系：{}", sentence(&self.contact)),
                ));
            }
            self.facts.notice(
                NoticeKind::Receipt,
                self.doc_number.as_deref(),
                self.issued_on,
                ps,
                vec![],
            )
        })
    }
}

/// 补正告知书 (第三十条): what to complete, by when, and the consequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionInput {
    pub facts: CaseFacts,
    pub doc_number: String,
    /// 需要补正的事项, all at once (一次性告知).
    pub items: Vec<String>,
    /// 指导和释明: help to make the request clear (optional).
    pub guidance: String,
    /// 合理的补正期限.
    pub reply_by: NaiveDate,
    /// How to submit the completed application (optional).
    pub how_to_submit: String,
    pub issued_on: NaiveDate,
}

impl CorrectionInput {
    pub fn check(&self) -> Vec<LintError> {
        self.lints().0
    }

    fn lints(&self) -> Lints {
        let mut l = Lints::default();
        self.facts.check(&mut l);
        check_doc_number(&mut l, &self.doc_number);
        check_issued_on(&mut l, &self.facts, self.issued_on);
        if self.items.iter().all(|i| i.trim().is_empty()) {
            l.add(
                Element::Items,
                "缺少需要补正的事项：应一次性告知需要补正的全部事项（第三十条）",
            );
        }
        if self.reply_by <= self.issued_on {
            l.add(Element::Deadline, "补正期限应晚于告知日期");
        }
        l
    }

    pub fn build(&self) -> Result<Notice, Vec<LintError>> {
        self.lints().into_result(|| {
            let you = self.facts.you();
            let items: Vec<String> = self
                .items
                .iter()
                .filter(|i| !i.trim().is_empty())
                .cloned()
                .collect();
            let mut ps = vec![
                para(Role::Facts, self.facts.facts_sentence()),
                para(
                    Role::LegalBasis,
                    format!(
                        "经审查，{you}的申请内容不明确，本机关无法据此确定{you}所申请公开的政府信息。根据{REGULATION}第三十条的规定，现一次性告知{you}对以下事项作出补正："
                    ),
                ),
            ];
            ps.extend(numbered(&items).into_iter().map(|t| para(Role::Item, t)));
            if !self.guidance.trim().is_empty() {
                ps.push(para(Role::Note, format!("说明：{}", sentence(&self.guidance))));
            }
            let how = self.how_to_submit.trim();
            let how = if how.is_empty() {
                String::new()
            } else {
                format!("通过{how}")
            };
            ps.push(para(
                Role::Deadline,
                format!(
                    "请{you}于{}（含当日）前{how}提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。{you}无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
                    cn_date(self.reply_by)
                ),
            ));
            ps.push(para(Role::Note, "特此告知。"));
            self.facts.notice(
                NoticeKind::Correction,
                Some(&self.doc_number),
                self.issued_on,
                ps,
                vec![],
            )
        })
    }
}

/// 延期答复告知书 (第三十三条第二款): approved by the 工作机构负责人 (the
/// approval itself is a case event), at most 20 working days, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionInput {
    pub facts: CaseFacts,
    pub doc_number: String,
    /// Why the reply cannot be given in time.
    pub reason: String,
    pub working_days: u32,
    pub original_due: NaiveDate,
    pub extended_due: NaiveDate,
    pub issued_on: NaiveDate,
}

impl ExtensionInput {
    pub fn check(&self) -> Vec<LintError> {
        self.lints().0
    }

    fn lints(&self) -> Lints {
        let mut l = Lints::default();
        self.facts.check(&mut l);
        check_doc_number(&mut l, &self.doc_number);
        check_issued_on(&mut l, &self.facts, self.issued_on);
        if self.reason.trim().is_empty() {
            l.add(Element::Reasons, "缺少延期理由");
        }
        if self.working_days == 0 || self.working_days > MAX_EXTENSION_WORKING_DAYS {
            l.add(
                Element::Extension,
                format!(
                    "延长的期限应为1至{MAX_EXTENSION_WORKING_DAYS}个工作日（第三十三条第二款）"
                ),
            );
        }
        if self.extended_due <= self.original_due {
            l.add(Element::Deadline, "延长后的答复期限应晚于原答复期限");
        }
        l
    }

    pub fn build(&self) -> Result<Notice, Vec<LintError>> {
        self.lints().into_result(|| {
            let reason = self
                .reason
                .trim()
                .trim_end_matches(['。', '；', '，', '.', ';', ','])
                .to_string();
            let ps = vec![
                para(Role::Facts, self.facts.facts_sentence()),
                para(
                    Role::Reasons,
                    format!(
                        "因{reason}，本机关无法在原答复期限（{}）内作出答复。",
                        cn_date(self.original_due)
                    ),
                ),
                para(
                    Role::LegalBasis,
                    format!(
                        "根据{REGULATION}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{}个工作日，本机关将最迟于{}作出答复。",
                        self.working_days,
                        cn_date(self.extended_due)
                    ),
                ),
                para(Role::Note, "特此告知。"),
            ];
            self.facts.notice(
                NoticeKind::Extension,
                Some(&self.doc_number),
                self.issued_on,
                ps,
                vec![],
            )
        })
    }
}

/// 收费通知 (条例第四十二条, 国办函〔2020〕109号): basis, standard, amount
/// with its breakdown, how and by when to pay, the consequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeNoticeInput {
    pub facts: CaseFacts,
    pub doc_number: String,
    pub basis: FeeBasis,
    /// 收款单位.
    pub payee: String,
    /// 开户银行及账号, or the 非税收入 payment code and where to use it.
    pub account: String,
    /// Further payment instructions (optional).
    pub how_to_pay: String,
    /// 20 working days from the day after the notice (case clock).
    pub pay_by: NaiveDate,
    /// Whether the reply clock stands still until payment
    /// ([`crate::request::ClockPolicy::fee_suspends_clock`]); the notice
    /// says so only when it does.
    pub clock_suspended: bool,
    pub issued_on: NaiveDate,
}

impl FeeNoticeInput {
    pub fn check(&self) -> Vec<LintError> {
        self.lints().0
    }

    fn lints(&self) -> Lints {
        let mut l = Lints::default();
        self.facts.check(&mut l);
        check_doc_number(&mut l, &self.doc_number);
        check_issued_on(&mut l, &self.facts, self.issued_on);
        match self.basis.assess() {
            Err(e) => l.add(Element::Fee, e.to_string()),
            Ok(b) if b.total_yuan == 0 => l.add(
                Element::Fee,
                format!(
                    "采用{}方式，本申请不收费，无需发出收费通知",
                    b.method.label()
                ),
            ),
            Ok(_) => {}
        }
        if self.payee.trim().is_empty() {
            l.add(Element::Payment, "缺少收款单位");
        }
        if self.account.trim().is_empty() {
            l.add(Element::Payment, "缺少收款账户或缴款方式");
        }
        if self.pay_by <= self.issued_on {
            l.add(Element::Deadline, "缴费期限应晚于通知日期");
        }
        l
    }

    pub fn build(&self) -> Result<Notice, Vec<LintError>> {
        let lints = self.lints();
        let breakdown = match self.basis.assess() {
            Ok(b) => b,
            Err(_) => return Err(lints.0),
        };
        lints.into_result(|| self.notice(&breakdown))
    }

    fn notice(&self, b: &FeeBreakdown) -> Notice {
        let you = self.facts.you();
        let mut ps = vec![
            para(Role::Facts, self.facts.facts_sentence()),
            para(
                Role::LegalBasis,
                format!(
                    "{you}申请公开政府信息的数量、频次明显超过合理范围。根据{REGULATION}第四十二条和{FEE_MEASURES}的规定，本机关决定向{you}收取信息处理费。"
                ),
            ),
            para(Role::Fee, self.standard()),
        ];
        // explain() ends with the total line; the total is stated below.
        let explained = b.explain();
        let lines: Vec<&str> = explained.lines().map(str::trim).collect();
        let bands = &lines[..lines.len().saturating_sub(1)];
        ps.extend(
            bands
                .iter()
                .map(|line| para(Role::Item, format!("{line}；"))),
        );
        ps.push(para(
            Role::Fee,
            format!(
                "收费金额：人民币{}元（大写：{}）。",
                b.total_yuan,
                yuan_in_capitals(b.total_yuan)
            ),
        ));
        let mut pay = format!(
            "缴纳方式：请将上述费用缴至以下账户。收款单位：{}；{}",
            self.payee.trim(),
            sentence(&self.account)
        );
        if !self.how_to_pay.trim().is_empty() {
            pay.push_str(&sentence(&self.how_to_pay));
        }
        ps.push(para(Role::Payment, pay));
        ps.push(para(
            Role::Deadline,
            format!(
                "请{you}于{}（含当日）前缴纳费用（自收到本通知次日起20个工作日内）。逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
                cn_date(self.pay_by)
            ),
        ));
        if self.clock_suspended {
            ps.push(para(
                Role::Note,
                format!(
                    "自本机关发出本通知之日起至{you}缴纳费用之日止的期间，不计算在答复期限内。"
                ),
            ));
        }
        ps.push(para(Role::Note, "特此通知。"));
        self.facts.notice(
            NoticeKind::Fee,
            Some(&self.doc_number),
            self.issued_on,
            ps,
            vec![],
        )
    }

    fn standard(&self) -> String {
        let you = self.facts.you();
        match self.basis {
            FeeBasis::PerApplication {
                earlier_in_month,
                units,
            } => {
                let first = earlier_in_month.saturating_add(1);
                let last = earlier_in_month.saturating_add(units);
                let place = if first == last {
                    format!("第{first}件")
                } else {
                    format!("第{first}—{last}件")
                };
                format!(
                    "计收方式：{}，按照超额累进方式计算。收费标准：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，100元/件；31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。本申请计{units}件，为{you}本自然月内累计申请的{place}，计费如下：",
                    FeeMethod::PerApplication.label()
                )
            }
            FeeBasis::PerPage { pages } => format!(
                "计收方式：{}，按照超额累进方式计算。收费标准：30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；101—200页（含200页）的部分，20元/页；201页以上的部分，40元/页。本申请提供的政府信息共{pages}页，计费如下：",
                FeeMethod::PerPage.label()
            ),
        }
    }
}

/// An amount in 元 written in financial capitals, e.g. 4700 →
/// 肆仟柒佰元整, 1010 → 壹仟零壹拾元整.
pub fn yuan_in_capitals(n: u64) -> String {
    const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const PLACES: [&str; 4] = ["仟", "佰", "拾", ""];
    const GROUPS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
    if n == 0 {
        return "零元整".into();
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending || (!out.is_empty() && g < 1000) {
            out.push('零');
        }
        zero_pending = false;
        let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
        let mut inner_zero = false;
        let mut started = false;
        for (d, place) in digits.into_iter().zip(PLACES) {
            if d == 0 {
                inner_zero = started;
                continue;
            }
            if inner_zero {
                out.push('零');
                inner_zero = false;
            }
            out.push(DIGITS[d]);
            out.push_str(place);
            started = true;
        }
        out.push_str(GROUPS[i]);
    }
    out.push_str("元整");
    out
}

#[cfg(test)]
#[path = "notice_steps_tests.rs"]
mod tests;
