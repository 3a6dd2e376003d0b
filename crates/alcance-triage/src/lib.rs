//! The scope classifier of Alcance: given a request's subject and body, it suggests the policy
//! category, the coverage that category has under the policy, and a priority, with a confidence
//! and an explanation a person can check (the policy clause and the words that weighed most).
//!
//! Pure: no I/O, no clock, no randomness beyond a fixed seed. Training is deterministic, so the
//! same corpus and policy always give the same model. See `model` for the design.

mod eval;
mod features;
mod indicators;
mod lexicon;
mod linear;
mod model;
mod normalize;
mod priority_rules;

use serde::{Deserialize, Serialize};

pub use eval::{ClassFigures, Confusion, Report, cross_validate, cross_validate_with, evaluate};
pub use features::FeatureConfig;
pub use linear::SgdConfig;
pub use model::{Model, ModelError, PRIORITIES, TrainOptions};

/// The labelled corpus bundled with Alcance (crates/alcance-triage/data/triage-dev.jsonl), one JSON per line.
pub const BUNDLED_CORPUS: &str = include_str!("../data/triage-dev.jsonl");

/// A labelled request, as in the corpus files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    /// "covered" or "not_covered"; when missing it follows from the category.
    #[serde(default)]
    pub coverage: String,
    pub category: String,
    /// "critical", "high", "normal" or "low".
    #[serde(default)]
    pub priority: String,
}

/// A line of a corpus file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CorpusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CorpusError {}

impl Example {
    /// Parses JSON Lines (blank lines are skipped).
    pub fn parse_jsonl(text: &str) -> Result<Vec<Example>, CorpusError> {
        let mut out = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let e: Example =
                serde_json::from_str(line).map_err(|e| CorpusError { line: n + 1, message: e.to_string() })?;
            out.push(e);
        }
        Ok(out)
    }
}

/// What the policy says about one category, in the words the classifier learns from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryKnowledge {
    pub id: String,
    pub covered: bool,
    /// The policy section that decides it (e.g. "1.1", "2").
    pub clause: String,
    /// Label and description in the policy's first language (shown in explanations).
    pub label: String,
    pub description: String,
    /// Further texts that describe the category: examples, translations.
    pub examples: Vec<String>,
}

/// The policy's own knowledge: its categories with coverage, clause and examples.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PolicyKnowledge {
    pub categories: Vec<CategoryKnowledge>,
}

/// The clause of the policy behind a suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyClause {
    pub section: String,
    pub label: String,
    pub text: String,
}

/// What the classifier suggests for a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub category: String,
    /// "covered" or "not_covered", from the category through the policy.
    pub coverage: String,
    pub priority: String,
    /// Probability of the suggested category.
    pub confidence: f32,
    /// Probability of the suggested coverage (all categories with that coverage together).
    pub coverage_confidence: f32,
    pub clause: PolicyClause,
    /// The words and phrases of the request that weighed most towards the category.
    pub top_words: Vec<String>,
}

impl Suggestion {
    fn empty() -> Self {
        Suggestion {
            category: String::new(),
            coverage: String::new(),
            priority: "normal".to_owned(),
            confidence: 0.0,
            coverage_confidence: 0.0,
            clause: PolicyClause { section: String::new(), label: String::new(), text: String::new() },
            top_words: Vec::new(),
        }
    }
}

impl PolicyKnowledge {
    /// Reads the categories of a policy serialised as JSON (the shape of
    /// `alcance_domain::Policy`: `categories[].{id, coverage, clause, label, description,
    /// examples}` with `{es, en}` texts). Spanish texts come first; English ones are added as
    /// further examples so English requests are understood too.
    pub fn from_policy_json(policy: &serde_json::Value) -> PolicyKnowledge {
        let text = |v: &serde_json::Value, lang: &str| v.get(lang).and_then(|t| t.as_str()).unwrap_or("").to_owned();
        let mut categories = Vec::new();
        for c in policy.get("categories").and_then(|c| c.as_array()).into_iter().flatten() {
            let null = serde_json::Value::Null;
            let label = c.get("label").unwrap_or(&null);
            let description = c.get("description").unwrap_or(&null);
            let mut examples = vec![format!("{}. {}", text(label, "en"), text(description, "en"))];
            for e in c.get("examples").and_then(|e| e.as_array()).into_iter().flatten() {
                examples.push(text(e, "es"));
                examples.push(text(e, "en"));
            }
            examples.retain(|e| !e.trim().is_empty() && e.trim() != ".");
            categories.push(CategoryKnowledge {
                id: c.get("id").and_then(|v| v.as_str()).unwrap_or("").to_owned(),
                covered: c.get("coverage").and_then(|v| v.as_str()) == Some("covered"),
                clause: c.get("clause").and_then(|v| v.as_str()).unwrap_or("").to_owned(),
                label: text(label, "es"),
                description: text(description, "es"),
                examples,
            });
        }
        PolicyKnowledge { categories }
    }
}

#[cfg(test)]
mod borderline_tests;
#[cfg(test)]
mod experiments;
#[cfg(test)]
mod tests;
