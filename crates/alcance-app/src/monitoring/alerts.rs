//! Alerts posted by external monitoring tools (Prometheus Alertmanager, Checkmk/Nagios/
//! Icinga/Zabbix notification scripts, generic webhooks) with an organisation's integration
//! token. Firing alerts open or continue incidents; resolved ones end them.

use alcance_domain::alerts::AlertSignal;
use alcance_domain::model::Id;
use alcance_domain::monitor::{CATEGORY_ALERT, incident_category};
use alcance_store::repo::incidents;
use serde_json::json;

use super::incidents::{IncidentContext, Problem, Reported, report_problem, report_recovery};
use crate::{App, AppError, secrets};

/// The organisation a live integration token belongs to, and who created it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Integration {
    pub token_id: Id,
    pub organization_id: Id,
    pub created_by: Id,
}

/// Finds the integration of a bearer token; an unknown or revoked token is `Unauthenticated`.
pub async fn authenticate(app: &App, token: &str) -> Result<Integration, AppError> {
    let hash = secrets::digest(token.trim());
    let found = app.store.read(move |c| Box::pin(async move { incidents::token_by_hash(c, &hash).await })).await?;
    let t = found.ok_or(AppError::Unauthenticated)?;
    Ok(Integration { token_id: t.id, organization_id: t.organization_id, created_by: t.created_by })
}

/// Applies a batch of signals from one notification, all in one transaction: a payload is
/// taken whole or not at all, so a retried notification never half-applies.
pub async fn receive(
    app: &App,
    integration: Integration,
    signals: Vec<AlertSignal>,
) -> Result<Vec<Reported>, AppError> {
    // A category hint that is not a monitoring category is refused, naming the field.
    for (i, s) in signals.iter().enumerate() {
        if let Some(category) = &s.category {
            incident_category(&format!("alerts[{i}].category"), category)?;
        }
    }
    let ctx = IncidentContext::load(app, integration.organization_id).await?;
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                incidents::touch_token(c, integration.token_id, now).await?;
                let mut results = Vec::with_capacity(signals.len());
                for s in &signals {
                    // The parser's keys ("am:…", "cmk:host/service", "hook:…") already
                    // differ by source.
                    let key = s.key.as_str();
                    let details = json!({
                        "source": s.source.as_str(),
                        "external_id": s.external_id,
                        "started_at": s.started_at,
                        "details": s.details,
                    });
                    let reported = if s.firing {
                        let category = s.category.as_deref().and_then(|c| incident_category("category", c).ok());
                        let body = format!("{}\n\n```\n{}\n```", s.title, s.details);
                        let problem = Problem {
                            organization_id: integration.organization_id,
                            source: s.source.as_str(),
                            key,
                            monitor_id: None,
                            asset_id: None,
                            requester_id: integration.created_by,
                            subject: &s.title,
                            body: &body,
                            category: category.unwrap_or(CATEGORY_ALERT),
                            priority: s.severity.priority(),
                            code: s.severity.priority().as_str(),
                            threshold: None,
                            details,
                            every_report: true,
                        };
                        report_problem(c, &ctx, &problem, now).await?
                    } else {
                        report_recovery(c, &ctx, integration.organization_id, key, details, now).await?
                    };
                    results.push(reported);
                }
                Ok(results)
            })
        })
        .await
}
