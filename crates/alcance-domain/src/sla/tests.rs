use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::America::Bogota;
use proptest::prelude::*;

use super::*;
use crate::policy::Policy;

fn bog(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Bogota.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap().with_timezone(&Utc)
}

fn cal() -> BusinessCalendar {
    BusinessCalendar::colombia_default()
}

fn rules(priority: Priority) -> SlaRules {
    SlaRules::for_priority(&default_targets(), priority)
}

fn timeline(
    history: &[(DateTime<Utc>, Status)],
    reply: Option<DateTime<Utc>>,
    update: Option<DateTime<Utc>>,
) -> TicketTimeline {
    TicketTimeline {
        history: history.iter().map(|&(at, status)| StatusChange { at, status }).collect(),
        first_agent_reply: reply,
        last_agent_update: update,
    }
}

fn eval(priority: Priority, t: &TicketTimeline, now: DateTime<Utc>) -> SlaReport {
    rules(priority).evaluate(t, &cal(), now).unwrap()
}

#[test]
fn defaults_are_the_ones_in_the_default_policy_file() {
    let policy = Policy::from_toml(include_str!("../../../../policy/default.toml")).unwrap();
    assert_eq!(policy.sla, default_targets());
}

#[test]
fn spans_become_durations_on_their_clock() {
    let cal = cal();
    let business = rules(Priority::Normal);
    let wall = rules(Priority::Critical);
    assert_eq!(business.span(SlaSpan::Days(2), &cal), TimeDelta::hours(20));
    assert_eq!(wall.span(SlaSpan::Days(2), &cal), TimeDelta::hours(48));
    assert_eq!(business.span(SlaSpan::Minutes(90), &cal), TimeDelta::minutes(90));
    assert_eq!(wall.span(SlaSpan::Hours(8), &cal), TimeDelta::hours(8));
}

#[test]
fn friday_17h_before_a_holiday_monday_is_due_on_tuesday() {
    // Normal: 8 business hours to respond, 5 business days (50 h) to resolve. Opened Friday
    // 9 January 2026 at 17:00; Monday 12 is Reyes.
    let opened = bog(2026, 1, 9, 17, 0);
    let t = timeline(&[(opened, Status::New)], None, None);
    let report = eval(Priority::Normal, &t, bog(2026, 1, 12, 12, 0));
    assert_eq!(report.first_response.due, bog(2026, 1, 13, 15, 0));
    assert_eq!(report.first_response.elapsed, TimeDelta::hours(1));
    assert_eq!(report.first_response.state, SlaState::Ok);
    // 1 h Friday + 40 h Tuesday-Friday + 9 h Monday 19 January.
    assert_eq!(report.resolution.due, bog(2026, 1, 19, 17, 0));
    assert_eq!(report.update, None);
    assert!(!report.paused);

    let at_13 = eval(Priority::Normal, &t, bog(2026, 1, 13, 13, 0)).first_response;
    assert_eq!((at_13.percent, at_13.state, at_13.time_left), (75, SlaState::Ok, TimeDelta::hours(2)));
    let at_14 = eval(Priority::Normal, &t, bog(2026, 1, 13, 14, 0)).first_response;
    assert_eq!((at_14.percent, at_14.state), (87, SlaState::Warning));
    let at_15 = eval(Priority::Normal, &t, bog(2026, 1, 13, 15, 0)).first_response;
    assert_eq!((at_15.percent, at_15.state, at_15.time_left), (100, SlaState::Warning, TimeDelta::zero()));
    let late = eval(Priority::Normal, &t, bog(2026, 1, 13, 15, 1)).first_response;
    assert_eq!(
        (late.state, late.time_left, late.due),
        (SlaState::Breached, TimeDelta::minutes(-1), bog(2026, 1, 13, 15, 0))
    );
}

#[test]
fn critical_runs_on_the_wall_clock_through_weekends_and_holidays() {
    // Saturday night before the Reyes Monday.
    let opened = bog(2026, 1, 10, 23, 30);
    let t = timeline(&[(opened, Status::New)], Some(bog(2026, 1, 11, 0, 20)), Some(bog(2026, 1, 11, 0, 20)));
    let report = eval(Priority::Critical, &t, bog(2026, 1, 11, 1, 0));
    assert_eq!(report.first_response.state, SlaState::Met);
    assert_eq!(report.first_response.elapsed, TimeDelta::minutes(50));
    assert_eq!(report.resolution.due, bog(2026, 1, 11, 7, 30));
    let update = report.update.unwrap();
    assert_eq!((update.due, update.elapsed), (bog(2026, 1, 11, 2, 20), TimeDelta::minutes(40)));
    let report = eval(Priority::Critical, &t, bog(2026, 1, 11, 7, 31));
    assert_eq!(report.resolution.state, SlaState::Breached);
    assert_eq!(report.update.unwrap().state, SlaState::Breached);
}

