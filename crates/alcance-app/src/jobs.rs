//! Durable background jobs: enqueued in the transaction of the change that causes them,
//! claimed by any server process with a lease, retried with backoff, and kept as "dead" for
//! an admin to look at and retry once they have used their attempts.
//!
//! Kinds so far: [`TRIAGE_RETRAIN`], and the periodic [`QUOTES_EXPIRE`], [`HOURS_EXPIRE`] and
//! [`HOURS_EXPIRING_NOTICE`]. The worker also keeps this process's triage model in
//! step with the one active in the database (another process may have trained it).

use std::time::Duration as StdDuration;

use alcance_domain::model::Id;
use alcance_store::Conn;
pub use alcance_store::repo::jobs::Job;
use alcance_store::repo::jobs::{self, NewJob};
use chrono::{DateTime, Duration, Utc};

use crate::{Actor, App, AppError};

/// Retrains the triage classifier from agents' decisions (see `triage_learning`).
pub const TRIAGE_RETRAIN: &str = "triage.retrain";
/// Marks sent quotes past their validity as expired.
pub const QUOTES_EXPIRE: &str = "quotes.expire";
/// Writes expiry entries for packages past their date.
pub const HOURS_EXPIRE: &str = "hours.expire";
/// Tells managers about packages that expire within 30 days.
pub const HOURS_EXPIRING_NOTICE: &str = "hours.expiring_notice";

/// Recomputes SLA clocks: warnings, breaches, notifications.
pub const SLA_CHECK: &str = "sla.check";
/// Delivers the outbox over SMTP.
pub const MAIL_DELIVER: &str = "mail.deliver";
/// Drops what is only kept for a while: monitor checks after 90 days, sign-in failures after
/// a day (the throttle looks back 15 minutes).
pub const HOUSEKEEPING: &str = "housekeeping.prune";

/// Jobs that run once per period however many servers share the database: each is queued
/// under its kind as dedupe key, so only one of each waits at a time.
const PERIODIC: [(&str, i64); 6] = [
    (QUOTES_EXPIRE, 3600),
    (HOURS_EXPIRE, 3600),
    (HOURS_EXPIRING_NOTICE, 6 * 3600),
    (SLA_CHECK, 60),
    (MAIL_DELIVER, 30),
    (HOUSEKEEPING, 24 * 3600),
];

/// How long a claimed job is this worker's before another may take it over.
const LEASE: Duration = Duration::minutes(10);
/// Attempts before a job is dead.
const MAX_ATTEMPTS: i64 = 5;

/// The wait before attempt `attempts + 1`: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i64) -> Duration {
    let exponent = attempts.clamp(1, 8) - 1;
    Duration::seconds((30_i64 << exponent).min(3600))
}

/// Asks for a retraining of the triage model after `delay` (agents' decisions arrive in
/// bursts; one retraining covers a burst). Nothing new is queued while one is pending.
pub(crate) async fn enqueue_retrain(c: &mut dyn Conn, delay: Duration, now: DateTime<Utc>) -> Result<(), AppError> {
    let job = NewJob {
        kind: TRIAGE_RETRAIN,
        payload: "{}",
        dedupe_key: Some(TRIAGE_RETRAIN),
        run_at: now + delay,
        max_attempts: MAX_ATTEMPTS,
    };
    jobs::enqueue(c, &job, now).await?;
    Ok(())
}

/// Runs one job of a kind this build knows. The error text is kept on the job.
async fn dispatch(app: &App, job: &Job) -> Result<(), String> {
    match job.kind.as_str() {
        TRIAGE_RETRAIN => crate::triage_learning::retrain(app, "job").await.map(|_| ()).map_err(|e| e.to_string()),
        QUOTES_EXPIRE => crate::quotes::expire_due(app).await.map(|_| ()).map_err(|e| e.to_string()),
        HOURS_EXPIRE => crate::hours::expire_packages(app).await.map(|_| ()).map_err(|e| e.to_string()),
        HOURS_EXPIRING_NOTICE => crate::hours::notify_expiring(app).await.map(|_| ()).map_err(|e| e.to_string()),
        SLA_CHECK => crate::sla::check_all(app).await.map(|_| ()).map_err(|e| e.to_string()),
        MAIL_DELIVER => crate::mailer::deliver_pending(app).await.map(|_| ()).map_err(|e| e.to_string()),
        HOUSEKEEPING => prune(app).await.map_err(|e| e.to_string()),
        other => Err(format!("unknown job kind `{other}`")),
    }
}

