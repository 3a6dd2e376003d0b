//! The periodic SLA check: warnings and breaches, announced once each.

use std::collections::HashMap;

use alcance_domain::Role;
use alcance_domain::model::{EventKind, Id, User};
use alcance_domain::sla::{SlaMeasure, SlaMetric};
use alcance_store::Conn;
use alcance_store::repo::sla::{self as repo, Scope, SlaTicket};
use alcance_store::repo::{hours, users, web};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::json;

use super::{Inputs, SlaBook, SlaRow};
use crate::history::Event;
use crate::{App, AppError, Settings};

/// A warning or breach to announce (once).
struct Notice {
    ticket: SlaTicket,
    measure: SlaMeasure,
    breached: bool,
    time_zone: Tz,
}

impl Notice {
    fn key(&self) -> String {
        let level = if self.breached { "breached" } else { "warning" };
        format!(
            "sla:{}:{}:{level}:{}",
            self.ticket.id,
            self.measure.metric.as_str(),
            self.measure.due.timestamp_millis()
        )
    }
}

/// Tickets recomputed per read and per write transaction: the writer is never held long.
const BATCH: i64 = 200;

/// The periodic SLA check. It looks only at
/// * tickets changed since its last look by a use case that does not recompute the clock
///   (and, on this process's first run, every ticket whose row is missing or stale), and
/// * rows whose `check_at` has come: a target reached its warning threshold or due instant,
///   a warning or breach waits to be announced, or the calendar changed,
///
/// in batches of [`BATCH`]. For each target at its warning threshold (while the clock runs)
/// or breached and not met it writes one `sla_warning` / `sla_breached` history event and
/// e-mails the assignee and the active admins, once per target and due instant; it writes a
/// row only when it changed. Gives how many warnings and breaches it sent.
///
/// The inputs are read first and each batch written in one transaction afterwards; a row a
/// use case wrote meanwhile is newer and is kept (see `repo::sla::upsert_if_newer`).
pub async fn check_all(app: &App) -> Result<usize, AppError> {
    // Read afresh: another process may have changed a calendar within the cache's minute.
    let book = app.sla.fresh(app).await?;
    let now = app.now();
    let mut sent = 0;

    let since = app.sla.stale_since(now);
    let mut after = None;
    loop {
        let stale = app.store.read(move |c| Box::pin(async move { repo::stale(c, since, after, BATCH).await })).await?;
        let Some(&(last, _)) = stale.last() else { break };
        let full = stale.len() as i64 == BATCH;
        sent += check_batch(app, &book, stale.into_iter().map(|(_, id)| id).collect(), now).await?;
        after = Some(last);
        if !full {
            break;
        }
    }
    app.sla.scanned(now);

    let mut cursor = None;
    loop {
        let due =
            app.store.read(move |c| Box::pin(async move { repo::due_for_check(c, now, cursor, BATCH).await })).await?;
        let Some(&last) = due.last() else { break };
        let full = due.len() as i64 == BATCH;
        sent += check_batch(app, &book, due.into_iter().map(|(_, id)| id).collect(), now).await?;
        cursor = Some(last);
        if !full {
            break;
        }
    }
    Ok(sent)
}

/// Recomputes the clocks of `ids`, writes the rows that changed and sends what is due.
async fn check_batch(app: &App, book: &SlaBook, ids: Vec<Id>, now: DateTime<Utc>) -> Result<usize, AppError> {
    let (inputs, stored) = app
        .store
        .read(move |c| {
            Box::pin(async move {
                let inputs = Inputs::read(c, Scope::Ids(&ids)).await?;
                Ok::<_, AppError>((inputs, repo::for_tickets(c, &ids).await?))
            })
        })
        .await?;
    let stored: HashMap<Id, SlaRow> = stored.into_iter().map(|r| (r.ticket_id, r)).collect();
    let mut rows = Vec::new();
    let mut notices = Vec::new();
    for (ticket, clock) in inputs.clocks(book, now) {
        let row = clock.row(ticket.id, now, true);
        let same = stored.get(&ticket.id).is_some_and(|s| SlaRow { computed_at: now, ..s.clone() } == row);
        if !same {
            rows.push(row);
        }
        let time_zone = book.calendar(inputs.contracts.get(&ticket.organization_id)).time_zone();
        for (m, breached) in clock.announceable() {
            notices.push(Notice { ticket: ticket.clone(), measure: *m, breached, time_zone });
        }
    }
    if rows.is_empty() && notices.is_empty() {
        return Ok(0);
    }
    let settings = app.settings.clone();
    app.store
        .write(move |c| {
            Box::pin(async move {
                for row in &rows {
                    repo::upsert_if_newer(c, row).await?;
                }
                let mut sent = 0;
                let mut admins: Option<Vec<User>> = None;
                for notice in &notices {
                    if !hours::notice_once(c, &notice.key(), now).await? {
                        continue;
                    }
                    if admins.is_none() {
                        let staff = users::staff(c).await?;
                        admins = Some(staff.into_iter().filter(|u| u.role == Role::Admin).collect());
                    }
                    announce(c, notice, admins.as_deref().unwrap_or_default(), &settings, now).await?;
                    sent += 1;
                }
                Ok::<_, AppError>(sent)
            })
        })
        .await
}

