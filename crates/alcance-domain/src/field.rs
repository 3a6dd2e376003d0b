//! A rejected input value, named by field, with a stable code that the interface translates.

use std::fmt;

/// Why a field was refused. The snake_case name is a stable code: Fluent files translate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldErrorCode {
    Required,
    TooLong,
    TooShort,
    Invalid,
    UnknownValue,
    NotFound,
    AlreadyExists,
    NotAllowed,
    /// Not enough prepaid hours: the detail is the available balance.
    InsufficientBalance,
    /// A date or number outside what is accepted here (the detail says what is).
    OutOfRange,
}

impl FieldErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong => "too_long",
            Self::TooShort => "too_short",
            Self::Invalid => "invalid",
            Self::UnknownValue => "unknown_value",
            Self::NotFound => "not_found",
            Self::AlreadyExists => "already_exists",
            Self::NotAllowed => "not_allowed",
            Self::InsufficientBalance => "insufficient_balance",
            Self::OutOfRange => "out_of_range",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: FieldErrorCode,
    /// A limit or allowed values, for the translated message (e.g. "200" for too_long).
    pub detail: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldErrorCode) -> Self {
        Self { field: field.into(), code, detail: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.code.as_str())?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldError {}
