use alcance_domain::model::{Contract, Id};
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, organization_id, policy_id, name, starts_on, ends_on, hourly_rate_minor, currency, tax_rate_basis_points, allow_overdraft, time_zone, active, created_at"
    };
}

fn from_row(row: &Row) -> Result<Contract, StoreError> {
    Ok(Contract {
        id: row.int("id")?,
        organization_id: row.int("organization_id")?,
        policy_id: row.int("policy_id")?,
        name: row.text("name")?,
        starts_on: row.text("starts_on")?,
        ends_on: row.opt_text("ends_on")?,
        hourly_rate_minor: row.int("hourly_rate_minor")?,
        currency: row.text("currency")?,
        tax_rate_basis_points: row.int("tax_rate_basis_points")?,
        allow_overdraft: row.bool("allow_overdraft")?,
        time_zone: row.text("time_zone")?,
        active: row.bool("active")?,
        created_at: row.time("created_at")?,
    })
}

/// Inserts a contract; `id` and `created_at` of `contract` are ignored.
pub async fn insert(conn: &mut dyn Conn, c: &Contract, now: DateTime<Utc>) -> Result<Contract, StoreError> {
    let sql = concat!(
        "INSERT INTO contracts (organization_id, policy_id, name, starts_on, ends_on, hourly_rate_minor, currency, ",
        "tax_rate_basis_points, allow_overdraft, time_zone, active, created_at) ",
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ",
        columns!()
    );
    let args = vec![
        c.organization_id.into(),
        c.policy_id.into(),
        c.name.as_str().into(),
        c.starts_on.as_str().into(),
        c.ends_on.clone().into(),
        c.hourly_rate_minor.into(),
        c.currency.as_str().into(),
        c.tax_rate_basis_points.into(),
        c.allow_overdraft.into(),
        c.time_zone.as_str().into(),
        c.active.into(),
        now.into(),
    ];
    from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<Contract>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM contracts WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

/// Contracts, optionally of one organisation, newest first.
pub async fn list(conn: &mut dyn Conn, organization_id: Option<Id>) -> Result<Vec<Contract>, StoreError> {
    let rows = match organization_id {
        Some(org) => {
            let sql = concat!("SELECT ", columns!(), " FROM contracts WHERE organization_id = $1 ORDER BY id DESC");
            conn.fetch_all(Sql::Borrowed(sql), vec![org.into()]).await?
        }
        None => {
            conn.fetch_all(
                Sql::Borrowed(concat!("SELECT ", columns!(), " FROM contracts ORDER BY id DESC")),
                Vec::new(),
            )
            .await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// The organisation's active contract (the newest, if several are active).
pub async fn active_for(conn: &mut dyn Conn, organization_id: Id) -> Result<Option<Contract>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM contracts WHERE organization_id = $1 AND active = $2 ORDER BY id DESC LIMIT 1"
    );
    conn.fetch_optional(Sql::Borrowed(sql), vec![organization_id.into(), true.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The working hours of every contract that has its own (canonical text, see
/// `alcance_domain::calendar::WeeklyHours::to_text`); the others keep the default week.
pub async fn working_hours(conn: &mut dyn Conn) -> Result<Vec<(Id, String)>, StoreError> {
    let sql = "SELECT id, working_hours FROM contracts WHERE working_hours IS NOT NULL ORDER BY id";
    let rows = conn.fetch_all(Sql::Borrowed(sql), Vec::new()).await?;
    rows.iter().map(|r| Ok((r.int("id")?, r.text("working_hours")?))).collect()
}

/// Sets (or with `None` clears) a contract's working hours; false when there is no such
/// contract.
pub async fn set_working_hours(conn: &mut dyn Conn, id: Id, hours: Option<&str>) -> Result<bool, StoreError> {
    let sql = "UPDATE contracts SET working_hours = $2 WHERE id = $1";
    Ok(conn.execute(Sql::Borrowed(sql), vec![id.into(), hours.into()]).await? > 0)
}
