//! Outgoing e-mail. Every mail is first a row of the outbox, written in the transaction of
//! the change that causes it; the periodic job `mail.deliver` sends pending rows over SMTP
//! (plain, STARTTLS or TLS, with optional authentication) and marks them sent. Without SMTP
//! configured rows simply stay in the outbox, where admins read them: nothing is lost.
//!
//! Threading: a mail about ticket N carries a Message-ID `<tN.TAG.oROW@domain>` and refers
//! (In-Reply-To/References) to the ticket's root id `<tN.TAG@domain>`, where TAG is an HMAC of
//! N under the deployment's secret (`alcance_mail::message_id_for`). Replies quote those ids,
//! and intake trusts a ticket number from them only when the tag is right.

use std::fmt;
use std::time::Duration;

use alcance_domain::model::{Id, Ticket};
use alcance_mail::message_id_for;
use alcance_store::Conn;
use alcance_store::repo::users;
use alcance_store::repo::web::{self, NewOutboxEmail, PendingEmail};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::mail_templates::{self, MailLang, TicketFacts, TicketMail};
use crate::{App, AppError, Settings};

/// Attempts after which a row is left for an admin (it stays in the outbox, unsent).
pub const MAX_ATTEMPTS: i64 = 5;
/// Rows sent per run of the job; the rest wait for the next run.
const BATCH: i64 = 50;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// No TLS (a relay on localhost or a trusted network).
    Plain,
    /// Plain connection upgraded with STARTTLS, which is required.
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

/// Where and how to send mail.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: Option<String>,
    /// Never printed (see the `Debug` impl).
    pub password: Option<String>,
    pub timeout: Duration,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl SmtpSettings {
    /// Reads `smtp://[user@]host[:port]` (no TLS, port 25), `smtp+starttls://…` (STARTTLS,
    /// port 587) or `smtps://…` (TLS, port 465). `?tls=starttls|required` on `smtp://` also
    /// asks for STARTTLS. A password in the URL is refused: it would show in process lists;
    /// it comes from its own setting (an environment variable).
    pub fn from_url(url: &str) -> Result<SmtpSettings, String> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("`{url}` is not an smtp:// URL"))?;
        let (mut security, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => (SmtpSecurity::Plain, 25),
            "smtp+starttls" => (SmtpSecurity::StartTls, 587),
            "smtps" => (SmtpSecurity::Tls, 465),
            other => return Err(format!("unknown SMTP URL scheme `{other}` (use smtp, smtp+starttls or smtps)")),
        };
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = authority.trim_end_matches('/');
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("tls", "starttls" | "required")) if security == SmtpSecurity::Plain => {
                    security = SmtpSecurity::StartTls
                }
                Some(("tls", "none" | "")) | Some(("tls", "wrapper")) | Some(("tls", _)) => {
                    return Err(format!("unsupported `{pair}` in the SMTP URL (use the scheme to pick TLS)"));
                }
                _ => return Err(format!("unknown `{pair}` in the SMTP URL")),
            }
        }
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                if userinfo.contains(':') {
                    return Err("put the SMTP password in ALCANCE_SMTP_PASSWORD, not in the URL".to_owned());
                }
                (Some(percent_decode(userinfo)), host)
            }
            None => (None, authority),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
                (h, p.parse::<u16>().map_err(|_| format!("`{p}` is not a port number"))?)
            }
            _ => (host_port, default_port),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err("the SMTP URL has no host".to_owned());
        }
        Ok(SmtpSettings {
            host: host.to_owned(),
            port,
            security,
            user: user.filter(|u| !u.is_empty()),
            password: None,
            timeout: Duration::from_secs(30),
        })
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The deployment's mail identity and, optionally, its SMTP server.
#[derive(Clone)]
pub struct MailSettings {
    /// `None`: no SMTP; mail stays in the outbox for admins to read.
    pub smtp: Option<SmtpSettings>,
    /// The From address of every mail (the help desk's own address).
    pub from_address: String,
    /// Where replies go (the address whose mail is piped to `alcance mail ingest`);
    /// `None`: the From address.
    pub reply_to: Option<String>,
    /// HMAC key of the Message-ID tags. Must be the same for every process of a deployment
    /// and stay the same over time, or replies to older mail lose their proof.
    pub secret: Vec<u8>,
    /// The right-hand side of our Message-IDs.
    pub id_domain: String,
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp", &self.smtp)
            .field("from_address", &self.from_address)
            .field("reply_to", &self.reply_to)
            .field("secret", &"<redacted>")
            .field("id_domain", &self.id_domain)
            .finish()
    }
}

