//! Accounts in the browser: sign-in with throttling, forgotten passwords through single-use
//! links sent via the e-mail outbox, language choice, deactivation.

use alcance_domain::model::{Id, User};
use alcance_domain::{FieldErrorCode, validate};
use alcance_store::repo::web::{self, OutboxEmail};
use alcance_store::repo::{sessions, tokens, users};
use chrono::Duration;

use crate::auth::NewSession;
use crate::{Actor, App, AppError, auth, secrets};

/// Failed sign-ins allowed per e-mail within [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILED_SIGN_INS: i64 = 5;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
pub const RESET_LINK_HOURS: i64 = 2;

/// Why a browser sign-in did not happen.
#[derive(Debug)]
pub enum SignInRefusal {
    BadCredentials,
    /// Too many failures for this e-mail lately: wait this many minutes.
    Throttled {
        minutes: i64,
    },
    Other(AppError),
}

/// Signs in with a password, refusing once an e-mail has failed too often lately (counted in
/// the database, so every server process sees the same count).
pub async fn sign_in_throttled(app: &App, email: &str, password: &str) -> Result<NewSession, SignInRefusal> {
    let key = email.trim().to_lowercase();
    let now = app.now();
    let since = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let failures = {
        let key = key.clone();
        app.store
            .read(move |c| Box::pin(async move { web::login_failures_since(c, &key, since).await }))
            .await
            .map_err(|e| SignInRefusal::Other(e.into()))?
    };
    if failures >= MAX_FAILED_SIGN_INS {
        return Err(SignInRefusal::Throttled { minutes: THROTTLE_WINDOW_MINUTES });
    }
    match auth::sign_in(app, email, password).await {
        Ok(session) => {
            let _ = app.store.write(move |c| Box::pin(async move { web::clear_login_failures(c, &key).await })).await;
            Ok(session)
        }
        Err(AppError::BadCredentials | AppError::Invalid(_)) => {
            let _ =
                app.store.write(move |c| Box::pin(async move { web::record_login_failure(c, &key, now).await })).await;
            Err(SignInRefusal::BadCredentials)
        }
        Err(other) => Err(SignInRefusal::Other(other)),
    }
}

/// The text of a reset e-mail, in the user's language.
pub struct ResetMail {
    pub subject: String,
    pub body: String,
}

/// Starts a password reset: a single-use link valid for [`RESET_LINK_HOURS`] goes to the
/// user's outbox. Answers the same whether or not the address exists, so the form does not
/// reveal who has an account. `compose` writes the message from the link and the user.
pub async fn request_password_reset(
    app: &App,
    email: &str,
    base_url: &str,
    compose: impl FnOnce(&User, &str) -> ResetMail + Send + 'static,
) -> Result<(), AppError> {
    let Ok(email) = validate::email("email", email) else { return Ok(()) };
    let token = secrets::new_token("r_")?;
    let hash = secrets::digest(&token);
    let now = app.now();
    let link = format!("{}/reset/{token}", base_url.trim_end_matches('/'));
    let logged_link = link.clone();
    let sent_to = app
        .store
        .write(move |c| {
            Box::pin(async move {
                let Some(user) = users::by_email(c, &email).await?.filter(|u| u.active) else { return Ok(None) };
                web::insert_password_reset(c, &hash, user.id, now, now + Duration::hours(RESET_LINK_HOURS)).await?;
                let mail = compose(&user, &link);
                web::enqueue_email(c, &user.email, &mail.subject, &mail.body, now).await?;
                Ok::<_, AppError>(Some(user.email))
            })
        })
        .await?;
    if let Some(to) = sent_to {
        // Until SMTP exists the admin reads the outbox; the log carries the link too.
        tracing::info!(to = %to, link = %logged_link, "password reset link queued in the outbox");
    }
    Ok(())
}

pub async fn reset_link_is_live(app: &App, token: &str) -> Result<bool, AppError> {
    let hash = secrets::digest(token);
    let now = app.now();
    Ok(app.store.read(move |c| Box::pin(async move { web::password_reset_is_live(c, &hash, now).await })).await?)
}

/// Uses a reset link once: sets the new password, ends every browser session the user had
/// (whoever knew the old password may hold one) and lifts the sign-in throttle. API tokens
/// stay: they belong to integrations, and an admin revokes them by deactivating the user.
pub async fn complete_password_reset(app: &App, token: &str, new_password: &str) -> Result<(), AppError> {
    let password = validate::password("password", new_password)?;
    let hash = secrets::hash_password(&password)?;
    let token_hash = secrets::digest(token);
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let user_id = web::consume_password_reset(c, &token_hash, now)
                    .await?
                    .ok_or_else(|| AppError::field("token", FieldErrorCode::Invalid))?;
                users::set_password_hash(c, user_id, &hash).await?;
                sessions::delete_for_user(c, user_id).await?;
                if let Some(user) = users::by_id(c, user_id).await? {
                    web::clear_login_failures(c, &user.email).await?;
                }
                Ok(())
            })
        })
        .await
}

pub async fn set_language(app: &App, actor: &Actor, language: &str) -> Result<(), AppError> {
    let language = match language {
        "es" | "en" => language.to_owned(),
        _ => return Err(AppError::field("language", FieldErrorCode::UnknownValue)),
    };
    let id = actor.id();
    Ok(app.store.write(move |c| Box::pin(async move { users::set_language(c, id, &language).await })).await?)
}

/// Deactivates or reactivates a user (admin). Deactivation ends their sessions and tokens.
pub async fn set_active(app: &App, actor: &Actor, user_id: Id, active: bool) -> Result<(), AppError> {
    actor.require_admin()?;
    if user_id == actor.id() && !active {
        return Err(AppError::field("user", FieldErrorCode::NotAllowed));
    }
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                users::by_id(c, user_id).await?.ok_or(AppError::NotFound)?;
                users::set_active(c, user_id, active).await?;
                if !active {
                    sessions::delete_for_user(c, user_id).await?;
                    tokens::revoke_all_for(c, user_id, now).await?;
                }
                Ok(())
            })
        })
        .await
}

/// The newest outgoing messages (admin).
pub async fn outbox(app: &App, actor: &Actor) -> Result<Vec<OutboxEmail>, AppError> {
    actor.require_admin()?;
    Ok(app.store.read(|c| Box::pin(async move { web::outbox(c, 200).await })).await?)
}

/// Staff who can take tickets, for assignment lists.
pub async fn staff(app: &App, actor: &Actor) -> Result<Vec<User>, AppError> {
    actor.require_staff()?;
    Ok(app.store.read(|c| Box::pin(async move { users::staff(c).await })).await?)
}

/// Marks that the actor has a ticket open and returns the other staff who have it open too
/// (seen within the last 30 seconds).
pub async fn viewing(app: &App, actor: &Actor, number: i64) -> Result<Vec<String>, AppError> {
    actor.require_staff()?;
    let (user_id, now) = (actor.id(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let ticket = alcance_store::repo::tickets::by_number(c, number).await?.ok_or(AppError::NotFound)?;
                web::mark_viewing(c, ticket.id, user_id, now).await?;
                Ok(web::other_viewers(c, ticket.id, user_id, now - Duration::seconds(30)).await?)
            })
        })
        .await
}
