//! The demo's history of 依申请公开: a few hundred applications to the
//! agencies of 青岚市 from January 2024 to November 2026, with their clock
//! events and replies, and a few dozen 行政复议/行政诉讼 records.
//!
//! Everything is generated from a fixed seed, so every run plans the same
//! history. It is written through the store API (`create_request`, then
//! `append_request_entries` with the date of the last entry as "today"),
//! so each case passes the same rules as a real one. The only dependence on
//! the wall clock is `today`: an event planned after it is not written, so
//! what is still open depends on the day the demo is seeded. A handful of
//! cases are deliberately neglected (never confirmed, never closed, a 补正
//! never answered) so that the work lists always have something to show.
//!
//! The applicants are fictional: resident ID numbers use the area code
//! 990xxx, which no region has, and credit codes the area 990100, both with
//! valid check characters.

use anyhow::{Context, anyhow};
use chrono::{Datelike, NaiveDate};
use gongkai_core::Store;
use gongkai_core::UserId;
use gongkai_core::audit::Actor;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::org::{OrgLevel, Organisation};
use gongkai_core::org_code::complete_credit_code;
use gongkai_core::request::ApplicationForm;
use gongkai_core::request::appeal::{AppealDraft, AppealKind, AppealResult};
use gongkai_core::request::case::{CaseAction, Intake, NewCaseEntry, QueryCode, RequestCase};
use gongkai_core::request::case_clock::{
    CaseClock, CaseEvent, Channel, ClockPolicy, ConsultedParty,
};
use gongkai_core::request::closing::{Closing, ClosingDetails, CompetentAgency};
use gongkai_core::request::contact::ContactForm;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::request::outcome::Outcome;

/// How many applications the history has (before `today` cuts it).
pub const CASES: usize = 320;
const FIRST_DAY: (i32, u32, u32) = (2024, 1, 2);
const LAST_DAY: (i32, u32, u32) = (2026, 11, 20);
/// Working days at the end of the period that get extra arrivals.
const RECENT_DAYS: usize = 30;

/// The agency's current date (Beijing time, UTC+8), which decides how much
/// of the planned history has happened.
pub fn beijing_today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// What the history wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistorySummary {
    pub cases: usize,
    pub closed: usize,
    pub appeals: usize,
}

/// A small deterministic generator (SplitMix64): the demo must not depend
/// on a random source, and needs no statistical quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }

    /// True with probability `pct`/100.
    fn chance(&mut self, pct: u32) -> bool {
        self.range(1, 100) <= pct
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    /// Picks by weight: `items` are (weight, value).
    fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u32 = items.iter().map(|(w, _)| w).sum();
        let mut x = self.range(1, total);
        for (w, v) in items {
            if x <= *w {
                return *v;
            }
            x -= w;
        }
        items[items.len() - 1].1
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "志强", "丽娟", "海燕", "国庆", "晓明", "桂兰", "文博", "春梅", "伟", "芳",
    "磊", "静", "军", "敏", "德明", "玉兰", "子涵", "宇轩", "红霞", "立新", "淑珍", "家豪", "雨欣",
    "振华", "美玲", "永刚", "思远", "金凤",
];
const STREETS: &[&str] = &[
    "青岚市望湖区湖滨路",
    "青岚市望湖区东城大道",
    "青岚市望湖区南苑街",
    "枫溪县枫溪镇溪口街",
    "枫溪县青石镇青石路",
    "石桥县石桥镇双桥路",
    "石桥县双河镇河西村",
    "青岚市望湖区临江镇江北村",
];

/// (applicant kind key, weight)
const KINDS: &[(u32, &str)] = &[
    (74, "natural"),
    (9, "commercial"),
    (3, "research"),
    (3, "nonprofit"),
    (7, "legal_service"),
    (4, "other_org"),
];

