//! Durable jobs: deduplicated enqueueing, exclusive claims under concurrency, leases that
//! lapse, retries and the dead list.

use std::collections::HashSet;

use alcance_store::Store;
use alcance_store::repo::jobs::{self, NewJob};
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::{DateTime, Duration, Utc};

use crate::common::{now, open};

on_both_backends!(
    a_dedupe_key_allows_one_unfinished_job,
    each_job_is_claimed_once_by_concurrent_workers,
    a_lapsed_lease_makes_the_job_due_again,
    failures_retry_then_die_and_an_admin_can_retry,
);

fn job<'a>(kind: &'a str, dedupe_key: Option<&'a str>, run_at: DateTime<Utc>) -> NewJob<'a> {
    NewJob { kind, payload: "{}", dedupe_key, run_at, max_attempts: 3 }
}

async fn enqueue(store: &Store, kind: &'static str, key: Option<&'static str>, run_at: DateTime<Utc>) -> Option<i64> {
    store
        .write(move |c| Box::pin(async move { jobs::enqueue(c, &job(kind, key, run_at), run_at).await }))
        .await
        .unwrap()
}

async fn claim(store: &Store, worker: &'static str, at: DateTime<Utc>) -> Option<jobs::Job> {
    store
        .write(move |c| Box::pin(async move { jobs::claim(c, worker, at, at + Duration::minutes(10)).await }))
        .await
        .unwrap()
}

async fn a_dedupe_key_allows_one_unfinished_job(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let t = now();
    let first = enqueue(&store, "retrain", Some("retrain"), t).await;
    assert!(first.is_some());
    assert_eq!(enqueue(&store, "retrain", Some("retrain"), t).await, None, "one is already waiting");
    assert!(enqueue(&store, "mail", None, t).await.is_some(), "no key, no limit");
    assert!(enqueue(&store, "mail", None, t).await.is_some());

    // Once it is done, a new one may be queued.
    let claimed = claim(&store, "w1", t).await.unwrap();
    assert_eq!(Some(claimed.id), first);
    assert_eq!(enqueue(&store, "retrain", Some("retrain"), t).await, None, "running counts as unfinished");
    let id = claimed.id;
    assert!(store.write(move |c| Box::pin(async move { jobs::finish(c, id, "w1", t).await })).await.unwrap());
    assert!(enqueue(&store, "retrain", Some("retrain"), t).await.is_some());
}

async fn each_job_is_claimed_once_by_concurrent_workers(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let t = now();
    let mut ids = HashSet::new();
    for _ in 0..40 {
        ids.insert(enqueue(&store, "work", None, t).await.unwrap());
    }
    // A job not yet due is never claimed.
    let future = enqueue(&store, "work", None, t + Duration::hours(1)).await.unwrap();

    let mut workers = Vec::new();
    for w in 0..8 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let name: &'static str = ["w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"][w];
            let mut mine = Vec::new();
            // A worker stops after a few empty claims: others may still hold rows it skipped.
            let mut empty = 0;
            while empty < 3 {
                match claim(&store, name, t).await {
                    Some(job) => {
                        assert_eq!(job.attempts, 1);
                        assert_eq!(job.locked_by.as_deref(), Some(name));
                        mine.push(job.id);
                        empty = 0;
                    }
                    None => empty += 1,
                }
            }
            mine
        }));
    }
    let mut claimed = Vec::new();
    for w in workers {
        claimed.extend(w.await.unwrap());
    }
    let unique: HashSet<i64> = claimed.iter().copied().collect();
    assert_eq!(unique.len(), claimed.len(), "no job was claimed twice");
    assert_eq!(unique, ids, "every due job was claimed");
    assert!(!unique.contains(&future));
}

async fn a_lapsed_lease_makes_the_job_due_again(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let t = now();
    let id = enqueue(&store, "work", None, t).await.unwrap();
    assert_eq!(claim(&store, "crashed", t).await.unwrap().id, id);
    assert!(claim(&store, "other", t + Duration::minutes(5)).await.is_none(), "the lease holds");

    // The first worker died; after the lease another takes it over, and the attempt counts.
    let later = t + Duration::minutes(11);
    let taken = claim(&store, "other", later).await.unwrap();
    assert_eq!((taken.id, taken.attempts, taken.locked_by.as_deref()), (id, 2, Some("other")));
    // The first worker, back from the dead, cannot finish what is no longer its own.
    assert!(!store.write(move |c| Box::pin(async move { jobs::finish(c, id, "crashed", later).await })).await.unwrap());
    assert!(store.write(move |c| Box::pin(async move { jobs::finish(c, id, "other", later).await })).await.unwrap());
    let done = store.read(move |c| Box::pin(async move { jobs::get(c, id).await })).await.unwrap().unwrap();
    assert_eq!(done.state, "done");
    assert_eq!(done.finished_at, Some(later));
    assert!(claim(&store, "other", later + Duration::hours(1)).await.is_none(), "a done job is never run again");
}

async fn failures_retry_then_die_and_an_admin_can_retry(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let t = now();
    let id = enqueue(&store, "work", None, t).await.unwrap();
    let mut at = t;
    for attempt in 1..=3 {
        let job = claim(&store, "w", at).await.unwrap();
        assert_eq!(job.attempts, attempt);
        let retry_at = (attempt < job.max_attempts).then(|| at + Duration::seconds(30));
        let error = format!("boom {attempt}");
        assert!(
            store
                .write(move |c| Box::pin(async move { jobs::fail(c, id, "w", &error, retry_at, at).await }))
                .await
                .unwrap()
        );
        assert!(claim(&store, "w", at).await.is_none(), "not before its retry time");
        at += Duration::seconds(31);
    }
    let dead = store.read(|c| Box::pin(async move { jobs::in_state(c, "dead", 10).await })).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].last_error.as_deref(), Some("boom 3"));
    assert!(claim(&store, "w", at + Duration::days(1)).await.is_none(), "a dead job waits for an admin");

    assert!(store.write(move |c| Box::pin(async move { jobs::retry_dead(c, id, at).await })).await.unwrap());
    let again = claim(&store, "w", at).await.unwrap();
    assert_eq!((again.id, again.attempts), (id, 1));
}
