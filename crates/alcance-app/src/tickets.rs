//! Tickets: open, list, read, change, reply or note, attach. Every change writes its
//! history events in the same transaction.

use std::sync::Arc;

use alcance_domain::model::{Attachment, Comment, EventKind, Id, Ticket, TicketEvent, User};
use alcance_domain::policy::Policy;
use alcance_domain::ticket::{Channel, Coverage, Priority, Status};
use alcance_domain::{FieldError, FieldErrorCode, validate};
use alcance_store::Conn;
pub use alcance_store::repo::tickets::TicketSort;
use alcance_store::repo::tickets::{NewTicket, TicketFilter};
use alcance_store::repo::{assets, attachments, comments, contracts, events, suggestions, tickets, users};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::directory::org_by_slug;
use crate::history::Event;
use crate::mail_templates::TicketMail;
use crate::{Actor, App, AppError, Settings, secrets};

pub const DEFAULT_PAGE: i64 = 25;
pub const MAX_PAGE: i64 = 100;

pub struct OpenTicket {
    pub subject: String,
    pub body: String,
    /// Staff name the client organisation; contacts open in their own.
    pub organization: Option<String>,
    /// Staff may open on behalf of a contact of that organisation (by e-mail).
    pub requester: Option<String>,
    pub asset_id: Option<Id>,
    pub priority: Option<Priority>,
}

pub async fn open(app: &App, actor: &Actor, input: OpenTicket, channel: Channel) -> Result<Ticket, AppError> {
    let subject = validate::subject("subject", &input.subject)?;
    let body = validate::body("body", &input.body)?;
    let priority = input.priority.unwrap_or(Priority::Normal);
    let now = app.now();
    let actor = actor.clone();
    let suggestion = crate::triage::suggest_for_open(app, &subject, &body, now).await;
    let pending = suggestion.clone();
    let book = crate::sla::book_for_change(app).await?;
    let settings = app.settings.clone();
    let ticket = app
        .store
        .write(move |c| {
            Box::pin(async move {
                let (organization_id, requester_id) = if actor.is_staff() {
                    let slug = input.organization.ok_or_else(|| AppError::field("organization", FieldErrorCode::Required))?;
                    let org = org_by_slug(c, "organization", &slug).await?;
                    let requester = match input.requester {
                        Some(email) => {
                            let email = validate::email("requester", &email)?;
                            let user = users::by_email(c, &email).await?.filter(|u| u.organization_id == Some(org.id) && u.active);
                            user.ok_or_else(|| AppError::field("requester", FieldErrorCode::NotFound))?.id
                        }
                        None => actor.id(),
                    };
                    (org.id, requester)
                } else {
                    let own = actor.organization_id().ok_or(AppError::Forbidden)?;
                    if let Some(slug) = &input.organization {
                        // Naming another organisation is answered as if it did not exist.
                        let named = alcance_store::repo::organizations::by_slug(c, slug).await?;
                        if named.map(|o| o.id) != Some(own) {
                            return Err(AppError::NotFound);
                        }
                    }
                    if input.requester.is_some() {
                        return Err(AppError::field("requester", FieldErrorCode::NotAllowed));
                    }
                    (own, actor.id())
                };
                if let Some(asset_id) = input.asset_id {
                    let asset = assets::by_id(c, asset_id).await?;
                    if asset.map(|a| a.organization_id) != Some(organization_id) {
                        return Err(AppError::field("asset_id", FieldErrorCode::NotFound));
                    }
                }
                let new = NewTicket { organization_id, requester_id, asset_id: input.asset_id, subject: &subject, body: &body, channel, priority };
                let ticket = tickets::insert(c, new, now).await?;
                let after = json!({"status": ticket.status, "priority": ticket.priority, "channel": channel, "coverage": ticket.coverage});
                Event::new(EventKind::Created).after(after).record(c, ticket.id, Some(actor.id()), now).await?;
                crate::triage::store_for_new_ticket(c, ticket.id, &pending).await?;
                crate::sla::refresh(c, &book, ticket.id, now).await?;
                // The requester hears that the request arrived, whoever opened it.
                crate::mailer::notify_ticket_event(c, &settings, &ticket, TicketMail::Acknowledged, None, now).await?;
                Ok(ticket)
            })
        })
        .await?;
    Ok(crate::triage::after_open(app, ticket, &suggestion).await)
}

