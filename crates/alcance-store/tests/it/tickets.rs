//! Ticket numbers and the ticket list: every filter returns exactly the matching tickets,
//! newest (highest number) first.

use alcance_domain::Role;
use alcance_domain::model::{Id, Ticket};
use alcance_domain::ticket::{Channel, Coverage, Priority, Status};
use alcance_store::repo::tickets::{self, NewTicket, TicketFilter};
use alcance_store::repo::{assets, organizations, users};
use alcance_store::{Store, StoreError};
use alcance_testkit::TestBackend;
use chrono::Duration;

use crate::common::{count, fixture, insert_ticket, new_ticket, new_user, now, open};

async fn ticket_numbers_start_at_1001_and_increase(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let mut numbers = Vec::new();
    for i in 0..3 {
        numbers.push(insert_ticket(&store, &f, &format!("single {i}")).await.number);
    }
    let (org, req, now) = (f.org.id, f.requester.id, now());
    let batch = store
        .write(move |c| {
            Box::pin(async move {
                let mut out = Vec::new();
                for subject in ["batch a", "batch b", "batch c"] {
                    out.push(tickets::insert(c, new_ticket(org, req, subject), now).await?.number);
                }
                Ok::<_, StoreError>(out)
            })
        })
        .await
        .unwrap();
    numbers.extend(batch);
    assert_eq!(numbers, (1001..=1006).collect::<Vec<i64>>());
}

async fn tickets_round_trip_and_update(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let (org, req, agent, created) = (f.org.id, f.requester.id, f.agent.id, now());
    let (inserted, updated) = store
        .write(move |c| {
            Box::pin(async move {
                let asset =
                    assets::insert(c, org, alcance_domain::model::AssetKind::Server, "DB", None, "", created).await?;
                let new = NewTicket {
                    organization_id: org,
                    requester_id: req,
                    asset_id: Some(asset.id),
                    subject: "La página no carga ✓",
                    body: "Desde ayer.\nLínea 2",
                    channel: Channel::Email,
                    priority: Priority::High,
                };
                let t = tickets::insert(c, new, created).await?;
                let mut u = t.clone();
                u.assignee_id = Some(agent);
                u.priority = Priority::Critical;
                u.category = Some("hosting".to_owned());
                u.coverage = Coverage::Covered;
                u.status = Status::Resolved;
                u.updated_at = created + Duration::minutes(5);
                u.resolved_at = Some(created + Duration::minutes(5));
                u.closed_at = Some(created + Duration::minutes(9));
                tickets::update(c, &u).await?;
                Ok::<_, StoreError>((t, u))
            })
        })
        .await
        .unwrap();
    assert_eq!(inserted.number, 1001);
    assert_eq!(
        (
            inserted.organization_id,
            inserted.requester_id,
            inserted.assignee_id,
            inserted.subject.as_str(),
            inserted.body.as_str()
        ),
        (org, req, None, "La página no carga ✓", "Desde ayer.\nLínea 2")
    );
    assert_eq!(
        (inserted.channel, inserted.priority, inserted.coverage, inserted.status),
        (Channel::Email, Priority::High, Coverage::Pending, Status::New)
    );
    assert_eq!(
        (inserted.category.clone(), inserted.policy_id, inserted.resolved_at, inserted.closed_at),
        (None, None, None, None)
    );
    assert_eq!((inserted.created_at, inserted.updated_at), (created, created));

    let id = inserted.id;
    let (by_id, by_number, missing) = store
        .read(move |c| {
            Box::pin(async move {
                Ok::<_, StoreError>((
                    tickets::by_id(c, id).await?,
                    tickets::by_number(c, 1001).await?,
                    tickets::by_number(c, 999).await?,
                ))
            })
        })
        .await
        .unwrap();
    assert_eq!(by_id, Some(updated.clone()), "update writes every mutable field");
    assert_eq!(by_number, Some(updated.clone()));
    assert_eq!(missing, None);

    let later = created + Duration::hours(1);
    store.write(move |c| Box::pin(async move { tickets::touch(c, id, later).await })).await.unwrap();
    let touched = store.read(move |c| Box::pin(async move { tickets::by_id(c, id).await })).await.unwrap().unwrap();
    assert_eq!(touched.updated_at, later);
    assert_eq!(Ticket { updated_at: updated.updated_at, ..touched }, updated, "touch changes only updated_at");

    let mut ghost = updated.clone();
    ghost.id = 999_999;
    let err = store.write(move |c| Box::pin(async move { tickets::update(c, &ghost).await })).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "updating a missing ticket: {err:?}");
}

