//! The dispatcher against a real SQLite store and an SMTP sink on
//! 127.0.0.1 that this test starts itself.

use base64::Engine;
use chrono::{Duration, Utc};
use gongkai_core::notify::{MailKind, MailStatus, OutboundMail, QueuedMail};
use gongkai_core::store::{OutboxStore, Store};
use gongkai_mail::{DirSender, Dispatcher, Security, Sender, SmtpSender, SmtpSettings};
use gongkai_store::SqliteStore;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

async fn store() -> (Arc<SqliteStore>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = gongkai_store::sqlite_url_for_data_dir(dir.path()).unwrap();
    let s = SqliteStore::connect(&url).await.unwrap();
    s.migrate().await.unwrap();
    (Arc::new(s), dir)
}

fn mail() -> OutboundMail {
    OutboundMail {
        kind: MailKind::Receipt,
        org_id: None,
        case_id: Some(17),
        to: "applicant@example.cn".into(),
        subject: "政府信息公开申请受理回执".into(),
        body: "您于2026年3月2日提交的政府信息公开申请已受理，答复期限为2026年3月30日。".into(),
    }
}

fn smtp(port: u16) -> Arc<dyn Sender> {
    let s = SmtpSettings {
        host: "127.0.0.1".into(),
        port: Some(port),
        security: Security::None,
        username: None,
        password: None,
        ca_file: None,
        timeout_secs: 5,
    };
    Arc::new(
        SmtpSender::new(
            &s,
            "青岚市政务公开办 <gongkai@qinglan.example>"
                .parse()
                .unwrap(),
        )
        .unwrap(),
    )
}

/// A minimal SMTP server: accepts everything, keeps each DATA section.
async fn sink(listener: TcpListener) -> Arc<Mutex<Vec<String>>> {
    let got = Arc::new(Mutex::new(Vec::new()));
    let out = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let got = got.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            got.lock().unwrap().push(data.take().unwrap());
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    out
}

fn decoded_subject(msg: &str) -> String {
    let line = msg.lines().find(|l| l.starts_with("Subject: ")).unwrap();
    let word = line.trim_start_matches("Subject: ").trim();
    let b64 = word
        .strip_prefix("=?utf-8?b?")
        .and_then(|w| w.strip_suffix("?="))
        .unwrap_or_else(|| panic!("not an encoded word: {word}"));
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap()
}

fn decoded_body(msg: &str) -> String {
    let (_, body) = msg.split_once("\n\n").unwrap();
    let b64: String = body.split_whitespace().collect();
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap()
}

async fn only(store: &SqliteStore) -> QueuedMail {
    let all = store.list_mail(None, None, 10).await.unwrap();
    assert_eq!(all.len(), 1);
    all.into_iter().next().unwrap()
}

#[tokio::test]
async fn nothing_is_lost_while_the_mail_server_is_down() {
    let (store, _dir) = store().await;
    store.enqueue_mail(&mail()).await.unwrap();

    // A port where nothing listens: the relay is down.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let d = Dispatcher::new(store.clone(), smtp(port));
    let now = Utc::now() + Duration::seconds(1);
    let r = d.run_once(now).await.unwrap();
    assert_eq!((r.sent, r.retrying, r.given_up), (0, 1, 0));
    let m = only(&store).await;
    assert_eq!(m.status, MailStatus::Pending);
    assert_eq!(m.attempts, 1);
    assert!(m.last_error.is_some());
    // Not retried before its time.
    assert_eq!(d.run_once(now).await.unwrap().sent, 0);

    // The relay comes back on the same port.
    let got = sink(TcpListener::bind(("127.0.0.1", port)).await.unwrap()).await;
    let later = m.next_attempt_at.unwrap() + Duration::seconds(1);
    let r = d.run_once(later).await.unwrap();
    assert_eq!((r.sent, r.retrying, r.given_up), (1, 0, 0));
    let m = only(&store).await;
    assert_eq!(m.status, MailStatus::Sent);
    assert_eq!(m.attempts, 2);

    let msgs = got.lock().unwrap().clone();
    assert_eq!(msgs.len(), 1);
    let msg = &msgs[0];
    assert!(msg.contains("To: applicant@example.cn"), "{msg}");
    assert!(msg.contains("Content-Transfer-Encoding: base64"), "{msg}");
    assert_eq!(decoded_subject(msg), "政府信息公开申请受理回执");
    assert_eq!(decoded_body(msg), mail().body);
    // Sent once: a further run sends nothing.
    assert_eq!(d.run_once(later).await.unwrap().sent, 0);
    assert_eq!(got.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn without_smtp_messages_are_written_to_a_directory() {
    let (store, dir) = store().await;
    let id = store.enqueue_mail(&mail()).await.unwrap();
    let out = dir.path().join("mail-outbox");
    let sender = DirSender::new(
        out.clone(),
        "公开办 <gongkai@qinglan.example>".parse().unwrap(),
    );
    let d = Dispatcher::new(store.clone(), Arc::new(sender));
    let r = d.run_once(Utc::now() + Duration::seconds(1)).await.unwrap();
    assert_eq!(r.sent, 1);
    let file = out.join(format!("{id:08}-receipt.eml"));
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\r\n", "\n");
    assert_eq!(decoded_subject(&text), "政府信息公开申请受理回执");
    assert_eq!(decoded_body(&text), mail().body);
    assert_eq!(only(&store).await.status, MailStatus::Sent);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[tokio::test]
async fn a_refused_recipient_is_given_up_at_once() {
    let (store, _dir) = store().await;
    store.enqueue_mail(&mail()).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // A relay that refuses every recipient with a permanent 550.
    tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        let (r, mut w) = sock.into_split();
        let mut lines = BufReader::new(r).lines();
        w.write_all(b"220 strict\r\n").await.unwrap();
        while let Ok(Some(line)) = lines.next_line().await {
            let reply: &[u8] = if line.to_ascii_uppercase().starts_with("RCPT") {
                b"550 no such user\r\n"
            } else if line.to_ascii_uppercase().starts_with("QUIT") {
                b"221 bye\r\n"
            } else {
                b"250 ok\r\n"
            };
            w.write_all(reply).await.unwrap();
        }
    });
    let d = Dispatcher::new(store.clone(), smtp(port));
    let r = d.run_once(Utc::now() + Duration::seconds(1)).await.unwrap();
    assert_eq!((r.sent, r.retrying, r.given_up), (0, 0, 1));
    let m = only(&store).await;
    assert_eq!(m.status, MailStatus::Failed);
    assert!(m.last_error.unwrap().contains("550"));
}
