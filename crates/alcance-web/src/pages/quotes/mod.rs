//! Pages for quotes: drafting and sending from the agent's ticket page, accepting or
//! rejecting in the portal, and the PDF for both. The agent's quote panel and the portal's
//! quote card are built here and shown by the ticket and request pages.

mod agent;
mod form;
mod portal;

use alcance_app::App;
use alcance_app::quotes::Quote;
use alcance_domain::money::{self, Currency};
use alcance_domain::quote::{LinePricing, QuoteStatus};
use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;

use crate::pages::PageCtx;

pub use portal::{PortalQuote, portal_quote};

pub fn router() -> Router<App> {
    Router::new()
        .route("/agent/tickets/{number}/quotes/new", get(agent::new_page))
        .route("/agent/tickets/{number}/quotes", post(agent::create))
        .route("/agent/quotes/{number}", get(agent::page).post(agent::update))
        .route("/agent/quotes/{number}/send", post(agent::send))
        .route("/agent/quotes/{number}/withdraw", post(agent::withdraw))
        .route("/agent/quotes/{number}/pdf", get(agent::pdf))
        .route("/portal/quotes/{number}", get(portal::pdf))
        .route("/portal/quotes/{number}/accept", post(portal::accept))
        .route("/portal/quotes/{number}/reject", post(portal::reject))
}

/// One line as the card shows it.
pub struct LineView {
    pub description: String,
    /// "2,5 h", or "Valor fijo".
    pub quantity: String,
    /// The rate per hour, empty for a fixed amount.
    pub rate: String,
    pub amount: String,
}

/// A quote in words and Colombian money, for the agent's page, the panel and the portal.
pub struct QuoteCard {
    pub number: String,
    pub ticket_number: i64,
    /// "draft", "sent"… for the badge's class.
    pub status: &'static str,
    pub status_label: String,
    pub title: String,
    pub notes: String,
    pub lines: Vec<LineView>,
    pub subtotal: String,
    /// "IVA (19 %)".
    pub tax_label: String,
    pub tax: String,
    pub total: String,
    pub valid_until: String,
    pub hours: String,
    pub pay_with_hours: bool,
    pub decision_note: Option<String>,
    pub is_draft: bool,
    pub is_sent: bool,
    pub is_accepted: bool,
}

/// 1900 basis points -> "19"; 1950 -> "19,5" (Spanish) or "19.5".
pub(crate) fn percent(lang: &str, basis_points: i64) -> String {
    let whole = basis_points / 100;
    let rest = basis_points % 100;
    if rest == 0 {
        whole.to_string()
    } else {
        let decimals = format!("{rest:02}").trim_end_matches('0').to_owned();
        format!("{whole}{}{decimals}", if lang == "en" { '.' } else { ',' })
    }
}

/// A day as people write it: 31/12/2026 (Spanish) or 12/31/2026.
pub(crate) fn day(lang: &str, d: NaiveDate) -> String {
    if lang == "en" { d.format("%m/%d/%Y").to_string() } else { d.format("%d/%m/%Y").to_string() }
}

pub(crate) fn status_label(ctx: &PageCtx, status: QuoteStatus) -> String {
    ctx.t(&format!("quote-status-{}", status.as_str()))
}

impl QuoteCard {
    pub fn new(ctx: &PageCtx, q: &Quote) -> Self {
        let lang = ctx.lang_code();
        let currency = Currency::from_code("currency", &q.currency).unwrap_or(Currency::Cop);
        let fmt = |minor: i64| money::format_money(minor, currency, lang);
        let lines = q
            .lines
            .iter()
            .map(|l| match l.pricing {
                LinePricing::Hours { minutes, rate_minor } => LineView {
                    description: l.description.clone(),
                    quantity: money::format_hours(minutes, lang),
                    rate: fmt(rate_minor),
                    amount: fmt(l.amount_minor),
                },
                LinePricing::Fixed { .. } => LineView {
                    description: l.description.clone(),
                    quantity: ctx.t("quote-line-fixed"),
                    rate: String::new(),
                    amount: fmt(l.amount_minor),
                },
            })
            .collect();
        QuoteCard {
            number: q.number.clone(),
            ticket_number: q.ticket_number,
            status: q.status.as_str(),
            status_label: status_label(ctx, q.status),
            title: q.title.clone(),
            notes: q.notes.clone(),
            lines,
            subtotal: fmt(q.subtotal_minor),
            tax_label: ctx.t1("quote-tax", "rate", percent(lang, q.tax_rate_basis_points)),
            tax: fmt(q.tax_minor),
            total: fmt(q.total_minor),
            valid_until: day(lang, q.valid_until),
            hours: money::format_hours(q.hours_minutes, lang),
            pay_with_hours: q.pay_with_hours,
            decision_note: q.decision_note.clone(),
            is_draft: q.status == QuoteStatus::Draft,
            is_sent: q.status == QuoteStatus::Sent,
            is_accepted: q.status == QuoteStatus::Accepted,
        }
    }
}

/// The "Cotizaciones" panel of the agent's ticket page.
pub struct AgentPanel {
    pub quotes: Vec<QuoteCard>,
    /// The request is not covered and open: a new quote may be drafted.
    pub can_create: bool,
}

/// The panel, for a not-covered request or one that has quotes; `None` otherwise.
pub async fn agent_panel(
    app: &App,
    ctx: &PageCtx,
    actor: &alcance_app::Actor,
    ticket: &alcance_domain::model::Ticket,
) -> Option<AgentPanel> {
    use alcance_domain::ticket::{Coverage, Status};
    let found = match alcance_app::quotes::for_ticket(app, actor, ticket.number).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, ticket = ticket.number, "could not read the ticket's quotes");
            Vec::new()
        }
    };
    let not_covered = ticket.coverage == Coverage::NotCovered;
    if !not_covered && found.is_empty() {
        return None;
    }
    let quotes = found.iter().map(|q| QuoteCard::new(ctx, q)).collect();
    Some(AgentPanel { quotes, can_create: not_covered && ticket.status != Status::Closed })
}

/// A quote number from the address, canonical; `None` names nothing.
pub(crate) fn quote_number(raw: &str) -> Option<String> {
    crate::api::quotes::quote_param(raw).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_rates_read_as_people_write_them() {
        assert_eq!(percent("es", 1900), "19");
        assert_eq!(percent("es", 1950), "19,5");
        assert_eq!(percent("en", 1950), "19.5");
        assert_eq!(percent("es", 805), "8,05");
        assert_eq!(day("es", NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()), "09/03/2026");
    }
}
