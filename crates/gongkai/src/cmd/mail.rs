//! `gongkai mail …`: the notification outbox (通知邮件).

use super::open_store;
use crate::config::Config;
use anyhow::{Context, anyhow, bail};
use chrono::Utc;
use clap::Subcommand;
use gongkai_core::Store;
use gongkai_core::audit::Actor;
use gongkai_core::notify::{MailKind, MailStatus, OutboundMail, masked_recipient};
use gongkai_mail::{Dispatcher, build_sender};
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// List queued notifications, newest first (recipients shown masked).
    List {
        /// Only messages in this state: pending (待发送), sent (已发送), failed (发送失败).
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Send the due messages now (one dispatcher pass), as `gongkai serve`
    /// does every [mail] interval_secs.
    Send,
    /// Queue a test message to ADDRESS and send it now, to check the
    /// [mail] settings.
    Test {
        #[arg(long, value_name = "ADDRESS")]
        to: String,
    },
    /// Put a failed message back in the queue (recorded in the audit log).
    Retry {
        #[arg(value_name = "ID")]
        id: i64,
    },
}

pub async fn run(config: &Config, cmd: &MailCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        MailCommand::List { status, limit } => {
            list(store.as_ref(), status.as_deref(), *limit).await
        }
        MailCommand::Send => send(config, store).await,
        MailCommand::Test { to } => {
            let mail = OutboundMail {
                kind: MailKind::Test,
                org_id: None,
                case_id: None,
                to: to.trim().to_string(),
                subject: "gongkai 测试邮件".into(),
                body: "这是一封测试邮件：政府信息公开平台的邮件设置可以正常使用。".into(),
            };
            mail.validate().map_err(|e| anyhow!("{e}：{to}"))?;
            let id = store.enqueue_mail(&mail).await?;
            println!("测试邮件已加入发送队列（编号 {id}）");
            send(config, store).await
        }
        MailCommand::Retry { id } => {
            store
                .retry_mail(&Actor::cli(), *id, Utc::now())
                .await
                .with_context(|| format!("无法重新发送邮件 {id}"))?;
            println!("邮件 {id} 已重新加入发送队列");
            Ok(())
        }
    }
}

async fn send(config: &Config, store: Arc<dyn Store>) -> anyhow::Result<()> {
    let sender = build_sender(&config.settings.mail, &config.data_dir).map_err(|e| anyhow!(e))?;
    let to = sender.describe();
    let d = Dispatcher::new(store, Arc::from(sender));
    let r = d.run_once(Utc::now()).await?;
    println!(
        "发送到 {to}：成功 {} 封，稍后重试 {} 封，放弃 {} 封",
        r.sent, r.retrying, r.given_up
    );
    Ok(())
}

async fn list(store: &dyn Store, status: Option<&str>, limit: i64) -> anyhow::Result<()> {
    let status = match status {
        None => None,
        Some(s) => Some(
            MailStatus::parse(s)
                .ok_or_else(|| anyhow!("未知的状态 {s:?}：应为 pending、sent 或 failed"))?,
        ),
    };
    if limit < 1 {
        bail!("--limit 应为正整数");
    }
    let mails = store.list_mail(None, status, limit).await?;
    if mails.is_empty() {
        println!("（没有邮件）");
        return Ok(());
    }
    println!("编号\t类型\t状态\t尝试\t收件人\t创建时间\t最近错误");
    for m in mails {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            m.id,
            m.mail.kind.label(),
            m.status.label(),
            m.attempts,
            masked_recipient(&m.mail.to),
            m.created_at.format("%Y-%m-%d %H:%M"),
            m.last_error.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
