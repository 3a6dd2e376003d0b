use alcance_domain::ticket::{Status, TransitionError};
use alcance_domain::{FieldError, FieldErrorCode};
use alcance_store::StoreError;
use thiserror::Error;

/// Why a use case refused or failed. Every variant but `Internal` is the caller's to fix.
#[derive(Debug, Error)]
pub enum AppError {
    #[error("invalid input: {0}")]
    Invalid(FieldError),
    /// Hidden or absent: a client contact asking for another organisation's data gets this,
    /// exactly as if it did not exist.
    #[error("not found")]
    NotFound,
    #[error("not allowed for this role")]
    Forbidden,
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("cannot go from {from} to {to}")]
    Transition { from: Status, to: Status, why: TransitionError },
    #[error("the ticket is closed")]
    TicketClosed,
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn field(field: &str, code: FieldErrorCode) -> Self {
        AppError::Invalid(FieldError::new(field, code))
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Maps a unique-constraint refusal to "already exists" on `field`; other errors pass on.
pub(crate) fn conflict_on(field: &'static str) -> impl Fn(StoreError) -> AppError {
    move |e| match e {
        StoreError::Conflict(_) => AppError::field(field, FieldErrorCode::AlreadyExists),
        other => other.into(),
    }
}
