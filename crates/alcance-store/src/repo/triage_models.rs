//! Triage models trained from agents' decisions, and the labelled requests they learn from.

use alcance_domain::model::Id;
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError, Value};

macro_rules! columns {
    () => {
        "id, version, created_at, cause, examples, agent_examples, holdout_size, holdout_score, compared_with, compared_score, metrics, accepted, active"
    };
}

/// A trained model's record (its weights are read separately: they are large).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRecord {
    pub id: Id,
    pub version: String,
    pub created_at: DateTime<Utc>,
    /// What asked for the training: "job" or "cli".
    pub cause: String,
    /// Labelled requests it was trained on (bundled corpus plus agents' decisions).
    pub examples: i64,
    pub agent_examples: i64,
    /// Agents' decisions held back from training to compare models on.
    pub holdout_size: i64,
    /// Per mille on the held-back slice.
    pub holdout_score: i64,
    /// The model it was compared with ("built-in" for the one trained from the bundled corpus).
    pub compared_with: String,
    pub compared_score: i64,
    /// JSON: the figures on the held-back slice.
    pub metrics: String,
    /// Whether it was at least as good as the model it was compared with.
    pub accepted: bool,
    pub active: bool,
}

fn from_row(row: &Row) -> Result<ModelRecord, StoreError> {
    Ok(ModelRecord {
        id: row.int("id")?,
        version: row.text("version")?,
        created_at: row.time("created_at")?,
        cause: row.text("cause")?,
        examples: row.int("examples")?,
        agent_examples: row.int("agent_examples")?,
        holdout_size: row.int("holdout_size")?,
        holdout_score: row.int("holdout_score")?,
        compared_with: row.text("compared_with")?,
        compared_score: row.int("compared_score")?,
        metrics: row.text("metrics")?,
        accepted: row.bool("accepted")?,
        active: row.bool("active")?,
    })
}

/// Stores a trained model. An accepted one (with its weights) becomes the only active one;
/// a rejected one is recorded without weights. False when a model of that version was
/// already stored (another process trained the same data first).
pub async fn insert(conn: &mut dyn Conn, record: &ModelRecord, weights: Option<Vec<u8>>) -> Result<bool, StoreError> {
    let exists = conn
        .fetch_optional(
            Sql::Borrowed("SELECT id FROM triage_models WHERE version = $1"),
            vec![record.version.as_str().into()],
        )
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    if record.active {
        conn.execute(
            Sql::Borrowed("UPDATE triage_models SET active = $1 WHERE active = $2"),
            vec![false.into(), true.into()],
        )
        .await?;
    }
    let sql = concat!(
        "INSERT INTO triage_models (version, created_at, cause, examples, agent_examples, holdout_size, holdout_score, ",
        "compared_with, compared_score, metrics, accepted, active, model) ",
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    );
    let args = vec![
        record.version.as_str().into(),
        record.created_at.into(),
        record.cause.as_str().into(),
        record.examples.into(),
        record.agent_examples.into(),
        record.holdout_size.into(),
        record.holdout_score.into(),
        record.compared_with.as_str().into(),
        record.compared_score.into(),
        record.metrics.as_str().into(),
        record.accepted.into(),
        record.active.into(),
        Value::Bytes(weights),
    ];
    conn.execute(Sql::Borrowed(sql), args).await?;
    Ok(true)
}

/// The active model's record and weights, if a trained one is active.
pub async fn active(conn: &mut dyn Conn) -> Result<Option<(ModelRecord, Vec<u8>)>, StoreError> {
    let sql = concat!("SELECT ", columns!(), ", model FROM triage_models WHERE active = $1");
    match conn.fetch_optional(Sql::Borrowed(sql), vec![true.into()]).await? {
        Some(row) => Ok(Some((from_row(&row)?, row.bytes("model")?))),
        None => Ok(None),
    }
}

/// The active model's version, cheaply (servers poll it to pick up a model another
/// process trained).
pub async fn active_version(conn: &mut dyn Conn) -> Result<Option<String>, StoreError> {
    let row = conn
        .fetch_optional(Sql::Borrowed("SELECT version FROM triage_models WHERE active = $1"), vec![true.into()])
        .await?;
    row.map(|r| r.text("version")).transpose()
}

/// The latest trainings, newest first.
pub async fn recent(conn: &mut dyn Conn, limit: i64) -> Result<Vec<ModelRecord>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM triage_models ORDER BY id DESC LIMIT $1");
    conn.fetch_all(Sql::Borrowed(sql), vec![limit.into()]).await?.iter().map(from_row).collect()
}

/// A request an agent classified, with the labels the agent settled on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLabel {
    pub ticket_id: Id,
    pub subject: String,
    pub body: String,
    pub category: String,
    pub coverage: String,
    pub priority: String,
}

/// Every ticket whose suggestion an agent confirmed or corrected, with the ticket's current
/// category, coverage and priority, in ticket order (at most `limit`, the newest kept).
pub async fn agent_labels(conn: &mut dyn Conn, limit: i64) -> Result<Vec<AgentLabel>, StoreError> {
    let sql = "SELECT * FROM (SELECT t.id, t.subject, t.body, t.category, t.coverage, t.priority \
               FROM tickets t JOIN ticket_suggestions s ON s.ticket_id = t.id \
               WHERE s.corrected IS NOT NULL AND t.category IS NOT NULL ORDER BY t.id DESC LIMIT $1) recent ORDER BY id";
    let rows = conn.fetch_all(Sql::Borrowed(sql), vec![limit.into()]).await?;
    rows.iter()
        .map(|r| {
            Ok(AgentLabel {
                ticket_id: r.int("id")?,
                subject: r.text("subject")?,
                body: r.text("body")?,
                category: r.text("category")?,
                coverage: r.text("coverage")?,
                priority: r.text("priority")?,
            })
        })
        .collect()
}
