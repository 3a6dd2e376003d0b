//! Users (list, invite, deactivate and activate, password links).

use alcance_app::account::{self, ResetMail};
use alcance_app::directory::{self, NewUser};
use alcance_app::{App, AppError, admin_views};
use alcance_domain::model::{Id, Organization, User};
use alcance_domain::{FieldErrorCode, Role};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{AdminPage, Errors, Refusal, form_refusal, invalid};
use crate::i18n::Lang;
use crate::pages::{PageCtx, PageError, check_csrf, encode_component, render};

/// The roles offered when inviting, most common first.
const ROLES: &[Role] = &[Role::Requester, Role::Manager, Role::Agent, Role::Admin];

fn lang_of(user: &User) -> Lang {
    if user.language == "en" { Lang::En } else { Lang::Es }
}

// ---------------------------------------------------------------------------------------
// Users

#[derive(Deserialize, Default)]
pub struct UsersQuery {
    msg: Option<String>,
    user: Option<Id>,
    org: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    language: String,
}

/// A user as the table shows them.
struct UserView {
    id: Id,
    name: String,
    email: String,
    role: String,
    organization: Option<String>,
    active: bool,
    is_self: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: PageCtx,
    users: Vec<UserView>,
    orgs: Vec<Organization>,
    /// The organisation slug the list is filtered by (empty: all).
    filter: String,
    roles: &'static [Role],
    form: InviteForm,
    errors: Errors,
    notice: Option<String>,
    /// Whether the notice is about a message waiting in the outbox.
    notice_outbox: bool,
    /// A refused action on a row (e.g. deactivating oneself).
    alert: Option<String>,
}

impl UsersPage {
    fn role_label(&self, role: &Role) -> String {
        self.ctx.t(&format!("role-{}", role.as_str()))
    }
}

struct UsersView {
    filter: String,
    form: InviteForm,
    errors: Errors,
    notice: Option<String>,
    notice_outbox: bool,
    alert: Option<String>,
}

impl UsersView {
    fn new(filter: String) -> Self {
        let form = InviteForm { role: Role::Requester.as_str().into(), language: "es".into(), ..InviteForm::default() };
        UsersView { filter, form, errors: Errors::default(), notice: None, notice_outbox: false, alert: None }
    }
}

