//! Organisation identifiers: the 18-character 统一社会信用代码 (GB 32100-2015)
//! and the older 9-character 组织机构代码 (GB 11714). Both carry a check
//! character; a code that fails it is almost always a typing error.

use serde::{Deserialize, Serialize};
use std::fmt;

const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_CODE_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A validated organisation code, stored in canonical form
/// (upper case, 组织机构代码 without the hyphen).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgCodeError {
    #[error("机构代码应为18位统一社会信用代码或9位组织机构代码")]
    Length,
    #[error("机构代码含有不允许的字符")]
    Charset,
    #[error("机构代码校验位不正确，请核对")]
    CheckDigit,
}

impl OrgCode {
    /// Accepts `11990100MB1234567X`-style credit codes and `12345678-9` or
    /// `123456789` organisation codes; full-width characters and spaces from
    /// copy-paste are tolerated.
    pub fn parse(input: &str) -> Result<Self, OrgCodeError> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(fold_width)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        match s.chars().count() {
            18 => {
                validate_uscc(&s)?;
                Ok(Self(s))
            }
            9 => {
                validate_org_code(&s)?;
                Ok(Self(s))
            }
            10 if s.as_bytes().get(8) == Some(&b'-') => {
                let joined = format!("{}{}", &s[..8], &s[9..]);
                validate_org_code(&joined)?;
                Ok(Self(joined))
            }
            _ => Err(OrgCodeError::Length),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for an 18-character 统一社会信用代码.
    pub fn is_credit_code(&self) -> bool {
        self.0.len() == 18
    }
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OrgCode {
    type Error = OrgCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrgCode> for String {
    fn from(c: OrgCode) -> String {
        c.0
    }
}

fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn validate_uscc(s: &str) -> Result<(), OrgCodeError> {
    let values: Vec<u32> = s
        .chars()
        .map(|c| USCC_CHARSET.find(c).map(|i| i as u32))
        .collect::<Option<_>>()
        .ok_or(OrgCodeError::Charset)?;
    if values[17] != uscc_check_value(&values[..17]) {
        return Err(OrgCodeError::CheckDigit);
    }
    Ok(())
}

fn uscc_check_value(first17: &[u32]) -> u32 {
    let sum: u32 = first17.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

fn validate_org_code(s: &str) -> Result<(), OrgCodeError> {
    let body = &s[..8];
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        return Err(OrgCodeError::Charset);
    }
    let expected = org_code_check_char(body);
    if s.chars().nth(8) != Some(expected) {
        return Err(OrgCodeError::CheckDigit);
    }
    Ok(())
}

fn org_code_check_char(body8: &str) -> char {
    let sum: u32 = body8
        .chars()
        .zip(ORG_CODE_WEIGHTS)
        .map(|(c, w)| {
            let v = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else {
                c as u32 - 'A' as u32 + 10
            };
            v * w
        })
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    }
}

/// Builds a valid 统一社会信用代码 from its first 17 characters by appending
/// the check character. Used to mint fictional codes for demo data and tests.
pub fn complete_credit_code(first17: &str) -> Option<OrgCode> {
    let values: Vec<u32> = first17
        .chars()
        .map(|c| USCC_CHARSET.find(c).map(|i| i as u32))
        .collect::<Option<_>>()?;
    if values.len() != 17 {
        return None;
    }
    let check = USCC_CHARSET
        .chars()
        .nth(uscc_check_value(&values) as usize)?;
    OrgCode::parse(&format!("{first17}{check}")).ok()
}

/// The check character of an 8-character 组织机构代码 body.
pub fn complete_org_code(body8: &str) -> Option<OrgCode> {
    if body8.len() != 8 {
        return None;
    }
    OrgCode::parse(&format!("{body8}{}", org_code_check_char(body8))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_published_credit_codes() {
        // Codes printed in real 索引号 (ogi-domain.md §8.2).
        for code in ["11341702486344515H", "113708280043326001"] {
            assert_eq!(OrgCode::parse(code).unwrap().as_str(), code);
        }
        let minted = complete_credit_code("11990100MB0000001").unwrap();
        assert!(OrgCode::parse(minted.as_str()).is_ok());
        assert!(minted.is_credit_code());
    }

    #[test]
    fn rejects_a_wrong_check_character() {
        let good = complete_credit_code("11990100MB0000001").unwrap();
        let mut bad = good.as_str().to_string();
        let last = bad.pop().unwrap();
        bad.push(if last == '0' { '1' } else { '0' });
        assert_eq!(OrgCode::parse(&bad), Err(OrgCodeError::CheckDigit));
    }

    #[test]
    fn accepts_organisation_code_with_hyphen_and_full_width() {
        // A hyphen anywhere but before the check character is not a valid form.
        assert_eq!(OrgCode::parse("0142768-8"), Err(OrgCodeError::Charset));
        let minted = complete_org_code("MA1B2C3D").unwrap();
        let hyphenated = format!("{}-{}", &minted.as_str()[..8], &minted.as_str()[8..]);
        assert_eq!(OrgCode::parse(&hyphenated).unwrap(), minted);
        let full_width: String = minted
            .as_str()
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert_eq!(OrgCode::parse(&full_width).unwrap(), minted);
    }

    #[test]
    fn rejects_letters_outside_the_credit_code_alphabet() {
        // I, O, Z, S, V are excluded from GB 32100.
        assert_eq!(
            OrgCode::parse("11990100MB000000IO"),
            Err(OrgCodeError::Charset)
        );
    }

    #[test]
    fn rejects_wrong_lengths() {
        assert_eq!(OrgCode::parse("1234"), Err(OrgCodeError::Length));
    }
}
