//! SLA clocks through the use cases and pages on both backends, with a fixed clock: the
//! business calendar (weekend and a Monday holiday), a contract's own working hours, pauses
//! while waiting on the client, warnings and breaches announced once, the queue's urgency
//! order, the ticket page's SLA block and the compliance report.
//!
//! Dates are November 2026 in Bogotá (UTC-5, no daylight saving): Monday 16 is a holiday
//! (Independencia de Cartagena, moved from the 11th).

use std::sync::Arc;

use alcance_app::agent_views::{self, QueueFilters};
use alcance_app::tickets::{self, OpenTicket, TicketChange, TicketSort};
use alcance_app::{directory, sla};
use alcance_domain::calendar::is_colombian_holiday;
use alcance_domain::model::EventKind;
use alcance_domain::policy::SlaSpan;
use alcance_domain::sla::SlaState;
use alcance_domain::ticket::{Channel, Priority, Status};
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::browser::Browser;
use crate::support::{At, Person, Req, TestApp, spawn_app};

on_both_backends!(
    first_response_skips_the_weekend_and_a_monday_holiday,
    a_contract_with_saturday_hours_is_due_on_saturday,
    the_contract_api_reads_and_sets_working_hours,
    waiting_on_the_client_pauses_and_the_reply_adds_the_wait_back,
    check_all_warns_then_breaches_once_and_notifies,
    check_all_catches_changes_made_elsewhere_and_writes_only_changes,
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

async fn a_contract_with_saturday_hours_is_due_on_saturday(backend: TestBackend) {
    let t = spawn_app(backend).await;
    // High priority: first response in 4 business hours. Opened Friday 20 at 17:00 on the
    // default week: one hour on Friday, three on Monday 23 from 08:00: due Monday 11:00.
    let (before, _) = open_at(&t, bogota(20, 17, 0), "Caída el viernes", Some(Priority::High)).await;
    let agent = t.fx.agent.actor();
    let clock = sla::ticket_clock(&at(&t, bogota(20, 17, 0)), &agent, before).await.unwrap().unwrap();
    assert_eq!(clock.report.first_response.due, bogota(23, 11, 0));

    // The admin gives the contract Saturday mornings (typed in English, stored canonical).
    let (admin, contract) = (t.fx.admin.actor(), t.fx.contract_a.id);
    let text = "Mon-Fri 08:00-18:00; sat 08:00-12:00";
    let set = directory::set_working_hours(&at(&t, bogota(20, 17, 5)), &admin, contract, text).await.unwrap();
    assert_eq!(set.as_deref(), Some("lun-vie 08:00-18:00; sáb 08:00-12:00"));
    // One hour on Friday, three on Saturday from 08:00: due Saturday 21 at 11:00.
    let (after, _) = open_at(&t, bogota(20, 17, 0), "Caída el viernes, otra", Some(Priority::High)).await;
    let saturday = bogota(21, 11, 0);
    let clock = sla::ticket_clock(&at(&t, bogota(20, 17, 10)), &agent, after).await.unwrap().unwrap();
    assert_eq!(clock.report.first_response.due, saturday);
    assert_eq!(sla::rows_for(&t.app, vec![after]).await.unwrap()[&after].urgent_at, Some(saturday));
    // The ticket opened before the change follows the new hours too: live at once, and in
    // the queue's row once the periodic check has recomputed it.
    let clock = sla::ticket_clock(&at(&t, bogota(20, 17, 10)), &agent, before).await.unwrap().unwrap();
    assert_eq!(clock.report.first_response.due, saturday);
    assert_eq!(sla::rows_for(&t.app, vec![before]).await.unwrap()[&before].urgent_at, Some(bogota(23, 11, 0)));
    sla::check_all(&at(&t, bogota(20, 17, 10))).await.unwrap();
    assert_eq!(sla::rows_for(&t.app, vec![before]).await.unwrap()[&before].urgent_at, Some(saturday));

    // Another organisation's contract keeps the default week.
    let other = open_other_org(&t, bogota(20, 17, 0)).await;
    let clock = sla::ticket_clock(&at(&t, bogota(20, 17, 10)), &agent, other).await.unwrap().unwrap();
    assert_eq!(clock.report.first_response.due, bogota(23, 11, 0));

    // Cleared, the contract is back on the default week.
    let cleared = directory::set_working_hours(&at(&t, bogota(20, 17, 20)), &admin, contract, " ").await;
    assert_eq!(cleared.unwrap(), None);
    let clock = sla::ticket_clock(&at(&t, bogota(20, 17, 20)), &agent, after).await.unwrap().unwrap();
    assert_eq!(clock.report.first_response.due, bogota(23, 11, 0));
    // Refused: a bad text names the field, and only an admin may set hours.
    let bad = directory::set_working_hours(&t.app, &admin, contract, "lun-vie 08:00-18:00; feriados 9:00-12:00").await;
    let named = |f: &alcance_domain::FieldError| f.field == "working_hours" && f.detail.as_deref() == Some("feriados");
    assert!(matches!(&bad, Err(alcance_app::AppError::Invalid(f)) if named(f)), "{bad:?}");
    assert!(directory::set_working_hours(&t.app, &agent, contract, "lun-sáb 08:00-18:00").await.is_err());
    let hours = directory::working_hours_of(&t.app, std::slice::from_ref(&t.fx.contract_a)).await.unwrap();
    assert!(hours.is_empty(), "refused texts changed nothing: {hours:?}");
}

async fn the_contract_api_reads_and_sets_working_hours(backend: TestBackend) {
    use reqwest::Method;
    use serde_json::json;
    let t = spawn_app(backend).await;
    let path = format!("/api/v1/contracts/{}", t.fx.contract_a.id);
    let (admin, agent) = (Some(t.fx.admin.token.as_str()), Some(t.fx.agent.token.as_str()));
    let get = t.send(Method::GET, &path, Req { token: admin, ..Req::default() }).await.expect(200);
    assert_eq!(get["working_hours"], serde_json::Value::Null, "the default week");

    let set = |token, body| Req { token, json: Some(body), ..Req::default() };
    let body = json!({"working_hours": "mon-fri 07:00-16:00; sat 08:00-12:00"});
    let changed = t.send(Method::PATCH, &path, set(admin, body.clone())).await.expect(200);
    assert_eq!(changed["working_hours"], "lun-vie 07:00-16:00; sáb 08:00-12:00");
    let listed = t.send(Method::GET, "/api/v1/contracts", Req { token: admin, ..Req::default() }).await.expect(200);
    let mine = listed.as_array().unwrap().iter().find(|c| c["id"] == t.fx.contract_a.id).unwrap();
    assert_eq!(mine["working_hours"], "lun-vie 07:00-16:00; sáb 08:00-12:00");
    // The contract's client sees it too; only an admin changes it.
    let own = t.send(Method::GET, &path, Req { token: Some(&t.fx.requester_a.token), ..Req::default() }).await;
    assert_eq!(own.expect(200)["working_hours"], "lun-vie 07:00-16:00; sáb 08:00-12:00");
    assert_eq!(t.send(Method::PATCH, &path, set(agent, body)).await.status, 403);

    // A bad text is a field error and changes nothing; null goes back to the default week.
    let bad = t.send(Method::PATCH, &path, set(admin, json!({"working_hours": "lun 25:00-26:00"}))).await;
    let problem = bad.expect(422);
    assert_eq!((&problem["field"], &problem["field_code"]), (&json!("working_hours"), &json!("invalid")), "{problem}");
    let get = t.send(Method::GET, &path, Req { token: admin, ..Req::default() }).await.expect(200);
    assert_eq!(get["working_hours"], "lun-vie 07:00-16:00; sáb 08:00-12:00");
    let cleared = t.send(Method::PATCH, &path, set(admin, json!({"working_hours": null}))).await.expect(200);
    assert_eq!(cleared["working_hours"], serde_json::Value::Null);

    let new = json!({"organization": t.fx.org_b.slug, "name": "Con horario", "starts_on": "2026-05-01",
        "hourly_rate_minor": 100000, "working_hours": "lunes-sábado 08:00-14:00"});
    let created = t.send(Method::POST, "/api/v1/contracts", set(admin, new)).await.expect(201);
    assert_eq!(created["working_hours"], "lun-sáb 08:00-14:00");
}

/// A high-priority ticket of organisation B (default week), opened at `when`: its id.
async fn open_other_org(t: &TestApp, when: DateTime<Utc>) -> i64 {
    let input = OpenTicket {
        subject: "Caída en B".into(),
        body: "El sitio no carga".into(),
        organization: Some(t.fx.org_b.slug.clone()),
        requester: Some(t.fx.requester_b.email().to_owned()),
        asset_id: None,
        priority: Some(Priority::High),
    };
    tickets::open(&at(t, when), &t.fx.agent.actor(), input, Channel::Portal).await.unwrap().id
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

/// Pauses or resumes ticket `id` at `when` the way a use case that does not recompute the
/// clock does (a quote, the client's decision): the status and its history event only.
async fn set_status_elsewhere(t: &TestApp, id: i64, from: Status, to: Status, when: DateTime<Utc>) {
    use alcance_store::repo::{events, tickets as repo};
    t.app
        .store
        .write(move |c| {
            Box::pin(async move {
                let event = events::NewEvent {
                    ticket_id: id,
                    actor_id: None,
                    kind: EventKind::StatusChanged,
                    internal: false,
                    before: Some(format!("\"{}\"", from.as_str())),
                    after: Some(format!("\"{}\"", to.as_str())),
                    reason: None,
                };
                events::append(c, event, when).await?;
                let mut ticket = repo::by_id(c, id).await?.unwrap();
                ticket.status = to;
                ticket.updated_at = when;
                repo::update(c, &ticket).await
            })
        })
        .await
        .unwrap();
}

async fn check_all_catches_changes_made_elsewhere_and_writes_only_changes(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let (id, n) = open_at(&t, bogota(17, 8, 0), "Cambiado en otra parte", None).await;
    let row = |t: &TestApp| {
        let app = t.app.clone();
        async move { sla::rows_for(&app, vec![id]).await.unwrap().remove(&id).unwrap() }
    };
    assert_eq!(row(&t).await.urgent_at, Some(bogota(17, 16, 0)));

    // Paused at 09:00 without recomputing: the row is stale until the next check.
    set_status_elsewhere(&t, id, Status::New, Status::WaitingOnClient, bogota(17, 9, 0)).await;
    assert_eq!(row(&t).await.urgent_at, Some(bogota(17, 16, 0)));
    sla::check_all(&at(&t, bogota(17, 9, 1))).await.unwrap();
    let paused = row(&t).await;
    assert_eq!((paused.urgent_at, paused.check_at, paused.computed_at), (None, None, bogota(17, 9, 1)));
    // Nothing changed since: the next check writes nothing.
    sla::check_all(&at(&t, bogota(17, 9, 2))).await.unwrap();
    assert_eq!(row(&t).await.computed_at, bogota(17, 9, 1), "an unchanged row is not rewritten");

    // Resumed at 10:00, elsewhere too: the hour of waiting is added back (due 17:00), and
    // the check looks again when 80 % of the 8 hours have run (6 h 24 min: 15:24).
    set_status_elsewhere(&t, id, Status::WaitingOnClient, Status::InProgress, bogota(17, 10, 0)).await;
    sla::check_all(&at(&t, bogota(17, 10, 1))).await.unwrap();
    let running = row(&t).await;
    assert_eq!((running.urgent_at, running.check_at), (Some(bogota(17, 17, 0)), Some(bogota(17, 15, 24))));
    assert_eq!(sla::check_all(&at(&t, bogota(17, 15, 23))).await.unwrap(), 0);
    assert_eq!(sla::check_all(&at(&t, bogota(17, 15, 24))).await.unwrap(), 1, "the warning, on time");
    assert_eq!(sla_events(&t, n).await, (1, 0));
    assert_eq!(row(&t).await.check_at, Some(bogota(17, 17, 0)), "next: the due instant");
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
