//! SLA clocks of tickets (policy section 4), computed with `alcance_domain::sla` from the
//! ticket's history on its contract's business calendar.
//!
//! * Targets and pausing statuses: the active contract's policy (`[sla.<priority>]`,
//!   `[sla] pausing`), else the default policy.
//! * Calendar: Monday-Friday 08:00-18:00 in the contract's time zone (America/Bogota without
//!   a contract), Colombian holidays, and the closures an admin added for that contract or for
//!   every contract (`crate::closures`). Contracts store no working hours yet, so every
//!   contract gets that week.
//! * `ticket_sla` keeps each ticket's last computed position for the queue: the use cases of
//!   `tickets.rs` recompute it in their own transaction, and [`check_all`] (every minute)
//!   recomputes every running ticket, which also catches changes made elsewhere (quotes, the
//!   client's decision, e-mail), and sends the warnings and breaches once each.
//! * The ticket page computes the clock live ([`ticket_clock`]), so it is never stale.

use std::collections::HashMap;
use std::sync::Arc;

use alcance_domain::Role;
use alcance_domain::calendar::{BusinessCalendar, HolidayRules, WeeklyHours, WorkingInterval};
use alcance_domain::model::{Contract, EventKind, Id, User};
use alcance_domain::policy::SlaTargets;
use alcance_domain::sla::{SlaMeasure, SlaMetric, SlaReport, SlaRules, SlaState, StatusChange, TicketTimeline};
use alcance_domain::ticket::{Priority, Status};
use alcance_store::Conn;
use alcance_store::repo::closures::{self as closure_repo, ClosureRow};
pub use alcance_store::repo::sla::SlaRow;
use alcance_store::repo::sla::{self as repo, Scope, SlaTicket, StatusEvent};
use alcance_store::repo::{contracts, hours, organizations, users, web};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::history::Event;
use crate::{Actor, App, AppError, Settings};

/// What one policy says about the SLA clock.
#[derive(Debug, Clone)]
struct PolicySla {
    targets: SlaTargets,
    pausing: Vec<Status>,
}

impl PolicySla {
    async fn of(app: &App, policy_id: Id) -> Result<Self, AppError> {
        let policy = app.policies.get(&app.store, policy_id).await?;
        Ok(Self { targets: policy.sla.clone(), pausing: policy.pausing.clone() })
    }
}

/// The SLA targets and pausing statuses of every policy an active contract points at and of
/// the default policy, and every calendar closure. Loaded before a transaction (policies are
/// parsed outside it).
#[derive(Debug, Clone)]
pub struct SlaBook {
    default: PolicySla,
    by_policy: HashMap<Id, PolicySla>,
    closures: Vec<ClosureRow>,
}

impl SlaBook {
    pub async fn load(app: &App) -> Result<Self, AppError> {
        let (policy_ids, closures): (Vec<Id>, Vec<ClosureRow>) = app
            .store
            .read(|c| {
                Box::pin(async move {
                    let all = contracts::list(c, None).await?;
                    let ids = all.into_iter().filter(|c| c.active).map(|c| c.policy_id).collect();
                    Ok::<_, AppError>((ids, closure_repo::list(c).await?))
                })
            })
            .await?;
        Self::with(app, policy_ids, closures).await
    }

    /// The book of the default policy, the policies `policy_ids` and the closures given.
    async fn with(app: &App, policy_ids: Vec<Id>, closures: Vec<ClosureRow>) -> Result<Self, AppError> {
        let default = PolicySla::of(app, app.policies.default_id()).await?;
        let mut by_policy = HashMap::new();
        for id in policy_ids {
            if let std::collections::hash_map::Entry::Vacant(slot) = by_policy.entry(id) {
                slot.insert(PolicySla::of(app, id).await?);
            }
        }
        Ok(Self { default, by_policy, closures })
    }

    fn policy(&self, contract: Option<&Contract>) -> &PolicySla {
        contract.and_then(|c| self.by_policy.get(&c.policy_id)).unwrap_or(&self.default)
    }

    /// The rules of a ticket's priority under its contract's policy.
    fn rules(&self, contract: Option<&Contract>, priority: Priority) -> SlaRules {
        let policy = self.policy(contract);
        let mut rules = SlaRules::for_priority(&policy.targets, priority);
        rules.pausing = policy.pausing.clone();
        rules
    }

    /// The business calendar of a contract with its closures and the global ones.
    pub fn calendar(&self, contract: Option<&Contract>) -> BusinessCalendar {
        calendar_for(contract, &self.closures)
    }
}

