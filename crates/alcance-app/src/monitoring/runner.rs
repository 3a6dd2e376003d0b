//! Runs due checks. A server claims each due monitor by moving its `next_check_at` forward
//! (compare-and-set), so a check runs once per interval however many servers share the
//! database; the probes run outside any transaction, and each result is written in one
//! transaction with whatever incident and ticket change it causes.

use std::time::Duration as StdDuration;

use alcance_domain::model::Id;
use alcance_domain::monitor::{Damping, Finding, MonitorKind, Step, TlsTarget, certificate_finding, warning_threshold};
use alcance_probe::{HttpMethod, HttpProbe, Prober, TlsProbe};
use alcance_store::repo::monitors::{self, CheckResult, CheckRow, MonitorRow};
use alcance_store::repo::users;
use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use serde_json::json;

use super::incidents::{IncidentContext, Problem, Reported, report_problem, report_recovery};
use super::texts;
use crate::mail_templates::MailLang;
use crate::{App, AppError};

/// Monitors claimed per round; the rest wait for the next tick.
const BATCH: i64 = 50;
/// Heartbeats are looked at at least this often, whatever their period.
const HEARTBEAT_LOOK: i64 = 60;

/// What one probe saw.
struct Observation {
    finding: Finding,
    response_ms: Option<i64>,
    cert_not_after: Option<DateTime<Utc>>,
}

/// Claims the due monitors, checks them concurrently, records each result. Gives the
/// outcomes (monitor id and what the result did).
pub async fn run_due(app: &App, prober: &Prober) -> Result<Vec<(Id, Option<Reported>)>, AppError> {
    let now = app.now();
    let due = app.store.read(move |c| Box::pin(async move { monitors::due(c, now, BATCH).await })).await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let claimed = app
        .store
        .write(move |c| {
            Box::pin(async move {
                let mut claimed = Vec::new();
                for m in due {
                    let every = match m.kind {
                        MonitorKind::Heartbeat => m.interval_seconds.min(HEARTBEAT_LOOK),
                        _ => m.interval_seconds,
                    };
                    if monitors::claim(c, m.id, m.next_check_at, now + Duration::seconds(every.max(1))).await? {
                        claimed.push(m);
                    }
                }
                Ok::<_, AppError>(claimed)
            })
        })
        .await?;
    let observations = join_all(claimed.iter().map(|m| observe(prober, m, now))).await;
    let mut outcomes = Vec::new();
    for (monitor, observation) in claimed.into_iter().zip(observations) {
        let id = monitor.id;
        match record(app, monitor, observation).await {
            Ok(reported) => outcomes.push((id, reported)),
            Err(e) => tracing::error!(monitor = id, error = %e, "could not record a check"),
        }
    }
    Ok(outcomes)
}

async fn observe(prober: &Prober, m: &MonitorRow, now: DateTime<Utc>) -> Observation {
    let timeout = StdDuration::from_secs(m.timeout_seconds.clamp(1, 60) as u64);
    match m.kind {
        MonitorKind::Http => {
            let probe = HttpProbe {
                url: m.target.clone(),
                method: HttpMethod::parse(&m.method).unwrap_or(HttpMethod::Get),
                expected_status: u16::try_from(m.expected_status).unwrap_or(200),
                keyword: m.keyword.clone(),
                timeout,
            };
            let outcome = prober.http(&probe).await;
            let elapsed = i64::try_from(outcome.elapsed_ms).unwrap_or(i64::MAX);
            let finding = match (&outcome.failure, m.slow_ms) {
                (Some(failure), _) => Finding::Unreachable { code: failure.code().to_owned() },
                (None, Some(limit)) if elapsed > limit => {
                    Finding::Slow { elapsed_ms: outcome.elapsed_ms, threshold_ms: limit.max(0) as u64 }
                }
                (None, _) => Finding::Healthy,
            };
            // A site that never answered has no response time to chart.
            let response_ms = outcome.status.map(|_| elapsed);
            Observation { finding, response_ms, cert_not_after: None }
        }
        MonitorKind::Tls => {
            let Some(target) = TlsTarget::parse(&m.target) else {
                return inconclusive("invalid_target");
            };
            let outcome = prober.tls(&TlsProbe { host: target.host, port: target.port, timeout }).await;
            let response_ms = Some(i64::try_from(outcome.elapsed_ms).unwrap_or(i64::MAX));
            match outcome.result {
                Ok(cert) => {
                    let problems: Vec<&str> = cert.problems.iter().map(|p| p.code()).collect();
                    let finding = certificate_finding(cert.not_after, &problems, now);
                    Observation { finding, response_ms, cert_not_after: Some(cert.not_after) }
                }
                // Whether the server answers is the HTTP monitor's business.
                Err(failure) => inconclusive(failure.code()),
            }
        }
        MonitorKind::Heartbeat => {
            let since = m.last_ping_at.unwrap_or(m.created_at);
            let late = since + Duration::seconds(m.interval_seconds + m.grace_seconds) < now;
            let finding = if late { Finding::HeartbeatMissed { last_ping: m.last_ping_at } } else { Finding::Healthy };
            Observation { finding, response_ms: None, cert_not_after: None }
        }
    }
}

