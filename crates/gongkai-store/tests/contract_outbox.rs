//! The e-mail outbox contract, on SQLite and (when configured) PostgreSQL.

use crate::common;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use common::Db;
use gongkai_core::audit::Actor;
use gongkai_core::notify::{MailKind, MailStatus, OutboundMail, after_failure};
use gongkai_core::store::{AuditQuery, StoreError};

store_tests!(
    enqueue_claim_send,
    a_claimed_message_is_not_claimed_twice,
    failures_retry_then_give_up,
    retry_puts_a_failed_message_back_and_is_audited,
    invalid_messages_are_refused,
    list_is_scoped_by_org,
);

async fn org(db: &Db, name: &str) -> i64 {
    common::plain_org(db, name).await
}

fn mail(org_id: i64, n: i64) -> OutboundMail {
    OutboundMail {
        kind: MailKind::Receipt,
        org_id: Some(org_id),
        case_id: Some(n),
        to: format!("applicant{n}@example.cn"),
        subject: format!("受理回执（{n}）"),
        body: "您的政府信息公开申请已受理。".into(),
    }
}

async fn enqueue_claim_send(db: Db) {
    let o = org(&db, "青岚市教育局").await;
    let a = db.store.enqueue_mail(&mail(o, 1)).await.unwrap();
    let b = db.store.enqueue_mail(&mail(o, 2)).await.unwrap();
    let now = Utc::now() + Duration::seconds(1);
    let claimed = db
        .store
        .claim_due_mail(now, now + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(claimed.iter().map(|m| m.id).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!(claimed[0].mail, mail(o, 1));
    assert_eq!(claimed[0].status, MailStatus::Pending);
    assert_eq!(claimed[0].attempts, 0);
    assert_eq!(
        db.store.get_mail(b).await.unwrap().unwrap().mail,
        mail(o, 2)
    );
    assert!(db.store.get_mail(b + 1000).await.unwrap().is_none());

    db.store.mark_mail_sent(a, now).await.unwrap();
    let sent = db
        .store
        .list_mail(None, Some(MailStatus::Sent), 10)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].id, a);
    assert_eq!(sent[0].attempts, 1);
    assert!(sent[0].sent_at.is_some());
    assert_eq!(sent[0].next_attempt_at, None);
    // A sent message is never claimed again.
    let later = now + Duration::hours(1);
    let again = db
        .store
        .claim_due_mail(later, later + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(again.iter().map(|m| m.id).collect::<Vec<_>>(), vec![b]);
    assert!(matches!(
        db.store.mark_mail_sent(999_999, now).await,
        Err(StoreError::NotFound)
    ));
}

async fn a_claimed_message_is_not_claimed_twice(db: Db) {
    let o = org(&db, "青岚市教育局").await;
    let id = db.store.enqueue_mail(&mail(o, 1)).await.unwrap();
    let now = Utc::now() + Duration::seconds(1);
    let lease = now + Duration::minutes(5);
    let first = db.store.claim_due_mail(now, lease, 10).await.unwrap();
    assert_eq!(first.len(), 1);
    // Another dispatcher, during the lease: nothing.
    let second = db.store.claim_due_mail(now, lease, 10).await.unwrap();
    assert!(second.is_empty());
    // The first dispatcher died; after the lease the message is due again.
    let after = lease + Duration::seconds(1);
    let third = db
        .store
        .claim_due_mail(after, after + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(third.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
}

/// "Now" as the store keeps it (microseconds), so that what is read back
/// compares equal.
fn soon() -> DateTime<Utc> {
    (Utc::now() + Duration::seconds(1)).trunc_subsecs(6)
}

async fn failures_retry_then_give_up(db: Db) {
    let o = org(&db, "青岚市教育局").await;
    let id = db.store.enqueue_mail(&mail(o, 1)).await.unwrap();
    let now = soon();
    db.store
        .claim_due_mail(now, now + Duration::minutes(5), 10)
        .await
        .unwrap();
    let retry_at = after_failure(0, now).unwrap();
    db.store
        .mark_mail_failed(id, "connection refused\r\n(127.0.0.1:25)", Some(retry_at))
        .await
        .unwrap();
    let m = &db.store.list_mail(None, None, 10).await.unwrap()[0];
    assert_eq!(m.status, MailStatus::Pending);
    assert_eq!(m.attempts, 1);
    assert_eq!(m.next_attempt_at, Some(retry_at));
    assert_eq!(
        m.last_error.as_deref(),
        Some("connection refused  (127.0.0.1:25)")
    );
    // Not due before the retry time, due after it.
    assert!(
        db.store
            .claim_due_mail(now, now + Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let t = retry_at + Duration::seconds(1);
    assert_eq!(
        db.store
            .claim_due_mail(t, t + Duration::minutes(5), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    db.store
        .mark_mail_failed(id, "still down", None)
        .await
        .unwrap();
    let m = &db.store.list_mail(None, None, 10).await.unwrap()[0];
    assert_eq!(m.status, MailStatus::Failed);
    assert_eq!(m.attempts, 2);
    assert_eq!(m.next_attempt_at, None);
    let far = t + Duration::days(30);
    assert!(
        db.store
            .claim_due_mail(far, far + Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn retry_puts_a_failed_message_back_and_is_audited(db: Db) {
    let o = org(&db, "青岚市教育局").await;
    let id = db.store.enqueue_mail(&mail(o, 1)).await.unwrap();
    let actor = Actor::user(1, "handler");
    let now = Utc::now() + Duration::seconds(1);
    // Only failed messages can be put back.
    assert!(matches!(
        db.store.retry_mail(&actor, id, now).await,
        Err(StoreError::Invalid(_))
    ));
    db.store
        .mark_mail_failed(id, "550 mailbox unavailable", None)
        .await
        .unwrap();
    db.store.retry_mail(&actor, id, now).await.unwrap();
    let claimed = db
        .store
        .claim_due_mail(now, now + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].attempts, 0);
    let log = db
        .store
        .list_audit(&AuditQuery {
            org_ids: None,
            before_seq: None,
            limit: 10,
        })
        .await
        .unwrap();
    let rec = log
        .iter()
        .find(|r| r.action == "mail.retry")
        .expect("audited");
    assert_eq!(rec.org_id, Some(o));
    assert!(
        !rec.summary.contains("example.cn"),
        "recipient in audit: {}",
        rec.summary
    );
    assert!(matches!(
        db.store.retry_mail(&actor, 999_999, now).await,
        Err(StoreError::NotFound)
    ));
}

async fn invalid_messages_are_refused(db: Db) {
    let o = org(&db, "青岚市教育局").await;
    let bad = OutboundMail {
        to: "x@example.cn\r\nBcc: y@example.cn".into(),
        ..mail(o, 1)
    };
    assert!(matches!(
        db.store.enqueue_mail(&bad).await,
        Err(StoreError::Invalid(_))
    ));
    let unknown_org = OutboundMail {
        org_id: Some(424_242),
        ..mail(o, 1)
    };
    assert!(matches!(
        db.store.enqueue_mail(&unknown_org).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(db.store.list_mail(None, None, 10).await.unwrap().is_empty());
}

async fn list_is_scoped_by_org(db: Db) {
    let a = org(&db, "青岚市教育局").await;
    let b = org(&db, "青岚市民政局").await;
    db.store.enqueue_mail(&mail(a, 1)).await.unwrap();
    db.store.enqueue_mail(&mail(b, 2)).await.unwrap();
    db.store.enqueue_mail(&mail(a, 3)).await.unwrap();
    let of_a = db.store.list_mail(Some(&[a]), None, 10).await.unwrap();
    assert_eq!(
        of_a.iter().map(|m| m.mail.case_id).collect::<Vec<_>>(),
        vec![Some(3), Some(1)]
    );
    assert!(
        db.store
            .list_mail(Some(&[]), None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(db.store.list_mail(None, None, 2).await.unwrap().len(), 2);
    assert_eq!(
        db.store
            .list_mail(None, Some(MailStatus::Failed), 10)
            .await
            .unwrap()
            .len(),
        0
    );
}
