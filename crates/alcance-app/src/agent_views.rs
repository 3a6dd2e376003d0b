//! Read models for the agent pages: the queue (one page of tickets with the names of their
//! organisation, requester and assignee, loaded once per page, never per row) and a ticket
//! with everything an agent needs at a glance and its whole timeline in order.
//!
//! Staff only: a client contact asking for any of this gets `NotFound`.

use std::collections::HashMap;
use std::sync::Arc;

use alcance_domain::model::{Asset, Comment, Contract, EventKind, Id, Organization, Ticket, TicketEvent, User};
use alcance_domain::policy::{Category, Localized, Policy};
use alcance_domain::sla::SlaMetric;
use alcance_domain::ticket::{Channel, Coverage, Priority, Status};
use alcance_store::repo::sla::SlaRow;
use alcance_store::repo::{assets, contracts, organizations, users};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::tickets::{self, TicketQuery, TicketSort};
use crate::{Actor, App, AppError, directory};

/// Rows on one page of the queue.
pub const QUEUE_PAGE: i64 = 50;
/// The deepest page the queue offers (an OFFSET beyond this would read too much).
pub const MAX_QUEUE_PAGE: i64 = 2_000;

/// Statuses in which a request still needs the agency.
pub const OPEN_STATUSES: [Status; 7] = [
    Status::New,
    Status::Open,
    Status::InProgress,
    Status::WaitingOnClient,
    Status::AwaitingDecision,
    Status::QuoteRequested,
    Status::Quoted,
];

/// The queue's saved views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedView {
    /// New requests whose coverage nobody decided yet: triage.
    Unclassified,
    /// Open requests assigned to me.
    Mine,
    /// Waiting on the client (the SLA clock is paused).
    Waiting,
    /// Every open request.
    Open,
}

impl SavedView {
    pub const ALL: [SavedView; 4] = [SavedView::Unclassified, SavedView::Mine, SavedView::Waiting, SavedView::Open];
    /// What `/agent` shows when no view is named.
    pub const DEFAULT: SavedView = SavedView::Open;

    pub fn key(self) -> &'static str {
        match self {
            SavedView::Unclassified => "unclassified",
            SavedView::Mine => "mine",
            SavedView::Waiting => "waiting",
            SavedView::Open => "open",
        }
    }

    pub fn parse(key: &str) -> Option<SavedView> {
        SavedView::ALL.into_iter().find(|v| v.key() == key)
    }

    /// The view's own filters, before the agent's explicit ones.
    fn base_query(self) -> TicketQuery {
        let mut q = TicketQuery::default();
        match self {
            SavedView::Unclassified => {
                q.coverage = Some(Coverage::Pending);
                q.statuses = vec![Status::New];
            }
            SavedView::Mine => {
                q.assignee = Some("me".into());
                q.statuses = OPEN_STATUSES.to_vec();
            }
            SavedView::Waiting => q.statuses = vec![Status::WaitingOnClient],
            SavedView::Open => q.statuses = OPEN_STATUSES.to_vec(),
        }
        q
    }
}

/// A status filter: one status, or any status at all (overrides the view's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Any,
    One(Status),
}

/// What the agent asked the queue for. Each explicit filter replaces the saved view's value
/// for the same field (e.g. status "closed" in "Mis casos" lists my closed requests).
#[derive(Debug, Clone)]
pub struct QueueFilters {
    pub view: SavedView,
    pub status: Option<StatusFilter>,
    /// Organisation slug.
    pub organization: Option<String>,
    pub category: Option<String>,
    pub coverage: Option<Coverage>,
    pub priority: Option<Priority>,
    /// "me", "none" or a staff user id.
    pub assignee: Option<String>,
    pub text: Option<String>,
    pub sort: TicketSort,
    /// 1-based.
    pub page: i64,
}

impl Default for QueueFilters {
    fn default() -> Self {
        Self {
            view: SavedView::DEFAULT,
            status: None,
            organization: None,
            category: None,
            coverage: None,
            priority: None,
            assignee: None,
            text: None,
            sort: TicketSort::Newest,
            page: 1,
        }
    }
}

/// One row of the queue, with names instead of ids.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub ticket: Ticket,
    pub organization: String,
    pub requester: String,
    pub assignee: Option<String>,
    /// The category's label in the asked language, or its id when the policy lacks it.
    pub category: Option<String>,
    /// The ticket's SLA as last computed (by its latest change or the minute's check).
    pub sla: Option<SlaRow>,
}

pub struct Queue {
    pub rows: Vec<QueueRow>,
    pub has_more: bool,
    /// For the organisation filter.
    pub organizations: Vec<Organization>,
    /// For the assignee filter.
    pub staff: Vec<User>,
    /// The default policy, for the category filter's labels.
    pub policy: Arc<Policy>,
}

