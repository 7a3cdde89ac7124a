//! A deterministic synthetic catalog of the fictional 青岚市: item `i` is
//! always the same item, whatever the corpus size, so the fixed queries
//! (including the 文号 ones, taken from items below 10,000) mean the same at
//! every size. Everything is generated from the vocabularies below, which
//! are written in the style of real 政府信息公开 catalogs; nothing is copied
//! from real documents.

use chrono::{Datelike, Duration, NaiveDate};
use gongkai_search::SearchDoc;

/// splitmix64: small, fast, good enough to pick words.
pub struct Rng(u64);

impl Rng {
    pub fn for_item(i: u64) -> Rng {
        Rng(0x9e37_79b9_7f4a_7c15 ^ i.wrapping_mul(0xbf58_476d_1ce4_e5b9))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// Zipf-like pick: low indexes far more often, as real topics are.
    fn skewed<'a>(&mut self, v: &[&'a str]) -> &'a str {
        let a = self.below(v.len());
        let b = self.below(v.len());
        v[a.min(b)]
    }
}

/// (name, 文号 prefix, topic index)
const AGENCIES: &[(&str, &str, usize)] = &[
    ("青岚市人民政府", "青政发", 0),
    ("青岚市人民政府办公室", "青政办发", 0),
    ("青岚市发展和改革委员会", "青发改", 1),
    ("青岚市教育局", "青教发", 9),
    ("青岚市科学技术局", "青科发", 9),
    ("青岚市工业和信息化局", "青工信发", 5),
    ("青岚市公安局", "青公发", 14),
    ("青岚市民政局", "青民发", 15),
    ("青岚市司法局", "青司发", 14),
    ("青岚市财政局", "青财发", 2),
    ("青岚市人力资源和社会保障局", "青人社发", 13),
    ("青岚市自然资源和规划局", "青自然资发", 3),
    ("青岚市生态环境局", "青环发", 8),
    ("青岚市住房和城乡建设局", "青建发", 8),
    ("青岚市交通运输局", "青交发", 5),
    ("青岚市水利局", "青水发", 4),
    ("青岚市农业农村局", "青农发", 4),
    ("青岚市商务局", "青商发", 6),
    ("青岚市文化广电旅游局", "青文旅发", 10),
    ("青岚市卫生健康委员会", "青卫健发", 11),
    ("青岚市退役军人事务局", "青退役发", 15),
    ("青岚市应急管理局", "青应急发", 7),
    ("青岚市审计局", "青审发", 2),
    ("青岚市市场监督管理局", "青市监发", 7),
    ("青岚市统计局", "青统发", 1),
    ("青岚市医疗保障局", "青医保发", 11),
    ("青岚市林业局", "青林发", 4),
    ("青岚市城市管理局", "青城管发", 8),
    ("青岚市数据资源管理局", "青数据发", 0),
    ("青岚市住房公积金管理中心", "青公积金发", 2),
    ("云溪区人民政府", "云政发", 0),
    ("云溪区人民政府办公室", "云政办发", 0),
    ("石门县人民政府", "石政发", 0),
    ("石门县人民政府办公室", "石政办发", 0),
    ("青岚县人民政府", "青县政发", 0),
    ("云溪区桃花镇人民政府", "桃政发", 15),
    ("石门县龙潭乡人民政府", "龙政发", 4),
    ("云溪区望湖街道办事处", "望办发", 15),
];

/// 主题分类 (the State Council's standard list).
const TOPICS: &[&str] = &[
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
];

