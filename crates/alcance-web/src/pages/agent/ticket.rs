//! GET /agent/tickets/{number}: the ticket page. Its whole timeline oldest first, the
//! requester's organisation, contract and asset at a glance, and the action forms (their
//! handlers are in `actions.rs`).

use alcance_app::agent_views::{self, Happening, TicketView, TimelineItem};
use alcance_app::triage::{self, TicketSuggestion};
use alcance_app::{Actor, App, account};
use alcance_domain::Role;
use alcance_domain::model::{AssetKind, EventKind};
use alcance_domain::policy::Policy;
use alcance_domain::ticket::{Coverage, Priority, Status};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::timeline::{Entry, entry};
use super::{Choice, choices, staff_only};
use crate::pages::quotes::{AgentPanel, agent_panel};
use crate::pages::sla::{SlaBlock, block as sla_block};
use crate::pages::{PageCtx, PageError, SignedIn, render};
use crate::view;

/// The action forms of the page, by the name used in their ids and anchors.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Classify,
    Assign,
    Status,
    Priority,
    Reply,
}

impl Action {
    pub(super) fn key(self) -> &'static str {
        match self {
            Action::Classify => "classify",
            Action::Assign => "assign",
            Action::Status => "status",
            Action::Priority => "priority",
            Action::Reply => "reply",
        }
    }

    /// The notice shown after the action succeeded (see [`notice`]).
    pub(super) fn notice(self) -> &'static str {
        match self {
            Action::Classify => "classified",
            Action::Assign => "assigned",
            Action::Status => "status",
            Action::Priority => "priority",
            Action::Reply => "replied",
        }
    }
}

/// Why an action was refused, already translated; `field` places it next to a control.
pub(super) struct Failure {
    pub(super) action: Action,
    pub(super) field: Option<String>,
    pub(super) message: String,
}

/// What the forms show: the ticket's values, or what the agent typed when a change was
/// refused.
#[derive(Default)]
pub(super) struct Kept {
    pub(super) category: Option<String>,
    pub(super) coverage: String,
    pub(super) classify_reason: String,
    pub(super) assignee: Option<String>,
    pub(super) status: String,
    pub(super) status_reason: String,
    pub(super) priority: Option<String>,
    pub(super) body: String,
    pub(super) internal: bool,
}

struct Glance {
    requester: String,
    requester_email: Option<String>,
    organization: String,
    contract: Option<ContractGlance>,
    asset: Option<AssetGlance>,
    category: Option<String>,
    policy: Option<String>,
    assignee: Option<String>,
    channel: String,
    opened: String,
    opened_iso: String,
    updated: String,
    updated_iso: String,
}

struct ContractGlance {
    name: String,
    period: String,
    rate: String,
}

/// The classifier's suggestion, shown while the ticket is unclassified.
struct SuggestionPanel {
    category: String,
    coverage: &'static str,
    coverage_label: String,
    priority: &'static str,
    priority_label: String,
    confidence: String,
    clause: String,
    clause_text: Option<String>,
    top_words: Vec<String>,
}

struct AssetGlance {
    name: String,
    kind: String,
    url: Option<String>,
}

#[derive(Template)]
#[template(path = "agent/ticket.html")]
struct TicketPage {
    ctx: PageCtx,
    number: i64,
    subject: String,
    status: &'static str,
    status_label: String,
    coverage: &'static str,
    coverage_label: String,
    priority: &'static str,
    priority_label: String,
    closed: bool,
    notice: Option<String>,
    failure: Option<Failure>,
    entries: Vec<Entry>,
    viewers: Option<String>,
    glance: Glance,
    suggestion: Option<SuggestionPanel>,
    covered: Vec<Choice>,
    not_covered: Vec<Choice>,
    category_chosen: bool,
    coverages: Vec<Choice>,
    classify_reason: String,
    staff: Vec<Choice>,
    statuses: Vec<Choice>,
    status_reason: String,
    priorities: Vec<Choice>,
    body: String,
    internal: bool,
    attachments_hint: String,
    /// The "Cotizaciones" panel of a not-covered request.
    quotes: Option<AgentPanel>,
    /// The SLA clock: due times, time left, state.
    sla: Option<SlaBlock>,
}

