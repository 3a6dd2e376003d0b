//! Browser sessions: sign in, the cookie, CSRF on changes, sign out.

use alcance_testkit::{TestBackend, on_both_backends};
use reqwest::Method;
use serde_json::json;

use crate::support::{Req, Resp, TestApp, spawn_app};

on_both_backends!(session_sign_in_csrf_and_sign_out, repeated_failures_are_throttled);

const PASSWORD: &str = "una clave larga y segura";

fn with_cookie<'a>(cookie: &str, csrf: Option<&str>) -> Req<'a> {
    let mut headers = vec![("cookie", cookie.to_owned())];
    if let Some(token) = csrf {
        headers.push(("x-csrf-token", token.to_owned()));
    }
    Req { headers, ..Req::default() }
}

async fn sign_in(t: &TestApp, email: &str, password: &str) -> Resp {
    let body = json!({"email": email, "password": password});
    t.send(Method::POST, "/api/v1/session", Req { json: Some(body), ..Req::default() }).await
}

async fn session_sign_in_csrf_and_sign_out(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    alcance_app::directory::set_password(&t.app, fx.requester_a.email(), PASSWORD).await.unwrap();

    // Wrong password, unknown user, and a user without a password: the same answer.
    for (email, password) in [
        (fx.requester_a.email(), "otra clave cualquiera"),
        ("nadie@a.co", PASSWORD),
        (fx.requester_a2.email(), PASSWORD),
    ] {
        let r = sign_in(&t, email, password).await;
        r.problem(401, "bad_credentials", None);
        assert!(r.header("set-cookie").is_none(), "no cookie on failure");
    }

    let r = sign_in(&t, &fx.requester_a.email().to_uppercase(), PASSWORD).await;
    let session = r.expect(200);
    let set_cookie = r.header("set-cookie").unwrap_or_default().to_owned();
    assert!(set_cookie.starts_with("alcance_session="), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
    let csrf = session["csrf_token"].as_str().unwrap().to_owned();
    assert!(csrf.len() >= 32, "{session}");
    assert_eq!(session["user"]["id"], fx.requester_a.id());
    assert!(session["expires_at"].is_string());
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert!(cookie.len() > "alcance_session=".len() + 32, "{cookie}");
    assert!(!set_cookie.contains(&csrf), "the CSRF token is not the cookie");

    // Reading with the cookie works without the CSRF header.
    let me = t.send(Method::GET, "/api/v1/me", with_cookie(&cookie, None)).await.expect(200);
    assert_eq!(me["email"], fx.requester_a.email());
    assert_eq!(me["role"], "requester");
    assert_eq!(me["organization_id"], fx.org_a.id);
    let list = t.send(Method::GET, "/api/v1/tickets", with_cookie(&cookie, None)).await.expect(200);
    assert_eq!(crate::support::numbers(&list), [fx.ticket_a]);

    // Changes need the CSRF token as well.
    let count = t.ticket_numbers(&fx.admin.token, "").await.len();
    let open = |csrf: Option<&str>| Req {
        json: Some(json!({"subject": "Desde el portal", "body": "x"})),
        ..with_cookie(&cookie, csrf)
    };
    t.send(Method::POST, "/api/v1/tickets", open(None)).await.problem(403, "csrf_failed", None);
    t.send(Method::POST, "/api/v1/tickets", open(Some("otro-token"))).await.problem(403, "csrf_failed", None);
    t.send(Method::POST, "/api/v1/tickets", open(Some(""))).await.problem(403, "csrf_failed", None);
    assert_eq!(t.ticket_numbers(&fx.admin.token, "").await.len(), count, "refused requests wrote nothing");
    let created = t.send(Method::POST, "/api/v1/tickets", open(Some(&csrf))).await.expect(201);
    assert_eq!(created["channel"], "portal");
    assert_eq!(created["requester_id"], fx.requester_a.id());
    let comment = Req { json: Some(json!({"body": "hola"})), ..with_cookie(&cookie, None) };
    let path = format!("/api/v1/tickets/{}/comments", fx.ticket_a);
    t.send(Method::POST, &path, comment).await.problem(403, "csrf_failed", None);

    // A bearer token still works beside it, and a forged cookie does not.
    t.get("/api/v1/me", &fx.requester_a.token).await.expect(200);
    let forged = t.send(Method::GET, "/api/v1/me", with_cookie("alcance_session=s_0000", None)).await;
    forged.problem(401, "unauthenticated", None);

    // Signing out needs the CSRF token too, then the cookie is dead.
    t.send(Method::DELETE, "/api/v1/session", with_cookie(&cookie, None)).await.problem(403, "csrf_failed", None);
    t.send(Method::GET, "/api/v1/me", with_cookie(&cookie, None)).await.expect(200);
    let out = t.send(Method::DELETE, "/api/v1/session", with_cookie(&cookie, Some(&csrf))).await;
    assert_eq!(out.status, 204, "{}", out.text());
    let cleared = out.header("set-cookie").unwrap_or_default();
    assert!(cleared.starts_with("alcance_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    let after = t.send(Method::GET, "/api/v1/me", with_cookie(&cookie, None)).await;
    after.problem(401, "unauthenticated", None);
    let r = t.send(Method::POST, "/api/v1/tickets", open(Some(&csrf))).await;
    r.problem(401, "unauthenticated", None);

    // Signing in again gives a new session.
    let again = sign_in(&t, fx.requester_a.email(), PASSWORD).await;
    again.expect(200);
    let new_cookie = again.header("set-cookie").unwrap_or_default().split(';').next().unwrap().to_owned();
    assert_ne!(new_cookie, cookie);
    t.send(Method::GET, "/api/v1/me", with_cookie(&new_cookie, None)).await.expect(200);
}

/// Five failures for one e-mail within the window: the sixth attempt is refused even with
/// the right password, and other accounts are unaffected.
async fn repeated_failures_are_throttled(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    alcance_app::directory::set_password(&t.app, fx.requester_a.email(), PASSWORD).await.unwrap();
    alcance_app::directory::set_password(&t.app, fx.manager_a.email(), PASSWORD).await.unwrap();
    for _ in 0..alcance_app::account::MAX_FAILED_SIGN_INS {
        sign_in(&t, fx.requester_a.email(), "no es la clave correcta").await.problem(401, "bad_credentials", None);
    }
    let r = sign_in(&t, fx.requester_a.email(), PASSWORD).await;
    r.problem(429, "too_many_attempts", None);
    assert!(r.header("set-cookie").is_none());
    let other = sign_in(&t, fx.manager_a.email(), PASSWORD).await;
    assert_eq!(other.status, 200, "{}", other.text());
}
