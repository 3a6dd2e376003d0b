//! The scope policy in force, API tokens (create, list, revoke) and the e-mail outbox.

use std::sync::Arc;

use alcance_app::{App, AppError, admin_views, auth};
use alcance_domain::Role;
use alcance_domain::model::Id;
use alcance_domain::policy::{Localized, Policy, SlaClock, SlaSpan};
use alcance_domain::ticket::Priority;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{AdminPage, Errors, Refusal, form_refusal, invalid};
use crate::i18n::Lang;
use crate::pages::{PageCtx, PageError, check_csrf, render};

/// One row of the SLA table.
struct SlaRow {
    priority: Priority,
    clock: String,
    first_response: String,
    update: String,
    resolution: String,
}

#[derive(Template)]
#[template(path = "admin/policy.html")]
struct PolicyPage {
    ctx: PageCtx,
    policy: Arc<Policy>,
    sla: Vec<SlaRow>,
    /// (stable name, label) of each status that pauses the SLA clock, as the policy lists them.
    pausing: Vec<(&'static str, String)>,
    /// "8 covered and 4 not covered."
    counts: String,
}

impl PolicyPage {
    /// A policy text in the page language.
    fn text<'a>(&self, text: &'a Localized) -> &'a str {
        text.get(self.ctx.lang_code())
    }
}

/// "30 min", "8 h", "2 días hábiles": a span as people read it.
fn span(lang: Lang, clock: SlaClock, span: SlaSpan) -> String {
    let (key, n) = match (span, clock) {
        (SlaSpan::Minutes(n), _) => ("admin-span-minutes", n),
        (SlaSpan::Hours(n), _) => ("admin-span-hours", n),
        (SlaSpan::Days(1), SlaClock::Business) => ("admin-span-business-day", 1),
        (SlaSpan::Days(n), SlaClock::Business) => ("admin-span-business-days", n),
        (SlaSpan::Days(1), SlaClock::Calendar) => ("admin-span-day", 1),
        (SlaSpan::Days(n), SlaClock::Calendar) => ("admin-span-days", n),
    };
    lang.text(key, &[("n", n.to_string())])
}

