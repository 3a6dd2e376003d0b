//! Hour packages, their append-only ledger, time entries, how a not-covered ticket is paid
//! for, and once-only notices.

use alcance_domain::hours::{LedgerEntryKind, PackageBalance};
use alcance_domain::model::Id;
use chrono::{DateTime, NaiveDate, Utc};

use crate::repo::parse_enum;
use crate::{Backend, Conn, ConnExt, Row, Sql, SqlBuilder, StoreError};

/// A package an organisation bought, with its balance (the sum of its ledger entries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub id: Id,
    pub organization_id: Id,
    pub minutes: i64,
    pub price_minor: i64,
    pub currency: String,
    pub purchased_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub invoice_ref: String,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub balance_minutes: i64,
}

impl Package {
    pub fn as_balance(&self) -> PackageBalance {
        PackageBalance {
            id: self.id,
            purchased_minutes: self.minutes,
            purchased_on: self.purchased_on,
            expires_on: self.expires_on,
            balance_minutes: self.balance_minutes,
        }
    }
}

fn package_from_row(row: &Row) -> Result<Package, StoreError> {
    Ok(Package {
        id: row.int("id")?,
        organization_id: row.int("organization_id")?,
        minutes: row.int("minutes")?,
        price_minor: row.int("price_minor")?,
        currency: row.text("currency")?,
        purchased_on: row.date("purchased_on")?,
        expires_on: row.date("expires_on")?,
        invoice_ref: row.text("invoice_ref")?,
        created_by: row.int("created_by")?,
        created_at: row.time("created_at")?,
        balance_minutes: row.int("balance")?,
    })
}

/// A purchase to record (its purchase ledger entry is written by the caller).
#[derive(Debug, Clone)]
pub struct NewPackage<'a> {
    pub organization_id: Id,
    pub minutes: i64,
    pub price_minor: i64,
    pub currency: &'a str,
    pub purchased_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub invoice_ref: &'a str,
    pub created_by: Id,
}

pub async fn insert_package(conn: &mut dyn Conn, p: &NewPackage<'_>, now: DateTime<Utc>) -> Result<Id, StoreError> {
    let sql = "INSERT INTO hour_packages (organization_id, minutes, price_minor, currency, purchased_on, expires_on, invoice_ref, created_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    let args = vec![
        p.organization_id.into(),
        p.minutes.into(),
        p.price_minor.into(),
        p.currency.into(),
        p.purchased_on.into(),
        p.expires_on.into(),
        p.invoice_ref.into(),
        p.created_by.into(),
        now.into(),
    ];
    conn.fetch_one(Sql::Borrowed(sql), args).await?.int("id")
}

const PACKAGES: &str = "SELECT p.id, p.organization_id, p.minutes, p.price_minor, p.currency, p.purchased_on, p.expires_on, \
    p.invoice_ref, p.created_by, p.created_at, CAST(COALESCE((SELECT SUM(l.minutes) FROM hour_ledger l WHERE l.package_id = p.id), 0) AS BIGINT) AS balance \
    FROM hour_packages p";

/// An organisation's packages with their balances, the one expiring first first.
pub async fn packages(conn: &mut dyn Conn, organization_id: Id) -> Result<Vec<Package>, StoreError> {
    let sql = format!("{PACKAGES} WHERE p.organization_id = $1 ORDER BY p.expires_on, p.purchased_on, p.id");
    conn.fetch_all(Sql::Owned(sql), vec![organization_id.into()]).await?.iter().map(package_from_row).collect()
}

/// One package with its balance.
pub async fn package(conn: &mut dyn Conn, id: Id) -> Result<Option<Package>, StoreError> {
    let sql = format!("{PACKAGES} WHERE p.id = $1");
    conn.fetch_optional(Sql::Owned(sql), vec![id.into()]).await?.as_ref().map(package_from_row).transpose()
}

/// Serialises every change to one organisation's hours until the transaction ends. SQLite has
/// one writer at a time already; PostgreSQL locks the organisation's row, so two concurrent
/// time entries read the balance one after the other and never both spend the same minutes.
pub async fn lock_organization(conn: &mut dyn Conn, organization_id: Id) -> Result<(), StoreError> {
    if conn.backend() == Backend::Postgres {
        conn.fetch_all(
            Sql::Borrowed("SELECT id FROM organizations WHERE id = $1 FOR UPDATE"),
            vec![organization_id.into()],
        )
        .await?;
    }
    Ok(())
}

