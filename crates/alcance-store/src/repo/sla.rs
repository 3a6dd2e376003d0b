//! SLA clocks: what the clock of a ticket is computed from (its status history and its
//! agents' public replies) and the last computed position of each ticket (`ticket_sla`).

use alcance_domain::model::Id;
use alcance_domain::ticket::{Priority, Status};
use chrono::{DateTime, Utc};

use super::parse_enum;
use crate::{Conn, ConnExt, Row, Sql, SqlBuilder, StoreError};

/// A ticket's SLA as last computed. Times are UTC; `urgent_at` is the earliest due instant
/// of a target still running (none when paused or all met).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaRow {
    pub ticket_id: Id,
    pub first_response_due: Option<DateTime<Utc>>,
    pub update_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    pub urgent_at: Option<DateTime<Utc>>,
    /// ok, warning or breached.
    pub state: String,
    pub computed_at: DateTime<Utc>,
}

fn sla_from_row(row: &Row) -> Result<SlaRow, StoreError> {
    Ok(SlaRow {
        ticket_id: row.int("ticket_id")?,
        first_response_due: row.opt_time("first_response_due")?,
        update_due: row.opt_time("update_due")?,
        resolution_due: row.opt_time("resolution_due")?,
        urgent_at: row.opt_time("urgent_at")?,
        state: row.text("state")?,
        computed_at: row.time("computed_at")?,
    })
}

/// Writes a ticket's row, replacing the one there.
pub async fn upsert(conn: &mut dyn Conn, r: &SlaRow) -> Result<(), StoreError> {
    write(conn, r, false).await
}

/// Writes a ticket's row unless the one there was computed later (by a change that happened
/// while the periodic check was computing from older inputs).
pub async fn upsert_if_newer(conn: &mut dyn Conn, r: &SlaRow) -> Result<(), StoreError> {
    write(conn, r, true).await
}

async fn write(conn: &mut dyn Conn, r: &SlaRow, only_if_newer: bool) -> Result<(), StoreError> {
    let sql = "INSERT INTO ticket_sla (ticket_id, first_response_due, update_due, resolution_due, urgent_at, state, computed_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (ticket_id) DO UPDATE SET \
               first_response_due = excluded.first_response_due, update_due = excluded.update_due, \
               resolution_due = excluded.resolution_due, urgent_at = excluded.urgent_at, state = excluded.state, \
               computed_at = excluded.computed_at";
    let newer = " WHERE ticket_sla.computed_at <= excluded.computed_at";
    let sql = if only_if_newer { Sql::Owned(format!("{sql}{newer}")) } else { Sql::Borrowed(sql) };
    let args = vec![
        r.ticket_id.into(),
        r.first_response_due.into(),
        r.update_due.into(),
        r.resolution_due.into(),
        r.urgent_at.into(),
        r.state.as_str().into(),
        r.computed_at.into(),
    ];
    conn.execute(sql, args).await?;
    Ok(())
}

pub async fn by_ticket(conn: &mut dyn Conn, ticket_id: Id) -> Result<Option<SlaRow>, StoreError> {
    let sql = "SELECT ticket_id, first_response_due, update_due, resolution_due, urgent_at, state, computed_at FROM ticket_sla WHERE ticket_id = $1";
    conn.fetch_optional(Sql::Borrowed(sql), vec![ticket_id.into()]).await?.as_ref().map(sla_from_row).transpose()
}

/// The rows of these tickets (a queue page), in no particular order.
pub async fn for_tickets(conn: &mut dyn Conn, ticket_ids: &[Id]) -> Result<Vec<SlaRow>, StoreError> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = SqlBuilder::new(
        "SELECT ticket_id, first_response_due, update_due, resolution_due, urgent_at, state, computed_at FROM ticket_sla WHERE ticket_id IN (",
    );
    q.bind_list(ticket_ids).push(")");
    let (sql, args) = q.finish();
    conn.fetch_all(sql, args).await?.iter().map(sla_from_row).collect()
}

/// Which tickets to read the clock inputs of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    One(Id),
    /// Tickets not closed, and closed ones whose row still has a running target (closed by a
    /// use case that did not recompute it).
    Running,
    /// Tickets opened at or after this instant (the compliance report).
    OpenedSince(DateTime<Utc>),
}

