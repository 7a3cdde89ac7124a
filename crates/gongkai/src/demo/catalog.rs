//! The demo catalog: a few hundred published 主动公开 items across the
//! demo agencies and their columns, generated deterministically (the same
//! titles, dates and numbers on every run) in the style of real
//! 政府信息公开 pages — 文号 like 青政办发〔2025〕12号, 无文号 where real sites
//! have none (解读, 统计, 预决算, 采购结果), some 失效 (plans whose period
//! ended) and some 废止 (暂行办法 repealed by the later 办法, linked).
//!
//! Items go in through `ItemStore::import_items` — the path an earlier
//! site's content takes — so every form is validated by `ItemForm` and the
//! store checks columns and repeal links; each item gets an `item.import`
//! audit record. 索引号 follow the default template
//! `{org_code}/{year}-{seq:05}`.

use anyhow::{Context, anyhow};
use chrono::{Datelike, Duration, NaiveDate};
use gongkai_core::Store;
use gongkai_core::audit::Actor;
use gongkai_core::item::column::Column;
use gongkai_core::item::taxonomy::default_columns;
use gongkai_core::item::{IndexNo, ItemForm, LegacyItem};
use gongkai_core::org::{OrgKind, Organisation};
use std::collections::HashMap;

/// A small deterministic generator (64-bit LCG, high bits), so the demo
/// needs no random-number crate and is the same on every run.
struct Dice(u64);

impl Dice {
    fn new(seed: u64) -> Self {
        Self(
            seed.wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407),
        )
    }

    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// (theme, 主题分类 key) by a word in the agency's name; the first match wins.
const DEPT_THEMES: &[(&str, &str, &[&str])] = &[
    (
        "发展和改革",
        "economy",
        &[
            "重大项目建设",
            "价格监测",
            "节能降耗",
            "社会信用体系建设",
            "粮食安全保障",
        ],
    ),
    (
        "教育",
        "science_education",
        &[
            "义务教育招生入学",
            "校外培训机构监管",
            "学生资助",
            "校园安全",
            "教师队伍建设",
        ],
    ),
    (
        "公安",
        "security_justice",
        &[
            "道路交通安全管理",
            "户籍管理",
            "电动自行车登记",
            "社会治安防控",
            "出入境证件办理",
        ],
    ),
    (
        "民政",
        "civil_affairs",
        &[
            "最低生活保障",
            "养老服务",
            "社会组织登记管理",
            "殡葬管理",
            "困境儿童保障",
        ],
    ),
    (
        "财政",
        "finance",
        &[
            "预算绩效管理",
            "政府采购",
            "行政事业单位国有资产管理",
            "惠民惠农财政补贴资金",
            "直达资金监控",
        ],
    ),
    (
        "人力资源",
        "labour_personnel",
        &[
            "就业创业",
            "城乡居民养老保险",
            "职业技能培训",
            "根治欠薪",
            "事业单位公开招聘",
        ],
    ),
    (
        "自然资源",
        "land_energy",
        &[
            "国土空间规划",
            "不动产登记",
            "耕地保护",
            "地质灾害防治",
            "土地征收",
        ],
    ),
    (
        "国土资源",
        "land_energy",
        &["土地利用总体规划", "矿产资源管理", "土地整治"],
    ),
    (
        "生态环境",
        "urban_environment",
        &[
            "大气污染防治",
            "水污染防治",
            "建设项目环境影响评价",
            "固体废物管理",
            "生态环境执法",
        ],
    ),
    (
        "住房",
        "urban_environment",
        &[
            "老旧小区改造",
            "保障性住房",
            "建筑施工安全",
            "物业管理",
            "城镇燃气安全",
        ],
    ),
    (
        "交通",
        "industry_transport",
        &[
            "城市公共交通",
            "农村公路建设",
            "道路运输安全",
            "出租汽车管理",
            "交通工程质量",
        ],
    ),
    (
        "卫生健康",
        "health_sports",
        &[
            "基本公共卫生服务",
            "医疗机构管理",
            "传染病防控",
            "家庭医生签约服务",
            "妇幼健康",
        ],
    ),
    (
        "市场监督",
        "market_safety",
        &[
            "食品安全",
            "特种设备安全",
            "产品质量监督抽查",
            "价格监督检查",
            "经营主体登记",
        ],
    ),
    (
        "农业农村",
        "agriculture",
        &[
            "高标准农田建设",
            "耕地地力保护补贴",
            "动物防疫",
            "农产品质量安全",
            "春耕生产",
        ],
    ),
    (
        "体育",
        "science_education",
        &["义务教育招生入学", "全民健身", "校园安全", "学生资助"],
    ),
];

