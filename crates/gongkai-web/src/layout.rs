//! What every page's frame needs: site name, page title, banner, signed-in user.

use crate::{AppError, AppState, WebConfig};
use gongkai_core::org::Organisation;

/// Shown when neither the configuration nor the organisation tree names
/// the jurisdiction (fresh install, or several unrelated roots).
pub const GENERIC_SITE_NAME: &str = "政府信息公开平台";

/// Frame data passed to `base.html`. Each page template struct has a
/// `layout: Layout` field.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The jurisdiction shown in the header.
    pub site_name: String,
    /// `<title>` prefix.
    pub title: String,
    /// Show the demo-data banner.
    pub demo: bool,
    /// Display name of the signed-in staff member, on console pages.
    pub staff_name: Option<String>,
    /// CSRF token for forms in the frame (the sign-out button).
    pub csrf: Option<String>,
    /// Which top-level area is active: "portal" or "console".
    pub area: &'static str,
}

impl Layout {
    /// A frame for pages rendered without state (error pages).
    pub fn plain(title: &str) -> Self {
        Self {
            site_name: GENERIC_SITE_NAME.into(),
            title: title.into(),
            area: "portal",
            ..Default::default()
        }
    }

    /// False when the header shows the generic platform name, which must
    /// not be followed by the same words again as a subtitle.
    pub fn has_own_name(&self) -> bool {
        self.site_name != GENERIC_SITE_NAME
    }

    /// A portal frame; loads the organisations to name the jurisdiction.
    /// Handlers that already hold the list use [`Layout::portal_with`].
    pub async fn portal(state: &AppState, title: &str) -> Result<Self, AppError> {
        let orgs = state.store.list_orgs().await?;
        Ok(Self::portal_with(&state.config, &orgs, title))
    }

    /// A portal frame from an already loaded organisation list.
    pub fn portal_with(config: &WebConfig, orgs: &[Organisation], title: &str) -> Self {
        Self {
            site_name: site_name(config, orgs),
            title: title.into(),
            demo: config.demo,
            area: "portal",
            ..Default::default()
        }
    }
}

/// The configured name, else the single root organisation's name, else
/// the generic platform name. With several roots no one of them may speak
/// for the whole site, so the generic name is used.
pub fn site_name(config: &WebConfig, orgs: &[Organisation]) -> String {
    if let Some(name) = config.site_name.as_deref().map(str::trim)
        && !name.is_empty()
    {
        return name.to_string();
    }
    let mut roots = orgs.iter().filter(|o| o.parent_id.is_none());
    match (roots.next(), roots.next()) {
        (Some(root), None) => root.name.clone(),
        _ => GENERIC_SITE_NAME.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::testing::org;
    use askama::Template;
    use gongkai_core::org::{OrgKind, OrgLevel};

    /// The bare frame, to check what `base.html` shows around any page.
    #[derive(Template)]
    #[template(
        source = "{% extends \"base.html\" %}{% block content %}{% endblock %}",
        ext = "html"
    )]
    struct Frame {
        layout: Layout,
    }

    #[test]
    fn signed_in_staff_get_console_link_and_sign_out_form() {
        let layout = Layout {
            staff_name: Some("张<三>".into()),
            csrf: Some("tok123".into()),
            ..Layout::plain("首页")
        };
        let html = Frame { layout }.render().unwrap();
        assert!(html.contains("href=\"/console\">管理后台</a>"));
        assert!(html.contains("张&#60;三&#62;"));
        assert!(html.contains(
            "<form class=\"logout-form\" method=\"post\" action=\"/console/logout\">\
             <input type=\"hidden\" name=\"csrf\" value=\"tok123\">\
             <button type=\"submit\">退出登录</button></form>"
        ));
        assert!(!html.contains("工作人员登录"));

        let html = Frame {
            layout: Layout::plain("首页"),
        }
        .render()
        .unwrap();
        assert!(html.contains("href=\"/console/login\">工作人员登录</a>"));
        assert!(!html.contains("退出登录"));
        // The generic name is not repeated as its own subtitle.
        assert_eq!(
            html.matches("政府信息公开平台").count(),
            3,
            "title, header, footer"
        );
    }

    #[test]
    fn configured_name_wins_over_the_tree() {
        let config = WebConfig {
            site_name: Some("青岚市人民政府".into()),
            ..Default::default()
        };
        let orgs = [org(
            1,
            None,
            "别的名字",
            OrgKind::Government,
            OrgLevel::City,
        )];
        assert_eq!(site_name(&config, &orgs), "青岚市人民政府");
    }

    #[test]
    fn a_single_root_names_the_site_and_several_roots_do_not() {
        let config = WebConfig::default();
        let mut orgs = vec![
            org(
                1,
                None,
                "青岚市人民政府",
                OrgKind::Government,
                OrgLevel::City,
            ),
            org(
                2,
                Some(1),
                "青岚市教育局",
                OrgKind::Department,
                OrgLevel::City,
            ),
        ];
        assert_eq!(site_name(&config, &orgs), "青岚市人民政府");
        orgs.push(org(
            3,
            None,
            "枫溪县人民政府",
            OrgKind::Government,
            OrgLevel::County,
        ));
        assert_eq!(site_name(&config, &orgs), GENERIC_SITE_NAME);
        assert_eq!(site_name(&config, &[]), GENERIC_SITE_NAME);
    }
}
