//! From raw bytes to [`Parsed`]: headers, the new text and the user-visible attachments.

use mail_parser::{Encoding, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType};

use crate::auto::{self, AutoReason};
use crate::error::{MailError, check_structure};
use crate::html::html_to_text;
use crate::text::{decode_fallback, strip_reply, tidy, unflow};

/// What intake needs from one inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The From addr-spec as written (case kept; compare case-insensitively).
    pub from: String,
    /// The decoded display name of From, if any.
    pub from_name: Option<String>,
    /// To addr-specs, in order.
    pub to: Vec<String>,
    /// Cc addr-specs, in order.
    pub cc: Vec<String>,
    /// Decoded, unfolded Subject ("" when absent). Prefixes such as "Re:" are kept.
    pub subject: String,
    /// Message-ID without angle brackets; `None` when absent (the app makes one up).
    pub message_id: Option<String>,
    /// In-Reply-To ids, without angle brackets.
    pub in_reply_to: Vec<String>,
    /// References ids, without angle brackets, oldest first.
    pub references: Vec<String>,
    /// The new text: the plain body (or the HTML body converted), without quoted history and
    /// without anything after a "-- " signature separator. `\n` line ends.
    pub text: String,
    /// Every user-visible file (see [`Attachment`]).
    pub attachments: Vec<Attachment>,
    /// Set when a machine, not a person, sent the message.
    pub automatic: Option<AutoReason>,
}

/// A file the sender attached (or embedded inline), decoded.
///
/// Not attachments: body alternatives (text/plain, text/html, a text/calendar alternative),
/// signatures (`application/pkcs7-signature`, `application/pgp-signature`), and report
/// plumbing (`message/delivery-status`, `text/rfc822-headers`, …). An attached message
/// (`message/rfc822`) is kept whole: its bytes are the embedded message as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    /// Lowercase `type/subtype`.
    pub content_type: String,
    /// Content ID without angle brackets, for inline images referenced as `cid:`.
    pub content_id: Option<String>,
    pub bytes: Vec<u8>,
}

/// Content types that carry protocol data, never a user's file.
const PLUMBING: &[&str] = &[
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pgp-signature",
    "application/pgp-encrypted",
    "message/delivery-status",
    "message/global-delivery-status",
    "message/disposition-notification",
    "message/global-disposition-notification",
    "message/feedback-report",
    "text/rfc822-headers",
    "message/global-headers",
];

/// Subject starts (lowercase) that mark a forward, whose quoted block is the content.
const FORWARD_PREFIXES: &[&str] = &["rv:", "fw:", "fwd:", "reenviar:", "tr:", "wg:", "enc:"];

/// Parses one raw RFC 5322 message. Tolerant of real-world defects (long lines, wrong or
/// missing charsets, raw UTF-8 headers, RFC 2047 inside parameters); strict about NUL bytes,
/// header lines without a colon and a missing From. Never panics.
pub fn parse(raw: &[u8]) -> Result<Parsed, MailError> {
    let start = check_structure(raw)?;
    let raw = &raw[start..];
    let message = MessageParser::default().parse(raw).ok_or(MailError::Unparseable)?;

    let from_addr = message.from().and_then(|a| a.iter().find(|a| a.address.is_some()));
    let from = from_addr
        .and_then(|a| a.address.as_deref())
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or(MailError::MissingFrom)?
        .to_string();
    let from_name = from_addr.and_then(|a| a.name.as_deref()).map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let subject = message.subject().map(unfold).unwrap_or_default();
    let content_type =
        message.root_part().content_type().map(|ct| (ct.c_type.as_ref(), ct.c_subtype.as_deref().unwrap_or("")));
    let automatic = auto::detect(message.headers_raw(), &from, &subject, content_type);

    let keep_forwarded = {
        let s = subject.trim_start().to_lowercase();
        FORWARD_PREFIXES.iter().any(|p| s.starts_with(p))
    };
    let text = strip_reply(&body_text(&message, raw), keep_forwarded);

    Ok(Parsed {
        from,
        from_name,
        to: addresses(message.to()),
        cc: addresses(message.cc()),
        subject,
        message_id: message.message_id().map(|id| id.trim().to_string()),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        text,
        attachments: attachments(&message),
        automatic,
    })
}

fn unfold(s: &str) -> String {
    s.replace(['\r', '\n'], "").trim().to_string()
}

