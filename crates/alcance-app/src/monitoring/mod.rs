//! Proactive server support: monitors Alcance runs itself (HTTP, TLS certificates,
//! heartbeats) and alerts external tools post, turned into covered tickets (policy 1.2).
//! Admins set monitors and integration tokens up; agents watch them in the console; clients
//! see their status page.

pub mod alerts;
mod incidents;
pub mod runner;
mod texts;
pub mod views;

use alcance_domain::model::Id;
use alcance_domain::monitor::{MonitorInput, MonitorKind};
use alcance_domain::{FieldErrorCode, validate};
use alcance_store::repo::monitors::{self, NewMonitor};
use alcance_store::repo::{assets, contracts, incidents as incident_repo};

pub use incidents::Reported;
// The rows the monitor pages show, named here because the web layer does not depend on the store.
pub use alcance_store::repo::incidents::{IncidentRow, IntegrationToken, MonitoringTerms};
pub use alcance_store::repo::monitors::{CheckRow, MonitorRow};

use crate::directory::org_by_slug;
use crate::{Actor, App, AppError, secrets};

/// What an operator decides about monitoring at start.
#[derive(Debug, Clone)]
pub struct MonitoringSettings {
    /// The shortest check interval admins may set.
    pub min_interval_seconds: i64,
}

impl Default for MonitoringSettings {
    fn default() -> Self {
        Self { min_interval_seconds: 30 }
    }
}

fn admin_only(actor: &Actor) -> Result<(), AppError> {
    if actor.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

fn staff_only(actor: &Actor) -> Result<(), AppError> {
    if actor.is_staff() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A new monitor and, for a heartbeat, the secret of its URL (shown once: only its digest
/// is kept).
pub struct CreatedMonitor {
    pub monitor: MonitorRow,
    pub heartbeat_secret: Option<String>,
}

/// Sets up a monitor for an organisation (admins).
pub async fn create(
    app: &App,
    actor: &Actor,
    organization: &str,
    asset_id: Option<Id>,
    input: MonitorInput,
) -> Result<CreatedMonitor, AppError> {
    admin_only(actor)?;
    let spec = input.validate(app.settings.monitoring.min_interval_seconds)?;
    let secret = match spec.kind {
        MonitorKind::Heartbeat => Some(secrets::new_token("hb_")?),
        _ => None,
    };
    let (organization, creator, now) = (organization.to_owned(), actor.id(), app.now());
    let hash = secret.as_deref().map(secrets::digest);
    let monitor = app
        .store
        .write(move |c| {
            Box::pin(async move {
                let org = org_by_slug(c, "organization", &organization).await?;
                check_asset(c, asset_id, org.id).await?;
                let new = NewMonitor {
                    organization_id: org.id,
                    asset_id,
                    spec: &spec,
                    heartbeat_hash: hash,
                    created_by: creator,
                };
                Ok::<_, AppError>(monitors::insert(c, new, now).await?)
            })
        })
        .await?;
    Ok(CreatedMonitor { monitor, heartbeat_secret: secret })
}

async fn check_asset(
    c: &mut dyn alcance_store::Conn,
    asset_id: Option<Id>,
    organization_id: Id,
) -> Result<(), AppError> {
    if let Some(id) = asset_id {
        let asset = assets::by_id(c, id).await?;
        if asset.map(|a| a.organization_id) != Some(organization_id) {
            return Err(AppError::field("asset_id", FieldErrorCode::NotFound));
        }
    }
    Ok(())
}

/// Changes a monitor's settings, or pauses it (admins). Its kind stays.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Id,
    asset_id: Option<Id>,
    mut input: MonitorInput,
    enabled: bool,
) -> Result<MonitorRow, AppError> {
    admin_only(actor)?;
    let current = get(app, actor, id).await?;
    input.kind = current.kind.as_str().to_owned();
    let spec = input.validate(app.settings.monitoring.min_interval_seconds)?;
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                check_asset(c, asset_id, current.organization_id).await?;
                monitors::update_spec(c, id, asset_id, &spec, enabled, now).await?;
                monitors::by_id(c, id).await?.ok_or(AppError::NotFound)
            })
        })
        .await
}

/// One monitor (staff).
pub async fn get(app: &App, actor: &Actor, id: Id) -> Result<MonitorRow, AppError> {
    staff_only(actor)?;
    app.store.read(move |c| Box::pin(async move { monitors::by_id(c, id).await })).await?.ok_or(AppError::NotFound)
}

/// A new secret for a heartbeat's URL; the old URL stops working (admins).
pub async fn regenerate_heartbeat(app: &App, actor: &Actor, id: Id) -> Result<String, AppError> {
    admin_only(actor)?;
    let secret = secrets::new_token("hb_")?;
    let hash = secrets::digest(&secret);
    let changed =
        app.store.write(move |c| Box::pin(async move { monitors::set_heartbeat_hash(c, id, &hash).await })).await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    Ok(secret)
}

/// A backup or cron job checked in. An unknown secret is `NotFound`.
pub async fn heartbeat(app: &App, secret: &str) -> Result<(), AppError> {
    let hash = secrets::digest(secret.trim());
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let monitor = monitors::by_heartbeat_hash(c, &hash).await?.ok_or(AppError::NotFound)?;
                monitors::record_ping(c, monitor.id, now).await?;
                Ok(())
            })
        })
        .await
}

/// A token an external tool posts alerts with, for one organisation (admins). The token is
/// returned once; only its digest is kept.
pub async fn create_integration_token(
    app: &App,
    actor: &Actor,
    organization: &str,
    name: &str,
) -> Result<(IntegrationToken, String), AppError> {
    admin_only(actor)?;
    let name = validate::name("name", name)?;
    let token = secrets::new_token("alc_int_")?;
    let hash = secrets::digest(&token);
    let (organization, creator, now) = (organization.to_owned(), actor.id(), app.now());
    let row = app
        .store
        .write(move |c| {
            Box::pin(async move {
                let org = org_by_slug(c, "organization", &organization).await?;
                Ok::<_, AppError>(incident_repo::insert_token(c, org.id, &name, &hash, creator, now).await?)
            })
        })
        .await?;
    Ok((row, token))
}

pub async fn list_integration_tokens(app: &App, actor: &Actor) -> Result<Vec<IntegrationToken>, AppError> {
    admin_only(actor)?;
    Ok(app.store.read(|c| Box::pin(async move { incident_repo::list_tokens(c).await })).await?)
}

pub async fn revoke_integration_token(app: &App, actor: &Actor, id: Id) -> Result<(), AppError> {
    admin_only(actor)?;
    let now = app.now();
    let revoked =
        app.store.write(move |c| Box::pin(async move { incident_repo::revoke_token(c, id, now).await })).await?;
    if revoked { Ok(()) } else { Err(AppError::NotFound) }
}

/// What a contract says about monitoring (staff).
pub async fn terms(app: &App, actor: &Actor, contract_id: Id) -> Result<MonitoringTerms, AppError> {
    staff_only(actor)?;
    Ok(app.store.read(move |c| Box::pin(async move { incident_repo::terms(c, contract_id).await })).await?)
}

/// Sets whether a contract's status page is public and whether recoveries resolve tickets
/// (admins).
pub async fn set_terms(app: &App, actor: &Actor, contract_id: Id, terms: MonitoringTerms) -> Result<(), AppError> {
    admin_only(actor)?;
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                contracts::by_id(c, contract_id).await?.ok_or(AppError::NotFound)?;
                Ok(incident_repo::set_terms(c, contract_id, terms, now).await?)
            })
        })
        .await
}
