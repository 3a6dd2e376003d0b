//! What intake does with a parsed message. Lookups (contacts, tickets) are the caller's:
//! they come in as closures so that this stays pure.

use crate::auto::AutoReason;
use crate::error::MailError;
use crate::parse::{Parsed, parse};
use crate::tag::{TicketRef, id_domain, ticket_from_references, ticket_from_subject};

/// The deployment's own mail identity.
#[derive(Debug, Clone, Copy)]
pub struct Desk<'a> {
    /// HMAC key of the Message-ID tags.
    pub secret: &'a [u8],
    /// Right-hand side of our Message-IDs, e.g. `alcance.agencia.test`.
    pub id_domain: &'a str,
    /// Our own addresses (`soporte@agencia.test`); mail *from* them is a loop.
    pub own_addresses: &'a [&'a str],
}

/// An existing ticket as far as intake needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketInfo<O> {
    /// The ticket's organisation. Any known contact of it may reply (the manifest threads a
    /// colleague's reply, not only the requester's).
    pub org: O,
    /// Addresses outside the organisation that may also reply (e.g. agents or invited
    /// third parties), compared case-insensitively.
    pub extra_senders: Vec<String>,
}

/// What to do with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    /// A known contact wrote without referring to an existing ticket.
    NewTicket,
    /// A sender the ticket allows replied to it (by subject tag or a valid Message-ID tag).
    Reply(i64),
    /// Auto-reply, bulk/list mail, bounce, or our own mail looping back: drop it.
    IgnoreAuto,
    /// The sender is not a known contact: an agent looks at it.
    HoldUnknownSender,
    /// Tries to reach ticket `n` with a forged tag, or from outside the ticket's organisation.
    HoldSuspicious(i64),
    /// Structurally broken (see [`MailError`]); nothing was extracted.
    RejectMalformed,
}

/// Decides the intake of a parsed message.
///
/// `known_sender` gets the From address lowercased and returns the contact's organisation;
/// `ticket_owner` returns an existing ticket's organisation and extra allowed senders.
/// Order: automatic mail and loops are dropped first (even from known contacts, even with a
/// valid tag), then a forged tag holds the message, then an unknown sender holds it, then
/// the thread reference decides between reply, suspicious and a new ticket. A valid
/// Message-ID tag outranks the subject tag; a reference to a ticket that does not exist is
/// treated as no reference.
pub fn decide<O: PartialEq>(
    parsed: &Parsed,
    desk: &Desk<'_>,
    known_sender: impl Fn(&str) -> Option<O>,
    ticket_owner: impl Fn(i64) -> Option<TicketInfo<O>>,
) -> Intake {
    if parsed.automatic.is_some() || loop_reason(parsed, desk).is_some() {
        return Intake::IgnoreAuto;
    }
    let thread_ids: Vec<String> = parsed.in_reply_to.iter().chain(parsed.references.iter().rev()).cloned().collect();
    let by_header = ticket_from_references(&thread_ids, desk.secret);
    if let TicketRef::Forged(n) = by_header {
        return Intake::HoldSuspicious(n);
    }
    let from = parsed.from.to_lowercase();
    let Some(org) = known_sender(&from) else {
        return Intake::HoldUnknownSender;
    };
    let target = match by_header {
        TicketRef::Valid(n) => Some(n),
        _ => ticket_from_subject(&parsed.subject),
    };
    let Some((n, ticket)) = target.and_then(|n| ticket_owner(n).map(|t| (n, t))) else {
        return Intake::NewTicket;
    };
    let allowed = ticket.org == org || ticket.extra_senders.iter().any(|s| s.eq_ignore_ascii_case(&from));
    if allowed { Intake::Reply(n) } else { Intake::HoldSuspicious(n) }
}

/// Our own mail coming back: From is one of our addresses, or the Message-ID is in our
/// Message-ID domain (only we mint those; a stranger copying one merely gets dropped).
pub fn loop_reason(parsed: &Parsed, desk: &Desk<'_>) -> Option<AutoReason> {
    let from_us = desk.own_addresses.iter().any(|a| a.eq_ignore_ascii_case(parsed.from.trim()));
    let our_id =
        parsed.message_id.as_deref().and_then(id_domain).is_some_and(|d| d.eq_ignore_ascii_case(desk.id_domain));
    (from_us || our_id).then_some(AutoReason::Loop)
}

/// `parse` then `decide`, for callers that want one answer per raw message. A parse error
/// comes back as [`Intake::RejectMalformed`] with the error.
pub fn process<O: PartialEq>(
    raw: &[u8],
    desk: &Desk<'_>,
    known_sender: impl Fn(&str) -> Option<O>,
    ticket_owner: impl Fn(i64) -> Option<TicketInfo<O>>,
) -> (Intake, Result<Parsed, MailError>) {
    match parse(raw) {
        Ok(parsed) => (decide(&parsed, desk, known_sender, ticket_owner), Ok(parsed)),
        Err(err) => (Intake::RejectMalformed, Err(err)),
    }
}
