//! `alcance triage`: evaluation of the shipped classifier and cross-validation on the corpus.

use std::process::Command;

use crate::support::{BIN, text};

const METRICS: [&str; 4] = ["coverage_accuracy", "category_macro_f1", "not_covered_recall", "priority_accuracy"];

fn check_report(stdout: &str, n: u64) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
    assert_eq!(report["n"].as_u64(), Some(n), "{report}");
    for key in METRICS {
        let v = report[key].as_f64().unwrap_or_else(|| panic!("{key} missing: {report}"));
        assert!((0.0..=1.0).contains(&v), "{key} = {v}");
    }
    assert!(report["per_class"].as_array().is_some_and(|a| a.len() == 12), "{report}");
    assert_eq!(report["confusion"]["matrix"].as_array().map(Vec::len), Some(12));
    report
}

#[test]
fn eval_prints_the_figures_as_json() {
    let dir = std::env::temp_dir().join(format!("alcance-triage-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("labelled.jsonl");
    let lines = [
        serde_json::json!({"id": "t1", "subject": "Se cayó la página", "body": "El sitio no carga desde esta mañana, sale error 502 y nadie puede entrar.", "coverage": "covered", "category": "server_availability", "priority": "critical"}),
        serde_json::json!({"id": "t2", "subject": "Módulo de facturación", "body": "Necesitamos un módulo nuevo de facturación electrónica conectado con la DIAN.", "coverage": "not_covered", "category": "new_feature", "priority": "normal"}),
        serde_json::json!({"id": "t3", "subject": "", "body": "¿Cómo hago para cambiar la foto del banner de la página de inicio?", "coverage": "covered", "category": "usage_question", "priority": "low"}),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, body).unwrap();

    let out = Command::new(BIN).args(["triage", "eval", "--json"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = check_report(&text(&out.stdout), 3);
    assert!(report["coverage_accuracy"].as_f64().unwrap() >= 2.0 / 3.0, "{report}");

    let readable = Command::new(BIN).args(["triage", "eval"]).arg(&file).output().unwrap();
    assert!(readable.status.success());
    let stdout = text(&readable.stdout);
    assert!(stdout.contains("macro-F1") && stdout.contains("server_availability"), "{stdout}");

    let missing = Command::new(BIN).args(["triage", "eval", "/nonexistent/file.jsonl"]).output().unwrap();
    assert!(!missing.status.success());
    assert!(!text(&missing.stderr).contains("panicked"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cross_validation_on_the_bundled_corpus() {
    let out = Command::new(BIN).args(["triage", "eval", "--cross-validate", "5", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = check_report(&text(&out.stdout), 320);
    assert!(report["coverage_accuracy"].as_f64().unwrap() > 0.75, "{report}");
}
