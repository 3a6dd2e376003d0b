//! The business calendar the SLA clock runs on: working hours per weekday in a time zone,
//! public holidays, and closures an admin adds.
//!
//! Working hours are local wall-clock times. An interval `08:00-18:00` on a date covers every
//! instant whose local time on that date is at or after 08:00 and before 18:00, so on a day
//! when the clock jumps (daylight saving time) the interval is as long as it really lasts:
//! * a start or end that falls in a gap (the clock skips it) becomes the instant of the jump;
//! * a start in a fold (the clock repeats it) is its first occurrence, an end its last, so the
//!   repeated hour counts once, as it is really worked.
//!
//! Intervals are half-open: the start is a business instant, the end is not. Adding business
//! time that runs out exactly at the end of an interval returns that end (e.g. Friday 18:00),
//! not the start of the next one: a deadline is the last moment worked, not Monday morning.
//!
//! Colombian public holidays follow Ley 51 de 1983 ("Ley Emiliani") and are computed for any
//! year, Easter by the anonymous Gregorian algorithm; see [`colombian_holidays`].

mod week_text;

use std::collections::VecDeque;
use std::fmt;

use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

pub use week_text::{DayNames, WEEK_TEXT_MAX, WeekTextError};

const MINUTES_PER_DAY: u16 = 24 * 60;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("`{0}` is not a working interval; write HH:MM-HH:MM with the start before the end, up to 24:00")]
    BadInterval(String),
    #[error("working intervals on {0} overlap")]
    Overlap(Weekday),
    #[error("the week has no working hours")]
    NoWorkingHours,
    #[error("a closure cannot end ({last}) before it starts ({first})")]
    BadClosure { first: NaiveDate, last: NaiveDate },
    #[error("a business day must last more than zero")]
    BadBusinessDay,
}

/// One stretch of working time in a day, in local minutes from midnight; the end may be 24:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WorkingInterval {
    start: u16,
    end: u16,
}

impl WorkingInterval {
    /// From minutes after local midnight; `end_minute` may be 1440 (24:00).
    pub fn new(start_minute: u16, end_minute: u16) -> Result<Self, CalendarError> {
        if start_minute < end_minute && end_minute <= MINUTES_PER_DAY {
            Ok(Self { start: start_minute, end: end_minute })
        } else {
            Err(CalendarError::BadInterval(format!("{}-{}", hhmm(start_minute), hhmm(end_minute))))
        }
    }

    /// Parses `HH:MM-HH:MM`, e.g. `08:00-18:00` or `20:00-24:00`.
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let bad = || CalendarError::BadInterval(text.to_owned());
        let (start, end) = text.trim().split_once('-').ok_or_else(bad)?;
        let minute = |part: &str| -> Option<u16> {
            let (h, m) = part.trim().split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (m < 60 && h <= 24).then_some(h * 60 + m)
        };
        Self::new(minute(start).ok_or_else(bad)?, minute(end).ok_or_else(bad)?).map_err(|_| bad())
    }

    pub fn start_minute(self) -> u16 {
        self.start
    }

    pub fn end_minute(self) -> u16 {
        self.end
    }

    /// Nominal length, on a day without a clock change.
    pub fn length(self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.end - self.start))
    }
}

fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

impl fmt::Display for WorkingInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", hhmm(self.start), hhmm(self.end))
    }
}

/// Working intervals for each day of the week (Monday first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    days: [Vec<WorkingInterval>; 7],
}

impl WeeklyHours {
    /// A week with no working hours; add days with [`WeeklyHours::with_day`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the intervals of `day` (replacing earlier ones). They are sorted; touching ones are
    /// joined (`08:00-12:00` + `12:00-18:00` is `08:00-18:00`); overlapping ones are refused.
    pub fn with_day(mut self, day: Weekday, intervals: &[WorkingInterval]) -> Result<Self, CalendarError> {
        let mut sorted = intervals.to_vec();
        sorted.sort();
        let mut joined: Vec<WorkingInterval> = Vec::with_capacity(sorted.len());
        for interval in sorted {
            match joined.last_mut() {
                Some(last) if interval.start < last.end => return Err(CalendarError::Overlap(day)),
                Some(last) if interval.start == last.end => last.end = interval.end,
                _ => joined.push(interval),
            }
        }
        self.days[day.num_days_from_monday() as usize] = joined;
        Ok(self)
    }

