//! Errors are RFC 9457 problem+json naming a stable code and the field, in Spanish by
//! default and English on request; bad input never answers 500 and never writes anything.

use alcance_testkit::{TestBackend, on_both_backends};
use reqwest::Method;
use serde_json::json;

use crate::support::{Req, TestApp, spawn_app};

on_both_backends!(
    bad_requests_are_problems_and_write_nothing,
    unknown_fields_are_named,
    only_json_objects_are_bodies,
    problems_speak_the_callers_language,
    unknown_routes_and_methods_are_problems
);

async fn ticket_count(t: &TestApp) -> usize {
    t.ticket_numbers(&t.fx.admin.token, "").await.len()
}

/// POSTs `body` (raw bytes, with an optional content type) to /api/v1/tickets.
async fn post_raw(t: &TestApp, token: &str, content_type: Option<&str>, body: Vec<u8>) -> crate::support::Resp {
    t.send(Method::POST, "/api/v1/tickets", Req { token: Some(token), raw: Some(body), content_type, ..Req::default() })
        .await
}

async fn bad_requests_are_problems_and_write_nothing(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let token = t.fx.requester_a.token.clone();
    let json_ct = Some("application/json");
    let count = ticket_count(&t).await;
    let comments_before = t.ticket(t.fx.ticket_a, &t.fx.admin.token).await["comments"].as_array().unwrap().len();

    // Not JSON at all.
    let r = post_raw(&t, &token, json_ct, b"{\"subject\": \"x\", ".to_vec()).await;
    r.problem(400, "malformed_json", None);
    let r = post_raw(&t, &token, json_ct, b"{\"subject\": \"x\", \"body\": \"y\"} trailing".to_vec()).await;
    r.problem(400, "malformed_json", None);

    // JSON of the wrong shape: 422 naming the field.
    let r = t.post("/api/v1/tickets", &token, json!({"subject": 5, "body": "x"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("subject"))["field_code"], "invalid_type");
    let r = t.post("/api/v1/tickets", &token, json!({"subject": "x", "body": "y", "colour": "red"})).await;
    // The exact field name is checked in `unknown_fields_are_named`.
    assert_eq!((r.status, r.json()["field_code"].as_str()), (422, Some("unknown_field")), "{}", r.text());
    let r = t.post("/api/v1/tickets", &token, json!({"subject": "x"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("body"))["field_code"], "required");
    let r = t.post("/api/v1/tickets", &token, json!({"subject": "x", "body": "y", "priority": "urgent"})).await;
    let problem = r.problem(422, "invalid_field", Some("priority"));
    assert_eq!(problem["field_code"], "unknown_value");
    assert!(problem["detail"].as_str().unwrap().contains("critical"), "the allowed values are listed: {problem}");
    let r =
        t.patch(&format!("/api/v1/tickets/{}", t.fx.ticket_a), &t.fx.agent.token, json!({"priority": "urgent"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("priority"))["field_code"], "unknown_value");
    let r = t.post("/api/v1/tickets", &token, json!(["subject", "body"])).await;
    assert_eq!(r.status, 422, "{}", r.text());

    // Invalid UTF-8 inside a JSON string.
    let r = post_raw(&t, &token, json_ct, b"{\"subject\": \"caf\xc3\x28\", \"body\": \"\xff\xfe\"}".to_vec()).await;
    r.problem(400, "malformed_json", None);

    // Too large (over 1 MiB).
    let mut big = b"{\"subject\": \"x\", \"body\": \"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 1024 * 1024 + 10));
    big.extend(b"\"}");
    post_raw(&t, &token, json_ct, big).await.problem(413, "payload_too_large", None);

    // Content types.
    let valid = json!({"subject": "x", "body": "y"}).to_string().into_bytes();
    post_raw(&t, &token, None, valid.clone()).await.problem(415, "unsupported_media_type", None);
    post_raw(&t, &token, Some("text/plain"), valid.clone()).await.problem(415, "unsupported_media_type", None);
    post_raw(&t, &token, Some("application/x-www-form-urlencoded"), b"subject=x&body=y".to_vec()).await.problem(
        415,
        "unsupported_media_type",
        None,
    );

    // Authentication.
    let anonymous = t
        .send(
            Method::POST,
            "/api/v1/tickets",
            Req { json: Some(json!({"subject": "x", "body": "y"})), ..Req::default() },
        )
        .await;
    anonymous.problem(401, "unauthenticated", None);
    assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));
    for bad in ["alc_0000000000000000000000000000000000000000000000000000000000000000", "not-a-token", ""] {
        t.post("/api/v1/tickets", bad, json!({"subject": "x", "body": "y"})).await.problem(
            401,
            "unauthenticated",
            None,
        );
    }
    let basic = Req {
        json: Some(json!({"subject": "x", "body": "y"})),
        headers: vec![("authorization", "Basic YTpi".into())],
        ..Req::default()
    };
    t.send(Method::POST, "/api/v1/tickets", basic).await.problem(401, "unauthenticated", None);

    // Values the domain refuses.
    let r = t.post("/api/v1/tickets", &token, json!({"subject": "", "body": "y"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("subject"))["field_code"], "required");
    let r = t.post("/api/v1/tickets", &token, json!({"subject": "   ", "body": "y"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("subject"))["field_code"], "required");
    let r = t.post("/api/v1/tickets", &token, json!({"subject": "x".repeat(201), "body": "y"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("subject"))["field_code"], "too_long");
    let r = t.post("/api/v1/tickets", &token, json!({"subject": "a\u{0}b", "body": "y"})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("subject"))["field_code"], "invalid");
    let r = t.post("/api/v1/tickets", &token, json!({"subject": "x", "body": " \n "})).await;
    assert_eq!(r.problem(422, "invalid_field", Some("body"))["field_code"], "required");

    // Bad comments write nothing either.
    let comments = format!("/api/v1/tickets/{}/comments", t.fx.ticket_a);
    t.post(&comments, &token, json!({"body": ""})).await.problem(422, "invalid_field", Some("body"));
    t.post(&comments, &token, json!({"body": "x", "internal": "yes"})).await.problem(
        422,
        "invalid_field",
        Some("internal"),
    );
    post_raw(&t, &token, json_ct, b"{".to_vec()).await.problem(400, "malformed_json", None);

    // Bad paths and queries.
    for path in ["/api/v1/tickets/abc", "/api/v1/tickets/0", "/api/v1/tickets/-4", "/api/v1/attachments/x1"] {
        t.get(path, &token).await.problem(404, "not_found", None);
    }
    let r = t.get("/api/v1/tickets?limit=abc", &token).await;
    r.problem(422, "invalid_field", Some("limit"));

    assert_eq!(ticket_count(&t).await, count, "no bad request wrote a ticket");
    let detail = t.ticket(t.fx.ticket_a, &t.fx.admin.token).await;
    assert_eq!(detail["comments"].as_array().unwrap().len(), comments_before, "no bad request wrote a comment");
    assert_eq!(detail["ticket"]["priority"], "normal");
}

/// An unknown field is named exactly as sent (not with its name repeated).
async fn unknown_fields_are_named(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let count = ticket_count(&t).await;
    let cases = [
        ("/api/v1/tickets", &fx.requester_a, json!({"subject": "x", "body": "y", "colour": "red"}), "colour"),
        ("/api/v1/tickets", &fx.requester_a, json!({"colour": "red", "subject": "x", "body": "y"}), "colour"),
        ("/api/v1/organizations", &fx.admin, json!({"slug": "org-c", "name": "C", "vip": true}), "vip"),
    ];
    for (path, who, body, field) in cases {
        let r = t.post(path, &who.token, body).await;
        assert_eq!(r.problem(422, "invalid_field", Some(field))["field_code"], "unknown_field", "{path}");
        assert!(r.json()["detail"].as_str().unwrap().contains(&format!("«{field}»")), "{}", r.text());
    }
    let r = t.patch(&format!("/api/v1/tickets/{}", fx.ticket_a), &fx.agent.token, json!({"estado": "open"})).await;
    r.problem(422, "invalid_field", Some("estado"));
    assert_eq!(ticket_count(&t).await, count);
    assert_eq!(t.get("/api/v1/organizations", &fx.admin.token).await.expect(200).as_array().unwrap().len(), 2);
}

/// A body must be a JSON object: an array must not fill the fields by position.
async fn only_json_objects_are_bodies(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let token = t.fx.requester_a.token.as_str();
    let count = ticket_count(&t).await;
    for body in [json!(null), json!("x"), json!(7), json!(["Asunto", "Cuerpo", null, null, null, null])] {
        let r = t.post("/api/v1/tickets", token, body.clone()).await;
        assert!(matches!(r.status, 400 | 422), "{body}: {} {}", r.status, r.text());
        assert_eq!(r.header("content-type"), Some("application/problem+json"), "{body}");
    }
    assert_eq!(ticket_count(&t).await, count, "no ticket was opened from a non-object body");
}

async fn problems_speak_the_callers_language(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let token = t.fx.requester_a.token.as_str();
    let body = json!({"subject": "", "body": "y"});
    let ask = |lang: Option<&'static str>| Req {
        token: Some(token),
        json: Some(body.clone()),
        headers: lang.map(|l| vec![("accept-language", l.to_owned())]).unwrap_or_default(),
        ..Req::default()
    };

    let es = t.send(Method::POST, "/api/v1/tickets", ask(None)).await;
    let problem = es.problem(422, "invalid_field", Some("subject"));
    assert_eq!(problem["title"], "Un dato no es válido");
    assert_eq!(problem["detail"], "El campo «subject» es obligatorio.");
    assert_eq!(es.header("content-language"), Some("es"));

    let en = t.send(Method::POST, "/api/v1/tickets", ask(Some("en"))).await;
    let problem = en.problem(422, "invalid_field", Some("subject"));
    assert_eq!(problem["title"], "A value is not valid");
    assert_eq!(problem["detail"], "The field \"subject\" is required.");
    assert_eq!(en.header("content-language"), Some("en"));

    let preferred = t.send(Method::POST, "/api/v1/tickets", ask(Some("en-US,en;q=0.9,es;q=0.5"))).await;
    assert_eq!(preferred.problem(422, "invalid_field", Some("subject"))["title"], "A value is not valid");
    let other = t.send(Method::POST, "/api/v1/tickets", ask(Some("de-DE"))).await;
    assert_eq!(other.problem(422, "invalid_field", Some("subject"))["title"], "Un dato no es válido");

    // Other problems are translated too; the code stays the same.
    let anonymous = |lang: &'static str| Req { headers: vec![("accept-language", lang.to_owned())], ..Req::default() };
    let r = t.send(Method::GET, "/api/v1/tickets", anonymous("es")).await;
    assert_eq!(r.problem(401, "unauthenticated", None)["title"], "Debe iniciar sesión");
    let r = t.send(Method::GET, "/api/v1/tickets", anonymous("en")).await;
    assert_eq!(r.problem(401, "unauthenticated", None)["title"], "Sign-in required");
    let r = t
        .send(Method::GET, &format!("/api/v1/tickets/{}", t.fx.ticket_b), Req { token: Some(token), ..anonymous("en") })
        .await;
    assert_eq!(r.problem(404, "not_found", None)["title"], "Not found");
}

async fn unknown_routes_and_methods_are_problems(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let token = t.fx.admin.token.as_str();
    t.get("/api/v1/nothing-here", token).await.problem(404, "not_found", None);
    let r = t.send(Method::DELETE, "/api/v1/tickets", Req { token: Some(token), ..Req::default() }).await;
    r.problem(405, "method_not_allowed", None);
    let r = t
        .send(
            Method::PUT,
            &format!("/api/v1/tickets/{}", t.fx.ticket_a),
            Req { token: Some(token), json: Some(json!({})), ..Req::default() },
        )
        .await;
    r.problem(405, "method_not_allowed", None);

    // Every answer carries the security headers.
    let r = t.get("/api/v1/tickets", token).await;
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let health = t.client.get(t.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let ready = t.client.get(t.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
}
