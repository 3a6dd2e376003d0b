//! The trained classifier: one linear model for the category (coverage follows from the
//! policy), one for the priority, sharing the same features.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::features::{DocumentFrequencies, FeatureConfig, Raw, Vector, Vocabulary, extract};
use crate::lexicon;
use crate::linear::{Linear, Rng, Sample, SgdConfig, softmax};
use crate::normalize::Stemmers;
use crate::{Example, PolicyClause, PolicyKnowledge, Suggestion, priority_rules};

pub const PRIORITIES: [&str; 4] = ["critical", "high", "normal", "low"];

/// How a model is trained; the defaults are the shipped model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    pub features: FeatureConfig,
    pub sgd: SgdConfig,
    pub priority_sgd: SgdConfig,
    /// Add each category's label, description and examples as training documents.
    pub policy_documents: bool,
    /// Add each category's cue phrases as one training document.
    pub lexicon_documents: bool,
    /// Weight of a policy or lexicon document relative to a labelled request.
    pub knowledge_weight: f32,
    /// Features must appear in this many documents to be kept (policy ones always are).
    pub min_df: usize,
    /// Apply the priority cue rules on top of the priority model.
    pub priority_rules: bool,
    /// The request is suggested as not covered when the not-covered categories together reach
    /// this probability (below 0.5 favours not_covered recall: a wrongly "covered" request is
    /// work given away, a wrongly "not covered" one is caught by the agent who confirms).
    #[serde(default = "half")]
    pub not_covered_threshold: f32,
    /// Add the hand-written paraphrases of the policy (`knowledge.txt`) as training documents.
    #[serde(default)]
    pub paraphrase_documents: bool,
    /// Weight of a not-covered labelled request relative to a covered one.
    #[serde(default = "one")]
    pub not_covered_weight: f32,
    /// Category models trained on seeded subsamples and averaged (1: a single model).
    #[serde(default = "one_bag")]
    pub bags: usize,
    /// Share of a separate covered / not-covered model in the coverage probability (0: none).
    #[serde(default)]
    pub coverage_model_share: f32,
    /// Never suggest a priority that a category's labelled requests never had.
    #[serde(default)]
    pub priority_prior: bool,
    /// Give the priority model urgency cues crossed with the category ("urgente" on an outage is
    /// not "urgente" on a question), with this weight (0: off).
    #[serde(default)]
    pub priority_cross: f32,
    /// The shown confidences are the category scores' softmax at this temperature, chosen by
    /// cross-validation so that "0.8" is right about 80% of the time. Decisions do not change.
    #[serde(default = "one")]
    pub confidence_temperature: f32,
}

fn half() -> f32 {
    0.5
}

fn one() -> f32 {
    1.0
}

fn one_bag() -> usize {
    1
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            features: FeatureConfig::default(),
            sgd: SgdConfig { l2: 1e-4, epochs: 25, ..SgdConfig::default() },
            priority_sgd: SgdConfig { epochs: 20, learning_rate: 0.3, l2: 1e-3, seed: 11, hinge: false, decay: 0.5 },
            policy_documents: true,
            lexicon_documents: true,
            knowledge_weight: 1.0,
            min_df: 2,
            priority_rules: true,
            not_covered_threshold: 0.35,
            paraphrase_documents: true,
            not_covered_weight: 1.0,
            bags: 5,
            coverage_model_share: 0.0,
            priority_prior: false,
            priority_cross: 0.6,
            confidence_temperature: 0.6,
        }
    }
}

