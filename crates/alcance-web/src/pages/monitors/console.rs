//! GET /agent/monitors: every monitor at a glance (staff), filtered by organisation; and
//! GET /agent/monitors/{id}: one monitor's settings, state, last day of response times,
//! uptime, certificate and incidents.

use alcance_app::monitoring::views::{self, MonitorSummary};
use alcance_app::{App, directory};
use alcance_domain::model::{Id, Organization};
use alcance_domain::monitor::MonitorKind;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde::Deserialize;

use super::chart::{self, Chart};
use super::{
    CertificateView, IncidentView, StateBadge, UptimeView, category_label, certificate, incident, kind_label, millis,
    seconds, when,
};
use crate::pages::{PageCtx, PageError, SignedIn, render};
use crate::view;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    org: Option<String>,
}

/// One line of the console.
struct Row {
    id: Id,
    organization: String,
    name: String,
    kind: String,
    state: StateBadge,
    last_check: String,
    last_check_iso: String,
    response: String,
    uptime: UptimeView,
    certificate: Option<CertificateView>,
    ticket: Option<i64>,
}

fn row(ctx: &PageCtx, s: &MonitorSummary) -> Row {
    let m = &s.monitor;
    let tz = view::zone(&s.organization.time_zone);
    Row {
        id: m.id,
        organization: s.organization.name.clone(),
        name: m.name.clone(),
        kind: kind_label(ctx, m.kind),
        state: StateBadge::of(ctx, m.enabled, m.state),
        last_check: when(ctx, tz, m.last_check_at),
        last_check_iso: m.last_check_at.map(view::iso).unwrap_or_default(),
        response: m.last_response_ms.map_or_else(|| "–".to_owned(), millis),
        uptime: UptimeView::new(ctx.lang, &s.uptime),
        certificate: certificate(ctx, tz, m, s.certificate_days_left),
        ticket: s.open_ticket,
    }
}

#[derive(Template)]
#[template(path = "monitors/console.html")]
struct ConsolePage {
    ctx: PageCtx,
    orgs: Vec<Organization>,
    /// The organisation filter's slug ("" for all).
    chosen: String,
    rows: Vec<Row>,
}

pub async fn list(State(app): State<App>, page: SignedIn, Query(q): Query<ListQuery>) -> Response {
    let (ctx, actor) = match page.staff() {
        Ok(found) => found,
        Err(response) => return response,
    };
    let orgs = match directory::list_orgs(&app, &actor).await {
        Ok(orgs) => orgs,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let chosen = q.org.unwrap_or_default().trim().to_owned();
    let org_id = match chosen.as_str() {
        "" => None,
        slug => match orgs.iter().find(|o| o.slug == slug) {
            Some(org) => Some(org.id),
            None => return PageError::NotFound(ctx).into_response(),
        },
    };
    let rows = match views::console(&app, &actor, org_id).await {
        Ok(found) => found.iter().map(|s| row(&ctx, s)).collect(),
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    render(&ConsolePage { ctx, orgs, chosen, rows })
}

#[derive(Template)]
#[template(path = "monitors/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    id: Id,
    name: String,
    organization: String,
    org_slug: String,
    state: StateBadge,
    /// (label, value) of each setting that applies to the monitor's kind.
    settings: Vec<(String, String)>,
    last_check: String,
    last_ping: Option<String>,
    response: String,
    uptime: UptimeView,
    certificate: Option<CertificateView>,
    open_ticket: Option<i64>,
    chart: Option<Chart>,
    incidents: Vec<IncidentView>,
}

pub async fn detail(State(app): State<App>, page: SignedIn, Path(id): Path<String>) -> Response {
    let (ctx, actor) = match page.staff() {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(id) = id.parse::<Id>().ok() else { return PageError::NotFound(ctx).into_response() };
    let d = match views::detail(&app, &actor, id).await {
        Ok(d) => d,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let asset = match d.summary.monitor.asset_id {
        Some(asset) => directory::get_asset(&app, &actor, asset).await.ok().map(|a| a.name),
        None => None,
    };
    let s = &d.summary;
    let m = &s.monitor;
    let tz = view::zone(&s.organization.time_zone);
    let chart = chart::chart(&ctx, tz, &d.checks, ctx.now - Duration::days(1), ctx.now);
    let incidents = d.incidents.iter().map(|(i, number)| incident(&ctx, tz, i, Some(*number))).collect();
    let page = DetailPage {
        id: m.id,
        name: m.name.clone(),
        organization: s.organization.name.clone(),
        org_slug: s.organization.slug.clone(),
        state: StateBadge::of(&ctx, m.enabled, m.state),
        settings: settings(&ctx, m, asset),
        last_check: when(&ctx, tz, m.last_check_at),
        last_ping: (m.kind == MonitorKind::Heartbeat).then(|| when(&ctx, tz, m.last_ping_at)),
        response: m.last_response_ms.map_or_else(|| "–".to_owned(), millis),
        uptime: UptimeView::new(ctx.lang, &s.uptime),
        certificate: certificate(&ctx, tz, m, s.certificate_days_left),
        open_ticket: s.open_ticket,
        chart,
        incidents,
        ctx,
    };
    render(&page)
}

/// The settings that mean something for the monitor's kind, in words.
fn settings(ctx: &PageCtx, m: &alcance_app::monitoring::MonitorRow, asset: Option<String>) -> Vec<(String, String)> {
    let label = |field: &str| ctx.t(&format!("monitors-label-{field}"));
    let mut out = vec![(label("kind"), kind_label(ctx, m.kind))];
    let (web, heartbeat) = (m.kind == MonitorKind::Http, m.kind == MonitorKind::Heartbeat);
    if !heartbeat {
        out.push((label("target"), m.target.clone()));
    }
    if web {
        out.push((label("method"), m.method.clone()));
        out.push((label("expected_status"), m.expected_status.to_string()));
        out.push((label("keyword"), m.keyword.clone().unwrap_or_else(|| ctx.t("monitors-none"))));
    }
    out.push((label("interval_seconds"), seconds(m.interval_seconds)));
    if heartbeat {
        out.push((label("grace_seconds"), seconds(m.grace_seconds)));
    } else {
        out.push((label("timeout_seconds"), seconds(m.timeout_seconds)));
    }
    if web {
        out.push((label("slow_ms"), m.slow_ms.map_or_else(|| ctx.t("monitors-no-limit"), millis)));
    }
    out.push((label("failures_to_open"), m.failures_to_open.to_string()));
    out.push((label("successes_to_close"), m.successes_to_close.to_string()));
    out.push((label("category"), category_label(ctx, m.category.as_deref())));
    out.push((label("asset_id"), asset.unwrap_or_else(|| ctx.t("monitors-none"))));
    out
}