/// Restricts `alias`'s tickets to `scope`. The fragments are literal; values are bound.
fn scope_filter(q: &mut SqlBuilder, scope: Scope) {
    match scope {
        Scope::One(id) => {
            q.push(" AND t.id = ").bind(id);
        }
        Scope::Running => {
            q.push(" AND (t.status <> ")
                .bind(Status::Closed.as_str())
                .push(" OR EXISTS (SELECT 1 FROM ticket_sla s WHERE s.ticket_id = t.id AND s.urgent_at IS NOT NULL))");
        }
        Scope::OpenedSince(since) => {
            q.push(" AND t.created_at >= ").bind(since);
        }
    }
}

/// The stored rows of the tickets in `scope`.
pub async fn rows(conn: &mut dyn Conn, scope: Scope) -> Result<Vec<SlaRow>, StoreError> {
    let mut q = SqlBuilder::new(
        "SELECT s.ticket_id, s.first_response_due, s.update_due, s.resolution_due, s.urgent_at, s.state, s.computed_at \
         FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id WHERE 1 = 1",
    );
    scope_filter(&mut q, scope);
    let (sql, args) = q.finish();
    conn.fetch_all(sql, args).await?.iter().map(sla_from_row).collect()
}

/// What the SLA clock needs of a ticket itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaTicket {
    pub id: Id,
    pub number: i64,
    pub organization_id: Id,
    pub assignee_id: Option<Id>,
    pub subject: String,
    pub priority: Priority,
    pub status: Status,
    pub created_at: DateTime<Utc>,
}

pub async fn tickets(conn: &mut dyn Conn, scope: Scope) -> Result<Vec<SlaTicket>, StoreError> {
    let mut q = SqlBuilder::new(
        "SELECT t.id, t.number, t.organization_id, t.assignee_id, t.subject, t.priority, t.status, t.created_at FROM tickets t WHERE 1 = 1",
    );
    scope_filter(&mut q, scope);
    q.push(" ORDER BY t.id");
    let (sql, args) = q.finish();
    let rows = conn.fetch_all(sql, args).await?;
    rows.iter()
        .map(|r| {
            Ok(SlaTicket {
                id: r.int("id")?,
                number: r.int("number")?,
                organization_id: r.int("organization_id")?,
                assignee_id: r.opt_int("assignee_id")?,
                subject: r.text("subject")?,
                priority: parse_enum(Priority::parse, "priority", r.text("priority")?)?,
                status: parse_enum(Status::parse, "status", r.text("status")?)?,
                created_at: r.time("created_at")?,
            })
        })
        .collect()
}

/// One entry of a ticket's status history: its creation or a status change, with the
/// event's JSON `after` value (the new status, or the created ticket's fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEvent {
    pub ticket_id: Id,
    pub created: bool,
    pub after: Option<String>,
    pub at: DateTime<Utc>,
}

/// The creation and status changes of the tickets in `scope`, by ticket then in order.
pub async fn status_events(conn: &mut dyn Conn, scope: Scope) -> Result<Vec<StatusEvent>, StoreError> {
    let mut q = SqlBuilder::new(
        "SELECT e.ticket_id, e.kind, e.after_value, e.created_at FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id \
         WHERE e.kind IN ('created', 'status_changed')",
    );
    scope_filter(&mut q, scope);
    q.push(" ORDER BY e.ticket_id, e.id");
    let (sql, args) = q.finish();
    let rows = conn.fetch_all(sql, args).await?;
    rows.iter()
        .map(|r| {
            Ok(StatusEvent {
                ticket_id: r.int("ticket_id")?,
                created: r.text("kind")? == "created",
                after: r.opt_text("after_value")?,
                at: r.time("created_at")?,
            })
        })
        .collect()
}

/// The first and latest public reply by staff (admins and agents) on each ticket of
/// `scope` that has one: (ticket, first, latest).
pub async fn agent_replies(
    conn: &mut dyn Conn,
    scope: Scope,
) -> Result<Vec<(Id, DateTime<Utc>, DateTime<Utc>)>, StoreError> {
    let mut q = SqlBuilder::new(
        "SELECT c.ticket_id, MIN(c.created_at) AS first_at, MAX(c.created_at) AS last_at FROM comments c \
         JOIN users u ON u.id = c.author_id JOIN tickets t ON t.id = c.ticket_id \
         WHERE u.role IN ('admin', 'agent') AND c.internal = ",
    );
    q.bind(false);
    scope_filter(&mut q, scope);
    q.push(" GROUP BY c.ticket_id");
    let (sql, args) = q.finish();
    let rows = conn.fetch_all(sql, args).await?;
    rows.iter().map(|r| Ok((r.int("ticket_id")?, r.time("first_at")?, r.time("last_at")?))).collect()
}
