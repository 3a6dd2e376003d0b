use proptest::prelude::*;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn hours_line(description: &str, minutes: i64, rate_minor: i64) -> QuoteLineInput {
    QuoteLineInput { description: description.into(), pricing: LinePricing::Hours { minutes, rate_minor } }
}

fn fixed_line(description: &str, amount_minor: i64) -> QuoteLineInput {
    QuoteLineInput { description: description.into(), pricing: LinePricing::Fixed { amount_minor } }
}

#[test]
fn the_lifecycle_allows_exactly_the_documented_steps() {
    use QuoteStatus::*;
    let allowed = [
        (Draft, Sent),
        (Draft, Withdrawn),
        (Sent, Accepted),
        (Sent, Rejected),
        (Sent, Expired),
        (Sent, Withdrawn),
        (Accepted, Withdrawn),
    ];
    for from in QuoteStatus::ALL {
        for to in QuoteStatus::ALL {
            assert_eq!(from.can_transition(*to), allowed.contains(&(*from, *to)), "{from} -> {to}");
        }
    }
    for status in QuoteStatus::ALL {
        assert_eq!(status.is_final(), QuoteStatus::ALL.iter().all(|to| !status.can_transition(*to)), "{status}");
    }
}

#[test]
fn withdrawing_accepted_work_needs_a_reason_and_expired_quotes_cannot_be_accepted() {
    let (valid_until, today) = (day(2026, 11, 30), day(2026, 11, 30));
    let check = |from: QuoteStatus, to, today, reason| from.check_transition(to, valid_until, today, reason);
    assert_eq!(
        check(QuoteStatus::Accepted, QuoteStatus::Withdrawn, today, false),
        Err(QuoteTransitionError::ReasonRequired)
    );
    assert_eq!(check(QuoteStatus::Accepted, QuoteStatus::Withdrawn, today, true), Ok(()));
    assert_eq!(check(QuoteStatus::Sent, QuoteStatus::Withdrawn, today, false), Ok(()));
    assert_eq!(check(QuoteStatus::Accepted, QuoteStatus::Sent, today, true), Err(QuoteTransitionError::NotAllowed));
    // Valid through the whole last day, expired the day after.
    assert_eq!(check(QuoteStatus::Sent, QuoteStatus::Accepted, today, false), Ok(()));
    assert_eq!(
        check(QuoteStatus::Sent, QuoteStatus::Accepted, day(2026, 12, 1), false),
        Err(QuoteTransitionError::Expired)
    );
    assert_eq!(check(QuoteStatus::Sent, QuoteStatus::Rejected, day(2026, 12, 1), false), Ok(()));
}

#[test]
fn validity_runs_through_the_last_day() {
    let valid_until = day(2026, 12, 31);
    assert!(!is_expired(valid_until, day(2026, 12, 30)));
    assert!(!is_expired(valid_until, valid_until));
    assert!(is_expired(valid_until, day(2027, 1, 1)));
    assert_eq!(QuoteStatus::Sent.expire_if_due(valid_until, valid_until), None);
    assert_eq!(QuoteStatus::Sent.expire_if_due(valid_until, day(2027, 1, 1)), Some(QuoteStatus::Expired));
    assert_eq!(QuoteStatus::Draft.expire_if_due(valid_until, day(2027, 1, 1)), None);
    assert_eq!(QuoteStatus::Accepted.expire_if_due(valid_until, day(2027, 1, 1)), None);
}

#[test]
fn only_drafts_have_editable_lines() {
    let editable: Vec<QuoteStatus> = QuoteStatus::ALL.iter().copied().filter(|s| s.lines_editable()).collect();
    assert_eq!(editable, [QuoteStatus::Draft]);
}

