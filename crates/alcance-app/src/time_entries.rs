//! Time agents spend on tickets. Time on covered work is recorded for reports and costs the
//! client nothing; time on a not-covered request whose client chose to pay with hours is
//! consumed from the organisation's packages (only in the categories the policy allows,
//! first from the package that expires first, never from an expired one); time inside an
//! accepted quote is billed by the quote. A time entry that needs more hours than the
//! balance holds is refused, naming the balance, unless the contract allows an overdraft.

use alcance_domain::hours::{self as rules, BalanceThreshold, LedgerEntryKind};
use alcance_domain::model::{EventKind, Id, Ticket};
use alcance_domain::money;
use alcance_domain::ticket::Coverage;
use alcance_domain::{FieldErrorCode, Role, validate};
use alcance_store::Conn;
pub use alcance_store::repo::hours::TimeEntry;
use alcance_store::repo::hours::{self as store, NewLedgerEntry};
use alcance_store::repo::{organizations, tickets, users, web};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::history::Event;
use crate::hours::{parse_date, spend, terms, today_in};
use crate::{Actor, App, AppError, Settings};

/// A time entry as typed in a form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct TimeInput {
    /// "1,5", "90 min", "1:30"...
    pub duration: String,
    /// YYYY-MM-DD; today when empty.
    pub worked_on: String,
    pub note: String,
}

/// Logs time on a ticket (staff), consuming hours when the ticket is paid with them; the
/// entry, its ledger movements and the history event in one transaction.
pub async fn log_time(app: &App, actor: &Actor, number: i64, input: TimeInput) -> Result<TimeEntry, AppError> {
    actor.require_staff()?;
    let minutes = money::parse_hours("duration", &input.duration)?;
    let note = validate::bounded_text("note", &input.note, 0, 2000, true)?;
    let (agent, now, settings) = (actor.id(), app.now(), app.settings.clone());
    let policies = app.policies.clone();
    let ticket = app
        .store
        .read(move |c| Box::pin(async move { tickets::by_number(c, number).await?.ok_or(AppError::NotFound) }))
        .await?;
    let hours_allowed = match (&ticket.category, ticket.policy_id) {
        (Some(category), Some(policy_id)) => {
            rules::can_spend_hours(&*policies.get(&app.store, policy_id).await?, category)
        }
        _ => false,
    };
    app.store
        .write(move |c| {
            Box::pin(async move {
                let t = tickets::by_number(c, number).await?.ok_or(AppError::NotFound)?;
                let org = organizations::by_id(c, t.organization_id).await?.ok_or(AppError::NotFound)?;
                let today = today_in(&org.time_zone, now);
                let worked_on = match input.worked_on.trim() {
                    "" => today,
                    text => parse_date("worked_on", text)?,
                };
                if worked_on > today {
                    return Err(AppError::Invalid(
                        alcance_domain::FieldError::new("worked_on", FieldErrorCode::OutOfRange)
                            .with_detail(format!("<= {today}")),
                    ));
                }
                let billing = billing_of(c, &t, hours_allowed).await?;
                if billing == "hours" {
                    store::lock_organization(c, t.organization_id).await?;
                }
                let mut entry = TimeEntry {
                    id: 0,
                    ticket_id: t.id,
                    organization_id: t.organization_id,
                    agent_id: agent,
                    minutes,
                    worked_on,
                    note: note.clone(),
                    billing: billing.to_owned(),
                    created_at: now,
                };
                if billing == "hours" {
                    // The entry first, so its ledger movements can point at it; a refusal
                    // below rolls both back.
                    entry.id = store::insert_time_entry(c, &entry).await?;
                    let terms = terms(c, t.organization_id).await?;
                    let link = NewLedgerEntry {
                        organization_id: t.organization_id,
                        ticket_id: Some(t.id),
                        time_entry_id: Some(entry.id),
                        note: &note,
                        actor_id: Some(agent),
                        ..NewLedgerEntry::default()
                    };
                    let (before, after) =
                        spend(c, "duration", link, LedgerEntryKind::Consumption, minutes, terms.allow_overdraft, today, now)
                            .await?;
                    notify_thresholds(c, &settings, t.organization_id, today, before, after, now).await?;
                } else {
                    entry.id = store::insert_time_entry(c, &entry).await?;
                }
                Event::new(EventKind::TimeLogged)
                    .after(json!({"time_entry_id": entry.id, "minutes": minutes, "billing": billing, "worked_on": worked_on}))
                    .internal(true)
                    .record(c, t.id, Some(agent), now)
                    .await?;
                Ok(entry)
            })
        })
        .await
}

