//! Sessions expire and die with their user; revoked API tokens open nothing.

use alcance_domain::Role;
use alcance_store::repo::{sessions, tokens, users};
use alcance_store::{Store, StoreError};
use alcance_testkit::TestBackend;
use chrono::{DateTime, Duration, Utc};

use crate::common::{fixture, new_user, now, open};

async fn live(store: &Store, hash: &'static str, at: DateTime<Utc>) -> Option<(i64, String)> {
    store.read(move |c| Box::pin(async move { sessions::find_live(c, hash, at).await })).await.unwrap()
}

async fn set_active(store: &Store, user: i64, active: bool) {
    store.write(move |c| Box::pin(async move { users::set_active(c, user, active).await })).await.unwrap();
}

async fn sessions_respect_expiry_and_inactive_users(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let (req, agent, now) = (f.requester.id, f.agent.id, now());
    let expires = now + Duration::hours(8);
    store
        .write(move |c| {
            Box::pin(async move {
                sessions::insert(c, "hash-req", req, "csrf-req", now, expires).await?;
                sessions::insert(c, "hash-req-2", req, "csrf-req-2", now, expires).await?;
                sessions::insert(c, "hash-agent", agent, "csrf-agent", now, now + Duration::minutes(1)).await?;
                sessions::insert(c, "hash-old", agent, "csrf-old", now - Duration::hours(2), now - Duration::hours(1))
                    .await?;
                Ok::<_, StoreError>(())
            })
        })
        .await
        .unwrap();

    assert_eq!(live(&store, "hash-req", now).await, Some((req, "csrf-req".to_owned())));
    assert_eq!(live(&store, "hash-agent", now).await, Some((agent, "csrf-agent".to_owned())));
    assert_eq!(live(&store, "hash-old", now).await, None, "an expired session");
    assert_eq!(live(&store, "unknown", now).await, None);
    assert_eq!(
        live(&store, "hash-req", expires - Duration::milliseconds(1)).await,
        Some((req, "csrf-req".to_owned())),
        "a millisecond before expiry"
    );
    assert_eq!(live(&store, "hash-req", expires).await, None, "at the expiry instant");
    assert_eq!(live(&store, "hash-agent", now + Duration::minutes(2)).await, None);

    set_active(&store, req, false).await;
    assert_eq!(live(&store, "hash-req", now).await, None, "the user was deactivated");
    assert_eq!(
        live(&store, "hash-agent", now).await,
        Some((agent, "csrf-agent".to_owned())),
        "other users are unaffected"
    );
    set_active(&store, req, true).await;
    assert_eq!(live(&store, "hash-req", now).await, Some((req, "csrf-req".to_owned())));

    store.write(|c| Box::pin(async move { sessions::delete(c, "hash-req").await })).await.unwrap();
    assert_eq!(live(&store, "hash-req", now).await, None, "signed out");
    assert_eq!(live(&store, "hash-req-2", now).await, Some((req, "csrf-req-2".to_owned())));
    store.write(move |c| Box::pin(async move { sessions::delete_for_user(c, req).await })).await.unwrap();
    assert_eq!(live(&store, "hash-req-2", now).await, None, "every session of the user ended");
    assert_eq!(live(&store, "hash-agent", now).await, Some((agent, "csrf-agent".to_owned())));

    let err = store
        .write(move |c| Box::pin(async move { sessions::insert(c, "hash-agent", req, "x", now, expires).await }))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "a session digest is unique: {err:?}");
}

async fn token_owner(store: &Store, hash: &'static str) -> Option<i64> {
    store.read(move |c| Box::pin(async move { tokens::user_for(c, hash).await })).await.unwrap()
}

async fn tokens_ignore_revoked_and_inactive(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let (req, agent, org, now) = (f.requester.id, f.agent.id, f.org.id, now());
    let other = store
        .write(move |c| {
            Box::pin(async move {
                let other = users::insert(c, new_user("other@acme.test", Role::Manager, Some(org)), now).await?.id;
                let a = tokens::insert(c, agent, "tok-agent-1", "ci", now).await?;
                let b = tokens::insert(c, agent, "tok-agent-2", "laptop", now).await?;
                assert_ne!(a, b);
                tokens::insert(c, req, "tok-req", "script", now).await?;
                tokens::insert(c, other, "tok-other", "script", now).await?;
                Ok::<_, StoreError>(other)
            })
        })
        .await
        .unwrap();
    assert_eq!(token_owner(&store, "tok-agent-1").await, Some(agent));
    assert_eq!(token_owner(&store, "tok-agent-2").await, Some(agent));
    assert_eq!(token_owner(&store, "tok-req").await, Some(req));
    assert_eq!(token_owner(&store, "nope").await, None);

    let revoked =
        store.write(move |c| Box::pin(async move { tokens::revoke_all_for(c, agent, now).await })).await.unwrap();
    assert_eq!(revoked, 2);
    assert_eq!(token_owner(&store, "tok-agent-1").await, None, "revoked");
    assert_eq!(token_owner(&store, "tok-agent-2").await, None, "revoked");
    assert_eq!(token_owner(&store, "tok-req").await, Some(req), "other users' tokens still work");
    let again =
        store.write(move |c| Box::pin(async move { tokens::revoke_all_for(c, agent, now).await })).await.unwrap();
    assert_eq!(again, 0, "already revoked tokens are not revoked again");

    // A token issued after the revocation works.
    store
        .write(move |c| Box::pin(async move { tokens::insert(c, agent, "tok-agent-3", "new", now).await }))
        .await
        .unwrap();
    assert_eq!(token_owner(&store, "tok-agent-3").await, Some(agent));
    assert_eq!(token_owner(&store, "tok-agent-1").await, None);

    set_active(&store, other, false).await;
    assert_eq!(token_owner(&store, "tok-other").await, None, "the owner was deactivated");

    let err = store
        .write(move |c| Box::pin(async move { tokens::insert(c, req, "tok-req", "dup", now).await }))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "a token digest is unique: {err:?}");
}

alcance_testkit::on_both_backends!(sessions_respect_expiry_and_inactive_users, tokens_ignore_revoked_and_inactive);
