//! Browser sessions: the cookie holds a random token; the table holds its digest.

use alcance_domain::model::Id;
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Sql, StoreError};

pub async fn insert(
    conn: &mut dyn Conn,
    token_hash: &str,
    user_id: Id,
    csrf_token: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"),
        vec![token_hash.into(), user_id.into(), csrf_token.into(), now.into(), expires_at.into()],
    )
    .await?;
    Ok(())
}

/// The user and CSRF token of a session that has not expired, if the user is active.
pub async fn find_live(
    conn: &mut dyn Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Id, String)>, StoreError> {
    let sql = "SELECT s.user_id, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = $3";
    match conn.fetch_optional(Sql::Borrowed(sql), vec![token_hash.into(), now.into(), true.into()]).await? {
        Some(row) => Ok(Some((row.int("user_id")?, row.text("csrf_token")?))),
        None => Ok(None),
    }
}

pub async fn delete(conn: &mut dyn Conn, token_hash: &str) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("DELETE FROM sessions WHERE token_hash = $1"), vec![token_hash.into()]).await?;
    Ok(())
}

pub async fn delete_for_user(conn: &mut dyn Conn, user_id: Id) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("DELETE FROM sessions WHERE user_id = $1"), vec![user_id.into()]).await?;
    Ok(())
}
