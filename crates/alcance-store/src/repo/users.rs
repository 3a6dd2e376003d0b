use alcance_domain::Role;
use alcance_domain::model::{Id, User};
use chrono::{DateTime, Utc};

use super::parse_enum;
use crate::{Conn, ConnExt, Row, Sql, StoreError};

macro_rules! columns {
    () => {
        "id, email, name, role, organization_id, language, active, created_at"
    };
}

fn from_row(row: &Row) -> Result<User, StoreError> {
    Ok(User {
        id: row.int("id")?,
        email: row.text("email")?,
        name: row.text("name")?,
        role: parse_enum(Role::parse, "role", row.text("role")?)?,
        organization_id: row.opt_int("organization_id")?,
        language: row.text("language")?,
        active: row.bool("active")?,
        created_at: row.time("created_at")?,
    })
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organization_id: Option<Id>,
    pub password_hash: Option<&'a str>,
    pub language: &'a str,
}

pub async fn insert(conn: &mut dyn Conn, user: NewUser<'_>, now: DateTime<Utc>) -> Result<User, StoreError> {
    let sql = concat!(
        "INSERT INTO users (email, name, role, organization_id, password_hash, language, active, created_at) ",
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
        columns!()
    );
    let args = vec![
        user.email.into(),
        user.name.into(),
        user.role.as_str().into(),
        user.organization_id.into(),
        user.password_hash.into(),
        user.language.into(),
        true.into(),
        now.into(),
    ];
    from_row(&conn.fetch_one(Sql::Borrowed(sql), args).await?)
}

pub async fn by_id(conn: &mut dyn Conn, id: Id) -> Result<Option<User>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE id = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![id.into()]).await?.as_ref().map(from_row).transpose()
}

pub async fn by_email(conn: &mut dyn Conn, email: &str) -> Result<Option<User>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE email = $1");
    conn.fetch_optional(Sql::Borrowed(sql), vec![email.into()]).await?.as_ref().map(from_row).transpose()
}

/// The user and their password hash, for signing in.
pub async fn credentials(conn: &mut dyn Conn, email: &str) -> Result<Option<(User, Option<String>)>, StoreError> {
    let sql = concat!("SELECT ", columns!(), ", password_hash FROM users WHERE email = $1");
    match conn.fetch_optional(Sql::Borrowed(sql), vec![email.into()]).await? {
        Some(row) => Ok(Some((from_row(&row)?, row.opt_text("password_hash")?))),
        None => Ok(None),
    }
}

/// Users, optionally only those of one organisation.
pub async fn list(conn: &mut dyn Conn, organization_id: Option<Id>) -> Result<Vec<User>, StoreError> {
    let rows = match organization_id {
        Some(org) => {
            let sql = concat!("SELECT ", columns!(), " FROM users WHERE organization_id = $1 ORDER BY name");
            conn.fetch_all(Sql::Borrowed(sql), vec![org.into()]).await?
        }
        None => {
            conn.fetch_all(Sql::Borrowed(concat!("SELECT ", columns!(), " FROM users ORDER BY name")), Vec::new())
                .await?
        }
    };
    rows.iter().map(from_row).collect()
}

pub async fn set_password_hash(conn: &mut dyn Conn, id: Id, hash: &str) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("UPDATE users SET password_hash = $2 WHERE id = $1"), vec![id.into(), hash.into()])
        .await?;
    Ok(())
}

pub async fn set_active(conn: &mut dyn Conn, id: Id, active: bool) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("UPDATE users SET active = $2 WHERE id = $1"), vec![id.into(), active.into()]).await?;
    Ok(())
}

pub async fn set_language(conn: &mut dyn Conn, id: Id, language: &str) -> Result<(), StoreError> {
    conn.execute(Sql::Borrowed("UPDATE users SET language = $2 WHERE id = $1"), vec![id.into(), language.into()])
        .await?;
    Ok(())
}

/// Staff users (admins and agents), for assignment lists.
pub async fn staff(conn: &mut dyn Conn) -> Result<Vec<User>, StoreError> {
    let sql =
        concat!("SELECT ", columns!(), " FROM users WHERE role IN ('admin', 'agent') AND active = $1 ORDER BY name");
    conn.fetch_all(Sql::Borrowed(sql), vec![true.into()]).await?.iter().map(from_row).collect()
}
