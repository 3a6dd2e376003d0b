//! Incoming e-mail from a mailbox: the poller reads unseen messages over IMAP (always TLS)
//! and hands each to [`mail_intake::ingest`], the same use case `alcance mail ingest` feeds
//! from an MTA pipe.
//!
//! The mailbox's \Seen flag is the poller's only state. A message is marked seen once intake
//! has recorded it (taken, held, ignored, a duplicate, or rejected as malformed: a broken
//! message must not come back every minute; it stays in the mailbox for a person to read).
//! A message intake could not store (the database is down) stays unseen and is read again
//! at the next poll. Messages are never moved or deleted, so the mailbox must be Alcance's
//! alone: a person reading it in a mail client would mark messages seen before Alcance
//! reads them.
//!
//! Several servers may poll the same mailbox at once: they may fetch the same message, but
//! intake records each message under its Message-ID, so the second one gets `Duplicate` and
//! nothing is applied twice; both then mark it seen. A duplicate whose first delivery is still
//! being applied ("processing") is left unseen: if that other process dies, a later poll
//! takes the message over (intake's lease) instead of it being lost behind a \Seen flag.

mod connect;
mod settings;

use std::collections::HashMap;

use alcance_store::repo::inbound::PROCESSING;
use async_imap::types::Fetch;
use futures_util::TryStreamExt;
use thiserror::Error;
use tokio::sync::watch;

pub use settings::{ImapSecurity, ImapSettings};

use crate::mail_intake::{self, Ingested};
use crate::{App, AppError};
use connect::{Session, within};

/// Most messages one poll hands to intake; the rest wait for the next poll, which
/// `run_forever` starts at once.
pub const MAX_PER_POLL: usize = 50;

/// Largest message fetched (as `alcance mail ingest` reads): a larger one is marked seen and
/// counted as rejected, never loaded.
pub const MAX_MESSAGE_BYTES: u32 = 64 * 1024 * 1024;

/// Why a poll could not read the mailbox. Nothing was lost: unread messages stay unseen.
#[derive(Debug, Error)]
pub enum PollError {
    /// The settings cannot work (a CA file that is no PEM, a host TLS cannot name).
    #[error("{0}")]
    Setup(String),
    /// No connection, or no greeting: the server is down or unreachable.
    #[error("{0}")]
    Connect(String),
    /// The TLS handshake failed, e.g. the server's certificate is not trusted.
    #[error("{0}")]
    Tls(String),
    /// The server refused the user name or password.
    #[error("{0}")]
    Login(String),
    /// The mailbox cannot be opened.
    #[error("{0}")]
    Mailbox(String),
    /// A command failed or timed out after login.
    #[error("{0}")]
    Protocol(String),
}

/// What one poll did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PollReport {
    /// Messages fetched and handed to intake.
    pub fetched: usize,
    /// Turned into a ticket or a reply, held for an agent, or ignored (auto-replies, loops).
    pub taken: usize,
    /// Received before (by another poller, a redelivery or the MTA pipe): nothing done again.
    pub duplicates: usize,
    /// Malformed or too large: marked seen, never retried.
    pub rejected: usize,
    /// Left unseen for the next poll: intake failed (the database is unavailable), or another
    /// process is applying the same message right now.
    pub left_for_later: usize,
    /// Unseen messages not fetched this time (past [`MAX_PER_POLL`], or the poller was stopping).
    pub waiting: usize,
    /// One line per message fetched: its UID and what became of it.
    pub messages: Vec<String>,
}

impl std::fmt::Display for PollReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fetched {}: {} taken, {} duplicate(s), {} rejected, {} left for later; {} waiting",
            self.fetched, self.taken, self.duplicates, self.rejected, self.left_for_later, self.waiting
        )
    }
}

/// Checks the extra CA certificates, so that a server refuses to start with a bad CA file
/// rather than failing every poll.
pub fn check_settings(settings: &ImapSettings) -> Result<(), PollError> {
    connect::tls_config(&settings.extra_roots_pem).map(|_| ())
}

/// One poll: connect, log in, hand the oldest unseen messages (at most [`MAX_PER_POLL`]) to
/// intake, mark the handled ones seen, log out.
pub async fn poll_once(app: &App, settings: &ImapSettings) -> Result<PollReport, PollError> {
    poll(app, settings, None).await
}

