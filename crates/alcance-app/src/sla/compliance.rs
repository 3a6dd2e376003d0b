//! SLA compliance per organisation, priority and month.

use std::collections::HashMap;

use alcance_domain::model::Id;
use alcance_domain::sla::SlaState;
use alcance_domain::ticket::Priority;
use alcance_store::repo::organizations;
use alcance_store::repo::sla::Scope;
use chrono::{DateTime, Utc};

use super::Inputs;
use crate::{Actor, App, AppError};

/// Compliance of one organisation, priority and month (of the opening, in the contract's
/// time zone): targets met on time, breached (late or still open past due), and still
/// running, for first response and resolution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplianceLine {
    pub organization: String,
    /// "2026-03".
    pub month: String,
    pub priority: Option<Priority>,
    pub tickets: u32,
    pub first_response: Tally,
    pub resolution: Tally,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub met: u32,
    pub breached: u32,
    pub running: u32,
}

impl Tally {
    fn add(&mut self, state: SlaState) {
        match state {
            SlaState::Met => self.met += 1,
            SlaState::Breached => self.breached += 1,
            SlaState::Ok | SlaState::Warning => self.running += 1,
        }
    }

    /// Met among the decided (met or breached), as a whole percentage rounded down.
    pub fn met_percent(&self) -> Option<u32> {
        let decided = self.met + self.breached;
        (decided > 0).then(|| self.met * 100 / decided)
    }
}

/// The compliance report for tickets opened since `since`, newest month first, then by
/// organisation name and priority (critical first). Staff only.
pub async fn compliance(app: &App, actor: &Actor, since: DateTime<Utc>) -> Result<Vec<ComplianceLine>, AppError> {
    if !actor.is_staff() {
        return Err(AppError::NotFound);
    }
    let book = app.sla.book(app).await?;
    let now = app.now();
    let (inputs, orgs) = app
        .store
        .read(move |c| {
            Box::pin(async move {
                let inputs = Inputs::read(c, Scope::OpenedSince(since)).await?;
                Ok::<_, AppError>((inputs, organizations::list(c).await?))
            })
        })
        .await?;
    let names: HashMap<Id, String> = orgs.into_iter().map(|o| (o.id, o.name)).collect();
    let rank = |p: Priority| Priority::ALL.iter().position(|q| *q == p).unwrap_or(usize::MAX);
    let mut lines: HashMap<(String, Id, usize), ComplianceLine> = HashMap::new();
    for (ticket, clock) in inputs.clocks(&book, now) {
        let tz = book.calendar(inputs.contracts.get(&ticket.organization_id)).time_zone();
        let month = ticket.created_at.with_timezone(&tz).format("%Y-%m").to_string();
        let line = lines.entry((month.clone(), ticket.organization_id, rank(ticket.priority))).or_insert_with(|| {
            ComplianceLine {
                organization: names.get(&ticket.organization_id).cloned().unwrap_or_default(),
                month,
                priority: Some(ticket.priority),
                ..ComplianceLine::default()
            }
        });
        line.tickets += 1;
        line.first_response.add(clock.report.first_response.state);
        line.resolution.add(clock.report.resolution.state);
    }
    let mut lines: Vec<((String, Id, usize), ComplianceLine)> = lines.into_iter().collect();
    lines.sort_by(|(a, la), (b, lb)| {
        b.0.cmp(&a.0).then_with(|| la.organization.cmp(&lb.organization)).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    });
    Ok(lines.into_iter().map(|(_, line)| line).collect())
}
