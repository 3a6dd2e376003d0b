//! Incoming e-mail: one RFC 5322 message becomes a ticket, a reply, or is held, ignored or
//! rejected (decided by `alcance-mail`, which is pure; the lookups are made here).
//!
//! Every message is recorded in `inbound_emails` under its Message-ID (or a digest of its
//! bytes when it has none), so a message delivered twice is handled once. Tickets and
//! replies go through the ordinary use cases (`tickets::open`, `comment`, `attach`) acting as
//! the sender, so the same authorization, history and notifications apply as on the portal.

use alcance_domain::FieldErrorCode;
use alcance_domain::model::{Id, Ticket, User};
use alcance_domain::ticket::{Channel, Status};
use alcance_domain::validate::{BODY_MAX, SUBJECT_MAX};
use alcance_mail::{AutoReason, Desk, Intake, MailError, Parsed, TicketInfo, TicketRef};
use alcance_store::repo::inbound::{self, HELD, InboundEmail, NewInbound};
use alcance_store::repo::{organizations, tickets as ticket_repo, users};

use crate::tickets::{self, NewUpload, OpenTicket};
use crate::{Actor, App, AppError, secrets};

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
    /// This Message-ID was received before; nothing new was done.
    Duplicate { inbound_id: Id, outcome: String },
}

/// Files of a message kept on the ticket, and those left out (with why).
#[derive(Debug, Default)]
pub struct Files {
    pub kept: Vec<String>,
    pub skipped: Vec<String>,
}

