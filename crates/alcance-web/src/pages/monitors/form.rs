//! The monitor form as the browser sends it, and the choices its selects offer.

use alcance_app::monitoring::MonitorRow;
use alcance_domain::FieldErrorCode;
use alcance_domain::model::{Asset, Id, Organization};
use alcance_domain::monitor::{INCIDENT_CATEGORIES, MonitorInput, MonitorKind};
use serde::Deserialize;

use crate::pages::PageCtx;

/// What the admin typed; empty numbers take the defaults of the monitor's kind.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MonitorForm {
    pub csrf_token: String,
    /// The organisation's slug (new monitors only: a monitor never moves).
    pub organization: String,
    /// An asset id, or empty for none.
    pub asset_id: String,
    pub name: String,
    pub kind: String,
    pub target: String,
    pub method: String,
    pub expected_status: String,
    pub keyword: String,
    pub interval_seconds: String,
    pub timeout_seconds: String,
    pub slow_ms: String,
    pub failures_to_open: String,
    pub successes_to_close: String,
    pub category: String,
    pub grace_seconds: String,
    /// The "active" checkbox of the edit form ("1" when ticked; absent when not).
    pub enabled: Option<String>,
}

impl MonitorForm {
    /// A new monitor's form: a website checked with GET, the rest left to the defaults.
    pub fn blank() -> MonitorForm {
        MonitorForm { kind: "http".into(), method: "GET".into(), ..MonitorForm::default() }
    }

    /// The form of an existing monitor, filled with its settings.
    pub fn of(m: &MonitorRow) -> MonitorForm {
        let text = |n: i64| n.to_string();
        MonitorForm {
            csrf_token: String::new(),
            organization: String::new(),
            asset_id: m.asset_id.map(text).unwrap_or_default(),
            name: m.name.clone(),
            kind: m.kind.as_str().to_owned(),
            target: m.target.clone(),
            method: m.method.clone(),
            expected_status: text(m.expected_status),
            keyword: m.keyword.clone().unwrap_or_default(),
            interval_seconds: text(m.interval_seconds),
            timeout_seconds: text(m.timeout_seconds),
            slow_ms: m.slow_ms.map(text).unwrap_or_default(),
            failures_to_open: text(m.failures_to_open),
            successes_to_close: text(m.successes_to_close),
            category: m.category.clone().unwrap_or_default(),
            grace_seconds: text(m.grace_seconds),
            enabled: m.enabled.then(|| "1".to_owned()),
        }
    }

    pub fn input(&self) -> MonitorInput {
        MonitorInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            target: self.target.clone(),
            method: self.method.clone(),
            expected_status: self.expected_status.clone(),
            keyword: self.keyword.clone(),
            interval_seconds: self.interval_seconds.clone(),
            timeout_seconds: self.timeout_seconds.clone(),
            slow_ms: self.slow_ms.clone(),
            failures_to_open: self.failures_to_open.clone(),
            successes_to_close: self.successes_to_close.clone(),
            category: self.category.clone(),
            grace_seconds: self.grace_seconds.clone(),
        }
    }

    /// The chosen asset: none when empty; a field error when it is not an id.
    pub fn asset(&self) -> Result<Option<Id>, alcance_app::AppError> {
        match self.asset_id.trim() {
            "" => Ok(None),
            text => text
                .parse::<Id>()
                .ok()
                .filter(|id| *id > 0)
                .map(Some)
                .ok_or_else(|| alcance_app::AppError::field("asset_id", FieldErrorCode::Invalid)),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.is_some()
    }
}

/// Which settings a form shows: all of them while the kind is still to choose, only those
/// that mean something once it is known (a field left out keeps its kind's default).
pub struct Shown {
    pub target: bool,
    /// Method, expected status, keyword, slow threshold.
    pub web: bool,
    pub timeout: bool,
    pub grace: bool,
}

impl Shown {
    pub fn all() -> Shown {
        Shown { target: true, web: true, timeout: true, grace: true }
    }

    pub fn for_kind(kind: MonitorKind) -> Shown {
        let heartbeat = kind == MonitorKind::Heartbeat;
        Shown { target: !heartbeat, web: kind == MonitorKind::Http, timeout: !heartbeat, grace: heartbeat }
    }
}

/// A choice of a select: (value, label).
pub type Choice = (String, String);

pub fn kinds(ctx: &PageCtx) -> Vec<Choice> {
    [MonitorKind::Http, MonitorKind::Tls, MonitorKind::Heartbeat]
        .into_iter()
        .map(|k| (k.as_str().to_owned(), super::kind_label(ctx, k)))
        .collect()
}

pub fn methods() -> Vec<Choice> {
    ["GET", "HEAD", "POST"].into_iter().map(|m| (m.to_owned(), m.to_owned())).collect()
}

/// "Automatic" first, then the policy's monitoring categories.
pub fn categories(ctx: &PageCtx) -> Vec<Choice> {
    std::iter::once((String::new(), super::category_label(ctx, None)))
        .chain(INCIDENT_CATEGORIES.iter().map(|c| ((*c).to_owned(), super::category_label(ctx, Some(c)))))
        .collect()
}

/// Every asset, labelled with its organisation ("Cámara A · Portal web"), by organisation.
pub fn assets(assets: &[Asset], orgs: &[Organization]) -> Vec<Choice> {
    let mut out: Vec<(String, Choice)> = assets
        .iter()
        .map(|a| {
            let org = orgs.iter().find(|o| o.id == a.organization_id).map_or("", |o| o.name.as_str());
            (org.to_owned(), (a.id.to_string(), format!("{org} · {}", a.name)))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.1.cmp(&b.1.1)));
    out.into_iter().map(|(_, choice)| choice).collect()
}
