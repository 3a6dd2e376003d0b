//! The agent console (/agent): the queue with saved views, filters, sorting and pages, and
//! the ticket page with its whole timeline, the requester's organisation, contract and asset
//! at a glance, the actions (classify, assign, status, priority, reply or note, attach) and
//! a hint when another agent has the same ticket open. Staff only: a client contact gets
//! "not found", as for anything they may not see.

mod actions;
mod business_report;
mod queue;
mod ticket;
mod timeline;
mod triage_report;

use alcance_app::{Actor, App};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::Response;
use axum::routing::{get, post};

use super::{PageCtx, SignedIn};

pub fn router() -> Router<App> {
    Router::new()
        .route("/agent", get(queue::page))
        .route("/agent/triage", get(triage_report::page))
        .route("/agent/reports", get(business_report::page))
        .route("/agent/tickets/{number}", get(ticket::page))
        .route("/agent/tickets/{number}/viewers", get(actions::viewers))
        .route("/agent/tickets/{number}/classify", post(actions::classify))
        .route("/agent/tickets/{number}/accept-suggestion", post(actions::accept_suggestion))
        .route("/agent/tickets/{number}/assign", post(actions::assign))
        .route("/agent/tickets/{number}/status", post(actions::status))
        .route("/agent/tickets/{number}/priority", post(actions::priority))
        // The reply form carries files: the handler enforces the attachment limit itself,
        // file by file, instead of the small default limit for forms.
        .route("/agent/tickets/{number}/comment", post(actions::comment).layer(DefaultBodyLimit::disable()))
}

/// The signed-in staff member; anyone else is told the page does not exist.
fn staff_only(page: SignedIn) -> Result<(PageCtx, Actor), Response> {
    page.staff()
}

/// A value from a form or query: trimmed, and absent when empty.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// A choice in a select: its value, its label, and whether it is the selected one.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(current: &str, items: impl IntoIterator<Item = (String, String)>) -> Vec<Choice> {
    items.into_iter().map(|(value, label)| Choice { selected: value == current, value, label }).collect()
}
