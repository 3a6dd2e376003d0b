//! The OpenAPI document is generated from the handlers and served as JSON.

use alcance_testkit::{TestBackend, on_both_backends};
use reqwest::Method;

use crate::support::{Req, spawn_app};

on_both_backends!(openapi_document_describes_the_api);

async fn openapi_document_describes_the_api(backend: TestBackend) {
    let t = spawn_app(backend).await;
    // Public: no token needed.
    let r = t.send(Method::GET, "/api/v1/openapi.json", Req::default()).await;
    let doc = r.expect(200);
    assert!(r.header("content-type").unwrap_or_default().starts_with("application/json"));
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "Alcance API");
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/api/v1/tickets", &["get", "post"][..]),
        ("/api/v1/tickets/{number}", &["get", "patch"]),
        ("/api/v1/tickets/{number}/comments", &["post"]),
        ("/api/v1/tickets/{number}/attachments", &["post"]),
        ("/api/v1/attachments/{id}", &["get"]),
        ("/api/v1/organizations", &["get", "post"]),
        ("/api/v1/organizations/{slug}", &["get"]),
        ("/api/v1/users", &["get", "post"]),
        ("/api/v1/users/{id}", &["get"]),
        ("/api/v1/contracts", &["get", "post"]),
        ("/api/v1/contracts/{id}", &["get"]),
        ("/api/v1/assets", &["get", "post"]),
        ("/api/v1/assets/{id}", &["get"]),
        ("/api/v1/policies/{id}", &["get"]),
        ("/api/v1/session", &["post", "delete"]),
        ("/api/v1/me", &["get"]),
        ("/api/v1/tokens", &["post"]),
    ];
    for (path, methods) in expected {
        let item =
            paths.get(path).unwrap_or_else(|| panic!("{path} missing from {:?}", paths.keys().collect::<Vec<_>>()));
        for method in methods {
            assert!(item.get(*method).is_some(), "{method} {path} missing");
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object(), "{}", doc["components"]["securitySchemes"]);
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    // Status values are documented as the closed set they are.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    assert!(schemas.contains_key("TicketOut"), "{:?}", schemas.keys().collect::<Vec<_>>());
    assert!(schemas.contains_key("ProblemBody"));
    let text = doc.to_string();
    assert!(text.contains("waiting_on_client") && text.contains("not_covered"), "enums are listed");
}
