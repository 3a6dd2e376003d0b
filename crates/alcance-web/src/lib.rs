//! HTTP for Alcance: the HTML pages and the JSON API. Thin by design: parse
//! the request, call one use case in alcance-app, shape the answer. Only this crate knows
//! HTTP.

// Page handlers return `PageError`, which carries the page context so the error page can be
// rendered in the user's language with their navigation; it is large, and that is fine.
#![allow(clippy::result_large_err)]

pub mod api;
mod extract;
mod i18n;
pub mod pages;
mod problem;
mod view;

use std::future::Future;
use std::sync::Arc;

use alcance_app::App;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use tokio::net::TcpListener;

pub use i18n::Lang;
pub use problem::Problem;

const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Bodies of JSON requests are capped well above the largest valid ticket.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

pub fn router(app: App) -> Router {
    let (api, openapi) = api::routes(app.settings.max_attachment_bytes);
    let spec = Arc::new(openapi.to_json().unwrap_or_default());
    Router::new()
        .merge(api)
        .merge(pages::router())
        .route("/api/v1/openapi.json", get(move || openapi_json(spec.clone())))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .layer(axum::middleware::from_fn(problem::localize))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(app)
}

/// Unknown addresses: a problem for API clients, a page for people.
async fn not_found(uri: axum::http::Uri, page: pages::Visitor) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        Problem::not_found().into_response()
    } else {
        pages::PageError::NotFound(page.0).into_response()
    }
}

async fn openapi_json(spec: Arc<String>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], spec.as_str().to_owned())
}

/// Ready when the database answers and is at the schema version this build expects.
async fn readyz(State(app): State<App>) -> impl IntoResponse {
    match app.store.schema_version().await {
        Ok(v) if v == alcance_app::Store::latest_schema_version() => {
            (StatusCode::OK, Json(serde_json::json!({"status": "ready", "schema_version": v})))
        }
        Ok(v) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "schema_mismatch", "schema_version": v})),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "database_unavailable"})))
        }
    }
}

async fn security_headers(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let is_html =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    // Pages load only our own scripts, styles and images: no inline script or style at all.
    let csp = if is_html { PAGE_CSP } else { "default-src 'none'; frame-ancestors 'none'" };
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(csp));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(app).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