/// An independent statement of what `tickets::list` must return.
fn expected(all: &[Ticket], f: &TicketFilter) -> Vec<Ticket> {
    let mut out: Vec<Ticket> = all
        .iter()
        .filter(|t| f.organization_id.is_none_or(|o| t.organization_id == o))
        .filter(|t| f.requester_id.is_none_or(|r| t.requester_id == r))
        .filter(|t| f.statuses.is_empty() || f.statuses.contains(&t.status))
        .filter(|t| f.priority.is_none_or(|p| t.priority == p))
        .filter(|t| f.category.as_ref().is_none_or(|c| t.category.as_ref() == Some(c)))
        .filter(|t| f.coverage.is_none_or(|c| t.coverage == c))
        .filter(|t| f.assignee_id.is_none_or(|a| t.assignee_id == a))
        .filter(|t| f.before_number.is_none_or(|b| t.number < b))
        .cloned()
        .collect();
    out.sort_by_key(|t| std::cmp::Reverse(t.number));
    out.truncate(usize::try_from(f.limit).unwrap());
    out
}

async fn list(store: &Store, f: &TicketFilter) -> Vec<Ticket> {
    let f = f.clone();
    store.read(move |c| Box::pin(async move { tickets::list(c, &f).await })).await.unwrap()
}

struct World {
    all: Vec<Ticket>,
    org_a: Id,
    org_b: Id,
    req_a2: Id,
    agent1: Id,
}

/// 30 tickets across two organisations, three requesters and two agents, in every status,
/// priority, coverage and a few categories.
async fn world(store: &Store) -> World {
    let now = now();
    store
        .write(move |c| {
            Box::pin(async move {
                let org_a = organizations::insert(c, "a", "A", "UTC", now).await?.id;
                let org_b = organizations::insert(c, "b", "B", "UTC", now).await?.id;
                let req_a1 = users::insert(c, new_user("a1@a.test", Role::Requester, Some(org_a)), now).await?.id;
                let req_a2 = users::insert(c, new_user("a2@a.test", Role::Manager, Some(org_a)), now).await?.id;
                let req_b = users::insert(c, new_user("b@b.test", Role::Requester, Some(org_b)), now).await?.id;
                let agent1 = users::insert(c, new_user("g1@agency.test", Role::Agent, None), now).await?.id;
                let agent2 = users::insert(c, new_user("g2@agency.test", Role::Agent, None), now).await?.id;
                let statuses = [
                    Status::New,
                    Status::Open,
                    Status::InProgress,
                    Status::WaitingOnClient,
                    Status::Resolved,
                    Status::Closed,
                    Status::AwaitingDecision,
                ];
                let priorities = [Priority::Critical, Priority::High, Priority::Normal, Priority::Low];
                let coverages = [Coverage::Pending, Coverage::Covered, Coverage::NotCovered];
                let categories = [None, Some("web"), Some("server"), Some("email")];
                let assignees = [None, Some(agent1), Some(agent2)];
                let mut all = Vec::new();
                for i in 0..30_usize {
                    let (org, req) = [(org_a, req_a1), (org_a, req_a2), (org_b, req_b)][i % 3];
                    let subject = format!("ticket {i}");
                    let mut t = tickets::insert(c, new_ticket(org, req, &subject), now).await?;
                    t.status = statuses[i % statuses.len()];
                    t.priority = priorities[(i / 2) % priorities.len()];
                    t.coverage = coverages[(i / 3) % coverages.len()];
                    t.category = categories[(i * 7) % categories.len()].map(str::to_owned);
                    t.assignee_id = assignees[(i / 4) % assignees.len()];
                    tickets::update(c, &t).await?;
                    all.push(t);
                }
                Ok::<_, StoreError>(World { all, org_a, org_b, req_a2, agent1 })
            })
        })
        .await
        .unwrap()
}