/// Themes of governments, their offices and townships.
const GOV_THEMES: &[(&str, &str)] = &[
    ("政务公开", "general"),
    ("优化营商环境", "economy"),
    ("安全生产", "market_safety"),
    ("防汛抗旱", "agriculture"),
    ("乡村振兴", "agriculture"),
    ("城市更新", "urban_environment"),
    ("稳就业", "labour_personnel"),
    ("养老服务体系建设", "civil_affairs"),
    ("数字政府建设", "general"),
    ("法治政府建设", "general"),
    ("森林防灭火", "agriculture"),
    ("生态环境保护", "urban_environment"),
];

/// The 文号 stem of departments (青 + this + 发).
const DEPT_ABBR: &[(&str, &str)] = &[
    ("发展和改革", "发改"),
    ("教育体育", "教体"),
    ("教育", "教"),
    ("公安", "公"),
    ("民政", "民"),
    ("财政", "财"),
    ("人力资源", "人社"),
    ("自然资源和规划", "自然资规"),
    ("自然资源", "自然资"),
    ("国土资源", "国土资"),
    ("生态环境", "环"),
    ("住房", "建"),
    ("交通", "交"),
    ("卫生健康", "卫健"),
    ("市场监督", "市监"),
    ("农业农村", "农"),
];

const COMPANIES: &[&str] = &[
    "恒达建材有限公司",
    "顺通物流有限公司",
    "绿源食品有限公司",
    "新禾农业科技有限公司",
    "安泰建筑工程有限公司",
    "鑫隆商贸有限公司",
];

/// How the demo addresses one agency.
struct Agency<'a> {
    org: &'a Organisation,
    /// 青岚市 / 望湖区 / 枫溪县 / 临江镇 …: the place names in titles.
    place: String,
    /// 文号 prefix without 发/函, e.g. 青政办, 望教, 枫财.
    stem: String,
    themes: Vec<(String, String)>,
    kind: OrgKind,
}

fn agency<'a>(org: &'a Organisation, orgs: &[Organisation]) -> Agency<'a> {
    let name = org.name.as_str();
    let parent = |id: Option<i64>| id.and_then(|p| orgs.iter().find(|o| o.id == p));
    // The county-level government the agency belongs to (itself if it is one).
    let county = if name.contains("区") || name.starts_with("枫溪县") || name.starts_with("石桥县")
    {
        let mut cur = Some(org);
        let mut found = None;
        for _ in 0..8 {
            let Some(o) = cur else { break };
            if o.kind == OrgKind::Government {
                found = Some(o);
                break;
            }
            cur = parent(o.parent_id);
        }
        found.filter(|o| o.parent_id.is_some())
    } else {
        None
    };
    let county_place = county.map(|c| {
        let n = c.name.trim_start_matches("青岚市");
        n.trim_end_matches("人民政府").to_string()
    });
    let lead = |p: &str| p.chars().next().map(String::from).unwrap_or_default();
    let (place, stem) = match (org.kind, county_place) {
        (OrgKind::TownshipStreet, Some(c)) => {
            let own = name
                .trim_start_matches("青岚市")
                .trim_start_matches(c.as_str())
                .trim_end_matches("人民政府")
                .trim_end_matches("办事处")
                .to_string();
            let stem = format!("{}{}", lead(&c), own.chars().take(2).collect::<String>());
            (own, stem)
        }
        (OrgKind::Government, Some(c)) => (c.clone(), format!("{}政", lead(&c))),
        (OrgKind::GeneralOffice, Some(c)) => (c.clone(), format!("{}政办", lead(&c))),
        (OrgKind::Government, None) => ("青岚市".into(), "青政".into()),
        (OrgKind::GeneralOffice, None) => ("青岚市".into(), "青政办".into()),
        (_, c) => {
            let abbr = DEPT_ABBR
                .iter()
                .find(|(k, _)| name.contains(k))
                .map_or("办", |(_, a)| a);
            let place = c.clone().unwrap_or_else(|| "青岚市".into());
            (place.clone(), format!("{}{abbr}", lead(&place)))
        }
    };
    let themes = match org.kind {
        OrgKind::Department | OrgKind::Other => DEPT_THEMES
            .iter()
            .find(|(k, _, _)| name.contains(k))
            .map(|(_, topic, list)| {
                list.iter()
                    .map(|t| (t.to_string(), topic.to_string()))
                    .collect()
            }),
        _ => None,
    }
    .unwrap_or_else(|| {
        GOV_THEMES
            .iter()
            .map(|(t, k)| (t.to_string(), k.to_string()))
            .collect()
    });
    Agency {
        org,
        place,
        stem,
        themes,
        kind: org.kind,
    }
}

/// One item to import; `repealed_by` points at an earlier planned item.
struct Planned {
    form: ItemForm,
    published_on: NaiveDate,
    repealed_by: Option<usize>,
}

