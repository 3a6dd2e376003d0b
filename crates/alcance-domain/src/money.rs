//! Money and quantities of time as integers, and how people in Colombia write them.
//!
//! Money is never a float: an amount is an `i64` of the currency's minor unit (COP has none in
//! practice, so COP amounts are whole pesos; USD and EUR amounts are cents). Time is an `i64` of
//! minutes. Every rounding in the domain goes through [`round_half_away`], which rounds to the
//! nearest integer and takes halves away from zero (2.5 -> 3, -2.5 -> -3).
//!
//! Formats (`lang` is "en" for English; anything else means Spanish, as in `Localized::get`):
//!
//! | currency | es              | en              |
//! |----------|-----------------|-----------------|
//! | COP      | `$ 1.234.567`   | `COP 1,234,567` |
//! | USD      | `US$ 1.234,50`  | `US$1,234.50`   |
//! | EUR      | `€ 1.234,50`    | `€1,234.50`     |
//!
//! A negative amount puts the minus sign first: `-$ 1.234`, `-US$1,234.50`. Spanish always
//! separates the symbol with a space (as Colombian invoices do); English writes symbols tight and
//! ISO codes with a space. Decimals are always shown, all of them (`US$ 10,00`).

use crate::field::{FieldError, FieldErrorCode};

crate::string_enum!(
    /// An ISO 4217 currency, stored as its upper-case code.
    Currency {
        /// Colombian peso: amounts are whole pesos (exponent 0).
        Cop => "COP",
        Usd => "USD",
        Eur => "EUR",
    }
);

impl Currency {
    /// How many decimal digits the minor unit has: COP 0, USD and EUR 2.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::Cop => 0,
            Currency::Usd | Currency::Eur => 2,
        }
    }

    /// Minor units in one major unit: 1 for COP, 100 for USD and EUR.
    pub fn minor_per_major(self) -> i64 {
        10_i64.pow(self.exponent())
    }

    /// Parses an ISO code as people type it: surrounding spaces and case are ignored
    /// ("cop", " Usd "). Anything else is `unknown_value` naming `field`.
    pub fn from_code(field: &str, code: &str) -> Result<Self, FieldError> {
        Self::parse(field, &code.trim().to_ascii_uppercase())
    }

    fn symbol(self, english: bool) -> &'static str {
        match (self, english) {
            (Currency::Cop, false) => "$ ",
            (Currency::Cop, true) => "COP ",
            (Currency::Usd, false) => "US$ ",
            (Currency::Usd, true) => "US$",
            (Currency::Eur, false) => "€ ",
            (Currency::Eur, true) => "€",
        }
    }
}

/// `numerator / denominator` rounded to the nearest integer, halves away from zero
/// (5/2 -> 3, -5/2 -> -3, 4/3 -> 1). `denominator` must be positive: every caller in the domain
/// passes a constant (60 minutes, 10 000 basis points, a power of ten).
pub(crate) fn round_half_away(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator { quotient + numerator.signum() } else { quotient }
}

/// `minor` units of `currency` as people read them in `lang` (see the module table).
pub fn format_money(minor: i64, currency: Currency, lang: &str) -> String {
    let english = lang == "en";
    let (group, decimal) = if english { (',', '.') } else { ('.', ',') };
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}{}", currency.symbol(english), digits_of(minor.unsigned_abs(), currency, Some(group), decimal))
}

/// The amount with no symbol, no grouping and a '.' decimal point ("1234567", "1234.50"), as
/// machines read it (CSV exports, error details).
pub fn plain_money(minor: i64, currency: Currency) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}", digits_of(minor.unsigned_abs(), currency, None, '.'))
}

fn digits_of(magnitude: u64, currency: Currency, group: Option<char>, decimal: char) -> String {
    let unit = 10_u64.pow(currency.exponent());
    let whole = (magnitude / unit).to_string();
    let mut out = String::with_capacity(whole.len() + whole.len() / 3 + 4);
    for (i, ch) in whole.chars().enumerate() {
        if let Some(separator) = group
            && i > 0
            && (whole.len() - i).is_multiple_of(3)
        {
            out.push(separator);
        }
        out.push(ch);
    }
    if currency.exponent() > 0 {
        out.push(decimal);
        out.push_str(&format!("{:0width$}", magnitude % unit, width = currency.exponent() as usize));
    }
    out
}

