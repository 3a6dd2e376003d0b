//! Test support: every test gets a database of its own, on SQLite (a file in a fresh
//! folder) or on PostgreSQL (a new database on the server named by
//! `ALCANCE_TEST_POSTGRES_URL`, by default the CI server at 127.0.0.1:5432, db `test`).
//! PostgreSQL tests fail, never skip, when the server is missing: CI must prove both.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use alcance_store::StoreConfig;
use sqlx::{Connection, Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn postgres_admin_url() -> String {
    std::env::var("ALCANCE_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst))
}

/// A database that exists for one test and is removed when dropped.
pub struct TestDb {
    pub backend: TestBackend,
    pub config: StoreConfig,
    dir: PathBuf,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new(backend: TestBackend) -> TestDb {
        let dir = std::env::temp_dir().join(unique_name("alcance-test"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let (database_url, pg_name) = match backend {
            TestBackend::Sqlite => (None, None),
            TestBackend::Postgres => {
                let name = unique_name("alcance_t");
                let admin = postgres_admin_url();
                let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL tests need a server at {admin} (set ALCANCE_TEST_POSTGRES_URL): {e}")
                });
                conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create test database");
                let url = match admin.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("ALCANCE_TEST_POSTGRES_URL must end in /DBNAME"),
                };
                (Some(url), Some(name))
            }
        };
        TestDb { backend, config: StoreConfig { data_dir: dir.join("data"), database_url }, dir, pg_name }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Command-line options that point the binary at this database.
    pub fn cli_args(&self) -> Vec<String> {
        // The data dir is given on PostgreSQL too: files kept beside the database (the
        // e-mail secret) belong to the test, not to the working directory.
        let mut args = vec!["--data-dir".into(), self.config.data_dir.display().to_string()];
        if let Some(url) = &self.config.database_url {
            args.extend(["--database-url".into(), url.clone()]);
        }
        args
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.pg_name.take() {
            // Drop runs outside async; a short-lived thread with its own runtime does the I/O.
            let admin = postgres_admin_url();
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                    conn.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).await.ok()
                })
            })
            .join();
        }
    }
}

/// Declares each listed `async fn name(backend: TestBackend)` as two tests,
/// `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestBackend::Sqlite).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestBackend::Postgres).await
                }
            )+
        }
    };
}
