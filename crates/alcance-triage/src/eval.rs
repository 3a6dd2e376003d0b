//! Evaluation: the figures the product is judged by, on a labelled file or by k-fold
//! cross-validation (never on the data a model was trained on).

use serde::{Deserialize, Serialize};

use crate::linear::Rng;
use crate::model::{Model, PRIORITIES, TrainOptions};
use crate::{Example, PolicyKnowledge};

/// Precision, recall and F1 of one category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassFigures {
    pub category: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// Rows are the expected category, columns the predicted one, in `labels` order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    pub labels: Vec<String>,
    pub matrix: Vec<Vec<usize>>,
}

/// A request the model got wrong (category or priority).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mistake {
    pub id: String,
    pub expected_category: String,
    pub predicted_category: String,
    pub expected_priority: String,
    pub predicted_priority: String,
}

/// Evaluation figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub n: usize,
    pub coverage_accuracy: f64,
    pub category_accuracy: f64,
    pub category_macro_f1: f64,
    pub not_covered_recall: f64,
    pub not_covered_precision: f64,
    pub priority_accuracy: f64,
    pub per_class: Vec<ClassFigures>,
    pub confusion: Confusion,
    /// Rows expected, columns predicted, in critical/high/normal/low order.
    pub priority_confusion: Vec<Vec<usize>>,
    pub mistakes: Vec<Mistake>,
}

