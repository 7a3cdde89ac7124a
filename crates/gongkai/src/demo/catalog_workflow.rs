//! Catalog items on their way through the publication workflow, so that
//! every console list (待我处理, 草稿, 待保密审查, 待领导审批, 待发布, 已撤回,
//! the 第二十六条 due lists) has something to show and the demo publisher,
//! reviewer and approver can try each step.
//!
//! The items are written through the store methods the console uses
//! (`create_item`, `record_item_scan`, `override_item_finding`,
//! `update_item`, `transition_item`) with the demo accounts as actors, so
//! the workflow rules and the separation of duties apply and every step
//! has its audit record. Scans use the console's scanner over the title,
//! the 内容概述 and the body text.
//!
//! The only dependence on the seeding day is in the dates: the 形成日期 of
//! the overdue and due-soon items is searched on the working-day calendar,
//! and those items are left out when the calendar does not cover the days
//! needed (a deadline is never guessed).
//!
//! The personal number the scanner is meant to catch is fictional. The
//! 990xxx resident IDs of the request history would not be caught: the
//! scanner flags an ID number only when its area starts with a province
//! code. A 外国人永久居留身份证 number (9, a province code, a 3-digit
//! nationality code, birth date, sequence, check character) is flagged as
//! an ID number; with the unassigned nationality code 999 it cannot belong
//! to anyone.

use super::data::plan;
use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};
use gongkai_core::Store;
use gongkai_core::audit::Actor;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::item::column::Column;
use gongkai_core::item::deadline::{DueStatus, publication_deadline};
use gongkai_core::item::{Decision, ItemCommand, ItemDetail, ItemDraft, ItemForm, ScanReport};
use gongkai_core::org::Organisation;
use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::scan::{Finding, ScanConfig, Scanner};
use gongkai_core::user::Role;

/// When an item's content was formed (its 形成/变更日期).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Formed {
    /// Calendar days before the seeding day: far from the deadline.
    DaysAgo(i64),
    /// Past the 第二十六条 due date by at least this many working days.
    Overdue(u32),
    /// Due within at most this many working days (0: today).
    DueSoon(u32),
}

