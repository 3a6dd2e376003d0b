//! A monitor's settings as typed in a form or sent to the API, checked field by field.

use super::{Damping, MonitorKind, incident_category, monitor_name};
use crate::{FieldError, FieldErrorCode};

/// Raw settings: text, as forms send them; empty means "the default for this kind".
#[derive(Debug, Clone, Default)]
pub struct MonitorInput {
    pub name: String,
    pub kind: String,
    /// An http(s) URL (HTTP), a host, host:port or https URL (TLS); unused for heartbeats.
    pub target: String,
    pub method: String,
    pub expected_status: String,
    pub keyword: String,
    /// How often to check (HTTP, TLS) or how often the heartbeat is expected.
    pub interval_seconds: String,
    pub timeout_seconds: String,
    /// Responses slower than this count as failures (overload); empty: no limit.
    pub slow_ms: String,
    pub failures_to_open: String,
    pub successes_to_close: String,
    /// Empty: the category the finding implies.
    pub category: String,
    /// Heartbeats: how late a ping may be before it counts as missed.
    pub grace_seconds: String,
}

/// Valid settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorSpec {
    pub name: String,
    pub kind: MonitorKind,
    pub target: String,
    pub method: String,
    pub expected_status: u16,
    pub keyword: Option<String>,
    pub interval_seconds: i64,
    pub timeout_seconds: i64,
    pub slow_ms: Option<i64>,
    pub damping: Damping,
    pub category: Option<&'static str>,
    pub grace_seconds: i64,
}

const MAX_INTERVAL_SECONDS: i64 = 7 * 24 * 3600;

impl MonitorInput {
    /// Checks every field; `min_interval_seconds` is the operator's floor for check intervals.
    pub fn validate(&self, min_interval_seconds: i64) -> Result<MonitorSpec, FieldError> {
        let name = monitor_name("name", &self.name)?;
        let kind = MonitorKind::parse("kind", self.kind.trim())?;
        let target = match kind {
            MonitorKind::Http => http_url("target", &self.target)?,
            MonitorKind::Tls => {
                let t = TlsTarget::parse(&self.target)
                    .ok_or_else(|| FieldError::new("target", FieldErrorCode::Invalid).with_detail("host:443"))?;
                format!("{}:{}", t.host, t.port)
            }
            MonitorKind::Heartbeat => String::new(),
        };
        let (interval, failures, successes) = match kind {
            MonitorKind::Http => (60, 2, 2),
            MonitorKind::Tls => (6 * 3600, 1, 1),
            MonitorKind::Heartbeat => (24 * 3600, 1, 1),
        };
        let method = match self.method.trim().to_ascii_uppercase().as_str() {
            "" => "GET".to_owned(),
            m @ ("GET" | "HEAD" | "POST") => m.to_owned(),
            _ => return Err(FieldError::new("method", FieldErrorCode::UnknownValue).with_detail("GET, HEAD, POST")),
        };
        let interval_seconds = number(
            "interval_seconds",
            &self.interval_seconds,
            interval,
            min_interval_seconds.max(1),
            MAX_INTERVAL_SECONDS,
        )?;
        let timeout_seconds = number("timeout_seconds", &self.timeout_seconds, 10.min(interval_seconds), 1, 60)?;
        if timeout_seconds > interval_seconds {
            return Err(FieldError::new("timeout_seconds", FieldErrorCode::OutOfRange)
                .with_detail(format!("1-{interval_seconds}")));
        }
        let keyword = match self.keyword.trim() {
            "" => None,
            k if k.chars().count() > 200 => {
                return Err(FieldError::new("keyword", FieldErrorCode::TooLong).with_detail("200"));
            }
            k => Some(k.to_owned()),
        };
        // A HEAD answer has no body to search.
        if keyword.is_some() && method == "HEAD" {
            return Err(FieldError::new("keyword", FieldErrorCode::NotAllowed).with_detail("GET, POST"));
        }
        let slow_ms = match self.slow_ms.trim() {
            "" => None,
            _ => Some(number("slow_ms", &self.slow_ms, 0, 1, 120_000)?),
        };
        let category = match self.category.trim() {
            "" => None,
            c => Some(incident_category("category", c)?),
        };
        Ok(MonitorSpec {
            name,
            kind,
            target,
            method,
            expected_status: number("expected_status", &self.expected_status, 200, 100, 599)? as u16,
            keyword,
            interval_seconds,
            timeout_seconds,
            slow_ms,
            damping: Damping {
                failures_to_open: number("failures_to_open", &self.failures_to_open, failures, 1, 20)? as u32,
                successes_to_close: number("successes_to_close", &self.successes_to_close, successes, 1, 20)? as u32,
            },
            category,
            grace_seconds: number("grace_seconds", &self.grace_seconds, 600, 0, 86_400)?,
        })
    }
}

/// A whole number in `min..=max`, or `default` when empty.
fn number(field: &str, value: &str, default: i64, min: i64, max: i64) -> Result<i64, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(default);
    }
    let n: i64 = value.parse().map_err(|_| FieldError::new(field, FieldErrorCode::Invalid))?;
    if !(min..=max).contains(&n) {
        return Err(FieldError::new(field, FieldErrorCode::OutOfRange).with_detail(format!("{min}-{max}")));
    }
    Ok(n)
}

/// An absolute http or https URL with a host, no spaces, at most 2,000 characters.
pub fn http_url(field: &str, value: &str) -> Result<String, FieldError> {
    let url = value.trim();
    let invalid = || FieldError::new(field, FieldErrorCode::Invalid).with_detail("https://example.com/");
    if url.is_empty() {
        return Err(FieldError::new(field, FieldErrorCode::Required));
    }
    if url.len() > 2000 {
        return Err(FieldError::new(field, FieldErrorCode::TooLong).with_detail("2000"));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("HTTPS://"))
        .or_else(|| url.strip_prefix("HTTP://"))
        .ok_or_else(invalid)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid());
    }
    Ok(url.to_owned())
}

/// Where a TLS monitor connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsTarget {
    pub host: String,
    pub port: u16,
}

impl TlsTarget {
    /// Accepts "host", "host:port", "[v6]:port" or an https URL; the port defaults to 443.
    pub fn parse(text: &str) -> Option<TlsTarget> {
        let text = text.trim();
        let text = text.strip_prefix("https://").unwrap_or(text);
        let authority = text.split(['/', '?', '#']).next()?;
        let authority = authority.rsplit('@').next()?;
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, rest) = v6.split_once(']')?;
            (host, rest.strip_prefix(':'))
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        let port = match port {
            None => 443,
            Some(p) => p.parse().ok().filter(|p: &u16| *p > 0)?,
        };
        let valid = !host.is_empty()
            && host.len() <= 253
            && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'));
        valid.then(|| TlsTarget { host: host.to_ascii_lowercase(), port })
    }
}
