//! Replies and internal notes.

use alcance_testkit::{TestBackend, on_both_backends};
use serde_json::{Value, json};

use crate::support::{event_kinds, spawn_app};

on_both_backends!(
    internal_notes_are_for_staff_only,
    a_client_reply_wakes_a_waiting_ticket,
    a_closed_ticket_takes_no_comments
);

fn comments_path(number: i64) -> String {
    format!("/api/v1/tickets/{number}/comments")
}

fn bodies(detail: &Value) -> Vec<String> {
    detail["comments"].as_array().unwrap().iter().map(|c| c["body"].as_str().unwrap().to_owned()).collect()
}

async fn internal_notes_are_for_staff_only(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let number = fx.ticket_a;

    for contact in [&fx.requester_a, &fx.manager_a] {
        let r = t.post(&comments_path(number), &contact.token, json!({"body": "Nota secreta", "internal": true})).await;
        assert_eq!(r.problem(422, "invalid_field", Some("internal"))["field_code"], "not_allowed");
    }

    let reply =
        t.post(&comments_path(number), &fx.requester_a.token, json!({"body": "  Sigue fallando  "})).await.expect(201);
    assert_eq!(reply["body"], "Sigue fallando");
    assert_eq!(reply["internal"], false);
    assert_eq!(reply["author_id"], fx.requester_a.id());
    let note = t
        .post(&comments_path(number), &fx.agent.token, json!({"body": "El cliente tocó el servidor", "internal": true}))
        .await
        .expect(201);
    assert_eq!(note["internal"], true);
    let answer = t.post(&comments_path(number), &fx.agent.token, json!({"body": "Lo revisamos"})).await.expect(201);
    assert_eq!(answer["internal"], false);

    let staff_view = t.ticket(number, &fx.agent.token).await;
    assert_eq!(bodies(&staff_view), ["Sigue fallando", "El cliente tocó el servidor", "Lo revisamos"]);
    let kinds = event_kinds(&staff_view);
    assert!(kinds.contains(&"note_added".to_owned()), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "replied").count(), 2, "{kinds:?}");

    for contact in [&fx.requester_a, &fx.manager_a] {
        let view = t.ticket(number, &contact.token).await;
        assert_eq!(bodies(&view), ["Sigue fallando", "Lo revisamos"], "{} sees only public replies", contact.email());
        assert!(view["comments"].as_array().unwrap().iter().all(|c| c["internal"] == false));
        let kinds = event_kinds(&view);
        assert!(!kinds.contains(&"note_added".to_owned()), "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| *k == "replied").count(), 2, "{kinds:?}");
        let text = view.to_string();
        assert!(!text.contains("tocó el servidor"), "no trace of the note: {text}");
        let note_id = note["id"].as_i64().unwrap();
        assert!(
            view["events"].as_array().unwrap().iter().all(|e| e["after"]["comment_id"] != note_id),
            "no event points at the note: {text}"
        );
    }

    // Only those who see the ticket may reply to it.
    t.post(&comments_path(fx.ticket_b), &fx.requester_a.token, json!({"body": "hola"})).await.problem(
        404,
        "not_found",
        None,
    );
    t.post(&comments_path(fx.ticket_a2), &fx.requester_a.token, json!({"body": "hola"})).await.problem(
        404,
        "not_found",
        None,
    );
    t.post(&comments_path(fx.ticket_a2), &fx.manager_a.token, json!({"body": "hola"})).await.expect(201);
}

async fn a_client_reply_wakes_a_waiting_ticket(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let path = format!("/api/v1/tickets/{}", fx.ticket_a);
    let agent = fx.agent.token.as_str();
    t.patch(&path, agent, json!({"category": "bug_fix"})).await.expect(200);
    let waiting = t.patch(&path, agent, json!({"status": "waiting_on_client"})).await.expect(200);
    assert_eq!(waiting["status"], "waiting_on_client");

    // A staff reply or note does not change the status.
    t.post(&comments_path(fx.ticket_a), agent, json!({"body": "¿Puede enviar una captura?"})).await.expect(201);
    t.post(&comments_path(fx.ticket_a), agent, json!({"body": "pendiente", "internal": true})).await.expect(201);
    assert_eq!(t.ticket(fx.ticket_a, agent).await["ticket"]["status"], "waiting_on_client");

    t.post(&comments_path(fx.ticket_a), &fx.requester_a.token, json!({"body": "Aquí va"})).await.expect(201);
    let detail = t.ticket(fx.ticket_a, &fx.requester_a.token).await;
    assert_eq!(detail["ticket"]["status"], "in_progress");
    let last = detail["events"].as_array().unwrap().iter().rev().find(|e| e["kind"] == "status_changed").unwrap();
    assert_eq!((last["before"].as_str(), last["after"].as_str()), (Some("waiting_on_client"), Some("in_progress")));
    assert_eq!(last["actor_id"], fx.requester_a.id());

    // A reply on a ticket that is not waiting leaves the status alone.
    t.post(&comments_path(fx.ticket_a), &fx.requester_a.token, json!({"body": "Y otra cosa"})).await.expect(201);
    assert_eq!(t.ticket(fx.ticket_a, agent).await["ticket"]["status"], "in_progress");
}

async fn a_closed_ticket_takes_no_comments(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let path = format!("/api/v1/tickets/{}", fx.ticket_a);
    t.patch(&path, &fx.agent.token, json!({"status": "closed", "reason": "Solicitud duplicada"})).await.expect(200);
    for who in [&fx.requester_a, &fx.agent, &fx.manager_a] {
        let r = t.post(&comments_path(fx.ticket_a), &who.token, json!({"body": "¿Sigue ahí?"})).await;
        r.problem(409, "ticket_closed", None);
    }
    let r = t.upload(fx.ticket_a, &fx.agent.token, "filename=tarde.txt", "text/plain", b"tarde".to_vec()).await;
    r.problem(409, "ticket_closed", None);
    let detail = t.ticket(fx.ticket_a, &fx.agent.token).await;
    assert!(detail["comments"].as_array().unwrap().is_empty());
    assert_eq!(detail["attachments"].as_array().unwrap().len(), 1, "only the fixture's attachment");
}
