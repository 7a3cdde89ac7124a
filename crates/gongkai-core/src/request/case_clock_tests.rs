//! Tests of the case clock. Expected dates were counted by hand against
//! the 2026 notice (清明 04-04..06 off; no make-up day in March–April).

use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> WorkdayCalendar {
    WorkdayCalendar::official()
}

fn clock(receipt: &str, events: &[CaseEvent]) -> CaseClock {
    CaseClock::from_events(d(receipt), ClockPolicy::default(), events).unwrap()
}

fn due(c: &CaseClock, as_of: &str) -> NaiveDate {
    c.status(&cal(), d(as_of)).unwrap().reply.unwrap().due
}

#[test]
fn the_receipt_date_depends_on_the_channel() {
    let dates = ReceiptDates {
        submitted_on: Some(d("2026-03-02")),
        signed_for_on: Some(d("2026-03-04")),
        confirmed_on: Some(d("2026-03-05")),
    };
    assert_eq!(
        Channel::InPerson.receipt_date(&dates).unwrap(),
        d("2026-03-02")
    );
    assert_eq!(
        Channel::SignedPost.receipt_date(&dates).unwrap(),
        d("2026-03-04")
    );
    for ch in [Channel::OrdinaryLetter, Channel::Online, Channel::Fax] {
        assert_eq!(ch.receipt_date(&dates).unwrap(), d("2026-03-05"));
    }
    let only_submitted = ReceiptDates {
        submitted_on: Some(d("2026-03-02")),
        ..Default::default()
    };
    assert_eq!(
        Channel::Online.receipt_date(&only_submitted),
        Err(CaseClockError::Invalid(
            "互联网的申请以确认日期为收到申请之日，请填写确认日期".into()
        ))
    );
}

#[test]
fn a_plain_case_is_due_twenty_working_days_after_receipt() {
    let c = clock("2026-03-02", &[]);
    let s = c.status(&cal(), d("2026-03-10")).unwrap();
    assert_eq!(s.phase, Phase::Running);
    assert_eq!(s.reply.as_ref().unwrap().due, d("2026-03-30"));
    assert_eq!(s.correction_notice_due, d("2026-03-11"));
    assert!(!s.is_overdue(d("2026-03-30")));
    assert!(s.is_overdue(d("2026-03-31")));
    assert!(s.due_within(&cal(), d("2026-03-25"), 3).unwrap());
    assert!(!s.due_within(&cal(), d("2026-03-25"), 2).unwrap());
}

#[test]
fn an_extension_adds_working_days_once() {
    let ext = |n| CaseEvent::Extended {
        approver: 7,
        approved_on: d("2026-03-20"),
        working_days: n,
    };
    let c = clock("2026-03-02", &[ext(20)]);
    let s = c.status(&cal(), d("2026-03-20")).unwrap();
    assert_eq!(s.reply.unwrap().due, d("2026-04-28"));
    assert!(!s.extension_approved_late);
    assert_eq!(c.extension.as_ref().unwrap().approver, 7);

    let mut c = clock("2026-03-02", &[ext(10)]);
    assert_eq!(
        c.apply(&ext(5)),
        Err(CaseClockError::Invalid(
            "答复期限只能延长一次（第三十三条）".into()
        ))
    );
    let mut c = clock("2026-03-02", &[]);
    assert!(c.apply(&ext(21)).is_err());
    assert!(c.apply(&ext(0)).is_err());
    assert!(c.extension.is_none());

    let late = CaseEvent::Extended {
        approver: 7,
        approved_on: d("2026-03-31"),
        working_days: 5,
    };
    let s = clock("2026-03-02", &[late])
        .status(&cal(), d("2026-03-31"))
        .unwrap();
    assert!(s.extension_approved_late);
}

