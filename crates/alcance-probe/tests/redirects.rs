//! Redirects: followed (at most 5), each hop guarded, credentials kept to the first origin.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use alcance_probe::{BlockReason, HttpFailure, HttpMethod, HttpProbe, MAX_REDIRECTS};
use common::{Reply, get, prober, serve};

#[tokio::test]
async fn redirects_are_followed_to_the_final_answer() {
    let server = serve(|path| match path {
        "/old" => Reply::redirect(301, "/moved?from=old"),
        "/moved?from=old" => Reply::redirect(302, "final"),
        "/final" => Reply::status(200, "bienvenido"),
        _ => Reply::status(404, ""),
    })
    .await;
    let probe = HttpProbe { keyword: Some("bienvenido".into()), ..get(server.url("/old")) };
    let outcome = prober().http(&probe).await;
    assert!(outcome.ok(), "{outcome:?}");
    assert_eq!(outcome.redirects, 2);
    assert_eq!(outcome.status, Some(200));
}

#[tokio::test]
async fn a_redirect_loop_stops_after_five() {
    let server = serve(|_| Reply::redirect(302, "/again")).await;
    let outcome = prober().http(&get(server.url("/"))).await;
    let failure = outcome.failure.unwrap();
    assert_eq!(failure.code(), "other");
    assert!(failure.to_string().contains("redirects"), "{failure}");
    assert_eq!(outcome.redirects, MAX_REDIRECTS);
    assert_eq!(server.seen().len(), 6);
}

#[tokio::test]
async fn an_expected_redirect_status_is_checked_not_followed() {
    let server = serve(|_| Reply::redirect(301, "https://elsewhere.example/")).await;
    let probe = HttpProbe { expected_status: 301, ..get(server.url("/")) };
    let outcome = prober().http(&probe).await;
    assert!(outcome.ok(), "{outcome:?}");
    assert_eq!(outcome.status, Some(301));
    assert_eq!(outcome.redirects, 0);
}

#[tokio::test]
async fn each_hop_goes_through_the_guard() {
    let server = serve(|_| Reply::redirect(302, "http://169.254.169.254/latest/meta-data/")).await;
    let outcome = prober().http(&get(server.url("/"))).await;
    match outcome.failure {
        Some(HttpFailure::Blocked(blocked)) => {
            assert_eq!(blocked.reason, BlockReason::Metadata);
            assert_eq!(blocked.ip.to_string(), "169.254.169.254");
        }
        other => panic!("expected a blocked redirect, got {other:?}"),
    }
    let server = serve(|_| Reply::redirect(302, "file:///etc/passwd")).await;
    let outcome = prober().http(&get(server.url("/"))).await;
    assert_eq!(outcome.failure.unwrap().code(), "invalid_url");
}

#[tokio::test]
async fn post_becomes_get_after_303_and_credentials_stay_with_their_origin() {
    let elsewhere = serve(|_| Reply::status(200, "done")).await;
    // "localhost" is another origin than "127.0.0.1", though the same machine.
    let other_origin = format!("http://localhost:{}/other", elsewhere.addr.port());
    let entry = serve(move |path| match path {
        "/form" => Reply::redirect(303, "/same-origin"),
        _ => Reply::redirect(307, &other_origin),
    })
    .await;
    let url = format!("http://monitor:p%40ss@127.0.0.1:{}/form", entry.addr.port());
    let probe = HttpProbe { method: HttpMethod::Post, ..get(url) };
    let outcome = prober().http(&probe).await;
    assert!(outcome.ok(), "{outcome:?}");
    assert_eq!(outcome.redirects, 2);
    let seen = entry.seen();
    assert_eq!(seen[0].line, "POST /form HTTP/1.1");
    assert_eq!(seen[1].line, "GET /same-origin HTTP/1.1");
    // base64("monitor:p@ss")
    let basic = Some("Basic bW9uaXRvcjpwQHNz".to_owned());
    assert_eq!(seen[0].header("authorization"), basic);
    assert_eq!(seen[1].header("authorization"), basic);
    let seen = elsewhere.seen();
    assert_eq!(seen[0].line, "GET /other HTTP/1.1");
    assert_eq!(seen[0].header("authorization"), None);
}
