//! The ticket page's actions: classify, assign, status and priority (each a small form
//! that redirects back with a notice, or shows the page again with the refusal next to the
//! form), the reply/note form with attachments, and the "also viewing" fragment.

use alcance_app::tickets::{self, NewUpload, TicketChange};
use alcance_app::{Actor, App, AppError, account, triage};
use alcance_domain::ticket::{Coverage, Priority, Status, TransitionError};
use alcance_domain::{FieldErrorCode, validate};
use askama::Template;
use axum::extract::{Form, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::ticket::{Action, Failure, Kept, parse_number, show, viewers_text};
use super::{given, staff_only};
use crate::pages::upload::{self, Limits};
use crate::pages::{FormError, PageCtx, PageError, SignedIn, check_csrf, render};

/// Files one reply may carry (all of them at the attachment limit).
pub(super) const MAX_FILES: usize = 5;

/// A refused change, translated; anything else (not found, internal) is not the form's.
fn failure(ctx: &PageCtx, action: Action, e: AppError) -> Result<Failure, Response> {
    let (field, message) = match e {
        AppError::Invalid(f)
            if action == Action::Classify && f.field == "reason" && f.code == FieldErrorCode::Required =>
        {
            (Some("reason".to_owned()), ctx.t("agent-error-override-reason"))
        }
        AppError::Invalid(ref f) if f.field == "category" && f.code == FieldErrorCode::Required => {
            (Some("category".to_owned()), ctx.t("agent-error-category-required"))
        }
        AppError::Invalid(ref f) if f.field == "status" && f.code == FieldErrorCode::Required => {
            (Some("status".to_owned()), ctx.t("agent-error-status-required"))
        }
        AppError::Invalid(_) => match FormError::from_app(ctx, &e) {
            Some(f) => (Some(f.field), f.message),
            None => (None, ctx.t("agent-error-bad-form")),
        },
        AppError::Transition { why: TransitionError::ReasonRequired, .. } => {
            (Some("reason".to_owned()), ctx.t("agent-error-reason-required"))
        }
        AppError::Transition { from, to, .. } => (
            Some("status".to_owned()),
            ctx.lang
                .text("agent-error-transition", &[("from", ctx.status_label(&from)), ("to", ctx.status_label(&to))]),
        ),
        AppError::TicketClosed => (None, ctx.t("agent-error-closed")),
        other => return Err(PageError::from_app(ctx.clone(), other).into_response()),
    };
    // The reply form shows its refusals by the message or by the files.
    let field = match (action, field) {
        (Action::Reply, Some(f)) if f != "body" => Some("files".to_owned()),
        (_, field) => field,
    };
    Ok(Failure { action, field, message })
}

/// After a change: back to the page with a notice, or the page again with the refusal.
async fn after_change<T>(
    app: &App,
    ctx: PageCtx,
    actor: &Actor,
    number: i64,
    action: Action,
    result: Result<T, AppError>,
    kept: Kept,
) -> Response {
    match result {
        Ok(_) => Redirect::to(&format!("/agent/tickets/{number}?msg={}", action.notice())).into_response(),
        Err(e) => match failure(&ctx, action, e) {
            Ok(f) => show(app, ctx, actor, number, kept, Some(f), None).await,
            Err(response) => response,
        },
    }
}

/// Staff only, and a ticket number.
fn staff_ticket(page: SignedIn, number: &str) -> Result<(PageCtx, Actor, i64), Response> {
    let (ctx, actor) = staff_only(page)?;
    let number = parse_number(&ctx, number)?;
    Ok((ctx, actor, number))
}

/// The run of every small form: staff only, a ticket number, a valid CSRF token; then the
/// change the form asks for (or why it cannot be made), made, and the answer. `kept` is what
/// the form shows again if the change is refused.
async fn change_ticket(
    app: &App,
    page: SignedIn,
    number: &str,
    csrf: &str,
    action: Action,
    kept: Kept,
    change: impl FnOnce(&Actor) -> Result<TicketChange, AppError>,
) -> Response {
    let (ctx, actor, number) = match staff_ticket(page, number) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Err(e) = check_csrf(&ctx, csrf) {
        return e.into_response();
    }
    let result = match change(&actor) {
        // Classifications go through triage, which notes whether the suggestion was followed.
        Ok(change) => tickets::change(app, &actor, number, change).await,
        Err(e) => Err(e),
    };
    after_change(app, ctx, &actor, number, action, result, kept).await
}

#[derive(Deserialize)]
pub(super) struct ClassifyForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    coverage: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn classify(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    Form(form): Form<ClassifyForm>,
) -> Response {
    let kept = Kept {
        category: Some(form.category.trim().to_owned()),
        coverage: form.coverage.trim().to_owned(),
        classify_reason: form.reason.clone(),
        ..Kept::default()
    };
    change_ticket(&app, page, &number, &form.csrf_token, Action::Classify, kept, |_| {
        let category =
            given(Some(&form.category)).ok_or_else(|| AppError::field("category", FieldErrorCode::Required))?;
        let coverage = given(Some(&form.coverage)).map(|c| Coverage::parse("coverage", c)).transpose()?;
        Ok(TicketChange {
            category: Some(category.to_owned()),
            coverage,
            reason: given(Some(&form.reason)).map(str::to_owned),
            ..TicketChange::default()
        })
    })
    .await
}

#[derive(Deserialize)]
pub(super) struct AcceptForm {
    #[serde(default)]
    csrf_token: String,
}

/// "Aceptar sugerencia": the classifier's category and priority in one step.
pub(super) async fn accept_suggestion(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Response {
    let (ctx, actor, number) = match staff_ticket(page, &number) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Err(e) = check_csrf(&ctx, &form.csrf_token) {
        return e.into_response();
    }
    let result = triage::accept_suggestion(&app, &actor, number).await;
    after_change(&app, ctx, &actor, number, Action::Classify, result, Kept::default()).await
}

#[derive(Deserialize)]
pub(super) struct AssignForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    assignee: String,
    /// The "assign to me" button.
    #[serde(default)]
    take: String,
}

pub(super) async fn assign(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    Form(form): Form<AssignForm>,
) -> Response {
    let kept = Kept { assignee: Some(form.assignee.trim().to_owned()), ..Kept::default() };
    change_ticket(&app, page, &number, &form.csrf_token, Action::Assign, kept, |actor| {
        let assignee = if form.take == "me" {
            Some(actor.id())
        } else {
            match given(Some(&form.assignee)) {
                None | Some("none") => None,
                Some(id) => Some(id.parse::<i64>().map_err(|_| AppError::field("assignee", FieldErrorCode::Invalid))?),
            }
        };
        Ok(TicketChange { assignee: Some(assignee), ..TicketChange::default() })
    })
    .await
}

#[derive(Deserialize)]
pub(super) struct StatusForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn status(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    Form(form): Form<StatusForm>,
) -> Response {
    let kept = Kept { status: form.status.trim().to_owned(), status_reason: form.reason.clone(), ..Kept::default() };
    change_ticket(&app, page, &number, &form.csrf_token, Action::Status, kept, |_| {
        let status = given(Some(&form.status)).ok_or_else(|| AppError::field("status", FieldErrorCode::Required))?;
        Ok(TicketChange {
            status: Some(Status::parse("status", status)?),
            reason: given(Some(&form.reason)).map(str::to_owned),
            ..TicketChange::default()
        })
    })
    .await
}

#[derive(Deserialize)]
pub(super) struct PriorityForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    priority: String,
}

