//! Read models for the admin pages: the directory joined with what a person needs to read it
//! (organisation names next to users, contracts and assets; the policy version a contract
//! points at). Composed from the directory use cases; only admins may read them.

use std::collections::HashMap;
use std::sync::Arc;

use alcance_domain::model::{Asset, Contract, Id, Organization, User};
use alcance_domain::policy::Policy;

use crate::{Actor, App, AppError, directory, policies};

/// How much the deployment holds, for the admin's overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overview {
    pub organizations: usize,
    pub users: usize,
    pub active_users: usize,
    pub contracts: usize,
    pub assets: usize,
}

pub async fn overview(app: &App, actor: &Actor) -> Result<Overview, AppError> {
    actor.require_admin()?;
    let organizations = directory::list_orgs(app, actor).await?.len();
    let users = directory::list_users(app, actor, None).await?;
    let contracts = directory::list_contracts(app, actor, None).await?.len();
    let assets = directory::list_assets(app, actor, None).await?.len();
    Ok(Overview {
        organizations,
        users: users.len(),
        active_users: users.iter().filter(|u| u.active).count(),
        contracts,
        assets,
    })
}

/// Every organisation, by name.
pub async fn organizations(app: &App, actor: &Actor) -> Result<Vec<Organization>, AppError> {
    actor.require_admin()?;
    let mut orgs = directory::list_orgs(app, actor).await?;
    orgs.sort_by_key(|o| o.name.to_lowercase());
    Ok(orgs)
}

fn names(orgs: &[Organization]) -> HashMap<Id, String> {
    orgs.iter().map(|o| (o.id, o.name.clone())).collect()
}

/// A user and the name of their organisation (none for agency staff).
#[derive(Debug, Clone)]
pub struct UserRow {
    pub user: User,
    pub organization: Option<String>,
}

/// Users, optionally of one organisation (by slug; an unknown slug is not found).
pub async fn users(app: &App, actor: &Actor, organization: Option<&str>) -> Result<Vec<UserRow>, AppError> {
    actor.require_admin()?;
    let orgs = names(&directory::list_orgs(app, actor).await?);
    let users = directory::list_users(app, actor, organization).await?;
    Ok(users
        .into_iter()
        .map(|user| {
            let organization = user.organization_id.and_then(|id| orgs.get(&id).cloned());
            UserRow { user, organization }
        })
        .collect())
}

/// One user, for the actions on the users page.
pub async fn user(app: &App, actor: &Actor, id: Id) -> Result<User, AppError> {
    actor.require_admin()?;
    directory::get_user(app, actor, id).await
}

/// A contract with its organisation's name and the key and version of its policy.
#[derive(Debug, Clone)]
pub struct ContractRow {
    pub contract: Contract,
    pub organization: String,
    pub policy_key: String,
    pub policy_version: u32,
    /// Its own working hours (canonical text); `None`: the default week.
    pub working_hours: Option<String>,
}

pub async fn contracts(app: &App, actor: &Actor) -> Result<Vec<ContractRow>, AppError> {
    actor.require_admin()?;
    let orgs = names(&directory::list_orgs(app, actor).await?);
    let contracts = directory::list_contracts(app, actor, None).await?;
    let mut hours = directory::working_hours_of(app, &contracts).await?;
    let mut loaded: HashMap<Id, Arc<Policy>> = HashMap::new();
    let mut rows = Vec::with_capacity(contracts.len());
    for contract in contracts {
        let policy = match loaded.get(&contract.policy_id) {
            Some(p) => p.clone(),
            None => {
                let p = app.policies.get(&app.store, contract.policy_id).await?;
                loaded.insert(contract.policy_id, p.clone());
                p
            }
        };
        let organization = orgs.get(&contract.organization_id).cloned().unwrap_or_default();
        rows.push(ContractRow {
            working_hours: hours.remove(&contract.id),
            contract,
            organization,
            policy_key: policy.key.clone(),
            policy_version: policy.version,
        });
    }
    rows.sort_by(|a, b| {
        (a.organization.to_lowercase(), &a.contract.starts_on)
            .cmp(&(b.organization.to_lowercase(), &b.contract.starts_on))
    });
    Ok(rows)
}

/// An asset with its organisation's name.
#[derive(Debug, Clone)]
pub struct AssetRow {
    pub asset: Asset,
    pub organization: String,
}

pub async fn assets(app: &App, actor: &Actor) -> Result<Vec<AssetRow>, AppError> {
    actor.require_admin()?;
    let orgs = names(&directory::list_orgs(app, actor).await?);
    let mut rows: Vec<AssetRow> = directory::list_assets(app, actor, None)
        .await?
        .into_iter()
        .map(|asset| {
            let organization = orgs.get(&asset.organization_id).cloned().unwrap_or_default();
            AssetRow { asset, organization }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.organization.to_lowercase(), a.asset.name.to_lowercase())
            .cmp(&(b.organization.to_lowercase(), b.asset.name.to_lowercase()))
    });
    Ok(rows)
}

/// The policy new contracts get, in full.
pub async fn default_policy(app: &App, actor: &Actor) -> Result<Arc<Policy>, AppError> {
    actor.require_admin()?;
    policies::get_visible(app, actor, app.policies.default_id()).await
}

/// Active users an API token may be issued for, by name.
pub async fn token_candidates(app: &App, actor: &Actor) -> Result<Vec<UserRow>, AppError> {
    let mut rows = users(app, actor, None).await?;
    rows.retain(|r| r.user.active);
    Ok(rows)
}

/// An outgoing e-mail as the admin's outbox shows it.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: Id,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The newest outgoing e-mails, newest first.
pub async fn outbox(app: &App, actor: &Actor) -> Result<Vec<OutboxMessage>, AppError> {
    let mut messages: Vec<OutboxMessage> = crate::account::outbox(app, actor)
        .await?
        .into_iter()
        .map(|m| OutboxMessage {
            id: m.id,
            to: m.to_address,
            subject: m.subject,
            body: m.body_text,
            created_at: m.created_at,
            sent_at: m.sent_at,
        })
        .collect();
    messages.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Ok(messages)
}
