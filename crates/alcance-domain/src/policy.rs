//! The scope policy as data: which categories of request the support contract covers, with
//! labels, descriptions and examples in Spanish and English, which categories may consume
//! prepaid hours, default SLA targets per priority, and the statuses that pause the SLA clock
//! (`[sla] pausing`, default [`DEFAULT_PAUSING`](crate::sla::DEFAULT_PAUSING)).
//!
//! A policy is written in TOML. Loading checks it whole; the first problem is reported with
//! the line and the field, so an admin can fix the file without reading code.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::sla::DEFAULT_PAUSING;
use crate::ticket::{Coverage, Priority, Status};

/// A text in both interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub es: String,
    pub en: String,
}

impl Localized {
    /// The text in `lang` ("en" or anything else, which means Spanish).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.es }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub coverage: Coverage,
    /// The section of the customer's policy document that decides it (e.g. "1.1", "2").
    pub clause: String,
    /// Whether prepaid hour packages may pay for work of this category.
    #[serde(default)]
    pub hour_packages: bool,
    pub label: Localized,
    pub description: Localized,
    #[serde(default)]
    pub examples: Vec<Localized>,
}

/// Whether an SLA target counts every hour or only the contract's business hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaClock {
    Calendar,
    Business,
}

/// A span of time as written in the policy: minutes, hours or days ("30m", "8h", "2d").
/// On a business clock a day is one business day; on a calendar clock it is 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaSpan {
    Minutes(u32),
    Hours(u32),
    Days(u32),
}

impl SlaSpan {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let amount: u32 =
            number.parse().map_err(|_| format!("`{text}` must be a number followed by m, h or d, e.g. \"8h\""))?;
        if amount == 0 {
            return Err(format!("`{text}` must be greater than zero"));
        }
        match unit {
            "m" => Ok(Self::Minutes(amount)),
            "h" => Ok(Self::Hours(amount)),
            "d" => Ok(Self::Days(amount)),
            _ => Err(format!("`{text}` has unit `{unit}`; use m (minutes), h (hours) or d (days)")),
        }
    }
}

impl fmt::Display for SlaSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Minutes(n) => write!(f, "{n}m"),
            Self::Hours(n) => write!(f, "{n}h"),
            Self::Days(n) => write!(f, "{n}d"),
        }
    }
}

impl Serialize for SlaSpan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SlaSpan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTarget {
    pub clock: SlaClock,
    pub first_response: SlaSpan,
    /// The longest a ticket may go without a public update from an agent.
    pub update: SlaSpan,
    pub resolution: SlaSpan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTargets {
    pub critical: SlaTarget,
    pub high: SlaTarget,
    pub normal: SlaTarget,
    pub low: SlaTarget,
}

impl SlaTargets {
    pub fn for_priority(&self, priority: Priority) -> &SlaTarget {
        match priority {
            Priority::Critical => &self.critical,
            Priority::High => &self.high,
            Priority::Normal => &self.normal,
            Priority::Low => &self.low,
        }
    }
}

/// A validated scope policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Stable key of the policy family (e.g. "igniweb-soporte").
    pub key: String,
    /// Bumped whenever the content changes; contracts and tickets point at a version.
    pub version: u32,
    pub name: Localized,
    pub summary: Localized,
    /// How to ask for a quote or use prepaid hours, shown to clients.
    pub out_of_scope_procedure: Localized,
    pub categories: Vec<Category>,
    pub sla: SlaTargets,
    /// The statuses in which no SLA target accrues time (`[sla] pausing`); `closed` always
    /// stops the clock, listed or not.
    pub pausing: Vec<Status>,
}

impl Policy {
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The coverage that the policy gives a category, if the category exists.
    pub fn coverage_of(&self, category: &str) -> Option<Coverage> {
        self.category(category).map(|c| c.coverage)
    }

    /// Parses and checks a policy file written in TOML.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| PolicyError::from_toml(text, &e))?;
        raw.validate(text)
    }
}

/// What is wrong with a policy file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, field `{}`: {}", self.line, self.field, self.message)
    }
}

impl std::error::Error for PolicyError {}

impl PolicyError {
    fn at(text: &str, offset: usize, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { line: line_of(text, offset), field: field.into(), message: message.into() }
    }

    fn from_toml(text: &str, err: &toml::de::Error) -> Self {
        let offset = err.span().map(|s| s.start).unwrap_or(0);
        let line = line_of(text, offset);
        let message = err.message().trim().to_owned();
        let field = field_named_in_message(&message).unwrap_or_else(|| field_on_line(text, line));
        Self { line, field, message }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len())).map_or(1, |head| head.matches('\n').count() + 1)
}