/// How far along the workflow an item is taken.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    /// A 草稿, with or without a 发布前检查.
    Draft { scanned: bool },
    /// Submitted and sent back by the reviewer with this comment.
    Returned(&'static str),
    /// Submitted, waiting for the 保密审查.
    InReview,
    /// Passed the 保密审查; with a reason, the reviewer first let the
    /// blocking findings pass.
    InApproval {
        override_reason: Option<&'static str>,
    },
    /// Approved for publication this many days ahead, 09:00 Beijing time.
    Scheduled { days_ahead: i64 },
    /// Published, then withdrawn with this reason.
    Withdrawn(&'static str),
    /// Published, then corrected (更正): `wrong` replaced by `right` in the
    /// body, the reason shown to the public, and published again.
    Corrected {
        reason: &'static str,
        wrong: &'static str,
        right: &'static str,
    },
}

/// One item: its form (`column_id` holds a column key, the dates are set
/// when `formed` is resolved) and where it goes.
struct Planned {
    form: ItemForm,
    formed: Formed,
    route: Route,
}

const ORG: &str = "青岚市教育局";
const ADDRESSEES: &str = "各区县教育局，市直各学校：";

/// The scanner's field names, as the console's `item_scan` uses them.
const TITLE: &str = "标题";
const SUMMARY: &str = "内容概述";
const BODY: &str = "正文";

/// A fictional 外国人永久居留身份证 number (nationality code 999, which no
/// country has) with a valid check character.
fn permit_number(province: &str, birth: &str, seq: &str) -> String {
    let first17 = format!("9{province}999{birth}{seq}");
    let check = resident_id_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn paragraphs(parts: &[&str]) -> String {
    parts.join("\n\n")
}

fn form(
    title: String,
    summary: &str,
    body: String,
    column: &str,
    genre: &str,
    doc_number: String,
    keywords: &str,
) -> ItemForm {
    ItemForm {
        title,
        summary: summary.to_string(),
        body,
        issuers: ORG.into(),
        doc_number,
        topic: "science_education".into(),
        column_id: column.into(),
        genre: genre.into(),
        keywords: keywords.into(),
        disclosure: "proactive".into(),
        doc_kind: "other".into(),
        validity: "effective".into(),
        ..Default::default()
    }
}

/// The items, in the order they are written. Pure, so it is tested.
fn items(year: i32) -> Vec<Planned> {
    let y = year;
    let teacher_permit = permit_number("37", "19870415", "026");
    let parent_permit = permit_number("37", "19820923", "014");
    let mut out = Vec::new();
    let mut add = |form: ItemForm, formed: Formed, route: Route| {
        out.push(Planned {
            form,
            formed,
            route,
        })
    };

    add(
        form(
            format!("青岚市教育局关于{y}年第二批教师资格认定结果的公示"),
            "公示本批教师资格认定的审核结果，公示期为5个工作日。",
            paragraphs(&[
                "根据《教师资格条例》和《〈教师资格条例〉实施办法》有关规定，经资格审核、体检和专家审查，下列人员拟认定教师资格，现予公示。",
                &format!(
                    "一、周某某，初级中学教师资格（数学）；二、林某某，小学教师资格（语文）；三、Hanna Lind（外国人永久居留身份证号码{teacher_permit}），高级中学教师资格（英语）。"
                ),
                "公示期为5个工作日。对公示人员有异议的，可在公示期内以书面形式向青岚市教育局反映，并提供联系方式。",
                ORG,
            ]),
            "licensing",
            "public_notice",
            String::new(),
            "教师资格认定 公示",
        ),
        Formed::DaysAgo(2),
        Route::Draft { scanned: true },
    );
    add(
        form(
            format!("青岚市教育局关于开展{y}年中小学校园食品安全专项检查的通知"),
            "部署中小学校园食品安全专项检查，明确检查范围、重点内容和时间安排。",
            paragraphs(&[
                ADDRESSEES,
                "为切实保障师生饮食安全，市教育局决定在全市中小学校开展校园食品安全专项检查，现将有关事项通知如下。",
                "一、检查范围。全市中小学校食堂、校外供餐单位及校园周边食品经营场所。",
                "二、检查重点。食品原料采购查验、加工制作过程、餐用具清洗消毒和陪餐制度落实情况。",
                "三、工作要求。各单位要先行开展自查，对发现的问题建立台账、限期整改。",
                ORG,
            ]),
            "policy_other",
            "notice",
            String::new(),
            "校园食品安全 专项检查",
        ),
        Formed::DaysAgo(1),
        Route::Draft { scanned: false },
    );
    add(
        form(
            format!("青岚市教育局关于下达{y}年城乡义务教育补助经费预算的通知"),
            "下达城乡义务教育公用经费、学生资助等补助经费预算，明确资金使用和管理要求。",
            paragraphs(&[
                ADDRESSEES,
                &format!(
                    "现将{y}年城乡义务教育补助经费预算下达给你们，主要用于学校公用经费、家庭经济困难学生生活补助和校舍维修改造。"
                ),
                "各单位要严格按照规定用途使用资金，不得截留、挤占和挪用，并按要求做好绩效自评。",
                ORG,
            ]),
            "policy_other",
            "notice",
            format!("青教发〔{y}〕31号"),
            "义务教育 补助经费",
        ),
        Formed::Overdue(3),
        Route::Draft { scanned: true },
    );
    add(
        form(
            format!("青岚市{y}年秋季学期中小学课后服务收费标准公示"),
            "公示市直中小学课后服务的收费项目、收费标准和收费依据。",
            paragraphs(&[
                "为规范中小学课后服务收费行为，现将市直中小学课后服务收费标准公示如下。",
                "一、收费项目。课后服务费，按照自愿参加原则由家长选择。",
                "二、收费标准。每生每课时不超过3元，按学期收取，不参加课后服务的学生不收费。",
                "三、监督方式。对收费有意见的，可向青岚市教育局反映。",
            ]),
            "finance_fees",
            "public_notice",
            String::new(),
            "课后服务 收费标准",
        ),
        Formed::DueSoon(1),
        Route::Returned("正文未写明收费标准依据的价格主管部门文件名称和文号，请补充后重新提交。"),
    );
    add(
        form(
            format!("青岚市教育局关于{y}年秋季学期外籍人员子女入学安排结果的公告"),
            "公告本学期外籍人员子女申请在本市义务教育学校就读的安排结果。",
            paragraphs(&[
                "根据外籍人员子女入学有关规定，市教育局对本学期提出申请的外籍人员子女进行了审核，并统筹安排了就读学校。",
                &format!(
                    "经审核，外籍人员子女Lukas Berger（家长外国人永久居留身份证号码{parent_permit}）安排至青岚市实验小学二年级就读。"
                ),
                "请家长在接到通知后5个工作日内持相关材料到学校办理入学手续。",
                ORG,
            ]),
            "policy_other",
            "announcement",
            String::new(),
            "外籍人员子女 入学",
        ),
        Formed::DaysAgo(3),
        Route::InReview,
    );
    add(
        form(
            format!("青岚市教育局关于开展{y}年中小学校园安全隐患排查整治工作的通知"),
            "部署中小学校园安全隐患排查整治，明确排查内容、整改要求和报送时限。",
            paragraphs(&[
                ADDRESSEES,
                "为进一步加强校园安全管理，防范化解安全风险，市教育局决定开展校园安全隐患排查整治工作。",
                "一、排查内容。校舍建筑、消防设施、用电用气、校车运行、周边交通和治安环境等。",
                "二、整改要求。对排查发现的隐患，能立即整改的立即整改，不能立即整改的制定方案、明确时限。",
                "三、报送时限。各单位于每月5日前报送上月排查整治情况。",
                ORG,
            ]),
            "policy_other",
            "notice",
            format!("青教发〔{y}〕33号"),
            "校园安全 隐患排查",
        ),
        Formed::DaysAgo(4),
        Route::InReview,
    );
    add(
        form(
            format!("青岚市教育局关于{y}年校外培训机构“双随机、一公开”抽查情况的通报"),
            "通报校外培训机构“双随机、一公开”抽查情况、发现的问题和整改要求。",
            paragraphs(&[
                ADDRESSEES,
                "按照“双随机、一公开”监管要求，市教育局会同有关部门对校外培训机构开展了随机抽查。",
                "本次共抽查校外培训机构36家，发现问题9家，主要是收费公示不规范和消防设施不完善，已全部责令限期整改。",
                "各区县教育局要加强日常监管，对整改不到位的机构依法处理。",
                ORG,
            ]),
            "key_inspection",
            "bulletin",
            String::new(),
            "校外培训 双随机",
        ),
        Formed::Overdue(1),
        Route::InReview,
    );
    let mut normative = form(
        "青岚市教育局关于印发《青岚市中小学校学生欺凌防治工作办法》的通知".into(),
        "印发学生欺凌防治工作办法，明确学校、家庭和有关部门的防治职责、处置程序和保障措施，自印发之日起施行，有效期5年。",
        paragraphs(&[
            ADDRESSEES,
            "《青岚市中小学校学生欺凌防治工作办法》已经局务会议研究通过，现印发给你们，请认真贯彻执行。",
            "第一条　为预防和处置中小学校学生欺凌，保护学生身心健康，根据有关法律法规，制定本办法。",
            "第二条　学校应当建立学生欺凌防治工作机制，明确专人负责，定期开展排查和教育活动。",
            "第三条　本办法自印发之日起施行，有效期5年。",
        ]),
        "policy_normative",
        "notice",
        format!("青教规〔{y}〕6号"),
        "学生欺凌防治 规范性文件",
    );
    normative.doc_kind = "normative".into();
    add(
        normative,
        Formed::DueSoon(2),
        Route::InApproval {
            override_reason: None,
        },
    );
    add(
        form(
            format!("青岚市教育局关于开展{y}年中小学实验室安全检查的通知"),
            "部署中小学实验室安全检查，重点检查危险化学品的采购、存放、使用和处置。",
            paragraphs(&[
                ADDRESSEES,
                "为加强中小学实验室安全管理，市教育局决定开展实验室安全检查，请各单位对照检查要点认真自查。",
                "检查重点包括危险化学品的采购审批、分类存放、领用登记和废弃物处置情况。",
                "附件：学校实验室危险化学品管理台账（内部使用）",
                ORG,
            ]),
            "policy_other",
            "notice",
            String::new(),
            "实验室安全 危险化学品",
        ),
        Formed::DaysAgo(5),
        Route::InApproval {
            override_reason: Some(
                "“内部使用”是附件台账名称中的说明，指台账由学校留存备查，不是密级标志；本通知可以公开。",
            ),
        },
    );
    add(
        form(
            format!("《青岚市{y}年义务教育阶段学校招生入学工作方案》政策解读"),
            "从出台背景、主要内容和办理流程三个方面解读义务教育阶段学校招生入学工作方案。",
            paragraphs(&[
                "一、出台背景。为保障适龄儿童少年依法接受义务教育，进一步规范招生入学秩序，市教育局制定了招生入学工作方案。",
                "二、主要内容。方案明确了公办学校划片招生、民办学校同步招生和随迁子女入学的政策。",
                "三、办理流程。家长通过全市统一的招生入学平台报名，学校审核后公布录取结果。",
            ]),
            "policy_interpretation",
            "interpretation",
            String::new(),
            "招生入学 政策解读",
        ),
        Formed::DaysAgo(2),
        Route::Scheduled { days_ahead: 3 },
    );
    add(
        form(
            "青岚市教育局关于举办第十届青岚市中小学生科技节的通知".into(),
            "部署第十届中小学生科技节的活动内容、参加对象和报名方式。",
            paragraphs(&[
                ADDRESSEES,
                "为激发中小学生的科学兴趣，培养创新精神和实践能力，市教育局决定举办第十届青岚市中小学生科技节。",
                "一、活动内容。科技创新作品展示、机器人竞赛和科普讲座。",
                "二、参加对象。全市中小学校在校学生。",
                "三、报名方式。以学校为单位统一报名。",
                ORG,
            ]),
            "policy_other",
            "notice",
            String::new(),
            "科技节 科普",
        ),
        Formed::DaysAgo(6),
        Route::Withdrawn("因承办场馆检修，科技节延期举办，原通知撤回，举办时间另行通知。"),
    );
    add(
        form(
            format!("青岚市教育局关于{y}年初中学业水平考试体育与健康考试安排的通知"),
            "部署初中学业水平考试体育与健康考试的考试项目、考点设置和组织要求。",
            paragraphs(&[
                ADDRESSEES,
                "根据初中学业水平考试工作安排，现将体育与健康考试有关事项通知如下。",
                "一、考试项目。男子1000米跑、女子800米跑为必考项目，另从跳绳、立定跳远和篮球运球中选考一项。",
                "二、考点设置。全市共设考点12个，由各区县教育局负责组织实施。",
                "三、组织要求。各考点要制定安全应急预案，配备医务人员。",
                ORG,
            ]),
            "policy_other",
            "notice",
            String::new(),
            "学业水平考试 体育",
        ),
        Formed::DaysAgo(8),
        Route::Corrected {
            reason: "原通知第二条中考点数量误写为12个，应为15个，现予更正。",
            wrong: "全市共设考点12个",
            right: "全市共设考点15个",
        },
    );
    out
}

/// The latest 形成日期 on or before `today` whose due date has a status
/// `wanted` accepts on `today`; `None` when the calendar cannot tell.
fn formed_on(cal: &WorkdayCalendar, today: NaiveDate, formed: Formed) -> Option<NaiveDate> {
    let wanted = |s: DueStatus| match (formed, s) {
        (Formed::Overdue(min), DueStatus::Overdue { working_days_late }) => {
            working_days_late >= min
        }
        (Formed::DueSoon(max), DueStatus::DueSoon { working_days_left }) => {
            working_days_left <= max
        }
        _ => false,
    };
    match formed {
        Formed::DaysAgo(n) => Some(today - Duration::days(n)),
        // 20 working days span at most about six weeks, even over the
        // Spring Festival; a quarter is ample.
        Formed::Overdue(_) | Formed::DueSoon(_) => {
            (0..90).map(|k| today - Duration::days(k)).find(|d| {
                publication_deadline(cal, *d)
                    .ok()
                    .and_then(|deadline| DueStatus::of(cal, deadline.due, today).ok())
                    .is_some_and(wanted)
            })
        }
    }
}

/// Findings in the title, the summary and the body text. The bodies are
/// plain paragraphs without markup characters, so the text a reader sees
/// of the sanitised body is exactly the text they were written as.
fn findings(scanner: &Scanner, meta: &ItemDraft, body_text: &str) -> Vec<Finding> {
    scanner.scan(&[
        (TITLE, &meta.title),
        (SUMMARY, &meta.summary),
        (BODY, body_text),
    ])
}

/// A demo account of `role`, as an actor, with the organisation index its
/// role is granted at.
async fn account(store: &dyn Store, role: Role) -> anyhow::Result<(Actor, usize)> {
    let plan = plan()?;
    let a = plan
        .accounts
        .iter()
        .find(|a| a.role == role)
        .ok_or_else(|| anyhow!("演示数据中没有{}账号", role.label()))?;
    let creds = store
        .get_credentials(&a.username)
        .await
        .with_context(|| format!("查询演示账号 {} 失败", a.username))?
        .ok_or_else(|| anyhow!("演示账号 {} 不存在", a.username))?;
    Ok((
        Actor {
            user_id: Some(creds.user.id),
            name: creds.user.username,
            via: "demo".into(),
        },
        a.grant_org,
    ))
}

fn column_id(columns: &[Column], key: &str) -> anyhow::Result<i64> {
    columns
        .iter()
        .find(|c| c.key.as_deref() == Some(key))
        .map(|c| c.id)
        .ok_or_else(|| anyhow!("演示栏目 {key} 不存在"))
}

/// 09:00 Beijing time on `day`.
fn nine_am(day: NaiveDate) -> anyhow::Result<DateTime<Utc>> {
    let beijing = FixedOffset::east_opt(8 * 3600).ok_or_else(|| anyhow!("UTC+8"))?;
    day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN))
        .and_local_timezone(beijing)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| anyhow!("定时发布时间无效"))
}

