//! Opening requests through the API.

use alcance_testkit::{TestBackend, on_both_backends};
use serde_json::json;

use crate::support::spawn_app;

on_both_backends!(contact_opens_in_own_org, staff_must_name_the_organization, contact_cannot_open_elsewhere);

async fn contact_opens_in_own_org(backend: TestBackend) {
    let t = spawn_app(backend).await;
    assert_eq!(t.db.backend, backend);
    let fx = &t.fx;
    let created = t
        .post(
            "/api/v1/tickets",
            &fx.requester_a.token,
            json!({"subject": "  No puedo entrar  ", "body": "Sale un error 500"}),
        )
        .await
        .expect(201);
    assert!(created["number"].as_i64().unwrap() >= 1001, "{created}");
    assert_eq!(created["subject"], "No puedo entrar", "subject is trimmed");
    assert_eq!(created["status"], "new");
    assert_eq!(created["coverage"], "pending");
    assert_eq!(created["channel"], "api");
    assert_eq!(created["priority"], "normal");
    assert_eq!(created["organization_id"], fx.org_a.id);
    assert_eq!(created["requester_id"], fx.requester_a.id());
    assert!(created["category"].is_null() && created["policy_id"].is_null() && created["assignee_id"].is_null());

    // The number keeps growing, and the detail shows the creation event.
    let number = created["number"].as_i64().unwrap();
    assert!(number > fx.ticket_b, "numbers increase: {number} after {}", fx.ticket_b);
    let detail = t.ticket(number, &fx.requester_a.token).await;
    assert_eq!(detail["ticket"]["number"], number);
    assert_eq!(crate::support::event_kinds(&detail), ["created"]);

    // A contact naming their own organisation and an asset of it is fine too.
    let body =
        json!({"subject": "Otra", "body": "x", "organization": "org-a", "asset_id": fx.asset_a.id, "priority": "high"});
    let created = t.post("/api/v1/tickets", &fx.manager_a.token, body).await.expect(201);
    assert_eq!((created["asset_id"].as_i64(), created["priority"].as_str()), (Some(fx.asset_a.id), Some("high")));
    assert_eq!(created["organization_id"], fx.org_a.id);
}

async fn staff_must_name_the_organization(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let before = t.ticket_numbers(&fx.admin.token, "").await.len();

    let r =
        t.post("/api/v1/tickets", &fx.agent.token, json!({"subject": "Caída", "body": "El sitio no responde"})).await;
    let problem = r.problem(422, "invalid_field", Some("organization"));
    assert_eq!(problem["field_code"], "required");

    let r = t
        .post("/api/v1/tickets", &fx.agent.token, json!({"subject": "Caída", "body": "x", "organization": "no-existe"}))
        .await;
    assert_eq!(r.problem(422, "invalid_field", Some("organization"))["field_code"], "not_found");

    let created = t
        .post(
            "/api/v1/tickets",
            &fx.agent.token,
            json!({"subject": "Caída", "body": "El sitio no responde", "organization": "org-b"}),
        )
        .await
        .expect(201);
    assert_eq!(created["organization_id"], fx.org_b.id);
    assert_eq!(created["requester_id"], fx.agent.id(), "staff open on their own name unless they name a requester");
    assert_eq!(created["channel"], "api");

    // On behalf of a contact of that organisation, and only of that organisation.
    let body =
        json!({"subject": "Por teléfono", "body": "x", "organization": "org-b", "requester": fx.requester_b.email()});
    let created = t.post("/api/v1/tickets", &fx.agent.token, body).await.expect(201);
    assert_eq!(created["requester_id"], fx.requester_b.id());
    let body =
        json!({"subject": "Por teléfono", "body": "x", "organization": "org-b", "requester": fx.requester_a.email()});
    let r = t.post("/api/v1/tickets", &fx.agent.token, body).await;
    r.problem(422, "invalid_field", Some("requester"));

    // An asset of another organisation is refused.
    let body = json!({"subject": "x", "body": "x", "organization": "org-b", "asset_id": fx.asset_a.id});
    t.post("/api/v1/tickets", &fx.admin.token, body).await.problem(422, "invalid_field", Some("asset_id"));

    assert_eq!(t.ticket_numbers(&fx.admin.token, "").await.len(), before + 2);
}

async fn contact_cannot_open_elsewhere(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let before = t.ticket_numbers(&fx.admin.token, "").await.len();
    let body = json!({"subject": "x", "body": "x", "organization": "org-b"});
    let foreign = t.post("/api/v1/tickets", &fx.requester_a.token, body).await;
    foreign.problem(404, "not_found", None);
    let body = json!({"subject": "x", "body": "x", "organization": "no-existe"});
    let missing = t.post("/api/v1/tickets", &fx.requester_a.token, body).await;
    assert_eq!(foreign.json(), missing.json(), "another organisation looks exactly like one that does not exist");

    let body = json!({"subject": "x", "body": "x", "requester": fx.requester_a2.email()});
    let r = t.post("/api/v1/tickets", &fx.requester_a.token, body).await;
    assert_eq!(r.problem(422, "invalid_field", Some("requester"))["field_code"], "not_allowed");

    let body = json!({"subject": "x", "body": "x", "asset_id": fx.asset_b.id});
    t.post("/api/v1/tickets", &fx.manager_a.token, body).await.problem(422, "invalid_field", Some("asset_id"));
    assert_eq!(t.ticket_numbers(&fx.admin.token, "").await.len(), before);
}
