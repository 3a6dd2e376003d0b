//! Measuring candidate configurations: 5-fold cross-validation on the dev corpus and the style
//! variants (trained without their sources). Run in release:
//! `EXP=final,bags5 cargo test --release -p alcance-triage experiments -- --ignored --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::tests::knowledge;
use crate::*;

const VARIANTS: &str = include_str!("../data/variants.jsonl");

/// The configuration named `name`: "final" (the shipped one), "baseline", or the shipped one with
/// one change (several joined by '+').
pub(crate) fn config(name: &str) -> Option<TrainOptions> {
    let mut o = TrainOptions::default();
    for part in name.split('+') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let f = value.parse::<f32>().unwrap_or(0.0);
        match key {
            "final" => {}
            "baseline" => o = TrainOptions::baseline(),
            "para" => o.paraphrase_documents = f > 0.0 || value.is_empty(),
            "ncw" => o.not_covered_weight = f,
            "bags" => o.bags = f as usize,
            "cov" => o.coverage_model_share = f,
            "thr" => o.not_covered_threshold = f,
            "kw" => o.knowledge_weight = f,
            "l2" => o.sgd.l2 = f,
            "lr" => o.sgd.learning_rate = f,
            "ep" => o.sgd.epochs = f as usize,
            "decay" => o.sgd.decay = f,
            "hinge" => o.sgd.hinge = true,
            "word" => o.features.word = f,
            "pair" => o.features.pair = f,
            "char" => o.features.char = f,
            "cue" => o.features.cue = f,
            "ind" => o.features.indicator = f,
            "icross" => o.features.indicator_cross = true,
            "subj" => o.features.subject_repeat = f as usize,
            "mindf" => o.min_df = f as usize,
            "pl2" => o.priority_sgd.l2 = f,
            "plr" => o.priority_sgd.learning_rate = f,
            "pep" => o.priority_sgd.epochs = f as usize,
            "prior" => o.priority_prior = true,
            "pcross" => o.priority_cross = f,
            "temp" => o.confidence_temperature = f,
            "nopol" => o.policy_documents = false,
            "nolex" => o.lexicon_documents = false,
            _ => return None,
        }
    }
    Some(o)
}

pub(crate) fn variants_report(corpus: &[Example], k: &PolicyKnowledge, options: &TrainOptions) -> Report {
    let variants = Example::parse_jsonl(VARIANTS).unwrap();
    let sources: Vec<String> = VARIANTS
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["source"].as_str().map(str::to_owned))
        .collect();
    let without: Vec<Example> = corpus.iter().filter(|e| !sources.contains(&e.id)).cloned().collect();
    evaluate(&Model::train_with(&without, k, options), &variants)
}

fn line(r: &Report) -> String {
    format!(
        "cov {:.3} F1 {:.3} ncR {:.3} pri {:.3}",
        r.coverage_accuracy, r.category_macro_f1, r.not_covered_recall, r.priority_accuracy
    )
}

/// Mean and (population) standard deviation over the fold seeds of each figure.
pub(crate) fn spread(runs: &[[f64; 4]]) -> ([f64; 4], [f64; 4]) {
    let n = runs.len().max(1) as f64;
    let mut mean = [0.0; 4];
    let mut sd = [0.0; 4];
    for r in runs {
        for (m, v) in mean.iter_mut().zip(r) {
            *m += v / n;
        }
    }
    for r in runs {
        for ((s, v), m) in sd.iter_mut().zip(r).zip(&mean) {
            *s += (v - m) * (v - m) / n;
        }
    }
    (mean, sd.map(f64::sqrt))
}

#[test]
#[ignore = "a tuning harness run by hand in release (EXP=... SEEDS=...), minutes long; not a check"]
fn experiments() {
    let corpus = Example::bundled();
    let k = knowledge();
    let names = std::env::var("EXP").unwrap_or_else(|_| "baseline,final".to_owned());
    let seeds: Vec<u64> =
        std::env::var("SEEDS").unwrap_or_else(|_| "1".to_owned()).split(',').filter_map(|s| s.parse().ok()).collect();
    for name in names.split(',') {
        let Some(options) = config(name) else {
            println!("{name}: unknown");
            continue;
        };
        let mut runs: Vec<[f64; 4]> = Vec::new();
        for &seed in &seeds {
            let r = cross_validate_with(&corpus, &k, 5, seed, &options);
            runs.push([r.coverage_accuracy, r.category_macro_f1, r.not_covered_recall, r.priority_accuracy]);
            if std::env::var("MISTAKES").is_ok() {
                for m in &r.mistakes {
                    println!(
                        "  {} {} -> {} | {} -> {}",
                        m.id, m.expected_category, m.predicted_category, m.expected_priority, m.predicted_priority
                    );
                }
            }
        }
        let v = variants_report(&corpus, &k, &options);
        let (mean, sd) = spread(&runs);
        println!(
            "{name:<40} CV cov {:.3}±{:.3} F1 {:.3}±{:.3} ncR {:.3}±{:.3} pri {:.3}±{:.3} | variants(n={}) {}",
            mean[0],
            sd[0],
            mean[1],
            sd[1],
            mean[2],
            sd[2],
            mean[3],
            sd[3],
            v.n,
            line(&v)
        );
        if std::env::var("MISTAKES").is_ok() {
            for m in &v.mistakes {
                println!(
                    "  {} {} -> {} | {} -> {}",
                    m.id, m.expected_category, m.predicted_category, m.expected_priority, m.predicted_priority
                );
            }
        }
    }
}

