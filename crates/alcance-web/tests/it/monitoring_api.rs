//! Alerts from external tools and heartbeats, over the real HTTP API: Alertmanager's
//! documented payload firing and resolved, a Checkmk-style callback, the generic webhook,
//! integration tokens scoped to one organisation, and a heartbeat that stops.

use std::sync::Arc;

use alcance_app::monitoring::runner;
use alcance_probe::{ProbeOptions, Prober};
use alcance_testkit::{TestBackend, on_both_backends};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{At, Req, TestApp, spawn_app};

on_both_backends!(
    alertmanager_firing_opens_one_ticket_and_resolved_resolves_it,
    integration_tokens_are_checked_and_scoped_to_their_organisation,
    checkmk_and_webhook_alerts_open_and_close_incidents,
    bad_alert_payloads_are_refused_naming_the_field_and_change_nothing,
    a_heartbeat_that_stops_opens_a_backup_ticket_and_a_ping_resolves_it,
    housekeeping_drops_checks_older_than_ninety_days,
    a_site_slower_than_its_limit_twice_in_a_row_opens_an_overload_ticket
);

async fn integration_token(t: &TestApp, org: &str) -> String {
    let body = json!({"organization": org, "name": "Alertmanager producción"});
    let created = t.post("/api/v1/integration-tokens", &t.fx.admin.token, body).await.expect(201);
    created["token"].as_str().unwrap().to_owned()
}

/// Alertmanager's webhook payload (version 4), as its documentation shows it.
fn alertmanager_payload(status: &str) -> Value {
    json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"DiskFull\"}",
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "alcance",
        "groupLabels": {"alertname": "DiskFull"},
        "commonLabels": {"alertname": "DiskFull", "severity": "critical"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.agencia.co",
        "alerts": [{
            "status": status,
            "labels": {"alertname": "DiskFull", "instance": "web-01:9100", "severity": "critical"},
            "annotations": {"summary": "El disco / está al 97 %"},
            "startsAt": "2026-11-27T10:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.agencia.co/graph",
            "fingerprint": "c4a0f3d3b2e1a9f0"
        }]
    })
}

async fn post_alert(t: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let req = Req { token: Some(token), json: Some(body), ..Req::default() };
    t.send(Method::POST, path, req).await.expect(200)
}

fn result(answer: &Value) -> (String, Option<i64>) {
    let first = &answer["results"][0];
    (first["action"].as_str().unwrap().to_owned(), first["ticket_number"].as_i64())
}

async fn monitor_tickets(t: &TestApp, org: &str) -> Vec<i64> {
    let page = t.get(&format!("/api/v1/tickets?organization={org}&limit=100"), &t.fx.admin.token).await.expect(200);
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["channel"] == "monitor")
        .map(|i| i["number"].as_i64().unwrap())
        .collect()
}

async fn alertmanager_firing_opens_one_ticket_and_resolved_resolves_it(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let token = integration_token(&t, "org-a").await;
    let path = "/api/v1/integrations/alertmanager";
    let (action, number) = result(&post_alert(&t, path, &token, alertmanager_payload("firing")).await);
    assert_eq!(action, "opened");
    let number = number.unwrap();
    let detail = t.ticket(number, &t.fx.admin.token).await;
    let ticket = &detail["ticket"];
    assert_eq!(ticket["channel"], "monitor");
    assert_eq!(ticket["category"], "server_alert");
    assert_eq!(ticket["coverage"], "covered");
    assert_eq!(ticket["priority"], "critical");
    assert_eq!(ticket["organization_id"], t.fx.org_a.id);
    assert!(ticket["subject"].as_str().unwrap().contains("DiskFull"), "{ticket}");

    // Alertmanager repeats a firing alert: the same ticket, no new one.
    let (action, again) = result(&post_alert(&t, path, &token, alertmanager_payload("firing")).await);
    assert_eq!((action.as_str(), again), ("updated", Some(number)));
    assert_eq!(monitor_tickets(&t, "org-a").await, vec![number]);
    let detail = t.ticket(number, &t.fx.admin.token).await;
    let alerts = crate::support::event_kinds(&detail).iter().filter(|k| *k == "monitor_alert").count();
    assert_eq!(alerts, 2, "each notification is in the history");

    let (action, resolved) = result(&post_alert(&t, path, &token, alertmanager_payload("resolved")).await);
    assert_eq!((action.as_str(), resolved), ("recovered", Some(number)));
    let detail = t.ticket(number, &t.fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "resolved");
    let kinds = crate::support::event_kinds(&detail);
    assert!(kinds.iter().any(|k| k == "monitor_recovered"), "{kinds:?}");
    // The client sees the incident in the portal's history, in Spanish.
    let portal = t.get(&format!("/api/v1/tickets/{number}"), &t.fx.manager_a.token).await.expect(200);
    assert_eq!(portal["ticket"]["number"], number);

    // A resolved alert with nothing open is acknowledged and ignored.
    let (action, none) = result(&post_alert(&t, path, &token, alertmanager_payload("resolved")).await);
    assert_eq!((action.as_str(), none), ("ignored", None));
    // Firing again after the recovery is a new incident with a new ticket; the old one keeps
    // its history.
    let (action, next) = result(&post_alert(&t, path, &token, alertmanager_payload("firing")).await);
    assert_eq!(action, "opened");
    assert_ne!(next, Some(number));
}

