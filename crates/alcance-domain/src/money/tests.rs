use proptest::prelude::*;

use super::*;

fn code(result: Result<i64, FieldError>) -> Option<(FieldErrorCode, Option<String>)> {
    result.err().map(|e| (e.code, e.detail))
}

#[test]
fn currencies_parse_from_iso_codes_in_any_case() {
    assert_eq!(Currency::from_code("currency", "cop"), Ok(Currency::Cop));
    assert_eq!(Currency::from_code("currency", " Usd "), Ok(Currency::Usd));
    assert_eq!(Currency::from_code("currency", "EUR"), Ok(Currency::Eur));
    let err = Currency::from_code("currency", "ARS").unwrap_err();
    assert_eq!((err.field.as_str(), err.code), ("currency", FieldErrorCode::UnknownValue));
    assert_eq!(err.detail.as_deref(), Some("COP, USD, EUR"));
    assert!(Currency::from_code("currency", "").is_err());
    assert_eq!((Currency::Cop.exponent(), Currency::Usd.exponent(), Currency::Eur.exponent()), (0, 2, 2));
    assert_eq!(Currency::Usd.minor_per_major(), 100);
}

#[test]
fn halves_round_away_from_zero_on_both_signs() {
    assert_eq!(round_half_away(5, 2), 3);
    assert_eq!(round_half_away(-5, 2), -3);
    assert_eq!(round_half_away(15, 10), 2);
    assert_eq!(round_half_away(-15, 10), -2);
    assert_eq!(round_half_away(14, 10), 1);
    assert_eq!(round_half_away(-14, 10), -1);
    assert_eq!(round_half_away(16, 10), 2);
    assert_eq!(round_half_away(-16, 10), -2);
    assert_eq!(round_half_away(0, 60), 0);
    assert_eq!(round_half_away(30, 60), 1);
    assert_eq!(round_half_away(29, 60), 0);
}

#[test]
fn pesos_and_dollars_are_written_the_colombian_way_in_spanish() {
    assert_eq!(format_money(1_234_567, Currency::Cop, "es"), "$ 1.234.567");
    assert_eq!(format_money(0, Currency::Cop, "es"), "$ 0");
    assert_eq!(format_money(999, Currency::Cop, "es"), "$ 999");
    assert_eq!(format_money(1_000, Currency::Cop, "es"), "$ 1.000");
    assert_eq!(format_money(-1_234, Currency::Cop, "es"), "-$ 1.234");
    assert_eq!(format_money(123_450, Currency::Usd, "es"), "US$ 1.234,50");
    assert_eq!(format_money(5, Currency::Usd, "es"), "US$ 0,05");
    assert_eq!(format_money(-123_450, Currency::Usd, "es"), "-US$ 1.234,50");
    assert_eq!(format_money(123_450, Currency::Eur, "es"), "€ 1.234,50");
    // Anything that is not "en" is Spanish.
    assert_eq!(format_money(1_000, Currency::Cop, "es-CO"), "$ 1.000");
}

#[test]
fn english_uses_commas_for_thousands_and_a_point_for_decimals() {
    assert_eq!(format_money(1_234_567, Currency::Cop, "en"), "COP 1,234,567");
    assert_eq!(format_money(123_450, Currency::Usd, "en"), "US$1,234.50");
    assert_eq!(format_money(-123_450, Currency::Usd, "en"), "-US$1,234.50");
    assert_eq!(format_money(100, Currency::Eur, "en"), "€1.00");
    assert_eq!(format_money(i64::MIN, Currency::Cop, "en"), "-COP 9,223,372,036,854,775,808");
    assert_eq!(plain_money(-123_450, Currency::Usd), "-1234.50");
    assert_eq!(plain_money(1_234_567, Currency::Cop), "1234567");
}