/// A request text: (信息名称, 文号, 特征性描述), with `{y}` for a year.
type Ask = (&'static str, &'static str, &'static str);

const ASK_LAND: &[Ask] = &[
    (
        "{y}年度集体土地征收补偿安置方案",
        "",
        "申请公开{y}年本人所在村集体土地征收的征收土地预公告、补偿安置方案及批复文件。",
    ),
    (
        "",
        "",
        "申请公开我村（临江镇江北村）宅基地所在地块的控制性详细规划图及规划批准文件。",
    ),
    (
        "建设用地批准书",
        "",
        "申请公开望湖区东城片区某地块{y}年建设用地批准书及农用地转用审批材料。",
    ),
];
const ASK_HOUSING: &[Ask] = &[
    (
        "{y}年老旧小区改造计划",
        "",
        "申请公开{y}年全市老旧小区改造项目清单、各小区改造内容及财政资金安排。",
    ),
    (
        "",
        "",
        "申请公开本人所住小区住宅专项维修资金的缴存余额及历年使用情况。",
    ),
    (
        "国有土地上房屋征收决定",
        "",
        "申请公开湖滨路片区国有土地上房屋征收决定、征收补偿方案及社会稳定风险评估结论。",
    ),
];
const ASK_EDU: &[Ask] = &[
    (
        "{y}年义务教育学校招生划片范围",
        "",
        "申请公开{y}年城区公办小学、初中的招生划片范围及确定依据。",
    ),
    (
        "",
        "",
        "申请公开{y}年教师招聘考试的成绩排名、体检及考察结果名单。",
    ),
];
const ASK_WELFARE: &[Ask] = &[
    (
        "",
        "",
        "申请公开本乡镇{y}年城乡最低生活保障对象名单及保障金额的审批材料。",
    ),
    (
        "养老服务机构运营补贴",
        "",
        "申请公开{y}年度养老服务机构建设和运营补贴的发放对象、标准及金额。",
    ),
];
const ASK_FINANCE: &[Ask] = &[
    (
        "{y}年部门预算",
        "",
        "申请公开{y}年本级一般公共预算中“三公”经费的预算及决算明细。",
    ),
    (
        "",
        "",
        "申请公开{y}年乡村振兴衔接资金的分配方案、项目清单和资金拨付凭证。",
    ),
];
const ASK_ENV: &[Ask] = &[
    (
        "环境影响报告书批复",
        "",
        "申请公开枫溪工业园区某化工项目的环境影响报告书及审批意见。",
    ),
    ("", "", "申请公开{y}年望湖水库水质监测数据（按月）。"),
];
const ASK_GOV: &[Ask] = &[
    (
        "",
        "",
        "申请公开{y}年政府常务会议研究湖滨片区改造事项的会议纪要。",
    ),
    (
        "关于进一步规范农村宅基地管理的通知",
        "",
        "申请公开该通知全文及其起草说明。",
    ),
    (
        "",
        "",
        "申请公开{y}年度重大行政决策事项目录及各事项的公众参与材料。",
    ),
];
const ASK_GENERAL: &[Ask] = &[
    (
        "",
        "",
        "申请公开{y}年本机关作出的行政处罚决定书（涉及本公司部分）及其法律依据。",
    ),
    (
        "",
        "",
        "申请公开{y}年本机关政府采购项目的中标结果及合同文本。",
    ),
    (
        "{y}年项目资金使用情况",
        "",
        "申请公开{y}年本机关实施的民生实事项目清单及资金使用情况。",
    ),
];

fn asks_for(org: &Organisation) -> &'static [Ask] {
    let n = org.name.as_str();
    if n.contains("自然资源") || n.contains("国土") || n.contains("镇") || n.contains("乡")
    {
        ASK_LAND
    } else if n.contains("住房") {
        ASK_HOUSING
    } else if n.contains("教育") {
        ASK_EDU
    } else if n.contains("民政") || n.contains("街道") {
        ASK_WELFARE
    } else if n.contains("财政") || n.contains("农业") || n.contains("发展") {
        ASK_FINANCE
    } else if n.contains("生态") || n.contains("卫生") {
        ASK_ENV
    } else if n.contains("人民政府") {
        ASK_GOV
    } else {
        ASK_GENERAL
    }
}

