//! GET /admin/jobs: background jobs that used all their attempts ("dead"), with their last
//! error, and a button to queue each again.

use alcance_app::jobs::Job;
use alcance_app::{App, jobs};
use alcance_domain::model::Id;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AdminPage;
use crate::pages::{PageCtx, PageError, check_csrf, render};

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    ctx: PageCtx,
    jobs: Vec<Job>,
    retried: bool,
}

#[derive(Deserialize)]
pub struct JobsQuery {
    #[serde(default)]
    msg: String,
}

pub async fn list(
    State(app): State<App>,
    page: AdminPage,
    axum::extract::Query(query): axum::extract::Query<JobsQuery>,
) -> Response {
    let AdminPage { ctx, actor } = page;
    match jobs::dead(&app, &actor).await {
        Ok(jobs) => render(&JobsPage { ctx, jobs, retried: query.msg == "retried" }),
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct RetryForm {
    #[serde(default)]
    csrf_token: String,
}

pub async fn retry(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<Id>,
    Form(form): Form<RetryForm>,
) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    match jobs::retry(&app, &page.actor, id).await {
        Ok(()) => Redirect::to("/admin/jobs?msg=retried").into_response(),
        Err(e) => PageError::from_app(page.ctx, e).into_response(),
    }
}
