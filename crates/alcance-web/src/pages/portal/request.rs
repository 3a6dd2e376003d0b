//! GET /portal/tickets/{number}: one request with its public timeline; reply, close,
//! confirm a solution or reopen.

use std::collections::HashMap;

use alcance_app::not_covered::{self, Choice};
use alcance_app::portal_views::{self, Person, RequestView};
use alcance_app::tickets::{self, TicketChange};
use alcance_app::{App, AppError};
use alcance_domain::FieldErrorCode;
use alcance_domain::model::{EventKind, Id, TicketEvent};
use alcance_domain::policy::Policy;
use alcance_domain::ticket::{Coverage, Priority, Status};
use askama::Template;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::form;
use super::{Clock, Moment, staff_elsewhere};
use crate::pages::quotes::{PortalQuote, portal_quote};
use crate::pages::upload::{Submitted, size_limit};
use crate::pages::{FormError, PageCtx, PageError, SignedIn, check_csrf, render};

/// One line of the public timeline.
struct Item {
    /// "reply", "file" or "event".
    kind: &'static str,
    at: DateTime<Utc>,
    moment: Moment,
    author: String,
    /// The author is on the agency's support team.
    staff: bool,
    /// A reply's sanitized HTML.
    html: String,
    /// An event in plain words.
    text: String,
    reason: Option<String>,
    file_id: Id,
    file_name: String,
    file_size: String,
}

impl Item {
    fn new(kind: &'static str, at: DateTime<Utc>, clock: &Clock, author: Option<&Person>) -> Self {
        Item {
            kind,
            at,
            moment: clock.moment(at),
            author: author.map(|p| p.name.clone()).unwrap_or_default(),
            staff: author.is_some_and(|p| p.staff),
            html: String::new(),
            text: String::new(),
            reason: None,
            file_id: 0,
            file_name: String::new(),
            file_size: String::new(),
        }
    }
}

/// Why a request is outside the support scope, from the policy it was classified under.
struct NotCovered {
    /// "… classified as «category», which clause N of the policy leaves out …"
    intro: String,
    description: String,
    hour_packages: bool,
    procedure: String,
    /// The request waits for the client's decision and the form is offered.
    can_decide: bool,
    /// The client's latest decision since the request was classified.
    decision: Option<Decision>,
}

/// A decision the client recorded, as the box shows it.
struct Decision {
    /// "quote", "hours" or "decline".
    choice: &'static str,
    /// The option as the form names it.
    label: String,
    /// What happens next, in a sentence.
    next: String,
    moment: Moment,
}

impl Decision {
    fn new(ctx: &PageCtx, choice: &'static str, moment: Moment) -> Self {
        let (label, next) = match choice {
            "quote" => ("portal-decision-quote", "portal-decision-next-quote"),
            "hours" => ("portal-decision-hours", "quote-portal-decision-next-hours"),
            _ => ("portal-decision-decline", "portal-decision-next-decline"),
        };
        Decision { choice, label: ctx.t(label), next: ctx.t(next), moment }
    }
}

/// What the person typed in the reply form, when it is shown again.
#[derive(Default)]
struct ReplyState {
    body: String,
    error: Option<String>,
    file_errors: Vec<String>,
    files_dropped: bool,
    preview: Option<String>,
    reopen_body: String,
    reopen_error: Option<String>,
    /// The decision form: the choice and comment as sent, and what was wrong with them.
    decision_choice: String,
    decision_comment: String,
    decision_error: Option<String>,
    decision_comment_error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/request.html")]
struct RequestPage {
    ctx: PageCtx,
    number: i64,
    subject: String,
    body_html: String,
    status: Status,
    coverage: Coverage,
    priority: Priority,
    category: Option<String>,
    created: Moment,
    updated: Moment,
    requester: String,
    asset: Option<String>,
    channel: String,
    timeline: Vec<Item>,
    not_covered: Option<NotCovered>,
    /// The latest quote sent for the request.
    quote: Option<PortalQuote>,
    notice: Option<(&'static str, String)>,
    reply: ReplyState,
    limit: String,
}

impl RequestPage {
    fn is_closed(&self) -> bool {
        self.status == Status::Closed
    }