impl TrainOptions {
    /// The simpler model the shipped one is compared with: TF-IDF of stemmed words and word
    /// pairs, a linear model, trained on the labelled corpus only.
    pub fn baseline() -> Self {
        Self {
            features: FeatureConfig::baseline(),
            sgd: SgdConfig::default(),
            not_covered_threshold: 0.4,
            policy_documents: false,
            lexicon_documents: false,
            priority_rules: false,
            paraphrase_documents: false,
            not_covered_weight: 1.0,
            bags: 1,
            coverage_model_share: 0.0,
            priority_cross: 0.0,
            confidence_temperature: 1.0,
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CategoryInfo {
    id: String,
    covered: bool,
    clause: String,
    label: String,
    description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ModelData {
    format: u32,
    options: TrainOptions,
    categories: Vec<CategoryInfo>,
    vocabulary: Vocabulary,
    category_model: Linear,
    priority_model: Linear,
    /// Two classes: covered, not covered (when `coverage_model_share` > 0).
    #[serde(default)]
    coverage_model: Option<Linear>,
    /// Per category, the priorities its labelled requests were given (a category seen at least
    /// 8 times never gets a priority it never had: a "how do I" is never critical).
    #[serde(default)]
    priority_seen: Vec<Vec<bool>>,
    /// The priority cue groups crossed with the category (`priority_cross`), in feature order.
    #[serde(default)]
    priority_groups: Vec<String>,
}

/// One training document: a labelled request or a piece of policy knowledge, not yet turned
/// into features.
struct Doc<'a> {
    subject: &'a str,
    text: Cow<'a, str>,
    /// Category index.
    y: usize,
    /// Priority index, for labelled requests that have one.
    p: Option<usize>,
    weight: f32,
    /// From policy knowledge: always kept in bags and its features in the vocabulary.
    knowledge: bool,
}

/// A trained classifier. Build one with [`Model::train`]; store it with [`Model::to_bytes`].
pub struct Model {
    data: ModelData,
    stemmers: Stemmers,
    /// `data.options.not_covered_threshold`, overridable in tests (nested cross-validation).
    threshold: f32,
}

/// Why a model could not be read back.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid triage model: {}", self.0)
    }
}

impl std::error::Error for ModelError {}

const FORMAT: u32 = 3;

impl Model {
    /// Trains the shipped configuration from labelled requests and the policy's knowledge.
    pub fn train(examples: &[Example], knowledge: &PolicyKnowledge) -> Model {
        Self::train_with(examples, knowledge, &TrainOptions::default())
    }