fn addresses(list: Option<&mail_parser::Address<'_>>) -> Vec<String> {
    list.map(|l| l.iter().filter_map(|a| a.address.as_deref().map(str::to_string)).collect()).unwrap_or_default()
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![t.trim().to_string()],
        HeaderValue::TextList(list) => list.iter().map(|t| t.trim().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Whether a part is a user-visible file rather than body or plumbing.
fn is_attachment(part: &MessagePart<'_>) -> bool {
    let ctype = content_type(part);
    if PLUMBING.contains(&ctype.as_str()) {
        return false;
    }
    match &part.body {
        PartType::Multipart(_) => false,
        PartType::Message(_) | PartType::Binary(_) | PartType::InlineBinary(_) => true,
        // A text part is a file only when it is named (notes.txt); unnamed ones are bodies
        // or alternatives (text/calendar).
        PartType::Text(_) | PartType::Html(_) => part.attachment_name().is_some(),
    }
}

fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(ct) => match ct.c_subtype.as_deref() {
            Some(sub) => format!("{}/{}", ct.c_type, sub).to_ascii_lowercase(),
            None => ct.c_type.to_ascii_lowercase(),
        },
        None if part.is_text() => "text/plain".to_string(),
        None => "application/octet-stream".to_string(),
    }
}

fn attachments(message: &Message<'_>) -> Vec<Attachment> {
    let mut out = Vec::new();
    for (index, part) in message.parts.iter().enumerate() {
        if !is_attachment(part) {
            continue;
        }
        let file_name = part
            .attachment_name()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| fallback_name(part, index));
        out.push(Attachment {
            file_name,
            content_type: content_type(part),
            content_id: part.content_id().map(|id| id.trim().to_string()),
            bytes: part.contents().to_vec(),
        });
    }
    out
}

/// A name for an unnamed file: the embedded message's subject, else "adjunto-N".
fn fallback_name(part: &MessagePart<'_>, index: usize) -> String {
    if let PartType::Message(inner) = &part.body {
        let subject: String =
            inner.subject().unwrap_or("").chars().filter(|c| !matches!(c, '/' | '\\' | ':' | '\r' | '\n')).collect();
        let subject = subject.trim();
        return format!("{}.eml", if subject.is_empty() { "mensaje" } else { subject });
    }
    let ext = content_type(part).rsplit('/').next().unwrap_or("bin").to_string();
    let ext = if ext.len() <= 5 && ext.bytes().all(|b| b.is_ascii_alphanumeric()) { ext } else { "bin".into() };
    format!("adjunto-{index}.{ext}")
}

/// The body as text: the plain parts mail-parser picked for reading order, converting HTML
/// ones; the HTML alternative only when the plain one is empty.
fn body_text(message: &Message<'_>, raw: &[u8]) -> String {
    let plain = collect(message, &message.text_body, raw);
    if !plain.trim().is_empty() {
        return plain;
    }
    collect(message, &message.html_body, raw)
}

fn collect(message: &Message<'_>, ids: &[u32], raw: &[u8]) -> String {
    let mut out = String::new();
    for part in ids.iter().filter_map(|&id| message.parts.get(id as usize)) {
        if is_attachment(part) {
            continue;
        }
        let piece = match &part.body {
            PartType::Text(text) => plain_text(part, text, raw),
            PartType::Html(html) => html_to_text(html),
            _ => continue,
        };
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&piece);
    }
    tidy(&out)
}

fn plain_text(part: &MessagePart<'_>, decoded: &str, raw: &[u8]) -> String {
    let repaired;
    let mut text = decoded;
    // mail-parser decodes invalid bytes to U+FFFD; when the charset was missing or claimed
    // UTF-8/ASCII, decode the part again as windows-1252 instead of losing the letters.
    if decoded.contains('\u{fffd}') {
        let charset = part.content_type().and_then(|ct| ct.attribute("charset")).unwrap_or("");
        let charset = charset.trim().to_ascii_lowercase();
        if matches!(charset.as_str(), "" | "utf-8" | "utf8" | "us-ascii" | "ascii")
            && let Some(bytes) = transfer_decoded(part, raw)
        {
            repaired = decode_fallback(&bytes);
            text = &repaired;
        }
    }
    let ct = part.content_type();
    let flowed = ct.and_then(|c| c.attribute("format")).is_some_and(|f| f.trim().eq_ignore_ascii_case("flowed"));
    if flowed {
        let delsp = ct.and_then(|c| c.attribute("delsp")).is_some_and(|d| d.trim().eq_ignore_ascii_case("yes"));
        unflow(text, delsp)
    } else {
        text.replace("\r\n", "\n")
    }
}

/// The part's body bytes with the transfer encoding undone, read again from the raw input.
fn transfer_decoded(part: &MessagePart<'_>, raw: &[u8]) -> Option<Vec<u8>> {
    let body = raw.get(part.offset_body as usize..part.offset_end as usize)?;
    match part.encoding {
        Encoding::None => Some(body.to_vec()),
        Encoding::QuotedPrintable => decode_qp(body),
        Encoding::Base64 => mail_parser::decoders::base64::base64_decode(body),
    }
}

/// Quoted-printable body decoding with soft line breaks (mail-parser's public helper is
/// meant for encoded words).
fn decode_qp(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        let rest = &body[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3;
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if rest.len() >= 2 {
            match mail_parser::decoders::quoted_printable::quoted_printable_decode_char(rest[0], rest[1]) {
                Some(c) => {
                    out.push(c);
                    i += 3;
                }
                None => {
                    out.push(b'=');
                    i += 1;
                }
            }
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    Some(out)
}
