//! API tokens through the API: listing (an admin every token, anyone else their own),
//! revoking (an admin any, anyone else their own), and when a use is recorded.

use std::sync::Arc;

use alcance_app::{App, auth};
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::Value;

use crate::support::{At, Req, Resp, TestApp, spawn_app};

on_both_backends!(
    tokens_are_listed_by_who_may_see_them,
    tokens_are_revoked_by_an_admin_or_their_owner,
    token_use_is_recorded_at_most_once_a_minute,
    token_routes_are_in_the_openapi_document,
);

async fn delete(t: &TestApp, path: &str, token: &str) -> Resp {
    t.send(Method::DELETE, path, Req { token: Some(token), ..Req::default() }).await
}

/// The ids of a token list, in order.
fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

/// A new token for `email`, and its id (the newest of the list).
async fn new_token(t: &TestApp, email: &str, label: &str) -> (String, i64) {
    let token = auth::issue_token(&t.app, email, label).await.unwrap();
    let newest = auth::list_tokens(&t.app, &t.fx.admin.actor()).await.unwrap().remove(0);
    assert_eq!(newest.label, label);
    (token, newest.id)
}

async fn tokens_are_listed_by_who_may_see_them(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let (_, second_of_ana) = new_token(&t, fx.requester_a.email(), "segundo").await;

    let all = t.get("/api/v1/tokens", &fx.admin.token).await.expect(200);
    assert_eq!(all.as_array().unwrap().len(), 8, "the seven fixtures and the new one: {all}");
    assert_eq!(ids(&all)[0], second_of_ana, "newest first");
    let first = &all[0];
    assert_eq!(first["user_id"], fx.requester_a.id());
    assert_eq!(first["label"], "segundo");
    assert!(first["created_at"].is_string());
    assert!(first["last_used_at"].is_null() && first["revoked_at"].is_null(), "{first}");
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 6, "{keys:?}");
    assert!(!all.to_string().contains("alc_") && !all.to_string().contains("hash"), "no secret, no digest");

    // Anyone else sees only their own, staff included.
    let own = t.get("/api/v1/tokens", &fx.requester_a.token).await.expect(200);
    assert_eq!(own.as_array().unwrap().len(), 2, "{own}");
    assert!(own.as_array().unwrap().iter().all(|tok| tok["user_id"] == fx.requester_a.id()));
    assert_eq!(ids(&own)[0], second_of_ana);
    // The listing request itself used the caller's token.
    assert!(own[1]["last_used_at"].is_string(), "{own}");
    for who in [&fx.agent, &fx.manager_b] {
        let own = t.get("/api/v1/tokens", &who.token).await.expect(200);
        assert_eq!(own.as_array().unwrap().len(), 1, "{own}");
        assert_eq!(own[0]["user_id"], who.id());
    }
    t.send(Method::GET, "/api/v1/tokens", Req::default()).await.problem(401, "unauthenticated", None);
}

