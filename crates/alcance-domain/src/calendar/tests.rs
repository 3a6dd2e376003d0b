use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::America::{Bogota, New_York};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap().with_timezone(&Utc)
}

fn bog(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    at(Bogota, y, mo, d, h, mi)
}

fn iv(text: &str) -> WorkingInterval {
    WorkingInterval::parse(text).unwrap()
}

fn dates(year: i32) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = colombian_holidays(year).iter().map(|h| h.date).collect();
    dates.dedup();
    dates
}

// ---- holidays -------------------------------------------------------------------------------

#[test]
fn colombian_holidays_2026_match_the_official_list() {
    let expected = [
        (1, 1),
        (1, 12),
        (3, 23),
        (4, 2),
        (4, 3),
        (5, 1),
        (5, 18),
        (6, 8),
        (6, 15),
        (6, 29),
        (7, 20),
        (8, 7),
        (8, 17),
        (10, 12),
        (11, 2),
        (11, 16),
        (12, 8),
        (12, 25),
    ];
    let expected: Vec<NaiveDate> = expected.iter().map(|&(m, d)| date(2026, m, d)).collect();
    assert_eq!(dates(2026), expected);
}

#[test]
fn colombian_holidays_2025_match_the_official_list() {
    // 30 June 2025 is both San Pedro y San Pablo (29 June, a Sunday) and Sagrado Corazón.
    let expected = [
        (1, 1),
        (1, 6),
        (3, 24),
        (4, 17),
        (4, 18),
        (5, 1),
        (6, 2),
        (6, 23),
        (6, 30),
        (7, 20),
        (8, 7),
        (8, 18),
        (10, 13),
        (11, 3),
        (11, 17),
        (12, 8),
        (12, 25),
    ];
    let expected: Vec<NaiveDate> = expected.iter().map(|&(m, d)| date(2025, m, d)).collect();
    assert_eq!(dates(2025), expected);
    let june_30: Vec<ColombianHoliday> =
        colombian_holidays(2025).iter().filter(|h| h.date == date(2025, 6, 30)).map(|h| h.name).collect();
    assert_eq!(june_30, [ColombianHoliday::SacredHeart, ColombianHoliday::SaintsPeterAndPaul]);
}

#[test]
fn a_holiday_already_on_monday_stays_and_sunday_moves_one_day() {
    // 2026: San Pedro (29 June) and Día de la Raza (12 October) are Mondays; Todos los Santos
    // (1 November) is a Sunday and moves to 2 November.
    assert!(is_colombian_holiday(date(2026, 6, 29)));
    assert!(!is_colombian_holiday(date(2026, 7, 6)));
    assert!(is_colombian_holiday(date(2026, 10, 12)));
    assert!(!is_colombian_holiday(date(2026, 11, 1)));
    assert!(is_colombian_holiday(date(2026, 11, 2)));
    // Fixed dates are not moved even on a Sunday: 20 July 2025.
    assert!(is_colombian_holiday(date(2025, 7, 20)));
    assert!(!is_colombian_holiday(date(2025, 7, 21)));
}

#[test]
fn easter_sunday_matches_known_dates() {
    let known = [
        (1818, 3, 22),
        (1943, 4, 25),
        (2000, 4, 23),
        (2008, 3, 23),
        (2011, 4, 24),
        (2019, 4, 21),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2038, 4, 25),
        (2285, 3, 22),
    ];
    for (y, m, d) in known {
        assert_eq!(easter_sunday(y), Some(date(y, m, d)), "{y}");
    }
}

proptest! {
    #[test]
    fn easter_is_a_sunday_between_march_22_and_april_25(year in 1583i32..5000) {
        let easter = easter_sunday(year).unwrap();
        prop_assert_eq!(easter.weekday(), Weekday::Sun);
        prop_assert!(easter >= date(year, 3, 22) && easter <= date(year, 4, 25));
    }

    #[test]
    fn every_year_has_eighteen_holidays_with_moved_ones_on_monday(year in 1984i32..2400) {
        let holidays = colombian_holidays(year);
        prop_assert_eq!(holidays.len(), 18);
        let distinct = dates(year).len();
        prop_assert!(distinct == 17 || distinct == 18, "{} distinct", distinct);
        for h in &holidays {
            prop_assert_eq!(h.date.year(), year);
            use ColombianHoliday as H;
            match h.name {
                H::MaundyThursday => prop_assert_eq!(h.date.weekday(), Weekday::Thu),
                H::GoodFriday => prop_assert_eq!(h.date.weekday(), Weekday::Fri),
                H::NewYear | H::LabourDay | H::IndependenceDay | H::BattleOfBoyaca
                | H::ImmaculateConception | H::Christmas => {}
                _ => prop_assert_eq!(h.date.weekday(), Weekday::Mon, "{:?}", h),
            }
        }
    }
}