#[test]
fn hour_lines_round_half_away_from_zero_to_the_currency_unit() {
    let amount = |minutes, rate_minor| LinePricing::Hours { minutes, rate_minor }.amount_minor();
    // 90 min at 1 001 = 1 501.5 -> 1 502; 30 min at 1 001 = 500.5 -> 501.
    assert_eq!(amount(90, 1_001), Some(1_502));
    assert_eq!(amount(30, 1_001), Some(501));
    // Below the half rounds down: 20 min at 100 = 33.33 -> 33; 40 min at 100 = 66.67 -> 67.
    assert_eq!(amount(20, 100), Some(33));
    assert_eq!(amount(40, 100), Some(67));
    // Negative amounts mirror (the rule is symmetric even though validation refuses them).
    assert_eq!(amount(-30, 1_001), Some(-501));
    assert_eq!(amount(90, -1_001), Some(-1_502));
    // A COP rate of $ 150.000 per hour for 12 h 20 min.
    assert_eq!(amount(740, 150_000), Some(1_850_000));
    // The product does not fit i64 but the line does: i128 keeps it exact.
    assert_eq!(amount(120, i64::MAX / 2), Some(i64::MAX - 1));
    assert_eq!(amount(MAX_MINUTES, i64::MAX), None);
    assert_eq!(LinePricing::Fixed { amount_minor: 42 }.amount_minor(), Some(42));
    assert_eq!(LinePricing::Fixed { amount_minor: 42 }.kind(), QuoteLineKind::Fixed);
}

#[test]
fn valid_lines_get_their_amounts_and_trimmed_descriptions() {
    let lines =
        validate_lines(&[hours_line("  Nuevo módulo de inscripciones ", 90, 150_000), fixed_line("Licencia", 400_000)])
            .unwrap();
    assert_eq!(lines[0].description, "Nuevo módulo de inscripciones");
    assert_eq!(lines[0].amount_minor, 225_000);
    assert_eq!(lines[1].amount_minor, 400_000);
    assert_eq!(lines[1].pricing, LinePricing::Fixed { amount_minor: 400_000 });
}

#[test]
fn invalid_lines_are_refused_with_their_path() {
    let fails = |inputs: &[QuoteLineInput]| {
        let err = validate_lines(inputs).unwrap_err();
        (err.field, err.code, err.detail)
    };
    let ok = fixed_line("ok", 1);
    assert_eq!(fails(&[]), ("lines".into(), FieldErrorCode::Required, None));
    assert_eq!(
        fails(&vec![ok.clone(); MAX_LINES + 1]),
        ("lines".into(), FieldErrorCode::TooLong, Some(MAX_LINES.to_string()))
    );
    assert!(validate_lines(&vec![ok.clone(); MAX_LINES]).is_ok());
    assert_eq!(fails(&[ok.clone(), fixed_line("   ", 5)]).0, "lines[1].description");
    assert_eq!(fails(&[ok.clone(), fixed_line("   ", 5)]).1, FieldErrorCode::Required);
    assert_eq!(fails(&[fixed_line(&"x".repeat(501), 5)]).1, FieldErrorCode::TooLong);
    assert!(validate_lines(&[fixed_line(&"ñ".repeat(500), 5)]).is_ok());
    assert_eq!(fails(&[fixed_line("dos\nlíneas", 5)]).1, FieldErrorCode::Invalid);
    assert_eq!(
        fails(&[ok.clone(), ok.clone(), hours_line("x", 0, 100)]),
        ("lines[2].hours".into(), FieldErrorCode::TooShort, Some("1 min".into()))
    );
    assert_eq!(fails(&[hours_line("x", -60, 100)]).0, "lines[0].hours");
    assert_eq!(
        fails(&[hours_line("x", MAX_MINUTES + 1, 100)]),
        ("lines[0].hours".into(), FieldErrorCode::TooLong, Some("10000 h".into()))
    );
    assert!(validate_lines(&[hours_line("x", MAX_MINUTES, 100)]).is_ok());
    assert_eq!(fails(&[hours_line("x", 60, 0)]), ("lines[0].rate".into(), FieldErrorCode::TooShort, Some("1".into())));
    assert_eq!(fails(&[fixed_line("x", 0)]), ("lines[0].amount".into(), FieldErrorCode::TooShort, Some("1".into())));
    assert_eq!(fails(&[fixed_line("x", -5)]).0, "lines[0].amount");
    assert_eq!(fails(&[hours_line("x", MAX_MINUTES, i64::MAX)]).0, "lines[0].rate");
    assert_eq!(fails(&[fixed_line("a", i64::MAX), fixed_line("b", 1)]).0, "lines");
}

#[test]
fn iva_is_computed_once_on_the_subtotal() {
    let lines = validate_lines(&[fixed_line("a", 50), fixed_line("b", 50), fixed_line("c", 50)]).unwrap();
    let totals = QuoteTotals::compute(&lines, 1_900).unwrap();
    // 150 × 19 % = 28.5 -> 29.
    assert_eq!(totals, QuoteTotals { subtotal: 150, tax: 29, total: 179 });
    // Rounding per line would give 9.5 -> 10 three times: 30. The rule makes a difference.
    let per_line: i64 =
        lines.iter().map(|l| money::round_half_away(i128::from(l.amount_minor) * 1_900, 10_000) as i64).sum();
    assert_eq!(per_line, 30);
    assert_ne!(per_line, totals.tax);
}