pub async fn policy(State(app): State<App>, page: AdminPage) -> Response {
    let AdminPage { ctx, actor } = page;
    let policy = match admin_views::default_policy(&app, &actor).await {
        Ok(policy) => policy,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let sla = [Priority::Critical, Priority::High, Priority::Normal, Priority::Low]
        .into_iter()
        .map(|priority| {
            let target = policy.sla.for_priority(priority);
            let clock = match target.clock {
                SlaClock::Calendar => ctx.t("admin-sla-clock-calendar"),
                SlaClock::Business => ctx.t("admin-sla-clock-business"),
            };
            SlaRow {
                priority,
                clock,
                first_response: span(ctx.lang, target.clock, target.first_response),
                update: span(ctx.lang, target.clock, target.update),
                resolution: span(ctx.lang, target.clock, target.resolution),
            }
        })
        .collect();
    let covered = policy.categories.iter().filter(|c| c.coverage == alcance_domain::ticket::Coverage::Covered).count();
    let not_covered = policy.categories.len() - covered;
    let counts = ctx
        .lang
        .text("admin-policy-counts", &[("covered", covered.to_string()), ("not_covered", not_covered.to_string())]);
    let pausing = policy.pausing.iter().map(|s| (s.as_str(), ctx.status_label(s))).collect();
    render(&PolicyPage { ctx, policy, sla, pausing, counts })
}

// ---------------------------------------------------------------------------------------
// API tokens

#[derive(Deserialize, Default)]
pub struct TokensQuery {
    msg: Option<String>,
    token: Option<Id>,
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    csrf_token: String,
    /// The e-mail of the user the token acts as.
    #[serde(default)]
    user: String,
    #[serde(default)]
    label: String,
}

/// A token just created: shown this once.
struct NewToken {
    token: String,
    /// "Token created: «label» for name."
    title: String,
}

/// A token as the table shows it (never its secret: only the digest is stored).
struct TokenView {
    id: Id,
    label: String,
    user_name: String,
    user_email: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    ctx: PageCtx,
    /// Active users a token may be created for.
    users: Vec<admin_views::UserRow>,
    tokens: Vec<TokenView>,
    form: TokenForm,
    errors: Errors,
    created: Option<NewToken>,
    notice: Option<String>,
}

impl TokensPage {
    fn role_label(&self, role: &Role) -> String {
        self.ctx.t(&format!("role-{}", role.as_str()))
    }
}

async fn tokens_page(
    app: &App,
    page: AdminPage,
    form: TokenForm,
    errors: Errors,
    created: Option<NewToken>,
    revoked: Option<Id>,
) -> Response {
    let AdminPage { ctx, actor } = page;
    let loaded = async {
        Ok::<_, AppError>((admin_views::users(app, &actor, None).await?, auth::list_tokens(app, &actor).await?))
    };
    let (people, tokens) = match loaded.await {
        Ok(found) => found,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let tokens: Vec<TokenView> = tokens
        .into_iter()
        .map(|t| {
            let owner = people.iter().find(|row| row.user.id == t.user_id).map(|row| &row.user);
            TokenView {
                id: t.id,
                label: t.label,
                user_name: owner.map_or_else(|| format!("#{}", t.user_id), |u| u.name.clone()),
                user_email: owner.map(|u| u.email.clone()).unwrap_or_default(),
                created_at: t.created_at,
                last_used_at: t.last_used_at,
                revoked_at: t.revoked_at,
            }
        })
        .collect();
    let notice = revoked.and_then(|id| tokens.iter().find(|t| t.id == id)).map(|t| {
        ctx.lang.text("admin-msg-token-revoked", &[("label", t.label.clone()), ("name", t.user_name.clone())])
    });
    let users = people.into_iter().filter(|row| row.user.active).collect();
    let failed = errors.any();
    let fresh = created.is_some();
    let mut response = render(&TokensPage { ctx, users, tokens, form, errors, created, notice });
    if fresh {
        // The secret must not linger in any cache.
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if failed { invalid(response) } else { response }
}

pub async fn tokens(State(app): State<App>, page: AdminPage, Query(q): Query<TokensQuery>) -> Response {
    // Only a known key and an id come from the query; the text names the token from the database.
    let revoked = q.token.filter(|_| q.msg.as_deref() == Some("revoked"));
    let form = TokenForm { user: page.actor.user.email.clone(), ..TokenForm::default() };
    tokens_page(&app, page, form, Errors::default(), None, revoked).await
}

pub async fn create_token(State(app): State<App>, page: AdminPage, Form(form): Form<TokenForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    match auth::create_token(&app, &page.actor, Some(&form.user), &form.label).await {
        Ok(token) => {
            let user_name = admin_views::token_candidates(&app, &page.actor)
                .await
                .ok()
                .and_then(|rows| rows.into_iter().find(|r| r.user.email.eq_ignore_ascii_case(form.user.trim())))
                .map_or_else(|| form.user.clone(), |r| r.user.name);
            let title = page
                .ctx
                .lang
                .text("admin-tokens-created", &[("label", form.label.trim().to_owned()), ("name", user_name)]);
            let created = NewToken { token, title };
            let next = TokenForm { user: form.user, ..TokenForm::default() };
            tokens_page(&app, page, next, Errors::default(), Some(created), None).await
        }
        Err(e) => match form_refusal(&page.ctx, e, &[]) {
            Refusal::Field(errors) => tokens_page(&app, page, form, errors, None, None).await,
            Refusal::Page(response) => response,
        },
    }
}

#[derive(Deserialize, Default)]
pub struct RevokeForm {
    #[serde(default)]
    csrf_token: String,
}

/// Revokes one token at once; requests carrying it are refused from then on.
pub async fn revoke_token(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<Id>,
    Form(form): Form<RevokeForm>,
) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    match auth::revoke_token(&app, &page.actor, id).await {
        Ok(token) => Redirect::to(&format!("/admin/tokens?msg=revoked&token={}", token.id)).into_response(),
        Err(e) => PageError::from_app(page.ctx, e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------
// Outgoing e-mail

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    ctx: PageCtx,
    messages: Vec<admin_views::OutboxMessage>,
}

pub async fn outbox(State(app): State<App>, page: AdminPage) -> Response {
    let AdminPage { ctx, actor } = page;
    match admin_views::outbox(&app, &actor).await {
        Ok(messages) => render(&OutboxPage { ctx, messages }),
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(Lang::Es, SlaClock::Business, SlaSpan::Days(2)), "2 días hábiles");
        assert_eq!(span(Lang::En, SlaClock::Calendar, SlaSpan::Days(1)), "1 day");
        assert_eq!(span(Lang::Es, SlaClock::Calendar, SlaSpan::Minutes(30)), "30 min");
    }
}
