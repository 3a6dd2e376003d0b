//! Monitors (`monitors`) and their check results (`monitor_checks`).

use alcance_domain::model::Id;
use alcance_domain::monitor::{MonitorKind, MonitorSpec, MonitorState, Streak};
use chrono::{DateTime, Duration, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct MonitorRow {
    pub id: Id,
    pub organization_id: Id,
    pub asset_id: Option<Id>,
    pub name: String,
    pub kind: MonitorKind,
    pub target: String,
    pub method: String,
    pub expected_status: i64,
    pub keyword: Option<String>,
    pub interval_seconds: i64,
    pub timeout_seconds: i64,
    pub slow_ms: Option<i64>,
    pub failures_to_open: i64,
    pub successes_to_close: i64,
    pub category: Option<String>,
    pub grace_seconds: i64,
    pub enabled: bool,
    pub state: MonitorState,
    pub failures: i64,
    pub successes: i64,
    pub last_check_at: Option<DateTime<Utc>>,
    pub next_check_at: DateTime<Utc>,
    pub last_response_ms: Option<i64>,
    pub last_code: Option<String>,
    pub last_ping_at: Option<DateTime<Utc>>,
    pub cert_not_after: Option<DateTime<Utc>>,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MonitorRow {
    pub fn streak(&self) -> Streak {
        Streak {
            failures: self.failures.clamp(0, i64::from(u32::MAX)) as u32,
            successes: self.successes.clamp(0, i64::from(u32::MAX)) as u32,
            incident_open: self.state == MonitorState::Down,
        }
    }
}

macro_rules! columns {
    () => {
        "id, organization_id, asset_id, name, kind, target, method, expected_status, keyword, \
         interval_seconds, timeout_seconds, slow_ms, failures_to_open, successes_to_close, category, \
         grace_seconds, enabled, state, failures, successes, last_check_at, next_check_at, \
         last_response_ms, last_code, last_ping_at, cert_not_after, created_by, created_at, updated_at"
    };
}

fn decode<T>(
    column: &str,
    value: &str,
    parse: impl Fn(&str, &str) -> Result<T, alcance_domain::FieldError>,
) -> Result<T, StoreError> {
    parse(column, value).map_err(|e| StoreError::Decode(e.to_string()))
}

fn from_row(row: &Row) -> Result<MonitorRow, StoreError> {
    Ok(MonitorRow {
        id: row.int("id")?,
        organization_id: row.int("organization_id")?,
        asset_id: row.opt_int("asset_id")?,
        name: row.text("name")?,
        kind: decode("kind", &row.text("kind")?, MonitorKind::parse)?,
        target: row.text("target")?,
        method: row.text("method")?,
        expected_status: row.int("expected_status")?,
        keyword: row.opt_text("keyword")?,
        interval_seconds: row.int("interval_seconds")?,
        timeout_seconds: row.int("timeout_seconds")?,
        slow_ms: row.opt_int("slow_ms")?,
        failures_to_open: row.int("failures_to_open")?,
        successes_to_close: row.int("successes_to_close")?,
        category: row.opt_text("category")?,
        grace_seconds: row.int("grace_seconds")?,
        enabled: row.bool("enabled")?,
        state: decode("state", &row.text("state")?, MonitorState::parse)?,
        failures: row.int("failures")?,
        successes: row.int("successes")?,
        last_check_at: row.opt_time("last_check_at")?,
        next_check_at: row.time("next_check_at")?,
        last_response_ms: row.opt_int("last_response_ms")?,
        last_code: row.opt_text("last_code")?,
        last_ping_at: row.opt_time("last_ping_at")?,
        cert_not_after: row.opt_time("cert_not_after")?,
        created_by: row.int("created_by")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

pub struct NewMonitor<'a> {
    pub organization_id: Id,
    pub asset_id: Option<Id>,
    pub spec: &'a MonitorSpec,
    pub heartbeat_hash: Option<String>,
    pub created_by: Id,
}

/// The settings columns insert and update share, from `target` to `grace_seconds`.
fn spec_values(s: &MonitorSpec) -> Vec<crate::Value> {
    vec![
        s.target.as_str().into(),
        s.method.as_str().into(),
        i64::from(s.expected_status).into(),
        s.keyword.clone().into(),
        s.interval_seconds.into(),
        s.timeout_seconds.into(),
        s.slow_ms.into(),
        i64::from(s.damping.failures_to_open).into(),
        i64::from(s.damping.successes_to_close).into(),
        s.category.into(),
        s.grace_seconds.into(),
    ]
}

pub async fn insert(conn: &mut dyn Conn, new: NewMonitor<'_>, now: DateTime<Utc>) -> Result<MonitorRow, StoreError> {
    let s = new.spec;
    let sql = concat!(
        "INSERT INTO monitors (organization_id, asset_id, name, kind, target, method, expected_status, keyword, ",
        "interval_seconds, timeout_seconds, slow_ms, failures_to_open, successes_to_close, category, grace_seconds, ",
        "heartbeat_hash, enabled, state, failures, successes, next_check_at, created_by, created_at, updated_at) ",
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'pending', 0, 0, $18, $19, $20, $20) ",
        "RETURNING ",
        columns!()
    );
    // A heartbeat is first due one period after it is set up; checks start at once.
    let first_check = match s.kind {
        MonitorKind::Heartbeat => now + Duration::seconds(s.interval_seconds + s.grace_seconds),
        _ => now,
    };
    let mut args =
        vec![new.organization_id.into(), new.asset_id.into(), s.name.as_str().into(), s.kind.as_str().into()];
    args.extend(spec_values(s));
    args.extend([new.heartbeat_hash.into(), true.into(), first_check.into(), new.created_by.into(), now.into()]);
    from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

/// Changes the settings (not the state) of a monitor.
pub async fn update_spec(
    conn: &mut dyn Conn,
    id: Id,
    asset_id: Option<Id>,
    s: &MonitorSpec,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sql = concat!(
        "UPDATE monitors SET asset_id = $2, name = $3, target = $4, method = $5, expected_status = $6, keyword = $7, ",
        "interval_seconds = $8, timeout_seconds = $9, slow_ms = $10, failures_to_open = $11, successes_to_close = $12, ",
        "category = $13, grace_seconds = $14, enabled = $15, updated_at = $16 WHERE id = $1"
    );
    let mut args = vec![id.into(), asset_id.into(), s.name.as_str().into()];
    args.extend(spec_values(s));
    args.extend([enabled.into(), now.into()]);
    Ok(conn.execute(Sql::Borrowed(sql), args).await? == 1)
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<MonitorRow>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM monitors WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn by_heartbeat_hash(conn: &mut dyn Conn, hash: &str) -> Result<Option<MonitorRow>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM monitors WHERE heartbeat_hash = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![hash.into()]).await?.as_ref().map(from_row).transpose()
}

/// Every monitor, or one organisation's, by organisation then name.
pub async fn list(conn: &mut dyn Conn, organization_id: Option<Id>) -> Result<Vec<MonitorRow>, StoreError> {
    let rows = match organization_id {
        Some(org) => {
            let sql = concat!("SELECT ", columns!(), " FROM monitors WHERE organization_id = $1 ORDER BY name, id");
            conn.fetch_all(Sql::Borrowed(sql), vec![org.into()]).await?
        }
        None => {
            let sql = concat!("SELECT ", columns!(), " FROM monitors ORDER BY organization_id, name, id");
            conn.fetch_all(Sql::Borrowed(sql), Vec::new()).await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// Enabled monitors whose check is due, oldest first (an index walk on `monitors_due`).
pub async fn due(conn: &mut dyn Conn, now: DateTime<Utc>, limit: i64) -> Result<Vec<MonitorRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM monitors WHERE enabled = $1 AND next_check_at <= $2 ORDER BY next_check_at LIMIT $3"
    );
    conn.fetch_all(Sql::Borrowed(sql), vec![true.into(), now.into(), limit.into()])
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Takes a due check: moves `next_check_at` from the value this server read to `next`.
/// Only one of several servers that read the same row succeeds.
pub async fn claim(
    conn: &mut dyn Conn,
    id: Id,
    seen_next: DateTime<Utc>,
    next: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sql = "UPDATE monitors SET next_check_at = $3 WHERE id = $1 AND next_check_at = $2 AND enabled = $4";
    Ok(conn.execute(Sql::Borrowed(sql), vec![id.into(), seen_next.into(), next.into(), true.into()]).await? == 1)
}

/// What one check left on the monitor.
pub struct CheckResult<'a> {
    pub state: MonitorState,
    pub streak: Streak,
    pub response_ms: Option<i64>,
    pub code: &'a str,
    pub cert_not_after: Option<DateTime<Utc>>,
}

pub async fn record_result(
    conn: &mut dyn Conn,
    id: Id,
    r: &CheckResult<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = concat!(
        "UPDATE monitors SET state = $2, failures = $3, successes = $4, last_check_at = $5, last_response_ms = $6, ",
        "last_code = $7, cert_not_after = COALESCE($8, cert_not_after) WHERE id = $1"
    );
    let args = vec![
        id.into(),
        r.state.as_str().into(),
        i64::from(r.streak.failures).into(),
        i64::from(r.streak.successes).into(),
        now.into(),
        r.response_ms.into(),
        r.code.into(),
        r.cert_not_after.into(),
    ];
    conn.execute(Sql::Borrowed(sql), args).await?;
    Ok(())
}

/// Records a heartbeat ping. A heartbeat with an open incident becomes due at once, so the
/// recovery shows without waiting for its next look.
pub async fn record_ping(conn: &mut dyn Conn, id: Id, now: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = concat!(
        "UPDATE monitors SET last_ping_at = $2, ",
        "next_check_at = CASE WHEN state = 'down' AND enabled = $3 THEN $2 ELSE next_check_at END WHERE id = $1"
    );
    conn.execute(Sql::Borrowed(sql), vec![id.into(), now.into(), true.into()]).await?;
    Ok(())
}

/// Replaces a heartbeat's secret (the old URL stops working).
pub async fn set_heartbeat_hash(conn: &mut dyn Conn, id: Id, hash: &str) -> Result<bool, StoreError> {
    let sql = "UPDATE monitors SET heartbeat_hash = $2 WHERE id = $1 AND kind = 'heartbeat'";
    Ok(conn.execute(Sql::Borrowed(sql), vec![id.into(), hash.into()]).await? == 1)
}

/// One check's outcome, kept for uptime and the response-time chart.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRow {
    pub checked_at: DateTime<Utc>,
    pub ok: bool,
    pub response_ms: Option<i64>,
    pub code: String,
}

pub async fn insert_check(conn: &mut dyn Conn, monitor_id: Id, check: &CheckRow) -> Result<(), StoreError> {
    let sql = "INSERT INTO monitor_checks (monitor_id, checked_at, ok, response_ms, code) VALUES ($1, $2, $3, $4, $5)";
    let args = vec![
        monitor_id.into(),
        check.checked_at.into(),
        check.ok.into(),
        check.response_ms.into(),
        check.code.as_str().into(),
    ];
    conn.execute(Sql::Borrowed(sql), args).await?;
    Ok(())
}

/// A monitor's checks since `since`, oldest first, at most `limit` of the newest.
pub async fn checks_since(
    conn: &mut dyn Conn,
    monitor_id: Id,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<CheckRow>, StoreError> {
    let sql = concat!(
        "SELECT checked_at, ok, response_ms, code FROM monitor_checks ",
        "WHERE monitor_id = $1 AND checked_at >= $2 ORDER BY checked_at DESC LIMIT $3"
    );
    let rows = conn.fetch_all(Sql::Borrowed(sql), vec![monitor_id.into(), since.into(), limit.into()]).await?;
    let mut checks = rows
        .iter()
        .map(|row| {
            Ok(CheckRow {
                checked_at: row.time("checked_at")?,
                ok: row.bool("ok")?,
                response_ms: row.opt_int("response_ms")?,
                code: row.text("code")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    checks.reverse();
    Ok(checks)
}

/// Good and all checks of a monitor since `since`.
pub async fn uptime_counts(
    conn: &mut dyn Conn,
    monitor_id: Id,
    since: DateTime<Utc>,
) -> Result<(i64, i64), StoreError> {
    let sql = concat!(
        "SELECT COALESCE(SUM(CASE WHEN ok THEN 1 ELSE 0 END), 0) AS good, COUNT(*) AS total ",
        "FROM monitor_checks WHERE monitor_id = $1 AND checked_at >= $2"
    );
    let row = conn.fetch_one(Sql::Borrowed(sql), vec![monitor_id.into(), since.into()]).await?;
    Ok((row.int("good")?, row.int("total")?))
}

/// Removes checks older than `before` (kept 90 days by the pruning job).
pub async fn prune_checks(conn: &mut dyn Conn, before: DateTime<Utc>) -> Result<u64, StoreError> {
    conn.execute(Sql::Borrowed("DELETE FROM monitor_checks WHERE checked_at < $1"), vec![before.into()]).await
}