/// What kind of document to write, with its column.
#[derive(Clone, Copy)]
enum Doc {
    Normative,
    Notice,
    Bulletin,
    Interpretation,
    Plan,
    Statistics,
    Licensing,
    Enforcement,
    Budget,
    Procurement,
    Inspection,
    Recruitment,
    Grassroots(&'static str),
}

const DEPT_DOCS: &[Doc] = &[
    Doc::Normative,
    Doc::Notice,
    Doc::Notice,
    Doc::Bulletin,
    Doc::Interpretation,
    Doc::Plan,
    Doc::Statistics,
    Doc::Licensing,
    Doc::Enforcement,
    Doc::Budget,
    Doc::Procurement,
    Doc::Inspection,
    Doc::Recruitment,
];

const GOV_DOCS: &[Doc] = &[
    Doc::Normative,
    Doc::Notice,
    Doc::Notice,
    Doc::Notice,
    Doc::Bulletin,
    Doc::Interpretation,
    Doc::Plan,
    Doc::Plan,
    Doc::Statistics,
    Doc::Budget,
];

const TOWN_DOCS: &[Doc] = &[
    Doc::Notice,
    Doc::Plan,
    Doc::Budget,
    Doc::Grassroots("gr_farm_subsidies"),
    Doc::Grassroots("gr_social_assistance"),
    Doc::Grassroots("gr_work_safety"),
    Doc::Grassroots("gr_disaster_relief"),
    Doc::Grassroots("gr_rural_housing"),
];

/// The newest 发布日期 the demo uses; a fixed day keeps it deterministic.
fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).expect("valid date")
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 4).expect("valid date")
}

/// A weekday between the bounds.
fn weekday(d: &mut Dice, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as usize;
    let mut day = from + Duration::days(d.below(span + 1) as i64);
    while day.weekday().number_from_monday() > 5 {
        day -= Duration::days(1);
    }
    day.max(from)
}

fn paragraphs(parts: &[String]) -> String {
    parts.join("\n\n")
}

struct Numbers(HashMap<(String, i32), u32>);

impl Numbers {
    /// 青交发〔2025〕12号: the agency's running number of that year.
    fn next(&mut self, stem: &str, suffix: &str, year: i32) -> String {
        let n = self.0.entry((format!("{stem}{suffix}"), year)).or_insert(0);
        *n += 1 + (*n % 3);
        format!("{stem}{suffix}〔{year}〕{n}号")
    }
}