    /// The same intervals Monday to Friday.
    pub fn weekdays(intervals: &[WorkingInterval]) -> Result<Self, CalendarError> {
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
            .into_iter()
            .try_fold(Self::new(), |week, day| week.with_day(day, intervals))
    }

    pub fn day(&self, day: Weekday) -> &[WorkingInterval] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Nominal working time of `day`.
    pub fn day_length(&self, day: Weekday) -> TimeDelta {
        self.day(day).iter().map(|i| i.length()).fold(TimeDelta::zero(), |a, b| a + b)
    }

    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }
}

/// Which public holidays the calendar skips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayRules {
    None,
    Colombia,
}

/// Days an admin closes the office (inclusive date range, local dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// Working hours, time zone, holidays and closures. Build with [`BusinessCalendar::new`] or
/// [`BusinessCalendar::colombia_default`].
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessCalendar {
    tz: Tz,
    week: WeeklyHours,
    holidays: HolidayRules,
    closures: Vec<Closure>,
    business_day: TimeDelta,
}

impl BusinessCalendar {
    /// A calendar with no closures. Its business day (what "1 business day" of an SLA target
    /// means) is the longest working day of the week; change it with
    /// [`BusinessCalendar::with_business_day`].
    pub fn new(tz: Tz, week: WeeklyHours, holidays: HolidayRules) -> Result<Self, CalendarError> {
        if week.is_empty() {
            return Err(CalendarError::NoWorkingHours);
        }
        let business_day = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu]
            .into_iter()
            .chain([Weekday::Fri, Weekday::Sat, Weekday::Sun])
            .map(|d| week.day_length(d))
            .max()
            .unwrap_or_else(TimeDelta::zero);
        Ok(Self { tz, week, holidays, closures: Vec::new(), business_day })
    }

    /// America/Bogota, Monday to Friday 08:00-18:00, Colombian holidays: a 10-hour business day.
    pub fn colombia_default() -> Self {
        let day = vec![WorkingInterval { start: 8 * 60, end: 18 * 60 }];
        let week = WeeklyHours { days: [day.clone(), day.clone(), day.clone(), day.clone(), day, vec![], vec![]] };
        Self {
            tz: chrono_tz::America::Bogota,
            week,
            holidays: HolidayRules::Colombia,
            closures: Vec::new(),
            business_day: TimeDelta::hours(10),
        }
    }

    /// Closes the office from `first` to `last`, both included (one date: `first == last`).
    pub fn with_closure(mut self, first: NaiveDate, last: NaiveDate) -> Result<Self, CalendarError> {
        if last < first {
            return Err(CalendarError::BadClosure { first, last });
        }
        self.closures.push(Closure { first, last });
        Ok(self)
    }

    /// Sets how much business time "one business day" of an SLA target is.
    pub fn with_business_day(mut self, length: TimeDelta) -> Result<Self, CalendarError> {
        if length <= TimeDelta::zero() {
            return Err(CalendarError::BadBusinessDay);
        }
        self.business_day = length;
        Ok(self)
    }

    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    pub fn week(&self) -> &WeeklyHours {
        &self.week
    }

    pub fn holidays(&self) -> HolidayRules {
        self.holidays
    }

    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    pub fn business_day(&self) -> TimeDelta {
        self.business_day
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        match self.holidays {
            HolidayRules::None => false,
            HolidayRules::Colombia => is_colombian_holiday(date),
        }
    }

    fn closure_containing(&self, date: NaiveDate) -> Option<&Closure> {
        self.closures.iter().filter(|c| c.first <= date && date <= c.last).max_by_key(|c| c.last)
    }

    /// A weekday with working hours that is neither a holiday nor closed.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !self.week.day(date.weekday()).is_empty() && !self.is_holiday(date) && self.closure_containing(date).is_none()
    }

    /// The working periods of a local date as UTC half-open ranges `[start, end)`, in order and
    /// disjoint; empty on a day that is not a business day.
    pub fn working_periods(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_business_day(date) {
            return Vec::new();
        }
        let mut periods: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for interval in self.week.day(date.weekday()) {
            let start = local_at(date, interval.start).and_then(|l| self.resolve(l, false));
            let end = local_at(date, interval.end).and_then(|l| self.resolve(l, true));
            let (Some(mut start), Some(end)) = (start, end) else { continue };
            // Resolving a fold may make two intervals of the day overlap in UTC: count once.
            if let Some(&(_, previous_end)) = periods.last() {
                start = start.max(previous_end);
            }
            if start < end {
                periods.push((start, end));
            }
        }
        periods
    }

    /// Whether the SLA clock runs at `at` (inside a working interval of a business day).
    pub fn is_business_instant(&self, at: DateTime<Utc>) -> bool {
        self.periods_from(at).next().is_some_and(|(start, _)| start == at)
    }

    /// `at` itself when it is a business instant, otherwise the start of the next working
    /// interval. Saturates at the end of representable time.
    pub fn next_business_instant(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.periods_from(at).next().map_or(DateTime::<Utc>::MAX_UTC, |(start, _)| start)
    }

    /// The instant at which `duration` of business time has passed since `start`. The clock
    /// runs only inside working intervals; a zero or negative duration returns `start`
    /// unchanged. A positive duration lands inside a working interval or exactly at its end.
    pub fn add_business_duration(&self, start: DateTime<Utc>, duration: TimeDelta) -> DateTime<Utc> {
        if duration <= TimeDelta::zero() {
            return start;
        }
        let mut remaining = duration;
        for (from, to) in self.periods_from(start) {
            let length = to - from;
            if remaining <= length {
                return from + remaining;
            }
            remaining -= length;
        }
        DateTime::<Utc>::MAX_UTC
    }

    /// Business time between two instants; negative when `b` is before `a`.
    pub fn business_duration_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta {
        if b < a {
            return -self.business_duration_between(b, a);
        }
        let mut total = TimeDelta::zero();
        for (from, to) in self.periods_from(a) {
            if from >= b {
                break;
            }
            total += to.min(b) - from;
        }
        total
    }

    /// Working periods that end after `at`, the first clipped to start no earlier than `at`.
    fn periods_from(&self, at: DateTime<Utc>) -> Periods<'_> {
        // Start a day early: a fold can make the previous local date's last period reach `at`.
        let date = at.with_timezone(&self.tz).date_naive();
        Periods { calendar: self, date: date.pred_opt().or(Some(date)), pending: VecDeque::new(), floor: at }
    }

    /// The UTC instant of a local wall time; see the module notes for gaps and folds.
    fn resolve(&self, local: NaiveDateTime, last_of_fold: bool) -> Option<DateTime<Utc>> {
        match self.tz.from_local_datetime(&local) {
            LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(a, b) => Some(if last_of_fold { a.max(b) } else { a.min(b) }.with_timezone(&Utc)),
            LocalResult::None => self.first_instant_reaching(local),
        }
    }

    /// The first instant whose local time is at or after `local` (which the clock skipped):
    /// the instant of the jump. Offsets stay within ±26 h, so the answer lies within 36 hours
    /// of `local` read as UTC, and local time only moves forward around a gap.
    fn first_instant_reaching(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let local_of =
            |seconds: i64| DateTime::from_timestamp(seconds, 0).map(|t| t.with_timezone(&self.tz).naive_local());
        let guess = local.and_utc().timestamp();
        let (mut low, mut high) = (guess - 36 * 3600, guess + 36 * 3600);
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if local_of(middle)? >= local { high = middle } else { low = middle }
        }
        DateTime::from_timestamp(high, 0)
    }
}

