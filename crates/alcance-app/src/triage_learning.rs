//! The classifier learns from agents: every ticket whose suggestion an agent confirmed or
//! corrected is a labelled request. Retraining (a background job after agents classify, or
//! `alcance triage train`) trains a candidate on the bundled corpus plus those labels, and
//! the candidate replaces the active model only if it is not worse on a held-back slice.
//!
//! The held-back slice is one agent decision in five, chosen by a hash of the ticket id, so
//! a ticket is always on the same side: no stored model ever trained on the slice, and the
//! comparison between two models is fair. The built-in model never saw agents' tickets.

use std::sync::Arc;

use alcance_store::repo::triage_models::{self, AgentLabel, ModelRecord};
use alcance_triage::{Example, Model, Report};
use serde::Serialize;

use crate::triage::{BUILT_IN, Classifier};
use crate::{Actor, App, AppError};

/// At most this many agents' decisions are learnt from (the newest).
const MAX_AGENT_LABELS: i64 = 20_000;

/// Whether an agent's decision on this ticket is held back from training (one in five).
pub fn held_back(ticket_id: i64) -> bool {
    // SplitMix64's finaliser: consecutive ids land on either side evenly.
    let mut z = (ticket_id as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)).is_multiple_of(5)
}

fn as_example(label: &AgentLabel) -> Example {
    Example {
        id: format!("ticket-{}", label.ticket_id),
        subject: label.subject.clone(),
        body: label.body.clone(),
        coverage: label.coverage.clone(),
        category: label.category.clone(),
        priority: label.priority.clone(),
    }
}

/// How a model did on the held-back slice, per mille: the mean of coverage, category and
/// priority accuracy (the three things an agent would otherwise fix by hand).
fn score(report: &Report) -> i64 {
    if report.n == 0 {
        return 0;
    }
    let mean = (report.coverage_accuracy + report.category_accuracy + report.priority_accuracy) / 3.0;
    (mean * 1000.0).round() as i64
}

/// What a retraining did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retraining {
    /// The candidate's version; equal to the active one when nothing new was learnt.
    pub version: String,
    pub examples: usize,
    pub agent_examples: usize,
    pub holdout_size: usize,
    /// Per mille on the held-back slice.
    pub candidate_score: i64,
    pub active_version: String,
    pub active_score: i64,
    /// The candidate is now the active model.
    pub activated: bool,
    /// The candidate is the model already in use: nothing stored.
    pub unchanged: bool,
}

