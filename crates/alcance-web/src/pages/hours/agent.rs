//! /agent/tickets/{number}/time: the time agents spent on a ticket (date, agent, duration,
//! how it is billed, note) with the total, and the form to log more. On a request the client
//! pays with prepaid hours the page shows the organisation's balance, and a duration larger
//! than the balance is refused next to the field.

use alcance_app::agent_views::{self, Happening, TimelineItem};
use alcance_app::time_entries::{self, TimeInput};
use alcance_app::{Actor, App, hours};
use alcance_domain::money::format_hours;
use alcance_domain::ticket::Coverage;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{field_errors, statement};
use crate::pages::admin::{Errors, invalid};
use crate::pages::{PageCtx, PageError, SignedIn, render};

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    msg: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct TimeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    duration: String,
    #[serde(default)]
    worked_on: String,
    #[serde(default)]
    note: String,
}

struct EntryView {
    worked_on: String,
    agent: String,
    duration: String,
    billing: String,
    billing_label: String,
    note: String,
}

#[derive(Template)]
#[template(path = "hours/agent.html")]
struct TimePage {
    ctx: PageCtx,
    number: i64,
    /// Where the form posts.
    action: String,
    subject: String,
    organization: String,
    coverage: Coverage,
    entries: Vec<EntryView>,
    total: String,
    /// The organisation's available hours, when time here is paid with them.
    balance: Option<String>,
    today: String,
    form: TimeForm,
    errors: Errors,
    notice: Option<String>,
}

/// Whether time on this ticket would be spent from the packages: a not-covered request whose
/// client chose hours last, or one already billed so.
fn paid_with_hours(view: &agent_views::TicketView, billed_hours: bool) -> bool {
    if view.ticket.coverage != Coverage::NotCovered {
        return false;
    }
    let last_choice = view.timeline.iter().rev().find_map(|item| match item {
        TimelineItem::Event { what: Happening::ClientDecision { choice, .. }, .. } => Some(choice.as_str()),
        _ => None,
    });
    billed_hours || last_choice == Some("hours")
}

async fn show(
    app: &App,
    ctx: PageCtx,
    actor: &Actor,
    number: i64,
    form: TimeForm,
    errors: Errors,
    notice: Option<String>,
) -> Response {
    let loaded = async {
        let view = agent_views::ticket(app, actor, number).await?;
        let entries = time_entries::for_ticket(app, actor, number).await?;
        Ok::<_, alcance_app::AppError>((view, entries))
    };
    let (view, entries) = match loaded.await {
        Ok(found) => found,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let billed_hours = entries.iter().any(|e| e.billing == "hours");
    let balance = if paid_with_hours(&view, billed_hours) {
        match hours::overview(app, actor, view.organization.id).await {
            Ok(o) => Some(format_hours(o.available_minutes, ctx.lang.code())),
            Err(e) => return PageError::from_app(ctx, e).into_response(),
        }
    } else {
        None
    };
    let name_of = |id: i64| view.staff.iter().find(|u| u.id == id).map_or_else(|| format!("#{id}"), |u| u.name.clone());
    let total: i64 = entries.iter().map(|e| e.minutes).sum();
    let rows = entries
        .iter()
        .map(|e| EntryView {
            worked_on: statement::day(ctx.lang, e.worked_on),
            agent: name_of(e.agent_id),
            duration: format_hours(e.minutes, ctx.lang.code()),
            billing: e.billing.clone(),
            billing_label: ctx.t(&format!("hours-billing-{}", e.billing)),
            note: e.note.clone(),
        })
        .collect();
    let failed = !errors.0.is_empty();
    let today = super::today(&ctx, &view.organization);
    let page = TimePage {
        number,
        action: format!("/agent/tickets/{number}/time"),
        subject: view.ticket.subject.clone(),
        organization: view.organization.name.clone(),
        coverage: view.ticket.coverage,
        entries: rows,
        total: format_hours(total, ctx.lang.code()),
        balance,
        today: today.to_string(),
        form,
        errors,
        notice,
        ctx,
    };
    let page = render(&page);
    if failed { invalid(page) } else { page }
}

pub async fn page(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    Query(q): Query<MsgQuery>,
) -> Response {
    let (ctx, actor) = match page.staff() {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Some(number) = ticket_number(&number) else { return PageError::NotFound(ctx).into_response() };
    let notice = (q.msg.as_deref() == Some("logged")).then(|| ctx.t("hours-msg-logged"));
    show(&app, ctx, &actor, number, TimeForm::default(), Errors::default(), notice).await
}

pub async fn log(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    Form(form): Form<TimeForm>,
) -> Response {
    let (ctx, actor) = match page.staff_form(&form.csrf_token) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Some(number) = ticket_number(&number) else { return PageError::NotFound(ctx).into_response() };
    let input =
        TimeInput { duration: form.duration.clone(), worked_on: form.worked_on.clone(), note: form.note.clone() };
    match time_entries::log_time(&app, &actor, number, input).await {
        Ok(_) => Redirect::to(&format!("/agent/tickets/{number}/time?msg=logged")).into_response(),
        Err(e) => match field_errors(&ctx, &e) {
            Some(errors) => show(&app, ctx, &actor, number, form, errors, None).await,
            None => PageError::from_app(ctx, e).into_response(),
        },
    }
}

fn ticket_number(text: &str) -> Option<i64> {
    text.trim_start_matches('#').parse::<i64>().ok().filter(|n| *n > 0)
}
