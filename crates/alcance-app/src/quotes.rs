//! Quotes (cotizaciones) for not-covered work (policy section 3): staff draft one from a
//! not-covered request, with lines of hours x the contract's rate or fixed amounts, IVA on
//! the subtotal and a validity date, and send it; a client manager accepts or rejects it in
//! the portal (who, when and from which address are recorded; an accepted quote never
//! changes). Accepting turns the request into billable work in progress, or, paid with
//! hours, reserves those hours from the balance (released if the work is withdrawn).
//!
//! Ticket statuses follow: quote_requested -> quoted (sent) -> in_progress (accepted) or
//! closed (rejected, expired).

use alcance_domain::hours::LedgerEntryKind;
use alcance_domain::model::{EventKind, Id, Ticket};
use alcance_domain::money::{self, Currency};
use alcance_domain::quote::{self, LinePricing, QuoteLineInput, QuoteStatus, QuoteTotals};
use alcance_domain::ticket::{Coverage, Status};
use alcance_domain::{FieldError, FieldErrorCode, Role, validate};
use alcance_store::Conn;
use alcance_store::repo::hours::{self as hour_store, NewLedgerEntry};
pub use alcance_store::repo::quotes::Quote;
use alcance_store::repo::quotes::{self as store};
use alcance_store::repo::{organizations, tickets};
use chrono::{DateTime, Datelike, Utc};
use serde_json::json;

use crate::history::Event;
use crate::hours::{parse_date, spend, terms, today_in};
use crate::{Actor, App, AppError};

/// Days a quote stays valid when the agent does not say.
pub const DEFAULT_VALIDITY_DAYS: i64 = 30;

/// One line as typed: a description and either hours (at `rate`, or the contract's rate
/// when empty) or a fixed `amount`.
#[derive(Debug, Clone, Default)]
pub struct LineInput {
    pub description: String,
    pub hours: String,
    pub rate: String,
    pub amount: String,
}

/// A draft as typed in the form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    pub title: String,
    pub notes: String,
    /// YYYY-MM-DD; 30 days from today when empty.
    pub valid_until: String,
    pub lines: Vec<LineInput>,
}

/// Reads the typed lines in `currency`, field paths like `lines[2].hours`.
fn parse_lines(lines: &[LineInput], currency: Currency, contract_rate: i64) -> Result<Vec<QuoteLineInput>, FieldError> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        if line.description.trim().is_empty() && line.hours.trim().is_empty() && line.amount.trim().is_empty() {
            continue; // a blank row of the form
        }
        let pricing = if !line.hours.trim().is_empty() {
            let minutes = money::parse_hours(&field("hours"), &line.hours)?;
            let rate_minor = match line.rate.trim() {
                "" => contract_rate,
                text => money::parse_money(&field("rate"), text, currency)?,
            };
            LinePricing::Hours { minutes, rate_minor }
        } else if !line.amount.trim().is_empty() {
            LinePricing::Fixed { amount_minor: money::parse_money(&field("amount"), &line.amount, currency)? }
        } else {
            return Err(FieldError::new(field("hours"), FieldErrorCode::Required));
        };
        out.push(QuoteLineInput { description: line.description.clone(), pricing });
    }
    Ok(out)
}

/// Validates a draft into the quote's lines and amounts (the rest of `q` is kept).
fn fill(q: &mut Quote, input: &DraftInput, today: chrono::NaiveDate) -> Result<(), FieldError> {
    let currency = Currency::from_code("currency", &q.currency)?;
    let inputs = parse_lines(&input.lines, currency, q.hourly_rate_minor)?;
    let lines = quote::validate_lines(&inputs)?;
    let totals = QuoteTotals::compute(&lines, q.tax_rate_basis_points)?;
    q.title = validate::bounded_text("title", &input.title, 1, 200, false)?;
    q.notes = validate::bounded_text("notes", &input.notes, 0, 5000, true)?;
    q.valid_until = match input.valid_until.trim() {
        "" => today + chrono::Duration::days(DEFAULT_VALIDITY_DAYS),
        text => parse_date("valid_until", text)?,
    };
    if q.valid_until < today {
        return Err(FieldError::new("valid_until", FieldErrorCode::OutOfRange).with_detail(format!(">= {today}")));
    }
    q.hours_minutes = lines
        .iter()
        .map(|l| match l.pricing {
            LinePricing::Hours { minutes, .. } => minutes,
            LinePricing::Fixed { .. } => 0,
        })
        .sum();
    q.subtotal_minor = totals.subtotal;
    q.tax_minor = totals.tax;
    q.total_minor = totals.total;
    q.lines = lines;
    Ok(())
}

