//! /api/v1/organizations, users, contracts, assets and policies.

use alcance_app::App;
use alcance_app::directory::{self, NewAsset, NewContract, NewOrganization, NewUser};
use alcance_domain::Role;
use alcance_domain::model::AssetKind;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{AssetOut, ContractOut, OrganizationOut, UserOut};
use super::{id_param, query_problem};
use crate::extract::{ApiJson, Caller};
use crate::problem::{Problem, ProblemBody};

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_organizations, create_organization))
        .routes(routes!(get_organization))
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user))
        .routes(routes!(list_contracts, create_contract))
        .routes(routes!(get_contract, update_contract))
        .routes(routes!(list_assets, create_asset))
        .routes(routes!(get_asset))
        .routes(routes!(get_policy))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgFilter {
    /// Organisation slug.
    organization: Option<String>,
}

fn org_filter(params: Result<Query<OrgFilter>, QueryRejection>) -> Result<Option<String>, Problem> {
    Ok(params.map_err(query_problem)?.0.organization)
}

/// Organisations: all for staff, their own for client contacts.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "directory", responses((status = 200, body = Vec<OrganizationOut>)), security(("bearer" = [])))]
async fn list_organizations(State(app): State<App>, caller: Caller) -> Result<Json<Vec<OrganizationOut>>, Problem> {
    let orgs = directory::list_orgs(&app, &caller.actor).await?;
    Ok(Json(orgs.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/organizations/{slug}", tag = "directory", params(("slug" = String, Path)),
    responses((status = 200, body = OrganizationOut), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_organization(
    State(app): State<App>,
    caller: Caller,
    Path(slug): Path<String>,
) -> Result<Json<OrganizationOut>, Problem> {
    Ok(Json(directory::visible_org(&app, &caller.actor, &slug).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganization {
    /// Lowercase letters, digits and dashes.
    pub slug: String,
    pub name: String,
    /// IANA time zone; America/Bogota by default.
    pub time_zone: Option<String>,
}

/// Create a client organisation (admin).
#[utoipa::path(post, path = "/api/v1/organizations", tag = "directory", request_body = CreateOrganization,
    responses((status = 201, body = OrganizationOut), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn create_organization(
    State(app): State<App>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateOrganization>,
) -> Result<(StatusCode, Json<OrganizationOut>), Problem> {
    let org = directory::create_org(
        &app,
        &caller.actor,
        NewOrganization { slug: input.slug, name: input.name, time_zone: input.time_zone },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

/// Users: staff see everyone, a manager their organisation, a requester themselves.
#[utoipa::path(get, path = "/api/v1/users", tag = "directory", params(OrgFilter), responses((status = 200, body = Vec<UserOut>)), security(("bearer" = [])))]
async fn list_users(
    State(app): State<App>,
    caller: Caller,
    params: Result<Query<OrgFilter>, QueryRejection>,
) -> Result<Json<Vec<UserOut>>, Problem> {
    let users = directory::list_users(&app, &caller.actor, org_filter(params)?.as_deref()).await?;
    Ok(Json(users.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = UserOut), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_user(State(app): State<App>, caller: Caller, Path(id): Path<String>) -> Result<Json<UserOut>, Problem> {
    Ok(Json(directory::get_user(&app, &caller.actor, id_param(&id)?).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Organisation slug: required for manager and requester, refused for staff.
    pub organization: Option<String>,
    /// At least 10 characters; without it the user cannot sign in until one is set.
    pub password: Option<String>,
    /// `es` (default) or `en`.
    pub language: Option<String>,
}

/// Create a user (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "directory", request_body = CreateUser,
    responses((status = 201, body = UserOut), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn create_user(
    State(app): State<App>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateUser>,
) -> Result<(StatusCode, Json<UserOut>), Problem> {
    let new = NewUser {
        email: input.email,
        name: input.name,
        role: input.role,
        organization: input.organization,
        password: input.password,
        language: input.language,
    };
    let user = directory::create_user(&app, &caller.actor, new).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Support contracts: all for staff, their organisation's for contacts.
#[utoipa::path(get, path = "/api/v1/contracts", tag = "directory", params(OrgFilter), responses((status = 200, body = Vec<ContractOut>)), security(("bearer" = [])))]
async fn list_contracts(
    State(app): State<App>,
    caller: Caller,
    params: Result<Query<OrgFilter>, QueryRejection>,
) -> Result<Json<Vec<ContractOut>>, Problem> {
    let contracts = directory::list_contracts(&app, &caller.actor, org_filter(params)?.as_deref()).await?;
    let hours = directory::working_hours_of(&app, &contracts).await?;
    Ok(Json(contracts.into_iter().map(|c| ContractOut::with_hours(c, &hours)).collect()))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = ContractOut), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_contract(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ContractOut>, Problem> {
    let contract = directory::get_contract(&app, &caller.actor, id_param(&id)?).await?;
    let hours = directory::working_hours_of(&app, std::slice::from_ref(&contract)).await?;
    Ok(Json(ContractOut::with_hours(contract, &hours)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContract {
    /// The week its SLA clock counts business time in: days (Spanish or English names or
    /// abbreviations, ranges like "lun-vie") then HH:MM-HH:MM intervals separated by commas,
    /// groups separated by ";", e.g. "mon-fri 08:00-12:00,14:00-18:00; sat 08:00-12:00".
    /// Stored in canonical form. Null or "": Monday to Friday 08:00-18:00.
    #[serde(default)]
    pub working_hours: Option<String>,
}

/// Change a support contract (admin): its working hours. Running tickets of its organisation
/// follow them within a minute.
#[utoipa::path(patch, path = "/api/v1/contracts/{id}", tag = "directory", params(("id" = i64, Path)), request_body = UpdateContract,
    responses((status = 200, body = ContractOut), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)),
    security(("bearer" = [])))]
async fn update_contract(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<UpdateContract>,
) -> Result<Json<ContractOut>, Problem> {
    let id = id_param(&id)?;
    let text = input.working_hours.unwrap_or_default();
    directory::set_working_hours(&app, &caller.actor, id, &text).await?;
    let contract = directory::get_contract(&app, &caller.actor, id).await?;
    let hours = directory::working_hours_of(&app, std::slice::from_ref(&contract)).await?;
    Ok(Json(ContractOut::with_hours(contract, &hours)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContract {
    pub organization: String,
    pub name: String,
    /// YYYY-MM-DD.
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// Hourly rate in minor units of the currency.
    pub hourly_rate_minor: i64,
    /// ISO 4217; COP by default.
    pub currency: Option<String>,
    /// 1900 = 19 % (default).
    pub tax_rate_basis_points: Option<i64>,
    #[serde(default)]
    pub allow_overdraft: bool,
    pub time_zone: Option<String>,
    /// A stored policy version; the default policy when absent.
    pub policy_id: Option<i64>,
    /// Its working hours, as in `PATCH /api/v1/contracts/{id}`; absent: Monday to Friday
    /// 08:00-18:00.
    #[serde(default)]
    pub working_hours: Option<String>,
}

/// Create a support contract (admin).
#[utoipa::path(post, path = "/api/v1/contracts", tag = "directory", request_body = CreateContract,
    responses((status = 201, body = ContractOut), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn create_contract(
    State(app): State<App>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateContract>,
) -> Result<(StatusCode, Json<ContractOut>), Problem> {
    let new = NewContract {
        organization: input.organization,
        name: input.name,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        hourly_rate_minor: input.hourly_rate_minor,
        currency: input.currency,
        tax_rate_basis_points: input.tax_rate_basis_points,
        allow_overdraft: input.allow_overdraft,
        time_zone: input.time_zone,
        policy_id: input.policy_id,
    };
    let hours = input.working_hours.as_deref();
    let contract = directory::create_contract_with_hours(&app, &caller.actor, new, hours).await?;
    let hours = directory::working_hours_of(&app, std::slice::from_ref(&contract)).await?;
    Ok((StatusCode::CREATED, Json(ContractOut::with_hours(contract, &hours))))
}

/// Assets (delivered software, servers): all for staff, their organisation's for contacts.
#[utoipa::path(get, path = "/api/v1/assets", tag = "directory", params(OrgFilter), responses((status = 200, body = Vec<AssetOut>)), security(("bearer" = [])))]
async fn list_assets(
    State(app): State<App>,
    caller: Caller,
    params: Result<Query<OrgFilter>, QueryRejection>,
) -> Result<Json<Vec<AssetOut>>, Problem> {
    let assets = directory::list_assets(&app, &caller.actor, org_filter(params)?.as_deref()).await?;
    Ok(Json(assets.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/assets/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = AssetOut), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_asset(State(app): State<App>, caller: Caller, Path(id): Path<String>) -> Result<Json<AssetOut>, Problem> {
    Ok(Json(directory::get_asset(&app, &caller.actor, id_param(&id)?).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAsset {
    pub organization: String,
    pub kind: AssetKind,
    pub name: String,
    pub url: Option<String>,
    pub description: Option<String>,
}

/// Register an asset (admin).
#[utoipa::path(post, path = "/api/v1/assets", tag = "directory", request_body = CreateAsset,
    responses((status = 201, body = AssetOut), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn create_asset(
    State(app): State<App>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateAsset>,
) -> Result<(StatusCode, Json<AssetOut>), Problem> {
    let new = NewAsset {
        organization: input.organization,
        kind: input.kind,
        name: input.name,
        url: input.url,
        description: input.description,
    };
    let asset = directory::create_asset(&app, &caller.actor, new).await?;
    Ok((StatusCode::CREATED, Json(asset.into())))
}

/// A scope policy version: categories with coverage, labels, examples, SLA targets.
#[utoipa::path(get, path = "/api/v1/policies/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 404, body = ProblemBody)), security(("bearer" = [])))]
async fn get_policy(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, Problem> {
    let policy = alcance_app::policies::get_visible(&app, &caller.actor, id_param(&id)?).await?;
    Ok(Json(serde_json::to_value(&*policy).map_err(|e| Problem::from(alcance_app::AppError::Internal(e.to_string())))?))
}
