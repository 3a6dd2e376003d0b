//! Authorization matrix: every endpoint x role x own/foreign resource. Contacts get 404
//! for anything outside their scope (never 403, never 200); only admins create directory
//! records; staff see everything; anonymous callers get 401 everywhere.

use alcance_testkit::{TestBackend, on_both_backends};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Fixtures, Req, TestApp, spawn_app};

on_both_backends!(authorization_matrix);

const ROLES: [&str; 5] = ["admin", "agent", "manager_a", "requester_a", "anonymous"];

/// Expected statuses, in the order of [`ROLES`].
type Expect = [u16; 5];
const EVERYONE: Expect = [200, 200, 200, 200, 401];
const EVERYONE_CREATES: Expect = [201, 201, 201, 201, 401];
/// Another organisation's resource: hidden from contacts.
const FOREIGN: Expect = [200, 200, 404, 404, 401];
const FOREIGN_CREATE: Expect = [201, 201, 404, 404, 401];
/// Another requester's ticket in the same organisation: the manager sees it.
const SIBLING: Expect = [200, 200, 200, 404, 401];
const SIBLING_CREATE: Expect = [201, 201, 201, 404, 401];
const ADMIN_CREATES: Expect = [201, 403, 403, 403, 401];
/// Staff-only fields on a ticket the contact can see.
const STAFF_CHANGES: Expect = [200, 200, 403, 403, 401];
const NOBODY: Expect = [404, 404, 404, 404, 401];

enum Body {
    None,
    Json(Value),
    File,
}

struct Row {
    method: Method,
    path: String,
    body: Body,
    note: &'static str,
    expect: Expect,
}

fn row(method: Method, path: impl Into<String>, body: Body, note: &'static str, expect: Expect) -> Row {
    Row { method, path: path.into(), body, note, expect }
}

fn rows(fx: &Fixtures, default_policy: i64) -> Vec<Row> {
    use Body::{File, Json, None};
    let (ta, ta2, tb) = (fx.ticket_a, fx.ticket_a2, fx.ticket_b);
    let ticket = |n: i64| format!("/api/v1/tickets/{n}");
    let new_ticket = json!({"subject": "Matriz", "body": "x", "organization": "org-a"});
    vec![
        row(Method::GET, "/api/v1/tickets", None, "list", EVERYONE),
        row(Method::GET, "/api/v1/tickets?organization=org-a", None, "list, own org", EVERYONE),
        row(Method::GET, "/api/v1/tickets?organization=org-b", None, "list, foreign org", FOREIGN),
        row(Method::POST, "/api/v1/tickets", Json(new_ticket), "open in own org", EVERYONE_CREATES),
        row(
            Method::POST,
            "/api/v1/tickets",
            Json(json!({"subject": "x", "body": "x", "organization": "org-b"})),
            "open in foreign org",
            FOREIGN_CREATE,
        ),
        row(Method::GET, ticket(ta), None, "own ticket", EVERYONE),
        row(Method::GET, ticket(ta2), None, "sibling's ticket", SIBLING),
        row(Method::GET, ticket(tb), None, "foreign ticket", FOREIGN),
        row(Method::GET, ticket(999_999), None, "missing ticket", NOBODY),
        row(Method::PATCH, ticket(ta), Json(json!({"priority": "high"})), "priority, own ticket", STAFF_CHANGES),
        row(
            Method::PATCH,
            ticket(ta),
            Json(json!({"assignee_id": fx.agent.id()})),
            "assignee, own ticket",
            STAFF_CHANGES,
        ),
        row(Method::PATCH, ticket(ta), Json(json!({"category": "bug_fix"})), "category, own ticket", STAFF_CHANGES),
        row(
            Method::PATCH,
            ticket(ta2),
            Json(json!({"priority": "low"})),
            "priority, sibling's ticket",
            [200, 200, 403, 404, 401],
        ),
        row(Method::PATCH, ticket(tb), Json(json!({"priority": "low"})), "priority, foreign ticket", FOREIGN),
        row(
            Method::POST,
            format!("{}/comments", ticket(ta)),
            Json(json!({"body": "hola"})),
            "comment, own ticket",
            EVERYONE_CREATES,
        ),
        row(
            Method::POST,
            format!("{}/comments", ticket(ta2)),
            Json(json!({"body": "hola"})),
            "comment, sibling's ticket",
            SIBLING_CREATE,
        ),
        row(
            Method::POST,
            format!("{}/comments", ticket(tb)),
            Json(json!({"body": "hola"})),
            "comment, foreign ticket",
            FOREIGN_CREATE,
        ),
        row(
            Method::POST,
            format!("{}/attachments?filename=m.txt", ticket(ta)),
            File,
            "attach, own ticket",
            EVERYONE_CREATES,
        ),
        row(
            Method::POST,
            format!("{}/attachments?filename=m.txt", ticket(ta2)),
            File,
            "attach, sibling's ticket",
            SIBLING_CREATE,
        ),
        row(
            Method::POST,
            format!("{}/attachments?filename=m.txt", ticket(tb)),
            File,
            "attach, foreign ticket",
            FOREIGN_CREATE,
        ),
        row(Method::GET, format!("/api/v1/attachments/{}", fx.attachment_a), None, "own attachment", EVERYONE),
        row(Method::GET, format!("/api/v1/attachments/{}", fx.attachment_a2), None, "sibling's attachment", SIBLING),
        row(Method::GET, format!("/api/v1/attachments/{}", fx.attachment_b), None, "foreign attachment", FOREIGN),
        row(Method::GET, "/api/v1/organizations", None, "list", EVERYONE),
        row(
            Method::POST,
            "/api/v1/organizations",
            Json(json!({"slug": "org-nueva", "name": "Nueva"})),
            "create",
            ADMIN_CREATES,
        ),
        row(Method::GET, "/api/v1/organizations/org-a", None, "own org", EVERYONE),
        row(Method::GET, "/api/v1/organizations/org-b", None, "foreign org", FOREIGN),
        row(Method::GET, "/api/v1/users", None, "list", EVERYONE),
        row(Method::GET, "/api/v1/users?organization=org-b", None, "list, foreign org", FOREIGN),
        row(
            Method::POST,
            "/api/v1/users",
            Json(json!({"email": "nuevo@a.co", "name": "Nuevo", "role": "requester", "organization": "org-a"})),
            "create",
            ADMIN_CREATES,
        ),
        row(
            Method::GET,
            format!("/api/v1/users/{}", fx.requester_a.id()),
            None,
            "requester_a (self for the requester)",
            EVERYONE,
        ),
        row(Method::GET, format!("/api/v1/users/{}", fx.requester_a2.id()), None, "a user of the same org", SIBLING),
        row(Method::GET, format!("/api/v1/users/{}", fx.requester_b.id()), None, "foreign user", FOREIGN),
        row(Method::GET, format!("/api/v1/users/{}", fx.agent.id()), None, "staff user", FOREIGN),
        row(Method::GET, "/api/v1/contracts", None, "list", EVERYONE),
        row(Method::GET, "/api/v1/contracts?organization=org-b", None, "list, foreign org", FOREIGN),
        row(
            Method::POST,
            "/api/v1/contracts",
            Json(json!({"organization": "org-a", "name": "Otro", "starts_on": "2026-02-01", "hourly_rate_minor": 1})),
            "create",
            ADMIN_CREATES,
        ),
        row(Method::GET, format!("/api/v1/contracts/{}", fx.contract_a.id), None, "own contract", EVERYONE),
        row(Method::GET, format!("/api/v1/contracts/{}", fx.contract_b.id), None, "foreign contract", FOREIGN),
        row(Method::GET, "/api/v1/assets", None, "list", EVERYONE),
        row(Method::GET, "/api/v1/assets?organization=org-b", None, "list, foreign org", FOREIGN),
        row(
            Method::POST,
            "/api/v1/assets",
            Json(json!({"organization": "org-a", "kind": "server", "name": "VPS"})),
            "create",
            ADMIN_CREATES,
        ),
        row(Method::GET, format!("/api/v1/assets/{}", fx.asset_a.id), None, "own asset", EVERYONE),
        row(Method::GET, format!("/api/v1/assets/{}", fx.asset_b.id), None, "foreign asset", FOREIGN),
        row(Method::GET, format!("/api/v1/policies/{default_policy}"), None, "the contracts' policy", EVERYONE),
        row(Method::GET, "/api/v1/policies/999999", None, "missing policy", NOBODY),
        row(Method::POST, "/api/v1/tokens", Json(json!({"label": "mío"})), "own token", EVERYONE_CREATES),
        row(
            Method::POST,
            "/api/v1/tokens",
            Json(json!({"label": "ajeno", "user": fx.requester_b.email()})),
            "token for someone else",
            ADMIN_CREATES,
        ),
        row(Method::GET, "/api/v1/me", None, "who am I", EVERYONE),
    ]
}

