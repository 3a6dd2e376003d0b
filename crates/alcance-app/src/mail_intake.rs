//! Incoming e-mail: one RFC 5322 message becomes a ticket, a reply, or is held, ignored or
//! rejected (decided by `alcance-mail`, which is pure; the lookups are made here).
//!
//! Every message is recorded in `inbound_emails` under its Message-ID (or a digest of its
//! bytes when it has none), so a message delivered twice is handled once. Tickets and
//! replies go through the ordinary use cases (`tickets::open`, `comment`, `attach`) acting as
//! the sender, so the same authorization, history and notifications apply as on the portal.
//!
//! A message that opens a ticket or adds a reply is recorded as "processing" first and gets
//! its outcome once applied. If the process dies in between, the record stays "processing":
//! a redelivery (the MTA retries a pipe that failed) within [`LEASE`] of the attempt is taken
//! for a delivery racing it and answered as a duplicate; a later one takes the message over
//! and applies it, unless the interrupted attempt already had (a ticket by the sender with
//! that subject, or the reply, after the message was first received), in which case only the
//! files it had not attached yet are attached and the record completed.

mod held;

use alcance_domain::model::{Id, Ticket, User};
use alcance_domain::ticket::{Channel, Status};
use alcance_domain::validate::{BODY_MAX, SUBJECT_MAX};
use alcance_mail::{AutoReason, Desk, Intake, MailError, Parsed, TicketInfo, TicketRef};
use alcance_store::repo::inbound::{self, InboundEmail, NewInbound, PROCESSING};
use alcance_store::repo::{tickets as ticket_repo, users};
use chrono::{DateTime, Duration, Utc};

pub use held::{Accept, HeldMessage, accept, held, reject_held};

use crate::tickets::{self, NewUpload, OpenTicket};
use crate::{Actor, App, AppError, secrets};

/// How long an intake applying a message holds it: far longer than opening a ticket takes.
pub const LEASE: Duration = Duration::minutes(5);

/// What intake did with one message.
#[derive(Debug)]
pub enum Ingested {
    /// A known contact's new request: ticket `number` (channel email) was opened.
    NewTicket { inbound_id: Id, number: i64, files: Files },
    /// A public reply was appended to ticket `number`.
    Reply { inbound_id: Id, number: i64, files: Files },
    /// Auto-reply, bulk or list mail, bounce or our own mail: dropped (recorded).
    Ignored { inbound_id: Id, reason: String },
    /// Waits for an agent: `reason` is a stable code (unknown_sender, forged_tag,
    /// outside_organisation, sender_cannot_see_ticket, ticket_closed); `ticket` the number
    /// it tried to reach.
    Held { inbound_id: Id, reason: String, ticket: Option<i64> },
    /// Structurally broken; nothing was extracted.
    Rejected { inbound_id: Option<Id>, error: MailError },
    /// This Message-ID was received before; nothing new was done. With outcome
    /// "processing", another intake is applying it right now (within its [`LEASE`]): the
    /// message is not handled yet, so a caller that can should offer it again later.
    Duplicate { inbound_id: Id, outcome: String },
}

/// Files of a message kept on the ticket, and those left out (with why).
#[derive(Debug, Default)]
pub struct Files {
    pub kept: Vec<String>,
    pub skipped: Vec<String>,
}

impl Ingested {
    /// Another intake is applying this message right now: it is not handled yet.
    pub fn is_in_progress(&self) -> bool {
        matches!(self, Ingested::Duplicate { outcome, .. } if outcome == PROCESSING)
    }

    pub fn is_rejected(&self) -> bool {
        matches!(self, Ingested::Rejected { .. })
    }

    /// One line for the command line and logs.
    pub fn describe(&self) -> String {
        let files = |f: &Files| {
            let mut s = String::new();
            if !f.kept.is_empty() {
                s.push_str(&format!("; attachments kept: {}", f.kept.join(", ")));
            }
            if !f.skipped.is_empty() {
                s.push_str(&format!("; attachments skipped: {}", f.skipped.join(", ")));
            }
            s
        };
        match self {
            Ingested::NewTicket { inbound_id, number, files: f } => {
                format!("accepted: opened ticket #{number} (inbound {inbound_id}){}", files(f))
            }
            Ingested::Reply { inbound_id, number, files: f } => {
                format!("accepted: reply added to ticket #{number} (inbound {inbound_id}){}", files(f))
            }
            Ingested::Ignored { inbound_id, reason } => format!("ignored: {reason} (inbound {inbound_id})"),
            Ingested::Held { inbound_id, reason, ticket } => {
                let about = ticket.map(|n| format!(", about ticket #{n}")).unwrap_or_default();
                format!("held for an agent: {reason}{about} (inbound {inbound_id})")
            }
            Ingested::Rejected { error, .. } => format!("rejected: malformed message: {error} ({})", error.code()),
            Ingested::Duplicate { inbound_id, outcome } if outcome == PROCESSING => {
                format!(
                    "duplicate: another intake is applying this message now (inbound {inbound_id}, {outcome}); nothing done"
                )
            }
            Ingested::Duplicate { inbound_id, outcome } => {
                format!(
                    "duplicate: this Message-ID was already received (inbound {inbound_id}, {outcome}); nothing done"
                )
            }
        }
    }
}

