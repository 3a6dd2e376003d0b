//! Server monitors end to end: a real `alcance serve` checks real servers the test starts
//! on loopback. Stopping a site opens exactly one covered ticket and starting it again
//! resolves it; a certificate that expires in ten days opens a server_security_config
//! ticket that says so.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use alcance_testkit::{TestBackend, TestDb, on_both_backends};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::support::{Server, admin_token, free_port};

/// A web site on a fixed loopback port that can be stopped and started again.
struct Site {
    task: Option<JoinHandle<()>>,
}

impl Site {
    async fn start(addr: SocketAddr, tls: Option<TlsAcceptor>) -> Site {
        let socket = TcpSocket::new_v4().unwrap();
        // The port was just in use by the stopped site.
        socket.set_reuseaddr(true).unwrap();
        socket.bind(addr).unwrap();
        let listener: TcpListener = socket.listen(64).unwrap();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(tcp).await {
                                answer(stream).await;
                            }
                        }
                        None => answer(tcp).await,
                    }
                });
            }
        });
        Site { task: Some(task) }
    }

    /// Stops listening: new connections are refused.
    fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn answer<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut stream: S) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let body = "Portal de trámites: sistema en línea";
    let reply = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn start_server(db: &TestDb, extra: &[&str]) -> Server {
    let mut args = vec!["--monitor-allow-network", "127.0.0.0/8", "--monitor-min-interval-seconds", "1"];
    args.extend_from_slice(extra);
    Server::start_with(db, free_port(), &args).await
}

struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn post(&self, path: &str, body: Value) -> Value {
        let r =
            self.client.post(format!("{}{path}", self.base)).bearer_auth(&self.token).json(&body).send().await.unwrap();
        let status = r.status();
        let out: Value = r.json().await.unwrap();
        assert!(status.is_success(), "POST {path}: {status} {out}");
        out
    }

    async fn get(&self, path: &str) -> Value {
        let r = self.client.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    /// Polls `path` until `done` holds (monitors check every second).
    async fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(45);
        loop {
            let value = self.get(path).await;
            if done(&value) {
                return value;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}: {value}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    async fn tickets(&self) -> Vec<Value> {
        self.get("/api/v1/tickets?organization=camara-armenia").await["items"].as_array().unwrap().clone()
    }
}

async fn setup(db: &TestDb, extra: &[&str]) -> (Server, Api) {
    let token = admin_token(db);
    let server = start_server(db, extra).await;
    let api = Api { client: reqwest::Client::new(), base: server.base.clone(), token };
    api.post("/api/v1/organizations", json!({"slug": "camara-armenia", "name": "Cámara de Comercio de Armenia"})).await;
    (server, api)
}

on_both_backends!(
    a_site_that_goes_down_opens_one_ticket_and_coming_back_resolves_it,
    a_certificate_expiring_soon_opens_a_security_ticket_with_the_days_left,
    two_servers_check_each_monitor_once_per_interval
);

async fn a_site_that_goes_down_opens_one_ticket_and_coming_back_resolves_it(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let (_server, api) = setup(&db, &[]).await;
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let mut site = Site::start(addr, None).await;
    let monitor = api
        .post(
            "/api/v1/monitors",
            json!({"organization": "camara-armenia", "name": "Portal de trámites", "kind": "http",
                   "target": format!("http://{addr}/"), "keyword": "en línea", "interval_seconds": 1,
                   "timeout_seconds": 1, "failures_to_open": 2, "successes_to_close": 2}),
        )
        .await;
    let path = format!("/api/v1/monitors/{}", monitor["id"]);
    api.wait_for(&path, "the monitor to see the site up", |m| m["state"] == "up").await;
    assert!(api.tickets().await.is_empty(), "a healthy site opens nothing");

    site.stop();
    let down = api.wait_for(&path, "the monitor to see the site down", |m| m["state"] == "down").await;
    let number = down["open_ticket_number"].as_i64().expect("the incident's ticket");
    // Further failures add to the same incident: still one ticket after several more checks.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let tickets = api.tickets().await;
    assert_eq!(tickets.len(), 1, "exactly one ticket: {tickets:?}");
    let ticket = api.get(&format!("/api/v1/tickets/{number}")).await["ticket"].clone();
    assert_eq!(ticket["channel"], "monitor");
    assert_eq!(ticket["category"], "server_availability");
    assert_eq!(ticket["coverage"], "covered");
    assert_eq!(ticket["priority"], "critical");
    assert_eq!(ticket["status"], "open");

    let mut site = Site::start(addr, None).await;
    api.wait_for(&path, "the monitor to see the site back", |m| m["state"] == "up").await;
    let detail = api
        .wait_for(&format!("/api/v1/tickets/{number}"), "the ticket to be resolved", |t| {
            t["ticket"]["status"] == "resolved"
        })
        .await;
    assert_eq!(detail["ticket"]["number"], number);
    assert_eq!(api.tickets().await.len(), 1, "recovery opens nothing new");
    let kinds: Vec<&str> = detail["events"].as_array().unwrap().iter().filter_map(|e| e["kind"].as_str()).collect();
    assert!(kinds.contains(&"monitor_alert") && kinds.contains(&"monitor_recovered"), "{kinds:?}");
    site.stop();
}

fn test_ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "Alcance Test CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A TLS acceptor for "localhost" whose certificate, signed by `ca`, expires in `days` days
/// (and some hours, so the whole-day count is exactly `days`).
fn acceptor_expiring_in(ca: &CertifiedIssuer<'static, KeyPair>, days: i64) -> TlsAcceptor {
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, "localhost");
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(30);
    params.not_after = now + time::Duration::days(days) + time::Duration::hours(6);
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, ca).unwrap();
    let key: PrivateKeyDer<'static> = PrivatePkcs8KeyDer::from(key.serialize_der()).into();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .unwrap();
    TlsAcceptor::from(Arc::new(config))
}