/// A fictional resident ID (area 990xxx) with a valid check character.
fn resident_id(rng: &mut Rng) -> String {
    let body = format!(
        "9901{:02}{}{:02}{:02}{:03}",
        rng.range(1, 99),
        rng.range(1950, 2003),
        rng.range(1, 12),
        rng.range(1, 28),
        rng.range(1, 999)
    );
    let check = resident_id_check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A fictional 统一社会信用代码 (area 990100) for `prefix` (登记管理部门 and
/// 机构类别, e.g. `91` 企业, `31` 律师事务所).
fn credit_code(rng: &mut Rng, prefix: &str) -> anyhow::Result<String> {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let tail: String = (0..9).map(|_| *rng.pick(CHARS) as char).collect();
    complete_credit_code(&format!("{prefix}990100{tail}"))
        .map(|c| c.as_str().to_string())
        .ok_or_else(|| anyhow!("无法生成演示用统一社会信用代码"))
}

fn applicant(rng: &mut Rng, n: usize, channel: Channel) -> anyhow::Result<ApplicationForm> {
    let kind = rng.weighted(KINDS);
    let person = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
    let street = format!("{}{}号", rng.pick(STREETS), rng.range(1, 200));
    let (name, id_type, id_number, contact_person) = match kind {
        "natural" => (
            person.clone(),
            "resident_id",
            resident_id(rng),
            String::new(),
        ),
        other => {
            let (name, prefix) = match other {
                "commercial" => (
                    format!(
                        "青岚{}{}有限公司",
                        rng.pick(&["恒信", "鑫源", "湖光", "泰和", "远航", "青禾"]),
                        rng.pick(&["建材", "置业", "物流", "商贸", "农业科技"])
                    ),
                    "91",
                ),
                "research" => (
                    format!(
                        "青岚大学{}",
                        rng.pick(&["城市规划研究所", "公共管理学院", "环境科学研究中心"])
                    ),
                    "12",
                ),
                "nonprofit" => (
                    format!(
                        "青岚市{}",
                        rng.pick(&["绿水环保公益服务中心", "银龄互助服务中心", "阳光助学促进会"])
                    ),
                    "52",
                ),
                "legal_service" => (
                    format!(
                        "青岚{}律师事务所",
                        rng.pick(&["明正", "衡平", "湖滨", "正源"])
                    ),
                    "31",
                ),
                _ => (
                    format!(
                        "{}村股份经济合作社",
                        rng.pick(&["江北", "河西", "溪口", "云岭"])
                    ),
                    "N2",
                ),
            };
            (
                name,
                "credit_code",
                credit_code(rng, prefix)?,
                person.clone(),
            )
        }
    };
    let online = channel == Channel::Online;
    let (provision, delivery) = if online {
        *rng.pick(&[
            ("email", "email"),
            ("email", "email"),
            ("online", "online"),
            ("paper", "post"),
        ])
    } else {
        *rng.pick(&[
            ("paper", "post"),
            ("paper", "post"),
            ("paper", "pickup"),
            ("electronic_media", "post"),
            ("inspection", "pickup"),
        ])
    };
    let contact = ContactForm {
        phone: format!("1550{:07}", rng.range(0, 9_999_999)),
        email: if online || delivery == "email" {
            format!("demo{n:04}@example.com")
        } else {
            String::new()
        },
        postal_address: street,
        ..Default::default()
    };
    Ok(ApplicationForm {
        applicant_kind: kind.into(),
        name,
        id_type: id_type.into(),
        id_number,
        contact_person,
        contact,
        provision_form: provision.into(),
        delivery: delivery.into(),
        ..Default::default()
    })
}

/// How a planned case ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Closed with this outcome (details chosen to fit).
    Close(Outcome),
    /// Left open on purpose (neglected), whatever `today` is.
    Neglected,
    /// A 补正 requested and never answered (nor closed).
    Waiting,
}

/// (weight, outcome): mostly 予以公开 / 部分公开 / 信息不存在, some of each
/// other family.
const OUTCOMES: &[(u32, Outcome)] = &[
    (34, Outcome::Disclosed),
    (12, Outcome::Partial),
    (26, Outcome::UnableNotHeld),
    (3, Outcome::DenyThirdParty),
    (3, Outcome::DenyProcessInfo),
    (2, Outcome::DenyInternalAffairs),
    (1, Outcome::DenyEnforcementFile),
    (1, Outcome::DenySecurityStability),
    (1, Outcome::DenyQueryMatter),
    (3, Outcome::UnableNeedsCreation),
    (2, Outcome::UnableStillUnclear),
    (4, Outcome::RejectPetition),
    (2, Outcome::RejectRepeat),
    (1, Outcome::RejectPublication),
    (1, Outcome::RejectExcessive),
    (3, Outcome::OtherNoCorrection),
    (1, Outcome::OtherNoFee),
    (2, Outcome::OtherOther),
];

fn details(rng: &mut Rng, outcome: Outcome, org: &Organisation) -> ClosingDetails {
    use Outcome::*;
    match outcome {
        Disclosed if rng.chance(30) => ClosingDetails::AlreadyPublic {
            where_to_find: format!("{}门户网站“政府信息公开”专栏", org.name),
        },
        Disclosed => ClosingDetails::Provided,
        Partial | DenyThirdParty => ClosingDetails::Withheld {
            reason:
                "所申请信息中含有第三方个人信息，公开会对第三方合法权益造成损害，第三方不同意公开。"
                    .into(),
        },
        DenyProcessInfo => ClosingDetails::Withheld {
            reason: "所申请信息为讨论记录、过程稿等过程性信息。".into(),
        },
        DenyInternalAffairs => ClosingDetails::Withheld {
            reason: "所申请信息属于本机关内部人事管理信息。".into(),
        },
        DenyEnforcementFile => ClosingDetails::Withheld {
            reason: "所申请信息为行政执法案卷信息。".into(),
        },
        DenySecurityStability => ClosingDetails::Withheld {
            reason: "经审查，公开后可能危及社会稳定。".into(),
        },
        DenyQueryMatter => ClosingDetails::Withheld {
            reason: "所申请信息属于不动产登记资料，应依照《不动产登记资料查询暂行办法》查询。"
                .into(),
        },
        UnableNotHeld if rng.chance(20) => ClosingDetails::NotThisAgency {
            reason: "所申请信息不属于本机关负责公开的政府信息。".into(),
            competent: Some(CompetentAgency {
                name: "青岚市自然资源和规划局".into(),
                contact: "0799-8123456".into(),
            }),
        },
        UnableNotHeld => ClosingDetails::NotExist {
            search_note: Some("经检索本机关档案及业务系统，未找到所申请信息。".into()),
        },
        UnableNeedsCreation => ClosingDetails::Reasoned {
            reason: "所申请信息需要本机关对现有信息进行汇总、加工，不属于应当提供的范围。".into(),
        },
        UnableStillUnclear => ClosingDetails::Reasoned {
            reason: "经补正，所申请信息的内容仍不明确，无法确定所需信息。".into(),
        },
        RejectPetition => ClosingDetails::Petition {
            channel: Some("可向青岚市信访局或拨打12345政务服务便民热线反映。".into()),
        },
        RejectRepeat => ClosingDetails::Repeat {
            previous_reply: "本机关此前已作出答复".into(),
        },
        RejectPublication => ClosingDetails::Publication {
            how_to_obtain: Some(
                "可在青岚市图书馆或政府门户网站查阅《青岚市人民政府公报》。".into(),
            ),
        },
        RejectExcessive => ClosingDetails::Reasoned {
            reason: "申请人申请公开政府信息的数量、频次明显超过合理范围，所说明理由不合理。".into(),
        },
        OtherNoCorrection | OtherNoFee => ClosingDetails::Lapsed,
        _ => ClosingDetails::Other {
            description: "申请人撤回申请。".into(),
        },
    }
}

/// Entries of one case, each with its date (the "today" it is written on).
struct Planned {
    on: NaiveDate,
    entry: NewCaseEntry,
}

fn clock(event: CaseEvent) -> CaseAction {
    CaseAction::Clock { event }
}

/// `n` working days after `d`, or `None` when the calendar does not know
/// the dates (then the event is not planned: nothing is guessed).
fn wd(cal: &WorkdayCalendar, d: NaiveDate, n: u32) -> Option<NaiveDate> {
    cal.add_working_days(d, n).ok()
}

struct Ctx<'a> {
    cal: &'a WorkdayCalendar,
    approver: UserId,
    handler: Option<UserId>,
}