impl Default for MailSettings {
    /// No SMTP (outbox only), and a secret made fresh for this process: never an empty or
    /// guessable key. A real deployment sets a stable one (see `alcance serve --help`).
    fn default() -> Self {
        let mut secret = vec![0u8; 32];
        if getrandom::fill(&mut secret).is_err() {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            secret = format!("{}:{}", nanos.as_nanos(), std::process::id()).into_bytes();
        }
        MailSettings {
            smtp: None,
            from_address: "soporte@alcance.invalid".to_owned(),
            reply_to: None,
            secret,
            id_domain: "alcance.invalid".to_owned(),
        }
    }
}

impl MailSettings {
    /// Our own addresses: mail from them is a loop.
    pub fn own_addresses(&self) -> Vec<String> {
        let mut own = vec![self.from_address.to_lowercase()];
        own.extend(self.reply_to.iter().map(|r| r.to_lowercase()));
        own
    }

    /// The root Message-ID of ticket `number`, which every mail about it refers to.
    pub fn ticket_root_id(&self, number: i64) -> String {
        message_id_for(number, &self.secret, &self.id_domain, "")
    }
}

/// Queues a notification about `ticket` in the caller's transaction. `actor_id` is who
/// caused it: nobody is told about their own action. Requesters hear about their request;
/// SLA warnings go to the assignee, or to every active agent and admin when unassigned.
pub async fn notify_ticket_event(
    c: &mut dyn Conn,
    settings: &Settings,
    ticket: &Ticket,
    kind: TicketMail,
    actor_id: Option<Id>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let base = settings.public_url.trim_end_matches('/');
    let (recipients, link) = match &kind {
        TicketMail::SlaWarning { .. } => {
            let staff = match ticket.assignee_id {
                Some(id) => users::by_id(c, id).await?.into_iter().collect(),
                None => users::staff(c).await?,
            };
            (staff, format!("{base}/agent/tickets/{}", ticket.number))
        }
        _ => (
            users::by_id(c, ticket.requester_id).await?.into_iter().collect(),
            format!("{base}/portal/tickets/{}", ticket.number),
        ),
    };
    for user in recipients.into_iter().filter(|u| u.active && Some(u.id) != actor_id) {
        let facts = TicketFacts {
            number: ticket.number,
            subject: &ticket.subject,
            name: &user.name,
            link: &link,
            brand: &settings.brand.name,
        };
        let mail = mail_templates::ticket_mail(MailLang::from_code(&user.language), &kind, &facts);
        let row = NewOutboxEmail {
            to: &user.email,
            subject: &mail.subject,
            body_text: &mail.text,
            body_html: Some(&mail.html),
            ticket_id: Some(ticket.id),
            ..NewOutboxEmail::default()
        };
        web::enqueue(c, &row, now).await?;
    }
    Ok(())
}

/// `Auto-Submitted: auto-generated` (RFC 3834): every mail here is sent by the system, so
/// well-behaved auto-responders do not answer it and no loop starts.
#[derive(Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

type Transport = AsyncSmtpTransport<Tokio1Executor>;

