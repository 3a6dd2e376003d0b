//! The SLA clock of a ticket, computed from its history: pure, no clock of its own (the caller
//! passes `now`).
//!
//! Three targets per priority come from the policy ([`SlaTarget`]): first response, update
//! (the longest a ticket may go without a public update from an agent) and resolution. The
//! policy's `clock` says how each is counted:
//! * `calendar`: wall-clock time, 24x7, holidays included: "1 h / 8 h" for critical;
//! * `business`: only working time of the contract's [`BusinessCalendar`]: "8 business hours".
//!   There "1d" is one business day of the calendar ([`BusinessCalendar::business_day`], 10 h
//!   for Monday-Friday 08:00-18:00), so "2d" from Tuesday 10:00 is due Thursday 10:00.
//!
//! Rules:
//! * **Pauses.** While the ticket is in a pausing status (default [`DEFAULT_PAUSING`]) or
//!   closed, no target accrues time. When the ticket comes back (the client replies) every
//!   target's due instant has moved by the time spent waiting, measured on its own clock.
//! * **First response** runs from the opening to the first public agent reply.
//! * **Update** starts at the first public agent reply (before it, the first-response target
//!   is the one that matters) and runs from the latest public agent update. It never stops;
//!   it is breached while the current silence is longer than the target.
//! * **Resolution** runs from the opening to the moment the ticket became resolved (or closed).
//! * **Reopening** (resolved or closed back to any other status) restarts the resolution
//!   target with its full length from the reopening, and the update target from the reopening
//!   too, so a reopened ticket never starts out breached.
//! * **Due and breach.** The due instant is where the accrued time reaches the target; for a
//!   target still running or paused it is projected from `now` ("if the clock runs from now").
//!   A target is breached when the ticket was active (not paused) at any moment after its due
//!   instant before it was met. So a business target reached Friday 18:00 and answered Monday
//!   08:00 is breached although no business time accrued over the weekend, while one reached
//!   exactly when the ticket went to "waiting on client" and answered during the wait is met.
//! * **Warning** when the accrued time is at least `warning_percent` (default 80 %) of the
//!   target. `time_left` is target minus accrued time on the target's own clock (business time
//!   for business targets), negative once accrued time exceeds the target.

use chrono::{DateTime, TimeDelta, Utc};

use crate::calendar::BusinessCalendar;
use crate::policy::{SlaClock, SlaSpan, SlaTarget, SlaTargets};
use crate::ticket::{Priority, Status};

crate::string_enum!(
    SlaMetric {
        FirstResponse => "first_response",
        Update => "update",
        Resolution => "resolution",
    }
);

crate::string_enum!(
    SlaState {
        /// Running or paused, below the warning threshold.
        Ok => "ok",
        /// Running or paused, at or above the warning threshold, not breached.
        Warning => "warning",
        /// Due instant passed while the ticket was active (met late, or still open).
        Breached => "breached",
        /// Met on time.
        Met => "met",
    }
);

/// Statuses that pause every target: the ball is in the client's court, or the work waits for
/// the client's decision on a not-covered request, or the solution awaits confirmation.
pub const DEFAULT_PAUSING: [Status; 5] =
    [Status::WaitingOnClient, Status::AwaitingDecision, Status::QuoteRequested, Status::Quoted, Status::Resolved];

pub const DEFAULT_WARNING_PERCENT: u32 = 80;

fn target(clock: SlaClock, first_response: SlaSpan, update: SlaSpan, resolution: SlaSpan) -> SlaTarget {
    SlaTarget { clock, first_response, update, resolution }
}

/// Default targets, the same as `policy/default.toml` (a test keeps them equal):
///
/// | priority | clock | first response | update | resolution |
/// |---|---|---|---|---|
/// | critical | wall clock 24x7 | 1 h | 2 h | 8 h |
/// | high | business | 4 h | 8 h | 2 days |
/// | normal | business | 8 h | 2 days | 5 days |
/// | low | business | 2 days | 5 days | 10 days |
pub fn default_targets() -> SlaTargets {
    use SlaSpan::{Days, Hours};
    SlaTargets {
        critical: target(SlaClock::Calendar, Hours(1), Hours(2), Hours(8)),
        high: target(SlaClock::Business, Hours(4), Hours(8), Days(2)),
        normal: target(SlaClock::Business, Hours(8), Days(2), Days(5)),
        low: target(SlaClock::Business, Days(2), Days(5), Days(10)),
    }
}