#[test]
fn a_correction_restarts_the_clock_from_its_receipt() {
    let asked = CaseEvent::CorrectionRequested {
        on: d("2026-03-05"),
        reply_by: d("2026-03-20"),
    };
    let c = clock("2026-03-02", std::slice::from_ref(&asked));
    let s = c.status(&cal(), d("2026-03-10")).unwrap();
    assert_eq!(
        s.phase,
        Phase::AwaitingCorrection {
            reply_by: d("2026-03-20")
        }
    );
    assert_eq!(s.reply, None);
    assert!(!s.is_overdue(d("2026-12-01")));
    assert_eq!(s.lapsed, None);
    assert!(!s.correction_notice_late);
    let s = c.status(&cal(), d("2026-03-21")).unwrap();
    assert_eq!(s.lapsed, Some(Outcome::OtherNoCorrection));

    let c = clock(
        "2026-03-02",
        &[
            asked.clone(),
            CaseEvent::CorrectionReceived {
                on: d("2026-03-10"),
            },
        ],
    );
    // 03-10 + 20 working days (03-11 … 04-07, skipping 清明).
    assert_eq!(due(&c, "2026-03-10"), d("2026-04-08"));

    let mut c = clock("2026-03-02", std::slice::from_ref(&asked));
    assert_eq!(
        c.apply(&asked),
        Err(CaseClockError::Invalid(
            "补正应当一次性告知（第三十条），不能再次要求补正".into()
        ))
    );
    assert!(
        c.apply(&CaseEvent::ConsultationSent {
            id: 1,
            party: ConsultedParty::ThirdParty,
            on: d("2026-03-06")
        })
        .is_err()
    );
}

#[test]
fn a_late_correction_notice_is_flagged() {
    let c = clock(
        "2026-03-02",
        &[CaseEvent::CorrectionRequested {
            on: d("2026-03-12"),
            reply_by: d("2026-03-27"),
        }],
    );
    assert!(
        c.status(&cal(), d("2026-03-12"))
            .unwrap()
            .correction_notice_late
    );
}

#[test]
fn an_answered_consultation_suspends_the_clock() {
    let c = clock(
        "2026-03-02",
        &[
            CaseEvent::ConsultationSent {
                id: 1,
                party: ConsultedParty::ThirdParty,
                on: d("2026-03-09"),
            },
            CaseEvent::ConsultationAnswered {
                id: 1,
                on: d("2026-03-13"),
            },
        ],
    );
    let s = c.status(&cal(), d("2026-03-20")).unwrap();
    assert_eq!(s.phase, Phase::Running);
    let reply = s.reply.unwrap();
    assert_eq!(reply.due, d("2026-04-07"));
    assert!(
        reply
            .explain()
            .contains("暂停  2026-03-09 至 2026-03-13：征求第三方意见（第三十二条）")
    );
}

#[test]
fn an_open_consultation_shows_a_provisional_due_date() {
    let sent = CaseEvent::ConsultationSent {
        id: 1,
        party: ConsultedParty::OtherAgency,
        on: d("2026-03-09"),
    };
    let c = clock("2026-03-02", std::slice::from_ref(&sent));
    let s = c.status(&cal(), d("2026-03-11")).unwrap();
    assert_eq!(
        s.phase,
        Phase::Suspended {
            reasons: vec!["征求其他行政机关意见（第三十四条）".into()]
        }
    );
    // Suspended 03-09..03-11 (3 working days): 03-30 + 3.
    assert_eq!(s.reply.unwrap().due, d("2026-04-02"));
    // Never answered: the suspension ends with the 15 days (03-30).
    let s = c.status(&cal(), d("2026-04-15")).unwrap();
    assert_eq!(s.phase, Phase::Running);
    assert_eq!(s.reply.unwrap().due, d("2026-04-22"));
}

#[test]
fn the_fee_notice_suspends_by_policy_and_lapses_when_unpaid() {
    let events = [
        CaseEvent::FeeNoticeSent {
            on: d("2026-03-09"),
        },
        CaseEvent::FeePaid {
            on: d("2026-03-13"),
        },
    ];
    assert_eq!(
        due(&clock("2026-03-02", &events), "2026-03-20"),
        d("2026-04-07")
    );
    let off = ClockPolicy {
        fee_suspends_clock: false,
    };
    let c = CaseClock::from_events(d("2026-03-02"), off, &events).unwrap();
    assert_eq!(due(&c, "2026-03-20"), d("2026-03-30"));

    let unpaid = clock("2026-03-02", &events[..1]);
    let s = unpaid.status(&cal(), d("2026-04-07")).unwrap();
    assert_eq!(s.fee_payment_due, Some(d("2026-04-07")));
    assert_eq!(s.lapsed, None);
    assert!(matches!(s.phase, Phase::Suspended { .. }));
    let s = unpaid.status(&cal(), d("2026-04-08")).unwrap();
    assert_eq!(s.lapsed, Some(Outcome::OtherNoFee));
}

