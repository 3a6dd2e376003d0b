//! Held messages: an agent takes one in (as a new ticket or a reply) or rejects it.

use alcance_domain::FieldErrorCode;
use alcance_domain::model::Id;
use alcance_domain::ticket::Channel;
use alcance_store::repo::inbound::{self, HELD, InboundEmail};
use alcance_store::repo::{organizations, tickets as ticket_repo, users};

use super::{attach_all, body_text, ticket_subject};
use crate::tickets::{self, OpenTicket};
use crate::{Actor, App, AppError};

/// A held message and the ticket it seems to be about.
#[derive(Debug, Clone)]
pub struct HeldMessage {
    pub email: InboundEmail,
    pub suspected_ticket: Option<i64>,
}

/// Messages waiting for an agent (staff only), oldest first.
pub async fn held(app: &App, actor: &Actor) -> Result<Vec<HeldMessage>, AppError> {
    actor.require_staff()?;
    app.store
        .read(|c| {
            Box::pin(async move {
                let mut out = Vec::new();
                for email in inbound::held(c, 200).await? {
                    let suspected = match email.ticket_id {
                        Some(id) => ticket_repo::by_id(c, id).await?.map(|t| t.number),
                        None => None,
                    };
                    out.push(HeldMessage { email, suspected_ticket: suspected });
                }
                Ok(out)
            })
        })
        .await
}

/// How an agent takes a held message in.
#[derive(Debug, Clone)]
pub enum Accept {
    /// A new ticket for this client contact (by e-mail), in their organisation.
    NewTicket { requester: String },
    /// A public reply on ticket `number`, quoting the sender.
    Reply { number: i64 },
}

/// Takes a held message in; gives the ticket number. Only one decision per message counts.
pub async fn accept(app: &App, actor: &Actor, id: Id, how: Accept) -> Result<i64, AppError> {
    actor.require_staff()?;
    let email = claim(app, actor, id, "accepted").await?;
    let result = accept_claimed(app, actor, id, &email, how).await;
    match result {
        Ok((number, ticket_id)) => {
            let reason = email.reason.clone();
            app.store
                .write(move |c| {
                    Box::pin(async move {
                        inbound::set_outcome(c, id, "accepted", Some(ticket_id), reason.as_deref()).await
                    })
                })
                .await?;
            Ok(number)
        }
        Err(e) => {
            let held = email.outcome.clone();
            app.store.write(move |c| Box::pin(async move { inbound::undecide(c, id, &held).await })).await?;
            Err(e)
        }
    }
}

async fn accept_claimed(
    app: &App,
    actor: &Actor,
    id: Id,
    email: &InboundEmail,
    how: Accept,
) -> Result<(i64, Id), AppError> {
    let raw = app.store.read(move |c| Box::pin(async move { inbound::raw(c, id).await })).await?;
    let parsed = alcance_mail::parse(&raw).map_err(|e| AppError::Internal(e.to_string()))?;
    match how {
        Accept::NewTicket { requester } => {
            let requester = requester.trim().to_lowercase();
            let org_slug = app
                .store
                .read(move |c| {
                    Box::pin(async move {
                        let user = users::by_email(c, &requester).await?.filter(|u| u.active && !u.role.is_staff());
                        let org = match user.and_then(|u| u.organization_id) {
                            Some(org) => organizations::by_id(c, org).await?,
                            None => None,
                        };
                        org.map(|o| (o.slug, requester))
                            .ok_or_else(|| AppError::field("requester", FieldErrorCode::NotFound))
                    })
                })
                .await?;
            let (slug, requester) = org_slug;
            let input = OpenTicket {
                subject: ticket_subject(&email.subject),
                body: body_text(&email.text_body, !parsed.attachments.is_empty()),
                organization: Some(slug),
                requester: Some(requester),
                asset_id: None,
                priority: None,
            };
            let t = tickets::open(app, actor, input, Channel::Email).await?;
            attach_all(app, actor, t.number, &parsed, &[]).await;
            Ok((t.number, t.id))
        }
        Accept::Reply { number } => {
            let body = format!(
                "**{}** (e-mail):\n\n{}",
                email.from_address.replace(['*', '_', '[', ']'], ""),
                body_text(&email.text_body, !parsed.attachments.is_empty())
            );
            let comment = tickets::comment(app, actor, number, &body, false).await?;
            attach_all(app, actor, number, &parsed, &[]).await;
            Ok((number, comment.ticket_id))
        }
    }
}

/// Rejects a held message: it stays recorded, decided, and is not shown again.
pub async fn reject_held(app: &App, actor: &Actor, id: Id) -> Result<(), AppError> {
    actor.require_staff()?;
    claim(app, actor, id, "rejected").await.map(|_| ())
}

async fn claim(app: &App, actor: &Actor, id: Id, outcome: &'static str) -> Result<InboundEmail, AppError> {
    let (agent, now) = (actor.id(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let email = inbound::by_id(c, id).await?.ok_or(AppError::NotFound)?;
                if !HELD.contains(&email.outcome.as_str()) || !inbound::decide(c, id, outcome, agent, now).await? {
                    return Err(AppError::NotFound);
                }
                Ok(email)
            })
        })
        .await
}
