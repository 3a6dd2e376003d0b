//! GET /api/v1/tickets: filters and cursor pagination.

use std::collections::HashSet;

use alcance_testkit::{TestBackend, on_both_backends};
use serde_json::json;

use crate::support::{TestApp, numbers, spawn_app};

on_both_backends!(filters, pagination_walks_every_page_once, bad_list_parameters);

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

fn set(items: &[i64]) -> Vec<i64> {
    sorted(items.to_vec())
}

/// Opens and triages a few more tickets; returns (t1 covered+assigned+high in org-a,
/// t2 not covered+low in org-a, t3 high in org-b).
async fn seed(t: &TestApp) -> (i64, i64, i64) {
    let fx = &t.fx;
    let agent = fx.agent.token.as_str();
    let t1 = t.open_as_staff(agent, "org-a", "Falla el login", json!({"priority": "high"})).await;
    let t2 = t.open_as_staff(agent, "org-a", "Quieren un módulo nuevo", json!({"priority": "low"})).await;
    let t3 = t.open_as_staff(agent, "org-b", "Servidor lento", json!({"priority": "high"})).await;
    t.patch(&format!("/api/v1/tickets/{t1}"), agent, json!({"category": "bug_fix", "assignee_id": fx.agent.id()}))
        .await
        .expect(200);
    t.patch(&format!("/api/v1/tickets/{t2}"), agent, json!({"category": "new_feature"})).await.expect(200);
    (t1, t2, t3)
}

