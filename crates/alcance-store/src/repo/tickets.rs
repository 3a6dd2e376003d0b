use alcance_domain::model::{Id, Ticket};
use alcance_domain::ticket::{Channel, Coverage, Priority, Status};
use chrono::{DateTime, Utc};

use super::parse_enum;
use crate::{Backend, Conn, ConnExt, Row, Sql, SqlBuilder, StoreError};

macro_rules! columns {
    () => {
        "id, number, organization_id, requester_id, assignee_id, asset_id, subject, body, channel, priority, category, coverage, status, policy_id, created_at, updated_at, resolved_at, closed_at"
    };
}

fn from_row(row: &Row) -> Result<Ticket, StoreError> {
    Ok(Ticket {
        id: row.int("id")?,
        number: row.int("number")?,
        organization_id: row.int("organization_id")?,
        requester_id: row.int("requester_id")?,
        assignee_id: row.opt_int("assignee_id")?,
        asset_id: row.opt_int("asset_id")?,
        subject: row.text("subject")?,
        body: row.text("body")?,
        channel: parse_enum(Channel::parse, "channel", row.text("channel")?)?,
        priority: parse_enum(Priority::parse, "priority", row.text("priority")?)?,
        category: row.opt_text("category")?,
        coverage: parse_enum(Coverage::parse, "coverage", row.text("coverage")?)?,
        status: parse_enum(Status::parse, "status", row.text("status")?)?,
        policy_id: row.opt_int("policy_id")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        resolved_at: row.opt_time("resolved_at")?,
        closed_at: row.opt_time("closed_at")?,
    })
}

pub struct NewTicket<'a> {
    pub organization_id: Id,
    pub requester_id: Id,
    pub asset_id: Option<Id>,
    pub subject: &'a str,
    pub body: &'a str,
    pub channel: Channel,
    pub priority: Priority,
}

/// The next human ticket number. PostgreSQL takes it from a sequence (concurrent
/// transactions never wait on each other; a rolled-back insert leaves a gap). SQLite has one
/// writer at a time, so the highest number plus one is safe and gapless.
async fn next_number(conn: &mut dyn Conn) -> Result<i64, StoreError> {
    let sql = match conn.backend() {
        Backend::Postgres => "SELECT nextval('ticket_number_seq') AS n",
        Backend::Sqlite => "SELECT COALESCE(MAX(number), 1000) + 1 AS n FROM tickets",
    };
    conn.fetch_one(Sql::Borrowed(sql), Vec::new()).await?.int("n")
}

pub async fn insert(conn: &mut dyn Conn, t: NewTicket<'_>, now: DateTime<Utc>) -> Result<Ticket, StoreError> {
    let number = next_number(conn).await?;
    let sql = concat!(
        "INSERT INTO tickets (number, organization_id, requester_id, asset_id, subject, body, channel, priority, coverage, status, created_at, updated_at) ",
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ",
        columns!()
    );
    let args = vec![
        number.into(),
        t.organization_id.into(),
        t.requester_id.into(),
        t.asset_id.into(),
        t.subject.into(),
        t.body.into(),
        t.channel.as_str().into(),
        t.priority.as_str().into(),
        Coverage::Pending.as_str().into(),
        Status::New.as_str().into(),
        now.into(),
    ];
    from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

pub async fn by_number(conn: &mut dyn Conn, number: i64) -> Result<Option<Ticket>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM tickets WHERE number = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![number.into()]).await?.as_ref().map(from_row).transpose()
}

/// Writes the mutable fields of `t` back.
pub async fn update(conn: &mut dyn Conn, t: &Ticket) -> Result<(), StoreError> {
    let sql = "UPDATE tickets SET assignee_id = $2, asset_id = $3, priority = $4, category = $5, coverage = $6, status = $7, policy_id = $8, updated_at = $9, resolved_at = $10, closed_at = $11 WHERE id = $1";
    let args = vec![
        t.id.into(),
        t.assignee_id.into(),
        t.asset_id.into(),
        t.priority.as_str().into(),
        t.category.clone().into(),
        t.coverage.as_str().into(),
        t.status.as_str().into(),
        t.policy_id.into(),
        t.updated_at.into(),
        t.resolved_at.into(),
        t.closed_at.into(),
    ];
    match conn.execute(Sql::Borrowed(sql), args).await? {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

/// Marks activity on a ticket (a reply, an attachment).
pub async fn touch(conn: &mut dyn Conn, id: Id, now: DateTime<Utc>) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("UPDATE tickets SET updated_at = $2 WHERE id = $1"), vec![id.into(), now.into()])
        .await?;
    Ok(())
}

