//! Triage suggestions: the scope classifier (`alcance-triage`) suggests category, coverage
//! and priority for every ticket the moment it is opened; the suggestion is stored with the
//! ticket, shown to staff, accepted in one step or corrected, and, when the operator asks
//! for it, applied automatically above a confidence.
//!
//! The built-in model is trained once per process, lazily, from the bundled corpus and the
//! default policy. Training is deterministic, so every process of the same build has the same
//! model (its version is a digest of its bytes). Models retrained from agents' decisions
//! (`triage_learning`) are stored in the database; each process holds the active one in its
//! [`ModelSlot`].

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use alcance_domain::model::{EventKind, Id, Ticket};
use alcance_domain::policy::Policy;
use alcance_domain::ticket::{Coverage, Priority, Status};
use alcance_store::Conn;
use alcance_store::repo::suggestions::{self, StoredSuggestion};
use alcance_store::repo::{contracts, tickets as ticket_repo};
use alcance_triage::{Example, Model, PolicyKnowledge, Suggestion};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::history::Event;
use crate::tickets::{self, TicketChange};
use crate::{Actor, App, AppError, secrets};

pub use alcance_store::repo::suggestions::StoredSuggestion as TicketSuggestion;

/// The reason recorded on an automatic classification.
pub const AUTO_REASON: &str = "clasificación automática";

/// The version of the model trained from the bundled corpus alone.
pub const BUILT_IN: &str = "built-in";

/// A trained model and its version.
pub struct Classifier {
    model: Model,
    version: String,
}

static BUILT_IN_CLASSIFIER: OnceLock<Arc<Classifier>> = OnceLock::new();

/// The policy knowledge the model learns from: the default policy's categories.
pub(crate) fn knowledge() -> PolicyKnowledge {
    match alcance_domain::policy::Policy::from_toml(crate::policies::DEFAULT_POLICY) {
        Ok(policy) => match serde_json::to_value(&policy) {
            Ok(value) => PolicyKnowledge::from_policy_json(&value),
            Err(e) => {
                tracing::error!(error = %e, "cannot read the default policy's categories for the classifier");
                PolicyKnowledge::default()
            }
        },
        Err(e) => {
            tracing::error!(error = %e, "the default policy does not load; the classifier learns from the corpus only");
            PolicyKnowledge::default()
        }
    }
}

/// The model trained from the bundled corpus, trained on first use (a fraction of a second
/// in a release build; later calls share it).
pub fn built_in() -> Arc<Classifier> {
    BUILT_IN_CLASSIFIER
        .get_or_init(|| {
            let started = std::time::Instant::now();
            let model = Model::train(&Example::bundled(), &knowledge());
            let classifier = Classifier::new(model);
            tracing::info!(version = %classifier.version, ms = started.elapsed().as_millis() as u64, "built-in triage model trained");
            Arc::new(classifier)
        })
        .clone()
}

impl Classifier {
    /// Wraps a trained model; its version is the build's version and a digest of the model.
    pub fn new(model: Model) -> Classifier {
        let digest = secrets::sha256_hex(&model.to_bytes());
        let version = format!("{}-{}", env!("CARGO_PKG_VERSION"), &digest[..12]);
        Classifier { model, version }
    }

    /// A stored model under the version it was stored with.
    pub fn with_version(model: Model, version: String) -> Classifier {
        Classifier { model, version }
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn predict(&self, subject: &str, body: &str) -> Suggestion {
        self.model.predict(subject, body)
    }
}

/// The model this process suggests with: a retrained one from the database, or the built-in.
#[derive(Default)]
pub struct ModelSlot {
    active: RwLock<Option<Arc<Classifier>>>,
}

impl ModelSlot {
    pub fn current(&self) -> Arc<Classifier> {
        match self.active.read() {
            Ok(active) => active.clone().unwrap_or_else(built_in),
            Err(poisoned) => poisoned.into_inner().clone().unwrap_or_else(built_in),
        }
    }

    /// Whether a retrained model (not the built-in) is in use.
    pub fn is_retrained(&self) -> bool {
        self.active.read().map(|a| a.is_some()).unwrap_or(false)
    }

