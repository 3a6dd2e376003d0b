use alcance_domain::model::{Id, PolicyVersion};
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, key, version, content, content_sha256, loaded_at"
    };
}

fn from_row(row: &Row) -> Result<PolicyVersion, StoreError> {
    Ok(PolicyVersion {
        id: row.int("id")?,
        key: row.text("key")?,
        version: row.int("version")?,
        content: row.text("content")?,
        content_sha256: row.text("content_sha256")?,
        loaded_at: row.time("loaded_at")?,
    })
}

pub async fn find(conn: &mut dyn Conn, key: &str, version: i64) -> Result<Option<PolicyVersion>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM policies WHERE key = $1 AND version = $2");
    conn.fetch_optional(Sql::Borrowed(sql), vec![key.into(), version.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<PolicyVersion>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM policies WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn list(conn: &mut dyn Conn) -> Result<Vec<PolicyVersion>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM policies ORDER BY key, version");
    conn.fetch_all(Sql::Borrowed(sql), Vec::new()).await?.iter().map(from_row).collect()
}

pub async fn insert(
    conn: &mut dyn Conn,
    key: &str,
    version: i64,
    content: &str,
    sha256: &str,
    now: DateTime<Utc>,
) -> Result<PolicyVersion, StoreError> {
    let sql = concat!(
        "INSERT INTO policies (key, version, content, content_sha256, loaded_at) VALUES ($1, $2, $3, $4, $5) RETURNING ",
        columns!()
    );
    from_row(
        &conn
            .fetch_one(Sql::Borrowed(sql), vec![key.into(), version.into(), content.into(), sha256.into(), now.into()])
            .await?,
    )
}
