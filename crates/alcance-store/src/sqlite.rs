//! SQLite backend: one writer connection fed by a queue, plus a pool of readers.
//!
//! Every commit is made durable (WAL, synchronous=FULL), and a disk manages only a few hundred
//! fsyncs a second. So the writer takes every change waiting in its queue, runs each inside
//! its own savepoint, and commits them together: one fsync acknowledges the whole batch
//! (group commit). A change that fails rolls back to its savepoint without touching the
//! others; nobody is answered before the commit that holds their change.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::Connection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use tokio::sync::mpsc;

use crate::StoreError;
use crate::conn::{Backend, Conn, Sql};
use crate::value::Cell;

/// How many queued changes one commit may carry.
const MAX_BATCH: usize = 256;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct SqliteConn<C> {
    conn: C,
}

/// Called once the batch holding a change is committed (or failed to commit).
pub(crate) type Finisher = Box<dyn FnOnce(Option<StoreError>) + Send>;
/// A queued change: runs on the writer connection and says whether it succeeded.
pub(crate) type Job = Box<dyn for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, (bool, Finisher)> + Send>;

pub(crate) struct SqliteBackend {
    jobs: mpsc::Sender<Job>,
    readers: SqlitePool,
}

fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true)
        .pragma("temp_store", "memory")
        // Reads come from the OS page cache through a memory map rather than one pread per
        // page: a page that scans a large backlog (the unclassified queue) spent most of its
        // time in those system calls.
        .pragma("mmap_size", "268435456")
}

impl SqliteBackend {
    pub(crate) async fn open(path: &Path) -> Result<Self, StoreError> {
        let opts = options(path);
        let writer = SqliteConnection::connect_with(&opts).await.map_err(|e| unavailable(path, e))?;
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .connect_with(opts.clone().pragma("query_only", "true"))
            .await
            .map_err(|e| unavailable(path, e))?;
        let (jobs, queue) = mpsc::channel(4096);
        tokio::spawn(run_writer(SqliteConn { conn: Box::new(writer) }, queue));
        Ok(Self { jobs, readers })
    }

    pub(crate) async fn submit(&self, job: Job) -> Result<(), StoreError> {
        self.jobs.send(job).await.map_err(|_| StoreError::WriterGone)
    }

    pub(crate) async fn read<T: Send + 'static>(
        &self,
        f: impl for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, T>,
    ) -> Result<T, StoreError> {
        let conn = self.readers.acquire().await?;
        let mut conn = SqliteConn { conn };
        Ok(f(&mut conn).await)
    }

    pub(crate) async fn close(&self) {
        self.readers.close().await;
    }
}

fn unavailable(path: &Path, err: sqlx::Error) -> StoreError {
    StoreError::Unavailable(format!("cannot open SQLite database {}: {err}", path.display()))
}

async fn run_writer(mut writer: SqliteConn<Box<SqliteConnection>>, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        commit_batch(&mut writer, std::mem::take(&mut batch)).await;
    }
}

async fn commit_batch(writer: &mut SqliteConn<Box<SqliteConnection>>, batch: Vec<Job>) {
    if let Err(err) = writer.execute(Sql::Borrowed("BEGIN IMMEDIATE"), Vec::new()).await {
        let message = err.to_string();
        for job in batch {
            // The change never ran: run it on nothing and fail it with the error.
            fail_unstarted(job, &message);
        }
        return;
    }
    let mut finishers = Vec::with_capacity(batch.len());
    for job in batch {
        let savepoint = writer.execute(Sql::Borrowed("SAVEPOINT change"), Vec::new()).await;
        if let Err(err) = savepoint {
            fail_unstarted(job, &err.to_string());
            continue;
        }
        // A panicking change must not take the writer (and every later write) down with it:
        // its savepoint is rolled back and its caller sees the write fail.
        let outcome = AssertUnwindSafe(job(writer)).catch_unwind().await;
        let ok = matches!(outcome, Ok((true, _)));
        let end = if ok { "RELEASE change" } else { "ROLLBACK TO change; RELEASE change" };
        if let Err(err) = sqlx::raw_sql(end).execute(&mut *writer.conn).await {
            tracing::error!(%err, "savepoint end failed");
        }
        match outcome {
            Ok((_, finisher)) => finishers.push(finisher),
            Err(_) => tracing::error!("a change panicked; it was rolled back"),
        }
    }
    let commit = writer.execute(Sql::Borrowed("COMMIT"), Vec::new()).await;
    let commit_error = match commit {
        Ok(_) => None,
        Err(err) => {
            tracing::error!(%err, "commit failed; rolling back the batch");
            let _ = writer.execute(Sql::Borrowed("ROLLBACK"), Vec::new()).await;
            Some(err.to_string())
        }
    };
    for finish in finishers {
        finish(commit_error.clone().map(StoreError::Unavailable));
    }
}

/// Answers a queued change that could not be started, without running it.
fn fail_unstarted(job: Job, message: &str) {
    // Dropping the job drops its reply channel; the caller sees the writer as gone.
    drop(job);
    tracing::error!(message, "could not start a write transaction");
}

/// SQLite reports each value's storage class; booleans are stored as integers.
fn decode(row: &SqliteRow, i: usize, type_name: &str) -> Result<Cell, StoreError> {
    use sqlx::Row as _;
    Ok(match type_name {
        "INTEGER" | "BOOLEAN" => Cell::Int(row.try_get::<i64, _>(i)?),
        "TEXT" => Cell::Text(row.try_get::<String, _>(i)?),
        "BLOB" => Cell::Bytes(row.try_get::<Vec<u8>, _>(i)?),
        other => return Err(StoreError::Decode(format!("unexpected SQLite type {other}"))),
    })
}

crate::sqlx_conn::sqlx_conn!(SqliteConn, sqlx::Sqlite, SqliteConnection, Backend::Sqlite, decode);