async fn integration_tokens_are_checked_and_scoped_to_their_organisation(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let path = "/api/v1/integrations/alertmanager";
    let no_token = Req { json: Some(alertmanager_payload("firing")), ..Req::default() };
    t.send(Method::POST, path, no_token).await.problem(401, "unauthenticated", None);
    let wrong = Req { token: Some("alc_int_nope"), json: Some(alertmanager_payload("firing")), ..Req::default() };
    t.send(Method::POST, path, wrong).await.problem(401, "unauthenticated", None);
    // A user's API token is not an integration token.
    let user = Req { token: Some(&t.fx.admin.token), json: Some(alertmanager_payload("firing")), ..Req::default() };
    t.send(Method::POST, path, user).await.problem(401, "unauthenticated", None);
    // Only admins create integration tokens.
    let body = json!({"organization": "org-a", "name": "x"});
    t.post("/api/v1/integration-tokens", &t.fx.agent.token, body.clone()).await.problem(403, "forbidden", None);
    t.post("/api/v1/integration-tokens", &t.fx.manager_a.token, body).await.problem(403, "forbidden", None);

    // The same alert from two organisations' tools: one ticket in each, never crossed.
    let token_a = integration_token(&t, "org-a").await;
    let token_b = integration_token(&t, "org-b").await;
    let (_, a) = result(&post_alert(&t, path, &token_a, alertmanager_payload("firing")).await);
    let (_, b) = result(&post_alert(&t, path, &token_b, alertmanager_payload("firing")).await);
    assert_ne!(a, b);
    assert_eq!(monitor_tickets(&t, "org-a").await, vec![a.unwrap()]);
    assert_eq!(monitor_tickets(&t, "org-b").await, vec![b.unwrap()]);
    // Org B's client cannot see org A's incident.
    t.get(&format!("/api/v1/tickets/{}", a.unwrap()), &t.fx.manager_b.token).await.problem(404, "not_found", None);
    // Resolving through B's token leaves A's incident open.
    post_alert(&t, path, &token_b, alertmanager_payload("resolved")).await;
    let detail = t.ticket(a.unwrap(), &t.fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "open");
}

async fn checkmk_and_webhook_alerts_open_and_close_incidents(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let token = integration_token(&t, "org-a").await;
    let form = |fields: &str| Req {
        raw: Some(fields.as_bytes().to_vec()),
        content_type: Some("application/x-www-form-urlencoded"),
        ..Req::default()
    };
    // Notification scripts that cannot set headers send the token as a field.
    let down = format!("token={token}&event_id=881&host=web-01&state=DOWN&text=PING+CRITICAL+-+100%25+loss");
    let opened = t.send(Method::POST, "/api/v1/integrations/checkmk", form(&down)).await.expect(200);
    let (action, number) = result(&opened);
    assert_eq!(action, "opened");
    let ticket = t.ticket(number.unwrap(), &t.fx.admin.token).await["ticket"].clone();
    assert_eq!(ticket["priority"], "critical");
    assert!(ticket["subject"].as_str().unwrap().contains("web-01"), "{ticket}");
    let mut up = form("event_id=882&host=WEB-01&state=UP");
    up.token = Some(&token);
    let (action, same) = result(&t.send(Method::POST, "/api/v1/integrations/checkmk", up).await.expect(200));
    assert_eq!((action.as_str(), same), ("recovered", number));

    let firing = json!({"key": "backup-nocturno", "status": "firing", "severity": "high",
                        "title": "El respaldo nocturno falló", "details": "rsync salió con código 23", "category": "backup_restore"});
    let (action, number) = result(&post_alert(&t, "/api/v1/integrations/webhook", &token, firing).await);
    assert_eq!(action, "opened");
    let ticket = t.ticket(number.unwrap(), &t.fx.admin.token).await["ticket"].clone();
    assert_eq!((ticket["category"].as_str(), ticket["priority"].as_str()), (Some("backup_restore"), Some("high")));
    let resolved = json!({"key": "backup-nocturno", "status": "resolved", "title": "Respaldo correcto"});
    let (action, same) = result(&post_alert(&t, "/api/v1/integrations/webhook", &token, resolved).await);
    assert_eq!((action.as_str(), same), ("recovered", number));
    let ticket = t.ticket(number.unwrap(), &t.fx.admin.token).await["ticket"].clone();
    assert_eq!(ticket["status"], "resolved");
}