async fn users_page(app: &App, page: AdminPage, view: UsersView) -> Response {
    let AdminPage { ctx, actor } = page;
    let filter = Some(view.filter.as_str()).filter(|f| !f.is_empty());
    let loaded = async {
        Ok::<_, AppError>((
            admin_views::users(app, &actor, filter).await?,
            admin_views::organizations(app, &actor).await?,
        ))
    };
    let (rows, orgs) = match loaded.await {
        Ok(found) => found,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let users = rows
        .into_iter()
        .map(|row| UserView {
            id: row.user.id,
            role: ctx.t(&format!("role-{}", row.user.role.as_str())),
            is_self: row.user.id == actor.id(),
            name: row.user.name,
            email: row.user.email,
            organization: row.organization,
            active: row.user.active,
        })
        .collect();
    let failed = view.errors.any() || view.alert.is_some();
    let page = render(&UsersPage {
        ctx,
        users,
        orgs,
        filter: view.filter,
        roles: ROLES,
        form: view.form,
        errors: view.errors,
        notice: view.notice,
        notice_outbox: view.notice_outbox,
        alert: view.alert,
    });
    if failed { invalid(page) } else { page }
}

/// The confirmation after an action on a user, naming them from the database (the query
/// carries only a fixed key and an id).
async fn user_notice(app: &App, page: &AdminPage, msg: Option<&str>, user: Option<Id>) -> Option<String> {
    let key = match msg? {
        "invited" => "admin-msg-invited",
        "reset_sent" => "admin-msg-reset-sent",
        "deactivated" => "admin-msg-deactivated",
        "activated" => "admin-msg-activated",
        _ => return None,
    };
    let user = admin_views::user(app, &page.actor, user?).await.ok()?;
    Some(page.ctx.lang.text(key, &[("email", user.email), ("name", user.name)]))
}

pub async fn users(State(app): State<App>, page: AdminPage, Query(q): Query<UsersQuery>) -> Response {
    let mut view = UsersView::new(q.org.clone().unwrap_or_default());
    view.notice = user_notice(&app, &page, q.msg.as_deref(), q.user).await;
    view.notice_outbox = view.notice.is_some() && matches!(q.msg.as_deref(), Some("invited" | "reset_sent"));
    if !view.filter.is_empty() {
        view.form.organization = view.filter.clone();
    }
    users_page(&app, page, view).await
}

/// Where to go after an action on a user: back to the list as it was filtered.
fn back_to_users(msg: &str, user: Id, filter: &str) -> Redirect {
    let mut target = format!("/admin/users?msg={msg}&user={user}");
    if !filter.is_empty() {
        target.push_str("&org=");
        target.push_str(&encode_component(filter));
    }
    Redirect::to(&target)
}

/// Re-shows the invite form with the reason it was refused next to its field.
async fn invite_refused(app: &App, page: AdminPage, form: InviteForm, e: AppError) -> Response {
    // The organisation rule concerns the invited person's role, not the admin's: say so.
    let own_message = match &e {
        AppError::Invalid(f) if f.field == "organization" && f.code == FieldErrorCode::Required => {
            Some("admin-invite-org-required")
        }
        AppError::Invalid(f) if f.field == "organization" && f.code == FieldErrorCode::NotAllowed => {
            Some("admin-invite-org-not-allowed")
        }
        _ => None,
    };
    let errors = match own_message {
        Some(key) => {
            let mut errors = Errors::default();
            errors.push("organization", page.ctx.t(key));
            errors
        }
        None => match form_refusal(&page.ctx, e, &[]) {
            Refusal::Field(errors) => errors,
            Refusal::Page(response) => return response,
        },
    };
    let mut view = UsersView::new(String::new());
    view.form = form;
    view.errors = errors;
    users_page(app, page, view).await
}

pub async fn invite(State(app): State<App>, page: AdminPage, Form(form): Form<InviteForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let role = match Role::parse("role", &form.role) {
        Ok(role) => role,
        Err(e) => return invite_refused(&app, page, form, e.into()).await,
    };
    let input = NewUser {
        email: form.email.clone(),
        name: form.name.clone(),
        role,
        organization: Some(form.organization.clone()).filter(|o| !o.is_empty()),
        password: None,
        language: Some(form.language.clone()).filter(|l| !l.is_empty()),
    };
    let user = match directory::create_user(&app, &page.actor, input).await {
        Ok(user) => user,
        Err(e) => return invite_refused(&app, page, form, e).await,
    };
    let brand = app.settings.brand.name.clone();
    let inviter = page.actor.user.name.clone();
    let compose = move |user: &User, link: &str| {
        let lang = lang_of(user);
        ResetMail {
            subject: lang.text("admin-invite-mail-subject", &[("brand", brand.clone())]),
            body: lang.text(
                "admin-invite-mail-body",
                &[
                    ("name", user.name.clone()),
                    ("inviter", inviter),
                    ("brand", brand),
                    ("link", link.to_owned()),
                    ("hours", account::RESET_LINK_HOURS.to_string()),
                    ("email", user.email.clone()),
                ],
            ),
        }
    };
    if let Err(e) = account::request_password_reset(&app, &user.email, &app.settings.public_url, compose).await {
        return PageError::from_app(page.ctx, e).into_response();
    }
    back_to_users("invited", user.id, "").into_response()
}

#[derive(Deserialize, Default)]
pub struct RowForm {
    #[serde(default)]
    csrf_token: String,
    /// The organisation filter of the list the action came from.
    #[serde(default)]
    org: String,
}

async fn set_active(app: App, page: AdminPage, id: Id, form: RowForm, active: bool) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    match account::set_active(&app, &page.actor, id, active).await {
        Ok(()) => back_to_users(if active { "activated" } else { "deactivated" }, id, &form.org).into_response(),
        Err(AppError::Invalid(f)) if f.field == "user" => {
            let mut view = UsersView::new(form.org);
            view.alert = Some(page.ctx.t("admin-error-self-deactivate"));
            users_page(&app, page, view).await
        }
        Err(e) => PageError::from_app(page.ctx, e).into_response(),
    }
}

pub async fn deactivate(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<Id>,
    Form(form): Form<RowForm>,
) -> Response {
    set_active(app, page, id, form, false).await
}

pub async fn activate(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<Id>,
    Form(form): Form<RowForm>,
) -> Response {
    set_active(app, page, id, form, true).await
}

/// Sends the user the ordinary "reset your password" link.
pub async fn reset_password(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<Id>,
    Form(form): Form<RowForm>,
) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let user = match admin_views::user(&app, &page.actor, id).await {
        Ok(user) => user,
        Err(e) => return PageError::from_app(page.ctx, e).into_response(),
    };
    let compose = |user: &User, link: &str| {
        let lang = lang_of(user);
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
    if let Err(e) = account::request_password_reset(&app, &user.email, &app.settings.public_url, compose).await {
        return PageError::from_app(page.ctx, e).into_response();
    }
    back_to_users("reset_sent", id, &form.org).into_response()
}
