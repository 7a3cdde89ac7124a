//! 身份证明 of an applicant: document types, number checks and masking.

use crate::org_code::OrgCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest accepted number of a document type without a fixed format.
pub const OTHER_ID_MAX: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdDocType {
    /// 居民身份证
    ResidentId,
    /// 护照
    Passport,
    /// 港澳居民来往内地通行证
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证
    TaiwanPermit,
    /// 外国人永久居留身份证
    ForeignPermanentResident,
    /// 统一社会信用代码 (organisations)
    CreditCode,
    /// 其他 (e.g. 事业单位法人证书, 军官证)
    Other,
}

impl IdDocType {
    pub const ALL: [IdDocType; 7] = [
        Self::ResidentId,
        Self::Passport,
        Self::HkMacaoPermit,
        Self::TaiwanPermit,
        Self::ForeignPermanentResident,
        Self::CreditCode,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ResidentId => "resident_id",
            Self::Passport => "passport",
            Self::HkMacaoPermit => "hk_macao_permit",
            Self::TaiwanPermit => "taiwan_permit",
            Self::ForeignPermanentResident => "foreign_permanent_resident",
            Self::CreditCode => "credit_code",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ResidentId => "居民身份证",
            Self::Passport => "护照",
            Self::HkMacaoPermit => "港澳居民来往内地通行证",
            Self::TaiwanPermit => "台湾居民来往大陆通行证",
            Self::ForeignPermanentResident => "外国人永久居留身份证",
            Self::CreditCode => "统一社会信用代码",
            Self::Other => "其他证件",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s || t.label() == s)
    }

    /// Whether a natural person (`true`) or an organisation (`false`) may
    /// prove identity with this type. 其他 fits both.
    pub fn fits(self, natural: bool) -> bool {
        match self {
            Self::CreditCode => !natural,
            Self::Other => true,
            _ => natural,
        }
    }
}

/// A checked identity document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdDocument {
    pub doc_type: IdDocType,
    /// Canonical form: upper case, no spaces.
    pub number: String,
}

impl IdDocument {
    /// Checks `number` for `doc_type`; the error is the Chinese message.
    pub fn parse(doc_type: IdDocType, number: &str) -> Result<Self, String> {
        let n: String = number
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(fold_width)
            .collect::<String>()
            .to_uppercase();
        if n.is_empty() {
            return Err(format!("请填写{}号码", doc_type.label()));
        }
        let number = match doc_type {
            IdDocType::ResidentId => check_resident_id(&n)?,
            IdDocType::CreditCode => match OrgCode::parse(&n) {
                Ok(c) if c.is_credit_code() => c.as_str().to_string(),
                Ok(_) => return Err("统一社会信用代码应为18位".into()),
                Err(e) => return Err(e.to_string().replace("机构代码", "统一社会信用代码")),
            },
            _ => {
                if n.chars().count() > OTHER_ID_MAX {
                    return Err(format!("证件号码不能超过{OTHER_ID_MAX}个字符"));
                }
                if n.chars().any(|c| c.is_control()) {
                    return Err("证件号码含有不允许的字符".into());
                }
                n
            }
        };
        Ok(Self { doc_type, number })
    }

    /// The number as shown to staff who may not see it in full.
    pub fn masked(&self) -> String {
        mask_id(&self.number)
    }
}

fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

const RESIDENT_ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK: &[u8; 11] = b"10X98765432";

/// The GB 11643 check character of the first 17 digits.
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(RESIDENT_ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(RESIDENT_ID_CHECK[(sum % 11) as usize] as char)
}

/// An 18-character 居民身份证号码 (GB 11643-1999): 6-digit area, 8-digit
/// birth date, 3-digit sequence, check character (0–9 or X).
fn check_resident_id(n: &str) -> Result<String, String> {
    if n.chars().count() != 18 {
        return Err("居民身份证号码应为18位".into());
    }
    let digits_then_check = n.is_ascii()
        && n[..17].bytes().all(|b| b.is_ascii_digit())
        && matches!(n.as_bytes()[17], b'0'..=b'9' | b'X');
    if !digits_then_check {
        return Err("居民身份证号码前17位应为数字，最后一位为数字或X".into());
    }
    let (body, check) = n.split_at(17);
    let birth = &body[6..14];
    let valid_birth = NaiveDate::parse_from_str(birth, "%Y%m%d")
        .ok()
        .is_some_and(|d| d >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d));
    if !valid_birth {
        return Err("居民身份证号码中的出生日期不正确".into());
    }
    if resident_id_check_char(body) != check.chars().next() {
        return Err("居民身份证号码校验位不正确，请核对".into());
    }
    Ok(n.to_string())
}

