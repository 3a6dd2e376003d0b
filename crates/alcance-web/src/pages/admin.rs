//! The admin area (/admin): organisations, users (invite, deactivate, password links), support
//! contracts, assets, the scope policy, API tokens and the e-mail outbox. Only admins enter;
//! an agent is told the page is not for their role, a client contact that it does not exist.

mod catalog;
mod contracts;
mod jobs;
mod people;
mod system;

use alcance_app::{Actor, App, admin_views};
use alcance_domain::Role;
use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{FormError, PageCtx, PageError, SignedIn, error_for, render};
use crate::i18n::Lang;

pub fn router() -> Router<App> {
    Router::new()
        .route("/admin", get(overview))
        .route("/admin/organizations", get(catalog::organizations).post(catalog::create_organization))
        .route("/admin/contracts", get(contracts::contracts).post(contracts::create_contract))
        .route("/admin/contracts/{id}/hours", post(contracts::set_hours))
        .route("/admin/contracts/closures", post(contracts::add_closure))
        .route("/admin/contracts/closures/{id}/delete", post(contracts::delete_closure))
        .route("/admin/assets", get(catalog::assets).post(catalog::create_asset))
        .route("/admin/users", get(people::users).post(people::invite))
        .route("/admin/users/{id}/deactivate", post(people::deactivate))
        .route("/admin/users/{id}/activate", post(people::activate))
        .route("/admin/users/{id}/reset-password", post(people::reset_password))
        .route("/admin/tokens", get(system::tokens).post(system::create_token))
        .route("/admin/tokens/{id}/revoke", post(system::revoke_token))
        .route("/admin/policy", get(system::policy))
        .route("/admin/outbox", get(system::outbox))
        .route("/admin/jobs", get(jobs::list))
        .route("/admin/jobs/{id}/retry", post(jobs::retry))
}

/// A signed-in admin. An agent gets the "forbidden" page; a client contact "not found", as
/// for anything staff-only; someone signed out goes to the sign-in page.
pub struct AdminPage {
    pub ctx: PageCtx,
    pub actor: Actor,
}

impl FromRequestParts<App> for AdminPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let SignedIn { ctx, actor } = SignedIn::from_request_parts(parts, app).await?;
        match actor.role() {
            Role::Admin => Ok(AdminPage { ctx, actor }),
            Role::Agent => Err(PageError::Forbidden(ctx).into_response()),
            Role::Manager | Role::Requester => Err(PageError::NotFound(ctx).into_response()),
        }
    }
}

/// Field errors of a form, with the lookup templates use.
#[derive(Default)]
pub struct Errors(pub Vec<FormError>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&str> {
        error_for(&self.0, field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    /// An error written by the page itself (not from a use case).
    pub fn push(&mut self, field: &str, message: String) {
        self.0.push(FormError { field: field.to_owned(), message });
    }

    /// The "invalid format" message for `field`, labelled with `field-label-<label_field>`.
    pub fn invalid(&mut self, ctx: &PageCtx, field: &str, label_field: &str) {
        let label = ctx.t(&format!("field-label-{label_field}"));
        self.push(field, ctx.lang.text("field-invalid", &[("field", label), ("detail", String::new())]));
    }
}

/// Why a use case refused a form.
pub enum Refusal {
    /// Errors to show next to their controls.
    Field(Errors),
    /// The error page to answer with.
    Page(Response),
}

/// A use case's refusal of a form: a field error to show next to its control (the field
/// renamed where the form calls it differently), or an error page.
pub fn form_refusal(ctx: &PageCtx, e: alcance_app::AppError, rename: &[(&str, &str)]) -> Refusal {
    match FormError::from_app(ctx, &e) {
        Some(mut error) => {
            if let Some((_, to)) = rename.iter().find(|(from, _)| *from == error.field) {
                error.field = (*to).to_owned();
            }
            Refusal::Field(Errors(vec![error]))
        }
        None => Refusal::Page(PageError::from_app(ctx.clone(), e).into_response()),
    }
}

/// The status of a form re-shown because of a field error.
pub fn invalid(page: Response) -> Response {
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// A calendar date (stored as YYYY-MM-DD) as written in the page language.
pub fn day(lang: Lang, iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) if lang == Lang::En => d.format("%m/%d/%Y").to_string(),
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_owned(),
    }
}

/// A percentage from basis points: 1900 -> "19", 1950 -> "19,5" ("19.5" in English).
pub fn percent(lang: Lang, basis_points: i64) -> String {
    let whole = basis_points / 100;
    let rest = (basis_points % 100).abs();
    if rest == 0 {
        return whole.to_string();
    }
    let decimals = if rest % 10 == 0 { format!("{}", rest / 10) } else { format!("{rest:02}") };
    let sep = if lang == Lang::En { '.' } else { ',' };
    format!("{whole}{sep}{decimals}")
}

#[derive(Template)]
#[template(path = "admin/overview.html")]
struct OverviewPage {
    ctx: PageCtx,
    counts: admin_views::Overview,
}

async fn overview(State(app): State<App>, page: AdminPage) -> Response {
    let AdminPage { ctx, actor } = page;
    match admin_views::overview(&app, &actor).await {
        Ok(counts) => render(&OverviewPage { ctx, counts }),
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_percentages_in_the_page_language() {
        assert_eq!(day(Lang::Es, "2026-03-01"), "01/03/2026");
        assert_eq!(day(Lang::En, "2026-03-01"), "03/01/2026");
        assert_eq!(percent(Lang::Es, 1900), "19");
        assert_eq!(percent(Lang::Es, 1950), "19,5");
        assert_eq!(percent(Lang::En, 825), "8.25");
        assert_eq!(percent(Lang::Es, 0), "0");
    }
}
