//! Working hours as a short text an admin types and reads, e.g.
//! `lun-vie 08:00-12:00,14:00-18:00; sáb 08:00-12:00`.
//!
//! * Groups are separated by `;` or a line break. Each group is days, then hours: the days end
//!   where the first digit starts, so `lun,mié vie 8:00-12:00` and `lun - vie 08:00-18:00` read
//!   as people mean them.
//! * Days are Spanish or English names or abbreviations, in any case, accents and a trailing
//!   dot optional (`lun`, `Lunes`, `mié`, `mie.`, `mon`, `Tuesday`); a range `lun-vie` runs
//!   forward through the week and may wrap (`dom-jue`). Days not named are closed.
//! * Hours are `HH:MM-HH:MM` intervals separated by commas (an en dash works as the hyphen);
//!   touching intervals are joined, overlapping ones refused.
//!
//! The canonical form ([`WeeklyHours::to_text`], stored in the database) uses Spanish
//! abbreviations, groups the days that share the same hours, writes consecutive days as
//! ranges and orders groups by their first day, Monday first. It reads back to the same week.

use std::fmt;

use chrono::Weekday;

use super::{CalendarError, WeeklyHours, WorkingInterval};

/// The longest text accepted: a week written out day by day fits easily.
pub const WEEK_TEXT_MAX: usize = 500;

/// Which names the days are written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayNames {
    /// `lun`, `mar`, `mié`, `jue`, `vie`, `sáb`, `dom` (the stored form).
    Spanish,
    /// `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`.
    English,
}

impl DayNames {
    pub fn name(self, day: Weekday) -> &'static str {
        let i = day.num_days_from_monday() as usize;
        match self {
            DayNames::Spanish => ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"][i],
            DayNames::English => ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][i],
        }
    }
}

/// Why a working-hours text was refused. Each variant names the piece of text at fault (or
/// the day), so the message can point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeekTextError {
    #[error("no working hours given")]
    Empty,
    #[error("the text is longer than {WEEK_TEXT_MAX} characters")]
    TooLong,
    #[error("`{0}` is not a day of the week; write lun, mar, mié, jue, vie, sáb, dom (or mon … sun)")]
    UnknownDay(String),
    #[error("`{0}` has no days before its hours; start with the days, e.g. `lun-vie 08:00-18:00`")]
    MissingDays(String),
    #[error("`{0}` has no hours after its days; e.g. `{0} 08:00-18:00`")]
    MissingHours(String),
    #[error("`{0}` is not a working interval; write HH:MM-HH:MM with the start before the end, up to 24:00")]
    BadInterval(String),
    #[error("the hours of {} overlap", DayNames::English.name(*.0))]
    Overlap(Weekday),
    #[error("{} is given hours twice", DayNames::English.name(*.0))]
    RepeatedDay(Weekday),
}

const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

/// Lower case without accents or a trailing dot: what day names are compared in.
fn fold(word: &str) -> String {
    word.trim()
        .trim_end_matches('.')
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            other => other,
        })
        .collect()
}

fn day_of(word: &str) -> Option<Weekday> {
    let names: [&[&str]; 7] = [
        &["lun", "lunes", "mon", "monday"],
        &["mar", "martes", "tue", "tues", "tuesday"],
        &["mie", "miercoles", "wed", "weds", "wednesday"],
        &["jue", "jueves", "thu", "thur", "thurs", "thursday"],
        &["vie", "viernes", "fri", "friday"],
        &["sab", "sabado", "sat", "saturday"],
        &["dom", "domingo", "sun", "sunday"],
    ];
    let folded = fold(word);
    names.iter().position(|n| n.contains(&folded.as_str())).map(|i| WEEK[i])
}

/// The items of a list separated by commas or spaces, where spaces around a range's hyphen
/// belong to the range: "lun - vie, sáb" is ["lun-vie", "sáb"].
fn items(text: &str) -> Vec<String> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ").replace(" -", "-").replace("- ", "-");
    joined.split([',', ' ']).filter(|i| !i.is_empty()).map(str::to_owned).collect()
}