/// Plans the entries after intake for a case received on `receipt`.
fn plan_entries(
    rng: &mut Rng,
    ctx: &Ctx<'_>,
    org: &Organisation,
    receipt: NaiveDate,
    needs_confirm: bool,
    plan: Plan,
    assign: bool,
) -> Vec<Planned> {
    let cal = ctx.cal;
    let mut out = Vec::new();
    let mut add = |on: NaiveDate, action: CaseAction| {
        out.push(Planned {
            on,
            entry: NewCaseEntry::new(action),
        })
    };
    if needs_confirm {
        add(receipt, CaseAction::Confirm { on: receipt });
    }
    if assign && let Some(h) = ctx.handler {
        add(receipt, CaseAction::Assign { handler: Some(h) });
    }
    let outcome = match plan {
        Plan::Close(o) => Some(o),
        Plan::Neglected | Plan::Waiting => None,
    };
    let mut events: Vec<CaseEvent> = Vec::new();
    let mut last = receipt;
    let mut start = receipt;
    // 补正: forced for the outcomes that need it, else sometimes.
    let correction = plan == Plan::Waiting
        || matches!(
            outcome,
            Some(Outcome::OtherNoCorrection | Outcome::UnableStillUnclear)
        )
        || rng.chance(8);
    let lapse = outcome == Some(Outcome::OtherNoCorrection);
    if correction && let Some(on) = wd(cal, receipt, rng.range(1, 6)) {
        let Some(reply_by) = wd(cal, on, 15) else {
            return out;
        };
        events.push(CaseEvent::CorrectionRequested { on, reply_by });
        if lapse || plan == Plan::Waiting {
            // Lapsed: closed a few days after the deadline (or left waiting).
            let close_on = wd(cal, reply_by, rng.range(1, 3));
            let mut v = to_planned(&events);
            if lapse && let Some(c) = close_on {
                let closing = Closing::new(Outcome::OtherNoCorrection, ClosingDetails::Lapsed);
                if let Some(closing) = closing {
                    v.push(Planned {
                        on: c,
                        entry: NewCaseEntry::new(CaseAction::Close { on: c, closing }),
                    });
                }
            }
            return finish(out, v);
        }
        let Some(back) = wd(cal, on, rng.range(2, 12)).filter(|b| *b <= reply_by) else {
            return finish(out, to_planned(&events));
        };
        events.push(CaseEvent::CorrectionReceived { on: back });
        last = back;
        start = back;
    }
    // Consultation of a third party (or, rarely, another agency).
    let consult = matches!(outcome, Some(Outcome::DenyThirdParty)) || rng.chance(9);
    if consult && let Some(on) = wd(cal, start, rng.range(2, 8)) {
        let party = if rng.chance(80) {
            ConsultedParty::ThirdParty
        } else {
            ConsultedParty::OtherAgency
        };
        events.push(CaseEvent::ConsultationSent { id: 1, party, on });
        last = on;
        if outcome.is_some()
            && let Some(ans) = wd(cal, on, rng.range(4, 15))
        {
            events.push(CaseEvent::ConsultationAnswered { id: 1, on: ans });
            last = ans;
        }
    }
    // A fee notice (信息处理费), paid or let lapse.
    let fee = outcome == Some(Outcome::OtherNoFee) || rng.chance(3);
    if fee && let Some(on) = wd(cal, last.max(start), rng.range(3, 8)) {
        events.push(CaseEvent::FeeNoticeSent { on });
        last = on;
        if outcome == Some(Outcome::OtherNoFee) {
            // Payment was due 20 working days after the notice.
            let close_on = wd(cal, on, 20 + rng.range(1, 3));
            let mut v = to_planned(&events);
            if let (Some(c), Some(closing)) = (
                close_on,
                Closing::new(Outcome::OtherNoFee, ClosingDetails::Lapsed),
            ) {
                v.push(Planned {
                    on: c,
                    entry: NewCaseEntry::new(CaseAction::Close { on: c, closing }),
                });
            }
            return finish(out, v);
        }
        if outcome.is_some()
            && let Some(paid) = wd(cal, on, rng.range(2, 12))
        {
            events.push(CaseEvent::FeePaid { on: paid });
            last = paid;
        }
    }
    // An extension, approved before the unextended due date.
    if rng.chance(11) {
        let mut probe = CaseClock::new(receipt, ClockPolicy::default());
        let due = events
            .iter()
            .all(|e| probe.apply(e).is_ok())
            .then(|| probe.status(cal, last).ok())
            .flatten()
            .and_then(|s| s.reply)
            .map(|r| r.due);
        let approved_on = wd(cal, last.max(start), rng.range(5, 15));
        if let (Some(due), Some(approved_on)) = (due, approved_on)
            && approved_on <= due
        {
            events.push(CaseEvent::Extended {
                approver: ctx.approver,
                approved_on,
                working_days: rng.range(10, 20),
            });
            last = approved_on;
        }
    }
    let mut v = to_planned(&events);
    v.extend(add_close(rng, ctx, org, outcome, &events, last, receipt));
    finish(out, v)
}

