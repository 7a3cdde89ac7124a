//! Bank card numbers: 16–19 digits passing the Luhn check.
//!
//! A random 16–19 digit number passes Luhn one time in ten, so more is
//! required before a number is flagged:
//! * the first digit is one a card scheme issues (3 JCB, 4 Visa, 5
//!   Mastercard, 6 UnionPay, 9 domestic legacy cards);
//! * written in groups, all groups but the last have four digits
//!   (`6222 0212 3456 7890 123`);
//! * an 18-digit number that looks like an ID number (area + birth date,
//!   even with a wrong check character) or is a valid 统一社会信用代码 is not
//!   a card;
//! * a number directly after the label 索引号, 信用代码, 代码, 文号 or 编码
//!   (within 12 characters on the same line) is an identifier, not a card.

use super::fold::FChar;
use super::numbers::Candidate;
use crate::org_code::OrgCode;

const LABELS: &[&str] = &["索引号", "信用代码", "代码", "文号", "编码"];

/// The Luhn (mod 10) check over ASCII digits.
pub(crate) fn luhn(d: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in d.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut v = u32::from(b - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !d.is_empty() && sum.is_multiple_of(10)
}

fn labelled(chars: &[FChar], start: usize) -> bool {
    let before: String = chars
        .get(start.saturating_sub(12)..start)
        .unwrap_or_default()
        .iter()
        .map(|f| f.c)
        .collect();
    let line = before.rsplit('\n').next().unwrap_or_default();
    LABELS.iter().any(|l| line.contains(l))
}

pub(crate) fn check(c: &Candidate, chars: &[FChar]) -> bool {
    let d = c.digits.as_str();
    let grouped_ok = match c.parts.split_last() {
        None => false,
        Some((last, rest)) => rest.iter().all(|p| *p == 4) && (rest.is_empty() || *last <= 4),
    };
    (16..=19).contains(&d.len())
        && matches!(d.as_bytes().first(), Some(b'3' | b'4' | b'5' | b'6' | b'9'))
        && luhn(d)
        && grouped_ok
        && !(d.len() == 18 && (super::id::id_shaped(d) || OrgCode::parse(d).is_ok()))
        && !labelled(chars, c.start)
}

/// All but the last four digits hidden: `***************1234`.
pub(crate) fn mask(digits: &str) -> String {
    super::id::keep_ends(digits, 0, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_examples() {
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
        assert!(luhn("79927398713"));
        assert!(!luhn(""));
        assert!(!luhn("12a4"));
    }
}