fn inconclusive(code: &str) -> Observation {
    Observation { finding: Finding::Inconclusive { code: code.to_owned() }, response_ms: None, cert_not_after: None }
}

/// Writes one check's result, and the incident step it causes, in one transaction.
async fn record(app: &App, claimed: MonitorRow, o: Observation) -> Result<Option<Reported>, AppError> {
    let ctx = IncidentContext::load(app, claimed.organization_id).await?;
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                // Settings may have changed since the claim; the streak is this row's own.
                let m = monitors::by_id(c, claimed.id).await?.ok_or(AppError::NotFound)?;
                let damping = Damping {
                    failures_to_open: u32::try_from(m.failures_to_open).unwrap_or(1),
                    successes_to_close: u32::try_from(m.successes_to_close).unwrap_or(1),
                };
                let (streak, step) = m.streak().next(&o.finding, damping);
                let code = o.finding.code();
                let conclusive = !matches!(o.finding, Finding::Inconclusive { .. });
                if conclusive {
                    let check = CheckRow {
                        checked_at: now,
                        ok: !o.finding.is_failure(),
                        response_ms: o.response_ms,
                        code: code.clone(),
                    };
                    monitors::insert_check(c, m.id, &check).await?;
                }
                let state = streak.state(conclusive || m.last_check_at.is_some());
                let result = CheckResult {
                    state,
                    streak,
                    response_ms: o.response_ms,
                    code: &code,
                    cert_not_after: o.cert_not_after,
                };
                monitors::record_result(c, m.id, &result, now).await?;
                let key = incident_key(m.id);
                let reported = match step {
                    Step::Count => None,
                    Step::Open | Step::StillFailing => {
                        let requester = users::by_id(c, m.created_by).await?;
                        let lang = MailLang::from_code(requester.as_ref().map_or("es", |u| u.language.as_str()));
                        let text = texts::for_finding(lang, &o.finding, &m.name, display_target(&m));
                        let problem = Problem {
                            organization_id: m.organization_id,
                            source: "monitor",
                            key: &key,
                            monitor_id: Some(m.id),
                            asset_id: m.asset_id,
                            requester_id: m.created_by,
                            subject: &text.subject,
                            body: &text.body,
                            category: m.category.as_deref().unwrap_or(o.finding.category()),
                            priority: o.finding.priority(),
                            code: &code,
                            threshold: match o.finding {
                                Finding::CertificateExpiring { days_left } => warning_threshold(days_left),
                                _ => None,
                            },
                            every_report: false,
                            details: json!({
                                "monitor": m.name,
                                "target": display_target(&m),
                                "detail": texts::detail(&o.finding, true),
                                "response_ms": o.response_ms,
                            }),
                        };
                        Some(report_problem(c, &ctx, &problem, now).await?)
                    }
                    Step::Recover => {
                        let details = json!({"monitor": m.name, "response_ms": o.response_ms});
                        Some(report_recovery(c, &ctx, m.organization_id, &key, details, now).await?)
                    }
                };
                Ok(reported)
            })
        })
        .await
}

/// The indexed key that ties a monitor to its open incident.
pub(crate) fn incident_key(monitor_id: Id) -> String {
    format!("monitor:{monitor_id}")
}

fn display_target(m: &MonitorRow) -> &str {
    match m.kind {
        MonitorKind::Heartbeat => "heartbeat",
        _ => &m.target,
    }
}

/// The monitor loop of `alcance serve`: runs due checks every `tick` until `stop` fires.
pub async fn run_forever(app: App, prober: Prober, tick: StdDuration, stop: tokio::sync::watch::Receiver<bool>) {
    let mut stop = stop;
    loop {
        if let Err(e) = run_due(&app, &prober).await {
            tracing::error!(error = %e, "the monitor runner could not reach the database");
        }
        tokio::select! {
            _ = tokio::time::sleep(tick) => {}
            _ = stop.changed() => return,
        }
    }
}