const SUBJECTS: &[&str] = &[
    "政务公开",
    "政府信息公开",
    "安全生产",
    "养老服务",
    "城乡居民基本医疗保险",
    "义务教育招生入学",
    "防汛抗旱",
    "森林防火",
    "乡村振兴",
    "营商环境优化",
    "老旧小区改造",
    "高标准农田建设",
    "农村人居环境整治",
    "最低生活保障",
    "临时救助",
    "特困人员救助供养",
    "退役军人优抚",
    "就业创业补贴",
    "职业技能提升行动",
    "城市生活垃圾分类",
    "大气污染防治",
    "水污染防治",
    "土壤污染防治",
    "河湖长制",
    "耕地保护",
    "不动产登记",
    "公共资源交易",
    "政府采购",
    "食品安全",
    "药品安全",
    "疫苗接种",
    "托育服务",
    "学前教育",
    "全民健身",
    "文物保护",
    "非物质文化遗产保护",
    "农村集体产权制度改革",
    "农民专业合作社",
    "地质灾害防治",
    "城镇燃气安全",
    "道路交通安全",
    "城市公共交通",
    "新能源汽车推广应用",
    "数字政府建设",
    "政务服务一网通办",
    "12345政务服务便民热线",
    "招商引资",
    "外贸稳增长",
    "促进消费",
    "住房公积金",
    "保障性租赁住房",
    "城镇棚户区改造",
    "殡葬改革",
    "残疾人两项补贴",
    "困境儿童保障",
    "妇女儿童发展规划",
    "人口普查",
    "统计执法监督",
    "审计整改",
    "财政预算",
    "财政决算",
    "三公经费",
    "政府债务管理",
    "国有资产管理",
    "科技创新",
    "高新技术企业认定",
    "知识产权保护",
    "人才引进",
    "事业单位公开招聘",
    "行政执法公示",
    "双随机一公开监管",
    "行政许可",
    "行政处罚",
    "社会信用体系建设",
    "市场主体登记",
    "价格监测",
    "粮食安全",
    "生猪稳产保供",
    "动物疫病防控",
    "水资源管理",
    "饮用水水源保护",
    "城镇污水处理",
    "噪声污染防治",
    "碳达峰碳中和",
    "节能降耗",
    "危险化学品安全",
    "消防安全",
    "突发事件应急预案",
    "自然灾害救助",
    "社会救助",
    "法律援助",
    "人民调解",
    "普法宣传",
    "禁毒工作",
    "社区治理",
    "物业管理",
    "城市管理执法",
    "市容环境卫生",
    "园林绿化",
    "历史文化名城保护",
    "旅游景区质量提升",
    "公共文化服务",
    "体育赛事活动",
    "基层医疗卫生服务",
    "公立医院综合改革",
    "医保支付方式改革",
    "异地就医直接结算",
    "家庭医生签约服务",
    "传染病防控",
    "爱国卫生运动",
    "职业病防治",
    "学校食堂食品安全",
    "教师队伍建设",
    "职业教育",
    "校外培训治理",
    "学生资助",
    "农民工工资支付保障",
    "劳动人事争议仲裁",
    "社会保险费征缴",
    "城乡居民养老保险",
    "失业保险",
    "工伤保险",
    "重点项目建设",
    "中小企业发展",
    "民营经济发展",
    "金融风险防范",
    "农村公路建设",
    "水利工程建设",
    "林长制",
    "野生动物保护",
];

const PLANS: &[&str] = &[
    "实施方案",
    "工作方案",
    "管理办法",
    "实施细则",
    "三年行动计划",
    "工作要点",
    "考核办法",
    "专项整治方案",
    "资金管理办法",
    "应急预案",
];

const GENRES: &[&str] = &[
    "通知", "公告", "意见", "办法", "报告", "通报", "批复", "决定", "方案", "公示",
];

const OPENINGS: &[&str] = &[
    "各县（区）人民政府，市政府各部门，各直属机构：",
    "各有关单位：",
    "各乡镇人民政府、街道办事处，区直各单位：",
    "各县市区财政局、市直各部门：",
];

