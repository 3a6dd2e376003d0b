//! Pure rules of Alcance. Nothing here does I/O, reads a clock or knows about SQL or HTTP:
//! callers hand in the time and the data, and get decisions back.

pub mod alerts;
pub mod calendar;
pub mod field;
pub mod hours;
pub mod model;
pub mod money;
pub mod monitor;
pub mod policy;
pub mod quote;
pub mod role;
pub mod sla;
mod string_enum;
pub mod ticket;
pub mod validate;

pub use field::{FieldError, FieldErrorCode};
pub use role::Role;
