//! Inbound e-mail for Alcance, the pure part: parse a raw message, extract the new text and
//! the attachments, and decide what intake does with it. No I/O, no clock, no database: the
//! app looks up contacts and tickets and passes them in as closures.
//!
//! ```text
//! parse(raw) ──► Parsed ──► decide(&parsed, &desk, known_sender, ticket_owner) ──► Intake
//! ```
//!
//! Threading: the help desk's outgoing Message-IDs are `<t1042.f56eb7e4bb@domain>` (see
//! [`message_id_for`]); replies quote them in In-Reply-To/References, and the HMAC tag proves
//! the number was not guessed. `[#1042]` in a subject also threads, without proof, so it
//! only works for senders of the ticket's organisation.

mod auto;
mod decide;
mod error;
mod html;
mod parse;
mod tag;
mod text;

pub use auto::AutoReason;
pub use decide::{Desk, Intake, TicketInfo, decide, loop_reason, process};
pub use error::MailError;
pub use html::html_to_text;
pub use parse::{Attachment, Parsed, parse};
pub use tag::{TicketRef, message_id_for, tag_for, ticket_from_references, ticket_from_subject};
