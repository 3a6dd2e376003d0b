//! Prepaid hour packages (policy section 5): an admin records purchases; the balance is the
//! sum of an append-only ledger (purchases add; consumption, expiry and reservations
//! subtract; a correction is a reversing entry). Client managers see their packages and
//! every movement, and download statements.
//!
//! Every change to an organisation's hours locks that organisation first (see
//! `hours::lock_organization`), so concurrent changes never both spend the same minutes.

use alcance_domain::hours::{self as rules, AllocationError, LedgerEntryKind};
use alcance_domain::model::{Id, Organization};
use alcance_domain::money::{self, Currency, MAX_MINUTES};
use alcance_domain::{FieldError, FieldErrorCode, Role, validate};
use alcance_store::Conn;
use alcance_store::repo::hours::{self, NewLedgerEntry, NewPackage};
pub use alcance_store::repo::hours::{LedgerRow, Package};
use alcance_store::repo::{contracts, organizations};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Actor, App, AppError};

/// A purchase as typed in a form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct PurchaseInput {
    /// "40", "12,5", "90 min"...
    pub hours: String,
    /// In the contract's currency, as typed ("$ 4.000.000").
    pub price: String,
    /// YYYY-MM-DD; today when empty.
    pub purchased_on: String,
    /// YYYY-MM-DD, after the purchase date.
    pub expires_on: String,
    pub invoice_ref: String,
}

/// The calendar day now in the organisation's time zone (America/Bogota by default).
pub fn today_in(time_zone: &str, now: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::America::Bogota);
    now.with_timezone(&tz).date_naive()
}

/// Reads an ISO date of `field`.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, FieldErrorCode::Required));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, FieldErrorCode::Invalid).with_detail("AAAA-MM-DD"))
}

/// What the organisation's contract says about money and hours (defaults without one).
pub(crate) struct Terms {
    pub currency: Currency,
    pub hourly_rate_minor: i64,
    pub tax_rate_basis_points: i64,
    pub allow_overdraft: bool,
}

pub(crate) async fn terms(c: &mut dyn Conn, organization_id: Id) -> Result<Terms, AppError> {
    Ok(match contracts::active_for(c, organization_id).await? {
        Some(contract) => Terms {
            currency: Currency::from_code("currency", &contract.currency).unwrap_or(Currency::Cop),
            hourly_rate_minor: contract.hourly_rate_minor,
            tax_rate_basis_points: contract.tax_rate_basis_points,
            allow_overdraft: contract.allow_overdraft,
        },
        None => {
            Terms { currency: Currency::Cop, hourly_rate_minor: 0, tax_rate_basis_points: 1900, allow_overdraft: false }
        }
    })
}

async fn organization(c: &mut dyn Conn, actor: &Actor, organization_id: Id) -> Result<Organization, AppError> {
    let visible =
        actor.is_staff() || (actor.role() == Role::Manager && actor.organization_id() == Some(organization_id));
    if !visible {
        return Err(AppError::NotFound);
    }
    organizations::by_id(c, organization_id).await?.ok_or(AppError::NotFound)
}

/// Records a purchase and its ledger entry in one transaction (admins).
pub async fn record_purchase(
    app: &App,
    actor: &Actor,
    organization_id: Id,
    input: PurchaseInput,
) -> Result<Package, AppError> {
    actor.require_admin()?;
    let minutes = money::parse_hours("hours", &input.hours)?;
    let invoice_ref = validate::bounded_text("invoice_ref", &input.invoice_ref, 1, 100, false)?;
    let (admin, now) = (actor.id(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let org = organizations::by_id(c, organization_id).await?.ok_or(AppError::NotFound)?;
                let terms = terms(c, organization_id).await?;
                let price_minor = money::parse_money("price", &input.price, terms.currency)?;
                let purchased_on = match input.purchased_on.trim() {
                    "" => today_in(&org.time_zone, now),
                    text => parse_date("purchased_on", text)?,
                };
                let expires_on = parse_date("expires_on", &input.expires_on)?;
                if expires_on <= purchased_on {
                    return Err(FieldError::new("expires_on", FieldErrorCode::OutOfRange)
                        .with_detail(format!("> {purchased_on}"))
                        .into());
                }
                hours::lock_organization(c, organization_id).await?;
                let new = NewPackage {
                    organization_id,
                    minutes,
                    price_minor,
                    currency: terms.currency.as_str(),
                    purchased_on,
                    expires_on,
                    invoice_ref: &invoice_ref,
                    created_by: admin,
                };
                let id = hours::insert_package(c, &new, now).await?;
                let entry = NewLedgerEntry {
                    organization_id,
                    package_id: id,
                    kind: Some(LedgerEntryKind::Purchase),
                    minutes,
                    note: &invoice_ref,
                    actor_id: Some(admin),
                    ..NewLedgerEntry::default()
                };
                hours::insert_entry(c, &entry, now).await?;
                package_by_id(c, id).await
            })
        })
        .await
}

