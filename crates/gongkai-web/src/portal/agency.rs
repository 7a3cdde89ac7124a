//! One agency's 政府信息公开专栏 with the four standard columns of
//! 国办公开办函〔2019〕61号: 指南, 制度, 法定主动公开内容, 年报.

use super::guide::GuideView;
use crate::error::render;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use gongkai_core::OrgId;
use gongkai_core::html::SafeHtml;
use gongkai_core::org::Organisation;
use gongkai_core::org_tree::OrgTree;
use gongkai_core::policy_doc::PolicyDoc;

/// The columns in the order 61号 lists them: (path segment, title,
/// one-line description for the landing page).
const COLUMNS: [(&str, &str, &str); 4] = [
    (
        "guide",
        "政府信息公开指南",
        "信息分类、获取方式和公开工作机构联系方式",
    ),
    ("rules", "政府信息公开制度", "本机关政府信息公开工作制度"),
    ("catalog", "法定主动公开内容", "依法应当主动公开的政府信息"),
    (
        "annual-reports",
        "政府信息公开年报",
        "年度政府信息公开工作报告",
    ),
];

/// What every 专栏 page shows around its column: heading, status,
/// breadcrumb and the column sidebar.
pub(crate) struct AgencyFrame {
    pub id: OrgId,
    pub name: String,
    pub active: bool,
    pub successor: Option<Link>,
    pub crumbs: Vec<Link>,
    /// The current crumb (not a link).
    pub here: String,
    pub columns: Vec<ColumnLink>,
}

pub(crate) struct Link {
    pub href: String,
    pub label: String,
}

pub(crate) struct ColumnLink {
    pub href: String,
    pub label: &'static str,
    pub description: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "portal/agency.html")]
struct LandingPage {
    layout: Layout,
    agency: AgencyFrame,
    children: Vec<Link>,
}

#[derive(Template)]
#[template(path = "portal/guide.html")]
struct GuidePage {
    layout: Layout,
    agency: AgencyFrame,
    guide: GuideView,
}

#[derive(Template)]
#[template(path = "portal/rules.html")]
struct RulesPage {
    layout: Layout,
    agency: AgencyFrame,
    docs: Vec<DocRow>,
}

struct DocRow {
    href: String,
    title: String,
    issued_on: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/rule_doc.html")]
struct RuleDocPage {
    layout: Layout,
    agency: AgencyFrame,
    title: String,
    issued_on: Option<String>,
    /// Sanitised when it was saved; rendered with `|safe`.
    body: SafeHtml,
}

/// 年报: filled by a later feature; until then an honest empty state
/// rather than sample content. (法定主动公开内容 is `portal::catalog`.)
#[derive(Template)]
#[template(path = "portal/empty_column.html")]
struct EmptyColumnPage {
    layout: Layout,
    agency: AgencyFrame,
    column_title: &'static str,
}

/// Loads the organisation list and the addressed agency; unknown or
/// malformed ids are a 404, not a 400, because they are just bad links.
pub(super) async fn load(
    state: &AppState,
    raw_id: &str,
) -> Result<(Vec<Organisation>, usize), AppError> {
    let id: OrgId = raw_id.parse().map_err(|_| AppError::NotFound)?;
    let orgs = state.store.list_orgs().await?;
    let idx = orgs
        .iter()
        .position(|o| o.id == id)
        .ok_or(AppError::NotFound)?;
    Ok((orgs, idx))
}

fn agency_href(id: OrgId) -> String {
    format!("/agency/{id}")
}

/// Builds the frame; `column` is the current column's path segment, or
/// `None` on the landing page.
pub(super) fn frame(
    orgs: &[Organisation],
    org: &Organisation,
    column: Option<&str>,
) -> AgencyFrame {
    let tree = OrgTree::from_orgs(orgs);
    let name_of = |id: OrgId| orgs.iter().find(|o| o.id == id).map(|o| o.name.clone());
    let mut crumbs = vec![Link {
        href: "/".into(),
        label: "首页".into(),
    }];
    for id in tree.ancestry(org.id) {
        if id == org.id && column.is_none() {
            break;
        }
        if let Some(label) = name_of(id) {
            crumbs.push(Link {
                href: agency_href(id),
                label,
            });
        }
    }
    let here = match column.and_then(|c| COLUMNS.iter().find(|(seg, _, _)| *seg == c)) {
        Some((_, title, _)) => (*title).to_string(),
        None => org.name.clone(),
    };
    AgencyFrame {
        id: org.id,
        name: org.name.clone(),
        active: org.active,
        successor: org.successor_id.and_then(|id| {
            name_of(id).map(|label| Link {
                href: agency_href(id),
                label,
            })
        }),
        crumbs,
        here,
        columns: COLUMNS
            .iter()
            .map(|(seg, label, description)| ColumnLink {
                href: format!("/agency/{}/{seg}", org.id),
                label,
                description,
                current: column == Some(*seg),
            })
            .collect(),
    }
}

pub(super) fn layout(state: &AppState, orgs: &[Organisation], frame: &AgencyFrame) -> Layout {
    let title = if frame.here == frame.name {
        frame.name.clone()
    } else {
        format!("{} - {}", frame.here, frame.name)
    };
    Layout::portal_with(&state.config, orgs, &title)
}

fn date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y年%m月%d日").to_string())
}