fn auto_code(reason: AutoReason) -> &'static str {
    match reason {
        AutoReason::AutoSubmitted => "auto_submitted",
        AutoReason::AutoReplyHeader => "auto_reply_header",
        AutoReason::Precedence => "precedence_bulk",
        AutoReason::MailingList => "mailing_list",
        AutoReason::Bounce => "bounce",
        AutoReason::AutoReplySubject => "auto_reply_subject",
        AutoReason::Loop => "loop",
    }
}

/// The key a message is recorded under: its Message-ID, else a digest of its bytes.
fn message_key(parsed: Option<&Parsed>, raw: &[u8]) -> String {
    match parsed.and_then(|p| p.message_id.as_deref()).map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => id.chars().take(500).collect(),
        None => format!("sha256-{}@alcance", secrets::sha256_hex(raw)),
    }
}

/// What the decision needs from the database, read once.
struct Lookups {
    sender: Option<User>,
    tickets: Vec<Ticket>,
}

async fn lookups(app: &App, parsed: &Parsed, secret: &[u8]) -> Result<Lookups, AppError> {
    let from = parsed.from.trim().to_lowercase();
    let ids: Vec<String> = parsed.in_reply_to.iter().chain(parsed.references.iter()).cloned().collect();
    let mut numbers = Vec::new();
    if let TicketRef::Valid(n) | TicketRef::Forged(n) = alcance_mail::ticket_from_references(&ids, secret) {
        numbers.push(n);
    }
    numbers.extend(alcance_mail::ticket_from_subject(&parsed.subject));
    app.store
        .read(move |c| {
            Box::pin(async move {
                let sender = users::by_email(c, &from).await?.filter(|u| u.active);
                let mut found = Vec::new();
                for n in numbers {
                    found.extend(ticket_repo::by_number(c, n).await?);
                }
                Ok::<_, AppError>(Lookups { sender, tickets: found })
            })
        })
        .await
}

