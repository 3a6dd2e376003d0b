//! A write is all or nothing; the ticket history cannot be edited.

use alcance_domain::Role;
use alcance_domain::model::EventKind;
use alcance_store::repo::events::{self, NewEvent};
use alcance_store::repo::{comments, organizations, tickets, users};
use alcance_store::{Sql, StoreError};
use alcance_testkit::TestBackend;

use crate::common::{count, fixture, insert_ticket, new_ticket, new_user, now, open};

/// An error of the caller's own, as the services have (`AppError`).
#[derive(Debug)]
enum Refused {
    Store(StoreError),
    Deliberate,
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Self {
        Refused::Store(e)
    }
}

async fn failed_write_leaves_nothing_behind(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let now = now();

    // Several inserts, then the closure gives up.
    let result = store
        .write(move |c| {
            Box::pin(async move {
                let org = organizations::insert(c, "ghost", "Ghost", "UTC", now).await?;
                let user = users::insert(c, new_user("ghost@ghost.test", Role::Requester, Some(org.id)), now).await?;
                tickets::insert(c, new_ticket(org.id, user.id, "never"), now).await?;
                Err::<(), _>(Refused::Deliberate)
            })
        })
        .await;
    assert!(matches!(result, Err(Refused::Deliberate)), "the closure's error comes back: {result:?}");
    for table in ["organizations", "users", "tickets"] {
        assert_eq!(count(&store, table).await, 0, "`{table}` after a failed write");
    }

    // A statement that fails after one that succeeded: the first is undone too.
    let result = store
        .write(move |c| {
            Box::pin(async move {
                organizations::insert(c, "first", "First", "UTC", now).await?;
                organizations::insert(c, "dup", "Dup", "UTC", now).await?;
                organizations::insert(c, "dup", "Dup again", "UTC", now).await?;
                Ok::<_, StoreError>(())
            })
        })
        .await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    assert_eq!(count(&store, "organizations").await, 0, "nothing of the failed write is kept");

    // The names the failed writes used are free again, and later writes commit.
    let f = store
        .write(move |c| {
            Box::pin(async move {
                let org = organizations::insert(c, "ghost", "Ghost", "UTC", now).await?;
                organizations::insert(c, "dup", "Dup", "UTC", now).await?;
                users::insert(c, new_user("ghost@ghost.test", Role::Requester, Some(org.id)), now).await?;
                Ok::<_, Refused>(org)
            })
        })
        .await
        .unwrap();
    assert_eq!(f.slug, "ghost");
    let dup = store
        .write(move |c| {
            Box::pin(async move { Ok::<_, Refused>(organizations::insert(c, "ghost", "Ghost", "UTC", now).await?) })
        })
        .await;
    assert!(matches!(dup, Err(Refused::Store(StoreError::Conflict(_)))), "{dup:?}");
    assert_eq!(count(&store, "organizations").await, 2);
    assert_eq!(count(&store, "users").await, 1);
}

/// A closure may try a statement, handle its failure and go on (e.g. "insert unless it
/// exists"). Whatever else it wrote must then be committed, or the write must fail: it may
/// never report success for changes that were thrown away.
async fn handled_statement_error_does_not_lose_the_write(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let now = now();
    store
        .write(move |c| Box::pin(async move { organizations::insert(c, "taken", "Taken", "UTC", now).await }))
        .await
        .unwrap();

    let result = store
        .write(move |c| {
            Box::pin(async move {
                organizations::insert(c, "kept", "Kept", "UTC", now).await?;
                let dup = organizations::insert(c, "taken", "Taken", "UTC", now).await;
                assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
                Ok::<_, StoreError>(())
            })
        })
        .await;
    let kept = store.read(move |c| Box::pin(async move { organizations::by_slug(c, "kept").await })).await.unwrap();
    match result {
        Ok(()) => {
            assert!(kept.is_some(), "store.write returned Ok, yet the organisation it inserted was not committed")
        }
        Err(err) => assert!(kept.is_none(), "store.write failed ({err:?}) yet committed part of the change"),
    }
}

