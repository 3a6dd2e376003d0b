//! Triage suggestions: stored once per ticket, read back exactly, marked accepted or
//! corrected; and the ticket list sorted by the suggestion's confidence.

use alcance_domain::ticket::{Coverage, Status};
use alcance_store::StoreError;
use alcance_store::repo::suggestions::{self, StoredSuggestion};
use alcance_store::repo::tickets::{self, TicketFilter, TicketSort};
use alcance_testkit::TestBackend;
use chrono::Duration;

use crate::common::{count, fixture, insert_ticket, now, open};

fn suggestion(ticket_id: i64, confidence: i64) -> StoredSuggestion {
    StoredSuggestion {
        ticket_id,
        category: "server_availability".into(),
        coverage: "covered".into(),
        priority: "critical".into(),
        confidence,
        coverage_confidence: 990,
        clause: "1.2".into(),
        top_words: vec!["caído".into(), "error 502".into(), "\"citado\"".into()],
        model_version: "abc123".into(),
        created_at: now(),
        accepted_at: None,
        corrected: None,
    }
}

async fn suggestions_round_trip_and_marks(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let a = insert_ticket(&store, &f, "uno").await;
    let b = insert_ticket(&store, &f, "dos").await;
    let (sa, sb) = (suggestion(a.id, 870), suggestion(b.id, 420));
    let (ia, ib) = (sa.clone(), sb.clone());
    store
        .write(move |c| {
            Box::pin(async move {
                suggestions::insert(c, &ia).await?;
                suggestions::insert(c, &ib).await
            })
        })
        .await
        .unwrap();
    assert_eq!(count(&store, "ticket_suggestions").await, 2);

    let (a_id, b_id) = (a.id, b.id);
    let (got, both, none) = store
        .read(move |c| {
            Box::pin(async move {
                Ok::<_, StoreError>((
                    suggestions::for_ticket(c, a_id).await?,
                    suggestions::for_tickets(c, &[a_id, b_id, 999_999]).await?,
                    suggestions::for_tickets(c, &[]).await?,
                ))
            })
        })
        .await
        .unwrap();
    assert_eq!(got, Some(sa.clone()), "every field round-trips");
    let mut both = both;
    both.sort_by_key(|s| s.ticket_id);
    assert_eq!(both, vec![sa.clone(), sb.clone()]);
    assert!(none.is_empty());

    // A second suggestion for the same ticket is refused.
    let dup = sa.clone();
    assert!(store.write(move |c| Box::pin(async move { suggestions::insert(c, &dup).await })).await.is_err());

    let later = now() + Duration::minutes(3);
    let (accepted, corrected, missing) = store
        .write(move |c| {
            Box::pin(async move {
                Ok::<_, StoreError>((
                    suggestions::mark_accepted(c, a_id, later).await?,
                    suggestions::mark_corrected(c, b_id, true).await?,
                    suggestions::mark_corrected(c, 999_999, true).await?,
                ))
            })
        })
        .await
        .unwrap();
    assert!(accepted && corrected && !missing);
    let (ga, gb) = store
        .read(move |c| {
            Box::pin(async move {
                Ok::<_, StoreError>((
                    suggestions::for_ticket(c, a_id).await?.unwrap(),
                    suggestions::for_ticket(c, b_id).await?.unwrap(),
                ))
            })
        })
        .await
        .unwrap();
    assert_eq!((ga.accepted_at, ga.corrected), (Some(later), Some(false)));
    assert_eq!((gb.accepted_at, gb.corrected), (None, Some(true)));
}

