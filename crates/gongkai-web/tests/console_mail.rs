//! `/console/mail`: case handlers see their agency's notification e-mail
//! (recipients masked) and can queue a failed message again.

use crate::common;

use axum::http::StatusCode;
use common::{Harness, PASSWORD};
use gongkai_core::audit::Actor;
use gongkai_core::notify::{MailKind, MailStatus, OutboundMail};
use gongkai_core::user::{Grant, NewUser, Role};

async fn handler(h: &Harness, username: &str, org: i64) {
    let cli = Actor::cli();
    let u = h
        .store
        .create_user(
            &cli,
            &NewUser {
                username: username.into(),
                display_name: "办理员".into(),
                org_id: org,
                password_hash: gongkai_core::password::hash(PASSWORD).unwrap(),
            },
        )
        .await
        .unwrap();
    h.store
        .grant(&cli, u.id, &Grant::new(Role::CaseHandler, org, false))
        .await
        .unwrap();
}

fn mail(org: i64, to: &str) -> OutboundMail {
    OutboundMail {
        kind: MailKind::Receipt,
        org_id: Some(org),
        case_id: Some(5),
        to: to.into(),
        subject: "受理回执".into(),
        body: "您的申请已受理。".into(),
    }
}

#[tokio::test]
async fn handlers_see_their_agencys_mail_masked_and_retry_failed_ones() {
    let h = Harness::new().await;
    handler(&h, "handler.b", h.orgs.dept_b).await;
    handler(&h, "handler.a", h.orgs.dept_a).await;
    let ours = h
        .store
        .enqueue_mail(&mail(h.orgs.dept_b, "zhangsan@example.cn"))
        .await
        .unwrap();
    let theirs = h
        .store
        .enqueue_mail(&mail(h.orgs.dept_a, "lisi@example.cn"))
        .await
        .unwrap();
    h.store
        .mark_mail_failed(ours, "550 mailbox unavailable", None)
        .await
        .unwrap();
    h.store
        .mark_mail_failed(theirs, "550 mailbox unavailable", None)
        .await
        .unwrap();

    let s = h.login("handler.b").await;
    let r = h.get("/console/mail", Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("z***@example.cn"), "{}", r.body);
    assert!(
        !r.body.contains("zhangsan@example.cn"),
        "recipient shown unmasked"
    );
    assert!(
        !r.body.contains("l***@example.cn"),
        "another agency's mail shown"
    );
    assert!(r.body.contains("550 mailbox unavailable"));
    assert!(r.body.contains("发送失败"));

    // Another agency's message: not found, and nothing changes.
    let r = h
        .post(&s, &format!("/console/mail/{theirs}/retry"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let m = h.store.get_mail(theirs).await.unwrap().unwrap();
    assert_eq!(m.status, MailStatus::Failed);

    let r = h
        .post(&s, &format!("/console/mail/{ours}/retry"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let m = h.store.get_mail(ours).await.unwrap().unwrap();
    assert_eq!(m.status, MailStatus::Pending);
    assert_eq!(m.attempts, 0);
    assert_eq!(h.last_action().await, "mail.retry");
}

#[tokio::test]
async fn staff_without_case_handling_have_no_mail_page() {
    let h = Harness::new().await;
    // The administrator manages accounts, not cases: no applicants' addresses.
    let s = h.login("root").await;
    let r = h.get("/console/mail", Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h.get("/console", Some(&s.cookie)).await;
    assert!(!r.body.contains("/console/mail"), "nav link shown");
}

#[tokio::test]
async fn a_retry_without_the_form_token_is_refused() {
    let h = Harness::new().await;
    handler(&h, "handler.b", h.orgs.dept_b).await;
    let id = h
        .store
        .enqueue_mail(&mail(h.orgs.dept_b, "zhangsan@example.cn"))
        .await
        .unwrap();
    h.store.mark_mail_failed(id, "550", None).await.unwrap();
    let s = h.login("handler.b").await;
    let r = h
        .post_raw(
            &format!("/console/mail/{id}/retry"),
            Some(&s.cookie),
            String::new(),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(
        h.store.get_mail(id).await.unwrap().unwrap().status,
        MailStatus::Failed
    );
}
