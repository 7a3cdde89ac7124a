//! The `gongkai` binary: parses the command line and hands over to the
//! command modules. See `gongkai --help`.

mod cli;
mod cmd;
mod config;
mod demo;
mod items_import;
mod org_import;

use clap::Parser;
use cli::{AuditCommand, Cli, Command};
use config::{Config, FlagOverrides};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server logs its progress; one-shot commands only warnings.
    init_tracing(if matches!(cli.command, Command::Serve(_)) {
        "info"
    } else {
        "warn"
    });
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command; `Ok(false)` means "completed, but report failure"
/// (e.g. a broken audit chain).
async fn run(cli: Cli) -> anyhow::Result<bool> {
    // `calendar due` works without a database; the module decides when to open one.
    if let Command::Calendar(c) = &cli.command {
        cmd::calendar::run(c, &cli.global).await?;
        return Ok(true);
    }
    if let Command::Reports(c) = &cli.command {
        return cmd::reports::run(c, &cli.global).await;
    }
    let listen = match &cli.command {
        Command::Serve(args) => args.listen.clone(),
        _ => None,
    };
    let config = Config::load(
        &cli.global,
        FlagOverrides {
            listen,
            ..Default::default()
        },
    )?;
    match cli.command {
        Command::Serve(args) => cmd::serve::run(&config, args.demo).await?,
        Command::Migrate => cmd::migrate(&config).await?,
        Command::User(c) => cmd::user::run(&config, c).await?,
        Command::Org(c) => cmd::org::run(&config, c).await?,
        Command::Audit(AuditCommand::Verify) => return cmd::audit::verify(&config).await,
        Command::Demo => cmd::demo::run(&config).await?,
        Command::CheckConfig => print!("{}", config.describe()),
        Command::Mail(c) => cmd::mail::run(&config, &c).await?,
        Command::Items(c) => cmd::items::run(&config, c).await?,
        Command::Reindex => cmd::reindex::run(&config).await?,
        Command::Calendar(_) | Command::Reports(_) => unreachable!("handled above"),
    }
    Ok(true)
}

/// Logs go to stderr; RUST_LOG overrides the default level.
/// Only technical events are logged, never names or other personal data.
fn init_tracing(default_level: &str) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
