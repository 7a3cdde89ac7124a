//! Command-line interface (clap derive). Help texts are English with the
//! Chinese terms staff know the features by.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const ABOUT: &str =
    "gongkai (公开): 政府信息公开平台 — public portal, staff console and admin CLI.";

const LONG_ABOUT: &str = "\
gongkai (公开) is a 政府信息公开平台 (government information disclosure platform).

One binary runs the public portal and the staff console (`gongkai serve`) and
offers the administration commands below.

Storage: SQLite by default (gongkai.db inside --data-dir, env
GONGKAI_DATA_DIR), or PostgreSQL with --db postgres://user:password@host/dbname.

Configuration is layered, later layers win:
  1. built-in defaults
  2. the TOML file (--config FILE, or <data-dir>/gongkai.toml if present)
  3. GONGKAI_* environment variables (GONGKAI_DB, GONGKAI_LISTEN,
     GONGKAI_SITE_NAME, GONGKAI_PUBLIC_URL, GONGKAI_TRUSTED_ORIGINS;
     several origins as GONGKAI_TRUSTED_ORIGINS='[https://a, https://b]')
  4. command-line flags (--db, --listen)
TOML keys: db, listen, site_name, public_url (https:// turns on Secure
cookies), trusted_origins (origins allowed to POST besides same-origin,
for reverse-proxy setups; a string or a list).
Run `gongkai check-config` to see the effective configuration.

Errors are printed on stderr (in Chinese, for staff); the exit code is 1.";

