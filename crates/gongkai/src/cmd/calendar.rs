//! `gongkai calendar …`: working-day deadlines from the effective calendar
//! (the shipped notices plus the years an administrator imported), and the
//! import and listing of those years.

use super::open_store;
use crate::cli::{CalendarCommand, GlobalOpts};
use crate::config::{Config, FlagOverrides};
use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use gongkai_core::audit::Actor;
use gongkai_core::calendar::{WorkdayCalendar, YearNotice};
use gongkai_core::clock::{Suspension, compute_due};
use std::path::Path;

pub async fn run(cmd: &CalendarCommand, global: &GlobalOpts) -> anyhow::Result<()> {
    match cmd {
        CalendarCommand::Import { file } => import(global, file).await,
        CalendarCommand::List => list(global).await,
        CalendarCommand::Due {
            received,
            working_days,
            suspend,
            calendar,
        } => {
            let stored = stored_years_if_database_exists(global).await?;
            let cal = load_calendar(&stored, calendar.as_deref())?;
            let start = parse_date(received, "--received")?;
            let suspensions = suspend
                .iter()
                .map(|s| parse_suspension(s))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let deadline = compute_due(&cal, start, *working_days, &suspensions)?;
            println!("{}", deadline.due);
            print!("{}", deadline.explain());
            Ok(())
        }
    }
}

/// `gongkai calendar import FILE`: every year of the file, or none.
async fn import(global: &GlobalOpts, path: &Path) -> anyhow::Result<()> {
    let years = read_calendar_file(path)?;
    if years.is_empty() {
        return Err(anyhow!(
            "{}: 文件中没有任何年度的节假日安排（应有 [y年份] 表，例如 [y2027]）",
            path.display()
        ));
    }
    let config = Config::load(global, FlagOverrides::default())?;
    let store = open_store(&config).await?;
    let before: Vec<i32> = store
        .list_calendar_years()
        .await?
        .iter()
        .map(|y| y.year)
        .collect();
    store
        .put_calendar_years(&Actor::cli(), &years)
        .await
        .map_err(|e| {
            let why = match e {
                gongkai_core::StoreError::Invalid(m) => m,
                other => other.to_string(),
            };
            anyhow!("{}: 导入失败，未保存任何年度：{why}", path.display())
        })?;
    for y in &years {
        let verb = if before.contains(&y.year) {
            "已替换"
        } else {
            "已导入"
        };
        println!(
            "{verb} {} 年工作日历：放假 {} 天，调休上班 {} 天（{}）",
            y.year,
            y.off.len(),
            y.work.len(),
            y.notice
        );
    }
    Ok(())
}

/// `gongkai calendar list`: every year of the effective calendar.
async fn list(global: &GlobalOpts) -> anyhow::Result<()> {
    let config = Config::load(global, FlagOverrides::default())?;
    let store = open_store(&config).await?;
    let stored = store.list_calendar_years().await?;
    let cal = effective(&stored)?;
    for (y, source) in cal.year_sources(&stored) {
        println!(
            "{}\t{}\t放假 {} 天\t调休上班 {} 天\t{}",
            y.year,
            source.label(),
            y.off.len(),
            y.work.len(),
            y.notice
        );
    }
    Ok(())
}

fn effective(stored: &[YearNotice]) -> anyhow::Result<WorkdayCalendar> {
    WorkdayCalendar::effective(stored).map_err(|e| anyhow!("数据库中导入的工作日历有误：{e}"))
}

/// The years stored in the database, when there is one: the database named
/// by --db / GONGKAI_DB / the config file, or else `gongkai.db` in the data
/// directory if that file exists. Without one, `calendar due` keeps working
/// from the shipped calendar alone (and creates nothing).
async fn stored_years_if_database_exists(global: &GlobalOpts) -> anyhow::Result<Vec<YearNotice>> {
    let config = Config::load(global, FlagOverrides::default())?;
    if config.settings.db.is_none() && !config.data_dir.join("gongkai.db").is_file() {
        return Ok(Vec::new());
    }
    let store = open_store(&config).await?;
    Ok(store.list_calendar_years().await?)
}

/// The years of a calendar file; errors name the file (and the line where
/// the TOML parser or the date check gives one).
fn read_calendar_file(path: &Path) -> anyhow::Result<Vec<YearNotice>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("无法读取工作日历文件 {}", path.display()))?;
    let cal = WorkdayCalendar::from_toml(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(cal.years().cloned().collect())
}

/// The effective calendar (shipped + `stored`), plus the years of `extra`
/// if given (they replace years of the same number).
fn load_calendar(stored: &[YearNotice], extra: Option<&Path>) -> anyhow::Result<WorkdayCalendar> {
    let mut cal = effective(stored)?;
    if let Some(path) = extra {
        for year in read_calendar_file(path)? {
            cal.add_year(year)
                .map_err(|e| anyhow!("{}: {e}", path.display()))?;
        }
    }
    Ok(cal)
}

fn parse_date(s: &str, flag: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow!("{flag} 的日期“{s}”格式应为 YYYY-MM-DD，例如 2024-09-27"))
}

/// `FROM..TO`, both dates inclusive.
fn parse_suspension(s: &str) -> anyhow::Result<Suspension> {
    let (from, to) = s.split_once("..").ok_or_else(|| {
        anyhow!(
            "--suspend 的格式应为 开始日期..结束日期，例如 2024-10-09..2024-10-11（收到：“{s}”）"
        )
    })?;
    Ok(Suspension {
        from: parse_date(from, "--suspend")?,
        to: parse_date(to, "--suspend")?,
        reason: "暂停计时（征求意见等）".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspension_syntax() {
        let s = parse_suspension("2024-10-09..2024-10-11").unwrap();
        assert_eq!(s.from.to_string(), "2024-10-09");
        assert_eq!(s.to.to_string(), "2024-10-11");
        assert!(
            parse_suspension("2024-10-09")
                .unwrap_err()
                .to_string()
                .contains("开始日期..结束日期")
        );
        assert!(
            parse_suspension("2024-10-09..10-11")
                .unwrap_err()
                .to_string()
                .contains("YYYY-MM-DD")
        );
    }
}
