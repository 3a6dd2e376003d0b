use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write (e.g. an e-mail already in use).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A foreign key or check constraint refused the write.
    #[error("constraint: {0}")]
    Constraint(String),
    /// The database cannot be reached or opened.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("migration {version} failed: {message}")]
    Migration { version: i64, message: String },
    #[error("decode: {0}")]
    Decode(String),
    #[error("the change could not be written; the server log says why")]
    WriterGone,
    #[error(transparent)]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => StoreError::Conflict(db.message().to_owned()),
                ErrorKind::ForeignKeyViolation | ErrorKind::CheckViolation | ErrorKind::NotNullViolation => {
                    StoreError::Constraint(db.message().to_owned())
                }
                _ => StoreError::Database(err),
            },
            sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                StoreError::Unavailable(err.to_string())
            }
            _ => StoreError::Database(err),
        }
    }
}