fn to_planned(events: &[CaseEvent]) -> Vec<Planned> {
    events
        .iter()
        .filter_map(|e| {
            let action = clock(e.clone());
            let on = action.date()?;
            Some(Planned {
                on,
                entry: NewCaseEntry::new(action),
            })
        })
        .collect()
}

fn finish(mut head: Vec<Planned>, tail: Vec<Planned>) -> Vec<Planned> {
    head.extend(tail);
    head
}

/// The closing entry: most on time, some a few days late.
fn add_close(
    rng: &mut Rng,
    ctx: &Ctx<'_>,
    org: &Organisation,
    outcome: Option<Outcome>,
    events: &[CaseEvent],
    last: NaiveDate,
    receipt: NaiveDate,
) -> Option<Planned> {
    let outcome = outcome?;
    let cal = ctx.cal;
    let mut probe = CaseClock::new(receipt, ClockPolicy::default());
    for e in events {
        probe.apply(e).ok()?;
    }
    let due = probe.status(cal, last).ok()?.reply?.due;
    let start = probe.start();
    let on = if rng.chance(7) {
        wd(cal, due, rng.range(1, 6))?
    } else {
        // Anywhere from a few days after the start up to the due date.
        let span = cal.working_days_between(start, due).ok()?;
        let lo = 2.min(span);
        wd(cal, start, rng.range(lo, span.max(lo)))?
    }
    .max(last);
    let closing = Closing::new(outcome, details(rng, outcome, org))?;
    Some(Planned {
        on,
        entry: NewCaseEntry::new(CaseAction::Close { on, closing }),
    })
}