/// Handles one raw message (from `alcance mail ingest` or a poller).
pub async fn ingest(app: &App, raw: &[u8]) -> Result<Ingested, AppError> {
    let mail = &app.settings.mail;
    let parsed = match alcance_mail::parse(raw) {
        Ok(p) => p,
        Err(error) => return reject(app, raw, error).await,
    };
    let key = message_key(Some(&parsed), raw);
    // A message left "processing" by an intake that died: this delivery applies it.
    let resumed = match by_key(app, &key).await? {
        Some(seen) if seen.outcome == PROCESSING && take_over(app, &seen).await? => Some(seen),
        Some(seen) => return Ok(Ingested::Duplicate { inbound_id: seen.id, outcome: seen.outcome }),
        None => None,
    };
    let resumed = resumed.as_ref();
    let found = lookups(app, &parsed, &mail.secret).await?;
    let own = mail.own_addresses();
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    let desk = Desk { secret: &mail.secret, id_domain: &mail.id_domain, own_addresses: &own };
    let contact = found.sender.as_ref().filter(|u| !u.role.is_staff() && u.organization_id.is_some());
    let decision = alcance_mail::decide(
        &parsed,
        &desk,
        |_| contact.and_then(|u| u.organization_id),
        |n| {
            found
                .tickets
                .iter()
                .find(|t| t.number == n)
                .map(|t| TicketInfo { org: t.organization_id, extra_senders: Vec::new() })
        },
    );
    let ticket = |n: i64| found.tickets.iter().find(|t| t.number == n);
    let record = |outcome: &'static str, reason: Option<String>| Record { outcome, reason };
    match decision {
        Intake::RejectMalformed => reject(app, raw, MailError::Unparseable).await,
        Intake::IgnoreAuto => {
            let why =
                parsed.automatic.or_else(|| alcance_mail::loop_reason(&parsed, &desk)).unwrap_or(AutoReason::Loop);
            let ignored = record("ignored", Some(auto_code(why).to_owned()));
            let id = match store(app, &parsed, &key, raw, ignored, resumed).await? {
                Stored::New(id) => id,
                Stored::Seen(seen) => return Ok(seen),
            };
            tracing::info!(inbound = id, from = %parsed.from, reason = auto_code(why), "automatic mail ignored");
            Ok(Ingested::Ignored { inbound_id: id, reason: auto_code(why).to_owned() })
        }
        Intake::HoldUnknownSender => {
            hold(app, &parsed, (&key, raw, resumed), "held_unknown_sender", "unknown_sender", None).await
        }
        Intake::HoldSuspicious(n) => {
            let ids: Vec<String> = parsed.in_reply_to.iter().chain(parsed.references.iter()).cloned().collect();
            let forged = matches!(alcance_mail::ticket_from_references(&ids, &mail.secret), TicketRef::Forged(_));
            let reason = if forged { "forged_tag" } else { "outside_organisation" };
            hold(app, &parsed, (&key, raw, resumed), "held_suspicious", reason, ticket(n)).await
        }
        Intake::NewTicket => {
            let Some(user) = contact.cloned() else {
                return hold(app, &parsed, (&key, raw, resumed), "held_unknown_sender", "unknown_sender", None).await;
            };
            let id = match store(app, &parsed, &key, raw, record(PROCESSING, None), resumed).await? {
                Stored::New(id) => id,
                Stored::Seen(seen) => return Ok(seen),
            };
            let actor = Actor { user };
            let subject = ticket_subject(&parsed.subject);
            let body = body_text(&parsed.text, !parsed.attachments.is_empty());
            let earlier = match resumed {
                Some(r) => opened_before(app, actor.id(), (&subject, &body), r.received_at).await?,
                None => None,
            };
            let (ticket_id, number) = match earlier {
                Some(found) => found,
                None => {
                    let input = OpenTicket {
                        subject,
                        body,
                        organization: None,
                        requester: None,
                        asset_id: None,
                        priority: None,
                    };
                    match tickets::open(app, &actor, input, Channel::Email).await {
                        Ok(t) => (t.id, t.number),
                        Err(e) => return Err(forget(app, id, e).await),
                    }
                }
            };
            let files = attach_rest(app, &actor, (ticket_id, number), &parsed, earlier.and(resumed)).await?;
            finish(app, id, "new_ticket", Some(ticket_id), &files).await?;
            tracing::info!(inbound = id, ticket = number, from = %parsed.from, resumed = resumed.is_some(), "e-mail opened a ticket");
            Ok(Ingested::NewTicket { inbound_id: id, number, files })
        }
        Intake::Reply(n) => {
            let at: Received<'_> = (&key, raw, resumed);
            let (Some(user), Some(target)) = (contact.cloned(), ticket(n)) else {
                return hold(app, &parsed, at, "held_suspicious", "outside_organisation", ticket(n)).await;
            };
            let actor = Actor { user };
            if !actor.can_see_ticket(target) {
                // A colleague of the requester may not read the ticket on the portal either:
                // an agent decides whether the message belongs there.
                return hold(app, &parsed, at, "held_suspicious", "sender_cannot_see_ticket", Some(target)).await;
            }
            let body = body_text(&parsed.text, !parsed.attachments.is_empty());
            let earlier = match resumed {
                Some(r) => replied_before(app, target.id, actor.id(), &body, r.received_at).await?,
                None => false,
            };
            if target.status == Status::Closed && !earlier {
                return hold(app, &parsed, at, "held_suspicious", "ticket_closed", Some(target)).await;
            }
            let id = match store(app, &parsed, &key, raw, record(PROCESSING, None), resumed).await? {
                Stored::New(id) => id,
                Stored::Seen(seen) => return Ok(seen),
            };
            if !earlier && let Err(e) = tickets::comment(app, &actor, n, &body, false).await {
                return Err(forget(app, id, e).await);
            }
            let files = attach_rest(app, &actor, (target.id, n), &parsed, resumed.filter(|_| earlier)).await?;
            finish(app, id, "reply", Some(target.id), &files).await?;
            tracing::info!(inbound = id, ticket = n, from = %parsed.from, "e-mail reply added");
            Ok(Ingested::Reply { inbound_id: id, number: n, files })
        }
    }
}

struct Record {
    outcome: &'static str,
    reason: Option<String>,
}

enum Stored {
    New(Id),
    /// Another delivery of the same message got there first.
    Seen(Ingested),
}

