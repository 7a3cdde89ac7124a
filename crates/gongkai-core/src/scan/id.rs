//! 居民身份证号码: 18-digit numbers (GB 11643-1999) and 15-digit legacy ones.
//!
//! An 18-digit candidate is flagged only when all of these hold, so that a
//! random 18-digit number is flagged with a probability well under 1 in 1000:
//! * the first two digits are a province-level code (11–15, 21–23, 31–37,
//!   41–46, 50–54, 61–65, 71, 81–83), or `9` followed by one (the 2023
//!   外国人永久居留身份证, which uses the same layout and check);
//! * digits 7–14 are a real calendar date from 1900 to 2099 (no clock is
//!   read, so a future birth date in that range still counts);
//! * the check character (ISO 7064 MOD 11-2, `X` for 10, either case) is
//!   right — a number with a wrong check character is *not* flagged;
//! * written in groups, every group has at least two characters and the
//!   first at least three (`430104 19900101 1234`, `4301 0419 9001 0112 34`).
//!
//! A 15-digit candidate (the pre-1999 format: area, `YYMMDD` of a 19xx
//! birth date, sequence; no check digit) needs a province code and a real
//! date, and is written in one piece or as `6-6-3`.

use chrono::NaiveDate;

use super::numbers::Candidate;
use crate::request::id_doc::resident_id_check_char;

const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdForm {
    Eighteen,
    Fifteen,
}

fn two(s: &str, at: usize) -> Option<u8> {
    s.get(at..at + 2)?.parse().ok()
}

fn province_at(s: &str, at: usize) -> bool {
    two(s, at).is_some_and(|p| PROVINCES.contains(&p))
}

fn date(y: &str, md: &str) -> bool {
    let (Ok(y), Some(m), Some(d)) = (y.parse::<i32>(), two(md, 0), two(md, 2)) else {
        return false;
    };
    (1900..=2099).contains(&y) && NaiveDate::from_ymd_opt(y, m.into(), d.into()).is_some()
}

/// Area code and birth date look like an 18-digit ID number (check
/// character not considered). Used to keep mistyped ID numbers from being
/// taken for bank cards.
pub(crate) fn id_shaped(d: &str) -> bool {
    d.len() == 18
        && d.bytes().take(17).all(|b| b.is_ascii_digit())
        && (province_at(d, 0) || (d.starts_with('9') && province_at(d, 1)))
        && date(
            d.get(6..10).unwrap_or_default(),
            d.get(10..14).unwrap_or_default(),
        )
}

pub(crate) fn check(c: &Candidate) -> Option<IdForm> {
    let d = c.digits.as_str();
    let grouped_ok = |min_first: usize| {
        c.parts.len() == 1
            || (c.parts.first().is_some_and(|p| *p >= min_first) && c.parts.iter().all(|p| *p >= 2))
    };
    match d.len() {
        18 => {
            let (body, check) = d.split_at(17);
            let ok = id_shaped(d)
                && resident_id_check_char(body).is_some_and(|x| check.starts_with(x))
                && grouped_ok(3);
            ok.then_some(IdForm::Eighteen)
        }
        15 => {
            let ok = d.bytes().all(|b| b.is_ascii_digit())
                && province_at(d, 0)
                && date(
                    &format!("19{}", d.get(6..8).unwrap_or_default()),
                    d.get(8..12).unwrap_or_default(),
                )
                && (c.parts.len() == 1 || c.parts == [6, 6, 3]);
            ok.then_some(IdForm::Fifteen)
        }
        _ => None,
    }
}

/// `4301**********1234` (18 digits: the area's first four and the last
/// four stay); `4301********123` (15 digits: birth date fully hidden).
pub(crate) fn mask(digits: &str, form: IdForm) -> String {
    let keep_end = match form {
        IdForm::Eighteen => 4,
        IdForm::Fifteen => 3,
    };
    keep_ends(digits, 4, keep_end)
}

pub(crate) fn keep_ends(digits: &str, head: usize, tail: usize) -> String {
    let n = digits.chars().count();
    digits
        .chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}
