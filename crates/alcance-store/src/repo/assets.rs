use alcance_domain::model::{Asset, AssetKind, Id};
use chrono::{DateTime, Utc};

use super::parse_enum;
use crate::{Conn, ConnExt, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, organization_id, kind, name, url, description, created_at"
    };
}

fn from_row(row: &Row) -> Result<Asset, StoreError> {
    Ok(Asset {
        id: row.int("id")?,
        organization_id: row.int("organization_id")?,
        kind: parse_enum(AssetKind::parse, "kind", row.text("kind")?)?,
        name: row.text("name")?,
        url: row.opt_text("url")?,
        description: row.text("description")?,
        created_at: row.time("created_at")?,
    })
}

pub async fn insert(
    conn: &mut dyn Conn,
    organization_id: Id,
    kind: AssetKind,
    name: &str,
    url: Option<&str>,
    description: &str,
    now: DateTime<Utc>,
) -> Result<Asset, StoreError> {
    let sql = concat!(
        "INSERT INTO assets (organization_id, kind, name, url, description, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
        columns!()
    );
    let args =
        vec![organization_id.into(), kind.as_str().into(), name.into(), url.into(), description.into(), now.into()];
    from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<Asset>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM assets WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn list(conn: &mut dyn Conn, organization_id: Option<Id>) -> Result<Vec<Asset>, StoreError> {
    let rows = match organization_id {
        Some(org) => {
            let sql = concat!("SELECT ", columns!(), " FROM assets WHERE organization_id = $1 ORDER BY name");
            conn.fetch_all(Sql::Borrowed(sql), vec![org.into()]).await?
        }
        None => {
            conn.fetch_all(Sql::Borrowed(concat!("SELECT ", columns!(), " FROM assets ORDER BY name")), Vec::new())
                .await?
        }
    };
    rows.iter().map(from_row).collect()
}