/// Which tickets to list, as the caller asked; narrowed further by what the actor may see.
#[derive(Debug, Default)]
pub struct TicketQuery {
    pub organization: Option<String>,
    pub statuses: Vec<Status>,
    pub priority: Option<Priority>,
    pub category: Option<String>,
    pub coverage: Option<Coverage>,
    /// "me", "none" or a user id.
    pub assignee: Option<String>,
    pub cursor: Option<i64>,
    pub limit: Option<i64>,
    /// Words in the subject, or a ticket number.
    pub text: Option<String>,
    pub sort: TicketSort,
    /// Rows to skip, for page lists sorted otherwise than by number.
    pub offset: Option<i64>,
}

pub struct TicketPage {
    pub items: Vec<Ticket>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<i64>,
    /// Whether another page follows (for any sort order).
    pub has_more: bool,
}

pub async fn list(app: &App, actor: &Actor, q: TicketQuery) -> Result<TicketPage, AppError> {
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(FieldError::new("limit", FieldErrorCode::Invalid).with_detail(format!("1-{MAX_PAGE}")).into());
    }
    let assignee_id = match q.assignee.as_deref() {
        None => None,
        Some("me") => Some(Some(actor.id())),
        Some("none") => Some(None),
        Some(id) => Some(Some(id.parse::<Id>().map_err(|_| AppError::field("assignee", FieldErrorCode::Invalid))?)),
    };
    let organization_id = match &q.organization {
        Some(slug) if actor.is_staff() => {
            let slug = slug.clone();
            Some(
                app.store.read(move |c| Box::pin(async move { org_by_slug(c, "organization", &slug).await })).await?.id,
            )
        }
        Some(slug) => Some(crate::directory::visible_org(app, actor, slug).await?.id),
        None => None,
    };
    let sort_is_by_number = q.sort == TicketSort::Newest;
    let filter = TicketFilter {
        organization_id: actor.organization_id().or(organization_id),
        requester_id: (actor.role() == alcance_domain::Role::Requester).then(|| actor.id()),
        statuses: q.statuses,
        priority: q.priority,
        category: q.category,
        coverage: q.coverage,
        assignee_id,
        before_number: q.cursor,
        text: q.text,
        sort: q.sort,
        offset: q.offset.unwrap_or(0).max(0),
        limit: limit + 1,
    };
    let mut items = app.store.read(move |c| Box::pin(async move { tickets::list(c, &filter).await })).await?;
    let has_more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if has_more && sort_is_by_number { items.last().map(|t| t.number) } else { None };
    Ok(TicketPage { items, next_cursor, has_more })
}

/// A ticket with what the actor may see of its timeline.
pub struct TicketDetail {
    pub ticket: Ticket,
    pub comments: Vec<Comment>,
    pub attachments: Vec<Attachment>,
    pub events: Vec<TicketEvent>,
}

async fn visible_ticket(conn: &mut dyn Conn, actor: &Actor, number: i64) -> Result<Ticket, AppError> {
    tickets::by_number(conn, number).await?.filter(|t| actor.can_see_ticket(t)).ok_or(AppError::NotFound)
}

pub async fn get(app: &App, actor: &Actor, number: i64) -> Result<TicketDetail, AppError> {
    let actor = actor.clone();
    app.store
        .read(move |c| {
            Box::pin(async move {
                let ticket = visible_ticket(c, &actor, number).await?;
                let internal = actor.is_staff();
                let comments = comments::for_ticket(c, ticket.id, internal).await?;
                let attachments = attachments::for_ticket(c, ticket.id, internal).await?;
                let events = events::for_ticket(c, ticket.id, internal).await?;
                Ok(TicketDetail { ticket, comments, attachments, events })
            })
        })
        .await
}

