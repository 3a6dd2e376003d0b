//! Entries of a ticket's history, written by the use cases in the same transaction as the
//! change they describe.

use alcance_domain::model::{EventKind, Id};
use alcance_store::Conn;
use alcance_store::repo::events;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::AppError;

pub(crate) struct Event {
    kind: EventKind,
    internal: bool,
    before: Option<Value>,
    after: Option<Value>,
    reason: Option<String>,
}

impl Event {
    /// Notes and assignments are internal by nature; everything else the client may see.
    pub(crate) fn new(kind: EventKind) -> Self {
        let internal = matches!(kind, EventKind::NoteAdded | EventKind::AssigneeChanged);
        Self { kind, internal, before: None, after: None, reason: None }
    }

    /// A change of one value, from `before` to `after`.
    pub(crate) fn change(kind: EventKind, before: impl Serialize, after: impl Serialize) -> Self {
        Self::new(kind).before(before).after(after)
    }

    pub(crate) fn before(mut self, value: impl Serialize) -> Self {
        self.before = serde_json::to_value(value).ok();
        self
    }

    pub(crate) fn after(mut self, value: impl Serialize) -> Self {
        self.after = serde_json::to_value(value).ok();
        self
    }

    pub(crate) fn reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }

    pub(crate) fn internal(mut self, internal: bool) -> Self {
        self.internal = internal;
        self
    }

    pub(crate) async fn record(
        self,
        conn: &mut dyn Conn,
        ticket_id: Id,
        actor: Option<Id>,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let event = events::NewEvent {
            ticket_id,
            actor_id: actor,
            kind: self.kind,
            internal: self.internal,
            before: self.before.map(|v| v.to_string()),
            after: self.after.map(|v| v.to_string()),
            reason: self.reason,
        };
        Ok(events::append(conn, event, now).await?)
    }
}