#[test]
fn what_colombian_users_type_is_read() {
    let cop = |text| parse_money("amount", text, Currency::Cop);
    let usd = |text| parse_money("amount", text, Currency::Usd);
    assert_eq!(cop("1.234.567"), Ok(1_234_567));
    assert_eq!(cop("1234567"), Ok(1_234_567));
    assert_eq!(cop("$ 1.234.567"), Ok(1_234_567));
    assert_eq!(cop("$1.234.567"), Ok(1_234_567));
    assert_eq!(cop("1.234.567 COP"), Ok(1_234_567));
    assert_eq!(cop("cop 1234"), Ok(1_234));
    assert_eq!(cop("1.234"), Ok(1_234));
    assert_eq!(cop("1,234"), Ok(1_234));
    assert_eq!(cop("1.234,00"), Ok(1_234));
    assert_eq!(cop("-$ 1.234"), Ok(-1_234));
    assert_eq!(cop("$ -1.234"), Ok(-1_234));
    assert_eq!(usd("1.234,50"), Ok(123_450));
    assert_eq!(usd("1,234.50"), Ok(123_450));
    assert_eq!(usd("US$ 1.234,5"), Ok(123_450));
    assert_eq!(usd("usd 12.5"), Ok(1_250));
    assert_eq!(usd("0,05"), Ok(5));
    assert_eq!(usd("1.234"), Ok(123_400));
    assert_eq!(usd("$ 10"), Ok(1_000));
    assert_eq!(parse_money("amount", "€ 1.234,50", Currency::Eur), Ok(123_450));
}

#[test]
fn garbage_is_refused_naming_the_field() {
    let err = parse_money("lines[0].amount", "doce mil", Currency::Cop).unwrap_err();
    assert_eq!((err.field.as_str(), err.code), ("lines[0].amount", FieldErrorCode::Invalid));
    for text in ["1.23.4", "1.2345", "1,234.567,8", "$", "1.", ",5", "0.125", "12 34", "1e6", "--5", "1.234,5,6"] {
        assert_eq!(
            code(parse_money("amount", text, Currency::Usd)).map(|c| c.0),
            Some(FieldErrorCode::Invalid),
            "{text}"
        );
    }
    assert_eq!(code(parse_money("amount", "  ", Currency::Cop)), Some((FieldErrorCode::Required, None)));
}

#[test]
fn a_marker_of_another_currency_is_refused() {
    assert_eq!(
        code(parse_money("amount", "US$ 100", Currency::Cop)),
        Some((FieldErrorCode::Invalid, Some("COP".into())))
    );
    assert_eq!(
        code(parse_money("amount", "€ 100", Currency::Usd)),
        Some((FieldErrorCode::Invalid, Some("USD".into())))
    );
    assert_eq!(
        code(parse_money("amount", "100 COP", Currency::Eur)),
        Some((FieldErrorCode::Invalid, Some("EUR".into())))
    );
}

#[test]
fn too_many_decimals_are_refused_unless_they_are_zeros() {
    assert_eq!(
        code(parse_money("amount", "1,5", Currency::Cop)),
        Some((FieldErrorCode::Invalid, Some("decimals=0".into())))
    );
    assert_eq!(
        code(parse_money("amount", "1.234,505", Currency::Usd)),
        Some((FieldErrorCode::Invalid, Some("decimals=2".into())))
    );
    assert_eq!(parse_money("amount", "1.234,500", Currency::Usd), Ok(123_450));
}

#[test]
fn amounts_beyond_i64_are_too_long() {
    assert_eq!(parse_money("amount", "9.223.372.036.854.775.807", Currency::Cop), Ok(i64::MAX));
    assert_eq!(parse_money("amount", "-9223372036854775808", Currency::Cop), Ok(i64::MIN));
    assert_eq!(
        code(parse_money("amount", "9.223.372.036.854.775.808", Currency::Cop)),
        Some((FieldErrorCode::TooLong, Some("9223372036854775807".into())))
    );
    assert_eq!(
        code(parse_money("amount", "92233720368547758,08", Currency::Usd)),
        Some((FieldErrorCode::TooLong, Some("92233720368547758.07".into())))
    );
    let huge = "9".repeat(60);
    assert_eq!(code(parse_money("amount", &huge, Currency::Usd)).map(|c| c.0), Some(FieldErrorCode::TooLong));
    // Leading zeros are not digits that count.
    assert_eq!(parse_money("amount", &format!("{}5", "0".repeat(40)), Currency::Cop), Ok(5));
}

#[test]
fn hours_in_quarters_are_decimal_and_other_minutes_are_spelled_out() {
    assert_eq!(format_hours(750, "es"), "12,5 h");
    assert_eq!(format_hours(750, "en"), "12.5 h");
    assert_eq!(format_hours(75, "es"), "1,25 h");
    assert_eq!(format_hours(105, "en"), "1.75 h");
    assert_eq!(format_hours(120, "es"), "2 h");
    assert_eq!(format_hours(0, "es"), "0 h");
    assert_eq!(format_hours(15, "es"), "0,25 h");
    assert_eq!(format_hours(80, "es"), "1 h 20 min");
    assert_eq!(format_hours(20, "en"), "20 min");
    assert_eq!(format_hours(1, "es"), "1 min");
    assert_eq!(format_hours(-90, "es"), "-1,5 h");
    assert_eq!(format_hours(-80, "en"), "-1 h 20 min");
    assert_eq!(format_hours(MAX_MINUTES, "es"), "10000 h");
}

