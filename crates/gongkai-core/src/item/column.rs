//! An agency's 公开目录栏目 tree, as stored. It starts as a copy of the
//! defaults ([`super::taxonomy::default_columns`]) and is then the
//! agency's own: columns are renamed, reordered, added or deactivated
//! (never deleted, because published items point at them).

use super::ColumnId;
use crate::OrgId;
use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

pub const COLUMN_NAME_MAX: usize = 50;
pub const COLUMN_BASIS_MAX: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub id: ColumnId,
    pub org_id: OrgId,
    pub parent_id: Option<ColumnId>,
    /// The default column this one was seeded from; `None` for the agency's own.
    pub key: Option<String>,
    pub name: String,
    /// 公开依据, e.g. 第二十条（七）财政预算、决算信息.
    pub basis: Option<String>,
    pub sort_order: i32,
    /// Inactive columns take no new items but keep their published ones.
    pub active: bool,
}

/// A validated column, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnDraft {
    pub parent_id: Option<ColumnId>,
    pub name: String,
    pub basis: Option<String>,
    pub sort_order: i32,
    pub active: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ColumnForm {
    pub parent_id: String,
    pub name: String,
    pub basis: String,
    pub sort_order: String,
    pub active: bool,
}

impl ColumnForm {
    pub fn validate(&self) -> Result<ColumnDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = text::required(&mut e, "name", "栏目名称", &self.name, COLUMN_NAME_MAX);
        let basis = text::optional(&mut e, "basis", "公开依据", &self.basis, COLUMN_BASIS_MAX);
        let parent_id = match self.parent_id.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    e.add("parent_id", "上级栏目无效");
                    None
                }
            },
        };
        let sort_order = match self.sort_order.trim() {
            "" => 0,
            s => s.parse::<i32>().unwrap_or_else(|_| {
                e.add("sort_order", "排序号应为整数");
                0
            }),
        };
        e.into_result(ColumnDraft {
            parent_id,
            name,
            basis,
            sort_order,
            active: self.active,
        })
    }
}

/// `root` and every column below it (for "this column and its
/// sub-columns" filters), parents first. Unknown ids give an empty list.
pub fn subtree(columns: &[Column], root: ColumnId) -> Vec<ColumnId> {
    if !columns.iter().any(|c| c.id == root) {
        return Vec::new();
    }
    let mut children: HashMap<ColumnId, Vec<ColumnId>> = HashMap::new();
    for c in columns {
        if let Some(p) = c.parent_id {
            children.entry(p).or_default().push(c.id);
        }
    }
    let mut out = vec![root];
    let mut seen = HashSet::from([root]);
    let mut i = 0;
    while i < out.len() {
        for &child in children.get(&out[i]).map(Vec::as_slice).unwrap_or(&[]) {
            if seen.insert(child) {
                out.push(child);
            }
        }
        i += 1;
    }
    out
}

/// True when making `new_parent` the parent of `id` would close a loop.
pub fn would_cycle(columns: &[Column], id: ColumnId, new_parent: ColumnId) -> bool {
    subtree(columns, id).contains(&new_parent)
}

/// "法定主动公开内容 › 财政信息 › 财政预决算" for a breadcrumb or select box.
pub fn path_label(columns: &[Column], id: ColumnId) -> String {
    let mut names = Vec::new();
    let mut cur = Some(id);
    // The bound guards against a loop in corrupted data.
    for _ in 0..=columns.len() {
        let Some(c) = cur.and_then(|i| columns.iter().find(|c| c.id == i)) else {
            break;
        };
        names.push(c.name.as_str());
        cur = c.parent_id;
    }
    names.reverse();
    names.join(" › ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(id: i64, parent: Option<i64>, name: &str) -> Column {
        Column {
            id,
            org_id: 1,
            parent_id: parent,
            key: None,
            name: name.into(),
            basis: None,
            sort_order: 0,
            active: true,
        }
    }

    fn tree() -> Vec<Column> {
        vec![
            col(1, None, "法定主动公开内容"),
            col(2, Some(1), "财政信息"),
            col(3, Some(2), "财政预决算"),
            col(4, Some(1), "人事信息"),
        ]
    }

    #[test]
    fn subtrees_paths_and_cycles() {
        let t = tree();
        assert_eq!(subtree(&t, 2), vec![2, 3]);
        assert_eq!(subtree(&t, 1), vec![1, 2, 4, 3]);
        assert!(subtree(&t, 99).is_empty());
        assert_eq!(
            path_label(&t, 3),
            "法定主动公开内容 › 财政信息 › 财政预决算"
        );
        assert!(would_cycle(&t, 2, 3));
        assert!(!would_cycle(&t, 3, 4));
    }

    #[test]
    fn the_form_validates() {
        let f = ColumnForm {
            parent_id: "2".into(),
            name: " 部门预决算 ".into(),
            sort_order: "x".into(),
            active: true,
            ..Default::default()
        };
        assert_eq!(
            f.validate().unwrap_err().get("sort_order"),
            Some("排序号应为整数")
        );
        let f = ColumnForm {
            sort_order: "3".into(),
            ..f
        };
        let d = f.validate().unwrap();
        assert_eq!(d.name, "部门预决算");
        assert_eq!(d.parent_id, Some(2));
        assert!(
            ColumnForm::default()
                .validate()
                .unwrap_err()
                .get("name")
                .is_some()
        );
    }
}