    fn is_resolved(&self) -> bool {
        self.status == Status::Resolved
    }
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    msg: Option<String>,
}

/// The messages a request page may show after an action; anything else in `msg` is ignored.
fn notice(ctx: &PageCtx, number: i64, msg: Option<&str>) -> Option<(&'static str, String)> {
    let ok = |key: &str| Some(("alert-ok", ctx.t1(key, "number", number)));
    let warn = |key: &str| Some(("alert-warn", ctx.t1(key, "number", number)));
    match msg? {
        "created" => ok("portal-msg-created"),
        "created_files_failed" => warn("portal-msg-created-files-failed"),
        "replied" => ok("portal-msg-replied"),
        "reply_files_failed" => warn("portal-msg-reply-files-failed"),
        "closed" => ok("portal-msg-closed"),
        "reopened" => ok("portal-msg-reopened"),
        "decided_quote" => ok("portal-msg-decided-quote"),
        "decided_hours" => ok("quote-portal-msg-decided-hours"),
        "quote_accepted" => ok("quote-portal-msg-accepted"),
        "quote_rejected" => ok("quote-portal-msg-rejected"),
        "decided_decline" => ok("portal-msg-decided-decline"),
        "not_allowed" => warn("portal-msg-not-allowed"),
        "already_closed" => warn("portal-msg-already-closed"),
        _ => None,
    }
}

/// A request number from the address; anything else is simply not found.
fn parse_number(raw: &str) -> Option<i64> {
    raw.trim_start_matches('#').parse::<i64>().ok().filter(|n| *n > 0)
}

fn json(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null)
}

fn category_label(policy: Option<&Policy>, id: &str, lang: &str) -> String {
    policy.and_then(|p| p.category(id)).map_or_else(|| id.to_owned(), |c| c.label.get(lang).to_owned())
}

/// A history event in plain words, or None for events the timeline shows otherwise
/// (replies and attachments appear as themselves) or that a client does not need.
fn event_text(
    ctx: &PageCtx,
    policy: Option<&Policy>,
    event: &TicketEvent,
    people: &HashMap<Id, Person>,
) -> Option<String> {
    let (before, after) = (json(event.before.as_deref()), json(event.after.as_deref()));
    let status = |v: &Value| v.as_str().and_then(|s| Status::parse("status", s).ok()).map(|s| ctx.status_label(&s));
    let priority =
        |v: &Value| v.as_str().and_then(|s| Priority::parse("priority", s).ok()).map(|p| ctx.priority_label(&p));
    let coverage =
        |v: &Value| v.as_str().and_then(|s| Coverage::parse("coverage", s).ok()).map(|c| ctx.coverage_label(&c));
    let change = |key: &str, from: Option<String>, to: Option<String>| {
        Some(ctx.lang.text(key, &[("from", from.unwrap_or_default()), ("to", to?)]))
    };
    match event.kind {
        EventKind::Created => {
            let name = event.actor_id.and_then(|id| people.get(&id)).map(|p| p.name.clone());
            Some(match name {
                Some(name) => ctx.t1("portal-event-created", "name", name),
                None => ctx.t("portal-event-created-system"),
            })
        }
        EventKind::StatusChanged => change("portal-event-status", status(&before), status(&after)),
        EventKind::PriorityChanged => change("portal-event-priority", priority(&before), priority(&after)),
        EventKind::CoverageOverridden => change("portal-event-coverage", coverage(&before), coverage(&after)),
        EventKind::Classified => {
            let category = after.get("category").and_then(Value::as_str)?;
            let label = category_label(policy, category, ctx.lang_code());
            let cov = after.get("coverage").and_then(coverage).unwrap_or_default();
            Some(ctx.lang.text("portal-event-classified", &[("category", label), ("coverage", cov)]))
        }
        EventKind::ClientDecision => {
            let choice = after.get("choice").and_then(Value::as_str).and_then(|c| Choice::parse("choice", c).ok())?;
            Some(ctx.t(match choice {
                Choice::Quote => "portal-event-decision-quote",
                Choice::Hours => "quote-portal-event-decision-hours",
                Choice::Decline => "portal-event-decision-decline",
            }))
        }
        EventKind::QuoteChanged => {
            let number = after.get("number").and_then(Value::as_str)?.to_owned();
            let state = after.get("status").and_then(Value::as_str)?;
            Some(
                ctx.lang.text(
                    "portal-event-quote",
                    &[("number", number), ("status", ctx.t(&format!("quote-status-{state}")))],
                ),
            )
        }
        EventKind::MonitorAlert => {
            let summary = after.get("summary").and_then(Value::as_str).unwrap_or_default().to_owned();
            Some(ctx.t1("portal-event-monitor-alert", "summary", summary))
        }
        EventKind::MonitorRecovered => Some(ctx.t("portal-event-monitor-recovered")),
        EventKind::AssigneeChanged
        | EventKind::Replied
        | EventKind::NoteAdded
        | EventKind::AttachmentAdded
        | EventKind::TimeLogged
        // Clients do not see the agency's SLA clock.
        | EventKind::SlaWarning
        | EventKind::SlaBreached => None,
    }
}

/// The client's latest decision after the latest classification (a new classification asks
/// again), as its choice and moment.
fn latest_decision(events: &[TicketEvent]) -> Option<(&'static str, DateTime<Utc>)> {
    let since = events.iter().rposition(|e| e.kind == EventKind::Classified).unwrap_or(0);
    events[since..].iter().rev().filter(|e| e.kind == EventKind::ClientDecision).find_map(|e| {
        let after = json(e.after.as_deref());
        let choice = Choice::parse("choice", after.get("choice")?.as_str()?).ok()?;
        Some((choice.as_str(), e.created_at))
    })
}

fn timeline(ctx: &PageCtx, clock: &Clock, view: &RequestView) -> Vec<Item> {
    let policy = view.policy.as_deref();
    let who = |id: Option<Id>| id.and_then(|id| view.people.get(&id));
    let mut items = Vec::new();
    for event in view.detail.events.iter().filter(|e| !e.internal) {
        if let Some(text) = event_text(ctx, policy, event, &view.people) {
            // "Ana created the request" already names its author.
            let author = if event.kind == EventKind::Created { None } else { who(event.actor_id) };
            let mut item = Item::new("event", event.created_at, clock, author);
            item.text = text;
            item.reason = event.reason.clone();
            items.push(item);
        }
    }
    for comment in view.detail.comments.iter().filter(|c| !c.internal) {
        let mut item = Item::new("reply", comment.created_at, clock, who(Some(comment.author_id)));
        item.html = ctx.markdown(&comment.body);
        items.push(item);
    }
    for file in view.detail.attachments.iter().filter(|a| !a.internal) {
        let mut item = Item::new("file", file.created_at, clock, who(Some(file.uploader_id)));
        item.file_id = file.id;
        item.file_name = file.file_name.clone();
        item.file_size = crate::view::bytes(ctx.lang, file.size_bytes);
        items.push(item);
    }
    // Oldest first; at the same moment, what happened (events) before what was said.
    let rank = |kind: &str| match kind {
        "event" => 0,
        "reply" => 1,
        _ => 2,
    };
    items.sort_by_key(|i| (i.at, rank(i.kind)));
    items
}

async fn build(
    app: &App,
    page: &SignedIn,
    number: i64,
    msg: Option<&str>,
    reply: ReplyState,
) -> Result<RequestPage, PageError> {
    let ctx = &page.ctx;
    let view =
        portal_views::request(app, &page.actor, number).await.map_err(|e| PageError::from_app(ctx.clone(), e))?;
    let clock = Clock::new(ctx, &view.organization);
    let lang = ctx.lang_code();
    let t = &view.detail.ticket;
    let policy = view.policy.as_deref();
    let not_covered = match (t.coverage, t.category.as_deref().and_then(|id| policy?.category(id)), policy) {
        (Coverage::NotCovered, Some(category), Some(policy)) => Some(NotCovered {
            intro: ctx.lang.text(
                "portal-nc-intro",
                &[("category", category.label.get(lang).to_owned()), ("clause", category.clause.clone())],
            ),
            description: category.description.get(lang).to_owned(),
            hour_packages: category.hour_packages,
            procedure: policy.out_of_scope_procedure.get(lang).to_owned(),
            can_decide: t.status == Status::AwaitingDecision,
            decision: latest_decision(&view.detail.events)
                .map(|(choice, at)| Decision::new(ctx, choice, clock.moment(at))),
        }),
        _ => None,
    };
    Ok(RequestPage {
        ctx: ctx.clone(),
        number: t.number,
        subject: t.subject.clone(),
        body_html: ctx.markdown(&t.body),
        status: t.status,
        coverage: t.coverage,
        priority: t.priority,
        category: t.category.as_deref().map(|id| category_label(policy, id, lang)),
        created: clock.moment(t.created_at),
        updated: clock.moment(t.updated_at),
        requester: view.people.get(&t.requester_id).map(|p| p.name.clone()).unwrap_or_default(),
        asset: view.asset.as_ref().map(|a| a.name.clone()),
        channel: ctx.channel_label(&t.channel),
        timeline: timeline(ctx, &clock, &view),
        not_covered,
        quote: portal_quote(app, ctx, &page.actor, t.number, msg).await,
        notice: notice(ctx, t.number, msg),
        reply,
        limit: size_limit(ctx.lang, app.settings.max_attachment_bytes),
    })
}

pub async fn page(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<MsgQuery>,
) -> Response {
    if let Some(to_agent) = staff_elsewhere(&page) {
        return to_agent;
    }
    let Some(number) = parse_number(&raw) else { return PageError::NotFound(page.ctx).into_response() };
    match build(&app, &page, number, query.msg.as_deref(), ReplyState::default()).await {
        Ok(view) => render(&view),
        Err(e) => e.into_response(),
    }
}

fn to_request(number: i64, msg: &str) -> Response {
    Redirect::to(&format!("/portal/tickets/{number}?msg={msg}")).into_response()
}

/// Shows the request page again with the reply form as the person left it.
async fn again(app: &App, page: &SignedIn, number: i64, reply: ReplyState, status: StatusCode) -> Response {
    match build(app, page, number, None, reply).await {
        Ok(view) => (status, render(&view)).into_response(),
        Err(e) => e.into_response(),
    }
}

/// A refusal a person can act on is shown on the request page; anything else is an error page.
fn refused(ctx: &PageCtx, number: i64, e: AppError) -> Response {
    match e {
        AppError::TicketClosed => to_request(number, "already_closed"),
        AppError::Transition { .. } | AppError::Forbidden => to_request(number, "not_allowed"),
        other => PageError::from_app(ctx.clone(), other).into_response(),
    }
}

pub async fn reply(State(app): State<App>, page: SignedIn, Path(raw): Path<String>, multipart: Multipart) -> Response {
    if let Some(to_agent) = staff_elsewhere(&page) {
        return to_agent;
    }
    let Some(number) = parse_number(&raw) else { return PageError::NotFound(page.ctx).into_response() };
    let submitted: Submitted = match form::read(&app, &page.ctx, multipart).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let ctx = &page.ctx;
    let body = submitted.text("body");
    let mut state = ReplyState {
        body: body.clone(),
        file_errors: submitted.file_errors.clone(),
        files_dropped: !submitted.files.is_empty(),
        ..ReplyState::default()
    };
    if submitted.has("preview") {
        state.preview = Some(ctx.markdown(&body));
        return again(&app, &page, number, state, StatusCode::OK).await;
    }
    if !state.file_errors.is_empty() {
        return again(&app, &page, number, state, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if body.trim().is_empty() && submitted.files.is_empty() {
        state.error = Some(ctx.t("portal-reply-empty"));
        return again(&app, &page, number, state, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if !body.trim().is_empty()
        && let Err(e) = tickets::comment(&app, &page.actor, number, &body, false).await
    {
        return match FormError::from_app(ctx, &e) {
            Some(error) => {
                state.error = Some(error.message);
                again(&app, &page, number, state, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            None => refused(ctx, number, e),
        };
    }
    let mut all_stored = true;
    for upload in submitted.files {
        match tickets::attach(&app, &page.actor, number, upload).await {
            Ok(_) => {}
            Err(e @ (AppError::NotFound | AppError::TicketClosed)) => return refused(ctx, number, e),
            Err(e) => {
                tracing::warn!(error = %e, ticket = number, "portal attachment refused");
                all_stored = false;
            }
        }
    }
    to_request(number, if all_stored { "replied" } else { "reply_files_failed" })
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf_token: String,
    /// What still fails, when reopening.
    #[serde(default)]
    body: String,
}

/// Closes a request (withdraws it, or confirms the solution of a resolved one).
pub async fn close(app: State<App>, page: SignedIn, raw: Path<String>, form: Form<StatusForm>) -> Response {
    move_to(app, page, raw, form, Status::Closed).await
}

/// Reopens a resolved request, with an optional note on what still fails.
pub async fn reopen(app: State<App>, page: SignedIn, raw: Path<String>, form: Form<StatusForm>) -> Response {
    move_to(app, page, raw, form, Status::Open).await
}

/// Closing and reopening: staff go to their console; then a valid CSRF token and a request
/// number; then the request moves to `to` (reopening first checks and writes the note).
async fn move_to(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<StatusForm>,
    to: Status,
) -> Response {
    if let Some(to_agent) = staff_elsewhere(&page) {
        return to_agent;
    }
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let Some(number) = parse_number(&raw) else { return PageError::NotFound(page.ctx).into_response() };
    if to == Status::Open
        && let Some(refusal) = before_reopening(&app, &page, number, form.body).await
    {
        return refusal;
    }
    let change = TicketChange { status: Some(to), ..TicketChange::default() };
    match tickets::change(&app, &page.actor, number, change).await {
        Ok(_) => to_request(number, if to == Status::Open { "reopened" } else { "closed" }),
        Err(e) => refused(&page.ctx, number, e),
    }
}

/// Only a resolved request can be reopened: checked before the note on what still fails is
/// written. The answer when the request may not be reopened (yet).
async fn before_reopening(app: &App, page: &SignedIn, number: i64, note: String) -> Option<Response> {
    let current = match portal_views::request(app, &page.actor, number).await {
        Ok(view) => view.detail.ticket.status,
        Err(e) => return Some(PageError::from_app(page.ctx.clone(), e).into_response()),
    };
    if current != Status::Resolved {
        return Some(to_request(number, "not_allowed"));
    }
    if !note.trim().is_empty()
        && let Err(e) = tickets::comment(app, &page.actor, number, &note, false).await
    {
        return Some(match FormError::from_app(&page.ctx, &e) {
            Some(error) => {
                let state =
                    ReplyState { reopen_body: note, reopen_error: Some(error.message), ..ReplyState::default() };
                again(app, page, number, state, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            None => refused(&page.ctx, number, e),
        });
    }
    None
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    choice: String,
    #[serde(default)]
    comment: String,
}

/// POST /portal/tickets/{number}/decision: the client's answer to a "not covered"
/// classification (a quote, prepaid hours, or not going on), with an optional comment.
pub async fn decide(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    if let Some(to_agent) = staff_elsewhere(&page) {
        return to_agent;
    }
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let Some(number) = parse_number(&raw) else { return PageError::NotFound(page.ctx).into_response() };
    let ctx = &page.ctx;
    let mut state = ReplyState {
        decision_choice: form.choice.clone(),
        decision_comment: form.comment.clone(),
        ..ReplyState::default()
    };
    let Ok(choice) = Choice::parse("choice", &form.choice) else {
        state.decision_error = Some(ctx.t("portal-decision-choose"));
        return again(&app, &page, number, state, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match not_covered::record_client_decision(&app, &page.actor, number, choice, Some(&form.comment)).await {
        Ok(_) => to_request(number, &format!("decided_{}", choice.as_str())),
        Err(AppError::Invalid(f)) => {
            if f.field == "comment" {
                state.decision_comment_error = Some(ctx.t("portal-decision-comment-too-long"));
            } else if f.code == FieldErrorCode::InsufficientBalance {
                // Paying with hours needs hours: the balance (from the detail) and what to do.
                let balance = f.detail.clone().unwrap_or_else(|| "0 h".to_owned());
                state.decision_error = Some(ctx.t1("quote-portal-decision-no-balance", "balance", balance));
            } else {
                state.decision_error = Some(ctx.t("portal-decision-hours-not-allowed"));
            }
            again(&app, &page, number, state, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => refused(ctx, number, e),
    }
}
