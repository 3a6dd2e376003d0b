//! The one place incidents open, continue and end, for monitors and external alerts alike.
//! Each step runs inside the caller's transaction, together with the ticket change and its
//! history, so a crash never leaves an incident without its ticket or the other way round.

use std::sync::Arc;

use alcance_domain::model::{EventKind, Id, Ticket};
use alcance_domain::policy::Policy;
use alcance_domain::ticket::{Channel, Priority, Status};
use alcance_store::Conn;
use alcance_store::repo::contracts;
use alcance_store::repo::incidents::{self, MonitoringTerms, NewIncident};
use alcance_store::repo::tickets::{self, NewTicket};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::history::Event;
use crate::mail_templates::TicketMail;
use crate::sla::SlaBook;
use crate::{App, AppError, Settings};

/// What opening a ticket needs from outside the transaction: the organisation's policy,
/// the SLA book and the settings.
pub(crate) struct IncidentContext {
    pub policy_id: Id,
    pub policy: Arc<Policy>,
    pub book: Arc<SlaBook>,
    pub settings: Arc<Settings>,
}

impl IncidentContext {
    pub(crate) async fn load(app: &App, organization_id: Id) -> Result<Self, AppError> {
        let contract =
            app.store.read(move |c| Box::pin(async move { contracts::active_for(c, organization_id).await })).await?;
        let policy_id = contract.map_or(app.policies.default_id(), |c| c.policy_id);
        Ok(Self {
            policy_id,
            policy: app.policies.get(&app.store, policy_id).await?,
            book: crate::sla::book_for_change(app).await?,
            settings: app.settings.clone(),
        })
    }
}

/// A problem as reported by a monitor or an alert.
pub(crate) struct Problem<'a> {
    pub organization_id: Id,
    /// "monitor", "alertmanager", "checkmk", "webhook".
    pub source: &'a str,
    pub key: &'a str,
    pub monitor_id: Option<Id>,
    pub asset_id: Option<Id>,
    /// Who the ticket is opened in the name of: the monitor's or the token's creator.
    pub requester_id: Id,
    pub subject: &'a str,
    pub body: &'a str,
    pub category: &'a str,
    pub priority: Priority,
    /// The finding's stable code; a change of code (or threshold) is news for the history.
    pub code: &'a str,
    pub threshold: Option<i64>,
    pub details: Value,
    /// Record every report in the history (discrete alerts from external tools), not only
    /// news (a monitor failing every minute would flood it).
    pub every_report: bool,
}

/// What a report did.
#[derive(Debug, Clone, PartialEq)]
pub enum Reported {
    /// A new incident and its ticket.
    Opened { ticket_number: i64 },
    /// The open incident's ticket got the news (or just a count, when nothing changed).
    Continued { ticket_number: i64, news: bool },
    /// A recovery ended the incident; `resolved` says whether its ticket was resolved too.
    Recovered { ticket_number: i64, resolved: bool },
    /// A recovery with no open incident.
    NothingOpen,
}

pub(crate) async fn report_problem(
    c: &mut dyn Conn,
    ctx: &IncidentContext,
    p: &Problem<'_>,
    now: DateTime<Utc>,
) -> Result<Reported, AppError> {
    if let Some(incident) = incidents::open_for_key(c, p.organization_id, p.key).await? {
        let mut ticket = tickets::by_id(c, incident.ticket_id).await?.ok_or(AppError::NotFound)?;
        if ticket.status != Status::Closed {
            let news = incident.last_code != p.code || incident.last_threshold != p.threshold;
            incidents::seen_again(c, incident.id, p.code, p.threshold, now).await?;
            let reopen = ticket.status == Status::Resolved;
            if news || reopen || p.every_report {
                alert_event(p).record(c, ticket.id, None, now).await?;
            }
            let unchanged = ticket.clone();
            if reopen {
                crate::tickets::set_status(c, &mut ticket, None, Status::Open, Some(p.subject.to_owned()), now).await?;
            }
            // A certificate closer to expiry is more urgent than when its ticket opened.
            if news && p.priority < ticket.priority {
                Event::change(EventKind::PriorityChanged, ticket.priority, p.priority)
                    .record(c, ticket.id, None, now)
                    .await?;
                ticket.priority = p.priority;
            }
            if ticket != unchanged {
                ticket.updated_at = now;
                tickets::update(c, &ticket).await?;
                crate::sla::refresh(c, &ctx.book, ticket.id, now).await?;
            }
            return Ok(Reported::Continued { ticket_number: ticket.number, news: news || reopen });
        }
        // Someone closed the ticket while the problem went on: that incident is over, and
        // this report starts a new one.
        incidents::resolve(c, incident.id, now).await?;
    }
    let ticket = open_ticket(c, ctx, p, now).await?;
    let new = NewIncident {
        organization_id: p.organization_id,
        source: p.source,
        incident_key: p.key,
        monitor_id: p.monitor_id,
        ticket_id: ticket.id,
        title: p.subject,
        code: p.code,
        threshold: p.threshold,
    };
    incidents::insert(c, new, now).await?;
    Ok(Reported::Opened { ticket_number: ticket.number })
}