/// Working days of the period, for spreading the arrivals.
fn working_days(cal: &WorkdayCalendar, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| cal.is_working_day(*d).unwrap_or(false))
        .collect()
}

/// Writes the history. `orgs` are the demo's organisations; `today` cuts
/// the plan (nothing dated after it is written).
pub async fn seed_history(
    store: &dyn Store,
    actor: &Actor,
    orgs: &[Organisation],
    today: NaiveDate,
) -> anyhow::Result<HistorySummary> {
    let cal = WorkdayCalendar::official();
    let user = |name: &'static str| async move {
        store
            .get_credentials(name)
            .await
            .with_context(|| format!("查询演示账号 {name} 失败"))
            .map(|c| c.map(|c| c.user.id))
    };
    let approver = user("approver")
        .await?
        .ok_or_else(|| anyhow!("演示账号 approver 不存在"))?;
    let ctx = Ctx {
        cal: &cal,
        approver,
        handler: user("handler").await?,
    };
    let handler_org = store
        .get_credentials("handler")
        .await?
        .map(|c| c.user.org_id);
    let agencies: Vec<&Organisation> = orgs.iter().filter(|o| o.active).collect();
    // Land, housing and the governments get most applications, as in
    // real annual reports.
    let weights: Vec<(u32, usize)> = agencies
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let n = o.name.as_str();
            let w = if n.contains("自然资源") || n.contains("住房") {
                8
            } else if o.level == OrgLevel::Township {
                3
            } else if Some(o.id) == handler_org {
                // The demo handler's agency: enough cases to work with.
                12
            } else {
                2
            };
            (w, i)
        })
        .collect();
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
        .ok_or_else(|| anyhow!("演示起始日期无效"))?;
    let last = NaiveDate::from_ymd_opt(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2)
        .ok_or_else(|| anyhow!("演示结束日期无效"))?;
    let days = working_days(&cal, first, last);
    if days.is_empty() {
        return Err(anyhow!("工作日历缺少演示期间的数据"));
    }
    let mut rng = Rng(0x6F6E_6B61_6967_6E6F);
    // One in eight arrives in the last six weeks, so that the work lists
    // have current cases (due soon, in consultation, waiting for payment).
    let recent_days = &days[days.len().saturating_sub(RECENT_DAYS)..];
    let mut arrivals: Vec<NaiveDate> = (0..CASES)
        .map(|i| {
            if i % 8 == 0 {
                *rng.pick(recent_days)
            } else {
                *rng.pick(&days)
            }
        })
        .collect();
    arrivals.sort();
    let mut summary = HistorySummary::default();
    let mut closed: Vec<RequestCase> = Vec::new();
    for (n, arrived) in arrivals.into_iter().enumerate() {
        let mut org = agencies[rng.weighted(&weights)];
        // Two in five of the most recent cases go to the demo handler's
        // agency, so that signing in as `handler` shows current work.
        if n + 40 >= CASES
            && rng.chance(40)
            && let Some(h) = agencies.iter().find(|o| Some(o.id) == handler_org)
        {
            org = h;
        }
        let mut channel = rng.weighted(&[
            (45, Channel::Online),
            (15, Channel::InPerson),
            (25, Channel::SignedPost),
            (10, Channel::OrdinaryLetter),
            (5, Channel::Fax),
        ]);
        // Deliberately neglected cases, so that every run has open work:
        // the last three (online) are never confirmed; some recent ones are
        // never closed (and become overdue) or wait for a 补正 forever.
        let never_confirm = n + 3 >= CASES;
        if never_confirm {
            channel = Channel::Online;
        }
        let recent = n + 40 >= CASES;
        let plan = if never_confirm || (recent && n % 5 == 0) {
            Plan::Neglected
        } else if recent && n % 5 == 1 {
            Plan::Waiting
        } else {
            Plan::Close(rng.weighted(OUTCOMES))
        };
        let mut form = applicant(&mut rng, n, channel)?;
        let ask = rng.pick(asks_for(org));
        let year = arrived.year().to_string();
        form.info_title = ask.0.replace("{y}", &year);
        form.info_doc_number = ask.1.into();
        form.info_description = ask.2.replace("{y}", &year);
        let application = form
            .validate()
            .map_err(|e| anyhow!("演示申请 {n} 无效：{e}"))?;
        if arrived > today {
            continue;
        }
        let intake = Intake {
            channel,
            arrived_on: arrived,
            application,
        };
        let mut code_bytes = [0u8; 32];
        for b in &mut code_bytes {
            *b = rng.next() as u8;
        }
        let code = QueryCode::from_random_bytes(&code_bytes)
            .ok_or_else(|| anyhow!("无法生成演示查询码"))?;
        let needs_confirm = intake.needs_confirmation();
        // 平常信函、互联网、传真: confirmed on arrival or the next working day.
        let receipt = if needs_confirm && rng.chance(40) {
            wd(&cal, arrived, 1).unwrap_or(arrived)
        } else {
            arrived
        };
        let case = store
            .create_request(actor, org.id, &intake, &code, None)
            .await
            .with_context(|| format!("写入演示申请 {n} 失败"))?;
        summary.cases += 1;
        if never_confirm {
            continue;
        }
        let assign = Some(org.id) == handler_org;
        let planned = plan_entries(&mut rng, &ctx, org, receipt, needs_confirm, plan, assign);
        let due: Vec<&Planned> = planned.iter().filter(|p| p.on <= today).collect();
        if due.is_empty() {
            continue;
        }
        let entries: Vec<NewCaseEntry> = due.iter().map(|p| p.entry.clone()).collect();
        let as_of = due.iter().map(|p| p.on).max().unwrap_or(receipt);
        let case = store
            .append_request_entries(actor, case.id, &entries, as_of)
            .await
            .with_context(|| format!("写入演示申请 {} 的办理过程失败", case.number))?;
        if case.closed_on.is_some() {
            summary.closed += 1;
            closed.push(case);
        }
    }
    summary.appeals = seed_appeals(store, actor, &mut rng, orgs, &closed, today).await?;
    Ok(summary)
}