/// Writes one document of kind `doc` for the agency.
fn write(a: &Agency<'_>, doc: Doc, d: &mut Dice, numbers: &mut Numbers) -> Planned {
    let (theme, topic) = d.pick(&a.themes).clone();
    let org = a.org.name.as_str();
    let place = a.place.as_str();
    let published_on = weekday(d, first_day(), last_day());
    let year = published_on.year();
    let formed_on = published_on - Duration::days(1 + d.below(12) as i64);
    let written_on = formed_on - Duration::days(d.below(4) as i64);
    let date_cn = written_on.format("%Y年%-m月%-d日").to_string();
    let addressees = match a.kind {
        OrgKind::Government | OrgKind::GeneralOffice => "各乡镇人民政府、街道办事处，各有关部门",
        OrgKind::TownshipStreet => "各村（居）民委员会，镇（乡、街道）属各单位",
        _ => "各有关单位",
    };
    let mut f = ItemForm {
        issuers: org.to_string(),
        written_on: written_on.to_string(),
        formed_on: formed_on.to_string(),
        topic: topic.clone(),
        disclosure: "proactive".into(),
        doc_kind: "other".into(),
        validity: "effective".into(),
        keywords: format!("{theme} {place}"),
        ..Default::default()
    };
    let column = |key: &str| key.to_string();
    let col: String;
    match doc {
        Doc::Normative => {
            col = column("policy_normative");
            f.genre = "notice".into();
            f.doc_kind = "normative".into();
            f.doc_number = numbers.next(&a.stem, "规", year);
            f.title = format!("{org}关于印发《{place}{theme}管理办法》的通知");
            f.summary = format!(
                "印发《{place}{theme}管理办法》，明确适用范围、职责分工、工作程序和监督管理要求，自印发之日起施行，有效期5年。"
            );
            f.body = paragraphs(&[
                format!("{addressees}："),
                format!("《{place}{theme}管理办法》已经研究同意，现印发给你们，请认真贯彻执行。"),
                org.to_string(),
                date_cn.clone(),
                format!("{place}{theme}管理办法"),
                format!(
                    "第一条　为规范{theme}工作，保障公民、法人和其他组织的合法权益，根据有关法律、法规和规章，结合本地实际，制定本办法。"
                ),
                format!("第二条　本办法适用于本行政区域内的{theme}及其监督管理活动。"),
                format!(
                    "第三条　{theme}工作坚持依法依规、公开透明、便民高效的原则。有关部门按照各自职责做好相关工作。"
                ),
                "第四条　本办法自印发之日起施行，有效期5年。".into(),
            ]);
        }
        Doc::Notice => {
            col = column("policy_other");
            f.genre = "notice".into();
            if d.chance(75) {
                f.doc_number = numbers.next(&a.stem, if d.chance(70) { "发" } else { "函" }, year);
            }
            f.title = if d.chance(50) {
                format!("{org}关于做好{year}年{theme}工作的通知")
            } else {
                format!("{org}关于开展{theme}专项行动的通知")
            };
            f.summary = format!("部署{year}年{theme}工作，明确目标任务、工作措施和完成时限。");
            f.body = paragraphs(&[
                format!("{addressees}："),
                format!(
                    "为深入做好{theme}工作，切实保障人民群众合法权益，结合{place}实际，现就有关事项通知如下。"
                ),
                format!(
                    "一、提高思想认识。各单位要充分认识{theme}工作的重要性，主要负责同志亲自抓，分管负责同志具体抓，确保各项任务落到实处。"
                ),
                "二、突出工作重点。聚焦群众反映集中的突出问题，建立问题清单、任务清单和责任清单，实行销号管理。".into(),
                "三、强化督促检查。各单位于每季度末将工作进展情况报送牵头部门，牵头部门定期通报。".into(),
                org.to_string(),
                date_cn.clone(),
            ]);
        }
        Doc::Bulletin => {
            col = column("policy_other");
            f.genre = "bulletin".into();
            if d.chance(60) {
                f.doc_number = numbers.next(&a.stem, "发", year);
            }
            let prev = year - 1;
            f.title = format!("{org}关于{prev}年度{theme}工作情况的通报");
            f.summary = format!("通报{prev}年度{theme}工作开展情况、存在问题和下一步要求。");
            f.body = paragraphs(&[
                format!("{addressees}："),
                format!(
                    "{prev}年，各单位认真落实{theme}各项工作要求，整体工作取得积极成效。现将有关情况通报如下。"
                ),
                format!(
                    "一、基本情况。全年共组织开展{theme}检查{}次，发现并整改问题{}个。",
                    12 + d.below(30),
                    40 + d.below(200)
                ),
                "二、存在问题。部分单位工作台账不够规范，个别问题整改不及时。".into(),
                "三、下一步要求。各单位要对照通报问题逐项整改，并于30日内书面报送整改情况。".into(),
            ]);
        }
        Doc::Interpretation => {
            col = column("policy_interpretation");
            f.genre = "interpretation".into();
            f.title = if d.chance(50) {
                format!("《{place}{theme}管理办法》政策解读")
            } else {
                format!("一图读懂{place}{year}年{theme}工作要点")
            };
            f.summary = format!("从出台背景、主要内容和适用对象三个方面解读{theme}相关政策。");
            f.body = paragraphs(&[
                format!(
                    "一、出台背景。为进一步规范{theme}工作，回应群众关切，{org}在广泛征求意见的基础上制定了相关政策文件。"
                ),
                format!(
                    "二、主要内容。文件明确了{theme}的适用范围、办理程序、时限要求和监督方式。"
                ),
                format!("三、政策咨询。如有疑问，可在工作日向{org}咨询。"),
            ]);
        }
        Doc::Plan => {
            col = column("plans");
            let start = year - d.below(3) as i32;
            if d.chance(40) {
                f.genre = "plan".into();
                let period = if year <= 2025 {
                    "十四五"
                } else {
                    "十五五"
                };
                f.title = format!("{place}“{period}”{theme}规划");
                f.summary =
                    format!("明确“{period}”时期{place}{theme}的发展目标、重点任务和保障措施。");
                if d.chance(30) {
                    f.doc_number = numbers.next(&a.stem, "发", year);
                }
            } else {
                f.genre = "scheme".into();
                let end = start + 2;
                f.title = format!("{place}{theme}三年行动方案（{start}—{end}年）");
                f.summary =
                    format!("明确{start}年至{end}年{theme}的目标任务、责任分工和推进措施。");
                if d.chance(50) {
                    f.doc_number = numbers.next(&a.stem, "发", year);
                }
                // A plan whose period has ended is 失效, as real sites mark them.
                let ended = NaiveDate::from_ymd_opt(end, 12, 31).expect("valid date");
                if ended < last_day() && ended >= written_on {
                    f.validity = "expired".into();
                    f.validity_on = ended.to_string();
                }
            }
            f.body = paragraphs(&[
                format!("为推动{theme}工作高质量发展，结合{place}实际，制定本方案（规划）。"),
                format!(
                    "一、主要目标。到期末，{theme}工作机制更加健全，服务水平明显提升，群众满意度达到90%以上。"
                ),
                "二、重点任务。（一）完善制度体系；（二）提升服务能力；（三）加强监督管理。".into(),
                "三、保障措施。加强组织领导，强化经费保障，严格考核评估。".into(),
            ]);
        }
        Doc::Statistics => {
            col = column("statistics");
            f.genre = "statistics".into();
            // The month before publication: statistics follow the period.
            let (year, month) = match published_on.month() {
                1 => (year - 1, 12),
                m => (year, m - 1),
            };
            f.title = format!("{year}年{month}月{place}{theme}主要数据");
            f.summary = format!("发布{year}年{month}月{place}{theme}相关统计数据。");
            f.body = paragraphs(&[
                format!(
                    "{year}年{month}月，{place}{theme}各项指标运行平稳。本月办理相关事项{}件，同比增长{}.{}%。",
                    300 + d.below(900),
                    d.below(15),
                    d.below(10)
                ),
                "注：本数据为初步统计数，最终以年度统计公报为准。".into(),
            ]);
        }
        Doc::Licensing => {
            col = column("licensing");
            f.genre = "public_notice".into();
            let batch = 1 + d.below(published_on.month() as usize);
            f.title = format!("{org}{year}年第{batch}批行政许可事项办理结果公示");
            f.summary = format!("公示{year}年第{batch}批行政许可事项的办理结果。");
            f.body = paragraphs(&[
                format!(
                    "根据《中华人民共和国行政许可法》有关规定，现将{org}{year}年第{batch}批行政许可事项办理结果予以公示。"
                ),
                format!(
                    "本批共受理申请{}件，准予许可{}件，不予许可0件。办理结果可在政务服务网查询。",
                    8 + d.below(20),
                    8 + d.below(8)
                ),
            ]);
        }
        Doc::Enforcement => {
            col = column("enforcement");
            f.genre = "decision".into();
            let company = format!("{place}{}", d.pick(COMPANIES));
            f.doc_number = numbers.next(&a.stem, "罚决字", year);
            f.title = format!("{org}行政处罚决定书（{company}）");
            f.summary = format!("对{company}违反{theme}管理规定的行为依法作出行政处罚决定。");
            f.body = paragraphs(&[
                format!("当事人：{company}"),
                format!(
                    "经查，当事人存在违反{theme}管理规定的行为，违反了有关法律法规的规定。"
                ),
                format!(
                    "依据有关规定，本机关决定对当事人给予警告，并处罚款人民币{}元。",
                    (2 + d.below(18)) * 1000
                ),
                "当事人如不服本处罚决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。".into(),
            ]);
        }
        Doc::Budget => {
            col = column("finance_budget");
            f.genre = "report".into();
            f.topic = "finance".into();
            let (what, y) = if d.chance(50) {
                ("预算", year)
            } else {
                ("决算", year - 1)
            };
            f.title = format!("{org}{y}年部门{what}公开");
            f.summary = format!("公开{org}{y}年部门{what}及相关说明。");
            f.body = paragraphs(&[
                format!("根据预算法和财政部门有关要求，现将{org}{y}年部门{what}公开如下。"),
                format!(
                    "一、部门基本情况。本部门{y}年收支总计{}.{}万元，其中一般公共预算财政拨款收入占{}%。",
                    800 + d.below(9000),
                    d.below(100),
                    70 + d.below(28)
                ),
                "二、“三公”经费支出情况。因公出国（境）费0万元；公务接待费、公务用车运行维护费均较上年下降。".into(),
                "附表：部门收支总表、部门收入总表、部门支出总表等（详见附件）。".into(),
            ]);
        }
        Doc::Procurement => {
            col = column("finance_procurement");
            f.genre = "announcement".into();
            let company = format!("{place}{}", d.pick(COMPANIES));
            f.title = format!("{org}{theme}服务采购项目成交结果公告");
            f.summary = format!("公告{theme}服务采购项目的成交供应商和成交金额。");
            f.body = paragraphs(&[
                format!("一、项目名称：{theme}服务采购项目"),
                format!(
                    "二、成交信息：成交供应商为{company}，成交金额人民币{}.{}万元。",
                    20 + d.below(180),
                    d.below(100)
                ),
                "三、公告期限：自本公告发布之日起1个工作日。".into(),
            ]);
        }
        Doc::Inspection => {
            col = column("key_inspection");
            f.genre = "public_notice".into();
            f.title = format!("{org}{year}年“双随机、一公开”抽查结果公示");
            f.summary = format!("公示{year}年{theme}领域“双随机、一公开”抽查结果。");
            f.body = paragraphs(&[
                format!("按照“双随机、一公开”监管工作要求，{org}对{theme}领域开展了随机抽查。"),
                format!(
                    "本次共抽查检查对象{}家，未发现问题{}家，发现问题已责令限期整改。",
                    20 + d.below(40),
                    15 + d.below(20)
                ),
            ]);
        }
        Doc::Recruitment => {
            col = column("personnel");
            f.genre = "announcement".into();
            f.topic = "labour_personnel".into();
            f.title = format!("{org}所属事业单位{year}年公开招聘工作人员公告");
            f.summary = format!("{org}所属事业单位{year}年公开招聘工作人员的岗位、条件和程序。");
            f.body = paragraphs(&[
                format!(
                    "根据事业单位公开招聘有关规定，经研究，{org}所属事业单位{year}年面向社会公开招聘工作人员{}名。",
                    2 + d.below(10)
                ),
                "一、招聘条件。具有中华人民共和国国籍，遵守宪法和法律，具备岗位所需的专业或技能条件。".into(),
                "二、报名方式。采取网上报名方式，具体岗位见附件《招聘岗位表》。".into(),
            ]);
        }
        Doc::Grassroots(key) => {
            col = column(key);
            let (title, genre, topic, body) = match key {
                "gr_farm_subsidies" => (
                    format!("{place}{year}年耕地地力保护补贴发放情况公示"),
                    "public_notice",
                    "agriculture",
                    format!(
                        "{year}年{place}耕地地力保护补贴已通过“一卡通”发放到户，共涉及农户{}户，补贴面积{}亩。",
                        800 + d.below(2000),
                        5000 + d.below(20000)
                    ),
                ),
                "gr_social_assistance" => (
                    match (published_on.month() - 1) / 3 {
                        0 => format!("{place}{}年第4季度城乡最低生活保障金发放情况", year - 1),
                        q => format!("{place}{year}年第{q}季度城乡最低生活保障金发放情况"),
                    },
                    "public_notice",
                    "civil_affairs",
                    format!(
                        "本季度{place}共发放城乡最低生活保障金{}户{}人，合计{}.{}万元，已足额发放到户。",
                        60 + d.below(200),
                        100 + d.below(300),
                        20 + d.below(80),
                        d.below(10)
                    ),
                ),
                "gr_work_safety" => (
                    format!("{place}关于开展{year}年安全生产大检查的通知"),
                    "notice",
                    "market_safety",
                    format!(
                        "各村（居）、各单位：为切实做好{year}年安全生产工作，经研究，决定在全{}范围内开展安全生产大检查。",
                        place.chars().last().map(String::from).unwrap_or_default()
                    ),
                ),
                "gr_disaster_relief" => (
                    format!("{place}{year}年防汛抢险应急预案"),
                    "scheme",
                    "agriculture",
                    format!(
                        "为做好{year}年防汛抢险工作，最大限度减轻洪涝灾害损失，结合{place}实际，制定本预案。"
                    ),
                ),
                _ => (
                    format!("{place}{year}年农村危房改造工作实施方案"),
                    "scheme",
                    "urban_environment",
                    format!(
                        "为保障农村低收入群体住房安全，{place}{year}年计划实施农村危房改造{}户。",
                        10 + d.below(40)
                    ),
                ),
            };
            f.title = title;
            f.genre = genre.into();
            f.topic = topic.into();
            f.summary = f.title.clone();
            f.body = body;
        }
    }
    f.column_id = col;
    Planned {
        form: f,
        published_on,
        repealed_by: None,
    }
}

