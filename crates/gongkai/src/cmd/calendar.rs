//! `gongkai calendar …`: working-day deadlines from the official calendar.

use crate::cli::CalendarCommand;
use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::clock::{Suspension, compute_due};
use std::path::Path;

pub fn run(cmd: &CalendarCommand) -> anyhow::Result<()> {
    match cmd {
        CalendarCommand::Due {
            received,
            working_days,
            suspend,
            calendar,
        } => {
            let cal = load_calendar(calendar.as_deref())?;
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

/// The shipped calendar, plus the years of `extra` if given (they replace
/// shipped years of the same number).
fn load_calendar(extra: Option<&Path>) -> anyhow::Result<WorkdayCalendar> {
    let mut cal = WorkdayCalendar::official();
    if let Some(path) = extra {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("无法读取工作日历文件 {}", path.display()))?;
        let added =
            WorkdayCalendar::from_toml(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        for year in added.years() {
            cal.add_year(year.clone())
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