async fn by_key(app: &App, key: &str) -> Result<Option<InboundEmail>, AppError> {
    let key = key.to_owned();
    Ok(app.store.read(move |c| Box::pin(async move { inbound::by_message_id(c, &key).await })).await?)
}

/// Takes over `seen`, a message still "processing", if the intake that recorded it started
/// more than [`LEASE`] ago; false while that intake may still be at work.
async fn take_over(app: &App, seen: &InboundEmail) -> Result<bool, AppError> {
    let (id, now) = (seen.id, app.now());
    let taken =
        app.store.write(move |c| Box::pin(async move { inbound::take_over(c, id, now - LEASE, now).await })).await?;
    if taken {
        tracing::warn!(inbound = id, "an e-mail left half-applied by an interrupted intake is applied again");
    }
    Ok(taken)
}

/// The ticket an interrupted intake of this message opened, as (id, number): the sender's,
/// by e-mail, with this subject and text, since the message was first received.
async fn opened_before(
    app: &App,
    requester_id: Id,
    (subject, body): (&str, &str),
    since: DateTime<Utc>,
) -> Result<Option<(Id, i64)>, AppError> {
    let (subject, body) = (subject.to_owned(), body.to_owned());
    let found = app
        .store
        .read(move |c| {
            Box::pin(async move { inbound::ticket_opened_since(c, requester_id, (&subject, &body), since).await })
        })
        .await?;
    Ok(found)
}

/// Whether an interrupted intake of this message already added its reply.
async fn replied_before(
    app: &App,
    ticket_id: Id,
    author_id: Id,
    body: &str,
    since: DateTime<Utc>,
) -> Result<bool, AppError> {
    let body = body.to_owned();
    Ok(app
        .store
        .read(move |c| Box::pin(async move { inbound::reply_added_since(c, ticket_id, author_id, &body, since).await }))
        .await?)
}

/// Attaches the message's files to the ticket; after an interrupted intake that had already
/// applied the message (`resumed`), only those it had not attached yet.
async fn attach_rest(
    app: &App,
    actor: &Actor,
    (ticket_id, number): (Id, i64),
    parsed: &Parsed,
    resumed: Option<&InboundEmail>,
) -> Result<Files, AppError> {
    let Some(since) = resumed.map(|r| r.received_at) else {
        return Ok(attach_all(app, actor, number, parsed, &[]).await);
    };
    let there = app
        .store
        .read(move |c| Box::pin(async move { inbound::files_attached_since(c, ticket_id, since).await }))
        .await?;
    Ok(attach_all(app, actor, number, parsed, &there).await)
}

/// Records the message with `r`'s outcome, or, for a message taken over (`resumed`), gives
/// its record that outcome.
async fn store(
    app: &App,
    parsed: &Parsed,
    key: &str,
    raw: &[u8],
    r: Record,
    resumed: Option<&InboundEmail>,
) -> Result<Stored, AppError> {
    if let Some(seen) = resumed {
        let id = seen.id;
        app.store
            .write(move |c| {
                Box::pin(async move { inbound::set_outcome(c, id, r.outcome, None, r.reason.as_deref()).await })
            })
            .await?;
        return Ok(Stored::New(id));
    }
    let (from, subject, text, owned_key, raw) =
        (parsed.from.clone(), parsed.subject.clone(), parsed.text.clone(), key.to_owned(), raw.to_vec());
    let now = app.now();
    let inserted = app
        .store
        .write(move |c| {
            Box::pin(async move {
                let new = NewInbound {
                    from_address: &from,
                    subject: &subject,
                    message_id: &owned_key,
                    outcome: r.outcome,
                    reason: r.reason.as_deref(),
                    text_body: &text,
                    raw: &raw,
                };
                inbound::insert(c, &new, now).await
            })
        })
        .await?;
    match inserted {
        Some(id) => Ok(Stored::New(id)),
        None => {
            let seen = by_key(app, key).await?;
            let seen = seen.ok_or_else(|| AppError::Internal("inbound record vanished".into()))?;
            Ok(Stored::Seen(Ingested::Duplicate { inbound_id: seen.id, outcome: seen.outcome }))
        }
    }
}

/// The message as received: its key, its bytes and, when taken over, its record.
type Received<'a> = (&'a str, &'a [u8], Option<&'a InboundEmail>);