/// The 暂行办法 an agency had before the 办法 at `newer` (a 废止 pair).
fn predecessor(
    a: &Agency<'_>,
    newer: &Planned,
    newer_idx: usize,
    numbers: &mut Numbers,
) -> Planned {
    let mut f = newer.form.clone();
    let published_on = NaiveDate::from_ymd_opt(2021, 3, 15).expect("valid date");
    f.title = f.title.replace("管理办法》", "管理暂行办法》");
    f.summary = f.summary.replace("管理办法》", "管理暂行办法》");
    // The body carries the newer document's name and signing date.
    if let Ok(newer_written) = NaiveDate::parse_from_str(&newer.form.written_on, "%Y-%m-%d") {
        let newer_cn = newer_written.format("%Y年%-m月%-d日").to_string();
        f.body = f.body.replace(&newer_cn, "2021年3月8日");
    }
    f.body = f.body.replace("管理办法", "管理暂行办法");
    f.written_on = "2021-03-08".into();
    f.formed_on = "2021-03-10".into();
    f.doc_number = numbers.next(&a.stem, "规", 2021);
    f.validity = "repealed".into();
    f.validity_on = newer.published_on.to_string();
    Planned {
        form: f,
        published_on,
        repealed_by: Some(newer_idx),
    }
}

