//! What every page's frame needs: site name, page title, banner, signed-in user.

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
            site_name: "政府信息公开平台".into(),
            title: title.into(),
            area: "portal",
            ..Default::default()
        }
    }
}