fn local_at(date: NaiveDate, minute: u16) -> Option<NaiveDateTime> {
    date.and_hms_opt(0, 0, 0)?.checked_add_signed(TimeDelta::minutes(i64::from(minute)))
}

/// Walks working periods forward from `floor`, day by day, keeping them disjoint.
struct Periods<'a> {
    calendar: &'a BusinessCalendar,
    date: Option<NaiveDate>,
    pending: VecDeque<(DateTime<Utc>, DateTime<Utc>)>,
    floor: DateTime<Utc>,
}

impl Iterator for Periods<'_> {
    type Item = (DateTime<Utc>, DateTime<Utc>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((start, end)) = self.pending.pop_front() {
                let start = start.max(self.floor);
                if start < end {
                    self.floor = end;
                    return Some((start, end));
                }
                continue;
            }
            let date = self.date?;
            // Skip a long closure in one step instead of a day at a time.
            if let Some(closure) = self.calendar.closure_containing(date) {
                self.date = closure.last.succ_opt();
                continue;
            }
            self.pending.extend(self.calendar.working_periods(date));
            self.date = date.succ_opt();
        }
    }
}

crate::string_enum!(
    /// A Colombian public holiday (Ley 51 de 1983 and the fixed national dates).
    ColombianHoliday {
        NewYear => "new_year",
        /// Reyes Magos, 6 January, moved to Monday.
        Epiphany => "epiphany",
        /// San José, 19 March, moved to Monday.
        SaintJoseph => "saint_joseph",
        /// Jueves Santo, not moved.
        MaundyThursday => "maundy_thursday",
        /// Viernes Santo, not moved.
        GoodFriday => "good_friday",
        LabourDay => "labour_day",
        /// Ascensión: Monday 43 days after Easter Sunday.
        Ascension => "ascension",
        /// Corpus Christi: Monday 64 days after Easter Sunday.
        CorpusChristi => "corpus_christi",
        /// Sagrado Corazón: Monday 71 days after Easter Sunday.
        SacredHeart => "sacred_heart",
        /// San Pedro y San Pablo, 29 June, moved to Monday.
        SaintsPeterAndPaul => "saints_peter_and_paul",
        /// Grito de Independencia, 20 July.
        IndependenceDay => "independence_day",
        /// Batalla de Boyacá, 7 August.
        BattleOfBoyaca => "battle_of_boyaca",
        /// Asunción de la Virgen, 15 August, moved to Monday.
        Assumption => "assumption",
        /// Día de la Raza (Diversidad Étnica y Cultural), 12 October, moved to Monday.
        DiversityDay => "diversity_day",
        /// Todos los Santos, 1 November, moved to Monday.
        AllSaints => "all_saints",
        /// Independencia de Cartagena, 11 November, moved to Monday.
        CartagenaIndependence => "cartagena_independence",
        /// Inmaculada Concepción, 8 December.
        ImmaculateConception => "immaculate_conception",
        Christmas => "christmas",
    }
);