/// Keeps the first and last four characters (`4301**********1234`); shorter
/// numbers keep less, so that a mask never reveals most of a number.
pub fn mask_id(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let keep = match chars.len() {
        0..=4 => 0,
        5..=8 => 1,
        9..=16 => 2,
        _ => 4,
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep || i >= chars.len() - keep {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A valid fictional number: area 430102, born 1990-03-07.
    fn valid_id() -> String {
        let body = "43010219900307123";
        format!("{body}{}", resident_id_check_char(body).unwrap())
    }

    #[test]
    fn the_check_character_of_the_standard_example() {
        // The worked example of GB 11643-1999: 11010519491231002X.
        assert_eq!(resident_id_check_char("11010519491231002"), Some('X'));
        let doc = IdDocument::parse(IdDocType::ResidentId, "11010519491231002x").unwrap();
        assert_eq!(doc.number, "11010519491231002X");
    }

    #[test]
    fn resident_id_errors_name_the_problem() {
        let id = valid_id();
        assert!(IdDocument::parse(IdDocType::ResidentId, &id).is_ok());
        let mut wrong = id.clone();
        let last = if id.ends_with('1') { "2" } else { "1" };
        wrong.replace_range(17.., last);
        assert_eq!(
            IdDocument::parse(IdDocType::ResidentId, &wrong),
            Err("居民身份证号码校验位不正确，请核对".into())
        );
        assert_eq!(
            IdDocument::parse(IdDocType::ResidentId, "4301021990030712"),
            Err("居民身份证号码应为18位".into())
        );
        // 1990-02-30 does not exist, whatever the check digit says.
        let body = "43010219900230123";
        let bad_date = format!("{body}{}", resident_id_check_char(body).unwrap());
        assert_eq!(
            IdDocument::parse(IdDocType::ResidentId, &bad_date),
            Err("居民身份证号码中的出生日期不正确".into())
        );
        assert_eq!(
            IdDocument::parse(IdDocType::ResidentId, "  "),
            Err("请填写居民身份证号码".into())
        );
    }

    #[test]
    fn credit_codes_use_the_org_code_check() {
        let code = crate::org_code::complete_credit_code("91430100MA4L00000").unwrap();
        let doc = IdDocument::parse(IdDocType::CreditCode, code.as_str()).unwrap();
        assert_eq!(doc.number, code.as_str());
        let mut wrong = code.as_str().to_string();
        let last = if wrong.ends_with('1') { "2" } else { "1" };
        wrong.replace_range(17.., last);
        assert_eq!(
            IdDocument::parse(IdDocType::CreditCode, &wrong),
            Err("统一社会信用代码校验位不正确，请核对".into())
        );
        // A 9-character 组织机构代码 is not a 统一社会信用代码.
        let old = crate::org_code::complete_org_code("12345678").unwrap();
        assert_eq!(
            IdDocument::parse(IdDocType::CreditCode, old.as_str()),
            Err("统一社会信用代码应为18位".into())
        );
    }

    #[test]
    fn other_documents_are_length_limited() {
        assert_eq!(
            IdDocument::parse(IdDocType::Passport, " e 1234 5678 ")
                .unwrap()
                .number,
            "E12345678"
        );
        let long = "A".repeat(OTHER_ID_MAX + 1);
        assert!(IdDocument::parse(IdDocType::Passport, &long).is_err());
    }

    #[test]
    fn document_types_fit_applicant_kinds() {
        assert!(IdDocType::ResidentId.fits(true));
        assert!(!IdDocType::ResidentId.fits(false));
        assert!(IdDocType::CreditCode.fits(false));
        assert!(!IdDocType::CreditCode.fits(true));
        assert!(IdDocType::Other.fits(true) && IdDocType::Other.fits(false));
    }

    #[test]
    fn masking_keeps_only_the_ends() {
        assert_eq!(mask_id("430102199003071234"), "4301**********1234");
        assert_eq!(mask_id("E12345678"), "E1*****78");
        assert_eq!(mask_id("AB12"), "****");
        assert_eq!(mask_id(""), "");
    }

    proptest! {
        #[test]
        fn a_mask_hides_at_least_half(s in "[0-9A-Z]{0,40}") {
            let m = mask_id(&s);
            prop_assert_eq!(m.chars().count(), s.chars().count());
            let shown = m.chars().filter(|c| *c != '*').count();
            prop_assert!(shown * 2 <= s.chars().count());
        }

        #[test]
        fn any_single_digit_change_breaks_the_check(pos in 0usize..17, delta in 1u8..10) {
            let id = valid_id();
            let mut bytes = id.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(IdDocument::parse(IdDocType::ResidentId, &changed).is_err());
        }
    }
}
