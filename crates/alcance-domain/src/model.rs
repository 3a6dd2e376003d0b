//! The records Alcance keeps, as plain data. The store reads and writes them; services
//! decide what may change; the web turns them into responses.

use chrono::{DateTime, Utc};

use crate::Role;
use crate::ticket::{Channel, Coverage, Priority, Status};

pub type Id = i64;

#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Set for client contacts, empty for agency staff.
    pub organization_id: Option<Id>,
    pub language: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

/// An API token as people manage it: who it acts as, its label and its life. The token
/// itself is never kept, only its digest, and the digest never leaves the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    pub id: Id,
    pub user_id: Id,
    pub label: String,
    pub created_at: DateTime<Utc>,
    /// When a request last authenticated with it (recorded at most about once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A stored scope policy version (its TOML text is kept so history can be re-read).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyVersion {
    pub id: Id,
    pub key: String,
    pub version: i64,
    pub content: String,
    pub content_sha256: String,
    pub loaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub id: Id,
    pub organization_id: Id,
    pub policy_id: Id,
    pub name: String,
    /// ISO dates (YYYY-MM-DD): a contract runs for whole days.
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// Hourly rate in minor units of `currency` (COP has no minor unit in practice: pesos).
    pub hourly_rate_minor: i64,
    pub currency: String,
    /// 1900 = 19 % IVA.
    pub tax_rate_basis_points: i64,
    pub allow_overdraft: bool,
    pub time_zone: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

crate::string_enum!(
    AssetKind {
        Software => "software",
        Server => "server",
    }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    pub id: Id,
    pub organization_id: Id,
    pub kind: AssetKind,
    pub name: String,
    pub url: Option<String>,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: Id,
    /// The number people quote (#1042); unique across the deployment.
    pub number: i64,
    pub organization_id: Id,
    pub requester_id: Id,
    pub assignee_id: Option<Id>,
    pub asset_id: Option<Id>,
    pub subject: String,
    pub body: String,
    pub channel: Channel,
    pub priority: Priority,
    pub category: Option<String>,
    pub coverage: Coverage,
    pub status: Status,
    /// The policy version the ticket was classified under.
    pub policy_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A public reply or an internal note.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: Id,
    pub ticket_id: Id,
    pub author_id: Id,
    pub body: String,
    pub internal: bool,
    pub created_at: DateTime<Utc>,
}

/// An attachment's description; the bytes are read separately.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub id: Id,
    pub ticket_id: Id,
    pub uploader_id: Id,
    pub internal: bool,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

crate::string_enum!(
    /// What happened to a ticket. Each kind records the value before and after.
    EventKind {
        Created => "created",
        StatusChanged => "status_changed",
        PriorityChanged => "priority_changed",
        AssigneeChanged => "assignee_changed",
        Classified => "classified",
        CoverageOverridden => "coverage_overridden",
        Replied => "replied",
        NoteAdded => "note_added",
        AttachmentAdded => "attachment_added",
        /// A client's answer to a "not covered" classification: a quote, prepaid hours, or
        /// declining (the choice and an optional comment are in `after`).
        ClientDecision => "client_decision",
        /// Time an agent spent (internal): minutes, billing and the day worked.
        TimeLogged => "time_logged",
        /// A quote of the ticket changed state: number and status before and after.
        QuoteChanged => "quote_changed",
        /// An SLA target reached its warning threshold (internal): metric, due, percent.
        SlaWarning => "sla_warning",
        /// An SLA target passed its due instant unmet (internal): metric, due, percent.
        SlaBreached => "sla_breached",
        /// A monitor or an external alert reported a problem on the incident this ticket
        /// tracks (source, code, details in `after`).
        MonitorAlert => "monitor_alert",
        /// The incident's monitor or alert recovered.
        MonitorRecovered => "monitor_recovered",
    }
);

#[derive(Debug, Clone, PartialEq)]
pub struct TicketEvent {
    pub id: Id,
    pub ticket_id: Id,
    /// Empty for changes the system made itself.
    pub actor_id: Option<Id>,
    pub kind: EventKind,
    /// Hidden from client contacts (internal notes and attachments).
    pub internal: bool,
    /// JSON text of the value(s) before and after the change.
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}