/// The demo staff who move the items along.
struct Staff {
    publisher: Actor,
    reviewer: Actor,
    approver: Actor,
}

/// Writes the workflow items for the agency where the demo publisher,
/// reviewer and approver work; `orgs` are the demo organisations in plan
/// order, `today` the seeding day (Beijing time). Returns how many items
/// were written.
pub async fn seed(
    store: &dyn Store,
    orgs: &[Organisation],
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let (publisher, org) = account(store, Role::Publisher).await?;
    let (reviewer, review_org) = account(store, Role::Reviewer).await?;
    let (approver, approve_org) = account(store, Role::Approver).await?;
    if review_org != org || approve_org != org {
        bail!("演示发布员、审查员和审核领导须在同一机构");
    }
    let org = orgs
        .get(org)
        .ok_or_else(|| anyhow!("演示账号的授权机构不存在"))?;
    let staff = Staff {
        publisher,
        reviewer,
        approver,
    };
    let years = store
        .list_calendar_years()
        .await
        .context("读取工作日历失败")?;
    let cal = WorkdayCalendar::effective(&years).map_err(|e| anyhow!("工作日历有误：{e}"))?;
    let columns = store
        .list_item_columns(org.id)
        .await
        .context("读取公开目录栏目失败")?;
    let scanner = Scanner::new(&ScanConfig::default());
    let mut written = 0;
    for p in items(today.year()) {
        let Some(formed) = formed_on(&cal, today, p.formed) else {
            continue;
        };
        let mut form = p.form.clone();
        form.column_id = column_id(&columns, &form.column_id)?.to_string();
        form.formed_on = formed.to_string();
        form.written_on = formed.to_string();
        let draft = form
            .validate()
            .map_err(|e| anyhow!("演示信息“{}”无效：{e}", form.title))?;
        let detail = store
            .create_item(&staff.publisher, org.id, &draft)
            .await
            .with_context(|| format!("起草演示信息“{}”失败", form.title))?;
        drive(store, &staff, &scanner, detail, &form, &p.route, today)
            .await
            .with_context(|| format!("演示信息“{}”的发布流程失败", form.title))?;
        written += 1;
    }
    Ok(written)
}