/// An organisation's hours as a client manager or staff sees them.
#[derive(Debug, Clone)]
pub struct HoursOverview {
    pub organization: Organization,
    pub currency: Currency,
    /// The one expiring first first.
    pub packages: Vec<Package>,
    /// The sum of the live packages' balances.
    pub available_minutes: i64,
    pub today: NaiveDate,
    pub allow_overdraft: bool,
}

/// Staff, or a manager of the organisation (anyone else: not found).
pub async fn overview(app: &App, actor: &Actor, organization_id: Id) -> Result<HoursOverview, AppError> {
    let (actor, now) = (actor.clone(), app.now());
    app.store
        .read(move |c| {
            Box::pin(async move {
                let organization = organization(c, &actor, organization_id).await?;
                let terms = terms(c, organization_id).await?;
                let packages = hours::packages(c, organization_id).await?;
                let today = today_in(&organization.time_zone, now);
                let balances: Vec<_> = packages.iter().map(Package::as_balance).collect();
                Ok(HoursOverview {
                    available_minutes: rules::available_minutes(&balances, today),
                    organization,
                    currency: terms.currency,
                    packages,
                    today,
                    allow_overdraft: terms.allow_overdraft,
                })
            })
        })
        .await
}

/// A statement: the movements of a period with the running balance.
#[derive(Debug, Clone)]
pub struct Statement {
    pub organization: Organization,
    /// First and last day, both included, in the organisation's time zone.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening_minutes: i64,
    pub rows: Vec<StatementRow>,
    pub closing_minutes: i64,
}

#[derive(Debug, Clone)]
pub struct StatementRow {
    pub entry: LedgerRow,
    /// The organisation's balance after this movement.
    pub balance_after: i64,
}

