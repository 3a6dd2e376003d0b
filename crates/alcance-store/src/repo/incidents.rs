//! Incidents (`incidents`), the tokens monitoring tools post alerts with
//! (`integration_tokens`), and what a contract says about monitoring (`contract_monitoring`).

use alcance_domain::model::Id;
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRow {
    pub id: Id,
    pub organization_id: Id,
    /// "monitor", "alertmanager", "checkmk" or "webhook".
    pub source: String,
    pub incident_key: String,
    pub monitor_id: Option<Id>,
    pub ticket_id: Id,
    pub title: String,
    pub last_code: String,
    pub last_threshold: Option<i64>,
    pub occurrences: i64,
    pub opened_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

macro_rules! columns {
    () => {
        "id, organization_id, source, incident_key, monitor_id, ticket_id, title, last_code, last_threshold, \
         occurrences, opened_at, last_seen_at, resolved_at"
    };
}

fn from_row(row: &Row) -> Result<IncidentRow, StoreError> {
    Ok(IncidentRow {
        id: row.int("id")?,
        organization_id: row.int("organization_id")?,
        source: row.text("source")?,
        incident_key: row.text("incident_key")?,
        monitor_id: row.opt_int("monitor_id")?,
        ticket_id: row.int("ticket_id")?,
        title: row.text("title")?,
        last_code: row.text("last_code")?,
        last_threshold: row.opt_int("last_threshold")?,
        occurrences: row.int("occurrences")?,
        opened_at: row.time("opened_at")?,
        last_seen_at: row.time("last_seen_at")?,
        resolved_at: row.opt_time("resolved_at")?,
    })
}

pub struct NewIncident<'a> {
    pub organization_id: Id,
    pub source: &'a str,
    pub incident_key: &'a str,
    pub monitor_id: Option<Id>,
    pub ticket_id: Id,
    pub title: &'a str,
    pub code: &'a str,
    pub threshold: Option<i64>,
}