/// serde names the field itself in "missing field `x`" and "unknown field `x`".
fn field_named_in_message(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `").or_else(|| message.strip_prefix("unknown field `"))?;
    rest.split('`').next().map(str::to_owned)
}

/// Otherwise the field is the key written on the offending line, or the table it opens.
fn field_on_line(text: &str, line: usize) -> String {
    let content = text.lines().nth(line.saturating_sub(1)).unwrap_or_default().trim();
    match content.split_once('=') {
        Some((key, _)) => key.trim().to_owned(),
        None => content.trim_matches(|c| c == '[' || c == ']').to_owned(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    key: Spanned<String>,
    version: Spanned<u32>,
    name: Localized,
    summary: Localized,
    out_of_scope_procedure: Localized,
    categories: Spanned<Vec<Spanned<Category>>>,
    sla: RawSla,
}

/// `[sla]`: the four `[sla.<priority>]` tables and the optional `pausing` list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSla {
    critical: SlaTarget,
    high: SlaTarget,
    normal: SlaTarget,
    low: SlaTarget,
    pausing: Option<Spanned<Vec<Spanned<String>>>>,
}

impl RawSla {
    /// The pausing statuses as written, each checked; [`DEFAULT_PAUSING`] when absent.
    fn pausing(&self, text: &str) -> Result<Vec<Status>, PolicyError> {
        let Some(list) = &self.pausing else { return Ok(DEFAULT_PAUSING.to_vec()) };
        let mut statuses = Vec::new();
        for name in list.get_ref() {
            let at = name.span().start;
            let status = Status::parse("pausing", name.get_ref()).map_err(|_| {
                let allowed = Status::NAMES.join(", ");
                PolicyError::at(
                    text,
                    at,
                    "pausing",
                    format!("`{}` is not a status; use one of {allowed}", name.get_ref()),
                )
            })?;
            if statuses.contains(&status) {
                return Err(PolicyError::at(text, at, "pausing", format!("`{status}` is listed twice")));
            }
            statuses.push(status);
        }
        Ok(statuses)
    }
}

impl RawPolicy {
    fn validate(self, text: &str) -> Result<Policy, PolicyError> {
        let key_ok = !self.key.get_ref().is_empty()
            && self.key.get_ref().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !key_ok {
            return Err(PolicyError::at(
                text,
                self.key.span().start,
                "key",
                "must be lowercase letters, digits and dashes",
            ));
        }
        if *self.version.get_ref() == 0 {
            return Err(PolicyError::at(text, self.version.span().start, "version", "must be 1 or more"));
        }
        let categories_start = self.categories.span().start;
        let mut seen = HashSet::new();
        let mut categories = Vec::new();
        for spanned in self.categories.into_inner() {
            let at = spanned.span().start;
            let category = spanned.into_inner();
            let id_ok = !category.id.is_empty() && category.id.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if !id_ok {
                return Err(PolicyError::at(
                    text,
                    at,
                    "id",
                    format!("`{}` must be lowercase letters and underscores", category.id),
                ));
            }
            if !seen.insert(category.id.clone()) {
                return Err(PolicyError::at(text, at, "id", format!("category `{}` is defined twice", category.id)));
            }
            if category.coverage == Coverage::Pending {
                return Err(PolicyError::at(text, at, "coverage", "must be covered or not_covered"));
            }
            if category.hour_packages && category.coverage == Coverage::Covered {
                return Err(PolicyError::at(
                    text,
                    at,
                    "hour_packages",
                    format!("`{}` is covered: covered work never consumes hours", category.id),
                ));
            }
            let texts = [("label", &category.label), ("description", &category.description)];
            for (field, value) in texts.into_iter().chain(category.examples.iter().map(|e| ("examples", e))) {
                if value.es.trim().is_empty() || value.en.trim().is_empty() {
                    return Err(PolicyError::at(
                        text,
                        at,
                        field,
                        format!("category `{}` needs a Spanish and an English text", category.id),
                    ));
                }
            }
            categories.push(category);
        }
        for coverage in [Coverage::Covered, Coverage::NotCovered] {
            if !categories.iter().any(|c| c.coverage == coverage) {
                return Err(PolicyError::at(
                    text,
                    categories_start,
                    "categories",
                    format!("at least one category must be {coverage}"),
                ));
            }
        }
        let pausing = self.sla.pausing(text)?;
        let RawSla { critical, high, normal, low, .. } = self.sla;
        Ok(Policy {
            key: self.key.into_inner(),
            version: self.version.into_inner(),
            name: self.name,
            summary: self.summary,
            out_of_scope_procedure: self.out_of_scope_procedure,
            categories,
            sla: SlaTargets { critical, high, normal, low },
            pausing,
        })
    }
}

#[cfg(test)]
mod tests;
