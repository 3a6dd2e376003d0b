//! Inbound e-mail: every message that reached intake and what became of it. The unique
//! Message-ID makes intake idempotent (an MTA that retries a pipe delivers twice).

use alcance_domain::model::Id;
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, received_at, from_address, subject, message_id, outcome, ticket_id, reason, text_body, decided_by, decided_at"
    };
}

/// Outcomes an agent still has to decide.
pub const HELD: [&str; 2] = ["held_unknown_sender", "held_suspicious"];

/// The outcome of a message intake recorded and is applying (opening its ticket, adding its
/// reply); replaced by the final outcome when done.
pub const PROCESSING: &str = "processing";

/// One received message, without its raw bytes (see [`raw`]).
#[derive(Debug, Clone, PartialEq)]
pub struct InboundEmail {
    pub id: Id,
    pub received_at: DateTime<Utc>,
    pub from_address: String,
    pub subject: String,
    pub message_id: Option<String>,
    /// new_ticket, reply, ignored, held_unknown_sender, held_suspicious, rejected,
    /// processing (being handled), accepted (an agent took a held one in).
    pub outcome: String,
    pub ticket_id: Option<Id>,
    pub reason: Option<String>,
    pub text_body: String,
    pub decided_by: Option<Id>,
    pub decided_at: Option<DateTime<Utc>>,
}

fn from_row(r: &Row) -> Result<InboundEmail, StoreError> {
    Ok(InboundEmail {
        id: r.int("id")?,
        received_at: r.time("received_at")?,
        from_address: r.text("from_address")?,
        subject: r.text("subject")?,
        message_id: r.opt_text("message_id")?,
        outcome: r.text("outcome")?,
        ticket_id: r.opt_int("ticket_id")?,
        reason: r.opt_text("reason")?,
        text_body: r.text("text_body")?,
        decided_by: r.opt_int("decided_by")?,
        decided_at: r.opt_time("decided_at")?,
    })
}

/// A message to record.
#[derive(Debug, Clone)]
pub struct NewInbound<'a> {
    pub from_address: &'a str,
    pub subject: &'a str,
    pub message_id: &'a str,
    pub outcome: &'a str,
    pub reason: Option<&'a str>,
    pub text_body: &'a str,
    pub raw: &'a [u8],
}

/// Records a message unless one with the same Message-ID is already there; `None` then.
pub async fn insert(conn: &mut dyn Conn, m: &NewInbound<'_>, now: DateTime<Utc>) -> Result<Option<Id>, StoreError> {
    let row = conn
        .fetch_optional(
            Sql::Borrowed(
                "INSERT INTO inbound_emails (received_at, from_address, subject, message_id, outcome, reason, text_body, raw, attempted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $1) ON CONFLICT (message_id) DO NOTHING RETURNING id",
            ),
            vec![
                now.into(),
                m.from_address.into(),
                m.subject.into(),
                m.message_id.into(),
                m.outcome.into(),
                m.reason.into(),
                m.text_body.into(),
                m.raw.to_vec().into(),
            ],
        )
        .await?;
    row.map(|r| r.int("id")).transpose()
}

/// Sets what intake did with a recorded message.
pub async fn set_outcome(
    conn: &mut dyn Conn,
    id: Id,
    outcome: &str,
    ticket_id: Option<Id>,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed("UPDATE inbound_emails SET outcome = $2, ticket_id = $3, reason = $4 WHERE id = $1"),
        vec![id.into(), outcome.into(), ticket_id.into(), reason.into()],
    )
    .await?;
    Ok(())
}

/// Takes over a message left "processing" by an intake that started before `stale_before`
/// (and so, given the lease, died): it is this intake's from `now`. False when it is no
/// longer processing or another intake holds a younger lease on it.
pub async fn take_over(
    conn: &mut dyn Conn,
    id: Id,
    stale_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            Sql::Borrowed(
                "UPDATE inbound_emails SET attempted_at = $4 WHERE id = $1 AND outcome = $2 \
                 AND (attempted_at IS NULL OR attempted_at < $3)",
            ),
            vec![id.into(), PROCESSING.into(), stale_before.into(), now.into()],
        )
        .await?;
    Ok(changed == 1)
}

