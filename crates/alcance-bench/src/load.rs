//! The HTTP side: setup calls and the three measured phases.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::text::{self, PRIORITIES, XorShift};

#[derive(Clone)]
pub struct Api {
    client: Client,
    base: String,
}

impl Api {
    pub fn new(base: &str) -> anyhow::Result<Self> {
        let client =
            Client::builder().timeout(Duration::from_secs(60)).build().context("cannot build the HTTP client")?;
        Ok(Self { client, base: base.to_owned() })
    }

    /// Polls GET /healthz every 50 ms until it answers 200; `alive` reports a dead server.
    pub async fn wait_healthy(&self, mut alive: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            alive()?;
            if let Ok(r) =
                self.client.get(format!("{}/healthz", self.base)).timeout(Duration::from_secs(2)).send().await
                && r.status() == StatusCode::OK
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("the server did not answer GET /healthz within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A JSON request that must answer `expect`; returns the parsed body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
        expect: StatusCode,
    ) -> anyhow::Result<Value> {
        let mut request = self.client.request(method.clone(), format!("{}{path}", self.base)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.with_context(|| format!("{method} {path} failed"))?;
        let status = response.status();
        let text = response.text().await.with_context(|| format!("{method} {path}: cannot read the answer"))?;
        if status != expect {
            bail!("{method} {path} answered {status} (expected {expect}): {text}");
        }
        serde_json::from_str(&text).with_context(|| format!("{method} {path}: the answer is not JSON: {text}"))
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
        self.call(reqwest::Method::POST, path, token, Some(body), StatusCode::CREATED).await
    }

    pub async fn get(&self, path: &str, token: &str) -> anyhow::Result<Value> {
        self.call(reqwest::Method::GET, path, token, None, StatusCode::OK).await
    }

    /// A GET timed from sending to the last byte of the answer, in milliseconds.
    async fn timed_get(&self, path: &str, token: &str) -> anyhow::Result<f64> {
        let start = Instant::now();
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .with_context(|| format!("GET {path} failed"))?;
        let status = response.status();
        let body = response.bytes().await.with_context(|| format!("GET {path}: cannot read the answer"))?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        if status != StatusCode::OK {
            bail!("GET {path} answered {status}: {}", String::from_utf8_lossy(&body));
        }
        Ok(ms)
    }
}

/// What the creation phase measured.
pub struct Created {
    pub seconds: f64,
    pub first_number: i64,
    pub last_number: i64,
}

/// Opens `count` tickets as a client contact with `concurrency` tasks; any failure aborts.
pub async fn create_tickets(api: &Api, token: &str, count: u64, concurrency: usize) -> anyhow::Result<Created> {
    let next = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let low = Arc::new(AtomicI64::new(i64::MAX));
    let high = Arc::new(AtomicI64::new(i64::MIN));
    let token: Arc<str> = token.into();
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (api, next, failures, stop, low, high, token) =
            (api.clone(), next.clone(), failures.clone(), stop.clone(), low.clone(), high.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut first_error = None;
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let (subject, body) = text::ticket(i);
                let priority = PRIORITIES[(i % PRIORITIES.len() as u64) as usize];
                let answer = api
                    .post("/api/v1/tickets", &token, json!({"subject": subject, "body": body, "priority": priority}))
                    .await;
                match answer
                    .and_then(|t| t["number"].as_i64().ok_or_else(|| anyhow!("no ticket number in the answer: {t}")))
                {
                    Ok(number) => {
                        low.fetch_min(number, Ordering::Relaxed);
                        high.fetch_max(number, Ordering::Relaxed);
                    }
                    Err(e) => {
                        failures.fetch_add(1, Ordering::Relaxed);
                        stop.store(true, Ordering::Relaxed);
                        first_error.get_or_insert(e);
                    }
                }
                if i > 0 && i % 10_000 == 0 {
                    eprintln!("bench: {i} tickets sent ({:.0}/s)", i as f64 / start.elapsed().as_secs_f64());
                }
            }
            first_error
        }));
    }
    let mut first_error = None;
    for task in tasks {
        if let Some(e) = task.await.context("a creation task panicked")? {
            first_error.get_or_insert(e);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    if let Some(e) = first_error {
        return Err(e.context(format!("{} ticket creation(s) failed; aborting", failures.load(Ordering::Relaxed))));
    }
    let (first_number, last_number) = (low.load(Ordering::Relaxed), high.load(Ordering::Relaxed));
    if count > 0 && (last_number - first_number + 1) as u64 != count {
        eprintln!("bench: note: {count} tickets got numbers {first_number}..={last_number} (not gapless)");
    }
    Ok(Created { seconds, first_number, last_number })
}

/// Filtered, paginated lists: alternates filter combinations, first pages and cursors
/// from the middle of the numbers created. Returns each request's latency in ms.
pub async fn list_latencies(
    api: &Api,
    token: &str,
    created: &Created,
    requests: usize,
    rng: &mut XorShift,
) -> anyhow::Result<Vec<f64>> {
    let mut out = Vec::with_capacity(requests);
    let (low, high) = (created.first_number, created.last_number);
    let middle = (low + (high - low) / 4, high - (high - low) / 4);
    for i in 0..requests {
        let cursor = rng.range(middle.0, middle.1);
        let path = match i % 5 {
            0 => "/api/v1/tickets?status=new&priority=high&limit=25".to_owned(),
            1 => format!("/api/v1/tickets?status=new&priority=high&limit=25&cursor={cursor}"),
            2 => format!("/api/v1/tickets?status=new,open&priority=critical&limit=25&cursor={cursor}"),
            3 => format!("/api/v1/tickets?organization=bench-org&priority=low&limit=25&cursor={cursor}"),
            _ => format!("/api/v1/tickets?status=new&limit=25&cursor={cursor}"),
        };
        out.push(api.timed_get(&path, token).await?);
    }
    Ok(out)
}

/// One ticket's detail at a random number among those created. Latencies in ms.
pub async fn get_latencies(
    api: &Api,
    token: &str,
    created: &Created,
    requests: usize,
    rng: &mut XorShift,
) -> anyhow::Result<Vec<f64>> {
    let mut out = Vec::with_capacity(requests);
    for _ in 0..requests {
        let number = rng.range(created.first_number, created.last_number);
        out.push(api.timed_get(&format!("/api/v1/tickets/{number}"), token).await?);
    }
    Ok(out)
}

/// Signs in through the HTML form, as a browser does, and returns the session cookie.
pub async fn browser_session(api: &Api, email: &str, password: &str) -> anyhow::Result<String> {
    let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let form = format!("email={}&password={}", urlencode(email), urlencode(password));
    let response = client
        .post(format!("{}/login", api.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .context("POST /login failed")?;
    if response.status() != StatusCode::SEE_OTHER {
        bail!("POST /login answered {} instead of a redirect", response.status());
    }
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next().filter(|c| c.starts_with("alcance_session=")).map(str::to_owned))
        .context("POST /login set no session cookie")
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The agent console's queue page, rendered in full (HTML), for the saved views, a
/// filtered view and a deep page. Latencies in ms.
pub async fn queue_latencies(api: &Api, cookie: &str, requests: usize) -> anyhow::Result<Vec<f64>> {
    let paths = [
        "/agent?view=open",
        "/agent?view=unclassified",
        "/agent?view=open&priority=high&sort=oldest",
        "/agent?view=open&page=20",
        "/agent?view=mine",
    ];
    let mut out = Vec::with_capacity(requests);
    for i in 0..requests {
        let path = paths[i % paths.len()];
        let started = Instant::now();
        let response = api.client.get(format!("{}{path}", api.base)).header("cookie", cookie).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        if status != StatusCode::OK {
            bail!("GET {path} answered {status}");
        }
        std::hint::black_box(body);
        out.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    // Which view is slow, when one is: p50 and p99 per path.
    for (i, path) in paths.iter().enumerate() {
        let mine: Vec<f64> = out.iter().skip(i).step_by(paths.len()).copied().collect();
        eprintln!("bench: queue {path}: p50 {:.2} ms, p99 {:.2} ms", percentile(&mine, 50.0), percentile(&mine, 99.0));
    }
    Ok(out)
}

/// Nearest-rank percentile (`p` in 0..=100) of unsorted samples.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
