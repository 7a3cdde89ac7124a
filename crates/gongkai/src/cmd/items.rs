//! `gongkai items import`: bulk import of an earlier site's catalog.

use super::{open_store, resolve_org};
use crate::config::Config;
use crate::items_import::{self, Context as ImportContext, Format};
use anyhow::{Context, anyhow};
use clap::Subcommand;
use gongkai_core::audit::Actor;
use gongkai_files::FileStore;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ItemsCommand {
    /// Import published items (主动公开信息) from an earlier site, all or nothing.
    ///
    /// FILE is CSV (UTF-8, with or without BOM, header row) or JSON Lines
    /// (.jsonl, one object per line). Keys (Chinese header aliases such as
    /// 索引号, 标题 are accepted too):
    ///
    ///   org, index_no, title, summary, body, issuers, doc_number,
    ///   written_on, published_on, formed_on, topic, column, genre,
    ///   keywords, disclosure, doc_kind, validity, repealed_on, repealed_by,
    ///   attachments
    ///
    /// repealed_by (废止依据索引号) links a 废止 item to the item that
    /// repealed it, by 索引号: another row of FILE or an item already in
    /// the system.
    ///
    /// Rows whose 索引号 already exists are skipped (已存在，跳过), so the
    /// same file can be run again. Every other row is validated first; if
    /// any is invalid, every problem is listed as FILE:LINE: column: message
    /// and nothing is stored. Attachments are paths relative to FILE's
    /// directory, separated by | or ;. See docs/catalog.md "Bulk import".
    #[command(verbatim_doc_comment)]
    Import {
        /// The .csv or .jsonl file.
        file: PathBuf,
        /// Agency (code or numeric id) of rows without an `org` value.
        #[arg(long, value_name = "ORG")]
        org: Option<String>,
        /// Validate and report without storing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run(config: &Config, cmd: ItemsCommand) -> anyhow::Result<()> {
    match cmd {
        ItemsCommand::Import { file, org, dry_run } => {
            import(config, &file, org.as_deref(), dry_run).await
        }
    }
}

async fn import(
    config: &Config,
    file: &Path,
    org: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let shown = file.display().to_string();
    let format = Format::of(file)
        .ok_or_else(|| anyhow!("无法识别 {shown} 的格式：文件扩展名应为 .csv 或 .jsonl"))?;
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {shown}"))?;
    let rows = items_import::read_rows(format, &bytes).map_err(|issues| report(&shown, &issues))?;
    if rows.is_empty() {
        return Err(anyhow!("{shown} 中没有数据行，未导入任何信息"));
    }

    let store = open_store(config).await?;
    let default_org = match org {
        Some(arg) => Some(resolve_org(store.as_ref(), arg).await?),
        None => None,
    };
    let orgs = store.list_orgs().await.context("读取机构列表失败")?;
    let mut columns = HashMap::new();
    for o in &orgs {
        let list = store
            .list_item_columns(o.id)
            .await
            .context("读取公开目录栏目失败")?;
        columns.insert(o.id, list);
    }
    // The rows' own numbers (to skip) and their 废止依据 (to resolve).
    let named: HashSet<String> = rows
        .iter()
        .flat_map(|r| [r.index_no(), r.repealed_by()])
        .flatten()
        .map(|n| n.as_str().to_string())
        .collect();
    let mut existing = HashSet::new();
    for n in named {
        if store
            .find_item_by_index_no(&n)
            .await
            .context("查询索引号失败")?
            .is_some()
        {
            existing.insert(n);
        }
    }
    let limits = config.settings.storage.upload_limits();
    let base_dir = file.parent().unwrap_or(Path::new("."));
    let ctx = ImportContext {
        orgs: &orgs,
        columns: &columns,
        default_org: default_org.as_ref(),
        existing: &existing,
        base_dir,
        limits: &limits,
    };
    let plan = items_import::plan(&rows, &ctx).map_err(|issues| report(&shown, &issues))?;
    for (line, index_no) in &plan.skipped {
        println!("{shown}:{line}: index_no: 索引号 {index_no} 已存在，跳过");
    }
    if dry_run {
        println!(
            "试运行：{shown} 校验通过，可导入 {} 条，跳过 {} 条；未保存任何内容",
            plan.items.len(),
            plan.skipped.len()
        );
        return Ok(());
    }
    if !plan.items.is_empty() {
        // Bytes first: the store is content-addressed, so a failed database
        // transaction below leaves only unreferenced blobs, never rows that
        // point at missing files.
        let files = config.file_store()?;
        for bytes in plan.files {
            files
                .put(bytes.into())
                .await
                .map_err(|e| anyhow!("保存附件失败，未导入任何信息：{e}"))?;
        }
        store
            .import_items(&Actor::cli(), &plan.items)
            .await
            .map_err(|e| match e {
                gongkai_core::StoreError::Conflict { field } => {
                    anyhow!("导入失败，未导入任何信息：{field} 与已有信息重复")
                }
                other => anyhow!("导入失败，未导入任何信息：{other}"),
            })?;
    }
    println!(
        "已从 {shown} 导入 {} 条信息，跳过 {} 条已存在的信息",
        plan.items.len(),
        plan.skipped.len()
    );
    Ok(())
}

/// Prints every problem on stderr and returns the closing error.
fn report(shown: &str, issues: &[crate::org_import::Issue]) -> anyhow::Error {
    for issue in issues {
        eprintln!("{}", issue.render(shown));
    }
    anyhow!(
        "{shown} 中有 {} 处错误，未导入任何信息；请修改后重新导入",
        issues.len()
    )
}
