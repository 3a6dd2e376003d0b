use alcance_domain::model::{Attachment, Id};
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, ticket_id, uploader_id, internal, file_name, content_type, size_bytes, sha256, created_at"
    };
}

fn from_row(row: &Row) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        uploader_id: row.int("uploader_id")?,
        internal: row.bool("internal")?,
        file_name: row.text("file_name")?,
        content_type: row.text("content_type")?,
        size_bytes: row.int("size_bytes")?,
        sha256: row.text("sha256")?,
        created_at: row.time("created_at")?,
    })
}

pub struct NewAttachment<'a> {
    pub ticket_id: Id,
    pub uploader_id: Id,
    pub internal: bool,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: Vec<u8>,
}

pub async fn insert(conn: &mut dyn Conn, a: NewAttachment<'_>, now: DateTime<Utc>) -> Result<Attachment, StoreError> {
    let sql = concat!(
        "INSERT INTO attachments (ticket_id, uploader_id, internal, file_name, content_type, size_bytes, sha256, content, created_at) ",
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ",
        columns!()
    );
    let size = i64::try_from(a.content.len()).map_err(|_| StoreError::Constraint("attachment too large".into()))?;
    let args = vec![
        a.ticket_id.into(),
        a.uploader_id.into(),
        a.internal.into(),
        a.file_name.into(),
        a.content_type.into(),
        size.into(),
        a.sha256.into(),
        a.content.into(),
        now.into(),
    ];
    from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<Attachment>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM attachments WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn content(conn: &mut dyn Conn, id: Id) -> Result<Vec<u8>, StoreError> {
    conn.fetch_one(Sql::Borrowed("SELECT content FROM attachments WHERE id = $1"), vec![id.into()])
        .await?
        .bytes("content")
}

pub async fn for_ticket(
    conn: &mut dyn Conn,
    ticket_id: Id,
    include_internal: bool,
) -> Result<Vec<Attachment>, StoreError> {
    let rows = if include_internal {
        let sql = concat!("SELECT ", columns!(), " FROM attachments WHERE ticket_id = $1 ORDER BY id");
        conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into()]).await?
    } else {
        let sql =
            concat!("SELECT ", columns!(), " FROM attachments WHERE ticket_id = $1 AND internal = $2 ORDER BY id");
        conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into(), false.into()]).await?
    };
    rows.iter().map(from_row).collect()
}
