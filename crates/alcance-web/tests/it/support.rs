//! `spawn_app`: the real server on port 0 over a fresh database, with fixtures made
//! through the use cases, and a small HTTP client that keeps every answer for asserts.

use alcance_app::auth;
use alcance_app::directory::{self, NewAsset, NewContract, NewOrganization, NewUser};
use alcance_app::tickets::{self, NewUpload, OpenTicket};
use alcance_app::{Actor, App, Settings};
use alcance_domain::Role;
use alcance_domain::model::{Asset, AssetKind, Contract, Organization, User};
use alcance_domain::ticket::Channel;
use alcance_testkit::{TestBackend, TestDb};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::Value;

/// The attachment limit the test server runs with.
pub const MAX_ATTACHMENT: usize = 64 * 1024;

/// A user of the fixtures and their API token.
pub struct Person {
    pub user: User,
    pub token: String,
}

impl Person {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    pub fn email(&self) -> &str {
        &self.user.email
    }

    pub fn actor(&self) -> Actor {
        Actor { user: self.user.clone() }
    }
}

pub struct Fixtures {
    pub org_a: Organization,
    pub org_b: Organization,
    pub contract_a: Contract,
    pub contract_b: Contract,
    pub asset_a: Asset,
    pub asset_b: Asset,
    pub admin: Person,
    pub agent: Person,
    pub manager_a: Person,
    pub requester_a: Person,
    pub requester_a2: Person,
    pub manager_b: Person,
    pub requester_b: Person,
    /// Ticket numbers: opened by requester_a, requester_a2 and requester_b.
    pub ticket_a: i64,
    pub ticket_a2: i64,
    pub ticket_b: i64,
    /// Attachment ids on those tickets (public ones).
    pub attachment_a: i64,
    pub attachment_a2: i64,
    pub attachment_b: i64,
}

pub struct TestApp {
    pub base: String,
    pub app: App,
    pub client: reqwest::Client,
    pub fx: Fixtures,
    // Last: the database outlives everything that uses it.
    pub db: TestDb,
}

/// One HTTP answer, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and returns the JSON body (Null when empty).
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text());
        if self.bytes.is_empty() { Value::Null } else { self.json() }
    }

    /// Asserts a 200 and returns the raw body.
    #[track_caller]
    pub fn expect_bytes(&self) -> &[u8] {
        assert_eq!(self.status, 200, "unexpected status; body: {}", self.text());
        &self.bytes
    }

    /// Asserts an RFC 9457 problem with this status, code and (optionally) field.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str, field: Option<&str>) -> Value {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text());
        let content_type = self.header("content-type").unwrap_or_default();
        assert_eq!(content_type, "application/problem+json", "problem content type; body: {}", self.text());
        let body = self.json();
        assert_eq!(body["type"], format!("/problems/{code}"), "type in {body}");
        assert_eq!(body["code"], code, "code in {body}");
        assert_eq!(body["status"], status, "status in {body}");
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "title in {body}");
        assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()), "detail in {body}");
        match field {
            Some(name) => assert_eq!(body["field"], name, "field in {body}"),
            None => assert!(body.get("field").is_none(), "no field expected in {body}"),
        }
        body
    }
}

/// Extra things a request may carry.
#[derive(Default, Clone)]
pub struct Req<'a> {
    pub token: Option<&'a str>,
    pub json: Option<Value>,
    /// A raw body, sent with `content_type` (or none).
    pub raw: Option<Vec<u8>>,
    pub content_type: Option<&'a str>,
    pub headers: Vec<(&'a str, String)>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, method: Method, path: &str, req: Req<'_>) -> Resp {
        let mut builder = self.client.request(method.clone(), self.url(path));
        if let Some(token) = req.token {
            builder = builder.bearer_auth(token);
        }
        if let Some(json) = &req.json {
            builder = builder.header(CONTENT_TYPE, "application/json").body(json.to_string());
        }
        if let Some(raw) = req.raw {
            builder = builder.body(raw);
        }
        if let Some(ct) = req.content_type {
            builder = builder.header(CONTENT_TYPE, ct);
        }
        for (name, value) in req.headers {
            builder = builder.header(name, HeaderValue::from_str(&value).unwrap());
        }
        let response = builder.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_else(|e| panic!("{method} {path}: body: {e}")).to_vec();
        assert_ne!(status, 500, "{method} {path} answered 500: {}", String::from_utf8_lossy(&bytes));
        Resp { status, headers, bytes }
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.send(Method::GET, path, Req { token: Some(token), ..Req::default() }).await
    }

    pub async fn post(&self, path: &str, token: &str, json: Value) -> Resp {
        self.send(Method::POST, path, Req { token: Some(token), json: Some(json), ..Req::default() }).await
    }

    pub async fn patch(&self, path: &str, token: &str, json: Value) -> Resp {
        self.send(Method::PATCH, path, Req { token: Some(token), json: Some(json), ..Req::default() }).await
    }

    /// Uploads `bytes` as an attachment of ticket `number`.
    pub async fn upload(&self, number: i64, token: &str, query: &str, content_type: &str, bytes: Vec<u8>) -> Resp {
        let path = format!("/api/v1/tickets/{number}/attachments?{query}");
        self.send(
            Method::POST,
            &path,
            Req { token: Some(token), raw: Some(bytes), content_type: Some(content_type), ..Req::default() },
        )
        .await
    }

    /// A ticket's detail (ticket, comments, attachments, events) as `token` sees it.
    pub async fn ticket(&self, number: i64, token: &str) -> Value {
        self.get(&format!("/api/v1/tickets/{number}"), token).await.expect(200)
    }

    /// Opens a ticket in `org` as staff and returns its number.
    pub async fn open_as_staff(&self, token: &str, org: &str, subject: &str, extra: Value) -> i64 {
        let mut body = serde_json::json!({"subject": subject, "body": "Descripción", "organization": org});
        if let Value::Object(more) = extra {
            body.as_object_mut().unwrap().extend(more);
        }
        self.post("/api/v1/tickets", token, body).await.expect(201)["number"].as_i64().unwrap()
    }

    /// The numbers of every ticket `token` can list (one page of up to 100).
    pub async fn ticket_numbers(&self, token: &str, query: &str) -> Vec<i64> {
        let page = self.get(&format!("/api/v1/tickets?limit=100&{query}"), token).await.expect(200);
        numbers(&page)
    }
}

