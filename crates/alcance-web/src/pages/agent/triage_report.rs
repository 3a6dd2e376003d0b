//! GET /agent/triage: the quality of the classifier's suggestions for leads: per suggested
//! category and per week, how many agents accepted in one click, confirmed by hand,
//! corrected, or have not decided yet. Staff only.

use alcance_app::triage::{self, REPORT_WEEKS, TriageCounts};
use alcance_app::{App, agent_views};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::staff_only;
use crate::pages::{PageCtx, PageError, SignedIn, render};

/// One line of a table: what it is about and its counts.
struct Line {
    label: String,
    /// A machine-readable key (category id or ISO date), for tests and styling.
    key: String,
    counts: TriageCounts,
    percent: String,
}

/// One week's bar in the chart (SVG user units; the chart is 100 units high).
struct Bar {
    x: i64,
    kept_y: i64,
    kept_h: i64,
    corrected_y: i64,
    corrected_h: i64,
    pending_y: i64,
    pending_h: i64,
}

#[derive(Template)]
#[template(path = "agent/triage.html")]
struct TriagePage {
    ctx: PageCtx,
    since: String,
    categories: Vec<Line>,
    weeks: Vec<Line>,
    total: Line,
    bars: Vec<Bar>,
    chart_width: i64,
}

const BAR_STEP: i64 = 20;
const BAR_WIDTH: i64 = 14;
const CHART_HEIGHT: i64 = 100;

fn percent(ctx: &PageCtx, counts: &TriageCounts) -> String {
    counts.acceptance_percent().map_or_else(|| ctx.t("agent-triage-no-decisions"), |p| format!("{p} %"))
}

fn bars(weeks: &[Line]) -> Vec<Bar> {
    let max = weeks.iter().map(|w| w.counts.suggested).max().unwrap_or(0).max(1);
    let scale = |n: i64| n * CHART_HEIGHT / max;
    weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let c = &w.counts;
            let kept_h = scale(c.accepted + c.agreed);
            let corrected_h = scale(c.corrected);
            let pending_h = scale(c.pending);
            let kept_y = CHART_HEIGHT - kept_h;
            let corrected_y = kept_y - corrected_h;
            Bar {
                x: i as i64 * BAR_STEP + (BAR_STEP - BAR_WIDTH) / 2,
                kept_y,
                kept_h,
                corrected_y,
                corrected_h,
                pending_y: corrected_y - pending_h,
                pending_h,
            }
        })
        .collect()
}

pub(super) async fn page(State(app): State<App>, page: SignedIn) -> Response {
    let (ctx, actor) = match staff_only(page) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let since = triage::week_start(app.now()) - chrono::Duration::weeks(REPORT_WEEKS - 1);
    let report = match triage::triage_report(&app, &actor, since).await {
        Ok(report) => report,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let policy = match app.policies.get(&app.store, app.policies.default_id()).await {
        Ok(policy) => policy,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let lang = ctx.lang_code();
    let categories = report
        .by_category
        .iter()
        .map(|(id, counts)| Line {
            label: agent_views::category_label(&policy, id, lang),
            key: id.clone(),
            counts: *counts,
            percent: percent(&ctx, counts),
        })
        .collect();
    let weeks: Vec<Line> = report
        .weeks
        .iter()
        .map(|(start, counts)| {
            let date = start.format("%Y-%m-%d").to_string();
            Line {
                label: ctx.t1("agent-triage-week-of", "date", &date),
                key: date,
                counts: *counts,
                percent: percent(&ctx, counts),
            }
        })
        .collect();
    let total = Line {
        label: ctx.t("agent-triage-total"),
        key: "total".into(),
        counts: report.total,
        percent: percent(&ctx, &report.total),
    };
    let bars = bars(&weeks);
    render(&TriagePage {
        since: report.since.format("%Y-%m-%d").to_string(),
        chart_width: weeks.len() as i64 * BAR_STEP,
        ctx,
        categories,
        weeks,
        total,
        bars,
    })
}