    pub fn train_with(examples: &[Example], knowledge: &PolicyKnowledge, options: &TrainOptions) -> Model {
        let stemmers = Stemmers::default();
        let categories: Vec<CategoryInfo> = knowledge
            .categories
            .iter()
            .map(|c| CategoryInfo {
                id: c.id.clone(),
                covered: c.covered,
                clause: c.clause.clone(),
                label: c.label.clone(),
                description: c.description.clone(),
            })
            .collect();
        let class_of = |id: &str| categories.iter().position(|c| c.id == id);
        let mut docs: Vec<Doc<'_>> = Vec::new();
        for e in examples {
            let Some(y) = class_of(&e.category) else { continue };
            let p = PRIORITIES.iter().position(|p| *p == e.priority);
            let weight = if categories[y].covered { 1.0 } else { options.not_covered_weight };
            docs.push(Doc { subject: &e.subject, text: Cow::Borrowed(&e.body), y, p, weight, knowledge: false });
        }
        let kw = options.knowledge_weight;
        for (y, c) in knowledge.categories.iter().enumerate() {
            let mut texts = Vec::new();
            if options.policy_documents {
                texts.push(format!("{}. {}", c.label, c.description));
                texts.extend(c.examples.iter().cloned());
            }
            if options.lexicon_documents
                && let Some((_, cues)) = lexicon::category_cues().iter().find(|(id, _)| *id == c.id)
            {
                texts.push(cues.join(". "));
            }
            if options.paraphrase_documents {
                texts.extend(lexicon::paraphrases().iter().filter(|(id, _)| *id == c.id).map(|(_, t)| t.clone()));
            }
            for t in texts {
                docs.push(Doc { subject: "", text: Cow::Owned(t), y, p: None, weight: kw, knowledge: true });
            }
        }
        let features = |d: &Doc<'_>| extract(&stemmers, &options.features, d.subject, &d.text);
        // Two passes over the documents, extracting their features each time rather than
        // keeping them: which features to keep, then each document's vector.
        let mut frequencies = DocumentFrequencies::default();
        for d in &docs {
            frequencies.add(&features(d), d.knowledge);
        }
        let vocabulary = frequencies.into_vocabulary(options.features.clone(), options.min_df);
        let dim = vocabulary.len();
        let priority_groups: Vec<String> = if options.priority_cross > 0.0 {
            lexicon::priority_cues().iter().map(|(g, _)| g.clone()).collect()
        } else {
            Vec::new()
        };
        let shape = PriorityShape {
            dim,
            categories: categories.len(),
            groups: &priority_groups,
            weight: options.priority_cross,
        };
        let mut vectors: Vec<Vec<(u32, f32)>> = Vec::with_capacity(docs.len());
        // The priority model's input, for the documents that have a priority, in order.
        let mut with_category: Vec<Vec<(u32, f32)>> = Vec::new();
        for d in &docs {
            let raw = features(d);
            let entries = vocabulary.transform_entries(&raw);
            if d.p.is_some() {
                with_category.push(shape.features(&entries, d.y, &raw));
            }
            vectors.push(entries);
        }
        let samples: Vec<Sample<'_>> =
            docs.iter().zip(&vectors).map(|(d, x)| Sample { x, y: d.y, weight: d.weight }).collect();
        let always: Vec<bool> = docs.iter().map(|d| d.knowledge).collect();
        let category_model = train_bagged(&samples, &always, categories.len(), dim, &options.sgd, options.bags);
        let coverage_model = (options.coverage_model_share > 0.0).then(|| {
            let binary: Vec<Sample<'_>> = samples
                .iter()
                .map(|s| Sample { x: s.x, y: usize::from(!categories[s.y].covered), weight: s.weight })
                .collect();
            train_bagged(&binary, &always, 2, dim, &options.sgd, options.bags)
        });
        let priority_samples: Vec<Sample<'_>> =
            docs.iter().filter_map(|d| d.p).zip(&with_category).map(|(p, x)| Sample { x, y: p, weight: 1.0 }).collect();
        let mut counts = vec![[0usize; PRIORITIES.len()]; categories.len()];
        for d in &docs {
            if let Some(p) = d.p {
                counts[d.y][p] += 1;
            }
        }
        let priority_seen: Vec<Vec<bool>> = counts
            .iter()
            .map(|c| {
                let enough = c.iter().sum::<usize>() >= 8 && options.priority_prior;
                c.iter().map(|n| *n > 0 || !enough).collect()
            })
            .collect();
        let priority_model = Linear::train(&priority_samples, PRIORITIES.len(), shape.len(), &options.priority_sgd);
        Model {
            data: ModelData {
                format: FORMAT,
                options: options.clone(),
                categories,
                vocabulary,
                category_model,
                priority_model,
                coverage_model,
                priority_seen,
                priority_groups,
            },
            stemmers,
            threshold: options.not_covered_threshold,
        }
    }

    /// The category ids this model knows, in policy order.
    pub fn categories(&self) -> Vec<&str> {
        self.data.categories.iter().map(|c| c.id.as_str()).collect()
    }

    /// Whether a category is covered by the policy the model was trained with.
    pub fn is_covered(&self, category: &str) -> Option<bool> {
        self.data.categories.iter().find(|c| c.id == category).map(|c| c.covered)
    }

    /// The probability the decision compares with the threshold: all not-covered categories
    /// together (mixed with the coverage model's, when there is one).
    #[cfg(test)]
    pub(crate) fn not_covered_probability(&self, subject: &str, body: &str) -> f32 {
        let raw = extract(&self.stemmers, &self.data.vocabulary.config, subject, body);
        let x = self.data.vocabulary.transform(&raw);
        let mut probs = self.data.category_model.scores(&x.entries);
        softmax(&mut probs);
        let mut p_covered: f32 =
            self.data.categories.iter().zip(&probs).filter(|(c, _)| c.covered).map(|(_, p)| p).sum();
        if let Some(m) = &self.data.coverage_model {
            let mut pc = m.scores(&x.entries);
            softmax(&mut pc);
            let share = self.data.options.coverage_model_share;
            p_covered = (1.0 - share) * p_covered + share * pc[0];
        }
        1.0 - p_covered
    }

    /// The same model deciding coverage at another threshold (nested cross-validation picks it
    /// on inner folds only).
    #[cfg(test)]
    pub(crate) fn set_not_covered_threshold(&mut self, threshold: f32) {
        self.threshold = threshold;
    }

