//! The append-only history of each ticket.

use alcance_domain::model::{EventKind, Id, TicketEvent};
use chrono::{DateTime, Utc};

use super::parse_enum;
use crate::{Conn, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, ticket_id, actor_id, kind, internal, before_value, after_value, reason, created_at"
    };
}

fn from_row(row: &Row) -> Result<TicketEvent, StoreError> {
    Ok(TicketEvent {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        actor_id: row.opt_int("actor_id")?,
        kind: parse_enum(EventKind::parse, "kind", row.text("kind")?)?,
        internal: row.bool("internal")?,
        before: row.opt_text("before_value")?,
        after: row.opt_text("after_value")?,
        reason: row.opt_text("reason")?,
        created_at: row.time("created_at")?,
    })
}

pub struct NewEvent {
    pub ticket_id: Id,
    pub actor_id: Option<Id>,
    pub kind: EventKind,
    pub internal: bool,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
}

pub async fn append(conn: &mut dyn Conn, e: NewEvent, now: DateTime<Utc>) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed("INSERT INTO ticket_events (ticket_id, actor_id, kind, internal, before_value, after_value, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"),
        vec![e.ticket_id.into(), e.actor_id.into(), e.kind.as_str().into(), e.internal.into(), e.before.into(), e.after.into(), e.reason.into(), now.into()],
    )
    .await?;
    Ok(())
}

/// A ticket's history in order; internal events only when `include_internal`.
pub async fn for_ticket(
    conn: &mut dyn Conn,
    ticket_id: Id,
    include_internal: bool,
) -> Result<Vec<TicketEvent>, StoreError> {
    let rows = if include_internal {
        let sql = concat!("SELECT ", columns!(), " FROM ticket_events WHERE ticket_id = $1 ORDER BY id");
        conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into()]).await?
    } else {
        let sql =
            concat!("SELECT ", columns!(), " FROM ticket_events WHERE ticket_id = $1 AND internal = $2 ORDER BY id");
        conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into(), false.into()]).await?
    };
    rows.iter().map(from_row).collect()
}
