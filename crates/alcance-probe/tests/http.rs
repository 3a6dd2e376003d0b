//! HTTP probes against real servers on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use alcance_probe::{HttpFailure, HttpMethod, HttpOutcome, HttpProbe, ProbeOptions, Prober};
use common::{Reply, closed_port, get, loopback, prober, prober_with, serve};

fn with_keyword(url: String, keyword: &str) -> HttpProbe {
    HttpProbe { keyword: Some(keyword.to_owned()), ..get(url) }
}

async fn run(prober: &Prober, probe: HttpProbe) -> HttpOutcome {
    prober.http(&probe).await
}

#[tokio::test]
async fn up_with_the_keyword() {
    let server = serve(|_| Reply::status(200, "<h1>Trámites en línea: operativo</h1>")).await;
    let outcome = run(&prober(), with_keyword(server.url("/health?x=1"), "operativo")).await;
    assert!(outcome.ok(), "{outcome:?}");
    assert_eq!(outcome.status, Some(200));
    assert!(!outcome.truncated);
    assert_eq!(outcome.redirects, 0);
    assert!(outcome.elapsed_ms < 2000, "{outcome:?}");
    let seen = server.seen();
    assert_eq!(seen[0].line, "GET /health?x=1 HTTP/1.1");
    let agent = seen[0].header("user-agent").unwrap();
    assert!(agent.starts_with("Alcance-Monitor/"), "{agent}");
    assert_eq!(seen[0].header("host").unwrap(), server.addr.to_string());
}

#[tokio::test]
async fn keyword_missing_is_a_failure_and_the_search_is_case_sensitive() {
    let server = serve(|_| Reply::status(200, "Service Operational")).await;
    let outcome = run(&prober(), with_keyword(server.url("/"), "operational")).await;
    assert_eq!(outcome.failure, Some(HttpFailure::KeywordMissing));
    assert_eq!(outcome.status, Some(200));
    assert_eq!(outcome.failure.unwrap().code(), "keyword_missing");
}

#[tokio::test]
async fn an_unexpected_status_is_reported_with_both_codes() {
    let server = serve(|_| Reply::status(503, "maintenance")).await;
    let outcome = run(&prober(), get(server.url("/"))).await;
    let failure = outcome.failure.unwrap();
    assert_eq!(failure, HttpFailure::UnexpectedStatus { expected: 200, got: 503 });
    assert_eq!(failure.code(), "unexpected_status");
    assert_eq!(failure.to_string(), "expected HTTP status 200, got 503");
    assert_eq!(outcome.status, Some(503));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_on_time() {
    let server = serve(|_| Reply::Silent).await;
    let probe = HttpProbe { timeout: Duration::from_millis(400), ..get(server.url("/")) };
    let outcome = run(&prober(), probe).await;
    assert_eq!(outcome.failure, Some(HttpFailure::Timeout));
    assert_eq!(outcome.status, None);
    assert!((400..1500).contains(&outcome.elapsed_ms), "{}", outcome.elapsed_ms);
}

#[tokio::test]
async fn a_closed_port_is_a_connect_failure() {
    let port = closed_port().await;
    let outcome = run(&prober(), get(format!("http://127.0.0.1:{port}/"))).await;
    let failure = outcome.failure.unwrap();
    assert!(matches!(failure, HttpFailure::Connect(_)), "{failure:?}");
    assert_eq!(failure.code(), "connect");
}

#[tokio::test]
async fn elapsed_time_includes_a_slow_answer() {
    let server = serve(|_| Reply::Answer {
        status: 200,
        headers: Vec::new(),
        body: b"late".to_vec(),
        delay: Duration::from_millis(300),
    })
    .await;
    let outcome = run(&prober(), get(server.url("/"))).await;
    assert!(outcome.ok(), "{outcome:?}");
    assert!((300..1500).contains(&outcome.elapsed_ms), "{}", outcome.elapsed_ms);
}

#[tokio::test]
async fn a_body_over_the_limit_is_read_up_to_it_and_searched_there() {
    let mut body = b"<title>ok-early</title>".to_vec();
    body.resize(300_000, b'x');
    body.extend_from_slice(b"late-word");
    let server =
        serve(move |_| Reply::Answer { status: 200, headers: Vec::new(), body: body.clone(), delay: Duration::ZERO })
            .await;
    let prober = prober_with(ProbeOptions {
        allowed_networks: loopback(),
        max_body_bytes: 64 * 1024,
        ..ProbeOptions::default()
    });
    let early = run(&prober, with_keyword(server.url("/"), "ok-early")).await;
    assert!(early.ok(), "{early:?}");
    assert!(early.truncated);
    assert_eq!(early.body_bytes, 64 * 1024);
    let late = run(&prober, with_keyword(server.url("/"), "late-word")).await;
    assert_eq!(late.failure, Some(HttpFailure::KeywordMissing));
    assert!(late.truncated);
    // Without a keyword the body is still read (to time it), and still only up to the limit.
    let plain = run(&prober, get(server.url("/"))).await;
    assert!(plain.ok() && plain.truncated, "{plain:?}");
}

#[tokio::test]
async fn a_body_exactly_at_the_limit_is_not_truncated() {
    let server = serve(|_| Reply::status(200, "0123456789")).await;
    let prober =
        prober_with(ProbeOptions { allowed_networks: loopback(), max_body_bytes: 10, ..ProbeOptions::default() });
    let outcome = run(&prober, with_keyword(server.url("/"), "789")).await;
    assert!(outcome.ok(), "{outcome:?}");
    assert!(!outcome.truncated);
    assert_eq!(outcome.body_bytes, 10);
}

#[tokio::test]
async fn head_and_post_are_sent_as_such() {
    let server = serve(|_| Reply::status(200, "body")).await;
    let prober = prober();
    for method in [HttpMethod::Head, HttpMethod::Post] {
        let outcome = run(&prober, HttpProbe { method, ..get(server.url("/m")) }).await;
        assert!(outcome.ok(), "{method}: {outcome:?}");
    }
    let seen = server.seen();
    assert_eq!(seen[0].line, "HEAD /m HTTP/1.1");
    assert_eq!(seen[1].line, "POST /m HTTP/1.1");
    assert_eq!(seen[1].header("content-length").as_deref(), Some("0"));
}

#[tokio::test]
async fn an_answer_that_is_not_http_is_another_failure() {
    let server = serve(|_| Reply::Garbage).await;
    let outcome = run(&prober(), get(server.url("/"))).await;
    let failure = outcome.failure.unwrap();
    assert_eq!(failure.code(), "other", "{failure:?}");
}

#[tokio::test]
async fn bad_urls_and_unknown_hosts_fail_before_any_connection() {
    let prober = prober();
    for url in ["ftp://example.com/", "not a url", "http://", "javascript:alert(1)"] {
        let outcome = run(&prober, get(url.to_owned())).await;
        let failure = outcome.failure.unwrap();
        assert_eq!(failure.code(), "invalid_url", "{url}: {failure:?}");
    }
    let outcome = run(&prober, get("http://no-such-host.invalid/".into())).await;
    let failure = outcome.failure.unwrap();
    assert!(matches!(failure, HttpFailure::Dns(_)), "{failure:?}");
}
