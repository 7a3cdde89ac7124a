//! Canonical keys and official labels, copied from the project's key file
//! `crates/gongkai-core/data/annual-report-keys.json` (the keys shared with
//! the report generator). `tests/canon_sync.rs` checks every key and label
//! of this file against the JSON in both directions, so the two cannot
//! drift apart.

/// Table 二 row: (row key, label, [(column key, column label)]).
pub type T2Row = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

pub const STAT_ROWS: &[(&str, &str)] = &[
    (
        "proactive.total",
        "一、主动公开情况（一）主动公开政府信息数",
    ),
    (
        "proactive.normative_published",
        "其中：主动公开规范性文件数",
    ),
    ("proactive.normative_made", "制发规范性文件总数"),
    ("proactive.gazette", "1.政府公报公开政府信息数"),
    ("proactive.website", "2.政府网站公开政府信息数"),
    ("proactive.weibo", "3.政务微博公开政府信息数"),
    ("proactive.wechat", "4.政务微信公开政府信息数"),
    ("proactive.other", "5.其他方式公开政府信息数"),
    (
        "response.hot_topics",
        "二、回应解读情况（一）回应公众关注热点或重大舆情数",
    ),
    ("response.press_conferences", "1.参加或举办新闻发布会总次数"),
    (
        "response.press_conferences_principal",
        "其中：主要负责同志参加新闻发布会次数",
    ),
    ("response.online_interviews", "2.政府网站在线访谈次数"),
    (
        "response.online_interviews_principal",
        "其中：主要负责同志参加政府网站在线访谈次数",
    ),
    ("response.interpretations", "3.政策解读稿件发布数"),
    ("response.weibo_wechat", "4.微博微信回应事件数"),
    ("response.other", "5.其他方式回应事件数"),
    ("request.received", "三、依申请公开情况（一）收到申请数"),
    ("request.in_person", "1.当面申请数"),
    ("request.fax", "2.传真申请数"),
    ("request.online", "3.网络申请数"),
    ("request.letter", "4.信函申请数"),
    ("request.closed", "（二）申请办结数"),
    ("request.on_time", "1.按时办结数"),
    ("request.extended", "2.延期办结数"),
    ("request.replied", "（三）申请答复数"),
    ("reply.already_public", "1.属于已主动公开范围数"),
    ("reply.agree", "2.同意公开答复数"),
    ("reply.partial", "3.同意部分公开答复数"),
    ("reply.deny", "4.不同意公开答复数"),
    ("deny.state_secret", "其中：涉及国家秘密"),
    ("deny.commercial_secret", "涉及商业秘密"),
    ("deny.privacy", "涉及个人隐私"),
    (
        "deny.security_stability",
        "危及国家安全、公共安全、经济安全和社会稳定",
    ),
    ("deny.not_gov_info", "不是《条例》所指政府信息"),
    ("deny.other_law", "法律法规规定的其他情形"),
    ("reply.not_this_agency", "5.不属于本行政机关公开数"),
    ("reply.not_exist", "6.申请信息不存在数"),
    ("reply.amend", "7.告知作出更改补充数"),
    ("reply.other_channel", "8.告知通过其他途径办理数"),
    ("review.total", "四、行政复议数量"),
    ("review.upheld", "（一）维持具体行政行为数"),
    ("review.corrected", "（二）被依法纠错数"),
    ("review.other", "（三）其他情形数"),
    ("suit.total", "五、行政诉讼数量"),
    (
        "suit.upheld",
        "（一）维持具体行政行为或者驳回原告诉讼请求数",
    ),
    ("suit.corrected", "（二）被依法纠错数"),
    ("suit.other", "（三）其他情形数"),
    ("complaint.total", "六、举报投诉数量"),
    ("fees_wan", "七、依申请公开信息收取的费用（万元）"),
    (
        "org.units",
        "八、机构建设和保障经费情况（一）政府信息公开工作专门机构数",
    ),
    ("org.reading_points", "（二）设置政府信息公开查阅点数"),
    ("org.staff", "（三）从事政府信息公开工作人员数"),
    ("org.staff_full", "1.专职人员数"),
    ("org.staff_part", "2.兼职人员数"),
    ("org.budget_wan", "（四）政府信息公开专项经费（万元）"),
    (
        "training.meetings",
        "九、政府信息公开会议和培训情况（一）召开政府信息公开工作会议或专题会议数",
    ),
    ("training.classes", "（二）举办各类培训班数"),
    ("training.trainees", "（三）接受培训人员数"),
];

pub const T3_COLS: &[(&str, &str)] = &[
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
];

