//! Shared helpers: an open, migrated store per test and a small directory of people.

use alcance_domain::Role;
use alcance_domain::model::{Id, Organization, Ticket, User};
use alcance_domain::ticket::{Channel, Priority};
use alcance_store::repo::tickets::{self, NewTicket};
use alcance_store::repo::{organizations, users};
use alcance_store::{ConnExt, Sql, Store, StoreError};
use alcance_testkit::{TestBackend, TestDb};
use chrono::{DateTime, Utc};

/// A fresh database for `backend`, opened and migrated. Keep the `TestDb` alive as long as
/// the store: dropping it removes the database.
pub async fn open(backend: TestBackend) -> (TestDb, Store) {
    let db = TestDb::new(backend).await;
    let store = Store::open(&db.config).await.expect("open store");
    store.migrate().await.expect("migrate");
    (db, store)
}

/// Now, at the millisecond precision the store keeps, so values round-trip exactly.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(Utc::now().timestamp_millis()).expect("valid time")
}

pub async fn count(store: &Store, table: &'static str) -> i64 {
    store
        .read(move |c| {
            Box::pin(async move {
                c.fetch_one(Sql::Owned(format!("SELECT COUNT(*) AS n FROM {table}")), Vec::new()).await?.int("n")
            })
        })
        .await
        .expect("count rows")
}

/// One client organisation with a requester, and one agency agent.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub org: Organization,
    pub requester: User,
    pub agent: User,
}

pub fn new_user<'a>(email: &'a str, role: Role, organization_id: Option<Id>) -> users::NewUser<'a> {
    users::NewUser { email, name: email, role, organization_id, password_hash: None, language: "es" }
}

pub async fn fixture(store: &Store) -> Fixture {
    let now = now();
    store
        .write(move |c| {
            Box::pin(async move {
                let org = organizations::insert(c, "acme", "Acme S.A.S.", "America/Bogota", now).await?;
                let requester = users::insert(c, new_user("req@acme.test", Role::Requester, Some(org.id)), now).await?;
                let agent = users::insert(c, new_user("agent@agency.test", Role::Agent, None), now).await?;
                Ok::<_, StoreError>(Fixture { org, requester, agent })
            })
        })
        .await
        .expect("fixture")
}

pub fn new_ticket<'a>(organization_id: Id, requester_id: Id, subject: &'a str) -> NewTicket<'a> {
    NewTicket {
        organization_id,
        requester_id,
        asset_id: None,
        subject,
        body: "body",
        channel: Channel::Portal,
        priority: Priority::Normal,
    }
}

/// Inserts one ticket in a write of its own.
pub async fn insert_ticket(store: &Store, f: &Fixture, subject: &str) -> Ticket {
    let (org, req, subject, now) = (f.org.id, f.requester.id, subject.to_owned(), now());
    store
        .write(move |c| Box::pin(async move { tickets::insert(c, new_ticket(org, req, &subject), now).await }))
        .await
        .expect("insert ticket")
}

/// The subjects of every ticket, sorted.
pub async fn ticket_subjects(store: &Store) -> Vec<String> {
    let rows = store
        .read(|c| {
            Box::pin(async move {
                c.fetch_all(Sql::Borrowed("SELECT subject FROM tickets ORDER BY subject"), Vec::new()).await
            })
        })
        .await
        .expect("subjects");
    rows.iter().map(|r| r.text("subject").expect("subject")).collect()
}