/// The body that reviews an agency's acts: its parent government (or,
/// for a government, itself — 行政复议法 2023 第二十四条), and the court.
fn review_bodies(org: &Organisation, orgs: &[Organisation]) -> (String, String) {
    let parent = org.parent_id.and_then(|p| orgs.iter().find(|o| o.id == p));
    let government = match (org.level, parent) {
        (_, Some(p)) if p.name.ends_with("人民政府") => p.name.clone(),
        _ => org.name.clone(),
    };
    let court = if org.level == OrgLevel::City && org.name.ends_with("人民政府") {
        "青岚市中级人民法院"
    } else {
        "青岚市望湖区人民法院"
    };
    (government, court.into())
}

/// The first working day on or after `d` (`d` itself when the calendar
/// does not know its year: a demo date, not a deadline).
fn next_working_day(cal: &WorkdayCalendar, d: NaiveDate) -> NaiveDate {
    d.iter_days()
        .take(15)
        .find(|x| cal.is_working_day(*x).unwrap_or(true))
        .unwrap_or(d)
}

/// The abbreviation in a 复议决定书 number: 青 for the city, 望 / 枫 / 石
/// for the district and the counties.
fn reference_prefix(organ: &str) -> &'static str {
    if organ.starts_with("青岚市望湖区") {
        "望"
    } else if organ.starts_with("枫溪县") {
        "枫"
    } else if organ.starts_with("石桥县") {
        "石"
    } else {
        "青"
    }
}

/// The case references of the standalone records, in order.
const STANDALONE_REFS: [&str; 4] = [
    "青政复〔2024〕3号",
    "（2024）青0102行初8号",
    "青政复〔2025〕2号",
    "（2026）青0102行初41号",
];

