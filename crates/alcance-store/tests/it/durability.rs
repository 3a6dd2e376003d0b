//! SQLite is configured so that a commit survives power loss, not only a process crash.

use alcance_store::{ConnExt, Sql, StoreError};
use alcance_testkit::TestBackend;

use crate::common::open;

#[tokio::test]
async fn sqlite_writer_commits_through_the_wal_with_full_sync() {
    let (_db, store) = open(TestBackend::Sqlite).await;
    // Read the settings on the writer connection itself: writes go through a closure there.
    let (journal, synchronous) = store
        .write(|c| {
            Box::pin(async move {
                let journal =
                    c.fetch_one(Sql::Borrowed("PRAGMA journal_mode"), Vec::new()).await?.text("journal_mode")?;
                let sync = c.fetch_one(Sql::Borrowed("PRAGMA synchronous"), Vec::new()).await?.int("synchronous")?;
                Ok::<_, StoreError>((journal, sync))
            })
        })
        .await
        .unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(synchronous, 2, "synchronous must be FULL (2)");
}
