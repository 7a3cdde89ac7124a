//! Authorisation: the one place that decides who may do what where.
//!
//! Handlers never test roles themselves; they ask a [`Principal`] whether an
//! [`Action`] is allowed on an organisation, or for the set of organisations
//! where it is allowed (to scope list queries).

use crate::org_tree::OrgTree;
use crate::user::{Grant, Role, User};
use crate::{OrgId, UserId};

/// Things a staff member can do, each checked against one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the organisation and its records in the console (read-only).
    View,
    /// Edit the organisation record itself (names, codes, contact data, active flag).
    ManageOrg,
    /// Create organisations below this one.
    CreateChildOrg,
    /// Edit the 公开指南 texts and 公开制度 documents of the organisation.
    EditGuide,
    /// Create, edit and deactivate accounts belonging to the organisation,
    /// and grant roles at it.
    ManageUsers,
    /// Read the audit log of the organisation.
    ViewAudit,
    /// Register, confirm and handle the organisation's disclosure requests
    /// (依申请公开), including the applicants' personal data.
    HandleRequests,
    /// Approve what the 条例 reserves to an approver for requests:
    /// extensions (第三十三条) and issuing replies.
    ApproveRequests,
    /// Draft and submit catalog items (主动公开) for review.
    DraftItems,
    /// Confidentiality review of catalog items (保密审查); never one's own.
    ReviewItems,
    /// Approve catalog items for publication (领导审批).
    ApproveItems,
    /// Upload published annual reports for checking and keep them as the
    /// organisation's historic reports (supervising offices).
    ImportReports,
    /// Import State Council holiday notices into the working-day calendar.
    /// The calendar is national and moves every agency's deadlines, so the
    /// console allows it only at a root organisation (see the calendar page).
    ManageCalendar,
}

impl Role {
    /// The permission table. Supervisors only read (and check annual
    /// reports). Administrators manage structure and accounts but do not
    /// handle content: requests and catalog items need the working role,
    /// which keeps applicants' personal data with the people handling the
    /// case (an administrator can grant the role to themselves; that grant
    /// is in the audit log).
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => matches!(
                action,
                View | ManageOrg
                    | CreateChildOrg
                    | EditGuide
                    | ManageUsers
                    | ViewAudit
                    | ImportReports
                    | ManageCalendar
            ),
            Role::Supervisor => matches!(action, View | ViewAudit | ImportReports),
            Role::Publisher => matches!(action, View | EditGuide | DraftItems),
            Role::Reviewer => matches!(action, View | ReviewItems),
            Role::Approver => matches!(action, View | ApproveItems | ApproveRequests),
            Role::CaseHandler => matches!(action, View | HandleRequests),
        }
    }
}

/// A signed-in staff member with their grants.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub home_org: OrgId,
    pub grants: Vec<Grant>,
}

