//! Loading and validating the embedded demo data. Pure: no store access,
//! so the whole data set is checked by unit tests.

use anyhow::{Context, anyhow, bail};
use figment::Figment;
use figment::providers::{Format, Toml};
use gongkai_core::guide::GuideText;
use gongkai_core::org::{OrgForm, OrgKind};
use gongkai_core::org_code::{OrgCode, complete_credit_code, complete_org_code};
use gongkai_core::policy_doc::{PolicyDocDraft, PolicyDocForm};
use gongkai_core::store::{NewOrg, ParentRef};
use gongkai_core::user::{Grant, Role};
use serde::Deserialize;
use std::collections::HashMap;

/// The password of every demo account (printed at start-up).
pub const DEMO_PASSWORD: &str = "gongkai-demo-2026";

const ORGS_TOML: &str = include_str!("../../demo/qinglan.toml");
const GUIDES_TOML: &str = include_str!("../../demo/guides.toml");
const DOCS_TOML: &str = include_str!("../../demo/policy_docs.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgFile {
    default_office_hours: String,
    password: String,
    org: Vec<DemoOrg>,
    account: Vec<AccountSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOrg {
    key: String,
    parent: Option<String>,
    name: String,
    short_name: Option<String>,
    kind: String,
    level: String,
    area: String,
    #[serde(default)]
    no_code: bool,
    #[serde(default)]
    sort_order: i32,
    successor: Option<String>,
    office_name: Option<String>,
    address: Option<String>,
    office_hours: Option<String>,
    phone: Option<String>,
    fax: Option<String>,
    email: Option<String>,
    website: Option<String>,
    postcode: Option<String>,
    guide: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountSpec {
    username: String,
    display_name: String,
    org: String,
    role: String,
    grant_org: String,
    #[serde(default)]
    subtree: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuideTemplate {
    classification: String,
    arrangement: String,
    access: String,
    extra: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocFile {
    doc: Vec<DocSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocSpec {
    org: String,
    title: String,
    issued_on: String,
    body: String,
}

/// A demo account, validated; indices point into [`Plan::orgs`].
#[derive(Debug, Clone)]
pub struct PlannedAccount {
    pub username: String,
    pub display_name: String,
    pub org: usize,
    pub role: Role,
    pub grant_org: usize,
    pub subtree: bool,
}

impl PlannedAccount {
    /// The grant once the organisation ids are known.
    pub fn grant(&self, grant_org_id: i64) -> Grant {
        Grant::new(self.role, grant_org_id, self.subtree)
    }
}

/// Everything the seeder writes, in order, already validated.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Organisations, parents before children (one `create_orgs` batch).
    pub orgs: Vec<NewOrg>,
    /// (merged organisation, successor), set after the batch exists.
    pub successors: Vec<(usize, usize)>,
    pub guides: Vec<(usize, GuideText)>,
    pub docs: Vec<(usize, PolicyDocDraft)>,
    pub accounts: Vec<PlannedAccount>,
    pub password: String,
}

/// Parses and validates the embedded data.
pub fn plan() -> anyhow::Result<Plan> {
    let file: OrgFile = Figment::from(Toml::string(ORGS_TOML))
        .extract()
        .context("演示数据 qinglan.toml 有误")?;
    let templates: HashMap<String, GuideTemplate> = Figment::from(Toml::string(GUIDES_TOML))
        .extract()
        .context("演示数据 guides.toml 有误")?;
    let docs: DocFile = Figment::from(Toml::string(DOCS_TOML))
        .extract()
        .context("演示数据 policy_docs.toml 有误")?;
    if file.password != DEMO_PASSWORD {
        bail!("qinglan.toml: password must equal DEMO_PASSWORD");
    }

    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut orgs: Vec<NewOrg> = Vec::new();
    let mut codes_per_area: HashMap<&str, u32> = HashMap::new();
    for (i, o) in file.org.iter().enumerate() {
        let parent = match &o.parent {
            None => None,
            Some(p) => Some(
                *index
                    .get(p.as_str())
                    .ok_or_else(|| anyhow!("{}: parent {p} must come earlier", o.key))?,
            ),
        };
        let seq = codes_per_area.entry(o.area.as_str()).or_insert(0);
        *seq += 1;
        let code = if o.no_code {
            None
        } else {
            Some(mint_code(&o.area, *seq)?)
        };
        let form = OrgForm {
            name: o.name.clone(),
            short_name: o.short_name.clone().unwrap_or_default(),
            code: code.map(|c| c.to_string()).unwrap_or_default(),
            kind: o.kind.clone(),
            level: o.level.clone(),
            sort_order: o.sort_order.to_string(),
            active: o.successor.is_none(),
            office_name: o.office_name.clone().unwrap_or_default(),
            address: o.address.clone().unwrap_or_default(),
            office_hours: o
                .office_hours
                .clone()
                .unwrap_or_else(|| file.default_office_hours.clone()),
            phone: o.phone.clone().unwrap_or_default(),
            fax: o.fax.clone().unwrap_or_default(),
            email: o.email.clone().unwrap_or_default(),
            website: o.website.clone().unwrap_or_default(),
            postcode: o.postcode.clone().unwrap_or_default(),
        };
        let parent_level = parent.map(|p: usize| orgs[p].draft.level);
        let draft = form
            .validate(parent_level)
            .map_err(|e| anyhow!("{}: {e}", o.key))?;
        if index.insert(&o.key, i).is_some() {
            bail!("duplicate org key {}", o.key);
        }
        orgs.push(NewOrg {
            parent: parent.map_or(ParentRef::None, ParentRef::Batch),
            draft,
        });
    }
    let key = |k: &str| {
        index
            .get(k)
            .copied()
            .ok_or_else(|| anyhow!("unknown org key {k}"))
    };

    let mut successors = Vec::new();
    let mut guides = Vec::new();
    for (i, o) in file.org.iter().enumerate() {
        if let Some(s) = &o.successor {
            successors.push((i, key(s)?));
        }
        if let Some(t) = &o.guide {
            let template = templates
                .get(t)
                .ok_or_else(|| anyhow!("{}: unknown guide template {t}", o.key))?;
            let values = placeholders(i, o, &file.org, &orgs, &index)?;
            let text = GuideText {
                classification: render(&template.classification, &values)?,
                arrangement: render(&template.arrangement, &values)?,
                access: render(&template.access, &values)?,
                extra: render(&template.extra, &values)?,
            };
            let text = GuideText::validate(&text).map_err(|e| anyhow!("{}: {e}", o.key))?;
            guides.push((i, text));
        }
    }

    let mut planned_docs = Vec::new();
    for d in &docs.doc {
        let draft = PolicyDocForm {
            title: d.title.clone(),
            body: d.body.clone(),
            issued_on: d.issued_on.clone(),
        }
        .validate()
        .map_err(|e| anyhow!("{}: {e}", d.title))?;
        planned_docs.push((key(&d.org)?, draft));
    }

    let mut accounts = Vec::new();
    for a in &file.account {
        let role = Role::parse(&a.role).ok_or_else(|| anyhow!("unknown role {}", a.role))?;
        accounts.push(PlannedAccount {
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            org: key(&a.org)?,
            role,
            grant_org: key(&a.grant_org)?,
            subtree: a.subtree,
        });
    }

    Ok(Plan {
        orgs,
        successors,
        guides,
        docs: planned_docs,
        accounts,
        password: file.password,
    })
}

/// A valid but fictional 统一社会信用代码: 登记管理部门 1 (机构编制),
/// 机构类别 1 (机关), the fictional area code, and a 组织机构代码 built
/// from the area and a running number.
fn mint_code(area: &str, seq: u32) -> anyhow::Result<OrgCode> {
    if area.len() != 6 || !area.starts_with("99") || !area.bytes().all(|b| b.is_ascii_digit()) {
        bail!("area code {area} must be a fictional 99xxxx code");
    }
    let org9 = complete_org_code(&format!("{}{seq:04}", &area[2..]))
        .ok_or_else(|| anyhow!("cannot mint an organisation code for {area}/{seq}"))?;
    complete_credit_code(&format!("11{area}{org9}"))
        .ok_or_else(|| anyhow!("cannot mint a credit code for {area}/{seq}"))
}

/// The values a guide template may use for organisation `i`.
fn placeholders(
    i: usize,
    o: &DemoOrg,
    all: &[DemoOrg],
    drafts: &[NewOrg],
    index: &HashMap<&str, usize>,
) -> anyhow::Result<HashMap<&'static str, String>> {
    let parent_of = |j: usize| all[j].parent.as_deref().and_then(|p| index.get(p).copied());
    let is_gov = |j: usize| drafts[j].draft.kind == OrgKind::Government;
    // The 本级人民政府: the organisation itself if it is one, else the nearest above.
    let mut gov = Some(i);
    while let Some(g) = gov.filter(|&g| !is_gov(g)) {
        gov = parent_of(g);
    }
    let gov = gov.ok_or_else(|| anyhow!("{}: no government above it", o.key))?;
    // Supervision: departments and townships answer to their own
    // government's general office; a government or general office to the
    // general office of the government above.
    let supervising_gov = if matches!(
        drafts[i].draft.kind,
        OrgKind::Government | OrgKind::GeneralOffice
    ) {
        let mut g = parent_of(gov);
        while let Some(x) = g.filter(|&x| !is_gov(x)) {
            g = parent_of(x);
        }
        g
    } else {
        Some(gov)
    };
    let supervisor = match supervising_gov {
        Some(g) => {
            let office = (0..all.len())
                .find(|&j| {
                    parent_of(j) == Some(g) && drafts[j].draft.kind == OrgKind::GeneralOffice
                })
                .ok_or_else(|| anyhow!("{}: government without a general office", o.key))?;
            format!("{}（政府信息公开工作主管部门）", drafts[office].draft.name)
        }
        None => "上一级人民政府政府信息公开工作主管部门".to_string(),
    };
    let d = &drafts[i].draft;
    let mut v: HashMap<&'static str, String> = HashMap::new();
    v.insert("name", d.name.clone());
    v.insert("gov", drafts[gov].draft.name.clone());
    v.insert("supervisor", supervisor);
    if !o.topics.is_empty() {
        v.insert("topics", o.topics.join("、"));
    }
    let mut put = |k: &'static str, val: &Option<String>| {
        if let Some(val) = val {
            v.insert(k, val.clone());
        }
    };
    put("office", &d.contact.office_name);
    put("address", &d.contact.address);
    put("postcode", &d.contact.postcode);
    put("fax", &d.contact.fax);
    put("portal", &drafts[gov].draft.contact.website);
    put("code", &d.code.as_ref().map(|c| c.to_string()));
    Ok(v)
}

/// Replaces `{name}`-style placeholders; a placeholder without a value is
/// an error (the data file is wrong), never silently left in the text.
fn render(template: &str, values: &HashMap<&'static str, String>) -> anyhow::Result<String> {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| anyhow!("unclosed placeholder in guide template"))?;
        let key = &after[..end];
        let value = values
            .get(key)
            .ok_or_else(|| anyhow!("guide template uses {{{key}}} but it has no value"))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::org::OrgLevel;

    #[test]
    fn the_demo_data_validates() {
        let p = plan().unwrap();
        assert!(p.orgs.len() >= 40, "{}", p.orgs.len());
        let by_level = |l: OrgLevel| p.orgs.iter().filter(|o| o.draft.level == l).count();
        assert!(by_level(OrgLevel::Township) >= 9);
        assert_eq!(
            p.orgs
                .iter()
                .filter(|o| o.draft.kind == OrgKind::Government)
                .count(),
            4
        );
        assert_eq!(p.accounts.len(), 7);
        assert!((4..=8).contains(&p.docs.len()));
        // Exactly one merged agency, pointing at an active successor.
        assert_eq!(p.successors.len(), 1);
        let (merged, successor) = p.successors[0];
        assert!(!p.orgs[merged].draft.active);
        assert!(p.orgs[successor].draft.active);
    }

    #[test]
    fn codes_are_valid_fictional_and_unique() {
        let p = plan().unwrap();
        let codes: Vec<&OrgCode> = p
            .orgs
            .iter()
            .filter_map(|o| o.draft.code.as_ref())
            .collect();
        assert_eq!(
            codes.len(),
            p.orgs.len() - 1,
            "one org is kept without a code"
        );
        let mut seen = std::collections::HashSet::new();
        for c in codes {
            assert!(c.is_credit_code());
            assert_eq!(
                &c.as_str()[2..4],
                "99",
                "{c} must use a fictional area code"
            );
            assert!(OrgCode::parse(c.as_str()).is_ok());
            assert!(seen.insert(c.as_str()), "duplicate code {c}");
        }
    }

    #[test]
    fn guides_are_rendered_completely_and_some_are_left_incomplete() {
        let p = plan().unwrap();
        assert!(p.guides.len() >= p.orgs.len() - 3);
        for (i, g) in &p.guides {
            for text in [&g.classification, &g.arrangement, &g.access, &g.extra] {
                assert!(!text.contains('{'), "{}: {text}", p.orgs[*i].draft.name);
                assert!(!text.trim().is_empty());
            }
        }
        let city = &p.guides[0].1;
        assert!(city.access.contains("第三十三条"));
        assert!(city.extra.contains("上一级人民政府"));
        let names_with_guides: Vec<&str> = p
            .guides
            .iter()
            .map(|(i, _)| p.orgs[*i].draft.name.as_str())
            .collect();
        assert!(!names_with_guides.contains(&"枫溪县白沙乡人民政府"));
        let township_guide = p
            .guides
            .iter()
            .find(|(i, _)| p.orgs[*i].draft.name == "枫溪县枫溪镇人民政府")
            .unwrap();
        assert!(
            township_guide
                .1
                .extra
                .contains("枫溪县人民政府办公室（政府信息公开工作主管部门）")
        );
    }

    #[test]
    fn render_refuses_unknown_placeholders() {
        let mut v = HashMap::new();
        v.insert("name", "青岚市教育局".to_string());
        assert_eq!(render("{name}的指南", &v).unwrap(), "青岚市教育局的指南");
        assert!(render("{fax}", &v).is_err());
    }
}
