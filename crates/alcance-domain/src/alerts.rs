//! Notifications from monitoring tools turned into normalized [`AlertSignal`]s: pure, no I/O.
//!
//! * [`parse_alertmanager`]: Prometheus Alertmanager's webhook payload (version "4"), one
//!   signal per alert, each with its own status (a group can mix firing and resolved alerts).
//! * [`parse_checkmk`]: the form fields of a Checkmk-style callback, which Nagios, Icinga or
//!   Zabbix notification scripts can send with `curl -d` too.
//! * [`parse_webhook`]: a small JSON document for anything else.
//!
//! A signal's `key` names the problem, not the notification: the firing and the resolved
//! notification of one problem carry the same key, so the caller can match them (with the
//! organisation) to one open incident. Everything that comes out is cleaned: no control
//! characters (details keep their line breaks), no bidirectional overrides that could make a
//! ticket subject read differently from what it is, and bounded lengths ([`TITLE_MAX`],
//! [`DETAILS_MAX`], [`KEY_MAX`]). Errors name the field (`alerts[2].status`) and say why, in
//! English; [`AlertParseError::code`] is the stable code the interface translates.

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use serde_json::{Map, Value};

use crate::field::{FieldError, FieldErrorCode};
use crate::ticket::Priority;

/// Most alerts accepted in one Alertmanager notification; its `max_alerts` setting can keep
/// a receiver under it.
pub const MAX_ALERTS: usize = 100;
pub const TITLE_MAX: usize = 150;
pub const DETAILS_MAX: usize = 4_000;
pub const KEY_MAX: usize = 200;
/// A category hint is an identifier, never prose.
pub const CATEGORY_MAX: usize = 100;
pub const EXTERNAL_ID_MAX: usize = 200;

crate::string_enum!(
    /// The kind of tool a notification came from (the endpoint it arrived at).
    AlertSource {
        Alertmanager => "alertmanager",
        Checkmk => "checkmk",
        Webhook => "webhook",
    }
);

crate::string_enum!(
    /// How urgent a signal is; one to one with ticket priorities.
    AlertSeverity {
        Critical => "critical",
        High => "high",
        Normal => "normal",
        Low => "low",
    }
);

impl AlertSeverity {
    pub fn priority(self) -> Priority {
        match self {
            Self::Critical => Priority::Critical,
            Self::High => Priority::High,
            Self::Normal => Priority::Normal,
            Self::Low => Priority::Low,
        }
    }

    /// A severity named by someone writing for Alcance (webhook, Checkmk override): one of
    /// the four names, any case.
    fn parse_name(field: &str, value: &str) -> Result<Self, AlertParseError> {
        let wanted = value.trim().to_lowercase();
        let found = Self::ALL.iter().copied().find(|s| s.as_str() == wanted);
        found.ok_or_else(|| AlertParseError::unexpected(field, &Self::NAMES.join(", "), value))
    }

    /// Alertmanager's `severity` label is free text written by rule authors. An alert is never
    /// refused for it: a missing or unknown value is `High`, so it is seen but does not page.
    fn from_label(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_lowercase()).as_deref() {
            Some("critical" | "page" | "emergency" | "alert") => Self::Critical,
            Some("warning" | "warn" | "minor") => Self::Normal,
            Some("info" | "none" | "low") => Self::Low,
            _ => Self::High,
        }
    }
}

/// One problem reported by a monitoring tool, starting (`firing`) or ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSignal {
    pub source: AlertSource,
    /// Stable identity of the problem, at most [`KEY_MAX`] chars: `am:<fingerprint>`,
    /// `cmk:<host>` or `cmk:<host>/<service>`, `hook:<key>`.
    pub key: String,
    /// False for a recovery: resolved, OK, UP.
    pub firing: bool,
    pub severity: AlertSeverity,
    /// One line, at most [`TITLE_MAX`] chars, in the tool's own words.
    pub title: String,
    /// Plain text, one `name: value` per line, at most [`DETAILS_MAX`] chars; never empty.
    pub details: String,
    /// An explicit `alcance_category` or `category` from the sender; `None` lets the caller
    /// choose its default.
    pub category: Option<String>,
    /// The tool's own identifier of the notification (Checkmk's `event_id`).
    pub external_id: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
}