impl Principal {
    pub fn new(user: &User, grants: Vec<Grant>) -> Self {
        Self {
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            home_org: user.org_id,
            grants,
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether `action` is allowed on organisation `org`.
    pub fn can(&self, action: Action, org: OrgId, tree: &OrgTree) -> bool {
        self.grants.iter().any(|g| {
            g.role.allows(action)
                && (g.org_id == org || (g.subtree && tree.is_within(g.org_id, org)))
        })
    }

    /// Every organisation where `action` is allowed, in tree order.
    pub fn scope(&self, action: Action, tree: &OrgTree) -> Vec<OrgId> {
        let mut out: Vec<OrgId> = Vec::new();
        for g in self.grants.iter().filter(|g| g.role.allows(action)) {
            let ids = if g.subtree {
                tree.subtree(g.org_id)
            } else if tree.contains(g.org_id) {
                vec![g.org_id]
            } else {
                vec![]
            };
            for id in ids {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }

    /// Whether this principal may hand out `grant`: only administrators, and
    /// only within what they administer, so no one can widen their own reach.
    pub fn can_assign(&self, grant: &Grant, tree: &OrgTree) -> bool {
        if !self.can(Action::ManageUsers, grant.org_id, tree) {
            return false;
        }
        if !grant.subtree {
            return true;
        }
        // A subtree grant needs a subtree admin grant covering its root.
        self.grants
            .iter()
            .any(|g| g.role == Role::Admin && g.subtree && tree.is_within(g.org_id, grant.org_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> OrgTree {
        // 1 city ─ 2 city dept; 1 ─ 3 county ─ 4 county dept; 3 ─ 5 township
        OrgTree::from_edges([
            (1, None),
            (2, Some(1)),
            (3, Some(1)),
            (4, Some(3)),
            (5, Some(3)),
        ])
    }

    fn principal(grants: Vec<Grant>) -> Principal {
        Principal {
            user_id: 1,
            username: "u".into(),
            display_name: "u".into(),
            home_org: grants.first().map(|g| g.org_id).unwrap_or(1),
            grants,
        }
    }

    #[test]
    fn publisher_acts_only_at_its_own_agency() {
        let p = principal(vec![Grant::new(Role::Publisher, 4, false)]);
        let t = tree();
        assert!(p.can(Action::EditGuide, 4, &t));
        assert!(!p.can(Action::EditGuide, 2, &t));
        assert!(!p.can(Action::ManageUsers, 4, &t));
        assert!(!p.can(Action::ManageOrg, 4, &t));
    }

    #[test]
    fn supervisor_reads_the_subtree_and_writes_nothing() {
        let p = principal(vec![Grant::new(Role::Supervisor, 3, false)]);
        let t = tree();
        for org in [3, 4, 5] {
            assert!(p.can(Action::View, org, &t));
            assert!(p.can(Action::ViewAudit, org, &t));
            assert!(!p.can(Action::EditGuide, org, &t));
            assert!(!p.can(Action::ManageOrg, org, &t));
        }
        assert!(!p.can(Action::View, 2, &t));
        let mut scope = p.scope(Action::View, &t);
        scope.sort();
        assert_eq!(scope, vec![3, 4, 5]);
    }

    #[test]
    fn content_work_needs_the_working_role_not_admin() {
        let t = tree();
        let admin = principal(vec![Grant::new(Role::Admin, 1, true)]);
        for a in [
            Action::HandleRequests,
            Action::ApproveRequests,
            Action::DraftItems,
            Action::ReviewItems,
            Action::ApproveItems,
        ] {
            assert!(!admin.can(a, 4, &t), "{a:?}");
        }
        let handler = principal(vec![Grant::new(Role::CaseHandler, 4, false)]);
        assert!(handler.can(Action::HandleRequests, 4, &t));
        assert!(!handler.can(Action::HandleRequests, 5, &t));
        assert!(!handler.can(Action::ApproveRequests, 4, &t));
        let approver = principal(vec![Grant::new(Role::Approver, 4, false)]);
        assert!(approver.can(Action::ApproveRequests, 4, &t));
        assert!(approver.can(Action::ApproveItems, 4, &t));
        assert!(!approver.can(Action::HandleRequests, 4, &t));
        let reviewer = principal(vec![Grant::new(Role::Reviewer, 4, false)]);
        assert!(reviewer.can(Action::ReviewItems, 4, &t));
        assert!(!reviewer.can(Action::DraftItems, 4, &t));
        let sup = principal(vec![Grant::new(Role::Supervisor, 3, true)]);
        assert!(sup.can(Action::ImportReports, 4, &t));
        assert!(!sup.can(Action::HandleRequests, 4, &t));
    }

    #[test]
    fn only_administrators_manage_the_calendar() {
        let t = tree();
        let admin = principal(vec![Grant::new(Role::Admin, 1, true)]);
        assert!(admin.can(Action::ManageCalendar, 1, &t));
        for role in [
            Role::Supervisor,
            Role::Publisher,
            Role::Reviewer,
            Role::Approver,
            Role::CaseHandler,
        ] {
            assert!(!role.allows(Action::ManageCalendar), "{role:?}");
            let p = principal(vec![Grant::new(role, 1, true)]);
            assert!(!p.can(Action::ManageCalendar, 1, &t), "{role:?}");
        }
    }

    #[test]
    fn county_admin_cannot_grant_above_its_county() {
        let p = principal(vec![Grant::new(Role::Admin, 3, true)]);
        let t = tree();
        assert!(p.can_assign(&Grant::new(Role::Publisher, 4, false), &t));
        assert!(p.can_assign(&Grant::new(Role::Admin, 3, true), &t));
        assert!(!p.can_assign(&Grant::new(Role::Admin, 1, true), &t));
        assert!(!p.can_assign(&Grant::new(Role::Publisher, 2, false), &t));
    }

    #[test]
    fn single_org_admin_cannot_hand_out_subtree_grants() {
        let p = principal(vec![Grant::new(Role::Admin, 3, false)]);
        let t = tree();
        assert!(p.can_assign(&Grant::new(Role::Publisher, 3, false), &t));
        assert!(!p.can_assign(&Grant::new(Role::Supervisor, 3, true), &t));
        assert!(!p.can(Action::ManageUsers, 4, &t));
    }
}