/// Currency markers a person may write before or after the number, longest first so "US$" is
/// not read as "$". `None` means the marker fits any currency ("$" is both pesos and dollars).
const MARKERS: &[(&str, Option<Currency>)] = &[
    ("COL$", Some(Currency::Cop)),
    ("US$", Some(Currency::Usd)),
    ("USD", Some(Currency::Usd)),
    ("COP", Some(Currency::Cop)),
    ("EUR", Some(Currency::Eur)),
    ("€", Some(Currency::Eur)),
    ("$", None),
];

/// Reads an amount of `currency` as a Colombian user types it and returns minor units.
///
/// Accepted: optional minus sign, optional marker before or after the number (`$`, `US$`, `USD`,
/// `COP`, `COL$`, `€`, `EUR`, any case; a marker of another currency is refused), then digits
/// with optional separators:
/// - both `.` and `,` present: the last one is the decimal separator, the other groups
///   thousands (`1.234.567,89`, or `1,234,567.89` as English speakers write);
/// - one kind repeated (`1.234.567`): thousands;
/// - one separator followed by exactly three digits (`1.234`, `1,234`): thousands;
/// - one separator followed by other than three digits (`1234,5`, `12.50`): decimals.
///
/// Thousands groups must be well formed (1–3 digits, then groups of exactly 3). Decimals beyond
/// the currency's exponent are allowed only if they are zeros (`1.234,00` pesos).
///
/// Errors (field `field`): empty -> `required`; anything else unreadable -> `invalid`; a marker
/// of another currency -> `invalid` with the expected code as detail; too many decimals ->
/// `invalid` with detail `decimals=N`; beyond `i64` -> `too_long` with the largest amount as
/// [`plain_money`]. The sign is not judged here: callers that need a positive amount check it.
pub fn parse_money(field: &str, text: &str, currency: Currency) -> Result<i64, FieldError> {
    let invalid = || FieldError::new(field, FieldErrorCode::Invalid);
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(FieldError::new(field, FieldErrorCode::Required));
    }
    let mut negative = false;
    if let Some(after) = rest.strip_prefix('-') {
        negative = true;
        rest = after.trim_start();
    }
    rest = strip_marker(field, rest, currency)?;
    if !negative && let Some(after) = rest.strip_prefix('-') {
        negative = true;
        rest = after.trim_start();
    }
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(invalid());
    }
    let (whole, fraction) = split_decimal(rest).ok_or_else(invalid)?;
    let exponent = currency.exponent() as usize;
    if fraction.len() > exponent && fraction[exponent..].bytes().any(|b| b != b'0') {
        return Err(invalid().with_detail(format!("decimals={exponent}")));
    }
    let kept = &fraction[..fraction.len().min(exponent)];
    let too_big = || {
        let limit = if negative { i64::MIN } else { i64::MAX };
        FieldError::new(field, FieldErrorCode::TooLong).with_detail(plain_money(limit, currency))
    };
    // 20 digits already exceed i64; checking length first keeps the i128 below from overflowing.
    let digits = whole.trim_start_matches('0');
    if digits.len() > 20 {
        return Err(too_big());
    }
    let mut value: i128 = 0;
    for b in digits.bytes().chain(kept.bytes()).chain(std::iter::repeat_n(b'0', exponent - kept.len())) {
        value = value * 10 + i128::from(b - b'0');
    }
    let value = if negative { -value } else { value };
    i64::try_from(value).map_err(|_| too_big())
}

/// Removes one currency marker at the start or the end of `text`.
fn strip_marker<'a>(field: &str, text: &'a str, currency: Currency) -> Result<&'a str, FieldError> {
    for (marker, fits) in MARKERS {
        let at_start = text.get(..marker.len()).filter(|head| head.eq_ignore_ascii_case(marker));
        let at_end = text
            .len()
            .checked_sub(marker.len())
            .and_then(|start| text.get(start..))
            .filter(|tail| tail.eq_ignore_ascii_case(marker));
        let rest = match (at_start, at_end) {
            (Some(_), _) => &text[marker.len()..],
            (None, Some(_)) => &text[..text.len() - marker.len()],
            (None, None) => continue,
        };
        if fits.is_some_and(|c| c != currency) {
            return Err(FieldError::new(field, FieldErrorCode::Invalid).with_detail(currency.as_str()));
        }
        return Ok(rest.trim());
    }
    Ok(text)
}

