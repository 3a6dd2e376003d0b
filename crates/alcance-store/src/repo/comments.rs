use alcance_domain::model::{Comment, Id};
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, ticket_id, author_id, body, internal, created_at"
    };
}

fn from_row(row: &Row) -> Result<Comment, StoreError> {
    Ok(Comment {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        author_id: row.int("author_id")?,
        body: row.text("body")?,
        internal: row.bool("internal")?,
        created_at: row.time("created_at")?,
    })
}

pub async fn insert(
    conn: &mut dyn Conn,
    ticket_id: Id,
    author_id: Id,
    body: &str,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<Comment, StoreError> {
    let sql = concat!(
        "INSERT INTO comments (ticket_id, author_id, body, internal, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ",
        columns!()
    );
    from_row(
        &conn
            .fetch_one(
                Sql::Borrowed(sql),
                vec![ticket_id.into(), author_id.into(), body.into(), internal.into(), now.into()],
            )
            .await?,
    )
}

/// A ticket's comments in order; internal notes only when `include_internal`.
pub async fn for_ticket(
    conn: &mut dyn Conn,
    ticket_id: Id,
    include_internal: bool,
) -> Result<Vec<Comment>, StoreError> {
    let rows = if include_internal {
        let sql = concat!("SELECT ", columns!(), " FROM comments WHERE ticket_id = $1 ORDER BY id");
        conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into()]).await?
    } else {
        let sql = concat!("SELECT ", columns!(), " FROM comments WHERE ticket_id = $1 AND internal = $2 ORDER BY id");
        conn.fetch_all(Sql::Borrowed(sql), vec![ticket_id.into(), false.into()]).await?
    };
    rows.iter().map(from_row).collect()
}