/// The start of `day` in the time zone, as an instant.
fn start_of(day: NaiveDate, time_zone: &str) -> DateTime<Utc> {
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::America::Bogota);
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    midnight.and_local_timezone(tz).earliest().map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// Movements from `from` to `to` (days, both included), with opening and closing balances.
pub async fn statement(
    app: &App,
    actor: &Actor,
    organization_id: Id,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Statement, AppError> {
    if to < from {
        return Err(FieldError::new("to", FieldErrorCode::OutOfRange).with_detail(format!(">= {from}")).into());
    }
    let actor = actor.clone();
    app.store
        .read(move |c| {
            Box::pin(async move {
                let organization = organization(c, &actor, organization_id).await?;
                let start = start_of(from, &organization.time_zone);
                let end = start_of(to + chrono::Duration::days(1), &organization.time_zone);
                let opening = hours::balance_before(c, organization_id, start).await?;
                let entries = hours::ledger(c, organization_id, Some(start), Some(end)).await?;
                let mut balance = opening;
                let rows = entries
                    .into_iter()
                    .map(|entry| {
                        balance += entry.minutes;
                        StatementRow { entry, balance_after: balance }
                    })
                    .collect();
                Ok(Statement { organization, from, to, opening_minutes: opening, rows, closing_minutes: balance })
            })
        })
        .await
}

/// Serialises a statement as CSV (RFC 4180, comma-separated, hours as decimals with a dot
/// so spreadsheets in any locale read them), with a header row in `lang`.
pub fn statement_csv(s: &Statement, lang: &str) -> String {
    let header = if lang == "en" {
        "date,movement,package,request,hours,balance,note"
    } else {
        "fecha,movimiento,paquete,solicitud,horas,saldo,nota"
    };
    // Hundredths of an hour, rounded half away from zero, in integers.
    let hours = |minutes: i64| {
        let hundredths = (minutes * 100 + minutes.signum() * 30) / 60;
        let sign = if hundredths < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", hundredths.abs() / 100, hundredths.abs() % 100)
    };
    let mut out = String::from(header);
    out.push_str("\r\n");
    for row in &s.rows {
        let e = &row.entry;
        let cells = [
            e.created_at.format("%Y-%m-%d %H:%M").to_string(),
            e.kind.as_str().to_owned(),
            e.package_id.to_string(),
            e.ticket_number.map(|n| format!("#{n}")).unwrap_or_default(),
            hours(e.minutes),
            hours(row.balance_after),
            e.note.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Quotes a CSV cell when needed, and defuses spreadsheet formulas (a note typed as
/// "=HYPERLINK(...)" stays text).
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// Adds or removes minutes on a package by hand, with a written note (admins). Never takes
/// the package below zero.
pub async fn adjust(app: &App, actor: &Actor, package_id: Id, minutes: i64, note: &str) -> Result<LedgerRow, AppError> {
    actor.require_admin()?;
    let note = validate::reason("note", note)?;
    if minutes == 0 || minutes.abs() > MAX_MINUTES {
        return Err(FieldError::new("minutes", FieldErrorCode::OutOfRange).with_detail("1 min - 10000 h").into());
    }
    let (admin, now) = (actor.id(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let package = package_by_id(c, package_id).await?;
                hours::lock_organization(c, package.organization_id).await?;
                let package = package_by_id(c, package_id).await?;
                if package.balance_minutes + minutes < 0 {
                    return Err(insufficient("minutes", package.balance_minutes));
                }
                let entry = NewLedgerEntry {
                    organization_id: package.organization_id,
                    package_id,
                    kind: Some(LedgerEntryKind::Adjustment),
                    minutes,
                    note: &note,
                    actor_id: Some(admin),
                    ..NewLedgerEntry::default()
                };
                let id = hours::insert_entry(c, &entry, now).await?;
                hours::entry(c, id).await?.ok_or(AppError::NotFound)
            })
        })
        .await
}

/// Reverses a movement with an opposite entry (admins): the correction of a mistake. A
/// reversal is never reversed, an entry is reversed once, and a package never goes below zero.
pub async fn reverse(app: &App, actor: &Actor, entry_id: Id, note: &str) -> Result<LedgerRow, AppError> {
    actor.require_admin()?;
    let note = validate::reason("note", note)?;
    let (admin, now) = (actor.id(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let original = hours::entry(c, entry_id).await?.ok_or(AppError::NotFound)?;
                hours::lock_organization(c, original.organization_id).await?;
                if original.kind == LedgerEntryKind::Reversal || hours::is_reversed(c, entry_id).await? {
                    return Err(AppError::field("entry", FieldErrorCode::NotAllowed));
                }
                let package = package_by_id(c, original.package_id).await?;
                if package.balance_minutes - original.minutes < 0 {
                    return Err(insufficient("entry", package.balance_minutes));
                }
                let entry = NewLedgerEntry {
                    organization_id: original.organization_id,
                    package_id: original.package_id,
                    kind: Some(LedgerEntryKind::Reversal),
                    minutes: -original.minutes,
                    ticket_id: original.ticket_id,
                    time_entry_id: original.time_entry_id,
                    quote_id: original.quote_id,
                    reverses_id: Some(entry_id),
                    note: &note,
                    actor_id: Some(admin),
                };
                let id = hours::insert_entry(c, &entry, now).await?;
                hours::entry(c, id).await?.ok_or(AppError::NotFound)
            })
        })
        .await
}

async fn package_by_id(c: &mut dyn Conn, id: Id) -> Result<Package, AppError> {
    hours::package(c, id).await?.ok_or(AppError::NotFound)
}

/// The refusal for spending more than the balance; the detail names the balance in hours.
pub(crate) fn insufficient(field: &str, available_minutes: i64) -> AppError {
    FieldError::new(field, FieldErrorCode::InsufficientBalance)
        .with_detail(money::format_hours(available_minutes.max(0), "es"))
        .into()
}

/// Takes `minutes` from the organisation's live packages, the one expiring first first, as
/// entries of `kind` tied to what caused them; in the caller's transaction, after
/// `lock_organization`. Gives the available minutes before and after.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn spend(
    c: &mut dyn Conn,
    field: &str,
    link: NewLedgerEntry<'_>,
    kind: LedgerEntryKind,
    minutes: i64,
    allow_overdraft: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(i64, i64), AppError> {
    let packages = hours::packages(c, link.organization_id).await?;
    let balances: Vec<_> = packages.iter().map(Package::as_balance).collect();
    let before = rules::available_minutes(&balances, today);
    let allocations = rules::allocate(&balances, today, minutes, allow_overdraft).map_err(|e| match e {
        AllocationError::InsufficientHours { available_minutes, .. } => insufficient(field, available_minutes),
        AllocationError::NotPositive { .. } => AppError::field(field, FieldErrorCode::TooShort),
    })?;
    let entries =
        rules::entries_for(kind, &allocations).ok_or_else(|| AppError::field(field, FieldErrorCode::Invalid))?;
    for e in entries {
        let row = NewLedgerEntry { package_id: e.package_id, kind: Some(e.kind), minutes: e.minutes, ..link.clone() };
        hours::insert_entry(c, &row, now).await?;
    }
    Ok((before, before - minutes))
}

/// The expiry job: every package past its expiry date with hours left gets an expiry entry
/// for them (once: afterwards its balance is zero). Gives how many packages expired.
pub async fn expire_packages(app: &App) -> Result<usize, AppError> {
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let mut expired = 0;
                for org in organizations::list(c).await? {
                    let today = today_in(&org.time_zone, now);
                    let packages = hours::packages(c, org.id).await?;
                    if !packages.iter().any(|p| p.expires_on < today && p.balance_minutes > 0) {
                        continue;
                    }
                    hours::lock_organization(c, org.id).await?;
                    let balances: Vec<_> = hours::packages(c, org.id).await?.iter().map(Package::as_balance).collect();
                    for e in rules::expiry_entries(&balances, today) {
                        let entry = NewLedgerEntry {
                            organization_id: org.id,
                            package_id: e.package_id,
                            kind: Some(e.kind),
                            minutes: e.minutes,
                            note: "vencimiento",
                            ..NewLedgerEntry::default()
                        };
                        hours::insert_entry(c, &entry, now).await?;
                        expired += 1;
                    }
                }
                Ok(expired)
            })
        })
        .await
}