#[derive(Debug, Parser)]
#[command(name = "gongkai", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every data-touching command understands.
#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Data directory: holds the SQLite database (gongkai.db) and the
    /// optional gongkai.toml. Created when missing.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "GONGKAI_DATA_DIR",
        default_value = "./gongkai-data"
    )]
    pub data_dir: PathBuf,
    /// Database URL, overriding every other source: `sqlite:PATH` or
    /// `postgres://user:password@host:port/dbname`.
    #[arg(long, global = true, value_name = "URL")]
    pub db: Option<String>,
    /// Configuration file (TOML). Default: <data-dir>/gongkai.toml if it exists.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server: public portal (/) and staff console (/console).
    ///
    /// Applies pending database migrations first. Stops gracefully on
    /// Ctrl-C or SIGTERM. Log level via RUST_LOG (default: info).
    Serve(ServeArgs),
    /// Apply pending database migrations (safe to run repeatedly).
    Migrate,
    /// Manage staff accounts (工作人员账号) and their roles (角色).
    #[command(subcommand)]
    User(UserCommand),
    /// Manage organisations (机关/机构).
    #[command(subcommand)]
    Org(OrgCommand),
    /// Inspect the audit log (审计日志).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Load the fictional demo jurisdiction 青岚市 into an empty database,
    /// without starting the server.
    ///
    /// Creates the city, three districts/counties with their townships,
    /// 公开指南 texts, 公开制度 documents and one demo account per role
    /// (password gongkai-demo-2026). Refuses to touch a database that
    /// already holds data.
    Demo,
    /// Print the effective configuration (database password redacted).
    CheckConfig,
    /// Working-day calendar (工作日历): statutory deadlines, and importing a
    /// newly published year's holiday notice without upgrading.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Annual reports (政府信息公开工作年度报告): import and audit.
    #[command(subcommand)]
    Reports(crate::cmd::reports::ReportsCommand),
    /// Notification e-mail to applicants (通知邮件): the outbox, sending, tests.
    #[command(subcommand)]
    Mail(crate::cmd::mail::MailCommand),
    /// Catalog items (主动公开信息): bulk import from an earlier site.
    #[command(subcommand)]
    Items(crate::cmd::items::ItemsCommand),
    /// Rebuild the full-text search index (搜索索引, <data-dir>/search) of
    /// the public catalog from the database and print the item count.
    ///
    /// The server rebuilds a missing, outdated or damaged index by itself
    /// at start-up; this command is for operators who want it now. It
    /// refuses while a running server holds the index.
    Reindex,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [config: listen; env: GONGKAI_LISTEN; default 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Seed the demo jurisdiction (青岚市) first if the database is empty.
    /// An existing database is never reseeded.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account.
    ///
    /// The password is read from stdin with --password-stdin (first line),
    /// otherwise from the GONGKAI_PASSWORD environment variable. It needs at
    /// least 10 characters with letters and digits.
    Create {
        /// Login name: 3–32 of a-z 0-9 . _ - (upper case is folded).
        #[arg(long)]
        username: String,
        /// 姓名 shown in the console.
        #[arg(long)]
        name: String,
        /// Home organisation: its code (统一社会信用代码/组织机构代码) or numeric id.
        #[arg(long, value_name = "ORG")]
        org: String,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (ends the user's console sessions).
    ///
    /// Password source as for `user create`.
    SetPassword {
        /// Login name of the account.
        #[arg(long)]
        username: String,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Grant a role at an organisation.
    ///
    /// Roles: admin (系统管理员), publisher (信息发布员), reviewer (保密审查员),
    /// approver (审核领导), case_handler (依申请办理员), supervisor (主管部门监督员);
    /// the Chinese labels are accepted too. Without --subtree/--no-subtree the
    /// role's default applies (admin: whole subtree; supervisor: always the
    /// subtree; others: this organisation only). Granting the same role at
    /// the same organisation again updates the subtree flag.
    Grant {
        /// Login name of the account.
        #[arg(long)]
        username: String,
        /// Role key or Chinese label, e.g. publisher or 信息发布员.
        #[arg(long)]
        role: String,
        /// Organisation code or numeric id.
        #[arg(long, value_name = "ORG")]
        org: String,
        /// The grant also covers every organisation below ORG.
        #[arg(long, conflicts_with = "no_subtree")]
        subtree: bool,
        /// The grant covers ORG only.
        #[arg(long)]
        no_subtree: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Import organisations from a CSV file, all or nothing.
    ///
    /// UTF-8, with or without BOM; the first line is a header naming the
    /// columns (any order, unknown names are rejected). `name`, `kind` and
    /// `level` are required, the others optional:
    ///
    ///   name, short_name, code, kind, level, parent, sort_order, office_name,
    ///   address, office_hours, phone, fax, email, website, postcode
    ///
    /// kind: government (人民政府), general_office (政府办公室), department
    /// (工作部门), township_street (乡镇街道), other (其他).
    /// level: province (省级), city (市级), county (县级), township (乡级).
    /// code: 18-character 统一社会信用代码 or 9-character 组织机构代码 (check digit verified).
    /// parent: code or exact full name of an organisation earlier in the file
    /// or already in the database; empty for a top-level organisation.
    ///
    /// Every row is validated first; all problems are listed as
    /// FILE:LINE: column: message and nothing is imported if there is any.
    /// See docs/org-import.md.
    #[command(verbatim_doc_comment)]
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// List organisations, one per line: code<TAB>name (code `-` if none), in tree order.
    List,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the audit log's hash chain from the first record to the stored head.
    ///
    /// Prints `audit log OK: N records verified` (exit 0) or
    /// `audit log BROKEN: <first break>` (exit 1).
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Import State Council holiday notices (节假日安排) into the database.
    ///
    /// FILE uses the format of the shipped data/cn-workday-calendar.toml:
    /// one table per notice year with the notice's URL or 文号 and the dates
    /// off (放假) and worked (调休上班), e.g.
    ///
    ///   [y2027]
    ///   notice = "国办发明电〔2026〕X号 https://www.gov.cn/…"
    ///   off = ["2027-01-01", "2027-02-06"]
    ///   work = ["2027-02-14"]
    ///
    /// A stored year replaces the shipped year of the same number (and a
    /// year imported earlier); every deadline computed by this installation
    /// uses it. The whole file is checked first: if any year is invalid,
    /// nothing is stored. Each stored year is recorded in the audit log
    /// (calendar.put).
    #[command(verbatim_doc_comment)]
    Import {
        /// The TOML file to import.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// List the years of the effective calendar: year, source (内置 =
    /// shipped with this release, 已导入 = imported into the database),
    /// number of days off and make-up working days, and the notice.
    List,
    /// Compute a due date in working days (工作日) and explain it.
    ///
    /// Counting starts on the day after --received (the receipt date, or the
    /// date a 补正 was received) and skips weekends, statutory holidays and
    /// suspended days, while 调休 make-up weekend days count. The first line
    /// of output is the due date alone (YYYY-MM-DD), for scripts; the
    /// explanation follows. A period reaching into a year whose State Council
    /// holiday notice is not loaded is an error, never a guess.
    ///
    /// The calendar is the shipped one plus the years imported with
    /// `gongkai calendar import` — read from the database only when there
    /// is one (--db / GONGKAI_DB / config file, or an existing gongkai.db in
    /// --data-dir); without a database nothing is created and the shipped
    /// calendar is used.
    ///
    /// Example: gongkai calendar due --received 2024-09-27 --suspend 2024-10-09..2024-10-11
    #[command(verbatim_doc_comment)]
    Due {
        /// The start date (YYYY-MM-DD), e.g. the 收到申请之日.
        #[arg(long, value_name = "DATE")]
        received: String,
        /// Number of working days (20 for a reply, 7 for a 补正 notice …).
        #[arg(long, value_name = "N", default_value_t = 20)]
        working_days: u32,
        /// Days on which the clock stands still, both ends included
        /// (third-party or inter-agency consultation, fee notice). Repeatable.
        #[arg(long, value_name = "FROM..TO")]
        suspend: Vec<String>,
        /// Extra calendar data (TOML, same format as the shipped
        /// data/cn-workday-calendar.toml), e.g. a newly published year.
        #[arg(long, value_name = "FILE")]
        calendar: Option<PathBuf>,
    },
}
