//! `alcance triage`: evaluate and retrain the scope classifier from the command line.

use std::path::Path;

use alcance_triage::{Example, Model, PolicyKnowledge, Report};
use anyhow::{Context, anyhow};

use crate::{DbOptions, TriageCommand};

/// The policy the classifier learns from: --policy if given, else the built-in default.
fn knowledge(db: &DbOptions) -> anyhow::Result<PolicyKnowledge> {
    let text = match &db.policy {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("cannot read policy file {}", path.display()))?
        }
        None => alcance_app::policies::DEFAULT_POLICY.to_owned(),
    };
    let policy = alcance_domain::policy::Policy::from_toml(&text).map_err(|e| anyhow!("{e}"))?;
    let value = serde_json::to_value(&policy).context("cannot read the policy's categories")?;
    Ok(PolicyKnowledge::from_policy_json(&value))
}

fn read_examples(path: &Path) -> anyhow::Result<Vec<Example>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let examples = Example::parse_jsonl(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    if examples.is_empty() {
        return Err(anyhow!("{} has no labelled requests", path.display()));
    }
    Ok(examples)
}

pub fn run(db: &DbOptions, command: TriageCommand) -> anyhow::Result<()> {
    let knowledge = knowledge(db)?;
    match command {
        TriageCommand::Eval { file, json, cross_validate } => {
            let report = match (cross_validate, file) {
                (Some(k), file) => {
                    if k < 2 {
                        return Err(anyhow!("--cross-validate needs at least 2 folds"));
                    }
                    let examples = match file {
                        Some(path) => read_examples(&path)?,
                        None => Example::bundled(),
                    };
                    alcance_triage::cross_validate(&examples, &knowledge, k, 1)
                }
                (None, Some(path)) => {
                    let examples = read_examples(&path)?;
                    let model = Model::train(&Example::bundled(), &knowledge);
                    alcance_triage::evaluate(&model, &examples)
                }
                (None, None) => return Err(anyhow!("give a labelled FILE.jsonl, or --cross-validate K")),
            };
            let title = match cross_validate {
                Some(k) => format!("{k}-fold cross-validation"),
                None => "evaluation of the shipped model".to_owned(),
            };
            print_report(&title, &report, json)
        }
        TriageCommand::Train { .. } => Err(anyhow!("`triage train` needs the database")),
    }
}

/// `alcance triage train`: retrains from the bundled corpus and agents' decisions now.
pub async fn train(db: &DbOptions, app: &alcance_app::App, json: bool) -> anyhow::Result<()> {
    let outcome = alcance_app::triage_learning::retrain(app, "cli").await.map_err(|e| anyhow!("{e}"))?;
    let knowledge = knowledge(db)?;
    let report =
        tokio::task::spawn_blocking(move || alcance_triage::cross_validate(&Example::bundled(), &knowledge, 5, 1))
            .await
            .context("cross-validation failed")?;
    if json {
        println!("{}", serde_json::json!({"retraining": outcome, "bundled_cross_validation": report}));
        return Ok(());
    }
    println!(
        "Trained on {} labelled requests ({} from agents' decisions); {} agents' decisions held back to compare.",
        outcome.examples, outcome.agent_examples, outcome.holdout_size
    );
    if outcome.unchanged {
        println!("Nothing new to learn: the model in use ({}) is the same.", outcome.version);
    } else if outcome.activated {
        println!(
            "New model {} is active: {} per mille on the held-back slice (the previous one, {}, had {}).",
            outcome.version, outcome.candidate_score, outcome.active_version, outcome.active_score
        );
    } else {
        println!(
            "New model {} did worse on the held-back slice ({} vs {} per mille): {} stays active.",
            outcome.version, outcome.candidate_score, outcome.active_score, outcome.active_version
        );
    }
    println!();
    print_report("5-fold cross-validation on the bundled corpus", &report, false)
}

fn print_report(title: &str, r: &Report, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(r)?);
        return Ok(());
    }
    println!("{title}: {} requests", r.n);
    println!("  coverage accuracy     {:.3}", r.coverage_accuracy);
    println!("  not covered recall    {:.3}  (precision {:.3})", r.not_covered_recall, r.not_covered_precision);
    println!("  category accuracy     {:.3}", r.category_accuracy);
    println!("  category macro-F1     {:.3}", r.category_macro_f1);
    println!("  priority accuracy     {:.3}", r.priority_accuracy);
    println!();
    println!("  {:<26} {:>9} {:>7} {:>6} {:>7}", "category", "precision", "recall", "F1", "support");
    for c in &r.per_class {
        println!("  {:<26} {:>9.3} {:>7.3} {:>6.3} {:>7}", c.category, c.precision, c.recall, c.f1, c.support);
    }
    println!();
    println!("  confusion (rows: expected, columns: predicted)");
    let labels = &r.confusion.labels;
    for (i, label) in labels.iter().enumerate() {
        println!("  {:>3} {label}", i + 1);
    }
    let header: String = (1..=labels.len()).map(|i| format!("{i:>4}")).collect();
    println!("      {header}");
    for (i, row) in r.confusion.matrix.iter().enumerate() {
        let cells: String = row.iter().map(|n| if *n == 0 { "   .".to_owned() } else { format!("{n:>4}") }).collect();
        println!("  {:>3} {cells}", i + 1);
    }
    Ok(())
}
