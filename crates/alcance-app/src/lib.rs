//! Use cases of Alcance. Each public function is one thing a person or a system does
//! (open a ticket, reply, classify...). It checks who may do it, applies the domain rules,
//! and writes the change together with its history event in one transaction.
//! Web handlers, the CLI and jobs call these; none of them reach past this crate.

pub mod access;
pub mod account;
pub mod admin_views;
pub mod agent_views;
pub mod auth;
pub mod clock;
pub mod closures;
pub mod demo;
pub mod directory;
mod error;
mod history;
pub mod hours;
pub mod jobs;
pub mod mail_imap;
pub mod mail_intake;
pub mod mail_templates;
pub mod mailer;
pub mod monitoring;
pub mod not_covered;
pub mod policies;
pub mod portal_views;
pub mod quote_mail;
pub mod quotes;
pub mod reports;
pub mod secrets;
pub mod sla;
pub mod tickets;
pub mod time_entries;
pub mod triage;
pub mod triage_learning;

use std::sync::Arc;

pub use access::Actor;
pub use alcance_store::{Backend as StoreBackend, Store, StoreConfig};
pub use error::AppError;

use clock::Clock;
use policies::PolicyRegistry;

/// Limits and choices an operator sets at start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub max_attachment_bytes: usize,
    pub session_hours: i64,
    pub brand: Brand,
    /// The address people reach the service at, for links in e-mails (no trailing slash).
    pub public_url: String,
    /// Classify new tickets automatically when the classifier's confidence in its suggested
    /// category is at least this (0-1). `None` (the default): agents classify every ticket.
    pub auto_classify_min_confidence: Option<f64>,
    /// How long after an agent's classification the classifier is retrained (one retraining
    /// covers the decisions of a busy spell).
    pub triage_retrain_delay: chrono::Duration,
    /// E-mail in and out. The default has no SMTP server: mail waits in the outbox.
    pub mail: mailer::MailSettings,
    /// Server monitors: the shortest check interval.
    pub monitoring: monitoring::MonitoringSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            max_attachment_bytes: 20 * 1024 * 1024,
            session_hours: 12,
            brand: Brand::default(),
            public_url: "http://127.0.0.1:8080".into(),
            auto_classify_min_confidence: None,
            triage_retrain_delay: chrono::Duration::minutes(10),
            mail: mailer::MailSettings::default(),
            monitoring: monitoring::MonitoringSettings::default(),
        }
    }
}

/// How the agency's deployment looks: its name, main colour and logo.
#[derive(Debug, Clone)]
pub struct Brand {
    pub name: String,
    /// A CSS hex colour, e.g. "#0b5cad".
    pub color: String,
    /// Logo bytes and content type (SVG or PNG), if the agency set one.
    pub logo: Option<(Vec<u8>, String)>,
}

impl Default for Brand {
    fn default() -> Self {
        Self { name: "Alcance".into(), color: "#0b5cad".into(), logo: None }
    }
}

impl Brand {
    /// Accepts "#rgb" or "#rrggbb" only, so the colour can go into CSS safely.
    pub fn valid_color(color: &str) -> bool {
        let hex = color.strip_prefix('#').unwrap_or("");
        matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
    }
}

/// Everything a use case needs: the store, the clock, the loaded policies, the settings.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub policies: PolicyRegistry,
    pub settings: Arc<Settings>,
    /// The triage model this process suggests with.
    pub triage: Arc<triage::ModelSlot>,
    /// This process's SLA book (policies' targets, working hours, closures), kept instead of
    /// being read for every ticket change, and the periodic SLA check's progress.
    pub sla: Arc<sla::SlaCache>,
}

impl App {
    /// Opens the store, migrates it, and loads the default scope policy into it.
    pub async fn start(config: &StoreConfig, settings: Settings, policy_text: &str) -> Result<App, AppError> {
        let store = Store::open(config).await?;
        store.migrate().await?;
        let clock: Arc<dyn Clock> = Arc::new(clock::SystemClock);
        let policies = PolicyRegistry::load_default(&store, clock.now(), policy_text).await?;
        let app =
            App { store, clock, policies, settings: Arc::new(settings), triage: Arc::default(), sla: Arc::default() };
        triage_learning::sync_active(&app).await?;
        Ok(app)
    }

    /// The current time at the precision the store keeps (milliseconds), so what a use
    /// case returns is exactly what a later read will show.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        use chrono::SubsecRound;
        self.clock.now().trunc_subsecs(3)
    }
}