fn token_of(fx: &Fixtures, role: usize) -> Option<&str> {
    match role {
        0 => Some(&fx.admin.token),
        1 => Some(&fx.agent.token),
        2 => Some(&fx.manager_a.token),
        3 => Some(&fx.requester_a.token),
        _ => None,
    }
}

async fn call(t: &TestApp, row: &Row, token: Option<&str>) -> crate::support::Resp {
    let req = match &row.body {
        Body::None => Req { token, ..Req::default() },
        Body::Json(v) => Req { token, json: Some(v.clone()), ..Req::default() },
        Body::File => Req {
            token,
            raw: Some(vec![0, 1, 2, 0xff]),
            content_type: Some("application/octet-stream"),
            ..Req::default()
        },
    };
    t.send(row.method.clone(), &row.path, req).await
}

async fn authorization_matrix(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    assert_eq!(fx.contract_a.policy_id, t.app.policies.default_id());
    let missing_ticket = t.get("/api/v1/tickets/999999", &fx.requester_a.token).await.json();
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in rows(fx, fx.contract_a.policy_id) {
        for (role, name) in ROLES.iter().enumerate() {
            let r = call(&t, &row, token_of(fx, role)).await;
            checked += 1;
            let label = format!("{:<6} {:<48} as {:<11} ({})", row.method.as_str(), row.path, name, row.note);
            let want = row.expect[role];
            if r.status != want {
                failures.push(format!("{label}: expected {want}, got {} {}", r.status, r.text()));
                continue;
            }
            if want >= 400 {
                let is_problem = r.header("content-type") == Some("application/problem+json");
                let code =
                    if is_problem { r.json()["code"].as_str().unwrap_or_default().to_owned() } else { String::new() };
                let expected_code = match want {
                    401 => "unauthenticated",
                    403 => "forbidden",
                    404 => "not_found",
                    _ => "",
                };
                if code != expected_code {
                    failures.push(format!("{label}: expected problem code {expected_code}, got {:?}", r.text()));
                }
                // A hidden resource must be indistinguishable from a missing one.
                if want == 404
                    && role == 3
                    && row.method == Method::GET
                    && row.path.starts_with("/api/v1/tickets/")
                    && r.json() != missing_ticket
                {
                    failures.push(format!("{label}: 404 body differs from a missing ticket's: {}", r.text()));
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} calls");
    assert!(failures.is_empty(), "{} of {checked} calls answered wrongly:\n{}", failures.len(), failures.join("\n"));
}
