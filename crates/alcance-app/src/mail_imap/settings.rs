//! Where the poller reads mail: the server, the account and the mailbox, from one URL.

use std::time::Duration;

use percent_encoding::percent_decode_str;
use url::{Host, Url};

/// How the connection is protected. There is no plain variant: IMAP's LOGIN sends the
/// password as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImapSecurity {
    /// TLS from the first byte (`imaps://`, port 993).
    Tls,
    /// A plain connection upgraded by STARTTLS before LOGIN (`imap+starttls://`, port 143).
    StartTls,
}

/// One mailbox to poll. The password is never shown by `Debug`.
#[derive(Clone)]
pub struct ImapSettings {
    pub host: String,
    pub port: u16,
    pub security: ImapSecurity,
    pub username: String,
    pub password: String,
    /// The mailbox's IMAP name (default INBOX).
    pub mailbox: String,
    /// Extra trusted root certificates in PEM (an internal CA), added to the webpki roots.
    pub extra_roots_pem: Vec<String>,
    /// Time between two polls of `run_forever`.
    pub poll_interval: Duration,
    /// Longest wait for the connection, the TLS handshake and each IMAP command.
    pub timeout: Duration,
}

impl std::fmt::Debug for ImapSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .field("mailbox", &self.mailbox)
            .field("extra_roots_pem", &self.extra_roots_pem.len())
            .field("poll_interval", &self.poll_interval)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl ImapSettings {
    /// Reads `imaps://user@host[:port][/MAILBOX]` or `imap+starttls://…`. The user name may be
    /// percent-encoded (`soporte%40agencia.co@imap.example.org`). The password is not taken
    /// from the URL, where it would show in process lists: the caller sets it.
    pub fn from_url(text: &str) -> Result<ImapSettings, String> {
        let url = Url::parse(text.trim()).map_err(|e| format!("`{text}` is not an IMAP URL: {e}"))?;
        let (security, default_port) = match url.scheme() {
            "imaps" => (ImapSecurity::Tls, 993),
            "imap+starttls" => (ImapSecurity::StartTls, 143),
            "imap" => {
                return Err("plain imap:// would send the password in the clear: use imaps:// (TLS, port 993) \
                            or imap+starttls:// (port 143)"
                    .to_owned());
            }
            other => return Err(format!("unknown IMAP URL scheme `{other}` (use imaps or imap+starttls)")),
        };
        if url.password().is_some() {
            return Err("put the IMAP password in ALCANCE_IMAP_PASSWORD or a file, not in the URL".to_owned());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err("the IMAP URL takes no ?query or #fragment".to_owned());
        }
        let host = match url.host() {
            Some(Host::Domain(name)) if !name.is_empty() => name.to_owned(),
            Some(Host::Ipv4(ip)) => ip.to_string(),
            Some(Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err("the IMAP URL has no host".to_owned()),
        };
        let username = decode(url.username(), "user name")?;
        if username.is_empty() {
            return Err("the IMAP URL has no user name: imaps://USER@host/".to_owned());
        }
        let mailbox = decode(url.path().trim_start_matches('/'), "mailbox")?;
        let mailbox = if mailbox.is_empty() { "INBOX".to_owned() } else { mailbox };
        // Other names travel in IMAP's modified UTF-7, which this poller does not write.
        if !mailbox.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
            return Err(format!("the mailbox name `{mailbox}` must be plain ASCII"));
        }
        Ok(ImapSettings {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            username,
            password: String::new(),
            mailbox,
            extra_roots_pem: Vec::new(),
            poll_interval: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
        })
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

fn decode(text: &str, what: &str) -> Result<String, String> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| format!("the {what} in the IMAP URL is not valid UTF-8 once decoded"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn reads_the_url() {
        let s = ImapSettings::from_url("imaps://soporte%40agencia.co@imap.agencia.co/Soporte").unwrap();
        assert_eq!((s.host.as_str(), s.port, s.security), ("imap.agencia.co", 993, ImapSecurity::Tls));
        assert_eq!((s.username.as_str(), s.mailbox.as_str()), ("soporte@agencia.co", "Soporte"));
        let s = ImapSettings::from_url("imap+starttls://ana@[::1]:1143").unwrap();
        assert_eq!((s.host.as_str(), s.port, s.security), ("::1", 1143, ImapSecurity::StartTls));
        assert_eq!((s.mailbox.as_str(), s.server().as_str()), ("INBOX", "[::1]:1143"));
        let s = ImapSettings::from_url("imaps://ana@127.0.0.1:10993/INBOX").unwrap();
        assert_eq!(s.server(), "127.0.0.1:10993");
    }

    #[test]
    fn refuses_what_it_cannot_use_safely() {
        let err = |url: &str| ImapSettings::from_url(url).unwrap_err();
        assert!(err("imap://ana@host").contains("in the clear"));
        assert!(err("imaps://ana:secreto@host").contains("ALCANCE_IMAP_PASSWORD"));
        assert!(err("imaps://host/INBOX").contains("no user name"));
        assert!(err("pop3://ana@host").contains("unknown IMAP URL scheme"));
        assert!(err("imaps://ana@host/Buz%C3%B3n").contains("plain ASCII"));
        assert!(err("imaps://ana@host/INBOX?x=1").contains("no ?query"));
        let hidden = format!(
            "{:?}",
            ImapSettings { password: "secreto".into(), ..ImapSettings::from_url("imaps://a@h").unwrap() }
        );
        assert!(!hidden.contains("secreto"), "{hidden}");
    }
}