/// Opens an incident. A second open incident for the same key is refused by the partial
/// unique index (`StoreError::Conflict`).
pub async fn insert(conn: &mut dyn Conn, new: NewIncident<'_>, now: DateTime<Utc>) -> Result<IncidentRow, StoreError> {
    let sql = concat!(
        "INSERT INTO incidents (organization_id, source, incident_key, monitor_id, ticket_id, title, last_code, ",
        "last_threshold, occurrences, opened_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING ",
        columns!()
    );
    let args = vec![
        new.organization_id.into(),
        new.source.into(),
        new.incident_key.into(),
        new.monitor_id.into(),
        new.ticket_id.into(),
        new.title.into(),
        new.code.into(),
        new.threshold.into(),
        now.into(),
    ];
    from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

/// The open incident of this key, through the partial unique index.
pub async fn open_for_key(
    conn: &mut dyn Conn,
    organization_id: Id,
    key: &str,
) -> Result<Option<IncidentRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM incidents WHERE organization_id = $1 AND incident_key = $2 AND resolved_at IS NULL"
    );
    conn.fetch_optional(Sql::Borrowed(sql), vec![organization_id.into(), key.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Another occurrence of an open incident's problem.
pub async fn seen_again(
    conn: &mut dyn Conn,
    id: Id,
    code: &str,
    threshold: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = concat!(
        "UPDATE incidents SET occurrences = occurrences + 1, last_code = $2, last_threshold = $3, last_seen_at = $4 ",
        "WHERE id = $1"
    );
    conn.execute(Sql::Borrowed(sql), vec![id.into(), code.into(), threshold.into(), now.into()]).await?;
    Ok(())
}

pub async fn resolve(conn: &mut dyn Conn, id: Id, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let sql = "UPDATE incidents SET resolved_at = $2, last_seen_at = $2 WHERE id = $1 AND resolved_at IS NULL";
    Ok(conn.execute(Sql::Borrowed(sql), vec![id.into(), now.into()]).await? == 1)
}

/// An organisation's incidents opened since `since`, newest first.
pub async fn for_organization(
    conn: &mut dyn Conn,
    organization_id: Id,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<IncidentRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM incidents WHERE organization_id = $1 AND opened_at >= $2 ORDER BY opened_at DESC, id DESC LIMIT $3"
    );
    let args = vec![organization_id.into(), since.into(), limit.into()];
    conn.fetch_all(Sql::Borrowed(sql), args).await?.iter().map(from_row).collect()
}

/// The incidents a ticket tracks (usually one).
pub async fn for_ticket(conn: &mut dyn Conn, ticket_id: Id) -> Result<Vec<IncidentRow>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM incidents WHERE ticket_id = $1 ORDER BY id");
    conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into()]).await?.iter().map(from_row).collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntegrationToken {
    pub id: Id,
    pub organization_id: Id,
    pub name: String,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

macro_rules! token_columns {
    () => {
        "id, organization_id, name, created_by, created_at, last_used_at, revoked_at"
    };
}

fn token_from_row(row: &Row) -> Result<IntegrationToken, StoreError> {
    Ok(IntegrationToken {
        id: row.int("id")?,
        organization_id: row.int("organization_id")?,
        name: row.text("name")?,
        created_by: row.int("created_by")?,
        created_at: row.time("created_at")?,
        last_used_at: row.opt_time("last_used_at")?,
        revoked_at: row.opt_time("revoked_at")?,
    })
}

pub async fn insert_token(
    conn: &mut dyn Conn,
    organization_id: Id,
    name: &str,
    token_hash: &str,
    created_by: Id,
    now: DateTime<Utc>,
) -> Result<IntegrationToken, StoreError> {
    let sql = concat!(
        "INSERT INTO integration_tokens (organization_id, name, token_hash, created_by, created_at) ",
        "VALUES ($1, $2, $3, $4, $5) RETURNING ",
        token_columns!()
    );
    let args = vec![organization_id.into(), name.into(), token_hash.into(), created_by.into(), now.into()];
    token_from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

/// The live token with this digest.
pub async fn token_by_hash(conn: &mut dyn Conn, token_hash: &str) -> Result<Option<IntegrationToken>, StoreError> {
    let sql =
        concat!("SELECT ", token_columns!(), " FROM integration_tokens WHERE token_hash = $1 AND revoked_at IS NULL");
    conn.fetch_optional(Sql::Borrowed(sql), vec![token_hash.into()]).await?.as_ref().map(token_from_row).transpose()
}

pub async fn touch_token(conn: &mut dyn Conn, id: Id, now: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "UPDATE integration_tokens SET last_used_at = $2 WHERE id = $1";
    conn.execute(Sql::Borrowed(sql), vec![id.into(), now.into()]).await?;
    Ok(())
}

pub async fn list_tokens(conn: &mut dyn Conn) -> Result<Vec<IntegrationToken>, StoreError> {
    let sql = concat!("SELECT ", token_columns!(), " FROM integration_tokens ORDER BY organization_id, id");
    conn.fetch_all(Sql::Borrowed(sql), Vec::new()).await?.iter().map(token_from_row).collect()
}

pub async fn revoke_token(conn: &mut dyn Conn, id: Id, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let sql = "UPDATE integration_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
    Ok(conn.execute(Sql::Borrowed(sql), vec![id.into(), now.into()]).await? == 1)
}

/// What a contract says about monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitoringTerms {
    pub status_page_public: bool,
    pub resolve_on_recovery: bool,
}

impl Default for MonitoringTerms {
    /// Private status pages; recoveries resolve their tickets.
    fn default() -> Self {
        Self { status_page_public: false, resolve_on_recovery: true }
    }
}

pub async fn terms(conn: &mut dyn Conn, contract_id: Id) -> Result<MonitoringTerms, StoreError> {
    let sql = "SELECT status_page_public, resolve_on_recovery FROM contract_monitoring WHERE contract_id = $1";
    match conn.fetch_optional(Sql::Borrowed(sql), vec![contract_id.into()]).await? {
        Some(row) => Ok(MonitoringTerms {
            status_page_public: row.bool("status_page_public")?,
            resolve_on_recovery: row.bool("resolve_on_recovery")?,
        }),
        None => Ok(MonitoringTerms::default()),
    }
}

pub async fn set_terms(
    conn: &mut dyn Conn,
    contract_id: Id,
    terms: MonitoringTerms,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = concat!(
        "INSERT INTO contract_monitoring (contract_id, status_page_public, resolve_on_recovery, updated_at) ",
        "VALUES ($1, $2, $3, $4) ON CONFLICT (contract_id) DO UPDATE SET ",
        "status_page_public = excluded.status_page_public, resolve_on_recovery = excluded.resolve_on_recovery, ",
        "updated_at = excluded.updated_at"
    );
    let args = vec![contract_id.into(), terms.status_page_public.into(), terms.resolve_on_recovery.into(), now.into()];
    conn.execute(Sql::Borrowed(sql), args).await?;
    Ok(())
}
