//! GET /agent/reports: hours bought, used and remaining per organisation and month (the last
//! twelve months), and the quotes sent this year: accepted, rejected, expired, the
//! conversion rate and their value. Staff only.

use alcance_app::{App, reports};
use alcance_domain::money::{self, Currency};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;

use super::staff_only;
use crate::pages::{PageCtx, PageError, SignedIn, render};

struct HoursLine {
    organization: String,
    month: String,
    bought: String,
    used: String,
    remaining: String,
}

struct ValueLine {
    currency: String,
    sent: String,
    accepted: String,
}

#[derive(Template)]
#[template(path = "agent/reports.html")]
struct ReportsPage {
    ctx: PageCtx,
    since: String,
    hours: Vec<HoursLine>,
    year: i32,
    quotes: reports::QuoteSummary,
    conversion: String,
    values: Vec<ValueLine>,
}

pub(super) async fn page(State(app): State<App>, page: SignedIn) -> Response {
    let (ctx, actor) = match staff_only(page) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let today = app.now().date_naive();
    let since = (today - chrono::Duration::days(365)).with_day(1).unwrap_or(today);
    let year_start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let (hours, quotes) = match tokio::try_join!(
        reports::hours_by_month(&app, &actor, since),
        reports::quote_summary(&app, &actor, year_start, today)
    ) {
        Ok(found) => found,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let lang = ctx.lang_code().to_owned();
    let h = |minutes: i64| money::format_hours(minutes, &lang);
    let hours = hours
        .into_iter()
        .map(|m| HoursLine {
            organization: m.organization,
            month: m.month,
            bought: h(m.bought_minutes),
            used: h(m.used_minutes),
            remaining: h(m.remaining_minutes),
        })
        .collect();
    let values = quotes
        .value
        .iter()
        .map(|(code, (sent, accepted))| {
            let currency = Currency::from_code("currency", code).unwrap_or(Currency::Cop);
            ValueLine {
                currency: code.clone(),
                sent: money::format_money(*sent, currency, &lang),
                accepted: money::format_money(*accepted, currency, &lang),
            }
        })
        .collect();
    let conversion =
        quotes.conversion_percent.map_or_else(|| ctx.t("agent-reports-no-decisions"), |p| format!("{p} %"));
    render(&ReportsPage { since: since.to_string(), hours, year: today.year(), quotes, conversion, values, ctx })
}