const SENTENCES: &[&str] = &[
    "为深入贯彻落实党中央、国务院决策部署，进一步做好{s}工作，经市人民政府同意，现将有关事项通知如下。",
    "{y}年，全市共完成{s}项目{n}个，累计投入资金{m}万元，惠及群众{k}万人次。",
    "各地各部门要高度重视{s}工作，切实加强组织领导，明确责任分工，确保各项任务落到实处。",
    "要建立健全{s}长效机制，强化督促检查，对工作推进不力的单位予以通报。",
    "请各单位于{y}年{mo}月{d}日前将{s}工作开展情况报送{a}。",
    "同时，统筹推进{s2}和{s3}，形成工作合力，提升群众的获得感、幸福感、安全感。",
    "坚持问题导向，聚焦{s}领域的突出问题，开展专项整治，及时回应社会关切。",
    "对符合条件的对象，按照每人每月{n}元的标准发放补贴，所需资金由市、县两级财政按比例分担。",
    "加强{s}政策解读，通过政府网站、政务新媒体等渠道及时发布信息，主动接受社会监督。",
    "{a}负责{s}工作的统筹协调，各成员单位按照职责分工抓好落实。",
    "本{g}自印发之日起施行，有效期{k}年。此前有关规定与本{g}不一致的，以本{g}为准。",
    "本{g}由{a}负责解释。",
    "经审核，{n}家单位符合{s}认定条件，现予以公布，公示期为{k}个工作日。",
    "截至{y}年底，{s}工作完成率达到{p}%，较上年提高{k}个百分点。",
    "各级各部门要严格落实安全责任，做好风险排查和隐患整改，坚决防范各类事故发生。",
    "鼓励社会力量参与{s}，支持企业、社会组织和个人通过多种形式提供服务。",
    "要加强资金监管，严禁截留、挤占、挪用{s}专项资金，确保资金使用安全高效。",
];

const ATTACHMENTS: &[&str] = &[
    "附件：{y}年{s}工作任务分解表。序号 工作任务 责任单位 完成时限。1 制定{s}实施方案 {a} {y}年{mo}月底前。2 开展{s2}督导检查 各县（区）人民政府 {y}年底前。",
    "附件：{s}资金分配表。单位：万元。云溪区 {n} 石门县 {m} 青岚县 {k}。合计 {m}。",
    "附件：{y}年度{s}名单。序号 单位名称 所在地。1 青岚市第{k}中学 云溪区。2 石门县人民医院 石门县。",
];

/// The item with number `i` (1-based ids are `i + 1`).
pub fn item(i: u64) -> SearchDoc {
    let mut r = Rng::for_item(i);
    let (agency, prefix, agency_topic) = AGENCIES[r.below(AGENCIES.len())];
    let s = r.skewed(SUBJECTS);
    let s2 = r.pick(SUBJECTS);
    let s3 = r.pick(SUBJECTS);
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).expect("fixed date");
    let published = start + Duration::days(r.below(11 * 365) as i64);
    let year = published.year();
    let written = published - Duration::days(r.below(20) as i64);
    let topic = if r.chance(70) {
        TOPICS[agency_topic]
    } else {
        r.pick(TOPICS)
    };
    let file_type = match r.below(100) {
        0..=1 => "规章",
        2..=16 => "行政规范性文件",
        _ => "其他",
    };
    let validity = match r.below(100) {
        0..=84 => "有效",
        85..=94 => "失效",
        _ => "废止",
    };
    let plan = r.pick(PLANS);
    let (title, genre) = match r.below(10) {
        0 | 1 => (format!("{agency}关于印发{s}{plan}的通知"), "通知"),
        2 => (format!("{agency}关于做好{year}年{s}工作的通知"), "通知"),
        3 => (format!("{agency}关于开展{s}专项检查的通知"), "通知"),
        4 => (format!("{agency}关于{year}年{s}工作情况的通报"), "通报"),
        5 => (format!("{agency}{year}年度{s}工作情况报告"), "报告"),
        6 => (format!("{agency}关于公布{year}年{s}名单的公告"), "公告"),
        7 => (format!("关于进一步加强{s}工作的意见"), "意见"),
        8 => (format!("{year}年{s}资金分配结果公示"), "公示"),
        _ => (
            format!("关于征求《青岚市{s}{plan}（征求意见稿）》意见的公告"),
            "公告",
        ),
    };
    let genre = if r.chance(90) { genre } else { r.pick(GENRES) };
    let fill = |t: &str, r: &mut Rng| -> String {
        t.replace("{s}", s)
            .replace("{s2}", s2)
            .replace("{s3}", s3)
            .replace("{a}", agency)
            .replace("{g}", genre)
            .replace("{y}", &year.to_string())
            .replace("{mo}", &(1 + r.below(12)).to_string())
            .replace("{d}", &(1 + r.below(28)).to_string())
            .replace("{n}", &(1 + r.below(300)).to_string())
            .replace("{m}", &(100 + r.below(9900)).to_string())
            .replace("{k}", &(1 + r.below(30)).to_string())
            .replace("{p}", &(60 + r.below(40)).to_string())
    };
    let mut body = String::with_capacity(1200);
    body.push_str(r.pick(OPENINGS));
    let sentences = 5 + r.below(5);
    for _ in 0..sentences {
        let t = r.pick(SENTENCES);
        body.push_str(&fill(t, &mut r));
    }
    body.push_str(agency);
    body.push_str(&format!(
        "{}年{}月{}日",
        year,
        published.month(),
        published.day()
    ));
    let summary = if r.chance(50) {
        fill(SENTENCES[0], &mut r)
    } else {
        String::new()
    };
    let attachment_text = if r.chance(20) {
        fill(r.pick(ATTACHMENTS), &mut r)
    } else {
        String::new()
    };
    let doc_nos = if r.chance(70) {
        let n = 1 + r.below(150);
        if file_type == "行政规范性文件" {
            vec![format!("{prefix}规〔{year}〕{n}号")]
        } else {
            vec![format!("{prefix}〔{year}〕{n}号")]
        }
    } else {
        Vec::new()
    };
    let agency_no = AGENCIES.iter().position(|a| a.0 == agency).unwrap_or(0);
    SearchDoc {
        id: i as i64 + 1,
        org_id: agency_no as i64 + 1,
        org_name: agency.to_string(),
        column_id: Some((agency_no * 10 + r.below(8)) as i64 + 1),
        column_name: r
            .pick(&[
                "政策文件",
                "规划计划",
                "财政信息",
                "工作动态",
                "公示公告",
                "人事信息",
            ])
            .to_string(),
        title,
        summary,
        body,
        attachment_text,
        index_no: format!("QL{:04}/{}-{:06}", agency_no + 1, year, i + 1),
        doc_nos,
        topic: topic.to_string(),
        genre: genre.to_string(),
        file_type: file_type.to_string(),
        validity: validity.to_string(),
        keywords: vec![s.to_string()],
        written: Some(written),
        published,
        year,
        url: format!("/gk/{}/item/{}", agency_no + 1, i + 1),
    }
}

