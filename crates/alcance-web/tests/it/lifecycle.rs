//! Triage and the ticket lifecycle through PATCH /api/v1/tickets/{number}.

use alcance_testkit::{TestBackend, on_both_backends};
use serde_json::{Value, json};

use crate::support::{TestApp, event_kinds, spawn_app};

on_both_backends!(
    classification_sets_coverage_and_status,
    patch_answers_the_ticket_as_stored,
    coverage_override_needs_a_reason,
    transitions_are_checked,
    closing_unresolved_work_needs_a_reason,
    assignment,
    a_failed_change_writes_nothing,
);

fn path(number: i64) -> String {
    format!("/api/v1/tickets/{number}")
}

fn events_of<'a>(detail: &'a Value, kind: &str) -> Vec<&'a Value> {
    detail["events"].as_array().unwrap().iter().filter(|e| e["kind"] == kind).collect()
}

async fn classification_sets_coverage_and_status(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let agent = fx.agent.token.as_str();

    let ticket = t.patch(&path(fx.ticket_a), agent, json!({"category": "bug_fix"})).await.expect(200);
    assert_eq!(ticket["category"], "bug_fix");
    assert_eq!(ticket["coverage"], "covered");
    assert_eq!(ticket["status"], "open");
    assert_eq!(ticket["policy_id"], fx.contract_a.policy_id);

    let detail = t.ticket(fx.ticket_a, agent).await;
    for field in ["number", "status", "coverage", "category", "policy_id", "priority", "assignee_id"] {
        assert_eq!(detail["ticket"][field], ticket[field], "GET shows what PATCH answered: {field}");
    }
    let kinds = event_kinds(&detail);
    assert!(kinds.contains(&"classified".to_owned()) && kinds.contains(&"status_changed".to_owned()), "{kinds:?}");
    let classified = events_of(&detail, "classified")[0];
    assert_eq!(classified["actor_id"], fx.agent.id());
    assert_eq!(classified["after"]["category"], "bug_fix");
    assert_eq!(classified["after"]["coverage"], "covered");
    let moved = events_of(&detail, "status_changed")[0];
    assert_eq!((moved["before"].as_str(), moved["after"].as_str()), (Some("new"), Some("open")));
    // The requester sees the classification too.
    let seen = t.ticket(fx.ticket_a, &fx.requester_a.token).await;
    assert_eq!(seen["ticket"]["coverage"], "covered");
    assert!(event_kinds(&seen).contains(&"classified".to_owned()));

    let ticket = t.patch(&path(fx.ticket_a2), agent, json!({"category": "new_feature"})).await.expect(200);
    assert_eq!(ticket["coverage"], "not_covered");
    assert_eq!(ticket["status"], "awaiting_decision");
    assert_eq!(ticket["policy_id"], fx.contract_a.policy_id);
    let detail = t.ticket(fx.ticket_a2, agent).await;
    assert_eq!(events_of(&detail, "status_changed")[0]["after"], "awaiting_decision");

    // A category the policy does not have, or classifying without one.
    let r = t.patch(&path(fx.ticket_b), agent, json!({"category": "magic"})).await;
    let problem = r.problem(422, "invalid_field", Some("category"));
    assert_eq!(problem["field_code"], "unknown_value");
    assert!(problem["detail"].as_str().unwrap().contains("bug_fix"), "{problem}");
    let r = t.patch(&path(fx.ticket_b), agent, json!({"coverage": "covered"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("category"))["field_code"], "required");
    let r = t
        .patch(&path(fx.ticket_b), agent, json!({"category": "bug_fix", "coverage": "pending", "reason": "no sé"}))
        .await;
    r.problem(422, "invalid_field", Some("coverage"));
    assert_eq!(t.ticket(fx.ticket_b, agent).await["ticket"]["status"], "new");
}

/// The PATCH answer is the ticket exactly as a later GET shows it (timestamps included).
async fn patch_answers_the_ticket_as_stored(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let agent = fx.agent.token.as_str();
    let answered =
        t.patch(&path(fx.ticket_a), agent, json!({"category": "bug_fix", "priority": "high"})).await.expect(200);
    let stored = t.ticket(fx.ticket_a, agent).await["ticket"].clone();
    assert_eq!(stored, answered, "GET shows what PATCH answered");
    let listed = t.get("/api/v1/tickets?status=open", agent).await.expect(200)["items"][0].clone();
    assert_eq!(listed, stored, "the list shows what GET shows");
}

async fn coverage_override_needs_a_reason(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let agent = fx.agent.token.as_str();

    let kinds_before = event_kinds(&t.ticket(fx.ticket_a, agent).await);
    let r = t.patch(&path(fx.ticket_a), agent, json!({"category": "bug_fix", "coverage": "not_covered"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("reason"))["field_code"], "required");
    let r = t
        .patch(&path(fx.ticket_a), agent, json!({"category": "bug_fix", "coverage": "not_covered", "reason": "no"}))
        .await;
    assert_eq!(r.problem(422, "invalid_field", Some("reason"))["field_code"], "too_short");
    let untouched = t.ticket(fx.ticket_a, agent).await;
    assert_eq!(
        (untouched["ticket"]["coverage"].as_str(), untouched["ticket"]["status"].as_str()),
        (Some("pending"), Some("new"))
    );
    assert_eq!(event_kinds(&untouched), kinds_before, "a refused override leaves no trace");

    let reason = "El módulo fue modificado por un tercero";
    let body = json!({"category": "bug_fix", "coverage": "not_covered", "reason": reason});
    let ticket = t.patch(&path(fx.ticket_a), agent, body).await.expect(200);
    assert_eq!(ticket["category"], "bug_fix");
    assert_eq!(ticket["coverage"], "not_covered");
    assert_eq!(ticket["status"], "awaiting_decision");
    let detail = t.ticket(fx.ticket_a, agent).await;
    let overridden = events_of(&detail, "coverage_overridden");
    assert_eq!(overridden.len(), 1, "{:?}", event_kinds(&detail));
    assert_eq!(overridden[0]["reason"], reason);
    assert_eq!(overridden[0]["before"], "covered");
    assert_eq!(overridden[0]["after"], "not_covered");
    assert_eq!(overridden[0]["actor_id"], fx.agent.id());

    // The coverage the policy gives needs no reason.
    let ticket = t
        .patch(&path(fx.ticket_a2), agent, json!({"category": "new_feature", "coverage": "not_covered"}))
        .await
        .expect(200);
    assert_eq!(ticket["coverage"], "not_covered");
    assert!(events_of(&t.ticket(fx.ticket_a2, agent).await, "coverage_overridden").is_empty());
}

async fn status(t: &TestApp, number: i64, token: &str, body: Value) -> crate::support::Resp {
    t.patch(&path(number), token, body).await
}

async fn transitions_are_checked(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let agent = fx.agent.token.as_str();

    let r = status(&t, fx.ticket_a, agent, json!({"status": "resolved"})).await;
    let problem = r.problem(409, "invalid_transition", None);
    assert!(problem["detail"].as_str().unwrap().contains("resolved"), "{problem}");
    let r = status(&t, fx.ticket_a, agent, json!({"status": "waiting_on_client"})).await;
    r.problem(409, "invalid_transition", None);
    assert_eq!(t.ticket(fx.ticket_a, agent).await["ticket"]["status"], "new");

    // The working path, each step an event.
    t.patch(&path(fx.ticket_a), agent, json!({"category": "usage_question"})).await.expect(200);
    for next in ["in_progress", "waiting_on_client", "in_progress", "resolved"] {
        let ticket = status(&t, fx.ticket_a, agent, json!({"status": next})).await.expect(200);
        assert_eq!(ticket["status"], next);
    }
    let ticket = t.ticket(fx.ticket_a, agent).await["ticket"].clone();
    assert!(ticket["resolved_at"].is_string(), "{ticket}");
    // The client reopens; staff then resolve and close (no reason needed after resolving).
    let reopened = status(&t, fx.ticket_a, &fx.requester_a.token, json!({"status": "open"})).await.expect(200);
    assert_eq!(reopened["status"], "open");
    assert!(reopened["resolved_at"].is_null());
    // A contact cannot start work: the lifecycle has the edge, their role does not.
    status(&t, fx.ticket_a, &fx.requester_a.token, json!({"status": "in_progress"})).await.problem(
        403,
        "forbidden",
        None,
    );
    status(&t, fx.ticket_a, agent, json!({"status": "resolved"})).await.expect(200);
    let closed = status(&t, fx.ticket_a, agent, json!({"status": "closed"})).await.expect(200);
    assert_eq!(closed["status"], "closed");
    assert!(closed["closed_at"].is_string());
    let r = status(&t, fx.ticket_a, agent, json!({"status": "open"})).await;
    r.problem(409, "ticket_closed", None);
    let detail = t.ticket(fx.ticket_a, agent).await;
    assert_eq!(events_of(&detail, "status_changed").len(), 8, "{:?}", event_kinds(&detail));

    // Closing unresolved work with a reason records it.
    let closed = status(&t, fx.ticket_b, agent, json!({"status": "closed", "reason": "Duplicado de otra solicitud"}))
        .await
        .expect(200);
    assert_eq!(closed["status"], "closed");
    let detail = t.ticket(fx.ticket_b, agent).await;
    assert_eq!(events_of(&detail, "status_changed")[0]["reason"], "Duplicado de otra solicitud");

    // A contact may withdraw their own open request without a reason.
    let withdrawn = status(&t, fx.ticket_a2, &fx.requester_a2.token, json!({"status": "closed"})).await.expect(200);
    assert_eq!(withdrawn["status"], "closed");
}

/// Staff closing a request that was never resolved must say why: 409 without a reason.
async fn closing_unresolved_work_needs_a_reason(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let agent = fx.agent.token.as_str();
    t.patch(&path(fx.ticket_a2), agent, json!({"category": "bug_fix"})).await.expect(200);
    for number in [fx.ticket_a, fx.ticket_a2] {
        let r = status(&t, number, agent, json!({"status": "closed"})).await;
        r.problem(422, "invalid_field", Some("reason"));
        assert_ne!(t.ticket(number, agent).await["ticket"]["status"], "closed");
    }
}

async fn assignment(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let agent = fx.agent.token.as_str();

    for contact in [&fx.requester_a, &fx.manager_b] {
        let r = t.patch(&path(fx.ticket_a), agent, json!({"assignee_id": contact.id()})).await;
        assert_eq!(r.problem(422, "invalid_field", Some("assignee"))["field_code"], "not_found");
    }
    t.patch(&path(fx.ticket_a), agent, json!({"assignee_id": 999_999})).await.problem(
        422,
        "invalid_field",
        Some("assignee"),
    );
    t.patch(&path(fx.ticket_a), agent, json!({"assignee_id": "yo"})).await.problem(
        422,
        "invalid_field",
        Some("assignee_id"),
    );

    let ticket = t.patch(&path(fx.ticket_a), agent, json!({"assignee_id": fx.agent.id()})).await.expect(200);
    assert_eq!(ticket["assignee_id"], fx.agent.id());
    let ticket = t.patch(&path(fx.ticket_a), agent, json!({"assignee_id": fx.admin.id()})).await.expect(200);
    assert_eq!(ticket["assignee_id"], fx.admin.id());
    // An absent field changes nothing; null unassigns.
    let ticket = t.patch(&path(fx.ticket_a), agent, json!({"priority": "high"})).await.expect(200);
    assert_eq!((ticket["assignee_id"].as_i64(), ticket["priority"].as_str()), (Some(fx.admin.id()), Some("high")));
    let ticket = t.patch(&path(fx.ticket_a), agent, json!({"assignee_id": null})).await.expect(200);
    assert!(ticket["assignee_id"].is_null(), "{ticket}");
    let detail = t.ticket(fx.ticket_a, agent).await;
    assert!(detail["ticket"]["assignee_id"].is_null());
    let changes = events_of(&detail, "assignee_changed");
    assert_eq!(changes.len(), 3);
    assert_eq!(changes[2]["before"], fx.admin.id());
    assert!(changes[2]["after"].is_null());
    assert_eq!(events_of(&detail, "priority_changed").len(), 1);
}

async fn a_failed_change_writes_nothing(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let agent = fx.agent.token.as_str();
    // The priority would apply first; the bad assignee must undo it.
    let kinds_before = event_kinds(&t.ticket(fx.ticket_a, agent).await);
    let r =
        t.patch(&path(fx.ticket_a), agent, json!({"priority": "critical", "assignee_id": fx.requester_a.id()})).await;
    r.problem(422, "invalid_field", Some("assignee"));
    // Classification would apply first; the refused status change must undo it.
    let r = t.patch(&path(fx.ticket_a), agent, json!({"category": "new_feature", "status": "resolved"})).await;
    r.problem(409, "invalid_transition", None);
    let detail = t.ticket(fx.ticket_a, agent).await;
    assert_eq!(detail["ticket"]["priority"], "normal");
    assert_eq!(detail["ticket"]["coverage"], "pending");
    assert_eq!(detail["ticket"]["status"], "new");
    assert!(detail["ticket"]["category"].is_null());
    assert_eq!(event_kinds(&detail), kinds_before);
}