/// Takes a new draft along `route`, step by step as the console would.
async fn drive(
    store: &dyn Store,
    staff: &Staff,
    scanner: &Scanner,
    detail: ItemDetail,
    form: &ItemForm,
    route: &Route,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let flow = Flow {
        store,
        staff,
        scanner,
        body: form.body.clone(),
    };
    match route {
        Route::Draft { scanned: false } => {}
        Route::Draft { scanned: true } => {
            flow.scan(&staff.publisher, &detail).await?;
        }
        Route::Returned(comment) => {
            let d = flow.submit(&detail).await?;
            flow.review(
                &d,
                Decision::Reject {
                    comment: (*comment).into(),
                },
            )
            .await?;
        }
        Route::InReview => {
            flow.submit(&detail).await?;
        }
        Route::InApproval { override_reason } => {
            let mut d = flow.submit(&detail).await?;
            if let Some(reason) = override_reason {
                let keys: Vec<String> = d
                    .latest()
                    .scan
                    .iter()
                    .flat_map(|s| s.findings.iter().filter(|f| f.blocks))
                    .map(|f| f.key.clone())
                    .collect();
                for key in keys {
                    d = store
                        .override_item_finding(&staff.reviewer, d.item.id, &key, reason)
                        .await?;
                }
            }
            flow.review(&d, pass("经审查，未发现涉密和敏感信息，同意报领导审批。"))
                .await?;
        }
        Route::Scheduled { days_ahead } => {
            let at = nine_am(today + Duration::days(*days_ahead))?;
            flow.publish(&detail, Some(at)).await?;
        }
        Route::Withdrawn(reason) => {
            let d = flow.publish(&detail, None).await?;
            flow.step(
                &staff.approver,
                &d,
                ItemCommand::Withdraw {
                    reason: (*reason).into(),
                },
            )
            .await?;
        }
        Route::Corrected {
            reason,
            wrong,
            right,
        } => {
            let d = flow.publish(&detail, None).await?;
            let d = flow
                .step(
                    &staff.publisher,
                    &d,
                    ItemCommand::Revise {
                        correction: Some((*reason).into()),
                    },
                )
                .await?;
            // The corrected text, changed today (the 变更日期 starts the
            // new version's own 20 working days).
            let mut fixed = form.clone();
            fixed.body = form.body.replace(wrong, right);
            fixed.formed_on = today.to_string();
            let draft = fixed
                .validate()
                .map_err(|e| anyhow!("更正后的演示信息无效：{e}"))?;
            let d = store
                .update_item(&staff.publisher, d.item.id, &draft)
                .await?;
            let corrected = Flow {
                body: fixed.body,
                ..flow
            };
            corrected.publish(&d, None).await?;
        }
    }
    Ok(())
}

