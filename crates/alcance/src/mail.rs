//! E-mail on the command line: the SMTP and identity options shared by `serve` and
//! `mail ingest`, and `alcance mail ingest` itself (one message on standard input, for an
//! MTA pipe such as Postfix's `alias: "|alcance mail ingest"`); the IMAP mailbox options
//! shared by `serve` (which polls it) and `alcance mail poll` (one poll, for cron).
//!
//! Exit codes of `mail ingest` follow sysexits, which MTAs understand: 0 when the message was
//! taken (ticket, reply, held or ignored, or already received), 65 (EX_DATAERR, the MTA
//! bounces it) when it is malformed, 75 (EX_TEMPFAIL, the MTA retries later) when the
//! database cannot be reached or the change failed. `mail poll` exits 0 when it read the
//! mailbox and 75 when the IMAP server could not be reached, refused the login or its
//! certificate, so that cron tries again.

use std::io::Read;
use std::path::{Path, PathBuf};

use alcance_app::mail_imap::{ImapSettings, PollError};
use alcance_app::mailer::{MailSettings, SmtpSecurity, SmtpSettings};
use anyhow::{Context, anyhow};
use clap::{Args, Subcommand, ValueEnum};

/// Largest message `mail ingest` reads (bigger ones are refused as a data error).
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// An exit status other than 1, carried up to `main`.
#[derive(Debug)]
pub struct Exit(pub u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for Exit {}

#[derive(Subcommand)]
pub enum MailCommand {
    /// Read one RFC 5322 message on standard input and turn it into a ticket, a reply, a
    /// message held for an agent, or nothing (auto-replies, loops). Prints what it did.
    /// Exit 0: taken; 65: malformed (rejected); 75: try again later.
    Ingest(IngestOptions),
    /// Deliver what waits in the outbox now (the server also does it every 30 seconds).
    Deliver(DeliverOptions),
    /// Read the unseen messages of the IMAP mailbox (--imap-url) once, as the server does
    /// every --imap-poll-seconds, and print what became of each.
    /// Exit 0: the mailbox was read; 75: the server could not be reached or refused us.
    Poll(PollOptions),
}

#[derive(Args)]
pub struct PollOptions {
    #[command(flatten)]
    pub ingest: IngestOptions,
    #[command(flatten)]
    pub imap: ImapOptions,
}

/// The mailbox the server polls for requests. The password is read only from
/// ALCANCE_IMAP_PASSWORD or a file, so it never shows in process lists, and is never printed.
#[derive(Args, Clone)]
pub struct ImapOptions {
    /// The mailbox to read requests from: imaps://USER@host[:port][/MAILBOX] (TLS, port 993)
    /// or imap+starttls://… (port 143); MAILBOX defaults to INBOX. Unseen messages are taken
    /// and marked seen, so the mailbox must be Alcance's alone.
    #[arg(long, env = "ALCANCE_IMAP_URL")]
    pub imap_url: Option<String>,
    /// File holding the IMAP password (else ALCANCE_IMAP_PASSWORD).
    #[arg(long, env = "ALCANCE_IMAP_PASSWORD_FILE")]
    pub imap_password_file: Option<PathBuf>,
    /// A PEM file of extra root certificates to trust for the IMAP server (an internal CA).
    #[arg(long, env = "ALCANCE_IMAP_CA_FILE")]
    pub imap_ca_file: Option<PathBuf>,
    /// Seconds between two polls of the mailbox by the server.
    #[arg(long, env = "ALCANCE_IMAP_POLL_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub imap_poll_seconds: u64,
}

impl ImapOptions {
    /// The mailbox to poll, or `None` without --imap-url.
    pub fn settings(&self) -> anyhow::Result<Option<ImapSettings>> {
        let Some(url) = self.imap_url.as_deref().filter(|u| !u.trim().is_empty()) else { return Ok(None) };
        let mut settings = ImapSettings::from_url(url).map_err(|e| anyhow!("--imap-url: {e}"))?;
        settings.password = match &self.imap_password_file {
            Some(path) => std::fs::read_to_string(path)
                .with_context(|| format!("--imap-password-file: cannot read {}", path.display()))?
                .trim_end_matches(['\r', '\n'])
                .to_owned(),
            None => std::env::var("ALCANCE_IMAP_PASSWORD").unwrap_or_default(),
        };
        if settings.password.is_empty() {
            return Err(anyhow!("--imap-url needs a password: set ALCANCE_IMAP_PASSWORD or --imap-password-file"));
        }
        if let Some(path) = &self.imap_ca_file {
            let pem = std::fs::read_to_string(path)
                .with_context(|| format!("--imap-ca-file: cannot read {}", path.display()))?;
            settings.extra_roots_pem.push(pem);
        }
        settings.poll_interval = std::time::Duration::from_secs(self.imap_poll_seconds);
        alcance_app::mail_imap::check_settings(&settings).map_err(|e| anyhow!("--imap-ca-file: {e}"))?;
        Ok(Some(settings))
    }
}

#[derive(Args)]
pub struct IngestOptions {
    #[command(flatten)]
    pub mail: MailOptions,
    /// The address people use to reach Alcance, for links in the acknowledgement mail.
    #[arg(long, env = "ALCANCE_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
    /// The agency's name, to sign mail with.
    #[arg(long, env = "ALCANCE_BRAND_NAME", default_value = "Igniweb · Soporte")]
    pub brand_name: String,
    /// Largest attachment kept, in MiB (larger files are listed as skipped).
    #[arg(long, env = "ALCANCE_MAX_ATTACHMENT_MB", default_value_t = 20)]
    pub max_attachment_mb: usize,
}

#[derive(Args)]
pub struct DeliverOptions {
    #[command(flatten)]
    pub mail: MailOptions,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Security {
    /// No TLS (a local relay).
    Plain,
    /// STARTTLS, required.
    Starttls,
    /// TLS from the start (SMTPS).
    Tls,
}

/// Outgoing mail and the help desk's mail identity. The SMTP password is read only from
/// ALCANCE_SMTP_PASSWORD and the Message-ID secret from ALCANCE_MAIL_SECRET (or a file), so
/// neither shows in process lists; neither is ever printed.
#[derive(Args, Clone)]
pub struct MailOptions {
    /// SMTP server as a URL: smtp://[user@]host[:port] (no TLS), smtp+starttls://… or
    /// smtps://…. Without it (and without --smtp-host) mail stays in the outbox (/admin/outbox).
    #[arg(long, env = "ALCANCE_SMTP_URL", conflicts_with = "smtp_host")]
    pub smtp_url: Option<String>,
    /// SMTP server host (instead of --smtp-url).
    #[arg(long, env = "ALCANCE_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// SMTP port (default: 25 plain, 587 STARTTLS, 465 TLS).
    #[arg(long, env = "ALCANCE_SMTP_PORT")]
    pub smtp_port: Option<u16>,
    /// Connection security with --smtp-host.
    #[arg(long, env = "ALCANCE_SMTP_SECURITY", value_enum, default_value_t = Security::Starttls)]
    pub smtp_security: Security,
    /// SMTP user name (the password comes from ALCANCE_SMTP_PASSWORD).
    #[arg(long, env = "ALCANCE_SMTP_USER")]
    pub smtp_user: Option<String>,
    /// The help desk's address: From of every mail, and mail from it is a loop.
    #[arg(long, env = "ALCANCE_MAIL_FROM", default_value = "soporte@alcance.invalid")]
    pub mail_from: String,
    /// Where clients' replies go (the address piped to `alcance mail ingest`).
    #[arg(long, env = "ALCANCE_MAIL_REPLY_TO")]
    pub mail_reply_to: Option<String>,
    /// The right-hand side of our Message-IDs (default: "alcance." plus the From domain).
    #[arg(long, env = "ALCANCE_MAIL_ID_DOMAIN")]
    pub mail_id_domain: Option<String>,
    /// File holding the Message-ID secret when ALCANCE_MAIL_SECRET is not set (default:
    /// mail-secret in the data folder, created with a random secret on first use). Servers
    /// sharing one database must share the secret.
    #[arg(long, env = "ALCANCE_MAIL_SECRET_FILE")]
    pub mail_secret_file: Option<PathBuf>,
}

impl MailOptions {
    /// The settings these options describe. `data_dir` holds the default secret file.
    pub fn settings(&self, data_dir: &Path) -> anyhow::Result<MailSettings> {
        let password = std::env::var("ALCANCE_SMTP_PASSWORD").ok().filter(|p| !p.is_empty());
        let mut smtp = match (&self.smtp_url, &self.smtp_host) {
            (Some(url), _) => Some(SmtpSettings::from_url(url).map_err(|e| anyhow!("--smtp-url: {e}"))?),
            (None, Some(host)) => {
                let security = match self.smtp_security {
                    Security::Plain => SmtpSecurity::Plain,
                    Security::Starttls => SmtpSecurity::StartTls,
                    Security::Tls => SmtpSecurity::Tls,
                };
                let port = match security {
                    SmtpSecurity::Plain => 25,
                    SmtpSecurity::StartTls => 587,
                    SmtpSecurity::Tls => 465,
                };
                Some(SmtpSettings {
                    host: host.clone(),
                    port,
                    security,
                    user: None,
                    password: None,
                    timeout: std::time::Duration::from_secs(30),
                })
            }
            (None, None) => None,
        };
        if let Some(s) = smtp.as_mut() {
            if let Some(port) = self.smtp_port {
                s.port = port;
            }
            if self.smtp_user.is_some() {
                s.user.clone_from(&self.smtp_user);
            }
            s.password = password;
        }
        let from = self.mail_from.trim().to_lowercase();
        let domain = from.rsplit_once('@').map(|(_, d)| d.to_owned()).filter(|d| !d.is_empty());
        let Some(domain) = domain else { return Err(anyhow!("--mail-from `{from}` is not an e-mail address")) };
        let id_domain = self.mail_id_domain.clone().unwrap_or_else(|| format!("alcance.{domain}"));
        Ok(MailSettings {
            smtp,
            from_address: from,
            reply_to: self.mail_reply_to.as_ref().map(|r| r.trim().to_lowercase()),
            secret: self.secret(data_dir)?,
            id_domain,
        })
    }

    fn secret(&self, data_dir: &Path) -> anyhow::Result<Vec<u8>> {
        if let Some(secret) = std::env::var("ALCANCE_MAIL_SECRET").ok().filter(|s| !s.is_empty()) {
            return Ok(secret.into_bytes());
        }
        let path = self.mail_secret_file.clone().unwrap_or_else(|| data_dir.join("mail-secret"));
        match std::fs::read_to_string(&path) {
            Ok(text) if !text.trim().is_empty() => return Ok(text.trim().as_bytes().to_vec()),
            Ok(_) => return Err(anyhow!("the mail secret file {} is empty", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(anyhow!("cannot read the mail secret file {}: {e}", path.display())),
        }
        let secret = alcance_app::secrets::new_token("").map_err(|e| anyhow!(e.to_string()))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        write_private(&path, &secret)
            .with_context(|| format!("cannot write the mail secret file {}", path.display()))?;
        Ok(secret.into_bytes())
    }
}

/// Creates a file only its owner can read, failing if it exists (another process won).
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => file.write_all(content.as_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Reads the whole message from standard input.
pub fn read_message() -> anyhow::Result<Vec<u8>> {
    let mut raw = Vec::new();
    std::io::stdin()
        .take(MAX_MESSAGE_BYTES as u64 + 1)
        .read_to_end(&mut raw)
        .context("cannot read the message from standard input")?;
    if raw.len() > MAX_MESSAGE_BYTES {
        eprintln!("error: rejected: the message is larger than {} MiB", MAX_MESSAGE_BYTES / (1024 * 1024));
        return Err(Exit(65).into());
    }
    Ok(raw)
}

/// `alcance mail ingest`: prints what became of the message; the exit status tells the MTA.
pub async fn ingest(app: &alcance_app::App, raw: &[u8]) -> anyhow::Result<()> {
    match alcance_app::mail_intake::ingest(app, raw).await {
        Ok(done) if done.is_rejected() => {
            eprintln!("error: {}", done.describe());
            Err(Exit(65).into())
        }
        // Another intake is applying this message right now: if it dies, only a redelivery
        // brings the message back, so the MTA must keep it and try again.
        Ok(done) if done.is_in_progress() => {
            eprintln!("error: this message is being processed by another delivery; try again later");
            Err(Exit(75).into())
        }
        Ok(done) => {
            println!("{}", done.describe());
            Ok(())
        }
        Err(e) => {
            eprintln!("error: the message could not be stored, try again later: {e}");
            Err(Exit(75).into())
        }
    }
}

impl IngestOptions {
    /// The application settings intake runs with.
    pub fn settings(&self, data_dir: &Path) -> anyhow::Result<alcance_app::Settings> {
        Ok(alcance_app::Settings {
            mail: self.mail.settings(data_dir)?,
            public_url: self.public_url.trim_end_matches('/').to_owned(),
            max_attachment_bytes: self.max_attachment_mb.saturating_mul(1024 * 1024),
            brand: alcance_app::Brand { name: self.brand_name.clone(), ..alcance_app::Brand::default() },
            ..alcance_app::Settings::default()
        })
    }
}

/// `alcance mail poll`: one poll of the mailbox; prints a line per message and the totals.
pub async fn poll(app: &alcance_app::App, settings: &ImapSettings) -> anyhow::Result<()> {
    match alcance_app::mail_imap::poll_once(app, settings).await {
        Ok(report) => {
            for line in &report.messages {
                println!("{line}");
            }
            println!("{}: {report}", settings.mailbox);
            Ok(())
        }
        Err(e @ PollError::Setup(_)) => Err(anyhow!("{e}")),
        Err(e) => {
            eprintln!("error: the mailbox could not be read, try again later: {e}");
            Err(Exit(75).into())
        }
    }
}

/// `alcance mail deliver`: one delivery run now.
pub async fn deliver(app: &alcance_app::App) -> anyhow::Result<()> {
    if app.settings.mail.smtp.is_none() {
        println!("no SMTP server configured (--smtp-url): mail stays in the outbox");
        return Ok(());
    }
    let sent = alcance_app::mailer::deliver_pending(app).await.map_err(|e| anyhow!(e.to_string()))?;
    println!("sent {sent} e-mail(s)");
    Ok(())
}