async fn event(
    c: &mut dyn Conn,
    q: &Quote,
    before: Option<QuoteStatus>,
    who: Option<Id>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let internal = q.status == QuoteStatus::Draft;
    Event::change(
        EventKind::QuoteChanged,
        json!({"number": q.number, "status": before.map(QuoteStatus::as_str)}),
        json!({"number": q.number, "status": q.status.as_str(), "total_minor": q.total_minor, "currency": q.currency}),
    )
    .internal(internal)
    .record(c, q.ticket_id, who, now)
    .await
}

/// Drafts a quote for a not-covered request (staff), numbered Q-YYYY-NNNN at once.
pub async fn create_draft(app: &App, actor: &Actor, number: i64, input: DraftInput) -> Result<Quote, AppError> {
    actor.require_staff()?;
    let (who, now) = (actor.id(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let t = tickets::by_number(c, number).await?.ok_or(AppError::NotFound)?;
                if t.coverage != Coverage::NotCovered || t.status == Status::Closed {
                    return Err(AppError::field("ticket", FieldErrorCode::NotAllowed));
                }
                let org = organizations::by_id(c, t.organization_id).await?.ok_or(AppError::NotFound)?;
                let terms = terms(c, t.organization_id).await?;
                let today = today_in(&org.time_zone, now);
                let mut q = Quote {
                    id: 0,
                    number: String::new(),
                    ticket_id: t.id,
                    ticket_number: t.number,
                    organization_id: t.organization_id,
                    status: QuoteStatus::Draft,
                    title: String::new(),
                    notes: String::new(),
                    currency: terms.currency.as_str().to_owned(),
                    hourly_rate_minor: terms.hourly_rate_minor,
                    tax_rate_basis_points: terms.tax_rate_basis_points,
                    subtotal_minor: 0,
                    tax_minor: 0,
                    total_minor: 0,
                    hours_minutes: 0,
                    valid_until: today,
                    pay_with_hours: false,
                    created_by: who,
                    created_at: now,
                    updated_at: now,
                    sent_at: None,
                    decided_by: None,
                    decided_at: None,
                    decided_ip: None,
                    decision_note: None,
                    lines: Vec::new(),
                };
                fill(&mut q, &input, today)?;
                q.number = quote::quote_number(today.year(), store::next_number(c, today.year()).await?);
                q.id = store::insert(c, &q).await?;
                event(c, &q, None, Some(who), now).await?;
                Ok(q)
            })
        })
        .await
}

/// Changes a draft's lines, title, notes or validity (staff). Only drafts change.
pub async fn update_draft(app: &App, actor: &Actor, quote_number: &str, input: DraftInput) -> Result<Quote, AppError> {
    actor.require_staff()?;
    let (quote_number, now) = (quote_number.to_owned(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let mut q = store::by_number(c, &quote_number).await?.ok_or(AppError::NotFound)?;
                if !q.status.lines_editable() {
                    return Err(AppError::field("status", FieldErrorCode::NotAllowed));
                }
                let org = organizations::by_id(c, q.organization_id).await?.ok_or(AppError::NotFound)?;
                fill(&mut q, &input, today_in(&org.time_zone, now))?;
                q.updated_at = now;
                store::update_draft(c, &q).await?;
                Ok(q)
            })
        })
        .await
}

/// Moves a quote to `to` with the lifecycle's checks, the history event, and the ticket's
/// status when it follows; in the caller's transaction.
async fn transition(
    c: &mut dyn Conn,
    q: &mut Quote,
    to: QuoteStatus,
    reason: Option<String>,
    who: Option<Id>,
    now: DateTime<Utc>,
) -> Result<Ticket, AppError> {
    let org = organizations::by_id(c, q.organization_id).await?.ok_or(AppError::NotFound)?;
    let today = today_in(&org.time_zone, now);
    let from = q.status;
    from.check_transition(to, q.valid_until, today, reason.is_some())
        .map_err(|_| AppError::field("status", FieldErrorCode::NotAllowed))?;
    q.status = to;
    q.updated_at = now;
    if !store::set_status(c, q, from).await? {
        return Err(AppError::field("status", FieldErrorCode::NotAllowed));
    }
    event(c, q, Some(from), who, now).await?;
    let mut t = tickets::by_id(c, q.ticket_id).await?.ok_or(AppError::NotFound)?;
    let next = match (to, t.status) {
        (QuoteStatus::Sent, Status::QuoteRequested | Status::AwaitingDecision) => Some(Status::Quoted),
        (QuoteStatus::Accepted, Status::Quoted) => Some(Status::InProgress),
        (QuoteStatus::Rejected | QuoteStatus::Expired, Status::Quoted) => Some(Status::Closed),
        (QuoteStatus::Withdrawn, Status::Quoted) => Some(Status::QuoteRequested),
        _ => None,
    };
    if let Some(next) = next {
        // The system moves the request on the quote's behalf, along the staff lifecycle.
        if t.status == Status::AwaitingDecision {
            Event::change(EventKind::StatusChanged, t.status, Status::QuoteRequested).record(c, t.id, who, now).await?;
            t.status = Status::QuoteRequested;
        }
        let why = match to {
            QuoteStatus::Rejected => Some(format!("Cotización {} rechazada", q.number)),
            QuoteStatus::Expired => Some(format!("Cotización {} vencida", q.number)),
            _ => reason,
        };
        Event::change(EventKind::StatusChanged, t.status, next).reason(why).record(c, t.id, who, now).await?;
        t.status = next;
        if next == Status::Closed {
            t.closed_at = Some(now);
        }
        t.updated_at = now;
        tickets::update(c, &t).await?;
    }
    Ok(t)
}