/// Why a notification was refused. [`field`](Self::field) names the place in the payload,
/// [`code`](Self::code) is stable for translation; `Display` is an English explanation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertParseError {
    #[error("{0}: required, but missing or empty")]
    Missing(String),
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("body: not valid JSON: {0}")]
    Json(String),
    #[error("alerts: {count} alerts in one notification, at most {max} are accepted")]
    TooMany { count: usize, max: usize },
}

impl AlertParseError {
    fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), reason: reason.into() }
    }

    /// "expected …, got "…"": the received value, cleaned and short, helps whoever wires
    /// up the monitoring tool.
    fn unexpected(field: impl Into<String>, expected: &str, got: &str) -> Self {
        Self::invalid(field, format!("expected {expected}, got \"{}\"", one_line(got, 40)))
    }

    pub fn field(&self) -> &str {
        match self {
            Self::Missing(field) | Self::Invalid { field, .. } => field,
            Self::Json(_) => "body",
            Self::TooMany { .. } => "alerts",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing(_) => "missing_field",
            Self::Invalid { .. } => "invalid_field",
            Self::Json(_) => "invalid_json",
            Self::TooMany { .. } => "too_many",
        }
    }

    /// The same refusal in the form the rest of the interface reports field errors.
    pub fn to_field_error(&self) -> FieldError {
        match self {
            Self::Missing(field) => FieldError::new(field.as_str(), FieldErrorCode::Required),
            Self::Invalid { field, reason } => {
                FieldError::new(field.as_str(), FieldErrorCode::Invalid).with_detail(reason.as_str())
            }
            Self::Json(reason) => FieldError::new("body", FieldErrorCode::Invalid).with_detail(reason.as_str()),
            Self::TooMany { max, .. } => {
                FieldError::new("alerts", FieldErrorCode::OutOfRange).with_detail(max.to_string())
            }
        }
    }
}

// --- Alertmanager ---

/// Parses an Alertmanager webhook notification into one signal per alert, in payload order.
///
/// The key is `am:` + the alert's `fingerprint`. Without one it is computed from the labels
/// the way Prometheus and Alertmanager compute it (`label_fingerprint`), so a sender that
/// omits it still yields the key Alertmanager itself would have sent. The `version` field is
/// not checked: every version so far only added fields.
pub fn parse_alertmanager(json: &[u8]) -> Result<Vec<AlertSignal>, AlertParseError> {
    let root = parse_object(json)?;
    let root = Obj { map: &root, path: String::new() };
    let alerts = match root.get("alerts") {
        None => return Err(AlertParseError::Missing("alerts".into())),
        Some(Value::Array(alerts)) => alerts,
        Some(_) => return Err(AlertParseError::invalid("alerts", "expected an array")),
    };
    if alerts.len() > MAX_ALERTS {
        return Err(AlertParseError::TooMany { count: alerts.len(), max: MAX_ALERTS });
    }
    let group = AmGroup {
        receiver: root.line("receiver", TITLE_MAX)?,
        external_url: root.line("externalURL", DETAILS_MAX)?,
        truncated: root.count("truncatedAlerts")?.filter(|n| *n > 0),
    };
    alerts
        .iter()
        .enumerate()
        .map(|(i, alert)| {
            let path = format!("alerts[{i}]");
            match alert {
                Value::Object(map) => am_alert(&Obj { map, path }, &group),
                _ => Err(AlertParseError::invalid(path, "expected an object")),
            }
        })
        .collect()
}

