//! What the monitor pages show: the agents' console (state, last check, uptime, certificate
//! expiry, response times) and an organisation's status page (uptime and incident history).

use alcance_domain::model::{Id, Organization};
use alcance_domain::monitor::{MonitorState, days_left, uptime_percent};
use alcance_store::Conn;
use alcance_store::repo::incidents::{self as incident_repo, IncidentRow};
use alcance_store::repo::monitors::{self, CheckRow, MonitorRow};
use alcance_store::repo::{organizations, tickets};
use chrono::{DateTime, Duration, Utc};

use super::incidents::terms_for;
use super::runner::incident_key;
use crate::{Actor, App, AppError};

/// Uptime in percent over the last 24 hours, 7 days and 30 days (`None`: no checks yet).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Uptime {
    pub day: Option<f64>,
    pub week: Option<f64>,
    pub month: Option<f64>,
}

async fn uptime(c: &mut dyn Conn, monitor_id: Id, now: DateTime<Utc>) -> Result<Uptime, AppError> {
    let mut windows = [None; 3];
    for (slot, days) in windows.iter_mut().zip([1, 7, 30]) {
        let (good, total) = monitors::uptime_counts(c, monitor_id, now - Duration::days(days)).await?;
        *slot = uptime_percent(good, total);
    }
    Ok(Uptime { day: windows[0], week: windows[1], month: windows[2] })
}

/// One line of the agents' monitor list.
#[derive(Debug, Clone)]
pub struct MonitorSummary {
    pub monitor: MonitorRow,
    pub organization: Organization,
    pub uptime: Uptime,
    pub certificate_days_left: Option<i64>,
    /// The number of the ticket of the open incident, if any.
    pub open_ticket: Option<i64>,
}

async fn summarize(c: &mut dyn Conn, monitor: MonitorRow, now: DateTime<Utc>) -> Result<MonitorSummary, AppError> {
    let organization = organizations::by_id(c, monitor.organization_id).await?.ok_or(AppError::NotFound)?;
    let open_ticket = match monitor.state {
        MonitorState::Down => {
            match incident_repo::open_for_key(c, monitor.organization_id, &incident_key(monitor.id)).await? {
                Some(incident) => tickets::by_id(c, incident.ticket_id).await?.map(|t| t.number),
                None => None,
            }
        }
        _ => None,
    };
    Ok(MonitorSummary {
        uptime: uptime(c, monitor.id, now).await?,
        certificate_days_left: monitor.cert_not_after.map(|at| days_left(at, now)),
        open_ticket,
        organization,
        monitor,
    })
}

/// Every monitor, or one organisation's (staff).
pub async fn console(app: &App, actor: &Actor, organization_id: Option<Id>) -> Result<Vec<MonitorSummary>, AppError> {
    if !actor.is_staff() {
        return Err(AppError::Forbidden);
    }
    let now = app.now();
    app.store
        .read(move |c| {
            Box::pin(async move {
                let mut out = Vec::new();
                for m in monitors::list(c, organization_id).await? {
                    out.push(summarize(c, m, now).await?);
                }
                Ok(out)
            })
        })
        .await
}

/// One monitor with its last day of checks and its incidents.
#[derive(Debug, Clone)]
pub struct MonitorDetail {
    pub summary: MonitorSummary,
    /// The last 24 hours, oldest first (at most 1,440 points).
    pub checks: Vec<CheckRow>,
    pub incidents: Vec<(IncidentRow, i64)>,
}

pub async fn detail(app: &App, actor: &Actor, id: Id) -> Result<MonitorDetail, AppError> {
    let monitor = super::get(app, actor, id).await?;
    let now = app.now();
    app.store
        .read(move |c| {
            Box::pin(async move {
                let checks = monitors::checks_since(c, monitor.id, now - Duration::days(1), 1440).await?;
                let key = incident_key(monitor.id);
                let mut incidents = Vec::new();
                for i in
                    incident_repo::for_organization(c, monitor.organization_id, now - Duration::days(90), 200).await?
                {
                    if i.incident_key == key
                        && let Some(t) = tickets::by_id(c, i.ticket_id).await?
                    {
                        incidents.push((i, t.number));
                    }
                }
                Ok(MonitorDetail { summary: summarize(c, monitor, now).await?, checks, incidents })
            })
        })
        .await
}

/// An organisation's status page.
#[derive(Debug, Clone)]
pub struct StatusPage {
    pub organization: Organization,
    pub public: bool,
    pub services: Vec<ServiceStatus>,
    /// The last 90 days, newest first.
    pub incidents: Vec<IncidentRow>,
}

#[derive(Debug, Clone)]
pub struct ServiceStatus {
    pub name: String,
    pub state: MonitorState,
    pub uptime: Uptime,
}

/// The status page of `slug`: anyone may see a public one; a private one, only staff and
/// the organisation's own people. Others get `NotFound` (signed in) or `Unauthenticated`.
pub async fn status_page(app: &App, viewer: Option<&Actor>, slug: &str) -> Result<StatusPage, AppError> {
    let now = app.now();
    let slug = slug.to_owned();
    let viewer_org = viewer.map(|a| if a.is_staff() { None } else { Some(a.user.organization_id) });
    app.store
        .read(move |c| {
            Box::pin(async move {
                // Without a sign-in an unknown organisation looks like a private one, so the
                // page does not tell which organisations exist.
                let missing = if viewer_org.is_none() { AppError::Unauthenticated } else { AppError::NotFound };
                let organization = organizations::by_slug(c, &slug).await?.filter(|o| o.active).ok_or(missing)?;
                let public = terms_for(c, organization.id).await?.status_page_public;
                match viewer_org {
                    _ if public => {}
                    None => return Err(AppError::Unauthenticated),
                    Some(None) => {}
                    Some(Some(own)) if own == Some(organization.id) => {}
                    Some(Some(_)) => return Err(AppError::NotFound),
                }
                let mut services = Vec::new();
                for m in monitors::list(c, Some(organization.id)).await?.into_iter().filter(|m| m.enabled) {
                    services.push(ServiceStatus { uptime: uptime(c, m.id, now).await?, name: m.name, state: m.state });
                }
                let incidents =
                    incident_repo::for_organization(c, organization.id, now - Duration::days(90), 100).await?;
                Ok(StatusPage { organization, public, services, incidents })
            })
        })
        .await
}