fn paused_high_ticket() -> TicketTimeline {
    // High (4 h / 8 h / 2 days = 20 h). Monday 2 March 2026.
    timeline(
        &[
            (bog(2026, 3, 2, 9, 0), Status::New),
            (bog(2026, 3, 2, 9, 15), Status::Open),
            (bog(2026, 3, 2, 10, 0), Status::WaitingOnClient),
            (bog(2026, 3, 4, 10, 0), Status::InProgress),
        ],
        Some(bog(2026, 3, 2, 9, 30)),
        Some(bog(2026, 3, 2, 9, 30)),
    )
}

#[test]
fn waiting_on_the_client_pauses_every_target_and_moves_the_due_instants() {
    let t = paused_high_ticket();
    // While waiting (Tuesday noon): paused, due instants projected as if the clock ran now.
    let waiting = eval(Priority::High, &t, bog(2026, 3, 3, 12, 0));
    assert!(waiting.paused);
    assert_eq!(waiting.resolution.elapsed, TimeDelta::hours(1));
    assert_eq!(waiting.resolution.due, bog(2026, 3, 5, 11, 0));
    // The client replied Wednesday 10:00: 19 h left from there.
    let back = eval(Priority::High, &t, bog(2026, 3, 4, 12, 0));
    assert!(!back.paused);
    assert_eq!(back.resolution.due, bog(2026, 3, 6, 9, 0));
    assert_eq!(back.resolution.elapsed, TimeDelta::hours(3));
    // Update: 30 min before the wait, the rest from Wednesday 10:00: due 17:30.
    let update = back.update.unwrap();
    assert_eq!((update.started_at, update.due), (bog(2026, 3, 2, 9, 30), bog(2026, 3, 4, 17, 30)));
    assert_eq!(back.first_response.state, SlaState::Met);
    assert_eq!(back.first_response.met_at, Some(bog(2026, 3, 2, 9, 30)));
}

#[test]
fn not_covered_statuses_pause_until_the_client_decides() {
    let opened = bog(2026, 3, 2, 9, 0);
    let t = timeline(
        &[
            (opened, Status::New),
            (bog(2026, 3, 2, 11, 0), Status::AwaitingDecision),
            (bog(2026, 3, 3, 9, 0), Status::QuoteRequested),
            (bog(2026, 3, 5, 9, 0), Status::Quoted),
            (bog(2026, 3, 10, 8, 0), Status::InProgress),
        ],
        Some(bog(2026, 3, 2, 11, 0)),
        None,
    );
    let report = eval(Priority::Normal, &t, bog(2026, 3, 10, 10, 0));
    assert_eq!(report.resolution.elapsed, TimeDelta::hours(4));
    assert_eq!(report.resolution.state, SlaState::Ok);
}

#[test]
fn a_reopened_ticket_restarts_resolution_with_the_full_target() {
    // Normal, opened and resolved within a day, reopened three weeks later.
    let t = timeline(
        &[
            (bog(2026, 3, 2, 9, 0), Status::New),
            (bog(2026, 3, 2, 9, 30), Status::InProgress),
            (bog(2026, 3, 2, 15, 0), Status::Resolved),
            (bog(2026, 3, 24, 10, 0), Status::Open),
        ],
        Some(bog(2026, 3, 2, 9, 30)),
        Some(bog(2026, 3, 2, 15, 0)),
    );
    let resolved = eval(Priority::Normal, &t, bog(2026, 3, 10, 9, 0));
    assert_eq!(resolved.resolution.state, SlaState::Met);
    assert_eq!(resolved.resolution.met_at, Some(bog(2026, 3, 2, 15, 0)));
    assert!(resolved.paused);

    let reopened = eval(Priority::Normal, &t, bog(2026, 3, 24, 10, 0));
    assert_eq!(reopened.resolution.started_at, bog(2026, 3, 24, 10, 0));
    assert_eq!(reopened.resolution.elapsed, TimeDelta::zero());
    assert_eq!(reopened.resolution.state, SlaState::Ok);
    assert_eq!(reopened.resolution.due, cal().add_business_duration(bog(2026, 3, 24, 10, 0), TimeDelta::hours(50)));
    let update = reopened.update.unwrap();
    assert_eq!((update.started_at, update.state), (bog(2026, 3, 24, 10, 0), SlaState::Ok));
}

