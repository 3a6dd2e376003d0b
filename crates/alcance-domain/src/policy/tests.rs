use super::*;

const DEFAULT: &str = include_str!("../../../../policy/default.toml");

#[test]
fn the_default_policy_reproduces_the_customers_policy() {
    let policy = Policy::from_toml(DEFAULT).unwrap();
    let covered = [
        "bug_fix",
        "usage_question",
        "minor_update",
        "server_availability",
        "server_security_config",
        "backup_restore",
        "server_alert",
    ];
    let not_covered = [
        "new_feature",
        "custom_modification",
        "server_structural_change",
        "post_acceptance_warranty",
        "software_administration",
    ];
    assert_eq!(policy.categories.len(), 12);
    for id in covered {
        assert_eq!(policy.coverage_of(id), Some(Coverage::Covered), "{id}");
    }
    for id in not_covered {
        assert_eq!(policy.coverage_of(id), Some(Coverage::NotCovered), "{id}");
    }
    let hours: Vec<&str> = policy.categories.iter().filter(|c| c.hour_packages).map(|c| c.id.as_str()).collect();
    assert_eq!(hours, ["new_feature", "custom_modification", "server_structural_change"]);
    let all_examples: Vec<&str> =
        policy.categories.iter().flat_map(|c| c.examples.iter().map(|e| e.es.as_str())).collect();
    assert!(all_examples.iter().any(|e| e.contains("certificados SSL")), "policy example 1.2 is missing");
    assert!(policy.categories.iter().all(|c| c.examples.len() >= 3));
    assert_eq!(policy.sla.critical.first_response, SlaSpan::Hours(1));
    assert_eq!(policy.sla.for_priority(Priority::Low).resolution, SlaSpan::Days(10));
    assert_eq!(policy.category("bug_fix").map(|c| c.label.get("en")), Some("Bug fixes"));
}

fn replace_once(from: &str, to: &str) -> String {
    assert!(DEFAULT.contains(from), "fixture text `{from}` not in the default policy");
    DEFAULT.replacen(from, to, 1)
}

fn line_containing(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1).unwrap()
}

#[test]
fn an_unknown_coverage_value_names_its_line_and_field() {
    let text = replace_once("coverage = \"covered\"", "coverage = \"cubierta\"");
    let err = Policy::from_toml(&text).unwrap_err();
    assert_eq!(err.line, line_containing(&text, "\"cubierta\""));
    assert_eq!(err.field, "coverage");
    assert!(err.message.contains("cubierta"), "{err}");
}

#[test]
fn a_missing_field_is_named() {
    let text = replace_once("clause = \"1.1\"", "");
    let err = Policy::from_toml(&text).unwrap_err();
    assert_eq!(err.field, "clause");
    assert!(err.line > 1, "{err}");
}

#[test]
fn a_misspelt_field_is_refused() {
    let text = replace_once("hour_packages = false", "hour_package = false");
    let err = Policy::from_toml(&text).unwrap_err();
    assert_eq!(err.field, "hour_package");
}

#[test]
fn covered_work_cannot_consume_hours() {
    let text = replace_once("hour_packages = false", "hour_packages = true");
    let err = Policy::from_toml(&text).unwrap_err();
    assert_eq!(err.field, "hour_packages");
    assert!(err.message.contains("covered"));
}

#[test]
fn a_category_defined_twice_is_refused() {
    let text = replace_once("id = \"usage_question\"", "id = \"bug_fix\"");
    let err = Policy::from_toml(&text).unwrap_err();
    assert_eq!(err.field, "id");
    assert!(err.message.contains("twice"), "{err}");
}

#[test]
fn sla_spans_must_have_a_unit() {
    let text = replace_once("first_response = \"1h\"", "first_response = \"1 hora\"");
    let err = Policy::from_toml(&text).unwrap_err();
    assert_eq!(err.field, "first_response");
    assert_eq!(err.line, line_containing(&text, "1 hora"));
    assert_eq!(SlaSpan::parse("30m"), Ok(SlaSpan::Minutes(30)));
    assert!(SlaSpan::parse("0h").is_err());
}

#[test]
fn broken_toml_names_the_line() {
    let err = Policy::from_toml("key = \"x\"\nversion = \n").unwrap_err();
    assert_eq!(err.line, 2);
}
