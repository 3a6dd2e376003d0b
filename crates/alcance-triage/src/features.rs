//! Features of a request: stemmed words, stemmed word pairs, character n-grams of the folded
//! words (robust to typos: "sirbe" shares "sir", "irb"... with nothing, but "servidor"/"servdor"
//! share most grams), and the lexicon's cues. Each feature remembers the words it came from, so
//! an explanation can show readable words instead of stems and grams.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::lexicon;
use crate::normalize::{Stemmers, fold, strip_signature};

/// Feature families; each is scaled to unit length on its own and then weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Family {
    Word,
    Pair,
    Char,
    Cue,
    /// Hand-designed indicators of tense, intent and contrast (see `indicators`): binary, not
    /// scaled by IDF or length, so "stopped working" weighs the same in a line and in a page.
    Indicator,
}

/// Which families are on and how much each weighs (the baseline uses words only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    pub word: f32,
    pub pair: f32,
    pub char: f32,
    pub cue: f32,
    pub char_min: usize,
    pub char_max: usize,
    /// The subject is counted this many times (it is the densest summary of a request).
    pub subject_repeat: usize,
    pub strip_signature: bool,
    /// Weight of the indicator family (0: the `x_` cue groups stay ordinary cues).
    #[serde(default)]
    pub indicator: f32,
    /// Also cross each indicator with each category cue group found ("wish" next to bug words is
    /// not "wish" next to integration words); the model learns which crosses matter.
    #[serde(default)]
    pub indicator_cross: bool,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        Self {
            word: 1.0,
            pair: 0.5,
            char: 1.0,
            cue: 0.6,
            char_min: 3,
            char_max: 5,
            subject_repeat: 2,
            strip_signature: true,
            // Chosen by 5-fold CV over fold seeds 1-5 (0.15-0.3 all help; 0.4+ overfits).
            indicator: 0.25,
            indicator_cross: false,
        }
    }
}

impl FeatureConfig {
    /// Plain bag of words (TF-IDF of stemmed unigrams and bigrams), no character grams, no
    /// lexicon: the baseline the final model is compared with.
    pub fn baseline() -> Self {
        Self {
            pair: 0.5,
            char: 0.0,
            cue: 0.0,
            subject_repeat: 1,
            strip_signature: false,
            indicator: 0.0,
            indicator_cross: false,
            ..Self::default()
        }
    }
}

/// The raw features of one text: key -> (count, family, readable origin).
pub struct Raw {
    pub counts: HashMap<String, (f32, Family, String)>,
}

fn family_of(key: &str) -> Family {
    match key.as_bytes().first() {
        Some(b'w') => Family::Word,
        Some(b'b') => Family::Pair,
        Some(b'c') => Family::Char,
        Some(b'i') => Family::Indicator,
        _ => Family::Cue,
    }
}

impl Raw {
    /// Counts `key`, allocating only the first time it is seen.
    pub(crate) fn add(&mut self, key: &str, origin: &str) {
        if let Some(entry) = self.counts.get_mut(key) {
            entry.0 += 1.0;
        } else {
            self.counts.insert(key.to_owned(), (1.0, family_of(key), origin.to_owned()));
        }
    }
}

/// Extracts the raw features of a request.
pub fn extract(stemmers: &Stemmers, config: &FeatureConfig, subject: &str, body: &str) -> Raw {
    let body = if config.strip_signature { strip_signature(body) } else { body };
    let mut raw = Raw { counts: HashMap::new() };
    let mut key = String::with_capacity(64);
    let mut texts: Vec<&str> = Vec::with_capacity(config.subject_repeat + 1);
    for _ in 0..config.subject_repeat.max(1) {
        texts.push(subject);
    }
    texts.push(body);
    for text in &texts {
        let tokens = stemmers.tokens(text);
        if config.word > 0.0 {
            for t in &tokens {
                key.clear();
                let _ = write!(key, "w:{}", t.stem);
                raw.add(&key, &t.surface);
            }
        }
        if config.pair > 0.0 {
            for pair in tokens.windows(2) {
                key.clear();
                let _ = write!(key, "b:{} {}", pair[0].stem, pair[1].stem);
                if let Some(entry) = raw.counts.get_mut(key.as_str()) {
                    entry.0 += 1.0;
                } else {
                    raw.add(&key, &format!("{} {}", pair[0].surface, pair[1].surface));
                }
            }
        }
        if config.char > 0.0 {
            for t in &tokens {
                if t.surface.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                let padded: Vec<char> = format!(" {} ", t.surface).chars().collect();
                for n in config.char_min..=config.char_max {
                    if padded.len() < n {
                        break;
                    }
                    for gram in padded.windows(n) {
                        key.clear();
                        key.push_str("c:");
                        key.extend(gram.iter());
                        raw.add(&key, &t.surface);
                    }
                }
            }
        }
    }
    if config.cue > 0.0 {
        let full = format!("{subject}\n{body}");
        let padded = format!(" {} ", fold(&full).split_whitespace().collect::<Vec<_>>().join(" "));
        let found = lexicon::matches(&padded, lexicon::category_cues());
        for &(group, phrase) in &found {
            let prefix = if config.indicator > 0.0 && group.starts_with("x_") { "i" } else { "q" };
            key.clear();
            let _ = write!(key, "{prefix}:{group}");
            raw.add(&key, phrase);
            key.clear();
            let _ = write!(key, "p:{phrase}");
            raw.add(&key, phrase);
        }
        if config.indicator > 0.0 {
            crate::indicators::add(&mut raw, &mut key, config, subject, body, &found);
        }
        for (group, phrase) in lexicon::matches(&padded, lexicon::priority_cues()) {
            raw.add(&format!("r:{group}"), phrase);
        }
    }
    raw
}

