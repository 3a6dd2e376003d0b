//! Unit tests of the classifier as a whole, on the bundled corpus and the default policy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use super::*;

pub(crate) fn knowledge() -> PolicyKnowledge {
    let policy = alcance_domain::policy::Policy::from_toml(include_str!("../../../policy/default.toml")).unwrap();
    PolicyKnowledge::from_policy_json(&serde_json::to_value(&policy).unwrap())
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::train(&Example::bundled(), &knowledge()))
}

#[test]
fn knowledge_has_the_twelve_categories_with_coverage() {
    let k = knowledge();
    assert_eq!(k.categories.len(), 12);
    assert_eq!(k.categories.iter().filter(|c| c.covered).count(), 7);
    let nf = k.categories.iter().find(|c| c.id == "new_feature").unwrap();
    assert!(!nf.covered);
    assert_eq!(nf.clause, "2");
    assert!(nf.examples.len() >= 8);
}

#[test]
fn bundled_corpus_parses() {
    let corpus = Example::bundled();
    assert_eq!(corpus.len(), 320);
    assert!(corpus.iter().all(|e| !e.category.is_empty() && PRIORITIES.contains(&e.priority.as_str())));
}

#[test]
fn training_is_deterministic() {
    let corpus = Example::bundled();
    let k = knowledge();
    let a = Model::train(&corpus[..120], &k);
    let b = Model::train(&corpus[..120], &k);
    assert_eq!(a.to_bytes(), b.to_bytes());
    for e in &corpus[120..160] {
        assert_eq!(a.predict(&e.subject, &e.body), b.predict(&e.subject, &e.body));
    }
}

#[test]
fn a_new_module_is_not_covered() {
    let s = model().predict("", "Necesitamos un módulo nuevo de facturación electrónica");
    assert_eq!(s.coverage, "not_covered", "{s:?}");
    assert_eq!(s.category, "new_feature", "{s:?}");
    assert_eq!(s.clause.section, "2");
}

#[test]
fn a_site_down_is_server_availability_and_urgent() {
    let s = model().predict("", "El sitio está caído, error 502 desde esta mañana");
    assert_eq!(s.category, "server_availability", "{s:?}");
    assert_eq!(s.coverage, "covered");
    assert!(s.priority == "critical" || s.priority == "high", "{s:?}");
    assert_eq!(s.clause.section, "1.2");
    assert!(!s.top_words.is_empty());
}

#[test]
fn accents_case_and_typos_do_not_change_a_short_text() {
    let m = model();
    let base = m.predict(
        "Certificado SSL vencido",
        "El certificado SSL de la página venció y el navegador dice que no es segura",
    );
    for (subject, body) in [
        ("CERTIFICADO SSL VENCIDO", "EL CERTIFICADO SSL DE LA PÁGINA VENCIÓ Y EL NAVEGADOR DICE QUE NO ES SEGURA"),
        ("certificado ssl vencido", "el certificado ssl de la pagina vencio y el navegador dice que no es segura"),
        ("certificdo SSL vensido", "El sertificado SSL de la pajina venció y el navegador dise que no es segura"),
    ] {
        let s = m.predict(subject, body);
        assert_eq!(s.category, base.category, "{subject} / {body}: {s:?}");
    }
    assert_eq!(base.category, "server_security_config");
}

#[test]
fn clear_cases_in_other_styles() {
    let m = model();
    for (text, category) in [
        ("Che, ¿me podés decir cómo cambio la foto del banner? No encuentro la opción", "usage_question"),
        ("Please publish the attached press release on the news page", "software_administration"),
        ("Se nos borraron los productos por error, ¿pueden restaurar el backup de ayer?", "backup_restore"),
        ("Queremos mudar la web a un servidor nuevo en Azure", "server_structural_change"),
    ] {
        assert_eq!(m.predict("", text).category, category, "{text}");
    }
}

#[test]
fn the_model_round_trips_through_bytes() {
    let m = model();
    let bytes = m.to_bytes();
    let back = Model::from_bytes(&bytes).unwrap();
    let e = &Example::bundled()[3];
    assert_eq!(m.predict(&e.subject, &e.body), back.predict(&e.subject, &e.body));
    assert!(Model::from_bytes(b"{}").is_err());
}

#[test]
fn evaluation_figures_are_consistent() {
    let corpus = Example::bundled();
    let k = knowledge();
    let model = Model::train(&corpus[..200], &k);
    let r = evaluate(&model, &corpus[200..]);
    assert_eq!(r.n, 120);
    for v in [r.coverage_accuracy, r.category_macro_f1, r.not_covered_recall, r.priority_accuracy] {
        assert!((0.0..=1.0).contains(&v));
    }
    let total: usize = r.confusion.matrix.iter().flatten().sum();
    assert_eq!(total, 120);
    assert!(r.coverage_accuracy > 0.7, "{}", r.coverage_accuracy);
}

#[test]
fn prediction_time_of_a_2kb_text() {
    let m = model();
    let corpus = Example::bundled();
    let mut body = String::new();
    for e in corpus.iter().cycle().take(20) {
        if body.len() > 2048 {
            break;
        }
        body.push_str(&e.body);
    }
    body.truncate(body.char_indices().take_while(|(i, _)| *i < 2048).last().map_or(0, |(i, _)| i));
    let start = std::time::Instant::now();
    let runs = 20;
    for _ in 0..runs {
        std::hint::black_box(m.predict("Consulta", &body));
    }
    println!("prediction of a {} byte text: {:?} per request (this build profile)", body.len(), start.elapsed() / runs);
}

/// Cross-validated figures of the shipped model and the baseline (run in release:
/// `cargo test --release -p alcance-triage -- --ignored --nocapture`).
#[test]
#[ignore = "prints the figures for reports (run in release); `alcance triage eval --cross-validate 5` is the tested path"]
fn cross_validated_figures() {
    let corpus = Example::bundled();
    let k = knowledge();
    let variants = Example::parse_jsonl(include_str!("../data/variants.jsonl")).unwrap();
    for (name, options) in [("baseline", TrainOptions::baseline()), ("final", TrainOptions::default())] {
        let r = cross_validate_with(&corpus, &k, 5, 1, &options);
        println!(
            "{name}: 5-fold coverage {:.3} macro-F1 {:.3} nc-recall {:.3} priority {:.3} (category acc {:.3})",
            r.coverage_accuracy, r.category_macro_f1, r.not_covered_recall, r.priority_accuracy, r.category_accuracy
        );
        // Variants are rephrasings of dev requests: train without their sources so the figure
        // measures robustness to other styles, not memory of the original.
        let sources: Vec<String> = include_str!("../data/variants.jsonl")
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["source"].as_str().map(str::to_owned))
            .collect();
        let without: Vec<Example> = corpus.iter().filter(|e| !sources.contains(&e.id)).cloned().collect();
        let model = Model::train_with(&without, &k, &options);
        let v = evaluate(&model, &variants);
        println!(
            "{name}: variants (n={}, sources held out) coverage {:.3} macro-F1 {:.3} nc-recall {:.3} priority {:.3}",
            v.n, v.coverage_accuracy, v.category_macro_f1, v.not_covered_recall, v.priority_accuracy
        );
        if std::env::var("TRIAGE_MISTAKES").is_ok() {
            for m in r.mistakes.iter().chain(&v.mistakes) {
                println!(
                    "  {} {} -> {} | {} -> {}",
                    m.id, m.expected_category, m.predicted_category, m.expected_priority, m.predicted_priority
                );
            }
        }
    }
}