    /// Uses `classifier` from now on; `None` goes back to the built-in model.
    pub fn set(&self, classifier: Option<Arc<Classifier>>) {
        match self.active.write() {
            Ok(mut active) => *active = classifier,
            Err(poisoned) => *poisoned.into_inner() = classifier,
        }
    }
}

/// Trains the built-in model now, off the async runtime, so the first request does not wait.
pub async fn warm_up() {
    if let Err(e) = tokio::task::spawn_blocking(|| built_in().version().len()).await {
        tracing::warn!(error = %e, "could not train the triage model ahead of time");
    }
}

/// A probability as per mille, within 0-1000.
fn per_mille(p: f32) -> i64 {
    if p.is_finite() { (f64::from(p) * 1000.0).round().clamp(0.0, 1000.0) as i64 } else { 0 }
}

/// What `tickets::open` stores with a new ticket (the ticket id is filled in the write).
#[derive(Debug, Clone)]
pub(crate) struct Pending(StoredSuggestion);

/// Computes the suggestion for a request about to be opened, off the async runtime. `None`
/// when the classifier has nothing to say (the ticket is opened all the same).
pub(crate) async fn suggest_for_open(app: &App, subject: &str, body: &str, now: DateTime<Utc>) -> Option<Pending> {
    let (subject, body, slot) = (subject.to_owned(), body.to_owned(), app.triage.clone());
    let computed = tokio::task::spawn_blocking(move || {
        let classifier = slot.current();
        (classifier.predict(&subject, &body), classifier.version().to_owned())
    })
    .await;
    let (s, version) = match computed {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "the triage classifier failed; the ticket is opened without a suggestion");
            return None;
        }
    };
    if s.category.is_empty() {
        return None;
    }
    Some(Pending(StoredSuggestion {
        ticket_id: 0,
        category: s.category,
        coverage: s.coverage,
        priority: s.priority,
        confidence: per_mille(s.confidence),
        coverage_confidence: per_mille(s.coverage_confidence),
        clause: s.clause.section,
        top_words: s.top_words,
        model_version: version,
        created_at: now,
        accepted_at: None,
        corrected: None,
    }))
}

/// Stores the suggestion of the ticket just inserted, in the ticket's transaction.
pub(crate) async fn store_for_new_ticket(
    c: &mut dyn Conn,
    ticket_id: Id,
    pending: &Option<Pending>,
) -> Result<(), AppError> {
    if let Some(Pending(s)) = pending {
        suggestions::insert(c, &StoredSuggestion { ticket_id, ..s.clone() }).await?;
    }
    Ok(())
}

/// After a ticket was opened: classify it automatically when the operator turned that on
/// and the suggestion is confident enough; gives the ticket as it is now. A failure here is
/// logged; the ticket stays open and unclassified for an agent.
pub(crate) async fn after_open(app: &App, ticket: Ticket, pending: &Option<Pending>) -> Ticket {
    let (Some(min), Some(Pending(s))) = (app.settings.auto_classify_min_confidence, pending) else { return ticket };
    if (s.confidence as f64) < (min * 1000.0).round() {
        return ticket;
    }
    match auto_classify(app, &ticket, &s.category).await {
        Ok(Some(classified)) => classified,
        Ok(None) => ticket,
        Err(e) => {
            tracing::warn!(error = %e, ticket = ticket.number, "automatic classification failed; left for an agent");
            ticket
        }
    }
}

/// The policy a ticket of this organisation is classified under (its active contract's, or
/// the default).
async fn policy_for(app: &App, organization_id: Id) -> Result<(Id, std::sync::Arc<Policy>), AppError> {
    let contract =
        app.store.read(move |c| Box::pin(async move { contracts::active_for(c, organization_id).await })).await?;
    let policy_id = contract.map_or(app.policies.default_id(), |c| c.policy_id);
    Ok((policy_id, app.policies.get(&app.store, policy_id).await?))
}