    /// Suggests category, coverage and priority for a request, with the reasons.
    pub fn predict(&self, subject: &str, body: &str) -> Suggestion {
        let raw = extract(&self.stemmers, &self.data.vocabulary.config, subject, body);
        let x = self.data.vocabulary.transform(&raw);
        let scores = self.data.category_model.scores(&x.entries);
        let mut probs = scores.clone();
        softmax(&mut probs);
        let cats = &self.data.categories;
        let mut p_covered: f32 = cats.iter().zip(&probs).filter(|(c, _)| c.covered).map(|(_, p)| p).sum();
        let pc_model = self.data.coverage_model.as_ref().map(|m| {
            let mut pc = m.scores(&x.entries);
            softmax(&mut pc);
            pc[0]
        });
        if let Some(pc) = pc_model {
            let share = self.data.options.coverage_model_share;
            p_covered = (1.0 - share) * p_covered + share * pc;
        }
        let covered = 1.0 - p_covered < self.threshold;
        let mut best = 0;
        let mut best_p = f32::NEG_INFINITY;
        for (k, (c, p)) in cats.iter().zip(&probs).enumerate() {
            if c.covered == covered && *p > best_p {
                best = k;
                best_p = *p;
            }
        }
        let Some(category) = cats.get(best) else {
            return Suggestion::empty();
        };
        let mut pp = self.data.priority_model.scores(&self.priority_shape().features(&x.entries, best, &raw));
        softmax(&mut pp);
        if let Some(seen) = self.data.priority_seen.get(best) {
            for (p, ok) in pp.iter_mut().zip(seen) {
                if !ok {
                    *p = 0.0;
                }
            }
        }
        let mut priority = argmax(&pp);
        let (confidence, coverage_confidence) = self.calibrated(&scores, best, covered, pc_model);
        if self.data.options.priority_rules {
            priority = priority_rules::adjust(&category.id, priority, &raw);
        }
        Suggestion {
            category: category.id.clone(),
            coverage: if covered { "covered".to_owned() } else { "not_covered".to_owned() },
            priority: PRIORITIES[priority].to_owned(),
            confidence,
            coverage_confidence,
            clause: PolicyClause {
                section: category.clause.clone(),
                label: category.label.clone(),
                text: category.description.clone(),
            },
            top_words: self.top_words(&x, best, 6),
        }
    }

    /// The confidences shown for a decision already taken: the category's probability and its
    /// coverage's, from the category scores at the calibrated temperature (the separate coverage
    /// model, when there is one, keeps its share of `coverage_model_share`).
    fn calibrated(&self, scores: &[f32], best: usize, covered: bool, pc_model: Option<f32>) -> (f32, f32) {
        let t = self.data.options.confidence_temperature;
        let t = if t > 0.0 { t } else { 1.0 };
        let mut p: Vec<f32> = scores.iter().map(|s| s / t).collect();
        softmax(&mut p);
        let mut p_covered: f32 = self.data.categories.iter().zip(&p).filter(|(c, _)| c.covered).map(|(_, p)| p).sum();
        if let Some(pc) = pc_model {
            let share = self.data.options.coverage_model_share;
            p_covered = (1.0 - share) * p_covered + share * pc;
        }
        (p.get(best).copied().unwrap_or(0.0), if covered { p_covered } else { 1.0 - p_covered })
    }

    fn priority_shape(&self) -> PriorityShape<'_> {
        PriorityShape {
            dim: self.data.vocabulary.len(),
            categories: self.data.categories.len(),
            groups: &self.data.priority_groups,
            weight: self.data.options.priority_cross,
        }
    }

    /// The readable words whose features pushed most towards `class`.
    fn top_words(&self, x: &Vector, class: usize, n: usize) -> Vec<String> {
        let m = &self.data.category_model;
        let mut by_origin: BTreeMap<&str, f32> = BTreeMap::new();
        for ((i, v), origin) in x.entries.iter().zip(&x.origins) {
            let mean: f32 = (0..m.classes).map(|k| m.weight(*i, k)).sum::<f32>() / m.classes.max(1) as f32;
            let contribution = v * (m.weight(*i, class) - mean);
            *by_origin.entry(origin.as_str()).or_insert(0.0) += contribution;
        }
        let mut ranked: Vec<(&str, f32)> = by_origin.into_iter().filter(|(_, c)| *c > 0.0).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let mut words: Vec<String> = Vec::new();
        for (origin, _) in ranked {
            if words.len() >= n {
                break;
            }
            // A pair or cue phrase already listed makes its single words redundant, and vice versa.
            if words.iter().any(|w| w.contains(origin) || origin.contains(w.as_str())) {
                continue;
            }
            words.push(origin.to_owned());
        }
        words
    }

