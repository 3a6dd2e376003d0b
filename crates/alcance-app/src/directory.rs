//! Organisations, users, contracts and assets: who the agency serves and what it supports.
//! Staff see all of it; a client contact sees only their own organisation's; only admins
//! change it.

use std::collections::HashMap;

use alcance_domain::calendar::{DayNames, WeekTextError, WeeklyHours};
use alcance_domain::model::{Asset, AssetKind, Contract, Id, Organization, User};
use alcance_domain::{FieldError, FieldErrorCode, Role, validate};
use alcance_store::Conn;
use alcance_store::repo::{assets, contracts, organizations, users};

use crate::error::conflict_on;
use crate::{Actor, App, AppError, secrets};

pub const DEFAULT_TIME_ZONE: &str = "America/Bogota";

fn time_zone(field: &str, value: Option<&str>) -> Result<String, AppError> {
    let zone = value.unwrap_or(DEFAULT_TIME_ZONE).trim();
    // An IANA name: Area/Location, letters, digits, '_', '-', '+', '/'.
    let ok =
        zone.contains('/') && zone.len() <= 64 && zone.chars().all(|c| c.is_ascii_alphanumeric() || "_-+/".contains(c));
    if ok { Ok(zone.to_owned()) } else { Err(AppError::field(field, FieldErrorCode::Invalid)) }
}

pub(crate) async fn org_by_slug(conn: &mut dyn Conn, field: &str, slug: &str) -> Result<Organization, AppError> {
    organizations::by_slug(conn, slug).await?.ok_or_else(|| AppError::field(field, FieldErrorCode::NotFound))
}

/// Resolves an organisation slug the actor names; a contact naming any organisation but
/// their own gets not-found, exactly as for a slug that does not exist.
pub async fn visible_org(app: &App, actor: &Actor, slug: &str) -> Result<Organization, AppError> {
    let slug = slug.to_owned();
    let org = app.store.read(move |c| Box::pin(async move { organizations::by_slug(c, &slug).await })).await?;
    match org {
        Some(org) if actor.can_see_org(org.id) => Ok(org),
        _ => Err(AppError::NotFound),
    }
}

pub async fn list_orgs(app: &App, actor: &Actor) -> Result<Vec<Organization>, AppError> {
    let all = app.store.read(|c| Box::pin(async move { organizations::list(c).await })).await?;
    Ok(all.into_iter().filter(|o| actor.can_see_org(o.id)).collect())
}

pub struct NewOrganization {
    pub slug: String,
    pub name: String,
    pub time_zone: Option<String>,
}

pub async fn create_org(app: &App, actor: &Actor, input: NewOrganization) -> Result<Organization, AppError> {
    actor.require_admin()?;
    let slug = validate::slug("slug", &input.slug)?;
    let name = validate::name("name", &input.name)?;
    let zone = time_zone("time_zone", input.time_zone.as_deref())?;
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(
                async move { organizations::insert(c, &slug, &name, &zone, now).await.map_err(conflict_on("slug")) },
            )
        })
        .await
}

pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Required for contacts, refused for staff.
    pub organization: Option<String>,
    pub password: Option<String>,
    pub language: Option<String>,
}

fn language(value: Option<&str>) -> Result<String, AppError> {
    match value.unwrap_or("es") {
        lang @ ("es" | "en") => Ok(lang.to_owned()),
        _ => Err(AppError::Invalid(
            alcance_domain::FieldError::new("language", FieldErrorCode::UnknownValue).with_detail("es, en"),
        )),
    }
}

/// Creates a user as the operator (CLI) or, through [`create_user`], as an admin.
pub async fn create_user_unchecked(app: &App, input: NewUser) -> Result<User, AppError> {
    let email = validate::email("email", &input.email)?;
    let name = validate::name("name", &input.name)?;
    let lang = language(input.language.as_deref())?;
    let hash = match &input.password {
        Some(p) => Some(secrets::hash_password(&validate::password("password", p)?)?),
        None => None,
    };
    let role = input.role;
    let org_slug = match (role.is_contact(), input.organization) {
        (true, None) => return Err(AppError::field("organization", FieldErrorCode::Required)),
        (false, Some(_)) => return Err(AppError::field("organization", FieldErrorCode::NotAllowed)),
        (_, slug) => slug,
    };
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let organization_id = match &org_slug {
                    Some(slug) => Some(org_by_slug(c, "organization", slug).await?.id),
                    None => None,
                };
                let new = users::NewUser {
                    email: &email,
                    name: &name,
                    role,
                    organization_id,
                    password_hash: hash.as_deref(),
                    language: &lang,
                };
                users::insert(c, new, now).await.map_err(conflict_on("email"))
            })
        })
        .await
}

pub async fn create_user(app: &App, actor: &Actor, input: NewUser) -> Result<User, AppError> {
    actor.require_admin()?;
    create_user_unchecked(app, input).await
}