async fn filters(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let (t1, t2, t3) = seed(&t).await;
    let (ta, ta2, tb) = (fx.ticket_a, fx.ticket_a2, fx.ticket_b);
    let agent = fx.agent.token.as_str();

    let all = t.ticket_numbers(agent, "").await;
    assert_eq!(all, [t3, t2, t1, tb, ta2, ta], "newest first");

    let cases: Vec<(&str, Vec<i64>)> = vec![
        ("status=open", vec![t1]),
        ("status=awaiting_decision", vec![t2]),
        ("status=open,awaiting_decision", vec![t1, t2]),
        ("status=open%2Cawaiting_decision", vec![t1, t2]),
        ("status=open, awaiting_decision", vec![t1, t2]),
        ("status=new", vec![ta, ta2, tb, t3]),
        ("status=closed", vec![]),
        ("priority=high", vec![t1, t3]),
        ("priority=low", vec![t2]),
        ("priority=normal", vec![ta, ta2, tb]),
        ("coverage=covered", vec![t1]),
        ("coverage=not_covered", vec![t2]),
        ("coverage=pending", vec![ta, ta2, tb, t3]),
        ("category=bug_fix", vec![t1]),
        ("category=new_feature", vec![t2]),
        ("category=usage_question", vec![]),
        ("organization=org-a", vec![ta, ta2, t1, t2]),
        ("organization=org-b", vec![tb, t3]),
        ("assignee=me", vec![t1]),
        ("assignee=none", vec![ta, ta2, tb, t2, t3]),
        ("organization=org-a&priority=high", vec![t1]),
        ("organization=org-b&priority=high&status=new&coverage=pending", vec![t3]),
        ("status=new,open&organization=org-a&assignee=none", vec![ta, ta2]),
    ];
    let mut failures = Vec::new();
    for (query, expected) in &cases {
        let got = t.ticket_numbers(agent, query).await;
        if sorted(got.clone()) != set(expected) {
            failures.push(format!("?{query}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "filters answered wrongly:\n{}", failures.join("\n"));

    // An assignee id, and "me" for someone with nothing assigned.
    assert_eq!(t.ticket_numbers(&fx.admin.token, &format!("assignee={}", fx.agent.id())).await, [t1]);
    assert!(t.ticket_numbers(&fx.admin.token, "assignee=me").await.is_empty());

    // Contacts' filters work inside their scope only.
    assert_eq!(set(&t.ticket_numbers(&fx.manager_a.token, "priority=high").await), [t1]);
    assert_eq!(set(&t.ticket_numbers(&fx.manager_a.token, "status=new").await), set(&[ta, ta2]));
    assert_eq!(t.ticket_numbers(&fx.requester_a.token, "status=new").await, [ta]);
    assert!(t.ticket_numbers(&fx.requester_a.token, "coverage=covered").await.is_empty());
    assert_eq!(t.ticket_numbers(&fx.requester_b.token, "organization=org-b").await, [tb]);
}

async fn pagination_walks_every_page_once(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    seed(&t).await;
    t.open_as_staff(&fx.agent.token, "org-b", "Uno más", json!({})).await;
    let everything = t.ticket_numbers(&fx.admin.token, "").await;
    assert_eq!(everything.len(), 7);

    for (who, query) in
        [(&fx.admin, ""), (&fx.manager_a, ""), (&fx.agent, "&organization=org-b"), (&fx.agent, "&status=new,open")]
    {
        let expected = t.ticket_numbers(&who.token, query.trim_start_matches('&')).await;
        let mut seen = Vec::new();
        let mut cursor: Option<i64> = None;
        let mut pages = 0;
        loop {
            let path = match cursor {
                Some(c) => format!("/api/v1/tickets?limit=2&cursor={c}{query}"),
                None => format!("/api/v1/tickets?limit=2{query}"),
            };
            let page = t.get(&path, &who.token).await.expect(200);
            let items = numbers(&page);
            pages += 1;
            assert!(items.len() <= 2, "{path}: {items:?}");
            seen.extend(items.iter().copied());
            match page["next_cursor"].as_i64() {
                Some(next) => {
                    assert_eq!(items.len(), 2, "a page before the last is full: {path}");
                    assert_eq!(Some(&next), items.last(), "the cursor is the last number shown");
                    cursor = Some(next);
                }
                None => {
                    assert!(page["next_cursor"].is_null(), "{page}");
                    break;
                }
            }
            assert!(pages <= 10, "pagination does not end: {seen:?}");
        }
        let unique: HashSet<i64> = seen.iter().copied().collect();
        assert_eq!(unique.len(), seen.len(), "no duplicates across pages: {seen:?}");
        assert_eq!(seen, expected, "{} {query}: pages give the whole list in order", who.email());
        assert_eq!(pages, expected.len().div_ceil(2).max(1), "{seen:?}");
    }

    // The default page is 25 and limit=100 is allowed.
    let page = t.get("/api/v1/tickets", &fx.admin.token).await.expect(200);
    assert_eq!(numbers(&page), everything);
    assert!(page["next_cursor"].is_null());
    t.get("/api/v1/tickets?limit=100", &fx.admin.token).await.expect(200);
    let page = t.get("/api/v1/tickets?limit=1", &fx.admin.token).await.expect(200);
    assert_eq!(numbers(&page), [everything[0]]);
    assert_eq!(page["next_cursor"], everything[0]);
}

async fn bad_list_parameters(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let token = t.fx.agent.token.as_str();
    let cases = [
        ("limit=0", "limit", "invalid"),
        ("limit=-1", "limit", "invalid"),
        ("limit=101", "limit", "invalid"),
        ("limit=dos", "limit", "invalid"),
        ("cursor=abc", "cursor", "invalid"),
        ("status=urgent", "status", "unknown_value"),
        ("status=open,bogus", "status", "unknown_value"),
        ("priority=urgent", "priority", "unknown_value"),
        ("coverage=maybe", "coverage", "unknown_value"),
        ("assignee=someone", "assignee", "invalid"),
        ("organization=no-existe", "organization", "not_found"),
    ];
    for (query, field, field_code) in cases {
        let r = t.get(&format!("/api/v1/tickets?{query}"), token).await;
        assert_eq!(r.status, 422, "?{query}: {}", r.text());
        assert_eq!(r.problem(422, "invalid_field", Some(field))["field_code"], field_code, "?{query}");
    }
}