#[test]
fn impossible_events_are_refused() {
    let mut c = clock("2026-03-02", &[]);
    assert!(
        c.apply(&CaseEvent::FeePaid {
            on: d("2026-03-05")
        })
        .is_err()
    );
    assert!(
        c.apply(&CaseEvent::CorrectionReceived {
            on: d("2026-03-05")
        })
        .is_err()
    );
    assert!(
        c.apply(&CaseEvent::ConsultationAnswered {
            id: 3,
            on: d("2026-03-05")
        })
        .is_err()
    );
    assert!(
        c.apply(&CaseEvent::FeeNoticeSent {
            on: d("2026-02-27")
        })
        .is_err()
    );
    assert_eq!(c, clock("2026-03-02", &[]));
}

#[test]
fn a_missing_calendar_year_is_reported_not_guessed() {
    let c = clock("2026-12-01", &[]);
    assert_eq!(
        c.status(&cal(), d("2026-12-01")),
        Err(CaseClockError::CalendarMissing { year: 2027 })
    );
}

fn any_receipt() -> impl Strategy<Value = NaiveDate> {
    // Receipts whose longest horizon (補正 + 40 days + suspensions) stays in 2019-06..2026-11.
    (0i64..2500).prop_map(|o| d("2019-06-01") + chrono::Duration::days(o))
}

fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

proptest! {
    #[test]
    fn adding_a_suspension_or_extension_never_moves_the_due_date_earlier(
        r in any_receipt(), off in 0i64..25, len in 0i64..25, ext in 1u32..=20, paid in any::<bool>(),
    ) {
        let cal = cal();
        let as_of = r + days(60);
        let base = CaseClock::new(r, ClockPolicy::default());
        let plain = base.status(&cal, as_of).unwrap().reply.unwrap().due;

        let mut with_c = base.clone();
        with_c.apply(&CaseEvent::ConsultationSent { id: 1, party: ConsultedParty::ThirdParty, on: r + days(off) }).unwrap();
        if paid {
            with_c.apply(&CaseEvent::ConsultationAnswered { id: 1, on: r + days(off + len) }).unwrap();
        }
        let suspended = with_c.status(&cal, as_of).unwrap().reply.unwrap().due;
        prop_assert!(suspended >= plain);

        let mut with_both = with_c.clone();
        with_both.apply(&CaseEvent::Extended { approver: 1, approved_on: r + days(1), working_days: ext }).unwrap();
        let extended = with_both.status(&cal, as_of).unwrap().reply.unwrap().due;
        prop_assert!(extended > suspended);

        let mut with_fee = with_both.clone();
        with_fee.apply(&CaseEvent::FeeNoticeSent { on: r + days(off + 2) }).unwrap();
        with_fee.apply(&CaseEvent::FeePaid { on: r + days(off + 2 + len) }).unwrap();
        prop_assert!(with_fee.status(&cal, as_of).unwrap().reply.unwrap().due >= extended);
    }

    #[test]
    fn restarting_after_a_correction_equals_a_fresh_case(
        r in any_receipt(), ask in 0i64..10, back in 0i64..20, off in 0i64..15, len in 0i64..10,
    ) {
        let cal = cal();
        let received = r + days(ask + back);
        let later = [
            CaseEvent::ConsultationSent { id: 1, party: ConsultedParty::OtherAgency, on: received + days(off) },
            CaseEvent::ConsultationAnswered { id: 1, on: received + days(off + len) },
        ];
        let mut events = vec![
            CaseEvent::CorrectionRequested { on: r + days(ask), reply_by: r + days(ask + 15) },
            CaseEvent::CorrectionReceived { on: received },
        ];
        events.extend(later.iter().cloned());
        let corrected = CaseClock::from_events(r, ClockPolicy::default(), &events).unwrap();
        let fresh = CaseClock::from_events(received, ClockPolicy::default(), &later).unwrap();
        let as_of = received + days(50);
        prop_assert_eq!(
            corrected.status(&cal, as_of).unwrap().reply,
            fresh.status(&cal, as_of).unwrap().reply
        );
    }
}