/// Sets a password as the operator (CLI `user create` on an existing user, password resets).
pub async fn set_password(app: &App, email: &str, password: &str) -> Result<(), AppError> {
    let email = validate::email("email", email)?;
    let hash = secrets::hash_password(&validate::password("password", password)?)?;
    app.store
        .write(move |c| {
            Box::pin(async move {
                let user = users::by_email(c, &email)
                    .await?
                    .ok_or_else(|| AppError::field("email", FieldErrorCode::NotFound))?;
                Ok::<_, AppError>(users::set_password_hash(c, user.id, &hash).await?)
            })
        })
        .await
}

/// Staff list everyone (or one organisation); a manager lists their organisation's users;
/// a requester only themselves.
pub async fn list_users(app: &App, actor: &Actor, organization: Option<&str>) -> Result<Vec<User>, AppError> {
    let org_id = match organization {
        Some(slug) => Some(visible_org(app, actor, slug).await?.id),
        None => actor.organization_id(),
    };
    if actor.role() == Role::Requester {
        return Ok(vec![actor.user.clone()]);
    }
    app.store.read(move |c| Box::pin(async move { users::list(c, org_id).await })).await.map_err(AppError::from)
}

pub async fn get_user(app: &App, actor: &Actor, id: Id) -> Result<User, AppError> {
    let user =
        app.store.read(move |c| Box::pin(async move { users::by_id(c, id).await })).await?.ok_or(AppError::NotFound)?;
    let visible = match actor.role() {
        Role::Admin | Role::Agent => true,
        Role::Manager => user.organization_id.is_some() && user.organization_id == actor.organization_id(),
        Role::Requester => user.id == actor.id(),
    };
    if visible { Ok(user) } else { Err(AppError::NotFound) }
}

pub async fn list_contracts(app: &App, actor: &Actor, organization: Option<&str>) -> Result<Vec<Contract>, AppError> {
    let org_id = match organization {
        Some(slug) => Some(visible_org(app, actor, slug).await?.id),
        None => actor.organization_id(),
    };
    app.store.read(move |c| Box::pin(async move { contracts::list(c, org_id).await })).await.map_err(AppError::from)
}

pub async fn get_contract(app: &App, actor: &Actor, id: Id) -> Result<Contract, AppError> {
    let contract = app.store.read(move |c| Box::pin(async move { contracts::by_id(c, id).await })).await?;
    contract.filter(|c| actor.can_see_org(c.organization_id)).ok_or(AppError::NotFound)
}

pub struct NewContract {
    pub organization: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub hourly_rate_minor: i64,
    pub currency: Option<String>,
    pub tax_rate_basis_points: Option<i64>,
    pub allow_overdraft: bool,
    pub time_zone: Option<String>,
    /// The stored policy version; the default policy when absent.
    pub policy_id: Option<Id>,
}

fn iso_date(field: &str, value: &str) -> Result<String, AppError> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| AppError::field(field, FieldErrorCode::Invalid))
}

pub async fn create_contract(app: &App, actor: &Actor, input: NewContract) -> Result<Contract, AppError> {
    create_contract_with_hours(app, actor, input, None).await
}

/// Working hours as typed (see `alcance_domain::calendar::WeeklyHours::parse_text`) in their
/// canonical form; `None` (the default week) for an empty text. A text that does not read
/// is refused on `working_hours`, with the piece at fault as the detail.
pub fn working_hours_text(text: &str) -> Result<Option<String>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    WeeklyHours::parse_text(text).map(|week| Some(week.to_text(DayNames::Spanish))).map_err(|e| {
        let error = FieldError::new("working_hours", FieldErrorCode::Invalid);
        match e {
            WeekTextError::UnknownDay(piece)
            | WeekTextError::MissingDays(piece)
            | WeekTextError::MissingHours(piece)
            | WeekTextError::BadInterval(piece) => error.with_detail(piece),
            WeekTextError::Overlap(day) | WeekTextError::RepeatedDay(day) => {
                error.with_detail(DayNames::Spanish.name(day))
            }
            WeekTextError::TooLong => FieldError::new("working_hours", FieldErrorCode::TooLong)
                .with_detail(alcance_domain::calendar::WEEK_TEXT_MAX.to_string()),
            WeekTextError::Empty => error,
        }
    })
}

