//! Sessions expire and die with their user; revoked API tokens open nothing.

use alcance_domain::Role;
use alcance_domain::model::ApiToken;
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
    token_lookup(store, hash).await.map(|(user, _)| user)
}

/// The owner of a live token and when it was last used.
async fn token_lookup(store: &Store, hash: &'static str) -> Option<(i64, Option<DateTime<Utc>>)> {
    store.read(move |c| Box::pin(async move { tokens::user_for(c, hash).await })).await.unwrap()
}

async fn all_tokens(store: &Store) -> Vec<ApiToken> {
    store.read(|c| Box::pin(async move { tokens::list(c).await })).await.unwrap()
}

async fn revoke(store: &Store, id: i64, at: DateTime<Utc>) -> bool {
    store.write(move |c| Box::pin(async move { tokens::revoke(c, id, at).await })).await.unwrap()
}

async fn touch(store: &Store, hash: &'static str, at: DateTime<Utc>) {
    store.write(move |c| Box::pin(async move { tokens::touch(c, hash, at).await })).await.unwrap();
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

async fn tokens_are_listed_newest_first_and_revoked_one_by_one(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let (req, agent, now) = (f.requester.id, f.agent.id, now());
    assert!(all_tokens(&store).await.is_empty());
    let (first, second, third) = store
        .write(move |c| {
            Box::pin(async move {
                let first = tokens::insert(c, agent, "tok-1", "ci", now - Duration::hours(2)).await?;
                let second = tokens::insert(c, req, "tok-2", "script", now - Duration::hours(1)).await?;
                let third = tokens::insert(c, agent, "tok-3", "laptop", now).await?;
                Ok::<_, StoreError>((first, second, third))
            })
        })
        .await
        .unwrap();

    let listed = all_tokens(&store).await;
    assert_eq!(listed.iter().map(|t| t.id).collect::<Vec<_>>(), vec![third, second, first], "newest first");
    assert_eq!(
        listed[1],
        ApiToken {
            id: second,
            user_id: req,
            label: "script".to_owned(),
            created_at: now - Duration::hours(1),
            last_used_at: None,
            revoked_at: None,
        }
    );

    let at = now + Duration::minutes(5);
    assert!(revoke(&store, second, at).await, "a live token is revoked");
    assert!(!revoke(&store, second, at + Duration::minutes(1)).await, "not twice");
    assert!(!revoke(&store, 999_999, at).await, "no such token");
    assert_eq!(token_owner(&store, "tok-2").await, None, "a revoked token opens nothing");
    assert_eq!(token_owner(&store, "tok-1").await, Some(agent), "the others still work");
    assert_eq!(token_owner(&store, "tok-3").await, Some(agent));
    let listed = all_tokens(&store).await;
    assert_eq!(listed.len(), 3, "revoked tokens stay listed");
    let revoked = listed.iter().find(|t| t.id == second).unwrap();
    assert_eq!(revoked.revoked_at, Some(at), "the first revocation time is kept");
    assert!(listed.iter().filter(|t| t.id != second).all(|t| t.revoked_at.is_none()));

    // Revoking all of a user's tokens leaves the revocation time of those already revoked.
    assert!(revoke(&store, first, at).await);
    let later = at + Duration::hours(1);
    let n = store.write(move |c| Box::pin(async move { tokens::revoke_all_for(c, agent, later).await })).await.unwrap();
    assert_eq!(n, 1, "only the live one");
    let listed = all_tokens(&store).await;
    assert_eq!(listed.iter().find(|t| t.id == first).unwrap().revoked_at, Some(at));
    assert_eq!(listed.iter().find(|t| t.id == third).unwrap().revoked_at, Some(later));
}

async fn token_use_is_recorded(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let (agent, now) = (f.agent.id, now());
    store
        .write(move |c| {
            Box::pin(async move {
                tokens::insert(c, agent, "tok-a", "ci", now).await?;
                tokens::insert(c, agent, "tok-b", "laptop", now).await?;
                Ok::<_, StoreError>(())
            })
        })
        .await
        .unwrap();
    assert_eq!(token_lookup(&store, "tok-a").await, Some((agent, None)), "never used");

    let used = now + Duration::minutes(3);
    touch(&store, "tok-a", used).await;
    assert_eq!(token_lookup(&store, "tok-a").await, Some((agent, Some(used))));
    assert_eq!(token_lookup(&store, "tok-b").await, Some((agent, None)), "only that token");
    let listed = all_tokens(&store).await;
    assert_eq!(listed.iter().find(|t| t.label == "ci").unwrap().last_used_at, Some(used), "listed too");

    // A late, older write (a slower concurrent request) does not move it back.
    touch(&store, "tok-a", used - Duration::minutes(2)).await;
    assert_eq!(token_lookup(&store, "tok-a").await, Some((agent, Some(used))));
    let later = used + Duration::minutes(2);
    touch(&store, "tok-a", later).await;
    assert_eq!(token_lookup(&store, "tok-a").await, Some((agent, Some(later))));
    touch(&store, "unknown", later).await;
}

alcance_testkit::on_both_backends!(
    sessions_respect_expiry_and_inactive_users,
    tokens_ignore_revoked_and_inactive,
    tokens_are_listed_newest_first_and_revoked_one_by_one,
    token_use_is_recorded,
);
