//! The agent's side: a new quote from a not-covered ticket, the quote page (its lines and
//! totals as the client will see them, the draft form, send, withdraw) and the PDF.

use alcance_app::agent_views::{self, TicketView};
use alcance_app::quotes;
use alcance_app::{Actor, App, AppError, directory};
use alcance_domain::FieldErrorCode;
use alcance_domain::money::{self, Currency};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::form::DraftForm;
use super::{QuoteCard, quote_number};
use crate::api::quotes::pdf_response;
use crate::pages::{PageCtx, PageError, SignedIn, check_csrf, render};

#[derive(Template)]
#[template(path = "quotes/new.html")]
struct NewPage {
    ctx: PageCtx,
    number: i64,
    subject: String,
    organization: String,
    rate_hint: String,
    form: DraftForm,
}

#[derive(Template)]
#[template(path = "quotes/agent.html")]
struct QuotePage {
    ctx: PageCtx,
    card: QuoteCard,
    subject: String,
    organization: String,
    notice: Option<String>,
    failure: Option<String>,
    /// The draft form, for drafts.
    form: Option<DraftForm>,
    rate_hint: String,
    reason: String,
    reason_error: Option<String>,
    can_withdraw: bool,
    sent_at: Option<String>,
    decided: Option<String>,
    decided_ip: Option<String>,
}

/// What a handler answers: the page, or early the error page (not found, a refused CSRF
/// token, a use case's refusal).
type Answer = Result<Response, Response>;

/// The signed-in staff member and the number in the address read by `parse`; anyone else and
/// a number that names nothing are answered "not found".
fn staff<T>(page: SignedIn, raw: &str, parse: fn(&str) -> Option<T>) -> Result<(PageCtx, Actor, T), Response> {
    match parse(raw) {
        Some(number) if page.actor.is_staff() => Ok((page.ctx, page.actor, number)),
        _ => Err(PageError::NotFound(page.ctx).into_response()),
    }
}

fn ticket_number(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|n| *n > 0)
}

/// The error page for a use case's refusal, for `map_err`.
fn failed(ctx: &PageCtx) -> impl FnOnce(AppError) -> Response + '_ {
    |e| PageError::from_app(ctx.clone(), e).into_response()
}

fn csrf(ctx: &PageCtx, token: &str) -> Result<(), Response> {
    check_csrf(ctx, token).map_err(IntoResponse::into_response)
}

/// The contract's rate as a rate field shows it ("$ 150.000"), and the hint under the form.
fn rates(ctx: &PageCtx, view: &TicketView) -> (String, String) {
    match &view.contract {
        Some(c) => {
            let currency = Currency::from_code("currency", &c.currency).unwrap_or(Currency::Cop);
            let rate = money::format_money(c.hourly_rate_minor, currency, ctx.lang_code());
            let tax = super::percent(ctx.lang_code(), c.tax_rate_basis_points);
            (rate.clone(), ctx.lang.text("quote-rate-hint", &[("rate", rate), ("tax", tax)]))
        }
        None => (String::new(), ctx.t("quote-rate-hint-none")),
    }
}

/// The ticket a new quote is drafted for, with the contract's rate and the hint.
async fn ticket(
    app: &App,
    ctx: &PageCtx,
    actor: &Actor,
    number: i64,
) -> Result<(TicketView, String, String), Response> {
    let view = agent_views::ticket(app, actor, number).await.map_err(failed(ctx))?;
    let (rate, rate_hint) = rates(ctx, &view);
    Ok((view, rate, rate_hint))
}

impl NewPage {
    fn new(ctx: PageCtx, number: i64, view: &TicketView, rate_hint: String, form: DraftForm) -> Self {
        let (subject, organization) = (view.ticket.subject.clone(), view.organization.name.clone());
        NewPage { ctx, number, subject, organization, rate_hint, form }
    }
}

/// GET /agent/tickets/{number}/quotes/new
pub(super) async fn new_page(State(app): State<App>, page: SignedIn, Path(raw): Path<String>) -> Answer {
    let (ctx, actor, number) = staff(page, &raw, ticket_number)?;
    let (view, rate, rate_hint) = ticket(&app, &ctx, &actor, number).await?;
    let form = DraftForm::blank(format!("/agent/tickets/{number}/quotes"), view.ticket.subject.clone(), rate);
    Ok(render(&NewPage::new(ctx, number, &view, rate_hint, form)))
}

