//! Errors as RFC 9457 problem+json. Handlers and extractors return a [`Problem`] that
//! names a stable `type` code and, for bad input, the field; the [`localize`] middleware
//! then writes the title and detail in the caller's language.

use alcance_app::AppError;
use alcance_domain::FieldError;
use alcance_domain::ticket::TransitionError;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Lang;

#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    /// Stable snake_case code; also the last segment of `type`.
    pub code: &'static str,
    pub field: Option<FieldProblem>,
    /// Arguments for the detail text (e.g. `from`, `to`, `detail`).
    pub args: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone)]
pub struct FieldProblem {
    pub name: String,
    /// Stable code of what is wrong with it (required, too_long, unknown_value...).
    pub code: &'static str,
    pub detail: Option<String>,
}

/// The JSON body of an error response.
#[derive(Serialize, ToSchema)]
pub struct ProblemBody {
    /// A URI reference naming the problem type, e.g. `/problems/invalid_field`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The same code as the last segment of `type`.
    pub code: String,
    /// The offending input field, for `invalid_field`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong with the field (required, too_long, unknown_value...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_code: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        Self { status, code, field: None, args: Vec::new() }
    }

    pub fn with_arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn field(name: impl Into<String>, code: &'static str, detail: Option<String>) -> Self {
        let mut p = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        p.field = Some(FieldProblem { name: name.into(), code, detail });
        p
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }

    pub fn body(&self, lang: Lang) -> ProblemBody {
        let detail = match &self.field {
            Some(f) => lang.text(
                &format!("field-{}", f.code),
                &[("field", f.name.clone()), ("detail", f.detail.clone().unwrap_or_default())],
            ),
            None => lang.text(&format!("detail-{}", self.code), &self.args),
        };
        ProblemBody {
            type_uri: format!("/problems/{}", self.code),
            title: lang.text(&format!("problem-{}", self.code), &[]),
            status: self.status.as_u16(),
            detail,
            code: self.code.to_owned(),
            field: self.field.as_ref().map(|f| f.name.clone()),
            field_code: self.field.as_ref().map(|f| f.code.to_owned()),
        }
    }

    fn render(&self, lang: Lang) -> Response {
        let body = serde_json::to_vec(&self.body(lang)).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl IntoResponse for Problem {
    /// The body is written later by [`localize`], which knows the caller's language.
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<FieldError> for Problem {
    fn from(e: FieldError) -> Self {
        Problem::field(e.field, e.code.as_str(), e.detail)
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(field) => field.into(),
            AppError::NotFound => Problem::not_found(),
            AppError::Forbidden => Problem::new(StatusCode::FORBIDDEN, "forbidden"),
            AppError::Unauthenticated => Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated"),
            AppError::BadCredentials => Problem::new(StatusCode::UNAUTHORIZED, "bad_credentials"),
            AppError::Transition { why: TransitionError::ReasonRequired, .. } => {
                Problem::field("reason", "required", None)
            }
            AppError::Transition { why: TransitionError::Forbidden, .. } => {
                Problem::new(StatusCode::FORBIDDEN, "forbidden")
            }
            AppError::Transition { from, to, .. } => Problem::new(StatusCode::CONFLICT, "invalid_transition")
                .with_arg("from", from.as_str())
                .with_arg("to", to.as_str()),
            AppError::TicketClosed => Problem::new(StatusCode::CONFLICT, "ticket_closed"),
            AppError::Internal(message) => {
                tracing::error!(%message, "internal error");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}

/// Writes every problem response in the caller's language, and turns the bare 404/405
/// answers of the router into problems too.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = Lang::negotiate(request.headers());
    let mut response = next.run(request).await;
    if let Some(problem) = response.extensions_mut().remove::<Problem>() {
        return problem.render(lang);
    }
    let bare = response.headers().get(header::CONTENT_TYPE).is_none();
    match response.status() {
        StatusCode::METHOD_NOT_ALLOWED if bare => {
            Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").render(lang)
        }
        StatusCode::NOT_FOUND if bare => Problem::not_found().render(lang),
        _ => response,
    }
}
