//! 联系方式 of an applicant: at least one way to reach them, each checked.

use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};

const ADDRESS_MAX: usize = 200;
const EMAIL_MAX: usize = 120;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Canonical: digits, with "-" after a landline area code and "转" before an extension.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub postal_address: Option<String>,
    pub postcode: Option<String>,
}

/// Raw contact fields of a form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContactForm {
    pub phone: String,
    pub email: String,
    pub postal_address: String,
    pub postcode: String,
}

impl ContactForm {
    /// Records problems in `e`; returns what could be read.
    pub fn validate(&self, e: &mut FieldErrors) -> Contact {
        let phone = text::optional(e, "phone", "联系电话", &self.phone, 40).and_then(|p| {
            let canon = normalise_phone(&p);
            if canon.is_none() {
                e.add(
                    "phone",
                    "联系电话格式不正确：手机号为11位（如13812345678），固定电话如0731-84567890",
                );
            }
            canon
        });
        let email = text::optional_email(e, &self.email, EMAIL_MAX);
        let postal_address = text::optional(
            e,
            "postal_address",
            "通信地址",
            &self.postal_address,
            ADDRESS_MAX,
        );
        let postcode = text::optional_postcode(e, &self.postcode);
        if self.phone.trim().is_empty()
            && self.email.trim().is_empty()
            && self.postal_address.trim().is_empty()
        {
            e.add("phone", "联系电话、电子邮箱、通信地址至少填写一项");
        }
        Contact {
            phone,
            email,
            postal_address,
            postcode,
        }
    }
}

/// Mainland mobile `1[3-9]\d{9}` (optionally `+86`), landline
/// `0AA(A)-NNNNNNN(N)` with or without area code and an optional
/// extension, or an international `+CC…` number for applicants abroad.
pub fn normalise_phone(input: &str) -> Option<String> {
    let s: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{3000}' | '(' | ')' | '（' | '）'))
        .map(|c| match c {
            '－' | '—' | '–' => '-',
            '＋' => '+',
            c => c,
        })
        .collect();
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let s_plain = s.strip_prefix("+86").unwrap_or(&s);
    // Mobile: 11 digits, hyphens tolerated (138-1234-5678).
    let mobile: String = s_plain.chars().filter(|c| *c != '-').collect();
    if mobile.len() == 11
        && all_digits(&mobile)
        && mobile.starts_with('1')
        && matches!(mobile.as_bytes()[1], b'3'..=b'9')
    {
        return Some(mobile);
    }
    if let Some(intl) = s.strip_prefix('+') {
        let digits: String = intl.chars().filter(|c| *c != '-').collect();
        return (all_digits(&digits)
            && (7..=15).contains(&digits.len())
            && !intl.starts_with("86"))
        .then(|| format!("+{digits}"));
    }
    // Landline with optional extension (转 / ext / trailing -NNNN after a full number).
    let (main, ext) = match s_plain.split_once('转') {
        Some((m, x)) => (m, Some(x)),
        None => (s_plain, None),
    };
    if let Some(x) = ext
        && !(all_digits(x) && x.len() <= 6)
    {
        return None;
    }
    let parts: Vec<&str> = main.split('-').collect();
    let (area, number) = match parts.as_slice() {
        [n] => (None, *n),
        [a, n] => (Some(*a), *n),
        _ => return None,
    };
    if let Some(a) = area
        && !(all_digits(a) && a.starts_with('0') && (3..=4).contains(&a.len()))
    {
        return None;
    }
    let number_ok = all_digits(number)
        && if area.is_none() && number.starts_with('0') {
            // 073184567890: where a 3- or 4-digit area code ends is
            // ambiguous without the hyphen, so only the total is checked.
            (10..=12).contains(&number.len())
        } else {
            (7..=8).contains(&number.len()) && !number.starts_with('0')
        };
    if !number_ok {
        return None;
    }
    let mut out = match area {
        Some(a) => format!("{a}-{number}"),
        None => number.to_string(),
    };
    if let Some(x) = ext {
        out.push('转');
        out.push_str(x);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::is_email;

    #[test]
    fn mobiles_and_landlines_are_normalised() {
        assert_eq!(
            normalise_phone("138 1234 5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            normalise_phone("+86 13812345678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            normalise_phone("0731-84567890").as_deref(),
            Some("0731-84567890")
        );
        assert_eq!(
            normalise_phone("（010）12345678").as_deref(),
            Some("01012345678")
        );
        assert_eq!(
            normalise_phone("010-1234567转806").as_deref(),
            Some("010-1234567转806")
        );
        assert_eq!(normalise_phone("84567890").as_deref(), Some("84567890"));
        assert_eq!(
            normalise_phone("+44 20 7946 0958").as_deref(),
            Some("+442079460958")
        );
    }

    #[test]
    fn bad_phone_numbers_are_rejected() {
        for bad in [
            "12812345678",
            "1381234567",
            "abc",
            "0731-123",
            "731-84567890",
            "+8613812345678x",
            "010-1234567转分机",
        ] {
            assert_eq!(normalise_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(is_email("zhang.san@example.com.cn"));
        for bad in [
            "zhang",
            "@example.com",
            "a@b",
            "a b@example.com",
            "a@.com",
            "a@@b.com",
            "a@b..com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn at_least_one_way_to_reach_the_applicant() {
        let mut e = FieldErrors::new();
        ContactForm::default().validate(&mut e);
        assert_eq!(
            e.get("phone"),
            Some("联系电话、电子邮箱、通信地址至少填写一项")
        );
        let mut e = FieldErrors::new();
        let c = ContactForm {
            postal_address: "青岚市人民路1号".into(),
            postcode: "41000".into(),
            ..Default::default()
        }
        .validate(&mut e);
        assert_eq!(e.get("postcode"), Some("邮政编码应为6位数字"));
        assert_eq!(c.postal_address.as_deref(), Some("青岚市人民路1号"));
        let mut e = FieldErrors::new();
        ContactForm {
            email: "zhang@".into(),
            ..Default::default()
        }
        .validate(&mut e);
        assert!(e.get("email").is_some());
        assert_eq!(e.0.len(), 1);
    }
}
