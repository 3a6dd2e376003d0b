//! Durable background jobs. A job is enqueued in the transaction of the change that causes
//! it, so a change and its follow-up work are both kept or both lost. Workers claim due jobs
//! with a lease: whoever holds an unexpired lease runs the job; a lease that runs out (the
//! process died) makes the job due again, and the attempt counts.

use alcance_domain::model::Id;
use chrono::{DateTime, Utc};

use crate::{Backend, Conn, ConnExt, Row, Sql, StoreError, Value};

macro_rules! columns {
    () => {
        "id, kind, payload, dedupe_key, state, run_at, attempts, max_attempts, locked_by, locked_until, last_error, created_at, finished_at"
    };
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: Id,
    pub kind: String,
    /// JSON.
    pub payload: String,
    pub dedupe_key: Option<String>,
    /// queued, running, done or dead.
    pub state: String,
    pub run_at: DateTime<Utc>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

fn from_row(row: &Row) -> Result<Job, StoreError> {
    Ok(Job {
        id: row.int("id")?,
        kind: row.text("kind")?,
        payload: row.text("payload")?,
        dedupe_key: row.opt_text("dedupe_key")?,
        state: row.text("state")?,
        run_at: row.time("run_at")?,
        attempts: row.int("attempts")?,
        max_attempts: row.int("max_attempts")?,
        locked_by: row.opt_text("locked_by")?,
        locked_until: row.opt_time("locked_until")?,
        last_error: row.opt_text("last_error")?,
        created_at: row.time("created_at")?,
        finished_at: row.opt_time("finished_at")?,
    })
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
    /// When set, nothing is enqueued while an unfinished job with this key exists.
    pub dedupe_key: Option<&'a str>,
    pub run_at: DateTime<Utc>,
    pub max_attempts: i64,
}

/// Enqueues a job; `None` when an unfinished job with the same dedupe key already exists.
pub async fn enqueue(conn: &mut dyn Conn, job: &NewJob<'_>, now: DateTime<Utc>) -> Result<Option<Id>, StoreError> {
    let sql = "INSERT INTO jobs (kind, payload, dedupe_key, state, run_at, attempts, max_attempts, created_at) \
               VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6) ON CONFLICT DO NOTHING RETURNING id";
    let args = vec![
        job.kind.into(),
        job.payload.into(),
        Value::Text(job.dedupe_key.map(str::to_owned)),
        job.run_at.into(),
        job.max_attempts.into(),
        now.into(),
    ];
    match conn.fetch_optional(Sql::Borrowed(sql), args).await? {
        Some(row) => Ok(Some(row.int("id")?)),
        None => Ok(None),
    }
}

/// Claims the job due first (queued and due, or running with a lapsed lease) for `worker`
/// until `lease_until`, counting the attempt. `None` when nothing is due or another worker
/// took it first (PostgreSQL skips rows another transaction holds; both backends re-check
/// the row in the UPDATE, so two workers never hold one job).
pub async fn claim(
    conn: &mut dyn Conn,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<Job>, StoreError> {
    let sql = match conn.backend() {
        Backend::Sqlite => concat!(
            "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 ",
            "WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= $3) OR (state = 'running' AND locked_until < $3) ",
            "ORDER BY run_at, id LIMIT 1) ",
            "AND ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND locked_until < $3)) RETURNING ",
            columns!()
        ),
        Backend::Postgres => concat!(
            "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 ",
            "WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= $3) OR (state = 'running' AND locked_until < $3) ",
            "ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) ",
            "AND ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND locked_until < $3)) RETURNING ",
            columns!()
        ),
    };
    let args = vec![worker.into(), lease_until.into(), now.into()];
    conn.fetch_optional(Sql::Borrowed(sql), args).await?.as_ref().map(from_row).transpose()
}

/// Marks a job this worker holds as done; `locked_by` stays as the record of who ran it.
/// False when the lease was lost (another worker took the job over after it lapsed), in
/// which case nothing changes.
pub async fn finish(conn: &mut dyn Conn, id: Id, worker: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let sql = "UPDATE jobs SET state = 'done', finished_at = $3, locked_until = NULL, last_error = NULL \
               WHERE id = $1 AND locked_by = $2 AND state = 'running'";
    Ok(conn.execute(Sql::Borrowed(sql), vec![id.into(), worker.into(), now.into()]).await? > 0)
}

/// Records a failed attempt: the job is due again at `retry_at`, or dead when it has used
/// all its attempts (`retry_at` None). Only by the worker holding it.
pub async fn fail(
    conn: &mut dyn Conn,
    id: Id,
    worker: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let (sql, args) = match retry_at {
        Some(at) => (
            "UPDATE jobs SET state = 'queued', run_at = $4, last_error = $3, locked_by = NULL, locked_until = NULL \
             WHERE id = $1 AND locked_by = $2 AND state = 'running'",
            vec![id.into(), worker.into(), error.into(), at.into()],
        ),
        None => (
            "UPDATE jobs SET state = 'dead', finished_at = $4, last_error = $3, locked_by = NULL, locked_until = NULL \
             WHERE id = $1 AND locked_by = $2 AND state = 'running'",
            vec![id.into(), worker.into(), error.into(), now.into()],
        ),
    };
    Ok(conn.execute(Sql::Borrowed(sql), args).await? > 0)
}

/// Puts a dead job back in the queue, due now, with its attempts reset (an admin's retry).
pub async fn retry_dead(conn: &mut dyn Conn, id: Id, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let sql = "UPDATE jobs SET state = 'queued', run_at = $2, attempts = 0, finished_at = NULL WHERE id = $1 AND state = 'dead'";
    Ok(conn.execute(Sql::Borrowed(sql), vec![id.into(), now.into()]).await? > 0)
}

pub async fn get(conn: &mut dyn Conn, id: Id) -> Result<Option<Job>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM jobs WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

/// Jobs in a state (e.g. "dead" for the admins' list), newest first, at most `limit`.
pub async fn in_state(conn: &mut dyn Conn, state: &str, limit: i64) -> Result<Vec<Job>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM jobs WHERE state = $1 ORDER BY id DESC LIMIT $2");
    conn.fetch_all(Sql::Borrowed(sql), vec![state.into(), limit.into()]).await?.iter().map(from_row).collect()
}

/// Jobs of a kind, oldest first, at most `limit`.
pub async fn of_kind(conn: &mut dyn Conn, kind: &str, limit: i64) -> Result<Vec<Job>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM jobs WHERE kind = $1 ORDER BY id LIMIT $2");
    conn.fetch_all(Sql::Borrowed(sql), vec![kind.into(), limit.into()]).await?.iter().map(from_row).collect()
}
