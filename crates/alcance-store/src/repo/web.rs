//! Tables behind the web interface: who is viewing a ticket, the e-mail outbox, password
//! reset links and failed sign-ins.

use alcance_domain::model::Id;
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Sql, StoreError};

/// Records that `user_id` has the ticket open now.
pub async fn mark_viewing(
    conn: &mut dyn Conn,
    ticket_id: Id,
    user_id: Id,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed(
            "INSERT INTO ticket_viewers (ticket_id, user_id, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (ticket_id, user_id) DO UPDATE SET seen_at = excluded.seen_at",
        ),
        vec![ticket_id.into(), user_id.into(), now.into()],
    )
    .await?;
    Ok(())
}

/// Names of the other users seen on the ticket since `since`.
pub async fn other_viewers(
    conn: &mut dyn Conn,
    ticket_id: Id,
    user_id: Id,
    since: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let rows = conn
        .fetch_all(
            Sql::Borrowed(
                "SELECT u.name FROM ticket_viewers v JOIN users u ON u.id = v.user_id \
                 WHERE v.ticket_id = $1 AND v.user_id <> $2 AND v.seen_at >= $3 ORDER BY u.name",
            ),
            vec![ticket_id.into(), user_id.into(), since.into()],
        )
        .await?;
    rows.iter().map(|r| r.text("name")).collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEmail {
    pub id: Id,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Delivery attempts so far, and the last SMTP error (kept for the admin).
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// An e-mail to queue, with what SMTP delivery and threading need.
#[derive(Debug, Clone, Default)]
pub struct NewOutboxEmail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    /// The HTML alternative; delivery makes one from the text when absent.
    pub body_html: Option<&'a str>,
    /// A fixed Message-ID (with angle brackets); delivery mints one when absent.
    pub message_id: Option<&'a str>,
    /// The Message-ID this mail answers (a client's message), with angle brackets.
    pub in_reply_to: Option<&'a str>,
    /// The ticket the mail is about, so it threads under the ticket's root Message-ID.
    pub ticket_id: Option<Id>,
}

/// Queues a plain-text e-mail about nothing in particular (kept for existing callers).
pub async fn enqueue_email(
    conn: &mut dyn Conn,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Id, StoreError> {
    enqueue(conn, &NewOutboxEmail { to, subject, body_text: body, ..NewOutboxEmail::default() }, now).await
}

/// Queues a plain-text e-mail about a ticket, so it threads under the ticket's Message-ID.
pub async fn enqueue_ticket_email(
    conn: &mut dyn Conn,
    to: &str,
    subject: &str,
    body: &str,
    ticket_id: Id,
    now: DateTime<Utc>,
) -> Result<Id, StoreError> {
    let mail = NewOutboxEmail { to, subject, body_text: body, ticket_id: Some(ticket_id), ..NewOutboxEmail::default() };
    enqueue(conn, &mail, now).await
}

/// Queues an e-mail in the outbox (in the caller's transaction, so it is sent only if the
/// change that causes it commits).
pub async fn enqueue(conn: &mut dyn Conn, m: &NewOutboxEmail<'_>, now: DateTime<Utc>) -> Result<Id, StoreError> {
    let row = conn
        .fetch_one(
            Sql::Borrowed(
                "INSERT INTO outbox_emails (to_address, subject, body_text, body_html, message_id, in_reply_to, ticket_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            ),
            vec![
                m.to.into(),
                m.subject.into(),
                m.body_text.into(),
                m.body_html.into(),
                m.message_id.into(),
                m.in_reply_to.into(),
                m.ticket_id.into(),
                now.into(),
            ],
        )
        .await?;
    row.int("id")
}

/// The newest messages first.
pub async fn outbox(conn: &mut dyn Conn, limit: i64) -> Result<Vec<OutboxEmail>, StoreError> {
    let rows = conn
        .fetch_all(
            Sql::Borrowed(
                "SELECT id, to_address, subject, body_text, created_at, sent_at, attempts, last_error \
                 FROM outbox_emails ORDER BY id DESC LIMIT $1",
            ),
            vec![limit.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(OutboxEmail {
                id: r.int("id")?,
                to_address: r.text("to_address")?,
                subject: r.text("subject")?,
                body_text: r.text("body_text")?,
                created_at: r.time("created_at")?,
                sent_at: r.opt_time("sent_at")?,
                attempts: r.int("attempts")?,
                last_error: r.opt_text("last_error")?,
            })
        })
        .collect()
}

/// An outbox row waiting for delivery, with its ticket's number when it is about one.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEmail {
    pub id: Id,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub ticket_number: Option<i64>,
    pub attempts: i64,
}

/// Unsent rows with fewer than `max_attempts` attempts, oldest first.
pub async fn pending_emails(
    conn: &mut dyn Conn,
    max_attempts: i64,
    limit: i64,
) -> Result<Vec<PendingEmail>, StoreError> {
    let rows = conn
        .fetch_all(
            Sql::Borrowed(
                "SELECT o.id, o.to_address, o.subject, o.body_text, o.body_html, o.message_id, o.in_reply_to, \
                 o.attempts, t.number AS ticket_number \
                 FROM outbox_emails o LEFT JOIN tickets t ON t.id = o.ticket_id \
                 WHERE o.sent_at IS NULL AND o.attempts < $1 ORDER BY o.id LIMIT $2",
            ),
            vec![max_attempts.into(), limit.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(PendingEmail {
                id: r.int("id")?,
                to_address: r.text("to_address")?,
                subject: r.text("subject")?,
                body_text: r.text("body_text")?,
                body_html: r.opt_text("body_html")?,
                message_id: r.opt_text("message_id")?,
                in_reply_to: r.opt_text("in_reply_to")?,
                ticket_number: r.opt_int("ticket_number")?,
                attempts: r.int("attempts")?,
            })
        })
        .collect()
}

/// An outbox row's delivery result: sent (with the Message-ID it went out with), or a
/// failure and its error, counted as an attempt when `count_attempt` (a refusal, not an
/// unreachable server). Only an unsent row changes; returns whether it did.
pub async fn record_delivery(
    conn: &mut dyn Conn,
    id: Id,
    message_id: &str,
    outcome: Result<DateTime<Utc>, &str>,
    count_attempt: bool,
) -> Result<bool, StoreError> {
    let changed = match outcome {
        Ok(sent_at) => {
            conn.execute(
                Sql::Borrowed(
                    "UPDATE outbox_emails SET sent_at = $2, message_id = $3, attempts = attempts + 1, last_error = NULL \
                     WHERE id = $1 AND sent_at IS NULL",
                ),
                vec![id.into(), sent_at.into(), message_id.into()],
            )
            .await?
        }
        Err(error) => {
            conn.execute(
                Sql::Borrowed(
                    "UPDATE outbox_emails SET message_id = $2, attempts = attempts + $4, last_error = $3 \
                     WHERE id = $1 AND sent_at IS NULL",
                ),
                vec![id.into(), message_id.into(), error.into(), i64::from(count_attempt).into()],
            )
            .await?
        }
    };
    Ok(changed == 1)
}

/// A file of an outgoing e-mail.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailAttachment {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// The files of an outgoing e-mail, in the order they were added.
pub async fn email_attachments(conn: &mut dyn Conn, email_id: Id) -> Result<Vec<EmailAttachment>, StoreError> {
    let rows = conn
        .fetch_all(
            Sql::Borrowed("SELECT filename, content_type, data FROM outbox_attachments WHERE email_id = $1"),
            vec![email_id.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(EmailAttachment {
                filename: r.text("filename")?,
                content_type: r.text("content_type")?,
                data: r.bytes("data")?,
            })
        })
        .collect()
}

pub async fn insert_password_reset(
    conn: &mut dyn Conn,
    token_hash: &str,
    user_id: Id,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        ),
        vec![token_hash.into(), user_id.into(), now.into(), expires_at.into()],
    )
    .await?;
    Ok(())
}

