//! GET /portal/hours: a client manager's prepaid hours: the balance, each package, every
//! movement of the last 90 days linked to its request, and statements to download
//! (/portal/hours/statement.csv and .pdf). Requesters are told the page does not exist;
//! staff are sent to their console, as on every portal page.

use alcance_app::hours::{self, HoursOverview};
use alcance_app::{Actor, App};
use alcance_domain::Role;
use alcance_domain::money::format_hours;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;

use super::statement::{self, StatementFormat};
use super::{MovementView, PackageView, field_errors, movements, package_views};
use crate::pages::admin::{Errors, invalid};
use crate::pages::{PageCtx, PageError, SignedIn, render};

/// How far back the page lists movements.
const RECENT_DAYS: i64 = 90;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "hours/portal.html")]
struct HoursPage {
    ctx: PageCtx,
    organization: String,
    available: String,
    empty: bool,
    overdraft: bool,
    packages: Vec<PackageView>,
    movements: Vec<MovementView>,
    recent_from: String,
    period: PeriodQuery,
    errors: Errors,
}

/// The signed-in manager and their organisation; anyone else answered here.
fn manager(page: SignedIn) -> Result<(PageCtx, Actor, i64), Response> {
    if page.actor.is_staff() {
        return Err(Redirect::to("/agent").into_response());
    }
    match (page.actor.role(), page.actor.organization_id()) {
        (Role::Manager, Some(org)) => Ok((page.ctx, page.actor, org)),
        _ => Err(PageError::NotFound(page.ctx).into_response()),
    }
}

async fn show(
    app: &App,
    ctx: PageCtx,
    actor: &Actor,
    org: i64,
    period: Option<PeriodQuery>,
    errors: Errors,
) -> Response {
    let overview: HoursOverview = match hours::overview(app, actor, org).await {
        Ok(o) => o,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let today = overview.today;
    let recent_from = today - Duration::days(RECENT_DAYS - 1);
    let recent = match hours::statement(app, actor, org, recent_from, today).await {
        Ok(s) => s,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let period = period
        .unwrap_or_else(|| PeriodQuery { from: today.with_day(1).unwrap_or(today).to_string(), to: today.to_string() });
    let failed = !errors.0.is_empty();
    let page = HoursPage {
        organization: overview.organization.name.clone(),
        available: format_hours(overview.available_minutes, ctx.lang.code()),
        empty: overview.available_minutes <= 0,
        overdraft: overview.allow_overdraft,
        packages: package_views(&ctx, &overview),
        movements: movements(&ctx, &recent),
        recent_from: statement::day(ctx.lang, recent_from),
        period,
        errors,
        ctx,
    };
    let page = render(&page);
    if failed { invalid(page) } else { page }
}

pub async fn page(State(app): State<App>, page: SignedIn) -> Response {
    let (ctx, actor, org) = match manager(page) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    show(&app, ctx, &actor, org, None, Errors::default()).await
}

async fn download(app: App, page: SignedIn, q: PeriodQuery, format: StatementFormat) -> Response {
    let (ctx, actor, org) = match manager(page) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let parsed = (hours::parse_date("from", &q.from), hours::parse_date("to", &q.to));
    let (from, to): (NaiveDate, NaiveDate) = match parsed {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => {
            let errors = field_errors(&ctx, &e.into()).unwrap_or_default();
            return show(&app, ctx, &actor, org, Some(q), errors).await;
        }
    };
    match hours::statement(&app, &actor, org, from, to).await {
        Ok(s) => statement::download(&app, &s, ctx.lang, format),
        Err(e) => match field_errors(&ctx, &e) {
            Some(errors) => show(&app, ctx, &actor, org, Some(q), errors).await,
            None => PageError::from_app(ctx, e).into_response(),
        },
    }
}

pub async fn csv(State(app): State<App>, page: SignedIn, Query(q): Query<PeriodQuery>) -> Response {
    download(app, page, q, StatementFormat::Csv).await
}

pub async fn pdf(State(app): State<App>, page: SignedIn, Query(q): Query<PeriodQuery>) -> Response {
    download(app, page, q, StatementFormat::Pdf).await
}