/// What time on this ticket costs the client: covered, hours, quote or unbilled.
async fn billing_of(c: &mut dyn Conn, t: &Ticket, hours_allowed: bool) -> Result<&'static str, AppError> {
    if t.coverage == Coverage::Covered {
        return Ok("covered");
    }
    Ok(match store::funding(c, t.id).await?.map(|(mode, _)| mode).as_deref() {
        Some("hours") if hours_allowed => "hours",
        Some("quote") => "quote",
        _ => "unbilled",
    })
}

/// A ticket's time entries, oldest first (staff).
pub async fn for_ticket(app: &App, actor: &Actor, number: i64) -> Result<Vec<TimeEntry>, AppError> {
    actor.require_staff()?;
    app.store
        .read(move |c| {
            Box::pin(async move {
                let t = tickets::by_number(c, number).await?.ok_or(AppError::NotFound)?;
                Ok(store::time_entries_for_ticket(c, t.id).await?)
            })
        })
        .await
}

/// Tells the organisation's managers, once per threshold and purchase, that the balance fell
/// to 20 % or to nothing.
pub(crate) async fn notify_thresholds(
    c: &mut dyn Conn,
    settings: &Settings,
    organization_id: Id,
    today: chrono::NaiveDate,
    before: i64,
    after: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let packages = store::packages(c, organization_id).await?;
    let balances: Vec<_> = packages.iter().map(|p| p.as_balance()).collect();
    let total = rules::live_purchased_minutes(&balances, today);
    let newest = packages.iter().map(|p| p.id).max().unwrap_or(0);
    for threshold in rules::crossed_thresholds(before, after, total) {
        let key = format!("hours:{organization_id}:{}:{newest}", threshold.as_str());
        if !store::notice_once(c, &key, now).await? {
            continue;
        }
        for manager in managers(c, organization_id).await? {
            let (subject, body) = threshold_mail(&manager.language, threshold, after, settings);
            web::enqueue_email(c, &manager.email, &subject, &body, now).await?;
        }
    }
    Ok(())
}

/// The active client managers of an organisation.
pub(crate) async fn managers(
    c: &mut dyn Conn,
    organization_id: Id,
) -> Result<Vec<alcance_domain::model::User>, AppError> {
    Ok(users::list(c, Some(organization_id))
        .await?
        .into_iter()
        .filter(|u| u.active && u.role == Role::Manager)
        .collect())
}

/// The balance notice, in the manager's language. (Fixed sentences live next to the flow
/// that sends them, as for the not-covered notice, until issue 6 brings mail templates.)
fn threshold_mail(lang: &str, threshold: BalanceThreshold, after: i64, settings: &Settings) -> (String, String) {
    let balance = money::format_hours(after.max(0), lang);
    let link = format!("{}/portal/hours", settings.public_url.trim_end_matches('/'));
    let brand = &settings.brand.name;
    match (lang, threshold) {
        ("en", BalanceThreshold::TwentyPercent) => (
            "Your prepaid hours are down to 20 %".to_owned(),
            format!(
                "Your organisation's prepaid hour balance is now {balance}, 20 % or less of what you bought.\n\nSee every movement: {link}\n\n{brand}"
            ),
        ),
        ("en", BalanceThreshold::Empty) => (
            "Your prepaid hours are used up".to_owned(),
            format!(
                "Your organisation's prepaid hour balance is now {balance}. New work paid with hours needs a new package.\n\nSee every movement: {link}\n\n{brand}"
            ),
        ),
        (_, BalanceThreshold::TwentyPercent) => (
            "Su saldo de horas prepagadas llegó al 20 %".to_owned(),
            format!(
                "El saldo de horas prepagadas de su organización es ahora {balance}, el 20 % o menos de lo que compró.\n\nVea cada movimiento: {link}\n\n{brand}"
            ),
        ),
        (_, BalanceThreshold::Empty) => (
            "Se agotó su saldo de horas prepagadas".to_owned(),
            format!(
                "El saldo de horas prepagadas de su organización es ahora {balance}. Para nuevos trabajos pagados con horas necesita un nuevo paquete.\n\nVea cada movimiento: {link}\n\n{brand}"
            ),
        ),
    }
}
