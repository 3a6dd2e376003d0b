use chrono::TimeZone;
use proptest::prelude::*;
use serde_json::json;

use super::*;

/// Modelled on the payload documented for Alertmanager's `webhook_config` (version 4): one
/// group whose status is "firing" while its second alert has already resolved.
const AM_GROUP: &str = r#"{
  "version": "4",
  "groupKey": "{}/{severity=~\"critical|warning\"}:{alertname=\"HighCPU\"}",
  "truncatedAlerts": 0,
  "status": "firing",
  "receiver": "alcance",
  "groupLabels": {"alertname": "HighCPU"},
  "commonLabels": {"alertname": "HighCPU", "job": "node"},
  "commonAnnotations": {"runbook_url": "https://runbooks.example.com/cpu"},
  "externalURL": "http://alertmanager.example.com:9093",
  "alerts": [
    {
      "status": "firing",
      "labels": {"alertname": "HighCPU", "instance": "web-01:9100", "job": "node", "severity": "critical"},
      "annotations": {
        "summary": "CPU above 90% on web-01",
        "description": "CPU usage has been above 90% for 10 minutes.\nCheck the top processes.",
        "runbook_url": "https://runbooks.example.com/cpu"
      },
      "startsAt": "2026-03-16T09:02:03.157076-05:00",
      "endsAt": "0001-01-01T00:00:00Z",
      "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=cpu+%3E+0.9\u0026g0.tab=1",
      "fingerprint": "1a30ba71cca2921f"
    },
    {
      "status": "resolved",
      "labels": {"alertname": "HighCPU", "instance": "web-02:9100", "job": "node", "severity": "warning"},
      "annotations": {"summary": "CPU above 90% on web-02", "runbook_url": "https://runbooks.example.com/cpu"},
      "startsAt": "2026-03-16T13:40:00Z",
      "endsAt": "2026-03-16T14:05:00Z",
      "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=cpu+%3E+0.9\u0026g0.tab=1",
      "fingerprint": "5e2b6a1c9d0f7e34"
    }
  ]
}"#;

fn am(value: serde_json::Value) -> Result<Vec<AlertSignal>, AlertParseError> {
    parse_alertmanager(value.to_string().as_bytes())
}

fn am_one(alert: serde_json::Value) -> AlertSignal {
    let mut signals = am(json!({"version": "4", "status": "firing", "alerts": [alert]})).unwrap();
    assert_eq!(signals.len(), 1);
    signals.remove(0)
}

fn cmk(fields: &[(&str, &str)]) -> Result<AlertSignal, AlertParseError> {
    let owned: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    parse_checkmk(&owned)
}

fn hook(value: serde_json::Value) -> Result<AlertSignal, AlertParseError> {
    parse_webhook(value.to_string().as_bytes())
}

fn invalid_field(err: AlertParseError) -> String {
    assert_eq!(err.code(), "invalid_field", "{err}");
    err.field().to_owned()
}

/// What every signal promises, whatever came in.
fn assert_clean(signal: &AlertSignal) {
    let prefix = match signal.source {
        AlertSource::Alertmanager => "am:",
        AlertSource::Checkmk => "cmk:",
        AlertSource::Webhook => "hook:",
    };
    let bad = |c: char| c.is_control() || is_bidi_control(c);
    assert!(signal.key.starts_with(prefix) && signal.key.len() > prefix.len(), "{:?}", signal.key);
    assert!(signal.key.chars().count() <= KEY_MAX);
    assert!(!signal.title.is_empty() && signal.title.chars().count() <= TITLE_MAX, "{:?}", signal.title);
    assert!(!signal.details.is_empty() && signal.details.chars().count() <= DETAILS_MAX);
    for text in [&signal.key, &signal.title].into_iter().chain(&signal.category).chain(&signal.external_id) {
        assert!(!text.chars().any(bad), "{text:?}");
        assert_eq!(text.trim(), text.as_str());
    }
    assert!(!signal.details.chars().any(|c| c != '\n' && bad(c)), "{:?}", signal.details);
    assert!(signal.category.as_ref().is_none_or(|c| c.chars().count() <= CATEGORY_MAX));
}

