//! SLA clocks through the use cases and pages on both backends, with a fixed clock: the
//! business calendar (weekend and a Monday holiday), pauses while waiting on the client,
//! warnings and breaches announced once, the queue's urgency order, the ticket page's SLA
//! block and the compliance report.
//!
//! Dates are November 2026 in Bogotá (UTC-5, no daylight saving): Monday 16 is a holiday
//! (Independencia de Cartagena, moved from the 11th).

use std::sync::Arc;

use alcance_app::agent_views::{self, QueueFilters};
use alcance_app::sla;
use alcance_app::tickets::{self, OpenTicket, TicketChange, TicketSort};
use alcance_domain::calendar::is_colombian_holiday;
use alcance_domain::model::EventKind;
use alcance_domain::policy::SlaSpan;
use alcance_domain::sla::SlaState;
use alcance_domain::ticket::{Channel, Priority, Status};
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::browser::Browser;
use crate::support::{At, Person, TestApp, spawn_app};

on_both_backends!(
    first_response_skips_the_weekend_and_a_monday_holiday,
    waiting_on_the_client_pauses_and_the_reply_adds_the_wait_back,
    check_all_warns_then_breaches_once_and_notifies,
    the_queue_sorts_by_urgency_and_the_ticket_shows_its_sla,
    the_compliance_report_counts_met_and_breached,
);

fn at(t: &TestApp, when: DateTime<Utc>) -> alcance_app::App {
    alcance_app::App { clock: Arc::new(At(when)), ..t.app.clone() }
}

/// A Bogotá wall time in November 2026 (UTC-5 all year).
fn bogota(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    chrono_tz::America::Bogota.with_ymd_and_hms(2026, 11, day, hour, minute, 0).unwrap().with_timezone(&Utc)
}

async fn open_at(t: &TestApp, when: DateTime<Utc>, subject: &str, priority: Option<Priority>) -> (i64, i64) {
    let input = OpenTicket {
        subject: subject.into(),
        body: "El sitio no carga".into(),
        organization: Some(t.fx.org_a.slug.clone()),
        requester: Some(t.fx.requester_a.email().to_owned()),
        asset_id: None,
        priority,
    };
    let ticket = tickets::open(&at(t, when), &t.fx.agent.actor(), input, Channel::Portal).await.unwrap();
    (ticket.id, ticket.number)
}

async fn change_at(t: &TestApp, when: DateTime<Utc>, who: &Person, number: i64, change: TicketChange) {
    tickets::change(&at(t, when), &who.actor(), number, change).await.unwrap();
}

async fn sla_events(t: &TestApp, number: i64) -> (usize, usize) {
    let detail = tickets::get(&t.app, &t.fx.admin.actor(), number).await.unwrap();
    let count = |kind| detail.events.iter().filter(|e| e.kind == kind).count();
    (count(EventKind::SlaWarning), count(EventKind::SlaBreached))
}

/// The outbox's (recipient, subject) pairs that name ticket `number`.
async fn mails_about(t: &TestApp, number: i64) -> Vec<(String, String)> {
    let all =
        t.app.store.read(|c| Box::pin(async move { alcance_store::repo::web::outbox(c, 500).await })).await.unwrap();
    let tag = format!("#{number} ");
    let mut found: Vec<(String, String)> =
        all.into_iter().filter(|m| m.subject.contains(&tag)).map(|m| (m.to_address, m.subject)).collect();
    found.sort();
    found
}

async fn first_response_skips_the_weekend_and_a_monday_holiday(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let monday = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    assert!(is_colombian_holiday(monday) && !is_colombian_holiday(monday.pred_opt().unwrap().pred_opt().unwrap()));
    let policy = t.app.policies.get(&t.app.store, t.app.policies.default_id()).await.unwrap();
    assert_eq!(policy.sla.normal.first_response, SlaSpan::Hours(8), "the default normal target");

    // Friday 17:00: one business hour on Friday, none on the weekend or the holiday, seven on
    // Tuesday from 08:00: due Tuesday 15:00.
    let (id, _) = open_at(&t, bogota(13, 17, 0), "Caída el viernes", None).await;
    let due = bogota(17, 15, 0);
    let clock = sla::ticket_clock(&at(&t, bogota(13, 17, 30)), &t.fx.agent.actor(), id).await.unwrap().unwrap();
    assert_eq!(clock.report.first_response.due, due);
    assert_eq!(clock.report.first_response.state, SlaState::Ok);
    assert_eq!(clock.report.first_response.time_left, chrono::TimeDelta::minutes(7 * 60 + 30));
    // The row the queue sorts by was written with the opening.
    let rows = sla::rows_for(&t.app, vec![id]).await.unwrap();
    let row = &rows[&id];
    assert_eq!(row.first_response_due, Some(due));
    assert_eq!(row.urgent_at, Some(due));
    assert_eq!(row.state, "ok");
}

