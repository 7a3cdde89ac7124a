//! `gongkai serve`: migrate, optionally seed the demo, then run the web app
//! until Ctrl-C or SIGTERM.

use super::{open_store, reindex};
use crate::config::Config;
use crate::demo;
use anyhow::{Context, anyhow};
use gongkai_web::search_sync::{self, CatchUp};
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
    let search = reindex::open_for_serve(reindex::index_dir(config)).await?;
    let state = AppState::new(store, web)
        .with_files(std::sync::Arc::new(files), upload_limits)
        .with_search(search.index.clone());
    let background = start_background(state.clone(), search).await;
    let app = gongkai_web::app(state);
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
    for task in background {
        task.abort();
    }
    println!("gongkai 已停止");
    Ok(())
}

/// Search index upkeep and scheduled publication. Both run in the
/// background, so the server answers at once even while a missing, outdated
/// or damaged index is being rebuilt (searches meanwhile see what is
/// indexed so far).
async fn start_background(
    state: AppState,
    search: reindex::Opened,
) -> Vec<tokio::task::JoinHandle<()>> {
    let started = chrono::Utc::now();
    let mut reason = search.rebuild;
    if reason.is_none() && search.index.num_docs() == 0 {
        // E.g. `serve --demo` just imported the demo catalog.
        let probe = gongkai_core::item::query::CatalogQuery {
            limit: 1,
            ..Default::default()
        };
        match state.store.list_catalog(&probe).await {
            Ok(page) if !page.entries.is_empty() => {
                reason = Some("搜索索引为空，而目录中已有信息".into())
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "catalog not readable at start-up"),
        }
    }
    // Changes made while this node was down (other nodes, the CLI) are
    // caught up from the index's last commit; a rebuild covers everything
    // before its own start.
    let since = match (&reason, search.last_commit) {
        (None, Some(t)) => t,
        _ => started,
    };
    let sync_state = state.clone();
    let index = search.index;
    let indexer = tokio::spawn(async move {
        if let Some(why) = reason {
            tracing::info!(reason = %why, "rebuilding the search index in the background");
            match search_sync::rebuild(sync_state.store.as_ref(), &sync_state.files, &index).await {
                Ok(n) => tracing::info!(items = n, "search index rebuilt"),
                Err(e) => {
                    tracing::error!(error = %e, "search index rebuild failed; run `gongkai reindex`")
                }
            }
        }
        CatchUp::new(since)
            .run(sync_state, std::time::Duration::from_secs(30))
            .await;
    });
    let publisher = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            // The first tick is immediate: items that fell due while the
            // server was down go out at start-up.
            tick.tick().await;
            let n = search_sync::publish_due(&state, chrono::Utc::now()).await;
            if n > 0 {
                tracing::info!(items = n, "scheduled items published");
            }
        }
    });
    vec![indexer, publisher]
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
