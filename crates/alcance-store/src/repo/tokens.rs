//! API tokens, kept only as SHA-256 digests: a stolen database yields no usable token.

use alcance_domain::model::{ApiToken, Id};
use chrono::{DateTime, Utc};

use crate::{Conn, ConnExt, Row, Sql, StoreError};

/// Every column but the digest: it never leaves this module.
macro_rules! columns {
    () => {
        "id, user_id, label, created_at, last_used_at, revoked_at"
    };
}

fn from_row(row: &Row) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: row.int("id")?,
        user_id: row.int("user_id")?,
        label: row.text("label")?,
        created_at: row.time("created_at")?,
        last_used_at: row.opt_time("last_used_at")?,
        revoked_at: row.opt_time("revoked_at")?,
    })
}

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

/// The active user owning a live token with this digest, and when the token was last used
/// (so the caller can decide whether recording this use is worth a write).
pub async fn user_for(
    conn: &mut dyn Conn,
    token_hash: &str,
) -> Result<Option<(Id, Option<DateTime<Utc>>)>, StoreError> {
    let sql = "SELECT t.user_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = $2";
    match conn.fetch_optional(Sql::Borrowed(sql), vec![token_hash.into(), true.into()]).await? {
        Some(row) => Ok(Some((row.int("user_id")?, row.opt_time("last_used_at")?))),
        None => Ok(None),
    }
}

/// Records a use of the token with this digest. Never moves `last_used_at` back in time.
pub async fn touch(conn: &mut dyn Conn, token_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    conn.execute(
        Sql::Borrowed(
            "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
        ),
        vec![token_hash.into(), now.into()],
    )
    .await?;
    Ok(())
}

/// Every token, revoked ones included, newest first.
pub async fn list(conn: &mut dyn Conn) -> Result<Vec<ApiToken>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM api_tokens ORDER BY created_at DESC, id DESC");
    conn.fetch_all(Sql::Borrowed(sql), vec![]).await?.iter().map(from_row).collect()
}

pub async fn get(conn: &mut dyn Conn, id: Id) -> Result<Option<ApiToken>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM api_tokens WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

/// Revokes one token. False when there is no such token or it was already revoked (its
/// revocation time is kept).
pub async fn revoke(conn: &mut dyn Conn, id: Id, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            Sql::Borrowed("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL"),
            vec![id.into(), now.into()],
        )
        .await?;
    Ok(changed == 1)
}

pub async fn revoke_all_for(conn: &mut dyn Conn, user_id: Id, now: DateTime<Utc>) -> Result<u64, StoreError> {
    conn.execute(
        Sql::Borrowed("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL"),
        vec![user_id.into(), now.into()],
    )
    .await
}
