//! 信息处理费 (条例第四十二条, 国办函〔2020〕109号《政府信息公开信息处理费
//! 管理办法》, ogi-domain.md §6).
//!
//! Both standards are 超额累进 (progressive by band, like income tax):
//! every unit is priced by the band it falls in.
//!
//! * 按件 (第四条): per applicant per natural month, the cumulative count
//!   of applications: 1–10 free, 11–30 at 100 元/件, and from 31 on "以10件
//!   为一档，每增加一档，收费标准提高100元/件": 31–40 at 200, 41–50 at 300 …
//!   \[R\] The reading "31–40 → 200" (rather than "31–40 → 100, 41–50 →
//!   200") is the one used in ogi-domain.md's worked example; no official
//!   worked example was retrieved.
//! * 按量 (第五条): pages of one application: 1–30 free, 31–100 at 10 元/页,
//!   101–200 at 20 元/页, 201 and more at 40 元/页.
//!
//! 第三条: one method per application, never both. [`FeeBasis`] is an enum,
//! so an assessment cannot carry both.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Quantities above this are rejected: no real month or application comes
/// near it, and it keeps every amount far inside `u64`.
pub const MAX_QUANTITY: u32 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeMethod {
    /// 按件计收
    PerApplication,
    /// 按量计收
    PerPage,
}

impl FeeMethod {
    pub fn label(self) -> &'static str {
        match self {
            Self::PerApplication => "按件计收",
            Self::PerPage => "按量计收",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Self::PerApplication => "件",
            Self::PerPage => "页",
        }
    }

    /// The band containing unit number `n` (1-based): (first, last, 元 per unit).
    fn band_of(self, n: u32) -> (u32, Option<u32>, u64) {
        match self {
            Self::PerApplication => match n {
                0..=10 => (1, Some(10), 0),
                11..=30 => (11, Some(30), 100),
                _ => {
                    let k = (n - 31) / 10;
                    (31 + 10 * k, Some(40 + 10 * k), 200 + 100 * u64::from(k))
                }
            },
            Self::PerPage => match n {
                0..=30 => (1, Some(30), 0),
                31..=100 => (31, Some(100), 10),
                101..=200 => (101, Some(200), 20),
                _ => (201, None, 40),
            },
        }
    }
}

/// What the fee of one application is assessed on. 按件 prices the units of
/// *this* application by their position in the applicant's month, so the
/// count of earlier applications in the same natural month is part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum FeeBasis {
    PerApplication {
        /// Applications (件) by the same applicant earlier in the same natural month.
        earlier_in_month: u32,
        /// 件 this application counts as (several when split under "一事一申请").
        units: u32,
    },
    PerPage {
        pages: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("计费数量不能超过{MAX_QUANTITY}")]
    TooLarge,
    #[error("按件计收时本申请至少计为1件")]
    NoUnits,
}

/// One band of the progressive scale as applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeBand {
    /// First and last unit number of this band that are charged here.
    pub first: u32,
    pub last: u32,
    pub unit_price_yuan: u64,
    pub units: u32,
    pub subtotal_yuan: u64,
}

/// The amount and how it was reached, for the 收费通知 text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeBreakdown {
    pub method: FeeMethod,
    pub bands: Vec<FeeBand>,
    pub total_yuan: u64,
}

/// Prices units `from+1 ..= to` of `method`'s scale.
fn price_range(method: FeeMethod, from: u32, to: u32) -> Result<FeeBreakdown, FeeError> {
    if to > MAX_QUANTITY {
        return Err(FeeError::TooLarge);
    }
    let mut bands = Vec::new();
    let mut start = from + 1;
    while start <= to {
        let (_, last, price) = method.band_of(start);
        let end = last.map_or(to, |l| l.min(to));
        let units = end - start + 1;
        bands.push(FeeBand {
            first: start,
            last: end,
            unit_price_yuan: price,
            units,
            subtotal_yuan: price * u64::from(units),
        });
        start = end + 1;
    }
    let total_yuan = bands.iter().map(|b| b.subtotal_yuan).sum();
    Ok(FeeBreakdown {
        method,
        bands,
        total_yuan,
    })
}

/// Total 按件 fee of `count` applications in one natural month.
pub fn per_application_month_total(count: u32) -> Result<FeeBreakdown, FeeError> {
    price_range(FeeMethod::PerApplication, 0, count)
}

/// 按量 fee of one application of `pages` pages.
pub fn per_page_fee(pages: u32) -> Result<FeeBreakdown, FeeError> {
    price_range(FeeMethod::PerPage, 0, pages)
}

impl FeeBasis {
    pub fn method(&self) -> FeeMethod {
        match self {
            Self::PerApplication { .. } => FeeMethod::PerApplication,
            Self::PerPage { .. } => FeeMethod::PerPage,
        }
    }

