//! Table tests for the pre-publication scanner on tricky inputs.

use gongkai_core::scan::{
    self, Finding, FindingKind, MaskError, ScanConfig, Scanner, Severity, mask, mask_all,
};

/// A valid fictional number: area 430104, born 1990-01-01, check `0`.
const ID: &str = "430104199001011230";
/// The worked example of GB 11643-1999, check character `X`.
const ID_X: &str = "11010519491231002X";
/// Luhn-valid 19-digit UnionPay-style card number.
const CARD: &str = "6222021234567890128";

fn kinds(text: &str) -> Vec<(FindingKind, String)> {
    scan::scan(&[("正文", text)], &ScanConfig::default())
        .into_iter()
        .map(|f| (f.kind, f.matched))
        .collect()
}

fn blocking(text: &str) -> Vec<(FindingKind, String)> {
    scan::scan(&[("正文", text)], &ScanConfig::default())
        .into_iter()
        .filter(Finding::blocks)
        .map(|f| (f.kind, f.matched))
        .collect()
}

fn one(kind: FindingKind, matched: &str) -> Vec<(FindingKind, String)> {
    vec![(kind, matched.to_string())]
}

#[test]
fn id_numbers() {
    use FindingKind::IdNumber as K;
    let cases: &[(&str, Vec<(FindingKind, String)>)] = &[
        (&format!("身份证号{ID}。"), one(K, ID)),
        (&format!("身份证号：{ID_X}，"), one(K, ID_X)),
        (
            "身份证号：11010519491231002x，",
            one(K, "11010519491231002x"),
        ),
        // Wrong check digit: not an ID number (and not a card either,
        // although 430104199001011232 passes Luhn).
        ("身份证号430104199001011231。", vec![]),
        ("身份证号430104199001011232。", vec![]),
        ("身份证号11010519491231002Y。", vec![]),
        // Impossible birth dates and regions.
        ("号码430104199002301233。", vec![]),
        ("号码000104199001011239。", vec![]),
        // Full-width digits, and split by spaces or hyphens.
        (
            "身份证号４３０１０４１９９００１０１１２３０。",
            one(K, "４３０１０４１９９００１０１１２３０"),
        ),
        (
            "身份证号 430104 19900101 1230 。",
            one(K, "430104 19900101 1230"),
        ),
        (
            "身份证号 4301 0419 9001 0112 30",
            one(K, "4301 0419 9001 0112 30"),
        ),
        (
            "身份证号430104-19900101-1230",
            one(K, "430104-19900101-1230"),
        ),
        (
            "身份证号 1101 0519 4912 3100 2X",
            one(K, "1101 0519 4912 3100 2X"),
        ),
        // Inside a longer digit run: not flagged.
        ("流水号4301041990010112300。", vec![]),
        ("流水号0430104199001011230。", vec![]),
        // Part of an alphanumeric code: not flagged.
        (&format!("编号AB{ID}"), vec![]),
        // 15-digit legacy numbers.
        ("旧身份证号430104900101123。", one(K, "430104900101123")),
        ("旧身份证号430104 900101 123。", one(K, "430104 900101 123")),
        ("旧身份证号430104901301123。", vec![]),
    ];
    for (text, want) in cases {
        assert_eq!(&kinds(text), want, "{text}");
    }
}

#[test]
fn mobile_numbers() {
    use FindingKind::Mobile as K;
    let cases: &[(&str, Vec<(FindingKind, String)>)] = &[
        ("联系电话13800138000。", one(K, "13800138000")),
        ("联系电话：138 0013 8000", one(K, "138 0013 8000")),
        ("联系电话：138-0013-8000", one(K, "138-0013-8000")),
        (
            "联系电话：１３８００１３８０００",
            one(K, "１３８００１３８０００"),
        ),
        ("联系电话：+86 138 0013 8000", one(K, "+86 138 0013 8000")),
        ("联系电话：+8613800138000", one(K, "+8613800138000")),
        ("联系电话：0086-13800138000", one(K, "0086-13800138000")),
        ("电话 13800138000 13900139000", {
            let mut v = one(K, "13800138000");
            v.extend(one(K, "13900139000"));
            v
        }),
        // Second digit 0–2 is no mobile prefix; landlines are not flagged.
        ("电话12800138000", vec![]),
        ("电话0731-88888888", vec![]),
        // Inside a longer digit run (an ID number, a time stamp, a 文号).
        (&format!("身份证号{ID}"), one(FindingKind::IdNumber, ID)),
        ("生成时间20240927138001380001", vec![]),
        ("湘政办函〔2017〕2013800138000号", vec![]),
        // A hyphenated identifier is one number; a date then a space is not.
        ("编号2024-09-27-13800138000", vec![]),
        ("2024-01-13 13800138000", one(K, "13800138000")),
        // Decimals and thousands separators are numbers, not phones.
        ("合计1,380,013,800元", vec![]),
        ("比例0.13800138000", vec![]),
    ];
    for (text, want) in cases {
        assert_eq!(&kinds(text), want, "{text}");
    }
}

