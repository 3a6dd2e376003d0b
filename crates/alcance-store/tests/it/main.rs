//! Store conformance suite: every behaviour the services rely on, proved on SQLite and on
//! PostgreSQL (each test runs once per backend, on a database of its own).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod attachments;
mod auth;
mod common;
mod concurrency;
mod durability;
mod jobs;
mod repos;
mod schema;
mod sla_checks;
mod suggestions;
mod tickets;
mod transactions;