/// Calibration of the shown confidences under 5-fold CV: (expected calibration error over 10
/// bins, mean log-loss of the suggested category being right, accuracy, mean confidence) for the
/// category, then the same for the coverage.
pub(crate) fn calibration(corpus: &[Example], k: &PolicyKnowledge, options: &TrainOptions, seed: u64) -> [[f64; 4]; 2] {
    let mut rng = crate::linear::Rng::new(seed);
    let mut order: Vec<usize> = (0..corpus.len()).collect();
    rng.shuffle(&mut order);
    let mut points: [Vec<(f64, bool)>; 2] = [Vec::new(), Vec::new()];
    for fold in 0..5 {
        let train: Vec<Example> =
            order.iter().enumerate().filter(|(i, _)| i % 5 != fold).map(|(_, &j)| corpus[j].clone()).collect();
        let model = Model::train_with(&train, k, options);
        for (_, &j) in order.iter().enumerate().filter(|(i, _)| i % 5 == fold) {
            let e = &corpus[j];
            let s = model.predict(&e.subject, &e.body);
            points[0].push((f64::from(s.confidence), s.category == e.category));
            let expected = if e.coverage.is_empty() {
                model.is_covered(&e.category) == Some(true)
            } else {
                e.coverage == "covered"
            };
            points[1].push((f64::from(s.coverage_confidence), (s.coverage == "covered") == expected));
        }
    }
    points.map(|p| {
        let n = p.len() as f64;
        let mut ece = 0.0;
        for b in 0..10 {
            let bin: Vec<&(f64, bool)> = p.iter().filter(|(c, _)| ((c * 10.0) as usize).min(9) == b).collect();
            if bin.is_empty() {
                continue;
            }
            let conf = bin.iter().map(|(c, _)| c).sum::<f64>() / bin.len() as f64;
            let acc = bin.iter().filter(|(_, ok)| *ok).count() as f64 / bin.len() as f64;
            ece += (conf - acc).abs() * bin.len() as f64 / n;
        }
        let nll = p.iter().map(|(c, ok)| -(if *ok { *c } else { 1.0 - c }).clamp(1e-6, 1.0).ln()).sum::<f64>() / n;
        let acc = p.iter().filter(|(_, ok)| *ok).count() as f64 / n;
        let conf = p.iter().map(|(c, _)| c).sum::<f64>() / n;
        [ece, nll, acc, conf]
    })
}

#[test]
#[ignore = "a tuning harness run by hand in release (EXP=...): calibration of the confidences"]
fn calibration_of_confidences() {
    let corpus = Example::bundled();
    let k = knowledge();
    let names = std::env::var("EXP").unwrap_or_else(|_| "final".to_owned());
    for name in names.split(',') {
        let Some(options) = config(name) else { continue };
        let mut sum = [[0.0f64; 4]; 2];
        for seed in [1, 2] {
            let c = calibration(&corpus, &k, &options, seed);
            for (s, v) in sum.iter_mut().flatten().zip(c.iter().flatten()) {
                *s += v / 2.0;
            }
        }
        println!(
            "{name:<30} category ECE {:.3} NLL {:.3} acc {:.3} conf {:.3} | coverage ECE {:.3} NLL {:.3} acc {:.3} conf {:.3}",
            sum[0][0], sum[0][1], sum[0][2], sum[0][3], sum[1][0], sum[1][1], sum[1][2], sum[1][3]
        );
    }
}

#[test]
#[ignore = "prints training time and prediction latency (run in release)"]
fn timing() {
    let corpus = Example::bundled();
    let k = knowledge();
    let start = std::time::Instant::now();
    let mut model = Model::train(&corpus, &k);
    for _ in 0..2 {
        model = Model::train(&corpus, &k);
    }
    println!("training on {} requests: {:?}", corpus.len(), start.elapsed() / 3);
    let start = std::time::Instant::now();
    let mut worst = std::time::Duration::ZERO;
    for e in &corpus {
        let t = std::time::Instant::now();
        std::hint::black_box(model.predict(&e.subject, &e.body));
        worst = worst.max(t.elapsed());
    }
    println!("predict: mean {:?}, worst {:?} per request", start.elapsed() / corpus.len() as u32, worst);
}

