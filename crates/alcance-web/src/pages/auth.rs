//! Sign-in, sign-out, forgotten password, language switch, and the front door.

use alcance_app::account::{self, ResetMail, SignInRefusal};
use alcance_app::{App, auth as app_auth};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, http::request::Parts};
use serde::Deserialize;

use super::{LANG_COOKIE, PageCtx, PageError, SignedIn, Visitor, check_csrf, home_for, render, safe_next};
use crate::extract::{SESSION_COOKIE, cookie};
use crate::i18n::Lang;

pub fn router() -> Router<App> {
    Router::new()
        .route("/", get(front_door))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/forgot", get(forgot_page).post(forgot))
        .route("/reset/{token}", get(reset_page).post(reset))
        .route("/lang", post(switch_language))
}

/// Sends people where they work: staff to the queue, clients to their requests.
async fn front_door(Visitor(ctx): Visitor) -> Redirect {
    match &ctx.user {
        Some(user) => Redirect::to(home_for(user)),
        None => Redirect::to("/login"),
    }
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: PageCtx,
    next: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
    msg: Option<String>,
}

async fn login_page(Visitor(ctx): Visitor, Query(q): Query<NextQuery>) -> Response {
    if let Some(user) = &ctx.user {
        return Redirect::to(&safe_next(q.next.as_deref()).unwrap_or_else(|| home_for(user).to_owned()))
            .into_response();
    }
    let notice = match q.msg.as_deref() {
        Some("password_changed") => Some(ctx.t("reset-done")),
        Some("signed_out") => Some(ctx.t("signed-out")),
        _ => None,
    };
    let next = safe_next(q.next.as_deref()).unwrap_or_default();
    render(&LoginPage { ctx, next, email: String::new(), error: None, notice })
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Forms that work before a session exists (sign-in, forgotten password) cannot carry a
/// session token; the browser's Origin header, when sent, must be our own site.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let origin_host = origin.split("://").nth(1).unwrap_or(origin);
    origin != "null" && origin_host == host
}

fn session_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}

/// Cookies get `Secure` behind a TLS proxy that says so.
fn is_https(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").is_some_and(|v| v == "https")
}

async fn login(
    State(app): State<App>,
    Visitor(ctx): Visitor,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if !same_origin(&headers) {
        return PageError::Csrf(ctx).into_response();
    }
    let next = safe_next(Some(&form.next));
    match account::sign_in_throttled(&app, &form.email, &form.password).await {
        Ok(session) => {
            let target = next.unwrap_or_else(|| home_for(&session.user).to_owned());
            let max_age = (session.expires_at - app.now()).num_seconds().max(0);
            let mut response = Redirect::to(&target).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(&session.token, max_age, is_https(&headers)));
            // The user's own language choice takes over from the switcher's cookie.
            response
                .headers_mut()
                .append(header::SET_COOKIE, HeaderValue::from_static("alcance_lang=; Path=/; Max-Age=0"));
            response
        }
        Err(refusal) => {
            let error = match refusal {
                SignInRefusal::BadCredentials => ctx.t("login-failed"),
                SignInRefusal::Throttled { minutes } => ctx.t1("login-throttled", "minutes", minutes),
                SignInRefusal::Other(e) => return PageError::from_app(ctx, e).into_response(),
            };
            let page =
                LoginPage { next: next.unwrap_or_default(), email: form.email, error: Some(error), notice: None, ctx };
            (axum::http::StatusCode::UNAUTHORIZED, render(&page)).into_response()
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(State(app): State<App>, page: SignedIn, parts: Parts, Form(form): Form<CsrfForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    if let Some(token) = cookie(&parts, SESSION_COOKIE) {
        let _ = app_auth::sign_out(&app, token).await;
    }
    let mut response = Redirect::to("/login?msg=signed_out").into_response();
    response.headers_mut().append(header::SET_COOKIE, session_cookie("", 0, false));
    response
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    ctx: PageCtx,
    sent: bool,
}

async fn forgot_page(Visitor(ctx): Visitor) -> Response {
    render(&ForgotPage { ctx, sent: false })
}

#[derive(Deserialize)]
struct ForgotForm {
    email: String,
}

async fn forgot(
    State(app): State<App>,
    Visitor(ctx): Visitor,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Response {
    if !same_origin(&headers) {
        return PageError::Csrf(ctx).into_response();
    }
    let base = app.settings.public_url.clone();
    let compose = |user: &alcance_domain::model::User, link: &str| {
        let lang = if user.language == "en" { Lang::En } else { Lang::Es };
        ResetMail {
            subject: lang.text("reset-mail-subject", &[]),
            body: lang.text(
                "reset-mail-body",
                &[
                    ("name", user.name.clone()),
                    ("link", link.to_owned()),
                    ("hours", account::RESET_LINK_HOURS.to_string()),
                ],
            ),
        }
    };
    if let Err(e) = account::request_password_reset(&app, &form.email, &base, compose).await {
        return PageError::from_app(ctx, e).into_response();
    }
    // The same answer whether or not the address has an account.
    render(&ForgotPage { ctx, sent: true })
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct ResetPage {
    ctx: PageCtx,
    token: String,
    live: bool,
    error: Option<String>,
}

fn token_shape_ok(token: &str) -> bool {
    token.len() <= 80 && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

async fn reset_page(State(app): State<App>, Visitor(ctx): Visitor, Path(token): Path<String>) -> Response {
    let live = token_shape_ok(&token) && account::reset_link_is_live(&app, &token).await.unwrap_or(false);
    let token = if token_shape_ok(&token) { token } else { String::new() };
    render(&ResetPage { ctx, token, live, error: None })
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
}

async fn reset(
    State(app): State<App>,
    Visitor(ctx): Visitor,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Response {
    if !token_shape_ok(&token) {
        return render(&ResetPage { ctx, token: String::new(), live: false, error: None });
    }
    match account::complete_password_reset(&app, &token, &form.password).await {
        Ok(()) => Redirect::to("/login?msg=password_changed").into_response(),
        Err(alcance_app::AppError::Invalid(f)) if f.field == "token" => {
            render(&ResetPage { ctx, token, live: false, error: None })
        }
        Err(e) => {
            let error = super::FormError::from_app(&ctx, &e).map(|f| f.message);
            match error {
                Some(message) => render(&ResetPage { ctx, token, live: true, error: Some(message) }),
                None => PageError::from_app(ctx, e).into_response(),
            }
        }
    }
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf_token: String,
}

/// Switches the interface language: remembered on the account when signed in, and in a
/// cookie for everyone.
async fn switch_language(
    State(app): State<App>,
    Visitor(ctx): Visitor,
    headers: HeaderMap,
    Form(form): Form<LangForm>,
) -> Response {
    let lang = if form.lang == "en" { "en" } else { "es" };
    if let Some(user) = &ctx.user {
        if check_csrf(&ctx, &form.csrf_token).is_err() {
            return PageError::Csrf(ctx).into_response();
        }
        let actor = alcance_app::Actor { user: user.clone() };
        let _ = account::set_language(&app, &actor, lang).await;
    } else if !same_origin(&headers) {
        return PageError::Csrf(ctx).into_response();
    }
    let target = safe_next(Some(&form.next)).unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&target).into_response();
    let value = format!("{LANG_COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000");
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