/// Fields to change; absent means unchanged. `assignee: Some(None)` unassigns.
#[derive(Debug, Default)]
pub struct TicketChange {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub assignee: Option<Option<Id>>,
    pub category: Option<String>,
    pub coverage: Option<Coverage>,
    pub reason: Option<String>,
}

/// The policy a ticket of this organisation is classified under: its active contract's,
/// or the default policy when it has none.
async fn policy_for(app: &App, organization_id: Id) -> Result<(Id, Arc<Policy>), AppError> {
    let contract =
        app.store.read(move |c| Box::pin(async move { contracts::active_for(c, organization_id).await })).await?;
    let policy_id = contract.map_or(app.policies.default_id(), |c| c.policy_id);
    Ok((policy_id, app.policies.get(&app.store, policy_id).await?))
}

pub async fn change(app: &App, actor: &Actor, number: i64, change: TicketChange) -> Result<Ticket, AppError> {
    let reason = change.reason.as_deref().map(|r| validate::reason("reason", r)).transpose()?;
    let staff_only = change.priority.is_some()
        || change.assignee.is_some()
        || change.category.is_some()
        || change.coverage.is_some();
    let actor = actor.clone();
    let current = {
        let actor = actor.clone();
        app.store.read(move |c| Box::pin(async move { visible_ticket(c, &actor, number).await })).await?
    };
    if staff_only && !actor.is_staff() {
        return Err(AppError::Forbidden);
    }
    // A client answers a not-covered request through its decision (not_covered.rs), so that
    // the choice is recorded; a bare status change would skip it.
    if !actor.is_staff() && current.status == Status::AwaitingDecision && change.status.is_some() {
        return Err(AppError::Forbidden);
    }
    let policy = match change.category.is_some() || change.coverage.is_some() {
        true => Some(policy_for(app, current.organization_id).await?),
        false => None,
    };
    let now = app.now();
    let settings = app.settings.clone();
    let book = crate::sla::book_for_change(app).await?;
    app.store
        .write(move |c| {
            Box::pin(async move {
                let before = current.updated_at;
                let t = apply_change(c, &actor, number, change, reason, policy, &settings, now).await?;
                // Priority and status move the SLA clock; an unchanged ticket leaves it.
                if t.updated_at != before {
                    crate::sla::refresh(c, &book, t.id, now).await?;
                }
                Ok(t)
            })
        })
        .await
}