fn pass(comment: &str) -> Decision {
    Decision::Pass {
        comment: Some(comment.into()),
    }
}

/// The steps of the console on one item whose body text is `body`.
struct Flow<'a> {
    store: &'a dyn Store,
    staff: &'a Staff,
    scanner: &'a Scanner,
    body: String,
}

impl Flow<'_> {
    /// 发布前检查 by `actor`, recorded against the current content.
    async fn scan(&self, actor: &Actor, d: &ItemDetail) -> anyhow::Result<ItemDetail> {
        let v = d.latest();
        let found = findings(self.scanner, &v.meta, &self.body);
        let report = ScanReport::new(v.fingerprint(), &found);
        Ok(self
            .store
            .record_item_scan(actor, d.item.id, &report)
            .await?)
    }

    async fn step(
        &self,
        actor: &Actor,
        d: &ItemDetail,
        cmd: ItemCommand,
    ) -> anyhow::Result<ItemDetail> {
        Ok(self
            .store
            .transition_item(actor, d.item.id, &cmd, Utc::now())
            .await?)
    }

    /// 提交审查, scanned first as the console does.
    async fn submit(&self, d: &ItemDetail) -> anyhow::Result<ItemDetail> {
        let d = self.scan(&self.staff.publisher, d).await?;
        self.step(&self.staff.publisher, &d, ItemCommand::Submit)
            .await
    }

    async fn review(&self, d: &ItemDetail, decision: Decision) -> anyhow::Result<ItemDetail> {
        self.step(&self.staff.reviewer, d, ItemCommand::Review(decision))
            .await
    }

    /// Submitted, reviewed, scanned again and approved: published at once,
    /// or scheduled for `at`.
    async fn publish(
        &self,
        d: &ItemDetail,
        at: Option<DateTime<Utc>>,
    ) -> anyhow::Result<ItemDetail> {
        let d = self.submit(d).await?;
        let d = self
            .review(&d, pass("经审查，未发现涉密和敏感信息，同意报领导审批。"))
            .await?;
        let d = self.scan(&self.staff.approver, &d).await?;
        self.step(
            &self.staff.approver,
            &d,
            ItemCommand::Approve {
                decision: pass("同意发布。"),
                publish_at: at,
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::html::SafeHtml;
    use gongkai_core::scan::FindingKind;

    fn scanner() -> Scanner {
        Scanner::new(&ScanConfig::default())
    }

    fn meta(form: &ItemForm) -> ItemDraft {
        let mut f = form.clone();
        f.column_id = "1".into();
        f.formed_on = "2026-11-02".into();
        f.validate().unwrap_or_else(|e| panic!("{}: {e}", f.title))
    }

    fn blocking(p: &Planned) -> Vec<FindingKind> {
        findings(&scanner(), &meta(&p.form), &p.form.body)
            .iter()
            .filter(|x| x.blocks())
            .map(|x| x.kind)
            .collect()
    }

    #[test]
    fn every_item_validates_and_finds_what_its_route_needs() {
        let plan = items(2026);
        assert!((12..=16).contains(&plan.len()), "{}", plan.len());
        let mut with_id = 0;
        for p in &plan {
            let kinds = blocking(p);
            match &p.route {
                // The submitted item with an open finding and the scanned draft.
                Route::InReview | Route::Draft { scanned: true } if !kinds.is_empty() => {
                    assert_eq!(kinds, vec![FindingKind::IdNumber], "{}", p.form.title);
                    with_id += 1;
                }
                Route::InApproval {
                    override_reason: Some(_),
                } => assert_eq!(kinds, vec![FindingKind::Marking], "{}", p.form.title),
                // Everything that passes review without an override is clean.
                _ => assert!(kinds.is_empty(), "{}: {kinds:?}", p.form.title),
            }
        }
        assert_eq!(with_id, 2);
        let titles: Vec<_> = plan.iter().map(|p| p.form.title.clone()).collect();
        let again: Vec<_> = items(2026).into_iter().map(|p| p.form.title).collect();
        assert_eq!(titles, again);
    }

    #[test]
    fn the_corrected_text_is_found_and_stays_clean() {
        for p in items(2026) {
            if let Route::Corrected { wrong, right, .. } = p.route {
                assert!(p.form.body.contains(wrong));
                let fixed = p.form.body.replace(wrong, right);
                assert!(findings(&scanner(), &meta(&p.form), &fixed).is_empty());
            }
        }
    }

    /// The scan reads the body as the console does only if sanitising
    /// keeps every character of these plain paragraphs.
    #[test]
    fn bodies_are_plain_paragraphs() {
        for p in items(2026) {
            let body = &p.form.body;
            assert!(!body.contains(['&', '<', '>', '"', '\'']), "{body}");
            let html = SafeHtml::sanitize(body);
            let visible = html
                .as_str()
                .replace("</p>\n<p>", "\n\n")
                .replace("<p>", "")
                .replace("</p>", "");
            assert_eq!(&visible, body);
        }
    }

    #[test]
    fn the_permit_number_is_flagged_but_the_request_history_area_is_not() {
        let n = permit_number("37", "19870415", "026");
        assert_eq!(n.len(), 18);
        let found = scanner().scan_field(BODY, &format!("证件号码{n}。"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::IdNumber);
        assert!(found[0].maskable());
        // Why the 990xxx numbers of demo/requests.rs would not do.
        let first17 = "99010119870415026";
        let id = format!("{first17}{}", resident_id_check_char(first17).unwrap());
        assert!(
            !scanner()
                .scan_field(BODY, &format!("身份证号码{id}。"))
                .iter()
                .any(|f| f.kind == FindingKind::IdNumber)
        );
    }

    #[test]
    fn overdue_and_due_soon_dates_land_as_intended() {
        let cal = WorkdayCalendar::official();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let status = |f| {
            let d = formed_on(&cal, today, f).unwrap();
            let due = publication_deadline(&cal, d).unwrap().due;
            DueStatus::of(&cal, due, today).unwrap()
        };
        assert!(matches!(
            status(Formed::Overdue(3)),
            DueStatus::Overdue { working_days_late } if working_days_late >= 3
        ));
        assert!(matches!(
            status(Formed::DueSoon(1)),
            DueStatus::DueSoon { working_days_left } if working_days_left <= 1
        ));
        assert!(matches!(status(Formed::DaysAgo(8)), DueStatus::Open { .. }));
        // A year without a State Council notice: left out, not guessed.
        let later = NaiveDate::from_ymd_opt(2031, 3, 3).unwrap();
        assert_eq!(formed_on(&cal, later, Formed::Overdue(1)), None);
        assert_eq!(formed_on(&cal, later, Formed::DueSoon(2)), None);
    }
}
