//! Claims due messages, sends them, records the outcome.

use crate::sender::{SendError, Sender};
use chrono::{DateTime, Duration, Utc};
use gongkai_core::notify::after_failure;
use gongkai_core::store::{OutboxStore, StoreResult};
use std::sync::Arc;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: usize,
    /// Failed and queued again.
    pub retrying: usize,
    /// Failed for good (permanent error or the last attempt).
    pub given_up: usize,
}

pub struct Dispatcher<S: OutboxStore + ?Sized> {
    store: Arc<S>,
    sender: Arc<dyn Sender>,
    /// Messages per run.
    pub batch: i64,
    /// How long a claimed message is reserved for this dispatcher; longer
    /// than a batch can take, so that another node never sends it twice.
    pub lease: Duration,
}

impl<S: OutboxStore + ?Sized + 'static> Dispatcher<S> {
    pub fn new(store: Arc<S>, sender: Arc<dyn Sender>) -> Self {
        Self {
            store,
            sender,
            batch: 50,
            lease: Duration::minutes(10),
        }
    }

    /// One pass over the due messages.
    pub async fn run_once(&self, now: DateTime<Utc>) -> StoreResult<DispatchReport> {
        let due = self
            .store
            .claim_due_mail(now, now + self.lease, self.batch)
            .await?;
        let mut report = DispatchReport::default();
        for mail in due {
            match self.sender.send(&mail).await {
                Ok(()) => {
                    self.store.mark_mail_sent(mail.id, Utc::now()).await?;
                    tracing::info!(
                        mail_id = mail.id,
                        kind = mail.mail.kind.as_str(),
                        "mail sent"
                    );
                    report.sent += 1;
                }
                Err(e) => {
                    let retry_at = match &e {
                        SendError::Transient(_) => after_failure(mail.attempts, now),
                        SendError::Permanent(_) => None,
                    };
                    self.store
                        .mark_mail_failed(mail.id, &e.to_string(), retry_at)
                        .await?;
                    // The error text comes from the relay and names the
                    // server, not the recipient.
                    tracing::warn!(
                        mail_id = mail.id,
                        kind = mail.mail.kind.as_str(),
                        attempt = mail.attempts + 1,
                        error = %e,
                        "mail not sent"
                    );
                    match retry_at {
                        Some(_) => report.retrying += 1,
                        None => report.given_up += 1,
                    }
                }
            }
        }
        Ok(report)
    }

    /// Runs [`run_once`](Self::run_once) every `every` until the task is
    /// dropped. A failing database is logged and tried again next time.
    pub fn spawn(self, every: std::time::Duration) -> tokio::task::JoinHandle<()>
    where
        S: Send + Sync,
    {
        tracing::info!(to = %self.sender.describe(), "mail dispatcher started");
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = self.run_once(Utc::now()).await {
                    tracing::error!(error = %e, "mail dispatcher: store error");
                }
            }
        })
    }
}
