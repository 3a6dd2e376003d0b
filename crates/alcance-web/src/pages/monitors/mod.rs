//! Server monitoring pages: the agents' console (/agent/monitors, one monitor with its
//! response-time chart at /agent/monitors/{id}), the admin's set-up (/admin/monitors:
//! monitors, integration tokens, the contracts' monitoring terms) and each organisation's
//! status page (/status/{org}). A state is always written next to its colour.

mod admin;
mod chart;
mod console;
mod form;
mod integrations;
mod status;

use alcance_app::agent_views::Happening;
use alcance_app::monitoring::MonitorRow;
use alcance_app::monitoring::views::Uptime;
use alcance_app::{App, AppError};
use alcance_domain::monitor::{MonitorKind, MonitorState};
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, TimeDelta, Utc};

use super::admin::Errors;
use super::{FormError, PageCtx, PageError};
use crate::i18n::Lang;
use crate::view;

pub fn router() -> Router<App> {
    Router::new()
        .route("/agent/monitors", get(console::list))
        .route("/agent/monitors/{id}", get(console::detail))
        .route("/admin/monitors", get(admin::page).post(admin::create))
        .route("/admin/monitors/{id}", get(admin::edit).post(admin::update))
        .route("/admin/monitors/{id}/heartbeat", post(admin::regenerate))
        .route("/admin/monitors/tokens", post(integrations::create_token))
        .route("/admin/monitors/tokens/{id}/revoke", post(integrations::revoke_token))
        .route("/admin/monitors/terms", post(integrations::save_terms))
        .route("/status", get(status::own))
        .route("/status/{org}", get(status::page))
}

/// Certificates closer than this to expiry are flagged.
const CERTIFICATE_WARNING_DAYS: i64 = 30;

/// A monitor's state as a badge: a stable key (for tests and styles), its words, its class.
pub struct StateBadge {
    pub key: &'static str,
    pub label: String,
}

impl StateBadge {
    fn new(ctx: &PageCtx, key: &'static str) -> StateBadge {
        StateBadge { key, label: ctx.t(&format!("monitors-state-{key}")) }
    }

    /// A paused monitor says so whatever its last state.
    pub fn of(ctx: &PageCtx, enabled: bool, state: MonitorState) -> StateBadge {
        if !enabled {
            return StateBadge::new(ctx, "paused");
        }
        StateBadge::new(ctx, state_key(state))
    }
}

fn state_key(state: MonitorState) -> &'static str {
    match state {
        MonitorState::Up => "up",
        MonitorState::Down => "down",
        MonitorState::Pending => "pending",
    }
}

/// "99,95 %", or "–" before the first check. Rounded down, so that a single failure never
/// shows as 100 %.
pub fn percent(lang: Lang, value: Option<f64>) -> String {
    let Some(value) = value else { return "–".to_owned() };
    let hundredths = (value * 100.0).floor().clamp(0.0, 10_000.0) as i64;
    let (whole, rest) = (hundredths / 100, hundredths % 100);
    if rest == 0 {
        return format!("{whole} %");
    }
    let sep = if lang == Lang::En { '.' } else { ',' };
    format!("{whole}{sep}{rest:02} %")
}

/// Uptime over the three windows, as written.
pub struct UptimeView {
    pub day: String,
    pub week: String,
    pub month: String,
}

impl UptimeView {
    pub fn new(lang: Lang, u: &Uptime) -> UptimeView {
        UptimeView { day: percent(lang, u.day), week: percent(lang, u.week), month: percent(lang, u.month) }
    }
}

/// "1.250 ms".
pub fn millis(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{} ms", view::thousands(value))
}

/// "3 d 4 h", "2 h 05 min", "12 min": how long an incident lasted.
pub fn duration(d: TimeDelta) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins:02} min"),
        _ => format!("{days} d {hours} h"),
    }
}

pub fn kind_label(ctx: &PageCtx, kind: MonitorKind) -> String {
    ctx.t(&format!("monitors-kind-{}", kind.as_str()))
}

/// A category's words; none means the monitor lets each finding choose.
pub fn category_label(ctx: &PageCtx, category: Option<&str>) -> String {
    match category {
        Some(c) => ctx.t(&format!("monitors-category-{c}")),
        None => ctx.t("monitors-category-auto"),
    }
}

/// Certificate expiry as shown: the date, the days left, and whether it is near.
pub struct CertificateView {
    pub expires: String,
    pub days_left: String,
    pub warning: bool,
}

pub fn certificate(
    ctx: &PageCtx,
    tz: chrono_tz::Tz,
    m: &MonitorRow,
    days_left: Option<i64>,
) -> Option<CertificateView> {
    let (at, days) = (m.cert_not_after?, days_left?);
    Some(CertificateView {
        expires: view::datetime(ctx.lang, tz, at),
        days_left: match days {
            n if n < 0 => ctx.t("monitors-cert-expired"),
            0 => ctx.t("monitors-cert-today"),
            1 => ctx.t("monitors-cert-one-day"),
            n => ctx.t1("monitors-cert-days", "days", n),
        },
        warning: days < CERTIFICATE_WARNING_DAYS,
    })
}