/// Splits "1.234.567,89" into ("1234567", "89") by the rules of [`parse_money`]; `None` when the
/// separators do not form a number.
fn split_decimal(text: &str) -> Option<(String, &str)> {
    let last_dot = text.rfind('.');
    let last_comma = text.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (None, None) => None,
        (Some(a), Some(b)) => Some(a.max(b)),
        (Some(at), None) | (None, Some(at)) => {
            let separator = text.as_bytes()[at];
            let repeated = text.bytes().filter(|&b| b == separator).count() > 1;
            let three_after = text.len() - at - 1 == 3;
            if repeated || three_after { None } else { Some(at) }
        }
    };
    let (whole, fraction) = match decimal_at {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    if decimal_at.is_some() && (fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some((ungroup(whole)?, fraction))
}

/// "1.234.567" -> "1234567": the first group has 1–3 digits, the others exactly 3, all with
/// the same separator. Plain digits pass as they are.
fn ungroup(whole: &str) -> Option<String> {
    let separator = whole.bytes().find(|b| !b.is_ascii_digit());
    let Some(separator) = separator else {
        return (!whole.is_empty()).then(|| whole.to_owned());
    };
    let groups: Vec<&str> = whole.split(char::from(separator)).collect();
    let first_ok = (1..=3).contains(&groups[0].len()) && !(groups[0].starts_with('0'));
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    (first_ok && rest_ok && groups[0].bytes().all(|b| b.is_ascii_digit())).then(|| groups.concat())
}

/// The most time one amount of hours may hold: 10 000 hours, in minutes.
pub const MAX_MINUTES: i64 = 10_000 * 60;

/// Minutes as people read them. Whole quarter hours are decimal hours with the language's
/// decimal mark (`12,5 h` / `12.5 h`, `1,25 h`, `2 h`, `0 h`); any other count is hours and
/// minutes (`1 h 20 min`, `20 min`), because `1,33 h` would hide the real minutes. Negative
/// amounts (ledger debits) start with `-`. Hours are not grouped by thousands (`1250 h`), so
/// that [`parse_hours`] reads every output back.
pub fn format_hours(minutes: i64, lang: &str) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let magnitude = minutes.unsigned_abs();
    let (hours, rest) = (magnitude / 60, magnitude % 60);
    if rest % 15 == 0 {
        let decimal = if lang == "en" { '.' } else { ',' };
        let fraction = match rest {
            15 => "25",
            30 => "5",
            45 => "75",
            _ => return format!("{sign}{hours} h"),
        };
        format!("{sign}{hours}{decimal}{fraction} h")
    } else if hours == 0 {
        format!("{sign}{rest} min")
    } else {
        format!("{sign}{hours} h {rest} min")
    }
}

/// Reads an amount of time and returns minutes. Accepted forms (any case, spaces optional):
/// - a number of hours: `2`, `1,5`, `1.5` (both marks are decimal marks here: hours are never
///   grouped by thousands), optionally with a unit: `2 h`, `1,5 horas`, `1.5 hours`;
/// - minutes: `90 min`, `90 m`, `45 minutos`, `45 minutes` (whole minutes only);
/// - hours and minutes: `1:30`, `1 h 20 min`, `1h20` (minutes below 60).
///
/// Decimal hours are rounded to the nearest minute, halves away from zero (`0,01` h = 0.6 min
/// -> 1 min; at most 6 decimals).
///
/// Errors (field `field`): empty -> `required`; unreadable -> `invalid`; zero or negative ->
/// `too_short` with detail `1 min`; over [`MAX_MINUTES`] -> `too_long` with detail `10000 h`.
pub fn parse_hours(field: &str, text: &str) -> Result<i64, FieldError> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Err(FieldError::new(field, FieldErrorCode::Required));
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.as_str()),
    };
    let magnitude = read_duration(body).ok_or_else(|| FieldError::new(field, FieldErrorCode::Invalid))?;
    let minutes = match magnitude {
        Magnitude::Minutes(m) if negative => -m,
        Magnitude::Minutes(m) => m,
        Magnitude::TooBig if negative => i128::MIN,
        Magnitude::TooBig => i128::MAX,
    };
    if minutes <= 0 {
        return Err(FieldError::new(field, FieldErrorCode::TooShort).with_detail("1 min"));
    }
    if minutes > i128::from(MAX_MINUTES) {
        return Err(FieldError::new(field, FieldErrorCode::TooLong).with_detail(format!("{} h", MAX_MINUTES / 60)));
    }
    i64::try_from(minutes).map_err(|_| FieldError::new(field, FieldErrorCode::Invalid))
}

