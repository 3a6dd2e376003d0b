//! SLA pages: the compliance report (GET /agent/sla, staff only), and the pieces the agent
//! pages show: the SLA block of a ticket ([`block`]) and the badge of a queue row
//! ([`badge`]). A state always has its text next to its colour.

use alcance_app::sla::{self, ComplianceLine, SlaRow, TicketClock};
use alcance_app::{Actor, App};
use alcance_domain::policy::SlaClock;
use alcance_domain::sla::{SlaMeasure, SlaState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, TimeDelta};
use chrono_tz::Tz;

use crate::pages::{PageCtx, PageError, SignedIn, render};
use crate::view;

pub fn router() -> Router<App> {
    Router::new().route("/agent/sla", get(page))
}

/// Colour classes of the shared badge styles, by state (the text says the same).
fn state_class(state: &str) -> &'static str {
    match state {
        "breached" => "coverage-not_covered",
        "warning" => "status-in_progress",
        "met" => "status-resolved",
        _ => "coverage-covered",
    }
}

/// "3 h 05 min"; business time for business targets.
fn duration(d: TimeDelta) -> String {
    let minutes = d.num_minutes().abs();
    format!("{} h {:02} min", minutes / 60, minutes % 60)
}

/// One target of the ticket page's SLA block.
pub struct SlaLine {
    pub metric: String,
    pub due: String,
    pub due_iso: String,
    /// Time left, overdue time, or when it was met.
    pub left: String,
    pub state: &'static str,
    pub state_label: String,
    pub class: &'static str,
}

/// The ticket page's SLA block.
pub struct SlaBlock {
    pub paused: bool,
    pub clock: String,
    pub lines: Vec<SlaLine>,
}

fn line(ctx: &PageCtx, tz: Tz, m: &SlaMeasure) -> SlaLine {
    let state = m.state.as_str();
    let left = match (m.met_at, m.state) {
        (Some(at), SlaState::Breached) => ctx.t1("sla-met-late", "when", view::datetime(ctx.lang, tz, at)),
        (Some(at), _) => ctx.t1("sla-met-at", "when", view::datetime(ctx.lang, tz, at)),
        (None, _) if m.time_left < TimeDelta::zero() => ctx.t1("sla-overdue", "time", duration(m.time_left)),
        (None, _) => {
            ctx.lang.text("sla-left-value", &[("time", duration(m.time_left)), ("percent", m.percent.to_string())])
        }
    };
    SlaLine {
        metric: ctx.t(&format!("sla-metric-{}", m.metric.as_str())),
        due: view::datetime(ctx.lang, tz, m.due),
        due_iso: ctx.iso(&m.due),
        left,
        state,
        state_label: ctx.t(&format!("sla-state-{state}")),
        class: state_class(state),
    }
}

/// The SLA block of a ticket, due times in its calendar's time zone.
pub fn block(ctx: &PageCtx, clock: &TicketClock) -> SlaBlock {
    let report = &clock.report;
    SlaBlock {
        paused: report.paused,
        clock: ctx.t(match report.first_response.clock {
            SlaClock::Business => "sla-clock-business",
            SlaClock::Calendar => "sla-clock-calendar",
        }),
        lines: sla::measures(report).into_iter().map(|m| line(ctx, clock.time_zone, m)).collect(),
    }
}

/// A queue row's SLA badge.
pub struct SlaBadge {
    pub state: String,
    pub label: String,
    pub class: &'static str,
    /// "vence 27/11/2026 2:05 p. m." for a running target; empty when none runs.
    pub due: String,
}

pub fn badge(ctx: &PageCtx, row: &SlaRow) -> SlaBadge {
    let paused = row.urgent_at.is_none() && row.state != "breached";
    SlaBadge {
        label: if paused { ctx.t("sla-state-idle") } else { ctx.t(&format!("sla-state-{}", row.state)) },
        class: if paused { "status-closed" } else { state_class(&row.state) },
        due: row.urgent_at.map(|at| ctx.t1("sla-queue-due", "when", ctx.when(&at))).unwrap_or_default(),
        state: if paused { "idle".into() } else { row.state.clone() },
    }
}

struct Tallies {
    met: u32,
    breached: u32,
    running: u32,
    percent: String,
}

fn tallies(t: &sla::Tally) -> Tallies {
    Tallies {
        met: t.met,
        breached: t.breached,
        running: t.running,
        percent: t.met_percent().map_or_else(|| "–".to_owned(), |p| format!("{p} %")),
    }
}

struct ReportLine {
    month: String,
    organization: String,
    priority: &'static str,
    priority_label: String,
    tickets: u32,
    first_response: Tallies,
    resolution: Tallies,
}

#[derive(Template)]
#[template(path = "sla/report.html")]
struct ReportPage {
    ctx: PageCtx,
    since: String,
    lines: Vec<ReportLine>,
}

fn staff_only(page: SignedIn) -> Result<(PageCtx, Actor), Response> {
    if page.actor.is_staff() { Ok((page.ctx, page.actor)) } else { Err(PageError::NotFound(page.ctx).into_response()) }
}

/// GET /agent/sla: compliance per organisation, priority and month of opening, the last
/// twelve months.
async fn page(State(app): State<App>, page: SignedIn) -> Response {
    let (ctx, actor) = match staff_only(page) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let today = app.now().with_timezone(&view::DEFAULT_TIME_ZONE).date_naive();
    let start = (today - chrono::Duration::days(365)).with_day(1).unwrap_or(today);
    let since = start
        .and_hms_opt(0, 0, 0)
        .and_then(|d| d.and_local_timezone(view::DEFAULT_TIME_ZONE).earliest())
        .map_or_else(|| app.now(), |d| d.with_timezone(&chrono::Utc));
    let found: Vec<ComplianceLine> = match sla::compliance(&app, &actor, since).await {
        Ok(found) => found,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let lines = found
        .iter()
        .map(|l| ReportLine {
            month: l.month.clone(),
            organization: l.organization.clone(),
            priority: l.priority.map_or("", |p| p.as_str()),
            priority_label: l.priority.map_or_else(String::new, |p| ctx.priority_label(&p)),
            tickets: l.tickets,
            first_response: tallies(&l.first_response),
            resolution: tallies(&l.resolution),
        })
        .collect();
    let since = if ctx.lang_code() == "en" { start.format("%m/%d/%Y") } else { start.format("%d/%m/%Y") };
    render(&ReportPage { since: since.to_string(), lines, ctx })
}