#[test]
fn alertmanager_group_gives_one_signal_per_alert_with_its_own_status() {
    let signals = parse_alertmanager(AM_GROUP.as_bytes()).unwrap();
    assert_eq!(signals.len(), 2);
    let (cpu1, cpu2) = (&signals[0], &signals[1]);
    signals.iter().for_each(assert_clean);

    assert_eq!(cpu1.source, AlertSource::Alertmanager);
    assert_eq!(cpu1.key, "am:1a30ba71cca2921f");
    assert!(cpu1.firing);
    assert_eq!(cpu1.severity, AlertSeverity::Critical);
    assert_eq!(cpu1.severity.priority(), Priority::Critical);
    assert_eq!(cpu1.title, "[Alertmanager] HighCPU en web-01:9100");
    assert_eq!(
        cpu1.started_at,
        Some(Utc.with_ymd_and_hms(2026, 3, 16, 14, 2, 3).unwrap() + chrono::TimeDelta::microseconds(157_076))
    );
    assert_eq!(cpu1.category, None);
    assert_eq!(cpu1.external_id, None);
    let expected = "status: firing\n\
        summary: CPU above 90% on web-01\n\
        description:\nCPU usage has been above 90% for 10 minutes.\nCheck the top processes.\n\
        startsAt: 2026-03-16T14:02:03.157076Z\n\
        generatorURL: http://prometheus.example.com:9090/graph?g0.expr=cpu+%3E+0.9&g0.tab=1\n\
        receiver: alcance\n\
        externalURL: http://alertmanager.example.com:9093\n\
        labels:\n  alertname: HighCPU\n  instance: web-01:9100\n  job: node\n  severity: critical\n\
        annotations:\n  runbook_url: https://runbooks.example.com/cpu";
    assert_eq!(cpu1.details, expected);

    // The group says "firing"; this alert has resolved, and says when.
    assert!(!cpu2.firing);
    assert_eq!(cpu2.key, "am:5e2b6a1c9d0f7e34");
    assert_eq!(cpu2.severity, AlertSeverity::Normal);
    assert!(cpu2.details.contains("endsAt: 2026-03-16T14:05:00Z\n"), "{}", cpu2.details);
    assert!(!cpu1.details.contains("endsAt"), "a firing alert's zero endsAt is not shown");
}

