//! What the API sends: stable JSON shapes, documented in the OpenAPI spec.

use alcance_domain::Role;
use alcance_domain::model::{
    Asset, AssetKind, Attachment, Comment, Contract, EventKind, Organization, Ticket, TicketEvent, User,
};
use alcance_domain::ticket::{Channel, Coverage, Priority, Status};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct TicketOut {
    /// The number people quote, e.g. 1042 for #1042.
    pub number: i64,
    pub subject: String,
    /// Markdown.
    pub body: String,
    pub status: Status,
    pub priority: Priority,
    pub coverage: Coverage,
    /// A category id of the scope policy, once classified.
    pub category: Option<String>,
    pub channel: Channel,
    pub organization_id: i64,
    pub requester_id: i64,
    pub assignee_id: Option<i64>,
    pub asset_id: Option<i64>,
    /// The stored policy version it was classified under.
    pub policy_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<Ticket> for TicketOut {
    fn from(t: Ticket) -> Self {
        Self {
            number: t.number,
            subject: t.subject,
            body: t.body,
            status: t.status,
            priority: t.priority,
            coverage: t.coverage,
            category: t.category,
            channel: t.channel,
            organization_id: t.organization_id,
            requester_id: t.requester_id,
            assignee_id: t.assignee_id,
            asset_id: t.asset_id,
            policy_id: t.policy_id,
            created_at: t.created_at,
            updated_at: t.updated_at,
            resolved_at: t.resolved_at,
            closed_at: t.closed_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TicketPageOut {
    pub items: Vec<TicketOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CommentOut {
    pub id: i64,
    pub author_id: i64,
    pub body: String,
    /// Internal notes are visible to agency staff only.
    pub internal: bool,
    pub created_at: DateTime<Utc>,
}

impl From<Comment> for CommentOut {
    fn from(c: Comment) -> Self {
        Self { id: c.id, author_id: c.author_id, body: c.body, internal: c.internal, created_at: c.created_at }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentOut {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub internal: bool,
    pub uploader_id: i64,
    pub created_at: DateTime<Utc>,
    /// Where to download it.
    pub url: String,
}

impl From<Attachment> for AttachmentOut {
    fn from(a: Attachment) -> Self {
        Self {
            url: format!("/api/v1/attachments/{}", a.id),
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            internal: a.internal,
            uploader_id: a.uploader_id,
            created_at: a.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub id: i64,
    pub kind: EventKind,
    /// Null when the system made the change.
    pub actor_id: Option<i64>,
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<TicketEvent> for EventOut {
    fn from(e: TicketEvent) -> Self {
        let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        Self {
            id: e.id,
            kind: e.kind,
            actor_id: e.actor_id,
            before: parse(e.before),
            after: parse(e.after),
            reason: e.reason,
            created_at: e.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TicketDetailOut {
    pub ticket: TicketOut,
    pub comments: Vec<CommentOut>,
    pub attachments: Vec<AttachmentOut>,
    /// The history, oldest first; internal events only for staff.
    pub events: Vec<EventOut>,
    /// What the classifier suggested when the request was opened (staff only; null for
    /// client contacts and for requests opened before the classifier).
    pub suggestion: Option<SuggestionOut>,
}

/// The classifier's suggestion for a request, with the reasons a person can check.
#[derive(Serialize, ToSchema)]
pub struct SuggestionOut {
    /// A category id of the scope policy.
    pub category: String,
    /// `covered` or `not_covered`: the category's coverage under the policy.
    pub coverage: String,
    /// `critical`, `high`, `normal` or `low`.
    pub priority: String,
    /// Probability of the suggested category, 0 to 1.
    pub confidence: f64,
    /// Probability of the suggested coverage, 0 to 1.
    pub coverage_confidence: f64,
    /// The section of the policy behind the category, e.g. "1.1".
    pub clause: String,
    /// The words of the request that weighed most towards the category.
    pub top_words: Vec<String>,
    pub model_version: String,
    pub created_at: DateTime<Utc>,
    /// When an agent accepted it as it was.
    pub accepted_at: Option<DateTime<Utc>>,
    /// True when an agent classified differently, false when an agent confirmed it, null
    /// while nobody decided.
    pub corrected: Option<bool>,
}

impl From<alcance_app::triage::TicketSuggestion> for SuggestionOut {
    fn from(s: alcance_app::triage::TicketSuggestion) -> Self {
        Self {
            category: s.category,
            coverage: s.coverage,
            priority: s.priority,
            confidence: s.confidence as f64 / 1000.0,
            coverage_confidence: s.coverage_confidence as f64 / 1000.0,
            clause: s.clause,
            top_words: s.top_words,
            model_version: s.model_version,
            created_at: s.created_at,
            accepted_at: s.accepted_at,
            corrected: s.corrected,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationOut {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationOut {
    fn from(o: Organization) -> Self {
        Self {
            id: o.id,
            slug: o.slug,
            name: o.name,
            time_zone: o.time_zone,
            active: o.active,
            created_at: o.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub language: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            organization_id: u.organization_id,
            language: u.language,
            active: u.active,
            created_at: u.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContractOut {
    pub id: i64,
    pub organization_id: i64,
    pub policy_id: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// Hourly rate in minor units of `currency`.
    pub hourly_rate_minor: i64,
    pub currency: String,
    /// 1900 means 19 %.
    pub tax_rate_basis_points: i64,
    pub allow_overdraft: bool,
    pub time_zone: String,
    /// The week its SLA clock counts business time in, e.g. "lun-vie 08:00-12:00,14:00-18:00;
    /// sáb 08:00-12:00" (canonical form, Spanish day names); null: Monday to Friday
    /// 08:00-18:00.
    pub working_hours: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl ContractOut {
    /// The contract with its working hours (`directory::working_hours_of`).
    pub fn with_hours(c: Contract, hours: &std::collections::HashMap<i64, String>) -> Self {
        let working_hours = hours.get(&c.id).cloned();
        Self { working_hours, ..c.into() }
    }
}

impl From<Contract> for ContractOut {
    fn from(c: Contract) -> Self {
        Self {
            id: c.id,
            organization_id: c.organization_id,
            policy_id: c.policy_id,
            name: c.name,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            hourly_rate_minor: c.hourly_rate_minor,
            currency: c.currency,
            tax_rate_basis_points: c.tax_rate_basis_points,
            allow_overdraft: c.allow_overdraft,
            time_zone: c.time_zone,
            working_hours: None,
            active: c.active,
            created_at: c.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssetOut {
    pub id: i64,
    pub organization_id: i64,
    pub kind: AssetKind,
    pub name: String,
    pub url: Option<String>,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

impl From<Asset> for AssetOut {
    fn from(a: Asset) -> Self {
        Self {
            id: a.id,
            organization_id: a.organization_id,
            kind: a.kind,
            name: a.name,
            url: a.url,
            description: a.description,
            created_at: a.created_at,
        }
    }
}