/// Marks a live, unused reset link as used and returns its user; `None` when the link is
/// unknown, expired or already used. Single use holds under concurrency: only the first
/// UPDATE finds `used_at` empty.
pub async fn consume_password_reset(
    conn: &mut dyn Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Id>, StoreError> {
    let row = conn
        .fetch_optional(
            Sql::Borrowed(
                "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
            ),
            vec![token_hash.into(), now.into()],
        )
        .await?;
    row.map(|r| r.int("user_id")).transpose()
}

/// Whether a reset link is still usable (for showing the form), without using it.
pub async fn password_reset_is_live(
    conn: &mut dyn Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let row = conn
        .fetch_optional(
            Sql::Borrowed(
                "SELECT id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
            ),
            vec![token_hash.into(), now.into()],
        )
        .await?;
    Ok(row.is_some())
}

pub async fn record_login_failure(conn: &mut dyn Conn, email: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed("INSERT INTO login_failures (email, created_at) VALUES ($1, $2)"),
        vec![email.into(), now.into()],
    )
    .await?;
    Ok(())
}

pub async fn login_failures_since(conn: &mut dyn Conn, email: &str, since: DateTime<Utc>) -> Result<i64, StoreError> {
    let row = conn
        .fetch_one(
            Sql::Borrowed("SELECT COUNT(*) AS n FROM login_failures WHERE email = $1 AND created_at >= $2"),
            vec![email.into(), since.into()],
        )
        .await?;
    row.int("n")
}

/// Forgets failures older than `before` (nothing reads them after the throttle window).
pub async fn prune_login_failures(conn: &mut dyn Conn, before: DateTime<Utc>) -> Result<u64, StoreError> {
    conn.execute(Sql::Borrowed("DELETE FROM login_failures WHERE created_at < $1"), vec![before.into()]).await
}

pub async fn clear_login_failures(conn: &mut dyn Conn, email: &str) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("DELETE FROM login_failures WHERE email = $1"), vec![email.into()]).await?;
    Ok(())
}

/// Attaches a file to an e-mail in the outbox (in the transaction that queued it).
pub async fn attach_to_email(
    conn: &mut dyn Conn,
    email_id: Id,
    filename: &str,
    content_type: &str,
    data: Vec<u8>,
) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed(
            "INSERT INTO outbox_attachments (email_id, filename, content_type, data) VALUES ($1, $2, $3, $4)",
        ),
        vec![email_id.into(), filename.into(), content_type.into(), data.into()],
    )
    .await?;
    Ok(())
}

/// The names of an e-mail's attachments, in the order they were added.
pub async fn attachment_names(conn: &mut dyn Conn, email_id: Id) -> Result<Vec<String>, StoreError> {
    let rows = conn
        .fetch_all(Sql::Borrowed("SELECT filename FROM outbox_attachments WHERE email_id = $1"), vec![email_id.into()])
        .await?;
    rows.iter().map(|r| r.text("filename")).collect()
}
