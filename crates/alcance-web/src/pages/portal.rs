//! The client portal (/portal): a contact's requests, a new request with attachments, one
//! request with its public timeline, and the organisation's support scope. Agency staff who
//! land here are sent to their console.

mod form;
mod list;
mod new;
mod request;
mod scope;

use alcance_app::App;
use alcance_domain::model::Organization;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{PageCtx, SignedIn};
use crate::i18n::Lang;

pub fn router() -> Router<App> {
    Router::new()
        .route("/portal", get(list::page))
        .route("/portal/new", get(new::page))
        // Uploads are bounded by the handlers (per file and per form), not by the JSON limit.
        .route("/portal/tickets", post(new::create).layer(DefaultBodyLimit::disable()))
        .route("/portal/preview", post(form::preview))
        .route("/portal/tickets/{number}", get(request::page))
        .route("/portal/tickets/{number}/reply", post(request::reply).layer(DefaultBodyLimit::disable()))
        .route("/portal/tickets/{number}/close", post(request::close))
        .route("/portal/tickets/{number}/reopen", post(request::reopen))
        .route("/portal/tickets/{number}/decision", post(request::decide))
        .route("/portal/alcance", get(scope::page))
}

/// The portal is for client contacts; staff are sent to the agent console.
fn staff_elsewhere(page: &SignedIn) -> Option<Response> {
    page.actor.is_staff().then(|| Redirect::to("/agent").into_response())
}

/// Dates and times as the organisation reads them.
#[derive(Clone, Copy)]
struct Clock {
    lang: Lang,
    tz: Tz,
    now: DateTime<Utc>,
}

/// A moment shown as "hace 3 h" with the full date in a tooltip and `datetime` attribute.
#[derive(Clone)]
struct Moment {
    iso: String,
    when: String,
    ago: String,
}

impl Clock {
    fn new(ctx: &PageCtx, org: &Organization) -> Self {
        Self { lang: ctx.lang, tz: crate::view::zone(&org.time_zone), now: ctx.now }
    }

    fn moment(&self, at: DateTime<Utc>) -> Moment {
        Moment {
            iso: crate::view::iso(at),
            when: crate::view::datetime(self.lang, self.tz, at),
            ago: crate::view::ago(self.lang, self.now, at),
        }
    }
}
