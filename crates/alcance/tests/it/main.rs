//! Tests of the `alcance` binary itself: the real executable, started and killed as an
//! operator would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod durability;
mod imap;
mod mail;
mod monitors;
mod support;
mod triage;
mod two_servers;