/// The items of one agency, newest plans first; pure, so it is tested.
fn plan_agency(a: &Agency<'_>, seed: u64) -> Vec<Planned> {
    let mut d = Dice::new(seed);
    let mut numbers = Numbers(HashMap::new());
    let (docs, count): (&[Doc], usize) = match a.kind {
        _ if !a.org.active => (DEPT_DOCS, 4),
        OrgKind::Government if a.org.parent_id.is_none() => (GOV_DOCS, 18),
        OrgKind::GeneralOffice if a.stem == "青政办" => (GOV_DOCS, 22),
        OrgKind::Government => (GOV_DOCS, 10),
        OrgKind::GeneralOffice => (GOV_DOCS, 12),
        OrgKind::TownshipStreet => (TOWN_DOCS, 8),
        _ if a.place == "青岚市" => (DEPT_DOCS, 10),
        _ => (DEPT_DOCS, 7),
    };
    let mut out: Vec<Planned> = Vec::with_capacity(count + 1);
    // Every agency publishes its 机构职能 page once.
    out.push(functions(a));
    for i in 0..count {
        // Walk the document kinds from a seeded start so that small
        // agencies still get a mix.
        let doc = docs[(i + seed as usize) % docs.len()];
        let mut p = write(a, doc, &mut d, &mut numbers);
        if !a.org.active {
            // A merged agency's items predate the merger.
            p.published_on = NaiveDate::from_ymd_opt(2018, 4 + i as u32, 12).expect("valid date");
            let formed = p.published_on - Duration::days(5);
            p.form.formed_on = formed.to_string();
            p.form.written_on = formed.to_string();
            if !p.form.validity_on.is_empty() {
                p.form.validity = "effective".into();
                p.form.validity_on.clear();
            }
        }
        out.push(p);
    }
    // A repealed 暂行办法 for some agencies with a 办法 published after 2021.
    if let Some(idx) = out
        .iter()
        .position(|p| p.form.doc_kind == "normative" && p.published_on.year() > 2021)
        && seed.is_multiple_of(2)
    {
        let old = predecessor(a, &out[idx], idx, &mut numbers);
        out.push(old);
    }
    out
}

