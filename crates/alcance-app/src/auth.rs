//! Signing in: API tokens, browser sessions, passwords.

use alcance_domain::model::{Id, User};
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

/// The actor behind a bearer API token.
pub async fn actor_for_token(app: &App, token: &str) -> Result<Actor, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Err(AppError::Unauthenticated);
    }
    let hash = secrets::digest(token);
    let user_id = app
        .store
        .read(move |c| Box::pin(async move { tokens::user_for(c, &hash).await }))
        .await?
        .ok_or(AppError::Unauthenticated)?;
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
