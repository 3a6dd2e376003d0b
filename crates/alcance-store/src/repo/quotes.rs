//! Quotes (cotizaciones) for not-covered work, their lines and their yearly numbering.

use alcance_domain::model::Id;
use alcance_domain::quote::{LinePricing, QuoteLine, QuoteStatus};
use chrono::{DateTime, NaiveDate, Utc};

use crate::repo::parse_enum;
use crate::{Conn, ConnExt, Row, Sql, StoreError, Value};

macro_rules! columns {
    () => {
        "q.id, q.number, q.ticket_id, t.number AS ticket_number, q.organization_id, q.status, q.title, q.notes, q.currency, \
         q.hourly_rate_minor, q.tax_rate_basis_points, q.subtotal_minor, q.tax_minor, q.total_minor, q.hours_minutes, \
         q.valid_until, q.pay_with_hours, q.created_by, q.created_at, q.updated_at, q.sent_at, q.decided_by, q.decided_at, \
         q.decided_ip, q.decision_note"
    };
}

/// A stored quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub id: Id,
    /// Q-YYYY-NNNN.
    pub number: String,
    pub ticket_id: Id,
    pub ticket_number: i64,
    pub organization_id: Id,
    pub status: QuoteStatus,
    pub title: String,
    pub notes: String,
    pub currency: String,
    pub hourly_rate_minor: i64,
    pub tax_rate_basis_points: i64,
    pub subtotal_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// The hours of its hour lines, in minutes.
    pub hours_minutes: i64,
    pub valid_until: NaiveDate,
    /// Accepted to be paid from the organisation's hour packages (hours reserved).
    pub pay_with_hours: bool,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub decided_by: Option<Id>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The address the client manager decided from.
    pub decided_ip: Option<String>,
    pub decision_note: Option<String>,
    pub lines: Vec<QuoteLine>,
}

fn from_row(row: &Row) -> Result<Quote, StoreError> {
    Ok(Quote {
        id: row.int("id")?,
        number: row.text("number")?,
        ticket_id: row.int("ticket_id")?,
        ticket_number: row.int("ticket_number")?,
        organization_id: row.int("organization_id")?,
        status: parse_enum(QuoteStatus::parse, "status", row.text("status")?)?,
        title: row.text("title")?,
        notes: row.text("notes")?,
        currency: row.text("currency")?,
        hourly_rate_minor: row.int("hourly_rate_minor")?,
        tax_rate_basis_points: row.int("tax_rate_basis_points")?,
        subtotal_minor: row.int("subtotal_minor")?,
        tax_minor: row.int("tax_minor")?,
        total_minor: row.int("total_minor")?,
        hours_minutes: row.int("hours_minutes")?,
        valid_until: row.date("valid_until")?,
        pay_with_hours: row.bool("pay_with_hours")?,
        created_by: row.int("created_by")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        sent_at: row.opt_time("sent_at")?,
        decided_by: row.opt_int("decided_by")?,
        decided_at: row.opt_time("decided_at")?,
        decided_ip: row.opt_text("decided_ip")?,
        decision_note: row.opt_text("decision_note")?,
        lines: Vec::new(),
    })
}

/// The next number of `year` (1, 2, ...), taken inside the caller's transaction so two quotes
/// never share one.
pub async fn next_number(conn: &mut dyn Conn, year: i32) -> Result<i64, StoreError> {
    conn.execute(
        Sql::Borrowed("INSERT INTO quote_numbers (year, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING"),
        vec![i64::from(year).into()],
    )
    .await?;
    let row = conn
        .fetch_one(
            Sql::Borrowed("UPDATE quote_numbers SET last_seq = last_seq + 1 WHERE year = $1 RETURNING last_seq"),
            vec![i64::from(year).into()],
        )
        .await?;
    row.int("last_seq")
}

/// Inserts a quote and its lines; gives its id.
pub async fn insert(conn: &mut dyn Conn, q: &Quote) -> Result<Id, StoreError> {
    let sql = "INSERT INTO quotes (number, ticket_id, organization_id, status, title, notes, currency, hourly_rate_minor, \
               tax_rate_basis_points, subtotal_minor, tax_minor, total_minor, hours_minutes, valid_until, pay_with_hours, \
               created_by, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id";
    let args = vec![
        q.number.as_str().into(),
        q.ticket_id.into(),
        q.organization_id.into(),
        q.status.as_str().into(),
        q.title.as_str().into(),
        q.notes.as_str().into(),
        q.currency.as_str().into(),
        q.hourly_rate_minor.into(),
        q.tax_rate_basis_points.into(),
        q.subtotal_minor.into(),
        q.tax_minor.into(),
        q.total_minor.into(),
        q.hours_minutes.into(),
        q.valid_until.into(),
        q.pay_with_hours.into(),
        q.created_by.into(),
        q.created_at.into(),
        q.updated_at.into(),
    ];
    let id = conn.fetch_one(Sql::Borrowed(sql), args).await?.int("id")?;
    insert_lines(conn, id, &q.lines).await?;
    Ok(id)
}