#[allow(clippy::too_many_arguments)]
async fn apply_change(
    c: &mut dyn Conn,
    actor: &Actor,
    number: i64,
    change: TicketChange,
    reason: Option<String>,
    policy: Option<(Id, Arc<Policy>)>,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Ticket, AppError> {
    let mut t = visible_ticket(c, actor, number).await?;
    if t.status == Status::Closed {
        return Err(AppError::TicketClosed);
    }
    let who = Some(actor.id());
    let unchanged = t.clone();
    if let Some((policy_id, policy)) = &policy {
        classify(c, &mut t, who, change.category, change.coverage, reason.clone(), *policy_id, policy, now).await?;
        crate::not_covered::after_classification(c, &unchanged, &t, policy, settings, now).await?;
        // An agent's classification is a label the classifier learns from.
        crate::jobs::enqueue_retrain(c, settings.triage_retrain_delay, now).await?;
    }
    if let Some(priority) = change.priority.filter(|p| *p != t.priority) {
        Event::change(EventKind::PriorityChanged, t.priority, priority)
            .reason(reason.clone())
            .record(c, t.id, who, now)
            .await?;
        t.priority = priority;
    }
    if let Some(assignee) = change.assignee.filter(|a| *a != t.assignee_id) {
        if let Some(id) = assignee {
            let user: Option<User> = users::by_id(c, id).await?;
            if !user.is_some_and(|u| u.active && u.role.is_staff()) {
                return Err(AppError::field("assignee", FieldErrorCode::NotFound));
            }
        }
        Event::change(EventKind::AssigneeChanged, t.assignee_id, assignee)
            .reason(reason.clone())
            .record(c, t.id, who, now)
            .await?;
        t.assignee_id = assignee;
    }
    if let Some(status) = change.status.filter(|s| *s != t.status) {
        t.status.check_transition(status, actor.role(), reason.is_some()).map_err(|why| AppError::Transition {
            from: t.status,
            to: status,
            why,
        })?;
        set_status(c, &mut t, who, status, reason.clone(), now).await?;
    }
    if t == unchanged {
        // Saving what is already there is not activity.
        return Ok(t);
    }
    t.updated_at = now;
    tickets::update(c, &t).await?;
    // Not-covered requests send their own notice (not_covered.rs).
    if t.status != unchanged.status && t.status != Status::AwaitingDecision {
        let mail = TicketMail::StatusChanged { to: t.status };
        crate::mailer::notify_ticket_event(c, settings, &t, mail, Some(actor.id()), now).await?;
    }
    Ok(t)
}

pub(crate) async fn set_status(
    c: &mut dyn Conn,
    t: &mut Ticket,
    who: Option<Id>,
    status: Status,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Event::change(EventKind::StatusChanged, t.status, status).reason(reason).record(c, t.id, who, now).await?;
    t.status = status;
    match status {
        Status::Resolved => t.resolved_at = Some(now),
        Status::Closed => t.closed_at = Some(now),
        Status::Open => t.resolved_at = None,
        _ => {}
    }
    Ok(())
}

/// Sets category and coverage. Coverage follows the category under the policy; a
/// different coverage is an override and needs a written reason.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn classify(
    c: &mut dyn Conn,
    t: &mut Ticket,
    who: Option<Id>,
    category: Option<String>,
    coverage: Option<Coverage>,
    reason: Option<String>,
    policy_id: Id,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let category = match category.or_else(|| t.category.clone()) {
        Some(id) => id,
        None => return Err(AppError::field("category", FieldErrorCode::Required)),
    };
    let from_policy = policy.coverage_of(&category).ok_or_else(|| {
        let ids: Vec<&str> = policy.categories.iter().map(|c| c.id.as_str()).collect();
        FieldError::new("category", FieldErrorCode::UnknownValue).with_detail(ids.join(", "))
    })?;
    let coverage = coverage.unwrap_or(from_policy);
    if coverage == Coverage::Pending {
        return Err(FieldError::new("coverage", FieldErrorCode::Invalid).with_detail("covered, not_covered").into());
    }
    if t.category.as_deref() == Some(category.as_str()) && t.coverage == coverage && t.policy_id == Some(policy_id) {
        return Ok(());
    }
    let overridden = coverage != from_policy;
    if overridden && reason.is_none() {
        return Err(AppError::field("reason", FieldErrorCode::Required));
    }
    let before = json!({"category": t.category, "coverage": t.coverage, "policy_id": t.policy_id});
    let after = json!({"category": category, "coverage": from_policy, "policy_id": policy_id, "policy": policy.key, "policy_version": policy.version});
    Event::change(EventKind::Classified, before, after).record(c, t.id, who, now).await?;
    // The agent's decision on the classifier's suggestion, for its learning and the leads'
    // figures: the same category confirms it, another corrects it.
    if let Some(suggestion) = suggestions::for_ticket(c, t.id).await? {
        suggestions::mark_corrected(c, t.id, suggestion.category != category).await?;
    }
    if overridden {
        Event::change(EventKind::CoverageOverridden, from_policy, coverage)
            .reason(reason)
            .record(c, t.id, who, now)
            .await?;
    }
    t.category = Some(category);
    t.coverage = coverage;
    t.policy_id = Some(policy_id);
    if let Some(next) = t.status.after_classification(coverage) {
        set_status(c, t, who, next, None, now).await?;
    }
    Ok(())
}

