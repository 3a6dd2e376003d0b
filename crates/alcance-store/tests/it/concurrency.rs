//! Many writers at once: every change is committed exactly once with its own ticket number,
//! and a failing change never takes its neighbours (in the same group commit) with it.

use std::collections::BTreeSet;
use std::sync::Arc;

use alcance_domain::model::AssetKind;
use alcance_store::StoreError;
use alcance_store::repo::{assets, tickets};
use alcance_testkit::TestBackend;
use tokio::sync::Barrier;

use crate::common::{count, fixture, new_ticket, now, open, ticket_subjects};

const WRITERS: usize = 200;

async fn concurrent_writes_all_commit(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let (org, req, now) = (f.org.id, f.requester.id, now());
    let start = Arc::new(Barrier::new(WRITERS));
    let mut handles = Vec::with_capacity(WRITERS);
    for i in 0..WRITERS {
        let (store, start) = (store.clone(), start.clone());
        handles.push(tokio::spawn(async move {
            start.wait().await;
            let subject = format!("load {i:03}");
            store
                .write(move |c| {
                    Box::pin(async move {
                        Ok::<_, StoreError>(tickets::insert(c, new_ticket(org, req, &subject), now).await?.number)
                    })
                })
                .await
        }));
    }
    let mut numbers = BTreeSet::new();
    for (i, handle) in handles.into_iter().enumerate() {
        let number = handle.await.expect("task").unwrap_or_else(|e| panic!("write {i} failed: {e}"));
        assert!(numbers.insert(number), "ticket number {number} given twice");
    }
    assert_eq!(numbers.len(), WRITERS);
    assert_eq!(
        numbers.into_iter().collect::<Vec<_>>(),
        (1001..=1200).collect::<Vec<i64>>(),
        "no gaps without failures"
    );
    assert_eq!(count(&store, "tickets").await, 200);
    let expected: Vec<String> = (0..WRITERS).map(|i| format!("load {i:03}")).collect();
    assert_eq!(ticket_subjects(&store).await, expected, "each change is committed exactly once");
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
}

#[derive(Debug)]
enum Outcome {
    Store(StoreError),
    Deliberate,
}

impl From<StoreError> for Outcome {
    fn from(e: StoreError) -> Self {
        Outcome::Store(e)
    }
}

/// What change `i` does: commit, give up after writing, or hit a database error after writing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Plan {
    Commit,
    GiveUp,
    DatabaseError,
}

fn plan(i: usize) -> Plan {
    if i.is_multiple_of(5) {
        Plan::GiveUp
    } else if i % 7 == 3 {
        Plan::DatabaseError
    } else {
        Plan::Commit
    }
}

async fn failures_in_a_concurrent_batch_are_isolated(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let (org, req, now) = (f.org.id, f.requester.id, now());
    let start = Arc::new(Barrier::new(WRITERS));
    let mut handles = Vec::with_capacity(WRITERS);
    for i in 0..WRITERS {
        let (store, start) = (store.clone(), start.clone());
        handles.push(tokio::spawn(async move {
            start.wait().await;
            let subject = format!("{:?} {i:03}", plan(i));
            store
                .write(move |c| {
                    Box::pin(async move {
                        let t = tickets::insert(c, new_ticket(org, req, &subject), now).await?;
                        match plan(i) {
                            Plan::Commit => Ok(t.number),
                            Plan::GiveUp => Err(Outcome::Deliberate),
                            Plan::DatabaseError => {
                                // An asset of an organisation that does not exist.
                                assets::insert(c, 999_999, AssetKind::Server, "x", None, "", now).await?;
                                Ok(t.number)
                            }
                        }
                    })
                })
                .await
        }));
    }
    let mut numbers = BTreeSet::new();
    let mut committed = Vec::new();
    for (i, handle) in handles.into_iter().enumerate() {
        let result = handle.await.expect("task");
        match (plan(i), result) {
            (Plan::Commit, Ok(number)) => {
                assert!(numbers.insert(number), "ticket number {number} given twice");
                committed.push(format!("Commit {i:03}"));
            }
            (Plan::GiveUp, Err(Outcome::Deliberate)) => {}
            (Plan::DatabaseError, Err(Outcome::Store(StoreError::Constraint(_)))) => {}
            (plan, result) => panic!("change {i} ({plan:?}) answered {result:?}"),
        }
    }
    assert!(committed.len() > WRITERS / 2 && committed.len() < WRITERS);
    assert_eq!(count(&store, "tickets").await, i64::try_from(committed.len()).unwrap());
    assert_eq!(ticket_subjects(&store).await, committed, "exactly the successful changes are kept");
    assert_eq!(count(&store, "assets").await, 0);
    let stored_numbers: BTreeSet<i64> = {
        let all = store
            .read(|c| {
                Box::pin(
                    async move { tickets::list(c, &tickets::TicketFilter { limit: 1000, ..Default::default() }).await },
                )
            })
            .await
            .unwrap();
        all.iter().map(|t| t.number).collect()
    };
    assert_eq!(stored_numbers, numbers, "each caller was told the number that was stored");
    assert_eq!(store.integrity_check().await.unwrap(), "ok");

    // The store keeps writing afterwards.
    let after = store
        .write(move |c| Box::pin(async move { tickets::insert(c, new_ticket(org, req, "after"), now).await }))
        .await
        .unwrap();
    assert!(!numbers.contains(&after.number));
}

alcance_testkit::on_both_backends!(concurrent_writes_all_commit, failures_in_a_concurrent_batch_are_isolated);
