//! The classifier learns from agents: classifying enqueues a retraining job; the job trains
//! on the bundled corpus plus agents' decisions, and the new model replaces the active one
//! only when it is not worse on the held-back slice. Other processes pick it up.

use std::sync::Arc;

use alcance_app::triage_learning::held_back;
use alcance_app::{App, jobs, triage, triage_learning};
use alcance_store::repo::jobs as job_repo;
use alcance_store::repo::{tickets, triage_models};
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::Duration;
use serde_json::json;

use crate::support::{At, TestApp, spawn_app};

on_both_backends!(agents_decisions_retrain_the_model, a_worse_model_is_not_activated);

/// The app as a worker would run it once the retraining delay has passed.
fn later(app: &App) -> App {
    App { clock: Arc::new(At(app.now() + Duration::minutes(11))), ..app.clone() }
}

/// Requests in an agency's own jargon the bundled corpus never saw: "zorblax" is, in this
/// made-up agency, their name for restoring a backup.
fn jargon(i: usize) -> (String, String) {
    let things = ["el portal de afiliados", "la intranet", "el módulo de eventos", "la tienda", "el CRM"];
    let thing = things[i % things.len()];
    (
        format!("Zorblax {thing} #{i}"),
        format!("Por favor hagan el zorblax de {thing}, lo necesitamos para mañana (ref {i})."),
    )
}

/// Opens `n` jargon requests as requester A; gives (number, ticket id, suggested category).
async fn open_jargon(t: &TestApp, n: usize) -> Vec<(i64, i64, String)> {
    let mut out = Vec::new();
    for i in 0..n {
        let (subject, body) = jargon(i);
        let created = t
            .post("/api/v1/tickets", &t.fx.requester_a.token, json!({"subject": subject, "body": body}))
            .await
            .expect(201);
        let number = created["number"].as_i64().unwrap();
        let detail = t.ticket(number, &t.fx.agent.token).await;
        let stored = t.app.store.read(move |c| Box::pin(async move { tickets::by_number(c, number).await })).await;
        let id = stored.unwrap().unwrap().id;
        out.push((number, id, detail["suggestion"]["category"].as_str().unwrap().to_owned()));
    }
    out
}

async fn retrain_jobs(t: &TestApp) -> Vec<job_repo::Job> {
    t.app.store.read(|c| Box::pin(async move { job_repo::of_kind(c, jobs::TRIAGE_RETRAIN, 10).await })).await.unwrap()
}

async fn agents_decisions_retrain_the_model(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let opened = open_jargon(&t, 30).await;
    let built_in = t.ticket(opened[0].0, &t.fx.agent.token).await["suggestion"]["model_version"].clone();
    // A category the built-in model suggests for none of them: the agency's jargon is new.
    let target = ["backup_restore", "server_structural_change", "software_administration"]
        .into_iter()
        .find(|c| opened.iter().all(|(_, _, suggested)| suggested != c))
        .unwrap();
    assert!(opened.iter().any(|(_, id, _)| held_back(*id)), "some decisions are held back");
    assert!(opened.iter().any(|(_, id, _)| !held_back(*id)));

    assert!(retrain_jobs(&t).await.is_empty(), "nothing to learn before agents decide");
    for (number, ..) in &opened {
        t.patch(
            &format!("/api/v1/tickets/{number}"),
            &t.fx.agent.token,
            json!({"category": target, "priority": "high"}),
        )
        .await
        .expect(200);
    }
    let queued = retrain_jobs(&t).await;
    assert_eq!(queued.len(), 1, "one retraining covers a burst of decisions: {queued:?}");
    assert_eq!(queued[0].state, "queued");
    assert!(queued[0].run_at > t.app.now(), "it waits for the burst to end");
    assert_eq!(jobs::run_due(&t.app, "worker-a").await.unwrap(), 0, "not due yet");

    let worker = later(&t.app);
    assert_eq!(jobs::run_due(&worker, "worker-a").await.unwrap(), 1);
    let done = retrain_jobs(&t).await;
    assert_eq!((done[0].state.as_str(), done[0].attempts), ("done", 1), "{done:?}");

    let (record, _) = t
        .app
        .store
        .read(|c| Box::pin(async move { triage_models::active(c).await }))
        .await
        .unwrap()
        .expect("an active model");
    let learnt = opened.iter().filter(|(_, id, _)| !held_back(*id)).count() as i64;
    assert_eq!(record.agent_examples, learnt);
    assert_eq!(record.holdout_size, opened.len() as i64 - learnt);
    assert_eq!(record.compared_with, triage::BUILT_IN);
    assert!(record.accepted && record.active);
    assert!(record.holdout_score > record.compared_score, "it learnt the jargon: {record:?}");
    assert_eq!(record.cause, "job");

    // New requests are suggested by the new model, in the same process...
    let (subject, body) = jargon(99);
    let created =
        t.post("/api/v1/tickets", &t.fx.requester_a.token, json!({"subject": subject, "body": body})).await.expect(201);
    let s = t.ticket(created["number"].as_i64().unwrap(), &t.fx.agent.token).await["suggestion"].clone();
    assert_eq!(s["category"], target, "{s}");
    assert_eq!(s["model_version"], record.version.as_str());
    assert_ne!(s["model_version"], built_in);

    // ...and by a process started later on the same database.
    let other = App::start(&t.db.config, alcance_app::Settings::default(), alcance_app::policies::DEFAULT_POLICY)
        .await
        .unwrap();
    assert_eq!(other.triage.current().version(), record.version);
    assert_eq!(other.triage.current().predict(&subject, &body).category, target);

    // Retraining again with nothing new keeps the model and stores nothing.
    let again = triage_learning::retrain(&t.app, "cli").await.unwrap();
    assert!(again.unchanged, "{again:?}");
    let models = t.app.store.read(|c| Box::pin(async move { triage_models::recent(c, 10).await })).await.unwrap();
    assert_eq!(models.len(), 1);
}

async fn a_worse_model_is_not_activated(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let opened = open_jargon(&t, 30).await;
    // On the held-back tickets agents confirm the suggestion; on the others they label
    // something else entirely. A model trained on that does worse on the held-back slice.
    for (number, id, suggested) in &opened {
        let path = format!("/api/v1/tickets/{number}");
        if held_back(*id) {
            t.post(&format!("{path}/accept-suggestion"), &t.fx.agent.token, json!({})).await.expect(200);
        } else {
            let other = if suggested == "server_alert" { "usage_question" } else { "server_alert" };
            t.patch(&path, &t.fx.agent.token, json!({"category": other})).await.expect(200);
        }
    }
    let outcome = triage_learning::retrain(&t.app, "cli").await.unwrap();
    assert!(!outcome.activated && !outcome.unchanged, "{outcome:?}");
    assert!(outcome.candidate_score < outcome.active_score, "{outcome:?}");
    assert_eq!(outcome.active_score, 1000, "the built-in model agrees with every confirmed suggestion");

    let models = t.app.store.read(|c| Box::pin(async move { triage_models::recent(c, 10).await })).await.unwrap();
    assert_eq!(models.len(), 1, "the rejected candidate is on record");
    assert!(!models[0].accepted && !models[0].active);
    let active = t.app.store.read(|c| Box::pin(async move { triage_models::active(c).await })).await.unwrap();
    assert!(active.is_none(), "no stored model is active");
    assert!(!t.app.triage.is_retrained(), "the built-in model stays in use");
}
