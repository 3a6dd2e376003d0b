//! /api/v1/tickets: open, list, read, change, reply or note, attach, download.

use alcance_app::tickets::{self, NewUpload, OpenTicket, TicketChange, TicketQuery};
use alcance_app::{App, triage};
use alcance_domain::FieldError;
use alcance_domain::ticket::{Channel, Coverage, Priority, Status};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Deserializer};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{AttachmentOut, CommentOut, TicketDetailOut, TicketOut, TicketPageOut};
use super::{id_param, query_problem};
use crate::extract::{ApiJson, Caller, Via};
use crate::problem::{Problem, ProblemBody};

pub fn router(max_attachment_bytes: usize) -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_tickets, create_ticket))
        .routes(routes!(get_ticket, update_ticket))
        .routes(routes!(add_comment))
        .routes(routes!(accept_suggestion))
        .merge(
            OpenApiRouter::new().routes(routes!(upload_attachment)).layer(DefaultBodyLimit::max(max_attachment_bytes)),
        )
        .routes(routes!(download_attachment))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTicket {
    pub subject: String,
    /// Markdown.
    pub body: String,
    /// Organisation slug; required for agency staff, optional (own) for contacts.
    pub organization: Option<String>,
    /// E-mail of a contact of that organisation, when staff open on someone's behalf.
    pub requester: Option<String>,
    pub asset_id: Option<i64>,
    pub priority: Option<Priority>,
}

fn channel_of(via: Via) -> Channel {
    match via {
        Via::Token => Channel::Api,
        Via::Session => Channel::Portal,
    }
}

/// Open a request.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets", request_body = CreateTicket,
    responses((status = 201, body = TicketOut), (status = 422, body = ProblemBody), (status = 401, body = ProblemBody)),
    security(("bearer" = [])))]
