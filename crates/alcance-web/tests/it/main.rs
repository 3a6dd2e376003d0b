//! API integration suite: the real server on port 0, one fresh database per test, every
//! test run on SQLite and on PostgreSQL (`sqlite::name` and `postgres::name`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod attachments;
mod browser;
mod closures;
mod comments;
mod errors;
mod hours_api;
mod learning;
mod ledger_jobs;
mod lifecycle;
mod listing;
mod mail_in;
mod mail_out;
mod matrix;
mod monitor_pages;
mod monitoring_api;
mod not_covered;
mod openapi;
mod pages_admin;
mod pages_agent;
mod pages_portal;
mod quotes_api;
mod scope;
mod session;
mod sla;
mod suggestions;
mod support;
mod tickets;
mod tokens;