pub(super) async fn priority(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    Form(form): Form<PriorityForm>,
) -> Response {
    let kept = Kept { priority: Some(form.priority.trim().to_owned()), ..Kept::default() };
    change_ticket(&app, page, &number, &form.csrf_token, Action::Priority, kept, |_| {
        Ok(TicketChange {
            priority: Some(Priority::parse("priority", form.priority.trim())?),
            ..TicketChange::default()
        })
    })
    .await
}

/// POST /agent/tickets/{number}/comment: a public reply or an internal note, with files.
pub(super) async fn comment(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    multipart: Multipart,
) -> Response {
    let (ctx, actor, number) = match staff_ticket(page, &number) {
        Ok(found) => found,
        Err(response) => return response,
    };
    // The token is checked before anything else is said about the form.
    let form = match upload::read(&ctx, multipart, Limits::new(&app, MAX_FILES, MAX_FILES)).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let body = form.text("body");
    let internal = form.text("visibility") == "internal";
    let kept = Kept { body: body.clone(), internal, ..Kept::default() };
    let refuse =
        |field: &str, message: String| Failure { action: Action::Reply, field: Some(field.to_owned()), message };
    if !form.file_errors.is_empty() {
        // A refused file (too large, empty...): the page again with the text; nothing was stored.
        let failure = refuse("files", form.file_errors.join(" "));
        return show(&app, ctx, &actor, number, kept, Some(failure), None).await;
    }
    let has_text = !body.trim().is_empty();
    if !has_text && form.files.is_empty() {
        let failure = refuse("body", ctx.t("agent-error-body-required"));
        return show(&app, ctx, &actor, number, kept, Some(failure), None).await;
    }
    // Check the text before storing anything (the files were checked as they were read).
    if has_text && let Err(e) = validate::body("body", &body) {
        let message = FormError::from_app(&ctx, &AppError::from(e)).map(|f| f.message).unwrap_or_default();
        return show(&app, ctx, &actor, number, kept, Some(refuse("body", message)), None).await;
    }
    if has_text && let Err(e) = tickets::comment(&app, &actor, number, &body, internal).await {
        return after_change::<()>(&app, ctx, &actor, number, Action::Reply, Err(e), kept).await;
    }
    for file in form.files {
        if let Err(e) = tickets::attach(&app, &actor, number, NewUpload { internal, ..file }).await {
            let kept = if has_text { Kept { internal, ..Kept::default() } } else { kept };
            return after_change::<()>(&app, ctx, &actor, number, Action::Reply, Err(e), kept).await;
        }
    }
    let msg = match (has_text, internal) {
        (false, _) => "attached",
        (true, true) => "noted",
        (true, false) => "replied",
    };
    Redirect::to(&format!("/agent/tickets/{number}?msg={msg}")).into_response()
}

#[derive(Template)]
#[template(path = "agent/viewers.html")]
struct ViewersFragment {
    text: Option<String>,
}

/// GET /agent/tickets/{number}/viewers: who else has the ticket open (htmx polls it).
pub(super) async fn viewers(State(app): State<App>, page: SignedIn, Path(number): Path<String>) -> Response {
    let (ctx, actor, number) = match staff_ticket(page, &number) {
        Ok(found) => found,
        Err(response) => return response,
    };
    match account::viewing(&app, &actor, number).await {
        Ok(names) => render(&ViewersFragment { text: viewers_text(&ctx, &names) }),
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}