/// Which tickets to list. Every field narrows the list; empty means any.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub organization_id: Option<Id>,
    pub requester_id: Option<Id>,
    pub statuses: Vec<Status>,
    pub priority: Option<Priority>,
    pub category: Option<String>,
    pub coverage: Option<Coverage>,
    /// `Some(None)`: unassigned tickets only.
    pub assignee_id: Option<Option<Id>>,
    /// Only tickets numbered below this (the cursor of the previous page).
    pub before_number: Option<i64>,
    /// Words that must appear in the subject (case-insensitive), or a ticket number.
    pub text: Option<String>,
    pub sort: TicketSort,
    /// Rows to skip (page lists sorted otherwise than by number).
    pub offset: i64,
    pub limit: i64,
}

/// Orders of a ticket list. Ties are broken by number, newest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TicketSort {
    #[default]
    Newest,
    Oldest,
    RecentlyUpdated,
    LeastRecentlyUpdated,
    /// Critical first.
    Priority,
    /// The classifier's most confident suggestion first (tickets without one last).
    Suggested,
    /// The earliest due instant of a running SLA target first (`ticket_sla.urgent_at`);
    /// tickets with none running (paused, met, never computed) last.
    Urgency,
}

/// A page of tickets, newest first.
pub async fn list(conn: &mut dyn Conn, f: &TicketFilter) -> Result<Vec<Ticket>, StoreError> {
    let mut q = SqlBuilder::new(concat!("SELECT ", columns!(), " FROM tickets"));
    if f.sort == TicketSort::Suggested {
        // Renamed so the ticket's own columns stay unambiguous for the filters below.
        q.push(concat!(
            " LEFT JOIN (SELECT ticket_id AS suggested_ticket_id, confidence AS suggested_confidence",
            " FROM ticket_suggestions) suggested ON suggested.suggested_ticket_id = tickets.id"
        ));
    }
    if f.sort == TicketSort::Urgency {
        q.push(concat!(
            " LEFT JOIN (SELECT ticket_id AS sla_ticket_id, urgent_at AS sla_urgent_at",
            " FROM ticket_sla) sla ON sla.sla_ticket_id = tickets.id"
        ));
    }
    q.push(" WHERE 1 = 1");
    if let Some(org) = f.organization_id {
        q.push(" AND organization_id = ").bind(org);
    }
    if let Some(requester) = f.requester_id {
        q.push(" AND requester_id = ").bind(requester);
    }
    match f.statuses.as_slice() {
        [] => {}
        [one] => {
            q.push(" AND status = ").bind(one.as_str());
        }
        many => {
            q.push(" AND status IN (");
            for (i, status) in many.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(status.as_str());
            }
            q.push(")");
        }
    }
    if let Some(priority) = f.priority {
        q.push(" AND priority = ").bind(priority.as_str());
    }
    if let Some(category) = &f.category {
        q.push(" AND category = ").bind(category.as_str());
    }
    if let Some(coverage) = f.coverage {
        q.push(" AND coverage = ").bind(coverage.as_str());
    }
    match f.assignee_id {
        Some(Some(assignee)) => {
            q.push(" AND assignee_id = ").bind(assignee);
        }
        Some(None) => {
            q.push(" AND assignee_id IS NULL");
        }
        None => {}
    }
    if let Some(before) = f.before_number {
        q.push(" AND number < ").bind(before);
    }
    if let Some(text) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        match text.trim_start_matches('#').parse::<i64>() {
            Ok(number) => {
                q.push(" AND number = ").bind(number);
            }
            Err(_) => {
                for word in text.split_whitespace().take(8) {
                    let escaped = word.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                    q.push(" AND lower(subject) LIKE ").bind(format!("%{escaped}%")).push(" ESCAPE '\\'");
                }
            }
        }
    }
    q.push(match f.sort {
        TicketSort::Newest => " ORDER BY number DESC",
        TicketSort::Oldest => " ORDER BY number ASC",
        TicketSort::RecentlyUpdated => " ORDER BY updated_at DESC, number DESC",
        TicketSort::LeastRecentlyUpdated => " ORDER BY updated_at ASC, number DESC",
        TicketSort::Priority => {
            " ORDER BY CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, number DESC"
        }
        TicketSort::Suggested => " ORDER BY suggested_confidence IS NULL, suggested_confidence DESC, number DESC",
        TicketSort::Urgency => " ORDER BY sla_urgent_at IS NULL, sla_urgent_at ASC, number DESC",
    });
    q.push(" LIMIT ").bind(f.limit);
    if f.offset > 0 {
        q.push(" OFFSET ").bind(f.offset);
    }
    let (sql, args) = q.finish();
    conn.fetch_all(sql, args).await?.iter().map(from_row).collect()
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<Ticket>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM tickets WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}