/// A sparse, weighted feature vector: (feature index, value), sorted by index, plus the readable
/// origin of each entry for explanations.
#[derive(Debug, Clone, Default)]
pub struct Vector {
    pub entries: Vec<(u32, f32)>,
    pub origins: Vec<String>,
}

/// The vocabulary and inverse document frequencies learned from the training documents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vocabulary {
    pub config: FeatureConfig,
    pub keys: Vec<String>,
    pub idf: Vec<f32>,
    #[serde(skip)]
    index: HashMap<String, u32>,
}

/// In how many training documents each feature appears, counted one document at a time so
/// the documents' raw features need not all be kept at once (they are most of what training
/// allocates, and memory a process took stays taken).
#[derive(Default)]
pub struct DocumentFrequencies {
    /// key -> (documents, seen in a policy-knowledge document)
    df: HashMap<String, (usize, bool)>,
    documents: usize,
}

impl DocumentFrequencies {
    pub fn add(&mut self, raw: &Raw, always: bool) {
        self.documents += 1;
        for key in raw.counts.keys() {
            match self.df.get_mut(key.as_str()) {
                Some(e) => {
                    e.0 += 1;
                    e.1 |= always;
                }
                None => {
                    self.df.insert(key.clone(), (1, always));
                }
            }
        }
    }

    /// Keeps features seen in at least `min_df` documents (always those of policy knowledge,
    /// which are marked `always`), sorted by key so the indices are deterministic.
    pub fn into_vocabulary(self, config: FeatureConfig, min_df: usize) -> Vocabulary {
        let n = self.documents as f32;
        let mut kept: Vec<(String, usize)> = self
            .df
            .into_iter()
            .filter(|(_, (count, always))| *count >= min_df || *always)
            .map(|(k, (c, _))| (k, c))
            .collect();
        kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let idf = kept.iter().map(|(_, count)| ((1.0 + n) / (1.0 + *count as f32)).ln() + 1.0).collect();
        let keys = kept.into_iter().map(|(key, _)| key).collect();
        let mut vocab = Vocabulary { config, keys, idf, index: HashMap::new() };
        vocab.reindex();
        vocab
    }
}

impl Vocabulary {
    /// Rebuilds the lookup table after deserialisation.
    pub fn reindex(&mut self) {
        self.index = self.keys.iter().enumerate().map(|(i, k)| (k.clone(), i as u32)).collect();
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Log-count TF-IDF, each family scaled to unit length and then by its weight.
    pub fn transform(&self, raw: &Raw) -> Vector {
        let mut vector = Vector::default();
        for (i, value, origin) in self.weighted(raw) {
            vector.entries.push((i, value));
            vector.origins.push(origin.to_owned());
        }
        vector
    }

    /// The entries of [`Vocabulary::transform`] without their readable origins (training
    /// explains nothing).
    pub fn transform_entries(&self, raw: &Raw) -> Vec<(u32, f32)> {
        self.weighted(raw).into_iter().map(|(i, value, _)| (i, value)).collect()
    }

    fn weighted<'r>(&self, raw: &'r Raw) -> Vec<(u32, f32, &'r str)> {
        let mut items: Vec<(u32, f32, Family, &str)> = Vec::with_capacity(raw.counts.len());
        for (key, (count, family, origin)) in &raw.counts {
            if let Some(&i) = self.index.get(key) {
                let v = (1.0 + count.ln()) * self.idf[i as usize];
                items.push((i, v, *family, origin.as_str()));
            }
        }
        // Sorted before summing, so the result does not depend on the hash map's order.
        items.sort_by_key(|x| x.0);
        let mut norms: BTreeMap<Family, f32> = BTreeMap::new();
        for (_, v, family, _) in &items {
            *norms.entry(*family).or_insert(0.0) += v * v;
        }
        let weight = |f: Family| match f {
            Family::Word => self.config.word,
            Family::Pair => self.config.pair,
            Family::Char => self.config.char,
            Family::Cue => self.config.cue,
            Family::Indicator => self.config.indicator,
        };
        items
            .into_iter()
            .map(|(i, v, family, origin)| {
                let value = if family == Family::Indicator {
                    weight(family)
                } else {
                    v / norms.get(&family).copied().unwrap_or(1.0).sqrt().max(1e-6) * weight(family)
                };
                (i, value, origin)
            })
            .collect()
    }
}
