//! What the classifier suggested for each ticket when it was opened, and what agents did
//! with it (accepted it, or classified differently).

use alcance_domain::model::Id;
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, SqlBuilder, StoreError};

macro_rules! columns {
    () => {
        "ticket_id, category, coverage, priority, confidence, coverage_confidence, clause, top_words, model_version, created_at, accepted_at, corrected"
    };
}

/// A stored suggestion. Confidences are per mille (0-1000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSuggestion {
    pub ticket_id: Id,
    /// A category id of the policy the model learnt from.
    pub category: String,
    /// "covered" or "not_covered".
    pub coverage: String,
    /// "critical", "high", "normal" or "low".
    pub priority: String,
    pub confidence: i64,
    pub coverage_confidence: i64,
    /// The policy section behind the category (e.g. "1.1").
    pub clause: String,
    /// The words that weighed most.
    pub top_words: Vec<String>,
    pub model_version: String,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// `Some(true)` when an agent classified differently; `Some(false)` when an agent
    /// confirmed it; `None` while nobody decided.
    pub corrected: Option<bool>,
}

fn from_row(row: &Row) -> Result<StoredSuggestion, StoreError> {
    let words = row.text("top_words")?;
    let top_words = serde_json::from_str(&words)
        .map_err(|e| StoreError::Decode(format!("column `top_words` is not a JSON list of strings: {e}")))?;
    Ok(StoredSuggestion {
        ticket_id: row.int("ticket_id")?,
        category: row.text("category")?,
        coverage: row.text("coverage")?,
        priority: row.text("priority")?,
        confidence: row.int("confidence")?,
        coverage_confidence: row.int("coverage_confidence")?,
        clause: row.text("clause")?,
        top_words,
        model_version: row.text("model_version")?,
        created_at: row.time("created_at")?,
        accepted_at: row.opt_time("accepted_at")?,
        corrected: row.opt_int("corrected")?.map(|v| v != 0),
    })
}

/// Stores the suggestion of a new ticket (one per ticket).
pub async fn insert(conn: &mut dyn Conn, s: &StoredSuggestion) -> Result<(), StoreError> {
    let sql = concat!(
        "INSERT INTO ticket_suggestions (",
        columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    );
    let words = serde_json::to_string(&s.top_words).map_err(|e| StoreError::Decode(e.to_string()))?;
    let corrected = match s.corrected {
        Some(b) => b.into(),
        None => crate::Value::Bool(None),
    };
    let args = vec![
        s.ticket_id.into(),
        s.category.as_str().into(),
        s.coverage.as_str().into(),
        s.priority.as_str().into(),
        s.confidence.into(),
        s.coverage_confidence.into(),
        s.clause.as_str().into(),
        words.into(),
        s.model_version.as_str().into(),
        s.created_at.into(),
        s.accepted_at.into(),
        corrected,
    ];
    conn.execute(Sql::Borrowed(sql), args).await?;
    Ok(())
}

pub async fn for_ticket(conn: &mut dyn Conn, ticket_id: Id) -> Result<Option<StoredSuggestion>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM ticket_suggestions WHERE ticket_id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![ticket_id.into()]).await?.as_ref().map(from_row).transpose()
}

/// The suggestions of several tickets (e.g. one page of a queue), in no particular order.
pub async fn for_tickets(conn: &mut dyn Conn, ticket_ids: &[Id]) -> Result<Vec<StoredSuggestion>, StoreError> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = SqlBuilder::new(concat!("SELECT ", columns!(), " FROM ticket_suggestions WHERE ticket_id IN ("));
    q.bind_list(ticket_ids).push(")");
    let (sql, args) = q.finish();
    conn.fetch_all(sql, args).await?.iter().map(from_row).collect()
}

/// An agent accepted the suggestion as it was.
pub async fn mark_accepted(conn: &mut dyn Conn, ticket_id: Id, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = conn
        .execute(
            Sql::Borrowed("UPDATE ticket_suggestions SET accepted_at = $2, corrected = $3 WHERE ticket_id = $1"),
            vec![ticket_id.into(), now.into(), false.into()],
        )
        .await?;
    Ok(n > 0)
}

/// An agent classified the ticket: differently from the suggestion (`corrected`) or the same.
pub async fn mark_corrected(conn: &mut dyn Conn, ticket_id: Id, corrected: bool) -> Result<bool, StoreError> {
    let n = conn
        .execute(
            Sql::Borrowed("UPDATE ticket_suggestions SET corrected = $2 WHERE ticket_id = $1"),
            vec![ticket_id.into(), corrected.into()],
        )
        .await?;
    Ok(n > 0)
}

/// What became of one suggestion, for the leads' figures (see [`outcomes_since`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionOutcome {
    /// The suggested category id.
    pub category: String,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// As in [`StoredSuggestion::corrected`].
    pub corrected: Option<bool>,
}

/// The most outcomes [`outcomes_since`] reads at once (a few thousand a quarter is normal).
pub const MAX_OUTCOMES: i64 = 100_000;

/// The outcomes of the suggestions created at or after `since`, oldest first, at most
/// `limit` of them (capped at [`MAX_OUTCOMES`]). The caller groups them into periods: the
/// same SQL on both backends, no date functions.
pub async fn outcomes_since(
    conn: &mut dyn Conn,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<SuggestionOutcome>, StoreError> {
    let sql = "SELECT category, created_at, accepted_at, corrected FROM ticket_suggestions \
               WHERE created_at >= $1 ORDER BY created_at, ticket_id LIMIT $2";
    let rows = conn.fetch_all(Sql::Borrowed(sql), vec![since.into(), limit.clamp(0, MAX_OUTCOMES).into()]).await?;
    rows.iter()
        .map(|row| {
            Ok(SuggestionOutcome {
                category: row.text("category")?,
                created_at: row.time("created_at")?,
                accepted_at: row.opt_time("accepted_at")?,
                corrected: row.opt_int("corrected")?.map(|v| v != 0),
            })
        })
        .collect()
}