pub const T3_ROWS_2021: &[(&str, &str)] = &[
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_in", "二、上年结转政府信息公开申请数量"),
    ("disclosed", "三、本年度办理结果（一）予以公开"),
    (
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    ("deny.state_secret", "（三）不予公开 1.属于国家秘密"),
    ("deny.law_prohibited", "2.其他法律行政法规禁止公开"),
    ("deny.security_stability", "3.危及“三安全一稳定”"),
    ("deny.third_party", "4.保护第三方合法权益"),
    ("deny.internal_affairs", "5.属于三类内部事务信息"),
    ("deny.process_info", "6.属于四类过程性信息"),
    ("deny.enforcement_file", "7.属于行政执法案卷"),
    ("deny.query_matter", "8.属于行政查询事项"),
    (
        "unable.not_held",
        "（四）无法提供 1.本机关不掌握相关政府信息",
    ),
    ("unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unable.still_unclear", "3.补正后申请内容仍不明确"),
    ("reject.petition", "（五）不予处理 1.信访举报投诉类申请"),
    ("reject.repeat", "2.重复申请"),
    ("reject.publication", "3.要求提供公开出版物"),
    ("reject.excessive", "4.无正当理由大量反复申请"),
    (
        "reject.confirm_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    (
        "other.no_correction",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other.no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other.other", "3.其他"),
    ("result_total", "（七）总计"),
    ("carried_out", "四、结转下年度继续办理"),
];

pub const T3_ROWS_2019: &[(&str, &str)] = &[
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_in", "二、上年结转政府信息公开申请数量"),
    ("disclosed", "三、本年度办理结果（一）予以公开"),
    (
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    ("deny.state_secret", "（三）不予公开 1.属于国家秘密"),
    ("deny.law_prohibited", "2.其他法律行政法规禁止公开"),
    ("deny.security_stability", "3.危及“三安全一稳定”"),
    ("deny.third_party", "4.保护第三方合法权益"),
    ("deny.internal_affairs", "5.属于三类内部事务信息"),
    ("deny.process_info", "6.属于四类过程性信息"),
    ("deny.enforcement_file", "7.属于行政执法案卷"),
    ("deny.query_matter", "8.属于行政查询事项"),
    (
        "unable.not_held",
        "（四）无法提供 1.本机关不掌握相关政府信息",
    ),
    ("unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unable.still_unclear", "3.补正后申请内容仍不明确"),
    ("reject.petition", "（五）不予处理 1.信访举报投诉类申请"),
    ("reject.repeat", "2.重复申请"),
    ("reject.publication", "3.要求提供公开出版物"),
    ("reject.excessive", "4.无正当理由大量反复申请"),
    (
        "reject.confirm_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    ("other", "（六）其他处理"),
    ("result_total", "（七）总计"),
    ("carried_out", "四、结转下年度继续办理"),
];

pub const T4_GROUPS: &[(&str, &str)] = &[
    ("review", "行政复议"),
    ("suit_direct", "行政诉讼·未经复议直接起诉"),
    ("suit_after_review", "行政诉讼·复议后起诉"),
];

pub const T4_COLS: &[(&str, &str)] = &[
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
];

pub const T2_2021: &[T2Row] = &[
    (
        "rules",
        "规章",
        &[
            ("issued", "本年制发件数"),
            ("repealed", "本年废止件数"),
            ("in_force", "现行有效件数"),
        ],
    ),
    (
        "normative",
        "行政规范性文件",
        &[
            ("issued", "本年制发件数"),
            ("repealed", "本年废止件数"),
            ("in_force", "现行有效件数"),
        ],
    ),
    ("license", "行政许可", &[("decisions", "本年处理决定数量")]),
    ("penalty", "行政处罚", &[("decisions", "本年处理决定数量")]),
    ("coercion", "行政强制", &[("decisions", "本年处理决定数量")]),
    (
        "fees",
        "行政事业性收费",
        &[("amount_wan", "本年收费金额（单位：万元）")],
    ),
];

pub const T2_2019: &[T2Row] = &[
    (
        "rules",
        "规章",
        &[
            ("made", "本年新制作数量"),
            ("published", "本年新公开数量"),
            ("total_public", "对外公开总数量"),
        ],
    ),
    (
        "normative",
        "规范性文件",
        &[
            ("made", "本年新制作数量"),
            ("published", "本年新公开数量"),
            ("total_public", "对外公开总数量"),
        ],
    ),
    (
        "license",
        "行政许可",
        &[
            ("prev_items", "上一年项目数量"),
            ("change", "本年增/减"),
            ("decisions", "处理决定数量"),
        ],
    ),
    (
        "other_service",
        "其他对外管理服务事项",
        &[
            ("prev_items", "上一年项目数量"),
            ("change", "本年增/减"),
            ("decisions", "处理决定数量"),
        ],
    ),
    (
        "penalty",
        "行政处罚",
        &[
            ("prev_items", "上一年项目数量"),
            ("change", "本年增/减"),
            ("decisions", "处理决定数量"),
        ],
    ),
    (
        "coercion",
        "行政强制",
        &[
            ("prev_items", "上一年项目数量"),
            ("change", "本年增/减"),
            ("decisions", "处理决定数量"),
        ],
    ),
    (
        "fees",
        "行政事业性收费",
        &[("prev_items", "上一年项目数量"), ("change", "本年增/减")],
    ),
    (
        "procurement",
        "政府集中采购",
        &[("items", "采购项目数量"), ("amount", "采购总金额")],
    ),
];