/// Names of organisations and users, looked up in memory.
struct Names {
    orgs: HashMap<Id, String>,
    users: HashMap<Id, String>,
}

impl Names {
    fn org(&self, id: Id) -> String {
        self.orgs.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
    }

    fn user(&self, id: Id) -> String {
        self.users.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
    }
}

fn require_staff(actor: &Actor) -> Result<(), AppError> {
    // A contact should not learn that the agent console exists.
    if actor.is_staff() { Ok(()) } else { Err(AppError::NotFound) }
}

/// One page of the queue: the page's tickets (and one more to know whether another page
/// follows), then the organisations and users once, to name them.
pub async fn queue(app: &App, actor: &Actor, filters: &QueueFilters, lang: &str) -> Result<Queue, AppError> {
    require_staff(actor)?;
    let mut q = filters.view.base_query();
    match filters.status {
        Some(StatusFilter::Any) => q.statuses = Vec::new(),
        Some(StatusFilter::One(status)) => q.statuses = vec![status],
        None => {}
    }
    if filters.coverage.is_some() {
        q.coverage = filters.coverage;
    }
    if filters.assignee.is_some() {
        q.assignee = filters.assignee.clone();
    }
    q.organization = filters.organization.clone();
    q.category = filters.category.clone();
    q.priority = filters.priority;
    q.text = filters.text.clone();
    q.sort = filters.sort;
    q.limit = Some(QUEUE_PAGE);
    let page = filters.page.clamp(1, MAX_QUEUE_PAGE);
    q.offset = Some((page - 1) * QUEUE_PAGE);

    // Three independent reads (the page's rows, then every organisation and user once, to
    // name them): run together.
    let (found, organizations, people) = tokio::join!(
        tickets::list(app, actor, q),
        directory::list_orgs(app, actor),
        directory::list_users(app, actor, None),
    );
    let found = match found {
        Ok(found) => found,
        // An organisation that does not exist (an edited link) simply has no tickets.
        Err(AppError::Invalid(f)) if f.field == "organization" => {
            tickets::TicketPage { items: Vec::new(), next_cursor: None, has_more: false }
        }
        Err(e) => return Err(e),
    };
    let (organizations, people) = (organizations?, people?);
    let policy = app.policies.get(&app.store, app.policies.default_id()).await?;

    let names = Names {
        orgs: organizations.iter().map(|o| (o.id, o.name.clone())).collect(),
        users: people.iter().map(|u| (u.id, u.name.clone())).collect(),
    };
    let sla_rows = crate::sla::rows_for(app, found.items.iter().map(|t| t.id).collect()).await?;
    let rows = found
        .items
        .into_iter()
        .map(|ticket| QueueRow {
            sla: sla_rows.get(&ticket.id).cloned(),
            organization: names.org(ticket.organization_id),
            requester: names.user(ticket.requester_id),
            assignee: ticket.assignee_id.map(|id| names.user(id)),
            category: ticket.category.as_deref().map(|id| category_label(&policy, id, lang)),
            ticket,
        })
        .collect();
    let staff = people.into_iter().filter(|u| u.active && u.role.is_staff()).collect();
    Ok(Queue { rows, has_more: found.has_more, organizations, staff, policy })
}

/// A category's label in `lang` under `policy`, or its id when the policy does not have it.
pub fn category_label(policy: &Policy, id: &str, lang: &str) -> String {
    policy.category(id).map_or_else(|| id.to_owned(), |c| c.label.get(lang).to_owned())
}

/// Something that happened to a ticket, decoded from its history event.
#[derive(Debug, Clone, PartialEq)]
pub enum Happening {
    Created {
        channel: Option<Channel>,
        priority: Option<Priority>,
    },
    Status {
        from: Option<Status>,
        to: Option<Status>,
    },
    Priority {
        from: Option<Priority>,
        to: Option<Priority>,
    },
    /// Names of the previous and new assignee (none: unassigned).
    Assignee {
        from: Option<String>,
        to: Option<String>,
    },
    Classified {
        category: String,
        /// The category's label under the policy it was classified with.
        category_label: Option<Localized>,
        /// The coverage the policy gives the category.
        coverage: Option<Coverage>,
        policy_name: Option<Localized>,
        policy_version: Option<i64>,
    },
    /// An agent decided another coverage than the policy's.
    CoverageOverridden {
        from: Option<Coverage>,
        to: Option<Coverage>,
    },
    Attachment {
        id: Id,
        file_name: String,
        size_bytes: i64,
    },
    /// The client's answer to a "not covered" classification ("quote", "hours" or
    /// "decline"), with the comment they wrote, if any.
    ClientDecision {
        choice: String,
        comment: Option<String>,
    },
    /// An SLA target reached its warning threshold or was breached (`metric` as stored:
    /// first_response, update, resolution).
    Sla {
        breached: bool,
        metric: Option<SlaMetric>,
        due: Option<DateTime<Utc>>,
    },
    /// A monitor or an external alert reported a problem (`source`: monitor, alertmanager,
    /// checkmk, webhook; `code`: the finding's stable code; `detail`: one line on what was seen).
    MonitorAlert {
        source: String,
        code: String,
        summary: String,
        detail: Option<String>,
    },
    /// The problem behind the ticket's incident is over.
    MonitorRecovered {
        source: String,
        response_ms: Option<i64>,
    },
    /// A kind this page does not describe yet.
    Other(EventKind),
}

