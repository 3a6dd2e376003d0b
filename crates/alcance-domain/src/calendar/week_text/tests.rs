use chrono::Weekday::{self, Fri, Mon, Sat, Sun, Thu, Tue, Wed};
use proptest::prelude::*;

use super::*;

fn iv(text: &str) -> WorkingInterval {
    WorkingInterval::parse(text).unwrap()
}

fn week(days: &[(Weekday, &[&str])]) -> WeeklyHours {
    days.iter().fold(WeeklyHours::new(), |w, (day, hours)| {
        let intervals: Vec<WorkingInterval> = hours.iter().map(|h| iv(h)).collect();
        w.with_day(*day, &intervals).unwrap()
    })
}

fn parse(text: &str) -> WeeklyHours {
    WeeklyHours::parse_text(text).unwrap()
}

#[test]
fn the_example_of_the_issue_reads_as_meant() {
    let w = parse("lun-vie 08:00-12:00,14:00-18:00; sáb 08:00-12:00");
    for day in [Mon, Tue, Wed, Thu, Fri] {
        assert_eq!(w.day(day), &[iv("08:00-12:00"), iv("14:00-18:00")]);
    }
    assert_eq!(w.day(Sat), &[iv("08:00-12:00")]);
    assert!(w.day(Sun).is_empty());
    assert_eq!(w.to_string(), "lun-vie 08:00-12:00,14:00-18:00; sáb 08:00-12:00");
}

#[test]
fn english_names_full_names_case_accents_and_dots_are_accepted() {
    let canonical = "lun-vie 08:00-18:00; sáb 09:00-13:00";
    for text in [
        "mon-fri 08:00-18:00; sat 09:00-13:00",
        "Monday-Friday 8:00-18:00\nSaturday 9:00-13:00",
        "LUNES - VIERNES 08:00 - 18:00; Sábado 09:00–13:00",
        "lun.-vie. 08:00-18:00; sab 09:00-13:00;",
        "sáb 09:00-13:00; lun,mar,mie,jue,vie 08:00-18:00",
        "lun mar miércoles jue vie 08:00-18:00; sat 09:00-13:00",
    ] {
        assert_eq!(parse(text).to_string(), canonical, "{text}");
    }
}

#[test]
fn hours_may_be_separated_by_spaces_and_touching_ones_join() {
    assert_eq!(parse("lun 08:00-12:00 14:00-18:00").to_string(), "lun 08:00-12:00,14:00-18:00");
    assert_eq!(parse("lun 12:00-18:00, 08:00-12:00").to_string(), "lun 08:00-18:00");
    assert_eq!(parse("dom 20:00-24:00").to_string(), "dom 20:00-24:00");
}

#[test]
fn the_canonical_form_groups_equal_days_and_writes_runs() {
    let w = week(&[
        (Mon, &["08:00-18:00"]),
        (Tue, &["08:00-18:00"]),
        (Wed, &["08:00-18:00"]),
        (Thu, &["10:00-12:00"]),
        (Fri, &["08:00-18:00"]),
        (Sun, &["08:00-18:00"]),
    ]);
    assert_eq!(w.to_text(DayNames::Spanish), "lun-mié,vie,dom 08:00-18:00; jue 10:00-12:00");
    assert_eq!(w.to_text(DayNames::English), "mon-wed,fri,sun 08:00-18:00; thu 10:00-12:00");
    assert_eq!(WeeklyHours::new().to_text(DayNames::Spanish), "");
}

#[test]
fn a_range_may_wrap_around_the_week() {
    let w = parse("dom-jue 09:00-17:00");
    assert_eq!(w.to_string(), "lun-jue,dom 09:00-17:00");
    assert!(w.day(Fri).is_empty() && w.day(Sat).is_empty());
}

#[test]
fn each_mistake_is_named() {
    let err = |text: &str| WeeklyHours::parse_text(text).unwrap_err();
    assert_eq!(err(""), WeekTextError::Empty);
    assert_eq!(err(" ; \n "), WeekTextError::Empty);
    assert_eq!(err("lun-vir 08:00-18:00"), WeekTextError::UnknownDay("vir".into()));
    assert_eq!(err("lunes-viernes 08:00-18:00; feriados 09:00-12:00"), WeekTextError::UnknownDay("feriados".into()));
    assert_eq!(err("08:00-18:00"), WeekTextError::MissingDays("08:00-18:00".into()));
    assert_eq!(err("lun-vie 08:00-18:00; sáb"), WeekTextError::MissingHours("sáb".into()));
    assert_eq!(err("lun 18:00-08:00"), WeekTextError::BadInterval("18:00-08:00".into()));
    assert_eq!(err("lun 08:00-25:00"), WeekTextError::BadInterval("08:00-25:00".into()));
    assert_eq!(err("lun 8-12"), WeekTextError::BadInterval("8-12".into()));
    assert_eq!(err("lun 08:00-12:00,11:00-13:00"), WeekTextError::Overlap(Mon));
    assert_eq!(err("lun-vie 08:00-12:00; vie 14:00-18:00"), WeekTextError::RepeatedDay(Fri));
    assert_eq!(err(&"lun 08:00-09:00; ".repeat(40)), WeekTextError::TooLong);
    // The message names the culprit.
    assert!(err("lun-vir 08:00-18:00").to_string().contains("`vir`"));
    assert!(err("lun 08:00-12:00,11:00-13:00").to_string().contains("mon"));
}

fn interval() -> impl Strategy<Value = (u16, u16)> {
    (0u16..1440).prop_flat_map(|start| (Just(start), (start + 1)..=1440))
}

/// Any week: per day up to three intervals (overlapping draws are dropped, touching ones
/// joined, as `with_day` does).
fn any_week() -> impl Strategy<Value = WeeklyHours> {
    proptest::collection::vec(proptest::collection::vec(interval(), 0..4), 7).prop_map(|days| {
        let mut week = WeeklyHours::new();
        for (i, draws) in days.into_iter().enumerate() {
            let mut kept: Vec<WorkingInterval> = Vec::new();
            for (start, end) in draws {
                let Ok(new) = WorkingInterval::new(start, end) else { continue };
                if kept.iter().all(|k| new.end_minute() <= k.start_minute() || new.start_minute() >= k.end_minute()) {
                    kept.push(new);
                }
            }
            week = week.with_day(WEEK[i], &kept).unwrap();
        }
        week
    })
}

proptest! {
    #[test]
    fn the_text_reads_back_to_the_same_week(w in any_week()) {
        prop_assume!(!w.is_empty());
        for names in [DayNames::Spanish, DayNames::English] {
            let text = w.to_text(names);
            prop_assert_eq!(&WeeklyHours::parse_text(&text).unwrap(), &w, "{}", text);
        }
    }

    #[test]
    fn format_of_parse_is_stable(w in any_week(), english in any::<bool>()) {
        prop_assume!(!w.is_empty());
        let names = if english { DayNames::English } else { DayNames::Spanish };
        let canonical = WeeklyHours::parse_text(&w.to_text(names)).unwrap().to_string();
        prop_assert_eq!(WeeklyHours::parse_text(&canonical).unwrap().to_string(), canonical);
    }

    #[test]
    fn any_text_is_read_or_refused_without_panicking(text in "\\PC{0,80}") {
        if let Ok(w) = WeeklyHours::parse_text(&text) {
            prop_assert_eq!(WeeklyHours::parse_text(&w.to_string()).unwrap(), w);
        }
    }
}