    /// The fee of this one application.
    pub fn assess(&self) -> Result<FeeBreakdown, FeeError> {
        match *self {
            Self::PerApplication {
                earlier_in_month,
                units,
            } => {
                if units == 0 {
                    return Err(FeeError::NoUnits);
                }
                let to = earlier_in_month
                    .checked_add(units)
                    .ok_or(FeeError::TooLarge)?;
                price_range(FeeMethod::PerApplication, earlier_in_month, to)
            }
            Self::PerPage { pages } => per_page_fee(pages),
        }
    }
}

impl FeeBreakdown {
    /// Lines such as "第11—30件：20件 × 100元/件 = 2000元" and the total.
    pub fn explain(&self) -> String {
        let unit = self.method.unit();
        let mut out = String::new();
        for b in &self.bands {
            let range = if b.first == b.last {
                format!("第{}{unit}", b.first)
            } else {
                format!("第{}—{}{unit}", b.first, b.last)
            };
            if b.unit_price_yuan == 0 {
                let _ = writeln!(out, "{range}：{}{unit}，不收费", b.units);
            } else {
                let _ = writeln!(
                    out,
                    "{range}：{}{unit} × {}元/{unit} = {}元",
                    b.units, b.unit_price_yuan, b.subtotal_yuan
                );
            }
        }
        let _ = writeln!(out, "{}，合计：{}元", self.method.label(), self.total_yuan);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn month(n: u32) -> u64 {
        per_application_month_total(n).unwrap().total_yuan
    }

    fn pages(n: u32) -> u64 {
        per_page_fee(n).unwrap().total_yuan
    }

    #[test]
    fn forty_five_applications_in_a_month_cost_5500() {
        let b = per_application_month_total(45).unwrap();
        assert_eq!(b.total_yuan, 5_500);
        let prices: Vec<(u32, u32, u64)> = b
            .bands
            .iter()
            .map(|b| (b.first, b.last, b.unit_price_yuan))
            .collect();
        assert_eq!(
            prices,
            vec![(1, 10, 0), (11, 30, 100), (31, 40, 200), (41, 45, 300)]
        );
    }

    #[test]
    fn two_hundred_fifty_pages_cost_4700() {
        assert_eq!(pages(250), 4_700);
    }

    #[test]
    fn per_application_boundaries() {
        assert_eq!(month(0), 0);
        assert_eq!(month(10), 0);
        assert_eq!(month(11), 100);
        assert_eq!(month(30), 2_000);
        assert_eq!(month(31), 2_200);
        assert_eq!(month(40), 4_000);
        assert_eq!(month(41), 4_300);
        assert_eq!(month(51), 4_000 + 3_000 + 400);
    }

    #[test]
    fn per_page_boundaries() {
        assert_eq!(pages(30), 0);
        assert_eq!(pages(31), 10);
        assert_eq!(pages(100), 700);
        assert_eq!(pages(101), 720);
        assert_eq!(pages(200), 2_700);
        assert_eq!(pages(201), 2_740);
    }

    #[test]
    fn one_application_is_priced_by_its_place_in_the_month() {
        // The 12th and 13th 件 of the month: both in the 100 元 band.
        let fee = FeeBasis::PerApplication {
            earlier_in_month: 11,
            units: 2,
        };
        assert_eq!(fee.assess().unwrap().total_yuan, 200);
        // The 30th and 31st straddle a band boundary.
        let fee = FeeBasis::PerApplication {
            earlier_in_month: 29,
            units: 2,
        };
        assert_eq!(fee.assess().unwrap().total_yuan, 300);
        assert_eq!(
            FeeBasis::PerApplication {
                earlier_in_month: 3,
                units: 0
            }
            .assess(),
            Err(FeeError::NoUnits)
        );
    }

    #[test]
    fn the_explanation_shows_each_band_and_the_total() {
        let text = per_page_fee(250).unwrap().explain();
        assert_eq!(
            text,
            "第1—30页：30页，不收费\n\
             第31—100页：70页 × 10元/页 = 700元\n\
             第101—200页：100页 × 20元/页 = 2000元\n\
             第201—250页：50页 × 40元/页 = 2000元\n\
             按量计收，合计：4700元\n"
        );
    }

    #[test]
    fn absurd_quantities_are_errors() {
        assert_eq!(per_page_fee(MAX_QUANTITY + 1), Err(FeeError::TooLarge));
        assert!(per_application_month_total(MAX_QUANTITY).is_ok());
    }

    proptest! {
        #[test]
        fn fees_never_decrease_with_quantity(n in 0u32..5_000) {
            prop_assert!(month(n + 1) >= month(n));
            prop_assert!(pages(n + 1) >= pages(n));
        }

        #[test]
        fn splitting_a_month_adds_up(earlier in 0u32..500, units in 1u32..100) {
            let one = FeeBasis::PerApplication { earlier_in_month: earlier, units }.assess().unwrap();
            prop_assert_eq!(month(earlier) + one.total_yuan, month(earlier + units));
            let charged: u32 = one.bands.iter().map(|b| b.units).sum();
            prop_assert_eq!(charged, units);
        }
    }
}
