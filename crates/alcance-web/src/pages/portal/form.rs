//! The portal's multipart forms (text fields and attachments, read within the upload
//! limits by [`crate::pages::upload`]), and the Markdown preview.

use std::collections::HashMap;

use alcance_app::App;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::pages::upload::{self, Limits, Submitted, bad_form};
use crate::pages::{PageCtx, SignedIn, check_csrf, render};

/// At most this many files in one form.
pub const MAX_FILES: usize = 10;

/// Reads a portal form: up to [`MAX_FILES`] files, half of them at full size together.
pub async fn read(app: &App, ctx: &PageCtx, multipart: Multipart) -> Result<Submitted, Response> {
    upload::read(ctx, multipart, Limits::new(app, MAX_FILES, MAX_FILES / 2)).await
}

#[derive(Template)]
#[template(path = "portal/preview.html")]
pub struct Preview {
    pub ctx: PageCtx,
    pub html: String,
}

/// The Markdown preview (htmx): the sanitized HTML of `body`, as a fragment. Accepts the
/// form either URL-encoded or as multipart.
pub async fn preview(State(app): State<App>, page: SignedIn, request: Request) -> Response {
    let ctx = page.ctx;
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let body = if is_multipart {
        let Ok(multipart) = Multipart::from_request(request, &app).await else { return bad_form(ctx) };
        match read(&app, &ctx, multipart).await {
            Ok(form) => form.text("body"),
            Err(response) => return response,
        }
    } else {
        let Ok(axum::Form(fields)) = axum::Form::<HashMap<String, String>>::from_request(request, &app).await else {
            return bad_form(ctx);
        };
        if let Err(e) = check_csrf(&ctx, fields.get("csrf_token").map_or("", String::as_str)) {
            return e.into_response();
        }
        fields.get("body").cloned().unwrap_or_default()
    };
    let html = ctx.markdown(&body);
    render(&Preview { ctx, html })
}
