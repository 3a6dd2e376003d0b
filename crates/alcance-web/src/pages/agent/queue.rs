//! GET /agent: the queue. Saved views as tabs, filters in a plain GET form, sortable
//! columns, pages of 50, and rows that j/k/Enter (assets/app.js) move through.

use std::collections::HashMap;

use alcance_app::agent_views::{self, QueueFilters, SavedView, StatusFilter};
use alcance_app::tickets::TicketSort;
use alcance_app::{App, triage};
use alcance_domain::ticket::{Coverage, Priority, Status};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Choice, choices, given, staff_only};
use crate::pages::sla::{SlaBadge, badge as sla_badge};
use crate::pages::{PageCtx, PageError, SignedIn, encode_component, render};

/// The query string as the browser sends it; anything unknown or malformed is ignored.
#[derive(Deserialize, Default)]
pub(super) struct QueueQuery {
    view: Option<String>,
    status: Option<String>,
    org: Option<String>,
    category: Option<String>,
    coverage: Option<String>,
    priority: Option<String>,
    assignee: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// The queue's state once understood: what the form shows and what the links keep.
#[derive(Clone)]
struct QueueState {
    view: SavedView,
    /// "", "any" or a status.
    status: String,
    org: String,
    category: String,
    coverage: String,
    priority: String,
    /// "", "me", "none" or a staff user id.
    assignee: String,
    q: String,
    sort: &'static str,
    page: i64,
}

const SORTS: [(&str, TicketSort); 6] = [
    ("newest", TicketSort::Newest),
    ("oldest", TicketSort::Oldest),
    ("updated", TicketSort::RecentlyUpdated),
    ("priority", TicketSort::Priority),
    ("suggested", TicketSort::Suggested),
    ("urgency", TicketSort::Urgency),
];

/// The triage view lists the classifier's most confident suggestions first.
const SUGGESTED: (&str, TicketSort) = ("suggested", TicketSort::Suggested);

impl QueueState {
    fn from_query(q: QueueQuery) -> (QueueState, QueueFilters) {
        let view = given(q.view.as_deref()).and_then(SavedView::parse).unwrap_or(SavedView::DEFAULT);
        let status = match given(q.status.as_deref()) {
            Some("any") => Some(StatusFilter::Any),
            Some(s) => Status::parse("status", s).ok().map(StatusFilter::One),
            None => None,
        };
        let org = given(q.org.as_deref())
            .filter(|s| s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map(str::to_owned);
        let category = given(q.category.as_deref())
            .filter(|s| s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_owned);
        let coverage = given(q.coverage.as_deref()).and_then(|s| Coverage::parse("coverage", s).ok());
        let priority = given(q.priority.as_deref()).and_then(|s| Priority::parse("priority", s).ok());
        let assignee = given(q.assignee.as_deref())
            .filter(|s| matches!(*s, "me" | "none") || s.parse::<i64>().is_ok_and(|id| id > 0))
            .map(str::to_owned);
        let text = given(q.q.as_deref()).map(|t| t.chars().take(200).collect::<String>());
        let default_sort = if view == SavedView::Unclassified { SUGGESTED } else { SORTS[0] };
        let (sort_key, sort) =
            given(q.sort.as_deref()).and_then(|s| SORTS.iter().find(|(k, _)| *k == s).copied()).unwrap_or(default_sort);
        let page = given(q.page.as_deref())
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, agent_views::MAX_QUEUE_PAGE);
        let state = QueueState {
            view,
            status: match status {
                Some(StatusFilter::Any) => "any".into(),
                Some(StatusFilter::One(s)) => s.as_str().into(),
                None => String::new(),
            },
            org: org.clone().unwrap_or_default(),
            category: category.clone().unwrap_or_default(),
            coverage: coverage.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            priority: priority.map(|p| p.as_str().to_owned()).unwrap_or_default(),
            assignee: assignee.clone().unwrap_or_default(),
            q: text.clone().unwrap_or_default(),
            sort: sort_key,
            page,
        };
        let filters =
            QueueFilters { view, status, organization: org, category, coverage, priority, assignee, text, sort, page };
        (state, filters)
    }

