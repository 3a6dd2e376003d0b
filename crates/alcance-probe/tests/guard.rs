//! The SSRF guard as a probe meets it: blocked hosts are never connected to.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use alcance_probe::{BlockReason, HttpFailure, ProbeOptions, Prober, TlsFailure, TlsProbe};
use common::{Reply, get, prober, serve};

fn guarded() -> Prober {
    Prober::new(ProbeOptions::default()).unwrap()
}

async fn blocked(prober: &Prober, url: String) -> (String, std::net::IpAddr, BlockReason) {
    let outcome = prober.http(&get(url.clone())).await;
    match outcome.failure {
        Some(HttpFailure::Blocked(blocked)) => {
            assert_eq!(outcome.status, None);
            (blocked.host, blocked.ip, blocked.reason)
        }
        other => panic!("{url}: expected Blocked, got {other:?}"),
    }
}

#[tokio::test]
async fn loopback_is_blocked_by_default_and_never_connected_to() {
    let server = serve(|_| Reply::status(200, "secret admin page")).await;
    let port = server.addr.port();
    let guarded = guarded();

    let (_, ip, reason) = blocked(&guarded, format!("http://127.0.0.1:{port}/")).await;
    assert_eq!((ip.to_string().as_str(), reason), ("127.0.0.1", BlockReason::Loopback));

    let (_, _, reason) = blocked(&guarded, format!("http://[::ffff:127.0.0.1]:{port}/")).await;
    assert_eq!(reason, BlockReason::Loopback);

    // Written as a decimal number, still 127.0.0.1.
    let (_, _, reason) = blocked(&guarded, format!("http://2130706433:{port}/")).await;
    assert_eq!(reason, BlockReason::Loopback);

    let (host, ip, reason) = blocked(&guarded, format!("http://localhost:{port}/")).await;
    assert_eq!(host, "localhost");
    assert!(ip.is_loopback(), "{ip}");
    assert_eq!(reason, BlockReason::Loopback);

    assert_eq!(server.connections(), 0, "the guard must refuse before connecting");

    // The same server, once loopback is allowed: also through the IPv4-mapped form.
    let allowed = prober();
    for url in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
        format!("http://localhost:{port}/"),
    ] {
        let outcome = allowed.http(&get(url.clone())).await;
        assert!(outcome.ok(), "{url}: {outcome:?}");
    }
}

#[tokio::test]
async fn the_metadata_endpoint_is_blocked_even_in_an_allowed_range() {
    let wide = Prober::new(ProbeOptions {
        allowed_networks: vec!["169.254.0.0/16".parse().unwrap()],
        ..ProbeOptions::default()
    })
    .unwrap();
    for prober in [guarded(), wide] {
        let (host, _, reason) = blocked(&prober, "http://169.254.169.254/latest/".into()).await;
        assert_eq!(host, "169.254.169.254");
        assert_eq!(reason, BlockReason::Metadata);
    }
    let (_, _, reason) = blocked(&guarded(), "http://[fd00:ec2::254]/".into()).await;
    assert_eq!(reason, BlockReason::Metadata);
}

#[tokio::test]
async fn private_addresses_are_blocked_without_a_packet_sent() {
    let guarded = guarded();
    let (_, _, reason) = blocked(&guarded, "https://10.1.2.3/".into()).await;
    assert_eq!(reason, BlockReason::Private);
    let (_, _, reason) = blocked(&guarded, "http://100.64.0.1/".into()).await;
    assert_eq!(reason, BlockReason::SharedCgnat);
    let (_, _, reason) = blocked(&guarded, "http://0.0.0.0/".into()).await;
    assert_eq!(reason, BlockReason::Unspecified);
}

#[tokio::test]
async fn the_blocked_message_never_shows_the_password() {
    let outcome = guarded().http(&get("http://admin:hunter2@127.0.0.1/".into())).await;
    let failure = outcome.failure.unwrap();
    assert_eq!(failure.code(), "blocked");
    let text = failure.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("127.0.0.1 is a loopback address"), "{text}");
}

#[tokio::test]
async fn tls_probes_are_guarded_too() {
    let outcome =
        guarded().tls(&TlsProbe { host: "localhost".into(), port: 443, timeout: Duration::from_secs(5) }).await;
    match outcome.result {
        Err(TlsFailure::Blocked(blocked)) => assert_eq!(blocked.reason, BlockReason::Loopback),
        other => panic!("expected Blocked, got {other:?}"),
    }
}