/// Polls every `settings.poll_interval` until `stop` turns true. A failed poll (wrong
/// password, server down, untrusted certificate) is logged and tried again next interval.
pub async fn run_forever(app: App, settings: ImapSettings, stop: watch::Receiver<bool>) {
    let mut stop = stop;
    let (server, mailbox) = (settings.server(), settings.mailbox.clone());
    loop {
        let again = match poll(&app, &settings, Some(&stop)).await {
            Ok(report) => {
                if report.fetched > 0 || report.waiting > 0 {
                    tracing::info!(%server, %mailbox, %report, "IMAP poll");
                }
                report.waiting > 0 && report.left_for_later == 0
            }
            Err(error) => {
                tracing::error!(%server, %mailbox, %error, "IMAP poll failed; trying again at the next interval");
                false
            }
        };
        if *stop.borrow() {
            return;
        }
        if again {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(settings.poll_interval) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn poll(
    app: &App,
    settings: &ImapSettings,
    stop: Option<&watch::Receiver<bool>>,
) -> Result<PollReport, PollError> {
    let tls = connect::tls_config(&settings.extra_roots_pem)?;
    let mut session = connect::open(settings, tls).await?;
    let result = drain(app, settings, &mut session, stop).await;
    // Even after an error: the server should not keep a dangling session. A failed LOGOUT
    // changes nothing that was done.
    if let Err(e) = within(settings.timeout, session.logout()).await {
        tracing::debug!(error = %e, "IMAP LOGOUT failed");
    }
    result
}

/// What to do with a message once intake has answered.
enum Next {
    MarkSeen,
    LeaveUnseen,
    /// Leave it and stop this poll: the database is likely down for the others too.
    Stop,
}

async fn drain(
    app: &App,
    settings: &ImapSettings,
    session: &mut Session,
    stop: Option<&watch::Receiver<bool>>,
) -> Result<PollReport, PollError> {
    let limit = settings.timeout;
    within(limit, session.select(&settings.mailbox))
        .await
        .map_err(|e| PollError::Mailbox(format!("cannot open the mailbox `{}`: {e}", settings.mailbox)))?;
    let unseen = within(limit, session.uid_search("UNSEEN")).await.map_err(failed("UID SEARCH UNSEEN"))?;
    let mut uids: Vec<u32> = unseen.into_iter().collect();
    uids.sort_unstable();
    let mut report = PollReport { waiting: uids.len().saturating_sub(MAX_PER_POLL), ..PollReport::default() };
    uids.truncate(MAX_PER_POLL);
    let sizes = sizes(session, &uids, limit).await?;
    for (i, &uid) in uids.iter().enumerate() {
        if stop.is_some_and(|s| *s.borrow()) {
            report.waiting += uids.len() - i;
            break;
        }
        let size = sizes.get(&uid).copied().unwrap_or(0);
        if size > MAX_MESSAGE_BYTES {
            tracing::warn!(uid, size, "e-mail larger than the limit rejected; it stays in the mailbox, marked seen");
            report.rejected += 1;
            report.messages.push(format!("uid {uid}: rejected: larger than {} MiB", MAX_MESSAGE_BYTES >> 20));
            mark_seen(session, uid, limit).await?;
            continue;
        }
        // A large message gets a second more per MiB, so that a slow link does not time out
        // on it at every poll.
        let fetch_limit = limit + std::time::Duration::from_secs(u64::from(size >> 20));
        let fetched = within(fetch_limit, async {
            session.uid_fetch(uid.to_string(), "BODY.PEEK[]").await?.try_collect::<Vec<Fetch>>().await
        })
        .await
        .map_err(failed("UID FETCH"))?;
        // Gone since the search (another client expunged it): nothing to do.
        let Some(raw) = fetched.iter().filter(|f| f.uid == Some(uid)).find_map(|f| f.body()) else {
            continue;
        };
        report.fetched += 1;
        let next = hand_over(app, uid, raw, &mut report).await;
        match next {
            Next::MarkSeen => mark_seen(session, uid, limit).await?,
            Next::LeaveUnseen => {}
            Next::Stop => {
                report.waiting += uids.len() - i - 1;
                break;
            }
        }
    }
    Ok(report)
}

/// Gives one message to intake and counts what it did.
async fn hand_over(app: &App, uid: u32, raw: &[u8], report: &mut PollReport) -> Next {
    let (line, next) = match mail_intake::ingest(app, raw).await {
        Ok(Ingested::Duplicate { outcome, .. }) if outcome == PROCESSING => {
            report.left_for_later += 1;
            ("left unseen: another process is applying this message now".to_owned(), Next::LeaveUnseen)
        }
        Ok(done) => {
            match &done {
                Ingested::Duplicate { .. } => report.duplicates += 1,
                Ingested::Rejected { .. } => report.rejected += 1,
                _ => report.taken += 1,
            }
            (done.describe(), Next::MarkSeen)
        }
        Err(e) => {
            report.left_for_later += 1;
            let next = if matches!(e, AppError::Internal(_)) { Next::Stop } else { Next::LeaveUnseen };
            tracing::error!(uid, error = %e, "an e-mail from the mailbox could not be stored; it stays unseen");
            (format!("left unseen: could not be stored, tried again at the next poll: {e}"), next)
        }
    };
    tracing::info!(uid, outcome = %line, "e-mail from the mailbox");
    report.messages.push(format!("uid {uid}: {line}"));
    next
}

/// Each message's size, so an oversized one is never loaded.
async fn sizes(
    session: &mut Session,
    uids: &[u32],
    limit: std::time::Duration,
) -> Result<HashMap<u32, u32>, PollError> {
    if uids.is_empty() {
        return Ok(HashMap::new());
    }
    let set = uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let answers =
        within(limit, async { session.uid_fetch(set, "(UID RFC822.SIZE)").await?.try_collect::<Vec<Fetch>>().await })
            .await
            .map_err(failed("UID FETCH RFC822.SIZE"))?;
    Ok(answers.iter().filter_map(|f| Some((f.uid?, f.size?))).collect())
}

async fn mark_seen(session: &mut Session, uid: u32, limit: std::time::Duration) -> Result<(), PollError> {
    within(limit, async {
        session.uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)").await?.try_collect::<Vec<Fetch>>().await
    })
    .await
    .map(|_| ())
    // Intake has the message: the next poll finds it again and gets a duplicate.
    .map_err(failed("UID STORE \\Seen"))
}

fn failed(command: &'static str) -> impl Fn(String) -> PollError {
    move |e| PollError::Protocol(format!("IMAP {command} failed: {e}"))
}