#[test]
fn bank_cards() {
    use FindingKind::BankCard as K;
    let cases: &[(&str, Vec<(FindingKind, String)>)] = &[
        (&format!("收款账号{CARD}。"), one(K, CARD)),
        (
            "收款账号6222 0212 3456 7890 128",
            one(K, "6222 0212 3456 7890 128"),
        ),
        ("卡号4111111111111111", one(K, "4111111111111111")),
        ("卡号6217000012345670", one(K, "6217000012345670")),
        // Luhn fails.
        ("收款账号6222021234567890127。", vec![]),
        ("卡号4111111111111112", vec![]),
        // Not a card scheme's first digit.
        ("编号2000000000000008", vec![]),
        // An all-digit 统一社会信用代码 that happens to pass Luhn.
        ("统一社会信用代码914301008787065243", vec![]),
        ("机构914301008787065243", vec![]),
        // Labelled identifiers.
        (&format!("索引号：{CARD}"), vec![]),
        // Grouped unlike a card (4-digit table values).
        ("6222 02 1234 5678 90128", vec![]),
    ];
    for (text, want) in cases {
        assert_eq!(&kinds(text), want, "{text}");
    }
}

#[test]
fn markings_in_titles_and_prose() {
    use FindingKind::Marking as K;
    let block: &[(&str, Vec<(FindingKind, String)>)] = &[
        ("机密★1年\n关于某项目的通知", one(K, "机密★1年")),
        ("秘密★长期", one(K, "秘密★长期")),
        ("绝密 ★ 10年", one(K, "绝密 ★ 10年")),
        ("机密★五年 关于……的报告", one(K, "机密★五年")),
        ("秘密★6个月", one(K, "秘密★6个月")),
        ("秘密★", one(K, "秘密★")),
        ("密级：秘密★6个月", one(K, "密级：秘密★6个月")),
        ("密级 机密", one(K, "密级 机密")),
        ("機密★1年", one(K, "機密★1年")),
        ("关于印发某办法的通知（内部资料）", one(K, "内部资料")),
        ("【秘密】关于某事项的函", one(K, "秘密")),
        ("秘密 关于某事项的函", one(K, "秘密")),
        ("内部资料 注意保存", {
            let mut v = one(K, "内部资料");
            v.extend(one(K, "注意保存"));
            v
        }),
        ("仅供内部使用", one(K, "内部使用")),
        ("內部資料", one(K, "內部資料")),
    ];
    for (text, want) in block {
        assert_eq!(&blocking(text), want, "{text}");
    }
    let none: &[&str] = &[
        "根据《中华人民共和国保守国家秘密法》第九条",
        "涉及国家秘密的不予公开是法定情形之一，商业秘密、工作秘密亦同",
        "采取秘密投票方式",
        "属于秘密的事项",
        "密级：公开",
        "密级：无",
        "关于做好保守国家秘密工作的通知",
        "按保密级别分类管理",
    ];
    for text in none {
        assert!(blocking(text).is_empty(), "{text}: {:?}", blocking(text));
    }
    for text in [
        "根据《中华人民共和国保守国家秘密法》",
        "按保密级别分类管理",
        "采取秘密投票方式",
        "密级：公开",
    ] {
        assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
    }
    // Prose mentions are notices, not blocking findings.
    let notice: &[(&str, &str)] = &[
        ("不得将机密文件带出", "机密"),
        ("对依法不予公开的信息", "不予公开"),
        ("依法确定密级和保密期限", "密级"),
        ("属于机密级国家秘密", "机密级"),
        ("关于印发《内部资料管理办法》的通知", "内部资料"),
    ];
    for (text, m) in notice {
        let f = scan::scan(&[("正文", *text)], &ScanConfig::default());
        assert_eq!(f.len(), 1, "{text}: {f:?}");
        assert_eq!(
            (f[0].kind, f[0].severity, f[0].matched.as_str()),
            (K, Severity::Notice, *m)
        );
        assert!(!f[0].blocks());
    }
}

#[test]
fn sensitive_terms_fold_script_width_and_case() {
    let cfg = ScanConfig {
        terms: vec![
            "政務公開".into(),
            "张三".into(),
            "abc".into(),
            "  ".into(),
            "张三".into(),
        ],
        ..ScanConfig::default()
    };
    let s = Scanner::new(&cfg);
    let got: Vec<String> = s
        .scan_field("正文", "推进政务公开。張三和张三，代号ＡＢＣ、Abc。张 三")
        .into_iter()
        .map(|f| {
            assert_eq!(f.kind, FindingKind::Term);
            assert!(f.blocks());
            f.matched
        })
        .collect();
    assert_eq!(got, ["政务公开", "張三", "张三", "ＡＢＣ", "Abc"]);
    let f = s.scan_field("标题", "張三");
    assert_eq!(f[0].replacement.as_deref(), Some("**"));
    assert_eq!(f[0].message, "敏感词「张三」（本机关配置的敏感词表）");
}

