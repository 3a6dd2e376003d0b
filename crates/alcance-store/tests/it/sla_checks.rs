//! What the periodic SLA check reads and writes (`repo::sla`): rows due for a check walked
//! in order, stale rows found, rechecks asked for, and a use case never postponing a pending
//! check; contracts' working hours; intake's lease on an inbound message and what an
//! interrupted intake already did.

use alcance_domain::model::{Contract, Id};
use alcance_domain::ticket::Status;
use alcance_store::repo::inbound::{self, NewInbound, PROCESSING};
use alcance_store::repo::sla::{self, SlaRow};
use alcance_store::repo::{attachments, comments, contracts, organizations, policies, tickets};
use alcance_store::{Store, StoreError};
use alcance_testkit::TestBackend;
use chrono::{DateTime, Duration, Utc};

use crate::common::{fixture, insert_ticket, now, open};

alcance_testkit::on_both_backends!(
    rows_due_are_walked_in_order_and_rechecks_are_never_postponed,
    stale_rows_are_those_changed_since_computed_or_missing,
    contracts_keep_their_working_hours,
    a_processing_message_is_taken_over_only_after_its_lease
);

fn row(ticket_id: Id, computed_at: DateTime<Utc>, check_at: Option<DateTime<Utc>>) -> SlaRow {
    SlaRow {
        ticket_id,
        first_response_due: Some(computed_at + Duration::hours(8)),
        update_due: None,
        resolution_due: Some(computed_at + Duration::days(5)),
        urgent_at: Some(computed_at + Duration::hours(8)),
        state: "ok".into(),
        computed_at,
        check_at,
    }
}

async fn check_at(store: &Store, ticket_id: Id) -> Option<DateTime<Utc>> {
    let row = store.read(move |c| Box::pin(async move { sla::by_ticket(c, ticket_id).await })).await.unwrap();
    row.unwrap().check_at
}

async fn upsert(store: &Store, r: SlaRow, from_check: bool) {
    store
        .write(move |c| {
            Box::pin(
                async move { if from_check { sla::upsert_if_newer(c, &r).await } else { sla::upsert(c, &r).await } },
            )
        })
        .await
        .unwrap();
}

async fn rows_due_are_walked_in_order_and_rechecks_are_never_postponed(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let now = now();
    let mut ids = Vec::new();
    for subject in ["a", "b", "c", "d", "e"] {
        ids.push(insert_ticket(&store, &f, subject).await.id);
    }
    let (min, hour) = (Duration::minutes(1), Duration::hours(1));
    upsert(&store, row(ids[0], now, Some(now - min * 2)), false).await;
    upsert(&store, row(ids[1], now, Some(now - min)), false).await;
    upsert(&store, row(ids[2], now, Some(now + hour)), false).await;
    upsert(&store, row(ids[3], now, None), false).await;
    upsert(&store, row(ids[4], now, Some(now - min)), false).await;

    let due = |after, limit| {
        let store = store.clone();
        async move {
            store.read(move |c| Box::pin(async move { sla::due_for_check(c, now, after, limit).await })).await.unwrap()
        }
    };
    let all = due(None, 10).await;
    assert_eq!(
        all,
        vec![(now - min * 2, ids[0]), (now - min, ids[1]), (now - min, ids[4])],
        "due ones, by instant then id"
    );
    let first = due(None, 2).await;
    assert_eq!(first, all[..2]);
    assert_eq!(due(first.last().copied(), 2).await, all[2..], "the cursor goes on past ties");
    assert!(due(all.last().copied(), 2).await.is_empty());

    // A use case's row never postpones a pending check; it may bring one forward or add one.
    upsert(&store, row(ids[2], now, Some(now + hour * 2)), false).await;
    assert_eq!(check_at(&store, ids[2]).await, Some(now + hour));
    upsert(&store, row(ids[2], now, None), false).await;
    assert_eq!(check_at(&store, ids[2]).await, Some(now + hour));
    upsert(&store, row(ids[2], now, Some(now + min * 10)), false).await;
    assert_eq!(check_at(&store, ids[2]).await, Some(now + min * 10));
    upsert(&store, row(ids[3], now, Some(now + hour)), false).await;
    assert_eq!(check_at(&store, ids[3]).await, Some(now + hour));
    // The check's row replaces it, unless a use case computed a newer one meanwhile.
    upsert(&store, row(ids[2], now + min, Some(now + hour * 3)), true).await;
    assert_eq!(check_at(&store, ids[2]).await, Some(now + hour * 3));
    upsert(&store, row(ids[2], now, None), true).await;
    assert_eq!(check_at(&store, ids[2]).await, Some(now + hour * 3), "an older computation is ignored");

    // A calendar change asks for a check of the organisation's open tickets by `at`.
    let closing = ids[3];
    let other = store
        .write(move |c| {
            Box::pin(async move {
                let org = organizations::insert(c, "otra", "Otra", "America/Bogota", now).await?;
                let t = tickets::insert(c, crate::common::new_ticket(org.id, f.requester.id, "otra"), now).await?;
                sla::upsert(c, &row(t.id, now, None)).await?;
                let mut closed = tickets::by_id(c, closing).await?.unwrap();
                closed.status = Status::Closed;
                tickets::update(c, &closed).await?;
                Ok::<_, StoreError>(t.id)
            })
        })
        .await
        .unwrap();
    // Each row becomes due from when it was computed, so the next check takes it whatever
    // its clock says.
    let changed = store.write(move |c| Box::pin(async move { sla::recheck(c, Some(f.org.id)).await })).await;
    assert_eq!(changed.unwrap(), 1, "only the open ticket whose check was later than its computation");
    assert_eq!(check_at(&store, ids[0]).await, Some(now - min * 2), "an earlier check is kept");
    assert_eq!(check_at(&store, ids[2]).await, Some(now + min), "computed by the check at now + 1 min");
    assert_eq!(check_at(&store, ids[3]).await, Some(now + hour), "closed: left alone");
    assert_eq!(check_at(&store, other).await, None, "another organisation: left alone");
    store.write(move |c| Box::pin(async move { sla::recheck(c, None).await })).await.unwrap();
    assert_eq!(check_at(&store, other).await, Some(now), "a closure of every contract reaches everyone");
}

