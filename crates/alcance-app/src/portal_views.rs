//! Read models for the portal pages: what a client contact sees of their requests, of one
//! request, and of their organisation's support scope. Every function goes through the
//! use cases' own access rules first (a contact sees only their organisation, a requester
//! only their own requests) and then adds the names and labels a page needs.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use alcance_domain::model::{Asset, Contract, Id, Organization};
use alcance_domain::policy::Policy;
use alcance_store::repo::{assets, organizations, users};

use crate::tickets::{self, TicketDetail, TicketPage, TicketQuery};
use crate::{Actor, App, AppError, directory, policies};

/// How a person appears in a client's view: their name, and whether they are agency staff.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub staff: bool,
}

/// The contact's organisation (for its name and time zone).
async fn own_org(app: &App, actor: &Actor) -> Result<Organization, AppError> {
    let id = actor.organization_id().ok_or(AppError::Forbidden)?;
    app.store.read(move |c| Box::pin(async move { organizations::by_id(c, id).await })).await?.ok_or(AppError::NotFound)
}

/// Names of the people with these ids. Callers pass only ids that appear in what the
/// actor may already see (requesters of visible tickets, authors of public replies).
async fn people(app: &App, ids: HashSet<Id>) -> Result<HashMap<Id, Person>, AppError> {
    app.store
        .read(move |c| {
            Box::pin(async move {
                let mut found = HashMap::new();
                for id in ids {
                    if let Some(user) = users::by_id(c, id).await? {
                        found.insert(id, Person { name: user.name, staff: user.role.is_staff() });
                    }
                }
                Ok::<_, AppError>(found)
            })
        })
        .await
}

/// A page of the contact's requests, with the requesters' names (shown to managers).
pub struct RequestList {
    pub organization: Organization,
    pub page: TicketPage,
    pub people: HashMap<Id, Person>,
}

pub async fn requests(app: &App, actor: &Actor, query: TicketQuery) -> Result<RequestList, AppError> {
    let organization = own_org(app, actor).await?;
    let page = tickets::list(app, actor, query).await?;
    let ids = page.items.iter().map(|t| t.requester_id).collect();
    let people = people(app, ids).await?;
    Ok(RequestList { organization, page, people })
}

/// One request as its contact sees it: the public timeline, the names in it, the asset,
/// and the policy it was classified under (to explain a "not covered" decision).
pub struct RequestView {
    pub organization: Organization,
    pub detail: TicketDetail,
    pub people: HashMap<Id, Person>,
    pub asset: Option<Asset>,
    pub policy: Option<Arc<Policy>>,
}

pub async fn request(app: &App, actor: &Actor, number: i64) -> Result<RequestView, AppError> {
    let organization = own_org(app, actor).await?;
    // The use case decides visibility (and hides internal notes); everything below only
    // adds names and labels to what it returned.
    let detail = tickets::get(app, actor, number).await?;
    let mut ids: HashSet<Id> = HashSet::from([detail.ticket.requester_id]);
    ids.extend(detail.comments.iter().map(|c| c.author_id));
    ids.extend(detail.attachments.iter().map(|a| a.uploader_id));
    ids.extend(detail.events.iter().filter_map(|e| e.actor_id));
    let people = people(app, ids).await?;
    let asset = match detail.ticket.asset_id {
        Some(id) => app.store.read(move |c| Box::pin(async move { assets::by_id(c, id).await })).await?,
        None => None,
    };
    let policy = match detail.ticket.policy_id {
        Some(id) => Some(app.policies.get(&app.store, id).await?),
        None => None,
    };
    Ok(RequestView { organization, detail, people, asset, policy })
}

/// The organisation's support scope: its active contract (if any) and the policy that
/// applies (the contract's, or the default policy).
pub struct Scope {
    pub organization: Organization,
    pub contract: Option<Contract>,
    pub policy: Arc<Policy>,
}

pub async fn scope(app: &App, actor: &Actor) -> Result<Scope, AppError> {
    let organization = own_org(app, actor).await?;
    let contracts = directory::list_contracts(app, actor, None).await?;
    // The newest active contract, as the classifier picks it.
    let contract =
        contracts.into_iter().filter(|c| c.active && c.organization_id == organization.id).max_by_key(|c| c.id);
    let policy_id = contract.as_ref().map_or(app.policies.default_id(), |c| c.policy_id);
    let policy = policies::get_visible(app, actor, policy_id).await?;
    Ok(Scope { organization, contract, policy })
}

/// The organisation's assets, for the "what is it about" choice of a new request.
pub async fn assets(app: &App, actor: &Actor) -> Result<Vec<Asset>, AppError> {
    let mut list = directory::list_assets(app, actor, None).await?;
    list.sort_by_key(|a| a.name.to_lowercase());
    Ok(list)
}
