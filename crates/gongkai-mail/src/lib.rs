//! gongkai-mail: sends the e-mail outbox ([`gongkai_core::notify`]).
//!
//! * [`config`]: the `[mail]` settings (SMTP server or a directory);
//! * [`sender`]: the two ways a message leaves — an SMTP relay (lettre over
//!   rustls) or `.eml` files in a directory when no SMTP server is configured;
//! * [`dispatch`]: claims due messages from the store, sends them and
//!   records the outcome, on a timer inside `gongkai serve` or once from the CLI.
//!
//! Recipients never appear in logs: log lines name the message id and kind.

pub mod config;
pub mod dispatch;
pub mod sender;

pub use config::{MailSettings, Security, SmtpSettings};
pub use dispatch::{DispatchReport, Dispatcher};
pub use sender::{DirSender, SendError, Sender, SmtpSender, build_sender};
