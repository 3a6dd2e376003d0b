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
            "subj" => o.features.subject_repeat = f as usize,
            "mindf" => o.min_df = f as usize,
            "pl2" => o.priority_sgd.l2 = f,
            "plr" => o.priority_sgd.learning_rate = f,
            "pep" => o.priority_sgd.epochs = f as usize,
            "prior" => o.priority_prior = true,
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
        let mut sums = [0.0f64; 4];
        for &seed in &seeds {
            let r = cross_validate_with(&corpus, &k, 5, seed, &options);
            for (s, v) in sums.iter_mut().zip([
                r.coverage_accuracy,
                r.category_macro_f1,
                r.not_covered_recall,
                r.priority_accuracy,
            ]) {
                *s += v / seeds.len() as f64;
            }
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
        println!(
            "{name:<40} CV cov {:.3} F1 {:.3} ncR {:.3} pri {:.3} | variants(n={}) {}",
            sums[0],
            sums[1],
            sums[2],
            sums[3],
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