/// One entry of the ticket's status history: from `at` on, the ticket was in `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub at: DateTime<Utc>,
    pub status: Status,
}

/// What the SLA clock needs to know about a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketTimeline {
    /// In time order; the first entry is the opening (usually `new`).
    pub history: Vec<StatusChange>,
    pub first_agent_reply: Option<DateTime<Utc>>,
    pub last_agent_update: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlaError {
    #[error("the ticket has no status history at or before the evaluation instant")]
    NoHistory,
    #[error("status history entry {index} is earlier than the one before it")]
    OutOfOrder { index: usize },
}

/// How one target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaMeasure {
    pub metric: SlaMetric,
    pub clock: SlaClock,
    /// The target's length on its clock.
    pub target: TimeDelta,
    /// When this target's clock started (the opening, a reopening, the last agent update).
    pub started_at: DateTime<Utc>,
    /// When the target is (or was) due; projected from `now` while it is not reached yet.
    pub due: DateTime<Utc>,
    /// When the target was met (reply given, ticket resolved); `None` while it runs.
    pub met_at: Option<DateTime<Utc>>,
    /// Time accrued on the target's clock, pauses excluded.
    pub elapsed: TimeDelta,
    /// `elapsed` as a whole percentage of `target`, rounded down; may pass 100.
    pub percent: u32,
    pub time_left: TimeDelta,
    pub state: SlaState,
}

/// The SLA position of a ticket at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaReport {
    /// The ticket is in a pausing status or closed: no target accrues time.
    pub paused: bool,
    pub first_response: SlaMeasure,
    /// `None` until the first public agent reply.
    pub update: Option<SlaMeasure>,
    pub resolution: SlaMeasure,
}

/// The targets of one priority with the pause and warning settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaRules {
    pub target: SlaTarget,
    pub pausing: Vec<Status>,
    pub warning_percent: u32,
}

impl SlaRules {
    /// `target` with the default pausing statuses and warning threshold.
    pub fn new(target: SlaTarget) -> Self {
        Self { target, pausing: DEFAULT_PAUSING.to_vec(), warning_percent: DEFAULT_WARNING_PERCENT }
    }

    pub fn for_priority(targets: &SlaTargets, priority: Priority) -> Self {
        Self::new(targets.for_priority(priority).clone())
    }

    /// The length of a policy span on this target's clock (see the module notes for days).
    pub fn span(&self, span: SlaSpan, calendar: &BusinessCalendar) -> TimeDelta {
        match (span, self.target.clock) {
            (SlaSpan::Minutes(n), _) => TimeDelta::minutes(i64::from(n)),
            (SlaSpan::Hours(n), _) => TimeDelta::hours(i64::from(n)),
            (SlaSpan::Days(n), SlaClock::Calendar) => TimeDelta::days(i64::from(n)),
            (SlaSpan::Days(n), SlaClock::Business) => {
                let days = i32::try_from(n).unwrap_or(i32::MAX);
                calendar.business_day().checked_mul(days).unwrap_or(TimeDelta::MAX)
            }
        }
    }

    /// Whether targets accrue time while the ticket is in `status`.
    pub fn is_running(&self, status: Status) -> bool {
        status != Status::Closed && !self.pausing.contains(&status)
    }