/// One movement of hours as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    pub id: Id,
    pub organization_id: Id,
    pub package_id: Id,
    pub kind: LedgerEntryKind,
    /// Signed: purchases and releases add, consumption, expiry and reservations subtract.
    pub minutes: i64,
    pub ticket_id: Option<Id>,
    /// The ticket's number, for statements.
    pub ticket_number: Option<i64>,
    pub time_entry_id: Option<Id>,
    pub quote_id: Option<Id>,
    pub reverses_id: Option<Id>,
    pub note: String,
    pub actor_id: Option<Id>,
    pub created_at: DateTime<Utc>,
}

/// A movement to write.
#[derive(Debug, Clone, Default)]
pub struct NewLedgerEntry<'a> {
    pub organization_id: Id,
    pub package_id: Id,
    pub kind: Option<LedgerEntryKind>,
    pub minutes: i64,
    pub ticket_id: Option<Id>,
    pub time_entry_id: Option<Id>,
    pub quote_id: Option<Id>,
    pub reverses_id: Option<Id>,
    pub note: &'a str,
    pub actor_id: Option<Id>,
}

pub async fn insert_entry(conn: &mut dyn Conn, e: &NewLedgerEntry<'_>, now: DateTime<Utc>) -> Result<Id, StoreError> {
    let kind = e.kind.ok_or_else(|| StoreError::Decode("a ledger entry needs a kind".to_owned()))?;
    let sql = "INSERT INTO hour_ledger (organization_id, package_id, kind, minutes, ticket_id, time_entry_id, quote_id, reverses_id, note, actor_id, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    let args = vec![
        e.organization_id.into(),
        e.package_id.into(),
        kind.as_str().into(),
        e.minutes.into(),
        e.ticket_id.into(),
        e.time_entry_id.into(),
        e.quote_id.into(),
        e.reverses_id.into(),
        e.note.into(),
        e.actor_id.into(),
        now.into(),
    ];
    conn.fetch_one(Sql::Borrowed(sql), args).await?.int("id")
}

fn ledger_from_row(row: &Row) -> Result<LedgerRow, StoreError> {
    Ok(LedgerRow {
        id: row.int("id")?,
        organization_id: row.int("organization_id")?,
        package_id: row.int("package_id")?,
        kind: parse_enum(LedgerEntryKind::parse, "kind", row.text("kind")?)?,
        minutes: row.int("minutes")?,
        ticket_id: row.opt_int("ticket_id")?,
        ticket_number: row.opt_int("ticket_number")?,
        time_entry_id: row.opt_int("time_entry_id")?,
        quote_id: row.opt_int("quote_id")?,
        reverses_id: row.opt_int("reverses_id")?,
        note: row.text("note")?,
        actor_id: row.opt_int("actor_id")?,
        created_at: row.time("created_at")?,
    })
}

const LEDGER: &str = "SELECT l.id, l.organization_id, l.package_id, l.kind, l.minutes, l.ticket_id, t.number AS ticket_number, \
    l.time_entry_id, l.quote_id, l.reverses_id, l.note, l.actor_id, l.created_at \
    FROM hour_ledger l LEFT JOIN tickets t ON t.id = l.ticket_id";