/// Queues the next run of every periodic job that has none waiting (the first run of each
/// is due at once).
pub async fn schedule_periodic(app: &App) -> Result<(), AppError> {
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                for (kind, seconds) in PERIODIC {
                    let ran_before = !jobs::of_kind(c, kind, 1).await?.is_empty();
                    let run_at = if ran_before { now + Duration::seconds(seconds) } else { now };
                    let job =
                        NewJob { kind, payload: "{}", dedupe_key: Some(kind), run_at, max_attempts: MAX_ATTEMPTS };
                    jobs::enqueue(c, &job, now).await?;
                }
                Ok(())
            })
        })
        .await
}

/// Removes monitor checks older than 90 days and sign-in failures older than a day.
pub async fn prune(app: &App) -> Result<(), AppError> {
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                alcance_store::repo::monitors::prune_checks(c, now - Duration::days(90)).await?;
                alcance_store::repo::web::prune_login_failures(c, now - Duration::days(1)).await?;
                Ok(())
            })
        })
        .await
}

/// Claims and runs due jobs one after another until none is due; gives how many ran.
pub async fn run_due(app: &App, worker: &str) -> Result<usize, AppError> {
    let mut ran = 0;
    loop {
        let (now, owner) = (app.now(), worker.to_owned());
        let claimed =
            app.store.write(move |c| Box::pin(async move { jobs::claim(c, &owner, now, now + LEASE).await })).await?;
        let Some(job) = claimed else { return Ok(ran) };
        ran += 1;
        let outcome = dispatch(app, &job).await;
        let (now, owner, id) = (app.now(), worker.to_owned(), job.id);
        let kept = match outcome {
            Ok(()) => app.store.write(move |c| Box::pin(async move { jobs::finish(c, id, &owner, now).await })).await?,
            Err(error) => {
                let retry_at = (job.attempts < job.max_attempts).then(|| now + backoff(job.attempts));
                tracing::warn!(job = id, kind = %job.kind, attempt = job.attempts, %error, dead = retry_at.is_none(), "job failed");
                app.store
                    .write(move |c| Box::pin(async move { jobs::fail(c, id, &owner, &error, retry_at, now).await }))
                    .await?
            }
        };
        if !kept {
            tracing::warn!(job = id, "job outlived its lease; another worker took it over");
        }
    }
}

/// A name for this process's worker, unique enough among servers sharing one database.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "alcance".to_owned());
    let nonce = crate::secrets::new_token("").unwrap_or_default();
    format!("{host}:{}:{}", std::process::id(), nonce.get(..8).unwrap_or("0"))
}

/// The background worker of `alcance serve`: runs due jobs every `tick` and keeps the
/// triage model in step with the database every minute. Returns when `stop` fires.
pub async fn run_worker(app: App, tick: StdDuration, stop: tokio::sync::watch::Receiver<bool>) {
    let worker = worker_name();
    let mut stop = stop;
    let mut last_sync = std::time::Instant::now();
    if let Err(e) = schedule_periodic(&app).await {
        tracing::error!(error = %e, "could not schedule the periodic jobs");
    }
    loop {
        if let Err(e) = run_due(&app, &worker).await {
            tracing::error!(error = %e, "the job worker could not reach the database");
        }
        if last_sync.elapsed() >= StdDuration::from_secs(60) {
            last_sync = std::time::Instant::now();
            if let Err(e) = crate::triage_learning::sync_active(&app).await {
                tracing::warn!(error = %e, "could not check for a newer triage model");
            }
            if let Err(e) = schedule_periodic(&app).await {
                tracing::error!(error = %e, "could not schedule the periodic jobs");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(tick) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Dead jobs, newest first, for admins.
pub async fn dead(app: &App, actor: &Actor) -> Result<Vec<Job>, AppError> {
    if !actor.is_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(app.store.read(|c| Box::pin(async move { jobs::in_state(c, "dead", 200).await })).await?)
}

/// Puts a dead job back in the queue, due now (admins).
pub async fn retry(app: &App, actor: &Actor, id: Id) -> Result<(), AppError> {
    if !actor.is_admin() {
        return Err(AppError::Forbidden);
    }
    let now = app.now();
    let retried = app.store.write(move |c| Box::pin(async move { jobs::retry_dead(c, id, now).await })).await?;
    if retried { Ok(()) } else { Err(AppError::NotFound) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(120));
        assert_eq!(backoff(20), Duration::seconds(3600));
    }
}
