//! Figures for the agency's leads: hours bought, consumed and remaining per organisation and
//! month; quotes sent, accepted, rejected, the conversion rate and their value.

use std::collections::BTreeMap;

use alcance_domain::hours::LedgerEntryKind;
use alcance_domain::model::Id;
use alcance_domain::quote::QuoteStatus;
use alcance_store::repo::hours as hour_store;
use alcance_store::repo::{organizations, quotes};
use chrono::{DateTime, NaiveDate, Utc};

use crate::hours::today_in;
use crate::{Actor, App, AppError};

/// One organisation's hours in one month (in the organisation's time zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursMonth {
    pub organization_id: Id,
    pub organization: String,
    /// "2026-11".
    pub month: String,
    pub bought_minutes: i64,
    /// Consumed, reserved for quotes and expired, net of reversals and releases.
    pub used_minutes: i64,
    /// The balance at the end of the month (or now, for the current month).
    pub remaining_minutes: i64,
}

/// Hours per organisation and month for the months that had movements, from `from` on
/// (staff).
pub async fn hours_by_month(app: &App, actor: &Actor, from: NaiveDate) -> Result<Vec<HoursMonth>, AppError> {
    actor.require_staff()?;
    let start = from.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    let now = app.now();
    app.store
        .read(move |c| {
            Box::pin(async move {
                let orgs = organizations::list(c).await?;
                let entries = hour_store::ledger_between(c, start, now + chrono::Duration::seconds(1)).await?;
                let mut out = Vec::new();
                for org in orgs {
                    let mine: Vec<_> = entries.iter().filter(|e| e.organization_id == org.id).collect();
                    if mine.is_empty() {
                        continue;
                    }
                    let mut balance = hour_store::balance_before(c, org.id, start).await?;
                    let mut months: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
                    for e in mine {
                        let month = month_of(e.created_at, &org.time_zone);
                        balance += e.minutes;
                        let slot = months.entry(month).or_default();
                        match e.kind {
                            LedgerEntryKind::Purchase => slot.0 += e.minutes,
                            LedgerEntryKind::Adjustment if e.minutes > 0 => slot.0 += e.minutes,
                            _ => slot.1 -= e.minutes,
                        }
                        slot.2 = balance;
                    }
                    out.extend(months.into_iter().map(|(month, (bought, used, remaining))| HoursMonth {
                        organization_id: org.id,
                        organization: org.name.clone(),
                        month,
                        bought_minutes: bought,
                        used_minutes: used,
                        remaining_minutes: remaining,
                    }));
                }
                Ok(out)
            })
        })
        .await
}

fn month_of(at: DateTime<Utc>, time_zone: &str) -> String {
    today_in(time_zone, at).format("%Y-%m").to_string()
}

/// What became of the quotes sent in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteSummary {
    pub sent: i64,
    pub accepted: i64,
    pub rejected: i64,
    pub expired: i64,
    pub withdrawn: i64,
    /// Still waiting for the client.
    pub open: i64,
    /// Accepted out of those the client decided or let expire, 0-100; None before any.
    pub conversion_percent: Option<i64>,
    /// Per currency: total value sent and accepted (minor units, IVA included).
    pub value: BTreeMap<String, (i64, i64)>,
}

/// Quotes sent from `from` to `to` (days, both included, UTC) and what became of them (staff).
pub async fn quote_summary(app: &App, actor: &Actor, from: NaiveDate, to: NaiveDate) -> Result<QuoteSummary, AppError> {
    actor.require_staff()?;
    let all = app.store.read(|c| Box::pin(async move { quotes::list(c, None, 100_000).await })).await?;
    let mut s = QuoteSummary::default();
    for q in all {
        let Some(sent) = q.sent_at.map(|t| t.date_naive()) else { continue };
        if sent < from || sent > to {
            continue;
        }
        s.sent += 1;
        let value = s.value.entry(q.currency.clone()).or_default();
        value.0 += q.total_minor;
        match q.status {
            QuoteStatus::Accepted => {
                s.accepted += 1;
                value.1 += q.total_minor;
            }
            QuoteStatus::Rejected => s.rejected += 1,
            QuoteStatus::Expired => s.expired += 1,
            QuoteStatus::Withdrawn if q.decided_at.is_some() => {
                // Accepted, then the work was called off: it converted all the same.
                s.accepted += 1;
                s.withdrawn += 1;
            }
            QuoteStatus::Withdrawn => s.withdrawn += 1,
            QuoteStatus::Sent | QuoteStatus::Draft => s.open += 1,
        }
    }
    let decided = s.accepted + s.rejected + s.expired;
    s.conversion_percent = (decided > 0).then(|| (s.accepted * 100 + decided / 2) / decided);
    Ok(s)
}