async fn waiting_on_the_client_pauses_and_the_reply_adds_the_wait_back(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let (id, n) = open_at(&t, bogota(17, 9, 0), "Formulario roto", None).await;
    let classify = TicketChange { category: Some("bug_fix".into()), ..TicketChange::default() };
    change_at(&t, bogota(17, 9, 30), &t.fx.agent, n, classify).await;
    let wait = TicketChange { status: Some(Status::WaitingOnClient), ..TicketChange::default() };
    change_at(&t, bogota(17, 10, 0), &t.fx.agent, n, wait).await;

    // Paused: nothing runs, so the ticket has no urgency, and time left stays at 7 h.
    let paused = sla::ticket_clock(&at(&t, bogota(17, 12, 0)), &t.fx.agent.actor(), id).await.unwrap().unwrap();
    assert!(paused.report.paused);
    assert_eq!(paused.report.first_response.time_left, chrono::TimeDelta::hours(7));
    let row = &sla::rows_for(&t.app, vec![id]).await.unwrap()[&id];
    assert_eq!(row.urgent_at, None, "a paused ticket is not urgent");

    // The client replies at 13:00: three hours of waiting are added. 7 h left from 13:00:
    // five today, two on Wednesday from 08:00: due Wednesday 10:00 (not Tuesday 17:00).
    tickets::comment(&at(&t, bogota(17, 13, 0)), &t.fx.requester_a.actor(), n, "Ya lo probé", false).await.unwrap();
    let running = sla::ticket_clock(&at(&t, bogota(17, 13, 0)), &t.fx.agent.actor(), id).await.unwrap().unwrap();
    assert!(!running.report.paused);
    assert_eq!(running.report.first_response.due, bogota(18, 10, 0));
    let row = &sla::rows_for(&t.app, vec![id]).await.unwrap()[&id];
    assert_eq!(row.urgent_at, Some(bogota(18, 10, 0)));
}

async fn check_all_warns_then_breaches_once_and_notifies(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let (_, n) = open_at(&t, bogota(17, 8, 0), "Sin respuesta", None).await;
    let assign = TicketChange { assignee: Some(Some(t.fx.agent.id())), ..TicketChange::default() };
    change_at(&t, bogota(17, 8, 0), &t.fx.admin, n, assign).await;

    // 6 h 24 min of 8 h: 80 %.
    assert_eq!(sla::check_all(&at(&t, bogota(17, 14, 23))).await.unwrap(), 0, "79 % is no warning");
    assert_eq!(sla_events(&t, n).await, (0, 0));
    assert_eq!(sla::check_all(&at(&t, bogota(17, 14, 24))).await.unwrap(), 1);
    assert_eq!(sla_events(&t, n).await, (1, 0));
    let mut expected = vec![t.fx.admin.email().to_owned(), t.fx.agent.email().to_owned()];
    expected.sort();
    let mails = mails_about(&t, n).await;
    assert_eq!(mails.iter().map(|m| m.0.clone()).collect::<Vec<_>>(), expected, "{mails:?}");
    assert!(mails.iter().all(|m| m.1.starts_with("SLA en riesgo")), "{mails:?}");
    assert_eq!(sla::check_all(&at(&t, bogota(17, 15, 0))).await.unwrap(), 0, "warned once");
    assert_eq!(sla_events(&t, n).await, (1, 0));

    // Due 16:00; one minute later it is breached, announced once.
    assert_eq!(sla::check_all(&at(&t, bogota(17, 16, 1))).await.unwrap(), 1);
    assert_eq!(sla_events(&t, n).await, (1, 1));
    assert_eq!(sla::check_all(&at(&t, bogota(17, 16, 30))).await.unwrap(), 0);
    assert_eq!(sla::check_all(&at(&t, bogota(18, 9, 0))).await.unwrap(), 0);
    assert_eq!(sla_events(&t, n).await, (1, 1));
    let mails = mails_about(&t, n).await;
    assert_eq!(mails.len(), 4, "{mails:?}");
    assert_eq!(mails.iter().filter(|m| m.1.starts_with("SLA incumplido")).count(), 2, "{mails:?}");
    let detail = tickets::get(&t.app, &t.fx.admin.actor(), n).await.unwrap();
    let breach = detail.events.iter().find(|e| e.kind == EventKind::SlaBreached).unwrap();
    assert!(breach.internal, "clients do not see SLA events");
    assert!(breach.after.as_deref().unwrap().contains("first_response"));
    let row = &sla::rows_for(&t.app, vec![detail.ticket.id]).await.unwrap()[&detail.ticket.id];
    assert_eq!(row.state, "breached");
}