// ---- construction ---------------------------------------------------------------------------

#[test]
fn intervals_parse_and_refuse_nonsense() {
    assert_eq!(iv("08:00-18:00").to_string(), "08:00-18:00");
    assert_eq!(iv(" 20:30 - 24:00 ").length(), TimeDelta::minutes(210));
    for bad in ["18:00-08:00", "08:00-08:00", "08:00", "8-18", "08:60-09:00", "23:00-24:01", "25:00-26:00"] {
        assert!(WorkingInterval::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn touching_intervals_join_and_overlapping_ones_are_refused() {
    let week = WeeklyHours::new().with_day(Weekday::Mon, &[iv("12:00-18:00"), iv("08:00-12:00")]).unwrap();
    assert_eq!(week.day(Weekday::Mon), [iv("08:00-18:00")]);
    let overlap = WeeklyHours::new().with_day(Weekday::Tue, &[iv("08:00-12:00"), iv("11:00-13:00")]);
    assert_eq!(overlap, Err(CalendarError::Overlap(Weekday::Tue)));
    assert_eq!(
        BusinessCalendar::new(Bogota, WeeklyHours::new(), HolidayRules::None),
        Err(CalendarError::NoWorkingHours)
    );
}

#[test]
fn closures_and_business_day_are_validated() {
    let cal = BusinessCalendar::colombia_default();
    assert!(cal.clone().with_closure(date(2026, 12, 31), date(2026, 12, 24)).is_err());
    assert!(cal.clone().with_business_day(TimeDelta::zero()).is_err());
    assert_eq!(cal.business_day(), TimeDelta::hours(10));
    let split = WeeklyHours::weekdays(&[iv("08:00-12:00"), iv("14:00-18:00")]).unwrap();
    let split = split.with_day(Weekday::Sat, &[iv("08:00-12:00")]).unwrap();
    let cal = BusinessCalendar::new(Bogota, split, HolidayRules::Colombia).unwrap();
    assert_eq!(cal.business_day(), TimeDelta::hours(8));
}

// ---- concrete timelines (Bogotá, Mon-Fri 08:00-18:00) --------------------------------------

#[test]
fn friday_afternoon_before_a_holiday_monday_continues_on_tuesday() {
    // Friday 9 January 2026, 17:00; Monday 12 January is Reyes (holiday).
    let cal = BusinessCalendar::colombia_default();
    let start = bog(2026, 1, 9, 17, 0);
    assert_eq!(cal.add_business_duration(start, TimeDelta::hours(1)), bog(2026, 1, 9, 18, 0));
    assert_eq!(cal.add_business_duration(start, TimeDelta::hours(2)), bog(2026, 1, 13, 9, 0));
    assert_eq!(cal.business_duration_between(start, bog(2026, 1, 13, 9, 0)), TimeDelta::hours(2));
    assert!(!cal.is_business_instant(bog(2026, 1, 12, 10, 0)));
    assert_eq!(cal.next_business_instant(bog(2026, 1, 9, 18, 0)), bog(2026, 1, 13, 8, 0));
}

#[test]
fn working_hours_are_half_open() {
    let cal = BusinessCalendar::colombia_default();
    assert!(cal.is_business_instant(bog(2026, 3, 4, 8, 0)));
    assert!(cal.is_business_instant(bog(2026, 3, 4, 17, 59)));
    assert!(!cal.is_business_instant(bog(2026, 3, 4, 18, 0)));
    assert!(!cal.is_business_instant(bog(2026, 3, 4, 7, 59)));
    assert!(!cal.is_business_instant(bog(2026, 3, 7, 10, 0))); // Saturday
    assert_eq!(cal.next_business_instant(bog(2026, 3, 4, 12, 0)), bog(2026, 3, 4, 12, 0));
}

#[test]
fn holy_week_and_weekend_are_skipped() {
    // Wednesday 1 April 2026 16:00 + 5 business hours: Thu 2 and Fri 3 are holidays.
    let cal = BusinessCalendar::colombia_default();
    assert_eq!(cal.add_business_duration(bog(2026, 4, 1, 16, 0), TimeDelta::hours(5)), bog(2026, 4, 6, 11, 0));
    assert_eq!(cal.business_duration_between(bog(2026, 4, 1, 0, 0), bog(2026, 4, 8, 0, 0)), TimeDelta::hours(30));
    assert_eq!(cal.business_duration_between(bog(2026, 4, 8, 0, 0), bog(2026, 4, 1, 0, 0)), TimeDelta::hours(-30));
}

#[test]
fn split_days_saturdays_and_closures() {
    let week = WeeklyHours::weekdays(&[iv("08:00-12:00"), iv("14:00-18:00")])
        .unwrap()
        .with_day(Weekday::Sat, &[iv("08:00-12:00")])
        .unwrap();
    let cal = BusinessCalendar::new(Bogota, week, HolidayRules::Colombia)
        .unwrap()
        .with_closure(date(2026, 12, 24), date(2026, 12, 31))
        .unwrap();
    // Friday 11:00 + 3 h: 1 h before lunch, 2 h after.
    assert_eq!(cal.add_business_duration(bog(2026, 3, 6, 11, 0), TimeDelta::hours(3)), bog(2026, 3, 6, 16, 0));
    // Friday 17:00 + 3 h: 1 h Friday, 2 h Saturday morning.
    assert_eq!(cal.add_business_duration(bog(2026, 3, 6, 17, 0), TimeDelta::hours(3)), bog(2026, 3, 7, 10, 0));
    assert!(!cal.is_business_instant(bog(2026, 3, 6, 13, 0)));
    assert_eq!(cal.next_business_instant(bog(2026, 3, 6, 13, 0)), bog(2026, 3, 6, 14, 0));
    // Closed 24-31 December, then Friday 1 January 2027 is a holiday: Saturday 2 opens.
    assert_eq!(cal.next_business_instant(bog(2026, 12, 23, 18, 30)), bog(2027, 1, 2, 8, 0));
    assert!(cal.working_periods(date(2026, 12, 28)).is_empty());
}

// ---- time zones with daylight saving time ---------------------------------------------------

fn new_york_round_the_clock() -> BusinessCalendar {
    let week = WeeklyHours::new()
        .with_day(Weekday::Sun, &[iv("00:00-24:00")])
        .unwrap()
        .with_day(Weekday::Sat, &[iv("01:00-01:45"), iv("02:30-04:00")])
        .unwrap();
    BusinessCalendar::new(New_York, week, HolidayRules::None).unwrap()
}

#[test]
fn a_working_day_lasts_what_the_clock_really_runs_across_dst() {
    let cal = new_york_round_the_clock();
    // 8 March 2026: 02:00 jumps to 03:00, the day has 23 hours; 1 November 2026: 25 hours.
    let spring: TimeDelta = cal.working_periods(date(2026, 3, 8)).iter().map(|(a, b)| *b - *a).sum();
    assert_eq!(spring, TimeDelta::hours(23));
    let autumn: TimeDelta = cal.working_periods(date(2026, 11, 1)).iter().map(|(a, b)| *b - *a).sum();
    assert_eq!(autumn, TimeDelta::hours(25));
    let sunday = at(New_York, 2026, 3, 8, 0, 0);
    assert_eq!(cal.add_business_duration(sunday, TimeDelta::hours(3)), at(New_York, 2026, 3, 8, 4, 0));
}

#[test]
fn a_start_in_the_skipped_hour_is_the_instant_of_the_jump() {
    let week = WeeklyHours::new().with_day(Weekday::Sun, &[iv("02:30-04:00")]).unwrap();
    let cal = BusinessCalendar::new(New_York, week, HolidayRules::None).unwrap();
    let periods = cal.working_periods(date(2026, 3, 8));
    // 02:30 does not exist: the period starts at 03:00 EDT (07:00 UTC) and ends 04:00 EDT.
    let utc = |h| Utc.with_ymd_and_hms(2026, 3, 8, h, 0, 0).unwrap();
    assert_eq!(periods, [(utc(7), utc(8))]);
    // In the repeated hour (1 November) 01:00-01:45 counts both passes through it.
    let week = WeeklyHours::new().with_day(Weekday::Sun, &[iv("01:00-01:45")]).unwrap();
    let cal = BusinessCalendar::new(New_York, week, HolidayRules::None).unwrap();
    let periods = cal.working_periods(date(2026, 11, 1));
    let start = Utc.with_ymd_and_hms(2026, 11, 1, 5, 0, 0).unwrap();
    assert_eq!(periods, [(start, start + TimeDelta::minutes(105))]);
}

// ---- properties -----------------------------------------------------------------------------

fn calendars() -> Vec<BusinessCalendar> {
    let split = WeeklyHours::weekdays(&[iv("08:00-12:00"), iv("13:00-18:00")])
        .unwrap()
        .with_day(Weekday::Sat, &[iv("09:00-13:00")])
        .unwrap();
    vec![
        BusinessCalendar::colombia_default().with_closure(date(2026, 12, 21), date(2027, 1, 8)).unwrap(),
        BusinessCalendar::new(New_York, split.clone(), HolidayRules::None).unwrap(),
        BusinessCalendar::new(Bogota, split, HolidayRules::Colombia).unwrap(),
        new_york_round_the_clock(),
    ]
}

/// Whether the local wall time of `t` falls in a working interval of a business day, read
/// directly from the rules (valid away from the folds of a DST zone).
fn oracle_is_business(cal: &BusinessCalendar, t: DateTime<Utc>) -> bool {
    let local = t.with_timezone(&cal.time_zone());
    let minute = (local.hour() * 60 + local.minute()) as u16;
    cal.is_business_day(local.date_naive())
        && cal.week().day(local.weekday()).iter().any(|i| i.start_minute() <= minute && minute < i.end_minute())
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2025-01-01 .. 2028-01-01, to the second; DST transitions of New York included.
    (1_735_689_600i64..1_830_297_600).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

fn duration() -> impl Strategy<Value = TimeDelta> {
    (0i64..400 * 3600).prop_map(TimeDelta::seconds)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn adding_business_time_is_monotonic(c in 0usize..4, s in instant(), a in duration(), b in duration()) {
        let cal = &calendars()[c];
        let (short, long) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(cal.add_business_duration(s, short) <= cal.add_business_duration(s, long));
    }

    #[test]
    fn adding_then_measuring_gives_the_duration_back(c in 0usize..4, s in instant(), d in duration()) {
        let cal = &calendars()[c];
        let end = cal.add_business_duration(s, d);
        prop_assert_eq!(cal.business_duration_between(s, end), d);
        prop_assert_eq!(cal.business_duration_between(end, s), -d);
    }

    #[test]
    fn adding_a_then_b_is_adding_a_plus_b(c in 0usize..4, s in instant(), a in duration(), b in duration()) {
        let cal = &calendars()[c];
        prop_assert_eq!(cal.add_business_duration(cal.add_business_duration(s, a), b), cal.add_business_duration(s, a + b));
    }

    #[test]
    fn results_land_inside_or_at_the_end_of_working_time(c in 0usize..4, s in instant(), d in duration()) {
        prop_assume!(d > TimeDelta::zero());
        let cal = &calendars()[c];
        let end = cal.add_business_duration(s, d);
        prop_assert!(end > s);
        prop_assert!(cal.is_business_instant(end) || cal.is_business_instant(end - TimeDelta::nanoseconds(1)));
    }

    #[test]
    fn measuring_is_additive(c in 0usize..4, a in instant(), b in instant(), m in instant()) {
        let cal = &calendars()[c];
        let mut v = [a, b, m];
        v.sort();
        let [a, m, b] = v;
        prop_assert_eq!(cal.business_duration_between(a, b), cal.business_duration_between(a, m) + cal.business_duration_between(m, b));
        prop_assert!(cal.business_duration_between(a, b) <= b - a);
    }

    #[test]
    fn next_business_instant_is_business_and_skips_no_business_time(c in 0usize..4, s in instant()) {
        let cal = &calendars()[c];
        let next = cal.next_business_instant(s);
        prop_assert!(next >= s);
        prop_assert!(cal.is_business_instant(next));
        prop_assert_eq!(cal.business_duration_between(s, next), TimeDelta::zero());
        prop_assert_eq!(next == s, cal.is_business_instant(s));
    }

    #[test]
    fn business_instants_agree_with_the_local_rules(c in 0usize..3, s in instant()) {
        // The first three calendars have no working hours near 01:00-03:00, where DST moves.
        let cal = &calendars()[c];
        prop_assert_eq!(cal.is_business_instant(s), oracle_is_business(cal, s));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn measured_time_matches_counting_minutes(c in 0usize..4, s in instant(), minutes in 0i64..(2 * 24 * 60)) {
        let cal = &calendars()[c];
        let s = DateTime::from_timestamp(s.timestamp() / 60 * 60, 0).unwrap();
        let counted = (0..minutes).filter(|m| cal.is_business_instant(s + TimeDelta::minutes(*m))).count() as i64;
        prop_assert_eq!(cal.business_duration_between(s, s + TimeDelta::minutes(minutes)), TimeDelta::minutes(counted));
    }
}