impl TicketPage {
    /// The error to show next to `field` of the `action` form.
    fn field_error(&self, action: &str, field: &str) -> Option<&str> {
        self.failure
            .as_ref()
            .filter(|f| f.action.key() == action && f.field.as_deref() == Some(field))
            .map(|f| f.message.as_str())
    }

    /// The error of the `action` form that belongs to no single field.
    fn form_error(&self, action: &str) -> Option<&str> {
        self.failure.as_ref().filter(|f| f.action.key() == action && f.field.is_none()).map(|f| f.message.as_str())
    }
}

/// A ticket number from the address; anything else is a page that does not exist.
pub(super) fn parse_number(ctx: &PageCtx, number: &str) -> Result<i64, Response> {
    number.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| PageError::NotFound(ctx.clone()).into_response())
}

fn notice(ctx: &PageCtx, msg: Option<&str>) -> Option<String> {
    let key = match msg? {
        "classified" => "agent-msg-classified",
        "assigned" => "agent-msg-assigned",
        "status" => "agent-msg-status",
        "priority" => "agent-msg-priority",
        "replied" => "agent-msg-replied",
        "noted" => "agent-msg-noted",
        "attached" => "agent-msg-attached",
        _ => return None,
    };
    Some(ctx.t(key))
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    msg: Option<String>,
}

pub(super) async fn page(
    State(app): State<App>,
    page: SignedIn,
    Path(number): Path<String>,
    query: Result<axum::extract::Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let (ctx, actor) = match staff_only(page) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let number = match parse_number(&ctx, &number) {
        Ok(n) => n,
        Err(response) => return response,
    };
    let msg = query.ok().and_then(|q| q.0.msg);
    let notice = notice(&ctx, msg.as_deref());
    show(&app, ctx, &actor, number, Kept::default(), None, notice).await
}

/// Renders the ticket page; with a failure, as an answer of 422 to the refused form.
pub(super) async fn show(
    app: &App,
    ctx: PageCtx,
    actor: &Actor,
    number: i64,
    kept: Kept,
    failure: Option<Failure>,
    notice: Option<String>,
) -> Response {
    let view = match agent_views::ticket(app, actor, number).await {
        Ok(view) => view,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    // Without JavaScript the hint is shown once; htmx refreshes it every 10 seconds.
    let viewers = match account::viewing(app, actor, number).await {
        Ok(names) => viewers_text(&ctx, &names),
        Err(e) => {
            tracing::warn!(error = %e, "could not record the ticket viewer");
            None
        }
    };
    let suggestion = match triage::for_ticket(app, actor, &view.ticket).await {
        Ok(found) => {
            found.filter(|_| view.ticket.coverage == Coverage::Pending && view.ticket.status != Status::Closed)
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not read the ticket's suggestion");
            None
        }
    };
    let panel = suggestion.map(|s| suggestion_panel(&ctx, &view.policy, s));
    let quotes = agent_panel(app, &ctx, actor, &view.ticket).await;
    let quote_events = quote_events(app, actor, &view).await;
    let status = if failure.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let mut page = build(app, ctx, view, kept, failure, notice, viewers, quote_events);
    page.suggestion = panel;
    page.quotes = quotes;
    (status, render(&page)).into_response()
}

/// The suggestion in the page's language: labels from the policy the ticket would be
/// classified under, the confidence as a percentage, the clause and the words.
fn suggestion_panel(ctx: &PageCtx, policy: &Policy, s: TicketSuggestion) -> SuggestionPanel {
    let lang = ctx.lang_code();
    let category = policy.category(&s.category);
    let coverage = category
        .map(|c| c.coverage)
        .unwrap_or_else(|| if s.coverage == "not_covered" { Coverage::NotCovered } else { Coverage::Covered });
    let priority = Priority::parse("priority", &s.priority).unwrap_or(Priority::Normal);
    let section = category.map_or(s.clause.clone(), |c| c.clause.clone());
    SuggestionPanel {
        category: agent_views::category_label(policy, &s.category, lang),
        coverage: coverage.as_str(),
        coverage_label: ctx.coverage_label(&coverage),
        priority: priority.as_str(),
        priority_label: ctx.priority_label(&priority),
        confidence: ctx.t1("agent-suggestion-percent", "percent", ((s.confidence + 5) / 10).to_string()),
        clause: ctx.lang.text(
            "agent-suggestion-clause-value",
            &[("section", section), ("label", agent_views::category_label(policy, &s.category, lang))],
        ),
        clause_text: category.map(|c| c.description.get(lang).to_owned()),
        top_words: s.top_words,
    }
}

pub(super) fn viewers_text(ctx: &PageCtx, names: &[String]) -> Option<String> {
    (!names.is_empty()).then(|| ctx.t1("agent-viewers", "names", names.join(", ")))
}

fn when(ctx: &PageCtx, tz: Tz, at: DateTime<Utc>) -> String {
    view::datetime(ctx.lang, tz, at)
}

fn date(ctx: &PageCtx, iso: &str) -> String {
    match NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) if ctx.lang_code() == "en" => d.format("%m/%d/%Y").to_string(),
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_owned(),
    }
}