/// Classifies a new ticket as the system (no actor), with the reason [`AUTO_REASON`].
async fn auto_classify(app: &App, ticket: &Ticket, category: &str) -> Result<Option<Ticket>, AppError> {
    let (policy_id, policy) = policy_for(app, ticket.organization_id).await?;
    let Some(coverage) = policy.coverage_of(category) else { return Ok(None) };
    let book = crate::sla::book_for_change(app).await?;
    let (id, category, settings, now) = (ticket.id, category.to_owned(), app.settings.clone(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let Some(mut t) = ticket_repo::by_id(c, id).await? else { return Ok(None) };
                if t.status != Status::New || t.coverage != Coverage::Pending {
                    return Ok(None);
                }
                let before_ticket = t.clone();
                let before = json!({"category": t.category, "coverage": t.coverage, "policy_id": t.policy_id});
                let after = json!({"category": category, "coverage": coverage, "policy_id": policy_id, "policy": policy.key, "policy_version": policy.version});
                Event::change(EventKind::Classified, before, after)
                    .reason(Some(AUTO_REASON.to_owned()))
                    .record(c, t.id, None, now)
                    .await?;
                t.category = Some(category);
                t.coverage = coverage;
                t.policy_id = Some(policy_id);
                if let Some(next) = t.status.after_classification(coverage) {
                    Event::change(EventKind::StatusChanged, t.status, next)
                        .reason(Some(AUTO_REASON.to_owned()))
                        .record(c, t.id, None, now)
                        .await?;
                    t.status = next;
                }
                crate::not_covered::after_classification(c, &before_ticket, &t, &policy, &settings, now).await?;
                t.updated_at = now;
                ticket_repo::update(c, &t).await?;
                // A request found not covered waits for the client's decision: its clock pauses.
                crate::sla::refresh(c, &book, t.id, now).await?;
                Ok(Some(t))
            })
        })
        .await
}

/// The suggestion stored for a ticket the actor already reached through a use case; staff
/// only (a client contact gets `None`).
pub async fn for_ticket(app: &App, actor: &Actor, ticket: &Ticket) -> Result<Option<TicketSuggestion>, AppError> {
    if !actor.is_staff() {
        return Ok(None);
    }
    let id = ticket.id;
    Ok(app.store.read(move |c| Box::pin(async move { suggestions::for_ticket(c, id).await })).await?)
}

/// The suggestions of a page of tickets, by ticket id; staff only (empty for anyone else).
pub async fn for_tickets(
    app: &App,
    actor: &Actor,
    ticket_ids: Vec<Id>,
) -> Result<HashMap<Id, TicketSuggestion>, AppError> {
    if !actor.is_staff() || ticket_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found =
        app.store.read(move |c| Box::pin(async move { suggestions::for_tickets(c, &ticket_ids).await })).await?;
    Ok(found.into_iter().map(|s| (s.ticket_id, s)).collect())
}

/// The suggestion of the ticket `number`, which the actor must see and be staff for.
async fn visible_suggestion(app: &App, actor: &Actor, number: i64) -> Result<(Ticket, TicketSuggestion), AppError> {
    if !actor.is_staff() {
        // A contact should not learn that suggestions exist.
        return Err(AppError::NotFound);
    }
    let actor = actor.clone();
    app.store
        .read(move |c| {
            Box::pin(async move {
                let ticket = ticket_repo::by_number(c, number)
                    .await?
                    .filter(|t| actor.can_see_ticket(t))
                    .ok_or(AppError::NotFound)?;
                let suggestion = suggestions::for_ticket(c, ticket.id).await?.ok_or(AppError::NotFound)?;
                Ok((ticket, suggestion))
            })
        })
        .await
}

/// Accepts the suggestion in one step: the suggested category (coverage follows the policy)
/// and priority, as an ordinary classification by the agent; the suggestion is marked
/// accepted.
pub async fn accept_suggestion(app: &App, actor: &Actor, number: i64) -> Result<Ticket, AppError> {
    let (_, suggestion) = visible_suggestion(app, actor, number).await?;
    let priority = Priority::parse("priority", &suggestion.priority).ok();
    let change = TicketChange { category: Some(suggestion.category.clone()), priority, ..TicketChange::default() };
    let ticket = tickets::change(app, actor, number, change).await?;
    let (id, now) = (ticket.id, app.now());
    app.store.write(move |c| Box::pin(async move { suggestions::mark_accepted(c, id, now).await })).await?;
    Ok(ticket)
}

/// How many weeks the triage report's weekly table covers (this week included).
pub const REPORT_WEEKS: i64 = 12;

