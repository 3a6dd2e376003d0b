//! API tokens, kept only as SHA-256 digests: a stolen database yields no usable token.

use alcance_domain::model::Id;
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Sql, StoreError};

pub async fn insert(
    conn: &mut dyn Conn,
    user_id: Id,
    token_hash: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<Id, StoreError> {
    let row = conn
        .fetch_one(
            Sql::Borrowed(
                "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            ),
            vec![user_id.into(), token_hash.into(), label.into(), now.into()],
        )
        .await?;
    row.int("id")
}

/// The active user owning a live token with this digest.
pub async fn user_for(conn: &mut dyn Conn, token_hash: &str) -> Result<Option<Id>, StoreError> {
    let sql = "SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = $2";
    match conn.fetch_optional(Sql::Borrowed(sql), vec![token_hash.into(), true.into()]).await? {
        Some(row) => Ok(Some(row.int("user_id")?)),
        None => Ok(None),
    }
}

pub async fn revoke_all_for(conn: &mut dyn Conn, user_id: Id, now: DateTime<Utc>) -> Result<u64, StoreError> {
    conn.execute(
        Sql::Borrowed("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL"),
        vec![user_id.into(), now.into()],
    )
    .await
}