#[test]
fn resolving_late_is_a_breach_and_on_time_is_met() {
    let opened = bog(2026, 3, 2, 9, 0);
    let history = |resolved_at| [(opened, Status::New), (opened, Status::Open), (resolved_at, Status::Resolved)];
    // High: 20 business hours = Monday 9 h + Tuesday 10 h + Wednesday 1 h: Wednesday 09:00.
    let on_time = timeline(&history(bog(2026, 3, 4, 9, 0)), Some(opened), None);
    let report = eval(Priority::High, &on_time, bog(2026, 3, 9, 9, 0));
    assert_eq!((report.resolution.state, report.resolution.due), (SlaState::Met, bog(2026, 3, 4, 9, 0)));
    let late = timeline(&history(bog(2026, 3, 4, 9, 1)), Some(opened), None);
    let report = eval(Priority::High, &late, bog(2026, 3, 9, 9, 0));
    assert_eq!(report.resolution.state, SlaState::Breached);
    assert_eq!(report.resolution.elapsed, TimeDelta::minutes(20 * 60 + 1));
}

#[test]
fn a_business_target_reached_at_closing_time_and_answered_next_morning_is_breached() {
    // High, 4 business hours from Friday 14:00: due 18:00; answered Monday 08:00 with exactly
    // 4 business hours elapsed, but the deadline passed while the ticket was active.
    let opened = bog(2026, 3, 6, 14, 0);
    let t = timeline(&[(opened, Status::New)], Some(bog(2026, 3, 9, 8, 0)), None);
    let fr = eval(Priority::High, &t, bog(2026, 3, 9, 9, 0)).first_response;
    assert_eq!((fr.due, fr.elapsed, fr.state), (bog(2026, 3, 6, 18, 0), TimeDelta::hours(4), SlaState::Breached));
    // Saturday, still unanswered: breached, with no business time left to spend.
    let t = timeline(&[(opened, Status::New)], None, None);
    let fr = eval(Priority::High, &t, bog(2026, 3, 7, 10, 0)).first_response;
    assert_eq!((fr.state, fr.time_left), (SlaState::Breached, TimeDelta::zero()));
}

#[test]
fn a_target_reached_as_the_wait_starts_and_answered_during_it_is_met() {
    let opened = bog(2026, 3, 2, 9, 0);
    let t = timeline(
        &[(opened, Status::New), (bog(2026, 3, 2, 13, 0), Status::WaitingOnClient)],
        Some(bog(2026, 3, 3, 10, 0)),
        None,
    );
    let fr = eval(Priority::High, &t, bog(2026, 3, 3, 11, 0)).first_response;
    assert_eq!((fr.elapsed, fr.state), (TimeDelta::hours(4), SlaState::Met));
}

#[test]
fn a_closed_ticket_stops_every_clock() {
    let opened = bog(2026, 3, 2, 9, 0);
    let t = timeline(&[(opened, Status::New), (bog(2026, 3, 2, 10, 0), Status::Closed)], None, None);
    let report = eval(Priority::Normal, &t, bog(2026, 3, 20, 9, 0));
    assert!(report.paused);
    assert_eq!(report.first_response.elapsed, TimeDelta::hours(1));
    assert_eq!(report.first_response.state, SlaState::Ok);
    assert_eq!(report.resolution.state, SlaState::Met);
}

#[test]
fn pausing_statuses_and_warning_threshold_are_configurable() {
    let opened = bog(2026, 3, 2, 9, 0);
    let t = timeline(&[(opened, Status::New), (bog(2026, 3, 2, 10, 0), Status::WaitingOnClient)], None, None);
    let mut strict = rules(Priority::High);
    strict.pausing.clear();
    strict.warning_percent = 50;
    let fr = strict.evaluate(&t, &cal(), bog(2026, 3, 2, 11, 0)).unwrap().first_response;
    assert_eq!((fr.elapsed, fr.state), (TimeDelta::hours(2), SlaState::Warning));
    let fr = eval(Priority::High, &t, bog(2026, 3, 2, 11, 0)).first_response;
    assert_eq!((fr.elapsed, fr.state), (TimeDelta::hours(1), SlaState::Ok));
}