/// The days of a group: names and ranges.
fn parse_days(text: &str) -> Result<Vec<Weekday>, WeekTextError> {
    let mut days = Vec::new();
    for item in items(text) {
        let day = |word: &str| day_of(word).ok_or_else(|| WeekTextError::UnknownDay(word.trim().to_owned()));
        match item.split_once('-') {
            Some((from, to)) => {
                let (mut at, last) = (day(from)?, day(to)?);
                days.push(at);
                while at != last {
                    at = at.succ();
                    days.push(at);
                }
            }
            None => days.push(day(&item)?),
        }
    }
    Ok(days)
}

fn parse_group(group: &str) -> Result<(Vec<Weekday>, Vec<WorkingInterval>), WeekTextError> {
    let split = group.find(|c: char| c.is_ascii_digit()).unwrap_or(group.len());
    let (days, hours) = (group[..split].trim(), group[split..].trim());
    if days.is_empty() {
        return Err(WeekTextError::MissingDays(group.to_owned()));
    }
    if hours.is_empty() {
        return Err(WeekTextError::MissingHours(days.to_owned()));
    }
    let intervals = items(hours)
        .into_iter()
        .map(|piece| WorkingInterval::parse(&piece).map_err(|_| WeekTextError::BadInterval(piece)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((parse_days(days)?, intervals))
}

impl WeeklyHours {
    /// Reads working hours written as in the module notes. An empty text is
    /// [`WeekTextError::Empty`]: the caller decides what "nothing typed" means.
    pub fn parse_text(text: &str) -> Result<Self, WeekTextError> {
        if text.chars().count() > WEEK_TEXT_MAX {
            return Err(WeekTextError::TooLong);
        }
        let text = text.replace(['–', '—', '‒'], "-");
        let mut given: [Option<Vec<WorkingInterval>>; 7] = Default::default();
        let mut any = false;
        for group in text.split([';', '\n']).map(str::trim).filter(|g| !g.is_empty()) {
            any = true;
            let (days, intervals) = parse_group(group)?;
            for day in days {
                let slot = &mut given[day.num_days_from_monday() as usize];
                if slot.is_some() {
                    return Err(WeekTextError::RepeatedDay(day));
                }
                *slot = Some(intervals.clone());
            }
        }
        if !any {
            return Err(WeekTextError::Empty);
        }
        WEEK.iter().zip(given).try_fold(WeeklyHours::new(), |week, (day, intervals)| {
            week.with_day(*day, &intervals.unwrap_or_default()).map_err(|e| match e {
                CalendarError::Overlap(d) => WeekTextError::Overlap(d),
                other => WeekTextError::BadInterval(other.to_string()),
            })
        })
    }

    /// The week written with `names`, in the canonical form of the module notes; "" for a
    /// week without hours.
    pub fn to_text(&self, names: DayNames) -> String {
        // (hours, days having exactly them), in order of each group's first day.
        let mut groups: Vec<(&[WorkingInterval], Vec<usize>)> = Vec::new();
        for (i, intervals) in self.days.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
            match groups.iter_mut().find(|(hours, _)| *hours == intervals.as_slice()) {
                Some((_, days)) => days.push(i),
                None => groups.push((intervals, vec![i])),
            }
        }
        let written: Vec<String> = groups
            .iter()
            .map(|(hours, days)| {
                let hours: Vec<String> = hours.iter().map(ToString::to_string).collect();
                format!("{} {}", runs(days, names), hours.join(","))
            })
            .collect();
        written.join("; ")
    }
}

/// Days (Monday = 0, ascending) as consecutive runs: `lun-mié,vie`.
fn runs(days: &[usize], names: DayNames) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut start = 0;
    while start < days.len() {
        let mut end = start;
        while end + 1 < days.len() && days[end + 1] == days[end] + 1 {
            end += 1;
        }
        let (first, last) = (names.name(WEEK[days[start]]), names.name(WEEK[days[end]]));
        out.push(if start == end { first.to_owned() } else { format!("{first}-{last}") });
        start = end + 1;
    }
    out.join(",")
}

/// The canonical (Spanish) text.
impl fmt::Display for WeeklyHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text(DayNames::Spanish))
    }
}

#[cfg(test)]
mod tests;