async fn bad_alert_payloads_are_refused_naming_the_field_and_change_nothing(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let token = integration_token(&t, "org-a").await;
    let spanish = vec![("accept-language", "es-CO".to_owned())];
    let raw = |body: &str, headers: Vec<(&'static str, String)>| Req {
        token: Some(&token),
        raw: Some(body.as_bytes().to_vec()),
        content_type: Some("application/json"),
        headers,
        ..Req::default()
    };
    let r = t.send(Method::POST, "/api/v1/integrations/alertmanager", raw("{not json", spanish.clone())).await;
    let problem = r.problem(422, "invalid_field", Some("body"));
    assert!(problem["detail"].as_str().unwrap().contains("body"), "{problem}");
    let mut payload = alertmanager_payload("firing");
    payload["alerts"][0]["status"] = json!("pending");
    let r = t.send(Method::POST, "/api/v1/integrations/alertmanager", raw(&payload.to_string(), spanish.clone())).await;
    r.problem(422, "invalid_field", Some("alerts[0].status"));
    let hook = json!({"key": "x", "status": "firing", "title": "t", "category": "billing"});
    let r = t.send(Method::POST, "/api/v1/integrations/webhook", raw(&hook.to_string(), spanish.clone())).await;
    r.problem(422, "invalid_field", Some("alerts[0].category"));
    let r =
        t.send(Method::POST, "/api/v1/integrations/webhook", raw(r#"{"status":"firing","title":"t"}"#, spanish)).await;
    r.problem(422, "invalid_field", Some("key"));
    assert!(monitor_tickets(&t, "org-a").await.is_empty(), "nothing was opened");
}

async fn a_heartbeat_that_stops_opens_a_backup_ticket_and_a_ping_resolves_it(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let body = json!({"organization": "org-a", "name": "Respaldo nocturno", "kind": "heartbeat",
                      "interval_seconds": 3600, "grace_seconds": 0});
    let created = t.post("/api/v1/monitors", &t.fx.admin.token, body).await.expect(201);
    let url = created["heartbeat_url"].as_str().expect("the URL, this once").to_owned();
    let secret_path = url.split_once("/api/v1/").map(|(_, p)| format!("/api/v1/{p}")).unwrap();
    t.send(Method::GET, &secret_path, Req::default()).await.expect(200);
    t.send(Method::POST, &secret_path, Req::default()).await.expect(200);
    t.send(Method::GET, "/api/v1/heartbeat/hb_unknown", Req::default()).await.problem(404, "not_found", None);
    let again = t.get(&format!("/api/v1/monitors/{}", created["id"]), &t.fx.admin.token).await.expect(200);
    assert!(again.get("heartbeat_url").is_none(), "the URL is shown once");

    let prober = Prober::new(ProbeOptions::default()).unwrap();
    let run_at = |offset_seconds: i64| {
        let mut app = t.app.clone();
        app.clock = Arc::new(At(chrono::Utc::now() + chrono::Duration::seconds(offset_seconds)));
        app
    };
    // Within the hour: nothing is late.
    assert!(runner::run_due(&run_at(60), &prober).await.unwrap().is_empty(), "not due yet");
    // An hour and a bit without a ping: the backup did not run.
    let outcomes = runner::run_due(&run_at(3700), &prober).await.unwrap();
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    let number = monitor_tickets(&t, "org-a").await;
    assert_eq!(number.len(), 1);
    let ticket = t.ticket(number[0], &t.fx.admin.token).await["ticket"].clone();
    assert_eq!(ticket["category"], "backup_restore");
    assert_eq!(ticket["coverage"], "covered");
    // The job runs again and checks in: the next look sees it healthy and resolves the ticket.
    t.send(Method::POST, &secret_path, Req::default()).await.expect(200);
    let outcomes = runner::run_due(&run_at(60), &prober).await.unwrap();
    assert_eq!(outcomes.len(), 1, "a ping makes a down heartbeat due at once: {outcomes:?}");
    let ticket = t.ticket(number[0], &t.fx.admin.token).await["ticket"].clone();
    assert_eq!(ticket["status"], "resolved");
    let monitor = t.get(&format!("/api/v1/monitors/{}", created["id"]), &t.fx.admin.token).await.expect(200);
    assert_eq!(monitor["state"], "up");
}

async fn housekeeping_drops_checks_older_than_ninety_days(backend: TestBackend) {
    use alcance_store::repo::monitors::{CheckRow, checks_since, insert_check};
    let t = spawn_app(backend).await;
    let body = json!({"organization": "org-a", "name": "Portal", "kind": "http", "target": "https://a.example.co/"});
    let id = t.post("/api/v1/monitors", &t.fx.admin.token, body).await.expect(201)["id"].as_i64().unwrap();
    let now = chrono::Utc::now();
    let check = move |days: i64| CheckRow {
        checked_at: now - chrono::Duration::days(days),
        ok: true,
        response_ms: Some(120),
        code: "healthy".into(),
    };
    t.app
        .store
        .write(move |c| {
            Box::pin(async move {
                for days in [120, 91, 89, 1] {
                    insert_check(c, id, &check(days)).await?;
                }
                Ok::<_, alcance_store::StoreError>(())
            })
        })
        .await
        .unwrap();
    alcance_app::jobs::prune(&t.app).await.unwrap();
    let since = now - chrono::Duration::days(365);
    let left = t.app.store.read(move |c| Box::pin(async move { checks_since(c, id, since, 100).await })).await.unwrap();
    let ages: Vec<i64> = left.iter().map(|c| (now - c.checked_at).num_days()).collect();
    assert_eq!(ages, vec![89, 1]);
}

/// A site on loopback that answers every request after `delay`.
async fn slow_site(delay: std::time::Duration) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = tcp.read(&mut buf).await;
                tokio::time::sleep(delay).await;
                let body = "en línea";
                let reply =
                    format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
                let _ = tcp.write_all(reply.as_bytes()).await;
            });
        }
    });
    addr
}

