//! Repositories: one module per table, each function one statement or a short sequence,
//! written once for both backends against [`Conn`](crate::Conn).

pub mod assets;
pub mod attachments;
pub mod closures;
pub mod comments;
pub mod contracts;
pub mod events;
pub mod hours;
pub mod inbound;
pub mod incidents;
pub mod jobs;
pub mod monitors;
pub mod organizations;
pub mod policies;
pub mod quotes;
pub mod sessions;
pub mod sla;
pub mod suggestions;
pub mod tickets;
pub mod tokens;
pub mod triage_models;
pub mod users;
pub mod web;

use crate::StoreError;

/// Reads a stable enum name back into its domain type.
pub(crate) fn parse_enum<T>(
    parse: fn(&str, &str) -> Result<T, alcance_domain::FieldError>,
    column: &str,
    value: String,
) -> Result<T, StoreError> {
    parse(column, &value).map_err(|e| StoreError::Decode(e.to_string()))
}
