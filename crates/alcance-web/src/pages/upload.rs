//! Reading multipart forms (text fields and attachments) within the upload limits: the
//! portal's request and reply forms and the agent's reply form.

use std::collections::HashMap;

use alcance_app::App;
use alcance_app::tickets::NewUpload;
use axum::extract::Multipart;
use axum::extract::multipart::Field;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::i18n::Lang;
use crate::pages::{PageCtx, PageError, check_csrf};

/// A text field (subject, description, reply) is never longer than this.
const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// How much one form may carry.
#[derive(Clone, Copy)]
pub struct Limits {
    /// Files kept from one form; any more are reported.
    pub max_files: usize,
    /// Bytes of one file (the attachment limit).
    pub per_file: usize,
    /// Bytes of the whole form; reading stops past it.
    pub total: usize,
}

impl Limits {
    /// Up to `max_files` files of the attachment limit each, and together at most
    /// `full_size` files' worth of it (plus the text).
    pub fn new(app: &App, max_files: usize, full_size: usize) -> Self {
        let per_file = app.settings.max_attachment_bytes;
        let total = per_file.saturating_mul(full_size).saturating_add(MAX_TEXT_BYTES);
        Limits { max_files, per_file, total }
    }
}

/// What a multipart form carried, once its CSRF token was checked.
#[derive(Default)]
pub struct Submitted {
    fields: HashMap<String, String>,
    /// The files kept, not internal (the caller decides).
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
pub fn bad_form(ctx: PageCtx) -> Response {
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
async fn read_file(field: &mut Field<'_>, limits: Limits, total: &mut usize) -> Result<FilePart, ()> {
    let mut content = Vec::new();
    let mut too_big = false;
    while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
        *total += chunk.len();
        if *total > limits.total {
            return Ok(FilePart::OverTotal);
        }
        if too_big || content.len() + chunk.len() > limits.per_file {
            too_big = true;
            content = Vec::new();
        } else {
            content.extend_from_slice(&chunk);
        }
    }
    Ok(if too_big { FilePart::TooBig } else { FilePart::Read(content) })
}

/// Reads one text part, refusing absurd sizes.
async fn read_text(field: &mut Field<'_>, total: &mut usize) -> Result<String, ()> {
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
/// so the rest of the form (and the person's text) survives. Nothing is stored here.
pub async fn read(ctx: &PageCtx, mut multipart: Multipart, limits: Limits) -> Result<Submitted, Response> {
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
        let content = match read_file(&mut field, limits, &mut total).await {
            Err(()) => return Err(bad_form(ctx.clone())),
            Ok(FilePart::OverTotal) => {
                out.file_errors.push(ctx.t1("upload-files-total", "limit", size_limit(ctx.lang, limits.total)));
                break;
            }
            Ok(FilePart::TooBig) => {
                let args = [("name", file_name), ("limit", size_limit(ctx.lang, limits.per_file))];
                out.file_errors.push(ctx.lang.text("upload-file-too-big", &args));
                continue;
            }
            Ok(FilePart::Read(content)) => content,
        };
        if file_name.is_empty() && content.is_empty() {
            // A file input left empty still sends a part without a name or content.
        } else if content.is_empty() {
            out.file_errors.push(ctx.t1("upload-file-empty", "name", &file_name));
        } else if alcance_domain::validate::file_name("file", &file_name).is_err() {
            out.file_errors.push(ctx.t1("upload-file-bad-name", "name", &file_name));
        } else if out.files.len() >= limits.max_files {
            out.file_errors.push(ctx.t1("upload-too-many-files", "max", limits.max_files));
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

/// The attachment limit in plain words: "20 MB", "64 KB".
pub fn size_limit(lang: Lang, bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) && bytes < MIB {
        format!("{} KB", bytes / KIB)
    } else {
        crate::view::bytes(lang, i64::try_from(bytes).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_limits_read_plainly() {
        assert_eq!(size_limit(Lang::Es, 20 * 1024 * 1024), "20 MB");
        assert_eq!(size_limit(Lang::Es, 64 * 1024), "64 KB");
        assert_eq!(size_limit(Lang::Es, 1536 * 1024), "1,5 MB");
    }
}
