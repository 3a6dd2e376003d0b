//! E-mail on the command line: the SMTP and identity options shared by `serve` and
//! `mail ingest`, and `alcance mail ingest` itself (one message on standard input, for an
//! MTA pipe such as Postfix's `alias: "|alcance mail ingest"`).
//!
//! Exit codes of `mail ingest` follow sysexits, which MTAs understand: 0 when the message was
//! taken (ticket, reply, held or ignored, or already received), 65 (EX_DATAERR, the MTA
//! bounces it) when it is malformed, 75 (EX_TEMPFAIL, the MTA retries later) when the
//! database cannot be reached or the change failed.

use std::io::Read;
use std::path::{Path, PathBuf};

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