/// An organisation's movements in `[from, to)` (either end open), oldest first.
pub async fn ledger(
    conn: &mut dyn Conn,
    organization_id: Id,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<LedgerRow>, StoreError> {
    let mut q = SqlBuilder::new(LEDGER);
    q.push(" WHERE l.organization_id = ").bind(organization_id);
    if let Some(from) = from {
        q.push(" AND l.created_at >= ").bind(from);
    }
    if let Some(to) = to {
        q.push(" AND l.created_at < ").bind(to);
    }
    q.push(" ORDER BY l.id");
    let (sql, args) = q.finish();
    conn.fetch_all(sql, args).await?.iter().map(ledger_from_row).collect()
}

/// The sum of an organisation's movements before `at` (the opening balance of a statement).
pub async fn balance_before(conn: &mut dyn Conn, organization_id: Id, at: DateTime<Utc>) -> Result<i64, StoreError> {
    let sql = "SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) AS total FROM hour_ledger WHERE organization_id = $1 AND created_at < $2";
    conn.fetch_one(Sql::Borrowed(sql), vec![organization_id.into(), at.into()]).await?.int("total")
}

pub async fn entry(conn: &mut dyn Conn, id: Id) -> Result<Option<LedgerRow>, StoreError> {
    let sql = format!("{LEDGER} WHERE l.id = $1");
    conn.fetch_optional(Sql::Owned(sql), vec![id.into()]).await?.as_ref().map(ledger_from_row).transpose()
}

/// Whether an entry was already reversed.
pub async fn is_reversed(conn: &mut dyn Conn, id: Id) -> Result<bool, StoreError> {
    let row = conn
        .fetch_optional(Sql::Borrowed("SELECT id FROM hour_ledger WHERE reverses_id = $1"), vec![id.into()])
        .await?;
    Ok(row.is_some())
}

/// Entries tied to a quote (its reservation and any release), oldest first.
pub async fn entries_for_quote(conn: &mut dyn Conn, quote_id: Id) -> Result<Vec<LedgerRow>, StoreError> {
    let sql = format!("{LEDGER} WHERE l.quote_id = $1 ORDER BY l.id");
    conn.fetch_all(Sql::Owned(sql), vec![quote_id.into()]).await?.iter().map(ledger_from_row).collect()
}

/// Every movement in `[from, to)`, for reports across organisations.
pub async fn ledger_between(
    conn: &mut dyn Conn,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<LedgerRow>, StoreError> {
    let sql = format!("{LEDGER} WHERE l.created_at >= $1 AND l.created_at < $2 ORDER BY l.id");
    conn.fetch_all(Sql::Owned(sql), vec![from.into(), to.into()]).await?.iter().map(ledger_from_row).collect()
}

/// Time an agent spent on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeEntry {
    pub id: Id,
    pub ticket_id: Id,
    pub organization_id: Id,
    pub agent_id: Id,
    pub minutes: i64,
    pub worked_on: NaiveDate,
    pub note: String,
    /// covered, hours, quote or unbilled.
    pub billing: String,
    pub created_at: DateTime<Utc>,
}

fn time_from_row(row: &Row) -> Result<TimeEntry, StoreError> {
    Ok(TimeEntry {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        organization_id: row.int("organization_id")?,
        agent_id: row.int("agent_id")?,
        minutes: row.int("minutes")?,
        worked_on: row.date("worked_on")?,
        note: row.text("note")?,
        billing: row.text("billing")?,
        created_at: row.time("created_at")?,
    })
}

pub async fn insert_time_entry(conn: &mut dyn Conn, e: &TimeEntry) -> Result<Id, StoreError> {
    let sql = "INSERT INTO time_entries (ticket_id, organization_id, agent_id, minutes, worked_on, note, billing, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    let args = vec![
        e.ticket_id.into(),
        e.organization_id.into(),
        e.agent_id.into(),
        e.minutes.into(),
        e.worked_on.into(),
        e.note.as_str().into(),
        e.billing.as_str().into(),
        e.created_at.into(),
    ];
    conn.fetch_one(Sql::Borrowed(sql), args).await?.int("id")
}

const TIME_COLUMNS: &str =
    "SELECT id, ticket_id, organization_id, agent_id, minutes, worked_on, note, billing, created_at FROM time_entries";

pub async fn time_entries_for_ticket(conn: &mut dyn Conn, ticket_id: Id) -> Result<Vec<TimeEntry>, StoreError> {
    let sql = format!("{TIME_COLUMNS} WHERE ticket_id = $1 ORDER BY id");
    conn.fetch_all(Sql::Owned(sql), vec![ticket_id.into()]).await?.iter().map(time_from_row).collect()
}

/// Time entries worked on in `[from, to)`, for reports.
pub async fn time_entries_between(
    conn: &mut dyn Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<TimeEntry>, StoreError> {
    let sql = format!("{TIME_COLUMNS} WHERE worked_on >= $1 AND worked_on < $2 ORDER BY id");
    conn.fetch_all(Sql::Owned(sql), vec![from.into(), to.into()]).await?.iter().map(time_from_row).collect()
}

/// How a not-covered ticket is paid for: "hours" or "quote" (with the accepted quote).
pub async fn set_funding(
    conn: &mut dyn Conn,
    ticket_id: Id,
    mode: &str,
    quote_id: Option<Id>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("DELETE FROM ticket_funding WHERE ticket_id = $1"), vec![ticket_id.into()]).await?;
    conn.execute(
        Sql::Borrowed("INSERT INTO ticket_funding (ticket_id, mode, quote_id, decided_at) VALUES ($1, $2, $3, $4)"),
        vec![ticket_id.into(), mode.into(), quote_id.into(), now.into()],
    )
    .await?;
    Ok(())
}

/// The funding mode of a ticket and its quote, if chosen.
pub async fn funding(conn: &mut dyn Conn, ticket_id: Id) -> Result<Option<(String, Option<Id>)>, StoreError> {
    let row = conn
        .fetch_optional(
            Sql::Borrowed("SELECT mode, quote_id FROM ticket_funding WHERE ticket_id = $1"),
            vec![ticket_id.into()],
        )
        .await?;
    row.map(|r| Ok((r.text("mode")?, r.opt_int("quote_id")?))).transpose()
}

/// Records that the notice `key` went out; false when it already had (send nothing then).
pub async fn notice_once(conn: &mut dyn Conn, key: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = conn
        .execute(
            Sql::Borrowed("INSERT INTO notices (key, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING"),
            vec![key.into(), now.into()],
        )
        .await?;
    Ok(n > 0)
}
