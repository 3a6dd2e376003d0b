//! Calendar closures an admin adds (`calendar_closures`): days the office is closed, for one
//! contract or (no contract) for every contract.

use alcance_domain::model::Id;
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

/// One stored closure: `first_day` to `last_day`, both included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureRow {
    pub id: Id,
    /// `None`: every contract.
    pub contract_id: Option<Id>,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub name: String,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
}

/// What an insert needs; the id and creation time come from the store and the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClosureRow {
    pub contract_id: Option<Id>,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub name: String,
    pub created_by: Id,
}

macro_rules! columns {
    () => {
        "id, contract_id, first_day, last_day, name, created_by, created_at"
    };
}

fn from_row(row: &Row) -> Result<ClosureRow, StoreError> {
    Ok(ClosureRow {
        id: row.int("id")?,
        contract_id: row.opt_int("contract_id")?,
        first_day: row.date("first_day")?,
        last_day: row.date("last_day")?,
        name: row.text("name")?,
        created_by: row.int("created_by")?,
        created_at: row.time("created_at")?,
    })
}

pub async fn insert(conn: &mut dyn Conn, new: &NewClosureRow, now: DateTime<Utc>) -> Result<ClosureRow, StoreError> {
    let sql = concat!(
        "INSERT INTO calendar_closures (contract_id, first_day, last_day, name, created_by, created_at) ",
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
        columns!()
    );
    let args = vec![
        new.contract_id.into(),
        new.first_day.into(),
        new.last_day.into(),
        new.name.as_str().into(),
        new.created_by.into(),
        now.into(),
    ];
    from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

/// Every closure, by first day (ISO text sorts as dates), then id.
pub async fn list(conn: &mut dyn Conn) -> Result<Vec<ClosureRow>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM calendar_closures ORDER BY first_day, id");
    conn.fetch_all(Sql::Borrowed(sql), Vec::new()).await?.iter().map(from_row).collect()
}

/// Deletes one closure; false when there was none with that id.
pub async fn delete(conn: &mut dyn Conn, id: Id) -> Result<bool, StoreError> {
    let changed = conn.execute(Sql::Borrowed("DELETE FROM calendar_closures WHERE id = $1"), vec![id.into()]).await?;
    Ok(changed == 1)
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<ClosureRow>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM calendar_closures WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}
