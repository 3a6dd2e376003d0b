//! Scope policies: the default policy file is validated at start and stored as a version;
//! contracts point at a version; validated policies are kept in memory by id.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use alcance_domain::model::{Id, PolicyVersion};
use alcance_domain::policy::Policy;
use alcance_store::Store;
use alcance_store::repo::policies;
use chrono::{DateTime, Utc};

use crate::{AppError, secrets};

/// The policy shipped with Alcance, reproducing the first customer's support policy.
pub const DEFAULT_POLICY: &str = include_str!("../../../policy/default.toml");

#[derive(Clone)]
pub struct PolicyRegistry {
    default_id: Id,
    loaded: Arc<RwLock<HashMap<Id, Arc<Policy>>>>,
}

impl PolicyRegistry {
    /// Validates `text` and makes sure its version is stored. A stored version whose text
    /// differs is refused: a changed policy must get a new version number, so tickets keep
    /// pointing at what they were classified under.
    pub async fn load_default(store: &Store, now: DateTime<Utc>, text: &str) -> Result<Self, AppError> {
        let policy = Policy::from_toml(text).map_err(|e| AppError::Internal(format!("policy file, {e}")))?;
        let sha = secrets::sha256_hex(text.as_bytes());
        let (key, version, content) = (policy.key.clone(), i64::from(policy.version), text.to_owned());
        let stored: PolicyVersion = store
            .write(move |conn| {
                Box::pin(async move {
                    match policies::find(conn, &key, version).await? {
                        Some(existing) => Ok::<_, AppError>(existing),
                        None => Ok(policies::insert(conn, &key, version, &content, &sha, now).await?),
                    }
                })
            })
            .await?;
        if stored.content_sha256 != secrets::sha256_hex(text.as_bytes()) {
            return Err(AppError::Internal(format!(
                "policy {} version {} is already stored with different content: give the changed file a new version number",
                stored.key, stored.version
            )));
        }
        let mut loaded = HashMap::new();
        loaded.insert(stored.id, Arc::new(policy));
        Ok(Self { default_id: stored.id, loaded: Arc::new(RwLock::new(loaded)) })
    }

    pub fn default_id(&self) -> Id {
        self.default_id
    }

    /// The validated policy stored under `id`, parsed on first use.
    pub async fn get(&self, store: &Store, id: Id) -> Result<Arc<Policy>, AppError> {
        if let Some(policy) = self.loaded.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(policy);
        }
        let stored = store
            .read(move |conn| Box::pin(async move { policies::by_id(conn, id).await }))
            .await?
            .ok_or(AppError::NotFound)?;
        let policy = Arc::new(
            Policy::from_toml(&stored.content).map_err(|e| AppError::Internal(format!("stored policy {id}: {e}")))?,
        );
        if let Ok(mut map) = self.loaded.write() {
            map.insert(id, policy.clone());
        }
        Ok(policy)
    }
}

/// A policy the actor may read: staff any; a contact the default policy or one their
/// organisation's contracts point at.
pub async fn get_visible(app: &crate::App, actor: &crate::Actor, id: Id) -> Result<Arc<Policy>, AppError> {
    if !actor.is_staff() && id != app.policies.default_id() {
        let contracts = crate::directory::list_contracts(app, actor, None).await?;
        if !contracts.iter().any(|c| c.policy_id == id) {
            return Err(AppError::NotFound);
        }
    }
    app.policies.get(&app.store, id).await
}