async fn a_certificate_expiring_soon_opens_a_security_ticket_with_the_days_left(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let ca = test_ca();
    let ca_file = std::env::temp_dir().join(format!("alcance-test-ca-{}-{}.pem", std::process::id(), free_port()));
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let (_server, api) = setup(&db, &["--monitor-ca-file", ca_file.to_str().unwrap()]).await;
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let _site = Site::start(addr, Some(acceptor_expiring_in(&ca, 10))).await;
    let monitor = api
        .post(
            "/api/v1/monitors",
            json!({"organization": "camara-armenia", "name": "Certificado del portal", "kind": "tls",
                   "target": format!("localhost:{}", addr.port()), "interval_seconds": 1, "timeout_seconds": 1}),
        )
        .await;
    let path = format!("/api/v1/monitors/{}", monitor["id"]);
    let seen = api.wait_for(&path, "the certificate's incident", |m| m["open_ticket_number"].is_i64()).await;
    assert_eq!(seen["certificate_days_left"], 10);
    assert_eq!(seen["last_code"], "certificate_expiring");
    let ticket = api.get(&format!("/api/v1/tickets/{}", seen["open_ticket_number"])).await["ticket"].clone();
    assert_eq!(ticket["category"], "server_security_config");
    assert_eq!(ticket["coverage"], "covered");
    assert_eq!(ticket["priority"], "normal", "ten days left: the 14-day threshold");
    let subject = ticket["subject"].as_str().unwrap();
    assert!(subject.contains("10 días"), "the subject says the days left: {subject}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(api.tickets().await.len(), 1, "one ticket while the certificate stays the same");
    let _ = std::fs::remove_file(ca_file);
}

async fn two_servers_check_each_monitor_once_per_interval(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let (_first, api) = setup(&db, &[]).await;
    let _second = start_server(&db, &[]).await;
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let _site = Site::start(addr, None).await;
    let monitor = api
        .post(
            "/api/v1/monitors",
            json!({"organization": "camara-armenia", "name": "Portal", "kind": "http",
                   "target": format!("http://{addr}/"), "interval_seconds": 2, "timeout_seconds": 1}),
        )
        .await;
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(9)).await;
    let elapsed = started.elapsed().as_secs_f64();
    let store = alcance_store::Store::open(&db.config).await.unwrap();
    let id = monitor["id"].as_i64().unwrap();
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let (good, total) = store
        .read(move |c| Box::pin(async move { alcance_store::repo::monitors::uptime_counts(c, id, since).await }))
        .await
        .unwrap();
    store.close().await;
    // One check when created, then one every 2 s: about 5 in 9 s; two servers checking on
    // their own would make about 10.
    let most = (elapsed / 2.0).floor() as i64 + 2;
    assert!((3..=most).contains(&total), "{total} checks in {elapsed:.1} s (at most {most})");
    assert_eq!(good, total, "the site was up throughout");
}
