//! TLS probes (and HTTPS) against tokio-rustls servers on 127.0.0.1 with rcgen certificates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use alcance_probe::{
    Certificate, CertificateProblem, HttpFailure, HttpMethod, HttpProbe, ProbeOptions, ProbeSetupError, Prober,
    TlsFailure, TlsProbe,
};
use chrono::{DateTime, Utc};
use common::{Reply, Server, loopback, prober_with, serve, serve_tls};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;
use tokio::io::AsyncWriteExt;
use tokio_rustls::TlsAcceptor;

const DAY: time::Duration = time::Duration::days(1);

fn test_ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "Alcance Test CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

struct Leaf {
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    not_after: OffsetDateTime,
}

/// A server certificate for `name`, valid in [now + from, now + until], signed by `ca` or by itself.
fn leaf(
    name: &str,
    from: time::Duration,
    until: time::Duration,
    ca: Option<&CertifiedIssuer<'static, KeyPair>>,
) -> Leaf {
    let mut params = CertificateParams::new(vec![name.to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    let now = OffsetDateTime::now_utc();
    params.not_before = now + from;
    params.not_after = now + until;
    let key = KeyPair::generate().unwrap();
    let cert = match ca {
        Some(ca) => params.signed_by(&key, ca).unwrap(),
        None => params.self_signed(&key).unwrap(),
    };
    Leaf {
        cert: cert.der().clone(),
        key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        not_after: params.not_after,
    }
}

async fn https_server(leaf: &Leaf) -> Server {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.cert.clone()], leaf.key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    serve_tls(acceptor, |_| Reply::status(200, "portal ciudadano")).await
}

fn trusting(ca: &CertifiedIssuer<'static, KeyPair>) -> Prober {
    prober_with(ProbeOptions {
        allowed_networks: loopback(),
        extra_roots_pem: vec![ca.pem()],
        ..ProbeOptions::default()
    })
}

fn tls_probe(server: &Server) -> TlsProbe {
    TlsProbe { host: "localhost".into(), port: server.addr.port(), timeout: Duration::from_secs(5) }
}

async fn certificate(prober: &Prober, server: &Server) -> Certificate {
    let outcome = prober.tls(&tls_probe(server)).await;
    assert!(outcome.elapsed_ms < 2000, "{}", outcome.elapsed_ms);
    outcome.result.unwrap()
}

fn seconds(date: OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(date.unix_timestamp(), 0).unwrap()
}

#[tokio::test]
async fn a_valid_certificate_is_described_without_problems() {
    let ca = test_ca();
    let leaf = leaf("localhost", -DAY, DAY * 90, Some(&ca));
    let server = https_server(&leaf).await;
    let cert = certificate(&trusting(&ca), &server).await;
    assert!(cert.ok(), "{:?}", cert.problems);
    assert_eq!(cert.not_after, seconds(leaf.not_after));
    assert!(cert.not_before < Utc::now());
    assert_eq!(cert.subject, "CN=localhost");
    assert_eq!(cert.issuer, "CN=Alcance Test CA");
    assert_eq!(cert.subject_alt_names, vec!["localhost".to_owned()]);
}

#[tokio::test]
async fn a_certificate_expiring_in_ten_days_says_when() {
    let ca = test_ca();
    let server = https_server(&leaf("localhost", -DAY * 80, DAY * 10, Some(&ca))).await;
    let cert = certificate(&trusting(&ca), &server).await;
    assert!(cert.ok(), "{:?}", cert.problems);
    let left = cert.not_after - Utc::now();
    assert!((239..=240).contains(&left.num_hours()), "{left}");
}

#[tokio::test]
async fn expired_and_not_yet_valid_certificates_are_reported() {
    let ca = test_ca();
    let prober = trusting(&ca);
    let server = https_server(&leaf("localhost", -DAY * 90, -DAY, Some(&ca))).await;
    let cert = certificate(&prober, &server).await;
    assert_eq!(cert.problems, vec![CertificateProblem::Expired]);
    assert!(cert.not_after < Utc::now());
    assert_eq!(cert.problems[0].code(), "expired");

    let server = https_server(&leaf("localhost", DAY, DAY * 90, Some(&ca))).await;
    let cert = certificate(&prober, &server).await;
    assert_eq!(cert.problems, vec![CertificateProblem::NotYetValid]);
}

#[tokio::test]
async fn a_certificate_for_another_host_is_a_hostname_mismatch() {
    let ca = test_ca();
    let server = https_server(&leaf("other.example", -DAY, DAY * 90, Some(&ca))).await;
    let cert = certificate(&trusting(&ca), &server).await;
    assert_eq!(cert.problems, vec![CertificateProblem::HostnameMismatch]);
    assert_eq!(cert.problems[0].code(), "hostname_mismatch");
    assert_eq!(cert.subject_alt_names, vec!["other.example".to_owned()]);
}

#[tokio::test]
async fn a_self_signed_certificate_is_an_untrusted_chain() {
    let ca = test_ca();
    let server = https_server(&leaf("localhost", -DAY, DAY * 90, None)).await;
    let cert = certificate(&trusting(&ca), &server).await;
    assert_eq!(cert.problems, vec![CertificateProblem::UntrustedChain]);
    assert_eq!(cert.subject, cert.issuer);
}

#[tokio::test]
async fn every_problem_of_a_bad_certificate_is_listed() {
    let server = https_server(&leaf("other.example", -DAY * 90, -DAY, None)).await;
    let cert = certificate(&common::prober(), &server).await;
    for problem in
        [CertificateProblem::Expired, CertificateProblem::HostnameMismatch, CertificateProblem::UntrustedChain]
    {
        assert!(cert.problems.contains(&problem), "{:?}", cert.problems);
    }
    assert_eq!(cert.problems.len(), 3, "{:?}", cert.problems);
}

#[tokio::test]
async fn https_probes_verify_strictly() {
    let ca = test_ca();
    let prober = trusting(&ca);
    let good = https_server(&leaf("localhost", -DAY, DAY * 90, Some(&ca))).await;
    let expired = https_server(&leaf("localhost", -DAY * 90, -DAY, Some(&ca))).await;
    let probe = |server: &Server| HttpProbe {
        url: format!("https://localhost:{}/", server.addr.port()),
        method: HttpMethod::Get,
        expected_status: 200,
        keyword: Some("ciudadano".into()),
        timeout: Duration::from_secs(5),
    };
    let outcome = prober.http(&probe(&good)).await;
    assert!(outcome.ok(), "{outcome:?}");
    let outcome = prober.http(&probe(&expired)).await;
    match outcome.failure {
        Some(HttpFailure::Tls(why)) => assert!(why.contains("expired"), "{why}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    // Without the agency's CA, the good server is untrusted too.
    let outcome = common::prober().http(&probe(&good)).await;
    assert_eq!(outcome.failure.unwrap().code(), "tls");
}

#[tokio::test]
async fn a_server_that_does_not_speak_tls_fails_the_handshake() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let _ = tcp.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let outcome =
        common::prober().tls(&TlsProbe { host: "127.0.0.1".into(), port, timeout: Duration::from_secs(5) }).await;
    let failure = outcome.result.unwrap_err();
    assert!(matches!(failure, TlsFailure::Handshake(_)), "{failure:?}");
    assert_eq!(failure.code(), "handshake");
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let server = serve(|_| Reply::Silent).await;
    let probe = TlsProbe { timeout: Duration::from_millis(300), ..tls_probe(&server) };
    let outcome = common::prober().tls(&probe).await;
    assert_eq!(outcome.result, Err(TlsFailure::Timeout));
    assert!((300..1500).contains(&outcome.elapsed_ms), "{}", outcome.elapsed_ms);
}

#[test]
fn extra_roots_must_be_certificates() {
    for bad in ["", "not pem at all", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"] {
        let error = Prober::new(ProbeOptions {
            extra_roots_pem: vec![test_ca().pem(), bad.to_owned()],
            ..ProbeOptions::default()
        })
        .unwrap_err();
        assert!(matches!(error, ProbeSetupError::InvalidExtraRoot { index: 1, .. }), "{bad:?}: {error:?}");
        assert_eq!(error.code(), "invalid_extra_root");
    }
}