struct Outcome {
    id: String,
    category: (String, String),
    coverage: (bool, bool),
    priority: (String, String),
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn expected_covered(e: &Example, model: &Model) -> bool {
    match e.coverage.as_str() {
        "covered" => true,
        "not_covered" => false,
        _ => model.is_covered(&e.category).unwrap_or(true),
    }
}

fn outcomes(model: &Model, examples: &[Example]) -> Vec<Outcome> {
    examples
        .iter()
        .map(|e| {
            let s = model.predict(&e.subject, &e.body);
            Outcome {
                id: e.id.clone(),
                category: (e.category.clone(), s.category),
                coverage: (expected_covered(e, model), s.coverage == "covered"),
                priority: (e.priority.clone(), s.priority),
            }
        })
        .collect()
}

fn report(labels: &[&str], outcomes: &[Outcome]) -> Report {
    let n = outcomes.len();
    let index = |id: &str| labels.iter().position(|l| *l == id);
    let mut matrix = vec![vec![0usize; labels.len()]; labels.len()];
    for o in outcomes {
        if let (Some(a), Some(b)) = (index(&o.category.0), index(&o.category.1)) {
            matrix[a][b] += 1;
        }
    }
    let mut per_class = Vec::new();
    let mut f1_sum = 0.0;
    let mut present = 0;
    for (k, label) in labels.iter().enumerate() {
        let tp = matrix[k][k];
        let support: usize = matrix[k].iter().sum();
        let predicted: usize = matrix.iter().map(|row| row[k]).sum();
        let precision = ratio(tp, predicted);
        let recall = ratio(tp, support);
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        if support > 0 {
            f1_sum += f1;
            present += 1;
        }
        per_class.push(ClassFigures { category: (*label).to_owned(), precision, recall, f1, support });
    }
    let nc_total = outcomes.iter().filter(|o| !o.coverage.0).count();
    let nc_hit = outcomes.iter().filter(|o| !o.coverage.0 && !o.coverage.1).count();
    let nc_predicted = outcomes.iter().filter(|o| !o.coverage.1).count();
    let mut priority_confusion = vec![vec![0usize; PRIORITIES.len()]; PRIORITIES.len()];
    for o in outcomes {
        let a = PRIORITIES.iter().position(|p| *p == o.priority.0);
        let b = PRIORITIES.iter().position(|p| *p == o.priority.1);
        if let (Some(a), Some(b)) = (a, b) {
            priority_confusion[a][b] += 1;
        }
    }
    Report {
        n,
        coverage_accuracy: ratio(outcomes.iter().filter(|o| o.coverage.0 == o.coverage.1).count(), n),
        category_accuracy: ratio(outcomes.iter().filter(|o| o.category.0 == o.category.1).count(), n),
        category_macro_f1: if present == 0 { 0.0 } else { f1_sum / present as f64 },
        not_covered_recall: ratio(nc_hit, nc_total),
        not_covered_precision: ratio(nc_hit, nc_predicted),
        priority_accuracy: ratio(outcomes.iter().filter(|o| o.priority.0 == o.priority.1).count(), n),
        per_class,
        confusion: Confusion { labels: labels.iter().map(|l| (*l).to_owned()).collect(), matrix },
        priority_confusion,
        mistakes: outcomes
            .iter()
            .filter(|o| o.category.0 != o.category.1 || o.priority.0 != o.priority.1)
            .map(|o| Mistake {
                id: o.id.clone(),
                expected_category: o.category.0.clone(),
                predicted_category: o.category.1.clone(),
                expected_priority: o.priority.0.clone(),
                predicted_priority: o.priority.1.clone(),
            })
            .collect(),
    }
}

/// Evaluates a trained model on labelled requests it was not trained on.
pub fn evaluate(model: &Model, examples: &[Example]) -> Report {
    report(&model.categories(), &outcomes(model, examples))
}

/// The figures of several models each on its own held-out requests, pooled (nested CV).
#[cfg(test)]
pub(crate) fn evaluate_folds(parts: &[(Model, Vec<Example>)]) -> Report {
    let mut all = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    for (model, test) in parts {
        labels = model.categories().iter().map(|s| (*s).to_owned()).collect();
        all.extend(outcomes(model, test));
    }
    let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    report(&refs, &all)
}

/// Stratified folds: each category's requests shuffled with `seed` and dealt in turn.
pub(crate) fn folds(examples: &[Example], k: usize, seed: u64) -> Vec<usize> {
    let mut fold_of = vec![0usize; examples.len()];
    let mut rng = Rng::new(seed);
    let mut categories: Vec<&str> = examples.iter().map(|e| e.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    let mut next = 0;
    for category in categories {
        let mut members: Vec<usize> = (0..examples.len()).filter(|&i| examples[i].category == category).collect();
        rng.shuffle(&mut members);
        for i in members {
            fold_of[i] = next % k;
            next += 1;
        }
    }
    fold_of
}

/// Stratified k-fold cross-validation of the shipped configuration.
pub fn cross_validate(examples: &[Example], knowledge: &PolicyKnowledge, k: usize, seed: u64) -> Report {
    cross_validate_with(examples, knowledge, k, seed, &TrainOptions::default())
}

/// Stratified k-fold cross-validation: each category's requests are shuffled with `seed` and
/// dealt to the folds in turn; every request is predicted by a model that never saw it (the
/// policy knowledge is in every fold's training set, as it is in production). The figures are
/// computed on all the held-out predictions together.
pub fn cross_validate_with(
    examples: &[Example],
    knowledge: &PolicyKnowledge,
    k: usize,
    seed: u64,
    options: &TrainOptions,
) -> Report {
    let k = k.max(2);
    let fold_of = folds(examples, k, seed);
    let mut all = Vec::new();
    let mut labels: Vec<String> = knowledge.categories.iter().map(|c| c.id.clone()).collect();
    for fold in 0..k {
        let train: Vec<Example> =
            examples.iter().zip(&fold_of).filter(|(_, f)| **f != fold).map(|(e, _)| e.clone()).collect();
        let test: Vec<Example> =
            examples.iter().zip(&fold_of).filter(|(_, f)| **f == fold).map(|(e, _)| e.clone()).collect();
        let model = Model::train_with(&train, knowledge, options);
        labels = model.categories().iter().map(|s| (*s).to_owned()).collect();
        all.extend(outcomes(&model, &test));
    }
    let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    report(&refs, &all)
}