async fn stale_rows_are_those_changed_since_computed_or_missing(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let fresh = insert_ticket(&store, &f, "fresh").await;
    let missing = insert_ticket(&store, &f, "missing").await;
    let changed = insert_ticket(&store, &f, "changed").await;
    let closed = insert_ticket(&store, &f, "closed").await;
    let t0 = fresh.updated_at;
    let later = t0 + Duration::seconds(30);
    store
        .write(move |c| {
            Box::pin(async move {
                sla::upsert(c, &row(fresh.id, t0, None)).await?;
                sla::upsert(c, &row(changed.id, t0, None)).await?;
                // A quote or the client's decision changed it without recomputing the clock.
                tickets::touch(c, changed.id, later).await?;
                let mut t = tickets::by_id(c, closed.id).await?.unwrap();
                t.status = Status::Closed;
                tickets::update(c, &t).await?;
                Ok::<_, StoreError>(())
            })
        })
        .await
        .unwrap();
    let stale = |since, after, limit| {
        let store = store.clone();
        async move {
            let found =
                store.read(move |c| Box::pin(async move { sla::stale(c, since, after, limit).await })).await.unwrap();
            found.into_iter().map(|((at, number), id)| (at, number, id)).collect::<Vec<_>>()
        }
    };
    let ids = |found: &[(DateTime<Utc>, i64, Id)]| found.iter().map(|f| f.2).collect::<Vec<_>>();
    let all = stale(None, None, 10).await;
    assert_eq!(ids(&all), vec![missing.id, changed.id], "every ticket: missing and outdated rows, by last change");
    assert_eq!(ids(&stale(None, None, 1).await), vec![missing.id]);
    let cursor = Some((all[0].0, all[0].1));
    assert_eq!(ids(&stale(None, cursor, 1).await), vec![changed.id], "after a cursor");
    assert_eq!(ids(&stale(Some(later), None, 10).await), vec![changed.id], "only those changed since");
    assert!(stale(Some(later + Duration::seconds(1)), None, 10).await.is_empty());
}

fn contract(organization_id: Id, policy_id: Id) -> Contract {
    Contract {
        id: 0,
        organization_id,
        policy_id,
        name: "Soporte".into(),
        starts_on: "2026-01-01".into(),
        ends_on: None,
        hourly_rate_minor: 150_000,
        currency: "COP".into(),
        tax_rate_basis_points: 1900,
        allow_overdraft: false,
        time_zone: "America/Bogota".into(),
        active: true,
        created_at: now(),
    }
}

