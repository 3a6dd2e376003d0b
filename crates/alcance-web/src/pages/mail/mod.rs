//! /agent/mail: e-mail that intake held for an agent (unknown senders, suspicious replies),
//! with sender, subject, text and why it was held. An agent accepts one (a new ticket for a
//! client contact they pick, or a public reply on the ticket it seems to belong to) or
//! rejects it. Staff only; every form carries the session's CSRF token.

use alcance_app::mail_intake::{self, Accept, HeldMessage};
use alcance_app::{Actor, App, directory};
use alcance_domain::model::User;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::pages::{PageCtx, PageError, SignedIn, render};

pub fn router() -> Router<App> {
    Router::new()
        .route("/agent/mail", get(page))
        .route("/agent/mail/{id}/accept", post(accept))
        .route("/agent/mail/{id}/reject", post(reject))
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    msg: Option<String>,
    ticket: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct DecideForm {
    #[serde(default)]
    csrf_token: String,
    /// A client contact's e-mail: open a new ticket for them.
    #[serde(default)]
    requester: String,
    /// A ticket number: add the message to it as a reply.
    #[serde(default)]
    ticket: String,
}

struct ContactOption {
    email: String,
    label: String,
}

#[derive(Template)]
#[template(path = "mail/held.html")]
struct HeldPage {
    ctx: PageCtx,
    messages: Vec<HeldMessage>,
    contacts: Vec<ContactOption>,
    notice: Option<String>,
    alert: Option<String>,
}

impl HeldPage {
    fn reason(&self, m: &HeldMessage) -> String {
        let code = m.email.reason.as_deref().unwrap_or("unknown_sender");
        self.ctx.t(&format!("mail-reason-{code}"))
    }

    fn suspected(&self, m: &HeldMessage) -> String {
        m.suspected_ticket.map(|n| n.to_string()).unwrap_or_default()
    }
}

async fn show(app: &App, ctx: PageCtx, actor: &Actor, notice: Option<String>, alert: Option<String>) -> Response {
    let loaded = async {
        let messages = mail_intake::held(app, actor).await?;
        let people = directory::list_users(app, actor, None).await?;
        Ok::<_, alcance_app::AppError>((messages, people))
    };
    let (messages, people) = match loaded.await {
        Ok(found) => found,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let contacts = people
        .into_iter()
        .filter(|u: &User| u.active && !u.role.is_staff())
        .map(|u| ContactOption { label: format!("{} <{}>", u.name, u.email), email: u.email })
        .collect();
    render(&HeldPage { ctx, messages, contacts, notice, alert })
}

pub async fn page(State(app): State<App>, page: SignedIn, Query(q): Query<MsgQuery>) -> Response {
    let (ctx, actor) = match page.staff() {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let notice = match (q.msg.as_deref(), q.ticket) {
        (Some("accepted"), Some(n)) => Some(ctx.t1("mail-msg-accepted", "number", n)),
        (Some("rejected"), _) => Some(ctx.t("mail-msg-rejected")),
        _ => None,
    };
    show(&app, ctx, &actor, notice, None).await
}

pub async fn accept(
    State(app): State<App>,
    page: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DecideForm>,
) -> Response {
    let (ctx, actor) = match page.staff_form(&form.csrf_token) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let ticket = form.ticket.trim().trim_start_matches('#');
    let how = if !ticket.is_empty() {
        match ticket.parse::<i64>() {
            Ok(number) if number > 0 => Accept::Reply { number },
            _ => return show(&app, ctx.clone(), &actor, None, Some(ctx.t("mail-error-ticket"))).await,
        }
    } else if !form.requester.trim().is_empty() {
        Accept::NewTicket { requester: form.requester.trim().to_owned() }
    } else {
        return show(&app, ctx.clone(), &actor, None, Some(ctx.t("mail-error-choose"))).await;
    };
    match mail_intake::accept(&app, &actor, id, how).await {
        Ok(number) => Redirect::to(&format!("/agent/mail?msg=accepted&ticket={number}")).into_response(),
        Err(alcance_app::AppError::NotFound) => {
            show(&app, ctx.clone(), &actor, None, Some(ctx.t("mail-error-not-found"))).await
        }
        Err(e @ (alcance_app::AppError::Invalid(_) | alcance_app::AppError::TicketClosed)) => {
            let message = match e {
                alcance_app::AppError::TicketClosed => ctx.t("mail-error-closed"),
                _ => ctx.t("mail-error-requester"),
            };
            show(&app, ctx, &actor, None, Some(message)).await
        }
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}

pub async fn reject(
    State(app): State<App>,
    page: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DecideForm>,
) -> Response {
    let (ctx, actor) = match page.staff_form(&form.csrf_token) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match mail_intake::reject_held(&app, &actor, id).await {
        Ok(()) => Redirect::to("/agent/mail?msg=rejected").into_response(),
        Err(alcance_app::AppError::NotFound) => {
            show(&app, ctx.clone(), &actor, None, Some(ctx.t("mail-error-not-found"))).await
        }
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}