/// What the group contributes to each alert's details.
struct AmGroup {
    receiver: Option<String>,
    external_url: Option<String>,
    truncated: Option<u64>,
}

fn am_alert(alert: &Obj<'_>, group: &AmGroup) -> Result<AlertSignal, AlertParseError> {
    let status = alert.required_str("status")?.trim().to_lowercase();
    let firing = match status.as_str() {
        "firing" => true,
        "resolved" => false,
        _ => return Err(AlertParseError::unexpected(alert.field("status"), "\"firing\" or \"resolved\"", &status)),
    };
    let labels = alert.string_map("labels")?;
    let annotations = alert.string_map("annotations")?;
    let label = |name: &str| lookup(&labels, name);
    let annotation = |name: &str| lookup(&annotations, name);
    let started_at = alert.time("startsAt")?;
    let ends_at = alert.time("endsAt")?;
    let generator_url = alert.line("generatorURL", DETAILS_MAX)?;

    let fingerprint = alert.line("fingerprint", usize::MAX)?.unwrap_or_else(|| label_fingerprint(&labels));
    let alertname = label("alertname").map_or_else(|| "alert".to_owned(), clean_line);
    let target = label("instance").or_else(|| label("host")).or_else(|| label("job"));
    let title = match target {
        Some(target) => format!("[Alertmanager] {alertname} en {}", clean_line(target)),
        None => format!("[Alertmanager] {alertname}"),
    };

    let mut details = Details::default();
    details.line("status", Some(&status));
    details.block("summary", annotation("summary"));
    details.block("description", annotation("description"));
    details.line("startsAt", started_at.map(rfc3339));
    details.line("endsAt", ends_at.filter(|_| !firing).map(rfc3339));
    details.line("generatorURL", generator_url);
    details.line("receiver", group.receiver.as_ref());
    details.line("externalURL", group.external_url.as_ref());
    details.line("truncatedAlerts", group.truncated.map(|n| n.to_string()));
    details.map("labels", labels.iter());
    details.map("annotations", annotations.iter().filter(|(name, _)| name != "summary" && name != "description"));

    let category = ["alcance_category", "category"]
        .iter()
        .find_map(|name| label(name).or_else(|| annotation(name)))
        .and_then(|c| non_empty(one_line(c, CATEGORY_MAX)));
    Ok(AlertSignal {
        source: AlertSource::Alertmanager,
        key: make_key("am:", &fingerprint),
        firing,
        severity: AlertSeverity::from_label(label("severity")),
        title: one_line(&title, TITLE_MAX),
        details: details.finish(),
        category,
        external_id: None,
        started_at,
    })
}

/// The fingerprint Prometheus gives a label set (`model.LabelSet.Fingerprint`), which
/// Alertmanager sends as an alert's `fingerprint`: 64-bit FNV-1a over the labels sorted by
/// name, each name and value followed by the byte 0xFF (which UTF-8 text never contains, so
/// no two label sets are written the same), printed as 16 lowercase hex digits.
fn label_fingerprint(labels: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = labels.iter().collect();
    sorted.sort();
    let bytes = sorted.into_iter().flat_map(|(name, value)| [name.as_bytes(), &[0xFF], value.as_bytes(), &[0xFF]]);
    format!("{:016x}", fnv1a(bytes.flatten()))
}

/// 64-bit FNV-1a: tiny, stable across versions and platforms, enough to name (not protect).
fn fnv1a<'a>(bytes: impl IntoIterator<Item = &'a u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

// --- Checkmk-style callback ---

