use chrono::{TimeZone, Utc};

use super::*;

const DAMPING: Damping = Damping { failures_to_open: 3, successes_to_close: 2 };

fn down() -> Finding {
    Finding::Unreachable { code: "connect".into() }
}

fn run(findings: &[Finding], damping: Damping) -> Vec<Step> {
    let mut streak = Streak::default();
    findings
        .iter()
        .map(|f| {
            let (next, step) = streak.next(f, damping);
            streak = next;
            step
        })
        .collect()
}

#[test]
fn an_incident_opens_only_after_enough_failures_in_a_row() {
    let steps = run(&[down(), down(), Finding::Healthy, down(), down(), down(), down()], DAMPING);
    assert_eq!(
        steps,
        [Step::Count, Step::Count, Step::Count, Step::Count, Step::Count, Step::Open, Step::StillFailing]
    );
}

#[test]
fn an_incident_closes_only_after_enough_successes_in_a_row() {
    let healthy = Finding::Healthy;
    let steps = run(&[down(), down(), down(), healthy.clone(), down(), healthy.clone(), healthy.clone()], DAMPING);
    assert_eq!(
        steps,
        [Step::Count, Step::Count, Step::Open, Step::Count, Step::StillFailing, Step::Count, Step::Recover]
    );
}

#[test]
fn inconclusive_checks_leave_the_streak_alone() {
    let inconclusive = Finding::Inconclusive { code: "connect".into() };
    let steps = run(&[down(), inconclusive.clone(), down(), inconclusive, down()], DAMPING);
    assert_eq!(steps, [Step::Count, Step::Count, Step::Count, Step::Count, Step::Open]);
}

#[test]
fn a_damping_of_zero_behaves_as_one() {
    let steps = run(&[down(), Finding::Healthy], Damping { failures_to_open: 0, successes_to_close: 0 });
    assert_eq!(steps, [Step::Open, Step::Recover]);
}

#[test]
fn certificate_findings_follow_the_expiry_and_the_problems() {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap();
    let in_days = |d: i64| now + chrono::Duration::days(d) + chrono::Duration::hours(1);
    assert_eq!(certificate_finding(in_days(90), &[], now), Finding::Healthy);
    assert_eq!(certificate_finding(in_days(31), &[], now), Finding::Healthy);
    assert_eq!(certificate_finding(in_days(30), &[], now), Finding::CertificateExpiring { days_left: 30 });
    assert_eq!(certificate_finding(in_days(10), &[], now), Finding::CertificateExpiring { days_left: 10 });
    assert_eq!(certificate_finding(now - chrono::Duration::days(2), &[], now), Finding::CertificateExpired);
    assert_eq!(
        certificate_finding(in_days(200), &["hostname_mismatch"], now),
        Finding::CertificateInvalid { code: "hostname_mismatch".into() }
    );
    assert_eq!(certificate_finding(in_days(200), &["expired"], now), Finding::CertificateExpired);
}

#[test]
fn certificate_urgency_grows_towards_expiry() {
    let p = |d| Finding::CertificateExpiring { days_left: d }.priority();
    assert_eq!(
        [p(30), p(14), p(7), p(1), p(0)],
        [Priority::Low, Priority::Normal, Priority::High, Priority::Critical, Priority::Critical]
    );
    assert_eq!(Finding::CertificateExpiring { days_left: 9 }.category(), CATEGORY_SECURITY_CONFIG);
}

#[test]
fn thresholds_make_news_once_each() {
    assert_eq!(warning_threshold(31), None);
    assert_eq!(warning_threshold(30), Some(30));
    assert_eq!(warning_threshold(15), Some(30));
    assert_eq!(warning_threshold(14), Some(14));
    assert_eq!(warning_threshold(3), Some(7));
    assert_eq!(warning_threshold(0), Some(1));
    let f = Finding::CertificateExpiring { days_left: 12 };
    assert!(f.differs_from("certificate_expiring", Some(30)));
    assert!(!f.differs_from("certificate_expiring", Some(14)));
    assert!(!down().differs_from("connect", None));
    assert!(Finding::Unreachable { code: "timeout".into() }.differs_from("connect", None));
}

#[test]
fn findings_map_to_policy_categories() {
    assert_eq!(down().category(), CATEGORY_AVAILABILITY);
    assert_eq!(Finding::Slow { elapsed_ms: 900, threshold_ms: 500 }.category(), CATEGORY_ALERT);
    assert_eq!(Finding::HeartbeatMissed { last_ping: None }.category(), CATEGORY_BACKUP);
    assert_eq!(down().priority(), Priority::Critical);
    assert!(!Finding::Inconclusive { code: "x".into() }.is_failure());
}

#[test]
fn uptime_is_a_share_of_conclusive_checks() {
    assert_eq!(uptime_percent(0, 0), None);
    assert_eq!(uptime_percent(99, 100), Some(99.0));
}

fn http_input(target: &str) -> MonitorInput {
    MonitorInput { name: "Sitio web".into(), kind: "http".into(), target: target.into(), ..Default::default() }
}

#[test]
fn http_monitors_get_defaults_and_checked_fields() {
    let spec = http_input("https://camara.example.co/").validate(30).unwrap();
    assert_eq!(spec.method, "GET");
    assert_eq!(spec.expected_status, 200);
    assert_eq!(spec.interval_seconds, 60);
    assert_eq!(spec.damping, Damping { failures_to_open: 2, successes_to_close: 2 });
    for (target, field) in [("ftp://x", "target"), ("https://", "target"), ("", "target"), ("https://a b", "target")] {
        assert_eq!(http_input(target).validate(30).unwrap_err().field, field, "{target}");
    }
    let mut bad = http_input("http://x.example/");
    bad.interval_seconds = "5".into();
    let err = bad.validate(30).unwrap_err();
    assert_eq!((err.field.as_str(), err.code), ("interval_seconds", FieldErrorCode::OutOfRange));
    let mut bad = http_input("http://x.example/");
    bad.expected_status = "abc".into();
    assert_eq!(bad.validate(30).unwrap_err().field, "expected_status");
    let mut bad = http_input("http://x.example/");
    bad.category = "billing".into();
    assert_eq!(bad.validate(30).unwrap_err().field, "category");
    let mut bad = http_input("http://x.example/");
    bad.method = "DELETE".into();
    assert_eq!(bad.validate(30).unwrap_err().field, "method");
}

#[test]
fn tls_targets_accept_hosts_ports_and_urls() {
    let t = |s: &str| TlsTarget::parse(s).map(|t| (t.host, t.port));
    assert_eq!(t("camara.example.co"), Some(("camara.example.co".into(), 443)));
    assert_eq!(t("https://Camara.example.co:8443/x"), Some(("camara.example.co".into(), 8443)));
    assert_eq!(t("[::1]:4443"), Some(("::1".into(), 4443)));
    assert_eq!(t("localhost:0"), None);
    assert_eq!(t("bad host"), None);
    assert_eq!(t(""), None);
    let spec = MonitorInput {
        name: "Certificado".into(),
        kind: "tls".into(),
        target: "localhost:4443".into(),
        ..Default::default()
    }
    .validate(1)
    .unwrap();
    assert_eq!((spec.target.as_str(), spec.damping.failures_to_open), ("localhost:4443", 1));
}
