//! SLA clocks of tickets (policy section 4), computed with `alcance_domain::sla` from the
//! ticket's history on its contract's business calendar.
//!
//! * Targets and pausing statuses: the active contract's policy (`[sla.<priority>]`,
//!   `[sla] pausing`), else the default policy.
//! * Calendar: the contract's working hours (Monday-Friday 08:00-18:00 unless an admin set
//!   others, see `directory::set_working_hours`) in its time zone (America/Bogota without a
//!   contract), Colombian holidays, and the closures an admin added for that contract or for
//!   every contract (`crate::closures`).
//! * The book of all that ([`SlaBook`]) is kept per process ([`SlaCache`], `App::sla`).
//! * `ticket_sla` keeps each ticket's last computed position for the queue: the use cases of
//!   `tickets.rs` recompute it in their own transaction, and [`check_all`] (every minute) only
//!   looks at the rows whose `check_at` has come (a target reaching its warning threshold or
//!   its due instant, a calendar that changed) and at tickets changed elsewhere (quotes, the
//!   client's decision, automatic classification), and sends the warnings and breaches once
//!   each.
//! * The ticket page computes the clock live ([`ticket_clock`]), so it is never stale.

mod cache;
mod check;
mod compliance;

use std::collections::HashMap;
use std::sync::Arc;

use alcance_domain::calendar::{BusinessCalendar, HolidayRules, WeeklyHours, WorkingInterval};
use alcance_domain::model::{Contract, Id};
use alcance_domain::policy::{SlaClock, SlaTargets};
use alcance_domain::sla::{SlaMeasure, SlaReport, SlaRules, SlaState, StatusChange, TicketTimeline};
use alcance_domain::ticket::{Priority, Status};
use alcance_store::Conn;
use alcance_store::repo::closures::{self as closure_repo, ClosureRow};
use alcance_store::repo::contracts;
pub use alcance_store::repo::sla::SlaRow;
use alcance_store::repo::sla::{self as repo, Scope, SlaTicket, StatusEvent};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde_json::Value;

pub use cache::{BOOK_TTL, SlaCache};
pub use check::check_all;
pub use compliance::{ComplianceLine, Tally, compliance};

use crate::{Actor, App, AppError};

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
/// the default policy, the working hours of the contracts that have their own, and every
/// calendar closure. Loaded before a transaction (policies are parsed outside it); kept per
/// process by [`SlaCache`].
#[derive(Debug, Clone)]
pub struct SlaBook {
    default: PolicySla,
    by_policy: HashMap<Id, PolicySla>,
    closures: Vec<ClosureRow>,
    /// Contract id -> its working week (contracts without one get the default week).
    hours: HashMap<Id, WeeklyHours>,
}

