//! Lists never leak: what each role finds in the list endpoints, and filters that try to
//! reach outside a contact's organisation.

use std::collections::HashSet;

use alcance_testkit::{TestBackend, on_both_backends};
use serde_json::json;

use crate::support::{TestApp, numbers, spawn_app};

on_both_backends!(contact_lists_stay_in_scope);

/// Every ticket number in the list `token` sees (one page of up to 100).
async fn all_visible(t: &TestApp, token: &str) -> HashSet<i64> {
    t.ticket_numbers(token, "").await.into_iter().collect()
}

async fn contact_lists_stay_in_scope(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    // More tickets in both organisations, opened by staff on the contacts' behalf.
    let extra_a = t
        .open_as_staff(&fx.agent.token, "org-a", "A por teléfono", json!({"requester": fx.requester_a2.email()}))
        .await;
    let extra_b =
        t.open_as_staff(&fx.agent.token, "org-b", "B por teléfono", json!({"requester": fx.manager_b.email()})).await;

    let staff: HashSet<i64> = [fx.ticket_a, fx.ticket_a2, fx.ticket_b, extra_a, extra_b].into();
    assert_eq!(all_visible(&t, &fx.admin.token).await, staff);
    assert_eq!(all_visible(&t, &fx.agent.token).await, staff);
    assert_eq!(all_visible(&t, &fx.manager_a.token).await, [fx.ticket_a, fx.ticket_a2, extra_a].into());
    assert_eq!(all_visible(&t, &fx.requester_a.token).await, [fx.ticket_a].into());
    assert_eq!(all_visible(&t, &fx.requester_a2.token).await, [fx.ticket_a2, extra_a].into());
    assert_eq!(all_visible(&t, &fx.manager_b.token).await, [fx.ticket_b, extra_b].into());
    assert_eq!(all_visible(&t, &fx.requester_b.token).await, [fx.ticket_b].into());

    // Each listed ticket of a contact is of their organisation.
    for who in [&fx.manager_a, &fx.requester_a] {
        let page = t.get("/api/v1/tickets?limit=100", &who.token).await.expect(200);
        for item in page["items"].as_array().unwrap() {
            assert_eq!(item["organization_id"], fx.org_a.id, "{} sees {item}", who.email());
        }
        // Filters cannot widen the scope.
        for query in ["organization=org-b", "organization=no-existe"] {
            t.get(&format!("/api/v1/tickets?{query}"), &who.token).await.problem(404, "not_found", None);
        }
        let page = t.get("/api/v1/tickets?organization=org-a&status=new", &who.token).await.expect(200);
        assert!(!numbers(&page).contains(&fx.ticket_b) && !numbers(&page).contains(&extra_b));
    }

    // Directory lists: a contact sees only their own organisation.
    let orgs = t.get("/api/v1/organizations", &fx.requester_a.token).await.expect(200);
    assert_eq!(orgs.as_array().unwrap().iter().map(|o| o["slug"].as_str().unwrap()).collect::<Vec<_>>(), ["org-a"]);
    let orgs = t.get("/api/v1/organizations", &fx.agent.token).await.expect(200);
    assert_eq!(orgs.as_array().unwrap().len(), 2);
    for path in ["/api/v1/contracts", "/api/v1/assets"] {
        let items = t.get(path, &fx.manager_a.token).await.expect(200);
        assert!(!items.as_array().unwrap().is_empty(), "{path}");
        assert!(items.as_array().unwrap().iter().all(|i| i["organization_id"] == fx.org_a.id), "{path}: {items}");
        assert_eq!(t.get(path, &fx.admin.token).await.expect(200).as_array().unwrap().len(), 2, "{path}");
    }
    let users = t.get("/api/v1/users", &fx.manager_a.token).await.expect(200);
    let mut emails: Vec<&str> = users.as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    emails.sort_unstable();
    assert_eq!(emails, ["ana@a.co", "andres@a.co", "gerente@a.co"]);
    let users = t.get("/api/v1/users", &fx.requester_a.token).await.expect(200);
    assert_eq!(
        users.as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect::<Vec<_>>(),
        [fx.requester_a.id()]
    );
    let users = t.get("/api/v1/users?organization=org-b", &fx.admin.token).await.expect(200);
    assert_eq!(users.as_array().unwrap().len(), 2);
}