#[test]
fn alertmanager_resolved_notification_keeps_the_key_of_the_firing_one() {
    let firing = parse_alertmanager(AM_GROUP.as_bytes()).unwrap();
    let resolved = AM_GROUP.replace(r#""status": "firing""#, r#""status": "resolved""#);
    let resolved = parse_alertmanager(resolved.as_bytes()).unwrap();
    assert!(resolved.iter().all(|s| !s.firing));
    assert_eq!(firing[0].key, resolved[0].key);
    assert_eq!(firing[0].title, resolved[0].title);
}

#[test]
fn alertmanager_without_fingerprint_computes_the_one_alertmanager_would_send() {
    // Reference values from Prometheus' `model.LabelSet.Fingerprint` tests.
    let signal =
        am_one(json!({"status": "firing", "labels": {"name": "garland, briggs", "fear": "love is not enough"}}));
    assert_eq!(signal.key, "am:507a62d79ee76c9a");
    assert_eq!(am_one(json!({"status": "firing"})).key, "am:cbf29ce484222325");
    // Empty or null fingerprints count as missing; the order of labels does not matter.
    let a = am_one(json!({"status": "firing", "fingerprint": "", "labels": {"a": "b", "c": "d"}}));
    let b = am_one(json!({"status": "resolved", "fingerprint": null, "labels": {"c": "d", "a": "b"}}));
    assert_eq!(a.key, b.key);
    let other = am_one(json!({"status": "firing", "labels": {"a": "bc", "c": "d"}}));
    assert_ne!(a.key, other.key);
    assert_eq!(a.title, "[Alertmanager] alert", "no alertname, no target");
}

#[test]
fn alertmanager_severity_label_maps_to_four_levels() {
    let cases = [
        ("critical", AlertSeverity::Critical),
        ("PAGE", AlertSeverity::Critical),
        ("emergency", AlertSeverity::Critical),
        ("alert", AlertSeverity::Critical),
        ("error", AlertSeverity::High),
        ("high", AlertSeverity::High),
        ("major", AlertSeverity::High),
        (" warning ", AlertSeverity::Normal),
        ("warn", AlertSeverity::Normal),
        ("minor", AlertSeverity::Normal),
        ("info", AlertSeverity::Low),
        ("none", AlertSeverity::Low),
        ("low", AlertSeverity::Low),
        ("P3", AlertSeverity::High),
        ("", AlertSeverity::High),
    ];
    for (label, expected) in cases {
        let signal = am_one(json!({"status": "firing", "labels": {"alertname": "X", "severity": label}}));
        assert_eq!(signal.severity, expected, "{label:?}");
    }
    assert_eq!(am_one(json!({"status": "firing"})).severity, AlertSeverity::High);
}

#[test]
fn alertmanager_title_target_and_category() {
    let title = |labels: serde_json::Value| am_one(json!({"status": "firing", "labels": labels})).title;
    assert_eq!(
        title(json!({"alertname": "DiskFull", "host": "db-1", "job": "node"})),
        "[Alertmanager] DiskFull en db-1"
    );
    assert_eq!(title(json!({"alertname": "DiskFull", "job": "node"})), "[Alertmanager] DiskFull en node");
    assert_eq!(title(json!({"alertname": "Watchdog"})), "[Alertmanager] Watchdog");

    let category = |alert: serde_json::Value| am_one(alert).category;
    let labels = json!({"alertname": "X", "category": "other", "alcance_category": " server_alert "});
    assert_eq!(category(json!({"status": "firing", "labels": labels})).as_deref(), Some("server_alert"));
    let annotations = json!({"category": "backup_restore"});
    assert_eq!(category(json!({"status": "firing", "annotations": annotations})).as_deref(), Some("backup_restore"));
    assert_eq!(category(json!({"status": "firing", "labels": {"category": "  "}})), None);
}

#[test]
fn alertmanager_errors_name_the_field() {
    let err = am(json!({"version": "4"})).unwrap_err();
    assert_eq!((err.code(), err.field()), ("missing_field", "alerts"));
    assert_eq!(err.to_string(), "alerts: required, but missing or empty");
    assert_eq!(invalid_field(am(json!({"alerts": {}})).unwrap_err()), "alerts");
    assert_eq!(invalid_field(am(json!({"alerts": [{"status": "firing"}, 3]})).unwrap_err()), "alerts[1]");

    let alerts = json!({"alerts": [{"status": "firing"}, {"status": "resolved"}, {"labels": {"alertname": "X"}}]});
    let err = am(alerts).unwrap_err();
    assert_eq!(err, AlertParseError::Missing("alerts[2].status".into()));

    let err = am(json!({"alerts": [{"status": "pending"}]})).unwrap_err();
    assert_eq!(err.to_string(), r#"alerts[0].status: expected "firing" or "resolved", got "pending""#);
    let err = am(json!({"alerts": [{"status": "firing", "labels": {"team": ["a"]}}]})).unwrap_err();
    assert_eq!(invalid_field(err), "alerts[0].labels.team");
    let err = am(json!({"alerts": [{"status": "firing", "annotations": "x"}]})).unwrap_err();
    assert_eq!(invalid_field(err), "alerts[0].annotations");
    let err = am(json!({"alerts": [{"status": "firing", "startsAt": "yesterday"}]})).unwrap_err();
    assert_eq!(invalid_field(err), "alerts[0].startsAt");
    let err = am(json!({"alerts": [{"status": "firing", "fingerprint": 12}]})).unwrap_err();
    assert_eq!(err.to_string(), "alerts[0].fingerprint: expected a string");
    assert_eq!(invalid_field(am(json!({"alerts": [], "truncatedAlerts": -1})).unwrap_err()), "truncatedAlerts");
    assert_eq!(invalid_field(am(json!([])).unwrap_err()), "body");
}

#[test]
fn alertmanager_accepts_at_most_100_alerts() {
    let alert = json!({"status": "firing", "labels": {"alertname": "X"}});
    let hundred = vec![alert.clone(); MAX_ALERTS];
    assert_eq!(am(json!({"alerts": hundred})).unwrap().len(), 100);
    let err = am(json!({"alerts": vec![alert; MAX_ALERTS + 1]})).unwrap_err();
    assert_eq!(err, AlertParseError::TooMany { count: 101, max: 100 });
    assert_eq!((err.code(), err.field()), ("too_many", "alerts"));
    assert_eq!(err.to_field_error().detail.as_deref(), Some("100"));
    assert_eq!(am(json!({"alerts": []})).unwrap(), vec![]);
}

#[test]
fn alertmanager_keeps_non_string_label_values_as_text() {
    let signal =
        am_one(json!({"status": "firing", "labels": {"alertname": "X", "port": 443, "tls": true, "gone": null}}));
    assert!(signal.details.contains("  port: 443\n  tls: true"), "{}", signal.details);
    assert!(!signal.details.contains("gone"));
}

#[test]
fn checkmk_host_down_and_up() {
    let down =
        cmk(&[("event_id", "4711"), ("host", " WEB-01 "), ("state", "DOWN"), ("output", "PING CRITICAL - 100% loss")])
            .unwrap();
    assert_clean(&down);
    let expected = AlertSignal {
        source: AlertSource::Checkmk,
        key: "cmk:web-01".into(),
        firing: true,
        severity: AlertSeverity::Critical,
        title: "[Checkmk] WEB-01: DOWN".into(),
        details: "host: WEB-01\nstate: DOWN\noutput: PING CRITICAL - 100% loss\nevent_id: 4711".into(),
        category: None,
        external_id: Some("4711".into()),
        started_at: None,
    };
    assert_eq!(down, expected);

    let up = cmk(&[("host", "web-01"), ("state", "up")]).unwrap();
    assert_eq!(up.key, down.key);
    assert!(!up.firing);
    assert_eq!(up.external_id, None);
    let unreachable = cmk(&[("host", "web-01"), ("state", "UNREACH")]).unwrap();
    assert_eq!((unreachable.firing, unreachable.severity), (true, AlertSeverity::Critical));
}

#[test]
fn checkmk_service_critical_then_ok() {
    let crit = cmk(&[
        ("host", "db-1"),
        ("service", "Disk /var"),
        ("state", "CRIT"),
        ("text", "92% used\n(warn/crit at 80%/90%)"),
    ])
    .unwrap();
    assert_clean(&crit);
    assert_eq!(crit.key, "cmk:db-1/Disk /var");
    assert_eq!(crit.title, "[Checkmk] Disk /var en db-1: CRITICAL");
    assert_eq!(crit.severity, AlertSeverity::Critical);
    assert!(crit.firing);
    assert_eq!(
        crit.details,
        "host: db-1\nservice: Disk /var\nstate: CRITICAL\noutput:\n92% used\n(warn/crit at 80%/90%)"
    );

    let ok = cmk(&[("HOST", "DB-1"), ("Service", "Disk /var"), ("State", "OK"), ("text", "45% used")]).unwrap();
    assert_eq!(ok.key, crit.key, "field names and host case do not matter");
    assert!(!ok.firing);
    assert_eq!(ok.severity, AlertSeverity::Normal);

    for (state, firing, severity) in
        [("WARNING", true, AlertSeverity::Normal), ("unknown", true, AlertSeverity::Normal)]
    {
        let signal = cmk(&[("host", "h"), ("service", "s"), ("state", state)]).unwrap();
        assert_eq!((signal.firing, signal.severity), (firing, severity), "{state}");
    }
}

#[test]
fn checkmk_numeric_states_follow_the_object() {
    let service = |state| cmk(&[("host", "h"), ("service", "CPU"), ("state", state)]).unwrap();
    let cases = [("0", false, "OK"), ("1", true, "WARNING"), ("2", true, "CRITICAL"), ("3", true, "UNKNOWN")];
    for (state, firing, name) in cases {
        let signal = service(state);
        assert_eq!(signal.firing, firing, "{state}");
        assert!(signal.title.ends_with(name), "{}", signal.title);
    }
    assert_eq!(service("2").severity, AlertSeverity::Critical);
    assert_eq!(service("1").severity, AlertSeverity::Normal);

    let host = |state| cmk(&[("host", "h"), ("state", state)]);
    assert_eq!(host("0").unwrap().title, "[Checkmk] h: UP");
    assert_eq!(host("1").unwrap().severity, AlertSeverity::Critical, "host state 1 is DOWN");
    assert_eq!(host("2").unwrap().title, "[Checkmk] h: UNREACHABLE");
    assert_eq!(invalid_field(host("3").unwrap_err()), "state");
}

#[test]
fn checkmk_errors_and_overrides() {
    assert_eq!(cmk(&[("state", "DOWN")]).unwrap_err(), AlertParseError::Missing("host".into()));
    assert_eq!(cmk(&[("host", " \t "), ("state", "DOWN")]).unwrap_err(), AlertParseError::Missing("host".into()));
    assert_eq!(cmk(&[("host", "h")]).unwrap_err(), AlertParseError::Missing("state".into()));
    let err = cmk(&[("host", "h"), ("state", "FLAPPING")]).unwrap_err();
    assert_eq!(err.field(), "state");
    assert!(err.to_string().ends_with(r#"got "FLAPPING""#), "{err}");
    assert_eq!(invalid_field(cmk(&[("host", "h"), ("state", "4")]).unwrap_err()), "state");

    let low = cmk(&[("host", "h"), ("state", "DOWN"), ("severity", "Low"), ("category", "server_alert")]).unwrap();
    assert_eq!(low.severity, AlertSeverity::Low);
    assert_eq!(low.category.as_deref(), Some("server_alert"));
    let err = cmk(&[("host", "h"), ("state", "DOWN"), ("severity", "disaster")]).unwrap_err();
    assert_eq!(err.to_string(), r#"severity: expected critical, high, normal, low, got "disaster""#);
    // The first non-empty occurrence counts, like a form with a blank duplicate.
    let dup = cmk(&[("host", ""), ("host", "real"), ("state", "DOWN"), ("state", "UP")]).unwrap();
    assert_eq!((dup.key.as_str(), dup.firing), ("cmk:real", true));
}

#[test]
fn webhook_firing_and_resolved() {
    let firing = hook(json!({
        "key": "backup-nightly/srv-3",
        "status": "firing",
        "severity": "critical",
        "title": "Nightly backup failed on srv-3",
        "details": "rsync exit code 23\nsee /var/log/backup.log",
        "category": "backup_restore",
        "extra": {"ignored": true}
    }))
    .unwrap();
    assert_clean(&firing);
    let expected = AlertSignal {
        source: AlertSource::Webhook,
        key: "hook:backup-nightly/srv-3".into(),
        firing: true,
        severity: AlertSeverity::Critical,
        title: "Nightly backup failed on srv-3".into(),
        details: "rsync exit code 23\nsee /var/log/backup.log".into(),
        category: Some("backup_restore".into()),
        external_id: None,
        started_at: None,
    };
    assert_eq!(firing, expected);

    let resolved = hook(json!({"key": "backup-nightly/srv-3", "status": "OK", "summary": "Backup ok"})).unwrap();
    assert_eq!(resolved.key, firing.key);
    assert!(!resolved.firing);
    assert_eq!(resolved.severity, AlertSeverity::High, "default severity");
    assert_eq!((resolved.title.as_str(), resolved.details.as_str()), ("Backup ok", "Backup ok"));
    assert!(hook(json!({"key": "k", "status": "Problem", "title": "t"})).unwrap().firing);
    assert!(!hook(json!({"key": "k", "status": "resolved", "title": "t"})).unwrap().firing);
}

#[test]
fn webhook_errors_name_the_field() {
    let missing = |body: serde_json::Value| hook(body).unwrap_err();
    assert_eq!(missing(json!({"status": "firing", "title": "t"})), AlertParseError::Missing("key".into()));
    assert_eq!(
        missing(json!({"key": " \u{0} ", "status": "firing", "title": "t"})),
        AlertParseError::Missing("key".into())
    );
    assert_eq!(missing(json!({"key": "k", "title": "t"})), AlertParseError::Missing("status".into()));
    assert_eq!(
        missing(json!({"key": "k", "status": "firing", "summary": ""})),
        AlertParseError::Missing("title".into())
    );
    assert_eq!(invalid_field(missing(json!({"key": 7, "status": "firing", "title": "t"}))), "key");
    assert_eq!(invalid_field(missing(json!({"key": "k", "status": "on", "title": "t"}))), "status");
    assert_eq!(
        invalid_field(missing(json!({"key": "k", "status": "firing", "title": "t", "severity": "p1"}))),
        "severity"
    );
    assert_eq!(
        invalid_field(missing(json!({"key": "k", "status": "firing", "title": "t", "details": ["x"]}))),
        "details"
    );

    let err = parse_webhook(b"{\"key\": \"k\",").unwrap_err();
    assert!(matches!(err, AlertParseError::Json(_)));
    assert_eq!((err.code(), err.field()), ("invalid_json", "body"));
    assert!(err.to_string().starts_with("body: not valid JSON: "), "{err}");
    assert_eq!(parse_webhook(b"\xff\xfe").unwrap_err().code(), "invalid_json");
    assert_eq!(invalid_field(parse_webhook(b"\"just a string\"").unwrap_err()), "body");
    assert_eq!(err.to_field_error().code, FieldErrorCode::Invalid);
    assert_eq!(AlertParseError::Missing("key".into()).to_field_error().code, FieldErrorCode::Required);
}

#[test]
fn lengths_are_capped_on_char_boundaries() {
    let long_title = "ñ".repeat(400);
    let long_details = "línea ".repeat(2_000);
    let signal = hook(json!({"key": "k", "status": "firing", "title": long_title, "details": long_details})).unwrap();
    assert_eq!(signal.title.chars().count(), TITLE_MAX);
    assert!(signal.title.ends_with("ñ…"));
    assert_eq!(signal.details.chars().count(), DETAILS_MAX);
    assert!(signal.details.ends_with('…'));

    let signal = am_one(json!({"status": "firing", "labels": {"alertname": "A".repeat(300), "instance": "i"}}));
    assert_eq!(signal.title.chars().count(), TITLE_MAX);
    let signal = am_one(json!({"status": "firing", "annotations": {"description": "x".repeat(10_000)}}));
    assert_eq!(signal.details.chars().count(), DETAILS_MAX);

    // Long keys keep their start and stay distinct and stable through a hash of the whole.
    let key_a = format!("{}a", "é".repeat(300));
    let key_b = format!("{}b", "é".repeat(300));
    let a = hook(json!({"key": key_a, "status": "firing", "title": "t"})).unwrap();
    let b = hook(json!({"key": key_b, "status": "firing", "title": "t"})).unwrap();
    assert_eq!(a.key.chars().count(), KEY_MAX);
    assert!(a.key.starts_with("hook:éé"));
    assert_ne!(a.key, b.key);
    assert_eq!(a.key, hook(json!({"key": key_a, "status": "ok", "title": "u"})).unwrap().key);
    let exact = "k".repeat(KEY_MAX - "hook:".len());
    assert_eq!(hook(json!({"key": exact, "status": "firing", "title": "t"})).unwrap().key, format!("hook:{exact}"));

    let host = "h".repeat(500);
    let signal =
        cmk(&[("host", &host), ("service", &"s".repeat(500)), ("state", "2"), ("event_id", &"9".repeat(500))]).unwrap();
    assert_clean(&signal);
    assert_eq!(signal.external_id.map(|id| id.chars().count()), Some(EXTERNAL_ID_MAX));
}

#[test]
fn control_characters_are_removed_and_line_breaks_kept_in_details() {
    let signal = hook(json!({
        "key": "disk\u{0}/\u{1b}[31mred",
        "status": "firing",
        "title": "  Disk\tfull\r\non \u{202e}10-bd\u{7}  ",
        "details": "line 1\r\nline 2\rline 3\u{0}\u{8}\n\n\n\n\n\tindented\u{2066}",
    }))
    .unwrap();
    assert_clean(&signal);
    assert_eq!(signal.key, "hook:disk/[31mred");
    assert_eq!(signal.title, "Disk full on 10-bd");
    assert_eq!(signal.details, "line 1\nline 2\nline 3\n\n\n indented");

    let signal =
        cmk(&[("host", "web\n01"), ("service", "HTTP\u{7f}"), ("state", "CRIT\n"), ("text", "a\u{0}b")]).unwrap();
    assert_eq!((signal.key.as_str(), signal.title.as_str()), ("cmk:web 01/HTTP", "[Checkmk] HTTP en web 01: CRITICAL"));
    assert!(signal.details.ends_with("output: ab"));

    let signal = am_one(json!({"status": "firing", "labels": {"alertname": "Bad\nName", "instance": "x\u{202d}y"}}));
    assert_eq!(signal.title, "[Alertmanager] Bad Name en xy");
    assert!(signal.details.contains("  alertname: Bad Name\n"), "{}", signal.details);
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 _./:-]{0,40}",
        "[\\x00-\\x1f\u{202e}\u{2066} a\n\r\t]{0,20}",
        proptest::collection::vec(any::<char>(), 0..600).prop_map(String::from_iter),
    ]
}

fn labels() -> impl Strategy<Value = std::collections::BTreeMap<String, String>> {
    let name =
        prop_oneof![Just("alertname".to_owned()), Just("severity".to_owned()), Just("instance".to_owned()), text()];
    proptest::collection::btree_map(name, text(), 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn json_parsers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(signals) = parse_alertmanager(&bytes) {
            signals.iter().for_each(assert_clean);
        }
        if let Ok(signal) = parse_webhook(&bytes) {
            assert_clean(&signal);
        }
    }

    #[test]
    fn well_formed_alertmanager_payloads_always_parse_clean(
        alerts in proptest::collection::vec((any::<bool>(), labels(), labels(), proptest::option::of(text())), 0..5),
    ) {
        let alerts: Vec<_> = alerts
            .iter()
            .map(|(firing, labels, annotations, fingerprint)| json!({
                "status": if *firing { "firing" } else { "resolved" },
                "labels": labels,
                "annotations": annotations,
                "fingerprint": fingerprint,
            }))
            .collect();
        let signals = am(json!({"version": "4", "alerts": alerts})).unwrap();
        prop_assert_eq!(signals.len(), alerts.len());
        signals.iter().for_each(assert_clean);
    }

    #[test]
    fn webhook_with_arbitrary_text_parses_clean_or_names_the_field(key in text(), title in text(), details in text(), category in text()) {
        let body = json!({"key": key, "status": "firing", "title": title, "details": details, "category": category});
        match hook(body) {
            Ok(signal) => assert_clean(&signal),
            Err(err) => prop_assert!(matches!(err.field(), "key" | "title"), "{}", err),
        }
    }

    #[test]
    fn checkmk_never_panics_on_arbitrary_fields(
        fields in proptest::collection::vec(
            (prop_oneof![Just("host".to_owned()), Just("state".to_owned()), Just("service".to_owned()),
                         Just("text".to_owned()), Just("severity".to_owned()), Just("event_id".to_owned()), text()],
             prop_oneof![Just("DOWN".to_owned()), Just("2".to_owned()), Just("critical".to_owned()), text()]),
            0..8),
    ) {
        match parse_checkmk(&fields) {
            Ok(signal) => assert_clean(&signal),
            Err(err) => prop_assert!(["host", "state", "severity"].contains(&err.field()), "{}", err),
        }
    }
}