/// Parses the fields of a Checkmk-style callback: `host` and `state` required; `service`,
/// `text` (or `output`), `event_id`, `severity` (overrides the one the state implies) and
/// `alcance_category`/`category` optional. Field names are matched ignoring case; the first
/// non-empty occurrence counts.
///
/// A state word (any case) or number: OK, UP, RECOVERY and 0 are recoveries; WARNING/WARN
/// and UNKNOWN/UNKN are `Normal`; CRITICAL/CRIT, DOWN and UNREACHABLE/UNREACH are
/// `Critical`. Numbers follow the monitoring convention of the object: for a service 1 is
/// WARNING, 2 CRITICAL, 3 UNKNOWN; for a host (no `service`) 1 is DOWN and 2 UNREACHABLE,
/// and 3 does not exist. A recovery without an override is `Normal`.
pub fn parse_checkmk(fields: &[(String, String)]) -> Result<AlertSignal, AlertParseError> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, v)| k.trim().eq_ignore_ascii_case(name) && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    };
    let host =
        get("host").map(clean_line).and_then(non_empty).ok_or_else(|| AlertParseError::Missing("host".into()))?;
    let service = get("service").map(clean_line).and_then(non_empty);
    let raw_state = get("state").ok_or_else(|| AlertParseError::Missing("state".into()))?;
    let (state, firing, implied) = checkmk_state(raw_state, service.is_some()).ok_or_else(|| {
        let numbers = if service.is_some() { "0-3" } else { "0-2 (a host has no 3)" };
        let expected = format!("OK, UP, RECOVERY, WARNING, CRITICAL, DOWN, UNREACHABLE, UNKNOWN or {numbers}");
        AlertParseError::unexpected("state", &expected, raw_state)
    })?;
    let severity = match get("severity") {
        Some(value) => AlertSeverity::parse_name("severity", value)?,
        None => implied,
    };
    let output = get("text").or_else(|| get("output"));
    let external_id = get("event_id").and_then(|id| non_empty(one_line(id, EXTERNAL_ID_MAX)));

    let (key, title) = match &service {
        Some(service) => {
            (format!("{}/{service}", host.to_lowercase()), format!("[Checkmk] {service} en {host}: {state}"))
        }
        None => (host.to_lowercase(), format!("[Checkmk] {host}: {state}")),
    };
    let mut details = Details::default();
    details.line("host", Some(&host));
    details.line("service", service.as_ref());
    details.line("state", Some(state));
    details.block("output", output);
    details.line("event_id", external_id.as_ref());
    Ok(AlertSignal {
        source: AlertSource::Checkmk,
        key: make_key("cmk:", &key),
        firing,
        severity,
        title: one_line(&title, TITLE_MAX),
        details: details.finish(),
        category: get("alcance_category")
            .or_else(|| get("category"))
            .and_then(|c| non_empty(one_line(c, CATEGORY_MAX))),
        external_id,
        started_at: None,
    })
}

/// The state's canonical name, whether the problem is on, and the severity it implies.
fn checkmk_state(state: &str, is_service: bool) -> Option<(&'static str, bool, AlertSeverity)> {
    let name = match state.trim().to_uppercase().as_str() {
        "OK" => "OK",
        "UP" => "UP",
        "RECOVERY" => "RECOVERY",
        "WARNING" | "WARN" => "WARNING",
        "UNKNOWN" | "UNKN" => "UNKNOWN",
        "CRITICAL" | "CRIT" => "CRITICAL",
        "DOWN" => "DOWN",
        "UNREACHABLE" | "UNREACH" => "UNREACHABLE",
        "0" if is_service => "OK",
        "0" => "UP",
        "1" if is_service => "WARNING",
        "1" => "DOWN",
        "2" if is_service => "CRITICAL",
        "2" => "UNREACHABLE",
        "3" if is_service => "UNKNOWN",
        _ => return None,
    };
    Some(match name {
        "OK" | "UP" | "RECOVERY" => (name, false, AlertSeverity::Normal),
        "WARNING" | "UNKNOWN" => (name, true, AlertSeverity::Normal),
        _ => (name, true, AlertSeverity::Critical),
    })
}

// --- Generic webhook ---