async fn insert_lines(conn: &mut dyn Conn, quote_id: Id, lines: &[QuoteLine]) -> Result<(), StoreError> {
    for (position, line) in lines.iter().enumerate() {
        let (minutes, rate) = match line.pricing {
            LinePricing::Hours { minutes, rate_minor } => (Some(minutes), Some(rate_minor)),
            LinePricing::Fixed { .. } => (None, None),
        };
        conn.execute(
            Sql::Borrowed(
                "INSERT INTO quote_lines (quote_id, position, description, kind, minutes, rate_minor, amount_minor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            ),
            vec![
                quote_id.into(),
                (position as i64).into(),
                line.description.as_str().into(),
                line.pricing.kind().as_str().into(),
                Value::Int(minutes),
                Value::Int(rate),
                line.amount_minor.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Replaces the lines and amounts of a draft (the caller checked it is one).
pub async fn update_draft(conn: &mut dyn Conn, q: &Quote) -> Result<(), StoreError> {
    let sql = "UPDATE quotes SET title = $2, notes = $3, subtotal_minor = $4, tax_minor = $5, total_minor = $6, \
               hours_minutes = $7, valid_until = $8, updated_at = $9 WHERE id = $1 AND status = 'draft'";
    let args = vec![
        q.id.into(),
        q.title.as_str().into(),
        q.notes.as_str().into(),
        q.subtotal_minor.into(),
        q.tax_minor.into(),
        q.total_minor.into(),
        q.hours_minutes.into(),
        q.valid_until.into(),
        q.updated_at.into(),
    ];
    if conn.execute(Sql::Borrowed(sql), args).await? == 0 {
        return Err(StoreError::Conflict("only a draft quote can change".to_owned()));
    }
    conn.execute(Sql::Borrowed("DELETE FROM quote_lines WHERE quote_id = $1"), vec![q.id.into()]).await?;
    insert_lines(conn, q.id, &q.lines).await
}

/// Moves a quote from `from` to its current status with the decision fields; false when it
/// was no longer in `from` (someone else moved it first).
pub async fn set_status(conn: &mut dyn Conn, q: &Quote, from: QuoteStatus) -> Result<bool, StoreError> {
    let sql = "UPDATE quotes SET status = $2, updated_at = $3, sent_at = $4, decided_by = $5, decided_at = $6, \
               decided_ip = $7, decision_note = $8, pay_with_hours = $9 WHERE id = $1 AND status = $10";
    let args = vec![
        q.id.into(),
        q.status.as_str().into(),
        q.updated_at.into(),
        q.sent_at.into(),
        q.decided_by.into(),
        q.decided_at.into(),
        Value::Text(q.decided_ip.clone()),
        Value::Text(q.decision_note.clone()),
        q.pay_with_hours.into(),
        from.as_str().into(),
    ];
    Ok(conn.execute(Sql::Borrowed(sql), args).await? > 0)
}

async fn with_lines(conn: &mut dyn Conn, mut q: Quote) -> Result<Quote, StoreError> {
    let rows = conn
        .fetch_all(
            Sql::Borrowed(
                "SELECT description, kind, minutes, rate_minor, amount_minor FROM quote_lines WHERE quote_id = $1 ORDER BY position",
            ),
            vec![q.id.into()],
        )
        .await?;
    q.lines = rows
        .iter()
        .map(|r| {
            let pricing = match r.text("kind")?.as_str() {
                "hours" => LinePricing::Hours { minutes: r.int("minutes")?, rate_minor: r.int("rate_minor")? },
                _ => LinePricing::Fixed { amount_minor: r.int("amount_minor")? },
            };
            Ok(QuoteLine { description: r.text("description")?, pricing, amount_minor: r.int("amount_minor")? })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(q)
}

pub async fn by_number(conn: &mut dyn Conn, number: &str) -> Result<Option<Quote>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM quotes q JOIN tickets t ON t.id = q.ticket_id WHERE q.number = $1");
    match conn.fetch_optional(Sql::Borrowed(sql), vec![number.into()]).await? {
        Some(row) => Ok(Some(with_lines(conn, from_row(&row)?).await?)),
        None => Ok(None),
    }
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<Quote>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM quotes q JOIN tickets t ON t.id = q.ticket_id WHERE q.id = $1");
    match conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await? {
        Some(row) => Ok(Some(with_lines(conn, from_row(&row)?).await?)),
        None => Ok(None),
    }
}

/// A ticket's quotes, oldest first, without lines.
pub async fn for_ticket(conn: &mut dyn Conn, ticket_id: Id) -> Result<Vec<Quote>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM quotes q JOIN tickets t ON t.id = q.ticket_id WHERE q.ticket_id = $1 ORDER BY q.id"
    );
    conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into()]).await?.iter().map(from_row).collect()
}

/// Quotes of one organisation (or all with `None`), newest first, without lines.
pub async fn list(conn: &mut dyn Conn, organization_id: Option<Id>, limit: i64) -> Result<Vec<Quote>, StoreError> {
    let rows = match organization_id {
        Some(org) => {
            let sql = concat!(
                "SELECT ",
                columns!(),
                " FROM quotes q JOIN tickets t ON t.id = q.ticket_id WHERE q.organization_id = $1 ORDER BY q.id DESC LIMIT $2"
            );
            conn.fetch_all(Sql::Borrowed(sql), vec![org.into(), limit.into()]).await?
        }
        None => {
            let sql = concat!(
                "SELECT ",
                columns!(),
                " FROM quotes q JOIN tickets t ON t.id = q.ticket_id ORDER BY q.id DESC LIMIT $1"
            );
            conn.fetch_all(Sql::Borrowed(sql), vec![limit.into()]).await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// Sent quotes whose validity ended before `today` (for the expiry job).
pub async fn sent_expired(conn: &mut dyn Conn, today: NaiveDate) -> Result<Vec<Quote>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM quotes q JOIN tickets t ON t.id = q.ticket_id WHERE q.status = 'sent' AND q.valid_until < $1 ORDER BY q.id"
    );
    conn.fetch_all(Sql::Borrowed(sql), vec![today.into()]).await?.iter().map(from_row).collect()
}