#[test]
fn bad_histories_are_refused_and_the_future_is_ignored() {
    let opened = bog(2026, 3, 2, 9, 0);
    let empty = timeline(&[], None, None);
    assert_eq!(rules(Priority::Low).evaluate(&empty, &cal(), opened), Err(SlaError::NoHistory));
    let future = timeline(&[(opened, Status::New)], None, None);
    assert_eq!(rules(Priority::Low).evaluate(&future, &cal(), opened - TimeDelta::hours(1)), Err(SlaError::NoHistory));
    let swapped = timeline(&[(opened, Status::New), (opened - TimeDelta::minutes(1), Status::Open)], None, None);
    assert_eq!(rules(Priority::Low).evaluate(&swapped, &cal(), opened), Err(SlaError::OutOfOrder { index: 1 }));
    // A reply and a resolution after `now` are not seen yet.
    let t = timeline(
        &[(opened, Status::New), (bog(2026, 3, 2, 12, 0), Status::Resolved)],
        Some(bog(2026, 3, 2, 12, 0)),
        None,
    );
    let report = eval(Priority::Low, &t, bog(2026, 3, 2, 11, 0));
    assert_eq!((report.first_response.met_at, report.resolution.met_at, report.update), (None, None, None));
}

// ---- properties -----------------------------------------------------------------------------

fn status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

/// Random histories over about two weeks of March 2026, in steps of whole minutes.
fn history() -> impl Strategy<Value = Vec<(i64, Status)>> {
    prop::collection::vec((0i64..(14 * 24 * 60), status()), 1..8).prop_map(|mut v| {
        v.sort_by_key(|(m, _)| *m);
        v
    })
}

fn build(raw: &[(i64, Status)]) -> Vec<(DateTime<Utc>, Status)> {
    let base = bog(2026, 3, 2, 0, 0);
    raw.iter().map(|&(m, s)| (base + TimeDelta::minutes(m), s)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn elapsed_is_active_business_time_and_never_decreases(raw in history(), later in 0i64..(3 * 24 * 60), p in 0usize..4) {
        let priority = Priority::ALL[p];
        let history = build(&raw);
        let t = timeline(&history, None, None);
        let now = bog(2026, 3, 16, 0, 0);
        let rules = rules(priority);
        let a = rules.evaluate(&t, &cal(), now).unwrap();
        let b = rules.evaluate(&t, &cal(), now + TimeDelta::minutes(later)).unwrap();
        prop_assert!(b.first_response.elapsed >= a.first_response.elapsed);
        // Elapsed equals the sum of the clock's time over active stretches, computed here
        // stretch by stretch without the SLA module.
        let cal = cal();
        let mut expected = TimeDelta::zero();
        for (i, &(at, status)) in history.iter().enumerate() {
            let until = history.get(i + 1).map_or(now, |n| n.0);
            if rules.is_running(status) {
                expected += match rules.target.clock {
                    SlaClock::Calendar => until - at,
                    SlaClock::Business => cal.business_duration_between(at, until),
                };
            }
        }
        prop_assert_eq!(a.first_response.elapsed, expected);
        prop_assert_eq!(a.first_response.time_left, a.first_response.target - expected);
    }

    #[test]
    fn an_uninterrupted_ticket_is_due_target_after_opening(start in 0i64..(14 * 24 * 60), p in 0usize..4, now_after in 0i64..(20 * 24 * 60)) {
        let priority = Priority::ALL[p];
        let opened = bog(2026, 3, 2, 0, 0) + TimeDelta::minutes(start);
        let t = timeline(&[(opened, Status::Open)], None, None);
        let rules = rules(priority);
        let cal = cal();
        let now = opened + TimeDelta::minutes(now_after);
        let report = rules.evaluate(&t, &cal, now).unwrap();
        let target = rules.span(rules.target.resolution, &cal);
        let due = match rules.target.clock {
            SlaClock::Calendar => opened + target,
            SlaClock::Business => cal.add_business_duration(opened, target),
        };
        prop_assert_eq!(report.resolution.due, due);
        prop_assert_eq!(report.resolution.state == SlaState::Breached, now > due);
    }
}