async fn create_ticket(
    State(app): State<App>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateTicket>,
) -> Result<(StatusCode, Json<TicketOut>), Problem> {
    let open = OpenTicket {
        subject: input.subject,
        body: input.body,
        organization: input.organization,
        requester: input.requester,
        asset_id: input.asset_id,
        priority: input.priority,
    };
    let ticket = tickets::open(&app, &caller.actor, open, channel_of(caller.via)).await?;
    Ok((StatusCode::CREATED, Json(ticket.into())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Organisation slug.
    organization: Option<String>,
    /// One status or several separated by commas.
    status: Option<String>,
    priority: Option<String>,
    category: Option<String>,
    coverage: Option<String>,
    /// `me`, `none` or a user id.
    assignee: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1 to 100 (default 25).
    limit: Option<String>,
    /// Words that must appear in the subject, or a ticket number.
    q: Option<String>,
}

fn parse_int(field: &str, value: Option<String>) -> Result<Option<i64>, Problem> {
    value.map(|v| v.parse::<i64>().map_err(|_| Problem::field(field, "invalid", None))).transpose()
}

/// List requests, newest first, filtered; client contacts see only their own scope.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets", params(ListParams),
    responses((status = 200, body = TicketPageOut), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn list_tickets(
    State(app): State<App>,
    caller: Caller,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<TicketPageOut>, Problem> {
    let Query(p) = params.map_err(query_problem)?;
    let statuses = match p.status.as_deref() {
        Some(list) => {
            list.split(',').map(|s| Status::parse("status", s.trim())).collect::<Result<Vec<_>, FieldError>>()?
        }
        None => Vec::new(),
    };
    let query = TicketQuery {
        organization: p.organization,
        statuses,
        priority: p.priority.as_deref().map(|v| Priority::parse("priority", v)).transpose()?,
        category: p.category,
        coverage: p.coverage.as_deref().map(|v| Coverage::parse("coverage", v)).transpose()?,
        assignee: p.assignee,
        cursor: parse_int("cursor", p.cursor)?,
        limit: parse_int("limit", p.limit)?,
        text: p.q,
        ..TicketQuery::default()
    };
    let page = tickets::list(&app, &caller.actor, query).await?;
    Ok(Json(TicketPageOut { items: page.items.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// A request with its comments, attachments and history.
#[utoipa::path(get, path = "/api/v1/tickets/{number}", tag = "tickets", params(("number" = i64, Path)),
    responses((status = 200, body = TicketDetailOut), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_ticket(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<TicketDetailOut>, Problem> {
    let detail = tickets::get(&app, &caller.actor, id_param(&number)?).await?;
    let suggestion = triage::for_ticket(&app, &caller.actor, &detail.ticket).await?;
    Ok(Json(TicketDetailOut {
        ticket: detail.ticket.into(),
        comments: detail.comments.into_iter().map(Into::into).collect(),
        attachments: detail.attachments.into_iter().map(Into::into).collect(),
        events: detail.events.into_iter().map(Into::into).collect(),
        suggestion: suggestion.map(Into::into),
    }))
}

/// Accept the classifier's suggestion in one step (staff): the suggested category (coverage
/// follows the policy) and priority, recorded in the history like any classification.
#[utoipa::path(post, path = "/api/v1/tickets/{number}/accept-suggestion", tag = "tickets", params(("number" = i64, Path)),
    responses((status = 200, body = TicketOut), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)),
    security(("bearer" = [])))]
async fn accept_suggestion(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<TicketOut>, Problem> {
    let ticket = triage::accept_suggestion(&app, &caller.actor, id_param(&number)?).await?;
    Ok(Json(ticket.into()))
}

/// Distinguishes an absent field (unchanged) from an explicit null (cleared).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTicket {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// A staff user id, or null to unassign.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    /// A category id of the policy; coverage follows from it.
    pub category: Option<String>,
    /// Overrides the policy's coverage; needs `reason`.
    pub coverage: Option<Coverage>,
    /// Why: required to override coverage or to close unresolved work.
    pub reason: Option<String>,
}

/// Change status, priority, assignee, category or coverage (each change is a history event).
#[utoipa::path(patch, path = "/api/v1/tickets/{number}", tag = "tickets", params(("number" = i64, Path)), request_body = UpdateTicket,
    responses((status = 200, body = TicketOut), (status = 409, body = ProblemBody), (status = 422, body = ProblemBody), (status = 404, body = ProblemBody)),
    security(("bearer" = [])))]
async fn update_ticket(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<UpdateTicket>,
) -> Result<Json<TicketOut>, Problem> {
    let change = TicketChange {
        status: input.status,
        priority: input.priority,
        assignee: input.assignee_id,
        category: input.category,
        coverage: input.coverage,
        reason: input.reason,
    };
    let ticket = tickets::change(&app, &caller.actor, id_param(&number)?, change).await?;
    Ok(Json(ticket.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// Markdown.
    pub body: String,
    /// An internal note, visible to staff only (staff only).
    #[serde(default)]
    pub internal: bool,
}

/// Reply publicly or add an internal note.
#[utoipa::path(post, path = "/api/v1/tickets/{number}/comments", tag = "tickets", params(("number" = i64, Path)), request_body = NewComment,
    responses((status = 201, body = CommentOut), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn add_comment(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<NewComment>,
) -> Result<(StatusCode, Json<CommentOut>), Problem> {
    let comment = tickets::comment(&app, &caller.actor, id_param(&number)?, &input.body, input.internal).await?;
    Ok((StatusCode::CREATED, Json(comment.into())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name.
    filename: Option<String>,
    /// `true` for an internal attachment (staff only).
    internal: Option<String>,
}

/// Upload an attachment: the request body is the file, its Content-Type the file's type.
#[utoipa::path(post, path = "/api/v1/tickets/{number}/attachments", tag = "tickets", params(("number" = i64, Path), UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = AttachmentOut), (status = 413, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn upload_attachment(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
    params: Result<Query<UploadParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<AttachmentOut>), Problem> {
    let Query(p) = params.map_err(query_problem)?;
    let number = id_param(&number)?;
    let body = body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        _ => Problem::new(StatusCode::BAD_REQUEST, "malformed_json").with_arg("detail", r.body_text()),
    })?;
    let internal = match p.internal.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(Problem::field("internal", "invalid", None)),
    };
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/octet-stream");
    let upload = NewUpload {
        file_name: p.filename.ok_or_else(|| Problem::field("filename", "required", None))?,
        content_type: content_type.to_owned(),
        internal,
        content: body.to_vec(),
    };
    let attachment = tickets::attach(&app, &caller.actor, number, upload).await?;
    Ok((StatusCode::CREATED, Json(attachment.into())))
}

/// `filename*` per RFC 5987 so any name survives, with an ASCII fallback.
fn content_disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Download an attachment (always as a download, never rendered in the browser).
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn download_attachment(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let (attachment, bytes) = tickets::download(&app, &caller.actor, id_param(&id)?).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let content_type =
        HeaderValue::from_str(&attachment.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&attachment.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    Ok(response)
}