fn functions(a: &Agency<'_>) -> Planned {
    let org = a.org.name.as_str();
    let published_on = NaiveDate::from_ymd_opt(2023, 1, 4).expect("valid date");
    Planned {
        form: ItemForm {
            title: format!("{org}机构职能"),
            summary: format!("{org}的主要职责、内设机构、办公地址、办公时间和联系方式。"),
            body: paragraphs(&[
                format!("一、主要职责。{org}贯彻落实上级决策部署，依法履行本机关职责。"),
                "二、内设机构。办公室、政策法规科、业务科室及综合执法机构等。".into(),
                "三、办公时间。工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）。".into(),
            ]),
            issuers: org.to_string(),
            formed_on: "2023-01-03".into(),
            topic: "general".into(),
            column_id: "org_functions".into(),
            genre: "other".into(),
            keywords: "机构职能 联系方式".into(),
            disclosure: "proactive".into(),
            doc_kind: "other".into(),
            validity: "effective".into(),
            ..Default::default()
        },
        published_on,
        repealed_by: None,
    }
}

/// The agency's column id for a default key; the plan writes keys.
fn column_id(columns: &[Column], key: &str) -> anyhow::Result<i64> {
    columns
        .iter()
        .find(|c| c.key.as_deref() == Some(key))
        .map(|c| c.id)
        .ok_or_else(|| anyhow!("演示栏目 {key} 不存在"))
}

