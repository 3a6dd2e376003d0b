//! Directory records round-trip through the repositories; uniqueness and integrity are
//! reported as the same errors on both backends.

use alcance_domain::Role;
use alcance_domain::model::{AssetKind, Contract};
use alcance_store::repo::{assets, contracts, organizations, policies, users};
use alcance_store::{Store, StoreError};
use alcance_testkit::TestBackend;

use crate::common::{count, new_user, now, open};

fn contract(organization_id: i64, policy_id: i64, name: &str, ends_on: Option<&str>, active: bool) -> Contract {
    Contract {
        id: 0,
        organization_id,
        policy_id,
        name: name.to_owned(),
        starts_on: "2025-01-01".to_owned(),
        ends_on: ends_on.map(str::to_owned),
        hourly_rate_minor: 180_000,
        currency: "COP".to_owned(),
        tax_rate_basis_points: 1900,
        allow_overdraft: true,
        time_zone: "America/Bogota".to_owned(),
        active,
        created_at: now(),
    }
}

async fn directory_records_round_trip(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let now = now();
    store
        .write(move |c| {
            Box::pin(async move {
                // Organisations.
                let zeta = organizations::insert(c, "zeta", "Zeta Ltda", "UTC", now).await?;
                let acme = organizations::insert(c, "acme", "Acme S.A.S.", "America/Bogota", now).await?;
                assert!(acme.id != zeta.id);
                assert_eq!(
                    (acme.slug.as_str(), acme.name.as_str(), acme.time_zone.as_str()),
                    ("acme", "Acme S.A.S.", "America/Bogota")
                );
                assert!(acme.active);
                assert_eq!(acme.created_at, now);
                assert_eq!(organizations::by_id(c, acme.id).await?, Some(acme.clone()));
                assert_eq!(organizations::by_slug(c, "acme").await?, Some(acme.clone()));
                assert_eq!(organizations::by_slug(c, "nobody").await?, None);
                assert_eq!(organizations::by_id(c, 999_999).await?, None);
                assert_eq!(organizations::list(c).await?, vec![acme.clone(), zeta.clone()], "ordered by name");

                // Users.
                let mut new = new_user("ana@acme.test", Role::Manager, Some(acme.id));
                new.name = "Ana Pérez";
                new.password_hash = Some("$argon2id$v=19$hash");
                new.language = "es-CO";
                let ana = users::insert(c, new, now).await?;
                assert_eq!(
                    (
                        ana.email.as_str(),
                        ana.name.as_str(),
                        ana.role,
                        ana.organization_id,
                        ana.language.as_str(),
                        ana.active,
                        ana.created_at
                    ),
                    ("ana@acme.test", "Ana Pérez", Role::Manager, Some(acme.id), "es-CO", true, now)
                );
                let mut new = new_user("bruno@agency.test", Role::Admin, None);
                new.name = "Bruno";
                let bruno = users::insert(c, new, now).await?;
                let mut new = new_user("zoe@zeta.test", Role::Requester, Some(zeta.id));
                new.name = "Zoe";
                let zoe = users::insert(c, new, now).await?;
                assert_eq!(users::by_id(c, ana.id).await?, Some(ana.clone()));
                assert_eq!(users::by_email(c, "bruno@agency.test").await?, Some(bruno.clone()));
                assert_eq!(users::by_email(c, "nobody@x.test").await?, None);
                assert_eq!(
                    users::credentials(c, "ana@acme.test").await?,
                    Some((ana.clone(), Some("$argon2id$v=19$hash".to_owned())))
                );
                assert_eq!(users::credentials(c, "bruno@agency.test").await?, Some((bruno.clone(), None)));
                assert_eq!(
                    users::list(c, None).await?,
                    vec![ana.clone(), bruno.clone(), zoe.clone()],
                    "ordered by name"
                );
                assert_eq!(users::list(c, Some(acme.id)).await?, vec![ana.clone()]);
                users::set_password_hash(c, bruno.id, "new-hash").await?;
                assert_eq!(
                    users::credentials(c, "bruno@agency.test").await?.and_then(|(_, h)| h),
                    Some("new-hash".to_owned())
                );
                users::set_active(c, zoe.id, false).await?;
                assert!(!users::by_id(c, zoe.id).await?.unwrap().active);

                // Contracts (they point at a policy version).
                let policy =
                    policies::insert(c, "standard", 1, "[scope]\nname = \"standard\"\n", "abc123", now).await?;
                assert_eq!(policies::find(c, "standard", 1).await?, Some(policy.clone()));
                assert_eq!(policies::by_id(c, policy.id).await?, Some(policy.clone()));
                assert_eq!(policies::list(c).await?, vec![policy.clone()]);
                let old =
                    contracts::insert(c, &contract(acme.id, policy.id, "2025", Some("2025-12-31"), true), now).await?;
                let new = contracts::insert(c, &contract(acme.id, policy.id, "2026", None, true), now).await?;
                let other = contracts::insert(c, &contract(zeta.id, policy.id, "Zeta", None, false), now).await?;
                let mut expected = contract(acme.id, policy.id, "2025", Some("2025-12-31"), true);
                expected.id = old.id;
                expected.created_at = now;
                assert_eq!(old, expected, "every field is kept");
                assert_eq!(contracts::by_id(c, old.id).await?, Some(old.clone()));
                assert_eq!(contracts::by_id(c, 999_999).await?, None);
                assert_eq!(contracts::list(c, Some(acme.id)).await?, vec![new.clone(), old.clone()], "newest first");
                assert_eq!(contracts::list(c, None).await?, vec![other.clone(), new.clone(), old.clone()]);
                assert_eq!(contracts::active_for(c, acme.id).await?, Some(new.clone()), "the newest active contract");
                assert_eq!(contracts::active_for(c, zeta.id).await?, None, "an inactive contract is not active");

                // Assets.
                let web =
                    assets::insert(c, acme.id, AssetKind::Software, "Web", Some("https://acme.test"), "The shop", now)
                        .await?;
                let db = assets::insert(c, acme.id, AssetKind::Server, "DB server", None, "", now).await?;
                let z = assets::insert(c, zeta.id, AssetKind::Server, "Alpha", None, "zeta box", now).await?;
                assert_eq!(
                    (
                        web.organization_id,
                        web.kind,
                        web.name.as_str(),
                        web.url.as_deref(),
                        web.description.as_str(),
                        web.created_at
                    ),
                    (acme.id, AssetKind::Software, "Web", Some("https://acme.test"), "The shop", now)
                );
                assert_eq!(assets::by_id(c, db.id).await?, Some(db.clone()));
                assert_eq!(assets::by_id(c, 999_999).await?, None);
                assert_eq!(assets::list(c, Some(acme.id)).await?, vec![db.clone(), web.clone()], "ordered by name");
                assert_eq!(assets::list(c, None).await?, vec![z, db, web]);
                Ok::<_, StoreError>(())
            })
        })
        .await
        .unwrap();

    // What the write committed is visible to readers.
    assert_eq!(count(&store, "organizations").await, 2);
    assert_eq!(count(&store, "users").await, 3);
    assert_eq!(count(&store, "contracts").await, 3);
    assert_eq!(count(&store, "assets").await, 3);
    let acme = store.read(|c| Box::pin(async move { organizations::by_slug(c, "acme").await })).await.unwrap().unwrap();
    assert_eq!(acme.name, "Acme S.A.S.");
}