enum Magnitude {
    Minutes(i128),
    /// More digits than any valid amount has: reported as over the limit, not as unreadable.
    TooBig,
}

#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Hours,
    Minutes,
}

fn unit_of(word: &str) -> Option<Unit> {
    match word {
        "h" | "hr" | "hrs" | "hora" | "horas" | "hour" | "hours" => Some(Unit::Hours),
        "m" | "min" | "mins" | "minuto" | "minutos" | "minute" | "minutes" => Some(Unit::Minutes),
        _ => None,
    }
}

/// A number as written: whole digits and decimal digits.
struct Number<'a> {
    whole: &'a str,
    fraction: &'a str,
}

impl Number<'_> {
    /// The number times `per_unit` minutes, rounded half away from zero.
    fn minutes(&self, per_unit: i128) -> Magnitude {
        let whole = self.whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Magnitude::TooBig;
        }
        let scale = 10_i128.pow(self.fraction.len() as u32);
        let digits = whole.bytes().chain(self.fraction.bytes());
        let scaled = digits.fold(0_i128, |acc, b| acc * 10 + i128::from(b - b'0'));
        Magnitude::Minutes(round_half_away(scaled * per_unit, scale))
    }
}

/// Splits "1 h 20 min" into terms of (number, unit word) and adds them up.
fn read_duration(text: &str) -> Option<Magnitude> {
    if let Some((hours, minutes)) = text.split_once(':') {
        let (hours, minutes) = (hours.trim(), minutes.trim());
        let ok = !hours.is_empty()
            && hours.bytes().all(|b| b.is_ascii_digit())
            && minutes.len() == 2
            && minutes.bytes().all(|b| b.is_ascii_digit());
        let minutes: i128 = if ok { minutes.parse().ok()? } else { return None };
        if minutes >= 60 {
            return None;
        }
        return match (Number { whole: hours, fraction: "" }).minutes(60) {
            Magnitude::Minutes(m) => Some(Magnitude::Minutes(m + minutes)),
            Magnitude::TooBig => Some(Magnitude::TooBig),
        };
    }
    let terms = terms_of(text)?;
    let is_integer = |n: &Number| n.fraction.is_empty();
    match terms.as_slice() {
        [(number, None | Some(Unit::Hours))] => Some(number.minutes(60)),
        [(number, Some(Unit::Minutes))] if is_integer(number) => Some(number.minutes(1)),
        [(hours, Some(Unit::Hours)), (minutes, None | Some(Unit::Minutes))]
            if is_integer(hours) && is_integer(minutes) =>
        {
            let Magnitude::Minutes(extra) = minutes.minutes(1) else { return None };
            if extra >= 60 {
                return None;
            }
            match hours.minutes(60) {
                Magnitude::Minutes(m) => Some(Magnitude::Minutes(m + extra)),
                Magnitude::TooBig => Some(Magnitude::TooBig),
            }
        }
        _ => None,
    }
}

fn terms_of(text: &str) -> Option<Vec<(Number<'_>, Option<Unit>)>> {
    let mut terms = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_end);
        let (whole, fraction) = match number.find(['.', ',']) {
            Some(at) => (&number[..at], &number[at + 1..]),
            None => (number, ""),
        };
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let has_mark = number.len() != whole.len();
        if whole.is_empty() || !digits_ok(fraction) || (has_mark && fraction.is_empty()) || fraction.len() > 6 {
            return None;
        }
        let after = after.trim_start();
        let word_end = after.find(|c: char| !c.is_alphabetic()).unwrap_or(after.len());
        let (word, after) = after.split_at(word_end);
        let unit = if word.is_empty() { None } else { Some(unit_of(word)?) };
        terms.push((Number { whole, fraction }, unit));
        rest = after.trim_start();
    }
    Some(terms)
}

#[cfg(test)]
mod tests;
