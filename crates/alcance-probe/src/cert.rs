//! Facts about a server's certificate: its dates and names from the leaf, and every problem the
//! strict verifier would have with it. The strict verifier stops at its first error, so when it
//! refuses, each question (dates, name, chain) is asked again on its own.

use std::fmt;

use chrono::{DateTime, Utc};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, Error as TlsError};
use x509_cert::certificate::{CertificateInner, Raw};
use x509_cert::der::Decode;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

use crate::failure::TlsFailure;
use crate::tls::TlsSetup;

/// The leaf certificate a server presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub not_after: DateTime<Utc>,
    pub not_before: DateTime<Utc>,
    /// RFC 4514 (most specific first), e.g. `CN=example.com,O=Example,C=CO`.
    pub subject: String,
    pub issuer: String,
    /// DNS names and IP addresses of the subjectAltName extension (what the certificate covers).
    pub subject_alt_names: Vec<String>,
    /// Empty when strict verification accepts the certificate for the probed host.
    pub problems: Vec<CertificateProblem>,
}

impl Certificate {
    /// No problem: strict verification accepts it for the probed host now.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Something strict verification holds against a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateProblem {
    Expired,
    NotYetValid,
    /// The certificate does not name the probed host.
    HostnameMismatch,
    /// It does not chain to a trusted root (self-signed, an unknown CA, a bad signature).
    UntrustedChain,
    Other(String),
}

impl CertificateProblem {
    /// A stable machine code, e.g. `"hostname_mismatch"`.
    pub fn code(&self) -> &'static str {
        match self {
            CertificateProblem::Expired => "expired",
            CertificateProblem::NotYetValid => "not_yet_valid",
            CertificateProblem::HostnameMismatch => "hostname_mismatch",
            CertificateProblem::UntrustedChain => "untrusted_chain",
            CertificateProblem::Other(_) => "other",
        }
    }

    fn from_error(error: &TlsError) -> CertificateProblem {
        let TlsError::InvalidCertificate(certificate) = error else {
            return CertificateProblem::Other(error.to_string());
        };
        match certificate {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => CertificateProblem::Expired,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                CertificateProblem::NotYetValid
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                CertificateProblem::HostnameMismatch
            }
            CertificateError::UnknownIssuer | CertificateError::BadSignature => CertificateProblem::UntrustedChain,
            _ => CertificateProblem::Other(error.to_string()),
        }
    }
}

impl fmt::Display for CertificateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertificateProblem::Expired => f.write_str("the certificate has expired"),
            CertificateProblem::NotYetValid => f.write_str("the certificate is not valid yet"),
            CertificateProblem::HostnameMismatch => f.write_str("the certificate is not valid for this host name"),
            CertificateProblem::UntrustedChain => f.write_str("the certificate is not issued by a trusted authority"),
            CertificateProblem::Other(why) => write!(f, "certificate problem: {why}"),
        }
    }
}

/// Reads the leaf of `chain` and lists its problems given the strict `verdict`.
pub(crate) fn describe(
    tls: &TlsSetup,
    chain: &[CertificateDer<'static>],
    name: &ServerName<'static>,
    verdict: Result<(), TlsError>,
) -> Result<Certificate, TlsFailure> {
    let (leaf, intermediates) =
        chain.split_first().ok_or_else(|| TlsFailure::Handshake("the server sent no certificate".into()))?;
    let unreadable = |why: String| TlsFailure::Handshake(format!("unreadable certificate: {why}"));
    // The lenient profile: a quirky serial number must not hide the dates of a certificate that
    // webpki has already accepted for parsing.
    let x509 = CertificateInner::<Raw>::from_der(leaf.as_ref()).map_err(|e| unreadable(e.to_string()))?;
    let tbs = x509.tbs_certificate();
    let not_before =
        timestamp(tbs.validity().not_before.to_unix_duration()).ok_or_else(|| unreadable("date".into()))?;
    let not_after = timestamp(tbs.validity().not_after.to_unix_duration()).ok_or_else(|| unreadable("date".into()))?;
    let problems = match verdict {
        Ok(()) => Vec::new(),
        Err(error) => {
            let mut problems = each_problem(tls, leaf, intermediates, name, not_before, not_after);
            if problems.is_empty() {
                problems.push(CertificateProblem::from_error(&error));
            }
            problems
        }
    };
    Ok(Certificate {
        not_after,
        not_before,
        subject: tbs.subject().to_string(),
        issuer: tbs.issuer().to_string(),
        subject_alt_names: alt_names(&x509),
        problems,
    })
}

fn timestamp(since_epoch: std::time::Duration) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(i64::try_from(since_epoch.as_secs()).ok()?, 0)
}

fn each_problem(
    tls: &TlsSetup,
    leaf: &CertificateDer<'static>,
    intermediates: &[CertificateDer<'static>],
    name: &ServerName<'static>,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> Vec<CertificateProblem> {
    let mut problems = Vec::new();
    let mut add = |problem: CertificateProblem| {
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    };
    let now = Utc::now();
    if now > not_after {
        add(CertificateProblem::Expired);
    } else if now < not_before {
        add(CertificateProblem::NotYetValid);
    }
    let parsed = match ParsedCertificate::try_from(leaf) {
        Ok(parsed) => parsed,
        Err(error) => {
            add(CertificateProblem::from_error(&error));
            return problems;
        }
    };
    if verify_server_name(&parsed, name).is_err() {
        add(CertificateProblem::HostnameMismatch);
    }
    // Ask about the chain at a moment the leaf is valid, so an expired leaf does not hide an
    // untrusted issuer.
    let moment = now.clamp(not_before, not_after).timestamp();
    let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(u64::try_from(moment).unwrap_or(0)));
    if let Err(error) = verify_server_cert_signed_by_trust_anchor(
        &parsed,
        &tls.roots,
        intermediates,
        at,
        tls.provider.signature_verification_algorithms.all,
    ) {
        add(CertificateProblem::from_error(&error));
    }
    problems
}

fn alt_names(x509: &CertificateInner<Raw>) -> Vec<String> {
    let Ok(Some((_, SubjectAltName(names)))) = x509.tbs_certificate().get_extension::<SubjectAltName>() else {
        return Vec::new();
    };
    names
        .iter()
        .filter_map(|name| match name {
            GeneralName::DnsName(dns) => Some(dns.to_string()),
            GeneralName::IpAddress(bytes) => ip_from_bytes(bytes.as_bytes()).map(|ip| ip.to_string()),
            _ => None,
        })
        .collect()
}

fn ip_from_bytes(bytes: &[u8]) -> Option<std::net::IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Some(v4.into());
    }
    <[u8; 16]>::try_from(bytes).ok().map(Into::into)
}
