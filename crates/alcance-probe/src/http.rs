//! The HTTP probe: one request (plus redirects), judged by status and keyword.
//!
//! Redirects are followed, at most [`MAX_REDIRECTS`], each hop through the guard like the first:
//! an `http://` site that moves to `https://` or to `/login` is "up" in every person's eyes, and
//! making administrators guess the final URL would produce false alarms. When the expected status
//! is itself a redirect (3xx), nothing is followed: the administrator is checking the redirect.

use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use crate::Inner;
use crate::failure::HttpFailure;
use crate::request::{self, Report};

/// How many redirects one probe follows before giving up.
pub const MAX_REDIRECTS: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Head,
    Post,
}

impl HttpMethod {
    /// `"GET"`, `"HEAD"` or `"POST"` (any case); anything else is `None`.
    pub fn parse(text: &str) -> Option<HttpMethod> {
        match text.trim().to_ascii_uppercase().as_str() {
            "GET" => Some(HttpMethod::Get),
            "HEAD" => Some(HttpMethod::Head),
            "POST" => Some(HttpMethod::Post),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Head => "HEAD",
            HttpMethod::Post => "POST",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to check. A URL with `user:password@` sends them as HTTP Basic authentication (to the
/// first origin only, not to a redirect elsewhere). Its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpProbe {
    pub url: String,
    pub method: HttpMethod,
    pub expected_status: u16,
    /// Searched case-sensitively in the body (UTF-8, invalid bytes replaced). With HEAD there is
    /// no body, so a keyword always fails.
    pub keyword: Option<String>,
    /// Bounds the whole probe: DNS, connect, TLS, headers and body.
    pub timeout: Duration,
}

impl std::fmt::Debug for HttpProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpProbe")
            .field("url", &redact_url(&self.url))
            .field("method", &self.method)
            .field("expected_status", &self.expected_status)
            .field("keyword", &self.keyword)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The result of an HTTP probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOutcome {
    pub elapsed_ms: u64,
    /// The status of the last answer received, if any (also on failures after the headers).
    pub status: Option<u16>,
    pub failure: Option<HttpFailure>,
    /// Body bytes read (at most `max_body_bytes`).
    pub body_bytes: u64,
    /// The body was longer than `max_body_bytes`; the keyword was searched in the first part.
    pub truncated: bool,
    /// Redirects followed.
    pub redirects: u32,
}

impl HttpOutcome {
    /// No failure: the expected status and, if asked, the keyword.
    pub fn ok(&self) -> bool {
        self.failure.is_none()
    }
}

/// `url` with any password replaced by `***`, for logs and screens. Text that is not a URL is
/// not shown at all, since it could still hold a password.
pub fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.into()
        }
        Err(_) => "(invalid URL)".to_owned(),
    }
}

pub(crate) async fn run(inner: &Inner, probe: &HttpProbe) -> HttpOutcome {
    let started = Instant::now();
    let mut report = Report::default();
    let failure = match tokio::time::timeout(probe.timeout, follow(inner, probe, &mut report)).await {
        Ok(Ok(())) => None,
        Ok(Err(failure)) => Some(failure),
        Err(_) => Some(HttpFailure::Timeout),
    };
    HttpOutcome {
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        status: report.status,
        failure,
        body_bytes: report.body_bytes,
        truncated: report.truncated,
        redirects: report.redirects,
    }
}