/// The history event and the e-mails of one warning or breach.
async fn announce(
    c: &mut dyn Conn,
    notice: &Notice,
    admins: &[User],
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (t, m) = (&notice.ticket, &notice.measure);
    let kind = if notice.breached { EventKind::SlaBreached } else { EventKind::SlaWarning };
    let after = json!({"metric": m.metric, "due": m.due.to_rfc3339(), "percent": m.percent});
    Event::new(kind).after(after).internal(true).record(c, t.id, None, now).await?;
    let mut to: Vec<User> = Vec::new();
    if let Some(id) = t.assignee_id
        && let Some(user) = users::by_id(c, id).await?.filter(|u| u.active)
    {
        to.push(user);
    }
    for admin in admins {
        if !to.iter().any(|u| u.id == admin.id) {
            to.push(admin.clone());
        }
    }
    let link = format!("{}/agent/tickets/{}", settings.public_url.trim_end_matches('/'), t.number);
    let due = m.due.with_timezone(&notice.time_zone).format("%Y-%m-%d %H:%M").to_string();
    for user in to {
        let (subject, body) = mail_text(&user.language, notice, &due, &link);
        web::enqueue_ticket_email(c, &user.email, &subject, &body, t.id, now).await?;
    }
    Ok(())
}

fn metric_name(metric: SlaMetric, en: bool) -> &'static str {
    match (metric, en) {
        (SlaMetric::FirstResponse, false) => "primera respuesta",
        (SlaMetric::Update, false) => "actualización",
        (SlaMetric::Resolution, false) => "resolución",
        (SlaMetric::FirstResponse, true) => "first response",
        (SlaMetric::Update, true) => "update",
        (SlaMetric::Resolution, true) => "resolution",
    }
}

/// Subject and body of the e-mail, in the recipient's language (Spanish unless English).
fn mail_text(language: &str, notice: &Notice, due: &str, link: &str) -> (String, String) {
    let (t, m, en) = (&notice.ticket, &notice.measure, language == "en");
    let metric = metric_name(m.metric, en);
    let tz = notice.time_zone.name();
    let (n, subject, percent) = (t.number, &t.subject, m.percent);
    match (notice.breached, en) {
        (true, false) => (
            format!("SLA incumplido: caso #{n} ({metric})"),
            format!(
                "El caso #{n} «{subject}» superó el plazo de {metric}: vencía el {due} ({tz}).\n\nVer el caso: {link}\n"
            ),
        ),
        (false, false) => (
            format!("SLA en riesgo: caso #{n} ({metric}, {percent} %)"),
            format!(
                "El caso #{n} «{subject}» lleva el {percent} % del plazo de {metric}; vence el {due} ({tz}).\n\nVer el caso: {link}\n"
            ),
        ),
        (true, true) => (
            format!("SLA breached: ticket #{n} ({metric})"),
            format!(
                "Ticket #{n} \"{subject}\" missed its {metric} target: it was due {due} ({tz}).\n\nOpen the ticket: {link}\n"
            ),
        ),
        (false, true) => (
            format!("SLA at risk: ticket #{n} ({metric}, {percent} %)"),
            format!(
                "Ticket #{n} \"{subject}\" has used {percent} % of its {metric} target; it is due {due} ({tz}).\n\nOpen the ticket: {link}\n"
            ),
        ),
    }
}
