//! Extractors: who is calling, and JSON bodies whose every failure is a problem naming
//! the field.

use alcance_app::{Actor, App, auth};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::problem::Problem;

pub const SESSION_COOKIE: &str = "alcance_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Token,
    Session,
}

/// The authenticated caller.
pub struct Caller {
    pub actor: Actor,
    pub via: Via,
}

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<App> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated"))?;
            let actor = auth::actor_for_token(app, token.trim()).await?;
            return Ok(Caller { actor, via: Via::Token });
        }
        if let Some(session) = cookie(parts, SESSION_COOKIE) {
            let (actor, csrf) = auth::actor_for_session(app, session).await?;
            // A cookie travels with any request the browser makes, so changes must also
            // carry the token only our own pages can read.
            let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            let echoed = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if !safe && echoed != Some(csrf.as_str()) {
                return Err(Problem::new(StatusCode::FORBIDDEN, "csrf_failed"));
            }
            return Ok(Caller { actor, via: Via::Session });
        }
        Err(Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated"))
    }
}

/// A JSON body. Wrong content type: 415; too large: 413; not JSON (including invalid
/// UTF-8): 400; JSON of the wrong shape (type, unknown field, missing field, unknown enum
/// value): 422 naming the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            _ => Problem::new(StatusCode::BAD_REQUEST, "malformed_json").with_arg("detail", rejection.body_text()),
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    // Derived structs would also accept an array of their fields in order; a body is an
    // object with named fields, nothing else.
    let starts_as_object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !starts_as_object {
        return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Ok(_) => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            Err(e) => Problem::new(StatusCode::BAD_REQUEST, "malformed_json").with_arg("detail", e.to_string()),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(json_problem)?;
    deserializer
        .end()
        .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "malformed_json").with_arg("detail", e.to_string()))?;
    Ok(value)
}

fn json_problem(err: serde_path_to_error::Error<serde_json::Error>) -> Problem {
    let path = err.path().to_string();
    let inner = err.inner();
    if !inner.is_data() {
        return Problem::new(StatusCode::BAD_REQUEST, "malformed_json").with_arg("detail", inner.to_string());
    }
    let message = inner.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
    if let Some(name) = between(&message, "missing field `", "`") {
        let field = if path == "." { name } else { format!("{path}.{name}") };
        return Problem::field(field, "required", None);
    }
    if message.starts_with("unknown field `") {
        // The path already ends at the unknown field.
        return Problem::field(path, "unknown_field", None);
    }
    if message.starts_with("unknown variant") {
        let allowed = message.split("expected ").nth(1).map(|s| s.replace('`', ""));
        return Problem::field(path, "unknown_value", allowed);
    }
    Problem::field(path, "invalid_type", Some(message))
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let rest = text.split_once(start)?.1;
    Some(rest.split_once(end)?.0.to_owned())
}