async fn contracts_keep_their_working_hours(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let now = now();
    let listed = store
        .write(move |c| {
            Box::pin(async move {
                let policy = policies::insert(c, "standard", 1, "x", "sha", now).await?;
                let plain = contracts::insert(c, &contract(f.org.id, policy.id), now).await?;
                let saturday = contracts::insert(c, &contract(f.org.id, policy.id), now).await?;
                let text = "lun-vie 08:00-18:00; sáb 08:00-12:00";
                assert!(contracts::set_working_hours(c, saturday.id, Some(text)).await?);
                assert!(!contracts::set_working_hours(c, 999_999, Some(text)).await?, "no such contract");
                let with = contracts::working_hours(c).await?;
                assert!(contracts::set_working_hours(c, saturday.id, None).await?);
                let without = contracts::working_hours(c).await?;
                Ok::<_, StoreError>((plain.id, saturday.id, with, without))
            })
        })
        .await
        .unwrap();
    let (plain, saturday, with, without) = listed;
    assert_eq!(with, vec![(saturday, "lun-vie 08:00-18:00; sáb 08:00-12:00".to_owned())]);
    assert!(!with.iter().any(|(id, _)| *id == plain), "no hours of its own: the default week");
    assert!(without.is_empty(), "cleared: back to the default week");
}

async fn a_processing_message_is_taken_over_only_after_its_lease(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let now = now();
    let received = now - Duration::minutes(30);
    let (id, ticket) = store
        .write(move |c| {
            Box::pin(async move {
                let new = NewInbound {
                    from_address: "req@acme.test",
                    subject: "No carga",
                    message_id: "<m1@acme.test>",
                    outcome: PROCESSING,
                    reason: None,
                    text_body: "No carga.",
                    raw: b"raw",
                };
                let id = inbound::insert(c, &new, received).await?.unwrap();
                let mut ticket = crate::common::new_ticket(f.org.id, f.requester.id, "No carga");
                ticket.channel = alcance_domain::ticket::Channel::Email;
                let ticket = tickets::insert(c, ticket, received + Duration::seconds(1)).await?;
                Ok::<_, StoreError>((id, ticket))
            })
        })
        .await
        .unwrap();
    let take = |stale_before: DateTime<Utc>| {
        let store = store.clone();
        async move {
            store.write(move |c| Box::pin(async move { inbound::take_over(c, id, stale_before, now).await })).await
        }
    };
    assert!(!take(received).await.unwrap(), "its attempt is not older than the lease");
    assert!(take(now - Duration::minutes(5)).await.unwrap(), "an attempt 30 minutes old is taken over");
    assert!(!take(now - Duration::minutes(5)).await.unwrap(), "and now holds a fresh lease");
    store
        .write(move |c| Box::pin(async move { inbound::set_outcome(c, id, "new_ticket", Some(ticket.id), None).await }))
        .await
        .unwrap();
    assert!(!take(now + Duration::hours(1)).await.unwrap(), "a finished message is never taken over");

    // What the interrupted attempt already did.
    let (opened, earlier, other_text, replied, other, files) = store
        .write(move |c| {
            Box::pin(async move {
                comments::insert(c, ticket.id, f.requester.id, "Sigue igual.", false, now).await?;
                let file = attachments::NewAttachment {
                    ticket_id: ticket.id,
                    uploader_id: f.requester.id,
                    internal: false,
                    file_name: "captura.png",
                    content_type: "image/png",
                    sha256: "00",
                    content: vec![1, 2, 3],
                };
                attachments::insert(c, file, now).await?;
                Ok::<_, StoreError>((
                    inbound::ticket_opened_since(c, f.requester.id, ("No carga", "body"), received).await?,
                    inbound::ticket_opened_since(c, f.requester.id, ("No carga", "body"), now).await?,
                    inbound::ticket_opened_since(c, f.requester.id, ("No carga", "otro texto"), received).await?,
                    inbound::reply_added_since(c, ticket.id, f.requester.id, "Sigue igual.", received).await?,
                    inbound::reply_added_since(c, ticket.id, f.agent.id, "Sigue igual.", received).await?,
                    inbound::files_attached_since(c, ticket.id, received).await?,
                ))
            })
        })
        .await
        .unwrap();
    assert_eq!(opened, Some((ticket.id, ticket.number)));
    assert_eq!(earlier, None, "opened before the message arrived: not its ticket");
    assert_eq!(other_text, None, "another text: another message's ticket");
    assert!(replied);
    assert!(!other, "someone else's comment is not the message's reply");
    assert_eq!(files, vec!["captura.png".to_owned()]);
}