/// The business calendar of a contract: Monday-Friday 08:00-18:00 in its time zone with
/// Colombian holidays (America/Bogota when there is no contract or its zone is unknown),
/// closed on the `closures` of that contract and on those of every contract (no contract).
/// A ticket without a contract gets only the closures of every contract.
pub fn calendar_for(contract: Option<&Contract>, closures: &[ClosureRow]) -> BusinessCalendar {
    let tz: Option<Tz> = contract.and_then(|c| c.time_zone.parse().ok());
    let built = tz.and_then(|tz| {
        let day = WorkingInterval::new(8 * 60, 18 * 60).ok()?;
        let week = WeeklyHours::weekdays(&[day]).ok()?;
        BusinessCalendar::new(tz, week, HolidayRules::Colombia).ok()
    });
    let mut calendar = built.unwrap_or_else(BusinessCalendar::colombia_default);
    let contract_id = contract.map(|c| c.id);
    for closure in closures.iter().filter(|c| c.contract_id.is_none() || c.contract_id == contract_id) {
        // Stored closures were checked when added; one that ends before it starts is skipped.
        calendar = match calendar.clone().with_closure(closure.first_day, closure.last_day) {
            Ok(closed) => closed,
            Err(_) => calendar,
        };
    }
    calendar
}

/// The status history and agent replies of one ticket, as the domain wants them.
fn timeline(
    ticket: &SlaTicket,
    events: &[&StatusEvent],
    replies: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> TicketTimeline {
    let mut history: Vec<StatusChange> = events
        .iter()
        .filter_map(|e| {
            let after: Value = e.after.as_deref().and_then(|a| serde_json::from_str(a).ok())?;
            let status = if e.created { after.get("status")?.as_str()? } else { after.as_str()? };
            Some(StatusChange { at: e.at, status: Status::parse("status", status).ok()? })
        })
        .collect();
    if history.first().is_none_or(|first| first.at > ticket.created_at) {
        // The opening is the clock's start even if its event is missing or unreadable.
        history.insert(0, StatusChange { at: ticket.created_at, status: Status::New });
    }
    TicketTimeline {
        history,
        first_agent_reply: replies.map(|(first, _)| first),
        last_agent_update: replies.map(|(_, last)| last),
    }
}

fn evaluate(
    book: &SlaBook,
    contract: Option<&Contract>,
    ticket: &SlaTicket,
    events: &[&StatusEvent],
    replies: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Option<SlaReport> {
    let rules = book.rules(contract, ticket.priority);
    match rules.evaluate(&timeline(ticket, events, replies), &book.calendar(contract), now) {
        Ok(report) => Some(report),
        Err(e) => {
            tracing::warn!(ticket = ticket.number, error = %e, "cannot compute the SLA clock");
            None
        }
    }
}

/// The measures of a report, the update target only once it runs.
pub fn measures(report: &SlaReport) -> Vec<&SlaMeasure> {
    let mut all = vec![&report.first_response];
    all.extend(report.update.as_ref());
    all.push(&report.resolution);
    all
}

/// The stored row of a report: the earliest due of a running target, the worst state of the
/// targets not met yet.
fn row_of(ticket_id: Id, report: &SlaReport, now: DateTime<Utc>) -> SlaRow {
    let unmet: Vec<&SlaMeasure> = measures(report).into_iter().filter(|m| m.met_at.is_none()).collect();
    let urgent_at = if report.paused { None } else { unmet.iter().map(|m| m.due).min() };
    let state = if unmet.iter().any(|m| m.state == SlaState::Breached) {
        SlaState::Breached
    } else if unmet.iter().any(|m| m.state == SlaState::Warning) {
        SlaState::Warning
    } else {
        SlaState::Ok
    };
    SlaRow {
        ticket_id,
        first_response_due: Some(report.first_response.due),
        update_due: report.update.map(|m| m.due),
        resolution_due: Some(report.resolution.due),
        urgent_at,
        state: state.as_str().to_owned(),
        computed_at: now,
    }
}

/// Everything the clocks of a set of tickets are computed from, read at once.
struct Inputs {
    tickets: Vec<SlaTicket>,
    events: HashMap<Id, Vec<StatusEvent>>,
    replies: HashMap<Id, (DateTime<Utc>, DateTime<Utc>)>,
    /// The active contract of each organisation (the newest, as `contracts::active_for`).
    contracts: HashMap<Id, Contract>,
}

impl Inputs {
    async fn read(c: &mut dyn Conn, scope: Scope) -> Result<Self, AppError> {
        let tickets = repo::tickets(c, scope).await?;
        let mut events: HashMap<Id, Vec<StatusEvent>> = HashMap::new();
        for e in repo::status_events(c, scope).await? {
            events.entry(e.ticket_id).or_default().push(e);
        }
        let replies = repo::agent_replies(c, scope).await?.into_iter().map(|(id, a, b)| (id, (a, b))).collect();
        let mut by_org: HashMap<Id, Contract> = HashMap::new();
        if let Scope::One(_) = scope {
            if let Some(t) = tickets.first()
                && let Some(contract) = contracts::active_for(c, t.organization_id).await?
            {
                by_org.insert(t.organization_id, contract);
            }
        } else {
            // Newest first: the first active contract of an organisation is its current one.
            for contract in contracts::list(c, None).await?.into_iter().filter(|c| c.active) {
                by_org.entry(contract.organization_id).or_insert(contract);
            }
        }
        Ok(Self { tickets, events, replies, contracts: by_org })
    }

    fn reports(&self, book: &SlaBook, now: DateTime<Utc>) -> Vec<(&SlaTicket, SlaReport)> {
        self.tickets
            .iter()
            .filter_map(|t| {
                let events: Vec<&StatusEvent> = self.events.get(&t.id).map(|v| v.iter().collect()).unwrap_or_default();
                let contract = self.contracts.get(&t.organization_id);
                evaluate(book, contract, t, &events, self.replies.get(&t.id).copied(), now).map(|r| (t, r))
            })
            .collect()
    }
}

/// Recomputes one ticket's `ticket_sla` row inside the caller's transaction.
pub(crate) async fn refresh(
    c: &mut dyn Conn,
    book: &SlaBook,
    ticket_id: Id,
    now: DateTime<Utc>,
) -> Result<Option<SlaReport>, AppError> {
    let inputs = Inputs::read(c, Scope::One(ticket_id)).await?;
    let Some((_, report)) = inputs.reports(book, now).into_iter().next() else { return Ok(None) };
    repo::upsert(c, &row_of(ticket_id, &report, now)).await?;
    Ok(Some(report))
}

/// A ticket's SLA position now, and the time zone of its calendar (staff only).
pub struct TicketClock {
    pub report: SlaReport,
    pub time_zone: Tz,
}

pub async fn ticket_clock(app: &App, actor: &Actor, ticket_id: Id) -> Result<Option<TicketClock>, AppError> {
    if !actor.is_staff() {
        return Err(AppError::NotFound);
    }
    let now = app.now();
    let (inputs, closures) = app
        .store
        .read(move |c| {
            Box::pin(async move {
                let inputs = Inputs::read(c, Scope::One(ticket_id)).await?;
                Ok::<_, AppError>((inputs, closure_repo::list(c).await?))
            })
        })
        .await?;
    let Some(ticket) = inputs.tickets.first() else { return Ok(None) };
    let contract = inputs.contracts.get(&ticket.organization_id);
    let book = SlaBook::with(app, contract.map(|c| c.policy_id).into_iter().collect(), closures).await?;
    let time_zone = book.calendar(contract).time_zone();
    Ok(inputs.reports(&book, now).into_iter().next().map(|(_, report)| TicketClock { report, time_zone }))
}

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

/// The periodic SLA check: recomputes every running ticket's row, and for each target at
/// its warning threshold (while the clock runs) or breached and not met, writes one
/// `sla_warning` / `sla_breached` history event and e-mails the assignee and the active
/// admins, once per target and due instant. Gives how many warnings and breaches it sent.
///
/// The inputs are read first and the rows written in one transaction afterwards; a row a use
/// case wrote meanwhile is newer and is kept (see `repo::sla::upsert`).
pub async fn check_all(app: &App) -> Result<usize, AppError> {
    let book = SlaBook::load(app).await?;
    let now = app.now();
    let (inputs, stored) = app
        .store
        .read(|c| {
            Box::pin(async move {
                let inputs = Inputs::read(c, Scope::Running).await?;
                let stored = repo::rows(c, Scope::Running).await?;
                Ok::<_, AppError>((inputs, stored))
            })
        })
        .await?;
    let stored: HashMap<Id, SlaRow> = stored.into_iter().map(|r| (r.ticket_id, r)).collect();
    let mut rows = Vec::new();
    let mut notices = Vec::new();
    for (ticket, report) in inputs.reports(&book, now) {
        let row = row_of(ticket.id, &report, now);
        let same = stored.get(&ticket.id).is_some_and(|s| SlaRow { computed_at: now, ..s.clone() } == row);
        if !same {
            rows.push(row);
        }
        let time_zone = book.calendar(inputs.contracts.get(&ticket.organization_id)).time_zone();
        for m in measures(&report).into_iter().filter(|m| m.met_at.is_none()) {
            // A paused target's due moves with the wait: warn only while the clock runs.
            let breached = m.state == SlaState::Breached;
            if breached || (m.state == SlaState::Warning && !report.paused) {
                notices.push(Notice { ticket: ticket.clone(), measure: *m, breached, time_zone });
            }
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
                let admins: Vec<User> = users::staff(c).await?.into_iter().filter(|u| u.role == Role::Admin).collect();
                for notice in &notices {
                    if !hours::notice_once(c, &notice.key(), now).await? {
                        continue;
                    }
                    announce(c, notice, &admins, &settings, now).await?;
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

/// Compliance of one organisation, priority and month (of the opening, in the contract's
/// time zone): targets met on time, breached (late or still open past due), and still
/// running, for first response and resolution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplianceLine {
    pub organization: String,
    /// "2026-03".
    pub month: String,
    pub priority: Option<Priority>,
    pub tickets: u32,
    pub first_response: Tally,
    pub resolution: Tally,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub met: u32,
    pub breached: u32,
    pub running: u32,
}

impl Tally {
    fn add(&mut self, state: SlaState) {
        match state {
            SlaState::Met => self.met += 1,
            SlaState::Breached => self.breached += 1,
            SlaState::Ok | SlaState::Warning => self.running += 1,
        }
    }

    /// Met among the decided (met or breached), as a whole percentage rounded down.
    pub fn met_percent(&self) -> Option<u32> {
        let decided = self.met + self.breached;
        (decided > 0).then(|| self.met * 100 / decided)
    }
}

/// The compliance report for tickets opened since `since`, newest month first, then by
/// organisation name and priority (critical first). Staff only.
pub async fn compliance(app: &App, actor: &Actor, since: DateTime<Utc>) -> Result<Vec<ComplianceLine>, AppError> {
    if !actor.is_staff() {
        return Err(AppError::NotFound);
    }
    let book = SlaBook::load(app).await?;
    let now = app.now();
    let (inputs, orgs) = app
        .store
        .read(move |c| {
            Box::pin(async move {
                let inputs = Inputs::read(c, Scope::OpenedSince(since)).await?;
                Ok::<_, AppError>((inputs, organizations::list(c).await?))
            })
        })
        .await?;
    let names: HashMap<Id, String> = orgs.into_iter().map(|o| (o.id, o.name)).collect();
    let rank = |p: Priority| Priority::ALL.iter().position(|q| *q == p).unwrap_or(usize::MAX);
    let mut lines: HashMap<(String, Id, usize), ComplianceLine> = HashMap::new();
    for (ticket, report) in inputs.reports(&book, now) {
        let tz = book.calendar(inputs.contracts.get(&ticket.organization_id)).time_zone();
        let month = ticket.created_at.with_timezone(&tz).format("%Y-%m").to_string();
        let line = lines.entry((month.clone(), ticket.organization_id, rank(ticket.priority))).or_insert_with(|| {
            ComplianceLine {
                organization: names.get(&ticket.organization_id).cloned().unwrap_or_default(),
                month,
                priority: Some(ticket.priority),
                ..ComplianceLine::default()
            }
        });
        line.tickets += 1;
        line.first_response.add(report.first_response.state);
        line.resolution.add(report.resolution.state);
    }
    let mut lines: Vec<((String, Id, usize), ComplianceLine)> = lines.into_iter().collect();
    lines.sort_by(|(a, la), (b, lb)| {
        b.0.cmp(&a.0).then_with(|| la.organization.cmp(&lb.organization)).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    });
    Ok(lines.into_iter().map(|(_, line)| line).collect())
}

/// The SLA rows of some tickets (a queue page), by ticket id.
pub async fn rows_for(app: &App, ticket_ids: Vec<Id>) -> Result<HashMap<Id, SlaRow>, AppError> {
    let rows = app.store.read(move |c| Box::pin(async move { repo::for_tickets(c, &ticket_ids).await })).await?;
    Ok(rows.into_iter().map(|r| (r.ticket_id, r)).collect())
}

/// For the ticket use cases: the book, loaded before their transaction.
pub(crate) async fn book_for_change(app: &App) -> Result<Arc<SlaBook>, AppError> {
    Ok(Arc::new(SlaBook::load(app).await?))
}
