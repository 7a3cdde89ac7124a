//! Property tests for the pre-publication scanner.

use gongkai_core::request::id_doc::resident_id_check_char;
use gongkai_core::scan::{self, FindingKind, ScanConfig, Scanner, mask_all};
use proptest::prelude::*;

const PROVINCES: &[&str] = &["11", "32", "43", "44", "65", "81"];

/// A valid 18-digit number from generated parts.
fn id_number(p: usize, area: u32, year: i32, day: u32, seq: u32) -> String {
    let date = chrono::NaiveDate::from_yo_opt(year, day).unwrap();
    let body = format!(
        "{}{area:04}{}{seq:03}",
        PROVINCES[p % PROVINCES.len()],
        date.format("%Y%m%d")
    );
    let check = resident_id_check_char(&body).unwrap();
    format!("{body}{check}")
}

fn luhn_complete(body: &str) -> String {
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|s| {
            let sum: u32 = s
                .bytes()
                .rev()
                .enumerate()
                .map(|(i, b)| {
                    let v = u32::from(b - b'0') * if i % 2 == 1 { 2 } else { 1 };
                    if v > 9 { v - 9 } else { v }
                })
                .sum();
            sum.is_multiple_of(10)
        })
        .unwrap()
}

fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() {
                char::from_u32(c as u32 + 0xFEE0).unwrap()
            } else {
                c
            }
        })
        .collect()
}

fn ascii_digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' | 'X' | 'x' => Some(c.to_ascii_uppercase()),
            '\u{FF10}'..='\u{FF19}' | '\u{FF38}' | '\u{FF58}' => {
                char::from_u32(c as u32 - 0xFEE0).map(|c| c.to_ascii_uppercase())
            }
            _ => None,
        })
        .collect()
}

/// A piece of text that is personal data in one of its written forms.
fn sensitive() -> impl Strategy<Value = String> {
    let id = (
        0usize..6,
        100u32..9999,
        1900i32..2030,
        1u32..365,
        0u32..999,
        0usize..4,
    )
        .prop_map(|(p, a, y, d, s, form)| {
            let n = id_number(p, a, y, d, s);
            match form {
                0 => n,
                1 => format!("{} {} {}", &n[..6], &n[6..14], &n[14..]),
                2 => fullwidth(&n),
                _ => n.to_lowercase(),
            }
        });
    let mobile = (3u8..10, 0u64..1_000_000_000, 0usize..3).prop_map(|(second, rest, form)| {
        let n = format!("1{second}{rest:09}");
        match form {
            0 => n,
            1 => format!("{} {} {}", &n[..3], &n[3..7], &n[7..]),
            _ => format!("+86-{n}"),
        }
    });
    let card = (0u64..1_000_000_000_000, 0usize..2).prop_map(|(rest, form)| {
        let n = luhn_complete(&format!("622{rest:012}"));
        match form {
            0 => n,
            _ => n
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" "),
        }
    });
    prop_oneof![id, mobile, card]
}

/// Filler that can sit next to a number without joining it.
fn filler() -> impl Strategy<Value = String> {
    "[，。、：；（）\n 关于申请人电话号码身份证机密秘密内部资料]{0,12}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_and_spans_are_sound(text in "\\PC{0,200}", terms in prop::collection::vec("\\PC{0,4}", 0..3)) {
        let cfg = ScanConfig { terms, ..ScanConfig::default() };
        let findings = Scanner::new(&cfg).scan_field("正文", &text);
        let mut last_end = 0;
        for f in &findings {
            prop_assert!(text.is_char_boundary(f.span.start));
            prop_assert!(text.is_char_boundary(f.span.end));
            prop_assert_eq!(&text[f.span.clone()], f.matched.as_str());
            prop_assert!(f.span.start >= last_end, "overlapping or unsorted findings");
            last_end = f.span.end;
        }
        let _ = mask_all(&text, &findings);
    }

    #[test]
    fn digit_soup_never_panics(text in "[0-9 xX+\\-.,，０-９]{0,80}") {
        let findings = scan::scan(&[("正文", &text)], &ScanConfig::default());
        for f in &findings {
            prop_assert_eq!(&text[f.span.clone()], f.matched.as_str());
        }
    }

    #[test]
    fn embedded_personal_data_is_found_and_masked(
        parts in prop::collection::vec((filler(), sensitive()), 1..4),
        tail in filler(),
    ) {
        let mut text = String::new();
        for (f, s) in &parts {
            text.push_str(f);
            // Keep the number apart from a digit in the filler.
            text.push('，');
            text.push_str(s);
            text.push('，');
        }
        text.push_str(&tail);
        let findings = scan::scan(&[("正文", &text)], &ScanConfig::default());
        let numbers: Vec<_> = findings
            .iter()
            .filter(|f| matches!(f.kind, FindingKind::IdNumber | FindingKind::Mobile | FindingKind::BankCard))
            .collect();
        for (_, s) in &parts {
            prop_assert!(numbers.iter().any(|f| f.matched == *s), "{s} not found in {text}");
        }
        let masked = mask_all(&text, &findings);
        // Digit runs of the masked text, separators ignored.
        let runs: Vec<String> = masked
            .split(|c: char| !(c.is_ascii_digit() || "xX０１２３４５６７８９ -+".contains(c)))
            .map(ascii_digits)
            .collect();
        for f in &numbers {
            let digits = ascii_digits(&f.matched);
            let digits = if f.kind == FindingKind::Mobile { &digits[digits.len() - 11..] } else { &digits[..] };
            prop_assert!(!masked.contains(&f.matched));
            prop_assert!(runs.iter().all(|r| !r.contains(digits)), "{digits} left in {masked}");
        }
        let again = scan::scan(&[("正文", &masked)], &ScanConfig::default());
        for f in &numbers {
            prop_assert!(again.iter().all(|g| g.key != f.key), "{} found again in {masked}", f.matched);
        }
    }

    #[test]
    fn a_wrong_check_character_is_never_an_id(p in 0usize..6, a in 100u32..9999, y in 1900i32..2030, d in 1u32..365, s in 0u32..999, wrong in 1u32..11) {
        let good = id_number(p, a, y, d, s);
        let checks = "0123456789X";
        let at = checks.find(good.chars().last().unwrap()).unwrap();
        let bad_check = checks.chars().nth((at + wrong as usize) % 11).unwrap();
        let bad = format!("{}{bad_check}", &good[..17]);
        let text = format!("身份证号{bad}。");
        let f = scan::scan(&[("正文", &text)], &ScanConfig::default());
        prop_assert!(f.is_empty(), "{bad}: {f:?}");
    }
}