async fn seed_appeals(
    store: &dyn Store,
    actor: &Actor,
    rng: &mut Rng,
    orgs: &[Organisation],
    closed: &[RequestCase],
    today: NaiveDate,
) -> anyhow::Result<usize> {
    use gongkai_core::request::outcome::OutcomeFamily as F;
    let cal = WorkdayCalendar::official();
    let mut n = 0;
    let mut seq: u32 = 0;
    for case in closed {
        let Some(outcome) = case.outcome else {
            continue;
        };
        let Some(closed_on) = case.closed_on else {
            continue;
        };
        let pct = match outcome.family() {
            F::Refuse => 45,
            F::Partial => 25,
            F::Unable => 12,
            F::NotProcessed => 10,
            F::Disclose | F::Other => 1,
        };
        if !rng.chance(pct) {
            continue;
        }
        let Some(org) = orgs.iter().find(|o| o.id == case.org_id) else {
            continue;
        };
        let kind = rng.weighted(&[
            (65, AppealKind::Reconsideration),
            (20, AppealKind::LitigationDirect),
            (15, AppealKind::LitigationAfterReview),
        ]);
        let (filed_after, decide_after) = match kind {
            AppealKind::Reconsideration => (rng.range(10, 55), rng.range(35, 60)),
            AppealKind::LitigationDirect => (rng.range(20, 150), rng.range(90, 180)),
            AppealKind::LitigationAfterReview => (rng.range(80, 130), rng.range(90, 180)),
        };
        let filed_on = next_working_day(&cal, closed_on + chrono::Days::new(filed_after.into()));
        if filed_on > today {
            continue;
        }
        let decided = next_working_day(&cal, filed_on + chrono::Days::new(decide_after.into()));
        let (government, court) = review_bodies(org, orgs);
        seq += 1;
        let year = filed_on.year();
        let (organ, reference) = match kind {
            AppealKind::Reconsideration => {
                let prefix = reference_prefix(&government);
                (government, format!("{prefix}政复〔{year}〕{}号", 10 + seq))
            }
            _ => {
                let court_code = if court.contains("中级") {
                    "青01"
                } else {
                    "青0102"
                };
                (court, format!("（{year}）{court_code}行初{}号", 20 + seq))
            }
        };
        let (result, decided_on) = if decided > today {
            (AppealResult::Pending, None)
        } else {
            (
                rng.weighted(&[
                    (65, AppealResult::Upheld),
                    (20, AppealResult::Corrected),
                    (15, AppealResult::Other),
                ]),
                Some(decided),
            )
        };
        let draft = AppealDraft {
            org_id: org.id,
            case_id: Some(case.id),
            kind,
            filed_on,
            organ,
            reference: Some(reference),
            decided_on,
            result,
            note: None,
        };
        store
            .create_appeal(actor, &draft, today)
            .await
            .with_context(|| format!("写入演示行政复议、诉讼记录（申请 {}）失败", case.number))?;
        n += 1;
    }
    // A few challenges from before the platform, kept without a case.
    let standalone: &[(&str, AppealKind, &str, AppealResult, Option<&str>)] = &[
        (
            "2024-03-18",
            AppealKind::Reconsideration,
            "青岚市人民政府",
            AppealResult::Upheld,
            Some("2024-05-10"),
        ),
        (
            "2024-06-03",
            AppealKind::LitigationDirect,
            "青岚市望湖区人民法院",
            AppealResult::Other,
            Some("2024-08-26"),
        ),
        (
            "2025-01-20",
            AppealKind::Reconsideration,
            "青岚市人民政府",
            AppealResult::Corrected,
            Some("2025-03-14"),
        ),
        (
            "2026-10-09",
            AppealKind::LitigationDirect,
            "青岚市望湖区人民法院",
            AppealResult::Pending,
            None,
        ),
    ];
    let target = orgs
        .iter()
        .find(|o| o.active && o.name.contains("自然资源"))
        .or_else(|| orgs.first());
    if let Some(org) = target {
        for (i, (filed, kind, organ, result, decided)) in standalone.iter().enumerate() {
            let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            let (Some(filed_on), decided_on) = (date(filed), decided.and_then(date)) else {
                continue;
            };
            if decided_on.unwrap_or(filed_on) > today {
                continue;
            }
            let draft = AppealDraft {
                org_id: org.id,
                case_id: None,
                kind: *kind,
                filed_on,
                organ: (*organ).into(),
                reference: STANDALONE_REFS.get(i).map(|r| (*r).to_string()),
                decided_on,
                result: *result,
                note: Some("平台启用前的案件，未关联申请。".into()),
            };
            store
                .create_appeal(actor, &draft, today)
                .await
                .context("写入演示行政复议、诉讼记录失败")?;
            n += 1;
        }
    }
    Ok(n)
}