/// The 30-day notice: managers hear once per package that it expires within 30 days with
/// hours left.
pub async fn notify_expiring(app: &App) -> Result<usize, AppError> {
    let (now, settings) = (app.now(), app.settings.clone());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let mut sent = 0;
                for org in organizations::list(c).await? {
                    let today = today_in(&org.time_zone, now);
                    let packages = hours::packages(c, org.id).await?;
                    let balances: Vec<_> = packages.iter().map(Package::as_balance).collect();
                    for p in rules::expiring_soon(&balances, today, 30) {
                        if !hours::notice_once(c, &format!("package:{}:expiring", p.id), now).await? {
                            continue;
                        }
                        for manager in crate::time_entries::managers(c, org.id).await? {
                            let lang = if manager.language == "en" { "en" } else { "es" };
                            let left = money::format_hours(p.balance_minutes, lang);
                            let link = format!("{}/portal/hours", settings.public_url.trim_end_matches('/'));
                            let (subject, body) = if lang == "en" {
                                (
                                    format!("Your hour package expires on {}", p.expires_on),
                                    format!("{left} of your prepaid hours expire on {}; after that day they cannot be used.\n\n{link}\n\n{}", p.expires_on, settings.brand.name),
                                )
                            } else {
                                (
                                    format!("Su paquete de horas vence el {}", p.expires_on),
                                    format!("Le quedan {left} de horas prepagadas que vencen el {}; después de esa fecha no se podrán usar.\n\n{link}\n\n{}", p.expires_on, settings.brand.name),
                                )
                            };
                            alcance_store::repo::web::enqueue_email(c, &manager.email, &subject, &body, now).await?;
                        }
                        sent += 1;
                    }
                }
                Ok(sent)
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-1.50"), "-1.50", "a negative number stays a number");
    }

    #[test]
    fn statement_hours_are_exact_hundredths() {
        let org = Organization {
            id: 1,
            slug: "x".into(),
            name: "X".into(),
            time_zone: "America/Bogota".into(),
            active: true,
            created_at: DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
        };
        let at = org.created_at;
        let row = |minutes: i64, balance_after: i64| StatementRow {
            entry: LedgerRow {
                id: 1,
                organization_id: 1,
                package_id: 7,
                kind: if minutes > 0 { LedgerEntryKind::Purchase } else { LedgerEntryKind::Consumption },
                minutes,
                ticket_id: None,
                ticket_number: (minutes < 0).then_some(1042),
                time_entry_id: None,
                quote_id: None,
                reverses_id: None,
                note: "n".into(),
                actor_id: None,
                created_at: at,
            },
            balance_after,
        };
        let day = at.date_naive();
        let rows = vec![row(600, 600), row(-20, 580), row(-1, 579)];
        let s = Statement { organization: org, from: day, to: day, opening_minutes: 0, rows, closing_minutes: 579 };
        let csv = statement_csv(&s, "es");
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "fecha,movimiento,paquete,solicitud,horas,saldo,nota");
        assert!(lines[1].ends_with(",purchase,7,,10.00,10.00,n"), "{}", lines[1]);
        assert!(lines[2].ends_with(",consumption,7,#1042,-0.33,9.67,n"), "{}", lines[2]);
        assert!(lines[3].ends_with(",consumption,7,#1042,-0.02,9.65,n"), "{}", lines[3]);
    }
}
