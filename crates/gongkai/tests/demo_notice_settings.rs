//! `gongkai demo` gives every demo agency its 告知书设置 (court, review
//! organ, payment details, contact), so that a demo handler can issue a
//! reply at once instead of being stopped by the reply lint.

use crate::common;

use chrono::Datelike;
use common::{run, stderr, stdout};
use gongkai_core::calendar::WorkdayCalendar;
use gongkai_core::request::case::CaseStatus;
use gongkai_core::request::case_clock::{ClockPolicy, Phase};
use gongkai_core::request::closing::ClosingForm;
use gongkai_core::request::issued::doc_number;
use gongkai_core::request::notice::{CaseFacts, Delivery, ReplyInput, lint};
use gongkai_core::request::outcome::Outcome;
use gongkai_core::store::{CaseQuery, HandlerFilter};
use std::collections::HashMap;

#[test]
fn every_demo_agency_has_notice_settings_with_a_court() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["demo"]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));

    let url = format!("sqlite://{}", tmp.path().join("gongkai.db").display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = gongkai_store::open(&url).await.unwrap();
        let orgs = store.list_orgs().await.unwrap();
        let mut by_name = HashMap::new();
        for org in &orgs {
            let s = store
                .get_notice_settings(org.id)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{} has no notice settings", org.name));
            for (what, v) in [
                ("court", &s.court),
                ("review_organ", &s.review_organ),
                ("payee", &s.payee),
                ("account", &s.account),
                ("bank", &s.bank),
                ("contact", &s.contact),
                ("doc_prefix", &s.doc_prefix),
            ] {
                assert!(!v.trim().is_empty(), "{}: {what} is empty", org.name);
            }
            assert!(s.court.ends_with("人民法院"), "{}: {}", org.name, s.court);
            assert!(s.account.contains("虚构"), "{}", s.account);
            assert!(s.contact.starts_with("联系电话：0799-"), "{}", s.contact);
            by_name.insert(org.name.clone(), s);
        }
        let s = &by_name["青岚市望湖区教育局"];
        assert_eq!(s.court, "青岚市望湖区人民法院");
        assert_eq!(s.review_organ, "青岚市望湖区人民政府");
        assert_eq!(s.payee, "青岚市望湖区财政局");
        let s = &by_name["枫溪县白沙乡人民政府"];
        assert_eq!(s.court, "枫溪县人民法院");
        assert_eq!(s.review_organ, "枫溪县人民政府");
        let s = &by_name["枫溪县人民政府"];
        assert_eq!(s.court, "青岚市中级人民法院");
        assert_eq!(s.review_organ, "青岚市人民政府");
        let s = &by_name["青岚市教育局"];
        assert_eq!(s.court, "青岚市望湖区人民法院");
        assert_eq!(s.review_organ, "青岚市人民政府");
        // A demo handler can issue a reply at once: an open, running case
        // closed as 予以公开 today passes the reply lint with its agency's
        // stored settings — and would not without the court.
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        let cal = WorkdayCalendar::effective(&store.list_calendar_years().await.unwrap()).unwrap();
        let ids: Vec<_> = orgs.iter().map(|o| o.id).collect();
        let open = store
            .list_requests(&CaseQuery {
                org_ids: ids,
                status: Some(CaseStatus::Open),
                handler: HandlerFilter::Any,
                year: None,
                offset: 0,
                limit: 1000,
            })
            .await
            .unwrap()
            .cases;
        let (case, status) = open
            .iter()
            .find_map(|c| {
                let clock = c.clock(ClockPolicy::default())?.ok()?;
                let st = clock.status(&cal, today).ok()?;
                let running = st.phase == Phase::Running
                    && clock.fee.is_none()
                    && clock.correction.is_none()
                    && st.reply.as_ref().is_some_and(|r| today <= r.due);
                running.then_some((c, st))
            })
            .expect("an open demo case within its deadline");
        let org = orgs.iter().find(|o| o.id == case.org_id).unwrap();
        let settings = &by_name[&org.name];
        let input = ReplyInput {
            facts: CaseFacts {
                agency: org.name.clone(),
                applicant_name: case.application.applicant.name.clone(),
                applicant_kind: case.application.applicant.kind,
                application_no: case.number.clone(),
                received_on: case.receipt_date().unwrap(),
                request: case.application.info.description.clone(),
            },
            doc_number: doc_number(&settings.doc_prefix, today.year(), 1),
            correction: None,
            fee: None,
            closing: ClosingForm {
                outcome: Outcome::Disclosed.key().into(),
                disclosed_kind: "provided".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
            specific_basis: String::new(),
            delivery: Delivery {
                way: case.application.delivery,
                note: "请于工作日到本机关政务公开窗口领取，或按申请的方式获取".into(),
            },
            attachments: vec!["所申请的政府信息".into()],
            review_organ: settings.review_organ.clone(),
            court: settings.court.clone(),
            issued_on: today,
        };
        assert_eq!(lint(&input, &status, today), vec![], "{}", case.number);
        let without_court = ReplyInput {
            court: String::new(),
            ..input
        };
        assert!(!lint(&without_court, &status, today).is_empty());

        // Saved through the store, so audited like a console change.
        let audit = store
            .list_audit(&gongkai_core::store::AuditQuery {
                org_ids: None,
                before_seq: None,
                limit: 100_000,
            })
            .await
            .unwrap();
        let saved = audit
            .iter()
            .filter(|r| r.action == "request.notice_settings")
            .count();
        assert_eq!(saved, orgs.len());
    });
}
