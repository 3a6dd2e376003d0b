//! Opening a session: TCP with a timeout, TLS (implicit or STARTTLS) verified against the
//! webpki roots plus the operator's CA, the greeting, LOGIN.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_imap::imap_proto::{Response, Status};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::{ImapSecurity, ImapSettings, PollError};

/// A logged-in session; every byte of it went through TLS.
pub(super) type Session = async_imap::Session<TlsStream<TcpStream>>;

/// `fut`, or a timeout error after `limit`.
pub(super) async fn within<T, E: std::fmt::Display>(
    limit: Duration,
    fut: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(limit, fut).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(tidy(e.to_string())),
        Err(_) => Err(format!("no answer within {} s", limit.as_secs())),
    }
}

/// async-imap words a NO or BAD answer as Rust debug text (`no response: code: None, info:
/// Some("…")`): keeps the server's own words, which are what an operator can act on.
fn tidy(text: String) -> String {
    let (kind, rest) = match (text.strip_prefix("no response: "), text.strip_prefix("bad response: ")) {
        (Some(rest), _) => ("NO", rest),
        (_, Some(rest)) => ("BAD", rest),
        _ => return text,
    };
    match rest.split_once("Some(\"").and_then(|(_, said)| said.rsplit_once("\")")) {
        Some((said, _)) => format!("the server answered {kind}: {said}"),
        None => text,
    }
}

/// The client's TLS settings: ring passed explicitly (so no process-wide default provider
/// matters), the webpki roots and `extra_roots_pem`.
pub(super) fn tls_config(extra_roots_pem: &[String]) -> Result<Arc<ClientConfig>, PollError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for (index, pem) in extra_roots_pem.iter().enumerate() {
        let mut found = 0;
        for der in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let bad = |e: String| PollError::Setup(format!("extra CA #{}: {e}", index + 1));
            roots.add(der.map_err(|e| bad(format!("not valid PEM: {e}")))?).map_err(|e| bad(e.to_string()))?;
            found += 1;
        }
        if found == 0 {
            return Err(PollError::Setup(format!("extra CA #{}: no CERTIFICATE block in the PEM text", index + 1)));
        }
    }
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| PollError::Setup(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Connects, secures the connection and logs in.
pub(super) async fn open(settings: &ImapSettings, tls: Arc<ClientConfig>) -> Result<Session, PollError> {
    let server = settings.server();
    let limit = settings.timeout;
    let name = ServerName::try_from(settings.host.clone())
        .map_err(|_| PollError::Setup(format!("`{}` is not a host name TLS can check", settings.host)))?;
    let tcp = within(limit, TcpStream::connect((settings.host.as_str(), settings.port)))
        .await
        .map_err(|e| PollError::Connect(format!("cannot reach the IMAP server {server}: {e}")))?;
    let tcp = match settings.security {
        ImapSecurity::Tls => tcp,
        ImapSecurity::StartTls => {
            let mut plain = async_imap::Client::new(tcp);
            greeting(&mut plain, limit, &server).await?;
            within(limit, plain.run_command_and_check_ok("STARTTLS", None))
                .await
                .map_err(|e| PollError::Tls(format!("{server} refused STARTTLS: {e}")))?;
            // Nothing was read past the tagged OK: the server speaks TLS next.
            plain.into_inner()
        }
    };
    let stream = within(limit, TlsConnector::from(tls).connect(name, tcp))
        .await
        .map_err(|e| PollError::Tls(format!("TLS with the IMAP server {server} failed: {e}")))?;
    let mut client = async_imap::Client::new(stream);
    if settings.security == ImapSecurity::Tls {
        // After STARTTLS there is no second greeting.
        greeting(&mut client, limit, &server).await?;
    }
    match tokio::time::timeout(limit, client.login(&settings.username, &settings.password)).await {
        Ok(Ok(session)) => Ok(session),
        Ok(Err((e @ async_imap::error::Error::No(_), _))) => Err(PollError::Login(format!(
            "the IMAP server {server} refused the login of `{}` (check the user and password): {}",
            settings.username,
            tidy(e.to_string())
        ))),
        Ok(Err((e, _))) => {
            Err(PollError::Connect(format!("the IMAP server {server} failed during LOGIN: {}", tidy(e.to_string()))))
        }
        Err(_) => Err(PollError::Connect(format!("the IMAP server {server} did not answer LOGIN in time"))),
    }
}

/// Reads the server's first line; a server that greets with BYE (busy, shutting down) is down.
async fn greeting<T>(client: &mut async_imap::Client<T>, limit: Duration, server: &str) -> Result<(), PollError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let down = |e: String| PollError::Connect(format!("the IMAP server {server} did not greet: {e}"));
    let first = within(limit, client.read_response()).await.map_err(down)?;
    match first.as_ref().map(|r| r.parsed()) {
        Some(Response::Data { status: Status::Ok, .. }) => Ok(()),
        Some(Response::Data { status: Status::Bye, outcome, .. }) => {
            Err(down(format!("it said BYE: {}", outcome.information.as_deref().unwrap_or(""))))
        }
        Some(other) => Err(down(format!("unexpected greeting {other:?}"))),
        None => Err(down("it closed the connection".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_servers_words_of_a_refusal() {
        let no = r#"no response: code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#;
        assert_eq!(super::tidy(no.into()), "the server answered NO: [AUTHENTICATIONFAILED] Authentication failed.");
        let bad =
            r#"bad response: outcome: ResponseOutcome { code: None, information: Some("Error in IMAP command") }"#;
        assert_eq!(super::tidy(bad.into()), "the server answered BAD: Error in IMAP command");
        assert_eq!(super::tidy("connection lost".into()), "connection lost");
    }
}