/// Trains a candidate from the bundled corpus and agents' decisions, compares it with the
/// active model on the held-back slice, and stores it (activated when not worse). `cause` is
/// recorded: "job" or "cli".
pub async fn retrain(app: &App, cause: &str) -> Result<Retraining, AppError> {
    let labels =
        app.store.read(|c| Box::pin(async move { triage_models::agent_labels(c, MAX_AGENT_LABELS).await })).await?;
    let (holdout, learn): (Vec<&AgentLabel>, Vec<&AgentLabel>) = labels.iter().partition(|l| held_back(l.ticket_id));
    let holdout: Vec<Example> = holdout.into_iter().map(as_example).collect();
    let mut examples = Example::bundled();
    examples.extend(learn.into_iter().map(as_example));
    let agent_examples = labels.len() - holdout.len();
    let active = app.triage.current();
    let trained = {
        let (examples, holdout, active) = (examples.clone(), holdout.clone(), active.clone());
        tokio::task::spawn_blocking(move || {
            let candidate = Classifier::new(Model::train(&examples, &crate::triage::knowledge()));
            let candidate_report = alcance_triage::evaluate(candidate.model(), &holdout);
            let active_report = alcance_triage::evaluate(active.model(), &holdout);
            (candidate, candidate_report, active_report)
        })
        .await
        .map_err(|e| AppError::Internal(format!("triage training failed: {e}")))?
    };
    let (candidate, candidate_report, active_report) = trained;
    let active_version = if app.triage.is_retrained() { active.version().to_owned() } else { BUILT_IN.to_owned() };
    let mut outcome = Retraining {
        version: candidate.version().to_owned(),
        examples: examples.len(),
        agent_examples,
        holdout_size: holdout.len(),
        candidate_score: score(&candidate_report),
        active_version: active_version.clone(),
        active_score: score(&active_report),
        activated: false,
        unchanged: candidate.version() == active.version(),
    };
    if outcome.unchanged {
        return Ok(outcome);
    }
    outcome.activated = outcome.candidate_score >= outcome.active_score;
    let metrics = serde_json::json!({
        "candidate": figures(&candidate_report),
        "active": figures(&active_report),
    })
    .to_string();
    let record = ModelRecord {
        id: 0,
        version: outcome.version.clone(),
        created_at: app.now(),
        cause: cause.to_owned(),
        examples: outcome.examples as i64,
        agent_examples: agent_examples as i64,
        holdout_size: outcome.holdout_size as i64,
        holdout_score: outcome.candidate_score,
        compared_with: active_version,
        compared_score: outcome.active_score,
        metrics,
        accepted: outcome.activated,
        active: outcome.activated,
    };
    let weights = outcome.activated.then(|| candidate.model().to_bytes());
    let stored =
        app.store.write(move |c| Box::pin(async move { triage_models::insert(c, &record, weights).await })).await?;
    if outcome.activated && stored {
        tracing::info!(version = %outcome.version, score = outcome.candidate_score, was = outcome.active_score, "triage model retrained and activated");
        app.triage.set(Some(Arc::new(candidate)));
    } else if !outcome.activated {
        tracing::info!(version = %outcome.version, score = outcome.candidate_score, active = outcome.active_score, "retrained triage model did worse on the held-back slice; kept the active one");
    }
    Ok(outcome)
}

fn figures(r: &Report) -> serde_json::Value {
    serde_json::json!({
        "n": r.n,
        "coverage_accuracy": r.coverage_accuracy,
        "category_accuracy": r.category_accuracy,
        "not_covered_recall": r.not_covered_recall,
        "priority_accuracy": r.priority_accuracy,
    })
}

/// Makes this process suggest with the model active in the database (or the built-in one
/// when none is). Cheap when nothing changed: one indexed lookup.
pub async fn sync_active(app: &App) -> Result<(), AppError> {
    let version = app.store.read(|c| Box::pin(async move { triage_models::active_version(c).await })).await?;
    let in_use = app.triage.is_retrained().then(|| app.triage.current().version().to_owned());
    if version == in_use {
        return Ok(());
    }
    if version.is_none() {
        app.triage.set(None);
        return Ok(());
    }
    let Some((record, bytes)) = app.store.read(|c| Box::pin(async move { triage_models::active(c).await })).await?
    else {
        return Ok(());
    };
    let loaded = tokio::task::spawn_blocking(move || Model::from_bytes(&bytes))
        .await
        .map_err(|e| AppError::Internal(format!("reading the triage model failed: {e}")))?;
    match loaded {
        Ok(model) => {
            tracing::info!(version = %record.version, "using the retrained triage model");
            app.triage.set(Some(Arc::new(Classifier::with_version(model, record.version.clone()))));
        }
        // A model stored by another build with another format: keep the built-in one
        // until this build retrains.
        Err(e) => {
            tracing::warn!(version = %record.version, error = %e, "cannot read the stored triage model; using the built-in one")
        }
    }
    Ok(())
}

/// The latest retrainings, newest first (staff).
pub async fn history(app: &App, actor: &Actor) -> Result<Vec<ModelRecord>, AppError> {
    if !actor.is_staff() {
        return Err(AppError::NotFound);
    }
    Ok(app.store.read(|c| Box::pin(async move { triage_models::recent(c, 20).await })).await?)
}

#[cfg(test)]
mod tests {
    use super::held_back;

    #[test]
    fn one_decision_in_five_is_held_back_and_always_the_same_one() {
        let held = (1..=10_000).filter(|id| held_back(*id)).count();
        assert!((1_800..=2_200).contains(&held), "{held} of 10000 held back");
        assert_eq!(held_back(42), held_back(42));
    }
}