/// What agents did with the suggestions of a group (a category, a week, or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TriageCounts {
    pub suggested: i64,
    /// Accepted in one click ("Aceptar sugerencia").
    pub accepted: i64,
    /// Classified by hand in the suggested category.
    pub agreed: i64,
    /// Classified in another category.
    pub corrected: i64,
    /// Not decided yet.
    pub pending: i64,
}

impl TriageCounts {
    fn add(&mut self, o: &suggestions::SuggestionOutcome) {
        self.suggested += 1;
        match o.corrected {
            Some(true) => self.corrected += 1,
            Some(false) if o.accepted_at.is_some() => self.accepted += 1,
            Some(false) => self.agreed += 1,
            None => self.pending += 1,
        }
    }

    /// The share of decided suggestions kept (accepted or agreed), 0-100; `None` before any
    /// decision.
    pub fn acceptance_percent(&self) -> Option<i64> {
        let decided = self.accepted + self.agreed + self.corrected;
        (decided > 0).then(|| ((self.accepted + self.agreed) * 100 + decided / 2) / decided)
    }
}

/// The leads' figures on the classifier's suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageReport {
    /// Suggestions created at or after this time count in `by_category` and `total`.
    pub since: DateTime<Utc>,
    /// Per suggested category id, most suggested first.
    pub by_category: Vec<(String, TriageCounts)>,
    /// The last [`REPORT_WEEKS`] ISO weeks (Monday 00:00 UTC), oldest first, with empty weeks.
    pub weeks: Vec<(DateTime<Utc>, TriageCounts)>,
    pub total: TriageCounts,
}

/// The start (Monday 00:00 UTC) of the ISO week holding `at`.
pub fn week_start(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Datelike;
    let day = at.date_naive() - chrono::Duration::days(i64::from(at.weekday().num_days_from_monday()));
    day.and_hms_opt(0, 0, 0).map_or(at, |d| d.and_utc())
}

/// Suggestions accepted, agreed with, corrected and pending since `since`, per category and
/// per week for the last [`REPORT_WEEKS`] weeks; staff only (a contact gets `NotFound`).
pub async fn triage_report(app: &App, actor: &Actor, since: DateTime<Utc>) -> Result<TriageReport, AppError> {
    if !actor.is_staff() {
        return Err(AppError::NotFound);
    }
    let first_week = week_start(app.now()) - chrono::Duration::weeks(REPORT_WEEKS - 1);
    let from = since.min(first_week);
    let outcomes = app
        .store
        .read(move |c| Box::pin(async move { suggestions::outcomes_since(c, from, suggestions::MAX_OUTCOMES).await }))
        .await?;
    let mut by_category: HashMap<String, TriageCounts> = HashMap::new();
    let mut total = TriageCounts::default();
    let mut weeks: Vec<(DateTime<Utc>, TriageCounts)> =
        (0..REPORT_WEEKS).map(|i| (first_week + chrono::Duration::weeks(i), TriageCounts::default())).collect();
    for o in &outcomes {
        if o.created_at >= since {
            by_category.entry(o.category.clone()).or_default().add(o);
            total.add(o);
        }
        let week = week_start(o.created_at);
        if let Some((_, counts)) = weeks.iter_mut().find(|(start, _)| *start == week) {
            counts.add(o);
        }
    }
    let mut by_category: Vec<(String, TriageCounts)> = by_category.into_iter().collect();
    by_category.sort_by(|a, b| b.1.suggested.cmp(&a.1.suggested).then_with(|| a.0.cmp(&b.0)));
    Ok(TriageReport { since, by_category, weeks, total })
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn weeks_start_on_monday_utc() {
        let sunday = Utc.with_ymd_and_hms(2026, 11, 29, 23, 59, 0).unwrap();
        assert_eq!(week_start(sunday), Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap());
        let monday = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
        assert_eq!(week_start(monday), monday);
    }

    #[test]
    fn acceptance_counts_decided_suggestions_only() {
        let c = TriageCounts { suggested: 5, accepted: 1, agreed: 1, corrected: 1, pending: 2 };
        assert_eq!(c.acceptance_percent(), Some(67));
        assert_eq!(TriageCounts::default().acceptance_percent(), None);
    }
}