async fn the_queue_sorts_by_urgency_and_the_ticket_shows_its_sla(backend: TestBackend) {
    let t = spawn_app(backend).await;
    // Normal at 08:00 is due 16:00; high at 09:00 (4 h) is due 13:00: the later one first.
    let (_, normal) = open_at(&t, bogota(17, 8, 0), "Normal", None).await;
    let (_, high) = open_at(&t, bogota(17, 9, 0), "Alta", Some(Priority::High)).await;
    let filters = QueueFilters { sort: TicketSort::Urgency, ..QueueFilters::default() };
    let queue = agent_views::queue(&t.app, &t.fx.agent.actor(), &filters, "es").await.unwrap();
    let numbers: Vec<i64> = queue.rows.iter().map(|r| r.ticket.number).collect();
    assert_eq!(numbers[..2], [high, normal], "{numbers:?}");
    assert_eq!(queue.rows[0].sla.as_ref().unwrap().urgent_at, Some(bogota(17, 13, 0)));

    let b = Browser::sign_in(&t, t.fx.agent.email()).await;
    let html = b.get("/agent?sort=urgency").await.ok().to_owned();
    let first = html.split("<tr data-queue-row>").nth(1).unwrap();
    assert!(first.contains(&format!("/agent/tickets/{high}\"")), "{first}");
    // The badge shows the row as last computed (at the fixed clock's 09:00): on track.
    assert!(first.contains("data-sla-state=\"ok\"") && first.contains("En plazo"), "{first}");
    assert!(html.contains("data-sort=\"urgency\""));

    let page = b.get(&format!("/agent/tickets/{normal}")).await.ok().to_owned();
    assert!(page.contains("id=\"sla-heading\""), "the SLA block");
    // The page computes the clock live, by the server's real clock: long past due.
    for text in ["Primera respuesta", "Resolución", "Vence:", "Incumplido", "Vencido hace"] {
        assert!(page.contains(text), "{text} missing");
    }
}

async fn the_compliance_report_counts_met_and_breached(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let (_, answered) = open_at(&t, bogota(17, 8, 0), "Respondido", None).await;
    let (_, forgotten) = open_at(&t, bogota(17, 8, 0), "Olvidado", None).await;
    tickets::comment(&at(&t, bogota(17, 9, 0)), &t.fx.agent.actor(), answered, "Lo revisamos", false).await.unwrap();
    // An internal note is no response.
    tickets::comment(&at(&t, bogota(17, 9, 0)), &t.fx.agent.actor(), forgotten, "Pendiente", true).await.unwrap();

    let since = bogota(1, 0, 0);
    let lines = sla::compliance(&at(&t, bogota(20, 12, 0)), &t.fx.admin.actor(), since).await.unwrap();
    let line = lines
        .iter()
        .find(|l| l.month == "2026-11" && l.priority == Some(Priority::Normal) && l.organization == t.fx.org_a.name)
        .unwrap();
    // The fixtures' tickets were opened now by the real clock: after the report's instant.
    assert_eq!(line.tickets, 2, "{lines:?}");
    assert_eq!((line.first_response.met, line.first_response.breached), (1, 1));
    assert_eq!(line.first_response.met_percent(), Some(50));
    // 5 business days from Tuesday 08:00 are due next Tuesday 08:00: still running Friday.
    assert_eq!((line.resolution.met, line.resolution.breached, line.resolution.running), (0, 0, 2));
    assert!(matches!(
        sla::compliance(&t.app, &t.fx.requester_a.actor(), since).await,
        Err(alcance_app::AppError::NotFound)
    ));

    let b = Browser::sign_in(&t, t.fx.agent.email()).await;
    let html = b.get("/agent/sla").await.ok().to_owned();
    // By the real clock the fixtures' tickets count too: the counts are checked above.
    assert!(html.contains("data-sla-line=\"2026-11:normal\"") && html.contains("data-first-met>"), "{html}");
    let contact = Browser::sign_in(&t, t.fx.requester_a.email()).await;
    assert_eq!(contact.get("/agent/sla").await.status, 404);
}