/// A ticket an earlier, interrupted intake of a message opened: by `requester_id`, by
/// e-mail, with exactly `subject` and `body`, at or after `since` (when the message was first
/// received). The oldest, as (id, number).
pub async fn ticket_opened_since(
    conn: &mut dyn Conn,
    requester_id: Id,
    (subject, body): (&str, &str),
    since: DateTime<Utc>,
) -> Result<Option<(Id, i64)>, StoreError> {
    let sql = "SELECT id, number FROM tickets WHERE requester_id = $1 AND channel = 'email' AND subject = $2 \
               AND body = $3 AND created_at >= $4 ORDER BY id LIMIT 1";
    let args = vec![requester_id.into(), subject.into(), body.into(), since.into()];
    let row = conn.fetch_optional(Sql::Borrowed(sql), args).await?;
    row.map(|r| Ok((r.int("id")?, r.int("number")?))).transpose()
}

/// Whether an earlier, interrupted intake of a message already added its reply: a public
/// comment by `author_id` on the ticket with exactly `body`, at or after `since`.
pub async fn reply_added_since(
    conn: &mut dyn Conn,
    ticket_id: Id,
    author_id: Id,
    body: &str,
    since: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sql =
        "SELECT id FROM comments WHERE ticket_id = $1 AND author_id = $2 AND body = $3 AND created_at >= $4 LIMIT 1";
    let args = vec![ticket_id.into(), author_id.into(), body.into(), since.into()];
    Ok(conn.fetch_optional(Sql::Borrowed(sql), args).await?.is_some())
}

/// The names of the files attached to a ticket at or after `since`.
pub async fn files_attached_since(
    conn: &mut dyn Conn,
    ticket_id: Id,
    since: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let sql = "SELECT file_name FROM attachments WHERE ticket_id = $1 AND created_at >= $2 ORDER BY id";
    let rows = conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into(), since.into()]).await?;
    rows.iter().map(|r| r.text("file_name")).collect()
}

/// Removes a record whose handling failed before anything was written, so the sender's
/// MTA can deliver it again.
pub async fn forget(conn: &mut dyn Conn, id: Id) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("DELETE FROM inbound_emails WHERE id = $1"), vec![id.into()]).await?;
    Ok(())
}

/// An agent's decision on a held message: moves it from a held outcome to `outcome`.
/// Only one decision wins; returns whether this one did.
pub async fn decide(
    conn: &mut dyn Conn,
    id: Id,
    outcome: &str,
    agent_id: Id,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            Sql::Borrowed(
                "UPDATE inbound_emails SET outcome = $2, decided_by = $3, decided_at = $4 \
                 WHERE id = $1 AND decided_at IS NULL AND outcome IN ($5, $6)",
            ),
            vec![id.into(), outcome.into(), agent_id.into(), now.into(), HELD[0].into(), HELD[1].into()],
        )
        .await?;
    Ok(changed == 1)
}

/// Puts a decided message back on hold (the accepting change failed).
pub async fn undecide(conn: &mut dyn Conn, id: Id, held_outcome: &str) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed("UPDATE inbound_emails SET outcome = $2, decided_by = NULL, decided_at = NULL WHERE id = $1"),
        vec![id.into(), held_outcome.into()],
    )
    .await?;
    Ok(())
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<InboundEmail>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM inbound_emails WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn by_message_id(conn: &mut dyn Conn, message_id: &str) -> Result<Option<InboundEmail>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM inbound_emails WHERE message_id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![message_id.into()]).await?.as_ref().map(from_row).transpose()
}

/// The raw message as received.
pub async fn raw(conn: &mut dyn Conn, id: Id) -> Result<Vec<u8>, StoreError> {
    conn.fetch_one(Sql::Borrowed("SELECT raw FROM inbound_emails WHERE id = $1"), vec![id.into()]).await?.bytes("raw")
}

/// Messages waiting for an agent, oldest first.
pub async fn held(conn: &mut dyn Conn, limit: i64) -> Result<Vec<InboundEmail>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM inbound_emails WHERE outcome IN ($1, $2) ORDER BY id LIMIT $3");
    conn.fetch_all(Sql::Borrowed(sql), vec![HELD[0].into(), HELD[1].into(), limit.into()])
        .await?
        .iter()
        .map(from_row)
        .collect()
}
