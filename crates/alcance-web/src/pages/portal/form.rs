//! Reading the portal's multipart forms (text fields and attachments) within the upload
//! limits, and the Markdown preview.

use std::collections::HashMap;

use alcance_app::App;
use alcance_app::tickets::NewUpload;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::size_limit;
use crate::pages::{PageCtx, PageError, SignedIn, check_csrf, render};

/// At most this many files in one form.
pub const MAX_FILES: usize = 10;
/// A text field (subject, description, reply) is never longer than this.
const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// What a multipart form carried, once its CSRF token was checked.
#[derive(Default)]
pub struct Submitted {
    fields: HashMap<String, String>,
    pub files: Vec<NewUpload>,
    /// Problems with the attachments, already translated (shown next to the file picker).
    pub file_errors: Vec<String>,
}

impl Submitted {
    pub fn text(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.fields.get(name).is_some_and(|v| !v.is_empty())
    }
}

/// The answer for a body that is not a readable form.
/// Shown as the "form expired, reload and try again" page.
fn bad_form(ctx: PageCtx) -> Response {
    let mut response = PageError::Csrf(ctx).into_response();
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}

/// How reading one file part ended.
enum FilePart {
    Read(Vec<u8>),
    /// Larger than the per-file limit: read past, not kept.
    TooBig,
    /// The form as a whole went over its limit: reading stops here.
    OverTotal,
}

/// Reads one file part chunk by chunk, holding it to the limits.
async fn read_file(
    field: &mut axum::extract::multipart::Field<'_>,
    per_file: usize,
    total: &mut usize,
    total_cap: usize,
) -> Result<FilePart, ()> {
    let mut content = Vec::new();
    let mut too_big = false;
    while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
        *total += chunk.len();
        if *total > total_cap {
            return Ok(FilePart::OverTotal);
        }
        if too_big || content.len() + chunk.len() > per_file {
            too_big = true;
            content = Vec::new();
        } else {
            content.extend_from_slice(&chunk);
        }
    }
    Ok(if too_big { FilePart::TooBig } else { FilePart::Read(content) })
}

/// Reads one text part, refusing absurd sizes.
async fn read_text(field: &mut axum::extract::multipart::Field<'_>, total: &mut usize) -> Result<String, ()> {
    let mut value = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
        if value.len() + chunk.len() > MAX_TEXT_BYTES {
            return Err(());
        }
        *total += chunk.len();
        value.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&value).into_owned())
}

/// Reads every field. The CSRF token (the form's first field) is checked as soon as it
/// arrives, and again at the end if it never came: nothing is kept for a forged form.
/// Each file is held to the attachment limit; a file over it is read past and reported,
/// so the rest of the form (and the person's text) survives.
pub async fn read(app: &App, ctx: &PageCtx, mut multipart: Multipart) -> Result<Submitted, Response> {
    let per_file = app.settings.max_attachment_bytes;
    let total_cap = per_file.saturating_mul(MAX_FILES / 2).saturating_add(MAX_TEXT_BYTES);
    let mut total = 0usize;
    let mut csrf_seen = false;
    let mut out = Submitted::default();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err(bad_form(ctx.clone())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let Some(file_name) = field.file_name().map(str::to_owned) else {
            let Ok(value) = read_text(&mut field, &mut total).await else { return Err(bad_form(ctx.clone())) };
            if name == "csrf_token" {
                check_csrf(ctx, &value).map_err(IntoResponse::into_response)?;
                csrf_seen = true;
            } else {
                out.fields.insert(name, value);
            }
            continue;
        };
        let content = match read_file(&mut field, per_file, &mut total, total_cap).await {
            Err(()) => return Err(bad_form(ctx.clone())),
            Ok(FilePart::OverTotal) => {
                out.file_errors.push(ctx.t1("portal-files-total", "limit", size_limit(ctx.lang, total_cap)));
                break;
            }
            Ok(FilePart::TooBig) => {
                let args = [("name", file_name), ("limit", size_limit(ctx.lang, per_file))];
                out.file_errors.push(ctx.lang.text("portal-file-too-big", &args));
                continue;
            }
            Ok(FilePart::Read(content)) => content,
        };
        if file_name.is_empty() && content.is_empty() {
            // A file input left empty still sends a part without a name or content.
        } else if content.is_empty() {
            out.file_errors.push(ctx.t1("portal-file-empty", "name", &file_name));
        } else if alcance_domain::validate::file_name("file", &file_name).is_err() {
            out.file_errors.push(ctx.t1("portal-file-bad-name", "name", &file_name));
        } else if out.files.len() >= MAX_FILES {
            out.file_errors.push(ctx.t1("portal-files-too-many", "max", MAX_FILES));
        } else {
            let declared = field.content_type().unwrap_or_default().to_owned();
            let content_type = if plausible_type(&declared) { declared } else { "application/octet-stream".into() };
            out.files.push(NewUpload { file_name, content_type, internal: false, content });
        }
    }
    if csrf_seen { Ok(out) } else { Err(PageError::Csrf(ctx.clone()).into_response()) }
}

/// The attach use case refuses odd content types; an odd one is stored as plain bytes.
fn plausible_type(value: &str) -> bool {
    value.len() <= 127 && value.contains('/') && value.chars().all(|c| c.is_ascii_graphic() || c == ' ')
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
