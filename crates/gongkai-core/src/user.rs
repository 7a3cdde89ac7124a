//! Staff accounts and their role grants.

use crate::text::{self, FieldErrors};
use crate::{OrgId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Staff roles. A user may hold several, each scoped to an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: manages organisations, users and roles within its scope.
    Admin,
    /// 信息发布员: drafts and maintains published content.
    Publisher,
    /// 保密审查员: confidentiality review before publication.
    Reviewer,
    /// 审核领导: approves publication, extensions and replies.
    Approver,
    /// 依申请办理员: handles disclosure requests.
    CaseHandler,
    /// 主管部门监督员: read-only oversight of a subtree.
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Self::Admin,
        Self::Publisher,
        Self::Reviewer,
        Self::Approver,
        Self::CaseHandler,
        Self::Supervisor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Publisher => "publisher",
            Self::Reviewer => "reviewer",
            Self::Approver => "approver",
            Self::CaseHandler => "case_handler",
            Self::Supervisor => "supervisor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "系统管理员",
            Self::Publisher => "信息发布员",
            Self::Reviewer => "保密审查员",
            Self::Approver => "审核领导",
            Self::CaseHandler => "依申请办理员",
            Self::Supervisor => "主管部门监督员",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s || r.label() == s)
    }

    /// Whether a grant of this role covers the organisation's subtree.
    /// Supervision is by definition over the subtree; administration may
    /// be either; the working roles act for one agency unless granted wider.
    pub fn subtree_rule(self) -> SubtreeRule {
        match self {
            Self::Supervisor => SubtreeRule::Always,
            Self::Admin => SubtreeRule::Optional { default: true },
            _ => SubtreeRule::Optional { default: false },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubtreeRule {
    Always,
    Optional { default: bool },
}

/// One role held by one user at one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub org_id: OrgId,
    /// Also covers every organisation below `org_id`.
    pub subtree: bool,
}

impl Grant {
    /// A grant with the subtree flag forced where the role requires it.
    pub fn new(role: Role, org_id: OrgId, subtree: bool) -> Self {
        let subtree = match role.subtree_rule() {
            SubtreeRule::Always => true,
            SubtreeRule::Optional { .. } => subtree,
        };
        Self {
            role,
            org_id,
            subtree,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    /// Login name: lower-case ASCII, unique.
    pub username: String,
    /// 姓名 as shown in the console and in review records.
    pub display_name: String,
    /// The agency the person works for; decides who may administer the account.
    pub org_id: OrgId,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A user with the password hash, only for authentication.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: String,
}

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const DISPLAY_NAME_MAX: usize = 50;

/// Normalises and validates a login name: 3–32 of `a-z 0-9 . _ -`,
/// starting with a letter or digit. Upper case is folded.
pub fn parse_username(input: &str) -> Result<String, String> {
    let s = input.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err("请填写用户名".into());
    }
    let n = s.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&n) {
        return Err(format!(
            "用户名长度应为{USERNAME_MIN}至{USERNAME_MAX}个字符"
        ));
    }
    let valid_chars = s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    let starts_ok = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid_chars || !starts_ok {
        return Err("用户名只能使用英文字母、数字和“.”“_”“-”，并以字母或数字开头".into());
    }
    Ok(s)
}

/// Input for creating a user (console form or CLI).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewUserForm {
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub password: String,
    pub password_confirm: String,
}

/// A validated new user; the password is already hashed by the caller.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub org_id: OrgId,
    pub password_hash: String,
}

/// Validated fields of a new-user form, before hashing.
#[derive(Debug, Clone)]
pub struct ValidNewUser {
    pub username: String,
    pub display_name: String,
    pub org_id: OrgId,
    pub password: String,
}

impl NewUserForm {
    pub fn validate(&self) -> Result<ValidNewUser, FieldErrors> {
        let mut e = FieldErrors::new();
        let username = parse_username(&self.username).unwrap_or_else(|m| {
            e.add("username", m);
            String::new()
        });
        let display_name = text::required(
            &mut e,
            "display_name",
            "姓名",
            &self.display_name,
            DISPLAY_NAME_MAX,
        );
        let org_id = self.org_id.trim().parse::<OrgId>().unwrap_or_else(|_| {
            e.add("org_id", "请选择所属机构");
            0
        });
        if let Err(m) = crate::password::check_policy(&self.password) {
            e.add("password", m);
        } else if self.password != self.password_confirm {
            e.add("password_confirm", "两次输入的密码不一致");
        }
        e.into_result(ValidNewUser {
            username,
            display_name,
            org_id,
            password: self.password.clone(),
        })
    }
}

/// Editable profile fields of an existing user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPatch {
    pub display_name: String,
    pub org_id: OrgId,
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_and_checked() {
        assert_eq!(parse_username(" Zhang.San ").unwrap(), "zhang.san");
        assert!(parse_username("ab").is_err());
        assert!(parse_username("张三").is_err());
        assert!(parse_username("-lead").is_err());
        assert!(parse_username(&"a".repeat(33)).is_err());
    }

    #[test]
    fn supervisor_grants_always_cover_the_subtree() {
        assert!(Grant::new(Role::Supervisor, 1, false).subtree);
        assert!(!Grant::new(Role::Publisher, 1, false).subtree);
        assert!(Grant::new(Role::Admin, 1, true).subtree);
    }

    #[test]
    fn new_user_form_reports_each_field() {
        let f = NewUserForm {
            username: "x".into(),
            display_name: "".into(),
            org_id: "".into(),
            password: "abc".into(),
            password_confirm: "abc".into(),
        };
        let e = f.validate().unwrap_err();
        for field in ["username", "display_name", "org_id", "password"] {
            assert!(e.get(field).is_some(), "{field}");
        }
        let f = NewUserForm {
            username: "li.si".into(),
            display_name: "李四".into(),
            org_id: "3".into(),
            password: "gongkai-demo-2026".into(),
            password_confirm: "gongkai-demo-2027".into(),
        };
        assert_eq!(
            f.validate().unwrap_err().get("password_confirm"),
            Some("两次输入的密码不一致")
        );
    }
}
