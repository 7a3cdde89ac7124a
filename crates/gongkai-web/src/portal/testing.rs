//! Fixtures for the portal's unit tests.

use chrono::{TimeZone, Utc};
use gongkai_core::OrgId;
use gongkai_core::org::{OfficeContact, OrgKind, OrgLevel, Organisation};

pub(crate) fn org(
    id: OrgId,
    parent_id: Option<OrgId>,
    name: &str,
    kind: OrgKind,
    level: OrgLevel,
) -> Organisation {
    let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
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
        contact: OfficeContact::default(),
        created_at: t,
        updated_at: t,
    }
}
