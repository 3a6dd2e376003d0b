//! Signing in: API tokens, browser sessions, passwords.

use alcance_domain::model::{ApiToken, Id, User};
use alcance_domain::validate;
use alcance_store::repo::{sessions, tokens, users};
use chrono::{DateTime, Duration, Utc};

use crate::{Actor, App, AppError, secrets};

pub const TOKEN_PREFIX: &str = "alc_";

async fn actor_by_id(app: &App, user_id: Id) -> Result<Actor, AppError> {
    let user = app
        .store
        .read(move |c| Box::pin(async move { users::by_id(c, user_id).await }))
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::Unauthenticated)?;
    Ok(Actor { user })
}

/// How stale a token's "last used" time may get before a request records a new one: one
/// write a minute per token at most, instead of one per request.
const TOKEN_USE_GRANULARITY: Duration = Duration::minutes(1);

/// The actor behind a bearer API token. Records the use when the last recorded one is more
/// than a minute old.
pub async fn actor_for_token(app: &App, token: &str) -> Result<Actor, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Err(AppError::Unauthenticated);
    }
    let hash = secrets::digest(token);
    let lookup = hash.clone();
    let (user_id, last_used_at) = app
        .store
        .read(move |c| Box::pin(async move { tokens::user_for(c, &lookup).await }))
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let now = app.now();
    if last_used_at.is_none_or(|at| now - at >= TOKEN_USE_GRANULARITY) {
        // Bookkeeping: a failure to record the use must not refuse the request.
        if let Err(e) = app.store.write(move |c| Box::pin(async move { tokens::touch(c, &hash, now).await })).await {
            tracing::warn!(error = %e, "could not record an API token's use");
        }
    }
    actor_by_id(app, user_id).await
}

/// A signed-in browser session: the cookie value and the token forms must echo back.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

pub async fn sign_in(app: &App, email: &str, password: &str) -> Result<NewSession, AppError> {
    let email = validate::email("email", email)?;
    let found = app.store.read(move |c| Box::pin(async move { users::credentials(c, &email).await })).await?;
    let user = match found {
        Some((user, Some(hash))) if user.active && secrets::verify_password(password, &hash) => user,
        _ => {
            secrets::dummy_verify(password);
            return Err(AppError::BadCredentials);
        }
    };
    let token = secrets::new_token("s_")?;
    let csrf_token = secrets::new_token("")?;
    let now = app.now();
    let expires_at = now + Duration::hours(app.settings.session_hours);
    let (hash, csrf, user_id) = (secrets::digest(&token), csrf_token.clone(), user.id);
    app.store
        .write(move |c| Box::pin(async move { sessions::insert(c, &hash, user_id, &csrf, now, expires_at).await }))
        .await?;
    Ok(NewSession { token, csrf_token, expires_at, user })
}

/// The actor and CSRF token of a live session cookie.
pub async fn actor_for_session(app: &App, token: &str) -> Result<(Actor, String), AppError> {
    let hash = secrets::digest(token);
    let now = app.now();
    let (user_id, csrf) = app
        .store
        .read(move |c| Box::pin(async move { sessions::find_live(c, &hash, now).await }))
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok((actor_by_id(app, user_id).await?, csrf))
}

pub async fn sign_out(app: &App, token: &str) -> Result<(), AppError> {
    let hash = secrets::digest(token);
    app.store.write(move |c| Box::pin(async move { sessions::delete(c, &hash).await })).await?;
    Ok(())
}

/// Issues a new API token for the user with `email`. Shown once; only its digest is kept.
/// The CLI calls this as the operator; the API calls [`create_token`] with an actor.
pub async fn issue_token(app: &App, email: &str, label: &str) -> Result<String, AppError> {
    let email = validate::email("user", email)?;
    let label = validate::name("label", label)?;
    let token = secrets::new_token(TOKEN_PREFIX)?;
    let hash = secrets::digest(&token);
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let user = users::by_email(c, &email)
                    .await?
                    .filter(|u| u.active)
                    .ok_or_else(|| AppError::field("user", alcance_domain::FieldErrorCode::NotFound))?;
                tokens::insert(c, user.id, &hash, &label, now).await?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    Ok(token)
}

/// Any user may create a token for themselves; an admin may create one for anyone.
pub async fn create_token(app: &App, actor: &Actor, for_email: Option<&str>, label: &str) -> Result<String, AppError> {
    let email = match for_email {
        Some(email) if validate::email("user", email)? != actor.user.email => {
            actor.require_admin()?;
            email.to_owned()
        }
        _ => actor.user.email.clone(),
    };
    issue_token(app, &email, label).await
}

/// Every API token (revoked ones too), newest first. Admins only.
pub async fn list_tokens(app: &App, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
    actor.require_admin()?;
    Ok(app.store.read(|c| Box::pin(async move { tokens::list(c).await })).await?)
}

/// The caller's own API tokens (revoked ones too), newest first.
pub async fn own_tokens(app: &App, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
    let user_id = actor.id();
    let mut all = app.store.read(|c| Box::pin(async move { tokens::list(c).await })).await?;
    all.retain(|t| t.user_id == user_id);
    Ok(all)
}

/// Revokes an API token: an admin any token, anyone else only their own (another person's
/// token is not found, as one that does not exist). Revoking a revoked token changes nothing.
/// Returns the token as it is now.
pub async fn revoke_token(app: &App, actor: &Actor, id: Id) -> Result<ApiToken, AppError> {
    let now = app.now();
    let (admin, user_id) = (actor.is_admin(), actor.id());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let token =
                    tokens::get(c, id).await?.filter(|t| admin || t.user_id == user_id).ok_or(AppError::NotFound)?;
                if token.revoked_at.is_some() {
                    return Ok(token);
                }
                tokens::revoke(c, id, now).await?;
                Ok::<_, AppError>(ApiToken { revoked_at: Some(now), ..token })
            })
        })
        .await
}