/// 1900 basis points -> "19"; 1950 -> "19,5" (Spanish) or "19.5".
fn percent(ctx: &PageCtx, basis_points: i64) -> String {
    if basis_points % 100 == 0 {
        (basis_points / 100).to_string()
    } else {
        let text = format!("{:.2}", basis_points as f64 / 100.0).trim_end_matches('0').to_owned();
        if ctx.lang_code() == "en" { text } else { text.replace('.', ",") }
    }
}

/// The quote events' number and status, oldest first: the agent's read model shows them only
/// by their kind, so they are read from the ticket's history (only when there are some).
async fn quote_events(app: &App, actor: &Actor, view: &TicketView) -> Vec<(String, String)> {
    let has_quotes = view
        .timeline
        .iter()
        .any(|i| matches!(i, TimelineItem::Event { what: Happening::Other(EventKind::QuoteChanged), .. }));
    if !has_quotes {
        return Vec::new();
    }
    let detail = match alcance_app::tickets::get(app, actor, view.ticket.number).await {
        Ok(detail) => detail,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the quote events");
            return Vec::new();
        }
    };
    detail
        .events
        .iter()
        .filter(|e| e.kind == EventKind::QuoteChanged)
        .map(|e| {
            let after: serde_json::Value =
                e.after.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
            let text = |key: &str| after.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
            (text("number"), text("status"))
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn build(
    app: &App,
    ctx: PageCtx,
    view: TicketView,
    kept: Kept,
    failure: Option<Failure>,
    notice: Option<String>,
    viewers: Option<String>,
    quote_events: Vec<(String, String)>,
) -> TicketPage {
    let lang = ctx.lang_code();
    let tz = view::zone(&view.organization.time_zone);
    let t = &view.ticket;
    // Quote events come in the timeline's order (history order), one per QuoteChanged.
    let mut quote_events = quote_events.into_iter();
    let entries = view
        .timeline
        .iter()
        .map(|item| {
            let quote = match item {
                TimelineItem::Event { what: Happening::Other(EventKind::QuoteChanged), .. } => quote_events.next(),
                _ => None,
            };
            entry(&ctx, tz, item, quote)
        })
        .collect();

    let contract = view.contract.as_ref().map(|c| ContractGlance {
        name: c.name.clone(),
        period: match &c.ends_on {
            Some(end) => {
                ctx.lang.text("agent-contract-range", &[("start", date(&ctx, &c.starts_on)), ("end", date(&ctx, end))])
            }
            None => ctx.t1("agent-contract-since", "start", date(&ctx, &c.starts_on)),
        },
        rate: ctx.lang.text(
            "agent-rate-value",
            &[("rate", view::money(c.hourly_rate_minor, &c.currency)), ("tax", percent(&ctx, c.tax_rate_basis_points))],
        ),
    });
    let asset = view.asset.as_ref().map(|a| AssetGlance {
        name: a.name.clone(),
        kind: ctx.t(match a.kind {
            AssetKind::Software => "agent-asset-kind-software",
            AssetKind::Server => "agent-asset-kind-server",
        }),
        url: a.url.clone(),
    });
    let classified_policy = view.classified_under.as_ref();
    let glance = Glance {
        requester: view.requester.as_ref().map_or_else(|| ctx.t("agent-unknown"), |u| u.name.clone()),
        requester_email: view.requester.as_ref().map(|u| u.email.clone()),
        organization: view.organization.name.clone(),
        contract,
        asset,
        category: t
            .category
            .as_deref()
            .map(|id| agent_views::category_label(classified_policy.unwrap_or(&view.policy), id, lang)),
        policy: classified_policy.map(|p| {
            ctx.lang.text(
                "agent-policy-value",
                &[("name", p.name.get(lang).to_owned()), ("version", p.version.to_string())],
            )
        }),
        assignee: view.assignee.as_ref().map(|u| u.name.clone()),
        channel: ctx.channel_label(&t.channel),
        opened: when(&ctx, tz, t.created_at),
        opened_iso: ctx.iso(&t.created_at),
        updated: when(&ctx, tz, t.updated_at),
        updated_iso: ctx.iso(&t.updated_at),
    };

    let category = kept.category.clone().or_else(|| t.category.clone()).unwrap_or_default();
    let group = |coverage: Coverage| {
        choices(
            &category,
            view.policy
                .categories
                .iter()
                .filter(|c| c.coverage == coverage)
                .map(|c| (c.id.clone(), c.label.get(lang).to_owned())),
        )
    };
    let coverages = choices(
        &kept.coverage,
        [Coverage::Covered, Coverage::NotCovered].iter().map(|c| (c.as_str().to_owned(), ctx.coverage_label(c))),
    );
    let assignee = kept.assignee.clone().unwrap_or_else(|| t.assignee_id.map_or("none".into(), |id| id.to_string()));
    let mut people = vec![("none".to_owned(), ctx.t("agent-none"))];
    people.extend(view.staff.iter().map(|u| (u.id.to_string(), u.name.clone())));
    // Only the moves the lifecycle allows staff from here (a reason may be given).
    let next: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|s| *s != t.status && t.status.check_transition(*s, Role::Agent, true).is_ok())
        .collect();
    let statuses = choices(&kept.status, next.iter().map(|s| (s.as_str().to_owned(), ctx.status_label(s))));
    let priority = kept.priority.clone().unwrap_or_else(|| t.priority.as_str().to_owned());
    let priorities = choices(&priority, Priority::ALL.iter().map(|p| (p.as_str().to_owned(), ctx.priority_label(p))));
    let attachments_hint = ctx.lang.text(
        "agent-attachments-hint",
        &[
            ("count", super::actions::MAX_FILES.to_string()),
            ("size", view::bytes(ctx.lang, app.settings.max_attachment_bytes as i64)),
        ],
    );

    TicketPage {
        sla: view.sla.as_ref().map(|clock| sla_block(&ctx, clock)),
        number: t.number,
        subject: t.subject.clone(),
        status: t.status.as_str(),
        status_label: ctx.status_label(&t.status),
        coverage: t.coverage.as_str(),
        coverage_label: ctx.coverage_label(&t.coverage),
        priority: t.priority.as_str(),
        priority_label: ctx.priority_label(&t.priority),
        closed: t.status == Status::Closed,
        notice,
        failure,
        entries,
        viewers,
        glance,
        suggestion: None,
        covered: group(Coverage::Covered),
        not_covered: group(Coverage::NotCovered),
        category_chosen: !category.is_empty(),
        coverages,
        classify_reason: kept.classify_reason,
        staff: choices(&assignee, people),
        statuses,
        status_reason: kept.status_reason,
        priorities,
        body: kept.body,
        internal: kept.internal,
        attachments_hint,
        quotes: None,
        ctx,
    }
}
