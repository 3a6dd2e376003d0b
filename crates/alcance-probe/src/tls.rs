//! TLS: the trust store, the strict client settings HTTP probes use, and the certificate probe,
//! whose verifier records the strict verdict but lets the handshake finish so that a bad
//! certificate can still be described.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{Resumption, WebPkiServerVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio::time::Instant;
use tokio_rustls::TlsConnector;

use crate::Inner;
use crate::cert::{self, Certificate};
use crate::connect::{Target, connect_checked};
use crate::failure::{ProbeSetupError, TlsFailure};

/// What to check: the certificate served at `host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsProbe {
    /// A DNS name (also sent as SNI and checked against the certificate) or an IP address.
    pub host: String,
    pub port: u16,
    pub timeout: Duration,
}

/// The result of a TLS probe: a certificate (with its problems, if any) or why none was had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsOutcome {
    pub elapsed_ms: u64,
    pub result: Result<Certificate, TlsFailure>,
}

/// The verdict of the strict verifier, as seen during one handshake.
pub(crate) type Verdict = Arc<Mutex<Option<Result<(), rustls::Error>>>>;

/// Built once per prober: the crypto provider (ring, passed explicitly so that no process-wide
/// default matters), the roots, and the strict configuration.
pub(crate) struct TlsSetup {
    pub(crate) provider: Arc<CryptoProvider>,
    pub(crate) roots: Arc<RootCertStore>,
    pub(crate) strict_verifier: Arc<WebPkiServerVerifier>,
    /// For HTTP probes: a bad certificate fails the handshake.
    pub(crate) strict: Arc<ClientConfig>,
}

impl TlsSetup {
    pub(crate) fn new(extra_roots_pem: &[String]) -> Result<TlsSetup, ProbeSetupError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        for (index, pem) in extra_roots_pem.iter().enumerate() {
            add_pem_roots(&mut roots, pem).map_err(|reason| ProbeSetupError::InvalidExtraRoot { index, reason })?;
        }
        let roots = Arc::new(roots);
        let strict_verifier = WebPkiServerVerifier::builder_with_provider(roots.clone(), provider.clone())
            .build()
            .map_err(|e| ProbeSetupError::Tls(e.to_string()))?;
        let mut strict = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| ProbeSetupError::Tls(e.to_string()))?
            .with_webpki_verifier(strict_verifier.clone())
            .with_no_client_auth();
        strict.alpn_protocols = vec![b"http/1.1".to_vec()];
        // A resumed session skips certificate verification: each probe must see the certificate.
        strict.resumption = Resumption::disabled();
        Ok(TlsSetup { provider, roots, strict_verifier, strict: Arc::new(strict) })
    }

    /// A configuration for one certificate probe, recording the strict verdict into `verdict`.
    fn recording(&self, verdict: Verdict) -> Result<Arc<ClientConfig>, TlsFailure> {
        let recorder = Arc::new(RecordingVerifier { strict: self.strict_verifier.clone(), verdict });
        let mut config = ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsFailure::Handshake(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(recorder)
            .with_no_client_auth();
        config.resumption = Resumption::disabled();
        Ok(Arc::new(config))
    }
}

fn add_pem_roots(roots: &mut RootCertStore, pem: &str) -> Result<(), String> {
    let mut found = 0;
    for der in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        let der = der.map_err(|e| format!("not valid PEM: {e}"))?;
        roots.add(der).map_err(|e| e.to_string())?;
        found += 1;
    }
    if found == 0 {
        return Err("no CERTIFICATE block in the PEM text".to_owned());
    }
    Ok(())
}

/// Asks the strict verifier, writes down its answer, and accepts the certificate anyway. The
/// handshake's own signature checks are still done for real.
#[derive(Debug)]
struct RecordingVerifier {
    strict: Arc<WebPkiServerVerifier>,
    verdict: Verdict,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict =
            self.strict.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now).map(|_| ());
        *self.verdict.lock().unwrap_or_else(PoisonError::into_inner) = Some(verdict);
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.strict.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.strict.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.strict.supported_verify_schemes()
    }
}

/// The SNI/verification name for a host as written (a DNS name or an IP address).
pub(crate) fn server_name(target: Target<'_>) -> Result<ServerName<'static>, String> {
    match target {
        Target::Ip(ip) => Ok(ServerName::IpAddress(ip.into())),
        Target::Name(name) => {
            ServerName::try_from(name.to_owned()).map_err(|_| format!("{name:?} is not a valid host name"))
        }
    }
}

/// Describes a TLS-level I/O error: rustls' own error when there is one.
pub(crate) fn describe_tls_error(error: &std::io::Error) -> String {
    match error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
        Some(tls) => tls.to_string(),
        None => error.to_string(),
    }
}

pub(crate) async fn run(inner: &Inner, probe: &TlsProbe) -> TlsOutcome {
    let started = Instant::now();
    let result =
        tokio::time::timeout(probe.timeout, certificate(inner, probe)).await.unwrap_or(Err(TlsFailure::Timeout));
    TlsOutcome { elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX), result }
}

async fn certificate(inner: &Inner, probe: &TlsProbe) -> Result<Certificate, TlsFailure> {
    let target = Target::parse(&probe.host);
    let name = server_name(target).map_err(TlsFailure::Dns)?;
    let tcp = connect_checked(&probe.host, target, probe.port, &inner.options.allowed_networks).await?;
    let verdict = Verdict::default();
    let config = inner.tls.recording(verdict.clone())?;
    let stream = TlsConnector::from(config)
        .connect(name.clone(), tcp)
        .await
        .map_err(|e| TlsFailure::Handshake(describe_tls_error(&e)))?;
    let chain: Vec<CertificateDer<'static>> = match stream.get_ref().1.peer_certificates() {
        Some(chain) if !chain.is_empty() => chain.iter().map(|c| c.clone().into_owned()).collect(),
        _ => return Err(TlsFailure::Handshake("the server sent no certificate".into())),
    };
    let verdict = verdict
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .unwrap_or(Err(rustls::Error::General("the certificate was not verified".into())));
    cert::describe(&inner.tls, &chain, &name, verdict)
}