/// One holiday on its observed date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: ColombianHoliday,
}

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, a.k.a. Meeus/Jones/
/// Butcher); `None` only outside chrono's date range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let (b, c) = (y.div_euclid(100), y.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, u32::try_from(n / 31).ok()?, u32::try_from(n % 31 + 1).ok()?)
}

/// The date itself if it is a Monday, otherwise the Monday after it (Ley 51 de 1983, art. 1).
fn monday_on_or_after(date: NaiveDate) -> Option<NaiveDate> {
    let offset = (7 - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(u64::from(offset)))
}

/// Colombia's public holidays of `year` on their observed dates, in date order. The rules of
/// Ley 51 de 1983 are applied to every year (they are in force since 1984). Two holidays can
/// fall on the same Monday (2025: San Pedro and Sagrado Corazón, 30 June); both are listed.
pub fn colombian_holidays(year: i32) -> Vec<Holiday> {
    use ColombianHoliday as H;
    let fixed = [
        (1, 1, H::NewYear),
        (5, 1, H::LabourDay),
        (7, 20, H::IndependenceDay),
        (8, 7, H::BattleOfBoyaca),
        (12, 8, H::ImmaculateConception),
        (12, 25, H::Christmas),
    ];
    let moved = [
        (1, 6, H::Epiphany),
        (3, 19, H::SaintJoseph),
        (6, 29, H::SaintsPeterAndPaul),
        (8, 15, H::Assumption),
        (10, 12, H::DiversityDay),
        (11, 1, H::AllSaints),
        (11, 11, H::CartagenaIndependence),
    ];
    // Days after Easter Sunday. Ascension (+39, a Thursday), Corpus Christi (+60, a Thursday)
    // and Sacred Heart (+68, a Friday) move to the next Monday: +43, +64, +71.
    let easter_based = [
        (-3, H::MaundyThursday),
        (-2, H::GoodFriday),
        (43, H::Ascension),
        (64, H::CorpusChristi),
        (71, H::SacredHeart),
    ];

    let mut holidays: Vec<Holiday> = Vec::with_capacity(18);
    for (month, day, name) in fixed {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            holidays.push(Holiday { date, name });
        }
    }
    for (month, day, name) in moved {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day).and_then(monday_on_or_after) {
            holidays.push(Holiday { date, name });
        }
    }
    if let Some(easter) = easter_sunday(year) {
        for (offset, name) in easter_based {
            if let Some(date) = easter.checked_add_signed(TimeDelta::days(offset)) {
                holidays.push(Holiday { date, name });
            }
        }
    }
    holidays.sort_by_key(|h| (h.date, h.name));
    holidays
}

/// Whether `date` is a Colombian public holiday.
pub fn is_colombian_holiday(date: NaiveDate) -> bool {
    colombian_holidays(date.year()).iter().any(|h| h.date == date)
}

#[cfg(test)]
mod tests;