async fn list_sorted_by_suggestion(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    // 1001: 300, 1002: none, 1003: 900, 1004: 300, 1005: 600 (classified, so filtered out below).
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(insert_ticket(&store, &f, &format!("t{i}")).await);
    }
    let confidences = [Some(300), None, Some(900), Some(300), Some(600)];
    let rows: Vec<StoredSuggestion> =
        ids.iter().zip(confidences).filter_map(|(t, c)| c.map(|c| suggestion(t.id, c))).collect();
    let mut classified = ids[4].clone();
    classified.coverage = Coverage::Covered;
    classified.status = Status::Open;
    classified.category = Some("bug_fix".into());
    store
        .write(move |c| {
            Box::pin(async move {
                for s in &rows {
                    suggestions::insert(c, s).await?;
                }
                tickets::update(c, &classified).await
            })
        })
        .await
        .unwrap();

    let list = |filter: TicketFilter| {
        let store = store.clone();
        async move {
            store
                .read(move |c| Box::pin(async move { tickets::list(c, &filter).await }))
                .await
                .unwrap()
                .iter()
                .map(|t| t.number)
                .collect::<Vec<_>>()
        }
    };
    let all = TicketFilter { sort: TicketSort::Suggested, limit: 10, ..TicketFilter::default() };
    assert_eq!(list(all.clone()).await, vec![1003, 1005, 1004, 1001, 1002], "confidence desc, then number desc");
    let unclassified = TicketFilter { coverage: Some(Coverage::Pending), statuses: vec![Status::New], ..all.clone() };
    assert_eq!(list(unclassified.clone()).await, vec![1003, 1004, 1001, 1002], "filters still apply");
    assert_eq!(list(TicketFilter { limit: 2, offset: 1, ..unclassified.clone() }).await, vec![1004, 1001], "pages");
    let across = TicketFilter { limit: 2, offset: 2, ..unclassified.clone() };
    assert_eq!(list(across).await, vec![1001, 1002], "a page across the end of the suggested ones");
    let past = TicketFilter { limit: 2, offset: 3, ..unclassified };
    assert_eq!(list(past).await, vec![1002], "a page past them");
    let newest = TicketFilter { limit: 10, ..TicketFilter::default() };
    assert_eq!(list(newest).await, vec![1005, 1004, 1003, 1002, 1001], "the default order is unchanged");
    let searched = TicketFilter { text: Some("t2".into()), ..all };
    assert_eq!(list(searched).await, vec![1003], "text search with the join");
}

async fn outcomes_since_reads_the_decisions(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let mut rows = Vec::new();
    // Old (before `since`), accepted, corrected, agreed by hand, pending.
    let marks = [
        (-30, None, None),
        (-2, Some(1), Some(false)),
        (-1, None, Some(true)),
        (0, None, Some(false)),
        (1, None, None),
    ];
    for (i, (days, accepted, corrected)) in marks.into_iter().enumerate() {
        let t = insert_ticket(&store, &f, &format!("o{i}")).await;
        let mut s = suggestion(t.id, 500);
        s.category = if i % 2 == 0 { "bug_fix".into() } else { "server_availability".into() };
        s.created_at = now() + Duration::days(days);
        s.accepted_at = accepted.map(|m| s.created_at + Duration::minutes(m));
        s.corrected = corrected;
        rows.push(s);
    }
    let inserted = rows.clone();
    store
        .write(move |c| {
            Box::pin(async move {
                for s in &inserted {
                    suggestions::insert(c, s).await?;
                }
                Ok::<_, StoreError>(())
            })
        })
        .await
        .unwrap();
    let since = now() - Duration::days(7);
    let (all, capped) = store
        .read(move |c| {
            Box::pin(async move {
                Ok::<_, StoreError>((
                    suggestions::outcomes_since(c, since, suggestions::MAX_OUTCOMES).await?,
                    suggestions::outcomes_since(c, since, 2).await?,
                ))
            })
        })
        .await
        .unwrap();
    let expected: Vec<_> = rows[1..]
        .iter()
        .map(|s| suggestions::SuggestionOutcome {
            category: s.category.clone(),
            created_at: s.created_at,
            accepted_at: s.accepted_at,
            corrected: s.corrected,
        })
        .collect();
    assert_eq!(all, expected, "since `since`, oldest first, booleans and NULLs decoded");
    assert_eq!(capped, expected[..2].to_vec(), "bounded");
}

alcance_testkit::on_both_backends!(
    suggestions_round_trip_and_marks,
    list_sorted_by_suggestion,
    outcomes_since_reads_the_decisions
);