#[test]
fn locations_excerpts_and_order() {
    let body = format!("第一行\n  联系人王某，身份证号{ID}，电话13800138000，地址略。\n机密★1年");
    let f = scan::scan(
        &[
            ("标题", "关于王某申请的答复"),
            ("正文", &body),
            ("附件「a.pdf」", "电话13900139000"),
        ],
        &ScanConfig::default(),
    );
    let summary: Vec<(&str, FindingKind, usize, usize)> = f
        .iter()
        .map(|f| (f.field.as_str(), f.kind, f.location.line, f.location.column))
        .collect();
    assert_eq!(
        summary,
        [
            ("正文", FindingKind::IdNumber, 2, 13),
            ("正文", FindingKind::Mobile, 2, 34),
            ("正文", FindingKind::Marking, 3, 1),
            ("附件「a.pdf」", FindingKind::Mobile, 1, 3),
        ]
    );
    let id = &f[0];
    assert_eq!(&body[id.span.clone()], ID);
    assert_eq!(id.location.offset, 16);
    assert_eq!(
        id.excerpt.to_string(),
        format!("  联系人王某，身份证号【{ID}】，电话*********…")
    );
    // The context of the phone number does not spell out the ID number.
    assert_eq!(f[1].excerpt.before, "…*********，电话");
    assert_eq!(id.location.to_string(), "第 2 行第 13 字");
    assert_eq!(f[2].excerpt.before, "");
    // Same input, same output; the key survives unrelated edits.
    let again = scan::scan(
        &[("正文", &format!("前言\n{body}"))],
        &ScanConfig::default(),
    );
    assert_eq!(again[0].key, id.key);
    assert_ne!(again[0].span, id.span);
    assert!(!id.key.contains(ID));
}

#[test]
fn overlapping_detections_give_one_finding() {
    let cfg = ScanConfig {
        terms: vec!["1990".into(), "机密".into()],
        ..ScanConfig::default()
    };
    let f = Scanner::new(&cfg).scan_field("正文", &format!("{ID} 机密★1年"));
    let got: Vec<(FindingKind, &str)> = f.iter().map(|f| (f.kind, f.matched.as_str())).collect();
    assert_eq!(
        got,
        [
            (FindingKind::IdNumber, ID),
            (FindingKind::Marking, "机密★1年")
        ]
    );
}

#[test]
fn masking() {
    let cases: &[(&str, &str)] = &[
        (&format!("身份证号{ID}。"), "身份证号4301**********1230。"),
        (
            "身份证号 1101 0519 4912 3100 2x。",
            "身份证号 1101**********002X。",
        ),
        (
            "身份证号４３０１０４１９９００１０１１２３０",
            "身份证号4301**********1230",
        ),
        ("旧号430104900101123", "旧号4301********123"),
        ("电话138 0013 8000", "电话138****8000"),
        ("电话+86 138 0013 8000", "电话+86 138****8000"),
        ("卡号6222 0212 3456 7890 128", "卡号***************0128"),
    ];
    for (text, want) in cases {
        let f = scan::scan(&[("正文", text)], &ScanConfig::default());
        assert_eq!(f.len(), 1, "{text}");
        assert_eq!(mask(text, &f[0]).as_deref(), Ok(*want), "{text}");
        assert_eq!(&mask_all(text, &f), want);
    }

    let text = format!("秘密★1年\n身份证号{ID}，电话13800138000");
    let f = scan::scan(&[("正文", &text)], &ScanConfig::default());
    assert_eq!(f.len(), 3);
    assert_eq!(
        mask(&text, &f[0]),
        Err(MaskError::NotMaskable(FindingKind::Marking))
    );
    assert!(!f[0].maskable());
    assert!(
        MaskError::NotMaskable(FindingKind::Marking)
            .to_string()
            .contains("不能遮盖")
    );
    assert_eq!(
        mask_all(&text, &f),
        "秘密★1年\n身份证号4301**********1230，电话138****8000"
    );
    // A finding from an older version of the text is not applied.
    let edited = format!("新增一段。{text}");
    assert_eq!(mask(&edited, &f[1]), Err(MaskError::Stale));
    assert_eq!(mask_all(&edited, &f), edited);
}

#[test]
fn unreadable_attachments_block_and_cannot_be_masked() {
    let f = Finding::no_text(
        "附件「扫描件.pdf」",
        "PDF 中没有可提取的文字（可能是扫描件）",
    );
    assert!(f.blocks());
    assert!(!f.maskable());
    assert_eq!(f.kind.as_str(), "no_text");
    assert!(f.message.starts_with("PDF 中没有可提取的文字"));
    assert_eq!(
        mask("x", &f),
        Err(MaskError::NotMaskable(FindingKind::NoText))
    );
    assert_eq!(FindingKind::parse("bank_card"), Some(FindingKind::BankCard));
}

#[test]
fn findings_serialise_for_storage() {
    let f = scan::scan(&[("正文", "电话13800138000")], &ScanConfig::default());
    let json = serde_json::to_string(&f).unwrap();
    assert!(json.contains(r#""kind":"mobile""#));
    assert!(json.contains(r#""severity":"block""#));
    let back: Vec<Finding> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, f);
    let cfg: ScanConfig = serde_json::from_str(r#"{"terms":["张三"]}"#).unwrap();
    assert_eq!(cfg.excerpt_chars, 12);
}
