//! Real servers on 127.0.0.1 for the probe tests: a tiny HTTP/1.1 responder (plain or TLS) whose
//! answer per request is chosen by the test, and certificates made with rcgen.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alcance_probe::{HttpMethod, HttpProbe, IpNet, ProbeOptions, Prober};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// What the test server does with one request.
pub enum Reply {
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
        delay: Duration,
    },
    /// Reads the request and never answers.
    Silent,
    /// Answers with bytes that are not HTTP.
    Garbage,
}

impl Reply {
    pub fn status(status: u16, body: &str) -> Reply {
        Reply::Answer { status, headers: Vec::new(), body: body.as_bytes().to_vec(), delay: Duration::ZERO }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Answer {
            status,
            headers: vec![("Location", location.to_owned())],
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }
}

/// A request as the server saw it: the request line and header lines.
#[derive(Debug, Clone)]
pub struct Seen {
    pub line: String,
    pub head: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }
}

pub struct Server {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// Connections accepted, including those that sent no request (the guard test needs this).
    pub connections: Arc<Mutex<usize>>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        *self.connections.lock().unwrap()
    }
}

type Route = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

/// Serves plain HTTP; `route` gets the request target (path and query).
pub async fn serve(route: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
    serve_with(None, Arc::new(route)).await
}

/// Serves HTTPS with `acceptor`.
pub async fn serve_tls(acceptor: TlsAcceptor, route: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
    serve_with(Some(acceptor), Arc::new(route)).await
}

async fn serve_with(acceptor: Option<TlsAcceptor>, route: Route) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = Server { addr: listener.local_addr().unwrap(), seen: Arc::default(), connections: Arc::default() };
    let (seen, connections) = (server.seen.clone(), server.connections.clone());
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            *connections.lock().unwrap() += 1;
            let (route, seen, acceptor) = (route.clone(), seen.clone(), acceptor.clone());
            tokio::spawn(async move {
                match acceptor {
                    Some(acceptor) => {
                        // A client that rejects the certificate ends here; that is its business.
                        if let Ok(tls) = acceptor.accept(tcp).await {
                            answer(tls, &route, &seen).await;
                        }
                    }
                    None => answer(tcp, &route, &seen).await,
                }
            });
        }
    });
    server
}

async fn answer<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, route: &Route, seen: &Mutex<Vec<Seen>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let line = head.lines().next().unwrap_or_default().to_owned();
    let target = line.split(' ').nth(1).unwrap_or("/").to_owned();
    seen.lock().unwrap().push(Seen { line, head: head.clone() });
    match route(&target) {
        Reply::Silent => {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Reply::Garbage => {
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
        }
        Reply::Answer { status, headers, body, delay } => {
            tokio::time::sleep(delay).await;
            let mut out =
                format!("HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            let _ = stream.write_all(out.as_bytes()).await;
            if !head.starts_with("HEAD ") {
                let _ = stream.write_all(&body).await;
            }
            let _ = stream.shutdown().await;
        }
    }
}

/// A port on 127.0.0.1 where nothing listens.
pub async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// The loopback networks the tests allow ("localhost" may resolve to ::1 as well).
pub fn loopback() -> Vec<IpNet> {
    vec!["127.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()]
}

pub fn prober_with(options: ProbeOptions) -> Prober {
    Prober::new(options).unwrap()
}

/// A prober that may reach loopback, as every test server is there.
pub fn prober() -> Prober {
    prober_with(ProbeOptions { allowed_networks: loopback(), ..ProbeOptions::default() })
}

/// A GET expecting 200, with a generous timeout.
pub fn get(url: String) -> HttpProbe {
    HttpProbe { url, method: HttpMethod::Get, expected_status: 200, keyword: None, timeout: Duration::from_secs(5) }
}