/// One entry of a ticket's timeline, oldest first.
#[derive(Debug, Clone)]
pub enum TimelineItem {
    /// The request as the requester wrote it.
    Description {
        author: String,
        at: DateTime<Utc>,
        body: String,
    },
    /// A public reply or an internal note.
    Comment {
        author: String,
        comment: Comment,
    },
    Event {
        actor: Option<String>,
        at: DateTime<Utc>,
        what: Happening,
        reason: Option<String>,
        internal: bool,
    },
}

impl TimelineItem {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineItem::Description { at, .. } | TimelineItem::Event { at, .. } => *at,
            TimelineItem::Comment { comment, .. } => comment.created_at,
        }
    }
}

/// A ticket as the agent console shows it.
pub struct TicketView {
    pub ticket: Ticket,
    pub organization: Organization,
    pub requester: Option<User>,
    pub assignee: Option<User>,
    pub contract: Option<Contract>,
    pub asset: Option<Asset>,
    /// The policy a classification would use now: the active contract's, else the default.
    pub policy: Arc<Policy>,
    /// The policy the ticket was classified under, if it was.
    pub classified_under: Option<Arc<Policy>>,
    pub timeline: Vec<TimelineItem>,
    /// Staff who can take the ticket.
    pub staff: Vec<User>,
    /// The SLA clock now (none when it cannot be computed).
    pub sla: Option<crate::sla::TicketClock>,
}

struct Context {
    organization: Option<Organization>,
    contract: Option<Contract>,
    asset: Option<Asset>,
    users: Vec<User>,
}

/// A ticket with its people, contract, asset, policy and timeline (staff only).
pub async fn ticket(app: &App, actor: &Actor, number: i64) -> Result<TicketView, AppError> {
    require_staff(actor)?;
    let detail = tickets::get(app, actor, number).await?;
    let (org_id, asset_id) = (detail.ticket.organization_id, detail.ticket.asset_id);
    let found = app
        .store
        .read(move |c| {
            Box::pin(async move {
                let organization = organizations::by_id(c, org_id).await?;
                let contract = contracts::active_for(c, org_id).await?;
                let asset = match asset_id {
                    Some(id) => assets::by_id(c, id).await?,
                    None => None,
                };
                let users = users::list(c, None).await?;
                Ok::<_, AppError>(Context { organization, contract, asset, users })
            })
        })
        .await?;
    let organization = found.organization.ok_or(AppError::NotFound)?;
    let policy_id = found.contract.as_ref().map_or(app.policies.default_id(), |c| c.policy_id);
    let policy = app.policies.get(&app.store, policy_id).await?;
    let classified_under = match detail.ticket.policy_id {
        Some(id) => Some(app.policies.get(&app.store, id).await?),
        None => None,
    };

    let by_id: HashMap<Id, &User> = found.users.iter().map(|u| (u.id, u)).collect();
    let name = |id: Id| by_id.get(&id).map_or_else(|| format!("#{id}"), |u| u.name.clone());
    let mut policies: HashMap<Id, Arc<Policy>> = HashMap::new();
    for event in detail.events.iter().filter(|e| e.kind == EventKind::Classified) {
        if let Some(id) = json(&event.after).get("policy_id").and_then(Value::as_i64)
            && !policies.contains_key(&id)
            && let Ok(p) = app.policies.get(&app.store, id).await
        {
            policies.insert(id, p);
        }
    }

    let t = &detail.ticket;
    let mut timeline = Vec::with_capacity(1 + detail.comments.len() + detail.events.len());
    timeline.push(TimelineItem::Description { author: name(t.requester_id), at: t.created_at, body: t.body.clone() });
    for event in &detail.events {
        // Replies and notes are shown as themselves, from the comments.
        if matches!(event.kind, EventKind::Replied | EventKind::NoteAdded) {
            continue;
        }
        let what = happening(event, &name, &policies);
        timeline.push(TimelineItem::Event {
            actor: event.actor_id.map(&name),
            at: event.created_at,
            what,
            reason: event.reason.clone(),
            internal: event.internal,
        });
    }
    for comment in &detail.comments {
        timeline.push(TimelineItem::Comment { author: name(comment.author_id), comment: comment.clone() });
    }
    // Stable: the description first, events in their order, comments after events of the
    // same instant.
    timeline.sort_by_key(TimelineItem::at);

    let requester = by_id.get(&t.requester_id).map(|u| (*u).clone());
    let assignee = t.assignee_id.and_then(|id| by_id.get(&id)).map(|u| (*u).clone());
    // Staff who can take tickets: the active admins and agents (as `account::staff`).
    let staff = found.users.iter().filter(|u| u.active && u.role.is_staff()).cloned().collect();
    let sla = crate::sla::ticket_clock(app, actor, t.id).await?;
    Ok(TicketView {
        sla,
        ticket: detail.ticket,
        organization,
        requester,
        assignee,
        contract: found.contract,
        asset: found.asset,
        policy,
        classified_under,
        timeline,
        staff,
    })
}