async fn ticket_list_filters(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let w = world(&store).await;
    assert_eq!(w.all.iter().map(|t| t.number).collect::<Vec<_>>(), (1001..=1030).collect::<Vec<_>>());
    let base = TicketFilter { limit: 100, ..TicketFilter::default() };

    // (description, filter, must the answer be a proper, non-empty subset?)
    let cases: Vec<(&str, TicketFilter, bool)> = vec![
        ("no filter", base.clone(), false),
        ("one status", TicketFilter { statuses: vec![Status::Open], ..base.clone() }, true),
        ("two statuses", TicketFilter { statuses: vec![Status::Open, Status::Resolved], ..base.clone() }, true),
        (
            "three statuses",
            TicketFilter { statuses: vec![Status::Closed, Status::New, Status::AwaitingDecision], ..base.clone() },
            true,
        ),
        ("a status nobody has", TicketFilter { statuses: vec![Status::Quoted], ..base.clone() }, false),
        ("all statuses", TicketFilter { statuses: Status::ALL.to_vec(), ..base.clone() }, false),
        ("priority", TicketFilter { priority: Some(Priority::High), ..base.clone() }, true),
        ("coverage", TicketFilter { coverage: Some(Coverage::NotCovered), ..base.clone() }, true),
        ("category", TicketFilter { category: Some("web".to_owned()), ..base.clone() }, true),
        ("unknown category", TicketFilter { category: Some("nope".to_owned()), ..base.clone() }, false),
        ("organisation", TicketFilter { organization_id: Some(w.org_b), ..base.clone() }, true),
        ("requester", TicketFilter { requester_id: Some(w.req_a2), ..base.clone() }, true),
        ("assignee", TicketFilter { assignee_id: Some(Some(w.agent1)), ..base.clone() }, true),
        ("unassigned", TicketFilter { assignee_id: Some(None), ..base.clone() }, true),
        ("before a number", TicketFilter { before_number: Some(1012), ..base.clone() }, true),
        ("limit", TicketFilter { limit: 7, ..base.clone() }, true),
        ("limit 0", TicketFilter { limit: 0, ..base.clone() }, false),
        (
            "organisation, statuses and unassigned",
            TicketFilter {
                organization_id: Some(w.org_a),
                statuses: vec![Status::New, Status::Open, Status::InProgress],
                assignee_id: Some(None),
                ..base.clone()
            },
            true,
        ),
        (
            "priority, coverage, cursor and limit",
            TicketFilter {
                priority: Some(Priority::Critical),
                coverage: Some(Coverage::Pending),
                before_number: Some(1030),
                limit: 2,
                ..base.clone()
            },
            true,
        ),
        (
            "everything at once",
            TicketFilter {
                organization_id: Some(w.org_a),
                requester_id: Some(w.req_a2),
                statuses: vec![Status::WaitingOnClient, Status::AwaitingDecision, Status::Closed, Status::Open],
                category: None,
                assignee_id: Some(Some(w.agent1)),
                before_number: Some(1029),
                limit: 50,
                ..base.clone()
            },
            false,
        ),
    ];
    for (what, filter, proper_subset) in &cases {
        let want = expected(&w.all, filter);
        let got = list(&store, filter).await;
        if *proper_subset {
            assert!(
                !want.is_empty() && want.len() < w.all.len(),
                "case `{what}` should select some but not all tickets: fix the test data"
            );
        }
        let numbers = |ts: &[Ticket]| ts.iter().map(|t| t.number).collect::<Vec<_>>();
        assert_eq!(numbers(&got), numbers(&want), "case `{what}`: {filter:?}");
        assert_eq!(got, want, "case `{what}`: the tickets as stored");
    }

    // Spot checks that do not rely on `expected`.
    let unassigned = list(&store, &TicketFilter { assignee_id: Some(None), ..base.clone() }).await;
    assert!(unassigned.iter().all(|t| t.assignee_id.is_none()));
    assert_eq!(unassigned.len(), w.all.iter().filter(|t| t.assignee_id.is_none()).count());
    let limited = list(&store, &TicketFilter { limit: 3, ..base.clone() }).await;
    assert_eq!(limited.iter().map(|t| t.number).collect::<Vec<_>>(), vec![1030, 1029, 1028]);
    let before = list(&store, &TicketFilter { before_number: Some(1004), ..base.clone() }).await;
    assert_eq!(before.iter().map(|t| t.number).collect::<Vec<_>>(), vec![1003, 1002, 1001]);
    let org_b = list(&store, &TicketFilter { organization_id: Some(w.org_b), ..base.clone() }).await;
    assert_eq!(org_b.len(), 10);
    assert!(org_b.iter().all(|t| t.organization_id == w.org_b));

    // Walking pages with the cursor visits every ticket once, in order.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = list(&store, &TicketFilter { before_number: cursor, limit: 4, ..base.clone() }).await;
        let Some(last) = page.last() else { break };
        cursor = Some(last.number);
        seen.extend(page.iter().map(|t| t.number));
    }
    assert_eq!(seen, (1001..=1030).rev().collect::<Vec<_>>());
    assert_eq!(count(&store, "tickets").await, 30);
}

alcance_testkit::on_both_backends!(
    ticket_numbers_start_at_1001_and_increase,
    tickets_round_trip_and_update,
    ticket_list_filters
);
