//! Monitors and integration tokens over the API: admins set them up, staff read them.

use alcance_app::App;
use alcance_app::monitoring::{self, views};
use alcance_domain::monitor::MonitorInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::id_param;
use crate::extract::{ApiJson, Caller};
use crate::problem::{Problem, ProblemBody};

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_monitors, create_monitor))
        .routes(routes!(get_monitor))
        .routes(routes!(create_integration_token))
}

/// A monitor with its state and uptime.
#[derive(Serialize, ToSchema)]
pub struct MonitorOut {
    pub id: i64,
    pub organization: String,
    pub asset_id: Option<i64>,
    pub name: String,
    /// http, tls or heartbeat.
    pub kind: String,
    pub target: String,
    pub interval_seconds: i64,
    pub enabled: bool,
    /// pending, up or down (an incident is open).
    pub state: String,
    pub last_check_at: Option<DateTime<Utc>>,
    pub last_response_ms: Option<i64>,
    /// The last check's finding: healthy, timeout, unexpected_status, certificate_expiring…
    pub last_code: Option<String>,
    pub certificate_expires_at: Option<DateTime<Utc>>,
    pub certificate_days_left: Option<i64>,
    /// Percent of good checks in the last 24 hours, 7 and 30 days.
    pub uptime_24h: Option<f64>,
    pub uptime_7d: Option<f64>,
    pub uptime_30d: Option<f64>,
    /// The ticket of the open incident.
    pub open_ticket_number: Option<i64>,
    /// Only in the answer that creates a heartbeat: the URL to call, shown this once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_url: Option<String>,
}

impl From<views::MonitorSummary> for MonitorOut {
    fn from(s: views::MonitorSummary) -> Self {
        let m = s.monitor;
        MonitorOut {
            id: m.id,
            organization: s.organization.slug,
            asset_id: m.asset_id,
            name: m.name,
            kind: m.kind.as_str().to_owned(),
            target: m.target,
            interval_seconds: m.interval_seconds,
            enabled: m.enabled,
            state: m.state.as_str().to_owned(),
            last_check_at: m.last_check_at,
            last_response_ms: m.last_response_ms,
            last_code: m.last_code,
            certificate_expires_at: m.cert_not_after,
            certificate_days_left: s.certificate_days_left,
            uptime_24h: s.uptime.day,
            uptime_7d: s.uptime.week,
            uptime_30d: s.uptime.month,
            open_ticket_number: s.open_ticket,
            heartbeat_url: None,
        }
    }
}

/// Every monitor (staff).
#[utoipa::path(get, path = "/api/v1/monitors", tag = "monitoring",
    responses((status = 200, body = Vec<MonitorOut>), (status = 403, body = ProblemBody)), security(("bearer" = [])))]
async fn list_monitors(State(app): State<App>, caller: Caller) -> Result<Json<Vec<MonitorOut>>, Problem> {
    let all = views::console(&app, &caller.actor, None).await?;
    Ok(Json(all.into_iter().map(MonitorOut::from).collect()))
}

/// One monitor (staff).
#[utoipa::path(get, path = "/api/v1/monitors/{id}", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = MonitorOut), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_monitor(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<MonitorOut>, Problem> {
    let detail = views::detail(&app, &caller.actor, id_param(&id)?).await?;
    Ok(Json(detail.summary.into()))
}

/// A new monitor. Empty or absent settings take the kind's defaults.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMonitor {
    /// The organisation's slug.
    pub organization: String,
    pub asset_id: Option<i64>,
    pub name: String,
    /// http, tls or heartbeat.
    pub kind: String,
    /// http: the URL; tls: host, host:port or an https URL; heartbeat: unused.
    #[serde(default)]
    pub target: String,
    /// GET (default), HEAD or POST.
    pub method: Option<String>,
    pub expected_status: Option<i64>,
    /// Text the page must contain.
    pub keyword: Option<String>,
    /// How often to check; for a heartbeat, how often it is expected.
    pub interval_seconds: Option<i64>,
    pub timeout_seconds: Option<i64>,
    /// Slower answers count as failures (overload).
    pub slow_ms: Option<i64>,
    pub failures_to_open: Option<i64>,
    pub successes_to_close: Option<i64>,
    /// server_availability, server_security_config, server_alert or backup_restore; absent: from the finding.
    pub category: Option<String>,
    /// Heartbeats: how late a ping may be.
    pub grace_seconds: Option<i64>,
}

fn text(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Set up a monitor (admins). A heartbeat's answer carries its URL, this once.
#[utoipa::path(post, path = "/api/v1/monitors", tag = "monitoring", request_body = CreateMonitor,
    responses((status = 201, body = MonitorOut), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)),
    security(("bearer" = [])))]
async fn create_monitor(
    State(app): State<App>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateMonitor>,
) -> Result<(StatusCode, Json<MonitorOut>), Problem> {
    let raw = MonitorInput {
        name: input.name,
        kind: input.kind,
        target: input.target,
        method: input.method.unwrap_or_default(),
        expected_status: text(input.expected_status),
        keyword: input.keyword.unwrap_or_default(),
        interval_seconds: text(input.interval_seconds),
        timeout_seconds: text(input.timeout_seconds),
        slow_ms: text(input.slow_ms),
        failures_to_open: text(input.failures_to_open),
        successes_to_close: text(input.successes_to_close),
        category: input.category.unwrap_or_default(),
        grace_seconds: text(input.grace_seconds),
    };
    let created = monitoring::create(&app, &caller.actor, &input.organization, input.asset_id, raw).await?;
    let detail = views::detail(&app, &caller.actor, created.monitor.id).await?;
    let mut out = MonitorOut::from(detail.summary);
    out.heartbeat_url = created
        .heartbeat_secret
        .map(|secret| format!("{}/api/v1/heartbeat/{secret}", app.settings.public_url.trim_end_matches('/')));
    Ok((StatusCode::CREATED, Json(out)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateIntegrationToken {
    /// The organisation's slug: alerts posted with the token open tickets there.
    pub organization: String,
    /// What it is for, e.g. "Alertmanager producción".
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct IntegrationTokenOut {
    pub id: i64,
    pub name: String,
    /// Shown this once; only its digest is kept.
    pub token: String,
}

/// A token for Alertmanager, Checkmk or webhooks to post alerts with (admins).
#[utoipa::path(post, path = "/api/v1/integration-tokens", tag = "monitoring", request_body = CreateIntegrationToken,
    responses((status = 201, body = IntegrationTokenOut), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)),
    security(("bearer" = [])))]
async fn create_integration_token(
    State(app): State<App>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateIntegrationToken>,
) -> Result<(StatusCode, Json<IntegrationTokenOut>), Problem> {
    let (row, token) =
        monitoring::create_integration_token(&app, &caller.actor, &input.organization, &input.name).await?;
    Ok((StatusCode::CREATED, Json(IntegrationTokenOut { id: row.id, name: row.name, token })))
}
