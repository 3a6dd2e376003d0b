//! A browser for the page tests: signs in through the login form and keeps the session
//! cookie by hand, sends URL-encoded and multipart forms (with the CSRF token when asked),
//! and never follows a redirect, so each answer is read as the server gave it.

use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};

use crate::support::TestApp;

/// The password every signed-in browser uses.
pub const PASSWORD: &str = "una clave larga 123";

/// A signed-in browser.
pub struct Browser<'a> {
    pub t: &'a TestApp,
    pub client: reqwest::Client,
    /// `alcance_session=...`, as the Cookie header sends it.
    pub cookie: String,
    /// Where signing in landed (the role's home page).
    pub home: String,
}

/// One answer as the browser got it.
pub struct Page {
    pub status: u16,
    /// The Location header ("" without one).
    pub location: String,
    pub cache_control: String,
    pub body: String,
}

impl Page {
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.status, 200, "body: {}", self.body);
        &self.body
    }

    #[track_caller]
    pub fn see_other(&self) -> &str {
        assert_eq!(self.status, 303, "body: {}", self.body);
        &self.location
    }
}

/// A client that follows no redirect.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// `application/x-www-form-urlencoded`, as a browser writes it.
pub fn encode(pairs: &[(&str, &str)]) -> String {
    let part = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => (b as char).to_string(),
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs.iter().map(|(k, v)| format!("{}={}", part(k), part(v))).collect::<Vec<_>>().join("&")
}

/// A part of a `multipart/form-data` body.
#[derive(Clone)]
pub enum Part<'a> {
    /// Field name, value.
    Text(&'a str, &'a str),
    /// Field name, file name, content type, bytes.
    File(&'a str, &'a str, &'a str, Vec<u8>),
}

/// The Content-Type and the body of a multipart form.
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "----alcance-prueba-7d1f";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                body.extend_from_slice(value.as_bytes());
            }
            Part::File(name, file, content_type, bytes) => {
                let head = format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: {content_type}\r\n\r\n"
                );
                body.extend_from_slice(head.as_bytes());
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Reads an answer whole; a server error fails the test.
pub async fn answer(response: reqwest::Response) -> Page {
    let status = response.status().as_u16();
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (location, cache_control) = (header(LOCATION), header(CACHE_CONTROL));
    let body = response.text().await.unwrap();
    assert_ne!(status, 500, "server error: {body}");
    Page { status, location, cache_control, body }
}

/// Signs in through the login form; the session cookie from Set-Cookie.
pub async fn login(t: &TestApp, email: &str, password: &str) -> Option<String> {
    let response = client()
        .post(t.url("/login"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(encode(&[("email", email), ("password", password)]))
        .send()
        .await
        .unwrap();
    if response.status().as_u16() != 303 {
        return None;
    }
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("alcance_session=") && !v.starts_with("alcance_session=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// The value of the first input named `name`.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

impl<'a> Browser<'a> {
    /// Gives `email` the password [`PASSWORD`] and signs in with it.
    pub async fn sign_in(t: &'a TestApp, email: &str) -> Browser<'a> {
        alcance_app::directory::set_password(&t.app, email, PASSWORD).await.unwrap();
        let cookie = login(t, email, PASSWORD).await.unwrap_or_else(|| panic!("{email} could not sign in"));
        let mut browser = Browser { t, client: client(), cookie, home: String::new() };
        browser.home = browser.get("/").await.see_other().to_owned();
        browser
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, "").await
    }

    /// GET with extra cookies (e.g. the language switch's).
    pub async fn get_with(&self, path: &str, more_cookies: &str) -> Page {
        let cookie =
            if more_cookies.is_empty() { self.cookie.clone() } else { format!("{}; {more_cookies}", self.cookie) };
        answer(self.client.get(self.t.url(path)).header(COOKIE, cookie).send().await.unwrap()).await
    }

    /// Posts a URL-encoded form as it is (no CSRF token added).
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Page {
        let request = self
            .client
            .post(self.t.url(path))
            .header(COOKIE, &self.cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encode(pairs));
        answer(request.send().await.unwrap()).await
    }

    /// Posts a multipart form as it is (no CSRF token added).
    pub async fn post_multipart(&self, path: &str, parts: &[Part<'_>]) -> Page {
        let (content_type, body) = multipart(parts);
        let request = self
            .client
            .post(self.t.url(path))
            .header(COOKIE, &self.cookie)
            .header(CONTENT_TYPE, content_type)
            .body(body);
        answer(request.send().await.unwrap()).await
    }

    /// The CSRF token the forms of `path` carry.
    pub async fn csrf(&self, path: &str) -> String {
        // Every page has one in its language switch, error pages included.
        let page = self.get(path).await;
        field_value(&page.body, "csrf_token").unwrap_or_else(|| panic!("no csrf_token on {path}"))
    }

    /// Posts a URL-encoded form with this session's CSRF token added.
    pub async fn submit(&self, path: &str, pairs: &[(&str, &str)]) -> Page {
        let csrf = self.csrf(&self.home).await;
        let mut all = vec![("csrf_token", csrf.as_str())];
        all.extend_from_slice(pairs);
        self.post(path, &all).await
    }

    /// Posts a multipart form with this session's CSRF token first.
    pub async fn submit_multipart(&self, path: &str, parts: &[Part<'_>]) -> Page {
        let csrf = self.csrf(&self.home).await;
        let mut all = vec![Part::Text("csrf_token", &csrf)];
        all.extend_from_slice(parts);
        self.post_multipart(path, &all).await
    }
}
