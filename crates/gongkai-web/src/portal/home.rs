//! Home page: the jurisdiction's active agencies, grouped the way real
//! 政府信息公开 portals list them (by level, by government, by kind).

use crate::error::render;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use gongkai_core::OrgId;
use gongkai_core::org::{OrgKind, OrgLevel, Organisation};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    layout: Layout,
    levels: Vec<LevelGroup>,
    /// 最新公开: the newest published catalog items (empty: no section).
    latest: Vec<super::catalog::Row>,
}

/// One administrative level (省级, 市级 …).
#[derive(Debug)]
pub(crate) struct LevelGroup {
    pub label: &'static str,
    pub governments: Vec<GovGroup>,
}

/// The agencies of one government within a level.
#[derive(Debug)]
pub(crate) struct GovGroup {
    /// Heading naming the government; `None` when the level has a single
    /// government at the city level or above (the heading would only
    /// repeat the site name).
    pub heading: Option<String>,
    pub kinds: Vec<KindGroup>,
}

#[derive(Debug)]
pub(crate) struct KindGroup {
    pub label: &'static str,
    pub agencies: Vec<AgencyLink>,
}

#[derive(Debug)]
pub(crate) struct AgencyLink {
    pub id: OrgId,
    pub name: String,
    /// For township-level agencies other than the township itself: the
    /// township they belong to.
    pub belongs_to: Option<String>,
}

pub(super) async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let orgs = state.store.list_orgs().await?;
    let layout = Layout::portal_with(&state.config, &orgs, "首页");
    let latest = super::catalog::latest(&state, &orgs).await?;
    render(&HomePage {
        layout,
        levels: group(&orgs),
        latest,
    })
}

fn is_government(o: &Organisation) -> bool {
    matches!(o.kind, OrgKind::Government | OrgKind::TownshipStreet)
}

/// Groups the active agencies. `orgs` is in the store's order (level,
/// sort_order, id), which is kept inside every group.
pub(crate) fn group(orgs: &[Organisation]) -> Vec<LevelGroup> {
    let by_id: HashMap<OrgId, &Organisation> = orgs.iter().map(|o| (o.id, o)).collect();
    let position: HashMap<OrgId, usize> = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    // Walks up from `start` (inclusive) to the first organisation matching
    // `pred`. Bounded so that a cycle in corrupt data cannot hang a request.
    let find_up = |start: Option<OrgId>, pred: &dyn Fn(&Organisation) -> bool| {
        let mut cur = start;
        for _ in 0..=orgs.len() {
            let o = by_id.get(&cur?)?;
            if pred(o) {
                return Some(*o);
            }
            cur = o.parent_id;
        }
        None
    };

    let mut levels = Vec::new();
    for level in OrgLevel::ALL {
        // Township governments are listed under the county (or city) that
        // governs them; every other agency under its own government.
        let mut groups: Vec<(Option<&Organisation>, Vec<&Organisation>)> = Vec::new();
        for o in orgs.iter().filter(|o| o.active && o.level == level) {
            let gov = if level == OrgLevel::Township {
                find_up(o.parent_id, &|p| {
                    p.kind == OrgKind::Government && p.level < OrgLevel::Township
                })
            } else {
                find_up(Some(o.id), &|p| is_government(p) && p.level == level)
            };
            match groups
                .iter_mut()
                .find(|(g, _)| g.map(|g| g.id) == gov.map(|g| g.id))
            {
                Some((_, members)) => members.push(o),
                None => groups.push((gov, vec![o])),
            }
        }
        if groups.is_empty() {
            continue;
        }
        // Governments in their own list order; agencies without one last.
        groups.sort_by_key(|(g, _)| g.map_or(usize::MAX, |g| position[&g.id]));
        let show_headings = groups.len() > 1 || level >= OrgLevel::County;
        let governments = groups
            .into_iter()
            .map(|(gov, members)| GovGroup {
                heading: show_headings.then(|| match gov {
                    Some(g) if level == OrgLevel::Township => format!("{}辖区", g.name),
                    Some(g) => g.name.clone(),
                    None => "其他机构".to_string(),
                }),
                kinds: OrgKind::ALL
                    .into_iter()
                    .filter_map(|kind| {
                        let agencies: Vec<AgencyLink> = members
                            .iter()
                            .filter(|o| o.kind == kind)
                            .map(|o| AgencyLink {
                                id: o.id,
                                name: o.name.clone(),
                                belongs_to: (level == OrgLevel::Township && !is_government(o))
                                    .then(|| find_up(o.parent_id, &is_government))
                                    .flatten()
                                    .filter(|t| t.level == OrgLevel::Township)
                                    .map(|t| t.name.clone()),
                            })
                            .collect();
                        (!agencies.is_empty()).then_some(KindGroup {
                            label: kind.label(),
                            agencies,
                        })
                    })
                    .collect(),
            })
            .collect();
        levels.push(LevelGroup {
            label: level.label(),
            governments,
        });
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::testing::org;
    use OrgKind::*;
    use OrgLevel::*;

    fn names(k: &KindGroup) -> Vec<&str> {
        k.agencies.iter().map(|a| a.name.as_str()).collect()
    }

    #[test]
    fn agencies_are_grouped_by_level_government_and_kind() {
        let mut closed = org(9, Some(1), "青岚市粮食局", Department, City);
        closed.active = false;
        let orgs = vec![
            org(1, None, "青岚市人民政府", Government, City),
            org(2, Some(1), "青岚市人民政府办公室", GeneralOffice, City),
            org(3, Some(1), "青岚市教育局", Department, City),
            closed,
            org(4, Some(1), "枫溪县人民政府", Government, County),
            org(6, Some(1), "松台县人民政府", Government, County),
            org(5, Some(4), "枫溪县教育局", Department, County),
            org(7, Some(4), "白石镇人民政府", TownshipStreet, Township),
            org(8, Some(7), "白石镇农业综合服务中心", Other, Township),
        ];
        let levels = group(&orgs);
        assert_eq!(
            levels.iter().map(|l| l.label).collect::<Vec<_>>(),
            ["市级", "县级", "乡级"]
        );

        let city = &levels[0].governments;
        assert_eq!(city.len(), 1);
        assert_eq!(city[0].heading, None);
        let kinds: Vec<_> = city[0].kinds.iter().map(|k| k.label).collect();
        assert_eq!(kinds, ["人民政府", "政府办公厅（室）", "工作部门"]);
        assert_eq!(
            names(&city[0].kinds[2]),
            ["青岚市教育局"],
            "closed agency is hidden"
        );

        let county = &levels[1].governments;
        assert_eq!(county.len(), 2);
        assert_eq!(county[0].heading.as_deref(), Some("枫溪县人民政府"));
        assert_eq!(names(&county[0].kinds[1]), ["枫溪县教育局"]);
        assert_eq!(county[1].heading.as_deref(), Some("松台县人民政府"));

        let town = &levels[2].governments;
        assert_eq!(town[0].heading.as_deref(), Some("枫溪县人民政府辖区"));
        assert_eq!(names(&town[0].kinds[0]), ["白石镇人民政府"]);
        let centre = &town[0].kinds[1].agencies[0];
        assert_eq!(centre.belongs_to.as_deref(), Some("白石镇人民政府"));
    }

    #[test]
    fn nothing_to_list_gives_no_levels() {
        assert!(group(&[]).is_empty());
    }
}
