//! GET /portal: "Mis solicitudes".

use alcance_app::tickets::{TicketQuery, TicketSort};
use alcance_app::{App, portal_views};
use alcance_domain::Role;
use alcance_domain::ticket::{Coverage, Priority, Status};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Clock, Moment, staff_elsewhere};
use crate::pages::{PageCtx, PageError, SignedIn, encode_component, render};

const PAGE_SIZE: i64 = 25;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    msg: Option<String>,
    n: Option<String>,
}

/// The status groups a contact filters by.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Open,
    Done,
    All,
}

impl Group {
    fn parse(value: Option<&str>) -> Self {
        match value {
            Some("open") => Group::Open,
            Some("done") => Group::Done,
            _ => Group::All,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Group::Open => "open",
            Group::Done => "done",
            Group::All => "all",
        }
    }

    fn statuses(self) -> Vec<Status> {
        match self {
            Group::Open => Status::ALL.iter().copied().filter(|s| s.is_open()).collect(),
            Group::Done => Status::ALL.iter().copied().filter(|s| !s.is_open()).collect(),
            Group::All => Vec::new(),
        }
    }
}

struct Row {
    number: i64,
    subject: String,
    status: Status,
    coverage: Coverage,
    priority: Priority,
    requester: String,
    updated: Moment,
}

#[derive(Template)]
#[template(path = "portal/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
    is_manager: bool,
    group: &'static str,
    q: String,
    /// The "Ver más" link, when another page follows.
    more: Option<String>,
    /// Whether this is a later page (reached through "Ver más").
    later_page: bool,
    notice: Option<String>,
    /// The search could not be run (e.g. too long); shown next to the box.
    search_error: Option<String>,
}

impl ListPage {
    fn filtered(&self) -> bool {
        self.group != "all" || !self.q.is_empty()
    }
}

pub async fn page(State(app): State<App>, page: SignedIn, Query(query): Query<ListQuery>) -> Response {
    if let Some(to_agent) = staff_elsewhere(&page) {
        return to_agent;
    }
    let SignedIn { ctx, actor } = page;
    let group = Group::parse(query.status.as_deref());
    let q = query.q.as_deref().map(str::trim).unwrap_or_default().chars().take(200).collect::<String>();
    let cursor = query.cursor.as_deref().and_then(|c| c.parse::<i64>().ok()).filter(|c| *c > 0);
    let ticket_query = TicketQuery {
        statuses: group.statuses(),
        cursor,
        limit: Some(PAGE_SIZE),
        text: (!q.is_empty()).then(|| q.clone()),
        sort: TicketSort::Newest,
        ..TicketQuery::default()
    };
    let (view, search_error) = match portal_views::requests(&app, &actor, ticket_query).await {
        Ok(view) => (view, None),
        Err(alcance_app::AppError::Invalid(_)) if !q.is_empty() => {
            // A search the store refuses: show the unfiltered group and say why.
            let plain = TicketQuery { statuses: group.statuses(), limit: Some(PAGE_SIZE), ..TicketQuery::default() };
            match portal_views::requests(&app, &actor, plain).await {
                Ok(view) => (view, Some(ctx.t("portal-search-invalid"))),
                Err(e) => return PageError::from_app(ctx, e).into_response(),
            }
        }
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let clock = Clock::new(&ctx, &view.organization);
    let rows = view
        .page
        .items
        .iter()
        .map(|t| Row {
            number: t.number,
            subject: t.subject.clone(),
            status: t.status,
            coverage: t.coverage,
            priority: t.priority,
            requester: view.people.get(&t.requester_id).map(|p| p.name.clone()).unwrap_or_default(),
            updated: clock.moment(t.updated_at),
        })
        .collect();
    let more = view.page.next_cursor.map(|next| {
        let mut link = format!("/portal?status={}&cursor={next}", group.key());
        if !q.is_empty() {
            link.push_str(&format!("&q={}", encode_component(&q)));
        }
        link
    });
    // Only known messages are shown; the query text itself is never echoed.
    let notice = match query.msg.as_deref() {
        Some("created") => match query.n.as_deref().and_then(|n| n.parse::<i64>().ok()) {
            Some(number) => Some(ctx.t1("portal-msg-created", "number", number)),
            None => Some(ctx.t("portal-msg-created-plain")),
        },
        Some("closed") => Some(ctx.t("portal-msg-closed-plain")),
        _ => None,
    };
    let page = ListPage {
        is_manager: actor.role() == Role::Manager,
        rows,
        group: group.key(),
        q,
        more,
        later_page: cursor.is_some(),
        notice,
        search_error,
        ctx,
    };
    render(&page)
}
