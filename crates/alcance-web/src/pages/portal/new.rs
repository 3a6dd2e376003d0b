//! GET /portal/new and POST /portal/tickets: a new request, with attachments.

use alcance_app::tickets::{self, OpenTicket};
use alcance_app::{App, AppError, portal_views};
use alcance_domain::model::Asset;
use alcance_domain::ticket::{Channel, Priority};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::form;
use super::staff_elsewhere;
use crate::pages::upload::{Submitted, size_limit};
use crate::pages::{FormError, PageCtx, PageError, SignedIn, error_for, render};

#[derive(Template)]
#[template(path = "portal/new.html")]
struct NewPage {
    ctx: PageCtx,
    assets: Vec<Asset>,
    priorities: &'static [Priority],
    subject: String,
    body: String,
    asset_id: String,
    priority: String,
    errors: Vec<FormError>,
    file_errors: Vec<String>,
    /// Files were chosen but could not be kept while the form is shown again.
    files_dropped: bool,
    /// The no-JavaScript preview of the description.
    preview: Option<String>,
    limit: String,
}

impl NewPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    fn priority_hint(&self, priority: &Priority) -> String {
        self.ctx.t(&format!("portal-priority-hint-{}", priority.as_str()))
    }

    fn asset_selected(&self, asset: &Asset) -> bool {
        self.asset_id == asset.id.to_string()
    }
}

async fn form_page(app: &App, page: &SignedIn) -> Result<NewPage, PageError> {
    let assets = portal_views::assets(app, &page.actor).await.map_err(|e| PageError::from_app(page.ctx.clone(), e))?;
    Ok(NewPage {
        ctx: page.ctx.clone(),
        assets,
        priorities: Priority::ALL,
        subject: String::new(),
        body: String::new(),
        asset_id: String::new(),
        priority: Priority::Normal.as_str().to_owned(),
        errors: Vec::new(),
        file_errors: Vec::new(),
        files_dropped: false,
        preview: None,
        limit: size_limit(page.ctx.lang, app.settings.max_attachment_bytes),
    })
}

pub async fn page(State(app): State<App>, page: SignedIn) -> Response {
    if let Some(to_agent) = staff_elsewhere(&page) {
        return to_agent;
    }
    match form_page(&app, &page).await {
        Ok(form) => render(&form),
        Err(e) => e.into_response(),
    }
}

/// Shows the form again with what the person wrote and why it was not sent.
fn again(mut form: NewPage, submitted: &Submitted, status: StatusCode) -> Response {
    form.subject = submitted.text("subject");
    form.body = submitted.text("body");
    form.asset_id = submitted.text("asset_id");
    if submitted.has("priority") {
        form.priority = submitted.text("priority");
    }
    form.files_dropped = !submitted.files.is_empty();
    form.file_errors.extend(submitted.file_errors.iter().cloned());
    (status, render(&form)).into_response()
}

pub async fn create(State(app): State<App>, page: SignedIn, multipart: Multipart) -> Response {
    if let Some(to_agent) = staff_elsewhere(&page) {
        return to_agent;
    }
    let submitted = match form::read(&app, &page.ctx, multipart).await {
        Ok(submitted) => submitted,
        Err(response) => return response,
    };
    let mut form = match form_page(&app, &page).await {
        Ok(form) => form,
        Err(e) => return e.into_response(),
    };
    let ctx = page.ctx.clone();

    // "Vista previa" without JavaScript: show the form again with the rendered text.
    if submitted.has("preview") {
        form.preview = Some(ctx.markdown(&submitted.text("body")));
        return again(form, &submitted, StatusCode::OK);
    }

    let priority = match submitted.text("priority").as_str() {
        "" => None,
        value => match Priority::parse("priority", value) {
            Ok(p) => Some(p),
            Err(e) => {
                form.errors.extend(FormError::from_app(&ctx, &AppError::Invalid(e)));
                return again(form, &submitted, StatusCode::UNPROCESSABLE_ENTITY);
            }
        },
    };
    let asset_id = match submitted.text("asset_id").as_str() {
        "" => None,
        value => match value.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                form.errors.push(FormError { field: "asset_id".into(), message: ctx.t("portal-asset-invalid") });
                return again(form, &submitted, StatusCode::UNPROCESSABLE_ENTITY);
            }
        },
    };
    // Attachments are checked before the request is opened, so a refused file never
    // leaves a request without the file the person meant to send.
    if !submitted.file_errors.is_empty() {
        return again(form, &submitted, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let input = OpenTicket {
        subject: submitted.text("subject"),
        body: submitted.text("body"),
        organization: None,
        requester: None,
        asset_id,
        priority,
    };
    let ticket = match tickets::open(&app, &page.actor, input, Channel::Portal).await {
        Ok(ticket) => ticket,
        Err(e) => match FormError::from_app(&ctx, &e) {
            Some(error) => {
                form.errors.push(error);
                return again(form, &submitted, StatusCode::UNPROCESSABLE_ENTITY);
            }
            None => return PageError::from_app(ctx, e).into_response(),
        },
    };
    let mut all_stored = true;
    for upload in submitted.files {
        if let Err(e) = tickets::attach(&app, &page.actor, ticket.number, upload).await {
            tracing::warn!(error = %e, ticket = ticket.number, "portal attachment refused after opening");
            all_stored = false;
        }
    }
    let msg = if all_stored { "created" } else { "created_files_failed" };
    Redirect::to(&format!("/portal/tickets/{}?msg={msg}", ticket.number)).into_response()
}