/// Sends a draft to the client (staff): the ticket shows it, its managers get an e-mail
/// with the PDF attached.
pub async fn send(app: &App, actor: &Actor, quote_number: &str) -> Result<Quote, AppError> {
    actor.require_staff()?;
    let (quote_number, who, now, settings) = (quote_number.to_owned(), actor.id(), app.now(), app.settings.clone());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let mut q = store::by_number(c, &quote_number).await?.ok_or(AppError::NotFound)?;
                q.sent_at = Some(now);
                transition(c, &mut q, QuoteStatus::Sent, None, Some(who), now).await?;
                crate::quote_mail::notify_sent(c, &q, &settings, now).await?;
                Ok(q)
            })
        })
        .await
}

/// A client manager's answer.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub accept: bool,
    /// Pay with the organisation's prepaid hours (reserved now).
    pub pay_with_hours: bool,
    pub note: Option<String>,
    /// The address the decision came from, recorded with it.
    pub ip: Option<String>,
}

/// Accepts or rejects a sent quote: client managers of the quote's organisation only.
pub async fn decide(app: &App, actor: &Actor, quote_number: &str, decision: Decision) -> Result<Quote, AppError> {
    let note = decision.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let note = note.map(|n| validate::bounded_text("note", n, 1, 2000, true)).transpose()?;
    let (quote_number, actor, now) = (quote_number.to_owned(), actor.clone(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let mut q = store::by_number(c, &quote_number).await?.ok_or(AppError::NotFound)?;
                if !actor.can_see_org(q.organization_id) || q.status == QuoteStatus::Draft {
                    return Err(AppError::NotFound);
                }
                if actor.role() != Role::Manager {
                    return Err(AppError::Forbidden);
                }
                let to = if decision.accept { QuoteStatus::Accepted } else { QuoteStatus::Rejected };
                q.decided_by = Some(actor.id());
                q.decided_at = Some(now);
                q.decided_ip = decision.ip.clone();
                q.decision_note = note.clone();
                q.pay_with_hours = decision.accept && decision.pay_with_hours;
                let t = transition(c, &mut q, to, None, Some(actor.id()), now).await?;
                if decision.accept {
                    if q.pay_with_hours {
                        reserve(c, &q, &t, actor.id(), now).await?;
                    }
                    hour_store::set_funding(c, t.id, if q.pay_with_hours { "hours" } else { "quote" }, Some(q.id), now)
                        .await?;
                }
                Ok(q)
            })
        })
        .await
}

/// Holds the quote's hours from the balance (no overdraft: a reservation is a promise).
async fn reserve(c: &mut dyn Conn, q: &Quote, t: &Ticket, who: Id, now: DateTime<Utc>) -> Result<(), AppError> {
    if q.hours_minutes <= 0 {
        return Err(AppError::field("pay_with_hours", FieldErrorCode::NotAllowed));
    }
    hour_store::lock_organization(c, q.organization_id).await?;
    let org = organizations::by_id(c, q.organization_id).await?.ok_or(AppError::NotFound)?;
    let today = today_in(&org.time_zone, now);
    let link = NewLedgerEntry {
        organization_id: q.organization_id,
        ticket_id: Some(t.id),
        quote_id: Some(q.id),
        note: &q.number,
        actor_id: Some(who),
        ..NewLedgerEntry::default()
    };
    spend(c, "pay_with_hours", link, LedgerEntryKind::Reservation, q.hours_minutes, false, today, now).await?;
    Ok(())
}

