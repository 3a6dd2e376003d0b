//! Thread markers: the help desk's own Message-IDs (`<t1042.f56eb7e4bb@domain>`) and the
//! `[#1042]` subject tag.
//!
//! The tag is the first 10 hex digits (5 bytes) of HMAC-SHA256 over the ticket number in
//! decimal, keyed with the deployment's secret. It proves that a Message-ID quoted back in
//! In-Reply-To/References was minted by us for that ticket, so nobody can attach mail to a
//! ticket by guessing its number. The subject tag carries no proof: it only threads mail from
//! senders the ticket already allows.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of the HMAC kept in the tag (10 hex digits).
const TAG_BYTES: usize = 5;

/// What the thread headers of a message say about a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketRef {
    /// A help-desk Message-ID with a correct tag for ticket `n`.
    Valid(i64),
    /// A help-desk-shaped Message-ID naming ticket `n` whose tag is wrong: a forgery (or a
    /// secret that was rotated since the mail was sent).
    Forged(i64),
    /// No help-desk Message-ID at all.
    None,
}

fn mac_for(ticket: i64, secret: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails; an empty key is still a key.
    let mut mac = match HmacSha256::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => unreachable_hmac(),
    };
    mac.update(ticket.to_string().as_bytes());
    mac
}

#[cold]
fn unreachable_hmac() -> HmacSha256 {
    // Not reachable (HMAC takes any key length); a fixed empty-key MAC keeps this panic-free.
    <HmacSha256 as KeyInit>::new(&Default::default())
}

/// The tag of `ticket`: 10 lowercase hex digits.
pub fn tag_for(ticket: i64, secret: &[u8]) -> String {
    let code = mac_for(ticket, secret).finalize().into_bytes();
    code.iter().take(TAG_BYTES).map(|b| format!("{b:02x}")).collect()
}

/// The Message-ID (with angle brackets) of a mail the help desk sends about `ticket`.
///
/// With an empty `unique` it is exactly the README form `<t1042.f56eb7e4bb@domain>`. Every
/// outgoing mail needs a distinct Message-ID (RFC 5322 §3.6.4), so the sender passes a unique
/// token (an outbox row id, a random string); it is appended as `t1042.f56eb7e4bb.<unique>`.
/// Only the ticket number is authenticated: `unique` merely keeps IDs distinct, so it is
/// reduced to `[A-Za-z0-9-]` (other characters are dropped) and ignored when reading back.
pub fn message_id_for(ticket: i64, secret: &[u8], domain: &str, unique: &str) -> String {
    let tag = tag_for(ticket, secret);
    let unique: String = unique.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if unique.is_empty() {
        format!("<t{ticket}.{tag}@{domain}>")
    } else {
        format!("<t{ticket}.{tag}.{unique}@{domain}>")
    }
}

/// Reads `t<ticket>.<10 hex>[.<unique>]@…` (angle brackets optional). Returns the ticket
/// number and the tag bytes; `None` if the id is not shaped like ours.
fn split_own_id(id: &str) -> Option<(i64, [u8; TAG_BYTES])> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, _domain) = id.rsplit_once('@')?;
    let rest = local.strip_prefix('t')?;
    let mut pieces = rest.split('.');
    let number = pieces.next()?;
    let hex = pieces.next()?;
    if number.is_empty() || number.len() > 18 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if number.len() > 1 && number.starts_with('0') {
        return None;
    }
    let ticket: i64 = number.parse().ok()?;
    if hex.len() != TAG_BYTES * 2 {
        return None;
    }
    let mut tag = [0u8; TAG_BYTES];
    for (i, byte) in tag.iter_mut().enumerate() {
        let pair = hex.get(i * 2..i * 2 + 2)?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some((ticket, tag))
}

/// Whether `id` is one of ours for `ticket`, compared in constant time.
fn tag_is_valid(ticket: i64, tag: &[u8], secret: &[u8]) -> bool {
    mac_for(ticket, secret).verify_truncated_left(tag).is_ok()
}

