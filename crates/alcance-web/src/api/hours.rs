//! Hour packages, statements and time entries over the API: an admin records purchases and
//! reverses movements; staff and the organisation's managers read the balance and download
//! statements (JSON, CSV or PDF); staff log time on tickets, which spends hours when the
//! client chose to pay with them.

use alcance_app::App;
use alcance_app::hours::{self, LedgerRow, Package, PurchaseInput, Statement};
use alcance_app::time_entries::{self, TimeEntry, TimeInput};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{id_param, query_problem};
use crate::extract::{ApiJson, Caller};
use crate::i18n::Lang;
use crate::pages::hours::statement::{self as export, StatementFormat};
use crate::problem::{Problem, ProblemBody};

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create_package))
        .routes(routes!(get_hours))
        .routes(routes!(get_statement))
        .routes(routes!(reverse_entry))
        .routes(routes!(list_time, log_time))
}

/// A prepaid hour package with its balance.
#[derive(Serialize, ToSchema)]
pub struct PackageOut {
    pub id: i64,
    pub organization_id: i64,
    /// Minutes bought.
    pub minutes: i64,
    /// Price in minor units of `currency` (whole pesos for COP).
    pub price_minor: i64,
    pub currency: String,
    pub purchased_on: NaiveDate,
    /// The last day it may be used.
    pub expires_on: NaiveDate,
    pub invoice_ref: String,
    /// Minutes left: the sum of its ledger entries.
    pub balance_minutes: i64,
    /// Past its expiry date.
    pub expired: bool,
    pub created_at: DateTime<Utc>,
}

impl PackageOut {
    /// The package as of `today` (the organisation's calendar day), which says if it expired.
    fn new(p: &Package, today: NaiveDate) -> Self {
        PackageOut {
            id: p.id,
            organization_id: p.organization_id,
            minutes: p.minutes,
            price_minor: p.price_minor,
            currency: p.currency.clone(),
            purchased_on: p.purchased_on,
            expires_on: p.expires_on,
            invoice_ref: p.invoice_ref.clone(),
            balance_minutes: p.balance_minutes,
            expired: today > p.expires_on,
            created_at: p.created_at,
        }
    }
}

