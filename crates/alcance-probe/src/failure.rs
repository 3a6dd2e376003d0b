//! What can go wrong, with stable machine codes (for translation by the caller) and English
//! text (for logs). No message carries a URL, so none can leak a password from one.

use std::fmt;

use crate::connect::Unreachable;
use crate::guard::BlockedAddress;

/// Why an HTTP probe failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpFailure {
    /// Not an absolute http(s) URL with a host (also a redirect to one).
    InvalidUrl(String),
    /// The SSRF guard refused an address the host resolves to.
    Blocked(BlockedAddress),
    Dns(String),
    Connect(String),
    /// The whole probe (DNS, connect, TLS, headers, body) took longer than its timeout.
    Timeout,
    /// The TLS handshake failed, including a certificate that strict verification rejects.
    Tls(String),
    UnexpectedStatus {
        expected: u16,
        got: u16,
    },
    /// The keyword is not in the body (or in the part of it that was read).
    KeywordMissing,
    /// Anything else: the connection closed without an answer, an answer that is not HTTP,
    /// too many redirects…
    Other(String),
}

impl HttpFailure {
    /// A stable machine code, e.g. `"timeout"`, `"unexpected_status"`.
    pub fn code(&self) -> &'static str {
        match self {
            HttpFailure::InvalidUrl(_) => "invalid_url",
            HttpFailure::Blocked(_) => "blocked",
            HttpFailure::Dns(_) => "dns",
            HttpFailure::Connect(_) => "connect",
            HttpFailure::Timeout => "timeout",
            HttpFailure::Tls(_) => "tls",
            HttpFailure::UnexpectedStatus { .. } => "unexpected_status",
            HttpFailure::KeywordMissing => "keyword_missing",
            HttpFailure::Other(_) => "other",
        }
    }
}

impl fmt::Display for HttpFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpFailure::InvalidUrl(why) => write!(f, "invalid URL: {why}"),
            HttpFailure::Blocked(blocked) => blocked.fmt(f),
            HttpFailure::Dns(why) => write!(f, "DNS lookup failed: {why}"),
            HttpFailure::Connect(why) => write!(f, "could not connect: {why}"),
            HttpFailure::Timeout => f.write_str("no complete answer within the timeout"),
            HttpFailure::Tls(why) => write!(f, "TLS failed: {why}"),
            HttpFailure::UnexpectedStatus { expected, got } => {
                write!(f, "expected HTTP status {expected}, got {got}")
            }
            HttpFailure::KeywordMissing => f.write_str("the keyword is not in the response body"),
            HttpFailure::Other(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for HttpFailure {}

impl From<Unreachable> for HttpFailure {
    fn from(unreachable: Unreachable) -> Self {
        match unreachable {
            Unreachable::Blocked(blocked) => HttpFailure::Blocked(blocked),
            Unreachable::Dns(why) => HttpFailure::Dns(why),
            Unreachable::Connect(why) => HttpFailure::Connect(why),
        }
    }
}

/// Why a TLS probe got no certificate. A certificate that is merely bad (expired, wrong host,
/// untrusted) is not a failure: it is described with its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsFailure {
    Blocked(BlockedAddress),
    Dns(String),
    Connect(String),
    Timeout,
    /// The server did not complete a TLS handshake (not TLS, no common protocol, an alert…).
    Handshake(String),
}

impl TlsFailure {
    /// A stable machine code, e.g. `"handshake"`.
    pub fn code(&self) -> &'static str {
        match self {
            TlsFailure::Blocked(_) => "blocked",
            TlsFailure::Dns(_) => "dns",
            TlsFailure::Connect(_) => "connect",
            TlsFailure::Timeout => "timeout",
            TlsFailure::Handshake(_) => "handshake",
        }
    }
}

impl fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsFailure::Blocked(blocked) => blocked.fmt(f),
            TlsFailure::Dns(why) => write!(f, "DNS lookup failed: {why}"),
            TlsFailure::Connect(why) => write!(f, "could not connect: {why}"),
            TlsFailure::Timeout => f.write_str("no TLS handshake within the timeout"),
            TlsFailure::Handshake(why) => write!(f, "TLS handshake failed: {why}"),
        }
    }
}

impl std::error::Error for TlsFailure {}

impl From<Unreachable> for TlsFailure {
    fn from(unreachable: Unreachable) -> Self {
        match unreachable {
            Unreachable::Blocked(blocked) => TlsFailure::Blocked(blocked),
            Unreachable::Dns(why) => TlsFailure::Dns(why),
            Unreachable::Connect(why) => TlsFailure::Connect(why),
        }
    }
}

/// Why a [`crate::Prober`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeSetupError {
    /// `extra_roots_pem[index]` holds no certificate, bad PEM, or a certificate that cannot be a
    /// trust anchor.
    InvalidExtraRoot { index: usize, reason: String },
    /// The user agent is not a valid HTTP header value.
    InvalidUserAgent,
    /// The TLS library refused the configuration (should not happen with ring).
    Tls(String),
}

impl ProbeSetupError {
    /// A stable machine code, e.g. `"invalid_extra_root"`.
    pub fn code(&self) -> &'static str {
        match self {
            ProbeSetupError::InvalidExtraRoot { .. } => "invalid_extra_root",
            ProbeSetupError::InvalidUserAgent => "invalid_user_agent",
            ProbeSetupError::Tls(_) => "tls_setup",
        }
    }
}

impl fmt::Display for ProbeSetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbeSetupError::InvalidExtraRoot { index, reason } => {
                write!(f, "extra root certificate #{}: {reason}", index + 1)
            }
            ProbeSetupError::InvalidUserAgent => f.write_str("the user agent is not a valid HTTP header value"),
            ProbeSetupError::Tls(why) => write!(f, "TLS setup failed: {why}"),
        }
    }
}

impl std::error::Error for ProbeSetupError {}