/// A bug that panics inside one write must not take every later write down with it.
async fn panicking_write_does_not_stop_later_writes(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let now = now();
    let crashing = store.clone();
    let crashed = tokio::spawn(async move {
        crashing
            .write(move |c| {
                Box::pin(async move {
                    let org = organizations::insert(c, "half", "Half", "UTC", now).await?;
                    if org.id > 0 {
                        panic!("a bug in a service");
                    }
                    Ok::<_, StoreError>(())
                })
            })
            .await
    })
    .await;
    // Whether the panic reaches the caller or becomes an error, the change is not kept.
    assert!(!matches!(crashed, Ok(Ok(()))), "{crashed:?}");
    assert_eq!(count(&store, "organizations").await, 0);

    let later = store
        .write(move |c| Box::pin(async move { organizations::insert(c, "later", "Later", "UTC", now).await }))
        .await;
    assert!(later.is_ok(), "a write after a panicking one: {later:?}");
    assert_eq!(count(&store, "organizations").await, 1);
}

async fn ticket_events_are_append_only(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let ticket = insert_ticket(&store, &f, "history").await;
    let (tid, actor, now) = (ticket.id, f.agent.id, now());
    store
        .write(move |c| {
            Box::pin(async move {
                let event = |kind, internal, before: Option<&str>, after: Option<&str>| NewEvent {
                    ticket_id: tid,
                    actor_id: Some(actor),
                    kind,
                    internal,
                    before: before.map(str::to_owned),
                    after: after.map(str::to_owned),
                    reason: None,
                };
                events::append(
                    c,
                    NewEvent { actor_id: None, ..event(EventKind::Created, false, None, Some("{\"status\":\"new\"}")) },
                    now,
                )
                .await?;
                events::append(
                    c,
                    NewEvent {
                        reason: Some("triage".into()),
                        ..event(EventKind::StatusChanged, false, Some("\"new\""), Some("\"open\""))
                    },
                    now,
                )
                .await?;
                events::append(c, event(EventKind::NoteAdded, true, None, None), now).await?;
                comments::insert(c, tid, actor, "internal note", true, now).await?;
                comments::insert(c, tid, actor, "public reply", false, now).await?;
                Ok::<_, StoreError>(())
            })
        })
        .await
        .unwrap();
    let history = || {
        let store = store.clone();
        async move { store.read(move |c| Box::pin(async move { events::for_ticket(c, tid, true).await })).await.unwrap() }
    };
    let before = history().await;
    assert_eq!(
        before.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![EventKind::Created, EventKind::StatusChanged, EventKind::NoteAdded]
    );
    assert_eq!((before[0].actor_id, before[0].after.as_deref()), (None, Some("{\"status\":\"new\"}")));
    assert_eq!(
        (
            before[1].actor_id,
            before[1].before.as_deref(),
            before[1].after.as_deref(),
            before[1].reason.as_deref(),
            before[1].created_at
        ),
        (Some(actor), Some("\"new\""), Some("\"open\""), Some("triage"), now)
    );
    let public = store.read(move |c| Box::pin(async move { events::for_ticket(c, tid, false).await })).await.unwrap();
    assert_eq!(public, before[..2].to_vec(), "internal events are hidden on request");
    let (all_comments, public_comments) = store
        .read(move |c| {
            Box::pin(async move {
                Ok::<_, StoreError>((
                    comments::for_ticket(c, tid, true).await?,
                    comments::for_ticket(c, tid, false).await?,
                ))
            })
        })
        .await
        .unwrap();
    assert_eq!(all_comments.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), vec!["internal note", "public reply"]);
    assert_eq!(public_comments, all_comments[1..].to_vec());

    let attempts: [&'static str; 4] = [
        "UPDATE ticket_events SET reason = 'rewritten'",
        "UPDATE ticket_events SET kind = 'replied' WHERE kind = 'created'",
        "DELETE FROM ticket_events",
        "DELETE FROM ticket_events WHERE kind = 'note_added'",
    ];
    for sql in attempts {
        let result =
            store.write(move |c| Box::pin(async move { c.execute(Sql::Borrowed(sql), Vec::new()).await })).await;
        let err = result.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "`{sql}` failed for another reason: {err}");
        assert_eq!(history().await, before, "`{sql}` changed the history");
    }

    // Appending still works.
    store
        .write(move |c| {
            Box::pin(async move {
                let e = NewEvent {
                    ticket_id: tid,
                    actor_id: None,
                    kind: EventKind::Replied,
                    internal: false,
                    before: None,
                    after: None,
                    reason: None,
                };
                events::append(c, e, now).await
            })
        })
        .await
        .unwrap();
    assert_eq!(history().await.len(), 4);
    assert_eq!(count(&store, "ticket_events").await, 4);
}

alcance_testkit::on_both_backends!(
    failed_write_leaves_nothing_behind,
    handled_statement_error_does_not_lose_the_write,
    panicking_write_does_not_stop_later_writes,
    ticket_events_are_append_only
);
