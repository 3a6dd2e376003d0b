//! Outbound checks for Alcance's monitors: an HTTP(S) request with an expected status and an
//! optional keyword, and a TLS handshake that reports facts about the server's certificate.
//!
//! Every probe goes through the SSRF guard ([`check_address`]): the host is resolved here, every
//! resolved address must be public (or inside [`ProbeOptions::allowed_networks`]), and the
//! connection goes only to the addresses that were checked, so DNS rebinding cannot slip past.
//! Each probe is bounded as a whole (DNS, connect, TLS, headers and body) by its `timeout`.

mod cert;
mod connect;
mod failure;
mod guard;
mod http;
mod request;
mod tls;

use std::sync::Arc;

pub use cert::{Certificate, CertificateProblem};
pub use failure::{HttpFailure, ProbeSetupError, TlsFailure};
pub use guard::{BlockReason, BlockedAddress, check_address};
pub use http::{HttpMethod, HttpOutcome, HttpProbe, MAX_REDIRECTS, redact_url};
/// The CIDR type of [`ProbeOptions::allowed_networks`] (`"127.0.0.0/8".parse::<IpNet>()`).
pub use ipnet::IpNet;
pub use tls::{TlsOutcome, TlsProbe};

/// How much of a body is read by default: enough for any status page, small enough to bound memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// Settings shared by every probe of one [`Prober`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOptions {
    /// Networks the SSRF guard lets through although they are private, loopback or link-local
    /// (an administrator's explicit choice, e.g. `127.0.0.0/8`). Empty by default. A cloud
    /// metadata address is let through only when listed as a single address (`169.254.169.254/32`).
    pub allowed_networks: Vec<IpNet>,
    /// Extra trusted root certificates in PEM (an agency's internal CA), added to the webpki roots.
    /// One string may hold several certificates.
    pub extra_roots_pem: Vec<String>,
    /// Reading a body stops here; the keyword is searched in what was read and the outcome says
    /// it was truncated (not a failure).
    pub max_body_bytes: usize,
    /// The `User-Agent` header of HTTP probes.
    pub user_agent: String,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            allowed_networks: Vec::new(),
            extra_roots_pem: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            user_agent: format!("Alcance-Monitor/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Runs probes. Cheap to clone and share between tasks: the TLS trust store and settings are
/// built once in [`Prober::new`] and kept behind an `Arc`.
#[derive(Clone)]
pub struct Prober {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) options: ProbeOptions,
    pub(crate) user_agent: hyper::header::HeaderValue,
    pub(crate) tls: tls::TlsSetup,
}

impl Prober {
    /// Builds the trust store (webpki roots plus `extra_roots_pem`) and the TLS settings.
    pub fn new(options: ProbeOptions) -> Result<Prober, ProbeSetupError> {
        let user_agent =
            hyper::header::HeaderValue::from_str(&options.user_agent).map_err(|_| ProbeSetupError::InvalidUserAgent)?;
        let tls = tls::TlsSetup::new(&options.extra_roots_pem)?;
        Ok(Prober { inner: Arc::new(Inner { options, user_agent, tls }) })
    }

    /// The options this prober was built with.
    pub fn options(&self) -> &ProbeOptions {
        &self.inner.options
    }

    /// Requests `probe.url` and judges the answer (status, keyword). Never panics, never errors:
    /// every problem is an [`HttpFailure`] in the outcome.
    pub async fn http(&self, probe: &HttpProbe) -> HttpOutcome {
        http::run(&self.inner, probe).await
    }

    /// Connects with TLS and describes the server's certificate, including what is wrong with it.
    pub async fn tls(&self, probe: &TlsProbe) -> TlsOutcome {
        tls::run(&self.inner, probe).await
    }
}

impl std::fmt::Debug for Prober {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prober").field("options", &self.inner.options).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shareable<T: Clone + Send + Sync + 'static>(_: &T) {}
    fn spawnable<F: std::future::Future + Send>(_: F) {}

    #[test]
    fn a_prober_and_its_probes_can_move_between_tasks() {
        let Ok(prober) = Prober::new(ProbeOptions::default()) else { panic!("the default options must build") };
        shareable(&prober);
        let http = HttpProbe {
            url: String::new(),
            method: HttpMethod::Get,
            expected_status: 200,
            keyword: None,
            timeout: std::time::Duration::from_secs(1),
        };
        let tls = TlsProbe { host: String::new(), port: 443, timeout: std::time::Duration::from_secs(1) };
        spawnable(prober.http(&http));
        spawnable(prober.tls(&tls));
        assert!(prober.options().user_agent.starts_with("Alcance-Monitor/0."));
        assert_eq!(prober.options().max_body_bytes, 1024 * 1024);
    }
}
