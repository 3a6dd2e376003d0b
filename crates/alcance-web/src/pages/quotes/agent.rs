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
use crate::api::quotes::{QuoteOut, pdf_response, quote_out};
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

fn staff(page: SignedIn) -> Result<(PageCtx, Actor), Response> {
    if page.actor.is_staff() { Ok((page.ctx, page.actor)) } else { Err(PageError::NotFound(page.ctx).into_response()) }
}

fn ticket_number(ctx: &PageCtx, raw: &str) -> Result<i64, Response> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| PageError::NotFound(ctx.clone()).into_response())
}

fn number_of(ctx: &PageCtx, raw: &str) -> Result<String, Response> {
    quote_number(raw).ok_or_else(|| PageError::NotFound(ctx.clone()).into_response())
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

/// GET /agent/tickets/{number}/quotes/new
pub(super) async fn new_page(State(app): State<App>, page: SignedIn, Path(raw): Path<String>) -> Response {
    let (ctx, actor) = match staff(page) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let number = match ticket_number(&ctx, &raw) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let view = match agent_views::ticket(&app, &actor, number).await {
        Ok(v) => v,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let (rate, rate_hint) = rates(&ctx, &view);
    let form = DraftForm::blank(format!("/agent/tickets/{number}/quotes"), view.ticket.subject.clone(), rate);
    render(&NewPage {
        number,
        subject: view.ticket.subject.clone(),
        organization: view.organization.name.clone(),
        rate_hint,
        form,
        ctx,
    })
}

/// POST /agent/tickets/{number}/quotes: creates the draft and shows it.
pub(super) async fn create(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (ctx, actor) = match staff(page) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let number = match ticket_number(&ctx, &raw) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let view = match agent_views::ticket(&app, &actor, number).await {
        Ok(v) => v,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let (rate, rate_hint) = rates(&ctx, &view);
    let mut form = DraftForm::read(format!("/agent/tickets/{number}/quotes"), pairs, rate);
    if let Err(e) = check_csrf(&ctx, &form.csrf_token) {
        return e.into_response();
    }
    match quotes::create_draft(&app, &actor, number, form.input()).await {
        Ok(q) => Redirect::to(&format!("/agent/quotes/{}?msg=created", q.number)).into_response(),
        Err(e) if form.refused(&ctx, &e) => {
            let page = NewPage {
                number,
                subject: view.ticket.subject.clone(),
                organization: view.organization.name.clone(),
                rate_hint,
                form,
                ctx,
            };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(e) => PageError::from_app(ctx, e).into_response(),
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

async fn show(app: &App, ctx: PageCtx, actor: &Actor, number: &str, shown: Shown, status: StatusCode) -> Response {
    let q: QuoteOut = match quotes::get(app, actor, number).await {
        Ok(q) => quote_out!(q),
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let view = match agent_views::ticket(app, actor, q.ticket_number).await {
        Ok(v) => v,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
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
    (status, render(&page)).into_response()
}

/// GET /agent/quotes/{number}
pub(super) async fn page(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<MsgQuery>,
) -> Response {
    let (ctx, actor) = match staff(page) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let number = match number_of(&ctx, &raw) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let shown = Shown { notice: notice(&ctx, query.msg.as_deref()), ..Shown::default() };
    show(&app, ctx, &actor, &number, shown, StatusCode::OK).await
}

/// POST /agent/quotes/{number}: the draft's changes.
pub(super) async fn update(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (ctx, actor) = match staff(page) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let number = match number_of(&ctx, &raw) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let mut form = DraftForm::read(format!("/agent/quotes/{number}"), pairs, String::new());
    if let Err(e) = check_csrf(&ctx, &form.csrf_token) {
        return e.into_response();
    }
    match quotes::update_draft(&app, &actor, &number, form.input()).await {
        Ok(_) => Redirect::to(&format!("/agent/quotes/{number}?msg=saved")).into_response(),
        Err(e) if form.refused(&ctx, &e) => {
            let shown = Shown { form: Some(form), ..Shown::default() };
            show(&app, ctx, &actor, &number, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => PageError::from_app(ctx, e).into_response(),
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

async fn act(app: App, page: SignedIn, raw: String, form: ActionForm, withdraw: bool) -> Response {
    let (ctx, actor) = match staff(page) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let number = match number_of(&ctx, &raw) {
        Ok(n) => n,
        Err(r) => return r,
    };
    if let Err(e) = check_csrf(&ctx, &form.csrf_token) {
        return e.into_response();
    }
    let (result, msg) = if withdraw {
        let reason = Some(form.reason.clone()).filter(|r| !r.trim().is_empty());
        (quotes::withdraw(&app, &actor, &number, reason).await.map(|_| ()), "withdrawn")
    } else {
        (quotes::send(&app, &actor, &number).await.map(|_| ()), "sent")
    };
    match result {
        Ok(()) => Redirect::to(&format!("/agent/quotes/{number}?msg={msg}")).into_response(),
        Err(e) => match action_failure(&ctx, &e) {
            Some(message) => {
                let shown = if withdraw {
                    Shown { reason: form.reason, reason_error: Some(message), ..Shown::default() }
                } else {
                    Shown { failure: Some(message), ..Shown::default() }
                };
                show(&app, ctx, &actor, &number, shown, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            None => PageError::from_app(ctx, e).into_response(),
        },
    }
}

/// POST /agent/quotes/{number}/send
pub(super) async fn send(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    act(app, page, raw, form, false).await
}

/// POST /agent/quotes/{number}/withdraw
pub(super) async fn withdraw(
    State(app): State<App>,
    page: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    act(app, page, raw, form, true).await
}

/// GET /agent/quotes/{number}/pdf, in the page's language.
pub(super) async fn pdf(State(app): State<App>, page: SignedIn, Path(raw): Path<String>) -> Response {
    let (ctx, actor) = match staff(page) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let number = match number_of(&ctx, &raw) {
        Ok(n) => n,
        Err(r) => return r,
    };
    match pdf_response(&app, &actor, &number, ctx.lang_code()).await {
        Ok(response) => response,
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}