impl Ingested {
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
    if let Some(seen) = by_key(app, &key).await? {
        return Ok(Ingested::Duplicate { inbound_id: seen.id, outcome: seen.outcome });
    }
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
            let id = match store(app, &parsed, &key, raw, record("ignored", Some(auto_code(why).to_owned()))).await? {
                Stored::New(id) => id,
                Stored::Seen(seen) => return Ok(seen),
            };
            tracing::info!(inbound = id, from = %parsed.from, reason = auto_code(why), "automatic mail ignored");
            Ok(Ingested::Ignored { inbound_id: id, reason: auto_code(why).to_owned() })
        }
        Intake::HoldUnknownSender => hold(app, &parsed, &key, raw, "held_unknown_sender", "unknown_sender", None).await,
        Intake::HoldSuspicious(n) => {
            let ids: Vec<String> = parsed.in_reply_to.iter().chain(parsed.references.iter()).cloned().collect();
            let forged = matches!(alcance_mail::ticket_from_references(&ids, &mail.secret), TicketRef::Forged(_));
            let reason = if forged { "forged_tag" } else { "outside_organisation" };
            hold(app, &parsed, &key, raw, "held_suspicious", reason, ticket(n)).await
        }
        Intake::NewTicket => {
            let Some(user) = contact.cloned() else {
                return hold(app, &parsed, &key, raw, "held_unknown_sender", "unknown_sender", None).await;
            };
            let id = match store(app, &parsed, &key, raw, record("processing", None)).await? {
                Stored::New(id) => id,
                Stored::Seen(seen) => return Ok(seen),
            };
            let actor = Actor { user };
            let input = OpenTicket {
                subject: ticket_subject(&parsed.subject),
                body: body_text(&parsed.text, !parsed.attachments.is_empty()),
                organization: None,
                requester: None,
                asset_id: None,
                priority: None,
            };
            let opened = match tickets::open(app, &actor, input, Channel::Email).await {
                Ok(t) => t,
                Err(e) => return Err(forget(app, id, e).await),
            };
            let files = attach_all(app, &actor, opened.number, &parsed).await;
            finish(app, id, "new_ticket", Some(opened.id), &files).await?;
            tracing::info!(inbound = id, ticket = opened.number, from = %parsed.from, "e-mail opened a ticket");
            Ok(Ingested::NewTicket { inbound_id: id, number: opened.number, files })
        }
        Intake::Reply(n) => {
            let (Some(user), Some(target)) = (contact.cloned(), ticket(n)) else {
                return hold(app, &parsed, &key, raw, "held_suspicious", "outside_organisation", ticket(n)).await;
            };
            let actor = Actor { user };
            if !actor.can_see_ticket(target) {
                // A colleague of the requester may not read the ticket on the portal either:
                // an agent decides whether the message belongs there.
                return hold(app, &parsed, &key, raw, "held_suspicious", "sender_cannot_see_ticket", Some(target))
                    .await;
            }
            if target.status == Status::Closed {
                return hold(app, &parsed, &key, raw, "held_suspicious", "ticket_closed", Some(target)).await;
            }
            let id = match store(app, &parsed, &key, raw, record("processing", None)).await? {
                Stored::New(id) => id,
                Stored::Seen(seen) => return Ok(seen),
            };
            let body = body_text(&parsed.text, !parsed.attachments.is_empty());
            if let Err(e) = tickets::comment(app, &actor, n, &body, false).await {
                return Err(forget(app, id, e).await);
            }
            let files = attach_all(app, &actor, n, &parsed).await;
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

async fn store(app: &App, parsed: &Parsed, key: &str, raw: &[u8], r: Record) -> Result<Stored, AppError> {
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

async fn hold(
    app: &App,
    parsed: &Parsed,
    key: &str,
    raw: &[u8],
    outcome: &'static str,
    reason: &str,
    ticket: Option<&Ticket>,
) -> Result<Ingested, AppError> {
    let id = match store(app, parsed, key, raw, Record { outcome, reason: Some(reason.to_owned()) }).await? {
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

/// Attaches every file of the message to ticket `number` as `actor`; a file the ticket
/// cannot take (too large, a name it refuses) is listed as skipped, never fatal.
async fn attach_all(app: &App, actor: &Actor, number: i64, parsed: &Parsed) -> Files {
    let mut files = Files::default();
    for (i, file) in parsed.attachments.iter().enumerate() {
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
                let fallback = format!("adjunto-{}", i + 1);
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

/// A held message and the ticket it seems to be about.
#[derive(Debug, Clone)]
pub struct HeldMessage {
    pub email: InboundEmail,
    pub suspected_ticket: Option<i64>,
}

/// Messages waiting for an agent (staff only), oldest first.
pub async fn held(app: &App, actor: &Actor) -> Result<Vec<HeldMessage>, AppError> {
    actor.require_staff()?;
    app.store
        .read(|c| {
            Box::pin(async move {
                let mut out = Vec::new();
                for email in inbound::held(c, 200).await? {
                    let suspected = match email.ticket_id {
                        Some(id) => ticket_repo::by_id(c, id).await?.map(|t| t.number),
                        None => None,
                    };
                    out.push(HeldMessage { email, suspected_ticket: suspected });
                }
                Ok(out)
            })
        })
        .await
}

/// How an agent takes a held message in.
#[derive(Debug, Clone)]
pub enum Accept {
    /// A new ticket for this client contact (by e-mail), in their organisation.
    NewTicket { requester: String },
    /// A public reply on ticket `number`, quoting the sender.
    Reply { number: i64 },
}

/// Takes a held message in; gives the ticket number. Only one decision per message counts.
pub async fn accept(app: &App, actor: &Actor, id: Id, how: Accept) -> Result<i64, AppError> {
    actor.require_staff()?;
    let email = claim(app, actor, id, "accepted").await?;
    let result = accept_claimed(app, actor, id, &email, how).await;
    match result {
        Ok((number, ticket_id)) => {
            let reason = email.reason.clone();
            app.store
                .write(move |c| {
                    Box::pin(async move {
                        inbound::set_outcome(c, id, "accepted", Some(ticket_id), reason.as_deref()).await
                    })
                })
                .await?;
            Ok(number)
        }
        Err(e) => {
            let held = email.outcome.clone();
            app.store.write(move |c| Box::pin(async move { inbound::undecide(c, id, &held).await })).await?;
            Err(e)
        }
    }
}

async fn accept_claimed(
    app: &App,
    actor: &Actor,
    id: Id,
    email: &InboundEmail,
    how: Accept,
) -> Result<(i64, Id), AppError> {
    let raw = app.store.read(move |c| Box::pin(async move { inbound::raw(c, id).await })).await?;
    let parsed = alcance_mail::parse(&raw).map_err(|e| AppError::Internal(e.to_string()))?;
    match how {
        Accept::NewTicket { requester } => {
            let requester = requester.trim().to_lowercase();
            let org_slug = app
                .store
                .read(move |c| {
                    Box::pin(async move {
                        let user = users::by_email(c, &requester).await?.filter(|u| u.active && !u.role.is_staff());
                        let org = match user.and_then(|u| u.organization_id) {
                            Some(org) => organizations::by_id(c, org).await?,
                            None => None,
                        };
                        org.map(|o| (o.slug, requester))
                            .ok_or_else(|| AppError::field("requester", FieldErrorCode::NotFound))
                    })
                })
                .await?;
            let (slug, requester) = org_slug;
            let input = OpenTicket {
                subject: ticket_subject(&email.subject),
                body: body_text(&email.text_body, !parsed.attachments.is_empty()),
                organization: Some(slug),
                requester: Some(requester),
                asset_id: None,
                priority: None,
            };
            let t = tickets::open(app, actor, input, Channel::Email).await?;
            attach_all(app, actor, t.number, &parsed).await;
            Ok((t.number, t.id))
        }
        Accept::Reply { number } => {
            let body = format!(
                "**{}** (e-mail):\n\n{}",
                email.from_address.replace(['*', '_', '[', ']'], ""),
                body_text(&email.text_body, !parsed.attachments.is_empty())
            );
            let comment = tickets::comment(app, actor, number, &body, false).await?;
            attach_all(app, actor, number, &parsed).await;
            Ok((number, comment.ticket_id))
        }
    }
}

/// Rejects a held message: it stays recorded, decided, and is not shown again.
pub async fn reject_held(app: &App, actor: &Actor, id: Id) -> Result<(), AppError> {
    actor.require_staff()?;
    claim(app, actor, id, "rejected").await.map(|_| ())
}

async fn claim(app: &App, actor: &Actor, id: Id, outcome: &'static str) -> Result<InboundEmail, AppError> {
    let (agent, now) = (actor.id(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let email = inbound::by_id(c, id).await?.ok_or(AppError::NotFound)?;
                if !HELD.contains(&email.outcome.as_str()) || !inbound::decide(c, id, outcome, agent, now).await? {
                    return Err(AppError::NotFound);
                }
                Ok(email)
            })
        })
        .await
}
