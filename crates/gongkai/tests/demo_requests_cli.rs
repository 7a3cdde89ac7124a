//! `gongkai demo` seeds a history of 依申请公开 cases and 复议/诉讼 records
//! (demo/requests.rs) that passes the store's rules and covers every case
//! status and the main outcome families.

use crate::common;

use common::{run, stderr, stdout};
use gongkai_core::request::appeal::AppealResult;
use gongkai_core::request::case::CaseStatus;
use gongkai_core::request::case_clock::Channel;
use gongkai_core::request::outcome::{Outcome, OutcomeFamily};
use gongkai_core::store::{AppealQuery, CaseQuery, HandlerFilter};
use std::collections::{HashMap, HashSet};

#[test]
fn demo_history_covers_statuses_outcomes_and_appeals() {
    let tmp = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let o = run(tmp.path(), &["demo"]);
    // Printed for the record (docs/requests.md quotes it), not asserted.
    eprintln!("gongkai demo took {:?}", started.elapsed());
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("件依申请公开申请"), "{}", stdout(&o));

    let url = format!("sqlite://{}", tmp.path().join("gongkai.db").display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = gongkai_store::open(&url).await.unwrap();
        let orgs = store.list_orgs().await.unwrap();
        let ids: Vec<_> = orgs.iter().map(|o| o.id).collect();
        let mut cases = Vec::new();
        let mut offset = 0;
        loop {
            let page = store
                .list_requests(&CaseQuery {
                    org_ids: ids.clone(),
                    status: None,
                    handler: HandlerFilter::Any,
                    year: None,
                    offset,
                    limit: 200,
                })
                .await
                .unwrap();
            let n = page.cases.len();
            cases.extend(page.cases);
            if n < 200 {
                break;
            }
            offset += 200;
        }
        assert!(cases.len() >= 250, "{}", cases.len());

        let statuses: HashSet<CaseStatus> = cases.iter().map(|c| c.status).collect();
        for s in CaseStatus::ALL {
            assert!(statuses.contains(&s), "no case is {s:?}");
        }
        let channels: HashSet<Channel> = cases.iter().map(|c| c.channel).collect();
        assert_eq!(channels.len(), Channel::ALL.len());
        let kinds: HashSet<_> = cases
            .iter()
            .map(|c| c.application.applicant.kind.column_key())
            .collect();
        assert_eq!(kinds.len(), 6, "{kinds:?}");
        let agencies: HashSet<_> = cases.iter().map(|c| c.org_id).collect();
        assert!(agencies.len() >= 30, "{}", agencies.len());
        let years: HashSet<_> = cases
            .iter()
            .map(|c| chrono::Datelike::year(&c.arrived_on))
            .collect();
        assert_eq!(years, HashSet::from([2024, 2025, 2026]));

        let mut families: HashMap<OutcomeFamily, usize> = HashMap::new();
        let mut outcomes: HashSet<Outcome> = HashSet::new();
        for c in &cases {
            if let Some(o) = c.outcome {
                *families.entry(o.family()).or_default() += 1;
                outcomes.insert(o);
            }
        }
        let closed: usize = families.values().sum();
        for f in [
            OutcomeFamily::Disclose,
            OutcomeFamily::Partial,
            OutcomeFamily::Refuse,
            OutcomeFamily::Unable,
            OutcomeFamily::NotProcessed,
            OutcomeFamily::Other,
        ] {
            assert!(families.get(&f).copied().unwrap_or(0) > 0, "no {f:?}");
        }
        // Mostly 予以公开 / 部分公开 / 信息不存在.
        let main = families[&OutcomeFamily::Disclose]
            + families[&OutcomeFamily::Partial]
            + families[&OutcomeFamily::Unable];
        assert!(main * 3 > closed * 2, "{families:?}");
        for o in [Outcome::OtherNoCorrection, Outcome::RejectPetition] {
            assert!(outcomes.contains(&o), "no {o:?}");
        }

        // Clock events of every kind were written.
        let keys: HashSet<&str> = cases
            .iter()
            .flat_map(|c| c.entries.iter().map(|e| e.action.key()))
            .collect();
        for k in [
            "confirm",
            "assign",
            "correction_requested",
            "correction_received",
            "extended",
            "consultation_sent",
            "consultation_answered",
            "fee_notice_sent",
            "fee_paid",
            "close",
        ] {
            assert!(keys.contains(k), "no {k} entry");
        }

        let appeals = store
            .list_appeals(&AppealQuery {
                org_ids: ids.clone(),
                case_id: None,
                year: None,
                kind: None,
                result: None,
                offset: 0,
                limit: 500,
            })
            .await
            .unwrap();
        assert!(appeals.total >= 15, "{}", appeals.total);
        let results: HashSet<AppealResult> =
            appeals.appeals.iter().map(|a| a.draft.result).collect();
        assert!(results.contains(&AppealResult::Upheld));
        assert!(results.contains(&AppealResult::Corrected));
        assert!(appeals.appeals.iter().any(|a| a.draft.case_id.is_some()));
        assert!(appeals.appeals.iter().any(|a| a.draft.case_id.is_none()));
        gongkai_core::audit::verify_store(store.as_ref())
            .await
            .unwrap();
    });
}
