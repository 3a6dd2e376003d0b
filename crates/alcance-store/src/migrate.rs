//! Plain SQL migrations, one file per version and backend, embedded in the binary. Each
//! version is applied in the same transaction that records it, so a crash leaves either
//! all of a version or none of it.

use chrono::Utc;

use crate::StoreError;
use crate::conn::{Backend, Conn, ConnExt, Sql};

struct Migration {
    version: i64,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        sqlite: include_str!("../migrations/sqlite/0002_web.sql"),
        postgres: include_str!("../migrations/postgres/0002_web.sql"),
    },
    Migration {
        version: 3,
        sqlite: include_str!("../migrations/sqlite/0003_triage.sql"),
        postgres: include_str!("../migrations/postgres/0003_triage.sql"),
    },
    Migration {
        version: 4,
        sqlite: include_str!("../migrations/sqlite/0004_jobs.sql"),
        postgres: include_str!("../migrations/postgres/0004_jobs.sql"),
    },
    Migration {
        version: 5,
        sqlite: include_str!("../migrations/sqlite/0005_hours_quotes.sql"),
        postgres: include_str!("../migrations/postgres/0005_hours_quotes.sql"),
    },
    Migration {
        version: 6,
        sqlite: include_str!("../migrations/sqlite/0006_sla_mail.sql"),
        postgres: include_str!("../migrations/postgres/0006_sla_mail.sql"),
    },
    Migration {
        version: 7,
        sqlite: include_str!("../migrations/sqlite/0007_closures.sql"),
        postgres: include_str!("../migrations/postgres/0007_closures.sql"),
    },
    Migration {
        version: 8,
        sqlite: include_str!("../migrations/sqlite/0008_working_hours.sql"),
        postgres: include_str!("../migrations/postgres/0008_working_hours.sql"),
    },
    Migration {
        version: 9,
        sqlite: include_str!("../migrations/sqlite/0009_monitors.sql"),
        postgres: include_str!("../migrations/postgres/0009_monitors.sql"),
    },
];

pub(crate) async fn run(conn: &mut dyn Conn) -> Result<Vec<i64>, StoreError> {
    conn.execute(
        Sql::Borrowed(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        ),
        Vec::new(),
    )
    .await?;
    let done: Vec<i64> = conn
        .fetch_all(Sql::Borrowed("SELECT version FROM schema_migrations"), Vec::new())
        .await?
        .iter()
        .map(|row| row.int("version"))
        .collect::<Result<_, _>>()?;
    let mut applied = Vec::new();
    for migration in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        let script = match conn.backend() {
            Backend::Sqlite => migration.sqlite,
            Backend::Postgres => migration.postgres,
        };
        conn.execute_script(script)
            .await
            .map_err(|e| StoreError::Migration { version: migration.version, message: e.to_string() })?;
        conn.execute(
            Sql::Borrowed("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)"),
            vec![migration.version.into(), Utc::now().into()],
        )
        .await?;
        applied.push(migration.version);
    }
    Ok(applied)
}

/// The newest schema version this build knows.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

/// The schema version the database is at (0 when never migrated).
pub(crate) async fn current_version(conn: &mut dyn Conn) -> Result<i64, StoreError> {
    let exists = match conn.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = current_schema()"
        }
    };
    if conn.fetch_one(Sql::Borrowed(exists), Vec::new()).await?.int("n")? == 0 {
        return Ok(0);
    }
    let row = conn
        .fetch_one(Sql::Borrowed("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations"), Vec::new())
        .await?;
    row.int("v")
}