/// One movement of hours.
#[derive(Serialize, ToSchema)]
pub struct LedgerEntryOut {
    pub id: i64,
    pub package_id: i64,
    /// purchase, consumption, expiry, adjustment, reversal, reservation or release.
    pub kind: String,
    /// Signed minutes: positive adds to the balance, negative takes from it.
    pub minutes: i64,
    /// The request it belongs to, if any.
    pub ticket_number: Option<i64>,
    pub time_entry_id: Option<i64>,
    /// The entry this one reverses.
    pub reverses_id: Option<i64>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl From<&LedgerRow> for LedgerEntryOut {
    fn from(e: &LedgerRow) -> Self {
        LedgerEntryOut {
            id: e.id,
            package_id: e.package_id,
            kind: e.kind.as_str().to_owned(),
            minutes: e.minutes,
            ticket_number: e.ticket_number,
            time_entry_id: e.time_entry_id,
            reverses_id: e.reverses_id,
            note: e.note.clone(),
            created_at: e.created_at,
        }
    }
}

/// An organisation's hours.
#[derive(Serialize, ToSchema)]
pub struct HoursOut {
    pub organization_id: i64,
    pub organization: String,
    pub currency: String,
    /// Minutes that can be spent today (live packages only).
    pub available_minutes: i64,
    /// The calendar day in the organisation's time zone.
    pub today: NaiveDate,
    pub allow_overdraft: bool,
    /// The one expiring first first.
    pub packages: Vec<PackageOut>,
}

/// A statement row: a movement and the balance after it.
#[derive(Serialize, ToSchema)]
pub struct StatementRowOut {
    pub entry: LedgerEntryOut,
    pub balance_after_minutes: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StatementOut {
    pub organization_id: i64,
    pub organization: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening_minutes: i64,
    pub rows: Vec<StatementRowOut>,
    pub closing_minutes: i64,
}

fn statement_out(s: &Statement) -> StatementOut {
    StatementOut {
        organization_id: s.organization.id,
        organization: s.organization.name.clone(),
        from: s.from,
        to: s.to,
        opening_minutes: s.opening_minutes,
        rows: s
            .rows
            .iter()
            .map(|r| StatementRowOut { entry: (&r.entry).into(), balance_after_minutes: r.balance_after })
            .collect(),
        closing_minutes: s.closing_minutes,
    }
}

/// Time an agent spent on a ticket.
#[derive(Serialize, ToSchema)]
pub struct TimeEntryOut {
    pub id: i64,
    pub ticket_number: i64,
    pub agent_id: i64,
    pub minutes: i64,
    pub worked_on: NaiveDate,
    pub note: String,
    /// covered (costs nothing), hours (spent from the packages), quote (billed by the quote)
    /// or unbilled.
    pub billing: String,
    pub created_at: DateTime<Utc>,
}

impl TimeEntryOut {
    /// The entry of the ticket `number` (the entry itself knows only the ticket's id).
    fn new(e: &TimeEntry, number: i64) -> Self {
        TimeEntryOut {
            id: e.id,
            ticket_number: number,
            agent_id: e.agent_id,
            minutes: e.minutes,
            worked_on: e.worked_on,
            note: e.note.clone(),
            billing: e.billing.clone(),
            created_at: e.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePackage {
    /// Hours bought as people write them: "40", "12,5", "90 min".
    pub hours: String,
    /// The price in the contract's currency as typed: "4000000", "$ 4.000.000".
    pub price: String,
    /// YYYY-MM-DD; today in the organisation's time zone when absent.
    pub purchased_on: Option<String>,
    /// YYYY-MM-DD, after the purchase date: the last day the hours may be used.
    pub expires_on: String,
    /// The invoice number.
    pub invoice_ref: String,
}

/// Record a purchase of prepaid hours (admin).
#[utoipa::path(post, path = "/api/v1/organizations/{id}/hour-packages", tag = "hours", params(("id" = i64, Path)),
    request_body = CreatePackage,
    responses((status = 201, body = PackageOut), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn create_package(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CreatePackage>,
) -> Result<(StatusCode, Json<PackageOut>), Problem> {
    let id = id_param(&id)?;
    let input = PurchaseInput {
        hours: input.hours,
        price: input.price,
        purchased_on: input.purchased_on.unwrap_or_default(),
        expires_on: input.expires_on,
        invoice_ref: input.invoice_ref,
    };
    let package = hours::record_purchase(&app, &caller.actor, id, input).await?;
    // A package just bought expires after its purchase date, so it is live.
    Ok((StatusCode::CREATED, Json(PackageOut::new(&package, package.purchased_on))))
}

/// An organisation's packages and available balance (staff, or a manager of it).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/hours", tag = "hours", params(("id" = i64, Path)),
    responses((status = 200, body = HoursOut), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_hours(State(app): State<App>, caller: Caller, Path(id): Path<String>) -> Result<Json<HoursOut>, Problem> {
    let o = hours::overview(&app, &caller.actor, id_param(&id)?).await?;
    let today = o.today;
    Ok(Json(HoursOut {
        organization_id: o.organization.id,
        organization: o.organization.name.clone(),
        currency: o.currency.as_str().to_owned(),
        available_minutes: o.available_minutes,
        today,
        allow_overdraft: o.allow_overdraft,
        packages: o.packages.iter().map(|p| PackageOut::new(p, today)).collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// First day, YYYY-MM-DD (included).
    from: String,
    /// Last day, YYYY-MM-DD (included).
    to: String,
    /// json (default), csv or pdf.
    format: Option<String>,
}

/// The period of a statement as given in a query.
pub(crate) fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), Problem> {
    let from = hours::parse_date("from", from)?;
    let to = hours::parse_date("to", to)?;
    Ok((from, to))
}

/// A statement of movements with the running balance, as JSON, CSV or PDF (staff, or a
/// manager of the organisation). Days are the organisation's calendar days.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/hours/statement", tag = "hours",
    params(("id" = i64, Path), StatementQuery),
    responses((status = 200, body = StatementOut, description = "JSON; with format=csv text/csv, with format=pdf application/pdf"),
        (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn get_statement(
    State(app): State<App>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    query: Result<Query<StatementQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let id = id_param(&id)?;
    let Query(q) = query.map_err(query_problem)?;
    let format = match q.format.as_deref().unwrap_or("json") {
        "json" => None,
        "csv" => Some(StatementFormat::Csv),
        "pdf" => Some(StatementFormat::Pdf),
        _ => return Err(Problem::field("format", "unknown_value", Some("json, csv, pdf".into()))),
    };
    let (from, to) = period(&q.from, &q.to)?;
    let statement = hours::statement(&app, &caller.actor, id, from, to).await?;
    Ok(match format {
        None => Json(statement_out(&statement)).into_response(),
        Some(format) => export::download(&app, &statement, Lang::negotiate(&headers), format),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReverseEntry {
    /// Why the movement is reversed.
    pub note: String,
}

/// Reverse a movement with an opposite entry (admin). A reversal is never reversed and an
/// entry is reversed once.
#[utoipa::path(post, path = "/api/v1/hour-ledger/{id}/reverse", tag = "hours", params(("id" = i64, Path)),
    request_body = ReverseEntry,
    responses((status = 201, body = LedgerEntryOut), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn reverse_entry(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReverseEntry>,
) -> Result<(StatusCode, Json<LedgerEntryOut>), Problem> {
    let entry = hours::reverse(&app, &caller.actor, id_param(&id)?, &input.note).await?;
    Ok((StatusCode::CREATED, Json((&entry).into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogTime {
    /// "1,5", "1.5 h", "90 min", "1:30".
    pub duration: String,
    /// YYYY-MM-DD, not in the future; today when absent or empty.
    pub worked_on: Option<String>,
    pub note: Option<String>,
}

/// Log time on a ticket (staff). On a request the client pays with hours the time is spent
/// from the packages; when it needs more than the balance the answer is 422 with
/// `field_code` `insufficient_balance` on `duration`, and nothing is recorded.
#[utoipa::path(post, path = "/api/v1/tickets/{number}/time", tag = "hours", params(("number" = i64, Path)),
    request_body = LogTime,
    responses((status = 201, body = TimeEntryOut), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn log_time(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<LogTime>,
) -> Result<(StatusCode, Json<TimeEntryOut>), Problem> {
    let number = id_param(&number)?;
    let input = TimeInput {
        duration: input.duration,
        worked_on: input.worked_on.unwrap_or_default(),
        note: input.note.unwrap_or_default(),
    };
    let entry = time_entries::log_time(&app, &caller.actor, number, input).await?;
    Ok((StatusCode::CREATED, Json(TimeEntryOut::new(&entry, number))))
}

/// A ticket's time entries, oldest first (staff).
#[utoipa::path(get, path = "/api/v1/tickets/{number}/time", tag = "hours", params(("number" = i64, Path)),
    responses((status = 200, body = Vec<TimeEntryOut>), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)),
    security(("bearer" = [])))]
async fn list_time(
    State(app): State<App>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<TimeEntryOut>>, Problem> {
    let number = id_param(&number)?;
    let entries = time_entries::for_ticket(&app, &caller.actor, number).await?;
    Ok(Json(entries.iter().map(|e| TimeEntryOut::new(e, number)).collect()))
}
