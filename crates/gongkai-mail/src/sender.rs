//! The ways a message leaves: an SMTP relay or a directory of `.eml` files.

use crate::config::{MailSettings, Security, SmtpSettings};
use async_trait::async_trait;
use gongkai_core::notify::QueuedMail;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth retrying: the server is down, busy or answered 4xx.
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot help (the relay refused the recipient with 5xx, the
    /// address cannot be encoded): the message is given up at once.
    #[error("{0}")]
    Permanent(String),
}

#[async_trait]
pub trait Sender: Send + Sync {
    async fn send(&self, mail: &QueuedMail) -> Result<(), SendError>;
    /// For the startup log line: where mail goes (no secrets).
    fn describe(&self) -> String;
}

/// Builds the sender the settings ask for; `data_dir` anchors the default
/// directory.
pub fn build_sender(settings: &MailSettings, data_dir: &Path) -> Result<Box<dyn Sender>, String> {
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e| format!("mail.from 不是有效的发件人地址（{e}）：{}", settings.from))?;
    match &settings.smtp {
        Some(smtp) => Ok(Box::new(SmtpSender::new(smtp, from)?)),
        None => {
            let dir = settings
                .dir
                .clone()
                .unwrap_or_else(|| data_dir.join("mail-outbox"));
            Ok(Box::new(DirSender::new(dir, from)))
        }
    }
}

/// The RFC 5322 message for a queued mail. The body is sent as base64
/// UTF-8 text: Chinese text survives every relay that way.
pub fn build_message(from: &Mailbox, mail: &QueuedMail) -> Result<Message, SendError> {
    let to: Mailbox = mail
        .mail
        .to
        .parse()
        .map_err(|e| SendError::Permanent(format!("收件地址无法使用：{e}")))?;
    let domain = from.email.domain().to_owned();
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.mail.subject.clone())
        .message_id(Some(format!("<gongkai-mail-{}@{domain}>", mail.id)))
        .date_now()
        .header(ContentType::TEXT_PLAIN)
        .header(ContentTransferEncoding::Base64)
        .body(mail.mail.body.clone())
        .map_err(|e| SendError::Permanent(format!("邮件无法生成：{e}")))
}

pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    label: String,
}

impl SmtpSender {
    pub fn new(s: &SmtpSettings, from: Mailbox) -> Result<Self, String> {
        let port = s.effective_port();
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
            .port(port)
            .timeout(Some(Duration::from_secs(s.timeout_secs.max(1))));
        if s.security != Security::None {
            let mut tls = TlsParameters::builder(s.host.clone());
            if let Some(path) = &s.ca_file {
                let pem = std::fs::read(path)
                    .map_err(|e| format!("无法读取 mail.smtp.ca_file {}：{e}", path.display()))?;
                let cert = Certificate::from_pem(&pem).map_err(|e| {
                    format!("mail.smtp.ca_file {} 不是 PEM 证书：{e}", path.display())
                })?;
                tls = tls.add_root_certificate(cert);
            }
            let params = tls
                .build_rustls()
                .map_err(|e| format!("SMTP TLS 设置无效：{e}"))?;
            b = b.tls(match s.security {
                Security::Tls => Tls::Wrapper(params),
                _ => Tls::Required(params),
            });
        }
        if let (Some(user), Some(pw)) = (&s.username, &s.password) {
            b = b.credentials(Credentials::new(user.clone(), pw.clone()));
        }
        Ok(Self {
            transport: b.build(),
            from,
            label: format!("SMTP {}:{port} ({:?})", s.host, s.security),
        })
    }
}

#[async_trait]
impl Sender for SmtpSender {
    async fn send(&self, mail: &QueuedMail) -> Result<(), SendError> {
        let msg = build_message(&self.from, mail)?;
        match self.transport.send(msg).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}

/// Writes each message to `<dir>/<id>-<kind>.eml`. A message sent twice
/// (after a crash between writing and recording) overwrites its file.
pub struct DirSender {
    dir: PathBuf,
    from: Mailbox,
}

impl DirSender {
    pub fn new(dir: PathBuf, from: Mailbox) -> Self {
        Self { dir, from }
    }

    pub fn path_for(&self, mail: &QueuedMail) -> PathBuf {
        self.dir
            .join(format!("{:08}-{}.eml", mail.id, mail.mail.kind.as_str()))
    }
}

#[async_trait]
impl Sender for DirSender {
    async fn send(&self, mail: &QueuedMail) -> Result<(), SendError> {
        let msg = build_message(&self.from, mail)?;
        let path = self.path_for(mail);
        let tmp = path.with_extension("eml.tmp");
        let bytes = msg.formatted();
        let dir = self.dir.clone();
        // Written aside and renamed, so a reader never sees half a message.
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, &path)
        })
        .await
        .map_err(|e| SendError::Transient(e.to_string()))?
        .map_err(|e| SendError::Transient(format!("无法写入邮件目录：{e}")))
    }

    fn describe(&self) -> String {
        format!("directory {}", self.dir.display())
    }
}