/// Withdraws a quote (staff). An accepted one needs a reason (the work is called off) and
/// gives its reserved hours back.
pub async fn withdraw(app: &App, actor: &Actor, quote_number: &str, reason: Option<String>) -> Result<Quote, AppError> {
    actor.require_staff()?;
    let reason = reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| validate::reason("reason", r))
        .transpose()?;
    let (quote_number, who, now) = (quote_number.to_owned(), actor.id(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let mut q = store::by_number(c, &quote_number).await?.ok_or(AppError::NotFound)?;
                let was_accepted = q.status == QuoteStatus::Accepted;
                if was_accepted && reason.is_none() {
                    return Err(AppError::field("reason", FieldErrorCode::Required));
                }
                transition(c, &mut q, QuoteStatus::Withdrawn, reason.clone(), Some(who), now).await?;
                if was_accepted {
                    hour_store::lock_organization(c, q.organization_id).await?;
                    for held in hour_store::entries_for_quote(c, q.id).await? {
                        if held.kind != LedgerEntryKind::Reservation {
                            continue;
                        }
                        let release = NewLedgerEntry {
                            organization_id: held.organization_id,
                            package_id: held.package_id,
                            kind: Some(LedgerEntryKind::Release),
                            minutes: -held.minutes,
                            ticket_id: held.ticket_id,
                            quote_id: Some(q.id),
                            note: reason.as_deref().unwrap_or(&q.number),
                            actor_id: Some(who),
                            ..NewLedgerEntry::default()
                        };
                        hour_store::insert_entry(c, &release, now).await?;
                    }
                }
                Ok(q)
            })
        })
        .await
}

/// Whether the actor may see this quote: staff always; contacts who see its ticket, once sent.
fn visible(actor: &Actor, q: &Quote, t: &Ticket) -> bool {
    actor.is_staff() || (actor.can_see_ticket(t) && q.status != QuoteStatus::Draft)
}

/// One quote with its lines.
pub async fn get(app: &App, actor: &Actor, quote_number: &str) -> Result<Quote, AppError> {
    let (quote_number, actor) = (quote_number.to_owned(), actor.clone());
    app.store
        .read(move |c| {
            Box::pin(async move {
                let q = store::by_number(c, &quote_number).await?.ok_or(AppError::NotFound)?;
                let t = tickets::by_id(c, q.ticket_id).await?.ok_or(AppError::NotFound)?;
                if visible(&actor, &q, &t) { Ok(q) } else { Err(AppError::NotFound) }
            })
        })
        .await
}

/// A ticket's quotes the actor may see, oldest first, without lines.
pub async fn for_ticket(app: &App, actor: &Actor, number: i64) -> Result<Vec<Quote>, AppError> {
    let actor = actor.clone();
    app.store
        .read(move |c| {
            Box::pin(async move {
                let t = tickets::by_number(c, number)
                    .await?
                    .filter(|t| actor.can_see_ticket(t))
                    .ok_or(AppError::NotFound)?;
                let all = store::for_ticket(c, t.id).await?;
                Ok(all.into_iter().filter(|q| visible(&actor, q, &t)).collect())
            })
        })
        .await
}

/// Quotes of the actor's organisation (managers) or of everyone (staff), newest first.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Quote>, AppError> {
    let org = match (actor.is_staff(), actor.role(), actor.organization_id()) {
        (true, ..) => None,
        (false, Role::Manager, Some(org)) => Some(org),
        _ => return Err(AppError::NotFound),
    };
    let all = app.store.read(move |c| Box::pin(async move { store::list(c, org, 500).await })).await?;
    Ok(all.into_iter().filter(|q| actor.is_staff() || q.status != QuoteStatus::Draft).collect())
}

/// The expiry job: every sent quote past its validity becomes expired (and its request closes).
pub async fn expire_due(app: &App) -> Result<usize, AppError> {
    let now = app.now();
    // A day early in UTC terms is never wrong: `transition` checks each quote in its own zone.
    let today = now.date_naive() - chrono::Duration::days(1);
    let due = app.store.read(move |c| Box::pin(async move { store::sent_expired(c, today).await })).await?;
    let mut expired = 0;
    for q in due {
        let number = q.number.clone();
        let moved = app
            .store
            .write(move |c| {
                Box::pin(async move {
                    let Some(mut q) = store::by_number(c, &number).await? else { return Ok(false) };
                    if q.status != QuoteStatus::Sent {
                        return Ok(false);
                    }
                    match transition(c, &mut q, QuoteStatus::Expired, None, None, now).await {
                        Ok(_) => Ok(true),
                        Err(AppError::Invalid(_)) => Ok(false),
                        Err(e) => Err(e),
                    }
                })
            })
            .await?;
        expired += usize::from(moved);
    }
    Ok(expired)
}