/// Parses the generic webhook: `{"key", "status", "title" or "summary", "severity"?,
/// "details"?, "category"?}`; other fields are ignored. `status` is firing/problem or
/// resolved/ok (any case); `severity` one of critical, high, normal, low (default high).
/// The title is used as sent (no tool prefix: the sender chose it); without details the
/// title is the details, so a ticket body is never empty.
pub fn parse_webhook(json: &[u8]) -> Result<AlertSignal, AlertParseError> {
    let root = parse_object(json)?;
    let root = Obj { map: &root, path: String::new() };
    let key = root.line("key", usize::MAX)?.ok_or_else(|| AlertParseError::Missing("key".into()))?;
    let status = root.required_str("status")?;
    let firing = match status.trim().to_lowercase().as_str() {
        "firing" | "problem" => true,
        "resolved" | "ok" => false,
        _ => return Err(AlertParseError::unexpected("status", "firing, resolved, problem or ok", status)),
    };
    let severity = match root.str("severity")? {
        Some(value) => AlertSeverity::parse_name("severity", value)?,
        None => AlertSeverity::High,
    };
    let title = match root.line("title", TITLE_MAX)? {
        Some(title) => title,
        None => root.line("summary", TITLE_MAX)?.ok_or_else(|| AlertParseError::Missing("title".into()))?,
    };
    let details = root.str("details")?.map(|d| multi_line(d, DETAILS_MAX)).and_then(non_empty);
    Ok(AlertSignal {
        source: AlertSource::Webhook,
        key: make_key("hook:", &key),
        firing,
        severity,
        details: details.unwrap_or_else(|| title.clone()),
        title,
        category: root.line("category", CATEGORY_MAX)?,
        external_id: None,
        started_at: None,
    })
}

// --- JSON access that names each field by its path in the payload ---

fn parse_object(json: &[u8]) -> Result<Map<String, Value>, AlertParseError> {
    // serde_json stops at 128 levels of nesting, so hostile input cannot exhaust the stack.
    match serde_json::from_slice::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(AlertParseError::invalid("body", "expected a JSON object")),
        Err(err) => Err(AlertParseError::Json(err.to_string())),
    }
}

struct Obj<'a> {
    map: &'a Map<String, Value>,
    /// Where this object sits, e.g. `alerts[2]`; empty for the document itself.
    path: String,
}

impl<'a> Obj<'a> {
    fn field(&self, name: &str) -> String {
        if self.path.is_empty() { name.to_owned() } else { format!("{}.{name}", self.path) }
    }

    /// A member; `null` counts as absent, as senders write either.
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    fn str(&self, name: &str) -> Result<Option<&'a str>, AlertParseError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(AlertParseError::invalid(self.field(name), "expected a string")),
        }
    }

    fn required_str(&self, name: &str) -> Result<&'a str, AlertParseError> {
        self.str(name)?.filter(|s| !s.trim().is_empty()).ok_or_else(|| AlertParseError::Missing(self.field(name)))
    }

    /// An optional string as one clean line of at most `max` chars; empty counts as absent.
    fn line(&self, name: &str, max: usize) -> Result<Option<String>, AlertParseError> {
        Ok(self.str(name)?.map(|text| one_line(text, max)).and_then(non_empty))
    }

    fn count(&self, name: &str) -> Result<Option<u64>, AlertParseError> {
        let invalid = || AlertParseError::invalid(self.field(name), "expected a whole number");
        self.get(name).map(|value| value.as_u64().ok_or_else(invalid)).transpose()
    }

    /// An RFC 3339 time. Go's zero time (year 1), which Alertmanager sends as the `endsAt`
    /// of a firing alert, means "none".
    fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, AlertParseError> {
        let Some(text) = self.str(name)?.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let time = DateTime::parse_from_rfc3339(text)
            .map_err(|_| AlertParseError::invalid(self.field(name), "expected an RFC 3339 time"))?;
        Ok(Some(time.with_timezone(&Utc)).filter(|t| t.year() > 1))
    }

    /// A map of labels or annotations. Prometheus writes only strings; numbers and booleans
    /// from other senders are kept as their JSON text, nulls dropped.
    fn string_map(&self, name: &str) -> Result<Vec<(String, String)>, AlertParseError> {
        let map = match self.get(name) {
            None => return Ok(Vec::new()),
            Some(Value::Object(map)) => map,
            Some(_) => return Err(AlertParseError::invalid(self.field(name), "expected an object")),
        };
        let mut pairs = Vec::with_capacity(map.len());
        for (key, value) in map {
            let text = match value {
                Value::Null => continue,
                Value::String(text) => text.clone(),
                Value::Bool(_) | Value::Number(_) => value.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    let field = format!("{}.{}", self.field(name), one_line(key, 64));
                    return Err(AlertParseError::invalid(field, "expected a string"));
                }
            };
            pairs.push((key.clone(), text));
        }
        pairs.sort();
        Ok(pairs)
    }
}

fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.as_str())
}

fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

// --- Text cleaning ---

/// Plain-text details, one `name: value` per line; multi-line values get their own block.
#[derive(Default)]
struct Details(String);

impl Details {
    fn line(&mut self, name: &str, value: Option<impl AsRef<str>>) {
        let value = value.map(|v| clean_line(v.as_ref())).unwrap_or_default();
        if !value.is_empty() {
            self.0.push_str(&format!("{name}: {value}\n"));
        }
    }

    /// A value that may span lines (a description, a check's output).
    fn block(&mut self, name: &str, value: Option<&str>) {
        let value = value.map(|v| multi_line(v, DETAILS_MAX)).unwrap_or_default();
        if value.contains('\n') {
            self.0.push_str(&format!("{name}:\n{value}\n"));
        } else {
            self.line(name, Some(value));
        }
    }

    fn map<'p>(&mut self, name: &str, pairs: impl Iterator<Item = &'p (String, String)>) {
        let mut lines: String = pairs.map(|(k, v)| format!("  {}: {}\n", clean_line(k), clean_line(v))).collect();
        if !lines.is_empty() {
            lines.insert_str(0, &format!("{name}:\n"));
            self.0.push_str(&lines);
        }
    }

    fn finish(self) -> String {
        multi_line(&self.0, DETAILS_MAX)
    }
}

/// Characters that reorder the display of text around them (bidirectional embeddings,
/// overrides, isolates and marks): stripped so a title reads as what it contains.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line: whitespace runs (line breaks and tabs included) become one space, other control
/// characters are dropped, the ends trimmed. No length cap.
fn clean_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !c.is_control() && !is_bidi_control(c) {
            out.push(c);
        }
    }
    out.truncate(out.trim_end().len());
    out
}

fn one_line(text: &str, max: usize) -> String {
    cap(clean_line(text), max)
}

/// Several lines: line breaks normalised to `\n`, tabs to a space, other control characters
/// dropped, at most two blank lines in a row, trimmed, capped to `max` chars.
fn multi_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
        if out.ends_with("\n\n\n\n") {
            out.pop();
        }
    }
    cap(out.trim().to_owned(), max)
}

/// At most `max` chars, cut on a char boundary; a cut text ends in "…" so readers know.
fn cap(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    if max > 0 {
        out.push('…');
    }
    out
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// `prefix` + `id`, within [`KEY_MAX`] chars. A longer id keeps its start and ends in `~`
/// and the FNV-1a of the whole id, so two long ids that share a start stay distinct and the
/// same id always gives the same key.
fn make_key(prefix: &str, id: &str) -> String {
    let key = format!("{prefix}{id}");
    if key.chars().count() <= KEY_MAX {
        return key;
    }
    let suffix = format!("~{:016x}", fnv1a(id.as_bytes()));
    let keep = KEY_MAX - prefix.chars().count() - suffix.len();
    let start: String = id.chars().take(keep).collect();
    format!("{prefix}{start}{suffix}")
}

#[cfg(test)]
mod tests;
