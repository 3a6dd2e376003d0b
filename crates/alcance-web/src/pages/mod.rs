//! The HTML interface: client portal (/portal), agent console (/agent), admin (/admin) and
//! sign-in pages. Server-rendered with askama; htmx (vendored) enhances, and every core flow
//! also works without JavaScript.

pub mod admin;
pub mod agent;
pub mod assets;
pub mod auth;
pub mod hours;
pub mod mail;
pub mod monitors;
pub mod portal;
pub mod quotes;
pub mod sla;
pub mod upload;

use alcance_app::{Actor, App, auth as app_auth};
use alcance_domain::model::User;
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::extract::{SESSION_COOKIE, cookie};
use crate::i18n::Lang;

pub const LANG_COOKIE: &str = "alcance_lang";

pub fn router() -> Router<App> {
    Router::new()
        .merge(auth::router())
        .merge(portal::router())
        .merge(agent::router())
        .merge(admin::router())
        .merge(assets::router())
        .merge(hours::router())
        .merge(quotes::router())
        .merge(sla::router())
        .merge(mail::router())
        .merge(monitors::router())
}

/// What every page needs: the language, the signed-in user, the CSRF token for its forms,
/// the brand.
#[derive(Clone)]
pub struct PageCtx {
    pub lang: Lang,
    pub user: Option<User>,
    pub csrf: String,
    pub brand_name: String,
    pub has_logo: bool,
    /// The request path, to mark the current navigation item.
    pub path: String,
    pub now: chrono::DateTime<chrono::Utc>,
}

impl PageCtx {
    /// The interface text `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.text(key, &[])
    }

    /// The interface text `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.lang.text(key, &[(name, value.to_string())])
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn is_staff(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_staff())
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == alcance_domain::Role::Admin)
    }

    pub fn user_name(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.name.as_str())
    }

    /// Whether the navigation item for `prefix` is the current page.
    pub fn current(&self, prefix: &str) -> bool {
        self.path == prefix || (prefix.len() > 1 && self.path.starts_with(&format!("{prefix}/")))
    }

    /// Dates and times in the Colombian default zone (per-organisation zones are applied
    /// where a page knows the organisation, through [`crate::view::datetime`]).
    pub fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::view::datetime(self.lang, crate::view::DEFAULT_TIME_ZONE, *at)
    }

    pub fn ago(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::view::ago(self.lang, self.now, *at)
    }

    pub fn iso(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::view::iso(*at)
    }

    pub fn status_label(&self, status: &alcance_domain::ticket::Status) -> String {
        self.t(&format!("status-{}", status.as_str()))
    }

    pub fn priority_label(&self, priority: &alcance_domain::ticket::Priority) -> String {
        self.t(&format!("priority-{}", priority.as_str()))
    }

    pub fn coverage_label(&self, coverage: &alcance_domain::ticket::Coverage) -> String {
        self.t(&format!("coverage-{}", coverage.as_str()))
    }

    pub fn channel_label(&self, channel: &alcance_domain::ticket::Channel) -> String {
        self.t(&format!("channel-{}", channel.as_str()))
    }

    pub fn markdown(&self, text: &str) -> String {
        crate::view::markdown(text)
    }
}

/// The page language: the switcher's cookie, else the user's choice, else Accept-Language.
pub fn page_lang(headers: &HeaderMap, user: Option<&User>) -> Lang {
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .map(|(_, v)| v);
    match (from_cookie, user.map(|u| u.language.as_str())) {
        (Some("en"), _) => Lang::En,
        (Some("es"), _) => Lang::Es,
        (_, Some("en")) => Lang::En,
        (_, Some("es")) => Lang::Es,
        _ => Lang::negotiate(headers),
    }
}

fn ctx_for(parts: &Parts, app: &App, user: Option<User>, csrf: String) -> PageCtx {
    PageCtx {
        lang: page_lang(&parts.headers, user.as_ref()),
        user,
        csrf,
        brand_name: app.settings.brand.name.clone(),
        has_logo: app.settings.brand.logo.is_some(),
        path: parts.uri.path().to_owned(),
        now: app.now(),
    }
}

/// A page anyone may see; knows the user when signed in.
pub struct Visitor(pub PageCtx);

impl FromRequestParts<App> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let session = match cookie(parts, SESSION_COOKIE) {
            Some(token) => app_auth::actor_for_session(app, token).await.ok(),
            None => None,
        };
        let (user, csrf) = match session {
            Some((actor, csrf)) => (Some(actor.user), csrf),
            None => (None, String::new()),
        };
        Ok(Visitor(ctx_for(parts, app, user, csrf)))
    }
}

