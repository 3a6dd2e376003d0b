//! The only place with SQL. One storage API over SQLite (the embedded default) and
//! PostgreSQL: repositories are written once against [`Conn`], and [`Store`] gives them a
//! connection for reading or a transaction for a change.

mod conn;
mod error;
mod migrate;
mod postgres;
mod sqlite;
mod sqlx_conn;
mod value;

pub mod repo;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::future::BoxFuture;
use tokio::sync::oneshot;

pub use conn::{Backend, Conn, ConnExt, Sql, SqlBuilder};
pub use error::StoreError;
pub use value::{Cell, Row, Value};

/// Where the data lives: PostgreSQL when a URL is given, otherwise SQLite in `data_dir`.
#[derive(Clone)]
pub struct StoreConfig {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
}

impl std::fmt::Debug for StoreConfig {
    // The URL may carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreConfig")
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_ref().map(|u| redact_url(u)))
            .finish()
    }
}

/// Hides the password part of a database URL, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub const SQLITE_FILE: &str = "alcance.db";

enum Inner {
    Sqlite(sqlite::SqliteBackend),
    Postgres(postgres::PgBackend),
}

#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

impl Store {
    /// Opens (and for SQLite creates) the database. Does not migrate.
    pub async fn open(config: &StoreConfig) -> Result<Store, StoreError> {
        let inner = match &config.database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Inner::Postgres(postgres::PgBackend::open(url).await?)
            }
            Some(url) if url.starts_with("sqlite:") => {
                let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
                Inner::Sqlite(sqlite::SqliteBackend::open(Path::new(path)).await?)
            }
            Some(url) => {
                return Err(StoreError::Unavailable(format!(
                    "unsupported database URL `{}`: use postgres://… or sqlite:PATH",
                    redact_url(url)
                )));
            }
            None => {
                std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                    StoreError::Unavailable(format!("cannot create data directory {}: {e}", config.data_dir.display()))
                })?;
                Inner::Sqlite(sqlite::SqliteBackend::open(&config.data_dir.join(SQLITE_FILE)).await?)
            }
        };
        Ok(Store { inner: Arc::new(inner) })
    }

    pub fn backend(&self) -> Backend {
        match *self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations not applied yet; returns the versions it applied.
    pub async fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        self.write(|conn| Box::pin(migrate::run(conn))).await
    }

    /// Refreshes the query planner's statistics (PostgreSQL; SQLite plans from its indexes
    /// without them). Run at start so that a database filled by an import or a restore is
    /// planned well before autovacuum gets to it.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        if self.backend() == Backend::Postgres {
            self.read(|conn| {
                Box::pin(async move { conn.execute(Sql::Borrowed("ANALYZE"), Vec::new()).await.map(|_| ()) })
            })
            .await?;
        }
        Ok(())
    }

    /// The schema version of the database (0 before the first migration).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|conn| Box::pin(migrate::current_version(conn))).await
    }

    /// The newest schema version this build knows.
    pub fn latest_schema_version() -> i64 {
        migrate::latest_version()
    }

    /// Runs `f` on a connection outside any write transaction.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        match &*self.inner {
            Inner::Sqlite(b) => b.read(f).await?,
            Inner::Postgres(b) => b.read(f).await?,
        }
    }

    /// Runs `f` as one transaction: everything it writes is committed durably before this
    /// returns `Ok`, or nothing is written when it returns `Err`.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        match &*self.inner {
            Inner::Sqlite(b) => {
                let (reply, answer) = oneshot::channel::<Result<T, E>>();
                let job: sqlite::Job = Box::new(move |conn| {
                    Box::pin(async move {
                        let result = f(conn).await;
                        let ok = result.is_ok();
                        let finish: sqlite::Finisher = Box::new(move |commit_error| {
                            let out = match (result, commit_error) {
                                (Ok(_), Some(err)) => Err(E::from(err)),
                                (result, _) => result,
                            };
                            let _ = reply.send(out);
                        });
                        (ok, finish)
                    })
                });
                b.submit(job).await?;
                answer.await.map_err(|_| E::from(StoreError::WriterGone))?
            }
            Inner::Postgres(b) => {
                b.write(move |conn| {
                    Box::pin(async move {
                        let result = f(conn).await;
                        (result.is_ok(), result)
                    })
                })
                .await?
            }
        }
    }

    /// Checks the database's own consistency (SQLite's integrity_check; a round trip on
    /// PostgreSQL, whose pages are checksummed by the server).
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        let sql = match self.backend() {
            Backend::Sqlite => "PRAGMA integrity_check",
            Backend::Postgres => "SELECT 'ok' AS integrity_check",
        };
        self.read(move |conn| {
            Box::pin(async move {
                let row = conn.fetch_one(Sql::Borrowed(sql), Vec::new()).await?;
                row.text("integrity_check")
            })
        })
        .await
    }

    pub async fn close(&self) {
        match &*self.inner {
            Inner::Sqlite(b) => b.close().await,
            Inner::Postgres(b) => b.close().await,
        }
    }
}
