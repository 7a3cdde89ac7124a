//! `gongkai serve`: migrate, optionally seed the demo, then run the web app
//! until Ctrl-C or SIGTERM.

use super::open_store;
use crate::config::Config;
use crate::demo;
use anyhow::{Context, anyhow};
use gongkai_web::{AppState, WebConfig};
use std::net::SocketAddr;

pub async fn run(config: &Config, seed_demo: bool) -> anyhow::Result<()> {
    let addr = config.listen_addr()?;
    let store = open_store(config).await?;
    tracing::info!(backend = ?store.backend(), "database ready, migrations applied");
    if seed_demo {
        if store.is_empty().await.context("检查数据库是否为空失败")? {
            println!("数据库为空，正在导入演示数据（青岚市）……");
            let summary = demo::seed(store.as_ref()).await?;
            println!("{summary}");
        } else {
            println!("数据库中已有数据，不重新导入演示数据。");
        }
    }
    // Notifications to applicants leave through the outbox; a mail server
    // that is down only delays them (see gongkai_core::notify).
    let sender = gongkai_mail::build_sender(&config.settings.mail, &config.data_dir)
        .map_err(|e| anyhow!("配置有误：{e}"))?;
    let every = std::time::Duration::from_secs(config.settings.mail.interval_secs.max(5));
    let mailer =
        gongkai_mail::Dispatcher::new(store.clone(), std::sync::Arc::from(sender)).spawn(every);
    let files = config.file_store()?;
    tracing::info!(files = files.description(), "file storage ready");
    let upload_limits = config.settings.storage.upload_limits();
    let demo_accounts = demo::working_accounts(store.as_ref()).await?;
    if !demo_accounts.is_empty() {
        print!("{}", demo::credentials_table(&demo_accounts));
    }
    let web = WebConfig {
        site_name: config.settings.site_name.clone(),
        secure_cookies: config.secure_cookies(),
        // The banner follows the data, not the flag: `--demo` on a real
        // database seeds nothing and must not label it as a demo.
        demo: !demo_accounts.is_empty(),
        trusted_origins: config.settings.trusted_origins.clone(),
        public_url: config.settings.public_url.clone(),
    };
    let app = gongkai_web::app(
        AppState::new(store, web).with_files(std::sync::Arc::new(files), upload_limits),
    );
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        anyhow!("无法监听 {addr}：{e}（端口可能已被占用，可用 --listen 指定其他地址）")
    })?;
    let shutdown = install_shutdown_signal()?;
    let local = listener.local_addr().unwrap_or(addr);
    let url = match &config.settings.public_url {
        Some(u) => u.clone(),
        None => format!("http://{local}/"),
    };
    println!(
        "gongkai 已启动：{url}（管理后台：{}console）",
        with_slash(&url)
    );
    tracing::info!(%local, "listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("服务器异常退出")?;
    mailer.abort();
    println!("gongkai 已停止");
    Ok(())
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// Registers the Ctrl-C and SIGTERM handlers now and returns a future that
/// resolves on either. Registering before the start-up line is printed
/// means a signal sent right after start-up still shuts down gracefully
/// instead of killing the process.
#[cfg(unix)]
fn install_shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).context("无法监听 SIGTERM 信号")?;
    let mut int = signal(SignalKind::interrupt()).context("无法监听 Ctrl-C 信号")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
        tracing::info!("shutdown requested, finishing open requests");
    })
}

#[cfg(not(unix))]
fn install_shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutdown requested, finishing open requests");
    })
}