#[test]
fn hours_are_read_in_the_forms_people_write() {
    let read = |text| parse_hours("hours", text);
    for (text, minutes) in [
        ("1,5", 90),
        ("1.5", 90),
        ("1:30", 90),
        ("0:05", 5),
        ("90 min", 90),
        ("90min", 90),
        ("45 minutos", 45),
        ("2 h", 120),
        ("2H", 120),
        ("2", 120),
        ("1,5 horas", 90),
        ("1.25 hours", 75),
        ("1 h 20 min", 80),
        ("1h20", 80),
        ("1 hora 5 minutos", 65),
        ("  12,5 h ", 750),
        ("0,01", 1),
        ("10000 h", MAX_MINUTES),
    ] {
        assert_eq!(read(text), Ok(minutes), "{text}");
    }
}

#[test]
fn decimal_hours_round_to_the_nearest_minute_halves_up() {
    let read = |text| parse_hours("hours", text);
    // 0.025 h = 1.5 min exactly: the half goes away from zero.
    assert_eq!(read("0,025"), Ok(2));
    assert_eq!(read("1,341667"), Ok(81)); // 80.50002 min
    assert_eq!(read("1,341666"), Ok(80)); // 80.49996 min
    assert_eq!(read("0,0075"), Err(FieldError::new("hours", FieldErrorCode::TooShort).with_detail("1 min")));
    // More than six decimals is not something a person types.
    assert_eq!(read("0,00833334"), Err(FieldError::new("hours", FieldErrorCode::Invalid)));
}

#[test]
fn hours_outside_the_limits_or_unreadable_are_refused() {
    let err = |text| parse_hours("lines[2].hours", text).unwrap_err();
    assert_eq!(err("0"), FieldError::new("lines[2].hours", FieldErrorCode::TooShort).with_detail("1 min"));
    assert_eq!(err("0:00").code, FieldErrorCode::TooShort);
    assert_eq!(err("-1,5").code, FieldErrorCode::TooShort);
    assert_eq!(err("-99999999999999999").code, FieldErrorCode::TooShort);
    assert_eq!(err("10000,01"), FieldError::new("lines[2].hours", FieldErrorCode::TooLong).with_detail("10000 h"));
    assert_eq!(err("600001 min").code, FieldErrorCode::TooLong);
    assert_eq!(err("99999999999999999999999").code, FieldErrorCode::TooLong);
    assert_eq!(err("").code, FieldErrorCode::Required);
    for text in [
        "h",
        "1:3",
        "1:60",
        "1,5 min",
        "1 h 60 min",
        "1,5 h 10 min",
        "dos horas",
        "1 día",
        "1..5",
        "1,",
        "1:30 h",
        "2 h h",
    ] {
        assert_eq!(err(text).code, FieldErrorCode::Invalid, "{text}");
    }
}

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(Currency::ALL.to_vec())
}

proptest! {
    #[test]
    fn formatted_money_reads_back_in_both_languages(minor in any::<i64>(), currency in currency(), en in any::<bool>()) {
        let lang = if en { "en" } else { "es" };
        let text = format_money(minor, currency, lang);
        prop_assert_eq!(parse_money("amount", &text, currency), Ok(minor), "{}", text);
        prop_assert_eq!(parse_money("amount", &plain_money(minor, currency), currency), Ok(minor));
    }

    #[test]
    fn formatted_hours_read_back(minutes in 1..=MAX_MINUTES, en in any::<bool>()) {
        let text = format_hours(minutes, if en { "en" } else { "es" });
        prop_assert_eq!(parse_hours("hours", &text), Ok(minutes), "{}", text);
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,24}", currency in currency()) {
        let _ = parse_money("amount", &text, currency);
        let _ = parse_hours("hours", &text);
    }

    #[test]
    fn rounding_is_within_half_a_unit_and_symmetric(n in -1_000_000_i128..1_000_000, d in 1_i128..10_000) {
        let q = round_half_away(n, d);
        prop_assert!((q * d - n).abs() * 2 <= d);
        prop_assert_eq!(round_half_away(-n, d), -q);
    }
}