fn json(text: &Option<String>) -> Value {
    text.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null)
}

fn parsed<T>(value: &Value, parse: fn(&str, &str) -> Result<T, alcance_domain::FieldError>) -> Option<T> {
    value.as_str().and_then(|s| parse("value", s).ok())
}

fn happening(event: &TicketEvent, name: &dyn Fn(Id) -> String, policies: &HashMap<Id, Arc<Policy>>) -> Happening {
    let (before, after) = (json(&event.before), json(&event.after));
    match event.kind {
        EventKind::Created => Happening::Created {
            channel: parsed(&after["channel"], Channel::parse),
            priority: parsed(&after["priority"], Priority::parse),
        },
        EventKind::StatusChanged => {
            Happening::Status { from: parsed(&before, Status::parse), to: parsed(&after, Status::parse) }
        }
        EventKind::PriorityChanged => {
            Happening::Priority { from: parsed(&before, Priority::parse), to: parsed(&after, Priority::parse) }
        }
        EventKind::AssigneeChanged => {
            Happening::Assignee { from: before.as_i64().map(name), to: after.as_i64().map(name) }
        }
        EventKind::Classified => {
            let category = after["category"].as_str().unwrap_or_default().to_owned();
            let policy = after["policy_id"].as_i64().and_then(|id| policies.get(&id));
            Happening::Classified {
                category_label: policy.and_then(|p| p.category(&category)).map(|c: &Category| c.label.clone()),
                category,
                coverage: parsed(&after["coverage"], Coverage::parse),
                policy_name: policy.map(|p| p.name.clone()),
                policy_version: after["policy_version"].as_i64(),
            }
        }
        EventKind::CoverageOverridden => Happening::CoverageOverridden {
            from: parsed(&before, Coverage::parse),
            to: parsed(&after, Coverage::parse),
        },
        EventKind::AttachmentAdded => Happening::Attachment {
            id: after["attachment_id"].as_i64().unwrap_or_default(),
            file_name: after["file_name"].as_str().unwrap_or_default().to_owned(),
            size_bytes: after["size_bytes"].as_i64().unwrap_or_default(),
        },
        EventKind::ClientDecision => Happening::ClientDecision {
            choice: after["choice"].as_str().unwrap_or_default().to_owned(),
            comment: after["comment"].as_str().map(str::to_owned),
        },
        EventKind::SlaWarning | EventKind::SlaBreached => Happening::Sla {
            breached: event.kind == EventKind::SlaBreached,
            metric: parsed(&after["metric"], SlaMetric::parse),
            due: after["due"]
                .as_str()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|d| d.with_timezone(&Utc)),
        },
        EventKind::MonitorAlert => Happening::MonitorAlert {
            source: after["source"].as_str().unwrap_or_default().to_owned(),
            code: after["code"].as_str().unwrap_or_default().to_owned(),
            summary: after["summary"].as_str().unwrap_or_default().to_owned(),
            // A monitor's details hold "detail"; an external alert's, the tool's "details" text.
            detail: [&after["details"]["detail"], &after["details"]["details"]]
                .into_iter()
                .find_map(|d| d.as_str().map(str::to_owned))
                .filter(|d| !d.trim().is_empty()),
        },
        EventKind::MonitorRecovered => Happening::MonitorRecovered {
            source: after["source"].as_str().unwrap_or_default().to_owned(),
            response_ms: after["details"]["response_ms"].as_i64(),
        },
        other => Happening::Other(other),
    }
}