    /// The address of this state of the queue.
    fn href(&self) -> String {
        let mut url = format!("/agent?view={}", self.view.key());
        for (name, value) in [
            ("q", &self.q),
            ("status", &self.status),
            ("org", &self.org),
            ("category", &self.category),
            ("coverage", &self.coverage),
            ("priority", &self.priority),
            ("assignee", &self.assignee),
        ] {
            if !value.is_empty() {
                url.push_str(&format!("&{name}={}", encode_component(value)));
            }
        }
        if self.sort != "newest" {
            url.push_str(&format!("&sort={}", self.sort));
        }
        if self.page > 1 {
            url.push_str(&format!("&page={}", self.page));
        }
        url
    }

    fn with_sort(&self, sort: &'static str) -> String {
        QueueState { sort, page: 1, ..self.clone() }.href()
    }

    fn with_page(&self, page: i64) -> String {
        QueueState { page, ..self.clone() }.href()
    }

    /// Whether a filter hidden under "more filters" is in use.
    fn more_filters_used(&self) -> bool {
        [&self.status, &self.org, &self.category, &self.coverage, &self.priority, &self.assignee]
            .iter()
            .any(|v| !v.is_empty())
    }
}

/// A label looked up in a page's table of labels.
fn label<K: std::hash::Hash + Eq>(labels: &HashMap<K, String>, key: &K) -> String {
    labels.get(key).cloned().unwrap_or_default()
}

/// A sortable column header.
struct SortHead {
    href: String,
    /// "ascending" / "descending" when the list is sorted by this column.
    aria_sort: Option<&'static str>,
}

struct ViewTab {
    key: &'static str,
    label: String,
    href: String,
    current: bool,
}

struct RowSuggestion {
    category: String,
    confidence: String,
}

struct Row {
    number: i64,
    subject: String,
    organization: String,
    requester: String,
    status: &'static str,
    status_label: String,
    coverage: &'static str,
    coverage_label: String,
    priority: &'static str,
    priority_label: String,
    category: Option<String>,
    /// The classifier's suggested category and its confidence (the triage view).
    suggestion: Option<RowSuggestion>,
    assignee: Option<String>,
    updated_iso: String,
    updated_ago: String,
    updated_when: String,
    /// The SLA badge (none until the clock was first computed).
    sla: Option<SlaBadge>,
}

#[derive(Template)]
#[template(path = "agent/queue.html")]
struct QueuePage {
    ctx: PageCtx,
    view_label: String,
    caption: String,
    tabs: Vec<ViewTab>,
    view_key: &'static str,
    q: String,
    sort: &'static str,
    more_open: bool,
    filtered: bool,
    statuses: Vec<Choice>,
    status_view_selected: bool,
    status_any_selected: bool,
    orgs: Vec<Choice>,
    categories: Vec<Choice>,
    coverages: Vec<Choice>,
    priorities: Vec<Choice>,
    assignees: Vec<Choice>,
    clear_href: String,
    sort_number: SortHead,
    sort_priority: SortHead,
    sort_activity: SortHead,
    sort_urgency: SortHead,
    /// Whether the category column shows the classifier's suggestion (the triage view).
    show_suggestion: bool,
    rows: Vec<Row>,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

pub(super) async fn page(
    State(app): State<App>,
    page: SignedIn,
    query: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let (ctx, actor) = match staff_only(page) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Query(query) = query.unwrap_or_default();
    let (state, filters) = QueueState::from_query(query);
    let lang = ctx.lang_code();
    let queue = match agent_views::queue(&app, &actor, &filters, lang).await {
        Ok(queue) => queue,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };

    // Labels of the closed sets, looked up once per page rather than once per row.
    let status_labels: HashMap<Status, String> = Status::ALL.iter().map(|s| (*s, ctx.status_label(s))).collect();
    let coverage_labels: HashMap<Coverage, String> =
        Coverage::ALL.iter().map(|c| (*c, ctx.coverage_label(c))).collect();
    let priority_labels: HashMap<Priority, String> =
        Priority::ALL.iter().map(|p| (*p, ctx.priority_label(p))).collect();
    let show_suggestion = state.view == SavedView::Unclassified;
    let suggestions = if show_suggestion {
        let ids = queue.rows.iter().map(|r| r.ticket.id).collect();
        match triage::for_tickets(&app, &actor, ids).await {
            Ok(found) => found,
            Err(e) => return PageError::from_app(ctx, e).into_response(),
        }
    } else {
        HashMap::new()
    };

    let rows = queue
        .rows
        .into_iter()
        .map(|r| {
            let t = r.ticket;
            let suggestion = suggestions.get(&t.id).map(|s| RowSuggestion {
                category: agent_views::category_label(&queue.policy, &s.category, lang),
                confidence: ctx.t1("agent-suggestion-percent", "percent", (s.confidence + 5) / 10),
            });
            Row {
                sla: r.sla.as_ref().map(|row| sla_badge(&ctx, row)),
                suggestion,
                number: t.number,
                status: t.status.as_str(),
                status_label: label(&status_labels, &t.status),
                coverage: t.coverage.as_str(),
                coverage_label: label(&coverage_labels, &t.coverage),
                priority: t.priority.as_str(),
                priority_label: label(&priority_labels, &t.priority),
                updated_iso: ctx.iso(&t.updated_at),
                updated_ago: ctx.ago(&t.updated_at),
                updated_when: ctx.when(&t.updated_at),
                subject: t.subject,
                organization: r.organization,
                requester: r.requester,
                category: r.category,
                assignee: r.assignee,
            }
        })
        .collect();

    let view_key = |v: SavedView| format!("agent-view-{}", v.key());
    let tabs = SavedView::ALL
        .iter()
        .map(|v| ViewTab {
            key: v.key(),
            label: ctx.t(&view_key(*v)),
            href: format!("/agent?view={}", v.key()),
            current: *v == state.view,
        })
        .collect();

    let statuses =
        choices(&state.status, Status::ALL.iter().map(|s| (s.as_str().to_owned(), label(&status_labels, s))));
    let orgs = choices(&state.org, queue.organizations.iter().map(|o| (o.slug.clone(), o.name.clone())));
    let categories =
        choices(&state.category, queue.policy.categories.iter().map(|c| (c.id.clone(), c.label.get(lang).to_owned())));
    let coverages =
        choices(&state.coverage, Coverage::ALL.iter().map(|c| (c.as_str().to_owned(), label(&coverage_labels, c))));
    let priorities =
        choices(&state.priority, Priority::ALL.iter().map(|p| (p.as_str().to_owned(), label(&priority_labels, p))));
    let mut people =
        vec![("me".to_owned(), ctx.t("agent-filter-me")), ("none".to_owned(), ctx.t("agent-filter-unassigned"))];
    people.extend(queue.staff.iter().map(|u| (u.id.to_string(), u.name.clone())));
    let assignees = choices(&state.assignee, people);

    let sort_number = SortHead {
        href: state.with_sort(if state.sort == "newest" { "oldest" } else { "newest" }),
        aria_sort: match state.sort {
            "newest" => Some("descending"),
            "oldest" => Some("ascending"),
            _ => None,
        },
    };
    let sort_priority =
        SortHead { href: state.with_sort("priority"), aria_sort: (state.sort == "priority").then_some("descending") };
    let sort_activity =
        SortHead { href: state.with_sort("updated"), aria_sort: (state.sort == "updated").then_some("descending") };

    let sort_urgency =
        SortHead { href: state.with_sort("urgency"), aria_sort: (state.sort == "urgency").then_some("ascending") };

    let page = QueuePage {
        sort_urgency,
        view_label: ctx.t(&view_key(state.view)),
        caption: ctx
            .lang
            .text("agent-queue-caption", &[("view", ctx.t(&view_key(state.view))), ("page", state.page.to_string())]),
        tabs,
        view_key: state.view.key(),
        q: state.q.clone(),
        sort: state.sort,
        more_open: state.more_filters_used(),
        filtered: state.more_filters_used() || !state.q.is_empty(),
        status_view_selected: state.status.is_empty(),
        status_any_selected: state.status == "any",
        statuses,
        orgs,
        categories,
        coverages,
        priorities,
        assignees,
        clear_href: format!("/agent?view={}", state.view.key()),
        sort_number,
        sort_priority,
        sort_activity,
        show_suggestion,
        rows,
        page: state.page,
        prev_href: (state.page > 1).then(|| state.with_page(state.page - 1)),
        next_href: queue.has_more.then(|| state.with_page(state.page + 1)),
        ctx,
    };
    render(&page)
}