fn transport(smtp: &SmtpSettings) -> Result<Transport, String> {
    let tls = |host: &str| TlsParameters::new(host.to_owned()).map_err(|e| format!("TLS setup: {e}"));
    let security = match smtp.security {
        SmtpSecurity::Plain => Tls::None,
        SmtpSecurity::StartTls => Tls::Required(tls(&smtp.host)?),
        SmtpSecurity::Tls => Tls::Wrapper(tls(&smtp.host)?),
    };
    let mut builder =
        Transport::builder_dangerous(smtp.host.as_str()).port(smtp.port).tls(security).timeout(Some(smtp.timeout));
    if let Some(user) = &smtp.user {
        builder = builder.credentials(Credentials::new(user.clone(), smtp.password.clone().unwrap_or_default()));
    }
    Ok(builder.build())
}

/// A random Message-ID for a mail about no ticket.
fn random_message_id(row: Id, domain: &str) -> String {
    let token = crate::secrets::new_token("").unwrap_or_default();
    format!("<o{row}.{}@{domain}>", token.get(..16).unwrap_or("0"))
}

/// The Message-ID a row goes out with: kept from an earlier attempt when there was one.
fn message_id_of(row: &PendingEmail, mail: &MailSettings) -> String {
    if let Some(id) = &row.message_id {
        return id.clone();
    }
    match row.ticket_number {
        Some(n) => message_id_for(n, &mail.secret, &mail.id_domain, &format!("o{}", row.id)),
        None => random_message_id(row.id, &mail.id_domain),
    }
}

/// Builds the MIME message of an outbox row: text and HTML alternatives, and the row's
/// files as a multipart/mixed around them.
fn build_message(
    row: &PendingEmail,
    files: Vec<web::EmailAttachment>,
    message_id: &str,
    settings: &Settings,
) -> Result<Message, String> {
    let mail = &settings.mail;
    let from: Mailbox = format!("{} <{}>", settings.brand.name.replace(['"', '<', '>', ','], " "), mail.from_address)
        .parse()
        .or_else(|_| mail.from_address.parse())
        .map_err(|e| format!("invalid From address `{}`: {e}", mail.from_address))?;
    let to: Mailbox = row.to_address.parse().map_err(|e| format!("invalid recipient `{}`: {e}", row.to_address))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(message_id.to_owned()))
        .header(AutoSubmitted);
    if let Some(reply_to) = &mail.reply_to {
        let reply_to: Mailbox = reply_to.parse().map_err(|e| format!("invalid Reply-To `{reply_to}`: {e}"))?;
        builder = builder.reply_to(reply_to);
    }
    let root = row.ticket_number.map(|n| mail.ticket_root_id(n));
    let references: Vec<&str> = root.iter().chain(row.in_reply_to.iter()).map(String::as_str).collect();
    if let Some(parent) = row.in_reply_to.as_deref().or(root.as_deref()) {
        builder = builder.in_reply_to(parent.to_owned()).references(references.join(" "));
    }
    let html = row.body_html.clone().unwrap_or_else(|| mail_templates::html_document(&row.body_text));
    let alternative = MultiPart::alternative_plain_html(row.body_text.clone(), html);
    let built = if files.is_empty() {
        builder.multipart(alternative)
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for file in files {
            let content_type = ContentType::parse(&file.content_type)
                .unwrap_or_else(|_| ContentType::parse("application/octet-stream").unwrap_or(ContentType::TEXT_PLAIN));
            let part: SinglePart = Attachment::new(file.filename).body(file.data, content_type);
            mixed = mixed.singlepart(part);
        }
        builder.multipart(mixed)
    };
    built.map_err(|e| format!("cannot build the message: {e}"))
}

/// What one send did.
enum Sent {
    Ok,
    /// The server refused this message for good (5xx), or it cannot be built: counts as an
    /// attempt.
    Refused(String),
    /// Could not talk to the server, or it said "try later" (4xx): not this row's fault, so
    /// the attempt is not counted and the run stops; the row waits for the next run.
    Unavailable(String),
}