/// Seeds every agency's column tree and catalog; returns the number of
/// items imported.
pub async fn seed(store: &dyn Store, actor: &Actor) -> anyhow::Result<usize> {
    let orgs = store.list_orgs().await.context("读取机构列表失败")?;
    let mut total = 0;
    for (pos, org) in orgs.iter().enumerate() {
        let columns = store
            .seed_item_columns(actor, org.id, &default_columns(org.kind, org.level))
            .await
            .context("创建公开目录栏目失败")?;
        let a = agency(org, &orgs);
        let planned = plan_agency(&a, pos as u64);
        let mut seq: HashMap<i32, u32> = HashMap::new();
        let code = org
            .code
            .as_ref()
            .map_or_else(|| format!("QL{:06}", org.id), |c| c.to_string());
        let mut to_item = |p: &Planned, form: &ItemForm| -> anyhow::Result<LegacyItem> {
            let mut form = form.clone();
            form.column_id = column_id(&columns, &form.column_id)?.to_string();
            let meta = form
                .validate()
                .map_err(|e| anyhow!("演示信息“{}”无效：{e}", form.title))?;
            let year = p.published_on.year();
            let n = seq.entry(year).or_insert(0);
            *n += 1;
            let index_no = IndexNo::legacy(&format!("{code}/{year}-{n:05}"))
                .map_err(|e| anyhow!("演示索引号无效：{e:?}"))?;
            Ok(LegacyItem {
                org_id: org.id,
                index_no,
                published_on: p.published_on,
                meta,
                attachments: Vec::new(),
                repealed_by_index_no: None,
            })
        };
        let first: Vec<LegacyItem> = planned
            .iter()
            .filter(|p| p.repealed_by.is_none())
            .map(|p| to_item(p, &p.form))
            .collect::<anyhow::Result<_>>()?;
        let ids = store
            .import_items(actor, &first)
            .await
            .with_context(|| format!("导入{}的演示公开信息失败", org.name))?;
        total += ids.len();
        let mut second = Vec::new();
        for p in planned.iter().filter(|p| p.repealed_by.is_some()) {
            let newer = p.repealed_by.unwrap_or_default();
            // Positions in `first` equal positions in `planned` because
            // repealed items come last.
            let mut form = p.form.clone();
            form.repealed_by = ids[newer].to_string();
            second.push(to_item(p, &form)?);
        }
        if !second.is_empty() {
            total += store
                .import_items(actor, &second)
                .await
                .with_context(|| format!("导入{}的演示废止信息失败", org.name))?
                .len();
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::org::OrgLevel;

    fn org(
        id: i64,
        parent: Option<i64>,
        name: &str,
        kind: OrgKind,
        level: OrgLevel,
    ) -> Organisation {
        Organisation {
            id,
            parent_id: parent,
            name: name.into(),
            short_name: None,
            code: None,
            kind,
            level,
            sort_order: 0,
            active: true,
            successor_id: None,
            contact: Default::default(),
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    fn orgs() -> Vec<Organisation> {
        vec![
            org(
                1,
                None,
                "青岚市人民政府",
                OrgKind::Government,
                OrgLevel::City,
            ),
            org(
                2,
                Some(1),
                "青岚市人民政府办公室",
                OrgKind::GeneralOffice,
                OrgLevel::City,
            ),
            org(
                3,
                Some(1),
                "青岚市交通运输局",
                OrgKind::Department,
                OrgLevel::City,
            ),
            org(
                4,
                Some(1),
                "枫溪县人民政府",
                OrgKind::Government,
                OrgLevel::County,
            ),
            org(
                5,
                Some(4),
                "枫溪县财政局",
                OrgKind::Department,
                OrgLevel::County,
            ),
            org(
                6,
                Some(4),
                "枫溪县白沙乡人民政府",
                OrgKind::TownshipStreet,
                OrgLevel::Township,
            ),
            org(
                7,
                Some(1),
                "青岚市望湖区人民政府",
                OrgKind::Government,
                OrgLevel::County,
            ),
            org(
                8,
                Some(7),
                "青岚市望湖区东城街道办事处",
                OrgKind::TownshipStreet,
                OrgLevel::Township,
            ),
        ]
    }

    #[test]
    fn agencies_get_their_place_and_doc_number_stem() {
        let o = orgs();
        let got: Vec<(String, String)> = o
            .iter()
            .map(|x| {
                let a = agency(x, &o);
                (a.place, a.stem)
            })
            .collect();
        let want = [
            ("青岚市", "青政"),
            ("青岚市", "青政办"),
            ("青岚市", "青交"),
            ("枫溪县", "枫政"),
            ("枫溪县", "枫财"),
            ("白沙乡", "枫白沙"),
            ("望湖区", "望政"),
            ("东城街道", "望东城"),
        ];
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0.as_str(), g.1.as_str()), w);
        }
    }

    #[test]
    fn every_planned_item_validates_and_the_plan_is_deterministic() {
        let o = orgs();
        let mut total = 0;
        let mut repealed = 0;
        let mut expired = 0;
        let mut no_number = 0;
        for (i, x) in o.iter().enumerate() {
            let a = agency(x, &o);
            let plan = plan_agency(&a, i as u64);
            let again = plan_agency(&a, i as u64);
            assert_eq!(
                plan.iter().map(|p| &p.form.title).collect::<Vec<_>>(),
                again.iter().map(|p| &p.form.title).collect::<Vec<_>>()
            );
            for p in &plan {
                let mut f = p.form.clone();
                f.column_id = "1".into();
                if let Some(n) = p.repealed_by {
                    f.repealed_by = (n + 1).to_string();
                    repealed += 1;
                    assert!(plan[n].published_on > p.published_on);
                }
                let d = f.validate().unwrap_or_else(|e| panic!("{}: {e}", f.title));
                expired += usize::from(f.validity == "expired");
                no_number += usize::from(d.doc_number.is_none());
                assert!(d.formed_on <= p.published_on, "{}", f.title);
                assert!(p.published_on <= last_day());
                total += 1;
            }
        }
        assert!(total > 80, "{total}");
        assert!(repealed >= 1 && expired >= 1 && no_number >= 10);
    }
}