/// A date and time in `tz`, or "–".
pub fn when(ctx: &PageCtx, tz: chrono_tz::Tz, at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "–".to_owned(), |at| view::datetime(ctx.lang, tz, at))
}

/// "90 s", "5 min", "6 h": a period in seconds as people read it.
pub fn seconds(n: i64) -> String {
    match n {
        n if n >= 3600 && n % 3600 == 0 => format!("{} h", n / 3600),
        n if n >= 60 && n % 60 == 0 => format!("{} min", n / 60),
        n => format!("{n} s"),
    }
}

/// An incident as the history tables show it.
pub struct IncidentView {
    pub title: String,
    pub opened: String,
    pub opened_iso: String,
    /// When it ended; `None` while it goes on.
    pub resolved: Option<String>,
    pub duration: String,
    pub ticket: Option<i64>,
}

pub fn incident(
    ctx: &PageCtx,
    tz: chrono_tz::Tz,
    i: &alcance_app::monitoring::IncidentRow,
    ticket: Option<i64>,
) -> IncidentView {
    IncidentView {
        title: i.title.clone(),
        opened: view::datetime(ctx.lang, tz, i.opened_at),
        opened_iso: view::iso(i.opened_at),
        resolved: i.resolved_at.map(|at| view::datetime(ctx.lang, tz, at)),
        duration: duration(i.resolved_at.unwrap_or(ctx.now) - i.opened_at),
        ticket,
    }
}

/// A use case's refusal of a form: the field error next to its control (the field renamed
/// where the form calls it differently), or the error page.
pub fn refusal(ctx: &PageCtx, e: AppError, rename: &[(&str, &str)]) -> Result<Errors, Response> {
    let AppError::Invalid(f) = &e else { return Err(PageError::from_app(ctx.clone(), e).into_response()) };
    let field = rename.iter().find(|(from, _)| *from == f.field).map_or(f.field.as_str(), |(_, to)| *to);
    let args = [("field", ctx.t(&format!("monitors-label-{field}"))), ("detail", f.detail.clone().unwrap_or_default())];
    let message = ctx.lang.text(&format!("field-{}", f.code.as_str()), &args);
    Ok(Errors(vec![FormError { field: field.to_owned(), message }]))
}

/// Where a tool reports: the server's public address without a trailing slash.
pub fn public_base(app: &App) -> String {
    app.settings.public_url.trim_end_matches('/').to_owned()
}

/// A monitor or alert event of a ticket's timeline, for the agent's ticket page.
pub fn describe_event(ctx: &PageCtx, what: &Happening) -> Option<String> {
    let source = |s: &str| match s {
        "monitor" | "alertmanager" | "checkmk" | "webhook" => ctx.t(&format!("monitors-source-{s}")),
        other => other.to_owned(),
    };
    Some(match what {
        Happening::MonitorAlert { source: s, code, summary, detail } => {
            let mut args = vec![("source", source(s)), ("summary", summary.clone()), ("code", code.clone())];
            match detail {
                Some(detail) => {
                    args.push(("detail", detail.clone()));
                    ctx.lang.text("monitors-event-alert-detail", &args)
                }
                None => ctx.lang.text("monitors-event-alert", &args),
            }
        }
        Happening::MonitorRecovered { source: s, response_ms } => match response_ms {
            Some(ms) => ctx.lang.text("monitors-event-recovered-ms", &[("source", source(s)), ("ms", millis(*ms))]),
            None => ctx.t1("monitors-event-recovered", "source", source(s)),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_is_rounded_down_and_written_per_language() {
        assert_eq!(percent(Lang::Es, Some(100.0)), "100 %");
        assert_eq!(percent(Lang::Es, Some(99.999)), "99,99 %");
        assert_eq!(percent(Lang::En, Some(97.5)), "97.50 %");
        assert_eq!(percent(Lang::Es, Some(0.0)), "0 %");
        assert_eq!(percent(Lang::Es, None), "–");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(TimeDelta::minutes(12)), "12 min");
        assert_eq!(duration(TimeDelta::minutes(125)), "2 h 05 min");
        assert_eq!(duration(TimeDelta::minutes(3 * 1440 + 250)), "3 d 4 h");
        assert_eq!(duration(TimeDelta::minutes(-5)), "0 min");
        assert_eq!(millis(1250), "1.250 ms");
        assert_eq!((seconds(90), seconds(300), seconds(21_600)), ("90 s".into(), "5 min".into(), "6 h".into()));
    }
}