async fn hold(
    app: &App,
    parsed: &Parsed,
    (key, raw, resumed): Received<'_>,
    outcome: &'static str,
    reason: &str,
    ticket: Option<&Ticket>,
) -> Result<Ingested, AppError> {
    let record = Record { outcome, reason: Some(reason.to_owned()) };
    let id = match store(app, parsed, key, raw, record, resumed).await? {
        Stored::New(id) => id,
        Stored::Seen(seen) => return Ok(seen),
    };
    if let Some(t) = ticket {
        let (ticket_id, reason) = (t.id, reason.to_owned());
        app.store
            .write(move |c| {
                Box::pin(async move { inbound::set_outcome(c, id, outcome, Some(ticket_id), Some(&reason)).await })
            })
            .await?;
    }
    tracing::info!(inbound = id, from = %parsed.from, reason, "e-mail held for an agent");
    Ok(Ingested::Held { inbound_id: id, reason: reason.to_owned(), ticket: ticket.map(|t| t.number) })
}

async fn reject(app: &App, raw: &[u8], error: MailError) -> Result<Ingested, AppError> {
    let key = message_key(None, raw);
    let reason = format!("{}: {error}", error.code());
    let now = app.now();
    let raw = raw.to_vec();
    let id = app
        .store
        .write(move |c| {
            Box::pin(async move {
                let new = NewInbound {
                    from_address: "",
                    subject: "",
                    message_id: &key,
                    outcome: "rejected",
                    reason: Some(&reason),
                    text_body: "",
                    raw: &raw,
                };
                inbound::insert(c, &new, now).await
            })
        })
        .await?;
    tracing::warn!(inbound = ?id, %error, "malformed e-mail rejected");
    Ok(Ingested::Rejected { inbound_id: id, error })
}

/// Drops the "processing" record of a message whose ticket change failed, so that a later
/// delivery of it is handled afresh; gives the error back.
async fn forget(app: &App, id: Id, error: AppError) -> AppError {
    if let Err(e) = app.store.write(move |c| Box::pin(async move { inbound::forget(c, id).await })).await {
        tracing::error!(inbound = id, error = %e, "could not drop a failed inbound record");
    }
    error
}

async fn finish(
    app: &App,
    id: Id,
    outcome: &'static str,
    ticket_id: Option<Id>,
    files: &Files,
) -> Result<(), AppError> {
    let reason = (!files.skipped.is_empty()).then(|| format!("attachments skipped: {}", files.skipped.join(", ")));
    app.store
        .write(move |c| {
            Box::pin(async move { inbound::set_outcome(c, id, outcome, ticket_id, reason.as_deref()).await })
        })
        .await?;
    Ok(())
}

/// A subject the ticket accepts: "(sin asunto)" when empty, cut at the limit.
fn ticket_subject(subject: &str) -> String {
    let subject = subject.trim();
    if subject.is_empty() { "(sin asunto)".to_owned() } else { subject.chars().take(SUBJECT_MAX).collect() }
}

/// The text of the ticket or reply; a placeholder when the mail only carried files.
fn body_text(text: &str, has_files: bool) -> String {
    let text = text.trim();
    if text.is_empty() {
        return if has_files { "(ver adjuntos)".to_owned() } else { "(mensaje sin texto)".to_owned() };
    }
    text.chars().take(BODY_MAX).collect()
}

/// Attaches every file of the message to ticket `number` as `actor`, but those named in
/// `there` (attached already); a file the ticket cannot take (too large, a name it refuses)
/// is listed as skipped, never fatal.
async fn attach_all(app: &App, actor: &Actor, number: i64, parsed: &Parsed, there: &[String]) -> Files {
    let mut files = Files::default();
    for (i, file) in parsed.attachments.iter().enumerate() {
        let fallback = format!("adjunto-{}", i + 1);
        if there.iter().any(|name| *name == file.file_name || *name == fallback) {
            files.kept.push(file.file_name.clone());
            continue;
        }
        if file.bytes.is_empty() {
            files.skipped.push(format!("{} (empty)", file.file_name));
            continue;
        }
        if file.bytes.len() > app.settings.max_attachment_bytes {
            files.skipped.push(format!("{} (too large)", file.file_name));
            continue;
        }
        let upload = |name: String, content_type: String| NewUpload {
            file_name: name,
            content_type,
            internal: false,
            content: file.bytes.clone(),
        };
        let first =
            tickets::attach(app, actor, number, upload(file.file_name.clone(), file.content_type.clone())).await;
        let result = match first {
            Err(AppError::Invalid(_)) => {
                tickets::attach(app, actor, number, upload(fallback, "application/octet-stream".into())).await
            }
            other => other,
        };
        match result {
            Ok(a) => files.kept.push(a.file_name),
            Err(e) => files.skipped.push(format!("{} ({e})", file.file_name)),
        }
    }
    files
}