#[test]
#[ignore = "prints where training time goes (run in release)"]
fn timing_parts() {
    let corpus = Example::bundled();
    let k = knowledge();
    let s = crate::normalize::Stemmers::default();
    let f = crate::features::FeatureConfig::default();
    let start = std::time::Instant::now();
    let mut nnz = 0;
    for e in &corpus {
        nnz += crate::features::extract(&s, &f, &e.subject, &e.body).counts.len();
    }
    println!("extract: {:?} for {} requests, {} raw features each", start.elapsed(), corpus.len(), nnz / corpus.len());
    for name in ["bags=1", "bags=1+ep=20", "final"] {
        let o = config(name).unwrap();
        let start = std::time::Instant::now();
        std::hint::black_box(Model::train_with(&corpus, &k, &o));
        println!("{name}: {:?}", start.elapsed());
    }
}

/// The threshold an inner cross-validation of `train` picks: the highest coverage accuracy among
/// thresholds whose not-covered recall reaches `min_recall` (the best recall if none does).
fn inner_threshold(train: &[Example], k: &PolicyKnowledge, options: &TrainOptions, seed: u64, min_recall: f64) -> f32 {
    let fold_of = crate::eval::folds(train, 4, seed.wrapping_add(101));
    let mut points: Vec<(f32, bool)> = Vec::new();
    for fold in 0..4 {
        let inner: Vec<Example> =
            train.iter().zip(&fold_of).filter(|(_, f)| **f != fold).map(|(e, _)| e.clone()).collect();
        let model = Model::train_with(&inner, k, options);
        for (e, _) in train.iter().zip(&fold_of).filter(|(_, f)| **f == fold) {
            let nc = model.is_covered(&e.category) == Some(false);
            points.push((model.not_covered_probability(&e.subject, &e.body), nc));
        }
    }
    let positives = points.iter().filter(|p| p.1).count().max(1) as f64;
    let mut best = (f64::NEG_INFINITY, 0.5f32);
    for step in 10..=60 {
        let t = step as f32 / 100.0;
        let hit = points.iter().filter(|(p, nc)| *nc && *p >= t).count() as f64;
        let acc = points.iter().filter(|(p, nc)| (*p >= t) == *nc).count() as f64 / points.len() as f64;
        let recall = hit / positives;
        let score = if recall >= min_recall { 1.0 + acc } else { recall };
        if score > best.0 {
            best = (score, t);
        }
    }
    best.1
}

#[test]
#[ignore = "nested cross-validation of the coverage threshold (EXP=... SEEDS=... MINREC=0.95), long"]
fn nested_threshold() {
    let corpus = Example::bundled();
    let k = knowledge();
    let names = std::env::var("EXP").unwrap_or_else(|_| "final".to_owned());
    let seeds: Vec<u64> =
        std::env::var("SEEDS").unwrap_or_else(|_| "1".to_owned()).split(',').filter_map(|s| s.parse().ok()).collect();
    let min_recall: f64 = std::env::var("MINREC").ok().and_then(|v| v.parse().ok()).unwrap_or(0.95);
    for name in names.split(',') {
        let Some(options) = config(name) else { continue };
        let mut runs = Vec::new();
        let mut chosen = Vec::new();
        for &seed in &seeds {
            let fold_of = crate::eval::folds(&corpus, 5, seed);
            let mut parts = Vec::new();
            for fold in 0..5 {
                let train: Vec<Example> =
                    corpus.iter().zip(&fold_of).filter(|(_, f)| **f != fold).map(|(e, _)| e.clone()).collect();
                let test: Vec<Example> =
                    corpus.iter().zip(&fold_of).filter(|(_, f)| **f == fold).map(|(e, _)| e.clone()).collect();
                let t = inner_threshold(&train, &k, &options, seed, min_recall);
                chosen.push(t);
                let mut model = Model::train_with(&train, &k, &options);
                model.set_not_covered_threshold(t);
                parts.push((model, test));
            }
            let r = crate::eval::evaluate_folds(&parts);
            runs.push([r.coverage_accuracy, r.category_macro_f1, r.not_covered_recall, r.priority_accuracy]);
        }
        let (mean, sd) = spread(&runs);
        println!(
            "nested {name:<32} cov {:.3}±{:.3} F1 {:.3}±{:.3} ncR {:.3}±{:.3} pri {:.3}±{:.3} thresholds {chosen:?}",
            mean[0], sd[0], mean[1], sd[1], mean[2], sd[2], mean[3], sd[3]
        );
    }
}
