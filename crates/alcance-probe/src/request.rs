//! One HTTP/1.1 exchange on a connection the guard approved: connect, TLS for https, send the
//! request, and read the body up to the limit.

use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::task::JoinHandle;
use tokio_rustls::TlsConnector;
use url::{Host, Position, Url};

use crate::Inner;
use crate::connect::{Target, connect_checked};
use crate::failure::HttpFailure;
use crate::http::HttpMethod;
use crate::tls::{describe_tls_error, server_name};

/// What is known so far, kept outside the probe's future so that a timeout does not lose it.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) status: Option<u16>,
    pub(crate) body_bytes: u64,
    pub(crate) truncated: bool,
    pub(crate) redirects: u32,
}

/// A response and the task driving its connection; dropping it closes the connection.
pub(crate) struct Answer {
    pub(crate) response: Response<Incoming>,
    _connection: AbortOnDrop,
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Sends one request to `url`, with its userinfo as Basic credentials when `credentials`.
pub(crate) async fn send(
    inner: &Inner,
    url: &Url,
    method: HttpMethod,
    credentials: bool,
) -> Result<Answer, HttpFailure> {
    let target = match url.host() {
        Some(Host::Domain(name)) => Target::Name(name),
        Some(Host::Ipv4(ip)) => Target::Ip(ip.into()),
        Some(Host::Ipv6(ip)) => Target::Ip(ip.into()),
        None => return Err(HttpFailure::InvalidUrl("no host".into())),
    };
    let port = url.port_or_known_default().ok_or_else(|| HttpFailure::InvalidUrl("no port".into()))?;
    let host = url.host_str().unwrap_or_default();
    let request = build_request(inner, url, method, credentials)?;
    let tcp = connect_checked(host, target, port, &inner.options.allowed_networks).await?;
    if url.scheme() == "https" {
        let name = server_name(target).map_err(HttpFailure::InvalidUrl)?;
        let tls = TlsConnector::from(inner.tls.strict.clone())
            .connect(name, tcp)
            .await
            .map_err(|e| HttpFailure::Tls(describe_tls_error(&e)))?;
        exchange(tls, request).await
    } else {
        exchange(tcp, request).await
    }
}

fn build_request(
    inner: &Inner,
    url: &Url,
    method: HttpMethod,
    credentials: bool,
) -> Result<Request<Empty<Bytes>>, HttpFailure> {
    let method = match method {
        HttpMethod::Get => hyper::Method::GET,
        HttpMethod::Head => hyper::Method::HEAD,
        HttpMethod::Post => hyper::Method::POST,
    };
    let is_post = method == hyper::Method::POST;
    let path = &url[Position::BeforePath..Position::AfterQuery];
    let mut builder = Request::builder()
        .method(method)
        .uri(if path.is_empty() { "/" } else { path })
        .header(header::HOST, &url[Position::BeforeHost..Position::AfterPort])
        .header(header::USER_AGENT, inner.user_agent.clone())
        .header(header::ACCEPT, "*/*")
        .header(header::CONNECTION, "close");
    if is_post {
        builder = builder.header(header::CONTENT_LENGTH, "0");
    }
    if credentials && (!url.username().is_empty() || url.password().is_some()) {
        builder = builder.header(header::AUTHORIZATION, basic_auth(url)?);
    }
    builder.body(Empty::new()).map_err(|e| HttpFailure::InvalidUrl(e.to_string()))
}

fn basic_auth(url: &Url) -> Result<HeaderValue, HttpFailure> {
    let decode = |text: &str| percent_encoding::percent_decode_str(text).collect::<Vec<u8>>();
    let mut pair = decode(url.username());
    pair.push(b':');
    pair.extend(decode(url.password().unwrap_or_default()));
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    HeaderValue::from_str(&format!("Basic {encoded}")).map_err(|_| HttpFailure::InvalidUrl("credentials".into()))
}

async fn exchange<S>(io: S, request: Request<Empty<Bytes>>) -> Result<Answer, HttpFailure>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| HttpFailure::Other(describe_hyper_error(&e)))?;
    let driver = AbortOnDrop(tokio::spawn(async move {
        // The connection's own error also reaches the request or the body, where it is reported.
        let _ = connection.await;
    }));
    sender.ready().await.map_err(|e| HttpFailure::Other(describe_hyper_error(&e)))?;
    let response = sender.send_request(request).await.map_err(|e| HttpFailure::Other(describe_hyper_error(&e)))?;
    Ok(Answer { response, _connection: driver })
}

/// Streams the body, keeping (if `keep`) at most `max` bytes and stopping there.
pub(crate) async fn read_body(
    answer: Answer,
    max: usize,
    keep: bool,
    report: &mut Report,
) -> Result<Vec<u8>, HttpFailure> {
    let Answer { response, _connection } = answer;
    let mut body = response.into_body();
    let mut kept = Vec::new();
    let mut read = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| HttpFailure::Other(describe_hyper_error(&e)))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let room = max - read;
        let take = data.len().min(room);
        if keep {
            kept.extend_from_slice(&data[..take]);
        }
        read += take;
        report.body_bytes = u64::try_from(read).unwrap_or(u64::MAX);
        if data.len() > room {
            report.truncated = true;
            break;
        }
    }
    Ok(kept)
}

fn describe_hyper_error(error: &hyper::Error) -> String {
    if error.is_incomplete_message() {
        return "the server closed the connection before answering completely".to_owned();
    }
    if error.is_parse() {
        return format!("the answer is not valid HTTP: {error}");
    }
    // hyper's own text is generic ("error reading a body from connection"); the cause says more.
    match std::error::Error::source(error) {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}
