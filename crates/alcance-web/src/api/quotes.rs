//! /api/v1 quotes: draft one from a not-covered request, change the draft, send it, accept
//! or reject it (client managers), withdraw it, and download it as a PDF.

use std::net::{IpAddr, SocketAddr};

use alcance_app::quotes::{self, Decision, DraftInput, LineInput, Quote};
use alcance_app::{Actor, App, AppError, directory, quote_mail};
use alcance_domain::quote::{LinePricing, QuoteLine, QuoteStatus, parse_quote_number, quote_number};
use axum::Json;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::id_param;
use crate::extract::{ApiJson, Caller};
use crate::problem::{Problem, ProblemBody};

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_for_ticket, create_quote))
        .routes(routes!(get_quote, update_quote))
        .routes(routes!(send_quote))
        .routes(routes!(accept_quote))
        .routes(routes!(reject_quote))
        .routes(routes!(withdraw_quote))
        .routes(routes!(quote_pdf))
}

/// One line of a quote: hours at a rate, or a fixed amount.
#[derive(Serialize, ToSchema, Clone)]
pub struct QuoteLineOut {
    pub description: String,
    /// `hours` or `fixed`.
    pub kind: String,
    /// Hours lines: the time in minutes.
    pub minutes: Option<i64>,
    /// Hours lines: the rate per hour in minor units.
    pub rate_minor: Option<i64>,
    /// The line's amount in minor units.
    pub amount_minor: i64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct QuoteOut {
    /// Q-YYYY-NNNN.
    pub number: String,
    pub ticket_number: i64,
    pub organization_id: i64,
    pub status: QuoteStatus,
    pub title: String,
    pub notes: String,
    /// ISO 4217, the contract's.
    pub currency: String,
    pub hourly_rate_minor: i64,
    /// 1900 = 19 %.
    pub tax_rate_basis_points: i64,
    pub subtotal_minor: i64,
    /// IVA on the subtotal, rounded once.
    pub tax_minor: i64,
    pub total_minor: i64,
    /// The hours of its hour lines, in minutes.
    pub hours_minutes: i64,
    /// The last day it can be accepted (YYYY-MM-DD).
    pub valid_until: NaiveDate,
    /// Accepted to be paid with the organisation's prepaid hours (reserved).
    pub pay_with_hours: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The address the decision came from.
    pub decided_ip: Option<String>,
    pub decision_note: Option<String>,
    /// Empty in lists.
    pub lines: Vec<QuoteLineOut>,
}

impl QuoteLineOut {
    pub fn from_line(l: QuoteLine) -> Self {
        let (kind, minutes, rate_minor) = match l.pricing {
            LinePricing::Hours { minutes, rate_minor } => ("hours", Some(minutes), Some(rate_minor)),
            LinePricing::Fixed { .. } => ("fixed", None, None),
        };
        QuoteLineOut {
            description: l.description,
            kind: kind.to_owned(),
            minutes,
            rate_minor,
            amount_minor: l.amount_minor,
        }
    }
}

impl From<Quote> for QuoteOut {
    fn from(q: Quote) -> Self {
        QuoteOut {
            number: q.number,
            ticket_number: q.ticket_number,
            organization_id: q.organization_id,
            status: q.status,
            title: q.title,
            notes: q.notes,
            currency: q.currency,
            hourly_rate_minor: q.hourly_rate_minor,
            tax_rate_basis_points: q.tax_rate_basis_points,
            subtotal_minor: q.subtotal_minor,
            tax_minor: q.tax_minor,
            total_minor: q.total_minor,
            hours_minutes: q.hours_minutes,
            valid_until: q.valid_until,
            pay_with_hours: q.pay_with_hours,
            created_at: q.created_at,
            updated_at: q.updated_at,
            sent_at: q.sent_at,
            decided_by: q.decided_by,
            decided_at: q.decided_at,
            decided_ip: q.decided_ip,
            decision_note: q.decision_note,
            lines: q.lines.into_iter().map(QuoteLineOut::from_line).collect(),
        }
    }
}

/// A line as typed: hours (at `rate`, or the contract's rate when empty) or a fixed amount.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineIn {
    pub description: String,
    /// "2,5", "90 min"; empty for a fixed amount.
    #[serde(default)]
    pub hours: String,
    /// Per hour, as typed ("$ 150.000"); empty: the contract's rate.
    #[serde(default)]
    pub rate: String,
    /// A fixed amount, when `hours` is empty.
    #[serde(default)]
    pub amount: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftIn {
    pub title: String,
    #[serde(default)]
    pub notes: String,
    /// YYYY-MM-DD; empty or absent: 30 days from today.
    #[serde(default)]
    pub valid_until: String,
    pub lines: Vec<LineIn>,
}

impl From<DraftIn> for DraftInput {
    fn from(d: DraftIn) -> Self {
        DraftInput {
            title: d.title,
            notes: d.notes,
            valid_until: d.valid_until,
            lines: d
                .lines
                .into_iter()
                .map(|l| LineInput { description: l.description, hours: l.hours, rate: l.rate, amount: l.amount })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptIn {
    /// Pay with the organisation's prepaid hours (reserved now; refused without balance).
    #[serde(default)]
    pub pay_with_hours: bool,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectIn {
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawIn {
    /// Required when the quote was accepted (the agreed work is called off).
    pub reason: Option<String>,
}

/// A quote number from the address in its canonical form; anything else names nothing.
pub(crate) fn quote_param(text: &str) -> Result<String, Problem> {
    parse_quote_number(text).map(|(year, seq)| quote_number(year, seq)).ok_or_else(Problem::not_found)
}

/// The address a decision came from.
///
/// The server runs with the connection's address (`ConnectInfo`). A reverse proxy on the same
/// machine (a loopback peer) is trusted to tell the client's address in the first entry of
/// `X-Forwarded-For`, or else `X-Real-IP`; from any other peer those headers are ignored,
/// since anyone could write them.
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientIp(client_ip(peer, &parts.headers)))
    }
}

fn client_ip(peer: Option<IpAddr>, headers: &axum::http::HeaderMap) -> Option<String> {
    let header_ip = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    };
    match peer {
        Some(ip) if ip.is_loopback() => {
            Some(header_ip("x-forwarded-for").or_else(|| header_ip("x-real-ip")).unwrap_or(ip).to_string())
        }
        Some(ip) => Some(ip.to_string()),
        None => None,
    }
}

/// A ticket's quotes the caller may see (drafts: staff only), oldest first, without lines.
#[utoipa::path(get, path = "/api/v1/tickets/{number}/quotes", tag = "quotes", params(("number" = i64, Path)),
    responses((status = 200, body = Vec<QuoteOut>), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn list_for_ticket(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<QuoteOut>>, Problem> {
    let found = quotes::for_ticket(&app, &caller.actor, id_param(&number)?).await?;
    Ok(Json(found.into_iter().map(QuoteOut::from).collect()))
}

/// Draft a quote for a not-covered request (staff); numbered Q-YYYY-NNNN at once.
#[utoipa::path(post, path = "/api/v1/tickets/{number}/quotes", tag = "quotes", params(("number" = i64, Path)), request_body = DraftIn,
    responses((status = 201, body = QuoteOut), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)),
    security(("bearer" = [])))]
async fn create_quote(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<DraftIn>,
) -> Result<(StatusCode, Json<QuoteOut>), Problem> {
    let quote = quotes::create_draft(&app, &caller.actor, id_param(&number)?, input.into()).await?;
    Ok((StatusCode::CREATED, Json(quote.into())))
}

/// One quote with its lines.
#[utoipa::path(get, path = "/api/v1/quotes/{number}", tag = "quotes", params(("number" = String, Path, example = "Q-2026-0001")),
    responses((status = 200, body = QuoteOut), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_quote(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<QuoteOut>, Problem> {
    Ok(Json(quotes::get(&app, &caller.actor, &quote_param(&number)?).await?.into()))
}

/// Replace a draft's title, notes, validity and lines (staff; drafts only).
#[utoipa::path(put, path = "/api/v1/quotes/{number}", tag = "quotes", params(("number" = String, Path)), request_body = DraftIn,
    responses((status = 200, body = QuoteOut), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn update_quote(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<DraftIn>,
) -> Result<Json<QuoteOut>, Problem> {
    Ok(Json(quotes::update_draft(&app, &caller.actor, &quote_param(&number)?, input.into()).await?.into()))
}

/// Send a draft to the client (staff): the request becomes "quoted" and the organisation's
/// managers get an e-mail with the PDF.
#[utoipa::path(post, path = "/api/v1/quotes/{number}/send", tag = "quotes", params(("number" = String, Path)),
    responses((status = 200, body = QuoteOut), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn send_quote(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<QuoteOut>, Problem> {
    Ok(Json(quotes::send(&app, &caller.actor, &quote_param(&number)?).await?.into()))
}

/// Accept a sent quote (client managers of its organisation): the work starts; with
/// `pay_with_hours` its hours are reserved from the balance.
#[utoipa::path(post, path = "/api/v1/quotes/{number}/accept", tag = "quotes", params(("number" = String, Path)), request_body = AcceptIn,
    responses((status = 200, body = QuoteOut), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)),
    security(("bearer" = [])))]
async fn accept_quote(
    State(app): State<App>,
    caller: Caller,
    ClientIp(ip): ClientIp,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<AcceptIn>,
) -> Result<Json<QuoteOut>, Problem> {
    let decision = Decision { accept: true, pay_with_hours: input.pay_with_hours, note: input.note, ip };
    Ok(Json(quotes::decide(&app, &caller.actor, &quote_param(&number)?, decision).await?.into()))
}

/// Reject a sent quote (client managers of its organisation): the request closes.
#[utoipa::path(post, path = "/api/v1/quotes/{number}/reject", tag = "quotes", params(("number" = String, Path)), request_body = RejectIn,
    responses((status = 200, body = QuoteOut), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)),
    security(("bearer" = [])))]