/// The fixed query set: 20 one-word, 15 two-word, 8 文号 (typed with
/// different brackets), 7 in traditional script.
pub fn queries() -> Vec<String> {
    let mut q: Vec<String> = [
        "政务公开",
        "养老服务",
        "医疗保险",
        "安全生产",
        "乡村振兴",
        "防汛抗旱",
        "义务教育",
        "财政预算",
        "营商环境",
        "不动产登记",
        "垃圾分类",
        "消防安全",
        "就业创业",
        "食品安全",
        "老旧小区改造",
        "住房公积金",
        "农民工工资",
        "高标准农田",
        "法律援助",
        "科技创新",
        "养老服务 补贴",
        "安全生产 检查",
        "义务教育 招生",
        "财政 决算",
        "医疗保险 异地就医",
        "乡村振兴 资金",
        "政务公开 工作要点",
        "消防安全 专项整治",
        "大气污染 防治",
        "公共资源交易 实施细则",
        "人才引进 管理办法",
        "行政处罚 公示",
        "河湖长制 考核",
        "生活垃圾 分类",
        "残疾人 补贴",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // 文号 of items that exist at every corpus size, typed as users do.
    let styles: [(&str, &str); 4] = [("〔", "〕"), ("[", "]"), ("【", "】"), ("(", ")")];
    let mut found = 0;
    let mut i = 7;
    while found < 8 && i < 10_000 {
        let d = item(i);
        if let Some(n) = d.doc_nos.first() {
            let (open, close) = styles[found % styles.len()];
            q.push(n.replace('〔', open).replace('〕', close));
            found += 1;
        }
        i += 613;
    }
    q.extend(
        [
            "政務公開",
            "養老服務",
            "醫療保險",
            "環境衛生",
            "義務教育 招生",
            "財政預算",
            "安全生產 檢查",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    q
}
