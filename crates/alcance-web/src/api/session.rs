//! /api/v1/session, /api/v1/me and /api/v1/tokens: signing in and API tokens.

use alcance_app::account::SignInRefusal;
use alcance_app::{App, auth};
use alcance_domain::model::ApiToken;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::UserOut;
use super::id_param;
use crate::extract::{ApiJson, Caller, SESSION_COOKIE};
use crate::problem::{Problem, ProblemBody};

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, sign_out))
        .routes(routes!(me))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    pub user: UserOut,
    /// Send back as the `X-CSRF-Token` header on every change made with the session cookie.
    pub csrf_token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Sign in with e-mail and password; sets the session cookie (HttpOnly, SameSite=Lax).
/// After 5 failures for one e-mail within 15 minutes, sign-in is refused with 429.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignIn,
    responses((status = 200, body = SessionOut), (status = 401, body = ProblemBody), (status = 429, body = ProblemBody)))]
async fn sign_in(
    State(app): State<App>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SignIn>,
) -> Result<Response, Problem> {
    let session = match alcance_app::account::sign_in_throttled(&app, &input.email, &input.password).await {
        Ok(session) => session,
        Err(SignInRefusal::BadCredentials) => return Err(Problem::new(StatusCode::UNAUTHORIZED, "bad_credentials")),
        Err(SignInRefusal::Throttled { minutes }) => {
            return Err(Problem::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
                .with_arg("minutes", minutes.to_string()));
        }
        Err(SignInRefusal::Other(e)) => return Err(e.into()),
    };
    let secure = headers.get("x-forwarded-proto").is_some_and(|v| v == "https");
    let max_age = (session.expires_at - app.now()).num_seconds().max(0);
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        session.token,
        if secure { "; Secure" } else { "" }
    );
    let body = SessionOut { user: session.user.into(), csrf_token: session.csrf_token, expires_at: session.expires_at };
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
async fn sign_out(
    State(app): State<App>,
    caller: Caller,
    request_parts: axum::http::request::Parts,
) -> Result<Response, Problem> {
    if let Some(token) = crate::extract::cookie(&request_parts, SESSION_COOKIE) {
        auth::sign_out(&app, token).await?;
    }
    let _ = caller;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("alcance_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(response)
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", responses((status = 200, body = UserOut), (status = 401, body = ProblemBody)), security(("bearer" = [])))]
async fn me(caller: Caller) -> Json<UserOut> {
    Json(caller.actor.user.into())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// A name to recognise the token by.
    pub label: String,
    /// Admins may create a token for another user (e-mail).
    pub user: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    /// Shown once: only its digest is stored.
    pub token: String,
}

/// Create an API token for yourself (or, as admin, for another user).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "session", request_body = CreateToken,
    responses((status = 201, body = TokenOut), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("bearer" = [])))]
async fn create_token(
    State(app): State<App>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateToken>,
) -> Result<(StatusCode, Json<TokenOut>), Problem> {
    let token = auth::create_token(&app, &caller.actor, input.user.as_deref(), &input.label).await?;
    Ok((StatusCode::CREATED, Json(TokenOut { token })))
}

/// An API token as listed: never the token itself (only its digest is stored).
#[derive(Serialize, ToSchema)]
pub struct ApiTokenOut {
    pub id: i64,
    /// The user the token acts as.
    pub user_id: i64,
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When a request last used it, to the minute; null if never.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Set once revoked; a revoked token is refused with 401.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<ApiToken> for ApiTokenOut {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            user_id: t.user_id,
            label: t.label,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// API tokens, newest first, revoked ones included: every token for an admin, the caller's
/// own for anyone else.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "session",
    responses((status = 200, body = Vec<ApiTokenOut>), (status = 401, body = ProblemBody)), security(("bearer" = [])))]
async fn list_tokens(State(app): State<App>, caller: Caller) -> Result<Json<Vec<ApiTokenOut>>, Problem> {
    let tokens = if caller.actor.is_admin() {
        auth::list_tokens(&app, &caller.actor).await?
    } else {
        auth::own_tokens(&app, &caller.actor).await?
    };
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Revoke an API token at once: an admin any token, anyone else their own (another
/// person's token is 404). Revoking an already revoked token succeeds and changes nothing.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "session", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ProblemBody), (status = 404, body = ProblemBody)),
    security(("bearer" = [])))]
async fn revoke_token(State(app): State<App>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode, Problem> {
    auth::revoke_token(&app, &caller.actor, id_param(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
