//! The demo agencies' 依申请公开告知书设置, so that a demo handler can
//! close a case and issue its reply at once: without a court and a review
//! organ the reply lint refuses every notice.
//!
//! All of it is fictional but follows the law's structure:
//! * 行政复议机关 (行政复议法 2023 第二十四条): a department's or a
//!   township's acts are reviewed by the government above it; a
//!   government's by the next higher government. 青岚市 belongs to the
//!   fictional [`PROVINCE_GOVERNMENT`] (the demo data names no province).
//! * 人民法院 (行政诉讼法 第十五条、第十八条): suits against a government
//!   of county level or above go to the intermediate court; all others to
//!   the basic court of the district or county where the agency sits (the
//!   city's agencies sit in 望湖区, see demo/qinglan.toml).
//! * Fees are paid to the 财政局 of the agency's level, to an account number
//!   that says it is fictional.

use anyhow::anyhow;
use gongkai_core::Store;
use gongkai_core::audit::Actor;
use gongkai_core::org::{OrgKind, OrgLevel, Organisation};
use gongkai_core::request::issued::{NoticeSettings, NoticeSettingsForm, default_prefix};

/// The fictional province above 青岚市.
pub const PROVINCE_GOVERNMENT: &str = "岚江省人民政府";
/// The intermediate court of the city.
const INTERMEDIATE_COURT: &str = "青岚市中级人民法院";
/// The city's agencies sit in 望湖区.
const CITY_SEAT_COURT: &str = "青岚市望湖区人民法院";
const CITY_FINANCE: &str = "青岚市财政局";
const BANK: &str = "青岚农村商业银行政务中心支行";

fn parent<'a>(org: &Organisation, orgs: &'a [Organisation]) -> Option<&'a Organisation> {
    org.parent_id.and_then(|p| orgs.iter().find(|o| o.id == p))
}

/// The district or county government whose area the agency lies in, if
/// the agency is below city level.
fn county_government<'a>(
    org: &'a Organisation,
    orgs: &'a [Organisation],
) -> Option<&'a Organisation> {
    let mut cur = Some(org);
    while let Some(o) = cur {
        if o.kind == OrgKind::Government && o.level == OrgLevel::County {
            return Some(o);
        }
        cur = parent(o, orgs);
    }
    None
}

/// The nearest government above `org`.
fn government_above<'a>(org: &Organisation, orgs: &'a [Organisation]) -> Option<&'a Organisation> {
    let mut cur = parent(org, orgs);
    while let Some(o) = cur {
        if o.kind == OrgKind::Government {
            return Some(o);
        }
        cur = parent(o, orgs);
    }
    None
}

/// 青岚市望湖区人民政府 → 青岚市望湖区 (the area's name).
fn area(government: &Organisation) -> &str {
    government
        .name
        .strip_suffix("人民政府")
        .unwrap_or(&government.name)
}

/// The settings of demo agency `org`; `n` numbers its fictional account.
pub fn settings_for(
    org: &Organisation,
    orgs: &[Organisation],
    n: usize,
) -> anyhow::Result<NoticeSettings> {
    let county = county_government(org, orgs);
    let review_organ = if org.kind == OrgKind::Government {
        government_above(org, orgs).map_or(PROVINCE_GOVERNMENT.to_string(), |g| g.name.clone())
    } else {
        government_above(org, orgs)
            .map(|g| g.name.clone())
            .ok_or_else(|| anyhow!("演示机构 {} 上级没有人民政府", org.name))?
    };
    let court = match (org.kind, county) {
        (OrgKind::Government, _) => INTERMEDIATE_COURT.to_string(),
        (_, Some(c)) => format!("{}人民法院", area(c)),
        (_, None) => CITY_SEAT_COURT.to_string(),
    };
    let payee = county.map_or(CITY_FINANCE.to_string(), |c| format!("{}财政局", area(c)));
    // The office's contact, or else the nearest ancestor's that has one.
    let mut with_phone = Some(org);
    while let Some(o) = with_phone.filter(|o| o.contact.phone.is_none()) {
        with_phone = parent(o, orgs);
    }
    let contact = with_phone
        .map(|o| {
            let c = &o.contact;
            let mut s = format!("联系电话：{}", c.phone.as_deref().unwrap_or_default());
            if let Some(a) = &c.address {
                s.push_str(&format!("；地址：{a}"));
            }
            if let Some(office) = &c.office_name {
                s.push_str(&format!("（{office}）"));
            }
            s
        })
        .unwrap_or_default();
    NoticeSettingsForm {
        doc_prefix: default_prefix(org.display_short()),
        review_organ,
        court,
        payee,
        account: format!("9999 0000 0000 {n:04}（演示用虚构账号，请勿汇款）"),
        bank: BANK.into(),
        contact,
    }
    .validate(org.id)
    .map_err(|e| anyhow!("演示机构 {} 的告知书设置无效：{e:?}", org.name))
}