impl SlaBook {
    /// Reads the book from the database; prefer `app.sla.book(app)`, which keeps it.
    pub async fn load(app: &App) -> Result<Self, AppError> {
        let (policy_ids, closures, texts) = app
            .store
            .read(|c| {
                Box::pin(async move {
                    let all = contracts::list(c, None).await?;
                    let ids: Vec<Id> = all.into_iter().filter(|c| c.active).map(|c| c.policy_id).collect();
                    Ok::<_, AppError>((ids, closure_repo::list(c).await?, contracts::working_hours(c).await?))
                })
            })
            .await?;
        let hours = texts
            .into_iter()
            .filter_map(|(id, text)| match WeeklyHours::parse_text(&text) {
                Ok(week) => Some((id, week)),
                Err(e) => {
                    // Stored texts were checked when set; a bad one falls back to the default week.
                    tracing::warn!(contract = id, error = %e, "stored working hours do not read");
                    None
                }
            })
            .collect();
        let default = PolicySla::of(app, app.policies.default_id()).await?;
        let mut by_policy = HashMap::new();
        for id in policy_ids {
            if let std::collections::hash_map::Entry::Vacant(slot) = by_policy.entry(id) {
                slot.insert(PolicySla::of(app, id).await?);
            }
        }
        Ok(Self { default, by_policy, closures, hours })
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

    /// The business calendar of a contract with its working hours, its closures and the
    /// global ones.
    pub fn calendar(&self, contract: Option<&Contract>) -> BusinessCalendar {
        calendar_for(contract, contract.and_then(|c| self.hours.get(&c.id)), &self.closures)
    }
}

/// The working week of a contract without hours of its own: Monday-Friday 08:00-18:00.
pub fn default_week() -> WeeklyHours {
    WorkingInterval::new(8 * 60, 18 * 60)
        .and_then(|day| WeeklyHours::weekdays(&[day]))
        .unwrap_or_else(|_| WeeklyHours::new())
}

/// The business calendar of a contract: its working `hours` (the [`default_week`] when
/// `None`) in its time zone with Colombian holidays (America/Bogota, default week, when there
/// is no contract or its zone is unknown), closed on the `closures` of that contract and on
/// those of every contract (no contract). A ticket without a contract gets only the closures
/// of every contract.
pub fn calendar_for(
    contract: Option<&Contract>,
    hours: Option<&WeeklyHours>,
    closures: &[ClosureRow],
) -> BusinessCalendar {
    let tz: Option<Tz> = contract.and_then(|c| c.time_zone.parse().ok());
    let built = tz.and_then(|tz| {
        let week = hours.cloned().unwrap_or_else(default_week);
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

/// A ticket's SLA position and the next instant it can change by time alone.
pub(crate) struct Clock {
    pub report: SlaReport,
    /// The earliest warning threshold (of a target below it) or due instant (of a target in
    /// warning) of the targets still running; `None` while paused or with nothing ahead.
    pub next_change: Option<DateTime<Utc>>,
}

impl Clock {
    /// The targets to announce now: breached and not met, or in warning while the clock runs
    /// (a paused target's due moves with the wait).
    pub fn announceable(&self) -> impl Iterator<Item = (&SlaMeasure, bool)> {
        let paused = self.report.paused;
        measures(&self.report).into_iter().filter(|m| m.met_at.is_none()).filter_map(move |m| match m.state {
            SlaState::Breached => Some((m, true)),
            SlaState::Warning if !paused => Some((m, false)),
            _ => None,
        })
    }

    /// The row to store. `announced`: the periodic check sends what [`Clock::announceable`]
    /// lists in the same transaction; a use case does not, so its row asks the check to look
    /// at once.
    pub fn row(&self, ticket_id: Id, now: DateTime<Utc>, announced: bool) -> SlaRow {
        let pending = !announced && self.announceable().next().is_some();
        SlaRow { check_at: if pending { Some(now) } else { self.next_change }, ..row_of(ticket_id, &self.report, now) }
    }
}

/// When a running target reaches its next state by time alone: its warning threshold
/// (`percent` = elapsed * 100 / target, rounded down, reaches `warning_percent`) or, in
/// warning, its due instant.
fn next_change(
    m: &SlaMeasure,
    warning_percent: u32,
    calendar: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match m.state {
        SlaState::Warning => Some(m.due),
        SlaState::Ok => {
            let target = i128::from(m.target.num_milliseconds());
            let threshold = (target * i128::from(warning_percent) + 99) / 100;
            let left = i64::try_from(threshold - i128::from(m.elapsed.num_milliseconds())).ok()?.max(0);
            let left = TimeDelta::try_milliseconds(left)?;
            Some(match m.clock {
                SlaClock::Calendar => now.checked_add_signed(left).unwrap_or(DateTime::<Utc>::MAX_UTC),
                SlaClock::Business => calendar.add_business_duration(now, left),
            })
        }
        SlaState::Breached | SlaState::Met => None,
    }
}

fn evaluate(
    book: &SlaBook,
    contract: Option<&Contract>,
    ticket: &SlaTicket,
    events: &[&StatusEvent],
    replies: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Option<Clock> {
    let rules = book.rules(contract, ticket.priority);
    let calendar = book.calendar(contract);
    match rules.evaluate(&timeline(ticket, events, replies), &calendar, now) {
        Ok(report) => {
            let next = if report.paused {
                None
            } else {
                measures(&report)
                    .into_iter()
                    .filter(|m| m.met_at.is_none())
                    .filter_map(|m| next_change(m, rules.warning_percent, &calendar, now))
                    .min()
            };
            Some(Clock { report, next_change: next })
        }
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
/// targets not met yet (`check_at` is set by [`Clock::row`]).
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
        check_at: None,
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
    async fn read(c: &mut dyn Conn, scope: Scope<'_>) -> Result<Self, AppError> {
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

    fn clocks(&self, book: &SlaBook, now: DateTime<Utc>) -> Vec<(&SlaTicket, Clock)> {
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
    let Some((_, clock)) = inputs.clocks(book, now).into_iter().next() else { return Ok(None) };
    repo::upsert(c, &clock.row(ticket_id, now, false)).await?;
    Ok(Some(clock.report))
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
    let book = app.sla.book(app).await?;
    let inputs = app.store.read(move |c| Box::pin(async move { Inputs::read(c, Scope::One(ticket_id)).await })).await?;
    let Some(ticket) = inputs.tickets.first() else { return Ok(None) };
    let time_zone = book.calendar(inputs.contracts.get(&ticket.organization_id)).time_zone();
    let clock = inputs.clocks(&book, now).into_iter().next();
    Ok(clock.map(|(_, clock)| TicketClock { report: clock.report, time_zone }))
}

/// The SLA rows of some tickets (a queue page), by ticket id.
pub async fn rows_for(app: &App, ticket_ids: Vec<Id>) -> Result<HashMap<Id, SlaRow>, AppError> {
    let rows = app.store.read(move |c| Box::pin(async move { repo::for_tickets(c, &ticket_ids).await })).await?;
    Ok(rows.into_iter().map(|r| (r.ticket_id, r)).collect())
}

/// For the ticket use cases: the book, taken before their transaction (this process's copy,
/// see [`SlaCache`]).
pub(crate) async fn book_for_change(app: &App) -> Result<Arc<SlaBook>, AppError> {
    app.sla.book(app).await
}