async fn follow(inner: &Inner, probe: &HttpProbe, report: &mut Report) -> Result<(), HttpFailure> {
    let mut url = parse_url(&probe.url, None)?;
    let first_origin = url.origin();
    let mut method = probe.method;
    let follow_redirects = !(300..400).contains(&probe.expected_status);
    loop {
        let credentials = url.origin() == first_origin;
        let answer = request::send(inner, &url, method, credentials).await?;
        let status = answer.response.status();
        report.status = Some(status.as_u16());
        let location = answer.response.headers().get(hyper::header::LOCATION).and_then(|value| value.to_str().ok());
        if let (true, true, Some(location)) = (follow_redirects, status.is_redirection(), location) {
            if report.redirects >= MAX_REDIRECTS {
                return Err(HttpFailure::Other(format!("more than {MAX_REDIRECTS} redirects")));
            }
            url = parse_url(location, Some(&url))?;
            // As browsers do: 303 always, and 301/302 after a POST, continue with GET.
            if status.as_u16() == 303 || (method == HttpMethod::Post && status.as_u16() <= 302) {
                method = HttpMethod::Get;
            }
            report.redirects += 1;
            continue;
        }
        if status.as_u16() != probe.expected_status {
            return Err(HttpFailure::UnexpectedStatus { expected: probe.expected_status, got: status.as_u16() });
        }
        let keep = probe.keyword.is_some();
        let body = request::read_body(answer, inner.options.max_body_bytes, keep, report).await?;
        return match &probe.keyword {
            Some(keyword) if !String::from_utf8_lossy(&body).contains(keyword.as_str()) => {
                Err(HttpFailure::KeywordMissing)
            }
            _ => Ok(()),
        };
    }
}

/// Parses the probe's URL, or a redirect's `Location` relative to the URL it came from.
fn parse_url(text: &str, base: Option<&Url>) -> Result<Url, HttpFailure> {
    let parsed = match base {
        Some(base) => base.join(text),
        None => Url::parse(text.trim()),
    };
    let context = if base.is_some() { "redirect: " } else { "" };
    let url = parsed.map_err(|e| HttpFailure::InvalidUrl(format!("{context}{e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(HttpFailure::InvalidUrl(format!(
            "{context}only http and https are supported, not {}",
            url.scheme()
        )));
    }
    if url.host().is_none() {
        return Err(HttpFailure::InvalidUrl(format!("{context}no host")));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn methods_parse_in_any_case() {
        assert_eq!(HttpMethod::parse("GET"), Some(HttpMethod::Get));
        assert_eq!(HttpMethod::parse("head"), Some(HttpMethod::Head));
        assert_eq!(HttpMethod::parse(" Post "), Some(HttpMethod::Post));
        assert_eq!(HttpMethod::parse("DELETE"), None);
        assert_eq!(HttpMethod::Head.to_string(), "HEAD");
    }

    #[test]
    fn only_absolute_http_urls_are_accepted() {
        assert!(parse_url("https://example.com/health", None).is_ok());
        for bad in ["ftp://example.com/", "file:///etc/passwd", "/relative", "http://"] {
            let error = parse_url(bad, None).unwrap_err();
            assert_eq!(error.code(), "invalid_url", "{bad}");
        }
        let base = Url::parse("http://example.com/a/b").unwrap();
        assert_eq!(parse_url("../c?x=1", Some(&base)).unwrap().as_str(), "http://example.com/c?x=1");
        assert!(parse_url("gopher://x/", Some(&base)).is_err());
    }

    #[test]
    fn passwords_are_redacted_and_errors_never_show_the_url() {
        assert_eq!(redact_url("https://monitor:s3cret@example.com/x"), "https://monitor:***@example.com/x");
        assert_eq!(redact_url("http://example.com/"), "http://example.com/");
        assert_eq!(redact_url("http://u:s3cret@[::1"), "(invalid URL)");
        let error = parse_url("http://u:s3cret@exa mple.com/", None).unwrap_err();
        assert!(!error.to_string().contains("s3cret"), "{error}");
        let probe = HttpProbe {
            url: "https://u:s3cret@example.com/".into(),
            method: HttpMethod::Get,
            expected_status: 200,
            keyword: None,
            timeout: Duration::from_secs(1),
        };
        let debug = format!("{probe:?}");
        assert!(debug.contains("u:***@example.com") && !debug.contains("s3cret"), "{debug}");
    }
}
