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
    /// When the periodic check next recomputes this row (see migration 0008); `None`: not
    /// until the ticket changes.
    pub check_at: Option<DateTime<Utc>>,
}

macro_rules! columns {
    () => {
        "ticket_id, first_response_due, update_due, resolution_due, urgent_at, state, computed_at, check_at"
    };
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
        check_at: row.opt_time("check_at")?,
    })
}

/// Writes a ticket's row, replacing the one there, for a change made by a use case. A
/// recheck already pending earlier is kept: the row may have been computed from a calendar
/// this process has not re-read yet, and the check (which reads it afresh) corrects it then.
pub async fn upsert(conn: &mut dyn Conn, r: &SlaRow) -> Result<(), StoreError> {
    write(conn, r, false).await
}

/// The periodic check's write: the whole row, unless the one there was computed later (by
/// a change that happened while the check was computing from older inputs).
pub async fn upsert_if_newer(conn: &mut dyn Conn, r: &SlaRow) -> Result<(), StoreError> {
    write(conn, r, true).await
}

async fn write(conn: &mut dyn Conn, r: &SlaRow, from_check: bool) -> Result<(), StoreError> {
    let head = "INSERT INTO ticket_sla (ticket_id, first_response_due, update_due, resolution_due, urgent_at, state, computed_at, check_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (ticket_id) DO UPDATE SET \
               first_response_due = excluded.first_response_due, update_due = excluded.update_due, \
               resolution_due = excluded.resolution_due, urgent_at = excluded.urgent_at, state = excluded.state, \
               computed_at = excluded.computed_at, check_at = ";
    let tail = if from_check {
        "excluded.check_at WHERE ticket_sla.computed_at <= excluded.computed_at"
    } else {
        "CASE WHEN ticket_sla.check_at IS NULL THEN excluded.check_at WHEN excluded.check_at IS NULL THEN ticket_sla.check_at \
         WHEN excluded.check_at < ticket_sla.check_at THEN excluded.check_at ELSE ticket_sla.check_at END"
    };
    let args = vec![
        r.ticket_id.into(),
        r.first_response_due.into(),
        r.update_due.into(),
        r.resolution_due.into(),
        r.urgent_at.into(),
        r.state.as_str().into(),
        r.computed_at.into(),
        r.check_at.into(),
    ];
    conn.execute(Sql::Owned(format!("{head}{tail}")), args).await?;
    Ok(())
}

pub async fn by_ticket(conn: &mut dyn Conn, ticket_id: Id) -> Result<Option<SlaRow>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM ticket_sla WHERE ticket_id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![ticket_id.into()]).await?.as_ref().map(sla_from_row).transpose()
}

/// The rows of these tickets (a queue page), in no particular order.
pub async fn for_tickets(conn: &mut dyn Conn, ticket_ids: &[Id]) -> Result<Vec<SlaRow>, StoreError> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = SqlBuilder::new(concat!("SELECT ", columns!(), " FROM ticket_sla WHERE ticket_id IN ("));
    q.bind_list(ticket_ids).push(")");
    let (sql, args) = q.finish();
    conn.fetch_all(sql, args).await?.iter().map(sla_from_row).collect()
}

/// Which tickets to read the clock inputs of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    One(Id),
    /// A batch of the periodic check.
    Ids(&'a [Id]),
    /// Tickets opened at or after this instant (the compliance report).
    OpenedSince(DateTime<Utc>),
}

/// Restricts `alias`'s tickets to `scope`. The fragments are literal; values are bound.
fn scope_filter(q: &mut SqlBuilder, scope: Scope<'_>) {
    match scope {
        Scope::One(id) => {
            q.push(" AND t.id = ").bind(id);
        }
        Scope::Ids([]) => {
            q.push(" AND 1 = 0");
        }
        Scope::Ids(ids) => {
            q.push(" AND t.id IN (").bind_list(ids).push(")");
        }
        Scope::OpenedSince(since) => {
            q.push(" AND t.created_at >= ").bind(since);
        }
    }
}