/// A signed-in user; anyone else is sent to the sign-in page and brought back after.
pub struct SignedIn {
    pub ctx: PageCtx,
    pub actor: Actor,
}

impl SignedIn {
    /// Agency staff only: a client contact gets "not found", as for anything they may not see.
    pub(crate) fn staff(self) -> Result<(PageCtx, Actor), Response> {
        if self.actor.is_staff() {
            Ok((self.ctx, self.actor))
        } else {
            Err(PageError::NotFound(self.ctx).into_response())
        }
    }

    /// Staff only, and then the form's CSRF token.
    pub(crate) fn staff_form(self, csrf_token: &str) -> Result<(PageCtx, Actor), Response> {
        let (ctx, actor) = self.staff()?;
        check_csrf(&ctx, csrf_token).map_err(IntoResponse::into_response)?;
        Ok((ctx, actor))
    }
}

impl FromRequestParts<App> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let found = match cookie(parts, SESSION_COOKIE) {
            Some(token) => app_auth::actor_for_session(app, token).await.ok(),
            None => None,
        };
        match found {
            Some((actor, csrf)) => Ok(SignedIn { ctx: ctx_for(parts, app, Some(actor.user.clone()), csrf), actor }),
            None => {
                let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let target = format!("/login?next={}", encode_component(next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Percent-encodes a URL component.
pub fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Only local paths are followed after sign-in, never another site.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\")).map(str::to_owned)
}

/// Why a page could not be shown.
pub enum PageError {
    NotFound(PageCtx),
    Forbidden(PageCtx),
    /// The form's CSRF token did not match the session's.
    Csrf(PageCtx),
    Internal(PageCtx, String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageCtx,
    title_key: &'static str,
    detail_key: &'static str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (ctx, status, title_key, detail_key) = match self {
            PageError::NotFound(ctx) => (ctx, StatusCode::NOT_FOUND, "error-not-found", "error-not-found-detail"),
            PageError::Forbidden(ctx) => (ctx, StatusCode::FORBIDDEN, "error-forbidden", "error-forbidden-detail"),
            PageError::Csrf(ctx) => (ctx, StatusCode::FORBIDDEN, "error-csrf", "error-csrf-detail"),
            PageError::Internal(ctx, message) => {
                tracing::error!(%message, "page failed");
                (ctx, StatusCode::INTERNAL_SERVER_ERROR, "error-internal", "error-internal-detail")
            }
        };
        let page = ErrorPage { ctx, title_key, detail_key };
        (status, render(&page)).into_response()
    }
}

impl PageError {
    /// Maps a use case's refusal; a hidden resource is simply not found.
    pub fn from_app(ctx: PageCtx, e: alcance_app::AppError) -> Self {
        use alcance_app::AppError;
        match e {
            AppError::NotFound => PageError::NotFound(ctx),
            AppError::Forbidden | AppError::Unauthenticated => PageError::Forbidden(ctx),
            other => PageError::Internal(ctx, other.to_string()),
        }
    }
}

/// Renders a template to an HTML response; a template failure is logged and shown plainly.
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Error").into_response()
        }
    }
}

/// Refuses a form whose CSRF token is not the session's.
pub fn check_csrf(ctx: &PageCtx, token: &str) -> Result<(), PageError> {
    if !ctx.csrf.is_empty() && constant_time_eq(ctx.csrf.as_bytes(), token.as_bytes()) {
        Ok(())
    } else {
        Err(PageError::Csrf(ctx.clone()))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A field error shown next to its control, already translated.
#[derive(Clone, Debug)]
pub struct FormError {
    pub field: String,
    pub message: String,
}

impl FormError {
    pub fn from_app(ctx: &PageCtx, e: &alcance_app::AppError) -> Option<FormError> {
        match e {
            alcance_app::AppError::Invalid(f) => {
                let label = ctx.t(&format!("field-label-{}", f.field));
                let message = ctx.lang.text(
                    &format!("field-{}", f.code.as_str()),
                    &[("field", label), ("detail", f.detail.clone().unwrap_or_default())],
                );
                Some(FormError { field: f.field.clone(), message })
            }
            _ => None,
        }
    }
}

/// Looks up the error for `field` in a list, for templates.
pub fn error_for<'a>(errors: &'a [FormError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
}

/// Where each role lands after signing in.
pub fn home_for(user: &User) -> &'static str {
    if user.role.is_staff() { "/agent" } else { "/portal" }
}