async fn send_one(
    transport: &Transport,
    row: &PendingEmail,
    files: Vec<web::EmailAttachment>,
    id: &str,
    settings: &Settings,
) -> Sent {
    let message = match build_message(row, files, id, settings) {
        Ok(m) => m,
        Err(e) => return Sent::Refused(e),
    };
    match transport.send(message).await {
        Ok(_) => Sent::Ok,
        Err(e) if e.is_permanent() => Sent::Refused(format!("refused by the SMTP server: {e}")),
        Err(e) => Sent::Unavailable(format!("SMTP server unavailable: {e}")),
    }
}

/// Delivers what waits in the outbox; gives how many messages went out. Without SMTP
/// configured it sends nothing and leaves every row where admins can read it.
pub async fn deliver_pending(app: &App) -> Result<usize, AppError> {
    let Some(smtp) = app.settings.mail.smtp.clone() else { return Ok(0) };
    let rows = app.store.read(|c| Box::pin(async move { web::pending_emails(c, MAX_ATTEMPTS, BATCH).await })).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let transport = match transport(&smtp) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "cannot set up SMTP");
            return Err(AppError::Internal(e));
        }
    };
    let mut sent = 0;
    for row in rows {
        let id = row.id;
        let files = app.store.read(move |c| Box::pin(async move { web::email_attachments(c, id).await })).await?;
        let message_id = message_id_of(&row, &app.settings.mail);
        let outcome = send_one(&transport, &row, files, &message_id, &app.settings).await;
        let now = app.now();
        let (result, count, stop) = match outcome {
            Sent::Ok => (Ok(now), true, false),
            Sent::Refused(e) => (Err(e), true, false),
            Sent::Unavailable(e) => (Err(e), false, true),
        };
        if let Err(error) = &result {
            tracing::warn!(email = id, to = %row.to_address, %error, "e-mail not delivered");
        }
        let delivered = result.is_ok();
        if record(app, id, message_id, result, count).await? && delivered {
            sent += 1;
        }
        if stop {
            break;
        }
    }
    Ok(sent)
}

async fn record(
    app: &App,
    id: Id,
    message_id: String,
    result: Result<chrono::DateTime<chrono::Utc>, String>,
    count_attempt: bool,
) -> Result<bool, AppError> {
    Ok(app
        .store
        .write(move |c| {
            Box::pin(async move {
                let outcome = result.as_ref().map(|t| *t).map_err(String::as_str);
                web::record_delivery(c, id, &message_id, outcome, count_attempt).await
            })
        })
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let s = SmtpSettings::from_url("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.security, s.user.as_deref()),
            ("127.0.0.1", 2525, SmtpSecurity::Plain, None)
        );
        let s = SmtpSettings::from_url("smtp+starttls://soporte%40agencia.co@mail.agencia.co").unwrap();
        assert_eq!((s.port, s.security, s.user.as_deref()), (587, SmtpSecurity::StartTls, Some("soporte@agencia.co")));
        let s = SmtpSettings::from_url("smtps://mail.agencia.co").unwrap();
        assert_eq!((s.port, s.security), (465, SmtpSecurity::Tls));
        let s = SmtpSettings::from_url("smtp://mail.agencia.co?tls=required").unwrap();
        assert_eq!(s.security, SmtpSecurity::StartTls);
        assert!(
            SmtpSettings::from_url("smtp://u:secreto@mail.agencia.co").unwrap_err().contains("ALCANCE_SMTP_PASSWORD")
        );
        assert!(SmtpSettings::from_url("http://x").is_err());
        assert!(SmtpSettings::from_url("smtp://x:99999").is_err());
        assert!(SmtpSettings::from_url("smtp://").is_err());
    }

    #[test]
    fn secrets_are_not_printed() {
        let mut s = SmtpSettings::from_url("smtp://u@h").unwrap();
        s.password = Some("hunter2".into());
        let mail = MailSettings { smtp: Some(s), secret: b"k".to_vec(), ..MailSettings::default() };
        let shown = format!("{mail:?}");
        assert!(!shown.contains("hunter2") && shown.contains("redacted"), "{shown}");
    }
}