pub(super) async fn landing(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (orgs, idx) = load(&state, &id).await?;
    let org = &orgs[idx];
    let agency = frame(&orgs, org, None);
    // Closed sub-agencies stay reachable by URL but are not advertised.
    let children = orgs
        .iter()
        .filter(|o| o.parent_id == Some(org.id) && o.active)
        .map(|o| Link {
            href: agency_href(o.id),
            label: o.name.clone(),
        })
        .collect();
    render(&LandingPage {
        layout: layout(&state, &orgs, &agency),
        agency,
        children,
    })
}

pub(super) async fn guide(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (orgs, idx) = load(&state, &id).await?;
    let org = &orgs[idx];
    let text = state.store.get_guide(org.id).await?;
    let agency = frame(&orgs, org, Some("guide"));
    render(&GuidePage {
        layout: layout(&state, &orgs, &agency),
        guide: GuideView::build(org, &text),
        agency,
    })
}

pub(super) async fn rules(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (orgs, idx) = load(&state, &id).await?;
    let org = &orgs[idx];
    let docs = state
        .store
        .list_policy_docs(org.id)
        .await?
        .into_iter()
        .map(|d| DocRow {
            href: format!("/agency/{}/rules/{}", org.id, d.id),
            title: d.title,
            issued_on: date(d.issued_on),
        })
        .collect();
    let agency = frame(&orgs, org, Some("rules"));
    render(&RulesPage {
        layout: layout(&state, &orgs, &agency),
        agency,
        docs,
    })
}

pub(super) async fn rule_doc(
    State(state): State<AppState>,
    Path((id, doc_id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let (orgs, idx) = load(&state, &id).await?;
    let org = &orgs[idx];
    let doc_id: i64 = doc_id.parse().map_err(|_| AppError::NotFound)?;
    // A document is only reachable under its own agency's URL.
    let doc: PolicyDoc = state
        .store
        .get_policy_doc(doc_id)
        .await?
        .filter(|d| d.org_id == org.id)
        .ok_or(AppError::NotFound)?;
    let mut agency = frame(&orgs, org, Some("rules"));
    let here = std::mem::replace(&mut agency.here, doc.title.clone());
    agency.crumbs.push(Link {
        href: format!("/agency/{}/rules", org.id),
        label: here,
    });
    render(&RuleDocPage {
        layout: layout(&state, &orgs, &agency),
        agency,
        title: doc.title,
        issued_on: date(doc.issued_on),
        body: doc.body,
    })
}

async fn empty_column(
    state: AppState,
    id: &str,
    segment: &'static str,
) -> Result<Html<String>, AppError> {
    let (orgs, idx) = load(&state, id).await?;
    let agency = frame(&orgs, &orgs[idx], Some(segment));
    let column_title = COLUMNS
        .iter()
        .find(|(seg, _, _)| *seg == segment)
        .map_or("", |(_, t, _)| *t);
    render(&EmptyColumnPage {
        layout: layout(&state, &orgs, &agency),
        agency,
        column_title,
    })
}

pub(super) async fn annual_reports(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    empty_column(state, &id, "annual-reports").await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::testing::org;
    use gongkai_core::org::{OrgKind, OrgLevel};

    #[test]
    fn breadcrumb_follows_the_tree_and_marks_the_column() {
        let orgs = vec![
            org(
                1,
                None,
                "青岚市人民政府",
                OrgKind::Government,
                OrgLevel::City,
            ),
            org(
                4,
                Some(1),
                "枫溪县人民政府",
                OrgKind::Government,
                OrgLevel::County,
            ),
            org(
                5,
                Some(4),
                "枫溪县教育局",
                OrgKind::Department,
                OrgLevel::County,
            ),
        ];
        let f = frame(&orgs, &orgs[2], Some("rules"));
        let labels: Vec<_> = f.crumbs.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["首页", "青岚市人民政府", "枫溪县人民政府", "枫溪县教育局"]
        );
        assert_eq!(f.here, "政府信息公开制度");
        let current: Vec<_> = f
            .columns
            .iter()
            .filter(|c| c.current)
            .map(|c| c.label)
            .collect();
        assert_eq!(current, ["政府信息公开制度"]);

        let landing = frame(&orgs, &orgs[2], None);
        assert_eq!(landing.crumbs.len(), 3);
        assert_eq!(landing.here, "枫溪县教育局");
        assert!(landing.columns.iter().all(|c| !c.current));
    }
}