async fn write_org(store: &Store, slug: &'static str) -> Result<i64, StoreError> {
    let now = now();
    store.write(move |c| Box::pin(async move { Ok(organizations::insert(c, slug, slug, "UTC", now).await?.id) })).await
}

async fn duplicates_are_conflicts(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let now = now();
    let acme = write_org(&store, "acme").await.unwrap();

    let err = write_org(&store, "acme").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "duplicate slug: {err:?}");
    assert_eq!(count(&store, "organizations").await, 1);

    let insert_user = |email: &'static str| {
        let store = store.clone();
        async move {
            store
                .write(move |c| {
                    Box::pin(async move { users::insert(c, new_user(email, Role::Requester, Some(acme)), now).await })
                })
                .await
        }
    };
    insert_user("ana@acme.test").await.unwrap();
    let err = insert_user("ana@acme.test").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "duplicate e-mail: {err:?}");
    assert_eq!(count(&store, "users").await, 1);

    // The same policy key and version twice.
    let policy = |store: Store| async move {
        store.write(move |c| Box::pin(async move { policies::insert(c, "standard", 1, "x", "sha", now).await })).await
    };
    policy(store.clone()).await.unwrap();
    let err = policy(store.clone()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "duplicate policy version: {err:?}");

    // The store still writes after refusing.
    write_org(&store, "zeta").await.unwrap();
    assert_eq!(count(&store, "organizations").await, 2);
}

async fn integrity_violations_are_constraint_errors(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let now = now();
    let acme = write_org(&store, "acme").await.unwrap();

    // A foreign key to nothing.
    let err = store
        .write(move |c| {
            Box::pin(async move { assets::insert(c, 999_999, AssetKind::Server, "x", None, "", now).await })
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Constraint(_)), "missing organisation: {err:?}");

    // Staff never belong to an organisation; contacts always do (a CHECK constraint).
    let err = store
        .write(move |c| {
            Box::pin(async move { users::insert(c, new_user("a@x.test", Role::Agent, Some(acme)), now).await })
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Constraint(_)), "agent with an organisation: {err:?}");
    let err = store
        .write(move |c| {
            Box::pin(async move { users::insert(c, new_user("r@x.test", Role::Requester, None), now).await })
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Constraint(_)), "requester without an organisation: {err:?}");
    assert_eq!(count(&store, "users").await, 0);
    assert_eq!(count(&store, "assets").await, 0);
}

alcance_testkit::on_both_backends!(
    directory_records_round_trip,
    duplicates_are_conflicts,
    integrity_violations_are_constraint_errors
);