async fn reject_quote(
    State(app): State<App>,
    caller: Caller,
    ClientIp(ip): ClientIp,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<RejectIn>,
) -> Result<Json<QuoteOut>, Problem> {
    let decision = Decision { accept: false, pay_with_hours: false, note: input.note, ip };
    Ok(Json(quotes::decide(&app, &caller.actor, &quote_param(&number)?, decision).await?.into()))
}

/// Withdraw a quote (staff); an accepted one needs a reason and gives reserved hours back.
#[utoipa::path(post, path = "/api/v1/quotes/{number}/withdraw", tag = "quotes", params(("number" = String, Path)), request_body = WithdrawIn,
    responses((status = 200, body = QuoteOut), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn withdraw_quote(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<WithdrawIn>,
) -> Result<Json<QuoteOut>, Problem> {
    Ok(Json(quotes::withdraw(&app, &caller.actor, &quote_param(&number)?, input.reason).await?.into()))
}

/// The quote as a PDF, in the caller's language.
#[utoipa::path(get, path = "/api/v1/quotes/{number}/pdf", tag = "quotes", params(("number" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn quote_pdf(State(app): State<App>, caller: Caller, Path(number): Path<String>) -> Result<Response, Problem> {
    let lang = if caller.actor.user.language == "en" { "en" } else { "es" };
    Ok(pdf_response(&app, &caller.actor, &quote_param(&number)?, lang).await?)
}

