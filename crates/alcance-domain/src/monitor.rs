//! Server monitors, as rules: what one check found, when a run of failures becomes an
//! incident and a run of successes ends it (flap damping), which policy category and
//! priority an incident's ticket gets, certificate warning thresholds, and the validation
//! of a monitor's settings. Pure: the checks themselves run in `alcance-probe`.

use chrono::{DateTime, Utc};

use crate::ticket::Priority;
use crate::validate;
use crate::{FieldError, FieldErrorCode};

mod input;
#[cfg(test)]
mod tests;

pub use input::{MonitorInput, MonitorSpec, TlsTarget};

crate::string_enum!(
    /// What a monitor checks.
    MonitorKind {
        /// An HTTP(S) request: status, optional keyword, response time.
        Http => "http",
        /// A TLS handshake: the certificate's expiry, host name and chain.
        Tls => "tls",
        /// A backup or cron job calls a secret URL; a missed window is an incident.
        Heartbeat => "heartbeat",
    }
);

crate::string_enum!(
    /// A monitor's state as people see it.
    MonitorState {
        /// Not checked yet, or never conclusive.
        Pending => "pending",
        Up => "up",
        /// An incident is open.
        Down => "down",
    }
);

/// The policy categories incidents fall into (policy section 1.2).
pub const CATEGORY_AVAILABILITY: &str = "server_availability";
pub const CATEGORY_SECURITY_CONFIG: &str = "server_security_config";
pub const CATEGORY_ALERT: &str = "server_alert";
pub const CATEGORY_BACKUP: &str = "backup_restore";
/// The categories a monitor or an integration may name; anything else is refused.
pub const INCIDENT_CATEGORIES: &[&str] =
    &[CATEGORY_AVAILABILITY, CATEGORY_SECURITY_CONFIG, CATEGORY_ALERT, CATEGORY_BACKUP];

/// Days before a certificate expires at which Alcance warns (once each).
pub const CERTIFICATE_WARNING_DAYS: [i64; 4] = [30, 14, 7, 1];

/// What one check found, reduced to what the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Healthy,
    /// No answer, or the wrong one (the probe's stable code: "timeout", "unexpected_status"...).
    Unreachable {
        code: String,
    },
    /// It answered, but slower than the monitor's threshold.
    Slow {
        elapsed_ms: u64,
        threshold_ms: u64,
    },
    CertificateExpiring {
        days_left: i64,
    },
    CertificateExpired,
    /// "hostname_mismatch", "untrusted_chain", "not_yet_valid".
    CertificateInvalid {
        code: String,
    },
    /// The heartbeat did not come within its period and grace.
    HeartbeatMissed {
        last_ping: Option<DateTime<Utc>>,
    },
    /// The check could not tell (a TLS monitor that cannot connect: availability is the
    /// HTTP monitor's business). Leaves the streaks as they are.
    Inconclusive {
        code: String,
    },
}

impl Finding {
    pub fn is_failure(&self) -> bool {
        !matches!(self, Finding::Healthy | Finding::Inconclusive { .. })
    }

    /// A stable code for storage, events and translation.
    pub fn code(&self) -> String {
        match self {
            Finding::Healthy => "healthy".into(),
            Finding::Unreachable { code } | Finding::CertificateInvalid { code } | Finding::Inconclusive { code } => {
                code.clone()
            }
            Finding::Slow { .. } => "slow".into(),
            Finding::CertificateExpiring { .. } => "certificate_expiring".into(),
            Finding::CertificateExpired => "certificate_expired".into(),
            Finding::HeartbeatMissed { .. } => "heartbeat_missed".into(),
        }
    }