    /// The model as JSON bytes, to be stored and read back with [`Model::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.data).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut data: ModelData = serde_json::from_slice(bytes).map_err(|e| ModelError(e.to_string()))?;
        if data.format != FORMAT {
            return Err(ModelError(format!("format {} (this build reads {FORMAT})", data.format)));
        }
        let dim = data.vocabulary.len();
        let k = data.categories.len();
        let priority_dim = dim + k + k * data.priority_groups.len();
        if data.category_model.weights.len() != dim * k
            || data.priority_model.weights.len() != priority_dim * PRIORITIES.len()
            || data.category_model.bias.len() != k
            || data.priority_model.bias.len() != PRIORITIES.len()
            || data.coverage_model.as_ref().is_some_and(|m| m.weights.len() != dim * 2 || m.bias.len() != 2)
        {
            return Err(ModelError("weights do not match the vocabulary".to_owned()));
        }
        data.vocabulary.reindex();
        let threshold = data.options.not_covered_threshold;
        Ok(Model { data, stemmers: Stemmers::default(), threshold })
    }
}

/// Trains `bags` models on seeded subsamples (each labelled request kept with probability 0.8;
/// knowledge documents always) and averages their weights: still one linear model to predict.
fn train_bagged(
    samples: &[Sample<'_>],
    always: &[bool],
    classes: usize,
    dim: usize,
    sgd: &SgdConfig,
    bags: usize,
) -> Linear {
    if bags <= 1 {
        return Linear::train(samples, classes, dim, sgd);
    }
    // Summed as each bag is trained (the same additions in the same order as averaging the
    // finished models, so the same bits), so only one bag's weights are held besides the sum.
    let mut sum: Option<Linear> = None;
    for b in 0..bags {
        let seed = sgd.seed.wrapping_add(1000 * b as u64);
        let mut rng = Rng::new(seed ^ 0x5bd1_e995);
        let subset: Vec<Sample<'_>> = samples
            .iter()
            .zip(always)
            .filter(|(_, keep)| rng.next() % 10 < 8 || **keep)
            .map(|(s, _)| Sample { x: s.x, y: s.y, weight: s.weight })
            .collect();
        let model = Linear::train(&subset, classes, dim, &SgdConfig { seed, ..sgd.clone() });
        match sum.as_mut() {
            Some(total) => total.add(&model),
            None => sum = Some(model),
        }
    }
    let mut average = sum.unwrap_or_else(|| Linear::train(&[], classes, dim, sgd));
    average.divide(bags);
    average
}

/// The priority model's input: the request's features, the category, and each priority cue
/// group crossed with the category (after the category one-hot, category-major).
struct PriorityShape<'a> {
    dim: usize,
    categories: usize,
    groups: &'a [String],
    weight: f32,
}

impl PriorityShape<'_> {
    fn len(&self) -> usize {
        self.dim + self.categories * (1 + self.groups.len())
    }

    fn features(&self, x: &[(u32, f32)], category: usize, raw: &Raw) -> Vec<(u32, f32)> {
        let mut v = Vec::with_capacity(x.len() + 1 + self.groups.len());
        v.extend_from_slice(x);
        v.push(((self.dim + category) as u32, 1.0));
        let base = self.dim + self.categories + category * self.groups.len();
        for (g, group) in self.groups.iter().enumerate() {
            let n = raw.counts.get(&format!("r:{group}")).map_or(0.0, |(n, ..)| *n);
            if n > 0.0 {
                v.push(((base + g) as u32, self.weight * (1.0 + n.ln())));
            }
        }
        v
    }
}

fn argmax(p: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in p.iter().enumerate() {
        if *v > p[best] {
            best = i;
        }
    }
    best
}

impl Example {
    /// The labelled corpus bundled with Alcance.
    pub fn bundled() -> Vec<Example> {
        Example::parse_jsonl(crate::BUNDLED_CORPUS).unwrap_or_default()
    }
}