async fn a_site_slower_than_its_limit_twice_in_a_row_opens_an_overload_ticket(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let addr = slow_site(std::time::Duration::from_millis(400)).await;
    let body = json!({"organization": "org-a", "name": "Portal lento", "kind": "http", "target": format!("http://{addr}/"),
                      "interval_seconds": 30, "timeout_seconds": 5, "slow_ms": 150, "failures_to_open": 2});
    let id = t.post("/api/v1/monitors", &t.fx.admin.token, body).await.expect(201)["id"].as_i64().unwrap();
    let loopback = ProbeOptions { allowed_networks: vec!["127.0.0.0/8".parse().unwrap()], ..ProbeOptions::default() };
    let prober = Prober::new(loopback).unwrap();
    let run_at = |offset_seconds: i64| {
        let mut app = t.app.clone();
        app.clock = Arc::new(At(chrono::Utc::now() + chrono::Duration::seconds(offset_seconds)));
        app
    };
    runner::run_due(&run_at(0), &prober).await.unwrap();
    assert!(monitor_tickets(&t, "org-a").await.is_empty(), "one slow answer is not an incident");
    let monitor = t.get(&format!("/api/v1/monitors/{id}"), &t.fx.admin.token).await.expect(200);
    assert_eq!(monitor["last_code"], "slow");
    assert!(monitor["last_response_ms"].as_i64().unwrap() >= 400, "{monitor}");
    runner::run_due(&run_at(31), &prober).await.unwrap();
    let opened = monitor_tickets(&t, "org-a").await;
    assert_eq!(opened.len(), 1, "the second slow answer in a row opens it");
    let ticket = t.ticket(opened[0], &t.fx.admin.token).await["ticket"].clone();
    assert_eq!((ticket["category"].as_str(), ticket["priority"].as_str()), (Some("server_alert"), Some("high")));
    assert!(ticket["subject"].as_str().unwrap().contains("lento"), "{ticket}");
}
