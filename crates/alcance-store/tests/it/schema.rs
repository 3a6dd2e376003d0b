//! Migrations: applied once, recorded, and the two scripts describe the same schema.

use std::collections::{BTreeMap, BTreeSet};

use alcance_store::{Backend, ConnExt, Sql, Store, StoreError};
use alcance_testkit::{TestBackend, TestDb};

use crate::common::{count, open};

async fn migrations_apply_once(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let store = Store::open(&db.config).await.unwrap();
    let expected_backend = match backend {
        TestBackend::Sqlite => Backend::Sqlite,
        TestBackend::Postgres => Backend::Postgres,
    };
    assert_eq!(store.backend(), expected_backend);
    assert_eq!(Store::latest_schema_version(), 9);
    assert_eq!(store.schema_version().await.unwrap(), 0, "a new database is at version 0");

    assert_eq!(store.migrate().await.unwrap(), vec![1, 2, 3, 4, 5, 6, 7, 8, 9], "first migrate applies every version");
    assert_eq!(store.schema_version().await.unwrap(), Store::latest_schema_version());
    assert_eq!(store.migrate().await.unwrap(), Vec::<i64>::new(), "second migrate applies nothing");
    assert_eq!(store.schema_version().await.unwrap(), Store::latest_schema_version());
    assert_eq!(count(&store, "schema_migrations").await, 9, "each version is recorded once");
    assert_eq!(count(&store, "tickets").await, 0, "the schema exists");

    // A new process opening the same database finds it migrated.
    store.close().await;
    drop(store);
    let again = Store::open(&db.config).await.unwrap();
    assert_eq!(again.schema_version().await.unwrap(), Store::latest_schema_version());
    assert!(again.migrate().await.unwrap().is_empty(), "reopened database needs no migration");
    assert_eq!(count(&again, "schema_migrations").await, 9);
}

alcance_testkit::on_both_backends!(migrations_apply_once);

/// table -> column -> nullable
type Columns = BTreeMap<String, BTreeMap<String, bool>>;

async fn live_columns(store: &Store) -> Columns {
    let backend = store.backend();
    let rows = store
        .read(move |c| {
            Box::pin(async move {
                let sql = match backend {
                    Backend::Sqlite => concat!(
                        "SELECT m.name AS table_name, p.name AS column_name, p.\"notnull\" AS not_null, p.pk AS pk ",
                        "FROM sqlite_master m, pragma_table_info(m.name) p ",
                        "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'"
                    ),
                    Backend::Postgres => concat!(
                        "SELECT table_name::text AS table_name, column_name::text AS column_name, is_nullable::text AS is_nullable ",
                        "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'"
                    ),
                };
                c.fetch_all(Sql::Borrowed(sql), Vec::new()).await
            })
        })
        .await
        .unwrap();
    let mut out = Columns::new();
    for row in rows {
        let nullable = match backend {
            // SQLite reports an INTEGER PRIMARY KEY as nullable; it never holds NULL.
            Backend::Sqlite => row.int("not_null").unwrap() == 0 && row.int("pk").unwrap() == 0,
            Backend::Postgres => row.text("is_nullable").unwrap() == "YES",
        };
        out.entry(row.text("table_name").unwrap()).or_default().insert(row.text("column_name").unwrap(), nullable);
    }
    out
}

/// (table, index) for the indexes the scripts create by name (not those behind constraints).
async fn live_indexes(store: &Store) -> BTreeSet<(String, String)> {
    let backend = store.backend();
    let rows = store
        .read(move |c| {
            Box::pin(async move {
                let sql = match backend {
                    Backend::Sqlite => "SELECT tbl_name AS table_name, name AS index_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
                    Backend::Postgres => concat!(
                        "SELECT tablename::text AS table_name, indexname::text AS index_name FROM pg_indexes ",
                        "WHERE schemaname = current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint)"
                    ),
                };
                c.fetch_all(Sql::Borrowed(sql), Vec::new()).await
            })
        })
        .await
        .unwrap();
    rows.iter().map(|r| (r.text("table_name").unwrap(), r.text("index_name").unwrap())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migration_scripts_agree() {
    let (_sqlite_db, sqlite) = open(TestBackend::Sqlite).await;
    let (_pg_db, pg) = open(TestBackend::Postgres).await;
    let (s, p) = (live_columns(&sqlite).await, live_columns(&pg).await);

    assert!(s.contains_key("tickets") && s.contains_key("ticket_events"), "SQLite schema read: {s:?}");
    let s_tables: BTreeSet<&String> = s.keys().collect();
    let p_tables: BTreeSet<&String> = p.keys().collect();
    assert_eq!(s_tables, p_tables, "the same tables on SQLite and PostgreSQL");
    for (table, s_cols) in &s {
        let s_names: BTreeSet<&String> = s_cols.keys().collect();
        let p_names: BTreeSet<&String> = p[table].keys().collect();
        assert_eq!(s_names, p_names, "the same columns in `{table}`");
    }
    for (table, s_cols) in &s {
        assert_eq!(s_cols, &p[table], "the same nullability in `{table}` (column -> nullable)");
    }

    let (si, pi) = (live_indexes(&sqlite).await, live_indexes(&pg).await);
    assert!(si.contains(&("tickets".to_owned(), "tickets_status_number".to_owned())), "SQLite indexes read: {si:?}");
    assert_eq!(si, pi, "the same named indexes on SQLite and PostgreSQL");

    // Both record the same version.
    let versions = |store: Store| async move {
        store
            .read(|c| {
                Box::pin(async move {
                    c.fetch_one(Sql::Borrowed("SELECT MAX(version) AS v FROM schema_migrations"), Vec::new())
                        .await?
                        .int("v")
                })
            })
            .await
    };
    let (sv, pv): (Result<i64, StoreError>, Result<i64, StoreError>) = (versions(sqlite).await, versions(pg).await);
    assert_eq!(sv.unwrap(), pv.unwrap());
}