/// The quote `number` as a PDF download, for whoever may see it (else not found).
pub(crate) async fn pdf_response(app: &App, actor: &Actor, number: &str, lang: &str) -> Result<Response, AppError> {
    let quote = quotes::get(app, actor, number).await?;
    let org = directory::list_orgs(app, actor).await?.into_iter().find(|o| o.id == quote.organization_id);
    let org_name = org.map(|o| o.name).unwrap_or_default();
    let bytes = quote_mail::quote_pdf(&quote, &org_name, &app.settings.brand, &app.settings.public_url, lang);
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    // The canonical number is ASCII letters, digits and dashes only.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}.pdf\"", quote.number)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    #[test]
    fn forwarded_addresses_are_believed_only_from_a_local_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.7, 10.0.0.1"));
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let remote: IpAddr = "198.51.100.2".parse().unwrap();
        assert_eq!(client_ip(Some(local), &headers).as_deref(), Some("203.0.113.7"));
        assert_eq!(client_ip(Some(remote), &headers).as_deref(), Some("198.51.100.2"));
        assert_eq!(client_ip(Some(local), &HeaderMap::new()).as_deref(), Some("127.0.0.1"));
        headers.insert("x-forwarded-for", HeaderValue::from_static("no-es-una-ip"));
        headers.insert("x-real-ip", HeaderValue::from_static("192.0.2.9"));
        assert_eq!(client_ip(Some(local), &headers).as_deref(), Some("192.0.2.9"));
        assert_eq!(client_ip(None, &headers), None);
    }

    #[test]
    fn quote_numbers_in_the_address_are_canonical() {
        assert_eq!(quote_param("q-2026-0007").unwrap(), "Q-2026-0007");
        assert!(quote_param("Q-2026-7").is_err());
        assert!(quote_param("1").is_err());
    }
}