    /// The policy category of the incident this finding opens.
    pub fn category(&self) -> &'static str {
        match self {
            Finding::Slow { .. } => CATEGORY_ALERT,
            Finding::CertificateExpiring { .. } | Finding::CertificateExpired | Finding::CertificateInvalid { .. } => {
                CATEGORY_SECURITY_CONFIG
            }
            Finding::HeartbeatMissed { .. } => CATEGORY_BACKUP,
            Finding::Healthy | Finding::Unreachable { .. } | Finding::Inconclusive { .. } => CATEGORY_AVAILABILITY,
        }
    }

    /// How urgent the incident's ticket is: a site down or an expired certificate is
    /// critical; a certificate's urgency grows as its expiry nears.
    pub fn priority(&self) -> Priority {
        match self {
            Finding::Unreachable { .. } | Finding::CertificateExpired => Priority::Critical,
            Finding::CertificateExpiring { days_left } => match *days_left {
                ..=1 => Priority::Critical,
                2..=7 => Priority::High,
                8..=14 => Priority::Normal,
                _ => Priority::Low,
            },
            Finding::Slow { .. } | Finding::CertificateInvalid { .. } | Finding::HeartbeatMissed { .. } => {
                Priority::High
            }
            Finding::Healthy | Finding::Inconclusive { .. } => Priority::Normal,
        }
    }

    /// Whether this finding is news next to the previous one of the same open incident
    /// (so that a failure every minute does not flood the ticket's history): another kind
    /// of problem, or a certificate that crossed the next warning threshold.
    pub fn differs_from(&self, previous_code: &str, previous_threshold: Option<i64>) -> bool {
        match self {
            Finding::CertificateExpiring { days_left } => warning_threshold(*days_left) != previous_threshold,
            other => other.code() != previous_code,
        }
    }
}

/// The warning threshold a certificate with `days_left` has reached (30, 14, 7 or 1), if any.
pub fn warning_threshold(days_left: i64) -> Option<i64> {
    CERTIFICATE_WARNING_DAYS.iter().rev().copied().find(|limit| days_left <= *limit)
}

/// Whole days until `not_after` (rounded down; 0 on its last day).
pub fn days_left(not_after: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (not_after - now).num_days()
}

/// What a certificate check means: expired, otherwise invalid (host, chain), otherwise
/// expiring within the warning window, otherwise healthy.
pub fn certificate_finding(not_after: DateTime<Utc>, problems: &[&str], now: DateTime<Utc>) -> Finding {
    if not_after <= now || problems.contains(&"expired") {
        return Finding::CertificateExpired;
    }
    if let Some(code) = problems.first() {
        return Finding::CertificateInvalid { code: (*code).to_owned() };
    }
    let days = days_left(not_after, now);
    match warning_threshold(days) {
        Some(_) => Finding::CertificateExpiring { days_left: days },
        None => Finding::Healthy,
    }
}

/// How many failures in a row open an incident and successes in a row close it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Damping {
    pub failures_to_open: u32,
    pub successes_to_close: u32,
}

/// A monitor's run of results, as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Streak {
    pub failures: u32,
    pub successes: u32,
    pub incident_open: bool,
}

/// What the latest result asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Counted; nothing to tell anyone.
    Count,
    /// Enough failures in a row: open an incident and its ticket.
    Open,
    /// Another failure while the incident is open.
    StillFailing,
    /// Enough successes in a row: the incident is over.
    Recover,
}

impl Streak {
    /// Counts one result and says what follows from it.
    pub fn next(self, finding: &Finding, damping: Damping) -> (Streak, Step) {
        if matches!(finding, Finding::Inconclusive { .. }) {
            return (self, Step::Count);
        }
        let mut s = self;
        if finding.is_failure() {
            s.failures = s.failures.saturating_add(1);
            s.successes = 0;
            if s.incident_open {
                return (s, Step::StillFailing);
            }
            if s.failures >= damping.failures_to_open.max(1) {
                s.incident_open = true;
                return (s, Step::Open);
            }
            return (s, Step::Count);
        }
        s.successes = s.successes.saturating_add(1);
        s.failures = 0;
        if s.incident_open && s.successes >= damping.successes_to_close.max(1) {
            s.incident_open = false;
            return (s, Step::Recover);
        }
        (s, Step::Count)
    }

    pub fn state(self, checked: bool) -> MonitorState {
        match (self.incident_open, checked) {
            (true, _) => MonitorState::Down,
            (false, true) => MonitorState::Up,
            (false, false) => MonitorState::Pending,
        }
    }
}

/// Uptime in percent over a window, from the count of good and all conclusive checks.
pub fn uptime_percent(good: i64, total: i64) -> Option<f64> {
    (total > 0).then(|| (good.max(0) as f64) * 100.0 / (total as f64))
}

/// Checks a category named by a monitor or an integration.
pub fn incident_category(field: &str, value: &str) -> Result<&'static str, FieldError> {
    INCIDENT_CATEGORIES
        .iter()
        .copied()
        .find(|c| *c == value.trim())
        .ok_or_else(|| FieldError::new(field, FieldErrorCode::UnknownValue).with_detail(INCIDENT_CATEGORIES.join(", ")))
}

/// A monitor's display name.
pub fn monitor_name(field: &str, value: &str) -> Result<String, FieldError> {
    validate::bounded_text(field, value, 1, 120, false)
}