#[test]
fn tax_rounding_and_rates() {
    let one = |amount| validate_lines(&[fixed_line("x", amount)]).unwrap();
    // 1 234 567 pesos × 19 % = 234 567.73 -> 234 568.
    assert_eq!(QuoteTotals::compute(&one(1_234_567), 1_900).unwrap().tax, 234_568);
    // 250 × 19 % = 47.5 -> 48 (the half goes up); 50 × 1 % = 0.5 -> 1; 49 × 1 % = 0.49 -> 0.
    assert_eq!(QuoteTotals::compute(&one(250), 1_900).unwrap().tax, 48);
    assert_eq!(QuoteTotals::compute(&one(50), 100).unwrap().tax, 1);
    assert_eq!(QuoteTotals::compute(&one(49), 100).unwrap().tax, 0);
    assert_eq!(QuoteTotals::compute(&one(1_000), 0).unwrap(), QuoteTotals { subtotal: 1_000, tax: 0, total: 1_000 });
    assert_eq!(QuoteTotals::compute(&one(1_000), 10_000).unwrap().total, 2_000);
    let err = QuoteTotals::compute(&one(1_000), 10_001).unwrap_err();
    assert_eq!((err.field.as_str(), err.code), ("tax_rate_basis_points", FieldErrorCode::TooLong));
    assert_eq!(QuoteTotals::compute(&one(1_000), -1).unwrap_err().code, FieldErrorCode::TooShort);
    // A subtotal that fits but whose total does not is refused, not wrapped.
    let err = QuoteTotals::compute(&one(i64::MAX - 10), 1_900).unwrap_err();
    assert_eq!((err.field.as_str(), err.code), ("lines", FieldErrorCode::TooLong));
}

#[test]
fn quote_numbers_are_padded_and_read_back() {
    assert_eq!(quote_number(2026, 7), "Q-2026-0007");
    assert_eq!(quote_number(2026, 9_999), "Q-2026-9999");
    assert_eq!(quote_number(2026, 12_345), "Q-2026-12345");
    assert_eq!(parse_quote_number("Q-2026-0007"), Some((2026, 7)));
    assert_eq!(parse_quote_number(" q-2026-0007 "), Some((2026, 7)));
    assert_eq!(parse_quote_number("Q-2026-12345"), Some((2026, 12_345)));
    for text in
        ["Q-2026-7", "Q-2026-00007", "Q-2026-0000", "Q-26-0007", "Q2026-0007", "Q-2026-", "Q-2026-00a7", "#1042", ""]
    {
        assert_eq!(parse_quote_number(text), None, "{text}");
    }
}

proptest! {
    #[test]
    fn quote_numbers_round_trip(year in 1000_i32..=9999, seq in 1_i64..=i64::MAX) {
        prop_assert_eq!(parse_quote_number(&quote_number(year, seq)), Some((year, seq)));
    }

    #[test]
    fn totals_add_up_and_tax_is_within_half_a_unit(
        amounts in prop::collection::vec(1_i64..=1_000_000_000, 1..20),
        rate in 0_i64..=10_000,
    ) {
        let inputs: Vec<QuoteLineInput> = amounts.iter().map(|a| fixed_line("x", *a)).collect();
        let totals = QuoteTotals::compute(&validate_lines(&inputs).unwrap(), rate).unwrap();
        prop_assert_eq!(totals.subtotal, amounts.iter().sum::<i64>());
        prop_assert_eq!(totals.total, totals.subtotal + totals.tax);
        let exact = i128::from(totals.subtotal) * i128::from(rate);
        prop_assert!((i128::from(totals.tax) * 10_000 - exact).abs() * 2 <= 10_000);
    }

    #[test]
    fn hour_lines_are_within_half_a_unit(minutes in 1..=MAX_MINUTES, rate in 1_i64..=10_000_000_000) {
        let amount = LinePricing::Hours { minutes, rate_minor: rate }.amount_minor().unwrap();
        let exact = i128::from(minutes) * i128::from(rate);
        prop_assert!((i128::from(amount) * 60 - exact).abs() * 2 <= 60);
    }
}