/// The numbers of a ticket page's items, in order.
pub fn numbers(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect()
}

/// The `kind`s of a ticket detail's events, in order.
pub fn event_kinds(detail: &Value) -> Vec<String> {
    detail["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect()
}

async fn person(app: &App, email: &str, name: &str, role: Role, org: Option<&str>) -> Person {
    let input = NewUser {
        email: email.into(),
        name: name.into(),
        role,
        organization: org.map(Into::into),
        password: None,
        language: None,
    };
    let user = directory::create_user_unchecked(app, input).await.unwrap();
    let token = auth::issue_token(app, email, "pruebas").await.unwrap();
    Person { user, token }
}

async fn org_with_contract(app: &App, admin: &Actor, slug: &str, name: &str) -> (Organization, Contract, Asset) {
    let org =
        directory::create_org(app, admin, NewOrganization { slug: slug.into(), name: name.into(), time_zone: None })
            .await
            .unwrap();
    let contract = NewContract {
        organization: slug.into(),
        name: format!("Soporte {name}"),
        starts_on: "2026-01-01".into(),
        ends_on: None,
        hourly_rate_minor: 150_000,
        currency: None,
        tax_rate_basis_points: None,
        allow_overdraft: false,
        time_zone: None,
        policy_id: None,
    };
    let contract = directory::create_contract(app, admin, contract).await.unwrap();
    let asset = NewAsset {
        organization: slug.into(),
        kind: AssetKind::Software,
        name: format!("Portal {name}"),
        url: None,
        description: None,
    };
    let asset = directory::create_asset(app, admin, asset).await.unwrap();
    (org, contract, asset)
}

async fn open_ticket(app: &App, who: &Person, subject: &str) -> i64 {
    let input = OpenTicket {
        subject: subject.into(),
        body: "Detalle del caso".into(),
        organization: None,
        requester: None,
        asset_id: None,
        priority: None,
    };
    tickets::open(app, &who.actor(), input, Channel::Api).await.unwrap().number
}

async fn attach(app: &App, who: &Person, number: i64, name: &str) -> i64 {
    let upload = NewUpload {
        file_name: name.into(),
        content_type: "text/plain".into(),
        internal: false,
        content: b"registro".to_vec(),
    };
    tickets::attach(app, &who.actor(), number, upload).await.unwrap().id
}

pub async fn spawn_app(backend: TestBackend) -> TestApp {
    let db = TestDb::new(backend).await;
    let settings = Settings { max_attachment_bytes: MAX_ATTACHMENT, ..Default::default() };
    let app = App::start(&db.config, settings, alcance_app::policies::DEFAULT_POLICY).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(alcance_web::serve(listener, app.clone(), std::future::pending()));

    let admin = person(&app, "admin@agencia.co", "Admin", Role::Admin, None).await;
    let agent = person(&app, "agente@agencia.co", "Agente", Role::Agent, None).await;
    let (org_a, contract_a, asset_a) = org_with_contract(&app, &admin.actor(), "org-a", "Cámara A").await;
    let (org_b, contract_b, asset_b) = org_with_contract(&app, &admin.actor(), "org-b", "Cámara B").await;
    let manager_a = person(&app, "gerente@a.co", "Gerente A", Role::Manager, Some("org-a")).await;
    let requester_a = person(&app, "ana@a.co", "Ana", Role::Requester, Some("org-a")).await;
    let requester_a2 = person(&app, "andres@a.co", "Andrés", Role::Requester, Some("org-a")).await;
    let manager_b = person(&app, "gerente@b.co", "Gerente B", Role::Manager, Some("org-b")).await;
    let requester_b = person(&app, "beto@b.co", "Beto", Role::Requester, Some("org-b")).await;

    let ticket_a = open_ticket(&app, &requester_a, "No carga el portal").await;
    let ticket_a2 = open_ticket(&app, &requester_a2, "Error al exportar").await;
    let ticket_b = open_ticket(&app, &requester_b, "Certificado vencido").await;
    let attachment_a = attach(&app, &requester_a, ticket_a, "a.txt").await;
    let attachment_a2 = attach(&app, &requester_a2, ticket_a2, "a2.txt").await;
    let attachment_b = attach(&app, &requester_b, ticket_b, "b.txt").await;

    let fx = Fixtures {
        org_a,
        org_b,
        contract_a,
        contract_b,
        asset_a,
        asset_b,
        admin,
        agent,
        manager_a,
        requester_a,
        requester_a2,
        manager_b,
        requester_b,
        ticket_a,
        ticket_a2,
        ticket_b,
        attachment_a,
        attachment_a2,
        attachment_b,
    };
    TestApp { base, app, client: reqwest::Client::new(), fx, db }
}

/// A clock that says what the test wants.
pub struct At(pub chrono::DateTime<chrono::Utc>);

impl alcance_app::clock::Clock for At {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0
    }
}
