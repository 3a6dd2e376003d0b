//! The one integration-test binary of alcance-mail: the corpus (`tests/corpus/`), intake
//! rules on messages built in the tests, and never-panic property tests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod corpus;
mod robustness;
mod rules;