/// Saves the settings of every demo agency; returns how many.
pub async fn seed(
    store: &dyn Store,
    actor: &Actor,
    orgs: &[Organisation],
) -> anyhow::Result<usize> {
    for (i, org) in orgs.iter().enumerate() {
        store
            .put_notice_settings(actor, &settings_for(org, orgs, i + 1)?)
            .await?;
    }
    Ok(orgs.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::org::OfficeContact;

    fn org(
        id: i64,
        parent_id: Option<i64>,
        name: &str,
        kind: OrgKind,
        level: OrgLevel,
    ) -> Organisation {
        Organisation {
            id,
            parent_id,
            name: name.into(),
            short_name: None,
            code: None,
            kind,
            level,
            sort_order: 0,
            active: true,
            successor_id: None,
            contact: OfficeContact {
                phone: (id == 1).then(|| "0799-8210001".to_string()),
                address: (id == 1).then(|| "青岚市望湖区政务大道1号".to_string()),
                ..Default::default()
            },
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    fn orgs() -> Vec<Organisation> {
        use OrgKind::*;
        use OrgLevel::*;
        vec![
            org(1, None, "青岚市人民政府", Government, City),
            org(2, Some(1), "青岚市教育局", Department, City),
            org(3, Some(1), "枫溪县人民政府", Government, County),
            org(4, Some(3), "枫溪县财政局", Department, County),
            org(5, Some(3), "枫溪县白沙乡人民政府", TownshipStreet, Township),
        ]
    }

    #[test]
    fn review_organ_and_court_follow_the_agencys_place() {
        let o = orgs();
        let s = |i: usize| settings_for(&o[i], &o, i + 1).unwrap();
        assert_eq!(s(0).review_organ, PROVINCE_GOVERNMENT);
        assert_eq!(s(0).court, "青岚市中级人民法院");
        assert_eq!(s(1).review_organ, "青岚市人民政府");
        assert_eq!(s(1).court, "青岚市望湖区人民法院");
        assert_eq!(s(1).payee, "青岚市财政局");
        assert_eq!(s(2).review_organ, "青岚市人民政府");
        assert_eq!(s(2).court, "青岚市中级人民法院");
        assert_eq!(s(3).review_organ, "枫溪县人民政府");
        assert_eq!(s(3).court, "枫溪县人民法院");
        assert_eq!(s(3).payee, "枫溪县财政局");
        assert_eq!(s(4).review_organ, "枫溪县人民政府");
        assert_eq!(s(4).court, "枫溪县人民法院");
        // Contact falls back to the nearest ancestor that has one.
        assert_eq!(
            s(4).contact,
            "联系电话：0799-8210001；地址：青岚市望湖区政务大道1号"
        );
        assert_eq!(s(4).doc_prefix, "枫溪县白沙乡人民政府依申请");
        assert!(s(4).account.contains("0005") && s(4).account.contains("虚构"));
    }
}
