//! `gongkai org import|list`.

use super::open_store;
use crate::cli::OrgCommand;
use crate::config::Config;
use crate::org_import;
use anyhow::{Context, anyhow};
use gongkai_core::audit::Actor;
use gongkai_core::org::Organisation;
use std::collections::HashMap;
use std::path::Path;

pub async fn run(config: &Config, cmd: OrgCommand) -> anyhow::Result<()> {
    match cmd {
        OrgCommand::Import { file } => import(config, &file).await,
        OrgCommand::List => {
            let store = open_store(config).await?;
            let orgs = store.list_orgs().await.context("读取机构列表失败")?;
            for o in tree_order(&orgs) {
                let code = o.code.as_ref().map_or("-", |c| c.as_str());
                println!("{code}\t{}", o.name);
            }
            Ok(())
        }
    }
}

async fn import(config: &Config, file: &Path) -> anyhow::Result<()> {
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {shown}"))?;
    let store = open_store(config).await?;
    let existing = store.list_orgs().await.context("读取机构列表失败")?;
    let batch = match org_import::plan(&bytes, &existing) {
        Ok(b) => b,
        Err(issues) => {
            for issue in &issues {
                eprintln!("{}", issue.render(&shown));
            }
            return Err(anyhow!(
                "{shown} 中有 {} 处错误，未导入任何机构；请修改后重新导入",
                issues.len()
            ));
        }
    };
    if batch.is_empty() {
        return Err(anyhow!("{shown} 中除表头外没有数据行，未导入任何机构"));
    }
    // One call, one transaction: either every row is stored or none.
    let created = store
        .create_orgs(&Actor::cli(), &batch)
        .await
        .map_err(|e| match e {
            gongkai_core::StoreError::Conflict { field } => {
                anyhow!("导入失败，未导入任何机构：{field} 与已有机构重复")
            }
            other => anyhow!("导入失败，未导入任何机构：{other}"),
        })?;
    println!("已从 {shown} 导入 {} 个机构", created.len());
    Ok(())
}

/// Depth-first order: each organisation followed by its subtree; siblings
/// keep the store's order (sort_order, then id). Orphans (parent missing
/// from the list) are treated as roots so nothing is hidden.
pub fn tree_order(orgs: &[Organisation]) -> Vec<&Organisation> {
    let ids: std::collections::HashSet<i64> = orgs.iter().map(|o| o.id).collect();
    let mut children: HashMap<Option<i64>, Vec<&Organisation>> = HashMap::new();
    for o in orgs {
        let parent = o.parent_id.filter(|p| ids.contains(p) && *p != o.id);
        children.entry(parent).or_default().push(o);
    }
    let mut out = Vec::with_capacity(orgs.len());
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<&Organisation> = children.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    while let Some(o) = stack.pop() {
        if !seen.insert(o.id) {
            continue;
        }
        out.push(o);
        if let Some(kids) = children.get(&Some(o.id)) {
            stack.extend(kids.iter().rev());
        }
    }
    // Anything in a parent cycle (corrupt data) is still listed, at the end.
    out.extend(orgs.iter().filter(|o| !seen.contains(&o.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::org::{OfficeContact, OrgKind, OrgLevel};

    fn org(id: i64, parent: Option<i64>, level: OrgLevel) -> Organisation {
        Organisation {
            id,
            parent_id: parent,
            name: format!("机构{id}"),
            short_name: None,
            code: None,
            kind: OrgKind::Department,
            level,
            sort_order: 0,
            active: true,
            successor_id: None,
            contact: OfficeContact::default(),
            created_at: Default::default(),
            updated_at: Default::default(),
        }
    }

    #[test]
    fn children_follow_their_parent() {
        // Store order: by level, so the township (4) comes after all cities.
        let orgs = vec![
            org(1, None, OrgLevel::City),
            org(2, Some(1), OrgLevel::City),
            org(3, Some(1), OrgLevel::County),
            org(5, Some(3), OrgLevel::County),
            org(4, Some(3), OrgLevel::Township),
        ];
        let ids: Vec<i64> = tree_order(&orgs).iter().map(|o| o.id).collect();
        assert_eq!(ids, vec![1, 2, 3, 5, 4]);
    }
}
