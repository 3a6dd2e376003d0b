//! The JSON API under /api/v1. Each resource module has its own `router()`; the OpenAPI
//! document is collected from the handlers' annotations, never written by hand.

pub mod directory;
pub mod dto;
pub mod hours;
pub mod monitoring;
pub mod monitors;
pub mod quotes;
pub mod session;
pub mod tickets;

use alcance_app::App;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

use crate::problem::Problem;

/// Ids and numbers in paths: anything that is not a positive integer names nothing.
pub(crate) fn id_param(text: &str) -> Result<i64, Problem> {
    text.trim_start_matches('#').parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(Problem::not_found)
}

pub(crate) fn query_problem(rejection: QueryRejection) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, "malformed_json").with_arg("detail", rejection.body_text())
}

/// The API routes and their OpenAPI description.
pub fn routes(max_attachment_bytes: usize) -> (axum::Router<App>, OpenApi) {
    let (router, mut api) = OpenApiRouter::new()
        .merge(tickets::router(max_attachment_bytes))
        .merge(directory::router())
        .merge(session::router())
        .merge(hours::router())
        .merge(quotes::router())
        .merge(monitoring::router())
        .merge(monitors::router())
        .split_for_parts();
    api.info.title = "Alcance API".into();
    api.info.version = env!("CARGO_PKG_VERSION").into();
    api.info.description = Some(
        "Help desk API. Authenticate with `Authorization: Bearer alc_…` (an API token) or the session cookie \
         plus the `X-CSRF-Token` header. Errors are RFC 9457 problem+json in Spanish by default; send \
         `Accept-Language: en` for English."
            .into(),
    );
    let components = api.components.get_or_insert_with(Default::default);
    components
        .add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    (router, api)
}