/// Where a walk over the rows due for a check has got to: (check_at, ticket_id) of the last
/// row handed out.
pub type CheckCursor = (DateTime<Utc>, Id);

/// Up to `limit` rows whose check is due at `now`, in (check_at, ticket_id) order after
/// `after`: an index walk (`ticket_sla_check`) however many tickets there are.
pub async fn due_for_check(
    conn: &mut dyn Conn,
    now: DateTime<Utc>,
    after: Option<CheckCursor>,
    limit: i64,
) -> Result<Vec<CheckCursor>, StoreError> {
    let mut q = SqlBuilder::new("SELECT ticket_id, check_at FROM ticket_sla WHERE check_at <= ");
    q.bind(now);
    if let Some((at, id)) = after {
        q.push(" AND (check_at > ")
            .bind(at)
            .push(" OR (check_at = ")
            .bind(at)
            .push(" AND ticket_id > ")
            .bind(id)
            .push("))");
    }
    q.push(" ORDER BY check_at, ticket_id LIMIT ").bind(limit);
    let (sql, args) = q.finish();
    conn.fetch_all(sql, args).await?.iter().map(|r| Ok((r.time("check_at")?, r.int("ticket_id")?))).collect()
}

/// Where a walk over stale tickets has got to: (updated_at, number) of the last one.
pub type StaleCursor = (DateTime<Utc>, i64);

/// Up to `limit` tickets whose row is older than the ticket's last change (a use case that
/// does not recompute the clock: a quote, the client's decision) or that have none while not
/// closed, in (updated_at, number) order after `after`. With `since`, only tickets changed at
/// or after it: a walk of the `tickets_updated` index from there, however many tickets there
/// are; without, every ticket. Gives each one's cursor and id.
pub async fn stale(
    conn: &mut dyn Conn,
    since: Option<DateTime<Utc>>,
    after: Option<StaleCursor>,
    limit: i64,
) -> Result<Vec<(StaleCursor, Id)>, StoreError> {
    let mut q = SqlBuilder::new(
        "SELECT t.id, t.number, t.updated_at FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id \
         WHERE ((s.ticket_id IS NULL AND t.status <> ",
    );
    q.bind(Status::Closed.as_str()).push(") OR s.computed_at < t.updated_at)");
    if let Some(since) = since {
        q.push(" AND t.updated_at >= ").bind(since);
    }
    if let Some((at, number)) = after {
        q.push(" AND (t.updated_at > ").bind(at);
        q.push(" OR (t.updated_at = ").bind(at).push(" AND t.number > ").bind(number).push("))");
    }
    q.push(" ORDER BY t.updated_at, t.number LIMIT ").bind(limit);
    let (sql, args) = q.finish();
    let rows = conn.fetch_all(sql, args).await?;
    rows.iter().map(|r| Ok(((r.time("updated_at")?, r.int("number")?), r.int("id")?))).collect()
}

/// Asks the check to recompute the rows of the tickets not closed of one organisation (or
/// of all): their calendar changed. Each row becomes due from when it was computed (due at
/// the next check whatever the clock says); an earlier pending check is kept.
pub async fn recheck(conn: &mut dyn Conn, organization_id: Option<Id>) -> Result<u64, StoreError> {
    let mut q = SqlBuilder::new(
        "UPDATE ticket_sla SET check_at = computed_at WHERE (check_at IS NULL OR check_at > computed_at) \
         AND ticket_id IN (SELECT id FROM tickets WHERE status <> ",
    );
    q.bind(Status::Closed.as_str());
    if let Some(org) = organization_id {
        q.push(" AND organization_id = ").bind(org);
    }
    q.push(")");
    let (sql, args) = q.finish();
    conn.execute(sql, args).await
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

pub async fn tickets(conn: &mut dyn Conn, scope: Scope<'_>) -> Result<Vec<SlaTicket>, StoreError> {
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
pub async fn status_events(conn: &mut dyn Conn, scope: Scope<'_>) -> Result<Vec<StatusEvent>, StoreError> {
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
    scope: Scope<'_>,
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