    /// The SLA position at `now`. History entries after `now` are ignored; agent replies and
    /// updates before the opening count as made at the opening.
    pub fn evaluate(
        &self,
        timeline: &TicketTimeline,
        calendar: &BusinessCalendar,
        now: DateTime<Utc>,
    ) -> Result<SlaReport, SlaError> {
        if let Some(index) = (1..timeline.history.len()).find(|&i| timeline.history[i].at < timeline.history[i - 1].at)
        {
            return Err(SlaError::OutOfOrder { index });
        }
        let history: Vec<StatusChange> = timeline.history.iter().copied().filter(|c| c.at <= now).collect();
        let (Some(first), Some(last)) = (history.first(), history.last()) else {
            return Err(SlaError::NoHistory);
        };
        let opened = first.at;
        let in_past = |t: Option<DateTime<Utc>>| t.filter(|t| *t <= now).map(|t| t.max(opened));
        let first_reply = in_past(timeline.first_agent_reply);
        let last_update = in_past(timeline.last_agent_update);

        let finished = |s: Status| matches!(s, Status::Resolved | Status::Closed);
        let reopened = (1..history.len())
            .rev()
            .find(|&i| finished(history[i - 1].status) && !finished(history[i].status))
            .map(|i| history[i].at);
        // The resolution target is met when the ticket entered its current resolved/closed run.
        let resolved_at = finished(last.status).then(|| {
            let run_start = history.iter().rposition(|c| !finished(c.status)).map_or(0, |i| i + 1);
            history[run_start].at
        });

        let clock = Meter { clock: self.target.clock, calendar };
        let measure = |metric, span, started_at, met_at| {
            self.measure(&clock, &history, now, metric, self.span(span, calendar), started_at, met_at)
        };
        let update = first_reply.or(last_update).map(|first| {
            let base = last_update.map_or(first, |u| u.max(first));
            let started = reopened.map_or(base, |r| r.max(base));
            measure(SlaMetric::Update, self.target.update, started, None)
        });
        Ok(SlaReport {
            paused: !self.is_running(last.status),
            first_response: measure(SlaMetric::FirstResponse, self.target.first_response, opened, first_reply),
            update,
            resolution: measure(SlaMetric::Resolution, self.target.resolution, reopened.unwrap_or(opened), resolved_at),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn measure(
        &self,
        clock: &Meter<'_>,
        history: &[StatusChange],
        now: DateTime<Utc>,
        metric: SlaMetric,
        target: TimeDelta,
        started_at: DateTime<Utc>,
        met_at: Option<DateTime<Utc>>,
    ) -> SlaMeasure {
        let end = met_at.map_or(now, |m| m.max(started_at));
        let mut elapsed = TimeDelta::zero();
        let mut due = None;
        let mut active_after_due = false;
        for (from, to) in self.running_segments(history, started_at, end) {
            let accrued = clock.measure(from, to);
            if due.is_none() && elapsed + accrued >= target {
                due = Some(clock.add(from, target - elapsed));
            }
            if due.is_some_and(|d| to > d) {
                active_after_due = true;
            }
            elapsed += accrued;
        }
        let due = due.unwrap_or_else(|| clock.add(end, target - elapsed));
        let percent = percent_of(elapsed, target);
        let state = if active_after_due {
            SlaState::Breached
        } else if met_at.is_some() {
            SlaState::Met
        } else if u64::from(percent) >= u64::from(self.warning_percent) {
            SlaState::Warning
        } else {
            SlaState::Ok
        };
        SlaMeasure {
            metric,
            clock: self.target.clock,
            target,
            started_at,
            due,
            met_at: met_at.map(|m| m.max(started_at)),
            elapsed,
            percent,
            time_left: target - elapsed,
            state,
        }
    }

    /// The parts of `[from, to)` during which the ticket was in a running status.
    fn running_segments(
        &self,
        history: &[StatusChange],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut segments = Vec::new();
        for (i, change) in history.iter().enumerate() {
            let until = history.get(i + 1).map_or(to, |next| next.at);
            let (start, end) = (change.at.max(from), until.min(to));
            if start < end && self.is_running(change.status) {
                segments.push((start, end));
            }
        }
        segments
    }
}

/// Whole percent, rounded down, computed in milliseconds to avoid floating point.
fn percent_of(elapsed: TimeDelta, target: TimeDelta) -> u32 {
    let target = i128::from(target.num_milliseconds());
    if target <= 0 {
        return 100;
    }
    let percent = i128::from(elapsed.num_milliseconds()).max(0) * 100 / target;
    u32::try_from(percent).unwrap_or(u32::MAX)
}

/// A target's clock: wall time, or business time on the calendar.
struct Meter<'a> {
    clock: SlaClock,
    calendar: &'a BusinessCalendar,
}

impl Meter<'_> {
    fn measure(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        match self.clock {
            SlaClock::Calendar => to - from,
            SlaClock::Business => self.calendar.business_duration_between(from, to),
        }
    }

    fn add(&self, from: DateTime<Utc>, duration: TimeDelta) -> DateTime<Utc> {
        match self.clock {
            SlaClock::Calendar => from.checked_add_signed(duration).unwrap_or(DateTime::<Utc>::MAX_UTC),
            SlaClock::Business => self.calendar.add_business_duration(from, duration),
        }
    }
}

#[cfg(test)]
mod tests;