/// Looks through thread ids (In-Reply-To first, then References, as the caller orders them)
/// for help-desk Message-IDs. Any forged one wins over valid ones: a message that carries a
/// bad tag is suspicious whatever else it quotes. Otherwise the first valid id decides.
pub fn ticket_from_references(ids: &[String], secret: &[u8]) -> TicketRef {
    let mut valid = None;
    for id in ids {
        if let Some((ticket, tag)) = split_own_id(id) {
            if tag_is_valid(ticket, &tag, secret) {
                valid = valid.or(Some(ticket));
            } else {
                return TicketRef::Forged(ticket);
            }
        }
    }
    valid.map_or(TicketRef::None, TicketRef::Valid)
}

/// The ticket named by a `[#1042]` tag anywhere in a subject ("Re: [#1042] …",
/// "… [#1042]"). The first well-formed tag wins; numbers must be 1 to 18 digits.
pub fn ticket_from_subject(subject: &str) -> Option<i64> {
    let mut rest = subject;
    while let Some(start) = rest.find("[#") {
        let after = &rest[start + 2..];
        let digits: &str = &after[..after.bytes().take_while(u8::is_ascii_digit).count()];
        if !digits.is_empty()
            && digits.len() <= 18
            && after[digits.len()..].starts_with(']')
            && let Ok(n) = digits.parse::<i64>()
        {
            return Some(n);
        }
        rest = after;
    }
    None
}

/// The `id-right` (domain) of a Message-ID, lowercased.
pub(crate) fn id_domain(id: &str) -> Option<String> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    id.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"alcance-test-key";

    #[test]
    fn tag_of_1042_matches_the_readme() {
        assert_eq!(tag_for(1042, SECRET), "f56eb7e4bb");
        assert_eq!(message_id_for(1042, SECRET, "alcance.agencia.test", ""), "<t1042.f56eb7e4bb@alcance.agencia.test>");
    }

    #[test]
    fn tag_depends_on_secret_and_ticket() {
        assert_ne!(tag_for(1042, b"other-key"), "f56eb7e4bb");
        assert_ne!(tag_for(1043, SECRET), tag_for(1042, SECRET));
    }

    #[test]
    fn unique_part_reads_back_and_is_sanitised() {
        let id = message_id_for(7, SECRET, "alcance.agencia.test", "out-99@x>");
        assert_eq!(id, format!("<t7.{}.out-99x@alcance.agencia.test>", tag_for(7, SECRET)));
        assert_eq!(ticket_from_references(&[id], SECRET), TicketRef::Valid(7));
    }

    #[test]
    fn references_valid_forged_and_foreign() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let good = "<t1042.f56eb7e4bb@alcance.agencia.test>";
        assert_eq!(ticket_from_references(&ids(&[good]), SECRET), TicketRef::Valid(1042));
        assert_eq!(
            ticket_from_references(&ids(&["a@b", "t1042.F56EB7E4BB@alcance.agencia.test"]), SECRET),
            TicketRef::Valid(1042)
        );
        let forged = "t1042.0000000000@alcance.agencia.test";
        assert_eq!(ticket_from_references(&ids(&[forged]), SECRET), TicketRef::Forged(1042));
        // A forged id is not excused by a valid one next to it.
        assert_eq!(ticket_from_references(&ids(&[good, forged]), SECRET), TicketRef::Forged(1042));
        // The right tag for another ticket is still a forgery for this one.
        let swapped = format!("t1043.{}@x", tag_for(1042, SECRET));
        assert_eq!(ticket_from_references(&[swapped], SECRET), TicketRef::Forged(1043));
        // Wrong shapes are not ours at all.
        for other in [
            "t1042.f56eb7e4b@x",
            "t.f56eb7e4bb@x",
            "x1042.f56eb7e4bb@x",
            "t01042.f56eb7e4bb@x",
            "t1042.f56eb7e4bbz",
            "",
        ] {
            assert_eq!(ticket_from_references(&ids(&[other]), SECRET), TicketRef::None, "{other}");
        }
    }

    #[test]
    fn subject_tags() {
        assert_eq!(ticket_from_subject("Re: [#1042] No carga"), Some(1042));
        assert_eq!(ticket_from_subject("Sigue fallando [#1042]"), Some(1042));
        assert_eq!(ticket_from_subject("[# 1042] [#x] [#12a] then [#7]"), Some(7));
        assert_eq!(ticket_from_subject("#1042 sin corchetes"), None);
        assert_eq!(ticket_from_subject("[#99999999999999999999]"), None);
        assert_eq!(ticket_from_subject("[#"), None);
        assert_eq!(ticket_from_subject("ñ[#ñ]"), None);
    }
}
