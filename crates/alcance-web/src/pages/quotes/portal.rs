//! The client's side: the quote card on the request page, a manager's acceptance (paid as
//! quoted or with the organisation's prepaid hours) or rejection, and the PDF.

use alcance_app::hours;
use alcance_app::quotes::{self, Decision};
use alcance_app::{Actor, App, AppError};
use alcance_domain::money;
use alcance_domain::{FieldErrorCode, Role};
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{QuoteCard, quote_number};
use crate::api::quotes::{ClientIp, pdf_response};
use crate::pages::{PageCtx, PageError, SignedIn, check_csrf};

/// The quote card of a request page.
pub struct PortalQuote {
    pub card: QuoteCard,
    /// A manager may accept or reject it now.
    pub can_decide: bool,
    /// Paying with the organisation's hours is offered (it has some): the hint that says the
    /// quote's hours and the balance.
    pub balance: Option<String>,
    /// Why the last answer was refused, in words.
    pub error: Option<String>,
    /// Other quotes of the request, older, as "Q-2026-0001 (retirada)".
    pub earlier: Vec<String>,
}

/// The latest quote sent for the request (drafts never show), with what the person may do.
pub async fn portal_quote(
    app: &App,
    ctx: &PageCtx,
    actor: &Actor,
    number: i64,
    msg: Option<&str>,
) -> Option<PortalQuote> {
    let all = match quotes::for_ticket(app, actor, number).await {
        Ok(all) => all,
        Err(e) => {
            tracing::warn!(error = %e, ticket = number, "could not read the request's quotes");
            return None;
        }
    };
    let latest = all.last()?;
    let q = match quotes::get(app, actor, &latest.number).await {
        Ok(q) => q,
        Err(e) => {
            tracing::warn!(error = %e, ticket = number, "could not read the quote");
            return None;
        }
    };
    let earlier =
        all[..all.len() - 1].iter().map(|o| format!("{} ({})", o.number, super::status_label(ctx, o.status))).collect();
    let manager = actor.role() == Role::Manager;
    let card = QuoteCard::new(ctx, &q);
    let can_decide = manager && card.is_sent;
    // Paying with hours is offered only for hours lines and when the balance has some.
    let balance = if can_decide && q.hours_minutes > 0 {
        match hours::overview(app, actor, q.organization_id).await {
            Ok(o) if o.available_minutes > 0 => Some(ctx.lang.text(
                "quote-portal-pay-with-hours-hint",
                &[
                    ("hours", card.hours.clone()),
                    ("balance", money::format_hours(o.available_minutes, ctx.lang_code())),
                ],
            )),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the hour balance");
                None
            }
        }
    } else {
        None
    };
    let error = msg.and_then(|m| {
        let key = match m {
            "quote_no_balance" => "quote-portal-no-balance",
            "quote_no_hours" => "quote-portal-no-hours-lines",
            "quote_not_allowed" => "quote-portal-not-allowed",
            "quote_note_too_long" => "quote-portal-note-too-long",
            "quote_managers_only" => "quote-portal-managers-only",
            _ => return None,
        };
        Some(ctx.t(key))
    });
    Some(PortalQuote { card, can_decide, balance, error, earlier })
}

#[derive(Deserialize)]
pub(super) struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    /// The checkbox: present ("1") when ticked.
    #[serde(default)]
    pay_with_hours: String,
    #[serde(default)]
    note: String,
}

/// Why an answer was refused, as the `msg` the request page shows in the card.
fn refusal(e: &AppError) -> Option<&'static str> {
    match e {
        AppError::Invalid(f) if f.code == FieldErrorCode::InsufficientBalance => Some("quote_no_balance"),
        AppError::Invalid(f) if f.field == "pay_with_hours" => Some("quote_no_hours"),
        AppError::Invalid(f) if f.field == "note" => Some("quote_note_too_long"),
        AppError::Invalid(_) => Some("quote_not_allowed"),
        AppError::Forbidden => Some("quote_managers_only"),
        _ => None,
    }
}

async fn decide(
    app: App,
    page: SignedIn,
    ip: Option<String>,
    raw: String,
    form: DecisionForm,
    accept: bool,
) -> Response {
    if page.actor.is_staff() {
        return Redirect::to("/agent").into_response();
    }
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let Some(number) = quote_number(&raw) else { return PageError::NotFound(page.ctx).into_response() };
    let ticket = match quotes::get(&app, &page.actor, &number).await {
        Ok(q) => q.ticket_number,
        Err(e) => return PageError::from_app(page.ctx, e).into_response(),
    };
    let decision = Decision {
        accept,
        pay_with_hours: accept && !form.pay_with_hours.is_empty(),
        note: Some(form.note).filter(|n| !n.trim().is_empty()),
        ip,
    };
    let msg = match quotes::decide(&app, &page.actor, &number, decision).await {
        Ok(_) if accept => "quote_accepted",
        Ok(_) => "quote_rejected",
        Err(e) => match refusal(&e) {
            Some(msg) => msg,
            None => return PageError::from_app(page.ctx, e).into_response(),
        },
    };
    Redirect::to(&format!("/portal/tickets/{ticket}?msg={msg}#quote")).into_response()
}

/// POST /portal/quotes/{number}/accept
pub(super) async fn accept(
    State(app): State<App>,
    page: SignedIn,
    ClientIp(ip): ClientIp,
    Path(raw): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    decide(app, page, ip, raw, form, true).await
}

/// POST /portal/quotes/{number}/reject
pub(super) async fn reject(
    State(app): State<App>,
    page: SignedIn,
    ClientIp(ip): ClientIp,
    Path(raw): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    decide(app, page, ip, raw, form, false).await
}

/// GET /portal/quotes/{number}.pdf, in the page's language.
pub(super) async fn pdf(State(app): State<App>, page: SignedIn, Path(raw): Path<String>) -> Response {
    let Some(number) = raw.strip_suffix(".pdf").and_then(quote_number) else {
        return PageError::NotFound(page.ctx).into_response();
    };
    match pdf_response(&app, &page.actor, &number, page.ctx.lang_code()).await {
        Ok(response) => response,
        Err(e) => PageError::from_app(page.ctx, e).into_response(),
    }
}
