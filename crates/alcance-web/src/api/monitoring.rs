//! What monitoring tools call: the heartbeat URL of backup and cron jobs, and the alert
//! receivers for Prometheus Alertmanager, Checkmk-style notification scripts (Nagios,
//! Icinga, Zabbix) and a generic JSON webhook. Alerts authenticate with an organisation's
//! integration token (`Authorization: Bearer alc_int_…`, or a `token` form field for
//! scripts that cannot set headers); they never carry cookies, so no CSRF applies.

use alcance_app::App;
use alcance_app::monitoring::{self, Reported, alerts};
use alcance_domain::alerts::{AlertParseError, AlertSignal, parse_alertmanager, parse_checkmk, parse_webhook};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::{Problem, ProblemBody};

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(heartbeat_get, heartbeat_post))
        .routes(routes!(alertmanager))
        .routes(routes!(checkmk))
        .routes(routes!(webhook))
}

#[derive(Serialize, ToSchema)]
pub struct HeartbeatOut {
    pub ok: bool,
}

/// A backup or cron job checks in (GET or POST; no body needed).
#[utoipa::path(get, path = "/api/v1/heartbeat/{secret}", tag = "monitoring",
    params(("secret" = String, Path, description = "The secret part of the heartbeat's URL")),
    responses((status = 200, body = HeartbeatOut), (status = 404, body = ProblemBody)))]
async fn heartbeat_get(State(app): State<App>, Path(secret): Path<String>) -> Result<Json<HeartbeatOut>, Problem> {
    monitoring::heartbeat(&app, &secret).await?;
    Ok(Json(HeartbeatOut { ok: true }))
}

/// The same as GET, for tools that POST.
#[utoipa::path(post, path = "/api/v1/heartbeat/{secret}", tag = "monitoring",
    params(("secret" = String, Path, description = "The secret part of the heartbeat's URL")),
    responses((status = 200, body = HeartbeatOut), (status = 404, body = ProblemBody)))]
async fn heartbeat_post(State(app): State<App>, Path(secret): Path<String>) -> Result<Json<HeartbeatOut>, Problem> {
    heartbeat_get(State(app), Path(secret)).await
}

/// What Alcance did with each alert of a notification, in order.
#[derive(Serialize, ToSchema)]
pub struct AlertsOut {
    pub results: Vec<AlertResultOut>,
}

#[derive(Serialize, ToSchema)]
pub struct AlertResultOut {
    /// opened, updated, recovered or ignored (a recovery with no open incident).
    pub action: String,
    /// The ticket that tracks the incident.
    pub ticket_number: Option<i64>,
}

impl From<Reported> for AlertResultOut {
    fn from(r: Reported) -> Self {
        let (action, ticket_number) = match r {
            Reported::Opened { ticket_number } => ("opened", Some(ticket_number)),
            Reported::Continued { ticket_number, .. } => ("updated", Some(ticket_number)),
            Reported::Recovered { ticket_number, .. } => ("recovered", Some(ticket_number)),
            Reported::NothingOpen => ("ignored", None),
        };
        AlertResultOut { action: action.to_owned(), ticket_number }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

fn parse_problem(e: AlertParseError) -> Problem {
    e.to_field_error().into()
}

async fn apply(app: &App, token: Option<&str>, signals: Vec<AlertSignal>) -> Result<Json<AlertsOut>, Problem> {
    let token = token.ok_or_else(|| Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated"))?;
    let integration = alerts::authenticate(app, token).await?;
    let results = alerts::receive(app, integration, signals).await?;
    Ok(Json(AlertsOut { results: results.into_iter().map(AlertResultOut::from).collect() }))
}

/// Prometheus Alertmanager's webhook (`webhook_configs` with `http_config.authorization`
/// set to the integration token). Firing alerts open or update one ticket per fingerprint;
/// resolved ones end the incident.
#[utoipa::path(post, path = "/api/v1/integrations/alertmanager", tag = "monitoring",
    request_body(content = String, content_type = "application/json", description = "Alertmanager webhook payload (version 4)"),
    security(("bearer" = [])),
    responses((status = 200, body = AlertsOut), (status = 401, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn alertmanager(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Result<Json<AlertsOut>, Problem> {
    let token = bearer(&headers).map(str::to_owned);
    // Authenticate first: an unknown caller learns nothing about the payload rules.
    if let Some(t) = &token {
        alerts::authenticate(&app, t).await?;
    }
    let signals = parse_alertmanager(&body).map_err(parse_problem)?;
    apply(&app, token.as_deref(), signals).await
}

/// A Checkmk-style notification, as form fields: `host`, `state` (OK, UP, WARNING,
/// CRITICAL, DOWN, UNREACHABLE, UNKNOWN or 0-3), optional `service`, `text`, `event_id`.
/// OK and UP end the incident.
#[utoipa::path(post, path = "/api/v1/integrations/checkmk", tag = "monitoring",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    security(("bearer" = [])),
    responses((status = 200, body = AlertsOut), (status = 401, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn checkmk(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Result<Json<AlertsOut>, Problem> {
    let fields: Vec<(String, String)> = form_urlencoded_pairs(&body);
    let token = bearer(&headers)
        .map(str::to_owned)
        .or_else(|| fields.iter().find(|(k, _)| k == "token").map(|(_, v)| v.clone()));
    if let Some(t) = &token {
        alerts::authenticate(&app, t).await?;
    }
    let signal = parse_checkmk(&fields).map_err(parse_problem)?;
    apply(&app, token.as_deref(), vec![signal]).await
}

fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

/// A generic JSON alert: `{"key", "status": "firing"|"resolved", "severity", "title", "details", "category"}`.
#[utoipa::path(post, path = "/api/v1/integrations/webhook", tag = "monitoring",
    request_body(content = String, content_type = "application/json"),
    security(("bearer" = [])),
    responses((status = 200, body = AlertsOut), (status = 401, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn webhook(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Result<Json<AlertsOut>, Problem> {
    let token = bearer(&headers).map(str::to_owned);
    if let Some(t) = &token {
        alerts::authenticate(&app, t).await?;
    }
    let signal = parse_webhook(&body).map_err(parse_problem)?;
    apply(&app, token.as_deref(), vec![signal]).await
}