async fn tokens_are_revoked_by_an_admin_or_their_owner(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let admin_list = t.get("/api/v1/tokens", &fx.admin.token).await.expect(200);
    let id_of = |user: i64| {
        admin_list.as_array().unwrap().iter().find(|tok| tok["user_id"] == user).unwrap()["id"].as_i64().unwrap()
    };
    let (ana, beto, admin) = (id_of(fx.requester_a.id()), id_of(fx.requester_b.id()), id_of(fx.admin.id()));

    // Someone else's token is not found for a non-admin, whatever their role.
    for who in [&fx.requester_a2, &fx.manager_a, &fx.agent] {
        delete(&t, &format!("/api/v1/tokens/{ana}"), &who.token).await.problem(404, "not_found", None);
        delete(&t, &format!("/api/v1/tokens/{admin}"), &who.token).await.problem(404, "not_found", None);
    }
    assert_eq!(t.get("/api/v1/me", &fx.requester_a.token).await.status, 200, "untouched");
    for path in ["/api/v1/tokens/999999", "/api/v1/tokens/abc", "/api/v1/tokens/0"] {
        delete(&t, path, &fx.admin.token).await.problem(404, "not_found", None);
    }
    let r = t.send(Method::DELETE, &format!("/api/v1/tokens/{ana}"), Req::default()).await;
    r.problem(401, "unauthenticated", None);

    // An owner revokes one of their own tokens; the other keeps working.
    let (spare, spare_id) = new_token(&t, fx.requester_a.email(), "repuesto").await;
    assert_eq!(t.get("/api/v1/me", &spare).await.status, 200);
    delete(&t, &format!("/api/v1/tokens/{spare_id}"), &fx.requester_a.token).await.expect(204);
    t.get("/api/v1/me", &spare).await.problem(401, "unauthenticated", None);
    assert_eq!(t.get("/api/v1/me", &fx.requester_a.token).await.status, 200);
    let own = t.get("/api/v1/tokens", &fx.requester_a.token).await.expect(200);
    assert!(own[0]["revoked_at"].is_string() && own[1]["revoked_at"].is_null(), "{own}");
    // Revoking it again succeeds and keeps the first revocation time.
    let revoked_at = own[0]["revoked_at"].clone();
    delete(&t, &format!("/api/v1/tokens/{spare_id}"), &fx.requester_a.token).await.expect(204);
    assert_eq!(t.get("/api/v1/tokens", &fx.requester_a.token).await.expect(200)[0]["revoked_at"], revoked_at);

    // An admin revokes anyone's.
    delete(&t, &format!("/api/v1/tokens/{beto}"), &fx.admin.token).await.expect(204);
    t.get("/api/v1/me", &fx.requester_b.token).await.problem(401, "unauthenticated", None);
    assert_eq!(t.get("/api/v1/me", &fx.manager_b.token).await.status, 200, "only that token");

    // A token may revoke itself; the next request is refused.
    delete(&t, &format!("/api/v1/tokens/{ana}"), &fx.requester_a.token).await.expect(204);
    t.get("/api/v1/me", &fx.requester_a.token).await.problem(401, "unauthenticated", None);
}

fn app_at(app: &App, at: DateTime<Utc>) -> App {
    App { clock: Arc::new(At(at)), ..app.clone() }
}

async fn last_used(t: &TestApp, id: i64) -> Option<DateTime<Utc>> {
    let tokens = auth::list_tokens(&t.app, &t.fx.admin.actor()).await.unwrap();
    tokens.into_iter().find(|tok| tok.id == id).unwrap().last_used_at
}

async fn token_use_is_recorded_at_most_once_a_minute(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let (token, id) = new_token(&t, t.fx.agent.email(), "monitor").await;
    assert_eq!(last_used(&t, id).await, None);
    let start = DateTime::from_timestamp_millis(Utc::now().timestamp_millis()).unwrap() + Duration::hours(1);

    let actor = auth::actor_for_token(&app_at(&t.app, start), &token).await.unwrap();
    assert_eq!(actor.user.id, t.fx.agent.id());
    assert_eq!(last_used(&t, id).await, Some(start), "the first use");
    auth::actor_for_token(&app_at(&t.app, start + Duration::seconds(59)), &token).await.unwrap();
    assert_eq!(last_used(&t, id).await, Some(start), "within the minute: no write");
    let later = start + Duration::seconds(60);
    auth::actor_for_token(&app_at(&t.app, later), &token).await.unwrap();
    assert_eq!(last_used(&t, id).await, Some(later), "a minute later: recorded again");

    // A refused token records nothing.
    auth::revoke_token(&t.app, &t.fx.admin.actor(), id).await.unwrap();
    let much_later = later + Duration::hours(1);
    assert!(auth::actor_for_token(&app_at(&t.app, much_later), &token).await.is_err());
    assert_eq!(last_used(&t, id).await, Some(later));
    assert!(auth::actor_for_token(&t.app, "alc_desconocido").await.is_err());
}

async fn token_routes_are_in_the_openapi_document(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let doc = t.send(Method::GET, "/api/v1/openapi.json", Req::default()).await.expect(200);
    let tokens = &doc["paths"]["/api/v1/tokens"];
    assert!(tokens["get"].is_object() && tokens["post"].is_object(), "{tokens}");
    let one = &doc["paths"]["/api/v1/tokens/{id}"];
    assert!(one["delete"].is_object(), "{one}");
    assert!(one["delete"]["responses"]["204"].is_object(), "{one}");
    let schema = &doc["components"]["schemas"]["ApiTokenOut"]["properties"];
    for field in ["id", "user_id", "label", "created_at", "last_used_at", "revoked_at"] {
        assert!(schema[field].is_object(), "{field} in {schema}");
    }
    assert!(!schema.to_string().contains("hash"));
}
