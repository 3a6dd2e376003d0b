//! Two `alcance serve` processes on one database share the job queue: every job runs
//! exactly once, and each periodic job is queued once however many servers schedule it.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use alcance_store::repo::jobs::{self, NewJob};
use alcance_store::{Sql, Store};
use alcance_testkit::{TestBackend, TestDb, on_both_backends};

use crate::support::{Server, alcance, free_port, text};

on_both_backends!(each_job_runs_once_across_two_servers);

const JOBS: usize = 120;

async fn each_job_runs_once_across_two_servers(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let out = alcance(&db, &["migrate"], None);
    assert!(out.status.success(), "migrate: {}", text(&out.stderr));
    let store = Store::open(&db.config).await.unwrap();

    // Work waiting before the servers start: an idempotent job kind, many times over.
    let now = chrono::Utc::now();
    let mut queued = HashSet::new();
    for _ in 0..JOBS {
        let job = NewJob { kind: "hours.expire", payload: "{}", dedupe_key: None, run_at: now, max_attempts: 5 };
        let id = store.write(move |c| Box::pin(async move { jobs::enqueue(c, &job, now).await })).await.unwrap();
        queued.insert(id.unwrap());
    }

    let a = Server::start(&db, free_port()).await;
    let b = Server::start(&db, free_port()).await;
    let deadline = Instant::now() + Duration::from_secs(90);
    // (hours.expire is not among the periodic runs awaited: the jobs queued above count as
    // its earlier runs, so its next periodic run waits an hour.)
    let periodic = ["quotes.expire", "hours.expiring_notice", "sla.check", "mail.deliver"];
    let all = loop {
        let all = store.read(|c| Box::pin(async move { jobs::in_state(c, "done", 10_000).await })).await.unwrap();
        let queued_done = queued.iter().all(|id| all.iter().any(|j| j.id == *id));
        let periodic_done =
            periodic.iter().all(|kind| all.iter().any(|j| j.kind == *kind && j.dedupe_key.as_deref() == Some(*kind)));
        if queued_done && periodic_done {
            break all;
        }
        assert!(Instant::now() < deadline, "the servers did not run every job in time");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    let mut by_worker: BTreeMap<String, usize> = BTreeMap::new();
    for job in all.iter().filter(|j| queued.contains(&j.id)) {
        assert_eq!(job.attempts, 1, "job {} was claimed {} times", job.id, job.attempts);
        *by_worker.entry(job.locked_by.clone().unwrap_or_default()).or_default() += 1;
    }
    assert_eq!(by_worker.values().sum::<usize>(), JOBS);
    assert!(by_worker.len() <= 2, "only the two servers ran jobs: {by_worker:?}");
    eprintln!("{backend:?}: jobs per server {by_worker:?}");

    // Both servers scheduled the periodic jobs at start, yet each kind has one run at a time,
    // and every run so far was claimed once.
    let sql = "SELECT kind, COUNT(*) AS n, MAX(attempts) AS most FROM jobs WHERE dedupe_key IS NOT NULL AND state = 'done' GROUP BY kind";
    let rows =
        store.read(move |c| Box::pin(async move { c.fetch_all(Sql::Borrowed(sql), vec![]).await })).await.unwrap();
    let kinds: Vec<String> = rows.iter().map(|r| r.text("kind").unwrap()).collect();
    for expected in periodic {
        assert!(kinds.iter().any(|k| k == expected), "{expected} ran: {kinds:?}");
    }
    for row in rows {
        assert_eq!(row.int("most").unwrap(), 1, "a periodic {} run was claimed twice", row.text("kind").unwrap());
    }
    let unfinished_twice = "SELECT dedupe_key FROM jobs WHERE finished_at IS NULL AND dedupe_key IS NOT NULL GROUP BY dedupe_key HAVING COUNT(*) > 1";
    let twice = store
        .read(move |c| Box::pin(async move { c.fetch_all(Sql::Borrowed(unfinished_twice), vec![]).await }))
        .await
        .unwrap();
    assert!(twice.is_empty());
    drop((a, b));
    store.close().await;
}