/// Creates a contract with its working hours (`None` or an empty text: the default week).
pub async fn create_contract_with_hours(
    app: &App,
    actor: &Actor,
    input: NewContract,
    working_hours: Option<&str>,
) -> Result<Contract, AppError> {
    actor.require_admin()?;
    let name = validate::name("name", &input.name)?;
    let starts_on = iso_date("starts_on", &input.starts_on)?;
    let ends_on = input.ends_on.as_deref().map(|d| iso_date("ends_on", d)).transpose()?;
    if ends_on.as_ref().is_some_and(|end| *end < starts_on) {
        return Err(AppError::field("ends_on", FieldErrorCode::Invalid));
    }
    if input.hourly_rate_minor < 0 {
        return Err(AppError::field("hourly_rate_minor", FieldErrorCode::Invalid));
    }
    let currency = input.currency.unwrap_or_else(|| "COP".into()).to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AppError::field("currency", FieldErrorCode::Invalid));
    }
    let tax = input.tax_rate_basis_points.unwrap_or(1900);
    if !(0..=10_000).contains(&tax) {
        return Err(AppError::field("tax_rate_basis_points", FieldErrorCode::Invalid));
    }
    let zone = time_zone("time_zone", input.time_zone.as_deref())?;
    let hours = working_hours_text(working_hours.unwrap_or(""))?;
    let policy_id = input.policy_id.unwrap_or_else(|| app.policies.default_id());
    app.policies
        .get(&app.store, policy_id)
        .await
        .map_err(|_| AppError::field("policy_id", FieldErrorCode::NotFound))?;
    let now = app.now();
    let slug = input.organization;
    let created = app
        .store
        .write(move |c| {
            Box::pin(async move {
                let org = org_by_slug(c, "organization", &slug).await?;
                let contract = Contract {
                    id: 0,
                    organization_id: org.id,
                    policy_id,
                    name,
                    starts_on,
                    ends_on,
                    hourly_rate_minor: input.hourly_rate_minor,
                    currency,
                    tax_rate_basis_points: tax,
                    allow_overdraft: input.allow_overdraft,
                    time_zone: zone,
                    active: true,
                    created_at: now,
                };
                let contract = contracts::insert(c, &contract, now).await?;
                contracts::set_working_hours(c, contract.id, hours.as_deref()).await?;
                // The organisation's tickets now run on this contract's calendar.
                alcance_store::repo::sla::recheck(c, Some(contract.organization_id)).await?;
                Ok::<_, AppError>(contract)
            })
        })
        .await;
    if created.is_ok() {
        app.sla.invalidate();
    }
    created
}

/// Sets a contract's working hours from a text as an admin types it (empty: back to the
/// default week); gives the canonical text stored. The running tickets of its organisation
/// are recomputed by the next SLA check. Admins only; nothing changes when the text is
/// refused.
pub async fn set_working_hours(
    app: &App,
    actor: &Actor,
    contract_id: Id,
    text: &str,
) -> Result<Option<String>, AppError> {
    actor.require_admin()?;
    let hours = working_hours_text(text)?;
    let stored = hours.clone();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let contract = contracts::by_id(c, contract_id).await?.ok_or(AppError::NotFound)?;
                contracts::set_working_hours(c, contract.id, stored.as_deref()).await?;
                alcance_store::repo::sla::recheck(c, Some(contract.organization_id)).await?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    app.sla.invalidate();
    Ok(hours)
}

/// The working hours (canonical text) of those of `of` that have their own, by contract id.
/// The caller has already checked the actor may see `of`.
pub async fn working_hours_of(app: &App, of: &[Contract]) -> Result<HashMap<Id, String>, AppError> {
    let all = app.store.read(|c| Box::pin(async move { contracts::working_hours(c).await })).await?;
    Ok(all.into_iter().filter(|(id, _)| of.iter().any(|c| c.id == *id)).collect())
}

pub async fn list_assets(app: &App, actor: &Actor, organization: Option<&str>) -> Result<Vec<Asset>, AppError> {
    let org_id = match organization {
        Some(slug) => Some(visible_org(app, actor, slug).await?.id),
        None => actor.organization_id(),
    };
    app.store.read(move |c| Box::pin(async move { assets::list(c, org_id).await })).await.map_err(AppError::from)
}

pub async fn get_asset(app: &App, actor: &Actor, id: Id) -> Result<Asset, AppError> {
    let asset = app.store.read(move |c| Box::pin(async move { assets::by_id(c, id).await })).await?;
    asset.filter(|a| actor.can_see_org(a.organization_id)).ok_or(AppError::NotFound)
}

pub struct NewAsset {
    pub organization: String,
    pub kind: AssetKind,
    pub name: String,
    pub url: Option<String>,
    pub description: Option<String>,
}

pub async fn create_asset(app: &App, actor: &Actor, input: NewAsset) -> Result<Asset, AppError> {
    actor.require_admin()?;
    let name = validate::name("name", &input.name)?;
    let url = match input.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u)
            if (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() <= 2000
                && !u.contains(char::is_whitespace) =>
        {
            Some(u.to_owned())
        }
        Some(_) => return Err(AppError::field("url", FieldErrorCode::Invalid)),
        None => None,
    };
    let description =
        validate::bounded_text("description", input.description.as_deref().unwrap_or(""), 0, 5_000, true)?;
    let now = app.now();
    let (slug, kind) = (input.organization, input.kind);
    app.store
        .write(move |c| {
            Box::pin(async move {
                let org = org_by_slug(c, "organization", &slug).await?;
                Ok::<_, AppError>(assets::insert(c, org.id, kind, &name, url.as_deref(), &description, now).await?)
            })
        })
        .await
}