fn alert_event(p: &Problem<'_>) -> Event {
    Event::new(EventKind::MonitorAlert).after(json!({
        "source": p.source,
        "code": p.code,
        "summary": p.subject,
        "details": p.details,
    }))
}

/// A covered ticket on the monitor channel, classified under the organisation's policy.
async fn open_ticket(
    c: &mut dyn Conn,
    ctx: &IncidentContext,
    p: &Problem<'_>,
    now: DateTime<Utc>,
) -> Result<Ticket, AppError> {
    let new = NewTicket {
        organization_id: p.organization_id,
        requester_id: p.requester_id,
        asset_id: p.asset_id,
        subject: p.subject,
        body: p.body,
        channel: Channel::Monitor,
        priority: p.priority,
    };
    let mut ticket = tickets::insert(c, new, now).await?;
    let after = json!({"status": ticket.status, "priority": ticket.priority, "channel": Channel::Monitor, "coverage": ticket.coverage});
    Event::new(EventKind::Created).after(after).record(c, ticket.id, None, now).await?;
    alert_event(p).record(c, ticket.id, None, now).await?;
    let category = Some(p.category.to_owned());
    crate::tickets::classify(c, &mut ticket, None, category, None, None, ctx.policy_id, &ctx.policy, now).await?;
    tickets::update(c, &ticket).await?;
    crate::sla::refresh(c, &ctx.book, ticket.id, now).await?;
    // The person the monitor belongs to hears of it, like any requester.
    crate::mailer::notify_ticket_event(c, &ctx.settings, &ticket, TicketMail::Acknowledged, None, now).await?;
    Ok(ticket)
}

/// The problem of `key` is over: the incident ends, and its ticket is resolved when the
/// contract says so and nobody has moved it past that already.
pub(crate) async fn report_recovery(
    c: &mut dyn Conn,
    ctx: &IncidentContext,
    organization_id: Id,
    key: &str,
    details: Value,
    now: DateTime<Utc>,
) -> Result<Reported, AppError> {
    let Some(incident) = incidents::open_for_key(c, organization_id, key).await? else {
        return Ok(Reported::NothingOpen);
    };
    incidents::resolve(c, incident.id, now).await?;
    let mut ticket = tickets::by_id(c, incident.ticket_id).await?.ok_or(AppError::NotFound)?;
    if ticket.status == Status::Closed {
        return Ok(Reported::Recovered { ticket_number: ticket.number, resolved: false });
    }
    Event::new(EventKind::MonitorRecovered)
        .after(json!({"source": incident.source, "details": details}))
        .record(c, ticket.id, None, now)
        .await?;
    let terms = terms_for(c, organization_id).await?;
    let resolvable = matches!(ticket.status, Status::New | Status::Open | Status::InProgress | Status::WaitingOnClient);
    let resolved = terms.resolve_on_recovery && resolvable;
    if resolved {
        crate::tickets::set_status(c, &mut ticket, None, Status::Resolved, None, now).await?;
        ticket.updated_at = now;
        tickets::update(c, &ticket).await?;
        crate::sla::refresh(c, &ctx.book, ticket.id, now).await?;
        let mail = TicketMail::StatusChanged { to: Status::Resolved };
        crate::mailer::notify_ticket_event(c, &ctx.settings, &ticket, mail, None, now).await?;
    } else {
        tickets::touch(c, ticket.id, now).await?;
    }
    Ok(Reported::Recovered { ticket_number: ticket.number, resolved })
}

/// The monitoring terms of the organisation's active contract (defaults without one).
pub(crate) async fn terms_for(c: &mut dyn Conn, organization_id: Id) -> Result<MonitoringTerms, AppError> {
    Ok(match contracts::active_for(c, organization_id).await? {
        Some(contract) => incidents::terms(c, contract.id).await?,
        None => MonitoringTerms::default(),
    })
}
