use alcance_domain::model::{Id, Organization};
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, slug, name, time_zone, active, created_at"
    };
}

fn from_row(row: &Row) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: row.int("id")?,
        slug: row.text("slug")?,
        name: row.text("name")?,
        time_zone: row.text("time_zone")?,
        active: row.bool("active")?,
        created_at: row.time("created_at")?,
    })
}

pub async fn insert(
    conn: &mut dyn Conn,
    slug: &str,
    name: &str,
    time_zone: &str,
    now: DateTime<Utc>,
) -> Result<Organization, StoreError> {
    let sql = concat!(
        "INSERT INTO organizations (slug, name, time_zone, active, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ",
        columns!()
    );
    let row = conn
        .fetch_one(Sql::Borrowed(sql), vec![slug.into(), name.into(), time_zone.into(), true.into(), now.into()])
        .await?;
    from_row(&row)
}

pub async fn by_slug(conn: &mut dyn Conn, slug: &str) -> Result<Option<Organization>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM organizations WHERE slug = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![slug.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<Organization>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM organizations WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn list(conn: &mut dyn Conn) -> Result<Vec<Organization>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM organizations ORDER BY name");
    conn.fetch_all(Sql::Borrowed(sql), Vec::new()).await?.iter().map(from_row).collect()
}
