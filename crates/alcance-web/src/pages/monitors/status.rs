//! GET /status/{org}: an organisation's status page: are its services working, their uptime,
//! and the incidents of the last 90 days. Anyone may see it when the contract made it
//! public; otherwise staff and the organisation's own people (others are sent to sign in,
//! or told it does not exist). GET /status takes a client contact to their own page.

use alcance_app::monitoring::views;
use alcance_app::{Actor, App, AppError, directory};
use alcance_domain::monitor::MonitorState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{IncidentView, StateBadge, UptimeView, incident};
use crate::pages::{PageCtx, PageError, SignedIn, Visitor, encode_component, render};
use crate::view;

struct Service {
    name: String,
    state: StateBadge,
    uptime: UptimeView,
}

#[derive(Template)]
#[template(path = "monitors/status.html")]
struct StatusPage {
    ctx: PageCtx,
    organization: String,
    /// "ok", "problems" or "none" (nothing monitored yet).
    overall: &'static str,
    services: Vec<Service>,
    incidents: Vec<IncidentView>,
    updated: String,
    updated_iso: String,
}

impl StatusPage {
    fn overall_label(&self) -> String {
        self.ctx.t(&format!("monitors-status-overall-{}", self.overall))
    }
}

pub async fn page(State(app): State<App>, Visitor(ctx): Visitor, Path(slug): Path<String>) -> Response {
    let viewer = ctx.user.clone().map(|user| Actor { user });
    let found = match views::status_page(&app, viewer.as_ref(), &slug).await {
        Ok(found) => found,
        Err(AppError::Unauthenticated) => {
            let next = format!("/status/{slug}");
            return Redirect::to(&format!("/login?next={}", encode_component(&next))).into_response();
        }
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let tz = view::zone(&found.organization.time_zone);
    let services: Vec<Service> = found
        .services
        .iter()
        .map(|s| Service {
            name: s.name.clone(),
            state: StateBadge::of(&ctx, true, s.state),
            uptime: UptimeView::new(ctx.lang, &s.uptime),
        })
        .collect();
    // An alert from another tool has no service line, but its open incident is a problem too.
    let ongoing = found.incidents.iter().any(|i| i.resolved_at.is_none());
    let overall = match () {
        _ if ongoing || found.services.iter().any(|s| s.state == MonitorState::Down) => "problems",
        _ if found.services.is_empty() => "none",
        _ => "ok",
    };
    // The public sees titles and times only: never the ticket behind an incident.
    let incidents = found.incidents.iter().map(|i| incident(&ctx, tz, i, None)).collect();
    let page = StatusPage {
        organization: found.organization.name.clone(),
        overall,
        services,
        incidents,
        updated: view::datetime(ctx.lang, tz, ctx.now),
        updated_iso: view::iso(ctx.now),
        ctx,
    };
    render(&page)
}

/// A client contact's own status page; staff go to the monitor console.
pub async fn own(State(app): State<App>, page: SignedIn) -> Response {
    let SignedIn { ctx, actor } = page;
    if actor.is_staff() {
        return Redirect::to("/agent/monitors").into_response();
    }
    let own = actor.organization_id();
    match directory::list_orgs(&app, &actor).await {
        Ok(orgs) => match orgs.into_iter().find(|o| Some(o.id) == own) {
            Some(org) => Redirect::to(&format!("/status/{}", encode_component(&org.slug))).into_response(),
            None => PageError::NotFound(ctx).into_response(),
        },
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}