/// POST /agent/tickets/{number}/quotes: creates the draft and shows it.
pub(super) async fn create(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Answer {
    let (ctx, actor, number) = staff(page, &raw, ticket_number)?;
    let (view, rate, rate_hint) = ticket(&app, &ctx, &actor, number).await?;
    let mut form = DraftForm::read(format!("/agent/tickets/{number}/quotes"), pairs, rate);
    csrf(&ctx, &form.csrf_token)?;
    match quotes::create_draft(&app, &actor, number, form.input()).await {
        Ok(q) => Ok(Redirect::to(&format!("/agent/quotes/{}?msg=created", q.number)).into_response()),
        Err(e) if form.refused(&ctx, &e) => {
            let page = NewPage::new(ctx, number, &view, rate_hint, form);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(failed(&ctx)(e)),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct MsgQuery {
    msg: Option<String>,
}

fn notice(ctx: &PageCtx, msg: Option<&str>) -> Option<String> {
    let key = match msg? {
        "created" => "quote-msg-created",
        "saved" => "quote-msg-saved",
        "sent" => "quote-msg-sent",
        "withdrawn" => "quote-msg-withdrawn",
        _ => return None,
    };
    Some(ctx.t(key))
}

/// What the quote page shows besides the quote: the form as typed, and what went wrong.
#[derive(Default)]
struct Shown {
    form: Option<DraftForm>,
    notice: Option<String>,
    failure: Option<String>,
    reason: String,
    reason_error: Option<String>,
}

async fn show(app: &App, ctx: PageCtx, actor: &Actor, number: &str, shown: Shown, status: StatusCode) -> Answer {
    let q = quotes::get(app, actor, number).await.map_err(failed(&ctx))?;
    let view = agent_views::ticket(app, actor, q.ticket_number).await.map_err(failed(&ctx))?;
    let (rate, rate_hint) = rates(&ctx, &view);
    let card = QuoteCard::new(&ctx, &q);
    let form = match shown.form {
        Some(form) => Some(form),
        None if card.is_draft => Some(DraftForm::of(format!("/agent/quotes/{}", q.number), &q, ctx.lang_code(), rate)),
        None => None,
    };
    let tz = crate::view::zone(&view.organization.time_zone);
    let when = |at| crate::view::datetime(ctx.lang, tz, at);
    let who = match q.decided_by {
        Some(id) => directory::get_user(app, actor, id).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let decided = q.decided_at.map(|at| {
        ctx.lang.text("quote-decided", &[("status", card.status_label.clone()), ("when", when(at)), ("who", who)])
    });
    let page = QuotePage {
        can_withdraw: matches!(card.status, "draft" | "sent" | "accepted"),
        sent_at: q.sent_at.map(when),
        decided,
        decided_ip: q.decided_ip.clone(),
        card,
        subject: view.ticket.subject.clone(),
        organization: view.organization.name.clone(),
        notice: shown.notice,
        failure: shown.failure,
        form,
        rate_hint,
        reason: shown.reason,
        reason_error: shown.reason_error,
        ctx,
    };
    Ok((status, render(&page)).into_response())
}

/// GET /agent/quotes/{number}
pub(super) async fn page(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<MsgQuery>,
) -> Answer {
    let (ctx, actor, number) = staff(page, &raw, quote_number)?;
    let shown = Shown { notice: notice(&ctx, query.msg.as_deref()), ..Shown::default() };
    show(&app, ctx, &actor, &number, shown, StatusCode::OK).await
}

/// POST /agent/quotes/{number}: the draft's changes.
pub(super) async fn update(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Answer {
    let (ctx, actor, number) = staff(page, &raw, quote_number)?;
    let mut form = DraftForm::read(format!("/agent/quotes/{number}"), pairs, String::new());
    csrf(&ctx, &form.csrf_token)?;
    match quotes::update_draft(&app, &actor, &number, form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/agent/quotes/{number}?msg=saved")).into_response()),
        Err(e) if form.refused(&ctx, &e) => {
            let shown = Shown { form: Some(form), ..Shown::default() };
            show(&app, ctx, &actor, &number, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(failed(&ctx)(e)),
    }
}

#[derive(Deserialize)]
pub(super) struct ActionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

/// A refused send or withdrawal, in words.
fn action_failure(ctx: &PageCtx, e: &AppError) -> Option<String> {
    match e {
        AppError::Invalid(f) if f.field == "reason" && f.code == FieldErrorCode::Required => {
            Some(ctx.t("quote-error-reason-required"))
        }
        AppError::Invalid(f) if f.field == "status" => Some(ctx.t("quote-error-not-allowed")),
        AppError::Invalid(f) => Some(ctx.lang.text(
            &format!("field-{}", f.code.as_str()),
            &[("field", ctx.t("quote-field-reason")), ("detail", f.detail.clone().unwrap_or_default())],
        )),
        _ => None,
    }
}

async fn act(app: App, page: SignedIn, raw: String, form: ActionForm, withdraw: bool) -> Answer {
    let (ctx, actor, number) = staff(page, &raw, quote_number)?;
    csrf(&ctx, &form.csrf_token)?;
    let (result, msg) = if withdraw {
        let reason = Some(form.reason.clone()).filter(|r| !r.trim().is_empty());
        (quotes::withdraw(&app, &actor, &number, reason).await.map(|_| ()), "withdrawn")
    } else {
        (quotes::send(&app, &actor, &number).await.map(|_| ()), "sent")
    };
    let Err(e) = result else { return Ok(Redirect::to(&format!("/agent/quotes/{number}?msg={msg}")).into_response()) };
    let Some(message) = action_failure(&ctx, &e) else { return Err(failed(&ctx)(e)) };
    let shown = if withdraw {
        Shown { reason: form.reason, reason_error: Some(message), ..Shown::default() }
    } else {
        Shown { failure: Some(message), ..Shown::default() }
    };
    show(&app, ctx, &actor, &number, shown, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// POST /agent/quotes/{number}/send
pub(super) async fn send(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<ActionForm>,
) -> Answer {
    act(app, page, raw, form, false).await
}

/// POST /agent/quotes/{number}/withdraw
pub(super) async fn withdraw(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<ActionForm>,
) -> Answer {
    act(app, page, raw, form, true).await
}

/// GET /agent/quotes/{number}/pdf, in the page's language.
pub(super) async fn pdf(State(app): State<App>, page: SignedIn, Path(raw): Path<String>) -> Answer {
    let (ctx, actor, number) = staff(page, &raw, quote_number)?;
    pdf_response(&app, &actor, &number, ctx.lang_code()).await.map_err(failed(&ctx))
}
