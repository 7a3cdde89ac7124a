//! The agency hierarchy as an in-memory index, for scope checks.
//!
//! Trees are small (a province has a few thousand agencies), so the whole
//! parent map is loaded and scope questions are answered without SQL.

use crate::OrgId;
use crate::org::Organisation;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    parent: HashMap<OrgId, Option<OrgId>>,
    children: HashMap<OrgId, Vec<OrgId>>,
}

impl OrgTree {
    pub fn from_orgs<'a>(orgs: impl IntoIterator<Item = &'a Organisation>) -> Self {
        Self::from_edges(orgs.into_iter().map(|o| (o.id, o.parent_id)))
    }

    pub fn from_edges(edges: impl IntoIterator<Item = (OrgId, Option<OrgId>)>) -> Self {
        let mut t = Self::default();
        for (id, parent) in edges {
            t.parent.insert(id, parent);
            if let Some(p) = parent {
                t.children.entry(p).or_default().push(id);
            }
        }
        t
    }

    pub fn contains(&self, id: OrgId) -> bool {
        self.parent.contains_key(&id)
    }

    pub fn parent_of(&self, id: OrgId) -> Option<OrgId> {
        self.parent.get(&id).copied().flatten()
    }

    /// True when `node` is `root` or lies below it.
    pub fn is_within(&self, root: OrgId, node: OrgId) -> bool {
        let mut cur = Some(node);
        // The bound guards against a cycle in corrupted data.
        for _ in 0..=self.parent.len() {
            match cur {
                Some(id) if id == root => return true,
                Some(id) => cur = self.parent_of(id),
                None => return false,
            }
        }
        false
    }

    /// `root` and everything below it, parents before children.
    pub fn subtree(&self, root: OrgId) -> Vec<OrgId> {
        if !self.contains(root) {
            return Vec::new();
        }
        let mut out = vec![root];
        let mut seen = std::collections::HashSet::from([root]);
        let mut i = 0;
        while i < out.len() {
            if let Some(kids) = self.children.get(&out[i]) {
                for &k in kids {
                    if seen.insert(k) {
                        out.push(k);
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// The chain from the top of the tree down to `id` (inclusive).
    pub fn ancestry(&self, id: OrgId) -> Vec<OrgId> {
        let mut chain = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            if chain.contains(&c) || !self.contains(c) {
                break;
            }
            chain.push(c);
            cur = self.parent_of(c);
        }
        chain.reverse();
        chain
    }

    /// Whether making `new_parent` the parent of `id` would create a cycle.
    pub fn would_cycle(&self, id: OrgId, new_parent: OrgId) -> bool {
        self.is_within(id, new_parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> OrgTree {
        // 1 city ─ 2 dept
        //        └ 3 county ─ 4 township
        OrgTree::from_edges([
            (1, None),
            (2, Some(1)),
            (3, Some(1)),
            (4, Some(3)),
            (9, None),
        ])
    }

    #[test]
    fn subtree_membership() {
        let t = tree();
        assert!(t.is_within(1, 4));
        assert!(t.is_within(3, 3));
        assert!(!t.is_within(3, 2));
        assert!(!t.is_within(1, 9));
        let mut s = t.subtree(3);
        s.sort();
        assert_eq!(s, vec![3, 4]);
        assert_eq!(t.subtree(1).len(), 4);
    }

    #[test]
    fn ancestry_runs_top_down() {
        assert_eq!(tree().ancestry(4), vec![1, 3, 4]);
    }

    #[test]
    fn moving_an_org_below_its_own_descendant_is_a_cycle() {
        let t = tree();
        assert!(t.would_cycle(3, 4));
        assert!(t.would_cycle(3, 3));
        assert!(!t.would_cycle(2, 3));
    }
}