/// A public reply (anyone who sees the ticket) or an internal note (staff only).
pub async fn comment(app: &App, actor: &Actor, number: i64, body: &str, internal: bool) -> Result<Comment, AppError> {
    let body = validate::body("body", body)?;
    if internal && !actor.is_staff() {
        return Err(AppError::field("internal", FieldErrorCode::NotAllowed));
    }
    let actor = actor.clone();
    let now = app.now();
    let book = crate::sla::book_for_change(app).await?;
    let settings = app.settings.clone();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let mut t = visible_ticket(c, &actor, number).await?;
                if t.status == Status::Closed {
                    return Err(AppError::TicketClosed);
                }
                let comment = comments::insert(c, t.id, actor.id(), &body, internal, now).await?;
                if !internal && actor.is_staff() {
                    let reply = TicketMail::AgentReply { agent: actor.user.name.clone(), body: body.clone() };
                    crate::mailer::notify_ticket_event(c, &settings, &t, reply, Some(actor.id()), now).await?;
                }
                let kind = if internal { EventKind::NoteAdded } else { EventKind::Replied };
                Event::new(kind)
                    .after(json!({"comment_id": comment.id}))
                    .record(c, t.id, Some(actor.id()), now)
                    .await?;
                if let Some(next) = t.status.after_client_reply().filter(|_| !actor.is_staff()) {
                    set_status(c, &mut t, Some(actor.id()), next, None, now).await?;
                }
                t.updated_at = now;
                tickets::update(c, &t).await?;
                // A public agent reply meets the first response and restarts the update
                // target; a client's reply to "waiting on client" restarts the clock.
                crate::sla::refresh(c, &book, t.id, now).await?;
                Ok(comment)
            })
        })
        .await
}

pub struct NewUpload {
    pub file_name: String,
    pub content_type: String,
    pub internal: bool,
    pub content: Vec<u8>,
}

fn content_type(value: &str) -> Result<String, AppError> {
    let value = value.trim();
    let ok = value.len() <= 127 && value.contains('/') && value.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    if ok { Ok(value.to_owned()) } else { Err(AppError::field("content_type", FieldErrorCode::Invalid)) }
}

pub async fn attach(app: &App, actor: &Actor, number: i64, upload: NewUpload) -> Result<Attachment, AppError> {
    let file_name = validate::file_name("filename", &upload.file_name)?;
    let content_type = content_type(&upload.content_type)?;
    if upload.internal && !actor.is_staff() {
        return Err(AppError::field("internal", FieldErrorCode::NotAllowed));
    }
    if upload.content.is_empty() {
        return Err(AppError::field("file", FieldErrorCode::Required));
    }
    if upload.content.len() > app.settings.max_attachment_bytes {
        return Err(FieldError::new("file", FieldErrorCode::TooLong)
            .with_detail(app.settings.max_attachment_bytes.to_string())
            .into());
    }
    let sha = secrets::sha256_hex(&upload.content);
    let actor = actor.clone();
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let t = visible_ticket(c, &actor, number).await?;
                if t.status == Status::Closed {
                    return Err(AppError::TicketClosed);
                }
                let new = attachments::NewAttachment {
                    ticket_id: t.id,
                    uploader_id: actor.id(),
                    internal: upload.internal,
                    file_name: &file_name,
                    content_type: &content_type,
                    sha256: &sha,
                    content: upload.content,
                };
                let attachment = attachments::insert(c, new, now).await?;
                let after = json!({"attachment_id": attachment.id, "file_name": attachment.file_name, "size_bytes": attachment.size_bytes});
                Event::new(EventKind::AttachmentAdded).after(after).internal(upload.internal).record(c, t.id, Some(actor.id()), now).await?;
                tickets::touch(c, t.id, now).await?;
                Ok(attachment)
            })
        })
        .await
}

/// An attachment's description and bytes, if the actor may see its ticket (and, for an
/// internal attachment, is staff).
pub async fn download(app: &App, actor: &Actor, attachment_id: Id) -> Result<(Attachment, Vec<u8>), AppError> {
    let actor = actor.clone();
    app.store
        .read(move |c| {
            Box::pin(async move {
                let attachment = attachments::by_id(c, attachment_id).await?.ok_or(AppError::NotFound)?;
                if attachment.internal && !actor.is_staff() {
                    return Err(AppError::NotFound);
                }
                let ticket = alcance_store::repo::tickets::by_id(c, attachment.ticket_id).await?;
                if !ticket.is_some_and(|t| actor.can_see_ticket(&t)) {
                    return Err(AppError::NotFound);
                }
                let bytes = attachments::content(c, attachment_id).await?;
                Ok((attachment, bytes))
            })
        })
        .await
}
