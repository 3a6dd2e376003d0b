//! The scope policy in force and the e-mail outbox.

use std::sync::Arc;

use alcance_app::{App, admin_views};
use alcance_domain::policy::{Localized, Policy, SlaClock, SlaSpan};
use alcance_domain::ticket::Priority;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::AdminPage;
use crate::i18n::Lang;
use crate::pages::{PageCtx, PageError, render};

/// One row of the SLA table.
struct SlaRow {
    priority: Priority,
    clock: String,
    first_response: String,
    update: String,
    resolution: String,
}

#[derive(Template)]
#[template(path = "admin/policy.html")]
struct PolicyPage {
    ctx: PageCtx,
    policy: Arc<Policy>,
    sla: Vec<SlaRow>,
    /// "8 covered and 4 not covered."
    counts: String,
}

impl PolicyPage {
    /// A policy text in the page language.
    fn text<'a>(&self, text: &'a Localized) -> &'a str {
        text.get(self.ctx.lang_code())
    }
}

/// "30 min", "8 h", "2 días hábiles": a span as people read it.
fn span(lang: Lang, clock: SlaClock, span: SlaSpan) -> String {
    let (key, n) = match (span, clock) {
        (SlaSpan::Minutes(n), _) => ("admin-span-minutes", n),
        (SlaSpan::Hours(n), _) => ("admin-span-hours", n),
        (SlaSpan::Days(1), SlaClock::Business) => ("admin-span-business-day", 1),
        (SlaSpan::Days(n), SlaClock::Business) => ("admin-span-business-days", n),
        (SlaSpan::Days(1), SlaClock::Calendar) => ("admin-span-day", 1),
        (SlaSpan::Days(n), SlaClock::Calendar) => ("admin-span-days", n),
    };
    lang.text(key, &[("n", n.to_string())])
}

pub async fn policy(State(app): State<App>, page: AdminPage) -> Response {
    let AdminPage { ctx, actor } = page;
    let policy = match admin_views::default_policy(&app, &actor).await {
        Ok(policy) => policy,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let sla = [Priority::Critical, Priority::High, Priority::Normal, Priority::Low]
        .into_iter()
        .map(|priority| {
            let target = policy.sla.for_priority(priority);
            let clock = match target.clock {
                SlaClock::Calendar => ctx.t("admin-sla-clock-calendar"),
                SlaClock::Business => ctx.t("admin-sla-clock-business"),
            };
            SlaRow {
                priority,
                clock,
                first_response: span(ctx.lang, target.clock, target.first_response),
                update: span(ctx.lang, target.clock, target.update),
                resolution: span(ctx.lang, target.clock, target.resolution),
            }
        })
        .collect();
    let covered = policy.categories.iter().filter(|c| c.coverage == alcance_domain::ticket::Coverage::Covered).count();
    let not_covered = policy.categories.len() - covered;
    let counts = ctx
        .lang
        .text("admin-policy-counts", &[("covered", covered.to_string()), ("not_covered", not_covered.to_string())]);
    render(&PolicyPage { ctx, policy, sla, counts })
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    ctx: PageCtx,
    messages: Vec<admin_views::OutboxMessage>,
}

pub async fn outbox(State(app): State<App>, page: AdminPage) -> Response {
    let AdminPage { ctx, actor } = page;
    match admin_views::outbox(&app, &actor).await {
        Ok(messages) => render(&OutboxPage { ctx, messages }),
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(Lang::Es, SlaClock::Business, SlaSpan::Days(2)), "2 días hábiles");
        assert_eq!(span(Lang::En, SlaClock::Calendar, SlaSpan::Days(1)), "1 day");
        assert_eq!(span(Lang::Es, SlaClock::Calendar, SlaSpan::Minutes(30)), "30 min");
    }
}
